/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Xen frontend bus of xpv_xenbus.ko, and the driver API frontends are
 * written on.
 *
 * Every directory device/<type>/<id> of this domain's xenstore home becomes a
 * device "<type>-<id>" (vif-0, vbd-51712) on the bus "xen", with sysfs
 * attributes nodename, devtype, modalias ("xen:<type>"), state and otherend,
 * and a MODALIAS uevent, so a frontend module declaring
 * MODULE_ALIAS("xen:<type>") is autoloaded as Linux's in-tree ones are.
 *
 * A driver (struct xpv_xenbus_driver) names the device types it drives.
 * Before probe() the bus has read the backend's path ("backend") and domain
 * ("backend-id") and watches the backend's "state"; each change of it calls
 * otherend_changed(). Devices appear and disappear as the toolstack adds and
 * removes their directories (xl network-attach/-detach and friends). A
 * backend going Closing makes an unbound device, or a driver without an
 * otherend_changed(), answer Closed by itself.
 *
 * Callbacks run in process context and may sleep and use xenstore. probe(),
 * remove() and otherend_changed() of one device never run at the same time.
 */
#ifndef _XPV_XENBUS_H
#define _XPV_XENBUS_H

#include <xpv/xpv.h>
#include <xpv/xenstore.h>
#include <linux/compiler_attributes.h>
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <xen/interface/xen.h>
#include <xen/interface/grant_table.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/io/xenbus.h>

/* The most ring pages xpv_xenbus_setup_ring() grants at once. */
#define XPV_XENBUS_MAX_RING_PAGES 16

/**
 * struct xpv_xenbus_device - a device on the xen bus
 * @devicetype:   the device type, e.g. "vif"
 * @nodename:     its xenstore directory, e.g. "device/vif/0"
 * @otherend:     the backend's directory, from @nodename/backend
 * @otherend_id:  the backend's domain, from @nodename/backend-id
 * @state:        the state this frontend last wrote to @nodename/state
 * @dev:          the driver-model device ("vif-0")
 */
struct xpv_xenbus_device {
	const char *devicetype;
	const char *nodename;
	const char *otherend;
	domid_t otherend_id;
	enum xenbus_state state;
	struct device dev;
};

static inline struct xpv_xenbus_device *to_xpv_xenbus_device(struct device *d)
{
	return container_of(d, struct xpv_xenbus_device, dev);
}

/**
 * struct xpv_xenbus_device_id - a device type a driver drives
 * @devicetype: "vif", "vbd", ...; an entry with "" ends a table
 */
struct xpv_xenbus_device_id {
	char devicetype[32];
};

/**
 * struct xpv_xenbus_driver - a frontend driver
 * @name:             the driver's name (defaults to the module's)
 * @ids:              the device types it drives, ended by an empty entry
 * @probe:            bind to a new device; 0 or a negative errno
 * @otherend_changed: the backend's state changed (optional)
 * @remove:           unbind: the device is going away or the driver is
 *                    unregistered; free everything probe() and later set up
 * @suspend:          system suspend (optional)
 * @resume:           system resume (optional)
 * @driver:           the driver-model driver
 */
struct xpv_xenbus_driver {
	const char *name;
	const struct xpv_xenbus_device_id *ids;
	int (*probe)(struct xpv_xenbus_device *dev,
		     const struct xpv_xenbus_device_id *id);
	void (*otherend_changed)(struct xpv_xenbus_device *dev,
				 enum xenbus_state backend_state);
	void (*remove)(struct xpv_xenbus_device *dev);
	int (*suspend)(struct xpv_xenbus_device *dev);
	int (*resume)(struct xpv_xenbus_device *dev);
	struct device_driver driver;
};

int __xpv_xenbus_register_frontend(struct xpv_xenbus_driver *drv,
				   struct module *owner, const char *mod_name);
/**
 * xpv_xenbus_register_frontend() - register a frontend driver
 * @drv: the driver; it stays registered until
 *       xpv_xenbus_unregister_driver()
 *
 * Existing devices of @drv's types are probed before this returns.
 * Return: 0 or a negative errno.
 */
#define xpv_xenbus_register_frontend(drv) \
	__xpv_xenbus_register_frontend(drv, THIS_MODULE, KBUILD_MODNAME)
void xpv_xenbus_unregister_driver(struct xpv_xenbus_driver *drv);

/**
 * module_xpv_xenbus_frontend() - a module that only registers a frontend
 * @__drv: the struct xpv_xenbus_driver
 */
#define module_xpv_xenbus_frontend(__drv) \
	module_driver(__drv, xpv_xenbus_register_frontend, \
		      xpv_xenbus_unregister_driver)

int xpv_xenbus_switch_state(struct xpv_xenbus_device *dev,
			    enum xenbus_state state);
enum xenbus_state xpv_xenbus_read_state(const char *path);
enum xenbus_state xpv_xenbus_otherend_state(struct xpv_xenbus_device *dev);
int xpv_xenbus_wait_otherend(struct xpv_xenbus_device *dev,
			     unsigned int states, unsigned int timeout_ms);
int xpv_xenbus_close_step(struct xpv_xenbus_device *dev,
			  enum xenbus_state state, unsigned int timeout_ms);
const char *xpv_xenbus_strstate(enum xenbus_state state);

/**
 * XPV_XENBUS_STATE() - a state as a bit, for xpv_xenbus_wait_otherend()
 * @s: an enum xenbus_state
 */
#define XPV_XENBUS_STATE(s) (1U << (s))

__printf(3, 4)
void xpv_xenbus_dev_error(struct xpv_xenbus_device *dev, int err,
			  const char *fmt, ...);
__printf(3, 4)
void xpv_xenbus_dev_fatal(struct xpv_xenbus_device *dev, int err,
			  const char *fmt, ...);

int xpv_xenbus_grant_ring(struct xpv_xenbus_device *dev, void *vaddr,
			  unsigned int nr_pages, grant_ref_t *grefs);
int xpv_xenbus_setup_ring(struct xpv_xenbus_device *dev, gfp_t gfp,
			  void **vaddr, unsigned int nr_pages,
			  grant_ref_t *grefs);
void xpv_xenbus_teardown_ring(void **vaddr, unsigned int nr_pages,
			      grant_ref_t *grefs);
int xpv_xenbus_alloc_evtchn(struct xpv_xenbus_device *dev,
			    evtchn_port_t *port);
int xpv_xenbus_free_evtchn(struct xpv_xenbus_device *dev,
			   evtchn_port_t port);

#endif /* _XPV_XENBUS_H */
