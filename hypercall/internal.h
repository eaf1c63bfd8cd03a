/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces of xpv_hypercall.ko. */
#ifndef _XPV_HYPERCALL_INTERNAL_H
#define _XPV_HYPERCALL_INTERNAL_H

#define pr_fmt(fmt) "xpv: " fmt

#include <xpv/platform.h>

int xpv_discover(struct xpv_platform *p);
int xpv_sysfs_init(const struct xpv_platform *p);
void xpv_sysfs_exit(void);

#endif /* _XPV_HYPERCALL_INTERNAL_H */
