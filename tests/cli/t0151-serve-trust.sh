#!/bin/sh
# t0151-serve-trust: whom `invgen serve` and its callers trust, and how
# long a caller can be made to wait.
#
# - A fake server of another user (python, under setpriv as nobody, in a
#   database folder nobody may write to) answers every call "ok" with a
#   made-up document: `issue` of an unpaid order still fails with the
#   real message (the one a call made without any server gives), the
#   fake is sent nothing, and `transfer-order -o` copies the real payment
#   order, not the private file the answer names.  A fake of the same
#   user is sent the request, but its answer names no document of the
#   caller's output folder with that SHA-256: the caller makes the call
#   itself, with the same results.
# - Slow connections that never finish a request are dropped after 1 s
#   and hold no worker: a normal call is served at once.  A stopped
#   (SIGSTOP) server costs a caller at most 2 s more than a call made
#   without a server.
# - A caller's umask travels with the request: the served documents of a
#   caller with umask 077 are mode 600, of one with 022 mode 644.
# - The server's log masks bidi controls, zero-width characters, line
#   separators and escapes in what a caller sent.
# - A server stops (exit 0, socket gone) when its program file is only
#   touched, and when a shared library it has mapped is replaced.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/cli/serve-lib.sh"

export INVGEN_NOW=2026-03-20T12:00:00Z
PEER="$TOP/tests/cli/serve-peer.py"
PY=/usr/bin/python3
# No server, fake or real, outlives the script, whatever fails.
trap 'kill -KILL $(cat F/fake.pid G/fake.pid slow.pid A/serve.pid \
    L/serve.pid P/serve.pid 2>/dev/null) 2>/dev/null' EXIT

# make_db DIR: T-1..T-12 unpaid bank-transfer orders, C-1 paid.
make_db() {
	mkdir -p "$1" && (
		cd "$1" &&
		"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null &&
		"$INVGEN" --db t.db order add ../orders.json >/dev/null
	)
}
# at DIR COMMAND...: invgen in DIR on its database and output folder.
at() {
	(d=$1 && shift && cd "$d" && "$INVGEN" --db t.db --out-dir out "$@")
}
# fake DIR [setpriv options]: a fake server on DIR/t.db.sock answering
# fake.json; what callers sent goes to DIR/fake.log, its pid to
# DIR/fake.pid.
fake() {
	d=$1 && shift &&
	: >"$d/fake.log" && chmod 666 "$d/fake.log" &&
	if [ $# -gt 0 ]; then
		setpriv "$@" "$PY" "$PEER" fake "$d/t.db.sock" fake.json \
		    "$d/fake.log" 2>"$d/fake.err" &
	else
		"$PY" "$PEER" fake "$d/t.db.sock" fake.json "$d/fake.log" \
		    2>"$d/fake.err" &
	fi
	echo $! >"$d/fake.pid" &&
	wait_for "grep -q listening $d/fake.log" 10
}

test_expect_success 'setup: folders with the same orders, a private file' '
	{
		echo "["
		for i in $(seq 1 12); do
			consumer_order "T-$i" LT EUR null |
			    sed "s/\"card\"/\"bank_transfer\"/; s/2025-08-01T08:00:00Z/2026-03-19T08:00:00Z/"
			echo ","
		done
		consumer_order C-1 DE EUR 2026-03-19T09:00:00Z |
		    sed "s/2025-08-01T08:00:00Z/2026-03-19T08:00:00Z/"
		echo "]"
	} >orders.json &&
	for d in A B F G L P; do make_db $d || return 1; done &&
	echo "private: the payroll" >secret.txt && chmod 600 secret.txt &&
	sha=$(sha256sum secret.txt | cut -d" " -f1) &&
	printf "{\"number\":\"ZLVM-999999\",\"kind\":\"transfer_order\",\"existed\":false,\"path\":\"%s\",\"sha256\":\"%s\",\"files\":[{\"format\":\"pdf\",\"path\":\"%s\",\"sha256\":\"%s\",\"size\":21}],\"reference_formatted\":\"RF00 FAKE\",\"amount\":\"1.00\",\"due_date\":\"2026-03-21\"}\n" \
	    "$PWD/secret.txt" "$sha" "$PWD/secret.txt" "$sha" >fake.json &&
	at B issue T-1 >b-issue.out 2>b-issue.err; echo $? >b-issue.status &&
	test "$(cat b-issue.status)" = 1 && test -s b-issue.err
'

if ! setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null ||
    ! [ -x "$PY" ]; then
	skip "setpriv or $PY unavailable: the fake server of another user is not tested"
else
	test_expect_success 'a fake server of another user: issue of an unpaid order fails as without a server' '
		chmod 777 F && fake F --reuid=65534 --regid=65534 --clear-groups &&
		test "$(stat -c %u F/t.db.sock)" = 65534 &&
		test_must_fail 1 at F issue T-1 >f-issue.out 2>f-issue.err &&
		test_cmp b-issue.err f-issue.err && test ! -s f-issue.out &&
		! grep -q 999999 f-issue.err
	'
	test_expect_success 'a fake server of another user is sent nothing' '
		grep -q "^0 b" F/fake.log &&
		! grep -v "^listening" F/fake.log | grep -qv "^0 b"
	'
	test_expect_success 'a fake server of another user: transfer-order -o copies the real document' '
		at F transfer-order T-2 -o ../f-po.pdf >f-po.out &&
		grep -q "^payment order ZLVM-000001: " f-po.out &&
		! grep -q "999999\|FAKE" f-po.out &&
		! cmp -s f-po.pdf secret.txt && cmp f-po.pdf F/out/ZLVM-000001.pdf &&
		pdftotext f-po.pdf - | grep -q "RF" &&
		test "$(sqlite3 F/t.db "SELECT count(*) FROM document")" = 1
	'
fi
test_expect_success 'a fake server of this user: its answer does not check out, the caller makes the call' '
	fake G &&
	test_must_fail 1 at G issue T-1 >g-issue.out 2>g-issue.err &&
	test_cmp b-issue.err g-issue.err &&
	at G transfer-order T-2 -o ../g-po.pdf >g-po.out &&
	grep -q "^payment order ZLVM-000001: " g-po.out &&
	! cmp -s g-po.pdf secret.txt && cmp g-po.pdf G/out/ZLVM-000001.pdf &&
	grep -q "invgen-serve" G/fake.log
'

start_server A
test_expect_success 'slow connections are dropped and hold no worker: a normal call is served at once' '
	"$PY" "$PEER" slow A/t.db.sock 6 5 slow.ready &
	slow=$! && echo $slow >slow.pid && wait_for "test -e slow.ready" 5 &&
	t0=$(date +%s%N) &&
	at A transfer-order T-3 >a3.out && ms=$(ms_since $t0) &&
	echo "served in $ms ms" && test "$ms" -lt 2000 &&
	test "$(served A "transfer-order T-3: ok")" = 1 &&
	wait_for "test \$(served A \"request: dropped: not whole within 1 s\") -ge 6" 5 &&
	kill $slow
'
test_expect_success 'a stopped server costs a caller at most 2 s' '
	at B transfer-order T-4 >/dev/null &&
	t0=$(date +%s%N) && at B transfer-order T-4 >b4.out && here=$(ms_since $t0) &&
	at A transfer-order T-4 >/dev/null &&
	kill -STOP "$(cat A/serve.pid)" &&
	t0=$(date +%s%N) &&
	(cd A && timeout 30 "$INVGEN" --db t.db --out-dir out transfer-order T-4) >a4.out
	status=$? && ms=$(ms_since $t0) && kill -CONT "$(cat A/serve.pid)" &&
	echo "stopped server: $ms ms; without a server: $here ms" &&
	test "$status" = 0 && grep -q "^payment order ZLVM-" a4.out &&
	test "$ms" -lt $((here + 2000))
'
test_expect_success 'the caller umask travels with the request: 077 gives 600, 022 gives 644' '
	(umask 077 && at A transfer-order T-5 --json >a5.json) &&
	(umask 022 && at A transfer-order T-6 --json >a6.json) &&
	test "$(served A "transfer-order T-[56]: ok")" = 2 &&
	test "$(stat -c %a "A/out/$(jq -r .number a5.json).pdf")" = 600 &&
	test "$(stat -c %a "A/out/$(jq -r .number a6.json).pdf")" = 644
'
test_expect_success 'the log masks bidi controls, invisible characters and escapes' '
	arg=$(printf "T-\342\200\256x\342\200\213y\033z\342\200\250\305\276w\tv") &&
	test_must_fail 1 at A transfer-order "$arg" 2>mask.err &&
	test_grep "no order with order_no" mask.err &&
	cat A/serve.log &&
	grep -F "transfer-order T-?x?y?z?$(printf "\305\276")w?v: not found" A/serve.log &&
	! grep -q "$(printf "\342\200\256")" A/serve.log &&
	! grep -q "$(printf "\342\200\213")" A/serve.log &&
	! grep -q "$(printf "\342\200\250")" A/serve.log &&
	! grep -q "$(printf "\033")" A/serve.log
'
test_expect_success 'SIGTERM still stops it cleanly' '
	test "$(stop_server A TERM)" = 0 && test ! -e A/t.db.sock
'
test_expect_success 'its program file touched: the server stops' '
	cp "$INVGEN" P/prog && start_server P "$PWD/P/prog" &&
	test ! -s P/serve.status && touch P/prog &&
	wait_for "test -s P/serve.status" 5 && test "$(cat P/serve.status)" = 0 &&
	test ! -e P/t.db.sock &&
	test_grep "program file .*/P/prog was replaced or changed; stopped" P/serve.log
'
lib=$(ldd "$INVGEN" 2>/dev/null | sed -n "s/^[[:space:]]*libqrencode[^ ]* => \([^ ]*\) .*/\1/p")
if [ -z "$lib" ]; then
	skip "$INVGEN does not load libqrencode as a shared library"
else
	test_expect_success 'a shared library it has mapped replaced: the server stops' '
		mkdir -p L/lib && cp -L "$lib" "L/lib/$(basename "$lib")" &&
		LD_LIBRARY_PATH=$PWD/L/lib && export LD_LIBRARY_PATH &&
		start_server L &&
		grep -q "$PWD/L/lib/$(basename "$lib")" /proc/$(cat L/serve.pid)/maps &&
		at L transfer-order T-8 >/dev/null &&
		test "$(served L "transfer-order T-8: ok")" = 1 &&
		cp "L/lib/$(basename "$lib")" L/lib/new && mv L/lib/new "L/lib/$(basename "$lib")" &&
		wait_for "test -s L/serve.status" 5 && test "$(cat L/serve.status)" = 0 &&
		test ! -e L/t.db.sock &&
		test_grep "shared library $PWD/L/lib/$(basename "$lib") was replaced; stopped" L/serve.log
	'
fi
test_done
