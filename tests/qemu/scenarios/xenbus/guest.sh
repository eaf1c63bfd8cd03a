# xenstore through /dev/xen/xenbus with Debian's xenstore-utils, and the xen
# bus: identity as dom0's xl created it, a write dom0 reads, a watch on a
# write by dom0, the devices xl gave the guest with their backends, hot-plug
# of a NIC and a disk (dom0-during.sh attaches and detaches them when the
# guest asks through data/step). On xpv also: a stuck xenstored gives a
# timeout, a dead tool's watches are dropped, and 20 reloads of xpv_xenbus
# leak nothing. Passes on the reference flavour too (in-tree xenbus).
. ../lib.sh
D=/sys/kernel/debug/xpv_xenbus/status
B=/sys/bus/xen/devices

field() { sed -n "s/^$1: //p" $D; }
# field_is NAME VALUE: the debugfs field NAME is VALUE now.
field_is() { [ "$(field "$1")" = "$2" ]; }
# field_above NAME VALUE: ... is above VALUE now.
field_above() { [ "$(field "$1")" -gt "$2" ]; }

# step NAME: ask dom0-during.sh for step NAME.
step() { xenstore-write data/step "$1"; }

if [ "$XPV_FLAVOUR" = xpv ]; then
	for m in xpv_hypercall xpv_evtchn xpv_grant; do
		lsmod | grep -q "^$m " || xpv_insmod $m
	done
	check "xpv_xenbus loads" xpv_insmod xpv_xenbus
	echo "# $(dmesg | grep -m1 'xpv: xenbus: xenstore connected')"
else
	# In-tree xenbus leaves an unbound device to the toolstack's timeout
	# on detach: bind the in-tree frontends, as a reference user would.
	modprobe xen-netfront
	modprobe xen-blkfront
fi
check "/dev/xen/xenbus is a character device" test -c /dev/xen/xenbus

name=$(xenstore-read name)
domid=$(xenstore-read domid)
echo "xenbus-name=$name"
echo "xenbus-domid=$domid"
check "xenstore-read name and domid answer" [ -n "$name" -a -n "$domid" ]
home=$(xenstore-read /local/domain/$domid/name)
expect_eq "the absolute path names the same domain" "$home" "$name"
refused "xenstore-read of a missing node fails" xenstore-read data/no-such-node
refused "a guest cannot write dom0's tree" xenstore-write /local/domain/0/xpvtest x

xenstore-write data/fromguest "hello-$domid"
check "dom0 read what the guest wrote (it echoes it back)" \
	wait_for 30 key_is ack-fromguest "hello-$domid"

# xenstore-watch prints the path once at registration, then per change.
xenstore-watch -n 2 data/fromdom0 >/tmp/watch.out 2>&1 &
wpid=$!
sleep 1
step watch
wait_for 30 sh -c "! kill -0 $wpid"
kill $wpid 2>/dev/null
check "xenstore-watch saw dom0's write" \
	[ "$(grep -c '^data/fromdom0$' /tmp/watch.out)" = 2 ]
expect_eq "dom0's value arrived" "$(xenstore-read data/fromdom0)" from-dom0

# device DIR TYPE ID STATE: the bus device DIR is TYPE/ID in STATE, with
# dom0's backend.
device() {
	dev=$B/$1
	check "bus lists $1" test -d "$dev"
	expect_eq "$1: nodename" "$(cat "$dev/nodename")" "device/$2/$3"
	expect_eq "$1: devtype" "$(cat "$dev/devtype")" "$2"
	expect_eq "$1: modalias" "$(cat "$dev/modalias")" "xen:$2"
	expect_eq "$1: state (xenstore has $(xenstore-read "device/$2/$3/state"))" \
		"$(cat "$dev/state")" "$4"
	check "$1: uevent carries MODALIAS=xen:$2" \
		grep -qx "MODALIAS=xen:$2" "$dev/uevent"
	expect_eq "$1: backend path" "$(xenstore-read "device/$2/$3/backend")" \
		"/local/domain/0/backend/$2/$domid/$3"
	if [ "$XPV_FLAVOUR" = xpv ]; then
		expect_eq "$1: otherend attribute" "$(cat "$dev/otherend")" \
			"/local/domain/0/backend/$2/$domid/$3"
	fi
}
# On the reference the in-tree frontends are bound and connected; on xpv no
# driver exists yet for them, and they stay as the toolstack made them.
if [ "$XPV_FLAVOUR" = xpv ]; then up=Initialising; else up=Connected; fi
device vif-0 vif 0 $up
device vbd-51712 vbd 51712 $up

# hotplug TYPE ID: dom0 attaches, the device appears; detaches, it goes.
hotplug() {
	step "attach-$1"
	check "xl attach: $1-$2 appears on the bus" wait_for 60 test -d "$B/$1-$2"
	step "detach-$1"
	check "xl detach: $1-$2 leaves the bus" wait_for 60 test ! -e "$B/$1-$2"
	check "dom0: detach of $1-$2 completed" wait_for 60 key_is done "detach-$1"
}
hotplug vif 1
hotplug vbd 51728

# txn_start: the bytes of XS_TRANSACTION_START (type 6, req_id 1, tx_id 0,
# payload one NUL), little-endian as the guest is.
txn_start() {
	printf '\006\000\000\000\001\000\000\000\000\000\000\000\001\000\000\000\000'
}
# txn_starts: a transaction starts on a new file (the reply's type is 06,
# not XS_ERROR's 10); the file is closed again.
txn_starts() {
	exec 3<>/dev/xen/xenbus
	txn_start >&3
	type=$(dd bs=4096 count=1 <&3 2>/dev/null | od -An -tx1 -N1 | tr -d ' ')
	exec 3<&-
	[ "$type" = 06 ]
}
# A file closed with a transaction open must end it: xenstored allows a
# connection 10 at once, so 12 left open would refuse every later one.
# (Linux's in-tree xenbus ends them from a work item: give it 10 s.)
i=0
while [ $i -lt 12 ] && txn_start >/dev/xen/xenbus; do i=$((i + 1)); done
expect_eq "12 files each started a transaction and closed" "$i" 12
check "... and a 13th starts: closing ended them" wait_for 10 txn_starts

[ "$XPV_FLAVOUR" = xpv ] || exit 0

# A tool killed with a watch registered: the watch goes with its file.
before=$(field watches)
xenstore-watch data/fromdom0 >/dev/null 2>&1 &
wpid=$!
wait_for 10 field_above watches "$before"
kill $wpid
wait $wpid 2>/dev/null
check "a killed xenstore-watch leaves no watch behind" \
	wait_for 10 field_is watches "$before"

# xenstored stopped (SIGSTOP in dom0 for 8 s): requests time out.
P=/sys/module/xpv_xenbus/parameters/timeout_ms
echo 2000 >$P
step stop-xenstored
check "dom0 is about to stop xenstored" wait_for 30 key_is stopping 1
sleep 2
t0=$(date +%s)
refused "xenstore-read fails while xenstored is stopped" xenstore-read name
t=$(($(date +%s) - t0))
check "... after the 2 s timeout, not a hang (${t} s)" [ $t -ge 1 -a $t -le 6 ]
expect_eq "the timeout is counted" "$(field timeouts)" 1
check "xenstore answers again once xenstored runs" \
	wait_for 60 xenstore-read name
echo 30000 >$P
expect_eq "the late reply was dropped, the connection is fine" \
	"$(field broken)" 0
refused "timeout_ms rejects 0" sh -c "echo 0 >$P"

# Reload: every device and watch comes back, nothing leaks.
devices=$(field devices)
watches=$(field watches)
echo "# devices $devices, watches $watches"
expect_eq "the bus holds the guest's 2 devices" "$devices" 2
fails=0
i=0
while [ $i -lt 20 ]; do
	rmmod xpv_xenbus || fails=$((fails + 1))
	[ -e /dev/xen/xenbus ] && fails=$((fails + 1))
	[ -e $B/vif-0 ] && fails=$((fails + 1))
	xpv_insmod xpv_xenbus || fails=$((fails + 1))
	wait_for 10 field_is devices "$devices" || fails=$((fails + 1))
	wait_for 10 field_is watches "$watches" || fails=$((fails + 1))
	[ "$(xenstore-read domid)" = "$domid" ] || fails=$((fails + 1))
	i=$((i + 1))
done
expect_eq "20 rmmod/insmod cycles of xpv_xenbus: devices, watches, xenstore back" \
	"$fails" 0
ports=$(tail -n +2 /sys/kernel/debug/xpv_evtchn/ports | grep -c .)
expect_eq "one event channel in use (xenstore's)" "$ports" 1
check "rmmod xpv_xenbus" rmmod xpv_xenbus
expect_eq "no port left after the unload" \
	"$(tail -n +2 /sys/kernel/debug/xpv_evtchn/ports | grep -c .)" 0
kmemleak_check "no leak after the xenbus reloads"
# Loaded again for the scenarios after this one, settled.
check "xpv_xenbus loads again" xpv_insmod xpv_xenbus
check "... with its devices and watches" wait_for 10 field_is watches "$watches"
