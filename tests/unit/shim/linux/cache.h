/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: cache-line alignment. */
#ifndef _XPV_SHIM_LINUX_CACHE_H
#define _XPV_SHIM_LINUX_CACHE_H
#define ____cacheline_aligned_in_smp __attribute__((aligned(64)))
#endif
