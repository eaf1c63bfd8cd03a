/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory that Xen writes into for good, owned by xpv_hypercall.ko:
 * shared_info, every vCPU's vcpu_info and, once the FIFO event-channel ABI is
 * on, the per-vCPU FIFO control blocks and the event array.
 *
 * Xen 4.17 cannot be told to stop using any of these pages (a vCPU's
 * vcpu_info can be registered once, EVTCHNOP_init_control once per vCPU, and
 * there is no unregister), so they are set up on first use, never freed, and
 * the first registration pins xpv_hypercall.ko in memory until reboot. A
 * reloaded xpv_evtchn.ko finds them as its predecessor left them.
 */
#ifndef _XPV_SHARED_H
#define _XPV_SHARED_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>

/* Xen's page size on ARM: the unit of gfns, whatever the kernel's is. */
#define XPV_XEN_PAGE_SIZE 4096U

/* FIFO event array geometry: event words per page, pages for every port. */
#define XPV_FIFO_WORDS_PER_PAGE (XPV_XEN_PAGE_SIZE / sizeof(event_word_t))
#define XPV_FIFO_MAX_PAGES \
	(EVTCHN_FIFO_NR_CHANNELS / XPV_FIFO_WORDS_PER_PAGE)

/**
 * struct xpv_fifo_array - the FIFO event array as registered with Xen
 * @page:     the pages, in port order; XPV_FIFO_WORDS_PER_PAGE words each
 * @nr_pages: pages registered (EVTCHNOP_expand_array); read it with
 *            smp_load_acquire(): @page[i] is valid for i < @nr_pages
 */
struct xpv_fifo_array {
	event_word_t *page[XPV_FIFO_MAX_PAGES];
	unsigned int nr_pages;
};

int xpv_shared_setup(void);
struct shared_info *xpv_shared_info(void);
struct vcpu_info *xpv_vcpu_info(unsigned int cpu);

int xpv_fifo_enable(void);
bool xpv_fifo_enabled(void);
struct evtchn_fifo_control_block *xpv_fifo_control_block(unsigned int cpu);
int xpv_fifo_expand(evtchn_port_t port);
const struct xpv_fifo_array *xpv_fifo_array(void);

#endif /* _XPV_SHARED_H */
