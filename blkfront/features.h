/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xpv_blkfront: the protocol's limits as xpv uses them, and the features one
 * ring works with. Shared by negotiation (negotiate.c), which computes the
 * features, and the request logic (request.c), which obeys them.
 *
 * Every number here derives from the Xen ABI header (blkif.h) and the Xen
 * page size; nothing of the ABI is restated.
 */
#ifndef _XPV_BLKFRONT_FEATURES_H
#define _XPV_BLKFRONT_FEATURES_H

#include <xpv/xpv.h>
#include <xpv/shared.h>
#include <linux/types.h>
#include <xen/interface/io/blkif.h>

/* Ring pages per queue at most: order 4, as XENBUS_MAX_RING_GRANT_ORDER. */
#define XPV_BLK_MAX_RING_ORDER 4
#define XPV_BLK_MAX_RING_PAGES 16U

/* Requests in flight per ring at most (16 ring pages): 512. */
#define XPV_BLK_MAX_RING_SIZE \
	__CONST_RING_SIZE(blkif, XPV_XEN_PAGE_SIZE * XPV_BLK_MAX_RING_PAGES)

/* Segments address 512-byte sectors of one Xen page: first/last_sect < 8. */
#define XPV_BLK_SECTOR_SHIFT 9
#define XPV_BLK_SECTORS_PER_PAGE (XPV_XEN_PAGE_SIZE >> XPV_BLK_SECTOR_SHIFT)

/* struct blkif_request_segment entries one indirect page holds: 512. */
#define XPV_BLK_SEGS_PER_INDIRECT \
	((unsigned int)(XPV_XEN_PAGE_SIZE / sizeof(struct blkif_request_segment)))

/* Segments of one indirect request at most: 8 indirect pages' worth. */
#define XPV_BLK_MAX_INDIRECT_SEGS \
	(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST * XPV_BLK_SEGS_PER_INDIRECT)

/* Indirect pages a request of @segs segments needs. */
#define XPV_BLK_INDIRECT_PAGES(segs) \
	(((segs) + XPV_BLK_SEGS_PER_INDIRECT - 1) / XPV_BLK_SEGS_PER_INDIRECT)

/* Queues (rings) per disk at most, whatever the backend and CPUs allow. */
#define XPV_BLK_MAX_QUEUES 16

/**
 * struct xpv_blk_features - what one ring may send
 * @handle:         the virtual device, as requests carry it
 * @max_segs:       segments per read/write request:
 *                  BLKIF_MAX_SEGMENTS_PER_REQUEST, or more (up to
 *                  XPV_BLK_MAX_INDIRECT_SEGS) with BLKIF_OP_INDIRECT
 * @flush_cache:    BLKIF_OP_FLUSH_DISKCACHE is accepted (feature-flush-cache)
 * @barrier:        BLKIF_OP_WRITE_BARRIER is accepted (feature-barrier, and
 *                  no feature-flush-cache): flush and FUA both use it
 * @discard:        BLKIF_OP_DISCARD is accepted (feature-discard)
 * @secure_discard: discards may carry BLKIF_DISCARD_SECURE (discard-secure)
 * @bounce:         never grant the caller's pages: data travels through
 *                  pages of the frontend only (persistent grants, or an
 *                  untrusted backend)
 * @persistent:     persistent grants on both sides (feature-persistent):
 *                  the backend keeps every grant mapped, read-write
 *                  whatever the operation, so none may be read-only
 */
struct xpv_blk_features {
	blkif_vdev_t handle;
	unsigned int max_segs;
	bool flush_cache;
	bool barrier;
	bool discard;
	bool secure_discard;
	bool bounce;
	bool persistent;
};

#endif /* _XPV_BLKFRONT_FEATURES_H */
