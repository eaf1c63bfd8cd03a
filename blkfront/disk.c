// SPDX-License-Identifier: GPL-2.0-only
/*
 * The gendisk of an xpv_blkfront device: /dev/xvdX from the virtual-device
 * number (major 202, 16 minors a disk, as Linux's xen-blkfront), its size,
 * block sizes, read-only and removable flags, and queue limits from the
 * negotiated segments, cache flushes and discards.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/numa.h>
#include "blkfront.h"

/* virtual-device: "extended" numbers carry the disk in bits 8..27. */
#define XPV_BLK_VDEV_EXT BIT(28)
#define XPV_BLK_VDEV_EXT_SHIFT 8
#define XPV_BLK_MAX_DISKS (256U >> XPV_BLK_PARTS_SHIFT)

/**
 * xpv_blk_vdev_index() - the disk number a virtual-device names
 * @vdevice: the toolstack's number: (202 << 8) | (disk << 4), or extended
 * @index:   receives the disk number, 0 for xvda
 *
 * Only whole xvd disks are taken: IDE or SCSI emulation numbers and
 * partitions are refused.
 *
 * Return: 0, or -ENODEV.
 */
int xpv_blk_vdev_index(unsigned int vdevice, unsigned int *index)
{
	unsigned int minor = vdevice & 0xff;

	if (vdevice & XPV_BLK_VDEV_EXT) {
		minor = vdevice & (XPV_BLK_VDEV_EXT - 1);
		if (minor & (BIT(XPV_BLK_VDEV_EXT_SHIFT) - 1))
			return -ENODEV;
		*index = minor >> XPV_BLK_VDEV_EXT_SHIFT;
	} else {
		if (vdevice >> 8 != XPV_BLK_MAJOR ||
		    minor & (BIT(XPV_BLK_PARTS_SHIFT) - 1))
			return -ENODEV;
		*index = minor >> XPV_BLK_PARTS_SHIFT;
	}
	return *index < XPV_BLK_MAX_DISKS ? 0 : -ENODEV;
}

/* xvda ... xvdz, xvdaa ...: as sd names its disks. */
static void xpv_blk_name(char *buf, size_t size, unsigned int index)
{
	char letters[8], *p = letters + sizeof(letters) - 1;
	int unit = index;

	*p = '\0';
	do {
		*--p = 'a' + unit % 26;
		unit = unit / 26 - 1;
	} while (unit >= 0 && p > letters);
	snprintf(buf, size, "xvd%s", p);
}

static const struct block_device_operations xpv_blk_fops = {
	.owner = THIS_MODULE,
};

static void xpv_blk_discard_limits(struct request_queue *rq,
				   const struct xpv_blk_config *cfg)
{
	if (!cfg->feat.discard)
		return;
	blk_queue_max_discard_sectors(rq, UINT_MAX >> SECTOR_SHIFT);
	rq->limits.discard_granularity = cfg->discard_granularity;
	rq->limits.discard_alignment = cfg->discard_alignment;
	if (cfg->feat.secure_discard)
		blk_queue_max_secure_erase_sectors(rq,
						   UINT_MAX >> SECTOR_SHIFT);
}

static void xpv_blk_queue_limits(struct request_queue *rq,
				 const struct xpv_blk_config *cfg)
{
	unsigned int segs = cfg->feat.max_segs;

	blk_queue_flag_set(QUEUE_FLAG_VIRT, rq);
	blk_queue_logical_block_size(rq, cfg->sector_size);
	blk_queue_physical_block_size(rq, cfg->physical_sector_size);
	/* One segment is at most a page, within a page: a blkif segment. */
	blk_queue_max_hw_sectors(rq, segs * XPV_XEN_PAGE_SIZE >> SECTOR_SHIFT);
	blk_queue_segment_boundary(rq, PAGE_SIZE - 1);
	blk_queue_max_segment_size(rq, PAGE_SIZE);
	blk_queue_max_segments(rq, segs);
	blk_queue_dma_alignment(rq, SECTOR_SIZE - 1);
	/* FUA is left to blk-mq: a write, then a flush. */
	blk_queue_write_cache(rq, cfg->flush, false);
	xpv_blk_discard_limits(rq, cfg);
}

static int xpv_blk_alloc_tags(struct xpv_blk_info *info)
{
	struct blk_mq_tag_set *set = &info->tag_set;
	unsigned int segs = info->cfg.feat.max_segs;

	memset(set, 0, sizeof(*set));
	set->ops = &xpv_blk_mq_ops;
	set->nr_hw_queues = info->nr_queues;
	set->queue_depth = xpv_blk_ring_entries(info->cfg.ring_pages *
						XPV_XEN_PAGE_SIZE);
	set->numa_node = NUMA_NO_NODE;
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->cmd_size = sizeof(struct xpv_blk_pdu) +
			segs * (sizeof(struct scatterlist) +
				sizeof(struct xpv_blk_seg));
	set->driver_data = info;
	return blk_mq_alloc_tag_set(set);
}

static void xpv_blk_announce(const struct xpv_blk_info *info)
{
	const struct xpv_blk_config *c = &info->cfg;

	dev_info(&info->xdev->dev, "%s: %llu sectors of %u bytes (physical %u)%s%s%s, %u queue(s) of %u page(s), %u segments per request; flush %s, discard %s, persistent grants %s, bounce %s\n",
		 info->gd->disk_name, c->sectors, c->sector_size,
		 c->physical_sector_size, c->readonly ? ", read-only" : "",
		 c->removable ? ", removable" : "", c->cdrom ? ", cdrom" : "",
		 info->nr_queues, c->ring_pages, c->feat.max_segs,
		 !c->flush ? "off" :
		 c->flush_op == BLKIF_OP_WRITE_BARRIER ? "barrier" : "cache",
		 c->feat.discard ? "on" : "off", c->feat.persistent ? "on" : "off",
		 c->feat.bounce ? "on" : "off");
}

/**
 * xpv_blk_add_disk() - create and add the gendisk of a connected device
 * @info: the disk, its rings started
 *
 * Context: process context, @info->mutex held.
 * Return: 0, or a negative errno (nothing left behind).
 */
int xpv_blk_add_disk(struct xpv_blk_info *info)
{
	const struct xpv_blk_config *cfg = &info->cfg;
	struct gendisk *gd;
	int rc;

	rc = xpv_blk_alloc_tags(info);
	if (rc)
		return rc;
	gd = blk_mq_alloc_disk(&info->tag_set, info);
	if (IS_ERR(gd)) {
		blk_mq_free_tag_set(&info->tag_set);
		return PTR_ERR(gd);
	}
	gd->major = XPV_BLK_MAJOR;
	gd->first_minor = info->index << XPV_BLK_PARTS_SHIFT;
	gd->minors = BIT(XPV_BLK_PARTS_SHIFT);
	gd->fops = &xpv_blk_fops;
	gd->private_data = info;
	xpv_blk_name(gd->disk_name, sizeof(gd->disk_name), info->index);
	if (cfg->removable)
		gd->flags |= GENHD_FL_REMOVABLE;
	set_capacity(gd, cfg->sectors);
	set_disk_ro(gd, cfg->readonly);
	xpv_blk_queue_limits(gd->queue, cfg);
	info->gd = gd;
	rc = device_add_disk(&info->xdev->dev, gd, NULL);
	if (rc) {
		info->gd = NULL;
		put_disk(gd);
		blk_mq_free_tag_set(&info->tag_set);
		return rc;
	}
	xpv_blk_announce(info);
	xpv_blk_debugfs_add(info);
	return 0;
}

/**
 * xpv_blk_del_disk() - remove the gendisk
 * @info: the disk, its rings stopped (requests fail at once)
 *
 * Queues stopped for want of ring slots are restarted first, so whatever
 * waits in them fails instead of holding the removal up. An opener keeps
 * the struct gendisk until it closes; its I/O fails.
 *
 * Context: process context, @info->mutex held.
 */
void xpv_blk_del_disk(struct xpv_blk_info *info)
{
	struct gendisk *gd = info->gd;

	if (!gd)
		return;
	xpv_blk_debugfs_del(info);
	blk_mq_start_stopped_hw_queues(gd->queue, true);
	del_gendisk(gd);
	blk_mq_free_tag_set(&info->tag_set);
	put_disk(gd);
	info->gd = NULL;
}

/**
 * xpv_blk_feature_off() - the backend refused a flush or discard: stop them
 * @info: the disk
 * @op:   BLKIF_OP_DISCARD, or a flush operation
 *
 * Context: any (the interrupt), a ring lock held.
 */
void xpv_blk_feature_off(struct xpv_blk_info *info, u8 op)
{
	struct request_queue *rq;

	if (!info->gd)
		return;
	rq = info->gd->queue;
	if (op == BLKIF_OP_DISCARD) {
		blk_queue_max_discard_sectors(rq, 0);
		blk_queue_max_secure_erase_sectors(rq, 0);
	} else {
		blk_queue_write_cache(rq, false, false);
	}
	dev_warn_ratelimited(&info->xdev->dev, "%s: backend cannot %s: off\n",
			     info->gd->disk_name,
			     op == BLKIF_OP_DISCARD ? "discard" : "flush");
}
