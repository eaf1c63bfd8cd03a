// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_grant: grant tables (v1) for xpv frontends. Maps the table frames into
 * the device tree's grant region on demand, hands out references from a
 * per-CPU allocator, and ends access without ever freeing what a backend
 * still maps. rmmod refuses while any reference is in use.
 */
#include "internal.h"
#include <linux/module.h>
#include <linux/moduleparam.h>

struct xpv_gnt xpv_gnt;

static unsigned int max_frames;
module_param(max_frames, uint, 0444);
MODULE_PARM_DESC(max_frames,
		 "Grow the grant table to at most this many frames (0: as many as Xen allows)");

/* Active entries left in the table, e.g. by an earlier load: end them. */
static void clear_stale(struct xpv_gnt *g)
{
	unsigned long i, n = (unsigned long)g->nr_frames * XPV_GNT_PER_FRAME;

	for (i = GNTTAB_NR_RESERVED_ENTRIES; i < n; i++) {
		if (!xpv_gnt_entry_active(&g->table[i]))
			continue;
		g->stale++;
		if (!xpv_gnt_entry_end(&g->table[i]))
			pr_warn("ref %lu is still mapped by domain %u\n", i,
				READ_ONCE(g->table[i].domid));
	}
	if (g->stale)
		pr_warn("%u active grant entries found at load\n", g->stale);
}

static int __init xpv_grant_init(void)
{
	struct xpv_gnt *g = &xpv_gnt;
	int ret;

	if (PAGE_SIZE != 4096) {
		pr_err("needs 4 KiB pages (Xen's grant frames)\n");
		return -EINVAL;
	}
	ret = xpv_gnt_frames_init(g, max_frames);
	if (ret)
		return ret;
	clear_stale(g);
	xpv_gnt_defer_init(g);
	ret = xpv_gnt_refs_init(g);
	if (ret) {
		xpv_gnt_frames_exit(g, g->nr_frames);
		return ret;
	}
	xpv_gnt_debugfs_init(g);
	pr_info("grant table v1: %u of at most %u frames, %lu references\n",
		g->nr_frames, g->max_frames,
		(unsigned long)g->nr_frames * XPV_GNT_PER_FRAME -
		GNTTAB_NR_RESERVED_ENTRIES);
	return 0;
}
module_init(xpv_grant_init);

static void __exit xpv_grant_exit(void)
{
	struct xpv_gnt *g = &xpv_gnt;
	unsigned int nr_frames = READ_ONCE(g->alloc.nr_frames), active;

	xpv_gnt_debugfs_exit();
	xpv_gnt_defer_exit(g);
	xpv_gnt_refs_exit(g);
	active = xpv_gnt_count_active(g, nr_frames);
	if (active)
		pr_err("%u grant entries still active at unload\n", active);
	xpv_gnt_frames_exit(g, nr_frames);
	memset(g, 0, sizeof(*g));
}
module_exit(xpv_grant_exit);

MODULE_DESCRIPTION("xpv: grant tables for Xen guests without CONFIG_XEN");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XPV);
