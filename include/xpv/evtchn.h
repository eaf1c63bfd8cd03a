/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Xen event channels as Linux IRQs (xpv_evtchn.ko).
 *
 * A frontend gets a port (alloc_unbound for a backend to bind to,
 * bind_interdomain to a backend's port, bind_virq, or a port Xen gave it such
 * as HVM_PARAM_STORE_EVTCHN), turns it into an IRQ with xpv_evtchn_bind_irq()
 * and uses it as any other: request_irq semantics, threaded handlers, NAPI,
 * /proc/interrupts (chip "xpv-evtchn", hwirq = port), smp_affinity.
 * xpv_evtchn_unbind_irq() frees the IRQ and closes the port if xpv opened it.
 *
 * Handlers must tolerate spurious events, as with any Xen event channel: an
 * event may be coalesced with the next, or delivered once without news (Xen
 * marks a freshly bound interdomain port pending, for one).
 *
 * Errors are negative errnos: -EINVAL for a bad port, domid, vCPU or VIRQ,
 * -ESRCH for a domain that does not exist, -EEXIST for a VIRQ already bound
 * on that vCPU, -EBUSY for a port already bound to an IRQ, -ENOSPC when no
 * port is left; others as Xen returns them.
 */
#ifndef _XPV_EVTCHN_H
#define _XPV_EVTCHN_H

#include <xpv/xpv.h>
#include <linux/interrupt.h>
#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

int xpv_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int xpv_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
				evtchn_port_t *port);
int xpv_evtchn_bind_virq(unsigned int virq, unsigned int cpu,
			 evtchn_port_t *port);
int xpv_evtchn_close(evtchn_port_t port);
int xpv_evtchn_notify(evtchn_port_t port);
int xpv_evtchn_status(evtchn_port_t port, struct evtchn_status *status);

int xpv_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
			unsigned long flags, const char *name, void *dev);
int xpv_evtchn_bind_threaded_irq(evtchn_port_t port, irq_handler_t handler,
				 irq_handler_t thread_fn, unsigned long flags,
				 const char *name, void *dev);
int xpv_evtchn_bind_virq_irq(unsigned int virq, unsigned int cpu,
			     irq_handler_t handler, unsigned long flags,
			     const char *name, void *dev);
void xpv_evtchn_unbind_irq(int irq, void *dev);
evtchn_port_t xpv_evtchn_irq_to_port(int irq);

const char *xpv_evtchn_abi(void);

#endif /* _XPV_EVTCHN_H */
