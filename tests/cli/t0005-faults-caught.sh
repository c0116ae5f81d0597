#!/bin/sh
# t0005-faults-caught: the suite can fail where it matters.  Each case
# plants one fault and runs the test script that guards against it, in
# a scratch folder of its own; the script must fail, and on the check
# that names the fault.  The faults are planted where it is cheap:
#   - in the database: the triggers that keep issued documents immutable
#     are dropped after every command (a wrapper around $INVGEN);
#   - through INVGEN_FAULT, a switch only the test build has
#     (gen/base/fault.h): the VAT rate lookup returns another rate, a
#     credit note may exceed its invoice, a rendered PDF has one byte
#     flipped.
# The release program must not know the switch at all.
. "$(dirname "$0")/lib.sh"

# caught VAR=VALUE SCRIPT TITLE: tests/cli/SCRIPT.sh, run with the fault
# VAR=VALUE plants, fails, and "TITLE" is among its failed checks.
caught() {
	log="$scratch/$2.$ntests.run"
	env "$1" TEST_SCRATCH_ROOT="$scratch/runs" sh "$TOP/tests/cli/$2.sh" \
	    >"$log" 2>&1
	st=$?
	if [ $st -eq 0 ] || ! grep -q "^not ok [0-9]* - $3" "$log"; then
		echo "$2 with $1 (exit $st) did not fail on '$3':" >&2
		grep "^ok\|^not ok" "$log" >&2
		return 1
	fi
}

test_expect_success 'the switch is in the test build, not in the release program' '
	grep -q INVGEN_FAULT "$INVGEN" &&
	test -x "$INVGEN_REL" && ! grep -q INVGEN_FAULT "$INVGEN_REL"
'

# The wrapper: the real program, then the immutability triggers dropped
# from the database it was given.
cat >drop-triggers <<EOF
#!/bin/sh
"$INVGEN" "\$@"
st=\$?
db=
while [ \$# -gt 0 ]; do
	[ "\$1" = --db ] && db=\$2
	shift
done
if [ -f "\$db" ]; then
	for t in \$(sqlite3 "\$db" "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%immutable%'"); do
		sqlite3 "\$db" "DROP TRIGGER \$t" || exit 99
	done
fi
exit \$st
EOF
chmod +x drop-triggers

test_expect_success 'immutability triggers dropped: t0020 fails' '
	caught INVGEN="$scratch/drop-triggers" t0020-init \
	    "issued documents are immutable: UPDATE document refused"
'
test_expect_success 'the VAT rate lookup returns another rate: t0040 fails' '
	caught INVGEN_FAULT=vat-rate t0040-issue \
	    "a German consumer gets German VAT through the OSS"
'
test_expect_success 'a credit note may exceed its invoice: t0040 fails' '
	caught INVGEN_FAULT=credit-limit t0040-issue \
	    "a partial credit, then the rest; never more"
'
test_expect_success 'one byte of every rendered PDF flipped: t0095 fails' '
	caught INVGEN_FAULT=pdf-byte t0095-v1-fixture \
	    "every document of the earlier release verifies byte for byte"
'
test_done
