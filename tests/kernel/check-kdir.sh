#!/bin/bash
# Is KDIR a kernel build tree the xpv modules can be built against?
# Usage: tests/kernel/check-kdir.sh KDIR. Exit 1 with one clear line if not.
# (A tree with CONFIG_XEN=y is refused by include/xpv/xpv.h's #error.)
set -euo pipefail
k=${1:-}
fail() { echo "xpv: KDIR=$k $*" >&2; exit 1; }
[ -n "$k" ] || { echo "xpv: KDIR is empty" >&2; exit 1; }
[ -d "$k" ] || fail "does not exist"
[ -f "$k/Makefile" ] || fail "is not a kernel build tree (no Makefile)"
[ -f "$k/.config" ] || fail "is not configured (no .config)"
[ -f "$k/include/config/auto.conf" ] && [ -f "$k/scripts/mod/modpost" ] ||
	fail "is not prepared for external modules: run 'make modules_prepare' in it"
grep -qx 'CONFIG_MODULES=y' "$k/.config" || fail "has no module support (CONFIG_MODULES)"
