# What `make run` shows: the xpv modules bring the guest up on Xen and its
# paravirtual NIC carries traffic: xpv_hypercall finds Xen, evtchn, grant,
# xenbus and netfront load, the vif xl gave the guest comes up as eth0 and
# pings dom0 (198.18.0.1 on xenbr0).
. ../lib.sh
check "xpv_hypercall loads" xpv_insmod xpv_hypercall
for f in type version/major version/minor version/extra properties/features \
	properties/pagesize properties/capabilities; do
	echo "# /sys/hypervisor/$f: $(cat /sys/hypervisor/$f)"
done
expect_eq "/sys/hypervisor/type says xen" "$(cat /sys/hypervisor/type)" xen
for m in xpv_evtchn xpv_grant xpv_xenbus xpv_netfront; do
	check "$m loads" xpv_insmod $m
done
check "the vif comes up as eth0" wait_for 30 test -e /sys/class/net/eth0
ip link set eth0 up
ip addr add 198.18.0.2/24 dev eth0
carrier() { [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = 1 ]; }
check "eth0 has carrier" wait_for 30 carrier
check "eth0 pings dom0" ping -c 3 -W 5 198.18.0.1
dmesg | grep 'xpv' | sed 's/^\[[^]]*\] /# /'
