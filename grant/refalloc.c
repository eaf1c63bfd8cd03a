// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant-reference allocator: per-CPU magazines in front of a global pool that
 * grows frame by frame. See refalloc.h for the design. Pure logic: also
 * compiled by the userspace unit tests.
 */
#include <xpv/xpv.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/spinlock.h>
#include "refalloc.h"

static unsigned int min_uint(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

/* Pool stack; false (and the reference dropped) only on a double free. */
static bool pool_push(struct xpv_refalloc *a, grant_ref_t ref)
{
	if (a->pool_count >= a->capacity)
		return false;
	a->pool[a->pool_count++] = ref;
	return true;
}

/* Every reference of @frame, lowest on top, the reserved ones excepted. */
static void pool_add_frame(struct xpv_refalloc *a, unsigned int frame)
{
	grant_ref_t first = frame * a->per_frame;
	grant_ref_t ref = first + a->per_frame;

	if (first < GNTTAB_NR_RESERVED_ENTRIES)
		first = GNTTAB_NR_RESERVED_ENTRIES;
	while (ref-- > first)
		pool_push(a, ref);
}

static unsigned long growable(const struct xpv_refalloc *a)
{
	if (!a->ops->grow)
		return 0;
	return (unsigned long)(a->max_frames - a->nr_frames) * a->per_frame;
}

/* The first reference in use since the last idle check pins the owner. */
static void pin(struct xpv_refalloc *a)
{
	if (!READ_ONCE(a->pinned) && !xchg(&a->pinned, true) && a->ops->pin)
		a->ops->pin(a);
}

/* Map one more frame. Pool lock held. */
static int grow_one(struct xpv_refalloc *a)
{
	unsigned int frame = a->nr_frames;
	int ret;

	if (!a->ops->grow || frame >= a->max_frames)
		return -ENOSPC;
	ret = a->ops->grow(a, frame);
	if (ret) {
		/* Xen refused: stop asking, the table stays as it is. */
		a->grow_failures++;
		a->max_frames = frame;
		return ret;
	}
	pool_add_frame(a, frame);
	WRITE_ONCE(a->nr_frames, frame + 1);
	a->grows++;
	return 0;
}

/* Move @n references from @m to the pool. Both locks held. */
static void mag_drain(struct xpv_refalloc *a, struct xpv_refmag *m,
		      unsigned int n)
{
	while (n-- && m->count)
		pool_push(a, m->refs[--m->count]);
}

/* Empty every magazine into the pool. Pool lock held. */
static void steal(struct xpv_refalloc *a)
{
	unsigned int i;

	for (i = 0; i < a->nr_mags; i++) {
		struct xpv_refmag *m = &a->mags[i];

		spin_lock(&m->lock);
		mag_drain(a, m, m->count);
		spin_unlock(&m->lock);
	}
	a->steals++;
}

/* Try to have @want references in the pool: grow first, then steal. */
static bool replenish(struct xpv_refalloc *a, unsigned int want)
{
	while (a->pool_count < want && !grow_one(a))
		;
	if (a->pool_count < want)
		steal(a);
	return a->pool_count >= want;
}

/*
 * Call back, oldest first, the waiters the free references (and those growth
 * can still add) satisfy. Pool lock held, as it is during the callbacks.
 */
static void wake_waiters(struct xpv_refalloc *a)
{
	unsigned long avail = a->pool_count + growable(a);
	struct xpv_grant_callback **pp = &a->waiters, *w;

	while ((w = *pp)) {
		if (w->count > avail) {
			pp = &w->next;
			continue;
		}
		avail -= w->count;
		*pp = w->next;
		if (!*pp)
			a->waiters_tail = pp;
		w->next = NULL;
		w->queued = false;
		WRITE_ONCE(a->nr_waiters, a->nr_waiters - 1);
		a->callbacks++;
		w->fn(w->arg);
	}
}

/**
 * xpv_refalloc_init() - set up an allocator over the first frames
 * @a:          the allocator
 * @pool:       room for @per_frame * @max_frames references
 * @per_frame:  references per frame (more than the reserved ones)
 * @nr_frames:  frames already usable (at least 1)
 * @max_frames: the most frames growth may reach
 * @mags:       @nr_mags magazines (at least one; one per CPU)
 * @nr_mags:    number of @mags
 * @ops:        the owner's hooks; a NULL @ops->grow means no growth
 * @priv:       the owner's data
 *
 * Return: 0, or -EINVAL for a geometry that cannot work.
 */
int xpv_refalloc_init(struct xpv_refalloc *a, grant_ref_t *pool,
		      unsigned int per_frame, unsigned int nr_frames,
		      unsigned int max_frames, struct xpv_refmag *mags,
		      unsigned int nr_mags, const struct xpv_refalloc_ops *ops,
		      void *priv)
{
	unsigned int i;

	if (!pool || !mags || !nr_mags || !ops ||
	    per_frame <= GNTTAB_NR_RESERVED_ENTRIES || !nr_frames ||
	    nr_frames > max_frames || max_frames > ~0U / per_frame)
		return -EINVAL;
	*a = (struct xpv_refalloc) {
		.pool = pool,
		.capacity = per_frame * max_frames,
		.per_frame = per_frame,
		.max_frames = max_frames,
		.mags = mags,
		.nr_mags = nr_mags,
		.waiters_tail = &a->waiters,
		.ops = ops,
		.priv = priv,
	};
	spin_lock_init(&a->lock);
	for (i = 0; i < nr_mags; i++) {
		spin_lock_init(&mags[i].lock);
		mags[i].count = 0;
		mags[i].in_use = 0;
	}
	for (i = 0; i < nr_frames; i++)
		pool_add_frame(a, i);
	a->nr_frames = nr_frames;
	return 0;
}

/**
 * xpv_refalloc_valid() - could @ref have come from this allocator?
 * @a:   the allocator
 * @ref: a grant reference
 *
 * Return: true if @ref is an unreserved reference of a usable frame.
 */
bool xpv_refalloc_valid(const struct xpv_refalloc *a, grant_ref_t ref)
{
	return ref >= GNTTAB_NR_RESERVED_ENTRIES &&
	       ref / a->per_frame < READ_ONCE(a->nr_frames);
}

static struct xpv_refmag *mag_of(struct xpv_refalloc *a, unsigned int cpu)
{
	return &a->mags[cpu % a->nr_mags];
}

/* The magazine was empty: refill it from the pool, growing if need be. */
static int get_slow(struct xpv_refalloc *a, struct xpv_refmag *m,
		    grant_ref_t *ref)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&a->lock, flags);
	if (!a->pool_count)
		replenish(a, 1);
	spin_lock(&m->lock);
	if (!m->count) {
		unsigned int n = min_uint(XPV_REFMAG_BATCH, a->pool_count);

		/* Keep the pool's order: its top ends up on the magazine's. */
		m->count = n;
		while (n--)
			m->refs[n] = a->pool[--a->pool_count];
	}
	if (m->count) {
		*ref = m->refs[--m->count];
		m->in_use++;
		pin(a);
	} else {
		a->exhausted++;
		ret = -ENOSPC;
	}
	spin_unlock(&m->lock);
	spin_unlock_irqrestore(&a->lock, flags);
	return ret;
}

/**
 * xpv_refalloc_get() - take one free reference
 * @a:   the allocator
 * @cpu: the calling CPU (any value is correct; the right one is fast)
 * @ref: set to the reference
 *
 * Return: 0, or -ENOSPC if none is free and the table cannot grow.
 */
int xpv_refalloc_get(struct xpv_refalloc *a, unsigned int cpu,
		     grant_ref_t *ref)
{
	struct xpv_refmag *m = mag_of(a, cpu);
	unsigned long flags;

	spin_lock_irqsave(&m->lock, flags);
	if (m->count) {
		*ref = m->refs[--m->count];
		m->in_use++;
		pin(a);
		spin_unlock_irqrestore(&m->lock, flags);
		return 0;
	}
	spin_unlock_irqrestore(&m->lock, flags);
	return get_slow(a, m, ref);
}

/* The magazine was full, or someone waits for references: via the pool. */
static void put_slow(struct xpv_refalloc *a, struct xpv_refmag *m,
		     grant_ref_t ref)
{
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	spin_lock(&m->lock);
	m->in_use--;
	if (a->nr_waiters) {
		mag_drain(a, m, m->count);
		pool_push(a, ref);
	} else {
		if (m->count == XPV_REFMAG_SIZE)
			mag_drain(a, m, XPV_REFMAG_BATCH);
		m->refs[m->count++] = ref;
	}
	spin_unlock(&m->lock);
	if (a->nr_waiters)
		wake_waiters(a);
	spin_unlock_irqrestore(&a->lock, flags);
}

/**
 * xpv_refalloc_put() - give back a reference taken with xpv_refalloc_get()
 * @a:   the allocator
 * @cpu: the calling CPU
 * @ref: the reference; its table entry must no longer grant anything
 *
 * Return: 0, or -EINVAL if @ref cannot be one of ours (nothing is done).
 */
int xpv_refalloc_put(struct xpv_refalloc *a, unsigned int cpu,
		     grant_ref_t ref)
{
	struct xpv_refmag *m = mag_of(a, cpu);
	unsigned long flags;

	if (!xpv_refalloc_valid(a, ref))
		return -EINVAL;
	if (!READ_ONCE(a->nr_waiters)) {
		spin_lock_irqsave(&m->lock, flags);
		if (m->count < XPV_REFMAG_SIZE) {
			m->refs[m->count++] = ref;
			m->in_use--;
			spin_unlock_irqrestore(&m->lock, flags);
			return 0;
		}
		spin_unlock_irqrestore(&m->lock, flags);
	}
	put_slow(a, m, ref);
	return 0;
}

/**
 * xpv_refalloc_claim() - take @n references at once, all or none
 * @a:    the allocator
 * @n:    how many
 * @refs: receives them
 *
 * Return: 0, or -ENOSPC (and nothing taken) if fewer than @n can be had.
 */
int xpv_refalloc_claim(struct xpv_refalloc *a, unsigned int n,
		       grant_ref_t *refs)
{
	unsigned long flags;
	unsigned int i;

	if (!n)
		return 0;
	spin_lock_irqsave(&a->lock, flags);
	if (n > a->capacity || !replenish(a, n)) {
		a->exhausted++;
		spin_unlock_irqrestore(&a->lock, flags);
		return -ENOSPC;
	}
	for (i = 0; i < n; i++)
		refs[i] = a->pool[--a->pool_count];
	a->pool_in_use += n;
	pin(a);
	spin_unlock_irqrestore(&a->lock, flags);
	return 0;
}

/**
 * xpv_refalloc_release() - give back @n references at once
 * @a:    the allocator
 * @n:    how many
 * @refs: the references (from claim or get); their entries must be ended
 *
 * Return: 0, or -EINVAL if some of @refs cannot be ours (those are skipped,
 * the others released).
 */
int xpv_refalloc_release(struct xpv_refalloc *a, unsigned int n,
			 const grant_ref_t *refs)
{
	unsigned long flags;
	unsigned int i, bad = 0;

	spin_lock_irqsave(&a->lock, flags);
	for (i = 0; i < n; i++) {
		if (xpv_refalloc_valid(a, refs[i]) && pool_push(a, refs[i]))
			a->pool_in_use--;
		else
			bad++;
	}
	if (a->nr_waiters)
		wake_waiters(a);
	spin_unlock_irqrestore(&a->lock, flags);
	return bad ? -EINVAL : 0;
}

/**
 * xpv_refalloc_wait() - be called back once @count references are free
 * @a:     the allocator
 * @w:     the waiter, owned by the caller, not queued already
 * @fn:    the callback (see struct xpv_grant_callback for its context)
 * @arg:   its argument
 * @count: references wanted
 *
 * If enough are free already, @fn is called before this returns. While
 * anyone waits, freed references bypass the magazines so waiters see them.
 *
 * Return: 0; -EBUSY if @w is queued; -EINVAL for a @count never satisfiable.
 */
int xpv_refalloc_wait(struct xpv_refalloc *a, struct xpv_grant_callback *w,
		      void (*fn)(void *arg), void *arg, unsigned int count)
{
	unsigned long flags;

	if (!count || count > a->capacity - GNTTAB_NR_RESERVED_ENTRIES)
		return -EINVAL;
	spin_lock_irqsave(&a->lock, flags);
	if (w->queued) {
		spin_unlock_irqrestore(&a->lock, flags);
		return -EBUSY;
	}
	w->fn = fn;
	w->arg = arg;
	w->count = count;
	w->next = NULL;
	w->queued = true;
	*a->waiters_tail = w;
	a->waiters_tail = &w->next;
	WRITE_ONCE(a->nr_waiters, a->nr_waiters + 1);
	steal(a);
	wake_waiters(a);
	spin_unlock_irqrestore(&a->lock, flags);
	return 0;
}

/**
 * xpv_refalloc_cancel() - withdraw a waiter
 * @a: the allocator
 * @w: the waiter
 *
 * Return: true if @w was queued (and now is not), false if it was not (it
 * may have been called back already).
 */
bool xpv_refalloc_cancel(struct xpv_refalloc *a, struct xpv_grant_callback *w)
{
	struct xpv_grant_callback **pp;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&a->lock, flags);
	for (pp = &a->waiters; *pp; pp = &(*pp)->next) {
		if (*pp != w)
			continue;
		*pp = w->next;
		if (!*pp)
			a->waiters_tail = pp;
		w->next = NULL;
		w->queued = false;
		WRITE_ONCE(a->nr_waiters, a->nr_waiters - 1);
		found = true;
		break;
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return found;
}

/*
 * Free and in-use totals, pool lock held. A magazine's count + in_use only
 * changes by transfers under the pool lock, so the two sums always add up to
 * the total even though the magazines are read one at a time.
 */
static void sum_locked(struct xpv_refalloc *a, unsigned long *free,
		       long *in_use)
{
	unsigned int i;

	*free = a->pool_count;
	*in_use = a->pool_in_use;
	for (i = 0; i < a->nr_mags; i++) {
		struct xpv_refmag *m = &a->mags[i];

		spin_lock(&m->lock);
		*free += m->count;
		*in_use += m->in_use;
		spin_unlock(&m->lock);
	}
}

/**
 * xpv_refalloc_stats() - snapshot of the allocator
 * @a:  the allocator
 * @st: filled in; @st->total == @st->free + @st->in_use always holds
 */
void xpv_refalloc_stats(struct xpv_refalloc *a, struct xpv_refalloc_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	sum_locked(a, &st->free, &st->in_use);
	st->nr_frames = a->nr_frames;
	st->max_frames = a->max_frames;
	st->total = (unsigned long)a->nr_frames * a->per_frame -
		    GNTTAB_NR_RESERVED_ENTRIES;
	st->pool_free = a->pool_count;
	st->waiters = a->nr_waiters;
	st->pinned = READ_ONCE(a->pinned);
	st->grows = a->grows;
	st->grow_failures = a->grow_failures;
	st->steals = a->steals;
	st->exhausted = a->exhausted;
	st->callbacks = a->callbacks;
	spin_unlock_irqrestore(&a->lock, flags);
}

/**
 * xpv_refalloc_unpin_if_idle() - drop the owner's pin if nothing is in use
 * @a: the allocator
 *
 * The pin flag is cleared before the magazines are summed, so a reference
 * taken meanwhile pins again by itself; one taken before is in the sum.
 * Without new takers the counts only fall during the sum, so a zero sum
 * means nothing is in use.
 *
 * Return: true if the caller must drop one pin (its own, or a duplicate
 * taken while it looked), false if the pin stays or there was none.
 */
bool xpv_refalloc_unpin_if_idle(struct xpv_refalloc *a)
{
	unsigned long flags, free;
	bool drop = true;
	long in_use;

	spin_lock_irqsave(&a->lock, flags);
	if (!xchg(&a->pinned, false)) {
		drop = false;
	} else {
		sum_locked(a, &free, &in_use);
		if (in_use)
			drop = xchg(&a->pinned, true);
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return drop;
}
