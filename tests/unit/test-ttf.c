/*
 * test-ttf.c - unit tests of gen/pdf/ttf.c: opening fonts, metrics, cmap
 * lookups, advances, subset fonts (structure, checksums, outlines,
 * composite remapping, determinism) and damaged input (truncation, byte
 * flips, targeted corruptions with their messages).
 *
 * Fonts come from $INVGEN_TEST_FONT_DIR when it is set, otherwise from
 * the tree's fonts/ (testtools.h, test_font_dir); a missing font is a
 * failure.
 *
 * Exact glyph ids, advances and names below are test vectors read with
 * fontTools 4.38 (Debian 12 package fonttools) from the Debian 12 files:
 * fonts-noto-core 20201225-1, fonts-droid-fallback 1:6.0.1r16-1.1,
 * fonts-dejavu-core 2.37-6.  They are checked only when the file has the
 * same size as that version; other versions get the generic checks.
 *
 * Environment: INVGEN_TTF_BENCH=1 prints timings (build with -O2 and
 * without sanitizers for meaningful figures); INVGEN_TTF_DUMP=DIR writes
 * the subset fonts there for external tools (ttx, fc-scan).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "err.h"
#include "ttf.h"
#include "testlib.h"
#include "buf.h"
#include "testtools.h"

struct cpref {
	uint32_t cp;
	uint16_t gid, adv;
};

struct fontref {
	const char	*file;
	long		 size;		/* of the version the values are from */
	uint16_t	 upem, nglyphs;
	const char	*ps_name;
	uint16_t	 last_adv;	/* advance of the last glyph */
	int16_t		 cap_height;
	struct cpref	 map[8];	/* cp 0 ends the list */
};

static const struct fontref fonts[] = {
	{ "NotoSans-Regular.ttf", 512672, 1000, 3317,
	    "NotoSans-Regular", 300, 714,
	    { { 0x41, 36, 639 }, { 0x105, 199, 561 }, { 0x416, 431, 854 },
	    { 0x3a9, 373, 782 }, { 0x20ac, 539, 572 } } },
	{ "NotoSans-Bold.ttf", 515752, 1000, 3317,
	    "NotoSans-Bold", 300, 714,
	    { { 0x41, 36, 690 }, { 0x105, 199, 604 }, { 0x416, 431, 943 },
	    { 0x3a9, 373, 786 } } },
	{ "NotoSansArabic-Regular.ttf", 244072, 1000, 1648,
	    "NotoSansArabic-Regular", 0, 416,
	    { { 0xfe8d, 48, 238 }, { 0x627, 46, 238 } } },
	{ "NotoSansHebrew-Regular.ttf", 26892, 1000, 149,
	    "NotoSansHebrew-Regular", 0, 714,
	    { { 0x5d0, 3, 632 }, { 0x5ea, 107, 685 } } },
	{ "DroidSansFallbackFull.ttf", 4033420, 256, 49382,
	    "DroidSansFallback", 256, 183,
	    { { 0x4e2d, 7109, 256 }, { 0x3042, 117, 256 } } },
	{ "DejaVuSans.ttf", 759720,
	    2048, 6253, "DejaVuSans", 1508, 1493,	/* cap: top of 'H' */
	    { { 0x41, 36, 1401 }, { 0x105, 199, 1255 }, { 0x416, 939, 2206 },
	    { 0x3a9, 830, 1565 }, { 0x5d0, 1319, 1369 },
	    { 0xfe8d, 5255, 569 }, { 0x1f600, 5857, 2135 } } },
};

enum { F_NOTO, F_NOTO_BOLD, F_ARABIC, F_HEBREW, F_DROID, F_DEJAVU, F_N };

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Path of font file into path; false (after a failed check) when it is
 * not there. */
static bool
find_font(const struct fontref *r, char *path, size_t size)
{
	int w = snprintf(path, size, "%s/%s", test_font_dir(), r->file);

	if (w > 0 && (size_t)w < size && access(path, R_OK) == 0)
		return true;
	printf("%s/%s: not found\n", test_font_dir(), r->file);
	CHECK(!"a font of the tree is missing");
	return false;
}

/* Whole file in an exactly sized heap block (so ASan sees overreads). */
static uint8_t *
load(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *d = NULL;
	long n;

	*len = 0;
	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		d = xmalloc((size_t)n);
		if (fread(d, 1, (size_t)n, fp) != (size_t)n) {
			free(d);
			d = NULL;
		} else
			*len = (size_t)n;
	}
	fclose(fp);
	return d;
}

/* Offset and length of a table in an sfnt buffer; false if absent. */
static bool
find_tab(const uint8_t *d, size_t len, const char *tag, size_t *off,
    size_t *tlen)
{
	size_t i, n;

	if (len < 12)
		return false;
	n = rd16(d + 4);
	for (i = 0; i < n && 12 + 16 * i + 16 <= len; i++) {
		const uint8_t *e = d + 12 + 16 * i;

		if (memcmp(e, tag, 4) == 0) {
			*off = rd32(e + 8);
			*tlen = rd32(e + 12);
			return true;
		}
	}
	return false;
}

static uint32_t
sum32(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i < len; i += 4) {
		uint8_t w[4] = { 0, 0, 0, 0 };

		memcpy(w, p + i, len - i < 4 ? len - i : 4);
		s += rd32(w);
	}
	return s;
}

/*
 * A simple glyph's layout, parsed here independently of ttf.c: offset of
 * instructionLength, of the flags, and the end of the coordinates.
 */
static bool
simple_layout(const uint8_t *g, size_t len, size_t *ins, size_t *flags,
    size_t *end)
{
	size_t nc = rd16(g), at = 10 + 2 * nc, npts, xs = 0, ys = 0;

	if (at + 2 > len)
		return false;
	npts = nc ? (size_t)rd16(g + at - 2) + 1 : 0;
	*ins = at;
	at += 2 + rd16(g + at);
	*flags = at;
	while (npts > 0) {
		unsigned fl, rep = 1, xn, yn;

		if (at >= len)
			return false;
		fl = g[at++];
		if (fl & 8) {
			if (at >= len)
				return false;
			rep += g[at++];
		}
		if (rep > npts)
			return false;
		xn = fl & 2 ? 1 : fl & 16 ? 0 : 2;
		yn = fl & 4 ? 1 : fl & 32 ? 0 : 2;
		xs += xn * rep;
		ys += yn * rep;
		npts -= rep;
	}
	*end = at + xs + ys;
	return *end <= len;
}

/* Components of a composite glyph: flag offsets and glyph ids. */
struct comp {
	size_t	 n, at[32], end;
	uint16_t gid[32];
};

static bool
composite_layout(const uint8_t *g, size_t len, struct comp *c)
{
	size_t at = 10;
	unsigned fl;

	c->n = 0;
	do {
		size_t sz;

		if (at + 4 > len || c->n == 32)
			return false;
		fl = rd16(g + at);
		sz = 4 + (fl & 1 ? 4 : 2) + (fl & 0x80 ? 8 : fl & 0x40 ? 4 :
		    fl & 8 ? 2 : 0);
		if (at + sz > len)
			return false;
		c->at[c->n] = at;
		c->gid[c->n++] = rd16(g + at + 2);
		at += sz;
	} while (fl & 0x20);
	c->end = at;
	return true;
}

/*
 * Check the sfnt structure of a subset: sorted directory with the seven
 * expected tables, 4-byte alignment, table checksums, the whole-file
 * checksum, and loca's size for the head's format.
 */
static void
check_sfnt(const uint8_t *d, size_t len, size_t nglyphs)
{
	static const char *const want[] = { "glyf", "head", "hhea", "hmtx",
	    "loca", "maxp", "post" };
	size_t i, n, off, tl, hoff = 0;
	uint8_t head[54];

	CHECK(len >= 12 + 16 * 7);
	if (len < 12 + 16 * 7)
		return;
	CHECK_INT(rd32(d), 0x00010000);
	n = rd16(d + 4);
	CHECK_INT(n, 7);
	CHECK_INT(rd16(d + 6), 64);	/* searchRange for 7 tables */
	CHECK_INT(rd16(d + 8), 2);
	CHECK_INT(rd16(d + 10), 7 * 16 - 64);
	CHECK_INT(len % 4, 0);
	for (i = 0; i < n && i < 7; i++) {
		const uint8_t *e = d + 12 + 16 * i;

		CHECK(memcmp(e, want[i], 4) == 0);
		off = rd32(e + 8);
		tl = rd32(e + 12);
		CHECK_INT(off % 4, 0);
		CHECK(off + tl <= len);
		if (off + tl > len)
			return;
		if (memcmp(e, "head", 4) == 0) {
			CHECK_INT(tl, 54);
			memcpy(head, d + off, 54);
			memset(head + 8, 0, 4);
			CHECK_INT(rd32(e + 4), sum32(head, 54));
			hoff = off;
		} else
			CHECK_INT(rd32(e + 4), sum32(d + off, tl));
	}
	CHECK_INT(sum32(d, len), 0xb1b0afba);
	CHECK(find_tab(d, len, "loca", &off, &tl));
	if (hoff != 0)
		CHECK_INT(tl, (nglyphs + 1) * (rd16(d + hoff + 50) ? 4 : 2));
	CHECK(!find_tab(d, len, "fpgm", &off, &tl));
	CHECK(!find_tab(d, len, "prep", &off, &tl));
	CHECK(!find_tab(d, len, "cvt ", &off, &tl));
}

static int
cmp16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/*
 * Build a subset of f for gids and check everything about it; returns the
 * number of composite glyphs whose remapping was verified.  *size gets
 * the subset's size in bytes.
 */
static size_t
check_subset(const struct ttf *f, const uint16_t *gids, size_t n,
    size_t *size)
{
	struct ttf_subset s, s2;
	struct gen_err err = { 0 };
	struct ttf *sub = NULL;
	uint16_t *want = xmalloc((n + 1) * sizeof(*want)), *rev;
	size_t i, j, nwant = 0, ncomp = 0;
	const struct ttf_metrics *m = ttf_metrics(f), *sm;

	*size = 0;
	/* The expected requested part: sorted, unique, without 0. */
	memcpy(want, gids, n * sizeof(*want));
	qsort(want, n, sizeof(*want), cmp16);
	for (i = 0; i < n; i++)
		if (want[i] != 0 && (nwant == 0 || want[nwant - 1] != want[i]))
			want[nwant++] = want[i];

	CHECK_INT(ttf_subset_build(f, gids, n, &s, &err), GEN_OK);
	if (err.rc != GEN_OK) {
		fprintf(stderr, "subset: %s\n", err.msg);
		free(want);
		return 0;
	}
	*size = s.data.len;
	CHECK(s.nglyphs >= nwant + 1);
	CHECK_INT(s.old_gid[0], 0);
	for (i = 0; i < nwant && i + 1 < s.nglyphs; i++)
		CHECK_INT(s.old_gid[i + 1], want[i]);
	for (i = nwant + 2; i < s.nglyphs; i++)	/* components: ascending */
		CHECK(s.old_gid[i - 1] < s.old_gid[i]);
	for (i = nwant + 1; i < s.nglyphs; i++)
		CHECK(s.old_gid[i] != 0 && bsearch(&s.old_gid[i], want, nwant,
		    sizeof(*want), cmp16) == NULL);
	for (i = 0; i < s.nglyphs; i++)
		CHECK_INT(ttf_subset_map(&s, s.old_gid[i]), i);
	check_sfnt((uint8_t *)s.data.data, s.data.len, s.nglyphs);

	/* Same set in another order, with duplicates: the same bytes. */
	rev = xmalloc((2 * n + 1) * sizeof(*rev));
	for (i = 0; i < n; i++)
		rev[i] = rev[n + i] = gids[n - 1 - i];
	rev[2 * n] = 0;
	CHECK_INT(ttf_subset_build(f, rev, 2 * n + 1, &s2, &err), GEN_OK);
	CHECK(s2.data.len == s.data.len &&
	    memcmp(s2.data.data, s.data.data, s.data.len) == 0);
	ttf_subset_free(&s2);
	free(rev);

	CHECK_INT(ttf_open_memory(s.data.data, s.data.len, "subset", &sub,
	    &err), GEN_OK);
	if (sub == NULL) {
		fprintf(stderr, "reopen: %s\n", err.msg);
		goto out;
	}
	sm = ttf_metrics(sub);
	CHECK_INT(sm->num_glyphs, s.nglyphs);
	CHECK_INT(sm->cmap_format, 0);
	CHECK_INT(ttf_glyph(sub, 'A'), 0);
	CHECK_INT(sm->units_per_em, m->units_per_em);
	CHECK(memcmp(sm->bbox, m->bbox, sizeof(m->bbox)) == 0);
	CHECK_INT(sm->italic_angle, m->italic_angle);
	for (i = 0; i < s.nglyphs; i++) {
		const uint8_t *og, *ng;
		size_t ol, nl, ins, fl, end;
		struct comp oc, nc;

		CHECK_INT(ttf_advance(sub, (uint16_t)i),
		    ttf_advance(f, s.old_gid[i]));
		CHECK_INT(ttf_glyph_data(f, s.old_gid[i], &og, &ol, &err),
		    GEN_OK);
		CHECK_INT(ttf_glyph_data(sub, (uint16_t)i, &ng, &nl, &err),
		    GEN_OK);
		if (og == NULL || ng == NULL)
			continue;
		CHECK_INT(nl % 2, 0);
		if (ol == 0 || rd16(og) == 0) {
			CHECK_INT(nl, 0);
		} else if ((int16_t)rd16(og) > 0) {
			/* Same outline, instructionLength 0, no instructions. */
			if (!simple_layout(og, ol, &ins, &fl, &end)) {
				CHECK(!"original simple glyph unreadable");
				continue;
			}
			CHECK_INT(nl, (ins + 2 + end - fl + 1) & ~(size_t)1);
			if (nl < ins + 2 + end - fl)
				continue;
			CHECK(memcmp(ng, og, ins) == 0);
			CHECK_INT(rd16(ng + ins), 0);
			CHECK(memcmp(ng + ins + 2, og + fl, end - fl) == 0);
		} else {
			if (!composite_layout(og, ol, &oc) ||
			    !composite_layout(ng, nl, &nc)) {
				CHECK(!"composite glyph unreadable");
				continue;
			}
			CHECK_INT(nc.n, oc.n);
			CHECK_INT(nl, (oc.end + 1) & ~(size_t)1);
			if (nc.n != oc.n || nl < oc.end)
				continue;
			CHECK(memcmp(ng, og, 10) == 0);
			for (j = 0; j < oc.n; j++) {
				size_t a = oc.at[j], b = j + 1 < oc.n ?
				    oc.at[j + 1] : oc.end;

				CHECK_INT(nc.at[j], a);
				CHECK(nc.gid[j] < s.nglyphs);
				if (nc.gid[j] < s.nglyphs)
					CHECK_INT(s.old_gid[nc.gid[j]],
					    oc.gid[j]);
				CHECK_INT(rd16(ng + a),
				    rd16(og + a) & ~0x0100);
				CHECK(memcmp(ng + a + 4, og + a + 4,
				    b - a - 4) == 0);
			}
			ncomp++;
		}
	}
out:
	ttf_close(sub);
	ttf_subset_free(&s);
	CHECK(s.data.data == NULL && s.old_gid == NULL && s.nglyphs == 0);
	free(want);
	return ncomp;
}

/* Decode UTF-8 text into code points (test text is valid UTF-8). */
static size_t
utf8_decode(const char *s, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p != '\0' && n < max) {
		uint32_t c = *p++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		if (more > 0)
			c &= 0x3f >> more;
		while (more-- > 0 && (*p & 0xc0) == 0x80)
			c = c << 6 | (*p++ & 0x3f);
		out[n++] = c;
	}
	return n;
}

/* Unique glyph ids of text in f (0 for unmapped code points omitted). */
static size_t
text_gids(const struct ttf *f, const char *text, uint16_t *gids, size_t max)
{
	uint32_t cps[512];
	size_t i, j, n = 0, ncp = utf8_decode(text, cps, 512);

	for (i = 0; i < ncp; i++) {
		uint16_t g = ttf_glyph(f, cps[i]);

		for (j = 0; j < n && gids[j] != g; j++)
			;
		if (g != 0 && j == n && n < max)
			gids[n++] = g;
	}
	return n;
}

static const char invoice_text[] =
    "Faktura VAT nr FV/2024/03/0042 Rechnung Zażółć gęślą jaźń "
    "Größe: 1.234,56 € (netto) 19% MwSt ÄÖÜß Příliš žluťoučký kůň "
    "IBAN DE89 3704 0044 0532 0130 00 Summe Total";

/* Errors that need no font file. */
static void
test_no_font(void)
{
	struct gen_err err = { 0 };
	struct ttf *f = (struct ttf *)&err;
	uint8_t hdr[28];
	char path[] = "/tmp/test-ttf-XXXXXX";
	int fd;

	ttf_close(NULL);
	ttf_subset_free(NULL);

	CHECK_INT(ttf_open("/nonexistent/dir/x.ttf", &f, &err), GEN_EIO);
	CHECK(f == NULL);
	CHECK_MSG(err, "/nonexistent/dir/x.ttf: cannot open");
	CHECK_MSG(err, "No such file");

	CHECK_INT(ttf_open("/tmp", &f, &err), GEN_EIO);
	CHECK_MSG(err, "/tmp: not a regular file");
	CHECK_INT(ttf_probe("/nonexistent/dir/x.ttf", &err), GEN_EIO);
	CHECK_MSG(err, "/nonexistent/dir/x.ttf: cannot open");
	CHECK_INT(ttf_probe("/tmp", &err), GEN_EIO);
	CHECK_MSG(err, "/tmp: not a regular file");

	fd = mkstemp(path);
	CHECK(fd != -1);
	if (fd != -1) {
		close(fd);
		CHECK_INT(ttf_open(path, &f, &err), GEN_EINPUT);
		CHECK_MSG(err, "0 bytes");
		CHECK_INT(ttf_probe(path, &err), GEN_EINPUT);
		CHECK_MSG(err, "0 bytes");
		unlink(path);
	}

	CHECK_INT(ttf_open_memory("", 0, NULL, &f, &err), GEN_EINPUT);
	CHECK_MSG(err, "<memory>: 0 bytes is too short");
	CHECK_INT(ttf_open_memory(NULL, 0, "x.ttf", &f, &err), GEN_EINPUT);
	CHECK_MSG(err, "x.ttf");

	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, "OTTO", 4);
	wr16(hdr + 4, 1);
	memcpy(hdr + 12, "CFF ", 4);
	CHECK_INT(ttf_open_memory(hdr, sizeof(hdr), "a.otf", &f, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "a.otf: OpenType font with CFF outlines");
	CHECK_MSG(err, "allowed: fonts with TrueType outlines");

	memcpy(hdr, "ttcf", 4);
	CHECK_INT(ttf_open_memory(hdr, sizeof(hdr), "c.ttc", &f, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "font collection");

	memcpy(hdr, "\x00\x01\x00\x00", 4);
	wr16(hdr + 4, 0);
	CHECK_INT(ttf_open_memory(hdr, sizeof(hdr), "z.ttf", &f, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "table directory: 0 entries");

	/* A 'true' font whose only outline table is CFF. */
	wr16(hdr + 4, 1);
	memcpy(hdr, "true", 4);
	memcpy(hdr + 12, "CFF ", 4);
	CHECK_INT(ttf_open_memory(hdr, sizeof(hdr), "t.ttf", &f, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "CFF outlines");

	/* One table that does not fit. */
	memcpy(hdr + 12, "glyf", 4);
	hdr[23] = 40;	/* offset 40 */
	hdr[27] = 5;	/* length 5 */
	CHECK_INT(ttf_open_memory(hdr, sizeof(hdr), "t.ttf", &f, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "table 'glyf': 5 bytes at offset 40 run past the end");

	memcpy(hdr, "wOFF", 4);
	CHECK_INT(ttf_open_memory(hdr, sizeof(hdr), "w.woff", &f, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "w.woff: not a TrueType font");
	CHECK(f == NULL);
}

/* Open one font and check metrics, lookups and advances. */
static struct ttf *
test_font(const struct fontref *r)
{
	char path[4096];
	struct gen_err err = { 0 };
	struct ttf *f = NULL;
	const struct ttf_metrics *m;
	size_t i, len;
	bool exact;
	uint8_t *d;

	if (!find_font(r, path, sizeof(path)))
		return NULL;
	CHECK_INT(ttf_open(path, &f, &err), GEN_OK);
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", r->file, err.msg);
		return NULL;
	}
	m = ttf_metrics(f);
	d = load(path, &len);
	exact = (long)len == r->size;
	free(d);
	if (!exact)
		printf("note: %s is not the reference version; exact values "
		    "not checked\n", r->file);

	/* Generic properties. */
	CHECK(m->units_per_em >= 16);
	CHECK(m->num_glyphs > 1);
	CHECK(m->cmap_format == 4 || m->cmap_format == 12);
	CHECK(m->ascender > 0);
	CHECK(m->descender < 0);
	CHECK(m->cap_height > 0 && m->cap_height <= m->ascender);
	CHECK(m->x_height > 0 && m->x_height < m->cap_height);
	CHECK(m->bbox[0] < m->bbox[2] && m->bbox[1] < m->bbox[3]);
	CHECK(m->stem_v > 0);
	CHECK((m->flags & 4) != 0 && (m->flags & 32) == 0);
	CHECK(strlen(m->ps_name) > 0 && strcmp(m->ps_name, "Unnamed") != 0);
	CHECK(strpbrk(m->ps_name, " ()<>[]{}/%#") == NULL);
	CHECK_INT(ttf_glyph(f, 0x110000), 0);
	CHECK_INT(ttf_glyph(f, 0xffffffffU), 0);
	CHECK_INT(ttf_glyph(f, 0x10fffd), 0);	/* private use, plane 16 */
	CHECK_INT(ttf_glyph(f, 0xe01ef), 0);	/* a variation selector */
	CHECK_INT(ttf_advance(f, m->num_glyphs), 0);
	CHECK_INT(ttf_advance(f, 0xffff), 0);
	CHECK_INT(ttf_pdf_units(f, m->units_per_em), 1000);
	CHECK_INT(ttf_pdf_units(f, -(int32_t)m->units_per_em), -1000);
	for (i = 0; i < 8 && r->map[i].cp != 0; i++) {
		uint16_t g = ttf_glyph(f, r->map[i].cp);

		CHECK(g != 0);
		CHECK(ttf_advance(f, g) > 0);
		if (exact) {
			CHECK_INT(g, r->map[i].gid);
			CHECK_INT(ttf_advance(f, g), r->map[i].adv);
		}
	}
	if (exact) {
		CHECK_INT(m->units_per_em, r->upem);
		CHECK_INT(m->num_glyphs, r->nglyphs);
		CHECK_STR(m->ps_name, r->ps_name);
		CHECK_INT(ttf_advance(f, r->nglyphs - 1), r->last_adv);
		CHECK_INT(m->cap_height, r->cap_height);
	}
	return f;
}

/* Code points that each font must not map (script it does not cover). */
static void
test_missing(struct ttf *const *f)
{
	if (f[F_NOTO] != NULL) {
		CHECK_INT(ttf_glyph(f[F_NOTO], 0x4e2d), 0);
		CHECK_INT(ttf_glyph(f[F_NOTO], 0x5d0), 0);
		CHECK_INT(ttf_glyph(f[F_NOTO], 0x1f600), 0);
		CHECK_INT(ttf_metrics(f[F_NOTO])->flags, 4);
		CHECK_INT(ttf_metrics(f[F_NOTO])->weight_class, 400);
		CHECK_INT(ttf_metrics(f[F_NOTO])->fs_type, 0);
	}
	if (f[F_NOTO_BOLD] != NULL)
		CHECK_INT(ttf_metrics(f[F_NOTO_BOLD])->weight_class, 700);
	if (f[F_HEBREW] != NULL) {
		CHECK_INT(ttf_glyph(f[F_HEBREW], 'A'), 0);
		CHECK_INT(ttf_glyph(f[F_HEBREW], 0x4e2d), 0);
	}
	if (f[F_ARABIC] != NULL)
		CHECK_INT(ttf_glyph(f[F_ARABIC], 0x416), 0);
	if (f[F_DROID] != NULL) {
		CHECK_INT(ttf_metrics(f[F_DROID])->cmap_format, 12);
		CHECK_INT(ttf_glyph(f[F_DROID], 0x1f600), 0);
	}
	if (f[F_DEJAVU] != NULL) {
		CHECK_INT(ttf_metrics(f[F_DEJAVU])->cmap_format, 12);
		CHECK_INT(ttf_glyph(f[F_DEJAVU], 0x4e2d), 0);
	}
}

/* Subsets: remapping, errors, determinism, size, long loca. */
static void
test_subsets(struct ttf *const *f, const char *dump)
{
	struct gen_err err = { 0 };
	struct ttf_subset s, s2;
	uint16_t gids[256], *all;
	size_t n, i, size, ncomp;
	char tag[7], tag2[7];

	if (f[F_NOTO] != NULL) {
		const struct ttf *nf = f[F_NOTO];
		uint16_t aog = ttf_glyph(nf, 0x105), a = ttf_glyph(nf, 'a');

		/* 'ą' alone pulls in its components, 'a' and the ogonek. */
		CHECK_INT(ttf_subset_build(nf, &aog, 1, &s, &err), GEN_OK);
		CHECK_INT(s.nglyphs, 4);
		CHECK_INT(s.old_gid[1], aog);
		CHECK_INT(ttf_subset_map(&s, aog), 1);
		CHECK_INT(ttf_subset_map(&s, a), 2);
		CHECK_INT(ttf_subset_map(&s, ttf_glyph(nf, 'b')), 0);
		ttf_subset_tag(&s, tag);
		CHECK_INT(strlen(tag), 6);
		CHECK(strspn(tag, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 6);
		ttf_subset_free(&s);
		CHECK(check_subset(nf, &aog, 1, &size) == 1);

		/* With 'a' requested too, it is not duplicated. */
		gids[0] = aog;
		gids[1] = a;
		CHECK_INT(ttf_subset_build(nf, gids, 2, &s, &err), GEN_OK);
		CHECK_INT(s.nglyphs, 4);
		CHECK_INT(s.old_gid[1], a);
		CHECK_INT(s.old_gid[2], aog);
		ttf_subset_tag(&s, tag2);
		CHECK(strcmp(tag, tag2) != 0);
		ttf_subset_free(&s);

		/* The invoice text. */
		n = text_gids(nf, invoice_text, gids, 256);
		CHECK(n >= 55);
		ncomp = check_subset(nf, gids, n, &size);
		CHECK(ncomp >= 10);	/* ą ę ł ó ż ... are composites */
		CHECK(size > 2000 && size < 16000);

		/* Nothing but .notdef. */
		CHECK(check_subset(nf, gids, 0, &size) == 0);

		gids[3] = 3317;
		CHECK_INT(ttf_subset_build(nf, gids, 5, &s, &err), GEN_EINPUT);
		CHECK_MSG(err, "subset glyph ids[3] = 3317; allowed: 0..3316");
		CHECK(s.data.data == NULL && s.old_gid == NULL &&
		    s.nglyphs == 0);
		ttf_subset_free(&s);

		/* Same glyph ids in two fonts: tags differ (bytes differ). */
		if (f[F_NOTO_BOLD] != NULL) {
			n = text_gids(nf, invoice_text, gids, 256);
			CHECK_INT(ttf_subset_build(nf, gids, n, &s, &err),
			    GEN_OK);
			CHECK_INT(ttf_subset_build(f[F_NOTO_BOLD], gids, n,
			    &s2, &err), GEN_OK);
			ttf_subset_tag(&s, tag);
			ttf_subset_tag(&s2, tag2);
			CHECK(strcmp(tag, tag2) != 0);
			ttf_subset_tag(&s, tag2);
			CHECK_STR(tag, tag2);
			if (dump != NULL) {
				char p[4096];
				FILE *fp;

				snprintf(p, sizeof(p), "%s/noto-invoice.ttf",
				    dump);
				if ((fp = fopen(p, "wb")) != NULL) {
					fwrite(s.data.data, 1, s.data.len, fp);
					fclose(fp);
				}
			}
			ttf_subset_free(&s);
			ttf_subset_free(&s2);
		}
	}
	if (f[F_DEJAVU] != NULL) {
		const struct ttf *df = f[F_DEJAVU];
		uint16_t nd = ttf_metrics(df)->num_glyphs;

		/* 'Ǻ' (composite of Aring and acute), Hebrew, Arabic. */
		gids[0] = ttf_glyph(df, 0x1fa);
		gids[1] = ttf_glyph(df, 0x5d0);
		gids[2] = ttf_glyph(df, 0xfe8d);
		gids[3] = ttf_glyph(df, 0xe9);
		CHECK(check_subset(df, gids, 4, &size) >= 3);

		/* Every glyph: glyf > 128 KiB, so loca is long. */
		all = xmalloc(nd * sizeof(*all));
		for (i = 0; i < nd; i++)
			all[i] = (uint16_t)(nd - 1 - i);
		CHECK(check_subset(df, all, nd, &size) > 100);
		CHECK_INT(ttf_subset_build(df, all, nd, &s, &err), GEN_OK);
		CHECK_INT(s.nglyphs, nd);
		for (i = 0; i < nd; i++)
			CHECK_INT(s.old_gid[i], i);
		CHECK(find_tab((uint8_t *)s.data.data, s.data.len, "head",
		    &n, &size));
		CHECK_INT(rd16((uint8_t *)s.data.data + n + 50), 1);
		ttf_subset_free(&s);
		free(all);
	}
	for (i = 0; i < F_N; i++) {
		if (f[i] == NULL || i == F_NOTO || i == F_DEJAVU)
			continue;
		n = 0;
		for (uint32_t cp = 0x20; cp < 0x10000 && n < 40; cp += 7)
			if ((gids[n] = ttf_glyph(f[i], cp)) != 0)
				n++;
		CHECK(n > 0);
		check_subset(f[i], gids, n, &size);
		/* Short loca for these small subsets. */
		CHECK_INT(ttf_subset_build(f[i], gids, n, &s, &err), GEN_OK);
		CHECK(find_tab((uint8_t *)s.data.data, s.data.len, "head",
		    &n, &size));
		CHECK_INT(rd16((uint8_t *)s.data.data + n + 50), 0);
		ttf_subset_free(&s);
	}
}

/*
 * Run every entry point on a (possibly damaged) font; must not crash.
 * Returns 0 when it was refused at open, 1 when a subset of all glyphs
 * was built, 2 when the subset was refused.
 */
static int
exercise(const uint8_t *d, size_t len, bool must_fail)
{
	struct gen_err err = { 0 };
	struct ttf *f = NULL, *sub = NULL;
	struct ttf_subset s;
	uint16_t *gids;
	uint32_t cp;
	size_t i, n, gl;
	const uint8_t *g;
	unsigned sink = 0;
	int res;

	if (ttf_open_memory(d, len, "bad.ttf", &f, &err) != GEN_OK) {
		CHECK(err.rc == GEN_EINPUT && f == NULL);
		CHECK_MSG(err, "bad.ttf: ");
		return 0;
	}
	if (must_fail) {
		CHECK(!must_fail);
		fprintf(stderr, "opened a font cut to %zu bytes\n", len);
	}
	n = ttf_metrics(f)->num_glyphs;
	for (cp = 0; cp < 0x800; cp++)
		sink += ttf_glyph(f, cp);
	for (cp = 0xf000; cp < 0x10100; cp += 3)
		sink += ttf_glyph(f, cp);
	/* All glyphs of a small font; a spread of 400 of a big one. */
	if (n > 400)
		n = 400;
	gids = xmalloc(n * sizeof(*gids));
	for (i = 0; i < n; i++) {
		gids[i] = (uint16_t)(i * 97 % ttf_metrics(f)->num_glyphs);
		sink += ttf_advance(f, gids[i]);
		if (ttf_glyph_data(f, gids[i], &g, &gl, &err) == GEN_OK &&
		    gl > 0)
			sink += g[gl - 1];
	}
	if (ttf_subset_build(f, gids, n, &s, &err) == GEN_OK) {
		/* Whatever we write must read back. */
		CHECK_INT(ttf_open_memory(s.data.data, s.data.len, "sub",
		    &sub, &err), GEN_OK);
		ttf_close(sub);
		ttf_subset_free(&s);
		res = 1;
	} else {
		CHECK(err.rc == GEN_EINPUT && s.data.data == NULL);
		CHECK_MSG(err, "bad.ttf: table '");
		res = 2;
	}
	free(gids);
	ttf_close(f);
	(void)sink;
	return res;
}

/* xorshift64: a fixed pseudo-random sequence for the flip test. */
static uint64_t
rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * Truncation, flipped bytes, and corruptions with known messages, on the
 * smallest font available (NotoSansHebrew when present).
 */
static void
test_corrupt(struct ttf *const *fl)
{
	static const int pref[] = { F_HEBREW, F_ARABIC, F_NOTO, F_NOTO_BOLD,
	    F_DEJAVU, F_DROID };
	static const uint8_t xors[] = { 0x01, 0x02, 0x10, 0x80, 0xff };
	static const uint32_t probe[] = { 0x5d0, 0x627, 'A', 0x4e2d };
	struct gen_err err = { 0 };
	struct ttf *f = NULL;
	struct ttf_subset s;
	char path[4096], want[128], tmp[] = "/tmp/test-ttf-XXXXXX";
	uint8_t *d, *c, save[4], orig[6];
	size_t len, i, k, last_end = 0, off, tl, loca, lotl, gl, step;
	size_t outcome[3] = { 0, 0, 0 }, rounds;
	const uint8_t *g;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	uint16_t gid, ng;
	bool lng;
	int fd, which = -1;

	for (i = 0; i < sizeof(pref) / sizeof(pref[0]) && which < 0; i++)
		if (fl[pref[i]] != NULL)
			which = pref[i];
	if (which < 0) {
		printf("SKIP: no font for the corruption tests\n");
		return;
	}
	if (!find_font(&fonts[which], path, sizeof(path)) ||
	    (d = load(path, &len)) == NULL) {
		CHECK(!"cannot read the font again");
		return;
	}
	ng = ttf_metrics(fl[which])->num_glyphs;
	for (i = 0; i < rd16(d + 4); i++) {
		const uint8_t *e = d + 12 + 16 * i;

		if (rd32(e + 8) + rd32(e + 12) > last_end)
			last_end = rd32(e + 8) + rd32(e + 12);
	}

	/* Prefixes, in exactly sized copies so ASan sees overreads. */
	step = len / 300 > 37 ? len / 300 : 37;
	for (k = 0; k < len; k += k < 1024 ? 1 : step) {
		c = xmalloc(k ? k : 1);
		memcpy(c, d, k);
		exercise(c, k, k < last_end);
		free(c);
	}
	CHECK_INT(ttf_open_memory(d, len / 2, "half.ttf", &f, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "half.ttf: table '");
	CHECK_MSG(err, "run past the end of the file");
	if ((fd = mkstemp(tmp)) != -1) {
		CHECK(write(fd, d, len / 2) == (ssize_t)(len / 2));
		close(fd);
		CHECK_INT(ttf_open(tmp, &f, &err), GEN_EINPUT);
		CHECK(f == NULL);
		CHECK_MSG(err, tmp);
		CHECK_MSG(err, ": table '");
		unlink(tmp);
	}

	/* ttf_probe() reads only the header and directory: a file cut
	 * anywhere before the end of its last table is refused as
	 * ttf_open() refuses it, one that holds every table passes. */
	{
		size_t cuts[] = { 0, 5, 12, 13, 12 + 16 * (size_t)rd16(d + 4)
		    - 1, 12 + 16 * (size_t)rd16(d + 4), last_end / 2,
		    last_end - 1, last_end, len };

		for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
			char ptmp[] = "/tmp/test-ttf-XXXXXX";

			if ((fd = mkstemp(ptmp)) == -1)
				continue;
			CHECK(write(fd, d, cuts[i]) == (ssize_t)cuts[i]);
			close(fd);
			memset(&err, 0, sizeof(err));
			CHECK_INT(ttf_probe(ptmp, &err), cuts[i] < last_end ?
			    GEN_EINPUT : GEN_OK);
			if (cuts[i] < last_end)
				CHECK_MSG(err, ptmp);
			unlink(ptmp);
		}
	}

	/* Every byte of the table directory, several ways. */
	for (k = 0; k < 12 + 16 * (size_t)rd16(d + 4); k++)
		for (i = 0; i < sizeof(xors); i++) {
			d[k] ^= xors[i];
			outcome[exercise(d, len, false)]++;
			d[k] ^= xors[i];
		}

	/* Random bytes anywhere, then inside cmap/loca/glyf/hmtx. */
	rounds = which == F_HEBREW ? 3000 : 600;
	for (k = 0; k < rounds; k++) {
		size_t pos[6], nflip = 1 + rnd(&seed) % 6, lo = 0, span = len;
		const char *tag = k % 2 ? "glyf" : k % 4 == 0 ? "cmap" :
		    k % 8 == 2 ? "loca" : "hmtx";

		if (k >= rounds / 6 && find_tab(d, len, tag, &off, &tl) &&
		    tl > 0) {
			lo = off;
			span = tl;
		}
		for (i = 0; i < nflip; i++) {
			pos[i] = lo + rnd(&seed) % span;
			orig[i] = d[pos[i]];
			d[pos[i]] ^= (uint8_t)(1 + rnd(&seed) % 255);
		}
		outcome[exercise(d, len, false)]++;
		/* Restore in reverse: a position may repeat. */
		while (i-- > 0)
			d[pos[i]] = orig[i];
	}
	c = load(path, &tl);
	CHECK(c != NULL && tl == len && memcmp(c, d, len) == 0);
	free(c);
	/* The damage reached every stage: open, subset built, refused. */
	CHECK(outcome[0] > rounds / 30);
	CHECK(outcome[1] > rounds / 3);
	CHECK(outcome[2] > rounds / 30);
	printf("corrupt %s: %zu refused at open, %zu subset, %zu refused "
	    "at subset\n", fonts[which].file, outcome[0], outcome[1],
	    outcome[2]);

	/* Named corruptions: each restores the bytes afterwards. */
#define PATCH16(at, v, want_msg) do { \
	uint16_t old_ = rd16(d + (at)); \
	wr16(d + (at), (v)); \
	CHECK_INT(ttf_open_memory(d, len, "x.ttf", &f, &err), GEN_EINPUT); \
	CHECK_MSG(err, want_msg); \
	wr16(d + (at), old_); \
} while (0)
	CHECK(find_tab(d, len, "head", &off, &tl));
	lng = rd16(d + off + 50) == 1;
	PATCH16(off + 12, 0x1234, "x.ttf: table 'head': magic number");
	PATCH16(off + 18, 0, "table 'head': unitsPerEm 0; allowed: 16..16384");
	PATCH16(off + 50, 2, "indexToLocFormat 2; allowed: 0 or 1");
	CHECK(find_tab(d, len, "hhea", &off, &tl));
	PATCH16(off + 34, 0, "table 'hhea': numberOfHMetrics 0");
	snprintf(want, sizeof(want), "numberOfHMetrics %u; allowed: 1..%u",
	    ng + 1u, (unsigned)ng);
	PATCH16(off + 34, (uint16_t)(ng + 1), want);
	CHECK(find_tab(d, len, "loca", &loca, &lotl));
	CHECK(find_tab(d, len, "maxp", &off, &tl));
	PATCH16(off + 4, 0, "table 'maxp': numGlyphs 0");
	if (lotl / (lng ? 4 : 2) <= 0xffff) {
		snprintf(want, sizeof(want), "table 'loca' has %zu bytes; at "
		    "least %zu", lotl, lotl + (lng ? 4 : 2));
		PATCH16(off + 4, (uint16_t)(lotl / (lng ? 4 : 2)), want);
	}
	CHECK(find_tab(d, len, "cmap", &off, &tl));
	PATCH16(off + 2, 0x7fff, "table 'cmap': 32767 encoding records");
	for (i = 0; i < rd16(d + 4); i++)
		if (memcmp(d + 12 + 16 * i, "hmtx", 4) == 0)
			break;
	memcpy(save, d + 12 + 16 * i, 4);
	memcpy(d + 12 + 16 * i, "hmtX", 4);
	CHECK_INT(ttf_open_memory(d, len, "x.ttf", &f, &err), GEN_EINPUT);
	CHECK_MSG(err, "x.ttf: table 'hmtx' is missing");
	memcpy(d + 12 + 16 * i, save, 4);
	memcpy(save, d, 4);
	memcpy(d, "OTTO", 4);
	CHECK_INT(ttf_open_memory(d, len, "x.ttf", &f, &err), GEN_EINPUT);
	CHECK_MSG(err, "CFF outlines");
	memcpy(d, "true", 4);
	CHECK_INT(ttf_open_memory(d, len, "x.ttf", &f, &err), GEN_OK);
	ttf_close(f);
	memcpy(d, save, 4);

	/* loca pointing past glyf: open works, the glyph is refused. */
	CHECK_INT(ttf_open_memory(d, len, "x.ttf", &f, &err), GEN_OK);
	if (f == NULL)
		goto out;
	for (i = 0, gid = 0; i < 4 && gid == 0; i++)
		gid = ttf_glyph(f, probe[i]);
	CHECK(gid > 0);
	off = loca + (lng ? 4 : 2) * ((size_t)gid + 1);
	memcpy(save, d + off, 4);
	memset(d + off, 0xff, lng ? 4 : 2);
	CHECK_INT(ttf_glyph_data(f, gid, &g, &gl, &err), GEN_EINPUT);
	CHECK_MSG(err, "x.ttf: table 'loca': glyph");
	CHECK(g == NULL && gl == 0);
	CHECK_INT(ttf_subset_build(f, &gid, 1, &s, &err), GEN_EINPUT);
	CHECK_MSG(err, "table 'loca': glyph");
	CHECK(s.data.data == NULL && s.nglyphs == 0);
	memcpy(d + off, save, 4);
	CHECK_INT(ttf_glyph_data(f, 0xffff, &g, &gl, &err), GEN_EINPUT);
	snprintf(want, sizeof(want), "glyph 65535; allowed: 0..%u",
	    ng - 1u);
	CHECK_MSG(err, want);

	/* A simple glyph with a contour count beyond its data. */
	CHECK_INT(ttf_glyph_data(f, gid, &g, &gl, &err), GEN_OK);
	CHECK(gl >= 10 && (int16_t)rd16(g) > 0);
	off = (size_t)(g - d);
	memcpy(save, d + off, 2);
	wr16(d + off, 0x7fff);
	CHECK_INT(ttf_subset_build(f, &gid, 1, &s, &err), GEN_EINPUT);
	CHECK_MSG(err, "x.ttf: table 'glyf': glyph");
	CHECK_MSG(err, "is malformed");
	memcpy(d + off, save, 2);

	/* A composite whose component id is out of range. */
	for (gid = 1; gid < ng; gid++)
		if (ttf_glyph_data(f, gid, &g, &gl, &err) == GEN_OK &&
		    gl >= 14 && (int16_t)rd16(g) < 0)
			break;
	CHECK(gid < ng);
	if (gid < ng) {
		off = (size_t)(g - d) + 12;
		memcpy(save, d + off, 2);
		wr16(d + off, 0xfffe);
		CHECK_INT(ttf_subset_build(f, &gid, 1, &s, &err), GEN_EINPUT);
		CHECK_MSG(err, "table 'glyf': composite glyph");
		memcpy(d + off, save, 2);
		/* Restored: builds again. */
		CHECK_INT(ttf_subset_build(f, &gid, 1, &s, &err), GEN_OK);
		ttf_subset_free(&s);
	}
	ttf_close(f);
out:
	free(d);
#undef PATCH16
}

/* External check: FreeType (through fc-scan) must accept a subset. */
static void
test_external(const struct ttf *f)
{
	struct gen_err err = { 0 };
	struct ttf_subset s;
	uint16_t gids[256];
	char path[] = "/tmp/test-ttf-XXXXXX", cmd[256], out[256] = "";
	FILE *fp;
	size_t n;
	int fd;

	if (f == NULL)
		return;
	if (access("/usr/bin/fc-scan", X_OK) != 0) {
		printf("SKIP: fc-scan not found (package fontconfig)\n");
		return;
	}
	n = text_gids(f, invoice_text, gids, 256);
	CHECK_INT(ttf_subset_build(f, gids, n, &s, &err), GEN_OK);
	if ((fd = mkstemp(path)) == -1) {
		CHECK(!"mkstemp");
		ttf_subset_free(&s);
		return;
	}
	CHECK(write(fd, s.data.data, s.data.len) == (ssize_t)s.data.len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "fc-scan --format '%%{fontformat} "
	    "%%{fontversion}' %s 2>&1", path);
	if ((fp = popen(cmd, "r")) != NULL) {
		if (fgets(out, sizeof(out), fp) == NULL)
			out[0] = '\0';
		CHECK_INT(pclose(fp), 0);
	}
	/* fontversion is head.fontRevision, copied from the original. */
	CHECK(strncmp(out, "TrueType ", 9) == 0 && out[9] >= '1');
	if (strncmp(out, "TrueType ", 9) != 0)
		fprintf(stderr, "fc-scan: %s\n", out);
	unlink(path);
	ttf_subset_free(&s);
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of 201 samples (sorts t). */
static double
median(double *t)
{
	qsort(t, 201, sizeof(t[0]), cmp_double);
	return t[100];
}

/*
 * Timings, printed only (INVGEN_TTF_BENCH=1): open + 100 lookups from the
 * file (mmap, page faults) and from memory (the parsing alone), close,
 * and a subset of the invoice text with its size raw and deflated.
 */
static void
bench(const struct fontref *r, const struct ttf *loaded)
{
	struct gen_err err = { 0 };
	struct ttf_subset s;
	struct ttf *f;
	char path[4096];
	double t[201], u[201];
	uint16_t gids[256];
	unsigned sink = 0;
	size_t i, j, n, len;
	uLongf zlen;
	uint8_t *d;
	Bytef *z;

	if (loaded == NULL || !find_font(r, path, sizeof(path)))
		return;
	for (i = 0; i < 201; i++) {
		double t0 = now_us(), t1;

		if (ttf_open(path, &f, &err) != GEN_OK)
			return;
		for (j = 0; j < 100; j++)
			sink += ttf_glyph(f, 0x20 + (uint32_t)(j * 13 % 0x200));
		t1 = now_us();
		ttf_close(f);
		t[i] = t1 - t0;
		u[i] = now_us() - t1;
	}
	printf("bench: %s: ttf_open + 100 lookups %.1f us, ttf_close "
	    "%.1f us (medians)\n", r->file, median(t), median(u));
	if ((d = load(path, &len)) == NULL)
		return;
	for (i = 0; i < 201; i++) {
		double t0 = now_us();

		if (ttf_open_memory(d, len, NULL, &f, &err) != GEN_OK)
			break;
		for (j = 0; j < 100; j++)
			sink += ttf_glyph(f, 0x20 + (uint32_t)(j * 13 % 0x200));
		ttf_close(f);
		t[i] = now_us() - t0;
	}
	printf("bench: %s: ttf_open_memory + 100 lookups + close %.2f us\n",
	    r->file, median(t));
	free(d);
	n = text_gids(loaded, invoice_text, gids, 256);
	for (i = 0; i < 201; i++) {
		double t0 = now_us();

		ttf_subset_build(loaded, gids, n, &s, &err);
		t[i] = now_us() - t0;
		if (i < 200)
			ttf_subset_free(&s);
	}
	zlen = compressBound(s.data.len);
	z = xmalloc(zlen);
	if (compress2(z, &zlen, (Bytef *)s.data.data, s.data.len, 6) != Z_OK)
		zlen = 0;
	printf("bench: %s: subset of %zu glyphs (%zu with .notdef and "
	    "components) %.1f us, %zu bytes, %lu deflated\n", r->file, n,
	    s.nglyphs, median(t), s.data.len, (unsigned long)zlen);
	free(z);
	ttf_subset_free(&s);
	(void)sink;
}

int
main(void)
{
	struct ttf *f[F_N];
	const char *dump = getenv("INVGEN_TTF_DUMP");
	size_t i;

	test_no_font();
	for (i = 0; i < F_N; i++)
		f[i] = test_font(&fonts[i]);
	test_missing(f);
	test_subsets(f, dump != NULL && *dump != '\0' ? dump : NULL);
	test_corrupt(f);
	test_external(f[F_NOTO]);
	if (getenv("INVGEN_TTF_BENCH") != NULL)
		for (i = 0; i < F_N; i++)
			bench(&fonts[i], f[i]);
	for (i = 0; i < F_N; i++)
		ttf_close(f[i]);
	return test_report();
}
