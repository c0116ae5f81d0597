#!/bin/sh
# t0160-layout-versions: issued documents keep rendering as issued.  The
# database of tests/fixtures/v1-sample.sql.gz was issued by the release
# before layout versions: migrated forward, every one of its documents
# (PDF, UBL, CII, Factur-X) still renders byte for byte (verify), with the
# frozen files of layout version 1, which never change; new documents get
# the newest version and record their rendering environment; verify tells
# a changed document from a changed environment, and checks the archived
# file in the second case; a version this invgen does not know is refused.
. "$(dirname "$0")/lib.sh"

db="$scratch/v1.db"
zcat "$TOP/tests/fixtures/v1-sample.sql.gz" | sqlite3 "$db"
run() { "$INVGEN" --db "$db" --out-dir "$scratch/docs" "$@"; }
sql() { sqlite3 "$db" "$@"; }

test_expect_success 'the fixture migrates forward; every document is version 1' '
	test "$(sql "PRAGMA user_version")" = 2 &&
	run init >init.out &&
	test "$(sql "PRAGMA user_version")" = "$(latest_schema_version)" &&
	test "$(sql "SELECT count(*) FROM document")" = 23 &&
	test "$(sql "SELECT count(*) FROM document WHERE layout_version = 1 AND render_env IS NULL")" = 23
'
test_expect_success 'every document of the fixture renders byte for byte (verify)' '
	run verify --from 2020-01-01 --to 2030-12-31 >v.out &&
	test_grep "^23 documents, 86 file checks ok, 0 problems$" v.out
'
test_expect_success 'the files of layout version 1 never change, fonts included' '
	(cd "$TOP" && sha256sum --quiet -c tests/fixtures/layout-v1.sha256)
'
test_expect_success 'layout version 1 keeps its wording' '
	run render ZLVK-000001 -o c1.pdf && pdftotext c1.pdf c1.txt &&
	test_grep "This invoice was issued electronically" c1.txt &&
	run render ZLV-000017 -o i17.pdf && pdftotext i17.pdf i17.txt &&
	! grep -q "PVM sąskaita faktūra" i17.txt
'
test_expect_success 'new documents get the newest version and record the environment' '
	INVGEN_NOW=2026-03-27T10:00:00Z run credit ZLV-000003 --reason "Refund" >cr.out &&
	test "$(sql "SELECT layout_version FROM document WHERE number = '\''ZLVK-000003'\''")" = 2 &&
	sql "SELECT render_env FROM document WHERE number = '\''ZLVK-000003'\''" >env.txt &&
	test_grep "^icu [0-9.]* (data [0-9.]*, cldr [0-9.]*, unicode [0-9.]*); libharu [0-9.]*; zlib [0-9.]*; libqrencode [0-9.]*; libxml2 [0-9.]*; harfbuzz [0-9.]*$" env.txt &&
	pdftotext "$scratch/docs/ZLVK-000003.pdf" c3.txt &&
	test_grep "This VAT credit note was issued electronically" c3.txt &&
	run verify ZLVK-000003 >v3.out && test_grep "0 problems" v3.out
'
test_expect_success 'a credit note of a version-1 invoice speaks with version 2' '
	INVGEN_NOW=2026-03-27T11:00:00Z run credit ZLV-000014 --reason "Refund" >cr14.out &&
	test "$(sql "SELECT layout_version || territory FROM document WHERE number = '\''ZLVK-000004'\''")" = 2canary_islands &&
	pdftotext "$scratch/docs/ZLVK-000004.pdf" - | tr -s " \n" "  " >c4.txt &&
	test_grep "the place of supply, the Canary Islands, is part of the EU" c4.txt &&
	test_grep "This credit note was issued electronically\|This VAT credit note was issued electronically" c4.txt
'
# Tampering needs the immutability trigger gone, in a copy.
tamper() {
	cp "$db" "$1" &&
	sqlite3 "$1" "DROP TRIGGER document_immutable_u; $2"
}
test_expect_success 'a changed document: the environment is the one recorded' '
	tamper t1.db "UPDATE document SET payer_name = '\''Mallory'\'' WHERE number = '\''ZLVK-000003'\''" &&
	test_must_fail 1 "$INVGEN" --db t1.db --out-dir docs verify ZLVK-000003 >t1.out &&
	test_grep "ZLVK-000003 pdf: MISMATCH" t1.out &&
	test_grep "the rendering environment is the one recorded: the stored document or the files of layout version 2 changed" t1.out &&
	! grep -q "archived" t1.out
'
test_expect_success 'another environment: says so, and the archived file is intact' '
	tamper t2.db "UPDATE document SET payer_name = '\''Mallory'\'', render_env = '\''icu 71.1 (data 71.1, cldr 41.0, unicode 14.0); libharu 2.3.0; zlib 1.2.11; libqrencode 4.1.1; libxml2 2.9.10'\'' WHERE number = '\''ZLVK-000003'\''" &&
	test_must_fail 1 "$INVGEN" --db t2.db --out-dir docs verify ZLVK-000003 >t2.out &&
	test_grep "the rendering environment differs from the one recorded: issued with icu 71.1" t2.out &&
	test_grep "the archived file docs/ZLVK-000003.pdf has the recorded hash: the document is intact" t2.out &&
	test_grep "(1 from a changed rendering environment, the archived file intact)" t2.out &&
	printf "\\001" | dd of=docs/ZLVK-000003.pdf bs=1 seek=1000 conv=notrunc 2>/dev/null &&
	test_must_fail 1 "$INVGEN" --db t2.db --out-dir docs verify ZLVK-000003 >t3.out &&
	test_grep "the archived file docs/ZLVK-000003.pdf does not have the recorded hash either" t3.out &&
	! grep -q "changed rendering environment" t3.out
'
test_expect_success 'a version-1 document: the environment was not recorded; --archive is checked' '
	mkdir arch && run render ZLV-000014 -o arch/ZLV-000014.pdf &&
	tamper t4.db "UPDATE document SET payer_city = '\''Madrid'\'' WHERE number = '\''ZLV-000014'\''" &&
	test_must_fail 1 "$INVGEN" --db t4.db verify ZLV-000014 --archive arch >t4.out &&
	test_grep "the rendering environment was not recorded when it was issued; it is now: icu" t4.out &&
	test_grep "the archived file arch/ZLV-000014.pdf has the recorded hash" t4.out &&
	test_grep "no archived file to check: arch/ZLV-000014.ubl.xml is missing" t4.out
'
test_expect_success 'a layout version this invgen does not know is refused' '
	tamper t5.db "UPDATE document SET layout_version = 9 WHERE number = '\''ZLV-000001'\''" &&
	test_must_fail 1 "$INVGEN" --db t5.db verify ZLV-000001 >t5.out &&
	test_grep "ZLV-000001 pdf: cannot re-render: layout_version: 9 is not a layout version this invgen knows (1..2)" t5.out &&
	test_must_fail "$INVGEN" --db t5.db render ZLV-000001 -o x.pdf 2>t5.err &&
	test_grep "layout_version: 9" t5.err && test ! -e x.pdf
'
test_done
