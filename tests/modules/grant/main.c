// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_test_grant: integration tests of xpv_grant.ko, run at insmod; one TAP
 * line per check in the kernel log ("xpvtest: ok - ..."). Always loads, so
 * it can be removed again.
 *
 * Parameters: quick (copy checks only), bench (also print the benchmark),
 * leak=N (only claim N references and never give them back: for checking
 * that rmmod xpv_grant then refuses; nothing can unload it afterwards).
 */
#include "gtest.h"
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <xpv/grant.h>

static bool quick;
module_param(quick, bool, 0444);
MODULE_PARM_DESC(quick, "Run the copy checks only");

static bool bench;
module_param(bench, bool, 0444);
MODULE_PARM_DESC(bench, "Also run the micro-benchmark");

static unsigned int bench_iters = 100000;
module_param(bench_iters, uint, 0444);
MODULE_PARM_DESC(bench_iters, "Iterations of each benchmark loop");

static unsigned int leak;
module_param(leak, uint, 0444);
MODULE_PARM_DESC(leak, "Only claim this many refs and leak them (tests rmmod refusal)");

static void leak_refs(void)
{
	grant_ref_t refs[64];
	int ret = -EINVAL;

	if (leak <= ARRAY_SIZE(refs))
		ret = xpv_grant_claim(leak, refs);
	xt_check(!ret, "claimed refs to leak on purpose", "%d", ret);
}

static int __init xpv_test_grant_init(void)
{
	domid_t self = DOMID_SELF;
	int ret;

	if (leak) {
		leak_refs();
		return 0;
	}
	ret = gtest_find_domid(&self);
	if (!xt_check(!ret, "a grant to our own domain id works for GNTTABOP_copy",
		      "%d", ret))
		return 0;
	pr_info("our domain id is %u\n", self);
	gtest_copy(self);
	if (quick)
		return 0;
	gtest_defer(self);
	gtest_exhaust(self);
	if (bench)
		gtest_bench(self, bench_iters);
	return 0;
}
module_init(xpv_test_grant_init);

static void __exit xpv_test_grant_exit(void)
{
}
module_exit(xpv_test_grant_exit);

MODULE_DESCRIPTION("xpv: integration tests of xpv_grant");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XPV);
