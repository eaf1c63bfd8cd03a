// SPDX-License-Identifier: GPL-2.0-only
/*
 * The FIFO ABI in the kernel: per-vCPU control blocks and the event array
 * live in xpv_hypercall (include/xpv/shared.h), because Xen keeps using them
 * for the rest of the boot; this file keeps only each CPU's position in its
 * queues. Queue consumption itself is fifo.c.
 *
 * At unload the queues are drained (events unlinked, left pending) so the
 * next load starts from empty positions, with Xen starting new queues
 * through the control blocks' heads: nothing is lost, a port whose event
 * was drained is still pending and gets it delivered when unmasked.
 */
#include "internal.h"
#include <linux/percpu.h>
#include <xpv/hypercall.h>
#include <xpv/shared.h>
#include "fifo.h"

static DEFINE_PER_CPU(struct xpv_fifo_queues, queues);
static const struct xpv_fifo_array *array;

static event_word_t *word(evtchn_port_t port)
{
	return xpv_fifo_word(array, port);
}

static int fifo_setup(void)
{
	array = xpv_fifo_array();
	return xpv_fifo_enable();
}

static void drop(evtchn_port_t port, void *ctx)
{
}

static void fifo_teardown(void)
{
	struct evtchn_fifo_control_block *cb;
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		cb = xpv_fifo_control_block(cpu);
		if (cb)
			xpv_fifo_consume(per_cpu_ptr(&queues, cpu), cb, array,
					 drop, NULL);
	}
}

static int fifo_setup_port(evtchn_port_t port)
{
	return xpv_fifo_expand(port);
}

static void fifo_bind_cpu(evtchn_port_t port, unsigned int cpu)
{
}

static void fifo_set_pending(evtchn_port_t port)
{
	event_word_t *w = word(port);

	if (w)
		xpv_fifo_set(w, EVTCHN_FIFO_PENDING);
}

static void fifo_clear_pending(evtchn_port_t port)
{
	event_word_t *w = word(port);

	if (w)
		xpv_fifo_clear(w, EVTCHN_FIFO_PENDING);
}

static bool fifo_is_pending(evtchn_port_t port)
{
	event_word_t *w = word(port);

	return w && xpv_fifo_test(w, EVTCHN_FIFO_PENDING);
}

static bool fifo_is_masked(evtchn_port_t port)
{
	event_word_t *w = word(port);

	return !w || xpv_fifo_test(w, EVTCHN_FIFO_MASKED);
}

static void fifo_mask(evtchn_port_t port)
{
	event_word_t *w = word(port);

	if (w)
		xpv_fifo_set(w, EVTCHN_FIFO_MASKED);
}

static void fifo_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };
	event_word_t *w = word(port);

	if (w && xpv_fifo_unmask(w))
		xpv_event_channel_op(EVTCHNOP_unmask, &op);
}

static void fifo_handle_events(unsigned int cpu)
{
	struct evtchn_fifo_control_block *cb = xpv_fifo_control_block(cpu);

	if (cb)
		xpv_fifo_consume(this_cpu_ptr(&queues), cb, array,
				 xpv_evtchn_dispatch, NULL);
}

const struct xpv_evtchn_abi xpv_abi_fifo = {
	.name = "fifo",
	.setup = fifo_setup,
	.teardown = fifo_teardown,
	.setup_port = fifo_setup_port,
	.bind_cpu = fifo_bind_cpu,
	.set_pending = fifo_set_pending,
	.clear_pending = fifo_clear_pending,
	.is_pending = fifo_is_pending,
	.is_masked = fifo_is_masked,
	.mask = fifo_mask,
	.unmask = fifo_unmask,
	.handle_events = fifo_handle_events,
};
