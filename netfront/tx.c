// SPDX-License-Identifier: GPL-2.0-only
/*
 * TX ring logic of xpv_netfront: packets to netif_tx_request slots, and TX
 * responses validated and retired. See tx.h.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/xpv.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/string.h>
#include "tx.h"

#define XPV_NF_XEN_PAGE_MASK ((u64)XPV_XEN_PAGE_SIZE - 1)

/* The GSO types a backend can accept, as xpv_nf_tx.gso_types bits. */
#define XPV_NF_GSO_KNOWN ((1U << XEN_NETIF_GSO_TYPE_TCPV4) | \
			  (1U << XEN_NETIF_GSO_TYPE_TCPV6))

/**
 * struct xpv_nf_chunk - the part of a fragment within one Xen page
 * @page:   the fragment's page
 * @frame:  byte offset of that Xen page from the start of @page
 * @offset: offset of the data within the Xen page
 * @len:    bytes, at most to the end of the Xen page
 * @gref:   the grant of that Xen page
 */
struct xpv_nf_chunk {
	void *page;
	unsigned int frame;
	u16 offset;
	u16 len;
	grant_ref_t gref;
};

/**
 * xpv_nf_tx_init() - set up the TX state of a queue on its shared ring page
 * @tx:        state to initialise
 * @shared:    the TX ring page, granted to the backend by the caller
 * @bytes:     its size (one Xen page)
 * @max_slots: data slots per packet the backend accepts, at most
 *             XPV_NF_TX_MAX_SLOTS
 * @gso_types: (1 << XEN_NETIF_GSO_TYPE_TCPV4) and/or (... _TCPV6) for the
 *             GSO types the backend accepts (feature-gso-tcpv4/6)
 * @ops:       grant and completion hooks
 * @ctx:       their argument
 * @cnt:       the queue's counters
 *
 * Return: 0, or -EINVAL for a bad geometry or limit.
 */
int xpv_nf_tx_init(struct xpv_nf_tx *tx, void *shared, size_t bytes,
		   unsigned int max_slots, unsigned int gso_types,
		   const struct xpv_nf_tx_ops *ops, void *ctx,
		   struct xpv_nf_counters *cnt)
{
	int rc;

	if (!max_slots || max_slots > XPV_NF_TX_MAX_SLOTS ||
	    (gso_types & ~XPV_NF_GSO_KNOWN) || !ops || !cnt)
		return -EINVAL;
	memset(tx, 0, sizeof(*tx));
	rc = xpv_ring_init(&tx->ring, shared, bytes,
			   sizeof(union xen_netif_tx_sring_entry));
	if (rc)
		return rc;
	if (tx->ring.nr_ents > XPV_NF_TX_IDS)
		return -EINVAL;
	xpv_nf_txids_init(&tx->ids);
	tx->max_slots = max_slots;
	tx->gso_types = gso_types;
	tx->ops = ops;
	tx->ctx = ctx;
	tx->cnt = cnt;
	return 0;
}

/* Xen pages a fragment spans: its number of chunks. */
static u64 xpv_nf_frag_chunks(const struct xpv_nf_frag *f)
{
	if (!f->len)
		return 0;
	return ((f->offset & XPV_NF_XEN_PAGE_MASK) + f->len +
		XPV_NF_XEN_PAGE_MASK) / XPV_XEN_PAGE_SIZE;
}

static bool xpv_nf_tx_gso_ok(const struct xpv_nf_tx *tx,
			     const struct xpv_nf_tx_pkt *pkt)
{
	if (pkt->gso_type == XEN_NETIF_GSO_TYPE_NONE)
		return true;
	/* netback disconnects a frontend sending a zero or unknown GSO. */
	return pkt->gso_type <= XEN_NETIF_GSO_TYPE_TCPV6 &&
	       (tx->gso_types & (1U << pkt->gso_type)) &&
	       pkt->gso_size && pkt->csum == XPV_NF_CSUM_PARTIAL;
}

/**
 * xpv_nf_tx_check() - can this packet go on the ring as it is?
 * @tx:    the queue
 * @pkt:   the packet
 * @slots: receives the ring slots it needs (data and extra-info), on 0
 *
 * Return: 0 if it can; -E2BIG if it needs more data slots than
 * the backend accepts or its first chunk is shorter than an Ethernet header
 * (copy it to fresh pages and check again); -EMSGSIZE if its length is below
 * ETH_HLEN or above XEN_NETIF_MAX_TX_SIZE, -EINVAL for a fragment without a
 * page or ending beyond 4 GiB, or GSO the backend does not accept (zero size, unknown or not
 * negotiated type, checksum not partial): drop it.
 */
int xpv_nf_tx_check(const struct xpv_nf_tx *tx,
		    const struct xpv_nf_tx_pkt *pkt, unsigned int *slots)
{
	u64 len = 0, data = 0, first = 0;
	unsigned int i;

	for (i = 0; i < pkt->nr_frags; i++) {
		const struct xpv_nf_frag *f = &pkt->frags[i];

		if (!f->len)
			continue;
		if (!f->page || f->offset + f->len < f->offset)
			return -EINVAL;
		if (!len)
			first = XPV_XEN_PAGE_SIZE -
				(f->offset & XPV_NF_XEN_PAGE_MASK);
		if (!len && first > f->len)
			first = f->len;
		len += f->len;
		data += xpv_nf_frag_chunks(f);
	}
	if (len < ETH_HLEN || len > XEN_NETIF_MAX_TX_SIZE)
		return -EMSGSIZE;
	if (!xpv_nf_tx_gso_ok(tx, pkt))
		return -EINVAL;
	if (data > tx->max_slots || first < ETH_HLEN)
		return -E2BIG;
	*slots = data + (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE);
	return 0;
}

/**
 * xpv_nf_tx_has_room() - are there ring slots and ids for a packet?
 * @tx:    the queue
 * @slots: ring slots it needs (xpv_nf_tx_check()); the caller stops its
 *         queue while this is false for the largest possible packet,
 *         XPV_NF_TX_MAX_SLOTS + 1
 *
 * Return: true if xpv_nf_tx_queue() will find room.
 */
bool xpv_nf_tx_has_room(const struct xpv_nf_tx *tx, unsigned int slots)
{
	return xpv_ring_free_requests(&tx->ring) >= slots &&
	       tx->ids.nr_free >= slots;
}

/* Cut the packet into chunks; the caller checked it fits in @c. */
static unsigned int xpv_nf_tx_cut(const struct xpv_nf_tx_pkt *pkt,
				  struct xpv_nf_chunk *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < pkt->nr_frags; i++) {
		const struct xpv_nf_frag *f = &pkt->frags[i];
		unsigned int off = f->offset, left = f->len;

		while (left) {
			unsigned int in = off & XPV_NF_XEN_PAGE_MASK;
			unsigned int len = XPV_XEN_PAGE_SIZE - in;

			if (len > left)
				len = left;
			c[n].page = f->page;
			c[n].frame = off - in;
			c[n].offset = in;
			c[n].len = len;
			n++;
			off += len;
			left -= len;
		}
	}
	return n;
}

/* Grant every chunk, or none: on failure the ones granted are revoked. */
static int xpv_nf_tx_grant(struct xpv_nf_tx *tx, struct xpv_nf_chunk *c,
			   unsigned int n)
{
	unsigned int i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = tx->ops->grant(tx->ctx, c[i].page, c[i].frame, &c[i].gref);
		if (rc)
			goto undo;
	}
	return 0;
undo:
	/* Never published; -EBUSY (a backend guessing refs) defers, fine. */
	while (i--)
		tx->ops->end_access(tx->ctx, c[i].gref, c[i].page);
	return rc;
}

static u16 xpv_nf_tx_first_flags(const struct xpv_nf_tx_pkt *pkt)
{
	u16 flags = 0;

	if (pkt->csum == XPV_NF_CSUM_PARTIAL)
		flags |= XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated;
	else if (pkt->csum == XPV_NF_CSUM_UNNECESSARY)
		flags |= XEN_NETTXF_data_validated;
	if (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE)
		flags |= XEN_NETTXF_extra_info;
	return flags;
}

static void xpv_nf_tx_put_gso(struct xpv_nf_tx *tx,
			      const struct xpv_nf_tx_pkt *pkt)
{
	struct xen_netif_extra_info *gso = xpv_ring_prepare(&tx->ring);

	memset(gso, 0, tx->ring.entry_size);
	gso->type = XEN_NETIF_EXTRA_TYPE_GSO;
	gso->u.gso.size = pkt->gso_size;
	gso->u.gso.type = pkt->gso_type;
	tx->extras_pending++;
}

/**
 * xpv_nf_tx_queue() - put a packet on the ring (not yet published)
 * @tx:  the queue
 * @pkt: the packet
 *
 * Grants its pages, takes one id per data slot and fills the slots; the
 * backend sees them at the next xpv_nf_tx_push(). The caller must hold its
 * packet until ops->complete() has been called once per data slot: the
 * return value.
 *
 * Return: the number of data slots (> 0); or nothing queued and
 * -E2BIG (linearise), -EMSGSIZE, -EINVAL (see xpv_nf_tx_check()), -EBUSY
 * if the ring or the ids are short (stop the queue), -EIO if the backend
 * broke the ring, or the error of ops->grant().
 */
int xpv_nf_tx_queue(struct xpv_nf_tx *tx, const struct xpv_nf_tx_pkt *pkt)
{
	struct xpv_nf_chunk c[XPV_NF_TX_MAX_SLOTS];
	struct xen_netif_tx_request *req;
	unsigned int slots, n, i, len = 0;
	int rc;

	if (tx->broken)
		return -EIO;
	rc = xpv_nf_tx_check(tx, pkt, &slots);
	if (rc == -E2BIG)
		tx->cnt->tx_linearize++;
	if (rc)
		return rc;
	if (!xpv_nf_tx_has_room(tx, slots)) {
		tx->cnt->tx_ring_full++;
		return -EBUSY;
	}
	n = xpv_nf_tx_cut(pkt, c);
	rc = xpv_nf_tx_grant(tx, c, n);
	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		len += c[i].len;

	for (i = 0; i < n; i++) {
		req = xpv_ring_prepare(&tx->ring);
		req->gref = c[i].gref;
		req->offset = c[i].offset;
		req->flags = i ? 0 : xpv_nf_tx_first_flags(pkt);
		if (i + 1 < n)
			req->flags |= XEN_NETTXF_more_data;
		req->id = xpv_nf_txids_get(&tx->ids, pkt->cookie, c[i].page,
					   c[i].gref);
		/* netif: the first slot carries the length of the packet. */
		req->size = i ? c[i].len : len;
		if (!i && pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE)
			xpv_nf_tx_put_gso(tx, pkt);
	}
	tx->cnt->tx_packets++;
	tx->cnt->tx_bytes += len;
	tx->cnt->tx_slots += slots;
	if (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE)
		tx->cnt->tx_gso++;
	return n;
}

/**
 * xpv_nf_tx_push() - publish the queued packets
 * @tx: the queue
 *
 * Return: true if the backend must be notified (counted in tx_kicks).
 */
bool xpv_nf_tx_push(struct xpv_nf_tx *tx)
{
	bool notify = xpv_ring_push(&tx->ring);

	if (notify)
		tx->cnt->tx_kicks++;
	return notify;
}

static int xpv_nf_tx_lie(struct xpv_nf_tx *tx, const char *what, long value)
{
	tx->broken = true;
	xpv_nf_lie(&tx->lie, tx->cnt, what, value);
	return -EIO;
}

static int xpv_nf_tx_response(struct xpv_nf_tx *tx,
			      const struct xen_netif_tx_response *rsp)
{
	struct xpv_nf_txid e;
	int rc;

	if (rsp->status == XEN_NETIF_RSP_NULL) {
		if (!tx->extras_pending)
			return xpv_nf_tx_lie(tx, "tx: NULL response without an extra-info slot",
					     rsp->id);
		tx->extras_pending--;
		return 0;
	}
	if (rsp->status != XEN_NETIF_RSP_OKAY &&
	    rsp->status != XEN_NETIF_RSP_ERROR &&
	    rsp->status != XEN_NETIF_RSP_DROPPED)
		return xpv_nf_tx_lie(tx, "tx: response with an invalid status",
				     rsp->status);
	rc = xpv_nf_txids_put(&tx->ids, rsp->id, &e);
	if (rc == -ERANGE)
		return xpv_nf_tx_lie(tx, "tx: response for an id out of range",
				     rsp->id);
	if (rc)
		return xpv_nf_tx_lie(tx, "tx: response for an id not in flight",
				     rsp->id);
	rc = tx->ops->end_access(tx->ctx, e.gref, e.page);
	tx->ops->complete(tx->ctx, e.cookie, rsp->status);
	if (rsp->status == XEN_NETIF_RSP_ERROR)
		tx->cnt->tx_errors++;
	else if (rsp->status == XEN_NETIF_RSP_DROPPED)
		tx->cnt->tx_dropped++;
	if (rc)
		return xpv_nf_tx_lie(tx, "tx: page still mapped after its response",
				     e.gref);
	return 0;
}

/**
 * xpv_nf_tx_collect() - consume TX responses
 * @tx:     the queue
 * @budget: the most responses to consume
 *
 * Each response is copied once and validated: its status must be one netif
 * defines, a XEN_NETIF_RSP_NULL must answer an extra-info slot, any other
 * must name an id in flight, and the backend must have let go of the page.
 * A valid one revokes the grant, frees the id and completes the slot.
 * Anything else is a lie: the queue is broken for good (tx->lie says why).
 *
 * Return: responses consumed (fewer than @budget: none left for now), or
 * -EIO if the backend lied, now or before: shut the device down.
 */
int xpv_nf_tx_collect(struct xpv_nf_tx *tx, unsigned int budget)
{
	struct xen_netif_tx_response rsp;
	unsigned int done = 0;
	int rc;

	if (tx->broken)
		return -EIO;
	while (done < budget) {
		rc = xpv_ring_get_response(&tx->ring, &rsp, sizeof(rsp));
		if (!rc)
			break;
		if (rc < 0)
			return xpv_nf_tx_lie(tx, "tx: more responses than requests",
					     READ_ONCE(tx->ring.sring->rsp_prod));
		done++;
		if (xpv_nf_tx_response(tx, &rsp))
			return -EIO;
	}
	return done;
}

/**
 * xpv_nf_tx_release_all() - take back everything still in flight
 * @tx: the queue, whose backend is gone (or never to be trusted again)
 *
 * Every id in flight has its grant revoked (ops->end_access() defers what
 * the backend still maps) and its slot completed with XEN_NETIF_RSP_DROPPED.
 * The ring must not be used afterwards.
 *
 * Return: the number of slots released.
 */
unsigned int xpv_nf_tx_release_all(struct xpv_nf_tx *tx)
{
	struct xpv_nf_txid e;
	unsigned int id, n = 0;

	for (id = 0; id < XPV_NF_TX_IDS; id++) {
		if (xpv_nf_txids_put(&tx->ids, id, &e))
			continue;
		tx->ops->end_access(tx->ctx, e.gref, e.page);
		tx->ops->complete(tx->ctx, e.cookie, XEN_NETIF_RSP_DROPPED);
		n++;
	}
	tx->extras_pending = 0;
	tx->broken = true;
	return n;
}
