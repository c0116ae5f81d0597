#!/bin/sh
# validate.sh - the e-invoice validation test: writes every sample snapshot
# of tests/einvoice/samples.h as UBL (build/san/test-ubl --write) and as
# CII (build/san/test-cii --write), then runs the shared offline validator
# (XSD + EN 16931 1.3.16 rules, + Peppol BIS 3.0.19 rules for UBL that
# declares Peppol) ONCE over all files.  Passes when every file has 0
# fatal; every warning that remains is printed, prefixed "WARNING:".
#
# The validator is looked for in ../shared/einvoice relative to the
# repository root; without it the test prints
# "SKIP: shared/einvoice validator not present" and passes.
#
# Environment: TOP (repository root; default: two levels up from here),
# UBL_GEN / CII_GEN (the sample writers; default build/san/test-ubl and
# build/san/test-cii, built by `make check`), EINVOICE_VALIDATE (the
# validator command, overriding the search).
# Exit status: 0 pass or skip, 1 failure.

set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}

validator=${EINVOICE_VALIDATE:-}
if [ -z "$validator" ]; then
	for dir in "$top/../shared/einvoice"; do
		if [ -x "$dir/validate" ]; then
			validator="$dir/validate"
			break
		fi
	done
fi
if [ -z "$validator" ]; then
	echo "SKIP: shared/einvoice validator not present"
	exit 0
fi

ubl=${UBL_GEN:-$top/build/san/test-ubl}
cii=${CII_GEN:-$top/build/san/test-cii}
for gen in "$ubl" "$cii"; do
	if [ ! -x "$gen" ]; then
		echo "FAIL: $gen is missing; build it first (make check)"
		exit 1
	fi
done

out="$top/build/test-scratch/einvoice"
rm -rf "$out"
mkdir -p "$out" || exit 1
if ! "$ubl" --write "$out" || ! "$cii" --write "$out"; then
	echo "FAIL: a writer refused a sample (messages above)"
	exit 1
fi

nubl=$(ls "$out"/ubl-*.xml 2>/dev/null | wc -l)
ncii=$(ls "$out"/cii-*.xml 2>/dev/null | wc -l)
if [ "$nubl" -eq 0 ] || [ "$nubl" -ne "$ncii" ]; then
	echo "FAIL: expected the same number of UBL and CII samples" \
	    "(got $nubl UBL, $ncii CII)"
	exit 1
fi

"$validator" "$out"/*.xml >"$out/report.txt" 2>&1
rc=$?

status=0
if [ "$rc" -ne 0 ]; then
	echo "FAIL: validator exit status $rc"
	status=1
fi
# One summary line per file: "validate: FILE: N fatal, M warnings".
nsum=$(grep -c '^validate: .*: [0-9]* fatal, [0-9]* warnings$' \
    "$out/report.txt")
if [ "$nsum" -ne $((nubl + ncii)) ]; then
	echo "FAIL: validator reported on $nsum of $((nubl + ncii)) files"
	status=1
fi
if grep -q '^validate: .*: [1-9][0-9]* fatal' "$out/report.txt"; then
	status=1
fi
# Everything that is not a header or a summary is a problem line: fatal
# ones fail the test (above), the others are reported as warnings.
grep -v -e '^== ' -e '^validate: ' "$out/report.txt" |
while IFS= read -r line; do
	case $line in
	*": fatal "*) echo "FATAL: $line" ;;
	*) echo "WARNING: $line" ;;
	esac
done
grep '^validate: ' "$out/report.txt"
if [ "$status" -ne 0 ]; then
	echo "FAIL: e-invoice validation (full report: $out/report.txt)"
	exit 1
fi
echo "ok: $((nubl + ncii)) e-invoices, 0 fatal"
exit 0
