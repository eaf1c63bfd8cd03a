// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/debug/xpv_xenbus/status: the xenstore connection, watches and
 * devices, for tests and debugging ("name: value" lines).
 */
#include "internal.h"
#include <linux/debugfs.h>
#include <linux/seq_file.h>

static struct dentry *xb_debugfs;

static int status_show(struct seq_file *m, void *unused)
{
	struct xs_comms_stats st;

	xs_comms_get_stats(&st);
	seq_printf(m, "requests: %lu\n", st.requests);
	seq_printf(m, "pending: %u\n", st.pending);
	seq_printf(m, "timeouts: %lu\n", st.timeouts);
	seq_printf(m, "stray_replies: %lu\n", st.stray);
	seq_printf(m, "broken: %d\n", st.dead);
	seq_printf(m, "watches: %u\n", xs_watch_count());
	seq_printf(m, "devices: %u\n", xb_device_count());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

/**
 * xb_debugfs_init() - create the debugfs directory
 */
void xb_debugfs_init(void)
{
	xb_debugfs = debugfs_create_dir("xpv_xenbus", NULL);
	debugfs_create_file("status", 0444, xb_debugfs, NULL, &status_fops);
}

/**
 * xb_debugfs_exit() - remove it
 */
void xb_debugfs_exit(void)
{
	debugfs_remove_recursive(xb_debugfs);
}
