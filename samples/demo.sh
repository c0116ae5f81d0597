#!/bin/sh
# demo.sh - what `make demo` runs: builds the sample database in
# build/demo from samples/, issues its documents and prints a summary.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/build/demo"
sh "$top/samples/build.sh" "$dir"
echo "Sample database: $dir/sample.db"
echo
INVGEN_DATA_DIR="$top" "$top/build/rel/invgen" --db "$dir/sample.db" list
echo
echo "Why each VAT decision was taken:  build/rel/invgen --db $dir/sample.db explain S-2025-0203"
echo "A document as JSON:               build/rel/invgen --db $dir/sample.db show ZLV-000001 --json"
