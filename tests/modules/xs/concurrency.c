// SPDX-License-Identifier: GPL-2.0-only
/*
 * Concurrent callers: kthreads, released together, each writing and reading
 * back its own node (conc/<n>) with a value unique to the thread and the
 * round. Requests of all threads are in flight at once, so a reply handed
 * to the wrong waiter (req_id mix-up) shows as a read of another value.
 */
#include "xstest.h"
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#define XT_CONC_WAIT (120 * HZ)

/**
 * struct worker - one thread of the test
 * @task:  the kthread
 * @id:    its number
 * @done:  rounds completed
 * @bad:   reads that did not return what this thread wrote
 * @err:   the first error of a call, or 0
 * @got:   the first bad value read
 */
struct worker {
	struct task_struct *task;
	unsigned int id;
	unsigned int done;
	unsigned int bad;
	int err;
	char got[24];
};

static DECLARE_WAIT_QUEUE_HEAD(conc_wq);
static bool go, stop;
static atomic_t finished;
static unsigned int nr_rounds;

static void one_round(struct worker *w, const char *node, unsigned int i)
{
	unsigned int len = 0;
	char want[24], *v;
	int ret;

	snprintf(want, sizeof(want), "t%u-r%u", w->id, i);
	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, node, want);
	if (ret) {
		w->err = ret;
		return;
	}
	v = xpv_xs_read(XPV_XBT_NIL, XT_BASE, node, &len);
	if (IS_ERR(v)) {
		w->err = PTR_ERR(v);
		return;
	}
	if (len != strlen(want) || strcmp(v, want)) {
		if (!w->bad++)
			strscpy(w->got, v, sizeof(w->got));
	}
	kfree(v);
	w->done++;
}

static int worker_fn(void *data)
{
	struct worker *w = data;
	char node[16];
	unsigned int i;

	snprintf(node, sizeof(node), "conc/%u", w->id);
	wait_event_interruptible(conc_wq, READ_ONCE(go) ||
				 kthread_should_stop());
	for (i = 0; i < nr_rounds && !w->err && !READ_ONCE(stop) &&
	     !kthread_should_stop(); i++)
		one_round(w, node, i);
	atomic_inc(&finished);
	wake_up(&conc_wq);
	/* kthread_stop() collects the result. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/**
 * xt_concurrency_run() - concurrent write+read pairs
 * @threads: how many kthreads
 * @rounds:  write+read pairs each
 */
void xt_concurrency_run(unsigned int threads, unsigned int rounds)
{
	struct worker *w = kcalloc(threads, sizeof(*w), GFP_KERNEL);
	unsigned int i, n, done = 0, bad = 0, errs = 0;
	bool all;

	if (!w) {
		xt_check(false, "concurrency: threads started", "out of memory");
		return;
	}
	nr_rounds = rounds;
	WRITE_ONCE(go, false);
	WRITE_ONCE(stop, false);
	atomic_set(&finished, 0);
	for (n = 0; n < threads; n++) {
		w[n].id = n;
		w[n].task = kthread_run(worker_fn, &w[n], "xpvtest-xs/%u", n);
		if (IS_ERR(w[n].task))
			break;
	}
	xt_check(n == threads, "concurrency: threads started", "%u of %u: %ld",
		 n, threads, n < threads ? PTR_ERR(w[n].task) : 0L);
	WRITE_ONCE(go, true);
	wake_up_all(&conc_wq);
	all = wait_event_timeout(conc_wq, atomic_read(&finished) == n,
				 XT_CONC_WAIT);
	if (!all)
		WRITE_ONCE(stop, true);
	for (i = 0; i < n; i++) {
		kthread_stop(w[i].task);
		done += w[i].done;
		bad += w[i].bad;
		if (w[i].err && !errs++)
			xt_note("thread %u: error %d after %u rounds", i,
				w[i].err, w[i].done);
		if (w[i].bad)
			xt_note("thread %u: %u bad reads, first '%s'", i,
				w[i].bad, w[i].got);
	}
	xt_check(all, "concurrency: all threads finished (within 120 s)",
		 "%d of %u", atomic_read(&finished), n);
	xt_check(n == threads && done == threads * rounds && !bad && !errs,
		 "concurrency: every read returned what its thread wrote",
		 "%u of %u pairs done, %u bad reads, %u thread(s) with errors",
		 done, threads * rounds, bad, errs);
	xt_note("concurrency: %u threads x %u write+read pairs", threads,
		rounds);
	kfree(w);
}
