# Makefile - build, test, benchmark and install invgen.
#
#   make            build build/rel/invgen, libinvgen.a and libinvgen.so
#   make demo       install missing Debian packages, build, run the sample job
#   make check      install missing Debian packages, build with -Werror and
#                   ASan+UBSan, run every test, print "N passed, M failed"
#   make bench      build optimised and print the benchmark figures
#   make soak       60 s of concurrent issue, batch and verify; prints counts
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS (300)
#   make samples    regenerate the committed documents in samples/
#   make install    PREFIX=/usr/local DESTDIR= (README, "Installing")
#   make uninstall  the same variables
#   make clean
#
# Local overrides go in Makefile.local (not committed).

VERSION   = 0.1.0
# The shared library's ABI version: libinvgen.so.$(SOMAJOR) is its SONAME.
SOMAJOR   = 0
PREFIX   ?= /usr/local
DESTDIR  ?=
# Where make install puts things (README, "Installing").
BINDIR   ?= $(PREFIX)/bin
LIBDIR   ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR  ?= $(PREFIX)/share/invgen
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR  ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
CC       ?= cc
PKG_CONFIG ?= pkg-config

# libharu ships no pkg-config file.
HPDF_CFLAGS ?=
HPDF_LIBS   ?= -lhpdf

PKGS = sqlite3 libqrencode libxml-2.0 icu-uc icu-i18n zlib

# HarfBuzz shapes the text of layout version 2 and later (gen/pdf/hbshape.c):
# the shaping engine of the browsers and LibreOffice, which applies each
# font's OpenType tables for every script (Indic conjuncts, Thai and Khmer
# marks, Arabic forms, kerning).  Only its headers at build time: hbshape.c
# loads libharfbuzz.so.0 when text is first shaped, so a process that
# prints nothing does not map it and the six libraries it needs.
HB_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags harfbuzz 2>/dev/null)

# Debian packages the build, the tests and the demo need.
DEB_BUILD = build-essential pkg-config libsqlite3-dev libqrencode-dev \
	libxml2-dev libicu-dev libhpdf-dev zlib1g-dev liblzma-dev \
	libharfbuzz-dev
DEB_TEST  = sqlite3 poppler-utils zbar-tools qpdf libxml2-utils \
	default-jre-headless libsaxonhe-java python3 python3-stdnum jq locales tzdata \
	liblcms2-utils argyll libpdfbox2-java libactivation-java libjaxb-api-java \
	libimage-exiftool-perl strace time faketime man-db groff-base file \
	binutils systemd

-include Makefile.local

OPTFLAGS  ?= -O2 -g
WARNFLAGS  = -MMD -MP -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
SANFLAGS   = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(HB_CFLAGS)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
DEFS       = -DINVGEN_VERSION='"$(VERSION)"' -DINVGEN_SRCDIR='"$(CURDIR)"' \
	-DINVGEN_DATADIR='"$(DATADIR)"'

CFLAGS_REL = $(OPTFLAGS) -fPIC $(WARNFLAGS) $(DEFS) $(INCLUDES) $(PKG_CFLAGS) \
	$(HPDF_CFLAGS)
# The test build alone can plant faults on purpose (gen/base/fault.h).
CFLAGS_SAN = -O1 -g $(SANFLAGS) $(WARNFLAGS) $(DEFS) -DINVGEN_FAULTS \
	$(INCLUDES) $(PKG_CFLAGS) $(HPDF_CFLAGS)
LIBS       = $(PKG_LIBS) $(HPDF_LIBS) -lpthread -lm -ldl

# The invgen program links libinvgen.a (its own code) and the system's
# shared libraries, so that Debian's security updates of ICU, SQLite,
# libxml2 and the others reach it, and is position-independent (PIE).
# What that costs a fresh process, and why `invgen serve` is the fast
# path: README, "Performance".
PROG_LDFLAGS = -pie

# The library's modules, gen/GROUP/NAME.c each, bottom layer first (README,
# "Layout": a folder includes only headers of its own and lower folders).
# Each has its own NAME.h, except the files of a module split by concern,
# declared in that module's headers: store_order and store_doc (store.h),
# the pdfout_* files (pdfout_private.h), api_query and api_render
# (invgen.h and app/api_private.h).
GEN_DIRS = gen/base gen/tax gen/model gen/pdf gen/einvoice gen/store \
	gen/docs gen/layout gen/app gen
MODULES = err buf ascii memhash tls sha256 json jsonin money caldate country i18n \
	vatid iban rfref tax \
	model layoutver \
	ttf shape hbshape text textmemo canvas icc pdfout pdfout_doc pdfout_hpdf pdfout_enc \
	pdfout_text pdfout_page pdfout_meta pdfout_image qr epcqr \
	xmlw en16931 ubl cii \
	schema store store_order store_doc store_report chain \
	order seller config issue flows payment docjson report ecb \
	template docview layout render \
	files outdir result batch api api_query api_render serve

vpath %.c $(GEN_DIRS)
INCLUDES = $(GEN_DIRS:%=-I%)
REL_OBJS = $(MODULES:%=build/rel/%.o)
SAN_OBJS = $(MODULES:%=build/san/%.o)
UNIT_TESTS = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test-*.c))

# The libFuzzer targets (make fuzz, make fuzz-check; see tests/fuzz/).
.DEFAULT_GOAL := all
include tests/fuzz/Makefile.fuzz

.PHONY: all deps deps-test demo check unit cli bench soak samples install \
	uninstall clean FORCE

all: build/rel/invgen build/rel/libinvgen.a build/rel/libinvgen.so

build/rel build/san:
	mkdir -p $@

# Header dependencies come from the compiler (-MMD writes build/*/NAME.d).
build/rel/%.o: %.c | build/rel
	$(CC) $(CFLAGS_REL) -c -o $@ $<

build/san/%.o: %.c | build/san
	$(CC) $(CFLAGS_SAN) -c -o $@ $<

-include $(wildcard build/rel/*.d build/san/*.d)

# The schema and reference data are embedded with .incbin.
EMBEDDED = gen/sql/001-core.sql gen/sql/003-archive.sql \
	gen/sql/004-money-flows.sql gen/sql/005-layout-versions.sql \
	gen/sql/006-paper-logo.sql gen/data/vat_rates.txt \
	gen/data/ecb_rates.txt gen/data/vat_rates_regional.txt
build/rel/schema.o build/san/schema.o: $(EMBEDDED)

build/rel/libinvgen.a: $(REL_OBJS)
	rm -f $@ && ar rcs $@ $(REL_OBJS)

# libinvgen.so.VERSION with its SONAME libinvgen.so.SOMAJOR; it exports
# only the invgen_* functions of invgen.h, versioned (gen/libinvgen.map).
# build/rel/libinvgen.so is the link for -linvgen.
SOLIB = libinvgen.so.$(VERSION)
build/rel/$(SOLIB): $(REL_OBJS) gen/libinvgen.map
	$(CC) -shared -Wl,-soname,libinvgen.so.$(SOMAJOR) \
		-Wl,--version-script=gen/libinvgen.map -Wl,--no-undefined \
		-o $@ $(REL_OBJS) $(LIBS)

build/rel/libinvgen.so: build/rel/$(SOLIB)
	ln -sf $(SOLIB) build/rel/libinvgen.so.$(SOMAJOR)
	ln -sf $(SOLIB) $@

# config.o has DATADIR compiled in: rebuilt when PREFIX or DATADIR change.
build/rel/datadir build/san/datadir: FORCE | build/rel build/san
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@
build/rel/config.o: build/rel/datadir
build/san/config.o: build/san/datadir
FORCE:

build/san/libinvgen.a: $(SAN_OBJS)
	rm -f $@ && ar rcs $@ $(SAN_OBJS)

build/rel/invgen: build/rel/main.o build/rel/libinvgen.a
	$(CC) $(OPTFLAGS) $(PROG_LDFLAGS) -o $@ build/rel/main.o build/rel/libinvgen.a $(LIBS)

build/san/invgen: build/san/main.o build/san/libinvgen.a
	$(CC) $(CFLAGS_SAN) -o $@ build/san/main.o build/san/libinvgen.a $(LIBS)

# The fuzz harnesses, replayed over their corpora by make check without
# libFuzzer (tests/fuzz/replay.c).
build/san/replay-%: tests/fuzz/fuzz-%.c tests/fuzz/replay.c build/san/libinvgen.a
	$(CC) $(CFLAGS_SAN) -o $@ $< tests/fuzz/replay.c build/san/libinvgen.a $(LIBS)

# The unit tests' own code at -O0 (the library they test stays at -O1):
# compiling and linking the 43 test drivers took 21 s of make check's
# build at -O1 under the sanitizers, 13 s at -O0 (measured on 2 cores).
build/san/test-%: tests/unit/test-%.c build/san/libinvgen.a
	$(CC) $(CFLAGS_SAN) -O0 -o $@ $< build/san/libinvgen.a $(LIBS)

# Install whatever Debian packages are missing (needs root or sudo).
deps:
	@missing=""; for p in $(DEB_BUILD); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y $$missing; \
	fi

deps-test: deps
	@missing=""; for p in $(DEB_TEST); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$$sudo apt-get update && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y $$missing; \
	fi; \
	locale -a 2>/dev/null | grep -qi '^fr_FR.utf-\?8$$' || \
		$$sudo localedef -i fr_FR -f UTF-8 fr_FR.UTF-8

demo: deps
	$(MAKE) all
	sh samples/demo.sh

# Builds and tests use every CPU (tests/run.sh runs TEST_JOBS at a time).
NPROC := $(shell nproc 2>/dev/null || echo 2)

check: deps-test
	$(MAKE) -j$(NPROC) build/san/invgen $(UNIT_TESTS:%=build/san/%) all \
		build/san/synth $(FUZZ_TARGETS:%=build/san/replay-%)
	INVGEN_TEST_TOOLS=required sh tests/run.sh $(UNIT_TESTS)

bench: deps-test
	$(MAKE) all build/rel/bench-render build/rel/bench-spawn \
		build/rel/bench-api build/rel/synth
	sh tests/bench/run.sh

build/rel/bench-render: tests/bench/bench-render.c tests/bench/timing.h build/rel/libinvgen.a
	$(CC) $(CFLAGS_REL) -o $@ $< build/rel/libinvgen.a $(LIBS)

# The synthetic database of the batch benchmark (and of t0110-batch).
build/rel/synth: tests/bench/synth.c build/rel/libinvgen.a
	$(CC) $(CFLAGS_REL) -o $@ $< build/rel/libinvgen.a $(LIBS)

build/san/synth: tests/bench/synth.c build/san/libinvgen.a
	$(CC) $(CFLAGS_SAN) -o $@ $< build/san/libinvgen.a $(LIBS)

build/rel/bench-api: tests/bench/bench-api.c tests/bench/timing.h build/rel/libinvgen.a
	$(CC) $(CFLAGS_REL) -o $@ $< build/rel/libinvgen.a $(LIBS)

build/rel/bench-spawn: tests/bench/bench-spawn.c tests/bench/timing.h
	$(CC) $(CFLAGS_REL) -o $@ $<

# 60 s of 8 issuing, 2 batch and 1 verifying processes on one database.
soak: deps-test
	$(MAKE) build/rel/invgen
	sh tests/soak/soak.sh 60

# Regenerate the committed sample documents and the golden texts of the
# sample PDFs and of the wording test (then review with git diff).
samples: all
	sh samples/build.sh build/samples
	rm -rf samples/pdf samples/ubl samples/cii samples/facturx
	cp -R build/samples/pdf build/samples/ubl build/samples/cii \
		build/samples/facturx samples/
	sh tests/golden/regen-pdf-text.sh samples/pdf tests/golden/pdf
	sh tests/golden/wording/build.sh build/wording build/rel/invgen
	sh tests/golden/regen-pdf-text.sh build/wording tests/golden/wording


# The installable extras are in dist/ (README, "Installing"): invgen.pc.in,
# the manual pages, the bash completion, the systemd units and the
# sysusers.d entry of their user.  @BINDIR@ and the like are filled in.
DIST_SUBST = sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@PREFIX@|$(PREFIX)|g' \
	-e 's|@BINDIR@|$(BINDIR)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g'
DIST_UNITS = invgen-serve.service invgen-rates.service invgen-rates.timer

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR)
	install -m 755 build/rel/invgen $(DESTDIR)$(BINDIR)/invgen
	install -m 644 build/rel/$(SOLIB) $(DESTDIR)$(LIBDIR)/$(SOLIB)
	ln -sf $(SOLIB) $(DESTDIR)$(LIBDIR)/libinvgen.so.$(SOMAJOR)
	ln -sf $(SOLIB) $(DESTDIR)$(LIBDIR)/libinvgen.so
	install -m 644 build/rel/libinvgen.a $(DESTDIR)$(LIBDIR)/libinvgen.a
	$(DIST_SUBST) dist/invgen.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/invgen.pc
	install -m 644 gen/invgen.h $(DESTDIR)$(INCLUDEDIR)/invgen.h
	$(DIST_SUBST) dist/invgen.1 >$(DESTDIR)$(MANDIR)/man1/invgen.1
	$(DIST_SUBST) dist/libinvgen.3 >$(DESTDIR)$(MANDIR)/man3/libinvgen.3
	install -m 644 dist/invgen.bash $(DESTDIR)$(BASHCOMPDIR)/invgen
	for u in $(DIST_UNITS); do \
		$(DIST_SUBST) dist/$$u >$(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	install -m 644 dist/invgen.sysusers $(DESTDIR)$(SYSUSERSDIR)/invgen.conf
	cp -R templates fonts locales $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/invgen $(DESTDIR)$(INCLUDEDIR)/invgen.h \
		$(DESTDIR)$(LIBDIR)/libinvgen.a $(DESTDIR)$(LIBDIR)/libinvgen.so \
		$(DESTDIR)$(LIBDIR)/libinvgen.so.$(SOMAJOR) \
		$(DESTDIR)$(LIBDIR)/$(SOLIB) \
		$(DESTDIR)$(LIBDIR)/pkgconfig/invgen.pc \
		$(DESTDIR)$(MANDIR)/man1/invgen.1 \
		$(DESTDIR)$(MANDIR)/man3/libinvgen.3 \
		$(DESTDIR)$(BASHCOMPDIR)/invgen \
		$(DESTDIR)$(SYSUSERSDIR)/invgen.conf
	for u in $(DIST_UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$u; done
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build
