// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection of an xpv_netfront device: the backend's xenstore keys
 * negotiated (negotiate.c), the queues set up (rings, pools, event
 * channels, NAPI) and published in one transaction; and the reverse.
 */
#include <xpv/evtchn.h>
#include <xpv/xenstore.h>
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include "netfront.h"

static int xpv_nf_store_read(void *ctx, enum xpv_nf_side side,
			     const char *key, char *buf, size_t size)
{
	struct xpv_xenbus_device *xdev = ctx;
	const char *dir = side == XPV_NF_BACKEND ? xdev->otherend :
							xdev->nodename;

	return xpv_xs_read_buf(XPV_XBT_NIL, dir, key, buf, size);
}

/**
 * xpv_nf_read_mac() - the MAC address the toolstack gave the vif
 * @xdev: the device
 * @mac:  receives it
 *
 * Return: 0, or a negative errno (with a clear error logged).
 */
int xpv_nf_read_mac(struct xpv_xenbus_device *xdev, u8 *mac)
{
	char buf[XPV_NF_VALUE_MAX];
	int rc;

	rc = xpv_nf_store_read(xdev, XPV_NF_FRONTEND, "mac", buf, sizeof(buf));
	if (rc >= 0)
		rc = xpv_nf_parse_mac(buf, mac);
	if (rc)
		dev_err(&xdev->dev, "no valid MAC address in %s/mac (%d)\n",
			xdev->nodename, rc);
	return rc;
}

static int xpv_nf_queue_evtchn(struct xpv_nf_queue *q, evtchn_port_t *port,
			       int *irq, unsigned int which, const char *what)
{
	struct xpv_nf_info *info = q->info;
	char *name = q->irq_name[which];
	int rc;

	rc = xpv_xenbus_alloc_evtchn(info->xdev, port);
	if (rc)
		return rc;
	/* As Linux's xen-netfront: named for the vif, not the ethX. */
	snprintf(name, sizeof(q->irq_name[0]), "vif%s-q%u-%s",
		 strrchr(info->xdev->nodename, '/') + 1, q->id, what);
	rc = xpv_evtchn_bind_irq(*port, xpv_nf_interrupt, 0, name, q);
	if (rc < 0) {
		xpv_xenbus_free_evtchn(info->xdev, *port);
		return rc;
	}
	*irq = rc;
	return 0;
}

static void xpv_nf_queue_unbind(struct xpv_nf_queue *q)
{
	if (q->rx_irq > 0)
		xpv_evtchn_unbind_irq(q->rx_irq, q);
	if (q->tx_irq > 0)
		xpv_evtchn_unbind_irq(q->tx_irq, q);
	q->tx_irq = 0;
	q->rx_irq = 0;
}

static void xpv_nf_queue_teardown(struct xpv_nf_queue *q)
{
	xpv_nf_queue_unbind(q);
	netif_napi_del(&q->napi);
	if (q->tx.ops)
		xpv_nf_tx_release_all(&q->tx);
	if (q->rx.ops)
		xpv_nf_rx_release_all(&q->rx);
	xpv_nf_pool_destroy(&q->tx_pool);
	xpv_nf_pool_destroy(&q->rx_pool);
	xpv_xenbus_teardown_ring(&q->tx_sring, 1, &q->tx_ring_ref);
	xpv_xenbus_teardown_ring(&q->rx_sring, 1, &q->rx_ring_ref);
}

static int xpv_nf_queue_rings(struct xpv_nf_queue *q,
			      const struct xpv_nf_config *cfg)
{
	struct xpv_xenbus_device *xdev = q->info->xdev;
	unsigned int gso = 0, rx_gso = 0;
	int rc;

	rc = xpv_xenbus_setup_ring(xdev, GFP_KERNEL, &q->tx_sring, 1,
				   &q->tx_ring_ref);
	rc = rc ?: xpv_xenbus_setup_ring(xdev, GFP_KERNEL, &q->rx_sring, 1,
					 &q->rx_ring_ref);
	rc = rc ?: xpv_nf_pool_init(&q->tx_pool, XPV_NF_TX_IDS,
				    xdev->otherend_id, true);
	rc = rc ?: xpv_nf_pool_init(&q->rx_pool, XPV_NF_RX_RING_SIZE,
				    xdev->otherend_id, false);
	if (rc)
		return rc;
	if (cfg->tx_gso_tcpv4)
		gso |= 1U << XEN_NETIF_GSO_TYPE_TCPV4;
	if (cfg->tx_gso_tcpv6)
		gso |= 1U << XEN_NETIF_GSO_TYPE_TCPV6;
	if (cfg->rx_gso_tcpv4)
		rx_gso |= 1U << XEN_NETIF_GSO_TYPE_TCPV4;
	if (cfg->rx_gso_tcpv6)
		rx_gso |= 1U << XEN_NETIF_GSO_TYPE_TCPV6;
	rc = xpv_nf_tx_init(&q->tx, q->tx_sring, XPV_XEN_PAGE_SIZE,
			    cfg->tx_sg ? XPV_NF_TX_MAX_SLOTS : 1, gso,
			    &xpv_nf_tx_ops, q, &q->tx_cnt);
	rc = rc ?: xpv_nf_rx_init(&q->rx, q->rx_sring, XPV_XEN_PAGE_SIZE,
				  cfg->rx_sg ? XPV_NF_RX_MAX_FRAGS : 1, rx_gso,
				  &xpv_nf_rx_ops, q, &q->rx_cnt);
	return rc;
}

/* One queue, its RX buffers posted; torn down again on failure. */
static int xpv_nf_queue_setup(struct xpv_nf_info *info,
			      struct xpv_nf_queue *q, unsigned int id,
			      const struct xpv_nf_config *cfg)
{
	bool notify;
	int rc;

	q->info = info;
	q->id = id;
	u64_stats_init(&q->tx_syncp);
	u64_stats_init(&q->rx_syncp);
	netif_napi_add(info->netdev, &q->napi, xpv_nf_poll);
	rc = xpv_nf_queue_rings(q, cfg);
	if (!rc && xpv_nf_rx_refill(&q->rx, &notify) <= 0)
		rc = -ENOMEM;
	if (!rc && cfg->split_evtchn) {
		rc = xpv_nf_queue_evtchn(q, &q->tx_port, &q->tx_irq, 0, "tx");
		rc = rc ?: xpv_nf_queue_evtchn(q, &q->rx_port, &q->rx_irq,
					       1, "rx");
	} else if (!rc) {
		rc = xpv_nf_queue_evtchn(q, &q->tx_port, &q->tx_irq, 0,
					 "txrx");
		q->rx_port = q->tx_port;
	}
	if (rc)
		xpv_nf_queue_teardown(q);
	return rc;
}

/**
 * struct xpv_nf_keys - what the frontend publishes, for the transaction
 * @dir: its directory
 * @kv:  the keys
 * @n:   how many
 */
struct xpv_nf_keys {
	const char *dir;
	struct xpv_nf_kv kv[XPV_NF_MAX_KEYS];
	int n;
};

static int xpv_nf_write_keys(xpv_xbt_t t, void *arg)
{
	const struct xpv_nf_keys *k = arg;
	int i, rc = 0;

	for (i = 0; !rc && i < k->n; i++)
		rc = xpv_xs_write(t, k->dir, k->kv[i].key, k->kv[i].value);
	return rc;
}

static int xpv_nf_publish(struct xpv_nf_info *info,
			  const struct xpv_nf_config *cfg,
			  const struct xpv_nf_queue_refs *refs)
{
	struct xpv_nf_keys *k;
	int rc;

	k = kmalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	k->dir = info->xdev->nodename;
	k->n = xpv_nf_frontend_keys(cfg, refs, k->kv, XPV_NF_MAX_KEYS);
	rc = k->n < 0 ? k->n : xpv_xs_transact(xpv_nf_write_keys, k);
	kfree(k);
	return rc;
}

static int xpv_nf_negotiate_now(struct xpv_nf_info *info,
				struct xpv_nf_config *cfg)
{
	struct xpv_xenbus_device *xdev = info->xdev;
	struct xpv_nf_store st = { .read = xpv_nf_store_read, .ctx = xdev };
	struct xpv_nf_limits lim = {
		.online_cpus = num_online_cpus(),
		.max_queues = xpv_nf_max_queues,
		.sg = true,
		.gso = true,
		.csum = true,
	};
	int rc;

	rc = xpv_nf_negotiate(&st, &lim, cfg);
	if (rc)
		xpv_xenbus_dev_fatal(xdev, rc, "negotiation failed at key %s",
				     cfg->bad_key ? cfg->bad_key : "?");
	return rc;
}

/* Under RTNL: the queues, set up and made the device's; @refs filled. */
static int xpv_nf_create_queues(struct xpv_nf_info *info,
				const struct xpv_nf_config *cfg,
				struct xpv_nf_queue_refs *refs)
{
	struct net_device *dev = info->netdev;
	struct xpv_nf_queue *queues, *q;
	unsigned int i;
	int rc = 0;

	queues = kvcalloc(cfg->nr_queues, sizeof(*queues), GFP_KERNEL);
	if (!queues)
		return -ENOMEM;
	for (i = 0; i < cfg->nr_queues; i++) {
		q = &queues[i];
		rc = xpv_nf_queue_setup(info, q, i, cfg);
		if (rc)
			break;
		refs[i].tx_ring_ref = q->tx_ring_ref;
		refs[i].rx_ring_ref = q->rx_ring_ref;
		refs[i].evtchn_tx = q->tx_port;
		refs[i].evtchn_rx = q->rx_port;
	}
	if (!rc)
		rc = netif_set_real_num_tx_queues(dev, cfg->nr_queues);
	if (!rc)
		rc = netif_set_real_num_rx_queues(dev, cfg->nr_queues);
	if (rc) {
		while (i--)
			xpv_nf_queue_teardown(&queues[i]);
		kvfree(queues);
		return rc;
	}
	info->cfg = *cfg;
	info->nr_queues = cfg->nr_queues;
	clear_bit(XPV_NF_BROKEN, &info->flags);
	rcu_assign_pointer(info->queues, queues);
	xpv_nf_apply_config(info, !info->connects++);
	for (i = 0; netif_running(dev) && i < info->nr_queues; i++)
		napi_enable(&queues[i].napi);
	return 0;
}

/**
 * xpv_nf_connect() - negotiate, set up the queues, publish them
 * @info: the device, disconnected
 *
 * The carrier stays off until the backend is Connected too
 * (xpv_nf_start_queues()).
 *
 * Context: process context, RTNL not held.
 * Return: 0, or a negative errno (reported in xenstore).
 */
int xpv_nf_connect(struct xpv_nf_info *info)
{
	struct xpv_nf_queue_refs refs[XPV_NF_MAX_QUEUES];
	struct xpv_nf_config cfg;
	int rc;

	rc = xpv_nf_negotiate_now(info, &cfg);
	if (rc)
		return rc;
	rtnl_lock();
	rc = xpv_nf_create_queues(info, &cfg, refs);
	rtnl_unlock();
	if (rc) {
		xpv_xenbus_dev_fatal(info->xdev, rc, "setting up %u queue(s)",
				     cfg.nr_queues);
		return rc;
	}
	rc = xpv_nf_publish(info, &cfg, refs);
	if (rc) {
		xpv_xenbus_dev_fatal(info->xdev, rc, "writing the ring keys");
		rtnl_lock();
		xpv_nf_disconnect(info);
		rtnl_unlock();
		return rc;
	}
	netdev_info(info->netdev, "%pM: %u queue(s)%s, sg %s, gso %s/%s, csum %s/%s, mtu %u (max %u)\n",
		    cfg.mac, cfg.nr_queues,
		    cfg.split_evtchn ? " with split event channels" : "",
		    cfg.tx_sg ? "on" : "off", cfg.tx_gso_tcpv4 ? "v4" : "-",
		    cfg.tx_gso_tcpv6 ? "v6" : "-",
		    cfg.tx_csum_ipv4 ? "v4" : "-",
		    cfg.tx_csum_ipv6 ? "v6" : "-", info->netdev->mtu,
		    cfg.max_mtu);
	return 0;
}

/**
 * xpv_nf_disconnect() - stop the device and free its queues
 * @info: the device
 *
 * Every grant is ended (pages the backend still maps are freed once it lets
 * go), every port closed; the queues' counters are kept for the statistics.
 * Nothing happens if the device has no queues.
 *
 * Context: RTNL held.
 */
void xpv_nf_disconnect(struct xpv_nf_info *info)
{
	struct xpv_nf_queue *queues = rtnl_dereference(info->queues);
	unsigned int i;

	if (!queues)
		return;
	xpv_nf_stop_queues(info);
	for (i = 0; i < info->nr_queues; i++)
		xpv_nf_queue_unbind(&queues[i]);
	RCU_INIT_POINTER(info->queues, NULL);
	synchronize_net();
	for (i = 0; i < info->nr_queues; i++) {
		xpv_nf_queue_counters(&queues[i], &info->old_cnt,
				      &info->old_drops);
		xpv_nf_queue_teardown(&queues[i]);
	}
	kvfree(queues);
	info->nr_queues = 0;
}
