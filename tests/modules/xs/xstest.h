/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces of xpv_test_xs.ko. */
#ifndef _XPV_TEST_XS_H
#define _XPV_TEST_XS_H

#define pr_fmt(fmt) "xpvtest: " fmt

#include <xpv/xpv.h>
#include <linux/compiler_attributes.h>
#include <linux/types.h>
#include <xpv/xenstore.h>

/*
 * Everything the tests create lives under this directory of the guest's
 * home (/local/domain/<domid>/data is the guest's to write); the nodes
 * dom0-during.sh reads and writes are named relative to it too.
 */
#define XT_BASE "data/xpvtest-xs"

#include "../tap.h"

/* api.c: checks of node values, and the basic API. */
bool xt_expect_value(xpv_xbt_t t, const char *node, const char *want,
		     const char *desc);
bool xt_expect_absent(xpv_xbt_t t, const char *node, const char *desc);
void xt_api_run(void);

/* txn.c: transactions; the conflict with dom0 if @conflict. */
void xt_txn_run(bool conflict);

/* watch.c: watches; the event from dom0's write if @dom0. */
void xt_watch_run(bool dom0);

/* concurrency.c: @threads kthreads doing @rounds write+read pairs each. */
void xt_concurrency_run(unsigned int threads, unsigned int rounds);

#endif /* _XPV_TEST_XS_H */
