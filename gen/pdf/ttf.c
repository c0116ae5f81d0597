/*
 * ttf.c - TrueType font reader and subsetter for PDF embedding (see ttf.h).
 *
 * Exports the ttf_* functions of ttf.h.  The font file is mapped read-only
 * and never copied; ttf_open only checks the table directory and the
 * fixed-size tables (about 1 us of work however large the font; the rest
 * is mmap and page faults).  cmap lookups binary-search the chosen
 * subtable in place: there is deliberately no code point -> glyph table
 * built at open.
 *
 * Every read goes through a bounds check against the table it belongs to,
 * and every table was checked against the file at open.  Nothing here
 * trusts an offset or a count from the font.
 *
 * Must not: write to the font after ttf_open returns (fonts are shared
 * between threads), print, exit, or keep global state.
 *
 * Format facts come from the OpenType specification (tables head, hhea,
 * maxp, hmtx, loca, glyf, cmap, OS/2, name, post) and ISO 32000-1
 * 9.8.2 (FontDescriptor flags).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "ttf.h"

/* One table of the font: a range inside the file. */
struct tab {
	const uint8_t	*p;
	size_t		 len;
};

struct ttf {
	const uint8_t	*data;
	size_t		 len;
	bool		 mapped;	/* munmap data in ttf_close */
	char		*name;		/* file name, for messages */
	struct tab	 head, hhea, maxp, hmtx, loca, glyf, cmap, os2,
			 names, post;
	struct tab	 cmap_sub;	/* chosen subtable, to cmap's end */
	uint8_t		 post_head[16];	/* post up to isFixedPitch */
	int		 cmap_format;	/* 4, 12, or 0 when none usable */
	uint16_t	 nhm;		/* hhea numberOfHMetrics */
	bool		 loca_long;	/* head indexToLocFormat == 1 */
	struct ttf_metrics m;
};

/* Composite glyph component flags (OpenType 'glyf'). */
#define CG_ARG_WORDS	0x0001
#define CG_SCALE	0x0008
#define CG_MORE		0x0020
#define CG_XY_SCALE	0x0040
#define CG_2X2		0x0080
#define CG_INSTR	0x0100

/* Simple glyph point flags. */
#define SG_X_SHORT	0x02
#define SG_Y_SHORT	0x04
#define SG_REPEAT	0x08
#define SG_X_SAME	0x10
#define SG_Y_SAME	0x20

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static int16_t
gets16(const uint8_t *p)
{
	return (int16_t)get16(p);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
set16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
set32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* True when n bytes at off lie inside a range of len bytes. */
static bool
fits(size_t len, size_t off, size_t n)
{
	return off <= len && n <= len - off;
}

/* Find table tag in the directory; a missing table is left empty. */
static struct tab
find_table(const struct ttf *f, const char *tag)
{
	struct tab t = { NULL, 0 };
	uint16_t i, ntab = get16(f->data + 4);

	for (i = 0; i < ntab; i++) {
		const uint8_t *e = f->data + 12 + 16 * (size_t)i;

		if (memcmp(e, tag, 4) == 0) {
			t.p = f->data + get32(e + 8);
			t.len = get32(e + 12);
			break;
		}
	}
	return t;
}

/*
 * Check the offset table and that every directory entry lies inside the
 * file.  Returns GEN_EINPUT with the file (and table) named otherwise.
 */
static enum gen_rc
check_directory(const struct ttf *f, struct gen_err *err)
{
	uint32_t version;
	uint16_t i, ntab;

	if (f->len < 12)
		return gen_err_set(err, GEN_EINPUT, "%s: %zu bytes is too "
		    "short for a font; allowed: a TrueType (.ttf) file",
		    f->name, f->len);
	version = get32(f->data);
	if (version == 0x4f54544fU)	/* 'OTTO' */
		return gen_err_set(err, GEN_EINPUT, "%s: OpenType font with "
		    "CFF outlines; allowed: fonts with TrueType outlines "
		    "('glyf'), e.g. the .ttf of the same family", f->name);
	if (version == 0x74746366U)	/* 'ttcf' */
		return gen_err_set(err, GEN_EINPUT, "%s: font collection "
		    "(.ttc); allowed: a single TrueType font (.ttf)", f->name);
	if (version != 0x00010000U && version != 0x74727565U) /* 'true' */
		return gen_err_set(err, GEN_EINPUT, "%s: not a TrueType font "
		    "(sfnt version 0x%08x); allowed: 0x00010000 or 'true'",
		    f->name, (unsigned)version);
	ntab = get16(f->data + 4);
	if (ntab == 0 || !fits(f->len, 12, 16 * (size_t)ntab))
		return gen_err_set(err, GEN_EINPUT, "%s: table directory: "
		    "%u entries; allowed: 1 or more, inside the file (%zu "
		    "bytes)", f->name, (unsigned)ntab, f->len);
	for (i = 0; i < ntab; i++) {
		const uint8_t *e = f->data + 12 + 16 * (size_t)i;
		uint32_t off = get32(e + 8), len = get32(e + 12);

		if (!fits(f->len, off, len))
			return gen_err_set(err, GEN_EINPUT, "%s: table "
			    "'%c%c%c%c': %u bytes at offset %u run past the "
			    "end of the file (%zu bytes)", f->name,
			    e[0] >= 32 && e[0] < 127 ? e[0] : '?',
			    e[1] >= 32 && e[1] < 127 ? e[1] : '?',
			    e[2] >= 32 && e[2] < 127 ? e[2] : '?',
			    e[3] >= 32 && e[3] < 127 ? e[3] : '?',
			    (unsigned)len, (unsigned)off, f->len);
	}
	return GEN_OK;
}

/* Require table t (named tag) to exist with at least min bytes. */
static enum gen_rc
need_table(const struct ttf *f, const struct tab *t, const char *tag,
    size_t min, struct gen_err *err)
{
	if (t->p == NULL)
		return gen_err_set(err, GEN_EINPUT, "%s: table '%s' is "
		    "missing; allowed: TrueType fonts with head, hhea, maxp, "
		    "hmtx, loca and glyf", f->name, tag);
	if (t->len < min)
		return gen_err_set(err, GEN_EINPUT, "%s: table '%s' has %zu "
		    "bytes; at least %zu needed", f->name, tag, t->len, min);
	return GEN_OK;
}

/*
 * Rank of a cmap subtable for Unicode lookups: lower is better, -1 means
 * unusable.  Full-repertoire subtables (format 12) beat BMP-only ones.
 */
static int
cmap_rank(uint16_t platform, uint16_t encoding, uint16_t format)
{
	if (format != 4 && format != 12)
		return -1;
	if (platform == 3 && encoding == 10)
		return format == 12 ? 0 : 4;
	if (platform == 0 && (encoding == 4 || encoding == 6))
		return format == 12 ? 1 : 5;
	if (platform == 3 && encoding == 1)
		return format == 12 ? 2 : 6;
	if (platform == 0 && encoding <= 3)
		return format == 12 ? 3 : 7;
	return -1;
}

/*
 * Pick the best Unicode subtable and check that its fixed arrays lie
 * inside 'cmap'.  A font without one opens, but maps nothing.
 */
static enum gen_rc
choose_cmap(struct ttf *f, struct gen_err *err)
{
	const struct tab *c = &f->cmap;
	uint16_t i, n;
	int best = -1;
	size_t best_off = 0;

	n = get16(c->p + 2);
	if (!fits(c->len, 4, 8 * (size_t)n))
		return gen_err_set(err, GEN_EINPUT, "%s: table 'cmap': %u "
		    "encoding records do not fit in %zu bytes", f->name,
		    (unsigned)n, c->len);
	for (i = 0; i < n; i++) {
		const uint8_t *r = c->p + 4 + 8 * (size_t)i;
		uint32_t off = get32(r + 4);
		int rank;

		if (!fits(c->len, off, 2))
			return gen_err_set(err, GEN_EINPUT, "%s: table 'cmap': "
			    "subtable %u at offset %u lies outside the table "
			    "(%zu bytes)", f->name, (unsigned)i,
			    (unsigned)off, c->len);
		rank = cmap_rank(get16(r), get16(r + 2), get16(c->p + off));
		if (rank >= 0 && (best < 0 || rank < best)) {
			best = rank;
			best_off = off;
		}
	}
	if (best < 0)
		return GEN_OK;
	f->cmap_sub.p = c->p + best_off;
	f->cmap_sub.len = c->len - best_off;
	f->cmap_format = get16(f->cmap_sub.p);
	if (f->cmap_format == 4) {
		uint16_t segx2;

		if (!fits(f->cmap_sub.len, 0, 14))
			goto trunc;
		segx2 = get16(f->cmap_sub.p + 6);
		if (segx2 == 0 || segx2 % 2 != 0)
			return gen_err_set(err, GEN_EINPUT, "%s: table 'cmap': "
			    "format 4 segCountX2 %u; allowed: even, > 0",
			    f->name, (unsigned)segx2);
		if (!fits(f->cmap_sub.len, 16, 4 * (size_t)segx2))
			goto trunc;
	} else {
		uint32_t ngroups;

		if (!fits(f->cmap_sub.len, 0, 16))
			goto trunc;
		ngroups = get32(f->cmap_sub.p + 12);
		if (ngroups > (f->cmap_sub.len - 16) / 12)
			goto trunc;
	}
	return GEN_OK;
trunc:
	return gen_err_set(err, GEN_EINPUT, "%s: table 'cmap': format %d "
	    "subtable runs past the end of the table", f->name,
	    f->cmap_format);
}

/*
 * The PostScript name (name id 6) into f->m.ps_name, keeping only the
 * characters PDF and PostScript allow in a font name.  Prefers Windows
 * Unicode, then Mac Roman, then Unicode platform records.  A damaged
 * 'name' table only loses the name.
 */
static void
read_ps_name(struct ttf *f, const struct tab *t)
{
	uint16_t count, storage;
	const uint8_t *best = NULL;
	size_t i, best_len = 0, o = 0;
	int best_rank = 99, wide = 0;

	snprintf(f->m.ps_name, sizeof(f->m.ps_name), "Unnamed");
	if (t->p == NULL || t->len < 6)
		return;
	count = get16(t->p + 2);
	storage = get16(t->p + 4);
	for (i = 0; i < count; i++) {
		const uint8_t *r;
		uint16_t plat, enc, lang, len, off;
		int rank;

		if (!fits(t->len, 6 + 12 * (size_t)i, 12))
			break;
		r = t->p + 6 + 12 * (size_t)i;
		plat = get16(r);
		enc = get16(r + 2);
		lang = get16(r + 4);
		len = get16(r + 8);
		off = get16(r + 10);
		if (get16(r + 6) != 6 || len == 0 ||
		    !fits(t->len, (size_t)storage + off, len))
			continue;
		if (plat == 3 && (enc == 1 || enc == 10))
			rank = lang == 0x409 ? 0 : 1;
		else if (plat == 1 && enc == 0)
			rank = 2;
		else if (plat == 0)
			rank = 3;
		else
			continue;
		if (rank < best_rank) {
			best_rank = rank;
			best = t->p + storage + off;
			best_len = len;
			wide = plat != 1;
		}
	}
	if (best == NULL)
		return;
	for (i = 0; i < best_len && o + 1 < sizeof(f->m.ps_name);
	    i += wide ? 2 : 1) {
		unsigned ch = wide ? (i + 1 < best_len ? get16(best + i) :
		    0xffff) : best[i];

		if (ch < 33 || ch > 126 || strchr("[](){}<>/%#", (int)ch))
			continue;
		f->m.ps_name[o++] = (char)ch;
	}
	if (o > 0)
		f->m.ps_name[o] = '\0';
}

/*
 * Offset and length of glyph gid inside 'glyf', from 'loca'.  Returns
 * false when gid is out of range or the entries are inconsistent.
 */
static bool
glyph_range(const struct ttf *f, uint16_t gid, size_t *off, size_t *len)
{
	size_t a, b;

	if (gid >= f->m.num_glyphs)
		return false;
	if (f->loca_long) {
		a = get32(f->loca.p + 4 * (size_t)gid);
		b = get32(f->loca.p + 4 * (size_t)gid + 4);
	} else {
		a = 2 * (size_t)get16(f->loca.p + 2 * (size_t)gid);
		b = 2 * (size_t)get16(f->loca.p + 2 * (size_t)gid + 2);
	}
	if (b < a || b > f->glyf.len)
		return false;
	*off = a;
	*len = b - a;
	return true;
}

/* yMax of the glyph mapped from cp, or 0 when there is none. */
static int16_t
glyph_top(const struct ttf *f, uint32_t cp)
{
	size_t off, len;
	uint16_t gid = ttf_glyph(f, cp);

	if (gid == 0 || !glyph_range(f, gid, &off, &len) || len < 10)
		return 0;
	return gets16(f->glyf.p + off + 8);
}

/*
 * Fill f->m from head, hhea, maxp (already checked), OS/2, post and name
 * (optional, used only when long enough).
 *
 * /Flags: Symbolic (4) is always set, because the caller addresses glyphs
 * by CID through Identity-H, not through a standard Latin encoding; plus
 * FixedPitch (1) from post, Serif (2) and Script (8) from the OS/2 family
 * class, Italic (64) from post, head or OS/2.
 */
static void
read_metrics(struct ttf *f)
{
	struct ttf_metrics *m = &f->m;
	const uint8_t *h = f->head.p, *hh = f->hhea.p, *os = f->os2.p;
	bool italic, typo = false;
	unsigned fam = 0;
	int32_t w;

	m->units_per_em = get16(h + 18);
	m->bbox[0] = gets16(h + 36);
	m->bbox[1] = gets16(h + 38);
	m->bbox[2] = gets16(h + 40);
	m->bbox[3] = gets16(h + 42);
	m->hhea_ascender = gets16(hh + 4);
	m->hhea_descender = gets16(hh + 6);
	m->hhea_line_gap = gets16(hh + 8);
	m->weight_class = 400;
	italic = (get16(h + 44) & 0x0002) != 0;
	if (os != NULL && f->os2.len >= 78) {
		m->weight_class = get16(os + 4);
		m->fs_type = get16(os + 8);
		fam = get16(os + 30) >> 8;
		italic = italic || (get16(os + 62) & 0x0001) != 0;
		typo = (get16(os + 62) & 0x0080) != 0;
		m->typo_ascender = gets16(os + 68);
		m->typo_descender = gets16(os + 70);
		m->typo_line_gap = gets16(os + 72);
		m->win_ascent = get16(os + 74);
		m->win_descent = get16(os + 76);
		if (get16(os) >= 2 && f->os2.len >= 90) {
			m->x_height = gets16(os + 86);
			m->cap_height = gets16(os + 88);
		}
	}
	if (typo) {
		m->ascender = m->typo_ascender;
		m->descender = m->typo_descender;
		m->line_gap = m->typo_line_gap;
	} else {
		m->ascender = m->hhea_ascender;
		m->descender = m->hhea_descender;
		m->line_gap = m->hhea_line_gap;
	}
	if (m->cap_height <= 0)
		m->cap_height = glyph_top(f, 'H');
	if (m->cap_height <= 0)
		m->cap_height = (int16_t)(m->ascender * 7 / 10);
	if (m->x_height <= 0)
		m->x_height = glyph_top(f, 'x');
	if (m->x_height <= 0)
		m->x_height = (int16_t)(m->ascender / 2);
	m->flags = 4;
	if (f->post.p != NULL && f->post.len >= 16) {
		m->italic_angle = (int32_t)get32(f->post.p + 4);
		if (get32(f->post.p + 12) != 0)
			m->flags |= 1;
	}
	if (m->italic_angle != 0)
		italic = true;
	if (italic)
		m->flags |= 64;
	if (fam >= 1 && fam <= 7)
		m->flags |= 2;
	if (fam == 10)
		m->flags |= 8;
	/* Stems grow with weight: 400 -> ~88, 700 -> ~166 per 1000 em. */
	w = m->weight_class > 1000 ? 1000 : m->weight_class;
	w = 50 + w * w / 4225;
	m->stem_v = (int16_t)(w * m->units_per_em / 1000);
}

/* pread n bytes at off, retrying short reads; false on failure. */
static bool
pread_full(int fd, uint8_t *p, size_t n, size_t off)
{
	while (n > 0) {
		ssize_t r = pread(fd, p, n, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
		off += (size_t)r;
	}
	return true;
}

/*
 * Copy the start of 'post' into the font and read the PostScript name.
 * With fd >= 0 (ttf_open) both are read with pread: these tables usually
 * sit at the far end of the file, and touching them through the mapping
 * would fault in one more range of pages, which costs more than the
 * system call (measured: ~20 us per fault on the 2-core build machines).
 */
static enum gen_rc
read_tail_tables(struct ttf *f, int fd, struct gen_err *err)
{
	struct tab t = f->names;
	uint8_t *copy = NULL;
	size_t n = f->post.len < 16 ? f->post.len : 16;
	enum gen_rc rc = GEN_OK;
	const char *which = "post";
	char ebuf[128];
	int e;

	if (f->post.p != NULL) {
		if (fd < 0)
			memcpy(f->post_head, f->post.p, n);
		else if (!pread_full(fd, f->post_head, n,
		    (size_t)(f->post.p - f->data)))
			goto fail;
		f->post.p = f->post_head;
		f->post.len = n;
	}
	which = "name";
	if (fd >= 0 && t.p != NULL && t.len <= 65536) {
		copy = xmalloc(t.len ? t.len : 1);
		if (!pread_full(fd, copy, t.len, (size_t)(t.p - f->data)))
			goto fail;
		t.p = copy;
	}
	read_ps_name(f, &t);
	goto out;
fail:
	e = errno;
	rc = gen_err_set(err, GEN_EIO, "%s: table '%s': cannot read: %s",
	    f->name, which, strerror_r(e, ebuf, sizeof(ebuf)));
out:
	free(copy);
	return rc;
}

/*
 * Check the required tables and fill in the font.  The data (f->data,
 * f->len, f->name) must be set; fd is the open file for ttf_open, -1 for
 * ttf_open_memory.  Returns GEN_EINPUT with a message on anything
 * unusable, GEN_EIO when reading fails.
 */
static enum gen_rc
parse(struct ttf *f, int fd, struct gen_err *err)
{
	enum gen_rc rc;
	uint16_t nglyphs;
	size_t need;

	if ((rc = check_directory(f, err)) != GEN_OK)
		return rc;
	f->head = find_table(f, "head");
	f->hhea = find_table(f, "hhea");
	f->maxp = find_table(f, "maxp");
	f->hmtx = find_table(f, "hmtx");
	f->loca = find_table(f, "loca");
	f->glyf = find_table(f, "glyf");
	f->cmap = find_table(f, "cmap");
	f->os2 = find_table(f, "OS/2");
	f->names = find_table(f, "name");
	f->post = find_table(f, "post");
	if (f->glyf.p == NULL && find_table(f, "CFF ").p != NULL)
		return gen_err_set(err, GEN_EINPUT, "%s: font with CFF "
		    "outlines; allowed: fonts with TrueType outlines ('glyf')",
		    f->name);
	if ((rc = need_table(f, &f->head, "head", 54, err)) != GEN_OK ||
	    (rc = need_table(f, &f->hhea, "hhea", 36, err)) != GEN_OK ||
	    (rc = need_table(f, &f->maxp, "maxp", 6, err)) != GEN_OK ||
	    (rc = need_table(f, &f->glyf, "glyf", 0, err)) != GEN_OK)
		return rc;
	if (get32(f->head.p + 12) != 0x5f0f3cf5U)
		return gen_err_set(err, GEN_EINPUT, "%s: table 'head': magic "
		    "number 0x%08x; allowed: 0x5f0f3cf5", f->name,
		    (unsigned)get32(f->head.p + 12));
	if (get16(f->head.p + 18) < 16 || get16(f->head.p + 18) > 16384)
		return gen_err_set(err, GEN_EINPUT, "%s: table 'head': "
		    "unitsPerEm %u; allowed: 16..16384", f->name,
		    (unsigned)get16(f->head.p + 18));
	if (get16(f->head.p + 50) > 1)
		return gen_err_set(err, GEN_EINPUT, "%s: table 'head': "
		    "indexToLocFormat %u; allowed: 0 or 1", f->name,
		    (unsigned)get16(f->head.p + 50));
	f->loca_long = get16(f->head.p + 50) == 1;
	nglyphs = get16(f->maxp.p + 4);
	if (nglyphs == 0)
		return gen_err_set(err, GEN_EINPUT, "%s: table 'maxp': "
		    "numGlyphs 0; allowed: 1..65535", f->name);
	f->m.num_glyphs = nglyphs;
	f->nhm = get16(f->hhea.p + 34);
	if (f->nhm == 0 || f->nhm > nglyphs)
		return gen_err_set(err, GEN_EINPUT, "%s: table 'hhea': "
		    "numberOfHMetrics %u; allowed: 1..%u (numGlyphs)",
		    f->name, (unsigned)f->nhm, (unsigned)nglyphs);
	if ((rc = need_table(f, &f->hmtx, "hmtx", 4 * (size_t)f->nhm,
	    err)) != GEN_OK)
		return rc;
	need = ((size_t)nglyphs + 1) * (f->loca_long ? 4 : 2);
	if ((rc = need_table(f, &f->loca, "loca", need, err)) != GEN_OK)
		return rc;
	/* Subset fonts have no cmap: they open, but map nothing. */
	if (f->cmap.p != NULL && (rc = need_table(f, &f->cmap, "cmap", 4,
	    err)) != GEN_OK)
		return rc;
	if (f->cmap.p != NULL && (rc = choose_cmap(f, err)) != GEN_OK)
		return rc;
	f->m.cmap_format = (uint16_t)f->cmap_format;
	if ((rc = read_tail_tables(f, fd, err)) != GEN_OK)
		return rc;
	read_metrics(f);
	return GEN_OK;
}

enum gen_rc
ttf_open_memory(const void *data, size_t len, const char *name,
    struct ttf **out, struct gen_err *err)
{
	struct ttf *f;
	enum gen_rc rc;

	*out = NULL;
	f = xcalloc(1, sizeof(*f));
	f->data = data;
	f->len = len;
	f->name = xstrdup(name != NULL ? name : "<memory>");
	if (data == NULL && len > 0) {
		rc = gen_err_set(err, GEN_EINPUT, "%s: no data", f->name);
		goto out;
	}
	if ((rc = parse(f, -1, err)) != GEN_OK)
		goto out;
	*out = f;
	f = NULL;
out:
	ttf_close(f);
	return rc;
}

/* GEN_EIO naming path, what failed and errno's reason. */
static enum gen_rc
sys_error(const char *path, const char *why, struct gen_err *err)
{
	char ebuf[128];
	int e = errno;

	return gen_err_set(err, GEN_EIO, "%s: %s: %s", path, why,
	    strerror_r(e, ebuf, sizeof(ebuf)));
}

/*
 * Open the font file at path for reading: a regular file of 12 bytes to
 * 4 GiB.  *fd and *size on success; GEN_EIO or GEN_EINPUT naming path
 * otherwise (nothing left open).
 */
static enum gen_rc
open_font_file(const char *path, int *fd, size_t *size, struct gen_err *err)
{
	struct stat st;
	enum gen_rc rc;

	if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return sys_error(path, "cannot open", err);
	if (fstat(*fd, &st) == -1)
		rc = sys_error(path, "cannot stat", err);
	else if (!S_ISREG(st.st_mode))
		rc = gen_err_set(err, GEN_EIO, "%s: not a regular file; "
		    "allowed: a TrueType (.ttf) file", path);
	else if (st.st_size < 12 || (uintmax_t)st.st_size > UINT32_MAX)
		rc = gen_err_set(err, GEN_EINPUT, "%s: %jd bytes; allowed: a "
		    "TrueType font of 12 bytes to 4 GiB", path,
		    (intmax_t)st.st_size);
	else {
		*size = (size_t)st.st_size;
		return GEN_OK;
	}
	close(*fd);
	*fd = -1;
	return rc;
}

enum gen_rc
ttf_open(const char *path, struct ttf **out, struct gen_err *err)
{
	struct ttf *f;
	enum gen_rc rc;
	size_t size;
	void *map;
	int fd;

	*out = NULL;
	if ((rc = open_font_file(path, &fd, &size, err)) != GEN_OK)
		return rc;
	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		rc = sys_error(path, "cannot map", err);
		close(fd);
		return rc;
	}
	f = xcalloc(1, sizeof(*f));
	f->data = map;
	f->len = size;
	f->mapped = true;
	f->name = xstrdup(path);
	if ((rc = parse(f, fd, err)) == GEN_OK)
		*out = f;
	else
		ttf_close(f);
	close(fd);
	return rc;
}

enum gen_rc
ttf_probe(const char *path, struct gen_err *err)
{
	struct ttf f;
	enum gen_rc rc;
	uint8_t *dir;
	size_t size, have, want;
	int fd;

	if ((rc = open_font_file(path, &fd, &size, err)) != GEN_OK)
		return rc;
	/* The offset table and the directory, as far as the file goes:
	 * check_directory() reads no further than its own bounds check.
	 * One read covers up to 64 tables (fonts have 10 to 30). */
	have = size < 12 + 16 * 64 ? size : 12 + 16 * 64;
	dir = xmalloc(have);
	errno = EIO;	/* for a short read */
	if (pread(fd, dir, have, 0) != (ssize_t)have) {
		rc = sys_error(path, "cannot read", err);
		goto out;
	}
	want = 12 + 16 * (size_t)get16(dir + 4);
	if (want > size)
		want = size;
	if (want > have) {
		dir = xrealloc(dir, want);
		errno = EIO;
		if (pread(fd, dir + have, want - have, (off_t)have) !=
		    (ssize_t)(want - have)) {
			rc = sys_error(path, "cannot read", err);
			goto out;
		}
	}
	memset(&f, 0, sizeof(f));
	f.data = dir;
	f.len = size;
	f.name = (char *)path;
	rc = check_directory(&f, err);
out:
	close(fd);
	free(dir);
	return rc;
}

void
ttf_close(struct ttf *f)
{
	if (f == NULL)
		return;
	if (f->mapped)
		munmap((void *)(uintptr_t)f->data, f->len);
	free(f->name);
	free(f);
}

const struct ttf_metrics *
ttf_metrics(const struct ttf *f)
{
	return &f->m;
}

const uint8_t *
ttf_data(const struct ttf *f, size_t *len)
{
	*len = f->len;
	return f->data;
}

/* cmap format 4: segments sorted by endCode, binary search. */
static uint16_t
cmap4(const struct tab *s, uint32_t cp)
{
	size_t segs = get16(s->p + 6) / 2, lo = 0, hi = segs, i;
	const uint8_t *end = s->p + 14, *start = end + 2 * segs + 2;
	const uint8_t *delta = start + 2 * segs, *range = delta + 2 * segs;
	uint16_t ro, g;
	size_t at;

	if (cp > 0xffff)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (get16(end + 2 * mid) < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == segs)
		return 0;
	i = lo;
	if (get16(start + 2 * i) > cp)
		return 0;
	ro = get16(range + 2 * i);
	if (ro == 0)
		return (uint16_t)(cp + get16(delta + 2 * i));
	/* idRangeOffset counts from its own position in the array. */
	at = (size_t)(range + 2 * i - s->p) + ro +
	    2 * (size_t)(cp - get16(start + 2 * i));
	if (!fits(s->len, at, 2))
		return 0;
	g = get16(s->p + at);
	return g == 0 ? 0 : (uint16_t)(g + get16(delta + 2 * i));
}

/* cmap format 12: groups sorted by startCharCode, binary search. */
static uint16_t
cmap12(const struct tab *s, uint32_t cp)
{
	size_t lo = 0, hi = get32(s->p + 12);
	const uint8_t *grp = s->p + 16;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const uint8_t *g = grp + 12 * mid;
		uint32_t first = get32(g), last = get32(g + 4);

		if (cp < first)
			hi = mid;
		else if (cp > last)
			lo = mid + 1;
		else {
			uint32_t gid = get32(g + 8) + (cp - first);

			return gid > 0xffff ? 0 : (uint16_t)gid;
		}
	}
	return 0;
}

uint16_t
ttf_glyph(const struct ttf *f, uint32_t codepoint)
{
	uint16_t gid;

	if (f->cmap_format == 4)
		gid = cmap4(&f->cmap_sub, codepoint);
	else if (f->cmap_format == 12)
		gid = cmap12(&f->cmap_sub, codepoint);
	else
		return 0;
	return gid < f->m.num_glyphs ? gid : 0;
}

uint16_t
ttf_advance(const struct ttf *f, uint16_t gid)
{
	if (gid >= f->m.num_glyphs)
		return 0;
	if (gid >= f->nhm)
		gid = f->nhm - 1;
	return get16(f->hmtx.p + 4 * (size_t)gid);
}

/* Left side bearing of gid (hmtx), 0 where the table is short. */
static int16_t
lsb(const struct ttf *f, uint16_t gid)
{
	size_t at;

	if (gid < f->nhm)
		return gets16(f->hmtx.p + 4 * (size_t)gid + 2);
	at = 4 * (size_t)f->nhm + 2 * (size_t)(gid - f->nhm);
	return fits(f->hmtx.len, at, 2) ? gets16(f->hmtx.p + at) : 0;
}

int32_t
ttf_pdf_units(const struct ttf *f, int32_t v)
{
	int64_t x = (int64_t)v * 1000, u = f->m.units_per_em;

	/* Round half away from zero. */
	return (int32_t)(x >= 0 ? (x + u / 2) / u : -((-x + u / 2) / u));
}

enum gen_rc
ttf_glyph_data(const struct ttf *f, uint16_t gid, const uint8_t **data,
    size_t *len, struct gen_err *err)
{
	size_t off;

	*data = NULL;
	*len = 0;
	if (gid >= f->m.num_glyphs)
		return gen_err_set(err, GEN_EINPUT, "%s: glyph %u; allowed: "
		    "0..%u", f->name, (unsigned)gid,
		    (unsigned)f->m.num_glyphs - 1);
	if (!glyph_range(f, gid, &off, len))
		return gen_err_set(err, GEN_EINPUT, "%s: table 'loca': glyph "
		    "%u lies outside 'glyf' (%zu bytes)", f->name,
		    (unsigned)gid, f->glyf.len);
	*data = f->glyf.p + off;
	return GEN_OK;
}

/*
 * Walk the components of a composite glyph g (len bytes, header
 * included).  For each one, calls fn(arg, offset of its glyphIndex).
 * *end receives the length of the glyph without its instructions.
 * Returns false when a component runs past the glyph's end.
 */
static bool
walk_components(const uint8_t *g, size_t len, size_t *end,
    void (*fn)(void *, size_t), void *arg)
{
	size_t at = 10;
	uint16_t fl;

	do {
		size_t n;

		if (!fits(len, at, 4))
			return false;
		fl = get16(g + at);
		n = 4 + (fl & CG_ARG_WORDS ? 4 : 2);
		if (fl & CG_2X2)
			n += 8;
		else if (fl & CG_XY_SCALE)
			n += 4;
		else if (fl & CG_SCALE)
			n += 2;
		if (!fits(len, at, n))
			return false;
		if (fn != NULL)
			fn(arg, at + 2);
		at += n;
	} while (fl & CG_MORE);
	*end = at;
	return true;
}

/*
 * Length of a simple glyph's outline data once its instructions are
 * removed, from the header, end points, flags and coordinates.  *ins_at
 * receives the offset of instructionLength, *rest the offset of the
 * flags.  Returns false when the glyph is malformed.
 */
static bool
simple_extent(const uint8_t *g, size_t len, size_t *ins_at, size_t *rest,
    size_t *end)
{
	size_t nc = (size_t)gets16(g), at, npts, pt, xs = 0, ys = 0;

	at = 10 + 2 * nc;
	if (!fits(len, at, 2))
		return false;
	*ins_at = at;
	npts = nc > 0 ? (size_t)get16(g + at - 2) + 1 : 0;
	at += 2 + get16(g + at);
	*rest = at;
	for (pt = 0; pt < npts; ) {
		uint8_t fl;
		size_t rep = 1, xn, yn;

		if (!fits(len, at, 1))
			return false;
		fl = g[at++];
		if (fl & SG_REPEAT) {
			if (!fits(len, at, 1))
				return false;
			rep += g[at++];
		}
		if (rep > npts - pt)
			return false;
		xn = fl & SG_X_SHORT ? 1 : fl & SG_X_SAME ? 0 : 2;
		yn = fl & SG_Y_SHORT ? 1 : fl & SG_Y_SAME ? 0 : 2;
		xs += xn * rep;
		ys += yn * rep;
		pt += rep;
	}
	if (!fits(len, at, xs + ys))
		return false;
	*end = at + xs + ys;
	return true;
}

/* A growable list of glyph ids. */
struct gidlist {
	uint16_t	*v;
	size_t		 n, cap;
};

static void
gid_push(struct gidlist *l, uint16_t g)
{
	l->v = xgrow(l->v, l->n, &l->cap, 64, sizeof(*l->v));
	l->v[l->n++] = g;
}

/* Bit set over old glyph ids. */
static bool
bit_get(const uint64_t *b, uint16_t g)
{
	return (b[g >> 6] >> (g & 63)) & 1;
}

static void
bit_set(uint64_t *b, uint16_t g)
{
	b[g >> 6] |= (uint64_t)1 << (g & 63);
}

/* State of the component closure (walk_components callback). */
struct closure {
	const uint8_t	*g;
	uint16_t	 nglyphs;
	uint64_t	*in;
	struct gidlist	*extra;
	bool		 bad;
};

static void
closure_add(void *arg, size_t at)
{
	struct closure *c = arg;
	uint16_t gid = get16(c->g + at);

	if (gid >= c->nglyphs) {
		c->bad = true;
		return;
	}
	if (!bit_get(c->in, gid)) {
		bit_set(c->in, gid);
		gid_push(c->extra, gid);
	}
}

static int
cmp_u16(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return (x > y) - (x < y);
}

/* Rewrite component glyphIndex fields (callback of walk_components). */
struct remap {
	uint8_t			*g;
	const struct ttf_subset	*s;
};

static void
remap_component(void *arg, size_t at)
{
	struct remap *r = arg;

	set16(r->g + at, ttf_subset_map(r->s, get16(r->g + at)));
	/* Components are drawn as they are: their instructions go too. */
	set16(r->g + at - 2, get16(r->g + at - 2) & ~CG_INSTR);
}

/* The sfnt checksum of len bytes: big-endian words, zero-padded. */
static uint32_t
checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		sum += get32(p + i);
	if (i < len) {
		uint8_t last[4] = { 0, 0, 0, 0 };

		memcpy(last, p + i, len - i);
		sum += get32(last);
	}
	return sum;
}

/*
 * Copy glyph old (bytes g, len) into glyf without instructions, with
 * component ids remapped through s.  Returns false when it is malformed.
 */
static bool
put_glyph(struct buf *glyf, const uint8_t *g, size_t len,
    const struct ttf_subset *s)
{
	size_t ins_at, rest, end, start = glyf->len;
	struct remap r;

	if (len == 0)
		return true;
	if (len < 10)
		return false;
	if (gets16(g) == 0)	/* no contours: nothing to draw */
		return true;
	if (gets16(g) >= 0) {
		if (!simple_extent(g, len, &ins_at, &rest, &end))
			return false;
		buf_append(glyf, g, ins_at);
		buf_put_u16be(glyf, 0);
		buf_append(glyf, g + rest, end - rest);
	} else {
		if (!walk_components(g, len, &end, NULL, NULL))
			return false;
		buf_append(glyf, g, end);
		r.g = (uint8_t *)glyf->data + start;
		r.s = s;
		walk_components(r.g, end, &end, remap_component, &r);
	}
	if (glyf->len % 2 != 0)
		buf_putc(glyf, 0);
	return true;
}

/*
 * Assemble the sfnt file from the tables (tags sorted), fix the
 * checksums, and set head.checkSumAdjustment.
 */
static void
assemble(struct buf *out, const char *const tags[], struct buf tabs[],
    size_t n)
{
	size_t i, off, head_at = 0, es = 0, p2 = 1;
	uint8_t *d;

	while (p2 * 2 <= n) {
		p2 *= 2;
		es++;
	}
	buf_put_u32be(out, 0x00010000U);
	buf_put_u16be(out, (uint16_t)n);
	buf_put_u16be(out, (uint16_t)(p2 * 16));
	buf_put_u16be(out, (uint16_t)es);
	buf_put_u16be(out, (uint16_t)(n * 16 - p2 * 16));
	off = 12 + 16 * n;
	for (i = 0; i < n; i++) {
		buf_append(out, tags[i], 4);
		buf_put_u32be(out, checksum((uint8_t *)tabs[i].data,
		    tabs[i].len));
		buf_put_u32be(out, (uint32_t)off);
		buf_put_u32be(out, (uint32_t)tabs[i].len);
		off += (tabs[i].len + 3) & ~(size_t)3;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(tags[i], "head") == 0)
			head_at = out->len;
		buf_append(out, tabs[i].data, tabs[i].len);
		while (out->len % 4 != 0)
			buf_putc(out, 0);
	}
	d = (uint8_t *)out->data;
	set32(d + head_at + 8, 0xb1b0afbaU - checksum(d, out->len));
}

enum gen_rc
ttf_subset_build(const struct ttf *f, const uint16_t *gids, size_t n,
    struct ttf_subset *out, struct gen_err *err)
{
	static const char *const tags[] = { "glyf", "head", "hhea", "hmtx", "loca",
	    "maxp", "post" };
	enum { T_GLYF, T_HEAD, T_HHEA, T_HMTX, T_LOCA, T_MAXP, T_POST, T_N };
	struct buf tabs[T_N];
	struct gidlist list = { NULL, 0, 0 }, extra = { NULL, 0, 0 };
	struct closure cl;
	uint64_t *in = NULL;
	uint32_t *offs = NULL;
	enum gen_rc rc = GEN_OK;
	uint16_t nglyphs = f->m.num_glyphs, advmax = 0, nhm, gid = 0;
	size_t i, k, done, ng, glen, off, end;
	const uint8_t *g;
	bool short_loca;
	uint8_t *p;

	memset(out, 0, sizeof(*out));
	memset(tabs, 0, sizeof(tabs));
	in = xcalloc(((size_t)nglyphs + 63) / 64, sizeof(*in));

	/* Glyph 0, then the requested glyphs in ascending order. */
	for (i = 0; i < n; i++) {
		if (gids[i] >= nglyphs) {
			rc = gen_err_set(err, GEN_EINPUT, "%s: subset glyph "
			    "ids[%zu] = %u; allowed: 0..%u", f->name, i,
			    (unsigned)gids[i], (unsigned)nglyphs - 1);
			goto out;
		}
		bit_set(in, gids[i]);
	}
	gid_push(&list, 0);
	for (i = 1; i < nglyphs; i++)
		if ((in[i >> 6] & ((uint64_t)-1 << (i & 63))) == 0)
			i |= 63;	/* skip an empty word */
		else if (bit_get(in, (uint16_t)i))
			gid_push(&list, (uint16_t)i);
	bit_set(in, 0);

	/* Components of composites, transitively, appended sorted. */
	cl.nglyphs = nglyphs;
	cl.in = in;
	cl.extra = &extra;
	cl.bad = false;
	for (done = 0; done < list.n + extra.n; done++) {
		gid = done < list.n ? list.v[done] : extra.v[done - list.n];
		if (!glyph_range(f, gid, &off, &glen))
			goto bad_loca;
		g = f->glyf.p + off;
		if (glen < 10 || gets16(g) >= 0)
			continue;
		cl.g = g;
		if (!walk_components(g, glen, &end, closure_add, &cl) ||
		    cl.bad) {
			rc = gen_err_set(err, GEN_EINPUT, "%s: table 'glyf': "
			    "composite glyph %u is malformed", f->name,
			    (unsigned)gid);
			goto out;
		}
	}
	if (extra.n > 1)
		qsort(extra.v, extra.n, sizeof(*extra.v), cmp_u16);
	for (i = 0; i < extra.n; i++)
		gid_push(&list, extra.v[i]);

	ng = list.n;
	out->nglyphs = ng;
	out->nfont = nglyphs;
	out->old_gid = list.v;
	list.v = NULL;
	/* by_old: a table over the font's glyph ids, so that mapping the
	 * glyph of every character drawn is one load (a binary search
	 * here was 3 % of a batch). */
	out->by_old = xcalloc(nglyphs, sizeof(*out->by_old));
	for (k = 0; k < ng; k++)
		out->by_old[out->old_gid[k]] = (uint16_t)k;

	/* glyf and the offsets for loca. */
	offs = xmalloc((ng + 1) * sizeof(*offs));
	for (i = 0; i < ng; i++) {
		gid = out->old_gid[i];
		if (!glyph_range(f, gid, &off, &glen))
			goto bad_loca;
		offs[i] = (uint32_t)tabs[T_GLYF].len;
		if (!put_glyph(&tabs[T_GLYF], f->glyf.p + off, glen, out)) {
			rc = gen_err_set(err, GEN_EINPUT, "%s: table 'glyf': "
			    "glyph %u is malformed", f->name, (unsigned)gid);
			goto out;
		}
	}
	offs[ng] = (uint32_t)tabs[T_GLYF].len;
	short_loca = tabs[T_GLYF].len <= 2 * (size_t)0xffff;
	for (i = 0; i <= ng; i++) {
		if (short_loca)
			buf_put_u16be(&tabs[T_LOCA], (uint16_t)(offs[i] / 2));
		else
			buf_put_u32be(&tabs[T_LOCA], offs[i]);
	}

	/* hmtx: trailing equal advances share the last long metric. */
	nhm = (uint16_t)ng;
	while (nhm > 1 && ttf_advance(f, out->old_gid[nhm - 1]) ==
	    ttf_advance(f, out->old_gid[nhm - 2]))
		nhm--;
	for (i = 0; i < ng; i++) {
		uint16_t adv = ttf_advance(f, out->old_gid[i]);

		if (adv > advmax)
			advmax = adv;
		if (i < nhm)
			buf_put_u16be(&tabs[T_HMTX], adv);
		buf_put_u16be(&tabs[T_HMTX],
		    (uint16_t)lsb(f, out->old_gid[i]));
	}

	/* head, hhea, maxp: the original with the counts changed. */
	buf_append(&tabs[T_HEAD], f->head.p, 54);
	p = (uint8_t *)tabs[T_HEAD].data;
	set32(p + 8, 0);
	set16(p + 50, short_loca ? 0 : 1);
	buf_append(&tabs[T_HHEA], f->hhea.p, 36);
	p = (uint8_t *)tabs[T_HHEA].data;
	set16(p + 10, advmax);
	set16(p + 34, nhm);
	if (get32(f->maxp.p) == 0x00010000U && f->maxp.len >= 32) {
		buf_append(&tabs[T_MAXP], f->maxp.p, 32);
		p = (uint8_t *)tabs[T_MAXP].data;
		/* No fpgm, prep or glyph instructions any more. */
		set16(p + 20, 0);	/* maxFunctionDefs */
		set16(p + 22, 0);	/* maxInstructionDefs */
		set16(p + 26, 0);	/* maxSizeOfInstructions */
	} else {
		buf_append(&tabs[T_MAXP], f->maxp.p, 6);
		p = (uint8_t *)tabs[T_MAXP].data;
	}
	set16(p + 4, (uint16_t)ng);

	/* post format 3: no glyph names, the original's line metrics. */
	buf_put_u32be(&tabs[T_POST], 0x00030000U);
	if (f->post.p != NULL && f->post.len >= 16)
		buf_append(&tabs[T_POST], f->post.p + 4, 12);
	else
		buf_append(&tabs[T_POST], "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
	for (i = 0; i < 4; i++)
		buf_put_u32be(&tabs[T_POST], 0);

	assemble(&out->data, tags, tabs, T_N);
	goto out;
bad_loca:
	rc = gen_err_set(err, GEN_EINPUT, "%s: table 'loca': glyph %u lies "
	    "outside 'glyf' (%zu bytes)", f->name, (unsigned)gid, f->glyf.len);
out:
	for (i = 0; i < T_N; i++)
		buf_free(&tabs[i]);
	if (rc != GEN_OK)
		ttf_subset_free(out);
	free(list.v);
	free(extra.v);
	free(in);
	free(offs);
	return rc;
}

uint16_t
ttf_subset_map(const struct ttf_subset *s, uint16_t old_gid)
{
	return old_gid < s->nfont ? s->by_old[old_gid] : 0;
}

void
ttf_subset_tag(const struct ttf_subset *s, char tag[7])
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a, 64 bits */
	const uint8_t *d = (const uint8_t *)s->data.data;
	size_t i;

	/* The table directory holds every table's checksum. */
	for (i = 0; i < s->data.len && i < 12 + 16 * 7; i++)
		h = (h ^ d[i]) * 0x100000001b3ULL;
	for (i = 0; i < s->nglyphs; i++) {
		h = (h ^ (s->old_gid[i] >> 8)) * 0x100000001b3ULL;
		h = (h ^ (s->old_gid[i] & 0xff)) * 0x100000001b3ULL;
	}
	for (i = 0; i < 6; i++) {
		tag[i] = (char)('A' + h % 26);
		h /= 26;
	}
	tag[6] = '\0';
}

void
ttf_subset_free(struct ttf_subset *s)
{
	if (s == NULL)
		return;
	buf_free(&s->data);
	free(s->old_gid);
	free(s->by_old);
	memset(s, 0, sizeof(*s));
}
