// SPDX-License-Identifier: GPL-2.0-only
/*
 * Completion side of xpv_blkfront: the event channel's interrupt consumes
 * the responses (validated by the request logic) and completes their
 * requests; a lying backend stops the ring and has the device shut down.
 *
 * Also the hooks the request logic calls: grants of the block layer's
 * pages, frontend pages (bounce and indirect pages, persistent or not) and
 * the copies through them. They run under the ring lock, interrupts off.
 */
#include <xpv/grant.h>
#include <linux/blk-mq.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include "blkfront.h"

static domid_t xpv_blk_domid(void *ctx)
{
	struct xpv_blk_queue *q = ctx;

	return q->info->xdev->otherend_id;
}

static int xpv_blk_buf_alloc(void *ctx, bool readonly, void **va,
			     grant_ref_t *ref)
{
	struct page *page = alloc_page(GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN);
	int rc;

	if (!page)
		return -ENOMEM;
	rc = xpv_grant_access(xpv_blk_domid(ctx), page_to_pfn(page), readonly);
	if (rc < 0) {
		__free_page(page);
		return rc;
	}
	*ref = rc;
	*va = page_address(page);
	return 0;
}

static void xpv_blk_buf_free(void *ctx, void *va, grant_ref_t ref)
{
	/* The page is freed once the backend lets go of it. */
	xpv_grant_end_access(ref, virt_to_page(va));
}

static int xpv_blk_grant(void *ctx, void *page, unsigned int frame,
			 bool readonly, grant_ref_t *ref)
{
	unsigned long gfn = page_to_pfn((struct page *)page) +
			    frame / XPV_XEN_PAGE_SIZE;
	int rc = xpv_grant_access(xpv_blk_domid(ctx), gfn, readonly);

	if (rc < 0)
		return rc;
	*ref = rc;
	return 0;
}

static int xpv_blk_end_access(void *ctx, grant_ref_t ref)
{
	/* Still mapped: xpv_grant keeps the reference until it is not. */
	return xpv_grant_end_access(ref, NULL) == 1 ? -EBUSY : 0;
}

static void xpv_blk_copy(void *ctx, void *va, void *page, unsigned int frame,
			 unsigned int offset, unsigned int len, bool to_va)
{
	void *p = kmap_local_page((struct page *)page);

	if (to_va)
		memcpy(va + offset, p + frame + offset, len);
	else
		memcpy(p + frame + offset, va + offset, len);
	kunmap_local(p);
}

static blk_status_t xpv_blk_status(const struct xpv_blk_done *d)
{
	if (!d->err)
		return BLK_STS_OK;
	if (d->err != -EOPNOTSUPP || d->aborted)
		return BLK_STS_IOERR;
	/* As Linux's blkfront: a flush the backend cannot do is done. */
	return d->op == BLKIF_OP_DISCARD ? BLK_STS_NOTSUPP : BLK_STS_OK;
}

static void xpv_blk_done(void *ctx, const struct xpv_blk_done *d)
{
	struct xpv_blk_queue *q = ctx;
	struct request *rq = d->cookie;
	struct xpv_blk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	if (d->err == -EOPNOTSUPP && !d->aborted)
		xpv_blk_feature_off(q->info, d->op);
	pdu->status = xpv_blk_status(d);
	if (pdu->status == BLK_STS_IOERR && !d->aborted)
		dev_err_ratelimited(&q->info->xdev->dev,
				    "request (op %u) failed: status %d\n",
				    d->op, d->status);
	blk_mq_complete_request(rq);
}

const struct xpv_blk_ops xpv_blk_ops = {
	.buf = { .alloc = xpv_blk_buf_alloc, .free = xpv_blk_buf_free },
	.grant = xpv_blk_grant,
	.end_access = xpv_blk_end_access,
	.copy = xpv_blk_copy,
	.complete = xpv_blk_done,
};

/**
 * xpv_blk_interrupt() - the backend answered (or merely notified)
 * @irq:    the event channel's IRQ
 * @dev_id: the queue
 *
 * Consumes every response until the ring is empty with notifications
 * re-armed, then restarts hardware queues stopped for want of slots. If
 * the backend lied, every queue of the disk is aborted at once and
 * fatal_work shuts the device down.
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t xpv_blk_interrupt(int irq, void *dev_id)
{
	struct xpv_blk_queue *q = dev_id;
	struct xpv_blk_info *info = q->info;
	unsigned long flags;
	bool lied = false;
	int n;

	spin_lock_irqsave(&q->lock, flags);
	if (!q->live) {
		spin_unlock_irqrestore(&q->lock, flags);
		return IRQ_HANDLED;
	}
	do {
		n = xpv_blk_collect(&q->r, q->r.ring.nr_ents);
	} while (n >= 0 && xpv_blk_final_check(&q->r));
	if (n < 0 && !test_and_set_bit(XPV_BLK_BROKEN, &info->flags)) {
		info->lie = q->r.lie;
		lied = true;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	if (lied) {
		/*
		 * Nothing is waited for from a liar: whoever waits on a
		 * request (add_disk()'s partition scan, holding the mutex
		 * fatal_work needs) gets an error now.
		 */
		xpv_blk_abort(info);
		schedule_work(&info->fatal_work);
	} else if (info->gd) {
		blk_mq_start_stopped_hw_queues(info->gd->queue, true);
	}
	return IRQ_HANDLED;
}
