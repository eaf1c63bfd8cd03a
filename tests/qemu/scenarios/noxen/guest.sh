# On plain QEMU (no Xen, no /hypervisor node) xpv_hypercall refuses to load
# with -ENODEV and one clear line, and leaves nothing behind.
# (busybox insmod retries with init_module() after finit_module() fails, so
# the module's init may run twice: each run must print the one line.)
. ../lib.sh
irqs=$(ls /sys/kernel/irq | wc -l)
dmesg -c >/dev/null
err=$(xpv_insmod xpv_hypercall 2>&1)
rc=$?
check "insmod xpv_hypercall fails" [ $rc -ne 0 ]
echo "# $err"
check "insmod reports -ENODEV (No such device)" contains "$err" 'No such device'
log=$(dmesg | grep 'xpv' | grep -v 'loading out-of-tree module taints kernel')
check "the kernel log says why" contains "$log" \
	'xpv: no Xen hypervisor in the device tree: not loading'
expect_eq "and says nothing else" \
	"$(echo "$log" | grep -vc 'no Xen hypervisor in the device tree: not loading$')" 0
check "module not loaded" not_contains "$(cat /proc/modules)" xpv_
check "no /sys/hypervisor" [ ! -e /sys/hypervisor/type ]
expect_eq "no IRQ descriptor left behind" "$(ls /sys/kernel/irq | wc -l)" "$irqs"
