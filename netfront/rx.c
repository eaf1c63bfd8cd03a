// SPDX-License-Identifier: GPL-2.0-only
/*
 * RX ring logic of xpv_netfront: buffer posting and refill, and RX responses
 * parsed, validated and assembled into packets. See rx.h.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/xpv.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/if_ether.h>
#include <linux/string.h>
#include "rx.h"

/* The GSO types netif defines, as xpv_nf_rx.gso_types bits. */
#define XPV_NF_RX_GSO_KNOWN ((1U << XEN_NETIF_GSO_TYPE_TCPV4) | \
			     (1U << XEN_NETIF_GSO_TYPE_TCPV6))

/**
 * struct xpv_nf_rx_chain - a packet being parsed
 * @grefs: grants of the data slots taken into the packet
 * @what:  the first protocol violation found, NULL if none
 * @value: its offending value
 * @error: the backend reported a failed slot (status < 0)
 * @fatal: why the queue cannot go on, if it cannot
 */
struct xpv_nf_rx_chain {
	grant_ref_t grefs[XPV_NF_RX_MAX_FRAGS];
	const char *what;
	long value;
	bool error;
	const char *fatal;
};

/**
 * xpv_nf_rx_init() - set up the RX state of a queue on its shared ring page
 * @rx:        state to initialise
 * @shared:    the RX ring page, granted to the backend by the caller
 * @bytes:     its size (one Xen page)
 * @max_frags: data slots per packet to accept, at most XPV_NF_RX_MAX_FRAGS
 *             (the driver's MAX_SKB_FRAGS bound)
 * @gso_types: (1 << XEN_NETIF_GSO_TYPE_TCPV4) and/or (... _TCPV6): the GSO
 *             types advertised with feature-gso-tcpv4/6
 * @ops:       buffer hooks
 * @ctx:       their argument
 * @cnt:       the queue's counters
 *
 * No buffer is posted yet: see xpv_nf_rx_refill().
 *
 * Return: 0, or -EINVAL for a bad geometry or limit.
 */
int xpv_nf_rx_init(struct xpv_nf_rx *rx, void *shared, size_t bytes,
		   unsigned int max_frags, unsigned int gso_types,
		   const struct xpv_nf_rx_ops *ops, void *ctx,
		   struct xpv_nf_counters *cnt)
{
	int rc;

	if (!max_frags || max_frags > XPV_NF_RX_MAX_FRAGS ||
	    (gso_types & ~XPV_NF_RX_GSO_KNOWN) || !ops || !cnt)
		return -EINVAL;
	memset(rx, 0, sizeof(*rx));
	rc = xpv_ring_init(&rx->ring, shared, bytes,
			   sizeof(union xen_netif_rx_sring_entry));
	if (rc)
		return rc;
	if (rx->ring.nr_ents > XPV_NF_RX_RING_SIZE)
		return -EINVAL;
	rx->target = rx->ring.nr_ents;
	rx->batch = rx->ring.nr_ents / 8 ? rx->ring.nr_ents / 8 : 1;
	rx->max_frags = max_frags;
	rx->gso_types = gso_types;
	rx->ops = ops;
	rx->ctx = ctx;
	rx->cnt = cnt;
	return 0;
}

/**
 * xpv_nf_rx_posted() - buffers the backend has (or will have) to fill
 * @rx: the queue
 *
 * Return: posted buffers not yet answered; below XPV_NF_RX_MIN_POSTED the
 * caller retries a failed refill soon (a timer).
 */
unsigned int xpv_nf_rx_posted(const struct xpv_nf_rx *rx)
{
	return xpv_ring_in_flight(&rx->ring);
}

static unsigned int xpv_nf_rx_slot(const struct xpv_nf_rx *rx, RING_IDX idx)
{
	return idx & (rx->ring.nr_ents - 1);
}

/* Post a buffer in the next request slot; the caller knows there is one. */
static void xpv_nf_rx_post(struct xpv_nf_rx *rx, void *cookie,
			   grant_ref_t gref)
{
	unsigned int slot = xpv_nf_rx_slot(rx, rx->ring.req_prod_pvt);
	struct xen_netif_rx_request *req = xpv_ring_prepare(&rx->ring);

	req->id = slot;
	req->pad = 0;
	req->gref = gref;
	rx->bufs[slot].cookie = cookie;
	rx->bufs[slot].gref = gref;
}

/* Take the buffer of the slot a response answers out of the table. */
static void *xpv_nf_rx_take(struct xpv_nf_rx *rx, RING_IDX idx,
			    grant_ref_t *gref)
{
	struct xpv_nf_rx_buf *b = &rx->bufs[xpv_nf_rx_slot(rx, idx)];
	void *cookie = b->cookie;

	*gref = b->gref;
	b->cookie = NULL;
	return cookie;
}

/* Re-post a buffer unused, its grant as it was. */
static void xpv_nf_rx_recycle(struct xpv_nf_rx *rx, void *cookie,
			      grant_ref_t gref)
{
	xpv_nf_rx_post(rx, cookie, gref);
	rx->cnt->rx_recycled++;
}

/**
 * xpv_nf_rx_refill() - post fresh buffers and publish every posted one
 * @rx:     the queue
 * @notify: set if the backend must be notified (counted in rx_kicks)
 *
 * New buffers are allocated only once a batch of slots is free, or when
 * fewer than XPV_NF_RX_MIN_POSTED are posted; then up to the target. The
 * buffers xpv_nf_rx_get_packet() re-posted are published too.
 *
 * Return: the number of new buffers posted; failed allocations are counted
 * (rx_refill_fail) and end the refill.
 */
int xpv_nf_rx_refill(struct xpv_nf_rx *rx, bool *notify)
{
	unsigned int posted = 0;
	grant_ref_t gref;
	void *cookie;

	*notify = false;
	if (rx->broken)
		return 0;
	if (xpv_ring_free_requests(&rx->ring) >= rx->batch ||
	    xpv_nf_rx_posted(rx) < XPV_NF_RX_MIN_POSTED) {
		while (xpv_nf_rx_posted(rx) < rx->target) {
			if (rx->ops->alloc(rx->ctx, &cookie, &gref)) {
				rx->cnt->rx_refill_fail++;
				break;
			}
			xpv_nf_rx_post(rx, cookie, gref);
			posted++;
		}
	}
	*notify = xpv_ring_push(&rx->ring);
	if (*notify)
		rx->cnt->rx_kicks++;
	return posted;
}

/* Next response, copied once; 1, 0 if none, -EIO if the ring is broken. */
static int xpv_nf_rx_next(struct xpv_nf_rx *rx,
			  struct xen_netif_rx_response *rsp, RING_IDX *idx)
{
	int rc;

	*idx = rx->ring.rsp_cons;
	rc = xpv_ring_get_response(&rx->ring, rsp, sizeof(*rsp));
	if (rc > 0)
		rx->cnt->rx_slots++;
	return rc;
}

static void xpv_nf_rx_bad(struct xpv_nf_rx_chain *ch, const char *what,
			  long value)
{
	if (!ch->what) {
		ch->what = what;
		ch->value = value;
	}
}

static void xpv_nf_rx_gso(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt,
			  struct xpv_nf_rx_chain *ch,
			  const struct xen_netif_extra_info *x)
{
	if (!x->u.gso.size)
		xpv_nf_rx_bad(ch, "rx: GSO size zero", 0);
	else if (x->u.gso.type > XEN_NETIF_GSO_TYPE_TCPV6 ||
		 !(rx->gso_types & (1U << x->u.gso.type)))
		xpv_nf_rx_bad(ch, "rx: GSO type not advertised", x->u.gso.type);
	pkt->gso_type = x->u.gso.type;
	pkt->gso_size = x->u.gso.size;
}

static void xpv_nf_rx_extra(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt,
			    struct xpv_nf_rx_chain *ch,
			    const struct xen_netif_extra_info *x,
			    unsigned int *seen)
{
	const u8 *v = x->u.hash.value;

	if (!x->type || x->type >= XEN_NETIF_EXTRA_TYPE_MAX) {
		xpv_nf_rx_bad(ch, "rx: extra info of unknown type", x->type);
		return;
	}
	if (*seen & (1U << x->type)) {
		xpv_nf_rx_bad(ch, "rx: extra info type given twice", x->type);
		return;
	}
	*seen |= 1U << x->type;
	switch (x->type) {
	case XEN_NETIF_EXTRA_TYPE_GSO:
		xpv_nf_rx_gso(rx, pkt, ch, x);
		break;
	case XEN_NETIF_EXTRA_TYPE_HASH:
		/* Netback hashes software-hashed skbs even unasked. */
		pkt->has_hash = true;
		pkt->hash_type = x->u.hash.type;
		pkt->hash = v[0] | v[1] << 8 | v[2] << 16 | (u32)v[3] << 24;
		break;
	default:
		xpv_nf_rx_bad(ch, "rx: extra info type not valid on rx",
			      x->type);
		break;
	}
}

/*
 * The extra-info slots after the first data slot: each buffer re-posted at
 * once (extra info carries no data). 1, 0 if the chain is cut short, -EIO.
 */
static int xpv_nf_rx_extras(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt,
			    struct xpv_nf_rx_chain *ch)
{
	union {
		struct xen_netif_rx_response rsp;
		struct xen_netif_extra_info x;
	} u;
	unsigned int seen = 0;
	grant_ref_t gref;
	void *cookie;
	RING_IDX idx;
	int rc;

	do {
		rc = xpv_nf_rx_next(rx, &u.rsp, &idx);
		if (rc <= 0)
			return rc;
		cookie = xpv_nf_rx_take(rx, idx, &gref);
		if (cookie)
			xpv_nf_rx_recycle(rx, cookie, gref);
		xpv_nf_rx_extra(rx, pkt, ch, &u.x, &seen);
	} while (u.x.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	return 1;
}

/* One data slot: into the packet, or re-posted if the packet is bad. */
static void xpv_nf_rx_data(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt,
			   struct xpv_nf_rx_chain *ch,
			   const struct xen_netif_rx_response *rsp,
			   RING_IDX idx, void *cookie, grant_ref_t gref)
{
	struct xpv_nf_rx_frag *f;

	if (rsp->status < 0)
		ch->error = true;
	else if (rsp->id != xpv_nf_rx_slot(rx, idx))
		xpv_nf_rx_bad(ch, "rx: response id does not echo its request",
			      rsp->id);
	else if (!rsp->status)
		xpv_nf_rx_bad(ch, "rx: empty data slot", 0);
	else if ((unsigned int)(rsp->offset + rsp->status) > XPV_XEN_PAGE_SIZE)
		xpv_nf_rx_bad(ch, "rx: data beyond the end of the page",
			      rsp->offset + rsp->status);
	else if (pkt->nr_frags == rx->max_frags)
		xpv_nf_rx_bad(ch, "rx: packet of too many slots",
			      pkt->nr_frags + 1);
	if (ch->error || ch->what) {
		xpv_nf_rx_recycle(rx, cookie, gref);
		return;
	}
	ch->grefs[pkt->nr_frags] = gref;
	f = &pkt->frags[pkt->nr_frags++];
	f->cookie = cookie;
	f->offset = rsp->offset;
	f->len = rsp->status;
	pkt->len += f->len;
	if (pkt->len > XPV_NF_RX_MAX_LEN)
		xpv_nf_rx_bad(ch, "rx: packet too long", pkt->len);
}

static void xpv_nf_rx_first(struct xpv_nf_rx_pkt *pkt,
			    struct xpv_nf_rx_chain *ch, u16 flags)
{
	if (flags & XEN_NETRXF_gso_prefix)
		xpv_nf_rx_bad(ch, "rx: GSO prefix never requested", flags);
	if (flags & XEN_NETRXF_csum_blank)
		pkt->csum = XPV_NF_CSUM_PARTIAL;
	else if (flags & XEN_NETRXF_data_validated)
		pkt->csum = XPV_NF_CSUM_UNNECESSARY;
}

/*
 * Consume one packet's chain into @pkt and @ch, whatever it holds.
 * 1, or -EIO if the ring broke (everything taken is re-posted).
 */
static int xpv_nf_rx_chain(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt,
			   struct xpv_nf_rx_chain *ch,
			   struct xen_netif_rx_response *rsp, RING_IDX idx)
{
	bool first = true;
	grant_ref_t gref;
	void *cookie;
	int rc;

	for (;;) {
		cookie = xpv_nf_rx_take(rx, idx, &gref);
		if (!cookie) {
			/* xpv_ring never lets this happen: a bug of ours. */
			ch->fatal = "rx: response for a slot without a buffer";
			return -EIO;
		}
		if (first)
			xpv_nf_rx_first(pkt, ch, rsp->flags);
		xpv_nf_rx_data(rx, pkt, ch, rsp, idx, cookie, gref);
		if (first && (rsp->flags & XEN_NETRXF_extra_info)) {
			rc = xpv_nf_rx_extras(rx, pkt, ch);
			if (rc < 0)
				return rc;
			if (!rc) {
				xpv_nf_rx_bad(ch, "rx: chain cut short in extra info", 0);
				return 1;
			}
		}
		first = false;
		if (!(rsp->flags & XEN_NETRXF_more_data))
			return 1;
		rc = xpv_nf_rx_next(rx, rsp, &idx);
		if (rc < 0)
			return rc;
		if (!rc) {
			xpv_nf_rx_bad(ch, "rx: chain cut short after more_data", 0);
			return 1;
		}
	}
}

static void xpv_nf_rx_drop(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt,
			   const struct xpv_nf_rx_chain *ch)
{
	unsigned int i;

	for (i = 0; i < pkt->nr_frags; i++)
		xpv_nf_rx_recycle(rx, pkt->frags[i].cookie, ch->grefs[i]);
	pkt->nr_frags = 0;
}

static int xpv_nf_rx_broken(struct xpv_nf_rx *rx, const char *what,
			    long value)
{
	rx->broken = true;
	xpv_nf_lie(&rx->lie, rx->cnt, what, value);
	return -EIO;
}

/* End every grant of a good packet; a page still mapped breaks the queue. */
static int xpv_nf_rx_end(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt,
			 const struct xpv_nf_rx_chain *ch)
{
	unsigned int i, busy = 0;
	grant_ref_t bad = 0;

	for (i = 0; i < pkt->nr_frags; i++) {
		if (!rx->ops->end_access(rx->ctx, ch->grefs[i],
					 pkt->frags[i].cookie))
			continue;
		pkt->frags[i].cookie = NULL;	/* the driver has it now */
		bad = ch->grefs[i];
		busy++;
	}
	if (!busy)
		return 0;
	for (i = 0; i < pkt->nr_frags; i++)
		if (pkt->frags[i].cookie)
			rx->ops->free(rx->ctx, pkt->frags[i].cookie);
	pkt->nr_frags = 0;
	return xpv_nf_rx_broken(rx, "rx: page still mapped after its response",
				bad);
}

static void xpv_nf_rx_account(struct xpv_nf_rx *rx,
			      const struct xpv_nf_rx_pkt *pkt)
{
	rx->cnt->rx_packets++;
	rx->cnt->rx_bytes += pkt->len;
	if (pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE)
		rx->cnt->rx_gso++;
	if (pkt->csum == XPV_NF_CSUM_PARTIAL)
		rx->cnt->rx_csum_blank++;
}

/**
 * xpv_nf_rx_get_packet() - the next received packet
 * @rx:  the queue
 * @pkt: receives the packet
 *
 * Consumes one packet's chain of responses (see rx.h for what is checked).
 * Buffers re-posted here are published by the next xpv_nf_rx_refill().
 *
 * Return: 1 and a packet in @pkt, whose buffers are the caller's; 0 if no
 * response is pending; -EBADMSG if a packet was consumed and dropped (the
 * backend failed it, rx_errors, or broke the protocol, rx_malformed and
 * rx->lie): go on with the next; -EIO if the backend broke the ring or kept
 * a page mapped: shut the device down.
 */
int xpv_nf_rx_get_packet(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt)
{
	struct xen_netif_rx_response rsp;
	struct xpv_nf_rx_chain ch;
	RING_IDX idx;
	int rc;

	if (rx->broken)
		return -EIO;
	rc = xpv_nf_rx_next(rx, &rsp, &idx);
	if (rc < 0)
		return xpv_nf_rx_broken(rx, "rx: more responses than requests",
					READ_ONCE(rx->ring.sring->rsp_prod));
	if (!rc)
		return 0;
	memset(&ch, 0, sizeof(ch));
	pkt->nr_frags = 0;
	pkt->len = 0;
	pkt->csum = XPV_NF_CSUM_NONE;
	pkt->gso_type = XEN_NETIF_GSO_TYPE_NONE;
	pkt->gso_size = 0;
	pkt->has_hash = false;
	rc = xpv_nf_rx_chain(rx, pkt, &ch, &rsp, idx);
	if (rc < 0) {
		xpv_nf_rx_drop(rx, pkt, &ch);
		return xpv_nf_rx_broken(rx, ch.fatal ? ch.fatal :
					"rx: more responses than requests",
					READ_ONCE(rx->ring.sring->rsp_prod));
	}
	if (!ch.what && !ch.error && pkt->len < ETH_HLEN)
		xpv_nf_rx_bad(&ch, "rx: packet shorter than an Ethernet header",
			      pkt->len);
	if (ch.what || ch.error) {
		xpv_nf_rx_drop(rx, pkt, &ch);
		if (ch.what) {
			rx->cnt->rx_malformed++;
			xpv_nf_lie(&rx->lie, rx->cnt, ch.what, ch.value);
		} else {
			rx->cnt->rx_errors++;
		}
		return -EBADMSG;
	}
	rc = xpv_nf_rx_end(rx, pkt, &ch);
	if (rc)
		return rc;
	xpv_nf_rx_account(rx, pkt);
	return 1;
}

/**
 * xpv_nf_rx_release_all() - take back every posted buffer
 * @rx: the queue, whose backend is gone (or never to be trusted again)
 *
 * Each buffer's grant is ended and the buffer freed (ops->end_access()
 * keeps those the backend still maps). The ring must not be used afterwards.
 *
 * Return: the number of buffers released.
 */
unsigned int xpv_nf_rx_release_all(struct xpv_nf_rx *rx)
{
	unsigned int i, n = 0;

	for (i = 0; i < XPV_NF_RX_RING_SIZE; i++) {
		struct xpv_nf_rx_buf *b = &rx->bufs[i];

		if (!b->cookie)
			continue;
		if (!rx->ops->end_access(rx->ctx, b->gref, b->cookie))
			rx->ops->free(rx->ctx, b->cookie);
		b->cookie = NULL;
		n++;
	}
	rx->broken = true;
	return n;
}
