/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XenbusState handling and the bus's xenstore names, as pure logic (no
 * kernel-only API; tests/unit compiles it in userspace). Values read from
 * xenstore are another domain's word: parsed strictly.
 */
#ifndef _XPV_XENBUS_STATE_H
#define _XPV_XENBUS_STATE_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/io/xenbus.h>

/* Longest device type and id the bus accepts ("vbd", "51712"). */
#define XB_TYPE_MAX 31
#define XB_ID_MAX 15

const char *xb_strstate(enum xenbus_state state);
int xb_parse_state(const char *s, enum xenbus_state *state);
int xb_parse_device_path(const char *path, char *type, char *id);

/**
 * enum xb_unbound_action - what a device without a driver does next
 * @XB_NOTHING:     keep waiting for a driver
 * @XB_SET_CLOSED:  answer a closing backend by going Closed
 */
enum xb_unbound_action {
	XB_NOTHING,
	XB_SET_CLOSED,
};

enum xb_unbound_action xb_unbound_next(enum xenbus_state ours,
				       enum xenbus_state backend);

#endif /* _XPV_XENBUS_STATE_H */
