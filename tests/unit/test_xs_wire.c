// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus/xs_wire.c against a fake xenstored written here, byte by byte, on
 * the ABI's struct xenstore_domain_interface: both rings at every offset and
 * across 32-bit index wrap, messages received and sent in pieces, lying
 * indexes and headers, and the payload parsers fed hostile bytes next to
 * simple reference models.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <xpv/parse.h>
#include "../../xenbus/xs_wire.h"
#include "suites.h"

#define RING XENSTORE_RING_SIZE
#define HDR sizeof(struct xsd_sockmsg)
#define MASK(idx) MASK_XENSTORE_IDX(idx)
#define JUNK 0xa5

/* xorshift32: fixed seeds, the same run every time. */
static uint32_t rnd(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* A xenstore page full of junk whose four indexes are all @start. */
static struct xenstore_domain_interface *page_new(XENSTORE_RING_IDX start)
{
	struct xenstore_domain_interface *intf = malloc(sizeof(*intf));

	ck_assert_ptr_nonnull(intf);
	memset(intf, JUNK, sizeof(*intf));
	intf->req_cons = start;
	intf->req_prod = start;
	intf->rsp_cons = start;
	intf->rsp_prod = start;
	return intf;
}

static bool ring_is_junk(const char *ring)
{
	char junk[RING];

	memset(junk, JUNK, sizeof(junk));
	return !memcmp(ring, junk, RING);
}

/* Fake xenstored: take up to @max request bytes off the ring. */
static size_t xsd_recv(struct xenstore_domain_interface *intf, void *buf,
		       size_t max)
{
	uint8_t *out = buf;
	size_t n = 0;

	while (n < max && intf->req_cons != intf->req_prod) {
		out[n++] = intf->req[MASK(intf->req_cons)];
		intf->req_cons++;
	}
	return n;
}

/* Fake xenstored: put as many of @len response bytes as fit on the ring. */
static size_t xsd_send(struct xenstore_domain_interface *intf,
		       const void *data, size_t len)
{
	const uint8_t *in = data;
	size_t n = 0;

	while (n < len && intf->rsp_prod - intf->rsp_cons < RING) {
		intf->rsp[MASK(intf->rsp_prod)] = in[n++];
		intf->rsp_prod++;
	}
	return n;
}

/* Our end of a page, and a message being received on it. */
struct conn {
	struct xenstore_domain_interface *intf;
	struct xs_ring r;
	struct xs_rx rx;
};

static struct conn *conn_new(XENSTORE_RING_IDX start)
{
	struct conn *c = malloc(sizeof(*c));

	ck_assert_ptr_nonnull(c);
	memset(c, 0xee, sizeof(*c));
	c->intf = page_new(start);
	xs_ring_attach(&c->r, c->intf);
	xs_rx_reset(&c->rx);
	return c;
}

static void conn_free(struct conn *c)
{
	free(c->intf);
	free(c);
}

/* A message as xenstored lays it out: header, then @len payload bytes. */
static size_t msg_make(uint8_t *buf, uint32_t type, uint32_t req_id,
		       const void *body, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = req_id, .len = len };

	memcpy(buf, &h, HDR);
	memcpy(buf + HDR, body, len);
	return HDR + len;
}

/* Fake xenstored: a header alone, its payload (if any) to follow. */
static void xsd_header(struct conn *c, uint32_t type, uint32_t req_id,
		       uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = req_id, .len = len };

	ck_assert_uint_eq(xsd_send(c->intf, &h, HDR), HDR);
}

/* Fake xenstored: a whole reply, which must fit on the ring now. */
static void xsd_reply(struct conn *c, uint32_t type, uint32_t req_id,
		      const void *body, uint32_t len)
{
	xsd_header(c, type, req_id, len);
	ck_assert_uint_eq(xsd_send(c->intf, body, len), len);
}

START_TEST(attach_takes_page_indexes)
{
	struct xenstore_domain_interface *intf = page_new(0);
	struct xs_ring r;

	intf->req_cons = 0xfffffff0u;
	intf->req_prod = 0xfffffff0u + 100;
	intf->rsp_cons = 0xfffffffau;
	intf->rsp_prod = 0xfffffffau + 30;
	xs_ring_attach(&r, intf);
	ck_assert_ptr_eq(r.intf, intf);
	ck_assert_uint_eq(r.req_prod, 0x54);
	ck_assert_uint_eq(r.rsp_cons, 0xfffffffau);
	ck_assert_int_eq(xs_ring_space(&r), RING - 100);
	ck_assert_int_eq(xs_ring_avail(&r), 30);
	free(intf);
}
END_TEST

/* Ring starts: low indexes, and ones whose messages cross 2^32. */
static const XENSTORE_RING_IDX bases[] = { 0, 0xfffffc00u };
static const size_t lens[] = { 1, 2, 511, RING - 1, RING };

START_TEST(write_at_every_offset)
{
	uint8_t msg[RING], got[RING], want[RING];
	unsigned int off, l;
	size_t i;

	for (off = 0; off < RING; off++) {
		for (l = 0; l < ARRAY_SIZE(lens); l++) {
			XENSTORE_RING_IDX start = bases[_i] + off;
			struct xenstore_domain_interface *intf = page_new(start);
			struct xs_ring r;
			size_t len = lens[l];

			xs_ring_attach(&r, intf);
			memset(want, JUNK, sizeof(want));
			for (i = 0; i < len; i++) {
				msg[i] = i ^ off;
				want[MASK(start + i)] = msg[i];
			}
			ck_assert_int_eq(xs_ring_write(&r, msg, len), len);
			ck_assert_uint_eq(intf->req_prod,
					  (XENSTORE_RING_IDX)(start + len));
			ck_assert(!memcmp(intf->req, want, RING));
			ck_assert(ring_is_junk(intf->rsp));
			ck_assert_uint_eq(xsd_recv(intf, got, RING), len);
			ck_assert(!memcmp(got, msg, len));
			ck_assert_int_eq(xs_ring_space(&r), RING);
			free(intf);
		}
	}
}
END_TEST

START_TEST(read_at_every_offset)
{
	uint8_t msg[RING], got[RING + 1];
	unsigned int off, l;
	size_t i;

	for (off = 0; off < RING; off++) {
		for (l = 0; l < ARRAY_SIZE(lens); l++) {
			XENSTORE_RING_IDX start = bases[_i] + off;
			struct xenstore_domain_interface *intf = page_new(start);
			struct xs_ring r;
			size_t len = lens[l];

			xs_ring_attach(&r, intf);
			for (i = 0; i < len; i++)
				msg[i] = i ^ off;
			ck_assert_uint_eq(xsd_send(intf, msg, len), len);
			ck_assert_int_eq(xs_ring_avail(&r), len);
			memset(got, 0x5a, sizeof(got));
			ck_assert_int_eq(xs_ring_read(&r, got, sizeof(got)), len);
			ck_assert(!memcmp(got, msg, len));
			ck_assert_uint_eq(got[len], 0x5a);
			ck_assert_uint_eq(intf->rsp_cons,
					  (XENSTORE_RING_IDX)(start + len));
			ck_assert_int_eq(xs_ring_avail(&r), 0);
			ck_assert(ring_is_junk(intf->req));
			free(intf);
		}
	}
}
END_TEST

START_TEST(full_request_ring_takes_what_fits)
{
	struct conn *c = conn_new(0xfffffff0u);
	uint8_t msg[1100], got[RING];
	size_t i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i * 13;
	ck_assert_int_eq(xs_ring_write(&c->r, msg, 1000), 1000);
	ck_assert_int_eq(xs_ring_space(&c->r), 24);
	ck_assert_int_eq(xs_ring_write(&c->r, msg + 1000, 100), 24);
	ck_assert_int_eq(xs_ring_space(&c->r), 0);
	ck_assert_int_eq(xs_ring_write(&c->r, msg + 1024, 1), 0);
	ck_assert_uint_eq(c->intf->req_prod, 0x3f0);
	/* xenstored frees 10 bytes: exactly 10 more go on. */
	ck_assert_uint_eq(xsd_recv(c->intf, got, 10), 10);
	ck_assert(!memcmp(got, msg, 10));
	ck_assert_int_eq(xs_ring_write(&c->r, msg + 1024, 76), 10);
	ck_assert_uint_eq(xsd_recv(c->intf, got, RING), RING);
	ck_assert(!memcmp(got, msg + 10, RING));
	conn_free(c);
}
END_TEST

START_TEST(full_response_ring_is_read_whole)
{
	struct conn *c = conn_new(0xfffffff0u);
	uint8_t msg[1100], got[RING];
	size_t i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = i * 13;
	ck_assert_uint_eq(xsd_send(c->intf, msg, sizeof(msg)), RING);
	ck_assert_int_eq(xs_ring_avail(&c->r), RING);
	ck_assert_int_eq(xs_ring_read(&c->r, got, 10), 10);
	ck_assert_int_eq(xs_ring_read(&c->r, got + 10, RING), RING - 10);
	ck_assert(!memcmp(got, msg, RING));
	ck_assert_int_eq(xs_ring_read(&c->r, got, RING), 0);
	ck_assert_uint_eq(c->intf->rsp_cons, 0x3f0);
	conn_free(c);
}
END_TEST

/* Distances between the indexes that no honest xenstored can make. */
static const XENSTORE_RING_IDX lies[] = {
	RING + 1, 2 * RING, 0x80000000u, 0xffffffffu,
};

START_TEST(corrupt_req_cons_is_eio)
{
	struct conn *c = conn_new(0xfffffff8u);
	char before[RING];

	ck_assert_int_eq(xs_ring_write(&c->r, "0123456789", 10), 10);
	memcpy(before, c->intf->req, RING);
	/* 0xffffffff: xenstored consumed a byte we never produced. */
	c->intf->req_cons = c->r.req_prod - lies[_i];
	ck_assert_int_eq(xs_ring_space(&c->r), -EIO);
	ck_assert_int_eq(xs_ring_write(&c->r, "x", 1), -EIO);
	ck_assert_uint_eq(c->r.req_prod, 2);
	ck_assert_uint_eq(c->intf->req_prod, 2);
	ck_assert(!memcmp(c->intf->req, before, RING));
	conn_free(c);
}
END_TEST

START_TEST(corrupt_rsp_prod_is_eio)
{
	struct conn *c = conn_new(0xfffffff8u);
	char got[16];

	ck_assert_uint_eq(xsd_send(c->intf, "0123456789", 10), 10);
	ck_assert_int_eq(xs_ring_read(&c->r, got, 4), 4);
	/* 0xffffffff: xenstored took back a byte we already read. */
	c->intf->rsp_prod = c->r.rsp_cons + lies[_i];
	memset(got, 0x5a, sizeof(got));
	ck_assert_int_eq(xs_ring_avail(&c->r), -EIO);
	ck_assert_int_eq(xs_ring_read(&c->r, got, sizeof(got)), -EIO);
	ck_assert_uint_eq(c->r.rsp_cons, 0xfffffffcu);
	ck_assert_uint_eq(c->intf->rsp_cons, 0xfffffffcu);
	ck_assert_uint_eq((uint8_t)got[0], 0x5a);
	conn_free(c);
}
END_TEST

START_TEST(own_indexes_never_read_back)
{
	struct conn *c = conn_new(0xfffffff0u);
	char got[8];

	/* Read back, these would make the request ring look 1000 full... */
	c->intf->req_prod = 0xfffffff0u + 1000;
	ck_assert_int_eq(xs_ring_space(&c->r), RING);
	ck_assert_int_eq(xs_ring_write(&c->r, "abc", 3), 3);
	ck_assert_uint_eq(c->intf->req_prod, 0xfffffff3u);
	ck_assert(!memcmp(c->intf->req + 0x3f0, "abc", 3));
	c->intf->req_prod = 0;
	ck_assert_int_eq(xs_ring_write(&c->r, "de", 2), 2);
	ck_assert_uint_eq(c->intf->req_prod, 0xfffffff5u);
	ck_assert(!memcmp(c->intf->req + 0x3f3, "de", 2));

	/* ... and the response ring empty, or holding one byte. */
	ck_assert_uint_eq(xsd_send(c->intf, "xyz", 3), 3);
	c->intf->rsp_cons = 0xfffffff0u + 3;
	ck_assert_int_eq(xs_ring_avail(&c->r), 3);
	c->intf->rsp_cons = 0xfffffff0u + 2;
	ck_assert_int_eq(xs_ring_read(&c->r, got, sizeof(got)), 3);
	ck_assert(!memcmp(got, "xyz", 3));
	ck_assert_uint_eq(c->intf->rsp_cons, 0xfffffff3u);
	conn_free(c);
}
END_TEST

START_TEST(msg_build_layout)
{
	static const char path[] = "device/vif/0/state";
	struct xs_iov iov[] = { { path, sizeof(path) }, { "4", 1 } };
	struct xsd_sockmsg h;
	size_t size = HDR + sizeof(path) + 1;
	uint8_t *buf = malloc(size);

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(xs_msg_size(iov, 2), size);
	ck_assert_uint_eq(xs_msg_build(buf, XS_WRITE, 0x11223344u, 9, iov, 2),
			  size);
	memcpy(&h, buf, HDR);
	ck_assert_uint_eq(h.type, XS_WRITE);
	ck_assert_uint_eq(h.req_id, 0x11223344u);
	ck_assert_uint_eq(h.tx_id, 9);
	ck_assert_uint_eq(h.len, sizeof(path) + 1);
	ck_assert(!memcmp(buf + HDR, path, sizeof(path)));
	ck_assert_uint_eq(buf[HDR + sizeof(path)], '4');
	free(buf);
}
END_TEST

START_TEST(msg_build_empty_payload)
{
	struct xsd_sockmsg h;
	uint8_t buf[HDR];

	ck_assert_int_eq(xs_msg_size(NULL, 0), HDR);
	ck_assert_uint_eq(xs_msg_build(buf, XS_TRANSACTION_START, 1, 0, NULL, 0),
			  HDR);
	memcpy(&h, buf, HDR);
	ck_assert_uint_eq(h.type, XS_TRANSACTION_START);
	ck_assert_uint_eq(h.len, 0);
}
END_TEST

START_TEST(msg_size_limit)
{
	struct xs_iov max[] = { { NULL, 4000 }, { NULL, 96 } };
	struct xs_iov over[] = { { NULL, 4000 }, { NULL, 97 } };
	struct xs_iov huge[] = { { NULL, 1 }, { NULL, SIZE_MAX } };
	struct xs_iov one = { NULL, XENSTORE_PAYLOAD_MAX + 1 };

	ck_assert_int_eq(xs_msg_size(max, 2), HDR + XENSTORE_PAYLOAD_MAX);
	ck_assert_int_eq(xs_msg_size(over, 2), -E2BIG);
	ck_assert_int_eq(xs_msg_size(huge, 2), -E2BIG);
	ck_assert_int_eq(xs_msg_size(&one, 1), -E2BIG);
}
END_TEST

START_TEST(tx_push_across_partial_writes)
{
	uint32_t seed = 0x7e57 + _i;
	XENSTORE_RING_IDX start = 0xfffff000u + rnd(&seed) % 4096;
	struct conn *c = conn_new(start);
	uint8_t body[3000], msg[HDR + sizeof(body)], out[sizeof(msg)];
	struct xs_iov iov = { body, sizeof(body) };
	struct xs_tx tx = { .msg = msg };
	size_t got = 0, i;
	int ret;

	for (i = 0; i < sizeof(body); i++)
		body[i] = rnd(&seed);
	tx.len = xs_msg_build(msg, XS_WRITE, 1, 0, &iov, 1);
	while ((ret = xs_tx_push(&c->r, &tx)) == 0) {
		ck_assert_int_eq(xs_ring_space(&c->r), 0);
		ck_assert_uint_eq(tx.off, got + RING);
		got += xsd_recv(c->intf, out + got, 1 + rnd(&seed) % 700);
	}
	ck_assert_int_eq(ret, 1);
	ck_assert_uint_eq(tx.off, tx.len);
	ck_assert_uint_eq(c->intf->req_prod, (XENSTORE_RING_IDX)(start + tx.len));
	got += xsd_recv(c->intf, out + got, sizeof(out) - got);
	ck_assert_uint_eq(got, tx.len);
	ck_assert(!memcmp(out, msg, tx.len));
	/* A message all sent stays sent. */
	ck_assert_int_eq(xs_tx_push(&c->r, &tx), 1);
	ck_assert_int_eq(xs_ring_space(&c->r), RING);
	conn_free(c);
}
END_TEST

START_TEST(tx_push_corrupt_ring_is_eio)
{
	struct conn *c = conn_new(0);
	struct xs_tx tx = { .msg = "abcd", .len = 4, .off = 1 };

	c->intf->req_cons = RING + 1;
	ck_assert_int_eq(xs_tx_push(&c->r, &tx), -EIO);
	ck_assert_uint_eq(tx.off, 1);
	ck_assert_uint_eq(c->intf->req_prod, 0);
	conn_free(c);
}
END_TEST

START_TEST(rx_one_byte_at_a_time)
{
	struct conn *c = conn_new(0xfffffff8u);
	uint8_t msg[HDR + 5];
	size_t n = msg_make(msg, XS_READ, 7, "value", 5), i;

	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 0);
	ck_assert_uint_eq(c->rx.got, 0);
	for (i = 0; i < n - 1; i++) {
		ck_assert_uint_eq(xsd_send(c->intf, msg + i, 1), 1);
		ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 0);
		ck_assert_uint_eq(c->rx.got, i + 1);
		ck_assert_int_eq(xs_ring_avail(&c->r), 0);
	}
	ck_assert_uint_eq(xsd_send(c->intf, msg + i, 1), 1);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert_uint_eq(c->rx.got, n);
	ck_assert_uint_eq(c->rx.hdr.type, XS_READ);
	ck_assert_uint_eq(c->rx.hdr.req_id, 7);
	ck_assert_uint_eq(c->rx.hdr.len, 5);
	ck_assert_str_eq(c->rx.body, "value");
	conn_free(c);
}
END_TEST

START_TEST(rx_random_chunks)
{
	uint32_t seed = 0x5eed + _i;
	struct conn *c = conn_new(0xffffffffu - rnd(&seed) % 8192);
	uint8_t body[XENSTORE_PAYLOAD_MAX], msg[HDR + XENSTORE_PAYLOAD_MAX];
	int m;

	for (m = 0; m < 200; m++) {
		uint32_t len = rnd(&seed) % 3 ? rnd(&seed) % 64 :
			       rnd(&seed) % (XENSTORE_PAYLOAD_MAX + 1);
		size_t n, sent = 0, i;

		for (i = 0; i < len; i++)
			body[i] = rnd(&seed);
		n = msg_make(msg, rnd(&seed) % XS_TYPE_COUNT, m, body, len);
		while (sent < n) {
			size_t chunk = min_t(size_t, 1 + rnd(&seed) % 300,
					     n - sent);

			ck_assert_uint_eq(xsd_send(c->intf, msg + sent, chunk),
					  chunk);
			sent += chunk;
			ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), sent == n);
			ck_assert_uint_eq(c->rx.got, sent);
		}
		ck_assert(!memcmp(&c->rx.hdr, msg, HDR));
		ck_assert(!memcmp(c->rx.body, body, len));
		ck_assert_int_eq(c->rx.body[len], '\0');
		xs_rx_reset(&c->rx);
	}
	conn_free(c);
}
END_TEST

START_TEST(rx_header_then_body)
{
	struct conn *c = conn_new(0xfffffffcu);

	xsd_header(c, XS_DIRECTORY, 3, 8);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 0);
	ck_assert_uint_eq(c->rx.got, HDR);
	ck_assert_uint_eq(c->rx.hdr.len, 8);
	ck_assert_int_eq(xs_ring_avail(&c->r), 0);
	ck_assert_uint_eq(xsd_send(c->intf, "a\0bb\0cc", 8), 8);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert_uint_eq(c->rx.hdr.type, XS_DIRECTORY);
	ck_assert_uint_eq(c->rx.hdr.req_id, 3);
	ck_assert(!memcmp(c->rx.body, "a\0bb\0cc\0", 9));
	conn_free(c);
}
END_TEST

START_TEST(rx_reset_then_next_message)
{
	struct conn *c = conn_new(0);

	xsd_reply(c, XS_WATCH_EVENT, 0, "p\0t", 4);
	xsd_reply(c, XS_READ, 9, "42", 2);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert_uint_eq(c->rx.hdr.type, XS_WATCH_EVENT);
	ck_assert_uint_eq(c->rx.hdr.len, 4);
	/* Not a byte of the next message taken, even when polled again. */
	ck_assert_int_eq(xs_ring_avail(&c->r), HDR + 2);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert_int_eq(xs_ring_avail(&c->r), HDR + 2);
	xs_rx_reset(&c->rx);
	ck_assert_uint_eq(c->rx.got, 0);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert_uint_eq(c->rx.hdr.type, XS_READ);
	ck_assert_uint_eq(c->rx.hdr.req_id, 9);
	ck_assert_str_eq(c->rx.body, "42");
	ck_assert_int_eq(xs_ring_avail(&c->r), 0);
	conn_free(c);
}
END_TEST

START_TEST(rx_zero_length_payload)
{
	struct conn *c = conn_new(0);

	xsd_reply(c, XS_TRANSACTION_END, 5, "", 0);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert_uint_eq(c->rx.got, HDR);
	ck_assert_uint_eq(c->rx.hdr.len, 0);
	ck_assert_int_eq(c->rx.body[0], '\0');
	conn_free(c);
}
END_TEST

START_TEST(rx_body_nul_terminated)
{
	struct conn *c = conn_new(0);

	xsd_reply(c, XS_READ, 1, "abc", 3);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert(!memcmp(c->rx.body, "abc", 4));
	xs_rx_reset(&c->rx);
	memset(c->rx.body, 'x', sizeof(c->rx.body));
	xsd_reply(c, XS_READ, 2, "a\0b", 3);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert(!memcmp(c->rx.body, "a\0b", 4));
	conn_free(c);
}
END_TEST

START_TEST(rx_accepts_payload_max)
{
	struct conn *c = conn_new(0xfffffe00u);
	uint8_t body[XENSTORE_PAYLOAD_MAX];
	size_t sent = 0, i;

	for (i = 0; i < sizeof(body); i++)
		body[i] = i * 7 + 1;
	xsd_header(c, XS_READ, 1, XENSTORE_PAYLOAD_MAX);
	for (;;) {
		sent += xsd_send(c->intf, body + sent, sizeof(body) - sent);
		if (sent == sizeof(body))
			break;
		ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 0);
	}
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	ck_assert(!memcmp(c->rx.body, body, sizeof(body)));
	ck_assert_int_eq(c->rx.body[XENSTORE_PAYLOAD_MAX], '\0');
	conn_free(c);
}
END_TEST

static const uint32_t bad_lens[] = {
	XENSTORE_PAYLOAD_MAX + 1, 0x80000000u, 0xffffffffu,
};

START_TEST(rx_rejects_oversized_len)
{
	struct conn *c = conn_new(0);

	xsd_header(c, XS_READ, 1, bad_lens[_i]);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), -EIO);
	conn_free(c);
}
END_TEST

static const uint32_t bad_types[] = { XS_TYPE_COUNT, XS_INVALID, 0xffffffffu };

START_TEST(rx_rejects_unknown_type)
{
	struct conn *c = conn_new(0);

	xsd_reply(c, XS_TYPE_COUNT - 1, 1, "", 0);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 1);
	xs_rx_reset(&c->rx);
	xsd_reply(c, bad_types[_i], 2, "", 0);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), -EIO);
	conn_free(c);
}
END_TEST

/* Polled again after -EIO, a bad header never lets its payload in. */
START_TEST(rx_bad_header_stays_bad)
{
	struct conn *c = conn_new(0);
	uint8_t junk[RING - HDR];

	memset(junk, 'x', sizeof(junk));
	xsd_header(c, _i ? XS_TYPE_COUNT : XS_READ, 1, _i ? 4 : 0xffffffffu);
	ck_assert_uint_eq(xsd_send(c->intf, junk, sizeof(junk)), sizeof(junk));
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), -EIO);
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), -EIO);
	ck_assert_uint_eq(c->rx.got, HDR);
	ck_assert_uint_eq(c->intf->rsp_cons, HDR);
	conn_free(c);
}
END_TEST

START_TEST(rx_corrupt_ring_mid_message)
{
	struct conn *c = conn_new(0xffffffe0u);
	uint8_t body[50] = { 0 };

	xsd_header(c, XS_READ, 1, 100);
	ck_assert_uint_eq(xsd_send(c->intf, body, sizeof(body)), sizeof(body));
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), 0);
	c->intf->rsp_prod = c->intf->rsp_cons + RING + 1;
	ck_assert_int_eq(xs_rx_poll(&c->r, &c->rx), -EIO);
	ck_assert_uint_eq(c->rx.got, HDR + sizeof(body));
	conn_free(c);
}
END_TEST

START_TEST(hdr_check_limits)
{
	static const struct {
		uint32_t type, len;
		int ret;
	} cases[] = {
		{ XS_CONTROL, 0, 0 },
		{ XS_DIRECTORY_PART, XENSTORE_PAYLOAD_MAX, 0 },
		{ XS_READ, XENSTORE_PAYLOAD_MAX + 1, -EIO },
		{ XS_READ, 0xffffffffu, -EIO },
		{ XS_TYPE_COUNT, 0, -EIO },
		{ XS_INVALID, 0, -EIO },
		{ 0xffffffffu, 0, -EIO },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct xsd_sockmsg h = { .type = cases[i].type,
					 .len = cases[i].len };

		ck_assert_msg(xs_hdr_check(&h) == cases[i].ret,
			      "type %u len %u", h.type, h.len);
	}
}
END_TEST

START_TEST(reply_check_outcomes)
{
	struct xsd_sockmsg h = { .type = XS_READ, .len = 2 };

	ck_assert_int_eq(xs_reply_check(&h, "42", XS_READ), 0);
	ck_assert_int_eq(xs_reply_check(&h, "42", XS_WRITE), -EIO);
	h.type = XS_WATCH_EVENT;
	ck_assert_int_eq(xs_reply_check(&h, "42", XS_READ), -EIO);
	h.type = XS_ERROR;
	h.len = 7;
	ck_assert_int_eq(xs_reply_check(&h, "ENOENT", XS_READ), -ENOENT);
	h.len = 6;
	ck_assert_int_eq(xs_reply_check(&h, "ENOENT", XS_READ), -EIO);
}
END_TEST

START_TEST(errno_of_every_xen_error)
{
	unsigned int i;

	ck_assert_uint_eq(ARRAY_SIZE(xsd_errors), 15);
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++) {
		const char *name = xsd_errors[i].errstring;

		ck_assert_int_eq(xs_errno(name, strlen(name) + 1),
				 -xsd_errors[i].errnum);
		ck_assert_str_eq(xs_errstr(-xsd_errors[i].errnum), name);
	}
	/* Pinned apart from the table too. */
	ck_assert_int_eq(xs_errno("ENOENT", 7), -ENOENT);
	ck_assert_int_eq(xs_errno("EACCES", 7), -EACCES);
	ck_assert_int_eq(xs_errno("EAGAIN", 7), -EAGAIN);
	ck_assert_int_eq(xs_errno("E2BIG", 6), -E2BIG);
	ck_assert_int_eq(xs_errno("EISCONN", 8), -EISCONN);
}
END_TEST

START_TEST(errno_unknown_is_einval)
{
	ck_assert_int_eq(xs_errno("EFOO", 5), -EINVAL);
	ck_assert_int_eq(xs_errno("ENOTTY", 7), -EINVAL);
	ck_assert_int_eq(xs_errno("enoent", 7), -EINVAL);
	ck_assert_int_eq(xs_errno("ENOENT ", 8), -EINVAL);
	ck_assert_int_eq(xs_errno("ENOEN", 6), -EINVAL);
	/* One string, if an empty one: a name Xen does not define. */
	ck_assert_int_eq(xs_errno("", 1), -EINVAL);
}
END_TEST

START_TEST(errno_malformed_is_eio)
{
	ck_assert_int_eq(xs_errno("", 0), -EIO);
	ck_assert_int_eq(xs_errno("ENOENT", 6), -EIO);
	ck_assert_int_eq(xs_errno("EN\0OENT", 8), -EIO);
	ck_assert_int_eq(xs_errno("ENOENT\0", 8), -EIO);
	ck_assert_int_eq(xs_errno("\0", 2), -EIO);
}
END_TEST

START_TEST(errstr_unknown_is_einval)
{
	ck_assert_str_eq(xs_errstr(-ENOTTY), "EINVAL");
	ck_assert_str_eq(xs_errstr(0), "EINVAL");
	ck_assert_str_eq(xs_errstr(ENOENT), "EINVAL");
	ck_assert_str_eq(xs_errstr(-ENOENT), "ENOENT");
	ck_assert_int_eq(xs_errno(xs_errstr(-ENOTTY), 7), -EINVAL);
}
END_TEST

START_TEST(count_strings)
{
	ck_assert_int_eq(xs_count_strings("", 0), 0);
	ck_assert_int_eq(xs_count_strings("", 1), 1);
	ck_assert_int_eq(xs_count_strings("a", 2), 1);
	ck_assert_int_eq(xs_count_strings("a\0bc", 5), 2);
	ck_assert_int_eq(xs_count_strings("\0\0", 3), 3);
	ck_assert_int_eq(xs_count_strings("a\0b", 3), -EIO);
	ck_assert_int_eq(xs_count_strings("a", 1), -EIO);
}
END_TEST

START_TEST(watch_event_path_and_token)
{
	static const char ev[] = "device/vif/0\0tok";
	const char *path = NULL, *token = NULL;

	ck_assert_int_eq(xs_watch_event_parse(ev, sizeof(ev), &path, &token), 0);
	ck_assert_ptr_eq(path, ev);
	ck_assert_ptr_eq(token, ev + 13);
	ck_assert_str_eq(path, "device/vif/0");
	ck_assert_str_eq(token, "tok");
}
END_TEST

START_TEST(watch_event_extra_strings_allowed)
{
	static const char ev[] = "p\0t\0extra";
	const char *path = NULL, *token = NULL;

	ck_assert_int_eq(xs_watch_event_parse(ev, sizeof(ev), &path, &token), 0);
	ck_assert_str_eq(path, "p");
	ck_assert_str_eq(token, "t");
	/* An empty token is still a token. */
	ck_assert_int_eq(xs_watch_event_parse("p\0", 3, &path, &token), 0);
	ck_assert_str_eq(token, "");
}
END_TEST

START_TEST(watch_event_malformed)
{
	static const struct {
		const char *body;
		size_t len;
	} cases[] = {
		{ "", 0 },		/* nothing */
		{ "path", 5 },		/* one string only */
		{ "\0tok", 5 },		/* empty path */
		{ "path\0tok", 8 },	/* token without its NUL */
		{ "p\0t\0x", 5 },	/* an extra string without it */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *path = "untouched", *token = "untouched";

		ck_assert_msg(xs_watch_event_parse(cases[i].body, cases[i].len,
						   &path, &token) == -EIO,
			      "case %u", i);
		ck_assert_str_eq(path, "untouched");
		ck_assert_str_eq(token, "untouched");
	}
}
END_TEST

START_TEST(path_valid_accepts)
{
	static const char *const good[] = {
		"/", "/local/domain/1", "device/vif/0", "a", "/a",
		"AZaz09-_@", "backend/vbd/1/51712/sector-size",
		"@introduceDomain", "@releaseDomain", "/@foo", "a@b",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		ck_assert_msg(xs_path_valid(good[i]), "\"%s\"", good[i]);
}
END_TEST

START_TEST(path_valid_rejects)
{
	static const char *const bad[] = {
		"", "//", "///", "/a/", "a/", "a//b", "//a", "a b", "a.b",
		"..", "a*", "a\nb", "caf\xc3\xa9", "@foo", "@", "@introduceDomain/x",
		"@introduceDomainX", "@releasedomain",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(!xs_path_valid(bad[i]), "\"%s\"", bad[i]);
}
END_TEST

START_TEST(join_dir_and_node)
{
	char buf[32];

	ck_assert_int_eq(xs_join(buf, sizeof(buf), "device", "vif"), 10);
	ck_assert_str_eq(buf, "device/vif");
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "device/vif/0", ""), 12);
	ck_assert_str_eq(buf, "device/vif/0");
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "/local", "domain/7"), 15);
	ck_assert_str_eq(buf, "/local/domain/7");
}
END_TEST

START_TEST(join_rejects_invalid)
{
	char buf[32];

	ck_assert_int_eq(xs_join(buf, sizeof(buf), "device", "a b"), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "device", "a.b"), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "device", "*"), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "device/", "vif"), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "device", "vif/"), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "/", "local"), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "", ""), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "", "domid"), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "@foo", ""), -EINVAL);
	ck_assert_int_eq(xs_join(buf, sizeof(buf), "@releaseDomain", ""), 14);
}
END_TEST

/* A directory that, joined with "b", makes a path of @len characters. */
static char *long_dir(size_t len)
{
	char *dir = malloc(len - 1);

	ck_assert_ptr_nonnull(dir);
	memset(dir, 'a', len - 2);
	dir[len - 2] = '\0';
	return dir;
}

START_TEST(join_length_limits)
{
	char *max = long_dir(XENSTORE_ABS_PATH_MAX);
	char *over = long_dir(XENSTORE_ABS_PATH_MAX + 1);
	char *buf = malloc(XENSTORE_ABS_PATH_MAX + 2);

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(xs_join(buf, XENSTORE_ABS_PATH_MAX + 2, max, "b"),
			 XENSTORE_ABS_PATH_MAX);
	ck_assert_uint_eq(strlen(buf), XENSTORE_ABS_PATH_MAX);
	ck_assert_int_eq(xs_join(buf, XENSTORE_ABS_PATH_MAX + 2, over, "b"),
			 -ENAMETOOLONG);
	ck_assert_int_eq(xs_join(buf, XENSTORE_ABS_PATH_MAX + 2, over, ""),
			 XENSTORE_ABS_PATH_MAX - 1);
	free(max);
	free(over);
	free(buf);
}
END_TEST

START_TEST(join_buffer_too_small)
{
	char *buf = malloc(11);

	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(xs_join(buf, 10, "device", "vif"), -ENAMETOOLONG);
	ck_assert_int_eq(xs_join(buf, 0, "", ""), -ENAMETOOLONG);
	ck_assert_int_eq(xs_join(buf, 11, "device", "vif"), 10);
	ck_assert_str_eq(buf, "device/vif");
	free(buf);
}
END_TEST

START_TEST(parse_uint_accepts)
{
	unsigned int v = 1;

	ck_assert_int_eq(xs_parse_uint("0", 0, &v), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(xs_parse_uint("7", 10, &v), 0);
	ck_assert_uint_eq(v, 7);
	ck_assert_int_eq(xs_parse_uint("100", 100, &v), 0);
	ck_assert_uint_eq(v, 100);
	ck_assert_int_eq(xs_parse_uint("4294967295", UINT_MAX, &v), 0);
	ck_assert_uint_eq(v, 4294967295u);
}
END_TEST

START_TEST(parse_uint_rejects)
{
	static const struct {
		const char *s;
		unsigned int max;
	} cases[] = {
		{ "", UINT_MAX }, { "007", UINT_MAX }, { "00", UINT_MAX },
		{ "-1", UINT_MAX }, { "+1", UINT_MAX }, { " 1", UINT_MAX },
		{ "1 ", UINT_MAX }, { "1\n", UINT_MAX }, { "1a", UINT_MAX },
		{ "0x1", UINT_MAX }, { "101", 100 }, { "1", 0 },
		{ "4294967296", UINT_MAX },
		{ "18446744073709551616", UINT_MAX },
		{ "99999999999999999999999", UINT_MAX },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int v = 12345;

		ck_assert_msg(xs_parse_uint(cases[i].s, cases[i].max, &v) ==
			      -EINVAL, "\"%s\"", cases[i].s);
		ck_assert_uint_eq(v, 12345);
	}
}
END_TEST

/* The 64-bit form the frontends use: its whole range and its edges. */
START_TEST(parse_u64_edges)
{
	u64 v = 1;

	ck_assert_int_eq(xpv_parse_u64("18446744073709551615", U64_MAX, &v), 0);
	ck_assert(v == U64_MAX);
	ck_assert_int_eq(xpv_parse_u64("36028797018963967", U64_MAX, &v), 0);
	ck_assert(v == 36028797018963967ULL);
	ck_assert_int_eq(xpv_parse_u64("4294967294", 4294967294ULL, &v), 0);
	ck_assert(v == 4294967294ULL);
	ck_assert_int_eq(xpv_parse_u64("9", 9, &v), 0);
	ck_assert(v == 9);
	v = 77;
	ck_assert_int_eq(xpv_parse_u64("18446744073709551616", U64_MAX, &v),
			 -EINVAL);
	ck_assert_int_eq(xpv_parse_u64("99999999999999999999", U64_MAX, &v),
			 -EINVAL);
	ck_assert_int_eq(xpv_parse_u64("4294967295", 4294967294ULL, &v),
			 -EINVAL);
	ck_assert_int_eq(xpv_parse_u64("10", 9, &v), -EINVAL);
	ck_assert_int_eq(xpv_parse_u64("5", 4, &v), -EINVAL);
	ck_assert_int_eq(xpv_parse_u64("-0", U64_MAX, &v), -EINVAL);
	ck_assert_int_eq(xpv_parse_u64("007", U64_MAX, &v), -EINVAL);
	ck_assert(v == 77);
}
END_TEST

/*
 * Fuzz: a hostile xenstored's stream of good and bad messages, delivered in
 * random pieces, now and then with indexes that lie. The model: however the
 * bytes were cut, xs_rx_poll() has taken exactly the pushed bytes of the
 * message it is on and judged its header as soon as all of it arrived.
 */
#define FUZZ_STREAM (16 * 1024)

struct rx_fuzz {
	struct conn *c;
	XENSTORE_RING_IDX start;
	uint8_t stream[FUZZ_STREAM];
	size_t len;	/* bytes in the stream */
	size_t sent;	/* of those, put on the ring */
	size_t msg;	/* where the message being received begins */
};

static void rx_fuzz_episode(struct rx_fuzz *f, uint32_t *seed)
{
	f->len = 0;
	while (f->len + HDR + XENSTORE_PAYLOAD_MAX <= FUZZ_STREAM) {
		struct xsd_sockmsg h = {
			.type = rnd(seed) % XS_TYPE_COUNT,
			.req_id = rnd(seed),
			.tx_id = rnd(seed),
			.len = rnd(seed) % 64,
		};
		size_t i, body;

		switch (rnd(seed) % 32) {
		case 0:
			h.type = rnd(seed);
			break;
		case 1:
			h.type = XS_TYPE_COUNT - 1 + rnd(seed) % 2;
			break;
		case 2:
			h.len = rnd(seed);
			break;
		case 3:
			h.len = XENSTORE_PAYLOAD_MAX - 1 + rnd(seed) % 3;
			break;
		case 4 ... 7:
			h.len = rnd(seed) % (XENSTORE_PAYLOAD_MAX + 1);
			break;
		}
		memcpy(f->stream + f->len, &h, HDR);
		f->len += HDR;
		body = min_t(size_t, h.len, XENSTORE_PAYLOAD_MAX);
		for (i = 0; i < body; i++)
			f->stream[f->len++] = rnd(seed);
	}
	if (f->c)
		conn_free(f->c);
	f->start = rnd(seed) % 2 ? rnd(seed) : 0u - rnd(seed) % 4096;
	f->c = conn_new(f->start);
	f->sent = 0;
	f->msg = 0;
}

/* What xs_rx_poll() must return, and how much of the message it holds. */
static int rx_fuzz_expect(const struct rx_fuzz *f, size_t *got)
{
	size_t have = f->sent - f->msg;
	struct xsd_sockmsg h;

	*got = min_t(size_t, have, HDR);
	if (have < HDR)
		return 0;
	memcpy(&h, f->stream + f->msg, HDR);
	if (h.len > XENSTORE_PAYLOAD_MAX || h.type >= XS_TYPE_COUNT)
		return -EIO;
	*got = min_t(size_t, have, HDR + h.len);
	return have >= HDR + h.len;
}

static size_t rx_fuzz_chunk(uint32_t *seed)
{
	switch (rnd(seed) % 8) {
	case 0:
		return 0;
	case 1 ... 3:
		return 1 + rnd(seed) % 3;
	case 4 ... 5:
		return rnd(seed) % 64;
	case 6:
		return rnd(seed) % (RING + 1);
	default:
		return RING;
	}
}

START_TEST(fuzz_rx_poll)
{
	uint32_t seed = 0xf022 + _i;
	struct rx_fuzz *f = calloc(1, sizeof(*f));
	unsigned int step, msgs = 0, bad = 0, lies_told = 0;

	ck_assert_ptr_nonnull(f);
	rx_fuzz_episode(f, &seed);
	for (step = 0; step < 20000; step++) {
		struct xenstore_domain_interface *intf = f->c->intf;
		size_t n, got;
		int ret;

		if (rnd(&seed) % 256 == 0) {
			XENSTORE_RING_IDX cons = intf->rsp_cons;

			intf->rsp_prod = cons + RING + 1 +
					 rnd(&seed) % (UINT32_MAX - RING);
			ck_assert_int_eq(xs_rx_poll(&f->c->r, &f->c->rx), -EIO);
			ck_assert_uint_eq(intf->rsp_cons, cons);
			lies_told++;
			rx_fuzz_episode(f, &seed);
			continue;
		}
		n = min_t(size_t, rx_fuzz_chunk(&seed), f->len - f->sent);
		ck_assert_uint_eq(xsd_send(intf, f->stream + f->sent, n), n);
		f->sent += n;
		while ((ret = xs_rx_poll(&f->c->r, &f->c->rx)) == 1) {
			ck_assert_int_eq(rx_fuzz_expect(f, &got), 1);
			ck_assert(!memcmp(&f->c->rx.hdr, f->stream + f->msg, HDR));
			ck_assert(!memcmp(f->c->rx.body, f->stream + f->msg + HDR,
					  got - HDR));
			ck_assert_int_eq(f->c->rx.body[got - HDR], '\0');
			f->msg += got;
			xs_rx_reset(&f->c->rx);
			msgs++;
		}
		ck_assert_int_eq(ret, rx_fuzz_expect(f, &got));
		ck_assert_uint_eq(f->c->rx.got, got);
		ck_assert_uint_eq(intf->rsp_cons,
				  (XENSTORE_RING_IDX)(f->start + f->msg + got));
		if (ret < 0) {
			ck_assert_int_eq(xs_rx_poll(&f->c->r, &f->c->rx), -EIO);
			bad++;
		}
		if (ret < 0 || f->msg == f->len)
			rx_fuzz_episode(f, &seed);
	}
	/* Both outcomes, and the lies, did come up, many times. */
	ck_assert_uint_gt(msgs, 2000);
	ck_assert_uint_gt(bad, 100);
	ck_assert_uint_gt(lies_told, 30);
	conn_free(f->c);
	free(f);
}
END_TEST

/* Reference: walk the strings of a payload with memchr(). */
static int ref_count_strings(const char *b, size_t len)
{
	const char *p = b, *end = b + len;
	int n = 0;

	while (p < end) {
		const char *nul = memchr(p, '\0', end - p);

		if (!nul)
			return -EIO;
		n++;
		p = nul + 1;
	}
	return n;
}

/* Reference: exactly one string, looked up in Xen's table. */
static int ref_errno(const char *b, size_t len)
{
	unsigned int i;

	if (!len || memchr(b, '\0', len) != b + len - 1)
		return -EIO;
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (strlen(xsd_errors[i].errstring) == len - 1 &&
		    !memcmp(b, xsd_errors[i].errstring, len - 1))
			return -xsd_errors[i].errnum;
	return -EINVAL;
}

/* Reference: xenstored's own checks (is_valid_nodename, valid_chars). */
static bool ref_path_valid(const char *s)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789-/_@";
	size_t len = strlen(s);

	if (!strcmp(s, "@introduceDomain") || !strcmp(s, "@releaseDomain"))
		return true;
	if (s[0] == '@')
		return false;
	if (!strcmp(s, "/"))
		return true;
	return len && strspn(s, chars) == len && !strstr(s, "//") &&
	       s[len - 1] != '/';
}

/* Reference: the C library's conversion, once the form is right. */
static int ref_parse_uint(const char *s, unsigned int max, unsigned int *val)
{
	size_t len = strlen(s);
	unsigned long long v;

	if (!len || strspn(s, "0123456789") != len ||
	    (s[0] == '0' && len > 1) || len > 10)
		return -EINVAL;
	v = strtoull(s, NULL, 10);
	if (v > max)
		return -EINVAL;
	*val = v;
	return 0;
}

#define FUZZ_MAX 40

static const char fuzz_chars[] = "ab0159/@_-. *\n";
static const char *const fuzz_seeds[] = {
	"ENOENT", "E2BIG", "EINVAL", "EISCONN", "@introduceDomain",
	"@releaseDomain", "device/vif/0", "/local/domain/1", "/", "0",
	"4294967295", "4294967296", "007",
};

static char fuzz_char(uint32_t *seed)
{
	return fuzz_chars[rnd(seed) % (sizeof(fuzz_chars) - 1)];
}

/* Bytes near what a parser accepts, or none of that; then a few edits. */
static size_t fuzz_input(uint32_t *seed, char *buf)
{
	size_t len = 0, i, n;

	switch (rnd(seed) % 4) {
	case 0:
		strcpy(buf, fuzz_seeds[rnd(seed) % ARRAY_SIZE(fuzz_seeds)]);
		len = strlen(buf) + 1;
		break;
	case 1:
		len = rnd(seed) % FUZZ_MAX;
		for (i = 0; i < len; i++)
			buf[i] = rnd(seed) % 5 ? fuzz_char(seed) : '\0';
		break;
	case 2:
		len = rnd(seed) % 24;
		for (i = 0; i < len; i++)
			buf[i] = '0' + rnd(seed) % 10;
		break;
	default:
		len = rnd(seed) % FUZZ_MAX;
		for (i = 0; i < len; i++)
			buf[i] = rnd(seed);
		break;
	}
	for (n = rnd(seed) % 3; n; n--) {
		switch (rnd(seed) % 3) {
		case 0:
			if (len)
				buf[rnd(seed) % len] = fuzz_char(seed);
			break;
		case 1:
			len = len ? rnd(seed) % len : 0;
			break;
		default:
			if (len < FUZZ_MAX)
				buf[len++] = rnd(seed) % 2 ? fuzz_char(seed) : '\0';
			break;
		}
	}
	return len;
}

static unsigned int fuzz_max(uint32_t *seed)
{
	switch (rnd(seed) % 3) {
	case 0:
		return UINT_MAX;
	case 1:
		return rnd(seed);
	default:
		return rnd(seed) % 1000;
	}
}

START_TEST(fuzz_parsers)
{
	uint32_t seed = 0xba5e + _i;
	unsigned int iter, events = 0, errnos = 0, paths = 0, uints = 0;

	for (iter = 0; iter < 20000; iter++) {
		char in[FUZZ_MAX];
		size_t len = fuzz_input(&seed, in);
		/* Exactly sized, so ASan sees any read past the end. */
		char *b = malloc(len), *s = malloc(len + 1);
		const char *path = NULL, *token = NULL;
		unsigned int max = fuzz_max(&seed), v = 1, ref_v = 2;
		int ret, ref;

		ck_assert_ptr_nonnull(b);
		ck_assert_ptr_nonnull(s);
		memcpy(b, in, len);
		memcpy(s, in, len);
		s[len] = '\0';

		ck_assert_int_eq(xs_count_strings(b, len),
				 ref_count_strings(b, len));

		ref = ref_count_strings(b, len) >= 2 && b[0] ? 0 : -EIO;
		ret = xs_watch_event_parse(b, len, &path, &token);
		ck_assert_int_eq(ret, ref);
		if (!ret) {
			ck_assert_ptr_eq(path, b);
			ck_assert_ptr_eq(token, (char *)memchr(b, '\0', len) + 1);
			events++;
		}

		ret = xs_errno(b, len);
		ck_assert_int_eq(ret, ref_errno(b, len));
		errnos += ret != -EIO && ret != -EINVAL;

		ck_assert_int_eq(xs_path_valid(s), ref_path_valid(s));
		paths += ref_path_valid(s);

		ret = xs_parse_uint(s, max, &v);
		ck_assert_int_eq(ret, ref_parse_uint(s, max, &ref_v));
		if (!ret) {
			ck_assert_uint_eq(v, ref_v);
			uints++;
		}
		free(b);
		free(s);
	}
	/* Each parser saw plenty of inputs it accepts. */
	ck_assert_uint_gt(events, 500);
	ck_assert_uint_gt(errnos, 200);
	ck_assert_uint_gt(paths, 1000);
	ck_assert_uint_gt(uints, 1000);
}
END_TEST

static Suite *xs_wire_suite(void)
{
	Suite *s = suite_create("xs_wire");
	TCase *ring = tcase_create("ring");
	TCase *msg = tcase_create("msg");
	TCase *parse = tcase_create("parse");
	TCase *fuzz = tcase_create("fuzz");

	tcase_add_test(ring, attach_takes_page_indexes);
	tcase_add_loop_test(ring, write_at_every_offset, 0, ARRAY_SIZE(bases));
	tcase_add_loop_test(ring, read_at_every_offset, 0, ARRAY_SIZE(bases));
	tcase_add_test(ring, full_request_ring_takes_what_fits);
	tcase_add_test(ring, full_response_ring_is_read_whole);
	tcase_add_loop_test(ring, corrupt_req_cons_is_eio, 0, ARRAY_SIZE(lies));
	tcase_add_loop_test(ring, corrupt_rsp_prod_is_eio, 0, ARRAY_SIZE(lies));
	tcase_add_test(ring, own_indexes_never_read_back);
	suite_add_tcase(s, ring);

	tcase_add_test(msg, msg_build_layout);
	tcase_add_test(msg, msg_build_empty_payload);
	tcase_add_test(msg, msg_size_limit);
	tcase_add_loop_test(msg, tx_push_across_partial_writes, 0, 4);
	tcase_add_test(msg, tx_push_corrupt_ring_is_eio);
	tcase_add_test(msg, rx_one_byte_at_a_time);
	tcase_add_loop_test(msg, rx_random_chunks, 0, 4);
	tcase_add_test(msg, rx_header_then_body);
	tcase_add_test(msg, rx_reset_then_next_message);
	tcase_add_test(msg, rx_zero_length_payload);
	tcase_add_test(msg, rx_body_nul_terminated);
	tcase_add_test(msg, rx_accepts_payload_max);
	tcase_add_loop_test(msg, rx_rejects_oversized_len, 0,
			    ARRAY_SIZE(bad_lens));
	tcase_add_loop_test(msg, rx_rejects_unknown_type, 0,
			    ARRAY_SIZE(bad_types));
	tcase_add_loop_test(msg, rx_bad_header_stays_bad, 0, 2);
	tcase_add_test(msg, rx_corrupt_ring_mid_message);
	tcase_add_test(msg, hdr_check_limits);
	tcase_add_test(msg, reply_check_outcomes);
	suite_add_tcase(s, msg);

	tcase_add_test(parse, errno_of_every_xen_error);
	tcase_add_test(parse, errno_unknown_is_einval);
	tcase_add_test(parse, errno_malformed_is_eio);
	tcase_add_test(parse, errstr_unknown_is_einval);
	tcase_add_test(parse, count_strings);
	tcase_add_test(parse, watch_event_path_and_token);
	tcase_add_test(parse, watch_event_extra_strings_allowed);
	tcase_add_test(parse, watch_event_malformed);
	tcase_add_test(parse, path_valid_accepts);
	tcase_add_test(parse, path_valid_rejects);
	tcase_add_test(parse, join_dir_and_node);
	tcase_add_test(parse, join_rejects_invalid);
	tcase_add_test(parse, join_length_limits);
	tcase_add_test(parse, join_buffer_too_small);
	tcase_add_test(parse, parse_uint_accepts);
	tcase_add_test(parse, parse_uint_rejects);
	tcase_add_test(parse, parse_u64_edges);
	suite_add_tcase(s, parse);

	tcase_add_loop_test(fuzz, fuzz_rx_poll, 0, 4);
	tcase_add_loop_test(fuzz, fuzz_parsers, 0, 4);
	suite_add_tcase(s, fuzz);
	return s;
}
XPV_SUITE(xs_wire_suite)
