/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenstore client of xpv_xenbus.ko.
 *
 * Paths are given as a directory and a node, joined with '/' (an empty node
 * names the directory itself), as in Linux's xenbus API, so frontend code
 * reads the same. Relative paths are relative to this domain's home,
 * /local/domain/<domid>. Every call may sleep; many callers may run at once
 * (requests are matched to replies by req_id).
 *
 * Replies come from another domain and are checked before use; a value
 * returned to the caller is always NUL-terminated. A xenstored that does not
 * answer makes calls fail with -ETIMEDOUT instead of hanging; a fatal signal
 * interrupts a wait with -EINTR.
 *
 * Errors are negative errnos: Xen's error strings (ENOENT, EACCES, EAGAIN,
 * E2BIG, ...) mapped to their values, -E2BIG for a request over
 * XENSTORE_PAYLOAD_MAX, -EIO for a malformed reply, -ENODEV before xenstore
 * is up or after it is gone.
 */
#ifndef _XPV_XENSTORE_H
#define _XPV_XENSTORE_H

#include <xpv/xpv.h>
#include <linux/compiler_attributes.h>
#include <linux/list.h>
#include <linux/types.h>

/**
 * typedef xpv_xbt_t - a xenstore transaction id; XPV_XBT_NIL for none
 */
typedef u32 xpv_xbt_t;
#define XPV_XBT_NIL ((xpv_xbt_t)0)

void *xpv_xs_read(xpv_xbt_t t, const char *dir, const char *node,
		  unsigned int *len);
int xpv_xs_read_buf(xpv_xbt_t t, const char *dir, const char *node,
		    char *buf, size_t size);
int xpv_xs_write(xpv_xbt_t t, const char *dir, const char *node,
		 const char *value);
__printf(4, 5)
int xpv_xs_printf(xpv_xbt_t t, const char *dir, const char *node,
		  const char *fmt, ...);
__scanf(4, 5)
int xpv_xs_scanf(xpv_xbt_t t, const char *dir, const char *node,
		 const char *fmt, ...);
unsigned int xpv_xs_read_unsigned(const char *dir, const char *node,
				  unsigned int default_val);
int xpv_xs_mkdir(xpv_xbt_t t, const char *dir, const char *node);
int xpv_xs_rm(xpv_xbt_t t, const char *dir, const char *node);
bool xpv_xs_exists(xpv_xbt_t t, const char *dir, const char *node);
char **xpv_xs_directory(xpv_xbt_t t, const char *dir, const char *node,
			unsigned int *num);
char *xpv_xs_get_perms(xpv_xbt_t t, const char *dir, const char *node,
		       unsigned int *len);
int xpv_xs_set_perms(xpv_xbt_t t, const char *dir, const char *node,
		     const char *perms, unsigned int len);

int xpv_xs_transaction_start(xpv_xbt_t *t);
int xpv_xs_transaction_end(xpv_xbt_t t, bool abort);
int xpv_xs_transact(int (*body)(xpv_xbt_t t, void *arg), void *arg);

struct xpv_xs_watch;

/**
 * typedef xpv_xs_watch_fn - a watch callback
 * @watch: the registered watch
 * @path:  the path that changed (at or below @watch->path; relative to our
 *         home if @watch->path is)
 *
 * Runs in process context, in xenbus's watch thread, one callback at a
 * time; it may sleep and use xenstore (not unregister its own watch).
 */
typedef void (*xpv_xs_watch_fn)(struct xpv_xs_watch *watch, const char *path);

/**
 * struct xpv_xs_watch - a xenstore watch
 * @path:     the path watched (it and everything below it); the caller
 *            keeps the string alive while the watch is registered
 * @callback: called once at registration (Xen fires every new watch) and
 *            on each change
 * @list:     private to xpv_xenbus
 * @id:       private to xpv_xenbus (its token)
 */
struct xpv_xs_watch {
	const char *path;
	xpv_xs_watch_fn callback;
	struct list_head list;
	unsigned long id;
};

int xpv_xs_watch_register(struct xpv_xs_watch *watch);
void xpv_xs_watch_unregister(struct xpv_xs_watch *watch);

#endif /* _XPV_XENSTORE_H */
