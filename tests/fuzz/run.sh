#!/bin/sh
# run.sh - builds the libFuzzer targets (tests/fuzz/fuzz-NAME.c) with
# clang, ASan, UBSan and libFuzzer, replays the saved crash reproducers,
# then runs each target for a time or a number of executions and prints
# one line per target: "ok   fuzz-NAME  ... execs ... exec/s" or "FAIL",
# with the input that failed and the command that reproduces it.
# Exit status 0 when every target passed.
#
#   sh tests/fuzz/run.sh [--seconds N | --runs N] [--jobs J] [--no-build]
#                        [--merge] [TARGET...]
#
#   --seconds N  run each target for N seconds (default 12; `make fuzz`
#                passes FUZZ_SECONDS)
#   --runs N     run each target for N executions instead; 0 replays the
#                corpus and the saved crashes once (what `make check` does)
#   --jobs J     targets run J at a time (default: the number of CPUs)
#   --no-build   do not run make first (make fuzz has just built them)
#   --merge      afterwards, merge what the run found into the committed
#                corpora (libFuzzer -merge=1 keeps only inputs that add
#                coverage): for after a long `make fuzz`
#   TARGET       NAME of tests/fuzz/fuzz-NAME.c; default all
#
# Inputs: tests/fuzz/corpus/NAME/ (committed seeds, read only during a
# run), tests/fuzz/crashes/NAME/ (inputs that once failed; each must now
# pass), options from the harness's "fuzz-options:" comment line (e.g.
# -max_len, -dict).  Outputs under build/fuzz/: new inputs in new/NAME/,
# a failing input in artifacts/, the log in logs/NAME.log.
# Reproduce a failure: build/fuzz/fuzz-NAME FILE (runs FILE once).

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2

seconds=12
runs=""
jobs=$(nproc 2>/dev/null || echo 2)
build=1
merge=0
targets=""

# Internal: run one target (called through xargs for parallelism).
if [ "${1:-}" = "--one" ]; then
	t=$2
	bin=build/fuzz/fuzz-$t
	log=build/fuzz/logs/$t.log
	opts=$(sed -n 's/^ \* fuzz-options: *//p' "tests/fuzz/fuzz-$t.c" |
	    head -n 1)
	mkdir -p "build/fuzz/new/$t" "tests/fuzz/corpus/$t"
	: >"$log"
	# Reproducers of old failures first: each must pass.
	if [ -d "tests/fuzz/crashes/$t" ] &&
	    [ -n "$(ls -A "tests/fuzz/crashes/$t")" ]; then
		# shellcheck disable=SC2086
		if ! "$bin" $opts "tests/fuzz/crashes/$t"/* >>"$log" 2>&1; then
			echo 1 >"build/fuzz/logs/$t.rc"
			exit 0
		fi
	fi
	if [ -n "$FUZZ_RUNS" ]; then
		budget="-runs=$FUZZ_RUNS"
	else
		budget="-max_total_time=$FUZZ_SECONDS"
	fi
	# shellcheck disable=SC2086
	"$bin" $opts $budget -timeout=25 -rss_limit_mb=2560 \
	    -print_final_stats=1 -artifact_prefix="build/fuzz/artifacts/$t-" \
	    "build/fuzz/new/$t" "tests/fuzz/corpus/$t" >>"$log" 2>&1
	echo $? >"build/fuzz/logs/$t.rc"
	exit 0
fi

while [ $# -gt 0 ]; do
	case $1 in
	--seconds) seconds=$2; runs=""; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--no-build) build=0; shift ;;
	--merge) merge=1; shift ;;
	-h|--help) sed -n '2,/^$/s/^# \{0,1\}//p' "$self"; exit 0 ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) targets="$targets $1"; shift ;;
	esac
done
if [ -z "$targets" ]; then
	for f in tests/fuzz/fuzz-*.c; do
		[ -f "$f" ] || continue
		t=${f#tests/fuzz/fuzz-}
		targets="$targets ${t%.c}"
	done
fi

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	echo "run.sh: ${FUZZ_CC:-clang} not found; install clang and" \
	    "libclang-rt-14-dev" >&2
	exit 2
fi
if [ "$build" = 1 ]; then
	bins=""
	for t in $targets; do bins="$bins build/fuzz/fuzz-$t"; done
	# shellcheck disable=SC2086
	${MAKE:-make} -s -f Makefile -f tests/fuzz/Makefile.fuzz \
	    -j "$jobs" $bins || exit 2
fi

# Symbolised reports; a sanitizer report must fail the run.
for s in llvm-symbolizer /usr/lib/llvm-14/bin/llvm-symbolizer; do
	if command -v "$s" >/dev/null 2>&1; then
		ASAN_SYMBOLIZER_PATH=$(command -v "$s")
		export ASAN_SYMBOLIZER_PATH
		break
	fi
done
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1"
export UBSAN_OPTIONS="$UBSAN_OPTIONS:halt_on_error=1"
export LC_ALL=C.UTF-8 TZ=UTC
export INVGEN_DATA_DIR="$top"
export FUZZ_SECONDS="$seconds" FUZZ_RUNS="$runs"

mkdir -p build/fuzz/logs build/fuzz/artifacts
for t in $targets; do
	rm -f "build/fuzz/logs/$t.rc"
	[ -x "build/fuzz/fuzz-$t" ] || {
		echo "run.sh: build/fuzz/fuzz-$t not built" >&2; exit 2; }
done
start=$(date +%s)
# shellcheck disable=SC2086
printf '%s\n' $targets | xargs -P "$jobs" -I{} sh "$self" --one {}

# stat NAME LOG: a libFuzzer final statistic.
stat() {
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

failed=0
for t in $targets; do
	log=build/fuzz/logs/$t.log
	rc=$(cat "build/fuzz/logs/$t.rc" 2>/dev/null || echo 99)
	execs=$(stat number_of_executed_units "$log")
	rate=$(stat average_exec_per_sec "$log")
	added=$(stat new_units_added "$log")
	corp=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
	if [ "$rc" = 0 ]; then
		printf 'ok   fuzz-%-8s %10s execs %8s exec/s  corpus %s +%s\n' \
		    "$t" "${execs:-?}" "${rate:-?}" "$corp" "${added:-0}"
	else
		failed=$((failed + 1))
		printf 'FAIL fuzz-%-8s (log: %s)\n' "$t" "$log"
		grep -E 'ERROR|invariant failed|SUMMARY|runtime error' \
		    "$log" | head -n 5 | sed 's/^/     | /'
		art=$(sed -n 's/.*Test unit written to \(.*\)/\1/p' "$log" |
		    tail -n 1)
		[ -n "$art" ] && echo "     reproduce: build/fuzz/fuzz-$t $art"
		tail -n 15 "$log" | sed 's/^/     | /'
	fi
done

if [ "$merge" = 1 ] && [ "$failed" = 0 ]; then
	for t in $targets; do
		opts=$(sed -n 's/^ \* fuzz-options: *//p' \
		    "tests/fuzz/fuzz-$t.c" | head -n 1)
		# shellcheck disable=SC2086
		"build/fuzz/fuzz-$t" $opts -merge=1 "tests/fuzz/corpus/$t" \
		    "build/fuzz/new/$t" >"build/fuzz/logs/$t.merge.log" 2>&1 &&
		    echo "merged fuzz-$t: corpus now" \
		    "$(find "tests/fuzz/corpus/$t" -type f | wc -l) files"
	done
fi
echo "fuzz: $(echo $targets | wc -w) targets, $failed failed," \
    "$(( $(date +%s) - start ))s"
[ "$failed" -eq 0 ]
