// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TAP helpers of tests/modules/tap.h. Not built on its own: each test
 * module's tap.c includes it, after the header that sets pr_fmt.
 */
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/printk.h>

static atomic_t xt_checks = ATOMIC_INIT(0);
static atomic_t xt_failures = ATOMIC_INIT(0);

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
	struct va_format vaf;
	va_list ap;

	atomic_inc(&xt_checks);
	if (ok) {
		pr_info("ok - %s\n", desc);
		return true;
	}
	atomic_inc(&xt_failures);
	va_start(ap, why_fmt);
	vaf.fmt = why_fmt;
	vaf.va = &ap;
	pr_info("not ok - %s: %pV\n", desc, &vaf);
	va_end(ap);
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
 * @desc:    what would have been checked
 * @why_fmt: printf format of why not
 */
void xt_skip(const char *desc, const char *why_fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	atomic_inc(&xt_checks);
	va_start(ap, why_fmt);
	vaf.fmt = why_fmt;
	vaf.va = &ap;
	pr_info("ok - %s # SKIP %pV\n", desc, &vaf);
	va_end(ap);
}

/**
 * xt_note() - a comment line ("xpvtest: # ...")
 * @fmt: printf format
 */
void xt_note(const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("# %pV\n", &vaf);
	va_end(ap);
}

/**
 * xt_count() - the checks reported so far
 * @failed: set to how many of them failed
 *
 * Return: how many were reported (skips included).
 */
unsigned int xt_count(unsigned int *failed)
{
	*failed = atomic_read(&xt_failures);
	return atomic_read(&xt_checks);
}
