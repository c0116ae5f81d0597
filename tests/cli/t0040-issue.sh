#!/bin/sh
# t0040-issue: issuing invoices and credit notes end to end: numbers,
# amounts, VAT decisions, EUR VAT, idempotency, refusals that leave the
# database unchanged, show and explain.
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null
export INVGEN_NOW=2025-09-30T12:00:00Z
json() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" "$2" | head -n 1; }

test_expect_success 'a German consumer gets German VAT through the OSS' '
	consumer_order DE-1 DE EUR 2025-08-14T10:25:00Z >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db issue DE-1 --json >inv.json &&
	test "$(json number inv.json)" = "\"ZLV-000001\"" &&
	test "$(json kind inv.json)" = "\"invoice\"" &&
	test "$(json issue_date inv.json)" = "\"2025-09-30\"" &&
	test "$(json tax_point_date inv.json)" = "\"2025-08-14\"" &&
	test "$(json currency inv.json)" = "\"EUR\"" &&
	test "$(json net_minor inv.json)" = 12000 &&
	test "$(json vat_minor inv.json)" = 2280 &&
	test "$(json total_minor inv.json)" = 14280 &&
	test "$(json treatment inv.json)" = "\"OSS_DESTINATION\"" &&
	test "$(json category inv.json)" = "\"S\"" &&
	test "$(json rate inv.json)" = "\"19.00\"" &&
	! grep -q vat_eur inv.json
'
test_expect_success 'issuing again returns the same document' '
	sum=$(db_sum t.db) &&
	"$INVGEN" --db t.db issue DE-1 --json >again.json &&
	test "$(json number again.json)" = "\"ZLV-000001\"" &&
	test "$(json existed again.json)" = true &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'USD with VAT: the VAT in EUR at the ECB rate of the tax point' '
	consumer_order US-1 FR USD 2025-08-16T10:00:00Z 2500 >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db issue US-1 --json >inv.json &&
	test "$(json number inv.json)" = "\"ZLV-000002\"" &&
	test "$(json vat_minor inv.json)" = 500 &&
	test "$(json fx_rate_date inv.json)" = "\"2025-08-15\"" &&
	rate=$(sqlite3 t.db "SELECT units_per_eur FROM exchange_rate WHERE currency = '\''USD'\'' AND rate_date = '\''2025-08-15'\''") &&
	test "$(json fx_units_per_eur inv.json)" = "\"$rate\"" &&
	want=$(python3 -c "from decimal import *; print((Decimal(5)/Decimal(\"$rate\")*100).quantize(Decimal(1), ROUND_HALF_UP))") &&
	test "$(json vat_eur_minor inv.json)" = "$want"
'
test_expect_success 'JPY has no minor digits; VAT rounds half up' '
	consumer_order JP-1 LT JPY 2025-08-18T10:00:00Z 1450 >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db issue JP-1 --json >inv.json &&
	test "$(json currency_digits inv.json)" = 0 &&
	test "$(json vat_minor inv.json)" = 305 &&
	test "$(json total inv.json)" = "\"1755\""
'
test_expect_success 'before 2025-07-09 the seller was not a VAT payer' '
	consumer_order OLD-1 DE EUR 2025-07-08T20:00:00Z >o.json &&
	sed -i "s/2025-08-01T08:00:00Z/2025-07-01T08:00:00Z/" o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db issue OLD-1 --json >inv.json &&
	test "$(json number inv.json)" = "\"ZL-000001\"" &&
	test "$(json treatment inv.json)" = "\"NOT_VAT_REGISTERED\"" &&
	test "$(json category inv.json)" = "\"O\"" &&
	test "$(json vat_minor inv.json)" = 0 &&
	sed -n "s/.*\"seller\":{\([^}]*\)}.*/\1/p" inv.json >seller &&
	test_grep "\"vat_number\":null" seller
'
test_expect_success 'paid late on 2025-07-08 UTC is 2025-07-09 in Vilnius' '
	consumer_order EDGE-1 DE EUR 2025-07-08T21:30:00Z >o.json &&
	sed -i "s/2025-08-01T08:00:00Z/2025-07-01T08:00:00Z/" o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db issue EDGE-1 --json >inv.json &&
	test "$(json tax_point_date inv.json)" = "\"2025-07-09\"" &&
	test "$(json treatment inv.json)" = "\"OSS_DESTINATION\""
'
test_expect_success 'an unpaid order is refused and nothing changes' '
	consumer_order UNPAID-1 DE EUR null >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db issue UNPAID-1 2>err &&
	test_grep "paid_at: order UNPAID-1 is not paid" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'disagreeing evidence is refused, naming the evidence' '
	consumer_order EV-1 DE EUR 2025-08-20T10:00:00Z | \
	    sed "s/\"ip_country\": \"DE\"/\"ip_country\": \"PL\"/; s/\"card_country\": \"DE\"/\"card_country\": \"FR\"/" >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db issue EV-1 2>err &&
	test_grep "billing_country=DE, card_country=FR, ip_country=PL" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'refusals used no number: the next invoice follows on' '
	consumer_order NEXT-1 AT EUR 2025-08-21T10:00:00Z >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db issue NEXT-1 --json >inv.json &&
	test "$(json number inv.json)" = "\"ZLV-000005\"" &&
	test "$(sqlite3 t.db "SELECT group_concat(seq) FROM (SELECT seq FROM document WHERE series = '\''ZLV'\'' ORDER BY seq)")" = "1,2,3,4,5"
'
test_expect_success 'a partial credit, then the rest; never more' '
	"$INVGEN" --db t.db credit ZLV-000001 --reason "Refund: 2 months unused" --amount 2000 --json >c1.json &&
	test "$(json number c1.json)" = "\"ZLVK-000001\"" &&
	test "$(json kind c1.json)" = "\"credit_note\"" &&
	test "$(json net_minor c1.json)" = -2000 &&
	test "$(json vat_minor c1.json)" = -380 &&
	test "$(json corrects c1.json)" = "\"ZLV-000001\"" &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db credit ZLV-000001 --reason r --amount 10001 2>err &&
	test_grep "still uncredited on ZLV-000001 is 100.00 EUR" err &&
	test "$(db_sum t.db)" = "$sum" &&
	"$INVGEN" --db t.db credit ZLV-000001 --reason "Cancelled" --json >c2.json &&
	test "$(json net_minor c2.json)" = -10000 &&
	test "$(json vat_minor c2.json)" = -1900 &&
	test_must_fail 1 "$INVGEN" --db t.db credit ZLV-000001 --reason again 2>err &&
	test_grep "already fully credited" err
'
test_expect_success 'a full credit of a USD invoice reverses its EUR VAT exactly' '
	"$INVGEN" --db t.db credit ZLV-000002 --reason "Chargeback" --json >c3.json &&
	test "$(json total_minor c3.json)" = -3000 &&
	inv_eur=$(sqlite3 t.db "SELECT vat_eur_minor FROM document WHERE number = '\''ZLV-000002'\''") &&
	test "$inv_eur" -gt 0 &&
	test "$(json vat_eur_minor c3.json)" = "-$inv_eur"
'
test_expect_success 'only invoices can be credited; unknown numbers are named' '
	test_must_fail 1 "$INVGEN" --db t.db credit ZLVK-000001 --reason r 2>err &&
	test_grep "only an invoice can be credited" err &&
	test_must_fail 1 "$INVGEN" --db t.db credit ZLV-999 --reason r 2>err &&
	test_grep "no issued document numbered .ZLV-999." err
'
test_expect_success 'show prints the stored document' '
	"$INVGEN" --db t.db show ZLV-000001 --json >s.json &&
	test "$(json total_minor s.json)" = 14280 &&
	"$INVGEN" --db t.db show ZLV-000001 >s.txt &&
	test_grep "ZLV-000001: total 142.80 EUR, OSS_DESTINATION" s.txt
'
test_expect_success 'explain gives the rule and the legal source' '
	"$INVGEN" --db t.db explain DE-1 >e.txt &&
	test_grep "Decision: OSS_DESTINATION, VAT category S, rate 19.00 %" e.txt &&
	test_grep "Art. 58" e.txt && test_grep "Issued as invoice ZLV-000001" e.txt &&
	test_must_fail 1 "$INVGEN" --db t.db explain EV-1 2>err &&
	test_grep "evidence" err
'
test_expect_success 'the snapshot does not follow later changes of the order' '
	test_must_fail sqlite3 t.db "UPDATE order_line SET unit_price_minor = 1 WHERE order_id = (SELECT id FROM orders WHERE order_no = '\''DE-1'\'')" 2>err &&
	test_grep "frozen" err
'
test_done
