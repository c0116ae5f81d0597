#!/bin/sh
# regen-pdf-text.sh - writes the golden text of each sample PDF: what
# `pdftotext -layout` extracts, the text a payer copies and an auditor
# searches.  Run by `make samples`; review the change with git diff.
# usage: regen-pdf-text.sh PDF_DIR GOLDEN_DIR
set -eu
rm -f "$2"/*.txt
for f in "$1"/*.pdf; do
	pdftotext -layout "$f" "$2/$(basename "$f" .pdf).txt"
done
