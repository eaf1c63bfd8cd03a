// SPDX-License-Identifier: GPL-2.0-only
/* The shared TAP helpers (../tap.h), and the grant tests' own check. */
#include "gtest.h"
#include "../tap.c"
#include <xpv/grant.h>

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
	return xt_check(st.refs_in_use == in_use, desc,
			"%ld in use, %ld before", st.refs_in_use, in_use);
}
