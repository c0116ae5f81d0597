#!/bin/sh
# t0160-filing-reports: the accountant's monthly filing set on the sample
# data.  For every month of the samples `report vat-return` (FR0600 boxes)
# and `report ec-sales` (FR0564 rows) print what the golden files in
# tests/golden/report/ hold; in every month box 11, box 29 and box 20
# equal the PVM1/PVM15 totals of the i.SAF files the program exports
# (read with xmllint, taken by VATPointDate, else InvoiceDate, and
# validated against shared/domain/isaf when the XSD is there) and box 20's
# reverse-charge part equals the FR0564 total; CSV and JSON carry the same
# figures; a month before the VAT registration has no return; a changed
# figure in the database is reported as a MISMATCH with exit status 1.
# INVGEN_UPDATE_GOLDEN=1 rewrites the two golden files.
. "$(dirname "$0")/lib.sh"

build_samples "$scratch/s" >/dev/null 2>build.err
db="$scratch/s/sample.db"
golden="$TOP/tests/golden/report"
months="2025-07 2025-08 2025-09 2025-10 2025-11 2025-12 2026-01 2026-02
	2026-03 2026-04"
run() { "$INVGEN" --db "$db" "$@"; }

test_expect_success 'samples build' '
	test -s "$db" && test ! -s build.err
'

test_expect_success 'every sample month: both reports as in the golden files' '
	: >vr.txt && : >ec.txt &&
	for m in $months; do
		run report vat-return --month $m >>vr.txt &&
		echo >>vr.txt &&
		run report ec-sales --month $m >>ec.txt &&
		echo >>ec.txt || exit 1
	done &&
	if [ -n "${INVGEN_UPDATE_GOLDEN:-}" ]; then
		cp vr.txt "$golden/samples-vat-return.txt" &&
		cp ec.txt "$golden/samples-ec-sales.txt"
	fi &&
	test_cmp "$golden/samples-vat-return.txt" vr.txt &&
	test_cmp "$golden/samples-ec-sales.txt" ec.txt
'

# The i.SAF registers of every month, as the program exports them.
xsd=$(ls "$TOP"/../shared/domain/isaf/*.xsd 2>/dev/null | head -n 1)
test_expect_success 'the i.SAF files of the sample months are valid' '
	for m in $months; do
		INVGEN_NOW=2026-04-01T08:00:00Z run export isaf --month $m \
		    -o isaf-$m.xml >/dev/null || exit 1
		if [ -n "$xsd" ]; then
			xmllint --noout --schema "$xsd" isaf-$m.xml 2>x.err ||
			    { cat x.err; exit 1; }
		else
			xmllint --noout isaf-$m.xml || exit 1
		fi
	done
'
[ -n "$xsd" ] || skip "i.SAF XSD not in shared/domain/isaf: the i.SAF files were checked for well-formedness only"

# The Invoice elements of every exported i.SAF file in one document
# (xmllint prints them; the wrapper declares the xsi prefix of their nil
# attributes), so that one XPath sees them all.
ln() { printf "*[local-name()='%s']" "$1"; }
all_invoices() {
	echo '<all xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' &&
	for f in isaf-*.xml; do
		xmllint --xpath "//$(ln Invoice)" "$f" 2>/dev/null
		echo
	done &&
	echo '</all>'
}
# isaf_cents MONTH CODE ELEMENT: euro cents of ELEMENT (TaxableValue or
# Amount) of the DocumentTotals with TaxCode CODE, over every exported
# i.SAF file, of the Invoice elements whose VATPointDate, else
# InvoiceDate, is in MONTH.
isaf_cents() {
	inv="//$(ln Invoice)[starts-with($(ln VATPointDate), '$1') or ($(ln VATPointDate)/@*[local-name()='nil'] = 'true' and starts-with($(ln InvoiceDate), '$1'))]"
	xmllint --xpath "round(100 * sum($inv//$(ln DocumentTotal)[$(ln TaxCode) = '$2']/$(ln "$3")))" all.xml
}
# cents JSON-FILE JQ-EXPRESSION: an amount of a report, in cents.
cents() { jq -r "($2) * 100 | round" "$1"; }

test_expect_success 'boxes 11, 29, 20 equal the i.SAF totals by VAT point date' '
	all_invoices >all.xml &&
	[ "$(xmllint --xpath "count(//$(ln Invoice))" all.xml)" = 31 ] &&
	for m in $months; do
		run report vat-return --month $m --json >vr-$m.json &&
		run report ec-sales --month $m --json >ec-$m.json || exit 1
		b11=$(cents vr-$m.json ".boxes[] | select(.box == 11) | .eur")
		b20=$(cents vr-$m.json ".boxes[] | select(.box == 20) | .eur")
		b29=$(cents vr-$m.json ".boxes[] | select(.box == 29) | .eur")
		rc=$(cents vr-$m.json ".box20_parts.reverse_charge")
		ec=$(cents ec-$m.json ".total_eur")
		i11=$(isaf_cents $m PVM1 TaxableValue) &&
		i29=$(isaf_cents $m PVM1 Amount) &&
		i20=$(isaf_cents $m PVM15 TaxableValue) || exit 1
		echo "$m: 11 $b11/$i11 29 $b29/$i29 20 $b20/$i20 rc $rc/$ec"
		[ "$b11" = "$i11" ] && [ "$b29" = "$i29" ] &&
		[ "$b20" = "$i20" ] && [ "$rc" = "$ec" ] || exit 1
	done &&
	# not all zero: the samples reach every box somewhere
	[ "$(cents vr-2025-08.json ".boxes[0].eur")" = 17400 ] &&
	[ "$(cents vr-2025-08.json ".boxes[2].eur")" = 3654 ] &&
	[ "$(cents vr-2026-02.json ".box20_parts.reverse_charge")" = 708000 ]
'

test_expect_success 'CSV and JSON carry the figures of the text' '
	run report vat-return --month 2025-08 --csv >vr.csv &&
	cat >want.csv <<-\EOF &&
	month,box,part,eur,whole_eur
	2025-08,11,,174.00,174
	2025-08,20,,0.00,0
	2025-08,20,reverse_charge,0.00,
	2025-08,20,outside_eu,0.00,
	2025-08,20,oss,0.00,
	2025-08,29,,36.54,37
	EOF
	test_cmp want.csv vr.csv &&
	run report ec-sales --month 2026-02 --csv >ec.csv &&
	cat >want.csv <<-\EOF &&
	month,row,member_state,vat_number,customer,services_eur,services_whole_eur
	2026-02,1,NL,004495445B01,Van der Berg Telecom Solutions B.V.,7080.00,7080
	EOF
	test_cmp want.csv ec.csv &&
	jq -e ".form == \"FR0600\" and .check.agrees and
	    (.documents | length) == 2 and .from == \"2025-08-01\"" \
	    vr-2025-08.json >/dev/null &&
	jq -e ".rows[0].full_vat_number == \"NL004495445B01\" and
	    .rows[0].documents == [\"ZLV-000015\"]" ec-2026-02.json >/dev/null
'

test_expect_success 'no VAT return before the VAT registration' '
	for m in 2024-11 2025-03 2025-06; do
		test_must_fail 1 run report vat-return --month $m >out 2>err &&
		test_grep "not VAT-registered" err && test ! -s out &&
		test_must_fail 1 run report ec-sales --month $m --csv >out 2>err &&
		test_grep "no FR0564" err && test ! -s out || exit 1
	done
'

test_expect_success 'usage and malformed months' '
	test_must_fail 2 run report vat-return 2>err &&
	test_grep "month YYYY-MM is required" err &&
	test_must_fail 2 run report ec-sales --month 2025-08 --csv --json 2>err &&
	test_must_fail 1 run report vat-return --month 2025-13 2>err &&
	test_grep "YYYY-MM" err &&
	run report vat-return --help >help &&
	test_grep "FR0600" help
'

test_expect_success 'a changed figure is reported, never hidden' '
	# Copies whose documents can be changed (issuing forbids it).
	for c in t u; do
		cp "$db" $c.db &&
		sqlite3 $c.db "DROP TRIGGER document_immutable_u" || exit 1
	done &&
	# The stored VAT of an invoice no longer matches its VAT row (which
	# i.SAF reads): box 29 of August differs from the PVM1 Amount.
	sqlite3 t.db "UPDATE document SET vat_minor = vat_minor + 1
	    WHERE number = '\''ZLV-000001'\''" &&
	test_must_fail 1 "$INVGEN" --db t.db report vat-return --month 2025-08 \
	    >out 2>err &&
	test_grep "^MISMATCH: box 29 36.55 differs from the i.SAF PVM1 Amount 36.54" out &&
	test_grep "box 29 = PVM1 Amount  *36.55  *36.54  MISMATCH" out &&
	test_grep "does not agree" err &&
	test_must_fail 1 "$INVGEN" --db t.db report vat-return --month 2025-08 \
	    --json >out.json 2>err &&
	jq -e ".check.agrees == false and (.check.mismatches | length) == 1" \
	    out.json >/dev/null &&
	# A credit note whose VAT point is not its issue month: the return
	# takes it by issue date, the register by VATPointDate.
	sqlite3 u.db "UPDATE document SET tax_point_date = '\''2025-11-30'\''
	    WHERE number = '\''ZLVK-000001'\''" &&
	test_must_fail 1 "$INVGEN" --db u.db report vat-return --month 2025-10 \
	    >out 2>err &&
	test_grep "^MISMATCH: box 20 212.88 differs from the i.SAF PVM15 TaxableValue 239.88" out &&
	"$INVGEN" --db "$db" report vat-return --month 2025-10 >out &&
	test_grep "^Result: the return agrees" out
'

test_done
