/* SPDX-License-Identifier: GPL-2.0-only */
/* Pure helpers of xpv_hypercall (hypercall/version.c), unit-tested. */
#ifndef _XPV_HYPERCALL_VERSION_H
#define _XPV_HYPERCALL_VERSION_H

#include <linux/types.h>

int xpv_dt_version(const char *compat, size_t len, unsigned int *major,
		   unsigned int *minor);
size_t xpv_features_format(u32 features, char *buf, size_t size);

#endif /* _XPV_HYPERCALL_VERSION_H */
