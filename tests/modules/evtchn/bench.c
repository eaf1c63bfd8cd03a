// SPDX-License-Identifier: GPL-2.0-only
/*
 * Notify round-trip latency over two loopback channels. Each round starts
 * in process context: a notify on "ping" raises its other end, whose
 * handler (on one CPU) notifies "pong", whose handler (on another CPU if
 * there is one) records the time; the starter polls for it. Rounds are not
 * chained in IRQ context: such a chain keeps both vCPUs in hard IRQs,
 * starving the tick and every task for the whole run. Printed as
 * "xpvtest: # bench: ..." with the average, minimum and maximum in ns.
 */
#include "xpvtest.h"
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/math64.h>

static struct bench {
	struct xt_loop ping, pong;
	int ping_irq, pong_irq;
	unsigned int done;
	u64 round_end;
} b;

static irqreturn_t ping_handler(int irq, void *dev)
{
	xpv_evtchn_notify(b.pong.local);
	return IRQ_HANDLED;
}

static irqreturn_t pong_handler(int irq, void *dev)
{
	WRITE_ONCE(b.round_end, ktime_get_ns());
	/* Publishes round_end to the poller. */
	smp_store_release(&b.done, b.done + 1);
	return IRQ_HANDLED;
}

static int bench_setup(void)
{
	unsigned int cpu0 = cpumask_first(cpu_online_mask);
	unsigned int cpu1 = cpumask_next(cpu0, cpu_online_mask);
	int ret;

	if (cpu1 >= nr_cpu_ids)
		cpu1 = cpu0;
	ret = xt_loop_open(&b.ping);
	if (ret)
		return ret;
	ret = xt_loop_open(&b.pong);
	if (ret)
		return ret;
	b.ping_irq = xpv_evtchn_bind_irq(b.ping.unbound, ping_handler, 0,
					 "xpvtest-ping", &b);
	if (b.ping_irq < 0)
		return b.ping_irq;
	b.pong_irq = xpv_evtchn_bind_irq(b.pong.unbound, pong_handler, 0,
					 "xpvtest-pong", &b);
	if (b.pong_irq < 0)
		return b.pong_irq;
	irq_set_affinity(b.ping_irq, cpumask_of(cpu1));
	irq_set_affinity(b.pong_irq, cpumask_of(cpu0));
	xt_note("bench: ping handled on CPU %u, pong on CPU %u", cpu1, cpu0);
	return 0;
}

static void bench_teardown(void)
{
	if (b.ping_irq > 0)
		xpv_evtchn_unbind_irq(b.ping_irq, &b);
	if (b.pong_irq > 0)
		xpv_evtchn_unbind_irq(b.pong_irq, &b);
	/* The local ends; the unbound ends closed with their IRQs. */
	xpv_evtchn_close(b.ping.local);
	xpv_evtchn_close(b.pong.local);
}

/* One round; 0 and its time in @rtt, or -ETIMEDOUT after 1 s. */
static int bench_round(u64 *rtt)
{
	/* Pairs with the release in pong_handler(): round_end is set. */
	unsigned int before = smp_load_acquire(&b.done);
	u64 start = ktime_get_ns();

	xpv_evtchn_notify(b.ping.local);
	/* As above. */
	while (smp_load_acquire(&b.done) == before) {
		if (ktime_get_ns() - start > NSEC_PER_SEC)
			return -ETIMEDOUT;
		cpu_relax();
	}
	*rtt = READ_ONCE(b.round_end) - start;
	return 0;
}

/**
 * xt_bench_run() - the round-trip micro-benchmark
 * @rounds: round trips to time
 */
void xt_bench_run(unsigned int rounds)
{
	u64 rtt, total = 0, lo = U64_MAX, hi = 0;
	unsigned int i = 0;
	int ret;

	rounds = max(rounds, 1U);
	ret = bench_setup();
	xt_check(!ret, "bench: two loopback channels bound", "error %d", ret);
	for (; !ret && i < rounds; i++) {
		ret = bench_round(&rtt);
		total += rtt;
		lo = min(lo, rtt);
		hi = max(hi, rtt);
		if (!(i % 256))
			cond_resched();
	}
	if (i) {
		xt_check(!ret, "bench: all round trips completed",
			 "round %u lost (1 s)", i);
		if (!ret)
			xt_note("bench: %u round trips, avg %llu ns, min %llu ns, max %llu ns",
				rounds, div_u64(total, rounds), lo, hi);
	}
	bench_teardown();
}
