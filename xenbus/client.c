// SPDX-License-Identifier: GPL-2.0-only
/*
 * What frontend drivers call on their device: its state and the backend's,
 * error reports, and setting up the shared ring pages and event channel
 * the backend maps and binds.
 */
#define pr_fmt(fmt) "xpv: xenbus: " fmt

#include "internal.h"
#include "bus.h"
#include "state.h"
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <xpv/evtchn.h>
#include <xpv/grant.h>
#include <xpv/shared.h>

/* Ring pages are granted one kernel page each: one Xen page. */
static_assert(PAGE_SIZE == XPV_XEN_PAGE_SIZE);

/**
 * xpv_xenbus_strstate() - the name of a XenbusState
 * @state: the state
 *
 * Return: "Connected", ...; "Invalid" for a value Xen does not define.
 */
const char *xpv_xenbus_strstate(enum xenbus_state state)
{
	return xb_strstate(state);
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_strstate, XPV);

/**
 * xpv_xenbus_read_state() - the state a device directory shows
 * @path: the directory (a frontend's nodename or a backend's path)
 *
 * Context: process context; sleeps.
 * Return: the state; XenbusStateClosed if the node is missing (the device
 * is gone), XenbusStateUnknown if it holds no valid state.
 */
enum xenbus_state xpv_xenbus_read_state(const char *path)
{
	enum xenbus_state state;
	char *s = xpv_xs_read(XPV_XBT_NIL, path, "state", NULL);
	int ret;

	if (IS_ERR(s))
		return PTR_ERR(s) == -ENOENT ? XenbusStateClosed :
		       XenbusStateUnknown;
	ret = xb_parse_state(s, &state);
	kfree(s);
	return ret ? XenbusStateUnknown : state;
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_read_state, XPV);

/**
 * xpv_xenbus_otherend_state() - the backend's state now
 * @dev: the device
 *
 * Context: process context; sleeps.
 * Return: as xpv_xenbus_read_state().
 */
enum xenbus_state xpv_xenbus_otherend_state(struct xpv_xenbus_device *dev)
{
	return xpv_xenbus_read_state(dev->otherend);
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_otherend_state, XPV);

/**
 * xpv_xenbus_wait_otherend() - wait for the backend to reach some state
 * @dev:        the device
 * @states:     the states to wait for, XPV_XENBUS_STATE() bits
 * @timeout_ms: the most to wait
 *
 * Context: process context; sleeps. It need not run in a watch callback:
 * it reads the state itself at each event of the bus's watch, and every
 * 100 ms in case that watch is busy.
 *
 * Return: the state reached, -ETIMEDOUT, or -EINTR on a fatal signal.
 */
int xpv_xenbus_wait_otherend(struct xpv_xenbus_device *dev,
			     unsigned int states, unsigned int timeout_ms)
{
	struct xb_device *xb = to_xb_device(dev);
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);
	enum xenbus_state state;
	unsigned int seen;

	for (;;) {
		seen = READ_ONCE(xb->otherend_events);
		state = xpv_xenbus_otherend_state(dev);
		if (states & XPV_XENBUS_STATE(state))
			return state;
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		if (wait_event_killable_timeout(xb->otherend_wq,
						READ_ONCE(xb->otherend_events) != seen,
						msecs_to_jiffies(100)) < 0)
			return -EINTR;
	}
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_wait_otherend, XPV);

/**
 * xpv_xenbus_close_step() - a step of a frontend's orderly close
 * @dev:        the device
 * @state:      XenbusStateClosing or XenbusStateClosed, to publish
 * @timeout_ms: the most to wait for the backend to follow
 *
 * Publishes @state, then waits for the backend to follow: after Closing,
 * for it to be Closing or Closed (it has let go of our rings); after
 * Closed, for it to be Closed. A backend gone (state Unknown) counts as
 * Closed. One that does not follow in time is logged and left alone.
 *
 * Context: process context; sleeps.
 * Return: 0, -ETIMEDOUT, or -EINTR on a fatal signal.
 */
int xpv_xenbus_close_step(struct xpv_xenbus_device *dev,
			  enum xenbus_state state, unsigned int timeout_ms)
{
	unsigned int states = XPV_XENBUS_STATE(XenbusStateClosed) |
			      XPV_XENBUS_STATE(XenbusStateUnknown);
	int rc;

	if (state == XenbusStateClosing)
		states |= XPV_XENBUS_STATE(XenbusStateClosing);
	xpv_xenbus_switch_state(dev, state);
	rc = xpv_xenbus_wait_otherend(dev, states, timeout_ms);
	if (rc >= 0)
		return 0;
	dev_warn(&dev->dev, "backend did not follow to %s in %u ms\n",
		 xpv_xenbus_strstate(state), timeout_ms);
	return rc;
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_close_step, XPV);

struct xb_switch {
	struct xpv_xenbus_device *dev;
	enum xenbus_state state;
};

static int xb_switch_body(xpv_xbt_t t, void *arg)
{
	struct xb_switch *sw = arg;

	/* A vanished directory stays gone: the device is being removed. */
	if (!xpv_xs_exists(t, sw->dev->nodename, "state"))
		return -ENOENT;
	return xpv_xs_printf(t, sw->dev->nodename, "state", "%d", sw->state);
}

/**
 * xpv_xenbus_switch_state() - publish a new state of ours
 * @dev:   the device
 * @state: the state
 *
 * Nothing is written if @state is the current one, nor if the device's
 * directory is gone.
 *
 * Context: process context; sleeps.
 * Return: 0 or a negative errno.
 */
int xpv_xenbus_switch_state(struct xpv_xenbus_device *dev,
			    enum xenbus_state state)
{
	struct xb_switch sw = { dev, state };
	int ret;

	if (state == dev->state)
		return 0;
	ret = xpv_xs_transact(xb_switch_body, &sw);
	if (ret == -ENOENT)
		return 0;
	if (ret) {
		dev_err(&dev->dev, "cannot switch to %s: %d\n",
			xb_strstate(state), ret);
		return ret;
	}
	dev_dbg(&dev->dev, "%s -> %s\n", xb_strstate(dev->state),
		xb_strstate(state));
	dev->state = state;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_switch_state, XPV);

static void xb_report(struct xpv_xenbus_device *dev, int err,
		      const char *fmt, va_list ap)
{
	char *msg = kvasprintf(GFP_KERNEL, fmt, ap);
	char *path = kasprintf(GFP_KERNEL, "error/%s", dev->nodename);

	dev_err(&dev->dev, "error %d: %s\n", err, msg ? msg : fmt);
	if (msg && path &&
	    xpv_xs_printf(XPV_XBT_NIL, path, "error", "%i %s", -err, msg))
		dev_err(&dev->dev, "cannot write %s/error\n", path);
	kfree(path);
	kfree(msg);
}

/**
 * xpv_xenbus_dev_error() - report an error, to the log and to the toolstack
 * @dev: the device
 * @err: a negative errno
 * @fmt: printf format of the message
 *
 * As Linux's xenbus does: the message also goes to error/<nodename>/error
 * in our xenstore home, where the toolstack looks.
 *
 * Context: process context; sleeps.
 */
void xpv_xenbus_dev_error(struct xpv_xenbus_device *dev, int err,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xb_report(dev, err, fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_dev_error, XPV);

/**
 * xpv_xenbus_dev_fatal() - report an error and close the device
 * @dev: the device
 * @err: a negative errno
 * @fmt: printf format of the message
 *
 * As xpv_xenbus_dev_error(), then switches the device to Closing.
 *
 * Context: process context; sleeps.
 */
void xpv_xenbus_dev_fatal(struct xpv_xenbus_device *dev, int err,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xb_report(dev, err, fmt, ap);
	va_end(ap);
	xpv_xenbus_switch_state(dev, XenbusStateClosing);
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_dev_fatal, XPV);

/**
 * xpv_xenbus_grant_ring() - grant the backend ring pages we allocated
 * @dev:      the device
 * @vaddr:    the pages, virtually contiguous in the linear map
 * @nr_pages: how many
 * @grefs:    set to one reference per page
 *
 * Context: any; does not sleep.
 * Return: 0, or a negative errno with nothing granted.
 */
int xpv_xenbus_grant_ring(struct xpv_xenbus_device *dev, void *vaddr,
			  unsigned int nr_pages, grant_ref_t *grefs)
{
	unsigned int i;
	int ref;

	for (i = 0; i < nr_pages; i++) {
		ref = xpv_grant_access(dev->otherend_id,
				       virt_to_pfn(vaddr + i * PAGE_SIZE),
				       false);
		if (ref < 0)
			goto undo;
		grefs[i] = ref;
	}
	return 0;
undo:
	while (i--)
		xpv_grant_end_access(grefs[i], NULL);
	xpv_xenbus_dev_fatal(dev, ref, "granting ring page");
	return ref;
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_grant_ring, XPV);

/**
 * xpv_xenbus_setup_ring() - allocate zeroed ring pages and grant them
 * @dev:      the device
 * @gfp:      allocation flags
 * @vaddr:    set to the pages
 * @nr_pages: how many, 1..XPV_XENBUS_MAX_RING_PAGES
 * @grefs:    set to one reference per page
 *
 * Undo with xpv_xenbus_teardown_ring().
 *
 * Context: as @gfp allows.
 * Return: 0 or a negative errno (nothing allocated then).
 */
int xpv_xenbus_setup_ring(struct xpv_xenbus_device *dev, gfp_t gfp,
			  void **vaddr, unsigned int nr_pages,
			  grant_ref_t *grefs)
{
	void *p;
	int ret;

	if (!nr_pages || nr_pages > XPV_XENBUS_MAX_RING_PAGES)
		return -EINVAL;
	p = alloc_pages_exact(nr_pages * PAGE_SIZE, gfp | __GFP_ZERO);
	if (!p)
		return -ENOMEM;
	ret = xpv_xenbus_grant_ring(dev, p, nr_pages, grefs);
	if (ret) {
		free_pages_exact(p, nr_pages * PAGE_SIZE);
		return ret;
	}
	*vaddr = p;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_setup_ring, XPV);

/**
 * xpv_xenbus_teardown_ring() - end the grants and free the ring pages
 * @vaddr:    the pages from xpv_xenbus_setup_ring(); set to NULL
 * @nr_pages: how many
 * @grefs:    their references
 *
 * A page the backend still maps is freed only once it lets go (see
 * xpv_grant_end_access()). Does nothing if *@vaddr is NULL.
 *
 * Context: any; does not sleep.
 */
void xpv_xenbus_teardown_ring(void **vaddr, unsigned int nr_pages,
			      grant_ref_t *grefs)
{
	unsigned int i;

	if (!*vaddr)
		return;
	for (i = 0; i < nr_pages; i++)
		xpv_grant_end_access(grefs[i],
				     virt_to_page(*vaddr + i * PAGE_SIZE));
	*vaddr = NULL;
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_teardown_ring, XPV);

/**
 * xpv_xenbus_alloc_evtchn() - an unbound port for the backend to bind
 * @dev:  the device
 * @port: set to the port
 *
 * Context: process context.
 * Return: 0, or a negative errno (reported with xpv_xenbus_dev_fatal()).
 */
int xpv_xenbus_alloc_evtchn(struct xpv_xenbus_device *dev,
			    evtchn_port_t *port)
{
	int ret = xpv_evtchn_alloc_unbound(dev->otherend_id, port);

	if (ret)
		xpv_xenbus_dev_fatal(dev, ret, "allocating event channel");
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_alloc_evtchn, XPV);

/**
 * xpv_xenbus_free_evtchn() - close a port from xpv_xenbus_alloc_evtchn()
 * @dev:  the device
 * @port: the port (not bound to an IRQ: xpv_evtchn_unbind_irq() closes
 *        those)
 *
 * Context: process context.
 * Return: 0 or a negative errno.
 */
int xpv_xenbus_free_evtchn(struct xpv_xenbus_device *dev, evtchn_port_t port)
{
	int ret = xpv_evtchn_close(port);

	if (ret)
		xpv_xenbus_dev_error(dev, ret, "closing event channel %u",
				     port);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(xpv_xenbus_free_evtchn, XPV);
