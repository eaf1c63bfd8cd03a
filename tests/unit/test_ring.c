// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus/ring.c against the Xen ABI's own ring macros: a backend built from
 * BACK_RING_* serves our front end, and a reference front end built from
 * FRONT_RING_* runs the same operations so every decision can be compared.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <asm/barrier.h>
#include <xpv/ring.h>
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/netif.h>
#include "suites.h"

#define PAGE 4096

struct t_req {
	uint64_t id;
	uint8_t payload[20];
};

struct t_rsp {
	uint64_t id;
	int16_t status;
};

DEFINE_RING_TYPES(t, struct t_req, struct t_rsp);

/* One shared page with our front end and an ABI-macro back end on it. */
struct pair {
	struct t_sring *s;
	struct xpv_ring front;
	struct t_back_ring back;
};

static void pair_init(struct pair *p, size_t bytes, RING_IDX start)
{
	p->s = aligned_alloc(PAGE, bytes);
	ck_assert_ptr_nonnull(p->s);
	memset(p->s, 0xa5, bytes);
	ck_assert_int_eq(xpv_ring_init(&p->front, p->s, bytes,
				       sizeof(union t_sring_entry)), 0);
	p->front.req_prod_pvt = start;
	p->front.req_pushed = start;
	p->front.rsp_cons = start;
	p->s->req_prod = start;
	p->s->rsp_prod = start;
	p->s->req_event = start + 1;
	p->s->rsp_event = start + 1;
	BACK_RING_ATTACH(&p->back, p->s, start, bytes);
}

static void pair_free(struct pair *p)
{
	free(p->s);
}

/* Backend: answer up to @max requests, in order; report the notify. */
static bool back_answer(struct pair *p, int16_t status, unsigned int max)
{
	bool notify;

	while (max-- && RING_HAS_UNCONSUMED_REQUESTS(&p->back)) {
		struct t_req req;
		struct t_rsp *rsp;

		RING_COPY_REQUEST(&p->back, p->back.req_cons, &req);
		p->back.req_cons++;
		rsp = RING_GET_RESPONSE(&p->back, p->back.rsp_prod_pvt);
		rsp->id = req.id;
		rsp->status = status;
		p->back.rsp_prod_pvt++;
	}
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&p->back, notify);
	return notify;
}

/* Backend: answer every request it sees. */
static bool back_answer_all(struct pair *p, int16_t status)
{
	return back_answer(p, status, ~0u);
}

static void front_send(struct pair *p, uint64_t id)
{
	struct t_req *req = xpv_ring_prepare(&p->front);

	ck_assert_ptr_nonnull(req);
	req->id = id;
	memset(req->payload, (int)id, sizeof(req->payload));
}

/* Prepare requests 0..@n-1 and publish them; report the notify. */
static bool front_publish(struct pair *p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		front_send(p, i);
	return xpv_ring_push(&p->front);
}

/* Our sizing must equal the ABI's __RING_SIZE for every protocol and order. */
#define CHECK_RING_SIZE(tag)						\
	do {								\
		static uint8_t page[PAGE << 4];				\
		struct tag##_sring *abi = (void *)page;			\
		struct xpv_ring r;					\
		unsigned int order;					\
									\
		for (order = 0; order <= 4; order++) {			\
			size_t bytes = (size_t)PAGE << order;		\
									\
			ck_assert_int_eq(xpv_ring_init(&r, page, bytes,	\
				sizeof(union tag##_sring_entry)), 0);	\
			ck_assert_msg(r.nr_ents == __RING_SIZE(abi, bytes), \
				      #tag " order %u: %u entries", order, \
				      r.nr_ents);			\
		}							\
	} while (0)

START_TEST(size_matches_abi)
{
	CHECK_RING_SIZE(blkif);
	CHECK_RING_SIZE(xen_netif_tx);
	CHECK_RING_SIZE(xen_netif_rx);
	CHECK_RING_SIZE(t);
	/* Well-known values, so the reference itself is pinned down. */
	ck_assert_uint_eq(__CONST_RING_SIZE(blkif, PAGE), 32);
	ck_assert_uint_eq(__CONST_RING_SIZE(xen_netif_tx, PAGE), 256);
	ck_assert_uint_eq(__CONST_RING_SIZE(t, PAGE), 64);
}
END_TEST

START_TEST(init_resets_shared_page)
{
	struct pair p;

	pair_init(&p, PAGE, 0);
	ck_assert_uint_eq(p.s->req_prod, 0);
	ck_assert_uint_eq(p.s->rsp_prod, 0);
	ck_assert_uint_eq(p.s->req_event, 1);
	ck_assert_uint_eq(p.s->rsp_event, 1);
	for (size_t i = 0; i < sizeof(p.s->__pad); i++)
		ck_assert_uint_eq(p.s->__pad[i], 0);
	ck_assert_uint_eq(xpv_ring_free_requests(&p.front), 64);
	ck_assert_uint_eq(xpv_ring_in_flight(&p.front), 0);
	pair_free(&p);
}
END_TEST

START_TEST(init_rejects_bad_geometry)
{
	static uint8_t page[PAGE];
	struct xpv_ring r;

	ck_assert_int_eq(xpv_ring_init(&r, NULL, PAGE, 32), -EINVAL);
	ck_assert_int_eq(xpv_ring_init(&r, page, PAGE, 0), -EINVAL);
	ck_assert_int_eq(xpv_ring_init(&r, page, 63, 1), -EINVAL);
	ck_assert_int_eq(xpv_ring_init(&r, page, 64 + 31, 32), -EINVAL);
	ck_assert_int_eq(xpv_ring_init(&r, page, 64 + 32, 32), 0);
	ck_assert_uint_eq(r.nr_ents, 1);
	ck_assert_int_eq(xpv_ring_init(&r, page, PAGE, PAGE), -EINVAL);
}
END_TEST

START_TEST(full_ring_refuses_more)
{
	struct pair p;
	unsigned int i;
	struct t_rsp rsp;

	pair_init(&p, PAGE, 0);
	for (i = 0; i < 64; i++)
		front_send(&p, i);
	ck_assert_ptr_null(xpv_ring_prepare(&p.front));
	ck_assert_uint_eq(xpv_ring_free_requests(&p.front), 0);
	xpv_ring_push(&p.front);
	back_answer_all(&p, 0);
	ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp, sizeof(rsp)), 1);
	ck_assert_uint_eq(rsp.id, 0);
	ck_assert_uint_eq(xpv_ring_free_requests(&p.front), 1);
	front_send(&p, 64);
	ck_assert_ptr_null(xpv_ring_prepare(&p.front));
	pair_free(&p);
}
END_TEST

START_TEST(batch_costs_one_notification)
{
	struct pair p;
	bool work;
	int i;

	pair_init(&p, PAGE, 0);
	for (i = 0; i < 10; i++)
		front_send(&p, i);
	/* req_event is 1: the first push of the batch must notify. */
	ck_assert(xpv_ring_push(&p.front));
	/* Nothing new prepared: nothing to publish, nothing to notify. */
	ck_assert(!xpv_ring_push(&p.front));
	/* Backend has not re-armed req_event: further pushes stay silent. */
	front_send(&p, 10);
	ck_assert(!xpv_ring_push(&p.front));
	/* Backend drains and re-arms; the next push notifies again. */
	back_answer_all(&p, 0);
	RING_FINAL_CHECK_FOR_REQUESTS(&p.back, work);
	ck_assert(!work);
	front_send(&p, 11);
	ck_assert(xpv_ring_push(&p.front));
	pair_free(&p);
}
END_TEST

START_TEST(final_check_never_loses_a_response)
{
	struct pair p;
	struct t_rsp rsp;

	pair_init(&p, PAGE, 0);
	front_send(&p, 7);
	xpv_ring_push(&p.front);
	/* Response arrives: consumed, then the final check re-arms. */
	ck_assert(back_answer_all(&p, 0));
	ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp, sizeof(rsp)), 1);
	ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp, sizeof(rsp)), 0);
	ck_assert(!xpv_ring_final_check(&p.front));
	ck_assert_uint_eq(p.s->rsp_event, p.front.rsp_cons + 1);
	/* The next response must make the backend notify us. */
	front_send(&p, 8);
	xpv_ring_push(&p.front);
	ck_assert(back_answer_all(&p, 0));
	/* And a response pending at final-check time is reported. */
	ck_assert(xpv_ring_final_check(&p.front));
	pair_free(&p);
}
END_TEST

START_TEST(final_check_batch_waits_for_half)
{
	struct pair p;
	struct t_rsp rsp;
	int i;

	pair_init(&p, PAGE, 0xfffffffcu);
	front_publish(&p, 8);
	front_send(&p, 8);	/* prepared, never published: not counted */
	ck_assert(!xpv_ring_final_check_batch(&p.front));
	ck_assert_uint_eq(p.s->rsp_event, p.front.rsp_cons + 5);
	ck_assert(!back_answer(&p, 0, 4));
	ck_assert(back_answer(&p, 0, 1));
	/* Responses pending at final-check time are reported. */
	ck_assert(xpv_ring_final_check_batch(&p.front));
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp,
						       sizeof(rsp)), 1);
	/* Three left in flight: notified at the second. */
	ck_assert(!xpv_ring_final_check_batch(&p.front));
	ck_assert_uint_eq(p.s->rsp_event, p.front.rsp_cons + 2);
	ck_assert(!back_answer(&p, 0, 1));
	ck_assert(back_answer(&p, 0, 1));
	pair_free(&p);
}
END_TEST

/*
 * A frontend that reads responses only when notified, and re-arms with
 * @final_check before it sleeps, must never leave a response unread once
 * the backend has answered everything published: that would be a stall.
 * Random batches and partial answers, across index wrap.
 */
static void no_stall(bool (*final_check)(struct xpv_ring *), RING_IDX start,
		     unsigned int seed)
{
	struct pair p;
	bool notified = false;
	uint64_t next_id = 0, expect_id = 0;
	int step;

	srand(seed);
	pair_init(&p, PAGE, start);
	for (step = 0; step < 20000; step++) {
		unsigned int n = rand() % 40;
		struct t_rsp rsp;

		switch (rand() % 3) {
		case 0:
			while (n-- && xpv_ring_free_requests(&p.front))
				front_send(&p, next_id++);
			xpv_ring_push(&p.front);
			break;
		case 1:
			notified |= back_answer(&p, 0, n);
			break;
		case 2:
			if (!notified)
				break;
			notified = false;
			do {
				while (xpv_ring_get_response(&p.front, &rsp,
							     sizeof(rsp)) == 1)
					ck_assert_uint_eq(rsp.id, expect_id++);
			} while (final_check(&p.front));
			break;
		}
		if (!notified && p.back.rsp_prod_pvt == p.front.req_pushed)
			ck_assert_uint_eq(p.front.rsp_cons, p.s->rsp_prod);
	}
	ck_assert_uint_gt(expect_id, 20000 / 8);
	pair_free(&p);
}

START_TEST(no_stall_final_check)
{
	no_stall(xpv_ring_final_check, 0xffffffffu - 300 * _i, 7 + _i);
}
END_TEST

START_TEST(no_stall_final_check_batch)
{
	no_stall(xpv_ring_final_check_batch, 0xffffffffu - 300 * _i, 70 + _i);
}
END_TEST

START_TEST(response_copied_once)
{
	struct pair p;
	struct t_rsp rsp;

	pair_init(&p, PAGE, 0);
	front_send(&p, 42);
	xpv_ring_push(&p.front);
	back_answer_all(&p, -5);
	ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp, sizeof(rsp)), 1);
	/* The backend rewriting the slot afterwards changes nothing. */
	RING_GET_RESPONSE(&p.back, 0)->id = 99;
	ck_assert_uint_eq(rsp.id, 42);
	ck_assert_int_eq(rsp.status, -5);
	ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp,
					       sizeof(union t_sring_entry) + 1),
			 -EINVAL);
	pair_free(&p);
}
END_TEST

START_TEST(lying_backend_breaks_ring)
{
	/* rsp_prod offsets from rsp_cons that no honest backend can publish. */
	static const RING_IDX lies[] = { 4, 5, 64, 65, 0x80000000u, 0xffffffffu };
	struct pair p;
	struct t_rsp rsp;
	unsigned int i;

	for (i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
		pair_init(&p, PAGE, 0xfffffffeu);
		front_send(&p, 1);
		front_send(&p, 2);
		front_send(&p, 3);
		xpv_ring_push(&p.front);
		front_send(&p, 4);	/* prepared, never published */
		p.s->rsp_prod = p.front.rsp_cons + lies[i];
		ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp,
						       sizeof(rsp)), -EIO);
		/* Broken for good, even if the backend takes it back. */
		p.s->rsp_prod = p.front.rsp_cons;
		ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp,
						       sizeof(rsp)), -EIO);
		ck_assert(xpv_ring_final_check(&p.front));
		pair_free(&p);
	}
}
END_TEST

START_TEST(honest_maximum_is_accepted)
{
	struct pair p;
	struct t_rsp rsp;
	int i;

	pair_init(&p, PAGE, 0xfffffff0u);
	front_publish(&p, 64);
	back_answer_all(&p, 0);
	for (i = 0; i < 64; i++) {
		ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp,
						       sizeof(rsp)), 1);
		ck_assert_uint_eq(rsp.id, (uint64_t)i);
	}
	ck_assert_int_eq(xpv_ring_get_response(&p.front, &rsp, sizeof(rsp)), 0);
	pair_free(&p);
}
END_TEST

/*
 * Random interleavings of front and back work, with a reference front end
 * (FRONT_RING_* macros) on a second page doing the same: every notification
 * decision, every response and every count must agree, across index wrap.
 */
static void differential(RING_IDX start, unsigned int seed, int steps)
{
	struct pair p, q;
	struct t_front_ring ref;
	uint64_t next_id = 0, expect_id = 0;
	int step;

	srand(seed);
	pair_init(&p, PAGE, start);
	pair_init(&q, PAGE, start);
	FRONT_RING_ATTACH(&ref, q.s, start, PAGE);

	for (step = 0; step < steps; step++) {
		int op = rand() % 4, n = rand() % 20, i;
		bool ours, theirs;

		switch (op) {
		case 0:	/* front: prepare a batch, publish it */
			for (i = 0; i < n && !RING_FULL(&ref); i++) {
				struct t_req *r = RING_GET_REQUEST(&ref, ref.req_prod_pvt);

				front_send(&p, next_id);
				r->id = next_id++;
				ref.req_prod_pvt++;
			}
			ours = xpv_ring_push(&p.front);
			RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&ref, theirs);
			ck_assert_int_eq(ours, theirs);
			break;
		case 1:	/* back: answer everything, maybe re-arm */
			ours = back_answer_all(&p, 0);
			theirs = back_answer_all(&q, 0);
			ck_assert_int_eq(ours, theirs);
			if (rand() % 2) {
				RING_FINAL_CHECK_FOR_REQUESTS(&p.back, ours);
				RING_FINAL_CHECK_FOR_REQUESTS(&q.back, theirs);
				ck_assert_int_eq(ours, theirs);
			}
			break;
		case 2:	/* front: consume up to n responses */
			for (i = 0; i < n; i++) {
				struct t_rsp rsp;
				int got = xpv_ring_get_response(&p.front, &rsp,
								sizeof(rsp));

				ck_assert_int_ge(got, 0);
				ck_assert_int_eq(got, RING_HAS_UNCONSUMED_RESPONSES(&ref));
				if (!got)
					break;
				RING_COPY_RESPONSE(&ref, ref.rsp_cons, &rsp);
				ck_assert_uint_eq(rsp.id, expect_id);
				ref.rsp_cons++;
				expect_id++;
			}
			break;
		case 3:	/* front: final check before sleeping */
			ours = xpv_ring_final_check(&p.front);
			RING_FINAL_CHECK_FOR_RESPONSES(&ref, theirs);
			ck_assert_int_eq(ours, theirs);
			break;
		}
		ck_assert_uint_eq(xpv_ring_free_requests(&p.front),
				  RING_FREE_REQUESTS(&ref));
		ck_assert_uint_eq(p.s->req_prod, q.s->req_prod);
		ck_assert_uint_eq(p.s->rsp_event, q.s->rsp_event);
	}
	ck_assert_uint_gt(expect_id, (uint64_t)steps / 8);
	pair_free(&p);
	pair_free(&q);
}

START_TEST(differential_from_zero)
{
	differential(0, 1 + _i, 20000);
}
END_TEST

START_TEST(differential_across_wrap)
{
	differential(0xffffffffu - 500, 100 + _i, 20000);
}
END_TEST

static Suite *ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, size_matches_abi);
	tcase_add_test(tc, init_resets_shared_page);
	tcase_add_test(tc, init_rejects_bad_geometry);
	tcase_add_test(tc, full_ring_refuses_more);
	tcase_add_test(tc, batch_costs_one_notification);
	tcase_add_test(tc, final_check_never_loses_a_response);
	tcase_add_test(tc, final_check_batch_waits_for_half);
	tcase_add_loop_test(tc, no_stall_final_check, 0, 4);
	tcase_add_loop_test(tc, no_stall_final_check_batch, 0, 4);
	tcase_add_test(tc, response_copied_once);
	tcase_add_test(tc, lying_backend_breaks_ring);
	tcase_add_test(tc, honest_maximum_is_accepted);
	tcase_add_loop_test(tc, differential_from_zero, 0, 4);
	tcase_add_loop_test(tc, differential_across_wrap, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}
XPV_SUITE(ring_suite)
