// SPDX-License-Identifier: GPL-2.0-only
/*
 * VIRQ_DEBUG on every online CPU. It is a per-vCPU VIRQ any guest may bind,
 * and Xen raises it on every vCPU of every domain for the 'q' debug key
 * (xl debug-keys q in dom0). Xen on ARM never sends VIRQ_TIMER (guests use
 * the architected timer), and a guest cannot raise VIRQ_DEBUG itself: with
 * wait_ms > 0 the test waits that long for dom0 to press the key, else it
 * checks binding, Xen's view (EVTCHNOP_status), the fixed affinity and the
 * unbinding only.
 */
#include "xpvtest.h"
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/slab.h>

struct virq_cpu {
	int irq;
	evtchn_port_t port;
	atomic_t hits;
	unsigned int cpu;
};

static irqreturn_t virq_handler(int irq, void *dev)
{
	struct virq_cpu *v = dev;

	if (smp_processor_id() == v->cpu)
		atomic_inc(&v->hits);
	return IRQ_HANDLED;
}

static bool status_is(evtchn_port_t port, u32 state, unsigned int cpu)
{
	struct evtchn_status st;

	if (xpv_evtchn_status(port, &st))
		return false;
	if (state != EVTCHNSTAT_virq)
		return st.status == state;
	return st.status == state && st.u.virq == VIRQ_DEBUG &&
	       st.vcpu == cpu;
}

static void bind_all(struct virq_cpu *v, unsigned int n)
{
	unsigned int cpu, i = 0, ok = 0;
	evtchn_port_t dup;

	for_each_online_cpu(cpu) {
		if (i == n)
			break;
		v[i].cpu = cpu;
		v[i].irq = xpv_evtchn_bind_virq_irq(VIRQ_DEBUG, cpu,
						    virq_handler, 0,
						    "xpvtest-virq-debug",
						    &v[i]);
		if (v[i].irq > 0) {
			v[i].port = xpv_evtchn_irq_to_port(v[i].irq);
			ok += status_is(v[i].port, EVTCHNSTAT_virq, cpu);
		}
		i++;
	}
	xt_check(ok == i, "VIRQ_DEBUG bound on every CPU (EVTCHNOP_status agrees)",
		 "%u of %u", ok, i);
	if (v[0].irq > 0)
		xt_expect_err(xpv_evtchn_bind_virq(VIRQ_DEBUG, v[0].cpu, &dup),
			      -EEXIST, "VIRQ bound twice on a CPU: -EEXIST");
	if (i > 1 && v[0].irq > 0)
		xt_check(irq_set_affinity(v[0].irq, cpumask_of(v[1].cpu)) < 0,
			 "a VIRQ's IRQ cannot move to another CPU",
			 "irq_set_affinity succeeded");
}

static void wait_delivery(struct virq_cpu *v, unsigned int n,
			  unsigned int wait_ms)
{
	unsigned int i, got, waited = 0;

	if (!wait_ms) {
		xt_skip("VIRQ_DEBUG delivered on every CPU",
			"nothing raises it (virq_wait_ms=0)");
		return;
	}
	xt_note("waiting %u ms for VIRQ_DEBUG: run 'xl debug-keys q' in dom0",
		wait_ms);
	do {
		for (i = 0, got = 0; i < n; i++)
			got += v[i].irq > 0 && atomic_read(&v[i].hits);
		if (got == n)
			break;
		msleep(20);
		waited += 20;
	} while (waited < wait_ms);
	xt_check(got == n, "VIRQ_DEBUG delivered on every CPU",
		 "on %u of %u CPUs", got, n);
}

static void unbind_all(struct virq_cpu *v, unsigned int n)
{
	unsigned int i, closed = 0, bound = 0;

	for (i = 0; i < n; i++) {
		if (v[i].irq <= 0)
			continue;
		bound++;
		xpv_evtchn_unbind_irq(v[i].irq, &v[i]);
		closed += status_is(v[i].port, EVTCHNSTAT_closed, 0);
	}
	xt_check(closed == bound, "VIRQ ports closed at unbind (EVTCHNOP_status)",
		 "%u of %u", closed, bound);
}

/**
 * xt_virq_run() - the VIRQ test
 * @wait_ms: how long to wait for a delivery (0: do not)
 */
void xt_virq_run(unsigned int wait_ms)
{
	unsigned int n = num_online_cpus();
	struct virq_cpu *v = kcalloc(n, sizeof(*v), GFP_KERNEL);

	if (!v) {
		xt_check(false, "VIRQ test", "out of memory");
		return;
	}
	bind_all(v, n);
	wait_delivery(v, n, wait_ms);
	unbind_all(v, n);
	kfree(v);
}
