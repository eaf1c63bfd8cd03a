# xenbus-peer, dom0 side: the toolstack and the backend of the guest's
# device xpvtest/0, with xpv-gntpeer as the backend's data path (protocol:
# tests/modules/xenbus/main.c). Every wait is bounded.
#
#  1. Wait for the guest's "# xenbus-peer-ready": its xpv_xenbus and the
#     test driver are loaded, so the device arrives by hot-plug.
#  2. Create the device as a toolstack does: the backend directory
#     (frontend, frontend-id, seed, rounds, state 1), then the frontend's
#     (backend, backend-id, state 1). Each xenstore-write is one transaction
#     and xenstored gives a new node its parent's permissions: the parents
#     are made first with theirs, so no node is ever seen without them (the
#     guest owns device/xpvtest and below and may read the backend's
#     directory, as libxl sets it up).
#  3. Backend InitWait; wait for the frontend Initialised; read its ring-ref
#     and event-channel; start xpv-gntpeer (map, check, write back, bind);
#     once it is ready, backend Connected; wait for the frontend Connected
#     and for xpv-gntpeer to finish the round trips.
#  4. Backend Closing; wait for the frontend Closed; its result must be
#     "ok <rounds>"; backend Closed; remove both directories; once the guest
#     says "# xenbus-peer-gone", nothing may have been written back into its
#     removed directory.
rounds=10000
seed=$(($(date +%s) % 255 + 1))
peer_log=/tmp/xpv-gntpeer.log

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }

alive() { xl domid "$DOMNAME" >/dev/null 2>&1; }
guest_said() { tr -d '\r' 2>/dev/null <"$GUEST_LOG" | grep -q -- "$1"; }

# wait_for SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds;
# give up early if the guest is gone (checked each second: xl is slow).
wait_for() {
	t=$(($1 * 5))
	shift
	while ! "$@" 2>/dev/null; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		[ $((t % 5)) != 0 ] || alive || return 1
		sleep 0.2
	done
}

# wait_ready: the guest's line, polled every second while the guest lives
# (it runs the scenarios before this one first).
wait_ready() {
	t=0
	until guest_said '# xenbus-peer-ready'; do
		t=$((t + 1))
		[ $t -lt 1000 ] && alive || return 1
		sleep 1
	done
}
fe_state_is() { [ "$(xenstore-read "$fe/state")" = "$1" ]; }
number() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
# The peer ran: it printed "# ready" or exited (a zombie until reaped).
peer_ready() { grep -q '^# ready' "$peer_log" || peer_done; }
peer_done() {
	[ ! -e "/proc/$peer" ] || grep -q '^[0-9]* ([^)]*) Z' "/proc/$peer/stat"
}

# step DESC SECONDS COMMAND...: ok if COMMAND succeeds within SECONDS.
step() {
	d=$1
	shift
	if wait_for "$@"; then ok "$d"; else not_ok "$d ($1 s)"; return 1; fi
}

create() {
	xenstore-write "${be%/0}" "" &&
		xenstore-chmod "${be%/0}" n0 "r$domid" &&
		xenstore-write "$be/frontend" "$fe" "$be/frontend-id" "$domid" \
			"$be/seed" "$seed" "$be/rounds" "$rounds" "$be/state" 1 &&
		xenstore-write "${fe%/0}" "" &&
		xenstore-chmod "${fe%/0}" "n$domid" r0 &&
		xenstore-write "$fe/backend" "$be" "$fe/backend-id" 0 \
			"$fe/state" 1
}

# run_peer: xpv-gntpeer against the frontend's page and port, with the
# backend going Connected while it waits for the first event.
run_peer() {
	gref=$(xenstore-read "$fe/ring-ref" 2>/dev/null)
	port=$(xenstore-read "$fe/event-channel" 2>/dev/null)
	if ! number "$gref" || ! number "$port"; then
		not_ok "the frontend published ring-ref ('$gref') and event-channel ('$port')"
		return 1
	fi
	ok "the frontend published ring-ref $gref and event-channel $port"
	xpv-gntpeer "$domid" "$gref" "$port" "$seed" "$rounds" \
		>"$peer_log" 2>&1 &
	peer=$!
	step "xpv-gntpeer mapped the page and bound the port" 30 peer_ready &&
		grep -q '^# ready' "$peer_log" &&
		xenstore-write "$be/state" 4 &&
		step "frontend Connected after the backend" 30 fe_state_is 4
	if ! wait_for 180 peer_done; then
		not_ok "xpv-gntpeer finished (180 s): killed"
		kill "$peer"
	fi
	wait "$peer"
	rc=$?
	sed 's/^\(not \)\{0,1\}ok - /&xpv-gntpeer: /' "$peer_log"
	if [ $rc = 0 ]; then ok "xpv-gntpeer passed"; else not_ok "xpv-gntpeer exited $rc"; fi
}

# close: walk the backend through Closing and Closed, check the result.
close() {
	xenstore-write "$be/state" 5
	step "frontend Closed after the backend's Closing" 30 fe_state_is 6
	result=$(xenstore-read "$fe/result" 2>/dev/null)
	if [ "$result" = "ok $rounds" ]; then
		ok "the frontend's result: $result"
	else
		not_ok "the frontend's result: '$result', want 'ok $rounds'"
	fi
	xenstore-write "$be/state" 6
}

# remove: the device's directories go, the bus must remove the device.
remove() {
	if xenstore-rm "$fe" "$be"; then
		ok "device directories removed"
	else
		not_ok "device directories removed"
	fi
	step "the guest saw its device go" 60 guest_said '# xenbus-peer-gone'
	if xenstore-exists "$fe"; then
		not_ok "nothing written into the removed device directory: $(xenstore-ls "$fe" | tr '\n' ' ')"
	else
		ok "nothing written into the removed device directory"
	fi
	xenstore-rm "${fe%/0}" /local/domain/0/backend/xpvtest
}

domid=$(xl domid "$DOMNAME") || { not_ok "domain $DOMNAME exists"; exit 1; }
fe=/local/domain/$domid/device/xpvtest/0
be=/local/domain/0/backend/xpvtest/$domid/0
if ! wait_ready; then
	not_ok "the guest got ready for its xpvtest device"
	exit 1
fi
ok "the guest got ready for its xpvtest device"
if ! create; then
	not_ok "device xpvtest/0 created in xenstore"
	xenstore-rm "${fe%/0}" /local/domain/0/backend/xpvtest
	exit 1
fi
ok "device xpvtest/0 created in xenstore (seed $seed, $rounds rounds)"
xenstore-write "$be/state" 2
step "frontend Initialised" 30 fe_state_is 3 && run_peer
close
remove
