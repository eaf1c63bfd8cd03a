#!/bin/bash
# verdict.sh OUT PLAN: turn a harness run's results into TAP lines.
# PLAN: one "flavour:scenario scenario ..." line per flavour. Reads
# OUT/results/<flavour>/{console.log,<scenario>.dom0-*,timeout,create-failed}
# and the Xen/dom0 logs; prints "ok N - flavour/scenario: test" lines and
# "N passed, N failed"; on failure the tails of the logs. Exit 1 on failure.
set -uo pipefail
out=$1
plan=$2
res=$out/results
n=0
passed=0
failed=0

tap() { # tap ok|not DESC
	n=$((n + 1))
	if [ "$1" = ok ]; then
		passed=$((passed + 1)); echo "ok $n - $2"
	else
		failed=$((failed + 1)); echo "not ok $n - $2"
	fi
}

# Reports that fail a run wherever they appear.
bad='Kernel panic|Internal error: Oops|Unable to handle kernel|(^|[^A-Z_])BUG:|WARNING:|KASAN|UBSAN|kmemleak: [0-9]+ new suspected|possible circular locking|inconsistent lock state|possible recursive locking|INFO: task .* blocked for more than|Xen BUG|Panic on CPU|Assertion .* failed'

# scan NAME FILE: one test that FILE holds none of the reports above.
scan() {
	local hits
	[ -f "$2" ] || return 0
	hits=$(tr -d '\r' <"$2" | grep -E "$bad" | head -n 3)
	if [ -z "$hits" ]; then
		tap ok "$1: no panic, oops, BUG, WARNING, KASAN or lockdep report"
	else
		tap not "$1: kernel error report: $(echo "$hits" | head -n1)"
		echo "$hits" | sed 's/^/#   /'
	fi
}

# results_of PREFIX: turn "ok - X"/"not ok - X" lines on stdin into tests.
results_of() {
	local line count=0
	while IFS= read -r line; do
		case $line in
		"ok - "*) tap ok "$1: ${line#ok - }"; count=$((count + 1)) ;;
		"not ok - "*) tap not "$1: ${line#not ok - }"; count=$((count + 1)) ;;
		"# "*) echo "$line" ;;
		esac
	done
	echo "$count" >"$out/.count"
}

while IFS=: read -r f scen; do
	[ -n "$f" ] || continue
	log=$res/$f/console.log
	if [ ! -s "$log" ]; then
		tap not "$f: the guest wrote a console log"
		for s in $scen; do tap not "$f/$s: did not run"; done
		continue
	fi
	[ -f "$res/$f/timeout" ] && tap not "$f: guest still running after $(cat "$res/$f/timeout") s: destroyed"
	clean=$out/$f.console
	tr -d '\r' <"$log" >"$clean"
	for s in $scen; do
		for step in pre during post; do
			d=$res/$f/$s.dom0-$step
			[ -f "$d" ] || continue
			results_of "$f/$s (dom0)" < <(grep -v '^rc=' "$d")
			rc=$(sed -n 's/^rc=//p' "$d")
			[ "${rc:-0}" = 0 ] || tap not "$f/$s: dom0-$step.sh exited $rc"
		done
		results_of "$f/$s" < <(sed -n "s/^XPVT $s //p" "$clean")
		count=$(cat "$out/.count")
		end=$(sed -n "s/^XPVT $s END rc=//p" "$clean")
		if [ -z "$end" ]; then
			tap not "$f/$s: guest.sh did not complete"
		elif [ "$end" != 0 ]; then
			tap not "$f/$s: guest.sh exited $end"
		elif [ "$count" -eq 0 ]; then
			tap not "$f/$s: guest.sh reported no test"
		fi
	done
	scan "$f guest log" "$clean"
done <<<"$plan"
scan "Xen and dom0 console" "$out/serial.log"
scan "dom0 kernel log" "$res/dom0-dmesg.log"
rm -f "$out/.count"

echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
	for f in "$out/serial.log" "$res/dom0-dmesg.log" "$out"/*.console; do
		[ -f "$f" ] || continue
		echo "# --- last lines of $f"
		tail -n 25 "$f" | tr -d '\r' | sed 's/^/#  /'
	done
	exit 1
fi
