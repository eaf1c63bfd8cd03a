// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn/twolevel.c against a fake Xen that raises events as Xen 4.17's
 * evtchn_2l_set_pending() does (pending bit, then the selector bit and the
 * upcall flag of the notified vCPU unless masked or already pending), also
 * in the middle of the guest's atomic operations (the shim's race hook).
 */
#include <stdlib.h>
#include <string.h>
#include <linux/atomic.h>
#include "../../evtchn/twolevel.h"
#include "suites.h"

#define NR_VCPUS 2
#define WORD_BITS XPV_2L_WORD_BITS

struct fake {
	xen_ulong_t pending[XPV_2L_NR_WORDS];
	xen_ulong_t mask[XPV_2L_NR_WORDS];
	xen_ulong_t sel[NR_VCPUS];
	uint8_t upcall[NR_VCPUS];
	xen_ulong_t bound[NR_VCPUS][XPV_2L_NR_WORDS];
	struct xpv_2l_cursor cursor[NR_VCPUS];
	unsigned int vcpu_of[XPV_2L_NR_PORTS];
	/* Log of handled ports and a clock ordering raises and handling. */
	evtchn_port_t log[200000];
	unsigned int nr_log;
	unsigned long clock;
	unsigned long raised_at[XPV_2L_NR_PORTS];
	unsigned long handled_at[XPV_2L_NR_PORTS];
	unsigned int reraise[XPV_2L_NR_PORTS];
	unsigned int handling_vcpu;
	bool bad;
};

static struct fake *f;

static xen_ulong_t bitof(unsigned int port)
{
	return (xen_ulong_t)1 << (port % WORD_BITS);
}

static bool raw_test(const xen_ulong_t *bm, unsigned int port)
{
	return __atomic_load_n(&bm[port / WORD_BITS], __ATOMIC_SEQ_CST) &
	       bitof(port);
}

static bool raw_test_and_set(xen_ulong_t *bm, unsigned int port)
{
	return __atomic_fetch_or(&bm[port / WORD_BITS], bitof(port),
				 __ATOMIC_SEQ_CST) & bitof(port);
}

static void raw_clear(xen_ulong_t *bm, unsigned int port)
{
	__atomic_fetch_and(&bm[port / WORD_BITS], ~bitof(port),
			   __ATOMIC_SEQ_CST);
}

/* Xen's evtchn_2l_set_pending() for a port notifying f->vcpu_of[port]. */
static void xen_raise(unsigned int port)
{
	unsigned int v = f->vcpu_of[port];
	xen_ulong_t selbit = (xen_ulong_t)1 << (port / WORD_BITS);

	f->raised_at[port] = ++f->clock;
	if (raw_test_and_set(f->pending, port))
		return;
	if (!raw_test(f->mask, port) &&
	    !(__atomic_fetch_or(&f->sel[v], selbit, __ATOMIC_SEQ_CST) & selbit))
		__atomic_store_n(&f->upcall[v], 1, __ATOMIC_SEQ_CST);
}

/* Xen's EVTCHNOP_unmask (evtchn_2l_unmask()). */
static void xen_unmask(unsigned int port)
{
	unsigned int v = f->vcpu_of[port];
	xen_ulong_t selbit = (xen_ulong_t)1 << (port / WORD_BITS);
	xen_ulong_t old = __atomic_fetch_and(&f->mask[port / WORD_BITS],
					     ~bitof(port), __ATOMIC_SEQ_CST);

	if ((old & bitof(port)) && raw_test(f->pending, port) &&
	    !(__atomic_fetch_or(&f->sel[v], selbit, __ATOMIC_SEQ_CST) & selbit))
		__atomic_store_n(&f->upcall[v], 1, __ATOMIC_SEQ_CST);
}

static void bind(unsigned int port, unsigned int v)
{
	unsigned int i;

	for (i = 0; i < NR_VCPUS; i++)
		raw_clear(f->bound[i], port);
	f->vcpu_of[port] = v;
	raw_test_and_set(f->bound[v], port);
}

/* The guest's handler: ack (clear pending) first, as handle_edge_irq. */
static void handle(evtchn_port_t port, void *ctx)
{
	if (port >= XPV_2L_NR_PORTS || f->vcpu_of[port] != f->handling_vcpu ||
	    raw_test(f->mask, port) || !raw_test(f->pending, port))
		f->bad = true;
	raw_clear(f->pending, port);
	f->handled_at[port] = ++f->clock;
	if (f->nr_log < sizeof(f->log) / sizeof(f->log[0]))
		f->log[f->nr_log++] = port;
	if (f->reraise[port]) {
		f->reraise[port]--;
		xen_raise(port);
	}
}

/* The upcall handler's loop for vCPU @v. */
static unsigned int upcall(unsigned int v)
{
	struct xpv_2l_bitmaps b = {
		.pending = f->pending, .mask = f->mask, .sel = &f->sel[v],
		.bound = f->bound[v],
	};
	unsigned int n = 0;

	f->handling_vcpu = v;
	while (__atomic_exchange_n(&f->upcall[v], 0, __ATOMIC_SEQ_CST))
		n += xpv_2l_scan(&b, &f->cursor[v], handle, NULL);
	return n;
}

static void setup(void)
{
	unsigned int p;

	f = calloc(1, sizeof(*f));
	ck_assert_ptr_nonnull(f);
	for (p = 0; p < XPV_2L_NR_PORTS; p++)
		bind(p, 0);
}

static void teardown(void)
{
	xpv_shim_race = NULL;
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

START_TEST(scan_in_port_order)
{
	static const evtchn_port_t want[] = { 5, 64, 70, 4000, 4095 };

	xen_raise(4095);
	xen_raise(70);
	xen_raise(5);
	xen_raise(4000);
	xen_raise(64);
	ck_assert_uint_eq(upcall(0), 5);
	assert_log(want, 5);
	ck_assert_uint_eq(f->sel[0], 0);
	ck_assert_uint_eq(f->cursor[0].next, 0);	/* after 4095: wraps */
}
END_TEST

START_TEST(scan_resumes_after_cursor)
{
	/* Start word 1 at bit 2: its high bits, the others, its low bits. */
	static const evtchn_port_t want[] = { 100, 4000, 3, 65 };

	f->cursor[0].next = 66;
	xen_raise(3);
	xen_raise(65);
	xen_raise(100);
	xen_raise(4000);
	upcall(0);
	assert_log(want, 4);
	ck_assert_uint_eq(f->cursor[0].next, 66);
}
END_TEST

START_TEST(scan_cursor_at_bit_zero)
{
	static const evtchn_port_t want[] = { 128, 129, 4095, 0, 127 };

	f->cursor[0].next = 128;
	xen_raise(0);
	xen_raise(127);
	xen_raise(128);
	xen_raise(129);
	xen_raise(4095);
	upcall(0);
	assert_log(want, 5);
}
END_TEST

START_TEST(scan_skips_masked_unbound_unselected)
{
	static const evtchn_port_t want[] = { 2 };

	bind(1, 1);			/* another vCPU's port */
	raw_test_and_set(f->mask, 3);	/* masked */
	xen_raise(1);
	xen_raise(2);
	xen_raise(3);
	/* Pending in a word the selector does not name: not looked at. */
	raw_test_and_set(f->pending, 700);
	upcall(0);
	assert_log(want, 1);
	ck_assert(raw_test(f->pending, 700));
	ck_assert(raw_test(f->pending, 3));
	ck_assert(f->upcall[1]);
	f->nr_log = 0;
	upcall(1);
	ck_assert_uint_eq(f->nr_log, 1);
	ck_assert_uint_eq(f->log[0], 1);
}
END_TEST

START_TEST(scan_ignores_selector_without_pending)
{
	f->sel[0] = ~(xen_ulong_t)0;	/* Xen does this on vcpu_info setup */
	f->upcall[0] = 1;
	ck_assert_uint_eq(upcall(0), 0);
	ck_assert_uint_eq(f->sel[0], 0);
}
END_TEST

/* Ports that fire again as soon as handled take turns, round robin. */
START_TEST(fairness_round_robin)
{
	static const evtchn_port_t ports[] = { 10, 20, 3000 };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		f->reraise[ports[i]] = 50;
		xen_raise(ports[i]);
	}
	upcall(0);
	ck_assert_uint_eq(f->nr_log, 3 * 51);
	for (i = 0; i < f->nr_log; i++)
		ck_assert_uint_eq(f->log[i], ports[i % 3]);
	ck_assert(!f->bad);
}
END_TEST

/* A hog port does not delay a port after it by more than one round. */
START_TEST(fairness_hog_does_not_starve)
{
	unsigned int i, first_4095 = 0;

	f->reraise[1] = 10000;
	xen_raise(1);
	upcall(0);	/* the hog alone: 10001 handlings */
	ck_assert_uint_eq(f->nr_log, 10001);
	f->nr_log = 0;
	f->reraise[1] = 10000;
	xen_raise(1);
	xen_raise(4095);
	xen_raise(2);
	upcall(0);
	for (i = 0; i < f->nr_log; i++)
		if (f->log[i] == 4095) {
			first_4095 = i;
			break;
		}
	/* The cursor is after port 1: 2 and 4095 come before 1 again. */
	ck_assert_msg(i < f->nr_log, "port 4095 never handled");
	ck_assert_uint_le(first_4095, 3);
}
END_TEST

START_TEST(unmask_not_pending)
{
	raw_test_and_set(f->mask, 42);
	ck_assert(!xpv_2l_unmask(f->pending, f->mask, 42));
	ck_assert(!raw_test(f->mask, 42));
}
END_TEST

START_TEST(unmask_pending_needs_xen)
{
	raw_test_and_set(f->mask, 42);
	xen_raise(42);			/* while masked: not delivered */
	ck_assert(!f->upcall[0]);
	ck_assert(xpv_2l_unmask(f->pending, f->mask, 42));
	ck_assert(raw_test(f->mask, 42));	/* left for Xen to clear */
	xen_unmask(42);
	ck_assert(f->upcall[0]);
	upcall(0);
	ck_assert_uint_eq(f->nr_log, 1);
}
END_TEST

/* Raise @race_port at the @race_at-th atomic operation of the guest. */
static unsigned int race_count, race_at, race_port;

static void race_once(volatile void *addr)
{
	if (++race_count == race_at)
		xen_raise(race_port);
}

/* Whenever during an unmask the event comes, it is delivered. */
START_TEST(unmask_race_never_loses)
{
	unsigned int at;

	for (at = 1; at <= 3; at++) {
		teardown();
		setup();
		raw_test_and_set(f->mask, 42);
		race_count = 0;
		race_at = at;
		race_port = 42;
		xpv_shim_race = race_once;
		if (xpv_2l_unmask(f->pending, f->mask, 42))
			xen_unmask(42);
		xpv_shim_race = NULL;
		if (!raw_test(f->pending, 42))
			xen_raise(42);	/* the race point was never reached */
		upcall(0);
		ck_assert_msg(f->nr_log == 1, "raise at op %u lost", at);
	}
}
END_TEST

/* Random raises, also inside the guest's atomics: none lost, none bogus. */
static unsigned int rnd_state;

static unsigned int rnd(unsigned int n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

static unsigned int raises_left;

static void race_random(volatile void *addr)
{
	while (raises_left && rnd(4) == 0) {
		raises_left--;
		xen_raise(rnd(XPV_2L_NR_PORTS));
	}
}

START_TEST(random_no_loss)
{
	unsigned int p, round;

	rnd_state = 0x21 + (unsigned int)_i;
	for (p = 0; p < XPV_2L_NR_PORTS; p++) {
		bind(p, rnd(NR_VCPUS));
		if (rnd(8) == 0)
			raw_test_and_set(f->mask, p);
		if (rnd(16) == 0)
			f->reraise[p] = rnd(4);
	}
	raises_left = 20000;
	xpv_shim_race = race_random;
	for (round = 0; raises_left; round++) {
		xen_raise(rnd(XPV_2L_NR_PORTS));
		raises_left--;
		upcall(rnd(NR_VCPUS));
	}
	xpv_shim_race = NULL;
	for (p = 0; p < XPV_2L_NR_PORTS; p++)
		if (raw_test(f->mask, p) &&
		    xpv_2l_unmask(f->pending, f->mask, p))
			xen_unmask(p);
	upcall(0);
	upcall(1);
	upcall(0);
	ck_assert(!f->bad);
	for (p = 0; p < XPV_2L_NR_PORTS; p++) {
		if (!f->raised_at[p])
			continue;
		ck_assert_msg(f->handled_at[p] > f->raised_at[p],
			      "port %u raised at %lu, last handled at %lu", p,
			      f->raised_at[p], f->handled_at[p]);
		ck_assert(!raw_test(f->pending, p));
	}
}
END_TEST

static Suite *twolevel_suite(void)
{
	Suite *s = suite_create("evtchn_twolevel");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scan_in_port_order);
	tcase_add_test(tc, scan_resumes_after_cursor);
	tcase_add_test(tc, scan_cursor_at_bit_zero);
	tcase_add_test(tc, scan_skips_masked_unbound_unselected);
	tcase_add_test(tc, scan_ignores_selector_without_pending);
	tcase_add_test(tc, fairness_round_robin);
	tcase_add_test(tc, fairness_hog_does_not_starve);
	tcase_add_test(tc, unmask_not_pending);
	tcase_add_test(tc, unmask_pending_needs_xen);
	tcase_add_test(tc, unmask_race_never_loses);
	tcase_add_loop_test(tc, random_no_loss, 0, 8);
	suite_add_tcase(s, tc);
	return s;
}

XPV_SUITE(twolevel_suite);
