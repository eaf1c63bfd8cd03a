// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exhaustion and recovery: claim every reference the table can ever hold
 * (it grows to its maximum), check allocation then fails, that the
 * out-of-references callback waits and then fires when one comes back, and
 * that everything works again once all are freed.
 */
#include "gtest.h"
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <xpv/grant.h>

static int fired;

static void on_free(void *arg)
{
	WRITE_ONCE(fired, READ_ONCE(fired) + 1);
}

/* Claim in halving batches until not even one is left. */
static unsigned int claim_all(grant_ref_t *refs, unsigned int cap)
{
	unsigned int n = 0, batch = 512;

	while (batch && n < cap) {
		if (batch > cap - n)
			batch = cap - n;
		if (xpv_grant_claim(batch, refs + n))
			batch /= 2;
		else
			n += batch;
	}
	return n;
}

/**
 * gtest_exhaust() - run out of references and recover
 * @self: our domain id
 */
void gtest_exhaust(domid_t self)
{
	struct xpv_grant_callback cb = { };
	struct xpv_grant_stats before, st;
	unsigned int cap, n;
	grant_ref_t *refs;
	int ref, ret;

	xpv_grant_get_stats(&before);
	cap = before.max_frames * (PAGE_SIZE / sizeof(struct grant_entry_v1));
	refs = kvmalloc_array(cap, sizeof(*refs), GFP_KERNEL);
	if (!refs) {
		xt_check(false, "exhaust grant refs", "no memory");
		return;
	}
	n = claim_all(refs, cap);
	xpv_grant_get_stats(&st);
	xt_check(st.frames == st.max_frames && !st.refs_free &&
		 n + before.refs_in_use == st.refs_total,
		 "claiming every ref grows the table to its maximum",
		 "%u claimed, frames %u/%u, free %lu, total %lu", n,
		 st.frames, st.max_frames, st.refs_free, st.refs_total);
	ref = xpv_grant_access(self, 0, true);
	xt_check(ref == -ENOSPC, "xpv_grant_access fails when exhausted",
		 "%d", ref);
	ret = xpv_grant_request_callback(&cb, on_free, NULL, 1);
	xt_check(!ret && !READ_ONCE(fired),
		 "the out-of-refs callback waits while none is free",
		 "ret %d, fired %d", ret, READ_ONCE(fired));
	xpv_grant_release(1, &refs[--n]);
	xt_check(READ_ONCE(fired) == 1,
		 "the out-of-refs callback fires when a ref comes back",
		 "fired %d", READ_ONCE(fired));
	xpv_grant_cancel_callback(&cb);
	ref = xpv_grant_access(self, 0, true);
	xt_check(ref >= 8, "allocation works again after a free", "%d",
		 ref);
	if (ref >= 0)
		xpv_grant_end_access(ref, NULL);
	xpv_grant_release(n, refs);
	xpv_grant_get_stats(&st);
	xt_check(st.refs_in_use == before.refs_in_use &&
		 st.refs_free == st.refs_total - st.refs_in_use,
		 "after freeing all, the counters are back",
		 "in use %ld (was %ld), free %lu", st.refs_in_use,
		 before.refs_in_use, st.refs_free);
	n = claim_all(refs, cap);
	xt_check(n + before.refs_in_use == st.refs_total,
		 "every ref can be claimed again", "%u of %lu", n,
		 st.refs_total);
	xpv_grant_release(n, refs);
	ret = xpv_grant_request_callback(&cb, on_free, NULL, cap);
	xt_check(ret == -EINVAL,
		 "a callback for more refs than can exist is refused", "%d",
		 ret);
	kvfree(refs);
	gtest_idle("exhaust", before.refs_in_use);
}
