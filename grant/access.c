// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life of a v1 grant entry on the granting side, and the bookkeeping of
 * entries that cannot be ended yet. Pure logic: also compiled by the
 * userspace unit tests.
 *
 * Xen sets GTF_reading/GTF_writing in the flags word while a backend maps or
 * copies the granted frame, with a compare-and-exchange that requires
 * GTF_permit_access. Ending access is the mirror image: clear the flags with
 * a compare-and-exchange that expects neither bit set. Whichever exchange
 * wins decides; the loser sees the other's value and acts on it.
 */
#include <xpv/xpv.h>
#include <asm/barrier.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include "access.h"

#define GNT_IN_USE (GTF_reading | GTF_writing)

/**
 * xpv_gnt_entry_grant() - let @domid access frame @gfn through entry @e
 * @e:        the entry; it must be free (flags zero)
 * @domid:    the domain granted access
 * @gfn:      the guest frame number of the page
 * @readonly: grant read access only
 *
 * The frame and domain are visible to Xen before the flags that make the
 * entry valid.
 *
 * Return: 0, -EINVAL if @gfn does not fit a v1 entry, -EBUSY if @e is not
 * free (nothing is written then).
 */
int xpv_gnt_entry_grant(struct grant_entry_v1 *e, domid_t domid,
			unsigned long gfn, bool readonly)
{
	u16 flags = GTF_permit_access;

	if (gfn != (uint32_t)gfn)
		return -EINVAL;
	if (READ_ONCE(e->flags))
		return -EBUSY;
	if (readonly)
		flags |= GTF_readonly;
	WRITE_ONCE(e->domid, domid);
	WRITE_ONCE(e->frame, (uint32_t)gfn);
	/* Xen must see domid and frame before the flags validate them. */
	virt_wmb();
	WRITE_ONCE(e->flags, flags);
	return 0;
}

/**
 * xpv_gnt_entry_end() - revoke the access entry @e grants, if unused
 * @e: the entry
 *
 * Return: true if the entry is now invalid and no mapping or copy uses it
 * (also if it granted nothing); false if a backend still maps it or copies
 * through it: the entry is left as it is.
 */
bool xpv_gnt_entry_end(struct grant_entry_v1 *e)
{
	u16 flags = READ_ONCE(e->flags), seen;

	for (;;) {
		if (flags & GNT_IN_USE)
			return false;
		seen = cmpxchg(&e->flags, flags, 0);
		if (seen == flags)
			return true;
		flags = seen;
	}
}

/**
 * xpv_gnt_entry_active() - does @e grant anything, or is it in use?
 * @e: the entry
 *
 * Return: true if its flags are not all clear.
 */
bool xpv_gnt_entry_active(const struct grant_entry_v1 *e)
{
	return READ_ONCE(e->flags) != 0;
}

/**
 * xpv_defer_init() - an empty deferral queue
 * @q:          the queue
 * @base:       first retry delay, at least 1
 * @max:        longest retry delay, at least @base
 * @warn_tries: failed retries after which an entry is reported stuck
 */
void xpv_defer_init(struct xpv_gnt_defer_queue *q, unsigned long base,
		    unsigned long max, unsigned int warn_tries)
{
	*q = (struct xpv_gnt_defer_queue) {
		.tail = &q->head,
		.base = base ? base : 1,
		.warn_tries = warn_tries,
	};
	q->max = max < q->base ? q->base : max;
}

/**
 * xpv_defer_backoff() - delay before the retry after @tries failed ones
 * @q:     the queue
 * @tries: failed retries so far
 *
 * Return: @q->base doubled @tries times, at most @q->max.
 */
unsigned long xpv_defer_backoff(const struct xpv_gnt_defer_queue *q,
				unsigned int tries)
{
	unsigned long delay = q->base;

	while (tries-- && delay < q->max)
		delay = delay > q->max / 2 ? q->max : delay * 2;
	return delay < q->max ? delay : q->max;
}

/**
 * xpv_defer_add() - queue an entry whose end failed
 * @q:     the queue
 * @d:     the node, owned by the queue until xpv_defer_retry() returns it
 * @ref:   the grant reference
 * @domid: the domain it was granted to
 * @page:  the owner's page to release with it, or NULL
 * @now:   the current time
 */
void xpv_defer_add(struct xpv_gnt_defer_queue *q, struct xpv_gnt_deferred *d,
		   grant_ref_t ref, domid_t domid, void *page,
		   unsigned long now)
{
	*d = (struct xpv_gnt_deferred) {
		.ref = ref,
		.domid = domid,
		.page = page,
		.due = now + xpv_defer_backoff(q, 0),
	};
	*q->tail = d;
	q->tail = &d->next;
	q->nr++;
	q->deferred++;
}

static bool is_due(const struct xpv_gnt_deferred *d, unsigned long now)
{
	return (long)(now - d->due) >= 0;
}

/**
 * xpv_defer_retry() - retry the entries due at @now
 * @q:       the queue
 * @now:     the current time
 * @try_end: ends the entry of a reference; true if it did
 * @stuck:   told once about an entry that failed @q->warn_tries retries, or
 *           NULL
 * @ctx:     argument of @try_end and @stuck
 * @done:    the entries that ended are unlinked and chained here (by @next,
 *           in queue order) for the owner to release their reference and page
 *
 * An entry that is not due yet, or still in use, stays queued; a failed
 * retry doubles its delay.
 *
 * Return: the number of entries chained to @done.
 */
unsigned int xpv_defer_retry(struct xpv_gnt_defer_queue *q, unsigned long now,
			     bool (*try_end)(void *ctx, grant_ref_t ref),
			     void (*stuck)(void *ctx,
					   const struct xpv_gnt_deferred *d),
			     void *ctx, struct xpv_gnt_deferred **done)
{
	struct xpv_gnt_deferred **pp = &q->head, *d, **dtail = done;
	unsigned int n = 0;

	*done = NULL;
	while ((d = *pp)) {
		if (!is_due(d, now)) {
			pp = &d->next;
			continue;
		}
		if (!try_end(ctx, d->ref)) {
			q->retries++;
			d->tries++;
			d->due = now + xpv_defer_backoff(q, d->tries);
			if (stuck && d->tries == q->warn_tries)
				stuck(ctx, d);
			pp = &d->next;
			continue;
		}
		*pp = d->next;
		if (!*pp)
			q->tail = pp;
		d->next = NULL;
		*dtail = d;
		dtail = &d->next;
		q->nr--;
		q->released++;
		n++;
	}
	return n;
}

/**
 * xpv_defer_next_due() - when the next retry is due
 * @q:   the queue
 * @due: set to the earliest due time, if any entry is queued
 *
 * Return: false if the queue is empty.
 */
bool xpv_defer_next_due(const struct xpv_gnt_defer_queue *q,
			unsigned long *due)
{
	const struct xpv_gnt_deferred *d;
	bool any = false;

	for (d = q->head; d; d = d->next) {
		if (!any || (long)(d->due - *due) < 0)
			*due = d->due;
		any = true;
	}
	return any;
}
