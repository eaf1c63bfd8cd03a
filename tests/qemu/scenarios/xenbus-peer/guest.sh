# xenbus with a real peer in dom0: the test driver xpv_test_xenbus drives
# device type "xpvtest", whose backend dom0-during.sh plays, running
# xpv-gntpeer (tests/tools) to map the page the driver grants, check and
# write back a pattern and ping-pong 10 000 event round trips with it. The
# protocol is described in tests/modules/xenbus/main.c.
#
# Here: load the modules, say "# xenbus-peer-ready" (dom0 then creates the
# device: it arrives by hot-plug, and its MODALIAS uevent makes modprobe
# load the driver, as udev would), check it appears on the bus, suspend and
# resume the guest's devices once (suspend to idle with pm_test=devices: the
# driver's hooks run), wait for the exchange and for dom0 to remove the
# device, relay the driver's checks, say
# "# xenbus-peer-gone", unload the driver and check that no grant reference,
# port, bus device or watch is left behind.
. ../lib.sh
G=/sys/kernel/debug/xpv_grant/status
E=/sys/kernel/debug/xpv_evtchn/ports
X=/sys/kernel/debug/xpv_xenbus/status
DEV=/sys/bus/xen/devices/xpvtest-0

# field FILE NAME: a value of a debugfs status file ("" if there is none)
field() { sed -n "s/^$2: //p" "$1" 2>/dev/null; }

# ports: the ports xpv_evtchn lists (its header line excepted)
ports() { tail -n +2 $E | awk '{ print $1 }'; }

# log: the kernel log since this scenario began
log() { dmesg | sed -n '/xpvmark xenbus-peer$/,$p'; }
removed() { log | grep -q 'xpvtest: # xpvtest-0 removed'; }
loaded() { lsmod | grep -q '^xpv_test_xenbus '; }
hooks() { log | grep -c "xpvtest: # xpvtest-0: $1\$"; }
gone() { [ ! -e $DEV ]; }
refs_back() { [ "$(field $G refs_in_use)" = "$refs" ]; }
port_gone() { [ -n "$port" ] && ! ports | grep -qx "$port"; }

for m in xpv_hypercall xpv_evtchn xpv_grant xpv_xenbus; do
	lsmod | grep -q "^$m " && continue
	if ! xpv_insmod $m; then
		not_ok "insmod $m"
		exit 1
	fi
done
refs=$(field $G refs_in_use)
nports=$(ports | grep -c .)
devices=$(field $X devices)
watches=$(field $X watches)
echo "# before: refs_in_use $refs, $nports port(s), devices $devices, watches $watches"

echo "xpvmark xenbus-peer" >/dev/kmsg
# The kernel's uevent helper stands in for udev: modprobe $MODALIAS.
printf '#!/bin/sh\n[ -z "$MODALIAS" ] || exec /sbin/modprobe "$MODALIAS"\n' \
	>/tmp/xpv-hotplug
chmod 755 /tmp/xpv-hotplug
echo /tmp/xpv-hotplug >/proc/sys/kernel/hotplug
refused "xpv_test_xenbus is not loaded before its device exists" loaded
check "no xpvtest device before dom0 creates one" gone
echo "# xenbus-peer-ready"
if wait_for 60 test -d $DEV; then
	ok "hot-plug: the device dom0 created appeared as xpvtest-0"
	check "its uevent made modprobe load xpv_test_xenbus (MODULE_ALIAS xen:xpvtest)" \
		wait_for 20 loaded
	expect_eq "its nodename" "$(cat $DEV/nodename)" device/xpvtest/0
	expect_eq "its devtype" "$(cat $DEV/devtype)" xpvtest
	check "its otherend is dom0's backend directory" contains \
		"$(cat $DEV/otherend)" '^/local/domain/0/backend/xpvtest/[0-9]*/0$'
	check "xpv_test_xenbus is bound to it" wait_for 10 test -e $DEV/driver
	echo devices >/sys/power/pm_test
	check "suspend to idle and back (pm_test=devices)" \
		sh -c 'echo freeze >/sys/power/state'
	echo none >/sys/power/pm_test
	expect_eq "the driver's suspend hook ran once" "$(hooks suspend)" 1
	expect_eq "the driver's resume hook ran once" "$(hooks resume)" 1
	check "the exchange ran and dom0 removed the device (300 s)" \
		wait_for 300 removed
else
	not_ok "hot-plug: the device dom0 created appeared as xpvtest-0 (60 s)"
fi
echo >/proc/sys/kernel/hotplug
check "xpvtest-0 left the bus" wait_for 10 gone
echo "# xenbus-peer-gone"
check "rmmod xpv_test_xenbus" rmmod xpv_test_xenbus
log | sed -n 's/.*xpvtest: //p'
result=$(log | sed -n 's/.*xpvtest: # xpvtest-0: result //p')
check "the driver's verdict is ok ($result)" contains "$result" '^ok [0-9]*$'
port=$(log | sed -n 's/.* event-channel \([0-9]*\) .*/\1/p')

check "grant references in use back to $refs" wait_for 5 refs_back
expect_eq "ports listed back to $nports" "$(ports | grep -c .)" "$nports"
check "port ${port:-?} is gone from xpv_evtchn" port_gone
expect_eq "bus devices back to ${devices:-none}" "$(field $X devices)" \
	"$devices"
expect_eq "xenstore watches back to ${watches:-none}" \
	"$(field $X watches)" "$watches"
kmemleak_check "no leak after the xenbus-peer test"
