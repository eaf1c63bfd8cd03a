# dom0 side of the netfront scenario, before the guest boots: IPv6 on
# xenbr0, a second bridge xenbr1 (198.19.0.1/24) for a second NIC, iperf3
# servers on both, MTU 1500 again after an earlier guest's jumbo test.
ip -6 addr add fd00:198:18::1/64 dev xenbr0 2>/dev/null
ip link set xenbr0 mtu 1500
if ! ip link show xenbr1 >/dev/null 2>&1; then
	brctl addbr xenbr1
	ip addr add 198.19.0.1/24 dev xenbr1
	ip link set xenbr1 up
fi
pidof iperf3 >/dev/null || {
	iperf3 -s -D -B 198.18.0.1
	iperf3 -s -D -B 198.19.0.1 -p 5202
	iperf3 -s -D -B 198.18.0.1 -p 5203	# for the detach under traffic
	iperf3 -s -D -p 5204			# IPv6
}
mkdir -p /tmp/www
echo "ok - dom0: IPv6, xenbr1 and iperf3 servers ready"
