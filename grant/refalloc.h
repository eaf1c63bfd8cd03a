/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The grant-reference allocator of xpv_grant (grant/refalloc.c), pure logic
 * shared with the unit tests.
 *
 * Free references live in a global pool (a stack, under one lock) and in
 * per-CPU magazines (each under its own lock, uncontended in practice). The
 * fast path takes or returns a reference to the caller's magazine only; an
 * empty magazine is refilled, a full one drained, in batches under the pool
 * lock. An empty pool grows the table by one frame (ops->grow) up to the
 * maximum, and only then steals what the other magazines hold. Batch claim and
 * release go to the pool directly, all or nothing.
 *
 * Lock order: pool lock, then magazine locks. The fast path never holds the
 * pool lock; the slow paths drop the magazine lock before taking the pool.
 */
#ifndef _XPV_GRANT_REFALLOC_H
#define _XPV_GRANT_REFALLOC_H

#include <linux/cache.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <xen/interface/grant_table.h>
#include <xpv/grant.h>

#define XPV_REFMAG_SIZE 64	/* references a magazine holds at most */
#define XPV_REFMAG_BATCH 32	/* moved per refill or drain */

/**
 * struct xpv_refmag - one CPU's cache of free references
 * @lock:   protects the other fields
 * @count:  free references in @refs
 * @in_use: references taken from this magazine minus those given back to it
 *          (any magazine's count may be negative: frees happen anywhere)
 * @refs:   the free references, a stack
 */
struct xpv_refmag {
	spinlock_t lock;	/* this magazine; after the pool lock */
	unsigned int count;
	long in_use;
	grant_ref_t refs[XPV_REFMAG_SIZE];
} ____cacheline_aligned_in_smp;

struct xpv_refalloc;

/**
 * struct xpv_refalloc_ops - what the allocator asks of its owner
 * @grow: make table frame @frame usable; called with the pool lock held and
 *        interrupts off, so it must not sleep. 0 or a negative errno.
 * @pin:  the first reference went into use since the allocator was last idle
 *        (called with a lock held; must not sleep). See
 *        xpv_refalloc_unpin_if_idle().
 */
struct xpv_refalloc_ops {
	int (*grow)(struct xpv_refalloc *a, unsigned int frame);
	void (*pin)(struct xpv_refalloc *a);
};

/**
 * struct xpv_refalloc - the allocator
 * @lock:           the pool lock: @pool, @pool_count, @nr_frames (writes),
 *                  @pool_in_use, the waiters, the counters below
 * @pool:           free references, a stack of @capacity entries
 * @pool_count:     entries in @pool
 * @capacity:       @max_frames * @per_frame
 * @per_frame:      references per table frame
 * @nr_frames:      frames in use; only grows (read without the lock)
 * @max_frames:     the most frames the table may have
 * @pool_in_use:    references claimed from the pool minus those released to it
 * @mags:           the magazines, one per CPU
 * @nr_mags:        number of @mags
 * @waiters:        FIFO of waiters, oldest first
 * @waiters_tail:   where the next waiter is linked
 * @nr_waiters:     waiters queued (read without the lock on the free path)
 * @pinned:         the owner holds a pin (see @ops->pin); changed by xchg()
 * @ops:            the owner's hooks
 * @priv:           the owner's data
 * @grows:          frames added by growth
 * @grow_failures:  ops->grow() failures
 * @steals:         times the magazines were emptied into the pool
 * @exhausted:      allocations refused for want of references
 * @callbacks:      waiters called back
 */
struct xpv_refalloc {
	spinlock_t lock;	/* the pool; before magazine locks */
	grant_ref_t *pool;
	unsigned int pool_count;
	unsigned int capacity;
	unsigned int per_frame;
	unsigned int nr_frames;
	unsigned int max_frames;
	long pool_in_use;
	struct xpv_refmag *mags;
	unsigned int nr_mags;
	struct xpv_grant_callback *waiters;
	struct xpv_grant_callback **waiters_tail;
	unsigned int nr_waiters;
	bool pinned;
	const struct xpv_refalloc_ops *ops;
	void *priv;
	unsigned long grows;
	unsigned long grow_failures;
	unsigned long steals;
	unsigned long exhausted;
	unsigned long callbacks;
};

/**
 * struct xpv_refalloc_stats - an exact snapshot of the allocator
 * @nr_frames:     frames in use
 * @max_frames:    the most frames the table may have
 * @total:         references the current frames hold, reserved ones excepted
 * @free:          free references (pool and magazines)
 * @in_use:        references handed out and not yet returned
 * @pool_free:     free references in the pool
 * @waiters:       queued waiters
 * @pinned:        the owner holds a pin
 * @grows:         frames added by growth
 * @grow_failures: failed growths
 * @steals:        magazine steals
 * @exhausted:     refused allocations
 * @callbacks:     waiters called back
 */
struct xpv_refalloc_stats {
	unsigned int nr_frames;
	unsigned int max_frames;
	unsigned long total;
	unsigned long free;
	long in_use;
	unsigned long pool_free;
	unsigned int waiters;
	bool pinned;
	unsigned long grows;
	unsigned long grow_failures;
	unsigned long steals;
	unsigned long exhausted;
	unsigned long callbacks;
};

int xpv_refalloc_init(struct xpv_refalloc *a, grant_ref_t *pool,
		      unsigned int per_frame, unsigned int nr_frames,
		      unsigned int max_frames, struct xpv_refmag *mags,
		      unsigned int nr_mags, const struct xpv_refalloc_ops *ops,
		      void *priv);
bool xpv_refalloc_valid(const struct xpv_refalloc *a, grant_ref_t ref);
int xpv_refalloc_get(struct xpv_refalloc *a, unsigned int cpu,
		     grant_ref_t *ref);
int xpv_refalloc_put(struct xpv_refalloc *a, unsigned int cpu,
		     grant_ref_t ref);
int xpv_refalloc_claim(struct xpv_refalloc *a, unsigned int n,
		       grant_ref_t *refs);
int xpv_refalloc_release(struct xpv_refalloc *a, unsigned int n,
			 const grant_ref_t *refs);
int xpv_refalloc_wait(struct xpv_refalloc *a, struct xpv_grant_callback *w,
		      void (*fn)(void *arg), void *arg, unsigned int count);
bool xpv_refalloc_cancel(struct xpv_refalloc *a, struct xpv_grant_callback *w);
void xpv_refalloc_stats(struct xpv_refalloc *a, struct xpv_refalloc_stats *st);
bool xpv_refalloc_unpin_if_idle(struct xpv_refalloc *a);

#endif /* _XPV_GRANT_REFALLOC_H */
