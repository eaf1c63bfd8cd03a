#!/bin/bash
# The module build refuses bad kernel trees with a clear message:
# a missing or unconfigured KDIR, and a kernel with CONFIG_XEN=y (#error).
# The CONFIG_XEN=y tree (allnoconfig + XEN + MODULES, modules_prepare only)
# is cached next to the guest kernel.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${XPV_CACHE:-$HOME/.cache/xpv}
export ARCH=${ARCH:-arm64} CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
src=$("$top/tests/kernel/build.sh" --src)
passed=0
failed=0

# expect_fail DESCRIPTION PATTERN KDIR: 'make KDIR=...' must fail saying PATTERN.
expect_fail() {
	local out
	if out=$(make -C "$top" KDIR="$3" modules 2>&1); then
		echo "not ok - $1: the build succeeded"; failed=$((failed + 1))
	elif grep -q -- "$2" <<<"$out"; then
		echo "ok - $1"; passed=$((passed + 1))
	else
		echo "not ok - $1: no '$2' in:"; tail -n 5 <<<"$out"
		failed=$((failed + 1))
	fi
}

xen_tree() {
	local key dir
	key=$( { echo "$src $ARCH $CROSS_COMPILE"; cat "$0"; } | sha256sum | cut -c1-16)
	dir=$cache/kernel/with-xen-$key
	if [ ! -f "$dir/.xpv-prepared" ]; then
		echo "# preparing a CONFIG_XEN=y kernel tree in $dir (once)" >&2
		mkdir -p "$dir"
		printf 'CONFIG_MODULES=y\nCONFIG_XEN=y\n' >"$dir/xen.config"
		make -s -C "$src" O="$dir" KCONFIG_ALLCONFIG="$dir/xen.config" \
			allnoconfig >"$dir/prepare.log" 2>&1
		grep -qx CONFIG_XEN=y "$dir/.config" ||
			{ echo "xpv: CONFIG_XEN did not stick in $dir" >&2; exit 1; }
		make -s -C "$src" O="$dir" -j"$(nproc)" modules_prepare \
			>>"$dir/prepare.log" 2>&1
		touch "$dir/.xpv-prepared"
	fi
	echo "$dir"
}

expect_fail "missing KDIR is refused" "does not exist" /nonexistent/kdir
expect_fail "a directory that is no kernel tree is refused" \
	"is not a kernel build tree" "$top/tests"
expect_fail "a kernel with CONFIG_XEN=y is refused by #error" \
	"#error \"xpv: KDIR has CONFIG_XEN=y" "$(xen_tree)"
make -s -C "$top" clean >/dev/null
if make -s -C "$top" KDIR="$("$top/tests/kernel/build.sh")" modules >/dev/null 2>&1 &&
	[ -f "$top/xenbus/xpv_xenbus.ko" ]; then
	echo "ok - explicit KDIR= builds the modules"; passed=$((passed + 1))
else
	echo "not ok - explicit KDIR= builds the modules"; failed=$((failed + 1))
fi
echo "kbuild: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
