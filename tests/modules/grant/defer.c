// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ending access while a backend maps the page. We play the backend: map our
 * own grant with GNTTABOP_map_grant_ref at a free guest-physical page (the
 * last page of the DT grant region, far above any table frame), so Xen marks
 * the entry GTF_reading; end it; check the page and reference are held and
 * the entry deferred; unmap; check both are released.
 */
#include "gtest.h"
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <xpv/grant.h>
#include <xpv/hypercall.h>
#include <xpv/platform.h>

static int map_own(domid_t self, grant_ref_t ref, u64 addr,
		   grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
		.host_addr = addr,
		.flags = GNTMAP_host_map | GNTMAP_readonly,
		.ref = ref,
		.dom = self,
	};
	int ret = xpv_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

	*handle = op.handle;
	return ret ? ret : op.status;
}

static int unmap_own(u64 addr, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {
		.host_addr = addr,
		.handle = handle,
	};
	int ret = xpv_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

	return ret ? ret : op.status;
}

/* Wait up to @ms for the deferred count to fall back to @deferred. */
static bool wait_deferred(unsigned int deferred, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	struct xpv_grant_stats st;

	do {
		xpv_grant_get_stats(&st);
		if (st.deferred == deferred)
			return true;
		msleep(20);
	} while (time_before(jiffies, end));
	return false;
}

/**
 * gtest_defer() - end_access while mapped defers, unmapping releases
 * @self: our domain id
 */
void gtest_defer(domid_t self)
{
	const char *desc = "end_access of a mapped grant is deferred";
	u64 addr = xpv_platform()->gnttab.end + 1 - PAGE_SIZE;
	struct xpv_grant_stats before, st;
	struct page *pg = alloc_page(GFP_KERNEL);
	grant_handle_t handle;
	int ref, ret;

	if (!pg) {
		xt_check(false, desc, "no memory");
		return;
	}
	xpv_grant_get_stats(&before);
	ref = xpv_grant_access(self, page_to_pfn(pg), true);
	if (ref < 0) {
		xt_check(false, desc, "no ref: %d", ref);
		__free_page(pg);
		return;
	}
	ret = map_own(self, ref, addr, &handle);
	if (ret) {
		xt_skip(desc, "Xen refused to map our own grant: %d", ret);
		xpv_grant_end_access(ref, pg);
		return;
	}
	xt_check(true, "GNTTABOP_map_grant_ref of our own grant", "%s",
		 "");
	get_page(pg);		/* ours, to watch the one handed over */
	ret = xpv_grant_end_access(ref, pg);
	xpv_grant_get_stats(&st);
	xt_check(ret == 1 && st.deferred == before.deferred + 1 &&
		 st.deferred_total == before.deferred_total + 1, desc,
		 "end_access %d, deferred %u (was %u)", ret, st.deferred,
		 before.deferred);
	msleep(300);		/* several retries */
	xpv_grant_get_stats(&st);
	xt_check(st.deferred == before.deferred + 1 &&
		 page_count(pg) == 2 &&
		 st.refs_in_use == before.refs_in_use + 1,
		 "a deferred grant keeps its page and ref while mapped",
		 "deferred %u, page count %d, in use %ld", st.deferred,
		 page_count(pg), st.refs_in_use);
	ret = unmap_own(addr, handle);
	xt_check(!ret, "GNTTABOP_unmap_grant_ref of our own grant", "%d",
		 ret);
	xt_check(wait_deferred(before.deferred, 5000),
		 "the deferred grant is released once unmapped",
		 "still deferred after 5 s");
	xpv_grant_get_stats(&st);
	xt_check(page_count(pg) == 1 &&
		 st.deferred_released == before.deferred_released + 1,
		 "the deferred page is handed back once unmapped",
		 "page count %d, released %lu (was %lu)", page_count(pg),
		 st.deferred_released, before.deferred_released);
	put_page(pg);
	gtest_idle("defer", before.refs_in_use);
}
