/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test doubles shared by the test_blkfront_*.c suites: a blkfront ring under
 * test with its fake grant table (references map to the bytes of a Xen page,
 * and can be "still mapped" by the fake backend), frontend pages counted as
 * they are allocated and freed, completions recorded per cookie, a disk
 * image, and a backend built from the ABI's BACK_RING_* macros that parses
 * requests as Linux blkback does and really moves the data through the
 * grants.
 */
#ifndef XPV_TEST_BLKFRONT_FAKE_H
#define XPV_TEST_BLKFRONT_FAKE_H
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/barrier.h>
#include <xen/interface/io/blkif.h>
#include "../../blkfront/request.h"

#define BF_PAGE 4096
#define BF_GREFS 16384
#define BF_COOKIES 4096
#define BF_DATA_PAGES 64
#define BF_DISK_SECTORS 8192
#define BF_PEND 1024
/* A check for hot paths: Check's own asserts log every pass, slowly. */
#define BF_CHECK(cond) do {						\
		if (!(cond))						\
			ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

/* bf_back_serve(): answer with the status the request deserves. */
#define BF_HONEST 100

struct bf_grant {
	bool used;
	bool mapped;		/* the backend still maps it */
	bool readonly;
	bool frontend;		/* a frontend page (ops->buf), not the caller's */
	u8 *mem;		/* the granted Xen page */
};

struct bf {
	/* The fake grant table. */
	struct bf_grant e[BF_GREFS];
	unsigned int in_use;
	unsigned int cursor;		/* where the next free ref is looked for */
	unsigned int fail_after;	/* grants fail once this many are in use */
	unsigned int buf_fail;		/* the next N ops->buf.alloc() fail */
	unsigned int bad_ends;		/* releases of refs not in use, or wrong */
	unsigned int deferred;		/* direct grants ended while mapped */
	unsigned int bufs_live;		/* frontend pages not yet freed */
	unsigned int copies;
	/* The ring under test. */
	struct xpv_blk_features feat;
	struct xpv_blk_counters cnt;
	struct xpv_blk_pool pool;
	struct xpv_blk_pool ipool;
	struct xpv_blk_pgrant *pent;
	struct xpv_blk_pgrant *ient;
	bool has_pool;
	bool has_ipool;
	void *shared;
	size_t bytes;
	void *mem;
	struct xpv_blk_ring r;
	/* Caller memory and the disk. */
	u8 *data;			/* BF_DATA_PAGES caller pages */
	u8 *disk;			/* BF_DISK_SECTORS sectors */
	/* Completions, by cookie. */
	unsigned int done[BF_COOKIES];
	int err[BF_COOKIES];
	bool aborted[BF_COOKIES];
	unsigned int bad_completes;
	/* The backend. */
	struct blkif_back_ring back;
	struct blkif_response pend[BF_PEND];
	unsigned int nr_pend;
	unsigned int back_bad;		/* requests it found malformed */
	struct blkif_request last;	/* the last request it took */
};

/* xorshift32: same sequence everywhere, for reproducible fuzzing. */
static inline u32 bf_rand(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static inline int bf_grant_mem(struct bf *b, u8 *mem, bool readonly,
			       bool frontend, grant_ref_t *ref)
{
	unsigned int i, n;

	if (b->fail_after && b->in_use >= b->fail_after)
		return -ENOSPC;
	/* Reserved refs 0..7 are never handed out, as in Xen. */
	for (n = 8; n < BF_GREFS; n++) {
		i = b->cursor++ % (BF_GREFS - 8) + 8;
		if (b->e[i].used)
			continue;
		b->e[i] = (struct bf_grant){ .used = true,
			.readonly = readonly, .frontend = frontend,
			.mem = mem };
		b->in_use++;
		*ref = i;
		return 0;
	}
	return -ENOSPC;
}

static inline int bf_grant(void *ctx, void *page, unsigned int frame,
			   bool readonly, grant_ref_t *ref)
{
	struct bf *b = ctx;

	BF_CHECK(frame % BF_PAGE == 0);
	return bf_grant_mem(b, (u8 *)page + frame, readonly, false, ref);
}

static inline int bf_end_access(void *ctx, grant_ref_t ref)
{
	struct bf *b = ctx;

	if (ref >= BF_GREFS || !b->e[ref].used || b->e[ref].frontend) {
		b->bad_ends++;
		return -EINVAL;
	}
	b->e[ref].used = false;
	b->in_use--;
	if (b->e[ref].mapped) {
		b->e[ref].mapped = false;
		b->deferred++;
		return -EBUSY;
	}
	return 0;
}

static inline int bf_buf_alloc(void *ctx, bool readonly, void **va,
			       grant_ref_t *ref)
{
	struct bf *b = ctx;
	u8 *p;
	int rc;

	if (b->buf_fail) {
		b->buf_fail--;
		return -ENOMEM;
	}
	p = aligned_alloc(BF_PAGE, BF_PAGE);
	BF_CHECK(p);
	memset(p, 0, BF_PAGE);
	rc = bf_grant_mem(b, p, readonly, true, ref);
	if (rc) {
		free(p);
		return rc;
	}
	b->bufs_live++;
	*va = p;
	return 0;
}

static inline void bf_buf_free(void *ctx, void *va, grant_ref_t ref)
{
	struct bf *b = ctx;

	if (ref >= BF_GREFS || !b->e[ref].used || !b->e[ref].frontend ||
	    b->e[ref].mem != va) {
		b->bad_ends++;
		return;
	}
	b->e[ref] = (struct bf_grant){ 0 };
	b->in_use--;
	b->bufs_live--;
	free(va);
}

static inline void bf_copy(void *ctx, void *va, void *page,
			   unsigned int frame, unsigned int offset,
			   unsigned int len, bool to_va)
{
	struct bf *b = ctx;
	u8 *mine = (u8 *)page + frame + offset;

	BF_CHECK(frame % BF_PAGE == 0);
	BF_CHECK(offset + len <= BF_PAGE);
	if (to_va)
		memcpy((u8 *)va + offset, mine, len);
	else
		memcpy(mine, (u8 *)va + offset, len);
	b->copies++;
}

static inline void bf_complete(void *ctx, const struct xpv_blk_done *d)
{
	struct bf *b = ctx;
	uintptr_t c = (uintptr_t)d->cookie;

	if (!c || c >= BF_COOKIES) {
		b->bad_completes++;
		return;
	}
	b->done[c]++;
	b->err[c] = d->err;
	b->aborted[c] = d->aborted;
}

static const struct xpv_blk_ops bf_ops = {
	.buf = { .alloc = bf_buf_alloc, .free = bf_buf_free },
	.grant = bf_grant,
	.end_access = bf_end_access,
	.copy = bf_copy,
	.complete = bf_complete,
};

/* Features of a plain backend: direct grants, 11 segments, everything on. */
static inline struct xpv_blk_features bf_features(unsigned int max_segs,
						  bool bounce)
{
	return (struct xpv_blk_features){
		.handle = 0xca00, .max_segs = max_segs, .flush_cache = true,
		.discard = true, .secure_discard = true, .bounce = bounce,
	};
}

/* Known contents for the caller's pages and the disk, made once. */
static inline void bf_patterns(struct bf *b)
{
	static u8 *data, *disk;
	unsigned int i;

	if (!data) {
		data = malloc(BF_DATA_PAGES * BF_PAGE);
		disk = malloc(BF_DISK_SECTORS * 512);
		ck_assert(data && disk);
		for (i = 0; i < BF_DATA_PAGES * BF_PAGE; i++)
			data[i] = (u8)(i * 7 + i / 251);
		for (i = 0; i < BF_DISK_SECTORS * 512; i++)
			disk[i] = (u8)(i * 13 + i / 509);
	}
	memcpy(b->data, data, BF_DATA_PAGES * BF_PAGE);
	memcpy(b->disk, disk, BF_DISK_SECTORS * 512);
}

/* A ring of @pages pages; pools of @pool / @ipool entries (0: none). */
static inline struct bf *bf_new(const struct xpv_blk_features *feat,
				unsigned int pages, unsigned int pool,
				unsigned int ipool)
{
	struct bf *b = calloc(1, sizeof(*b));
	struct xpv_blk_ring_params p;
	size_t mem;

	ck_assert_ptr_nonnull(b);
	b->feat = *feat;
	b->bytes = (size_t)pages * BF_PAGE;
	b->shared = aligned_alloc(BF_PAGE, b->bytes);
	mem = xpv_blk_ring_mem(b->bytes, feat->max_segs);
	ck_assert_uint_gt(mem, 0);
	b->mem = malloc(mem);
	b->pent = calloc(pool ? pool : 1, sizeof(*b->pent));
	b->ient = calloc(ipool ? ipool : 1, sizeof(*b->ient));
	b->data = aligned_alloc(BF_PAGE, BF_DATA_PAGES * BF_PAGE);
	b->disk = malloc(BF_DISK_SECTORS * 512);
	ck_assert(b->shared && b->mem && b->pent && b->ient && b->data &&
		  b->disk);
	bf_patterns(b);
	memset(b->shared, 0x5a, b->bytes);
	b->has_pool = pool;
	b->has_ipool = ipool;
	ck_assert_int_eq(xpv_blk_pool_init(&b->pool, b->pent, pool, false,
					   &bf_ops.buf, b, &b->cnt.pgrant), 0);
	ck_assert_int_eq(xpv_blk_pool_init(&b->ipool, b->ient, ipool,
					   !feat->persistent,
					   &bf_ops.buf, b, &b->cnt.ipool), 0);
	p = (struct xpv_blk_ring_params){
		.feat = &b->feat, .ops = &bf_ops, .ctx = b, .cnt = &b->cnt,
		.pool = pool ? &b->pool : NULL,
		.ind_pool = ipool ? &b->ipool : NULL,
	};
	ck_assert_int_eq(xpv_blk_ring_init(&b->r, b->shared, b->bytes, b->mem,
					   mem, &p), 0);
	BACK_RING_ATTACH(&b->back, (struct blkif_sring *)b->shared, 0,
			 b->bytes);
	return b;
}

/* Release everything, destroy the pools: nothing may be left behind. */
static inline void bf_assert_clean(struct bf *b)
{
	xpv_blk_release_all(&b->r);
	ck_assert_uint_eq(xpv_blk_pool_destroy(&b->pool), 0);
	ck_assert_uint_eq(xpv_blk_pool_destroy(&b->ipool), 0);
	ck_assert_uint_eq(xpv_blk_in_flight(&b->r), 0);
	ck_assert_uint_eq(b->in_use, 0);
	ck_assert_uint_eq(b->bufs_live, 0);
	ck_assert_uint_eq(b->bad_ends, 0);
	ck_assert_uint_eq(b->bad_completes, 0);
}

static inline void bf_free(struct bf *b)
{
	xpv_blk_pool_destroy(&b->pool);
	xpv_blk_pool_destroy(&b->ipool);
	free(b->shared);
	free(b->mem);
	free(b->pent);
	free(b->ient);
	free(b->data);
	free(b->disk);
	free(b);
}

/* Segment of caller page @p, sectors @first..@last. */
static inline struct xpv_blk_seg bf_seg(struct bf *b, unsigned int p,
					unsigned int first, unsigned int last)
{
	return (struct xpv_blk_seg){ .page = b->data + (size_t)p * BF_PAGE,
				     .first_sect = first, .last_sect = last };
}

static inline struct xpv_blk_req bf_req(uintptr_t cookie, u8 op,
					u64 sector,
					const struct xpv_blk_seg *segs,
					unsigned int n)
{
	return (struct xpv_blk_req){ .cookie = (void *)cookie, .op = op,
				     .sector = sector, .segs = segs,
				     .nr_segs = n };
}

/*
 * The backend's view of the bytes a grant gives, checked. With persistent
 * grants blkback maps every grant read-write, whatever the operation.
 */
static inline u8 *bf_back_map(struct bf *b, grant_ref_t ref,
			      bool write_access)
{
	write_access |= b->feat.persistent;
	if (ref >= BF_GREFS || !b->e[ref].used ||
	    (write_access && b->e[ref].readonly))
		return NULL;
	return b->e[ref].mem;
}

/* Segments of a request, as blkback gathers them; 0 if malformed. */
static inline unsigned int bf_back_segs(struct bf *b,
					const struct blkif_request *rq,
					struct blkif_request_segment *seg)
{
	unsigned int n, i, per = XPV_BLK_SEGS_PER_INDIRECT;
	const struct blkif_request_segment *page;

	if (rq->operation != BLKIF_OP_INDIRECT) {
		n = rq->u.rw.nr_segments;
		if (n > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			return 0;
		memcpy(seg, rq->u.rw.seg, n * sizeof(*seg));
		return n;
	}
	n = rq->u.indirect.nr_segments;
	if (!n || n > XPV_BLK_MAX_INDIRECT_SEGS)
		return 0;
	for (i = 0; i < n; i++) {
		grant_ref_t ref = rq->u.indirect.indirect_grefs[i / per];

		/*
		 * Indirect pages: ours, read-only for the backend, but
		 * mapped read-write if persistent.
		 */
		if (ref >= BF_GREFS || !b->e[ref].used ||
		    b->e[ref].readonly == b->feat.persistent ||
		    !b->e[ref].frontend)
			return 0;
		page = (const void *)b->e[ref].mem;
		seg[i] = page[i % per];
	}
	return n;
}

/* Move one request's data as blkback would; its status. */
static inline s16 bf_back_rw(struct bf *b, u8 op, u64 sector,
			     const struct blkif_request_segment *seg,
			     unsigned int n)
{
	unsigned int i, len, off;
	u8 *mem;

	for (i = 0; i < n; i++) {
		if (seg[i].first_sect > seg[i].last_sect ||
		    seg[i].last_sect >= XPV_BLK_SECTORS_PER_PAGE)
			return BLKIF_RSP_ERROR;
		mem = bf_back_map(b, seg[i].gref, op == BLKIF_OP_READ);
		len = (seg[i].last_sect - seg[i].first_sect + 1) * 512;
		off = seg[i].first_sect * 512;
		if (!mem || sector * 512 + len > BF_DISK_SECTORS * 512)
			return BLKIF_RSP_ERROR;
		if (op == BLKIF_OP_READ)
			memcpy(mem + off, b->disk + sector * 512, len);
		else
			memcpy(b->disk + sector * 512, mem + off, len);
		sector += len / 512;
	}
	return BLKIF_RSP_OKAY;
}

/* Serve one request; the response's operation in @op. */
static inline s16 bf_back_do(struct bf *b, const struct blkif_request *rq,
			     u8 *op)
{
	static struct blkif_request_segment seg[XPV_BLK_MAX_INDIRECT_SEGS];
	unsigned int n;

	*op = rq->operation;
	if (rq->operation == BLKIF_OP_DISCARD) {
		u64 s = rq->u.discard.sector_number;
		u64 k = rq->u.discard.nr_sectors;

		if (s > BF_DISK_SECTORS || k > BF_DISK_SECTORS - s)
			return BLKIF_RSP_ERROR;
		memset(b->disk + s * 512, 0, k * 512);
		return BLKIF_RSP_OKAY;
	}
	if (rq->operation == BLKIF_OP_INDIRECT)
		*op = rq->u.indirect.indirect_op;
	if (*op > BLKIF_OP_FLUSH_DISKCACHE)
		return BLKIF_RSP_EOPNOTSUPP;
	n = bf_back_segs(b, rq, seg);
	if (!n && (*op == BLKIF_OP_READ || *op == BLKIF_OP_WRITE))
		return BLKIF_RSP_ERROR;
	return bf_back_rw(b, *op, rq->operation == BLKIF_OP_INDIRECT ?
			  rq->u.indirect.sector_number :
			  rq->u.rw.sector_number, seg, n);
}

/* Take every published request, queue a response: @status, or BF_HONEST. */
static inline unsigned int bf_back_serve(struct bf *b, int status)
{
	unsigned int n = 0;

	while (RING_HAS_UNCONSUMED_REQUESTS(&b->back)) {
		struct blkif_response *rsp = &b->pend[b->nr_pend++];
		s16 st;
		u8 op;

		BF_CHECK(b->nr_pend <= BF_PEND);
		RING_COPY_REQUEST(&b->back, b->back.req_cons, &b->last);
		b->back.req_cons++;
		st = bf_back_do(b, &b->last, &op);
		if (st != BLKIF_RSP_OKAY)
			b->back_bad++;
		rsp->id = b->last.u.other.id;
		rsp->operation = op;
		rsp->status = status == BF_HONEST ? st : status;
		n++;
	}
	return n;
}

/* Write pending response @i to the ring (not yet published), in order. */
static inline void bf_back_put(struct bf *b, unsigned int i)
{
	*RING_GET_RESPONSE(&b->back, b->back.rsp_prod_pvt) = b->pend[i];
	b->back.rsp_prod_pvt++;
	memmove(&b->pend[i], &b->pend[i + 1],
		(b->nr_pend - i - 1) * sizeof(b->pend[0]));
	b->nr_pend--;
}

/* Publish every pending response, in order, or shuffled by @seed if not 0. */
static inline void bf_back_respond(struct bf *b, u32 seed)
{
	bool notify;

	while (b->nr_pend)
		bf_back_put(b, seed ? bf_rand(&seed) % b->nr_pend : 0);
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b->back, notify);
	(void)notify;
}

#endif
