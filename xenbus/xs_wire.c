// SPDX-License-Identifier: GPL-2.0-only
/*
 * The xenstore wire protocol: byte rings, framing, parsing (see xs_wire.h).
 *
 * Pure logic: compiled into xpv_xenbus.ko and, unchanged, into the userspace
 * unit tests (tests/unit), which feed it malformed and hostile input.
 */
#include "xs_wire.h"
#include <xpv/parse.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/barrier.h>

/**
 * xs_ring_attach() - take over the rings of a xenstore page
 * @r:    our end, to initialise
 * @intf: the shared page
 *
 * Our indexes start where the page has them: xenstored keeps the
 * connection's state across a reload of the module.
 */
void xs_ring_attach(struct xs_ring *r, struct xenstore_domain_interface *intf)
{
	r->intf = intf;
	r->req_prod = READ_ONCE(intf->req_prod);
	r->rsp_cons = READ_ONCE(intf->rsp_cons);
}

/**
 * xs_ring_space() - bytes the request ring can take now
 * @r: our end
 *
 * Return: 0..XENSTORE_RING_SIZE, or -EIO if xenstored's consumer index is
 * not within one ring of our producer index.
 */
int xs_ring_space(const struct xs_ring *r)
{
	XENSTORE_RING_IDX used = r->req_prod - READ_ONCE(r->intf->req_cons);

	if (used > XENSTORE_RING_SIZE)
		return -EIO;
	return XENSTORE_RING_SIZE - used;
}

/**
 * xs_ring_avail() - bytes waiting on the response ring
 * @r: our end
 *
 * Return: 0..XENSTORE_RING_SIZE, or -EIO if xenstored's producer index is
 * not within one ring of our consumer index.
 */
int xs_ring_avail(const struct xs_ring *r)
{
	XENSTORE_RING_IDX avail = READ_ONCE(r->intf->rsp_prod) - r->rsp_cons;

	if (avail > XENSTORE_RING_SIZE)
		return -EIO;
	return avail;
}

/**
 * xs_ring_write() - put bytes on the request ring
 * @r:    our end
 * @data: the bytes
 * @len:  how many
 *
 * Writes as many as fit, then publishes them (the caller notifies xenstored).
 *
 * Return: bytes written (0 if the ring is full), or -EIO for a corrupt ring.
 */
int xs_ring_write(struct xs_ring *r, const void *data, size_t len)
{
	int space = xs_ring_space(r);
	size_t done = 0;

	if (space < 0)
		return space;
	/* Read req_cons before overwriting the bytes it freed. */
	virt_mb();
	if (len > (size_t)space)
		len = space;
	while (done < len) {
		XENSTORE_RING_IDX at = MASK_XENSTORE_IDX(r->req_prod + done);
		size_t n = min_t(size_t, len - done, XENSTORE_RING_SIZE - at);

		memcpy(r->intf->req + at, (const u8 *)data + done, n);
		done += n;
	}
	/* The bytes before the index that publishes them. */
	virt_wmb();
	r->req_prod += done;
	WRITE_ONCE(r->intf->req_prod, r->req_prod);
	return done;
}

/**
 * xs_ring_read() - take bytes off the response ring
 * @r:   our end
 * @buf: where to copy them (each byte is read from the page once)
 * @len: the most to take
 *
 * Return: bytes read (0 if none wait), or -EIO for a corrupt ring.
 */
int xs_ring_read(struct xs_ring *r, void *buf, size_t len)
{
	int avail = xs_ring_avail(r);
	size_t done = 0;

	if (avail < 0)
		return avail;
	/* rsp_prod before the bytes it covers. */
	virt_rmb();
	if (len > (size_t)avail)
		len = avail;
	while (done < len) {
		XENSTORE_RING_IDX at = MASK_XENSTORE_IDX(r->rsp_cons + done);
		size_t n = min_t(size_t, len - done, XENSTORE_RING_SIZE - at);

		memcpy((u8 *)buf + done, r->intf->rsp + at, n);
		done += n;
	}
	/* Done reading the bytes before handing them back. */
	virt_mb();
	r->rsp_cons += done;
	WRITE_ONCE(r->intf->rsp_cons, r->rsp_cons);
	return done;
}

/**
 * xs_rx_reset() - get ready for the next message
 * @rx: the receive state
 */
void xs_rx_reset(struct xs_rx *rx)
{
	rx->got = 0;
}

/**
 * xs_rx_poll() - receive as much of a message as the ring holds
 * @r:  our end
 * @rx: the receive state; xs_rx_reset() it after using a complete message
 *
 * Return: 1 when @rx holds a whole, checked message (xs_hdr_check()), 0 if
 * more bytes are needed, -EIO for a corrupt ring or a bad header (the
 * stream cannot be trusted after that; a bad header fails every later call
 * too, until xs_rx_reset(), and its payload is never read).
 */
int xs_rx_poll(struct xs_ring *r, struct xs_rx *rx)
{
	const size_t hlen = sizeof(rx->hdr);
	int n, ret;

	if (rx->got < hlen) {
		n = xs_ring_read(r, (u8 *)&rx->hdr + rx->got, hlen - rx->got);
		if (n < 0)
			return n;
		rx->got += n;
		if (rx->got < hlen)
			return 0;
	}
	ret = xs_hdr_check(&rx->hdr);
	if (ret)
		return ret;
	if (rx->got < hlen + rx->hdr.len) {
		n = xs_ring_read(r, rx->body + (rx->got - hlen),
				 hlen + rx->hdr.len - rx->got);
		if (n < 0)
			return n;
		rx->got += n;
		if (rx->got < hlen + rx->hdr.len)
			return 0;
	}
	rx->body[rx->hdr.len] = '\0';
	return 1;
}

/**
 * xs_tx_push() - send as much of a message as the ring takes
 * @r:  our end
 * @tx: the message and how far it got
 *
 * Return: 1 when all of it is on the ring, 0 if the ring filled up first,
 * -EIO for a corrupt ring.
 */
int xs_tx_push(struct xs_ring *r, struct xs_tx *tx)
{
	int n = xs_ring_write(r, (const u8 *)tx->msg + tx->off,
			      tx->len - tx->off);

	if (n < 0)
		return n;
	tx->off += n;
	return tx->off == tx->len;
}

/**
 * xs_msg_size() - the size of a request with this payload
 * @iov: the payload's pieces
 * @n:   how many
 *
 * Return: header plus payload in bytes, or -E2BIG if the payload is over
 * XENSTORE_PAYLOAD_MAX.
 */
ssize_t xs_msg_size(const struct xs_iov *iov, unsigned int n)
{
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (iov[i].len > XENSTORE_PAYLOAD_MAX - len)
			return -E2BIG;
		len += iov[i].len;
	}
	return sizeof(struct xsd_sockmsg) + len;
}

/**
 * xs_msg_build() - lay out a request
 * @buf:    room for xs_msg_size() bytes
 * @type:   XS_*
 * @req_id: the request id the reply will carry
 * @tx_id:  the transaction, or 0
 * @iov:    the payload's pieces (xs_msg_size() accepted them)
 * @n:      how many
 *
 * Return: the message's size.
 */
size_t xs_msg_build(void *buf, u32 type, u32 req_id, u32 tx_id,
		    const struct xs_iov *iov, unsigned int n)
{
	struct xsd_sockmsg hdr = { .type = type, .req_id = req_id,
				   .tx_id = tx_id };
	u8 *p = (u8 *)buf + sizeof(hdr);
	unsigned int i;

	for (i = 0; i < n; i++) {
		memcpy(p, iov[i].base, iov[i].len);
		p += iov[i].len;
	}
	hdr.len = p - (u8 *)buf - sizeof(hdr);
	memcpy(buf, &hdr, sizeof(hdr));
	return p - (u8 *)buf;
}

/**
 * xs_hdr_check() - is this a header xenstored may send us?
 * @hdr: the header, copied out of the ring
 *
 * Return: 0, or -EIO for an unknown type or a payload over the limit.
 */
int xs_hdr_check(const struct xsd_sockmsg *hdr)
{
	if (hdr->len > XENSTORE_PAYLOAD_MAX)
		return -EIO;
	if (hdr->type >= XS_TYPE_COUNT)
		return -EIO;
	return 0;
}

/**
 * xs_reply_check() - the outcome a reply reports
 * @hdr:      the reply's header (xs_hdr_check() passed)
 * @body:     its payload, NUL-terminated at @body[@hdr->len]
 * @expected: the request's type, which a good reply echoes
 *
 * Return: 0 for a reply of type @expected; the errno of an XS_ERROR reply
 * (xs_errno()); -EIO for a reply of another type.
 */
int xs_reply_check(const struct xsd_sockmsg *hdr, const char *body,
		   u32 expected)
{
	if (hdr->type == XS_ERROR)
		return xs_errno(body, hdr->len);
	if (hdr->type != expected)
		return -EIO;
	return 0;
}

/**
 * xs_errno() - the errno of an XS_ERROR payload
 * @s:   the payload, e.g. "ENOENT\0"
 * @len: its length (the NUL included)
 *
 * Return: the negative errno Xen's string names; -EIO for a payload that is
 * not one NUL-terminated string, -EINVAL for a string Xen does not define.
 */
int xs_errno(const char *s, size_t len)
{
	unsigned int i;

	if (!len || s[len - 1] != '\0' || strlen(s) != len - 1)
		return -EIO;
	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (!strcmp(s, xsd_errors[i].errstring))
			return -xsd_errors[i].errnum;
	return -EINVAL;
}

/**
 * xs_errstr() - the XS_ERROR string of an errno
 * @err: a negative errno
 *
 * Return: Xen's name for it, or "EINVAL" for one Xen does not define.
 */
const char *xs_errstr(int err)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xsd_errors); i++)
		if (err == -xsd_errors[i].errnum)
			return xsd_errors[i].errstring;
	return "EINVAL";
}

/**
 * xs_count_strings() - the strings of a directory listing
 * @body: a payload of NUL-terminated strings
 * @len:  its length
 *
 * Return: how many strings, or -EIO if the last one lacks its NUL.
 */
int xs_count_strings(const char *body, size_t len)
{
	size_t i;
	int n = 0;

	if (len && body[len - 1] != '\0')
		return -EIO;
	for (i = 0; i < len; i++)
		n += body[i] == '\0';
	return n;
}

/**
 * xs_watch_event_parse() - the path and token of an XS_WATCH_EVENT
 * @body:  the payload: path, NUL, token, NUL
 * @len:   its length
 * @path:  set to the path in @body
 * @token: set to the token in @body
 *
 * Return: 0, or -EIO unless @body holds two or more strings, the first one
 * not empty.
 */
int xs_watch_event_parse(const char *body, size_t len, const char **path,
			 const char **token)
{
	size_t plen;

	if (xs_count_strings(body, len) < 2)
		return -EIO;
	plen = strlen(body);
	if (!plen)
		return -EIO;
	*path = body;
	*token = body + plen + 1;
	return 0;
}

/**
 * xs_join() - "@dir/@node", or @dir alone for an empty @node
 * @buf:  where to write it
 * @size: room in @buf
 * @dir:  a directory
 * @node: a node in it, or ""
 *
 * Return: the path's length, -ENAMETOOLONG if it is over
 * XENSTORE_ABS_PATH_MAX or @buf, -EINVAL for an empty @dir or a path that
 * is not xs_path_valid().
 */
int xs_join(char *buf, size_t size, const char *dir, const char *node)
{
	size_t dl = strlen(dir), nl = strlen(node);
	size_t len = dl + (nl ? nl + 1 : 0);

	if (len > XENSTORE_ABS_PATH_MAX || len >= size)
		return -ENAMETOOLONG;
	/* "" + "node" would be "/node": the root's, not ours. */
	if (!dl)
		return -EINVAL;
	memcpy(buf, dir, dl);
	if (nl) {
		buf[dl] = '/';
		memcpy(buf + dl + 1, node, nl);
	}
	buf[len] = '\0';
	return xs_path_valid(buf) ? (int)len : -EINVAL;
}

static bool xs_path_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '@';
}

/**
 * xs_path_valid() - is @path a xenstore path?
 * @path: absolute ("/local/domain/1") or relative ("device/vif")
 *
 * Components of [A-Za-z0-9_@-], separated by single slashes, none empty, no
 * trailing slash (except the root "/"), as xenstored requires; or a special
 * watch path ("@introduceDomain", "@releaseDomain").
 *
 * Return: true if it is.
 */
bool xs_path_valid(const char *path)
{
	const char *p = path;
	bool need = true;

	if (!strcmp(path, "/"))
		return true;
	if (*p == '@')
		return !strcmp(p, "@introduceDomain") ||
		       !strcmp(p, "@releaseDomain");
	if (*p == '/')
		p++;
	for (; *p; p++) {
		if (*p == '/') {
			if (need)
				return false;
			need = true;
		} else if (xs_path_char(*p)) {
			need = false;
		} else {
			return false;
		}
	}
	return !need;
}

/**
 * xpv_parse_u64() - a decimal number from xenstore, strictly
 * @s:   the string: digits only, no sign, no space, no leading zero but
 *       for "0"
 * @max: the largest value accepted
 * @val: receives the number (left alone on error)
 *
 * Return: 0, or -EINVAL (not such a number, or over @max).
 */
int xpv_parse_u64(const char *s, u64 max, u64 *val)
{
	unsigned int d;
	u64 v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		d = *s - '0';
		if (v > max / 10 || d > max - v * 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(xpv_parse_u64, XPV);

/**
 * xs_parse_uint() - xpv_parse_u64() into an unsigned int
 * @s:   the string
 * @max: the largest value accepted
 * @val: the number
 *
 * Return: 0, or -EINVAL (not such a number, or over @max).
 */
int xs_parse_uint(const char *s, unsigned int max, unsigned int *val)
{
	u64 v;

	if (xpv_parse_u64(s, max, &v))
		return -EINVAL;
	*val = v;
	return 0;
}
