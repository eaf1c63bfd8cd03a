# dom0 side of the bench scenario, before each guest: iperf3 and sockperf
# servers on xenbr0; before each reference guest (once a round), the
# limits of this setup: the guests' fio jobs on a loop device like theirs
# (a file on dom0's tmpfs), iperf3 and sockperf over dom0's loopback. One
# "# xpvb wl=limit-NAME ..." line each, as the guests print them.
. ./jobs.sh
pidof iperf3 >/dev/null || iperf3 -s -D
pidof sockperf >/dev/null || {
	sockperf server -i 198.18.0.1 -p 11111 >/dev/null 2>&1 &
	sockperf server -i 127.0.0.1 -p 11112 >/dev/null 2>&1 &
}
[ "$FLAVOUR" = reference ] || exit 0

img=/tmp/bench-limit.img
dd if=/dev/urandom of=$img bs=1M count=64 2>/dev/null
dev=$(losetup -f)
losetup "$dev" $img

for j in $FIO_JOBS; do
	IFS=: read -r n rw bs qd <<EOJ
$j
EOJ
	fio_run "$n" "$dev" "$rw" "$bs" "$qd"
	echo "# xpvb wl=limit-$n value=$value unit=$unit"
done
losetup -d "$dev"
rm -f $img

iperf3 -s -D -B 127.0.0.1 -p 5211
sleep 1
rate=$(iperf_rate -c 127.0.0.1 -p 5211)
# One loopback figure bounds both directions.
echo "# xpvb wl=limit-tcp-tx value=${rate:-0} unit=Mbit/s"
echo "# xpvb wl=limit-tcp-rx value=${rate:-0} unit=Mbit/s"
rr_run 127.0.0.1 11112
echo "# xpvb wl=limit-udp-rr value=${rr:-0} unit=txn/s"
echo "# xpvb wl=limit-ping value=$(ping_rtt 127.0.0.1) unit=ms"
