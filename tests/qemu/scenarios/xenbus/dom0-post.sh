# The guest's view of its name and domid equals what xl created.
got_name=$(tr -d '\r' <"$GUEST_LOG" | sed -n 's/^XPVT xenbus xenbus-name=//p')
got_id=$(tr -d '\r' <"$GUEST_LOG" | sed -n 's/^XPVT xenbus xenbus-domid=//p')
want_id=$(cat "$RESULTS/xenbus.domid" 2>/dev/null)
if [ "$got_name" = "$DOMNAME" ]; then
	echo "ok - xenstore-read name in the guest says $DOMNAME, as xl created it"
else
	echo "not ok - xenstore-read name in the guest: '$got_name', want '$DOMNAME'"
fi
if [ -n "$want_id" ] && [ "$got_id" = "$want_id" ]; then
	echo "ok - xenstore-read domid in the guest says $want_id, as xl domid"
else
	echo "not ok - xenstore-read domid in the guest: '$got_id', want '$want_id'"
fi
