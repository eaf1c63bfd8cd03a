// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkfront/negotiate.c: a fake xenstore with what Linux blkback (6.1) and
 * libxl write for a vbd, then absent keys, limits and clamps, hostile
 * values for every key, and the keys the frontend writes back.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xen/interface/io/protocols.h>
#include "../../blkfront/negotiate.h"
#include "fake_store.h"
#include "suites.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static int s_read(void *ctx, enum xpv_blk_side side, const char *key,
		  char *buf, size_t size)
{
	return fake_store_read(ctx, side, key, buf, size);
}

static void set(struct fake_store *s, enum xpv_blk_side side, const char *key,
		const char *value)
{
	fake_store_set(s, side, key, value);
}

#define B XPV_BLK_BACKEND
#define F XPV_BLK_FRONTEND

/* What libxl and Linux blkback 6.1 write for a writable 8 GiB disk. */
static void blkback_keys(struct fake_store *s)
{
	s->n = 0;
	set(s, F, "virtual-device", "51712");
	set(s, F, "device-type", "disk");
	set(s, F, "backend-id", "0");
	set(s, F, "trusted", "1");
	set(s, B, "mode", "w");
	set(s, B, "type", "phy");
	set(s, B, "max-ring-page-order", "4");
	set(s, B, "multi-queue-max-queues", "4");
	set(s, B, "feature-max-indirect-segments", "256");
	set(s, B, "feature-flush-cache", "1");
	set(s, B, "feature-barrier", "1");
	set(s, B, "feature-discard", "1");
	set(s, B, "discard-granularity", "4096");
	set(s, B, "discard-alignment", "0");
	set(s, B, "discard-secure", "0");
	set(s, B, "feature-persistent", "1");
	set(s, B, "sectors", "16777216");
	set(s, B, "info", "0");
	set(s, B, "sector-size", "512");
	set(s, B, "physical-sector-size", "4096");
}

static const struct xpv_blk_limits lim = {
	.online_cpus = 2, .max_queues = 4, .max_ring_order = 4,
	.max_indirect_segs = 32, .persistent = true,
};

static int nego(struct fake_store *s, const struct xpv_blk_limits *l,
		struct xpv_blk_config *c)
{
	struct xpv_blk_store st = { .read = s_read, .ctx = s };

	return xpv_blk_negotiate_rings(&st, l, c) ?:
	       xpv_blk_negotiate_disk(&st, l, c);
}

START_TEST(linux_blkback)
{
	struct fake_store s;
	struct xpv_blk_config c;

	blkback_keys(&s);
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert_ptr_null(c.bad_key);
	ck_assert_uint_eq(c.vdevice, 51712);
	ck_assert_uint_eq(c.feat.handle, 51712);
	ck_assert(c.trusted);
	ck_assert_uint_eq(c.nr_queues, 2);
	ck_assert_uint_eq(c.ring_order, 4);
	ck_assert_uint_eq(c.ring_pages, 16);
	ck_assert_uint_eq(c.sectors, 16777216);
	ck_assert_uint_eq(c.sector_size, 512);
	ck_assert_uint_eq(c.physical_sector_size, 4096);
	ck_assert(!c.readonly && !c.cdrom && !c.removable);
	/* Both flush and barrier: the cache flush wins, no FUA. */
	ck_assert(c.flush && !c.fua);
	ck_assert_uint_eq(c.flush_op, BLKIF_OP_FLUSH_DISKCACHE);
	ck_assert(c.feat.flush_cache && !c.feat.barrier);
	ck_assert(c.feat.discard && !c.feat.secure_discard);
	ck_assert_uint_eq(c.discard_granularity, 4096);
	ck_assert_uint_eq(c.discard_alignment, 0);
	ck_assert_uint_eq(c.feat.max_segs, 32);
	ck_assert(c.persistent_offer && c.feat.persistent && c.feat.bounce);
}

END_TEST

START_TEST(old_backend_defaults)
{
	struct fake_store s = { 0 };
	struct xpv_blk_config c;

	set(&s, F, "virtual-device", "768");
	set(&s, B, "sectors", "0");
	set(&s, B, "info", "5");
	set(&s, B, "sector-size", "4096");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert_uint_eq(c.nr_queues, 1);
	ck_assert_uint_eq(c.ring_order, 0);
	ck_assert_uint_eq(c.ring_pages, 1);
	ck_assert_uint_eq(c.physical_sector_size, 4096);
	ck_assert(c.readonly && c.cdrom && !c.removable);
	ck_assert(!c.flush && !c.fua && !c.feat.flush_cache && !c.feat.barrier);
	ck_assert(!c.feat.discard);
	ck_assert_uint_eq(c.feat.max_segs, BLKIF_MAX_SEGMENTS_PER_REQUEST);
	/* No "trusted" from the toolstack: bounced. */
	ck_assert(!c.trusted && !c.feat.persistent && c.feat.bounce);
	ck_assert_uint_eq(c.sectors, 0);
}

END_TEST

START_TEST(virtual_device_ext_and_trusted)
{
	struct fake_store s;
	struct xpv_blk_config c;
	struct xpv_blk_limits l = lim;

	blkback_keys(&s);
	set(&s, F, "virtual-device", NULL);
	ck_assert_int_eq(nego(&s, &lim, &c), -ENOENT);
	ck_assert_str_eq(c.bad_key, "virtual-device");
	set(&s, F, "virtual-device-ext", "268439552");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert_uint_eq(c.vdevice, 268439552);
	ck_assert_uint_eq(c.feat.handle, 268439552 & 0xffff);
	/* Untrusted backends get our data copies only. */
	l.persistent = false;
	ck_assert_int_eq(nego(&s, &l, &c), 0);
	ck_assert(!c.feat.persistent && !c.feat.bounce);
	/* No word from the toolstack: untrusted. */
	set(&s, F, "trusted", NULL);
	ck_assert_int_eq(nego(&s, &l, &c), 0);
	ck_assert(!c.trusted && c.feat.bounce);
	set(&s, F, "trusted", "0");
	ck_assert_int_eq(nego(&s, &l, &c), 0);
	ck_assert(!c.trusted && c.feat.bounce);
	set(&s, F, "trusted", "1");
	l.bounce = true;
	ck_assert_int_eq(nego(&s, &l, &c), 0);
	ck_assert(c.trusted && c.feat.bounce);
	/* feature-persistent is not even read unless we offered it. */
	l.bounce = false;
	set(&s, B, "feature-persistent", "garbage");
	ck_assert_int_eq(nego(&s, &l, &c), 0);
	ck_assert(!c.feat.persistent && !c.feat.bounce);
	ck_assert_int_eq(nego(&s, &lim, &c), -EINVAL);
	ck_assert_str_eq(c.bad_key, "feature-persistent");
	set(&s, B, "feature-persistent", "0");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(c.persistent_offer && !c.feat.persistent && !c.feat.bounce);
}

END_TEST

START_TEST(limits_clamp)
{
	struct fake_store s;
	struct xpv_blk_config c;
	struct xpv_blk_limits l = lim;
	const struct {
		const char *queues, *order, *segs;
		unsigned int cpus, max_q, max_order, max_segs;
		unsigned int want_q, want_order, want_segs;
	} t[] = {
		{ "64", "100", "100000", 32, 0, 4, 8192, 16, 4, 4096 },
		{ "64", "4", "256", 32, 3, 2, 256, 3, 2, 256 },
		{ "4", "1", "8", 0, 0, 9, 4096, 1, 1, 11 },
		{ "1", "0", "4096", 8, 8, 0, 0, 1, 0, 11 },
		{ "2", "3", "12", 8, 1, 4, 12, 1, 3, 12 },
		{ "16", "2", "11", 16, 16, 4, 64, 16, 2, 11 },
		{ "3", "4", "300", 2, 0, 4, 11, 2, 4, 11 },
	};
	unsigned int i;

	blkback_keys(&s);
	for (i = 0; i < NELEMS(t); i++) {
		set(&s, B, "multi-queue-max-queues", t[i].queues);
		set(&s, B, "max-ring-page-order", t[i].order);
		set(&s, B, "feature-max-indirect-segments", t[i].segs);
		l.online_cpus = t[i].cpus;
		l.max_queues = t[i].max_q;
		l.max_ring_order = t[i].max_order;
		l.max_indirect_segs = t[i].max_segs;
		ck_assert_int_eq(nego(&s, &l, &c), 0);
		ck_assert_msg(c.nr_queues == t[i].want_q, "%u: %u queues", i,
			      c.nr_queues);
		ck_assert_msg(c.ring_order == t[i].want_order, "%u: order %u",
			      i, c.ring_order);
		ck_assert_uint_eq(c.ring_pages, 1U << c.ring_order);
		ck_assert_msg(c.feat.max_segs == t[i].want_segs, "%u: %u segs",
			      i, c.feat.max_segs);
	}
}

END_TEST

START_TEST(flush_variants)
{
	struct fake_store s;
	struct xpv_blk_config c;

	blkback_keys(&s);
	set(&s, B, "feature-flush-cache", "0");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(c.flush && c.fua && c.feat.barrier && !c.feat.flush_cache);
	ck_assert_uint_eq(c.flush_op, BLKIF_OP_WRITE_BARRIER);
	set(&s, B, "feature-barrier", NULL);
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(!c.flush && !c.fua && !c.feat.barrier && !c.feat.flush_cache);
	set(&s, B, "feature-flush-cache", "1");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(c.flush && !c.fua && c.feat.flush_cache && !c.feat.barrier);
	ck_assert_uint_eq(c.flush_op, BLKIF_OP_FLUSH_DISKCACHE);
}

END_TEST

START_TEST(mode_and_info)
{
	struct fake_store s;
	struct xpv_blk_config c;

	blkback_keys(&s);
	set(&s, B, "mode", "r");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(c.readonly);
	/* Ours only if the backend has none. */
	set(&s, B, "mode", NULL);
	set(&s, F, "mode", "r");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(c.readonly);
	set(&s, B, "mode", "w");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(!c.readonly);
	set(&s, F, "mode", NULL);
	set(&s, B, "mode", NULL);
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(!c.readonly);
	/* Read-only media stays read-only whatever the mode. */
	set(&s, B, "mode", "w");
	set(&s, B, "info", "4");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(c.readonly && !c.cdrom);
	/* Unknown bits are kept and ignored. */
	set(&s, B, "info", "4294967289");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert_uint_eq(c.info, 4294967289u);
	ck_assert(!c.readonly && c.cdrom && !c.removable);
	set(&s, B, "info", "2");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(c.removable && !c.cdrom && !c.readonly);
}

END_TEST

START_TEST(discard_details)
{
	struct fake_store s;
	struct xpv_blk_config c;

	blkback_keys(&s);
	set(&s, B, "discard-granularity", NULL);
	set(&s, B, "discard-alignment", NULL);
	set(&s, B, "discard-secure", "1");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert_uint_eq(c.discard_granularity, 4096);	/* physical */
	ck_assert_uint_eq(c.discard_alignment, 0);
	ck_assert(c.feat.discard && c.feat.secure_discard);
	set(&s, B, "discard-granularity", "1048576");
	set(&s, B, "discard-alignment", "3584");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert_uint_eq(c.discard_granularity, 1048576);
	ck_assert_uint_eq(c.discard_alignment, 3584);
	/* Without feature-discard the rest is not even read. */
	set(&s, B, "feature-discard", "0");
	set(&s, B, "discard-granularity", "bogus");
	set(&s, B, "discard-secure", "7");
	ck_assert_int_eq(nego(&s, &lim, &c), 0);
	ck_assert(!c.feat.discard && !c.feat.secure_discard);
	ck_assert_uint_eq(c.discard_granularity, 0);
}

END_TEST

/* Every key with values blkif does not allow: the key is named. */
START_TEST(hostile_values)
{
	static const struct {
		enum xpv_blk_side side;
		const char *key, *value;
		int rc;
	} t[] = {
		{ F, "virtual-device", "xvda", -EINVAL },
		{ F, "virtual-device", "", -EINVAL },
		{ F, "virtual-device", "-1", -EINVAL },
		{ F, "virtual-device", "4294967296", -EINVAL },
		{ F, "trusted", "2", -EINVAL },
		{ F, "trusted", "yes", -EINVAL },
		{ B, "multi-queue-max-queues", "0", -EINVAL },
		{ B, "multi-queue-max-queues", "4x", -EINVAL },
		{ B, "multi-queue-max-queues", " 4", -EINVAL },
		{ B, "max-ring-page-order", "-1", -EINVAL },
		{ B, "max-ring-page-order", "+1", -EINVAL },
		{ B, "max-ring-page-order", "99999999999999999999", -EINVAL },
		{ B, "sectors", "-1", -EINVAL },
		{ B, "sectors", "12a", -EINVAL },
		{ B, "sectors", "", -EINVAL },
		{ B, "sectors", "18446744073709551616", -EINVAL },
		{ B, "sectors", "36028797018963968", -EINVAL },
		{ B, "info", "4294967296", -EINVAL },
		{ B, "info", "0x4", -EINVAL },
		{ B, "sector-size", "256", -EINVAL },
		{ B, "sector-size", "1536", -EINVAL },
		{ B, "sector-size", "8192", -EINVAL },
		{ B, "sector-size", "0", -EINVAL },
		{ B, "sector-size", "512 ", -EINVAL },
		{ B, "physical-sector-size", "256", -EINVAL },
		{ B, "physical-sector-size", "3000", -EINVAL },
		{ B, "physical-sector-size", "2097152", -EINVAL },
		{ B, "physical-sector-size", "0", -EINVAL },
		{ B, "mode", "rw", -EINVAL },
		{ B, "mode", "", -EINVAL },
		{ B, "mode", "W", -EINVAL },
		{ B, "feature-barrier", "2", -EINVAL },
		{ B, "feature-flush-cache", "yes", -EINVAL },
		{ B, "feature-discard", "-1", -EINVAL },
		{ B, "discard-granularity", "1000", -EINVAL },
		{ B, "discard-granularity", "x", -EINVAL },
		{ B, "discard-alignment", "4096", -EINVAL },
		{ B, "discard-alignment", "100", -EINVAL },
		{ B, "discard-secure", "2", -EINVAL },
		{ B, "feature-max-indirect-segments", "abc", -EINVAL },
		{ B, "feature-max-indirect-segments", "4294967296", -EINVAL },
		{ B, "feature-persistent", "2", -EINVAL },
		{ B, "sectors", "123456789012345678901234567890123", -EINVAL },
	};
	struct fake_store s;
	struct xpv_blk_config c;
	unsigned int i;

	for (i = 0; i < NELEMS(t); i++) {
		blkback_keys(&s);
		set(&s, t[i].side, t[i].key, t[i].value);
		ck_assert_msg(nego(&s, &lim, &c) == t[i].rc, "%s = \"%s\"",
			      t[i].key, t[i].value);
		ck_assert_msg(c.bad_key && !strcmp(c.bad_key, t[i].key),
			      "%s = \"%s\": bad_key %s", t[i].key, t[i].value,
			      c.bad_key ? c.bad_key : "(none)");
	}
}

END_TEST

START_TEST(missing_keys_and_read_errors)
{
	static const char *const required[] = {
		"sectors", "info", "sector-size",
	};
	struct fake_store s;
	struct xpv_blk_config c;
	unsigned int i;

	for (i = 0; i < NELEMS(required); i++) {
		blkback_keys(&s);
		set(&s, B, required[i], NULL);
		ck_assert_int_eq(nego(&s, &lim, &c), -ENOENT);
		ck_assert_str_eq(c.bad_key, required[i]);
	}
	/* A failed read is passed on, naming the key. */
	blkback_keys(&s);
	fake_store_set_err(&s, B, "feature-discard", -EACCES);
	ck_assert_int_eq(nego(&s, &lim, &c), -EACCES);
	ck_assert_str_eq(c.bad_key, "feature-discard");
	blkback_keys(&s);
	fake_store_set_err(&s, B, "multi-queue-max-queues", -EIO);
	ck_assert_int_eq(nego(&s, &lim, &c), -EIO);
	ck_assert_str_eq(c.bad_key, "multi-queue-max-queues");
	/* A value longer than any number is garbage. */
	blkback_keys(&s);
	fake_store_set_err(&s, B, "sectors", -E2BIG);
	ck_assert_int_eq(nego(&s, &lim, &c), -EINVAL);
	ck_assert_str_eq(c.bad_key, "sectors");
}

END_TEST

START_TEST(disk_step_keeps_rings_and_resizes)
{
	struct xpv_blk_store st;
	struct fake_store s;
	struct xpv_blk_config c;

	blkback_keys(&s);
	st = (struct xpv_blk_store){ .read = s_read, .ctx = &s };
	ck_assert_int_eq(xpv_blk_negotiate_rings(&st, &lim, &c), 0);
	ck_assert_uint_eq(c.sectors, 0);
	ck_assert_uint_eq(c.nr_queues, 2);
	ck_assert_int_eq(xpv_blk_negotiate_disk(&st, &lim, &c), 0);
	ck_assert_uint_eq(c.nr_queues, 2);
	ck_assert_uint_eq(c.ring_pages, 16);
	ck_assert_uint_eq(c.feat.handle, 51712);
	ck_assert(c.persistent_offer && c.trusted);
	/* Again, after the backend changed its mind: no stale feature. */
	set(&s, B, "feature-discard", NULL);
	set(&s, B, "feature-flush-cache", "0");
	set(&s, B, "feature-barrier", "0");
	ck_assert_int_eq(xpv_blk_negotiate_disk(&st, &lim, &c), 0);
	ck_assert(!c.feat.discard && !c.flush && !c.feat.flush_cache);
	ck_assert_uint_eq(c.nr_queues, 2);
	/* A resize reads the capacity alone. */
	set(&s, B, "sectors", "33554432");
	s.reads = 0;
	ck_assert_int_eq(xpv_blk_read_sectors(&st, &c), 0);
	ck_assert_uint_eq(c.sectors, 33554432);
	ck_assert_uint_eq(s.reads, 1);
	set(&s, B, "sectors", "lots");
	ck_assert_int_eq(xpv_blk_read_sectors(&st, &c), -EINVAL);
	ck_assert_uint_eq(c.sectors, 33554432);
	ck_assert_str_eq(c.bad_key, "sectors");
	set(&s, B, "sectors", "36028797018963967");
	ck_assert_int_eq(xpv_blk_read_sectors(&st, &c), 0);
	ck_assert_uint_eq(c.sectors, 36028797018963967ULL);
}

END_TEST

static const char *kv_get(const struct xpv_blk_kv *kv, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

START_TEST(frontend_keys_one_queue_one_page)
{
	struct xpv_blk_queue_refs q[1] = { { .ring_ref = { 77 }, .evtchn = 9 } };
	struct xpv_blk_config c = { .nr_queues = 1, .ring_pages = 1,
				    .persistent_offer = true };
	struct xpv_blk_kv kv[XPV_BLK_MAX_KEYS];
	int n = xpv_blk_frontend_keys(&c, q, kv, XPV_BLK_MAX_KEYS);

	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(kv[0].key, "ring-ref");
	ck_assert_str_eq(kv[0].value, "77");
	ck_assert_str_eq(kv[1].key, "event-channel");
	ck_assert_str_eq(kv[1].value, "9");
	ck_assert_str_eq(kv[2].key, "protocol");
	ck_assert_str_eq(kv[2].value, XEN_IO_PROTO_ABI_NATIVE);
#if defined(__aarch64__) || defined(__arm__)
	ck_assert_str_eq(kv[2].value, "arm-abi");
#endif
	ck_assert_str_eq(kv[3].key, "feature-persistent");
	ck_assert_str_eq(kv[3].value, "1");
	ck_assert_ptr_null(kv_get(kv, n, "ring-page-order"));
	ck_assert_ptr_null(kv_get(kv, n, "multi-queue-num-queues"));
	c.persistent_offer = false;
	n = xpv_blk_frontend_keys(&c, q, kv, 4);
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(kv_get(kv, n, "feature-persistent"), "0");
	ck_assert_int_eq(xpv_blk_frontend_keys(&c, q, kv, 3), -ENOSPC);
}

END_TEST

START_TEST(frontend_keys_queues_and_pages)
{
	struct xpv_blk_queue_refs q[XPV_BLK_MAX_QUEUES];
	struct xpv_blk_config c = { .nr_queues = 2, .ring_order = 2,
				    .ring_pages = 4 };
	struct xpv_blk_kv kv[XPV_BLK_MAX_KEYS];
	char key[32], val[16];
	unsigned int i, p;
	int n;

	for (i = 0; i < XPV_BLK_MAX_QUEUES; i++) {
		for (p = 0; p < XPV_BLK_MAX_RING_PAGES; p++)
			q[i].ring_ref[p] = 1000 * i + p + 8;
		q[i].evtchn = 40 + i;
	}
	n = xpv_blk_frontend_keys(&c, q, kv, XPV_BLK_MAX_KEYS);
	ck_assert_int_eq(n, 2 + 2 * 5 + 2);
	ck_assert_str_eq(kv[0].key, "ring-page-order");
	ck_assert_str_eq(kv[0].value, "2");
	ck_assert_str_eq(kv[1].key, "multi-queue-num-queues");
	ck_assert_str_eq(kv[1].value, "2");
	ck_assert_str_eq(kv[2].key, "queue-0/ring-ref0");
	ck_assert_str_eq(kv[6].key, "queue-0/event-channel");
	ck_assert_str_eq(kv[7].key, "queue-1/ring-ref0");
	ck_assert_str_eq(kv[7].value, "1008");
	ck_assert_str_eq(kv[10].key, "queue-1/ring-ref3");
	ck_assert_str_eq(kv[10].value, "1011");
	ck_assert_str_eq(kv[11].value, "41");
	ck_assert_ptr_null(kv_get(kv, n, "ring-ref"));
	ck_assert_ptr_null(kv_get(kv, n, "event-channel"));
	/* The most there can be fit XPV_BLK_MAX_KEYS exactly. */
	c = (struct xpv_blk_config){ .nr_queues = XPV_BLK_MAX_QUEUES,
		.ring_order = XPV_BLK_MAX_RING_ORDER,
		.ring_pages = XPV_BLK_MAX_RING_PAGES };
	n = xpv_blk_frontend_keys(&c, q, kv, XPV_BLK_MAX_KEYS);
	ck_assert_int_eq(n, XPV_BLK_MAX_KEYS);
	ck_assert_str_eq(kv_get(kv, n, "queue-15/ring-ref15"), "15023");
	ck_assert_str_eq(kv_get(kv, n, "queue-15/event-channel"), "55");
	for (i = 0; i < XPV_BLK_MAX_QUEUES; i++)
		for (p = 0; p < XPV_BLK_MAX_RING_PAGES; p++) {
			snprintf(key, sizeof(key), "queue-%u/ring-ref%u", i, p);
			snprintf(val, sizeof(val), "%u", 1000 * i + p + 8);
			ck_assert_str_eq(kv_get(kv, n, key), val);
		}
	ck_assert_int_eq(xpv_blk_frontend_keys(&c, q, kv, XPV_BLK_MAX_KEYS - 1),
			 -ENOSPC);
	/* One queue of several pages: ring-refN at the top. */
	c = (struct xpv_blk_config){ .nr_queues = 1, .ring_order = 1,
				     .ring_pages = 2 };
	n = xpv_blk_frontend_keys(&c, q, kv, XPV_BLK_MAX_KEYS);
	ck_assert_int_eq(n, 1 + 3 + 2);
	ck_assert_str_eq(kv[1].key, "ring-ref0");
	ck_assert_str_eq(kv[2].key, "ring-ref1");
	ck_assert_str_eq(kv[3].key, "event-channel");
	/* No negotiation makes these. */
	c.ring_pages = 3;
	ck_assert_int_eq(xpv_blk_frontend_keys(&c, q, kv, 99), -EINVAL);
	c = (struct xpv_blk_config){ .nr_queues = 0, .ring_pages = 1 };
	ck_assert_int_eq(xpv_blk_frontend_keys(&c, q, kv, 99), -EINVAL);
	c.nr_queues = XPV_BLK_MAX_QUEUES + 1;
	ck_assert_int_eq(xpv_blk_frontend_keys(&c, q, kv, 99), -EINVAL);
}

END_TEST

static Suite *blkfront_negotiate_suite(void)
{
	Suite *s = suite_create("blkfront_negotiate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, linux_blkback);
	tcase_add_test(tc, old_backend_defaults);
	tcase_add_test(tc, virtual_device_ext_and_trusted);
	tcase_add_test(tc, limits_clamp);
	tcase_add_test(tc, flush_variants);
	tcase_add_test(tc, mode_and_info);
	tcase_add_test(tc, discard_details);
	tcase_add_test(tc, hostile_values);
	tcase_add_test(tc, missing_keys_and_read_errors);
	tcase_add_test(tc, disk_step_keeps_rings_and_resizes);
	tcase_add_test(tc, frontend_keys_one_queue_one_page);
	tcase_add_test(tc, frontend_keys_queues_and_pages);
	suite_add_tcase(s, tc);
	return s;
}

XPV_SUITE(blkfront_negotiate_suite)
