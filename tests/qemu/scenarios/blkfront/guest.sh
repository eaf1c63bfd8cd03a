# The paravirtual disk against dom0's xen-blkback, on both flavours (xpv:
# xpv_blkfront; reference: Linux's xen-blkfront): xvda (64 MiB, a loop
# file in dom0) appears with its size; writes of 4k and 64k (indirect), 32
# in flight, O_DIRECT, read back and compared; the disk's SHA-256
# equals dom0's of the backing file; ext4 made, filled, checked by dom0's
# e2fsck -fn and read back; a read-only xvdb refuses writes and reads as
# dom0 wrote it; blkdiscard punches holes in the backing file; dom0 grows
# the file and the guest sees the new size; xl block-detach under I/O, a
# new attach with the data intact; the module unloaded with the disk
# present and reloaded, data intact; on xpv no grant or port left behind.
# dom0-during.sh does what the guest asks in data/step.
. ../lib.sh
G=/sys/kernel/debug/xpv_grant/status
E=/sys/kernel/debug/xpv_evtchn/ports
MiB=1048576

field() { sed -n "s/^$2: //p" "$1" 2>/dev/null; }
ports() { tail -n +2 $E | grep -c .; }
key_is() { [ "$(xenstore-read "data/$1" 2>/dev/null)" = "$2" ]; }
is_blk() { [ -b "$1" ]; }
no_blk() { [ ! -b "$1" ]; }
size_of() { blockdev --getsize64 "$1" 2>/dev/null; }
size_is() { [ "$(size_of "$1")" = "$2" ]; }
# region DEV MIB_OFFSET MIBS: SHA-256 of that part of DEV
region() {
	dd if="$1" bs=1M skip="$2" count="$3" iflag=direct 2>/dev/null |
		sha256sum | cut -d' ' -f1
}

# dom0 STEP: ask dom0-during.sh for STEP and wait until it is done.
dom0() {
	xenstore-write data/step "$1"
	wait_for 120 key_is done "$1"
}

# verify NAME BS OFFSET_MIB: 32 writers at once (32 requests in flight),
# each writing 512 KiB of random data with O_DIRECT in BS requests at a
# scattered place of the 16 MiB at OFFSET_MIB, then read back and compared
# by SHA-256. (Debian's fio needs Ceph, Gluster and PMEM libraries the
# harness does not extract: busybox dd does the job.)
verify() {
	dd if=/dev/urandom of=/tmp/src bs=1M count=16 2>/dev/null
	n=$((512 * 1024 / $(($2))))
	i=0
	while [ $i -lt 32 ]; do
		c=$(((i * 13) % 32))
		dd if=/tmp/src of=/dev/xvda bs="$2" count=$n \
			skip=$((c * n)) seek=$(($3 * 1024 * 1024 / $2 + c * n)) \
			oflag=direct conv=notrunc 2>/dev/null &
		i=$((i + 1))
	done
	wait
	expect_eq "$1: 16 MiB written in $2 requests, 32 in flight, read back" \
		"$(region /dev/xvda "$3" 16)" "$(sha256sum </tmp/src | cut -d' ' -f1)"
	rm -f /tmp/src
}

# bench NAME DD_ARGS...: a dd run, its throughput reported
bench() {
	n=$1
	shift
	if r=$(dd "$@" 2>&1 | sed -n 's/.*copied, //p') && [ -n "$r" ]; then
		ok "dd $n: $r"
		echo "# blkfront-dd $n $r"
	else
		not_ok "dd $n"
	fi
}

if [ "$XPV_FLAVOUR" = xpv ]; then
	for m in xpv_hypercall xpv_evtchn xpv_grant xpv_xenbus; do
		lsmod | grep -q "^$m " || xpv_insmod $m
	done
	# modprobe from MODALIAS uevents would undo the rmmods.
	echo >/proc/sys/kernel/hotplug
	refs0=$(field $G refs_in_use)
	ports0=$(ports)
	echo "# before: refs_in_use $refs0, ports $ports0"
	refused "max_queues=17 is refused" xpv_insmod xpv_blkfront max_queues=17
	refused "max_ring_page_order=5 is refused" \
		xpv_insmod xpv_blkfront max_ring_page_order=5
	check "xpv_blkfront loads" xpv_insmod xpv_blkfront
	load() { xpv_insmod xpv_blkfront; }
	unload() { rmmod xpv_blkfront; }
else
	lsmod | grep -q '^xen_blkfront ' || modprobe xen-blkfront
	load() { modprobe xen-blkfront; }
	unload() { modprobe -r xen-blkfront; }
fi

check "xvda appears as /dev/xvda" wait_for 30 is_blk /dev/xvda
if ! is_blk /dev/xvda; then
	dmesg | tail -n 20 | sed 's/^/# /'
	exit 1
fi
expect_eq "its size is 64 MiB" "$(size_of /dev/xvda)" $((64 * MiB))
expect_eq "major 202, minor 0" "$(cat /sys/block/xvda/dev)" 202:0
expect_eq "it is writable" "$(cat /sys/block/xvda/ro)" 0
[ "$XPV_FLAVOUR" = xpv ] &&
	sed 's/^/# /' /sys/kernel/debug/xpv_blkfront/xvda/features

verify 4k 4096 0
verify 64k 65536 16
[ "$XPV_FLAVOUR" = xpv ] &&
	check "64k requests went indirect" \
		[ "$(field /sys/kernel/debug/xpv_blkfront/xvda/counters indirect)" -gt 0 ]
[ "$XPV_FLAVOUR" = xpv ] &&
	sed 's/^/# /' /sys/kernel/debug/xpv_blkfront/xvda/counters

bench seq-read-1M if=/dev/xvda of=/dev/null bs=1M count=64 iflag=direct
bench seq-write-1M if=/dev/zero of=/dev/xvda bs=1M count=32 seek=32 oflag=direct
bench read-4k-qd1 if=/dev/xvda of=/dev/null bs=4k count=2048 iflag=direct

sync
sum=$(sha256sum </dev/xvda | cut -d' ' -f1)
check "dom0 hashes the backing file" dom0 sum-1
expect_eq "... its SHA-256 is the disk's" "$(xenstore-read data/dom0-sum)" "$sum"

# ext4, filled, checked by dom0, read back.
mkdir -p /mnt
check "mkfs.ext4 on xvda" mkfs.ext4 -F -q /dev/xvda
check "mount it" mount -t ext4 /dev/xvda /mnt
dd if=/dev/urandom of=/mnt/big bs=1M count=8 2>/dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do
	mkdir -p /mnt/d$i
	for j in 1 2 3 4 5; do echo "file $i $j" >/mnt/d$i/f$j; done
done
fsum=$(cat /mnt/big /mnt/d*/f* | sha256sum | cut -d' ' -f1)
sync
check "umount it" umount /mnt
check "dom0: e2fsck -fn of the backing file is clean" dom0 fsck-1
check "mount it again" mount -t ext4 -o ro /dev/xvda /mnt
expect_eq "... the files read back" \
	"$(cat /mnt/big /mnt/d*/f* | sha256sum | cut -d' ' -f1)" "$fsum"
umount /mnt

# Discard: the backing file loses its blocks.
check "dom0 measures the backing file" dom0 du-1
du1=$(xenstore-read data/dom0-du)
check "discard is offered ($(cat /sys/block/xvda/queue/discard_max_bytes) bytes max)" \
	[ "$(cat /sys/block/xvda/queue/discard_max_bytes)" -gt 0 ]
check "blkdiscard of the whole disk" blkdiscard /dev/xvda
check "dom0 measures it again" dom0 du-2
du2=$(xenstore-read data/dom0-du)
check "the backing file shrank from $du1 KiB to $du2 KiB" \
	[ "$du2" -lt $((du1 / 4)) ]

# A read-only disk.
check "dom0 attaches a read-only xvdb" dom0 attach-ro
check "xvdb appears" wait_for 30 is_blk /dev/xvdb
expect_eq "it is read-only" "$(cat /sys/block/xvdb/ro 2>/dev/null)" 1
refused "a write to it fails" \
	dd if=/dev/zero of=/dev/xvdb bs=4k count=1 oflag=direct 2>/dev/null
expect_eq "it reads as dom0 wrote it" \
	"$(sha256sum </dev/xvdb | cut -d' ' -f1)" "$(xenstore-read data/ro-sum)"
check "dom0 detaches it" dom0 detach-xvdb
check "xvdb goes away" wait_for 30 no_blk /dev/xvdb
dom0 free-ro

# Online resize: dom0 grows the file; blkback notices on the next request.
check "dom0 grows the backing file to 96 MiB" dom0 grow
grown() {
	dd if=/dev/xvda of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null
	size_is /dev/xvda $((96 * MiB))
}
check "the guest sees 96 MiB" wait_for 30 grown

# Known data past the region overwritten next.
dd if=/dev/urandom of=/tmp/known bs=1M count=8 2>/dev/null
dd if=/tmp/known of=/dev/xvda bs=1M seek=80 oflag=direct 2>/dev/null
known=$(sha256sum </tmp/known | cut -d' ' -f1)
expect_eq "8 MiB written at 80 MiB read back" "$(region /dev/xvda 80 8)" "$known"

# xl block-detach under I/O, then a new attach.
# xl block-detach under I/O (writers in a loop), then a new attach.
load_io() {
	while dd if=/dev/zero of=/dev/xvda bs=16k count=2048 oflag=direct 2>/dev/null &&
		dd if=/dev/xvda of=/dev/null bs=64k count=512 iflag=direct 2>/dev/null; do
		:
	done
	return 1
}
load_io &
fiopid=$!
sleep 3
check "dom0 detaches xvda with I/O running" dom0 detach-xvda
check "xvda goes away" wait_for 30 no_blk /dev/xvda
fio_gone() { ! kill -0 $fiopid 2>/dev/null; }
check "the I/O ends with errors, no hang" wait_for 60 fio_gone
wait $fiopid
fiorc=$?
check "... the writer saw the failure (exit $fiorc)" [ $fiorc -ne 0 ]
[ "$XPV_FLAVOUR" = xpv ] &&
	expect_eq "no grant left after the detach" "$(field $G refs_in_use)" "$refs0"
[ "$XPV_FLAVOUR" = xpv ] &&
	expect_eq "no port left after the detach" "$(ports)" "$ports0"
check "dom0 attaches it again" dom0 attach-xvda
check "xvda is back" wait_for 30 is_blk /dev/xvda
expect_eq "... with 96 MiB" "$(size_of /dev/xvda)" $((96 * MiB))
expect_eq "... and the data at 80 MiB" "$(region /dev/xvda 80 8)" "$known"
verify 4k-again 4096 0

# Unloaded with the disk present, loaded again.
check "the module unloads with xvda present" unload
check "xvda is gone" no_blk /dev/xvda
if [ "$XPV_FLAVOUR" = xpv ]; then
	expect_eq "no grant left after rmmod" "$(field $G refs_in_use)" "$refs0"
	expect_eq "no port left after rmmod" "$(ports)" "$ports0"
fi
check "the module loads again" load
check "xvda is back" wait_for 30 is_blk /dev/xvda
expect_eq "... with the data at 80 MiB" "$(region /dev/xvda 80 8)" "$known"
kmemleak_check "no leak"
