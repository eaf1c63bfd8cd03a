/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shadow table of one xpv_blkfront ring: request ids, a free list of
 * them, and for each id in flight what its response must release (the
 * caller's request, every grant its segments and indirect pages hold).
 *
 * The backend echoes ids in its responses, so an id is only as good as the
 * backend is honest: xpv_blk_ids_check() refuses ids out of range and ids
 * not in flight (a second response to the same request) before anything is
 * looked up, and the caller treats either as a lying backend.
 *
 * The table lives in memory the caller provides (xpv_blk_ids_mem() bytes,
 * one vmalloc'able block): its size depends on the ring's size and on the
 * segments a request may have, both negotiated.
 */
#ifndef _XPV_BLKFRONT_SHADOW_H
#define _XPV_BLKFRONT_SHADOW_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/grant_table.h>

/**
 * enum xpv_blk_via - how a segment or indirect page reached the backend
 * @XPV_BLK_VIA_DIRECT:  the caller's page, granted for this request only
 * @XPV_BLK_VIA_POOL:    a pool entry (a persistent grant); data bounced
 * @XPV_BLK_VIA_ONESHOT: a frontend page granted for this request only; data
 *                       bounced
 */
enum xpv_blk_via {
	XPV_BLK_VIA_DIRECT,
	XPV_BLK_VIA_POOL,
	XPV_BLK_VIA_ONESHOT,
};

/**
 * struct xpv_blk_grant - one grant a request in flight holds
 * @page:       the caller's page (opaque here); NULL for an indirect page
 * @va:         the frontend page, for %XPV_BLK_VIA_POOL and _ONESHOT
 * @frame:      byte offset of the Xen page within @page
 * @pool_idx:   the pool entry, for %XPV_BLK_VIA_POOL
 * @ref:        the grant the request carries
 * @via:        an enum xpv_blk_via
 * @first_sect: first 512-byte sector of the segment in its Xen page
 * @last_sect:  last one, inclusive
 */
struct xpv_blk_grant {
	void *page;
	void *va;
	unsigned int frame;
	unsigned int pool_idx;
	grant_ref_t ref;
	u8 via;
	u8 first_sect;
	u8 last_sect;
};

/**
 * struct xpv_blk_shadow - one request id
 * @cookie:      the caller's request (a struct request in the glue)
 * @g:           its grants: @nr_segs data segments, then @nr_indirect
 *               indirect pages (room for ids->grants_per_id)
 * @nr_segs:     data segments
 * @nr_indirect: indirect pages
 * @op:          the operation on the ring (BLKIF_OP_INDIRECT if indirect)
 * @rsp_op:      the operation the response must carry (the indirect_op
 *               of an indirect request)
 * @busy:        in flight: a response is expected
 * @next:        next free id, while free
 */
struct xpv_blk_shadow {
	void *cookie;
	struct xpv_blk_grant *g;
	u16 nr_segs;
	u8 nr_indirect;
	u8 op;
	u8 rsp_op;
	bool busy;
	u16 next;
};

/**
 * struct xpv_blk_ids - the shadow table of one ring
 * @ent:           the ids, @nr of them
 * @nr:            ids, the ring's size
 * @grants_per_id: grants one request may hold
 * @head:          first free id, @nr if none
 * @nr_free:       free ids
 */
struct xpv_blk_ids {
	struct xpv_blk_shadow *ent;
	unsigned int nr;
	unsigned int grants_per_id;
	unsigned int head;
	unsigned int nr_free;
};

size_t xpv_blk_ids_mem(unsigned int nr, unsigned int grants_per_id);
int xpv_blk_ids_init(struct xpv_blk_ids *ids, void *mem, size_t bytes,
		     unsigned int nr, unsigned int grants_per_id);
int xpv_blk_ids_get(struct xpv_blk_ids *ids, void *cookie);
int xpv_blk_ids_check(const struct xpv_blk_ids *ids, u64 id);
int xpv_blk_ids_put(struct xpv_blk_ids *ids, u64 id);

#endif /* _XPV_BLKFRONT_SHADOW_H */
