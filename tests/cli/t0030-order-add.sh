#!/bin/sh
# t0030-order-add: storing orders; duplicates; every refusal leaves the
# database byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null

test_expect_success 'an order is stored, payer and lines with it' '
	consumer_order A-1 DE EUR 2025-08-14T10:25:00Z >a1.json &&
	"$INVGEN" --db t.db order add a1.json >out &&
	test_grep "^1 order stored" out &&
	test "$(sqlite3 t.db "SELECT count(*) FROM orders")" = 1 &&
	test "$(sqlite3 t.db "SELECT unit_price_minor FROM order_line")" = 12000 &&
	test "$(sqlite3 t.db "SELECT paid_at FROM orders")" = 2025-08-14T10:25:00Z
'
test_expect_success 'the same order again is a no-op' '
	sum=$(db_sum t.db) &&
	"$INVGEN" --db t.db order add --json a1.json >out &&
	test_grep "\"stored\":0,\"unchanged\":1" out &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'the same order_no with other content is refused' '
	consumer_order A-1 DE EUR 2025-08-14T10:25:00Z 13000 >a1b.json &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db order add a1b.json 2>err &&
	test_grep "order_no: order A-1 already exists with different content" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'stdin and arrays, all or none' '
	{ echo "["; consumer_order A-2 FR EUR null; echo ","; \
	  consumer_order A-3 PL EUR null; echo "]"; } >arr.json &&
	"$INVGEN" --db t.db order add <arr.json >out && test_grep "^2 orders stored" out &&
	{ echo "["; consumer_order A-4 FR EUR null; echo ","; \
	  consumer_order A-5 XX EUR null; echo "]"; } >bad-arr.json &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db order add bad-arr.json 2>err &&
	test_grep "\[1\].payer.country: .XX. is not an ISO 3166-1" err &&
	test "$(db_sum t.db)" = "$sum" &&
	test "$(sqlite3 t.db "SELECT count(*) FROM orders WHERE order_no = '\''A-4'\''")" = 0
'
# Each bad input: the sed expression that breaks a good order, a "|",
# and the message fragment (a grep pattern) that must name the field.
while IFS='|' read -r expr fragment; do
	test_expect_success "refused: $fragment" "
		consumer_order B-1 DE EUR null | sed '$expr' >bad.json &&
		sum=\$(db_sum t.db) &&
		test_must_fail 1 \"\$INVGEN\" --db t.db order add bad.json 2>err &&
		test_grep \"$fragment\" err &&
		test \"\$(db_sum t.db)\" = \"\$sum\"
	"
done <<'CASES'
s/"quantity": 1/"quantity": -1/|lines.0..quantity: must be an integer between 1 and 1000000
s/"EUR"/"EURO"/|currency: 4 characters; allowed 1 to 3
s/"EUR"/"ABC"/|currency: .ABC. is not an active ISO 4217
s/"DE", "is_business"/"QQ", "is_business"/|payer.country: .QQ. is not an ISO 3166-1
s/"unit_price_minor": 12000/"unit_price_minor": 9223372036854775807/|overflows
s/"period_months": 12,/"period_months": 12, "discount_percent": 150,/|discount_percent: must be a number from 0 to 100
s/"Test Payer"/"Test\\u202ePayer"/|bidirectional control character U+202E
s/"Test Payer"/"Test\\u0000Payer"/|control character U+0000
s/"line1"/"lne1"/|payer.address.lne1: unknown field
s/"2025-08-01T08:00:00Z"/"2025-02-30T08:00:00Z"/|created_at: .2025-02-30T08:00:00Z. is not a valid timestamp
s/"card"/"cheque"/|payment_method: .cheque. is not allowed; allowed: card, paypal
s/"en"/"english"/|language: .english. is not allowed
CASES
test_expect_success 'invalid UTF-8 is refused with its position' '
	consumer_order B-2 DE EUR null | sed "s/Test Payer/Test \o377 Payer/" >bad.json &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db order add bad.json 2>err &&
	test_grep "JSON: invalid UTF-8" err && test_grep "line 4" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'a 10,000-character name is refused naming the limit' '
	long=$(head -c 10000 /dev/zero | tr "\0" x) &&
	consumer_order B-3 DE EUR null | sed "s/Test Payer/$long/" >bad.json &&
	test_must_fail 1 "$INVGEN" --db t.db order add bad.json 2>err &&
	test_grep "payer.name: 10000 characters; allowed 1 to 200" err
'
test_expect_success 'order paid records the payment once' '
	"$INVGEN" --db t.db order paid A-2 --at 2025-08-02T09:00:00+02:00 &&
	test "$(sqlite3 t.db "SELECT paid_at FROM orders WHERE order_no = '\''A-2'\''")" = 2025-08-02T07:00:00Z &&
	"$INVGEN" --db t.db order paid A-2 --at 2025-08-02T07:00:00Z &&
	test_must_fail 1 "$INVGEN" --db t.db order paid A-2 --at 2025-08-03T07:00:00Z 2>err &&
	test_grep "already paid" err &&
	test_must_fail 1 "$INVGEN" --db t.db order paid A-3 --at 2025-07-01T00:00:00Z 2>err &&
	test_grep "before the order was created" err &&
	test_must_fail 1 "$INVGEN" --db t.db order paid NOPE --at 2025-08-03T07:00:00Z 2>err &&
	test_grep "no order with order_no .NOPE." err
'
test_done
