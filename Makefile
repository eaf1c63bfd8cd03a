# SPDX-License-Identifier: GPL-2.0-only
# xpv: Xen paravirtual I/O for ARM guests, as loadable modules.
# Targets: deps, all (modules), guest-kernel, check, check-unit, check-qemu,
# check-kbuild, lint, run, bench, clean. See README.

ARCH ?= arm64
CROSS_COMPILE ?= aarch64-linux-gnu-
XPV_KERNEL ?= normal
FLAVOUR ?= xpv
export ARCH CROSS_COMPILE XPV_KERNEL

# KDIR: a kernel build tree to build against. Unset, it is our own guest
# kernel (tests/kernel), built on first use and cached under ~/.cache/xpv.
ifeq ($(origin KDIR),undefined)
KDIR = $(shell tests/kernel/build.sh --kdir)
KERNEL_DEP := guest-kernel
else
KERNEL_DEP :=
endif
KSRC = $(shell tests/kernel/build.sh --src)

.PHONY: all modules deps guest-kernel check check-unit check-qemu check-kbuild \
	lint run bench clean clean-kbuild

all: modules

deps:
	@tests/deps.sh

guest-kernel: deps
	@tests/kernel/build.sh >/dev/null

# Objects built against one KDIR must not be reused against another: kbuild
# would see them as up to date. .xpv-kdir records the tree they were built for.
modules: $(KERNEL_DEP)
	@tests/kernel/check-kdir.sh "$(KDIR)"
	@if [ "$$(cat .xpv-kdir 2>/dev/null)" != "$(KDIR)" ]; then \
		$(MAKE) -s clean-kbuild && echo "$(KDIR)" >.xpv-kdir; fi
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

check: lint check-unit check-kbuild check-qemu

check-unit: deps
	$(MAKE) -C tests/unit KSRC="$(KSRC)" check

check-kbuild: deps
	tests/kernel/test-kbuild.sh

# QEMU/Xen integration tests (tests/qemu/run.sh; SCENARIOS= picks some).
check-qemu: deps modules
	tests/qemu/run.sh $(SCENARIOS)

# The main command: build everything, boot Xen in QEMU with an xpv guest and
# show what the modules brought up; on a terminal, stay at the guest's shell.
run: deps modules
	@if [ -t 0 ]; then tests/qemu/run.sh --flavour xpv --interactive demo; \
	else tests/qemu/run.sh --flavour xpv demo; fi

# Side-by-side benchmarks against Linux's in-tree frontends (README,
# "Benchmarks"); never part of check, never a gate on timings.
bench: deps modules
	tests/bench/run.sh

lint: modules
	tests/lint.sh "$(KSRC)" "$(KDIR)"

clean: clean-kbuild
	$(MAKE) -C tests/unit clean

clean-kbuild:
	rm -f .xpv-kdir
	find . -path ./.git -prune -o \( -name '*.o' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name '*.a' -o -name '*.symvers' \
		-o -name 'modules.order' -o -name '.*.d' \) -print0 | xargs -0 rm -f
