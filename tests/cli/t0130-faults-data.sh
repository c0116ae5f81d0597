#!/bin/sh
# t0130-faults-data: a broken installation: a template, a font, the font
# list or a locale catalogue missing, truncated or invalid in the data
# directory (INVGEN_DATA_DIR points at a copy with one file removed or
# damaged).  issue must stop with a message naming the file and the
# cause, use no number, leave the database unchanged and write no file;
# render, verify and batch must name the file too; after the file is
# restored the rerun issues the next number and the PDF verifies.  A
# missing catalogue of a language invgen ships (lt, ru) must not quietly
# give a Lithuanian invoice English labels.
. "$(dirname "$0")/faults-lib.sh"
. "$(dirname "$0")/lib.sh"

export INVGEN_NOW=2025-12-01T12:00:00Z
all="--from 2025-12-01 --to 2025-12-01"
fault_db t.db && paid_orders F 20 >orders.json &&
"$INVGEN" --db t.db order add orders.json >/dev/null &&
for l in lt ru lt-en de; do
	consumer_order "L-$l" LT EUR 2025-11-20T10:00:00Z |
	    sed "s/\"language\": \"en\"/\"language\": \"$l\"/"
done | jq -s . >langs.json &&
"$INVGEN" --db t.db order add langs.json >/dev/null &&
"$INVGEN" --db t.db --out-dir docs issue F-1 >/dev/null && db_checkpoint t.db

# data: a fresh copy of the data directory.
data() {
	rm -rf data && mkdir data &&
	cp -R "$TOP/templates" "$TOP/fonts" "$TOP/locales" data/
}
next=2		# the next invoice number and F- order

# broken_install WHAT STATUS PATTERN: with data/ broken by the caller,
# issue F-$next fails with STATUS and PATTERN (grep -E) without a trace;
# render, verify and batch of ZLV-000001 name the same file; restoring
# data/ lets the rerun issue ZLV-$next.
broken_install() {
	db_checkpoint t.db && sum=$(db_sum t.db) &&
	must_fail_cleanly "$2" "$3" env INVGEN_DATA_DIR="$scratch/data" \
	    "$INVGEN" --db t.db --out-dir out issue "F-$next" &&
	db_checkpoint t.db && test "$(db_sum t.db)" = "$sum" &&
	series_ok t.db ZLV $((next - 1)) &&
	{ test ! -e out || test -z "$(ls -A out)"; } &&
	must_fail_cleanly "$2" "$3" env INVGEN_DATA_DIR="$scratch/data" \
	    "$INVGEN" --db t.db render ZLV-000001 -o r.pdf &&
	test ! -e r.pdf &&
	env INVGEN_DATA_DIR="$scratch/data" "$INVGEN" --db t.db verify \
	    ZLV-000001 >v.out 2>v.err
	test $? = 1 && test_grep "ZLV-000001 pdf: cannot re-render" v.out &&
	grep -Eq -- "$3" v.out &&
	rm -rf b && must_fail_cleanly "$2" "could not be rendered" \
	    env INVGEN_DATA_DIR="$scratch/data" "$INVGEN" --db t.db batch $all \
	    --out b >b.out &&
	grep -Eq -- "$3" b.out && no_tmp_files b &&
	data &&
	env INVGEN_DATA_DIR="$scratch/data" "$INVGEN" --db t.db --out-dir out \
	    issue "F-$next" --json >i.json &&
	test "$(jq -r .number i.json)" = "$(printf "ZLV-%06d" $next)" &&
	series_ok t.db ZLV $next &&
	pdf_ok t.db out "$(printf "ZLV-%06d" $next)" && rm -r out
}

for f in templates/invoice.xml fonts/fonts.txt fonts/NotoSans-Regular.ttf \
    fonts/NotoSans-Bold.ttf fonts/DroidSansFallbackFull.ttf \
    fonts/DejaVuSans.ttf locales/en.txt; do
	test_expect_success "missing $f: exit 3 naming it, nothing issued; restored, the rerun issues" "
		data && rm data/$f &&
		broken_install $f 3 'data/$f.*No such file or directory'
	"
	next=$((next + 1))
done

# damaged TITLE DAMAGE PATTERN NAME: DAMAGE (shell commands) breaks
# data/; the calls fail naming the file (PATTERN); the exit status of
# issue is kept in status.NAME.
damaged() {
	test_expect_success "$1: a clear error naming the file; restored, the rerun issues" "
		data && $2 &&
		broken_install x any '$3' &&
		data && $2 &&
		must_fail_cleanly any '$3' env INVGEN_DATA_DIR=\"\$scratch/data\" \
		    \"\$INVGEN\" --db t.db --out-dir out issue F-$((next + 1)) &&
		cp last.status status.$4 && data
	"
	next=$((next + 1))
}
damaged 'a truncated font' \
    'head -c 1000 "$TOP/fonts/NotoSans-Regular.ttf" >data/fonts/NotoSans-Regular.ttf' \
    'data/fonts/NotoSans-Regular.ttf' font
damaged 'an empty font' ': >data/fonts/DejaVuSans.ttf' \
    'data/fonts/DejaVuSans.ttf: 0 bytes' emptyfont
damaged 'a truncated template' \
    'head -c 1500 "$TOP/templates/invoice.xml" >data/templates/invoice.xml' \
    'data/templates/invoice.xml:[0-9]+' template
damaged 'a template with mismatched tags' \
    'sed -i "s/<column/<colum/" data/templates/invoice.xml' \
    'data/templates/invoice.xml:[0-9]+: .*mismatch' template2
damaged 'a locale with invalid UTF-8' \
    'printf "\\377\\376 x\\n" >>data/locales/en.txt' \
    'data/locales/en.txt:[0-9]+: invalid UTF-8' locale
damaged 'an unknown style in the font list' \
    'echo "italic NotoSans-Regular.ttf" >>data/fonts/fonts.txt' \
    'data/fonts/fonts.txt:[0-9]+: style .italic. unknown' fontlist

# A damaged file of the installation is not refused input: exit 1 tells
# a bot that the order is wrong and not worth retrying, while the same
# file missing gives exit 3.
test_expect_success 'BUG: a damaged data file exits 3 (storage or I/O), not 1 (refused input)' '
	for w in font emptyfont template template2 locale fontlist; do
		echo "$w: exit $(cat status.$w)"
	done &&
	! grep -qx 1 status.*
'
test_expect_success 'a data directory that does not exist: exit 3 naming it' '
	db_checkpoint t.db && sum=$(db_sum t.db) &&
	must_fail_cleanly 3 "/nonexistent-invgen-data/" \
	    env INVGEN_DATA_DIR=/nonexistent-invgen-data \
	    "$INVGEN" --db t.db --out-dir out issue F-$next &&
	db_checkpoint t.db && test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'a language without a catalogue (de) gets English labels, as documented' '
	data && "$INVGEN" --db t.db --out-dir out issue L-de --json >de.json &&
	pdftotext "$(jq -r ".files[0].path" de.json)" - | grep -q "VAT invoice"
'
# i18n.c loads DIR/LANG.txt as optional (cat_load(..., optional = 1)): a
# missing file means "no catalogue", so an installation that lost lt.txt
# issues Lithuanian invoices with English labels, records their hash, and
# `invgen verify` reports a MISMATCH once lt.txt is back.
for l in lt ru lt-en; do
	f=${l%-en}
	test_expect_success "BUG: locales/$f.txt missing: an invoice in $l is refused, not issued in English" "
		data && rm data/locales/$f.txt &&
		db_checkpoint t.db && sum=\$(db_sum t.db) &&
		must_fail_cleanly 3 'data/locales/$f.txt.*No such file or directory' \
		    env INVGEN_DATA_DIR=\"\$scratch/data\" \
		    \"\$INVGEN\" --db t.db --out-dir out-$l issue L-$l &&
		db_checkpoint t.db && test \"\$(db_sum t.db)\" = \"\$sum\"
	"
done
test_expect_success 'every F- document issued here verifies with the intact data directory' '
	"$INVGEN" --db t.db verify $(sqlite3 t.db "SELECT d.number FROM document d
	    JOIN orders o ON o.id = d.order_id WHERE o.order_no LIKE '\''F-%'\''") >v.out &&
	test_grep "^$((next - 1)) documents, $((next - 1)) file checks ok, 0 problems" v.out
'
test_done
