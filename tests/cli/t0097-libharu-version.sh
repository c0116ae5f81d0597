#!/bin/sh
# t0097-libharu-version: gen/pdf/pdfout_hpdf.c relies on the private
# structures of libharu 2.3 and checks, whenever it renders, that the
# libharu loaded is that version.  A shim that makes HPDF_GetVersion
# answer "2.4.0", preloaded into the release program (which loads
# libharu dynamically; the sanitizer build refuses preloads), must make
# issuing stop with exit status 3 and a message naming both versions,
# using no number and writing no file; without it the same order issues.
. "$(dirname "$0")/lib.sh"

cat >shim.c <<'C'
const char *HPDF_GetVersion(void);
const char *HPDF_GetVersion(void) { return "2.4.0"; }
C
cc -shared -fPIC -o shim.so shim.c
"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null &&
consumer_order V-1 DE EUR 2025-08-14T10:25:00Z >o.json &&
"$INVGEN" --db t.db order add o.json >/dev/null
export INVGEN_NOW=2025-09-30T12:00:00Z

test_expect_success 'another libharu at run time: refused, nothing used or written' '
	test -s shim.so && sum=$(db_sum t.db) &&
	test_must_fail 3 env LD_PRELOAD="$scratch/shim.so" "$INVGEN_REL" \
	    --db t.db --out-dir docs issue V-1 2>err &&
	test_grep "libharu 2.4.0 is loaded, but invgen was built for libharu 2.3.x" err &&
	test "$(db_sum t.db)" = "$sum" &&
	test -z "$(find docs -type f 2>/dev/null)"
'
test_expect_success 'the libharu it was built for: the same order issues' '
	"$INVGEN_REL" --db t.db --out-dir docs issue V-1 --json >inv.json &&
	test "$(jq -r .number inv.json)" = ZLV-000001 &&
	test -s docs/ZLV-000001.pdf
'
test_done
