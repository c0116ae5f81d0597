#!/bin/sh
# t0160-install: `make install DESTDIR=... PREFIX=/usr` and what a user of
# the installed invgen gets: the README's library example built with
# pkg-config against the installed library (shared and static) and run;
# the SONAME and the system's shared libraries in readelf -d; a PIE
# program; both manual pages rendered without a warning and naming every
# command and every function; the bash completion; the systemd units
# checked by systemd-analyze verify; make uninstall.
. "$(dirname "$0")/lib.sh"

# make install runs in a copy of the tree and of its release build, so
# that relinking for PREFIX=/usr never touches build/rel, which other
# tests run meanwhile.  cp -p keeps the times: only what PREFIX changes
# is built again.
src=$scratch/src
dest=$scratch/dest
mkdir -p "$src/build" "$src/tests/fuzz" &&
cp -p "$TOP/Makefile" "$TOP/README.md" "$src/" &&
cp -p "$TOP/tests/fuzz/Makefile.fuzz" "$src/tests/fuzz/" &&
cp -pR "$TOP/gen" "$TOP/dist" "$TOP/templates" "$TOP/locales" \
    "$TOP/fonts" "$src/" &&
if [ -d "$TOP/build/rel" ]; then cp -pR "$TOP/build/rel" "$src/build/"; fi
unset INVGEN_DATA_DIR MAKEFLAGS MFLAGS

inv=$dest/usr/bin/invgen
# pkg-config sees only the installed invgen.pc besides the system's.
pc() {
	PKG_CONFIG_PATH="$dest/usr/lib/pkgconfig" \
	    PKG_CONFIG_SYSROOT_DIR="$dest" pkg-config "$@"
}

test_expect_success 'make install DESTDIR PREFIX=/usr puts every file in its place' '
	make -C "$src" install DESTDIR="$dest" PREFIX=/usr >make.log 2>&1 &&
	for f in bin/invgen lib/libinvgen.so.0.1.0 lib/libinvgen.a \
	    lib/pkgconfig/invgen.pc include/invgen.h share/man/man1/invgen.1 \
	    share/man/man3/libinvgen.3 share/bash-completion/completions/invgen \
	    lib/systemd/system/invgen-serve.service \
	    lib/systemd/system/invgen-rates.service \
	    lib/systemd/system/invgen-rates.timer lib/sysusers.d/invgen.conf \
	    share/invgen/templates/invoice.xml share/invgen/fonts/fonts.txt \
	    share/invgen/locales/lt.txt; do
		test -f "$dest/usr/$f" || { echo "missing: $f" >&2; exit 1; }
	done &&
	test "$(readlink "$dest/usr/lib/libinvgen.so.0")" = libinvgen.so.0.1.0 &&
	test "$(readlink "$dest/usr/lib/libinvgen.so")" = libinvgen.so.0.1.0 &&
	test -x "$inv" && ! grep -l "@[A-Z][A-Z]*@" "$dest"/usr/lib/pkgconfig/* \
	    "$dest"/usr/lib/systemd/system/* "$dest"/usr/share/man/man?/* \
	    >left && test_cmp /dev/null left &&
	test_grep "^Version: 0.1.0$" "$dest/usr/lib/pkgconfig/invgen.pc" &&
	test_grep "^ExecStart=/usr/bin/invgen serve$" \
	    "$dest/usr/lib/systemd/system/invgen-serve.service"
'
test_expect_success 'pkg-config builds the README library example; it runs on the installed library' '
	sed -n "/^## The library/,/^## /p" "$TOP/README.md" |
	    sed -n "/^\`\`\`c$/,/^\`\`\`$/p" | sed "1d;\$d" >issue.c &&
	test_grep "invgen_issue" issue.c &&
	pc --cflags --libs invgen >flags &&
	test_grep "^-I$dest/usr/include .*-L$dest/usr/lib -linvgen *$" flags &&
	cc -Wall -Werror -o issue issue.c $(pc --cflags --libs invgen) &&
	readelf -d issue >dyn && test_grep "NEEDED.*\[libinvgen.so.0\]" dyn &&
	"$inv" --db t.db init >/dev/null &&
	"$inv" --db t.db seller add "$TOP/samples/seller-2025.json" >/dev/null &&
	consumer_order A-1001 LT EUR 2025-08-14T10:25:00Z >o.json &&
	"$inv" --db t.db order add o.json >/dev/null &&
	LD_LIBRARY_PATH="$dest/usr/lib" ldd ./issue >ldd &&
	test_grep "libinvgen.so.0 => $dest/usr/lib/libinvgen.so.0" ldd &&
	LD_LIBRARY_PATH="$dest/usr/lib" INVGEN_DB=t.db \
	    INVGEN_NOW=2025-09-30T12:00:00Z ./issue >inv.json &&
	jq -e ".number == \"ZLV-000001\" and .total == \"145.20\" and
	    (.files[0].path | endswith(\"ZLV-000001.pdf\"))" inv.json &&
	pdftotext documents/ZLV-000001.pdf - | grep -q "ZLV-000001"
'
test_expect_success 'the static library links with pkg-config --static (ICU, -lm, ...)' '
	libs=$(pc --static --libs invgen) &&
	case "$libs" in *-lm*) ;; *) echo "no -lm: $libs" >&2; exit 1 ;; esac &&
	cc -o issue-static issue.c $(pc --cflags invgen) \
	    $(echo "$libs" | sed "s/-linvgen/-l:libinvgen.a/") &&
	readelf -d issue-static >dyn && ! grep -q libinvgen dyn &&
	INVGEN_DB=t.db INVGEN_DATA_DIR="$dest/usr/share/invgen" ./issue-static >again.json &&
	jq -e ".number == \"ZLV-000001\" and .existed == true" again.json
'
test_expect_success 'libinvgen.so: SONAME, the system libraries, only invgen_* exported' '
	readelf -d "$dest/usr/lib/libinvgen.so.0.1.0" >dyn &&
	test_grep "SONAME.*\[libinvgen.so.0\]" dyn &&
	for l in libicuuc.so libicui18n.so libsqlite3.so.0 libxml2.so.2 \
	    libhpdf libqrencode.so libz.so.1; do
		test_grep "NEEDED.*\[$l" dyn || exit 1
	done &&
	nm -D --defined-only "$dest/usr/lib/libinvgen.so.0.1.0" |
	    awk "\$3 !~ /^(invgen_|INVGEN_0\$)/ { print \$3 }" >others &&
	test_cmp /dev/null others &&
	nm -D --defined-only "$dest/usr/lib/libinvgen.so.0.1.0" |
	    grep -q " invgen_issue@@INVGEN_0$"
'
test_expect_success 'the program: a PIE on the system shared ICU, SQLite and libxml2' '
	readelf -h "$inv" >h && test_grep "Type: *DYN" h &&
	readelf -d "$inv" >dyn && test_grep "FLAGS_1.*PIE" dyn &&
	file -L "$inv" >f && test_grep "pie executable" f &&
	for l in libicuuc.so libicui18n.so libsqlite3.so.0 libxml2.so.2; do
		test_grep "NEEDED.*\[$l" dyn || exit 1
	done &&
	nm -D "$inv" >syms && test_grep " U sqlite3_open_v2" syms &&
	test_grep " U xmlCtxtReadMemory" syms &&
	"$inv" --version >v && test_grep "^invgen 0.1.0$" v
'
test_expect_success 'invgen(1) renders without a warning and has every command' '
	man=$dest/usr/share/man &&
	groff -man -Tutf8 -ww -z "$man/man1/invgen.1" 2>err && test_cmp /dev/null err &&
	MANROFFOPT=-ww MANWIDTH=80 man -l "$man/man1/invgen.1" >page 2>err &&
	test_cmp /dev/null err && test_grep "^INVGEN(1)" page &&
	test_grep "/usr/share/invgen" page &&
	"$inv" help | sed -n "s/^  invgen \([a-z-]*\)\( \([a-z][a-z-]*\)\)\{0,1\}\( .*\)\{0,1\}$/\1 \3/p" |
	    sed "s/ *$//" | sort -u >names && test "$(wc -l <names)" -gt 20 &&
	while read -r c; do
		grep -q "^       $c\( \|$\)" page || { echo "not in invgen.1: $c" >&2; exit 1; }
	done <names
'
test_expect_success 'libinvgen(3) renders without a warning and names every function' '
	man=$dest/usr/share/man &&
	groff -man -Tutf8 -ww -z "$man/man3/libinvgen.3" 2>err && test_cmp /dev/null err &&
	MANROFFOPT=-ww MANWIDTH=80 man -l "$man/man3/libinvgen.3" >page 2>err &&
	test_cmp /dev/null err && test_grep "^LIBINVGEN(3)" page &&
	grep -o "\binvgen_[a-z_]*(" "$dest/usr/include/invgen.h" | sort -u |
	    tr -d "(" >funcs && test "$(wc -l <funcs)" -gt 20 &&
	while read -r f; do
		grep -q "\b$f(" page || { echo "not in libinvgen.3: $f" >&2; exit 1; }
	done <funcs
'
test_expect_success 'bash completion completes commands, a group and options from the program' '
	cat >comp.sh <<-EOF &&
	. "$dest/usr/share/bash-completion/completions/invgen"
	complete -p invgen
	c() { COMP_WORDS=("\$@"); COMP_CWORD=\$((\$# - 1)); _invgen;
	    echo "\${COMPREPLY[*]}"; }
	c "$inv" or
	c "$inv" --db x.db rat
	c "$inv" rates ""
	c "$inv" export ""
	c "$inv" batch --fo
	c "$inv" help ord
	EOF
	bash comp.sh >got 2>err && test_cmp /dev/null err &&
	cat >want <<-EOF &&
	complete -F _invgen invgen
	order
	rates
	import-ecb status
	cii facturx isaf pdf ubl
	--formats
	order
	EOF
	test_cmp want got
'
test_expect_success 'the systemd units pass systemd-analyze verify' '
	mkdir -p units &&
	for u in invgen-serve.service invgen-rates.service invgen-rates.timer; do
		sed "s|/usr/bin/invgen|$inv|" \
		    "$dest/usr/lib/systemd/system/$u" >units/$u || exit 1
	done &&
	MANPATH="$dest/usr/share/man" systemd-analyze verify units/invgen-serve.service \
	    units/invgen-rates.service units/invgen-rates.timer >out 2>err &&
	test_cmp /dev/null err &&
	test_grep "^OnCalendar=Mon..Fri \*-\*-\* 16:30:00 Europe/Berlin" \
	    units/invgen-rates.timer &&
	test_grep "eurofxref-hist-90d.xml | $inv rates import-ecb -" \
	    units/invgen-rates.service
'
test_expect_success 'make uninstall removes every file it installed' '
	make -C "$src" uninstall DESTDIR="$dest" PREFIX=/usr >make.log 2>&1 &&
	find "$dest" ! -type d >left && test_cmp /dev/null left
'
test_done
