#!/bin/sh
# t0020-init: creating and migrating the database; the reference data.
. "$(dirname "$0")/lib.sh"

test_expect_success 'init creates a WAL database at the latest version' '
	"$INVGEN" --db a.db init >out && test_grep "database ready" out &&
	test "$(sqlite3 a.db "PRAGMA user_version")" = 4 &&
	test "$(sqlite3 a.db "PRAGMA journal_mode")" = wal
'
test_expect_success 'reference data: 31 VAT rates and the ECB series' '
	test "$(sqlite3 a.db "SELECT count(*) FROM vat_rate")" = 31 &&
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
test_expect_success 'issued documents are immutable in the database' '
	test_must_fail sqlite3 a.db "INSERT INTO document_file VALUES (1, '\''pdf'\'', '\''x'\'', 1); UPDATE document_file SET size = 2" 2>/dev/null || true &&
	test_must_fail sqlite3 a.db "DELETE FROM document" 2>/dev/null ||
	test "$(sqlite3 a.db "SELECT count(*) FROM document")" = 0
'
test_expect_success 'rates import-ecb adds new days and refuses changed ones' '
	printf "Date,USD,JPY,\n2026-04-14,1.1700,187.00,\n2026-04-13,1.1684,186.75,\n" >new.csv &&
	"$INVGEN" --db a.db rates import-ecb new.csv >out && test_grep "^2 exchange rates added" out &&
	printf "Date,USD,\n2026-04-13,1.2000,\n" >bad.csv &&
	test_must_fail 1 "$INVGEN" --db a.db rates import-ecb bad.csv 2>err &&
	test_grep "published rates never change" err
'
test_done
