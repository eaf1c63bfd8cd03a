/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XPV_TEST_SUITES_H
#define XPV_TEST_SUITES_H
#include <check.h>

Suite *ring_suite(void);
Suite *version_suite(void);

#endif
