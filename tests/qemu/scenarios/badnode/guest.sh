# Plain QEMU whose device tree has a malformed /hypervisor node (dt/*.dtsi):
# xpv_hypercall refuses with -EINVAL and a line naming the node, no oops
# (the harness scans the log), and leaves nothing behind.
. ../lib.sh
irqs=$(ls /sys/kernel/irq | wc -l)
err=$(xpv_insmod xpv_hypercall 2>&1)
check "insmod xpv_hypercall fails" [ $? -ne 0 ]
check "with -EINVAL (Invalid argument)" contains "$err" 'Invalid argument'
line=$(dmesg | grep -m1 'xpv: /hypervisor: ')
echo "# $line"
check "the kernel log names the node and the problem" [ -n "$line" ]
check "module not loaded" not_contains "$(cat /proc/modules)" xpv_
expect_eq "no IRQ descriptor left behind" "$(ls /sys/kernel/irq | wc -l)" "$irqs"
