/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: atomic bit operations on unsigned long bitmaps, __ffs. */
#ifndef _XPV_SHIM_LINUX_BITOPS_H
#define _XPV_SHIM_LINUX_BITOPS_H
#include <linux/atomic.h>

#define BITS_PER_LONG (8 * sizeof(long))
#define BIT(nr) (1UL << (nr))

static inline void set_bit(unsigned long nr, volatile unsigned long *addr)
{
	volatile unsigned long *w = addr + nr / BITS_PER_LONG;

	xpv_shim_race_point(w);
	__atomic_fetch_or(w, BIT(nr % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	volatile unsigned long *w = addr + nr / BITS_PER_LONG;

	xpv_shim_race_point(w);
	__atomic_fetch_and(w, ~BIT(nr % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}

static inline bool test_bit(unsigned long nr,
			    const volatile unsigned long *addr)
{
	return (__atomic_load_n(addr + nr / BITS_PER_LONG, __ATOMIC_RELAXED)
		>> (nr % BITS_PER_LONG)) & 1;
}

/* Index of the lowest set bit; undefined for 0, as the kernel's. */
static inline unsigned long __ffs(unsigned long word)
{
	return __builtin_ctzl(word);
}
#endif
