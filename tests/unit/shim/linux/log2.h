/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: powers of two. */
#ifndef _XPV_SHIM_LINUX_LOG2_H
#define _XPV_SHIM_LINUX_LOG2_H
static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (63 - __builtin_clzl(n));
}
#endif
