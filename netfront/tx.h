/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The TX side of one xpv_netfront queue, without the kernel: packets,
 * described abstractly, become netif_tx_request slots on the shared ring;
 * TX responses are validated and release what their requests held.
 *
 * A packet is a list of (page, offset, len) fragments, the linear part
 * first. Each fragment is cut where it crosses a Xen page (4 KiB) boundary:
 * one ring slot, one id and one read-only grant per chunk. The first slot's
 * size is the whole packet's length (netif's TX wire format), every slot but
 * the last has XEN_NETTXF_more_data, and a GSO packet has one
 * XEN_NETIF_EXTRA_TYPE_GSO extra-info slot after its first slot. The backend
 * must accept XEN_NETIF_NR_SLOTS_MIN data slots per packet (Linux netback:
 * XEN_NETBK_LEGACY_SLOTS_MAX, more are dropped); a packet needing more, or
 * whose first chunk is shorter than an Ethernet header (netback drops those),
 * is refused with -E2BIG: the caller copies it to fresh pages and tries
 * again.
 *
 * Grants and packet completion are the caller's, through struct
 * xpv_nf_tx_ops, so the unit tests run this with a fake grant table.
 *
 * No locking: the caller serialises all calls per queue (the xmit lock).
 */
#ifndef _XPV_NETFRONT_TX_H
#define _XPV_NETFRONT_TX_H

#include <xpv/xpv.h>
#include <xpv/ring.h>
#include <linux/types.h>
#include <xen/interface/io/netif.h>
#include "counters.h"
#include "txids.h"

/* Data slots per packet every backend accepts (netback's legacy limit). */
#define XPV_NF_TX_MAX_SLOTS XEN_NETIF_NR_SLOTS_MIN

/**
 * enum xpv_nf_csum - checksum state of a packet, both directions
 * @XPV_NF_CSUM_NONE:        nothing known (CHECKSUM_NONE)
 * @XPV_NF_CSUM_PARTIAL:     the L4 checksum is blank and must be filled in
 *                           (CHECKSUM_PARTIAL; netif's csum_blank)
 * @XPV_NF_CSUM_UNNECESSARY: the data was validated (CHECKSUM_UNNECESSARY;
 *                           netif's data_validated)
 */
enum xpv_nf_csum {
	XPV_NF_CSUM_NONE,
	XPV_NF_CSUM_PARTIAL,
	XPV_NF_CSUM_UNNECESSARY,
};

/**
 * struct xpv_nf_frag - a piece of a packet in memory
 * @page:   the page (opaque here; a struct page in the driver)
 * @offset: byte offset of the data from the start of @page; may exceed a
 *          Xen page (compound pages)
 * @len:    bytes
 */
struct xpv_nf_frag {
	void *page;
	unsigned int offset;
	unsigned int len;
};

/**
 * struct xpv_nf_tx_pkt - a packet to transmit
 * @cookie:   the caller's packet, handed to ops->complete() once per slot
 * @frags:    its data, the linear part first; empty fragments are skipped
 * @nr_frags: number of @frags
 * @csum:     checksum state
 * @gso_type: XEN_NETIF_GSO_TYPE_NONE, _TCPV4 or _TCPV6
 * @gso_size: segment payload size (the MSS) if @gso_type is not NONE
 */
struct xpv_nf_tx_pkt {
	void *cookie;
	const struct xpv_nf_frag *frags;
	unsigned int nr_frags;
	enum xpv_nf_csum csum;
	u8 gso_type;
	u16 gso_size;
};

/**
 * struct xpv_nf_tx_ops - what the TX logic asks of the driver
 * @grant:      grant the backend read-only access to the Xen page at byte
 *              @offset (a multiple of 4 KiB) of @page; store the reference
 *              in @ref. 0 or a negative errno.
 * @end_access: revoke @ref and free it. 0 if done; -EBUSY if the backend
 *              still maps it: the driver then keeps @page alive until the
 *              backend lets go (a deferred release), and must not fail.
 * @complete:   one slot of packet @cookie is done (called once per data
 *              slot xpv_nf_tx_queue() reported); @status is the backend's
 *              XEN_NETIF_RSP_OKAY, _ERROR or _DROPPED
 */
struct xpv_nf_tx_ops {
	int (*grant)(void *ctx, void *page, unsigned int offset,
		     grant_ref_t *ref);
	int (*end_access)(void *ctx, grant_ref_t ref, void *page);
	void (*complete)(void *ctx, void *cookie, int status);
};

/**
 * struct xpv_nf_tx - TX state of one queue
 * @ring:          the shared TX ring
 * @ids:           request ids
 * @max_slots:     data slots per packet, at most XPV_NF_TX_MAX_SLOTS
 * @gso_types:     bit (1 << XEN_NETIF_GSO_TYPE_x) for each GSO type the
 *                 backend accepts
 * @extras_pending: extra-info slots sent whose XEN_NETIF_RSP_NULL response
 *                 has not come yet
 * @broken:        the backend lied; nothing more is consumed
 * @lie:           what it did
 * @cnt:           the queue's counters
 * @ops:           the driver's grant and completion hooks
 * @ctx:           their argument
 */
struct xpv_nf_tx {
	struct xpv_ring ring;
	struct xpv_nf_txids ids;
	unsigned int max_slots;
	unsigned int gso_types;
	unsigned int extras_pending;
	bool broken;
	struct xpv_nf_lie lie;
	struct xpv_nf_counters *cnt;
	const struct xpv_nf_tx_ops *ops;
	void *ctx;
};

int xpv_nf_tx_init(struct xpv_nf_tx *tx, void *shared, size_t bytes,
		   unsigned int max_slots, unsigned int gso_types,
		   const struct xpv_nf_tx_ops *ops, void *ctx,
		   struct xpv_nf_counters *cnt);
int xpv_nf_tx_check(const struct xpv_nf_tx *tx,
		    const struct xpv_nf_tx_pkt *pkt, unsigned int *slots);
bool xpv_nf_tx_has_room(const struct xpv_nf_tx *tx, unsigned int slots);
int xpv_nf_tx_queue(struct xpv_nf_tx *tx, const struct xpv_nf_tx_pkt *pkt);
bool xpv_nf_tx_push(struct xpv_nf_tx *tx);
int xpv_nf_tx_collect(struct xpv_nf_tx *tx, unsigned int budget);
unsigned int xpv_nf_tx_release_all(struct xpv_nf_tx *tx);

#endif /* _XPV_NETFRONT_TX_H */
