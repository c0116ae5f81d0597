/*
 * test-textmemo.c - unit tests of gen/pdf/textmemo.c through text.c, which
 * consults it: a remembered layout is exactly the layout a fresh one
 * gives (every line, run, glyph, advance, offset and text), for Latin,
 * Lithuanian, Arabic, Hebrew, Devanagari, Thai and CJK text and the
 * version-1 engine; every part of the key matters (a text set at another
 * size, width, style, flags or fontset, or measured instead of laid out,
 * is not taken for one set before); characters no face has are reported
 * again on a hit; a text is kept the second time it is laid out, long
 * texts never; a hit shares the kept lines, which outlive the memo's
 * hold and may be freed by another thread; the table empties itself when
 * full; each thread has its own table.
 *
 * Fonts from $INVGEN_TEST_FONT_DIR when set, else fonts/ (tests/run.sh
 * runs from the repository top).
 */
#include <pthread.h>
#include <stdlib.h>

#include "buf.h"
#include "err.h"
#include "text.h"
#include "textmemo.h"
#include "testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SIZE 10000		/* 10 pt */

static const struct fontset *hb, *v1;

static const char *const texts[] = {
	"Invoice", "PVM sąskaita faktūra", "Iš viso su PVM 435,60 €",
	"2025 m. spalio 1 d.", "Rūta Žemaitytė\nGedimino pr. 1\n01103 Vilnius",
	"فاتورة ضريبية رقم 12", "חשבונית מס 2025", "कर चालान संख्या",
	"ใบแจ้งหนี้ภาษี", "增值税发票 合计", "A long line of text that will "
	"need breaking into several lines at a narrow width, twice over.",
	"", "\n\n", "tab\there",
};

/* Everything about a layout, for comparing two exactly. */
static void
dump(const struct text_lines *ls, struct buf *b)
{
	buf_reset(b);
	buf_printf(b, "%zu lines\n", ls->n);
	for (size_t i = 0; i < ls->n; i++) {
		const struct text_line *l = &ls->lines[i];

		buf_printf(b, "line w=%ld rtl=%d nl=%d '%s'\n", (long)l->width,
		    l->rtl, l->newline, l->text ? l->text : "(null)");
		for (size_t r = 0; r < l->nruns; r++) {
			const struct text_run *run = &l->runs[r];

			buf_printf(b, " run f=%d rtl=%d w=%ld fl=%d log='%s':",
			    run->face, run->rtl, (long)run->width, run->flags,
			    run->logical ? run->logical : "-");
			for (size_t g = 0; g < run->nglyphs; g++) {
				const struct canvas_glyph *cg = &run->glyphs[g];

				buf_printf(b, " %u@%ld,%ld,%ld", cg->gid,
				    (long)cg->adv, (long)cg->dx, (long)cg->dy);
				for (int k = 0; k < cg->ncp; k++)
					buf_printf(b, "/%X",
					    (unsigned)cg->cp[k]);
			}
			buf_putc(b, '\n');
		}
	}
}

/* Lay s out and dump it into b; 0 on success. */
static int
lay(const struct fontset *fs, enum text_style st, const char *s, int32_t size,
    int32_t max, int flags, struct text_warnings *w, struct buf *b)
{
	struct text_lines ls;
	struct gen_err err = { 0 };

	if (text_layout_opts(fs, st, s, strlen(s), size, max, flags, &ls, w,
	    &err) != GEN_OK) {
		fprintf(stderr, "text_layout_opts(\"%s\"): %s\n", s, err.msg);
		return -1;
	}
	dump(&ls, b);
	text_lines_free(&ls);
	return 0;
}

static uint64_t
hits(void)
{
	uint64_t h, m;

	textmemo_stats(&h, &m);
	return h;
}

static uint64_t
misses(void)
{
	uint64_t h, m;

	textmemo_stats(&h, &m);
	return m;
}

/* Fresh, remembered and fresh again give the same lines, for every text
 * at two widths and both styles, with both engines. */
static void
test_same_as_fresh(void)
{
	const struct fontset *sets[] = { hb, v1 };
	struct buf a = { 0 }, b = { 0 }, c = { 0 };
	int32_t widths[] = { 0, 60000 };

	for (size_t f = 0; f < N(sets); f++)
		for (size_t i = 0; i < N(texts); i++)
			for (size_t k = 0; k < N(widths); k++)
				for (int st = 0; st < 2; st++) {
					uint64_t h0;

					textmemo_clear();
					CHECK(lay(sets[f], st, texts[i], SIZE,
					    widths[k], 0, NULL, &a) == 0);
					/* kept the second time */
					CHECK(lay(sets[f], st, texts[i], SIZE,
					    widths[k], 0, NULL, &b) == 0);
					CHECK_STR(b.data, a.data);
					h0 = hits();
					CHECK(lay(sets[f], st, texts[i], SIZE,
					    widths[k], 0, NULL, &b) == 0);
					CHECK_INT(hits(), h0 + 1);
					CHECK_STR(b.data, a.data);
					textmemo_clear();
					CHECK(lay(sets[f], st, texts[i], SIZE,
					    widths[k], 0, NULL, &c) == 0);
					CHECK_STR(c.data, a.data);
				}
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
}

/* A key that left out a field would hand back the other layout. */
static void
test_key(void)
{
	const char *s = "Sumokėta iš viso: 1 234,56 € (su PVM), mokėtojo kodas "
	    "PVMmokėtojokodasLT100018548216 ir dar šiek tiek";
	struct buf fresh = { 0 }, got = { 0 };
	struct {
		const struct fontset *fs;
		enum text_style st;
		int32_t size, max;
		int flags;
	} v[] = {
		{ NULL, TEXT_REGULAR, SIZE, 0, 0 },
		{ NULL, TEXT_REGULAR, SIZE + 1000, 0, 0 },
		{ NULL, TEXT_BOLD, SIZE, 0, 0 },
		{ NULL, TEXT_REGULAR, SIZE, 150000, 0 },
		{ NULL, TEXT_REGULAR, SIZE, 150000, TEXT_BALANCE },
		{ NULL, TEXT_REGULAR, SIZE, 60000, TEXT_NO_CUT },
		{ NULL, TEXT_REGULAR, SIZE, 60000, 0 },
	};
	struct buf want[N(v) + 1];
	int32_t w = 0;
	struct gen_err err = { 0 };

	memset(want, 0, sizeof(want));
	/* Each variant laid out alone (fresh memo), then all in a row into
	 * one memo: each must still get its own lines. */
	for (size_t i = 0; i < N(v); i++) {
		textmemo_clear();
		CHECK(lay(hb, v[i].st, s, v[i].size, v[i].max, v[i].flags,
		    NULL, &want[i]) == 0);
	}
	textmemo_clear();
	CHECK(lay(v1, TEXT_REGULAR, s, SIZE, 0, 0, NULL, &want[N(v)]) == 0);
	textmemo_clear();
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < N(v); i++) {
			CHECK(lay(hb, v[i].st, s, v[i].size, v[i].max,
			    v[i].flags, NULL, &got) == 0);
			CHECK_STR(got.data, want[i].data);
		}
		CHECK(lay(v1, TEXT_REGULAR, s, SIZE, 0, 0, NULL, &got) == 0);
		CHECK_STR(got.data, want[N(v)].data);
	}
	/* The variants really differ (else the above proves nothing). */
	for (size_t i = 1; i < N(v); i++)
		if (strcmp(want[i].data, want[i - 1].data) == 0) {
			fprintf(stderr, "variants %zu and %zu agree:\n%s", i - 1,
			    i, want[i].data);
			CHECK(0);
		}
	CHECK(strcmp(want[N(v)].data, want[0].data) != 0);
	/* Measured after being laid out: the width, not a layout. */
	CHECK_INT(text_width(hb, TEXT_REGULAR, s, strlen(s), SIZE, &w, &err),
	    GEN_OK);
	CHECK(w > 150000);
	CHECK(strstr(want[0].data, "line w=") != NULL);
	CHECK_INT(w, atol(strstr(want[0].data, "line w=") + 7));
	textmemo_clear();
	CHECK(lay(hb, TEXT_REGULAR, s, SIZE, 0, 0, NULL, &fresh) == 0);
	CHECK_STR(fresh.data, want[0].data);
	for (size_t i = 0; i <= N(v); i++)
		buf_free(&want[i]);
	buf_free(&fresh);
	buf_free(&got);
}

/* Characters no face has are reported on every layout, hit or not. */
static void
test_missing(void)
{
	const char *s = "Kodas \xEE\x80\x80 ir \xF4\x8F\xBF\xBD";	/* E000,
								 * 10FFFD */
	struct text_warnings w1 = { 0 }, w2 = { 0 }, w3 = { 0 };
	struct buf a = { 0 }, b = { 0 };
	uint64_t h;

	textmemo_clear();
	CHECK(lay(hb, TEXT_REGULAR, s, SIZE, 0, 0, &w1, &a) == 0);
	CHECK(lay(hb, TEXT_REGULAR, s, SIZE, 0, 0, NULL, &a) == 0);
	h = hits();
	CHECK(lay(hb, TEXT_REGULAR, s, SIZE, 0, 0, &w2, &b) == 0);
	CHECK_INT(hits(), h + 1);
	CHECK_STR(b.data, a.data);
	CHECK(w1.n == 2 && w1.missing[0] == 0xE000 &&
	    w1.missing[1] == 0x10FFFD);
	CHECK(w2.n == 2 && w2.missing[0] == 0xE000 &&
	    w2.missing[1] == 0x10FFFD);
	/* NULL warnings on the hit are allowed; a later caller still gets
	 * them. */
	CHECK(lay(hb, TEXT_REGULAR, s, SIZE, 0, 0, NULL, &b) == 0);
	CHECK(lay(hb, TEXT_REGULAR, s, SIZE, 0, 0, &w3, &b) == 0);
	CHECK_INT(w3.n, 2);
	text_warnings_free(&w1);
	text_warnings_free(&w2);
	text_warnings_free(&w3);
	buf_free(&a);
	buf_free(&b);
}

/* Long texts are laid out every time; failures are not kept. */
static void
test_not_kept(void)
{
	struct buf big = { 0 }, a = { 0 }, b = { 0 };
	struct text_lines ls;
	struct gen_err err = { 0 };
	uint64_t m, h;

	while (big.len <= TEXTMEMO_MAX_TEXT)
		buf_puts(&big, "Softphone prenumerata, 12 mėnesių. ");
	textmemo_clear();
	m = misses();
	h = hits();
	CHECK(lay(hb, TEXT_REGULAR, big.data, SIZE, 300000, 0, NULL, &a) ==
	    0);
	CHECK(lay(hb, TEXT_REGULAR, big.data, SIZE, 300000, 0, NULL, &b) ==
	    0);
	CHECK_INT(misses(), m);
	CHECK_INT(hits(), h);
	CHECK_STR(b.data, a.data);
	/* A bad size fails both times, never from the memo. */
	CHECK_INT(text_layout_opts(hb, TEXT_REGULAR, "x", 1, 0, 0, 0, &ls,
	    NULL, &err), GEN_EINPUT);
	CHECK_INT(text_layout_opts(hb, TEXT_REGULAR, "x", 1, 0, 0, 0, &ls,
	    NULL, &err), GEN_EINPUT);
	CHECK_INT(hits(), h);
	buf_free(&big);
	buf_free(&a);
	buf_free(&b);
}

/* More texts than the table holds: it starts again, results stay right. */
static void
test_full(void)
{
	struct buf first = { 0 }, t = { 0 }, got = { 0 };
	uint64_t m;
	size_t i;

	textmemo_clear();
	CHECK(lay(hb, TEXT_REGULAR, "Nr. 0", SIZE, 0, 0, NULL, &first) == 0);
	CHECK(lay(hb, TEXT_REGULAR, "Nr. 0", SIZE, 0, 0, NULL, &got) == 0);
	m = misses();
	CHECK(lay(hb, TEXT_REGULAR, "Nr. 0", SIZE, 0, 0, NULL, &got) == 0);
	CHECK_INT(misses(), m);		/* kept */
	for (i = 1; i <= TEXTMEMO_MAX_ENTRIES; i++) {
		buf_reset(&t);
		buf_printf(&t, "Nr. %zu", i);
		for (int twice = 0; twice < 2; twice++)
			CHECK(lay(hb, TEXT_REGULAR, t.data, SIZE, 0, 0, NULL,
			    &got) == 0);
	}
	m = misses();
	CHECK(lay(hb, TEXT_REGULAR, "Nr. 0", SIZE, 0, 0, NULL, &got) == 0);
	CHECK_INT(misses(), m + 1);	/* emptied on the way */
	CHECK_STR(got.data, first.data);
	buf_free(&first);
	buf_free(&t);
	buf_free(&got);
}

/* Shared lines outlive the memo's hold on them, and may be freed by
 * another thread (ASan reports a use after free if they did not). */
static void *
free_job(void *arg)
{
	text_lines_free(arg);
	return NULL;
}

static void
test_sharing(void)
{
	const char *s = "Iš viso su PVM";
	struct text_lines a, b, c;
	struct gen_err err = { 0 };
	struct buf want = { 0 }, got = { 0 };
	pthread_t t;

	textmemo_clear();
	CHECK(lay(hb, TEXT_BOLD, s, SIZE, 0, 0, NULL, &want) == 0);
	CHECK_INT(text_layout_opts(hb, TEXT_BOLD, s, strlen(s), SIZE, 0, 0,
	    &a, NULL, &err), GEN_OK);		/* kept: a shares it */
	CHECK_INT(text_layout_opts(hb, TEXT_BOLD, s, strlen(s), SIZE, 0, 0,
	    &b, NULL, &err), GEN_OK);		/* a hit: b too */
	CHECK(a.memo != NULL && a.memo == b.memo && a.lines == b.lines);
	textmemo_clear();			/* the memo lets go */
	CHECK_INT(text_layout_opts(hb, TEXT_BOLD, s, strlen(s), SIZE, 0, 0,
	    &c, NULL, &err), GEN_OK);		/* a new layout of its own */
	CHECK(c.memo == NULL && c.lines != a.lines);
	dump(&a, &got);
	CHECK_STR(got.data, want.data);
	text_lines_free(&a);
	CHECK(a.memo == NULL && a.lines == NULL && a.n == 0);
	dump(&b, &got);				/* still there for b */
	CHECK_STR(got.data, want.data);
	CHECK_INT(pthread_create(&t, NULL, free_job, &b), 0);
	CHECK_INT(pthread_join(t, NULL), 0);
	dump(&c, &got);
	CHECK_STR(got.data, want.data);
	text_lines_free(&c);
	buf_free(&want);
	buf_free(&got);
}

/* Two threads, each with its own table, get the lines of one thread. */
struct job {
	struct buf out[N(texts)];
	uint64_t hits;
};

static void *
worker(void *arg)
{
	struct job *j = arg;

	for (int round = 0; round < 4; round++)
		for (size_t i = 0; i < N(texts); i++)
			if (lay(hb, TEXT_REGULAR, texts[i], SIZE, 80000, 0, NULL,
			    &j->out[i]) != 0)
				j->out[i].len = 0;
	j->hits = hits();
	return NULL;
}

static void
test_threads(void)
{
	struct job jobs[2];
	pthread_t t[2];
	struct buf want = { 0 };

	memset(jobs, 0, sizeof(jobs));
	for (int k = 0; k < 2; k++)
		CHECK(pthread_create(&t[k], NULL, worker, &jobs[k]) == 0);
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	for (size_t i = 0; i < N(texts); i++) {
		textmemo_clear();
		CHECK(lay(hb, TEXT_REGULAR, texts[i], SIZE, 80000, 0, NULL,
		    &want) == 0);
		for (int k = 0; k < 2; k++) {
			CHECK_STR(jobs[k].out[i].data, want.data);
			buf_free(&jobs[k].out[i]);
		}
	}
	/* Rounds 3 and 4 of each thread came from its own table (a text
	 * is kept the second time). */
	CHECK_INT(jobs[0].hits, 2 * N(texts));
	CHECK_INT(jobs[1].hits, 2 * N(texts));
	buf_free(&want);
}

int
main(void)
{
	const char *dir = getenv("INVGEN_TEST_FONT_DIR");
	struct gen_err err = { 0 };

	if (dir == NULL)
		dir = "fonts";
	if (fontset_get(dir, &hb, &err) != GEN_OK ||
	    fontset_get_list(dir, "v1.txt", TEXT_ENGINE_ICU, &v1, &err) !=
	    GEN_OK) {
		fprintf(stderr, "test-textmemo: fonts in %s: %s\n", dir,
		    err.msg);
		return 1;
	}
	test_same_as_fresh();
	test_key();
	test_missing();
	test_not_kept();
	test_full();
	test_sharing();
	test_threads();
	textmemo_clear();
	return test_report();
}
