# SPDX-License-Identifier: GPL-2.0-only
# Pure-logic files of this module, compiled by tests/unit as well.
UNIT_SOURCES += xenbus/ring.c
UNIT_SOURCES += xenbus/xs_wire.c
UNIT_SOURCES += xenbus/state.c
