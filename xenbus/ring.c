// SPDX-License-Identifier: GPL-2.0-only
/*
 * Front-end half of a Xen shared I/O ring, independent of entry types.
 *
 * Pure logic: compiled into xpv_xenbus.ko and, unchanged, into the userspace
 * unit tests (tests/unit), which check it against the ABI's own ring macros.
 */
#include <xpv/ring.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/string.h>
#include <asm/barrier.h>

static void *xpv_ring_slot(const struct xpv_ring *ring, RING_IDX idx)
{
	return (u8 *)ring->sring->ring +
	       (size_t)(idx & (ring->nr_ents - 1)) * ring->entry_size;
}

/**
 * xpv_ring_init() - initialise a shared ring and its front-end state
 * @ring:       front-end state to initialise
 * @shared:     the shared ring page(s), owned by the caller
 * @bytes:      size of @shared (PAGE_SIZE << ring-page-order)
 * @entry_size: size of the protocol's ring entry, e.g.
 *              sizeof(union blkif_sring_entry)
 *
 * Resets the shared indexes as SHARED_RING_INIT() does and sizes the ring as
 * __RING_SIZE() does: as many entries as fit, rounded down to a power of two.
 *
 * Return: 0, or -EINVAL if not even one entry fits.
 */
int xpv_ring_init(struct xpv_ring *ring, void *shared, size_t bytes,
		  unsigned int entry_size)
{
	struct xpv_raw_sring *sring = shared;
	size_t hdr = offsetof(struct xpv_raw_sring, ring);
	size_t n;

	if (!shared || !entry_size || bytes < hdr)
		return -EINVAL;
	n = (bytes - hdr) / entry_size;
	if (!n || n > 1U << 30)
		return -EINVAL;

	memset(ring, 0, sizeof(*ring));
	ring->sring = sring;
	ring->entry_size = entry_size;
	ring->nr_ents = rounddown_pow_of_two(n);

	sring->req_prod = 0;
	sring->rsp_prod = 0;
	sring->req_event = 1;
	sring->rsp_event = 1;
	memset(sring->__pad, 0, sizeof(sring->__pad));
	return 0;
}
EXPORT_SYMBOL_NS_GPL(xpv_ring_init, XPV);

/**
 * xpv_ring_free_requests() - request slots xpv_ring_prepare() can still hand out
 * @ring: the ring
 *
 * Return: number of free request slots.
 */
unsigned int xpv_ring_free_requests(const struct xpv_ring *ring)
{
	return ring->nr_ents - (ring->req_prod_pvt - ring->rsp_cons);
}
EXPORT_SYMBOL_NS_GPL(xpv_ring_free_requests, XPV);

/**
 * xpv_ring_in_flight() - requests prepared or published but not yet answered
 * @ring: the ring
 *
 * Return: number of requests whose responses have not been consumed.
 */
unsigned int xpv_ring_in_flight(const struct xpv_ring *ring)
{
	return ring->req_prod_pvt - ring->rsp_cons;
}
EXPORT_SYMBOL_NS_GPL(xpv_ring_in_flight, XPV);

/**
 * xpv_ring_prepare() - claim the next request slot
 * @ring: the ring
 *
 * The caller fills the returned slot (at most @ring->entry_size bytes); the
 * backend sees it only after the next xpv_ring_push().
 *
 * Return: the slot in the shared page, or NULL if the ring is full.
 */
void *xpv_ring_prepare(struct xpv_ring *ring)
{
	if (!xpv_ring_free_requests(ring))
		return NULL;
	return xpv_ring_slot(ring, ring->req_prod_pvt++);
}
EXPORT_SYMBOL_NS_GPL(xpv_ring_prepare, XPV);

/**
 * xpv_ring_push() - publish every prepared request
 * @ring: the ring
 *
 * Same protocol as RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(), except that the
 * previous producer index comes from our own state, not from the shared page.
 *
 * Return: true if the backend asked to be notified of these requests
 * (its req_event lies within them): the caller then kicks its event channel.
 */
bool xpv_ring_push(struct xpv_ring *ring)
{
	RING_IDX old = ring->req_pushed;
	RING_IDX new = ring->req_prod_pvt;

	if (old == new)
		return false;
	virt_wmb();	/* requests before the producer index */
	WRITE_ONCE(ring->sring->req_prod, new);
	ring->req_pushed = new;
	virt_mb();	/* producer index before reading req_event */
	return (RING_IDX)(new - READ_ONCE(ring->sring->req_event)) <
	       (RING_IDX)(new - old);
}
EXPORT_SYMBOL_NS_GPL(xpv_ring_push, XPV);

/**
 * xpv_ring_get_response() - copy the next response out of the ring
 * @ring: the ring
 * @rsp:  where to copy the response
 * @size: bytes to copy, at most @ring->entry_size
 *
 * The response is read from the shared page once, into @rsp; validating its
 * contents is up to the protocol. A backend that claims more responses than
 * requests were published is broken, and so is the ring from then on.
 *
 * Return: 1 if a response was copied, 0 if none is pending, -EIO if the
 * backend broke the ring protocol, -EINVAL if @size exceeds an entry.
 */
int xpv_ring_get_response(struct xpv_ring *ring, void *rsp, size_t size)
{
	RING_IDX prod;

	if (size > ring->entry_size)
		return -EINVAL;
	if (ring->broken)
		return -EIO;
	prod = READ_ONCE(ring->sring->rsp_prod);
	if (prod == ring->rsp_cons)
		return 0;
	if ((RING_IDX)(prod - ring->rsp_cons) >
	    (RING_IDX)(ring->req_pushed - ring->rsp_cons)) {
		ring->broken = true;
		return -EIO;
	}
	virt_rmb();	/* producer index before the response it covers */
	memcpy(rsp, xpv_ring_slot(ring, ring->rsp_cons), size);
	ring->rsp_cons++;
	return 1;
}
EXPORT_SYMBOL_NS_GPL(xpv_ring_get_response, XPV);

/* Ask to be notified at the @n-th response from now, then check again. */
static bool xpv_ring_rearm(struct xpv_ring *ring, RING_IDX n)
{
	if (ring->broken || READ_ONCE(ring->sring->rsp_prod) != ring->rsp_cons)
		return true;
	WRITE_ONCE(ring->sring->rsp_event, ring->rsp_cons + n);
	virt_mb();	/* rsp_event before re-reading the producer index */
	return READ_ONCE(ring->sring->rsp_prod) != ring->rsp_cons;
}

/**
 * xpv_ring_final_check() - re-arm the response notification before sleeping
 * @ring: the ring
 *
 * As RING_FINAL_CHECK_FOR_RESPONSES(): asks the backend to notify on its next
 * response, then checks again so that a response racing with that request is
 * not missed.
 *
 * Return: true if the caller must call xpv_ring_get_response() again
 * (responses are pending, or the ring is broken and it will say so).
 */
bool xpv_ring_final_check(struct xpv_ring *ring)
{
	return xpv_ring_rearm(ring, 1);
}
EXPORT_SYMBOL_NS_GPL(xpv_ring_final_check, XPV);

/**
 * xpv_ring_final_check_batch() - re-arm for half of what is in flight
 * @ring: the ring
 *
 * As xpv_ring_final_check(), but the backend is asked to notify only once
 * more than half of the published requests still unanswered have their
 * responses: k / 2 + 1 of k (the next response when k is 0 or 1; a request
 * prepared but not pushed does not count). A deep queue then costs
 * the backend and the frontend one notification per half queue of
 * responses rather than one per burst, and none comes later than the last
 * response in flight, so nothing waits for a notification that cannot come.
 *
 * Return: as xpv_ring_final_check().
 */
bool xpv_ring_final_check_batch(struct xpv_ring *ring)
{
	return xpv_ring_rearm(ring, (ring->req_pushed - ring->rsp_cons) / 2 + 1);
}
EXPORT_SYMBOL_NS_GPL(xpv_ring_final_check_batch, XPV);
