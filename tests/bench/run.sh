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
#      (tests/bench/synth.c): PDF documents/s with 1 job and with every
#      core on a month, PDF+UBL+CII, the whole database, peak RSS, bytes
#      per document, and a rerun with every file present
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
b="$top/build/bench"
invgen="$top/build/rel/invgen"
export INVGEN_DATA_DIR="$top" LC_ALL=C.UTF-8
rm -rf "$b"
mkdir -p "$b"
echo "== machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
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

echo "== 3. batch regeneration of a synthetic database (synth, invgen batch)"
# BENCH_BATCH_DOCS: size of the synthetic database (default 100000).
n=${BENCH_BATCH_DOCS:-100000}
sdb="$b/synth.db"
unset INVGEN_NOW
"$top/build/rel/synth" "$sdb" "$n" "$top/samples/seller-2020.json" \
    "$top/samples/seller-2025.json" | sed 's/^/synthetic database: /'
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
batch "PDF, 1 job, one month" $month --jobs 1 --out "$b/m1"
batch "PDF, $(nproc) jobs, one month" $month --out "$b/m2"
batch "PDF+UBL+CII, $(nproc) jobs, one month" $month --formats pdf,ubl,cii \
    --out "$b/m3"
batch "PDF, $(nproc) jobs, all $ndocs" --from 2025-01-01 --to 2026-12-31 \
    --out "$b/all"
echo "bytes per document (PDF): $(find "$b/all" -name '*.pdf' -printf '%s\n' |
    awk '{s += $1; n++} END {printf "%d average over %d files", s / n, n}')"
batch "rerun, all present (resume)" --from 2025-01-01 --to 2026-12-31 \
    --out "$b/all"
cmp "$b/m1/manifest.csv" "$b/m2/manifest.csv" &&
    echo "1 job and $(nproc) jobs wrote the same manifest (same bytes, same hashes)"
