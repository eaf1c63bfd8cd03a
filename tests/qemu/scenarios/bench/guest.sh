# The benchmark workloads (make bench; not part of make check), the same on
# both flavours: fio on xvda (sequential 1 MiB reads and writes at queue
# depth 32, random 4 KiB reads and writes at depths 1 and 32, direct I/O),
# iperf3 TCP guest->dom0 and dom0->guest, sockperf UDP ping-pong (64-byte
# request/response transactions) and ping against dom0, xpv.rounds=N times
# (default 1). The two guests run side by side and take turns through dom0
# (dom0-during.sh), workload by workload: reference, then xpv, within
# seconds of each other. Around each one dom0 counts the notifications its
# backends received, the guest its CPU time and its event interrupts. One
# line per workload:
#   # xpvb r=ROUND wl=NAME value=V unit=U bytes=B reqs=N secs=S
#          cpu_ticks=T hz=100 dom0_irqs=D dom0_blk=. dom0_tx=. dom0_rx=.
#          guest_irqs=G
# which tests/bench/report.py reads. Ordinary checks say whether each
# workload ran.
. ../lib.sh
. ./jobs.sh
DOM0=198.18.0.1
ME=198.18.0.2
[ "$XPV_FLAVOUR" = reference ] && ME=198.18.0.3
rounds=$(sed -n 's/.*xpv\.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
rounds=${rounds:-1}

# dom0 STEP: ask dom0-during.sh for STEP and wait until it is done (it
# waits for our turn first: the other guest's workload, dom0's limit).
# dom0's answers (data/bench-done) come as xenstore watch events on fd 3
# (see below): waiting for our turn, we sleep and do not poll.
dom0() {
	xenstore-write data/bench-step "$1"
	while read -r -t 300 _ <&3; do
		key_is bench-done "$1" && return 0
	done
	return 1
}

# busy: the CPU ticks (all CPUs) spent outside idle and iowait
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
# evirqs: interrupts of the event channels, by their IRQ chips (xpv's
# xpv-evtchn, Linux's xen-dyn or, for its frontends, xen-dyn-lateeoi), not
# the upcall PPI that carries them
evirqs() {
	grep -E ' (xpv-evtchn|xen-dyn|xen-dyn-lateeoi) ' /proc/interrupts |
		awk '{ for (i = 2; i <= 3; i++) s += $i } END { print s + 0 }'
}

# begin WL / finish WL VALUE UNIT BYTES REQS: frame one workload of round
# $r: our turn, dom0's counts
begin() {
	dom0 "b-$1.r$r" || not_ok "dom0 counts for $1 (round $r)"
	c0=$(busy)
	g0=$(evirqs)
	s0=$(cut -d' ' -f1 /proc/uptime)
}
finish() {
	s1=$(cut -d' ' -f1 /proc/uptime)
	c1=$(busy)
	g1=$(evirqs)
	dom0 "e-$1.r$r" || not_ok "dom0 counts for $1 (round $r)"
	d=$(xenstore-read data/bench-irqs 2>/dev/null)
	by=$(xenstore-read data/bench-irqs-by 2>/dev/null)
	echo "# xpvb r=$r wl=$1 value=$2 unit=$3 bytes=$4 reqs=$5" \
		"secs=$(awk "BEGIN { print $s1 - $s0 }") cpu_ticks=$((c1 - c0))" \
		"hz=100 ${d:-dom0_irqs=-1} $by guest_irqs=$((g1 - g0))"
}

# fio_job NAME RW BS DEPTH: one fio job on xvda
fio_job() {
	begin "$1"
	fio_run "$1" /dev/xvda "$2" "$3" "$4"
	check "fio $1 ran (round $r)" [ $fio_rc -eq 0 ] && [ "$io" -gt 0 ]
	finish "$1" "$value" "$unit" $((io * 1024)) "$reqs"
}

# net_bytes / net_packets: bytes / packets through eth0 both ways
net_bytes() {
	echo $(($(cat /sys/class/net/$eth/statistics/rx_bytes) +
		$(cat /sys/class/net/$eth/statistics/tx_bytes)))
}
net_packets() {
	echo $(($(cat /sys/class/net/$eth/statistics/rx_packets) +
		$(cat /sys/class/net/$eth/statistics/tx_packets)))
}

# iperf_job WL ARGS...: iperf3 TCP to dom0, the receiver's Mbit/s; its
# requests are the packets through the NIC, data and ACKs
iperf_job() {
	w=$1
	shift
	begin "$w"
	b0=$(net_bytes)
	p0=$(net_packets)
	rate=$(iperf_rate -c $DOM0 "$@")
	check "iperf3 $w ran (round $r)" [ -n "$rate" ]
	finish "$w" "${rate:-0}" Mbit/s $(($(net_bytes) - b0)) \
		$(($(net_packets) - p0))
}

if [ "$XPV_FLAVOUR" = xpv ]; then
	for m in xpv_hypercall xpv_evtchn xpv_grant xpv_xenbus xpv_blkfront \
		xpv_netfront; do
		lsmod | grep -q "^$m " || xpv_insmod $m
	done
else
	modprobe xen-blkfront
	modprobe xen-netfront
fi
is_blk() { [ -b /dev/xvda ]; }
check "xvda is there" wait_for 30 is_blk
MAC0=$(xenstore-read device/vif/0/mac)
eth=
for i in /sys/class/net/*; do
	[ "$(cat "$i/address" 2>/dev/null)" = "$MAC0" ] && eth=${i##*/}
done
check "the vif is a NIC" [ -n "$eth" ]
ip link set "$eth" up
ip addr add $ME/24 dev "$eth"
check "dom0 answers pings" wait_for 30 ping -c 1 -W 2 $DOM0

mkfifo /tmp/bench-done
xenstore-watch data/bench-done >/tmp/bench-done 2>/dev/null &
watcher=$!
exec 3</tmp/bench-done

# Reads read data: the whole disk written once first, in our turn.
dom0 b-setup || not_ok "dom0 gives us a turn"
dd if=/dev/urandom of=/dev/xvda bs=1M count=64 oflag=direct 2>/dev/null
dom0 e-setup || not_ok "dom0 gives the turn back"

for r in $(seq "$rounds"); do
	for j in $FIO_JOBS; do
		fio_fields "$j"
		fio_job "$n" "$rw" "$bs" "$qd"
	done
	iperf_job tcp-tx
	iperf_job tcp-rx -R

	begin udp-rr
	b0=$(net_bytes)
	rr_run $DOM0 11111
	check "sockperf ping-pong ran (round $r)" [ -n "$rr" ]
	finish udp-rr "${rr:-0}" txn/s $(($(net_bytes) - b0)) "${rcvd:-0}"

	begin ping
	b0=$(net_bytes)
	rtt=$(ping_rtt $DOM0)
	check "ping ran (round $r)" [ -n "$rtt" ]
	finish ping "${rtt:-0}" ms $(($(net_bytes) - b0)) $PINGS
done
# A last turn, so that neither guest shuts down during the other's last
# workload.
dom0 b-end || not_ok "dom0 gives us the last turn"
dom0 e-end || not_ok "dom0 takes the last turn back"
kill $watcher
