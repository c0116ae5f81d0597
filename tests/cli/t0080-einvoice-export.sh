#!/bin/sh
# t0080-einvoice-export: every sample document exported as UBL and CII
# validates (XSD + EN 16931, + Peppol BIS 3.0 for UBL) with 0 fatal when
# ../shared/einvoice is present, and UBL, CII and the stored document
# agree on totals, VAT, dates and parties.
. "$(dirname "$0")/lib.sh"

build_samples "$scratch/s" >/dev/null 2>build.err
db="$scratch/s/sample.db"
numbers() { "$INVGEN" --db "$db" list --kind invoice,credit_note | sed -n 's/^\([A-Z]*-[0-9]*\) .*/\1/p'; }
x() { xmllint --xpath "$1" "$2" 2>/dev/null; }
json() { jq -r ".$1 // empty" "$2"; }
abs() { echo "$1" | sed 's/^-//'; }

test_expect_success 'the samples are built' 'test -s "$db" && test ! -s build.err'
test_expect_success 'export every document as UBL and CII' '
	numbers >nums && test "$(wc -l <nums)" -ge 19 &&
	"$INVGEN" --db "$db" export ubl $(cat nums) -o x >/dev/null &&
	"$INVGEN" --db "$db" export cii $(cat nums) -o x >/dev/null &&
	test "$(ls x | wc -l)" = $(( 2 * $(wc -l <nums) ))
'
test_expect_success 'exports are byte-identical when repeated' '
	"$INVGEN" --db "$db" export ubl $(cat nums) -o y >/dev/null &&
	"$INVGEN" --db "$db" export cii $(cat nums) -o y >/dev/null &&
	diff -r x y
'
test_expect_success 'validator: 0 fatal for every file' '
	v="$TOP/../shared/einvoice/validate"
	if [ ! -x "$v" ]; then echo "SKIP: shared/einvoice validator not present"; exit 0; fi
	"$v" -q x/*.xml >val.out 2>&1; rc=$?
	cat val.out
	test $rc -eq 0 && ! grep -v ": 0 fatal" val.out | grep -q "fatal"
'
test_expect_success 'UBL, CII and the stored document agree' '
	for n in $(cat nums); do
		"$INVGEN" --db "$db" show "$n" --json >d.json || exit 1
		cp d.json "d-$n.json"
		u=x/$n.ubl.xml c=x/$n.cii.xml
		# one jq for every field: shell assignments, quoted by jq
		eval "$(jq -r "@sh \"tot=\\(.total) vat=\\(.vat) net=\\(.net) date=\\(.issue_date) name=\\(.payer.name)\"" d.json)" &&
		test -n "$date" || { echo "$n: show --json gave no issue_date"; exit 1; }
		tot=$(abs "$tot") vat=$(abs "$vat") net=$(abs "$net")
		ut=$(x "string(//*[local-name()=\"LegalMonetaryTotal\"]/*[local-name()=\"TaxInclusiveAmount\"])" $u)
		un=$(x "string(//*[local-name()=\"LegalMonetaryTotal\"]/*[local-name()=\"TaxExclusiveAmount\"])" $u)
		uv=$(x "string(/*/*[local-name()=\"TaxTotal\"][1]/*[local-name()=\"TaxAmount\"])" $u)
		ud=$(x "string(/*/*[local-name()=\"IssueDate\"])" $u)
		ub=$(x "string(//*[local-name()=\"AccountingCustomerParty\"]//*[local-name()=\"RegistrationName\"])" $u)
		ct=$(x "string(//*[local-name()=\"GrandTotalAmount\"])" $c)
		cn=$(x "string(//*[local-name()=\"TaxBasisTotalAmount\"])" $c)
		cv=$(x "string(//*[local-name()=\"TaxTotalAmount\"][1])" $c)
		cd=$(x "string(//*[local-name()=\"IssueDateTime\"]/*)" $c)
		cb=$(x "string(//*[local-name()=\"BuyerTradeParty\"]/*[local-name()=\"Name\"])" $c)
		for pair in "$tot $ut $ct" "$net $un $cn" "$vat $uv $cv"; do
			set -- $pair
			[ "$1" = "$2" ] && [ "$1" = "$3" ] || {
				echo "$n: amounts differ: stored $1, UBL $2, CII $3"; exit 1; }
		done
		[ "$ud" = "$date" ] && [ "$cd" = "$(echo $date | tr -d -)" ] || {
			echo "$n: dates differ: $date $ud $cd"; exit 1; }
		[ "$ub" = "$name" ] && [ "$cb" = "$name" ] || {
			echo "$n: buyer differs: $name / $ub / $cb"; exit 1; }
	done
'
# The digits of a document's text with every digit-group separator the
# locales use (space, NBSP, narrow NBSP, comma, dot, apostrophe) removed,
# so "1 234,56 €", "€1,234.56" and "1234.56" all read 123456.
pdf_digits() {
	pdftotext -layout "$1" - |
	    sed "s/\xc2\xa0//g; s/\xe2\x80\xaf//g; s/[ ,.']//g"
}
test_expect_success 'the PDF shows the same totals, VAT and parties' '
	for n in $(cat nums); do
		pdf_digits "$scratch/s/pdf/$n.pdf" >digits.txt &&
		pdftotext "$scratch/s/pdf/$n.pdf" - | tr -s " \n" "  " >words.txt
		eval "$(jq -r "@sh \"total=\\(.total) vat=\\(.vat) net=\\(.net) payer=\\(.payer.name) seller=\\(.seller.name)\"" "d-$n.json")" &&
		test -n "$seller" || { echo "$n: no seller in d-$n.json"; exit 1; }
		for a in "total $total" "vat $vat" "net $net"; do
			set -- $a
			v=$(echo "$2" | tr -d ".-")
			grep -q "$v" digits.txt || { echo "$n: $1 $v not in the PDF"; exit 1; }
		done
		for p in "$payer" "$seller"; do
			grep -qF -- "$p" words.txt || { echo "$n: $p not in the PDF"; exit 1; }
		done
	done
'
test_expect_success 'VAT in EUR (BT-111) for the USD invoice' '
	"$INVGEN" --db "$db" show ZLV-000007 --json >d.json &&
	want=$(json vat_eur d.json) &&
	got=$(x "string(/*/*[local-name()=\"TaxTotal\"]/*[local-name()=\"TaxAmount\"][@currencyID=\"EUR\"])" x/ZLV-000007.ubl.xml) &&
	test -n "$want" && test "$got" = "$want"
'
test_expect_success 'reverse charge: AE with both VAT numbers, VATEX-EU-AE' '
	u=x/ZLV-000004.ubl.xml &&
	test "$(x "string((//*[local-name()=\"ClassifiedTaxCategory\"]/*[local-name()=\"ID\"])[1])" $u)" = AE &&
	test "$(x "string(//*[local-name()=\"TaxExemptionReasonCode\"])" $u)" = VATEX-EU-AE &&
	x "//*[local-name()=\"AccountingCustomerParty\"]//*[local-name()=\"CompanyID\"]" $u | grep -q FR40303265045 &&
	x "//*[local-name()=\"AccountingSupplierParty\"]//*[local-name()=\"CompanyID\"]" $u | grep -q LT100018548216
'
test_expect_success 'Factur-X: PDF/A-3b whose factur-x.xml is the CII export' '
	"$INVGEN" --db "$db" export facturx $(cat nums) -o fx >/dev/null &&
	for n in $(cat nums); do
		f=fx/$n.facturx.pdf
		qpdf --check "$f" >q.out 2>&1 || { cat q.out; exit 1; }
		qpdf --list-attachments "$f" | grep -q "^factur-x.xml" || exit 1
		qpdf --show-attachment=factur-x.xml "$f" >emb.xml &&
		cmp emb.xml "x/$n.cii.xml" || { echo "$n: embedded XML differs"; exit 1; }
		for p in "<pdfaid:part>3</pdfaid:part>" \
		    "<pdfaid:conformance>B</pdfaid:conformance>" \
		    "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" \
		    "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>" \
		    "/AFRelationship /Alternative" "/OutputIntents"; do
			grep -aqF "$p" "$f" || { echo "$n: $p missing"; exit 1; }
		done
	done &&
	"$INVGEN" --db "$db" export facturx ZLV-000001 -o fx2 >/dev/null &&
	cmp fx/ZLV-000001.facturx.pdf fx2/ZLV-000001.facturx.pdf &&
	pdftotext fx/ZLV-000001.facturx.pdf - | grep -q ZLV-000001
'
test_expect_success 'before registration: no seller VAT identifier at all' '
	! grep -q LT100018548216 x/ZL-000001.ubl.xml &&
	! grep -q LT100018548216 x/ZL-000001.cii.xml
'
test_done
