#!/bin/sh
# t0180-balance-flows: the prepaid balance under both VAT policies.  The
# sequence top-up -> two purchases from the balance -> termination of the
# first to the balance -> refund of what is left is issued for a
# Lithuanian and a German consumer under at_use and at_top_up; each time
# the VAT of the OSS return, the i.SAF register and the sales report is
# the VAT due on the money kept (21 % or 19 % of the 110.00 of services
# kept), charged once, to the cent; the i.SAF file is valid against
# isaf_1.2.xsd.  Then what each policy refuses: drawing more than a
# top-up has left, refunding more than is left, an order that fits the
# policy badly; and at_top_up's termination of a card-paid subscription
# to the balance (credit note + top-up invoice).
. "$(dirname "$0")/lib.sh"

xsd="$TOP/../shared/domain/isaf/isaf_1.2.xsd"
# seller_json POLICY: the 2025 sample profile with the series of the
# balance documents and the policy.
seller_json() {
	jq ".receipt_series = \"ZLVA\" | .balance_series = \"ZLVB\" |
	    .balance_vat_policy = \"$1\"" "$TOP/samples/seller-2025.json"
}
# order NO COUNTRY ITEM NET METHOD PAID_AT [JQ]
order() {
	post=$2
	[ "$2" = DE ] && post=10115
	cat <<JSON | jq -c "${7:-.}"
{"order_no": "$1", "created_at": "2026-03-01T08:00:00Z", "paid_at": "$6",
 "currency": "EUR", "payment_method": "$5", "language": "en",
 "payer": {"telegram_id": 5001, "name": "Balance Payer",
   "address": {"line1": "Street 1", "city": "Town", "postal_code": "$post"},
   "country": "$2", "is_business": false,
   "evidence": {"card_country": "$2", "ip_country": "$2"}},
 "customer": {"telegram_id": 6001, "username": "@user"},
 "lines": [{"item": "$3", "description": "$3", "quantity": 1,
   "unit_price_minor": $4}]}
JSON
}
run() {
	db=$1 now=$2
	shift 2
	INVGEN_NOW=$now "$INVGEN" --db "$db" --out-dir "$db.out" "$@"
}
# The sequence on database $1 (policy $2, payer country $3).
sequence() {
	db=$1 pol=$2 cc=$3
	"$INVGEN" --db $db init >/dev/null &&
	seller_json $pol >s.json && "$INVGEN" --db $db seller add s.json &&
	order T-1 $cc topup 20000 card 2026-03-02T10:00:00Z |
	    run $db 2026-03-02T10:00:00Z order add - >/dev/null &&
	run $db 2026-03-02T10:05:00Z issue T-1 --json >$db.t1 &&
	top=$(jq -r .number $db.t1) &&
	if [ $pol = at_use ]; then
		d1=. d2=.
	else
		d1=".balance_draws = [{\"invoice\": \"$top\", \"amount_minor\": 10000}]"
		d2=".balance_draws = [{\"invoice\": \"$top\", \"amount_minor\": 5000}]"
	fi &&
	order P-1 $cc softphone 10000 balance 2026-03-03T10:00:00Z "$d1" |
	    run $db 2026-03-03T10:00:00Z order add - >/dev/null &&
	order P-2 $cc softphone 5000 balance 2026-03-04T10:00:00Z "$d2" |
	    run $db 2026-03-04T10:00:00Z order add - >/dev/null &&
	run $db 2026-03-03T10:05:00Z issue P-1 --json >$db.p1 &&
	run $db 2026-03-04T10:05:00Z issue P-2 --json >$db.p2 &&
	run $db 2026-03-10T09:00:00Z terminate "$(jq -r .number $db.p1)" \
	    --unused 4000 --to balance --reason "Cancelled on request" \
	    --json >$db.term
}
# The VAT (EUR) of the three reports of March 2026: OSS, i.SAF, sales.
reports() {
	db=$1
	"$INVGEN" --db $db report oss --quarter 2026Q1 --csv >$db.oss &&
	"$INVGEN" --db $db report sales --from 2026-03-01 --to 2026-03-31 \
	    --csv >$db.sales &&
	INVGEN_NOW=2026-04-01T08:00:00Z "$INVGEN" --db $db export isaf \
	    --month 2026-03 -o $db.isaf.xml >/dev/null &&
	oss=$(awk -F, 'NR > 1 && $2 == "supplies" { s += $7 * 100 }
	    END { printf "%.2f", s / 100 }' $db.oss) &&
	sales=$(awk -F, 'NR > 1 { s += $10 * 100 }
	    END { printf "%.2f", s / 100 }' $db.sales) &&
	isaf=$(xmllint --xpath "sum(//*[local-name()='Amount'])" \
	    $db.isaf.xml) &&
	printf "oss %s isaf %.2f sales %s\n" "$oss" "$isaf" "$sales"
}
isaf_valid() {
	if [ -f "$xsd" ]; then
		xmllint --noout --schema "$xsd" "$1" 2>xsd.err ||
		    { cat xsd.err; return 1; }
	else
		skip "no ../shared/domain/isaf/isaf_1.2.xsd: i.SAF not validated"
	fi
}

for cc in LT DE; do
	rate=21 && [ $cc = DE ] && rate=19
	test_expect_success "at_use, $cc: top-up, two purchases, termination, refund" '
		sequence use$cc.db at_use '$cc' &&
		test "$(jq -r .kind use'$cc'.db.t1)" = prepayment_receipt &&
		test "$(jq -r .vat_minor use'$cc'.db.t1)" = 0 &&
		test "$(jq -r .kind use'$cc'.db.p1)" = invoice &&
		test "$(jq -r .vat_minor use'$cc'.db.p1)" = $((100 * '$rate')) &&
		test "$(jq -r ".documents | length" use'$cc'.db.term)" = 1 &&
		test "$(jq -r ".documents[0].kind" use'$cc'.db.term)" = credit_note &&
		test "$(jq -r ".documents[0].credit_to" use'$cc'.db.term)" = balance &&
		test "$(jq -r ".documents[0].vat_minor" use'$cc'.db.term)" = -$((40 * '$rate')) &&
		# what is left in the balance: 200 - 2 purchases + the credit
		left=$((20000 - 10000 - 100 * '$rate' - 5000 - 50 * '$rate' + 4000 + 40 * '$rate')) &&
		run use'$cc'.db 2026-03-11T09:00:00Z refund \
		    --draw ZLVA-000001=$left --reason "Balance paid back" \
		    --json >use'$cc'.db.ref &&
		test "$(jq -r ".documents[0].kind" use'$cc'.db.ref)" = prepayment_receipt &&
		test "$(jq -r ".documents[0].total_minor" use'$cc'.db.ref)" = -$left &&
		test "$(jq -r ".documents[0].vat_minor" use'$cc'.db.ref)" = 0
	'
	test_expect_success "at_top_up, $cc: the same sequence" '
		sequence top$cc.db at_top_up '$cc' &&
		test "$(jq -r .kind top'$cc'.db.t1)" = invoice &&
		test "$(jq -r .vat_minor top'$cc'.db.t1)" = $((200 * '$rate')) &&
		test "$(jq -r .kind top'$cc'.db.p1)" = balance_use &&
		test "$(jq -r .vat_minor top'$cc'.db.p1)" = 0 &&
		test "$(jq -r ".draws[0].source" top'$cc'.db.p1)" = ZLV-000001 &&
		test "$(jq -r ".draws[0].amount_minor" top'$cc'.db.p1)" = 10000 &&
		test "$(jq -r ".documents[0].kind" top'$cc'.db.term)" = balance_use &&
		test "$(jq -r ".documents[0].total_minor" top'$cc'.db.term)" = -4000 &&
		test "$(jq -r ".documents[0].draws[0].amount_minor" top'$cc'.db.term)" = -4000 &&
		# left on the top-up: 200 - 100 - 50 + 40 (net)
		run top'$cc'.db 2026-03-11T09:00:00Z refund \
		    --draw ZLV-000001=9000 --reason "Balance paid back" \
		    --json >top'$cc'.db.ref &&
		test "$(jq -r ".documents[0].kind" top'$cc'.db.ref)" = credit_note &&
		test "$(jq -r ".documents[0].corrects" top'$cc'.db.ref)" = ZLV-000001 &&
		test "$(jq -r ".documents[0].credit_to" top'$cc'.db.ref)" = refund &&
		test "$(jq -r ".documents[0].vat_minor" top'$cc'.db.ref)" = -$((90 * '$rate'))
	'
done

# VAT kept: 110.00 of services at the payer's rate, in every report where
# the supply belongs (LT: i.SAF PVM1; DE: the OSS return, i.SAF PVM15
# with Amount 0.00), and in the sales report.
test_expect_success 'the VAT of the three reports, LT, both policies' '
	reports useLT.db >useLT.vat && reports topLT.db >topLT.vat &&
	echo "oss 0.00 isaf 23.10 sales 23.10" >want &&
	test_cmp want useLT.vat && test_cmp want topLT.vat
'
test_expect_success 'the VAT of the three reports, DE, both policies' '
	reports useDE.db >useDE.vat && reports topDE.db >topDE.vat &&
	echo "oss 20.90 isaf 0.00 sales 20.90" >want &&
	test_cmp want useDE.vat && test_cmp want topDE.vat
'
test_expect_success 'no document without VAT reaches a report' '
	for db in useLT topLT useDE topDE; do
		! grep -q "ZLVA\|ZLVB" $db.db.isaf.xml &&
		test "$(awk -F, "NR > 1 { n += \$6 } END { print n }" $db.db.sales)" = \
		    "$(sqlite3 $db.db "SELECT count(*) FROM document WHERE kind IN ('\''invoice'\'', '\''credit_note'\'')")" ||
		    exit 1
	done
'
test_expect_success 'the i.SAF registers are valid against isaf_1.2.xsd' '
	for db in useLT topLT useDE topDE; do
		isaf_valid $db.db.isaf.xml || exit 1
	done
'
test_expect_success 'at_top_up: drawing more than a top-up has left is refused' '
	order P-3 LT softphone 100 balance 2026-03-12T10:00:00Z \
	    ".balance_draws = [{\"invoice\": \"ZLV-000001\", \"amount_minor\": 100}]" |
	    run topLT.db 2026-03-12T10:00:00Z order add - >/dev/null &&
	sum=$(db_sum topLT.db) &&
	test_must_fail 1 run topLT.db 2026-03-12T10:05:00Z issue P-3 2>err &&
	test_grep "top-up invoice ZLV-000001 has 0.00 EUR left unspent" err &&
	test "$(db_sum topLT.db)" = "$sum" &&
	test_must_fail 1 run topLT.db 2026-03-12T10:05:00Z refund \
	    --draw ZLV-000001=1 --reason x 2>err &&
	test_grep "has 0.00 EUR left unspent" err &&
	test_must_fail 1 run topLT.db 2026-03-12T10:05:00Z credit ZLV-000001 \
	    --reason x 2>err &&
	test_grep "left unspent" err &&
	test "$(db_sum topLT.db)" = "$sum"
'
test_expect_success 'at_use: refunding more than a source has left is refused' '
	sum=$(db_sum useLT.db) &&
	test_must_fail 1 run useLT.db 2026-03-12T10:05:00Z refund \
	    --draw ZLVA-000001=20000 --reason x 2>err &&
	test_grep "ZLVA-000001 has 13310 minor units left" err &&
	test "$(db_sum useLT.db)" = "$sum" &&
	# a credit note credited to the balance brought 48.40 into it
	test_must_fail 1 run useLT.db 2026-03-12T10:05:00Z refund \
	    --draw ZLVK-000001=4841 --reason x 2>err &&
	test_grep "ZLVK-000001 has 4840 minor units left" err &&
	run useLT.db 2026-03-12T10:05:00Z refund --draw ZLVK-000001=4840 \
	    --reason x --json >r2.json &&
	test "$(jq -r ".documents[0].draws[0].source_kind" r2.json)" = credit_note &&
	test_must_fail 1 run useLT.db 2026-03-12T10:06:00Z refund \
	    --draw ZLVK-000001=1 --reason x 2>err &&
	test_grep "ZLVK-000001 has 0 minor units left" err &&
	test_must_fail 1 run useLT.db 2026-03-12T10:06:00Z refund \
	    --draw ZLV-000002=1 --reason x 2>err &&
	test_grep "ZLV-000002 (kind invoice) brought no money into the balance" err
'
test_expect_success 'orders the policy cannot take are refused at issue' '
	order X-1 LT softphone 100 balance 2026-03-12T10:00:00Z \
	    ".balance_draws = [{\"invoice\": \"ZLV-000001\", \"amount_minor\": 100}]" |
	    run useLT.db 2026-03-12T10:00:00Z order add - >/dev/null &&
	test_must_fail 1 run useLT.db 2026-03-12T10:05:00Z issue X-1 2>err &&
	test_grep "balance_draws: under the seller.s balance VAT policy at_use" err &&
	order X-2 LT topup 100 card 2026-03-12T10:00:00Z \
	    ".lines += [{\"item\": \"softphone\", \"description\": \"s\", \"quantity\": 1, \"unit_price_minor\": 100}]" |
	    run useLT.db 2026-03-12T10:00:00Z order add - >/dev/null &&
	test_must_fail 1 run useLT.db 2026-03-12T10:05:00Z issue X-2 2>err &&
	test_grep "mixes top-up lines with others" err &&
	order X-3 LT softphone 100 balance 2026-03-12T10:00:00Z |
	    run topLT.db 2026-03-12T10:00:00Z order add - >/dev/null &&
	test_must_fail 1 run topLT.db 2026-03-12T10:05:00Z issue X-3 2>err &&
	test_grep "must say which top-up invoices it draws on" err &&
	order X-4 LT topup 100 balance 2026-03-12T10:00:00Z |
	    run topLT.db 2026-03-12T10:00:00Z order add - >/dev/null &&
	test_must_fail 1 run topLT.db 2026-03-12T10:05:00Z issue X-4 2>err &&
	test_grep "cannot be paid from the balance" err
'
test_expect_success 'at_top_up: a card-paid subscription terminated to the balance' '
	order C-1 LT softphone 12000 card 2026-03-12T10:00:00Z |
	    run topLT.db 2026-03-12T10:00:00Z order add - >/dev/null &&
	run topLT.db 2026-03-12T10:05:00Z issue C-1 --json >c1.json &&
	run topLT.db 2026-03-20T10:00:00Z terminate "$(jq -r .number c1.json)" \
	    --unused 3000 --to balance --reason "Cancelled" --json >c1t.json &&
	test "$(jq -r ".documents | map(.kind) | join(\",\")" c1t.json)" = \
	    credit_note,invoice &&
	test "$(jq -r ".documents[0].vat_minor" c1t.json)" = -630 &&
	test "$(jq -r ".documents[1].vat_minor" c1t.json)" = 630 &&
	test "$(jq -r ".documents[1].lines[0].item" c1t.json)" = topup &&
	bal=$(jq -r ".documents[1].number" c1t.json) &&
	test "$(jq -r ".documents[1].balance_credit_of" c1t.json)" = \
	    "$(jq -r ".documents[0].number" c1t.json)" &&
	pdftotext "$(jq -r ".documents[1].path" c1t.json)" bal.txt &&
	test_grep "credited with the unused part" bal.txt &&
	pdftotext "$(jq -r ".documents[0].path" c1t.json)" cn.txt &&
	test_grep "credited to the payer.s prepaid balance" cn.txt &&
	order C-2 LT softphone 3000 balance 2026-03-21T10:00:00Z \
	    ".balance_draws = [{\"invoice\": \"$bal\", \"amount_minor\": 3000}]" |
	    run topLT.db 2026-03-21T10:00:00Z order add - >/dev/null &&
	run topLT.db 2026-03-21T10:05:00Z issue C-2 --json >c2.json &&
	test "$(jq -r .kind c2.json)" = balance_use &&
	pdftotext "$(jq -r .path c2.json)" c2.txt &&
	test_grep "Payment from prepaid" c2.txt &&
	test_grep "This document is not a VAT invoice" c2.txt &&
	test_grep "from top-up invoice $bal" c2.txt &&
	test_grep "VAT 21% invoiced there" c2.txt
'
test_expect_success 'at_top_up: a purchase from the balance terminated for a refund' '
	run topDE.db 2026-03-20T10:00:00Z terminate ZLVB-000002 --unused 1000 \
	    --to refund --reason "Refund" --json >r.json &&
	test "$(jq -r ".documents | map(.kind) | join(\",\")" r.json)" = \
	    balance_use,credit_note &&
	test "$(jq -r ".documents[1].vat_minor" r.json)" = -190 &&
	test_must_fail 1 run topDE.db 2026-03-20T10:00:00Z terminate ZLVB-000002 \
	    --unused 5000 --to refund --reason "Refund" 2>err &&
	test_grep "ZLVB-000002 has 40.00 EUR left to return" err
'
test_expect_success 'a top-up is not a subscription to terminate' '
	test_must_fail 1 run topLT.db 2026-03-20T10:00:00Z terminate ZLV-000001 \
	    --unused 100 --to balance --reason x 2>err &&
	test_grep "tops up the balance" err &&
	test_must_fail 1 run useLT.db 2026-03-20T10:00:00Z terminate ZLVA-000001 \
	    --unused 100 --to balance --reason x 2>err &&
	test_grep "prepayment_receipt" err
'
test_done
