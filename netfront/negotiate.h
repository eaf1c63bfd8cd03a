/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Negotiation of an xpv_netfront device with its backend, as pure logic:
 * from the xenstore values the backend (and the toolstack) wrote, and the
 * frontend's limits, compute what the device will be; and the keys the
 * frontend writes in reply, as data.
 *
 * Nothing here touches xenstore: values come through a lookup callback, so
 * the unit tests feed hostile ones. A value that is not what netif says it
 * is (not a number, out of range, a bad MAC) fails the negotiation with
 * cfg->bad_key naming it, for a clear error.
 */
#ifndef _XPV_NETFRONT_NEGOTIATE_H
#define _XPV_NETFRONT_NEGOTIATE_H

#include <xpv/xpv.h>
#include <linux/if_ether.h>
#include <linux/types.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>

/* Queues per device at most, whatever the backend and the CPUs allow. */
#define XPV_NF_MAX_QUEUES 16

/* Longest value read from xenstore (a MAC is 17 characters). */
#define XPV_NF_VALUE_MAX 32

/**
 * enum xpv_nf_side - whose xenstore directory a key is read from
 * @XPV_NF_BACKEND:  the backend's (otherend): its features
 * @XPV_NF_FRONTEND: ours, where the toolstack put mac and mtu
 */
enum xpv_nf_side {
	XPV_NF_BACKEND,
	XPV_NF_FRONTEND,
};

/**
 * struct xpv_nf_store - how negotiation reads xenstore
 * @read: copy the value of @key in @side's directory to @buf, NUL-terminated,
 *        at most @size bytes with the NUL. Return its length, -ENOENT if
 *        there is no such key, -E2BIG if it does not fit, or another
 *        negative errno.
 * @ctx:  argument of @read
 */
struct xpv_nf_store {
	int (*read)(void *ctx, enum xpv_nf_side side, const char *key,
		    char *buf, size_t size);
	void *ctx;
};

/**
 * struct xpv_nf_limits - the frontend's side of the negotiation
 * @online_cpus: CPUs online (queues beyond that are pointless)
 * @max_queues:  module parameter; 0 means as many as CPUs
 * @sg:          accept scatter-gather receives (advertise feature-sg)
 * @gso:         accept GSO receives (feature-gso-tcpv4/6; needs @sg)
 * @csum:        accept checksum-blank receives (else feature-no-csum-offload)
 */
struct xpv_nf_limits {
	unsigned int online_cpus;
	unsigned int max_queues;
	bool sg;
	bool gso;
	bool csum;
};

/**
 * struct xpv_nf_config - the negotiated device
 * @nr_queues:      queues to set up, 1 to XPV_NF_MAX_QUEUES
 * @multi_queue:    the backend has multi-queue-max-queues: write
 *                  multi-queue-num-queues
 * @split_evtchn:   separate TX and RX event channels
 * @ctrl_ring:      the backend offers a control ring (not used yet)
 * @mcast_ctrl:     the backend offers multicast filtering
 * @tx_sg:          we may send multi-slot packets
 * @tx_gso_tcpv4:   we may send TCPv4 GSO (needs @tx_sg and @tx_csum_ipv4)
 * @tx_gso_tcpv6:   we may send TCPv6 GSO (needs @tx_sg and @tx_csum_ipv6)
 * @tx_csum_ipv4:   we may send IPv4 TCP/UDP with a blank checksum
 * @tx_csum_ipv6:   we may send IPv6 TCP/UDP with a blank checksum
 * @rx_sg:          we advertise feature-sg
 * @rx_gso_tcpv4:   we advertise feature-gso-tcpv4
 * @rx_gso_tcpv6:   we advertise feature-gso-tcpv6
 * @rx_csum:        we accept blank checksums (else feature-no-csum-offload)
 * @mac:            the MAC address (our "mac" key): unicast, not zero
 * @mtu:            initial MTU ("mtu", backend's or ours; 1500 if none)
 * @max_mtu:        the largest MTU allowed (65535 with SG both ways, 1500)
 * @mtu_clamped:    "mtu" asked for more than @max_mtu and got @max_mtu
 * @bad_key:        on failure, the key at fault
 */
struct xpv_nf_config {
	unsigned int nr_queues;
	bool multi_queue;
	bool split_evtchn;
	bool ctrl_ring;
	bool mcast_ctrl;
	bool tx_sg;
	bool tx_gso_tcpv4;
	bool tx_gso_tcpv6;
	bool tx_csum_ipv4;
	bool tx_csum_ipv6;
	bool rx_sg;
	bool rx_gso_tcpv4;
	bool rx_gso_tcpv6;
	bool rx_csum;
	u8 mac[ETH_ALEN];
	unsigned int mtu;
	unsigned int max_mtu;
	bool mtu_clamped;
	const char *bad_key;
};

/**
 * struct xpv_nf_queue_refs - what one queue publishes
 * @tx_ring_ref: grant of its TX ring page
 * @rx_ring_ref: grant of its RX ring page
 * @evtchn_tx:   its event channel (TX's, if split)
 * @evtchn_rx:   RX's event channel, if split
 */
struct xpv_nf_queue_refs {
	grant_ref_t tx_ring_ref;
	grant_ref_t rx_ring_ref;
	evtchn_port_t evtchn_tx;
	evtchn_port_t evtchn_rx;
};

/**
 * struct xpv_nf_kv - one key for the glue to write in our directory
 * @key:   path relative to the device directory, e.g. "queue-1/rx-ring-ref"
 * @value: its value
 */
struct xpv_nf_kv {
	char key[32];
	char value[16];
};

/* Keys written at most: multi-queue-num-queues, 4 per queue, 7 features. */
#define XPV_NF_MAX_KEYS (1 + 4 * XPV_NF_MAX_QUEUES + 7)

int xpv_nf_parse_mac(const char *s, u8 mac[ETH_ALEN]);
int xpv_nf_negotiate(const struct xpv_nf_store *st,
		     const struct xpv_nf_limits *lim,
		     struct xpv_nf_config *cfg);
int xpv_nf_frontend_keys(const struct xpv_nf_config *cfg,
			 const struct xpv_nf_queue_refs *q,
			 struct xpv_nf_kv *out, unsigned int max);

#endif /* _XPV_NETFRONT_NEGOTIATE_H */
