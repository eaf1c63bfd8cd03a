/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the kernel's fully ordered xchg() and cmpxchg(). */
#ifndef _XPV_SHIM_LINUX_ATOMIC_H
#define _XPV_SHIM_LINUX_ATOMIC_H
#define xchg(ptr, val) __atomic_exchange_n(ptr, val, __ATOMIC_SEQ_CST)
/* Returns the value found at @ptr, as the kernel's does. */
#define cmpxchg(ptr, old, new)						\
	({								\
		__typeof__(*(ptr)) __old = (old);			\
		__atomic_compare_exchange_n(ptr, &__old, new, 0,	\
					    __ATOMIC_SEQ_CST,		\
					    __ATOMIC_SEQ_CST);		\
		__old;							\
	})
#endif
