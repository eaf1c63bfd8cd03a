# xpv_grant: the in-kernel checks of xpv_test_grant (GNTTABOP_copy through
# our own grants, deferral while mapped, exhaustion and recovery, benchmark),
# then 20 load/use/unload cycles with the debugfs counters checked each time,
# then rmmod refusing while references are in use.
. ../lib.sh
st=/sys/kernel/debug/xpv_grant/status

# field NAME: a value of the debugfs status file
field() { sed -n "s/^$1: //p" $st; }

# ktest ARGS...: insmod xpv_test_grant ARGS, relay its TAP lines
ktest() {
	dmesg -c >/dev/null
	check "insmod xpv_test_grant $*" xpv_insmod xpv_test_grant "$@"
	dmesg | sed -n 's/^.*xpvtest: //p' | sed 's/^bench:/# bench:/'
	check "rmmod xpv_test_grant" rmmod xpv_test_grant
}

# idle DESC: nothing in use, deferred or active in the table
idle() {
	expect_eq "$1: refs_in_use" "$(field refs_in_use)" 0
	expect_eq "$1: deferred" "$(field deferred)" 0
	expect_eq "$1: active_entries" "$(field active_entries)" 0
}

# unload: rmmod xpv_grant; the pin outlives the last ref by up to 0.1 s
unload() {
	n=0
	while ! rmmod xpv_grant 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 20 ] || { rmmod xpv_grant; return 1; }
		sleep 0.1
	done
}

lsmod | grep -q '^xpv_hypercall' || xpv_insmod xpv_hypercall
check "xpv_grant loads" xpv_insmod xpv_grant
echo "# $(dmesg | grep -m1 'xpv: grant: grant table')"
check "debugfs status exists" test -r $st
idle "after load"
ktest bench=1
idle "after the tests"
echo "# frames $(field frames)/$(field max_frames), refs $(field refs_total)"
check "rmmod xpv_grant after the tests" unload

fails=0
i=0
while [ $i -lt 20 ]; do
	xpv_insmod xpv_grant || fails=$((fails + 1))
	[ "$(field stale_at_load)" = 0 ] || fails=$((fails + 1))
	dmesg -c >/dev/null
	xpv_insmod xpv_test_grant quick=1 || fails=$((fails + 1))
	dmesg | grep -q 'xpvtest: not ok' && fails=$((fails + 1))
	rmmod xpv_test_grant || fails=$((fails + 1))
	[ "$(field refs_in_use)" = 0 ] || fails=$((fails + 1))
	[ "$(field active_entries)" = 0 ] || fails=$((fails + 1))
	unload || fails=$((fails + 1))
	[ -e $st ] && fails=$((fails + 1))
	i=$((i + 1))
done
expect_eq "20 load/grant/unload cycles of xpv_grant, no ref leaked" "$fails" 0
kmemleak_check "no leak after 20 cycles"

# Last, as it leaves xpv_grant pinned for good: leaked refs block rmmod.
check "xpv_grant loads again" xpv_insmod xpv_grant
ktest leak=3
expect_eq "leaked refs show in refs_in_use" "$(field refs_in_use)" 3
sleep 0.5
if rmmod xpv_grant 2>/dev/null; then
	not_ok "rmmod xpv_grant refuses while refs are in use"
else
	ok "rmmod xpv_grant refuses while refs are in use"
fi
check "xpv_grant is still loaded" test -d /sys/module/xpv_grant
