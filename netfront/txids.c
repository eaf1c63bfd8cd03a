// SPDX-License-Identifier: GPL-2.0-only
/*
 * TX request ids: a LIFO free list (the id just answered is the next one
 * used, its table entry still in cache) and the table of ids in flight.
 *
 * Pure logic: compiled into the module and, unchanged, into tests/unit.
 */
#include <xpv/xpv.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "txids.h"

/**
 * xpv_nf_txids_init() - every id free
 * @ids: the table
 */
void xpv_nf_txids_init(struct xpv_nf_txids *ids)
{
	unsigned int i;

	memset(ids, 0, sizeof(*ids));
	for (i = 0; i < XPV_NF_TX_IDS; i++)
		ids->ent[i].next = i + 1;
	ids->head = 0;
	ids->nr_free = XPV_NF_TX_IDS;
}

/**
 * xpv_nf_txids_get() - take a free id for a request
 * @ids:    the table
 * @cookie: the caller's packet, handed back when the id is put
 * @page:   the granted page, likewise
 * @gref:   the grant reference the request carries, likewise
 *
 * Return: the id, or -ENOSPC if every id is in flight.
 */
int xpv_nf_txids_get(struct xpv_nf_txids *ids, void *cookie, void *page,
		     grant_ref_t gref)
{
	struct xpv_nf_txid *e;
	unsigned int id = ids->head;

	if (!ids->nr_free)
		return -ENOSPC;
	e = &ids->ent[id];
	ids->head = e->next;
	ids->nr_free--;
	e->cookie = cookie;
	e->page = page;
	e->gref = gref;
	e->busy = true;
	return id;
}

/**
 * xpv_nf_txids_put() - free the id a response names
 * @ids: the table
 * @id:  the id, as the backend sent it
 * @out: receives what the id held (cookie, page, grant reference)
 *
 * Return: 0; -ERANGE if @id is no id of ours, -ENOENT if it is not in flight
 * (never used, or already answered). Either way nothing changes.
 */
int xpv_nf_txids_put(struct xpv_nf_txids *ids, unsigned int id,
		     struct xpv_nf_txid *out)
{
	struct xpv_nf_txid *e;

	if (id >= XPV_NF_TX_IDS)
		return -ERANGE;
	e = &ids->ent[id];
	if (!e->busy)
		return -ENOENT;
	*out = *e;
	e->busy = false;
	e->cookie = NULL;
	e->page = NULL;
	e->next = ids->head;
	ids->head = id;
	ids->nr_free++;
	return 0;
}
