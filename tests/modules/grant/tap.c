// SPDX-License-Identifier: GPL-2.0-only
/* One TAP line per check, in the kernel log: "xpvtest: [not ]ok - ...". */
#include "gtest.h"
#include <linux/kernel.h>
#include <linux/printk.h>
#include <xpv/grant.h>

/**
 * gtest_check() - report one check
 * @ok:   did it pass
 * @desc: what was checked
 * @fmt:  why it failed (printf format), used only if !@ok
 *
 * Return: @ok.
 */
bool gtest_check(bool ok, const char *desc, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	if (ok) {
		pr_info("ok - %s\n", desc);
		return true;
	}
	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("not ok - %s: %pV\n", desc, &vaf);
	va_end(ap);
	return false;
}

/**
 * gtest_skip() - report a check that could not run here
 * @desc: what would have been checked
 * @fmt:  why not (printf format)
 */
void gtest_skip(const char *desc, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("ok - %s # SKIP %pV\n", desc, &vaf);
	va_end(ap);
}

/**
 * gtest_idle() - check that references in use are back to @in_use
 * @what:   the test that just ended
 * @in_use: references in use before it
 *
 * Return: true if they are.
 */
bool gtest_idle(const char *what, long in_use)
{
	struct xpv_grant_stats st;
	char desc[96];

	xpv_grant_get_stats(&st);
	snprintf(desc, sizeof(desc), "%s: no reference left in use", what);
	return gtest_check(st.refs_in_use == in_use, desc,
			   "%ld in use, %ld before", st.refs_in_use, in_use);
}
