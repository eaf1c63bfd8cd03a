// SPDX-License-Identifier: GPL-2.0-only
/*
 * 100 000 notifications over a loopback channel, every one accounted for:
 * the sender bumps a sequence number before each notify, the handler records
 * the highest it has seen (never going back); events may coalesce, but the
 * handler must see the final value. Half way, the receiving IRQ moves to
 * another CPU (EVTCHNOP_bind_vcpu) and must keep receiving there. The IRQ
 * stays bound until rmmod, for the guest script to find in
 * /proc/interrupts and debugfs.
 */
#include "xpvtest.h"
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/sched.h>
#include <linux/wait.h>

#define LOOP_NAME "xpvtest-loop"

static struct loop_state {
	struct xt_loop ch;
	int irq;
	unsigned long seq;		/* written by the sender only */
	unsigned long seen;		/* highest seq the handler saw */
	unsigned long handled;
	unsigned int last_cpu;
	bool went_back;
	wait_queue_head_t wq;
} lp;

/**
 * xt_loop_open() - open a loopback channel in this domain
 * @l: filled with both ports
 *
 * Xen's EVTCHNOP_alloc_unbound takes DOMID_SELF as the remote domain (the
 * port waits for this very domain), and EVTCHNOP_bind_interdomain resolves
 * DOMID_SELF to the caller: the local port it returns is connected to it.
 *
 * Return: 0 or a negative errno (nothing left open).
 */
int xt_loop_open(struct xt_loop *l)
{
	int ret = xpv_evtchn_alloc_unbound(DOMID_SELF, &l->unbound);

	if (ret)
		return ret;
	ret = xpv_evtchn_bind_interdomain(DOMID_SELF, l->unbound, &l->local);
	if (ret)
		xpv_evtchn_close(l->unbound);
	return ret;
}

static irqreturn_t loop_handler(int irq, void *dev)
{
	struct loop_state *s = dev;
	unsigned long seq;

	/* Pairs with the sender's smp_mb() before the notify. */
	smp_rmb();
	seq = READ_ONCE(s->seq);
	if (seq < s->seen)
		s->went_back = true;
	WRITE_ONCE(s->seen, seq);
	s->handled++;
	WRITE_ONCE(s->last_cpu, smp_processor_id());
	wake_up(&s->wq);
	return IRQ_HANDLED;
}

/* Send notifications from..to, then wait for the handler to see @to. */
static bool send_and_wait(unsigned long from, unsigned long to)
{
	unsigned long i;

	for (i = from; i <= to; i++) {
		WRITE_ONCE(lp.seq, i);
		smp_mb();	/* the new seq before the event */
		if (xpv_evtchn_notify(lp.ch.local))
			return false;
		if (!(i % 1024))
			cond_resched();
	}
	return wait_event_timeout(lp.wq, READ_ONCE(lp.seen) == to, 10 * HZ);
}

static unsigned int other_cpu(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (cpu != lp.last_cpu)
			return cpu;
	return nr_cpu_ids;
}

/**
 * xt_loopback_run() - the loopback delivery test
 * @notifications: how many to send (at least 2)
 */
void xt_loopback_run(unsigned int notifications)
{
	unsigned long half = notifications / 2, n = notifications;
	unsigned int target;
	int ret;

	init_waitqueue_head(&lp.wq);
	ret = xt_loop_open(&lp.ch);
	xt_check(!ret, "loopback channel: alloc_unbound + bind_interdomain (DOMID_SELF)",
		 "error %d", ret);
	if (ret)
		return;
	xt_note("loopback ports %u (unbound end) <-> %u", lp.ch.unbound,
		lp.ch.local);
	lp.irq = xpv_evtchn_bind_irq(lp.ch.unbound, loop_handler, 0,
				     LOOP_NAME, &lp);
	xt_check(lp.irq > 0, "loopback port bound to an IRQ", "error %d",
		 lp.irq);
	if (lp.irq <= 0) {
		lp.irq = 0;
		return;
	}
	xt_check(xpv_evtchn_irq_to_port(lp.irq) == lp.ch.unbound,
		 "irq_to_port gives the port back", "got %u",
		 xpv_evtchn_irq_to_port(lp.irq));
	xt_check(send_and_wait(1, half), "first half of the notifications delivered",
		 "handler saw %lu of %lu", READ_ONCE(lp.seen), half);

	target = other_cpu();
	if (target < nr_cpu_ids) {
		ret = irq_set_affinity(lp.irq, cpumask_of(target));
		xt_check(!ret, "loopback IRQ moved to another CPU",
			 "irq_set_affinity: %d", ret);
	} else {
		xt_skip("loopback IRQ moved to another CPU", "one CPU");
	}
	xt_check(send_and_wait(half + 1, n),
		 "all notifications accounted for (final sequence seen)",
		 "handler saw %lu of %lu", READ_ONCE(lp.seen), n);
	if (target < nr_cpu_ids)
		xt_check(READ_ONCE(lp.last_cpu) == target,
			 "events delivered on the new CPU", "last on CPU %u, not %u",
			 READ_ONCE(lp.last_cpu), target);
	xt_check(!lp.went_back, "handler never saw the sequence go back",
		 "it did");
	xt_check(lp.handled >= 1 && lp.handled <= n + 1,
		 "handler ran at most once per notification (+1 at bind)",
		 "%lu runs for %lu", lp.handled, n);
	xt_note("loopback: %lu notifications, %lu handler runs (coalesced %lu)",
		n, lp.handled, n + 1 - lp.handled);
}

/**
 * xt_loopback_exit() - unbind the loopback IRQ and close both ports
 */
void xt_loopback_exit(void)
{
	if (lp.irq) {
		xpv_evtchn_unbind_irq(lp.irq, &lp);
		xpv_evtchn_close(lp.ch.local);
		lp.irq = 0;
	}
}
