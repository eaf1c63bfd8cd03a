// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grants checked through Xen itself: GNTTABOP_copy from a grant of one of
 * our pages into another page of ours (by gfn), the other direction into a
 * writable grant, and a copy into a read-only grant, which Xen must refuse.
 *
 * Xen lets a domain copy through a grant made to its own domain id, which a
 * guest without xenstore does not know: gtest_find_domid() finds it as the
 * one id whose grant Xen honours.
 */
#include "gtest.h"
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <xpv/grant.h>

#define MAX_DOMID_PROBE 1024

/* Copy @len bytes from gref @ref (ours) to page @dst, or the other way. */
static int copy_one(grant_ref_t ref, bool ref_is_dest, struct page *other,
		    unsigned int ref_off, unsigned int other_off,
		    unsigned int len)
{
	struct gnttab_copy op = { .len = len };
	struct gnttab_copy_ptr *g = ref_is_dest ? &op.dest : &op.source;
	struct gnttab_copy_ptr *p = ref_is_dest ? &op.source : &op.dest;
	int ret;

	g->u.ref = ref;
	g->domid = DOMID_SELF;
	g->offset = ref_off;
	p->u.gmfn = page_to_pfn(other);
	p->domid = DOMID_SELF;
	p->offset = other_off;
	op.flags = ref_is_dest ? GNTCOPY_dest_gref : GNTCOPY_source_gref;
	ret = xpv_grant_copy(&op, 1);
	return ret ? ret : op.status;
}

static struct page *pattern_page(u8 seed)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	u8 *p;
	unsigned int i;

	if (!pg)
		return NULL;
	p = page_address(pg);
	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = seed ? (u8)(i * 7 + seed) : 0;
	return pg;
}

/**
 * gtest_find_domid() - our domain id: the one Xen lets us copy through
 * @self: set to it
 *
 * Return: 0, -ENOMEM, or -ENOENT if no id up to MAX_DOMID_PROBE works.
 */
int gtest_find_domid(domid_t *self)
{
	struct page *src = pattern_page(3), *dst = pattern_page(0);
	int ret = -ENOENT, ref, status;
	domid_t d;

	if (!src || !dst) {
		ret = -ENOMEM;
		goto out;
	}
	for (d = 0; d < MAX_DOMID_PROBE; d++) {
		ref = xpv_grant_access(d, page_to_pfn(src), true);
		if (ref < 0) {
			ret = ref;
			break;
		}
		status = copy_one(ref, false, dst, 0, 0, 64);
		xpv_grant_end_access(ref, NULL);
		if (status == GNTST_okay) {
			*self = d;
			ret = 0;
			break;
		}
	}
out:
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
	return ret;
}

static void copy_from_readonly_grant(domid_t self)
{
	const char *desc = "GNTTABOP_copy from a read-only grant reads the page";
	struct page *src = pattern_page(11), *dst = pattern_page(0);
	int ref, status;

	if (!src || !dst) {
		xt_check(false, desc, "no memory");
		goto out;
	}
	ref = xpv_grant_access(self, page_to_pfn(src), true);
	if (!xt_check(ref >= 8, "xpv_grant_access gives an unreserved ref",
		      "got %d", ref))
		goto out;
	status = copy_one(ref, false, dst, 0, 0, PAGE_SIZE);
	xt_check(status == GNTST_okay &&
		 !memcmp(page_address(src), page_address(dst), PAGE_SIZE),
		 desc, "status %d, contents %s", status,
		 status ? "n/a" : "differ");
	/* Offsets within the pages. */
	memset(page_address(dst), 0, PAGE_SIZE);
	status = copy_one(ref, false, dst, 100, 2000, 300);
	xt_check(status == GNTST_okay &&
		 !memcmp(page_address(src) + 100, page_address(dst) + 2000,
			 300) &&
		 !memchr_inv(page_address(dst), 0, 2000),
		 "GNTTABOP_copy honours offsets and length", "status %d",
		 status);
	xt_check(xpv_grant_end_access(ref, NULL) == 0,
		 "end_access of an unmapped grant releases it at once",
		 "deferred");
out:
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
}

static void copy_into_grants(domid_t self)
{
	struct page *src = pattern_page(29), *rw = pattern_page(0);
	struct page *ro = pattern_page(0);
	int ref_rw = -1, ref_ro = -1, status;

	if (!src || !rw || !ro) {
		xt_check(false, "copy into grants", "no memory");
		goto out;
	}
	ref_rw = xpv_grant_access(self, page_to_pfn(rw), false);
	ref_ro = xpv_grant_access(self, page_to_pfn(ro), true);
	if (!xt_check(ref_rw >= 8 && ref_ro >= 8 && ref_rw != ref_ro,
		      "two grants get two refs", "%d, %d", ref_rw, ref_ro))
		goto out;
	status = copy_one(ref_rw, true, src, 0, 0, PAGE_SIZE);
	xt_check(status == GNTST_okay &&
		 !memcmp(page_address(src), page_address(rw), PAGE_SIZE),
		 "GNTTABOP_copy into a writable grant writes the page",
		 "status %d", status);
	status = copy_one(ref_ro, true, src, 0, 0, PAGE_SIZE);
	xt_check(status != GNTST_okay &&
		 !memchr_inv(page_address(ro), 0, PAGE_SIZE),
		 "GNTTABOP_copy into a read-only grant is refused",
		 "status %d", status);
	/* A grant to a domain that is not us does not let us through. */
	xpv_grant_end_access(ref_ro, NULL);
	ref_ro = xpv_grant_access(self + 1, page_to_pfn(ro), false);
	status = copy_one(ref_ro, true, src, 0, 0, PAGE_SIZE);
	xt_check(ref_ro >= 8 && status != GNTST_okay &&
		 !memchr_inv(page_address(ro), 0, PAGE_SIZE),
		 "GNTTABOP_copy through another domain's grant is refused",
		 "ref %d, status %d", ref_ro, status);
	/* A revoked grant no longer works. */
	xpv_grant_end_access(ref_rw, NULL);
	status = copy_one(ref_rw, true, src, 0, 0, 16);
	ref_rw = -1;
	xt_check(status != GNTST_okay,
		 "GNTTABOP_copy through an ended grant is refused",
		 "status %d", status);
out:
	if (ref_rw >= 0)
		xpv_grant_end_access(ref_rw, NULL);
	if (ref_ro >= 0)
		xpv_grant_end_access(ref_ro, NULL);
	if (src)
		__free_page(src);
	if (rw)
		__free_page(rw);
	if (ro)
		__free_page(ro);
}

static void batch_grants(domid_t self)
{
	struct page *src = pattern_page(5), *dst = pattern_page(0);
	grant_ref_t refs[16];
	unsigned int i;
	int ret, bad = 0;

	if (!src || !dst) {
		xt_check(false, "batch claim", "no memory");
		goto out;
	}
	ret = xpv_grant_claim(ARRAY_SIZE(refs), refs);
	if (!xt_check(!ret, "xpv_grant_claim of 16 refs", "%d", ret))
		goto out;
	for (i = 0; i < ARRAY_SIZE(refs); i++) {
		ret = xpv_grant_access_ref(refs[i], self, page_to_pfn(src),
					   true);
		if (ret || copy_one(refs[i], false, dst, 0, 0, PAGE_SIZE))
			bad++;
	}
	xt_check(!bad && !memcmp(page_address(src), page_address(dst),
				 PAGE_SIZE),
		 "claimed refs grant access (xpv_grant_access_ref)",
		 "%d failed", bad);
	ret = xpv_grant_access_ref(refs[0], self, page_to_pfn(src), true);
	xt_check(ret == -EBUSY, "granting through an active ref is refused",
		 "%d", ret);
	/* Release ends the grants it is given. */
	xpv_grant_release(ARRAY_SIZE(refs), refs);
	xt_check(copy_one(refs[3], false, dst, 0, 0, 16) != GNTST_okay,
		 "xpv_grant_release ends access", "copy still works");
out:
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
}

/**
 * gtest_copy() - the GNTTABOP_copy checks
 * @self: our domain id
 */
void gtest_copy(domid_t self)
{
	struct xpv_grant_stats st;
	int ref;

	xpv_grant_get_stats(&st);
	copy_from_readonly_grant(self);
	copy_into_grants(self);
	batch_grants(self);
	ref = xpv_grant_access(self, 1UL << 32, false);
	xt_check(ref == -EINVAL, "a gfn beyond 32 bits is refused", "%d",
		 ref);
	if (ref >= 0)
		xpv_grant_end_access(ref, NULL);
	gtest_idle("copy", st.refs_in_use);
}
