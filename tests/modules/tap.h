/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TAP lines in the kernel log for the test modules: "xpvtest: ok - <desc>",
 * "xpvtest: not ok - <desc>: <why>", "xpvtest: # <note>", read back by the
 * guest scripts. The including module defines pr_fmt as "xpvtest: " first;
 * the implementation, tests/modules/tap.c, is compiled into each module by
 * its own tap.c.
 */
#ifndef _XPV_TEST_TAP_H
#define _XPV_TEST_TAP_H

#include <linux/compiler_attributes.h>
#include <linux/types.h>

bool xt_check(bool ok, const char *desc, const char *why_fmt, ...)
	__printf(3, 4);
bool xt_expect_err(int got, int want, const char *desc);
void xt_skip(const char *desc, const char *why_fmt, ...) __printf(2, 3);
void xt_note(const char *fmt, ...) __printf(1, 2);
unsigned int xt_count(unsigned int *failed);

#endif /* _XPV_TEST_TAP_H */
