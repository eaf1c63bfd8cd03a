// SPDX-License-Identifier: GPL-2.0-only
/*
 * The upcall: Xen raises the per-CPU PPI from the /hypervisor node when the
 * vCPU has events; its handler clears evtchn_upcall_pending and lets the
 * ABI dispatch them, again while Xen sets the flag anew meanwhile.
 */
#include "internal.h"
#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/percpu.h>
#include <asm/barrier.h>
#include <xpv/platform.h>
#include <xpv/shared.h>

static DEFINE_PER_CPU(unsigned long, upcalls);
static unsigned int upcall_irq;
static int upcall_state;

static irqreturn_t upcall_handler(int irq, void *dev)
{
	unsigned int cpu = smp_processor_id();
	struct vcpu_info *vi = xpv_vcpu_info(cpu);
	unsigned long *count = dev;

	if (!vi)
		return IRQ_NONE;
	(*count)++;
	do {
		WRITE_ONCE(vi->evtchn_upcall_pending, 0);
		/*
		 * Both ABIs start with a fully ordered exchange (selector,
		 * ready word): the clear is visible before they look.
		 */
		xpv_abi->handle_events(cpu);
		/* Re-read the flag Xen may have set while we dispatched. */
		virt_rmb();
	} while (READ_ONCE(vi->evtchn_upcall_pending));
	return IRQ_HANDLED;
}

static int upcall_cpu_online(unsigned int cpu)
{
	enable_percpu_irq(upcall_irq, IRQ_TYPE_NONE);
	return 0;
}

static int upcall_cpu_offline(unsigned int cpu)
{
	disable_percpu_irq(upcall_irq);
	return 0;
}

/**
 * xpv_upcall_init() - request the upcall PPI and enable it on every CPU
 *
 * Return: 0 or a negative errno.
 */
int xpv_upcall_init(void)
{
	int ret;

	upcall_irq = xpv_platform()->evtchn_irq;
	ret = request_percpu_irq(upcall_irq, upcall_handler,
				 "xpv-evtchn-upcall", &upcalls);
	if (ret) {
		pr_err("cannot request upcall IRQ %u: %d\n", upcall_irq, ret);
		return ret;
	}
	ret = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "xpv/evtchn:online",
				upcall_cpu_online, upcall_cpu_offline);
	if (ret < 0) {
		free_percpu_irq(upcall_irq, &upcalls);
		return ret;
	}
	upcall_state = ret;
	return 0;
}

/**
 * xpv_upcall_exit() - disable the upcall on every CPU and free it
 */
void xpv_upcall_exit(void)
{
	cpuhp_remove_state(upcall_state);
	free_percpu_irq(upcall_irq, &upcalls);
}

/**
 * xpv_upcalls() - upcalls taken on @cpu since load
 * @cpu: a possible CPU
 *
 * Return: the count.
 */
unsigned long xpv_upcalls(unsigned int cpu)
{
	return READ_ONCE(per_cpu(upcalls, cpu));
}
