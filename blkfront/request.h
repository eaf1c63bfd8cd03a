/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The request side of one xpv_blkfront ring, without the kernel: block
 * requests, described abstractly, become blkif requests on the shared ring;
 * responses are validated and release what their requests held.
 *
 * A read or write is a list of segments, each a run of 512-byte sectors of
 * one Xen page (first_sect..last_sect, inclusive, below 8). Up to
 * BLKIF_MAX_SEGMENTS_PER_REQUEST travel in the request itself; more (up to
 * the negotiated feature-max-indirect-segments) go as BLKIF_OP_INDIRECT,
 * their struct blkif_request_segment entries in indirect pages the backend
 * reads. A flush (BLKIF_OP_FLUSH_DISKCACHE, or BLKIF_OP_WRITE_BARRIER when
 * the backend has only barriers) may carry data segments too, never
 * indirect ones (blkback refuses); a discard carries none.
 *
 * Each segment's grant comes from the caller (struct xpv_blk_ops): either
 * the caller's page itself, granted for this request, or, when the ring
 * bounces (features.bounce), a frontend page: an entry of the ring's pool
 * of persistent grants if one is free, a one-shot frontend page otherwise,
 * with the data copied in before a write and out after a read. Indirect
 * pages come from the ring's indirect-page pool, or one-shot as well.
 *
 * The backend is not trusted: each response is copied once (xpv_ring), its
 * id must be in range and in flight, its operation the request's, its status
 * one blkif defines. Anything else is a lie: the ring is broken for good,
 * nothing is looked up by the bad id, and the glue shuts the device down,
 * releasing what is still in flight with xpv_blk_release_all().
 *
 * xpv_blk_queue() only prepares requests; xpv_blk_push() publishes them all
 * and says whether to notify, so a batch costs one notification.
 *
 * No locking: the caller serialises all calls per ring (the ring lock).
 */
#ifndef _XPV_BLKFRONT_REQUEST_H
#define _XPV_BLKFRONT_REQUEST_H

#include <xpv/xpv.h>
#include <xpv/ring.h>
#include <linux/types.h>
#include <xen/interface/io/blkif.h>
#include "counters.h"
#include "features.h"
#include "persistent.h"
#include "shadow.h"

/**
 * struct xpv_blk_seg - one segment of a read or write
 * @page:       the caller's page (opaque here; a struct page in the glue)
 * @frame:      byte offset of the Xen page from the start of @page, a
 *              multiple of 4 KiB
 * @first_sect: first 512-byte sector of the data in that Xen page
 * @last_sect:  last one, inclusive: first_sect <= last_sect < 8
 */
struct xpv_blk_seg {
	void *page;
	unsigned int frame;
	u8 first_sect;
	u8 last_sect;
};

/**
 * struct xpv_blk_req - a block request
 * @cookie:     the caller's request, handed back on completion
 * @op:         BLKIF_OP_READ, _WRITE, _FLUSH_DISKCACHE, _WRITE_BARRIER or
 *              _DISCARD (indirect is chosen here, never asked for)
 * @sector:     first 512-byte sector on the disk
 * @nr_sectors: sectors to discard (%BLKIF_OP_DISCARD only)
 * @secure:     a secure discard (BLKIF_DISCARD_SECURE)
 * @segs:       the data, in disk order
 * @nr_segs:    number of @segs: 1..features.max_segs for reads and writes,
 *              0..BLKIF_MAX_SEGMENTS_PER_REQUEST for flushes, 0 for discards
 */
struct xpv_blk_req {
	void *cookie;
	u8 op;
	blkif_sector_t sector;
	u64 nr_sectors;
	bool secure;
	const struct xpv_blk_seg *segs;
	unsigned int nr_segs;
};

/**
 * struct xpv_blk_done - how a request ended
 * @cookie:  the caller's request
 * @op:      its operation (BLKIF_OP_READ or _WRITE for indirect ones)
 * @status:  the backend's BLKIF_RSP_*; BLKIF_RSP_ERROR if @aborted
 * @err:     what it means: 0; -EOPNOTSUPP if the backend cannot do this
 *           flush or discard (the ring has turned the feature off: the glue
 *           turns it off for the disk, and may complete a flush as done);
 *           -EIO otherwise
 * @aborted: never answered: released by xpv_blk_release_all() (the glue may
 *           requeue it on a new ring)
 */
struct xpv_blk_done {
	void *cookie;
	u8 op;
	s16 status;
	int err;
	bool aborted;
};

/**
 * struct xpv_blk_ops - what the request logic asks of the driver
 * @buf:        frontend pages: bounce pages and indirect pages made one-shot
 *              (the pools use the same hooks)
 * @grant:      grant the backend access to the Xen page at byte @frame of
 *              the caller's @page, read-only if @readonly; store the
 *              reference in @ref. 0 or a negative errno.
 * @end_access: revoke @ref, a grant @grant made, and free it. 0 if done;
 *              -EBUSY if the backend still maps it: the driver then keeps
 *              the reference until it lets go, and must not fail.
 * @copy:       copy @len bytes at byte @offset between the frontend page
 *              @va and the Xen page at byte @frame of the caller's @page (at
 *              the same @offset): into @va if @to_va, else out of it
 * @complete:   a request has ended (called exactly once per request queued)
 */
struct xpv_blk_ops {
	struct xpv_blk_buf_ops buf;
	int (*grant)(void *ctx, void *page, unsigned int frame, bool readonly,
		     grant_ref_t *ref);
	int (*end_access)(void *ctx, grant_ref_t ref);
	void (*copy)(void *ctx, void *va, void *page, unsigned int frame,
		     unsigned int offset, unsigned int len, bool to_va);
	void (*complete)(void *ctx, const struct xpv_blk_done *done);
};

/**
 * struct xpv_blk_ring_params - what a ring is set up with
 * @feat:     the negotiated features (copied)
 * @ops:      the driver's hooks
 * @ctx:      their argument
 * @cnt:      the ring's counters
 * @pool:     persistent grants for bounced data (read-write), or NULL:
 *            every bounced segment then gets a one-shot page
 * @ind_pool: indirect pages (read-only), or NULL: one-shot ones
 */
struct xpv_blk_ring_params {
	const struct xpv_blk_features *feat;
	const struct xpv_blk_ops *ops;
	void *ctx;
	struct xpv_blk_counters *cnt;
	struct xpv_blk_pool *pool;
	struct xpv_blk_pool *ind_pool;
};

/**
 * struct xpv_blk_ring - request state of one ring
 * @ring:     the shared ring
 * @ids:      the shadow table
 * @feat:     what may be sent; a flush or discard the backend answers with
 *            BLKIF_RSP_EOPNOTSUPP turns its feature off here
 * @pool:     persistent grants for data, or NULL
 * @ind_pool: indirect pages, or NULL
 * @broken:   the backend lied; nothing more is sent or consumed
 * @lie:      what it did
 * @cnt:      the ring's counters
 * @ops:      the driver's hooks
 * @ctx:      their argument
 */
struct xpv_blk_ring {
	struct xpv_ring ring;
	struct xpv_blk_ids ids;
	struct xpv_blk_features feat;
	struct xpv_blk_pool *pool;
	struct xpv_blk_pool *ind_pool;
	bool broken;
	struct xpv_blk_lie lie;
	struct xpv_blk_counters *cnt;
	const struct xpv_blk_ops *ops;
	void *ctx;
};

unsigned int xpv_blk_ring_entries(size_t bytes);
unsigned int xpv_blk_grants_per_req(unsigned int max_segs);
size_t xpv_blk_ring_mem(size_t bytes, unsigned int max_segs);
int xpv_blk_ring_init(struct xpv_blk_ring *r, void *shared, size_t bytes,
		      void *mem, size_t mem_bytes,
		      const struct xpv_blk_ring_params *p);
bool xpv_blk_has_room(const struct xpv_blk_ring *r);
unsigned int xpv_blk_in_flight(const struct xpv_blk_ring *r);
int xpv_blk_queue(struct xpv_blk_ring *r, const struct xpv_blk_req *req);
bool xpv_blk_push(struct xpv_blk_ring *r);
int xpv_blk_collect(struct xpv_blk_ring *r, unsigned int budget);
bool xpv_blk_final_check(struct xpv_blk_ring *r);
unsigned int xpv_blk_release_all(struct xpv_blk_ring *r);

#endif /* _XPV_BLKFRONT_REQUEST_H */
