// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv-gntpeer: the dom0 end of the xenbus-peer QEMU scenario, a real peer
 * for a guest frontend: it maps the page the guest granted, checks it, writes
 * back, and ping-pongs events with the guest over an interdomain channel,
 * through dom0's /dev/xen/gntdev and /dev/xen/evtchn.
 *
 * Usage: xpv-gntpeer DOMID GREF PORT SEED ROUNDS
 *        xpv-gntpeer lie DOMID GREF PORT
 *
 * The second form is a lying netif backend (the netfront scenario): GREF is
 * a frontend's TX ring; we publish one response it never asked for (id
 * 0xbeef, beyond any TX id) and notify PORT. The frontend must shut the
 * device down.
 *
 * Protocol (the guest end is tests/modules/xenbus/main.c; the xenstore side
 * is tests/qemu/scenarios/xenbus-peer/dom0-during.sh, which runs this tool
 * once the frontend is Initialised and sets the backend Connected once it
 * printed "# ready"):
 *  1. The guest granted dom0 one page, GREF, holding byte i = (SEED + 7 * i)
 *     & 0xff for i = 0..4095, and opened port PORT unbound for dom0.
 *  2. We map the grant, check every byte, and write back the complement
 *     (~) of the pattern, which the guest checks when the backend closes.
 *  3. We bind PORT, swallow what is pending on the new local port (Xen marks
 *     a freshly bound interdomain port pending), and print "# ready".
 *  4. The backend goes Connected, then the guest goes Connected and sends
 *     the first event. ROUNDS round trips: we wait for an event from the
 *     guest (read() the port, write() it back to unmask), then notify the
 *     guest (IOCTL_EVTCHN_NOTIFY); the guest answers each of our
 *     notifications but the last with its next event. One event is in
 *     flight at any time, so none can coalesce: each side counts exactly
 *     ROUNDS events, and none may arrive after the last round.
 *  5. We unbind the port and unmap the grant; the guest ends its grant and
 *     closes its port when the device goes away.
 *
 * Output: "ok - ..." / "not ok - ..." lines and "# ..." comments on stdout,
 * as the harness's dom0 scripts print them. Every wait has a timeout.
 * Exit status: 0 if every check passed, 1 if one failed, 2 for bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/*
 * The UAPI headers use two types of Xen's public headers without defining
 * them: domid_t (xen.h) and grant_ref_t (grant_table.h).
 */
typedef uint16_t domid_t;
typedef uint32_t grant_ref_t;
#include <xen/evtchn.h>
#include <xen/gntdev.h>

/* The kernel's __printf(); user space has none. */
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))

#define XEN_PAGE_BYTES 4096
#define DOMID_FIRST_RESERVED 0x7ff0
#define MAX_ROUNDS 100000000UL

/* The first event waits for the guest to go Connected; later ones not. */
#define CONNECT_TIMEOUT_MS 30000
#define EVENT_TIMEOUT_MS 5000
/* How long a port must stay quiet to count as drained, or as done. */
#define QUIET_MS 200

static int failures;

static void report(int ok, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void note(const char *fmt, ...) PRINTF_LIKE(1, 2);

static void report(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
}

static void note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* A decimal number in 0..max, nothing else. */
static int parse(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || *end || *v > max ? -1 : 0;
}

static unsigned char pattern(unsigned long seed, unsigned int i)
{
	return (seed + i * 7UL) & 0xff;
}

/* The guest's page, mapped through gntdev. */
struct grant_map {
	int fd;
	int inserted;
	uint64_t index;
	unsigned char *page;
};

static int map_grant(struct grant_map *g, unsigned long domid,
		     unsigned long gref)
{
	struct ioctl_gntdev_map_grant_ref map = { .count = 1 };
	void *p;

	g->fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	if (g->fd < 0) {
		report(0, "open /dev/xen/gntdev: %s", strerror(errno));
		return -1;
	}
	map.refs[0].domid = domid;
	map.refs[0].ref = gref;
	if (ioctl(g->fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map)) {
		report(0, "IOCTL_GNTDEV_MAP_GRANT_REF: %s", strerror(errno));
		return -1;
	}
	g->inserted = 1;
	g->index = map.index;
	/* gntdev maps the grant here: a bad reference or domain fails now. */
	p = mmap(NULL, XEN_PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
		 g->fd, map.index);
	if (p == MAP_FAILED) {
		report(0, "map grant ref %lu of dom%lu: %s", gref, domid,
		       strerror(errno));
		return -1;
	}
	g->page = p;
	report(1, "mapped grant ref %lu of dom%lu", gref, domid);
	return 0;
}

/* Check the guest's pattern, then write its complement back. */
static void check_and_reply(unsigned char *page, unsigned long seed)
{
	unsigned int i, bad = 0, first = 0;

	for (i = 0; i < XEN_PAGE_BYTES; i++) {
		if (page[i] != pattern(seed, i) && !bad++)
			first = i;
	}
	if (bad) {
		report(0, "the page holds the guest's pattern: byte %u is 0x%02x, not 0x%02x",
		       first, page[first], pattern(seed, first));
		note("%u of %u bytes wrong (seed %lu)", bad, XEN_PAGE_BYTES,
		     seed);
	} else {
		report(1, "the page holds the guest's pattern (seed %lu)",
		       seed);
	}
	for (i = 0; i < XEN_PAGE_BYTES; i++)
		page[i] = ~pattern(seed, i) & 0xff;
	note("wrote the complement of the pattern back");
}

static int unmap_grant(struct grant_map *g)
{
	struct ioctl_gntdev_unmap_grant_ref unmap = {
		.index = g->index,
		.count = 1,
	};
	int ret = 0;

	if (g->page && munmap((void *)g->page, XEN_PAGE_BYTES)) {
		note("munmap: %s", strerror(errno));
		ret = -1;
	}
	if (g->inserted && ioctl(g->fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap)) {
		note("IOCTL_GNTDEV_UNMAP_GRANT_REF: %s", strerror(errno));
		ret = -1;
	}
	if (g->fd >= 0)
		close(g->fd);
	return ret;
}

static int bind_port(int *fd, unsigned long domid, unsigned long port,
		     unsigned int *local)
{
	struct ioctl_evtchn_bind_interdomain bind = {
		.remote_domain = domid,
		.remote_port = port,
	};
	int ret;

	*fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
	if (*fd < 0) {
		report(0, "open /dev/xen/evtchn: %s", strerror(errno));
		return -1;
	}
	ret = ioctl(*fd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &bind);
	if (ret < 0) {
		report(0, "bind to port %lu of dom%lu: %s", port, domid,
		       strerror(errno));
		return -1;
	}
	*local = ret;
	report(1, "bound to port %lu of dom%lu (local port %u)", port, domid,
	       *local);
	return 0;
}

/*
 * Wait up to @ms for an event on @local, take it and unmask the port.
 * Return: 1 for an event, 0 on timeout, -1 on error (reported).
 */
static int take_event(int fd, unsigned int local, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned int port;
	int ret;

	do
		ret = poll(&pfd, 1, ms);
	while (ret < 0 && errno == EINTR);
	if (ret == 0)
		return 0;
	if (ret < 0) {
		report(0, "poll /dev/xen/evtchn: %s", strerror(errno));
		return -1;
	}
	if (read(fd, &port, sizeof(port)) != sizeof(port)) {
		report(0, "read /dev/xen/evtchn: %s", strerror(errno));
		return -1;
	}
	if (port != local) {
		report(0, "event on port %u, not on ours (%u)", port, local);
		return -1;
	}
	if (write(fd, &port, sizeof(port)) != sizeof(port)) {
		report(0, "unmask port %u: %s", local, strerror(errno));
		return -1;
	}
	return 1;
}

/* Swallow what was pending at bind time; -1 on error. */
static int drain(int fd, unsigned int local)
{
	int n = 0, ret;

	while ((ret = take_event(fd, local, QUIET_MS)) == 1)
		n++;
	if (ret < 0)
		return -1;
	note("%d event(s) pending on the new port, taken", n);
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void ping_pong(int fd, unsigned int local, unsigned long rounds)
{
	struct ioctl_evtchn_notify notify = { .port = local };
	struct timespec t0 = { 0 };
	unsigned long k;
	int ret = 0, ms = CONNECT_TIMEOUT_MS;

	for (k = 0; k < rounds; k++) {
		ret = take_event(fd, local, ms);
		if (ret != 1)
			break;
		if (!k)
			clock_gettime(CLOCK_MONOTONIC, &t0);
		ms = EVENT_TIMEOUT_MS;
		if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &notify)) {
			report(0, "IOCTL_EVTCHN_NOTIFY in round %lu: %s",
			       k + 1, strerror(errno));
			return;
		}
	}
	if (ret == 0)
		report(0, "round %lu of %lu: no event from the guest in %d ms",
		       k + 1, rounds, ms);
	if (k < rounds)
		return;
	report(1, "%lu event round trips with the guest", rounds);
	if (rounds > 1)
		note("%.1f us per round trip",
		     seconds_since(&t0) * 1e6 / (rounds - 1));
	ret = take_event(fd, local, QUIET_MS);
	if (ret >= 0)
		report(!ret, "no event from the guest after the last round");
}

static int release_port(int fd, int bound, unsigned int local)
{
	struct ioctl_evtchn_unbind unbind = { .port = local };
	int ret = 0;

	if (bound && ioctl(fd, IOCTL_EVTCHN_UNBIND, &unbind)) {
		note("IOCTL_EVTCHN_UNBIND: %s", strerror(errno));
		ret = -1;
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* netif TX ring: 64-byte header (4 indexes, padding), 12-byte entries. */
#define TX_RSP_PROD 8
#define TX_RING 64
#define TX_ENTRY 12
#define TX_ENTRIES 256

/* One TX response for no request: id 0xbeef, status OKAY. */
static void lie(volatile unsigned char *ring)
{
	volatile uint32_t *prod = (volatile uint32_t *)(ring + TX_RSP_PROD);
	uint32_t p = *prod;
	volatile uint16_t *rsp;

	rsp = (volatile uint16_t *)(ring + TX_RING + (p % TX_ENTRIES) * TX_ENTRY);
	rsp[0] = 0xbeef;
	rsp[1] = 0;
	__sync_synchronize();
	*prod = p + 1;
	note("published a TX response for no request at index %u", p);
}

static int liar(int argc, char **argv)
{
	unsigned long domid, gref, port;
	struct ioctl_evtchn_notify notify;
	struct grant_map g = { .fd = -1 };
	unsigned int local = 0;
	int efd = -1, bound;

	if (argc != 5 || parse(argv[2], DOMID_FIRST_RESERVED - 1, &domid) ||
	    parse(argv[3], UINT32_MAX, &gref) ||
	    parse(argv[4], UINT32_MAX, &port)) {
		fprintf(stderr, "usage: %s lie DOMID GREF PORT\n", argv[0]);
		return 2;
	}
	if (map_grant(&g, domid, gref))
		return 1;
	bound = !bind_port(&efd, domid, port, &local);
	if (bound) {
		lie(g.page);
		notify.port = local;
		report(!ioctl(efd, IOCTL_EVTCHN_NOTIFY, &notify),
		       "notified the frontend of the lie");
	}
	release_port(efd, bound, local);
	unmap_grant(&g);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long domid, gref, port, seed, rounds;
	struct grant_map g = { .fd = -1 };
	unsigned int local = 0;
	int efd = -1, bound, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "lie"))
		return liar(argc, argv);
	if (argc != 6 || parse(argv[1], DOMID_FIRST_RESERVED - 1, &domid) ||
	    parse(argv[2], UINT32_MAX, &gref) ||
	    parse(argv[3], UINT32_MAX, &port) || parse(argv[4], 255, &seed) ||
	    parse(argv[5], MAX_ROUNDS, &rounds) || !rounds) {
		fprintf(stderr, "usage: %s DOMID GREF PORT SEED(0-255) ROUNDS(1-%lu)\n",
			argv[0], MAX_ROUNDS);
		return 2;
	}
	if (sysconf(_SC_PAGESIZE) != XEN_PAGE_BYTES) {
		report(0, "dom0 uses 4 KiB pages (not %ld)",
		       sysconf(_SC_PAGESIZE));
		return 1;
	}
	if (!map_grant(&g, domid, gref))
		check_and_reply(g.page, seed);
	/* The events are tested even if the page was wrong. */
	bound = !bind_port(&efd, domid, port, &local);
	if (bound && !drain(efd, local)) {
		note("ready: waiting for the guest's first event");
		ping_pong(efd, local, rounds);
	}
	ret = release_port(efd, bound, local);
	ret |= unmap_grant(&g);
	if (bound || g.inserted)
		report(!ret, "grant unmapped and port unbound");
	return failures ? 1 : 0;
}
