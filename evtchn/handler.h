/* SPDX-License-Identifier: GPL-2.0-only */
/* What the ABI scans (twolevel.c, fifo.c) call for each event they find. */
#ifndef _XPV_EVTCHN_HANDLER_H
#define _XPV_EVTCHN_HANDLER_H

#include <linux/types.h>
#include <xen/interface/event_channel.h>

/* Handle the pending, unmasked event on @port; @ctx is the scan's caller's. */
typedef void (*xpv_port_fn)(evtchn_port_t port, void *ctx);

#endif /* _XPV_EVTCHN_HANDLER_H */
