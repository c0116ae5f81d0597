#!/bin/sh
# t0131-faults-font: a damaged font file is a damaged installation: exit
# status 3 (like a missing font), a message naming the file, nothing
# issued (no number used, no file written), whether the damage is found
# when the font list is loaded (a bad 'head' magic number in the first
# face of a style), when a fallback face is first needed (a bad 'head'
# magic number in the Arabic bold face, for a payer named in Arabic), or
# only when the PDF's font subset is built ('loca' pointing outside
# 'glyf').  render of an issued document fails the same way; restored,
# the data directory issues again.
. "$(dirname "$0")/lib.sh"

export INVGEN_NOW=2025-12-01T12:00:00Z
export INVGEN_DATA_DIR="$scratch/data"

# data: a fresh copy of the data directory.
data() {
	rm -rf data && mkdir data &&
	cp -R "$TOP/templates" "$TOP/fonts" "$TOP/locales" data/
}
# damage FONT WHAT: break data/fonts/FONT: "magic" zeroes the 'head'
# magic number, "loca" points every glyph's end past 'glyf'.
damage() {
	python3 - "data/fonts/$1" "$2" <<'PY'
import struct, sys
path, what = sys.argv[1], sys.argv[2]
b = bytearray(open(path, "rb").read())
tables = {}
for i in range(struct.unpack(">H", b[4:6])[0]):
    e = 12 + 16 * i
    tables[bytes(b[e:e + 4])] = struct.unpack(">II", b[e + 8:e + 16])
head = tables[b"head"][0]
if what == "magic":
    b[head + 12:head + 16] = b"\0\0\0\0"
else:
    loca, loca_len = tables[b"loca"]
    glyf_len = tables[b"glyf"][1]
    long_loca = struct.unpack(">H", b[head + 50:head + 52])[0] == 1
    for g in range(1, loca_len // (4 if long_loca else 2)):
        if long_loca:
            struct.pack_into(">I", b, loca + 4 * g, glyf_len + 4096)
        else:
            struct.pack_into(">H", b, loca + 2 * g, 0xffff)
open(path, "wb").write(b)
PY
}
# broken NAME FONT ORDER: issue ORDER and render ZLV-000001 fail with
# exit 3 naming data/fonts/FONT; nothing is issued or written; restored,
# ORDER issues.
broken() {
	n=$(sqlite3 t.db "SELECT count(*) FROM document") && files=$(ls out) &&
	test_must_fail 3 "$INVGEN" --db t.db --out-dir out issue "$3" 2>"$1.err" &&
	test_grep "data/fonts/$2" "$1.err" &&
	test "$(sqlite3 t.db "SELECT count(*) FROM document")" = "$n" &&
	test "$(ls out)" = "$files" &&
	test_must_fail 3 "$INVGEN" --db t.db render ZLV-000001 -o "$1.pdf" \
	    2>"$1.render.err" &&
	test_grep "data/fonts/$2" "$1.render.err" && test ! -e "$1.pdf" &&
	data && "$INVGEN" --db t.db --out-dir out issue "$3" >/dev/null
}

test_expect_success 'setup: paid orders, one payer named in Arabic' '
	data && "$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null &&
	for i in 1 2 3 4; do
		consumer_order "F-$i" LT EUR 2025-11-20T10:00:00Z || return 1
	done | jq -s . >orders.json &&
	consumer_order A-1 LT EUR 2025-11-20T10:00:00Z |
	    sed "s/Test Payer/\\\\u0645\\\\u0631\\\\u062d\\\\u0628\\\\u0627 Payer/" >arabic.json &&
	"$INVGEN" --db t.db order add orders.json >/dev/null &&
	"$INVGEN" --db t.db order add arabic.json >/dev/null &&
	"$INVGEN" --db t.db --out-dir out issue F-1 >/dev/null &&
	test "$(ls out)" = ZLV-000001.pdf
'
test_expect_success "'loca' pointing outside 'glyf' (found at subsetting): exit 3 naming the file" '
	damage NotoSans-Regular.ttf loca &&
	broken loca NotoSans-Regular.ttf F-2 &&
	test_grep "table .loca.: glyph" loca.err
'
test_expect_success "a bad 'head' magic in a fallback face (opened when needed): exit 3 naming the file" '
	damage NotoSansArabic-Bold.ttf magic &&
	n=$(sqlite3 t.db "SELECT count(*) FROM document") && files=$(ls out) &&
	test_must_fail 3 "$INVGEN" --db t.db --out-dir out issue A-1 2>fallback.err &&
	test_grep "data/fonts/NotoSansArabic-Bold.ttf: table .head.: magic" fallback.err &&
	test "$(sqlite3 t.db "SELECT count(*) FROM document")" = "$n" &&
	test "$(ls out)" = "$files" &&
	data && "$INVGEN" --db t.db --out-dir out issue A-1 >/dev/null
'
test_expect_success "a bad 'head' magic in the first face (found at loading): exit 3 naming the file" '
	damage NotoSans-Regular.ttf magic &&
	broken magic NotoSans-Regular.ttf F-4 &&
	test_grep "table .head.: magic" magic.err
'
test_done
