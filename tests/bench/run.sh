#!/bin/sh
# run.sh - `make bench`: prints the performance figures of invgen on this
# machine.  It asserts nothing; the targets (README, "Performance") are
# compared by reading the figures.
#   1. in-process rendering of one invoice (median, p99, bytes) per format
#   2. the bot's view: `invgen transfer-order` as a fresh process, 200
#      calls, median and 99th percentile, including database and PDF write;
#      again for the same orders (the existing document), into a folder
#      already holding 100,000 files, with `invgen serve` running on the
#      database (new and repeated), and through the library with one
#      handle kept open
#   3. invgen batch over a synthetic database of 100,000 issued documents
#      (tests/bench/synth.c): a month of PDFs into a fresh folder on the
#      disk and into a fresh tmpfs folder, 1 job and every core,
#      interleaved and repeated (documents/s, user and system CPU time per
#      document, the final flush included, peak RSS); verify --archive
#      over both folders; PDF+UBL+CII, the whole database, bytes per
#      document, and a rerun with every file present
#
# BENCH_BATCH_DOCS: size of the synthetic database (default 100000);
# BENCH_REPS: repetitions of the disk/tmpfs runs (default 3);
# BENCH_DISK_DIR, BENCH_TMPFS_DIR: where those folders go (default
# build/bench and /dev/shm; each is checked with stat -f);
# BENCH_ONLY=3: only section 3, on BENCH_SYNTH_DB if set (a database synth
# made earlier) instead of a new one.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
b="$top/build/bench"
invgen="$top/build/rel/invgen"
export INVGEN_DATA_DIR="$top" LC_ALL=C.UTF-8
rm -rf "$b"
mkdir -p "$b"
echo "== machine: $(nproc) cores, $(uname -m), Linux $(uname -r), $(date -u +%Y-%m-%d)"
echo "   load: $(uptime | sed 's/.*load average/load average/')"
if [ "${BENCH_ONLY:-}" != 3 ]; then
sh "$top/samples/build.sh" "$b/s" "$invgen" >/dev/null

echo "== 1. in-process rendering (bench-render)"
formats="pdf facturx ubl cii"
"$top/build/rel/bench-render" "$b/s/sample.db" ZLV-000001 1000 $formats
"$top/build/rel/bench-render" "$b/s/sample.db" ZLV-000015 200 $formats

echo "== 2. transfer-order as a fresh process (bench-spawn)"
db="$b/t.db"
"$invgen" --db "$db" init >/dev/null
"$invgen" --db "$db" seller add "$top/samples/seller-2025.json" >/dev/null
{
	echo "["
	for i in $(seq 1 200); do
		[ "$i" = 1 ] || echo ","
		cat <<JSON
{"order_no": "T-$i", "created_at": "2026-03-20T10:00:00Z", "currency": "EUR",
 "payment_method": "bank_transfer", "language": "lt",
 "payer": {"telegram_id": $i, "name": "UAB Bandymas $i",
   "address": {"line1": "Gedimino pr. $i", "city": "Vilnius", "postal_code": "01103"},
   "country": "LT", "is_business": false,
   "evidence": {"card_country": "LT", "ip_country": "LT"}},
 "customer": {"telegram_id": $((i + 1000)), "username": "@user$i"},
 "lines": [{"item": "softphone", "description": "Softphone subscription",
   "period_months": 12, "quantity": 1, "unit_price_minor": 12000,
   "discount_percent": 10}]}
JSON
	done
	echo "]"
} >"$b/orders.json"
"$invgen" --db "$db" order add "$b/orders.json" >/dev/null
export INVGEN_NOW=2026-03-20T12:00:00Z
# Each call syncs its files, and a disk flush also waits for whatever
# else is being written back: write out what this script has made so
# far (samples, renders), or the calls pay for it (23.6 against 18.1 ms
# median, measured).
sync
# Copies with no payment order issued yet, for the runs below.
sqlite3 "$db" "VACUUM INTO '$b/api.db'"
sqlite3 "$db" "VACUUM INTO '$b/crowd.db'"
sqlite3 "$db" "VACUUM INTO '$b/served.db'"
seq 1 200 | sed 's/^/T-/' | "$top/build/rel/bench-spawn" \
    "transfer-order, new (200 orders)" "$invgen" --db "$db" --out-dir "$b/out" \
    transfer-order
seq 1 200 | sed 's/^/T-/' | "$top/build/rel/bench-spawn" \
    "transfer-order, repeated request" "$invgen" --db "$db" --out-dir "$b/out" \
    transfer-order
# The bot's folder after a year: 100,000 other documents beside them.
mkdir -p "$b/crowd"
(cd "$b/crowd" && seq 1 100000 | sed 's/^/ZLV-/; s/$/.pdf/' | xargs touch)
sync
seq 1 200 | sed 's/^/T-/' | "$top/build/rel/bench-spawn" \
    "transfer-order, new, into a folder of 100,000 files" "$invgen" \
    --db "$b/crowd.db" --out-dir "$b/crowd" transfer-order
rm -rf "$b/crowd"
# The same calls with `invgen serve` running on the database: each fresh
# process hands its call to the server (its log counts them).
"$invgen" --db "$b/served.db" --out-dir "$b/served" serve 2>"$b/serve.log" &
srv=$!
i=0
while ! grep -q workers "$b/serve.log" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sync
seq 1 200 | sed 's/^/T-/' | "$top/build/rel/bench-spawn" \
    "transfer-order, new, with invgen serve running" "$invgen" \
    --db "$b/served.db" --out-dir "$b/served" transfer-order
seq 1 200 | sed 's/^/T-/' | "$top/build/rel/bench-spawn" \
    "transfer-order, repeated, with invgen serve running" "$invgen" \
    --db "$b/served.db" --out-dir "$b/served" transfer-order
kill -TERM $srv
wait $srv
# The server's own time per call (its log), new orders then repeated.
ok='transfer-order T-[0-9]*: ok ('
server_ms() {
	sed 's/.*(\([0-9.]*\) ms)/\1/' | sort -n |
	    awk '{v[NR] = $1} END {printf "%s", v[int((NR + 1) / 2)]}'
}
echo "calls the server made: $(grep -c "$ok" "$b/serve.log") of 400;" \
    "its own time per call, median: new $(grep "$ok" "$b/serve.log" |
    head -n 200 | server_ms) ms, repeated $(grep "$ok" "$b/serve.log" |
    tail -n 200 | server_ms) ms"
seq 1 200 | sed 's/^/T-/' | "$top/build/rel/bench-api" \
    "transfer-order via libinvgen, one open handle (200 orders)" \
    "$b/api.db" "$b/api-out"
echo "payment order file size: $(ls -l "$b/out" | awk 'NR>1 {s+=$5; n++} END {printf "%d bytes average over %d files", s/n, n}')"

fi	# BENCH_ONLY

echo "== 3. batch regeneration of a synthetic database (synth, invgen batch)"
n=${BENCH_BATCH_DOCS:-100000}
sdb="$b/synth.db"
unset INVGEN_NOW
if [ -n "${BENCH_SYNTH_DB:-}" ]; then
	cp "$BENCH_SYNTH_DB" "$sdb"
else
	"$top/build/rel/synth" "$sdb" "$n" "$top/samples/seller-2020.json" \
	    "$top/samples/seller-2025.json" | sed 's/^/synthetic database: /'
fi
ndocs=$(sqlite3 "$sdb" "SELECT count(*) FROM document")
sqlite3 "$sdb" "SELECT '  ' || kind || ': ' || count(*) FROM document GROUP BY kind;
    SELECT '  ' || count(DISTINCT payer_country) || ' countries, ' ||
    count(DISTINCT currency) || ' currencies, ' || count(DISTINCT language) ||
    ' languages, ' || (SELECT count(*) FROM document d WHERE
    (SELECT count(*) FROM document_line l WHERE l.document_id = d.id) >= 20) ||
    ' documents of 20-60 lines' FROM document"
# One run: label, then batch arguments.  Prints documents, seconds,
# documents/s, CPU time per document (user + system: what the rate would
# be per core on an idle machine) and the peak RSS (VmHWM, from GNU time).
batch() {
	label=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%e %M %U %S" -o "$b/time.out" "$invgen" \
		    --db "$sdb" batch "$@" >"$b/sum.out"
		rss="$(($(cut -d" " -f2 "$b/time.out") / 1024)) MB, CPU $(awk \
		    -v n="$(sed -n 's/^\([0-9]*\) documents: .*/\1/p' \
		    "$b/sum.out")" '{printf "%.2f", ($3 + $4) * 1000 / n}' \
		    "$b/time.out") ms/doc"
	else
		"$invgen" --db "$sdb" batch "$@" >"$b/sum.out"
		rss="n/a (install the Debian package time)"
	fi
	sed -n 's/^\([0-9]*\) documents: .*/\1/p' "$b/sum.out" >"$b/docs.out"
	printf "%-34s %7s docs %9s s %6s docs/s  peak RSS %s\n" "$label" \
	    "$(cat "$b/docs.out")" \
	    "$(sed -n 's/^elapsed \([0-9.]*\) s.*/\1/p' "$b/sum.out")" \
	    "$(sed -n 's/.*, \([0-9]*\) documents\/s.*/\1/p' "$b/sum.out")" "$rss"
	grep -v "^elapsed\|^[0-9]* documents:" "$b/sum.out" | head -n 5
}
# A month of documents: 10-20 s with one job on these machines.
month="--from 2025-10-01 --to 2025-10-31"

# The same batch into a fresh folder on the disk and into a fresh tmpfs
# folder, 1 job and every core, interleaved so that all see the same
# machine, BENCH_REPS times.  The disk folders are kept until the end:
# deleting thousands of files just before a run slows ext4's allocation
# of new inodes for a minute or more (without a journal it steps over
# recently deleted ones); the tmpfs folders go at once (memory).
fstype() {
	stat -f -c %T "$1" 2>/dev/null || echo "?"
}
disk=${BENCH_DISK_DIR:-$b}
tmpfs=${BENCH_TMPFS_DIR:-/dev/shm}
mkdir -p "$disk"
if [ "$(fstype "$disk")" = tmpfs ]; then
	echo "disk folder $disk is on tmpfs: set BENCH_DISK_DIR to a disk"
	disk=
fi
if [ ! -d "$tmpfs" ] || [ "$(fstype "$tmpfs")" != tmpfs ]; then
	echo "no tmpfs at $tmpfs (BENCH_TMPFS_DIR): the tmpfs runs are skipped"
	tmpfs=
fi
echo "disk folder: ${disk:-none} ($(fstype "${disk:-/}")" \
    "on $(df -P "${disk:-/}" | awk 'NR == 2 {print $1}')), tmpfs folder:" \
    "${tmpfs:-none}; batch of $(sqlite3 "$sdb" "SELECT count(*) FROM document
    WHERE issue_date BETWEEN '2025-10-01' AND '2025-10-31'") PDFs"
# timed LABEL OUT ARGS...: one batch into OUT; one line with documents,
# seconds, documents/s, user and system CPU ms per document and peak RSS;
# also appended to $b/runs as "LABEL docs/s sys-ms/doc".
timed() {
	label=$1
	out=$2
	shift 2
	/usr/bin/time -f "%e %M %U %S" -o "$b/time.out" "$invgen" --db "$sdb" \
	    batch "$@" --out "$out" >"$b/sum.out"
	docs=$(sed -n 's/^\([0-9]*\) documents: .*/\1/p' "$b/sum.out")
	awk -v n="$docs" -v l="$label" '{
	    printf "%-30s %6d docs %7.2f s %6.0f docs/s  CPU user %.3f + " \
	        "system %.3f ms/doc  peak RSS %d MB\n", l, n, $1, n / $1,
	        $3 * 1000 / n, $4 * 1000 / n, $2 / 1024
	    printf "%s %.1f %.4f\n", l, n / $1, $4 * 1000 / n >>runs }' \
	    runs="$b/runs" "$b/time.out"
}
reps=${BENCH_REPS:-3}
: >"$b/runs"
i=0
while [ $i -lt "$reps" ]; do
	i=$((i + 1))
	for j in 1 "$(nproc)"; do
		if [ -n "$disk" ]; then
			d=$(mktemp -d "$disk/batch-disk.XXXXXX")
			timed "disk, $j job(s)" "$d/out" $month --jobs "$j"
			[ "$j" = 1 ] || cp "$d/out/manifest.csv" "$b/manifest-jobs.csv"
		fi
		if [ -n "$tmpfs" ]; then
			d=$(mktemp -d "$tmpfs/invgen-bench.XXXXXX")
			timed "tmpfs, $j job(s)" "$d/out" $month --jobs "$j"
			if [ "$i" = "$reps" ] && [ "$j" = 1 ]; then
				keep_tmpfs=$d
			else
				rm -rf "$d"
			fi
		fi
	done
done
# The medians of the runs, and how they compare.
awk -v nproc="$(nproc)" '
    { k = $1 " " $2 " " $3; r[k, ++n[k]] = $4; s[k, n[k]] = $5 }
    function med(a, k,   m, i, j, t, v) {
	m = n[k]
	for (i = 1; i <= m; i++) v[i] = a[k, i]
	for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
		if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
	return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
    }
    END {
	d1 = "disk, 1 job(s)"; dn = "disk, " nproc " job(s)"
	t1 = "tmpfs, 1 job(s)"; tn = "tmpfs, " nproc " job(s)"
	printf "medians of %d runs:", n[d1] ? n[d1] : n[t1]
	split(d1 SUBSEP dn SUBSEP t1 SUBSEP tn, ks, SUBSEP)
	for (i = 1; i <= 4; i++) if (n[ks[i]])
		printf " %s %.0f docs/s (system %.3f ms/doc);", ks[i],
		    med(r, ks[i]), med(s, ks[i])
	printf "\n"
	if (n[d1] && n[t1])
		printf "disk / tmpfs: %.0f%% with 1 job, %.0f%% with %d\n",
		    100 * med(r, d1) / med(r, t1), 100 * med(r, dn) / med(r, tn),
		    nproc
	if (n[d1])
		printf "%d jobs / 1 job: disk %.2fx", nproc,
		    med(r, dn) / med(r, d1)
	if (n[t1])
		printf ", tmpfs %.2fx", med(r, tn) / med(r, t1)
	printf "\n"
    }' "$b/runs"
echo "   load: $(uptime | sed 's/.*load average/load average/')"
# verify --archive over a disk folder and a tmpfs folder of that month
# (one thread: it re-renders every document and reads its file).
verify_timed() {
	if ! /usr/bin/time -f "%e %U %S" -o "$b/time.out" "$invgen" \
	    --db "$sdb" verify $month --archive "$2" >"$b/verify.out"; then
		echo "$1: verify found problems in the batch's output:" >&2
		tail -n 5 "$b/verify.out" >&2
		exit 1
	fi
	awk -v l="$1" -v r="$(tail -n 1 "$b/verify.out")" '{
	    split(r, w, " "); n = w[1]
	    printf "%-30s %6d docs %7.2f s %6.0f docs/s  CPU user %.3f + " \
	        "system %.3f ms/doc  (%s)\n", l, n, $1, n / $1,
	        $2 * 1000 / n, $3 * 1000 / n, r }' "$b/time.out"
}
if [ -n "$disk" ]; then
	verify_timed "verify --archive, disk" "$(ls -d "$disk"/batch-disk.* |
	    head -n 1)/out"
fi
if [ -n "${keep_tmpfs:-}" ]; then
	verify_timed "verify --archive, tmpfs" "$keep_tmpfs/out"
	rm -rf "$keep_tmpfs"
fi

# One run: label, then batch arguments.  Prints documents, seconds,
# documents/s, CPU time per document (user + system: what the rate would
# be per core on an idle machine) and the peak RSS (VmHWM, from GNU time).
batch() {
	label=$1
	shift
	/usr/bin/time -f "%e %M %U %S" -o "$b/time.out" "$invgen" \
	    --db "$sdb" batch "$@" >"$b/sum.out"
	rss="$(($(cut -d" " -f2 "$b/time.out") / 1024)) MB, CPU $(awk \
	    -v n="$(sed -n 's/^\([0-9]*\) documents: .*/\1/p' \
	    "$b/sum.out")" '{printf "%.2f", ($3 + $4) * 1000 / n}' \
	    "$b/time.out") ms/doc"
	printf "%-34s %7s docs %9s s %6s docs/s  peak RSS %s\n" "$label" \
	    "$(sed -n 's/^\([0-9]*\) documents: .*/\1/p' "$b/sum.out")" \
	    "$(sed -n 's/^elapsed \([0-9.]*\) s.*/\1/p' "$b/sum.out")" \
	    "$(sed -n 's/.*, \([0-9]*\) documents\/s.*/\1/p' "$b/sum.out")" "$rss"
	grep -v "^elapsed\|^[0-9]* documents:" "$b/sum.out" | head -n 5
}
batch "PDF+UBL+CII, $(nproc) jobs, one month" $month --formats pdf,ubl,cii \
    --out "$b/m3"
batch "PDF, 1 job, one month, again" $month --jobs 1 --out "$b/m1"
batch "PDF, $(nproc) jobs, all $ndocs" --from 2025-01-01 --to 2026-12-31 \
    --out "$b/all"
echo "bytes per document (PDF): $(find "$b/all" -name '*.pdf' -printf '%s\n' |
    awk '{s += $1; n++} END {printf "%d average over %d files", s / n, n}')"
batch "rerun, all present (resume)" --from 2025-01-01 --to 2026-12-31 \
    --out "$b/all"
cmp "$b/m1/manifest.csv" "$b/manifest-jobs.csv" &&
    echo "1 job and $(nproc) jobs wrote the same manifest (same bytes, same hashes)"
# The big folders go now rather than at the start of the next run, where
# the deletion would slow the file creations measured right after it.
rm -rf "$b/all" "$b/m1" "$b/m3"
[ -z "$disk" ] || rm -rf "$disk"/batch-disk.*
