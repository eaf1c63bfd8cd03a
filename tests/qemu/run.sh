#!/bin/bash
# The xpv QEMU/Xen integration harness.
#
# Usage: tests/qemu/run.sh [--flavour F]... [--interactive] [--timeout S]
#                          [--rounds N] [--out DIR] [SCENARIO...]
#   F: xpv (our guest kernel without CONFIG_XEN, xpv modules), reference (the
#      Debian cloud kernel with Linux's in-tree Xen frontends), noxen (our
#      guest kernel on plain QEMU, no Xen). Default: every flavour some
#      selected scenario runs on. badreg, badirq, badcompat: noxen with a
#      malformed /hypervisor node from dt/<flavour>.dtsi in the device tree. SCENARIO: a directory under scenarios/;
#      default: all in scenarios/order.
#   --interactive  leave the user at the xpv guest's shell (needs a terminal)
#   --timeout S    kill QEMU after S seconds (default 1800)
#   --rounds N     boot the Xen flavours' guests side by side, with
#                  xpv.rounds=N on their command line (make bench: the bench
#                  scenario takes turns, A B A B ..., N rounds)
#   --out DIR      where the run's files go (default tests/qemu/out)
# Env: XPV_KERNEL=normal|debug (guest kernel flavour), XPV_CACHE.
#
# One QEMU boots Xen, dom0 (the Debian cloud kernel with netback/blkback and
# the Xen tools) and one guest per flavour in turn (with --rounds, side by
# side); each guest runs the
# guest.sh of its scenarios, dom0 runs their dom0-{pre,during,post}.sh. The
# verdict travels apart from the console: guest output lines are prefixed
# "XPVT <scenario>", and dom0 returns every log in a tar on a second virtio
# disk. Prints one TAP line per test, "N passed, N failed", exits 1 on any
# failure, including a panic/oops/BUG/WARNING/KASAN/lockdep report in a log.
# Logs stay in tests/qemu/out/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
cache=${XPV_CACHE:-$HOME/.cache/xpv}
out=$here/out
flavours=()
interactive=
timeout=1800
rounds=
scenarios=()
while [ $# -gt 0 ]; do
	case $1 in
	--flavour) flavours+=("$2"); shift 2 ;;
	--interactive) interactive=1; shift ;;
	--timeout) timeout=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--out) out=$(realpath -m "$2"); shift 2 ;;
	-h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) scenarios+=("$1"); shift ;;
	esac
done
[[ -z $rounds || $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds takes a whole number from 1"
[ ${#scenarios[@]} -gt 0 ] || mapfile -t scenarios < <(grep -v '^#' "$here/scenarios/order")
for s in "${scenarios[@]}"; do
	[ -f "$here/scenarios/$s/guest.sh" ] || die "no scenario '$s' (scenarios/$s/guest.sh)"
done

# flavours_of SCENARIO: the flavours it runs on (scenarios/S/flavours).
flavours_of() {
	if [ -f "$here/scenarios/$1/flavours" ]; then
		cat "$here/scenarios/$1/flavours"
	else
		echo xpv
	fi
}
# scenarios_for FLAVOUR: the selected scenarios running on it, in order.
scenarios_for() {
	local s
	for s in "${scenarios[@]}"; do
		flavours_of "$s" | grep -qw "$1" && echo "$s"
	done
	return 0
}
if [ ${#flavours[@]} -eq 0 ]; then
	for f in xpv reference noxen badreg badirq badcompat; do
		[ -n "$(scenarios_for $f)" ] && flavours+=("$f")
	done
fi
for f in "${flavours[@]}"; do
	case $f in xpv|reference|noxen|badreg|badirq|badcompat) ;; *) die "unknown flavour '$f'" ;; esac
done

xen_flavours=()
for f in "${flavours[@]}"; do
	case $f in xpv|reference) xen_flavours+=("$f") ;; esac
done

# --- build what the run needs -------------------------------------------------
kdir=$("$top/tests/kernel/build.sh")
make -s -C "$top" KDIR="$kdir" modules >/dev/null
root=$("$here/assemble.sh")
cloud=$(cat "$root/.xpv-cloud")
kver=${cloud#linux-image-}

gntpeer=$("$top/tests/tools/build.sh")

# The dom0 initramfs depends only on the packages, dom0/ and the tools
# (their paths hold the hash of their sources): cached.
dom0_key=$( { echo "$root"; echo "$gntpeer"; hash_of "$here/lib.sh" "$here"/dom0/*; } | sha256sum | cut -c1-16)
dom0_initrd=$cache/qemu/dom0-$dom0_key.cpio.gz
if [ ! -f "$dom0_initrd" ]; then
	echo "xpv-qemu: building the dom0 initramfs" >&2
	d=$(mktemp -d)
	skeleton "$d"
	copy_elf "$root" "$d" bin/busybox usr/lib/xen-4.17/bin/xl \
		usr/lib/xen-4.17/bin/xenstored usr/lib/xen-4.17/bin/xenconsoled \
		usr/lib/xen-4.17/bin/xen-init-dom0 usr/lib/xen-4.17/bin/xenconsole \
		usr/bin/xenstore-read usr/bin/xenstore-write usr/bin/xenstore-ls \
		usr/bin/xenstore-rm usr/bin/xenstore-list usr/bin/xenstore-exists \
		usr/bin/xenstore-watch usr/bin/xenstore-chmod usr/bin/xenstore \
		usr/bin/iperf3 usr/bin/fio usr/bin/sockperf \
		lib/aarch64-linux-gnu/libgcc_s.so.1
	copy_modules "$root" "$kver" "$d" virtio_mmio virtio_blk xen-privcmd \
		xenfs xen-evtchn xen-gntdev xen-gntalloc xen-netback xen-blkback \
		loop bridge
	mkdir -p "$d/etc/xen/scripts" "$d/usr/lib/xen-4.17/boot" "$d/var/lib/xen"
	# xl dlopen()s libgcc_s (above) and wants a config file, even empty.
	: >"$d/etc/xen/xl.conf"
	install -m 755 "$here/dom0/init" "$d/init"
	install -m 755 "$here/dom0/vif-xpv" "$here/dom0/block-xpv" "$d/etc/xen/scripts/"
	install -m 755 "$here/dom0/xpv-guest" "$here/dom0/xpv-losetup" "$d/usr/bin/"
	install -m 755 "$gntpeer" "$d/usr/bin/xpv-gntpeer"
	cpio_gz "$d" "$dom0_initrd"
	rm -rf "$d"
	size=$(stat -c %s "$dom0_initrd")
	# QEMU's DTB sits at 0x48000000; the initrd loads at 0x44000000.
	[ "$size" -lt $((60 << 20)) ] ||
		{ rm -f "$dom0_initrd"; die "dom0 initramfs is $size bytes (limit 60 MiB)"; }
fi

# The run starts from an empty OUT: one of ours (it has our payload.tar),
# or a new or empty directory, never anything else.
if [ -n "$(ls -A "$out" 2>/dev/null)" ] && [ ! -e "$out/payload.tar" ] &&
	[ ! -d "$out/payload" ]; then
	die "--out $out: not empty and not a harness output; not removing it"
fi
rm -rf "$out"
mkdir -p "$out/payload/guests" "$out/payload/scenarios"
# What the scenarios' dom0 scripts share.
cp "$here/scenarios/dom0-steps.sh" "$out/payload/scenarios/"

# guest_initrd FLAVOUR DIR: the guest initramfs of FLAVOUR into DIR/initrd.gz.
guest_initrd() {
	local f=$1 d s ko
	d=$(mktemp -d)
	skeleton "$d"
	copy_elf "$root" "$d" bin/busybox
	install -m 755 "$here/guest/init" "$d/init"
	mkdir -p "$d/etc/xpv" "$d/scenarios" "$d/lib/modules/xpv"
	echo "$f" >"$d/etc/xpv/flavour"
	scenarios_for "$f" >"$d/etc/xpv/scenarios"
	for s in $(scenarios_for "$f"); do
		cp -a "$here/scenarios/$s" "$d/scenarios/"
		[ -f "$here/scenarios/$s/tools" ] &&
			copy_elf "$root" "$d" $(grep -v '^#' "$here/scenarios/$s/tools")
	done
	cp -a "$here/guest/lib.sh" "$d/scenarios/lib.sh"
	if [ "$f" = reference ]; then
		copy_modules "$root" "$kver" "$d" xen-netfront xen-blkfront
	else
		# Installed as extra modules of the guest kernel (modules.dep,
		# modules.alias: modprobe autoloads from MODALIAS uevents);
		# /lib/modules/xpv names the same directory for insmod.
		local rel
		rel=$(cat "$kdir/include/config/kernel.release")
		rmdir "$d/lib/modules/xpv"
		mkdir -p "$d/lib/modules/$rel/extra"
		ln -s "$rel/extra" "$d/lib/modules/xpv"
		while IFS= read -r ko; do
			cp "$ko" "$d/lib/modules/$rel/extra/"
		done < <(find "$top" -path "$top/.git" -prune -o -name '*.ko' -print)
		depmod -b "$d" "$rel" || die "depmod failed on the xpv modules"
	fi
	cpio_gz "$d" "$2/initrd.gz"
	rm -rf "$d"
}

mem=256
[ "${XPV_KERNEL:-normal}" = debug ] && mem=512
for f in "${xen_flavours[@]}"; do
	g=$out/payload/guests/$f
	mkdir -p "$g"
	guest_initrd "$f" "$g"
	scenarios_for "$f" >"$g/scenarios"
	echo "$mem" >"$g/memory"
	if [ "$f" = xpv ]; then
		cp "$kdir/arch/arm64/boot/Image" "$g/kernel"
		echo 'vuart = "sbsa_uart"' >"$g/xl.cfg"
		echo "console=ttyAMA0 rdinit=/init xpv.budget=$((timeout / 2 - 30)) ${interactive:+xpv.interactive} ${rounds:+xpv.rounds=$rounds}" >"$g/cmdline"
	else
		cp "$root/boot/vmlinuz-$kver" "$g/kernel"
		: >"$g/xl.cfg"
		echo "console=hvc0 rdinit=/init xpv.budget=$((timeout / 2 - 30)) ${rounds:+xpv.rounds=$rounds}" >"$g/cmdline"
	fi
	for s in $(scenarios_for "$f"); do
		cp -a "$here/scenarios/$s" "$out/payload/scenarios/"
	done
done

{
	echo "export GUEST_TIMEOUT=$((timeout / 2))"
	[ -n "$interactive" ] && echo "export INTERACTIVE=1"
	if [ -n "$rounds" ]; then
		# Not a bare wait: dom0's init has a job of its own.
		for f in "${xen_flavours[@]}"; do echo "xpv-guest $f & guests=\"\$guests \$!\""; done
		echo "wait \$guests"
	else
		for f in "${xen_flavours[@]}"; do echo "xpv-guest $f"; done
	fi
} >"$out/payload/plan.sh"

# --- run ------------------------------------------------------------------------
qemu_xen() {
	local serial=(-serial "file:$out/serial.log" -monitor none) in=/dev/null
	# Interactive: the Xen console (dom0, then xl console) on this terminal.
	[ -n "$interactive" ] && serial=(-serial mon:stdio) in=/dev/tty
	tar -cf "$out/payload.tar" -C "$out/payload" .
	truncate -s 64M "$out/results.img"
	timeout --foreground "$timeout" qemu-system-aarch64 \
		-machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 \
		-smp 2 -m 4096 -display none -no-reboot -nic none \
		"${serial[@]}" \
		-kernel "$root/boot/xen-4.17-arm64" \
		-append "dom0_mem=768M dom0_max_vcpus=1 bootscrub=0 loglvl=all guest_loglvl=all" \
		-device guest-loader,addr=0x42000000,kernel="$root/boot/vmlinuz-$kver",bootargs="console=hvc0 earlycon=xen rdinit=/init" \
		-device guest-loader,addr=0x44000000,initrd="$dom0_initrd" \
		-drive if=none,id=payload,file="$out/payload.tar",format=raw,readonly=on \
		-device virtio-blk-device,drive=payload,serial=xpv-payload \
		-drive if=none,id=results,file="$out/results.img",format=raw \
		-device virtio-blk-device,drive=results,serial=xpv-results \
		<"$in"
}

# plain_machine: the QEMU options of the no-Xen boots.
plain_machine=(-machine virt,gic-version=3 -cpu cortex-a57 -smp 2 -m "$mem"
	-display none -monitor none -no-reboot -nic none)

# qemu_plain FLAVOUR: our guest kernel on QEMU without Xen; for the bad*
# flavours QEMU's own device tree plus the malformed node dt/FLAVOUR.dtsi.
qemu_plain() {
	local f=$1 g=$out/$1 dtb=()
	mkdir -p "$g"
	guest_initrd "$f" "$g"
	if [ "$f" != noxen ]; then
		qemu-system-aarch64 "${plain_machine[@]}" \
			-machine dumpdtb="$g/virt.dtb" >/dev/null 2>&1
		{ dtc -q -I dtb -O dts "$g/virt.dtb"; cat "$here/dt/$f.dtsi"; } |
			dtc -q -I dts -O dtb -o "$g/bad.dtb" - ||
			die "cannot build the $f device tree"
		dtb=(-dtb "$g/bad.dtb")
	fi
	timeout "$timeout" qemu-system-aarch64 "${plain_machine[@]}" "${dtb[@]}" \
		-serial "file:$g/console.log" \
		-kernel "$kdir/arch/arm64/boot/Image" -initrd "$g/initrd.gz" \
		-append "console=ttyAMA0 rdinit=/init" </dev/null
}

start=$SECONDS
rc=0
if [ ${#xen_flavours[@]} -gt 0 ]; then
	qemu_xen || rc=$?
	[ $rc -eq 124 ] && echo "xpv-qemu: QEMU killed after ${timeout}s" >&2
	mkdir -p "$out/results"
	tar -xf "$out/results.img" -C "$out/results" 2>/dev/null ||
		echo "xpv-qemu: no results from dom0 (see $out/serial.log)" >&2
fi
xen_time=$((SECONDS - start))
for f in "${flavours[@]}"; do
	case $f in xpv|reference) continue ;; esac
	qemu_plain "$f" || echo "xpv-qemu: plain QEMU ($f) exited with $?" >&2
	mkdir -p "$out/results/$f"
	cp "$out/$f/console.log" "$out/results/$f/console.log"
done

# --- verdict ------------------------------------------------------------------
vrc=0
# verdict_plan: a "NAME:SCENARIO..." line per results directory
verdict_plan() {
	local f
	for f in "${flavours[@]}"; do
		echo "$f:$(scenarios_for "$f" | tr '\n' ' ')"
	done
}
"$here/verdict.sh" "$out" "$(verdict_plan)" || vrc=$?
echo "xpv-qemu: $((SECONDS - start)) s (Xen boot and guests: $xen_time s); logs in $out" >&2
exit $vrc
