#!/bin/sh
# t0100-hostile-json: order JSON that is malformed, in another encoding,
# ill-formed UTF-8, NUL bytes raw and escaped, deep, huge or ambiguous.
# Each is refused with exit status 1 and a message saying
# what is wrong and where (line, column, byte offset); the database stays
# byte for byte the same; a batch with one bad order stores none.
hostile_lib=$(cd "$(dirname "$0")" && pwd)/hostile-lib.sh
. "$(dirname "$0")/lib.sh"
. "$hostile_lib"

hostile_db t.db
consumer_order J-1 DE EUR 2025-08-14T10:25:00Z >good.json

# The file: a shell command writing bad.json from good.json, "#", the
# message fragment (a grep pattern; "." stands for a backslash or a
# double quote).  printf and sed with octal escapes write raw bytes.
while IFS='#' read -r make fragment; do
	# (echo in lib.sh interprets backslashes: double them for the title)
	title=$(printf '%s' "$make" | sed 's/\\/\\\\/g')
	test_expect_success "refused: $title" "
		$make &&
		must_refuse t.db bad.json \"$fragment\"
	"
done <<'CASES'
sed 's/Test Payer/Test \o000 Payer/' good.json >bad.json#JSON: unescaped control character U+0000 in string; write it as .u0000 at line 4
sed 's/Test Payer/Test\tPayer/' good.json >bad.json#JSON: unescaped control character U+0009 in string
sed 's/Test Payer/Test\\u0000Payer/' good.json >bad.json#payer.name: control character U+0000 at byte 4 is not allowed
sed 's/"language"/"x\\u0000y": 1, "language"/' good.json >bad.json#JSON: .u0000 is not allowed in an object key at line 3
{ printf '\357\273\277'; cat good.json; } >bad.json#JSON: byte order mark (U+FEFF) is not allowed at line 1, column 1 (byte offset 0)
sed 's/Test Payer/Test \o300\o257 Payer/' good.json >bad.json#JSON: invalid UTF-8 (overlong encoding, byte 0xC0) at line 4
sed 's/Test Payer/Test \o340\o200\o257 Payer/' good.json >bad.json#JSON: invalid UTF-8 .* at line 4
sed 's/Test Payer/Test \o355\o240\o200 Payer/' good.json >bad.json#JSON: invalid UTF-8 (UTF-16 surrogate encoded in UTF-8, byte 0xED) at line 4
sed 's/Test Payer/Test \o364\o220\o200\o200 Payer/' good.json >bad.json#JSON: invalid UTF-8 (code point above U+10FFFF, byte 0xF4) at line 4
sed 's/Test Payer/Test \o342\o202/' good.json >bad.json#JSON: invalid UTF-8 (incomplete multi-byte sequence, byte 0xE2) at line 4
sed 's/Test Payer/Test \o377 Payer/' good.json >bad.json#JSON: invalid UTF-8 .*byte 0xFF) at line 4
sed 's/Test Payer/Test \o200 Payer/' good.json >bad.json#JSON: invalid UTF-8 .*byte 0x80) at line 4
iconv -f UTF-8 -t UTF-16 good.json >bad.json#JSON: invalid UTF-8
iconv -f UTF-8 -t ISO-8859-13 good.json | sed 's/Test Payer/\o320ydr\o373nas/' >bad.json#JSON: invalid UTF-8
sed 's/Test Payer/Test \\ud800 Payer/' good.json >bad.json#JSON: unpaired surrogate .uD800
sed 's/Test Payer/Test \\udc00\\ud800/' good.json >bad.json#JSON: unpaired surrogate .uDC00
sed 's/Test Payer/Test \\x41/' good.json >bad.json#JSON: invalid escape: backslash followed by 'x'
sed 's/Test Payer/Test \\u12G4/' good.json >bad.json#JSON: .*.u
sed 's/12000}]}/12000},]}/' good.json >bad.json#JSON: trailing comma before ']'
{ printf '/* c */ '; cat good.json; } >bad.json#JSON: comments are not allowed at line 1, column 1
sed 's/"language": "en",/"language": "en", "language": "lt",/' good.json >bad.json#JSON: duplicate key .language.
sed "s/\"Test Payer\"/'Test Payer'/" good.json >bad.json#JSON: single quotes are not allowed
sed 's/"quantity": 1/"quantity": 01/' good.json >bad.json#JSON: leading zeros are not allowed in numbers
sed 's/"quantity": 1/"quantity": NaN/' good.json >bad.json#JSON: NaN and Infinity are not allowed
sed 's/"quantity": 1/"quantity": -Infinity/' good.json >bad.json#JSON: -Infinity is not allowed
sed 's/"quantity": 1/"quantity": 1./' good.json >bad.json#JSON: .* at line 10
sed 's/"quantity": 1/"quantity": .5/' good.json >bad.json#JSON: .* at line 10
head -c 200 good.json >bad.json#JSON: unterminated string at line 4, column 41
printf '{"order_no": "J-1", ' >bad.json#JSON: unexpected end of input
: >bad.json#JSON: input is empty; expected a JSON value at line 1, column 1 (byte offset 0)
printf ' \n\t \r\n' >bad.json#JSON: unexpected end of input; expected a value at line 3
printf 'null' >bad.json#order: must be an object
printf '"order"' >bad.json#order: must be an object
printf '[]' >bad.json#orders: an array must hold 1 to 10000 orders
printf '[1]' >bad.json#\\[0\\]: must be an object
{ cat good.json good.json; } >bad.json#JSON: expected the end of input after the top-level value
python3 -c "print('[' * 100000 + ']' * 100000)" >bad.json#JSON: nesting deeper than 64 levels at line 1, column 65 (byte offset 64)
python3 -c "print(' ' * (8 * 1024 * 1024) + '{}')" >bad.json#JSON: input is 8388611 bytes, more than the limit of 8388608 bytes
python3 -c "print('1' + '0' * 100000)" >bad.json#order: must be an object
sed 's/"language"/"junk": 1, "language"/' good.json >bad.json#junk: unknown field
sed 's/"line1"/"Line1"/' good.json >bad.json#payer.address.Line1: unknown field
sed 's/"line1"/"line1 "/' good.json >bad.json#payer.address.line1 : unknown field
sed 's/"line1"/"lin\\u0065 1"/' good.json >bad.json#unknown field
CASES

test_expect_success 'refused: a 1 MB string in an unknown field' '
	python3 -c "
import json, sys
o = json.load(open(\"good.json\"))
o[\"junk\"] = \"x\" * 1000000
json.dump(o, open(\"bad.json\", \"w\"))" &&
	must_refuse t.db bad.json "junk: unknown field"
'
test_expect_success 'escaped and raw forms of the same text are the same order' '
	sed "s/Test Payer/J\\\\u00fcrgen \\\\u0057ei\\\\u00df/" good.json | sed "s/J-1/J-2/" >esc.json &&
	sed "s/Test Payer/Jürgen Weiß/" good.json | sed "s/J-1/J-2/" >raw.json &&
	"$INVGEN" --db t.db order add esc.json >out && test_grep "^1 order stored" out &&
	"$INVGEN" --db t.db order add --json raw.json >out &&
	test_grep "\"stored\":0,\"unchanged\":1" out &&
	test "$(sqlite3 t.db "SELECT name FROM payer JOIN orders ON payer.id = payer_id WHERE order_no = '\''J-2'\''")" = "Jürgen Weiß"
'
test_expect_success 'CRLF line endings and an escaped astral character are fine' '
	sed "s/Test Payer/Emoji \\\\ud83d\\\\ude00/; s/J-1/J-3/; s/\$/\r/" good.json >crlf.json &&
	"$INVGEN" --db t.db order add crlf.json >out &&
	test_grep "^1 order stored" out &&
	test "$(sqlite3 t.db "SELECT name FROM payer JOIN orders ON payer.id = payer_id WHERE order_no = '\''J-3'\''")" = "Emoji 😀"
'
test_expect_success 'a batch with one hostile order stores none; the message names the element' '
	{ echo "["; consumer_order J-4 DE EUR null; echo ","
	  consumer_order J-5 DE EUR null | sed "s/Test Payer/Test\\\\u202ePayer/"; echo "]"; } >batch.json &&
	must_refuse t.db batch.json "\[1\].payer.name: bidirectional control character U+202E" &&
	test "$(sqlite3 t.db "SELECT count(*) FROM orders WHERE order_no IN ('\''J-4'\'', '\''J-5'\'')")" = 0
'
test_expect_success 'a batch naming one order twice is refused' '
	{ echo "["; consumer_order J-6 DE EUR null; echo ","; consumer_order J-6 DE EUR null; echo "]"; } >twice.json &&
	must_refuse t.db twice.json "\[1\].order_no: .J-6. appears twice in this input"
'
test_expect_success 'stdin: hostile bytes through a pipe are refused the same way' '
	sum=$(db_sum t.db) &&
	sed "s/Test Payer/Test \o377 Payer/" good.json |
	    test_must_fail 1 "$INVGEN" --db t.db order add - 2>err &&
	test_grep "JSON: invalid UTF-8" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'not a file: a directory, a missing file (I/O errors, exit 3)' '
	sum=$(db_sum t.db) &&
	test_must_fail 3 "$INVGEN" --db t.db order add . 2>err &&
	test_grep "cannot read" err &&
	test_must_fail 3 "$INVGEN" --db t.db order add no-such.json 2>err &&
	test_grep "cannot read no-such.json" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_done
