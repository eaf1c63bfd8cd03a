/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables for xpv frontends (xpv_grant.ko): give another domain access
 * to a page of ours through a grant reference, and take it back safely.
 *
 * Grant table v1. References 0..GNTTAB_NR_RESERVED_ENTRIES-1 belong to the
 * toolstack and are never handed out. The table grows on demand up to the
 * size Xen allows.
 *
 * Ending access never frees or reuses a page or reference a backend still
 * maps: such entries are retried in the background (with backoff) and their
 * reference, and page if one was handed over, released only then.
 *
 * All functions may be called from any context, interrupts included, unless
 * noted; none sleeps.
 */
#ifndef _XPV_GRANT_H
#define _XPV_GRANT_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/grant_table.h>

struct page;

/**
 * struct xpv_grant_callback - a request to be told when references free up
 * @next:   internal
 * @fn:     called once, from whatever context freed the references, with an
 *          xpv_grant spinlock held and interrupts off: it must not sleep nor
 *          call into xpv_grant (schedule work or kick a queue instead)
 * @arg:    argument of @fn
 * @count:  how many free references are wanted
 * @queued: internal
 *
 * Owned by the caller (usually embedded in its device structure); see
 * xpv_grant_request_callback().
 */
struct xpv_grant_callback {
	struct xpv_grant_callback *next;
	void (*fn)(void *arg);
	void *arg;
	unsigned int count;
	bool queued;
};

/**
 * struct xpv_grant_stats - state of the grant table, for tests and debugging
 * @frames:            table frames in use
 * @max_frames:        the most frames the table may grow to
 * @refs_total:        references the current frames hold, reserved excepted
 * @refs_free:         free references
 * @refs_in_use:       references handed out, deferred ones included
 * @deferred:          references waiting for a backend to let go
 * @deferred_total:    references ever deferred
 * @deferred_released: deferred references released after all
 * @leaked:            references abandoned (no memory to track a deferral)
 * @exhausted:         allocations refused for want of references
 * @callbacks:         free callbacks made
 */
struct xpv_grant_stats {
	unsigned int frames;
	unsigned int max_frames;
	unsigned long refs_total;
	unsigned long refs_free;
	long refs_in_use;
	unsigned int deferred;
	unsigned long deferred_total;
	unsigned long deferred_released;
	unsigned long leaked;
	unsigned long exhausted;
	unsigned long callbacks;
};

int xpv_grant_access(domid_t domid, unsigned long gfn, bool readonly);
int xpv_grant_access_ref(grant_ref_t ref, domid_t domid, unsigned long gfn,
			 bool readonly);
bool xpv_grant_try_end_access(grant_ref_t ref);
int xpv_grant_end_access(grant_ref_t ref, struct page *page);
int xpv_grant_claim(unsigned int n, grant_ref_t *refs);
void xpv_grant_release(unsigned int n, const grant_ref_t *refs);
int xpv_grant_request_callback(struct xpv_grant_callback *cb,
			       void (*fn)(void *arg), void *arg,
			       unsigned int count);
bool xpv_grant_cancel_callback(struct xpv_grant_callback *cb);
int xpv_grant_copy(struct gnttab_copy *ops, unsigned int n);
void xpv_grant_get_stats(struct xpv_grant_stats *st);

#endif /* _XPV_GRANT_H */
