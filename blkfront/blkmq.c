// SPDX-License-Identifier: GPL-2.0-only
/*
 * blk-mq operations of xpv_blkfront: each hardware queue is one ring; a
 * request becomes one blkif request (its pages as segments, indirect when
 * there are more than BLKIF_MAX_SEGMENTS_PER_REQUEST), and a batch is
 * published with one notification, at its last request or in commit_rqs.
 */
#include <xpv/evtchn.h>
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include "blkfront.h"

/* Publish what was queued; notify the backend if it asks for it. */
static void xpv_blk_kick(struct xpv_blk_queue *q)
{
	if (xpv_blk_push(&q->r))
		xpv_evtchn_notify(q->port);
}

/* A read or write: its scatterlist, one segment per (part of a) page. */
static unsigned int xpv_blk_map(struct request *rq, struct xpv_blk_pdu *pdu)
{
	struct scatterlist *sg;
	unsigned int n, i, end;

	n = blk_rq_map_sg(rq->q, rq, pdu->sg);
	for_each_sg(pdu->sg, sg, n, i) {
		/* Limits keep each entry within a page, 512-byte aligned. */
		end = sg->offset + sg->length - 1;
		pdu->segs[i].page = sg_page(sg);
		pdu->segs[i].frame = 0;
		pdu->segs[i].first_sect = sg->offset >> XPV_BLK_SECTOR_SHIFT;
		pdu->segs[i].last_sect = end >> XPV_BLK_SECTOR_SHIFT;
	}
	return n;
}

static int xpv_blk_build(struct xpv_blk_queue *q, struct request *rq,
			 struct xpv_blk_req *req)
{
	struct xpv_blk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	memset(req, 0, sizeof(*req));
	req->cookie = rq;
	req->sector = blk_rq_pos(rq);
	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		req->op = q->info->cfg.flush_op;
		return 0;
	case REQ_OP_SECURE_ERASE:
		req->secure = true;
		fallthrough;
	case REQ_OP_DISCARD:
		req->op = BLKIF_OP_DISCARD;
		req->nr_sectors = blk_rq_sectors(rq);
		return 0;
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		req->op = rq_data_dir(rq) == WRITE ? BLKIF_OP_WRITE :
						     BLKIF_OP_READ;
		req->segs = pdu->segs;
		req->nr_segs = xpv_blk_map(rq, pdu);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* What a refusal of xpv_blk_queue() means for blk-mq. */
static blk_status_t xpv_blk_refused(struct blk_mq_hw_ctx *hctx,
				    struct request *rq, int rc)
{
	switch (rc) {
	case -EBUSY:
		/* Restarted by the interrupt once responses free slots. */
		blk_mq_stop_hw_queue(hctx);
		return BLK_STS_DEV_RESOURCE;
	case -ENOMEM:
	case -ENOSPC:
	case -EAGAIN:
		return BLK_STS_RESOURCE;
	case -EOPNOTSUPP:
		/* A flush the backend turned out not to do: nothing to do. */
		return req_op(rq) == REQ_OP_FLUSH ? BLK_STS_OK :
						    BLK_STS_NOTSUPP;
	default:
		return BLK_STS_IOERR;
	}
}

static blk_status_t xpv_blk_queue_rq(struct blk_mq_hw_ctx *hctx,
				     const struct blk_mq_queue_data *bd)
{
	struct xpv_blk_queue *q = hctx->driver_data;
	struct request *rq = bd->rq;
	struct xpv_blk_req req;
	blk_status_t sts = BLK_STS_OK;
	unsigned long flags;
	int rc;

	blk_mq_start_request(rq);
	rc = xpv_blk_build(q, rq, &req);
	spin_lock_irqsave(&q->lock, flags);
	if (!q->live)
		rc = -EIO;
	else if (!rc)
		rc = xpv_blk_queue(&q->r, &req);
	if (rc < 0)
		sts = xpv_blk_refused(hctx, rq, rc);
	if (q->live && (rc < 0 || bd->last))
		xpv_blk_kick(q);
	spin_unlock_irqrestore(&q->lock, flags);
	if (rc < 0 && sts == BLK_STS_OK) {
		blk_mq_end_request(rq, BLK_STS_OK);
		return BLK_STS_OK;
	}
	return sts;
}

static void xpv_blk_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct xpv_blk_queue *q = hctx->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (q->live)
		xpv_blk_kick(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

static void xpv_blk_complete_rq(struct request *rq)
{
	struct xpv_blk_pdu *pdu = blk_mq_rq_to_pdu(rq);

	blk_mq_end_request(rq, pdu->status);
}

static int xpv_blk_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			     unsigned int index)
{
	struct xpv_blk_info *info = data;

	hctx->driver_data = &info->queues[index];
	return 0;
}

static int xpv_blk_init_request(struct blk_mq_tag_set *set,
				struct request *rq, unsigned int hctx_idx,
				unsigned int numa_node)
{
	struct xpv_blk_info *info = set->driver_data;
	struct xpv_blk_pdu *pdu = blk_mq_rq_to_pdu(rq);
	unsigned int segs = info->cfg.feat.max_segs;

	sg_init_table(pdu->sg, segs);
	pdu->segs = (struct xpv_blk_seg *)&pdu->sg[segs];
	return 0;
}

const struct blk_mq_ops xpv_blk_mq_ops = {
	.queue_rq = xpv_blk_queue_rq,
	.commit_rqs = xpv_blk_commit_rqs,
	.complete = xpv_blk_complete_rq,
	.init_hctx = xpv_blk_init_hctx,
	.init_request = xpv_blk_init_request,
};
