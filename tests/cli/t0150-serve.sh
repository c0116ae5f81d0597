#!/bin/sh
# t0150-serve: `invgen serve` makes the issue and transfer-order calls of
# other invgen processes on its database.  Two folders hold the same
# database: in A a server runs, in B every call is made in-process.  A
# payment order and an invoice made through the server have the same
# answer (text and JSON), the same file bytes and, for a refused call, the
# same message and exit status as in B; the server's log shows it made
# them.  A caller with another clock, output folder or program file makes
# its call itself.  Three processes x 60 new orders through two workers
# give one payment order each, numbers without a gap.  A second server of
# the same database is refused, the socket is mode 0600, a killed
# server's socket is taken over, SIGTERM stops it (exit 0, socket gone,
# no leak under ASan), and replacing its program file stops it.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/cli/serve-lib.sh"

export INVGEN_NOW=2026-03-20T12:00:00Z
N=200

# A folder with a database of N unpaid bank-transfer orders T-1..T-N and
# one paid card order C-1.
make_db() {
	mkdir -p "$1" && (
		cd "$1" &&
		"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null &&
		"$INVGEN" --db t.db order add ../orders.json >/dev/null
	)
}
# No server outlives the script, whatever fails.
trap 'kill -KILL $(cat A/serve.pid 2>/dev/null) 2>/dev/null' EXIT

test_expect_success "two folders with the same $N orders" '
	{
		echo "["
		for i in $(seq 1 $N); do
			consumer_order "T-$i" LT EUR null |
			    sed "s/\"card\"/\"bank_transfer\"/; s/2025-08-01T08:00:00Z/2026-03-19T08:00:00Z/"
			echo ","
		done
		consumer_order C-1 DE EUR 2026-03-19T09:00:00Z |
		    sed "s/2025-08-01T08:00:00Z/2026-03-19T08:00:00Z/"
		echo "]"
	} >orders.json &&
	make_db A && make_db B
'
start_server A
test_expect_success 'the server is up, its socket private to its user' '
	test_grep "t.db on t.db.sock, 2 workers" A/serve.log &&
	test "$(stat -c %a A/t.db.sock)" = 600
'
test_expect_success 'a payment order through the server equals one made here' '
	(cd A && "$INVGEN" --db t.db --out-dir out transfer-order T-1 >../a1.txt &&
	    "$INVGEN" --db t.db --out-dir out transfer-order T-2 --json >../a2.json) &&
	(cd B && "$INVGEN" --db t.db --out-dir out transfer-order T-1 >../b1.txt &&
	    "$INVGEN" --db t.db --out-dir out transfer-order T-2 --json >../b2.json) &&
	test_cmp b1.txt a1.txt && test_cmp b2.json a2.json &&
	cmp A/out/ZLVM-000001.pdf B/out/ZLVM-000001.pdf &&
	cmp A/out/ZLVM-000002.pdf B/out/ZLVM-000002.pdf &&
	test "$(served A "transfer-order T-[12]: ok")" = 2 &&
	test ! -e B/serve.log
'
test_expect_success 'asked again: the same document, from the server' '
	(cd A && "$INVGEN" --db t.db --out-dir out transfer-order T-1 --json >../a1b.json) &&
	test "$(jq -r .existed a1b.json)" = true &&
	test "$(jq -r .number a1b.json)" = ZLVM-000001 &&
	test "$(served A "transfer-order T-1: ok")" = 2
'
test_expect_success 'an invoice through the server equals one made here' '
	(cd A && "$INVGEN" --db t.db --out-dir out issue C-1 --json >../ai.json) &&
	(cd B && "$INVGEN" --db t.db --out-dir out issue C-1 --json >../bi.json) &&
	test_cmp bi.json ai.json &&
	n=$(jq -r .number ai.json) && cmp "A/out/$n.pdf" "B/out/$n.pdf" &&
	test "$(served A "issue C-1: ok")" = 1
'
test_expect_success 'a refused call: the same message and exit status' '
	(cd A && test_must_fail 1 "$INVGEN" --db t.db --out-dir out transfer-order NOPE 2>../ae.txt) &&
	(cd B && test_must_fail 1 "$INVGEN" --db t.db --out-dir out transfer-order NOPE 2>../be.txt) &&
	test_cmp be.txt ae.txt && test_grep "no order with order_no" ae.txt &&
	(cd A && test_must_fail 1 "$INVGEN" --db t.db --out-dir out issue T-3 2>../ae2.txt) &&
	(cd B && test_must_fail 1 "$INVGEN" --db t.db --out-dir out issue T-3 2>../be2.txt) &&
	test_cmp be2.txt ae2.txt &&
	test "$(served A "NOPE: not found")" = 1
'
test_expect_success 'another clock, folder or program: the caller makes the call' '
	# (later the same day: the dates of a series never run backwards)
	(cd A && INVGEN_NOW=2026-03-20T23:30:00+02:00 "$INVGEN" --db t.db \
	    --out-dir out transfer-order T-3 --json >../a3.json) &&
	test "$(jq -r .issue_date a3.json)" = 2026-03-20 &&
	(cd A && "$INVGEN" --db t.db --out-dir out2 transfer-order T-4 >/dev/null) &&
	test -s A/out2/ZLVM-000004.pdf &&
	cp "$INVGEN" A/copy && (cd A && ./copy --db t.db --out-dir out transfer-order T-5 >/dev/null) &&
	test "$(served A "declined: another program, working directory or configuration")" = 3 &&
	test "$(served A "T-[345]: ok")" = 0
'
test_expect_success 'a second server of the same database is refused, so are 17 workers' '
	(cd A && test_must_fail 1 "$INVGEN" --db t.db --out-dir out serve 2>../second.err) &&
	test_grep "already served by another invgen serve" second.err &&
	test -S A/t.db.sock &&
	(cd A && test_must_fail 2 "$INVGEN" --db t.db serve --workers 17 2>../w.err) &&
	test_grep "workers .17. must be a number of threads from 1 to 16" w.err
'
test_expect_success '3 processes x 60 new orders through 2 workers: no gap' '
	for p in 1 2 3; do
		(
			cd A &&
			for i in $(seq 1 60); do
				o=$((p * 60 + i - 50))
				"$INVGEN" --db t.db --out-dir out transfer-order "T-$o" \
				    >/dev/null 2>>../cerr.$p || echo "T-$o" >>../cfail.$p
				[ $((i % 10)) != 0 ] ||
				    "$INVGEN" --db t.db --out-dir out transfer-order "T-$o" \
				    >/dev/null 2>>../cerr.$p || echo "again T-$o" >>../cfail.$p
			done
		) &
	done
	wait
	cat cerr.* cfail.* 2>/dev/null >cproblems; cat cproblems
	test ! -s cproblems &&
	sqlite3 A/t.db "SELECT seq FROM document WHERE kind = '\''transfer_order'\'' ORDER BY seq" >seqs &&
	seq 1 $(wc -l <seqs) >want && test_cmp want seqs && test "$(wc -l <seqs)" = 185 &&
	test "$(sqlite3 A/t.db "SELECT count(DISTINCT order_id) FROM document WHERE kind = '\''transfer_order'\''")" = 185 &&
	test "$(grep -c "transfer-order T-[0-9]*: ok" A/serve.log)" -ge 198
'
test_expect_success 'SIGTERM: the server stops, exit 0, its socket gone' '
	test "$(stop_server A TERM)" = 0 && test ! -e A/t.db.sock &&
	(cd A && "$INVGEN" --db t.db --out-dir out transfer-order T-199 >/dev/null) &&
	test "$(served A "T-199")" = 0
'
test_expect_success 'a killed server: callers make their calls; the socket is taken over' '
	start_server A && test "$(stop_server A KILL)" = 137 && test -S A/t.db.sock &&
	(cd A && "$INVGEN" --db t.db --out-dir out transfer-order T-198 >/dev/null) &&
	test "$(served A "T-198")" = 0 &&
	start_server A && (cd A && "$INVGEN" --db t.db --out-dir out transfer-order T-197 >/dev/null) &&
	test "$(served A "transfer-order T-197: ok")" = 1 &&
	test "$(stop_server A TERM)" = 0
'
test_expect_success 'its program file replaced (an upgrade): the server stops' '
	cp "$INVGEN" A/prog && start_server A "$PWD/A/prog" &&
	cp A/prog A/prog.new && mv A/prog.new A/prog &&
	wait_for "test -s A/serve.status" && test "$(cat A/serve.status)" = 0 &&
	test ! -e A/t.db.sock &&
	test_grep "program file .*/A/prog was replaced or changed; stopped" A/serve.log
'
test_done
