// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 2-level ABI in the kernel: shared_info's pending and mask bitmaps, the
 * vCPU's selector, and per CPU the set of ports it handles (the pending bits
 * are domain-wide). The scan itself is twolevel.c.
 */
#include "internal.h"
#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <xpv/hypercall.h>
#include <xpv/shared.h>
#include "twolevel.h"

struct bound_ports {
	xen_ulong_t word[XPV_2L_NR_WORDS];
};

static DEFINE_PER_CPU(struct bound_ports, bound);
static DEFINE_PER_CPU(struct xpv_2l_cursor, cursor);
static struct shared_info *shinfo;

static unsigned long *bm(xen_ulong_t *words)
{
	return (unsigned long *)words;
}

static int tl_setup(void)
{
	unsigned int w, cpu;

	shinfo = xpv_shared_info();
	/* Nothing is delivered before a handler asks (a reload included). */
	for (w = 0; w < XPV_2L_NR_WORDS; w++)
		WRITE_ONCE(shinfo->evtchn_mask[w], ~(xen_ulong_t)0);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&bound, cpu), 0, sizeof(struct bound_ports));
	return 0;
}

static void tl_teardown(void)
{
}

static int tl_setup_port(evtchn_port_t port)
{
	return port < XPV_2L_NR_PORTS ? 0 : -ENOSPC;
}

static void tl_bind_cpu(evtchn_port_t port, unsigned int cpu)
{
	unsigned int c;

	for_each_possible_cpu(c)
		if (c != cpu)
			clear_bit(port, bm(per_cpu(bound, c).word));
	if (cpu != XPV_NO_CPU)
		set_bit(port, bm(per_cpu(bound, cpu).word));
}

static void tl_set_pending(evtchn_port_t port)
{
	set_bit(port, bm(shinfo->evtchn_pending));
}

static void tl_clear_pending(evtchn_port_t port)
{
	clear_bit(port, bm(shinfo->evtchn_pending));
}

static bool tl_is_pending(evtchn_port_t port)
{
	return test_bit(port, bm(shinfo->evtchn_pending));
}

static bool tl_is_masked(evtchn_port_t port)
{
	return test_bit(port, bm(shinfo->evtchn_mask));
}

static void tl_mask(evtchn_port_t port)
{
	set_bit(port, bm(shinfo->evtchn_mask));
}

static void tl_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	if (xpv_2l_unmask(shinfo->evtchn_pending, shinfo->evtchn_mask, port))
		xpv_event_channel_op(EVTCHNOP_unmask, &op);
}

static void tl_handle_events(unsigned int cpu)
{
	struct xpv_2l_bitmaps b = {
		.pending = shinfo->evtchn_pending,
		.mask = shinfo->evtchn_mask,
		.sel = &xpv_vcpu_info(cpu)->evtchn_pending_sel,
		.bound = per_cpu(bound, cpu).word,
	};

	xpv_2l_scan(&b, this_cpu_ptr(&cursor), xpv_evtchn_dispatch, NULL);
}

const struct xpv_evtchn_abi xpv_abi_2l = {
	.name = "2-level",
	.setup = tl_setup,
	.teardown = tl_teardown,
	.setup_port = tl_setup_port,
	.bind_cpu = tl_bind_cpu,
	.set_pending = tl_set_pending,
	.clear_pending = tl_clear_pending,
	.is_pending = tl_is_pending,
	.is_masked = tl_is_masked,
	.mask = tl_mask,
	.unmask = tl_unmask,
	.handle_events = tl_handle_events,
};
