// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bus "xen": matching devices to frontend drivers by device type,
 * uevents with MODALIAS=xen:<type>, the sysfs attributes Linux's in-tree
 * xenbus has, binding and unbinding around the backend-state watch.
 */
#define pr_fmt(fmt) "xpv: xenbus: " fmt

#include "internal.h"
#include "bus.h"
#include "state.h"
#include <linux/export.h>
#include <linux/module.h>
#include <linux/string.h>

static const struct xpv_xenbus_device_id *
xb_match_id(const struct xpv_xenbus_driver *drv, const char *type)
{
	const struct xpv_xenbus_device_id *id;

	for (id = drv->ids; id && id->devicetype[0]; id++)
		if (!strcmp(id->devicetype, type))
			return id;
	return NULL;
}

static struct xpv_xenbus_driver *to_xb_driver(struct device_driver *d)
{
	return container_of(d, struct xpv_xenbus_driver, driver);
}

static int xb_match(struct device *dev, struct device_driver *drv)
{
	return !!xb_match_id(to_xb_driver(drv),
			     to_xpv_xenbus_device(dev)->devicetype);
}

static int xb_uevent(struct device *dev, struct kobj_uevent_env *env)
{
	struct xpv_xenbus_device *x = to_xpv_xenbus_device(dev);

	if (add_uevent_var(env, "XENBUS_TYPE=%s", x->devicetype) ||
	    add_uevent_var(env, "XENBUS_PATH=%s", x->nodename) ||
	    add_uevent_var(env, "MODALIAS=xen:%s", x->devicetype))
		return -ENOMEM;
	return 0;
}

static int xb_probe(struct device *dev)
{
	struct xpv_xenbus_device *x = to_xpv_xenbus_device(dev);
	struct xpv_xenbus_driver *drv = to_xb_driver(dev->driver);
	struct xb_device *xb = to_xb_device(x);
	int ret;

	xb_unwatch_otherend(xb);
	/* A device a driver left Closed starts over (a backend reconnects). */
	if (xpv_xenbus_read_state(x->nodename) != XenbusStateInitialising)
		xpv_xenbus_switch_state(x, XenbusStateInitialising);
	x->state = XenbusStateInitialising;
	ret = drv->probe(x, xb_match_id(drv, x->devicetype));
	if (ret) {
		dev_warn(dev, "probe of %s failed: %d\n", x->nodename, ret);
		xb_watch_otherend(xb);
		return ret;
	}
	/* Registering fires the watch: the driver hears the current state. */
	xb->bound = true;
	xb_watch_otherend(xb);
	return 0;
}

static void xb_remove(struct device *dev)
{
	struct xpv_xenbus_device *x = to_xpv_xenbus_device(dev);
	struct xpv_xenbus_driver *drv = to_xb_driver(dev->driver);
	struct xb_device *xb = to_xb_device(x);

	xb_unwatch_otherend(xb);
	xb->bound = false;
	if (drv->remove)
		drv->remove(x);
	/* Let the toolstack clean up whatever the driver left open. */
	xpv_xenbus_switch_state(x, XenbusStateClosed);
	xb_watch_otherend(xb);
}

static int xb_suspend(struct device *dev)
{
	struct xpv_xenbus_driver *drv;

	if (!dev->driver)
		return 0;
	drv = to_xb_driver(dev->driver);
	return drv->suspend ? drv->suspend(to_xpv_xenbus_device(dev)) : 0;
}

static int xb_resume(struct device *dev)
{
	struct xpv_xenbus_driver *drv;

	if (!dev->driver)
		return 0;
	drv = to_xb_driver(dev->driver);
	return drv->resume ? drv->resume(to_xpv_xenbus_device(dev)) : 0;
}

static const struct dev_pm_ops xb_pm_ops = {
	.suspend = xb_suspend,
	.resume = xb_resume,
};

static ssize_t nodename_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", to_xpv_xenbus_device(dev)->nodename);
}
static DEVICE_ATTR_RO(nodename);

static ssize_t devtype_show(struct device *dev, struct device_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", to_xpv_xenbus_device(dev)->devicetype);
}
static DEVICE_ATTR_RO(devtype);

static ssize_t modalias_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "xen:%s\n",
			  to_xpv_xenbus_device(dev)->devicetype);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t state_show(struct device *dev, struct device_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  xb_strstate(to_xpv_xenbus_device(dev)->state));
}
static DEVICE_ATTR_RO(state);

static ssize_t otherend_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", to_xpv_xenbus_device(dev)->otherend);
}
static DEVICE_ATTR_RO(otherend);

static ssize_t otherend_id_show(struct device *dev,
				struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  to_xpv_xenbus_device(dev)->otherend_id);
}
static DEVICE_ATTR_RO(otherend_id);

static struct attribute *xb_dev_attrs[] = {
	&dev_attr_nodename.attr,
	&dev_attr_devtype.attr,
	&dev_attr_modalias.attr,
	&dev_attr_state.attr,
	&dev_attr_otherend.attr,
	&dev_attr_otherend_id.attr,
	NULL,
};
ATTRIBUTE_GROUPS(xb_dev);

struct bus_type xpv_xenbus_bus = {
	.name = "xen",
	.match = xb_match,
	.uevent = xb_uevent,
	.probe = xb_probe,
	.remove = xb_remove,
	.dev_groups = xb_dev_groups,
	.pm = &xb_pm_ops,
};

/**
 * __xpv_xenbus_register_frontend() - see xpv_xenbus_register_frontend()
 * @drv:      the driver
 * @owner:    its module
 * @mod_name: its module's name
 *
 * Context: process context; sleeps.
 * Return: 0 or a negative errno (-EINVAL for a driver without ids or probe).
 */
int __xpv_xenbus_register_frontend(struct xpv_xenbus_driver *drv,
				   struct module *owner, const char *mod_name)
{
	if (!drv->ids || !drv->ids[0].devicetype[0] || !drv->probe)
		return -EINVAL;
	drv->driver.name = drv->name ? drv->name : mod_name;
	drv->driver.bus = &xpv_xenbus_bus;
	drv->driver.owner = owner;
	drv->driver.mod_name = mod_name;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_NS_GPL(__xpv_xenbus_register_frontend, XPV);

/**
 * xpv_xenbus_unregister_driver() - unregister a frontend driver
 * @drv: a registered driver
 *
 * Every device it drives is removed from it first (its remove() runs).
 *
 * Context: process context; sleeps.
 */
void xpv_xenbus_unregister_driver(struct xpv_xenbus_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_unregister_driver, XPV);

/**
 * xb_bus_init() - register the bus
 *
 * Return: 0 or a negative errno.
 */
int xb_bus_init(void)
{
	return bus_register(&xpv_xenbus_bus);
}

/**
 * xb_bus_exit() - unregister the bus; its devices are gone
 */
void xb_bus_exit(void)
{
	bus_unregister(&xpv_xenbus_bus);
}
