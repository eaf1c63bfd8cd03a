# xpv_evtchn on both ABIs: 2-level first (twolevel=1), then FIFO, because a
# domain switched to FIFO stays FIFO for the rest of the boot. For each: the
# test module's checks (100 000 loopback notifications, affinity move, error
# paths, VIRQ_DEBUG, raised by dom0-during.sh with `xl debug-keys q`),
# /proc/interrupts and debugfs, the benchmark, 20 insmod/rmmod cycles with
# the same port numbers every time and Xen reporting every port closed.
# xpv_hypercall is pinned once xpv_evtchn ran: run after hypercall-reload.
. ../lib.sh
D=/sys/kernel/debug/xpv_evtchn
P=/sys/module/xpv_evtchn/parameters

# Kernel-log lines since the last mark (a line we write to /dev/kmsg).
mark=0
new_mark() {
	mark=$((mark + 1))
	echo "xpvmark $mark" >/dev/kmsg
}
since_mark() { dmesg | sed -n "/xpvmark $mark\$/,\$p"; }

# test_module ABI ARGS...: load the test module, relay its TAP lines.
test_module() {
	abi=$1
	shift
	new_mark
	if ! xpv_insmod xpv_test_evtchn "$@"; then
		not_ok "$abi: insmod xpv_test_evtchn $*"
		return 1
	fi
	since_mark | sed -n 's/.*xpvtest: //p' |
		sed "s/^ok - /ok - $abi: /; s/^not ok - /not ok - $abi: /"
}

# irq_count NAME: events of IRQ NAME in /proc/interrupts, all CPUs.
irq_count() {
	awk -v n="$1" '$NF == n { s = 0
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i
		print s }' /proc/interrupts
}

# port_rows: the ports debugfs lists (its header line excepted).
port_rows() { tail -n +2 $D/ports | grep -c .; }

# reload_rounds ABI N ARGS...: N cycles of xpv_evtchn + the quick test.
reload_rounds() {
	abi=$1 n=$2
	shift 2
	fails=0 same=0 closed=0 i=0 first=
	while [ $i -lt "$n" ]; do
		new_mark
		xpv_insmod xpv_evtchn "$@" || fails=$((fails + 1))
		xpv_insmod xpv_test_evtchn mode=ports || fails=$((fails + 1))
		out=$(since_mark)
		contains "$out" "xpvtest: not ok" && fails=$((fails + 1))
		ports=$(printf '%s\n' "$out" | sed -n 's/.*xpvtest: # ports //p')
		[ -n "$first" ] || first=$ports
		[ -n "$ports" ] && [ "$ports" = "$first" ] && same=$((same + 1))
		rmmod xpv_test_evtchn || fails=$((fails + 1))
		rmmod xpv_evtchn || fails=$((fails + 1))
		contains "$(since_mark)" "closed 2 port(s); Xen: all closed" &&
			closed=$((closed + 1))
		i=$((i + 1))
	done
	expect_eq "$abi: $n insmod/rmmod cycles of xpv_evtchn, events delivered each time" "$fails" 0
	expect_eq "$abi: the same ports ($first) every cycle: nothing leaked" "$same" "$n"
	expect_eq "$abi: every unload closed its 2 leftover ports, Xen agrees" "$closed" "$n"
}

# one_abi ABI ARGS...: everything above for one ABI.
one_abi() {
	abi=$1
	shift
	new_mark
	check "$abi: insmod xpv_evtchn $*" xpv_insmod xpv_evtchn "$@"
	expect_eq "$abi: ABI in use" "$(cat $P/abi)" "$abi"
	echo "# virq-wait-begin"
	test_module "$abi" virq_wait_ms=20000
	echo "# virq-wait-end"
	loop=$(since_mark | sed -n 's/.*# loopback ports \([0-9]*\) .*/\1/p')
	n=$(irq_count xpvtest-loop)
	check "$abi: loopback IRQ in /proc/interrupts with events ($n)" \
		[ "${n:-0}" -gt 0 ]
	check "$abi: its line names the xpv-evtchn chip and port $loop" \
		contains "$(grep xpvtest-loop /proc/interrupts)" "xpv-evtchn *$loop "
	row=$(awk -v p="$loop" '$1 == p' $D/ports)
	echo "# debugfs: $row"
	check "$abi: debugfs shows the port interdomain, with its IRQ and count" \
		[ "$(echo "$row" | awk '{print $2}')" = interdomain -a \
		"$(echo "$row" | awk '{print $8}')" -gt 0 ]
	rmmod xpv_test_evtchn
	expect_eq "$abi: no port left in debugfs after the test module" \
		"$(port_rows)" 0
	test_module "$abi" mode=bench && rmmod xpv_test_evtchn
	new_mark
	check "$abi: rmmod xpv_evtchn" rmmod xpv_evtchn
	check "$abi: unload found no port left open in Xen" \
		contains "$(since_mark)" "Xen: all closed"
	check "$abi: debugfs gone" [ ! -e $D ]
	reload_rounds "$abi" 20 "$@"
}

lsmod | grep -q '^xpv_hypercall' || xpv_insmod xpv_hypercall
irqs=$(ls /sys/kernel/irq | wc -l)

one_abi 2-level twolevel=1
one_abi fifo

# hotplug: CPU 1 goes offline with a loopback IRQ bound to it (its port
# must follow the IRQ to CPU 0), the tests run on CPU 0 alone, then CPU 1
# comes back (its vcpu_info is still registered: Xen refuses a second
# registration) and the tests, affinity move to it included, run again.
hotplug() {
	c=/sys/devices/system/cpu/cpu1/online
	if [ ! -w $c ]; then
		not_ok "hotplug: $c is writable"
		return
	fi
	check "hotplug: insmod xpv_evtchn" xpv_insmod xpv_evtchn
	test_module hotplug mode=ports
	check "hotplug: test IRQ moved to CPU 1" \
		sh -c "echo 1 >/proc/irq/$(irq_number xpvtest-reload)/smp_affinity_list"
	new_mark
	check "hotplug: CPU 1 offline" sh -c "echo 0 >$c"
	check "hotplug: the IRQ followed to CPU 0" \
		[ "$(cat /proc/irq/$(irq_number xpvtest-reload)/smp_affinity_list)" = 0 ]
	rmmod xpv_test_evtchn
	test_module "hotplug, CPU 1 offline" notifications=20000
	rmmod xpv_test_evtchn
	check "hotplug: CPU 1 online again" sh -c "echo 1 >$c"
	test_module "hotplug, CPU 1 back" notifications=20000
	rmmod xpv_test_evtchn
	check "hotplug: no error from the CPU going and coming" \
		not_contains "$(since_mark)" "xpv: .*\(error\|cannot\|fail\)"
	check "hotplug: rmmod xpv_evtchn" rmmod xpv_evtchn
}

# irq_number NAME: the Linux IRQ number of the handler called NAME.
irq_number() { awk -v n="$1" '$NF == n { sub(":", "", $1); print $1 }' /proc/interrupts; }

hotplug

new_mark
xpv_insmod xpv_evtchn twolevel=1
expect_eq "twolevel=1 after FIFO: FIFO stays (Xen cannot switch back)" \
	"$(cat $P/abi)" fifo
check "... and says so" contains "$(since_mark)" "twolevel=1 ignored"
rmmod xpv_evtchn

refused "xpv_hypercall is pinned now (rmmod refused)" rmmod xpv_hypercall
expect_eq "it said so once" \
	"$(dmesg | grep -c 'xpv_hypercall stays loaded until reboot')" 1
expect_eq "no IRQ descriptor left behind" "$(ls /sys/kernel/irq | wc -l)" "$irqs"
kmemleak_check "no leak after the evtchn tests"
