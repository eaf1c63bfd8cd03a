/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces of xpv_evtchn.ko. */
#ifndef _XPV_EVTCHN_INTERNAL_H
#define _XPV_EVTCHN_INTERNAL_H

#define pr_fmt(fmt) "xpv: evtchn: " fmt

#include <xpv/xpv.h>
#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <xpv/evtchn.h>

/* The CPU of a port bound to none (xpv_evtchn_abi.bind_cpu). */
#define XPV_NO_CPU UINT_MAX

/**
 * enum xpv_port_kind - how a port was obtained
 * @XPV_PORT_UNBOUND:     xpv_evtchn_alloc_unbound()
 * @XPV_PORT_INTERDOMAIN: xpv_evtchn_bind_interdomain()
 * @XPV_PORT_VIRQ:        xpv_evtchn_bind_virq()
 * @XPV_PORT_GIVEN:       not opened by xpv (e.g. the xenstore port), only
 *                        bound to an IRQ; never closed by xpv
 */
enum xpv_port_kind {
	XPV_PORT_UNBOUND,
	XPV_PORT_INTERDOMAIN,
	XPV_PORT_VIRQ,
	XPV_PORT_GIVEN,
};

/**
 * struct xpv_port - a port xpv_evtchn knows
 * @port:   the port number
 * @kind:   how it was obtained
 * @remote: remote domain (unbound, interdomain) or VIRQ number
 * @cpu:    the vCPU Xen notifies
 * @irq:    the Linux IRQ it is bound to, 0 if none
 * @count:  events acknowledged (handled or held while disabled)
 * @rcu:    freed after the upcalls that may still see it
 */
struct xpv_port {
	evtchn_port_t port;
	enum xpv_port_kind kind;
	unsigned int remote;
	unsigned int cpu;
	int irq;
	atomic_long_t count;
	struct rcu_head rcu;
};

/**
 * struct xpv_evtchn_abi - one event-channel ABI (2-level or FIFO)
 * @name:          as reported to users
 * @setup:         take the ABI into use
 * @teardown:      stop using it (the upcall is gone by then)
 * @setup_port:    make @port usable (FIFO: grow the event array)
 * @bind_cpu:      @port is now handled by @cpu (or XPV_NO_CPU)
 * @set_pending:   mark @port pending (for a retrigger)
 * @clear_pending: acknowledge @port's event
 * @is_pending:    is @port pending?
 * @is_masked:     is @port masked?
 * @mask:          mask @port
 * @unmask:        unmask @port, delivering an event that came while masked
 * @handle_events: dispatch @cpu's pending events (upcall, IRQs off)
 */
struct xpv_evtchn_abi {
	const char *name;
	int (*setup)(void);
	void (*teardown)(void);
	int (*setup_port)(evtchn_port_t port);
	void (*bind_cpu)(evtchn_port_t port, unsigned int cpu);
	void (*set_pending)(evtchn_port_t port);
	void (*clear_pending)(evtchn_port_t port);
	bool (*is_pending)(evtchn_port_t port);
	bool (*is_masked)(evtchn_port_t port);
	void (*mask)(evtchn_port_t port);
	void (*unmask)(evtchn_port_t port);
	void (*handle_events)(unsigned int cpu);
};

extern const struct xpv_evtchn_abi xpv_abi_2l;
extern const struct xpv_evtchn_abi xpv_abi_fifo;
extern const struct xpv_evtchn_abi *xpv_abi;

/* port.c: the ports xpv knows; xpv_ports_lock guards the table and ->irq. */
extern struct mutex xpv_ports_lock;
struct xpv_port *xpv_port_get(evtchn_port_t port);
void xpv_port_release(struct xpv_port *p);
void xpv_ports_walk(void (*fn)(struct xpv_port *p, void *ctx), void *ctx);
void xpv_ports_exit(void);

/* irq.c */
int xpv_irq_init(void);
void xpv_irq_exit(void);
void xpv_evtchn_dispatch(evtchn_port_t port, void *ctx);
unsigned long xpv_stray_events(void);

/* upcall.c */
int xpv_upcall_init(void);
void xpv_upcall_exit(void);
unsigned long xpv_upcalls(unsigned int cpu);

/* debugfs.c */
void xpv_debugfs_init(void);
void xpv_debugfs_exit(void);

#endif /* _XPV_EVTCHN_INTERNAL_H */
