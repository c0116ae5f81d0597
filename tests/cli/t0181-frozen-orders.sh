#!/bin/sh
# t0181-frozen-orders: once a payment order or an invoice exists, the
# order, its lines, its payer and customer cannot be changed, deleted or
# added to with SQL (DELETE and re-INSERT, INSERT OR REPLACE, UPDATE of
# the currency, of the payer row); paid_at can be set once; a new VIES
# answer is appended in vat_check and is the one issuing reads.  With the
# triggers dropped, `payment match` still refuses an invoice that does
# not pay the payment order as it was issued.
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null
export INVGEN_NOW=2025-09-30T12:00:00Z
# An unpaid bank-transfer order of a Lithuanian consumer: 120.00 + 21 %.
bt_order() {
	consumer_order "$1" LT EUR null 12000 |
	    sed 's/"payment_method": "card"/"payment_method": "bank_transfer"/'
}
q() { sqlite3 t.db "$1"; }
# No invoice for order $2 in $1, and no invoice number used since T-1's.
no_invoice() {
	test "$(sqlite3 "$1" "SELECT count(*) FROM document d JOIN orders o ON o.id = d.order_id WHERE o.order_no = '$2' AND d.kind = 'invoice'")" = 0 &&
	test "$(sqlite3 "$1" "SELECT last_seq FROM number_series WHERE series = 'ZLV'")" = 1
}
match() {
	"$INVGEN" --db "$1" payment match --reference "$2" --amount "$3" \
	    --currency EUR --date 2025-09-30 --json
}

test_expect_success 'a payment order freezes the order, its lines and payer' '
	bt_order T-1 >o.json && "$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db transfer-order T-1 --json >po.json &&
	test "$(jq -r .amount_minor po.json)" = 14520 &&
	oid=$(q "SELECT id FROM orders WHERE order_no = '\''T-1'\''") &&
	pid=$(q "SELECT payer_id FROM orders WHERE id = $oid") &&
	sum=$(db_sum t.db) &&
	for sql in \
	    "DELETE FROM order_line WHERE order_id = $oid" \
	    "INSERT INTO order_line(order_id, line_no, item, description, quantity, unit_price_minor) VALUES ($oid, 2, '\''topup'\'', '\''x'\'', 1, 100)" \
	    "INSERT OR REPLACE INTO order_line(order_id, line_no, item, description, quantity, unit_price_minor) VALUES ($oid, 1, '\''softphone'\'', '\''Softphone subscription'\'', 1, 100)" \
	    "UPDATE order_line SET unit_price_minor = 100 WHERE order_id = $oid" \
	    "UPDATE orders SET currency = '\''JPY'\'' WHERE id = $oid" \
	    "UPDATE orders SET customer_username = '\''@other'\'' WHERE id = $oid" \
	    "UPDATE orders SET vat_check_status = '\''valid'\'' WHERE id = $oid" \
	    "DELETE FROM orders WHERE id = $oid" \
	    "INSERT OR REPLACE INTO orders SELECT * FROM orders WHERE id = $oid" \
	    "UPDATE payer SET name = '\''Mallory'\'' WHERE id = $pid" \
	    "UPDATE payer SET country = '\''DE'\'' WHERE id = $pid" \
	    "DELETE FROM payer WHERE id = $pid" \
	    "INSERT OR REPLACE INTO payer SELECT * FROM payer WHERE id = $pid"
	do
		test_must_fail q "$sql" 2>err && test_grep frozen err || exit 1
	done &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'payment match then issues the invoice of the payment order' '
	ref=$(jq -r .reference po.json) &&
	match t.db "$ref" 14520 >m.json &&
	test "$(jq -r .invoice.total_minor m.json)" = 14520 &&
	test "$(jq -r .invoice.currency m.json)" = EUR &&
	test "$(jq -r .overpaid_minor m.json)" = 0
'
test_expect_success 'with the triggers dropped: a changed line is refused' '
	bt_order T-2 >o.json && "$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db transfer-order T-2 --json >po2.json &&
	cp t.db d.db &&
	oid=$(sqlite3 d.db "SELECT id FROM orders WHERE order_no = '\''T-2'\''") &&
	sqlite3 d.db "DROP TRIGGER order_line_frozen_d; DROP TRIGGER order_line_frozen_i;
	    DELETE FROM order_line WHERE order_id = $oid;
	    INSERT INTO order_line(order_id, line_no, item, description, quantity, unit_price_minor)
	    VALUES ($oid, 1, '\''softphone'\'', '\''Softphone subscription'\'', 1, 100)" &&
	test_must_fail 1 match d.db "$(jq -r .reference po2.json)" 14520 >out 2>err &&
	test_grep "line 1 of the invoice of order T-2 differs from line 1 of payment order ZLVM-000002" err &&
	no_invoice d.db T-2
'
test_expect_success 'with the triggers dropped: another currency is refused' '
	cp t.db d.db &&
	sqlite3 d.db "DROP TRIGGER orders_frozen_u;
	    UPDATE orders SET currency = '\''JPY'\'' WHERE order_no = '\''T-2'\''" &&
	test_must_fail 1 match d.db "$(jq -r .reference po2.json)" 14520 >out 2>err &&
	test_grep "currency: the invoice of order T-2 would be in JPY, but payment order ZLVM-000002 asked for EUR" err &&
	no_invoice d.db T-2
'
test_expect_success 'paid_at goes from NULL to a value once, never again' '
	oid=$(q "SELECT id FROM orders WHERE order_no = '\''T-2'\''") &&
	q "UPDATE orders SET paid_at = '\''2025-09-29T10:00:00Z'\'' WHERE id = $oid" &&
	test_must_fail q "UPDATE orders SET paid_at = '\''2025-09-29T11:00:00Z'\'' WHERE id = $oid" 2>err &&
	test_grep frozen err &&
	test_must_fail q "UPDATE orders SET paid_at = NULL WHERE id = $oid" 2>err &&
	test_grep frozen err &&
	test "$(q "SELECT paid_at FROM orders WHERE id = $oid")" = 2025-09-29T10:00:00Z
'
test_expect_success 'a new VIES answer is appended, and issuing reads the latest' '
	consumer_order V-1 DE EUR null 12000 |
	    sed "s/\"payment_method\": \"card\"/\"payment_method\": \"bank_transfer\"/;
	         s/\"is_business\": false/\"is_business\": true, \"vat_number\": \"DE136695976\", \"vat_check\": {\"status\": \"valid\", \"checked_at\": \"2025-08-01T07:00:00Z\", \"reference\": \"V1\"}/" >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db transfer-order V-1 --json >pov.json &&
	test "$(jq -r .treatment pov.json)" = REVERSE_CHARGE &&
	oid=$(q "SELECT id FROM orders WHERE order_no = '\''V-1'\''") &&
	test_must_fail q "UPDATE orders SET vat_check_status = '\''invalid'\'' WHERE id = $oid" 2>err &&
	test_grep frozen err &&
	q "INSERT INTO vat_check(order_id, status, checked_at, reference) VALUES ($oid, '\''invalid'\'', '\''2025-09-29T09:00:00Z'\'', '\''V2'\'')" &&
	test_must_fail q "UPDATE vat_check SET status = '\''valid'\''" 2>err &&
	test_grep "appended, never changed" err &&
	test_must_fail q "DELETE FROM vat_check" 2>err &&
	test_must_fail q "INSERT OR REPLACE INTO vat_check SELECT * FROM vat_check" 2>err &&
	test "$(q "SELECT count(*) FROM vat_check")" = 1 &&
	"$INVGEN" --db t.db explain V-1 >why &&
	test_grep "VIES reported the VAT number DE136695976 invalid" why &&
	"$INVGEN" --db t.db order paid V-1 --at 2025-09-29T10:00:00Z >/dev/null &&
	"$INVGEN" --db t.db issue V-1 --json >inv.json &&
	test "$(jq -r .treatment inv.json)" = OSS_DESTINATION &&
	test "$(jq -r .net_minor inv.json)" = "$(jq -r .net_minor pov.json)"
'
test_expect_success 'an order without a document can still be corrected' '
	bt_order F-1 >o.json && "$INVGEN" --db t.db order add o.json >/dev/null &&
	oid=$(q "SELECT id FROM orders WHERE order_no = '\''F-1'\''") &&
	q "UPDATE order_line SET unit_price_minor = 11000 WHERE order_id = $oid" &&
	q "UPDATE orders SET customer_username = '\''@fixed'\'' WHERE id = $oid" &&
	"$INVGEN" --db t.db transfer-order F-1 --json >pof.json &&
	test "$(jq -r .amount_minor pof.json)" = 13310
'
test_done
