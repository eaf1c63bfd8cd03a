// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel side of the reference allocator (refalloc.c): its storage, growth
 * through the grant region, the module pin that makes rmmod refuse while
 * references are in use, and the exported batch and callback API.
 */
#include "internal.h"
#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <xpv/grant.h>

/* How long the pin outlives the last reference in use, at most. */
#define IDLE_CHECK_DELAY (HZ / 10)

static int refs_grow(struct xpv_refalloc *a, unsigned int frame)
{
	return xpv_gnt_frame_map(a->priv, frame);
}

/* The first reference in use since idle: rmmod must now refuse. */
static void refs_pin(struct xpv_refalloc *a)
{
	struct xpv_gnt *g = a->priv;

	__module_get(THIS_MODULE);
	queue_delayed_work(system_wq, &g->idle_work, IDLE_CHECK_DELAY);
}

static void refs_idle_work(struct work_struct *work)
{
	struct xpv_gnt *g = container_of(to_delayed_work(work), struct xpv_gnt,
					 idle_work);

	if (xpv_refalloc_unpin_if_idle(&g->alloc))
		module_put(THIS_MODULE);
	if (READ_ONCE(g->alloc.pinned))
		queue_delayed_work(system_wq, &g->idle_work, IDLE_CHECK_DELAY);
}

static const struct xpv_refalloc_ops refs_ops = {
	.grow = refs_grow,
	.pin = refs_pin,
};

/**
 * xpv_gnt_refs_init() - set up the allocator over the mapped frames
 * @g: the module state, frames mapped
 *
 * Return: 0 or -ENOMEM.
 */
int xpv_gnt_refs_init(struct xpv_gnt *g)
{
	size_t cap = (size_t)g->max_frames * XPV_GNT_PER_FRAME;
	int ret;

	INIT_DELAYED_WORK(&g->idle_work, refs_idle_work);
	g->pool = kvcalloc(cap, sizeof(*g->pool), GFP_KERNEL);
	g->mags = kcalloc(nr_cpu_ids, sizeof(*g->mags), GFP_KERNEL);
	if (!g->pool || !g->mags) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = xpv_refalloc_init(&g->alloc, g->pool, XPV_GNT_PER_FRAME,
				g->nr_frames, g->max_frames, g->mags,
				nr_cpu_ids, &refs_ops, g);
	if (!ret)
		return 0;
fail:
	kfree(g->mags);
	kvfree(g->pool);
	return ret;
}

/**
 * xpv_gnt_refs_exit() - tear the allocator down
 * @g: the module state; no reference may be in use (the pin guarantees it)
 */
void xpv_gnt_refs_exit(struct xpv_gnt *g)
{
	struct xpv_refalloc_stats st;

	cancel_delayed_work_sync(&g->idle_work);
	xpv_refalloc_stats(&g->alloc, &st);
	WARN(st.in_use || st.waiters,
	     "xpv: grant: unloading with %ld references in use, %u waiters\n",
	     st.in_use, st.waiters);
	kfree(g->mags);
	kvfree(g->pool);
}

/**
 * xpv_gnt_ref_valid() - is @ref an unreserved reference of the table?
 * @ref: the reference
 *
 * Return: true if it is.
 */
bool xpv_gnt_ref_valid(grant_ref_t ref)
{
	return xpv_refalloc_valid(&xpv_gnt.alloc, ref);
}

/**
 * xpv_grant_claim() - take @n grant references at once, all or none
 * @n:    how many
 * @refs: receives them; each grants nothing until xpv_grant_access_ref()
 *
 * For frontends that need many references (a ring's worth): one lock round
 * trip for the batch. Give them back with xpv_grant_release().
 *
 * Return: 0, or -ENOSPC (nothing taken) if fewer than @n can be had even
 * after growing the table to its maximum.
 */
int xpv_grant_claim(unsigned int n, grant_ref_t *refs)
{
	return xpv_refalloc_claim(&xpv_gnt.alloc, n, refs);
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_claim, XPV);

#define RELEASE_CHUNK 32

/**
 * xpv_grant_release() - end access through @n references and free them
 * @n:    how many
 * @refs: the references (from xpv_grant_claim() or xpv_grant_access())
 *
 * References a backend still maps are not freed now: they are deferred
 * like xpv_grant_end_access() does, and freed once the backend lets go.
 * Invalid references are reported once and ignored.
 */
void xpv_grant_release(unsigned int n, const grant_ref_t *refs)
{
	grant_ref_t chunk[RELEASE_CHUNK];
	unsigned int i, k = 0;

	for (i = 0; i < n; i++) {
		grant_ref_t ref = refs[i];

		if (WARN_ONCE(!xpv_gnt_ref_valid(ref),
			      "xpv: grant: release of bad ref %u\n", ref))
			continue;
		if (!xpv_gnt_entry_end(&xpv_gnt.table[ref])) {
			xpv_gnt_defer(&xpv_gnt, ref, NULL);
			continue;
		}
		chunk[k++] = ref;
		if (k == RELEASE_CHUNK) {
			xpv_refalloc_release(&xpv_gnt.alloc, k, chunk);
			k = 0;
		}
	}
	if (k)
		xpv_refalloc_release(&xpv_gnt.alloc, k, chunk);
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_release, XPV);

/**
 * xpv_grant_request_callback() - be called back when references free up
 * @cb:    the request, owned by the caller and not already queued
 * @fn:    the callback (see &struct xpv_grant_callback for its context)
 * @arg:   its argument
 * @count: how many free references are wanted
 *
 * Typically used after an allocation failed with -ENOSPC. If @count are
 * available already, @fn is called before this returns. Withdraw a request
 * with xpv_grant_cancel_callback() before freeing @cb.
 *
 * Return: 0; -EBUSY if @cb is queued; -EINVAL if @count can never be met.
 */
int xpv_grant_request_callback(struct xpv_grant_callback *cb,
			       void (*fn)(void *arg), void *arg,
			       unsigned int count)
{
	return xpv_refalloc_wait(&xpv_gnt.alloc, cb, fn, arg, count);
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_request_callback, XPV);

/**
 * xpv_grant_cancel_callback() - withdraw a callback request
 * @cb: the request
 *
 * Return: true if it was queued, false if it was not (or was called already).
 */
bool xpv_grant_cancel_callback(struct xpv_grant_callback *cb)
{
	return xpv_refalloc_cancel(&xpv_gnt.alloc, cb);
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_cancel_callback, XPV);

/**
 * xpv_grant_get_stats() - a snapshot of the grant table's state
 * @st: filled in
 */
void xpv_grant_get_stats(struct xpv_grant_stats *st)
{
	struct xpv_gnt *g = &xpv_gnt;
	struct xpv_refalloc_stats a;
	unsigned long flags;

	xpv_refalloc_stats(&g->alloc, &a);
	st->frames = a.nr_frames;
	st->max_frames = a.max_frames;
	st->refs_total = a.total;
	st->refs_free = a.free;
	st->refs_in_use = a.in_use;
	st->exhausted = a.exhausted;
	st->callbacks = a.callbacks;
	spin_lock_irqsave(&g->defer_lock, flags);
	st->deferred = g->defer.nr;
	st->deferred_total = g->defer.deferred;
	st->deferred_released = g->defer.released;
	st->leaked = g->leaked;
	spin_unlock_irqrestore(&g->defer_lock, flags);
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_get_stats, XPV);
