/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xpv_netfront's OS glue: the state shared by its files.
 *
 *   main.c     module, parameters, the xenbus driver and its state machine
 *   connect.c  negotiation through xenstore, queues set up and torn down
 *   buffers.c  the per-queue pools of pages granted once to the backend
 *   xmit.c     ndo_start_xmit and TX completion
 *   receive.c  NAPI poll: RX packets to skbs, buffer refill
 *   netdev.c   the net_device: ops, features, statistics
 *   ethtool.c  ethtool operations
 *
 * The ring and protocol logic is in the pure files (tx.c, rx.c, txids.c,
 * negotiate.c, counters.c), shared with tests/unit.
 *
 * Data never goes to the backend in the kernel's own pages: every packet is
 * copied into, and out of, pages of a queue's pools, granted once when the
 * queue is set up. The backend sees nothing but packet data, and the fast
 * path does no grant work at all.
 */
#ifndef _XPV_NETFRONT_NETFRONT_H
#define _XPV_NETFRONT_NETFRONT_H

#include <xpv/xpv.h>
#include <xpv/xenbus.h>
#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include "counters.h"
#include "negotiate.h"
#include "rx.h"
#include "tx.h"

#define XPV_NF_DRV_NAME "xpv_netfront"

/**
 * struct xpv_nf_buf - a page of a pool, granted to the backend
 * @page: the page
 * @va:   its address
 * @ref:  its grant (read-only for TX, writable for RX)
 * @next: next free buffer, while free
 */
struct xpv_nf_buf {
	struct page *page;
	void *va;
	grant_ref_t ref;
	struct xpv_nf_buf *next;
};

/**
 * struct xpv_nf_pool - buffers of one direction of a queue
 * @bufs:    all of them
 * @nr:      how many
 * @free:    the free ones, a stack
 * @nr_free: how many are free
 */
struct xpv_nf_pool {
	struct xpv_nf_buf *bufs;
	unsigned int nr;
	struct xpv_nf_buf *free;
	unsigned int nr_free;
};

/**
 * struct xpv_nf_drops - what the glue itself dropped, per queue
 * @tx_dropped: packets refused by xmit (malformed, no room)
 * @rx_nomem:   received packets lost for want of an skb
 * @rx_bad_csum: received checksum-blank packets whose headers did not parse
 */
struct xpv_nf_drops {
	u64 tx_dropped;
	u64 rx_nomem;
	u64 rx_bad_csum;
};

#define XPV_NF_NR_DROPS (sizeof(struct xpv_nf_drops) / sizeof(u64))

/**
 * struct xpv_nf_queue - one queue: a TX and an RX ring, one NAPI
 * @info:     the device
 * @id:       its index
 * @napi:     polls both rings
 * @tx:       TX ring logic (serialised by the netdev queue's xmit lock)
 * @rx:       RX ring logic (serialised by NAPI)
 * @tx_sring: the TX ring page
 * @rx_sring: the RX ring page
 * @tx_ring_ref: its grant
 * @rx_ring_ref: its grant
 * @tx_port:  event channel (both rings' unless split)
 * @rx_port:  RX event channel if split, else @tx_port
 * @tx_irq:   IRQ of @tx_port, 0 if unbound
 * @rx_irq:   IRQ of @rx_port if split, 0 otherwise
 * @tx_pool:  TX pages (one per TX id)
 * @rx_pool:  RX pages (one per RX ring slot)
 * @tx_cnt:   TX counters (written under the xmit lock)
 * @rx_cnt:   RX counters (written by NAPI)
 * @tx_drops: glue drops, TX side (xmit lock); @rx_drops: RX side (NAPI)
 * @rx_drops: see @tx_drops
 * @tx_syncp: guards @tx_cnt and @tx_drops for 32-bit readers
 * @rx_syncp: likewise for @rx_cnt and @rx_drops
 * @irq_name: names of the IRQs, "vif<devid>-q<id>-tx"/"-rx" (or "-txrx")
 */
struct xpv_nf_queue {
	struct xpv_nf_info *info;
	unsigned int id;
	struct napi_struct napi;
	struct xpv_nf_tx tx;
	struct xpv_nf_rx rx;
	void *tx_sring;
	void *rx_sring;
	grant_ref_t tx_ring_ref;
	grant_ref_t rx_ring_ref;
	evtchn_port_t tx_port;
	evtchn_port_t rx_port;
	int tx_irq;
	int rx_irq;
	struct xpv_nf_pool tx_pool;
	struct xpv_nf_pool rx_pool;
	struct xpv_nf_counters tx_cnt;
	struct xpv_nf_counters rx_cnt;
	struct xpv_nf_drops tx_drops;
	struct xpv_nf_drops rx_drops;
	struct u64_stats_sync tx_syncp;
	struct u64_stats_sync rx_syncp;
	char irq_name[2][32];
};

/**
 * struct xpv_nf_info - one NIC
 * @netdev:     its net_device
 * @xdev:       its xenbus device
 * @cfg:        the negotiated configuration (valid while @queues is set)
 * @queues:     the queues, NULL while disconnected (set under RTNL; RCU
 *              for the statistics readers)
 * @nr_queues:  how many
 * @flags:      XPV_NF_BROKEN: the backend lied; the queues are stopped and
 *              @fatal_work shuts the device down
 * @fatal_work: reports the lie and disconnects, in process context
 * @lie:        what the backend did (set by whoever set XPV_NF_BROKEN)
 * @connects:   times the device connected (ethtool -S)
 * @old_cnt:    counters of the queues of earlier connections
 * @old_drops:  likewise
 */
struct xpv_nf_info {
	struct net_device *netdev;
	struct xpv_xenbus_device *xdev;
	struct xpv_nf_config cfg;
	struct xpv_nf_queue __rcu *queues;
	unsigned int nr_queues;
	unsigned long flags;
	struct work_struct fatal_work;
	struct xpv_nf_lie lie;
	u64 connects;
	struct xpv_nf_counters old_cnt;
	struct xpv_nf_drops old_drops;
};

#define XPV_NF_BROKEN 0

/* buffers.c */
int xpv_nf_pool_init(struct xpv_nf_pool *pool, unsigned int nr,
		     domid_t domid, bool readonly);
void xpv_nf_pool_destroy(struct xpv_nf_pool *pool);
struct xpv_nf_buf *xpv_nf_pool_get(struct xpv_nf_pool *pool);
void xpv_nf_pool_put(struct xpv_nf_pool *pool, struct xpv_nf_buf *buf);

/* connect.c */
int xpv_nf_read_mac(struct xpv_xenbus_device *xdev, u8 *mac);
int xpv_nf_connect(struct xpv_nf_info *info);
void xpv_nf_disconnect(struct xpv_nf_info *info);

/* xmit.c */
extern const struct xpv_nf_tx_ops xpv_nf_tx_ops;
netdev_tx_t xpv_nf_start_xmit(struct sk_buff *skb, struct net_device *dev);
void xpv_nf_tx_poll(struct xpv_nf_queue *q);

/* receive.c */
extern const struct xpv_nf_rx_ops xpv_nf_rx_ops;
int xpv_nf_poll(struct napi_struct *napi, int budget);
void xpv_nf_rx_kick(struct xpv_nf_queue *q);
irqreturn_t xpv_nf_interrupt(int irq, void *dev_id);

/* netdev.c */
struct net_device *xpv_nf_alloc_netdev(struct xpv_xenbus_device *xdev);
void xpv_nf_apply_config(struct xpv_nf_info *info, bool first);
void xpv_nf_start_queues(struct xpv_nf_info *info);
void xpv_nf_stop_queues(struct xpv_nf_info *info);
void xpv_nf_backend_lied(struct xpv_nf_queue *q, const struct xpv_nf_lie *lie);
void xpv_nf_queue_counters(const struct xpv_nf_queue *q,
			   struct xpv_nf_counters *c, struct xpv_nf_drops *d);

/* ethtool.c */
extern const struct ethtool_ops xpv_nf_ethtool_ops;

/* main.c */
extern unsigned int xpv_nf_max_queues;

#endif /* _XPV_NETFRONT_NETFRONT_H */
