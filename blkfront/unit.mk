# SPDX-License-Identifier: GPL-2.0-only
# Pure-logic files of this module, compiled by tests/unit as well.
UNIT_SOURCES += blkfront/counters.c
UNIT_SOURCES += blkfront/persistent.c
UNIT_SOURCES += blkfront/shadow.c
UNIT_SOURCES += blkfront/request.c
UNIT_SOURCES += blkfront/negotiate.c
