/* SPDX-License-Identifier: GPL-2.0-only */
/* The FIFO event-channel ABI's pure logic (fifo.c), unit-tested. */
#ifndef _XPV_EVTCHN_FIFO_H
#define _XPV_EVTCHN_FIFO_H

#include <linux/types.h>
#include <xpv/shared.h>
#include "handler.h"

/**
 * struct xpv_fifo_queues - one vCPU's position in its FIFO queues
 * @head: per priority, the next event to consume, 0 when the guest has
 *        reached the end of the queue (then Xen's control-block head is next)
 */
struct xpv_fifo_queues {
	u32 head[EVTCHN_FIFO_MAX_QUEUES];
};

event_word_t *xpv_fifo_word(const struct xpv_fifo_array *a,
			    evtchn_port_t port);
unsigned int xpv_fifo_consume(struct xpv_fifo_queues *q,
			      struct evtchn_fifo_control_block *cb,
			      const struct xpv_fifo_array *a,
			      xpv_port_fn fn, void *ctx);
void xpv_fifo_set(event_word_t *word, unsigned int bit);
void xpv_fifo_clear(event_word_t *word, unsigned int bit);
bool xpv_fifo_test(event_word_t *word, unsigned int bit);
bool xpv_fifo_unmask(event_word_t *word);

#endif /* _XPV_EVTCHN_FIFO_H */
