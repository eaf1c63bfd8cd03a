// SPDX-License-Identifier: GPL-2.0-only
/*
 * netfront/rx.c against a fake backend built from the ABI's BACK_RING_*
 * macros, laying packets out as Linux netback's rx.c does (data slot, its
 * extra-info slots, more data slots), honestly or not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <asm/barrier.h>
#include <linux/if_ether.h>
#include <xpv/ring.h>
#include <xen/interface/io/netif.h>
#include "../../netfront/rx.h"
#include "netfront_fake.h"
#include "suites.h"

#define PAGE 4096
#define GSO_BOTH (1U << XEN_NETIF_GSO_TYPE_TCPV4 | 1U << XEN_NETIF_GSO_TYPE_TCPV6)

struct rq {
	void *shared;
	struct xpv_nf_rx rx;
	struct xpv_nf_counters cnt;
	struct fake_gnttab g;
	struct xen_netif_rx_back_ring back;
	unsigned int live;		/* buffers allocated, not freed */
	unsigned int fail_alloc;	/* next allocations to fail */
};

/* A packet as the backend sends it. */
struct bpkt {
	const uint8_t *data;
	unsigned int len;
	uint16_t flags;			/* csum flags of the first slot */
	uint8_t gso_type;
	uint16_t gso_size;
	bool hash;
	uint32_t hash_value;
	int16_t fail_status;		/* if < 0: every data slot failed */
};

static int r_alloc(void *ctx, void **cookie, grant_ref_t *ref)
{
	struct rq *q = ctx;
	void *page;
	int rc;

	if (q->fail_alloc) {
		q->fail_alloc--;
		return -ENOMEM;
	}
	page = aligned_alloc(PAGE, PAGE);
	ck_assert_ptr_nonnull(page);
	memset(page, 0xee, PAGE);
	rc = fake_grant(&q->g, page, 0, true, ref);
	if (rc) {
		free(page);
		return rc;
	}
	q->g.e[*ref].cookie = page;
	*cookie = page;
	q->live++;
	return 0;
}

static int r_end(void *ctx, grant_ref_t ref, void *cookie)
{
	struct rq *q = ctx;
	int rc;

	ck_assert(ref < FAKE_GREFS && q->g.e[ref].used);
	ck_assert_ptr_eq(q->g.e[ref].cookie, cookie);
	rc = fake_end_access(&q->g, ref);
	if (rc == -EBUSY) {
		/* The driver's deferred release frees it later. */
		free(cookie);
		q->live--;
	}
	return rc;
}

static void r_free(void *ctx, void *cookie)
{
	struct rq *q = ctx;

	free(cookie);
	q->live--;
}

static const struct xpv_nf_rx_ops r_ops = {
	.alloc = r_alloc,
	.end_access = r_end,
	.free = r_free,
};

static struct rq *rq_new(unsigned int max_frags, unsigned int gso)
{
	struct rq *q = calloc(1, sizeof(*q));
	bool notify;

	ck_assert_ptr_nonnull(q);
	q->shared = aligned_alloc(PAGE, PAGE);
	fake_gnttab_init(&q->g);
	ck_assert_int_eq(xpv_nf_rx_init(&q->rx, q->shared, PAGE, max_frags,
					gso, &r_ops, q, &q->cnt), 0);
	BACK_RING_ATTACH(&q->back, (struct xen_netif_rx_sring *)q->shared, 0,
			 PAGE);
	ck_assert_int_eq(xpv_nf_rx_refill(&q->rx, &notify), 256);
	ck_assert(notify);
	return q;
}

/* Teardown must leave nothing: every buffer freed, every grant ended. */
static void rq_free(struct rq *q)
{
	xpv_nf_rx_release_all(&q->rx);
	ck_assert_uint_eq(q->live, 0);
	ck_assert_uint_eq(q->g.in_use, 0);
	ck_assert_uint_eq(q->g.bad_ends, 0);
	free(q->shared);
	free(q);
}

static void pkt_free(struct rq *q, struct xpv_nf_rx_pkt *p)
{
	unsigned int i;

	for (i = 0; i < p->nr_frags; i++)
		r_free(q, p->frags[i].cookie);
}

static struct xen_netif_rx_response *back_slot(struct rq *q,
					       struct xen_netif_rx_request *req)
{
	ck_assert(RING_HAS_UNCONSUMED_REQUESTS(&q->back));
	RING_COPY_REQUEST(&q->back, q->back.req_cons, req);
	return RING_GET_RESPONSE(&q->back, q->back.req_cons++);
}

/* Netback's layout of one packet; returns the index of its first slot. */
static RING_IDX back_send(struct rq *q, const struct bpkt *p)
{
	RING_IDX first = q->back.req_cons;
	unsigned int done = 0, slot = 0;
	int extras = (p->gso_type != 0) + p->hash;

	do {
		struct xen_netif_rx_request req;
		struct xen_netif_rx_response *rsp = back_slot(q, &req);

		if (slot && extras) {
			struct xen_netif_extra_info *x = (void *)rsp;

			memset(x, 0, sizeof(*x));
			if (p->gso_type && extras == 1 + p->hash) {
				x->type = XEN_NETIF_EXTRA_TYPE_GSO;
				x->u.gso.type = p->gso_type;
				x->u.gso.size = p->gso_size;
			} else {
				x->type = XEN_NETIF_EXTRA_TYPE_HASH;
				x->u.hash.type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
				memcpy(x->u.hash.value, &p->hash_value, 4);
			}
			if (--extras)
				x->flags = XEN_NETIF_EXTRA_FLAG_MORE;
		} else {
			struct fake_grant *g = &q->g.e[req.gref];
			unsigned int n = p->len - done;

			if (n > PAGE)
				n = PAGE;
			ck_assert(g->used && g->writable);
			memcpy(g->page, p->data + done, n);
			done += n;
			rsp->id = req.id;
			rsp->offset = 0;
			rsp->flags = done < p->len ? XEN_NETRXF_more_data : 0;
			if (slot == 0) {
				rsp->flags |= p->flags;
				if (extras)
					rsp->flags |= XEN_NETRXF_extra_info;
			}
			rsp->status = p->fail_status < 0 ? p->fail_status : (int16_t)n;
		}
		slot++;
	} while (done < p->len || extras);
	q->back.rsp_prod_pvt = q->back.req_cons;
	return first;
}

/*
 * Backend: forget the slots it took but did not publish, as if it had never
 * taken them. The requests there were overwritten by the responses it
 * wrote: restore them from what the front end posted.
 */
static void back_rewind(struct rq *q)
{
	RING_IDX i;

	for (i = q->back.rsp_prod_pvt; i != q->back.req_cons; i++) {
		struct xen_netif_rx_request *req = RING_GET_REQUEST(&q->back, i);

		req->id = i % 256;
		req->gref = q->rx.bufs[i % 256].gref;
	}
	q->back.req_cons = q->back.rsp_prod_pvt;
}

static void back_push(struct rq *q)
{
	bool notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->back, notify);
	(void)notify;
}

static uint8_t data[90000];

static void fill_data(uint32_t seed)
{
	unsigned int i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = fake_rand(&seed);
}

static void check_pkt(const struct xpv_nf_rx_pkt *p, const uint8_t *d,
		      unsigned int len)
{
	unsigned int i, off = 0;

	ck_assert_uint_eq(p->len, len);
	for (i = 0; i < p->nr_frags; i++) {
		const struct xpv_nf_rx_frag *f = &p->frags[i];

		ck_assert_uint_gt(f->len, 0);
		ck_assert_uint_le(f->offset + f->len, PAGE);
		ck_assert(memcmp((uint8_t *)f->cookie + f->offset, d + off,
				 f->len) == 0);
		off += f->len;
	}
	ck_assert_uint_eq(off, len);
}

/* Receive one honest packet and check it; frees its buffers. */
static void recv_ok(struct rq *q, const struct bpkt *b)
{
	struct xpv_nf_rx_pkt p;

	ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), 1);
	check_pkt(&p, b->data, b->len);
	pkt_free(q, &p);
}

START_TEST(refill_watermarks)
{
	struct rq *q = rq_new(XPV_NF_RX_MAX_FRAGS, 0);
	struct xen_netif_rx_sring *s = q->shared;
	struct bpkt b = { .data = data, .len = 100 };
	bool notify;
	unsigned int i;

	/* Every request names its slot and a writable grant of ours. */
	for (i = 0; i < 256; i++) {
		ck_assert_uint_eq(s->ring[i].req.id, i);
		ck_assert(q->g.e[s->ring[i].req.gref].writable);
	}
	ck_assert_uint_eq(q->live, 256);
	ck_assert_uint_eq(xpv_nf_rx_posted(&q->rx), 256);
	ck_assert_int_eq(xpv_nf_rx_refill(&q->rx, &notify), 0);
	ck_assert(!notify);
	/* 10 packets: fewer free slots than a batch, no allocation. */
	for (i = 0; i < 10; i++)
		back_send(q, &b);
	back_push(q);
	for (i = 0; i < 10; i++)
		recv_ok(q, &b);
	ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, NULL), 0);
	ck_assert_int_eq(xpv_nf_rx_refill(&q->rx, &notify), 0);
	ck_assert_uint_eq(xpv_nf_rx_posted(&q->rx), 246);
	/* A batch free: refilled to the target in one push. */
	for (i = 0; i < 30; i++)
		back_send(q, &b);
	back_push(q);
	for (i = 0; i < 30; i++)
		recv_ok(q, &b);
	ck_assert_int_eq(xpv_nf_rx_refill(&q->rx, &notify), 40);
	ck_assert_uint_eq(xpv_nf_rx_posted(&q->rx), 256);
	ck_assert_uint_eq(q->cnt.rx_kicks, 1 + notify);
	/* Starved: allocation failures are counted, the refill stops. */
	for (i = 0; i < 250; i++)
		back_send(q, &b);
	back_push(q);
	for (i = 0; i < 250; i++)
		recv_ok(q, &b);
	q->fail_alloc = 1;
	ck_assert_int_eq(xpv_nf_rx_refill(&q->rx, &notify), 0);
	ck_assert_uint_eq(q->cnt.rx_refill_fail, 1);
	ck_assert_uint_lt(xpv_nf_rx_posted(&q->rx), XPV_NF_RX_MIN_POSTED);
	ck_assert_int_eq(xpv_nf_rx_refill(&q->rx, &notify), 250);
	ck_assert_uint_eq(q->live, 256);
	rq_free(q);
}
END_TEST

START_TEST(one_slot_and_checksums)
{
	static const struct { uint16_t flags; enum xpv_nf_csum c; } t[] = {
		{ 0, XPV_NF_CSUM_NONE },
		{ XEN_NETRXF_data_validated, XPV_NF_CSUM_UNNECESSARY },
		{ XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated,
		  XPV_NF_CSUM_PARTIAL },
		{ XEN_NETRXF_csum_blank, XPV_NF_CSUM_PARTIAL },
	};
	struct rq *q = rq_new(XPV_NF_RX_MAX_FRAGS, 0);
	unsigned int i;

	fill_data(1);
	for (i = 0; i < 4; i++) {
		struct bpkt b = { .data = data + i, .len = 60 + i,
				  .flags = t[i].flags };
		struct xpv_nf_rx_pkt p;

		back_send(q, &b);
		back_push(q);
		ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), 1);
		ck_assert_uint_eq(p.nr_frags, 1);
		ck_assert_int_eq(p.csum, t[i].c);
		ck_assert_uint_eq(p.gso_type, 0);
		ck_assert(!p.has_hash);
		check_pkt(&p, b.data, b.len);
		pkt_free(q, &p);
	}
	ck_assert_uint_eq(q->cnt.rx_packets, 4);
	ck_assert_uint_eq(q->cnt.rx_bytes, 60 * 4 + 6);
	ck_assert_uint_eq(q->cnt.rx_csum_blank, 2);
	/* The delivered buffers' grants were ended. */
	ck_assert_uint_eq(q->g.in_use, 252);
	rq_free(q);
}
END_TEST

START_TEST(multi_slot_with_extras)
{
	struct rq *q = rq_new(XPV_NF_RX_MAX_FRAGS, GSO_BOTH);
	struct bpkt b = { .data = data, .len = 65536,
			  .flags = XEN_NETRXF_csum_blank | XEN_NETRXF_data_validated,
			  .gso_type = XEN_NETIF_GSO_TYPE_TCPV6, .gso_size = 1440,
			  .hash = true, .hash_value = 0xa1b2c3d4 };
	struct xpv_nf_rx_pkt p;

	fill_data(2);
	back_send(q, &b);
	back_push(q);
	ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), 1);
	ck_assert_uint_eq(p.nr_frags, 16);
	ck_assert_uint_eq(p.gso_type, XEN_NETIF_GSO_TYPE_TCPV6);
	ck_assert_uint_eq(p.gso_size, 1440);
	ck_assert(p.has_hash);
	ck_assert_uint_eq(p.hash, 0xa1b2c3d4);
	ck_assert_uint_eq(p.hash_type, _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP);
	ck_assert_int_eq(p.csum, XPV_NF_CSUM_PARTIAL);
	check_pkt(&p, b.data, b.len);
	pkt_free(q, &p);
	/* The two extra-info slots' buffers went straight back. */
	ck_assert_uint_eq(q->cnt.rx_recycled, 2);
	ck_assert_uint_eq(q->cnt.rx_slots, 18);
	ck_assert_uint_eq(q->cnt.rx_gso, 1);
	ck_assert_uint_eq(xpv_nf_rx_posted(&q->rx), 256 - 16);
	/* GSO without hash, and one slot only. */
	b.len = 1000;
	b.hash = false;
	b.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
	back_send(q, &b);
	back_push(q);
	ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), 1);
	ck_assert_uint_eq(p.gso_type, XEN_NETIF_GSO_TYPE_TCPV4);
	ck_assert(!p.has_hash);
	check_pkt(&p, b.data, b.len);
	pkt_free(q, &p);
	rq_free(q);
}
END_TEST

/* Malformed packets: each is dropped whole, named, its buffers re-posted. */
enum bad { B_OFFSET, B_ZERO, B_ID, B_SHORT, B_LONG, B_SLOTS, B_CUT_DATA,
	   B_CUT_EXTRA, B_XTYPE0, B_XTYPE_MAX, B_XDUP, B_GSO0, B_GSO_TYPE,
	   B_GSO_V6, B_MCAST, B_PREFIX, NR_BAD };

static const char *const bad_what[NR_BAD] = {
	"rx: data beyond the end of the page", "rx: empty data slot",
	"rx: response id does not echo its request",
	"rx: packet shorter than an Ethernet header", "rx: packet too long",
	"rx: packet of too many slots",
	"rx: chain cut short after more_data",
	"rx: chain cut short in extra info",
	"rx: extra info of unknown type", "rx: extra info of unknown type",
	"rx: extra info type given twice", "rx: GSO size zero",
	"rx: GSO type not advertised", "rx: GSO type not advertised",
	"rx: extra info type not valid on rx",
	"rx: GSO prefix never requested",
};

START_TEST(malformed_dropped)
{
	/* A driver with fewer frags than netif allows, for B_SLOTS. */
	struct rq *q = rq_new(_i == B_SLOTS ? 4 : XPV_NF_RX_MAX_FRAGS,
			      1U << XEN_NETIF_GSO_TYPE_TCPV4);
	struct bpkt b = { .data = data, .len = 9000,
			  .gso_type = XEN_NETIF_GSO_TYPE_TCPV4, .gso_size = 1000,
			  .hash = true };
	struct bpkt good = { .data = data + 7, .len = 3000 };
	struct xen_netif_rx_response *r;
	struct xen_netif_extra_info *x;
	struct xpv_nf_rx_pkt p;
	RING_IDX f;
	bool notify;

	fill_data(3);
	if (_i == B_SHORT)
		b.len = ETH_HLEN - 1;
	if (_i == B_LONG || _i == B_SLOTS)
		b.len = _i == B_LONG ? 17 * PAGE : 4 * PAGE + 1;
	if (_i == B_SLOTS) {
		b.gso_type = 0;
		b.hash = false;
	}
	f = back_send(q, &b);
	r = RING_GET_RESPONSE(&q->back, f);
	x = (void *)RING_GET_RESPONSE(&q->back, f + 1);
	switch (_i) {
	case B_OFFSET:
		RING_GET_RESPONSE(&q->back, f + 3)->offset = 1;
		break;
	case B_ZERO:
		RING_GET_RESPONSE(&q->back, f + 4)->status = 0;
		break;
	case B_ID:
		r->id ^= 1;
		break;
	case B_CUT_DATA:	/* the last data slot never comes */
		q->back.rsp_prod_pvt--;
		break;
	case B_CUT_EXTRA:	/* nor anything after the first extra */
		x->flags |= XEN_NETIF_EXTRA_FLAG_MORE;
		q->back.rsp_prod_pvt = f + 2;
		break;
	case B_XTYPE0:
		x->type = 0;
		break;
	case B_XTYPE_MAX:
		x[1].type = XEN_NETIF_EXTRA_TYPE_MAX;
		break;
	case B_XDUP:
		*(x + 1) = *x;
		x[1].flags = 0;
		break;
	case B_GSO0:
		x->u.gso.size = 0;
		break;
	case B_GSO_TYPE:
		x->u.gso.type = 3;
		break;
	case B_GSO_V6:
		x->u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
		break;
	case B_MCAST:
		x[1].type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
		break;
	case B_PREFIX:
		r->flags |= XEN_NETRXF_gso_prefix;
		break;
	default:
		break;
	}
	/* x + 1 above: extra slots are 8 bytes, as rx responses are. */
	ck_assert_uint_eq(sizeof(*x), sizeof(*r));
	back_push(q);
	ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), -EBADMSG);
	ck_assert_str_eq(q->rx.lie.what, bad_what[_i]);
	ck_assert_uint_eq(q->cnt.rx_malformed, 1);
	ck_assert_uint_eq(q->cnt.lying, 1);
	ck_assert_uint_eq(q->cnt.rx_packets, 0);
	/* Nothing was lost: every buffer is posted again. */
	ck_assert_uint_eq(xpv_nf_rx_posted(&q->rx), 256);
	ck_assert_uint_eq(q->live, 256);
	ck_assert_uint_eq(q->g.in_use, 256);
	/* And the next packet comes through. */
	if (_i == B_CUT_DATA || _i == B_CUT_EXTRA)
		back_rewind(q);
	xpv_nf_rx_refill(&q->rx, &notify);
	back_send(q, &good);
	back_push(q);
	recv_ok(q, &good);
	rq_free(q);
}
END_TEST

START_TEST(backend_error_status)
{
	struct rq *q = rq_new(XPV_NF_RX_MAX_FRAGS, 0);
	struct bpkt b = { .data = data, .len = 5000, .fail_status = -1 };
	struct xpv_nf_rx_pkt p;

	back_send(q, &b);
	back_push(q);
	ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), -EBADMSG);
	ck_assert_uint_eq(q->cnt.rx_errors, 1);
	ck_assert_uint_eq(q->cnt.rx_malformed, 0);
	ck_assert_uint_eq(q->cnt.lying, 0);
	ck_assert_ptr_null(q->rx.lie.what);
	ck_assert_uint_eq(xpv_nf_rx_posted(&q->rx), 256);
	rq_free(q);
}
END_TEST

START_TEST(lies_break_the_queue)
{
	struct rq *q = rq_new(XPV_NF_RX_MAX_FRAGS, 0);
	struct bpkt b = { .data = data, .len = 5000 };
	grant_ref_t second = RING_GET_REQUEST(&q->back, 1)->gref;
	struct xpv_nf_rx_pkt p;
	bool notify;

	back_send(q, &b);
	back_push(q);
	if (_i == 0) {
		/* More responses than requests. */
		q->back.sring->rsp_prod = q->back.req_cons + 300;
		ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), -EIO);
		ck_assert_str_eq(q->rx.lie.what,
				 "rx: more responses than requests");
	} else {
		/* The backend keeps the second page mapped. */
		q->g.e[second].mapped = true;
		ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), -EIO);
		ck_assert_str_eq(q->rx.lie.what,
				 "rx: page still mapped after its response");
		ck_assert_uint_eq(q->live, 254);
	}
	ck_assert(q->rx.broken);
	ck_assert_uint_eq(q->cnt.lying, 1);
	ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), -EIO);
	ck_assert_int_eq(xpv_nf_rx_refill(&q->rx, &notify), 0);
	rq_free(q);
}
END_TEST

START_TEST(init_limits)
{
	static uint8_t page[PAGE];
	struct xpv_nf_rx rx;
	struct xpv_nf_counters c;

	ck_assert_int_eq(xpv_nf_rx_init(&rx, page, PAGE, 0, 0, &r_ops, NULL,
					&c), -EINVAL);
	ck_assert_int_eq(xpv_nf_rx_init(&rx, page, PAGE, 19, 0, &r_ops, NULL,
					&c), -EINVAL);
	ck_assert_int_eq(xpv_nf_rx_init(&rx, page, PAGE, 17, 1U << 3, &r_ops,
					NULL, &c), -EINVAL);
	ck_assert_int_eq(xpv_nf_rx_init(&rx, page, 2 * PAGE, 17, 0, &r_ops,
					NULL, &c), -EINVAL);
	ck_assert_int_eq(xpv_nf_rx_init(&rx, page, PAGE, 17, 0, &r_ops,
					NULL, &c), 0);
	ck_assert_uint_eq(rx.ring.nr_ents, XPV_NF_RX_RING_SIZE);
}
END_TEST

/*
 * Honest traffic of random sizes and offloads, refilled as NAPI would, with
 * packets sometimes mutated in ways that keep the chain's shape (so the next
 * packet must come through): each mutated one is dropped and named, each
 * other one arrives byte for byte, nothing leaks.
 */
START_TEST(fuzz_mutated)
{
	struct rq *q = rq_new(XPV_NF_RX_MAX_FRAGS, GSO_BOTH);
	uint32_t seed = 0xfeed + _i;
	unsigned int round, bad = 0, good = 0;

	fill_data(seed);
	for (round = 0; round < 300; round++) {
		struct bpkt b = { 0 };
		struct xpv_nf_rx_pkt p;
		unsigned int nslots, m = fake_rand(&seed) % 10;
		RING_IDX f;
		bool notify;
		int rc;

		b.len = ETH_HLEN + fake_rand(&seed) % 65000;
		b.data = data + fake_rand(&seed) % 4000;
		b.flags = fake_rand(&seed) % 4;
		if (fake_rand(&seed) % 3 == 0) {
			b.gso_type = 1 + fake_rand(&seed) % 2;
			b.gso_size = 1 + fake_rand(&seed) % 9000;
		}
		b.hash = fake_rand(&seed) % 5 == 0;
		b.hash_value = fake_rand(&seed);
		f = back_send(q, &b);
		nslots = q->back.req_cons - f;
		if (m < 4) {
			/* One response of the chain, made impossible. */
			RING_IDX k = f + fake_rand(&seed) % nslots;
			struct xen_netif_rx_response *r =
				RING_GET_RESPONSE(&q->back, k);
			bool extra = k > f && k <= f + (b.gso_type != 0) +
				     b.hash;

			if (extra)
				((struct xen_netif_extra_info *)r)->type =
					XEN_NETIF_EXTRA_TYPE_MAX +
					fake_rand(&seed) % 250;
			else if (m == 0)
				r->offset = PAGE - r->status + 1 +
					    fake_rand(&seed) % 100;
			else if (m == 1)
				r->id += 1 + fake_rand(&seed) % 255;
			else if (m == 2)
				r->status = 0;
			else
				r->flags |= XEN_NETRXF_gso_prefix;
			if (m == 3 && k != f)	/* only the first slot's */
				r->status = 0;
		}
		back_push(q);
		rc = xpv_nf_rx_get_packet(&q->rx, &p);
		if (m < 4) {
			ck_assert_int_eq(rc, -EBADMSG);
			bad++;
		} else {
			ck_assert_int_eq(rc, 1);
			check_pkt(&p, b.data, b.len);
			ck_assert_uint_eq(p.gso_type, b.gso_type);
			ck_assert_uint_eq(p.has_hash, b.hash);
			pkt_free(q, &p);
			good++;
		}
		ck_assert_int_eq(xpv_nf_rx_get_packet(&q->rx, &p), 0);
		xpv_nf_rx_refill(&q->rx, &notify);
		ck_assert_uint_eq(q->cnt.rx_malformed, bad);
		ck_assert_uint_eq(q->cnt.rx_packets, good);
	}
	ck_assert_uint_gt(bad, 50);
	ck_assert_uint_gt(good, 100);
	rq_free(q);
}
END_TEST

/*
 * Pure garbage in the response slots, then a producer index anywhere:
 * never a crash, never a buffer lost or handed out twice.
 */
START_TEST(fuzz_garbage)
{
	uint32_t seed = 0x5eed0 + _i;
	unsigned int trial;

	for (trial = 0; trial < 200; trial++) {
		struct rq *q = rq_new(1 + fake_rand(&seed) % 18,
				      fake_rand(&seed) % 4 * 2);
		struct xen_netif_rx_sring *s = q->shared;
		unsigned int n = fake_rand(&seed) % 256, i;
		struct xpv_nf_rx_pkt p;
		int rc;

		for (i = 0; i < n; i++) {
			struct xen_netif_rx_response *r = &s->ring[i].rsp;

			r->id = fake_rand(&seed) % 4 ? i : fake_rand(&seed);
			r->offset = fake_rand(&seed) % 3 ? 0 : fake_rand(&seed);
			r->flags = fake_rand(&seed) & 0x1f;
			r->status = fake_rand(&seed) % 4 ?
				    (int16_t)(fake_rand(&seed) % 5000) :
				    (int16_t)fake_rand(&seed);
		}
		s->rsp_prod = fake_rand(&seed) % 8 ? n : fake_rand(&seed);
		do {
			rc = xpv_nf_rx_get_packet(&q->rx, &p);
			if (rc == 1) {
				unsigned int k, len = 0;

				ck_assert_uint_le(p.nr_frags, q->rx.max_frags);
				for (k = 0; k < p.nr_frags; k++) {
					ck_assert_uint_gt(p.frags[k].len, 0);
					ck_assert_uint_le(p.frags[k].offset +
							  p.frags[k].len, PAGE);
					len += p.frags[k].len;
				}
				ck_assert_uint_eq(len, p.len);
				ck_assert_uint_ge(p.len, ETH_HLEN);
				ck_assert_uint_le(p.len, XPV_NF_RX_MAX_LEN);
				pkt_free(q, &p);
			}
		} while (rc != 0 && rc != -EIO);
		ck_assert_uint_eq(q->live, xpv_nf_rx_posted(&q->rx));
		rq_free(q);
	}
}
END_TEST

static Suite *netfront_rx_suite(void)
{
	Suite *s = suite_create("netfront_rx");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, refill_watermarks);
	tcase_add_test(tc, one_slot_and_checksums);
	tcase_add_test(tc, multi_slot_with_extras);
	tcase_add_loop_test(tc, malformed_dropped, 0, NR_BAD);
	tcase_add_test(tc, backend_error_status);
	tcase_add_loop_test(tc, lies_break_the_queue, 0, 2);
	tcase_add_test(tc, init_limits);
	tcase_add_loop_test(tc, fuzz_mutated, 0, 4);
	tcase_add_loop_test(tc, fuzz_garbage, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}
XPV_SUITE(netfront_rx_suite)
