#!/bin/sh
# t0100-hostile-amounts: quantities, prices, discounts, options and ids at
# and past their limits and past int64.  Out-of-range numbers,
# numbers in the wrong form and amounts that could overflow 64-bit minor
# units with VAT are refused when the order is added, naming the field,
# with the database unchanged; the largest accepted amounts are issued
# exactly (checked against Python's integers), written as well-formed
# UBL and CII with the same totals, and shown whole in the PDF.  Credit
# note amounts get the same treatment.
hostile_lib=$(cd "$(dirname "$0")" && pwd)/hostile-lib.sh
. "$(dirname "$0")/lib.sh"
. "$hostile_lib"

hostile_db t.db

# Each bad input: the sed expression that breaks a good order, "|", the
# message fragment (grep pattern) naming the field and what is allowed.
while IFS='|' read -r expr fragment; do
	test_expect_success "refused: $expr" "
		consumer_order B-1 DE EUR 2025-08-14T10:25:00Z | sed '$expr' >bad.json &&
		must_refuse t.db bad.json \"$fragment\"
	"
done <<'CASES'
s/"quantity": 1/"quantity": 0/|lines.0..quantity: must be an integer between 1 and 1000000
s/"quantity": 1/"quantity": -1/|lines.0..quantity: must be an integer between 1 and 1000000
s/"quantity": 1/"quantity": 1000001/|lines.0..quantity: must be an integer between 1 and 1000000
s/"quantity": 1/"quantity": 1.0/|lines.0..quantity: .*(no decimal point or exponent)
s/"quantity": 1/"quantity": 1e0/|lines.0..quantity: .*(no decimal point or exponent)
s/"quantity": 1/"quantity": 1e400/|lines.0..quantity: .*(no decimal point or exponent)
s/"quantity": 1/"quantity": "1"/|lines.0..quantity: .*, not a string
s/"quantity": 1/"quantity": true/|lines.0..quantity: .*, not true
s/"quantity": 1/"quantity": null/|lines.0..quantity: missing
s/"unit_price_minor": 12000/"unit_price_minor": -1/|lines.0..unit_price_minor: must be an integer between 0 and 9223372036854775807
s/"unit_price_minor": 12000/"unit_price_minor": -9223372036854775808/|lines.0..unit_price_minor: must be an integer between 0 and 9223372036854775807
s/"unit_price_minor": 12000/"unit_price_minor": 9223372036854775808/|lines.0..unit_price_minor: must be an integer between 0 and 9223372036854775807
s/"unit_price_minor": 12000/"unit_price_minor": 18446744073709551616/|lines.0..unit_price_minor: must be an integer between 0 and 9223372036854775807
s/"unit_price_minor": 12000/"unit_price_minor": 120.5/|lines.0..unit_price_minor: .*(no decimal point or exponent)
s/"unit_price_minor": 12000/"unit_price_minor": 1e19/|lines.0..unit_price_minor: .*(no decimal point or exponent)
s/"unit_price_minor": 12000/"unit_price_minor": 9223372036854775807/|lines.0.: order total with VAT: sum overflows the 64-bit range
s/"unit_price_minor": 12000/"unit_price_minor": 4611686018427387904/|lines.0.: order total with VAT: sum overflows the 64-bit range
s/"quantity": 1, "unit_price_minor": 12000/"quantity": 1000000, "unit_price_minor": 9223372036855/|lines.0.: quantity x unit_price_minor: amount overflows the 64-bit range
s/"period_months": 12,/"period_months": 12, "discount_percent": 100.01,/|lines.0..discount_percent: must be a number from 0 to 100 with at most 2 decimals
s/"period_months": 12,/"period_months": 12, "discount_percent": -1,/|lines.0..discount_percent: must be a number from 0 to 100
s/"period_months": 12,/"period_months": 12, "discount_percent": 0.005,/|lines.0..discount_percent: .*at most 2 decimals
s/"period_months": 12,/"period_months": 12, "discount_percent": "10",/|lines.0..discount_percent: must be a number
s/"period_months": 12,/"period_months": 12, "discount_percent": 1e400,/|lines.0..discount_percent: must be a number
s/"period_months": 12/"period_months": 0/|lines.0..period_months: must be an integer between 1 and 120
s/"period_months": 12/"period_months": 121/|lines.0..period_months: must be an integer between 1 and 120
s/"period_months": 12,/"period_months": 12, "options": {"sip_accounts": 0},/|lines.0..options.sip_accounts: must be an integer between 1 and 10000
s/"period_months": 12,/"period_months": 12, "options": {"sip_accounts": 10001},/|lines.0..options.sip_accounts: must be an integer between 1 and 10000
s/"period_months": 12,/"period_months": 12, "options": {"call_recording_days": 3651},/|lines.0..options.call_recording_days: must be an integer between 1 and 3650
s/"period_months": 12,/"period_months": 12, "options": {"gateway_lines": 1001},/|lines.0..options.gateway_lines: must be an integer between 1 and 1000
s/"telegram_id": 5001/"telegram_id": 0/|payer.telegram_id: must be an integer between 1 and 9223372036854775807
s/"telegram_id": 5001/"telegram_id": 9223372036854775808/|payer.telegram_id: must be an integer between 1 and 9223372036854775807
s/"telegram_id": 6001/"telegram_id": -1/|customer.telegram_id: must be an integer between 1 and 9223372036854775807
CASES

test_expect_success 'refused: 500 lines whose sum overflows; 501 lines' '
	consumer_order B-2 DE EUR 2025-08-14T10:25:00Z |
	    jq ".lines = [range(500) as \$i | .lines[0] | .unit_price_minor = \"P\"]" |
	    sed "s/\"P\"/100000000000000000/" >bad.json &&
	must_refuse t.db bad.json "lines.0.: the order.s net amount .* is over the allowed maximum" &&
	consumer_order B-2 DE EUR 2025-08-14T10:25:00Z |
	    jq ".lines = [range(501) as \$i | .lines[0]]" >bad.json &&
	must_refuse t.db bad.json "lines: must be an array of 1 to 500 lines"
'

# Python's integers are the oracle for the exact amounts.
py() { python3 -c "$1"; }

test_expect_success 'one minor unit over the documented maximum (5 x 10^12) is refused' '
	consumer_order B-9 DE EUR 2025-08-14T10:25:00Z |
	    sed "s/\"unit_price_minor\": 12000/\"unit_price_minor\": 5000000000001/" >bad.json &&
	must_refuse t.db bad.json "lines.0.: the order.s net amount 5000000000001 minor units is over the allowed maximum of 5000000000000"
'
test_expect_success 'the largest allowed price is accepted and issued exactly' '
	consumer_order L-1 DE EUR 2025-08-14T10:25:00Z |
	    sed "s/\"unit_price_minor\": 12000/\"unit_price_minor\": 5000000000000/" >l1.json &&
	"$INVGEN" --db t.db order add l1.json >/dev/null &&
	issue_json t.db L-1 l1.out &&
	want=$(py "n = 5000000000000; v = (n * 1900 + 5000) // 10000; print(n, v, n + v)") &&
	sqlite3 t.db "SELECT net_minor, vat_minor, total_minor FROM document WHERE number = '\''$(jq -r .number l1.out)'\''" | tr "|" " " >got.db &&
	echo "$want" >want.db &&
	test_cmp want.db got.db &&
	test "$(jq -r .total l1.out)" = "$(py "t = $(echo $want | cut -d" " -f3); print(\"%d.%02d\" % divmod(t, 100))")"
'
num=$(jq -r .number l1.out 2>/dev/null)
test_expect_success 'the largest invoice: UBL and CII carry the exact totals' '
	exports_ok t.db "$num" &&
	total=$(jq -r .total l1.out) &&
	test "$(xml_string "x/$num.ubl.xml" "//*[local-name()=\"TaxInclusiveAmount\"]")" = "$total" &&
	test "$(xml_string "x/$num.cii.xml" "//*[local-name()=\"GrandTotalAmount\"]")" = "$total" &&
	test "$(xml_string "x/$num.ubl.xml" "//*[local-name()=\"LegalMonetaryTotal\"]/*[local-name()=\"TaxExclusiveAmount\"]")" = "$(jq -r .net l1.out)"
'
test_expect_success 'the largest invoice: the PDF keeps its layout' '
	pdf=$(pdf_of l1.out) &&
	pdf_layout_ok "$pdf"
'
test_expect_success 'the largest invoice: every amount in the PDF is whole, on one line' '
	pdf=$(pdf_of l1.out) &&
	for a in "$(jq -r .net l1.out)" "$(jq -r .vat l1.out)" "$(jq -r .total l1.out)"; do
		grouped=$(py "i, f = \"$a\".split(\".\"); print(\"{:,}.{}\".format(int(i), f))")
		pdf_amount_whole "$pdf" "$grouped" || exit 1
	done
'
test_expect_success 'a 10-million invoice (1000 x 9,999.99): every amount is whole, on one line' '
	consumer_order L-2 DE EUR 2025-08-14T10:25:00Z |
	    sed "s/\"quantity\": 1, \"unit_price_minor\": 12000/\"quantity\": 1000, \"unit_price_minor\": 999999/" >l2.json &&
	"$INVGEN" --db t.db order add l2.json >/dev/null &&
	issue_json t.db L-2 l2.out &&
	pdf=$(pdf_of l2.out) &&
	for a in 9,999,990.00 1,899,998.10 11,899,988.10; do
		pdf_amount_whole "$pdf" "$a" || exit 1
	done
'
test_expect_success 'quantity 1000000 and a JPY price: issued exactly' '
	consumer_order L-3 US JPY 2025-08-14T10:25:00Z |
	    sed "s/\"quantity\": 1, \"unit_price_minor\": 12000/\"quantity\": 1000000, \"unit_price_minor\": 4999999/" >l3.json &&
	"$INVGEN" --db t.db order add l3.json >/dev/null &&
	issue_json t.db L-3 l3.out &&
	test "$(jq -r .total l3.out)" = 4999999000000 &&
	test "$(jq -r .currency_digits l3.out)" = 0 &&
	exports_ok t.db "$(jq -r .number l3.out)"
'
test_expect_success 'a free line (price 0) and a 100 % discount: a zero invoice, well-formed' '
	consumer_order Z-1 DE EUR 2025-08-14T10:25:00Z |
	    sed "s/\"unit_price_minor\": 12000/\"unit_price_minor\": 0/" >z1.json &&
	consumer_order Z-2 DE EUR 2025-08-14T10:25:00Z |
	    sed "s/\"period_months\": 12,/\"period_months\": 12, \"discount_percent\": 100,/" >z2.json &&
	"$INVGEN" --db t.db order add z1.json >/dev/null &&
	"$INVGEN" --db t.db order add z2.json >/dev/null &&
	issue_json t.db Z-1 z1.out && issue_json t.db Z-2 z2.out &&
	test "$(jq -r .total z1.out)" = 0.00 && test "$(jq -r .total z2.out)" = 0.00 &&
	exports_ok t.db "$(jq -r .number z1.out)" &&
	exports_ok t.db "$(jq -r .number z2.out)"
'
test_expect_success 'discounts in any exact JSON form: 1e2 is 100 %, 1E-2 is 0.01 %, 33.330e0 is 33.33 %' '
	for d in 1e2:10000 1E-2:1 33.330e0:3333 -0:0; do
		n=${d%%:*} bp=${d#*:}
		consumer_order "DC-$bp" DE EUR 2025-08-14T10:25:00Z |
		    sed "s/\"period_months\": 12,/\"period_months\": 12, \"discount_percent\": $n,/" >d.json &&
		"$INVGEN" --db t.db order add d.json >/dev/null &&
		test "$(sqlite3 t.db "SELECT discount_bp FROM order_line JOIN orders ON orders.id = order_id WHERE order_no = '\''DC-$bp'\''")" = "$bp" || exit 1
	done
'

# Credit notes: --amount is minor units, 1 .. what is still uncredited;
# what is not a positive integer is a usage error (exit 2), an amount
# past what is left is refused (exit 1).
inv=$(jq -r .number l2.out 2>/dev/null)
[ -n "$inv" ] || inv=$(jq -r .number z1.out 2>/dev/null)
while IFS='|' read -r status amount fragment; do
	test_expect_success "credit --amount '$amount' is refused" "
		sum=\$(db_sum t.db) &&
		test_must_fail $status \"\$INVGEN\" --db t.db credit \"$inv\" --reason refund --amount '$amount' 2>err &&
		test_grep \"$fragment\" err &&
		test \"\$(db_sum t.db)\" = \"\$sum\"
	"
done <<'CASES'
2|0|--amount '0' must be a positive whole number of minor units
2|-1|--amount '-1' must be a positive whole number of minor units
2|1e3|--amount '1e3' must be a positive whole number
2|12.50|--amount '12.50' must be a positive whole number
2|99999999999999999999|--amount '99999999999999999999' must be a positive whole number
1|9223372036854775807|--amount: 92233720368547758.07 EUR is not allowed; the net amount still uncredited
2||--amount '' must be a positive whole number
CASES
test_expect_success 'credit notes never exceed the invoice' '
	"$INVGEN" --db t.db credit "$inv" --reason "part" --amount 1 >/dev/null &&
	left=$(( $(jq -r .net_minor l2.out) - 1 )) &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db credit "$inv" --reason more --amount $((left + 1)) 2>err &&
	test_grep "still uncredited" err &&
	test "$(db_sum t.db)" = "$sum" &&
	"$INVGEN" --db t.db credit "$inv" --reason rest --amount $left >/dev/null &&
	test_must_fail 1 "$INVGEN" --db t.db credit "$inv" --reason again --amount 1 2>err
'
test_done
