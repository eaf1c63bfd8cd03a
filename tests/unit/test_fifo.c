// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn/fifo.c against a fake Xen that queues events as Xen 4.17's
 * event_fifo.c does: PENDING, then (unmasked, not yet LINKED) LINKED and a
 * link from the queue's tail word if that word is still LINKED (under BUSY
 * when contended), else a new queue through the control block's head and
 * ready bit. The fake Xen also runs inside the guest's atomic operations
 * (the shim's race hook), which models its linking racing with the guest's
 * unlinking.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/atomic.h>
#include "../../evtchn/fifo.h"
#include "suites.h"

#define NR_VCPUS 2
#define NR_PAGES 4
#define NR_PORTS (NR_PAGES * XPV_FIFO_WORDS_PER_PAGE)
#define W(b) ((event_word_t)1 << EVTCHN_FIFO_##b)

struct fake {
	struct xpv_fifo_array arr;
	struct evtchn_fifo_control_block cb[NR_VCPUS];
	uint8_t upcall[NR_VCPUS];
	uint32_t tail[NR_VCPUS][EVTCHN_FIFO_MAX_QUEUES];	/* Xen's */
	struct xpv_fifo_queues q[NR_VCPUS];			/* guest's */
	unsigned int vcpu_of[NR_PORTS];
	unsigned int prio_of[NR_PORTS];
	evtchn_port_t log[200000];
	unsigned int nr_log;
	unsigned long clock;
	unsigned long raised_at[NR_PORTS];
	unsigned long handled_at[NR_PORTS];
	unsigned int reraise[NR_PORTS];
	evtchn_port_t raise_in_handler[NR_PORTS];
	unsigned int handling_vcpu;
	bool bad;
};

static struct fake *f;

static event_word_t *word(unsigned int port)
{
	return xpv_fifo_word(&f->arr, port);
}

static event_word_t rd(unsigned int port)
{
	return __atomic_load_n(word(port), __ATOMIC_SEQ_CST);
}

static bool raw_test_and_set(unsigned int port, event_word_t bit)
{
	return __atomic_fetch_or(word(port), bit, __ATOMIC_SEQ_CST) & bit;
}

static void raw_clear(unsigned int port, event_word_t bit)
{
	__atomic_fetch_and(word(port), ~bit, __ATOMIC_SEQ_CST);
}

/* Xen's evtchn_fifo_set_link(): link the tail word to @port if LINKED. */
static bool xen_set_link(event_word_t *tw, evtchn_port_t port)
{
	event_word_t old = __atomic_load_n(tw, __ATOMIC_SEQ_CST), new;
	int tries;

	for (tries = 0; tries < 5; tries++) {
		if (!(old & W(LINKED)))
			return false;
		new = (old & ~(W(BUSY) | EVTCHN_FIFO_LINK_MASK)) | port;
		if (__atomic_compare_exchange_n(tw, &old, new, false,
						__ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return true;
		if (tries == 0)
			__atomic_fetch_or(tw, W(BUSY), __ATOMIC_SEQ_CST);
	}
	ck_abort_msg("fake Xen could not link port %u", port);
	return false;
}

/* Xen's evtchn_fifo_set_pending(). */
static void xen_raise(unsigned int port)
{
	unsigned int v = f->vcpu_of[port], prio = f->prio_of[port];
	bool linked = false;

	f->raised_at[port] = ++f->clock;
	raw_test_and_set(port, W(PENDING));
	if ((rd(port) & W(MASKED)) || raw_test_and_set(port, W(LINKED)))
		return;
	/* Not linked but still the tail: the guest consumed it, empty. */
	if (f->tail[v][prio] == port)
		f->tail[v][prio] = 0;
	if (f->tail[v][prio])
		linked = xen_set_link(word(f->tail[v][prio]), port);
	if (!linked)
		__atomic_store_n(&f->cb[v].head[prio], port, __ATOMIC_SEQ_CST);
	f->tail[v][prio] = port;
	if (!linked && !(__atomic_fetch_or(&f->cb[v].ready, 1u << prio,
					   __ATOMIC_SEQ_CST) & (1u << prio)))
		__atomic_store_n(&f->upcall[v], 1, __ATOMIC_SEQ_CST);
}

/* Xen's EVTCHNOP_unmask (evtchn_fifo_unmask()). */
static void xen_unmask(unsigned int port)
{
	raw_clear(port, W(MASKED));
	if (rd(port) & W(PENDING))
		xen_raise(port);
}

static void handle(evtchn_port_t port, void *ctx)
{
	event_word_t w = rd(port);

	if (port >= NR_PORTS || f->vcpu_of[port] != f->handling_vcpu ||
	    (w & W(MASKED)) || !(w & W(PENDING)))
		f->bad = true;
	xpv_fifo_clear(word(port), EVTCHN_FIFO_PENDING);	/* the ack */
	f->handled_at[port] = ++f->clock;
	if (f->nr_log < sizeof(f->log) / sizeof(f->log[0]))
		f->log[f->nr_log++] = port;
	if (f->raise_in_handler[port]) {
		xen_raise(f->raise_in_handler[port]);
		f->raise_in_handler[port] = 0;
	}
	if (f->reraise[port]) {
		f->reraise[port]--;
		xen_raise(port);
	}
}

static unsigned int upcall(unsigned int v)
{
	unsigned int n = 0;

	f->handling_vcpu = v;
	while (__atomic_exchange_n(&f->upcall[v], 0, __ATOMIC_SEQ_CST))
		n += xpv_fifo_consume(&f->q[v], &f->cb[v], &f->arr, handle,
				      NULL);
	return n;
}

static void setup(void)
{
	unsigned int i, p;

	f = calloc(1, sizeof(*f));
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < NR_PAGES; i++) {
		f->arr.page[i] = calloc(XPV_FIFO_WORDS_PER_PAGE,
					sizeof(event_word_t));
		ck_assert_ptr_nonnull(f->arr.page[i]);
	}
	f->arr.nr_pages = NR_PAGES;
	for (p = 0; p < NR_PORTS; p++)
		f->prio_of[p] = EVTCHN_FIFO_PRIORITY_DEFAULT;
}

static void teardown(void)
{
	unsigned int i;

	xpv_shim_race = NULL;
	for (i = 0; i < NR_PAGES; i++)
		free(f->arr.page[i]);
	free(f);
}

static void assert_log(const evtchn_port_t *want, unsigned int n)
{
	unsigned int i;

	ck_assert_uint_eq(f->nr_log, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(f->log[i] == want[i], "log[%u] = %u, want %u",
			      i, f->log[i], want[i]);
	ck_assert(!f->bad);
}

/* After a drain: nothing linked, nothing ready, queues empty. */
static void assert_drained(void)
{
	unsigned int p, v, i;

	for (p = 1; p < NR_PORTS; p++)
		ck_assert_msg(!(rd(p) & (W(LINKED) | EVTCHN_FIFO_LINK_MASK)),
			      "port %u still linked: %08x", p, rd(p));
	for (v = 0; v < NR_VCPUS; v++) {
		ck_assert_uint_eq(f->cb[v].ready, 0);
		for (i = 0; i < EVTCHN_FIFO_MAX_QUEUES; i++)
			ck_assert_uint_eq(f->q[v].head[i], 0);
	}
}

START_TEST(word_lookup_bounds)
{
	ck_assert_ptr_null(xpv_fifo_word(&f->arr, 0));
	ck_assert_ptr_eq(xpv_fifo_word(&f->arr, 1), f->arr.page[0] + 1);
	ck_assert_ptr_eq(xpv_fifo_word(&f->arr, 1024), f->arr.page[1]);
	ck_assert_ptr_eq(xpv_fifo_word(&f->arr, NR_PORTS - 1),
			 f->arr.page[NR_PAGES - 1] + 1023);
	ck_assert_ptr_null(xpv_fifo_word(&f->arr, NR_PORTS));
	ck_assert_ptr_null(xpv_fifo_word(&f->arr, EVTCHN_FIFO_LINK_MASK));
}
END_TEST

START_TEST(queue_order)
{
	static const evtchn_port_t want[] = { 5, 3, 4000, 9 };

	xen_raise(5);
	xen_raise(3);
	xen_raise(4000);
	xen_raise(9);
	ck_assert_uint_eq(upcall(0), 4);
	assert_log(want, 4);
	assert_drained();
}
END_TEST

START_TEST(priority_order)
{
	static const evtchn_port_t want[] = { 13, 11, 14, 10, 12 };

	f->prio_of[10] = 7;
	f->prio_of[11] = 3;
	f->prio_of[12] = 15;
	f->prio_of[13] = 0;
	f->prio_of[14] = 3;
	xen_raise(10);
	xen_raise(11);
	xen_raise(12);
	xen_raise(13);
	xen_raise(14);
	upcall(0);
	assert_log(want, 5);
	assert_drained();
}
END_TEST

/* A higher-priority event raised while handling goes next. */
START_TEST(priority_preempts_between_events)
{
	static const evtchn_port_t want[] = { 20, 30, 21, 22 };

	f->prio_of[30] = 1;
	f->raise_in_handler[20] = 30;
	xen_raise(20);
	xen_raise(21);
	xen_raise(22);
	upcall(0);
	assert_log(want, 4);
	assert_drained();
}
END_TEST

START_TEST(masked_not_delivered_until_unmask)
{
	static const evtchn_port_t want[] = { 7 };

	xpv_fifo_set(word(7), EVTCHN_FIFO_MASKED);
	xen_raise(7);
	ck_assert(!f->upcall[0]);
	ck_assert(!(rd(7) & W(LINKED)));
	ck_assert(xpv_fifo_unmask(word(7)));	/* pending: Xen's job */
	ck_assert(rd(7) & W(MASKED));
	xen_unmask(7);
	upcall(0);
	assert_log(want, 1);
	ck_assert(!xpv_fifo_unmask(word(7)));	/* already unmasked */
}
END_TEST

START_TEST(unmask_not_pending_clears)
{
	xpv_fifo_set(word(7), EVTCHN_FIFO_MASKED);
	ck_assert(!xpv_fifo_unmask(word(7)));
	ck_assert(!(rd(7) & W(MASKED)));
}
END_TEST

/* Never clear MASKED while Xen holds the word BUSY. */
static unsigned int busy_rounds;

static void release_busy(volatile void *addr)
{
	ck_assert(rd(7) & W(MASKED));
	if (!--busy_rounds)
		raw_clear(7, W(BUSY));
}

START_TEST(unmask_waits_for_busy)
{
	xpv_fifo_set(word(7), EVTCHN_FIFO_MASKED);
	raw_test_and_set(7, W(BUSY));
	busy_rounds = 3;
	xpv_shim_race = release_busy;
	ck_assert(!xpv_fifo_unmask(word(7)));
	xpv_shim_race = NULL;
	ck_assert_uint_eq(busy_rounds, 0);
	ck_assert(!(rd(7) & W(MASKED)));
}
END_TEST

/* Xen links onto the tail word the guest is about to unlink. */
static unsigned int race_count, race_at;
static evtchn_port_t race_port;

static void race_once(volatile void *addr)
{
	if (++race_count == race_at)
		xen_raise(race_port);
}

START_TEST(link_race_every_point)
{
	unsigned int at;

	/* Each atomic op of a one-event consume is a point Xen can strike. */
	for (at = 1; at <= 8; at++) {
		teardown();
		setup();
		xen_raise(50);
		race_count = 0;
		race_at = at;
		race_port = 60;
		xpv_shim_race = race_once;
		upcall(0);
		xpv_shim_race = NULL;
		if (race_count < at)
			xen_raise(60);	/* not reached: raise it afterwards */
		upcall(0);
		ck_assert_msg(f->nr_log == 2 && f->log[0] == 50 &&
			      f->log[1] == 60, "race at op %u: %u events", at,
			      f->nr_log);
		ck_assert(!f->bad);
		assert_drained();
	}
}
END_TEST

/* The guest's cmpxchg on the tail word fails once: it must retry. */
START_TEST(link_race_retries_unlink)
{
	xen_raise(50);
	race_count = 0;
	race_at = 2;	/* 1: xchg(ready); 2: the cmpxchg unlinking 50 */
	race_port = 60;
	xpv_shim_race = race_once;
	upcall(0);
	xpv_shim_race = NULL;
	ck_assert_uint_eq(f->nr_log, 2);
	ck_assert_uint_eq(f->log[1], 60);
	/* Linked, not re-queued through the head: one ready bit use. */
	assert_drained();
}
END_TEST

START_TEST(bogus_head_and_link_end_queue)
{
	/* A head beyond the event array. */
	f->cb[0].head[7] = NR_PORTS + 5;
	f->cb[0].ready = 1u << 7;
	ck_assert_uint_eq(xpv_fifo_consume(&f->q[0], &f->cb[0], &f->arr,
					   handle, NULL), 0);
	ck_assert_uint_eq(f->q[0].head[7], 0);
	/* A link out of the array: the linked port is handled, no more. */
	xen_raise(8);
	__atomic_fetch_or(word(8), EVTCHN_FIFO_LINK_MASK, __ATOMIC_SEQ_CST);
	upcall(0);
	ck_assert_uint_eq(f->nr_log, 1);
	ck_assert_uint_eq(f->q[0].head[7], 0);
	/* Ready bits above the queues are ignored. */
	f->cb[0].ready = 0xffff0000u;
	ck_assert_uint_eq(xpv_fifo_consume(&f->q[0], &f->cb[0], &f->arr,
					   handle, NULL), 0);
	ck_assert(!f->bad);
}
END_TEST

START_TEST(fairness_hog_in_queue)
{
	unsigned int i, last = 0;

	f->reraise[1] = 1000;
	xen_raise(1);
	xen_raise(2);
	xen_raise(3);
	upcall(0);
	/* The hog goes back to the tail each time: 1 2 3 1 1 1 ... */
	ck_assert_uint_eq(f->log[0], 1);
	ck_assert_uint_eq(f->log[1], 2);
	ck_assert_uint_eq(f->log[2], 3);
	for (i = 0; i < f->nr_log; i++)
		if (f->log[i] != 1)
			last = i;
	ck_assert_uint_eq(last, 2);
	ck_assert_uint_eq(f->nr_log, 1003);
	assert_drained();
}
END_TEST

START_TEST(vcpus_have_own_queues)
{
	f->vcpu_of[5] = 1;
	xen_raise(5);
	xen_raise(6);
	ck_assert_uint_eq(upcall(0), 1);
	ck_assert_uint_eq(f->log[0], 6);
	ck_assert_uint_eq(upcall(1), 1);
	ck_assert_uint_eq(f->log[1], 5);
	ck_assert(!f->bad);
}
END_TEST

static unsigned int rnd_state, raises_left;

static unsigned int rnd(unsigned int n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static void race_random(volatile void *addr)
{
	while (raises_left && rnd(3) == 0) {
		raises_left--;
		xen_raise(1 + rnd(NR_PORTS - 1));
	}
}

/* Random raises, also inside the guest's atomics: none lost, none bogus. */
START_TEST(random_no_loss)
{
	unsigned int p;

	rnd_state = 0xf1f0 + (unsigned int)_i;
	for (p = 1; p < NR_PORTS; p++) {
		f->vcpu_of[p] = rnd(NR_VCPUS);
		f->prio_of[p] = rnd(4) ? EVTCHN_FIFO_PRIORITY_DEFAULT :
					 rnd(EVTCHN_FIFO_MAX_QUEUES);
		if (rnd(8) == 0)
			xpv_fifo_set(word(p), EVTCHN_FIFO_MASKED);
		if (rnd(16) == 0)
			f->reraise[p] = rnd(4);
	}
	raises_left = 30000;
	xpv_shim_race = race_random;
	while (raises_left) {
		raises_left--;
		xen_raise(1 + rnd(NR_PORTS - 1));
		upcall(rnd(NR_VCPUS));
	}
	xpv_shim_race = NULL;
	for (p = 1; p < NR_PORTS; p++)
		if (xpv_fifo_unmask(word(p)))
			xen_unmask(p);
	upcall(0);
	upcall(1);
	ck_assert(!f->bad);
	for (p = 1; p < NR_PORTS; p++) {
		if (!f->raised_at[p])
			continue;
		ck_assert_msg(f->handled_at[p] > f->raised_at[p],
			      "port %u raised at %lu, last handled at %lu", p,
			      f->raised_at[p], f->handled_at[p]);
		ck_assert(!(rd(p) & W(PENDING)));
	}
	assert_drained();
}
END_TEST

static Suite *fifo_suite(void)
{
	Suite *s = suite_create("evtchn_fifo");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, word_lookup_bounds);
	tcase_add_test(tc, queue_order);
	tcase_add_test(tc, priority_order);
	tcase_add_test(tc, priority_preempts_between_events);
	tcase_add_test(tc, masked_not_delivered_until_unmask);
	tcase_add_test(tc, unmask_not_pending_clears);
	tcase_add_test(tc, unmask_waits_for_busy);
	tcase_add_test(tc, link_race_every_point);
	tcase_add_test(tc, link_race_retries_unlink);
	tcase_add_test(tc, bogus_head_and_link_end_queue);
	tcase_add_test(tc, fairness_hog_in_queue);
	tcase_add_test(tc, vcpus_have_own_queues);
	tcase_add_loop_test(tc, random_no_loss, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

XPV_SUITE(fifo_suite);
