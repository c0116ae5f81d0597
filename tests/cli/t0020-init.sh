#!/bin/sh
# t0020-init: creating and migrating the database; the reference data.
. "$(dirname "$0")/lib.sh"

test_expect_success 'init creates a WAL database at the latest version' '
	"$INVGEN" --db a.db init >out && test_grep "database ready" out &&
	test "$(sqlite3 a.db "PRAGMA user_version")" = 6 &&
	test "$(sqlite3 a.db "PRAGMA journal_mode")" = wal
'
test_expect_success 'reference data: 31 VAT rates, 2 regional ones and the ECB series' '
	test "$(sqlite3 a.db "SELECT count(*) FROM vat_rate")" = 31 &&
	test "$(sqlite3 a.db "SELECT group_concat(region || '\'' '\'' || rate_bp || '\'' '\'' || valid_from, '\'', '\'') FROM vat_rate_region WHERE country = '\''PT'\''")" = "azores 1600 2021-07-01, madeira 2200 2012-04-01" &&
	test "$(sqlite3 a.db "SELECT rate_bp FROM vat_rate WHERE country = '\''FI'\'' AND valid_from = '\''2024-09-01'\''")" = 2550 &&
	test "$(sqlite3 a.db "SELECT units_per_eur FROM exchange_rate WHERE currency = '\''USD'\'' AND rate_date = '\''2026-04-13'\''")" = 1.1684 &&
	test "$(sqlite3 a.db "SELECT count(DISTINCT rate_date) FROM exchange_rate")" -gt 550
'
test_expect_success 'init again is a no-op' '
	sum=$(db_sum a.db) && "$INVGEN" --db a.db init >/dev/null &&
	test "$(db_sum a.db)" = "$sum"
'
test_expect_success 'a newer schema is refused, not touched' '
	cp a.db b.db && sqlite3 b.db "PRAGMA user_version = 99" &&
	sum=$(db_sum b.db) &&
	test_must_fail 3 "$INVGEN" --db b.db show X 2>err &&
	test_grep "schema version 99, newer" err && test "$(db_sum b.db)" = "$sum"
'
test_expect_success 'a file that is not a database is refused' '
	echo "not a database at all, just some text to fill pages" >c.db &&
	test_must_fail 3 "$INVGEN" --db c.db init 2>err &&
	test_grep "c.db" err
'
# An invoice and a credit note in a.db, for the immutability tests.
INVGEN_NOW=2025-09-30T12:00:00Z add_sellers a.db >/dev/null &&
consumer_order IM-1 DE EUR 2025-08-14T10:25:00Z >im.json &&
"$INVGEN" --db a.db order add im.json >/dev/null &&
INVGEN_NOW=2025-09-30T12:00:00Z "$INVGEN" --db a.db issue IM-1 >/dev/null &&
INVGEN_NOW=2025-09-30T12:00:00Z "$INVGEN" --db a.db credit ZLV-000001 \
    --reason "test" --amount 100 >/dev/null

# refused SQL: the statement fails with the trigger's message and the
# database file does not change.
refused() {
	sum=$(db_sum a.db) &&
	test_must_fail sqlite3 a.db "$1" 2>err &&
	test_grep "$2" err &&
	test "$(db_sum a.db)" = "$sum"
}
test_expect_success 'issued documents exist to be protected' '
	test "$(sqlite3 a.db "SELECT group_concat(number) FROM document")" = "ZLV-000001,ZLVK-000001" &&
	test "$(sqlite3 a.db "SELECT count(*) FROM document_line")" = 2 &&
	test "$(sqlite3 a.db "SELECT count(*) FROM document_vat")" = 2 &&
	test "$(sqlite3 a.db "SELECT count(*) FROM document_file")" -ge 2
'
for t in document:id document_line:document_id document_vat:document_id \
    document_file:document_id; do
	c=${t#*:} t=${t%:*}
	test_expect_success "issued documents are immutable: UPDATE $t refused" "
		refused 'UPDATE $t SET $c = $c' 'issued documents are immutable'
	"
	test_expect_success "issued documents are immutable: DELETE FROM $t refused" "
		refused 'DELETE FROM $t' 'issued documents are immutable'
	"
done
test_expect_success 'issued documents are immutable: UPDATE document SET total_minor refused' '
	refused "UPDATE document SET total_minor = 1 WHERE number = '\''ZLV-000001'\''" \
	    "issued documents are immutable"
'
test_expect_success 'the lines of an order with an issued document are frozen' '
	refused "UPDATE order_line SET unit_price_minor = 1" "its lines are frozen"
'
test_expect_success 'rates import-ecb adds new days and refuses changed ones' '
	printf "Date,USD,JPY,\n2026-04-14,1.1700,187.00,\n2026-04-13,1.1684,186.75,\n" >new.csv &&
	"$INVGEN" --db a.db rates import-ecb new.csv >out && test_grep "^2 exchange rates added" out &&
	printf "Date,USD,\n2026-04-13,1.2000,\n" >bad.csv &&
	test_must_fail 1 "$INVGEN" --db a.db rates import-ecb bad.csv 2>err &&
	test_grep "published rates never change" err
'
test_done
