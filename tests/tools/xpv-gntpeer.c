// SPDX-License-Identifier: GPL-2.0-only
/*
 * xpv-gntpeer: the dom0 end of the xenbus-peer QEMU scenario, a real peer
 * for a guest frontend: it maps the page the guest granted, checks it, writes
 * back, and ping-pongs events with the guest over an interdomain channel,
 * through dom0's /dev/xen/gntdev and /dev/xen/evtchn.
 *
 * Usage: xpv-gntpeer DOMID GREF PORT SEED ROUNDS
 *        xpv-gntpeer lie KIND DOMID GREF PORT
 *        xpv-gntpeer serve WANT DOMID GREF PORT
 *
 * The second form is a lying backend; GREF is a frontend's (one-page)
 * ring, PORT its event channel. KIND says what lie we publish before we
 * notify PORT; the frontend must shut the device down:
 *  - netif (the netfront scenario): on a TX ring, a response it never asked
 *    for (id 0xbeef, beyond any TX id);
 *  - blkif-bad-id, blkif-wrong-op, blkif-duplicate (the blkfront scenario):
 *    on a blkif ring, once the frontend has sent a request (we wait up to
 *    30 s for one), a response to it with an id out of any range, one with
 *    its id but another operation, or two responses to it.
 *
 * The third form is an honest, dataless blkif backend: it answers every
 * request OKAY until the request WANT names arrives, for at most 30 s, and
 * reports whether one did: blkif-secure-discard (BLKIF_OP_DISCARD with
 * BLKIF_DISCARD_SECURE) or blkif-barrier (BLKIF_OP_WRITE_BARRIER).
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
 * The rings' layouts from the kernel tree's Xen ABI headers (through the
 * unit tests' shim); they also give the UAPI headers domid_t and
 * grant_ref_t.
 */
#include <xen/interface/io/blkif.h>
#include <xen/interface/io/netif.h>
#include <xen/evtchn.h>
#include <xen/gntdev.h>

/* The kernel's __printf(); user space has none. */
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))

#define XEN_PAGE_BYTES 4096
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

/* Read a ring index the other end writes. */
#define SHARED(x) (*(volatile RING_IDX *)&(x))

/* netif: one TX response for no request: id 0xbeef, status OKAY. */
static int lie_netif(void *page)
{
	struct xen_netif_tx_sring *s = page;
	RING_IDX p = SHARED(s->rsp_prod);
	struct xen_netif_tx_response *rsp;

	rsp = &s->ring[p % __RING_SIZE(s, XEN_PAGE_BYTES)].rsp;
	rsp->id = 0xbeef;
	rsp->status = XEN_NETIF_RSP_OKAY;
	__sync_synchronize();
	SHARED(s->rsp_prod) = p + 1;
	note("published a TX response for no request at index %u", p);
	return 0;
}

enum blk_lie { BLK_BAD_ID, BLK_WRONG_OP, BLK_DUPLICATE };

/*
 * The request at index @i, copied once into @req: its id, and in @op its
 * operation (an indirect request's indirect_op, as responses carry it).
 */
static uint64_t blk_copy_request(struct blkif_sring *s, RING_IDX i,
				 struct blkif_request *req, uint8_t *op)
{
	__sync_synchronize();
	memcpy(req, &s->ring[i % __RING_SIZE(s, XEN_PAGE_BYTES)].req,
	       sizeof(*req));
	if (req->operation == BLKIF_OP_INDIRECT) {
		*op = req->u.indirect.indirect_op;
		return req->u.indirect.id;
	}
	*op = req->operation;
	return req->u.rw.id;
}

/*
 * The frontend's first request without a response, with its id and
 * operation (blk_copy_request()): 0, or -1 if none came.
 */
static int blk_request(struct blkif_sring *s, struct blkif_request *req,
		       uint64_t *id, uint8_t *op)
{
	RING_IDX p = SHARED(s->rsp_prod);
	int ms;

	for (ms = 0; ms < CONNECT_TIMEOUT_MS; ms += 10) {
		if (SHARED(s->req_prod) != p) {
			*id = blk_copy_request(s, p, req, op);
			return 0;
		}
		usleep(10000);
	}
	return -1;
}

static void blk_response(struct blkif_sring *s, RING_IDX i, uint64_t id,
			 uint8_t op)
{
	struct blkif_response *rsp;

	rsp = &s->ring[i % __RING_SIZE(s, XEN_PAGE_BYTES)].rsp;
	rsp->id = id;
	rsp->operation = op;
	rsp->status = BLKIF_RSP_OKAY;
}

/* blkif: the lie @kind about the frontend's first request. */
static int lie_blkif(void *page, enum blk_lie kind)
{
	struct blkif_sring *s = page;
	RING_IDX p = SHARED(s->rsp_prod);
	struct blkif_request req;
	uint64_t id;
	uint8_t op;

	if (blk_request(s, &req, &id, &op)) {
		report(0, "the frontend sends a request within %d s",
		       CONNECT_TIMEOUT_MS / 1000);
		return -1;
	}
	note("request %u: operation %u, id %llu", p, req.operation,
	     (unsigned long long)id);
	switch (kind) {
	case BLK_BAD_ID:
		blk_response(s, p++, 0xdeadbeefdeadbeefULL, op);
		break;
	case BLK_WRONG_OP:
		blk_response(s, p++, id, op ^ 1);
		break;
	case BLK_DUPLICATE:
		blk_response(s, p++, id, op);
		blk_response(s, p++, id, op);
		break;
	}
	__sync_synchronize();
	SHARED(s->rsp_prod) = p;
	note("published the lie; rsp_prod %u", p);
	return 0;
}

/* KIND of the usage: 0 and its lie, or -1. */
static int lie_kind(const char *s, int *blk)
{
	static const char *const kinds[] = {
		[BLK_BAD_ID] = "blkif-bad-id",
		[BLK_WRONG_OP] = "blkif-wrong-op",
		[BLK_DUPLICATE] = "blkif-duplicate",
	};
	unsigned int i;

	*blk = -1;
	if (!strcmp(s, "netif"))
		return 0;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(s, kinds[i])) {
			*blk = i;
			return 0;
		}
	}
	return -1;
}

/* What serve waits for: the WANT of the usage. */
enum blk_want { WANT_SECURE_DISCARD, WANT_BARRIER, NR_WANTS };

static const char *const want_names[NR_WANTS] = {
	[WANT_SECURE_DISCARD] = "blkif-secure-discard",
	[WANT_BARRIER] = "blkif-barrier",
};

/* WANT of the usage: its index, or -1. */
static int want_kind(const char *s)
{
	int i;

	for (i = 0; i < NR_WANTS; i++)
		if (!strcmp(s, want_names[i]))
			return i;
	return -1;
}

static int wanted(enum blk_want want, uint8_t op,
		  const struct blkif_request *req)
{
	if (want == WANT_BARRIER)
		return op == BLKIF_OP_WRITE_BARRIER;
	return op == BLKIF_OP_DISCARD &&
	       (req->u.discard.flag & BLKIF_DISCARD_SECURE);
}

/*
 * serve: answer every request OKAY until the one @want names has come (0)
 * or CONNECT_TIMEOUT_MS passed (-1). No data is moved.
 */
static int serve_blkif(void *page, int efd, unsigned int local,
		       enum blk_want want)
{
	struct ioctl_evtchn_notify notify = { .port = local };
	struct blkif_sring *s = page;
	RING_IDX cons = SHARED(s->rsp_prod), prod = cons;
	struct blkif_request req;
	int ms, seen = 0;
	uint64_t id;
	uint8_t op;

	for (ms = 0; !seen && ms < CONNECT_TIMEOUT_MS; ms += 1) {
		while (cons != SHARED(s->req_prod)) {
			id = blk_copy_request(s, cons++, &req, &op);
			seen |= wanted(want, op, &req);
			blk_response(s, prod++, id, op);
		}
		__sync_synchronize();
		if (SHARED(s->rsp_prod) != prod) {
			SHARED(s->rsp_prod) = prod;
			ioctl(efd, IOCTL_EVTCHN_NOTIFY, &notify);
		}
		usleep(1000);
	}
	report(seen, "a %s request reached the backend (%u requests)",
	       want_names[want], prod);
	return seen ? 0 : -1;
}

static int liar(int argc, char **argv)
{
	unsigned long domid, gref, port;
	struct ioctl_evtchn_notify notify;
	struct grant_map g = { .fd = -1 };
	unsigned int local = 0;
	int efd = -1, bound, blk = -1, want = -1, serve;

	serve = argc == 6 && !strcmp(argv[1], "serve");
	if (argc != 6 ||
	    (serve ? (want = want_kind(argv[2])) < 0 : lie_kind(argv[2], &blk)) ||
	    parse(argv[3], DOMID_FIRST_RESERVED - 1, &domid) ||
	    parse(argv[4], UINT32_MAX, &gref) ||
	    parse(argv[5], UINT32_MAX, &port)) {
		fprintf(stderr, "usage: %s lie netif|blkif-bad-id|blkif-wrong-op|blkif-duplicate DOMID GREF PORT\n"
			"       %s serve blkif-secure-discard|blkif-barrier DOMID GREF PORT\n",
			argv[0], argv[0]);
		return 2;
	}
	if (map_grant(&g, domid, gref))
		return 1;
	bound = !bind_port(&efd, domid, port, &local);
	if (bound && serve) {
		serve_blkif(g.page, efd, local, want);
	} else if (bound &&
		   !(blk < 0 ? lie_netif(g.page) : lie_blkif(g.page, blk))) {
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
	if (argc > 1 && (!strcmp(argv[1], "lie") || !strcmp(argv[1], "serve")))
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
