// SPDX-License-Identifier: GPL-2.0-only
/* Clean errors for bad ports, domids, vCPUs and VIRQs. */
#include "xpvtest.h"
#include <linux/cpumask.h>
#include <linux/interrupt.h>

#define BAD_PORT 0x7ffffffU	/* beyond any ABI */
#define NO_SUCH_DOMAIN 31000	/* a valid domid no domain has here */

static irqreturn_t nop_handler(int irq, void *dev)
{
	return IRQ_HANDLED;
}

static void bad_ports(void)
{
	evtchn_port_t port;
	int irq;

	xt_expect_err(xpv_evtchn_notify(BAD_PORT), -EINVAL,
		      "notify on a bad port: -EINVAL");
	xt_expect_err(xpv_evtchn_close(BAD_PORT), -EINVAL,
		      "close of a port xpv did not open: -EINVAL");
	irq = xpv_evtchn_bind_irq(BAD_PORT, nop_handler, 0, "xpvtest-bad",
				  NULL);
	xt_expect_err(irq, -EINVAL, "bind_irq on a bad port: -EINVAL");
	if (irq > 0)
		xpv_evtchn_unbind_irq(irq, NULL);
	if (xpv_evtchn_alloc_unbound(DOMID_SELF, &port))
		return;
	irq = xpv_evtchn_bind_irq(port, nop_handler, 0, "xpvtest-busy", NULL);
	if (irq > 0) {
		xt_expect_err(xpv_evtchn_bind_irq(port, nop_handler, 0,
						  "xpvtest-busy", NULL),
			      -EBUSY, "second bind_irq of a port: -EBUSY");
		xt_expect_err(xpv_evtchn_close(port), -EBUSY,
			      "close of a port bound to an IRQ: -EBUSY");
		xpv_evtchn_unbind_irq(irq, NULL);
	} else {
		xt_check(false, "second bind_irq of a port: -EBUSY",
			 "first bind failed: %d", irq);
		xpv_evtchn_close(port);
	}
}

static void bad_domains(void)
{
	evtchn_port_t port, other;

	xt_expect_err(xpv_evtchn_alloc_unbound(DOMID_IO, &port), -EINVAL,
		      "alloc_unbound for a reserved domid: -EINVAL");
	xt_expect_err(xpv_evtchn_bind_interdomain(NO_SUCH_DOMAIN, 1, &port),
		      -ESRCH, "bind_interdomain to a missing domain: -ESRCH");
	/* A port waiting for dom0 cannot be bound by this domain. */
	if (xpv_evtchn_alloc_unbound(0, &other))
		return;
	xt_expect_err(xpv_evtchn_bind_interdomain(DOMID_SELF, other, &port),
		      -EINVAL, "bind_interdomain to a port not offered to us: -EINVAL");
	xt_expect_err(xpv_evtchn_close(other), 0, "close of an unbound port");
}

static void bad_virqs(void)
{
	evtchn_port_t port;

	xt_expect_err(xpv_evtchn_bind_virq(VIRQ_DEBUG, nr_cpu_ids, &port),
		      -EINVAL, "bind_virq on a missing CPU: -EINVAL");
	xt_expect_err(xpv_evtchn_bind_virq(9999, 0, &port), -EINVAL,
		      "bind_virq of a bad VIRQ: -EINVAL");
}

/**
 * xt_errors_run() - the error-path checks
 */
void xt_errors_run(void)
{
	bad_ports();
	bad_domains();
	bad_virqs();
}
