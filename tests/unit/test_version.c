// SPDX-License-Identifier: GPL-2.0-only
/*
 * hypercall/version.c: the /hypervisor compatible property, including the
 * malformed ones a broken device tree can carry, and feature formatting.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/interface/features.h>
#include "../../hypercall/version.h"
#include "suites.h"

/* A property literal: sizeof() includes the trailing NUL, as in the DT. */
#define PROP(s) (s), sizeof(s)

static int ver(const char *compat, size_t len, unsigned int *maj,
	       unsigned int *min)
{
	/* Copy into an exact-size heap buffer so ASan sees any overread. */
	char *buf = len ? malloc(len) : NULL;
	int ret;

	if (len)
		memcpy(buf, compat, len);
	ret = xpv_dt_version(buf, len, maj, min);
	free(buf);
	return ret;
}

START_TEST(version_from_xen_4_17_node)
{
	unsigned int maj, min;

	ck_assert_int_eq(ver(PROP("xen,xen-4.17\0xen,xen"), &maj, &min), 0);
	ck_assert_uint_eq(maj, 4);
	ck_assert_uint_eq(min, 17);
	ck_assert_int_eq(ver(PROP("xen,xen\0xen,xen-65535.0"), &maj, &min), 0);
	ck_assert_uint_eq(maj, 65535);
	ck_assert_uint_eq(min, 0);
}
END_TEST

START_TEST(unversioned_node)
{
	unsigned int maj = 9, min = 9;

	ck_assert_int_eq(ver(PROP("xen,xen"), &maj, &min), -ENOENT);
	ck_assert_uint_eq(maj, 0);
	ck_assert_uint_eq(min, 0);
	ck_assert_int_eq(ver(PROP("vendor,thing\0xen,xen"), &maj, &min), -ENOENT);
}
END_TEST

START_TEST(malformed_nodes)
{
	static const struct {
		const char *prop;
		size_t len;
	} bad[] = {
		{ PROP("xen,xen-4.17") },		/* no generic entry */
		{ PROP("xen,xenx") },
		{ PROP("") },
		{ "xen,xen", 7 },			/* not NUL-terminated */
		{ "xen,xen\0xen,xen-4.17", 20 },	/* last one unterminated */
		{ PROP("xen,xen\0xen,xen-4") },
		{ PROP("xen,xen\0xen,xen-4.") },
		{ PROP("xen,xen\0xen,xen-.17") },
		{ PROP("xen,xen\0xen,xen-4.17.1") },
		{ PROP("xen,xen\0xen,xen-4.17x") },
		{ PROP("xen,xen\0xen,xen--4.17") },
		{ PROP("xen,xen\0xen,xen-65536.0") },
		{ PROP("xen,xen\0xen,xen-99999999999999999999.1") },
		{ PROP("xen,xen\0xen,xen-4.17\0xen,xen-4.18") },
	};
	unsigned int maj, min;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(ver(bad[i].prop, bad[i].len, &maj, &min) == -EINVAL &&
			      !maj && !min, "case %zu accepted", i);
	ck_assert_int_eq(xpv_dt_version(NULL, 0, &maj, &min), -EINVAL);
}
END_TEST

/*
 * Mutations of real properties (bytes replaced from a version-ish alphabet,
 * truncation, a dropped final NUL): never crash, never read past the end,
 * never report a version on failure.
 */
START_TEST(fuzz_compatible)
{
	static const char seed[] = "xen,xen-4.17\0xen,xen";
	static const char alphabet[] = "xen,-.0123456789\0";
	char buf[sizeof(seed) + 8];
	unsigned int maj, min, ok = 0;
	int i, m, ret;

	srand(7);
	for (i = 0; i < 200000; i++) {
		size_t len = sizeof(seed);

		memcpy(buf, seed, sizeof(seed));
		for (m = rand() % 3; m > 0; m--)
			buf[rand() % (int)len] =
				alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		if (rand() % 4 == 0)
			len = (size_t)(rand() % (int)sizeof(seed));
		ret = ver(buf, len, &maj, &min);
		ck_assert(ret == 0 || ret == -ENOENT || ret == -EINVAL);
		if (ret)
			ck_assert(maj == 0 && min == 0);
		else
			ok++;
	}
	/* The mutations must keep hitting the success path too. */
	ck_assert_uint_gt(ok, 1000);
}
END_TEST

START_TEST(features_named)
{
	char buf[256];
	size_t n;

	n = xpv_features_format((1U << XENFEAT_auto_translated_physmap) |
				(1U << XENFEAT_ARM_SMCCC_supported) | (1U << 31),
				buf, sizeof(buf));
	ck_assert_str_eq(buf, "auto_translated_physmap ARM_SMCCC_supported bit31");
	ck_assert_uint_eq(n, strlen(buf));
	n = xpv_features_format(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "none");
	ck_assert_uint_eq(n, 4);
	n = xpv_features_format(1U << 12, buf, sizeof(buf));
	ck_assert_str_eq(buf, "bit12");
}
END_TEST

START_TEST(features_truncate_cleanly)
{
	char buf[64];
	size_t size, n;

	for (size = 0; size <= sizeof(buf); size++) {
		memset(buf, 'Z', sizeof(buf));
		n = xpv_features_format(0xffffffffu, buf, size);
		if (!size) {
			ck_assert_uint_eq(n, 0);
			ck_assert_int_eq(buf[0], 'Z');
			continue;
		}
		ck_assert_uint_lt(n, size);
		ck_assert_uint_eq(strlen(buf), n);
		if (size < sizeof(buf))
			ck_assert_int_eq(buf[size], 'Z');
	}
}
END_TEST

static Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, version_from_xen_4_17_node);
	tcase_add_test(tc, unversioned_node);
	tcase_add_test(tc, malformed_nodes);
	tcase_add_test(tc, fuzz_compatible);
	tcase_add_test(tc, features_named);
	tcase_add_test(tc, features_truncate_cleanly);
	suite_add_tcase(s, tc);
	return s;
}
XPV_SUITE(version_suite)
