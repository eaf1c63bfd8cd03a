/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal interfaces of xpv_test_evtchn.ko. */
#ifndef _XPV_TEST_EVTCHN_H
#define _XPV_TEST_EVTCHN_H

#define pr_fmt(fmt) "xpvtest: " fmt

#include <xpv/xpv.h>
#include <linux/compiler_attributes.h>
#include <linux/types.h>
#include <xpv/evtchn.h>

#include "../tap.h"

/**
 * struct xt_loop - a loopback channel: an unbound port and its local peer
 * @unbound: from xpv_evtchn_alloc_unbound(DOMID_SELF)
 * @local:   from xpv_evtchn_bind_interdomain(DOMID_SELF, @unbound);
 *           notify(@local) raises @unbound and vice versa
 */
struct xt_loop {
	evtchn_port_t unbound;
	evtchn_port_t local;
};

int xt_loop_open(struct xt_loop *l);

/* The tests; *_exit undoes what a test left bound for the guest script. */
void xt_loopback_run(unsigned int notifications);
void xt_loopback_exit(void);
void xt_ports_run(void);
void xt_ports_exit(void);
void xt_errors_run(void);
void xt_virq_run(unsigned int wait_ms);
void xt_bench_run(unsigned int rounds);

#endif /* _XPV_TEST_EVTCHN_H */
