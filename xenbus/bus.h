/* SPDX-License-Identifier: GPL-2.0-only */
/* The xen bus's devices, shared by bus.c, probe.c and client.c. */
#ifndef _XPV_XENBUS_BUS_H
#define _XPV_XENBUS_BUS_H

#include <xpv/xpv.h>
#include <linux/wait.h>
#include <xpv/xenbus.h>

/**
 * struct xb_device - a device of the xen bus
 * @xdev:          what drivers see
 * @watch:         on the backend's state: while bound, it calls the
 *                 driver's otherend_changed(); unbound, it closes the
 *                 device when the backend does
 * @watching:      @watch is registered
 * @bound:         a driver is bound (set before @watch is registered for it)
 * @gone:          being removed for good: no new watch
 * @state_path:    "<otherend>/state"
 * @otherend_events: events of @watch so far
 * @otherend_wq:   woken on each event of @watch
 */
struct xb_device {
	struct xpv_xenbus_device xdev;
	struct xpv_xs_watch watch;
	bool watching;
	bool bound;
	bool gone;
	char *state_path;
	unsigned int otherend_events;
	wait_queue_head_t otherend_wq;
};

static inline struct xb_device *to_xb_device(struct xpv_xenbus_device *x)
{
	return container_of(x, struct xb_device, xdev);
}

extern struct bus_type xpv_xenbus_bus;

void xb_watch_otherend(struct xb_device *xb);
void xb_unwatch_otherend(struct xb_device *xb);

#endif /* _XPV_XENBUS_BUS_H */
