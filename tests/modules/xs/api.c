// SPDX-License-Identifier: GPL-2.0-only
/*
 * The basic calls of the xenstore client, each checked against exact
 * values: the guest's own domid and name, read/write round trips (value and
 * length), printf/scanf/read_unsigned, mkdir, directory, exists, rm,
 * permissions, and the errors the client itself must give (-E2BIG without
 * sending, -EINVAL for bad paths, -ENAMETOOLONG) or xenstored must give
 * (-ENOENT, -EACCES for dom0's tree).
 */
#include "xstest.h"
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <xen/interface/io/xs_wire.h>
#include <xen/interface/xen.h>

/**
 * xt_expect_value() - check that a node under XT_BASE reads @want exactly
 * @t:    the transaction, or XPV_XBT_NIL
 * @node: its name under XT_BASE
 * @want: the value it must hold (same length, same bytes)
 * @desc: what is checked
 *
 * Return: true if it does.
 */
bool xt_expect_value(xpv_xbt_t t, const char *node, const char *want,
		     const char *desc)
{
	unsigned int len = 0;
	char *v = xpv_xs_read(t, XT_BASE, node, &len);
	bool ok;

	if (IS_ERR(v))
		return xt_check(false, desc, "read %s: %ld", node, PTR_ERR(v));
	ok = len == strlen(want) && !memcmp(v, want, len) && !v[len];
	xt_check(ok, desc, "got '%.40s' (length %u), want '%.40s' (length %zu)",
		 v, len, want, strlen(want));
	kfree(v);
	return ok;
}

/**
 * xt_expect_absent() - check that reading a node under XT_BASE is -ENOENT
 * @t:    the transaction, or XPV_XBT_NIL
 * @node: its name under XT_BASE
 * @desc: what is checked
 *
 * Return: true if it is.
 */
bool xt_expect_absent(xpv_xbt_t t, const char *node, const char *desc)
{
	char *v = xpv_xs_read(t, XT_BASE, node, NULL);

	if (!IS_ERR(v)) {
		xt_check(false, desc, "%s exists, value '%.40s'", node, v);
		kfree(v);
		return false;
	}
	return xt_expect_err(PTR_ERR(v), -ENOENT, desc);
}

static bool printable(const char *s, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (!isprint(s[i]))
			return false;
	return true;
}

/* "domid" and "name" of the guest's home; returns the domid, 0 if none. */
static unsigned int api_identity(void)
{
	unsigned int domid, v = 0, len = 0;
	char *name, *abs, path[40];
	int ret;

	domid = xpv_xs_read_unsigned("domid", "", 0);
	xt_check(domid > 0 && domid < DOMID_FIRST_RESERVED,
		 "read_unsigned(\"domid\"): a guest's domain id", "got %u",
		 domid);
	ret = xpv_xs_scanf(XPV_XBT_NIL, "domid", "", "%u", &v);
	xt_check(ret == 1 && v == domid, "scanf(\"domid\", \"%u\") agrees",
		 "returned %d, value %u, read_unsigned gave %u", ret, v, domid);

	name = xpv_xs_read(XPV_XBT_NIL, "name", "", &len);
	if (IS_ERR(name)) {
		xt_check(false, "read \"name\"", "error %ld", PTR_ERR(name));
		return domid;
	}
	xt_check(len > 0 && len < 256 && strlen(name) == len &&
		 printable(name, len),
		 "read \"name\": a non-empty printable string, length exact",
		 "length %u, strlen %zu, '%.40s'", len, strlen(name), name);
	xt_note("domid %u, name '%s'", domid, name);

	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	abs = xpv_xs_read(XPV_XBT_NIL, path, "name", NULL);
	if (IS_ERR(abs)) {
		xt_check(false, "absolute /local/domain/<domid>/name reads the same",
			 "error %ld", PTR_ERR(abs));
	} else {
		xt_check(!strcmp(abs, name),
			 "absolute /local/domain/<domid>/name reads the same",
			 "'%.40s' vs '%.40s'", abs, name);
		kfree(abs);
	}
	kfree(name);
	return domid;
}

/* write + read round trip of @value at @node: value and length exact. */
static void round_trip(const char *node, const char *value, const char *desc)
{
	int ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, node, value);

	if (ret) {
		xt_check(false, desc, "write: %d", ret);
		return;
	}
	xt_expect_value(XPV_XBT_NIL, node, value, desc);
}

static void api_values(void)
{
	unsigned int a = 0, b = 0, i;
	char *big;
	int ret;

	round_trip("rw/short", "hello", "write + read round trip: \"hello\"");
	round_trip("rw/short", "hello, again", "write over an existing value");
	round_trip("rw/empty", "", "write + read round trip: empty value");
	big = kmalloc(1001, GFP_KERNEL);
	if (big) {
		for (i = 0; i < 1000; i++)
			big[i] = 'a' + i % 26;
		big[1000] = '\0';
		round_trip("rw/big", big,
			   "write + read round trip: 1000-byte value");
		kfree(big);
	} else {
		xt_check(false, "write + read round trip: 1000-byte value",
			 "out of memory");
	}

	ret = xpv_xs_printf(XPV_XBT_NIL, XT_BASE, "fmt/p", "%u-%s-%x", 42U,
			    "x", 255U);
	if (xt_expect_err(ret, 0, "printf returns 0"))
		xt_expect_value(XPV_XBT_NIL, "fmt/p", "42-x-ff",
				"printf wrote the formatted value");
	ret = xpv_xs_printf(XPV_XBT_NIL, XT_BASE, "fmt/two", "%u %u", 17U,
			    29U);
	if (!ret)
		ret = xpv_xs_scanf(XPV_XBT_NIL, XT_BASE, "fmt/two", "%u %u",
				   &a, &b);
	xt_check(ret == 2 && a == 17 && b == 29,
		 "scanf parses the two numbers printf wrote",
		 "returned %d, values %u %u", ret, a, b);
	ret = xpv_xs_scanf(XPV_XBT_NIL, XT_BASE, "fmt/missing", "%u", &a);
	xt_expect_err(ret, -ENOENT, "scanf of a missing node: -ENOENT");
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "fmt/word", "abc");
	if (!ret)
		ret = xpv_xs_scanf(XPV_XBT_NIL, XT_BASE, "fmt/word", "%u", &a);
	xt_expect_err(ret, -ERANGE, "scanf with nothing parsed: -ERANGE");

	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "fmt/n", "42");
	a = ret ? 0 : xpv_xs_read_unsigned(XT_BASE, "fmt/n", 7);
	xt_check(a == 42, "read_unsigned of \"42\"", "got %u (write %d)", a,
		 ret);
	a = xpv_xs_read_unsigned(XT_BASE, "fmt/missing", 12345);
	xt_check(a == 12345, "read_unsigned of a missing node: the default",
		 "got %u", a);
	a = xpv_xs_read_unsigned(XT_BASE, "fmt/word", 12345);
	xt_check(a == 12345, "read_unsigned of a non-number: the default",
		 "got %u", a);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

static void api_dirs(void)
{
	unsigned int num = 0, i;
	char **names;
	int ret;

	ret = xpv_xs_mkdir(XPV_XBT_NIL, XT_BASE, "dir");
	xt_expect_err(ret, 0, "mkdir returns 0");
	xt_check(xpv_xs_exists(XPV_XBT_NIL, XT_BASE, "dir"),
		 "exists: true for the new directory", "false");
	xt_expect_value(XPV_XBT_NIL, "dir", "",
			"a new directory reads as an empty value");
	xt_expect_err(xpv_xs_mkdir(XPV_XBT_NIL, XT_BASE, "dir"), 0,
		      "mkdir of an existing node returns 0");

	names = xpv_xs_directory(XPV_XBT_NIL, XT_BASE, "dir", &num);
	if (IS_ERR(names)) {
		xt_check(false, "directory of an empty directory: 0 children",
			 "error %ld", PTR_ERR(names));
	} else {
		xt_check(num == 0, "directory of an empty directory: 0 children",
			 "%u children", num);
		kfree(names);
	}

	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "dir/b", "2");
	if (!ret)
		ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "dir/a", "1");
	if (!ret)
		ret = xpv_xs_mkdir(XPV_XBT_NIL, XT_BASE, "dir/c");
	if (!ret)
		ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "dir/c/deeper", "3");
	xt_expect_err(ret, 0, "children a, b, c (and c/deeper) created");
	names = xpv_xs_directory(XPV_XBT_NIL, XT_BASE, "dir", &num);
	if (IS_ERR(names)) {
		xt_check(false, "directory lists exactly a, b, c", "error %ld",
			 PTR_ERR(names));
	} else {
		bool ok = num == 3;

		if (ok) {
			sort(names, num, sizeof(*names), cmp_names, NULL);
			ok = !strcmp(names[0], "a") && !strcmp(names[1], "b") &&
			     !strcmp(names[2], "c");
		}
		for (i = 0; i < num && i < 8; i++)
			xt_note("directory entry %u: '%s'", i, names[i]);
		xt_check(ok, "directory lists exactly a, b, c",
			 "%u entries", num);
		kfree(names);
	}
	names = xpv_xs_directory(XPV_XBT_NIL, XT_BASE, "nodir", &num);
	xt_expect_err(PTR_ERR_OR_ZERO(names), -ENOENT,
		      "directory of a missing node: -ENOENT");
	if (!IS_ERR(names))
		kfree(names);

	xt_check(xpv_xs_exists(XPV_XBT_NIL, XT_BASE, "dir/a"),
		 "exists: true for a node we wrote", "false");
	xt_check(!xpv_xs_exists(XPV_XBT_NIL, XT_BASE, "dir/nothere"),
		 "exists: false for a missing node", "true");

	xt_expect_err(xpv_xs_rm(XPV_XBT_NIL, XT_BASE, "dir/a"), 0,
		      "rm returns 0");
	xt_expect_absent(XPV_XBT_NIL, "dir/a", "read after rm: -ENOENT");
	xt_check(!xpv_xs_exists(XPV_XBT_NIL, XT_BASE, "dir/a"),
		 "exists: false after rm", "true");
	xt_expect_err(xpv_xs_rm(XPV_XBT_NIL, XT_BASE, "dir/c"), 0,
		      "rm of a directory returns 0");
	xt_expect_absent(XPV_XBT_NIL, "dir/c/deeper",
			 "rm removed the directory's children: -ENOENT");
	/* xenstored: a missing node whose parent exists is "removed" fine. */
	xt_expect_err(xpv_xs_rm(XPV_XBT_NIL, XT_BASE, "dir/nothere"), 0,
		      "rm of a missing node in an existing directory: 0");
	xt_expect_err(xpv_xs_rm(XPV_XBT_NIL, XT_BASE, "nodir/nothere"),
		      -ENOENT, "rm of a missing node, parent missing too: -ENOENT");
}

static void api_perms(unsigned int domid)
{
	char owner[16], want[24];
	unsigned int len = 0, wlen;
	char *perms;
	int ret;

	if (!domid) {
		xt_skip("get_perms/set_perms", "no domid");
		return;
	}
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "perm", "p");
	perms = ret ? ERR_PTR(ret) :
		xpv_xs_get_perms(XPV_XBT_NIL, XT_BASE, "perm", &len);
	snprintf(owner, sizeof(owner), "n%u", domid);
	if (IS_ERR(perms)) {
		xt_check(false, "get_perms of our node: first n<domid>",
			 "error %ld", PTR_ERR(perms));
	} else {
		xt_check(len > strlen(owner) && !strcmp(perms, owner),
			 "get_perms of our node: first n<domid>",
			 "got '%.20s' (length %u), want '%s'", perms, len,
			 owner);
		kfree(perms);
	}

	/* "n<domid>\0r0\0": we own it, nobody else but dom0 may read it. */
	wlen = snprintf(want, sizeof(want), "%s", owner) + 1;
	wlen += snprintf(want + wlen, sizeof(want) - wlen, "r0") + 1;
	ret = xpv_xs_set_perms(XPV_XBT_NIL, XT_BASE, "perm", want, wlen);
	xt_expect_err(ret, 0, "set_perms n<domid> r0 returns 0");
	perms = xpv_xs_get_perms(XPV_XBT_NIL, XT_BASE, "perm", &len);
	if (IS_ERR(perms)) {
		xt_check(false, "get_perms gives n<domid> r0 back", "error %ld",
			 PTR_ERR(perms));
		return;
	}
	xt_check(len == wlen && !memcmp(perms, want, wlen),
		 "get_perms gives n<domid> r0 back",
		 "got '%.20s' + '%.20s' (length %u), want length %u", perms,
		 len > strlen(perms) + 1 ? perms + strlen(perms) + 1 : "",
		 len, wlen);
	kfree(perms);
	ret = xpv_xs_set_perms(XPV_XBT_NIL, XT_BASE, "perm", "n0r", 3);
	xt_expect_err(ret, -EINVAL,
		      "set_perms without a NUL-terminated string: -EINVAL");
}

static void bad_path(const char *path)
{
	char desc[64];
	void *v;

	v = xpv_xs_read(XPV_XBT_NIL, path, "", NULL);
	snprintf(desc, sizeof(desc), "read of invalid path '%s': -EINVAL",
		 path);
	xt_expect_err(PTR_ERR_OR_ZERO(v), -EINVAL, desc);
	if (!IS_ERR(v))
		kfree(v);
	snprintf(desc, sizeof(desc), "write to invalid path '%s': -EINVAL",
		 path);
	xt_expect_err(xpv_xs_write(XPV_XBT_NIL, path, "", "v"), -EINVAL, desc);
}

static void api_errors(void)
{
	unsigned int len = 0;
	char *big, *v;
	int ret;

	big = kmalloc(XENSTORE_PAYLOAD_MAX + 2, GFP_KERNEL);
	if (!big) {
		xt_check(false, "write of XENSTORE_PAYLOAD_MAX+1 bytes: -E2BIG",
			 "out of memory");
	} else {
		memset(big, 'x', XENSTORE_PAYLOAD_MAX + 1);
		big[XENSTORE_PAYLOAD_MAX + 1] = '\0';
		ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "toobig", big);
		xt_expect_err(ret, -E2BIG,
			      "write of XENSTORE_PAYLOAD_MAX+1 bytes: -E2BIG");
		kfree(big);
		/* Had it gone out, xenstored would have dropped us. */
		v = xpv_xs_read(XPV_XBT_NIL, "domid", "", NULL);
		xt_check(!IS_ERR(v), "... not sent: the connection still works",
			 "read domid: %ld", PTR_ERR(v));
		if (!IS_ERR(v))
			kfree(v);
		xt_expect_absent(XPV_XBT_NIL, "toobig",
				 "... and nothing was written");
	}

	bad_path("a//b");
	bad_path("bad path");
	bad_path("x/");
	big = kmalloc(XENSTORE_ABS_PATH_MAX + 16, GFP_KERNEL);
	if (big) {
		memset(big, 'a', XENSTORE_ABS_PATH_MAX + 8);
		big[XENSTORE_ABS_PATH_MAX + 8] = '\0';
		v = xpv_xs_read(XPV_XBT_NIL, XT_BASE, big, NULL);
		xt_expect_err(PTR_ERR_OR_ZERO(v), -ENAMETOOLONG,
			      "read of a path over XENSTORE_ABS_PATH_MAX: -ENAMETOOLONG");
		if (!IS_ERR(v))
			kfree(v);
		kfree(big);
	}

	/* dom0's perms decide whether we may read it: either is right. */
	v = xpv_xs_read(XPV_XBT_NIL, "/local/domain/0/name", "", &len);
	if (IS_ERR(v)) {
		xt_expect_err(PTR_ERR(v), -EACCES,
			      "read /local/domain/0/name: a value or -EACCES");
	} else {
		xt_check(strlen(v) == len,
			 "read /local/domain/0/name: a value or -EACCES",
			 "length %u, strlen %zu", len, strlen(v));
		xt_note("/local/domain/0/name is '%.40s'", v);
		kfree(v);
	}
	ret = xpv_xs_write(XPV_XBT_NIL, "/local/domain/0", "xpvtest", "x");
	xt_expect_err(ret, -EACCES, "write to /local/domain/0/xpvtest: -EACCES");
	if (!ret)
		xpv_xs_rm(XPV_XBT_NIL, "/local/domain/0", "xpvtest");
}

/**
 * xt_api_run() - the checks of the basic calls
 */
void xt_api_run(void)
{
	unsigned int domid = api_identity();

	api_values();
	api_dirs();
	api_perms(domid);
	api_errors();
}
