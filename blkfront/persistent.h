/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bounded pool of persistent grants for xpv_blkfront: pages of the
 * frontend, each granted once to the backend and reused across requests, so
 * a backend that keeps its mappings (feature-persistent) maps each page only
 * once.
 *
 * Bookkeeping only: entries are made on demand, up to the pool's size, by
 * the caller's buf->alloc() hook (allocate a Xen page, grant it) and undone
 * by buf->free() (end access, free the page, deferred while the backend
 * still maps it). A free entry is reused before a new one is made, the most
 * recently freed first (its page is likely still mapped and in cache). When
 * every entry is in use, or no new one can be made, xpv_blk_pool_get()
 * refuses: the caller falls back to a one-shot grant, or, with persistent
 * grants (which the backend would keep mapped), waits.
 *
 * No locking: the caller serialises all calls per pool (the ring lock).
 */
#ifndef _XPV_BLKFRONT_PERSISTENT_H
#define _XPV_BLKFRONT_PERSISTENT_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/grant_table.h>
#include "counters.h"

/**
 * struct xpv_blk_buf_ops - frontend pages granted to the backend
 * @alloc: allocate a zeroed Xen page (4 KiB, its kernel address in @va) and
 *         grant the backend access to it, read-only if @readonly; store the
 *         reference in @ref. 0 or a negative errno (nothing left behind).
 * @free:  end the backend's access through @ref and free the page at @va;
 *         if the backend still maps it, both are released only once it
 *         lets go. Cannot fail.
 */
struct xpv_blk_buf_ops {
	int (*alloc)(void *ctx, bool readonly, void **va, grant_ref_t *ref);
	void (*free)(void *ctx, void *va, grant_ref_t ref);
};

/**
 * struct xpv_blk_pgrant - one entry of a pool
 * @va:   the page, NULL until the entry is made
 * @ref:  its grant
 * @next: next free entry, while free
 * @busy: handed out by xpv_blk_pool_get()
 */
struct xpv_blk_pgrant {
	void *va;
	grant_ref_t ref;
	unsigned int next;
	bool busy;
};

/**
 * struct xpv_blk_pool - a bounded pool of persistent grants
 * @ent:      the entries, @size of them, owned by the caller
 * @size:     capacity
 * @nr_made:  entries made (@ent[0..nr_made) have a page)
 * @nr_free:  made entries not in use
 * @head:     first free made entry, @size if none
 * @readonly: the backend gets read-only access (indirect pages)
 * @ops:      page and grant hooks
 * @ctx:      their argument
 * @st:       hits, misses and refusals
 */
struct xpv_blk_pool {
	struct xpv_blk_pgrant *ent;
	unsigned int size;
	unsigned int nr_made;
	unsigned int nr_free;
	unsigned int head;
	bool readonly;
	const struct xpv_blk_buf_ops *ops;
	void *ctx;
	struct xpv_blk_pool_stat *st;
};

int xpv_blk_pool_init(struct xpv_blk_pool *pool, struct xpv_blk_pgrant *ent,
		      unsigned int size, bool readonly,
		      const struct xpv_blk_buf_ops *ops, void *ctx,
		      struct xpv_blk_pool_stat *st);
int xpv_blk_pool_get(struct xpv_blk_pool *pool);
int xpv_blk_pool_put(struct xpv_blk_pool *pool, unsigned int idx);
unsigned int xpv_blk_pool_in_use(const struct xpv_blk_pool *pool);
unsigned int xpv_blk_pool_destroy(struct xpv_blk_pool *pool);

#endif /* _XPV_BLKFRONT_PERSISTENT_H */
