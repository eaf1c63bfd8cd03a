# dom0 side of the netfront scenario: act on each new value of the guest's
# data/nf-step (see guest.sh), then write it to data/nf-done; runs until the
# guest is gone.
t=0
until domid=$(xl domid "$DOMNAME" 2>/dev/null); do
	t=$((t + 1))
	[ $t -lt 100 ] || { echo "not ok - dom0: no domain $DOMNAME"; exit 1; }
	sleep 0.2
done
base=/local/domain/$domid
last=

# put KEY VALUE: into the guest's data/ directory
put() { xenstore-write "$base/data/$1" "$2"; }

# attach BRIDGE MAC: a new vif of the guest on BRIDGE
attach() {
	xl network-attach "$DOMNAME" bridge="$1" mac="$2" \
		script=/etc/xen/scripts/vif-xpv
}

# The lying backend: a vif the toolstack never made, whose backend
# directory (under backend/xpvliar, which netback does not watch) we play.
lfe=$base/device/vif/5
lbe=/local/domain/0/backend/xpvliar/$domid/5
fe_is() { [ "$(xenstore-read "$lfe/state" 2>/dev/null)" = "$1" ]; }
# until SECONDS COMMAND...: poll COMMAND every 0.2 s, at most SECONDS
until_ok() {
	n=$(($1 * 5))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.2
	done
}

liar_connect() {
	xenstore-write "${lbe%/5}" "" &&
		xenstore-chmod "${lbe%/5}" n0 "r$domid" &&
		xenstore-write "$lbe/frontend" "$lfe" "$lbe/frontend-id" "$domid" \
			"$lbe/feature-rx-copy" 1 "$lbe/state" 1 &&
		xenstore-write "$lfe" "" && xenstore-chmod "$lfe" "n$domid" r0 &&
		xenstore-write "$lfe/backend" "$lbe" "$lfe/backend-id" 0 \
			"$lfe/mac" 00:16:3e:78:70:07 "$lfe/state" 1 &&
		xenstore-write "$lbe/state" 2 &&
		until_ok 30 fe_is 4 &&
		xenstore-write "$lbe/state" 4
}

liar_lie() {
	xpv-gntpeer lie "$domid" "$(xenstore-read "$lfe/tx-ring-ref")" \
		"$(xenstore-read "$lfe/event-channel")" || return 1
	# The frontend shuts down: Closing; we close, it answers Closed.
	until_ok 30 fe_is 5 || { echo "frontend not Closing"; return 1; }
	xenstore-write "$lbe/state" 5
	until_ok 30 fe_is 6 || { echo "frontend not Closed"; return 1; }
	xenstore-write "$lbe/state" 6
	xenstore-rm "$lfe"
	xenstore-rm "${lbe%/5}"
}

do_step() {
	case $1 in
	mtu-*)
		# The guest's vifs and the bridge carry jumbo frames.
		for v in /sys/class/net/vif$domid.*; do
			ip link set "${v##*/}" mtu "${1#mtu-}"
		done
		ip link set xenbr0 mtu "${1#mtu-}" ;;
	fetch)
		# TCP guest -> dom0: the guest serves a file, we hash it.
		wget -q -O /tmp/fetched http://198.18.0.2:8080/up.bin &&
			put fetch-sum "$(sha256sum </tmp/fetched | cut -d' ' -f1)"
		rm -f /tmp/fetched ;;
	serve)
		# TCP dom0 -> guest: a file to fetch, its hash.
		dd if=/dev/urandom of=/tmp/www/down.bin bs=1M count=8 2>/dev/null
		put serve-sum "$(sha256sum </tmp/www/down.bin | cut -d' ' -f1)"
		pidof httpd >/dev/null || httpd -p 198.18.0.1:8080 -h /tmp/www ;;
	attach-xenbr1)
		attach xenbr1 00:16:3e:78:70:05 ;;
	attach-xenbr0)
		attach xenbr0 00:16:3e:78:70:06 ;;
	liar-connect)
		liar_connect ;;
	liar-lie)
		liar_lie ;;
	detach-*)
		xl network-detach "$DOMNAME" "${1#detach-}" ;;
	*)
		false ;;
	esac
}

. ../dom0-steps.sh
while xl domid "$DOMNAME" >/dev/null 2>&1; do
	poll_step netfront nf-step nf-done
	sleep 0.2
done
