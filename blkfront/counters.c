// SPDX-License-Identifier: GPL-2.0-only
/*
 * Counters of one xpv_blkfront ring: names for sysfs/debugfs, sums over the
 * rings of a disk, and the record of the backend's last protocol violation.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/xpv.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include "counters.h"

/* Every u64 of struct xpv_blk_counters, in memory order. */
const char *const xpv_blk_counter_names[] = {
	"requests", "reads", "writes", "flushes", "discards", "segments",
	"indirect", "indirect_pages", "bounced",
	"pgrant_hits", "pgrant_misses", "pgrant_full",
	"ipool_hits", "ipool_misses", "ipool_full",
	"kicks", "ring_full", "grant_fail", "completed", "errors", "notsupp",
	"aborted", "lies",
};

static_assert(ARRAY_SIZE(xpv_blk_counter_names) == XPV_BLK_NR_COUNTERS,
	      "a counter without a name, or a name without a counter");
static_assert(sizeof(struct xpv_blk_counters) % sizeof(u64) == 0,
	      "counters are u64 only");
static_assert(sizeof(struct xpv_blk_pool_stat) == 3 * sizeof(u64),
	      "pool statistics are three u64 with no padding");

/**
 * xpv_blk_counter_get() - counter number @i, in xpv_blk_counter_names[] order
 * @c: the counters
 * @i: index, below XPV_BLK_NR_COUNTERS
 *
 * Return: its value, or 0 for an index out of range.
 */
u64 xpv_blk_counter_get(const struct xpv_blk_counters *c, unsigned int i)
{
	const u64 *v = (const u64 *)c;

	return i < XPV_BLK_NR_COUNTERS ? v[i] : 0;
}

/**
 * xpv_blk_counters_add() - add one ring's counters to a sum
 * @sum: the running sum
 * @c:   the ring's counters
 */
void xpv_blk_counters_add(struct xpv_blk_counters *sum,
			  const struct xpv_blk_counters *c)
{
	u64 *s = (u64 *)sum;
	unsigned int i;

	for (i = 0; i < XPV_BLK_NR_COUNTERS; i++)
		s[i] += xpv_blk_counter_get(c, i);
}

/**
 * xpv_blk_lie() - record a protocol violation by the backend
 * @lie:   where the last violation is kept
 * @c:     the ring's counters (@c->lies is incremented)
 * @what:  a string constant saying what the backend did
 * @value: the offending value
 */
void xpv_blk_lie(struct xpv_blk_lie *lie, struct xpv_blk_counters *c,
		 const char *what, s64 value)
{
	lie->what = what;
	lie->value = value;
	c->lies++;
}
