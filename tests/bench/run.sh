#!/bin/bash
# make bench: the side-by-side benchmarks of xpv against Linux's in-tree
# frontends (see README, "Benchmarks").
#
# Usage: tests/bench/run.sh
# Env: XPV_BENCH_ROUNDS (default 3), XPV_CACHE.
#
# One QEMU boots Xen once; dom0 boots the reference guest (Debian's cloud
# kernel, xen-blkfront/xen-netfront) and the xpv guest side by side, both
# with 2 vCPUs, 256 MiB, a vif and a 64 MiB loop disk. They run the bench
# scenario's workloads (tests/qemu/scenarios/bench, 5 s each) ROUNDS times,
# taking turns workload by workload: dom0 alone (the setup's limit), the
# reference, xpv. report.py turns the samples into tests/bench/out/
# bench.txt (the table), bench.json (every raw sample) and bench.png.
# Timings never fail the run; a workload that did not run does.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
rounds=${XPV_BENCH_ROUNDS:-3}
out=$here/out

"$top/tests/deps.sh" --bench
[[ $rounds =~ ^[1-9][0-9]?$ ]] || { echo "bench: XPV_BENCH_ROUNDS: 1 to 99" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
rc=0
"$top/tests/qemu/run.sh" --rounds "$rounds" \
	--flavour reference --flavour xpv --out "$out/run" \
	--timeout $((600 + rounds * 600)) bench >"$out/checks.tap" || rc=$?
grep -E '^not ok|passed' "$out/checks.tap" >&2 || true
/usr/bin/python3 "$here/report.py" "$out/run/results" "$out" || rc=1
echo "bench: table in $out/bench.txt, samples in $out/bench.json, chart in $out/bench.png" >&2
exit $rc
