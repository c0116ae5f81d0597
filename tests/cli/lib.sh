# lib.sh - helpers for the command-line tests (git t/ style).  Each test
# script sources this, works in its own scratch directory, chains steps
# with && and calls the helpers below.  $INVGEN is the binary under test
# (the ASan build during `make check`), $INVGEN_REL the release program;
# $TOP is the source tree.

set -u
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${INVGEN:=$TOP/build/san/invgen}"
: "${INVGEN_REL:=$TOP/build/rel/invgen}"
: "${INVGEN_DATA_DIR:=$TOP}"
export INVGEN_DATA_DIR LC_ALL=C.UTF-8 TZ=UTC
unset INVGEN_DB INVGEN_OUT_DIR INVGEN_NOW

name=$(basename "$0" .sh)
# TEST_SCRATCH_ROOT: where the scratch folders go (t0005 runs tests again
# with a planted fault, beside their own run).
scratch="${TEST_SCRATCH_ROOT:-$TOP/build/test-scratch}/$name"
rm -rf "$scratch"
mkdir -p "$scratch"
cd "$scratch" || exit 2
ntests=0
nfail=0

# skip REASON: a SKIP line on the script's standard output (fd 3; the
# output of a test body goes to out.N), once per reason, which
# tests/run.sh shows in its summary.
exec 3>&1
skip() {
	echo "SKIP: $*"
	grep -qxF -- "$*" "$scratch/.skips" 2>/dev/null && return 0
	echo "$*" >>"$scratch/.skips"
	echo "SKIP: $name: $*" >&3
}

# test_expect_success 'title' 'commands': run the commands in a subshell.
test_expect_success() {
	ntests=$((ntests + 1))
	if (eval "$2") >"out.$ntests" 2>&1; then
		echo "ok $ntests - $1"
	else
		nfail=$((nfail + 1))
		echo "not ok $ntests - $1"
		sed 's/^/#   /' "out.$ntests"
	fi
}

# test_must_fail [STATUS] cmd...: the command must fail (with STATUS, if
# given) and must not crash: a signal or a sanitizer exit code is a failure.
test_must_fail() {
	want=""
	case "$1" in [0-9]*) want=$1; shift ;; esac
	"$@"
	got=$?
	if [ "$got" -eq 0 ]; then
		echo "test_must_fail: '$*' succeeded" >&2
		return 1
	fi
	if [ "$got" -gt 128 ] || [ "$got" -eq 86 ] || [ "$got" -eq 87 ]; then
		echo "test_must_fail: '$*' crashed (status $got)" >&2
		return 1
	fi
	if [ -n "$want" ] && [ "$got" -ne "$want" ]; then
		echo "test_must_fail: '$*' exited $got, want $want" >&2
		return 1
	fi
	return 0
}

test_cmp() {
	diff -u "$1" "$2"
}

# test_grep PATTERN FILE: like grep -q but shows the file on failure.
test_grep() {
	if ! grep -q -- "$1" "$2"; then
		echo "test_grep: '$1' not found in $2:" >&2
		sed 's/^/|   /' "$2" >&2
		return 1
	fi
}

# build_samples DIR: the sample database and documents (samples/build.sh)
# in DIR, as the build under test makes them: a copy of the set
# tests/run.sh built once for every test ($TEST_SAMPLES), else built here.
build_samples() {
	if [ -n "${TEST_SAMPLES:-}" ] && [ -f "$TEST_SAMPLES/sample.db" ]; then
		rm -rf "$1" && cp -R "$TEST_SAMPLES" "$1"
	else
		sh "$TOP/samples/build.sh" "$1" "$INVGEN"
	fi
}

# The newest schema version, as gen/store/schema.c lists the migrations.
latest_schema_version() {
	sed -n 's/^	{ \([0-9]*\), "[0-9].*/\1/p' "$TOP/gen/store/schema.c" |
	    tail -n 1
}

# The sample seller profiles (the samples/ ones), into the database $1.
add_sellers() {
	"$INVGEN" --db "$1" seller add "$TOP/samples/seller-2020.json" &&
	"$INVGEN" --db "$1" seller add "$TOP/samples/seller-2025.json"
}

# A consumer order as JSON: order_no country currency paid_at [price].
consumer_order() {
	cat <<JSON
{"order_no": "$1", "created_at": "2025-08-01T08:00:00Z",
 "paid_at": $( [ "$4" = null ] && echo null || echo "\"$4\"" ),
 "currency": "$3", "payment_method": "card", "language": "en",
 "payer": {"telegram_id": 5001, "name": "Test Payer",
   "address": {"line1": "Main street 1", "city": "Town", "postal_code": "10115"},
   "country": "$2", "is_business": false,
   "evidence": {"card_country": "$2", "ip_country": "$2"}},
 "customer": {"telegram_id": 6001, "username": "@tester"},
 "lines": [{"item": "softphone", "description": "Softphone subscription",
   "period_months": 12, "quantity": 1, "unit_price_minor": ${5:-12000}}]}
JSON
}

# Checksum of the database file, after making sure no WAL is pending.
db_sum() {
	[ ! -s "$1-wal" ] || { echo "db_sum: $1-wal not empty" >&2; return 1; }
	sha256sum "$1" | cut -d' ' -f1
}

test_done() {
	echo "# $name: $ntests tests, $nfail failed"
	[ "$nfail" -eq 0 ]
	exit $?
}
