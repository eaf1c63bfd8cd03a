/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: kernel integer types. */
#ifndef _XPV_SHIM_LINUX_TYPES_H
#define _XPV_SHIM_LINUX_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef uint64_t __u64;
typedef int8_t __s8;
typedef int16_t __s16;
typedef int32_t __s32;
typedef int64_t __s64;
/*
 * For the UAPI headers pure code (linux/if_ether.h) and the dom0 tools
 * (xen/gntdev.h) include.
 */
typedef uint16_t __be16;
typedef uint32_t __be32;
#endif
