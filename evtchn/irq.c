// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ports as Linux IRQs: an irq_domain whose hwirq is the port number and an
 * edge irq_chip (ack clears the event, mask/unmask the port's mask, affinity
 * through EVTCHNOP_bind_vcpu), so frontends use request_irq() semantics and
 * their ports show in /proc/interrupts as "xpv-evtchn <port> Edge <name>".
 */
#include "internal.h"
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/mutex.h>
#include <xpv/hypercall.h>

static struct fwnode_handle *fwnode;
static struct irq_domain *domain;
static atomic_long_t stray;

static struct xpv_port *port_of(struct irq_data *d)
{
	return irq_data_get_irq_chip_data(d);
}

static void chip_ack(struct irq_data *d)
{
	struct xpv_port *p = port_of(d);

	xpv_abi->clear_pending(irqd_to_hwirq(d));
	if (p)
		atomic_long_inc(&p->count);
}

static void chip_mask(struct irq_data *d)
{
	xpv_abi->mask(irqd_to_hwirq(d));
}

static void chip_unmask(struct irq_data *d)
{
	xpv_abi->unmask(irqd_to_hwirq(d));
}

/* An edge held while disabled: make the port pending again, delivered. */
static int chip_retrigger(struct irq_data *d)
{
	evtchn_port_t port = irqd_to_hwirq(d);
	bool masked = xpv_abi->is_masked(port);

	xpv_abi->mask(port);
	xpv_abi->set_pending(port);
	if (!masked)
		xpv_abi->unmask(port);
	return 1;
}

/* Move @p to vCPU @cpu; an event pending meanwhile follows it. */
static int rebind(struct xpv_port *p, unsigned int cpu)
{
	struct evtchn_bind_vcpu op = { .port = p->port, .vcpu = cpu };
	bool masked = xpv_abi->is_masked(p->port);
	int ret;

	if (!masked)
		xpv_abi->mask(p->port);
	ret = xpv_event_channel_op(EVTCHNOP_bind_vcpu, &op);
	if (!ret) {
		p->cpu = cpu;
		xpv_abi->bind_cpu(p->port, cpu);
	}
	if (!masked)
		xpv_abi->unmask(p->port);
	return ret;
}

static int chip_set_affinity(struct irq_data *d, const struct cpumask *dest,
			     bool force)
{
	struct xpv_port *p = port_of(d);
	unsigned int cpu;
	int ret;

	cpu = force ? cpumask_first(dest) :
		      cpumask_first_and(dest, cpu_online_mask);
	if (!p || cpu >= nr_cpu_ids)
		return -EINVAL;
	if (p->kind == XPV_PORT_VIRQ) {
		/* Xen never moves a VIRQ port: only its own CPU will do. */
		if (!cpumask_test_cpu(p->cpu, dest))
			return -EINVAL;
		cpu = p->cpu;
	} else if (cpu != p->cpu) {
		ret = rebind(p, cpu);
		if (ret)
			return ret;
	}
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK_DONE;
}

static struct irq_chip evtchn_chip = {
	.name = "xpv-evtchn",
	.irq_ack = chip_ack,
	.irq_mask = chip_mask,
	.irq_unmask = chip_unmask,
	.irq_retrigger = chip_retrigger,
	.irq_set_affinity = chip_set_affinity,
};

static int domain_map(struct irq_domain *d, unsigned int irq,
		      irq_hw_number_t hw)
{
	irq_set_chip_and_handler(irq, &evtchn_chip, handle_edge_irq);
	return 0;
}

static void domain_unmap(struct irq_domain *d, unsigned int irq)
{
	irq_set_chip_and_handler(irq, NULL, NULL);
	irq_set_chip_data(irq, NULL);
}

static const struct irq_domain_ops domain_ops = {
	.map = domain_map,
	.unmap = domain_unmap,
	.xlate = irq_domain_xlate_onecell,
};

/**
 * xpv_evtchn_dispatch() - run the IRQ of a port found pending
 * @port: the port
 * @ctx:  unused
 *
 * A port without an IRQ (bound meanwhile or not at all) is masked and
 * counted as stray; it gets delivered when a handler unmasks it.
 */
void xpv_evtchn_dispatch(evtchn_port_t port, void *ctx)
{
	if (generic_handle_domain_irq(domain, port)) {
		xpv_abi->mask(port);
		atomic_long_inc(&stray);
	}
}

/**
 * xpv_stray_events() - events found on ports without an IRQ
 *
 * Return: their number since load.
 */
unsigned long xpv_stray_events(void)
{
	return atomic_long_read(&stray);
}

/* Map @p's port to an IRQ on its vCPU; @p->irq is set by the caller. */
static int map_port(struct xpv_port *p)
{
	int irq = irq_create_mapping(domain, p->port);

	if (!irq)
		return -ENOMEM;
	irq_set_chip_data(irq, p);
	xpv_abi->bind_cpu(p->port, p->cpu);
	irq_data_update_effective_affinity(irq_get_irq_data(irq),
					   cpumask_of(p->cpu));
	if (p->kind == XPV_PORT_VIRQ) {
		irq_set_status_flags(irq, IRQ_NO_BALANCING);
		irq_set_affinity(irq, cpumask_of(p->cpu));
	}
	return irq;
}

static void unmap_port(struct xpv_port *p, int irq)
{
	irq_dispose_mapping(irq);
	xpv_abi->bind_cpu(p->port, XPV_NO_CPU);
}

/**
 * xpv_evtchn_bind_threaded_irq() - make @port an IRQ and request it
 * @port:      a port from this API, or one Xen gave (then it is not closed
 *             at unbind; it must be unbound or interdomain)
 * @handler:   as for request_threaded_irq()
 * @thread_fn: as for request_threaded_irq()
 * @flags:     IRQF_* as for request_threaded_irq()
 * @name:      shown in /proc/interrupts
 * @dev:       cookie for the handlers and xpv_evtchn_unbind_irq()
 *
 * The IRQ is delivered on the port's vCPU (0 for a new interdomain port);
 * irq_set_affinity() moves it, except for a VIRQ.
 *
 * Context: process context.
 * Return: the Linux IRQ number, or a negative errno (-EBUSY if @port is
 * already bound to an IRQ, -EINVAL if it is not an open port).
 */
int xpv_evtchn_bind_threaded_irq(evtchn_port_t port, irq_handler_t handler,
				 irq_handler_t thread_fn, unsigned long flags,
				 const char *name, void *dev)
{
	struct xpv_port *p;
	int irq, ret;

	mutex_lock(&xpv_ports_lock);
	p = xpv_port_get(port);
	if (IS_ERR(p)) {
		ret = PTR_ERR(p);
		goto out;
	}
	if (p->irq) {
		ret = -EBUSY;
		goto out;
	}
	irq = map_port(p);
	if (irq < 0) {
		ret = irq;
		goto out_forget;
	}
	ret = request_threaded_irq(irq, handler, thread_fn, flags, name, dev);
	if (ret) {
		unmap_port(p, irq);
		goto out_forget;
	}
	p->irq = irq;
	ret = irq;
	goto out;
out_forget:
	if (p->kind == XPV_PORT_GIVEN)
		xpv_port_release(p);
out:
	mutex_unlock(&xpv_ports_lock);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_bind_threaded_irq, XPV);

/**
 * xpv_evtchn_bind_irq() - make @port an IRQ and request it
 * @port:    as for xpv_evtchn_bind_threaded_irq()
 * @handler: hard-IRQ handler
 * @flags:   IRQF_*
 * @name:    shown in /proc/interrupts
 * @dev:     cookie for @handler and xpv_evtchn_unbind_irq()
 *
 * Context: process context.
 * Return: the Linux IRQ number, or a negative errno.
 */
int xpv_evtchn_bind_irq(evtchn_port_t port, irq_handler_t handler,
			unsigned long flags, const char *name, void *dev)
{
	return xpv_evtchn_bind_threaded_irq(port, handler, NULL, flags, name,
					    dev);
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_bind_irq, XPV);

/**
 * xpv_evtchn_bind_virq_irq() - bind VIRQ @virq on @cpu and request its IRQ
 * @virq:    VIRQ_* number
 * @cpu:     the online CPU it is delivered to
 * @handler: hard-IRQ handler
 * @flags:   IRQF_*
 * @name:    shown in /proc/interrupts
 * @dev:     cookie for @handler and xpv_evtchn_unbind_irq()
 *
 * Context: process context.
 * Return: the Linux IRQ number, or a negative errno (see
 * xpv_evtchn_bind_virq()).
 */
int xpv_evtchn_bind_virq_irq(unsigned int virq, unsigned int cpu,
			     irq_handler_t handler, unsigned long flags,
			     const char *name, void *dev)
{
	evtchn_port_t port;
	int ret;

	ret = xpv_evtchn_bind_virq(virq, cpu, &port);
	if (ret)
		return ret;
	ret = xpv_evtchn_bind_irq(port, handler, flags, name, dev);
	if (ret < 0)
		xpv_evtchn_close(port);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_bind_virq_irq, XPV);

static struct xpv_port *irq_port(int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);

	if (!d || irq_data_get_irq_chip(d) != &evtchn_chip)
		return NULL;
	return port_of(d);
}

/**
 * xpv_evtchn_unbind_irq() - free an IRQ from xpv_evtchn_bind_*irq()
 * @irq: the IRQ
 * @dev: the cookie it was requested with
 *
 * Frees the IRQ (waiting for running handlers), disposes of it and closes
 * the port if xpv opened it (a port Xen gave is left open, masked).
 *
 * Context: process context.
 */
void xpv_evtchn_unbind_irq(int irq, void *dev)
{
	struct xpv_port *p = irq_port(irq);

	if (WARN(!p, "IRQ %d is not an xpv event channel\n", irq))
		return;
	free_irq(irq, dev);
	mutex_lock(&xpv_ports_lock);
	unmap_port(p, irq);
	p->irq = 0;
	xpv_port_release(p);
	mutex_unlock(&xpv_ports_lock);
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_unbind_irq, XPV);

/**
 * xpv_evtchn_irq_to_port() - the port behind an IRQ
 * @irq: an IRQ from xpv_evtchn_bind_*irq()
 *
 * Return: the port, or 0 (never a valid port) if @irq is not one.
 */
evtchn_port_t xpv_evtchn_irq_to_port(int irq)
{
	struct xpv_port *p = irq_port(irq);

	return p ? p->port : 0;
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_irq_to_port, XPV);

/**
 * xpv_irq_init() - create the event-channel irq_domain
 *
 * Return: 0 or -ENOMEM.
 */
int xpv_irq_init(void)
{
	fwnode = irq_domain_alloc_named_fwnode("xpv-evtchn");
	if (!fwnode)
		return -ENOMEM;
	domain = irq_domain_create_tree(fwnode, &domain_ops, NULL);
	if (!domain) {
		irq_domain_free_fwnode(fwnode);
		return -ENOMEM;
	}
	return 0;
}

/**
 * xpv_irq_exit() - remove the irq_domain (every IRQ unbound by now)
 */
void xpv_irq_exit(void)
{
	irq_domain_remove(domain);
	irq_domain_free_fwnode(fwnode);
	domain = NULL;
}
