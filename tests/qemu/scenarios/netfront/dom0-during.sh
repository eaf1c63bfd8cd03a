# dom0 side of the netfront scenario: act on each new value of the guest's
# data/nf-step (see guest.sh), then write it to data/nf-done; runs until the
# guest is gone.
. ../dom0-steps.sh
wait_domain || exit 1

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

liar_connect() {
	xenstore-write "${lbe%/5}" "" &&
		xenstore-chmod "${lbe%/5}" n0 "r$domid" &&
		xenstore-write "$lbe/frontend" "$lfe" "$lbe/frontend-id" "$domid" \
			"$lbe/feature-rx-copy" 1 "$lbe/state" 1 &&
		xenstore-write "$lfe" "" && xenstore-chmod "$lfe" "n$domid" r0 &&
		xenstore-write "$lfe/backend" "$lbe" "$lfe/backend-id" 0 \
			"$lfe/mac" 00:16:3e:78:70:07 "$lfe/state" 1 &&
		xenstore-write "$lbe/state" 2 &&
		until_ok 30 state_is "$lfe" 4 &&
		xenstore-write "$lbe/state" 4
}

liar_lie() {
	xpv-gntpeer lie netif "$domid" "$(xenstore-read "$lfe/tx-ring-ref")" \
		"$(xenstore-read "$lfe/event-channel")" || return 1
	# The frontend shuts down: Closing; we close, it answers Closed.
	liar_closes "$lfe" "$lbe"
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

run_steps netfront nf-step nf-done
