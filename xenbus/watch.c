// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenstore watches: registration (XS_WATCH with a token of ours), the
 * events the reader thread receives, and the thread that runs callbacks.
 *
 * Callbacks run one at a time in the "xpv_xenwatch" thread, never in the
 * reader thread, so a callback can itself talk to xenstore. An event is
 * queued only for a watch still registered (under watches_lock), and
 * unregistering drops the watch's queued events and then waits, through
 * watch_mutex, for a callback already running; inside a callback (on the
 * watch thread) there is nothing to wait for, so the watch thread may
 * unregister watches, as device removal does.
 */
#define pr_fmt(fmt) "xpv: xenbus: " fmt

#include "internal.h"
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

/* "xpv" and the watch's id in hex: the token xenstored echoes. */
#define XS_TOKEN_LEN (3 + 2 * sizeof(unsigned long) + 1)

/**
 * struct xs_event - a watch event waiting for its callback
 * @list:  in events
 * @watch: the watch it fired
 * @path:  the path that changed
 */
struct xs_event {
	struct list_head list;
	struct xpv_xs_watch *watch;
	char path[];
};

static LIST_HEAD(watches);
static DEFINE_SPINLOCK(watches_lock);	/* watches, next_id; then events */
static unsigned long next_id;
static unsigned int nr_watches;
static LIST_HEAD(events);
static DEFINE_SPINLOCK(events_lock);
static DECLARE_WAIT_QUEUE_HEAD(events_wq);
static DEFINE_MUTEX(watch_mutex);	/* held while a callback runs */
static struct task_struct *watch_task;

static void xs_token(char *buf, const struct xpv_xs_watch *watch)
{
	snprintf(buf, XS_TOKEN_LEN, "xpv%lx", watch->id);
}

/* The watch whose token xs_token() made @token; NULL if none is. */
static struct xpv_xs_watch *xs_find_watch(const char *token)
{
	struct xpv_xs_watch *w;
	char canon[XS_TOKEN_LEN];
	unsigned long id;

	lockdep_assert_held(&watches_lock);
	if (strncmp(token, "xpv", 3) || kstrtoul(token + 3, 16, &id))
		return NULL;
	list_for_each_entry(w, &watches, list) {
		if (w->id != id)
			continue;
		/* "xpv0x1f" or "xpv+1f" parse too: only our spelling counts. */
		xs_token(canon, w);
		return strcmp(canon, token) ? NULL : w;
	}
	return NULL;
}

/**
 * xs_watch_event() - an XS_WATCH_EVENT from xenstored: queue its callback
 * @body: the event's payload
 * @len:  its length
 *
 * Context: the reader thread. Events of watches no longer registered (or of
 * a previous instance of this module) are dropped.
 */
void xs_watch_event(const char *body, size_t len)
{
	const char *path, *token;
	struct xpv_xs_watch *w;
	struct xs_event *ev;

	if (xs_watch_event_parse(body, len, &path, &token)) {
		pr_warn_ratelimited("malformed watch event dropped\n");
		return;
	}
	ev = kmalloc(struct_size(ev, path, strlen(path) + 1), GFP_KERNEL);
	if (!ev)
		return;
	strcpy(ev->path, path);
	spin_lock(&watches_lock);
	w = xs_find_watch(token);
	if (w) {
		ev->watch = w;
		spin_lock(&events_lock);
		list_add_tail(&ev->list, &events);
		spin_unlock(&events_lock);
	}
	spin_unlock(&watches_lock);
	if (!w) {
		kfree(ev);
		return;
	}
	wake_up(&events_wq);
}

static struct xs_event *xs_next_event(void)
{
	struct xs_event *ev;

	spin_lock(&events_lock);
	ev = list_first_entry_or_null(&events, struct xs_event, list);
	if (ev)
		list_del(&ev->list);
	spin_unlock(&events_lock);
	return ev;
}

static bool xs_events_waiting(void)
{
	bool ret;

	spin_lock(&events_lock);
	ret = !list_empty(&events);
	spin_unlock(&events_lock);
	return ret;
}

static int xs_watch_thread(void *unused)
{
	struct xs_event *ev;

	while (!kthread_should_stop()) {
		wait_event_interruptible(events_wq, xs_events_waiting() ||
					 kthread_should_stop());
		mutex_lock(&watch_mutex);
		ev = xs_next_event();
		if (ev)
			ev->watch->callback(ev->watch, ev->path);
		mutex_unlock(&watch_mutex);
		kfree(ev);
		cond_resched();
	}
	return 0;
}

/**
 * xs_watch_in_callback() - is this the watch thread?
 *
 * Return: true when called from a watch callback.
 */
bool xs_watch_in_callback(void)
{
	return current == watch_task;
}

static int xs_watch_send(u32 type, const struct xpv_xs_watch *watch)
{
	char token[XS_TOKEN_LEN];
	struct xs_iov iov[2];
	void *reply;

	xs_token(token, watch);
	iov[0] = (struct xs_iov){ watch->path, strlen(watch->path) + 1 };
	iov[1] = (struct xs_iov){ token, strlen(token) + 1 };
	reply = xs_request(XPV_XBT_NIL, type, iov, 2, NULL);
	if (IS_ERR(reply))
		return PTR_ERR(reply);
	kfree(reply);
	return 0;
}

/* Takes @watch off the list and drops its queued events. */
static void xs_watch_forget(struct xpv_xs_watch *watch)
{
	struct xs_event *ev, *tmp;
	LIST_HEAD(dropped);

	spin_lock(&watches_lock);
	list_del(&watch->list);
	nr_watches--;
	spin_lock(&events_lock);
	list_for_each_entry_safe(ev, tmp, &events, list)
		if (ev->watch == watch)
			list_move(&ev->list, &dropped);
	spin_unlock(&events_lock);
	spin_unlock(&watches_lock);
	list_for_each_entry_safe(ev, tmp, &dropped, list)
		kfree(ev);
}

/**
 * xpv_xs_watch_register() - watch a path and everything below it
 * @watch: path and callback set by the caller; it stays the caller's, and
 *         must stay alive until xpv_xs_watch_unregister()
 *
 * xenstored fires every new watch once; the callback then runs on each
 * change, in the watch thread (see &xpv_xs_watch_fn).
 *
 * Context: process context; sleeps.
 * Return: 0, -EINVAL for an invalid path, or xenstore's error.
 */
int xpv_xs_watch_register(struct xpv_xs_watch *watch)
{
	int ret;

	if (!watch->callback || !xs_path_valid(watch->path))
		return -EINVAL;
	spin_lock(&watches_lock);
	watch->id = next_id++;
	list_add_tail(&watch->list, &watches);
	nr_watches++;
	spin_unlock(&watches_lock);
	ret = xs_watch_send(XS_WATCH, watch);
	if (ret) {
		xs_watch_forget(watch);
		pr_warn("cannot watch %s: %d\n", watch->path, ret);
	}
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_watch_register, XPV);

/**
 * xpv_xs_watch_unregister() - stop watching
 * @watch: a registered watch
 *
 * When this returns, @watch's callback is not running and will not run
 * again. It must not be called from @watch's own callback.
 *
 * Context: process context; sleeps.
 */
void xpv_xs_watch_unregister(struct xpv_xs_watch *watch)
{
	int ret = xs_watch_send(XS_UNWATCH, watch);

	if (ret && ret != -ENOENT)
		pr_warn("cannot unwatch %s: %d\n", watch->path, ret);
	xs_watch_forget(watch);
	if (!xs_watch_in_callback()) {
		/* A callback of @watch already dequeued finishes first. */
		mutex_lock(&watch_mutex);
		mutex_unlock(&watch_mutex);
	}
}
EXPORT_SYMBOL_NS_GPL(xpv_xs_watch_unregister, XPV);

/**
 * xs_watch_count() - watches registered now
 *
 * Return: their number.
 */
unsigned int xs_watch_count(void)
{
	return READ_ONCE(nr_watches);
}

/**
 * xs_watch_init() - start the watch thread
 *
 * Return: 0 or a negative errno.
 */
int xs_watch_init(void)
{
	/* Tokens unlike those of an earlier instance of the module. */
	next_id = get_random_u32();
	watch_task = kthread_run(xs_watch_thread, NULL, "xpv_xenwatch");
	return PTR_ERR_OR_ZERO(watch_task);
}

/**
 * xs_watch_exit() - stop the watch thread; every watch is unregistered
 */
void xs_watch_exit(void)
{
	WARN(nr_watches, "xpv: xenbus: %u watch(es) left registered\n",
	     nr_watches);
	kthread_stop(watch_task);
}
