/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces of the xpv_grant integration test module. */
#ifndef _XPV_TEST_GRANT_H
#define _XPV_TEST_GRANT_H

#define pr_fmt(fmt) "xpvtest: " fmt

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/xen.h>

#include "../tap.h"

/* tap.c */
bool gtest_idle(const char *what, long in_use);

/* copy.c */
int gtest_find_domid(domid_t *self);
void gtest_copy(domid_t self);

/* defer.c */
void gtest_defer(domid_t self);

/* exhaust.c */
void gtest_exhaust(domid_t self);

/* bench.c */
void gtest_bench(domid_t self, unsigned int iters);

#endif /* _XPV_TEST_GRANT_H */
