// SPDX-License-Identifier: GPL-2.0-only
/* The shared TAP helpers (../tap.h), in this module. */
#include "xpvtest.h"
#include "../tap.c"
