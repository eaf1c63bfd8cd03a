# blkback as it was before the blkfront scenario changed its parameters.
if modprobe -r xen-blkback && modprobe xen-blkback; then
	echo "ok - dom0: blkback reloaded with its default parameters"
else
	echo "not ok - dom0: blkback not reloaded"
fi
