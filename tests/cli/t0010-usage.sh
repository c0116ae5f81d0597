#!/bin/sh
# t0010-usage: --help, --version, usage errors and their exit statuses.
. "$(dirname "$0")/lib.sh"

test_expect_success 'version' '
	"$INVGEN" --version >v && test_grep "^invgen [0-9]" v
'
test_expect_success 'each command has --help' '
	"$INVGEN" issue --help >h && test_grep "usage: invgen issue ORDER" h &&
	"$INVGEN" order add --help >h && test_grep "all or" h &&
	"$INVGEN" credit --help >h && test_grep "reason" h
'
# The command names, from the usage lines of `invgen help`: "order add",
# "issue", "export".
"$INVGEN" help 2>/dev/null |
    sed -n "s/^  invgen \([a-z-]*\)\( \([a-z][a-z-]*\)\)\{0,1\}\( .*\)\{0,1\}$/\1 \3/p" |
    sed "s/ *$//" >names
test_expect_success 'invgen help is invgen --help, and lists every command' '
	"$INVGEN" help >help && "$INVGEN" --help >help2 && test_cmp help help2 &&
	for c in init "order add" "order paid" "seller add" "rates import-ecb" \
	    issue credit transfer-order "payment match" export "report oss" \
	    "report sales" "export isaf" render verify batch show list \
	    explain serve help; do
		grep -qx "$c" names || { echo "missing: $c" >&2; exit 1; }
	done
'
test_expect_success 'help COMMAND and COMMAND --help, for every command' '
	while read -r c; do
		"$INVGEN" help $c >a && "$INVGEN" $c --help >b && test_cmp a b &&
		first=$(echo "$c" | cut -d" " -f1) &&
		test_grep "^usage: invgen $first" a &&
		sed "1,/^\$/d" a | grep -q . &&
		! awk "length > 79 { print FILENAME \": \" \$0; bad = 1 }
		    END { exit !bad }" a || exit 1
	done <names
'
test_expect_success 'help of a group lists each of its commands' '
	for g in order report payment seller rates export; do
		"$INVGEN" $g --help >a && "$INVGEN" help $g >b && test_cmp a b &&
		grep "^  invgen $g " help | sed "s/^  /usage: /" >want &&
		test -s want && grep "^usage: " a | sort >got &&
		sort want | comm -23 - got >missing && test_cmp /dev/null missing ||
		exit 1
	done &&
	"$INVGEN" order --help >a && test_grep "usage: invgen order paid" a &&
	test_grep "Record when the payment" a
'
test_expect_success 'a group without its command, or an unknown one, exits 2' '
	test_must_fail 2 "$INVGEN" order 2>err &&
	test_grep "order: which command" err &&
	test_grep "invgen order add" err &&
	test_must_fail 2 "$INVGEN" rates frob 2>err &&
	test_grep "unknown command .rates frob." err &&
	test_grep "invgen rates import-ecb" err &&
	test_must_fail 2 "$INVGEN" help frob 2>err &&
	test_grep "unknown command .frob." err &&
	test_must_fail 2 "$INVGEN" frob --help 2>err
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
