# dom0 side of the bench scenario: for the guest's data/bench-step b-WL and
# e-WL, count the notifications the guest's backends (blkback's
# blkif-backend, netback's vifD.N-q*) received in between, into
# data/bench-irqs (the total) and data/bench-irqs-by (by kind: blkif, vif
# TX, vif RX); runs until the guest is gone.
. ../dom0-steps.sh
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

do_step() {
	case $1 in
	b-*)
		backend_irqs >/tmp/bench-irqs0 ;;
	e-*)
		set -- $(cat /tmp/bench-irqs0) $(backend_irqs)
		xenstore-write "$base/data/bench-irqs" \
			"dom0_irqs=$(($4 + $5 + $6 - $1 - $2 - $3))" \
			"$base/data/bench-irqs-by" \
			"dom0_blk=$(($4 - $1)) dom0_tx=$(($5 - $2)) dom0_rx=$(($6 - $3))" ;;
	*)
		false ;;
	esac
}

run_steps bench bench-step bench-done
