// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv_test_xenbus: a frontend driver on xpv_xenbus for the device type
 * "xpvtest", whose backend is a real peer in dom0: the scenario
 * tests/qemu/scenarios/xenbus-peer (dom0-during.sh plays the toolstack and
 * the backend's xenstore side, tests/tools/xpv-gntpeer.c maps our page and
 * answers our events). It exercises the bus (hot-plug, otherend, probe,
 * remove), the state machine, xenstore (reads from the backend's directory,
 * a transaction, writes), the ring helpers and an interdomain event channel.
 * One TAP line per check in the kernel log ("xpvtest: ok - ..."), relayed
 * by the scenario's guest.sh.
 *
 * Protocol, in order. FE is the device's directory (device/xpvtest/<id>),
 * BE its backend's (FE/backend).
 *  1. dom0 writes BE/{frontend,frontend-id,seed,rounds,state=1}, then
 *     FE/{backend,backend-id,state=1}; the bus probes us.
 *  2. probe(): read BE/seed and BE/rounds; grant one page
 *     (xpv_xenbus_setup_ring) holding byte i = (seed + 7 * i) & 0xff;
 *     allocate a port unbound for the backend and bind it to an IRQ; write
 *     FE/ring-ref and FE/event-channel in one transaction; go Initialised.
 *  3. dom0 sets BE InitWait, waits for our Initialised, runs xpv-gntpeer (it
 *     maps the page, checks the pattern, writes back its complement, binds
 *     the port), then sets BE Connected.
 *  4. BE Connected: we go Connected and send the first event. Each event
 *     from the peer is answered with the next one until `rounds` events
 *     have come back: one event in flight at a time, so none coalesce and
 *     each side counts exactly `rounds`. Events before Connected are
 *     counted apart and not answered.
 *  5. BE Closing (xpv-gntpeer has exited): check that every round came back
 *     and none beyond, and that the page holds the complement of the
 *     pattern; write FE/result = "ok <events>" or "not ok <events>"; go
 *     Closed.
 *  6. dom0 sets BE Closed and removes FE and BE: the bus removes the
 *     device; remove() unbinds the IRQ (closing the port) and tears the
 *     ring down (ending the grant).
 */
#define pr_fmt(fmt) "xpvtest: " fmt

#include <xpv/xpv.h>
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <xpv/evtchn.h>
#include <xpv/shared.h>
#include <xpv/xenbus.h>
#include <xpv/xenstore.h>
#include "../tap.h"

#define XT_MAX_ROUNDS 1000000U
/* How long BE Closing waits for the peer's last event to arrive. */
#define XT_LAST_EVENT_WAIT (5 * HZ)

/**
 * struct xt_dev - one xpvtest device
 * @xdev:       the bus device
 * @page:       the granted page
 * @gref:       its grant reference
 * @port:       the port opened unbound for the backend
 * @irq:        the port's IRQ, 0 while not bound
 * @seed:       the pattern's seed, from BE/seed
 * @rounds:     the round trips agreed, from BE/rounds
 * @connected:  BE went Connected: events are counted and answered
 * @finished:   the exchange was checked (BE Closing)
 * @received:   events from the peer since @connected
 * @early:      events before @connected
 * @notify_err: the first error of an answer sent by the IRQ handler
 * @wq:         woken when @received reaches @rounds
 */
struct xt_dev {
	struct xpv_xenbus_device *xdev;
	void *page;
	grant_ref_t gref;
	evtchn_port_t port;
	int irq;
	unsigned int seed;
	unsigned int rounds;
	bool connected;
	bool finished;
	atomic_t received;
	atomic_t early;
	int notify_err;
	wait_queue_head_t wq;
};

static u8 xt_pattern(unsigned int seed, unsigned int i)
{
	return (seed + i * 7) & 0xff;
}

static irqreturn_t xt_event(int irq, void *data)
{
	struct xt_dev *d = data;
	unsigned int n;
	int ret;

	if (!READ_ONCE(d->connected)) {
		atomic_inc(&d->early);
		return IRQ_HANDLED;
	}
	n = atomic_inc_return(&d->received);
	if (n < d->rounds) {
		ret = xpv_evtchn_notify(d->port);
		if (ret && !READ_ONCE(d->notify_err))
			WRITE_ONCE(d->notify_err, ret);
	} else if (n == d->rounds) {
		wake_up(&d->wq);
	}
	return IRQ_HANDLED;
}

static int xt_read_params(struct xt_dev *d)
{
	const char *be = d->xdev->otherend;

	d->seed = xpv_xs_read_unsigned(be, "seed", UINT_MAX);
	d->rounds = xpv_xs_read_unsigned(be, "rounds", 0);
	if (!xt_check(d->seed <= 0xff && d->rounds &&
		      d->rounds <= XT_MAX_ROUNDS,
		      "seed and rounds read from the backend's directory",
		      "seed %u, rounds %u in %s", d->seed, d->rounds, be))
		return -EINVAL;
	return 0;
}

static int xt_setup_page(struct xt_dev *d)
{
	u8 *p;
	unsigned int i;
	int ret;

	ret = xpv_xenbus_setup_ring(d->xdev, GFP_KERNEL, &d->page, 1,
				    &d->gref);
	if (!xt_check(!ret, "one page granted to the backend (setup_ring)",
		      "error %d", ret))
		return ret;
	p = d->page;
	for (i = 0; i < XPV_XEN_PAGE_SIZE; i++)
		p[i] = xt_pattern(d->seed, i);
	return 0;
}

static int xt_setup_evtchn(struct xt_dev *d)
{
	int ret;

	ret = xpv_xenbus_alloc_evtchn(d->xdev, &d->port);
	if (!xt_check(!ret, "port allocated for the backend (alloc_evtchn)",
		      "error %d", ret))
		return ret;
	ret = xpv_evtchn_bind_irq(d->port, xt_event, 0, "xpvtest-peer", d);
	if (!xt_check(ret > 0, "the port bound to an IRQ", "error %d", ret)) {
		xpv_xenbus_free_evtchn(d->xdev, d->port);
		return ret;
	}
	d->irq = ret;
	return 0;
}

/* Transaction body: what the backend needs, published at once. */
static int xt_publish(xpv_xbt_t t, void *arg)
{
	struct xt_dev *d = arg;
	int ret;

	ret = xpv_xs_printf(t, d->xdev->nodename, "ring-ref", "%u", d->gref);
	if (!ret)
		ret = xpv_xs_printf(t, d->xdev->nodename, "event-channel", "%u",
				    d->port);
	return ret;
}

/* Undo what probe() set up; the device goes away or probe failed. */
static void xt_release(struct xt_dev *d)
{
	struct evtchn_status st;
	int ret;

	if (d->irq > 0) {
		xpv_evtchn_unbind_irq(d->irq, d);
		ret = xpv_evtchn_status(d->port, &st);
		xt_check(!ret && st.status == EVTCHNSTAT_closed,
			 "unbinding the IRQ closed the port in Xen",
			 "error %d, status %u", ret, st.status);
	}
	if (d->page)
		xpv_xenbus_teardown_ring(&d->page, 1, &d->gref);
	kfree(d);
}

static int xt_probe(struct xpv_xenbus_device *dev,
		    const struct xpv_xenbus_device_id *id)
{
	struct xt_dev *d;
	int ret;

	pr_info("# %s: probe, backend dom%u at %s\n", dev_name(&dev->dev),
		dev->otherend_id, dev->otherend);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->xdev = dev;
	atomic_set(&d->received, 0);
	atomic_set(&d->early, 0);
	init_waitqueue_head(&d->wq);
	ret = xt_read_params(d);
	if (!ret)
		ret = xt_setup_page(d);
	if (!ret)
		ret = xt_setup_evtchn(d);
	if (!ret) {
		ret = xpv_xs_transact(xt_publish, d);
		xt_check(!ret, "ring-ref and event-channel written in a transaction",
			 "error %d", ret);
	}
	if (!ret) {
		ret = xpv_xenbus_switch_state(dev, XenbusStateInitialised);
		xt_check(!ret, "frontend Initialised", "error %d", ret);
	}
	if (ret) {
		xpv_xenbus_dev_fatal(dev, ret, "xpvtest setup");
		xt_release(d);
		return ret;
	}
	pr_info("# %s: seed %u rounds %u ring-ref %u event-channel %u irq %d\n",
		dev_name(&dev->dev), d->seed, d->rounds, d->gref, d->port,
		d->irq);
	dev_set_drvdata(&dev->dev, d);
	return 0;
}

/* BE Connected: the peer has bound our port; start the ping-pong. */
static void xt_connect(struct xt_dev *d)
{
	struct evtchn_status st;
	int ret;

	if (d->connected)
		return;
	ret = xpv_evtchn_status(d->port, &st);
	xt_check(!ret && st.status == EVTCHNSTAT_interdomain &&
		 st.u.interdomain.dom == d->xdev->otherend_id,
		 "the backend bound our port before going Connected",
		 "error %d, status %u", ret, st.status);
	WRITE_ONCE(d->connected, true);
	ret = xpv_xenbus_switch_state(d->xdev, XenbusStateConnected);
	xt_check(!ret, "frontend Connected after the backend", "error %d", ret);
	ret = xpv_evtchn_notify(d->port);
	xt_check(!ret, "first event sent to the peer", "error %d", ret);
}

static bool xt_check_reply(struct xt_dev *d)
{
	static const char desc[] =
		"the page holds what the peer wrote back (~pattern)";
	const u8 *p = d->page;
	unsigned int i;

	/* p[i] only for a byte inside the page: the failure's arguments. */
	for (i = 0; i < XPV_XEN_PAGE_SIZE; i++)
		if (p[i] != (u8)~xt_pattern(d->seed, i))
			return xt_check(false, desc,
					"byte %u is 0x%02x, not 0x%02x", i,
					p[i], (u8)~xt_pattern(d->seed, i));
	return xt_check(true, desc, "all %u bytes", i);
}

/* BE Closing: the peer is done; check the exchange, report, go Closed. */
static void xt_finish(struct xt_dev *d)
{
	unsigned int n;
	bool events, page;
	int ret;

	if (d->finished)
		return;
	d->finished = true;
	/* The peer's last event may still be on its way. */
	wait_event_timeout(d->wq, atomic_read(&d->received) >= d->rounds,
			   XT_LAST_EVENT_WAIT);
	n = atomic_read(&d->received);
	events = xt_check(n == d->rounds && !READ_ONCE(d->notify_err),
			  "ping-pong: every round trip came back, no more",
			  "%u events for %u rounds, answer error %d", n,
			  d->rounds, READ_ONCE(d->notify_err));
	page = xt_check_reply(d);
	pr_info("# %s: %u events in ping-pong, %d before Connected\n",
		dev_name(&d->xdev->dev), n, atomic_read(&d->early));
	ret = xpv_xs_printf(XPV_XBT_NIL, d->xdev->nodename, "result", "%s %u",
			    events && page ? "ok" : "not ok", n);
	xt_check(!ret, "result written for the backend", "error %d", ret);
	pr_info("# %s: result %s %u\n", dev_name(&d->xdev->dev),
		events && page ? "ok" : "not ok", n);
	ret = xpv_xenbus_switch_state(d->xdev, XenbusStateClosed);
	xt_check(!ret, "frontend Closed after the backend's Closing",
		 "error %d", ret);
}

static void xt_otherend_changed(struct xpv_xenbus_device *dev,
				enum xenbus_state backend_state)
{
	struct xt_dev *d = dev_get_drvdata(&dev->dev);

	pr_info("# %s: backend %s\n", dev_name(&dev->dev),
		xpv_xenbus_strstate(backend_state));
	switch (backend_state) {
	case XenbusStateConnected:
		xt_connect(d);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
		xt_finish(d);
		break;
	default:
		break;
	}
}

static void xt_remove(struct xpv_xenbus_device *dev)
{
	struct xt_dev *d = dev_get_drvdata(&dev->dev);

	xt_check(d->finished, "the backend closed the device before removing it",
		 "removed in state %s", xpv_xenbus_strstate(dev->state));
	xt_release(d);
	dev_set_drvdata(&dev->dev, NULL);
	pr_info("# %s removed\n", dev_name(&dev->dev));
}

/* System suspend and resume: logged for the guest script to count. */
static int xt_suspend(struct xpv_xenbus_device *dev)
{
	pr_info("# %s: suspend\n", dev_name(&dev->dev));
	return 0;
}

static int xt_resume(struct xpv_xenbus_device *dev)
{
	pr_info("# %s: resume\n", dev_name(&dev->dev));
	return 0;
}

static const struct xpv_xenbus_device_id xt_ids[] = {
	{ "xpvtest" },
	{ "" }
};

static struct xpv_xenbus_driver xt_driver = {
	.ids = xt_ids,
	.probe = xt_probe,
	.otherend_changed = xt_otherend_changed,
	.remove = xt_remove,
	.suspend = xt_suspend,
	.resume = xt_resume,
};
module_xpv_xenbus_frontend(xt_driver);

/* Autoloaded from the bus's MODALIAS uevent, as a real frontend would be. */
MODULE_ALIAS("xen:xpvtest");

MODULE_DESCRIPTION("xpv: xenbus integration test with a peer in dom0 (test only)");
MODULE_AUTHOR("The xpv developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(XPV);
