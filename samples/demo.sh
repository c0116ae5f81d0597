#!/bin/sh
# demo.sh - what `make demo` runs: builds the sample database in DIR
# (default build/demo) from samples/, issues its documents and prints a
# summary.  README "The demo" shows exactly what it prints
# (tests/cli/t0203-readme.sh checks it).
#
# usage: samples/demo.sh [DIR]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$top/build/demo}
sh "$top/samples/build.sh" "$dir"
# The folder as the reader typed it from the top of the tree.
at=$dir
case $dir in "$top"/*) at=${dir#"$top"/} ;; esac
echo "Sample database: $at/sample.db"
echo
INVGEN_DATA_DIR="$top" "$top/build/rel/invgen" --db "$dir/sample.db" list
echo
echo "Why each VAT decision was taken:  build/rel/invgen --db $at/sample.db explain S-2025-0203"
echo "A document as JSON:               build/rel/invgen --db $at/sample.db show ZLV-000001 --json"
echo "The orders still to be paid:      build/rel/invgen --db $at/sample.db order list --unpaid"
