// SPDX-License-Identifier: GPL-2.0-only
/*
 * netfront/txids.c and netfront/tx.c against a fake backend built from the
 * ABI's BACK_RING_* macros: it parses the TX requests as Linux netback does,
 * reads the packet back through the fake grant table and compares it with
 * what was sent, answers in or out of order, honestly or not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <asm/barrier.h>
#include <linux/if_ether.h>
#include <xpv/ring.h>
#include <xen/interface/io/netif.h>
#include "../../netfront/tx.h"
#include "netfront_fake.h"
#include "suites.h"

#define PAGE 4096
#define NPAGES 20
#define MAX_PKTS 600

/* A transmit queue, its fake backend and fake grant table. */
struct tq {
	void *shared;
	struct xpv_nf_tx tx;
	struct xpv_nf_counters cnt;
	struct fake_gnttab g;
	struct xen_netif_tx_back_ring back;
	uint8_t *mem;		/* NPAGES pages the packets live in */
	unsigned int done[MAX_PKTS];	/* complete() calls per cookie */
	int last_status[MAX_PKTS];
	unsigned int bad_completes;
	/* Backend: responses waiting to be sent, in any order. */
	struct xen_netif_tx_response pend[1024];
	unsigned int nr_pend;
};

static int t_grant(void *ctx, void *page, unsigned int offset,
		   grant_ref_t *ref)
{
	struct tq *q = ctx;

	ck_assert_uint_eq(offset % PAGE, 0);
	return fake_grant(&q->g, page, offset, false, ref);
}

static int t_end(void *ctx, grant_ref_t ref, void *page)
{
	struct tq *q = ctx;

	if (ref < FAKE_GREFS && q->g.e[ref].used)
		ck_assert_ptr_eq(q->g.e[ref].page, page);
	return fake_end_access(&q->g, ref);
}

static void t_complete(void *ctx, void *cookie, int status)
{
	struct tq *q = ctx;
	uintptr_t c = (uintptr_t)cookie;

	if (c == 0 || c >= MAX_PKTS) {
		q->bad_completes++;
		return;
	}
	q->done[c]++;
	q->last_status[c] = status;
}

static const struct xpv_nf_tx_ops t_ops = {
	.grant = t_grant,
	.end_access = t_end,
	.complete = t_complete,
};

static struct tq *tq_new(unsigned int max_slots, unsigned int gso)
{
	struct tq *q = calloc(1, sizeof(*q));
	unsigned int i;

	ck_assert_ptr_nonnull(q);
	q->shared = aligned_alloc(PAGE, PAGE);
	q->mem = aligned_alloc(PAGE, NPAGES * PAGE);
	ck_assert_ptr_nonnull(q->shared);
	ck_assert_ptr_nonnull(q->mem);
	for (i = 0; i < NPAGES * PAGE; i++)
		q->mem[i] = (uint8_t)(i * 7 + i / 251);
	fake_gnttab_init(&q->g);
	ck_assert_int_eq(xpv_nf_tx_init(&q->tx, q->shared, PAGE, max_slots,
					gso, &t_ops, q, &q->cnt), 0);
	BACK_RING_ATTACH(&q->back, (struct xen_netif_tx_sring *)q->shared, 0,
			 PAGE);
	return q;
}

static void tq_free(struct tq *q)
{
	free(q->shared);
	free(q->mem);
	free(q);
}

static struct xen_netif_tx_request *tq_req(struct tq *q, RING_IDX i)
{
	return RING_GET_REQUEST(&q->back, i);
}

/* Frag of the test memory: page index p (a 16 KiB "compound" page if big). */
static struct xpv_nf_frag fr(struct tq *q, unsigned int p, unsigned int off,
			     unsigned int len)
{
	return (struct xpv_nf_frag){ .page = q->mem + p * PAGE,
				     .offset = off, .len = len };
}

static struct xpv_nf_tx_pkt pk(uintptr_t cookie, const struct xpv_nf_frag *f,
			       unsigned int n)
{
	return (struct xpv_nf_tx_pkt){ .cookie = (void *)cookie, .frags = f,
				       .nr_frags = n };
}

/*
 * Backend: consume one packet's requests as netback does (count, sizes,
 * page crossing, extras), read its bytes through the grants and compare
 * with @f; queue its responses. Returns the number of data slots.
 */
static unsigned int back_take_packet(struct tq *q,
				     const struct xpv_nf_frag *f,
				     unsigned int nf, int16_t status)
{
	struct xen_netif_tx_request first, r;
	uint8_t want[70000], got[70000];
	unsigned int wlen = 0, glen = 0, slots = 0, rest, i;

	for (i = 0; i < nf; i++) {
		memcpy(want + wlen, (uint8_t *)f[i].page + f[i].offset,
		       f[i].len);
		wlen += f[i].len;
	}
	ck_assert(RING_HAS_UNCONSUMED_REQUESTS(&q->back));
	RING_COPY_REQUEST(&q->back, q->back.req_cons++, &first);
	ck_assert_uint_eq(first.size, wlen);
	r = first;
	rest = first.size;
	for (;;) {
		struct fake_grant *g = &q->g.e[r.gref];
		unsigned int own = slots ? r.size : 0;

		ck_assert(r.gref < FAKE_GREFS && g->used && !g->writable);
		if (slots) {
			ck_assert_uint_le(own, rest);
			rest -= own;
		}
		slots++;
		if (slots == 1 && (r.flags & XEN_NETTXF_extra_info)) {
			union {
				struct xen_netif_tx_request r;
				struct xen_netif_extra_info ex;
			} u;

			RING_COPY_REQUEST(&q->back, q->back.req_cons++, &u.r);
			ck_assert_uint_eq(u.ex.type, XEN_NETIF_EXTRA_TYPE_GSO);
			ck_assert_uint_eq(u.ex.flags, 0);
			q->pend[q->nr_pend++] = (struct xen_netif_tx_response){
				.id = 0xdead, .status = XEN_NETIF_RSP_NULL };
		}
		q->pend[q->nr_pend++] = (struct xen_netif_tx_response){
			.id = r.id, .status = status };
		if (!(r.flags & XEN_NETTXF_more_data))
			break;
		ck_assert(RING_HAS_UNCONSUMED_REQUESTS(&q->back));
		RING_COPY_REQUEST(&q->back, q->back.req_cons++, &r);
		ck_assert_uint_eq(r.flags & ~XEN_NETTXF_more_data, 0);
	}
	/* Now the data, slot by slot: the first slot's own size is the rest. */
	ck_assert_uint_ge(rest, ETH_HLEN);
	{
		RING_IDX idx = q->back.req_cons - slots -
			       !!(first.flags & XEN_NETTXF_extra_info);
		unsigned int s;

		for (s = 0; s < slots; s++) {
			struct fake_grant *g;

			RING_COPY_REQUEST(&q->back, idx++, &r);
			if (s == 0 && (r.flags & XEN_NETTXF_extra_info))
				idx++;
			g = &q->g.e[r.gref];
			if (s == 0)
				r.size = rest;
			ck_assert_uint_le(r.offset + r.size, PAGE);
			ck_assert_uint_gt(r.size, 0);
			memcpy(got + glen, (uint8_t *)g->page + g->frame +
			       r.offset, r.size);
			glen += r.size;
		}
	}
	ck_assert_uint_eq(glen, wlen);
	ck_assert(memcmp(got, want, wlen) == 0);
	ck_assert_uint_le(slots, XPV_NF_TX_MAX_SLOTS);
	return slots;
}

/* Backend: publish the queued responses, shuffled if @seed. */
static void back_respond(struct tq *q, uint32_t seed)
{
	unsigned int i;
	bool notify;

	for (i = 0; seed && i + 1 < q->nr_pend; i++) {
		unsigned int j = i + fake_rand(&seed) % (q->nr_pend - i);
		struct xen_netif_tx_response t = q->pend[i];

		q->pend[i] = q->pend[j];
		q->pend[j] = t;
	}
	for (i = 0; i < q->nr_pend; i++)
		*RING_GET_RESPONSE(&q->back, q->back.rsp_prod_pvt++) =
			q->pend[i];
	q->nr_pend = 0;
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->back, notify);
	(void)notify;
}

static void tq_assert_idle(struct tq *q)
{
	ck_assert_uint_eq(q->g.in_use, 0);
	ck_assert_uint_eq(q->tx.ids.nr_free, XPV_NF_TX_IDS);
	ck_assert_uint_eq(q->tx.extras_pending, 0);
	ck_assert_uint_eq(q->g.bad_ends, 0);
	ck_assert_uint_eq(q->bad_completes, 0);
}

START_TEST(txids_free_list)
{
	static struct xpv_nf_txids ids;
	struct xpv_nf_txid e;
	bool seen[XPV_NF_TX_IDS] = { false };
	unsigned int i;
	int id;

	xpv_nf_txids_init(&ids);
	for (i = 0; i < XPV_NF_TX_IDS; i++) {
		id = xpv_nf_txids_get(&ids, (void *)(uintptr_t)(i + 1), NULL,
				      i + 100);
		ck_assert_int_ge(id, 0);
		ck_assert_int_lt(id, XPV_NF_TX_IDS);
		ck_assert(!seen[id]);
		seen[id] = true;
	}
	ck_assert_int_eq(xpv_nf_txids_get(&ids, NULL, NULL, 0), -ENOSPC);
	ck_assert_int_eq(xpv_nf_txids_put(&ids, XPV_NF_TX_IDS, &e), -ERANGE);
	ck_assert_int_eq(xpv_nf_txids_put(&ids, 0xffff, &e), -ERANGE);
	ck_assert_int_eq(xpv_nf_txids_put(&ids, 17, &e), 0);
	ck_assert_uint_eq(e.gref, 117);
	ck_assert_ptr_eq(e.cookie, (void *)18);
	/* A second response for the same id is refused, and changes nothing. */
	ck_assert_int_eq(xpv_nf_txids_put(&ids, 17, &e), -ENOENT);
	ck_assert_uint_eq(ids.nr_free, 1);
	/* LIFO: the id just freed comes back first. */
	ck_assert_int_eq(xpv_nf_txids_get(&ids, NULL, NULL, 5), 17);
	ck_assert_int_eq(xpv_nf_txids_get(&ids, NULL, NULL, 5), -ENOSPC);
}
END_TEST

START_TEST(linear_one_slot)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS, 0);
	struct xpv_nf_frag f = fr(q, 0, 100, 1000);
	struct xpv_nf_tx_pkt p = pk(1, &f, 1);
	struct xen_netif_tx_request *r;

	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), 1);
	ck_assert(xpv_nf_tx_push(&q->tx));
	r = tq_req(q, 0);
	ck_assert_uint_eq(r->offset, 100);
	ck_assert_uint_eq(r->size, 1000);
	ck_assert_uint_eq(r->flags, 0);
	ck_assert_ptr_eq(q->g.e[r->gref].page, q->mem);
	ck_assert_uint_eq(back_take_packet(q, &f, 1, XEN_NETIF_RSP_OKAY), 1);
	back_respond(q, 0);
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 64), 1);
	ck_assert_uint_eq(q->done[1], 1);
	ck_assert_int_eq(q->last_status[1], XEN_NETIF_RSP_OKAY);
	ck_assert_uint_eq(q->cnt.tx_packets, 1);
	ck_assert_uint_eq(q->cnt.tx_bytes, 1000);
	ck_assert_uint_eq(q->cnt.tx_slots, 1);
	ck_assert_uint_eq(q->cnt.tx_kicks, 1);
	tq_assert_idle(q);
	tq_free(q);
}
END_TEST

START_TEST(page_boundaries)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS, 0);
	/* 200 bytes from 4000: 96 + 104. Then a "compound" offset of 5000. */
	struct xpv_nf_frag f[2] = { fr(q, 0, 4000, 200), fr(q, 2, 5000, 3200) };
	struct xpv_nf_tx_pkt p = pk(2, f, 2);
	struct xen_netif_tx_request *r;

	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), 4);
	xpv_nf_tx_push(&q->tx);
	r = tq_req(q, 0);
	ck_assert_uint_eq(r->offset, 4000);
	ck_assert_uint_eq(r->size, 3400);
	ck_assert_uint_eq(r->flags, XEN_NETTXF_more_data);
	r = tq_req(q, 1);
	ck_assert_uint_eq(r->offset, 0);
	ck_assert_uint_eq(r->size, 104);
	ck_assert_uint_eq(q->g.e[r->gref].frame, PAGE);
	r = tq_req(q, 2);
	ck_assert_uint_eq(r->offset, 5000 - PAGE);
	ck_assert_uint_eq(r->size, 2 * PAGE - 5000);
	ck_assert_uint_eq(q->g.e[r->gref].frame, PAGE);
	ck_assert_ptr_eq(q->g.e[r->gref].page, q->mem + 2 * PAGE);
	r = tq_req(q, 3);
	ck_assert_uint_eq(r->offset, 0);
	ck_assert_uint_eq(r->size, 3200 - (2 * PAGE - 5000));
	ck_assert_uint_eq(r->flags, 0);
	ck_assert_uint_eq(q->g.e[r->gref].frame, 2 * PAGE);
	/* An exact page end does not take another slot. */
	ck_assert_uint_eq(back_take_packet(q, f, 2, XEN_NETIF_RSP_OKAY), 4);
	back_respond(q, 0);
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 64), 4);
	ck_assert_uint_eq(q->done[2], 4);
	tq_assert_idle(q);
	tq_free(q);
}
END_TEST

START_TEST(fragments_and_empty_ones)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS, 0);
	struct xpv_nf_frag f[5] = {
		fr(q, 0, 0, 54), fr(q, 1, 0, 0), fr(q, 3, 0, PAGE),
		fr(q, 5, 4090, 20), fr(q, 7, 12, 1),
	};
	struct xpv_nf_tx_pkt p = pk(3, f, 5);
	unsigned int slots;

	ck_assert_int_eq(xpv_nf_tx_check(&q->tx, &p, &slots), 0);
	ck_assert_uint_eq(slots, 5);
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), 5);
	xpv_nf_tx_push(&q->tx);
	ck_assert_uint_eq(tq_req(q, 0)->size, 54 + PAGE + 20 + 1);
	ck_assert_uint_eq(back_take_packet(q, f, 5, XEN_NETIF_RSP_OKAY), 5);
	back_respond(q, 0);
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 64), 5);
	ck_assert_uint_eq(q->done[3], 5);
	tq_assert_idle(q);
	tq_free(q);
}
END_TEST

START_TEST(checksum_flags)
{
	static const struct { enum xpv_nf_csum c; uint16_t flags; } t[] = {
		{ XPV_NF_CSUM_NONE, 0 },
		{ XPV_NF_CSUM_PARTIAL,
		  XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated },
		{ XPV_NF_CSUM_UNNECESSARY, XEN_NETTXF_data_validated },
	};
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS, 0);
	struct xpv_nf_frag f[2] = { fr(q, 0, 0, 60), fr(q, 1, 0, 100) };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct xpv_nf_tx_pkt p = pk(4 + i, f, 2);

		p.csum = t[i].c;
		ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), 2);
		ck_assert_uint_eq(tq_req(q, 2 * i)->flags,
				  t[i].flags | XEN_NETTXF_more_data);
		/* Only the first slot carries them. */
		ck_assert_uint_eq(tq_req(q, 2 * i + 1)->flags, 0);
	}
	tq_free(q);
}
END_TEST

START_TEST(gso_extra_slot)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS,
			      1U << XEN_NETIF_GSO_TYPE_TCPV4 |
			      1U << XEN_NETIF_GSO_TYPE_TCPV6);
	struct xpv_nf_frag f[2] = { fr(q, 0, 0, 66), fr(q, 4, 0, 3 * PAGE) };
	struct xpv_nf_tx_pkt p = pk(9, f, 2);
	struct xen_netif_extra_info *ex;
	unsigned int slots;

	p.csum = XPV_NF_CSUM_PARTIAL;
	p.gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
	p.gso_size = 1440;
	ck_assert_int_eq(xpv_nf_tx_check(&q->tx, &p, &slots), 0);
	ck_assert_uint_eq(slots, 5);
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), 4);
	xpv_nf_tx_push(&q->tx);
	ck_assert_uint_eq(tq_req(q, 0)->flags,
			  XEN_NETTXF_csum_blank | XEN_NETTXF_data_validated |
			  XEN_NETTXF_extra_info | XEN_NETTXF_more_data);
	ex = (struct xen_netif_extra_info *)tq_req(q, 1);
	ck_assert_uint_eq(ex->type, XEN_NETIF_EXTRA_TYPE_GSO);
	ck_assert_uint_eq(ex->flags, 0);
	ck_assert_uint_eq(ex->u.gso.size, 1440);
	ck_assert_uint_eq(ex->u.gso.type, XEN_NETIF_GSO_TYPE_TCPV6);
	ck_assert_uint_eq(ex->u.gso.pad, 0);
	ck_assert_uint_eq(ex->u.gso.features, 0);
	ck_assert_uint_eq(tq_req(q, 2)->size, PAGE);
	ck_assert_uint_eq(back_take_packet(q, f, 2, XEN_NETIF_RSP_OKAY), 4);
	back_respond(q, 0);
	/* Four data responses and the extra slot's NULL. */
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 64), 5);
	ck_assert_uint_eq(q->done[9], 4);
	ck_assert_uint_eq(q->cnt.tx_gso, 1);
	ck_assert_uint_eq(q->cnt.tx_slots, 5);
	tq_assert_idle(q);
	tq_free(q);
}
END_TEST

START_TEST(gso_refused_unless_sound)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS,
			      1U << XEN_NETIF_GSO_TYPE_TCPV4);
	struct xpv_nf_frag f = fr(q, 0, 0, 3000);
	struct xpv_nf_tx_pkt p = pk(10, &f, 1);
	unsigned int slots;

	p.csum = XPV_NF_CSUM_PARTIAL;
	p.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
	p.gso_size = 1000;
	ck_assert_int_eq(xpv_nf_tx_check(&q->tx, &p, &slots), 0);
	p.gso_size = 0;		/* netback disconnects on this */
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EINVAL);
	p.gso_size = 1000;
	p.gso_type = XEN_NETIF_GSO_TYPE_TCPV6;	/* not negotiated */
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EINVAL);
	p.gso_type = 3;
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EINVAL);
	p.gso_type = 200;
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EINVAL);
	p.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
	p.csum = XPV_NF_CSUM_NONE;
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EINVAL);
	ck_assert_uint_eq(xpv_ring_in_flight(&q->tx.ring), 0);
	tq_assert_idle(q);
	ck_assert_int_eq(xpv_nf_tx_init(&q->tx, q->shared, PAGE, 18, 1U << 3,
					&t_ops, q, &q->cnt), -EINVAL);
	tq_free(q);
}
END_TEST

START_TEST(slot_limits)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS, 0);
	struct xpv_nf_frag f[20];
	struct xpv_nf_tx_pkt p;
	unsigned int i, slots;

	/* 18 one-page fragments: the most netback takes. */
	for (i = 0; i < 18; i++)
		f[i] = fr(q, i, 0, 3000);
	p = pk(11, f, 18);
	ck_assert_int_eq(xpv_nf_tx_check(&q->tx, &p, &slots), 0);
	ck_assert_uint_eq(slots, 18);
	/* 19: linearise, and nothing is touched. */
	f[18] = fr(q, 18, 0, 100);
	p = pk(11, f, 19);
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -E2BIG);
	ck_assert_uint_eq(q->cnt.tx_linearize, 1);
	/* Also when the 19th slot comes from crossing a page. */
	f[17] = fr(q, 17, 4000, 200);
	p = pk(11, f, 18);
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -E2BIG);
	/* 64 KiB - 1 from a page start: 16 slots, fine. */
	f[0] = fr(q, 0, 0, 65535);
	p = pk(11, f, 1);
	ck_assert_int_eq(xpv_nf_tx_check(&q->tx, &p, &slots), 0);
	ck_assert_uint_eq(slots, 16);
	f[0].len = 65536;
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EMSGSIZE);
	f[0].len = ETH_HLEN - 1;
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EMSGSIZE);
	/* The first chunk shorter than an Ethernet header: netback drops. */
	f[0] = fr(q, 0, PAGE - 6, 6);
	f[1] = fr(q, 1, 0, 100);
	p = pk(11, f, 2);
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -E2BIG);
	f[0] = fr(q, 0, PAGE - ETH_HLEN, ETH_HLEN);
	ck_assert_int_eq(xpv_nf_tx_check(&q->tx, &p, &slots), 0);
	/* A fragment without a page, or wrapping 4 GiB. */
	f[1].page = NULL;
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EINVAL);
	f[1] = fr(q, 1, 0xfffffff0u, 0x20);
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EINVAL);
	ck_assert_uint_eq(xpv_ring_in_flight(&q->tx.ring), 0);
	tq_assert_idle(q);
	tq_free(q);

	/* A lower limit, as a backend with fewer slots would need. */
	q = tq_new(4, 0);
	for (i = 0; i < 5; i++)
		f[i] = fr(q, i, 0, 100);
	p = pk(12, f, 4);
	ck_assert_int_eq(xpv_nf_tx_check(&q->tx, &p, &slots), 0);
	p = pk(12, f, 5);
	ck_assert_int_eq(xpv_nf_tx_check(&q->tx, &p, &slots),
			 -E2BIG);
	ck_assert_int_eq(xpv_nf_tx_init(&q->tx, q->shared, PAGE, 0, 0, &t_ops,
					q, &q->cnt), -EINVAL);
	ck_assert_int_eq(xpv_nf_tx_init(&q->tx, q->shared, PAGE, 19, 0,
					&t_ops, q, &q->cnt), -EINVAL);
	tq_free(q);
}
END_TEST

START_TEST(ring_full_then_room)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS, 0);
	struct xpv_nf_frag f[3] = { fr(q, 0, 0, 100), fr(q, 1, 0, 100),
				    fr(q, 2, 0, 100) };
	struct xpv_nf_tx_pkt p = pk(13, f, 3);
	unsigned int n = 0;

	while (xpv_nf_tx_has_room(&q->tx, 3)) {
		ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), 3);
		n++;
	}
	ck_assert_uint_eq(n, 256 / 3);
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EBUSY);
	ck_assert_uint_eq(q->cnt.tx_ring_full, 1);
	xpv_nf_tx_push(&q->tx);
	while (n--)
		back_take_packet(q, f, 3, XEN_NETIF_RSP_OKAY);
	back_respond(q, 0);
	/* The budget is respected. */
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 10), 10);
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 1000), 256 / 3 * 3 - 10);
	ck_assert_uint_eq(q->done[13], 256 / 3 * 3);
	tq_assert_idle(q);
	tq_free(q);
}
END_TEST

START_TEST(grant_failure_rolls_back)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS, 0);
	struct xpv_nf_frag f[3] = { fr(q, 0, 0, 100), fr(q, 1, 0, 100),
				    fr(q, 2, 0, 5000) };
	struct xpv_nf_tx_pkt p = pk(14, f, 3);

	q->g.fail_after = 3;
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -12);
	ck_assert_uint_eq(q->g.in_use, 0);
	ck_assert_uint_eq(xpv_ring_in_flight(&q->tx.ring), 0);
	ck_assert_uint_eq(q->cnt.tx_packets, 0);
	ck_assert(!xpv_nf_tx_push(&q->tx));
	q->g.fail_after = 0;
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), 4);
	tq_free(q);
}
END_TEST

START_TEST(error_statuses_counted)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS, 0);
	struct xpv_nf_frag f = fr(q, 0, 0, 100);
	struct xpv_nf_tx_pkt p1 = pk(15, &f, 1), p2 = pk(16, &f, 1);

	xpv_nf_tx_queue(&q->tx, &p1);
	xpv_nf_tx_queue(&q->tx, &p2);
	xpv_nf_tx_push(&q->tx);
	back_take_packet(q, &f, 1, XEN_NETIF_RSP_ERROR);
	back_take_packet(q, &f, 1, XEN_NETIF_RSP_DROPPED);
	back_respond(q, 0);
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 64), 2);
	ck_assert_int_eq(q->last_status[15], XEN_NETIF_RSP_ERROR);
	ck_assert_int_eq(q->last_status[16], XEN_NETIF_RSP_DROPPED);
	ck_assert_uint_eq(q->cnt.tx_errors, 1);
	ck_assert_uint_eq(q->cnt.tx_dropped, 1);
	ck_assert_uint_eq(q->cnt.lying, 0);
	tq_assert_idle(q);
	tq_free(q);
}
END_TEST

/* One lie per case: each must break the queue, be named, and be counted. */
enum lie { L_UNKNOWN_ID, L_RANGE_ID, L_DUP, L_STATUS, L_STATUS_NEG,
	   L_NULL, L_OVERRUN, L_MAPPED, NR_LIES };

START_TEST(lies_detected)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS,
			      1U << XEN_NETIF_GSO_TYPE_TCPV4);
	struct xpv_nf_frag f[2] = { fr(q, 0, 0, 100), fr(q, 1, 0, 100) };
	struct xpv_nf_tx_pkt p = pk(17, f, 2);
	struct xen_netif_tx_response *rsp;
	const char *want;
	unsigned int i;

	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), 2);
	xpv_nf_tx_push(&q->tx);
	back_take_packet(q, f, 2, XEN_NETIF_RSP_OKAY);
	ck_assert_uint_eq(q->nr_pend, 2);
	switch (_i) {
	case L_UNKNOWN_ID:
		for (i = 0; i < XPV_NF_TX_IDS; i++)
			if (!q->tx.ids.ent[i].busy)
				break;
		q->pend[1].id = i;
		want = "tx: response for an id not in flight";
		break;
	case L_RANGE_ID:
		q->pend[0].id = XPV_NF_TX_IDS;
		want = "tx: response for an id out of range";
		break;
	case L_DUP:
		q->pend[1].id = q->pend[0].id;
		want = "tx: response for an id not in flight";
		break;
	case L_STATUS:
		q->pend[0].status = 2;
		want = "tx: response with an invalid status";
		break;
	case L_STATUS_NEG:
		q->pend[1].status = -3;
		want = "tx: response with an invalid status";
		break;
	case L_NULL:
		q->pend[1].status = XEN_NETIF_RSP_NULL;
		want = "tx: NULL response without an extra-info slot";
		break;
	case L_OVERRUN:
		q->pend[q->nr_pend++] = q->pend[0];
		want = "tx: more responses than requests";
		break;
	default:
		q->g.e[tq_req(q, 1)->gref].mapped = true;
		want = "tx: page still mapped after its response";
		break;
	}
	back_respond(q, 0);
	if (_i == L_OVERRUN) {
		/* Three responses for two requests: publish it raw. */
		rsp = RING_GET_RESPONSE(&q->back, 2);
		*rsp = q->pend[0];
		q->back.sring->rsp_prod = 3;
	}
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 64), -EIO);
	ck_assert_str_eq(q->tx.lie.what, want);
	ck_assert_uint_eq(q->cnt.lying, 1);
	ck_assert(q->tx.broken);
	/* Broken for good: nothing more consumed or queued. */
	ck_assert_int_eq(xpv_nf_tx_collect(&q->tx, 64), -EIO);
	ck_assert_int_eq(xpv_nf_tx_queue(&q->tx, &p), -EIO);
	/* Teardown gives back every grant and completes every slot once. */
	xpv_nf_tx_release_all(&q->tx);
	ck_assert_uint_eq(q->done[17], 2);
	ck_assert_uint_eq(q->g.in_use, 0);
	ck_assert_uint_eq(q->tx.ids.nr_free, XPV_NF_TX_IDS);
	ck_assert_uint_eq(q->g.bad_ends, 0);
	tq_free(q);
}
END_TEST

/*
 * Random packets (linear part and fragments at random offsets, GSO or not)
 * through an honest backend answering out of order: every byte arrives,
 * every slot completes once, every grant and id comes back.
 */
START_TEST(fuzz_honest_out_of_order)
{
	struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS,
			      1U << XEN_NETIF_GSO_TYPE_TCPV4 |
			      1U << XEN_NETIF_GSO_TYPE_TCPV6);
	uint32_t seed = 0x1234567u + _i;
	unsigned int expect[MAX_PKTS] = { 0 };
	unsigned int round, c = 1, linearize = 0;

	for (round = 0; round < 40; round++) {
		unsigned int batch = 1 + fake_rand(&seed) % 12, b, taken;
		struct xpv_nf_frag bf[12][8];
		unsigned int bn[12], bc[12], nb = 0;

		for (b = 0; b < batch && c < MAX_PKTS; b++) {
			struct xpv_nf_frag *f = bf[nb];
			unsigned int nf = 1 + fake_rand(&seed) % 8, i;
			struct xpv_nf_tx_pkt p;
			int rc;

			for (i = 0; i < nf; i++) {
				unsigned int pg = fake_rand(&seed) % (NPAGES - 3);
				unsigned int off = fake_rand(&seed) % (2 * PAGE);
				unsigned int len = fake_rand(&seed) % 6000;

				f[i] = fr(q, pg, off, len);
			}
			p = pk(c, f, nf);
			p.csum = fake_rand(&seed) % 3;
			if (fake_rand(&seed) % 4 == 0) {
				p.csum = XPV_NF_CSUM_PARTIAL;
				p.gso_type = 1 + fake_rand(&seed) % 2;
				p.gso_size = 500 + fake_rand(&seed) % 9000;
			}
			rc = xpv_nf_tx_queue(&q->tx, &p);
			if (rc == -E2BIG)
				linearize++;
			if (rc <= 0)
				continue;
			expect[c] = rc;
			bn[nb] = nf;
			bc[nb++] = c++;
		}
		xpv_nf_tx_push(&q->tx);
		for (b = 0; b < nb; b++) {
			taken = back_take_packet(q, bf[b], bn[b],
						 XEN_NETIF_RSP_OKAY);
			ck_assert_uint_eq(taken, expect[bc[b]]);
		}
		back_respond(q, fake_rand(&seed) | 1);
		ck_assert_int_ge(xpv_nf_tx_collect(&q->tx, 1000), 0);
	}
	for (c = 1; c < MAX_PKTS; c++)
		ck_assert_uint_eq(q->done[c], expect[c]);
	ck_assert_uint_gt(q->cnt.tx_packets, 100);
	ck_assert_uint_gt(q->cnt.tx_gso, 10);
	ck_assert_uint_gt(linearize, 0);
	ck_assert_uint_eq(q->cnt.lying, 0);
	tq_assert_idle(q);
	tq_free(q);
}
END_TEST

/*
 * A hostile backend: honest responses with one random mutation each round
 * that no honest backend can make (an id not in flight or out of range, a
 * status netif lacks, a NULL too many, a page kept mapped), or pure garbage
 * in the response slots and producer index. Never a crash; a mutation is
 * always caught; after teardown nothing is left behind.
 */
START_TEST(fuzz_hostile)
{
	uint32_t seed = 0xbadc0deu + 77 * _i;
	unsigned int trial;

	for (trial = 0; trial < 60; trial++) {
		struct tq *q = tq_new(XPV_NF_TX_MAX_SLOTS,
				      1U << XEN_NETIF_GSO_TYPE_TCPV4);
		unsigned int expect[MAX_PKTS] = { 0 };
		unsigned int c, k, kind = fake_rand(&seed) % 6;
		struct xpv_nf_frag bf[30][2];
		int rc = 0;

		for (c = 1; c < 30; c++) {
			struct xpv_nf_frag *f = bf[c];
			struct xpv_nf_tx_pkt p;

			f[0] = fr(q, c % 10, fake_rand(&seed) % (PAGE - 60), 60 + c);
			f[1] = fr(q, 10 + c % 5, 0, fake_rand(&seed) % 9000);
			p = pk(c, f, 2);

			if (c % 3 == 0) {
				p.csum = XPV_NF_CSUM_PARTIAL;
				p.gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
				p.gso_size = 1000;
			}
			rc = xpv_nf_tx_queue(&q->tx, &p);
			ck_assert_int_gt(rc, 0);
			expect[c] = rc;
		}
		xpv_nf_tx_push(&q->tx);
		for (c = 1; c < 30; c++)
			back_take_packet(q, bf[c], 2, XEN_NETIF_RSP_OKAY);
		k = fake_rand(&seed) % q->nr_pend;
		switch (kind) {
		case 0: {	/* an id not in flight */
			unsigned int id;

			do {
				id = fake_rand(&seed) % 0x10000;
			} while (id < XPV_NF_TX_IDS && q->tx.ids.ent[id].busy);
			if (q->pend[k].status == XEN_NETIF_RSP_NULL)
				q->pend[k].status = XEN_NETIF_RSP_OKAY;
			q->pend[k].id = id;
			break;
		}
		case 1:		/* a status netif does not have */
			do {
				q->pend[k].status = (int16_t)fake_rand(&seed);
			} while (q->pend[k].status >= XEN_NETIF_RSP_DROPPED &&
				 q->pend[k].status <= XEN_NETIF_RSP_NULL);
			break;
		case 2:		/* more NULLs than extra-info slots */
			if (q->pend[k].status == XEN_NETIF_RSP_NULL)
				k = (k + 1) % q->nr_pend;
			q->pend[k].status = XEN_NETIF_RSP_NULL;
			break;
		case 3:		/* a page kept mapped */
			if (q->pend[k].status == XEN_NETIF_RSP_NULL)
				k = (k + 1) % q->nr_pend;
			if (q->pend[k].status == XEN_NETIF_RSP_NULL)
				k = (k + 1) % q->nr_pend;
			q->g.e[q->tx.ids.ent[q->pend[k].id].gref].mapped = true;
			break;
		case 4:		/* a duplicate */
			if (q->pend[k].status == XEN_NETIF_RSP_NULL)
				k = (k + 1) % q->nr_pend;
			if (q->pend[k].status == XEN_NETIF_RSP_NULL)
				k = (k + 1) % q->nr_pend;
			q->pend[q->nr_pend++] = q->pend[k];
			break;
		default:	/* garbage */
			break;
		}
		if (kind == 4) {
			/* The extra response needs a request slot to answer:
			 * the duplicate takes the place of a NULL instead.
			 */
			unsigned int d = q->nr_pend - 1;

			for (c = 0; c < d; c++)
				if (q->pend[c].status == XEN_NETIF_RSP_NULL)
					break;
			q->pend[c] = q->pend[d];
			q->nr_pend--;
		}
		if (kind == 5) {
			RING_IDX i, n = fake_rand(&seed) % 300;

			for (i = 0; i < n; i++) {
				struct xen_netif_tx_response *r =
					RING_GET_RESPONSE(&q->back, i);

				r->id = fake_rand(&seed);
				r->status = fake_rand(&seed);
			}
			q->back.sring->rsp_prod = n;
			q->nr_pend = 0;
			rc = 0;
			while (rc >= 0) {
				rc = xpv_nf_tx_collect(&q->tx, 1 +
						       fake_rand(&seed) % 40);
				if (rc == 0)
					break;
			}
		} else {
			back_respond(q, fake_rand(&seed) | 1);
			rc = xpv_nf_tx_collect(&q->tx, 10000);
			ck_assert_msg(rc == -EIO, "kind %u not caught", kind);
		}
		if (rc < 0) {
			ck_assert(q->tx.broken);
			ck_assert_ptr_nonnull(q->tx.lie.what);
			ck_assert_uint_eq(q->cnt.lying, 1);
		}
		xpv_nf_tx_release_all(&q->tx);
		for (c = 1; c < MAX_PKTS; c++)
			ck_assert_uint_eq(q->done[c], expect[c]);
		ck_assert_uint_eq(q->g.in_use, 0);
		ck_assert_uint_eq(q->g.bad_ends, 0);
		ck_assert_uint_eq(q->bad_completes, 0);
		ck_assert_uint_eq(q->tx.ids.nr_free, XPV_NF_TX_IDS);
		tq_free(q);
	}
}
END_TEST

static Suite *netfront_tx_suite(void)
{
	Suite *s = suite_create("netfront_tx");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, txids_free_list);
	tcase_add_test(tc, linear_one_slot);
	tcase_add_test(tc, page_boundaries);
	tcase_add_test(tc, fragments_and_empty_ones);
	tcase_add_test(tc, checksum_flags);
	tcase_add_test(tc, gso_extra_slot);
	tcase_add_test(tc, gso_refused_unless_sound);
	tcase_add_test(tc, slot_limits);
	tcase_add_test(tc, ring_full_then_room);
	tcase_add_test(tc, grant_failure_rolls_back);
	tcase_add_test(tc, error_statuses_counted);
	tcase_add_loop_test(tc, lies_detected, 0, NR_LIES);
	tcase_add_loop_test(tc, fuzz_honest_out_of_order, 0, 4);
	tcase_add_loop_test(tc, fuzz_hostile, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}
XPV_SUITE(netfront_tx_suite)
