// SPDX-License-Identifier: GPL-2.0-only
/*
 * Micro-benchmark, in the guest: grant+end per second (a reference taken
 * from and returned to the allocator, with the entry written and ended),
 * and batch claim+release of references per second.
 */
#include "gtest.h"
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <xpv/grant.h>

#define BATCH 64

static u64 per_sec(u64 n, ktime_t t0)
{
	u64 ns = ktime_to_ns(ktime_sub(ktime_get(), t0));

	return ns ? div64_u64(n * NSEC_PER_SEC, ns) : 0;
}

/**
 * gtest_bench() - print grant alloc+free rates
 * @self:  our domain id (the grants go to it)
 * @iters: iterations of each loop
 */
void gtest_bench(domid_t self, unsigned int iters)
{
	grant_ref_t refs[BATCH];
	unsigned int i, fails = 0;
	ktime_t t0;
	int ref;

	t0 = ktime_get();
	for (i = 0; i < iters; i++) {
		ref = xpv_grant_access(self, 0x1000, false);
		if (ref < 0 || xpv_grant_end_access(ref, NULL))
			fails++;
	}
	pr_info("bench: grant+end single: %llu ops/s (%u iterations)\n",
		per_sec(iters, t0), iters);
	t0 = ktime_get();
	for (i = 0; i < iters; i++) {
		if (xpv_grant_claim(1, refs)) {
			fails++;
			continue;
		}
		xpv_grant_release(1, refs);
	}
	pr_info("bench: claim+release 1: %llu refs/s\n", per_sec(iters, t0));
	t0 = ktime_get();
	for (i = 0; i < iters / BATCH; i++) {
		if (xpv_grant_claim(BATCH, refs)) {
			fails++;
			continue;
		}
		xpv_grant_release(BATCH, refs);
	}
	pr_info("bench: claim+release batch of %u: %llu refs/s\n", BATCH,
		per_sec((u64)(iters / BATCH) * BATCH, t0));
	xt_check(!fails, "benchmark loops ran without failures",
		 "%u failures", fails);
}
