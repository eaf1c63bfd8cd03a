// SPDX-License-Identifier: GPL-2.0-only
/*
 * The 2-level event-channel ABI: one pending and one mask bit per port in
 * shared_info, and per vCPU a selector word saying which pending words to
 * look at. Pure logic over plain pointers to those words, also compiled by
 * the userspace unit tests (tests/unit/test_twolevel.c).
 *
 * Fairness: each scan goes round the ports once, starting after the last
 * port handled by the previous scan of this vCPU, and handles each port at
 * most once. A port that keeps firing therefore gets one turn per round like
 * every other pending port instead of starving the ones after it.
 */
#include <xpv/xpv.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include "twolevel.h"

static_assert(sizeof(xen_ulong_t) == sizeof(unsigned long),
	      "2-level bitmaps are handled as unsigned long words");
static_assert(XPV_2L_NR_WORDS * XPV_2L_WORD_BITS == XPV_2L_NR_PORTS,
	      "2-level geometry");

static unsigned long *bm(xen_ulong_t *words)
{
	return (unsigned long *)words;
}

/* Pending, unmasked ports of word @w that this vCPU handles. */
static xen_ulong_t active_bits(const struct xpv_2l_bitmaps *b, unsigned int w)
{
	return READ_ONCE(b->pending[w]) & ~READ_ONCE(b->mask[w]) &
	       READ_ONCE(b->bound[w]);
}

/* The bits of a word below @bit if @low, else those at or above it. */
static xen_ulong_t split_word(xen_ulong_t bits, unsigned int bit, bool low)
{
	xen_ulong_t below = bit ? ((xen_ulong_t)1 << bit) - 1 : 0;

	return low ? bits & below : bits & ~below;
}

/**
 * xpv_2l_scan() - handle the events pending for one vCPU, one round
 * @b:   the bitmaps to scan
 * @c:   this vCPU's cursor, advanced past every port handled
 * @fn:  called for each pending, unmasked port bound to this vCPU; it is
 *       expected to clear the port's pending bit (Linux's ack does)
 * @ctx: passed to @fn
 *
 * Takes the selector with one atomic exchange, then visits the selected
 * words circularly from the cursor's word: that word's bits from the
 * cursor's bit up first, its lower bits last, so every port is considered
 * at most once. Events raised meanwhile set the selector again and make Xen
 * raise the upcall again: the caller loops while evtchn_upcall_pending.
 *
 * Return: the number of ports handled.
 */
unsigned int xpv_2l_scan(const struct xpv_2l_bitmaps *b,
			 struct xpv_2l_cursor *c, xpv_port_fn fn, void *ctx)
{
	xen_ulong_t sel = xchg(b->sel, 0);
	unsigned int start = c->next % XPV_2L_NR_PORTS;
	unsigned int sw = start / XPV_2L_WORD_BITS;
	unsigned int sb = start % XPV_2L_WORD_BITS;
	unsigned int i, handled = 0;

	for (i = 0; i <= XPV_2L_NR_WORDS && sel; i++) {
		unsigned int w = (sw + i) % XPV_2L_NR_WORDS;
		xen_ulong_t bits;

		if (!(sel & ((xen_ulong_t)1 << w)))
			continue;
		bits = active_bits(b, w);
		if (w == sw)
			bits = split_word(bits, sb, i != 0);
		while (bits) {
			unsigned int bit = __ffs(bits);
			evtchn_port_t port = w * XPV_2L_WORD_BITS + bit;

			bits &= bits - 1;
			c->next = (port + 1) % XPV_2L_NR_PORTS;
			fn(port, ctx);
			handled++;
		}
	}
	return handled;
}

/**
 * xpv_2l_unmask() - unmask @port without losing an event raised while masked
 * @pending: shared_info's evtchn_pending
 * @mask:    shared_info's evtchn_mask
 * @port:    the port, below XPV_2L_NR_PORTS
 *
 * Xen does not deliver an event that becomes pending while masked, so after
 * clearing the mask a pending bit means such an event may be waiting. The
 * port is then masked again for Xen's EVTCHNOP_unmask, which clears the mask
 * itself and delivers the event (Xen ignores an unmask of an unmasked port).
 *
 * Return: true if the caller must now issue EVTCHNOP_unmask for @port.
 */
bool xpv_2l_unmask(xen_ulong_t *pending, xen_ulong_t *mask,
		   evtchn_port_t port)
{
	clear_bit(port, bm(mask));
	if (!test_bit(port, bm(pending)))
		return false;
	set_bit(port, bm(mask));
	return true;
}
