# The xenstore client API of xpv_xenbus, from inside the kernel: the checks
# of xpv_test_xs (tests/modules/xs: read/write/printf/scanf/mkdir/directory/
# exists/rm/perms and their errors, transactions, a transaction conflict
# with dom0, watches, concurrent callers), relayed as TAP lines; dom0-during.sh
# answers the module's requests (conflict-ready, watch-ready). Afterwards the
# module must have left no request pending and no watch registered.
. ../lib.sh
st=/sys/kernel/debug/xpv_xenbus/status

# field NAME: a value of the debugfs status file
field() { sed -n "s/^$1: //p" $st; }

for m in xpv_hypercall xpv_evtchn xpv_grant xpv_xenbus; do
	lsmod | grep -q "^$m " || check "insmod $m" xpv_insmod $m
done
check "xpv_xenbus debugfs status exists" test -r $st
watches=$(field watches)
timeouts=$(field timeouts)
echo "# before: watches $watches, requests $(field requests), timeouts $timeouts"

dmesg -c >/dev/null
if ! xpv_insmod xpv_test_xs; then
	not_ok "insmod xpv_test_xs"
	dmesg | sed -n 's/^[^]]*] xpvtest: /# /p'
	exit 1
fi
ok "insmod xpv_test_xs"
out=$(dmesg | sed -n 's/^[^]]*] xpvtest: //p')
printf '%s\n' "$out"
total=$(printf '%s\n' "$out" |
	sed -n 's/^# xpv_test_xs done: \([0-9]*\) checks.*/\1/p')
relayed=$(printf '%s\n' "$out" | grep -c -E '^(not )?ok - ')
check "the module ran to its end" [ -n "$total" ]
expect_eq "all its checks were relayed" "$relayed" "${total:-none}"
check "rmmod xpv_test_xs" rmmod xpv_test_xs

expect_eq "afterwards: no xenstore request pending" "$(field pending)" 0
expect_eq "afterwards: watches back to $watches" "$(field watches)" "$watches"
expect_eq "afterwards: no request timed out" "$(field timeouts)" "$timeouts"
expect_eq "afterwards: the connection is not broken" "$(field broken)" 0
echo "# after: watches $(field watches), requests $(field requests)"
kmemleak_check "no leak after the xenstore API tests"
