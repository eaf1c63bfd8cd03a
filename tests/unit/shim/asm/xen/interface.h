/* SPDX-License-Identifier: GPL-2.0-only */
/* As arch/arm64's asm/xen/interface.h: the unit tests use the ARM guest ABI. */
#include <xen/arm/interface.h>
