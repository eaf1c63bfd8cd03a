# Shared helpers of the QEMU harness scripts (sourced, bash).

die() { echo "xpv-qemu: $*" >&2; exit 1; }

# cpio_gz DIR OUT: pack DIR as a gzip'ed newc initramfs, owned by root.
cpio_gz() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet) | gzip -6 >"$2.tmp"
	mv "$2.tmp" "$2"
}

# skeleton DIR: the directories an initramfs init and busybox --install need.
skeleton() {
	mkdir -p "$1"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,etc,root,var}
}

# lib_path ROOT SONAME: the file providing SONAME in the staging ROOT.
lib_path() {
	local d
	for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib; do
		if [ -e "$1/$d/$2" ]; then
			echo "$d/$2"
			return 0
		fi
	done
	return 1
}

# copy_elf ROOT DEST FILE...: copy FILEs (paths relative to ROOT) into DEST,
# with every shared library they need, transitively, and the dynamic loader.
copy_elf() {
	local root=$1 dest=$2 f so path
	shift 2
	local todo=("$@") seen=" "
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		case $seen in *" $f "*) continue ;; esac
		seen+="$f "
		[ -e "$root/$f" ] || die "missing $f in $root"
		mkdir -p "$dest/$(dirname "$f")"
		cp -aL "$root/$f" "$dest/$f"
		for so in $(LC_ALL=C readelf -d "$root/$f" 2>/dev/null |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			path=$(lib_path "$root" "$so") ||
				die "$f needs $so: not in the extracted packages (assemble.sh)"
			todo+=("$path")
		done
	done
	mkdir -p "$dest/lib"
	cp -aL "$root/lib/ld-linux-aarch64.so.1" "$dest/lib/"
}

# copy_modules ROOT KVER DEST MODULE...: the named modules of the staged
# kernel and their dependencies, with a modules.dep for busybox modprobe.
copy_modules() {
	local root=$1 kver=$2 dest=$3 m dep
	shift 3
	local mdir=lib/modules/$kver
	[ -f "$root/$mdir/modules.dep" ] ||
		depmod -b "$root" "$kver" || die "depmod failed on $root"
	mkdir -p "$dest/$mdir"
	for m in "$@"; do
		dep=$(grep -m1 "/$m.ko:" "$root/$mdir/modules.dep") ||
			die "module $m not in $kver"
		for f in ${dep/:/}; do
			mkdir -p "$dest/$mdir/$(dirname "$f")"
			cp -a "$root/$mdir/$f" "$dest/$mdir/$f"
		done
	done
	cp -a "$root/$mdir/modules.order" "$root/$mdir/modules.builtin" \
		"$dest/$mdir/" 2>/dev/null || true
	depmod -b "$dest" "$kver" || die "depmod failed on $dest"
}

# hash_of FILE...: a short hash of the files' contents and base names (not
# their directories: a clone elsewhere reuses the cache).
hash_of() {
	for f in "$@"; do echo "${f##*/}"; cat "$f"; done | sha256sum | cut -c1-16
}
