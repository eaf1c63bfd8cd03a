#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Turn a `make bench` run into a table, a JSON file and a PNG chart.

Usage: report.py RESULTS OUTDIR

RESULTS is the harness's results directory (tests/qemu/run.sh --rounds):
one <flavour> directory per guest, its console.log holding the bench
scenario's "# xpvb r=ROUND wl=NAME key=value ..." lines, and
reference/bench.limits dom0's limit lines. Writes OUTDIR/bench.json (every
raw sample), OUTDIR/bench.txt (the table, also printed) and
OUTDIR/bench.png. xpv/ref is the median of the rounds' own ratios (the
two guests take turns, so each round's pair ran within seconds of each
other). Exit status 1 if a workload has no sample for a flavour.
"""
import json
import os
import re
import statistics
import sys

# (name, what, higher is better, moves data: its costs per GiB apply; the
# message workloads move a few KiB to a MiB, their costs are per request)
WORKLOADS = [
    ("seq-read", "fio seq read 1M qd32", True, True),
    ("seq-write", "fio seq write 1M qd32", True, True),
    ("rand-read-qd1", "fio rand read 4k qd1", True, True),
    ("rand-write-qd1", "fio rand write 4k qd1", True, True),
    ("rand-read-qd32", "fio rand read 4k qd32", True, True),
    ("rand-write-qd32", "fio rand write 4k qd32", True, True),
    ("tcp-tx", "iperf3 TCP guest->dom0", True, True),
    ("tcp-rx", "iperf3 TCP dom0->guest", True, True),
    ("udp-rr", "sockperf UDP 64 B ping-pong", True, False),
    ("ping", "ping RTT (median)", False, False),
]
FLAVOURS = ("xpv", "reference")
LINE = re.compile(r"# xpvb (.*)$")
GIB = float(1 << 30)


def parse_line(text):
    """The key=value pairs of one xpvb line, numbers as floats."""
    rec = {}
    for kv in text.split():
        k, _, v = kv.partition("=")
        try:
            rec[k] = float(v)
        except ValueError:
            rec[k] = v
    return rec


def samples_of(path, flavour):
    """Every xpvb line of one file."""
    out = []
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = LINE.search(line.replace("\r", ""))
                if m:
                    rec = parse_line(m.group(1))
                    rec["flavour"] = flavour
                    rec["round"] = int(rec.pop("r", 0))
                    out.append(rec)
    except FileNotFoundError:
        pass
    return out


def collect(results):
    """All samples of the run, guests' and dom0's limits."""
    samples = []
    for flavour in FLAVOURS:
        samples += samples_of(os.path.join(results, flavour, "console.log"),
                              flavour)
    samples += samples_of(os.path.join(results, "reference", "bench.limits"),
                          "limit")
    for s in samples:
        if s["flavour"] == "limit":
            s["wl"] = s["wl"][len("limit-"):]
    return samples


def derived(s, bulk):
    """Cost figures of one guest sample (None where they do not apply: per
    GiB only if @bulk, the workload moves data)."""
    gib = s.get("bytes", 0) / GIB if bulk else 0
    reqs = s.get("reqs", 0)
    cpu = s.get("cpu_ticks", 0) / s.get("hz", 100)
    d = s.get("dom0_irqs", -1)
    return {
        "dom0_irqs_per_gib": d / gib if gib > 0 and d >= 0 else None,
        "dom0_irqs_per_10k_req": d * 1e4 / reqs if reqs and d >= 0 else None,
        "guest_irqs_per_gib": s.get("guest_irqs", 0) / gib
        if gib > 0 else None,
        "cpu_s_per_gib": cpu / gib if gib > 0 else None,
        **{f"dom0_{k}_per_gib": s[f"dom0_{k}"] / gib
           if gib > 0 and f"dom0_{k}" in s else None
           for k in ("blk", "tx", "rx")},
    }


def summary(values):
    """Median and spread (min, max) of a list, or None."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def fmt(stat, digits=1):
    if stat is None:
        return "-"
    med, lo, hi = stat
    return f"{med:.{digits}f} [{lo:.{digits}f}-{hi:.{digits}f}]"


def ratio(a, b, higher):
    """a relative to b, > 1 meaning a is better."""
    if not a or not b:
        return None
    return a / b if higher else b / a


def paired(by, higher):
    """xpv/reference of each round that has both: median [min-max]."""
    ref = {s["round"]: s["value"] for s in by["reference"]}
    return summary([ratio(s["value"], ref.get(s["round"]), higher)
                    for s in by["xpv"]])


def paired_cost(costs):
    """Each cost figure of xpv over the reference's, round by round; @costs:
    each flavour's derived() figures by round."""
    ref = costs["reference"]
    pairs = [(x, ref[n]) for n, x in costs["xpv"].items() if n in ref]
    if not pairs:
        return {}
    return {k: summary([x[k] / r[k] if x[k] is not None and r[k] else None
                        for x, r in pairs])
            for k in pairs[0][0]}


def table(samples):
    """The rows of the report, and whether every figure is there."""
    rows, complete = [], True
    for wl, what, higher, bulk in WORKLOADS:
        by = {f: [s for s in samples if s["flavour"] == f and s["wl"] == wl]
              for f in FLAVOURS + ("limit",)}
        unit = next((s["unit"] for f in by for s in by[f]), "?")
        val = {f: summary([s["value"] for s in by[f]]) for f in by}
        for f in FLAVOURS:
            complete &= val[f] is not None
        cost, by_round = {}, {}
        for f in FLAVOURS:
            by_round[f] = {s["round"]: derived(s, bulk) for s in by[f]}
            ds = list(by_round[f].values())
            cost[f] = {k: summary([d[k] for d in ds])
                       for k in ds[0]} if ds else {}
        cost["xpv/ref"] = paired_cost(by_round)
        rows.append({
            "wl": wl, "what": what, "unit": unit, "higher_is_better": higher,
            "n": {f: len(by[f]) for f in by},
            "value": val, "cost": cost,
            "xpv_vs_reference": paired(by, higher),
            "xpv_vs_limit": ratio(val["xpv"] and val["xpv"][0],
                                  val["limit"] and val["limit"][0], higher),
        })
    return rows, complete


def by_kind(cost, digits=0):
    """dom0's notifications per GiB by kind (medians): "blk/tx/rx"."""
    meds = [cost.get(f"dom0_{k}_per_gib") for k in ("blk", "tx", "rx")]
    if all(m is None for m in meds):
        return "-"
    return "/".join(f"{m[0]:.{digits}f}" if m else "-" for m in meds)


def render(rows):
    """The table as text."""
    out = []
    hdr = (f"{'workload':<30} {'unit':<7} {'xpv median [min-max]':<26} "
           f"{'reference median [min-max]':<26} "
           f"{'xpv/ref by round':<20} {'limit':>10} {'xpv/lim':>7}")
    out += [hdr, "-" * len(hdr)]
    for r in rows:
        lim = r["value"]["limit"]
        out.append(
            f"{r['what']:<30} {r['unit']:<7} {fmt(r['value']['xpv']):<26} "
            f"{fmt(r['value']['reference']):<26} "
            f"{fmt(r['xpv_vs_reference'], 2):<20} "
            f"{lim[0] if lim else 0:>10.1f} {r['xpv_vs_limit'] or 0:>7.2f}")
    out.append("")
    out.append("Cost (median [min-max]; lower is better): dom0 notifications "
               "per GiB / per 10k requests (I/Os, transactions, iperf3's "
               "packets both ways), guest event IRQs per GiB, guest "
               "CPU s per GiB, dom0 notifications per GiB by channel (blkif, "
               "vif TX, vif RX); xpv/ref: each round's xpv figure over the "
               "reference's (< 1: xpv is cheaper)")
    hdr = (f"{'workload':<30} {'flavour':<10} {'dom0 irq/GiB':<24} "
           f"{'dom0 irq/10k req':<24} {'guest irq/GiB':<24} "
           f"{'CPU s/GiB':<18} {'dom0 blk/tx/rx per GiB':<22}")
    out += [hdr, "-" * len(hdr)]
    for r in rows:
        for f in FLAVOURS + ("xpv/ref",):
            c = r["cost"].get(f, {})
            d = 2 if f == "xpv/ref" else 0
            out.append(
                f"{r['what']:<30} {f:<10} "
                f"{fmt(c.get('dom0_irqs_per_gib'), d):<24} "
                f"{fmt(c.get('dom0_irqs_per_10k_req'), d):<24} "
                f"{fmt(c.get('guest_irqs_per_gib'), d):<24} "
                f"{fmt(c.get('cpu_s_per_gib'), 2):<18} "
                f"{by_kind(c, d):<22}")
    out.append("")
    out.append("xpv/ref: each round's xpv figure over the reference's, "
               "measured seconds apart; median [min-max] over the rounds. "
               "xpv/lim: the medians' ratio. > 1 means xpv is faster (for "
               "ping RTT, the inverse ratio of the times); lim is dom0 "
               "alone (fio on its loop device, iperf3/sockperf/ping over "
               "loopback), measured just before the reference's turn.")
    return "\n".join(out)


def chart(rows, path):
    """Bars of xpv/reference and xpv/limit per workload."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [r["wl"] for r in rows]
    ref = [(r["xpv_vs_reference"] or (0,))[0] for r in rows]
    lim = [r["xpv_vs_limit"] or 0 for r in rows]
    x = range(len(rows))
    fig, ax = plt.subplots(figsize=(11, 4.5))
    ax.bar([i - 0.2 for i in x], ref, 0.4, label="xpv / reference")
    ax.bar([i + 0.2 for i in x], lim, 0.4, label="xpv / dom0 limit")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_xticks(list(x))
    ax.set_xticklabels(names, rotation=30, ha="right")
    ax.set_ylabel("ratio (> 1: xpv faster)")
    ax.set_title("xpv vs Linux's in-tree frontends (medians, same run)")
    for i, r in enumerate(rows):
        if r["xpv_vs_reference"]:
            _, lo, hi = r["xpv_vs_reference"]
            ax.plot([i - 0.2, i - 0.2], [lo, hi], color="black", linewidth=1)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    results, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    samples = collect(results)
    rows, complete = table(samples)
    with open(os.path.join(outdir, "bench.json"), "w") as f:
        json.dump({"samples": samples, "summary": rows}, f, indent=1)
    text = render(rows)
    with open(os.path.join(outdir, "bench.txt"), "w") as f:
        f.write(text + "\n")
    print(text)
    chart(rows, os.path.join(outdir, "bench.png"))
    if not complete:
        print("bench: a workload has no sample on a flavour", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
