// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finding Xen: the device tree's /hypervisor node (compatible "xen,xen"),
 * with the grant-table region in reg[0] and the event-channel PPI in
 * interrupts. Nothing here enters Xen: without the node, no hypercall is made
 * (an HVC without a hypervisor is an undefined instruction).
 */
#include "internal.h"
#include <linux/errno.h>
#include <linux/irq.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>
#include "version.h"

#define GIC_PPI_TYPE 1	/* first cell of a GIC "interrupts" specifier */

static int discover_version(struct device_node *np, struct xpv_platform *p)
{
	const char *compat;
	int len, ret;

	compat = of_get_property(np, "compatible", &len);
	ret = xpv_dt_version(compat, len > 0 ? len : 0, &p->dt_major,
			     &p->dt_minor);
	if (ret == -EINVAL)
		pr_err("%pOF: malformed compatible property\n", np);
	return ret == -ENOENT ? 0 : ret;
}

static int discover_gnttab(struct device_node *np, struct xpv_platform *p)
{
	if (of_address_to_resource(np, 0, &p->gnttab)) {
		pr_err("%pOF: no grant-table region (reg[0])\n", np);
		return -EINVAL;
	}
	if (resource_size(&p->gnttab) < PAGE_SIZE ||
	    !PAGE_ALIGNED(p->gnttab.start)) {
		pr_err("%pOF: bad grant-table region %pR\n", np, &p->gnttab);
		return -EINVAL;
	}
	return 0;
}

/*
 * The PPI's mapping is made once and stays, as the GIC's mappings do for a
 * built-in driver: a reload finds it again (same Linux IRQ). Disposing of
 * it is no use and costs memory: Linux 6.1 does not free the per-CPU
 * enable mask irq_set_percpu_devid() gave the descriptor (128 bytes per
 * load/unload cycle, reported by kmemleak).
 */
static int discover_evtchn_irq(struct device_node *np, struct xpv_platform *p)
{
	struct of_phandle_args irq;

	if (of_irq_parse_one(np, 0, &irq) || irq.args_count < 1 ||
	    irq.args[0] != GIC_PPI_TYPE) {
		pr_err("%pOF: no event-channel PPI in interrupts\n", np);
		return -EINVAL;
	}
	p->evtchn_irq = irq_create_of_mapping(&irq);
	if (!p->evtchn_irq) {
		pr_err("%pOF: cannot map the event-channel interrupt\n", np);
		return -EINVAL;
	}
	return 0;
}

/**
 * xpv_discover() - read the /hypervisor node into @p
 * @p: platform description to fill (the version fields from Xen excepted)
 *
 * Return: 0; -ENODEV without a Xen node; -EINVAL if it is malformed.
 */
int xpv_discover(struct xpv_platform *p)
{
	struct device_node *np;
	int ret;

	np = of_find_compatible_node(NULL, NULL, "xen,xen");
	if (!np) {
		pr_info("no Xen hypervisor in the device tree: not loading\n");
		return -ENODEV;
	}
	ret = discover_version(np, p);
	if (!ret)
		ret = discover_gnttab(np, p);
	if (!ret)
		ret = discover_evtchn_irq(np, p);
	of_node_put(np);
	return ret;
}
