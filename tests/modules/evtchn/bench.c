// SPDX-License-Identifier: GPL-2.0-only
/*
 * Notify round-trip latency: two loopback channels ping-ponging entirely in
 * IRQ context. A notify on "ping" raises its other end, whose handler
 * (on one CPU) notifies "pong", whose handler (on another CPU if there is
 * one) counts the round and starts the next. Printed as
 * "xpvtest: # bench: ..." with the average, minimum and maximum in ns.
 */
#include "xpvtest.h"
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/math64.h>

static struct bench {
	struct xt_loop ping, pong;
	int ping_irq, pong_irq;
	unsigned int rounds, done;
	u64 start, round_start, min, max;
	struct completion finished;
} b;

static irqreturn_t ping_handler(int irq, void *dev)
{
	xpv_evtchn_notify(b.pong.local);
	return IRQ_HANDLED;
}

static irqreturn_t pong_handler(int irq, void *dev)
{
	u64 now = ktime_get_ns(), rtt = now - b.round_start;

	if (b.done >= b.rounds)
		return IRQ_HANDLED;	/* a spurious event after the end */
	b.min = min(b.min, rtt);
	b.max = max(b.max, rtt);
	if (++b.done == b.rounds) {
		complete(&b.finished);
		return IRQ_HANDLED;
	}
	b.round_start = ktime_get_ns();
	xpv_evtchn_notify(b.ping.local);
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

/**
 * xt_bench_run() - the round-trip micro-benchmark
 * @rounds: round trips to time
 */
void xt_bench_run(unsigned int rounds)
{
	u64 total;
	int ret;

	init_completion(&b.finished);
	b.rounds = rounds ? rounds : 1;
	b.min = U64_MAX;
	ret = bench_setup();
	xt_check(!ret, "bench: two loopback channels bound", "error %d", ret);
	if (!ret) {
		b.start = ktime_get_ns();
		b.round_start = b.start;
		xpv_evtchn_notify(b.ping.local);
		ret = wait_for_completion_timeout(&b.finished, 60 * HZ) ?
		      0 : -ETIMEDOUT;
		total = ktime_get_ns() - b.start;
		xt_check(!ret, "bench: all round trips completed",
			 "%u of %u in 60 s", b.done, b.rounds);
		if (!ret)
			xt_note("bench: %u round trips, avg %llu ns, min %llu ns, max %llu ns",
				b.rounds, div_u64(total, b.rounds), b.min,
				b.max);
	}
	bench_teardown();
}
