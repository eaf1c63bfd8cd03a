// SPDX-License-Identifier: GPL-2.0-only
/*
 * The grant-table frames: how many Xen allows (GNTTABOP_query_size), placing
 * them in the device tree's grant region (XENMEM_add_to_physmap with
 * XENMAPSPACE_grant_table, which also makes Xen grow its table to that
 * frame), and the kernel mapping of the region.
 *
 * On ARM no GNTTABOP_setup_table is needed: add_to_physmap of frame idx grows
 * the table to idx + 1 frames (up to the domain's maximum) and selects the v1
 * layout if no version was set, as Linux's auto-translated path relies on.
 */
#include "internal.h"
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <xpv/hypercall.h>
#include <xpv/platform.h>
#include <xen/interface/memory.h>

static int query_size(unsigned int *nr, unsigned int *max)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	int ret = xpv_grant_table_op(GNTTABOP_query_size, &q, 1);

	if (ret || q.status != GNTST_okay) {
		pr_err("GNTTABOP_query_size failed: %d, status %d\n", ret,
		       q.status);
		return -ENODEV;
	}
	*nr = q.nr_frames;
	*max = q.max_nr_frames;
	return 0;
}

/**
 * xpv_gnt_frame_map() - place table frame @frame in the grant region
 * @g:     the module state
 * @frame: frame index; Xen grows its table to include it
 *
 * Does not sleep: called with the allocator's pool lock held.
 *
 * Return: 0 or a negative errno from Xen.
 */
int xpv_gnt_frame_map(struct xpv_gnt *g, unsigned int frame)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table,
		.idx = frame,
		.gpfn = PHYS_PFN(g->base) + frame,
	};
	int ret = xpv_memory_op(XENMEM_add_to_physmap, &xatp);

	if (ret)
		pr_warn("cannot map grant frame %u: %d\n", frame, ret);
	return ret;
}

/**
 * xpv_gnt_frames_init() - size the table, map the region and the frames
 * @g:   the module state: fills @table, @base, @nr_frames, @max_frames
 * @cap: at most this many frames (0: no cap beyond Xen's and the region's)
 *
 * Return: 0 or a negative errno.
 */
int xpv_gnt_frames_init(struct xpv_gnt *g, unsigned int cap)
{
	const struct resource *r = &xpv_platform()->gnttab;
	unsigned int nr, max, i;
	int ret;

	ret = query_size(&nr, &max);
	if (ret)
		return ret;
	g->base = r->start;
	g->max_frames = min_t(unsigned long, max, resource_size(r) >> PAGE_SHIFT);
	if (cap)
		g->max_frames = min(g->max_frames, cap);
	/* Frames Xen already has stay in use; frame 0 at the very least. */
	g->nr_frames = clamp(nr, 1U, g->max_frames);
	if (!g->max_frames) {
		pr_err("no room for a grant table (Xen max %u, region %pR)\n",
		       max, r);
		return -ENODEV;
	}
	g->table = memremap(g->base, (size_t)g->max_frames << PAGE_SHIFT,
			    MEMREMAP_WB);
	if (!g->table) {
		pr_err("cannot map the grant region %pR\n", r);
		return -ENOMEM;
	}
	for (i = 0; i < g->nr_frames; i++) {
		ret = xpv_gnt_frame_map(g, i);
		if (ret) {
			xpv_gnt_frames_exit(g, i);
			return ret;
		}
	}
	pr_debug("Xen: %u of at most %u frames\n", nr, max);
	return 0;
}

/**
 * xpv_gnt_frames_exit() - take the frames out of the region and unmap it
 * @g:         the module state
 * @nr_frames: frames mapped
 *
 * Xen keeps its table; a later load maps the frames again.
 */
void xpv_gnt_frames_exit(struct xpv_gnt *g, unsigned int nr_frames)
{
	unsigned int i;
	int ret;

	memunmap(g->table);
	g->table = NULL;
	for (i = 0; i < nr_frames; i++) {
		struct xen_remove_from_physmap xrp = {
			.domid = DOMID_SELF,
			.gpfn = PHYS_PFN(g->base) + i,
		};

		ret = xpv_memory_op(XENMEM_remove_from_physmap, &xrp);
		if (ret) {
			pr_warn("cannot unmap grant frame %u: %d\n", i, ret);
			break;
		}
	}
}

/**
 * xpv_gnt_count_active() - entries that grant something or are in use
 * @g:         the module state
 * @nr_frames: frames to look at
 *
 * Return: the number of active entries beyond the reserved ones.
 */
unsigned int xpv_gnt_count_active(struct xpv_gnt *g, unsigned int nr_frames)
{
	unsigned long i, n = (unsigned long)nr_frames * XPV_GNT_PER_FRAME;
	unsigned int active = 0;

	for (i = GNTTAB_NR_RESERVED_ENTRIES; i < n; i++)
		active += xpv_gnt_entry_active(&g->table[i]);
	return active;
}
