#!/bin/bash
# Static checks of the module sources: the kernel's checkpatch.pl --strict and
# sparse (kbuild C=2, every file). Any finding fails.
# Usage: tests/lint.sh KSRC KDIR   (kernel source tree, kernel build tree)
set -euo pipefail

ksrc=$1
kdir=$2
export ARCH=${ARCH:-arm64} CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

mapfile -t files < <(find hypercall evtchn grant xenbus netfront blkfront \
	include tests/modules -name '*.[ch]' ! -name '*.mod.c' 2>/dev/null | sort)
[ ${#files[@]} -gt 0 ] || { echo "xpv: lint: no sources found" >&2; exit 1; }

status=0
echo "lint: checkpatch --strict on ${#files[@]} files"
# CAMELCASE is off: Xen's ABI names its XenbusState values in CamelCase, and
# with --no-tree checkpatch cannot see they come from a kernel header.
if ! "$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	--ignore CAMELCASE \
	-f "${files[@]}"; then
	echo "not ok - checkpatch" ; status=1
else
	echo "ok - checkpatch"
fi

echo "lint: sparse (C=2) over the modules"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
make -s -C "$kdir" M="$top" C=2 modules >"$log" 2>&1 || { cat "$log"; status=1; }
if grep -E '(warning|error):' "$log"; then
	echo "not ok - sparse"; status=1
else
	echo "ok - sparse"
fi
exit $status
