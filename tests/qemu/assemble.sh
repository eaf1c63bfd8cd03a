#!/bin/bash
# Fetch and extract the Debian arm64 packages the QEMU/Xen harness runs on:
# Xen 4.17, the cloud-arm64 kernel (dom0, and the reference guest with the
# in-tree frontends), the Xen tools with their libraries, busybox and guest
# tools. Versions are resolved by name now (the archive moves); the packages
# are extracted with dpkg-deb into a staging root, never installed.
#
# Usage: tests/qemu/assemble.sh   prints the staging root directory
# The root is cached under $XPV_CACHE/qemu/root-<hash of versions + script>.
set -euo pipefail

cache=${XPV_CACHE:-$HOME/.cache/xpv}
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "xpv-qemu: $*" >&2; exit 1; }

# The cloud kernel's ABI moves with point releases: ask the metapackage.
cloud=$(apt-cache depends linux-image-cloud-arm64:arm64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-cloud-arm64\):arm64$/\1/p' | head -n1)
[ -n "$cloud" ] || die "cannot resolve linux-image-cloud-arm64:arm64 (run 'make deps')"

pkgs=(
	xen-hypervisor-4.17-arm64 "$cloud" busybox-static
	xen-utils-4.17 xenstore-utils
	libxencall1 libxenevtchn1 libxenforeignmemory1 libxengnttab1
	libxenmisc4.17 libxenstore4 libxentoollog1 libxendevicemodel1
	libxenhypfs1 libxentoolcore1 libyajl2 libc6 libncurses6 libtinfo6
	libuuid1 libfdt1 zlib1g libgcc-s1 libzstd1 liblzma5 libbz2-1.0
	liblzo2-2 libnl-3-200 libnl-route-3-200 libgnutls30
	fio libaio1 libnuma1 libibverbs1 librdmacm1 libglusterfs0
	iperf3 libiperf0 libsctp1 libssl3 ethtool libmnl0 sockperf libstdc++6
	e2fsprogs libext2fs2 libcom-err2 libblkid1 libss2
)

# One apt-cache call for all: "name=version" lines, in the order above.
versions=$(apt-cache show --no-all-versions "${pkgs[@]/%/:arm64}" 2>/dev/null |
	awk '/^Package: /{p=$2} /^Version: /{print p "=" $2}')
for p in "${pkgs[@]}"; do
	grep -q "^$p=" <<<"$versions" ||
		die "no arm64 package '$p' in the apt lists (run 'make deps')"
done
key=$( { echo "$versions"; cat "$0" "$here/stub-libs.sh"; } | sha256sum | cut -c1-16)
root=$cache/qemu/root-$key
if [ -f "$root/.xpv-extracted" ]; then
	echo "$root"
	exit 0
fi

debs=$cache/debs
mkdir -p "$debs"
exec 9>"$debs/.lock"
flock 9
echo "xpv-qemu: fetching ${#pkgs[@]} arm64 packages into $debs" >&2
todo=()
while IFS== read -r p v; do
	[ -f "$debs/${p}_${v/:/%3a}_arm64.deb" ] ||
		todo+=("$p:arm64=$v")
done <<<"$versions"
if [ ${#todo[@]} -gt 0 ]; then
	(cd "$debs" && apt-get download -q=2 -o APT::Sandbox::User=root "${todo[@]}") ||
		die "apt-get download failed for: ${todo[*]}"
fi

rm -rf "$root.tmp"
mkdir -p "$root.tmp"
while IFS== read -r p v; do
	dpkg-deb -x "$debs/${p}_${v/:/%3a}_arm64.deb" "$root.tmp"
done <<<"$versions"
# fio's optional engines' libraries: stubs (see stub-libs.sh).
"$here/stub-libs.sh" "$root.tmp" usr/bin/fio
echo "$versions" >"$root.tmp/.xpv-versions"
echo "$cloud" >"$root.tmp/.xpv-cloud"
touch "$root.tmp/.xpv-extracted"
rm -rf "$root"
mv "$root.tmp" "$root"
echo "$root"
