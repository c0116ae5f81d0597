#!/bin/sh
# t0060-vatid-oracle: cross-checks the VAT-number validator against
# python-stdnum on 20,000 generated numbers (tests/unit/vatid-oracle.sh);
# prints SKIP when python3-stdnum is not installed.
. "$(dirname "$0")/lib.sh"

test_expect_success 'vatid agrees with python-stdnum' '
	sh "$TOP/tests/unit/vatid-oracle.sh" "$TOP/build/san/test-vatid" >oracle 2>&1;
	rc=$?; cat oracle; grep "^SKIP" oracle; test $rc -eq 0
'
test_done
