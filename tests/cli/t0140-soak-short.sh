#!/bin/sh
# t0140-soak-short: the soak (tests/soak/soak.sh) for 6 seconds with the build
# under test (ASan + UBSan during `make check`): 8 processes store, issue,
# credit and re-render documents while 2 run batches and 1 runs verify on
# the same database; no call may fail or print anything on stderr, and
# afterwards the database is intact, the number series have no gap and
# no duplicate, and every hash verifies (tests/soak/soak.sh does the
# checks and prints the counts; `make soak` runs it for 60 seconds).
. "$(dirname "$0")/lib.sh"

: "${SOAK_SECONDS:=6}"
test_expect_success "soak for $SOAK_SECONDS s: no error, no gap, no duplicate, every hash verifies" '
	sh "$TOP/tests/soak/soak.sh" -b "$INVGEN" -w "$scratch/soak" \
	    "$SOAK_SECONDS" >soak.out 2>&1
	st=$?
	cat soak.out
	test $st = 0 &&
	test_grep "errors 0, gaps 0, duplicates 0, hash mismatches 0" soak.out
'
test_done
