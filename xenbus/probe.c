// SPDX-License-Identifier: GPL-2.0-only
/*
 * Devices of the xen bus from xenstore: one per device/<type>/<id> of our
 * home, found at load and kept in step by a watch on "device" (hot-plug:
 * xl network-attach/-detach and friends), and the watch on each device's
 * backend state.
 *
 * A device's "backend" and "backend-id" are the toolstack's word, checked:
 * a device without a valid absolute backend path or a backend domain id is
 * not created.
 */
#define pr_fmt(fmt) "xpv: xenbus: " fmt

#include "internal.h"
#include "bus.h"
#include "state.h"
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>

static void xb_release(struct device *dev)
{
	struct xb_device *xb = to_xb_device(to_xpv_xenbus_device(dev));

	kfree(xb->xdev.devicetype);
	kfree(xb->xdev.nodename);
	kfree(xb->xdev.otherend);
	kfree(xb->state_path);
	kfree(xb);
}

static void xb_otherend_changed(struct xpv_xs_watch *watch, const char *path)
{
	struct xb_device *xb = container_of(watch, struct xb_device, watch);
	struct xpv_xenbus_device *x = &xb->xdev;
	struct xpv_xenbus_driver *drv;
	enum xenbus_state state;

	/* Events for nodes below "state" say nothing about it. */
	if (strcmp(path, xb->state_path))
		return;
	state = xpv_xenbus_read_state(x->otherend);
	WRITE_ONCE(xb->otherend_events, xb->otherend_events + 1);
	wake_up_all(&xb->otherend_wq);
	if (xb->bound) {
		drv = container_of(x->dev.driver, struct xpv_xenbus_driver,
				   driver);
		if (drv->otherend_changed) {
			drv->otherend_changed(x, state);
			return;
		}
	}
	if (xb_unbound_next(x->state, state) == XB_SET_CLOSED) {
		dev_info(&x->dev, "backend %s: closing the device\n",
			 xb_strstate(state));
		xpv_xenbus_switch_state(x, XenbusStateClosed);
	}
}

/**
 * xb_watch_otherend() - start watching the backend's state
 * @xb: the device
 *
 * Does nothing for a device being removed, or one already watched.
 */
void xb_watch_otherend(struct xb_device *xb)
{
	if (xb->gone || xb->watching)
		return;
	xb->watch.path = xb->state_path;
	xb->watch.callback = xb_otherend_changed;
	xb->watching = !xpv_xs_watch_register(&xb->watch);
	if (!xb->watching)
		dev_warn(&xb->xdev.dev, "cannot watch %s\n", xb->state_path);
}

/**
 * xb_unwatch_otherend() - stop watching the backend's state
 * @xb: the device
 *
 * When this returns, no callback of the watch runs.
 */
void xb_unwatch_otherend(struct xb_device *xb)
{
	if (!xb->watching)
		return;
	xpv_xs_watch_unregister(&xb->watch);
	xb->watching = false;
}

/* Reads and checks @nodename's backend and backend-id into @x. */
static int xb_read_otherend(struct xpv_xenbus_device *x)
{
	unsigned int id;
	char *s;
	int ret;

	s = xpv_xs_read(XPV_XBT_NIL, x->nodename, "backend-id", NULL);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = xs_parse_uint(s, DOMID_FIRST_RESERVED - 1, &id);
	kfree(s);
	if (ret)
		return ret;
	s = xpv_xs_read(XPV_XBT_NIL, x->nodename, "backend", NULL);
	if (IS_ERR(s))
		return PTR_ERR(s);
	if (s[0] != '/' || !xs_path_valid(s)) {
		kfree(s);
		return -EINVAL;
	}
	x->otherend = s;
	x->otherend_id = id;
	return 0;
}

static int xb_match_nodename(struct device *dev, const void *nodename)
{
	return !strcmp(to_xpv_xenbus_device(dev)->nodename, nodename);
}

static struct device *xb_find(const char *nodename)
{
	return bus_find_device(&xpv_xenbus_bus, NULL, nodename,
			       xb_match_nodename);
}

static struct xb_device *xb_alloc(const char *type, const char *id)
{
	struct xb_device *xb = kzalloc(sizeof(*xb), GFP_KERNEL);

	if (!xb)
		return NULL;
	init_waitqueue_head(&xb->otherend_wq);
	xb->xdev.devicetype = kstrdup(type, GFP_KERNEL);
	xb->xdev.nodename = kasprintf(GFP_KERNEL, "device/%s/%s", type, id);
	xb->xdev.state = XenbusStateUnknown;
	device_initialize(&xb->xdev.dev);
	xb->xdev.dev.bus = &xpv_xenbus_bus;
	xb->xdev.dev.release = xb_release;
	return xb;
}

static int xb_add(const char *type, const char *id)
{
	struct xb_device *xb = xb_alloc(type, id);
	struct xpv_xenbus_device *x;
	int ret = -ENOMEM;

	if (!xb)
		return -ENOMEM;
	x = &xb->xdev;
	if (!x->devicetype || !x->nodename)
		goto put;
	ret = xb_read_otherend(x);
	if (ret) {
		pr_warn("%s: no valid backend (%d): ignored\n", x->nodename,
			ret);
		goto put;
	}
	ret = -ENOMEM;
	xb->state_path = kasprintf(GFP_KERNEL, "%s/state", x->otherend);
	if (!xb->state_path)
		goto put;
	x->state = xpv_xenbus_read_state(x->nodename);
	ret = dev_set_name(&x->dev, "%s-%s", type, id);
	if (!ret)
		ret = device_add(&x->dev);
	if (ret)
		goto put;
	/* Unbound, the device follows its backend's closing by itself. */
	if (!x->dev.driver)
		xb_watch_otherend(xb);
	return 0;
put:
	put_device(&x->dev);
	return ret;
}

static void xb_del(struct device *dev)
{
	struct xb_device *xb = to_xb_device(to_xpv_xenbus_device(dev));

	xb->gone = true;
	device_del(dev);
	xb_unwatch_otherend(xb);
	put_device(dev);
}

/* Brings device/<type>/<id> in step with xenstore. */
static void xb_sync(const char *type, const char *id)
{
	char nodename[8 + XB_TYPE_MAX + XB_ID_MAX + 1];
	struct device *dev;
	bool exists;

	snprintf(nodename, sizeof(nodename), "device/%s/%s", type, id);
	exists = xpv_xs_exists(XPV_XBT_NIL, nodename, "");
	dev = xb_find(nodename);
	if (dev && !exists) {
		dev_info(dev, "%s removed\n", nodename);
		xb_del(dev);
	} else if (!dev && exists) {
		xb_add(type, id);
	}
	put_device(dev);
}

/* Every device of @type in xenstore: added if new. */
static void xb_scan_type(const char *type)
{
	char **ids;
	unsigned int i, n;

	ids = xpv_xs_directory(XPV_XBT_NIL, "device", type, &n);
	if (IS_ERR(ids))
		return;
	for (i = 0; i < n; i++)
		if (strlen(ids[i]) <= XB_ID_MAX && xs_path_valid(ids[i]))
			xb_sync(type, ids[i]);
	kfree(ids);
}

static int xb_drop_missing(struct device *dev, void *unused)
{
	struct xpv_xenbus_device *x = to_xpv_xenbus_device(dev);

	if (!xpv_xs_exists(XPV_XBT_NIL, x->nodename, "")) {
		dev_info(dev, "%s removed\n", x->nodename);
		xb_del(dev);
	}
	return 0;
}

/* Everything under device/: new devices added, vanished ones removed. */
static void xb_scan(void)
{
	char **types;
	unsigned int i, n;

	types = xpv_xs_directory(XPV_XBT_NIL, "device", "", &n);
	if (!IS_ERR(types)) {
		for (i = 0; i < n; i++)
			if (strlen(types[i]) <= XB_TYPE_MAX &&
			    xs_path_valid(types[i]))
				xb_scan_type(types[i]);
		kfree(types);
	}
	bus_for_each_dev(&xpv_xenbus_bus, NULL, NULL, xb_drop_missing);
}

static void xb_devices_changed(struct xpv_xs_watch *watch, const char *path)
{
	char type[XB_TYPE_MAX + 1], id[XB_ID_MAX + 1];
	int ret = xb_parse_device_path(path, type, id);

	if (!ret)
		xb_sync(type, id);
	else if (ret == -ENOENT)
		xb_scan();
}

static struct xpv_xs_watch xb_devices_watch = {
	.path = "device",
	.callback = xb_devices_changed,
};

static int xb_count_one(struct device *dev, void *n)
{
	(*(unsigned int *)n)++;
	return 0;
}

/**
 * xb_device_count() - devices on the bus now
 *
 * Return: their number.
 */
unsigned int xb_device_count(void)
{
	unsigned int n = 0;

	bus_for_each_dev(&xpv_xenbus_bus, NULL, &n, xb_count_one);
	return n;
}

/**
 * xb_probe_init() - find the devices, and watch for more
 *
 * The watch fires once at registration: that first callback scans.
 *
 * Return: 0 or a negative errno.
 */
int xb_probe_init(void)
{
	return xpv_xs_watch_register(&xb_devices_watch);
}

static int xb_del_one(struct device *dev, void *unused)
{
	xb_del(dev);
	return 0;
}

/**
 * xb_probe_exit() - stop watching; remove every device
 */
void xb_probe_exit(void)
{
	xpv_xs_watch_unregister(&xb_devices_watch);
	bus_for_each_dev(&xpv_xenbus_bus, NULL, NULL, xb_del_one);
}
