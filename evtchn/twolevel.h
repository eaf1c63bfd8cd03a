/* SPDX-License-Identifier: GPL-2.0-only */
/* The 2-level event-channel ABI's pure logic (twolevel.c), unit-tested. */
#ifndef _XPV_EVTCHN_TWOLEVEL_H
#define _XPV_EVTCHN_TWOLEVEL_H

#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include "handler.h"

#define XPV_2L_WORD_BITS (sizeof(xen_ulong_t) * 8)
#define XPV_2L_NR_WORDS (sizeof(xen_ulong_t) * 8)
#define XPV_2L_NR_PORTS EVTCHN_2L_NR_CHANNELS

/**
 * struct xpv_2l_cursor - where a vCPU's next scan starts (fairness state)
 * @next: the port after the last one handled; scans go round from here
 */
struct xpv_2l_cursor {
	unsigned int next;
};

/**
 * struct xpv_2l_bitmaps - the words one vCPU's scan reads
 * @pending: shared_info's evtchn_pending (Xen sets bits, the guest clears)
 * @mask:    shared_info's evtchn_mask (the guest's)
 * @sel:     this vCPU's vcpu_info evtchn_pending_sel (Xen sets bits)
 * @bound:   guest-private: the ports this vCPU handles (the pending bits
 *           are domain-wide, so another vCPU's ports show up in them too)
 */
struct xpv_2l_bitmaps {
	xen_ulong_t *pending;
	xen_ulong_t *mask;
	xen_ulong_t *sel;
	const xen_ulong_t *bound;
};

unsigned int xpv_2l_scan(const struct xpv_2l_bitmaps *b,
			 struct xpv_2l_cursor *c, xpv_port_fn fn, void *ctx);
bool xpv_2l_unmask(xen_ulong_t *pending, xen_ulong_t *mask,
		   evtchn_port_t port);

#endif /* _XPV_EVTCHN_TWOLEVEL_H */
