/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces between the files of xpv_xenbus.ko. */
#ifndef _XPV_XENBUS_INTERNAL_H
#define _XPV_XENBUS_INTERNAL_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xpv/xenstore.h>
#include "xs_wire.h"

/* comms.c: the connection to xenstored through the xenstore page. */
int xs_comms_init(void);
void xs_comms_exit(void);
int xs_comms_talk(u32 type, u32 tx_id, const struct xs_iov *iov,
		  unsigned int n, struct xsd_sockmsg *reply, char **body);

/**
 * struct xs_comms_stats - counters of the xenstore connection
 * @requests: requests sent
 * @pending:  requests waiting for their reply now
 * @timeouts: requests given up after timeout_ms
 * @stray:    replies that matched no waiting request (dropped)
 * @dead:     the connection broke (a protocol violation or a stuck ring)
 */
struct xs_comms_stats {
	unsigned long requests;
	unsigned int pending;
	unsigned long timeouts;
	unsigned long stray;
	bool dead;
};

void xs_comms_get_stats(struct xs_comms_stats *st);

/* xs.c: one request, its reply checked, body returned NUL-terminated. */
void *xs_single(xpv_xbt_t t, u32 type, const char *path, unsigned int *len);
void *xs_request(xpv_xbt_t t, u32 type, const struct xs_iov *iov,
		 unsigned int n, unsigned int *len);
char *xs_path(const char *dir, const char *node);

/* watch.c: watches, their events and the thread running callbacks. */
int xs_watch_init(void);
void xs_watch_exit(void);
void xs_watch_event(const char *body, size_t len);
bool xs_watch_in_callback(void);
unsigned int xs_watch_count(void);

/* bus.c and probe.c: the xen bus, its devices and their states. */
int xb_bus_init(void);
void xb_bus_exit(void);
int xb_probe_init(void);
void xb_probe_exit(void);
unsigned int xb_device_count(void);

/* dev.c: /dev/xen/xenbus. */
int xb_dev_init(void);
void xb_dev_exit(void);

/* debugfs.c */
void xb_debugfs_init(void);
void xb_debugfs_exit(void);

#endif /* _XPV_XENBUS_INTERNAL_H */
