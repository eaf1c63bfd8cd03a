/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake xenstore for the frontends' negotiation tests: keys on two sides
 * (the frontend's directory and the backend's), each with a value or an
 * error to return. The sides are the frontends' enums, as ints.
 */
#ifndef _XPV_UNIT_FAKE_STORE_H
#define _XPV_UNIT_FAKE_STORE_H

#include <stddef.h>

#define FAKE_STORE_MAX 40

struct fake_store {
	struct {
		int side;
		const char *key;
		const char *value;
		int err;
	} kv[FAKE_STORE_MAX];
	unsigned int n;
	unsigned int reads;
};

int fake_store_read(struct fake_store *s, int side, const char *key,
		    char *buf, size_t size);
void fake_store_set(struct fake_store *s, int side, const char *key,
		    const char *value);
void fake_store_set_err(struct fake_store *s, int side, const char *key,
			int err);

#endif /* _XPV_UNIT_FAKE_STORE_H */
