/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counters of one xpv_blkfront ring, and what the last protocol violation by
 * the backend was.
 *
 * Pure data: the request logic (request.c) and the grant pools
 * (persistent.c) update a ring's counters under that ring's lock only, so
 * plain u64 fields suffice; the glue sums the rings and lists every field,
 * named by xpv_blk_counter_names[], in sysfs or debugfs.
 */
#ifndef _XPV_BLKFRONT_COUNTERS_H
#define _XPV_BLKFRONT_COUNTERS_H

#include <xpv/xpv.h>
#include <linux/types.h>

/**
 * struct xpv_blk_pool_stat - how a pool of persistent grants fared
 * @hits:   entries reused, already granted
 * @misses: entries made (a page allocated and granted) for want of a free one
 * @full:   requests for an entry refused (all in use, or no page could be
 *          had): the caller used a one-shot grant instead
 */
struct xpv_blk_pool_stat {
	u64 hits;
	u64 misses;
	u64 full;
};

/**
 * struct xpv_blk_counters - per-ring statistics, all u64, in name order
 * @requests:       requests put on the ring
 * @reads:          of which BLKIF_OP_READ (direct or indirect)
 * @writes:         of which BLKIF_OP_WRITE (direct or indirect)
 * @flushes:        of which BLKIF_OP_FLUSH_DISKCACHE or _WRITE_BARRIER
 * @discards:       of which BLKIF_OP_DISCARD
 * @segments:       data segments of those requests
 * @indirect:       requests sent as BLKIF_OP_INDIRECT
 * @indirect_pages: indirect pages those used
 * @bounced:        segments copied through a page of the frontend
 * @pgrant:         the data pool (persistent grants of bounce pages)
 * @ipool:          the indirect-page pool
 * @kicks:          pushes after which the backend asked to be notified
 * @ring_full:      requests refused for want of a ring slot or id, or
 *                  (persistent grants) of a pool entry
 * @grant_fail:     requests refused for want of a grant or page
 * @completed:      responses consumed and completed
 * @errors:         responses with status BLKIF_RSP_ERROR
 * @notsupp:        responses with status BLKIF_RSP_EOPNOTSUPP
 * @aborted:        requests released unanswered (xpv_blk_release_all())
 * @lies:           protocol violations by the backend (struct xpv_blk_lie)
 */
struct xpv_blk_counters {
	u64 requests;
	u64 reads;
	u64 writes;
	u64 flushes;
	u64 discards;
	u64 segments;
	u64 indirect;
	u64 indirect_pages;
	u64 bounced;
	struct xpv_blk_pool_stat pgrant;
	struct xpv_blk_pool_stat ipool;
	u64 kicks;
	u64 ring_full;
	u64 grant_fail;
	u64 completed;
	u64 errors;
	u64 notsupp;
	u64 aborted;
	u64 lies;
};

#define XPV_BLK_NR_COUNTERS (sizeof(struct xpv_blk_counters) / sizeof(u64))

extern const char *const xpv_blk_counter_names[];

/**
 * struct xpv_blk_lie - the last protocol violation seen, for a clear error
 * @what:  what the backend did, e.g. "response for an id not in flight"
 * @value: the offending value (an id, an operation, a status...)
 *
 * @what is NULL until the first violation; it points to a string constant.
 */
struct xpv_blk_lie {
	const char *what;
	s64 value;
};

u64 xpv_blk_counter_get(const struct xpv_blk_counters *c, unsigned int i);
void xpv_blk_counters_add(struct xpv_blk_counters *sum,
			  const struct xpv_blk_counters *c);
void xpv_blk_lie(struct xpv_blk_lie *lie, struct xpv_blk_counters *c,
		 const char *what, s64 value);

#endif /* _XPV_BLKFRONT_COUNTERS_H */
