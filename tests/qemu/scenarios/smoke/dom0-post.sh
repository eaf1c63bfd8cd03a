# The guest's view of the Xen version and features equals dom0's `xl info`.
info=$(xl info)
want=$(echo "$info" | awk '$1 == "xen_major" {a = $3} $1 == "xen_minor" {b = $3}
	$1 == "xen_extra" {c = $3} END {print a "." b c}')
got=$(tr -d '\r' <"$GUEST_LOG" | sed -n 's/^XPVT smoke xen-version=//p')
if [ -n "$want" ] && [ "$got" = "$want" ]; then
	echo "ok - the guest reports Xen $got, as xl info says"
else
	echo "not ok - the guest reports Xen '$got', xl info says '$want'"
fi
