// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_evtchn: Xen event channels as Linux IRQs, on the FIFO ABI where Xen
 * offers it, else (or with twolevel=1) the 2-level ABI.
 *
 * What an unload leaves behind, by design: shared_info, the vcpu_info
 * registrations, and once FIFO was used the control blocks and event array
 * (all owned by the pinned xpv_hypercall, see include/xpv/shared.h), and the
 * domain's ABI: after FIFO, every later load uses FIFO again (Xen cannot go
 * back without closing every port of the domain). Every port it opened is
 * closed, every IRQ, the irq_domain, the upcall and debugfs are freed.
 */
#include "internal.h"
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <xpv/platform.h>
#include <xpv/shared.h>

const struct xpv_evtchn_abi *xpv_abi;

static bool twolevel;
module_param(twolevel, bool, 0444);
MODULE_PARM_DESC(twolevel,
		 "use the 2-level ABI even if Xen offers FIFO (no effect once this boot used FIFO)");

static int abi_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", xpv_abi ? xpv_abi->name : "none");
}

static int abi_set(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static const struct kernel_param_ops abi_ops = {
	.set = abi_set,
	.get = abi_get,
};
module_param_cb(abi, &abi_ops, NULL, 0444);
MODULE_PARM_DESC(abi, "the event-channel ABI in use (read-only): fifo or 2-level");

/**
 * xpv_evtchn_abi() - the event-channel ABI in use
 *
 * Return: "fifo" or "2-level".
 */
const char *xpv_evtchn_abi(void)
{
	return xpv_abi->name;
}
EXPORT_SYMBOL_NS_GPL(xpv_evtchn_abi, XPV);

static int use(const struct xpv_evtchn_abi *abi)
{
	int ret = abi->setup();

	if (!ret)
		xpv_abi = abi;
	return ret;
}

static int select_abi(void)
{
	int ret;

	if (twolevel && !xpv_fifo_enabled())
		return use(&xpv_abi_2l);
	if (twolevel)
		pr_warn("twolevel=1 ignored: this domain uses FIFO since an earlier load, and Xen cannot switch back\n");
	ret = use(&xpv_abi_fifo);
	if (!ret || xpv_fifo_enabled())
		return ret;
	pr_info("Xen offers no FIFO event channels (%d): using 2-level\n",
		ret);
	return use(&xpv_abi_2l);
}

static int __init xpv_evtchn_init(void)
{
	int ret;

	ret = xpv_shared_setup();
	if (!ret)
		ret = select_abi();
	if (ret)
		return ret;
	ret = xpv_irq_init();
	if (ret)
		goto err_abi;
	ret = xpv_upcall_init();
	if (ret)
		goto err_irq;
	xpv_debugfs_init();
	pr_info("%s ABI, upcall IRQ %u\n", xpv_abi->name,
		xpv_platform()->evtchn_irq);
	return 0;
err_irq:
	xpv_irq_exit();
err_abi:
	xpv_abi->teardown();
	xpv_abi = NULL;
	return ret;
}
module_init(xpv_evtchn_init);

static void __exit xpv_evtchn_exit(void)
{
	xpv_debugfs_exit();
	xpv_ports_exit();
	xpv_upcall_exit();
	xpv_irq_exit();
	xpv_abi->teardown();
	xpv_abi = NULL;
}
module_exit(xpv_evtchn_exit);

MODULE_DESCRIPTION("xpv: Xen event channels for guests without CONFIG_XEN");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XPV);
