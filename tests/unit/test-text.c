/*
 * test-text.c - unit tests of gen/pdf/text.c: loading fontsets (and the
 * errors of bad fonts.txt files), with the text engine of layout version
 * 1 (fonts/v1.txt, ICU) for most of it: face fallback per script, replacement
 * of characters no face has, widths, line breaking (Latin, Lithuanian,
 * Russian, Greek, CJK, words longer than the line, grapheme clusters,
 * 10,000 characters without a space), bidi order of runs and the
 * glyph-to-text mapping, empty and invalid input, drawing onto a canvas,
 * and concurrent use from four threads.
 *
 * Fonts come from $INVGEN_TEST_FONT_DIR when set, else from fonts/
 * relative to the working directory (the repository top, as in
 * tests/run.sh).  Expected widths are computed from the fonts through
 * ttf.h, so they hold for any version of the faces; expected faces and
 * visual orders follow from fonts/fonts.txt and the Unicode Bidirectional
 * Algorithm (UAX #9); expected Arabic presentation forms are from the
 * Unicode Character Database (UnicodeData.txt <initial>/<medial>/<final>/
 * <isolated> decompositions).
 *
 * INVGEN_TEXT_BENCH=1 prints timings of text_layout() (build with -O2 and
 * without sanitizers for meaningful figures).
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "canvas.h"
#include "err.h"
#include "text.h"
#include "testlib.h"
#include "ttf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SIZE 10000		/* 10 pt */

static const char *font_dir;
static const struct fontset *fs;

/* Append code point c to b as UTF-8. */
static void
put_utf8(struct buf *b, uint32_t c)
{
	char u[4];

	if (c < 0x80) {
		u[0] = (char)c;
		buf_append(b, u, 1);
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3F));
		buf_append(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3F));
		u[2] = (char)(0x80 | (c >> 6 & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		buf_append(b, u, 4);
	}
}

/* Decode valid UTF-8 s into cps (capacity cap); returns the count. */
static size_t
decode(const char *s, uint32_t *cps, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	uint32_t c;
	int k, i;

	while (*p != '\0' && n < cap) {
		if (*p < 0x80) {
			c = *p;
			k = 1;
		} else if (*p < 0xE0) {
			c = *p & 0x1F;
			k = 2;
		} else if (*p < 0xF0) {
			c = *p & 0x0F;
			k = 3;
		} else {
			c = *p & 0x07;
			k = 4;
		}
		for (i = 1; i < k; i++)
			c = c << 6 | (p[i] & 0x3F);
		cps[n++] = c;
		p += k;
	}
	return n;
}

/* Face name without ".ttf" ("NotoSans-Regular"). */
static void
put_face(struct buf *b, int face)
{
	const char *name = fontset_face_name(fs, face);
	size_t n = name != NULL ? strlen(name) : 0;

	if (n > 4 && strcmp(name + n - 4, ".ttf") == 0)
		n -= 4;
	buf_append(b, name != NULL ? name : "?", name != NULL ? n : 1);
}

/*
 * One line as "FACE DIR 'cps' | ...": per run in visual order its face,
 * L or R, and the logical characters of its glyphs in drawing order.
 */
static void
describe(const struct text_line *l, struct buf *b)
{
	size_t i, g;
	int k;

	buf_reset(b);
	for (i = 0; i < l->nruns; i++) {
		const struct text_run *r = &l->runs[i];

		if (i > 0)
			buf_puts(b, " | ");
		put_face(b, r->face);
		buf_puts(b, r->rtl ? " R '" : " L '");
		for (g = 0; g < r->nglyphs; g++)
			for (k = 0; k < r->glyphs[g].ncp; k++)
				put_utf8(b, r->glyphs[g].cp[k]);
		buf_putc(b, '\'');
	}
	if (b->data == NULL)
		buf_puts(b, "");
}

/* Everything about a layout, for comparing results exactly. */
static void
dump(const struct text_lines *ls, struct buf *b)
{
	size_t i, r, g;
	int k;

	for (i = 0; i < ls->n; i++) {
		const struct text_line *l = &ls->lines[i];

		buf_printf(b, "line w=%ld rtl=%d nl=%d '%s'\n", (long)l->width,
		    l->rtl, l->newline, l->text);
		for (r = 0; r < l->nruns; r++) {
			const struct text_run *run = &l->runs[r];

			buf_printf(b, " run f=%d rtl=%d w=%ld log='%s':",
			    run->face, run->rtl, (long)run->width,
			    run->logical ? run->logical : "-");
			for (g = 0; g < run->nglyphs; g++) {
				buf_printf(b, " %u", run->glyphs[g].gid);
				for (k = 0; k < run->glyphs[g].ncp; k++)
					buf_printf(b, "/%X",
					    (unsigned)run->glyphs[g].cp[k]);
			}
			buf_putc(b, '\n');
		}
	}
}

/* Lay out s (NUL-terminated); prints the error and returns -1 on
 * failure. */
static int
lay(const char *s, int32_t max, struct text_lines *ls,
    struct text_warnings *w)
{
	struct gen_err err = { 0 };

	if (text_layout(fs, TEXT_REGULAR, s, strlen(s), SIZE, max, ls, w,
	    &err) != GEN_OK) {
		fprintf(stderr, "text_layout(\"%s\"): %s\n", s, err.msg);
		return -1;
	}
	return 0;
}

static int32_t
width(const char *s)
{
	struct gen_err err = { 0 };
	int32_t w = -1;

	if (text_width(fs, TEXT_REGULAR, s, strlen(s), SIZE, &w, &err) !=
	    GEN_OK)
		fprintf(stderr, "text_width(\"%s\"): %s\n", s, err.msg);
	return w;
}

/* The face id of file name, -1 if absent. */
static int
face_named(const char *name)
{
	size_t i;

	for (i = 0; i < fontset_count(fs); i++)
		if (strcmp(fontset_face_name(fs, (int)i), name) == 0)
			return (int)i;
	return -1;
}

/* Width of code point c drawn with face (file name) at SIZE: the rule
 * of text.h, round(advance * size / units_per_em), half up. */
static int32_t
glyph_width(const char *face, uint32_t c)
{
	const struct ttf *f = fontset_face(fs, face_named(face));
	int64_t upem, adv;

	if (f == NULL)
		return -1;
	upem = ttf_metrics(f)->units_per_em;
	adv = ttf_advance(f, ttf_glyph(f, c));
	return (int32_t)((adv * SIZE + upem / 2) / upem);
}

/* Concatenate the lines' text with '\n' after lines that ended with a
 * paragraph separator: the input again (for valid UTF-8 with '\n'). */
static void
rejoin(const struct text_lines *ls, struct buf *b)
{
	size_t i;

	buf_reset(b);
	buf_puts(b, "");
	for (i = 0; i < ls->n; i++) {
		buf_puts(b, ls->lines[i].text);
		if (ls->lines[i].newline)
			buf_putc(b, '\n');
	}
}

/* ---- fontset ---- */

struct getter {
	pthread_barrier_t *bar;
	const struct fontset *got;
	enum gen_rc rc;
};

static void *
get_thread(void *arg)
{
	struct getter *g = arg;
	struct gen_err err = { 0 };

	pthread_barrier_wait(g->bar);
	g->rc = fontset_get_list(font_dir, "v1.txt", TEXT_ENGINE_ICU, &g->got,
	    &err);
	return NULL;
}

/* Four threads ask for the same, not yet loaded, fontset at once: one
 * load, one pointer.  Must run before anything else loads it. */
static void
test_first_use_concurrent(void)
{
	pthread_barrier_t bar;
	pthread_t t[4];
	struct getter g[4];
	size_t i;

	pthread_barrier_init(&bar, NULL, 4);
	for (i = 0; i < 4; i++) {
		g[i].bar = &bar;
		g[i].got = NULL;
		g[i].rc = GEN_EINTERNAL;
		CHECK(pthread_create(&t[i], NULL, get_thread, &g[i]) == 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
	for (i = 0; i < 4; i++) {
		CHECK_INT(g[i].rc, GEN_OK);
		CHECK(g[i].got != NULL && g[i].got == g[0].got);
	}
	fs = g[0].got;
}

static void check_face(const char *s, enum text_style style,
    const char *want, int line);

static void
test_fontset(void)
{
	const struct fontset *again = NULL;
	struct gen_err err = { 0 };
	static const char *const names[] = { "NotoSans-Regular.ttf",
	    "NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf",
	    "DroidSansFallbackFull.ttf", "NanumGothic.ttf", "DejaVuSans.ttf",
	    "NotoSans-Bold.ttf", "NotoSansArabic-Bold.ttf",
	    "NotoSansHebrew-Bold.ttf", "NanumGothicBold.ttf",
	    "DejaVuSans-Bold.ttf" };
	size_t i;

	/* Twelve faces in v1.txt, DroidSansFallbackFull.ttf in both.
	 * Only each style's first face is open until text needs another. */
	CHECK_INT(fontset_count(fs), 11);
	for (i = 0; i < N(names); i++) {
		CHECK(face_named(names[i]) >= 0);
		CHECK((fontset_face(fs, face_named(names[i])) != NULL) ==
		    (i == 0 || i == 6));
	}
	check_face("שלום", TEXT_REGULAR, "NotoSansHebrew-Regular.ttf",
	    __LINE__);
	CHECK(fontset_face(fs, face_named("NotoSansHebrew-Regular.ttf")) !=
	    NULL);
	CHECK(fontset_face(fs, face_named("NotoSansHebrew-Bold.ttf")) ==
	    NULL);
	CHECK_STR(fontset_face_name(fs, 0), "NotoSans-Regular.ttf");
	CHECK(fontset_face(fs, 11) == NULL && fontset_face(fs, -1) == NULL);
	CHECK(fontset_face_name(fs, 11) == NULL);
	CHECK_INT(fontset_get_list(font_dir, "v1.txt", TEXT_ENGINE_ICU, &again,
	    &err), GEN_OK);
	CHECK(again == fs);
	CHECK_INT(fontset_engine(fs), TEXT_ENGINE_ICU);
	CHECK_INT(fontset_get_list(font_dir, "v1.txt", 3, &again, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "text engine: 3 unknown");
	CHECK_INT(fontset_get("", &again, &err), GEN_EINPUT);
	CHECK(again == NULL);
	CHECK_MSG(err, "fonts_dir: empty");
}

/* Write s to dir/name. */
static void
write_file(const char *dir, const char *name, const char *s)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs(s, f);
	fclose(f);
}

/* fontset_get() on dir with fonts.txt s must fail with rc and a message
 * holding each of frag1 and frag2. */
static void
bad_fontset(const char *dir, const char *s, enum gen_rc rc,
    const char *frag1, const char *frag2)
{
	const struct fontset *got = (const struct fontset *)1;
	struct gen_err err = { 0 };

	write_file(dir, "fonts.txt", s);
	CHECK_INT(fontset_get(dir, &got, &err), rc);
	CHECK(got == NULL);
	CHECK_MSG(err, frag1);
	CHECK_MSG(err, frag2);
}

static void
test_fontset_errors(void)
{
	char dir[] = "/tmp/test-text-XXXXXX", src[4096], dst[600],
	    file[600];
	const struct fontset *got = NULL;
	struct gen_err err = { 0 };

	CHECK_INT(fontset_get("/nonexistent/invgen", &got, &err), GEN_EIO);
	CHECK(got == NULL);
	CHECK_MSG(err, "/nonexistent/invgen/fonts.txt: cannot open");

	if (mkdtemp(dir) == NULL) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(file, sizeof(file), "%s/fonts.txt", dir);
	snprintf(dst, sizeof(dst), "%s/N.ttf", dir);
	CHECK(realpath(font_dir, src) != NULL);
	strncat(src, "/NotoSans-Regular.ttf", sizeof(src) - strlen(src) - 1);
	CHECK(symlink(src, dst) == 0);
	write_file(dir, "junk.ttf", "this is not a font at all, not even "
	    "close to one");

	bad_fontset(dir, "# faces\nitalic N.ttf\n", GEN_EINPUT,
	    "fonts.txt:2: style 'italic' unknown", "allowed: regular, bold");
	bad_fontset(dir, "regular\n", GEN_EINPUT,
	    "fonts.txt:1: style 'regular' names no face", "allowed");
	bad_fontset(dir, "\n\nregular Missing.ttf\n", GEN_EIO,
	    "fonts.txt:3: ", "Missing.ttf");
	bad_fontset(dir, "regular ../N.ttf\n", GEN_EINPUT,
	    "fonts.txt:1: face '../N.ttf' is not a file name", "without '/'");
	bad_fontset(dir, "regular N.ttf\nregular N.ttf\n", GEN_EINPUT,
	    "fonts.txt:2: style 'regular' already defined on line 1", "");
	bad_fontset(dir, "regular N.ttf N.ttf\n", GEN_EINPUT,
	    "fonts.txt:1: face 'N.ttf' listed twice", "");
	bad_fontset(dir, "regular N.ttf\n", GEN_EINPUT,
	    "fonts.txt: style 'bold' missing", dir);
	bad_fontset(dir, "regular N.ttf\nbold junk.ttf\n", GEN_EINPUT,
	    "fonts.txt:2: ", "junk.ttf");

	/* A fallback face is checked at load (an empty file is refused
	 * then) but opened when a character needs it: a bad table inside
	 * fails that layout, and every later one that needs the face, with
	 * the face's line in fonts.txt and GEN_EIO (a damaged font is a
	 * damaged installation); text the first face draws is fine. */
	write_file(dir, "empty.ttf", "");
	bad_fontset(dir, "regular N.ttf empty.ttf\nbold N.ttf\n", GEN_EINPUT,
	    "fonts.txt:1: ", "empty.ttf: 0 bytes");
	{
		char bad[600], dot[600], *data = NULL;
		size_t len = 0;
		FILE *in, *out;
		struct text_lines ls;

		snprintf(bad, sizeof(bad), "%s/bad.ttf", dir);
		in = fopen(src, "rb");
		CHECK(in != NULL);
		if (in != NULL) {
			data = malloc(1 << 20);
			len = fread(data, 1, 1 << 20, in);
			fclose(in);
		}
		/* break the 'head' magic number: the directory stays valid */
		CHECK(data != NULL && len > 1000);
		for (size_t k = 0; data != NULL && k + 16 <= 12 + 16 *
		    (size_t)((unsigned char)data[4] << 8 | (unsigned char)
		    data[5]); k += 16)
			if (memcmp(data + 12 + k, "head", 4) == 0) {
				size_t off = (size_t)(unsigned char)data[12 +
				    k + 8] << 24 | (size_t)(unsigned char)
				    data[12 + k + 9] << 16 | (size_t)
				    (unsigned char)data[12 + k + 10] << 8 |
				    (unsigned char)data[12 + k + 11];
				data[off + 12] ^= 0x55;
			}
		out = fopen(bad, "wb");
		CHECK(out != NULL && data != NULL);
		if (out != NULL && data != NULL)
			fwrite(data, 1, len, out);
		if (out != NULL)
			fclose(out);
		free(data);
		write_file(dir, "fonts.txt", "bold N.ttf\nregular N.ttf "
		    "bad.ttf\n");
		/* another cache key than dir, which must load below */
		snprintf(dot, sizeof(dot), "%s/.", dir);
		CHECK_INT(fontset_get(dot, &got, &err), GEN_OK);
		CHECK_INT(text_layout(got, TEXT_REGULAR, "abc", 3, SIZE, 0,
		    &ls, NULL, &err), GEN_OK);
		text_lines_free(&ls);
		for (int k = 0; k < 2; k++) {
			memset(&err, 0, sizeof(err));
			CHECK_INT(text_layout(got, TEXT_REGULAR, "a\u05D0", 3,
			    SIZE, 0, &ls, NULL, &err), GEN_EIO);
			CHECK_MSG(err, "fonts.txt:2: ");
			CHECK_MSG(err, "bad.ttf: table 'head': magic number");
		}
		unlink(bad);
		snprintf(bad, sizeof(bad), "%s/empty.ttf", dir);
		unlink(bad);
	}

	/* A failed load is not cached: fixed, the same directory loads. */
	write_file(dir, "fonts.txt", "regular N.ttf\r\n\tbold  N.ttf\r\n");
	CHECK_INT(fontset_get(dir, &got, &err), GEN_OK);
	CHECK(got != NULL && got != fs && fontset_count(got) == 1);

	unlink(file);
	unlink(dst);
	snprintf(file, sizeof(file), "%s/junk.ttf", dir);
	unlink(file);
	rmdir(dir);
}

/* ---- faces, replacement, widths ---- */

/* The face of the first glyph of s. */
static void
check_face(const char *s, enum text_style style, const char *want,
    int line)
{
	struct text_lines ls;
	struct gen_err err = { 0 };
	const char *got = "(none)";

	if (text_layout(fs, style, s, strlen(s), SIZE, 0, &ls, NULL, &err) !=
	    GEN_OK) {
		fprintf(stderr, "line %d: %s\n", line, err.msg);
		CHECK(0);
		return;
	}
	if (ls.n == 1 && ls.lines[0].nruns > 0)
		got = fontset_face_name(fs, ls.lines[0].runs[0].face);
	test_checks++;
	if (strcmp(got, want) != 0) {
		test_failures++;
		fprintf(stderr, "line %d: \"%s\" drawn with %s, want %s\n",
		    line, s, got, want);
	}
	text_lines_free(&ls);
}

static void
test_fallback(void)
{
	struct text_lines ls;
	struct buf b = { 0 };

	check_face("A", TEXT_REGULAR, "NotoSans-Regular.ttf", __LINE__);
	check_face("ą", TEXT_REGULAR, "NotoSans-Regular.ttf", __LINE__);
	check_face("Ж", TEXT_REGULAR, "NotoSans-Regular.ttf", __LINE__);
	check_face("Ω", TEXT_REGULAR, "NotoSans-Regular.ttf", __LINE__);
	check_face("€", TEXT_REGULAR, "NotoSans-Regular.ttf", __LINE__);
	check_face("م", TEXT_REGULAR, "NotoSansArabic-Regular.ttf",
	    __LINE__);
	check_face("א", TEXT_REGULAR, "NotoSansHebrew-Regular.ttf",
	    __LINE__);
	check_face("発", TEXT_REGULAR, "DroidSansFallbackFull.ttf", __LINE__);
	check_face("か", TEXT_REGULAR, "DroidSansFallbackFull.ttf", __LINE__);
	/* Droid has 3 of the 11,172 Hangul syllables: Korean falls to Nanum. */
	check_face("한", TEXT_REGULAR, "NanumGothic.ttf", __LINE__);
	check_face("한", TEXT_BOLD, "NanumGothicBold.ttf", __LINE__);
	check_face("☺", TEXT_REGULAR, "DejaVuSans.ttf", __LINE__);
	check_face("A", TEXT_BOLD, "NotoSans-Bold.ttf", __LINE__);
	check_face("م", TEXT_BOLD, "NotoSansArabic-Bold.ttf", __LINE__);
	check_face("א", TEXT_BOLD, "NotoSansHebrew-Bold.ttf", __LINE__);
	check_face("発", TEXT_BOLD, "DroidSansFallbackFull.ttf", __LINE__);
	check_face("☺", TEXT_BOLD, "DejaVuSans-Bold.ttf", __LINE__);

	/* Combining marks: U+0301 stays with a DejaVu base (DejaVu has
	 * it, although NotoSans comes first); after a Hebrew letter (the
	 * Hebrew face lacks it) it goes to the first face that has it. */
	if (lay("x☺\u0301א\u0301", 0, &ls, NULL) == 0) {
		CHECK_INT(ls.n, 1);
		describe(&ls.lines[0], &b);
		CHECK_STR(b.data, "NotoSans-Regular L 'x' | "
		    "DejaVuSans L '☺\u0301' | NotoSansHebrew-Regular R 'א' | "
		    "NotoSans-Regular R '\u0301'");
		text_lines_free(&ls);
	}
	buf_free(&b);
}

static void
test_missing(void)
{
	struct text_lines ls;
	struct text_warnings w = { 0 };
	const struct text_run *r;
	uint16_t repl = ttf_glyph(fontset_face(fs, 0), 0xFFFD);
	size_t i;

	/* Private use and a noncharacter, three times and once. */
	if (lay("a\uE000b\uE000\U0010FFFDc\uE000", 0, &ls, &w) != 0) {
		CHECK(0);
		return;
	}
	CHECK_INT(w.n, 2);
	CHECK(w.n == 2 && w.missing[0] == 0xE000 && w.missing[1] == 0x10FFFD);
	CHECK(ls.n == 1 && ls.lines[0].nruns == 1);
	r = &ls.lines[0].runs[0];
	CHECK_INT(r->nglyphs, 7);
	for (i = 0; i < r->nglyphs && i < 7; i++) {
		uint32_t cp = r->glyphs[i].cp[0];

		if (cp == 0xE000 || cp == 0x10FFFD)
			CHECK_INT(r->glyphs[i].gid, repl);
		else
			CHECK(r->glyphs[i].gid != repl);
	}
	CHECK(repl != 0 && r->face == 0);
	CHECK_INT(r->width, glyph_width("NotoSans-Regular.ttf", 'a') +
	    glyph_width("NotoSans-Regular.ttf", 'b') +
	    glyph_width("NotoSans-Regular.ttf", 'c') +
	    4 * glyph_width("NotoSans-Regular.ttf", 0xFFFD));
	text_lines_free(&ls);

	/* The same struct across calls: still once each, kept sorted. */
	if (lay("\U0010FFFD\uE001", 0, &ls, &w) == 0) {
		CHECK_INT(w.n, 3);
		CHECK(w.n == 3 && w.missing[0] == 0xE000 &&
		    w.missing[1] == 0xE001 && w.missing[2] == 0x10FFFD);
		text_lines_free(&ls);
	}
	text_warnings_free(&w);
	CHECK(w.n == 0 && w.missing == NULL);
	text_warnings_free(NULL);

	/* NULL warnings are allowed. */
	if (lay("\uE000", 0, &ls, NULL) == 0) {
		CHECK(ls.n == 1 && ls.lines[0].nruns == 1 &&
		    ls.lines[0].runs[0].glyphs[0].gid == repl);
		text_lines_free(&ls);
	}
}

static void
test_widths(void)
{
	static const char *const pairs[][2] = {
		{ "Sąskaita", "Faktūra" }, { "Счёт", "фактура" },
		{ "Τιμολόγιο", "Αριθμός" }, { "発行", "請求書" },
		{ "Total:", "12,00 €" }, { "ID", "2002" },
	};
	struct text_lines ls;
	int32_t asc, desc;
	const struct ttf_metrics *m = ttf_metrics(fontset_face(fs, 0));
	char both[128];
	size_t i;

	CHECK_INT(width("A"), glyph_width("NotoSans-Regular.ttf", 'A'));
	CHECK_INT(width("発"), glyph_width("DroidSansFallbackFull.ttf",
	    0x767A));
	/* DejaVu has 2048 units to the em: rounding matters. */
	CHECK_INT(width("☺"), glyph_width("DejaVuSans.ttf", 0x263A));
	/* No kerning: "AV" is A plus V. */
	CHECK_INT(width("AV"), glyph_width("NotoSans-Regular.ttf", 'A') +
	    glyph_width("NotoSans-Regular.ttf", 'V'));
	for (i = 0; i < N(pairs); i++) {
		snprintf(both, sizeof(both), "%s%s", pairs[i][0], pairs[i][1]);
		CHECK_INT(width(both), width(pairs[i][0]) +
		    width(pairs[i][1]));
	}
	/* Leading spaces count, trailing ones do not; a tab is a space;
	 * default-ignorables (soft hyphen, ZWSP, word joiner) draw
	 * nothing. */
	CHECK_INT(width(" abc"), width("abc") +
	    glyph_width("NotoSans-Regular.ttf", ' '));
	CHECK_INT(width("abc   "), width("abc"));
	CHECK_INT(width("a\tb"), width("a b"));
	CHECK_INT(width("a\u00ADb\u200Bc\u2060d"), width("abcd"));
	CHECK_INT(width(""), 0);
	CHECK_INT(width("ab\nabcdef\nabc"), width("abcdef"));

	/* text_width is the width of the laid-out line. */
	if (lay("Sąskaita Nr. 17 — 12,00 €", 0, &ls, NULL) == 0) {
		CHECK(ls.n == 1 && ls.lines[0].width ==
		    width("Sąskaita Nr. 17 — 12,00 €"));
		CHECK(ls.n == 1 && ls.lines[0].nruns == 1 &&
		    ls.lines[0].runs[0].width == ls.lines[0].width);
		text_lines_free(&ls);
	}

	text_metrics(fs, TEXT_REGULAR, SIZE, &asc, &desc);
	CHECK_INT(asc, ((int64_t)m->ascender * SIZE + m->units_per_em / 2) /
	    m->units_per_em);
	CHECK_INT(desc, (-(int64_t)m->descender * SIZE +
	    m->units_per_em / 2) / m->units_per_em);
	CHECK(asc > 0 && desc > 0);
	text_metrics(fs, TEXT_BOLD, 2 * SIZE, &asc, &desc);
	CHECK(asc > 0 && desc > 0);
}

/* ---- line breaking ---- */

/*
 * Break s at max and check: every line fits, the text comes back whole,
 * lines end at spaces (but the last), and each line is as long as it can
 * be: adding the next line's first word would not fit.
 */
static void
check_words(const char *s, int32_t max, size_t min_lines, int line)
{
	struct text_lines ls;
	struct buf b = { 0 }, t = { 0 };
	size_t i, n;
	const char *sp;

	if (lay(s, max, &ls, NULL) != 0) {
		CHECK(0);
		return;
	}
	test_checks++;
	if (ls.n < min_lines) {
		test_failures++;
		fprintf(stderr, "line %d: %zu lines, want >= %zu\n", line,
		    ls.n, min_lines);
	}
	rejoin(&ls, &b);
	CHECK_STR(b.data, s);
	for (i = 0; i < ls.n; i++) {
		const struct text_line *l = &ls.lines[i];

		n = strlen(l->text);
		test_checks++;
		if (l->width > max || l->width != width(l->text) ||
		    (i + 1 < ls.n && (n == 0 || l->text[n - 1] != ' ')) ||
		    l->text[0] == ' ') {
			test_failures++;
			fprintf(stderr, "line %d: line %zu '%s' w=%ld max "
			    "%ld\n", line, i, l->text, (long)l->width,
			    (long)max);
		}
		if (i + 1 == ls.n)
			break;
		/* This line and the next word. */
		buf_reset(&t);
		buf_puts(&t, l->text);
		sp = strchr(ls.lines[i + 1].text, ' ');
		buf_append(&t, ls.lines[i + 1].text, sp != NULL ?
		    (size_t)(sp - ls.lines[i + 1].text) :
		    strlen(ls.lines[i + 1].text));
		test_checks++;
		if (width(t.data) <= max) {
			test_failures++;
			fprintf(stderr, "line %d: '%s' would have fit\n", line,
			    t.data);
		}
	}
	text_lines_free(&ls);
	buf_free(&b);
	buf_free(&t);
}

static void
test_wrap_words(void)
{
	struct text_lines ls;
	struct buf b = { 0 };

	check_words("Softphone subscription, 12 months — Telegram @petras "
	    "(ID 2002)", 100000, 3, __LINE__);
	check_words("Sąskaita faktūra išrašyta pagal Lietuvos Respublikos "
	    "pridėtinės vertės mokesčio įstatymą, žr. 80 straipsnį.", 90000,
	    5, __LINE__);
	check_words("Счёт-фактура выставлен в соответствии со статьёй 169 "
	    "Налогового кодекса Российской Федерации.", 80000, 5, __LINE__);
	check_words("Το τιμολόγιο εκδόθηκε σύμφωνα με τον Κώδικα ΦΠΑ, "
	    "άρθρο 11, και εξοφλείται εντός τριάντα ημερών.", 70000, 5,
	    __LINE__);
	/* Two words that each fit exactly: the space does not count. */
	if (lay("abc bca", width("abc"), &ls, NULL) == 0) {
		CHECK_INT(ls.n, 2);
		CHECK(ls.n == 2 && strcmp(ls.lines[0].text, "abc ") == 0 &&
		    ls.lines[0].width == width("abc") &&
		    ls.lines[0].runs[0].nglyphs == 3);
		text_lines_free(&ls);
	}
	/* Everything fits: one line, trailing spaces kept in the text. */
	if (lay("fits  ", 1000000, &ls, NULL) == 0) {
		CHECK(ls.n == 1 && strcmp(ls.lines[0].text, "fits  ") == 0 &&
		    ls.lines[0].width == width("fits"));
		text_lines_free(&ls);
	}
	/* CJK breaks between ideographs: 10 pt each, 5 to a 50 pt line. */
	if (lay("発行日は二〇二四年一月一日です請求書番号", 50000, &ls,
	    NULL) == 0) {
		CHECK_INT(ls.n, 4);
		CHECK(ls.n == 4 && strcmp(ls.lines[0].text, "発行日は二") == 0
		    && strcmp(ls.lines[2].text, "月一日です") == 0 &&
		    strcmp(ls.lines[3].text, "請求書番号") == 0);
		CHECK(ls.n == 4 && ls.lines[0].width == 50000);
		rejoin(&ls, &b);
		CHECK_STR(b.data, "発行日は二〇二四年一月一日です請求書番号");
		text_lines_free(&ls);
	}
	buf_free(&b);
}

static void
test_wrap_long_words(void)
{
	struct text_lines ls;
	struct buf in = { 0 }, b = { 0 };
	int32_t max = 100000;
	size_t i, k;
	int ok = 1;

	/* A word wider than the line is cut between characters, each
	 * piece as long as fits. */
	if (lay("Supercalifragilisticexpialidocious", 40000, &ls, NULL) == 0) {
		CHECK(ls.n >= 3);
		rejoin(&ls, &b);
		CHECK_STR(b.data, "Supercalifragilisticexpialidocious");
		for (i = 0; i < ls.n; i++) {
			CHECK(ls.lines[i].width <= 40000);
			if (i + 1 < ls.n) {
				char t[64];

				snprintf(t, sizeof(t), "%s%c",
				    ls.lines[i].text, ls.lines[i + 1].text[0]);
				CHECK(width(t) > 40000);
			}
		}
		text_lines_free(&ls);
	}

	/* A piece exactly as wide as the line fits. */
	if (lay("Supercalifragilisticexpialidocious", width("Supercal"), &ls,
	    NULL) == 0) {
		CHECK(ls.n > 1 && strcmp(ls.lines[0].text, "Supercal") == 0);
		text_lines_free(&ls);
	}

	/* 10,000 characters without a space: many lines, nothing lost. */
	for (i = 0; i < 1000; i++)
		buf_puts(&in, "abcdefghij");
	if (lay(in.data, max, &ls, NULL) == 0) {
		CHECK(ls.n > 50);
		rejoin(&ls, &b);
		CHECK(b.len == 10000 && strcmp(b.data, in.data) == 0);
		for (i = 0; i < ls.n; i++)
			if (ls.lines[i].width > max ||
			    ls.lines[i].text[0] == '\0')
				ok = 0;
		CHECK(ok);
		text_lines_free(&ls);
	}

	/* Grapheme clusters stay whole: "é" as e + U+0301, 3000 of them. */
	buf_reset(&in);
	for (i = 0; i < 3000; i++)
		buf_puts(&in, "e\u0301");
	if (lay(in.data, 20000, &ls, NULL) == 0) {
		CHECK(ls.n > 10);
		rejoin(&ls, &b);
		CHECK(strcmp(b.data, in.data) == 0);
		for (ok = 1, i = 0; i < ls.n; i++)
			if (ls.lines[i].text[0] != 'e' ||
			    ls.lines[i].width > 20000)
				ok = 0;
		CHECK(ok);
		text_lines_free(&ls);
	}

	/* A lam-alef ligature is never cut: no line ends with the lam. */
	buf_reset(&in);
	for (i = 0; i < 200; i++)
		buf_puts(&in, "سلام");
	if (lay(in.data, 15000, &ls, NULL) == 0) {
		CHECK(ls.n > 10);
		rejoin(&ls, &b);
		CHECK(strcmp(b.data, in.data) == 0);
		for (ok = 1, i = 0; i < ls.n; i++) {
			k = strlen(ls.lines[i].text);
			if (ls.lines[i].width > 15000 || !ls.lines[i].rtl ||
			    (k >= 2 && strcmp(ls.lines[i].text + k - 2,
			    "ل") == 0))
				ok = 0;
		}
		CHECK(ok);
		text_lines_free(&ls);
	}

	/* Even one cluster per line keeps lam and alef together. */
	if (lay("سلام", 1, &ls, NULL) == 0) {
		CHECK_INT(ls.n, 3);
		CHECK(ls.n == 3 && strcmp(ls.lines[0].text, "س") == 0 &&
		    strcmp(ls.lines[1].text, "لا") == 0 &&
		    ls.lines[1].nruns == 1 &&
		    ls.lines[1].runs[0].nglyphs == 1 &&
		    ls.lines[1].runs[0].glyphs[0].ncp == 2);
		text_lines_free(&ls);
	}

	/* One character wider than the line still gets drawn, one per
	 * line (the only overflow). */
	if (lay("WWW", 1000, &ls, NULL) == 0) {
		CHECK_INT(ls.n, 3);
		for (i = 0; i < ls.n; i++)
			CHECK(strcmp(ls.lines[i].text, "W") == 0 &&
			    ls.lines[i].width > 1000);
		text_lines_free(&ls);
	}
	buf_free(&in);
	buf_free(&b);
}

static void
test_newlines_and_empty(void)
{
	struct text_lines ls;
	struct gen_err err = { 0 };
	struct buf b = { 0 };

	/* Empty text: zero lines. */
	if (lay("", 0, &ls, NULL) == 0) {
		CHECK(ls.n == 0 && ls.lines == NULL);
		text_lines_free(&ls);
	}
	CHECK_INT(text_layout(fs, TEXT_REGULAR, NULL, 0, SIZE, 0, &ls, NULL,
	    &err), GEN_OK);
	CHECK_INT(ls.n, 0);
	text_lines_free(&ls);
	text_lines_free(NULL);

	/* '\n' forces a break even with room to spare; an empty paragraph
	 * is an empty line; a final '\n' adds no line. */
	if (lay("Name\nStreet 1\n\nCity\n", 1000000, &ls, NULL) == 0) {
		CHECK_INT(ls.n, 4);
		CHECK(ls.n == 4 && strcmp(ls.lines[1].text, "Street 1") == 0 &&
		    ls.lines[2].text[0] == '\0' && ls.lines[2].nruns == 0 &&
		    ls.lines[2].width == 0 && ls.lines[3].newline == 1);
		rejoin(&ls, &b);
		CHECK_STR(b.data, "Name\nStreet 1\n\nCity\n");
		text_lines_free(&ls);
	}
	/* Only the last line of a wrapped paragraph ends with the '\n'. */
	if (lay("abc bca\nccc", width("abc"), &ls, NULL) == 0) {
		CHECK_INT(ls.n, 3);
		CHECK(ls.n == 3 && !ls.lines[0].newline &&
		    ls.lines[1].newline && !ls.lines[2].newline);
		rejoin(&ls, &b);
		CHECK_STR(b.data, "abc bca\nccc");
		text_lines_free(&ls);
	}
	if (lay("\n", 0, &ls, NULL) == 0) {
		CHECK(ls.n == 1 && ls.lines[0].newline &&
		    ls.lines[0].nruns == 0);
		text_lines_free(&ls);
	}
	/* "\r\n" is one break; U+2029 and U+0085 break too. */
	if (lay("a\r\nb\u2029c\xc2\x85" "d", 0, &ls, NULL) == 0) {
		CHECK_INT(ls.n, 4);
		CHECK(ls.n == 4 && strcmp(ls.lines[1].text, "b") == 0 &&
		    strcmp(ls.lines[3].text, "d") == 0 &&
		    !ls.lines[3].newline);
		text_lines_free(&ls);
	}
	/* Spaces only: one line, nothing drawn. */
	if (lay("   ", 0, &ls, NULL) == 0) {
		CHECK(ls.n == 1 && ls.lines[0].nruns == 0 &&
		    ls.lines[0].width == 0 &&
		    strcmp(ls.lines[0].text, "   ") == 0);
		text_lines_free(&ls);
	}
	buf_free(&b);
}

static void
test_invalid_utf8(void)
{
	static const char bad[] = "a\xff" "b\xe2\x82" "c";
	struct text_lines ls;
	struct text_warnings w = { 0 };
	struct gen_err err = { 0 };
	uint16_t repl = ttf_glyph(fontset_face(fs, 0), 0xFFFD);

	CHECK_INT(text_layout(fs, TEXT_REGULAR, bad, sizeof(bad) - 1, SIZE,
	    0, &ls, &w, &err), GEN_OK);
	CHECK(ls.n == 1 && strcmp(ls.lines[0].text, "a\uFFFDb\uFFFDc") == 0);
	CHECK(ls.n == 1 && ls.lines[0].nruns == 1 &&
	    ls.lines[0].runs[0].nglyphs == 5 &&
	    ls.lines[0].runs[0].glyphs[1].gid == repl &&
	    ls.lines[0].runs[0].glyphs[1].cp[0] == 0xFFFD &&
	    ls.lines[0].runs[0].glyphs[3].gid == repl);
	/* Not a missing character: no warning. */
	CHECK_INT(w.n, 0);
	text_lines_free(&ls);
	/* An ill-formed '\n'-like byte does not break: 0x8A alone. */
	CHECK_INT(text_layout(fs, TEXT_REGULAR, "a\x8a" "b", 3, SIZE, 0, &ls,
	    &w, &err), GEN_OK);
	CHECK_INT(ls.n, 1);
	text_lines_free(&ls);
	text_warnings_free(&w);
}

static void
test_refused(void)
{
	struct text_lines ls;
	struct gen_err err = { 0 };
	int32_t w = 7;
	char *big;

	CHECK_INT(text_layout(fs, (enum text_style)7, "a", 1, SIZE, 0, &ls,
	    NULL, &err), GEN_EINPUT);
	CHECK_MSG(err, "style: 7 unknown");
	CHECK(ls.n == 0 && ls.lines == NULL);
	CHECK_INT(text_layout(fs, TEXT_REGULAR, "a", 1, 0, 0, &ls, NULL,
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "size: 0 millipoints");
	CHECK_MSG(err, "allowed 1..1000000");
	CHECK_INT(text_layout(fs, TEXT_REGULAR, "a", 1, 1000001, 0, &ls,
	    NULL, &err), GEN_EINPUT);
	CHECK_INT(text_layout(fs, TEXT_REGULAR, "a", 1, 1000000, 0, &ls,
	    NULL, &err), GEN_OK);
	text_lines_free(&ls);
	CHECK_INT(text_layout(fs, TEXT_REGULAR, "a", 1, SIZE, -1, &ls, NULL,
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "max_width: -1 is negative");
	CHECK_INT(text_layout(fs, TEXT_REGULAR, NULL, 2, SIZE, 0, &ls, NULL,
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "text: NULL with length 2");
	CHECK_INT(text_layout(NULL, TEXT_REGULAR, "a", 1, SIZE, 0, &ls, NULL,
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "fontset: NULL");
	CHECK_INT(text_width(fs, TEXT_REGULAR, "a", 1, -5, &w, &err),
	    GEN_EINPUT);
	CHECK_INT(w, 0);

	big = xmalloc(1024 * 1024 + 1);
	memset(big, 'x', 1024 * 1024 + 1);
	CHECK_INT(text_layout(fs, TEXT_REGULAR, big, 1024 * 1024 + 1, SIZE,
	    0, &ls, NULL, &err), GEN_EINPUT);
	CHECK_MSG(err, "allowed up to 1048576");
	/* A line too wide for int32_t millipoints. */
	CHECK_INT(text_layout(fs, TEXT_REGULAR, big, 1024 * 1024, 1000000, 0,
	    &ls, NULL, &err), GEN_EINPUT);
	CHECK_MSG(err, "allowed up to 2147483647");
	CHECK(ls.n == 0 && ls.lines == NULL);
	free(big);
}

/* ---- bidi ---- */

/* Lay out s and compare line i with want (see describe()). */
static void
check_visual(const char *s, int32_t max, size_t i, int rtl,
    const char *want, int line)
{
	struct text_lines ls;
	struct buf b = { 0 };

	if (lay(s, max, &ls, NULL) != 0) {
		CHECK(0);
		return;
	}
	test_checks++;
	if (i >= ls.n) {
		test_failures++;
		fprintf(stderr, "line %d: no line %zu\n", line, i);
	} else {
		describe(&ls.lines[i], &b);
		if (strcmp(b.data, want) != 0 || ls.lines[i].rtl != rtl) {
			test_failures++;
			fprintf(stderr, "line %d: line %zu is\n  %s (rtl=%d), "
			    "want\n  %s (rtl=%d)\n", line, i, b.data,
			    ls.lines[i].rtl, want, rtl);
		}
	}
	text_lines_free(&ls);
	buf_free(&b);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Combining marks of the scripts used below. */
static int
is_mark(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36F) || (c >= 0x591 && c <= 0x5C7) ||
	    (c >= 0x64B && c <= 0x65F) || c == 0x670;
}

/*
 * The glyphs of each line stand for exactly the characters of its text
 * (without the spaces at its end): compare the sorted code points.  In a
 * right-to-left run, the glyphs in reverse order (a mark staying after
 * its base) spell the run's logical text.
 */
static void
check_mapping(const char *s, int32_t max, int line)
{
	struct text_lines ls;
	uint32_t want[512], got[512];
	size_t i, r, g, nw, ng, k, b, e;
	struct buf t = { 0 };

	if (lay(s, max, &ls, NULL) != 0) {
		CHECK(0);
		return;
	}
	for (i = 0; i < ls.n; i++) {
		const struct text_line *l = &ls.lines[i];

		nw = decode(l->text, want, N(want));
		while (nw > 0 && want[nw - 1] == ' ')
			nw--;
		for (ng = 0, r = 0; r < l->nruns; r++) {
			const struct text_run *run = &l->runs[r];

			for (g = 0; g < run->nglyphs; g++)
				for (k = 0; k < run->glyphs[g].ncp; k++)
					if (ng < N(got))
						got[ng++] =
						    run->glyphs[g].cp[k];
			test_checks++;
			if (run->rtl != (run->logical != NULL)) {
				test_failures++;
				fprintf(stderr, "line %d: run %zu logical\n",
				    line, r);
			}
			if (!run->rtl || run->logical == NULL)
				continue;
			/* Clusters from the visual end: base, marks. */
			buf_reset(&t);
			buf_puts(&t, "");
			for (e = run->nglyphs; e > 0; e = b) {
				b = e - 1;
				while (b > 0 &&
				    is_mark(run->glyphs[b].cp[0]))
					b--;
				for (g = b; g < e; g++)
					for (k = 0; k < run->glyphs[g].ncp;
					    k++)
						put_utf8(&t,
						    run->glyphs[g].cp[k]);
			}
			test_checks++;
			if (strcmp(t.data, run->logical) != 0) {
				test_failures++;
				fprintf(stderr, "line %d: run reversed '%s', "
				    "logical '%s'\n", line, t.data,
				    run->logical);
			}
		}
		qsort(want, nw, sizeof(*want), cmp_u32);
		qsort(got, ng, sizeof(*got), cmp_u32);
		test_checks++;
		if (nw != ng || memcmp(want, got, nw * sizeof(*want)) != 0) {
			test_failures++;
			fprintf(stderr, "line %d: line %zu '%s': glyphs stand "
			    "for %zu characters, want %zu\n", line, i,
			    l->text, ng, nw);
		}
	}
	text_lines_free(&ls);
	buf_free(&t);
}

static void
test_bidi(void)
{
	static const char inv[] = "Invoice for محمد علي (ID 42)";
	int arabic = face_named("NotoSansArabic-Regular.ttf");
	const struct ttf *af = fontset_face(fs, arabic);
	const struct ttf *latin = fontset_face(fs, 0);
	struct text_lines ls;
	char buf[128];
	int32_t max;

	/* LTR paragraph; the Arabic name right to left in the middle, its
	 * space (NotoSans has it first) a run of its own. */
	check_visual(inv, 0, 0, 0, "NotoSans-Regular L 'Invoice for ' | "
	    "NotoSansArabic-Regular R 'يلع' | NotoSans-Regular R ' ' | "
	    "NotoSansArabic-Regular R 'دمحم' | "
	    "NotoSans-Regular L ' (ID 42)'", __LINE__);
	check_mapping(inv, 0, __LINE__);
	/* Presentation forms drawn, base letters mapped: yeh final
	 * U+FEF2 stands for U+064A, meem initial U+FEE3 for U+0645. */
	if (lay(inv, 0, &ls, NULL) == 0) {
		const struct text_line *l = &ls.lines[0];

		CHECK(l->nruns == 5 && l->runs[1].nglyphs == 3 &&
		    l->runs[1].glyphs[0].gid == ttf_glyph(af, 0xFEF2) &&
		    l->runs[1].glyphs[0].cp[0] == 0x064A &&
		    l->runs[1].glyphs[0].ncp == 1);
		CHECK(l->nruns == 5 && l->runs[3].nglyphs == 4 &&
		    l->runs[3].glyphs[3].gid == ttf_glyph(af, 0xFEE3) &&
		    l->runs[3].glyphs[3].cp[0] == 0x0645);
		CHECK(l->nruns == 5 && l->runs[1].logical != NULL &&
		    strcmp(l->runs[1].logical, "علي") == 0 &&
		    strcmp(l->runs[3].logical, "محمد") == 0 &&
		    l->runs[0].logical == NULL);
		CHECK(l->nruns == 5 && l->width == l->runs[0].width +
		    l->runs[1].width + l->runs[2].width + l->runs[3].width +
		    l->runs[4].width);
		text_lines_free(&ls);
	}

	/* Wrapped: each line is ordered on its own, Arabic still RTL. */
	max = width("محمد علي (ID");
	check_visual(inv, max, 0, 0, "NotoSans-Regular L 'Invoice for'",
	    __LINE__);
	check_visual(inv, max, 1, 0, "NotoSansArabic-Regular R 'يلع' | "
	    "NotoSans-Regular R ' ' | NotoSansArabic-Regular R 'دمحم' | "
	    "NotoSans-Regular L ' (ID'", __LINE__);
	check_visual(inv, max, 2, 0, "NotoSans-Regular L '42)'", __LINE__);
	check_mapping(inv, max, __LINE__);

	/* RTL paragraph (first strong letter Hebrew): digits left to right
	 * at the left end. */
	check_visual("שלום עולם 123", 0, 0, 1, "NotoSans-Regular L '123' | "
	    "NotoSans-Regular R ' ' | NotoSansHebrew-Regular R 'םלוע' | "
	    "NotoSans-Regular R ' ' | NotoSansHebrew-Regular R 'םולש'",
	    __LINE__);
	/* Hebrew and Arabic in one RTL stretch of an LTR paragraph. */
	check_visual("abc שלום مرحبا xyz", 0, 0, 0,
	    "NotoSans-Regular L 'abc ' | NotoSansArabic-Regular R 'ابحرم' | "
	    "NotoSans-Regular R ' ' | NotoSansHebrew-Regular R 'םולש' | "
	    "NotoSans-Regular L ' xyz'", __LINE__);
	check_mapping("abc שלום مرحبا xyz", 0, __LINE__);
	/* An RTL paragraph with Latin inside and a lam-alef ligature. */
	check_visual("سلام عليكم Petras!", 0, 0, 1,
	    "NotoSans-Regular R '!' | NotoSans-Regular L 'Petras' | "
	    "NotoSans-Regular R ' ' | NotoSansArabic-Regular R 'مكيلع' | "
	    "NotoSans-Regular R ' ' | NotoSansArabic-Regular R 'ملاس'",
	    __LINE__);
	check_mapping("سلام عليكم Petras!", 0, __LINE__);
	if (lay("سلام", 0, &ls, NULL) == 0) {
		const struct text_run *r = &ls.lines[0].runs[0];

		/* meem isolated, lam-alef final (two characters), seen
		 * initial. */
		CHECK(ls.lines[0].nruns == 1 && r->nglyphs == 3 &&
		    r->glyphs[1].gid == ttf_glyph(af, 0xFEFC) &&
		    r->glyphs[1].ncp == 2 && r->glyphs[1].cp[0] == 0x0644 &&
		    r->glyphs[1].cp[1] == 0x0627 &&
		    r->glyphs[2].gid == ttf_glyph(af, 0xFEB3));
		text_lines_free(&ls);
	}
	/* Lam, fatha, alef: the ligature stands for lam and alef, the
	 * fatha keeps its own glyph after it. */
	if (lay("لَا", 0, &ls, NULL) == 0) {
		const struct text_run *r = &ls.lines[0].runs[0];

		CHECK(ls.lines[0].nruns == 1 && r->nglyphs == 2 &&
		    r->glyphs[0].ncp == 2 && r->glyphs[0].cp[1] == 0x0627 &&
		    r->glyphs[1].ncp == 1 && r->glyphs[1].cp[0] == 0x064E &&
		    r->glyphs[1].gid == ttf_glyph(af, 0x064E) &&
		    strcmp(r->logical, "لَا") == 0);
		text_lines_free(&ls);
	}
	/* Mirroring: the logical ')' is drawn first, with the '(' glyph. */
	if (lay("(שלום)", 0, &ls, NULL) == 0) {
		const struct text_line *l = &ls.lines[0];

		CHECK(l->rtl && l->nruns == 3 && l->runs[0].rtl &&
		    l->runs[0].glyphs[0].cp[0] == ')' &&
		    l->runs[0].glyphs[0].gid == ttf_glyph(latin, '(') &&
		    l->runs[2].glyphs[0].cp[0] == '(' &&
		    l->runs[2].glyphs[0].gid == ttf_glyph(latin, ')'));
		text_lines_free(&ls);
	}

	/* A wrapped RTL paragraph: every line RTL, the first word of
	 * each line rightmost. */
	snprintf(buf, sizeof(buf), "%s", "אחת שתיים שלוש ארבע");
	max = width("אחת שתיים");
	check_visual(buf, max, 0, 1, "NotoSansHebrew-Regular R 'םייתש' | "
	    "NotoSans-Regular R ' ' | NotoSansHebrew-Regular R 'תחא'",
	    __LINE__);
	check_visual(buf, max, 1, 1, "NotoSansHebrew-Regular R 'עברא' | "
	    "NotoSans-Regular R ' ' | NotoSansHebrew-Regular R 'שולש'",
	    __LINE__);
	check_mapping(buf, max, __LINE__);
	check_mapping("Sąskaita Nr. 7: שלום (ID 42), مرحبا بكم 2024", 60000,
	    __LINE__);
	/* Marks in right-to-left runs: fatha, hiriq. */
	check_mapping("بَب שִׁיר سلام", 0, __LINE__);
}

/* ---- drawing ---- */

static void
test_draw(void)
{
	struct canvas *c = canvas_new();
	struct canvas_page *p = canvas_add_page(c, 595000, 842000);
	struct canvas_color red = { 200, 0, 0 };
	struct text_lines ls;
	int32_t x = 10000;
	size_t i;

	if (lay("Invoice for محمد علي (ID 42)", 0, &ls, NULL) != 0) {
		CHECK(0);
		canvas_free(c);
		return;
	}
	text_draw_line(p, &ls.lines[0], SIZE, x, 20000, red);
	CHECK_INT(p->nops, ls.lines[0].nruns);
	for (i = 0; i < p->nops && i < ls.lines[0].nruns; i++) {
		const struct canvas_text *t = &p->ops[i].u.text;
		const struct text_run *r = &ls.lines[0].runs[i];

		CHECK(p->ops[i].kind == CANVAS_TEXT && t->x == x &&
		    t->y == 20000 && t->font == r->face && t->size == SIZE &&
		    t->nglyphs == r->nglyphs && t->color.r == 200 &&
		    memcmp(t->glyphs, r->glyphs, r->nglyphs *
		    sizeof(*r->glyphs)) == 0);
		CHECK(r->logical == NULL ? t->actual_text == NULL :
		    t->actual_text != NULL &&
		    strcmp(t->actual_text, r->logical) == 0);
		x += r->width;
	}
	CHECK_INT(x, 10000 + ls.lines[0].width);
	text_lines_free(&ls);
	canvas_free(c);
}

/* ---- the HarfBuzz engine (layout version 2) ---- */

static const struct fontset *hbfs;

/* Lay out s with the HarfBuzz fontset; 0 on success. */
static int
hblay(const char *s, enum text_style st, int32_t max, int flags,
    struct text_lines *ls)
{
	struct gen_err err = { 0 };

	if (text_layout_opts(hbfs, st, s, strlen(s), SIZE, max, flags, ls,
	    NULL, &err) != GEN_OK) {
		fprintf(stderr, "text_layout_opts(\"%s\"): %s\n", s, err.msg);
		return -1;
	}
	return 0;
}

/* Face id of a file name in the HarfBuzz fontset. */
static int
hbface(const char *name)
{
	for (size_t i = 0; i < fontset_count(hbfs); i++)
		if (strcmp(fontset_face_name(hbfs, (int)i), name) == 0)
			return (int)i;
	return -1;
}

/* Width of s in the HarfBuzz fontset at SIZE. */
static int32_t
text_width_of(const char *s, enum text_style st)
{
	struct gen_err err = { 0 };
	int32_t w = -1;

	if (text_width(hbfs, st, s, strlen(s), SIZE, &w, &err) != GEN_OK)
		fprintf(stderr, "text_width(\"%s\"): %s\n", s, err.msg);
	return w;
}

/* Sum of the 'hmtx' advances of a run's glyphs at SIZE (no kerning). */
static int64_t
hmtx_width(const struct text_run *r)
{
	const struct ttf *f = fontset_face(hbfs, r->face);
	int64_t upem = ttf_metrics(f)->units_per_em, w = 0;

	for (size_t i = 0; i < r->nglyphs; i++)
		w += ((int64_t)ttf_advance(f, r->glyphs[i].gid) * SIZE +
		    upem / 2) / upem;
	return w;
}

static void
test_harfbuzz(void)
{
	struct gen_err err = { 0 };
	struct text_lines ls;
	struct text_warnings miss = { 0 };
	int32_t w;

	CHECK_INT(fontset_get(font_dir, &hbfs, &err), GEN_OK);
	if (hbfs == NULL)
		return;
	CHECK_INT(fontset_engine(hbfs), TEXT_ENGINE_HARFBUZZ);
	CHECK(hbfs != fs);
	/* 16 scripts: 27 faces, Droid Sans Fallback in both styles. */
	CHECK_INT(fontset_count(hbfs), 27);

	/* Kerning: "AVATAR" is narrower than its glyphs' advances, and the
	 * run is positioned. */
	if (hblay("AVATAR", TEXT_REGULAR, 0, 0, &ls) == 0) {
		CHECK_INT(ls.n, 1);
		CHECK_INT(ls.lines[0].nruns, 1);
		CHECK(ls.lines[0].runs[0].flags & CANVAS_TEXT_POSITIONED);
		CHECK(ls.lines[0].width < hmtx_width(&ls.lines[0].runs[0]));
		CHECK(ls.lines[0].runs[0].logical == NULL);
		text_lines_free(&ls);
	}

	/* Devanagari: a conjunct is fewer glyphs than characters, in the
	 * Devanagari face, and the word is a span with its text. */
	if (hblay("क्षमा", TEXT_REGULAR, 0, 0, &ls) == 0) {
		const struct text_run *r = &ls.lines[0].runs[0];

		CHECK_INT(ls.lines[0].nruns, 1);
		CHECK_INT(r->face, hbface("NotoSansDevanagari-Regular.ttf"));
		CHECK(r->nglyphs < 5);
		CHECK(r->flags & CANVAS_TEXT_SPAN);
		CHECK_STR(r->logical, "क्षमा");
		text_lines_free(&ls);
	}
	/* Two Hindi words: two spans and the space between them. */
	if (hblay("नमस्ते दुनिया", TEXT_REGULAR, 0, 0, &ls) == 0) {
		CHECK_INT(ls.lines[0].nruns, 3);
		CHECK_STR(ls.lines[0].runs[0].logical, "नमस्ते");
		CHECK(!(ls.lines[0].runs[1].flags & CANVAS_TEXT_SPAN));
		CHECK_STR(ls.lines[0].runs[2].logical, "दुनिया");
		text_lines_free(&ls);
	}
	/* Thai: one run, a mark placed on its base (an offset). */
	if (hblay("ใจดี", TEXT_REGULAR, 0, 0, &ls) == 0) {
		const struct text_run *r = &ls.lines[0].runs[0];
		int raised = 0;

		CHECK_INT(r->face, hbface("NotoSansThai-Regular.ttf"));
		for (size_t i = 0; i < r->nglyphs; i++)
			raised |= r->glyphs[i].dy != 0 || r->glyphs[i].dx != 0;
		CHECK(raised || r->nglyphs == 4);
		text_lines_free(&ls);
	}
	/* Arabic: one right-to-left run, joined forms (the first letter's
	 * glyph is not its isolated one), no presentation forms in the
	 * text it stands for. */
	if (hblay("محمد", TEXT_REGULAR, 0, 0, &ls) == 0) {
		const struct text_run *r = &ls.lines[0].runs[0];
		const struct ttf *f = fontset_face(hbfs, r->face);

		CHECK(r->rtl && ls.lines[0].rtl);
		CHECK_INT(r->nglyphs, 4);
		CHECK(r->glyphs[r->nglyphs - 1].gid != ttf_glyph(f, 0x0645));
		CHECK_INT(r->glyphs[r->nglyphs - 1].cp[0], 0x0645);
		CHECK_STR(r->logical, "محمد");
		text_lines_free(&ls);
	}
	/* Chinese in bold: Droid Sans Fallback, emboldened; regular not. */
	if (hblay("王芳", TEXT_BOLD, 0, 0, &ls) == 0) {
		CHECK_INT(ls.lines[0].runs[0].face,
		    hbface("DroidSansFallbackFull.ttf"));
		CHECK(ls.lines[0].runs[0].flags & CANVAS_TEXT_EMBOLDEN);
		text_lines_free(&ls);
	}
	if (hblay("王芳", TEXT_REGULAR, 0, 0, &ls) == 0) {
		CHECK(!(ls.lines[0].runs[0].flags & CANVAS_TEXT_EMBOLDEN));
		text_lines_free(&ls);
	}
	if (hblay("Latin", TEXT_BOLD, 0, 0, &ls) == 0) {
		CHECK(!(ls.lines[0].runs[0].flags & CANVAS_TEXT_EMBOLDEN));
		text_lines_free(&ls);
	}

	/* A word wider than the line: cut between characters, or with
	 * TEXT_NO_CUT kept whole on a line of its own. */
	w = 40000;
	if (hblay("Telekommunikationsgesellschaft mbH", TEXT_REGULAR, w, 0,
	    &ls) == 0) {
		CHECK(ls.n >= 3);
		CHECK(ls.lines[0].width <= w);
		text_lines_free(&ls);
	}
	if (hblay("Telekommunikationsgesellschaft mbH", TEXT_REGULAR, w,
	    TEXT_NO_CUT, &ls) == 0) {
		CHECK_INT(ls.n, 2);
		CHECK_STR(ls.lines[0].text, "Telekommunikationsgesellschaft ");
		CHECK(ls.lines[0].width > w);
		text_lines_free(&ls);
	}

	/* Balanced lines: "Unit price excl. VAT" in a width where greedy
	 * breaking leaves "VAT" alone. */
	w = text_width_of("Unit price excl.", TEXT_BOLD) + 500;
	if (hblay("Unit price excl. VAT", TEXT_BOLD, w, 0, &ls) == 0) {
		CHECK_INT(ls.n, 2);
		CHECK_STR(ls.lines[1].text, "VAT");
		text_lines_free(&ls);
	}
	if (hblay("Unit price excl. VAT", TEXT_BOLD, w, TEXT_BALANCE,
	    &ls) == 0) {
		CHECK_INT(ls.n, 2);
		CHECK_STR(ls.lines[0].text, "Unit price ");
		CHECK_STR(ls.lines[1].text, "excl. VAT");
		text_lines_free(&ls);
	}

	/* What no face has: hieroglyphs and CJK Extension B, each once;
	 * joiners and the paragraph separator are never missing. */
	{
		static const char t[] = "a\xf0\x93\x80\x80 b \xf0\xa0\x80"
		    "\x80\xf0\x93\x80\x80\xe2\x80\x8d\n";

		CHECK_INT(fontset_missing(hbfs, t, sizeof(t) - 1, &miss,
		    &err), GEN_OK);
	}
	CHECK_INT(miss.n, 2);
	if (miss.n == 2) {
		CHECK_INT(miss.missing[0], 0x13000);
		CHECK_INT(miss.missing[1], 0x20000);
	}
	text_warnings_free(&miss);
	CHECK_INT(fontset_missing(hbfs, "Žydrūnas 山田 김민준 ნინო",
	    strlen("Žydrūnas 山田 김민준 ნინო"), &miss, &err), GEN_OK);
	CHECK_INT(miss.n, 0);
	CHECK_INT(fontset_missing(hbfs, "a\xff", 2, &miss, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "not valid UTF-8");
	text_warnings_free(&miss);
}

/* ---- threads ---- */

static const char *const thread_texts[] = {
	"Softphone subscription, 12 months — Telegram @petras (ID 2002)",
	"Invoice for محمد علي (ID 42)",
	"שלום עולם 123 — سلام عليكم",
	"Sąskaita faktūra Nr. 17\nСчёт-фактура\nΤιμολόγιο\n発行日は二〇二四年",
	"a\uE000b\U0010FFFD e\u0301\u200B\ttab",
};
static const int32_t thread_widths[] = { 0, 30000, 80000 };

/* All layouts of thread_texts at thread_widths, in one string. */
static void
layout_all(const struct fontset *set, struct buf *out, int *failed)
{
	struct text_lines ls;
	struct text_warnings w = { 0 };
	struct gen_err err = { 0 };
	size_t i, k;

	for (i = 0; i < N(thread_texts); i++)
		for (k = 0; k < N(thread_widths); k++) {
			if (text_layout(set, i % 2 ? TEXT_BOLD : TEXT_REGULAR,
			    thread_texts[i], strlen(thread_texts[i]), SIZE,
			    thread_widths[k], &ls, &w, &err) != GEN_OK) {
				(*failed)++;
				continue;
			}
			dump(&ls, out);
			text_lines_free(&ls);
		}
	for (i = 0; i < w.n; i++)
		buf_printf(out, "missing %X\n", (unsigned)w.missing[i]);
	text_warnings_free(&w);
}

struct worker {
	const char *want;
	const struct fontset *set;
	pthread_barrier_t *bar;
	int mismatches, failed;
};

static void *
work(void *arg)
{
	struct worker *wk = arg;
	struct buf b = { 0 };
	int i;

	pthread_barrier_wait(wk->bar);
	for (i = 0; i < 20; i++) {
		buf_reset(&b);
		layout_all(wk->set, &b, &wk->failed);
		if (b.len == 0 || strcmp(b.data, wk->want) != 0)
			wk->mismatches++;
	}
	buf_free(&b);
	return NULL;
}

/*
 * Four threads lay out the same texts at once on a fontset that has only
 * its first faces open, so they race to open the fallback faces: each
 * face is opened once (ASan reports a leaked second one) and every
 * layout equals the single-threaded one.
 */
static void
test_threads(void)
{
	struct buf want = { 0 };
	struct worker wk[4];
	struct gen_err err = { 0 };
	const struct fontset *fresh = NULL;
	pthread_barrier_t bar;
	char key[4200];
	pthread_t t[4];
	int failed = 0;
	size_t i;

	layout_all(fs, &want, &failed);
	CHECK_INT(failed, 0);
	CHECK(want.len > 1000);
	/* the same fonts under another cache key: a new fontset */
	snprintf(key, sizeof(key), "%s/.", font_dir);
	CHECK_INT(fontset_get_list(key, "v1.txt", TEXT_ENGINE_ICU, &fresh,
	    &err), GEN_OK);
	CHECK(fresh != NULL && fresh != fs && fontset_face(fresh,
	    face_named("DroidSansFallbackFull.ttf")) == NULL);
	if (fresh == NULL)
		return;
	pthread_barrier_init(&bar, NULL, 4);
	for (i = 0; i < 4; i++) {
		wk[i].want = want.data;
		wk[i].set = fresh;
		wk[i].bar = &bar;
		wk[i].mismatches = wk[i].failed = 0;
		CHECK(pthread_create(&t[i], NULL, work, &wk[i]) == 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK_INT(wk[i].mismatches, 0);
		CHECK_INT(wk[i].failed, 0);
	}
	pthread_barrier_destroy(&bar);
	CHECK(fontset_face(fresh, face_named("DroidSansFallbackFull.ttf")) !=
	    NULL);
	buf_free(&want);
}

/* ---- timings (INVGEN_TEXT_BENCH=1) ---- */

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void
bench(void)
{
	static const char line[] = "Softphone subscription, 12 months — "
	    "Telegram @petras (ID 2002)";
	struct text_lines ls;
	struct gen_err err = { 0 };
	struct buf sixty = { 0 };
	double t0, t1;
	int i, n = 20000;

	t0 = now_us();
	for (i = 0; i < n; i++) {
		text_layout(fs, TEXT_REGULAR, line, sizeof(line) - 1, 9000, 0,
		    &ls, NULL, &err);
		text_lines_free(&ls);
	}
	t1 = now_us();
	printf("bench: invoice line, no wrap: %.2f us\n", (t1 - t0) / n);
	t0 = now_us();
	for (i = 0; i < n; i++) {
		text_layout(fs, TEXT_REGULAR, line, sizeof(line) - 1, 9000,
		    120000, &ls, NULL, &err);
		text_lines_free(&ls);
	}
	t1 = now_us();
	printf("bench: invoice line, wrapped at 120 pt: %.2f us\n",
	    (t1 - t0) / n);
	for (i = 0; i < 60; i++)
		buf_printf(&sixty, "%s%s #%d", i ? "\n" : "", line, i);
	t0 = now_us();
	for (i = 0; i < 500; i++) {
		text_layout(fs, TEXT_REGULAR, sixty.data, sixty.len, 9000,
		    120000, &ls, NULL, &err);
		text_lines_free(&ls);
	}
	t1 = now_us();
	printf("bench: 60 lines in one call, wrapped at 120 pt: %.1f us\n",
	    (t1 - t0) / 500);
	buf_free(&sixty);
}

int
main(void)
{
	const char *env = getenv("INVGEN_TEST_FONT_DIR");

	font_dir = env != NULL && *env != '\0' ? env : "fonts";
	test_first_use_concurrent();
	if (fs == NULL) {
		fprintf(stderr, "no fontset in %s (set INVGEN_TEST_FONT_DIR)\n",
		    font_dir);
		return test_report();
	}
	test_fontset();
	test_fontset_errors();
	test_fallback();
	test_missing();
	test_widths();
	test_wrap_words();
	test_wrap_long_words();
	test_newlines_and_empty();
	test_invalid_utf8();
	test_refused();
	test_bidi();
	test_draw();
	test_harfbuzz();
	test_threads();
	if (getenv("INVGEN_TEXT_BENCH") != NULL)
		bench();
	return test_report();
}
