// SPDX-License-Identifier: GPL-2.0-only
/* The shared TAP helpers (../tap.h), in this module. */
#include "xstest.h"
#include "../tap.c"
