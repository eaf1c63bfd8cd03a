#!/bin/bash
# Build (or reuse) the arm64 guest kernel that the xpv modules run in.
#
# Usage: tests/kernel/build.sh [--kdir | --src]
#   (no option)  build if needed, then print the kernel build directory (KDIR)
#   --kdir       print the KDIR this flavour would use, without building
#   --src        extract the kernel source if needed, print its directory
#
# Environment: XPV_KERNEL=normal|debug (flavour), XPV_CACHE (default ~/.cache/xpv),
#              ARCH (arm64), CROSS_COMPILE (aarch64-linux-gnu-), JOBS (nproc).
#
# The kernel is allnoconfig + tests/kernel/guest.config (+ debug.config for the
# debug flavour), built from Debian's linux-source-6.1 out of tree (O=) and
# cached under a key hashed from every input, so an unchanged rebuild is free.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
flavour=${XPV_KERNEL:-normal}
cache=${XPV_CACHE:-$HOME/.cache/xpv}
arch=${ARCH:-arm64}
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
jobs=${JOBS:-$(nproc)}
tarball=/usr/src/linux-source-6.1.tar.xz

die() { echo "xpv: $*" >&2; exit 1; }

case "$flavour" in
normal) fragments=("$here/guest.config") ;;
debug) fragments=("$here/guest.config" "$here/debug.config") ;;
*) die "XPV_KERNEL must be 'normal' or 'debug', not '$flavour'" ;;
esac

[ -r "$tarball" ] || die "$tarball missing: run 'make deps' (package linux-source-6.1)"
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null) ||
	die "package linux-source-6.1 is not installed: run 'make deps'"
srcdir=$cache/src/linux-source-$srcver

key=$( {
	echo "$srcver $flavour $arch $cross"
	"${cross}gcc" --version 2>/dev/null | head -n 1
	cat "${fragments[@]}" "$here/build.sh"
} | sha256sum | cut -c1-16)
kdir=$cache/kernel/$flavour-$key

extract() {
	[ -f "$srcdir/.xpv-extracted" ] && return 0
	echo "xpv: extracting linux-source $srcver into $srcdir" >&2
	rm -rf "$srcdir.tmp"
	mkdir -p "$srcdir.tmp"
	tar -xJf "$tarball" -C "$srcdir.tmp" --strip-components=1
	rm -rf "$srcdir"
	mv "$srcdir.tmp" "$srcdir"
	touch "$srcdir/.xpv-extracted"
}

# Each line of a fragment must hold in the final .config: merge_config.sh
# exits 0 even when an option silently did not stick (missing dependency).
verify_config() {
	local frag line opt bad=0
	for frag in "${fragments[@]}"; do
		while IFS= read -r line; do
			case "$line" in
			CONFIG_*=*)
				grep -qxF "$line" "$kdir/.config" ||
					{ echo "xpv: $line did not stick" >&2; bad=1; } ;;
			"# CONFIG_"*" is not set")
				opt=${line#\# }; opt=${opt%% *}
				if grep -q "^$opt=" "$kdir/.config"; then
					echo "xpv: $opt should be unset" >&2; bad=1
				fi ;;
			esac
		done <"$frag"
	done
	return $bad
}

build() {
	local kmake=(make -C "$srcdir" O="$kdir" ARCH="$arch" CROSS_COMPILE="$cross")
	local log=$kdir/xpv-build.log start=$SECONDS

	command -v "${cross}gcc" >/dev/null || die "${cross}gcc not found: run 'make deps'"
	mkdir -p "$kdir"
	echo "xpv: building the $flavour guest kernel in $kdir (several minutes, once)" >&2
	# -n: allnoconfig with the fragments as KCONFIG_ALLCONFIG, so nothing
	# beyond what they ask for is switched on (olddefconfig would be).
	if ! (cd "$srcdir" && ARCH="$arch" CROSS_COMPILE="$cross" \
		scripts/kconfig/merge_config.sh -n -O "$kdir" "${fragments[@]}") \
		>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "kernel configuration failed (log: $log)"
	fi
	verify_config || die "kernel configuration incomplete (see above)"
	if ! "${kmake[@]}" -j"$jobs" Image modules >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "kernel build failed (log: $log)"
	fi
	touch "$kdir/.xpv-built"
	echo "xpv: guest kernel built in $((SECONDS - start)) s" >&2
}

case "${1:-}" in
--kdir) echo "$kdir"; exit 0 ;;
--src) ;;
"") ;;
*) die "unknown option '$1'" ;;
esac

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
extract
if [ "${1:-}" = --src ]; then
	echo "$srcdir"
	exit 0
fi
[ -f "$kdir/.xpv-built" ] || build
echo "$kdir"
