/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: xchg() and cmpxchg(), fully ordered as the kernel's.
 *
 * Before each atomic read-modify-write the code under test makes, the shim
 * calls xpv_shim_race (if a test set it) with the address: the test runs
 * "the other side" (a fake Xen) right there, which is how the races between
 * a guest's read and its compare-and-exchange are modelled.
 */
#ifndef _XPV_SHIM_LINUX_ATOMIC_H
#define _XPV_SHIM_LINUX_ATOMIC_H
#include <stdbool.h>

__attribute__((weak)) void (*xpv_shim_race)(volatile void *addr);

static inline void xpv_shim_race_point(volatile void *addr)
{
	if (xpv_shim_race)
		xpv_shim_race(addr);
}

#define xchg(ptr, val) ({						\
	xpv_shim_race_point(ptr);					\
	__atomic_exchange_n((ptr), (val), __ATOMIC_SEQ_CST);		\
})

/* Returns the value found, as the kernel's: equal to @old on success. */
#define cmpxchg(ptr, old, new) ({					\
	__typeof__(*(ptr)) __seen = (old);				\
	xpv_shim_race_point(ptr);					\
	__atomic_compare_exchange_n((ptr), &__seen, (new), false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__seen;								\
})
#endif
