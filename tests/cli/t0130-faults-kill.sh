#!/bin/sh
# t0130-faults-kill: invgen killed with SIGKILL at random points of
# `issue` (one process, then four at once), `credit` and `batch`, many
# times, then every call rerun; and at exact points chosen with strace's
# syscall fault injection (after the temporary PDF is written, before the
# commit; after the commit, before the rename), where strace is usable.
# Afterwards: PRAGMA integrity_check is ok; the numbers are 1..N with no
# gap and no duplicate; every order has exactly one invoice and every
# invoice at most one full credit note; every document has its PDF
# exactly once with the recorded SHA-256 (checked directly and with
# `invgen verify --archive`); no temporary file is left in the output
# directory.  The random kill points come from fixed seeds, spread over
# the measured duration of a call.  The BUG: tests describe what is
# broken today (stale temporary files; show; a batch into the issuing
# folder).
. "$(dirname "$0")/faults-lib.sh"
. "$(dirname "$0")/lib.sh"

export INVGEN_NOW=2025-12-01T12:00:00Z
N=30		# orders issued one at a time
P=4		# concurrent issuers
M=8		# orders per concurrent issuer
all="--from 2025-12-01 --to 2025-12-01"
fault_db t.db && paid_orders K $N >k.json && paid_orders C $((2 + P * M)) >c.json &&
paid_orders X 1 >x.json && "$INVGEN" --db t.db order add x.json >/dev/null &&
"$INVGEN" --db t.db order add k.json >/dev/null &&
"$INVGEN" --db t.db order add c.json >/dev/null

ms() {
	echo $(($(date +%s%N) / 1000000))
}
# delays SEED COUNT T_MS: COUNT delays in seconds for a call that takes
# T_MS: half uniform over 0..1.2 T, half over 0.75..1.05 T (the end of
# the call, where the commit and the rename are).
delays() {
	awk -v s="$1" -v n="$2" -v t="$3" 'BEGIN { srand(s);
	    for (i = 0; i < n; i++) {
		if (i % 2) d = rand() * 1.2 * t; else d = (0.75 + rand() * 0.3) * t
		printf "%.3f\n", 0.001 + d / 1000 } }'
}
# kill_run DELAY cmd...: run cmd, SIGKILL it after DELAY seconds; prints
# "killed" or "done STATUS" for the log.
kill_run() {
	_d=$1
	shift
	timeout -s KILL "$_d" "$@" >/dev/null 2>>kill.err
	_st=$?
	if [ $_st = 137 ]; then echo killed; else echo "done $_st"; fi
}
# at_syscall CALL[:when=N] cmd...: run cmd under strace, which kills it
# with SIGKILL when it enters the system call CALL (the N-th time); the
# leak checker does not work under ptrace.  Prints "killed" or "done N".
at_syscall() {
	_c=$1
	shift
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -o /dev/null -e trace="${_c%%:*}" \
	    -e inject="$_c:signal=KILL" "$@" >/dev/null 2>>kill.err
	_st=$?
	if [ $_st = 137 ]; then echo killed; else echo "done $_st"; fi
}
can_strace=0
[ -n "${FAULTS_NO_STRACE:-}" ] ||
strace -qq -o /dev/null -e trace=uname -e inject=uname:signal=KILL \
    uname >/dev/null 2>&1
[ $? = 137 ] && [ -z "${FAULTS_NO_STRACE:-}" ] && can_strace=1
no_strace="strace with syscall fault injection is not available here (install strace; ptrace must be allowed)"

# The state after the kills, before the rerun: documents stored whose
# PDF is missing (killed between the commit and the rename).
committed_without_pdf() {
	for n in $(sqlite3 t.db "SELECT number FROM document"); do
		[ -f "$1/$n.pdf" ] || echo "$n"
	done | wc -l
}

test_expect_success 'measure one issue' '
	t0=$(ms) && "$INVGEN" --db t.db --out-dir docs issue K-1 >/dev/null &&
	t1=$(ms) && echo $((t1 - t0)) >issue.ms && test "$(cat issue.ms)" -gt 0 &&
	rm -r docs && sqlite3 t.db "SELECT count(*) FROM document" >n &&
	test "$(cat n)" = 1
'
test_expect_success "issue killed at random points, $N calls, then rerun" '
	T=$(cat issue.ms) && i=1 &&
	for d in $(delays 7 $N $T); do
		echo "K-$i $d $(kill_run "$d" "$INVGEN" --db t.db --out-dir docs issue K-$i)"
		i=$((i + 1))
	done >kills.log &&
	killed=$(grep -c killed kills.log) &&
	half=$(committed_without_pdf docs) &&
	echo "killed $killed of $N; committed without a PDF: $half" &&
	find docs -name "*.tmp.*" | wc -l >tmp.before &&
	echo "temporary files left by the kills: $(cat tmp.before)" &&
	test "$killed" -ge 5 &&
	! grep -v "killed\|done 0" kills.log &&
	for i in $(seq 1 $N); do
		"$INVGEN" --db t.db --out-dir docs issue K-$i >/dev/null || exit 1
	done
'
test_expect_success 'after the rerun: intact, 1..N, one invoice per order, every PDF once' '
	db_ok t.db && series_ok t.db ZLV $N &&
	test "$(sqlite3 t.db "SELECT count(*) FROM orders o WHERE o.order_no LIKE '\''K-%'\''
	    AND (SELECT count(*) FROM document d WHERE d.order_id = o.id AND d.kind = '\''invoice'\'') != 1")" = 0 &&
	pdfs_ok t.db docs &&
	"$INVGEN" --db t.db verify $all --archive docs >v.out &&
	test_grep "^$N documents, $((2 * N)) file checks ok, 0 problems" v.out
'
# Exact kill points with strace: the first fsync() is the temporary
# PDF's, once it is written, before the commit; rename() publishes it
# after the commit.
test_expect_success 'issue killed after writing its temporary PDF, before the commit' '
	if [ $can_strace = 0 ]; then skip "$no_strace"; exit 0; fi
	db_checkpoint t.db && sum=$(db_sum t.db) &&
	test "$(at_syscall fsync "$INVGEN" --db t.db --out-dir t1 issue C-1)" = killed &&
	db_checkpoint t.db && test "$(db_sum t.db)" = "$sum" &&
	ls t1 | grep -q "^ZLV-000031\.pdf\.tmp\." && test ! -e t1/ZLV-000031.pdf &&
	"$INVGEN" --db t.db --out-dir t1 issue C-1 --json >c1.json &&
	test "$(jq -r .existed c1.json)" = false &&
	test "$(jq -r .number c1.json)" = ZLV-000031 &&
	db_ok t.db && series_ok t.db ZLV 31 && pdf_ok t.db t1 ZLV-000031
'
test_expect_success 'issue killed after the commit, before the rename: the rerun publishes the PDF' '
	if [ $can_strace = 0 ]; then skip "$no_strace"; exit 0; fi
	test "$(at_syscall rename "$INVGEN" --db t.db --out-dir t2 issue C-2)" = killed &&
	series_ok t.db ZLV 32 && test ! -e t2/ZLV-000032.pdf &&
	ls t2 | grep -q "^ZLV-000032\.pdf\.tmp\." &&
	"$INVGEN" --db t.db --out-dir t2 issue C-2 --json >c2.json &&
	test "$(jq -r .existed c2.json)" = true &&
	test "$(jq -r .number c2.json)" = ZLV-000032 &&
	db_ok t.db && series_ok t.db ZLV 32 && pdf_ok t.db t2 ZLV-000032
'
test_expect_success 'issue of an existing invoice killed while re-creating its PDF' '
	if [ $can_strace = 0 ]; then skip "$no_strace"; exit 0; fi
	test "$(at_syscall rename "$INVGEN" --db t.db --out-dir t3 issue C-2)" = killed &&
	test ! -e t3/ZLV-000032.pdf &&
	"$INVGEN" --db t.db --out-dir t3 issue C-2 >/dev/null &&
	pdf_ok t.db t3 ZLV-000032 && series_ok t.db ZLV 32
'
test_expect_success 'a credit note killed after the commit: the rerun is refused, render restores the PDF' '
	if [ $can_strace = 0 ]; then skip "$no_strace"; exit 0; fi
	test "$(at_syscall rename "$INVGEN" --db t.db --out-dir t4 credit ZLV-000032 \
	    --reason Cancelled)" = killed &&
	series_ok t.db ZLVK 1 && test ! -e t4/ZLVK-000001.pdf &&
	test_must_fail 1 "$INVGEN" --db t.db --out-dir t4 credit ZLV-000032 \
	    --reason Cancelled 2>err &&
	test_grep "already fully credited" err && series_ok t.db ZLVK 1 &&
	"$INVGEN" --db t.db render ZLVK-000001 -o t4/ZLVK-000001.pdf &&
	pdf_ok t.db t4 ZLVK-000001
'
# A credit note killed between the commit and the rename has no PDF, and
# its rerun is refused ("already fully credited").  `invgen show` only
# reads: it names no file that is not there as issued, and writes none;
# `invgen export pdf` writes the PDF again from the snapshot, checked
# against the hash recorded at issue.
test_expect_success 'show names no missing PDF and writes none; export pdf re-creates it' '
	mkdir -p sh &&
	"$INVGEN" --db t.db --out-dir sh show ZLV-000001 --json >s.json &&
	test "$(jq -r ".files[0].path" s.json)" = null &&
	test "$(jq -r "has(\"path\")" s.json)" = false &&
	test ! -e sh/ZLV-000001.pdf &&
	"$INVGEN" --db t.db --out-dir sh export pdf ZLV-000001 >e.out &&
	test_grep "^sh/ZLV-000001.pdf$" e.out &&
	pdf_ok t.db sh ZLV-000001 && no_tmp_files sh &&
	"$INVGEN" --db t.db --out-dir sh show ZLV-000001 --json >s.json &&
	test "$(jq -r ".files[0].path" s.json)" = sh/ZLV-000001.pdf
'
# C-1 and C-2 are the strace cases above (when strace works); the
# concurrent issuers take C-3 onwards.
test_expect_success "$P concurrent issuers killed at random, then rerun" '
	T=$(cat issue.ms) &&
	for p in $(seq 1 $P); do
		(
			i=1
			for d in $(delays $((100 + p)) $M $((T * P))); do
				echo "C-$p-$i $d $(kill_run "$d" "$INVGEN" --db t.db \
				    --out-dir cdocs issue "C-$((2 + (p - 1) * M + i))")"
				i=$((i + 1))
			done >"ckills.$p"
		) &
	done
	wait
	cat ckills.* >ckills.log &&
	echo "killed $(grep -c killed ckills.log) of $((P * M))" &&
	! grep -v "killed\|done 0" ckills.log &&
	for i in $(seq 1 $((2 + P * M))); do
		"$INVGEN" --db t.db --out-dir cdocs issue C-$i >/dev/null || exit 1
	done &&
	db_ok t.db && series_ok t.db ZLV $((N + 2 + P * M)) &&
	test "$(sqlite3 t.db "SELECT count(*) FROM orders o WHERE o.order_no NOT LIKE '\''X-%'\'' AND
	    (SELECT count(*) FROM document d WHERE d.order_id = o.id AND d.kind = '\''invoice'\'') != 1")" = 0 &&
	for n in $(sqlite3 t.db "SELECT d.number FROM document d JOIN orders o
	    ON o.id = d.order_id WHERE o.order_no LIKE '\''C-%'\'' AND d.kind = '\''invoice'\''"); do
		pdf_ok t.db cdocs "$n" || exit 1
	done &&
	test "$(ls cdocs/*.pdf | wc -l)" = $((2 + P * M))
'
test_expect_success 'credit notes killed at random, then rerun: one per invoice, no gap' '
	T=$(cat issue.ms) && i=1 && base=$(sqlite3 t.db "SELECT count(*) FROM document
	    WHERE kind = '\''credit_note'\''") &&
	for d in $(delays 11 10 $T); do
		n=$(printf "ZLV-%06d" $i)
		echo "$n $d $(kill_run "$d" "$INVGEN" --db t.db --out-dir docs \
		    credit "$n" --reason Cancelled)"
		i=$((i + 1))
	done >crkills.log &&
	echo "killed $(grep -c killed crkills.log) of 10" &&
	for i in $(seq 1 10); do
		n=$(printf "ZLV-%06d" $i)
		"$INVGEN" --db t.db --out-dir docs credit "$n" --reason Cancelled \
		    >/dev/null 2>err
		st=$?
		[ $st = 0 ] || { [ $st = 1 ] && test_grep "already fully credited" err; } ||
		    exit 1
	done &&
	db_ok t.db && series_ok t.db ZLVK $((base + 10)) &&
	test "$(sqlite3 t.db "SELECT count(*) FROM document WHERE kind = '\''credit_note'\''
	    GROUP BY corrects_id HAVING count(*) != 1" | wc -l)" = 0 &&
	test "$(sqlite3 t.db "SELECT count(DISTINCT corrects_id) FROM document
	    WHERE kind = '\''credit_note'\''")" = $((base + 10))
'
test_expect_success 'after the reruns, every credit note has its PDF exactly once' '
	for n in $(sqlite3 t.db "SELECT number FROM document WHERE kind = '\''credit_note'\''
	    AND number != '\''ZLVK-000001'\''"); do
		[ -f "docs/$n.pdf" ] ||
		    "$INVGEN" --db t.db render "$n" -o "docs/$n.pdf" || exit 1
		pdf_ok t.db docs "$n" || exit 1
	done
'
test_expect_success 'batch killed at random points, then rerun: complete and byte-exact' '
	t0=$(ms) && "$INVGEN" --db t.db batch $all --out bm --jobs 2 >/dev/null &&
	t1=$(ms) && rm -r bm && T=$((t1 - t0)) && docs=$(sqlite3 t.db "SELECT count(*) FROM document") &&
	for d in $(delays 13 8 $((T * 2 / 3))); do
		echo "batch $d $(kill_run "$d" "$INVGEN" --db t.db batch $all --out b --jobs 2)"
	done >bkills.log &&
	echo "killed $(grep -c killed bkills.log) of 8" &&
	"$INVGEN" --db t.db batch $all --out b --jobs 2 >s.out &&
	test_grep "^$docs documents" s.out && test_grep " 0 errors" s.out &&
	test "$(($(wc -l <b/manifest.csv) - 1))" = "$docs" &&
	pdfs_ok t.db b && no_tmp_files b &&
	"$INVGEN" --db t.db verify $all --archive b >v.out &&
	test_grep "^$docs documents, $((2 * docs)) file checks ok, 0 problems" v.out
'
# A batch publishes each file as an unnamed O_TMPFILE file linked under
# its name (outdir.c): killed at a link, it leaves complete files and its
# manifest's temporary file (manifest.csv.tmp.NNNNNN, written as it goes),
# which the rerun removes.  Where O_TMPFILE fails (the test build's switch
# INVGEN_FAULT=no-tmpfile, as on NFS) it writes NAME.tmp.NNNNNN and renames
# it: killed at a rename, it leaves that temporary file too.
# partial_ok DIR: every PDF in DIR has its recorded SHA-256.
partial_ok() {
	for _f in $(ls "$1" | grep "\.pdf$"); do
		pdf_ok t.db "$1" "${_f%.pdf}" || return 1
	done
}
test_expect_success 'batch killed at its 5th link: complete files only, the rerun completes' '
	if [ $can_strace = 0 ]; then skip "$no_strace"; exit 0; fi
	test "$(at_syscall linkat:when=5 "$INVGEN" --db t.db batch $all \
	    --out bl --jobs 1)" = killed &&
	test "$(ls bl | grep -c "\.pdf$")" = 4 &&
	test "$(ls bl | grep "\.tmp\.")" = manifest.csv.tmp.000000 &&
	test ! -e bl/manifest.csv && partial_ok bl &&
	"$INVGEN" --db t.db batch $all --out bl --jobs 2 >s.out &&
	test_grep " 0 errors" s.out &&
	test_grep "removed 1 temporary file left by an interrupted batch" s.out &&
	test_grep "^$(sqlite3 t.db "SELECT count(*) FROM document") documents: $(($(sqlite3 t.db "SELECT count(*) FROM document") - 4)) files written" s.out &&
	pdfs_ok t.db bl && no_tmp_files bl
'
test_expect_success 'batch without O_TMPFILE killed at its 3rd rename: the rerun removes the temporary file' '
	if [ $can_strace = 0 ]; then skip "$no_strace"; exit 0; fi
	test "$(at_syscall renameat:when=3 env INVGEN_FAULT=no-tmpfile \
	    "$INVGEN" --db t.db batch $all --out br --jobs 1)" = killed &&
	partial_ok br &&
	test "$(ls br | grep -c "\.pdf$")" = 2 &&
	test "$(ls br | grep -c "\.pdf\.tmp\.000000$")" = 1 &&
	test "$(ls br | grep -c "\.tmp\.")" = 2 &&
	test ! -e br/manifest.csv &&
	INVGEN_FAULT=no-tmpfile "$INVGEN" --db t.db batch $all \
	    --out br --jobs 2 >s.out &&
	test_grep "removed 2 temporary files left by an interrupted batch" s.out &&
	test_grep " 0 errors" s.out && pdfs_ok t.db br && no_tmp_files br &&
	"$INVGEN" --db t.db verify $all --archive br >v.out &&
	test_grep " 0 problems" v.out
'
test_expect_success 'batch without O_TMPFILE killed at random points, then rerun: complete and byte-exact' '
	t0=$(ms) && "$INVGEN" --db t.db batch $all --out bm2 --jobs 2 >/dev/null &&
	t1=$(ms) && rm -r bm2 && T=$((t1 - t0)) &&
	for d in $(delays 17 4 $((T * 2 / 3))); do
		echo "batch $d $(kill_run "$d" env INVGEN_FAULT=no-tmpfile \
		    "$INVGEN" --db t.db batch $all --out bn --jobs 2)"
	done >bnkills.log &&
	echo "killed $(grep -c killed bnkills.log) of 4" &&
	INVGEN_FAULT=no-tmpfile "$INVGEN" --db t.db batch $all \
	    --out bn --jobs 2 >s.out &&
	test_grep " 0 errors" s.out && pdfs_ok t.db bn && no_tmp_files bn &&
	test "$(($(wc -l <bn/manifest.csv) - 1))" = "$(sqlite3 t.db "SELECT count(*) FROM document")"
'
# A process killed after writing its temporary PDF (before or after the
# commit) leaves DIR/NUMBER.pdf.tmp.NNNNNN, unlocked.  Once found, this
# was never removed (and after a kill before the commit it held a
# rendering of a number then given to another order); now the rerun
# that writes NUMBER.pdf again clears it (gen/app/files.c, TEMP_SLOTS).
test_expect_success 'no temporary file is left after the killed calls are rerun' '
	"$INVGEN" --db t.db verify $all >/dev/null &&
	no_tmp_files docs cdocs t1 t2 t3 t4
'
# batch.c removes every NAME.EXT.tmp.XXXXXX of its --out folder when it
# gets its lock exclusively (remove_strays), but issue, credit, render
# and export never take that lock: a batch into the folder where invoices
# are being issued deletes the temporary PDF of an issue in flight, whose
# rename after the commit then fails ("cannot rename ...: No such file or
# directory", exit 3).  Seen without strace too: 18 of 200 issues failed
# while batches ran in a loop into documents/.  Here strace holds the
# issue for 3 s at its rename, after the commit.
test_expect_success 'BUG: a batch into the issuing folder leaves the temporary PDF of an issue in flight alone' '
	if [ $can_strace = 0 ]; then skip "$no_strace"; exit 0; fi
	mkdir -p t5 &&
	{ ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -o /dev/null -e trace=rename \
	    -e inject=rename:delay_enter=3000000 \
	    "$INVGEN" --db t.db --out-dir t5 issue X-1 >x1.out 2>x1.err & } &&
	pid=$! && i=0 &&
	while [ -z "$(find t5 -name "*.tmp.*")" ] && [ $i -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done &&
	"$INVGEN" --db t.db batch $all --out t5 >/dev/null 2>&1
	wait $pid
	st=$?
	cat x1.err
	test $st = 0
'
test_expect_success 'nothing crashed: only kills and clean exits' '
	! grep -q "AddressSanitizer\|runtime error" kill.err
'
test_done
