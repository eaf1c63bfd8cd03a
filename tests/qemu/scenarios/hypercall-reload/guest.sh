# insmod/rmmod xpv_hypercall 20 times: each load finds Xen, each unload takes
# its sysfs tree with it; the event-channel PPI's IRQ mapping, made by the
# first load, is found again by every later one (hypercall/discover.c).
. ../lib.sh
lsmod | grep -q '^xpv_hypercall' && rmmod xpv_hypercall
# One cycle first: the PPI's mapping exists from then on.
xpv_insmod xpv_hypercall && rmmod xpv_hypercall
irqs=$(ls /sys/kernel/irq | wc -l)
line() { dmesg | grep 'xpv: Xen [0-9]' | tail -n 1 | sed 's/^\[[^]]*\] //'; }
first=$(line)
fails=0
i=0
while [ $i -lt 20 ]; do
	xpv_insmod xpv_hypercall || fails=$((fails + 1))
	[ -f /sys/hypervisor/version/major ] || fails=$((fails + 1))
	[ "$(line)" = "$first" ] || fails=$((fails + 1))
	rmmod xpv_hypercall || fails=$((fails + 1))
	[ -e /sys/hypervisor/type ] && fails=$((fails + 1))
	i=$((i + 1))
done
expect_eq "20 insmod/rmmod cycles of xpv_hypercall, all clean" "$fails" 0
expect_eq "no IRQ descriptor left behind" "$(ls /sys/kernel/irq | wc -l)" "$irqs"
kmemleak_check "no leak after 20 cycles"
