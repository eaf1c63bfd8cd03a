// SPDX-License-Identifier: GPL-2.0-only
/*
 * The response side of blkfront/request.c against a fake backend: what
 * each status means for each operation, answers out of order, every lie a
 * backend can tell (ids out of range or not in flight, a second answer,
 * the wrong operation, a status blkif does not have, more responses than
 * requests, a grant kept mapped), and seeded fuzzing with random and
 * hostile responses that must never crash, leak or complete a request
 * twice.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/interface/io/blkif.h>
#include "blkfront_fake.h"
#include "suites.h"

/* Queue one request, publish it, have it served: its response pending. */
static void send(struct bf *b, const struct xpv_blk_req *q)
{
	ck_assert_int_ge(xpv_blk_queue(&b->r, q), 0);
	xpv_blk_push(&b->r);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 1);
}

/* Answer the pending responses with @status, collect: the error seen. */
static int answer(struct bf *b, uintptr_t cookie, s16 status)
{
	b->pend[b->nr_pend - 1].status = status;
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 1);
	ck_assert_uint_eq(b->done[cookie], 1);
	return b->err[cookie];
}

START_TEST(statuses_mean_what_linux_says)
{
	struct xpv_blk_features f = bf_features(11, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg s = bf_seg(b, 0, 0, 7);
	struct xpv_blk_req q = bf_req(1, BLKIF_OP_READ, 0, &s, 1);

	send(b, &q);
	ck_assert_int_eq(answer(b, 1, BLKIF_RSP_ERROR), -EIO);
	q.cookie = (void *)2;
	send(b, &q);
	ck_assert_int_eq(answer(b, 2, BLKIF_RSP_EOPNOTSUPP), -EIO);
	q.op = BLKIF_OP_WRITE;
	q.cookie = (void *)3;
	send(b, &q);
	ck_assert_int_eq(answer(b, 3, BLKIF_RSP_OKAY), 0);
	/* A flush with data that fails: an I/O error, flushes stay. */
	q = bf_req(4, BLKIF_OP_FLUSH_DISKCACHE, 0, &s, 1);
	send(b, &q);
	ck_assert_int_eq(answer(b, 4, BLKIF_RSP_ERROR), -EIO);
	ck_assert(b->r.feat.flush_cache);
	/* An empty one that fails: the backend cannot flush. */
	q = bf_req(5, BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0);
	send(b, &q);
	ck_assert_int_eq(answer(b, 5, BLKIF_RSP_ERROR), -EOPNOTSUPP);
	ck_assert(!b->r.feat.flush_cache);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EOPNOTSUPP);
	b->r.feat.barrier = true;
	q = bf_req(6, BLKIF_OP_WRITE_BARRIER, 0, &s, 1);
	send(b, &q);
	ck_assert_int_eq(answer(b, 6, BLKIF_RSP_EOPNOTSUPP), -EOPNOTSUPP);
	ck_assert(!b->r.feat.barrier);
	/* Discards: an error is an error, unsupported turns them off. */
	q = bf_req(7, BLKIF_OP_DISCARD, 0, NULL, 0);
	q.nr_sectors = 8;
	send(b, &q);
	ck_assert_int_eq(answer(b, 7, BLKIF_RSP_ERROR), -EIO);
	ck_assert(b->r.feat.discard);
	q.cookie = (void *)8;
	send(b, &q);
	ck_assert_int_eq(answer(b, 8, BLKIF_RSP_EOPNOTSUPP), -EOPNOTSUPP);
	ck_assert(!b->r.feat.discard && !b->r.feat.secure_discard);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EOPNOTSUPP);
	ck_assert_uint_eq(b->cnt.errors, 4);
	ck_assert_uint_eq(b->cnt.notsupp, 3);
	ck_assert_uint_eq(b->cnt.completed, 8);
	ck_assert_uint_eq(b->cnt.lies, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(failed_read_copies_nothing_out)
{
	struct xpv_blk_features f = bf_features(11, true);
	struct bf *b = bf_new(&f, 1, 4, 0);
	struct xpv_blk_seg s[2] = { bf_seg(b, 3, 0, 7), bf_seg(b, 4, 0, 7) };
	struct xpv_blk_req q = bf_req(1, BLKIF_OP_READ, 0, s, 2);
	u8 before[2 * BF_PAGE];

	memcpy(before, b->data + 3 * BF_PAGE, sizeof(before));
	send(b, &q);
	ck_assert_int_eq(answer(b, 1, BLKIF_RSP_ERROR), -EIO);
	ck_assert_uint_eq(b->copies, 0);
	ck_assert(!memcmp(before, b->data + 3 * BF_PAGE, sizeof(before)));
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(out_of_order)
{
	struct xpv_blk_features f = bf_features(64, _i & 1);
	struct bf *b = bf_new(&f, 2, _i & 1 ? 16 : 0, 2);
	struct xpv_blk_seg s[64];
	struct xpv_blk_req q;
	unsigned int i, pg = 0;

	for (i = 1; i <= 48; i++) {
		unsigned int n = 1 + (i * 7) % 30, k;

		for (k = 0; k < n; k++)
			s[k] = bf_seg(b, (pg++) % BF_DATA_PAGES, k % 8, 7);
		q = bf_req(i, i % 3 ? BLKIF_OP_WRITE : BLKIF_OP_READ, i * 64,
			   s, n);
		ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	}
	xpv_blk_push(&b->r);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 48);
	bf_back_respond(b, 0xabcdef + _i);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 7), 7);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 100), 41);
	for (i = 1; i <= 48; i++)
		ck_assert(b->done[i] == 1 && b->err[i] == 0 && !b->aborted[i]);
	ck_assert_uint_eq(b->back_bad, 0);
	ck_assert_uint_eq(b->cnt.lies, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(final_check_rearms)
{
	struct xpv_blk_features f = bf_features(11, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg s = bf_seg(b, 0, 0, 7);
	struct xpv_blk_req q = bf_req(1, BLKIF_OP_READ, 0, &s, 1);

	send(b, &q);
	ck_assert(!xpv_blk_final_check(&b->r));
	ck_assert_uint_eq(b->back.sring->rsp_event, 1);
	bf_back_respond(b, 0);
	ck_assert(xpv_blk_final_check(&b->r));
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 1);
	ck_assert(!xpv_blk_final_check(&b->r));
	ck_assert_uint_eq(b->back.sring->rsp_event, 2);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

enum lie {
	LIE_ID_RANGE, LIE_ID_HUGE, LIE_ID_UNUSED, LIE_DUPLICATE,
	LIE_OP_WRONG, LIE_OP_INDIRECT, LIE_OP_DISCARD, LIE_STATUS_1,
	LIE_STATUS_M3, LIE_STATUS_MAX, LIE_TOO_MANY, LIE_WRAP, LIE_MAPPED,
	NR_LIES
};

static const struct {
	const char *what;
	unsigned int k;		/* the pending response that lies */
	s64 value;
} lies[NR_LIES] = {
	[LIE_ID_RANGE] = { "response for an id out of range", 1, 32 },
	[LIE_ID_HUGE] = { "response for an id out of range", 0, 1LL << 40 },
	[LIE_ID_UNUSED] = { "response for an id not in flight", 2, 9 },
	[LIE_DUPLICATE] = { "response for an id not in flight", 3, 0 },
	[LIE_OP_WRONG] = { "response with the wrong operation", 0,
			   BLKIF_OP_WRITE },
	[LIE_OP_INDIRECT] = { "response with the wrong operation", 2,
			      BLKIF_OP_INDIRECT },
	[LIE_OP_DISCARD] = { "response with the wrong operation", 3,
			     BLKIF_OP_READ },
	[LIE_STATUS_1] = { "response with an invalid status", 1, 1 },
	[LIE_STATUS_M3] = { "response with an invalid status", 1, -3 },
	[LIE_STATUS_MAX] = { "response with an invalid status", 3, 0x7fff },
	[LIE_TOO_MANY] = { "more responses than requests", 0, 5 },
	[LIE_WRAP] = { "more responses than requests", 0, -1 },
	[LIE_MAPPED] = { "grant still mapped after its response", 0, -1 },
};

/* Four requests in flight: read, write, indirect read, discard. */
static void four_requests(struct bf *b)
{
	static struct xpv_blk_seg s[20];
	struct xpv_blk_req q;
	unsigned int i;

	for (i = 0; i < 20; i++)
		s[i] = bf_seg(b, i, 0, 7);
	q = bf_req(1, BLKIF_OP_READ, 0, s, 2);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), 0);
	q = bf_req(2, BLKIF_OP_WRITE, 16, s + 2, 1);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), 1);
	q = bf_req(3, BLKIF_OP_READ, 24, s, 20);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), 2);
	q = bf_req(4, BLKIF_OP_DISCARD, 400, NULL, 0);
	q.nr_sectors = 8;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), 3);
	xpv_blk_push(&b->r);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 4);
	ck_assert_uint_eq(b->back_bad, 0);
}

START_TEST(lies_detected)
{
	struct xpv_blk_features f = bf_features(64, false);
	struct bf *b = bf_new(&f, 1, 0, 2);
	struct blkif_response *p = b->pend;
	struct xpv_blk_req q;
	unsigned int i, k = lies[_i].k, answered;
	s64 value = lies[_i].value;
	RING_IDX prod;

	four_requests(b);
	switch (_i) {
	case LIE_ID_RANGE:
	case LIE_ID_HUGE:
	case LIE_ID_UNUSED:
		p[k].id = value;
		break;
	case LIE_DUPLICATE:	/* the read answered twice, the discard never */
		p[3] = p[0];
		break;
	case LIE_OP_WRONG:
	case LIE_OP_INDIRECT:
	case LIE_OP_DISCARD:
		p[k].operation = value;
		break;
	case LIE_STATUS_1:
	case LIE_STATUS_M3:
	case LIE_STATUS_MAX:
		p[k].status = value;
		break;
	case LIE_MAPPED:	/* the first read's second page */
		value = RING_GET_REQUEST(&b->back, 0)->u.rw.seg[1].gref;
		b->e[value].mapped = true;
		break;
	}
	bf_back_respond(b, 0);
	prod = b->back.sring->rsp_prod;
	if (_i == LIE_TOO_MANY)
		b->back.sring->rsp_prod = prod + 1;
	if (_i == LIE_WRAP)
		b->back.sring->rsp_prod = prod - 1 + 0x80000000u;
	if (_i == LIE_TOO_MANY || _i == LIE_WRAP)
		value = (s64)b->back.sring->rsp_prod;
	ck_assert_int_eq(xpv_blk_collect(&b->r, 100), -EIO);
	ck_assert(b->r.broken);
	ck_assert_str_eq(b->r.lie.what, lies[_i].what);
	ck_assert_int_eq(b->r.lie.value, value);
	ck_assert_uint_eq(b->cnt.lies, 1);
	/* What came before the lie was completed, nothing after it. */
	answered = _i == LIE_MAPPED ? 1 : k;
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(b->done[1 + i], i < answered ? 1 : 0);
	if (_i == LIE_MAPPED)
		ck_assert_int_eq(b->err[1], -EIO);
	/* Broken for good: no more is consumed, sent or counted. */
	ck_assert_int_eq(xpv_blk_collect(&b->r, 100), -EIO);
	ck_assert(!xpv_blk_final_check(&b->r));
	q = bf_req(5, BLKIF_OP_DISCARD, 0, NULL, 0);
	q.nr_sectors = 1;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EIO);
	ck_assert_uint_eq(b->cnt.lies, 1);
	ck_assert_uint_eq(xpv_blk_release_all(&b->r), 4 - answered);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(b->done[1 + i], 1);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

/* Completions per cookie over every ring of a fuzz run. */
static unsigned int fz_done[BF_COOKIES];
static bool fz_queued[BF_COOKIES];

/* One random request, cookie @c: recorded if queued. */
static void fuzz_queue(struct bf *b, u32 *seed, uintptr_t c)
{
	static struct xpv_blk_seg s[XPV_BLK_MAX_INDIRECT_SEGS];
	unsigned int r = bf_rand(seed), n, i;
	struct xpv_blk_req q;

	n = 1 + bf_rand(seed) % (r & 0x100 ? b->feat.max_segs : 12);
	for (i = 0; i < n; i++) {
		unsigned int first = bf_rand(seed) % 8;

		s[i] = bf_seg(b, bf_rand(seed) % BF_DATA_PAGES, first,
			      first + bf_rand(seed) % (8 - first));
	}
	switch (r % 8) {
	case 0:
		q = bf_req(c, BLKIF_OP_FLUSH_DISKCACHE, 0, s, r & 8 ? 0 : n);
		break;
	case 1:
		q = bf_req(c, BLKIF_OP_DISCARD, bf_rand(seed) % 4096, NULL, 0);
		q.nr_sectors = 1 + bf_rand(seed) % 64;
		q.secure = r & 16;
		break;
	default:
		q = bf_req(c, r & 32 ? BLKIF_OP_WRITE : BLKIF_OP_READ,
			   bf_rand(seed) % (BF_DISK_SECTORS - 8 * n), s, n);
		break;
	}
	fz_queued[c] = xpv_blk_queue(&b->r, &q) >= 0;
}

/* A hostile backend: change, drop, repeat some responses, keep grants. */
static void fuzz_corrupt(struct bf *b, u32 *seed)
{
	unsigned int k, m = 1 + bf_rand(seed) % 3;

	while (m-- && b->nr_pend) {
		struct blkif_response *p = &b->pend[bf_rand(seed) % b->nr_pend];

		switch (bf_rand(seed) % 7) {
		case 0:
			p->id = bf_rand(seed) % (b->r.ids.nr + 4);
			break;
		case 1:
			p->id = (u64)bf_rand(seed) << 32 | bf_rand(seed);
			break;
		case 2:
			p->operation = bf_rand(seed) % 8;
			break;
		case 3:
			p->status = (s16)bf_rand(seed) % 4;
			break;
		case 4:	/* never answered */
			*p = b->pend[--b->nr_pend];
			break;
		case 5:	/* answered twice */
			if (b->nr_pend < BF_PEND)
				b->pend[b->nr_pend++] = *p;
			break;
		default:	/* a grant the backend keeps */
			k = 8 + bf_rand(seed) % (BF_GREFS - 8);
			if (b->e[k].used)
				b->e[k].mapped = true;
			break;
		}
	}
}

/* Raw garbage in a response slot, or a producer index from nowhere. */
static void fuzz_garbage(struct bf *b, u32 *seed)
{
	u32 r = bf_rand(seed) % 48;
	u8 *rsp;
	unsigned int i;

	if (r == 0) {
		b->back.sring->rsp_prod += bf_rand(seed) % 8;
	} else if (r == 1) {
		b->back.sring->rsp_prod = bf_rand(seed);
	} else if (r == 2) {
		rsp = (u8 *)RING_GET_RESPONSE(&b->back,
						   b->back.rsp_prod_pvt);
		for (i = 0; i < sizeof(struct blkif_response); i++)
			rsp[i] = bf_rand(seed);
		b->back.rsp_prod_pvt++;
		b->back.sring->rsp_prod = b->back.rsp_prod_pvt;
	}
}

/* The glue gives up on a ring: everything settles, nothing leaks. */
static void fuzz_settle(struct bf *b, uintptr_t next)
{
	uintptr_t c;

	xpv_blk_release_all(&b->r);
	/* Only pool pages outlive the requests, with their grants. */
	ck_assert_uint_eq(b->bufs_live, b->pool.nr_made + b->ipool.nr_made);
	ck_assert_uint_eq(b->in_use, b->bufs_live);
	for (c = 1; c < next; c++)
		fz_done[c] += b->done[c];
	bf_assert_clean(b);
	bf_free(b);
}

static struct bf *fuzz_ring(const struct xpv_blk_features *f, int i)
{
	return bf_new(f, i & 2 ? 4 : 1, i & 2 ? 40 : 0, i & 2 ? 3 : 0);
}

START_TEST(fuzz_random_responses)
{
	u32 seed = 0x9e3779b9u ^ (0x1000193u * (_i + 1));
	struct xpv_blk_features f = bf_features(_i & 4 ? 300 : 11, _i & 1);
	struct bf *b = fuzz_ring(&f, _i);
	unsigned int round, broke = 0, completed = 0;
	uintptr_t c, next = 1;

	memset(fz_done, 0, sizeof(fz_done));
	memset(fz_queued, 0, sizeof(fz_queued));
	for (round = 0; round < 400 && next < BF_COOKIES - 32; round++) {
		unsigned int batch = 1 + bf_rand(&seed) % 16;
		int rc;

		while (batch-- && xpv_blk_has_room(&b->r))
			fuzz_queue(b, &seed, next++);
		xpv_blk_push(&b->r);
		bf_back_serve(b, BF_HONEST);
		if (bf_rand(&seed) % 8 == 0)
			fuzz_corrupt(b, &seed);
		bf_back_respond(b, bf_rand(&seed));
		fuzz_garbage(b, &seed);
		do {
			rc = xpv_blk_collect(&b->r, 1 + bf_rand(&seed) % 64);
		} while (rc > 0 || (!rc && xpv_blk_final_check(&b->r)));
		if (rc >= 0)
			continue;
		ck_assert(b->r.broken && b->r.lie.what);
		ck_assert_uint_eq(b->cnt.lies, 1);
		completed += b->cnt.completed;
		broke++;
		fuzz_settle(b, next);
		b = fuzz_ring(&f, _i);
	}
	completed += b->cnt.completed;
	fuzz_settle(b, next);
	/* Every request queued ended exactly once, no other did. */
	for (c = 1; c < next; c++)
		ck_assert_msg(fz_done[c] == fz_queued[c],
			      "cookie %lu: queued %d, completed %u times",
			      (unsigned long)c, fz_queued[c], fz_done[c]);
	ck_assert_uint_gt(broke, 3);
	ck_assert_uint_gt(completed, 200);
}

END_TEST

static Suite *blkfront_response_suite(void)
{
	Suite *s = suite_create("blkfront_response");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, statuses_mean_what_linux_says);
	tcase_add_test(tc, failed_read_copies_nothing_out);
	tcase_add_loop_test(tc, out_of_order, 0, 2);
	tcase_add_test(tc, final_check_rearms);
	tcase_add_loop_test(tc, lies_detected, 0, NR_LIES);
	tcase_add_loop_test(tc, fuzz_random_responses, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

XPV_SUITE(blkfront_response_suite)
