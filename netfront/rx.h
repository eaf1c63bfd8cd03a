/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The RX side of one xpv_netfront queue, without the kernel: posting
 * receive buffers (request-rx-copy: the backend copies into pages we grant)
 * and turning RX responses into packets.
 *
 * Buffers are found by ring slot, never by the response's id: netif extra
 * info overlays the id, so a response always lands in the slot of the
 * request it answers (the backend guarantees it, and xpv_ring guarantees no
 * response without a request). A data slot's id must still echo the
 * request's, as netback does.
 *
 * A packet is a chain: a data slot (flags: checksum, XEN_NETRXF_extra_info,
 * XEN_NETRXF_more_data), its extra-info slots if any, then data slots while
 * XEN_NETRXF_more_data is set. Every response is copied once and checked:
 * status (negative: the backend failed, e.g. a copy), offset + size within
 * the page, the id, the extra-info types (GSO sane and advertised, no type
 * twice), the chain's length and total size. A packet that fails is dropped
 * whole and all its buffers re-posted unused, granted as they were; one that
 * passes has its buffers' grants ended and is handed over.
 *
 * No locking: the caller serialises all calls per queue (NAPI).
 */
#ifndef _XPV_NETFRONT_RX_H
#define _XPV_NETFRONT_RX_H

#include <xpv/xpv.h>
#include <xpv/ring.h>
#include <xpv/shared.h>
#include <linux/types.h>
#include <xen/interface/io/netif.h>
#include "counters.h"
#include "tx.h"

/* Request slots of a one-page RX ring: 256. */
#define XPV_NF_RX_RING_SIZE __CONST_RING_SIZE(xen_netif_rx, XPV_XEN_PAGE_SIZE)

/* Data slots of one packet, at most: what a backend may use (netif). */
#define XPV_NF_RX_MAX_FRAGS XEN_NETIF_NR_SLOTS_MIN

/* Largest packet: 64 KiB (GSO) plus an Ethernet header with a VLAN tag. */
#define XPV_NF_RX_MAX_LEN (65536 + 18)

/* Fewer buffers posted than this and a packet may not fit: refill soon. */
#define XPV_NF_RX_MIN_POSTED (XEN_NETIF_NR_SLOTS_MIN + 1)

/**
 * struct xpv_nf_rx_ops - what the RX logic asks of the driver
 * @alloc:      allocate a buffer page, grant the backend write access to it;
 *              store the driver's handle in @cookie and the reference in
 *              @ref. 0 or a negative errno.
 * @end_access: revoke @ref and free it. 0 if done, the buffer is the
 *              driver's again; -EBUSY if the backend still maps it: the
 *              driver then releases the buffer itself once it lets go.
 * @free:       give back a buffer whose grant was ended (a packet dropped
 *              after all, or teardown)
 */
struct xpv_nf_rx_ops {
	int (*alloc)(void *ctx, void **cookie, grant_ref_t *ref);
	int (*end_access)(void *ctx, grant_ref_t ref, void *cookie);
	void (*free)(void *ctx, void *cookie);
};

/**
 * struct xpv_nf_rx_buf - a posted receive buffer
 * @cookie: the driver's handle, NULL if the slot holds none
 * @gref:   its grant
 */
struct xpv_nf_rx_buf {
	void *cookie;
	grant_ref_t gref;
};

/**
 * struct xpv_nf_rx_frag - one data slot of a received packet
 * @cookie: the buffer (the driver's handle); its grant is ended
 * @offset: where the data starts in the buffer page
 * @len:    bytes, > 0; @offset + @len <= 4 KiB
 */
struct xpv_nf_rx_frag {
	void *cookie;
	u16 offset;
	u16 len;
};

/**
 * struct xpv_nf_rx_pkt - a received packet
 * @frags:     its data slots in order
 * @nr_frags:  how many
 * @len:       total bytes, ETH_HLEN to XPV_NF_RX_MAX_LEN
 * @csum:      XPV_NF_CSUM_PARTIAL (csum_blank: the glue must set up the
 *             checksum offsets, skb_checksum_setup()), _UNNECESSARY
 *             (data_validated) or _NONE
 * @gso_type:  XEN_NETIF_GSO_TYPE_TCPV4/6, or _NONE
 * @gso_size:  the MSS if @gso_type is not NONE
 * @has_hash:  the backend sent a hash (XEN_NETIF_EXTRA_TYPE_HASH)
 * @hash_type: its _XEN_NETIF_CTRL_HASH_TYPE_*
 * @hash:      its value
 */
struct xpv_nf_rx_pkt {
	struct xpv_nf_rx_frag frags[XPV_NF_RX_MAX_FRAGS];
	unsigned int nr_frags;
	unsigned int len;
	enum xpv_nf_csum csum;
	u8 gso_type;
	u16 gso_size;
	bool has_hash;
	u8 hash_type;
	u32 hash;
};

/**
 * struct xpv_nf_rx - RX state of one queue
 * @ring:      the shared RX ring
 * @bufs:      posted buffers, by ring slot
 * @target:    buffers to keep posted, at most the ring size
 * @batch:     refill only once this many slots are free (unless starved)
 * @max_frags: data slots per packet accepted, at most XPV_NF_RX_MAX_FRAGS
 * @gso_types: (1 << XEN_NETIF_GSO_TYPE_x) for each GSO type we advertised
 *             (feature-gso-tcpv4/6); others are malformed
 * @broken:    the backend broke the ring or kept a page mapped
 * @lie:       the last protocol violation
 * @cnt:       the queue's counters
 * @ops:       the driver's buffer hooks
 * @ctx:       their argument
 */
struct xpv_nf_rx {
	struct xpv_ring ring;
	struct xpv_nf_rx_buf bufs[XPV_NF_RX_RING_SIZE];
	unsigned int target;
	unsigned int batch;
	unsigned int max_frags;
	unsigned int gso_types;
	bool broken;
	struct xpv_nf_lie lie;
	struct xpv_nf_counters *cnt;
	const struct xpv_nf_rx_ops *ops;
	void *ctx;
};

int xpv_nf_rx_init(struct xpv_nf_rx *rx, void *shared, size_t bytes,
		   unsigned int max_frags, unsigned int gso_types,
		   const struct xpv_nf_rx_ops *ops, void *ctx,
		   struct xpv_nf_counters *cnt);
unsigned int xpv_nf_rx_posted(const struct xpv_nf_rx *rx);
int xpv_nf_rx_refill(struct xpv_nf_rx *rx, bool *notify);
int xpv_nf_rx_get_packet(struct xpv_nf_rx *rx, struct xpv_nf_rx_pkt *pkt);
unsigned int xpv_nf_rx_release_all(struct xpv_nf_rx *rx);

#endif /* _XPV_NETFRONT_RX_H */
