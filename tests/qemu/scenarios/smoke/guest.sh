# Xen is there and says which version it is: on xpv through xpv_hypercall's
# /sys/hypervisor, on the reference through the in-tree one. dom0-post.sh
# compares the version with `xl info`.
. ../lib.sh
if [ "$XPV_FLAVOUR" = xpv ]; then
	check "xpv_hypercall loads" xpv_insmod xpv_hypercall
	line=$(dmesg | grep -m1 'xpv: Xen [0-9]')
	check "dmesg announces the Xen version and features" \
		contains "$line" 'features: .'
	echo "# $line"
fi
expect_eq "/sys/hypervisor/type says xen" "$(cat /sys/hypervisor/type)" xen
v=/sys/hypervisor/version
echo "xen-version=$(cat $v/major).$(cat $v/minor)$(cat $v/extra)"
feat=$(cat /sys/hypervisor/properties/features 2>/dev/null)
check "/sys/hypervisor/properties/features is an 8-digit hex word" \
	contains "$feat" '^[0-9a-f]\{8\}$'
echo "xen-features=$feat"
