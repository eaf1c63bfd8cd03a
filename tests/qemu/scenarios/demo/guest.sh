# What `make run` shows: xpv_hypercall brings the guest up on Xen.
. ../lib.sh
check "xpv_hypercall loads" xpv_insmod xpv_hypercall
echo "# $(dmesg | grep 'xpv:' | sed 's/^\[[^]]*\] //' | head -n 5)"
for f in type version/major version/minor version/extra properties/features \
	properties/pagesize properties/capabilities; do
	echo "# /sys/hypervisor/$f: $(cat /sys/hypervisor/$f)"
done
expect_eq "/sys/hypervisor/type says xen" "$(cat /sys/hypervisor/type)" xen
