# dom0 side of the netfront scenario, after the guest: no vif of it left.
n=$(ls -d /sys/class/net/vif* 2>/dev/null | wc -l)
if [ "$n" = 0 ]; then
	echo "ok - dom0: every vif of the guest is gone"
else
	echo "not ok - dom0: $n vif(s) left after the guest"
fi
ip link set xenbr0 mtu 1500
