// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs of xpv_blkfront: /sys/kernel/debug/xpv_blkfront/<disk>/features
 * (what was negotiated) and counters (the rings' sums, earlier connections
 * included, one "name: value" a line as xpv_blk_counter_names[] names them).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "blkfront.h"

static struct dentry *xpv_blk_dbg_root;

static int xpv_blk_features_show(struct seq_file *m, void *v)
{
	struct xpv_blk_info *info = m->private;
	const struct xpv_blk_config *c = &info->cfg;

	seq_printf(m, "vdevice: %u\nqueues: %u\nring_pages: %u\n",
		   c->vdevice, info->nr_queues, c->ring_pages);
	seq_printf(m, "sectors: %llu\nsector_size: %u\nphysical_sector_size: %u\n",
		   c->sectors, c->sector_size, c->physical_sector_size);
	seq_printf(m, "readonly: %d\nremovable: %d\ncdrom: %d\n",
		   c->readonly, c->removable, c->cdrom);
	seq_printf(m, "max_segments: %u\nindirect: %d\npersistent: %d\nbounce: %d\n",
		   c->feat.max_segs,
		   c->feat.max_segs > BLKIF_MAX_SEGMENTS_PER_REQUEST,
		   c->feat.persistent, c->feat.bounce);
	seq_printf(m, "flush: %s\ndiscard: %d\nsecure_discard: %d\n",
		   !c->flush ? "none" : c->flush_op == BLKIF_OP_WRITE_BARRIER ?
		   "barrier" : "flush-cache",
		   c->feat.discard, c->feat.secure_discard);
	seq_printf(m, "discard_granularity: %u\ndiscard_alignment: %u\n",
		   c->discard_granularity, c->discard_alignment);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xpv_blk_features);

static int xpv_blk_counters_show(struct seq_file *m, void *v)
{
	struct xpv_blk_info *info = m->private;
	struct xpv_blk_counters sum = info->old_cnt;
	struct xpv_blk_queue *q;
	unsigned int i;

	for (i = 0; i < info->nr_queues; i++) {
		q = &info->queues[i];
		spin_lock_irq(&q->lock);
		xpv_blk_counters_add(&sum, &q->cnt);
		spin_unlock_irq(&q->lock);
	}
	for (i = 0; i < XPV_BLK_NR_COUNTERS; i++)
		seq_printf(m, "%s: %llu\n", xpv_blk_counter_names[i],
			   xpv_blk_counter_get(&sum, i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xpv_blk_counters);

/**
 * xpv_blk_debugfs_add() - the disk's directory and files
 * @info: the disk, its gendisk added
 */
void xpv_blk_debugfs_add(struct xpv_blk_info *info)
{
	info->dbg = debugfs_create_dir(info->gd->disk_name, xpv_blk_dbg_root);
	debugfs_create_file("features", 0444, info->dbg, info,
			    &xpv_blk_features_fops);
	debugfs_create_file("counters", 0444, info->dbg, info,
			    &xpv_blk_counters_fops);
}

/**
 * xpv_blk_debugfs_del() - remove the disk's directory
 * @info: the disk
 *
 * Waits for readers of its files to finish.
 */
void xpv_blk_debugfs_del(struct xpv_blk_info *info)
{
	debugfs_remove(info->dbg);
	info->dbg = NULL;
}

/**
 * xpv_blk_debugfs_init() - /sys/kernel/debug/xpv_blkfront
 */
void xpv_blk_debugfs_init(void)
{
	xpv_blk_dbg_root = debugfs_create_dir(XPV_BLK_DRV_NAME, NULL);
}

/**
 * xpv_blk_debugfs_exit() - remove it
 */
void xpv_blk_debugfs_exit(void)
{
	debugfs_remove(xpv_blk_dbg_root);
}
