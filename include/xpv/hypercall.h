/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Typed Xen hypercalls for xpv modules. Pointer arguments are ordinary kernel
 * virtual addresses of memory that stays mapped for the call. Results are
 * Xen's: 0 or a positive value on success, a negative Xen errno on failure
 * (Xen's errno values equal Linux's for the ones hypercalls return).
 *
 * The instruction that enters Xen lives in include/xpv/arch/, one header per
 * architecture, behind xpv_arch_hypercall(); nothing here depends on it.
 */
#ifndef _XPV_HYPERCALL_H
#define _XPV_HYPERCALL_H

#include <xpv/xpv.h>
#include <linux/types.h>
#include <xen/interface/xen.h>

#if defined(CONFIG_ARM64)
#include <xpv/arch/hypercall-arm64.h>
#else
#error "xpv: no Xen hypercall path for this architecture yet"
#endif

#define xpv_hypercall0(op) xpv_arch_hypercall(op, 0, 0, 0, 0, 0)
#define xpv_hypercall1(op, a0) \
	xpv_arch_hypercall(op, (unsigned long)(a0), 0, 0, 0, 0)
#define xpv_hypercall2(op, a0, a1) \
	xpv_arch_hypercall(op, (unsigned long)(a0), (unsigned long)(a1), \
			   0, 0, 0)
#define xpv_hypercall3(op, a0, a1, a2) \
	xpv_arch_hypercall(op, (unsigned long)(a0), (unsigned long)(a1), \
			   (unsigned long)(a2), 0, 0)
#define xpv_hypercall4(op, a0, a1, a2, a3) \
	xpv_arch_hypercall(op, (unsigned long)(a0), (unsigned long)(a1), \
			   (unsigned long)(a2), (unsigned long)(a3), 0)
#define xpv_hypercall5(op, a0, a1, a2, a3, a4) \
	xpv_arch_hypercall(op, (unsigned long)(a0), (unsigned long)(a1), \
			   (unsigned long)(a2), (unsigned long)(a3), \
			   (unsigned long)(a4))

/* XENVER_* queries (xen/interface/version.h). */
static inline int xpv_xen_version(int cmd, void *arg)
{
	return (int)xpv_hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}

/* XENMEM_* operations (xen/interface/memory.h). */
static inline int xpv_memory_op(unsigned int cmd, void *arg)
{
	return (int)xpv_hypercall2(__HYPERVISOR_memory_op, cmd, arg);
}

/* EVTCHNOP_* operations (xen/interface/event_channel.h). */
static inline int xpv_event_channel_op(int cmd, void *arg)
{
	return (int)xpv_hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

/* GNTTABOP_* operations on @count entries at @uop (grant_table.h). */
static inline int xpv_grant_table_op(unsigned int cmd, void *uop,
				     unsigned int count)
{
	return (int)xpv_hypercall3(__HYPERVISOR_grant_table_op, cmd, uop,
				   count);
}

/* HVMOP_* operations (xen/interface/hvm/hvm_op.h). */
static inline int xpv_hvm_op(int op, void *arg)
{
	return (int)xpv_hypercall2(__HYPERVISOR_hvm_op, op, arg);
}

/* VCPUOP_* operations on @vcpu (xen/interface/vcpu.h). */
static inline int xpv_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return (int)xpv_hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

/* SCHEDOP_* operations (xen/interface/sched.h). */
static inline int xpv_sched_op(int cmd, void *arg)
{
	return (int)xpv_hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

#endif /* _XPV_HYPERCALL_H */
