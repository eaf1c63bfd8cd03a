/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenstore wire protocol as pure logic (no kernel-only API; tests/unit
 * compiles it in userspace): the byte rings of the shared page, message
 * framing, reply and watch-event parsing, error strings, paths.
 *
 * Everything read from the shared page or from a message comes from another
 * domain and is checked: ring indexes that claim more bytes than the ring
 * holds, a length over XENSTORE_PAYLOAD_MAX, strings without their NUL are
 * protocol errors (-EIO), never trusted.
 */
#ifndef _XPV_XENBUS_XS_WIRE_H
#define _XPV_XENBUS_XS_WIRE_H

#include <xpv/xpv.h>
#include <linux/errno.h>
#include <linux/types.h>
/* xsd_errors[] names the E* constants. */
#include <xen/interface/io/xs_wire.h>

/**
 * struct xs_ring - our end of the xenstore page's two byte rings
 * @intf:     the shared page
 * @req_prod: bytes we produced on the request ring (our copy)
 * @rsp_cons: bytes we consumed from the response ring (our copy)
 *
 * The indexes we own are never read back from the page after
 * xs_ring_attach().
 */
struct xs_ring {
	struct xenstore_domain_interface *intf;
	XENSTORE_RING_IDX req_prod;
	XENSTORE_RING_IDX rsp_cons;
};

void xs_ring_attach(struct xs_ring *r, struct xenstore_domain_interface *intf);
int xs_ring_write(struct xs_ring *r, const void *data, size_t len);
int xs_ring_read(struct xs_ring *r, void *buf, size_t len);
int xs_ring_space(const struct xs_ring *r);
int xs_ring_avail(const struct xs_ring *r);

/**
 * struct xs_rx - a message being received from the response ring
 * @hdr:  its header, once @got >= sizeof(@hdr)
 * @got:  bytes received so far, header included
 * @body: its payload, NUL-terminated at @body[@hdr.len] once complete
 */
struct xs_rx {
	struct xsd_sockmsg hdr;
	size_t got;
	char body[XENSTORE_PAYLOAD_MAX + 1];
};

int xs_rx_poll(struct xs_ring *r, struct xs_rx *rx);
void xs_rx_reset(struct xs_rx *rx);

/**
 * struct xs_tx - a message being sent on the request ring
 * @msg: header and payload, contiguous
 * @len: their total size
 * @off: bytes sent so far
 */
struct xs_tx {
	const void *msg;
	size_t len;
	size_t off;
};

int xs_tx_push(struct xs_ring *r, struct xs_tx *tx);

/**
 * struct xs_iov - one piece of a request's payload
 * @base: the bytes
 * @len:  how many
 */
struct xs_iov {
	const void *base;
	size_t len;
};

ssize_t xs_msg_size(const struct xs_iov *iov, unsigned int n);
size_t xs_msg_build(void *buf, u32 type, u32 req_id, u32 tx_id,
		    const struct xs_iov *iov, unsigned int n);
int xs_hdr_check(const struct xsd_sockmsg *hdr);
int xs_reply_check(const struct xsd_sockmsg *hdr, const char *body,
		   u32 expected);
int xs_errno(const char *s, size_t len);
const char *xs_errstr(int err);
int xs_count_strings(const char *body, size_t len);
int xs_watch_event_parse(const char *body, size_t len, const char **path,
			 const char **token);
int xs_join(char *buf, size_t size, const char *dir, const char *node);
bool xs_path_valid(const char *path);
int xs_parse_uint(const char *s, unsigned int max, unsigned int *val);

#endif /* _XPV_XENBUS_XS_WIRE_H */
