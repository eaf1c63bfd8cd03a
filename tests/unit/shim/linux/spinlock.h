/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace shim: spinlocks that really exclude (so threaded tests are
 * meaningful) and check their discipline: unlocking a lock that is not held
 * aborts the test.
 */
#ifndef _XPV_SHIM_LINUX_SPINLOCK_H
#define _XPV_SHIM_LINUX_SPINLOCK_H
#include <stdio.h>
#include <stdlib.h>

typedef struct {
	int locked;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(spinlock_t *l)
{
	if (!__atomic_exchange_n(&l->locked, 0, __ATOMIC_RELEASE)) {
		fprintf(stderr, "shim: unlock of a spinlock not held\n");
		abort();
	}
}

static inline int spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED);
}

#define spin_lock_irqsave(l, flags) do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)
#define spin_lock_nest_lock(l, nest) spin_lock(l)
#define lockdep_assert_held(l) do { if (!spin_is_locked(l)) abort(); } while (0)
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#endif
