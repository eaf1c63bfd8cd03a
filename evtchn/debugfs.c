// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/xpv_evtchn/: "abi" (the ABI in use), "ports" (every port
 * xpv_evtchn knows: Xen's view of it from EVTCHNOP_status, its IRQ, pending
 * and mask bits, events acknowledged), "upcalls" (per CPU, and stray events).
 */
#include "internal.h"
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

static struct dentry *dir;

static int abi_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "%s\n", xpv_abi->name);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(abi);

static const char *const state_names[] = {
	[EVTCHNSTAT_closed] = "closed",
	[EVTCHNSTAT_unbound] = "unbound",
	[EVTCHNSTAT_interdomain] = "interdomain",
	[EVTCHNSTAT_pirq] = "pirq",
	[EVTCHNSTAT_virq] = "virq",
	[EVTCHNSTAT_ipi] = "ipi",
};

/* "bound-to" column, one word: what Xen says the port is connected to. */
static void show_peer(struct seq_file *m, const struct evtchn_status *st)
{
	char peer[24] = "-";

	switch (st->status) {
	case EVTCHNSTAT_unbound:
		snprintf(peer, sizeof(peer), "dom%u", st->u.unbound.dom);
		break;
	case EVTCHNSTAT_interdomain:
		snprintf(peer, sizeof(peer), "dom%u:%u", st->u.interdomain.dom,
			 st->u.interdomain.port);
		break;
	case EVTCHNSTAT_virq:
		snprintf(peer, sizeof(peer), "virq%u", st->u.virq);
		break;
	}
	seq_printf(m, "%-13s", peer);
}

static void show_port(struct xpv_port *p, void *ctx)
{
	struct seq_file *m = ctx;
	struct evtchn_status st;
	const char *state = "error";

	if (!xpv_evtchn_status(p->port, &st) &&
	    st.status < ARRAY_SIZE(state_names))
		state = state_names[st.status];
	else
		st.status = EVTCHNSTAT_closed;
	seq_printf(m, "%5u %-11s ", p->port, state);
	show_peer(m, &st);
	seq_printf(m, " %4u %5d %7u %6u %10ld %s\n", st.vcpu, p->irq,
		   xpv_abi->is_pending(p->port), xpv_abi->is_masked(p->port),
		   atomic_long_read(&p->count),
		   p->kind == XPV_PORT_GIVEN ? "given" : "opened");
}

static int ports_show(struct seq_file *m, void *unused)
{
	seq_puts(m, " port state       bound-to      vcpu   irq pending masked      count by\n");
	xpv_ports_walk(show_port, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ports);

static int upcalls_show(struct seq_file *m, void *unused)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		seq_printf(m, "cpu%u %lu\n", cpu, xpv_upcalls(cpu));
	seq_printf(m, "stray %lu\n", xpv_stray_events());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(upcalls);

/**
 * xpv_debugfs_init() - create /sys/kernel/debug/xpv_evtchn (best effort)
 */
void xpv_debugfs_init(void)
{
	dir = debugfs_create_dir("xpv_evtchn", NULL);
	debugfs_create_file("abi", 0444, dir, NULL, &abi_fops);
	debugfs_create_file("ports", 0444, dir, NULL, &ports_fops);
	debugfs_create_file("upcalls", 0444, dir, NULL, &upcalls_fops);
}

/**
 * xpv_debugfs_exit() - remove it
 */
void xpv_debugfs_exit(void)
{
	debugfs_remove(dir);
	dir = NULL;
}
