// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_test_xs: integration tests of xpv_xenbus's xenstore client API
 * (include/xpv/xenstore.h) against the real xenstored, run at insmod, one
 * TAP line each in the kernel log ("xpvtest: ok - ..."). Everything happens
 * under the guest's data/xpvtest-xs, removed again before init returns 0,
 * with every watch unregistered: rmmod has nothing left to undo.
 *
 * Two tests need dom0's side (tests/qemu/scenarios/xenstore-api/
 * dom0-during.sh): the transaction conflict (conflict=1) and the watch
 * event of a write by dom0 (dom0_watch=1). The last line,
 * "xpvtest: # xpv_test_xs done: N checks, F failed", lets the guest script
 * check it relayed them all.
 */
#include "xstest.h"
#include <linux/module.h>
#include <linux/moduleparam.h>

static bool conflict = true;
module_param(conflict, bool, 0444);
MODULE_PARM_DESC(conflict, "transaction conflict with dom0 (dom0-during.sh)");

static bool dom0_watch = true;
module_param(dom0_watch, bool, 0444);
MODULE_PARM_DESC(dom0_watch, "watch event from dom0's write (dom0-during.sh)");

static unsigned int threads = 8;
module_param(threads, uint, 0444);
MODULE_PARM_DESC(threads, "concurrent kthreads of the concurrency test");

static unsigned int rounds = 200;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "write+read pairs of each of those threads");

static int __init xpv_test_xs_init(void)
{
	unsigned int n, failed;
	int ret;

	xt_note("xpv_test_xs conflict=%d dom0_watch=%d threads=%u rounds=%u",
		conflict, dom0_watch, threads, rounds);
	/* Leftovers of an earlier run would falsify the checks. */
	ret = xpv_xs_rm(XPV_XBT_NIL, XT_BASE, "");
	if (ret && ret != -ENOENT)
		xt_note("removing old " XT_BASE ": %d", ret);
	ret = xpv_xs_mkdir(XPV_XBT_NIL, XT_BASE, "");
	if (xt_expect_err(ret, 0, "mkdir " XT_BASE)) {
		xt_api_run();
		xt_txn_run(conflict);
		xt_watch_run(dom0_watch);
		xt_concurrency_run(clamp(threads, 1U, 64U),
				   clamp(rounds, 1U, 100000U));
		ret = xpv_xs_rm(XPV_XBT_NIL, XT_BASE, "");
		xt_expect_err(ret, 0, "cleanup: rm " XT_BASE);
		xt_check(!xpv_xs_exists(XPV_XBT_NIL, XT_BASE, ""),
			 "cleanup: " XT_BASE " is gone", "it still exists");
	}
	n = xt_count(&failed);
	xt_note("xpv_test_xs done: %u checks, %u failed", n, failed);
	return 0;
}
module_init(xpv_test_xs_init);

/* Everything was undone before init returned. */
static void __exit xpv_test_xs_exit(void)
{
}
module_exit(xpv_test_xs_exit);

MODULE_DESCRIPTION("xpv: xenstore client API integration tests (test only)");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XPV);
