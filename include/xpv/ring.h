/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Front-end half of a Xen shared I/O ring (the layout of
 * xen/interface/io/ring.h), independent of the request and response types.
 *
 * Producing requests is split in two, as in virtio: xpv_ring_prepare() hands
 * out request slots, xpv_ring_push() publishes everything prepared so far and
 * says whether the backend must be notified, so a batch costs one notification.
 *
 * The backend is not trusted: every response is copied out of the shared page
 * exactly once, and a backend that publishes more responses than there are
 * published requests breaks the ring for good (xpv_ring_get_response() returns
 * -EIO from then on). Indexes the frontend owns are never read back from the
 * shared page.
 *
 * No locking: the caller serialises producers, and consumers, per ring.
 */
#ifndef _XPV_RING_H
#define _XPV_RING_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/io/ring.h>

/*
 * The shared-page header of every Xen ring type: instantiating the ABI's own
 * macro with byte-sized entries gives its layout without restating it.
 */
DEFINE_RING_TYPES(xpv_raw, uint8_t, uint8_t);

/**
 * struct xpv_ring - front-end state of one shared ring
 * @sring:      the shared page(s), as initialised by xpv_ring_init()
 * @entry_size: size of one ring entry (the request/response union), bytes
 * @nr_ents:    number of entries, a power of two
 * @req_prod_pvt: next request slot xpv_ring_prepare() hands out
 * @req_pushed: requests published to the backend by xpv_ring_push()
 * @rsp_cons:   responses consumed
 * @broken:     the backend violated the protocol; the ring is dead
 */
struct xpv_ring {
	struct xpv_raw_sring *sring;
	unsigned int entry_size;
	unsigned int nr_ents;
	RING_IDX req_prod_pvt;
	RING_IDX req_pushed;
	RING_IDX rsp_cons;
	bool broken;
};

int xpv_ring_init(struct xpv_ring *ring, void *shared, size_t bytes,
		  unsigned int entry_size);
unsigned int xpv_ring_free_requests(const struct xpv_ring *ring);
unsigned int xpv_ring_in_flight(const struct xpv_ring *ring);
void *xpv_ring_prepare(struct xpv_ring *ring);
bool xpv_ring_push(struct xpv_ring *ring);
int xpv_ring_get_response(struct xpv_ring *ring, void *rsp, size_t size);
bool xpv_ring_final_check(struct xpv_ring *ring);
bool xpv_ring_final_check_batch(struct xpv_ring *ring);

#endif /* _XPV_RING_H */
