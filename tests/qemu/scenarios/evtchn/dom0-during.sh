# While the guest's test module waits for VIRQ_DEBUG ("# virq-wait-begin"
# on its console, until "# virq-wait-end"), press Xen's 'q' debug key every
# 2 s: Xen raises VIRQ_DEBUG on every vCPU of every domain. Runs until the
# guest is gone.
last=
while xl domid "$DOMNAME" >/dev/null 2>&1; do
	state=$(tr -d '\r' <"$GUEST_LOG" 2>/dev/null |
		grep -o 'virq-wait-\(begin\|end\)' | tail -n 1)
	if [ "$state" = virq-wait-begin ]; then
		xl debug-keys q && [ "$last" != q ] && echo "pressed q"
		last=q
	else
		last=
	fi
	sleep 2
done
