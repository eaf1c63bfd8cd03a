#!/bin/bash
# Install the Debian 12 host packages xpv needs, and enable the arm64 foreign
# architecture whose packages the QEMU harness extracts (never installs).
# Quiet and quick when everything is already there.
# Usage: tests/deps.sh [--bench]   (--bench: also what make bench's report
# needs, Debian's python3-matplotlib)
set -euo pipefail

pkgs=(
	make gcc libc6-dev pkg-config perl python3 git xz-utils cpio kmod
	bc bison flex libssl-dev libelf-dev
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-source-6.1
	check sparse
	qemu-system-arm util-linux device-tree-compiler
)
[ "${1:-}" = --bench ] && pkgs+=(python3-matplotlib)

todo=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
		todo+=("$p")
done
missing=("${todo[@]}")
dpkg --print-foreign-architectures | grep -qx arm64 ||
	todo+=("(arm64 foreign architecture)")
compgen -G '/var/lib/apt/lists/*_binary-arm64_Packages*' >/dev/null ||
	todo+=("(arm64 package lists)")
[ ${#todo[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "xpv: missing host setup: ${todo[*]}" >&2
	echo "xpv: installing it needs root: run 'sudo make deps'" >&2
	exit 1
fi

echo "xpv: installing host setup: ${todo[*]}" >&2
dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "xpv: host packages ready" >&2
