/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: single-copy accesses. */
#ifndef _XPV_SHIM_LINUX_COMPILER_H
#define _XPV_SHIM_LINUX_COMPILER_H
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
