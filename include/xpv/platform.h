/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What xpv_hypercall.ko found out about the Xen platform it runs on: from the
 * device tree's /hypervisor node, cross-checked with XENVER_* hypercalls.
 */
#ifndef _XPV_PLATFORM_H
#define _XPV_PLATFORM_H

#include <xpv/xpv.h>
#include <linux/ioport.h>
#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/version.h>

/**
 * struct xpv_platform - the Xen platform, as discovered at module load
 * @major:      Xen major version (XENVER_version)
 * @minor:      Xen minor version
 * @extra:      Xen extra version, e.g. ".7" (XENVER_extraversion)
 * @features:   XENFEAT_* bits of submap 0 (XENVER_get_features)
 * @dt_major:   major version from the node's "xen,xen-X.Y" compatible, or 0
 * @dt_minor:   minor version from the same, or 0
 * @gnttab:     the grant-table region (reg[0] of the node)
 * @evtchn_irq: Linux IRQ of the per-CPU event-channel interrupt (a PPI)
 */
struct xpv_platform {
	unsigned int major;
	unsigned int minor;
	char extra[XEN_EXTRAVERSION_LEN];
	u32 features;
	unsigned int dt_major;
	unsigned int dt_minor;
	struct resource gnttab;
	unsigned int evtchn_irq;
};

const struct xpv_platform *xpv_platform(void);
bool xpv_feature(unsigned int feature);

#endif /* _XPV_PLATFORM_H */
