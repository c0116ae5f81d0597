#!/bin/sh
# soak.sh - the soak test (make soak): for DURATION seconds, 8 processes
# store orders, issue them (and every 4th a partial credit note) and
# re-render each document, comparing the bytes with the issued PDF, while
# 2 processes run `invgen batch` over the day in a loop and 1 runs
# `invgen verify` over the day in a loop, all on one database.  Then it
# checks the database (integrity_check), the number series (no gap, no
# duplicate), every order (at most one invoice), every issued PDF (its
# recorded SHA-256, `verify --archive`) and every batch manifest (the
# recorded hashes), and prints one line of counts:
#
#   soak: 60 s, 8 issuers, 2 batchers, 1 verifier (build/rel/invgen):
#   issues 812, credits 101, renders 913, batches 23, verifies 9,
#   errors 0, gaps 0, duplicates 0, hash mismatches 0
#
# followed by the first lines of any error.  Exit status 0 when errors,
# gaps, duplicates and mismatches are all 0 and every kind of worker
# completed at least one call.
#
# usage: sh tests/soak/soak.sh [-b INVGEN] [-w WORKDIR] [DURATION]
#   DURATION  seconds (default 60)
#   -b        the binary (default $INVGEN, else build/rel/invgen: the
#             release build, for load; `make check` runs it with the ASan
#             build through tests/cli/t0140-soak-short.sh)
#   -w        the scratch directory (default build/soak; emptied first)
# Every invgen call runs under `timeout` (INVGEN_SOAK_CALL_TIMEOUT, 300 s):
# a call that hangs is an error, not a hung soak.  Each batcher writes
# into its own folder batch.N; SOAK_BATCH_INTO_DOCUMENTS=1 points the
# first one at documents/, where the issuers publish their PDFs (a batch
# there removes the temporary files of issues in flight: see the BUG
# tests of tests/cli/t0130-faults-kill.sh).

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${INVGEN:-$top/build/rel/invgen}
work=$top/build/soak
while getopts b:w: opt; do
	case $opt in
	b) bin=$OPTARG ;;
	w) work=$OPTARG ;;
	*) echo "usage: soak.sh [-b INVGEN] [-w WORKDIR] [DURATION]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
duration=${1:-60}
case $duration in
''|*[!0-9]*) echo "soak.sh: DURATION must be whole seconds" >&2; exit 2 ;;
esac
ISSUERS=8
BATCHERS=2
VERIFIERS=1
calltimeout=${INVGEN_SOAK_CALL_TIMEOUT:-300}
day=2025-12-01

export LC_ALL=C.UTF-8 TZ=UTC INVGEN_NOW=${day}T12:00:00Z
export INVGEN_DATA_DIR=${INVGEN_DATA_DIR:-$top}
unset INVGEN_OUT_DIR INVGEN_BUSY_TIMEOUT_MS
[ -x "$bin" ] || { echo "soak.sh: $bin: not executable (make it first)" >&2; exit 2; }
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
"$bin" --help 2>&1 | grep -q "invgen batch" ||
	{ echo "soak.sh: $bin has no batch command" >&2; exit 2; }

rm -rf "$work"
mkdir -p "$work" || exit 2
cd "$work" || exit 2
db=$work/soak.db
"$bin" --db "$db" init >/dev/null &&
"$bin" --db "$db" seller add "$top/samples/seller-2025.json" >/dev/null ||
	{ echo "soak.sh: cannot set up $db" >&2; exit 2; }

# call LOG cmd...: run invgen with a timeout; on failure, append a line
# to LOG with the status, the command and its first line of stderr.
call() {
	_log=$1
	shift
	timeout -s KILL "$calltimeout" "$bin" --db "$db" "$@" 2>"$_log.stderr"
	_st=$?
	if [ $_st != 0 ]; then
		echo "exit $_st: invgen $*: $(head -n 1 "$_log.stderr")" >>"$_log"
	elif [ -s "$_log.stderr" ]; then
		echo "stderr: invgen $*: $(head -n 1 "$_log.stderr")" >>"$_log"
		_st=1
	fi
	return $_st
}

# order NO K: a paid order; country, currency and language vary with K.
order() {
	case $(($2 % 6)) in
	0) cc=LT cur=EUR lang=lt ;;
	1) cc=DE cur=EUR lang=en ;;
	2) cc=FR cur=USD lang=en ;;
	3) cc=US cur=USD lang=en ;;
	4) cc=LV cur=EUR lang=ru ;;
	*) cc=LT cur=EUR lang=lt-en ;;
	esac
	printf '{"order_no": "%s", "created_at": "2025-11-01T08:00:00Z",
 "paid_at": "2025-11-20T10:%02d:00Z", "currency": "%s",
 "payment_method": "card", "language": "%s",
 "payer": {"telegram_id": %d, "name": "Soak Payer %d",
   "address": {"line1": "Street %d", "city": "Town", "postal_code": "10115"},
   "country": "%s", "is_business": false,
   "evidence": {"card_country": "%s", "ip_country": "%s"}},
 "customer": {"telegram_id": %d, "username": "@soak%d"},
 "lines": [{"item": "softphone", "description": "Softphone subscription",
   "period_months": %d, "quantity": 1, "unit_price_minor": %d}]}\n' \
	    "$1" $(($2 % 60)) "$cur" "$lang" $((1000 + $2)) "$2" "$2" \
	    "$cc" "$cc" "$cc" $((5000 + $2)) "$2" $((1 + $2 % 12)) \
	    $((1000 + 37 * $2 % 20000))
}

end=$(($(date +%s) + duration))

# issuer P: store an order, issue it, render it and compare the bytes;
# every 4th invoice (the 2nd, 6th, ...) gets a partial credit note,
# rendered and compared too.
issuer() {
	p=$1 k=0 log=$work/issuer.$p.err
	: >"$log"
	while [ "$(date +%s)" -lt $end ]; do
		k=$((k + 1))
		o=S-$p-$k
		order "$o" $((p * 100000 + k)) >"o.$p.json"
		call "$log" order add "o.$p.json" >/dev/null || continue
		call "$log" issue "$o" --json >"i.$p.json" || continue
		echo issue >>"count.$p"
		n=$(sed -n 's/^{"number":"\([^"]*\)".*/\1/p' "i.$p.json")
		rendered "$n" || continue
		if [ $((k % 4)) = 2 ]; then
			call "$log" credit "$n" --reason "Soak refund" --amount 100 \
			    --json >"c.$p.json" || continue
			echo credit >>"count.$p"
			n=$(sed -n 's/^{"number":"\([^"]*\)".*/\1/p' "c.$p.json")
			rendered "$n"
		fi
	done
}
# rendered NUMBER: render it again and compare with the issued file.
rendered() {
	call "$log" render "$1" -o "r.$p.pdf" >/dev/null || return 1
	echo render >>"count.$p"
	if ! cmp -s "r.$p.pdf" "documents/$1.pdf"; then
		echo "mismatch: render $1 differs from documents/$1.pdf" >>"$log"
		echo mismatch >>"count.$p"
		return 1
	fi
}

# batcher B: batch the day into its own folder, again and again.
batcher() {
	b=$1 log=$work/batcher.$b.err dir=batch.$1
	[ "$b" = 1 ] && [ -n "${SOAK_BATCH_INTO_DOCUMENTS:-}" ] && dir=documents
	: >"$log"
	while [ "$(date +%s)" -lt $end ]; do
		if call "$log" batch --from $day --to $day --out "$dir" \
		    --jobs 2 >"batch.$b.out"; then
			echo batch >>"count.b$b"
		fi
		if grep -q " mismatches" "batch.$b.out" &&
		    ! grep -q " 0 mismatches" "batch.$b.out"; then
			echo "mismatch: batch $b: $(grep -i mismatch "batch.$b.out" | head -n 1)" >>"$log"
			echo mismatch >>"count.b$b"
		fi
	done
}

# verifier: re-render every document of the day and compare the hashes.
verifier() {
	log=$work/verifier.err
	: >"$log"
	while [ "$(date +%s)" -lt $end ]; do
		timeout -s KILL "$calltimeout" "$bin" --db "$db" verify \
		    --from $day --to $day >verify.out 2>verify.err
		st=$?
		if [ $st = 0 ]; then
			echo verify >>count.v
		elif grep -q "MISMATCH" verify.out; then
			grep "MISMATCH" verify.out | sed 's/^/mismatch: verify: /' >>"$log"
			grep "MISMATCH" verify.out | sed 's/.*/mismatch/' >>count.v
		else
			echo "exit $st: invgen verify: $(head -n 1 verify.err)" >>"$log"
		fi
	done
}

for p in $(seq 1 $ISSUERS); do issuer "$p" & done
for b in $(seq 1 $BATCHERS); do batcher "$b" & done
verifier &
wait

# ---- the checks after the soak ------------------------------------------

count() {
	cat count.* 2>/dev/null | grep -c "^$1$"
}
issues=$(count issue)
credits=$(count credit)
renders=$(count render)
batches=$(count batch)
verifies=$(count verify)
mismatches=$(count mismatch)
errors=$(cat issuer.*.err batcher.*.err verifier.err 2>/dev/null |
    grep -vc "^mismatch")

problems=$work/final.err
: >"$problems"
ic=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
if [ "$ic" != ok ]; then
	echo "integrity_check: $ic" >>"$problems"
	errors=$((errors + 1))
fi
# Gaps and duplicates per series: the numbers must be exactly 1..last_seq.
gaps=0
dups=0
for s in $(sqlite3 "$db" "SELECT series FROM number_series"); do
	set -- $(sqlite3 -separator ' ' "$db" "SELECT count(seq), count(DISTINCT
	    seq), coalesce(max(seq), 0), (SELECT last_seq FROM number_series
	    WHERE series = '$s') FROM document WHERE series = '$s'")
	dups=$((dups + $1 - $2))
	g=$(($3 - $2))
	[ "$4" -gt "$3" ] && g=$((g + $4 - $3))
	gaps=$((gaps + g))
	[ $(($1 - $2)) = 0 ] && [ $g = 0 ] ||
	    echo "series $s: $1 documents, $2 distinct numbers, max $3, last_seq $4" >>"$problems"
done
d=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT order_id FROM document
    WHERE kind = 'invoice' GROUP BY order_id HAVING count(*) > 1)")
if [ "$d" != 0 ]; then
	echo "$d orders with more than one invoice" >>"$problems"
	dups=$((dups + d))
fi
# The documents counted by the issuers are the documents stored.
stored=$(sqlite3 "$db" "SELECT count(*) FROM document")
if [ "$stored" != $((issues + credits)) ]; then
	echo "$stored documents stored, $((issues + credits)) issued by the workers" >>"$problems"
	errors=$((errors + 1))
fi
# Every issued PDF: re-rendered and in documents/ with the recorded hash.
timeout -s KILL "$calltimeout" "$bin" --db "$db" verify --from $day --to $day \
    --archive documents >final-verify.out 2>final-verify.err
st=$?
m=$(grep -c "MISMATCH\|MISSING" final-verify.out)
mismatches=$((mismatches + m))
if [ $st != 0 ] && [ "$m" = 0 ]; then
	echo "final verify: exit $st: $(head -n 1 final-verify.err)" >>"$problems"
	errors=$((errors + 1))
fi
grep "MISMATCH\|MISSING" final-verify.out | head -n 5 >>"$problems"
n=$(ls documents | grep -c "\.pdf$")
if [ "$n" != "$stored" ]; then
	echo "documents/ has $n PDFs for $stored documents" >>"$problems"
	errors=$((errors + 1))
fi
if [ -n "$(find . -name '*.tmp.*' | head -n 1)" ]; then
	echo "temporary files left: $(find . -name '*.tmp.*' | head -n 3 | tr '\n' ' ')" >>"$problems"
	errors=$((errors + 1))
fi
# Every batch manifest row carries the recorded hash, and the file has it.
sqlite3 -separator ' ' "$db" "SELECT d.number, f.sha256 FROM document d JOIN
    document_file f ON f.document_id = d.id WHERE f.format = 'pdf'" |
    sort >recorded
for b in $(seq 1 $BATCHERS); do
	[ -d "batch.$b" ] || continue
	[ -f "batch.$b/manifest.csv" ] || continue
	python3 - "batch.$b" <<-'EOF' | sort >"manifest.$b"
	import csv, sys
	d = sys.argv[1]
	for r in csv.DictReader(open(d + "/manifest.csv", newline="", encoding="utf-8")):
	    print(r["number"], r["sha256"])
	EOF
	bad=$(comm -23 "manifest.$b" recorded | wc -l)
	if [ "$bad" != 0 ]; then
		echo "batch.$b/manifest.csv: $bad rows not matching the recorded hashes" >>"$problems"
		mismatches=$((mismatches + bad))
	fi
	(cd "batch.$b" && sha256sum *.pdf) | awk '{ sub(/\.pdf$/, "", $2); print $2, $1 }' |
	    sort >"files.$b"
	bad=$(comm -23 "files.$b" recorded | wc -l)
	if [ "$bad" != 0 ]; then
		echo "batch.$b: $bad files not matching the recorded hashes" >>"$problems"
		mismatches=$((mismatches + bad))
	fi
done

echo "soak: $duration s, $ISSUERS issuers, $BATCHERS batchers, $VERIFIERS verifier ($bin):"
echo "issues $issues, credits $credits, renders $renders, batches $batches, verifies $verifies,"
echo "errors $errors, gaps $gaps, duplicates $dups, hash mismatches $mismatches"
cat issuer.*.err batcher.*.err verifier.err "$problems" 2>/dev/null |
    head -n 20 | sed 's/^/  /'
[ "$errors" = 0 ] && [ "$gaps" = 0 ] && [ "$dups" = 0 ] &&
[ "$mismatches" = 0 ] && [ "$issues" -gt 0 ] && [ "$renders" -gt 0 ] &&
[ "$batches" -gt 0 ] && [ "$verifies" -gt 0 ]
