// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkfront/shadow.c and the request side of blkfront/request.c against a
 * fake backend built from the ABI's BACK_RING_* macros: every operation is
 * built, checked field by field as blkback reads it, served with the data
 * really moved through the grants, and completed. Direct grants, bounced
 * ones (persistent pool and one-shot pages), indirect requests, malformed
 * requests, full rings and failing grants.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/interface/io/blkif.h>
#include "blkfront_fake.h"
#include "suites.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The request the backend sees in ring slot @i. */
static struct blkif_request *slot(struct bf *b, RING_IDX i)
{
	return RING_GET_REQUEST(&b->back, i);
}

/* Queue @req, publish, serve honestly, answer, collect: one completion. */
static void roundtrip(struct bf *b, const struct xpv_blk_req *req, int err)
{
	uintptr_t c = (uintptr_t)req->cookie;
	unsigned int before = b->done[c];

	ck_assert_int_ge(xpv_blk_queue(&b->r, req), 0);
	xpv_blk_push(&b->r);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 1);
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 100), 1);
	ck_assert_uint_eq(b->done[c], before + 1);
	ck_assert_int_eq(b->err[c], err);
	ck_assert(!b->aborted[c]);
}

START_TEST(ids_free_list)
{
	static u64 mem[8192];
	struct xpv_blk_ids ids;
	unsigned int i;

	ck_assert_uint_eq(xpv_blk_ids_mem(0, 11), 0);
	ck_assert_uint_eq(xpv_blk_ids_mem(0x10000, 11), 0);
	ck_assert_int_eq(xpv_blk_ids_init(&ids, mem, 10, 32, 11), -EINVAL);
	ck_assert_int_eq(xpv_blk_ids_init(&ids, (u8 *)mem + 1,
					  sizeof(mem) - 1, 32, 11), -EINVAL);
	ck_assert_int_eq(xpv_blk_ids_init(&ids, mem, sizeof(mem), 32, 11), 0);
	for (i = 0; i < 32; i++) {
		ck_assert_int_eq(xpv_blk_ids_get(&ids, (void *)(uintptr_t)i),
				 (int)i);
		ck_assert_ptr_eq(ids.ent[i].g, (struct xpv_blk_grant *)
				 (ids.ent + 32) + 11 * i);
	}
	ck_assert_int_eq(xpv_blk_ids_get(&ids, NULL), -ENOSPC);
	ck_assert_int_eq(xpv_blk_ids_check(&ids, 32), -ERANGE);
	ck_assert_int_eq(xpv_blk_ids_check(&ids, ~0ULL), -ERANGE);
	ck_assert_int_eq(xpv_blk_ids_check(&ids, 1ULL << 32), -ERANGE);
	ck_assert_int_eq(xpv_blk_ids_put(&ids, 7), 0);
	ck_assert_int_eq(xpv_blk_ids_put(&ids, 7), -ENOENT);
	ck_assert_int_eq(xpv_blk_ids_check(&ids, 7), -ENOENT);
	ck_assert_int_eq(xpv_blk_ids_put(&ids, 20), 0);
	/* LIFO: the id answered last is used first. */
	ck_assert_int_eq(xpv_blk_ids_get(&ids, NULL), 20);
	ck_assert_int_eq(xpv_blk_ids_get(&ids, NULL), 7);
	ck_assert_uint_eq(ids.nr_free, 0);
}

END_TEST

START_TEST(geometry_matches_abi)
{
	static u8 page[BF_PAGE << 4];
	unsigned int order;

	for (order = 0; order <= XPV_BLK_MAX_RING_ORDER; order++) {
		size_t bytes = (size_t)BF_PAGE << order;

		ck_assert_uint_eq(xpv_blk_ring_entries(bytes),
				  __CONST_RING_SIZE(blkif, bytes));
		ck_assert_uint_eq(xpv_blk_ring_entries(bytes),
				  __RING_SIZE((struct blkif_sring *)page,
					      bytes));
	}
	ck_assert_uint_eq(xpv_blk_ring_entries(BF_PAGE), 32);
	ck_assert_uint_eq(XPV_BLK_MAX_RING_SIZE, 512);
	ck_assert_uint_eq(XPV_BLK_SEGS_PER_INDIRECT, 512);
	ck_assert_uint_eq(XPV_BLK_MAX_INDIRECT_SEGS, 4096);
	ck_assert_uint_eq(xpv_blk_ring_entries(0), 0);
	ck_assert_uint_eq(xpv_blk_ring_entries(3 * BF_PAGE), 0);
	ck_assert_uint_eq(xpv_blk_ring_entries(BF_PAGE + 8), 0);
	ck_assert_uint_eq(xpv_blk_ring_entries(32 * BF_PAGE), 0);
	ck_assert_uint_eq(xpv_blk_grants_per_req(11), 11);
	ck_assert_uint_eq(xpv_blk_grants_per_req(12), 13);
	ck_assert_uint_eq(xpv_blk_grants_per_req(512), 513);
	ck_assert_uint_eq(xpv_blk_grants_per_req(513), 515);
	ck_assert_uint_eq(xpv_blk_grants_per_req(4096), 4104);
	ck_assert_uint_eq(xpv_blk_ring_mem(BF_PAGE, 10), 0);
	ck_assert_uint_eq(xpv_blk_ring_mem(BF_PAGE, 4097), 0);
	ck_assert_uint_eq(xpv_blk_ring_mem(3 * BF_PAGE, 11), 0);
	ck_assert_uint_eq(xpv_blk_ring_mem(BF_PAGE, 11),
			  32 * (sizeof(struct xpv_blk_shadow) +
				11 * sizeof(struct xpv_blk_grant)));
}

END_TEST

START_TEST(init_refuses_bad_params)
{
	static u8 shared[BF_PAGE];
	struct xpv_blk_features f = bf_features(11, false);
	struct xpv_blk_ops ops = bf_ops;
	struct xpv_blk_counters cnt;
	struct xpv_blk_pool rw = { .readonly = false, .size = 64 };
	struct xpv_blk_pool ro = { .readonly = true, .size = 1 };
	struct xpv_blk_ring_params p = {
		.feat = &f, .ops = &ops, .cnt = &cnt,
	};
	size_t mem = xpv_blk_ring_mem(BF_PAGE, 64);
	void *m = malloc(mem);
	struct xpv_blk_ring r;

	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p), 0);
	ck_assert_uint_eq(r.ring.nr_ents, 32);
	ck_assert_uint_eq(r.ids.nr_free, 32);
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, 100, &p),
			 -EINVAL);
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, 3 * BF_PAGE, m, mem, &p),
			 -EINVAL);
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, NULL),
			 -EINVAL);
	f.max_segs = 10;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	/* Indirect pages need the page hooks, bouncing the copy too. */
	f.max_segs = 64;
	ops.buf.alloc = NULL;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	ops = bf_ops;
	ops.copy = NULL;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p), 0);
	f.bounce = true;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	ops = bf_ops;
	ops.complete = NULL;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	ops = bf_ops;
	/* Data pools are read-write, indirect-page pools read-only. */
	p.pool = &ro;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	p.pool = &rw;
	p.ind_pool = &rw;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	p.ind_pool = &ro;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p), 0);
	/* Persistent grants are mapped read-write: no read-only pool. */
	f.persistent = true;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	p.ind_pool = &rw;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p), 0);
	/*
	 * And come from the pools alone: each holds what one request of
	 * max_segs (64: one indirect page) takes.
	 */
	rw.size = 63;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	rw.size = 64;
	p.pool = NULL;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	p.pool = &rw;
	p.ind_pool = NULL;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	p.ind_pool = &rw;
	f.bounce = false;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	f.bounce = true;
	p.cnt = NULL;
	ck_assert_int_eq(xpv_blk_ring_init(&r, shared, BF_PAGE, m, mem, &p),
			 -EINVAL);
	free(m);
}

END_TEST

START_TEST(read_direct)
{
	struct xpv_blk_features f = bf_features(11, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg s[3] = {
		bf_seg(b, 0, 0, 7), bf_seg(b, 1, 2, 5), bf_seg(b, 2, 7, 7),
	};
	struct xpv_blk_req q = bf_req(1, BLKIF_OP_READ, 100, s, 3);
	struct blkif_request *rq;
	unsigned int i;

	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), 0);
	/* Prepared, not published: the backend sees nothing yet. */
	ck_assert(!RING_HAS_UNCONSUMED_REQUESTS(&b->back));
	ck_assert(xpv_blk_push(&b->r));
	ck_assert_uint_eq(b->cnt.kicks, 1);
	rq = slot(b, 0);
	ck_assert_uint_eq(rq->operation, BLKIF_OP_READ);
	ck_assert_uint_eq(rq->u.rw.nr_segments, 3);
	ck_assert_uint_eq(rq->u.rw.handle, 0xca00);
	ck_assert_uint_eq(rq->u.rw.id, 0);
	ck_assert_uint_eq(rq->u.rw.sector_number, 100);
	for (i = 0; i < 3; i++) {
		struct bf_grant *g = &b->e[rq->u.rw.seg[i].gref];

		ck_assert(g->used && !g->readonly && !g->frontend);
		ck_assert_ptr_eq(g->mem, s[i].page);
		ck_assert_uint_eq(rq->u.rw.seg[i].first_sect, s[i].first_sect);
		ck_assert_uint_eq(rq->u.rw.seg[i].last_sect, s[i].last_sect);
	}
	ck_assert_uint_eq(rq->u.rw.seg[3].gref, 0);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 1);
	ck_assert_uint_eq(b->back_bad, 0);
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 1);
	ck_assert_uint_eq(b->done[1], 1);
	ck_assert_int_eq(b->err[1], 0);
	/* The data: sectors 100..107, 108..111 at sector 2, 112 at 7. */
	ck_assert(!memcmp(b->data, b->disk + 100 * 512, 4096));
	ck_assert(!memcmp(b->data + BF_PAGE + 1024, b->disk + 108 * 512, 2048));
	ck_assert(!memcmp(b->data + 2 * BF_PAGE + 3584, b->disk + 112 * 512,
			  512));
	ck_assert_uint_eq(b->in_use, 0);
	ck_assert_uint_eq(b->cnt.requests, 1);
	ck_assert_uint_eq(b->cnt.reads, 1);
	ck_assert_uint_eq(b->cnt.segments, 3);
	ck_assert_uint_eq(b->cnt.completed, 1);
	ck_assert_uint_eq(b->cnt.bounced, 0);
	ck_assert_uint_eq(b->copies, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(write_direct_then_read_back)
{
	struct xpv_blk_features f = bf_features(11, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg w[11], rd[11];
	struct xpv_blk_req q = bf_req(2, BLKIF_OP_WRITE, 1000, w, 11);
	struct blkif_request *rq;
	unsigned int i;

	for (i = 0; i < 11; i++) {
		w[i] = bf_seg(b, i, 0, 7);
		rd[i] = bf_seg(b, 20 + i, 0, 7);
	}
	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	xpv_blk_push(&b->r);
	rq = slot(b, 0);
	ck_assert_uint_eq(rq->operation, BLKIF_OP_WRITE);
	ck_assert_uint_eq(rq->u.rw.nr_segments, 11);
	for (i = 0; i < 11; i++)
		ck_assert(b->e[rq->u.rw.seg[i].gref].readonly);
	bf_back_serve(b, BF_HONEST);
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 1);
	ck_assert(!memcmp(b->disk + 1000 * 512, b->data, 11 * BF_PAGE));
	q = bf_req(3, BLKIF_OP_READ, 1000, rd, 11);
	roundtrip(b, &q, 0);
	ck_assert(!memcmp(b->data + 20 * BF_PAGE, b->data, 11 * BF_PAGE));
	ck_assert_uint_eq(b->cnt.writes, 1);
	ck_assert_uint_eq(b->cnt.reads, 1);
	ck_assert_uint_eq(b->cnt.indirect, 0);
	ck_assert_uint_eq(b->back_bad, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

/* An indirect request of @n segments: its wire form, then the data. */
static void check_indirect(unsigned int max_segs, unsigned int n,
			   unsigned int ipool)
{
	struct xpv_blk_features f = bf_features(max_segs, false);
	struct bf *b = bf_new(&f, 1, 0, ipool);
	struct xpv_blk_seg *s = calloc(n, sizeof(*s));
	struct xpv_blk_req q;
	struct blkif_request *rq;
	unsigned int i, pages = XPV_BLK_INDIRECT_PAGES(n);

	for (i = 0; i < n; i++)
		s[i] = bf_seg(b, i % BF_DATA_PAGES, i % 8, i % 8);
	q = bf_req(4, BLKIF_OP_WRITE, 8, s, n);
	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	xpv_blk_push(&b->r);
	rq = slot(b, 0);
	ck_assert_uint_eq(rq->operation, BLKIF_OP_INDIRECT);
	ck_assert_uint_eq(rq->u.indirect.indirect_op, BLKIF_OP_WRITE);
	ck_assert_uint_eq(rq->u.indirect.nr_segments, n);
	ck_assert_uint_eq(rq->u.indirect.id, 0);
	ck_assert_uint_eq(rq->u.indirect.sector_number, 8);
	ck_assert_uint_eq(rq->u.indirect.handle, 0xca00);
	for (i = 0; i < BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST; i++) {
		grant_ref_t ref = rq->u.indirect.indirect_grefs[i];

		if (i >= pages) {
			ck_assert_uint_eq(ref, 0);
			continue;
		}
		ck_assert(b->e[ref].used && b->e[ref].readonly &&
			  b->e[ref].frontend);
	}
	for (i = 0; i < n; i++) {
		const struct blkif_request_segment *e = (const void *)
			b->e[rq->u.indirect.indirect_grefs[i / 512]].mem;

		ck_assert_uint_eq(e[i % 512].first_sect, i % 8);
		ck_assert_uint_eq(e[i % 512].last_sect, i % 8);
		ck_assert(b->e[e[i % 512].gref].readonly);
		ck_assert_ptr_eq(b->e[e[i % 512].gref].mem, s[i].page);
	}
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 1);
	ck_assert_uint_eq(b->back_bad, 0);
	/* blkback answers with the indirect_op. */
	ck_assert_uint_eq(b->pend[0].operation, BLKIF_OP_WRITE);
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 1);
	ck_assert_int_eq(b->err[4], 0);
	for (i = 0; i < n; i++)
		ck_assert(!memcmp(b->disk + (8 + i) * 512,
				  (u8 *)s[i].page + (i % 8) * 512, 512));
	ck_assert_uint_eq(b->cnt.indirect, 1);
	ck_assert_uint_eq(b->cnt.indirect_pages, pages);
	ck_assert_uint_eq(b->cnt.segments, n);
	/* Pooled indirect pages stay, one-shot ones are gone. */
	ck_assert_uint_eq(b->ipool.nr_made, pages < ipool ? pages : ipool);
	ck_assert_uint_eq(b->bufs_live, b->ipool.nr_made);
	ck_assert_uint_eq(b->cnt.ipool.full, pages > ipool && ipool ?
			  pages - ipool : 0);
	bf_assert_clean(b);
	bf_free(b);
	free(s);
}

START_TEST(indirect_requests)
{
	check_indirect(12, 12, 0);
	check_indirect(64, 40, 4);
	check_indirect(4096, 513, 0);
	check_indirect(4096, 4096, 8);
	check_indirect(4096, 1500, 1);	/* 3 pages, 1 pooled, 2 one-shot */
}

END_TEST

START_TEST(up_to_eleven_stay_direct)
{
	struct xpv_blk_features f = bf_features(256, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg s[11];
	struct xpv_blk_req q = bf_req(5, BLKIF_OP_READ, 0, s, 11);
	unsigned int i;

	for (i = 0; i < 11; i++)
		s[i] = bf_seg(b, i, 0, 7);
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->last.operation, BLKIF_OP_READ);
	ck_assert_uint_eq(b->cnt.indirect, 0);
	ck_assert_uint_eq(b->bufs_live, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(flush_and_barrier)
{
	struct xpv_blk_features f = bf_features(64, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg s[12];
	struct xpv_blk_req q = bf_req(6, BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0);
	unsigned int i;

	for (i = 0; i < 12; i++)
		s[i] = bf_seg(b, i, 0, 7);
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->last.operation, BLKIF_OP_FLUSH_DISKCACHE);
	ck_assert_uint_eq(b->last.u.rw.nr_segments, 0);
	/* A flush with data (a FUA write done as flush): direct only. */
	q = bf_req(7, BLKIF_OP_FLUSH_DISKCACHE, 40, s, 2);
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->last.u.rw.nr_segments, 2);
	ck_assert(!memcmp(b->disk + 40 * 512, b->data, 2 * BF_PAGE));
	q.nr_segs = 12;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -E2BIG);
	/* Barriers only where negotiated. */
	q = bf_req(8, BLKIF_OP_WRITE_BARRIER, 0, NULL, 0);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EOPNOTSUPP);
	b->r.feat.barrier = true;
	b->r.feat.flush_cache = false;
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->last.operation, BLKIF_OP_WRITE_BARRIER);
	q = bf_req(9, BLKIF_OP_FLUSH_DISKCACHE, 0, NULL, 0);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EOPNOTSUPP);
	ck_assert_uint_eq(b->cnt.flushes, 3);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(discard)
{
	struct xpv_blk_features f = bf_features(11, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg s = bf_seg(b, 0, 0, 7);
	struct xpv_blk_req q = bf_req(10, BLKIF_OP_DISCARD, 64, NULL, 0);
	unsigned int i;

	q.nr_sectors = 16;
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->last.operation, BLKIF_OP_DISCARD);
	ck_assert_uint_eq(b->last.u.discard.flag, 0);
	ck_assert_uint_eq(b->last.u.discard.id, 0);
	ck_assert_uint_eq(b->last.u.discard.sector_number, 64);
	ck_assert_uint_eq(b->last.u.discard.nr_sectors, 16);
	for (i = 64 * 512; i < 80 * 512; i++)
		ck_assert_uint_eq(b->disk[i], 0);
	ck_assert_uint_ne(b->disk[80 * 512 + 1], 0);
	q.secure = true;
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->last.u.discard.flag, BLKIF_DISCARD_SECURE);
	b->r.feat.secure_discard = false;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EOPNOTSUPP);
	q.secure = false;
	q.nr_sectors = 0;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EINVAL);
	q.nr_sectors = 2;
	q.sector = ~0ULL;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EINVAL);
	q.sector = 0;
	q.segs = &s;
	q.nr_segs = 1;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EINVAL);
	q.nr_segs = 0;
	b->r.feat.discard = false;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EOPNOTSUPP);
	ck_assert_uint_eq(b->cnt.discards, 2);
	ck_assert_uint_eq(b->cnt.requests, 2);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(malformed_refused)
{
	struct xpv_blk_features f = bf_features(32, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg s[40], bad;
	struct xpv_blk_req q = bf_req(11, BLKIF_OP_READ, 0, s, 1);
	static const u8 ops[] = { BLKIF_OP_INDIRECT, 4, 7, 255 };
	const struct {
		unsigned int first, last, frame;
		bool null;
	} segs[] = {
		{ 3, 2, 0, false }, { 0, 8, 0, false }, { 8, 8, 0, false },
		{ 0, 7, 512, false }, { 0, 7, 4095, false }, { 0, 7, 0, true },
	};
	unsigned int i;

	for (i = 0; i < 40; i++)
		s[i] = bf_seg(b, i % BF_DATA_PAGES, 0, 7);
	for (i = 0; i < NELEMS(ops); i++) {
		q.op = ops[i];
		ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EINVAL);
	}
	q = bf_req(11, BLKIF_OP_WRITE, 0, s, 0);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EINVAL);
	q.nr_segs = 33;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -E2BIG);
	q.nr_segs = 2;
	q.segs = NULL;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EINVAL);
	for (i = 0; i < NELEMS(segs); i++) {
		bad = bf_seg(b, 1, segs[i].first, segs[i].last);
		bad.frame = segs[i].frame;
		if (segs[i].null)
			bad.page = NULL;
		s[5] = bad;
		q = bf_req(11, BLKIF_OP_WRITE, 0, s, 20);
		ck_assert_msg(xpv_blk_queue(&b->r, &q) == -EINVAL, "seg %u", i);
	}
	/* Nothing was taken: no id, no slot, no grant, no count. */
	ck_assert_uint_eq(xpv_blk_in_flight(&b->r), 0);
	ck_assert_uint_eq(b->r.ring.req_prod_pvt, 0);
	ck_assert_uint_eq(b->in_use, 0);
	ck_assert_uint_eq(b->cnt.requests, 0);
	ck_assert_uint_eq(b->cnt.grant_fail, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(ring_full_and_one_kick_per_batch)
{
	struct xpv_blk_features f = bf_features(11, false);
	struct bf *b = bf_new(&f, 1, 0, 0);
	struct xpv_blk_seg s = bf_seg(b, 0, 0, 0);
	struct xpv_blk_req q;
	unsigned int i;
	int more;

	for (i = 0; i < 32; i++) {
		q = bf_req(100 + i, BLKIF_OP_READ, i, &s, 1);
		ck_assert(xpv_blk_has_room(&b->r));
		ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	}
	ck_assert(!xpv_blk_has_room(&b->r));
	q = bf_req(200, BLKIF_OP_READ, 0, &s, 1);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EBUSY);
	ck_assert_uint_eq(b->cnt.ring_full, 1);
	ck_assert_uint_eq(b->in_use, 32);
	/* 32 requests, one push, one notification. */
	ck_assert(xpv_blk_push(&b->r));
	ck_assert(!xpv_blk_push(&b->r));
	ck_assert_uint_eq(b->cnt.kicks, 1);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 32);
	/* The backend sleeps without asking to be woken for a while. */
	b->back.sring->req_event = b->back.req_cons + 5;
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 20), 20);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 20), 12);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 20), 0);
	ck_assert(!xpv_blk_final_check(&b->r));
	for (i = 0; i < 4; i++) {
		q = bf_req(300 + i, BLKIF_OP_READ, i, &s, 1);
		ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
		ck_assert(!xpv_blk_push(&b->r));
	}
	q = bf_req(304, BLKIF_OP_READ, 0, &s, 1);
	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	ck_assert(xpv_blk_push(&b->r));
	ck_assert_uint_eq(b->cnt.kicks, 2);
	for (i = 0; i < 32; i++)
		ck_assert_uint_eq(b->done[100 + i], 1);
	RING_FINAL_CHECK_FOR_REQUESTS(&b->back, more);
	ck_assert(more);
	bf_assert_clean(b);
	for (i = 0; i < 5; i++)
		ck_assert(b->done[300 + i] == 1 && b->aborted[300 + i]);
	bf_free(b);
}

END_TEST

START_TEST(grant_failure_rolls_back)
{
	struct xpv_blk_features f = bf_features(64, false);
	struct bf *b = bf_new(&f, 1, 0, 2);
	struct xpv_blk_seg s[40];
	struct xpv_blk_req q = bf_req(12, BLKIF_OP_WRITE, 0, s, 5);
	unsigned int i;

	for (i = 0; i < 40; i++)
		s[i] = bf_seg(b, i, 0, 7);
	b->fail_after = 3;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -ENOSPC);
	ck_assert_uint_eq(b->in_use, 0);
	ck_assert_uint_eq(xpv_blk_in_flight(&b->r), 0);
	ck_assert_uint_eq(b->r.ring.req_prod_pvt, 0);
	ck_assert_uint_eq(b->cnt.grant_fail, 1);
	/* Indirect: the data granted, the indirect page refused. */
	b->fail_after = 0;
	b->buf_fail = 2;	/* the pool's attempt, then the one-shot one */
	q.nr_segs = 40;
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -ENOMEM);
	ck_assert_uint_eq(b->in_use, 0);
	ck_assert_uint_eq(b->ipool.nr_made, 0);
	ck_assert_uint_eq(b->cnt.ipool.full, 1);
	ck_assert_uint_eq(b->cnt.grant_fail, 2);
	ck_assert_uint_eq(b->r.ring.req_prod_pvt, 0);
	/* And it works once grants are back. */
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->cnt.requests, 1);
	ck_assert_uint_eq(b->done[12], 1);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(bounce_through_persistent_pool)
{
	struct xpv_blk_features f = bf_features(11, true);
	struct bf *b = bf_new(&f, 1, 8, 0);
	struct xpv_blk_seg w[3] = {
		bf_seg(b, 0, 0, 7), bf_seg(b, 1, 1, 3), bf_seg(b, 2, 6, 7),
	};
	struct xpv_blk_seg rd[3] = {
		bf_seg(b, 10, 0, 7), bf_seg(b, 11, 1, 3), bf_seg(b, 12, 6, 7),
	};
	struct xpv_blk_req q = bf_req(13, BLKIF_OP_WRITE, 200, w, 3);
	unsigned int i;

	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	xpv_blk_push(&b->r);
	for (i = 0; i < 3; i++) {
		struct bf_grant *g = &b->e[slot(b, 0)->u.rw.seg[i].gref];

		/* Our own pages, granted read-write once for all uses. */
		ck_assert(g->used && g->frontend && !g->readonly);
		ck_assert_ptr_ne(g->mem, w[i].page);
	}
	ck_assert_uint_eq(b->copies, 3);
	bf_back_serve(b, BF_HONEST);
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 1);
	ck_assert(!memcmp(b->disk + 200 * 512, b->data, 4096));
	ck_assert(!memcmp(b->disk + 208 * 512, b->data + BF_PAGE + 512, 1536));
	ck_assert(!memcmp(b->disk + 211 * 512, b->data + 2 * BF_PAGE + 3072,
			  1024));
	ck_assert_uint_eq(b->cnt.pgrant.misses, 3);
	/* The grants stay for the next request: three hits. */
	ck_assert_uint_eq(b->in_use, 3);
	ck_assert_uint_eq(b->bufs_live, 3);
	q = bf_req(14, BLKIF_OP_READ, 200, rd, 3);
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->cnt.pgrant.hits, 3);
	ck_assert_uint_eq(b->cnt.pgrant.misses, 3);
	ck_assert_uint_eq(b->copies, 6);
	for (i = 0; i < 3; i++)
		ck_assert(!memcmp((u8 *)rd[i].page + rd[i].first_sect * 512,
				  (u8 *)w[i].page + w[i].first_sect * 512,
				  (w[i].last_sect - w[i].first_sect + 1) * 512));
	/* Outside the segments, the reader's pages are untouched. */
	ck_assert_uint_eq(b->data[11 * BF_PAGE], (u8)(11 * BF_PAGE * 7 +
						   11 * BF_PAGE / 251));
	ck_assert_uint_eq(b->cnt.bounced, 6);
	ck_assert_uint_eq(b->back_bad, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(bounce_pool_full_falls_back_to_one_shot)
{
	struct xpv_blk_features f = bf_features(11, true);
	struct bf *b = bf_new(&f, 1, 2, 0);
	struct xpv_blk_seg s[5];
	struct xpv_blk_req q = bf_req(15, BLKIF_OP_WRITE, 0, s, 5);
	unsigned int i, one_shot = 0;

	for (i = 0; i < 5; i++)
		s[i] = bf_seg(b, i, 0, 7);
	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	xpv_blk_push(&b->r);
	for (i = 0; i < 5; i++) {
		struct bf_grant *g = &b->e[slot(b, 0)->u.rw.seg[i].gref];

		ck_assert(g->frontend);
		one_shot += g->readonly;	/* one-shot pages: per direction */
	}
	ck_assert_uint_eq(one_shot, 3);
	ck_assert_uint_eq(b->cnt.pgrant.misses, 2);
	ck_assert_uint_eq(b->cnt.pgrant.full, 3);
	ck_assert_uint_eq(b->bufs_live, 5);
	bf_back_serve(b, BF_HONEST);
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 1);
	ck_assert(!memcmp(b->disk, b->data, 5 * BF_PAGE));
	/* The one-shot pages are gone, the pool's two stay. */
	ck_assert_uint_eq(b->bufs_live, 2);
	ck_assert_uint_eq(b->in_use, 2);
	/* No pool at all: every page one-shot, every one freed. */
	bf_assert_clean(b);
	bf_free(b);
	b = bf_new(&f, 1, 0, 0);
	for (i = 0; i < 5; i++)
		s[i] = bf_seg(b, i, 0, 7);
	q = bf_req(16, BLKIF_OP_READ, 0, s, 5);
	roundtrip(b, &q, 0);
	ck_assert(!memcmp(b->disk, b->data, 5 * BF_PAGE));
	ck_assert_uint_eq(b->bufs_live, 0);
	ck_assert_uint_eq(b->in_use, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(bounce_indirect_and_buffers_exhausted)
{
	struct xpv_blk_features f = bf_features(128, true);
	struct bf *b = bf_new(&f, 1, 64, 1);
	struct xpv_blk_seg s[100];
	struct xpv_blk_req q = bf_req(17, BLKIF_OP_WRITE, 512, s, 100);
	unsigned int i, sec = 512, len;

	for (i = 0; i < 100; i++)
		s[i] = bf_seg(b, i % BF_DATA_PAGES, i % 8, 7);
	roundtrip(b, &q, 0);
	ck_assert_uint_eq(b->cnt.pgrant.misses, 64);
	ck_assert_uint_eq(b->cnt.pgrant.full, 36);
	ck_assert_uint_eq(b->cnt.ipool.misses, 1);
	ck_assert_uint_eq(b->bufs_live, 65);
	/* No pages at all for one-shot use: the request is refused whole. */
	b->buf_fail = 1000;
	q = bf_req(18, BLKIF_OP_READ, 512, s, 100);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -ENOMEM);
	ck_assert_uint_eq(b->bufs_live, 65);
	ck_assert_uint_eq(b->in_use, 65);
	ck_assert_uint_eq(xpv_blk_pool_in_use(&b->pool), 0);
	ck_assert_uint_eq(xpv_blk_pool_in_use(&b->ipool), 0);
	b->buf_fail = 0;
	roundtrip(b, &q, 0);
	for (i = 0; i < 100; i++, sec += len) {
		len = 8 - i % 8;
		ck_assert(!memcmp(b->disk + sec * 512,
				  (u8 *)s[i].page + (i % 8) * 512,
				  len * 512));
	}
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

/*
 * Persistent grants: blkback maps each one read-write, once for all, so
 * indirect pages, pool pages and one-shot pages are all read-write, and
 * reads and writes through them work (the fake maps as blkback does).
 */
START_TEST(persistent_grants_all_read_write)
{
	struct xpv_blk_features f = bf_features(32, true);
	struct bf *b;
	struct xpv_blk_seg s[32];
	struct xpv_blk_req q;
	struct blkif_request *rq;
	unsigned int i, ro = 0;

	f.persistent = true;
	b = bf_new(&f, 1, 32, 1);
	for (i = 0; i < 32; i++)
		s[i] = bf_seg(b, i, 0, 7);
	q = bf_req(19, BLKIF_OP_WRITE, 64, s, 32);
	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	xpv_blk_push(&b->r);
	rq = slot(b, 0);
	ck_assert_uint_eq(rq->operation, BLKIF_OP_INDIRECT);
	ro += b->e[rq->u.indirect.indirect_grefs[0]].readonly;
	for (i = 0; i < 32; i++) {
		const struct blkif_request_segment *e = (const void *)
			b->e[rq->u.indirect.indirect_grefs[0]].mem;

		ro += b->e[e[i].gref].readonly;
	}
	/* All from the pools: none read-only. */
	ck_assert_uint_eq(ro, 0);
	ck_assert_uint_eq(b->cnt.pgrant.misses, 32);
	ck_assert_uint_eq(b->cnt.pgrant.full, 0);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 1);
	ck_assert_uint_eq(b->back_bad, 0);
	bf_back_respond(b, 0);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 1);
	ck_assert_int_eq(b->err[19], 0);
	ck_assert(!memcmp(b->disk + 64 * 512, b->data, 32 * BF_PAGE));
	for (i = 0; i < 32; i++)
		s[i] = bf_seg(b, 32 + i, 0, 7);
	q = bf_req(20, BLKIF_OP_READ, 64, s, 32);
	roundtrip(b, &q, 0);
	ck_assert(!memcmp(b->data + 32 * BF_PAGE, b->data, 32 * BF_PAGE));
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

/*
 * Persistent grants and a pool in use: the request waits (-EBUSY, nothing
 * held, counted as ring_full) rather than taking a one-shot page the
 * backend would keep mapped; the response frees entries, and it goes.
 */
START_TEST(persistent_pool_full_waits)
{
	struct xpv_blk_features f = bf_features(11, true);
	struct xpv_blk_seg s[11];
	struct xpv_blk_req q;
	struct bf *b;
	unsigned int i;

	f.persistent = true;
	b = bf_new(&f, 1, 16, 0);
	for (i = 0; i < 11; i++)
		s[i] = bf_seg(b, i, 0, 7);
	q = bf_req(21, BLKIF_OP_WRITE, 0, s, 11);
	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	q = bf_req(22, BLKIF_OP_READ, 88, s, 8);
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EBUSY);
	ck_assert_uint_eq(xpv_blk_in_flight(&b->r), 1);
	ck_assert_uint_eq(xpv_blk_pool_in_use(&b->pool), 11);
	ck_assert_uint_eq(b->bufs_live, 16);
	ck_assert_uint_eq(b->cnt.ring_full, 1);
	ck_assert_uint_eq(b->cnt.grant_fail, 0);
	ck_assert_uint_eq(b->cnt.pgrant.full, 1);
	/* Five fit, as the request fails whole: nothing of it stays. */
	q.nr_segs = 5;
	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	xpv_blk_push(&b->r);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 2);
	bf_back_respond(b, 0);
	bf_back_respond(b, 1);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), 2);
	q = bf_req(23, BLKIF_OP_READ, 88, s, 8);
	roundtrip(b, &q, 0);
	ck_assert_int_eq(b->err[21], 0);
	ck_assert_int_eq(b->err[22], 0);
	ck_assert_int_eq(b->err[23], 0);
	/* Never more pages than the pool: no one-shot grant was made. */
	ck_assert_uint_eq(b->bufs_live, 16);
	ck_assert_uint_eq(b->back_bad, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(release_all_in_flight)
{
	struct xpv_blk_features f = bf_features(64, false);
	struct bf *b = bf_new(&f, 2, 0, 4);
	struct xpv_blk_seg s[40];
	struct xpv_blk_req q;
	unsigned int i;

	for (i = 0; i < 40; i++)
		s[i] = bf_seg(b, i, 0, 7);
	for (i = 1; i <= 20; i++) {
		q = bf_req(i, i % 2 ? BLKIF_OP_READ : BLKIF_OP_WRITE, i, s,
			   1 + i % 40);
		ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	}
	q = bf_req(21, BLKIF_OP_DISCARD, 0, NULL, 0);
	q.nr_sectors = 8;
	ck_assert_int_ge(xpv_blk_queue(&b->r, &q), 0);
	xpv_blk_push(&b->r);
	ck_assert_uint_eq(xpv_blk_in_flight(&b->r), 21);
	ck_assert_uint_gt(b->in_use, 100);
	b->e[slot(b, 3)->u.rw.seg[0].gref].mapped = true;
	ck_assert_uint_eq(xpv_blk_release_all(&b->r), 21);
	for (i = 1; i <= 21; i++) {
		ck_assert_uint_eq(b->done[i], 1);
		ck_assert(b->aborted[i]);
		ck_assert_int_eq(b->err[i], -EIO);
	}
	ck_assert_uint_eq(b->deferred, 1);
	ck_assert_uint_eq(b->cnt.aborted, 21);
	ck_assert_uint_eq(xpv_blk_in_flight(&b->r), 0);
	/* The ring is done with: nothing more goes out. */
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EIO);
	ck_assert(!xpv_blk_has_room(&b->r));
	ck_assert(!xpv_blk_push(&b->r));
	ck_assert_int_eq(xpv_blk_collect(&b->r, 10), -EIO);
	ck_assert_uint_eq(xpv_blk_release_all(&b->r), 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

START_TEST(multi_page_ring)
{
	struct xpv_blk_features f = bf_features(11, false);
	struct bf *b = bf_new(&f, 16, 0, 0);
	struct xpv_blk_seg s = bf_seg(b, 0, 0, 7);
	struct xpv_blk_req q;
	unsigned int i;

	ck_assert_uint_eq(b->r.ring.nr_ents, 512);
	for (i = 0; i < 512; i++) {
		q = bf_req(1 + i, BLKIF_OP_READ, i, &s, 1);
		ck_assert_int_eq(xpv_blk_queue(&b->r, &q), (int)i);
	}
	ck_assert_int_eq(xpv_blk_queue(&b->r, &q), -EBUSY);
	xpv_blk_push(&b->r);
	ck_assert_uint_eq(bf_back_serve(b, BF_HONEST), 512);
	bf_back_respond(b, 0x1234);
	ck_assert_int_eq(xpv_blk_collect(&b->r, 1000), 512);
	for (i = 0; i < 512; i++)
		ck_assert_uint_eq(b->done[1 + i], 1);
	ck_assert_uint_eq(b->back_bad, 0);
	bf_assert_clean(b);
	bf_free(b);
}

END_TEST

static Suite *blkfront_request_suite(void)
{
	Suite *s = suite_create("blkfront_request");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ids_free_list);
	tcase_add_test(tc, geometry_matches_abi);
	tcase_add_test(tc, init_refuses_bad_params);
	tcase_add_test(tc, read_direct);
	tcase_add_test(tc, write_direct_then_read_back);
	tcase_add_test(tc, indirect_requests);
	tcase_add_test(tc, up_to_eleven_stay_direct);
	tcase_add_test(tc, flush_and_barrier);
	tcase_add_test(tc, discard);
	tcase_add_test(tc, malformed_refused);
	tcase_add_test(tc, ring_full_and_one_kick_per_batch);
	tcase_add_test(tc, grant_failure_rolls_back);
	tcase_add_test(tc, bounce_through_persistent_pool);
	tcase_add_test(tc, bounce_pool_full_falls_back_to_one_shot);
	tcase_add_test(tc, bounce_indirect_and_buffers_exhausted);
	tcase_add_test(tc, persistent_grants_all_read_write);
	tcase_add_test(tc, persistent_pool_full_waits);
	tcase_add_test(tc, release_all_in_flight);
	tcase_add_test(tc, multi_page_ring);
	suite_add_tcase(s, tc);
	return s;
}

XPV_SUITE(blkfront_request_suite)
