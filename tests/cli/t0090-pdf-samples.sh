#!/bin/sh
# t0090-pdf-samples: the sample documents as a payer and an auditor see
# them.  The committed samples/ are current; every PDF passes qpdf
# --check; its text (pdftotext) equals the golden text and holds the
# mandatory fields; names in every script are extracted intact (36
# documents: 27 invoices, 6 credit notes, 2 payment orders, 1 prepayment
# receipt); the New York
# payer's invoice is on US Letter, the others on A4; the seller's logo;
# re-rendering in another process under another LANG and TZ gives the
# same bytes; the 60-line invoice breaks across pages with its header.
. "$(dirname "$0")/lib.sh"

build_samples "$scratch/s" >/dev/null 2>build.err
db="$scratch/s/sample.db"
pdfs="$scratch/s/pdf"

test_expect_success 'samples build without a warning' '
	test -s "$db" && test ! -s build.err
'
test_expect_success 'samples/ is current (run make samples and commit)' '
	diff -r "$TOP/samples/pdf" "$pdfs" && diff -r "$TOP/samples/ubl" "$scratch/s/ubl" &&
	diff -r "$TOP/samples/cii" "$scratch/s/cii" &&
	diff -r "$TOP/samples/facturx" "$scratch/s/facturx"
'
test_expect_success 'the release program makes the same files' '
	test -x "$INVGEN_REL" &&
	sh "$TOP/samples/build.sh" "$scratch/r" "$INVGEN_REL" >/dev/null &&
	for d in pdf ubl cii facturx; do
		diff -r "$pdfs/../$d" "$scratch/r/$d" || exit 1
	done
'
test_expect_success 'qpdf --check passes on every PDF' '
	for f in "$pdfs"/*.pdf; do
		qpdf --check "$f" >q.out 2>&1 || { cat q.out; exit 1; }
	done
'
test_expect_success 'pdftotext output equals the golden text' '
	for f in "$pdfs"/*.pdf; do
		n=$(basename "$f" .pdf)
		pdftotext -layout "$f" got.txt &&
		diff -u "$TOP/tests/golden/pdf/$n.txt" got.txt || exit 1
	done
'
test_expect_success 'every document shows its mandatory fields' '
	for f in "$pdfs"/*.pdf; do
		n=$(basename "$f" .pdf)
		pdftotext "$f" - | tr -s " \n" "  " >t.txt &&
		"$INVGEN" --db "$db" show "$n" --json >d.json || exit 1
		# one jq for every field: shell assignments, quoted by jq
		eval "$(jq -r "@sh \"number=\\(.number) code=\\(.seller.company_code) payer=\\(.payer.name) order=\\(.order_no) sv=\\(.seller.vat_number // \"\") pv=\\(.payer.vat_number // \"\") treatment=\\(.treatment)\"" d.json)" &&
		test -n "$number" || { echo "$n: show --json gave no number"; exit 1; }
		for v in "$number" "$code" "$payer" "$order"; do
			grep -qF -- "$v" t.txt || { echo "$n: \"$v\" missing"; exit 1; }
		done
		if [ -n "$sv" ]; then grep -q "$sv" t.txt || { echo "$n: no seller VAT number"; exit 1; }
		else ! grep -q LT100018548216 t.txt || { echo "$n: VAT number before registration"; exit 1; }; fi
		[ -z "$pv" ] || grep -q "$pv" t.txt || { echo "$n: no buyer VAT number"; exit 1; }
		case $treatment in
		REVERSE_CHARGE) grep -q "Reverse charge\|Atvirkštinis apmokestinimas" t.txt ;;
		OUTSIDE_SCOPE) grep -qi "outside the scope of EU VAT\|ne ES PVM" t.txt ;;
		NOT_VAT_REGISTERED) grep -qi "not a VAT payer\|nebuvo PVM mokėtojas\|не был плательщиком НДС" t.txt ;;
		OSS_DESTINATION) grep -q "OSS" t.txt ;;
		*) true ;;
		esac || { echo "$n: the VAT note of its treatment is missing"; exit 1; }
	done
'
test_expect_success 'names in every script are extracted intact' '
	for name in "Γιώργος Παπαδόπουλος" "Анна Кузнецова" "山田太郎" "王芳" \
	    "محمد علي الحسن" "דוד כהן" "Žydrūnas Čiurlionis" "Siobhán Ní Bhriain" \
	    "राजेश कुमार शर्मा" "สมชาย ใจดี" "মোহাম্মদ রফিকুল ইসলাম" "ნინო ბერიძე"; do
		grep -rqF -- "$name" "$TOP/tests/golden/pdf" || { echo "missing: $name"; exit 1; }
	done
'
test_expect_success 'the credit note names the invoice, the reason, negative amounts' '
	pdftotext -layout "$pdfs/ZLVK-000001.pdf" c.txt &&
	test_grep "ZLV-000003" c.txt && test_grep "Refund of 3 unused months" c.txt &&
	test_grep "32.13" c.txt && grep -q "−€32.13\|-€32.13" c.txt
'
test_expect_success 'the EUR VAT box: rate, date and source' '
	pdftotext -layout "$pdfs/ZLV-000007.pdf" u.txt &&
	test_grep "1 EUR = 1.1678 USD" u.txt && test_grep "ECB" u.txt &&
	test_grep "€21.42" u.txt
'
test_expect_success 'US Letter for the payer in the United States, A4 for the others' '
	pdfinfo "$pdfs/ZLV-000009.pdf" | grep -q "^Page size: *612 x 792 pts (letter)" &&
	for f in "$pdfs"/*.pdf; do
		[ "$(basename "$f")" = ZLV-000009.pdf ] && continue
		pdfinfo "$f" | grep -q "^Page size: *595.276 x 841.89 pts (A4)" ||
		    { echo "$f: not A4"; exit 1; }
	done
'
test_expect_success 'the seller logo of 2025, as given, on every document of the period' '
	for n in ZLV-000001 ZLVK-000003 ZLVM-000002; do
		pdfimages -list "$pdfs/$n.pdf" >img.txt &&
		grep -q "^ *1 *0 image *312 *96 " img.txt &&
		grep -q "^ *1 *1 smask *312 *96 " img.txt || { cat img.txt; exit 1; }
	done &&
	pdfimages -list "$pdfs/ZL-000001.pdf" >img0.txt &&
	test "$(wc -l <img0.txt)" = 2 &&
	test "$(sqlite3 "$db" "SELECT sha256 FROM logo")" = \
	    "$(sha256sum "$TOP/samples/logo.png" | cut -d" " -f1)"
'
test_expect_success 'the 60-line invoice: several pages, header and page N of M on each' '
	pages=$(pdfinfo "$pdfs/ZLV-000015.pdf" | sed -n "s/^Pages: *//p") &&
	test "$pages" -ge 2 &&
	for p in $(seq 1 $pages); do
		pdftotext -layout -f $p -l $p "$pdfs/ZLV-000015.pdf" pg.txt &&
		test_grep "Page $p of $pages" pg.txt && test_grep "Description" pg.txt || exit 1
	done
'
test_expect_success 'plural forms through ICU: lt and ru month counts' '
	grep -q "12 mėnesių" "$TOP/tests/golden/pdf/ZLV-000001.txt" &&
	grep -q "6 mėnesiai\|6 mėn" "$TOP/tests/golden/pdf/ZLV-000002.txt" &&
	grep -q "12 месяцев" "$TOP/tests/golden/pdf/ZLV-000006.txt" &&
	grep -q "36 mėnesiai" "$TOP/tests/golden/pdf/ZLV-000017.txt" &&
	grep -q "12 месяцев" "$TOP/tests/golden/pdf/ZLVK-000005.txt"
'
test_expect_success 'another process, LANG and TZ re-render the same bytes (verify)' '
	LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 TZ=Pacific/Chatham \
	    "$INVGEN" --db "$db" verify --from 2024-01-01 --to 2026-12-31 >v.out &&
	test_grep "36 documents, 135 file checks ok, 0 problems" v.out &&
	LANG=ja_JP.UTF-8 TZ=America/St_Johns "$INVGEN" --db "$db" render ZLV-000012 -o a.pdf >/dev/null &&
	cmp a.pdf "$pdfs/ZLV-000012.pdf"
'
test_expect_success 'verify catches a changed snapshot row and a flipped byte' '
	cp "$db" tampered.db &&
	sqlite3 tampered.db "DROP TRIGGER document_immutable_u; UPDATE document SET payer_name = '\''Mallory'\'' WHERE number = '\''ZLV-000003'\''" &&
	test_must_fail 1 "$INVGEN" --db tampered.db verify ZLV-000003 ZLV-000004 >v2.out &&
	test_grep "ZLV-000003 pdf: MISMATCH" v2.out && ! grep -q "ZLV-000004 pdf: MISMATCH" v2.out &&
	mkdir -p arch && cp "$pdfs"/*.pdf "$scratch"/s/ubl/* "$scratch"/s/cii/* \
	    "$scratch"/s/facturx/* arch/ &&
	printf "\\001" | dd of=arch/ZLV-000005.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	rm arch/ZLV-000006.pdf &&
	test_must_fail 1 "$INVGEN" --db "$db" verify --from 2024-01-01 --to 2026-12-31 --archive arch >v3.out &&
	test_grep "arch/ZLV-000005.pdf: MISMATCH" v3.out &&
	test_grep "arch/ZLV-000006.pdf: MISSING" v3.out &&
	test_grep "2 problems" v3.out
'
test_done
