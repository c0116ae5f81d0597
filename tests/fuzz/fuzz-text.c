/*
 * fuzz-text.c - libFuzzer harness for the typesetter and the PDF back
 * end (gen/pdf/text.c over shape.c and ttf.c, gen/pdf/canvas.c,
 * gen/pdf/pdfout*.c):
 * arbitrary bytes, as a hostile name or description would reach them,
 * laid out into lines with the fonts of fonts/, drawn onto a canvas and
 * rendered as a PDF.
 *
 * Input: byte 0 picks the style (bit 0) and the size (bits 1-3); byte 1
 * picks max_width (bits 0-2; 7 takes it from bytes 2-3), whether the
 * PDF is rendered twice to compare the bytes (bit 3) and the text engine
 * (bit 4: layout version 1's, ICU and fonts/v1.txt; else HarfBuzz and
 * fonts/fonts.txt); the rest is the
 * text, NUL bytes included, as text.h's (pointer, length) contract
 * allows: text.c draws U+0000 as U+FFFD (two problems the first runs
 * found with U+0000, now in tests/fuzz/crashes/text/, are replayed on
 * every run).
 *
 * Invariants checked:
 *   - text_layout succeeds on any bytes (valid parameters, < 1 MiB);
 *   - faithful text: the lines' texts, joined, give back the input with
 *     every ill-formed UTF-8 sequence replaced by U+FFFD (maximal
 *     subparts, computed here independently) and its paragraph
 *     separators (LF, CR, CR LF, U+001C-U+001E, U+0085, U+2029) removed;
 *     a line ends a paragraph (newline = 1) exactly where the input had a
 *     separator; empty text gives no lines; with max_width 0 each
 *     paragraph is one line;
 *   - never wider than asked: a line's width is the sum of its runs'
 *     widths and is at most max_width, except a line whose drawn text
 *     (the text without its trailing spaces) is a single grapheme cluster
 *     or a single ligature glyph, the case text.h documents;
 *   - runs are well-formed: at least one glyph, a face of the fontset,
 *     logical text exactly on right-to-left runs and (HarfBuzz) on span
 *     runs, positioned runs exactly with the HarfBuzz engine;
 *   - text_width equals the widest line of the unbroken layout;
 *   - the lines drawn onto A4 pages render (pdfout_render GEN_OK) to a
 *     PDF that starts with %PDF-, ends with %%EOF, whose startxref points
 *     at its xref table, whose every in-use xref entry points at "N 0
 *     obj", and that has as many pages as the canvas; rendering the same
 *     canvas twice (for half of the inputs: it costs a third of the
 *     time) gives the same bytes.
 *
 * Fonts: $INVGEN_DATA_DIR/fonts (run.sh sets it), else the source tree's.
 *
 * fuzz-options: -max_len=2048 -dict=tests/fuzz/text.dict
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "canvas.h"
#include "err.h"
#include "fuzz.h"
#include "pdfout.h"
#include "text.h"

#define A4_W	595276
#define A4_H	841890
#define MARGIN	 56693

int LLVMFuzzerInitialize(int *argc, char ***argv);

static const struct fontset *fs, *fs_hb, *fs_v1;
static UBreakIterator *chars;	/* grapheme clusters, for the oracle */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gen_err err = {0};
	const char *dd = getenv("INVGEN_DATA_DIR");
	char dir[4096];
	UErrorCode st = U_ZERO_ERROR;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/fonts", dd != NULL && *dd != '\0' ?
	    dd : INVGEN_SRCDIR);
	if (fontset_get(dir, &fs_hb, &err) != GEN_OK ||
	    fontset_get_list(dir, "v1.txt", TEXT_ENGINE_ICU, &fs_v1, &err) !=
	    GEN_OK) {
		fprintf(stderr, "fuzz-text: %s\n", err.msg);
		exit(2);
	}
	fs = fs_hb;
	chars = ubrk_open(UBRK_CHARACTER, "root", NULL, 0, &st);
	if (U_FAILURE(st)) {
		fprintf(stderr, "fuzz-text: ubrk_open: %s\n", u_errorName(st));
		exit(2);
	}
	return 0;
}

/* text.c's hanging spaces (text.h: "spaces at the end of a line"). */
static int
hanging_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x1680 || (c >= 0x2000 &&
	    c <= 0x200A && c != 0x2007) || c == 0x205F || c == 0x3000;
}

/* Bidi class B: what text.h calls a paragraph separator. */
static int
separator(uint32_t c)
{
	return c == '\n' || c == '\r' || (c >= 0x1C && c <= 0x1E) ||
	    c == 0x85 || c == 0x2029;
}

/* Length of s[0..n) without its trailing hanging spaces. */
static size_t
trimmed(const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t end = 0, k;
	uint32_t c;

	for (size_t i = 0; i < n; i += k) {
		k = fuzz_utf8_next(p, n, i, &c);
		if (!hanging_space(c))
			end = i + k;
	}
	return end;
}

/* Grapheme clusters in s[0..n) (well-formed UTF-8). */
static size_t
clusters(const char *s, size_t n)
{
	UErrorCode st = U_ZERO_ERROR;
	UText *ut;
	size_t count = 0;

	if (n == 0)
		return 0;
	ut = utext_openUTF8(NULL, s, (int64_t)n, &st);
	ubrk_setUText(chars, ut, &st);
	FUZZ_CHECK(U_SUCCESS(st), "ICU: %s", u_errorName(st));
	for (int32_t b = ubrk_first(chars); b != UBRK_DONE;
	    b = ubrk_next(chars))
		if (b > 0)
			count++;
	utext_close(ut);
	return count;
}

/* The paragraphs of the sanitised text t: each as [start, end) and
 * whether a separator ended it. */
struct para {
	size_t start, end;
	int terminated;
};

static size_t
split(const struct buf *t, struct para **out)
{
	const uint8_t *p = (const uint8_t *)t->data;
	struct para *v = NULL;
	size_t n = 0, start = 0, k;
	uint32_t c;

	for (size_t i = 0; i < t->len; i += k) {
		k = fuzz_utf8_next(p, t->len, i, &c);
		if (!separator(c))
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		if (v == NULL)
			abort();
		v[n++] = (struct para){ start, i, 1 };
		if (c == '\r' && i + 1 < t->len && p[i + 1] == '\n')
			k++;
		start = i + k;
	}
	if (start < t->len) {
		v = realloc(v, (n + 1) * sizeof(*v));
		if (v == NULL)
			abort();
		v[n++] = (struct para){ start, t->len, 0 };
	}
	*out = v;
	return n;
}

/* The lines must spell the paragraphs, in order. */
static void
check_text(const struct text_lines *ls, const struct buf *t, int32_t max)
{
	struct para *pv;
	size_t np = split(t, &pv), pi = 0, li = 0;

	if (t->len == 0)
		FUZZ_CHECK(ls->n == 0, "empty text gave %zu lines", ls->n);
	while (li < ls->n) {
		struct buf acc = {0};
		size_t first = li;

		FUZZ_CHECK(pi < np, "line %zu: more paragraphs than the %zu "
		    "in the text", li, np);
		for (; li < ls->n; li++) {
			buf_puts(&acc, ls->lines[li].text);
			if (ls->lines[li].newline) {
				li++;
				break;
			}
		}
		FUZZ_CHECK(ls->lines[li - 1].newline == pv[pi].terminated,
		    "paragraph %zu: newline %d, separator %d", pi,
		    ls->lines[li - 1].newline, pv[pi].terminated);
		FUZZ_CHECK(acc.len == pv[pi].end - pv[pi].start &&
		    (acc.len == 0 || memcmp(acc.data, t->data + pv[pi].start,
		    acc.len) == 0), "paragraph %zu: lines give '%.*s', text "
		    "has '%.*s'", pi, (int)acc.len, acc.data ? acc.data : "",
		    (int)(pv[pi].end - pv[pi].start), t->data + pv[pi].start);
		FUZZ_CHECK(max != 0 || li - first == 1, "paragraph %zu: %zu "
		    "lines without a width limit", pi, li - first);
		buf_free(&acc);
		pi++;
	}
	FUZZ_CHECK(pi == np, "%zu paragraphs laid out, %zu in the text", pi,
	    np);
	free(pv);
}

/* Widths and runs of every line. */
static void
check_lines(const struct text_lines *ls, int32_t max, int64_t *widest)
{
	*widest = 0;
	for (size_t i = 0; i < ls->n; i++) {
		const struct text_line *l = &ls->lines[i];
		int64_t sum = 0;
		size_t merged = 0, n, units;

		for (size_t r = 0; r < l->nruns; r++) {
			const struct text_run *run = &l->runs[r];

			FUZZ_CHECK(run->nglyphs > 0, "line %zu run %zu: no "
			    "glyphs", i, r);
			FUZZ_CHECK(fontset_face(fs, run->face) != NULL,
			    "line %zu run %zu: face %d", i, r, run->face);
			FUZZ_CHECK((run->logical != NULL) == (run->rtl != 0 ||
			    (run->flags & CANVAS_TEXT_SPAN) != 0),
			    "line %zu run %zu: rtl %d, flags %d, logical %p", i,
			    r, run->rtl, run->flags, (void *)run->logical);
			FUZZ_CHECK(((run->flags & CANVAS_TEXT_POSITIONED) !=
			    0) == (fontset_engine(fs) == TEXT_ENGINE_HARFBUZZ),
			    "line %zu run %zu: flags %d", i, r, run->flags);
			sum += run->width;
			for (size_t g = 0; g < run->nglyphs; g++)
				if (run->glyphs[g].ncp > 1)
					merged += run->glyphs[g].ncp - 1u;
		}
		FUZZ_CHECK(sum == l->width, "line %zu: width %d, runs sum to "
		    "%lld", i, l->width, (long long)sum);
		if (l->width > *widest)
			*widest = l->width;
		if (max == 0 || l->width <= max)
			continue;
		n = trimmed(l->text, strlen(l->text));
		units = clusters(l->text, n);
		units = units > merged ? units - merged : 0;
		FUZZ_CHECK(units <= 1, "line %zu is %d wide, max %d, and holds "
		    "%zu clusters: '%s'", i, l->width, max, units, l->text);
	}
}

/* Pages of A4 with the lines top to bottom; a new page when full. */
static struct canvas *
draw(const struct text_lines *ls, int32_t size, const char *author)
{
	struct canvas *c = canvas_new();
	struct canvas_page *p;
	struct canvas_color black = { 0, 0, 0 };
	int32_t asc, desc, y, lh;

	text_metrics(fs, TEXT_REGULAR, size, &asc, &desc);
	lh = asc + desc > 0 ? asc + desc : size;
	canvas_set_meta(c, ls->n > 0 ? ls->lines[0].text : "", author,
	    "fuzz", "lt", "2025-08-14");
	p = canvas_add_page(c, A4_W, A4_H);
	y = A4_H - MARGIN;
	for (size_t i = 0; i < ls->n; i++) {
		if (y - lh < MARGIN && i > 0) {
			p = canvas_add_page(c, A4_W, A4_H);
			y = A4_H - MARGIN;
		}
		y -= lh;
		text_draw_line(p, &ls->lines[i], size, MARGIN, y, black);
	}
	canvas_add_rect(p, MARGIN, MARGIN, A4_W - 2 * MARGIN, lh, NULL,
	    &black, 500);
	return c;
}

/* Offset of the last occurrence of s in b, or -1. */
static long
last(const struct buf *b, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = b->len >= n ? b->len - n + 1 : 0; i-- > 0;)
		if (memcmp(b->data + i, s, n) == 0)
			return (long)i;
	return -1;
}

/* Structure of a classic-xref PDF, without a PDF library. */
static void
check_pdf(const struct buf *b, size_t npages)
{
	long sx = last(b, "startxref"), off, count, first;
	char *end, head[32], want[32];
	const char *tail;
	long cnt;

	FUZZ_CHECK(b->len > 64 && memcmp(b->data, "%PDF-", 5) == 0,
	    "PDF does not start with %%PDF-");
	tail = b->data + b->len - 6;
	FUZZ_CHECK(memcmp(tail, "%%EOF\n", 6) == 0 ||
	    memcmp(tail + 1, "%%EOF", 5) == 0, "PDF does not end with %%%%EOF");
	FUZZ_CHECK(sx > 0, "no startxref");
	off = strtol(b->data + sx + 9, &end, 10);
	FUZZ_CHECK(off > 0 && (size_t)off + 4 < b->len &&
	    memcmp(b->data + off, "xref", 4) == 0, "startxref %ld does not "
	    "point at xref", off);
	first = strtol(b->data + off + 4, &end, 10);
	count = strtol(end, &end, 10);
	FUZZ_CHECK(first == 0 && count > 1 && count < 100000, "xref section "
	    "%ld %ld", first, count);
	while (*end == '\r' || *end == '\n' || *end == ' ')
		end++;
	for (long i = 0; i < count; i++) {
		const char *e = end + 20 * i;
		long at;

		FUZZ_CHECK(e + 20 <= b->data + b->len, "xref entry %ld past "
		    "the end", i);
		if (e[17] != 'n')
			continue;
		at = strtol(e, NULL, 10);
		snprintf(want, sizeof(want), "%ld 0 obj", i);
		FUZZ_CHECK(at > 0 && (size_t)at + strlen(want) < b->len,
		    "object %ld at %ld", i, at);
		memcpy(head, b->data + at, strlen(want));
		head[strlen(want)] = '\0';
		FUZZ_CHECK(strcmp(head, want) == 0, "xref: object %ld at %ld "
		    "holds '%s'", i, at, head);
	}
	cnt = last(b, "/Count ");
	FUZZ_CHECK(cnt > 0 && strtol(b->data + cnt + 7, NULL, 10) ==
	    (long)npages, "page count is not %zu", npages);
}

static const int32_t sizes[] = { 10000, 8000, 9000, 12000, 24000, 1,
	72000, 1000000 };
static const int32_t widths[] = { 0, 1, 5000, 30000, 100000, 170000,
	481890 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct text_lines ls = {0}, one = {0};
	struct text_warnings warn = {0};
	struct gen_err err = {0};
	struct buf clean = {0}, pdf1 = {0}, pdf2 = {0};
	const struct ttf *faces[64];
	const char *names[64];
	struct pdfout_fonts fonts = { faces, names, 0 };
	struct canvas *c;
	enum text_style style;
	uint8_t b0, b1;
	int32_t fsize, max, w;
	int64_t widest, widest1;
	char *author;
	enum gen_rc rc;

	b0 = fuzz_byte(&in);
	b1 = fuzz_byte(&in);
	fs = (b1 & 0x10) ? fs_v1 : fs_hb;
	style = (b0 & 1) ? TEXT_BOLD : TEXT_REGULAR;
	fsize = sizes[(b0 >> 1) & 7];
	max = (b1 & 7) == 7 ? (int32_t)fuzz_uint(&in, 2) * 16 :
	    widths[b1 & 7];

	rc = text_layout(fs, style, (const char *)in.p, in.n, fsize, max, &ls,
	    &warn, &err);
	FUZZ_CHECK(rc == GEN_OK, "text_layout: %d %s", rc, err.msg);
	fuzz_utf8_sanitise(in.p, in.n, &clean);
	/* text.c draws U+0000 as U+FFFD too (text.h). */
	{
		struct buf c2 = { 0 };

		for (size_t k = 0; k < clean.len; k++)
			if (clean.data[k] == '\0')
				buf_append(&c2, "\xEF\xBF\xBD", 3);
			else
				buf_putc(&c2, clean.data[k]);
		buf_free(&clean);
		clean = c2;
	}
	check_text(&ls, &clean, max);
	check_lines(&ls, max, &widest);

	/* text_width is the unbroken layout's widest line. */
	rc = text_layout(fs, style, (const char *)in.p, in.n, fsize, 0, &one,
	    NULL, &err);
	FUZZ_CHECK(rc == GEN_OK, "text_layout unbroken: %s", err.msg);
	check_text(&one, &clean, 0);
	check_lines(&one, 0, &widest1);
	rc = text_width(fs, style, (const char *)in.p, in.n, fsize, &w, &err);
	FUZZ_CHECK(rc == GEN_OK && w == widest1, "text_width %d (%s), widest "
	    "line %lld", w, err.msg, (long long)widest1);
	FUZZ_CHECK(max != 0 || widest == widest1, "max 0: %lld != %lld",
	    (long long)widest, (long long)widest1);

	/* Draw and render: the raw input as /Author when it is UTF-8. */
	fonts.n = fontset_count(fs);
	FUZZ_CHECK(fonts.n <= 64, "%zu faces", fonts.n);
	for (size_t i = 0; i < fonts.n; i++) {
		faces[i] = fontset_face(fs, (int)i);
		names[i] = fontset_face_name(fs, (int)i);
	}
	author = fuzz_cstr(in.p, in.n);
	c = draw(&ls, fsize, fuzz_utf8_valid((const uint8_t *)author,
	    strlen(author)) && strlen(author) <= 16000 ? author : NULL);
	rc = pdfout_render(c, &fonts, &pdf1, &err);
	FUZZ_CHECK(rc == GEN_OK, "pdfout_render: %d %s", rc, err.msg);
	check_pdf(&pdf1, c->npages);
	if (b1 & 8) {
		rc = pdfout_render(c, &fonts, &pdf2, &err);
		FUZZ_CHECK(rc == GEN_OK && pdf1.len == pdf2.len &&
		    memcmp(pdf1.data, pdf2.data, pdf1.len) == 0, "same "
		    "canvas, different PDF bytes");
	}

	canvas_free(c);
	free(author);
	buf_free(&pdf1);
	buf_free(&pdf2);
	buf_free(&clean);
	text_lines_free(&ls);
	text_lines_free(&one);
	text_warnings_free(&warn);
	return 0;
}
