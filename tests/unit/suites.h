/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Each test_*.c file defines one Check suite and registers it with
 * XPV_SUITE(fn); main.c runs every registered suite. Adding a suite touches
 * no shared file: drop test_<name>.c here and list the module's pure-logic
 * sources in <module>/unit.mk.
 */
#ifndef XPV_TEST_SUITES_H
#define XPV_TEST_SUITES_H
#include <check.h>

void xpv_register_suite(Suite *(*make)(void));

#define XPV_SUITE(make)							\
	static void __attribute__((constructor)) xpv_register_##make(void) \
	{								\
		xpv_register_suite(make);				\
	}

#endif
