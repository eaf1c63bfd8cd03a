/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arm64 Xen hypercall: "hvc #0xEA1" with the hypercall number in x16,
 * arguments in x0-x4 and the result in x0. Xen may clobber x16 and every
 * argument register, so all of them are in/out operands.
 */
#ifndef _XPV_ARCH_HYPERCALL_ARM64_H
#define _XPV_ARCH_HYPERCALL_ARM64_H

#include <linux/compiler.h>

static __always_inline long xpv_arch_hypercall(unsigned long op,
					       unsigned long a0,
					       unsigned long a1,
					       unsigned long a2,
					       unsigned long a3,
					       unsigned long a4)
{
	register unsigned long x16 asm("x16") = op;
	register unsigned long x0 asm("x0") = a0;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;
	register unsigned long x4 asm("x4") = a4;

	asm volatile("hvc #0xEA1"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3), "+r" (x4),
		       "+r" (x16)
		     :
		     : "memory");
	return (long)x0;
}

#endif /* _XPV_ARCH_HYPERCALL_ARM64_H */
