// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkfront/persistent.c: the pool grows on demand up to its size, reuses
 * the entry freed last, refuses when full (the caller falls back to a
 * one-shot grant), survives failing allocations, and gives every page and
 * grant back when destroyed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "../../blkfront/persistent.h"
#include "suites.h"

#define POOL 6

struct fake {
	unsigned int allocs, frees, live, fail;
	bool last_readonly;
	grant_ref_t next_ref;
	void *freed_va[POOL * 2];
	grant_ref_t freed_ref[POOL * 2];
};

static int f_alloc(void *ctx, bool readonly, void **va, grant_ref_t *ref)
{
	struct fake *f = ctx;

	if (f->fail) {
		f->fail--;
		return -ENOMEM;
	}
	*va = aligned_alloc(4096, 4096);
	ck_assert_ptr_nonnull(*va);
	*ref = f->next_ref++;
	f->last_readonly = readonly;
	f->allocs++;
	f->live++;
	return 0;
}

static void f_free(void *ctx, void *va, grant_ref_t ref)
{
	struct fake *f = ctx;

	ck_assert_uint_lt(f->frees, POOL * 2);
	f->freed_va[f->frees] = va;
	f->freed_ref[f->frees++] = ref;
	f->live--;
	free(va);
}

static const struct xpv_blk_buf_ops f_ops = { f_alloc, f_free };

START_TEST(grows_then_reuses_lifo)
{
	struct xpv_blk_pgrant ent[POOL];
	struct xpv_blk_pool_stat st = { 0 };
	struct fake f = { .next_ref = 100 };
	struct xpv_blk_pool p;
	unsigned int i;

	ck_assert_int_eq(xpv_blk_pool_init(&p, ent, POOL, false, &f_ops, &f,
					   &st), 0);
	for (i = 0; i < POOL; i++) {
		ck_assert_int_eq(xpv_blk_pool_get(&p), (int)i);
		ck_assert_ptr_nonnull(p.ent[i].va);
		ck_assert_uint_eq(p.ent[i].ref, 100 + i);
	}
	ck_assert(!f.last_readonly);
	ck_assert_uint_eq(st.misses, POOL);
	ck_assert_uint_eq(st.hits, 0);
	ck_assert_uint_eq(xpv_blk_pool_in_use(&p), POOL);
	/* Full: refused without trying to allocate. */
	ck_assert_int_eq(xpv_blk_pool_get(&p), -ENOSPC);
	ck_assert_uint_eq(st.full, 1);
	ck_assert_uint_eq(f.allocs, POOL);
	ck_assert_int_eq(xpv_blk_pool_put(&p, 2), 0);
	ck_assert_int_eq(xpv_blk_pool_put(&p, 4), 0);
	ck_assert_int_eq(xpv_blk_pool_put(&p, 4), -ENOENT);
	ck_assert_int_eq(xpv_blk_pool_put(&p, POOL), -ERANGE);
	ck_assert_int_eq(xpv_blk_pool_put(&p, ~0U), -ERANGE);
	ck_assert_uint_eq(xpv_blk_pool_in_use(&p), POOL - 2);
	/* The entry freed last first; same page, same grant. */
	ck_assert_int_eq(xpv_blk_pool_get(&p), 4);
	ck_assert_uint_eq(p.ent[4].ref, 104);
	ck_assert_int_eq(xpv_blk_pool_get(&p), 2);
	ck_assert_uint_eq(st.hits, 2);
	ck_assert_uint_eq(f.allocs, POOL);
	for (i = 0; i < POOL; i++)
		ck_assert_int_eq(xpv_blk_pool_put(&p, i), 0);
	ck_assert_uint_eq(xpv_blk_pool_in_use(&p), 0);
	ck_assert_uint_eq(xpv_blk_pool_destroy(&p), 0);
	ck_assert_uint_eq(f.frees, POOL);
	ck_assert_uint_eq(f.live, 0);
	for (i = 0; i < POOL; i++)
		ck_assert_uint_ge(f.freed_ref[i], 100);
}

END_TEST

START_TEST(made_only_when_needed)
{
	struct xpv_blk_pgrant ent[POOL];
	struct xpv_blk_pool_stat st = { 0 };
	struct fake f = { 0 };
	struct xpv_blk_pool p;
	unsigned int i;

	ck_assert_int_eq(xpv_blk_pool_init(&p, ent, POOL, true, &f_ops, &f,
					   &st), 0);
	/* One user at a time: one entry, ever. */
	for (i = 0; i < 50; i++) {
		ck_assert_int_eq(xpv_blk_pool_get(&p), 0);
		ck_assert_int_eq(xpv_blk_pool_put(&p, 0), 0);
	}
	ck_assert(f.last_readonly);
	ck_assert_uint_eq(f.allocs, 1);
	ck_assert_uint_eq(st.misses, 1);
	ck_assert_uint_eq(st.hits, 49);
	ck_assert_uint_eq(p.nr_made, 1);
	ck_assert_uint_eq(xpv_blk_pool_destroy(&p), 0);
	ck_assert_uint_eq(f.live, 0);
}

END_TEST

START_TEST(alloc_failure_falls_back)
{
	struct xpv_blk_pgrant ent[POOL];
	struct xpv_blk_pool_stat st = { 0 };
	struct fake f = { .fail = 2 };
	struct xpv_blk_pool p;

	ck_assert_int_eq(xpv_blk_pool_init(&p, ent, POOL, false, &f_ops, &f,
					   &st), 0);
	ck_assert_int_eq(xpv_blk_pool_get(&p), -ENOMEM);
	ck_assert_int_eq(xpv_blk_pool_get(&p), -ENOMEM);
	ck_assert_uint_eq(st.full, 2);
	ck_assert_uint_eq(st.misses, 0);
	ck_assert_uint_eq(p.nr_made, 0);
	ck_assert_ptr_null(p.ent[0].va);
	ck_assert_int_eq(xpv_blk_pool_put(&p, 0), -ERANGE);
	ck_assert_int_eq(xpv_blk_pool_get(&p), 0);
	ck_assert_uint_eq(st.misses, 1);
	ck_assert_uint_eq(xpv_blk_pool_destroy(&p), 1);
	ck_assert_uint_eq(f.live, 0);
}

END_TEST

START_TEST(empty_pool_and_bad_init)
{
	struct xpv_blk_pgrant ent[1];
	struct xpv_blk_pool_stat st = { 0 };
	struct xpv_blk_buf_ops half = { f_alloc, NULL };
	struct fake f = { 0 };
	struct xpv_blk_pool p;

	ck_assert_int_eq(xpv_blk_pool_init(&p, NULL, 0, false, &f_ops, &f,
					   &st), 0);
	ck_assert_int_eq(xpv_blk_pool_get(&p), -ENOSPC);
	ck_assert_int_eq(xpv_blk_pool_get(&p), -ENOSPC);
	ck_assert_uint_eq(st.full, 2);
	ck_assert_uint_eq(f.allocs, 0);
	ck_assert_uint_eq(xpv_blk_pool_destroy(&p), 0);
	ck_assert_int_eq(xpv_blk_pool_init(&p, NULL, 1, false, &f_ops, &f,
					   &st), -EINVAL);
	ck_assert_int_eq(xpv_blk_pool_init(&p, ent, 1, false, &half, &f, &st),
			 -EINVAL);
	ck_assert_int_eq(xpv_blk_pool_init(&p, ent, 1, false, NULL, &f, &st),
			 -EINVAL);
	ck_assert_int_eq(xpv_blk_pool_init(&p, ent, 1, false, &f_ops, &f,
					   NULL), -EINVAL);
}

END_TEST

START_TEST(destroy_with_entries_in_use_then_reuse)
{
	struct xpv_blk_pgrant ent[POOL];
	struct xpv_blk_pool_stat st = { 0 };
	struct fake f = { 0 };
	struct xpv_blk_pool p;
	unsigned int i;

	ck_assert_int_eq(xpv_blk_pool_init(&p, ent, POOL, false, &f_ops, &f,
					   &st), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_ge(xpv_blk_pool_get(&p), 0);
	ck_assert_int_eq(xpv_blk_pool_put(&p, 1), 0);
	/* A forgotten request: told, and everything freed anyway. */
	ck_assert_uint_eq(xpv_blk_pool_destroy(&p), 3);
	ck_assert_uint_eq(f.live, 0);
	ck_assert_uint_eq(p.nr_made, 0);
	ck_assert_uint_eq(xpv_blk_pool_in_use(&p), 0);
	ck_assert_int_eq(xpv_blk_pool_put(&p, 0), -ERANGE);
	/* Empty again, and usable: a reconnect. */
	ck_assert_int_eq(xpv_blk_pool_get(&p), 0);
	ck_assert_uint_eq(st.misses, 5);
	ck_assert_uint_eq(xpv_blk_pool_destroy(&p), 1);
	ck_assert_uint_eq(f.live, 0);
	ck_assert_uint_eq(f.frees, 5);
}

END_TEST

START_TEST(random_use_keeps_books)
{
	struct xpv_blk_pgrant ent[POOL];
	struct xpv_blk_pool_stat st = { 0 };
	struct fake f = { 0 };
	struct xpv_blk_pool p;
	bool held[POOL] = { false };
	unsigned int i, held_n = 0, fallbacks = 0;
	u32 seed = 0xfeedu;

	ck_assert_int_eq(xpv_blk_pool_init(&p, ent, POOL, false, &f_ops, &f,
					   &st), 0);
	for (i = 0; i < 5000; i++) {
		int idx;

		seed = seed * 1664525u + 1013904223u;
		if (seed >> 31) {
			f.fail = (seed >> 8) % 17 == 0;
			idx = xpv_blk_pool_get(&p);
			if (idx < 0) {
				fallbacks++;
				f.fail = 0;
				continue;
			}
			ck_assert(!held[idx]);
			held[idx] = true;
			held_n++;
		} else {
			idx = (seed >> 8) % POOL;
			ck_assert_int_eq(xpv_blk_pool_put(&p, idx),
					 held[idx] ? 0 : idx < (int)p.nr_made ?
					 -ENOENT : -ERANGE);
			held_n -= held[idx];
			held[idx] = false;
		}
		ck_assert_uint_eq(xpv_blk_pool_in_use(&p), held_n);
		ck_assert_uint_le(p.nr_made, POOL);
		ck_assert_uint_eq(f.live, p.nr_made);
	}
	ck_assert_uint_eq(st.full, fallbacks);
	ck_assert_uint_eq(st.misses, POOL);
	ck_assert_uint_gt(st.hits, 1000);
	ck_assert_uint_eq(xpv_blk_pool_destroy(&p), held_n);
	ck_assert_uint_eq(f.live, 0);
}

END_TEST

static Suite *blkfront_persistent_suite(void)
{
	Suite *s = suite_create("blkfront_persistent");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, grows_then_reuses_lifo);
	tcase_add_test(tc, made_only_when_needed);
	tcase_add_test(tc, alloc_failure_falls_back);
	tcase_add_test(tc, empty_pool_and_bad_init);
	tcase_add_test(tc, destroy_with_entries_in_use_then_reuse);
	tcase_add_test(tc, random_use_keeps_books);
	suite_add_tcase(s, tc);
	return s;
}

XPV_SUITE(blkfront_persistent_suite)
