// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant/access.c: granting and ending access in v1 entries against a fake
 * backend that maps entries the way Xen does (compare-and-exchange on the
 * flags, only while GTF_permit_access is set), including a threaded race,
 * and the deferral queue: backoff, retries, stuck reports, release order.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "../../grant/access.h"
#include "suites.h"

/* The fake backend: Xen's side of a map/unmap of a v1 entry. */
static bool backend_map(struct grant_entry_v1 *e, bool write)
{
	uint16_t flags = __atomic_load_n(&e->flags, __ATOMIC_SEQ_CST);
	uint16_t busy = write ? GTF_writing : GTF_reading;

	do {
		if ((flags & GTF_type_mask) != GTF_permit_access)
			return false;
		if (write && (flags & GTF_readonly))
			return false;
	} while (!__atomic_compare_exchange_n(&e->flags, &flags, flags | busy,
					      0, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	return true;
}

static void backend_unmap(struct grant_entry_v1 *e, bool write)
{
	__atomic_and_fetch(&e->flags,
			   (uint16_t)~(write ? GTF_writing : GTF_reading),
			   __ATOMIC_SEQ_CST);
}

START_TEST(grant_fills_the_entry)
{
	struct grant_entry_v1 e = { 0 };

	ck_assert_uint_eq(sizeof(e), 8);
	ck_assert_int_eq(xpv_gnt_entry_grant(&e, 7, 0x12345, false), 0);
	ck_assert_uint_eq(e.flags, GTF_permit_access);
	ck_assert_uint_eq(e.domid, 7);
	ck_assert_uint_eq(e.frame, 0x12345);
	ck_assert(xpv_gnt_entry_active(&e));
	ck_assert(xpv_gnt_entry_end(&e));
	ck_assert_int_eq(xpv_gnt_entry_grant(&e, 0, 0xffffffffUL, true), 0);
	ck_assert_uint_eq(e.flags, GTF_permit_access | GTF_readonly);
	ck_assert_uint_eq(e.frame, 0xffffffffU);
}
END_TEST

START_TEST(grant_refuses_busy_entry_and_wide_gfn)
{
	struct grant_entry_v1 e = { 0 };

	ck_assert_int_eq(xpv_gnt_entry_grant(&e, 1, 0x100000000UL, false),
			 -EINVAL);
	ck_assert_uint_eq(e.flags, 0);
	ck_assert_int_eq(xpv_gnt_entry_grant(&e, 1, 5, false), 0);
	ck_assert_int_eq(xpv_gnt_entry_grant(&e, 2, 6, false), -EBUSY);
	ck_assert_uint_eq(e.domid, 1);
	ck_assert_uint_eq(e.frame, 5);
}
END_TEST

START_TEST(end_waits_for_the_backend)
{
	struct grant_entry_v1 e = { 0 };

	/* Nothing granted: ending is a no-op that succeeds. */
	ck_assert(xpv_gnt_entry_end(&e));
	ck_assert(!xpv_gnt_entry_active(&e));

	ck_assert_int_eq(xpv_gnt_entry_grant(&e, 3, 9, true), 0);
	ck_assert(!backend_map(&e, true));	/* read-only grant */
	ck_assert(backend_map(&e, false));
	ck_assert(!xpv_gnt_entry_end(&e));
	ck_assert_uint_eq(e.flags,
			  GTF_permit_access | GTF_readonly | GTF_reading);
	backend_unmap(&e, false);
	ck_assert(xpv_gnt_entry_end(&e));
	ck_assert_uint_eq(e.flags, 0);
	/* Once ended, the backend cannot map it any more. */
	ck_assert(!backend_map(&e, false));

	ck_assert_int_eq(xpv_gnt_entry_grant(&e, 3, 9, false), 0);
	ck_assert(backend_map(&e, true));
	ck_assert(!xpv_gnt_entry_end(&e));
	ck_assert(backend_map(&e, false));
	backend_unmap(&e, true);
	ck_assert(!xpv_gnt_entry_end(&e));	/* still reading */
	backend_unmap(&e, false);
	ck_assert(xpv_gnt_entry_end(&e));
	ck_assert(!xpv_gnt_entry_active(&e));
}
END_TEST

struct race {
	struct grant_entry_v1 e;
	int ended;		/* the frontend's end succeeded */
	int stop;
	long maps, violations;
};

static void *race_backend(void *arg)
{
	struct race *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_SEQ_CST)) {
		if (!backend_map(&r->e, r->maps & 1))
			continue;
		r->maps++;
		/* Mapped: the end cannot have succeeded before or now. */
		if (__atomic_load_n(&r->ended, __ATOMIC_SEQ_CST))
			r->violations++;
		backend_unmap(&r->e, (r->maps - 1) & 1);
	}
	return NULL;
}

START_TEST(end_races_a_mapping_backend)
{
	struct race *r = calloc(1, sizeof(*r));
	pthread_t t;
	int round;

	ck_assert_int_eq(pthread_create(&t, NULL, race_backend, r), 0);
	for (round = 0; round < 2000; round++) {
		unsigned int spins = 0;

		__atomic_store_n(&r->ended, 0, __ATOMIC_SEQ_CST);
		ck_assert_int_eq(xpv_gnt_entry_grant(&r->e, 1, round, false),
				 0);
		while (!xpv_gnt_entry_end(&r->e))
			spins++;
		__atomic_store_n(&r->ended, 1, __ATOMIC_SEQ_CST);
		ck_assert_uint_eq(__atomic_load_n(&r->e.flags,
						  __ATOMIC_SEQ_CST) &
				  GTF_type_mask, 0);
	}
	__atomic_store_n(&r->stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(t, NULL);
	ck_assert_int_eq(r->violations, 0);
	free(r);
}
END_TEST

START_TEST(backoff_doubles_to_the_cap)
{
	struct xpv_gnt_defer_queue q;

	xpv_defer_init(&q, 2, 16, 3);
	ck_assert_uint_eq(xpv_defer_backoff(&q, 0), 2);
	ck_assert_uint_eq(xpv_defer_backoff(&q, 1), 4);
	ck_assert_uint_eq(xpv_defer_backoff(&q, 2), 8);
	ck_assert_uint_eq(xpv_defer_backoff(&q, 3), 16);
	ck_assert_uint_eq(xpv_defer_backoff(&q, 4), 16);
	ck_assert_uint_eq(xpv_defer_backoff(&q, UINT_MAX), 16);
	xpv_defer_init(&q, 0, 0, 0);
	ck_assert_uint_eq(xpv_defer_backoff(&q, 5), 1);
	xpv_defer_init(&q, 3, ULONG_MAX, 0);
	ck_assert_uint_eq(xpv_defer_backoff(&q, 200), ULONG_MAX);
	ck_assert_uint_eq(xpv_defer_backoff(&q, 2), 12);
}
END_TEST

struct dfix {
	struct grant_entry_v1 table[16];
	unsigned int tried[64];
	unsigned int nr_tried;
	const struct xpv_gnt_deferred *stuck[8];
	unsigned int nr_stuck;
};

static bool dfix_try_end(void *ctx, grant_ref_t ref)
{
	struct dfix *f = ctx;

	ck_assert_uint_lt(ref, 16);
	if (f->nr_tried < 64)
		f->tried[f->nr_tried++] = ref;
	return xpv_gnt_entry_end(&f->table[ref]);
}

static void dfix_stuck(void *ctx, const struct xpv_gnt_deferred *d)
{
	struct dfix *f = ctx;

	ck_assert_uint_lt(f->nr_stuck, 8);
	f->stuck[f->nr_stuck++] = d;
}

START_TEST(deferred_entry_released_after_backend_lets_go)
{
	struct dfix f = { 0 };
	struct xpv_gnt_defer_queue q;
	struct xpv_gnt_deferred d, *done;
	unsigned long due, now = 1000;
	int page;
	unsigned int i;

	xpv_defer_init(&q, 10, 40, 3);
	ck_assert(!xpv_defer_next_due(&q, &due));
	ck_assert_int_eq(xpv_gnt_entry_grant(&f.table[9], 2, 77, false), 0);
	ck_assert(backend_map(&f.table[9], true));
	ck_assert(!xpv_gnt_entry_end(&f.table[9]));
	xpv_defer_add(&q, &d, 9, 2, &page, now);
	ck_assert_uint_eq(q.nr, 1);
	ck_assert_uint_eq(q.deferred, 1);
	ck_assert(xpv_defer_next_due(&q, &due));
	ck_assert_uint_eq(due, 1010);

	/* Not due: not even tried. */
	ck_assert_uint_eq(xpv_defer_retry(&q, 1009, dfix_try_end, dfix_stuck,
					  &f, &done), 0);
	ck_assert_ptr_null(done);
	ck_assert_uint_eq(f.nr_tried, 0);

	/* Due but still mapped: retried with a doubled delay, each time. */
	now = 1010;
	for (i = 1; i <= 4; i++) {
		ck_assert_uint_eq(xpv_defer_retry(&q, now, dfix_try_end,
						  dfix_stuck, &f, &done), 0);
		ck_assert_uint_eq(f.nr_tried, i);
		ck_assert_uint_eq(d.tries, i);
		ck_assert_uint_eq(d.due, now + xpv_defer_backoff(&q, i));
		ck_assert_uint_eq(f.nr_stuck, i >= 3);
		now = d.due;
	}
	ck_assert_ptr_eq(f.stuck[0], &d);
	ck_assert_uint_eq(q.retries, 4);
	ck_assert_uint_eq(q.nr, 1);
	/* The entry still grants access: nothing was released. */
	ck_assert_uint_eq(f.table[9].flags & GTF_type_mask,
			  GTF_permit_access);

	backend_unmap(&f.table[9], true);
	ck_assert_uint_eq(xpv_defer_retry(&q, now, dfix_try_end, dfix_stuck,
					  &f, &done), 1);
	ck_assert_ptr_eq(done, &d);
	ck_assert_ptr_null(d.next);
	ck_assert_uint_eq(d.ref, 9);
	ck_assert_uint_eq(d.domid, 2);
	ck_assert_ptr_eq(d.page, &page);
	ck_assert_uint_eq(f.table[9].flags, 0);
	ck_assert_uint_eq(q.nr, 0);
	ck_assert_uint_eq(q.released, 1);
	ck_assert(!xpv_defer_next_due(&q, &due));
	ck_assert_ptr_eq(q.tail, &q.head);
}
END_TEST

START_TEST(deferred_entries_keep_order_and_clock_wraps)
{
	struct dfix f = { 0 };
	struct xpv_gnt_defer_queue q;
	struct xpv_gnt_deferred d[4], *done, *x;
	unsigned long due, now = ULONG_MAX - 5;
	unsigned int i;

	xpv_defer_init(&q, 4, 64, 100);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(xpv_gnt_entry_grant(&f.table[8 + i], 1, i,
						     false), 0);
		ck_assert(backend_map(&f.table[8 + i], false));
		xpv_defer_add(&q, &d[i], 8 + i, 1, NULL, now + i);
	}
	ck_assert(xpv_defer_next_due(&q, &due));
	ck_assert_uint_eq(due, ULONG_MAX - 1);
	/* Across the wrap, entries 0 and 1 are due, 2 and 3 are not. */
	backend_unmap(&f.table[8], false);
	ck_assert_uint_eq(xpv_defer_retry(&q, now + 5, dfix_try_end, NULL, &f,
					  &done), 1);
	ck_assert_ptr_eq(done, &d[0]);
	ck_assert_uint_eq(f.nr_tried, 2);
	ck_assert_uint_eq(d[1].tries, 1);
	ck_assert_uint_eq(d[2].tries, 0);
	/* Let all go; they come back in queue order. */
	for (i = 1; i < 4; i++)
		backend_unmap(&f.table[8 + i], false);
	ck_assert_uint_eq(xpv_defer_retry(&q, now + 100, dfix_try_end, NULL,
					  &f, &done), 3);
	for (x = done, i = 1; x; x = x->next, i++)
		ck_assert_ptr_eq(x, &d[i]);
	ck_assert_uint_eq(i, 4);
	ck_assert_uint_eq(q.nr, 0);
	/* The queue is reusable: the tail was reset. */
	xpv_defer_add(&q, &d[0], 8, 1, NULL, 0);
	ck_assert_ptr_eq(q.head, &d[0]);
	ck_assert_uint_eq(xpv_defer_retry(&q, 10, dfix_try_end, NULL, &f,
					  &done), 1);
	ck_assert_uint_eq(q.deferred, 5);
	ck_assert_uint_eq(q.released, 5);
}
END_TEST

START_TEST(fuzz_deferral_never_releases_mapped_entries)
{
	struct dfix f = { 0 };
	struct xpv_gnt_defer_queue q;
	struct xpv_gnt_deferred nodes[8], *done, *x;
	bool mapped[8] = { false }, queued[8] = { false };
	uint64_t s = 0xdeadbeefcafef00dull + (uint64_t)_i;
	unsigned long now = ULONG_MAX - 5000;
	unsigned int step, i, nq = 0;

	xpv_defer_init(&q, 1, 32, 6);
	for (step = 0; step < 20000; step++) {
		unsigned int op, k;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		op = s % 10;
		k = (s >> 8) % 8;
		now += (s >> 16) % 4;
		if (op < 3 && !queued[k]) {
			/* Grant, backend maps it, owner ends it: deferred. */
			ck_assert_int_eq(xpv_gnt_entry_grant(&f.table[8 + k],
							     1, k, false), 0);
			mapped[k] = backend_map(&f.table[8 + k], op & 1);
			ck_assert(mapped[k]);
			ck_assert(!xpv_gnt_entry_end(&f.table[8 + k]));
			xpv_defer_add(&q, &nodes[k], 8 + k, 1, NULL, now);
			queued[k] = true;
			nq++;
		} else if (op < 6 && mapped[k]) {
			f.table[8 + k].flags &= ~(GTF_reading | GTF_writing);
			mapped[k] = false;
		} else {
			unsigned int n = xpv_defer_retry(&q, now, dfix_try_end,
							 NULL, &f, &done);

			for (x = done; x; x = x->next, n--) {
				i = x->ref - 8;
				ck_assert(queued[i]);
				ck_assert(!mapped[i]);
				ck_assert_uint_eq(f.table[x->ref].flags, 0);
				queued[i] = false;
				nq--;
			}
			ck_assert_uint_eq(n, 0);
		}
		ck_assert_uint_eq(q.nr, nq);
		ck_assert_uint_eq(q.deferred, q.released + q.nr);
	}
}
END_TEST

static Suite *access_suite(void)
{
	Suite *s = suite_create("grant_access");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, grant_fills_the_entry);
	tcase_add_test(tc, grant_refuses_busy_entry_and_wide_gfn);
	tcase_add_test(tc, end_waits_for_the_backend);
	tcase_add_test(tc, end_races_a_mapping_backend);
	tcase_add_test(tc, backoff_doubles_to_the_cap);
	tcase_add_test(tc, deferred_entry_released_after_backend_lets_go);
	tcase_add_test(tc, deferred_entries_keep_order_and_clock_wraps);
	tcase_add_loop_test(tc, fuzz_deferral_never_releases_mapped_entries,
			    0, 3);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
XPV_SUITE(access_suite);
