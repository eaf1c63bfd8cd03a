/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test doubles shared by the test_netfront_*.c suites: a fake grant table
 * (references map to (page, frame) and can be "still mapped" by the fake
 * backend) and a deterministic random generator.
 */
#ifndef XPV_TEST_NETFRONT_FAKE_H
#define XPV_TEST_NETFRONT_FAKE_H
#include <stdbool.h>
#include <stdint.h>
#include <xen/interface/grant_table.h>

#define FAKE_GREFS 4096

struct fake_grant {
	bool used;
	bool mapped;		/* the backend still maps it */
	bool writable;
	void *page;
	unsigned int frame;
	void *cookie;
};

struct fake_gnttab {
	struct fake_grant e[FAKE_GREFS];
	unsigned int in_use;
	unsigned int fail_after;	/* grant() fails once this many are in use; 0: never */
	unsigned int deferred;		/* end_access refused: still mapped */
	unsigned int bad_ends;		/* end_access of a ref not in use */
};

static inline void fake_gnttab_init(struct fake_gnttab *g)
{
	*g = (struct fake_gnttab){ 0 };
}

static inline int fake_grant(struct fake_gnttab *g, void *page,
			     unsigned int frame, bool writable,
			     grant_ref_t *ref)
{
	unsigned int i;

	if (g->fail_after && g->in_use >= g->fail_after)
		return -12;	/* -ENOMEM */
	/* Reserved refs 0..7 are never handed out, as in Xen. */
	for (i = 8; i < FAKE_GREFS; i++) {
		if (!g->e[i].used) {
			g->e[i] = (struct fake_grant){ .used = true,
				.page = page, .frame = frame,
				.writable = writable };
			g->in_use++;
			*ref = i;
			return 0;
		}
	}
	return -28;	/* -ENOSPC */
}

static inline int fake_end_access(struct fake_gnttab *g, grant_ref_t ref)
{
	if (ref >= FAKE_GREFS || !g->e[ref].used) {
		g->bad_ends++;
		return -22;
	}
	if (g->e[ref].mapped) {
		/* The driver would defer; the fake just drops it later. */
		g->deferred++;
		g->e[ref].used = false;
		g->in_use--;
		return -16;	/* -EBUSY */
	}
	g->e[ref].used = false;
	g->in_use--;
	return 0;
}

/* xorshift32: same sequence everywhere, for reproducible fuzzing. */
static inline uint32_t fake_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}
#endif
