// SPDX-License-Identifier: GPL-2.0-only
/* The fake xenstore of the negotiation tests (see fake_store.h). */
#include <check.h>
#include <errno.h>
#include <string.h>
#include "fake_store.h"

/**
 * fake_store_read() - as the frontends' store read callbacks
 * @s:    the store
 * @side: whose directory
 * @key:  the key
 * @buf:  receives the value, NUL-terminated
 * @size: the size of @buf
 *
 * Return: the value's length, -E2BIG, -ENOENT, or the key's set error.
 */
int fake_store_read(struct fake_store *s, int side, const char *key,
		    char *buf, size_t size)
{
	unsigned int i;

	s->reads++;
	for (i = 0; i < s->n; i++) {
		size_t len;

		if (s->kv[i].side != side || strcmp(s->kv[i].key, key))
			continue;
		if (s->kv[i].err)
			return s->kv[i].err;
		len = strlen(s->kv[i].value);
		if (len >= size)
			return -E2BIG;
		memcpy(buf, s->kv[i].value, len + 1);
		return len;
	}
	return -ENOENT;
}

/**
 * fake_store_set() - set or replace a key; a NULL value removes it
 * @s:     the store
 * @side:  whose directory
 * @key:   the key (not copied)
 * @value: its value (not copied), or NULL
 */
void fake_store_set(struct fake_store *s, int side, const char *key,
		    const char *value)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->kv[i].side == side && !strcmp(s->kv[i].key, key))
			break;
	if (!value) {
		if (i < s->n)
			s->kv[i] = s->kv[--s->n];
		return;
	}
	ck_assert_uint_lt(i, FAKE_STORE_MAX);
	if (i == s->n)
		s->n++;
	s->kv[i].side = side;
	s->kv[i].key = key;
	s->kv[i].value = value;
	s->kv[i].err = 0;
}

/**
 * fake_store_set_err() - make reading a key fail
 * @s:    the store
 * @side: whose directory
 * @key:  the key
 * @err:  the negative errno its reads return
 */
void fake_store_set_err(struct fake_store *s, int side, const char *key,
			int err)
{
	unsigned int i;

	fake_store_set(s, side, key, "0");
	for (i = 0; i < s->n; i++)
		if (s->kv[i].side == side && !strcmp(s->kv[i].key, key))
			s->kv[i].err = err;
}
