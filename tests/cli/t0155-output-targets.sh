#!/bin/sh
# t0155-output-targets: what a caller names as an output file never
# destroys anything, and created files follow the caller's umask.
#
# `render DOC -o`, `transfer-order -o` and `export isaf -o` (and `export
# ubl -o DIR`) refuse, with exit 1, a message naming the target and
# nothing written, a target that is the database (by name, through a hard
# link, through another spelling of its folder), one of its -wal, -shm
# or -journal files (which need not exist), a FIFO, a device node, a
# directory, or a symbolic link to a file; the target is left as it was,
# no temporary file is left beside it and the database is unchanged.
# With umask 077 every file invgen creates (issued documents in the
# output folder, -o copies, renders, exports, a batch's files and
# manifest) is mode 600; with 022, 644.
. "$(dirname "$0")/lib.sh"

export INVGEN_NOW=2026-03-20T12:00:00Z
ig() { "$INVGEN" --db t.db --out-dir out "$@"; }

# kind PATH: what is at PATH, for comparing before and after.
kind() {
	if [ -L "$1" ]; then echo "link -> $(readlink "$1")"
	elif [ -p "$1" ]; then echo fifo
	elif [ -c "$1" ]; then echo "char $(stat -c %t:%T "$1")"
	elif [ -d "$1" ]; then echo "dir $(ls -A "$1" | tr '\n' ' ')"
	elif [ -f "$1" ]; then echo "file $(sha256sum <"$1" | cut -c1-16)"
	else echo none
	fi
}
# refused TARGET PATTERN COMMAND...: COMMAND exits 1 naming TARGET
# (PATTERN, grep -E, in the message), TARGET and the database are as they
# were, and no temporary file is left in the folder.
refused() {
	target=$1 pattern=$2 && shift 2 &&
	before=$(kind "$target") && db=$(sha256sum <t.db) &&
	test_must_fail 1 "$@" >refused.out 2>refused.err &&
	grep -Eq -- "$pattern" refused.err &&
	test ! -s refused.out &&
	test "$(kind "$target")" = "$before" &&
	test "$(sha256sum <t.db)" = "$db" &&
	test -z "$(find . "$(dirname "$target")" -maxdepth 1 -name "*.tmp.*")" ||
	{ echo "refused $target: $*"; cat refused.err; kind "$target"; false; }
}

test_expect_success 'setup: an invoice, a payment order, targets of every kind' '
	umask 022 &&
	"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null &&
	{
		echo "["
		for i in 1 2 3; do
			consumer_order "C-$i" LT EUR 2026-03-19T09:00:00Z && echo ","
			consumer_order "T-$i" LT EUR null |
			    sed "s/\"card\"/\"bank_transfer\"/"
			[ $i = 3 ] || echo ","
		done
		echo "]"
	} >orders.json &&
	ig order add orders.json >/dev/null &&
	ig issue C-1 >/dev/null && ig transfer-order T-1 >/dev/null &&
	ln t.db hard.db && mkdir sub && mkfifo fifo && mkdir dir &&
	echo "keep me" >victim.pdf && ln -s victim.pdf link.pdf &&
	ln -s t.db dblink && mkdir xdir && ln -s ../victim.pdf xdir/ZLV-000001.ubl.xml
'
if mknod null c 1 3 2>/dev/null; then
	devices=null
else
	devices=
	skip "mknod not permitted: a device node target is not tested"
fi
for cmd in "render ZLV-000001 -o" "transfer-order T-1 -o" \
    "export isaf --month 2026-03 -o"; do
	test_expect_success "$cmd: the database, its files and special files are refused" "
		for t in t.db hard.db ./t.db sub/../t.db t.db-wal t.db-shm \
		    t.db-journal; do
			refused \$t 't.db' ig $cmd \$t || return 1
		done &&
		for t in fifo $devices dir; do
			refused \$t 'not a regular file' ig $cmd \$t || return 1
		done &&
		for t in link.pdf dblink; do
			refused \$t 'symbolic link' ig $cmd \$t || return 1
		done &&
		test ! -e t.db-wal && test ! -e t.db-shm && test ! -e t.db-journal
	"
done
test_expect_success 'the database named by an absolute path: its side files by any spelling' '
	refused t.db-journal "t.db-journal" "$INVGEN" --db "$PWD/t.db" \
	    render ZLV-000001 -o ./t.db-journal &&
	refused t.db "database" "$INVGEN" --db "$PWD/t.db" \
	    render ZLV-000001 -o "$PWD/sub/../t.db" &&
	test ! -e t.db-journal
'
test_expect_success 'export ubl -o DIR: a symbolic link in DIR is refused too' '
	refused xdir/ZLV-000001.ubl.xml "symbolic link" \
	    ig export ubl ZLV-000001 -o xdir &&
	test "$(cat victim.pdf)" = "keep me"
'
test_expect_success 'an ordinary target is still written and replaced' '
	ig render ZLV-000001 -o r.pdf >/dev/null &&
	echo old >r2.pdf && ig render ZLV-000001 -o r2.pdf >/dev/null &&
	cmp r.pdf r2.pdf && cmp r.pdf out/ZLV-000001.pdf
'
test_expect_success 'umask 077: every file created is mode 600' '
	(
		umask 077 &&
		ig issue C-2 --json >c2.json && ig transfer-order T-2 -o t77.pdf >/dev/null &&
		ig render ZLV-000001 -o r77.pdf >/dev/null &&
		ig export isaf --month 2026-03 -o i77.xml >/dev/null &&
		ig export ubl ZLV-000001 -o e77 >/dev/null &&
		ig batch --from 2026-03-01 --to 2026-03-31 --out b77 >/dev/null
	) &&
	test -s b77/manifest.csv && test -s b77/ZLV-000001.pdf &&
	test -z "$(find b77 -type f ! -perm 600)" &&
	for f in "out/$(jq -r .number c2.json).pdf" out/ZLVM-000002.pdf t77.pdf \
	    r77.pdf i77.xml e77/ZLV-000001.ubl.xml; do
		test "$(stat -c %a "$f")" = 600 || { ls -l "$f"; return 1; }
	done &&
	test "$(stat -c %a e77)" = 700
'
test_expect_success 'umask 022: every file created is mode 644' '
	(
		umask 022 &&
		ig issue C-3 --json >c3.json && ig transfer-order T-3 -o t22.pdf >/dev/null &&
		ig render ZLV-000001 -o r22.pdf >/dev/null &&
		ig export isaf --month 2026-03 -o i22.xml >/dev/null
	) &&
	for f in "out/$(jq -r .number c3.json).pdf" out/ZLVM-000003.pdf t22.pdf \
	    r22.pdf i22.xml; do
		test "$(stat -c %a "$f")" = 644 || { ls -l "$f"; return 1; }
	done
'
test_done
