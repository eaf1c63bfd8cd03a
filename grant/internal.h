/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces of xpv_grant.ko. */
#ifndef _XPV_GRANT_INTERNAL_H
#define _XPV_GRANT_INTERNAL_H

#define pr_fmt(fmt) "xpv: grant: " fmt

#include <xpv/xpv.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <xen/interface/grant_table.h>
#include "access.h"
#include "refalloc.h"

/* References per 4 KiB table frame. */
#define XPV_GNT_PER_FRAME (PAGE_SIZE / sizeof(struct grant_entry_v1))

/**
 * struct xpv_gnt - the state of xpv_grant.ko
 * @table:        the table frames, mapped cacheable (all @max_frames)
 * @base:         guest physical address of frame 0 (the DT grant region)
 * @nr_frames:    frames mapped at load
 * @max_frames:   frames the table may grow to (Xen's limit, the region's
 *                size and the max_frames parameter, whichever is least)
 * @alloc:        the reference allocator
 * @pool:         its pool storage
 * @mags:         its per-CPU magazines
 * @idle_work:    drops the module pin once no reference is in use
 * @defer_lock:   protects @defer
 * @defer:        entries a backend still used when ended
 * @defer_work:   retries @defer
 * @leaked:       references abandoned when a deferral could not be tracked
 * @stale:        active entries found in the table at load
 */
struct xpv_gnt {
	struct grant_entry_v1 *table;
	phys_addr_t base;
	unsigned int nr_frames;
	unsigned int max_frames;
	struct xpv_refalloc alloc;
	grant_ref_t *pool;
	struct xpv_refmag *mags;
	struct delayed_work idle_work;
	spinlock_t defer_lock;		/* @defer */
	struct xpv_gnt_defer_queue defer;
	struct delayed_work defer_work;
	unsigned long leaked;
	unsigned int stale;
};

extern struct xpv_gnt xpv_gnt;

/* frames.c */
int xpv_gnt_frames_init(struct xpv_gnt *g, unsigned int cap);
int xpv_gnt_frame_map(struct xpv_gnt *g, unsigned int frame);
void xpv_gnt_frames_exit(struct xpv_gnt *g, unsigned int nr_frames);
unsigned int xpv_gnt_count_active(struct xpv_gnt *g, unsigned int nr_frames);

/* refs.c */
int xpv_gnt_refs_init(struct xpv_gnt *g);
void xpv_gnt_refs_exit(struct xpv_gnt *g);
bool xpv_gnt_ref_valid(grant_ref_t ref);

/* deferred.c */
void xpv_gnt_defer_init(struct xpv_gnt *g);
void xpv_gnt_defer(struct xpv_gnt *g, grant_ref_t ref, struct page *page);
void xpv_gnt_defer_exit(struct xpv_gnt *g);

/* debugfs.c */
void xpv_gnt_debugfs_init(struct xpv_gnt *g);
void xpv_gnt_debugfs_exit(void);

#endif /* _XPV_GRANT_INTERNAL_H */
