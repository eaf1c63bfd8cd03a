/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the E* constants (the UAPI header the kernel's includes). */
#include_next <linux/errno.h>
