/* SPDX-License-Identifier: GPL-2.0-only */
/* Userspace shim: static_assert(expr, msg) is C11's. */
#include <assert.h>
