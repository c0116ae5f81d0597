#!/bin/sh
# t0130-faults-db: a database that cannot be written, is corrupt, is
# locked beyond the busy timeout, is full, is missing or is newer than
# invgen.  Each fault ends with a clear error (exit 3, or 1 for a missing
# file; the message names the database and the cause), no crash (this is
# the ASan build), the database unchanged or intact, no number used, no
# PDF or temporary file, and a rerun that completes the work once the
# fault is gone.  Read-only: root ignores chmod 0444, so the file is made
# immutable (chattr +i) or put on a read-only tmpfs; those cases print
# SKIP with the reason where the machine does not allow them.
. "$(dirname "$0")/faults-lib.sh"
. "$(dirname "$0")/lib.sh"
trap fault_cleanup EXIT

export INVGEN_NOW=2025-12-01T12:00:00Z
fault_probe
fault_db t.db && paid_orders B 8 >orders.json &&
"$INVGEN" --db t.db order add orders.json >/dev/null &&
"$INVGEN" --db t.db --out-dir docs issue B-1 >/dev/null && db_checkpoint t.db
all="--from 2025-12-01 --to 2025-12-01"

# ms: milliseconds since the epoch.
ms() {
	echo $(($(date +%s%N) / 1000000))
}

# hold_lock DB [EXCLUSIVE]: hold the write lock of DB (BEGIN IMMEDIATE, or
# BEGIN EXCLUSIVE) in a background sqlite3 until release_lock (at most 60
# s); returns once the lock is held.
hold_lock() {
	: >"$scratch/holding"
	(echo "BEGIN ${2:-IMMEDIATE};"
	 for _i in $(seq 1 600); do
		[ -e "$scratch/holding" ] || break
		sleep 0.1
	 done
	 echo "ROLLBACK;") | sqlite3 "$1" &
	for _i in $(seq 1 100); do
		if ! sqlite3 "$1" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	echo "hold_lock: the lock was never taken" >&2
	return 1
}
release_lock() {
	rm -f "$scratch/holding"
	wait
}

test_expect_success 'locked by another writer beyond the timeout: exit 3, names the lock and the timeout' '
	sum=$(db_sum t.db) &&
	hold_lock t.db &&
	t0=$(ms) &&
	test_must_fail 3 env INVGEN_BUSY_TIMEOUT_MS=500 \
	    "$INVGEN" --db t.db --out-dir docs issue B-2 2>err &&
	t1=$(ms) &&
	test_grep "database t.db is locked by another writer beyond the 500 ms busy timeout" err &&
	test $((t1 - t0)) -ge 500 && test $((t1 - t0)) -lt 4000 &&
	test_must_fail 3 env INVGEN_BUSY_TIMEOUT_MS=500 \
	    "$INVGEN" --db t.db --out-dir docs credit ZLV-000001 --reason x 2>err &&
	test_grep "locked.*500 ms busy timeout" err &&
	test_must_fail 3 env INVGEN_BUSY_TIMEOUT_MS=500 \
	    "$INVGEN" --db t.db order add orders.json 2>err &&
	test_grep "locked.*500 ms busy timeout" err &&
	ls docs >files && test_grep "^ZLV-000001.pdf$" files &&
	test "$(wc -l <files)" = 1 &&
	release_lock &&
	db_checkpoint t.db && test "$(db_sum t.db)" = "$sum" &&
	"$INVGEN" --db t.db --out-dir docs issue B-2 --json >i2.json &&
	test "$(jq -r .number i2.json)" = ZLV-000002 && series_ok t.db ZLV 2 &&
	pdfs_ok t.db docs && no_tmp_files docs
'
test_expect_success 'readers go on while another process holds the write lock (WAL)' '
	hold_lock t.db &&
	INVGEN_BUSY_TIMEOUT_MS=500 "$INVGEN" --db t.db show ZLV-000001 >/dev/null &&
	INVGEN_BUSY_TIMEOUT_MS=500 "$INVGEN" --db t.db list >/dev/null &&
	INVGEN_BUSY_TIMEOUT_MS=500 "$INVGEN" --db t.db verify $all \
	    --archive docs >v.out && test_grep "2 documents, 4 file checks ok" v.out &&
	INVGEN_BUSY_TIMEOUT_MS=500 "$INVGEN" --db t.db batch $all --out b1 >s.out &&
	test_grep "^2 documents" s.out && pdfs_ok t.db b1 &&
	release_lock
'
test_expect_success 'a batch that must record hashes waits for the lock, then fails cleanly' '
	db_checkpoint t.db && cp t.db bl.db && hold_lock bl.db &&
	test_must_fail 3 env INVGEN_BUSY_TIMEOUT_MS=500 "$INVGEN" --db bl.db \
	    batch $all --formats pdf,ubl --out b2 >s.out 2>err &&
	test_grep "locked.*500 ms busy timeout" err &&
	test ! -e b2/manifest.csv && no_tmp_files b2 &&
	release_lock && db_ok bl.db &&
	"$INVGEN" --db bl.db batch $all --formats pdf,ubl --out b2 >s.out &&
	test_grep "^2 documents" s.out && test -s b2/manifest.csv &&
	"$INVGEN" --db bl.db verify $all --archive b2 >v.out &&
	test_grep "0 problems" v.out
'
test_expect_success 'an exclusive lock blocks readers too: exit 3 after the timeout' '
	hold_lock t.db EXCLUSIVE &&
	INVGEN_BUSY_TIMEOUT_MS=300 "$INVGEN" --db t.db list >l.out 2>err
	st=$?
	release_lock
	if [ $st = 0 ]; then
		echo "(WAL readers are not blocked by BEGIN EXCLUSIVE here)"
	else
		test $st = 3 && test_grep "locked\|busy" err && test_grep "t.db" err
	fi
'
test_expect_success 'database file immutable (chattr +i; root ignores chmod 0444): issue refused, readers work' '
	if [ $can_chattr = 0 ]; then skip "$no_chattr"; exit 0; fi
	db_checkpoint t.db && mkdir -p ro && cp t.db ro/t.db &&
	sum=$(sha256sum <ro/t.db) && fault_immutable ro/t.db &&
	must_fail_cleanly 3 "readonly database.*ro/t\.db|ro/t\.db.*read-?only" \
	    "$INVGEN" --db ro/t.db --out-dir rodocs issue B-3 &&
	test ! -e rodocs || test -z "$(ls -A rodocs)" &&
	"$INVGEN" --db ro/t.db show ZLV-000002 >/dev/null &&
	"$INVGEN" --db ro/t.db verify ZLV-000001 ZLV-000002 >v.out &&
	test_grep "0 problems" v.out &&
	chattr -i ro/t.db && test "$(sha256sum <ro/t.db)" = "$sum" &&
	db_ok ro/t.db && series_ok ro/t.db ZLV 2 &&
	"$INVGEN" --db ro/t.db --out-dir rodocs issue B-3 --json >i3.json &&
	test "$(jq -r .number i3.json)" = ZLV-000003 && series_ok ro/t.db ZLV 3
'
test_expect_success 'database on a read-only file system: exit 3 naming the database' '
	if [ $can_mount = 0 ]; then skip "$no_mount"; exit 0; fi
	db_checkpoint t.db && fault_mount rofs 4m && cp t.db rofs/t.db &&
	mount -o remount,ro rofs && sum=$(db_sum rofs/t.db) &&
	must_fail_cleanly 3 "rofs/t\.db" \
	    "$INVGEN" --db rofs/t.db --out-dir rodocs2 issue B-3 &&
	cp err rofs.err &&
	test ! -e rodocs2 && test "$(db_sum rofs/t.db)" = "$sum" &&
	mount -o remount,rw rofs &&
	"$INVGEN" --db rofs/t.db --out-dir rodocs2 issue B-3 --json >i3.json &&
	test "$(jq -r .number i3.json)" = ZLV-000003 && series_ok rofs/t.db ZLV 3
'
test_expect_success 'BUG: a database on a read-only file system: the message names the cause' '
	if [ $can_mount = 0 ]; then skip "$no_mount"; exit 0; fi
	test_grep "Read-only file system\|read-only\|readonly" rofs.err
'
test_expect_success 'database directory immutable (no -wal/-shm can be created): exit 3' '
	if [ $can_chattr = 0 ]; then skip "$no_chattr"; exit 0; fi
	db_checkpoint t.db && mkdir -p rodir && cp t.db rodir/t.db &&
	sum=$(db_sum rodir/t.db) && fault_immutable rodir &&
	must_fail_cleanly 3 "rodir/t\.db" \
	    "$INVGEN" --db rodir/t.db --out-dir rodocs3 issue B-3 &&
	test ! -e rodocs3 && test "$(db_sum rodir/t.db)" = "$sum" &&
	chattr -i rodir &&
	"$INVGEN" --db rodir/t.db --out-dir rodocs3 issue B-3 >/dev/null &&
	series_ok rodir/t.db ZLV 3
'
test_expect_success 'database file system full: exit 3 "disk is full", nothing issued' '
	if [ $can_mount = 0 ]; then skip "$no_mount"; exit 0; fi
	db_checkpoint t.db && fault_mount dbfull 4m && cp t.db dbfull/t.db &&
	dd if=/dev/zero of=dbfull/.spacer bs=1k count=40 2>/dev/null &&
	{ dd if=/dev/zero of=dbfull/.filler bs=4k 2>/dev/null; true; } &&
	rm dbfull/.spacer && sum=$(db_sum dbfull/t.db) &&
	must_fail_cleanly 3 "(disk is full|No space left).*dbfull/t\.db|dbfull/t\.db.*(disk is full|No space left)" \
	    "$INVGEN" --db dbfull/t.db --out-dir fdocs issue B-3 &&
	test ! -e fdocs || test -z "$(ls -A fdocs)" &&
	rm dbfull/.filler && db_checkpoint dbfull/t.db &&
	test "$(db_sum dbfull/t.db)" = "$sum" && db_ok dbfull/t.db &&
	"$INVGEN" --db dbfull/t.db --out-dir fdocs issue B-3 --json >i3.json &&
	test "$(jq -r .number i3.json)" = ZLV-000003 &&
	series_ok dbfull/t.db ZLV 3 && pdf_ok dbfull/t.db fdocs ZLV-000003
'

# corrupt SRC DST SEED PAGE...: DST is SRC with each PAGE (1-based)
# overwritten with bytes from a generator seeded with SEED.
corrupt() {
	cp "$1" "$2" && rm -f "$2-wal" "$2-shm" &&
	python3 - "$2" "$3" "$4" <<-'EOF'
	import random, sys
	path, seed, pages = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
	rnd = random.Random(seed)
	with open(path, "r+b") as f:
	    for p in pages:
	        f.seek((int(p) - 1) * 4096)
	        f.write(bytes(rnd.getrandbits(8) for _ in range(4096)))
	EOF
}
# The first page of table or index NAME in DB.
page_of() {
	sqlite3 "$1" "SELECT min(pageno) FROM dbstat WHERE name = '$2'"
}

test_expect_success 'corrupt pages: every command fails cleanly, naming the database' '
	db_checkpoint t.db && cp t.db good.db && db_ok good.db &&
	for tbl in document number_series orders document_file; do
		p=$(page_of good.db $tbl) && test -n "$p" &&
		corrupt good.db c.db 1 "$p" || exit 1
		sqlite3 c.db "PRAGMA integrity_check" >ic 2>&1
		! grep -qx ok ic || { echo "page $p of $tbl: not corrupt?"; exit 1; }
		for cmd in "issue B-4" "show ZLV-000001" "list" \
		    "verify ZLV-000001" "verify $all" "batch $all --out cb"; do
			rm -rf cb cdocs
			"$INVGEN" --db c.db --out-dir cdocs $cmd >out 2>err
			st=$?
			if grep -q "AddressSanitizer\|runtime error" err ||
			    [ $st -gt 3 ]; then
				echo "$tbl: $cmd: crashed ($st)"; cat err; exit 1
			fi
			if [ $st != 0 ]; then
				[ $st = 3 ] && grep -q "malformed.*c\.db\|c\.db.*malformed\|batch: .* could not be rendered" err || {
					echo "$tbl: $cmd: exit $st:"; cat err; exit 1; }
			fi
			no_tmp_files cdocs cb || exit 1
			case $cmd in
			issue*) [ $st = 0 ] && {
				echo "$tbl: issued from a corrupt page"; exit 1; } ;;
			esac
		done
		echo "$tbl (page $p): ok"
	done
'
test_expect_success 'a batch on a corrupt database: exit 3, the summary names the cause' '
	corrupt good.db c.db 1 "$(page_of good.db document_file)" &&
	rm -rf cb && test_must_fail 3 "$INVGEN" --db c.db batch $all --out cb \
	    >s.out 2>err &&
	test_grep "malformed.*c\.db" s.out && test_grep "could not be rendered" err &&
	no_tmp_files cb
'
# batch.c: "a manifest means a complete batch"; here no document was
# rendered, yet manifest.csv (a header only) is renamed into place.
test_expect_success 'BUG: a batch in which documents failed leaves no manifest.csv' '
	test ! -e cb/manifest.csv
'
test_expect_success 'a zeroed header: "file is not a database"; init does not overwrite it' '
	cp good.db z.db && dd if=/dev/zero of=z.db bs=100 count=1 conv=notrunc 2>/dev/null &&
	sum=$(sha256sum <z.db) &&
	must_fail_cleanly 3 "file is not a database.*z\.db" "$INVGEN" --db z.db issue B-4 &&
	must_fail_cleanly 3 "file is not a database.*z\.db" "$INVGEN" --db z.db list &&
	must_fail_cleanly 3 "file is not a database.*z\.db" "$INVGEN" --db z.db init &&
	test "$(sha256sum <z.db)" = "$sum" && test ! -e z.db-wal
'
test_expect_success 'a truncated database: exit 3, no crash' '
	head -c 500000 good.db >h.db &&
	for cmd in "issue B-4" "list" "verify $all" "order add orders.json"; do
		"$INVGEN" --db h.db --out-dir hdocs $cmd >/dev/null 2>err
		st=$?
		[ $st = 3 ] && test_grep "h\.db" err || { echo "$cmd: $st"; cat err; exit 1; }
	done &&
	no_tmp_files hdocs
'
# Random pages, deterministic seeds: the ASan build must never crash,
# whatever SQLite hands back.
test_expect_success 'random corrupt pages (12 seeds): no crash, exit 0/1/3 with a message' '
	np=$(sqlite3 good.db "PRAGMA page_count") &&
	for seed in $(seq 1 12); do
		pages=$(awk -v s=$seed -v n=$np "BEGIN { srand(s); for (i = 0;
		    i < 3; i++) printf \"%s%d\", i ? \",\" : \"\", 2 + int(rand() * (n - 1)) }") &&
		corrupt good.db r.db "$seed" "$pages" || exit 1
		for cmd in "issue B-4" "list" "verify $all" "batch $all --out rb"; do
			rm -rf rb rdocs
			"$INVGEN" --db r.db --out-dir rdocs $cmd >out 2>err
			st=$?
			if grep -q "AddressSanitizer\|runtime error" err ||
			    [ $st -gt 3 ] || [ $st = 2 ]; then
				echo "seed $seed pages $pages: $cmd: exit $st"
				cat err; exit 1
			fi
			[ $st = 0 ] || test -s err || {
				echo "seed $seed: $cmd: exit $st without a message"; exit 1; }
			no_tmp_files rdocs rb || exit 1
		done
	done
'
test_expect_success 'the original is intact and the work completes on it' '
	db_ok t.db && series_ok t.db ZLV 2 &&
	"$INVGEN" --db t.db --out-dir docs issue B-4 >/dev/null &&
	series_ok t.db ZLV 3 && pdfs_ok t.db docs
'
test_expect_success 'a database newer than invgen is refused and left alone' '
	db_checkpoint t.db && cp t.db new.db &&
	sqlite3 new.db "PRAGMA user_version = 99" && sum=$(db_sum new.db) &&
	must_fail_cleanly 3 "new\.db has schema version 99, newer than this invgen" \
	    "$INVGEN" --db new.db issue B-5 &&
	must_fail_cleanly 3 "new\.db has schema version 99" "$INVGEN" --db new.db init &&
	test "$(db_sum new.db)" = "$sum"
'
test_expect_success 'a missing database is named and not created' '
	mkdir m && cd m &&
	must_fail_cleanly 3 "database nowhere\.db: No such file or directory.*invgen init" \
	    "$INVGEN" --db nowhere.db issue B-5 &&
	test ! -e nowhere.db && test ! -e nowhere.db-wal && test ! -e documents
'
test_expect_success 'BUG: a failed database write names the OS cause (disk I/O error is not enough)' '
	if [ $can_mount = 0 ]; then skip "$no_mount"; exit 0; fi
	fault_mount dbfull2 4m && cp t.db dbfull2/t.db &&
	{ dd if=/dev/zero of=dbfull2/.filler bs=4k 2>/dev/null; true; } &&
	must_fail_cleanly 3 "dbfull2/t\.db" \
	    "$INVGEN" --db dbfull2/t.db --out-dir f2 issue B-5 &&
	test_grep "No space left on device\|disk is full" err
'
test_done
