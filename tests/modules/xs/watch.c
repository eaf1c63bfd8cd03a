// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watches: the initial event xenstored fires for every new watch, an event
 * with the exact (relative) path of a write below the watched one and only
 * one per write, a callback that itself reads xenstore, 50 watches on one
 * path each firing once, unregister stopping callbacks and waiting for one
 * in flight, and an event caused by dom0's write (dom0-during.sh writes
 * w/fromdom0 once it sees watch-ready = 1).
 */
#include "xstest.h"
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#define XT_WAIT (10 * HZ)		/* for an event of our own making */
#define XT_DOM0_WAIT (30 * HZ)		/* for dom0's */
#define XT_MANY 50
#define XT_PATH_LEN 64

static DECLARE_WAIT_QUEUE_HEAD(xt_wq);

/**
 * struct rec_watch - a watch that records its events
 * @w:      the watch
 * @lock:   protects the fields below (callback vs. the test)
 * @events: how many events it got
 * @hits:   how many of them were at @want
 * @want:   the path to count in @hits, or NULL
 * @last:   the path of the latest event
 */
struct rec_watch {
	struct xpv_xs_watch w;
	spinlock_t lock;	/* the fields below */
	unsigned int events;
	unsigned int hits;
	const char *want;
	char last[XT_PATH_LEN];
};

static struct rec_watch main_w, witness;

static void rec_cb(struct xpv_xs_watch *w, const char *path)
{
	struct rec_watch *r = container_of(w, struct rec_watch, w);

	spin_lock(&r->lock);
	r->events++;
	if (r->want && !strcmp(path, r->want))
		r->hits++;
	strscpy(r->last, path, sizeof(r->last));
	spin_unlock(&r->lock);
	wake_up(&xt_wq);
}

static void rec_init(struct rec_watch *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	spin_lock_init(&r->lock);
	r->w.path = path;
	r->w.callback = rec_cb;
}

static unsigned int rec_events(struct rec_watch *r)
{
	unsigned int n;

	spin_lock(&r->lock);
	n = r->events;
	spin_unlock(&r->lock);
	return n;
}

static unsigned int rec_hits(struct rec_watch *r)
{
	unsigned int n;

	spin_lock(&r->lock);
	n = r->hits;
	spin_unlock(&r->lock);
	return n;
}

/* Count events at @want from now on. */
static void rec_want(struct rec_watch *r, const char *want)
{
	spin_lock(&r->lock);
	r->want = want;
	r->hits = 0;
	spin_unlock(&r->lock);
}

static void rec_last(struct rec_watch *r, char *buf)
{
	spin_lock(&r->lock);
	strscpy(buf, r->last, XT_PATH_LEN);
	spin_unlock(&r->lock);
}

static bool wait_events(struct rec_watch *r, unsigned int n)
{
	return wait_event_timeout(xt_wq, rec_events(r) >= n, XT_WAIT);
}

static bool wait_hits(struct rec_watch *r, unsigned int n, long timeout)
{
	return wait_event_timeout(xt_wq, rec_hits(r) >= n, timeout);
}

static void noop_cb(struct xpv_xs_watch *w, const char *path)
{
}

static void watch_errors(void)
{
	struct xpv_xs_watch bad = { .path = "bad path", .callback = noop_cb };
	struct xpv_xs_watch nocb = { .path = XT_BASE "/w" };
	int ret;

	ret = xpv_xs_watch_register(&bad);
	xt_expect_err(ret, -EINVAL, "watch_register on an invalid path: -EINVAL");
	if (!ret)
		xpv_xs_watch_unregister(&bad);
	ret = xpv_xs_watch_register(&nocb);
	xt_expect_err(ret, -EINVAL, "watch_register without a callback: -EINVAL");
	if (!ret)
		xpv_xs_watch_unregister(&nocb);
}

/* main_w on w: initial event, then one event at w/a; left registered. */
static bool watch_basic(void)
{
	char last[XT_PATH_LEN];
	unsigned int n;
	bool ok;
	int ret;

	rec_init(&main_w, XT_BASE "/w");
	ret = xpv_xs_watch_register(&main_w.w);
	if (!xt_expect_err(ret, 0, "watch_register on data/xpvtest-xs/w"))
		return false;
	ok = wait_events(&main_w, 1);
	rec_last(&main_w, last);
	xt_check(ok && !strcmp(last, XT_BASE "/w"),
		 "the initial event arrives, with the watched path",
		 "%s, last path '%s'", ok ? "arrived" : "none in 10 s", last);

	msleep(100);
	n = rec_events(&main_w);
	rec_want(&main_w, XT_BASE "/w/a");
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "w/a", "1");
	ok = !ret && wait_hits(&main_w, 1, XT_WAIT);
	rec_last(&main_w, last);
	xt_check(ok, "a write below the watched path fires it, exact path",
		 "write %d; no event at " XT_BASE "/w/a in 10 s, last '%s'",
		 ret, last);
	msleep(200);
	xt_check(rec_events(&main_w) == n + 1,
		 "... exactly one event for one write", "%u events",
		 rec_events(&main_w) - n);
	return true;
}

/**
 * struct read_watch - a watch whose callback reads the path it is given
 * @w:     the watch
 * @want:  the path whose event makes it read
 * @err:   the read's error, or 0
 * @len:   the length it read
 * @value: what it read
 * @done:  set (release) when the fields above are final
 */
struct read_watch {
	struct xpv_xs_watch w;
	const char *want;
	int err;
	unsigned int len;
	char value[16];
	bool done;
};

static void read_cb(struct xpv_xs_watch *w, const char *path)
{
	struct read_watch *r = container_of(w, struct read_watch, w);
	char *v;

	if (strcmp(path, r->want) || r->done)
		return;
	v = xpv_xs_read(XPV_XBT_NIL, path, "", &r->len);
	if (IS_ERR(v)) {
		r->err = PTR_ERR(v);
	} else {
		strscpy(r->value, v, sizeof(r->value));
		kfree(v);
	}
	/* The fields above before @done, for the test's acquire. */
	smp_store_release(&r->done, true);
	wake_up(&xt_wq);
}

static void watch_read_in_callback(void)
{
	static struct read_watch rd = {
		.w = { .path = XT_BASE "/r", .callback = read_cb },
		.want = XT_BASE "/r/v",
	};
	bool ok;
	int ret;

	ret = xpv_xs_watch_register(&rd.w);
	if (!xt_expect_err(ret, 0, "watch_register on data/xpvtest-xs/r"))
		return;
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "r/v", "hello");
	/* Pairs with read_cb()'s release: its results are final. */
	ok = !ret && wait_event_timeout(xt_wq, smp_load_acquire(&rd.done),
					XT_WAIT);
	if (!ok)
		xt_check(false, "a callback reading the path it was given works",
			 "write %d; the callback did not finish in 10 s", ret);
	else
		xt_check(!rd.err && rd.len == 5 && !strcmp(rd.value, "hello"),
			 "a callback reading the path it was given works",
			 "read %d, '%s' (length %u)", rd.err, rd.value, rd.len);
	xpv_xs_watch_unregister(&rd.w);
}

/**
 * struct slow_watch - a watch whose callback takes 300 ms
 * @w:        the watch
 * @started:  the callback of s/go began
 * @finished: ... and ended
 */
struct slow_watch {
	struct xpv_xs_watch w;
	bool started;
	bool finished;
};

static void slow_cb(struct xpv_xs_watch *w, const char *path)
{
	struct slow_watch *s = container_of(w, struct slow_watch, w);

	if (strcmp(path, XT_BASE "/s/go"))
		return;
	WRITE_ONCE(s->started, true);
	wake_up(&xt_wq);
	msleep(300);
	WRITE_ONCE(s->finished, true);
}

static void watch_unregister_waits(void)
{
	static struct slow_watch sw = {
		.w = { .path = XT_BASE "/s", .callback = slow_cb },
	};
	bool started, finished;
	ktime_t t0;
	int ret;

	ret = xpv_xs_watch_register(&sw.w);
	if (!xt_expect_err(ret, 0, "watch_register on data/xpvtest-xs/s"))
		return;
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "s/go", "1");
	started = !ret && wait_event_timeout(xt_wq, READ_ONCE(sw.started),
					     XT_WAIT);
	t0 = ktime_get();
	xpv_xs_watch_unregister(&sw.w);
	finished = READ_ONCE(sw.finished);
	if (!started) {
		xt_check(false, "unregister waits for a callback in flight",
			 "write %d; the slow callback never started", ret);
		return;
	}
	xt_note("unregister with a 300 ms callback in flight took %lld ms",
		ktime_ms_delta(ktime_get(), t0));
	xt_check(finished, "unregister waits for a callback in flight",
		 "it returned while the callback still ran");
}

static unsigned int many_done(struct rec_watch *m, unsigned int n,
			      unsigned int events, bool exact)
{
	unsigned int i, done = 0;

	for (i = 0; i < n; i++) {
		spin_lock(&m[i].lock);
		if (exact)
			done += m[i].events == events && m[i].hits == 1;
		else
			done += m[i].events >= events;
		spin_unlock(&m[i].lock);
	}
	return done;
}

static void watch_many(void)
{
	struct rec_watch *m = kcalloc(XT_MANY, sizeof(*m), GFP_KERNEL);
	unsigned int i, n;
	bool ok;
	int ret = 0;

	if (!m) {
		xt_check(false, "50 watches on one path", "out of memory");
		return;
	}
	for (n = 0; n < XT_MANY; n++) {
		rec_init(&m[n], XT_BASE "/m");
		ret = xpv_xs_watch_register(&m[n].w);
		if (ret)
			break;
	}
	if (!xt_check(n == XT_MANY, "50 watches registered on one path",
		      "watch %u: %d", n, ret))
		goto out;
	ok = wait_event_timeout(xt_wq, many_done(m, n, 1, false) == n,
				XT_WAIT);
	xt_check(ok, "... all 50 initial events arrived", "%u of %u",
		 many_done(m, n, 1, false), n);
	msleep(100);
	for (i = 0; i < n; i++)
		rec_want(&m[i], XT_BASE "/m/x");
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "m/x", "1");
	ok = !ret && wait_event_timeout(xt_wq,
					many_done(m, n, 2, false) == n,
					XT_WAIT);
	msleep(200);
	xt_check(ok && many_done(m, n, 2, true) == n,
		 "50 watches on one path all fired once for one write",
		 "write %d; %u of %u fired exactly once at m/x", ret,
		 many_done(m, n, 2, true), n);
out:
	for (i = 0; i < n; i++)
		xpv_xs_watch_unregister(&m[i].w);
	kfree(m);
}

/*
 * Unregisters main_w; the witness on the same path, left registered,
 * shows when the write's events have been delivered.
 */
static bool watch_unregister_stops(void)
{
	unsigned int n;
	bool ok;
	int ret;

	rec_init(&witness, XT_BASE "/w");
	ret = xpv_xs_watch_register(&witness.w);
	if (!xt_expect_err(ret, 0, "a second watch on data/xpvtest-xs/w")) {
		xpv_xs_watch_unregister(&main_w.w);
		return false;
	}
	xt_check(wait_events(&witness, 1), "... its initial event arrives",
		 "none in 10 s");
	n = rec_events(&main_w);
	xpv_xs_watch_unregister(&main_w.w);
	rec_want(&witness, XT_BASE "/w/after");
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "w/after", "1");
	ok = !ret && wait_hits(&witness, 1, XT_WAIT);
	msleep(100);
	xt_check(ok && rec_events(&main_w) == n,
		 "after unregister, a write runs no more callbacks",
		 "write %d, witness %s; %u callback(s) after unregister", ret,
		 ok ? "fired" : "silent", rec_events(&main_w) - n);
	return true;
}

/* The witness sees dom0's write of w/fromdom0. */
static void watch_dom0(void)
{
	char last[XT_PATH_LEN];
	bool ok;
	int ret;

	rec_want(&witness, XT_BASE "/w/fromdom0");
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "watch-ready", "1");
	if (!xt_expect_err(ret, 0, "watch-ready = 1 written for dom0"))
		return;
	ok = wait_hits(&witness, 1, XT_DOM0_WAIT);
	rec_last(&witness, last);
	xt_check(ok, "a watch fires for dom0's write of w/fromdom0",
		 "no event in 30 s, last '%s' (is dom0-during.sh running?)",
		 last);
	if (ok)
		xt_expect_value(XPV_XBT_NIL, "w/fromdom0", "x",
				"... and dom0's value reads back");
}

/**
 * xt_watch_run() - the watch checks
 * @dom0: wait for dom0's write too (needs dom0-during.sh)
 */
void xt_watch_run(bool dom0)
{
	int ret;

	ret = xpv_xs_mkdir(XPV_XBT_NIL, XT_BASE, "w");
	if (!ret)
		ret = xpv_xs_mkdir(XPV_XBT_NIL, XT_BASE, "m");
	if (!xt_expect_err(ret, 0, "watched directories created"))
		return;
	watch_errors();
	if (watch_basic()) {
		if (watch_unregister_stops()) {
			if (dom0)
				watch_dom0();
			else
				xt_skip("a watch fires for dom0's write",
					"dom0_watch=0");
			xpv_xs_watch_unregister(&witness.w);
		}
	}
	watch_read_in_callback();
	watch_unregister_waits();
	watch_many();
}
