/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Negotiation of an xpv_blkfront disk with its backend, as pure logic: from
 * the xenstore values the backend (and the toolstack) wrote, and the
 * frontend's limits, compute what the disk and its rings will be; and the
 * keys the frontend writes in reply, as data.
 *
 * It comes in two steps, as the backend publishes in two: at probe, what
 * shapes the rings (queues, ring pages: xpv_blk_negotiate_rings()); once the
 * backend is Connected, the disk and its features
 * (xpv_blk_negotiate_disk()); later Connected events may only resize it
 * (xpv_blk_read_sectors()).
 *
 * Nothing here touches xenstore: values come through a lookup callback, so
 * the unit tests feed hostile ones. A value that is not what blkif says it
 * is (not a number, out of range, not a power of two) fails the
 * negotiation with cfg->bad_key naming it, for a clear error.
 */
#ifndef _XPV_BLKFRONT_NEGOTIATE_H
#define _XPV_BLKFRONT_NEGOTIATE_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/grant_table.h>
#include "features.h"

/* Longest value read from xenstore (a u64 has 20 digits). */
#define XPV_BLK_VALUE_MAX 32

/* Largest physical-sector-size taken seriously: 1 MiB. */
#define XPV_BLK_MAX_PHYS_SECTOR (1024U * 1024)

/**
 * enum xpv_blk_side - whose xenstore directory a key is read from
 * @XPV_BLK_BACKEND:  the backend's (otherend): the disk and its features
 * @XPV_BLK_FRONTEND: ours, where the toolstack put virtual-device and such
 */
enum xpv_blk_side {
	XPV_BLK_BACKEND,
	XPV_BLK_FRONTEND,
};

/**
 * struct xpv_blk_store - how negotiation reads xenstore
 * @read: copy the value of @key in @side's directory to @buf, NUL-terminated,
 *        at most @size bytes with the NUL. Return its length, -ENOENT if
 *        there is no such key, -E2BIG if it does not fit, or another
 *        negative errno.
 * @ctx:  argument of @read
 */
struct xpv_blk_store {
	int (*read)(void *ctx, enum xpv_blk_side side, const char *key,
		    char *buf, size_t size);
	void *ctx;
};

/**
 * struct xpv_blk_limits - the frontend's side of the negotiation
 * @online_cpus:       CPUs online (queues beyond that are pointless)
 * @max_queues:        module parameter; 0 means as many as CPUs
 * @max_ring_order:    module parameter: ring pages at most 1 << this
 *                     (itself at most XPV_BLK_MAX_RING_ORDER)
 * @max_indirect_segs: module parameter: segments per request at most; up to
 *                     BLKIF_MAX_SEGMENTS_PER_REQUEST disables indirect
 *                     requests, more is capped at XPV_BLK_MAX_INDIRECT_SEGS
 * @persistent:        offer persistent grants (write feature-persistent = 1)
 * @bounce:            never grant our own pages, whatever the backend
 *                     (an untrusted backend; our "trusted" = 0 does it too)
 */
struct xpv_blk_limits {
	unsigned int online_cpus;
	unsigned int max_queues;
	unsigned int max_ring_order;
	unsigned int max_indirect_segs;
	bool persistent;
	bool bounce;
};

/**
 * struct xpv_blk_config - the negotiated disk
 * @vdevice:              our virtual-device (or virtual-device-ext)
 * @trusted:              our "trusted" key, written by the toolstack
 *                        (libxl: 1 unless told the backend is untrusted);
 *                        absent: untrusted
 * @nr_queues:            rings to set up, 1 to XPV_BLK_MAX_QUEUES
 * @ring_order:           ring-page-order, 0 to XPV_BLK_MAX_RING_ORDER
 * @ring_pages:           pages per ring, 1 << @ring_order
 * @persistent_offer:     we write feature-persistent = 1
 * @sectors:              capacity in 512-byte sectors, whatever sector-size
 * @sector_size:          logical block size: 512 to 4096, a power of two
 * @physical_sector_size: a power of two, @sector_size to 1 MiB
 * @info:                 the backend's VDISK_* bits (unknown ones kept)
 * @readonly:             VDISK_READONLY, or mode "r"
 * @cdrom:                VDISK_CDROM
 * @removable:            VDISK_REMOVABLE
 * @flush:                the disk has a write cache to flush (REQ_OP_FLUSH)
 * @fua:                  writes can be forced to media (REQ_FUA)
 * @flush_op:             the operation a flush or FUA write uses, if @flush:
 *                        BLKIF_OP_FLUSH_DISKCACHE or BLKIF_OP_WRITE_BARRIER
 * @discard_granularity:  bytes, if discards are on (physical sector size
 *                        when the backend says 0 or nothing)
 * @discard_alignment:    bytes, below @discard_granularity
 * @feat:                 what the rings may send (features.h)
 * @bad_key:              on failure, the key at fault
 */
struct xpv_blk_config {
	unsigned int vdevice;
	bool trusted;
	unsigned int nr_queues;
	unsigned int ring_order;
	unsigned int ring_pages;
	bool persistent_offer;
	u64 sectors;
	unsigned int sector_size;
	unsigned int physical_sector_size;
	unsigned int info;
	bool readonly;
	bool cdrom;
	bool removable;
	bool flush;
	bool fua;
	u8 flush_op;
	unsigned int discard_granularity;
	unsigned int discard_alignment;
	struct xpv_blk_features feat;
	const char *bad_key;
};

/**
 * struct xpv_blk_queue_refs - what one ring publishes
 * @ring_ref: grants of its ring pages, config.ring_pages of them
 * @evtchn:   its event channel
 */
struct xpv_blk_queue_refs {
	grant_ref_t ring_ref[XPV_BLK_MAX_RING_PAGES];
	evtchn_port_t evtchn;
};

/**
 * struct xpv_blk_kv - one key for the glue to write in our directory
 * @key:   path relative to the device directory, e.g. "queue-1/ring-ref3"
 * @value: its value
 */
struct xpv_blk_kv {
	char key[32];
	char value[16];
};

/*
 * Keys written at most: ring-page-order, multi-queue-num-queues, per queue
 * its ring-refs and event-channel, protocol, feature-persistent.
 */
#define XPV_BLK_MAX_KEYS \
	(2 + XPV_BLK_MAX_QUEUES * (XPV_BLK_MAX_RING_PAGES + 1) + 2)

int xpv_blk_negotiate_rings(const struct xpv_blk_store *st,
			    const struct xpv_blk_limits *lim,
			    struct xpv_blk_config *cfg);
int xpv_blk_negotiate_disk(const struct xpv_blk_store *st,
			   const struct xpv_blk_limits *lim,
			   struct xpv_blk_config *cfg);
int xpv_blk_read_sectors(const struct xpv_blk_store *st,
			 struct xpv_blk_config *cfg);
int xpv_blk_frontend_keys(const struct xpv_blk_config *cfg,
			  const struct xpv_blk_queue_refs *q,
			  struct xpv_blk_kv *out, unsigned int max);

#endif /* _XPV_BLKFRONT_NEGOTIATE_H */
