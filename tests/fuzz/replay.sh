#!/bin/sh
# replay.sh - the fuzz part of `make check`: every target's committed
# corpus (tests/fuzz/corpus/NAME/) and saved crashes (tests/fuzz/crashes/
# NAME/, inputs that once failed and must now pass) run once through the
# harness, built with the test build (build/san/replay-NAME, see
# tests/fuzz/replay.c).  Deterministic: exploring is `make fuzz`'s.
# Prints one line per target; exit status 0 when every target passed.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
failed=0
for f in tests/fuzz/fuzz-*.c; do
	t=${f#tests/fuzz/fuzz-}
	t=${t%.c}
	set -- "tests/fuzz/corpus/$t"
	[ -d "tests/fuzz/crashes/$t" ] && set -- "$@" "tests/fuzz/crashes/$t"
	if out=$("build/san/replay-$t" "$@" 2>&1); then
		echo "ok   fuzz-$t: ${out##*replay: }"
	else
		failed=$((failed + 1))
		echo "FAIL fuzz-$t"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/     | /'
	fi
done
[ "$failed" -eq 0 ]
