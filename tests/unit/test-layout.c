/*
 * test-layout.c - the layout engine (gen/layout/layout.c) with the shipped
 * templates and hand-built documents (docfixture.h):
 *
 *   - invariants on every page of every sample: each glyph's ink (its
 *     TrueType bounding box, placed where the canvas puts it) lies inside
 *     the page margins, and no two text runs overlap;
 *   - pagination: a 60-line invoice spans several pages with the table
 *     header and the running header repeated and "Puslapis N iš M" on
 *     every page; a 10,000-character name wraps, breaks across pages and
 *     loses no character; keep="together" moves a block whole;
 *   - right-to-left paragraphs are set flush right;
 *   - layout errors name the template file and line;
 *   - payment orders (templates/transfer-order.xml) in EUR and USD, one-
 *     and two-language: one page, the QR op is payment.qr's symbol with
 *     the module size the <qr> size gives, inside the margins, nothing
 *     over it or its quiet zone; <qr> alignment, white square, errors;
 *   - the same input gives the same canvas, and golden canvas dumps
 *     (tests/golden/layout/NAME.txt; INVGEN_REGEN_GOLDEN=1 rewrites them).
 *
 * Run from the top of the repository (templates/, fonts/, locales/ and
 * tests/golden/ are read from there).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docfixture.h"
#include "layout.h"
#include "qr.h"
#include "testlib.h"
#include "testtools.h"

static const struct fontset *fs;
static char dir[64];

/* ---- looking at a canvas ------------------------------------------------ */

struct box {
	int64_t x0, y0, x1, y1;		/* millipoints, canvas coordinates */
};

static int16_t
be16(const uint8_t *p)
{
	return (int16_t)((p[0] << 8) | p[1]);
}

/* The advance of glyph k of a run: the shaper's in a positioned run
 * (layout version 2), else the font's, rounded as text.h says. */
static int64_t
glyph_adv(const struct canvas_text *t, size_t k)
{
	const struct ttf *f = fontset_face(fs, t->font);
	int64_t upem = ttf_metrics(f)->units_per_em;

	if (t->flags & CANVAS_TEXT_POSITIONED)
		return t->glyphs[k].adv;
	return ((int64_t)ttf_advance(f, t->glyphs[k].gid) * t->size +
	    upem / 2) / upem;
}

/*
 * The ink box of a text run: the union of its glyphs' 'glyf' bounding
 * boxes, each at its pen position (advances rounded as text.h says; in a
 * positioned run the shaper's, with each glyph's offset).
 * Returns 0 when the run has no ink (spaces only).
 */
static int
run_ink(const struct canvas_text *t, struct box *b)
{
	const struct ttf *f = fontset_face(fs, t->font);
	int64_t upem = ttf_metrics(f)->units_per_em, pen = t->x;
	int any = 0;

	for (size_t k = 0; k < t->nglyphs; k++) {
		const uint8_t *g;
		size_t len;
		struct gen_err err = {0};
		uint16_t gid = t->glyphs[k].gid;

		if (ttf_glyph_data(f, gid, &g, &len, &err) == GEN_OK &&
		    len >= 10) {
			int64_t x = pen + t->glyphs[k].dx;
			int64_t y = t->y + t->glyphs[k].dy;
			struct box gb = {
				x + be16(g + 2) * t->size / upem,
				y + be16(g + 4) * t->size / upem,
				x + be16(g + 6) * t->size / upem,
				y + be16(g + 8) * t->size / upem,
			};

			if (!any)
				*b = gb;
			else {
				b->x0 = gb.x0 < b->x0 ? gb.x0 : b->x0;
				b->y0 = gb.y0 < b->y0 ? gb.y0 : b->y0;
				b->x1 = gb.x1 > b->x1 ? gb.x1 : b->x1;
				b->y1 = gb.y1 > b->y1 ? gb.y1 : b->y1;
			}
			any = 1;
		}
		pen += glyph_adv(t, k);
	}
	return any;
}

/* The end of a run's pen (x + advances). */
static int64_t
run_end(const struct canvas_text *t)
{
	int64_t pen = t->x;

	for (size_t k = 0; k < t->nglyphs; k++)
		pen += glyph_adv(t, k);
	return pen;
}

static void
put_utf8(struct buf *b, uint32_t c)
{
	char s[4];

	if (c < 0x80)
		buf_putc(b, (char)c);
	else if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
		buf_append(b, s, 2);
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		buf_append(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		buf_append(b, s, 4);
	}
}

/* The text of a run (logical when actual_text is set). */
static void
run_text(const struct canvas_text *t, struct buf *b)
{
	buf_reset(b);
	if (t->actual_text != NULL) {
		buf_puts(b, t->actual_text);
		return;
	}
	for (size_t k = 0; k < t->nglyphs; k++)
		for (int j = 0; j < t->glyphs[k].ncp && j < 3; j++)
			put_utf8(b, t->glyphs[k].cp[j]);
	if (b->data == NULL)
		buf_puts(b, "");
}

/* Number of text runs on page p whose text is exactly s. */
static int
count_runs(const struct canvas *c, size_t p, const char *s)
{
	struct buf b = {0};
	int n = 0;

	if (p >= c->npages)
		return 0;
	for (size_t k = 0; k < c->pages[p].nops; k++) {
		const struct canvas_op *op = &c->pages[p].ops[k];

		if (op->kind != CANVAS_TEXT)
			continue;
		run_text(&op->u.text, &b);
		n += strcmp(b.data, s) == 0;
	}
	buf_free(&b);
	return n;
}

static int
count_all(const struct canvas *c, const char *s)
{
	int n = 0;

	for (size_t p = 0; p < c->npages; p++)
		n += count_runs(c, p, s);
	return n;
}

/*
 * The text of page p as lines: runs on one baseline in x order, joined
 * directly when they touch (a line split into runs by font fallback or
 * direction) and with " | " when apart (two columns); lines end in '\n'.
 */
static void
page_text(const struct canvas *c, size_t p, struct buf *out)
{
	const struct canvas_page *pg = &c->pages[p];
	char *done = xcalloc(pg->nops + 1, 1);
	struct buf t = {0};

	buf_reset(out);
	for (;;) {
		size_t first = SIZE_MAX;
		int32_t y;
		int64_t end = 0;
		int any = 0;

		/* The highest line not yet printed. */
		for (size_t k = 0; k < pg->nops; k++)
			if (pg->ops[k].kind == CANVAS_TEXT && !done[k] &&
			    (first == SIZE_MAX ||
			    pg->ops[k].u.text.y > pg->ops[first].u.text.y))
				first = k;
		if (first == SIZE_MAX)
			break;
		y = pg->ops[first].u.text.y;
		for (;;) {
			size_t best = SIZE_MAX;

			for (size_t k = 0; k < pg->nops; k++)
				if (pg->ops[k].kind == CANVAS_TEXT && !done[k] &&
				    pg->ops[k].u.text.y == y && (best == SIZE_MAX ||
				    pg->ops[k].u.text.x < pg->ops[best].u.text.x))
					best = k;
			if (best == SIZE_MAX)
				break;
			done[best] = 1;
			run_text(&pg->ops[best].u.text, &t);
			if (any && pg->ops[best].u.text.x - end >
			    pg->ops[best].u.text.size / 2)
				buf_puts(out, " | ");
			else if (any && pg->ops[best].u.text.x - end > 0)
				buf_puts(out, " ");
			buf_puts(out, t.data);
			end = run_end(&pg->ops[best].u.text);
			any = 1;
		}
		buf_putc(out, '\n');
	}
	if (out->data == NULL)
		buf_puts(out, "");
	buf_free(&t);
	free(done);
}

/* 1 if the text of page p (see page_text) contains s. */
static int
page_has(const struct canvas *c, size_t p, const char *s)
{
	struct buf b = {0};
	int r;

	if (p >= c->npages)
		return 0;
	page_text(c, p, &b);
	r = strstr(b.data, s) != NULL;
	buf_free(&b);
	return r;
}

/* Glyphs standing for code point cp in the whole canvas. */
static long
count_cp(const struct canvas *c, uint32_t cp)
{
	long n = 0;

	for (size_t p = 0; p < c->npages; p++)
		for (size_t k = 0; k < c->pages[p].nops; k++) {
			const struct canvas_op *op = &c->pages[p].ops[k];

			if (op->kind != CANVAS_TEXT)
				continue;
			for (size_t g = 0; g < op->u.text.nglyphs; g++)
				n += op->u.text.glyphs[g].ncp > 0 &&
				    op->u.text.glyphs[g].cp[0] == cp;
		}
	return n;
}

/*
 * The invariants: every run's ink inside the margins; no two runs
 * overlapping.  Two runs of one line (same baseline) may touch where a
 * glyph overhangs its advance, so on one baseline only an overlap wider
 * than a tenth of the size counts.  Returns the number of violations
 * (each reported on stderr).
 */
static int
check_invariants(const char *name, const struct canvas *c,
    const struct template *t)
{
	struct buf a = {0}, b = {0};
	int bad = 0;

	for (size_t p = 0; p < c->npages; p++) {
		const struct canvas_page *pg = &c->pages[p];
		int64_t l = t->margin[3], r = pg->width - t->margin[1];
		int64_t bot = t->margin[2], top = pg->height - t->margin[0];

		if (pg->width != t->page_w || pg->height != t->page_h) {
			fprintf(stderr, "%s: page %zu has the wrong size\n", name,
			    p + 1);
			bad++;
		}
		for (size_t i = 0; i < pg->nops; i++) {
			const struct canvas_op *oi = &pg->ops[i];
			struct box bi;

			if (oi->kind != CANVAS_TEXT ||
			    !run_ink(&oi->u.text, &bi))
				continue;
			if (bi.x0 < l || bi.x1 > r || bi.y0 < bot || bi.y1 > top) {
				run_text(&oi->u.text, &a);
				fprintf(stderr, "%s: page %zu: \"%.60s\" ink "
				    "%lld..%lld x %lld..%lld leaves the margins "
				    "%lld..%lld x %lld..%lld\n", name, p + 1, a.data,
				    (long long)bi.x0, (long long)bi.x1,
				    (long long)bi.y0, (long long)bi.y1,
				    (long long)l, (long long)r, (long long)bot,
				    (long long)top);
				bad++;
			}
			for (size_t j = i + 1; j < pg->nops; j++) {
				const struct canvas_op *oj = &pg->ops[j];
				struct box bj;
				int64_t ox, oy;

				if (oj->kind != CANVAS_TEXT ||
				    !run_ink(&oj->u.text, &bj))
					continue;
				ox = (bi.x1 < bj.x1 ? bi.x1 : bj.x1) -
				    (bi.x0 > bj.x0 ? bi.x0 : bj.x0);
				oy = (bi.y1 < bj.y1 ? bi.y1 : bj.y1) -
				    (bi.y0 > bj.y0 ? bi.y0 : bj.y0);
				if (ox <= 0 || oy <= 0)
					continue;
				if (oi->u.text.y == oj->u.text.y &&
				    ox * 10 <= oi->u.text.size)
					continue;
				run_text(&oi->u.text, &a);
				run_text(&oj->u.text, &b);
				fprintf(stderr, "%s: page %zu: \"%.40s\" overlaps "
				    "\"%.40s\" by %lld x %lld mpt\n", name, p + 1,
				    a.data, b.data, (long long)ox, (long long)oy);
				bad++;
			}
		}
	}
	buf_free(&a);
	buf_free(&b);
	return bad;
}

/* ---- running the layout --------------------------------------------------- */

static enum gen_rc
lay(const struct template *t, struct document *d, struct canvas **c,
    struct gen_err *err)
{
	struct i18n *i = NULL;
	enum gen_rc rc;

	*c = NULL;
	if ((rc = i18n_open("locales", d->language, &i, err)) != GEN_OK)
		return rc;
	rc = layout_document(t, d, i, fs, c, NULL, err);
	i18n_close(i);
	return rc;
}

static const struct template *
tpl(const char *path)
{
	const struct template *t = NULL;
	struct gen_err err = {0};

	if (template_get(path, &t, &err) != GEN_OK)
		fprintf(stderr, "%s\n", err.msg);
	return t;
}

/* Write a template into the scratch directory and parse it (cached). */
static const struct template *
tpl_text(const char *name, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!write_file(path, text, strlen(text))) {
		perror(path);
		exit(1);
	}
	return tpl(path);
}

/* ---- tests ------------------------------------------------------------ */

struct sample {
	const char *name;
	struct document *(*make)(void);
	const char *footer;		/* the page-number line, page 1 */
	const char *title;
};

static struct document *
mk_lt(void)
{
	return fx_document(TAX_LT_STANDARD, "EUR", "lt");
}

static struct document *
mk_rc(void)
{
	return fx_document(TAX_REVERSE_CHARGE, "EUR", "en");
}

static struct document *
mk_oss(void)
{
	return fx_document(TAX_OSS_DESTINATION, "USD", "lt-en");
}

static struct document *
mk_out(void)
{
	return fx_document(TAX_OUTSIDE_SCOPE, "USD", "ru");
}

static struct document *
mk_nvr(void)
{
	return fx_document(TAX_NOT_VAT_REGISTERED, "EUR", "lt");
}

static struct document *
mk_cn(void)
{
	return fx_credit_note("lt");
}

static const struct sample samples[] = {
	{ "lt-standard", mk_lt, "Puslapis 1 i\xc5\xa1 1",
	    "PVM s\xc4\x85skaita fakt\xc5\xabra" },
	{ "reverse-en", mk_rc, "Page 1 of 1", "VAT invoice" },
	{ "oss-lten", mk_oss, "Puslapis 1 i\xc5\xa1 1 / Page 1 of 1",
	    "VAT invoice" },
	{ "outside-ru", mk_out, "\xd0\xa1\xd1\x82\xd1\x80\xd0\xb0\xd0\xbd\xd0"
	    "\xb8\xd1\x86\xd0\xb0 1 \xd0\xb8\xd0\xb7 1",
	    "\xd0\xa1\xd1\x87\xd1\x91\xd1\x82-\xd1\x84\xd0\xb0\xd0\xba\xd1\x82"
	    "\xd1\x83\xd1\x80\xd0\xb0 \xd0\x9d\xd0\x94\xd0\xa1" },
	{ "notvat-lt", mk_nvr, "Puslapis 1 i\xc5\xa1 1",
	    "S\xc4\x85skaita fakt\xc5\xabra" },
	/* The title wraps into lines of even length (layout version 2). */
	{ "credit-lt", mk_cn, "Puslapis 1 i\xc5\xa1 1",
	    "Kreditin\xc4\x97 PVM" },
};

/* Every sample on A4 and Letter: one page, invariants, key texts. */
static void
test_samples(void)
{
	const char *tpls[2] = { "templates/invoice.xml",
	    "templates/invoice-letter.xml" };

	for (int k = 0; k < 2; k++) {
		const struct template *t = tpl(tpls[k]);

		CHECK(t != NULL);
		if (t == NULL)
			continue;
		for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]);
		    s++) {
			struct document *d = samples[s].make();
			struct canvas *c = NULL;
			struct gen_err err = {0};

			CHECK_INT(lay(t, d, &c, &err), GEN_OK);
			if (c == NULL) {
				fprintf(stderr, "%s: %s\n", samples[s].name,
				    err.msg);
				document_free(d);
				continue;
			}
			CHECK_INT(c->npages, 1);
			CHECK_INT(check_invariants(samples[s].name, c, t), 0);
			CHECK_INT(count_runs(c, 0, samples[s].footer), 1);
			CHECK(count_runs(c, 0, samples[s].title) >= 1);
			CHECK_INT(count_runs(c, 0, "ZLV-000012"),
			    d->kind == DOC_INVOICE ? 1 : 1);
			CHECK_INT(count_runs(c, 0, "SIP.TG Softphone"), 1);
			canvas_free(c);
			document_free(d);
		}
	}
}

/* What each treatment prints (and does not). */
static void
test_content(void)
{
	const struct template *t = tpl("templates/invoice.xml");
	struct canvas *c = NULL;
	struct gen_err err = {0};
	struct document *d;

	if (t == NULL) {
		CHECK(0);
		return;
	}
	/* Not a VAT payer: no VAT number, no VAT column, the note. */
	d = mk_nvr();
	if (lay(t, d, &c, &err) == GEN_OK) {
		CHECK_INT(count_all(c, "LT100018548216"), 0);
		CHECK_INT(count_all(c, "PVM tarifas"), 0);
		CHECK_INT(count_all(c, "Paslaugų suteikimo dieną pardavėjas "
		    "nebuvo PVM mokėtojas; PVM netaikomas."), 1);
		/* The tax-point date differs from the issue date: shown, as
		 * the date the advance was received (PVMĮ Art. 80(1)(8)). */
		CHECK_INT(count_all(c, "2025 m. gegu\xc5\xbe\xc4\x97s 9 d."), 2);
		CHECK_INT(count_all(c, "Avanso gavimo data"), 1);
		CHECK_INT(count_all(c, "Paslaugų suteikimo data"), 0);
		CHECK_INT(count_all(c, "Nuolaida"), 1);
	} else
		CHECK(0);
	canvas_free(c);
	document_free(d);

	/* Reverse charge: both VAT numbers and the note. */
	d = mk_rc();
	if (lay(t, d, &c, &err) == GEN_OK) {
		CHECK_INT(count_all(c, "LT100018548216"), 1);
		CHECK_INT(count_all(c, "DE136695976"), 1);
		CHECK_INT(count_all(c, "Germany"), 1);
		CHECK(page_has(c, 0, "\nReverse charge / Atvirk\xc5\xa1tinis "
		    "apmokestinimas \xe2\x80\x93 VAT to be accounted for by"));
		CHECK(page_has(c, 0, "of Directive") &&
		    page_has(c, 0, "2006/112/EC)\n"));
		/* Said once for all lines, not on each (version 2). */
		CHECK_INT(count_all(c, "for Telegram account @jonas_p (ID 2002)"),
		    0);
		CHECK_INT(count_all(c, "All lines are for Telegram account "
		    "@jonas_p (ID 2002)"), 1);
	} else
		CHECK(0);
	canvas_free(c);
	document_free(d);

	/* OSS in USD, bilingual: the EUR box, both languages. */
	d = mk_oss();
	if (lay(t, d, &c, &err) == GEN_OK) {
		CHECK_INT(count_all(c, "1 EUR = 1,1684 USD"), 1);
		CHECK_INT(count_all(c, "24,88\xc2\xa0\xe2\x82\xac"), 2);
		CHECK_INT(count_all(c, "ECB euro orientacinis kursas"), 1);
		CHECK_INT(count_all(c, "VAT invoice"), 1);
		CHECK_INT(count_all(c, "Seller"), 0);	/* no such label */
		CHECK_INT(count_all(c, "Buyer (payer)"), 1);
		CHECK_STR(c->meta.title, "PVM s\xc4\x85skaita fakt\xc5\xabra "
		    "ZLV-000012");
		CHECK_STR(c->meta.language, "lt");
		CHECK_STR(c->meta.date, "2025-08-14");
		CHECK_STR(c->meta.author, "MB \xe2\x80\x9e\xc5\xbdinu\xc4\x8di"
		    "\xc5\xb3 linija\xe2\x80\x9c");
	} else
		CHECK(0);
	canvas_free(c);
	document_free(d);

	/* Credit note: the corrected invoice and negative totals. */
	d = mk_cn();
	if (lay(t, d, &c, &err) == GEN_OK) {
		CHECK_INT(count_all(c, "ZLV-000012"), 1);
		CHECK_INT(count_all(c, "ZLK-000003"), 1);
		CHECK(page_has(c, 0, "I\xc5\xa1 viso su PVM | \xe2\x88\x92"
		    "185,13\xc2\xa0\xe2\x82\xac\n"));
		CHECK_INT(count_all(c, "refund: subscription cancelled") +
		    count_all(c, "refund: subscription"), 1);
	} else
		CHECK(0);
	canvas_free(c);
	document_free(d);
}

/* 60 lines: several pages, header and running header repeated. */
static void
test_many_lines(void)
{
	const struct template *t = tpl("templates/invoice.xml");
	struct document *d = fx_many_lines(60, "lt");
	struct canvas *c = NULL;
	struct gen_err err = {0};
	int rows = 0;

	if (t == NULL || lay(t, d, &c, &err) != GEN_OK) {
		fprintf(stderr, "%s\n", err.msg);
		CHECK(0);
		document_free(d);
		return;
	}
	CHECK(c->npages >= 2);
	CHECK_INT(check_invariants("many-lines", c, t), 0);
	for (size_t p = 0; p < c->npages; p++) {
		char foot[64];
		int r = count_runs(c, p, "SIP.TG Softphone") +
		    count_runs(c, p, "SIP.TG Gateway");

		snprintf(foot, sizeof(foot), "Puslapis %zu i\xc5\xa1 %zu", p + 1,
		    c->npages);
		CHECK_INT(count_runs(c, p, foot), 1);
		/* The table header is on every page that has rows. */
		if (r > 0)
			CHECK_INT(count_runs(c, p, "Pavadinimas"), 1);
		/* The running header names the document from page 2 on. */
		CHECK_INT(count_runs(c, p, "ZLV-000012"), 1);
		rows += r;
	}
	CHECK_INT(rows, 60);
	CHECK_INT(count_all(c, "Pavadinimas") >= 2, 1);
	/* Totals and notes come after the last row. */
	/* The totals follow the last row. */
	{
		size_t last = 0, tot = SIZE_MAX;

		for (size_t p = 0; p < c->npages; p++) {
			if (count_runs(c, p, "SIP.TG Gateway") > 0)
				last = p;
			if (page_has(c, p, "I\xc5\xa1 viso su PVM | "))
				tot = p;
		}
		CHECK(tot != SIZE_MAX && tot >= last);
	}
	canvas_free(c);
	document_free(d);
}

/* A 10,000-character payer name: wraps, breaks, loses nothing. */
static void
test_long_name(void)
{
	const struct template *t = tpl("templates/invoice.xml");
	struct document *d = fx_document(TAX_OUTSIDE_SCOPE, "USD", "en");
	struct canvas *c = NULL;
	struct gen_err err = {0};
	struct buf name = {0};
	char foot[32];
	long zhe = 0;

	/* "Жжжжжжжжж " (Cyrillic) repeated: 10,000 characters. */
	for (int k = 0; k < 10000; k++) {
		if (k % 10 == 9)
			buf_putc(&name, ' ');
		else if (k % 10 == 0) {
			buf_puts(&name, "\xd0\x96");
			zhe++;
		} else
			buf_puts(&name, "\xd0\xb6");
	}
	free(d->payer.name);
	d->payer.name = buf_detach(&name, NULL);
	if (t == NULL || lay(t, d, &c, &err) != GEN_OK) {
		fprintf(stderr, "%s\n", err.msg);
		CHECK(0);
		document_free(d);
		return;
	}
	CHECK(c->npages >= 2);
	CHECK_INT(check_invariants("long-name", c, t), 0);
	CHECK_INT(count_cp(c, 0x416), zhe);
	CHECK_INT(count_cp(c, 0x436), zhe * 8);
	canvas_free(c);
	document_free(d);

	/* A single plain text taller than a page breaks across pages too. */
	t = tpl_text("long.xml", "<template><footer><page-number/></footer>"
	    "<text bind='payer.name' size='14'/></template>\n");
	d = fx_document(TAX_OUTSIDE_SCOPE, "USD", "en");
	free(d->payer.name);
	d->payer.name = xcalloc(1, 30001);
	for (int k = 0; k < 30000; k++)
		d->payer.name[k] = "abc xyz "[k % 8];
	if (t != NULL && lay(t, d, &c, &err) == GEN_OK) {
		CHECK(c->npages >= 3);
		CHECK_INT(check_invariants("long-text", c, t), 0);
		CHECK_INT(count_cp(c, 'x'), 3750);
		snprintf(foot, sizeof(foot), "Page 2 of %zu\n", c->npages);
		CHECK(page_has(c, 1, foot));
	} else {
		fprintf(stderr, "%s\n", err.msg);
		CHECK(0);
	}
	canvas_free(c);
	document_free(d);
}

/* Right-to-left paragraphs are set flush right. */
static void
test_rtl(void)
{
	const struct template *t = tpl_text("rtl.xml", "<template margin="
	    "'20mm'><text bind='payer.name'/><text bind='seller.name'/>"
	    "</template>\n");
	struct document *d = fx_document(TAX_OUTSIDE_SCOPE, "USD", "en");
	struct canvas *c = NULL;
	struct gen_err err = {0};

	free(d->payer.name);
	d->payer.name = xstrdup("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d "
	    "\xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d");	/* Hebrew */
	if (t != NULL && lay(t, d, &c, &err) == GEN_OK) {
		const struct canvas_page *p = &c->pages[0];
		int64_t right = t->page_w - MM_TO_MPT(20), end = 0;
		int found = 0;

		/* The Hebrew line's runs (letters, and the space between,
		 * from different faces): the last one ends at the margin. */
		for (size_t k = 0; k < p->nops; k++) {
			const struct canvas_text *x = &p->ops[k].u.text;

			if (p->ops[k].kind != CANVAS_TEXT)
				continue;
			if (x->nglyphs > 0 && x->glyphs[0].cp[0] >= 0x5d0 &&
			    x->glyphs[0].cp[0] <= 0x5ea) {
				found = 1;
				if (run_end(x) > end)
					end = run_end(x);
			} else if (x->nglyphs > 0 && x->glyphs[0].cp[0] == 'M')
				CHECK_INT(x->x, MM_TO_MPT(20));
		}
		CHECK(end <= right);
		CHECK(end >= right - 100);
		CHECK(found);
		CHECK_INT(check_invariants("rtl", c, t), 0);
	} else {
		fprintf(stderr, "%s\n", err.msg);
		CHECK(0);
	}
	canvas_free(c);
	document_free(d);
}

/*
 * Layout version 2 in boxes: a company name with a word longer than the
 * buyer's box is set smaller, whole, never cut; an Arabic address is set
 * right as a whole, its Latin country line too; the fields of the
 * seller's group widen their labels together ("Код плательщика НДС" in
 * one piece, the values aligned).
 */
static void
test_v2_boxes(void)
{
	const struct template *t = tpl("templates/invoice.xml");
	struct document *d = fx_document(TAX_OUTSIDE_SCOPE, "USD", "en");
	static const char word[] = "Telekommunikationsdienstleistungs"
	    "gesellschaftsverwaltungsholding";
	struct canvas *c = NULL;
	struct gen_err err = {0};
	struct buf b = {0};

	if (t == NULL)
		goto out;
	free(d->payer.name);
	d->payer.name = xstrdup("Nordwestdeutsche Telekommunikations"
	    "dienstleistungsgesellschaftsverwaltungsholding mbH");
	if (lay(t, d, &c, &err) == GEN_OK) {
		const struct canvas_page *p = &c->pages[0];
		int whole = 0;

		CHECK_INT(check_invariants("v2-long-word", c, t), 0);
		for (size_t k = 0; k < p->nops; k++) {
			if (p->ops[k].kind != CANVAS_TEXT)
				continue;
			run_text(&p->ops[k].u.text, &b);
			if (strcmp(b.data, word) == 0) {
				whole = 1;
				/* 10.5 pt set smaller, at least half */
				CHECK(p->ops[k].u.text.size < 10500 &&
				    p->ops[k].u.text.size >= 5250);
			}
		}
		CHECK(whole);
		CHECK(!page_has(c, 0, "Telekommunikationsdienstleistungs\n"));
	} else {
		fprintf(stderr, "%s\n", err.msg);
		CHECK(0);
	}
	canvas_free(c);
	c = NULL;
	document_free(d);

	/* Arabic name and street, the country line in English: every line
	 * of the address ends at the box's right edge. */
	d = fx_document(TAX_OUTSIDE_SCOPE, "USD", "en");
	free(d->payer.name);
	free(d->payer.address_line1);
	free(d->payer.city);
	d->payer.name = xstrdup("\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xb9"
	    "\xd9\x84\xd9\x8a");
	d->payer.address_line1 = xstrdup("\xd8\xb4\xd8\xa7\xd8\xb1\xd8\xb9 "
	    "12");
	d->payer.city = xstrdup("\xd8\xaf\xd8\xa8\xd9\x8a");
	memcpy(d->payer.country, "AE", 3);
	if (lay(t, d, &c, &err) == GEN_OK) {
		const struct canvas_page *p = &c->pages[0];
		int64_t name_end = -1, country_end = -1, street_end = -1;

		for (size_t k = 0; k < p->nops; k++) {
			const struct canvas_text *x = &p->ops[k].u.text;

			if (p->ops[k].kind != CANVAS_TEXT)
				continue;
			run_text(x, &b);
			if (strcmp(b.data, "United Arab Emirates") == 0)
				country_end = run_end(x);
			else if (strstr(b.data, "\xd8\xb9\xd9\x84\xd9\x8a"))
				name_end = run_end(x);
			else if (strstr(b.data, "\xd8\xb4\xd8\xa7\xd8\xb1"))
				street_end = run_end(x);
		}
		CHECK(country_end > 0 && street_end > 0);
		CHECK(country_end == street_end);
		CHECK(name_end >= street_end - 100 && name_end <=
		    street_end + 100);
	} else {
		fprintf(stderr, "%s\n", err.msg);
		CHECK(0);
	}
	canvas_free(c);
	c = NULL;
	document_free(d);

	/* Russian: the label in one piece, both values at one x. */
	d = fx_document(TAX_LT_STANDARD, "EUR", "ru");
	if (lay(t, d, &c, &err) == GEN_OK) {
		const struct canvas_page *p = &c->pages[0];
		int64_t x_code = -1, x_vat = -1;

		/* the seller's and the payer's VAT number label */
		CHECK_INT(count_runs(c, 0, "\xd0\x9a\xd0\xbe\xd0\xb4 \xd0\xbf"
		    "\xd0\xbb\xd0\xb0\xd1\x82\xd0\xb5\xd0\xbb\xd1\x8c\xd1\x89"
		    "\xd0\xb8\xd0\xba\xd0\xb0 \xd0\x9d\xd0\x94\xd0\xa1"), 2);
		CHECK_INT(count_runs(c, 0, "\xd0\x9a\xd0\xbe\xd0\xb4 \xd0\xbf"
		    "\xd0\xbb\xd0\xb0\xd1\x82\xd0\xb5\xd0\xbb\xd1\x8c\xd1\x89"
		    "\xd0\xb8\xd0\xba\xd0\xb0"), 0);
		for (size_t k = 0; k < p->nops; k++) {
			if (p->ops[k].kind != CANVAS_TEXT)
				continue;
			run_text(&p->ops[k].u.text, &b);
			if (strcmp(b.data, "LT100018548216") == 0 && x_vat < 0)
				x_vat = p->ops[k].u.text.x;
			else if (strcmp(b.data, "305133662") == 0 &&
			    x_code < 0)
				x_code = p->ops[k].u.text.x;
		}
		CHECK(x_code > 0 && x_code == x_vat);
	} else {
		fprintf(stderr, "%s\n", err.msg);
		CHECK(0);
	}
out:
	buf_free(&b);
	canvas_free(c);
	document_free(d);
}

/* keep="together" moves a block whole; without it the block breaks. */
static void
test_keep(void)
{
	static const char *fmt = "<template margin='20mm'><text>top</text><space "
	    "height='240mm'/><text>lead</text><group%s><text>k1</text><text>"
	    "k2</text><text>k3</text><text>k4</text><text>k5</text></group>"
	    "</template>\n";
	char text[512];
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", "en");
	const struct template *t;
	struct canvas *c = NULL;
	struct gen_err err = {0};

	snprintf(text, sizeof(text), fmt, " keep='together'");
	t = tpl_text("keep.xml", text);
	if (t != NULL && lay(t, d, &c, &err) == GEN_OK) {
		CHECK_INT(c->npages, 2);
		CHECK_INT(count_runs(c, 0, "lead"), 1);
		CHECK_INT(count_runs(c, 1, "k1") + count_runs(c, 1, "k5"), 2);
	} else
		CHECK(0);
	canvas_free(c);
	snprintf(text, sizeof(text), fmt, "");
	t = tpl_text("nokeep.xml", text);
	if (t != NULL && lay(t, d, &c, &err) == GEN_OK) {
		CHECK_INT(c->npages, 2);
		CHECK_INT(count_runs(c, 0, "k1"), 1);
		CHECK_INT(count_runs(c, 1, "k5"), 1);
	} else
		CHECK(0);
	canvas_free(c);
	document_free(d);
}

static void
test_errors(void)
{
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", "en");
	const struct template *t;
	struct canvas *c = (struct canvas *)dir;
	struct gen_err err = {0};

	t = tpl_text("nokey.xml", "<template>\n<label key='seller'/>\n"
	    "<label key='no_such_key'/>\n</template>\n");
	CHECK_INT(lay(t, d, &c, &err), GEN_EINPUT);
	CHECK(c == NULL);
	CHECK_MSG(err, "/nokey.xml:3: label key 'no_such_key' is not in the "
	    "catalogue");
	t = tpl_text("narrow.xml", "<template>\n<row gap='10mm'>\n<column "
	    "width='100mm'/>\n<column width='90%'/>\n<column/>\n</row>\n"
	    "</template>\n");
	CHECK_INT(lay(t, d, &c, &err), GEN_EINPUT);
	CHECK_MSG(err, "/narrow.xml:2: <row>: the columns need");
	t = tpl_text("bigfoot.xml", "<template><footer><space height='250mm'"
	    "/><text>x</text></footer><text>y</text></template>\n");
	CHECK_INT(lay(t, d, &c, &err), GEN_EINPUT);
	CHECK_MSG(err, "leave less than 1 inch");
	document_free(d);
}

/* ---- payment orders and <qr> ---------------------------------------- */

static struct document *
mk_po_eur(void)
{
	return fx_transfer_order(TAX_LT_STANDARD, "EUR", "lt");
}

static struct document *
mk_po_usd(void)
{
	return fx_transfer_order(TAX_OUTSIDE_SCOPE, "USD", "en");
}

static struct document *
mk_po_eur_bi(void)
{
	return fx_transfer_order(TAX_OSS_DESTINATION, "EUR", "lt-en");
}

static struct document *
mk_po_usd_bi(void)
{
	return fx_transfer_order(TAX_OUTSIDE_SCOPE, "USD", "lt-en");
}

/* The only QR op of the canvas, or NULL (also when there are several). */
static const struct canvas_qr *
the_qr(const struct canvas *c, size_t *page)
{
	const struct canvas_qr *q = NULL;
	int n = 0;

	for (size_t p = 0; p < c->npages; p++)
		for (size_t k = 0; k < c->pages[p].nops; k++)
			if (c->pages[p].ops[k].kind == CANVAS_QR) {
				q = &c->pages[p].ops[k].u.qr;
				*page = p;
				n++;
			}
	return n == 1 ? q : NULL;
}

/*
 * The QR symbol with its quiet zone lies inside the margins, and no
 * text ink, line or other rectangle than the boxes around it reaches
 * into it.  Returns the number of violations.
 */
static int
check_qr_clear(const char *name, const struct canvas *c, size_t p,
    const struct canvas_qr *q, const struct template *t)
{
	const struct canvas_page *pg = &c->pages[p];
	int64_t m = q->module, qz = 4 * m;
	struct box z = { q->x - qz, q->y - (int64_t)q->size * m - qz,
	    q->x + (int64_t)q->size * m + qz, q->y + qz };
	struct buf a = {0};
	int bad = 0;

	if (z.x0 < t->margin[3] || z.x1 > pg->width - t->margin[1] ||
	    z.y0 < t->margin[2] || z.y1 > pg->height - t->margin[0]) {
		fprintf(stderr, "%s: the QR code leaves the margins\n", name);
		bad++;
	}
	for (size_t k = 0; k < pg->nops; k++) {
		const struct canvas_op *op = &pg->ops[k];
		struct box b;

		switch (op->kind) {
		case CANVAS_TEXT:
			if (!run_ink(&op->u.text, &b))
				continue;
			break;
		case CANVAS_LINE:
			b.x0 = op->u.line.x1 < op->u.line.x2 ? op->u.line.x1 :
			    op->u.line.x2;
			b.x1 = op->u.line.x1 < op->u.line.x2 ? op->u.line.x2 :
			    op->u.line.x1;
			b.y0 = op->u.line.y1 < op->u.line.y2 ? op->u.line.y1 :
			    op->u.line.y2;
			b.y1 = op->u.line.y1 < op->u.line.y2 ? op->u.line.y2 :
			    op->u.line.y1;
			b.y0 -= op->u.line.width / 2;
			b.y1 += op->u.line.width / 2;
			break;
		case CANVAS_RECT:
			/* A box around the code (its white square, the
			 * payment box) is fine; its border must not cross. */
			b.x0 = op->u.rect.x;
			b.y0 = op->u.rect.y;
			b.x1 = b.x0 + op->u.rect.w;
			b.y1 = b.y0 + op->u.rect.h;
			if (b.x0 <= z.x0 && b.y0 <= z.y0 && b.x1 >= z.x1 &&
			    b.y1 >= z.y1)
				continue;
			break;
		default:
			continue;
		}
		if (b.x1 <= z.x0 || b.x0 >= z.x1 || b.y1 <= z.y0 ||
		    b.y0 >= z.y1)
			continue;
		if (op->kind == CANVAS_TEXT)
			run_text(&op->u.text, &a);
		fprintf(stderr, "%s: op %zu (%s) overlaps the QR code\n", name,
		    k, op->kind == CANVAS_TEXT ? a.data : "rect/line");
		bad++;
	}
	buf_free(&a);
	return bad;
}

/*
 * Payment orders: one page in EUR and USD, mono- and bilingual; the QR
 * op is the symbol of payment.qr (encoded here again with qr.c at level
 * M: same modules), its module side is the size over the modules plus
 * the quiet zone, it lies inside the margins and nothing overlaps it;
 * the reference, the IBAN and the notes are printed.
 */
static void
test_transfer_orders(void)
{
	static const struct {
		const char *name;
		struct document *(*make)(void);
		int eur;
		const char *title, *caption;
	} po[] = {
		{ "po-eur-lt", mk_po_eur, 1, "I\xc5\xa1" "ankstin\xc4\x97 "
		    "s\xc4\x85skaita", "Nuskaitykite kod\xc4\x85" },
		{ "po-usd-en", mk_po_usd, 0, "Proforma invoice",
		    "The QR code contains" },
		{ "po-eur-lten", mk_po_eur_bi, 1, "Proforma invoice",
		    "Scan to pay" },
		{ "po-usd-lten", mk_po_usd_bi, 0, "Proforma invoice",
		    "QR kode yra" },
	};
	const struct template *t = tpl("templates/transfer-order.xml");

	CHECK(t != NULL);
	for (size_t k = 0; t != NULL && k < sizeof(po) / sizeof(po[0]); k++) {
		struct document *d = po[k].make();
		struct canvas *c = NULL;
		struct gen_err err = {0};
		struct i18n *i = NULL;
		struct docview *v = NULL;
		struct qr_matrix m = {0};
		const struct canvas_qr *q;
		const char *payload;
		size_t page = 0;

		if (lay(t, d, &c, &err) != GEN_OK ||
		    i18n_open("locales", d->language, &i, &err) != GEN_OK ||
		    docview_build(d, i, &v, &err) != GEN_OK) {
			fprintf(stderr, "%s: %s\n", po[k].name, err.msg);
			CHECK(0);
			goto next;
		}
		CHECK_INT(c->npages, 1);
		CHECK_INT(check_invariants(po[k].name, c, t), 0);
		payload = docview_get(v, docview_lookup("payment.qr", NULL,
		    NULL), 0).text;
		CHECK(payload != NULL && (strncmp(payload, "BCD\n002\n1\nSCT\n",
		    14) == 0) == po[k].eur);
		q = the_qr(c, &page);
		CHECK(q != NULL);
		if (q == NULL || payload == NULL ||
		    qr_encode(payload, strlen(payload), QR_ECL_M, po[k].eur ?
		    13 : 20, &m, &err) != GEN_OK) {
			CHECK(0);
			goto next;
		}
		CHECK_INT(q->size, m.size);
		CHECK(memcmp(q->modules, m.modules, (size_t)m.size *
		    (size_t)m.size) == 0);
		/* 38 mm = 107717 mpt over the modules and 8 quiet ones. */
		CHECK_INT(q->module, 107717 / (m.size + 8));
		CHECK(q->module >= 709);	/* 0.25 mm */
		CHECK_INT(check_qr_clear(po[k].name, c, page, q, t), 0);

		CHECK(count_all(c, po[k].title) >= 1);
		CHECK(count_all(c, "RF76 A202 5081 5") >= 2);
		CHECK_INT(count_all(c, "LT12 1000 0111 0100 1000"), 1);
		CHECK_INT(count_all(c, "HABALT22"), 1);
		CHECK(page_has(c, 0, po[k].caption));
		CHECK_INT(page_has(c, 0, "The EPC QR code works") ||
		    page_has(c, 0, "EPC QR kodas tinka"), !po[k].eur);
		CHECK(count_all(c, "This document is not a VAT invoice.") +
		    count_all(c, "\xc5\xa0is dokumentas n\xc4\x97ra PVM "
		    "s\xc4\x85skaita fakt\xc5\xabra.") >= 1);
		CHECK_INT(count_all(c, "ZLVM-000004"), 1);
		CHECK_STR(c->meta.date, "2025-08-14");
next:
		qr_matrix_free(&m);
		docview_free(v);
		i18n_close(i);
		canvas_free(c);
		document_free(d);
	}
}

/* <qr> in templates of its own: alignment, the white square, errors. */
static void
test_qr_element(void)
{
	struct document *d = fx_transfer_order(TAX_LT_STANDARD, "EUR", "en");
	const struct template *t;
	struct canvas *c = NULL;
	struct gen_err err = {0};
	const struct canvas_qr *q;
	size_t page;

	/* Right-aligned in a filled box: the square is painted white and
	 * the symbol centred in it, 4 modules from each edge. */
	t = tpl_text("qr1.xml", "<template margin='20mm'><box fill='#cccccc' "
	    "padding='5mm'><qr bind='payment.qr' size='40mm' align='right'/>"
	    "</box></template>\n");
	if (t != NULL && lay(t, d, &c, &err) == GEN_OK &&
	    (q = the_qr(c, &page)) != NULL) {
		int32_t side = MM_TO_MPT(40), right = t->page_w -
		    MM_TO_MPT(20) - MM_TO_MPT(5);
		int32_t mod = side / (q->size + 8);
		int32_t off = (side - mod * (q->size + 8)) / 2 + 4 * mod;
		int white = 0;

		CHECK_INT(q->module, mod);
		CHECK_INT(q->x, right - side + off);
		CHECK_INT(q->y, t->page_h - MM_TO_MPT(20) - MM_TO_MPT(5) - off);
		for (size_t k = 0; k < c->pages[0].nops; k++) {
			const struct canvas_rect *r =
			    &c->pages[0].ops[k].u.rect;

			if (c->pages[0].ops[k].kind == CANVAS_RECT && r->fill &&
			    r->fill_color.r == 255 && r->fill_color.g == 255 &&
			    r->fill_color.b == 255 && r->w == side &&
			    r->h == side && r->x == right - side)
				white++;
		}
		CHECK_INT(white, 1);
		CHECK_INT(check_qr_clear("qr1", c, page, q, t), 0);
	} else {
		fprintf(stderr, "qr1: %s\n", err.msg);
		CHECK(0);
	}
	canvas_free(c);
	c = NULL;

	/* An absent value draws nothing (an invoice has no payment.qr). */
	{
		struct document *inv = fx_document(TAX_LT_STANDARD, "EUR",
		    "en");

		t = tpl_text("qr2.xml", "<template><text>x</text><qr "
		    "bind='payment.qr' size='40mm'/></template>\n");
		if (t != NULL && lay(t, inv, &c, &err) == GEN_OK)
			CHECK(the_qr(c, &page) == NULL &&
			    c->pages[0].nops == 1);
		else
			CHECK(0);
		canvas_free(c);
		c = NULL;
		document_free(inv);
	}

	/* A column narrower than the code. */
	t = tpl_text("qr3.xml", "<template>\n<row><column width='30mm'>\n"
	    "<qr bind='payment.qr' size='40mm'/></column><column/></row>\n"
	    "</template>\n");
	CHECK_INT(lay(t, d, &c, &err), GEN_EINPUT);
	CHECK_MSG(err, "/qr3.xml:3: <qr>: only 85 pt wide; the QR code needs "
	    "114 pt");

	/* A value too long for version 20 (not an EPC payload). */
	free(d->payer.name);
	d->payer.name = xcalloc(1, 801);
	memset(d->payer.name, 'x', 800);
	t = tpl_text("qr4.xml", "<template>\n\n<qr bind='payer.name' "
	    "size='100mm'/></template>\n");
	gen_err_clear(&err);
	CHECK_INT(lay(t, d, &c, &err), GEN_EINPUT);
	CHECK_MSG(err, "/qr4.xml:3: <qr bind='payer.name'>: qr: 800 bytes "
	    "need QR version 23 at level M; allowed: version 20 at most");

	/* A value whose first line is BCD is held to EPC069-12's version
	 * 13: 334 bytes need version 14. */
	memcpy(d->payer.name, "BCD\n", 4);
	d->payer.name[334] = '\0';
	gen_err_clear(&err);
	CHECK_INT(lay(t, d, &c, &err), GEN_EINPUT);
	CHECK_MSG(err, "qr: 334 bytes need QR version 14 at level M; allowed: "
	    "version 13 at most");
	d->payer.name[331] = '\0';
	gen_err_clear(&err);
	CHECK_INT(lay(t, d, &c, &err), GEN_OK);
	if (c != NULL && the_qr(c, &page) != NULL)
		CHECK_INT(the_qr(c, &page)->size, 17 + 4 * 13);
	else
		CHECK(0);
	canvas_free(c);
	c = NULL;

	/* Modules under 0.25 mm: version 19 (93 modules) in 15 mm. */
	d->payer.name[0] = 'x';
	d->payer.name[600] = '\0';
	memset(d->payer.name + 331, 'x', 269);
	t = tpl_text("qr5.xml", "<template><qr bind='payer.name' "
	    "size='15mm'/></template>\n");
	gen_err_clear(&err);
	CHECK_INT(lay(t, d, &c, &err), GEN_EINPUT);
	CHECK_MSG(err, "/qr5.xml:1: <qr size>: 93 modules of 0.420 pt; "
	    "allowed: modules of at least 0.25 mm (size 72 pt or more");
	document_free(d);
}

/* Same input, same canvas; and the golden dumps. */
static void
test_golden(void)
{
	static const struct {
		const char *name, *tpl;
		struct document *(*make)(void);
	} g[] = {
		{ "lt-standard", "templates/invoice.xml", mk_lt },
		{ "credit-lt", "templates/invoice.xml", mk_cn },
		{ "oss-usd-lt-en", "templates/invoice.xml", mk_oss },
		{ "reverse-en-letter", "templates/invoice-letter.xml", mk_rc },
		{ "transfer-eur-lt", "templates/transfer-order.xml",
		    mk_po_eur },
		{ "transfer-usd-lt-en", "templates/transfer-order.xml",
		    mk_po_usd_bi },
	};
	int regen = getenv("INVGEN_REGEN_GOLDEN") != NULL;

	for (size_t k = 0; k < sizeof(g) / sizeof(g[0]); k++) {
		const struct template *t = tpl(g[k].tpl);
		struct document *d = g[k].make();
		struct canvas *c1 = NULL, *c2 = NULL;
		struct gen_err err = {0};
		struct buf a = {0}, b = {0}, want = {0};
		char path[128], chunk[4096];
		size_t n;
		FILE *f;

		if (t == NULL || lay(t, d, &c1, &err) != GEN_OK ||
		    lay(t, d, &c2, &err) != GEN_OK) {
			CHECK(0);
			goto next;
		}
		canvas_dump(c1, &a);
		canvas_dump(c2, &b);
		CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
		snprintf(path, sizeof(path), "tests/golden/layout/%s.txt",
		    g[k].name);
		if (regen) {
			if ((f = fopen(path, "w")) != NULL) {
				fwrite(a.data, 1, a.len, f);
				fclose(f);
			}
		}
		if ((f = fopen(path, "r")) == NULL) {
			fprintf(stderr, "%s: missing (INVGEN_REGEN_GOLDEN=1 "
			    "writes it)\n", path);
			CHECK(0);
			goto next;
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_append(&want, chunk, n);
		fclose(f);
		if (want.len != a.len || memcmp(want.data, a.data, a.len) != 0) {
			fprintf(stderr, "%s: the layout differs from the golden "
			    "dump (compare with INVGEN_REGEN_GOLDEN=1 and git "
			    "diff)\n", path);
			CHECK(0);
		}
next:
		buf_free(&a);
		buf_free(&b);
		buf_free(&want);
		canvas_free(c1);
		canvas_free(c2);
		document_free(d);
	}
}

/* Concurrent layouts share the template and fonts, each with its own
 * i18n object, and give the same canvas as a single thread. */
struct job {
	const struct template *t;
	struct buf dump;
	int ok;
};

static void *
job_run(void *arg)
{
	struct job *j = arg;

	j->ok = 1;
	for (int k = 0; k < 5; k++) {
		struct document *d = mk_oss();
		struct canvas *c = NULL;
		struct gen_err err = {0};
		struct buf b = {0};

		if (lay(j->t, d, &c, &err) != GEN_OK)
			j->ok = 0;
		else {
			canvas_dump(c, &b);
			if (j->dump.len == 0)
				buf_append(&j->dump, b.data, b.len);
			else if (b.len != j->dump.len ||
			    memcmp(b.data, j->dump.data, b.len) != 0)
				j->ok = 0;
		}
		buf_free(&b);
		canvas_free(c);
		document_free(d);
	}
	return NULL;
}

static void
test_threads(void)
{
	struct job jobs[4];
	pthread_t tid[4];

	memset(jobs, 0, sizeof(jobs));
	for (int k = 0; k < 4; k++) {
		jobs[k].t = tpl("templates/invoice.xml");
		pthread_create(&tid[k], NULL, job_run, &jobs[k]);
	}
	for (int k = 0; k < 4; k++)
		pthread_join(tid[k], NULL);
	for (int k = 0; k < 4; k++) {
		CHECK_INT(jobs[k].ok, 1);
		CHECK(jobs[k].dump.len > 0 && jobs[k].dump.len ==
		    jobs[0].dump.len && memcmp(jobs[k].dump.data,
		    jobs[0].dump.data, jobs[0].dump.len) == 0);
	}
	for (int k = 0; k < 4; k++)
		buf_free(&jobs[k].dump);
}

int
main(void)
{
	struct gen_err err = {0};
	char cmd[96];

	if (fontset_get("fonts", &fs, &err) != GEN_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	snprintf(dir, sizeof(dir), "/tmp/test-layout.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_samples();
	test_content();
	test_many_lines();
	test_long_name();
	test_rtl();
	test_v2_boxes();
	test_keep();
	test_errors();
	test_transfer_orders();
	test_qr_element();
	test_golden();
	test_threads();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return test_report();
}
