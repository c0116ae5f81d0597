/*
 * test-shape.c - unit tests of gen/pdf/shape.c: Arabic presentation forms,
 * lam-alef ligatures, bidi runs, mirroring, digits in right-to-left text,
 * source mapping, invalid UTF-8 and refused input.
 *
 * Expected presentation forms come from the Unicode Character Database
 * (Arabic Presentation Forms-A U+FB50..U+FDFF and -B U+FE70..U+FEFF,
 * UnicodeData.txt <initial>/<medial>/<final>/<isolated> decompositions);
 * joining types from ArabicShaping.txt (reh, dal, alef join only to the
 * right).
 */
#include <stdlib.h>

#include "err.h"
#include "shape.h"
#include "testlib.h"

/* Shape s (NUL-terminated) and return the result, or NULL on error. */
static struct shape_text *
shape(const char *s, enum shape_dir dir)
{
	struct shape_text *t = NULL;
	struct gen_err err = { 0 };

	if (shape_paragraph(s, strlen(s), dir, &t, &err) != GEN_OK) {
		fprintf(stderr, "shape_paragraph(\"%s\"): %s\n", s, err.msg);
		return NULL;
	}
	return t;
}

/*
 * Check run r of t: direction, logical byte range, and its glyphs' code
 * points and source offsets (want_src may be NULL).
 */
static void
check_run(const struct shape_text *t, size_t r, int rtl, size_t start,
    size_t len, const uint32_t *cps, const size_t *want_src, size_t n,
    int line)
{
	const struct shape_run *run;
	size_t i;

	test_checks++;
	if (t == NULL || r >= t->nruns) {
		test_failures++;
		fprintf(stderr, "line %d: no run %zu\n", line, r);
		return;
	}
	run = &t->runs[r];
	test_checks++;
	if (run->rtl != rtl || run->start != start || run->len != len ||
	    run->n != n) {
		test_failures++;
		fprintf(stderr, "line %d: run %zu is rtl=%d %zu+%zu n=%zu, "
		    "want rtl=%d %zu+%zu n=%zu\n", line, r, run->rtl,
		    run->start, run->len, run->n, rtl, start, len, n);
		return;
	}
	for (i = 0; i < n; i++) {
		test_checks++;
		if (run->glyphs[i].cp != cps[i] ||
		    (want_src != NULL && run->glyphs[i].src != want_src[i])) {
			test_failures++;
			fprintf(stderr, "line %d: run %zu glyph %zu is U+%04X "
			    "@%zu, want U+%04X @%zu\n", line, r, i,
			    (unsigned)run->glyphs[i].cp, run->glyphs[i].src,
			    (unsigned)cps[i], want_src ? want_src[i] : 0);
		}
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
test_marhaba(void)
{
	/* "مرحبا": meem initial, reh final (reh does not join left), hah
	 * initial, beh medial, alef final; drawn right to left. */
	static const uint32_t cps[] = { 0xFE8E, 0xFE92, 0xFEA3, 0xFEAE,
	    0xFEE3 };
	static const size_t src[] = { 8, 6, 4, 2, 0 };
	struct shape_text *t = shape("مرحبا", SHAPE_AUTO);

	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK_INT(t->rtl, 1);
	CHECK_INT(t->nruns, 1);
	check_run(t, 0, 1, 0, 10, cps, src, N(cps), __LINE__);
	CHECK_INT(t->runs[0].glyphs[0].srclen, 2);
	shape_text_free(t);
}

static void
test_name(void)
{
	/* "محمد علي": meem init, hah medial, meem medial, dal final; ain
	 * init, lam medial, yeh final. */
	static const uint32_t cps[] = { 0xFEF2, 0xFEE0, 0xFECB, 0x0020,
	    0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3 };
	static const size_t src[] = { 13, 11, 9, 8, 6, 4, 2, 0 };
	struct shape_text *t = shape("محمد علي", SHAPE_AUTO);

	check_run(t, 0, 1, 0, 15, cps, src, N(cps), __LINE__);
	CHECK(t != NULL && t->nruns == 1);
	shape_text_free(t);
}

static void
test_lamalef(void)
{
	static const uint32_t la[] = { 0xFEFB };
	/* "سلام": seen initial, lam-alef final ligature, meem isolated. */
	static const uint32_t salam[] = { 0xFEE1, 0xFEFC, 0xFEB3 };
	static const size_t salam_src[] = { 6, 2, 0 };
	/* lam, fatha, alef: the mark keeps its glyph after the ligature,
	 * with srclen 0 because the ligature's range covers it. */
	static const uint32_t lfa[] = { 0xFEFB, 0x064E };
	static const size_t lfa_src[] = { 0, 2 };
	/* "لأ" lam with alef hamza above -> U+FEF7. */
	static const uint32_t lhamza[] = { 0xFEF7 };
	struct shape_text *t;

	t = shape("لا", SHAPE_AUTO);
	check_run(t, 0, 1, 0, 4, la, NULL, N(la), __LINE__);
	CHECK(t != NULL && t->runs[0].glyphs[0].src == 0 &&
	    t->runs[0].glyphs[0].srclen == 4);
	shape_text_free(t);

	t = shape("سلام", SHAPE_AUTO);
	check_run(t, 0, 1, 0, 8, salam, salam_src, N(salam), __LINE__);
	CHECK(t != NULL && t->runs[0].glyphs[1].srclen == 4);
	shape_text_free(t);

	t = shape("لَا", SHAPE_AUTO);
	check_run(t, 0, 1, 0, 6, lfa, lfa_src, N(lfa), __LINE__);
	CHECK(t != NULL && t->runs[0].glyphs[0].srclen == 6 &&
	    t->runs[0].glyphs[1].srclen == 0);
	shape_text_free(t);

	t = shape("لأ", SHAPE_AUTO);
	check_run(t, 0, 1, 0, 4, lhamza, NULL, N(lhamza), __LINE__);
	shape_text_free(t);

	/* Lam-alef as the last joining pair after another letter: ICU's
	 * fixed-length mode moved the text here (visual order: the final
	 * lam-alef, then the initial beh). */
	{
		static const uint32_t bla[] = { 0xFEFC, 0xFE91 };
		static const size_t bla_src[] = { 2, 0 };

		t = shape("بلا", SHAPE_AUTO);
		check_run(t, 0, 1, 0, 6, bla, bla_src, N(bla), __LINE__);
		CHECK(t != NULL && t->runs[0].glyphs[0].srclen == 4);
		shape_text_free(t);
	}
}

static void
test_marks_and_persian(void)
{
	/* beh fatha beh: final beh, then initial beh followed by its mark
	 * (base first, also in a right-to-left run). */
	static const uint32_t bfb[] = { 0xFE90, 0xFE91, 0x064E };
	static const size_t bfb_src[] = { 4, 0, 2 };
	/* Persian "یک": farsi yeh initial, keheh final. */
	static const uint32_t yk[] = { 0xFB8F, 0xFBFE };
	/* "پ" peh isolated. */
	static const uint32_t peh[] = { 0xFB56 };
	/* beh ZWNJ beh: the ZWNJ breaks the joining, both isolated. */
	static const uint32_t zwnj[] = { 0xFE8F, 0x200C, 0xFE8F };
	struct shape_text *t;

	t = shape("بَب", SHAPE_AUTO);
	check_run(t, 0, 1, 0, 6, bfb, bfb_src, N(bfb), __LINE__);
	shape_text_free(t);
	t = shape("یک", SHAPE_AUTO);
	check_run(t, 0, 1, 0, 4, yk, NULL, N(yk), __LINE__);
	shape_text_free(t);
	t = shape("پ", SHAPE_AUTO);
	check_run(t, 0, 1, 0, 2, peh, NULL, N(peh), __LINE__);
	shape_text_free(t);
	t = shape("ب\u200cب", SHAPE_AUTO);
	check_run(t, 0, 1, 0, 7, zwnj, NULL, N(zwnj), __LINE__);
	shape_text_free(t);
}

static void
test_hebrew(void)
{
	static const uint32_t cps[] = { 0x05DD, 0x05D5, 0x05DC, 0x05E9 };
	static const size_t src[] = { 6, 4, 2, 0 };
	struct shape_text *t = shape("שלום", SHAPE_AUTO);

	check_run(t, 0, 1, 0, 8, cps, src, N(cps), __LINE__);
	CHECK(t != NULL && t->rtl == 1 && t->nruns == 1);
	shape_text_free(t);
}

static void
test_mixed(void)
{
	static const char s[] = "Invoice for محمد (ID 42)";
	static const uint32_t l1[] = { 'I', 'n', 'v', 'o', 'i', 'c', 'e',
	    ' ', 'f', 'o', 'r', ' ' };
	static const uint32_t r[] = { 0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3 };
	static const size_t rsrc[] = { 18, 16, 14, 12 };
	static const uint32_t l2[] = { ' ', '(', 'I', 'D', ' ', '4', '2',
	    ')' };
	struct shape_text *t = shape(s, SHAPE_AUTO);
	const char *p;
	size_t n;

	CHECK(t != NULL && t->rtl == 0 && t->nruns == 3);
	check_run(t, 0, 0, 0, 12, l1, NULL, N(l1), __LINE__);
	check_run(t, 1, 1, 12, 8, r, rsrc, N(r), __LINE__);
	check_run(t, 2, 0, 20, 8, l2, NULL, N(l2), __LINE__);
	/* The logical text of the RTL run, for /ActualText. */
	p = shape_run_text(t, 1, &n);
	CHECK(p != NULL && n == 8 && memcmp(p, "محمد", 8) == 0);
	CHECK(shape_run_text(t, 3, &n) == NULL && n == 0);
	shape_text_free(t);
}

static void
test_digits(void)
{
	/* RTL paragraph: European digits form their own LTR run, drawn at
	 * the left and in their own order; the space goes with the name. */
	static const uint32_t d[] = { '4', '2' };
	static const uint32_t r[] = { ' ', 0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3 };
	static const size_t rsrc[] = { 8, 6, 4, 2, 0 };
	/* Arabic-Indic digits (class AN) also read left to right. */
	static const uint32_t an[] = { 0x0661, 0x0662 };
	struct shape_text *t = shape("محمد 42", SHAPE_AUTO);

	CHECK(t != NULL && t->rtl == 1 && t->nruns == 2);
	check_run(t, 0, 0, 9, 2, d, NULL, N(d), __LINE__);
	check_run(t, 1, 1, 0, 9, r, rsrc, N(r), __LINE__);
	shape_text_free(t);

	t = shape("محمد ١٢", SHAPE_AUTO);
	CHECK(t != NULL && t->nruns == 2);
	check_run(t, 0, 0, 9, 4, an, NULL, N(an), __LINE__);
	shape_text_free(t);
}

static void
test_mirroring(void)
{
	/* "(محمد)": the logical ")" is drawn first, as "(". */
	static const uint32_t cps[] = { '(', 0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3,
	    ')' };
	static const size_t src[] = { 9, 7, 5, 3, 1, 0 };
	/* Hebrew with brackets and "<": mirrored too. */
	static const uint32_t heb[] = { '<', 0x05D1, 0x05D0, '>' };
	struct shape_text *t = shape("(محمد)", SHAPE_AUTO);

	check_run(t, 0, 1, 0, 10, cps, src, N(cps), __LINE__);
	shape_text_free(t);
	t = shape("<אב>", SHAPE_RTL);
	check_run(t, 0, 1, 0, 6, heb, NULL, N(heb), __LINE__);
	shape_text_free(t);
}

static void
test_latin_and_others(void)
{
	static const char latin[] = "Total (EUR): 12.00 <net>";
	static const uint32_t cjk[] = { 0x767A, 0x884C, 0x1F600, 0x0416 };
	struct shape_text *t = shape(latin, SHAPE_AUTO);
	size_t i;

	CHECK(t != NULL && t->rtl == 0 && t->nruns == 1 &&
	    t->runs[0].n == strlen(latin) && t->runs[0].rtl == 0);
	for (i = 0; t != NULL && i < t->runs[0].n; i++) {
		CHECK_INT(t->runs[0].glyphs[i].cp, (unsigned char)latin[i]);
		CHECK_INT(t->runs[0].glyphs[i].src, i);
		CHECK_INT(t->runs[0].glyphs[i].srclen, 1);
	}
	CHECK(t != NULL && strcmp(t->text, latin) == 0);
	shape_text_free(t);

	/* CJK, an emoji (4 bytes, a surrogate pair for ICU), Cyrillic. */
	t = shape("発行😀Ж", SHAPE_AUTO);
	check_run(t, 0, 0, 0, 12, cjk, (const size_t[]){ 0, 3, 6, 10 },
	    N(cjk), __LINE__);
	shape_text_free(t);

	/* Forced LTR paragraph with Arabic: still one RTL run inside. */
	t = shape("مرحبا", SHAPE_LTR);
	CHECK(t != NULL && t->rtl == 0 && t->nruns == 1 &&
	    t->runs[0].rtl == 1);
	shape_text_free(t);

	/* Forced RTL with Latin: the paragraph is RTL, the run LTR. */
	t = shape("abc", SHAPE_RTL);
	CHECK(t != NULL && t->rtl == 1 && t->nruns == 1 &&
	    t->runs[0].rtl == 0);
	shape_text_free(t);
}

static void
test_controls(void)
{
	/* LRM (U+200E, strong L) and RLM (U+200F, strong R) produce no
	 * glyph but stay in the runs' text. */
	static const uint32_t ab[] = { 'a', 'b' };
	static const size_t ab_src[] = { 0, 4 };
	static const uint32_t a[] = { 'a' }, b[] = { 'b' };
	struct shape_text *t = shape("a\u200eb", SHAPE_AUTO);

	CHECK(t != NULL && t->nruns == 1);
	check_run(t, 0, 0, 0, 5, ab, ab_src, N(ab), __LINE__);
	shape_text_free(t);

	/* The RLM makes a right-to-left run of its own, with no glyph. */
	t = shape("a\u200fb", SHAPE_AUTO);
	CHECK(t != NULL && t->nruns == 3);
	check_run(t, 0, 0, 0, 1, a, NULL, 1, __LINE__);
	check_run(t, 1, 1, 1, 3, NULL, NULL, 0, __LINE__);
	check_run(t, 2, 0, 4, 1, b, NULL, 1, __LINE__);
	shape_text_free(t);
}

static void
test_empty(void)
{
	struct shape_text *t = NULL;
	struct gen_err err = { 0 };

	CHECK_INT(shape_paragraph("", 0, SHAPE_AUTO, &t, &err), GEN_OK);
	CHECK(t != NULL && t->nruns == 0 && t->len == 0 && t->rtl == 0 &&
	    t->text != NULL && t->text[0] == '\0');
	shape_text_free(t);
	t = NULL;
	CHECK_INT(shape_paragraph(NULL, 0, SHAPE_RTL, &t, &err), GEN_OK);
	CHECK(t != NULL && t->nruns == 0 && t->rtl == 1);
	shape_text_free(t);
	shape_text_free(NULL);
}

static void
test_invalid_utf8(void)
{
	/* 0xFF is never valid; E2 82 is a truncated 3-byte sequence (one
	 * maximal subpart, one U+FFFD); C0 AF is an overlong "/" (two
	 * ill-formed bytes, two U+FFFD). */
	static const char bad[] = "a\xff" "b\xe2\x82" "c\xc0\xaf";
	static const uint32_t cps[] = { 'a', 0xFFFD, 'b', 0xFFFD, 'c',
	    0xFFFD, 0xFFFD };
	static const size_t src[] = { 0, 1, 4, 5, 8, 9, 12 };
	struct shape_text *t = NULL;
	struct gen_err err = { 0 };

	CHECK_INT(shape_paragraph(bad, sizeof(bad) - 1, SHAPE_AUTO, &t,
	    &err), GEN_OK);
	check_run(t, 0, 0, 0, 15, cps, src, N(cps), __LINE__);
	CHECK(t != NULL && t->replaced == 4 && t->len == 15 &&
	    strcmp(t->text, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c"
	    "\xef\xbf\xbd\xef\xbf\xbd") == 0);
	shape_text_free(t);

	/* A valid U+FFFD is not counted as a replacement; NUL is a
	 * character when the length says so. */
	t = NULL;
	CHECK_INT(shape_paragraph("\xef\xbf\xbd\0x", 5, SHAPE_AUTO, &t,
	    &err), GEN_OK);
	CHECK(t != NULL && t->replaced == 0 && t->len == 5 &&
	    t->nruns == 1 && t->runs[0].n == 3 &&
	    t->runs[0].glyphs[1].cp == 0);
	shape_text_free(t);
}

static void
test_refused(void)
{
	struct shape_text *t = NULL;
	struct gen_err err = { 0 };
	char *big;

	CHECK_INT(shape_paragraph("ab\ncd", 5, SHAPE_AUTO, &t, &err),
	    GEN_EINPUT);
	CHECK(t == NULL);
	CHECK_MSG(err, "U+000A at byte 2");
	CHECK_MSG(err, "one paragraph");
	CHECK_INT(shape_paragraph("a\xe2\x80\xa9", 4, SHAPE_AUTO, &t, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "U+2029");

	big = xmalloc(SHAPE_MAX_BYTES + 1);
	memset(big, 'a', SHAPE_MAX_BYTES + 1);
	CHECK_INT(shape_paragraph(big, SHAPE_MAX_BYTES + 1, SHAPE_AUTO, &t,
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "allowed up to 1048576");
	/* Exactly the limit is accepted. */
	CHECK_INT(shape_paragraph(big, SHAPE_MAX_BYTES, SHAPE_AUTO, &t,
	    &err), GEN_OK);
	CHECK(t != NULL && t->nruns == 1 &&
	    t->runs[0].n == SHAPE_MAX_BYTES);
	shape_text_free(t);
	t = NULL;
	free(big);

	CHECK_INT(shape_paragraph("a", 1, (enum shape_dir)7, &t, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "dir: 7");
	CHECK_INT(shape_paragraph(NULL, 3, SHAPE_AUTO, &t, &err),
	    GEN_EINPUT);
}

int
main(void)
{
	test_marhaba();
	test_name();
	test_lamalef();
	test_marks_and_persian();
	test_hebrew();
	test_mixed();
	test_digits();
	test_mirroring();
	test_latin_and_others();
	test_controls();
	test_empty();
	test_invalid_utf8();
	test_refused();
	return test_report();
}
