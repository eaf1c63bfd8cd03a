// SPDX-License-Identifier: GPL-2.0-only
/*
 * The net_device of xpv_netfront: its operations, the features and MTU the
 * negotiation allows, statistics, and the reaction to a lying backend.
 *
 * NAPI of a queue is enabled exactly while the device is up and the queue
 * exists; open/stop and connect/disconnect all run under RTNL.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/tcp.h>
#include "netfront.h"

/* Every offload the device may have; fix_features keeps what was agreed. */
#define XPV_NF_TX_FEATURES (NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM | \
			    NETIF_F_TSO | NETIF_F_TSO6)

static struct xpv_nf_queue *xpv_nf_queues(struct xpv_nf_info *info)
{
	return rtnl_dereference(info->queues);
}

static int xpv_nf_open(struct net_device *dev)
{
	struct xpv_nf_info *info = netdev_priv(dev);
	struct xpv_nf_queue *queues = xpv_nf_queues(info);
	unsigned int i;

	local_bh_disable();	/* the polls run at local_bh_enable() */
	for (i = 0; queues && i < info->nr_queues; i++) {
		napi_enable(&queues[i].napi);
		napi_schedule(&queues[i].napi);
	}
	local_bh_enable();
	if (netif_carrier_ok(dev))
		netif_tx_start_all_queues(dev);
	return 0;
}

static int xpv_nf_stop(struct net_device *dev)
{
	struct xpv_nf_info *info = netdev_priv(dev);
	struct xpv_nf_queue *queues = xpv_nf_queues(info);
	unsigned int i;

	netif_tx_disable(dev);
	for (i = 0; queues && i < info->nr_queues; i++)
		napi_disable(&queues[i].napi);
	return 0;
}

/**
 * xpv_nf_queue_counters() - a queue's counters, added to @c and @d
 * @q: the queue
 * @c: sums of the ring counters
 * @d: sums of the glue's drops
 */
void xpv_nf_queue_counters(const struct xpv_nf_queue *q,
			   struct xpv_nf_counters *c, struct xpv_nf_drops *d)
{
	struct xpv_nf_counters tc, rc;
	struct xpv_nf_drops td, rd;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&q->tx_syncp);
		tc = q->tx_cnt;
		td = q->tx_drops;
	} while (u64_stats_fetch_retry(&q->tx_syncp, start));
	do {
		start = u64_stats_fetch_begin(&q->rx_syncp);
		rc = q->rx_cnt;
		rd = q->rx_drops;
	} while (u64_stats_fetch_retry(&q->rx_syncp, start));
	xpv_nf_counters_add(c, &tc);
	xpv_nf_counters_add(c, &rc);
	d->tx_dropped += td.tx_dropped + rd.tx_dropped;
	d->rx_nomem += td.rx_nomem + rd.rx_nomem;
	d->rx_bad_csum += td.rx_bad_csum + rd.rx_bad_csum;
}

static void xpv_nf_get_stats64(struct net_device *dev,
			       struct rtnl_link_stats64 *s)
{
	struct xpv_nf_info *info = netdev_priv(dev);
	struct xpv_nf_counters c = info->old_cnt;
	struct xpv_nf_drops d = info->old_drops;
	struct xpv_nf_queue *queues;
	unsigned int i;

	rcu_read_lock();
	queues = rcu_dereference(info->queues);
	for (i = 0; queues && i < info->nr_queues; i++)
		xpv_nf_queue_counters(&queues[i], &c, &d);
	rcu_read_unlock();
	s->tx_packets = c.tx_packets;
	s->tx_bytes = c.tx_bytes;
	s->tx_errors = c.tx_errors;
	s->tx_dropped = c.tx_dropped + d.tx_dropped;
	s->rx_packets = c.rx_packets;
	s->rx_bytes = c.rx_bytes;
	s->rx_errors = c.rx_errors + c.rx_malformed;
	s->rx_dropped = d.rx_nomem + d.rx_bad_csum;
}

static netdev_features_t xpv_nf_fix_features(struct net_device *dev,
					     netdev_features_t features)
{
	struct xpv_nf_info *info = netdev_priv(dev);
	const struct xpv_nf_config *cfg = &info->cfg;

	if (!cfg->tx_sg)
		features &= ~NETIF_F_SG;
	if (!cfg->tx_csum_ipv4)
		features &= ~NETIF_F_IP_CSUM;
	if (!cfg->tx_csum_ipv6)
		features &= ~NETIF_F_IPV6_CSUM;
	if (!cfg->tx_gso_tcpv4)
		features &= ~NETIF_F_TSO;
	if (!cfg->tx_gso_tcpv6)
		features &= ~NETIF_F_TSO6;
	return features;
}

static const struct net_device_ops xpv_nf_netdev_ops = {
	.ndo_open = xpv_nf_open,
	.ndo_stop = xpv_nf_stop,
	.ndo_start_xmit = xpv_nf_start_xmit,
	.ndo_get_stats64 = xpv_nf_get_stats64,
	.ndo_fix_features = xpv_nf_fix_features,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/**
 * xpv_nf_alloc_netdev() - a net_device for a vif, not registered yet
 * @xdev: the xenbus device
 *
 * Return: the device, carrier off, or an ERR_PTR.
 */
struct net_device *xpv_nf_alloc_netdev(struct xpv_xenbus_device *xdev)
{
	struct net_device *dev;
	struct xpv_nf_info *info;

	dev = alloc_etherdev_mq(sizeof(*info), XPV_NF_MAX_QUEUES);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	info = netdev_priv(dev);
	info->netdev = dev;
	info->xdev = xdev;
	dev->netdev_ops = &xpv_nf_netdev_ops;
	dev->ethtool_ops = &xpv_nf_ethtool_ops;
	dev->hw_features = XPV_NF_TX_FEATURES;
	dev->features = XPV_NF_TX_FEATURES | NETIF_F_RXCSUM;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	netif_set_tso_max_size(dev, XEN_NETIF_MAX_TX_SIZE - MAX_TCP_HEADER);
	netif_set_tso_max_segs(dev, XEN_NETIF_MAX_TX_SIZE / ETH_MIN_MTU);
	SET_NETDEV_DEV(dev, &xdev->dev);
	netif_carrier_off(dev);
	return dev;
}

/**
 * xpv_nf_apply_config() - MTU bounds and features from info->cfg
 * @info:  the device, just connected
 * @first: its first connection: take the MTU the toolstack asked for
 *
 * Context: RTNL held.
 */
void xpv_nf_apply_config(struct xpv_nf_info *info, bool first)
{
	struct net_device *dev = info->netdev;
	unsigned int mtu = dev->mtu;

	dev->max_mtu = info->cfg.max_mtu;
	if (first)
		mtu = info->cfg.mtu;
	if (mtu > dev->max_mtu)
		mtu = dev->max_mtu;
	if (mtu != dev->mtu && dev_set_mtu(dev, mtu))
		netdev_warn(dev, "cannot set the MTU to %u\n", mtu);
	if (info->cfg.mtu_clamped)
		netdev_warn(dev, "backend asked for an MTU above %u without scatter-gather both ways\n",
			    dev->max_mtu);
	netdev_update_features(dev);
}

/**
 * xpv_nf_start_queues() - carrier on: the backend is connected
 * @info: the device
 *
 * Context: RTNL held.
 */
void xpv_nf_start_queues(struct xpv_nf_info *info)
{
	struct xpv_nf_queue *queues = xpv_nf_queues(info);
	unsigned int i;

	if (!queues || test_bit(XPV_NF_BROKEN, &info->flags))
		return;
	netif_carrier_on(info->netdev);
	for (i = 0; i < info->nr_queues; i++)
		xpv_nf_rx_kick(&queues[i]);
	if (!netif_running(info->netdev))
		return;
	netif_tx_wake_all_queues(info->netdev);
	local_bh_disable();	/* the polls run at local_bh_enable() */
	for (i = 0; i < info->nr_queues; i++)
		napi_schedule(&queues[i].napi);
	local_bh_enable();
}

/**
 * xpv_nf_stop_queues() - carrier off, no more transmits, NAPI off
 * @info: the device, about to lose its queues
 *
 * Context: RTNL held.
 */
void xpv_nf_stop_queues(struct xpv_nf_info *info)
{
	struct xpv_nf_queue *queues = xpv_nf_queues(info);
	unsigned int i;

	/* Not once unregistered: a link event would outlive the device. */
	if (info->netdev->reg_state == NETREG_REGISTERED)
		netif_carrier_off(info->netdev);
	netif_tx_disable(info->netdev);
	if (!netif_running(info->netdev))
		return;
	for (i = 0; queues && i < info->nr_queues; i++)
		napi_disable(&queues[i].napi);
}

/**
 * xpv_nf_backend_lied() - the backend broke the protocol on a queue
 * @q:   the queue
 * @lie: what it did
 *
 * Stops the device at once and leaves the report and the teardown to
 * process context. Only the first lie counts.
 *
 * Context: NAPI or the xmit path.
 */
void xpv_nf_backend_lied(struct xpv_nf_queue *q, const struct xpv_nf_lie *lie)
{
	struct xpv_nf_info *info = q->info;

	if (test_and_set_bit(XPV_NF_BROKEN, &info->flags))
		return;
	info->lie = *lie;
	netif_carrier_off(info->netdev);
	netif_tx_stop_all_queues(info->netdev);
	schedule_work(&info->fatal_work);
}
