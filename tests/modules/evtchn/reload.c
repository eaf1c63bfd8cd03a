// SPDX-License-Identifier: GPL-2.0-only
/*
 * The quick mode of the reload loop (mode=ports): open a loopback channel,
 * deliver a few events through it, and print the port numbers as
 * "xpvtest: # ports <unbound> <local> <extra>". The IRQ is unbound at
 * rmmod, which closes its port; <local> and <extra> (an unbound port
 * nobody binds) are left open on purpose: xpv_evtchn's unload must close
 * them. The guest script checks each round got the same numbers (nothing
 * leaked, ports reused).
 */
#include "xpvtest.h"
#include <linux/interrupt.h>
#include <linux/wait.h>

static struct xt_loop ch;
static evtchn_port_t extra;
static int irq;
static unsigned long seen;
static DECLARE_WAIT_QUEUE_HEAD(wq);

static irqreturn_t handler(int irq, void *dev)
{
	WRITE_ONCE(seen, seen + 1);
	wake_up(&wq);
	return IRQ_HANDLED;
}

/**
 * xt_ports_run() - the quick reload-round test
 */
void xt_ports_run(void)
{
	int ret = xt_loop_open(&ch);
	unsigned int i;

	if (!ret)
		ret = xpv_evtchn_alloc_unbound(DOMID_SELF, &extra);
	xt_check(!ret, "reload round: ports opened", "error %d", ret);
	if (ret)
		return;
	xt_note("ports %u %u %u", ch.unbound, ch.local, extra);
	irq = xpv_evtchn_bind_irq(ch.unbound, handler, 0, "xpvtest-reload",
				  NULL);
	xt_check(irq > 0, "reload round: IRQ bound", "error %d", irq);
	if (irq <= 0) {
		irq = 0;
		return;
	}
	for (i = 0; i < 10; i++) {
		unsigned long before = READ_ONCE(seen);

		xpv_evtchn_notify(ch.local);
		if (!wait_event_timeout(wq, READ_ONCE(seen) > before, 5 * HZ))
			break;
	}
	xt_check(i == 10, "reload round: events delivered", "%u of 10", i);
}

/**
 * xt_ports_exit() - unbind the IRQ; leave the other ports for the unload
 */
void xt_ports_exit(void)
{
	if (irq)
		xpv_evtchn_unbind_irq(irq, NULL);
	irq = 0;
}
