/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TX request ids of one xpv_netfront queue: a free list of ids and, for each
 * id in flight, what the response to it must release (the grant reference,
 * the granted page, the caller's cookie).
 *
 * The backend echoes ids in its TX responses, so an id is only as good as
 * the backend is honest: xpv_nf_txids_put() refuses ids out of range and ids
 * not in flight (a second response to the same request), and the caller
 * treats either as a lying backend.
 */
#ifndef _XPV_NETFRONT_TXIDS_H
#define _XPV_NETFRONT_TXIDS_H

#include <xpv/xpv.h>
#include <xpv/shared.h>
#include <linux/types.h>
#include <xen/interface/io/netif.h>

/* One id per request slot of a one-page TX ring: 256. */
#define XPV_NF_TX_IDS __CONST_RING_SIZE(xen_netif_tx, XPV_XEN_PAGE_SIZE)

/**
 * struct xpv_nf_txid - one TX request id
 * @cookie: the caller's packet (an skb in the driver); NULL for requests
 *          that carry no packet
 * @page:   the page @gref grants (opaque here), or NULL if none
 * @gref:   the grant reference the request carries
 * @next:   next free id, while this one is free
 * @busy:   in flight: a response is expected
 */
struct xpv_nf_txid {
	void *cookie;
	void *page;
	grant_ref_t gref;
	u16 next;
	bool busy;
};

/**
 * struct xpv_nf_txids - the id table of one TX ring
 * @ent:     the ids
 * @head:    first free id, XPV_NF_TX_IDS if none
 * @nr_free: free ids
 */
struct xpv_nf_txids {
	struct xpv_nf_txid ent[XPV_NF_TX_IDS];
	u16 head;
	unsigned int nr_free;
};

void xpv_nf_txids_init(struct xpv_nf_txids *ids);
int xpv_nf_txids_get(struct xpv_nf_txids *ids, void *cookie, void *page,
		     grant_ref_t gref);
int xpv_nf_txids_put(struct xpv_nf_txids *ids, unsigned int id,
		     struct xpv_nf_txid *out);

#endif /* _XPV_NETFRONT_TXIDS_H */
