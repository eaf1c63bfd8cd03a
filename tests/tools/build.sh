#!/bin/bash
# Build (or reuse) the dom0 test tools and print the path of xpv-gntpeer.
#
# Usage: tests/tools/build.sh
# Environment: XPV_CACHE (default ~/.cache/xpv), CROSS_COMPILE
#              (aarch64-linux-gnu-).
#
# xpv-gntpeer.c is cross-compiled for arm64 as a static binary (dom0 runs it
# without our libraries), with the ioctl definitions of the kernel tree's
# UAPI headers xen/gntdev.h and xen/evtchn.h, prepared for user space by the
# tree's own scripts/headers_install.sh (as `make headers_install` would),
# and the rings' layouts from the tree's Xen ABI headers
# (include/xen/interface), through the unit tests' userspace shim.
# The binary is cached as $XPV_CACHE/tools/xpv-gntpeer-<hash of its inputs>,
# so it is rebuilt only when the source, the headers or the compiler change.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${XPV_CACHE:-$HOME/.cache/xpv}
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
src=$here/xpv-gntpeer.c
shim=$here/../unit/shim
headers=(xen/gntdev.h xen/evtchn.h)

die() { echo "xpv: $*" >&2; exit 1; }

command -v "${cross}gcc" >/dev/null || die "${cross}gcc not found: run 'make deps'"
ksrc=$("$here/../kernel/build.sh" --src)
key=$( {
	cat "$src" "$here/build.sh"
	for h in "${headers[@]}"; do cat "$ksrc/include/uapi/$h"; done
	find "$ksrc/include/xen/interface" "$ksrc/include/xen/arm" "$shim" \
		-type f -name '*.h' -print0 | sort -z | xargs -0 cat
	"${cross}gcc" --version | head -n 1
} | sha256sum | cut -c1-16)
out=$cache/tools/xpv-gntpeer-$key

if [ ! -x "$out" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/scripts" "$tmp/include/xen" "$tmp/kinc" "$cache/tools"
	ln -s "$ksrc/include/xen" "$tmp/kinc/xen"
	gcc -O2 -o "$tmp/scripts/unifdef" "$ksrc/scripts/unifdef.c" ||
		die "cannot build the kernel's unifdef"
	for h in "${headers[@]}"; do
		(cd "$tmp" && sh "$ksrc/scripts/headers_install.sh" \
			"$ksrc/include/uapi/$h" "include/$h") ||
			die "cannot prepare $h for user space"
	done
	"${cross}gcc" -static -O2 -Wall -Wextra -Werror -I"$tmp/include" \
		-I"$shim" -I"$tmp/kinc" \
		-o "$tmp/xpv-gntpeer" "$src" || die "xpv-gntpeer does not build"
	mv "$tmp/xpv-gntpeer" "$out"
fi
echo "$out"
