// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_blkfront: the paravirtual disk of xpv, a frontend of Linux's
 * xen-blkback on the xpv xenbus. One /dev/xvdX per device/vbd/N.
 *
 * The state machine, as Linux's xen-blkfront: the backend in InitWait has
 * us set up and publish the rings (Initialised); its Connected has us
 * negotiate the disk and add it (Connected); a later Connected is a resize.
 * Its Closing or Closed (xl block-detach, a backend that goes away) fails
 * what is in flight, removes the disk and frees everything, and we answer
 * Closed. A backend back in InitWait later gets a fresh connection.
 */
#include <xpv/parse.h>
#include <xpv/xenbus.h>
#include <xpv/xenstore.h>
#include <linux/blkdev.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include "blkfront.h"

unsigned int xpv_blk_max_queues = 4;
unsigned int xpv_blk_max_indirect = 32;
unsigned int xpv_blk_max_ring_order;

static int xpv_blk_param_range(const char *val, const struct kernel_param *kp,
			       unsigned int max)
{
	unsigned int n;
	int rc;

	rc = kstrtouint(val, 0, &n);
	if (rc || n > max) {
		pr_err(XPV_BLK_DRV_NAME ": %s must be 0 to %u, not '%s'\n",
		       kp->name, max, val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static int xpv_blk_set_queues(const char *val, const struct kernel_param *kp)
{
	return xpv_blk_param_range(val, kp, XPV_BLK_MAX_QUEUES);
}

static int xpv_blk_set_indirect(const char *val,
				const struct kernel_param *kp)
{
	return xpv_blk_param_range(val, kp, XPV_BLK_MAX_INDIRECT_SEGS);
}

static int xpv_blk_set_order(const char *val, const struct kernel_param *kp)
{
	return xpv_blk_param_range(val, kp, XPV_BLK_MAX_RING_ORDER);
}

static const struct kernel_param_ops xpv_blk_queues_ops = {
	.set = xpv_blk_set_queues,
	.get = param_get_uint,
};

static const struct kernel_param_ops xpv_blk_indirect_ops = {
	.set = xpv_blk_set_indirect,
	.get = param_get_uint,
};

static const struct kernel_param_ops xpv_blk_order_ops = {
	.set = xpv_blk_set_order,
	.get = param_get_uint,
};

module_param_cb(max_queues, &xpv_blk_queues_ops, &xpv_blk_max_queues, 0444);
MODULE_PARM_DESC(max_queues,
		 "Queues (rings) per disk at most (0: one per online CPU; up to 16; default 4)");
module_param_cb(max_indirect_segments, &xpv_blk_indirect_ops,
		&xpv_blk_max_indirect, 0444);
MODULE_PARM_DESC(max_indirect_segments,
		 "Segments per request at most (up to 11: no indirect requests; up to 4096; default 32)");
module_param_cb(max_ring_page_order, &xpv_blk_order_ops,
		&xpv_blk_max_ring_order, 0444);
MODULE_PARM_DESC(max_ring_page_order,
		 "Ring pages per queue at most, as a power of two (0 to 4; default 0)");

static void xpv_blk_fatal_work(struct work_struct *work)
{
	struct xpv_blk_info *info = container_of(work, struct xpv_blk_info,
						 fatal_work);

	dev_err(&info->xdev->dev, "backend broke the blkif protocol: %s (%lld); shutting the device down\n",
		info->lie.what, info->lie.value);
	mutex_lock(&info->mutex);
	xpv_blk_disconnect(info);
	mutex_unlock(&info->mutex);
	xpv_xenbus_dev_fatal(info->xdev, -EIO, "backend broke the protocol: %s",
			     info->lie.what);
}

static int xpv_blk_probe(struct xpv_xenbus_device *xdev,
			 const struct xpv_xenbus_device_id *id)
{
	struct xpv_blk_info *info;
	unsigned int index;
	u64 vdevice;
	char *v;
	int rc;

	v = xpv_xs_read(XPV_XBT_NIL, xdev->nodename, "virtual-device", NULL);
	if (IS_ERR(v))
		v = xpv_xs_read(XPV_XBT_NIL, xdev->nodename,
				"virtual-device-ext", NULL);
	if (IS_ERR(v)) {
		dev_err(&xdev->dev, "%s has no virtual-device\n",
			xdev->nodename);
		return PTR_ERR(v);
	}
	rc = xpv_parse_u64(v, U32_MAX, &vdevice) ?:
	     xpv_blk_vdev_index(vdevice, &index);
	kfree(v);
	if (rc) {
		dev_err(&xdev->dev, "virtual-device of %s is no xvd disk\n",
			xdev->nodename);
		return -ENODEV;
	}
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->xdev = xdev;
	info->index = index;
	mutex_init(&info->mutex);
	INIT_WORK(&info->fatal_work, xpv_blk_fatal_work);
	dev_set_drvdata(&xdev->dev, info);
	dev_info(&xdev->dev, "%s, backend %s\n", xdev->nodename,
		 xdev->otherend);
	return 0;
}

/* The backend waits for our rings: set them up, unless we have. */
static void xpv_blk_backend_waits(struct xpv_blk_info *info)
{
	struct xpv_xenbus_device *xdev = info->xdev;

	if (xdev->state == XenbusStateInitialised ||
	    xdev->state == XenbusStateConnected)
		return;
	if (xdev->state != XenbusStateInitialising)
		xpv_xenbus_switch_state(xdev, XenbusStateInitialising);
	clear_bit(XPV_BLK_BROKEN, &info->flags);
	memset(&info->lie, 0, sizeof(info->lie));
	if (!xpv_blk_setup_rings(info))
		xpv_xenbus_switch_state(xdev, XenbusStateInitialised);
}

/* The backend is Connected: add the disk, or take a new size. */
static void xpv_blk_backend_connected(struct xpv_blk_info *info)
{
	struct xpv_xenbus_device *xdev = info->xdev;

	if (xdev->state == XenbusStateConnected) {
		xpv_blk_resize(info);
		return;
	}
	if (xdev->state != XenbusStateInitialised)
		return;
	if (!xpv_blk_connect(info))
		xpv_xenbus_switch_state(xdev, XenbusStateConnected);
	else
		xpv_blk_disconnect(info);
}

static void xpv_blk_backend_gone(struct xpv_blk_info *info)
{
	xpv_blk_disconnect(info);
	if (info->xdev->state != XenbusStateClosed)
		xpv_xenbus_switch_state(info->xdev, XenbusStateClosed);
}

static void xpv_blk_otherend_changed(struct xpv_xenbus_device *xdev,
				     enum xenbus_state state)
{
	struct xpv_blk_info *info = dev_get_drvdata(&xdev->dev);

	mutex_lock(&info->mutex);
	switch (state) {
	case XenbusStateInitWait:
		xpv_blk_backend_waits(info);
		break;
	case XenbusStateConnected:
		xpv_blk_backend_connected(info);
		break;
	case XenbusStateClosed:
		/* Not connected yet: the backend has our Initialising to see. */
		if (xdev->state == XenbusStateInitialising)
			break;
		fallthrough;
	case XenbusStateClosing:
		xpv_blk_backend_gone(info);
		break;
	default:
		break;
	}
	mutex_unlock(&info->mutex);
}

/*
 * Orderly, as Linux's xen-blkfront: Closing, the backend lets go of our
 * rings, we free them, then Closed both ends. A backend still Closing when
 * the device is probed again would miss the new Initialising.
 */
static void xpv_blk_remove(struct xpv_xenbus_device *xdev)
{
	struct xpv_blk_info *info = dev_get_drvdata(&xdev->dev);
	bool connected = xdev->state == XenbusStateInitialised ||
			 xdev->state == XenbusStateConnected;

	if (connected)
		xpv_xenbus_close_step(xdev, XenbusStateClosing, 5000);
	mutex_lock(&info->mutex);
	xpv_blk_disconnect(info);
	mutex_unlock(&info->mutex);
	cancel_work_sync(&info->fatal_work);
	if (connected)
		xpv_xenbus_close_step(xdev, XenbusStateClosed, 5000);
	kfree(info);
}

static const struct xpv_xenbus_device_id xpv_blk_ids[] = {
	{ "vbd" },
	{ "" },
};

static struct xpv_xenbus_driver xpv_blk_driver = {
	.name = XPV_BLK_DRV_NAME,
	.ids = xpv_blk_ids,
	.probe = xpv_blk_probe,
	.otherend_changed = xpv_blk_otherend_changed,
	.remove = xpv_blk_remove,
};

static int __init xpv_blk_init(void)
{
	int rc;

	rc = register_blkdev(XPV_BLK_MAJOR, "xvd");
	if (rc) {
		pr_err(XPV_BLK_DRV_NAME ": major %u is taken (%d)\n",
		       XPV_BLK_MAJOR, rc);
		return rc;
	}
	xpv_blk_debugfs_init();
	rc = xpv_xenbus_register_frontend(&xpv_blk_driver);
	if (rc) {
		xpv_blk_debugfs_exit();
		unregister_blkdev(XPV_BLK_MAJOR, "xvd");
	}
	return rc;
}
module_init(xpv_blk_init);

static void __exit xpv_blk_exit(void)
{
	xpv_xenbus_unregister_driver(&xpv_blk_driver);
	xpv_blk_debugfs_exit();
	unregister_blkdev(XPV_BLK_MAJOR, "xvd");
}
module_exit(xpv_blk_exit);

MODULE_DESCRIPTION("xpv paravirtual block frontend (blkif)");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vbd");
MODULE_IMPORT_NS(XPV);
