#!/bin/bash
# stub-libs.sh ROOT FILE: give FILE (an arm64 ELF, relative to the staging
# ROOT) a stub of each shared library it needs that ROOT lacks.
#
# Debian's fio links the libraries of its optional engines (Ceph RBD,
# Gluster, NBD, PMEM) with BIND_NOW; their packages pull in hundreds of MiB
# the guests never use. A stub exports the functions FILE takes from it,
# under the same symbol versions, and each aborts if called: fio loads,
# and its libaio and psync engines are the real ones.
set -euo pipefail

root=$1
file=$2
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
libdir=usr/lib/aarch64-linux-gnu

# The version nodes FILE wants, as "library version" lines.
vers=$(LC_ALL=C readelf -V -W "$root/$file" |
	awk '/File: /{for (i = 1; i < NF; i++) if ($i == "File:") f = $(i + 1)} /Name: /{print f, $3}')
# FILE's undefined functions, as "name version" ("-" if unversioned).
und=$(LC_ALL=C readelf --dyn-syms -W "$root/$file" |
	awk '$7 == "UND" && $4 == "FUNC" && $8 != "" {
		n = split($8, a, "@"); print a[1], (n > 1 ? a[n] : "-") }')

missing=()
for so in $(LC_ALL=C readelf -d "$root/$file" |
	sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
	lib_path "$root" "$so" >/dev/null || missing+=("$so")
done
[ ${#missing[@]} -gt 0 ] || exit 0

# Unversioned functions no present library defines: the first stub
# without versions takes them all (the loader looks in every library).
have=$(for so in $(LC_ALL=C readelf -d "$root/$file" |
	sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
	p=$(lib_path "$root" "$so") || continue
	LC_ALL=C readelf --dyn-syms -W "$root/$p" |
		awk '$7 != "UND" {sub(/@.*/, "", $8); print $8}'
done | sort -u)
orphans=$(awk '$2 == "-" {print $1}' <<<"$und" | sort -u | comm -23 - <(echo "$have"))

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$root/$libdir"
for so in "${missing[@]}"; do
	v=$(awk -v f="$so" '$1 == f {print $2}' <<<"$vers")
	: >"$tmp/stub.c"
	echo "#include <stdlib.h>" >>"$tmp/stub.c"
	: >"$tmp/map"
	prev=
	for node in $v; do
		syms=$(awk -v n="$node" '$2 == n {print $1}' <<<"$und")
		for s in $syms; do
			echo "void $s(void) { abort(); }" >>"$tmp/stub.c"
		done
		{
			echo "$node {"
			for s in $syms; do echo "	$s;"; done
			echo "}${prev:+ $prev};"
		} >>"$tmp/map"
		prev=$node
	done
	if [ -z "$v" ]; then
		for s in $orphans; do
			echo "void $s(void) { abort(); }" >>"$tmp/stub.c"
		done
		orphans=
	fi
	args=()
	[ -s "$tmp/map" ] && args=("-Wl,--version-script=$tmp/map")
	"${cross}gcc" -shared -fPIC -O2 -fno-builtin -Wno-builtin-declaration-mismatch \
		-Wl,-soname,"$so" "${args[@]}" -o "$root/$libdir/$so" "$tmp/stub.c" ||
		die "cannot build the stub $so"
done
