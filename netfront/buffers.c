// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buffer pools of xpv_netfront: pages granted to the backend once, when a
 * queue is set up, and reused for every packet. TX data is copied into
 * them, RX data out of them, so the backend never sees a page of ours that
 * holds anything but what we sent it, and no grant is made or ended per
 * packet.
 */
#include <xpv/grant.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include "netfront.h"

/**
 * xpv_nf_pool_init() - allocate and grant the pages of a pool
 * @pool:     the pool
 * @nr:       pages
 * @domid:    the backend's domain
 * @readonly: TX (the backend reads) or RX (it writes)
 *
 * Return: 0, -ENOMEM, or the grant table's error; nothing is left behind
 * on failure.
 */
int xpv_nf_pool_init(struct xpv_nf_pool *pool, unsigned int nr,
		     domid_t domid, bool readonly)
{
	struct xpv_nf_buf *b;
	int ref, rc = -ENOMEM;

	memset(pool, 0, sizeof(*pool));
	pool->bufs = kcalloc(nr, sizeof(*pool->bufs), GFP_KERNEL);
	if (!pool->bufs)
		return -ENOMEM;
	for (pool->nr = 0; pool->nr < nr; pool->nr++) {
		b = &pool->bufs[pool->nr];
		b->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!b->page)
			goto fail;
		ref = xpv_grant_access(domid, page_to_pfn(b->page), readonly);
		if (ref < 0) {
			__free_page(b->page);
			rc = ref;
			goto fail;
		}
		b->ref = ref;
		b->va = page_address(b->page);
		xpv_nf_pool_put(pool, b);
	}
	return 0;
fail:
	xpv_nf_pool_destroy(pool);
	return rc;
}

/**
 * xpv_nf_pool_destroy() - revoke and free every page of a pool
 * @pool: the pool, whose backend is disconnected
 *
 * A page the backend still maps is freed by the grant table once it lets
 * go, never before.
 */
void xpv_nf_pool_destroy(struct xpv_nf_pool *pool)
{
	unsigned int i;

	for (i = 0; i < pool->nr; i++)
		xpv_grant_end_access(pool->bufs[i].ref, pool->bufs[i].page);
	kfree(pool->bufs);
	memset(pool, 0, sizeof(*pool));
}

/**
 * xpv_nf_pool_get() - a free buffer
 * @pool: the pool
 *
 * Return: the buffer, or NULL if every one is in use.
 */
struct xpv_nf_buf *xpv_nf_pool_get(struct xpv_nf_pool *pool)
{
	struct xpv_nf_buf *b = pool->free;

	if (b) {
		pool->free = b->next;
		pool->nr_free--;
	}
	return b;
}

/**
 * xpv_nf_pool_put() - give a buffer back
 * @pool: its pool
 * @buf:  the buffer
 */
void xpv_nf_pool_put(struct xpv_nf_pool *pool, struct xpv_nf_buf *buf)
{
	buf->next = pool->free;
	pool->free = buf;
	pool->nr_free++;
}
