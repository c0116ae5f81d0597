#!/bin/sh
# run.sh - runs every test of `make check` and ends with the summary line
# "N passed, M failed".  Arguments: the unit test names (test-money ...),
# built as build/san/NAME.  Then the fuzz targets over their committed
# corpora and saved crashes (a deterministic replay; `make fuzz` explores),
# and every tests/cli/t*.sh script, which gets the ASan build of invgen as
# $INVGEN.  A test passes when it exits 0.
#
# Tests run TEST_JOBS at a time (default: the number of CPUs); each works
# in its own scratch folder, so they do not meet.  The sample set
# (samples/build.sh) is built once, first, for the tests that read it.  The longest are started
# first.  Each prints its line when it ends; the summary is in name order.
#
# Pinned environment: the C.UTF-8 locale and UTC, as in lowdown's
# regression run; a second pass of the CLI tests runs under another LANG
# and TZ inside the tests that compare bytes.
#
# Every test has a time budget (BUDGET below, seconds on a 2-core machine
# of CI's kind); one that takes more than twice its budget is reported as
# SLOW (not a failure: a busy machine is not a bug), so the suite's time
# stays in view as tests are added.

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export LC_ALL=C.UTF-8 TZ=UTC
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
export INVGEN="$top/build/san/invgen"
export INVGEN_REL="$top/build/rel/invgen"
export INVGEN_DATA_DIR="$top"
export TOP="$top"

logdir="$top/build/test-logs"

# Internal: run one test, print its line, leave NAME.rc and NAME.secs.
if [ "${1:-}" = "--one" ]; then
	name=$2
	shift 2
	start=$(date +%s)
	"$@" >"$logdir/$name.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	echo "$secs" >"$logdir/$name.secs"
	budget=$(sed -n "s/^$name //p" "$top/tests/budget.txt" 2>/dev/null |
	    tail -n 1)
	slow=""
	[ -n "$budget" ] && [ "$secs" -gt $((budget * 2)) ] &&
	    slow="  SLOW (budget ${budget}s)"
	if [ "$rc" -eq 0 ]; then
		printf 'ok   %-34s %3ss%s\n' "$name" "$secs" "$slow"
		grep -h '^SKIP' "$logdir/$name.log" | sed 's/^/     /'
	else
		printf 'FAIL %-34s (log: build/test-logs/%s.log)\n' "$name" \
		    "$name"
		tail -n 20 "$logdir/$name.log" | sed 's/^/     | /'
	fi
	echo "$rc" >"$logdir/$name.rc"
	exit 0
fi

rm -rf "$logdir"
mkdir -p "$logdir"
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
self="$top/tests/run.sh"

# NAME COMMAND... per line, longest budget first.
list="$logdir/list"
: >"$list"
for t in "$@"; do
	echo "$t build/san/$t" >>"$list"
done
echo "fuzz sh tests/fuzz/replay.sh" >>"$list"
for t in tests/cli/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	echo "$(basename "$t" .sh) sh $t" >>"$list"
done
names=$(awk '{print $1}' "$list")

# The sample set, built once by the build under test for the tests that
# read it (lib.sh: build_samples copies it); when building it fails, each
# test builds its own and says why.
samples="$top/build/test-samples"
if sh samples/build.sh "$samples" "$INVGEN" >"$logdir/samples.log" \
    2>"$logdir/samples.err" && [ ! -s "$logdir/samples.err" ]; then
	export TEST_SAMPLES="$samples"
fi
awk 'NR == FNR { b[$1] = $2; next } { print (b[$1] ? b[$1] : 0), $0 }' \
    tests/budget.txt "$list" | sort -k1,1nr -k2,2 | cut -d' ' -f2- |
    xargs -P "$jobs" -L 1 sh "$self" --one

passed=0
failed=0
failures=""
for name in $names; do
	if [ "$(cat "$logdir/$name.rc" 2>/dev/null)" = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $name"
		[ -f "$logdir/$name.rc" ] ||
		    echo "FAIL $name: no result (the runner stopped before it)"
	fi
done
echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
