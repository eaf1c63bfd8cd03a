// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_test_evtchn: integration tests of xpv_evtchn.ko, run at insmod, one
 * TAP line each in the kernel log ("xpvtest: ok - ..."), then loaded until
 * rmmod so the guest script can look at /proc/interrupts and debugfs.
 *
 * mode=all (default): loopback delivery of `notifications` events with an
 * affinity move, error paths, VIRQ_DEBUG (waiting virq_wait_ms for it);
 * mode=ports: the quick round of the reload loop; mode=bench: round-trip
 * latency over `bench_rounds` ping-pongs.
 */
#include "xpvtest.h"
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

static char *mode = "all";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "all, ports (reload round) or bench");

static unsigned int notifications = 100000;
module_param(notifications, uint, 0444);
MODULE_PARM_DESC(notifications, "loopback notifications to send (mode=all)");

static unsigned int virq_wait_ms;
module_param(virq_wait_ms, uint, 0444);
MODULE_PARM_DESC(virq_wait_ms, "wait this long for VIRQ_DEBUG (xl debug-keys q)");

static unsigned int bench_rounds = 20000;
module_param(bench_rounds, uint, 0444);
MODULE_PARM_DESC(bench_rounds, "round trips to time (mode=bench)");

static int __init xpv_test_evtchn_init(void)
{
	xt_note("xpv_test_evtchn mode=%s abi=%s", mode, xpv_evtchn_abi());
	if (!strcmp(mode, "ports")) {
		xt_ports_run();
	} else if (!strcmp(mode, "bench")) {
		xt_bench_run(bench_rounds);
	} else if (!strcmp(mode, "all")) {
		xt_loopback_run(max(notifications, 2U));
		xt_errors_run();
		xt_virq_run(virq_wait_ms);
	} else {
		xt_check(false, "mode parameter", "unknown mode '%s'", mode);
	}
	xt_note("xpv_test_evtchn done");
	return 0;
}
module_init(xpv_test_evtchn_init);

static void __exit xpv_test_evtchn_exit(void)
{
	xt_loopback_exit();
	xt_ports_exit();
}
module_exit(xpv_test_evtchn_exit);

MODULE_DESCRIPTION("xpv: event-channel integration tests (test only)");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XPV);
