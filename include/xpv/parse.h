/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Strict parsing of the numbers other domains write in xenstore. Pure: the
 * frontends' negotiation code (and tests/unit) uses it as well as xenbus.
 * Provided by xpv_xenbus.ko.
 */
#ifndef _XPV_PARSE_H
#define _XPV_PARSE_H

#include <xpv/xpv.h>
#include <linux/types.h>

int xpv_parse_u64(const char *s, u64 max, u64 *val);

#endif /* _XPV_PARSE_H */
