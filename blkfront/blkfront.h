/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xpv_blkfront's OS glue: the state shared by its files.
 *
 *   main.c     module, parameters, the xenbus driver and its state machine
 *   connect.c  negotiation through xenstore, rings set up and torn down
 *   blkmq.c    blk-mq operations: block requests onto the rings
 *   complete.c the event channel's IRQ: responses, completions; the hooks
 *              the request logic calls (grants, bounce pages, copies)
 *   disk.c     the gendisk: name, limits, features, capacity
 *   debugfs.c  negotiated features and counters
 *
 * The ring and protocol logic is in the pure files (request.c, shadow.c,
 * persistent.c, negotiate.c, counters.c), shared with tests/unit.
 */
#ifndef _XPV_BLKFRONT_BLKFRONT_H
#define _XPV_BLKFRONT_BLKFRONT_H

#include <xpv/xpv.h>
#include <xpv/xenbus.h>
#include <linux/blk-mq.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "counters.h"
#include "negotiate.h"
#include "persistent.h"
#include "request.h"

#define XPV_BLK_DRV_NAME "xpv_blkfront"

/* Xen virtual block devices: major 202, 16 minors (15 partitions) each. */
#define XPV_BLK_MAJOR 202
#define XPV_BLK_PARTS_SHIFT 4

/*
 * Grants of a ring's pools (data and indirect pages) at most: what blkback
 * keeps mapped per ring by default (max_persistent_grants), so that with
 * persistent grants it never has to unmap and map ours again.
 */
#define XPV_BLK_MAX_PGRANTS 1056U

struct xpv_blk_info;

/**
 * struct xpv_blk_queue - one ring, and the blk-mq hardware queue on it
 * @info:     the disk
 * @id:       its index
 * @lock:     serialises the request logic (@r) and @live
 * @live:     @r is set up and the backend may be sent requests
 * @r:        the request logic
 * @sring:    the shared ring pages
 * @ring_ref: their grants
 * @port:     the event channel
 * @irq:      its IRQ, 0 if unbound
 * @shadow:   memory of the shadow table
 * @pool:     persistent grants for data
 * @ind_pool: indirect pages
 * @pool_ent: entries of @pool; @ind_ent: of @ind_pool
 * @ind_ent:  see @pool_ent
 * @cnt:      counters
 * @irq_name: "<disk>-q<id>"
 */
struct xpv_blk_queue {
	struct xpv_blk_info *info;
	unsigned int id;
	spinlock_t lock;	/* the request logic and @live */
	bool live;
	struct xpv_blk_ring r;
	void *sring;
	grant_ref_t ring_ref[XPV_BLK_MAX_RING_PAGES];
	evtchn_port_t port;
	int irq;
	void *shadow;
	struct xpv_blk_pool pool;
	struct xpv_blk_pool ind_pool;
	struct xpv_blk_pgrant *pool_ent;
	struct xpv_blk_pgrant *ind_ent;
	struct xpv_blk_counters cnt;
	char irq_name[32];
};

/**
 * struct xpv_blk_pdu - what blk-mq keeps with each request for us
 * @status: how it ended
 * @segs:   its segments for the request logic (max_segs of them)
 * @sg:     its scatterlist (max_segs entries)
 */
struct xpv_blk_pdu {
	blk_status_t status;
	struct xpv_blk_seg *segs;
	struct scatterlist sg[];
};

/**
 * struct xpv_blk_info - one disk
 * @xdev:       its xenbus device
 * @mutex:      serialises connection, disconnection and resize
 * @cfg:        the negotiated configuration
 * @queues:     the rings, NULL while disconnected
 * @nr_queues:  how many
 * @tag_set:    blk-mq tags, set up while @gd exists
 * @gd:         the disk, NULL while disconnected
 * @index:      its number: 0 for xvda
 * @fatal_work: reports a lying backend and shuts the device down
 * @flags:      XPV_BLK_BROKEN: a ring's backend lied, @lie is set
 * @lie:        what it did
 * @dbg:        debugfs directory
 * @old_cnt:    counters of the rings of earlier connections
 */
struct xpv_blk_info {
	struct xpv_xenbus_device *xdev;
	struct mutex mutex;	/* connection, disconnection, resize */
	struct xpv_blk_config cfg;
	struct xpv_blk_queue *queues;
	unsigned int nr_queues;
	struct blk_mq_tag_set tag_set;
	struct gendisk *gd;
	unsigned int index;
	struct work_struct fatal_work;
	unsigned long flags;
	struct xpv_blk_lie lie;
	struct dentry *dbg;
	struct xpv_blk_counters old_cnt;
};

#define XPV_BLK_BROKEN 0

/* main.c */
extern unsigned int xpv_blk_max_queues;
extern unsigned int xpv_blk_max_indirect;
extern unsigned int xpv_blk_max_ring_order;

/* connect.c */
int xpv_blk_setup_rings(struct xpv_blk_info *info);
int xpv_blk_connect(struct xpv_blk_info *info);
void xpv_blk_disconnect(struct xpv_blk_info *info);
void xpv_blk_abort(struct xpv_blk_info *info);
void xpv_blk_resize(struct xpv_blk_info *info);

/* blkmq.c */
extern const struct blk_mq_ops xpv_blk_mq_ops;

/* complete.c */
extern const struct xpv_blk_ops xpv_blk_ops;
irqreturn_t xpv_blk_interrupt(int irq, void *dev_id);

/* disk.c */
int xpv_blk_vdev_index(unsigned int vdevice, unsigned int *index);
int xpv_blk_add_disk(struct xpv_blk_info *info);
void xpv_blk_del_disk(struct xpv_blk_info *info);
void xpv_blk_feature_off(struct xpv_blk_info *info, u8 op);

/* debugfs.c */
void xpv_blk_debugfs_init(void);
void xpv_blk_debugfs_exit(void);
void xpv_blk_debugfs_add(struct xpv_blk_info *info);
void xpv_blk_debugfs_del(struct xpv_blk_info *info);

#endif /* _XPV_BLKFRONT_BLKFRONT_H */
