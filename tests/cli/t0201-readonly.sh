#!/bin/sh
# t0201-readonly: reading never writes.  An accountant with read access to
# a copy of the database can show, list, explain, report, export to a
# folder of theirs and verify: on a read-only file system (a tmpfs
# remounted read-only: the database alone, and with its -wal and -shm
# files), on a copy in a folder they may write to (nothing is created or
# changed beside the database, and no document file is written), and as
# another user who may only read the files (setpriv).  A database read as
# immutable (no -wal, no -shm) is read under SQLite's SHARED lock: a
# writer holding the file makes the read wait, then fail, not read torn
# pages.  Writing commands fail cleanly (exit 3) where nothing can be
# written.
. "$(dirname "$0")/faults-lib.sh"
. "$(dirname "$0")/lib.sh"
trap fault_cleanup EXIT
fault_probe

build_samples "$scratch/s" >/dev/null 2>build.err
db="$scratch/s/sample.db"
# The samples' documents, counted once, before any read is tested.
ndocs=$(sqlite3 "$db" "SELECT count(*) FROM document")
export INVGEN_NOW=2026-04-20T10:00:00Z

# reads DB OUTDIR: every reading command on DB (a copy), files only into
# OUTDIR; each must succeed.
reads() {
	_d=$1 _o=$2 &&
	"$INVGEN" --db "$_d" --out-dir "$_o/docs" show ZLV-000001 --json >"$_o/show.json" &&
	test "$(jq -r .files[0].path "$_o/show.json")" = null &&
	"$INVGEN" --db "$_d" show ZLVM-000001 --json >"$_o/showm.json" &&
	test "$(jq -r .amount "$_o/showm.json")" != null &&
	"$INVGEN" --db "$_d" list >"$_o/list.txt" &&
	test_grep "^$ndocs documents$" "$_o/list.txt" &&
	"$INVGEN" --db "$_d" list --json --kind credit_note >/dev/null &&
	"$INVGEN" --db "$_d" explain S-2025-0203 >/dev/null &&
	"$INVGEN" --db "$_d" report oss --quarter 2025Q4 >/dev/null &&
	"$INVGEN" --db "$_d" report sales --json >/dev/null &&
	"$INVGEN" --db "$_d" report vat-return --month 2025-09 >/dev/null &&
	"$INVGEN" --db "$_d" report ec-sales --month 2025-09 --csv >/dev/null &&
	"$INVGEN" --db "$_d" report unpaid >/dev/null &&
	"$INVGEN" --db "$_d" rates status >/dev/null &&
	"$INVGEN" --db "$_d" seller list >/dev/null &&
	"$INVGEN" --db "$_d" seller show 2 >/dev/null &&
	"$INVGEN" --db "$_d" order list --unpaid >/dev/null &&
	"$INVGEN" --db "$_d" order show S-2026-0305 >/dev/null &&
	"$INVGEN" --db "$_d" export isaf --month 2025-09 -o "$_o/isaf.xml" >/dev/null &&
	"$INVGEN" --db "$_d" export ubl ZLV-000001 ZLVK-000001 -o "$_o/x" >/dev/null &&
	"$INVGEN" --db "$_d" export pdf ZLV-000003 -o "$_o/x" >/dev/null &&
	cmp "$_o/x/ZLV-000003.pdf" "$scratch/s/pdf/ZLV-000003.pdf" &&
	"$INVGEN" --db "$_d" verify --from 2025-08-01 --to 2025-08-31 >"$_o/v.out" &&
	test_grep "^2 documents, [0-9]* file checks ok, 0 problems$" "$_o/v.out"
}
# state DIR: the names, sizes and hashes of everything in DIR.
state() {
	(cd "$1" && find . -type f | sort | xargs sha256sum)
}

test_expect_success 'samples build' '
	test -s "$db" && test ! -s build.err && db_checkpoint "$db" &&
	test ! -s "$db-wal"
'
test_expect_success 'a copy in a writable folder: every reading command, nothing created beside it' '
	mkdir -p copy out && cp "$db" copy/c.db && state copy >before &&
	reads copy/c.db "$scratch/out" &&
	state copy >after && test_cmp before after &&
	test ! -e copy/docs && test ! -e out/docs
'
test_expect_success 'a read-only file system, the database alone' '
	if [ $can_mount = 0 ]; then skip "$no_mount"; exit 0; fi
	fault_mount rofs 8m && cp "$db" rofs/c.db && mount -o remount,ro rofs &&
	state rofs >before && mkdir -p out2 &&
	reads rofs/c.db "$scratch/out2" &&
	state rofs >after && test_cmp before after
'
test_expect_success 'a read-only file system with the -wal and -shm of a live copy' '
	if [ $can_mount = 0 ]; then skip "$no_mount"; exit 0; fi
	cp "$db" live.db && fault_mount rofs2 8m &&
	python3 -c "
import shutil, sqlite3
c = sqlite3.connect(\"live.db\")
c.execute(\"PRAGMA wal_autocheckpoint = 0\")
c.execute(\"CREATE TABLE later(x)\")
c.commit()
for f in (\"live.db\", \"live.db-wal\", \"live.db-shm\"):
	shutil.copy(f, \"rofs2/\" + f)
c.close()" &&
	test -s rofs2/live.db-wal && mount -o remount,ro rofs2 &&
	state rofs2 >before && mkdir -p out3 &&
	reads rofs2/live.db "$scratch/out3" &&
	state rofs2 >after && test_cmp before after &&
	test "$(sqlite3 "file:rofs2/live.db?mode=ro" "SELECT count(*) FROM
	    sqlite_master WHERE name = '\''later'\''")" = 1
'
test_expect_success 'changes in a -wal that cannot be read without a -shm: exit 3 saying so' '
	if [ $can_mount = 0 ]; then skip "$no_mount"; exit 0; fi
	fault_mount rofs3 8m && cp rofs2/live.db rofs2/live.db-wal rofs3/ &&
	mount -o remount,ro rofs3 &&
	test_must_fail 3 "$INVGEN" --db rofs3/live.db list 2>err &&
	test_grep "its -wal file holds changes not yet in the database file" err &&
	test_grep "rofs3/live.db" err
'
test_expect_success 'writing commands on a read-only file system fail cleanly' '
	if [ $can_mount = 0 ]; then skip "$no_mount"; exit 0; fi
	test_must_fail 3 "$INVGEN" --db rofs/c.db --out-dir out2/docs \
	    credit ZLV-000002 --reason x 2>err &&
	test_grep "c.db" err && test ! -e out2/docs
'
test_expect_success 'another user who may only read the files' '
	if ! setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null
	then skip "setpriv unavailable"; exit 0; fi
	mkdir -p shared mine && cp "$db" shared/c.db &&
	chmod 0444 shared/c.db && chmod 0555 shared && chmod 0777 mine &&
	chmod 0755 "$scratch" && state shared >before &&
	setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ \
	    "$INVGEN" --db shared/c.db list >l.out 2>err &&
	test_grep "^$ndocs documents$" l.out &&
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$INVGEN" --db shared/c.db export ubl ZLV-000001 -o mine/x \
	    >/dev/null 2>err &&
	test -s mine/x/ZLV-000001.ubl.xml &&
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$INVGEN" --db shared/c.db verify ZLV-000001 >v.out 2>err &&
	test_grep "0 problems" v.out &&
	state shared >after && test_cmp before after &&
	chmod 0755 shared
'
test_expect_success 'read as immutable under SQLite'\''s SHARED lock: a writer holding the file makes it wait' '
	cp "$db" j.db && sqlite3 j.db "PRAGMA journal_mode = DELETE" >/dev/null &&
	test ! -e j.db-wal &&
	: >holding &&
	{
		# Only the writer goes to the background: with the copy in
		# the same list, the loop below could create an empty j.db
		# before cp did (cp: cannot create regular file: File exists).
		(echo "BEGIN EXCLUSIVE;"; while [ -e holding ]; do sleep 0.05
		 done; echo "ROLLBACK;") | sqlite3 j.db &
	} &&
	for i in $(seq 1 100); do
		sqlite3 j.db "SELECT 1" >/dev/null 2>&1 || break
		sleep 0.05
	done &&
	test_must_fail 3 env INVGEN_BUSY_TIMEOUT_MS=200 "$INVGEN" --db j.db \
	    list 2>err &&
	test_grep "locked" err &&
	rm -f holding && wait &&
	"$INVGEN" --db j.db list >l.out && test_grep "^$ndocs documents$" l.out &&
	test ! -e j.db-wal && test ! -e j.db-shm
'
test_done
