# SPDX-License-Identifier: GPL-2.0-only
# Pure-logic files of this module, compiled by tests/unit as well.
UNIT_SOURCES += netfront/counters.c
UNIT_SOURCES += netfront/txids.c
UNIT_SOURCES += netfront/tx.c
UNIT_SOURCES += netfront/rx.c
UNIT_SOURCES += netfront/negotiate.c
