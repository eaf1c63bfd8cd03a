// SPDX-License-Identifier: GPL-2.0-only
/*
 * Persistent grants of xpv_blkfront: a bounded pool of granted pages, made
 * on demand and reused LIFO. See persistent.h.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/xpv.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "persistent.h"

/**
 * xpv_blk_pool_init() - an empty pool
 * @pool:     the pool
 * @ent:      room for its entries, @size of them (may be NULL if @size is 0)
 * @size:     the most entries it may make; 0: every get falls back
 * @readonly: grant the backend read-only access (indirect pages) or
 *            read-write access (data, both directions)
 * @ops:      page and grant hooks
 * @ctx:      their argument
 * @st:       where hits, misses and refusals are counted
 *
 * Return: 0, or -EINVAL if a hook, @st or @ent is missing.
 */
int xpv_blk_pool_init(struct xpv_blk_pool *pool, struct xpv_blk_pgrant *ent,
		      unsigned int size, bool readonly,
		      const struct xpv_blk_buf_ops *ops, void *ctx,
		      struct xpv_blk_pool_stat *st)
{
	if (!ops || !ops->alloc || !ops->free || !st || (size && !ent))
		return -EINVAL;
	memset(pool, 0, sizeof(*pool));
	if (size)
		memset(ent, 0, size * sizeof(*ent));
	pool->ent = ent;
	pool->size = size;
	pool->head = size;
	pool->readonly = readonly;
	pool->ops = ops;
	pool->ctx = ctx;
	pool->st = st;
	return 0;
}

/* Make entry number nr_made: allocate and grant its page. */
static int xpv_blk_pool_make(struct xpv_blk_pool *pool)
{
	struct xpv_blk_pgrant *e = &pool->ent[pool->nr_made];
	int rc;

	rc = pool->ops->alloc(pool->ctx, pool->readonly, &e->va, &e->ref);
	if (rc) {
		e->va = NULL;
		return rc;
	}
	return pool->nr_made++;
}

/**
 * xpv_blk_pool_get() - an entry for a request
 * @pool: the pool
 *
 * A free entry if there is one (a hit), else a new one if the pool may still
 * grow (a miss). Its page and grant are @pool->ent[idx].va and .ref; the
 * page holds whatever the last user left there.
 *
 * Return: the entry's index; -ENOSPC if every entry is in use, or the error
 * of ops->alloc(): either way, no entry for now.
 */
int xpv_blk_pool_get(struct xpv_blk_pool *pool)
{
	struct xpv_blk_pgrant *e;
	int idx;

	if (pool->nr_free) {
		idx = pool->head;
		e = &pool->ent[idx];
		pool->head = e->next;
		pool->nr_free--;
		pool->st->hits++;
	} else {
		idx = pool->nr_made < pool->size ? xpv_blk_pool_make(pool) :
						   -ENOSPC;
		if (idx < 0) {
			pool->st->full++;
			return idx;
		}
		e = &pool->ent[idx];
		pool->st->misses++;
	}
	e->busy = true;
	return idx;
}

/**
 * xpv_blk_pool_put() - give an entry back
 * @pool: its pool
 * @idx:  what xpv_blk_pool_get() returned
 *
 * The grant stays: the backend may keep its mapping for the next user.
 *
 * Return: 0; -ERANGE if @idx is no made entry, -ENOENT if it is not in use
 * (nothing changes: a caller bug, never the backend's doing).
 */
int xpv_blk_pool_put(struct xpv_blk_pool *pool, unsigned int idx)
{
	struct xpv_blk_pgrant *e;

	if (idx >= pool->nr_made)
		return -ERANGE;
	e = &pool->ent[idx];
	if (!e->busy)
		return -ENOENT;
	e->busy = false;
	e->next = pool->head;
	pool->head = idx;
	pool->nr_free++;
	return 0;
}

/**
 * xpv_blk_pool_in_use() - entries handed out and not yet put back
 * @pool: the pool
 *
 * Return: their number.
 */
unsigned int xpv_blk_pool_in_use(const struct xpv_blk_pool *pool)
{
	return pool->nr_made - pool->nr_free;
}

/**
 * xpv_blk_pool_destroy() - end every grant, free every page
 * @pool: the pool, whose requests have all been released
 *
 * Every made entry goes to ops->free(), in use or not (pages the backend
 * still maps are freed once it lets go); the pool is empty afterwards and
 * may be used again.
 *
 * Return: entries that were still in use (0 unless the caller forgot a
 * request).
 */
unsigned int xpv_blk_pool_destroy(struct xpv_blk_pool *pool)
{
	unsigned int i, busy = xpv_blk_pool_in_use(pool);

	for (i = 0; i < pool->nr_made; i++) {
		pool->ops->free(pool->ctx, pool->ent[i].va, pool->ent[i].ref);
		memset(&pool->ent[i], 0, sizeof(pool->ent[i]));
	}
	pool->nr_made = 0;
	pool->nr_free = 0;
	pool->head = pool->size;
	return busy;
}
