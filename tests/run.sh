#!/bin/sh
# run.sh - runs every test of `make check` and ends with the summary line
# "N passed, M failed".  Arguments: the unit test names (test-money ...),
# built as build/san/NAME.  Then every tests/cli/t*.sh script, which gets
# the ASan build of invgen as $INVGEN.  A test passes when it exits 0.
# Pinned environment: the C.UTF-8 locale and UTC, as in lowdown's
# regression run; a second pass of the CLI tests runs under another LANG
# and TZ inside the tests that compare bytes.

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
export LC_ALL=C.UTF-8 TZ=UTC
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87
export INVGEN="$top/build/san/invgen"
export INVGEN_REL="$top/build/rel/invgen"
export INVGEN_DATA_DIR="$top"
export TOP="$top"

passed=0
failed=0
failures=""
logdir="$top/build/test-logs"
rm -rf "$logdir"
mkdir -p "$logdir"

run_one() {
	name=$1
	shift
	start=$(date +%s)
	if "$@" >"$logdir/$name.log" 2>&1; then
		passed=$((passed + 1))
		printf 'ok   %-34s %3ss\n' "$name" $(( $(date +%s) - start ))
		grep -h '^SKIP' "$logdir/$name.log" | sed 's/^/     /'
	else
		failed=$((failed + 1))
		failures="$failures $name"
		printf 'FAIL %-34s (log: build/test-logs/%s.log)\n' "$name" "$name"
		tail -n 20 "$logdir/$name.log" | sed 's/^/     | /'
	fi
}

for t in "$@"; do
	run_one "$t" "build/san/$t"
done
# The fuzz targets, each for a short bounded time (tests/fuzz/run.sh).
run_one fuzz sh tests/fuzz/run.sh --no-build
for t in tests/cli/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	run_one "$(basename "$t" .sh)" sh "$t"
done

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
