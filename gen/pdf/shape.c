/*
 * shape.c - bidi ordering (ICU ubidi) and Arabic shaping (ICU
 * u_shapeArabic) of one paragraph for the PDF renderer; see shape.h.
 *
 * Exports shape_paragraph(), shape_bidi(), shape_text_free() and
 * shape_run_text().
 * Must not draw, pick fonts or keep state between calls.
 *
 * How it works, in logical order first and visual order last:
 *   1. Decode the UTF-8 (ICU's U8_NEXT, U+FFFD for ill-formed sequences)
 *      into code points, UTF-16 for ICU, and a byte offset for each.
 *   2. Shape: the characters that take part in Arabic joining (everything
 *      but joining type T, i.e. combining marks and format controls, which
 *      are transparent to joining) go through u_shapeArabic with fixed
 *      length, so position i of its output is the form of input position
 *      i.  Keeping transparent characters out leaves harakat as ordinary
 *      combining marks (u_shapeArabic would turn them into spacing
 *      presentation forms with a tatweel) and lets the joining see through
 *      them exactly as Unicode's joining type T says.  A lam-alef ligature
 *      comes back as the ligature in one of the two positions and a filler
 *      space in the other; the two become one glyph whose source range
 *      runs from the lam to the alef.
 *   3. Order: ubidi resolves levels on the full logical text and gives the
 *      visual runs; a right-to-left run's glyphs are reversed base by base
 *      (a combining mark stays after its base) and mirrored with
 *      u_charMirror, which is what UBIDI_DO_MIRRORING does.
 * ICU conventions translated here: UErrorCode starts at U_ZERO_ERROR and
 * failures become GEN_EICU with u_errorName() in the message.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/ushape.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "err.h"
#include "shape.h"

/* One code point of the logical text. */
struct lcp {
	UChar32 cp;	/* the character (U+FFFD for a bad sequence) */
	UChar32 draw;	/* what to draw: shaped form, or cp */
	size_t off;	/* byte offset in the sanitised text */
	size_t len;	/* bytes of the character in the sanitised text */
	size_t srclen;	/* bytes its glyph stands for (ligatures: more) */
	int32_t u16;	/* index of its first UTF-16 unit */
	int skip;	/* 1: no glyph (bidi control, alef of a ligature) */
	int mark;	/* 1: combining mark, stays after its base */
	int transparent; /* 1: joining type T, kept out of shaping */
};

/* Lam-alef ligatures U+FEF5..U+FEFC (isolated and final forms). */
static int
is_lamalef(UChar c)
{
	return c >= 0xFEF5 && c <= 0xFEFC;
}

/* Alef forms that make a ligature with a preceding lam. */
static int
is_alef(UChar32 c)
{
	return c == 0x0622 || c == 0x0623 || c == 0x0625 || c == 0x0627;
}

/* Does the character need Arabic shaping at all (fast path test)? */
static int
is_arabic(UChar32 c)
{
	return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
	    (c >= 0x0870 && c <= 0x08FF);
}

/*
 * Decode len bytes of UTF-8 into t->text (sanitised copy) and the code
 * point table cps (capacity len); UTF-16 goes to u16 and the owning code
 * point of each UTF-16 unit to cpof.  Sets *ncp and *nu16.  Returns
 * GEN_EINPUT for a paragraph separator.
 */
static enum gen_rc
decode(const char *utf8, size_t len, struct shape_text *t, struct lcp *cps,
    size_t *ncp, UChar *u16, size_t *cpof, int32_t *nu16,
    struct gen_err *err)
{
	const uint8_t *s = (const uint8_t *)utf8;
	int32_t i = 0, n = (int32_t)len, u = 0;
	size_t k = 0, o = 0;

	while (i < n) {
		int32_t start = i;
		UChar32 c;
		int bad;

		U8_NEXT(s, i, n, c);
		if ((bad = c < 0)) {
			c = 0xFFFD;
			t->replaced++;
		}
		if (u_charDirection(c) == U_BLOCK_SEPARATOR)
			return gen_err_set(err, GEN_EINPUT, "text: paragraph "
			    "separator U+%04X at byte %d; allowed: one "
			    "paragraph (split lines before shaping)",
			    (unsigned)c, (int)start);
		cps[k].cp = cps[k].draw = c;
		cps[k].off = o;
		cps[k].u16 = u;
		if (bad) {
			memcpy(t->text + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(t->text + o, s + start, (size_t)(i - start));
			o += (size_t)(i - start);
		}
		cps[k].len = cps[k].srclen = o - cps[k].off;
		cpof[u] = k;
		if (U_IS_SUPPLEMENTARY(c))
			cpof[u + 1] = k;
		U16_APPEND_UNSAFE(u16, u, c);
		k++;
	}
	t->text[o] = '\0';
	t->len = o;
	*ncp = k;
	*nu16 = u;
	return GEN_OK;
}

/*
 * Replace the draw code point of every joining character by its Arabic
 * presentation form and merge lam-alef pairs.  Returns GEN_EICU on an ICU
 * failure.
 */
static enum gen_rc
shape_arabic(struct lcp *cps, size_t ncp, struct gen_err *err)
{
	UChar *in = NULL, *outb = NULL;
	size_t *owner = NULL;
	int32_t n = 0, got, p, q;
	size_t k;
	UErrorCode st = U_ZERO_ERROR;
	enum gen_rc rc = GEN_OK;

	in = xmalloc((2 * ncp + 1) * sizeof(*in));
	outb = xmalloc((2 * ncp + 1) * sizeof(*outb));
	owner = xmalloc((2 * ncp + 1) * sizeof(*owner));
	for (k = 0; k < ncp; k++) {
		if (cps[k].transparent)
			continue;
		owner[n] = k;
		if (U_IS_SUPPLEMENTARY(cps[k].cp))
			owner[n + 1] = k;
		U16_APPEND_UNSAFE(in, n, cps[k].cp);
	}
	/*
	 * Variable length: the output is the input in the same order, one
	 * unit per unit, except that a lam-alef pair becomes one ligature.
	 * (The fixed-length "spaces near" mode moves the text when a
	 * ligature ends it: "بلا" came back as space, beh, ligature.)
	 */
	got = u_shapeArabic(in, n, outb, 2 * (int32_t)ncp + 1,
	    U_SHAPE_LETTERS_SHAPE | U_SHAPE_LENGTH_GROW_SHRINK |
	    U_SHAPE_TEXT_DIRECTION_LOGICAL, &st);
	if (U_FAILURE(st) || got > n) {
		rc = gen_err_set(err, GEN_EICU, "text: Arabic shaping failed: "
		    "%s", u_errorName(st));
		goto out;
	}
	for (p = 0, q = 0; p < n && q < got; p++, q++) {
		size_t lam = owner[p], alef, j;

		if (U16_IS_SURROGATE(in[p]))
			continue;	/* never shaped: same unit out */
		if (!is_lamalef(outb[q]) || p + 1 >= n ||
		    cps[lam].cp != 0x0644 || !is_alef(cps[owner[p + 1]].cp)) {
			cps[lam].draw = outb[q];
			continue;
		}
		/*
		 * The lam's glyph becomes the ligature covering the source
		 * up to the alef's end; the marks between keep their
		 * glyphs with srclen 0; the alef has no glyph of its own.
		 */
		alef = owner[++p];
		cps[lam].draw = outb[q];
		cps[lam].srclen = cps[alef].off + cps[alef].len - cps[lam].off;
		for (j = lam + 1; j < alef; j++)
			cps[j].srclen = 0;
		cps[alef].skip = 1;
	}
	if (p != n || q != got)
		rc = gen_err_set(err, GEN_EICU, "text: Arabic shaping "
		    "returned %d units for %d", (int)got, (int)n);
out:
	free(in);
	free(outb);
	free(owner);
	return rc;
}

/*
 * Copy the glyphs of code points [k0, k1) into run r, in visual order.
 * For a right-to-left run, whole clusters (a base and the marks after it)
 * are reversed and each code point mirrored.
 */
static void
fill_run(struct shape_run *r, const struct lcp *cps, size_t k0, size_t k1)
{
	size_t k, n = 0, e, b;

	for (k = k0; k < k1; k++)
		if (!cps[k].skip)
			n++;
	r->n = n;
	r->glyphs = n ? xcalloc(n, sizeof(*r->glyphs)) : NULL;
	if (n == 0)
		return;
	if (!r->rtl) {
		for (n = 0, k = k0; k < k1; k++) {
			if (cps[k].skip)
				continue;
			r->glyphs[n].cp = (uint32_t)cps[k].draw;
			r->glyphs[n].src = cps[k].off;
			r->glyphs[n].srclen = cps[k].srclen;
			n++;
		}
		return;
	}
	/* Walk clusters from the logical end; emit each in logical order. */
	n = 0;
	e = k1;
	while (e > k0) {
		b = e - 1;
		while (b > k0 && (cps[b].mark || cps[b].skip))
			b--;
		for (k = b; k < e; k++) {
			if (cps[k].skip)
				continue;
			r->glyphs[n].cp = (uint32_t)u_charMirror(cps[k].draw);
			r->glyphs[n].src = cps[k].off;
			r->glyphs[n].srclen = cps[k].srclen;
			n++;
		}
		e = b;
	}
}

enum gen_rc
shape_check_text(const char *utf8, size_t len, struct gen_err *err)
{
	if (len > SHAPE_MAX_BYTES)
		return gen_err_set(err, GEN_EINPUT, "text: %zu bytes is too "
		    "long; allowed up to %d", len, SHAPE_MAX_BYTES);
	if (utf8 == NULL && len > 0)
		return gen_err_set(err, GEN_EINPUT, "text: NULL with length "
		    "%zu", len);
	return GEN_OK;
}

/*
 * The body of shape_paragraph() (forms: 1) and shape_bidi() (forms: 0,
 * runs without glyphs).
 */
static enum gen_rc
shape_common(const char *utf8, size_t len, enum shape_dir dir, int forms,
    struct shape_text **out, struct gen_err *err)
{
	struct shape_text *t = NULL;
	struct lcp *cps = NULL;
	UChar *u16 = NULL;
	size_t *cpof = NULL;
	size_t ncp = 0, k;
	int32_t nu16 = 0, nruns, i;
	int arabic = 0;
	UBiDi *bidi = NULL;
	UBiDiLevel level;
	UErrorCode st = U_ZERO_ERROR;
	enum gen_rc rc = GEN_OK;

	*out = NULL;
	if ((rc = shape_check_text(utf8, len, err)) != GEN_OK)
		return rc;
	switch (dir) {
	case SHAPE_AUTO:
		level = UBIDI_DEFAULT_LTR;
		break;
	case SHAPE_LTR:
		level = 0;
		break;
	case SHAPE_RTL:
		level = 1;
		break;
	default:
		return gen_err_set(err, GEN_EINPUT, "dir: %d is not a "
		    "direction; allowed SHAPE_AUTO, SHAPE_LTR, SHAPE_RTL",
		    (int)dir);
	}

	t = xcalloc(1, sizeof(*t));
	t->text = xmalloc(3 * len + 1);
	cps = xcalloc(len + 1, sizeof(*cps));
	u16 = xmalloc((len + 1) * sizeof(*u16));
	cpof = xmalloc((len + 1) * sizeof(*cpof));
	if ((rc = decode(utf8, len, t, cps, &ncp, u16, cpof, &nu16, err)) !=
	    GEN_OK)
		goto out;

	for (k = 0; k < ncp; k++) {
		UChar32 c = cps[k].cp;

		cps[k].transparent = u_getIntPropertyValue(c,
		    UCHAR_JOINING_TYPE) == U_JT_TRANSPARENT;
		cps[k].mark = (U_GET_GC_MASK(c) &
		    (U_GC_MN_MASK | U_GC_ME_MASK)) != 0;
		cps[k].skip = u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL);
		if (is_arabic(c))
			arabic = 1;
	}
	if (forms && arabic && (rc = shape_arabic(cps, ncp, err)) != GEN_OK)
		goto out;

	bidi = ubidi_open();
	if (bidi == NULL) {
		rc = gen_err_set(err, GEN_EICU, "text: ubidi_open failed");
		goto out;
	}
	ubidi_setPara(bidi, u16, nu16, level, NULL, &st);
	nruns = U_SUCCESS(st) ? ubidi_countRuns(bidi, &st) : 0;
	if (U_FAILURE(st)) {
		rc = gen_err_set(err, GEN_EICU, "text: bidi ordering failed: "
		    "%s", u_errorName(st));
		goto out;
	}
	t->rtl = ubidi_getParaLevel(bidi) & 1;
	t->nruns = (size_t)nruns;
	t->runs = nruns ? xcalloc((size_t)nruns, sizeof(*t->runs)) : NULL;
	for (i = 0; i < nruns; i++) {
		struct shape_run *r = &t->runs[i];
		int32_t ls, ll;
		size_t k0, k1;

		r->rtl = ubidi_getVisualRun(bidi, i, &ls, &ll) == UBIDI_RTL;
		k0 = cpof[ls];
		k1 = cpof[ls + ll - 1] + 1;
		r->start = cps[k0].off;
		r->len = cps[k1 - 1].off + cps[k1 - 1].len - r->start;
		if (forms)
			fill_run(r, cps, k0, k1);
	}
	*out = t;
	t = NULL;
out:
	ubidi_close(bidi);
	free(cps);
	free(u16);
	free(cpof);
	shape_text_free(t);
	return rc;
}

enum gen_rc
shape_paragraph(const char *utf8, size_t len, enum shape_dir dir,
    struct shape_text **out, struct gen_err *err)
{
	return shape_common(utf8, len, dir, 1, out, err);
}

enum gen_rc
shape_bidi(const char *utf8, size_t len, enum shape_dir dir,
    struct shape_text **out, struct gen_err *err)
{
	return shape_common(utf8, len, dir, 0, out, err);
}

void
shape_text_free(struct shape_text *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nruns; i++)
		free(t->runs[i].glyphs);
	free(t->runs);
	free(t->text);
	free(t);
}

const char *
shape_run_text(const struct shape_text *t, size_t i, size_t *len)
{
	if (t == NULL || i >= t->nruns) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = t->runs[i].len;
	return t->text + t->runs[i].start;
}
