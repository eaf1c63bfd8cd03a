# SPDX-License-Identifier: GPL-2.0-only
# Pure-logic files of this module, compiled by tests/unit as well.
UNIT_SOURCES += evtchn/twolevel.c evtchn/fifo.c
