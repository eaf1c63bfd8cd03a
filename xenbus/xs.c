// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore client API (include/xpv/xenstore.h) on top of comms.c: one
 * request and its checked reply per call.
 */
#include "internal.h"
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

/**
 * xs_path() - "@dir/@node" (or @dir for an empty @node), checked
 * @dir:  a directory
 * @node: a node in it, or ""
 *
 * Return: the path, to kfree(), or an ERR_PTR: -EINVAL for an invalid path,
 * -ENAMETOOLONG, -ENOMEM.
 */
char *xs_path(const char *dir, const char *node)
{
	size_t len = strlen(dir) + (*node ? strlen(node) + 1 : 0);
	size_t size = len + 1;
	char *p;
	int ret;

	if (len > XENSTORE_ABS_PATH_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	p = kmalloc(size, GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	ret = xs_join(p, size, dir, node);
	if (ret < 0) {
		kfree(p);
		return ERR_PTR(ret);
	}
	return p;
}

/**
 * xs_request() - one request, its reply checked
 * @t:    the transaction, or XPV_XBT_NIL
 * @type: XS_*
 * @iov:  the payload's pieces
 * @n:    how many
 * @len:  set to the reply's length, if not NULL
 *
 * Return: the reply's payload, NUL-terminated, to kfree(); or an ERR_PTR
 * (xenstored's error, or xs_comms_talk()'s).
 */
void *xs_request(xpv_xbt_t t, u32 type, const struct xs_iov *iov,
		 unsigned int n, unsigned int *len)
{
	struct xsd_sockmsg reply;
	char *body;
	int ret;

	ret = xs_comms_talk(type, t, iov, n, &reply, &body);
	if (ret)
		return ERR_PTR(ret);
	ret = xs_reply_check(&reply, body, type);
	if (ret) {
		kfree(body);
		return ERR_PTR(ret);
	}
	if (len)
		*len = reply.len;
	return body;
}

/**
 * xs_single() - a request whose payload is one path
 * @t:    the transaction, or XPV_XBT_NIL
 * @type: XS_*
 * @path: the path
 * @len:  set to the reply's length, if not NULL
 *
 * Return: as xs_request().
 */
void *xs_single(xpv_xbt_t t, u32 type, const char *path, unsigned int *len)
{
	struct xs_iov iov = { path, strlen(path) + 1 };

	return xs_request(t, type, &iov, 1, len);
}

static void *xs_dir_node(xpv_xbt_t t, u32 type, const char *dir,
			 const char *node, unsigned int *len)
{
	char *path = xs_path(dir, node);
	void *ret;

	if (IS_ERR(path))
		return path;
	ret = xs_single(t, type, path, len);
	kfree(path);
	return ret;
}

/* The reply "OK" of a request that returns nothing: 0 or its error. */
static int xs_ok(void *reply)
{
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

/**
 * xpv_xs_read() - read a node
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its directory
 * @node: its name, or "" for @dir itself
 * @len:  set to the value's length, if not NULL
 *
 * Context: process context; sleeps.
 * Return: the value, NUL-terminated, to kfree(); or an ERR_PTR (-ENOENT, ...).
 */
void *xpv_xs_read(xpv_xbt_t t, const char *dir, const char *node,
		  unsigned int *len)
{
	return xs_dir_node(t, XS_READ, dir, node, len);
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_read, XPV);

/**
 * xpv_xs_read_buf() - read a node into a caller's buffer
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its directory
 * @node: its name, or "" for @dir itself
 * @buf:  receives the value, NUL-terminated
 * @size: the size of @buf
 *
 * Context: process context; sleeps.
 * Return: the value's length; -E2BIG if it does not fit in @buf with its
 * NUL (@buf is then left alone); or another negative errno (-ENOENT, ...).
 */
int xpv_xs_read_buf(xpv_xbt_t t, const char *dir, const char *node,
		    char *buf, size_t size)
{
	unsigned int len;
	char *v;

	v = xpv_xs_read(t, dir, node, &len);
	if (IS_ERR(v))
		return PTR_ERR(v);
	if (len >= size || len > INT_MAX) {
		kfree(v);
		return -E2BIG;
	}
	memcpy(buf, v, len + 1);
	kfree(v);
	return len;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_read_buf, XPV);

/**
 * xpv_xs_write() - write a node, creating it and its parents if need be
 * @t:     the transaction, or XPV_XBT_NIL
 * @dir:   its directory
 * @node:  its name, or ""
 * @value: the value (a string)
 *
 * Context: process context; sleeps.
 * Return: 0 or a negative errno.
 */
int xpv_xs_write(xpv_xbt_t t, const char *dir, const char *node,
		 const char *value)
{
	char *path = xs_path(dir, node);
	struct xs_iov iov[2];
	int ret;

	if (IS_ERR(path))
		return PTR_ERR(path);
	iov[0] = (struct xs_iov){ path, strlen(path) + 1 };
	iov[1] = (struct xs_iov){ value, strlen(value) };
	ret = xs_ok(xs_request(t, XS_WRITE, iov, 2, NULL));
	kfree(path);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_write, XPV);

/**
 * xpv_xs_printf() - write a node with a formatted value
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its directory
 * @node: its name, or ""
 * @fmt:  printf format of the value
 *
 * Context: process context; sleeps.
 * Return: 0 or a negative errno.
 */
int xpv_xs_printf(xpv_xbt_t t, const char *dir, const char *node,
		  const char *fmt, ...)
{
	va_list ap;
	char *value;
	int ret;

	va_start(ap, fmt);
	value = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!value)
		return -ENOMEM;
	ret = xpv_xs_write(t, dir, node, value);
	kfree(value);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_printf, XPV);

/**
 * xpv_xs_scanf() - read a node and parse its value
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its directory
 * @node: its name, or ""
 * @fmt:  scanf format
 *
 * Context: process context; sleeps.
 * Return: the number of values parsed, -ERANGE if none, or a negative errno.
 */
int xpv_xs_scanf(xpv_xbt_t t, const char *dir, const char *node,
		 const char *fmt, ...)
{
	va_list ap;
	char *value;
	int ret;

	value = xpv_xs_read(t, dir, node, NULL);
	if (IS_ERR(value))
		return PTR_ERR(value);
	va_start(ap, fmt);
	ret = vsscanf(value, fmt, ap);
	va_end(ap);
	kfree(value);
	return ret ? ret : -ERANGE;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_scanf, XPV);

/**
 * xpv_xs_read_unsigned() - read a node holding a decimal number
 * @dir:         its directory
 * @node:        its name, or ""
 * @default_val: the result if the node is missing or not a number
 *
 * Context: process context; sleeps.
 * Return: the number, or @default_val.
 */
unsigned int xpv_xs_read_unsigned(const char *dir, const char *node,
				  unsigned int default_val)
{
	unsigned int v;
	char *value;
	int ret;

	value = xpv_xs_read(XPV_XBT_NIL, dir, node, NULL);
	if (IS_ERR(value))
		return default_val;
	ret = xs_parse_uint(value, UINT_MAX, &v);
	kfree(value);
	return ret ? default_val : v;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_read_unsigned, XPV);

/**
 * xpv_xs_mkdir() - create a directory node (and its parents)
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its parent directory
 * @node: its name, or ""
 *
 * Context: process context; sleeps.
 * Return: 0 or a negative errno.
 */
int xpv_xs_mkdir(xpv_xbt_t t, const char *dir, const char *node)
{
	return xs_ok(xs_dir_node(t, XS_MKDIR, dir, node, NULL));
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_mkdir, XPV);

/**
 * xpv_xs_rm() - remove a node and everything below it
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its directory
 * @node: its name, or ""
 *
 * Context: process context; sleeps.
 * Return: 0 (also for a missing node whose parent exists, as xenstored
 * has it), or a negative errno (-ENOENT if the parent is missing too).
 */
int xpv_xs_rm(xpv_xbt_t t, const char *dir, const char *node)
{
	return xs_ok(xs_dir_node(t, XS_RM, dir, node, NULL));
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_rm, XPV);

/**
 * xpv_xs_exists() - does a node exist (and may we see it)?
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its directory
 * @node: its name, or ""
 *
 * Context: process context; sleeps.
 * Return: true if it does.
 */
bool xpv_xs_exists(xpv_xbt_t t, const char *dir, const char *node)
{
	void *reply = xs_dir_node(t, XS_DIRECTORY, dir, node, NULL);

	return !xs_ok(reply);
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_exists, XPV);

/* A listing as one allocation: @n pointers, then the strings they point to. */
static char **xs_split(const char *body, unsigned int len, int n)
{
	char **vec, *copy;
	int i;

	vec = kmalloc(n * sizeof(*vec) + len, GFP_KERNEL);
	if (!vec)
		return ERR_PTR(-ENOMEM);
	copy = (char *)(vec + n);
	memcpy(copy, body, len);
	for (i = 0; i < n; i++) {
		vec[i] = copy;
		copy += strlen(copy) + 1;
	}
	return vec;
}

/**
 * xpv_xs_directory() - list the children of a node
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its directory
 * @node: its name, or ""
 * @num:  set to the number of children
 *
 * Context: process context; sleeps.
 * Return: an array of @num names, to kfree() as a whole; or an ERR_PTR.
 */
char **xpv_xs_directory(xpv_xbt_t t, const char *dir, const char *node,
			unsigned int *num)
{
	unsigned int len;
	char *body, **vec;
	int n;

	body = xs_dir_node(t, XS_DIRECTORY, dir, node, &len);
	if (IS_ERR(body))
		return ERR_CAST(body);
	n = xs_count_strings(body, len);
	vec = n < 0 ? ERR_PTR(n) : xs_split(body, len, n);
	kfree(body);
	if (!IS_ERR(vec))
		*num = n;
	return vec;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_directory, XPV);

/**
 * xpv_xs_get_perms() - the permissions of a node
 * @t:    the transaction, or XPV_XBT_NIL
 * @dir:  its directory
 * @node: its name, or ""
 * @len:  set to the length of the result
 *
 * Context: process context; sleeps.
 * Return: the permissions as NUL-terminated strings one after the other
 * ("n0", "r5", ...: owner first), to kfree(); or an ERR_PTR.
 */
char *xpv_xs_get_perms(xpv_xbt_t t, const char *dir, const char *node,
		       unsigned int *len)
{
	return xs_dir_node(t, XS_GET_PERMS, dir, node, len);
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_get_perms, XPV);

/**
 * xpv_xs_set_perms() - set the permissions of a node
 * @t:     the transaction, or XPV_XBT_NIL
 * @dir:   its directory
 * @node:  its name, or ""
 * @perms: NUL-terminated permission strings one after the other, as
 *         xpv_xs_get_perms() returns them
 * @len:   their total length
 *
 * Context: process context; sleeps.
 * Return: 0 or a negative errno.
 */
int xpv_xs_set_perms(xpv_xbt_t t, const char *dir, const char *node,
		     const char *perms, unsigned int len)
{
	char *path = xs_path(dir, node);
	struct xs_iov iov[2];
	int ret;

	if (IS_ERR(path))
		return PTR_ERR(path);
	if (xs_count_strings(perms, len) < 1) {
		kfree(path);
		return -EINVAL;
	}
	iov[0] = (struct xs_iov){ path, strlen(path) + 1 };
	iov[1] = (struct xs_iov){ perms, len };
	ret = xs_ok(xs_request(t, XS_SET_PERMS, iov, 2, NULL));
	kfree(path);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_set_perms, XPV);

/**
 * xpv_xs_transaction_start() - start a transaction
 * @t: set to its id
 *
 * Context: process context; sleeps.
 * Return: 0 or a negative errno.
 */
int xpv_xs_transaction_start(xpv_xbt_t *t)
{
	char *id = xs_single(XPV_XBT_NIL, XS_TRANSACTION_START, "", NULL);
	unsigned int v;
	int ret;

	if (IS_ERR(id))
		return PTR_ERR(id);
	ret = xs_parse_uint(id, U32_MAX, &v);
	kfree(id);
	if (ret || v == XPV_XBT_NIL)
		return -EIO;
	*t = v;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_transaction_start, XPV);

/**
 * xpv_xs_transaction_end() - commit or abort a transaction
 * @t:     the transaction
 * @abort: true to abort
 *
 * Context: process context; sleeps.
 * Return: 0, -EAGAIN if the commit lost to another writer (start over), or
 * another negative errno.
 */
int xpv_xs_transaction_end(xpv_xbt_t t, bool abort)
{
	return xs_ok(xs_single(t, XS_TRANSACTION_END, abort ? "F" : "T",
			       NULL));
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_transaction_end, XPV);

/* Commits that lose to another writer before xpv_xs_transact() gives up. */
#define XS_TRANSACT_TRIES 32

/**
 * xpv_xs_transact() - run @body in a transaction, again until it commits
 * @body: reads and writes through its transaction; 0 to commit, or a
 *        negative errno to abort with
 * @arg:  passed to @body
 *
 * Context: process context; sleeps.
 * A @body that fails with -EAGAIN (xenstored saw the conflict early) is
 * run again too.
 *
 * Return: 0 once committed; @body's error; -EAGAIN after
 * XS_TRANSACT_TRIES conflicts in a row; another negative errno.
 */
int xpv_xs_transact(int (*body)(xpv_xbt_t t, void *arg), void *arg)
{
	unsigned int i;
	xpv_xbt_t t;
	int ret = -EAGAIN;

	for (i = 0; i < XS_TRANSACT_TRIES && ret == -EAGAIN; i++) {
		ret = xpv_xs_transaction_start(&t);
		if (ret)
			return ret;
		ret = body(t, arg);
		if (ret) {
			xpv_xs_transaction_end(t, true);
			if (ret == -EAGAIN)
				continue;
			return ret;
		}
		ret = xpv_xs_transaction_end(t, false);
	}
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_transact, XPV);
