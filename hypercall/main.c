// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_hypercall: finds Xen (device tree, cross-checked with XENVER_*
 * hypercalls), describes the platform to the other xpv modules, and shows it
 * to users in dmesg and /sys/hypervisor.
 */
#include "internal.h"
#include <linux/module.h>
#include <xpv/hypercall.h>
#include <xen/interface/features.h>
#include <xen/interface/version.h>
#include "version.h"

static struct xpv_platform platform;

/**
 * xpv_platform() - the Xen platform xpv_hypercall.ko discovered
 *
 * Valid while xpv_hypercall.ko is loaded, which every module using this
 * symbol guarantees by depending on it.
 *
 * Return: the platform description.
 */
const struct xpv_platform *xpv_platform(void)
{
	return &platform;
}
EXPORT_SYMBOL_NS_GPL(xpv_platform, XPV);

/**
 * xpv_feature() - is a XENFEAT_* feature offered by Xen?
 * @feature: XENFEAT_* number
 *
 * Return: true if Xen reported the feature in XENVER_get_features.
 */
bool xpv_feature(unsigned int feature)
{
	return feature < 32 && (platform.features & BIT(feature));
}
EXPORT_SYMBOL_NS_GPL(xpv_feature, XPV);

static int query_xen(struct xpv_platform *p)
{
	struct xen_extraversion extra = { };
	struct xen_feature_info fi = { .submap_idx = 0 };
	int ver = xpv_xen_version(XENVER_version, NULL);

	if (ver < 0) {
		pr_err("XENVER_version failed: %d\n", ver);
		return -ENODEV;
	}
	p->major = (unsigned int)ver >> 16;
	p->minor = (unsigned int)ver & 0xffff;
	if (!xpv_xen_version(XENVER_extraversion, &extra))
		strscpy(p->extra, extra.extraversion, sizeof(p->extra));
	if (!xpv_xen_version(XENVER_get_features, &fi))
		p->features = fi.submap;
	if (p->dt_major && (p->dt_major != p->major || p->dt_minor != p->minor))
		pr_warn("device tree says Xen %u.%u but Xen says %u.%u\n",
			p->dt_major, p->dt_minor, p->major, p->minor);
	return 0;
}

static int __init xpv_hypercall_init(void)
{
	char features[256];
	int ret;

	ret = xpv_discover(&platform);
	if (ret)
		return ret;
	ret = query_xen(&platform);
	if (!ret)
		ret = xpv_sysfs_init(&platform);
	if (ret)
		return ret;
	xpv_features_format(platform.features, features, sizeof(features));
	pr_info("Xen %u.%u%s, grant table %pR, event channel IRQ %u, features: %s\n",
		platform.major, platform.minor, platform.extra,
		&platform.gnttab, platform.evtchn_irq, features);
	return 0;
}
module_init(xpv_hypercall_init);

static void __exit xpv_hypercall_exit(void)
{
	xpv_sysfs_exit();
	memset(&platform, 0, sizeof(platform));
}
module_exit(xpv_hypercall_exit);

MODULE_DESCRIPTION("xpv: Xen hypercalls and platform discovery for guests without CONFIG_XEN");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
