// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ports: the EVTCHNOP_* calls of the public API, and the table of every port
 * xpv_evtchn opened or was given, so that an unload closes what it opened.
 */
#include "internal.h"
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <xpv/hypercall.h>

/* Guards the table's membership and each entry's irq. */
DEFINE_MUTEX(xpv_ports_lock);
static DEFINE_XARRAY(ports);

static bool domid_ok(domid_t dom)
{
	return dom == DOMID_SELF || dom < DOMID_FIRST_RESERVED;
}

static int close_port(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	return xpv_event_channel_op(EVTCHNOP_close, &op);
}

static bool owned(const struct xpv_port *p)
{
	return p->kind != XPV_PORT_GIVEN;
}

/* Enter a port Xen just gave us into the table, masked; close on failure. */
static int track(evtchn_port_t port, enum xpv_port_kind kind,
		 unsigned int remote, unsigned int cpu, evtchn_port_t *out)
{
	struct xpv_port *p = kzalloc(sizeof(*p), GFP_KERNEL);
	int ret = -ENOMEM;

	if (p) {
		p->port = port;
		p->kind = kind;
		p->remote = remote;
		p->cpu = cpu;
		mutex_lock(&xpv_ports_lock);
		ret = xpv_abi->setup_port(port);
		if (!ret) {
			xpv_abi->mask(port);
			ret = xa_insert(&ports, port, p, GFP_KERNEL);
		}
		mutex_unlock(&xpv_ports_lock);
	}
	if (ret) {
		pr_err("port %u unusable, closed: %d\n", port, ret);
		kfree(p);
		close_port(port);
		return ret;
	}
	*out = port;
	return 0;
}

/**
 * xpv_evtchn_alloc_unbound() - open a port for domain @remote to bind to
 * @remote: the domain allowed to bind (DOMID_SELF for a loopback)
 * @port:   set to the new local port
 *
 * Context: process context.
 * Return: 0 or a negative errno (-EINVAL for a reserved @remote).
 */
int xpv_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF,
		.remote_dom = remote,
	};
	int ret;

	if (!port || !domid_ok(remote))
		return -EINVAL;
	ret = xpv_event_channel_op(EVTCHNOP_alloc_unbound, &op);
	if (ret)
		return ret;
	return track(op.port, XPV_PORT_UNBOUND, remote, 0, port);
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_alloc_unbound, XPV);

/**
 * xpv_evtchn_bind_interdomain() - connect to an unbound port of @remote
 * @remote:      the remote domain (DOMID_SELF for a loopback)
 * @remote_port: its port, allocated unbound for this domain
 * @port:        set to the new local port (notifies vCPU 0 at first)
 *
 * Context: process context.
 * Return: 0 or a negative errno (-ESRCH: no such domain; -EINVAL: the
 * remote port is not unbound for this domain, or a reserved @remote).
 */
int xpv_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
				evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = {
		.remote_dom = remote,
		.remote_port = remote_port,
	};
	int ret;

	if (!port || !domid_ok(remote))
		return -EINVAL;
	ret = xpv_event_channel_op(EVTCHNOP_bind_interdomain, &op);
	if (ret)
		return ret;
	return track(op.local_port, XPV_PORT_INTERDOMAIN, remote, 0, port);
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_bind_interdomain, XPV);

/**
 * xpv_evtchn_bind_virq() - open a port for VIRQ @virq on vCPU @cpu
 * @virq: VIRQ_* number (xen/interface/xen.h)
 * @cpu:  the online CPU it is delivered to (global VIRQs: CPU 0 only)
 * @port: set to the new port; its vCPU can never change
 *
 * Context: process context.
 * Return: 0 or a negative errno (-EEXIST if already bound on @cpu,
 * -EINVAL for a bad @virq or @cpu).
 */
int xpv_evtchn_bind_virq(unsigned int virq, unsigned int cpu,
			 evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = cpu };
	int ret;

	if (!port || cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -EINVAL;
	ret = xpv_event_channel_op(EVTCHNOP_bind_virq, &op);
	if (ret)
		return ret;
	return track(op.port, XPV_PORT_VIRQ, virq, cpu, port);
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_bind_virq, XPV);

/**
 * xpv_evtchn_close() - close a port opened through this API
 * @port: the port, not bound to an IRQ (xpv_evtchn_unbind_irq() closes
 *        those itself)
 *
 * Context: process context.
 * Return: 0; -EINVAL if xpv did not open @port; -EBUSY if it is bound to
 * an IRQ; else Xen's error (the port is forgotten anyway).
 */
int xpv_evtchn_close(evtchn_port_t port)
{
	struct xpv_port *p;
	int ret;

	mutex_lock(&xpv_ports_lock);
	p = xa_load(&ports, port);
	if (!p || !owned(p)) {
		ret = -EINVAL;
	} else if (p->irq) {
		ret = -EBUSY;
	} else {
		ret = close_port(port);
		xa_erase(&ports, port);
		kfree_rcu(p, rcu);
	}
	mutex_unlock(&xpv_ports_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_close, XPV);

/**
 * xpv_evtchn_notify() - send an event to the other end of @port
 * @port: a local port (EVTCHNOP_send)
 *
 * Context: any context.
 * Return: 0 (also for an unbound port: Xen drops the event) or -EINVAL for
 * a port that is not open.
 */
int xpv_evtchn_notify(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return xpv_event_channel_op(EVTCHNOP_send, &op);
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_notify, XPV);

/**
 * xpv_evtchn_status() - Xen's view of a local port (EVTCHNOP_status)
 * @port:   a port of this domain
 * @status: filled in; status->status is EVTCHNSTAT_closed for a free port
 *
 * Context: any context.
 * Return: 0 or -EINVAL for a port beyond the domain's range.
 */
int xpv_evtchn_status(evtchn_port_t port, struct evtchn_status *status)
{
	memset(status, 0, sizeof(*status));
	status->dom = DOMID_SELF;
	status->port = port;
	return xpv_event_channel_op(EVTCHNOP_status, status);
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_status, XPV);

/* A port xpv did not open: accept it if Xen says it is an event channel. */
static struct xpv_port *adopt(evtchn_port_t port)
{
	struct evtchn_status st;
	struct xpv_port *p;
	int ret;

	ret = xpv_evtchn_status(port, &st);
	if (ret)
		return ERR_PTR(ret);
	if (st.status != EVTCHNSTAT_unbound &&
	    st.status != EVTCHNSTAT_interdomain)
		return ERR_PTR(-EINVAL);
	if (st.vcpu >= nr_cpu_ids || !cpu_online(st.vcpu))
		st.vcpu = 0;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->port = port;
	p->kind = XPV_PORT_GIVEN;
	p->remote = st.status == EVTCHNSTAT_interdomain ?
		    st.u.interdomain.dom : st.u.unbound.dom;
	p->cpu = st.vcpu;
	ret = xpv_abi->setup_port(port);
	if (!ret) {
		xpv_abi->mask(port);
		ret = xa_insert(&ports, port, p, GFP_KERNEL);
	}
	if (ret) {
		kfree(p);
		return ERR_PTR(ret);
	}
	return p;
}

/**
 * xpv_port_get() - the table entry of @port, adopting a port Xen gave
 * @port: the port
 *
 * Context: xpv_ports_lock held.
 * Return: the entry or an ERR_PTR().
 */
struct xpv_port *xpv_port_get(evtchn_port_t port)
{
	struct xpv_port *p = xa_load(&ports, port);

	lockdep_assert_held(&xpv_ports_lock);
	return p ? p : adopt(port);
}

/**
 * xpv_port_release() - forget @p, closing its port if xpv opened it
 * @p: an entry not bound to an IRQ
 *
 * Context: xpv_ports_lock held.
 */
void xpv_port_release(struct xpv_port *p)
{
	lockdep_assert_held(&xpv_ports_lock);
	if (owned(p))
		close_port(p->port);
	xa_erase(&ports, p->port);
	kfree_rcu(p, rcu);
}

/**
 * xpv_ports_walk() - call @fn for every port in the table, in port order
 * @fn:  the function; it must not change the table
 * @ctx: passed to @fn
 *
 * Context: process context; takes xpv_ports_lock.
 */
void xpv_ports_walk(void (*fn)(struct xpv_port *p, void *ctx), void *ctx)
{
	struct xpv_port *p;
	unsigned long port;

	mutex_lock(&xpv_ports_lock);
	xa_for_each(&ports, port, p)
		fn(p, ctx);
	mutex_unlock(&xpv_ports_lock);
}

/* Is @port closed according to Xen? */
static bool closed_in_xen(evtchn_port_t port)
{
	struct evtchn_status st;

	return !xpv_evtchn_status(port, &st) &&
	       st.status == EVTCHNSTAT_closed;
}

/**
 * xpv_ports_exit() - close every port xpv opened, at unload
 *
 * Every user module is gone by now, so no port is bound to an IRQ unless a
 * user leaked it (then its IRQ and port are left alone, with a warning).
 * Once all are closed (closing one end of a loopback makes the other end
 * unbound), each is checked with EVTCHNOP_status and the result is logged:
 * "closed N port(s); Xen: all closed" or how many it still has open.
 */
void xpv_ports_exit(void)
{
	unsigned long port, closed = 0, open = 0;
	struct xpv_port *p;

	mutex_lock(&xpv_ports_lock);
	xa_for_each(&ports, port, p) {
		if (WARN(p->irq, "port %lu still bound to IRQ %d\n", port,
			 p->irq))
			continue;
		if (owned(p)) {
			close_port(port);
			closed++;
		}
	}
	xa_for_each(&ports, port, p) {
		if (p->irq)
			continue;
		if (owned(p) && !closed_in_xen(port)) {
			pr_err("port %lu still open in Xen after close\n",
			       port);
			open++;
		}
		xa_erase(&ports, port);
		kfree_rcu(p, rcu);
	}
	mutex_unlock(&xpv_ports_lock);
	if (open)
		pr_err("closed %lu port(s); Xen: %lu still open\n", closed,
		       open);
	else
		pr_info("closed %lu port(s); Xen: all closed\n", closed);
}
