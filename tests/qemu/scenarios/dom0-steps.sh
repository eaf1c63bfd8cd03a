# Shared by the scenarios' dom0-during.sh scripts: the guest asks for steps
# by writing data/<KEY>, dom0 runs its do_step() and answers in data/<DONE>.
# Sourced with $base (the guest's xenstore home) and $RESULTS set.

# poll_step SCENARIO KEY DONE: run do_step for a new value of data/KEY
# (kept in $last), report it as a TAP line, then write it to data/DONE.
poll_step() {
	s=$(xenstore-read "$base/data/$2" 2>/dev/null)
	[ -n "$s" ] && [ "$s" != "$last" ] || return 0
	last=$s
	if do_step "$s" >"$RESULTS/$1.step-$s" 2>&1; then
		echo "ok - dom0: step $s"
	else
		echo "not ok - dom0: step $s failed: $(tail -n 3 "$RESULTS/$1.step-$s" | tr '\n' ' ')"
	fi
	xenstore-write "$base/data/$3" "$s"
}
