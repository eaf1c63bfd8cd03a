// SPDX-License-Identifier: GPL-2.0-only
/*
 * Counters of one xpv_netfront queue: names for ethtool -S, sums for
 * ndo_get_stats64, and the record of the backend's last protocol violation.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/xpv.h>
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include "counters.h"

/* Every field of struct xpv_nf_counters, in order; ethtool -S shows these. */
const char *const xpv_nf_counter_names[] = {
	"tx_packets", "tx_bytes", "tx_slots", "tx_gso", "tx_linearize",
	"tx_ring_full", "tx_errors", "tx_dropped", "tx_kicks",
	"rx_packets", "rx_bytes", "rx_slots", "rx_gso", "rx_csum_blank",
	"rx_errors", "rx_malformed", "rx_recycled", "rx_refill_fail",
	"rx_kicks", "lying",
};

static_assert(ARRAY_SIZE(xpv_nf_counter_names) == XPV_NF_NR_COUNTERS,
	      "a counter without a name, or a name without a counter");
static_assert(sizeof(struct xpv_nf_counters) % sizeof(u64) == 0,
	      "counters are u64 only");

/**
 * xpv_nf_counter_get() - counter number @i, in xpv_nf_counter_names[] order
 * @c: the counters
 * @i: index, below XPV_NF_NR_COUNTERS
 *
 * Return: its value, or 0 for an index out of range.
 */
u64 xpv_nf_counter_get(const struct xpv_nf_counters *c, unsigned int i)
{
	const u64 *v = (const u64 *)c;

	return i < XPV_NF_NR_COUNTERS ? v[i] : 0;
}

/**
 * xpv_nf_counters_add() - add one queue's counters to a sum
 * @sum: the running sum
 * @c:   the queue's counters
 */
void xpv_nf_counters_add(struct xpv_nf_counters *sum,
			 const struct xpv_nf_counters *c)
{
	u64 *s = (u64 *)sum;
	unsigned int i;

	for (i = 0; i < XPV_NF_NR_COUNTERS; i++)
		s[i] += xpv_nf_counter_get(c, i);
}

/**
 * xpv_nf_lie() - record a protocol violation by the backend
 * @lie:   where the last violation is kept
 * @c:     the queue's counters (@c->lying is incremented)
 * @what:  a string constant saying what the backend did
 * @value: the offending value
 */
void xpv_nf_lie(struct xpv_nf_lie *lie, struct xpv_nf_counters *c,
		const char *what, long value)
{
	lie->what = what;
	lie->value = value;
	c->lying++;
}
