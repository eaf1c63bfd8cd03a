/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: SMP barriers between guest and backend. */
#ifndef _XPV_SHIM_ASM_BARRIER_H
#define _XPV_SHIM_ASM_BARRIER_H
#define virt_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define virt_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define virt_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#endif
