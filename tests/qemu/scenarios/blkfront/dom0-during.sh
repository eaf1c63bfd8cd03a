# dom0 side of the blkfront scenario: act on each new value of the guest's
# data/bf-step (see guest.sh), answer in data/, then write the step to
# data/bf-done; runs until the guest is gone. xvda is xpv-guest's loop disk.
. ../dom0-steps.sh
wait_domain || exit 1
img=/tmp/$DOMNAME-xvda.img
ro=/tmp/$DOMNAME-xvdb.img
cd=/tmp/$DOMNAME-xvdc.img

# put KEY VALUE: into the guest's data/ directory
put() { xenstore-write "$base/data/$1" "$2"; }

# loopdev FILE: the loop device backing FILE
loopdev() { losetup -a | grep " $1\$" | cut -d: -f1 | head -n 1; }

sum() { sha256sum <"$1" | cut -d' ' -f1; }

# attach VDEV ACCESS FILE: a disk of the guest on FILE's loop device
attach() {
	timeout 60 xl block-attach "$DOMNAME" \
		"format=raw,vdev=$1,access=$2,script=/etc/xen/scripts/block-xpv,target=$(loopdev "$3")"
}

# e2fsck of the guest's initramfs (the same Debian packages as dom0's).
fsck() {
	gi=/tmp/blkfront-gi
	if [ ! -x $gi/sbin/e2fsck ]; then
		mkdir -p $gi
		(cd $gi && zcat "/payload/guests/$FLAVOUR/initrd.gz" | cpio -id 2>/dev/null)
	fi
	LD_LIBRARY_PATH=$gi/lib/aarch64-linux-gnu:$gi/usr/lib/aarch64-linux-gnu \
		timeout 120 $gi/sbin/e2fsck -fn "$img"
}

# reload_blkback Q-O-P: xvda detached, blkback reloaded with max_queues Q,
# max_ring_page_order O and feature_persistent P, xvda attached again.
reload_blkback() {
	q=${1%%-*}
	p=${1##*-}
	o=${1#*-}
	o=${o%-*}
	timeout 60 xl block-detach "$DOMNAME" xvda &&
		modprobe -r xen-blkback &&
		modprobe xen-blkback max_queues="$q" max_ring_page_order="$o" \
			feature_persistent="$p" &&
		attach xvda rw "$img"
}

# The lying backend: a vbd (xvdd) whose backend is ours, under
# backend/xpvliar; xpv-gntpeer tells its lies on the ring.
lbe=/local/domain/0/backend/xpvliar/$domid/51760
lfe=$base/device/vbd/51760

# fake_vbd KEY VALUE...: our vbd xvdd, its backend (ours) with the common
# keys and these, in InitWait; the frontend then Initialised within 30 s.
fake_vbd() {
	xenstore-write "${lbe%/51760}" "" &&
		xenstore-chmod "${lbe%/51760}" n0 "r$domid" &&
		xenstore-write "$lbe/frontend" "$lfe" "$lbe/frontend-id" "$domid" \
			"$lbe/sectors" 2048 "$lbe/sector-size" 512 "$lbe/mode" w \
			"$lbe/state" 1 &&
		while [ $# -gt 1 ]; do
			xenstore-write "$lbe/$1" "$2" || return 1
			shift 2
		done &&
		xenstore-write "$lfe" "" && xenstore-chmod "$lfe" "n$domid" r0 &&
		xenstore-write "$lfe/backend" "$lbe" "$lfe/backend-id" 0 \
			"$lfe/virtual-device" 51760 "$lfe/device-type" disk \
			"$lfe/state" 1 &&
		xenstore-write "$lbe/state" 2 || return 1
	until_ok 30 state_is "$lfe" 3 || { echo "frontend not Initialised"; return 1; }
}

# liar KIND: the vbd created, InitWait, the frontend's ring lied to once
# it is Initialised and we are Connected; it must close the device. Its
# info says VDISK_REMOVABLE (2), which no loop device of dom0's is.
liar() {
	fake_vbd info 2 || return 1
	xpv-gntpeer lie "blkif-$1" "$domid" "$(xenstore-read "$lfe/ring-ref")" \
		"$(xenstore-read "$lfe/event-channel")" &
	gp=$!
	xenstore-write "$lbe/state" 4
	wait $gp || return 1
	liar_closes "$lfe" "$lbe"
}

# serve_attach WANT KEY VALUE...: a vbd (xvdd again) whose backend offers
# these keys, served by xpv-gntpeer, which answers every request and waits
# for the request WANT names. What blkback never offers here: discard-secure
# (only for a disk that can secure-erase, which no loop device can) and
# feature-barrier alone (it offers feature-flush-cache).
serve_attach() {
	want=$1
	shift
	fake_vbd info 0 "$@" || return 1
	xpv-gntpeer serve "$want" "$domid" "$(xenstore-read "$lfe/ring-ref")" \
		"$(xenstore-read "$lfe/event-channel")" >/tmp/serve.out 2>&1 &
	echo $! >/tmp/serve.pid
	xenstore-write "$lbe/state" 4
}

# The served vbd's wanted request checked, then an orderly close.
serve_detach() {
	wait "$(cat /tmp/serve.pid)"
	r=$?
	cat /tmp/serve.out
	xenstore-write "$lbe/state" 5
	until_ok 30 state_is "$lfe" 6 || { echo "frontend not Closed"; return 1; }
	xenstore-write "$lbe/state" 6
	xenstore-rm "$lfe"
	xenstore-rm "${lbe%/51760}"
	return $r
}

run_step() {
	case $1 in
	serve-secure-discard)
		serve_attach blkif-secure-discard feature-discard 1 \
			discard-secure 1 discard-granularity 65536 \
			discard-alignment 4096 ;;
	serve-barrier)
		serve_attach blkif-barrier feature-barrier 1 ;;
	serve-detach)
		serve_detach ;;
	liar-*)
		liar "${1#liar-}" ;;
	sum-*)
		put dom0-sum "$(sum "$img")" ;;
	fsck-*)
		fsck ;;
	du-*)
		put dom0-du "$(du -k "$img" | cut -f1)" ;;
	attach-ro)
		dd if=/dev/urandom of="$ro" bs=1M count=16 2>/dev/null &&
			losetup "$(losetup -f)" "$ro" &&
			put ro-sum "$(sum "$ro")" && attach xvdb ro "$ro" ;;
	detach-*)
		timeout 60 xl block-detach "$DOMNAME" "${1#detach-}" ;;
	free-ro)
		losetup -d "$(loopdev "$ro")" && rm -f "$ro" ;;
	attach-cdrom)
		# blkback marks a vbd the toolstack calls a cdrom VDISK_CDROM.
		dd if=/dev/urandom of="$cd" bs=1M count=4 2>/dev/null &&
			losetup "$(losetup -f)" "$cd" &&
			timeout 60 xl block-attach "$DOMNAME" \
			"format=raw,vdev=xvdc,access=ro,devtype=cdrom,script=/etc/xen/scripts/block-xpv,target=$(loopdev "$cd")" ;;
	free-cdrom)
		losetup -d "$(loopdev "$cd")" && rm -f "$cd" ;;
	grow)
		truncate -s 96M "$img" && losetup -c "$(loopdev "$img")" ;;
	attach-xvda)
		attach xvda rw "$img" ;;
	blkback-*)
		reload_blkback "${1#blkback-}" ;;
	*)
		false ;;
	esac
}

# do_step STEP: run_step, its verdict in data/bf-rc for the guest
do_step() {
	if run_step "$1"; then
		put bf-rc 0
	else
		put bf-rc 1
		return 1
	fi
}

run_steps blkfront bf-step bf-done
