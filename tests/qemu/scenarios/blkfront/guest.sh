# The paravirtual disk against dom0's xen-blkback, on both flavours (xpv:
# xpv_blkfront; reference: Linux's xen-blkfront): xvda (64 MiB, a loop
# file in dom0) appears with its size and block sizes; an MBR partition
# appears as xvda1 (202:1); fio random writes of 4k to 256k (indirect), 32
# in flight, direct I/O, read back and checked by crc32c; fio figures for
# seq 1M and rand 4k; the disk's SHA-256 equals dom0's of the backing
# file; ext4 made, filled, checked by dom0's e2fsck -fn and read back; a
# read-only xvdb refuses writes and reads as dom0 wrote it; (xpv) a cdrom
# xvdc is reported as one; blkdiscard punches holes in the backing file;
# dom0 grows the file and the guest sees the new size; xl block-detach under fio, a new attach with the data
# intact; the module unloaded with the disk present and reloaded (on the
# reference only if it can), data intact; four combinations of what
# blkback offers (queues, ring order, persistent grants), each negotiated
# right and verified; on xpv three lying backends (bad id, wrong
# operation, duplicate response; the disk removable) each get their disk
# shut down, and no grant or port is left behind; and a backend dom0 plays
# that offers secure discard (with a 64 KiB granularity, 4 KiB alignment)
# receives one from blkdiscard -s, and one that offers only write barriers
# receives one from a write and fsync.
# dom0-during.sh does what the guest asks in data/bf-step.
. ../lib.sh
G=/sys/kernel/debug/xpv_grant/status
E=/sys/kernel/debug/xpv_evtchn/ports
MiB=1048576

field() { sed -n "s/^$2: //p" "$1" 2>/dev/null; }
ports() { tail -n +2 $E | grep -c .; }
is_blk() { [ -b "$1" ]; }
# has_debugfs NAME: xpv_blkfront's debugfs files of disk NAME are there
# (made just after the disk itself: wait for both before reading them)
has_debugfs() { [ -e "/sys/kernel/debug/xpv_blkfront/$1/features" ]; }
no_blk() { [ ! -b "$1" ]; }
# Grants the backend still maps are ended a little later (xpv_grant
# defers them): back to the baseline within a bound, not at once.
refs_back() { [ "$(field $G refs_in_use)" = "$refs0" ]; }
size_of() { blockdev --getsize64 "$1" 2>/dev/null; }
size_is() { [ "$(size_of "$1")" = "$2" ]; }
# region DEV MIB_OFFSET MIBS: SHA-256 of that part of DEV
region() {
	dd if="$1" bs=1M skip="$2" count="$3" iflag=direct 2>/dev/null |
		sha256sum | cut -d' ' -f1
}

# dom0 STEP: ask dom0-during.sh for STEP, wait until it is done; its verdict.
dom0() { ask_dom0 bf-step bf-done 120 "$1" && key_is bf-rc 0; }

# fio_on NAME ARGS...: fio on /dev/xvda, direct I/O through libaio; its
# terse (v3) line in $fio_out, the whole output in /tmp/fio-NAME. Threads,
# not processes: the guest kernel has no System V IPC for fio's shm.
fio_on() {
	n=$1
	shift
	fio --name="$n" --filename=/dev/xvda --ioengine=libaio --direct=1 --thread \
		--output-format=terse --terse-version=3 "$@" >/tmp/fio-"$n" 2>&1
	r=$?
	fio_out=$(grep '^3;' /tmp/fio-"$n" | tail -n 1)
	[ $r -eq 0 ] || sed 's/^/# /' /tmp/fio-"$n" | tail -n 5
	return $r
}

# verify NAME SIZE_MIB OFFSET_MIB: random writes of 4 KiB to 256 KiB (above
# 44 KiB a request is indirect), 32 in flight, then every block read back
# and its crc32c checked.
verify() {
	check "fio $1: $2 MiB of random writes (4k-256k, qd32), crc32c verified" \
		fio_on "$1" --rw=randwrite --bssplit=4k/30:16k/20:64k/30:256k/20 \
		--iodepth=32 --offset="$3"M --size="$2"M --verify=crc32c \
		--verify_fatal=1
}

# bench NAME FIO_ARGS...: a 5 s fio run, its bandwidth and IOPS reported
# as "# blkfront-fio NAME KiB/s IOPS" (read or write, whichever moved).
bench() {
	n=$1
	shift
	if fio_on "$n" --time_based --runtime=5 --size=32M "$@"; then
		set -- $(echo "$fio_out" | awk -F';' \
			'{ if ($7 > 0) print $7, $8; else print $48, $49 }')
		ok "fio $n: $1 KiB/s, $2 IOPS"
		echo "# blkfront-fio $n $1 $2"
	else
		not_ok "fio $n"
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
	load() { xpv_insmod xpv_blkfront "$@"; }
	unload() { rmmod xpv_blkfront; }
else
	lsmod | grep -q '^xen_blkfront ' || modprobe xen-blkfront
	load() { modprobe xen-blkfront "$@"; }
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
expect_eq "512-byte logical blocks" \
	"$(cat /sys/block/xvda/queue/logical_block_size)" 512
expect_eq "512-byte physical blocks" \
	"$(cat /sys/block/xvda/queue/physical_block_size)" 512
[ "$XPV_FLAVOUR" = xpv ] &&
	sed 's/^/# /' /sys/kernel/debug/xpv_blkfront/xvda/features
echo "# the toolstack's trusted key: $(xenstore-read device/vbd/51712/trusted 2>/dev/null || echo none)"

# Partitions: an MBR with one Linux partition of 16 MiB at sector 2048.
mbr() {
	{
		dd if=/dev/zero bs=446 count=1
		# entry 1: type 0x83, LBA 2048, 32768 sectors; then 0x55 0xaa
		echo AAAAAIMAAAAACAAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAFWq |
			base64 -d
	} 2>/dev/null
}
is_part() { [ -b /dev/xvda1 ]; }
no_part() { [ ! -b /dev/xvda1 ]; }
mbr >/tmp/mbr
expect_eq "the MBR is 512 bytes" "$(wc -c </tmp/mbr)" 512
dd if=/tmp/mbr of=/dev/xvda bs=512 count=1 conv=notrunc 2>/dev/null
check "the kernel reads a partition table" blockdev --rereadpt /dev/xvda
check "xvda1 appears" wait_for 10 is_part
expect_eq "... as 202:1" "$(cat /sys/block/xvda/xvda1/dev 2>/dev/null)" 202:1
expect_eq "... of 16 MiB" "$(size_of /dev/xvda1)" $((16 * MiB))
dd if=/dev/urandom of=/tmp/part bs=1M count=1 2>/dev/null
dd if=/tmp/part of=/dev/xvda1 bs=1M seek=15 oflag=direct 2>/dev/null
expect_eq "its last MiB is the disk's MiB at 16 MiB" "$(region /dev/xvda 16 1)" \
	"$(sha256sum </tmp/part | cut -d' ' -f1)"
dd if=/dev/zero of=/dev/xvda bs=512 count=1 oflag=direct 2>/dev/null
blockdev --rereadpt /dev/xvda
check "without the table, xvda1 goes away" wait_for 10 no_part

verify mixed 32 0
[ "$XPV_FLAVOUR" = xpv ] &&
	check "64k requests went indirect" \
		[ "$(field /sys/kernel/debug/xpv_blkfront/xvda/counters indirect)" -gt 0 ]
[ "$XPV_FLAVOUR" = xpv ] &&
	sed 's/^/# /' /sys/kernel/debug/xpv_blkfront/xvda/counters

bench seq-read-1M-qd32 --rw=read --bs=1M --iodepth=32
bench seq-write-1M-qd32 --rw=write --bs=1M --iodepth=32 --offset=32M
bench rand-read-4k-qd1 --rw=randread --bs=4k --iodepth=1
bench rand-read-4k-qd32 --rw=randread --bs=4k --iodepth=32
bench rand-write-4k-qd1 --rw=randwrite --bs=4k --iodepth=1 --offset=32M
bench rand-write-4k-qd32 --rw=randwrite --bs=4k --iodepth=32 --offset=32M

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
# blkback offers feature-flush-cache: a write-back cache whose flushes
# (ext4's journal commits, sync) reach it.
expect_eq "xvda has a write-back cache" \
	"$(cat /sys/block/xvda/queue/write_cache)" "write back"
C=/sys/kernel/debug/xpv_blkfront/xvda/counters
[ "$XPV_FLAVOUR" = xpv ] && flush0=$(field $C flushes)
sync
[ "$XPV_FLAVOUR" = xpv ] && check "... flushes reach the backend (flush-cache)" \
	[ "$(field /sys/kernel/debug/xpv_blkfront/xvda/features flush)" = flush-cache ] &&
	[ "$(field $C flushes)" -gt "$flush0" ] && [ "$(field $C errors)" = 0 ]
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

# A vbd the toolstack calls a cdrom: blkback's info has VDISK_CDROM. xpv
# only: Linux's xen-blkfront refuses cdroms in HVM-type guests, which ARM
# guests are, and the backend then never closes (xl block-detach fails).
if [ "$XPV_FLAVOUR" = xpv ]; then
	check "dom0 attaches a cdrom xvdc" dom0 attach-cdrom
	check "xvdc appears" wait_for 30 is_blk /dev/xvdc
	wait_for 10 has_debugfs xvdc
	expect_eq "... read-only" "$(cat /sys/block/xvdc/ro 2>/dev/null)" 1
	expect_eq "... reported as a cdrom" \
		"$(field /sys/kernel/debug/xpv_blkfront/xvdc/features cdrom)" 1
	check "... and in the kernel log" sh -c "dmesg | grep -q 'xvdc:.*cdrom'"
	check "dom0 detaches xvdc" dom0 detach-xvdc
	check "xvdc goes away" wait_for 30 no_blk /dev/xvdc
	dom0 free-cdrom
fi

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

# xl block-detach with fio running (32 in flight), then a new attach.
fio_on detach --rw=randrw --bs=64k --iodepth=32 --time_based --runtime=600 \
	--size=64M &
fiopid=$!
sleep 3
check "dom0 detaches xvda with I/O running" dom0 detach-xvda
check "xvda goes away" wait_for 30 no_blk /dev/xvda
fio_gone() { ! kill -0 $fiopid 2>/dev/null; }
check "the I/O ends with errors, no hang" wait_for 60 fio_gone
wait $fiopid
fiorc=$?
check "... fio saw the failure (exit $fiorc)" [ $fiorc -ne 0 ]
[ "$XPV_FLAVOUR" = xpv ] &&
	check "no grant left after the detach" wait_for 10 refs_back
[ "$XPV_FLAVOUR" = xpv ] &&
	expect_eq "no port left after the detach" "$(ports)" "$ports0"
check "dom0 attaches it again" dom0 attach-xvda
check "xvda is back" wait_for 30 is_blk /dev/xvda
expect_eq "... with 96 MiB" "$(size_of /dev/xvda)" $((96 * MiB))
expect_eq "... and the data at 80 MiB" "$(region /dev/xvda 80 8)" "$known"
verify again 16 0

# Unloaded with the disk present, loaded again. Linux's xen-blkfront stays
# in use after the detach under I/O above: that is noted, not tested.
unloaded=
if [ "$XPV_FLAVOUR" = xpv ]; then
	check "the module unloads with xvda present" wait_for 10 unload &&
		unloaded=1
elif wait_for 10 unload; then
	ok "the module unloads with xvda present"
	unloaded=1
else
	echo "# reference: xen-blkfront not unloadable (refcnt $(cat /sys/module/xen_blkfront/refcnt))"
fi
if [ -n "$unloaded" ]; then
	check "xvda is gone" no_blk /dev/xvda
	if [ "$XPV_FLAVOUR" = xpv ]; then
		check "no grant left after rmmod" wait_for 10 refs_back
		expect_eq "no port left after rmmod" "$(ports)" "$ports0"
	fi
	check "the module loads again, asking for rings of 8 pages" \
		load max_ring_page_order=3
	check "xvda is back" wait_for 30 is_blk /dev/xvda
	expect_eq "... with the data at 80 MiB" "$(region /dev/xvda 80 8)" "$known"
fi

# What dom0's blkback offers, each combination of max_queues (the guest
# has 2 CPUs), max_ring_page_order (we ask for 3) and feature_persistent:
# dom0 detaches xvda, reloads blkback with them and attaches xvda again.
hwqs() { ls /sys/block/xvda/mq | grep -c .; }
feat() { field /sys/kernel/debug/xpv_blkfront/xvda/features "$1"; }
for c in 1-0-0 2-4-1 2-1-0 1-2-1; do
	q=${c%%-*}
	p=${c##*-}
	o=${c#*-}
	o=${o%-*}
	want_pages=$((1 << (o < 3 ? o : 3)))
	check "dom0 offers $q queue(s), ring order $o, persistent $p" \
		dom0 blkback-$c
	check "... xvda is back" wait_for 30 is_blk /dev/xvda
	expect_eq "... on $q hardware queue(s)" "$(hwqs)" "$q"
	if [ "$XPV_FLAVOUR" = xpv ]; then
		expect_eq "... $q ring(s)" "$(feat queues)" "$q"
		expect_eq "... of $want_pages page(s)" "$(feat ring_pages)" \
			"$want_pages"
		expect_eq "... persistent grants $p" "$(feat persistent)" "$p"
	fi
	verify "combo-$c" 8 0
done
expect_eq "... with the data at 80 MiB" "$(region /dev/xvda 80 8)" "$known"

# Backends that lie: dom0-during.sh plays one, with xpv-gntpeer, for a vbd
# of its own (xvdd) and lies about the first request (the partition
# scan's): a response with an id out of range, one with the wrong
# operation, a second response to it. Each time the device is shut down
# with a clear error, its requests fail (the scan does not hang), and
# nothing is left behind.
lies() { dmesg | grep -c 'backend broke the blkif protocol'; }
# lied N PATTERN: a new lie reported, the last matching PATTERN
lied() {
	[ "$(lies)" -gt "$1" ] &&
		dmesg | grep 'backend broke the blkif protocol' | tail -n 1 |
		grep -qE "$2"
}
refs_are() { [ "$(field $G refs_in_use)" = "$1" ]; }
# xvdd_gone: dom0's own xvdd goes away and leaves no grant or port behind.
xvdd_gone() {
	check "... xvdd is gone" wait_for 30 no_blk /dev/xvdd
	check "... no grant left" wait_for 10 refs_are "$refs1"
	expect_eq "... no port left" "$(ports)" "$ports1"
}
if [ "$XPV_FLAVOUR" = xpv ]; then
	refs1=$(field $G refs_in_use)
	ports1=$(ports)
	for l in "bad-id:an id out of range" \
		"wrong-op:the wrong operation" \
		"duplicate:an id not in flight|more responses than requests"; do
		n=$(lies)
		check "a lying backend (${l%%:*}): the frontend closes xvdd" \
			dom0 "liar-${l%%:*}"
		check "... reporting: ${l#*:}" wait_for 10 lied "$n" "${l#*:}"
		[ "${l%%:*}" = bad-id ] && check "... it was added as removable" \
			sh -c "dmesg | grep -q 'xvdd: .*, removable'"
		xvdd_gone
	done
	verify after-liars 8 0
	# Secure discard, against a backend that offers it (dom0-during.sh).
	check "dom0 serves an xvdd offering secure discard" \
		dom0 serve-secure-discard
	check "... xvdd appears" wait_for 30 is_blk /dev/xvdd
	wait_for 10 has_debugfs xvdd
	expect_eq "... secure discard negotiated" \
		"$(field /sys/kernel/debug/xpv_blkfront/xvdd/features secure_discard)" 1
	expect_eq "... the backend's discard granularity (64 KiB)" \
		"$(cat /sys/block/xvdd/queue/discard_granularity 2>/dev/null)" 65536
	# 6.1's /sys/block/*/discard_alignment shows the alignment offset.
	expect_eq "... and alignment (4 KiB)" \
		"$(field /sys/kernel/debug/xpv_blkfront/xvdd/features discard_alignment)" 4096
	check "blkdiscard -s of 1 MiB of xvdd" blkdiscard -s -o 0 -l 1048576 /dev/xvdd
	check "dom0: the secure discard reached the backend" dom0 serve-detach
	xvdd_gone
	# A backend with write barriers and no cache flush (dom0-during.sh):
	# flushes go as BLKIF_OP_WRITE_BARRIER.
	check "dom0 serves an xvdd offering only write barriers" \
		dom0 serve-barrier
	check "... xvdd appears" wait_for 30 is_blk /dev/xvdd
	wait_for 10 has_debugfs xvdd
	expect_eq "... flushes go as barriers" \
		"$(field /sys/kernel/debug/xpv_blkfront/xvdd/features flush)" barrier
	expect_eq "... it has a write-back cache" \
		"$(cat /sys/block/xvdd/queue/write_cache 2>/dev/null)" "write back"
	check "a write to xvdd, then fsync" dd if=/dev/zero of=/dev/xvdd bs=4k \
		count=1 oflag=direct conv=fsync
	check "dom0: the barrier reached the backend" dom0 serve-detach
	xvdd_gone
fi

kmemleak_check "no leak"
