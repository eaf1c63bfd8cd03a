# What the guests (guest.sh) and dom0's limits (dom0-pre.sh) both run.
T=5

# fio_run NAME DEV RW BS DEPTH: one time-based fio job of T s on DEV,
# direct I/O through libaio; sets fio_rc, io (KiB moved), value and unit
# (MiB/s for 1M, IOPS for 4k, as fio reports them) and reqs.
fio_run() {
	fio --name="$1" --filename="$2" --ioengine=libaio --direct=1 \
		--thread --rw="$3" --bs="$4" --iodepth="$5" --time_based \
		--runtime="$T" --size=64M --output-format=terse \
		--terse-version=3 >/tmp/fio.out 2>&1
	fio_rc=$?
	l=$(grep '^3;' /tmp/fio.out | tail -n 1)
	case $3 in
	*read) f=6 ;;
	*) f=47 ;;
	esac
	io=$(echo "$l" | cut -d';' -f$f)
	io=${io:-0}
	bw=$(echo "$l" | cut -d';' -f$((f + 1)))
	iops=$(echo "$l" | cut -d';' -f$((f + 2)))
	bs=$(($(echo "$4" | sed 's/k$/*1024/; s/M$/*1048576/')))
	reqs=$((io * 1024 / bs))
	if [ "$4" = 4k ]; then
		value=${iops:-0}
		unit=iops
	else
		value=$(awk "BEGIN { printf \"%.1f\", ${bw:-0} / 1024 }")
		unit=MiB/s
	fi
}

# The fio jobs: NAME:RW:BS:DEPTH
FIO_JOBS="seq-read:read:1M:32 seq-write:write:1M:32
rand-read-qd1:randread:4k:1 rand-write-qd1:randwrite:4k:1
rand-read-qd32:randread:4k:32 rand-write-qd32:randwrite:4k:32"

# fio_fields JOB: a FIO_JOBS entry's fields, into n, rw, bs and qd
fio_fields() {
	IFS=: read -r n rw bs qd <<EOJ
$1
EOJ
}

# rr_run ADDR PORT: sockperf UDP ping-pong of 64 B messages for T s; sets
# rr (transactions/s, "" if it did not run) and rcvd.
rr_run() {
	l=$(sockperf ping-pong -i "$1" -p "$2" -t "$T" -m 64 2>&1 |
		grep 'Valid Duration')
	rt=$(echo "$l" | sed -n 's/.*RunTime=\([0-9.]*\) sec.*/\1/p')
	rcvd=$(echo "$l" | sed -n 's/.*ReceivedMessages=\([0-9]*\).*/\1/p')
	rr=
	[ -n "$rt" ] && [ -n "$rcvd" ] &&
		rr=$(awk "BEGIN { printf \"%.1f\", $rcvd / ($rt + 0.000001) }")
}

# ping_rtt ADDR: the median RTT (ms) of PINGS pings 0.1 s apart (a median:
# one late wake-up of an emulated vCPU does not move it)
PINGS=50
ping_rtt() {
	ping -c $PINGS -i 0.1 "$1" | sed -n 's/.* time=\([0-9.]*\) ms$/\1/p' |
		sort -n | awk '{ t[NR] = $1 }
			END { if (NR % 2) print t[(NR + 1) / 2]
			      else if (NR) print (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}

# iperf_rate ARGS...: iperf3's receiver Mbit/s for a T s run (3 tries: the
# server takes a moment to listen again)
iperf_rate() {
	n=0
	while ! iperf3 -f m -t "$T" "$@" >/tmp/iperf.out 2>&1; do
		n=$((n + 1))
		[ $n -lt 3 ] || break
		sleep 2
	done
	sed -n 's/.* \([0-9.]*\) Mbits\/sec.*receiver.*/\1/p' /tmp/iperf.out |
		tail -n1
}
