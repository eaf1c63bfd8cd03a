# dom0 side of the xenbus scenario: echo the guest's data/fromguest, and act
# on each new value of the guest's data/step: write its data/fromdom0, attach
# and detach a NIC and a disk, stop xenstored for 8 s. Runs until the guest
# is gone.
. ../dom0-steps.sh
wait_domain || exit 1
echo "$domid" >"$RESULTS/xenbus.domid"
img=/tmp/$DOMNAME-xvdb.img
acked=

do_step() {
	case $1 in
	watch)
		xenstore-write "$base/data/fromdom0" from-dom0 ;;
	attach-vif)
		xl network-attach "$DOMNAME" bridge=xenbr0 \
			mac=00:16:3e:78:70:02 script=/etc/xen/scripts/vif-xpv ;;
	detach-vif)
		xl network-detach "$DOMNAME" 1 ;;
	attach-vbd)
		dd if=/dev/zero of="$img" bs=1M count=0 seek=16 2>/dev/null
		loop=$(losetup -f)
		losetup "$loop" "$img"
		xl block-attach "$DOMNAME" \
			"format=raw,vdev=xvdb,access=rw,script=/etc/xen/scripts/block-xpv,target=$loop" ;;
	detach-vbd)
		xl block-detach "$DOMNAME" xvdb && losetup -d "$loop" ;;
	stop-xenstored)
		pid=$(cat /var/run/xenstored.pid)
		xenstore-write "$base/data/stopping" 1
		sleep 1
		kill -STOP "$pid"
		sleep 8
		kill -CONT "$pid" ;;
	*)
		false ;;
	esac
}

while xl domid "$DOMNAME" >/dev/null 2>&1; do
	v=$(xenstore-read "$base/data/fromguest" 2>/dev/null)
	if [ -n "$v" ] && [ "$v" != "$acked" ]; then
		xenstore-write "$base/data/ack-fromguest" "$v"
		acked=$v
		echo "ok - dom0: read the guest's write ($v)"
	fi
	poll_step xenbus step done
	sleep 0.2
done
rm -f "$img"
