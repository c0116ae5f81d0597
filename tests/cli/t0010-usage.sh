#!/bin/sh
# t0010-usage: --help, --version, usage errors and their exit statuses.
. "$(dirname "$0")/lib.sh"

test_expect_success 'help lists every command' '
	"$INVGEN" --help >help &&
	for c in init "order add" "order paid" "seller add" "rates import-ecb" \
	    issue credit show explain; do
		test_grep "invgen $c" help || exit 1
	done
'
test_expect_success 'version' '
	"$INVGEN" --version >v && test_grep "^invgen [0-9]" v
'
test_expect_success 'each command has --help' '
	"$INVGEN" issue --help >h && test_grep "usage: invgen issue ORDER" h &&
	"$INVGEN" order add --help >h && test_grep "all or" h &&
	"$INVGEN" credit --help >h && test_grep "reason" h
'
test_expect_success 'unknown command exits 2' '
	test_must_fail 2 "$INVGEN" frobnicate 2>err &&
	test_grep "unknown command .frobnicate." err
'
test_expect_success 'unknown option exits 2' '
	test_must_fail 2 "$INVGEN" issue X --frob 2>err &&
	test_grep "unknown option" err
'
test_expect_success 'missing argument exits 2 with the usage line' '
	test_must_fail 2 "$INVGEN" issue 2>err &&
	test_grep "usage: invgen issue ORDER" err
'
test_expect_success 'credit needs --reason' '
	test_must_fail 2 "$INVGEN" credit X 2>err && test_grep "reason" err
'
test_expect_success 'credit --amount must be a positive integer' '
	test_must_fail 2 "$INVGEN" credit X --reason r --amount 1.5 2>err &&
	test_grep "minor units" err &&
	test_must_fail 2 "$INVGEN" credit X --reason r --amount -3 2>err
'
test_expect_success 'a missing database is reported with what to do' '
	test_must_fail 3 "$INVGEN" --db nope.db show X 2>err &&
	test_grep "nope.db" err && test_grep "invgen init" err &&
	test ! -e nope.db
'
test_done
