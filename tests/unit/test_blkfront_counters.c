// SPDX-License-Identifier: GPL-2.0-only
/* blkfront/counters.c: every counter named once, sums, lie records. */
#include <stddef.h>
#include <string.h>
#include "../../blkfront/counters.h"
#include "suites.h"

/* The index of a field, as the names array counts them. */
#define IDX(field) (offsetof(struct xpv_blk_counters, field) / sizeof(u64))

START_TEST(names_match_fields)
{
	struct xpv_blk_counters c;
	unsigned int i, j;

	memset(&c, 0, sizeof(c));
	c.requests = 1;
	c.pgrant.misses = 2;
	c.ipool.full = 3;
	c.lies = 4;
	ck_assert_str_eq(xpv_blk_counter_names[IDX(requests)], "requests");
	ck_assert_str_eq(xpv_blk_counter_names[IDX(bounced)], "bounced");
	ck_assert_str_eq(xpv_blk_counter_names[IDX(pgrant.hits)],
			 "pgrant_hits");
	ck_assert_str_eq(xpv_blk_counter_names[IDX(pgrant.misses)],
			 "pgrant_misses");
	ck_assert_str_eq(xpv_blk_counter_names[IDX(ipool.full)], "ipool_full");
	ck_assert_str_eq(xpv_blk_counter_names[IDX(kicks)], "kicks");
	ck_assert_str_eq(xpv_blk_counter_names[IDX(aborted)], "aborted");
	ck_assert_str_eq(xpv_blk_counter_names[XPV_BLK_NR_COUNTERS - 1],
			 "lies");
	for (i = 0; i < XPV_BLK_NR_COUNTERS; i++) {
		const char *n = xpv_blk_counter_names[i];
		u64 want = !strcmp(n, "requests") ? 1 :
			   !strcmp(n, "pgrant_misses") ? 2 :
			   !strcmp(n, "ipool_full") ? 3 :
			   !strcmp(n, "lies") ? 4 : 0;

		ck_assert_msg(xpv_blk_counter_get(&c, i) == want, "%s", n);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(n, xpv_blk_counter_names[j]);
	}
	ck_assert_uint_eq(xpv_blk_counter_get(&c, XPV_BLK_NR_COUNTERS), 0);
}

END_TEST

START_TEST(sum_and_lie)
{
	struct xpv_blk_counters a, b;
	struct xpv_blk_lie lie = { 0 };
	unsigned int i;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	b.segments = 1000;
	b.ipool.hits = 7;
	xpv_blk_counters_add(&a, &b);
	xpv_blk_counters_add(&a, &b);
	ck_assert_uint_eq(a.segments, 2000);
	ck_assert_uint_eq(a.ipool.hits, 14);
	for (i = 0; i < XPV_BLK_NR_COUNTERS; i++)
		ck_assert_uint_eq(xpv_blk_counter_get(&a, i),
				  2 * xpv_blk_counter_get(&b, i));
	ck_assert_ptr_null(lie.what);
	xpv_blk_lie(&lie, &a, "what", -4);
	ck_assert_str_eq(lie.what, "what");
	ck_assert_int_eq(lie.value, -4);
	xpv_blk_lie(&lie, &a, "then", 1LL << 40);
	ck_assert_str_eq(lie.what, "then");
	ck_assert_int_eq(lie.value, 1LL << 40);
	ck_assert_uint_eq(a.lies, 2);
}

END_TEST

static Suite *blkfront_counters_suite(void)
{
	Suite *s = suite_create("blkfront_counters");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, names_match_fields);
	tcase_add_test(tc, sum_and_lie);
	suite_add_tcase(s, tc);
	return s;
}

XPV_SUITE(blkfront_counters_suite)
