// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus/state.c: XenbusState names and parsing, the device paths the bus
 * watches under device/, and what a device without a driver does when its
 * backend moves; the parsers also against reference models on random input.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include "../../xenbus/state.h"
#include "../../xenbus/xs_wire.h"
#include "suites.h"

/* xorshift32: fixed seeds, the same run every time. */
static uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

START_TEST(strstate_names)
{
	static const char *const names[] = {
		"Unknown", "Initialising", "InitWait", "Initialised",
		"Connected", "Closing", "Closed", "Reconfiguring",
		"Reconfigured",
	};
	unsigned int i;

	ck_assert_int_eq(XenbusStateReconfigured, 8);
	for (i = 0; i < ARRAY_SIZE(names); i++)
		ck_assert_str_eq(xb_strstate(i), names[i]);
	ck_assert_str_eq(xb_strstate(XenbusStateConnected), "Connected");
	ck_assert_str_eq(xb_strstate(9), "Invalid");
	ck_assert_str_eq(xb_strstate(-1), "Invalid");
	ck_assert_str_eq(xb_strstate(1000), "Invalid");
}
END_TEST

START_TEST(parse_state_each)
{
	enum xenbus_state st = XenbusStateUnknown;
	char s[2] = { '0' + _i, '\0' };

	ck_assert_int_eq(xb_parse_state(s, &st), 0);
	ck_assert_int_eq(st, _i);
}
END_TEST

START_TEST(parse_state_rejects)
{
	static const char *const bad[] = {
		"9", "10", "04", "00", " 4", "4 ", "4\n", "", "-1", "+4",
		"Connected", "4x",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		enum xenbus_state st = XenbusStateClosing;

		ck_assert_msg(xb_parse_state(bad[i], &st) == -EINVAL,
			      "\"%s\"", bad[i]);
		ck_assert_int_eq(st, XenbusStateClosing);
	}
}
END_TEST

/* Exactly the buffers the header promises, so ASan sees any overrun. */
struct dev {
	char *type;
	char *id;
};

static struct dev dev_new(void)
{
	struct dev d = {
		.type = malloc(XB_TYPE_MAX + 1),
		.id = malloc(XB_ID_MAX + 1),
	};

	ck_assert_ptr_nonnull(d.type);
	ck_assert_ptr_nonnull(d.id);
	return d;
}

static void dev_free(struct dev *d)
{
	free(d->type);
	free(d->id);
}

START_TEST(device_path_parses)
{
	struct dev d = dev_new();

	ck_assert_int_eq(xb_parse_device_path("device/vif/0/state", d.type,
					      d.id), 0);
	ck_assert_str_eq(d.type, "vif");
	ck_assert_str_eq(d.id, "0");
	ck_assert_int_eq(xb_parse_device_path("device/vbd/51712", d.type,
					      d.id), 0);
	ck_assert_str_eq(d.type, "vbd");
	ck_assert_str_eq(d.id, "51712");
	ck_assert_int_eq(xb_parse_device_path("device/9pfs/1/a/b/c", d.type,
					      d.id), 0);
	ck_assert_str_eq(d.type, "9pfs");
	ck_assert_str_eq(d.id, "1");
	dev_free(&d);
}
END_TEST

START_TEST(device_path_above_a_device)
{
	struct dev d = dev_new();

	ck_assert_int_eq(xb_parse_device_path("device", d.type, d.id), -ENOENT);
	ck_assert_int_eq(xb_parse_device_path("device/vif", d.type, d.id),
			 -ENOENT);
	dev_free(&d);
}
END_TEST

START_TEST(device_path_rejects)
{
	static const char *const bad[] = {
		"devices/vif/0", "device//0", "/device/vif/0", "device/",
		"device/vif/", "device/vif/0/", "dev", "", "xdevice/vif/0",
		"device/v f/0", "device/vif/0.1", "backend/vif/0",
		"@introduceDomain", "Device/vif/0", "devicexvif/0", "devicesvif",
	};
	unsigned int i;
	struct dev d = dev_new();

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(xb_parse_device_path(bad[i], d.type, d.id) ==
			      -EINVAL, "\"%s\"", bad[i]);
	dev_free(&d);
}
END_TEST

START_TEST(device_path_length_limits)
{
	char type31[XB_TYPE_MAX + 1], type32[XB_TYPE_MAX + 2];
	char id15[XB_ID_MAX + 1], id16[XB_ID_MAX + 2];
	char path[128];
	struct dev d = dev_new();

	memset(type31, 't', XB_TYPE_MAX);
	type31[XB_TYPE_MAX] = '\0';
	memset(type32, 't', XB_TYPE_MAX + 1);
	type32[XB_TYPE_MAX + 1] = '\0';
	memset(id15, '7', XB_ID_MAX);
	id15[XB_ID_MAX] = '\0';
	memset(id16, '7', XB_ID_MAX + 1);
	id16[XB_ID_MAX + 1] = '\0';

	snprintf(path, sizeof(path), "device/%s/%s/state", type31, id15);
	ck_assert_int_eq(xb_parse_device_path(path, d.type, d.id), 0);
	ck_assert_str_eq(d.type, type31);
	ck_assert_str_eq(d.id, id15);
	snprintf(path, sizeof(path), "device/%s/0", type32);
	ck_assert_int_eq(xb_parse_device_path(path, d.type, d.id), -EINVAL);
	/* Too long a type is wrong even with no id after it. */
	snprintf(path, sizeof(path), "device/%s", type32);
	ck_assert_int_eq(xb_parse_device_path(path, d.type, d.id), -EINVAL);
	snprintf(path, sizeof(path), "device/vif/%s", id16);
	ck_assert_int_eq(xb_parse_device_path(path, d.type, d.id), -EINVAL);
	dev_free(&d);
}
END_TEST

START_TEST(unbound_table)
{
	static const struct {
		enum xenbus_state ours, backend;
		enum xb_unbound_action act;
	} rows[] = {
		{ XenbusStateInitialising, XenbusStateClosing, XB_SET_CLOSED },
		{ XenbusStateInitialising, XenbusStateClosed, XB_SET_CLOSED },
		{ XenbusStateUnknown, XenbusStateClosing, XB_SET_CLOSED },
		{ XenbusStateConnected, XenbusStateClosing, XB_SET_CLOSED },
		{ XenbusStateClosing, XenbusStateClosed, XB_SET_CLOSED },
		{ XenbusStateClosed, XenbusStateClosing, XB_NOTHING },
		{ XenbusStateClosed, XenbusStateClosed, XB_NOTHING },
		{ XenbusStateInitialising, XenbusStateInitWait, XB_NOTHING },
		{ XenbusStateInitialising, XenbusStateInitialising, XB_NOTHING },
		{ XenbusStateInitialising, XenbusStateConnected, XB_NOTHING },
		{ XenbusStateInitialising, XenbusStateUnknown, XB_NOTHING },
		{ XenbusStateInitialising, XenbusStateReconfiguring, XB_NOTHING },
		{ XenbusStateClosed, XenbusStateInitWait, XB_NOTHING },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++)
		ck_assert_msg(xb_unbound_next(rows[i].ours, rows[i].backend) ==
			      rows[i].act, "ours %s, backend %s",
			      xb_strstate(rows[i].ours),
			      xb_strstate(rows[i].backend));
}
END_TEST

/* Every pair of states: only a closing backend moves us, and only once. */
START_TEST(unbound_closes_only_for_closing_backend)
{
	enum xenbus_state ours, be;

	for (ours = XenbusStateUnknown; ours <= XenbusStateReconfigured; ours++) {
		for (be = XenbusStateUnknown; be <= XenbusStateReconfigured; be++) {
			bool closing = be == XenbusStateClosing ||
				       be == XenbusStateClosed;
			enum xb_unbound_action want =
				closing && ours != XenbusStateClosed ?
				XB_SET_CLOSED : XB_NOTHING;

			ck_assert_msg(xb_unbound_next(ours, be) == want,
				      "ours %s, backend %s", xb_strstate(ours),
				      xb_strstate(be));
		}
	}
}
END_TEST

/* Reference: split at every '/' (empty pieces kept), judge the pieces. */
static int ref_device_path(const char *path, char *type, char *id)
{
	char copy[256], *rest = copy, *part[3];
	unsigned int n;

	if (!xs_path_valid(path))
		return -EINVAL;
	ck_assert_uint_lt(strlen(path), sizeof(copy));
	strcpy(copy, path);
	for (n = 0; n < 3 && rest; n++)
		part[n] = strsep(&rest, "/");
	if (strcmp(part[0], "device"))
		return -EINVAL;
	if (n < 2)
		return -ENOENT;
	if (strlen(part[1]) > XB_TYPE_MAX)
		return -EINVAL;
	if (n < 3)
		return -ENOENT;
	if (strlen(part[2]) > XB_ID_MAX)
		return -EINVAL;
	strcpy(type, part[1]);
	strcpy(id, part[2]);
	return 0;
}

static const char path_chars[] = "dev0179a_-@/ .";

/* A component: empty, short, or about as long as a type or an id may be. */
static void fuzz_component(uint32_t *seed, char *p, size_t *len)
{
	static const unsigned int sizes[][2] = {
		{ 0, 0 }, { 1, 3 }, { XB_ID_MAX - 2, 5 }, { XB_TYPE_MAX - 2, 5 },
	};
	unsigned int k = rnd(seed) % ARRAY_SIZE(sizes);
	unsigned int n = sizes[k][0] + rnd(seed) % (sizes[k][1] + 1), i;

	for (i = 0; i < n; i++)
		p[(*len)++] = rnd(seed) % 16 ?
			      "abz09-_@"[rnd(seed) % 8] :
			      path_chars[rnd(seed) % (sizeof(path_chars) - 1)];
}

/* "device" (mostly) and a few components, some of them bent. */
static void fuzz_path(uint32_t *seed, char *p)
{
	size_t len = 0;
	unsigned int n;

	if (rnd(seed) % 8) {
		memcpy(p, "device", 6);
		len = 6;
	} else {
		fuzz_component(seed, p, &len);
	}
	for (n = rnd(seed) % 5; n; n--) {
		p[len++] = '/';
		fuzz_component(seed, p, &len);
	}
	if (len && rnd(seed) % 4 == 0)
		p[rnd(seed) % len] = path_chars[rnd(seed) %
						(sizeof(path_chars) - 1)];
	p[len] = '\0';
}

START_TEST(fuzz_device_path)
{
	uint32_t seed = 0xde71 + _i;
	unsigned int iter, found = 0, above = 0;

	for (iter = 0; iter < 20000; iter++) {
		char in[256], want_type[XB_TYPE_MAX + 1], want_id[XB_ID_MAX + 1];
		struct dev d = dev_new();
		char *path;
		int ret;

		fuzz_path(&seed, in);
		path = strdup(in);
		ck_assert_ptr_nonnull(path);
		ret = xb_parse_device_path(path, d.type, d.id);
		ck_assert_msg(ret == ref_device_path(path, want_type, want_id),
			      "\"%s\": %d", path, ret);
		if (!ret) {
			ck_assert_str_eq(d.type, want_type);
			ck_assert_str_eq(d.id, want_id);
			found++;
		}
		above += ret == -ENOENT;
		free(path);
		dev_free(&d);
	}
	ck_assert_uint_gt(found, 1000);
	ck_assert_uint_gt(above, 500);
}
END_TEST

START_TEST(fuzz_parse_state)
{
	static const char chars[] = "0123456789 \n-+x";
	uint32_t seed = 0x57a7 + _i;
	unsigned int iter, ok = 0;

	for (iter = 0; iter < 20000; iter++) {
		size_t len = rnd(&seed) % 4, i;
		char *s = malloc(len + 1);
		enum xenbus_state st = XenbusStateUnknown;
		bool valid;

		ck_assert_ptr_nonnull(s);
		for (i = 0; i < len; i++)
			s[i] = chars[rnd(&seed) % (sizeof(chars) - 1)];
		s[len] = '\0';
		valid = len == 1 && s[0] >= '0' && s[0] <= '8';
		ck_assert_int_eq(xb_parse_state(s, &st), valid ? 0 : -EINVAL);
		if (valid) {
			ck_assert_int_eq(st, s[0] - '0');
			ok++;
		}
		free(s);
	}
	ck_assert_uint_gt(ok, 1000);
}
END_TEST

static Suite *xb_state_suite(void)
{
	Suite *s = suite_create("xb_state");
	TCase *tc = tcase_create("core");
	TCase *fuzz = tcase_create("fuzz");

	tcase_add_test(tc, strstate_names);
	tcase_add_loop_test(tc, parse_state_each, XenbusStateUnknown,
			    XenbusStateReconfigured + 1);
	tcase_add_test(tc, parse_state_rejects);
	tcase_add_test(tc, device_path_parses);
	tcase_add_test(tc, device_path_above_a_device);
	tcase_add_test(tc, device_path_rejects);
	tcase_add_test(tc, device_path_length_limits);
	tcase_add_test(tc, unbound_table);
	tcase_add_test(tc, unbound_closes_only_for_closing_backend);
	suite_add_tcase(s, tc);

	tcase_add_loop_test(fuzz, fuzz_device_path, 0, 4);
	tcase_add_loop_test(fuzz, fuzz_parse_state, 0, 4);
	suite_add_tcase(s, fuzz);
	return s;
}
XPV_SUITE(xb_state_suite)
