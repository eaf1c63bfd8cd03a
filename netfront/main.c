// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_netfront: the paravirtual NIC of xpv, a frontend of Linux's
 * xen-netback on the xpv xenbus. One ethX per device/vif/N.
 *
 * The state machine, as Linux's xen-netfront: the backend in InitWait makes
 * us negotiate and connect (Connected); its Connected turns the carrier on;
 * its Closing or Closed (xl network-detach, a backend that goes away)
 * disconnects us, every grant and buffer freed, and we answer Closed. A
 * backend back in InitWait later gets a fresh connection.
 */
#include <xpv/xenbus.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include "netfront.h"

unsigned int xpv_nf_max_queues;

static int xpv_nf_set_max_queues(const char *val,
				 const struct kernel_param *kp)
{
	unsigned int n;
	int rc;

	rc = kstrtouint(val, 0, &n);
	if (rc || n > XPV_NF_MAX_QUEUES) {
		pr_err(XPV_NF_DRV_NAME ": max_queues must be 0 (one per CPU) to %u, not '%s'\n",
		       XPV_NF_MAX_QUEUES, val);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static const struct kernel_param_ops xpv_nf_max_queues_ops = {
	.set = xpv_nf_set_max_queues,
	.get = param_get_uint,
};

module_param_cb(max_queues, &xpv_nf_max_queues_ops, &xpv_nf_max_queues, 0444);
MODULE_PARM_DESC(max_queues,
		 "Queues per NIC at most (0: one per online CPU; up to 16)");

static void xpv_nf_fatal_work(struct work_struct *work)
{
	struct xpv_nf_info *info = container_of(work, struct xpv_nf_info,
						fatal_work);

	netdev_err(info->netdev, "backend broke the netif protocol: %s (%ld); shutting the device down\n",
		   info->lie.what, info->lie.value);
	rtnl_lock();
	xpv_nf_disconnect(info);
	rtnl_unlock();
	xpv_xenbus_dev_fatal(info->xdev, -EIO, "backend broke the protocol: %s",
			     info->lie.what);
}

static int xpv_nf_probe(struct xpv_xenbus_device *xdev,
			const struct xpv_xenbus_device_id *id)
{
	struct xpv_nf_info *info;
	struct net_device *dev;
	u8 mac[ETH_ALEN];
	int rc;

	rc = xpv_nf_read_mac(xdev, mac);
	if (rc)
		return rc;
	dev = xpv_nf_alloc_netdev(xdev);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	info = netdev_priv(dev);
	INIT_WORK(&info->fatal_work, xpv_nf_fatal_work);
	eth_hw_addr_set(dev, mac);
	rc = register_netdev(dev);
	if (rc) {
		free_netdev(dev);
		return rc;
	}
	dev_set_drvdata(&xdev->dev, info);
	netdev_info(dev, "%s, backend %s\n", xdev->nodename, xdev->otherend);
	return 0;
}

/* The backend waits for us: connect, unless we are already. */
static void xpv_nf_backend_waits(struct xpv_nf_info *info)
{
	struct xpv_xenbus_device *xdev = info->xdev;

	if (xdev->state == XenbusStateConnected)
		return;
	if (xdev->state != XenbusStateInitialising)
		xpv_xenbus_switch_state(xdev, XenbusStateInitialising);
	if (!xpv_nf_connect(info))
		xpv_xenbus_switch_state(xdev, XenbusStateConnected);
}

static void xpv_nf_backend_gone(struct xpv_nf_info *info)
{
	rtnl_lock();
	xpv_nf_disconnect(info);
	rtnl_unlock();
	if (info->xdev->state != XenbusStateClosed)
		xpv_xenbus_switch_state(info->xdev, XenbusStateClosed);
}

static void xpv_nf_otherend_changed(struct xpv_xenbus_device *xdev,
				    enum xenbus_state state)
{
	struct xpv_nf_info *info = dev_get_drvdata(&xdev->dev);

	switch (state) {
	case XenbusStateInitWait:
		xpv_nf_backend_waits(info);
		break;
	case XenbusStateConnected:
		rtnl_lock();
		xpv_nf_start_queues(info);
		rtnl_unlock();
		break;
	case XenbusStateClosed:
		/* Not connected yet: the backend has our Initialising to see. */
		if (xdev->state == XenbusStateInitialising)
			break;
		fallthrough;
	case XenbusStateClosing:
		xpv_nf_backend_gone(info);
		break;
	default:
		break;
	}
}

/*
 * Orderly, as Linux's xen-netfront: Closing, the backend lets go of our
 * rings, we free them, then Closed both ends. A backend still Closing when
 * the device is probed again would miss the new Initialising.
 */
static void xpv_nf_remove(struct xpv_xenbus_device *xdev)
{
	struct xpv_nf_info *info = dev_get_drvdata(&xdev->dev);
	bool connected;

	/* Down: no poll runs, so no new lie reaches fatal_work. */
	unregister_netdev(info->netdev);
	cancel_work_sync(&info->fatal_work);
	connected = xdev->state == XenbusStateConnected;
	if (connected)
		xpv_xenbus_close_step(xdev, XenbusStateClosing, 5000);
	rtnl_lock();
	xpv_nf_disconnect(info);
	rtnl_unlock();
	if (connected)
		xpv_xenbus_close_step(xdev, XenbusStateClosed, 5000);
	free_netdev(info->netdev);
}

static const struct xpv_xenbus_device_id xpv_nf_ids[] = {
	{ "vif" },
	{ "" },
};

static struct xpv_xenbus_driver xpv_nf_driver = {
	.name = XPV_NF_DRV_NAME,
	.ids = xpv_nf_ids,
	.probe = xpv_nf_probe,
	.otherend_changed = xpv_nf_otherend_changed,
	.remove = xpv_nf_remove,
};

module_xpv_xenbus_frontend(xpv_nf_driver);

MODULE_DESCRIPTION("xpv paravirtual network frontend (netif)");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vif");
MODULE_IMPORT_NS(XPV);
