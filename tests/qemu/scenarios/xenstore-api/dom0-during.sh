# dom0's side of xpv_test_xs (guest.sh), in the background while the guest
# lives. The module asks through nodes of the guest's
# /local/domain/<domid>/data/xpvtest-xs:
#   conflict-ready = 1  (it holds a transaction that read "counter"):
#                       write counter = 100, then conflict-done = 1, once
#   watch-ready = 1     (it watches w): write w/fromdom0 = x, once
# Prints "ok - dom0: ..." for each answer given, "not ok - dom0: ..." for a
# request never seen before the guest ended.
domid=
n=0
while ! domid=$(xl domid "$DOMNAME" 2>/dev/null); do
	n=$((n + 1))
	if [ $n -ge 300 ]; then
		echo "not ok - dom0: guest $DOMNAME never got a domid"
		exit 0
	fi
	sleep 0.2
done
echo "# dom0: guest $DOMNAME is domain $domid"
d=/local/domain/$domid/data/xpvtest-xs

conflict=
watch=
n=0
while [ -z "$conflict" ] || [ -z "$watch" ]; do
	# xl is costly: ask it whether the guest still lives once a second.
	if [ $((n % 5)) = 0 ] && ! xl domid "$DOMNAME" >/dev/null 2>&1; then
		break
	fi
	n=$((n + 1))
	if [ -z "$conflict" ] &&
	   [ "$(xenstore-read "$d/conflict-ready" 2>/dev/null)" = 1 ]; then
		conflict=yes
		if xenstore-write "$d/counter" 100 &&
		   xenstore-write "$d/conflict-done" 1; then
			echo "ok - dom0: saw conflict-ready, wrote counter=100 then conflict-done=1"
		else
			echo "not ok - dom0: saw conflict-ready, but writing counter/conflict-done failed"
		fi
	fi
	if [ -z "$watch" ] &&
	   [ "$(xenstore-read "$d/watch-ready" 2>/dev/null)" = 1 ]; then
		watch=yes
		if xenstore-write "$d/w/fromdom0" x; then
			echo "ok - dom0: saw watch-ready, wrote w/fromdom0=x"
		else
			echo "not ok - dom0: saw watch-ready, but writing w/fromdom0 failed"
		fi
	fi
	sleep 0.2
done
[ -n "$conflict" ] ||
	echo "not ok - dom0: never saw conflict-ready before the guest ended"
[ -n "$watch" ] ||
	echo "not ok - dom0: never saw watch-ready before the guest ended"
exit 0
