// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant/refalloc.c: reserved references, growth and its failure, magazines
 * and stealing, batch claim/release, waiters, the owner's pin, and
 * randomized runs (single-threaded against a model, and threaded) checking
 * that no reference is ever handed out twice and the counts always add up.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "../../grant/refalloc.h"
#include "suites.h"

#define RESERVED GNTTAB_NR_RESERVED_ENTRIES

struct fix {
	struct xpv_refalloc a;
	grant_ref_t *pool;
	struct xpv_refmag *mags;
	unsigned int per_frame;
	unsigned int grown[64];		/* frames grow() was asked for */
	unsigned int nr_grown;
	unsigned int fail_from;		/* grow() fails for frames >= this */
	int pins;			/* pins held by the owner */
	bool no_grow;
};

static int fix_grow(struct xpv_refalloc *a, unsigned int frame)
{
	struct fix *f = a->priv;

	ck_assert(spin_is_locked(&a->lock));
	ck_assert_uint_lt(f->nr_grown, 64);
	f->grown[f->nr_grown++] = frame;
	return frame >= f->fail_from ? -ENOMEM : 0;
}

static void fix_pin(struct xpv_refalloc *a)
{
	struct fix *f = a->priv;

	__atomic_add_fetch(&f->pins, 1, __ATOMIC_SEQ_CST);
}

static const struct xpv_refalloc_ops grow_ops = {
	.grow = fix_grow,
	.pin = fix_pin,
};

static const struct xpv_refalloc_ops fixed_ops = {
	.pin = fix_pin,
};

static void fix_init(struct fix *f, unsigned int per_frame,
		     unsigned int nr_frames, unsigned int max_frames,
		     unsigned int nr_mags, bool grow)
{
	memset(f, 0, sizeof(*f));
	f->per_frame = per_frame;
	f->fail_from = ~0U;
	f->pool = calloc((size_t)per_frame * max_frames, sizeof(grant_ref_t));
	f->mags = aligned_alloc(64, nr_mags * sizeof(*f->mags));
	ck_assert_ptr_nonnull(f->pool);
	ck_assert_ptr_nonnull(f->mags);
	ck_assert_int_eq(xpv_refalloc_init(&f->a, f->pool, per_frame,
					   nr_frames, max_frames, f->mags,
					   nr_mags, grow ? &grow_ops :
					   &fixed_ops, f), 0);
}

static void fix_free(struct fix *f)
{
	free(f->pool);
	free(f->mags);
}

/* The stats invariant, and the expected number in use. */
static void check_counts(struct fix *f, long in_use)
{
	struct xpv_refalloc_stats st;

	xpv_refalloc_stats(&f->a, &st);
	ck_assert_uint_eq(st.total, st.free + (unsigned long)st.in_use);
	ck_assert_int_eq(st.in_use, in_use);
	ck_assert_uint_eq(st.total,
			  (unsigned long)st.nr_frames * f->per_frame - RESERVED);
}

/* Drop the pin if idle, as the owner's idle work does. */
static void fix_idle(struct fix *f)
{
	if (xpv_refalloc_unpin_if_idle(&f->a))
		f->pins--;
}

START_TEST(init_rejects_bad_geometry)
{
	static const struct xpv_refalloc_ops ops = { 0 };
	struct xpv_refmag mag;
	grant_ref_t pool[64];
	struct xpv_refalloc a;

	ck_assert_int_eq(xpv_refalloc_init(&a, NULL, 16, 1, 1, &mag, 1, &ops,
					   NULL), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_init(&a, pool, 16, 1, 1, NULL, 1, &ops,
					   NULL), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_init(&a, pool, 16, 1, 1, &mag, 0, &ops,
					   NULL), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_init(&a, pool, 16, 1, 1, &mag, 1, NULL,
					   NULL), -EINVAL);
	/* A frame must hold more than the reserved references. */
	ck_assert_int_eq(xpv_refalloc_init(&a, pool, RESERVED, 1, 1, &mag, 1,
					   &ops, NULL), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_init(&a, pool, 16, 0, 1, &mag, 1, &ops,
					   NULL), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_init(&a, pool, 16, 2, 1, &mag, 1, &ops,
					   NULL), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_init(&a, pool, 1u << 20, 1, 1u << 13,
					   &mag, 1, &ops, NULL), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_init(&a, pool, 16, 4, 4, &mag, 1, &ops,
					   NULL), 0);
}
END_TEST

START_TEST(reserved_refs_never_handed_out)
{
	struct fix f;
	grant_ref_t ref;
	unsigned int i;

	fix_init(&f, 512, 1, 1, 1, false);
	for (i = 0; i < 512 - RESERVED; i++) {
		ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &ref), 0);
		/* Lowest first: easy to read in traces. */
		ck_assert_uint_eq(ref, RESERVED + i);
	}
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &ref), -ENOSPC);
	for (i = 0; i < RESERVED; i++) {
		ck_assert(!xpv_refalloc_valid(&f.a, i));
		ck_assert_int_eq(xpv_refalloc_put(&f.a, 0, i), -EINVAL);
	}
	ck_assert(!xpv_refalloc_valid(&f.a, 512));
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 0, 512), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 0, ~0U), -EINVAL);
	check_counts(&f, 512 - RESERVED);
	fix_free(&f);
}
END_TEST

START_TEST(exhaustion_steals_from_other_magazines)
{
	struct fix f;
	grant_ref_t ref, got[8];
	struct xpv_refalloc_stats st;
	unsigned int i;

	/* 8 usable references, 4 CPUs: CPU 0's refill takes them all. */
	fix_init(&f, 16, 1, 1, 4, false);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &got[0]), 0);
	for (i = 1; i < 8; i++)
		ck_assert_int_eq(xpv_refalloc_get(&f.a, 1 + i % 3, &got[i]), 0);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 2, &ref), -ENOSPC);
	xpv_refalloc_stats(&f.a, &st);
	ck_assert_uint_ge(st.steals, 1);
	ck_assert_uint_eq(st.exhausted, 1);
	ck_assert_uint_eq(st.free, 0);
	/* Freed on CPU 3, the reference is found from CPU 1. */
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 3, got[5]), 0);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 1, &ref), 0);
	ck_assert_uint_eq(ref, got[5]);
	check_counts(&f, 8);
	fix_free(&f);
}
END_TEST

START_TEST(grows_frame_by_frame_to_the_maximum)
{
	struct fix f;
	struct xpv_refalloc_stats st;
	grant_ref_t ref;
	bool seen[64] = { false };
	unsigned int i, n = 8 + 16 * 3;

	fix_init(&f, 16, 1, 4, 2, true);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(xpv_refalloc_get(&f.a, i & 1, &ref), 0);
		ck_assert_uint_ge(ref, RESERVED);
		ck_assert_uint_lt(ref, 64);
		ck_assert(!seen[ref]);
		seen[ref] = true;
	}
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &ref), -ENOSPC);
	ck_assert_uint_eq(f.nr_grown, 3);
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(f.grown[i], i + 1);
	xpv_refalloc_stats(&f.a, &st);
	ck_assert_uint_eq(st.nr_frames, 4);
	ck_assert_uint_eq(st.grows, 3);
	ck_assert_uint_eq(st.total, n);
	/* At the maximum, exhaustion asks Xen no more. */
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 1, &ref), -ENOSPC);
	ck_assert_uint_eq(f.nr_grown, 3);
	check_counts(&f, n);
	fix_free(&f);
}
END_TEST

START_TEST(grow_failure_caps_the_table)
{
	struct fix f;
	struct xpv_refalloc_stats st;
	grant_ref_t ref;
	unsigned int i;

	fix_init(&f, 16, 1, 8, 1, true);
	f.fail_from = 2;
	for (i = 0; i < 8 + 16; i++)
		ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &ref), 0);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &ref), -ENOSPC);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &ref), -ENOSPC);
	ck_assert_uint_eq(f.nr_grown, 2);	/* frame 1 ok, frame 2 once */
	xpv_refalloc_stats(&f.a, &st);
	ck_assert_uint_eq(st.grow_failures, 1);
	ck_assert_uint_eq(st.nr_frames, 2);
	ck_assert_uint_eq(st.max_frames, 2);
	ck_assert(!xpv_refalloc_valid(&f.a, 32));
	check_counts(&f, 24);
	fix_free(&f);
}
END_TEST

START_TEST(magazines_drain_and_refill_in_batches)
{
	struct fix f;
	struct xpv_refalloc_stats st;
	grant_ref_t refs[200], ref;
	unsigned int i;

	fix_init(&f, 512, 1, 1, 2, false);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &refs[0]), 0);
	xpv_refalloc_stats(&f.a, &st);
	/* One refill moved a batch: the rest of it waits in CPU 0's magazine. */
	ck_assert_uint_eq(st.pool_free, 504 - XPV_REFMAG_BATCH);
	ck_assert_uint_eq(f.mags[0].count, XPV_REFMAG_BATCH - 1);
	for (i = 1; i < 200; i++)
		ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &refs[i]), 0);
	check_counts(&f, 200);
	/* Freeing all on CPU 1 fills its magazine, then drains it. */
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(xpv_refalloc_put(&f.a, 1, refs[i]), 0);
		ck_assert_uint_le(f.mags[1].count, XPV_REFMAG_SIZE);
	}
	ck_assert_uint_gt(f.mags[1].count, 0);
	check_counts(&f, 0);
	/* CPU 1's fast path hands back the last reference it took in. */
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 1, &ref), 0);
	ck_assert_uint_eq(ref, refs[199]);
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 1, ref), 0);
	check_counts(&f, 0);
	fix_free(&f);
}
END_TEST

START_TEST(claim_is_all_or_nothing)
{
	struct fix f;
	struct xpv_refalloc_stats st;
	grant_ref_t refs[64], extra;
	bool seen[64] = { false };
	unsigned int i;

	fix_init(&f, 16, 1, 4, 2, true);	/* 56 references at most */
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 0, refs), 0);
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 57, refs), -ENOSPC);
	xpv_refalloc_stats(&f.a, &st);
	ck_assert_uint_eq(st.free, st.total);	/* grown, but nothing taken */
	ck_assert_uint_eq(st.in_use, 0);
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 56, refs), 0);
	for (i = 0; i < 56; i++) {
		ck_assert(xpv_refalloc_valid(&f.a, refs[i]));
		ck_assert(!seen[refs[i]]);
		seen[refs[i]] = true;
	}
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 1, &extra), -ENOSPC);
	check_counts(&f, 56);
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 56, refs), 0);
	check_counts(&f, 0);
	fix_free(&f);
}
END_TEST

START_TEST(claim_takes_what_magazines_hold)
{
	struct fix f;
	grant_ref_t one, refs[504];

	fix_init(&f, 512, 1, 1, 2, false);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 1, &one), 0);
	/* 31 are cached on CPU 1; a claim of all the rest needs them. */
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 503, refs), 0);
	check_counts(&f, 504);
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 1, refs + 503), -ENOSPC);
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 0, one), 0);
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 503, refs), 0);
	check_counts(&f, 0);
	fix_free(&f);
}
END_TEST

START_TEST(release_skips_foreign_refs)
{
	struct fix f;
	grant_ref_t refs[4];

	fix_init(&f, 16, 1, 1, 1, false);
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 2, refs), 0);
	refs[2] = 1;	/* reserved */
	refs[3] = 16;	/* beyond the table */
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 4, refs), -EINVAL);
	check_counts(&f, 0);
	fix_free(&f);
}
END_TEST

struct cb {
	int calls;
	struct fix *f;
};

static void cb_fn(void *arg)
{
	struct cb *c = arg;

	/* Called under the pool lock, as documented. */
	ck_assert(spin_is_locked(&c->f->a.lock));
	c->calls++;
}

START_TEST(waiter_called_when_refs_come_back)
{
	struct fix f;
	struct xpv_grant_callback w = { 0 };
	struct cb c = { 0 };
	grant_ref_t refs[8];
	unsigned int i;

	fix_init(&f, 16, 1, 1, 2, false);
	c.f = &f;
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(xpv_refalloc_get(&f.a, i & 1, &refs[i]), 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w, cb_fn, &c, 2), 0);
	ck_assert_int_eq(c.calls, 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w, cb_fn, &c, 2), -EBUSY);
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 0, refs[0]), 0);
	ck_assert_int_eq(c.calls, 0);
	/* Freed on the other CPU: still seen, magazines are bypassed. */
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 1, refs[1]), 0);
	ck_assert_int_eq(c.calls, 1);
	ck_assert(!w.queued);
	ck_assert_uint_eq(f.a.nr_waiters, 0);
	/* Once only. */
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 0, refs[2]), 0);
	ck_assert_int_eq(c.calls, 1);
	/* Freed via a batch release as well; and re-registration works. */
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &refs[0]), 0);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &refs[1]), 0);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 1, &refs[2]), 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w, cb_fn, &c, 1), 0);
	ck_assert_int_eq(c.calls, 1);
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 1, refs), 0);
	ck_assert_int_eq(c.calls, 2);
	check_counts(&f, 7);
	fix_free(&f);
}
END_TEST

START_TEST(waiter_called_at_once_if_refs_are_there)
{
	struct fix f;
	struct xpv_grant_callback w = { 0 };
	struct cb c = { 0 };
	grant_ref_t ref;

	/* 7 free, some of them in a magazine. */
	fix_init(&f, 16, 1, 1, 2, false);
	c.f = &f;
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &ref), 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w, cb_fn, &c, 7), 0);
	ck_assert_int_eq(c.calls, 1);
	ck_assert(!w.queued);
	/* Room to grow counts as free. */
	fix_free(&f);
	fix_init(&f, 16, 1, 2, 1, true);
	c.f = &f;
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w, cb_fn, &c, 24), 0);
	ck_assert_int_eq(c.calls, 2);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w, cb_fn, &c, 0), -EINVAL);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w, cb_fn, &c, 25), -EINVAL);
	fix_free(&f);
}
END_TEST

START_TEST(waiters_cancel_and_order)
{
	struct fix f;
	struct xpv_grant_callback w1 = { 0 }, w2 = { 0 }, w3 = { 0 };
	struct cb c1 = { 0 }, c2 = { 0 }, c3 = { 0 };
	grant_ref_t refs[8];

	fix_init(&f, 16, 1, 1, 1, false);
	c1.f = c2.f = c3.f = &f;
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 8, refs), 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w1, cb_fn, &c1, 3), 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w2, cb_fn, &c2, 1), 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w3, cb_fn, &c3, 1), 0);
	ck_assert(xpv_refalloc_cancel(&f.a, &w3));
	ck_assert(!xpv_refalloc_cancel(&f.a, &w3));
	/* One free: w1 wants more, w2 is served. */
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 1, refs), 0);
	ck_assert_int_eq(c1.calls + c2.calls * 10, 10);
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 1, refs + 1), 0);
	ck_assert_int_eq(c1.calls, 0);
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 1, refs + 2), 0);
	ck_assert_int_eq(c1.calls, 1);
	ck_assert_int_eq(c3.calls, 0);
	/* The tail is right after removals: a new waiter is reachable. */
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 3, refs), 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w3, cb_fn, &c3, 1), 0);
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w2, cb_fn, &c2, 1), 0);
	ck_assert(xpv_refalloc_cancel(&f.a, &w2));
	ck_assert_int_eq(xpv_refalloc_wait(&f.a, &w1, cb_fn, &c1, 1), 0);
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 1, refs), 0);
	ck_assert_int_eq(c3.calls, 1);
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 1, refs + 1), 0);
	ck_assert_int_eq(c1.calls, 2);
	ck_assert_int_eq(c2.calls, 1);
	ck_assert_ptr_null(f.a.waiters);
	ck_assert_ptr_eq(f.a.waiters_tail, &f.a.waiters);
	fix_free(&f);
}
END_TEST

START_TEST(pin_held_exactly_while_in_use)
{
	struct fix f;
	grant_ref_t a, b, refs[3];

	fix_init(&f, 512, 1, 1, 2, false);
	fix_idle(&f);
	ck_assert_int_eq(f.pins, 0);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 0, &a), 0);
	ck_assert_int_eq(f.pins, 1);
	ck_assert_int_eq(xpv_refalloc_get(&f.a, 1, &b), 0);
	ck_assert_int_eq(f.pins, 1);
	fix_idle(&f);
	ck_assert_int_eq(f.pins, 1);
	/* Freed on the other CPUs: per-magazine counts go negative. */
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 1, a), 0);
	fix_idle(&f);
	ck_assert_int_eq(f.pins, 1);
	ck_assert_int_eq(xpv_refalloc_put(&f.a, 0, b), 0);
	fix_idle(&f);
	ck_assert_int_eq(f.pins, 0);
	ck_assert(!f.a.pinned);
	fix_idle(&f);
	ck_assert_int_eq(f.pins, 0);
	ck_assert_int_eq(xpv_refalloc_claim(&f.a, 3, refs), 0);
	ck_assert_int_eq(f.pins, 1);
	fix_idle(&f);
	ck_assert_int_eq(f.pins, 1);
	ck_assert_int_eq(xpv_refalloc_release(&f.a, 3, refs), 0);
	fix_idle(&f);
	ck_assert_int_eq(f.pins, 0);
	fix_free(&f);
}
END_TEST

/* A small deterministic PRNG, so every run is the same run. */
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

START_TEST(fuzz_against_a_model)
{
	const unsigned int per_frame = 64, max_frames = 6, nr_mags = 3;
	unsigned int cap = per_frame * max_frames;
	grant_ref_t *held = calloc(cap, sizeof(*held)), batch[40];
	bool *owned = calloc(cap, sizeof(*owned));
	struct xpv_grant_callback w = { 0 };
	struct cb c = { 0 };
	unsigned int nheld = 0, step, i;
	struct fix f;

	rng_state = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
	fix_init(&f, per_frame, 1 + _i % 2, max_frames, nr_mags, true);
	c.f = &f;
	if (_i == 3)
		f.fail_from = 4;
	for (step = 0; step < 20000; step++) {
		unsigned int op = rnd(100), n;
		grant_ref_t ref;
		int ret;

		if (op < 40) {
			ret = xpv_refalloc_get(&f.a, rnd(nr_mags + 2), &ref);
			if (ret) {
				ck_assert_int_eq(ret, -ENOSPC);
				continue;
			}
			ck_assert(xpv_refalloc_valid(&f.a, ref));
			ck_assert_msg(!owned[ref], "ref %u handed out twice",
				      ref);
			owned[ref] = true;
			held[nheld++] = ref;
		} else if (op < 80 && nheld) {
			i = rnd(nheld);
			ref = held[i];
			held[i] = held[--nheld];
			owned[ref] = false;
			ck_assert_int_eq(xpv_refalloc_put(&f.a, rnd(nr_mags),
							  ref), 0);
		} else if (op < 88) {
			n = 1 + rnd(40);
			ret = xpv_refalloc_claim(&f.a, n, batch);
			if (ret) {
				ck_assert_int_eq(ret, -ENOSPC);
				continue;
			}
			for (i = 0; i < n; i++) {
				ck_assert(!owned[batch[i]]);
				owned[batch[i]] = true;
				held[nheld++] = batch[i];
			}
		} else if (op < 96) {
			n = nheld < 40 ? nheld : 1 + rnd(40);
			for (i = 0; i < n; i++) {
				unsigned int k = rnd(nheld);

				batch[i] = held[k];
				held[k] = held[--nheld];
				owned[batch[i]] = false;
			}
			ck_assert_int_eq(xpv_refalloc_release(&f.a, n, batch),
					 0);
		} else if (op < 98) {
			if (!w.queued)
				xpv_refalloc_wait(&f.a, &w, cb_fn, &c,
						  1 + rnd(50));
		} else if (op < 99) {
			xpv_refalloc_cancel(&f.a, &w);
		} else {
			fix_idle(&f);
			ck_assert_int_eq(f.pins, nheld ? 1 : 0);
		}
		ck_assert_int_ge(f.pins, 0);
		ck_assert_int_le(f.pins, 1);
		if (nheld)
			ck_assert_int_eq(f.pins, 1);
		if (step % 97 == 0)
			check_counts(&f, nheld);
	}
	while (nheld)
		ck_assert_int_eq(xpv_refalloc_put(&f.a, rnd(nr_mags),
						  held[--nheld]), 0);
	check_counts(&f, 0);
	fix_idle(&f);
	ck_assert_int_eq(f.pins, 0);
	xpv_refalloc_cancel(&f.a, &w);
	free(held);
	free(owned);
	fix_free(&f);
}
END_TEST

#define THREADS 4

struct stress {
	struct fix f;
	unsigned char owner[16 * 64];
	int errors;
};

struct worker {
	struct stress *s;
	unsigned int cpu;
	uint64_t seed;
};

static uint32_t wrnd(uint64_t *s, uint32_t n)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s % n);
}

static void take(struct stress *s, grant_ref_t ref)
{
	if (__atomic_exchange_n(&s->owner[ref], 1, __ATOMIC_SEQ_CST))
		__atomic_add_fetch(&s->errors, 1, __ATOMIC_SEQ_CST);
}

static void give(struct stress *s, grant_ref_t ref)
{
	if (!__atomic_exchange_n(&s->owner[ref], 0, __ATOMIC_SEQ_CST))
		__atomic_add_fetch(&s->errors, 1, __ATOMIC_SEQ_CST);
}

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct stress *s = w->s;
	grant_ref_t held[64], batch[16];
	unsigned int nheld = 0, i, it;

	for (it = 0; it < 30000; it++) {
		unsigned int op = wrnd(&w->seed, 10);

		if (op < 5 && nheld < 48) {
			if (!xpv_refalloc_get(&s->f.a, w->cpu, &held[nheld])) {
				take(s, held[nheld]);
				nheld++;
			}
		} else if (op < 9 && nheld) {
			i = wrnd(&w->seed, nheld);
			give(s, held[i]);
			if (xpv_refalloc_put(&s->f.a, wrnd(&w->seed, THREADS),
					     held[i]))
				__atomic_add_fetch(&s->errors, 1,
						   __ATOMIC_SEQ_CST);
			held[i] = held[--nheld];
		} else if (!xpv_refalloc_claim(&s->f.a, 16, batch)) {
			for (i = 0; i < 16; i++)
				take(s, batch[i]);
			for (i = 0; i < 16; i++)
				give(s, batch[i]);
			if (xpv_refalloc_release(&s->f.a, 16, batch))
				__atomic_add_fetch(&s->errors, 1,
						   __ATOMIC_SEQ_CST);
		}
		if (it % 1000 == 0 && xpv_refalloc_unpin_if_idle(&s->f.a))
			__atomic_sub_fetch(&s->f.pins, 1, __ATOMIC_SEQ_CST);
	}
	while (nheld) {
		give(s, held[--nheld]);
		xpv_refalloc_put(&s->f.a, w->cpu, held[nheld]);
	}
	return NULL;
}

START_TEST(threads_never_share_a_ref)
{
	struct stress *s = calloc(1, sizeof(*s));
	struct worker w[THREADS];
	pthread_t t[THREADS];
	unsigned int i;

	/* Few references for many takers: exhaustion, growth and stealing. */
	fix_init(&s->f, 64, 1, 4, THREADS, true);
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ s, i, 0x1234567ull * (i + 1) };
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker_fn, &w[i]),
				 0);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	ck_assert_int_eq(s->errors, 0);
	check_counts(&s->f, 0);
	fix_idle(&s->f);
	ck_assert_int_eq(s->f.pins, 0);
	fix_free(&s->f);
	free(s);
}
END_TEST

static Suite *refalloc_suite(void)
{
	Suite *s = suite_create("grant_refalloc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, init_rejects_bad_geometry);
	tcase_add_test(tc, reserved_refs_never_handed_out);
	tcase_add_test(tc, exhaustion_steals_from_other_magazines);
	tcase_add_test(tc, grows_frame_by_frame_to_the_maximum);
	tcase_add_test(tc, grow_failure_caps_the_table);
	tcase_add_test(tc, magazines_drain_and_refill_in_batches);
	tcase_add_test(tc, claim_is_all_or_nothing);
	tcase_add_test(tc, claim_takes_what_magazines_hold);
	tcase_add_test(tc, release_skips_foreign_refs);
	tcase_add_test(tc, waiter_called_when_refs_come_back);
	tcase_add_test(tc, waiter_called_at_once_if_refs_are_there);
	tcase_add_test(tc, waiters_cancel_and_order);
	tcase_add_test(tc, pin_held_exactly_while_in_use);
	tcase_add_loop_test(tc, fuzz_against_a_model, 0, 4);
	tcase_add_test(tc, threads_never_share_a_ref);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
XPV_SUITE(refalloc_suite);
