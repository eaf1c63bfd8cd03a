// SPDX-License-Identifier: GPL-2.0-only
/*
 * Entries a backend still mapped when their owner ended access: kept, with
 * their reference and page, on a queue (access.c) retried from a delayed
 * work with exponential backoff, and released only once the end succeeds.
 */
#include "internal.h"
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>

#define DEFER_BASE_MS 10	/* first retry */
#define DEFER_MAX_MS 2000	/* slowest retry */
#define DEFER_WARN_TRIES 20	/* about half a minute */

static bool defer_try_end(void *ctx, grant_ref_t ref)
{
	struct xpv_gnt *g = ctx;

	return xpv_gnt_entry_end(&g->table[ref]);
}

static void defer_stuck(void *ctx, const struct xpv_gnt_deferred *d)
{
	pr_warn("ref %u still in use by domain %u after %u retries\n",
		d->ref, d->domid, d->tries);
}

static void defer_release(struct xpv_gnt *g, struct xpv_gnt_deferred *done)
{
	struct xpv_gnt_deferred *d;

	while ((d = done)) {
		done = d->next;
		xpv_refalloc_put(&g->alloc, raw_smp_processor_id(), d->ref);
		if (d->page)
			put_page(d->page);
		kfree(d);
	}
}

static void defer_work(struct work_struct *work)
{
	struct xpv_gnt *g = container_of(to_delayed_work(work), struct xpv_gnt,
					 defer_work);
	struct xpv_gnt_deferred *done;
	unsigned long flags, due = 0;
	bool more;

	spin_lock_irqsave(&g->defer_lock, flags);
	xpv_defer_retry(&g->defer, jiffies, defer_try_end, defer_stuck, g,
			&done);
	more = xpv_defer_next_due(&g->defer, &due);
	spin_unlock_irqrestore(&g->defer_lock, flags);
	defer_release(g, done);
	if (more)
		queue_delayed_work(system_wq, &g->defer_work,
				   time_after(due, jiffies) ? due - jiffies : 1);
}

/**
 * xpv_gnt_defer_init() - an empty deferral queue
 * @g: the module state
 */
void xpv_gnt_defer_init(struct xpv_gnt *g)
{
	spin_lock_init(&g->defer_lock);
	xpv_defer_init(&g->defer, msecs_to_jiffies(DEFER_BASE_MS),
		       msecs_to_jiffies(DEFER_MAX_MS), DEFER_WARN_TRIES);
	INIT_DELAYED_WORK(&g->defer_work, defer_work);
}

/**
 * xpv_gnt_defer() - keep @ref (and @page) until its backend lets go
 * @g:    the module state
 * @ref:  a reference whose entry could not be ended
 * @page: the owner's page to put_page() with it, or NULL
 *
 * Without memory to track it, the reference and page are leaked, counted
 * and reported: never reused while a backend may map them.
 */
void xpv_gnt_defer(struct xpv_gnt *g, grant_ref_t ref, struct page *page)
{
	struct xpv_gnt_deferred *d = kmalloc(sizeof(*d), GFP_ATOMIC);
	domid_t domid = READ_ONCE(g->table[ref].domid);
	unsigned long flags;
	bool first;

	spin_lock_irqsave(&g->defer_lock, flags);
	if (!d) {
		g->leaked++;
		spin_unlock_irqrestore(&g->defer_lock, flags);
		pr_warn_ratelimited("no memory to defer ref %u (domain %u): leaked\n",
				    ref, domid);
		return;
	}
	first = !g->defer.nr;
	xpv_defer_add(&g->defer, d, ref, domid, page, jiffies);
	spin_unlock_irqrestore(&g->defer_lock, flags);
	if (first)
		mod_delayed_work(system_wq, &g->defer_work, g->defer.base);
	else
		queue_delayed_work(system_wq, &g->defer_work, g->defer.base);
}

/**
 * xpv_gnt_defer_exit() - stop retrying
 * @g: the module state; the queue is empty (its references pin the module)
 */
void xpv_gnt_defer_exit(struct xpv_gnt *g)
{
	cancel_delayed_work_sync(&g->defer_work);
	WARN(g->defer.nr, "xpv: grant: unloading with %u deferred entries\n",
	     g->defer.nr);
}
