#!/bin/sh
# t0203-readme: the README's examples run as written.  The block under
# "The demo" is exactly what samples/demo.sh (`make demo`) prints, and
# the bot's view under "Command line" is a transcript: every "$ " line is
# run in an empty folder (with the order of "Orders in: the JSON shape"
# as order.json) and what it prints, stdout and stderr, must be the lines
# that follow it.
. "$(dirname "$0")/lib.sh"

readme="$TOP/README.md"
# block HEADING START: the lines of the first ``` block after the line
# START (a fixed string) in the section HEADING.
block() {
	sed -n "/^$1\$/,/^## /p" "$readme" | sed -n "/$2/,\$p" |
	    sed -n '/^```/,/^```$/p' | sed '1d' | sed '/^```$/,$d'
}

test_expect_success 'the demo prints what the README shows' '
	block "## The demo" "After the build it prints" >want && test -s want &&
	sh "$TOP/samples/demo.sh" "$scratch/demo" >out 2>err &&
	sed "s|build/test-scratch/t0203-readme/demo|build/demo|g" out >got &&
	test_cmp want got
'
test_expect_success 'the bot'\''s view runs as written' '
	mkdir bot && cd bot && ln -s "$TOP/samples" samples &&
	block "## Orders in: the JSON shape" "^## Orders in" >order.json &&
	jq -e ".order_no == \"A-1001\"" order.json >/dev/null &&
	block "## Command line" "the bot.s view" >want && test -s want &&
	awk "/^\\\$ / { n++; c = substr(\$0, 3)
		print \"cat <<'\''X\" n \"'\''\"; print \$0; print \"X\" n
		print \"{ \" c \"; } 2>&1\" }" want >run.sh &&
	test "$(grep -c "^cat <<" run.sh)" -ge 6 &&
	(invgen() { "$INVGEN" "$@"; }
	 unset INVGEN_DB INVGEN_NOW INVGEN_OUT_DIR
	 . ./run.sh) >got &&
	test_cmp want got
'
test_done
