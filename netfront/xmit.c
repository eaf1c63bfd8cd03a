// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transmit of xpv_netfront: each skb is copied into pages of the queue's TX
 * pool (one per 4 KiB of packet), put on the TX ring by tx.c and consumed at
 * once; the ring is published, and the backend notified, once per batch
 * (netdev_xmit_more()). With the skb gone, a TX response only gives back
 * a slot, an id and a pool page: responses are collected by every NAPI poll
 * (xpv_nf_poll(), under the same xmit lock) and by transmits that run low
 * on room, and the backend is asked for an event on a response only while
 * the queue is stopped for want of room. No interrupt per completion.
 */
#include <xpv/evtchn.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include "netfront.h"

/* The pool page is the "page"; its grant was made when the queue was. */
static int xpv_nf_tx_grant(void *ctx, void *page, unsigned int offset,
			   grant_ref_t *ref)
{
	struct xpv_nf_buf *b = page;

	*ref = b->ref;
	return 0;
}

/* The grant stays: the page goes back to the pool, for the next packet. */
static int xpv_nf_tx_end(void *ctx, grant_ref_t ref, void *page)
{
	struct xpv_nf_queue *q = ctx;

	xpv_nf_pool_put(&q->tx_pool, page);
	return 0;
}

/* Nothing to release: the skb was consumed once copied. */
static void xpv_nf_tx_complete(void *ctx, void *cookie, int status)
{
}

const struct xpv_nf_tx_ops xpv_nf_tx_ops = {
	.grant = xpv_nf_tx_grant,
	.end_access = xpv_nf_tx_end,
	.complete = xpv_nf_tx_complete,
};

/* GSO and checksum state of @skb as netif has it; false: cannot send. */
static bool xpv_nf_tx_offloads(const struct sk_buff *skb,
			       struct xpv_nf_tx_pkt *pkt)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);

	pkt->csum = XPV_NF_CSUM_NONE;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		pkt->csum = XPV_NF_CSUM_PARTIAL;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		pkt->csum = XPV_NF_CSUM_UNNECESSARY;
	pkt->gso_type = XEN_NETIF_GSO_TYPE_NONE;
	pkt->gso_size = 0;
	if (!skb_is_gso(skb))
		return true;
	if (sh->gso_type & SKB_GSO_TCPV4)
		pkt->gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
	else if (sh->gso_type & SKB_GSO_TCPV6)
		pkt->gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
	else
		return false;
	pkt->gso_size = sh->gso_size;
	return true;
}

/* Copy @skb into pool pages described by @frags; their number. */
static unsigned int xpv_nf_tx_copy(struct xpv_nf_queue *q,
				   const struct sk_buff *skb,
				   struct xpv_nf_frag *frags)
{
	unsigned int off, n = 0, len;
	struct xpv_nf_buf *b;

	for (off = 0; off < skb->len; off += len) {
		len = min_t(unsigned int, skb->len - off, XPV_XEN_PAGE_SIZE);
		b = xpv_nf_pool_get(&q->tx_pool);
		/* One page per TX id: xpv_nf_tx_has_room() said there are. */
		if (WARN_ON_ONCE(!b))
			break;
		/* In range by construction: cannot fail. */
		skb_copy_bits(skb, off, b->va, len);
		frags[n].page = b;
		frags[n].offset = 0;
		frags[n].len = len;
		n++;
	}
	return n;
}

static void xpv_nf_tx_unget(struct xpv_nf_queue *q,
			    const struct xpv_nf_frag *frags, unsigned int n)
{
	while (n--)
		xpv_nf_pool_put(&q->tx_pool, frags[n].page);
}

/* Queue @skb on @q; false if it was not (the caller drops it). */
static bool xpv_nf_tx_one(struct xpv_nf_queue *q, struct sk_buff *skb)
{
	struct xpv_nf_frag frags[XPV_NF_TX_MAX_SLOTS];
	struct xpv_nf_tx_pkt pkt = { .frags = frags };
	unsigned int pages = DIV_ROUND_UP(skb->len, XPV_XEN_PAGE_SIZE);

	if (!xpv_nf_tx_offloads(skb, &pkt) || !pages ||
	    pages > q->tx.max_slots)
		return false;
	if (!xpv_nf_tx_has_room(&q->tx, pages + 1))
		return false;
	pkt.nr_frags = xpv_nf_tx_copy(q, skb, frags);
	if (xpv_nf_tx_queue(&q->tx, &pkt) > 0)
		return true;
	xpv_nf_tx_unget(q, frags, pkt.nr_frags);
	return false;
}

/* Below this many free slots (or ids), a transmit collects responses. */
#define XPV_NF_TX_RECLAIM (XPV_NF_TX_IDS / 2)

/* Collect @q's TX responses if it runs low on room. */
static void xpv_nf_tx_reclaim(struct xpv_nf_queue *q)
{
	if (!xpv_nf_tx_has_room(&q->tx, XPV_NF_TX_RECLAIM) &&
	    xpv_nf_tx_collect(&q->tx, XPV_NF_TX_IDS) < 0)
		xpv_nf_backend_lied(q, &q->tx.lie);
}

/*
 * No room for the largest packet: stop @txq and ask for an event on the
 * next response; one may have come already, then NAPI collects it.
 */
static void xpv_nf_tx_stop(struct xpv_nf_queue *q, struct netdev_queue *txq)
{
	netif_tx_stop_queue(txq);
	if (xpv_ring_final_check(&q->tx.ring))
		napi_schedule(&q->napi);
}

/**
 * xpv_nf_start_xmit() - ndo_start_xmit
 * @skb: the packet
 * @dev: the device
 *
 * Context: the queue's xmit lock held, BHs off.
 * Return: NETDEV_TX_OK; a packet that cannot be sent is dropped and counted.
 */
netdev_tx_t xpv_nf_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct xpv_nf_info *info = netdev_priv(dev);
	u16 id = skb_get_queue_mapping(skb);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, id);
	struct xpv_nf_queue *queues, *q;
	bool sent;

	queues = rcu_dereference_bh(info->queues);
	if (unlikely(!queues || id >= info->nr_queues)) {
		dev_core_stats_tx_dropped_inc(dev);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	q = &queues[id];
	u64_stats_update_begin(&q->tx_syncp);
	xpv_nf_tx_reclaim(q);
	sent = xpv_nf_tx_one(q, skb);
	if (!sent)
		q->tx_drops.tx_dropped++;
	/* Room for the largest packet, or wait for TX responses. */
	if (!xpv_nf_tx_has_room(&q->tx, XPV_NF_TX_MAX_SLOTS + 1))
		xpv_nf_tx_stop(q, txq);
	if ((!netdev_xmit_more() || netif_xmit_stopped(txq)) &&
	    xpv_nf_tx_push(&q->tx))
		xpv_evtchn_notify(q->tx_port);
	u64_stats_update_end(&q->tx_syncp);
	if (sent)
		dev_consume_skb_any(skb);
	else
		dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/**
 * xpv_nf_tx_poll() - collect TX responses, wake the queue if it has room
 * @q: the queue
 *
 * A stopped queue keeps asking for an event on the next response; a running
 * one asks for none (its transmits collect what they need).
 *
 * Context: NAPI; takes the queue's xmit lock.
 */
void xpv_nf_tx_poll(struct xpv_nf_queue *q)
{
	struct net_device *dev = q->info->netdev;
	struct netdev_queue *txq = netdev_get_tx_queue(dev, q->id);
	int rc;

	__netif_tx_lock(txq, smp_processor_id());
	u64_stats_update_begin(&q->tx_syncp);
	do {
		rc = xpv_nf_tx_collect(&q->tx, XPV_NF_TX_IDS);
	} while (rc >= 0 && netif_tx_queue_stopped(txq) &&
		 xpv_ring_final_check(&q->tx.ring));
	u64_stats_update_end(&q->tx_syncp);
	if (rc < 0)
		xpv_nf_backend_lied(q, &q->tx.lie);
	else if (netif_tx_queue_stopped(txq) && netif_carrier_ok(dev) &&
		 xpv_nf_tx_has_room(&q->tx, XPV_NF_TX_MAX_SLOTS + 1))
		netif_tx_wake_queue(txq);
	__netif_tx_unlock(txq);
}
