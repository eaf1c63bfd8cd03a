/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: the few linux/kernel.h helpers pure xpv code uses. */
#ifndef _XPV_SHIM_LINUX_KERNEL_H
#define _XPV_SHIM_LINUX_KERNEL_H
#include <stdarg.h>
#include <stdio.h>
#include <linux/types.h>

#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define min_t(type, a, b) ({ type __a = (a), __b = (b); __a < __b ? __a : __b; })

/* As the kernel's: the number of characters actually written. */
static inline int scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!size)
		return 0;
	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	return (size_t)n >= size ? (int)(size - 1) : n;
}
#endif
