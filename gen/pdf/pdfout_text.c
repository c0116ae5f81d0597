/*
 * pdfout_text.c - fonts and text of the PDF back end (pdfout_private.h):
 * the subset of each face, its PDF objects, and the operators that show
 * a text run.
 *
 * Fonts: each face a text run uses becomes a Type0 font (Identity-H)
 * over a CIDFontType2 whose CIDs are the glyph ids of a subset built with
 * ttf_subset_build() from exactly the glyphs the canvas draws
 * (CIDToGIDMap /Identity), with /W widths, a FontDescriptor from
 * ttf_metrics(), the subset as FontFile2 and a ToUnicode CMap.  libharu's
 * own TrueType path is not used (gen/pdf/PERFORMANCE.md).
 *
 * ToUnicode: a glyph maps to the code points of the first run glyph that
 * carries it with ncp > 0, in page and op order.  A glyph that stands for
 * different text elsewhere (rare: the same ligature or fallback glyph for
 * two spellings) keeps that first mapping, because a CMap maps each code
 * to one string.  Right-to-left runs are drawn in visual order and rely
 * on that per-glyph map: text extractors reorder right-to-left text to
 * logical order themselves (poppler does, measured; they must, for the
 * PDFs of LibreOffice and Word, which do the same).  A run's actual_text
 * is written as /ActualText only where the map cannot spell it (see
 * po_text: poppler reverses a logical-order ActualText of a whole RTL
 * run), or always for a span run (CANVAS_TEXT_SPAN: a left-to-right word
 * of layout version 2 whose glyphs cannot spell it one per character, a
 * Devanagari conjunct, a vowel drawn before its consonant).
 *
 * Runs: layout version 1's draw with the fonts' advances, one Tj each;
 * version 2's are positioned (CANVAS_TEXT_POSITIONED: HarfBuzz's advances
 * and offsets), drawn as TJ arrays with the moves kerning and advances
 * need and a new text matrix for a raised or lowered glyph
 * (put_positioned); an emboldened run (CANVAS_TEXT_EMBOLDEN) is filled
 * and stroked.  A version-1 canvas never has these flags, so its bytes
 * are those it always had.
 *
 * Must not: read the clock, the locale or the environment, touch files,
 * print, or use floating point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "memhash.h"
#include "pdfout_private.h"
#include "tls.h"

/* ---- the subset ---- */

static const char *
face_name(const struct pdfout_fonts *fonts, size_t i)
{
	if (fonts->names != NULL && fonts->names[i] != NULL)
		return fonts->names[i];
	return "(unnamed)";
}

/* Add the glyphs of run t (font id checked) to its face's list. */
void
po_font_collect(struct pdf *p, const struct pdfout_fonts *fonts,
    const struct canvas_text *t)
{
	struct face *fc = &p->faces[t->font];
	size_t k;

	fc->f = fonts->faces[t->font];
	fc->name = face_name(fonts, (size_t)t->font);
	for (k = 0; k < t->nglyphs; k++) {
		fc->gids = xgrow(fc->gids, fc->ngids, &fc->cap, 256,
		    sizeof(*fc->gids));
		fc->gids[fc->ngids++] = t->glyphs[k].gid;
	}
}

/*
 * Subsets this thread built before, by face and the set of glyphs asked
 * for (ttf_subset_build adds glyph 0 and the components of composites,
 * all decided by that set): a month's invoices draw their regular face
 * with 450 different sets in 8,500 documents, and building the subset
 * again was 3 % of a batch; the subset's FontFile2 stream is kept
 * deflated with it.  A render borrows a kept subset (po_font_
 * subset) and offers the ones it built when it ends (po_font_keep), so
 * nothing a face borrows is replaced while it is in use.  A subset is
 * kept the second time its set is seen (the bold face's sets, with the
 * payer's name, seldom repeat); SUBSET_SLOTS slots, the newest wins,
 * SUBSET_MAX_BYTES in all.
 */
#define SUBSET_SLOTS	256
#define SUBSET_SEEN	4096
#define SUBSET_MAX_BYTES (16 * 1024 * 1024)

struct kept_subset {
	const struct ttf	*f;	/* NULL: empty */
	uint64_t		 font;	/* font_id() of f */
	uint64_t		 hash;
	uint16_t		*set;
	size_t			 nset;
	struct ttf_subset	 sub;
	struct buf		 file;	/* sub's bytes deflated */
};

struct subset_memo {
	struct kept_subset	 slot[SUBSET_SLOTS];
	uint64_t		 seen[SUBSET_SEEN];
	uint64_t		 hits;
	size_t			 bytes;	/* held: at most SUBSET_MAX_BYTES */
};

/* The bytes a kept subset holds. */
static size_t
kept_bytes(const struct kept_subset *k)
{
	return k->f == NULL ? 0 : k->sub.data.cap + k->sub.nfont * 2 +
	    k->sub.nglyphs * 2 + k->nset * 2 + k->file.cap;
}


static void
kept_free(struct kept_subset *k)
{
	free(k->set);
	ttf_subset_free(&k->sub);
	buf_free(&k->file);
	memset(k, 0, sizeof(*k));
}

static void
subset_memo_free(void *v)
{
	struct subset_memo *m = v;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < SUBSET_SLOTS; i++)
		kept_free(&m->slot[i]);
	free(m);
}

static struct tls_key subset_key = TLS_KEY(sizeof(struct subset_memo),
    subset_memo_free);

static struct subset_memo *
subset_memo(void)
{
	return tls_get(&subset_key);
}

/* A hash of the font's table directory (every table's checksum and
 * length), kept with its subsets beside the struct ttf's address: a font
 * opened where a closed one was is not taken for it. */
static uint64_t
font_id(const struct ttf *f)
{
	size_t len, dir;
	const uint8_t *d = ttf_data(f, &len);

	dir = len >= 12 ? 12 + 16 * (size_t)(d[4] << 8 | d[5]) : len;
	return memhash(d, dir < len ? dir : len, len);
}

/* The face's set of glyphs asked for (fc->set, sorted, each once, ids
 * checked against the face) and its hash; then the kept subset of that
 * set, or NULL. */
static const struct ttf_subset *
subset_find(struct face *fc)
{
	size_t nglyphs = ttf_metrics(fc->f)->num_glyphs, words, i, w;
	uint64_t *bits, h;
	struct kept_subset *k;

	words = (nglyphs + 63) / 64;
	bits = xcalloc(words > 0 ? words : 1, sizeof(*bits));
	for (i = 0; i < fc->ngids; i++)
		bits[fc->gids[i] >> 6] |= (uint64_t)1 << (fc->gids[i] & 63);
	fc->set = xmalloc((fc->ngids + 1) * sizeof(*fc->set));
	fc->nset = 0;
	for (w = 0; w < words; w++)
		for (h = bits[w]; h != 0; h &= h - 1)
			fc->set[fc->nset++] = (uint16_t)(w * 64 +
			    (size_t)__builtin_ctzll(h));
	free(bits);
	fc->font_id = font_id(fc->f);
	fc->set_hash = memhash(fc->set, fc->nset * sizeof(*fc->set),
	    fc->font_id);
	k = &subset_memo()->slot[fc->set_hash % SUBSET_SLOTS];
	if (k->f == fc->f && k->font == fc->font_id &&
	    k->hash == fc->set_hash && k->nset == fc->nset &&
	    memcmp(k->set, fc->set, fc->nset * sizeof(*fc->set)) == 0) {
		subset_memo()->hits++;
		fc->file = &k->file;
		return &k->sub;
	}
	return NULL;
}

uint64_t
po_font_subset_hits(void)
{
	return subset_memo()->hits;
}

void
po_font_keep(struct pdf *p)
{
	struct subset_memo *m;
	struct kept_subset *k, n;
	struct face *fc;
	size_t i;

	for (i = 0; i < p->nfaces; i++) {
		fc = &p->faces[i];
		if (fc->f == NULL || fc->sub != &fc->own || fc->set == NULL ||
		    fc->own.data.data == NULL || fc->own_file.len == 0)
			continue;	/* borrowed, or not made */
		m = subset_memo();
		if (!memhash_seen(m->seen, SUBSET_SEEN, fc->set_hash))
			continue;
		k = &m->slot[fc->set_hash % SUBSET_SLOTS];
		n.f = fc->f;
		n.font = fc->font_id;
		n.hash = fc->set_hash;
		n.set = fc->set;
		n.nset = fc->nset;
		n.sub = fc->own;
		n.file = fc->own_file;
		if (m->bytes - kept_bytes(k) + kept_bytes(&n) > SUBSET_MAX_BYTES)
			continue;	/* full: keep what it holds */
		m->bytes += kept_bytes(&n) - kept_bytes(k);
		kept_free(k);
		*k = n;			/* the face's are taken over */
		fc->set = NULL;
		memset(&fc->own, 0, sizeof(fc->own));
		memset(&fc->own_file, 0, sizeof(fc->own_file));
		fc->sub = NULL;
		fc->file = NULL;
	}
}

/*
 * Build the subset of a face and the per-CID tables (first text mapping,
 * drawn or not) from the canvas's runs.  GEN_EINPUT for a face that
 * forbids embedding or subsetting or a glyph id outside the face, GEN_EIO
 * for a damaged font file (a glyph 'loca' puts outside 'glyf', a
 * malformed glyph).
 */
enum gen_rc
po_font_subset(struct pdf *p, int id, const struct canvas *c,
    struct gen_err *err)
{
	struct face *fc = &p->faces[id];
	const struct ttf_metrics *m = ttf_metrics(fc->f);
	const struct canvas_text *t;
	uint16_t cid;
	size_t i, j, k;
	enum gen_rc rc;

	/* OS/2 fsType: 0x0002 alone is "restricted license"; with more
	 * bits set the least restrictive applies.  We always subset and
	 * embed outlines, so 0x0100 and 0x0200 forbid us too. */
	if ((m->fs_type & 0x000f) == 0x0002 || (m->fs_type & 0x0300) != 0)
		return gen_err_set(err, GEN_EINPUT, "font %d (%s): OS/2 "
		    "fsType 0x%04X forbids embedding a subset; allowed: fonts"
		    " licensed for embedding", id, fc->name,
		    (unsigned)m->fs_type);
	for (i = 0; i < fc->ngids; i++)
		if (fc->gids[i] >= m->num_glyphs)
			return gen_err_set(err, GEN_EINPUT, "font %d (%s): "
			    "glyph %u; allowed: 0..%u", id, fc->name,
			    (unsigned)fc->gids[i], (unsigned)m->num_glyphs - 1);
	if ((fc->sub = subset_find(fc)) != NULL)
		rc = GEN_OK;
	else {
		rc = ttf_subset_build(fc->f, fc->gids, fc->ngids, &fc->own,
		    err);
		fc->sub = &fc->own;
		fc->file = &fc->own_file;	/* filled by po_font_objects */
	}
	if (rc != GEN_OK) {
		/* With the glyph ids checked above, a subset that cannot be
		 * built means 'loca' and 'glyf' of the font file disagree: a
		 * damaged installation (GEN_EIO), not refused input.  ttf's
		 * message names the file. */
		if (rc == GEN_EINPUT && err != NULL)
			err->rc = GEN_EIO;
		gen_err_prefix(err, "font %d (%s): ", id, fc->name);
		return rc == GEN_EINPUT ? GEN_EIO : rc;
	}
	fc->uni = xcalloc(fc->sub->nglyphs, sizeof(*fc->uni));
	fc->drawn = xcalloc(fc->sub->nglyphs, 1);
	for (i = 0; i < c->npages; i++)
		for (j = 0; j < c->pages[i].nops; j++) {
			if (c->pages[i].ops[j].kind != CANVAS_TEXT ||
			    c->pages[i].ops[j].u.text.font != id)
				continue;
			t = &c->pages[i].ops[j].u.text;
			for (k = 0; k < t->nglyphs; k++) {
				cid = ttf_subset_map(fc->sub,
				    t->glyphs[k].gid);
				fc->drawn[cid] = 1;
				if (fc->uni[cid] == NULL &&
				    t->glyphs[k].ncp > 0)
					fc->uni[cid] = &t->glyphs[k];
			}
		}
	return GEN_OK;
}

/* ---- the ToUnicode CMap ---- */

/* A bfrange or bfchar entry of a ToUnicode CMap. */
struct bfent {
	uint16_t lo, hi;
	uint16_t u[6];
	int	 n;
};

/* The UTF-16 text of CID cid in fc's ToUnicode map; 0 units when none. */
static int
cid_text(const struct face *fc, size_t cid, uint16_t u[6])
{
	const struct canvas_glyph *g = fc->uni[cid];
	int i, n = 0;

	if (g == NULL)
		return 0;
	for (i = 0; i < g->ncp && i < 3; i++)
		n += po_utf16(g->cp[i], u + n);
	return n;
}

/* Write count entries (bfrange when range) in blocks of at most 100. */
static void
put_bf(struct buf *b, const struct bfent *e, size_t count, int range)
{
	size_t i, j, blk;
	int k;

	for (i = 0; i < count; i += blk) {
		blk = count - i < 100 ? count - i : 100;
		po_int(b, (int64_t)blk);
		buf_puts(b, range ? " beginbfrange\n" : " beginbfchar\n");
		for (j = i; j < i + blk; j++) {
			buf_putc(b, '<');
			po_hex4(b, e[j].lo);
			if (range) {
				buf_puts(b, "> <");
				po_hex4(b, e[j].hi);
			}
			buf_puts(b, "> <");
			for (k = 0; k < e[j].n; k++)
				po_hex4(b, e[j].u[k]);
			buf_puts(b, ">\n");
		}
		buf_puts(b, range ? "endbfrange\n" : "endbfchar\n");
	}
}

/*
 * The ToUnicode CMap of a face into out.  Consecutive CIDs mapping to
 * consecutive single UTF-16 units (within one high byte on both sides)
 * are merged into bfrange entries; the rest are bfchar entries.
 */
static void
build_cmap(const struct face *fc, struct buf *out)
{
	struct bfent *ranges, *chars, cur;
	size_t nr = 0, nc = 0, cid, n = fc->sub->nglyphs;
	uint16_t u[6];
	int len;

	ranges = xmalloc((n + 1) * sizeof(*ranges));
	chars = xmalloc((n + 1) * sizeof(*chars));
	cur.n = 0;
	for (cid = 1; cid <= n; cid++) {
		len = cid < n ? cid_text(fc, cid, u) : 0;
		if (cur.n == 1 && len == 1 && cid == (size_t)cur.hi + 1 &&
		    (cid >> 8) == (size_t)(cur.lo >> 8) &&
		    u[0] == cur.u[0] + (cur.hi - cur.lo) + 1 &&
		    (u[0] >> 8) == (cur.u[0] >> 8)) {
			cur.hi = (uint16_t)cid;
			continue;
		}
		if (cur.n > 0) {
			if (cur.hi > cur.lo)
				ranges[nr++] = cur;
			else
				chars[nc++] = cur;
		}
		cur.n = len;
		if (len > 0) {
			cur.lo = cur.hi = (uint16_t)cid;
			memcpy(cur.u, u, sizeof(u));
		}
	}
	buf_puts(out, "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	put_bf(out, chars, nc, 0);
	put_bf(out, ranges, nr, 1);
	buf_puts(out, "endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	free(ranges);
	free(chars);
}

/* ---- the font objects ---- */

/* The /W array of a face: [first [w ...] first [w ...]] over the runs of
 * consecutive drawn CIDs, widths in 1/1000 em. */
static struct pdf_obj *
build_widths(struct pdf *p, const struct face *fc)
{
	struct pdf_obj *w, *run = NULL;
	size_t cid;
	uint16_t gid;

	if ((w = po_array(p)) == NULL)
		return NULL;
	for (cid = 1; cid < fc->sub->nglyphs; cid++) {
		if (!fc->drawn[cid]) {
			run = NULL;
			continue;
		}
		if (run == NULL) {
			po_push_num(p, w, (int32_t)cid);
			run = po_array(p);
			po_push(p, w, run);
		}
		gid = fc->sub->old_gid[cid];
		po_push_num(p, run, ttf_pdf_units(fc->f, ttf_advance(fc->f,
		    gid)));
		if (p->st != 0)
			break;
	}
	return w;
}

/*
 * The objects of one face: Type0 font -> CIDFontType2 -> FontDescriptor
 * -> FontFile2, and the ToUnicode CMap.  Failures are left in p->st.
 */
void
po_font_objects(struct pdf *p, struct face *fc)
{
	const struct ttf_metrics *m = ttf_metrics(fc->f);
	struct pdf_obj *cidf, *desc, *file, *cmap, *sysinfo, *desc_arr, *bbox;
	char tag[7], base[80];
	int i;

	ttf_subset_tag(fc->sub, tag);
	snprintf(base, sizeof(base), "%s+%s", tag, m->ps_name);

	fc->type0 = po_idict(p);
	cidf = po_idict(p);
	desc = po_idict(p);
	/* The subset's deflated bytes come with a kept subset; a subset
	 * built now is deflated now and its bytes kept with it. */
	if (fc->file->len > 0)
		file = po_stream(p, fc->file->data, fc->file->len,
		    PO_DEFLATED);
	else {
		file = po_stream(p, fc->sub->data.data, fc->sub->data.len,
		    PO_DEFLATE);
		if (file != NULL && fc->file == &fc->own_file)
			buf_append(&fc->own_file, p->zout.data, p->zout.len);
	}
	buf_reset(&p->tmp);
	build_cmap(fc, &p->tmp);
	cmap = po_stream(p, p->tmp.data, p->tmp.len, PO_DEFLATE_MEMO);

	po_put_name(p, fc->type0, "Type", "Font");
	po_put_name(p, fc->type0, "Subtype", "Type0");
	po_put_name(p, fc->type0, "BaseFont", base);
	po_put_name(p, fc->type0, "Encoding", "Identity-H");
	desc_arr = po_array(p);
	po_put(p, fc->type0, "DescendantFonts", desc_arr);
	po_push(p, desc_arr, cidf);
	po_put(p, fc->type0, "ToUnicode", cmap);

	po_put_name(p, cidf, "Type", "Font");
	po_put_name(p, cidf, "Subtype", "CIDFontType2");
	po_put_name(p, cidf, "BaseFont", base);
	sysinfo = po_dict(p);
	po_put(p, cidf, "CIDSystemInfo", sysinfo);
	po_put(p, sysinfo, "Registry", po_string(p, "Adobe"));
	po_put(p, sysinfo, "Ordering", po_string(p, "Identity"));
	po_put_num(p, sysinfo, "Supplement", 0);
	po_put(p, cidf, "FontDescriptor", desc);
	po_put_num(p, cidf, "DW", ttf_pdf_units(fc->f, ttf_advance(fc->f, 0)));
	po_put(p, cidf, "W", build_widths(p, fc));
	po_put_name(p, cidf, "CIDToGIDMap", "Identity");

	po_put_name(p, desc, "Type", "FontDescriptor");
	po_put_name(p, desc, "FontName", base);
	po_put_num(p, desc, "Flags", (int32_t)m->flags);
	bbox = po_array(p);
	po_put(p, desc, "FontBBox", bbox);
	for (i = 0; i < 4; i++)
		po_push_num(p, bbox, ttf_pdf_units(fc->f, m->bbox[i]));
	po_put_num(p, desc, "Ascent", ttf_pdf_units(fc->f, m->ascender));
	po_put_num(p, desc, "Descent", ttf_pdf_units(fc->f, m->descender));
	po_put_num(p, desc, "CapHeight", ttf_pdf_units(fc->f, m->cap_height));
	po_put_num(p, desc, "XHeight", ttf_pdf_units(fc->f, m->x_height));
	po_put_num(p, desc, "StemV", m->stem_v);
	po_put(p, desc, "FontFile2", file);
	/* ItalicAngle: 16.16 fixed-point degrees, to three decimals. */
	buf_reset(&p->tmp);
	buf_puts(&p->tmp, "/ItalicAngle ");
	po_milli(&p->tmp, ((int64_t)m->italic_angle * 1000 +
	    (m->italic_angle < 0 ? -32768 : 32768)) / 65536);
	buf_putc(&p->tmp, '\012');
	po_put_raw(p, desc, p->tmp.data, p->tmp.len);

	po_put_num(p, file, "Length1", (int32_t)fc->sub->data.len);
}

/* ---- showing text ---- */

/*
 * Do the run's glyphs, through the face's ToUnicode map, already spell
 * actual_text, read left to right or right to left (glyph by glyph, each
 * glyph's code points in order)?  Returns -1 when actual_text is not
 * valid UTF-8.
 */
static int
glyphs_spell(const struct face *fc, const struct canvas_text *t)
{
	const uint8_t *s = (const uint8_t *)t->actual_text;
	const struct canvas_glyph *g;
	uint32_t *want, *fwd, *rev;
	size_t nw = 0, nf = 0, nr = 0, i, j = 0;
	size_t max = strlen(t->actual_text);
	UChar32 cp;
	int k, same;

	want = xmalloc((max + 1) * sizeof(*want));
	while (j < max) {
		U8_NEXT(s, j, max, cp);
		if (cp < 0) {
			free(want);
			return -1;
		}
		want[nw++] = (uint32_t)cp;
	}
	fwd = xmalloc((t->nglyphs * 3 + 1) * sizeof(*fwd));
	rev = xmalloc((t->nglyphs * 3 + 1) * sizeof(*rev));
	for (i = 0; i < t->nglyphs; i++) {
		g = fc->uni[ttf_subset_map(fc->sub, t->glyphs[i].gid)];
		for (k = 0; g != NULL && k < g->ncp && k < 3; k++)
			fwd[nf++] = g->cp[k];
		g = fc->uni[ttf_subset_map(fc->sub,
		    t->glyphs[t->nglyphs - 1 - i].gid)];
		for (k = 0; g != NULL && k < g->ncp && k < 3; k++)
			rev[nr++] = g->cp[k];
	}
	same = (nf == nw && memcmp(fwd, want, nw * sizeof(*want)) == 0) ||
	    (nr == nw && memcmp(rev, want, nw * sizeof(*want)) == 0);
	free(want);
	free(fwd);
	free(rev);
	return same;
}

/*
 * Emboldening (CANVAS_TEXT_EMBOLDEN, a face without a bold of its own):
 * the glyphs are filled and stroked in the text colour (rendering mode 2)
 * with a line width of EMBOLDEN_PER_MILLE of the font size, which thickens
 * every stem by that much.
 */
#define EMBOLDEN_PER_MILLE 30

/*
 * A positioned run's glyph moves smaller than this (in thousandths of
 * a thousandth of the font size) are not written: the widths in the
 * font's /W array, rounded to 1/1000 em, and the shaper's advances,
 * rounded to a millipoint, differ by such amounts, and the pen is
 * corrected as soon as the difference reaches it (at 9 pt, 0.0135 pt).
 */
#define TJ_MIN_MOVE 1500

/* Start a TJ segment at glyph i of t: a text matrix at the glyph's
 * place.  pen: the run's pen before glyph i (millipoints from t->x). */
static void
tj_start(struct buf *b, const struct canvas_text *t, size_t i, int64_t pen)
{
	buf_puts(b, "1 0 0 1 ");
	po_milli(b, t->x + pen + t->glyphs[i].dx);
	buf_putc(b, ' ');
	po_milli(b, (int64_t)t->y + t->glyphs[i].dy);
	buf_puts(b, " Tm\n[<");
}

/*
 * The glyphs of a positioned run (CANVAS_TEXT_POSITIONED): TJ arrays whose
 * numbers move the pen from where the font's widths leave it to where the
 * shaper placed the next glyph (kerning, marks, advances), and a new text
 * matrix, starting a new TJ, where a glyph is raised or lowered (a mark
 * on its base, dy).  Positions are tracked in thousandths of a millipoint,
 * so rounding never accumulates: each glyph lands within TJ_MIN_MOVE of
 * its place.
 */
static void
put_positioned(struct buf *b, const struct face *fc,
    const struct canvas_text *t)
{
	int64_t pen = 0, cur = 0, want, delta, n, size = t->size;
	int32_t dy = 0;
	size_t i;

	for (i = 0; i < t->nglyphs; i++) {
		const struct canvas_glyph *g = &t->glyphs[i];

		want = ((int64_t)t->x + pen + g->dx) * 1000;
		if (i == 0 || g->dy != dy) {
			if (i > 0)
				buf_puts(b, ">] TJ\n");
			tj_start(b, t, i, pen);
			dy = g->dy;
			cur = want;
		} else if ((delta = want - cur) != 0) {
			/* TJ number n/1000 moves the pen by -n/1000000
			 * of the size: -n * size / 1000 thousandths of a
			 * millipoint. */
			n = delta >= 0 ? -((delta * 1000 + size / 2) / size) :
			    (-delta * 1000 + size / 2) / size;
			if (n <= -TJ_MIN_MOVE || n >= TJ_MIN_MOVE) {
				buf_puts(b, "> ");
				po_milli(b, n);
				buf_puts(b, " <");
				cur -= n * size / 1000;
			}
		}
		po_hex4(b, ttf_subset_map(fc->sub, g->gid));
		cur += (int64_t)ttf_pdf_units(fc->f, ttf_advance(fc->f,
		    g->gid)) * size;
		pen += g->adv;
	}
	buf_puts(b, ">] TJ\n");
}

/*
 * A text run: font, colour, position, glyphs as 2-byte CIDs.
 *
 * actual_text becomes a /Span with /ActualText only when the glyphs'
 * ToUnicode text does not already spell it.  Measured with poppler 22.12
 * (pdftotext): it spreads an ActualText string left to right over the
 * span and then reorders right-to-left text from visual to logical
 * order, so a logical-order ActualText on a whole Hebrew or Arabic run
 * comes out reversed, while the glyphs in visual order with per-glyph
 * ToUnicode come out in logical order (as for LibreOffice's and Word's
 * PDFs).  So the span is kept for the cases ToUnicode cannot express
 * (a glyph mapped differently before, marks without text).
 * GEN_EINPUT when actual_text is not UTF-8.
 */
enum gen_rc
po_text(struct pdf *p, struct buf *b, struct gstate *gs,
    const struct canvas_text *t, size_t page, size_t opno,
    struct gen_err *err)
{
	const struct face *fc = &p->faces[t->font];
	int span = 0;
	size_t i;

	if (t->nglyphs == 0)
		return GEN_OK;
	if (t->actual_text != NULL) {
		span = glyphs_spell(fc, t);
		if (span < 0)
			return gen_err_set(err, GEN_EINPUT, "page %zu op %zu:"
			    " actual_text is not valid UTF-8; allowed: UTF-8"
			    " text", page, opno);
		span = !span || (t->flags & CANVAS_TEXT_SPAN) != 0;
	}
	if (!gs->in_text) {
		buf_puts(b, "BT\n");
		gs->in_text = 1;
	}
	po_fill(b, gs, t->color);
	if (t->flags & CANVAS_TEXT_EMBOLDEN) {
		po_stroke(b, gs, t->color, (int32_t)((int64_t)t->size *
		    EMBOLDEN_PER_MILLE / 1000));
		if (gs->render != 2) {
			buf_puts(b, "2 Tr\n");
			gs->render = 2;
		}
	} else if (gs->render != 0) {
		buf_puts(b, "0 Tr\n");
		gs->render = 0;
	}
	if (gs->font != t->font || gs->size != t->size) {
		buf_puts(b, "/F");
		po_int(b, t->font);
		buf_putc(b, ' ');
		po_milli(b, t->size);
		buf_puts(b, " Tf\n");
		gs->font = t->font;
		gs->size = t->size;
	}
	if (t->flags & CANVAS_TEXT_POSITIONED) {
		if (span) {
			buf_puts(b, "/Span <</ActualText <");
			po_utf16be(b, t->actual_text, 1);
			buf_puts(b, ">>> BDC\n");
		}
		put_positioned(b, fc, t);
		if (span)
			buf_puts(b, "EMC\n");
		return GEN_OK;
	}
	buf_puts(b, "1 0 0 1 ");
	po_milli(b, t->x);
	buf_putc(b, ' ');
	po_milli(b, t->y);
	buf_puts(b, " Tm\n");
	if (span) {
		buf_puts(b, "/Span <</ActualText <");
		po_utf16be(b, t->actual_text, 1);
		buf_puts(b, ">>> BDC\n");
	}
	buf_grow(b, t->nglyphs * 4 + 2);
	buf_putc(b, '<');
	for (i = 0; i < t->nglyphs; i++)
		po_hex4(b, ttf_subset_map(fc->sub, t->glyphs[i].gid));
	buf_puts(b, "> Tj\n");
	if (span)
		buf_puts(b, "EMC\n");
	return GEN_OK;
}
