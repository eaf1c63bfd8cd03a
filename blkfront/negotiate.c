// SPDX-License-Identifier: GPL-2.0-only
/*
 * Negotiation of an xpv_blkfront disk with its backend: the backend's
 * xenstore values, checked, become a struct xpv_blk_config; the config
 * becomes the keys the frontend writes. See negotiate.h.
 *
 * Only keys that matter are read: discard details only with
 * feature-discard, the backend's feature-persistent only if we offered it.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/parse.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <xen/interface/io/protocols.h>
#include "negotiate.h"

static_assert(sizeof(XEN_IO_PROTO_ABI_NATIVE) <=
	      sizeof(((struct xpv_blk_kv *)0)->value),
	      "the protocol name fits a key's value");
static_assert(XPV_BLK_MAX_RING_PAGES == 1U << XPV_BLK_MAX_RING_ORDER,
	      "ring pages and order agree");

static bool xpv_blk_pow2(unsigned int v)
{
	return v && !(v & (v - 1));
}

static int xpv_blk_bad(struct xpv_blk_config *cfg, const char *key, int rc)
{
	cfg->bad_key = key;
	return rc;
}

/*
 * The raw value of a key into @buf (XPV_BLK_VALUE_MAX bytes): its length,
 * or -ENOENT if absent (the caller decides), or an error naming the key.
 */
static int xpv_blk_get_str(const struct xpv_blk_store *st,
			   enum xpv_blk_side side, const char *key, char *buf,
			   struct xpv_blk_config *cfg)
{
	int rc = st->read(st->ctx, side, key, buf, XPV_BLK_VALUE_MAX);

	if (rc == -ENOENT)
		return rc;
	if (rc >= 0 && rc < XPV_BLK_VALUE_MAX && !buf[rc])
		return rc;
	return xpv_blk_bad(cfg, key, rc >= 0 || rc == -E2BIG ? -EINVAL : rc);
}

/* A number: 0, -ENOENT if absent, or an error naming the key. */
static int xpv_blk_get_u64(const struct xpv_blk_store *st,
			   enum xpv_blk_side side, const char *key, u64 *val,
			   struct xpv_blk_config *cfg)
{
	char buf[XPV_BLK_VALUE_MAX];
	int rc = xpv_blk_get_str(st, side, key, buf, cfg);

	if (rc < 0)
		return rc;
	if (xpv_parse_u64(buf, U64_MAX, val))
		return xpv_blk_bad(cfg, key, -EINVAL);
	return 0;
}

/* A 32-bit number: 0, -ENOENT if absent, or an error naming the key. */
static int xpv_blk_get_uint(const struct xpv_blk_store *st,
			    enum xpv_blk_side side, const char *key,
			    unsigned int *val, struct xpv_blk_config *cfg)
{
	u64 v;
	int rc = xpv_blk_get_u64(st, side, key, &v, cfg);

	if (rc)
		return rc;
	if (v > 0xffffffffULL)
		return xpv_blk_bad(cfg, key, -EINVAL);
	*val = v;
	return 0;
}

/* A 32-bit number, @def if absent. */
static int xpv_blk_opt_uint(const struct xpv_blk_store *st,
			    enum xpv_blk_side side, const char *key,
			    unsigned int def, unsigned int *val,
			    struct xpv_blk_config *cfg)
{
	int rc = xpv_blk_get_uint(st, side, key, val, cfg);

	if (rc == -ENOENT) {
		*val = def;
		return 0;
	}
	return rc;
}

/* A 32-bit number that must be there. */
static int xpv_blk_req_uint(const struct xpv_blk_store *st, const char *key,
			    unsigned int *val, struct xpv_blk_config *cfg)
{
	int rc = xpv_blk_get_uint(st, XPV_BLK_BACKEND, key, val, cfg);

	return rc == -ENOENT ? xpv_blk_bad(cfg, key, rc) : rc;
}

/* A flag: absent is @def, else "0" or "1". */
static int xpv_blk_opt_bool(const struct xpv_blk_store *st,
			    enum xpv_blk_side side, const char *key, bool def,
			    bool *val, struct xpv_blk_config *cfg)
{
	unsigned int v;
	int rc = xpv_blk_opt_uint(st, side, key, def, &v, cfg);

	if (rc)
		return rc;
	if (v > 1)
		return xpv_blk_bad(cfg, key, -EINVAL);
	*val = v;
	return 0;
}

static int xpv_blk_vdevice(const struct xpv_blk_store *st,
			   struct xpv_blk_config *cfg)
{
	int rc;

	rc = xpv_blk_get_uint(st, XPV_BLK_FRONTEND, "virtual-device",
			      &cfg->vdevice, cfg);
	if (rc == -ENOENT)
		rc = xpv_blk_get_uint(st, XPV_BLK_FRONTEND,
				      "virtual-device-ext", &cfg->vdevice, cfg);
	if (rc == -ENOENT)
		return xpv_blk_bad(cfg, "virtual-device", rc);
	/* As Linux: requests carry the low 16 bits. */
	cfg->feat.handle = (blkif_vdev_t)cfg->vdevice;
	return rc;
}

static int xpv_blk_queues(const struct xpv_blk_store *st,
			  const struct xpv_blk_limits *lim,
			  struct xpv_blk_config *cfg)
{
	unsigned int n, cpus = lim->online_cpus ? lim->online_cpus : 1;
	int rc;

	/* Absent: one queue, as before multi-queue. Present: at least one. */
	rc = xpv_blk_opt_uint(st, XPV_BLK_BACKEND, "multi-queue-max-queues",
			      1, &n, cfg);
	if (rc)
		return rc;
	if (!n)
		return xpv_blk_bad(cfg, "multi-queue-max-queues", -EINVAL);
	if (lim->max_queues && n > lim->max_queues)
		n = lim->max_queues;
	if (n > cpus)
		n = cpus;
	if (n > XPV_BLK_MAX_QUEUES)
		n = XPV_BLK_MAX_QUEUES;
	cfg->nr_queues = n;
	return 0;
}

static int xpv_blk_ring_order(const struct xpv_blk_store *st,
			      const struct xpv_blk_limits *lim,
			      struct xpv_blk_config *cfg)
{
	unsigned int order;
	int rc;

	rc = xpv_blk_opt_uint(st, XPV_BLK_BACKEND, "max-ring-page-order", 0,
			      &order, cfg);
	if (rc)
		return rc;
	if (order > lim->max_ring_order)
		order = lim->max_ring_order;
	if (order > XPV_BLK_MAX_RING_ORDER)
		order = XPV_BLK_MAX_RING_ORDER;
	cfg->ring_order = order;
	cfg->ring_pages = 1U << order;
	return 0;
}

/**
 * xpv_blk_negotiate_rings() - the shape of the rings, at probe
 * @st:  reads the backend's keys and ours
 * @lim: the frontend's limits and module parameters
 * @cfg: receives the result, cleared first (on failure, @cfg->bad_key
 *       names the key)
 *
 * Reads our virtual-device (or virtual-device-ext) and trusted, the
 * backend's multi-queue-max-queues and max-ring-page-order: enough to set
 * up the rings and write the frontend's keys.
 *
 * Return: 0; -ENOENT if we have no virtual-device; -EINVAL if a value is
 * garbage or out of range; or the error of @st->read().
 */
int xpv_blk_negotiate_rings(const struct xpv_blk_store *st,
			    const struct xpv_blk_limits *lim,
			    struct xpv_blk_config *cfg)
{
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	cfg->persistent_offer = lim->persistent;
	rc = xpv_blk_vdevice(st, cfg);
	rc = rc ?: xpv_blk_opt_bool(st, XPV_BLK_FRONTEND, "trusted", false,
				    &cfg->trusted, cfg);
	rc = rc ?: xpv_blk_queues(st, lim, cfg);
	rc = rc ?: xpv_blk_ring_order(st, lim, cfg);
	return rc;
}

/**
 * xpv_blk_read_sectors() - the disk's capacity
 * @st:  reads the backend's keys
 * @cfg: @cfg->sectors receives it (unchanged on failure, and @cfg->bad_key
 *       is "sectors")
 *
 * Called by xpv_blk_negotiate_disk(), and by the glue alone when a
 * Connected backend signals a resize.
 *
 * Return: 0; -ENOENT if absent; -EINVAL if garbage or beyond 2^64 bytes; or
 * the error of @st->read().
 */
int xpv_blk_read_sectors(const struct xpv_blk_store *st,
			 struct xpv_blk_config *cfg)
{
	u64 n;
	int rc = xpv_blk_get_u64(st, XPV_BLK_BACKEND, "sectors", &n, cfg);

	if (rc == -ENOENT)
		return xpv_blk_bad(cfg, "sectors", rc);
	if (rc)
		return rc;
	if (n > (~0ULL >> XPV_BLK_SECTOR_SHIFT))
		return xpv_blk_bad(cfg, "sectors", -EINVAL);
	cfg->sectors = n;
	return 0;
}

static int xpv_blk_geometry(const struct xpv_blk_store *st,
			    struct xpv_blk_config *cfg)
{
	unsigned int ss, pss;
	int rc;

	rc = xpv_blk_read_sectors(st, cfg);
	rc = rc ?: xpv_blk_req_uint(st, "info", &cfg->info, cfg);
	rc = rc ?: xpv_blk_req_uint(st, "sector-size", &ss, cfg);
	if (rc)
		return rc;
	if (ss < 512 || ss > XPV_XEN_PAGE_SIZE || !xpv_blk_pow2(ss))
		return xpv_blk_bad(cfg, "sector-size", -EINVAL);
	rc = xpv_blk_opt_uint(st, XPV_BLK_BACKEND, "physical-sector-size", ss,
			      &pss, cfg);
	if (rc)
		return rc;
	if (pss < ss || pss > XPV_BLK_MAX_PHYS_SECTOR || !xpv_blk_pow2(pss))
		return xpv_blk_bad(cfg, "physical-sector-size", -EINVAL);
	cfg->sector_size = ss;
	cfg->physical_sector_size = pss;
	/* Unknown VDISK_* bits are kept in info, and otherwise ignored. */
	cfg->readonly = cfg->info & VDISK_READONLY;
	cfg->cdrom = cfg->info & VDISK_CDROM;
	cfg->removable = cfg->info & VDISK_REMOVABLE;
	return 0;
}

/* The toolstack's "mode", the backend's copy first: "r" or "w". */
static int xpv_blk_mode(const struct xpv_blk_store *st,
			struct xpv_blk_config *cfg)
{
	char buf[XPV_BLK_VALUE_MAX];
	int rc;

	rc = xpv_blk_get_str(st, XPV_BLK_BACKEND, "mode", buf, cfg);
	if (rc == -ENOENT)
		rc = xpv_blk_get_str(st, XPV_BLK_FRONTEND, "mode", buf, cfg);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	if (!strcmp(buf, "r"))
		cfg->readonly = true;
	else if (strcmp(buf, "w"))
		return xpv_blk_bad(cfg, "mode", -EINVAL);
	return 0;
}

static int xpv_blk_flush(const struct xpv_blk_store *st,
			 struct xpv_blk_config *cfg)
{
	bool barrier, cache;
	int rc;

	rc = xpv_blk_opt_bool(st, XPV_BLK_BACKEND, "feature-barrier", false,
			      &barrier, cfg);
	rc = rc ?: xpv_blk_opt_bool(st, XPV_BLK_BACKEND, "feature-flush-cache",
				    false, &cache, cfg);
	if (rc)
		return rc;
	/* As Linux: a cache flush if offered, else barriers (flush + FUA). */
	cfg->feat.flush_cache = cache;
	cfg->feat.barrier = barrier && !cache;
	cfg->flush = cache || barrier;
	cfg->fua = cfg->feat.barrier;
	cfg->flush_op = cfg->feat.barrier ? BLKIF_OP_WRITE_BARRIER :
					    BLKIF_OP_FLUSH_DISKCACHE;
	return 0;
}

static int xpv_blk_discard(const struct xpv_blk_store *st,
			   struct xpv_blk_config *cfg)
{
	unsigned int gran, align;
	bool on, secure;
	int rc;

	rc = xpv_blk_opt_bool(st, XPV_BLK_BACKEND, "feature-discard", false,
			      &on, cfg);
	if (rc || !on)
		return rc;
	rc = xpv_blk_opt_uint(st, XPV_BLK_BACKEND, "discard-granularity", 0,
			      &gran, cfg);
	rc = rc ?: xpv_blk_opt_uint(st, XPV_BLK_BACKEND, "discard-alignment",
				    0, &align, cfg);
	rc = rc ?: xpv_blk_opt_bool(st, XPV_BLK_BACKEND, "discard-secure",
				    false, &secure, cfg);
	if (rc)
		return rc;
	if (!gran)
		gran = cfg->physical_sector_size;
	if (gran % cfg->sector_size)
		return xpv_blk_bad(cfg, "discard-granularity", -EINVAL);
	if (align % 512 || align >= gran)
		return xpv_blk_bad(cfg, "discard-alignment", -EINVAL);
	cfg->discard_granularity = gran;
	cfg->discard_alignment = align;
	cfg->feat.discard = true;
	cfg->feat.secure_discard = secure;
	return 0;
}

static int xpv_blk_segments(const struct xpv_blk_store *st,
			    const struct xpv_blk_limits *lim,
			    struct xpv_blk_config *cfg)
{
	unsigned int n, max = lim->max_indirect_segs;
	int rc;

	rc = xpv_blk_opt_uint(st, XPV_BLK_BACKEND,
			      "feature-max-indirect-segments", 0, &n, cfg);
	if (rc)
		return rc;
	if (max > XPV_BLK_MAX_INDIRECT_SEGS)
		max = XPV_BLK_MAX_INDIRECT_SEGS;
	if (n > max)
		n = max;
	cfg->feat.max_segs = n > BLKIF_MAX_SEGMENTS_PER_REQUEST ?
			     n : BLKIF_MAX_SEGMENTS_PER_REQUEST;
	return 0;
}

static int xpv_blk_persistent(const struct xpv_blk_store *st,
			      const struct xpv_blk_limits *lim,
			      struct xpv_blk_config *cfg)
{
	bool be = false;
	int rc = 0;

	if (cfg->persistent_offer)
		rc = xpv_blk_opt_bool(st, XPV_BLK_BACKEND, "feature-persistent",
				      false, &be, cfg);
	if (rc)
		return rc;
	cfg->feat.persistent = be;
	/* Persistent grants are of our pages: the data has to be copied. */
	cfg->feat.bounce = lim->bounce || !cfg->trusted || be;
	return 0;
}

/* Clear what xpv_blk_negotiate_disk() computes, keep the rings' shape. */
static void xpv_blk_reset_disk(struct xpv_blk_config *cfg)
{
	struct xpv_blk_config keep = *cfg;

	memset(cfg, 0, sizeof(*cfg));
	cfg->vdevice = keep.vdevice;
	cfg->trusted = keep.trusted;
	cfg->nr_queues = keep.nr_queues;
	cfg->ring_order = keep.ring_order;
	cfg->ring_pages = keep.ring_pages;
	cfg->persistent_offer = keep.persistent_offer;
	cfg->feat.handle = keep.feat.handle;
}

/**
 * xpv_blk_negotiate_disk() - the disk and its features, once Connected
 * @st:  reads the backend's keys and ours
 * @lim: the frontend's limits and module parameters
 * @cfg: the result of xpv_blk_negotiate_rings(), completed (on failure,
 *       @cfg->bad_key names the key)
 *
 * Reads sectors, info, sector-size (all required), physical-sector-size,
 * mode, feature-barrier, feature-flush-cache, feature-discard (and its
 * discard-granularity, -alignment, -secure), feature-max-indirect-segments
 * and, if we offered it, feature-persistent.
 *
 * Return: 0; -ENOENT if a required key is missing; -EINVAL if a value is
 * garbage or out of range; or the error of @st->read().
 */
int xpv_blk_negotiate_disk(const struct xpv_blk_store *st,
			   const struct xpv_blk_limits *lim,
			   struct xpv_blk_config *cfg)
{
	int rc;

	xpv_blk_reset_disk(cfg);
	rc = xpv_blk_geometry(st, cfg);
	rc = rc ?: xpv_blk_mode(st, cfg);
	rc = rc ?: xpv_blk_flush(st, cfg);
	rc = rc ?: xpv_blk_discard(st, cfg);
	rc = rc ?: xpv_blk_segments(st, lim, cfg);
	rc = rc ?: xpv_blk_persistent(st, lim, cfg);
	return rc;
}

static int xpv_blk_key(struct xpv_blk_kv *out, unsigned int max,
		       unsigned int *n, const char *dir, const char *key,
		       const char *value)
{
	struct xpv_blk_kv *kv;

	if (*n >= max)
		return -ENOSPC;
	kv = &out[(*n)++];
	scnprintf(kv->key, sizeof(kv->key), "%s%s", dir, key);
	scnprintf(kv->value, sizeof(kv->value), "%s", value);
	return 0;
}

static int xpv_blk_key_u(struct xpv_blk_kv *out, unsigned int max,
			 unsigned int *n, const char *dir, const char *key,
			 unsigned int value)
{
	char v[16];

	scnprintf(v, sizeof(v), "%u", value);
	return xpv_blk_key(out, max, n, dir, key, v);
}

static int xpv_blk_queue_keys(const struct xpv_blk_config *cfg,
			      const struct xpv_blk_queue_refs *q,
			      unsigned int i, struct xpv_blk_kv *out,
			      unsigned int max, unsigned int *n)
{
	char dir[16] = "", name[16];
	unsigned int p;
	int rc = 0;

	/* One queue: the keys at the top, for backends without multi-queue. */
	if (cfg->nr_queues > 1)
		scnprintf(dir, sizeof(dir), "queue-%u/", i);
	if (cfg->ring_pages == 1)
		rc = xpv_blk_key_u(out, max, n, dir, "ring-ref", q->ring_ref[0]);
	for (p = 0; cfg->ring_pages > 1 && !rc && p < cfg->ring_pages; p++) {
		scnprintf(name, sizeof(name), "ring-ref%u", p);
		rc = xpv_blk_key_u(out, max, n, dir, name, q->ring_ref[p]);
	}
	return rc ?: xpv_blk_key_u(out, max, n, dir, "event-channel",
				   q->evtchn);
}

/**
 * xpv_blk_frontend_keys() - the keys to write in our directory, in order
 * @cfg: the rings' shape (xpv_blk_negotiate_rings())
 * @q:   each queue's ring grants and event channel (@cfg->nr_queues)
 * @out: receives the keys
 * @max: room in @out (XPV_BLK_MAX_KEYS is always enough)
 *
 * ring-page-order if a ring has more than one page; multi-queue-num-queues
 * and queue-N/ directories if there is more than one queue; per queue
 * ring-ref (one page) or ring-ref0..N, and event-channel; protocol (the
 * native ABI, XEN_IO_PROTO_ABI_NATIVE); feature-persistent.
 *
 * Return: the number of keys; -EINVAL for a config no negotiation makes;
 * -ENOSPC if @max is too small.
 */
int xpv_blk_frontend_keys(const struct xpv_blk_config *cfg,
			  const struct xpv_blk_queue_refs *q,
			  struct xpv_blk_kv *out, unsigned int max)
{
	unsigned int i, n = 0;
	int rc = 0;

	if (!cfg->nr_queues || cfg->nr_queues > XPV_BLK_MAX_QUEUES ||
	    cfg->ring_order > XPV_BLK_MAX_RING_ORDER ||
	    cfg->ring_pages != 1U << cfg->ring_order)
		return -EINVAL;
	if (cfg->ring_pages > 1)
		rc = xpv_blk_key_u(out, max, &n, "", "ring-page-order",
				   cfg->ring_order);
	if (!rc && cfg->nr_queues > 1)
		rc = xpv_blk_key_u(out, max, &n, "", "multi-queue-num-queues",
				   cfg->nr_queues);
	for (i = 0; !rc && i < cfg->nr_queues; i++)
		rc = xpv_blk_queue_keys(cfg, &q[i], i, out, max, &n);
	rc = rc ?: xpv_blk_key(out, max, &n, "", "protocol",
			       XEN_IO_PROTO_ABI_NATIVE);
	rc = rc ?: xpv_blk_key_u(out, max, &n, "", "feature-persistent",
				 cfg->persistent_offer);
	return rc ?: (int)n;
}
