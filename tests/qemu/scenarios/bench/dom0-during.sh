# dom0 side of the bench scenario. The two guests take turns, workload by
# workload, the reference first: the guest's data/bench-step b-STEP waits
# for its turn (/xpv-bench/turn in xenstore names whose it is; a guest that
# is gone, /xpv-bench/gone-FLAVOUR, has no turn to wait for), e-STEP passes
# the turn on. For a workload step, b-WL.rROUND / e-WL.rROUND, dom0 counts
# the notifications the guest's backends (blkback's blkif-backend,
# netback's vifD.N-q*) received in between, into data/bench-irqs (the
# total) and data/bench-irqs-by (by kind: blkif, vif TX, vif RX). In the
# reference's turn, before its workload, dom0 measures the same workload
# alone (fio on its own loop device, iperf3, sockperf and ping over its
# loopback): one "# xpvb r=ROUND wl=limit-WL ..." line each in
# bench.limits. Nothing polls while it waits: xenstore watches wake it.
# Runs until the guest is gone.
. ../dom0-steps.sh
. ./jobs.sh
other=xpv
[ "$FLAVOUR" = xpv ] && other=reference
# Our guest gone (or never there), the other takes every turn.
trap 'xenstore-write "/xpv-bench/gone-$FLAVOUR" 1; kill $watchers 2>/dev/null' EXIT
wait_domain || exit 1

# backend_irqs: interrupts of the backends' event channels, all CPUs:
# "BLK TX RX" (a vif's channel shared by both directions counts as TX)
backend_irqs() {
	grep -E "blkif-backend|vif$domid\\." /proc/interrupts | awk '{
		n = 0
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
		if ($NF ~ /blkif/) b += n; else if ($NF ~ /-rx$/) r += n; else t += n
	} END { print b + 0, t + 0, r + 0 }'
}

# our_turn: the turn is ours, or the other guest is gone
our_turn() {
	t=$(xenstore-read /xpv-bench/turn 2>/dev/null) || t=reference
	[ "$t" = "$FLAVOUR" ] ||
		xenstore-exists "/xpv-bench/gone-$other" 2>/dev/null
}

# limit WL ROUND: dom0's own figure for workload WL
limit() {
	case $1 in
	seq-* | rand-*)
		fio_fields "$(echo "$FIO_JOBS" | tr ' ' '\n' | grep "^$1:")"
		fio_run "$n" "$(cat /tmp/bench-limit.dev)" "$rw" "$bs" "$qd"
		v=$value u=$unit ;;
	tcp-*)
		# One loopback figure bounds both directions.
		v=$(iperf_rate -c 127.0.0.1 -p 5211) u=Mbit/s ;;
	udp-rr)
		rr_run 127.0.0.1 11112
		v=$rr u=txn/s ;;
	ping)
		v=$(ping_rtt 127.0.0.1) u=ms ;;
	esac
	echo "# xpvb r=$2 wl=limit-$1 value=${v:-0} unit=$u" >>"$RESULTS/bench.limits"
}

# do_step STEP, in our turn
do_step() {
	case $1 in
	b-*.r*)
		wl=${1#b-}
		[ "$FLAVOUR" = xpv ] || limit "${wl%.r*}" "${wl##*.r}"
		backend_irqs >/tmp/bench-irqs0.$FLAVOUR ;;
	b-*) ;;
	e-*)
		case $1 in
		*.r*)
			set -- $(cat /tmp/bench-irqs0.$FLAVOUR) $(backend_irqs)
			xenstore-write "$base/data/bench-irqs" \
				"dom0_irqs=$(($4 + $5 + $6 - $1 - $2 - $3))" \
				"$base/data/bench-irqs-by" \
				"dom0_blk=$(($4 - $1)) dom0_tx=$(($5 - $2)) dom0_rx=$(($6 - $3))" ;;
		esac
		xenstore-write /xpv-bench/turn "$other" ;;
	*)
		false ;;
	esac
}

# Events: a line on the FIFO for each change of the guest's step or of
# /xpv-bench; every 5 s without one, is the guest still there? (If the
# watchers died, the FIFO is at its end: look once a second.)
fifo=/tmp/bench-events.$FLAVOUR
mkfifo $fifo
xenstore-watch "$base/data/bench-step" >$fifo 2>/dev/null &
watchers=$!
xenstore-watch /xpv-bench >$fifo 2>/dev/null &
watchers="$watchers $!"
exec 3<$fifo
pending=
while :; do
	read -r -t 5 _ <&3 || {
		xl domid "$DOMNAME" >/dev/null 2>&1 || break
		kill -0 $watchers 2>/dev/null || sleep 1
	}
	s=$(xenstore-read "$base/data/bench-step" 2>/dev/null)
	if [ -n "$s" ] && [ "$s" != "$last" ]; then
		last=$s
		pending=$s
	fi
	case $pending in
	"") continue ;;
	b-*) our_turn || continue ;;
	esac
	answer_step bench "$pending" bench-done
	pending=
done
