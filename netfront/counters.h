/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counters of one xpv_netfront queue, and what the last protocol violation
 * by the backend was.
 *
 * Pure data: the TX and RX logic (tx.c, rx.c) update a queue's counters from
 * that queue's own context only (the xmit lock, NAPI), so plain u64 fields
 * suffice there; the glue sums the queues for ndo_get_stats64 and lists every
 * field, named by xpv_nf_counter_names[], for ethtool -S.
 */
#ifndef _XPV_NETFRONT_COUNTERS_H
#define _XPV_NETFRONT_COUNTERS_H

#include <xpv/xpv.h>
#include <linux/types.h>

/**
 * struct xpv_nf_counters - per-queue statistics, all u64, in ethtool order
 * @tx_packets:      packets queued on the TX ring
 * @tx_bytes:        their bytes
 * @tx_slots:        TX ring slots used, extra-info slots included
 * @tx_gso:          GSO packets queued (one extra-info slot each)
 * @tx_linearize:    packets refused as too fragmented (the glue linearises)
 * @tx_ring_full:    packets refused for want of ring slots or ids
 * @tx_errors:       TX responses with status XEN_NETIF_RSP_ERROR
 * @tx_dropped:      TX responses with status XEN_NETIF_RSP_DROPPED
 * @tx_kicks:        TX pushes after which the backend asked to be notified
 * @rx_packets:      packets received and handed to the caller
 * @rx_bytes:        their bytes
 * @rx_slots:        RX responses consumed, extra-info slots included
 * @rx_gso:          received packets carrying GSO information
 * @rx_csum_blank:   received packets with checksum blank (CHECKSUM_PARTIAL)
 * @rx_errors:       RX responses the backend marked as failed (status < 0)
 * @rx_malformed:    RX packets dropped for breaking the protocol
 * @rx_recycled:     RX buffers re-posted unused (errors, extra-info slots)
 * @rx_refill_fail:  RX buffer allocations that failed
 * @rx_kicks:        RX pushes after which the backend asked to be notified
 * @lying:           protocol violations by the backend (see struct xpv_nf_lie)
 */
struct xpv_nf_counters {
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_slots;
	u64 tx_gso;
	u64 tx_linearize;
	u64 tx_ring_full;
	u64 tx_errors;
	u64 tx_dropped;
	u64 tx_kicks;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_slots;
	u64 rx_gso;
	u64 rx_csum_blank;
	u64 rx_errors;
	u64 rx_malformed;
	u64 rx_recycled;
	u64 rx_refill_fail;
	u64 rx_kicks;
	u64 lying;
};

#define XPV_NF_NR_COUNTERS (sizeof(struct xpv_nf_counters) / sizeof(u64))

extern const char *const xpv_nf_counter_names[];

/**
 * struct xpv_nf_lie - the last protocol violation seen, for a clear error
 * @what:  what the backend did, e.g. "tx response for an id not in flight"
 * @value: the offending value (an id, a status, a size...)
 *
 * @what is NULL until the first violation; it points to a string constant.
 */
struct xpv_nf_lie {
	const char *what;
	long value;
};

void xpv_nf_counters_add(struct xpv_nf_counters *sum,
			 const struct xpv_nf_counters *c);
u64 xpv_nf_counter_get(const struct xpv_nf_counters *c, unsigned int i);
void xpv_nf_lie(struct xpv_nf_lie *lie, struct xpv_nf_counters *c,
		const char *what, long value);

#endif /* _XPV_NETFRONT_COUNTERS_H */
