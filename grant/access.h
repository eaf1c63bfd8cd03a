/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Granting and ending access in a v1 grant entry, and the queue of entries a
 * backend still maps when their owner ends them (grant/access.c), pure logic
 * shared with the unit tests.
 */
#ifndef _XPV_GRANT_ACCESS_H
#define _XPV_GRANT_ACCESS_H

#include <linux/types.h>
#include <xen/interface/grant_table.h>

int xpv_gnt_entry_grant(struct grant_entry_v1 *e, domid_t domid,
			unsigned long gfn, bool readonly);
bool xpv_gnt_entry_end(struct grant_entry_v1 *e);
bool xpv_gnt_entry_active(const struct grant_entry_v1 *e);

/**
 * struct xpv_gnt_deferred - an entry a backend still used when it was ended
 * @next:  next in the queue
 * @ref:   the grant reference, not reusable until the end succeeds
 * @domid: the domain it was granted to (for messages)
 * @page:  the owner's page, released with the reference, or NULL
 * @tries: failed retries so far
 * @due:   when to retry next (the owner's clock, e.g. jiffies)
 */
struct xpv_gnt_deferred {
	struct xpv_gnt_deferred *next;
	grant_ref_t ref;
	domid_t domid;
	void *page;
	unsigned int tries;
	unsigned long due;
};

/**
 * struct xpv_gnt_defer_queue - deferred entries, in the order they came
 * @head:       oldest entry
 * @tail:       where the next entry is linked
 * @nr:         entries queued
 * @deferred:   entries ever queued
 * @released:   entries whose end succeeded on a retry
 * @retries:    retries that found the entry still in use
 * @base:       first retry delay; it doubles per failed retry...
 * @max:        ...up to this
 * @warn_tries: failed retries after which an entry is reported stuck, once
 *
 * No locking: the owner serialises all calls on one queue.
 */
struct xpv_gnt_defer_queue {
	struct xpv_gnt_deferred *head;
	struct xpv_gnt_deferred **tail;
	unsigned int nr;
	unsigned long deferred;
	unsigned long released;
	unsigned long retries;
	unsigned long base;
	unsigned long max;
	unsigned int warn_tries;
};

void xpv_defer_init(struct xpv_gnt_defer_queue *q, unsigned long base,
		    unsigned long max, unsigned int warn_tries);
unsigned long xpv_defer_backoff(const struct xpv_gnt_defer_queue *q,
				unsigned int tries);
void xpv_defer_add(struct xpv_gnt_defer_queue *q, struct xpv_gnt_deferred *d,
		   grant_ref_t ref, domid_t domid, void *page,
		   unsigned long now);
unsigned int xpv_defer_retry(struct xpv_gnt_defer_queue *q, unsigned long now,
			     bool (*try_end)(void *ctx, grant_ref_t ref),
			     void (*stuck)(void *ctx,
					   const struct xpv_gnt_deferred *d),
			     void *ctx, struct xpv_gnt_deferred **done);
bool xpv_defer_next_due(const struct xpv_gnt_defer_queue *q,
			unsigned long *due);

#endif /* _XPV_GRANT_ACCESS_H */
