#!/bin/sh
# t0070-einvoice-samples: the UBL and CII writers' own sample snapshots
# (one per VAT treatment, credit notes, hostile text) validated with the
# shared EN 16931 / Peppol validator (tests/einvoice/validate.sh), which
# prints SKIP when ../shared/einvoice is not there.
. "$(dirname "$0")/lib.sh"

test_expect_success 'UBL and CII samples validate with 0 fatal' '
	sh "$TOP/tests/einvoice/validate.sh" >v.out 2>&1; rc=$?
	cat v.out; test $rc -eq 0
'
test_done
