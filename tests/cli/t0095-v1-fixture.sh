#!/bin/sh
# t0095-v1-fixture: an issued document renders byte for byte as issued,
# forever.  tests/fixtures/v1-sample.sql.gz is a database issued by an
# earlier release (tests/fixtures/README.md); a copy migrated forward by
# today's program must re-render every recorded file of every document
# to the SHA-256 recorded when it was issued.
. "$(dirname "$0")/lib.sh"

zcat "$TOP/tests/fixtures/v1-sample.sql.gz" | sqlite3 v1.db

test_expect_success 'the fixture loads: 23 documents with their recorded files' '
	test "$(sqlite3 v1.db "SELECT count(*) FROM document")" = 23 &&
	test "$(sqlite3 v1.db "SELECT count(*) FROM document_file")" -ge 23
'
test_expect_success 'reading commands do not migrate it: verify refuses, init migrates' '
	sum=$(sha256sum <v1.db) &&
	test_must_fail 3 "$INVGEN" --db v1.db verify ZL-000001 2>err &&
	test_grep "schema version 2, expected [0-9]*; open it once read-write to migrate" err &&
	test "$(sha256sum <v1.db)" = "$sum" && test ! -e v1.db-wal &&
	"$INVGEN" --db v1.db init >/dev/null
'
test_expect_success 'every document of the earlier release verifies byte for byte' '
	"$INVGEN" --db v1.db verify --from 2020-01-01 --to 2030-12-31 >out &&
	test_grep "^23 documents, [0-9]* file checks ok, 0 problems" out
'
test_done
