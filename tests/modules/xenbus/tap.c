// SPDX-License-Identifier: GPL-2.0-only
/* The shared TAP helpers (../tap.h), in this module. */
#define pr_fmt(fmt) "xpvtest: " fmt

#include "../tap.h"
#include "../tap.c"
