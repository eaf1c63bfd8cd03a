// SPDX-License-Identifier: GPL-2.0-only
/*
 * XenbusState names and parsing, device paths of the bus (see state.h).
 *
 * Pure logic: compiled into xpv_xenbus.ko and, unchanged, into the userspace
 * unit tests (tests/unit).
 */
#include "state.h"
#include "xs_wire.h"
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

static const char *const xb_states[] = {
	[XenbusStateUnknown]		= "Unknown",
	[XenbusStateInitialising]	= "Initialising",
	[XenbusStateInitWait]		= "InitWait",
	[XenbusStateInitialised]	= "Initialised",
	[XenbusStateConnected]		= "Connected",
	[XenbusStateClosing]		= "Closing",
	[XenbusStateClosed]		= "Closed",
	[XenbusStateReconfiguring]	= "Reconfiguring",
	[XenbusStateReconfigured]	= "Reconfigured",
};

/**
 * xb_strstate() - the name of a XenbusState
 * @state: the state
 *
 * Return: its name ("Connected"), or "Invalid" for a value Xen does not
 * define.
 */
const char *xb_strstate(enum xenbus_state state)
{
	if ((unsigned int)state >= ARRAY_SIZE(xb_states))
		return "Invalid";
	return xb_states[state];
}

/**
 * xb_parse_state() - a state node's value
 * @s:     the value read from xenstore, e.g. "4"
 * @state: the state it names
 *
 * Return: 0, or -EINVAL for anything but the decimal number of a state.
 */
int xb_parse_state(const char *s, enum xenbus_state *state)
{
	unsigned int v;

	if (xs_parse_uint(s, ARRAY_SIZE(xb_states) - 1, &v))
		return -EINVAL;
	*state = v;
	return 0;
}

/* Copies the component at *@p (up to '/' or the end) into @out. */
static int xb_component(const char **p, char *out, size_t max)
{
	size_t n = strcspn(*p, "/");

	if (!n || n > max)
		return -EINVAL;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n;
	return 0;
}

/**
 * xb_parse_device_path() - the device a path under device/ belongs to
 * @path: a path relative to our home, "device/<type>/<id>[/...]"
 * @type: the type, up to XB_TYPE_MAX characters + NUL
 * @id:   the id, up to XB_ID_MAX characters + NUL
 *
 * Return: 0; -ENOENT for a path above a device ("device", "device/vif");
 * -EINVAL for one that is not under device/ or has an over-long or
 * malformed component.
 */
int xb_parse_device_path(const char *path, char *type, char *id)
{
	const char *p = path;

	if (strncmp(p, "device", 6) || (p[6] && p[6] != '/'))
		return -EINVAL;
	if (!xs_path_valid(path))
		return -EINVAL;
	p += 6;
	if (!*p)
		return -ENOENT;
	p++;
	if (xb_component(&p, type, XB_TYPE_MAX))
		return -EINVAL;
	if (!*p)
		return -ENOENT;
	p++;
	return xb_component(&p, id, XB_ID_MAX);
}

/**
 * xb_unbound_next() - a device without a driver follows its backend
 * @ours:    the frontend's state
 * @backend: the backend's new state
 *
 * With no driver to do it, the bus answers a backend that closes the device
 * (Closing, or Closed before we were) by going Closed, so the toolstack's
 * detach completes instead of timing out.
 *
 * Return: what to do.
 */
enum xb_unbound_action xb_unbound_next(enum xenbus_state ours,
				       enum xenbus_state backend)
{
	if (ours == XenbusStateClosed)
		return XB_NOTHING;
	if (backend == XenbusStateClosing || backend == XenbusStateClosed)
		return XB_SET_CLOSED;
	return XB_NOTHING;
}
