// SPDX-License-Identifier: GPL-2.0-only
/*
 * Request ids of an xpv_blkfront ring: a LIFO free list (the id just
 * answered is the next one used, its shadow still in cache) and the table
 * of ids in flight. See shadow.h.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/xpv.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "shadow.h"

/* Ids are u16 in the free list. */
#define XPV_BLK_IDS_MAX 0xffffU

/**
 * xpv_blk_ids_mem() - bytes a shadow table needs
 * @nr:            ids (the ring's size)
 * @grants_per_id: grants one request may hold
 *
 * Return: the size of the block to give xpv_blk_ids_init(), or 0 if @nr is
 * 0 or too large.
 */
size_t xpv_blk_ids_mem(unsigned int nr, unsigned int grants_per_id)
{
	if (!nr || nr > XPV_BLK_IDS_MAX)
		return 0;
	return nr * (sizeof(struct xpv_blk_shadow) +
		     (size_t)grants_per_id * sizeof(struct xpv_blk_grant));
}

/**
 * xpv_blk_ids_init() - every id free
 * @ids:           the table
 * @mem:           xpv_blk_ids_mem() bytes, pointer-aligned, owned by the
 *                 caller for as long as the table is used
 * @bytes:         size of @mem
 * @nr:            ids
 * @grants_per_id: grants one request may hold
 *
 * Return: 0, or -EINVAL if @mem is too small or misaligned, or @nr invalid.
 */
int xpv_blk_ids_init(struct xpv_blk_ids *ids, void *mem, size_t bytes,
		     unsigned int nr, unsigned int grants_per_id)
{
	size_t need = xpv_blk_ids_mem(nr, grants_per_id);
	struct xpv_blk_grant *g;
	unsigned int i;

	if (!need || !mem || bytes < need ||
	    ((unsigned long)mem & (sizeof(void *) - 1)))
		return -EINVAL;
	memset(mem, 0, need);
	ids->ent = mem;
	g = (struct xpv_blk_grant *)(ids->ent + nr);
	for (i = 0; i < nr; i++) {
		ids->ent[i].g = g + (size_t)i * grants_per_id;
		ids->ent[i].next = i + 1;
	}
	ids->nr = nr;
	ids->grants_per_id = grants_per_id;
	ids->head = 0;
	ids->nr_free = nr;
	return 0;
}

/**
 * xpv_blk_ids_get() - take a free id for a request
 * @ids:    the table
 * @cookie: the caller's request, kept in the id's shadow
 *
 * The shadow's other fields are the caller's to fill.
 *
 * Return: the id, or -ENOSPC if every id is in flight.
 */
int xpv_blk_ids_get(struct xpv_blk_ids *ids, void *cookie)
{
	unsigned int id = ids->head;
	struct xpv_blk_shadow *sh;

	if (!ids->nr_free)
		return -ENOSPC;
	sh = &ids->ent[id];
	ids->head = sh->next;
	ids->nr_free--;
	sh->cookie = cookie;
	sh->nr_segs = 0;
	sh->nr_indirect = 0;
	sh->busy = true;
	return id;
}

/**
 * xpv_blk_ids_check() - is this id, as the backend sent it, in flight?
 * @ids: the table
 * @id:  the id from a response
 *
 * Return: 0 if it is; -ERANGE if it is no id of ours, -ENOENT if it is not
 * in flight (never used, or already answered).
 */
int xpv_blk_ids_check(const struct xpv_blk_ids *ids, u64 id)
{
	if (id >= ids->nr)
		return -ERANGE;
	return ids->ent[id].busy ? 0 : -ENOENT;
}

/**
 * xpv_blk_ids_put() - free an id
 * @ids: the table
 * @id:  the id
 *
 * Return: 0, or the error of xpv_blk_ids_check() (nothing changes then).
 */
int xpv_blk_ids_put(struct xpv_blk_ids *ids, u64 id)
{
	struct xpv_blk_shadow *sh;
	int rc = xpv_blk_ids_check(ids, id);

	if (rc)
		return rc;
	sh = &ids->ent[id];
	sh->busy = false;
	sh->cookie = NULL;
	sh->next = ids->head;
	ids->head = id;
	ids->nr_free++;
	return 0;
}
