#!/bin/sh
# t0202-operator: what an operator does without SQL.  seller list and
# seller show print the profiles (text and JSON); seller close --on DATE
# ends the open profile's period, refused before its first day or before
# the tax point of a document it issued (the database then unchanged), so
# that a profile with a new bank account starts the day after and new
# documents carry it; order list [--unpaid] and order show print the
# orders with their documents, and mark a payment order past its due
# date.
. "$(dirname "$0")/lib.sh"

export INVGEN_NOW=2025-08-14T12:00:00Z
ig() { "$INVGEN" --db t.db "$@"; }

test_expect_success 'setup: the sample profiles, an invoice of 2025-08-14' '
	ig init >/dev/null && add_sellers t.db >add.out &&
	test_grep "^seller profile 1 added$" add.out &&
	test_grep "^seller profile 2 added$" add.out &&
	consumer_order P-1 LT EUR 2025-08-14T10:00:00Z >p1.json &&
	ig order add p1.json >/dev/null && ig issue P-1 >/dev/null
'
test_expect_success 'seller list and seller show' '
	ig seller list >l.txt &&
	test_grep "^ *1 2020-01-01 2025-07-08 MB \"Žinučių linija\" " l.txt &&
	test_grep "^ *2 2025-07-09 open .*LT100018548216 *ZLV ZLVK ZLVM .*LT121000011101001000$" l.txt &&
	test_grep "^2 seller profiles$" l.txt &&
	ig seller show 2 >s.txt &&
	test_grep "^legal_name: MB \"Žinučių linija\"$" s.txt &&
	test_grep "^bank.iban: LT121000011101001000$" s.txt &&
	test_grep "^open: true$" s.txt &&
	test_grep "^last_document: ZLV-000001$" s.txt &&
	test_grep "^last_tax_point: 2025-08-14$" s.txt &&
	ig seller show 2 --json >s.json &&
	test "$(jq -r "[.id, .valid_to, .open, .last_tax_point] | tostring" s.json)" = \
	    "[2,null,true,\"2025-08-14\"]" &&
	test_must_fail 1 ig seller show 9 2>err &&
	test_grep "no seller profile with id 9" err &&
	test_must_fail 2 ig seller show x 2>err
'
test_expect_success 'seller close is refused before a tax point the profile issued, or its first day' '
	sum=$(db_sum t.db) &&
	test_must_fail 1 ig seller close --on 2025-08-13 2>err &&
	test_grep "^invgen: --on: 2025-08-13 is before the tax point of ZLV-000001 (2025-08-14), which seller profile 2 issued; allowed: 2025-08-14 or later$" err &&
	test_must_fail 1 ig seller close --on 2025-07-01 2>err &&
	test_grep "is before seller profile 2 starts (2025-07-09)" err &&
	test_must_fail 1 ig seller close --on 2025-13-01 2>err &&
	test_must_fail 2 ig seller close 2>err &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'a new bank account from 2025-09-01: close, then add' '
	jq ".valid_from = \"2025-09-01\" | .bank.iban = \"DE89 3704 0044 0532 0130 00\"" \
	    "$TOP/samples/seller-2025.json" >s3.json &&
	test_must_fail 1 ig seller add s3.json 2>err &&
	test_grep "overlaps seller profile 2; close that profile first" err &&
	ig seller close --on 2025-08-31 >c.out &&
	test_grep "^seller profile 2 closed: its last day is 2025-08-31$" c.out &&
	test "$(sqlite3 t.db "SELECT valid_to FROM seller_profile WHERE id = 2")" = 2025-08-31 &&
	test_must_fail 1 ig seller close --on 2025-09-30 2>err &&
	test_grep "there is none to close" err &&
	ig seller add s3.json --json >a.json && test "$(jq .id a.json)" = 3 &&
	consumer_order P-2 LT EUR 2025-09-02T10:00:00Z >p2.json &&
	ig order add p2.json >/dev/null &&
	INVGEN_NOW=2025-09-02T12:00:00Z ig issue P-2 >/dev/null &&
	test "$(sqlite3 t.db "SELECT seller_profile_id || bank_iban FROM document
	    WHERE number = '\''ZLV-000002'\''")" = 3DE89370400440532013000 &&
	ig seller list --json >l.json &&
	test "$(jq -r "map(.valid_to // \"open\") | join(\" \")" l.json)" = \
	    "2025-07-08 2025-08-31 open"
'
test_expect_success 'order list marks a payment order past its due date' '
	consumer_order P-3 LT EUR null |
	    jq ".payment_method = \"bank_transfer\" | .created_at = \"2025-09-03T08:00:00Z\"" >p3.json &&
	ig order add p3.json >/dev/null &&
	INVGEN_NOW=2025-09-03T09:00:00Z ig transfer-order P-3 >/dev/null &&
	INVGEN_NOW=2025-09-10T09:00:00Z ig order list --unpaid >u1.txt &&
	test_grep "^P-3 .* unpaid - *ZLVM-000001 *145.20 2025-09-10 -$" u1.txt &&
	test_grep "^1 unpaid order, 0 past due$" u1.txt &&
	INVGEN_NOW=2025-09-13T09:00:00Z ig order list --unpaid >u2.txt &&
	test_grep "^P-3 .* 2025-09-10 PAST DUE 3 days$" u2.txt &&
	test_grep "^1 unpaid order, 1 past due$" u2.txt &&
	INVGEN_NOW=2025-09-13T09:00:00Z ig order list >all.txt &&
	test_grep "^P-1 .* paid   ZLV-000001 *- *- *-  *-$" all.txt &&
	test_grep "^3 orders, 1 past due$" all.txt &&
	INVGEN_NOW=2025-09-13T09:00:00Z ig order list --unpaid --json >u.json &&
	test "$(jq -c ".[0] | [.order_no, .status, .document, .awaiting.number,
	    .awaiting.past_due, .awaiting.days_overdue, .awaiting.left]" u.json)" = \
	    "[\"P-3\",\"unpaid\",null,\"ZLVM-000001\",true,3,\"145.20\"]"
'
test_expect_success 'order show: the order as stored, its state and documents' '
	INVGEN_NOW=2025-09-13T09:00:00Z ig order show P-3 >o.txt &&
	test_grep "^order.order_no: P-3$" o.txt &&
	test_grep "^order.payer.name: Test Payer$" o.txt &&
	test_grep "^order.lines\[0\].unit_price_minor: 12000$" o.txt &&
	test_grep "^status: unpaid$" o.txt &&
	test_grep "^awaiting.past_due: true$" o.txt &&
	test_grep "^documents\[0\].number: ZLVM-000001$" o.txt &&
	ig order show P-1 --json >o.json &&
	test "$(jq -c "[.status, .document.number, .awaiting, .documents[0].kind]" o.json)" = \
	    "[\"paid\",\"ZLV-000001\",null,\"invoice\"]" &&
	jq .order o.json >o1.json && ig order add o1.json >again.out &&
	test_grep "0 orders stored, 1 already present unchanged" again.out &&
	test_must_fail 1 ig order show NOPE 2>err
'
test_done
