/*
 * test-canvas.c - unit tests of gen/pdf/canvas.c: building pages and ops,
 * copies (the caller's arrays and strings are changed after adding),
 * growth past the first allocations, and the exact canvas_dump() text
 * that layout golden tests rely on.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "err.h"
#include "testlib.h"

static const struct canvas_color black = { 0, 0, 0 };

static void
test_build_and_copies(void)
{
	struct canvas *c = canvas_new();
	struct canvas_page *p;
	struct canvas_glyph g[3] = {
		{ 36, 1, { 'A', 0, 0 } },
		{ 1967, 2, { 'f', 'i', 0 } },
		{ 5, 0, { 0, 0, 0 } },
	};
	struct canvas_color fill = { 1, 2, 3 }, stroke = { 4, 5, 6 };
	unsigned char mods[9] = { 1, 1, 1, 0, 1, 0, 1, 0, 1 };
	char title[] = "Invoice", text[] = "logical";
	const struct canvas_text *t;

	CHECK(c != NULL);
	CHECK_INT(c->npages, 0);
	canvas_set_meta(c, title, "Author", NULL, "lt", "2024-05-01");
	title[0] = 'X';
	CHECK_STR(c->meta.title, "Invoice");
	CHECK_STR(c->meta.author, "Author");
	CHECK(c->meta.subject == NULL);
	CHECK_STR(c->meta.language, "lt");
	CHECK_STR(c->meta.date, "2024-05-01");
	canvas_set_meta(c, NULL, NULL, "Subject", NULL, NULL);
	CHECK(c->meta.title == NULL);
	CHECK_STR(c->meta.subject, "Subject");

	p = canvas_add_page(c, 595276, 841890);
	CHECK_INT(c->npages, 1);
	CHECK(p == &c->pages[0]);
	CHECK_INT(p->width, 595276);
	CHECK_INT(p->height, 841890);
	CHECK_INT(p->nops, 0);

	canvas_add_text(p, 2, 9000, 56693, 780000, fill, g, 3, text);
	g[0].gid = 99;
	g[1].cp[1] = 'l';
	text[0] = 'X';
	CHECK_INT(p->nops, 1);
	t = &p->ops[0].u.text;
	CHECK_INT(p->ops[0].kind, CANVAS_TEXT);
	CHECK_INT(t->font, 2);
	CHECK_INT(t->size, 9000);
	CHECK_INT(t->x, 56693);
	CHECK_INT(t->y, 780000);
	CHECK_INT(t->color.b, 3);
	CHECK_INT(t->nglyphs, 3);
	CHECK(t->glyphs != g);
	CHECK_INT(t->glyphs[0].gid, 36);
	CHECK_INT(t->glyphs[1].ncp, 2);
	CHECK_INT(t->glyphs[1].cp[1], 'i');
	CHECK_INT(t->glyphs[2].ncp, 0);
	CHECK_STR(t->actual_text, "logical");

	canvas_add_text(p, 0, 9000, 0, 0, black, NULL, 0, NULL);
	CHECK_INT(p->ops[1].u.text.nglyphs, 0);
	CHECK(p->ops[1].u.text.glyphs == NULL);
	CHECK(p->ops[1].u.text.actual_text == NULL);

	canvas_add_rect(p, 1, 2, 3, 4, &fill, NULL, 0);
	canvas_add_rect(p, 5, 6, 7, 8, NULL, &stroke, 500);
	canvas_add_rect(p, 9, 10, 11, 12, &fill, &stroke, 750);
	fill.r = 200;
	stroke.g = 200;
	CHECK_INT(p->ops[2].kind, CANVAS_RECT);
	CHECK_INT(p->ops[2].u.rect.fill, 1);
	CHECK_INT(p->ops[2].u.rect.stroke, 0);
	CHECK_INT(p->ops[2].u.rect.fill_color.r, 1);
	CHECK_INT(p->ops[3].u.rect.fill, 0);
	CHECK_INT(p->ops[3].u.rect.stroke, 1);
	CHECK_INT(p->ops[3].u.rect.stroke_color.g, 5);
	CHECK_INT(p->ops[3].u.rect.line_width, 500);
	CHECK_INT(p->ops[4].u.rect.fill, 1);
	CHECK_INT(p->ops[4].u.rect.stroke, 1);
	CHECK_INT(p->ops[4].u.rect.w, 11);
	CHECK_INT(p->ops[4].u.rect.h, 12);

	canvas_add_line(p, 10, 20, 30, 40, 250, stroke);
	CHECK_INT(p->ops[5].kind, CANVAS_LINE);
	CHECK_INT(p->ops[5].u.line.x1, 10);
	CHECK_INT(p->ops[5].u.line.y2, 40);
	CHECK_INT(p->ops[5].u.line.width, 250);
	CHECK_INT(p->ops[5].u.line.color.g, 200);

	canvas_add_qr(p, 100, 200, 1500, 3, mods);
	mods[0] = 0;
	CHECK_INT(p->ops[6].kind, CANVAS_QR);
	CHECK_INT(p->ops[6].u.qr.size, 3);
	CHECK_INT(p->ops[6].u.qr.module, 1500);
	CHECK(p->ops[6].u.qr.modules != mods);
	CHECK_INT(p->ops[6].u.qr.modules[0], 1);
	CHECK_INT(p->ops[6].u.qr.modules[8], 1);

	/* An empty symbol keeps no modules. */
	canvas_add_qr(p, 0, 0, 1000, 0, mods);
	CHECK_INT(p->ops[7].u.qr.size, 0);
	CHECK(p->ops[7].u.qr.modules == NULL);
	canvas_add_qr(p, 0, 0, 1000, 5, NULL);
	CHECK_INT(p->ops[8].u.qr.size, 0);
	CHECK_INT(p->nops, 9);
	canvas_free(c);
	canvas_free(NULL);
}

/* Past the first allocations of pages and ops, everything is kept. */
static void
test_growth(void)
{
	struct canvas *c = canvas_new();
	struct canvas_glyph g = { 7, 1, { 'x', 0, 0 } };
	struct canvas_page *p;
	size_t i, j;
	int ok = 1;

	for (i = 0; i < 37; i++) {
		p = canvas_add_page(c, 1000 + (int32_t)i, 2000);
		for (j = 0; j < 100; j++) {
			g.gid = (uint16_t)(i * 100 + j);
			canvas_add_text(p, (int)j, 1000, (int32_t)j, 0, black,
			    &g, 1, j % 2 ? "t" : NULL);
		}
	}
	CHECK_INT(c->npages, 37);
	for (i = 0; i < 37; i++) {
		ok &= c->pages[i].width == 1000 + (int32_t)i;
		ok &= c->pages[i].nops == 100;
		for (j = 0; j < 100; j++)
			ok &= c->pages[i].ops[j].u.text.glyphs[0].gid ==
			    i * 100 + j && c->pages[i].ops[j].u.text.font ==
			    (int)j;
	}
	CHECK(ok);
	canvas_free(c);
}

static void
test_dump(void)
{
	struct canvas *c = canvas_new();
	struct canvas_page *p;
	/* "Invoice No." with "fi"-style ligature and a mark (no text) */
	struct canvas_glyph inv[] = {
		{ 1, 1, { 'I' } }, { 2, 1, { 'n' } }, { 3, 1, { 'v' } },
		{ 4, 2, { 'o', 'i' } }, { 5, 0, { 0 } }, { 6, 1, { 'c' } },
		{ 7, 1, { 'e' } }, { 8, 1, { ' ' } }, { 9, 1, { 'N' } },
		{ 10, 1, { 'o' } }, { 11, 1, { '.' } },
	};
	struct canvas_glyph odd[] = {
		{ 1, 1, { '"' } }, { 2, 1, { '\\' } }, { 3, 1, { '\n' } },
		{ 4, 1, { 0x17d } }, { 5, 1, { 0x1d538 } }, { 6, 1, { 0xd800 } },
		{ 7, 1, { 0x110000 } }, { 8, 3, { 0x5d0, 0x20ac, 0x7f } },
	};
	struct canvas_glyph heb[] = { { 1, 1, { 0x5dd } }, { 2, 1, { 0x5e9 } } };
	struct canvas_color red = { 255, 0, 16 }, blue = { 0, 51, 153 };
	unsigned char mods[4] = { 1, 0, 1, 1 };
	struct buf out = { 0 };
	const char *want =
	    "meta title=\"Invoice \\\"1\\\"\" language=\"lt\" "
	    "date=\"2024-05-01\"\n"
	    "page 1 595276x841890\n"
	    "text x=56693 y=780000 font=0 size=9000 \"Invoice No.\"\n"
	    "text x=-5 y=0 font=3 size=12000 color=#FF0010 "
	    "\"\\\"\\\\\\u{A}\xc5\xbd\xf0\x9d\x94\xb8\\u{D800}\\u{110000}"
	    "\xd7\x90\xe2\x82\xac\\u{7F}\"\n"
	    "text x=1 y=2 font=1 size=10000 actual \"\xd7\xa9\xd7\x9d\"\n"
	    "text x=1 y=3 font=1 size=10000 actual \"a\\x{FF}b\\x{C3}\"\n"
	    "text x=0 y=0 font=0 size=1000 \"\"\n"
	    "rect x=10 y=20 w=30 h=40 fill=#FF0010\n"
	    "rect x=1 y=2 w=3 h=4 stroke=#003399 lw=750\n"
	    "rect x=5 y=6 w=7 h=8 fill=#003399 stroke=#FF0010 lw=0\n"
	    "rect x=5 y=6 w=7 h=8\n"
	    "line x1=0 y1=100 x2=500 y2=100 w=500\n"
	    "line x1=0 y1=0 x2=1 y2=1 w=0 color=#003399\n"
	    "qr x=1000 y=2000 module=1500 size=2 dark=3\n"
	    "page 2 100x200\n";

	canvas_dump(c, &out);
	CHECK(out.len == 0);

	canvas_set_meta(c, "Invoice \"1\"", NULL, NULL, "lt", "2024-05-01");
	p = canvas_add_page(c, 595276, 841890);
	canvas_add_text(p, 0, 9000, 56693, 780000, black, inv,
	    sizeof(inv) / sizeof(inv[0]), NULL);
	canvas_add_text(p, 3, 12000, -5, 0, red, odd,
	    sizeof(odd) / sizeof(odd[0]), NULL);
	canvas_add_text(p, 1, 10000, 1, 2, black, heb, 2,
	    "\xd7\xa9\xd7\x9d");
	canvas_add_text(p, 1, 10000, 1, 3, black, heb, 2, "a\xff" "b\xc3");
	canvas_add_text(p, 0, 1000, 0, 0, black, NULL, 0, NULL);
	canvas_add_rect(p, 10, 20, 30, 40, &red, NULL, 100);
	canvas_add_rect(p, 1, 2, 3, 4, NULL, &blue, 750);
	canvas_add_rect(p, 5, 6, 7, 8, &blue, &red, 0);
	canvas_add_rect(p, 5, 6, 7, 8, NULL, NULL, 0);
	canvas_add_line(p, 0, 100, 500, 100, 500, black);
	canvas_add_line(p, 0, 0, 1, 1, 0, blue);
	canvas_add_qr(p, 1000, 2000, 1500, 2, mods);
	canvas_add_page(c, 100, 200);

	canvas_dump(c, &out);
	CHECK_STR(out.data, want);

	/* The dump appends, and is the same every time. */
	canvas_dump(c, &out);
	CHECK_INT(out.len, 2 * strlen(want));
	CHECK(memcmp(out.data + strlen(want), want, strlen(want)) == 0);
	buf_free(&out);
	canvas_free(c);
}

/* MM_TO_MPT rounds whole millimetres to millipoints. */
static void
test_units(void)
{
	CHECK_INT(MM_TO_MPT(210), 595276);	/* A4 width: 595.276 pt */
	CHECK_INT(MM_TO_MPT(297), 841890);	/* A4 height: 841.890 pt */
	CHECK_INT(MM_TO_MPT(20), 56693);
	CHECK_INT(MM_TO_MPT(0), 0);
}

int
main(void)
{
	test_build_and_copies();
	test_growth();
	test_dump();
	test_units();
	return test_report();
}
