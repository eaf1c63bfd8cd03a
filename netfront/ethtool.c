// SPDX-License-Identifier: GPL-2.0-only
/*
 * ethtool operations of xpv_netfront: driver info, link, channels and the
 * driver's counters (ethtool -S): the ring counters summed over the queues
 * (and earlier connections), the glue's drops, and per queue its packets
 * both ways. The offload flags (ethtool -k) are the net_device's features.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include "netfront.h"

static const char *const xpv_nf_drop_names[XPV_NF_NR_DROPS] = {
	"tx_dropped_by_driver", "rx_dropped_nomem", "rx_dropped_bad_csum",
};

/* Counters before the per-queue ones: rings, drops, "connects". */
#define XPV_NF_NR_TOTALS (XPV_NF_NR_COUNTERS + XPV_NF_NR_DROPS + 1)

static void xpv_nf_get_drvinfo(struct net_device *dev,
			       struct ethtool_drvinfo *di)
{
	struct xpv_nf_info *info = netdev_priv(dev);

	strscpy(di->driver, XPV_NF_DRV_NAME, sizeof(di->driver));
	strscpy(di->bus_info, dev_name(&info->xdev->dev), sizeof(di->bus_info));
}

static void xpv_nf_get_channels(struct net_device *dev,
				struct ethtool_channels *ch)
{
	unsigned int max = min_t(unsigned int, num_online_cpus(),
				 XPV_NF_MAX_QUEUES);

	if (xpv_nf_max_queues && xpv_nf_max_queues < max)
		max = xpv_nf_max_queues;
	ch->max_combined = max;
	ch->combined_count = dev->real_num_tx_queues;
}

static int xpv_nf_get_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return XPV_NF_NR_TOTALS + 2 * dev->real_num_tx_queues;
}

static void xpv_nf_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < XPV_NF_NR_COUNTERS; i++)
		ethtool_sprintf(&data, "%s", xpv_nf_counter_names[i]);
	for (i = 0; i < XPV_NF_NR_DROPS; i++)
		ethtool_sprintf(&data, "%s", xpv_nf_drop_names[i]);
	ethtool_sprintf(&data, "connects");
	for (i = 0; i < dev->real_num_tx_queues; i++) {
		ethtool_sprintf(&data, "queue_%u_tx_packets", i);
		ethtool_sprintf(&data, "queue_%u_rx_packets", i);
	}
}

static void xpv_nf_get_ethtool_stats(struct net_device *dev,
				     struct ethtool_stats *stats, u64 *data)
{
	struct xpv_nf_info *info = netdev_priv(dev);
	struct xpv_nf_queue *queues = rtnl_dereference(info->queues);
	struct xpv_nf_counters c = info->old_cnt, qc;
	struct xpv_nf_drops d = info->old_drops, qd;
	unsigned int i, n = 0;

	for (i = 0; queues && i < info->nr_queues; i++)
		xpv_nf_queue_counters(&queues[i], &c, &d);
	for (i = 0; i < XPV_NF_NR_COUNTERS; i++)
		data[n++] = xpv_nf_counter_get(&c, i);
	data[n++] = d.tx_dropped;
	data[n++] = d.rx_nomem;
	data[n++] = d.rx_bad_csum;
	data[n++] = info->connects;
	for (i = 0; i < dev->real_num_tx_queues; i++) {
		memset(&qc, 0, sizeof(qc));
		memset(&qd, 0, sizeof(qd));
		if (queues && i < info->nr_queues)
			xpv_nf_queue_counters(&queues[i], &qc, &qd);
		data[n++] = qc.tx_packets;
		data[n++] = qc.rx_packets;
	}
}

const struct ethtool_ops xpv_nf_ethtool_ops = {
	.get_drvinfo = xpv_nf_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_channels = xpv_nf_get_channels,
	.get_sset_count = xpv_nf_get_sset_count,
	.get_strings = xpv_nf_get_strings,
	.get_ethtool_stats = xpv_nf_get_ethtool_stats,
};
