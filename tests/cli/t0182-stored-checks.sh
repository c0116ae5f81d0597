#!/bin/sh
# t0182-stored-checks: what the bot or the operator writes with SQL goes
# through the rules of `order add` and `seller add` again when it is
# issued (invoice, payment order, credit note): a refused field is named
# by table and column, exit 1, nothing numbered or written.  A document
# number that is a path is never written by export, and `list` shows
# stored control characters as U+FFFD.
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null
export INVGEN_NOW=2025-09-30T12:00:00Z
# An order written with SQL: order_no, payer name and line description
# as SQL expressions, quantity, payment method.
sql_order() {
	sqlite3 t.db "INSERT INTO payer(name, address_line1, city, postal_code, country, is_business)
	    VALUES ($2, 'Main street 1', 'Town', '10115', 'DE', 0);
	  INSERT INTO orders(order_no, created_at, paid_at, currency, payment_method, language,
	    payer_id, evidence_card_country, evidence_ip_country)
	    VALUES ('$1', '2025-08-01T08:00:00Z',
	    CASE '${5:-card}' WHEN 'card' THEN '2025-08-14T10:25:00Z' END, 'EUR',
	    '${5:-card}', 'en', last_insert_rowid(), 'DE', 'DE');
	  INSERT INTO order_line(order_id, line_no, item, description, quantity, unit_price_minor)
	    VALUES (last_insert_rowid(), 1, 'softphone', $3, ${4:-1}, 12000)"
}
nothing_issued() {
	test "$(db_sum t.db)" = "$sum" &&
	test "$(sqlite3 t.db "SELECT count(*) FROM document")" = "$ndocs" &&
	test -z "$(ls documents 2>/dev/null | grep -v '^ZLV-000001.pdf$')"
}

test_expect_success 'an order written with SQL is issued when it keeps the rules' '
	sql_order B-0 "'\''Good Payer'\''" "'\''Softphone subscription'\''" &&
	"$INVGEN" --db t.db issue B-0 --json >b0.json &&
	test "$(jq -r .number b0.json)" = ZLV-000001 &&
	ndocs=1
'
test_expect_success 'a bidi override and a newline in a payer name are refused' '
	sql_order B-1 "char(8238) || '\'' evil '\'' || char(10) || '\'' x'\''" \
	    "'\''Softphone'\''" &&
	sum=$(db_sum t.db) && ndocs=1 &&
	test_must_fail 1 "$INVGEN" --db t.db issue B-1 2>err &&
	test_grep "payer.name of order B-1: bidirectional control character U+202E" err &&
	nothing_issued
'
test_expect_success 'an empty description gets the rule, not a NOT NULL failure' '
	sql_order B-2 "'\''Good Payer'\''" "'\'''\''" &&
	sum=$(db_sum t.db) && ndocs=1 &&
	test_must_fail 1 "$INVGEN" --db t.db issue B-2 2>err &&
	test_grep "order_line.description of order B-2, line 1: 0 characters; allowed 1 to 300" err &&
	! grep -q "NOT NULL" err &&
	nothing_issued
'
test_expect_success 'a value of another type is refused, not read as something else' '
	sql_order B-3 "'\''Good Payer'\''" "'\''Softphone'\''" 1.5 &&
	sum=$(db_sum t.db) && ndocs=1 &&
	test_must_fail 1 "$INVGEN" --db t.db issue B-3 2>err &&
	test_grep "order_line.quantity of order B-3, line 1: the stored value is a real number; it must be an integer" err &&
	nothing_issued
'
test_expect_success 'a payment order checks the stored order too' '
	sql_order B-4 "'\''Payer'\'' || char(9)" "'\''Softphone'\''" 1 bank_transfer &&
	sum=$(db_sum t.db) && ndocs=1 &&
	test_must_fail 1 "$INVGEN" --db t.db transfer-order B-4 2>err &&
	test_grep "payer.name of order B-4: control character U+0009" err &&
	nothing_issued
'
test_expect_success 'a seller series edited into a path is refused by issue' '
	consumer_order G-1 DE EUR 2025-08-20T10:00:00Z >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	sqlite3 t.db "UPDATE seller_profile SET invoice_series = '\''../../evil'\''
	    WHERE invoice_series = '\''ZLV'\''" &&
	sum=$(db_sum t.db) && ndocs=1 &&
	test_must_fail 1 "$INVGEN" --db t.db --out-dir o6/a/b issue G-1 2>err &&
	test_grep "seller_profile.invoice_series of seller profile 2: '\''../../evil'\'' is not allowed" err &&
	nothing_issued &&
	test -z "$(find . -name "evil*")" &&
	test "$(sqlite3 t.db "SELECT count(*) FROM number_series WHERE series LIKE '\''%evil%'\''")" = 0
'
test_expect_success 'credit notes and payment orders check the profile too' '
	sqlite3 t.db "UPDATE seller_profile SET invoice_series = '\''ZLV'\'', credit_series = '\''K/1'\''
	    WHERE invoice_series = '\''../../evil'\''" &&
	sum=$(db_sum t.db) && ndocs=1 &&
	test_must_fail 1 "$INVGEN" --db t.db credit ZLV-000001 --reason r 2>err &&
	test_grep "seller_profile.credit_series of seller profile 2: '\''K/1'\''" err &&
	nothing_issued &&
	sqlite3 t.db "UPDATE seller_profile SET credit_series = '\''ZLVK'\'',
	    bank_iban = '\''LT00 1000 0111 0100 1000'\'' WHERE invoice_series = '\''ZLV'\''" &&
	bt=$(consumer_order P-1 DE EUR null | sed "s/\"card\"/\"bank_transfer\"/") &&
	echo "$bt" | "$INVGEN" --db t.db order add - >/dev/null &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db transfer-order P-1 2>err &&
	test_grep "seller_profile.bank_iban of seller profile 2" err &&
	nothing_issued
'
test_expect_success 'export refuses a document number that is a path; show names no file for it' '
	cp t.db e.db &&
	sqlite3 e.db "DROP TRIGGER document_immutable_u;
	    UPDATE document SET number = '\''../../evil-000001'\'' WHERE number = '\''ZLV-000001'\''" &&
	mkdir -p out/in &&
	test_must_fail 1 "$INVGEN" --db e.db export ubl ../../evil-000001 -o out/in 2>err &&
	test_grep "is not a safe file name" err &&
	"$INVGEN" --db e.db --out-dir out/in show ../../evil-000001 --json >s.json &&
	test "$(jq -r ".files[0].path, has(\"path\")" s.json | tr "\n" " ")" = "null false " &&
	test -z "$(find . -name "evil*")" &&
	test -z "$(ls out/in)"
'
test_expect_success 'list shows stored control characters as U+FFFD' '
	cp t.db l.db &&
	sqlite3 l.db "DROP TRIGGER document_immutable_u;
	    UPDATE document SET payer_name = char(8238) || '\''evil'\'' || char(10) || '\''x'\''" &&
	"$INVGEN" --db l.db list >list.out &&
	! grep -q "$(printf "\\342\\200\\256")" list.out &&
	test_grep "$(printf "\\357\\277\\275")evil$(printf "\\357\\277\\275")x" list.out &&
	test "$(wc -l <list.out)" = 3
'
test_done
