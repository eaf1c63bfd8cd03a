// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/xpv_grant/status: the table's frames, references in
 * use and free, deferred entries, and the active entries actually in the
 * table, as "key: value" lines for people and scripts.
 */
#include "internal.h"
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <xpv/grant.h>

static struct dentry *dir;

static int status_show(struct seq_file *m, void *unused)
{
	struct xpv_gnt *g = m->private;
	struct xpv_refalloc_stats a;
	struct xpv_grant_stats st;

	xpv_grant_get_stats(&st);
	xpv_refalloc_stats(&g->alloc, &a);
	seq_printf(m, "frames: %u\nmax_frames: %u\n", st.frames,
		   st.max_frames);
	seq_printf(m, "refs_total: %lu\nrefs_in_use: %ld\nrefs_free: %lu\n",
		   st.refs_total, st.refs_in_use, st.refs_free);
	seq_printf(m, "deferred: %u\ndeferred_total: %lu\n", st.deferred,
		   st.deferred_total);
	seq_printf(m, "deferred_released: %lu\ndeferred_retries: %lu\n",
		   st.deferred_released, READ_ONCE(g->defer.retries));
	seq_printf(m, "leaked: %lu\nexhausted: %lu\n", st.leaked,
		   st.exhausted);
	seq_printf(m, "callbacks: %lu\nwaiters: %u\n", st.callbacks,
		   a.waiters);
	seq_printf(m, "grows: %lu\ngrow_failures: %lu\nsteals: %lu\n",
		   a.grows, a.grow_failures, a.steals);
	seq_printf(m, "pinned: %d\nstale_at_load: %u\n", a.pinned, g->stale);
	seq_printf(m, "active_entries: %u\n",
		   xpv_gnt_count_active(g, a.nr_frames));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/**
 * xpv_gnt_debugfs_init() - create /sys/kernel/debug/xpv_grant/
 * @g: the module state
 *
 * Failures are not fatal: debugfs is for debugging.
 */
void xpv_gnt_debugfs_init(struct xpv_gnt *g)
{
	dir = debugfs_create_dir("xpv_grant", NULL);
	debugfs_create_file("status", 0444, dir, g, &status_fops);
}

/**
 * xpv_gnt_debugfs_exit() - remove it
 */
void xpv_gnt_debugfs_exit(void)
{
	debugfs_remove(dir);
	dir = NULL;
}
