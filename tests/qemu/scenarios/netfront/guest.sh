# The paravirtual NIC against dom0's xen-netback, on both flavours (xpv:
# xpv_netfront; reference: Linux's xen-netfront): the vif xl gave the guest
# comes up as an ethX with the MAC from xenstore and carrier; ping dom0 over
# IPv4 and IPv6; ethtool's view (driver, link, channels, offloads as the
# backend offers them); iperf3 TCP both ways, 4 streams over both queues,
# UDP; 8 MiB each way over TCP checked by SHA-256 against dom0's hash;
# offloads switched off and on under traffic; MTU 9000 with large pings;
# a second NIC on another bridge, both carrying iperf3 at once; on xpv the
# module unloaded and reloaded with both NICs present, no grant or port
# left behind; xl network-detach during iperf3, then a new NIC attached and
# carrying traffic. dom0-during.sh does what the guest asks in data/nf-step
# (keys of its own: other scenarios' dom0 scripts watch data/step).
. ../lib.sh
G=/sys/kernel/debug/xpv_grant/status
E=/sys/kernel/debug/xpv_evtchn/ports
DOM0=198.18.0.1
MAC1=00:16:3e:78:70:05
MAC2=00:16:3e:78:70:06

field() { sed -n "s/^$2: //p" "$1" 2>/dev/null; }
ports() { tail -n +2 $E | grep -c .; }

# dom0 STEP: ask dom0-during.sh for STEP and wait until it is done.
dom0() { ask_dom0 nf-step nf-done 120 "$1"; }

# ifname MAC: the interface with that address ("" if none)
ifname() {
	for i in /sys/class/net/*; do
		[ "$(cat "$i/address")" = "$1" ] && echo "${i##*/}" && return 0
	done
	return 1
}
has_if() { ifname "$1" >/dev/null; }
no_if() { ! has_if "$1"; }
both_if() { has_if "$1" && has_if "$2"; }
carrier() { [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]; }

# up MAC ADDR6 ADDR: bring the NIC with MAC up with those addresses; its
# name in $nic.
up() {
	nic=$(ifname "$1")
	ip link set "$nic" up
	ip addr add "$2" dev "$nic"
	[ -z "$3" ] || ip -6 addr add "$3" dev "$nic"
	wait_for 30 carrier "$nic"
}

# counter NIC NAME: an ethtool -S counter of NIC (xpv only)
counter() { ethtool -S "$1" | sed -n "s/^ *$2: //p"; }

# irqs VIF QUEUE: interrupts of that queue's event channels, all CPUs
# (both drivers name them vif<devid>-q<queue>-...)
irqs() {
	grep -E " $1-q$2(-|\$)" /proc/interrupts |
		awk '{ for (i = 2; i <= 3; i++) s += $i } END { print s + 0 }'
}

# iperf WHAT ARGS...: iperf3 client run, reported and checked; the
# receiver's rate in $rate (Mbit/s).
iperf() {
	what=$1
	shift
	# The server takes a moment to listen again after a test: retry.
	n=0
	rc=1
	while [ $n -lt 3 ]; do
		iperf3 -f m "$@" >/tmp/iperf.out 2>&1 && rc=0 && break
		grep -qE 'refused|busy' /tmp/iperf.out || break
		n=$((n + 1))
		sleep 2
	done
	if [ $rc = 0 ]; then
		rate=$(sed -n 's/.* \([0-9.]*\) Mbits\/sec.*receiver.*/\1/p' /tmp/iperf.out | tail -n1)
		loss=$(sed -n 's/.*(\([0-9.]*%\)).*receiver.*/, \1 lost/p' /tmp/iperf.out | tail -n1)
		ok "iperf3 $what: $rate Mbit/s$loss"
		echo "# netfront-iperf $what $rate"
	else
		rate=
		not_ok "iperf3 $what"
		tail -n 5 /tmp/iperf.out | sed 's/^/# /'
	fi
}

if [ "$XPV_FLAVOUR" = xpv ]; then
	for m in xpv_hypercall xpv_evtchn xpv_grant xpv_xenbus; do
		lsmod | grep -q "^$m " || xpv_insmod $m
	done
	# modprobe from MODALIAS uevents (xenbus-peer) would undo the rmmods.
	echo >/proc/sys/kernel/hotplug
	# Counted from no NIC at all (an earlier scenario may have loaded it).
	lsmod | grep -q '^xpv_netfront ' && rmmod xpv_netfront
	refs0=$(field $G refs_in_use)
	ports0=$(ports)
	echo "# before: refs_in_use $refs0, ports $ports0"
	refused "max_queues=17 is refused" xpv_insmod xpv_netfront max_queues=17
	check "xpv_netfront loads" xpv_insmod xpv_netfront
	driver=xpv_netfront
else
	lsmod | grep -q '^xen_netfront ' || modprobe xen-netfront
	driver=vif
fi

MAC0=$(xenstore-read device/vif/0/mac)
check "the vif appears as a NIC with its MAC from xenstore ($MAC0)" \
	wait_for 30 has_if "$MAC0"
if ! has_if "$MAC0"; then
	dmesg | tail -n 20 | sed 's/^/# /'
	exit 1
fi
check "it gets carrier once up" up "$MAC0" 198.18.0.2/24 fd00:198:18::2/64
eth=$nic
check "ping dom0 over IPv4" ping -c 3 -W 5 $DOM0
check "ping dom0 over IPv6" wait_for 10 ping6 -c 2 -W 5 fd00:198:18::1
rtt=$(ping -c 20 -i 0.2 -q $DOM0 | sed -n 's|.* = [0-9.]*/\([0-9.]*\)/.*|\1|p')
check "ping RTT measured ($rtt ms)" [ -n "$rtt" ]
echo "# netfront-ping-rtt $rtt"

expect_eq "ethtool -i: driver" "$(ethtool -i "$eth" | sed -n 's/^driver: //p')" $driver
check "ethtool: link detected" sh -c "ethtool $eth | grep -q 'Link detected: yes'"
expect_eq "two TX queues (one per vCPU)" \
	"$(ls -d /sys/class/net/$eth/queues/tx-* | wc -l)" 2
# Linux's xen-netfront has no ethtool -l.
[ $driver = vif ] || expect_eq "ethtool -l: 2 combined channels" \
	"$(ethtool -l "$eth" | sed -n 's/^Combined:[[:space:]]*//p' | tail -n1)" 2

# offload KEY FEATURE: ethtool -k shows FEATURE on iff the backend has KEY=1
# (KEY prefixed ! means =0).
be=$(xenstore-read device/vif/0/backend)
offload() {
	k=${1#!}
	v=$(xenstore-read "$be/$k" 2>/dev/null || echo 0)
	[ "$k" = "$1" ] || v=$((1 - v))
	want=off
	[ "$v" = 1 ] && want=on
	expect_eq "ethtool -k: $2 as $be/$k says" \
		"$(ethtool -k "$eth" | sed -n "s/^[[:space:]]*$2: \([a-z]*\).*/\1/p")" $want
}
offload feature-sg scatter-gather
offload '!feature-no-csum-offload' tx-checksum-ipv4
offload feature-ipv6-csum-offload tx-checksum-ipv6
offload feature-gso-tcpv4 tx-tcp-segmentation
offload feature-gso-tcpv6 tx-tcp6-segmentation

grep -E " vif0-q" /proc/interrupts | sed 's/^/# /'
q0=$(irqs vif0 0)
q1=$(irqs vif0 1)
iperf "TCP guest->dom0" -c $DOM0 -t 5
iperf "TCP dom0->guest" -c $DOM0 -t 5 -R
iperf "TCP guest->dom0 over IPv6" -c fd00:198:18::1 -p 5204 -t 3
iperf "TCP 4 streams each way" -c $DOM0 -t 4 -P 4
iperf "TCP 4 streams dom0->guest" -c $DOM0 -t 4 -P 4 -R
check "queue 0 took interrupts ($q0 -> $(irqs vif0 0))" [ "$(irqs vif0 0)" -gt "$q0" ]
check "queue 1 took interrupts ($q1 -> $(irqs vif0 1))" [ "$(irqs vif0 1)" -gt "$q1" ]
if [ $driver = xpv_netfront ]; then
	for q in 0 1; do
		check "queue $q sent and received packets" \
			[ "$(counter "$eth" queue_${q}_tx_packets)" -gt 0 -a \
			  "$(counter "$eth" queue_${q}_rx_packets)" -gt 0 ]
	done
	check "TSO: GSO packets sent ($(counter "$eth" tx_gso))" [ "$(counter "$eth" tx_gso)" -gt 0 ]
	check "GSO packets received ($(counter "$eth" rx_gso))" [ "$(counter "$eth" rx_gso)" -gt 0 ]
	check "checksum-blank packets received ($(counter "$eth" rx_csum_blank))" \
		[ "$(counter "$eth" rx_csum_blank)" -gt 0 ]
	expect_eq "no malformed response" "$(counter "$eth" rx_malformed)" 0
fi

iperf "UDP guest->dom0 at 20 Mbit/s" -c $DOM0 -u -b 20M -t 3
iperf "UDP dom0->guest at 20 Mbit/s" -c $DOM0 -u -b 20M -t 3 -R

# 8 MiB each way over TCP (busybox httpd and wget), compared by SHA-256.
mkdir -p /tmp/www
dd if=/dev/urandom of=/tmp/www/up.bin bs=1M count=8 2>/dev/null
httpd -p 198.18.0.2:8080 -h /tmp/www
up_sum=$(sha256sum </tmp/www/up.bin | cut -d' ' -f1)
check "dom0 fetched 8 MiB from the guest" dom0 fetch
expect_eq "... and its SHA-256 matches" "$(xenstore-read data/fetch-sum)" "$up_sum"
check "dom0 serves 8 MiB" dom0 serve
wget -q -O /tmp/down.bin http://$DOM0:8080/down.bin
expect_eq "the guest fetched it, SHA-256 matches" \
	"$(sha256sum </tmp/down.bin | cut -d' ' -f1)" "$(xenstore-read data/serve-sum)"
rm -f /tmp/down.bin

# Offloads off under traffic, then on again.
ethtool -K "$eth" tso off tx off >/dev/null 2>&1
expect_eq "ethtool -K tso off" \
	"$(ethtool -k "$eth" | sed -n 's/^tcp-segmentation-offload: \([a-z]*\).*/\1/p')" off
[ $driver = xpv_netfront ] && gso=$(counter "$eth" tx_gso)
iperf "TCP guest->dom0, no TSO nor checksum offload" -c $DOM0 -t 3
[ $driver = xpv_netfront ] &&
	expect_eq "no GSO packet sent without TSO" "$(counter "$eth" tx_gso)" "$gso"
ethtool -K "$eth" tso on tx on >/dev/null 2>&1
expect_eq "ethtool -K tso on" \
	"$(ethtool -k "$eth" | sed -n 's/^tcp-segmentation-offload: \([a-z]*\).*/\1/p')" on

# Jumbo frames: MTU 9000 both ends, 8000-byte pings each way.
check "MTU 65535 accepted (scatter-gather)" ip link set "$eth" mtu 65535
refused "MTU 65536 refused" ip link set "$eth" mtu 65536 2>/dev/null
check "dom0 sets MTU 9000 on the vif and xenbr0" dom0 mtu-9000
ip link set "$eth" mtu 9000
[ $driver = xpv_netfront ] && slots=$(($(counter "$eth" tx_slots) - $(counter "$eth" tx_packets)))
check "pings of 8000 bytes at MTU 9000" ping -c 3 -s 8000 -W 5 $DOM0
[ $driver = xpv_netfront ] &&
	check "... sent in several slots each (scatter-gather; MTU $(cat /sys/class/net/$eth/mtu), extra slots $slots -> $(($(counter "$eth" tx_slots) - $(counter "$eth" tx_packets))))" \
		[ $(($(counter "$eth" tx_slots) - $(counter "$eth" tx_packets))) -ge $((slots + 3)) ]
iperf "TCP guest->dom0 at MTU 9000" -c $DOM0 -t 3
ip link set "$eth" mtu 1500

# A second NIC, on xenbr1; both carry iperf3 at once.
check "dom0 attaches a second vif" dom0 attach-xenbr1
check "it appears as a second NIC" wait_for 60 has_if $MAC1
check "... with carrier" up $MAC1 198.19.0.2/24
eth1=$nic
check "ping dom0 through the second NIC" ping -c 2 -W 5 198.19.0.1
iperf3 -c $DOM0 -t 4 >/tmp/a.out 2>&1 &
a=$!
iperf3 -c 198.19.0.1 -p 5202 -t 4 >/tmp/b.out 2>&1
check "iperf3 over the second NIC while the first carries one too" [ $? = 0 ]
check "... and over the first" wait $a

if [ $driver = xpv_netfront ]; then
	check "rmmod xpv_netfront with two NICs up" rmmod xpv_netfront
	check "both NICs are gone" sh -c "! ls /sys/class/net | grep -q ^eth"
	expect_eq "every grant reference is back" "$(field $G refs_in_use)" "$refs0"
	expect_eq "every event channel is closed" "$(ports)" "$ports0"
	check "xpv_netfront loads again" xpv_insmod xpv_netfront
	check "both NICs come back" wait_for 30 both_if "$MAC0" $MAC1
	check "the first reconnects" up "$MAC0" 198.18.0.2/24
	eth=$nic
	check "... and the second" up $MAC1 198.19.0.2/24
	check "ping dom0 through both after the reload" \
		sh -c "ping -c 2 -W 5 $DOM0 && ping -c 2 -W 5 198.19.0.1"
	expect_eq "ethtool -S counts the connection" "$(counter "$eth" connects)" 1
fi

# Hot-unplug under traffic, then a new NIC.
# (TCP does not notice a vanished route: iperf3 is killed once it stalls.)
iperf3 -c $DOM0 -p 5203 -t 60 >/tmp/c.out 2>&1 &
c=$!
sleep 3
check "dom0 detaches the first vif during iperf3" dom0 detach-$MAC0
check "its NIC goes away" wait_for 60 no_if "$MAC0"
kill $c 2>/dev/null
check "the stalled iperf3 can be killed (no task stuck in the driver)" \
	wait_for 10 sh -c "! kill -0 $c"
check "dom0 detaches the second vif" dom0 detach-$MAC1
check "its NIC goes away" wait_for 60 no_if $MAC1
if [ $driver = xpv_netfront ]; then
	expect_eq "no grant reference left after the detaches" \
		"$(field $G refs_in_use)" "$refs0"
	expect_eq "no event channel left" "$(ports)" "$ports0"
fi
check "dom0 attaches a new vif" dom0 attach-xenbr0
check "a new NIC appears" wait_for 60 has_if $MAC2
check "... with carrier" up $MAC2 198.18.0.2/24
check "ping dom0 through it" ping -c 2 -W 5 $DOM0
iperf "TCP on the new NIC" -c $DOM0 -t 3

if [ $driver = xpv_netfront ]; then
	# A backend that lies (dom0-during.sh plays it, with xpv-gntpeer): a
	# TX response for no request. The device is shut down, no oops.
	MACL=00:16:3e:78:70:07
	refs1=$(field $G refs_in_use)
	ports1=$(ports)
	check "a vif with a lying backend connects" dom0 liar-connect
	check "... as a NIC with carrier" up $MACL 198.20.0.2/24
	check "the backend lies; the frontend closes the device" dom0 liar-lie
	check "the lie is reported" wait_for 10 sh -c \
		"dmesg | grep -q 'backend broke the netif protocol: tx: '"
	check "the NIC goes away with its device" wait_for 30 no_if $MACL
	expect_eq "no grant reference left after the liar" \
		"$(field $G refs_in_use)" "$refs1"
	expect_eq "no event channel left after the liar" "$(ports)" "$ports1"
	check "the honest NIC still works" ping -c 2 -W 5 $DOM0
	check "rmmod xpv_netfront" rmmod xpv_netfront
	expect_eq "no grant reference left at the end" "$(field $G refs_in_use)" "$refs0"
	expect_eq "no event channel left at the end" "$(ports)" "$ports0"
	kmemleak_check "no leak after the netfront scenario"
fi
