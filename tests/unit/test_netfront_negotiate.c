// SPDX-License-Identifier: GPL-2.0-only
/*
 * netfront/negotiate.c: a fake xenstore with Linux netback's keys, then
 * hostile values for each of them, MAC and MTU parsing, and the keys the
 * frontend writes back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_ether.h>
#include "../../netfront/negotiate.h"
#include "netfront_fake.h"
#include "fake_store.h"
#include "suites.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int s_read(void *ctx, enum xpv_nf_side side, const char *key,
		  char *buf, size_t size)
{
	return fake_store_read(ctx, side, key, buf, size);
}

static void set(struct fake_store *s, enum xpv_nf_side side, const char *key,
		const char *value)
{
	fake_store_set(s, side, key, value);
}

/* What Linux netback (6.1) and libxl write for a vif. */
static void netback_keys(struct fake_store *s)
{
	s->n = 0;
	set(s, XPV_NF_BACKEND, "feature-sg", "1");
	set(s, XPV_NF_BACKEND, "feature-gso-tcpv4", "1");
	set(s, XPV_NF_BACKEND, "feature-gso-tcpv6", "1");
	set(s, XPV_NF_BACKEND, "feature-ipv6-csum-offload", "1");
	set(s, XPV_NF_BACKEND, "feature-rx-copy", "1");
	set(s, XPV_NF_BACKEND, "feature-xdp-headroom", "1");
	set(s, XPV_NF_BACKEND, "feature-rx-flip", "0");
	set(s, XPV_NF_BACKEND, "feature-multicast-control", "1");
	set(s, XPV_NF_BACKEND, "feature-dynamic-multicast-control", "1");
	set(s, XPV_NF_BACKEND, "feature-split-event-channels", "1");
	set(s, XPV_NF_BACKEND, "multi-queue-max-queues", "8");
	set(s, XPV_NF_BACKEND, "feature-ctrl-ring", "1");
	set(s, XPV_NF_FRONTEND, "mac", "00:16:3e:12:34:56");
}

static const struct xpv_nf_limits lim2 = {
	.online_cpus = 2, .sg = true, .gso = true, .csum = true,
};

static int nego(struct fake_store *s, const struct xpv_nf_limits *l,
		struct xpv_nf_config *c)
{
	struct xpv_nf_store st = { .read = s_read, .ctx = s };

	return xpv_nf_negotiate(&st, l, c);
}

START_TEST(linux_netback)
{
	static const u8 mac[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0x12, 0x34, 0x56 };
	struct fake_store s;
	struct xpv_nf_config c;

	netback_keys(&s);
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	ck_assert_uint_eq(c.nr_queues, 2);
	ck_assert(c.multi_queue && c.split_evtchn && c.ctrl_ring);
	ck_assert(c.mcast_ctrl);
	ck_assert(c.tx_sg && c.tx_gso_tcpv4 && c.tx_gso_tcpv6);
	ck_assert(c.tx_csum_ipv4 && c.tx_csum_ipv6);
	ck_assert(c.rx_sg && c.rx_gso_tcpv4 && c.rx_gso_tcpv6 && c.rx_csum);
	ck_assert(memcmp(c.mac, mac, ETH_ALEN) == 0);
	ck_assert_uint_eq(c.mtu, ETH_DATA_LEN);
	ck_assert_uint_eq(c.max_mtu, 65535);
	ck_assert(!c.mtu_clamped);
	ck_assert_ptr_null(c.bad_key);
}
END_TEST

START_TEST(minimal_backend)
{
	struct fake_store s = { .n = 0 };
	struct xpv_nf_config c;

	set(&s, XPV_NF_BACKEND, "feature-rx-copy", "1");
	/* GSO offered without SG is unusable; v6 GSO needs v6 checksums. */
	set(&s, XPV_NF_BACKEND, "feature-gso-tcpv4", "1");
	set(&s, XPV_NF_FRONTEND, "mac", "02:00:00:00:00:01");
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	ck_assert_uint_eq(c.nr_queues, 1);
	ck_assert(!c.multi_queue && !c.split_evtchn && !c.ctrl_ring);
	ck_assert(!c.tx_sg && !c.tx_gso_tcpv4 && !c.tx_gso_tcpv6);
	ck_assert(c.tx_csum_ipv4 && !c.tx_csum_ipv6);
	ck_assert_uint_eq(c.max_mtu, ETH_DATA_LEN);
	set(&s, XPV_NF_BACKEND, "feature-sg", "1");
	set(&s, XPV_NF_BACKEND, "feature-gso-tcpv6", "1");
	set(&s, XPV_NF_BACKEND, "feature-no-csum-offload", "1");
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	ck_assert(c.tx_sg && !c.tx_csum_ipv4);
	ck_assert(!c.tx_gso_tcpv4 && !c.tx_gso_tcpv6);
}
END_TEST

START_TEST(rx_copy_mandatory)
{
	struct fake_store s;
	struct xpv_nf_config c;

	netback_keys(&s);
	set(&s, XPV_NF_BACKEND, "feature-rx-copy", NULL);
	ck_assert_int_eq(nego(&s, &lim2, &c), -ENODEV);
	ck_assert_str_eq(c.bad_key, "feature-rx-copy");
	set(&s, XPV_NF_BACKEND, "feature-rx-copy", "0");
	ck_assert_int_eq(nego(&s, &lim2, &c), -ENODEV);
}
END_TEST

/* Every number the backend gives, each garbage in turn. */
static const char *const numeric_keys[] = {
	"feature-rx-copy", "feature-sg", "feature-gso-tcpv4",
	"feature-gso-tcpv6", "feature-no-csum-offload",
	"feature-ipv6-csum-offload", "feature-split-event-channels",
	"feature-ctrl-ring", "feature-multicast-control",
	"multi-queue-max-queues", "mtu",
};

static const char *const garbage[] = {
	"", " 1", "1 ", "-1", "+1", "0x1", "1\n", "1.0", "one", "1e3",
	"4294967295", "4294967296", "99999999999999999999",
	"111111111111111111111111111111111111111111111111",
};

START_TEST(hostile_numbers)
{
	const char *key = numeric_keys[_i];
	struct fake_store s;
	struct xpv_nf_config c;
	unsigned int g;

	for (g = 0; g < NELEMS(garbage); g++) {
		netback_keys(&s);
		set(&s, XPV_NF_BACKEND, key, garbage[g]);
		ck_assert_msg(nego(&s, &lim2, &c) == -EINVAL, "%s = \"%s\"",
			      key, garbage[g]);
		ck_assert_str_eq(c.bad_key, key);
	}
	/* A feature flag is 0 or 1; a failed read is reported as it is. */
	netback_keys(&s);
	set(&s, XPV_NF_BACKEND, key, "2");
	if (strncmp(key, "feature-", 8) == 0) {
		ck_assert_int_eq(nego(&s, &lim2, &c), -EINVAL);
		ck_assert_str_eq(c.bad_key, key);
	}
	for (g = 0; strcmp(s.kv[g].key, key); g++)
		;
	s.kv[g].err = -EIO;
	ck_assert_int_eq(nego(&s, &lim2, &c), -EIO);
	ck_assert_str_eq(c.bad_key, key);
}
END_TEST

START_TEST(queue_count)
{
	static const struct { const char *max; unsigned int cpus, param, want;
			      int rc; } t[] = {
		{ NULL, 8, 0, 1, 0 },
		{ "1", 8, 0, 1, 0 },
		{ "8", 4, 0, 4, 0 },
		{ "8", 4, 2, 2, 0 },
		{ "3", 8, 0, 3, 0 },
		{ "4294967294", 64, 0, XPV_NF_MAX_QUEUES, 0 },
		{ "8", 0, 0, 1, 0 },
		{ "0", 4, 0, 0, -EINVAL },
	};
	struct fake_store s;
	struct xpv_nf_config c;
	unsigned int i;

	for (i = 0; i < NELEMS(t); i++) {
		struct xpv_nf_limits l = lim2;

		netback_keys(&s);
		set(&s, XPV_NF_BACKEND, "multi-queue-max-queues", t[i].max);
		l.online_cpus = t[i].cpus;
		l.max_queues = t[i].param;
		ck_assert_int_eq(nego(&s, &l, &c), t[i].rc);
		if (!t[i].rc) {
			ck_assert_uint_eq(c.nr_queues, t[i].want);
			ck_assert_int_eq(c.multi_queue, t[i].max != NULL);
		}
	}
}
END_TEST

START_TEST(mac_parsing)
{
	static const char *const bad[] = {
		"", "00:16:3e:aa:bb", "00:16:3e:aa:bb:cc:dd", "00-16-3e-aa-bb-cc",
		"0:16:3e:aa:bb:cc", "00:16:3e:aa:bb:c", "00:16:3e:aa:bb:cg",
		"00:16:3e:aa:bb:cc ", " 00:16:3e:aa:bb:cc", "00:16:3e:aa:bb:cc:",
		"001:6:3e:aa:bb:cc", "00:16:3e:aa:bb:+c", "0x:16:3e:aa:bb:cc",
		"01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00",
		"33:33:00:00:00:01",
	};
	u8 mac[ETH_ALEN] = { 0 }, want[ETH_ALEN] = { 0x02, 0x16, 0x3e,
						      0xaa, 0xbb, 0x0f };
	struct fake_store s;
	struct xpv_nf_config c;
	unsigned int i;

	ck_assert_int_eq(xpv_nf_parse_mac("02:16:3e:AA:bb:0F", mac), 0);
	ck_assert(memcmp(mac, want, ETH_ALEN) == 0);
	for (i = 0; i < NELEMS(bad); i++) {
		memset(mac, 0x77, ETH_ALEN);
		ck_assert_msg(xpv_nf_parse_mac(bad[i], mac) == -EINVAL, "%s",
			      bad[i]);
		ck_assert_uint_eq(mac[0], 0x77);	/* untouched */
		netback_keys(&s);
		set(&s, XPV_NF_FRONTEND, "mac", bad[i]);
		ck_assert_int_eq(nego(&s, &lim2, &c), -EINVAL);
		ck_assert_str_eq(c.bad_key, "mac");
	}
	netback_keys(&s);
	set(&s, XPV_NF_FRONTEND, "mac", NULL);
	ck_assert_int_eq(nego(&s, &lim2, &c), -ENOENT);
	ck_assert_str_eq(c.bad_key, "mac");
	/* The backend's mac is not ours. */
	set(&s, XPV_NF_BACKEND, "mac", "00:16:3e:00:00:01");
	ck_assert_int_eq(nego(&s, &lim2, &c), -ENOENT);
	set(&s, XPV_NF_FRONTEND, "mac", "00:16:3e:00:00:01:02:03:04:05:06:07:08");
	ck_assert_int_eq(nego(&s, &lim2, &c), -EINVAL);
}
END_TEST

START_TEST(mtu)
{
	struct fake_store s;
	struct xpv_nf_config c;
	struct xpv_nf_limits nosg = lim2;

	netback_keys(&s);
	set(&s, XPV_NF_BACKEND, "mtu", "9000");
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	ck_assert_uint_eq(c.mtu, 9000);
	/* Ours is used when the backend has none. */
	set(&s, XPV_NF_BACKEND, "mtu", NULL);
	set(&s, XPV_NF_FRONTEND, "mtu", "4000");
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	ck_assert_uint_eq(c.mtu, 4000);
	/* Without SG on either side, 1500 at most. */
	nosg.sg = false;
	ck_assert_int_eq(nego(&s, &nosg, &c), 0);
	ck_assert_uint_eq(c.mtu, ETH_DATA_LEN);
	ck_assert(c.mtu_clamped);
	ck_assert(!c.rx_gso_tcpv4 && !c.rx_gso_tcpv6);
	set(&s, XPV_NF_BACKEND, "feature-sg", "0");
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	ck_assert_uint_eq(c.max_mtu, ETH_DATA_LEN);
	ck_assert(c.mtu_clamped);
	/* Limits of the range. */
	set(&s, XPV_NF_BACKEND, "feature-sg", "1");
	set(&s, XPV_NF_FRONTEND, "mtu", "68");
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	set(&s, XPV_NF_FRONTEND, "mtu", "65535");
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	ck_assert_uint_eq(c.mtu, 65535);
	set(&s, XPV_NF_FRONTEND, "mtu", "67");
	ck_assert_int_eq(nego(&s, &lim2, &c), -EINVAL);
	ck_assert_str_eq(c.bad_key, "mtu");
	set(&s, XPV_NF_FRONTEND, "mtu", "65536");
	ck_assert_int_eq(nego(&s, &lim2, &c), -EINVAL);
	set(&s, XPV_NF_FRONTEND, "mtu", "0");
	ck_assert_int_eq(nego(&s, &lim2, &c), -EINVAL);
}
END_TEST

static void check_kv(const struct xpv_nf_kv *kv, const char *key,
		     const char *value)
{
	ck_assert_str_eq(kv->key, key);
	ck_assert_str_eq(kv->value, value);
}

START_TEST(frontend_keys_one_queue)
{
	struct fake_store s = { .n = 0 };
	struct xpv_nf_config c;
	struct xpv_nf_queue_refs q = { .tx_ring_ref = 8, .rx_ring_ref = 9,
				       .evtchn_tx = 40, .evtchn_rx = 41 };
	struct xpv_nf_kv kv[XPV_NF_MAX_KEYS];
	struct xpv_nf_limits l = lim2;

	set(&s, XPV_NF_BACKEND, "feature-rx-copy", "1");
	set(&s, XPV_NF_FRONTEND, "mac", "00:16:3e:00:00:01");
	l.csum = false;
	ck_assert_int_eq(nego(&s, &l, &c), 0);
	ck_assert_int_eq(xpv_nf_frontend_keys(&c, &q, kv, XPV_NF_MAX_KEYS),
			 10);
	check_kv(&kv[0], "tx-ring-ref", "8");
	check_kv(&kv[1], "rx-ring-ref", "9");
	check_kv(&kv[2], "event-channel", "40");
	check_kv(&kv[3], "request-rx-copy", "1");
	check_kv(&kv[4], "feature-rx-notify", "1");
	check_kv(&kv[5], "feature-sg", "1");
	check_kv(&kv[6], "feature-gso-tcpv4", "1");
	check_kv(&kv[7], "feature-gso-tcpv6", "1");
	check_kv(&kv[8], "feature-no-csum-offload", "1");
	check_kv(&kv[9], "feature-ipv6-csum-offload", "0");
	ck_assert_int_eq(xpv_nf_frontend_keys(&c, &q, kv, 9), -ENOSPC);
}
END_TEST

START_TEST(frontend_keys_queues_split)
{
	struct fake_store s;
	struct xpv_nf_config c;
	struct xpv_nf_queue_refs q[XPV_NF_MAX_QUEUES];
	struct xpv_nf_kv kv[XPV_NF_MAX_KEYS];
	struct xpv_nf_limits l = lim2;
	unsigned int i;

	for (i = 0; i < XPV_NF_MAX_QUEUES; i++)
		q[i] = (struct xpv_nf_queue_refs){ 100 + i, 200 + i,
						   4294967000u + i, 10 + i };
	netback_keys(&s);
	ck_assert_int_eq(nego(&s, &lim2, &c), 0);
	ck_assert_int_eq(xpv_nf_frontend_keys(&c, q, kv, XPV_NF_MAX_KEYS),
			 1 + 2 * 4 + 7);
	check_kv(&kv[0], "multi-queue-num-queues", "2");
	check_kv(&kv[1], "queue-0/tx-ring-ref", "100");
	check_kv(&kv[2], "queue-0/rx-ring-ref", "200");
	check_kv(&kv[3], "queue-0/event-channel-tx", "4294967000");
	check_kv(&kv[4], "queue-0/event-channel-rx", "10");
	check_kv(&kv[8], "queue-1/event-channel-rx", "11");
	check_kv(&kv[9], "request-rx-copy", "1");
	check_kv(&kv[15], "feature-ipv6-csum-offload", "1");
	/* The most keys there can be fit, names and values unclipped. */
	l.online_cpus = 64;
	set(&s, XPV_NF_BACKEND, "multi-queue-max-queues", "64");
	ck_assert_int_eq(nego(&s, &l, &c), 0);
	ck_assert_int_eq(xpv_nf_frontend_keys(&c, q, kv, XPV_NF_MAX_KEYS),
			 XPV_NF_MAX_KEYS);
	check_kv(&kv[4 * XPV_NF_MAX_QUEUES], "queue-15/event-channel-rx", "25");
	check_kv(&kv[4 * XPV_NF_MAX_QUEUES - 1],
		 "queue-15/event-channel-tx", "4294967015");
	/* One queue but multi-queue offered: the count, then flat keys. */
	set(&s, XPV_NF_BACKEND, "multi-queue-max-queues", "1");
	set(&s, XPV_NF_BACKEND, "feature-split-event-channels", "0");
	ck_assert_int_eq(nego(&s, &l, &c), 0);
	ck_assert_int_eq(xpv_nf_frontend_keys(&c, q, kv, XPV_NF_MAX_KEYS), 11);
	check_kv(&kv[0], "multi-queue-num-queues", "1");
	check_kv(&kv[1], "tx-ring-ref", "100");
	check_kv(&kv[3], "event-channel", "4294967000");
}
END_TEST

/* Random bytes for random keys: never a crash, a sound result or an error. */
START_TEST(fuzz_values)
{
	static char vals[NELEMS(numeric_keys) + 1][40];
	uint32_t seed = 0x9e9 + _i;
	unsigned int round, ok = 0;

	for (round = 0; round < 3000; round++) {
		struct fake_store s;
		struct xpv_nf_config c;
		unsigned int k, j;
		int rc;

		netback_keys(&s);
		for (k = 0; k <= NELEMS(numeric_keys); k++) {
			unsigned int len = fake_rand(&seed) % 20;

			if (fake_rand(&seed) % 3)
				continue;
			for (j = 0; j < len; j++) {
				uint32_t r = fake_rand(&seed);

				vals[k][j] = r % 2 ? "0123456789:af"[r % 13] :
						     (char)(1 + r % 255);
			}
			vals[k][len] = 0;
			if (k < NELEMS(numeric_keys))
				set(&s, XPV_NF_BACKEND, numeric_keys[k],
				    vals[k]);
			else
				set(&s, XPV_NF_FRONTEND, "mac", vals[k]);
		}
		rc = nego(&s, &lim2, &c);
		if (rc) {
			ck_assert_ptr_nonnull(c.bad_key);
			continue;
		}
		ok++;
		ck_assert_uint_ge(c.nr_queues, 1);
		ck_assert_uint_le(c.nr_queues, 2);
		ck_assert(!(c.mac[0] & 1));
		ck_assert_uint_ge(c.mtu, ETH_MIN_MTU);
		ck_assert_uint_le(c.mtu, c.max_mtu);
	}
	ck_assert_uint_gt(ok, 10);
}
END_TEST

static Suite *netfront_negotiate_suite(void)
{
	Suite *s = suite_create("netfront_negotiate");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, linux_netback);
	tcase_add_test(tc, minimal_backend);
	tcase_add_test(tc, rx_copy_mandatory);
	tcase_add_loop_test(tc, hostile_numbers, 0, NELEMS(numeric_keys));
	tcase_add_test(tc, queue_count);
	tcase_add_test(tc, mac_parsing);
	tcase_add_test(tc, mtu);
	tcase_add_test(tc, frontend_keys_one_queue);
	tcase_add_test(tc, frontend_keys_queues_split);
	tcase_add_loop_test(tc, fuzz_values, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}
XPV_SUITE(netfront_negotiate_suite)
