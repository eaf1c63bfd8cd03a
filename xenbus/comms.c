// SPDX-License-Identifier: GPL-2.0-only
/*
 * The connection to xenstored: the xenstore page Xen set up for us
 * (HVM_PARAM_STORE_PFN, mapped write-back cacheable as Xen maps it) and its
 * event channel (HVM_PARAM_STORE_EVTCHN).
 *
 * Requesters put whole messages on the request ring one at a time (tx_mutex)
 * and sleep until the reader thread hands them the reply carrying their
 * req_id, so any number of callers wait at once. The reader thread takes
 * every message off the response ring: replies go to their requester,
 * watch events to watch.c. A reply nobody waits for (its requester timed
 * out) is dropped. A ring that lies about its indexes, a header that is not
 * xenstore's, or a request ring xenstored stops draining mid-message breaks
 * the connection for good: every caller then gets -EIO, none hangs.
 */
#define pr_fmt(fmt) "xpv: xenbus: " fmt

#include "internal.h"
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <xpv/evtchn.h>
#include <xpv/hypercall.h>
#include <xpv/shared.h>
#include <xen/interface/hvm/hvm_op.h>
#include <xen/interface/hvm/params.h>

static unsigned int timeout_ms = 30000;

static int timeout_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 100, 600000);
}

static const struct kernel_param_ops timeout_ops = {
	.set = timeout_set,
	.get = param_get_uint,
};

module_param_cb(timeout_ms, &timeout_ops, &timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms,
		 "how long a xenstore request waits for xenstored (ms, 100-600000)");

/**
 * struct xs_waiter - a request waiting for its reply
 * @list:   in xs.pending while waiting
 * @req_id: the id its reply carries
 * @done:   set (under xs.lock) when @reply/@body or @err are final
 * @err:    a connection error instead of a reply
 * @reply:  the reply's header
 * @body:   the reply's payload, NUL-terminated, for the requester to free
 */
struct xs_waiter {
	struct list_head list;
	u32 req_id;
	bool done;
	int err;
	struct xsd_sockmsg reply;
	char *body;
};

static struct {
	struct xenstore_domain_interface *intf;
	struct xs_ring ring;
	evtchn_port_t port;
	int irq;
	struct task_struct *reader;
	wait_queue_head_t rx_wq;	/* the reader: bytes arrived */
	wait_queue_head_t tx_wq;	/* writers: room on the request ring */
	wait_queue_head_t reply_wq;	/* requesters: a reply arrived */
	struct mutex tx_mutex;		/* one message on the ring at a time */
	spinlock_t lock;		/* pending, next_id, dead, stats */
	struct list_head pending;
	u32 next_id;
	bool dead;
	struct xs_comms_stats stats;
	struct xs_rx rx;		/* the reader's only */
} xs;

static irqreturn_t xs_interrupt(int irq, void *dev)
{
	wake_up(&xs.rx_wq);
	wake_up(&xs.tx_wq);
	return IRQ_HANDLED;
}

/* Fails every waiting request and every later one with -EIO. */
static void xs_break(const char *why)
{
	struct xs_waiter *w, *tmp;

	spin_lock(&xs.lock);
	if (!xs.dead)
		pr_err("xenstore connection broken: %s; xenstore is unusable\n",
		       why);
	xs.dead = true;
	list_for_each_entry_safe(w, tmp, &xs.pending, list) {
		list_del_init(&w->list);
		w->err = -EIO;
		WRITE_ONCE(w->done, true);
	}
	xs.stats.pending = 0;
	spin_unlock(&xs.lock);
	wake_up_all(&xs.reply_wq);
	wake_up_all(&xs.tx_wq);
}

/* Hands a reply to its requester; false if none waits for it. */
static bool xs_deliver(const struct xsd_sockmsg *hdr, char *body)
{
	struct xs_waiter *w;

	spin_lock(&xs.lock);
	list_for_each_entry(w, &xs.pending, list) {
		if (w->req_id != hdr->req_id)
			continue;
		list_del_init(&w->list);
		w->reply = *hdr;
		w->body = body;
		WRITE_ONCE(w->done, true);
		xs.stats.pending--;
		spin_unlock(&xs.lock);
		wake_up_all(&xs.reply_wq);
		return true;
	}
	xs.stats.stray++;
	spin_unlock(&xs.lock);
	return false;
}

static void xs_dispatch(const struct xs_rx *rx)
{
	char *body;

	if (rx->hdr.type == XS_WATCH_EVENT) {
		xs_watch_event(rx->body, rx->hdr.len);
		return;
	}
	body = kmemdup(rx->body, rx->hdr.len + 1, GFP_KERNEL);
	if (!body) {
		xs_break("out of memory for a reply");
		return;
	}
	if (!xs_deliver(&rx->hdr, body)) {
		pr_warn_ratelimited("dropped a reply (type %u, req_id %u) nobody waits for\n",
				    rx->hdr.type, rx->hdr.req_id);
		kfree(body);
	}
}

static int xs_reader(void *unused)
{
	int ret;

	while (!kthread_should_stop()) {
		wait_event_interruptible(xs.rx_wq,
					 xs_ring_avail(&xs.ring) ||
					 kthread_should_stop() || xs.dead);
		if (kthread_should_stop())
			break;
		if (READ_ONCE(xs.dead)) {
			/* Nothing more to read: wait for the unload. */
			set_current_state(TASK_INTERRUPTIBLE);
			if (!kthread_should_stop())
				schedule();
			__set_current_state(TASK_RUNNING);
			continue;
		}
		ret = xs_rx_poll(&xs.ring, &xs.rx);
		/* Room freed on the response ring. */
		xpv_evtchn_notify(xs.port);
		if (ret < 0) {
			xs_break("bad response ring or message header");
		} else if (ret > 0) {
			xs_dispatch(&xs.rx);
			xs_rx_reset(&xs.rx);
		}
		cond_resched();
	}
	return 0;
}

/* Puts a whole message on the request ring; 0 or a negative errno. */
static int xs_send(const void *msg, size_t len)
{
	struct xs_tx tx = { .msg = msg, .len = len };
	long left = msecs_to_jiffies(READ_ONCE(timeout_ms));
	int ret;

	for (;;) {
		ret = xs_tx_push(&xs.ring, &tx);
		if (tx.off)
			xpv_evtchn_notify(xs.port);
		if (ret)
			break;
		left = wait_event_timeout(xs.tx_wq,
					  xs_ring_space(&xs.ring) || xs.dead,
					  left);
		if (READ_ONCE(xs.dead))
			return -EIO;
		if (!left) {
			if (!tx.off)
				return -ETIMEDOUT;
			/* Half a message on the ring: the stream is lost. */
			xs_break("xenstored stopped reading mid-message");
			return -EIO;
		}
	}
	if (ret < 0) {
		xs_break("bad request ring");
		return -EIO;
	}
	return 0;
}

static int xs_enqueue(struct xs_waiter *w)
{
	spin_lock(&xs.lock);
	if (xs.dead) {
		spin_unlock(&xs.lock);
		return -EIO;
	}
	w->req_id = xs.next_id++;
	list_add_tail(&w->list, &xs.pending);
	xs.stats.requests++;
	xs.stats.pending++;
	spin_unlock(&xs.lock);
	return 0;
}

/* Takes @w off the pending list unless its reply came: its final error. */
static int xs_dequeue(struct xs_waiter *w, int err)
{
	spin_lock(&xs.lock);
	if (w->done) {
		err = w->err;
	} else {
		list_del_init(&w->list);
		xs.stats.pending--;
		if (err == -ETIMEDOUT)
			xs.stats.timeouts++;
	}
	spin_unlock(&xs.lock);
	return err;
}

/*
 * Requests that release something in xenstored (a transaction's end, an
 * unwatch) go through even for a task being killed: a fatal signal must
 * not leak them for the life of the connection. They still time out.
 */
static bool xs_cleanup(u32 type)
{
	return type == XS_TRANSACTION_END || type == XS_UNWATCH;
}

static int xs_wait(struct xs_waiter *w, bool killable)
{
	long tmo = msecs_to_jiffies(READ_ONCE(timeout_ms)), ret;

	if (killable)
		ret = wait_event_killable_timeout(xs.reply_wq,
						  READ_ONCE(w->done), tmo);
	else
		ret = wait_event_timeout(xs.reply_wq, READ_ONCE(w->done), tmo);
	if (ret > 0)
		return xs_dequeue(w, 0);
	return xs_dequeue(w, ret ? -EINTR : -ETIMEDOUT);
}

/**
 * xs_comms_talk() - send one request to xenstored and wait for its reply
 * @type:  XS_*
 * @tx_id: the transaction, or 0
 * @iov:   the payload's pieces
 * @n:     how many
 * @reply: the reply's header (its type may be XS_ERROR)
 * @body:  the reply's payload, NUL-terminated at [@reply->len]: kfree() it
 *
 * Context: process context; sleeps.
 * Return: 0 with a reply; -E2BIG for a payload over XENSTORE_PAYLOAD_MAX,
 * -ENODEV before xenstore is up, -ETIMEDOUT if xenstored does not answer
 * within timeout_ms, -EINTR on a fatal signal (except for the requests that
 * release something: those complete), -EIO once the connection is
 * broken, -ENOMEM.
 */
int xs_comms_talk(u32 type, u32 tx_id, const struct xs_iov *iov,
		  unsigned int n, struct xsd_sockmsg *reply, char **body)
{
	struct xs_waiter w = { .done = false };
	ssize_t size = xs_msg_size(iov, n);
	void *msg;
	int ret;

	if (size < 0)
		return size;
	if (!xs.intf)
		return -ENODEV;
	msg = kmalloc(size, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = xs_enqueue(&w);
	if (ret)
		goto out;
	xs_msg_build(msg, type, w.req_id, tx_id, iov, n);
	if (xs_cleanup(type))
		mutex_lock(&xs.tx_mutex);
	else
		ret = mutex_lock_killable(&xs.tx_mutex);
	if (!ret) {
		ret = xs_send(msg, size);
		mutex_unlock(&xs.tx_mutex);
	}
	ret = ret ? xs_dequeue(&w, ret) : xs_wait(&w, !xs_cleanup(type));
	if (!ret) {
		*reply = w.reply;
		*body = w.body;
	}
out:
	kfree(msg);
	return ret;
}

/**
 * xs_comms_get_stats() - the connection's counters
 * @st: filled in
 */
void xs_comms_get_stats(struct xs_comms_stats *st)
{
	spin_lock(&xs.lock);
	*st = xs.stats;
	st->dead = xs.dead;
	spin_unlock(&xs.lock);
}

static int xs_get_param(unsigned int index, u64 *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	int ret = xpv_hvm_op(HVMOP_get_param, &p);

	*value = p.value;
	return ret;
}

static int xs_map_page(void)
{
	u64 pfn, port;
	int ret;

	ret = xs_get_param(HVM_PARAM_STORE_PFN, &pfn);
	if (!ret)
		ret = xs_get_param(HVM_PARAM_STORE_EVTCHN, &port);
	if (ret) {
		pr_err("Xen gave no xenstore page (HVMOP_get_param: %d)\n", ret);
		return ret;
	}
	if (!pfn || pfn > U64_MAX / XPV_XEN_PAGE_SIZE || !port ||
	    port > U32_MAX) {
		pr_err("Xen gave no usable xenstore page (pfn %#llx, port %llu)\n",
		       pfn, port);
		return -ENODEV;
	}
	xs.intf = memremap(pfn * XPV_XEN_PAGE_SIZE, XPV_XEN_PAGE_SIZE, MEMREMAP_WB);
	if (!xs.intf)
		return -ENOMEM;
	xs.port = port;
	return 0;
}

/**
 * xs_comms_init() - connect to xenstored
 *
 * Return: 0 or a negative errno.
 */
int xs_comms_init(void)
{
	int ret;

	init_waitqueue_head(&xs.rx_wq);
	init_waitqueue_head(&xs.tx_wq);
	init_waitqueue_head(&xs.reply_wq);
	mutex_init(&xs.tx_mutex);
	spin_lock_init(&xs.lock);
	INIT_LIST_HEAD(&xs.pending);
	xs.next_id = get_random_u32();
	ret = xs_map_page();
	if (ret)
		return ret;
	xs_ring_attach(&xs.ring, xs.intf);
	xs_rx_reset(&xs.rx);
	xs.irq = xpv_evtchn_bind_irq(xs.port, xs_interrupt, 0, "xpv-xenstore",
				     &xs);
	if (xs.irq < 0) {
		ret = xs.irq;
		goto unmap;
	}
	xs.reader = kthread_run(xs_reader, NULL, "xpv_xenstore");
	if (IS_ERR(xs.reader)) {
		ret = PTR_ERR(xs.reader);
		goto unbind;
	}
	return 0;
unbind:
	xpv_evtchn_unbind_irq(xs.irq, &xs);
unmap:
	memunmap(xs.intf);
	xs.intf = NULL;
	return ret;
}

/**
 * xs_comms_exit() - disconnect; no request may be in flight
 */
void xs_comms_exit(void)
{
	kthread_stop(xs.reader);
	xpv_evtchn_unbind_irq(xs.irq, &xs);
	WARN_ON(!list_empty(&xs.pending));
	memunmap(xs.intf);
	xs.intf = NULL;
}
