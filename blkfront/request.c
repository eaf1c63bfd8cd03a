// SPDX-License-Identifier: GPL-2.0-only
/*
 * Request logic of an xpv_blkfront ring: block requests to blkif requests,
 * and responses validated and retired. See request.h.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/xpv.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/string.h>
#include "request.h"

#define XPV_BLK_PAGE_MASK (XPV_XEN_PAGE_SIZE - 1)

/* Shadow fields: ids and segment counts are u16, indirect pages u8. */
static_assert(XPV_BLK_MAX_RING_SIZE <= 0xffff, "ids fit a u16");
static_assert(XPV_BLK_MAX_INDIRECT_SEGS <= 0xffff, "segments fit a u16");
static_assert(BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST <= 0xff,
	      "indirect pages fit a u8");
static_assert(sizeof(struct blkif_request) ==
	      sizeof(union blkif_sring_entry), "a request fills its slot");

/**
 * xpv_blk_ring_entries() - requests a blkif ring of @bytes holds
 * @bytes: size of the shared ring: one Xen page << order, order at most
 *         XPV_BLK_MAX_RING_ORDER
 *
 * Return: as __CONST_RING_SIZE(blkif, @bytes) and xpv_ring_init(); 0 for a
 * size that is not such a power of two of pages.
 */
unsigned int xpv_blk_ring_entries(size_t bytes)
{
	size_t pages = bytes / XPV_XEN_PAGE_SIZE;

	if (bytes % XPV_XEN_PAGE_SIZE || !pages ||
	    pages > XPV_BLK_MAX_RING_PAGES || (pages & (pages - 1)))
		return 0;
	return rounddown_pow_of_two((bytes - offsetof(struct blkif_sring, ring)) /
				    sizeof(union blkif_sring_entry));
}

/**
 * xpv_blk_grants_per_req() - grants one request may hold
 * @max_segs: segments per request (features.max_segs)
 *
 * Return: @max_segs, plus the indirect pages they need if they are more
 * than BLKIF_MAX_SEGMENTS_PER_REQUEST.
 */
unsigned int xpv_blk_grants_per_req(unsigned int max_segs)
{
	if (max_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return max_segs;
	return max_segs + XPV_BLK_INDIRECT_PAGES(max_segs);
}

static bool xpv_blk_max_segs_ok(unsigned int max_segs)
{
	return max_segs >= BLKIF_MAX_SEGMENTS_PER_REQUEST &&
	       max_segs <= XPV_BLK_MAX_INDIRECT_SEGS;
}

/**
 * xpv_blk_ring_mem() - bytes of the shadow table of a ring
 * @bytes:    size of the shared ring
 * @max_segs: segments per request (features.max_segs)
 *
 * Return: what xpv_blk_ring_init() wants as @mem_bytes (the glue allocates
 * it, e.g. with kvzalloc()), or 0 for an invalid geometry.
 */
size_t xpv_blk_ring_mem(size_t bytes, unsigned int max_segs)
{
	if (!xpv_blk_max_segs_ok(max_segs))
		return 0;
	return xpv_blk_ids_mem(xpv_blk_ring_entries(bytes),
			       xpv_blk_grants_per_req(max_segs));
}

/*
 * Persistent grants come from the pools alone: each must hold what one
 * request of max_segs takes, or that request would wait forever.
 */
static bool xpv_blk_pools_hold_one(const struct xpv_blk_ring_params *p)
{
	unsigned int segs = p->feat->max_segs;

	if (!p->feat->bounce || !p->pool || p->pool->size < segs)
		return false;
	return segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST ||
	       (p->ind_pool &&
		p->ind_pool->size >= XPV_BLK_INDIRECT_PAGES(segs));
}

static bool xpv_blk_params_ok(const struct xpv_blk_ring_params *p)
{
	const struct xpv_blk_features *f = p->feat;
	const struct xpv_blk_ops *o = p->ops;
	bool bufs;

	if (!f || !o || !p->cnt || !o->grant || !o->end_access ||
	    !o->complete || !xpv_blk_max_segs_ok(f->max_segs))
		return false;
	bufs = o->buf.alloc && o->buf.free;
	if (f->max_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST && !bufs)
		return false;
	if (f->bounce && (!bufs || !o->copy))
		return false;
	if (f->persistent && !xpv_blk_pools_hold_one(p))
		return false;
	/*
	 * Data pages are written by the backend on reads; indirect pages
	 * never, but a persistent grant is mapped read-write.
	 */
	return (!p->pool || !p->pool->readonly) &&
	       (!p->ind_pool || p->ind_pool->readonly == !f->persistent);
}

/**
 * xpv_blk_ring_init() - set up a ring on its shared pages
 * @r:         state to initialise
 * @shared:    the shared ring, granted to the backend by the caller
 * @bytes:     its size: a Xen page << ring-page-order
 * @mem:       the shadow table's memory, xpv_blk_ring_mem() bytes,
 *             pointer-aligned, the caller's until the ring is done with
 * @mem_bytes: its size
 * @p:         features, hooks, counters and pools
 *
 * Return: 0, or -EINVAL for a bad geometry, feature set or missing hook
 * (bouncing needs ops->buf and ops->copy, indirect segments ops->buf).
 */
int xpv_blk_ring_init(struct xpv_blk_ring *r, void *shared, size_t bytes,
		      void *mem, size_t mem_bytes,
		      const struct xpv_blk_ring_params *p)
{
	unsigned int n = xpv_blk_ring_entries(bytes);
	int rc;

	if (!n || !p || !xpv_blk_params_ok(p))
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	rc = xpv_blk_ids_init(&r->ids, mem, mem_bytes, n,
			      xpv_blk_grants_per_req(p->feat->max_segs));
	if (rc)
		return rc;
	rc = xpv_ring_init(&r->ring, shared, bytes,
			   sizeof(union blkif_sring_entry));
	if (rc || r->ring.nr_ents != n)
		return -EINVAL;
	r->feat = *p->feat;
	r->pool = p->pool;
	r->ind_pool = p->ind_pool;
	r->cnt = p->cnt;
	r->ops = p->ops;
	r->ctx = p->ctx;
	return 0;
}

/**
 * xpv_blk_has_room() - can xpv_blk_queue() take one more request?
 * @r: the ring
 *
 * Return: true if a ring slot and an id are free and the ring works; while
 * false, the glue stops its hardware queue.
 */
bool xpv_blk_has_room(const struct xpv_blk_ring *r)
{
	return !r->broken && xpv_ring_free_requests(&r->ring) &&
	       r->ids.nr_free;
}

/**
 * xpv_blk_in_flight() - requests queued and not yet completed
 * @r: the ring
 *
 * Return: their number.
 */
unsigned int xpv_blk_in_flight(const struct xpv_blk_ring *r)
{
	return r->ids.nr - r->ids.nr_free;
}

static int xpv_blk_check_segs(const struct xpv_blk_req *req)
{
	const struct xpv_blk_seg *s;
	unsigned int i;

	if (req->nr_segs && !req->segs)
		return -EINVAL;
	for (i = 0; i < req->nr_segs; i++) {
		s = &req->segs[i];
		if (!s->page || (s->frame & XPV_BLK_PAGE_MASK) ||
		    s->first_sect > s->last_sect ||
		    s->last_sect >= XPV_BLK_SECTORS_PER_PAGE)
			return -EINVAL;
	}
	return 0;
}

static int xpv_blk_check_discard(const struct xpv_blk_features *f,
				 const struct xpv_blk_req *req)
{
	if (!f->discard || (req->secure && !f->secure_discard))
		return -EOPNOTSUPP;
	if (req->nr_segs || !req->nr_sectors ||
	    req->sector + req->nr_sectors < req->sector)
		return -EINVAL;
	return 0;
}

static int xpv_blk_check(const struct xpv_blk_ring *r,
			 const struct xpv_blk_req *req)
{
	const struct xpv_blk_features *f = &r->feat;

	switch (req->op) {
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		if (!req->nr_segs)
			return -EINVAL;
		if (req->nr_segs > f->max_segs)
			return -E2BIG;
		break;
	case BLKIF_OP_FLUSH_DISKCACHE:
	case BLKIF_OP_WRITE_BARRIER:
		if (req->op == BLKIF_OP_WRITE_BARRIER ? !f->barrier :
							!f->flush_cache)
			return -EOPNOTSUPP;
		/* blkback takes indirect reads and writes only. */
		if (req->nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST)
			return -E2BIG;
		break;
	case BLKIF_OP_DISCARD:
		return xpv_blk_check_discard(f, req);
	default:
		return -EINVAL;
	}
	return xpv_blk_check_segs(req);
}

/* Copy a bounced segment into its frontend page, or back out of it. */
static void xpv_blk_copy(struct xpv_blk_ring *r, const struct xpv_blk_grant *g,
			 bool to_va)
{
	unsigned int off = g->first_sect << XPV_BLK_SECTOR_SHIFT;
	unsigned int len = (g->last_sect - g->first_sect + 1) <<
			   XPV_BLK_SECTOR_SHIFT;

	r->ops->copy(r->ctx, g->va, g->page, g->frame, off, len, to_va);
}

/*
 * Whether a grant the backend only reads may be read-only: not with
 * persistent grants, which blkback keeps mapped read-write.
 */
static bool xpv_blk_ro(const struct xpv_blk_ring *r, bool backend_reads)
{
	return backend_reads && !r->feat.persistent;
}

/*
 * A frontend page: a pool entry if one is free, else a one-shot page; but
 * never a one-shot page with persistent grants: the backend would keep it
 * mapped (until its own purge, a minute later), so the request waits for
 * a pool entry instead (-EBUSY), or for memory.
 */
static int xpv_blk_take_page(struct xpv_blk_ring *r, struct xpv_blk_pool *pool,
			     bool readonly, struct xpv_blk_grant *g)
{
	int idx = pool ? xpv_blk_pool_get(pool) : -ENOSPC;

	if (idx >= 0) {
		g->via = XPV_BLK_VIA_POOL;
		g->pool_idx = idx;
		g->va = pool->ent[idx].va;
		g->ref = pool->ent[idx].ref;
		return 0;
	}
	if (r->feat.persistent)
		return idx == -ENOSPC ? -EBUSY : idx;
	g->via = XPV_BLK_VIA_ONESHOT;
	return r->ops->buf.alloc(r->ctx, xpv_blk_ro(r, readonly), &g->va,
				 &g->ref);
}

/* Grant one data segment, directly or through a bounce page. */
static int xpv_blk_grant_seg(struct xpv_blk_ring *r,
			     const struct xpv_blk_seg *s, bool write,
			     struct xpv_blk_grant *g)
{
	int rc;

	g->page = s->page;
	g->va = NULL;
	g->frame = s->frame;
	g->first_sect = s->first_sect;
	g->last_sect = s->last_sect;
	if (!r->feat.bounce) {
		g->via = XPV_BLK_VIA_DIRECT;
		return r->ops->grant(r->ctx, s->page, s->frame,
				     xpv_blk_ro(r, write), &g->ref);
	}
	rc = xpv_blk_take_page(r, r->pool, write, g);
	if (!rc && write)
		xpv_blk_copy(r, g, true);
	return rc;
}

/* Give back one grant; -EBUSY if a direct one is still mapped. */
static int xpv_blk_put_grant(struct xpv_blk_ring *r, struct xpv_blk_pool *pool,
			     const struct xpv_blk_grant *g, bool copy_out)
{
	if (g->via == XPV_BLK_VIA_DIRECT)
		return r->ops->end_access(r->ctx, g->ref) ? -EBUSY : 0;
	if (copy_out)
		xpv_blk_copy(r, g, false);
	if (g->via == XPV_BLK_VIA_POOL)
		xpv_blk_pool_put(pool, g->pool_idx);
	else
		r->ops->buf.free(r->ctx, g->va, g->ref);
	return 0;
}

/*
 * Give back every grant of a request, copying read data out first if
 * @copy_out. Returns how many direct grants the backend still maps, the
 * first one's reference in @mapped_ref.
 */
static unsigned int xpv_blk_put_grants(struct xpv_blk_ring *r,
				       struct xpv_blk_shadow *sh,
				       bool copy_out, grant_ref_t *mapped_ref)
{
	unsigned int i, mapped = 0;

	for (i = 0; i < sh->nr_segs; i++) {
		if (!xpv_blk_put_grant(r, r->pool, &sh->g[i], copy_out))
			continue;
		if (!mapped++)
			*mapped_ref = sh->g[i].ref;
	}
	for (i = 0; i < sh->nr_indirect; i++)
		xpv_blk_put_grant(r, r->ind_pool, &sh->g[sh->nr_segs + i],
				  false);
	sh->nr_segs = 0;
	sh->nr_indirect = 0;
	return mapped;
}

/* Indirect pages, and the segment descriptors in them. */
static int xpv_blk_fill_indirect(struct xpv_blk_ring *r,
				 const struct xpv_blk_req *req,
				 struct xpv_blk_shadow *sh, unsigned int id,
				 struct blkif_request *rq)
{
	unsigned int pages = XPV_BLK_INDIRECT_PAGES(req->nr_segs), i;
	struct xpv_blk_grant *ind = &sh->g[sh->nr_segs];
	struct blkif_request_segment *s;
	int rc;

	for (i = 0; i < pages; i++) {
		ind[i].page = NULL;
		rc = xpv_blk_take_page(r, r->ind_pool, true, &ind[i]);
		if (rc)
			return rc;
		sh->nr_indirect++;
		rq->u.indirect.indirect_grefs[i] = ind[i].ref;
	}
	for (i = 0; i < req->nr_segs; i++) {
		s = (struct blkif_request_segment *)
			ind[i / XPV_BLK_SEGS_PER_INDIRECT].va +
		    i % XPV_BLK_SEGS_PER_INDIRECT;
		s->gref = sh->g[i].ref;
		s->first_sect = sh->g[i].first_sect;
		s->last_sect = sh->g[i].last_sect;
	}
	rq->operation = BLKIF_OP_INDIRECT;
	rq->u.indirect.indirect_op = req->op;
	rq->u.indirect.nr_segments = req->nr_segs;
	rq->u.indirect.id = id;
	rq->u.indirect.sector_number = req->sector;
	rq->u.indirect.handle = r->feat.handle;
	return 0;
}

static void xpv_blk_fill_direct(struct xpv_blk_ring *r,
				const struct xpv_blk_req *req,
				const struct xpv_blk_shadow *sh, unsigned int id,
				struct blkif_request *rq)
{
	unsigned int i;

	rq->operation = req->op;
	rq->u.rw.nr_segments = req->nr_segs;
	rq->u.rw.handle = r->feat.handle;
	rq->u.rw.id = id;
	rq->u.rw.sector_number = req->sector;
	for (i = 0; i < req->nr_segs; i++) {
		rq->u.rw.seg[i].gref = sh->g[i].ref;
		rq->u.rw.seg[i].first_sect = sh->g[i].first_sect;
		rq->u.rw.seg[i].last_sect = sh->g[i].last_sect;
	}
}

/* A read, write or flush: grant the data, then describe it. */
static int xpv_blk_build_rw(struct xpv_blk_ring *r,
			    const struct xpv_blk_req *req,
			    struct xpv_blk_shadow *sh, unsigned int id,
			    struct blkif_request *rq)
{
	bool write = req->op != BLKIF_OP_READ;
	bool indirect = req->nr_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST;
	unsigned int i;
	int rc;

	sh->op = indirect ? BLKIF_OP_INDIRECT : req->op;
	sh->rsp_op = req->op;
	for (i = 0; i < req->nr_segs; i++) {
		rc = xpv_blk_grant_seg(r, &req->segs[i], write, &sh->g[i]);
		if (rc)
			return rc;
		sh->nr_segs++;
	}
	if (indirect)
		return xpv_blk_fill_indirect(r, req, sh, id, rq);
	xpv_blk_fill_direct(r, req, sh, id, rq);
	return 0;
}

static void xpv_blk_build_discard(const struct xpv_blk_req *req,
				  struct xpv_blk_shadow *sh, unsigned int id,
				  struct blkif_request *rq)
{
	sh->op = BLKIF_OP_DISCARD;
	sh->rsp_op = BLKIF_OP_DISCARD;
	rq->operation = BLKIF_OP_DISCARD;
	rq->u.discard.flag = req->secure ? BLKIF_DISCARD_SECURE : 0;
	rq->u.discard.id = id;
	rq->u.discard.sector_number = req->sector;
	rq->u.discard.nr_sectors = req->nr_sectors;
}

static void xpv_blk_count_queued(struct xpv_blk_ring *r,
				 const struct xpv_blk_shadow *sh)
{
	struct xpv_blk_counters *c = r->cnt;

	c->requests++;
	if (sh->rsp_op == BLKIF_OP_READ)
		c->reads++;
	else if (sh->rsp_op == BLKIF_OP_WRITE)
		c->writes++;
	else if (sh->rsp_op == BLKIF_OP_DISCARD)
		c->discards++;
	else
		c->flushes++;
	c->segments += sh->nr_segs;
	if (sh->op == BLKIF_OP_INDIRECT) {
		c->indirect++;
		c->indirect_pages += sh->nr_indirect;
	}
	if (r->feat.bounce)
		c->bounced += sh->nr_segs;
}

/**
 * xpv_blk_queue() - put a request on the ring (not yet published)
 * @r:   the ring
 * @req: the request
 *
 * Takes an id, grants the data (bouncing writes into frontend pages if the
 * ring bounces), fills in indirect pages if the request has more than
 * BLKIF_MAX_SEGMENTS_PER_REQUEST segments, and writes the request, built
 * in private memory, to its ring slot at once. The backend sees it at the
 * next xpv_blk_push(); ops->complete() reports its end, exactly once.
 *
 * Return: the request's id; or nothing queued and -EIO (the ring is
 * broken), -EINVAL (malformed request), -E2BIG (more segments than the
 * operation allows), -EOPNOTSUPP (operation not negotiated, or turned off),
 * -EBUSY (no slot or id, or with persistent grants no pool entry: stop
 * the queue until responses come), or the error of a grant or page hook
 * (retry when grants or memory free up).
 */
int xpv_blk_queue(struct xpv_blk_ring *r, const struct xpv_blk_req *req)
{
	struct xpv_blk_shadow *sh;
	struct blkif_request rq;
	grant_ref_t unused;
	int id, rc;

	if (r->broken)
		return -EIO;
	rc = xpv_blk_check(r, req);
	if (rc)
		return rc;
	if (!xpv_blk_has_room(r)) {
		r->cnt->ring_full++;
		return -EBUSY;
	}
	id = xpv_blk_ids_get(&r->ids, req->cookie);
	sh = &r->ids.ent[id];
	memset(&rq, 0, sizeof(rq));	/* no stale bytes reach the backend */
	if (req->op == BLKIF_OP_DISCARD)
		xpv_blk_build_discard(req, sh, id, &rq);
	else
		rc = xpv_blk_build_rw(r, req, sh, id, &rq);
	if (rc) {
		/* Never published: a grant still "mapped" is a guess, fine. */
		xpv_blk_put_grants(r, sh, false, &unused);
		xpv_blk_ids_put(&r->ids, id);
		if (rc == -EBUSY)
			r->cnt->ring_full++;
		else
			r->cnt->grant_fail++;
		return rc;
	}
	memcpy(xpv_ring_prepare(&r->ring), &rq, sizeof(rq));
	xpv_blk_count_queued(r, sh);
	return id;
}

/**
 * xpv_blk_push() - publish the queued requests
 * @r: the ring
 *
 * Return: true if the backend must be notified (counted in kicks); always
 * false once the ring is broken.
 */
bool xpv_blk_push(struct xpv_blk_ring *r)
{
	bool notify;

	if (r->broken)
		return false;
	notify = xpv_ring_push(&r->ring);
	if (notify)
		r->cnt->kicks++;
	return notify;
}

static int xpv_blk_lied(struct xpv_blk_ring *r, const char *what, s64 value)
{
	r->broken = true;
	xpv_blk_lie(&r->lie, r->cnt, what, value);
	return -EIO;
}

/* What a status means for an operation; Linux blkfront's reading of it. */
static int xpv_blk_errno(u8 op, unsigned int nr_segs, s16 status)
{
	if (status == BLKIF_RSP_OKAY)
		return 0;
	if (op == BLKIF_OP_READ || op == BLKIF_OP_WRITE)
		return -EIO;
	if (status == BLKIF_RSP_EOPNOTSUPP)
		return -EOPNOTSUPP;
	/* An empty flush or barrier that fails: the backend cannot do it. */
	if (op != BLKIF_OP_DISCARD && !nr_segs)
		return -EOPNOTSUPP;
	return -EIO;
}

static void xpv_blk_feature_off(struct xpv_blk_ring *r, u8 op)
{
	if (op == BLKIF_OP_DISCARD) {
		r->feat.discard = false;
		r->feat.secure_discard = false;
	} else {
		r->feat.flush_cache = false;
		r->feat.barrier = false;
	}
}

static void xpv_blk_count_done(struct xpv_blk_ring *r, s16 status)
{
	r->cnt->completed++;
	if (status == BLKIF_RSP_ERROR)
		r->cnt->errors++;
	else if (status == BLKIF_RSP_EOPNOTSUPP)
		r->cnt->notsupp++;
}

/* A valid response: release what the request held, complete it. */
static int xpv_blk_finish(struct xpv_blk_ring *r, unsigned int id, s16 status)
{
	struct xpv_blk_shadow *sh = &r->ids.ent[id];
	struct xpv_blk_done d = {
		.cookie = sh->cookie, .op = sh->rsp_op, .status = status,
	};
	unsigned int nr_segs = sh->nr_segs, mapped;
	grant_ref_t mapped_ref = 0;

	mapped = xpv_blk_put_grants(r, sh, d.op == BLKIF_OP_READ &&
				    status == BLKIF_RSP_OKAY, &mapped_ref);
	xpv_blk_ids_put(&r->ids, id);
	/* Data the backend can still change is no data. */
	d.err = mapped ? -EIO : xpv_blk_errno(d.op, nr_segs, status);
	if (d.err == -EOPNOTSUPP)
		xpv_blk_feature_off(r, d.op);
	xpv_blk_count_done(r, status);
	r->ops->complete(r->ctx, &d);
	if (mapped)
		return xpv_blk_lied(r, "grant still mapped after its response",
				    mapped_ref);
	return 0;
}

static int xpv_blk_response(struct xpv_blk_ring *r,
			    const struct blkif_response *rsp)
{
	int rc = xpv_blk_ids_check(&r->ids, rsp->id);
	const struct xpv_blk_shadow *sh;

	if (rc == -ERANGE)
		return xpv_blk_lied(r, "response for an id out of range",
				    (s64)rsp->id);
	if (rc)
		return xpv_blk_lied(r, "response for an id not in flight",
				    (s64)rsp->id);
	sh = &r->ids.ent[rsp->id];
	if (rsp->operation != sh->rsp_op)
		return xpv_blk_lied(r, "response with the wrong operation",
				    rsp->operation);
	if (rsp->status != BLKIF_RSP_OKAY && rsp->status != BLKIF_RSP_ERROR &&
	    rsp->status != BLKIF_RSP_EOPNOTSUPP)
		return xpv_blk_lied(r, "response with an invalid status",
				    rsp->status);
	return xpv_blk_finish(r, rsp->id, rsp->status);
}

/**
 * xpv_blk_collect() - consume responses
 * @r:      the ring
 * @budget: the most responses to consume
 *
 * Each response is copied once and validated: its id must be in range and
 * in flight, its operation the request's (an indirect request's
 * indirect_op), its status BLKIF_RSP_OKAY, _ERROR or _EOPNOTSUPP. A valid
 * one copies read data out of bounce pages, gives back every grant, frees
 * the id and completes the request. Anything else is a lie: the ring is
 * broken for good (r->lie says why) and the request it named, if any, stays
 * in flight for xpv_blk_release_all().
 *
 * Return: responses consumed (fewer than @budget: none left for now), or
 * -EIO if the backend lied, now or before: shut the device down.
 */
int xpv_blk_collect(struct xpv_blk_ring *r, unsigned int budget)
{
	struct blkif_response rsp;
	unsigned int done = 0;
	int rc;

	if (r->broken)
		return -EIO;
	while (done < budget) {
		rc = xpv_ring_get_response(&r->ring, &rsp, sizeof(rsp));
		if (!rc)
			break;
		if (rc < 0)
			return xpv_blk_lied(r, "more responses than requests",
					    READ_ONCE(r->ring.sring->rsp_prod));
		done++;
		if (xpv_blk_response(r, &rsp))
			return -EIO;
	}
	return done;
}

/**
 * xpv_blk_final_check() - re-arm the response notification before sleeping
 * @r: the ring
 *
 * The backend is asked for an event once more than half of the requests
 * in flight are answered: with a deep queue, one interrupt per half queue
 * rather than one per burst of responses (xpv_ring_final_check_batch()).
 *
 * Return: true if responses came in meanwhile: call xpv_blk_collect()
 * again. False once the ring is broken.
 */
bool xpv_blk_final_check(struct xpv_blk_ring *r)
{
	return !r->broken && xpv_ring_final_check_batch(&r->ring);
}

/**
 * xpv_blk_release_all() - take back everything still in flight
 * @r: the ring, whose backend is gone (or never to be trusted again)
 *
 * Every request in flight gives back its grants (a direct one the backend
 * still maps is the driver's to defer, see ops->end_access) and is
 * completed with @aborted set and -EIO. The ring is broken afterwards: set
 * it up again to reconnect.
 *
 * Return: the number of requests released.
 */
unsigned int xpv_blk_release_all(struct xpv_blk_ring *r)
{
	struct xpv_blk_done d = {
		.status = BLKIF_RSP_ERROR, .err = -EIO, .aborted = true,
	};
	struct xpv_blk_shadow *sh;
	unsigned int id, n = 0;
	grant_ref_t unused;

	for (id = 0; id < r->ids.nr; id++) {
		sh = &r->ids.ent[id];
		if (!sh->busy)
			continue;
		d.cookie = sh->cookie;
		d.op = sh->rsp_op;
		xpv_blk_put_grants(r, sh, false, &unused);
		xpv_blk_ids_put(&r->ids, id);
		r->cnt->aborted++;
		r->ops->complete(r->ctx, &d);
		n++;
	}
	r->broken = true;
	return n;
}
