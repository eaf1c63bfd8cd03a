// SPDX-License-Identifier: GPL-2.0-only
/*
 * Receive of xpv_netfront: the NAPI poll of a queue. TX responses first
 * (xmit.c), then RX packets, validated by rx.c, copied out of the RX pool's
 * pages into fresh skbs (small packets whole into the linear area, larger
 * ones with their headers there and the rest in page fragments) and handed
 * to GRO; the pool pages are re-posted at once, one notification per poll.
 */
#include <xpv/evtchn.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include "netfront.h"

/* Packets up to this size are copied whole into the skb's linear area. */
#define XPV_NF_RX_LINEAR 1536

/* Larger ones: this much in the linear area, for the protocol headers. */
#define XPV_NF_RX_HEAD 256

static int xpv_nf_rx_buf_alloc(void *ctx, void **cookie, grant_ref_t *ref)
{
	struct xpv_nf_queue *q = ctx;
	struct xpv_nf_buf *b = xpv_nf_pool_get(&q->rx_pool);

	if (!b)
		return -ENOMEM;
	*cookie = b;
	*ref = b->ref;
	return 0;
}

/* The grant stays for the next packet: the data is copied out. */
static int xpv_nf_rx_buf_end(void *ctx, grant_ref_t ref, void *cookie)
{
	return 0;
}

static void xpv_nf_rx_buf_free(void *ctx, void *cookie)
{
	struct xpv_nf_queue *q = ctx;

	xpv_nf_pool_put(&q->rx_pool, cookie);
}

const struct xpv_nf_rx_ops xpv_nf_rx_ops = {
	.alloc = xpv_nf_rx_buf_alloc,
	.end_access = xpv_nf_rx_buf_end,
	.free = xpv_nf_rx_buf_free,
};

/* Append @len bytes at @src to @skb: linear area first, then fragments. */
static int xpv_nf_rx_append(struct sk_buff *skb, const u8 *src,
			    unsigned int len)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	unsigned int n, room;
	struct page *page;
	skb_frag_t *f;
	void *va;

	while (len) {
		room = skb_tailroom(skb);
		if (room && !skb->data_len) {
			n = min(len, room);
			skb_put_data(skb, src, n);
			src += n;
			len -= n;
			continue;
		}
		f = sh->nr_frags ? &sh->frags[sh->nr_frags - 1] : NULL;
		if (!f || skb_frag_size(f) == PAGE_SIZE) {
			if (sh->nr_frags == MAX_SKB_FRAGS)
				return -EMSGSIZE;
			va = napi_alloc_frag(PAGE_SIZE);
			if (!va)
				return -ENOMEM;
			page = virt_to_head_page(va);
			skb_add_rx_frag(skb, sh->nr_frags, page,
					va - page_address(page), 0, PAGE_SIZE);
			f = &sh->frags[sh->nr_frags - 1];
		}
		n = min_t(unsigned int, len, PAGE_SIZE - skb_frag_size(f));
		memcpy(skb_frag_address(f) + skb_frag_size(f), src, n);
		skb_frag_size_add(f, n);
		skb->len += n;
		skb->data_len += n;
		src += n;
		len -= n;
	}
	return 0;
}

/* The packet's data in a new skb; its pool pages go back either way. */
static struct sk_buff *xpv_nf_rx_copy(struct xpv_nf_queue *q,
				      const struct xpv_nf_rx_pkt *pkt)
{
	unsigned int i, head = pkt->len;
	struct sk_buff *skb;
	int rc = 0;

	if (head > XPV_NF_RX_LINEAR)
		head = XPV_NF_RX_HEAD;
	skb = napi_alloc_skb(&q->napi, head);
	for (i = 0; i < pkt->nr_frags; i++) {
		const struct xpv_nf_rx_frag *f = &pkt->frags[i];
		struct xpv_nf_buf *b = f->cookie;

		if (skb && !rc)
			rc = xpv_nf_rx_append(skb, b->va + f->offset, f->len);
		xpv_nf_pool_put(&q->rx_pool, b);
	}
	if (skb && rc) {
		dev_kfree_skb_any(skb);
		skb = NULL;
	}
	return skb;
}

/* Checksum and GSO state from the backend; false: the packet is bad. */
static bool xpv_nf_rx_offloads(struct sk_buff *skb,
			       const struct xpv_nf_rx_pkt *pkt)
{
	if (pkt->csum == XPV_NF_CSUM_UNNECESSARY)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	if (pkt->csum == XPV_NF_CSUM_PARTIAL) {
		skb->ip_summed = CHECKSUM_PARTIAL;
		/* Offsets from the headers; the pseudo-header sum is there. */
		skb_reset_network_header(skb);
		if (skb_checksum_setup(skb, false))
			return false;
	}
	if (pkt->gso_type == XEN_NETIF_GSO_TYPE_NONE)
		return true;
	/* A segmented packet's checksums are the stack's to fill in. */
	if (pkt->csum != XPV_NF_CSUM_PARTIAL)
		return false;
	skb_shinfo(skb)->gso_size = pkt->gso_size;
	skb_shinfo(skb)->gso_type = SKB_GSO_DODGY |
		(pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ? SKB_GSO_TCPV4 :
							       SKB_GSO_TCPV6);
	skb_shinfo(skb)->gso_segs = 0;
	return true;
}

static void xpv_nf_rx_hash(struct sk_buff *skb,
			   const struct xpv_nf_rx_pkt *pkt)
{
	bool l4;

	if (!pkt->has_hash)
		return;
	l4 = pkt->hash_type == _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP ||
	     pkt->hash_type == _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
	skb_set_hash(skb, pkt->hash, l4 ? PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
}

static void xpv_nf_rx_deliver(struct xpv_nf_queue *q,
			      const struct xpv_nf_rx_pkt *pkt)
{
	struct net_device *dev = q->info->netdev;
	struct sk_buff *skb = xpv_nf_rx_copy(q, pkt);

	if (!skb) {
		q->rx_drops.rx_nomem++;
		return;
	}
	skb->protocol = eth_type_trans(skb, dev);
	if (!xpv_nf_rx_offloads(skb, pkt)) {
		q->rx_drops.rx_bad_csum++;
		dev_kfree_skb_any(skb);
		return;
	}
	xpv_nf_rx_hash(skb, pkt);
	skb_record_rx_queue(skb, q->id);
	napi_gro_receive(&q->napi, skb);
}

/* Up to @budget packets; false if the backend lied. */
static bool xpv_nf_rx_poll(struct xpv_nf_queue *q, int budget, int *done)
{
	struct xpv_nf_rx_pkt pkt;
	bool notify = false, lied = false;
	int rc;

	u64_stats_update_begin(&q->rx_syncp);
	while (*done < budget) {
		rc = xpv_nf_rx_get_packet(&q->rx, &pkt);
		if (!rc)
			break;
		if (rc == -EBADMSG)
			continue;
		if (rc < 0) {
			lied = true;
			break;
		}
		xpv_nf_rx_deliver(q, &pkt);
		(*done)++;
	}
	if (!lied)
		xpv_nf_rx_refill(&q->rx, &notify);
	u64_stats_update_end(&q->rx_syncp);
	if (lied) {
		xpv_nf_backend_lied(q, &q->rx.lie);
		return false;
	}
	if (notify)
		xpv_evtchn_notify(q->rx_port);
	return true;
}

/**
 * xpv_nf_poll() - NAPI poll of a queue
 * @napi:   the queue's
 * @budget: packets to receive at most
 *
 * Return: packets received.
 */
int xpv_nf_poll(struct napi_struct *napi, int budget)
{
	struct xpv_nf_queue *q = container_of(napi, struct xpv_nf_queue, napi);
	struct xpv_nf_info *info = q->info;
	int done = 0;

	if (test_bit(XPV_NF_BROKEN, &info->flags)) {
		napi_complete(napi);
		return 0;
	}
	xpv_nf_tx_poll(q);
	if (!xpv_nf_rx_poll(q, budget, &done) ||
	    test_bit(XPV_NF_BROKEN, &info->flags)) {
		napi_complete_done(napi, done);
		return done;
	}
	if (done < budget && napi_complete_done(napi, done) &&
	    xpv_ring_final_check(&q->rx.ring))
		napi_schedule(napi);
	return done;
}

/**
 * xpv_nf_rx_kick() - tell the backend about everything posted so far
 * @q: the queue, just connected
 */
void xpv_nf_rx_kick(struct xpv_nf_queue *q)
{
	xpv_evtchn_notify(q->tx_port);
	if (q->rx_port != q->tx_port)
		xpv_evtchn_notify(q->rx_port);
}

/**
 * xpv_nf_interrupt() - a queue's event channel fired
 * @irq:    its IRQ
 * @dev_id: the queue
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t xpv_nf_interrupt(int irq, void *dev_id)
{
	struct xpv_nf_queue *q = dev_id;

	napi_schedule(&q->napi);
	return IRQ_HANDLED;
}
