// SPDX-License-Identifier: GPL-2.0-only
/* TAP lines in the kernel log, read back by the guest script. */
#include "xstest.h"
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/printk.h>

static atomic_t checks = ATOMIC_INIT(0);
static atomic_t failures = ATOMIC_INIT(0);

/**
 * xt_check() - report one check
 * @ok:      its outcome
 * @desc:    what was checked
 * @why_fmt: printf format of the reason, used if !@ok
 *
 * Return: @ok.
 */
bool xt_check(bool ok, const char *desc, const char *why_fmt, ...)
{
	char why[160];
	va_list ap;

	atomic_inc(&checks);
	if (ok) {
		pr_info("ok - %s\n", desc);
		return true;
	}
	atomic_inc(&failures);
	va_start(ap, why_fmt);
	vscnprintf(why, sizeof(why), why_fmt, ap);
	va_end(ap);
	pr_info("not ok - %s: %s\n", desc, why);
	return false;
}

/**
 * xt_expect_err() - report a call that must return @want
 * @got:  what it returned
 * @want: the expected return value
 * @desc: what was checked
 *
 * Return: true if @got is @want.
 */
bool xt_expect_err(int got, int want, const char *desc)
{
	return xt_check(got == want, desc, "returned %d, expected %d", got,
			want);
}

/**
 * xt_skip() - report a check that could not run (it counts as passed)
 * @desc: what would have been checked
 * @why:  why not
 */
void xt_skip(const char *desc, const char *why)
{
	atomic_inc(&checks);
	pr_info("ok - %s # SKIP %s\n", desc, why);
}

/**
 * xt_note() - a comment line ("xpvtest: # ...")
 * @fmt: printf format
 */
void xt_note(const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_info("# %s\n", msg);
}

/**
 * xt_count() - the checks reported so far
 * @failed: set to how many of them failed
 *
 * Return: how many were reported (skips included).
 */
unsigned int xt_count(unsigned int *failed)
{
	*failed = atomic_read(&failures);
	return atomic_read(&checks);
}
