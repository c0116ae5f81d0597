#!/bin/sh
# t0110-batch: `invgen batch` regenerates a period of issued documents.
# Over the samples it reproduces every issued PDF and exported e-invoice
# byte for byte and its manifest carries the recorded hashes; a rerun
# keeps what is there, replaces a damaged file and removes stray
# temporary files; --kind and --shard select exactly the right documents;
# a hostile document number cannot make it write outside --out; a batch
# killed with SIGKILL half-way and rerun ends with every file correct and
# no temporary file; the progress line appears only on a terminal.
. "$(dirname "$0")/lib.sh"

: "${SYNTH:=$TOP/build/san/synth}"
build_samples "$scratch/s" >/dev/null 2>build.err
cp "$scratch/s/sample.db" b.db
all="--from 2020-01-01 --to 2030-12-31"

# The rows of a manifest as "number,format,file,sha256", sorted (python3
# parses the CSV: buyer names may hold commas and quotes).
rows() {
	python3 -c '
import csv, sys
r = csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))
h = next(r)
assert h == ["number", "kind", "issue_date", "tax_point_date", "buyer",
    "country", "currency", "net", "vat", "total", "treatment", "format",
    "file", "sha256"], h
for x in sorted(r):
    print(",".join([x[0], x[11], x[12], x[13]]))
' "$1"
}

# The recorded hashes of formats ($2, SQL list) as "number,format,sha256".
recorded() {
	sqlite3 "$1" "SELECT d.number || ',' || f.format || ',' || f.sha256
	    FROM document_file f JOIN document d ON d.id = f.document_id
	    WHERE f.format IN ($2) ORDER BY 1"
}

test_expect_success 'batch over the samples: every issued file, byte for byte' '
	test ! -s build.err &&
	"$INVGEN" --db b.db batch $all --formats pdf,ubl,cii --out out1 \
	    --jobs 2 >sum1 2>err1 &&
	test ! -s err1 && test_grep " 0 mismatches, 0 errors" sum1 &&
	n=0 &&
	for f in "$scratch"/s/pdf/*.pdf "$scratch"/s/ubl/* "$scratch"/s/cii/*; do
		cmp "$f" "out1/$(basename "$f")" || exit 1
		n=$((n + 1))
	done &&
	test "$(ls out1 | grep -c "\.pdf$\|\.xml$")" -eq "$n" &&
	test_grep "^$(sqlite3 b.db "SELECT count(*) FROM document") documents" sum1
'
test_expect_success 'the manifest: one row per file, the recorded SHA-256' '
	rows out1/manifest.csv >m1 &&
	cut -d, -f1,2,4 m1 >got && recorded b.db "'\''pdf'\'','\''ubl'\'','\''cii'\''" >want &&
	test_cmp want got &&
	cut -d, -f3,4 m1 | sort >want2 &&
	(cd out1 && sha256sum $(cut -d, -f3 ../m1)) | awk "{print \$2 \",\" \$1}" |
	    sort >got2 && test_cmp want2 got2 &&
	grep -q "^ZLV-000004,invoice,2025-09-10,2025-09-10,Société Générale.*,FR,EUR,453.60,0.00,453.60,REVERSE_CHARGE,pdf,ZLV-000004.pdf," out1/manifest.csv
'
test_expect_success 'a rerun keeps every file' '
	"$INVGEN" --db b.db batch $all --formats pdf,ubl,cii --out out1 >sum2 &&
	test_grep ": 0 files written (0 replaced), $(wc -l <m1) already present" sum2 &&
	rows out1/manifest.csv >m2 && test_cmp m1 m2
'
test_expect_success 'a damaged file is re-rendered and replaced' '
	printf "\\001" | dd of=out1/ZLV-000005.pdf bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	rm out1/ZLV-000006.ubl.xml &&
	"$INVGEN" --db b.db batch $all --formats pdf,ubl,cii --out out1 >sum3 &&
	test_grep "ZLV-000005.pdf: was present with other content; replaced" sum3 &&
	test_grep ": 2 files written (1 replaced)" sum3 &&
	cmp "$scratch/s/pdf/ZLV-000005.pdf" out1/ZLV-000005.pdf &&
	cmp "$scratch/s/ubl/ZLV-000006.ubl.xml" out1/ZLV-000006.ubl.xml
'
test_expect_success 'stray temporary files of a killed batch are removed, nothing else' '
	echo x >out1/ZLV-000001.pdf.tmp.AbC123 &&
	echo x >out1/manifest.csv.tmp.Zz9Zz9 &&
	echo x >out1/notes.tmp.AbC123 && echo x >out1/ZLV-000001.pdf.tmp.short &&
	"$INVGEN" --db b.db batch $all --out out1 >sum4 &&
	test_grep "removed 2 temporary files" sum4 &&
	test ! -e out1/ZLV-000001.pdf.tmp.AbC123 &&
	test ! -e out1/manifest.csv.tmp.Zz9Zz9 &&
	test -e out1/notes.tmp.AbC123 && test -e out1/ZLV-000001.pdf.tmp.short
'
test_expect_success 'a rendering that differs from the recorded hash is not written' '
	cp b.db t.db &&
	sqlite3 t.db "DROP TRIGGER document_immutable_u; UPDATE document SET payer_name = '\''Mallory'\'' WHERE number = '\''ZLV-000003'\''" &&
	test_must_fail 1 "$INVGEN" --db t.db batch $all --out out5 >sum5 2>err5 &&
	test_grep "ZLV-000003 pdf: MISMATCH" sum5 && test_grep " 1 mismatch, 0 errors" sum5 &&
	test_grep "differ from the recorded hash" err5 &&
	test ! -e out5/ZLV-000003.pdf && cmp out5/ZLV-000004.pdf out1/ZLV-000004.pdf
'
test_expect_success '--kind credit_note: only the credit notes' '
	"$INVGEN" --db b.db batch $all --kind credit_note --out out2 >/dev/null &&
	ls out2 | grep -v "^manifest.csv$" >got &&
	sqlite3 b.db "SELECT number || '\''.pdf'\'' FROM document WHERE kind = '\''credit_note'\'' ORDER BY 1" >want &&
	test -s want && test_cmp want got &&
	test "$(cut -d, -f2 out2/manifest.csv | sort -u | tr "\n" " ")" = "credit_note kind "
'
test_expect_success 'payment orders get a PDF, never an e-invoice' '
	"$INVGEN" --db b.db batch $all --kind transfer_order --formats pdf,ubl,cii \
	    --out out6 >/dev/null &&
	ls out6 | grep -v "^manifest.csv$" >got &&
	sqlite3 b.db "SELECT number || '\''.pdf'\'' FROM document WHERE kind = '\''transfer_order'\'' ORDER BY 1" >want &&
	test_cmp want got
'
test_expect_success '--formats facturx: the files and their recorded hashes' '
	"$INVGEN" --db b.db batch $all --kind invoice,credit_note --formats facturx \
	    --out out7 >sum7 &&
	rows out7/manifest.csv | cut -d, -f1,2,4 >got &&
	recorded b.db "'\''facturx'\''" >want && test -s want && test_cmp want got &&
	"$INVGEN" --db b.db batch $all --formats facturx --out out7 >sum7b &&
	test_grep ": 0 files written" sum7b
'
test_expect_success '--shard 1/2 and 2/2 together are exactly the full set' '
	"$INVGEN" --db b.db batch $all --formats pdf,ubl,cii --shard 1/2 \
	    --out out3 >/dev/null &&
	"$INVGEN" --db b.db batch $all --formats pdf,ubl,cii --shard 2/2 \
	    --out out3 >/dev/null &&
	rows out3/manifest-1-of-2.csv >s1 && rows out3/manifest-2-of-2.csv >s2 &&
	test -s s1 && test -s s2 &&
	cut -d, -f1 s1 | sort -u >n1 && cut -d, -f1 s2 | sort -u >n2 &&
	test -z "$(comm -12 n1 n2)" &&
	sort s1 s2 >s12 && test_cmp m1 s12 &&
	ls out3 | grep -v "^manifest" >got && ls out1 | grep "\.pdf$\|\.xml$" >want &&
	test_cmp want got
'
test_expect_success 'refused options name what is allowed' '
	test_must_fail 1 "$INVGEN" --db b.db batch $all --out o --shard 3/2 2>e1 &&
	test_grep "shard: .3/2. is not allowed; allowed: K/N" e1 &&
	test_must_fail 1 "$INVGEN" --db b.db batch $all --out o --formats pdf,xls 2>e2 &&
	test_grep "formats: .xls. is not allowed; allowed: pdf, ubl, cii, facturx" e2 &&
	for k in receipt credit credit-note transfer-order; do
		test_must_fail 2 "$INVGEN" --db b.db batch $all --out o --kind $k 2>e3 &&
		test_grep "^invgen: --kind: .$k. is not allowed; allowed: invoice, credit_note, transfer_order, prepayment_receipt, balance_use" e3 ||
		exit 1
	done &&
	test_must_fail 1 "$INVGEN" --db b.db batch --from 2026-01-01 --to 2025-01-01 --out o 2>e4 &&
	test_grep "^invgen: --to: 2025-01-01 is before from 2026-01-01" e4 &&
	test_must_fail 2 "$INVGEN" --db b.db batch $all 2>e5 &&
	test_must_fail 2 "$INVGEN" --db b.db batch $all --out o --jobs 0 2>e6 &&
	test ! -e o
'
test_expect_success 'seller add refuses a number format that is a path' '
	sed "s|{series}-{seq:6}|../{series}-{seq:6}|" "$TOP/samples/seller-2025.json" >hostile.json &&
	cp b.db h0.db &&
	test_must_fail 1 "$INVGEN" --db h0.db seller add hostile.json 2>e7 &&
	test_grep "numbers become file names" e7
'
test_expect_success 'a path-like number in the database cannot escape --out' '
	mkdir -p jail && cp b.db jail/h.db &&
	sqlite3 jail/h.db "DROP TRIGGER document_immutable_u;
	    UPDATE document SET number = '\''../escaped'\'' WHERE number = '\''ZLV-000004'\'';
	    UPDATE document SET number = '\''..'\'' WHERE number = '\''ZLV-000005'\'';
	    UPDATE document SET number = '\''a/../../b'\'' WHERE number = '\''ZLV-000009'\''" &&
	test_must_fail 1 "$INVGEN" --db jail/h.db batch $all --out jail/out >sum8 2>err8 &&
	test_grep "its number .\.\./escaped. is not a safe file name" sum8 &&
	test_grep " 0 mismatches, 3 errors" sum8 &&
	test -z "$(find "$scratch" -name "escaped*" -o -name "b.pdf" -o -name "..pdf" -o -name "...pdf")" &&
	test -z "$(ls jail | grep -v "^h\.db" | grep -v "^out$")" &&
	test -e jail/out/ZLV-000008.pdf
'
# The test build's fault INVGEN_FAULT=no-tmpfile (gen/base/fault.h) makes
# O_TMPFILE fail as on NFS or CIFS (EOPNOTSUPP) or on a kernel without it
# (EISDIR), or the link of the unnamed file fail as without /proc: every
# file then goes through a locked temporary name and a rename.
test_expect_success 'without O_TMPFILE (as on NFS): byte for byte, a damaged file replaced, nothing left over' '
	INVGEN_FAULT=no-tmpfile "$INVGEN" --db b.db batch $all \
	    --formats pdf,ubl,cii --out nt --jobs 2 >nt1 &&
	test_grep " 0 mismatches, 0 errors" nt1 &&
	rows nt/manifest.csv >ntm && test_cmp m1 ntm &&
	for f in out1/*.pdf out1/*.xml; do
		cmp "$f" "nt/${f#out1/}" || exit 1
	done &&
	printf x | dd of=nt/ZLV-000005.pdf bs=1 seek=100 conv=notrunc 2>/dev/null &&
	INVGEN_FAULT=no-tmpfile "$INVGEN" --db b.db batch $all \
	    --formats pdf,ubl,cii --out nt >nt2 &&
	test_grep ": 1 file written (1 replaced)" nt2 &&
	cmp out1/ZLV-000005.pdf nt/ZLV-000005.pdf &&
	test -z "$(ls -A nt | grep "\.tmp\.")"
'
for how in no-tmpfile-eisdir no-tmpfile-link; do
	test_expect_success "without O_TMPFILE ($how): every file, nothing left over" "
		INVGEN_FAULT=$how \"\$INVGEN\" --db b.db batch \$all \
		    --out nt-$how --jobs 2 >nt3 &&
		test_grep ' 0 mismatches, 0 errors' nt3 &&
		for f in out1/*.pdf; do
			cmp \"\$f\" nt-$how/\"\${f#out1/}\" || exit 1
		done &&
		test -z \"\$(ls -A nt-$how | grep '\.tmp\.')\"
	"
done
test_expect_success 'files and manifest get the mode the umask gives, with and without O_TMPFILE' '
	(umask 027 && "$INVGEN" --db b.db batch $all --out um1 >/dev/null) &&
	(umask 027 && INVGEN_FAULT=no-tmpfile "$INVGEN" --db b.db \
	    batch $all --out um2 >/dev/null) &&
	(umask 002 && "$INVGEN" --db b.db batch $all --kind credit_note \
	    --out um3 >/dev/null) &&
	for d in um1 um2; do
		test "$(stat -c %a $d/ZLV-000001.pdf $d/manifest.csv | sort -u)" = 640 ||
		    exit 1
	done &&
	test "$(stat -c %a um3/ZLVK-000001.pdf um3/manifest.csv | sort -u)" = 664
'
test_expect_success 'a link planted at a file name is replaced, never written through' '
	mkdir -p ln && echo precious >victim &&
	ln -s "$scratch/victim" ln/ZLV-000001.pdf &&
	ln -s ../escaped.pdf ln/ZLV-000002.pdf &&
	ln -s "$scratch/victim" ln/ZLV-000003.pdf.tmp.000000 &&
	INVGEN_FAULT=no-tmpfile "$INVGEN" --db b.db batch $all \
	    --formats pdf,ubl,cii,facturx --out ln >lsum1 &&
	test_grep "ZLV-000001.pdf: was present with other content; replaced" lsum1 &&
	test "$(cat victim)" = precious && test ! -e escaped.pdf &&
	test ! -L ln/ZLV-000001.pdf && test ! -L ln/ZLV-000002.pdf &&
	cmp out1/ZLV-000001.pdf ln/ZLV-000001.pdf &&
	cmp out1/ZLV-000002.pdf ln/ZLV-000002.pdf &&
	cmp out1/ZLV-000003.pdf ln/ZLV-000003.pdf &&
	rm ln/ZLV-000001.pdf && ln -s "$scratch/victim" ln/ZLV-000001.pdf &&
	"$INVGEN" --db b.db batch $all --formats pdf,ubl,cii,facturx --out ln >lsum2 &&
	test_grep ": 1 file written (1 replaced)" lsum2 &&
	test "$(cat victim)" = precious && test ! -L ln/ZLV-000001.pdf &&
	cmp out1/ZLV-000001.pdf ln/ZLV-000001.pdf
'
test_expect_success 'verify --archive reads the files, never through a link' '
	"$INVGEN" --db b.db verify $all --archive ln >v1 2>/dev/null &&
	test_grep " 0 problems" v1 &&
	rm ln/ZLV-000004.pdf && ln -s "$scratch/out1/ZLV-000004.pdf" ln/ZLV-000004.pdf &&
	printf x | dd of=ln/ZLV-000005.pdf bs=1 seek=100 conv=notrunc 2>/dev/null &&
	rm ln/ZLV-000006.pdf &&
	test_must_fail 1 "$INVGEN" --db b.db verify $all --archive ln >v2 2>/dev/null &&
	test_grep "^ln/ZLV-000004.pdf: not a regular file" v2 &&
	test_grep "^ln/ZLV-000005.pdf: MISMATCH: file " v2 &&
	test_grep "^ln/ZLV-000006.pdf: MISSING from the archive" v2 &&
	test_grep " 3 problems" v2
'
test_expect_success 'no progress line when stderr is not a terminal' '
	"$INVGEN" --db b.db batch $all --out out1 >/dev/null 2>err9 && test ! -s err9
'

# A bigger synthetic database for the kill test (build/san/synth).
"$SYNTH" big.db 400 "$TOP/samples/seller-2020.json" \
    "$TOP/samples/seller-2025.json" >synth.out 2>&1
total=$(sqlite3 big.db "SELECT count(*) FROM document" 2>/dev/null)

test_expect_success 'a batch killed with SIGKILL half-way, then rerun: all correct' '
	test "$total" -gt 400 &&
	{ "$INVGEN" --db big.db batch $all --out k --jobs 2 >/dev/null 2>&1 & pid=$!; } &&
	i=0 && while [ "$(ls k 2>/dev/null | grep -c "\.pdf$")" -lt 100 ]; do
		i=$((i + 1)); [ $i -lt 1200 ] || { kill -9 $pid; exit 1; }
		sleep 0.05
	done &&
	kill -9 $pid && { wait $pid; true; } &&
	done1=$(ls k | grep -c "\.pdf$") &&
	echo "killed after $done1 of $total files" &&
	test "$done1" -lt "$total" && test ! -e k/manifest.csv &&
	"$INVGEN" --db big.db batch $all --out k --jobs 2 >sum10 &&
	cat sum10 &&
	test_grep " 0 mismatches, 0 errors" sum10 &&
	test -z "$(ls k | grep "\.tmp\.")" &&
	test "$(ls k | grep -c "\.pdf$")" -eq "$total" &&
	test "$(wc -l <k/manifest.csv)" -eq $((total + 1)) &&
	recorded big.db "'\''pdf'\''" >want &&
	sha256sum k/*.pdf | sed "s|^\([0-9a-f]*\)  k/\(.*\)\.pdf\$|\2,pdf,\1|" |
	    sort >got &&
	test_cmp want got &&
	for n in ZL-000100 ZLV-000100 ZLVK-000003 ZLVM-000003; do
		[ -e "k/$n.pdf" ] || continue
		"$INVGEN" --db big.db render "$n" -o one.pdf >/dev/null &&
		cmp one.pdf "k/$n.pdf" || exit 1
	done
'
test_expect_success 'the progress line on a terminal: count, rate, time left' '
	script -qec "\"$INVGEN\" --db big.db batch --from 2025-04-01 --to 2025-06-30 --out p --jobs 2" /dev/null >tty.out &&
	tr "\r" "\n" <tty.out >tty.txt &&
	grep -q "^[0-9]*/[0-9]* docs  [0-9]*/s  ETA [0-9hms-]*" tty.txt ||
	{ cat tty.txt; exit 1; }
'
test_done
