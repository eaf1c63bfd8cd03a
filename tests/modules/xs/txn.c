// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transactions: abort discards, commit writes, an ended id is refused,
 * xpv_xs_transact() aborts on its body's error; and a real conflict: with
 * a transaction open that read "counter", dom0 (dom0-during.sh, asked
 * through "conflict-ready") writes counter = 100, so the commit must lose
 * with -EAGAIN and xpv_xs_transact()'s second run computes 101.
 */
#include "xstest.h"
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>

/* How long the conflict test waits for dom0's answer. */
#define XT_DOM0_WAIT (30 * HZ)

/**
 * struct body_arg - what a transaction body saw
 * @runs:      how many times it ran
 * @first:     the counter it read on its first run
 * @handshake: 0, or why the exchange with dom0 failed
 */
struct body_arg {
	unsigned int runs;
	unsigned int first;
	int handshake;
};

static void txn_abort_commit(void)
{
	xpv_xbt_t t = XPV_XBT_NIL;
	int ret;

	ret = xpv_xs_transaction_start(&t);
	if (!xt_check(!ret && t != XPV_XBT_NIL,
		      "transaction_start gives a transaction id",
		      "returned %d, id %u", ret, t))
		return;
	ret = xpv_xs_write(t, XT_BASE, "txn/aborted", "x");
	xt_expect_err(ret, 0, "write inside a transaction returns 0");
	xt_expect_value(t, "txn/aborted", "x",
			"the transaction reads its own write");
	xt_expect_absent(XPV_XBT_NIL, "txn/aborted",
			 "... which is not visible outside it before the end");
	xt_expect_err(xpv_xs_transaction_end(t, true), 0,
		      "transaction_end(abort) returns 0");
	xt_expect_absent(XPV_XBT_NIL, "txn/aborted",
			 "start + write + abort: the value was not written");

	ret = xpv_xs_transaction_start(&t);
	if (!xt_check(!ret, "transaction_start again", "returned %d", ret))
		return;
	ret = xpv_xs_write(t, XT_BASE, "txn/committed", "y");
	xt_expect_err(ret, 0, "write inside the second transaction returns 0");
	xt_expect_err(xpv_xs_transaction_end(t, false), 0,
		      "transaction_end(commit) returns 0");
	xt_expect_value(XPV_XBT_NIL, "txn/committed", "y",
			"start + write + commit: the value was written");

	/* @t is no transaction of xenstored's any more. */
	ret = xpv_xs_transaction_end(t, false);
	xt_check(ret < 0, "transaction_end on a bogus (ended) id: an error",
		 "returned %d", ret);
	xt_note("transaction_end on an ended id: %d", ret);
}

static int ok_body(xpv_xbt_t t, void *data)
{
	struct body_arg *a = data;

	a->runs++;
	return xpv_xs_write(t, XT_BASE, "txn/transact", "t");
}

static int inval_body(xpv_xbt_t t, void *data)
{
	struct body_arg *a = data;
	int ret;

	a->runs++;
	ret = xpv_xs_write(t, XT_BASE, "txn/inval", "z");
	return ret ? ret : -EINVAL;
}

static void txn_transact(void)
{
	struct body_arg a = { 0 };
	int ret;

	ret = xpv_xs_transact(ok_body, &a);
	xt_expect_err(ret, 0, "xpv_xs_transact with a good body returns 0");
	xt_check(a.runs == 1, "... its body ran once", "%u runs", a.runs);
	xt_expect_value(XPV_XBT_NIL, "txn/transact", "t",
			"... and what it wrote is committed");

	memset(&a, 0, sizeof(a));
	ret = xpv_xs_transact(inval_body, &a);
	xt_expect_err(ret, -EINVAL,
		      "xpv_xs_transact with a body failing -EINVAL: -EINVAL");
	xt_check(a.runs == 1, "... its body ran once", "%u runs", a.runs);
	xt_expect_absent(XPV_XBT_NIL, "txn/inval",
			 "... and nothing it wrote was committed");
}

/* Polls "conflict-done" (outside any transaction) until dom0 set it. */
static int wait_conflict_done(void)
{
	unsigned long end = jiffies + XT_DOM0_WAIT;
	bool done;
	char *v;

	do {
		v = xpv_xs_read(XPV_XBT_NIL, XT_BASE, "conflict-done", NULL);
		if (IS_ERR(v)) {
			if (PTR_ERR(v) != -ENOENT)
				return PTR_ERR(v);
		} else {
			done = !strcmp(v, "1");
			kfree(v);
			if (done)
				return 0;
		}
		msleep(100);
	} while (time_before(jiffies, end));
	return -ETIMEDOUT;
}

/*
 * Reads the counter in @t; on the first run only, asks dom0 to overwrite it
 * and waits until it has; then writes counter + 1 in @t.
 */
static int conflict_body(xpv_xbt_t t, void *data)
{
	struct body_arg *a = data;
	unsigned int v;
	int ret;

	a->runs++;
	ret = xpv_xs_scanf(t, XT_BASE, "counter", "%u", &v);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	if (a->runs == 1) {
		a->first = v;
		ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "conflict-ready", "1");
		if (!ret)
			ret = wait_conflict_done();
		if (ret) {
			a->handshake = ret;
			return ret;
		}
	}
	return xpv_xs_printf(t, XT_BASE, "counter", "%u", v + 1);
}

static void txn_conflict(void)
{
	struct body_arg a = { 0 };
	int ret;

	ret = xpv_xs_write(XPV_XBT_NIL, XT_BASE, "counter", "1");
	if (!xt_expect_err(ret, 0, "conflict: counter = 1 written"))
		return;
	ret = xpv_xs_transact(conflict_body, &a);
	xt_check(!a.handshake, "conflict: dom0 answered conflict-ready",
		 "%d (is dom0-during.sh running?)", a.handshake);
	xt_expect_err(ret, 0, "conflict: xpv_xs_transact committed in the end");
	xt_check(a.runs == 2 && a.first == 1,
		 "conflict: the body ran exactly 2 times (first commit -EAGAIN)",
		 "%u runs, first read %u", a.runs, a.first);
	xt_expect_value(XPV_XBT_NIL, "counter", "101",
			"conflict: final counter is 101 (dom0's 100, + 1)");
}

/**
 * xt_txn_run() - the transaction checks
 * @conflict: run the conflict with dom0 too (needs dom0-during.sh)
 */
void xt_txn_run(bool conflict)
{
	txn_abort_commit();
	txn_transact();
	if (conflict)
		txn_conflict();
	else
		xt_skip("conflict: transaction conflict with dom0", "conflict=0");
}
