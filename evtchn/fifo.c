// SPDX-License-Identifier: GPL-2.0-only
/*
 * The FIFO event-channel ABI: an event word per port (PENDING, MASKED,
 * LINKED, BUSY and a link to the next port) in the event array, and per vCPU
 * a control block with a ready bit and a head per priority. Xen links a
 * newly pending, unmasked port at the tail of its vCPU's queue for the
 * port's priority; the guest consumes from the head. Pure logic over plain
 * pointers to those words, also compiled by the userspace unit tests
 * (tests/unit/test_fifo.c).
 *
 * The race that matters: Xen links a new event onto the queue's tail word
 * only while that word still has LINKED set; once the guest has cleared
 * LINKED (atomically with reading the link), Xen starts a new queue by
 * writing the control block's head and setting the ready bit again.
 *
 * Words are 32 bits: every update is a compare-and-exchange on the word
 * itself, never a bit operation on a wider (unsigned long) access.
 */
#include <xpv/xpv.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <asm/barrier.h>
#include "fifo.h"

#define READY_MASK ((1U << EVTCHN_FIFO_MAX_QUEUES) - 1)

/**
 * xpv_fifo_word() - the event word of @port
 * @a:    the event array
 * @port: a port number, possibly read from Xen-written memory
 *
 * Return: the word, or NULL if @port is 0 or beyond the event array.
 */
event_word_t *xpv_fifo_word(const struct xpv_fifo_array *a,
			    evtchn_port_t port)
{
	/* Pairs with the release publishing a new page (xpv_fifo_expand()). */
	unsigned int nr = smp_load_acquire(&a->nr_pages);
	unsigned int pg = port / XPV_FIFO_WORDS_PER_PAGE;

	if (!port || pg >= nr)
		return NULL;
	return a->page[pg] + port % XPV_FIFO_WORDS_PER_PAGE;
}

/* Replace the word by update(old) atomically; return the old value. */
static event_word_t update_word(event_word_t *word,
				event_word_t (*update)(event_word_t old,
						       unsigned int arg),
				unsigned int arg)
{
	event_word_t old = READ_ONCE(*word), seen;

	for (;;) {
		seen = cmpxchg(word, old, update(old, arg));
		if (seen == old)
			return old;
		old = seen;
	}
}

static event_word_t with_bit(event_word_t old, unsigned int bit)
{
	return old | BIT(bit);
}

static event_word_t without_bit(event_word_t old, unsigned int bit)
{
	return old & ~BIT(bit);
}

static event_word_t unlinked(event_word_t old, unsigned int unused)
{
	return old & ~(BIT(EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK);
}

/**
 * xpv_fifo_set() - atomically set @bit (EVTCHN_FIFO_*) in an event word
 * @word: the event word
 * @bit:  the bit number
 */
void xpv_fifo_set(event_word_t *word, unsigned int bit)
{
	update_word(word, with_bit, bit);
}

/**
 * xpv_fifo_clear() - atomically clear @bit (EVTCHN_FIFO_*) in an event word
 * @word: the event word
 * @bit:  the bit number
 */
void xpv_fifo_clear(event_word_t *word, unsigned int bit)
{
	update_word(word, without_bit, bit);
}

/**
 * xpv_fifo_test() - is @bit (EVTCHN_FIFO_*) set in an event word?
 * @word: the event word
 * @bit:  the bit number
 *
 * Return: true if set.
 */
bool xpv_fifo_test(event_word_t *word, unsigned int bit)
{
	return READ_ONCE(*word) & BIT(bit);
}

/**
 * xpv_fifo_unmask() - clear MASKED unless Xen must deliver a pending event
 * @word: the event word
 *
 * A pending event raised while masked was not linked by Xen, so it is left
 * to Xen's EVTCHNOP_unmask, which clears MASKED and links it. MASKED is
 * never cleared while Xen holds the word BUSY (it is changing the link).
 *
 * Return: true if the caller must now issue EVTCHNOP_unmask.
 */
bool xpv_fifo_unmask(event_word_t *word)
{
	event_word_t old = READ_ONCE(*word), seen;

	for (;;) {
		if (!(old & BIT(EVTCHN_FIFO_MASKED)))
			return false;
		if (old & BIT(EVTCHN_FIFO_PENDING))
			return true;
		old &= ~BIT(EVTCHN_FIFO_BUSY);
		seen = cmpxchg(word, old, old & ~BIT(EVTCHN_FIFO_MASKED));
		if (seen == old)
			return false;
		old = seen;
	}
}

/* Consume the head event of queue @prio; drop @prio from *ready at its end. */
static bool consume_one(struct xpv_fifo_queues *q,
			struct evtchn_fifo_control_block *cb,
			const struct xpv_fifo_array *a, unsigned int prio,
			u32 *ready, xpv_port_fn fn, void *ctx)
{
	evtchn_port_t port = q->head[prio];
	event_word_t *word, now;
	evtchn_port_t next;
	bool handled = false;

	if (!port) {
		/* Xen wrote the head before setting the ready bit we saw. */
		virt_rmb();
		port = READ_ONCE(cb->head[prio]);
	}
	word = xpv_fifo_word(a, port);
	if (!word) {
		q->head[prio] = 0;
		*ready &= ~BIT(prio);
		return false;
	}
	next = update_word(word, unlinked, 0) & EVTCHN_FIFO_LINK_MASK;
	if (next && !xpv_fifo_word(a, next))
		next = 0;	/* a link out of the array: end the queue */
	if (!next)
		*ready &= ~BIT(prio);
	now = READ_ONCE(*word);
	if ((now & BIT(EVTCHN_FIFO_PENDING)) &&
	    !(now & BIT(EVTCHN_FIFO_MASKED))) {
		fn(port, ctx);
		handled = true;
	}
	q->head[prio] = next;
	return handled;
}

/**
 * xpv_fifo_consume() - handle the events queued for one vCPU
 * @q:   this vCPU's queue positions
 * @cb:  this vCPU's control block
 * @a:   the event array
 * @fn:  called for each linked port found pending and unmasked; it is
 *       expected to clear PENDING (Linux's ack does)
 * @ctx: passed to @fn
 *
 * One event at a time from the highest-priority (lowest-numbered) ready
 * queue, re-reading the ready word after each, until no queue is ready:
 * a higher-priority event raised meanwhile goes next, and within a
 * priority events are handled in the order Xen queued them.
 *
 * Return: the number of events handled.
 */
unsigned int xpv_fifo_consume(struct xpv_fifo_queues *q,
			      struct evtchn_fifo_control_block *cb,
			      const struct xpv_fifo_array *a,
			      xpv_port_fn fn, void *ctx)
{
	u32 ready = xchg(&cb->ready, 0) & READY_MASK;
	unsigned int handled = 0;

	while (ready) {
		if (consume_one(q, cb, a, __ffs(ready), &ready, fn, ctx))
			handled++;
		ready |= xchg(&cb->ready, 0) & READY_MASK;
	}
	return handled;
}
