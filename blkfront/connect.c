// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection of an xpv_blkfront disk, in the two steps blkif takes: when
 * the backend waits for us (InitWait), the rings' shape is negotiated, the
 * rings and event channels set up and published in one transaction; once
 * the backend is Connected, the disk is negotiated, the request logic set
 * up on the rings and the gendisk added. And the reverse, which fails
 * whatever is in flight.
 */
#include <xpv/evtchn.h>
#include <xpv/xenstore.h>
#include <linux/cpumask.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "blkfront.h"

static int xpv_blk_store_read(void *ctx, enum xpv_blk_side side,
			      const char *key, char *buf, size_t size)
{
	struct xpv_xenbus_device *xdev = ctx;
	const char *dir = side == XPV_BLK_BACKEND ? xdev->otherend :
							xdev->nodename;

	return xpv_xs_read_buf(XPV_XBT_NIL, dir, key, buf, size);
}

static void xpv_blk_limits(struct xpv_blk_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->online_cpus = num_online_cpus();
	lim->max_queues = xpv_blk_max_queues;
	lim->max_ring_order = xpv_blk_max_ring_order;
	lim->max_indirect_segs = xpv_blk_max_indirect;
	lim->persistent = true;
}

/* One step of negotiation (rings or disk), its failure reported. */
static int xpv_blk_negotiate(struct xpv_blk_info *info,
			     int (*step)(const struct xpv_blk_store *st,
					 const struct xpv_blk_limits *lim,
					 struct xpv_blk_config *cfg))
{
	struct xpv_blk_store st = { .read = xpv_blk_store_read,
				    .ctx = info->xdev };
	struct xpv_blk_limits lim;
	int rc;

	xpv_blk_limits(&lim);
	rc = step(&st, &lim, &info->cfg);
	if (rc)
		xpv_xenbus_dev_fatal(info->xdev, rc,
				     "negotiation failed at key %s",
				     info->cfg.bad_key ?: "?");
	return rc;
}

/* The shared ring and event channel of one queue (no request logic yet). */
static int xpv_blk_queue_ring(struct xpv_blk_info *info,
			      struct xpv_blk_queue *q, unsigned int id)
{
	struct xpv_xenbus_device *xdev = info->xdev;
	int rc;

	q->info = info;
	q->id = id;
	spin_lock_init(&q->lock);
	rc = xpv_xenbus_setup_ring(xdev, GFP_KERNEL, &q->sring,
				   info->cfg.ring_pages, q->ring_ref);
	if (rc)
		return rc;
	rc = xpv_xenbus_alloc_evtchn(xdev, &q->port);
	if (rc)
		return rc;
	snprintf(q->irq_name, sizeof(q->irq_name), "xvd%u-q%u", info->index,
		 id);
	rc = xpv_evtchn_bind_irq(q->port, xpv_blk_interrupt, 0, q->irq_name,
				 q);
	if (rc < 0) {
		xpv_xenbus_free_evtchn(xdev, q->port);
		return rc;
	}
	q->irq = rc;
	return 0;
}

static void xpv_blk_queue_unbind(struct xpv_blk_queue *q)
{
	if (q->irq > 0)
		xpv_evtchn_unbind_irq(q->irq, q);
	q->irq = 0;
}

/* Fail whatever is in flight on @q, for good: its backend is gone or lied. */
static void xpv_blk_queue_abort(struct xpv_blk_queue *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->live = false;
	if (q->shadow)
		xpv_blk_release_all(&q->r);
	spin_unlock_irqrestore(&q->lock, flags);
}

/**
 * xpv_blk_abort() - fail whatever is in flight on every queue, for good
 * @info: the disk, whose backend is gone or lied
 *
 * Every request in flight completes with an error, and so does every later
 * one, until the rings are set up again.
 *
 * Context: any; takes each queue's lock in turn (none may be held).
 */
void xpv_blk_abort(struct xpv_blk_info *info)
{
	unsigned int i;

	for (i = 0; i < info->nr_queues; i++)
		xpv_blk_queue_abort(&info->queues[i]);
}

static void xpv_blk_queue_free(struct xpv_blk_queue *q)
{
	xpv_blk_queue_unbind(q);
	if (q->pool_ent)
		xpv_blk_pool_destroy(&q->pool);
	if (q->ind_ent)
		xpv_blk_pool_destroy(&q->ind_pool);
	kvfree(q->pool_ent);
	kvfree(q->ind_ent);
	kvfree(q->shadow);
	q->pool_ent = NULL;
	q->ind_ent = NULL;
	q->shadow = NULL;
	if (q->sring)
		xpv_xenbus_teardown_ring(&q->sring, q->info->cfg.ring_pages,
					 q->ring_ref);
}

/**
 * struct xpv_blk_keys - what the frontend publishes, for the transaction
 * @dir: its directory
 * @kv:  the keys
 * @n:   how many
 */
struct xpv_blk_keys {
	const char *dir;
	struct xpv_blk_kv kv[XPV_BLK_MAX_KEYS];
	int n;
};

static int xpv_blk_write_keys(xpv_xbt_t t, void *arg)
{
	const struct xpv_blk_keys *k = arg;
	int i, rc = 0;

	for (i = 0; !rc && i < k->n; i++)
		rc = xpv_xs_write(t, k->dir, k->kv[i].key, k->kv[i].value);
	return rc;
}

static int xpv_blk_publish(struct xpv_blk_info *info)
{
	struct xpv_blk_queue_refs *refs;
	struct xpv_blk_keys *k;
	unsigned int i;
	int rc;

	refs = kcalloc(info->nr_queues, sizeof(*refs), GFP_KERNEL);
	k = kmalloc(sizeof(*k), GFP_KERNEL);
	rc = -ENOMEM;
	if (!refs || !k)
		goto out;
	for (i = 0; i < info->nr_queues; i++) {
		memcpy(refs[i].ring_ref, info->queues[i].ring_ref,
		       sizeof(refs[i].ring_ref));
		refs[i].evtchn = info->queues[i].port;
	}
	k->dir = info->xdev->nodename;
	k->n = xpv_blk_frontend_keys(&info->cfg, refs, k->kv,
				     XPV_BLK_MAX_KEYS);
	rc = k->n < 0 ? k->n : xpv_xs_transact(xpv_blk_write_keys, k);
out:
	kfree(k);
	kfree(refs);
	return rc;
}

static void xpv_blk_free_queues(struct xpv_blk_info *info)
{
	unsigned int i;

	for (i = 0; i < info->nr_queues; i++) {
		xpv_blk_counters_add(&info->old_cnt, &info->queues[i].cnt);
		xpv_blk_queue_free(&info->queues[i]);
	}
	kfree(info->queues);
	info->queues = NULL;
	info->nr_queues = 0;
}

/**
 * xpv_blk_setup_rings() - negotiate the rings, set them up, publish them
 * @info: the disk, disconnected
 *
 * Context: process context, @info->mutex held.
 * Return: 0, or a negative errno (reported in xenstore; nothing is left
 * set up).
 */
int xpv_blk_setup_rings(struct xpv_blk_info *info)
{
	unsigned int i;
	int rc;

	rc = xpv_blk_negotiate(info, xpv_blk_negotiate_rings);
	if (rc)
		return rc;
	info->queues = kcalloc(info->cfg.nr_queues, sizeof(*info->queues),
			       GFP_KERNEL);
	if (!info->queues)
		return -ENOMEM;
	info->nr_queues = info->cfg.nr_queues;
	for (i = 0, rc = 0; !rc && i < info->nr_queues; i++)
		rc = xpv_blk_queue_ring(info, &info->queues[i], i);
	if (rc) {
		xpv_xenbus_dev_fatal(info->xdev, rc, "setting up %u ring(s)",
				     info->nr_queues);
	} else {
		rc = xpv_blk_publish(info);
		if (rc)
			xpv_xenbus_dev_fatal(info->xdev, rc,
					     "writing the ring keys");
	}
	if (rc)
		xpv_blk_free_queues(info);
	return rc;
}

static int xpv_blk_pool(struct xpv_blk_queue *q, struct xpv_blk_pool *pool,
			struct xpv_blk_pgrant **ent, unsigned int size,
			bool readonly, struct xpv_blk_pool_stat *st)
{
	*ent = kvcalloc(size, sizeof(**ent), GFP_KERNEL);
	if (!*ent)
		return -ENOMEM;
	return xpv_blk_pool_init(pool, *ent, size, readonly, &xpv_blk_ops.buf,
				 q, st);
}

/*
 * Entries of the data pool: one per segment of a full ring, but within
 * XPV_BLK_MAX_PGRANTS together with the indirect pages (@ind), and never
 * fewer than one request takes.
 */
static unsigned int xpv_blk_pool_size(unsigned int n, unsigned int segs,
				      unsigned int ind)
{
	unsigned int room = ind < XPV_BLK_MAX_PGRANTS ?
			    XPV_BLK_MAX_PGRANTS - ind : 0;

	return min(n * segs, max(room, segs));
}

/* The request logic on a queue's ring: shadow table and pools. */
static int xpv_blk_queue_init(struct xpv_blk_queue *q,
			      const struct xpv_blk_config *cfg)
{
	size_t bytes = (size_t)cfg->ring_pages * XPV_XEN_PAGE_SIZE;
	unsigned int segs = cfg->feat.max_segs;
	unsigned int n = xpv_blk_ring_entries(bytes);
	unsigned int ind = segs > BLKIF_MAX_SEGMENTS_PER_REQUEST ?
			   n * XPV_BLK_INDIRECT_PAGES(segs) : 0;
	size_t mem = xpv_blk_ring_mem(bytes, segs);
	struct xpv_blk_ring_params p = {
		.feat = &cfg->feat, .ops = &xpv_blk_ops, .ctx = q,
		.cnt = &q->cnt,
	};
	int rc = 0;

	if (!mem)
		return -EINVAL;
	q->shadow = kvzalloc(mem, GFP_KERNEL);
	if (!q->shadow)
		return -ENOMEM;
	if (cfg->feat.bounce) {
		rc = xpv_blk_pool(q, &q->pool, &q->pool_ent,
				  xpv_blk_pool_size(n, segs, ind), false,
				  &q->cnt.pgrant);
		p.pool = &q->pool;
	}
	if (!rc && ind) {
		rc = xpv_blk_pool(q, &q->ind_pool, &q->ind_ent, ind,
				  !cfg->feat.persistent, &q->cnt.ipool);
		p.ind_pool = &q->ind_pool;
	}
	rc = rc ?: xpv_blk_ring_init(&q->r, q->sring, bytes, q->shadow, mem,
				     &p);
	if (rc)
		return rc;
	spin_lock_irq(&q->lock);
	q->live = true;
	spin_unlock_irq(&q->lock);
	return 0;
}

/**
 * xpv_blk_connect() - negotiate the disk, start the rings, add the gendisk
 * @info: the disk, its rings set up (xpv_blk_setup_rings())
 *
 * Context: process context, @info->mutex held.
 * Return: 0, or a negative errno (reported in xenstore).
 */
int xpv_blk_connect(struct xpv_blk_info *info)
{
	unsigned int i;
	int rc;

	rc = xpv_blk_negotiate(info, xpv_blk_negotiate_disk);
	if (rc)
		return rc;
	for (i = 0; !rc && i < info->nr_queues; i++)
		rc = xpv_blk_queue_init(&info->queues[i], &info->cfg);
	rc = rc ?: xpv_blk_add_disk(info);
	if (rc)
		xpv_xenbus_dev_fatal(info->xdev, rc, "starting the disk");
	return rc;
}

/**
 * xpv_blk_disconnect() - fail what is in flight, remove the disk, free all
 * @info: the disk
 *
 * Every grant is ended (pages the backend still maps are freed once it lets
 * go), every port closed. Requests in flight, and any that come later,
 * fail with BLK_STS_IOERR. Nothing happens if the disk has no rings.
 *
 * Context: process context, @info->mutex held.
 */
void xpv_blk_disconnect(struct xpv_blk_info *info)
{
	unsigned int i;

	if (!info->queues)
		return;
	for (i = 0; i < info->nr_queues; i++)
		xpv_blk_queue_unbind(&info->queues[i]);
	if (info->gd)
		blk_mark_disk_dead(info->gd);
	xpv_blk_abort(info);
	xpv_blk_del_disk(info);
	xpv_blk_free_queues(info);
}

/**
 * xpv_blk_resize() - take the backend's new capacity
 * @info: the disk
 *
 * Context: process context, @info->mutex held.
 */
void xpv_blk_resize(struct xpv_blk_info *info)
{
	struct xpv_blk_store st = { .read = xpv_blk_store_read,
				    .ctx = info->xdev };
	struct xpv_blk_config cfg = info->cfg;
	int rc;

	if (!info->gd)
		return;
	rc = xpv_blk_read_sectors(&st, &cfg);
	if (rc) {
		dev_warn(&info->xdev->dev, "bad %s/sectors (%d): size kept\n",
			 info->xdev->otherend, rc);
		return;
	}
	if (cfg.sectors == info->cfg.sectors)
		return;
	info->cfg.sectors = cfg.sectors;
	dev_info(&info->xdev->dev, "%s: resized to %llu sectors\n",
		 info->gd->disk_name, cfg.sectors);
	set_capacity_and_notify(info->gd, cfg.sectors);
}
