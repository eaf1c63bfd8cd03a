// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_xenbus: xenstore, the Xen frontend bus, and the shared-ring library
 * every frontend builds on.
 */
#include <xpv/xpv.h>
#include <linux/module.h>

MODULE_DESCRIPTION("xpv: xenbus and shared rings for Xen guests without CONFIG_XEN");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
