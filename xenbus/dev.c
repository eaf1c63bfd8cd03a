// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/xen/xenbus: the xenstore wire protocol for userspace, as libxenstore
 * (Debian's xenstore-utils) speaks it to a guest kernel.
 *
 * A process writes whole requests (header and payload, in as many write()s
 * as it likes) and reads replies and watch events. Requests go to xenstored
 * through our connection, the reply comes back with the caller's req_id.
 * Watches become kernel watches whose events are queued to the file;
 * transactions are tracked per file. Closing the file unregisters its
 * watches and aborts its transactions. Only the requests a guest may make
 * are passed on; the others get an EINVAL error reply.
 */
#define pr_fmt(fmt) "xpv: xenbus: " fmt

#include "internal.h"
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

/* Unread messages a file may hold before further watch events are lost. */
#define XB_FILE_QUEUE_MAX (256 * 1024)

/**
 * struct xb_file - an open /dev/xen/xenbus
 * @lock:         serialises requests, and the lists below
 * @transactions: its open transactions (struct xb_trans)
 * @watches:      its watches (struct xb_uwatch)
 * @read_lock:    one reader at a time takes messages off @queue
 * @queue_lock:   protects @queue, @queued, @read_off
 * @queue:        messages waiting to be read (struct xb_msg)
 * @queued:       their total size
 * @read_off:     bytes of the first message already read
 * @read_wq:      readers wait here
 * @wlen:         bytes of the request being written so far
 * @wbuf:         the request being written: header, then payload
 */
struct xb_file {
	struct mutex lock;		/* requests, transactions, watches */
	struct list_head transactions;
	struct list_head watches;
	struct mutex read_lock;		/* readers */
	spinlock_t queue_lock;		/* queue, queued, read_off */
	struct list_head queue;
	size_t queued;
	size_t read_off;
	wait_queue_head_t read_wq;
	size_t wlen;
	union {
		struct xsd_sockmsg hdr;
		char wbuf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	};
};

struct xb_msg {
	struct list_head list;
	size_t len;
	char data[];
};

struct xb_trans {
	struct list_head list;
	u32 id;
};

struct xb_uwatch {
	struct xpv_xs_watch watch;
	struct list_head list;
	struct xb_file *file;
	char *token;
	char path[];
};

/* Queues a message of @type with @iov as payload; false if it was lost. */
static bool xb_queue(struct xb_file *f, u32 type, u32 req_id, u32 tx_id,
		     const struct xs_iov *iov, unsigned int n)
{
	ssize_t size = xs_msg_size(iov, n);
	struct xb_msg *m;

	if (size < 0)
		return false;
	m = kmalloc(struct_size(m, data, size), GFP_KERNEL);
	if (!m)
		return false;
	m->len = xs_msg_build(m->data, type, req_id, tx_id, iov, n);
	spin_lock(&f->queue_lock);
	if (type == XS_WATCH_EVENT && f->queued + size > XB_FILE_QUEUE_MAX) {
		spin_unlock(&f->queue_lock);
		kfree(m);
		return false;
	}
	list_add_tail(&m->list, &f->queue);
	f->queued += size;
	spin_unlock(&f->queue_lock);
	wake_up_interruptible(&f->read_wq);
	return true;
}

static void xb_reply_str(struct xb_file *f, u32 type, const char *s)
{
	struct xs_iov iov = { s, strlen(s) + 1 };

	if (!xb_queue(f, type, f->hdr.req_id, f->hdr.tx_id, &iov, 1))
		pr_warn_ratelimited("reply to a /dev/xen/xenbus request lost\n");
}

static void xb_uwatch_fired(struct xpv_xs_watch *watch, const char *path)
{
	struct xb_uwatch *w = container_of(watch, struct xb_uwatch, watch);
	struct xs_iov iov[2] = {
		{ path, strlen(path) + 1 },
		{ w->token, strlen(w->token) + 1 },
	};

	if (!xb_queue(w->file, XS_WATCH_EVENT, 0, 0, iov, 2))
		pr_warn_ratelimited("watch event on %s lost: reader too slow\n",
				    path);
}

static struct xb_uwatch *xb_find_uwatch(struct xb_file *f, const char *path,
					const char *token)
{
	struct xb_uwatch *w;

	list_for_each_entry(w, &f->watches, list)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return w;
	return NULL;
}

static void xb_uwatch_free(struct xb_uwatch *w)
{
	xpv_xs_watch_unregister(&w->watch);
	list_del(&w->list);
	kfree(w->token);
	kfree(w);
}

static int xb_do_watch(struct xb_file *f, const char *path, const char *token)
{
	struct xb_uwatch *w;
	int ret;

	if (xb_find_uwatch(f, path, token))
		return -EEXIST;
	w = kzalloc(struct_size(w, path, strlen(path) + 1), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	strcpy(w->path, path);
	w->token = kstrdup(token, GFP_KERNEL);
	if (!w->token) {
		kfree(w);
		return -ENOMEM;
	}
	w->file = f;
	w->watch.path = w->path;
	w->watch.callback = xb_uwatch_fired;
	list_add(&w->list, &f->watches);
	ret = xpv_xs_watch_register(&w->watch);
	if (ret) {
		list_del(&w->list);
		kfree(w->token);
		kfree(w);
	}
	return ret;
}

/* XS_WATCH and XS_UNWATCH: handled here, answered "OK" or an error. */
static void xb_watch_request(struct xb_file *f)
{
	const char *path, *token;
	struct xb_uwatch *w;
	int ret;

	ret = xs_watch_event_parse(f->wbuf + sizeof(f->hdr), f->hdr.len,
				   &path, &token);
	if (!ret && f->hdr.type == XS_WATCH) {
		ret = xb_do_watch(f, path, token);
	} else if (!ret) {
		w = xb_find_uwatch(f, path, token);
		if (w)
			xb_uwatch_free(w);
		else
			ret = -ENOENT;
	} else {
		ret = -EINVAL;
	}
	if (ret)
		xb_reply_str(f, XS_ERROR, xs_errstr(ret));
	else
		xb_reply_str(f, f->hdr.type, "OK");
}

static struct xb_trans *xb_find_trans(struct xb_file *f, u32 id)
{
	struct xb_trans *t;

	list_for_each_entry(t, &f->transactions, list)
		if (t->id == id)
			return t;
	return NULL;
}

/* Books what a reply says about this file's transactions. */
static void xb_track(struct xb_file *f, const struct xsd_sockmsg *reply,
		     const char *body)
{
	struct xb_trans *t;
	unsigned int id;

	if (f->hdr.type == XS_TRANSACTION_END) {
		t = xb_find_trans(f, f->hdr.tx_id);
		if (t) {
			list_del(&t->list);
			kfree(t);
		}
	} else if (f->hdr.type == XS_TRANSACTION_START &&
		   reply->type == XS_TRANSACTION_START &&
		   !xs_parse_uint(body, U32_MAX, &id)) {
		t = kmalloc(sizeof(*t), GFP_KERNEL);
		if (t) {
			t->id = id;
			list_add(&t->list, &f->transactions);
		}
	}
}

static bool xb_allowed(u32 type)
{
	switch (type) {
	case XS_DIRECTORY:
	case XS_DIRECTORY_PART:
	case XS_READ:
	case XS_GET_PERMS:
	case XS_TRANSACTION_START:
	case XS_TRANSACTION_END:
	case XS_GET_DOMAIN_PATH:
	case XS_IS_DOMAIN_INTRODUCED:
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
	case XS_SET_PERMS:
	case XS_RESET_WATCHES:
		return true;
	}
	return false;
}

/* Any other request: passed on to xenstored, its reply queued. */
static int xb_pass_request(struct xb_file *f)
{
	struct xs_iov iov = { f->wbuf + sizeof(f->hdr), f->hdr.len };
	struct xsd_sockmsg reply;
	char *body;
	int ret;

	if (!xb_allowed(f->hdr.type)) {
		xb_reply_str(f, XS_ERROR, "EINVAL");
		return 0;
	}
	if (f->hdr.tx_id && !xb_find_trans(f, f->hdr.tx_id)) {
		xb_reply_str(f, XS_ERROR, "ENOENT");
		return 0;
	}
	ret = xs_comms_talk(f->hdr.type, f->hdr.tx_id, &iov, 1, &reply, &body);
	if (ret)
		return ret;
	xb_track(f, &reply, body);
	iov = (struct xs_iov){ body, reply.len };
	if (!xb_queue(f, reply.type, f->hdr.req_id, reply.tx_id, &iov, 1))
		ret = -ENOMEM;
	kfree(body);
	return ret;
}

static int xb_request(struct xb_file *f)
{
	if (f->hdr.type == XS_WATCH || f->hdr.type == XS_UNWATCH) {
		xb_watch_request(f);
		return 0;
	}
	return xb_pass_request(f);
}

static ssize_t xb_write(struct file *filp, const char __user *ubuf,
			size_t len, loff_t *ppos)
{
	struct xb_file *f = filp->private_data;
	size_t done = 0, want, n;
	int ret = 0;

	if (mutex_lock_interruptible(&f->lock))
		return -EINTR;
	while (done < len && !ret) {
		want = sizeof(f->hdr);
		if (f->wlen >= want)
			want += f->hdr.len;
		n = min(len - done, want - f->wlen);
		if (copy_from_user(f->wbuf + f->wlen, ubuf + done, n)) {
			ret = -EFAULT;
			break;
		}
		f->wlen += n;
		done += n;
		if (f->wlen == sizeof(f->hdr) &&
		    f->hdr.len > XENSTORE_PAYLOAD_MAX) {
			f->wlen = 0;
			ret = -E2BIG;
		} else if (f->wlen == sizeof(f->hdr) + f->hdr.len) {
			ret = xb_request(f);
			f->wlen = 0;
		}
	}
	mutex_unlock(&f->lock);
	return ret ? ret : done;
}

static ssize_t xb_read(struct file *filp, char __user *ubuf, size_t len,
		       loff_t *ppos)
{
	struct xb_file *f = filp->private_data;
	struct xb_msg *m;
	size_t done = 0, n;
	int ret;

	ret = wait_event_interruptible(f->read_wq,
				       !list_empty_careful(&f->queue) ||
				       (filp->f_flags & O_NONBLOCK));
	if (ret)
		return ret;
	if (mutex_lock_interruptible(&f->read_lock))
		return -EINTR;
	spin_lock(&f->queue_lock);
	while (done < len && !list_empty(&f->queue)) {
		m = list_first_entry(&f->queue, struct xb_msg, list);
		n = min(len - done, m->len - f->read_off);
		spin_unlock(&f->queue_lock);
		/* Only we take messages off (read_lock): @m stays first. */
		if (copy_to_user(ubuf + done, m->data + f->read_off, n)) {
			mutex_unlock(&f->read_lock);
			return done ? done : -EFAULT;
		}
		spin_lock(&f->queue_lock);
		done += n;
		f->read_off += n;
		if (f->read_off == m->len) {
			list_del(&m->list);
			f->queued -= m->len;
			f->read_off = 0;
			kfree(m);
		}
	}
	spin_unlock(&f->queue_lock);
	mutex_unlock(&f->read_lock);
	return done ? done : -EAGAIN;
}

static __poll_t xb_poll(struct file *filp, poll_table *wait)
{
	struct xb_file *f = filp->private_data;

	poll_wait(filp, &f->read_wq, wait);
	if (!list_empty_careful(&f->queue))
		return EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM;
	return EPOLLOUT | EPOLLWRNORM;
}

static int xb_open(struct inode *inode, struct file *filp)
{
	struct xb_file *f = kvzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	mutex_init(&f->read_lock);
	INIT_LIST_HEAD(&f->transactions);
	INIT_LIST_HEAD(&f->watches);
	spin_lock_init(&f->queue_lock);
	INIT_LIST_HEAD(&f->queue);
	init_waitqueue_head(&f->read_wq);
	filp->private_data = f;
	return stream_open(inode, filp);
}

static int xb_release(struct inode *inode, struct file *filp)
{
	struct xb_file *f = filp->private_data;
	struct xb_uwatch *w, *wtmp;
	struct xb_trans *t, *ttmp;
	struct xb_msg *m, *mtmp;

	list_for_each_entry_safe(w, wtmp, &f->watches, list)
		xb_uwatch_free(w);
	list_for_each_entry_safe(t, ttmp, &f->transactions, list) {
		xpv_xs_transaction_end(t->id, true);
		kfree(t);
	}
	list_for_each_entry_safe(m, mtmp, &f->queue, list)
		kfree(m);
	kvfree(f);
	return 0;
}

static const struct file_operations xb_fops = {
	.owner = THIS_MODULE,
	.open = xb_open,
	.release = xb_release,
	.read = xb_read,
	.write = xb_write,
	.poll = xb_poll,
	.llseek = no_llseek,
};

static struct miscdevice xb_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "xen/xenbus",
	.fops = &xb_fops,
};

/**
 * xb_dev_init() - create /dev/xen/xenbus
 *
 * Return: 0 or a negative errno.
 */
int xb_dev_init(void)
{
	return misc_register(&xb_miscdev);
}

/**
 * xb_dev_exit() - remove /dev/xen/xenbus (no file is open: they hold the
 * module)
 */
void xb_dev_exit(void)
{
	misc_deregister(&xb_miscdev);
}
