// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negotiation of an xpv_netfront device with its backend: the backend's
 * xenstore values, checked, become a struct xpv_nf_config; the config
 * becomes the keys the frontend writes. See negotiate.h.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/parse.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <xen/interface/io/netif.h>
#include "negotiate.h"

static int xpv_nf_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/**
 * xpv_nf_parse_mac() - a MAC address as the toolstack writes it
 * @s:   "xx:xx:xx:xx:xx:xx", two hex digits per byte, nothing else
 * @mac: receives the address
 *
 * Return: 0; -EINVAL if @s is not such a string, or the address is
 * multicast (broadcast included) or all zeros: no NIC can have it.
 */
int xpv_nf_parse_mac(const char *s, u8 mac[ETH_ALEN])
{
	u8 m[ETH_ALEN];
	unsigned int i;
	int hi, lo;

	for (i = 0; i < ETH_ALEN; i++, s += 3) {
		hi = xpv_nf_hex(s[0]);
		lo = hi < 0 ? -1 : xpv_nf_hex(s[1]);
		if (lo < 0)
			return -EINVAL;
		if (s[2] != (i + 1 < ETH_ALEN ? ':' : '\0'))
			return -EINVAL;
		m[i] = hi << 4 | lo;
	}
	if (m[0] & 1)
		return -EINVAL;
	if (!(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return -EINVAL;
	memcpy(mac, m, ETH_ALEN);
	return 0;
}

/* Default meaning "absent" where every number is meaningful: not parsed. */
#define XPV_NF_ABSENT 0xffffffffU

/*
 * A number from xenstore: @def if the key is absent, an error naming the
 * key if it is garbage or cannot be read.
 */
static int xpv_nf_read_uint(const struct xpv_nf_store *st,
			    enum xpv_nf_side side, const char *key,
			    unsigned int def, unsigned int *val,
			    struct xpv_nf_config *cfg)
{
	char buf[XPV_NF_VALUE_MAX];
	u64 v;
	int rc;

	rc = st->read(st->ctx, side, key, buf, sizeof(buf));
	if (rc == -ENOENT) {
		*val = def;
		return 0;
	}
	if (rc >= 0 && rc < (int)sizeof(buf) && !buf[rc])
		rc = xpv_parse_u64(buf, XPV_NF_ABSENT - 1, &v);
	else if (rc >= 0 || rc == -E2BIG)
		rc = -EINVAL;
	if (rc)
		cfg->bad_key = key;
	else
		*val = v;
	return rc;
}

/* A feature flag of the backend: absent is @def, else "0" or "1". */
static int xpv_nf_read_bool(const struct xpv_nf_store *st, const char *key,
			    bool def, bool *val, struct xpv_nf_config *cfg)
{
	unsigned int v;
	int rc;

	rc = xpv_nf_read_uint(st, XPV_NF_BACKEND, key, def, &v, cfg);
	if (rc)
		return rc;
	if (v > 1) {
		cfg->bad_key = key;
		return -EINVAL;
	}
	*val = v;
	return 0;
}

static int xpv_nf_read_mac(const struct xpv_nf_store *st,
			   struct xpv_nf_config *cfg)
{
	char buf[XPV_NF_VALUE_MAX];
	int rc;

	rc = st->read(st->ctx, XPV_NF_FRONTEND, "mac", buf, sizeof(buf));
	if (rc >= 0 && rc < (int)sizeof(buf) && !buf[rc])
		rc = xpv_nf_parse_mac(buf, cfg->mac);
	else if (rc >= 0 || rc == -E2BIG)
		rc = -EINVAL;
	if (rc)
		cfg->bad_key = "mac";
	return rc;
}

static int xpv_nf_queues(const struct xpv_nf_store *st,
			 const struct xpv_nf_limits *lim,
			 struct xpv_nf_config *cfg)
{
	unsigned int n, cpus = lim->online_cpus ? lim->online_cpus : 1;
	int rc;

	/* Absent: one queue, as before multi-queue. Present: at least one. */
	rc = xpv_nf_read_uint(st, XPV_NF_BACKEND, "multi-queue-max-queues",
			      XPV_NF_ABSENT, &n, cfg);
	if (rc)
		return rc;
	cfg->multi_queue = n != XPV_NF_ABSENT;
	if (!cfg->multi_queue)
		n = 1;
	if (!n) {
		cfg->bad_key = "multi-queue-max-queues";
		return -EINVAL;
	}
	if (lim->max_queues && n > lim->max_queues)
		n = lim->max_queues;
	if (n > cpus)
		n = cpus;
	if (n > XPV_NF_MAX_QUEUES)
		n = XPV_NF_MAX_QUEUES;
	cfg->nr_queues = n;
	return 0;
}

static int xpv_nf_features(const struct xpv_nf_store *st,
			   struct xpv_nf_config *cfg)
{
	bool rx_copy, no_csum, gso4, gso6;
	int rc;

	rc = xpv_nf_read_bool(st, "feature-rx-copy", false, &rx_copy, cfg);
	if (!rc && !rx_copy) {
		/* request-rx-copy is the only receive path we have. */
		cfg->bad_key = "feature-rx-copy";
		return -ENODEV;
	}
	rc = rc ?: xpv_nf_read_bool(st, "feature-sg", false, &cfg->tx_sg, cfg);
	rc = rc ?: xpv_nf_read_bool(st, "feature-gso-tcpv4", false, &gso4, cfg);
	rc = rc ?: xpv_nf_read_bool(st, "feature-gso-tcpv6", false, &gso6, cfg);
	rc = rc ?: xpv_nf_read_bool(st, "feature-no-csum-offload", false,
				    &no_csum, cfg);
	rc = rc ?: xpv_nf_read_bool(st, "feature-ipv6-csum-offload", false,
				    &cfg->tx_csum_ipv6, cfg);
	rc = rc ?: xpv_nf_read_bool(st, "feature-split-event-channels", false,
				    &cfg->split_evtchn, cfg);
	rc = rc ?: xpv_nf_read_bool(st, "feature-ctrl-ring", false,
				    &cfg->ctrl_ring, cfg);
	rc = rc ?: xpv_nf_read_bool(st, "feature-multicast-control", false,
				    &cfg->mcast_ctrl, cfg);
	if (rc)
		return rc;
	cfg->tx_csum_ipv4 = !no_csum;
	/* Segmentation offload needs scatter-gather and checksum offload. */
	cfg->tx_gso_tcpv4 = gso4 && cfg->tx_sg && cfg->tx_csum_ipv4;
	cfg->tx_gso_tcpv6 = gso6 && cfg->tx_sg && cfg->tx_csum_ipv6;
	return 0;
}

static int xpv_nf_mtu(const struct xpv_nf_store *st,
		      struct xpv_nf_config *cfg)
{
	unsigned int mtu;
	int rc;

	/*
	 * As Linux's xen-netfront: up to the largest netif packet; frames
	 * beyond it (an MTU above 65521 without GSO) are dropped at xmit.
	 */
	cfg->max_mtu = cfg->tx_sg && cfg->rx_sg ?
		       XEN_NETIF_MAX_TX_SIZE : ETH_DATA_LEN;
	rc = xpv_nf_read_uint(st, XPV_NF_BACKEND, "mtu", 0, &mtu, cfg);
	if (!rc && !mtu)
		rc = xpv_nf_read_uint(st, XPV_NF_FRONTEND, "mtu", ETH_DATA_LEN,
				      &mtu, cfg);
	if (rc)
		return rc;
	if (mtu < ETH_MIN_MTU || mtu > XEN_NETIF_MAX_TX_SIZE) {
		cfg->bad_key = "mtu";
		return -EINVAL;
	}
	if (mtu > cfg->max_mtu) {
		mtu = cfg->max_mtu;
		cfg->mtu_clamped = true;
	}
	cfg->mtu = mtu;
	return 0;
}

/**
 * xpv_nf_negotiate() - what the device will be
 * @st:  reads the backend's keys and ours
 * @lim: the frontend's limits and module parameters
 * @cfg: receives the result (on failure, @cfg->bad_key names the key)
 *
 * Return: 0; -ENODEV if the backend lacks feature-rx-copy; -ENOENT if our
 * "mac" is missing; -EINVAL if a value is garbage or out of range; or the
 * error of @st->read().
 */
int xpv_nf_negotiate(const struct xpv_nf_store *st,
		     const struct xpv_nf_limits *lim,
		     struct xpv_nf_config *cfg)
{
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->rx_sg = lim->sg;
	cfg->rx_gso_tcpv4 = lim->sg && lim->gso;
	cfg->rx_gso_tcpv6 = lim->sg && lim->gso;
	cfg->rx_csum = lim->csum;
	rc = xpv_nf_features(st, cfg);
	rc = rc ?: xpv_nf_queues(st, lim, cfg);
	rc = rc ?: xpv_nf_read_mac(st, cfg);
	rc = rc ?: xpv_nf_mtu(st, cfg);
	return rc;
}

static int xpv_nf_key(struct xpv_nf_kv *out, unsigned int max,
		      unsigned int *n, const char *dir, const char *key,
		      unsigned int value)
{
	struct xpv_nf_kv *kv;

	if (*n >= max)
		return -ENOSPC;
	kv = &out[(*n)++];
	scnprintf(kv->key, sizeof(kv->key), "%s%s", dir, key);
	scnprintf(kv->value, sizeof(kv->value), "%u", value);
	return 0;
}

static int xpv_nf_queue_keys(const struct xpv_nf_config *cfg,
			     const struct xpv_nf_queue_refs *q,
			     unsigned int i, struct xpv_nf_kv *out,
			     unsigned int max, unsigned int *n)
{
	char dir[16] = "";
	int rc;

	/* One queue: the keys at the top, for backends without multi-queue. */
	if (cfg->nr_queues > 1)
		scnprintf(dir, sizeof(dir), "queue-%u/", i);
	rc = xpv_nf_key(out, max, n, dir, "tx-ring-ref", q->tx_ring_ref);
	rc = rc ?: xpv_nf_key(out, max, n, dir, "rx-ring-ref", q->rx_ring_ref);
	if (cfg->split_evtchn) {
		rc = rc ?: xpv_nf_key(out, max, n, dir, "event-channel-tx",
				      q->evtchn_tx);
		rc = rc ?: xpv_nf_key(out, max, n, dir, "event-channel-rx",
				      q->evtchn_rx);
	} else {
		rc = rc ?: xpv_nf_key(out, max, n, dir, "event-channel",
				      q->evtchn_tx);
	}
	return rc;
}

/**
 * xpv_nf_frontend_keys() - the keys to write in our directory, in order
 * @cfg: the negotiated device
 * @q:   each queue's ring grants and event channels (@cfg->nr_queues)
 * @out: receives the keys
 * @max: room in @out (XPV_NF_MAX_KEYS is always enough)
 *
 * Return: the number of keys, or -ENOSPC if @max is too small.
 */
int xpv_nf_frontend_keys(const struct xpv_nf_config *cfg,
			 const struct xpv_nf_queue_refs *q,
			 struct xpv_nf_kv *out, unsigned int max)
{
	unsigned int i, n = 0;
	int rc = 0;

	if (cfg->multi_queue)
		rc = xpv_nf_key(out, max, &n, "", "multi-queue-num-queues",
				cfg->nr_queues);
	for (i = 0; !rc && i < cfg->nr_queues; i++)
		rc = xpv_nf_queue_keys(cfg, &q[i], i, out, max, &n);
	rc = rc ?: xpv_nf_key(out, max, &n, "", "request-rx-copy", 1);
	rc = rc ?: xpv_nf_key(out, max, &n, "", "feature-rx-notify", 1);
	rc = rc ?: xpv_nf_key(out, max, &n, "", "feature-sg", cfg->rx_sg);
	rc = rc ?: xpv_nf_key(out, max, &n, "", "feature-gso-tcpv4",
			      cfg->rx_gso_tcpv4);
	rc = rc ?: xpv_nf_key(out, max, &n, "", "feature-gso-tcpv6",
			      cfg->rx_gso_tcpv6);
	rc = rc ?: xpv_nf_key(out, max, &n, "", "feature-no-csum-offload",
			      !cfg->rx_csum);
	rc = rc ?: xpv_nf_key(out, max, &n, "", "feature-ipv6-csum-offload",
			      cfg->rx_csum);
	return rc ?: (int)n;
}
