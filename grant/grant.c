// SPDX-License-Identifier: GPL-2.0-only
/*
 * Granting and ending access: the exported API frontends use per page.
 */
#include "internal.h"
#include <linux/mm.h>
#include <linux/smp.h>
#include <xpv/grant.h>
#include <xpv/hypercall.h>

/**
 * xpv_grant_access() - let @domid access page @gfn of ours
 * @domid:    the domain (usually the backend's)
 * @gfn:      guest frame number of the page (page_to_pfn() on ARM)
 * @readonly: allow reads only
 *
 * Return: the grant reference to pass to the backend, -ENOSPC if none is
 * free (see xpv_grant_request_callback()), -EINVAL if @gfn is too large.
 */
int xpv_grant_access(domid_t domid, unsigned long gfn, bool readonly)
{
	unsigned int tries;
	grant_ref_t ref;
	int ret;

	for (tries = 0; tries < 4; tries++) {
		ret = xpv_refalloc_get(&xpv_gnt.alloc, raw_smp_processor_id(),
				       &ref);
		if (ret)
			return ret;
		ret = xpv_gnt_entry_grant(&xpv_gnt.table[ref], domid, gfn,
					  readonly);
		if (!ret)
			return ref;
		if (ret != -EBUSY) {
			xpv_refalloc_put(&xpv_gnt.alloc,
					 raw_smp_processor_id(), ref);
			return ret;
		}
		/* Left active by a previous user: end it, or wait for it. */
		xpv_grant_end_access(ref, NULL);
	}
	return -ENOSPC;
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_access, XPV);

/**
 * xpv_grant_access_ref() - grant through a reference from xpv_grant_claim()
 * @ref:      the reference; its entry must be free (never granted, or ended)
 * @domid:    the domain
 * @gfn:      guest frame number of the page
 * @readonly: allow reads only
 *
 * Return: 0; -EINVAL for a bad @ref or @gfn; -EBUSY if the entry is active.
 */
int xpv_grant_access_ref(grant_ref_t ref, domid_t domid, unsigned long gfn,
			 bool readonly)
{
	if (!xpv_gnt_ref_valid(ref))
		return -EINVAL;
	return xpv_gnt_entry_grant(&xpv_gnt.table[ref], domid, gfn, readonly);
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_access_ref, XPV);

/**
 * xpv_grant_try_end_access() - revoke access through @ref if unused
 * @ref: the reference, kept by the caller either way
 *
 * For callers that reuse their references (xpv_grant_access_ref()).
 *
 * Return: true if the entry grants nothing any more; false if a backend
 * still maps or copies through it (nothing changed) or @ref is bad.
 */
bool xpv_grant_try_end_access(grant_ref_t ref)
{
	if (WARN_ONCE(!xpv_gnt_ref_valid(ref),
		      "xpv: grant: end of bad ref %u\n", ref))
		return false;
	return xpv_gnt_entry_end(&xpv_gnt.table[ref]);
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_try_end_access, XPV);

/**
 * xpv_grant_end_access() - revoke access through @ref and free it
 * @ref:  a reference from xpv_grant_access() (or xpv_grant_claim())
 * @page: the granted page, whose reference the caller hands over: it is
 *        put_page()d once no backend uses it; or NULL if the caller keeps
 *        the page (and must then not reuse it while this returns 1)
 *
 * If the backend still maps the page, the reference (and @page) are kept
 * and retried in the background; they are released when the backend lets
 * go, never before.
 *
 * Return: 0 if released now, 1 if deferred, -EINVAL for a bad @ref.
 */
int xpv_grant_end_access(grant_ref_t ref, struct page *page)
{
	if (WARN_ONCE(!xpv_gnt_ref_valid(ref),
		      "xpv: grant: end of bad ref %u\n", ref))
		return -EINVAL;
	if (!xpv_gnt_entry_end(&xpv_gnt.table[ref])) {
		xpv_gnt_defer(&xpv_gnt, ref, page);
		return 1;
	}
	xpv_refalloc_put(&xpv_gnt.alloc, raw_smp_processor_id(), ref);
	if (page)
		put_page(page);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_end_access, XPV);

/**
 * xpv_grant_copy() - GNTTABOP_copy: let Xen copy between granted pages
 * @ops: the copy operations; each op's status is set (GNTST_*)
 * @n:   how many
 *
 * Return: 0 if Xen processed the batch (check each status), or a negative
 * errno if it rejected the call as a whole.
 */
int xpv_grant_copy(struct gnttab_copy *ops, unsigned int n)
{
	return xpv_grant_table_op(GNTTABOP_copy, ops, n);
}
EXPORT_SYMBOL_NS_GPL(xpv_grant_copy, XPV);
