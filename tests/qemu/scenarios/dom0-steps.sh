# Shared by the scenarios' dom0-during.sh scripts: the guest asks for steps
# by writing data/<KEY>, dom0 runs its do_step() and answers in data/<DONE>.
# Sourced with $DOMNAME and $RESULTS set.

# wait_domain: wait up to 20 s for domain $DOMNAME; set $domid and $base
# (its xenstore home).
wait_domain() {
	t=0
	until domid=$(xl domid "$DOMNAME" 2>/dev/null); do
		t=$((t + 1))
		[ $t -lt 100 ] || { echo "not ok - dom0: no domain $DOMNAME"; return 1; }
		sleep 0.2
	done
	base=/local/domain/$domid
	last=
}

# poll_step SCENARIO KEY DONE: answer_step for a new value of data/KEY
# (kept in $last).
poll_step() {
	s=$(xenstore-read "$base/data/$2" 2>/dev/null)
	[ -n "$s" ] && [ "$s" != "$last" ] || return 0
	last=$s
	answer_step "$1" "$s" "$3"
}

# answer_step SCENARIO STEP DONE: run do_step STEP, report it as a TAP
# line, then write STEP to data/DONE.
answer_step() {
	if do_step "$2" >"$RESULTS/$1.step-$2" 2>&1; then
		echo "ok - dom0: step $2"
	else
		echo "not ok - dom0: step $2 failed: $(tail -n 3 "$RESULTS/$1.step-$2" | tr '\n' ' ')"
	fi
	xenstore-write "$base/data/$3" "$2"
}

# until_ok SECONDS COMMAND...: poll COMMAND every 0.2 s, at most SECONDS
until_ok() {
	n=$(($1 * 5))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.2
	done
}

# state_is DIR STATE: DIR/state is STATE
state_is() { [ "$(xenstore-read "$1/state" 2>/dev/null)" = "$2" ]; }

# liar_closes FE BE: the frontend at FE shuts down after BE (our fake
# backend) lied: it goes Closing, so do we, it goes Closed, so do we; then
# FE and BE's parent (the guest's directory of the fake backend) go.
liar_closes() {
	until_ok 30 state_is "$1" 5 || { echo "frontend not Closing"; return 1; }
	xenstore-write "$2/state" 5
	until_ok 30 state_is "$1" 6 || { echo "frontend not Closed"; return 1; }
	xenstore-write "$2/state" 6
	xenstore-rm "$1"
	xenstore-rm "${2%/*}"
}

# run_steps SCENARIO KEY DONE: poll_step until the guest is gone (asking
# xl, which costs dom0 far more than a xenstore read, once a second).
run_steps() {
	n=0
	while [ $((n % 5)) -ne 0 ] || xl domid "$DOMNAME" >/dev/null 2>&1; do
		poll_step "$@"
		sleep 0.2
		n=$((n + 1))
	done
}
