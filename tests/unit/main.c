// SPDX-License-Identifier: GPL-2.0-only
/* Runs every registered xpv unit-test suite; exit 0 only if all pass. */
#include <stdio.h>
#include <stdlib.h>
#include "suites.h"

#define MAX_SUITES 64

static Suite *(*makers[MAX_SUITES])(void);
static int nr_makers;

void xpv_register_suite(Suite *(*make)(void))
{
	if (nr_makers == MAX_SUITES) {
		fprintf(stderr, "xpv-unit: more than %d suites\n", MAX_SUITES);
		exit(EXIT_FAILURE);
	}
	makers[nr_makers++] = make;
}

int main(void)
{
	SRunner *sr;
	int i, failed;

	if (!nr_makers) {
		fprintf(stderr, "xpv-unit: no suites registered\n");
		return EXIT_FAILURE;
	}
	sr = srunner_create(makers[0]());
	for (i = 1; i < nr_makers; i++)
		srunner_add_suite(sr, makers[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
