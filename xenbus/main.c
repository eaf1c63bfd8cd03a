// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_xenbus: xenstore, the Xen frontend bus, /dev/xen/xenbus, and the
 * shared-ring library every frontend builds on.
 */
#define pr_fmt(fmt) "xpv: xenbus: " fmt

#include "internal.h"
#include <linux/module.h>
#include <xpv/evtchn.h>

static int __init xpv_xenbus_init(void)
{
	int ret;

	ret = xs_comms_init();
	if (ret)
		return ret;
	ret = xs_watch_init();
	if (ret)
		goto comms;
	ret = xb_bus_init();
	if (ret)
		goto watch;
	ret = xb_probe_init();
	if (ret)
		goto bus;
	ret = xb_dev_init();
	if (ret)
		goto probe;
	xb_debugfs_init();
	pr_info("xenstore connected, bus \"xen\" and /dev/xen/xenbus ready\n");
	return 0;
probe:
	xb_probe_exit();
bus:
	xb_bus_exit();
watch:
	xs_watch_exit();
comms:
	xs_comms_exit();
	return ret;
}
module_init(xpv_xenbus_init);

static void __exit xpv_xenbus_exit(void)
{
	xb_debugfs_exit();
	xb_dev_exit();
	xb_probe_exit();
	xb_bus_exit();
	xs_watch_exit();
	xs_comms_exit();
	pr_info("unloaded\n");
}
module_exit(xpv_xenbus_exit);

MODULE_DESCRIPTION("xpv: xenbus and shared rings for Xen guests without CONFIG_XEN");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XPV);
