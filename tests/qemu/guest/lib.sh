# Helpers for guest-side scenario scripts (busybox sh): . ../lib.sh
# Each check prints "ok - DESC" or "not ok - DESC" (the harness's TAP input).

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }

# check DESC COMMAND...: ok if COMMAND succeeds.
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# refused DESC COMMAND...: ok if COMMAND fails ("check DESC ! CMD" cannot
# work: a "!" that comes from "$@" is a command name, not the shell's "!").
refused() {
	d=$1
	shift
	if "$@"; then not_ok "$d"; else ok "$d"; fi
}

# expect_eq DESC GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi
}

# xpv_insmod NAME [ARGS]: load /lib/modules/xpv/NAME.ko
xpv_insmod() {
	m=$1
	shift
	insmod "/lib/modules/xpv/$m.ko" "$@"
}

# kmemleak_check DESC: with kmemleak (debug kernel), no new suspected leak.
# kmemleak reports objects older than 5 s only: wait, then scan twice.
kmemleak_check() {
	k=/sys/kernel/debug/kmemleak
	[ -e $k ] || return 0
	sleep 6
	echo scan >$k
	echo scan >$k
	n=$(grep -c '^unreferenced object' $k)
	expect_eq "$1 (kmemleak)" "$n" 0
	[ "$n" = 0 ] || head -n 20 $k | sed 's/^/# /'
}

# wait_for SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds.
wait_for() {
	t=$(($1 * 5))
	shift
	while ! "$@" 2>/dev/null; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		sleep 0.2
	done
}

# contains TEXT REGEX / not_contains TEXT REGEX (basic regular expressions)
contains() { printf '%s\n' "$1" | grep -q -- "$2"; }
not_contains() { ! contains "$1" "$2"; }

# key_is KEY VALUE: the guest's xenstore data/KEY is VALUE
key_is() { [ "$(xenstore-read "data/$1" 2>/dev/null)" = "$2" ]; }

# ask_dom0 KEY DONE SECONDS STEP: ask the scenario's dom0-during.sh for
# STEP (written to data/KEY, see dom0-steps.sh) and wait up to SECONDS for
# it to be done (data/DONE says STEP).
ask_dom0() {
	xenstore-write "data/$1" "$4"
	wait_for "$3" key_is "$2" "$4"
}
