#!/bin/sh
# t0183-archive-chain: the tamper-evident archive.  The sample database as
# issued by the previous release (tests/fixtures) gets its hash chain when
# it is migrated, and verify passes and prints each series' head.  Then,
# with the triggers dropped first, every kind of tampering is named by
# document number: changed columns the PDF does not show, a removed, an
# inserted and a renumbered document, a gap, an altered link, a chain
# rebuilt by someone who can write the database (caught only by a head
# kept outside, --expect-head).  INSERT OR REPLACE is refused; number_series
# changed by hand is a damaged archive (exit 3) at issue and in verify;
# verify --archive lists files that are no issued document's.
. "$(dirname "$0")/lib.sh"

zcat "$TOP/tests/fixtures/v1-sample.sql.gz" | sqlite3 v1.db
# verify of one document: the chain is checked whole in any case
check() { _db=$1; shift; "$INVGEN" --db "$_db" verify ZL-000001 "$@"; }
untrigger() {
	sqlite3 "$1" "PRAGMA foreign_keys = OFF;
	    DROP TRIGGER document_immutable_u; DROP TRIGGER document_immutable_d;
	    DROP TRIGGER document_line_immutable_u; DROP TRIGGER document_line_immutable_d;
	    DROP TRIGGER document_vat_immutable_u; DROP TRIGGER document_vat_immutable_d;
	    DROP TRIGGER document_file_immutable_d; DROP TRIGGER chain_link_immutable_u;
	    DROP TRIGGER document_line_immutable_i; DROP TRIGGER document_immutable_i"
}
id_of() { sqlite3 "$1" "SELECT id FROM document WHERE number = '$2'"; }

test_expect_success 'an archive issued before the chain gets it at migration' '
	test "$(sqlite3 v1.db "PRAGMA user_version")" = 2 &&
	"$INVGEN" --db v1.db init >/dev/null &&
	test "$(sqlite3 v1.db "PRAGMA user_version")" = "$(latest_schema_version)" &&
	"$INVGEN" --db v1.db verify --from 2020-01-01 --to 2030-12-31 >v.out &&
	test_grep "^23 documents, 86 file checks ok, 0 problems$" v.out &&
	grep "^chain " v.out | sed "s/, head .*//" >got &&
	cat >want <<-EOF &&
	chain ZL: 2 documents, 8 file hashes, 10 links
	chain ZLV: 17 documents, 68 file hashes, 85 links
	chain ZLVK: 2 documents, 8 file hashes, 10 links
	chain ZLVM: 2 documents, 2 file hashes, 4 links
	EOF
	test_cmp want got &&
	sed -n "s/^chain \([A-Z]*\):.*, head \([0-9a-f]*\)$/\1=\2/p" v.out >heads &&
	test "$(wc -l <heads)" = 4 &&
	zcat "$TOP/tests/fixtures/v1-sample.sql.gz" | sqlite3 again.db &&
	"$INVGEN" --db again.db init >/dev/null &&
	check again.db >v2.out && grep "^chain " v2.out | sed "s/.*, head //" >h2 &&
	sed "s/.*=//" heads >h1 && test_cmp h1 h2
'
test_expect_success 'INSERT OR REPLACE into an immutable table is refused' '
	for t in document_line document document_vat document_file chain_link; do
		n=$(sqlite3 v1.db "SELECT count(*) FROM $t") &&
		test_must_fail sqlite3 v1.db "INSERT OR REPLACE INTO $t SELECT * FROM $t LIMIT 1" 2>err &&
		test_grep "immutable\|append-only" err &&
		test "$(sqlite3 v1.db "SELECT count(*) FROM $t")" = "$n" || exit 1
	done &&
	test_must_fail sqlite3 v1.db "INSERT OR REPLACE INTO document_line(document_id, line_no, item,
	    description, quantity, unit_price_minor, discount_bp, gross_minor, discount_minor,
	    net_minor, vat_category, vat_rate_bp) SELECT document_id, line_no, item, description,
	    quantity, 1, 0, 1, 0, 1, vat_category, vat_rate_bp FROM document_line LIMIT 1" 2>err &&
	check v1.db >out
'
test_expect_success 'changed columns are named by document number, triggers dropped' '
	cp v1.db c.db && untrigger c.db &&
	sqlite3 c.db "UPDATE document SET location_country = '\''FR'\'' WHERE number = '\''ZLV-000003'\'';
	    UPDATE document SET payer_is_business = 1 WHERE number = '\''ZLV-000005'\'';
	    UPDATE document SET tax_rule = '\''x'\'', tax_explanation = '\''y'\'' WHERE number = '\''ZLV-000006'\'';
	    UPDATE document SET bank_iban = '\''LT601010012345678901'\'' WHERE number = '\''ZLV-000008'\'';
	    UPDATE document_vat SET taxable_eur_minor = taxable_eur_minor + 1
	        WHERE document_id = (SELECT id FROM document WHERE number = '\''ZLV-000007'\'')" &&
	test_must_fail 1 check c.db >out &&
	test_grep "^ZLV-000003: changed since it was linked: document.location_country was \"DE\", is \"FR\"$" out &&
	test_grep "^ZLV-000005: changed since it was linked: document.payer_is_business was 0, is 1$" out &&
	test_grep "^ZLV-000006: changed since it was linked: document.tax_rule was " out &&
	test_grep "^ZLV-000006: changed since it was linked: document.tax_explanation was " out &&
	test_grep "^ZLV-000008: changed since it was linked: document.bank_iban was " out &&
	test_grep "^ZLV-000007: changed since it was linked: document_vat 1, taxable_eur_minor was " out &&
	test_grep "^1 document, 4 file checks ok, 5 problems$" out
'
test_expect_success 'a removed, an inserted and a renumbered document; a gap' '
	cp v1.db r.db && untrigger r.db &&
	gone=$(id_of r.db ZLV-000010) &&
	sqlite3 r.db "PRAGMA foreign_keys = OFF;
	    DELETE FROM document_line WHERE document_id = $gone;
	    DELETE FROM document_vat WHERE document_id = $gone;
	    DELETE FROM document_file WHERE document_id = $gone;
	    DELETE FROM document WHERE id = $gone;
	    UPDATE document SET seq = 10, number = '\''ZLV-000010'\'' WHERE number = '\''ZLV-000011'\'';
	    CREATE TEMP TABLE t AS SELECT * FROM document WHERE number = '\''ZLV-000012'\'';
	    UPDATE t SET id = 999, seq = 18, number = '\''ZLV-000018'\'', order_id =
	        (SELECT order_id FROM document WHERE number = '\''ZLVM-000001'\'');
	    INSERT INTO document SELECT * FROM t;
	    UPDATE number_series SET last_seq = 18 WHERE series = '\''ZLV'\''" &&
	test_must_fail 1 check r.db >out &&
	test_grep "^ZLV-000010: removed: chain ZLV link" out &&
	test_grep "^ZLV-000011: changed since it was linked: document.seq was 11, is 10$" out &&
	test_grep "^ZLV-000011: changed since it was linked: document.number was \"ZLV-000011\", is \"ZLV-000010\"$" out &&
	test_grep "^ZLV-000018: not in the chain of series ZLV" out &&
	test_grep "^series ZLV: number 11 is missing" out
'
test_expect_success 'a link altered by hand breaks the chain there' '
	cp v1.db a.db && untrigger a.db &&
	name=$(sqlite3 a.db "SELECT payer_name FROM document WHERE number = '\''ZLV-000003'\''") &&
	sqlite3 a.db "UPDATE chain_link SET canonical = replace(canonical, '\''\"$name\"'\'', '\''\"Mallory\"'\'')
	    WHERE kind = '\''document'\'' AND canonical LIKE '\''%\"ZLV-000003\"%'\''" &&
	test_must_fail 1 check a.db >out &&
	test_grep "^chain ZLV: link [0-9]* (ZLV-000003) was altered: its SHA-256 does not match its content$" out &&
	test_grep "^ZLV-000003: changed since it was linked: document.payer_name was \"Mallory\", is \"$name\"$" out
'
test_expect_success 'a rebuilt chain passes; a head kept outside catches it' '
	cp v1.db w.db && untrigger w.db &&
	old=$(sqlite3 w.db "SELECT payer_name FROM document WHERE number = '\''ZLV-000003'\''") &&
	sqlite3 w.db "UPDATE document SET payer_name = '\''Mallory'\'' WHERE number = '\''ZLV-000003'\''" &&
	python3 - w.db "$old" <<-\EOF &&
	import hashlib, sqlite3, sys
	db = sqlite3.connect(sys.argv[1])
	prev = "0" * 64
	for pos, canon in db.execute("SELECT pos, canonical FROM chain_link "
	                             "WHERE series = ? ORDER BY pos", ("ZLV",)).fetchall():
	    if "\n\"ZLV-000003\"\n" in canon and canon.startswith("invgen canonical form 1\n[document]\n"):
	        canon = canon.replace("\n\"%s\"\n" % sys.argv[2], "\n\"Mallory\"\n", 1)
	    text = "invgen chain link 1\nseries=\"ZLV\"\npos=%d\nprev=%s\n" % (pos, prev) + canon
	    h = hashlib.sha256(text.encode()).hexdigest()
	    db.execute("UPDATE chain_link SET canonical = ?, prev_sha256 = ?, sha256 = ? "
	               "WHERE series = ? AND pos = ?", (canon, prev, h, "ZLV", pos))
	    prev = h
	db.commit()
	EOF
	check w.db >out &&
	test_grep "0 problems" out && ! grep -q "^chain ZLV: .*$(sed -n "s/^ZLV=//p" heads)" out &&
	test_must_fail 1 check w.db $(sed "s/^/--expect-head /" heads) >out &&
	test_grep "^chain ZLV: the expected head $(sed -n "s/^ZLV=//p" heads) is not in the chain: history before it was rewritten$" out &&
	test_grep "^anchor ZL=.*: link 10, history up to it unchanged$" out &&
	test_grep "^anchor ZLVK=" out && test_grep "^anchor ZLVM=" out &&
	test_grep " 1 problem$" out &&
	test_must_fail 1 check v1.db --expect-head ZLV=nothex 2>err &&
	test_grep "expect-head: .ZLV=nothex. is not allowed" err &&
	check v1.db $(sed "s/^/--expect-head /" heads) >out &&
	test_grep "0 problems" out
'
test_expect_success 'number_series changed by hand: damaged archive at issue and in verify' '
	"$INVGEN" --db f.db init >/dev/null && add_sellers f.db >/dev/null &&
	for o in N-1 N-2; do
		consumer_order $o DE EUR 2025-08-14T10:25:00Z >o.json &&
		"$INVGEN" --db f.db order add o.json >/dev/null || exit 1
	done &&
	INVGEN_NOW=2025-09-30T12:00:00Z "$INVGEN" --db f.db issue N-1 >/dev/null &&
	sqlite3 f.db "UPDATE number_series SET last_seq = 100 WHERE series = '\''ZLV'\''" &&
	sum=$(db_sum f.db) &&
	test_must_fail 3 env INVGEN_NOW=2025-09-30T12:00:00Z "$INVGEN" --db f.db issue N-2 2>err &&
	test_grep "damaged archive: number_series '\''ZLV'\'' gives the next number 101, but the last document of the series is number 1" err &&
	test "$(db_sum f.db)" = "$sum" &&
	test_must_fail 3 "$INVGEN" --db f.db verify ZLV-000001 >out 2>err &&
	test_grep "^damaged archive: number_series ZLV has last_seq 100, but the last document of the series is number 1" out &&
	test_grep "damaged archive" err &&
	sqlite3 f.db "UPDATE number_series SET last_seq = 0 WHERE series = '\''ZLV'\''" &&
	sum=$(db_sum f.db) &&
	test_must_fail 3 env INVGEN_NOW=2025-09-30T12:00:00Z "$INVGEN" --db f.db issue N-2 2>err &&
	test_grep "damaged archive: number_series '\''ZLV'\'' gives the next number 1" err &&
	! grep -q UNIQUE err &&
	test "$(db_sum f.db)" = "$sum"
'
test_expect_success 'file hashes recorded later get links of their own' '
	sqlite3 f.db "UPDATE number_series SET last_seq = 1 WHERE series = '\''ZLV'\''" &&
	"$INVGEN" --db f.db export ubl ZLV-000001 -o exp >/dev/null &&
	test "$(sqlite3 f.db "SELECT group_concat(kind || '\'':'\'' || coalesce(format, '\''-'\''), '\'' '\'') FROM (SELECT * FROM chain_link WHERE series = '\''ZLV'\'' ORDER BY pos)")" = "document:- file:pdf file:ubl" &&
	"$INVGEN" --db f.db verify ZLV-000001 >out &&
	test_grep "0 problems" out &&
	sqlite3 f.db "INSERT INTO document_file VALUES (1, '\''cii'\'', '\''00'\'', 1)" &&
	test_must_fail 1 "$INVGEN" --db f.db verify ZLV-000001 >out &&
	test_grep "^ZLV-000001 cii: file hash not in the chain" out
'
test_expect_success 'verify --archive lists files that are no issued document'\''s' '
	"$INVGEN" --db v1.db batch --from 2020-01-01 --to 2030-12-31 \
	    --formats pdf,ubl,cii,facturx --out arch >/dev/null &&
	: >arch/ZLV-000001.pdf.tmp.000003 &&
	"$INVGEN" --db v1.db verify --from 2020-01-01 --to 2030-12-31 --archive arch >out &&
	test_grep "^23 documents, 172 file checks ok, 0 problems$" out &&
	cp arch/ZLV-000001.pdf arch/ZLV-999999.pdf && echo x >arch/notes.txt &&
	cp arch/ZLV-000001.ubl.xml arch/ZLVM-000001.ubl.xml && mkdir arch/sub &&
	test_must_fail 1 "$INVGEN" --db v1.db verify --from 2020-01-01 --to 2030-12-31 --archive arch >out &&
	test_grep "^arch/ZLV-999999.pdf: UNKNOWN: not a file of an issued document$" out &&
	test_grep "^arch/notes.txt: UNKNOWN" out &&
	test_grep "^arch/ZLVM-000001.ubl.xml: UNKNOWN" out &&
	test_grep "^arch/sub: UNKNOWN: not a regular file$" out &&
	! grep -q "manifest\|tmp" out &&
	test_grep " 4 problems$" out
'
test_done
