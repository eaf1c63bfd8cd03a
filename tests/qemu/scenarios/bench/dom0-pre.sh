# dom0 side of the bench scenario, before each guest: iperf3 and sockperf
# servers on xenbr0; before the reference guest, what dom0-during.sh needs
# to measure the limits of this setup in the reference's turns: a loop
# device like the guests' (a file on dom0's tmpfs) and an iperf3 server on
# dom0's loopback.
pidof iperf3 >/dev/null || iperf3 -s -D
pidof sockperf >/dev/null || {
	sockperf server -i 198.18.0.1 -p 11111 >/dev/null 2>&1 &
	sockperf server -i 127.0.0.1 -p 11112 >/dev/null 2>&1 &
}
[ "$FLAVOUR" = reference ] || exit 0

img=/tmp/bench-limit.img
dd if=/dev/urandom of=$img bs=1M count=64 2>/dev/null
xpv-losetup $img >/tmp/bench-limit.dev
iperf3 -s -D -B 127.0.0.1 -p 5211
