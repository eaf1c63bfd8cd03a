// SPDX-License-Identifier: GPL-2.0-only
/* netfront/counters.c: every counter named, sums, lie records. */
#include <string.h>
#include "../../netfront/counters.h"
#include "suites.h"

START_TEST(names_match_fields)
{
	struct xpv_nf_counters c;
	unsigned int i;

	memset(&c, 0, sizeof(c));
	c.tx_packets = 1;
	c.rx_kicks = 2;
	c.lying = 3;
	ck_assert_str_eq(xpv_nf_counter_names[0], "tx_packets");
	ck_assert_str_eq(xpv_nf_counter_names[XPV_NF_NR_COUNTERS - 1], "lying");
	for (i = 0; i < XPV_NF_NR_COUNTERS; i++) {
		const char *n = xpv_nf_counter_names[i];
		u64 want = !strcmp(n, "tx_packets") ? 1 :
			   !strcmp(n, "rx_kicks") ? 2 :
			   !strcmp(n, "lying") ? 3 : 0;

		ck_assert_msg(xpv_nf_counter_get(&c, i) == want, "%s", n);
	}
	ck_assert_uint_eq(xpv_nf_counter_get(&c, XPV_NF_NR_COUNTERS), 0);
}
END_TEST

START_TEST(sum_and_lie)
{
	struct xpv_nf_counters a, b;
	struct xpv_nf_lie lie = { 0 };
	unsigned int i;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	b.rx_bytes = 1000;
	b.tx_kicks = 7;
	xpv_nf_counters_add(&a, &b);
	xpv_nf_counters_add(&a, &b);
	ck_assert_uint_eq(a.rx_bytes, 2000);
	ck_assert_uint_eq(a.tx_kicks, 14);
	for (i = 0; i < XPV_NF_NR_COUNTERS; i++)
		ck_assert_uint_eq(xpv_nf_counter_get(&a, i),
				  2 * xpv_nf_counter_get(&b, i));
	xpv_nf_lie(&lie, &a, "what", -4);
	ck_assert_str_eq(lie.what, "what");
	ck_assert_int_eq(lie.value, -4);
	ck_assert_uint_eq(a.lying, 1);
}
END_TEST

static Suite *netfront_counters_suite(void)
{
	Suite *s = suite_create("netfront_counters");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, names_match_fields);
	tcase_add_test(tc, sum_and_lie);
	suite_add_tcase(s, tc);
	return s;
}
XPV_SUITE(netfront_counters_suite)
