/*
 * test-template.c - layout templates (gen/layout/template.c): the shipped
 * templates load; the tree holds what the file says (page sizes, lengths,
 * colours, bindings resolved to docview ids, extends, <qr>); every kind of
 * invalid template is refused with "file:line:" and what is allowed; the
 * process-wide cache returns one tree per file, also to concurrent
 * threads, and re-reads a changed file.
 *
 * Run from the top of the repository (templates/ is read from there).
 * Bad templates are written to a fresh directory under /tmp.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docview.h"
#include "template.h"
#include "testlib.h"
#include "testtools.h"

static char dir[64];

/* Write text to dir/name; returns the path (static buffer). */
static const char *
put(const char *name, const char *text)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!write_file(path, text, strlen(text))) {
		perror(path);
		exit(1);
	}
	return path;
}

/* Parse text as dir/name; expect GEN_EINPUT with each fragment. */
static void
expect_fail(const char *name, const char *text, const char *frag1,
    const char *frag2)
{
	struct template *t = (struct template *)dir;
	struct gen_err err = {0};
	const char *path = put(name, text);

	CHECK_INT(template_parse(path, &t, &err), GEN_EINPUT);
	CHECK(t == NULL);
	CHECK_MSG(err, frag1);
	if (frag2 != NULL)
		CHECK_MSG(err, frag2);
}

static const struct tpl_node *
kid(const struct tpl_node *n, size_t k)
{
	return n != NULL && k < n->nkids ? n->kids[k] : NULL;
}

static void
test_shipped(void)
{
	struct template *a = NULL, *l = NULL;
	struct gen_err err = {0};

	CHECK_INT(template_parse("templates/invoice.xml", &a, &err), GEN_OK);
	if (a == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return;
	}
	CHECK_INT(a->page_w, 595276);	/* 210 mm */
	CHECK_INT(a->page_h, 841890);	/* 297 mm */
	CHECK_INT(a->margin[0], MM_TO_MPT(16));
	CHECK_INT(a->margin[1], MM_TO_MPT(17));
	CHECK_INT(a->base.size, 9000);
	CHECK(a->footer != NULL);
	CHECK(a->running != NULL);
	CHECK(a->body->nkids > 4);
	CHECK_INT(kid(a->body, 0)->kind, TPL_ROW);
	/* The seller column: the logo, then seller.name. */
	CHECK_INT(kid(kid(kid(a->body, 0), 0), 0)->kind, TPL_LOGO);
	CHECK_INT(kid(kid(kid(a->body, 0), 0), 0)->height, MM_TO_MPT(11));
	CHECK_INT(kid(kid(kid(a->body, 0), 0), 1)->bind,
	    docview_lookup("seller.name", NULL, NULL));
	CHECK_INT(kid(kid(kid(a->body, 0), 0), 1)->st.style, 1);
	CHECK_INT(kid(kid(kid(a->body, 0), 0), 1)->st.size, 12000);

	CHECK_INT(template_parse("templates/invoice-letter.xml", &l, &err),
	    GEN_OK);
	if (l != NULL) {
		CHECK_INT(l->page_w, 612000);
		CHECK_INT(l->page_h, 792000);
		CHECK_INT(l->margin[0], 43200);	/* 0.6 in */
		CHECK_INT(l->margin[1], 50400);	/* 0.7 in */
		CHECK_INT(l->margin[2], 39600);
		/* Same content as the A4 template. */
		CHECK_INT(l->body->nkids, a->body->nkids);
		CHECK_INT(l->base.size, a->base.size);
		CHECK_INT((int)l->nfiles, 2);
		CHECK(strstr(l->files[1], "templates/invoice.xml") != NULL);
	} else
		fprintf(stderr, "%s\n", err.msg);
	template_free(a);
	template_free(l);
	template_free(NULL);
}

/* Values: lengths, colours, widths, defaults, literal text. */
static void
test_values(void)
{
	struct template *t = NULL;
	struct gen_err err = {0};
	const struct tpl_node *r, *x;
	const char *path = put("ok.xml",
	    "<?xml version='1.0'?>\n"
	    "<template page='Letter' margin='1in 10mm 2cm 0.5pt' size='7.5'\n"
	    "    color='#123' bilingual='inline'>\n"
	    "  <!-- a comment -->\n"
	    "  <row gap='5mm'>\n"
	    "    <column width='40%'><text>  Hello\n   world  </text></column>\n"
	    "    <column width='2*'><label key='seller'/></column>\n"
	    "    <column width='30mm' if='!is_credit_note'/>\n"
	    "    <column/>\n"
	    "  </row>\n"
	    "  <box border='0.5pt' fill='#f0F0f0' padding='1mm 2mm'>\n"
	    "    <field label='total' bind='totals.total' label-width='35%'/>\n"
	    "  </box>\n"
	    "  <table rows='lines' header-fill='#eee' header-size='7'>\n"
	    "    <column width='*' label='description' bind='line.description'/>\n"
	    "    <column width='20mm' if='has_discount'>\n"
	    "      <text bind='line.discount'/><text bind='doc.currency'/>\n"
	    "    </column>\n"
	    "  </table>\n"
	    "  <rule thickness='1pt' color='#ff0000' space-before='2mm'/>\n"
	    "  <space height='3mm'/>\n"
	    "  <if test='treatment.REVERSE_CHARGE'><text bind='note.reverse_charge'"
	    " keep='together'/></if>\n"
	    "</template>\n");

	CHECK_INT(template_parse(path, &t, &err), GEN_OK);
	if (t == NULL) {
		fprintf(stderr, "%s\n", err.msg);
		return;
	}
	CHECK_INT(t->page_w, 612000);
	CHECK_INT(t->margin[0], 72000);
	CHECK_INT(t->margin[1], 28346);		/* 10 mm */
	CHECK_INT(t->margin[2], 56693);		/* 2 cm */
	CHECK_INT(t->margin[3], 500);
	CHECK_INT(t->base.size, 7500);
	CHECK_INT(t->base.color.r, 0x11);
	CHECK_INT(t->base.color.b, 0x33);
	CHECK_INT(t->base.bilingual, TPL_BI_INLINE);
	CHECK_INT(t->base.line_height, 1250);	/* defaults filled in */
	CHECK_INT(t->base.style, 0);
	CHECK(t->footer == NULL);

	r = kid(t->body, 0);
	CHECK_INT(r->kind, TPL_ROW);
	CHECK_INT(r->gap, 14173);
	CHECK_INT((int)r->nkids, 4);
	CHECK_INT(kid(r, 0)->width.kind, TPL_W_PERCENT);
	CHECK_INT(kid(r, 0)->width.v, 4000);
	CHECK_STR(kid(kid(r, 0), 0)->literal, "Hello world");
	CHECK_INT(kid(r, 1)->width.kind, TPL_W_STAR);
	CHECK_INT(kid(r, 1)->width.v, 2000);
	CHECK_STR(kid(kid(r, 1), 0)->key, "seller");
	CHECK_INT(kid(r, 2)->width.kind, TPL_W_FIXED);
	CHECK_INT(kid(r, 2)->cond, docview_lookup("is_credit_note", NULL,
	    NULL));
	CHECK_INT(kid(r, 2)->cond_neg, 1);
	CHECK_INT(kid(r, 3)->width.kind, TPL_W_AUTO);

	x = kid(t->body, 1);
	CHECK_INT(x->kind, TPL_BOX);
	CHECK_INT(x->thickness, 500);
	CHECK_INT(x->has_fill, 1);
	CHECK_INT(x->fill.g, 0xf0);
	CHECK_INT(x->padding[0], 2835);
	CHECK_INT(x->padding[1], 5669);
	CHECK_INT(x->padding[2], 2835);
	CHECK_INT(kid(x, 0)->kind, TPL_FIELD);
	CHECK_STR(kid(x, 0)->label, "total");
	CHECK_INT(kid(x, 0)->width.kind, TPL_W_PERCENT);
	CHECK_INT(kid(x, 0)->bind, docview_lookup("totals.total", NULL, NULL));

	x = kid(t->body, 2);
	CHECK_INT(x->kind, TPL_TABLE);
	CHECK_INT(x->rows, DOCVIEW_LINE);
	CHECK_INT(x->header_size, 7000);
	CHECK_INT(x->fill.r, 0xee);
	/* bind= on a column is one <text bind> child. */
	CHECK_INT((int)kid(x, 0)->nkids, 1);
	CHECK_INT(kid(kid(x, 0), 0)->kind, TPL_TEXT);
	CHECK_INT(kid(kid(x, 0), 0)->bind, docview_lookup("line.description",
	    NULL, NULL));
	CHECK_INT((int)kid(x, 1)->nkids, 2);
	CHECK_INT(kid(x, 1)->cond, docview_lookup("has_discount", NULL, NULL));

	x = kid(t->body, 3);
	CHECK_INT(x->kind, TPL_RULE);
	CHECK_INT(x->thickness, 1000);
	CHECK_INT(x->has_stroke, 1);
	CHECK_INT(x->stroke.r, 255);
	CHECK_INT(x->space_before, 5669);
	CHECK_INT(kid(t->body, 4)->kind, TPL_SPACE);
	CHECK_INT(kid(t->body, 4)->height, 8504);
	x = kid(t->body, 5);
	CHECK_INT(x->kind, TPL_BLOCK);
	CHECK_INT(x->cond, docview_lookup("treatment.REVERSE_CHARGE", NULL,
	    NULL));
	CHECK_INT(kid(x, 0)->keep, 1);
	CHECK_INT(kid(x, 0)->line, 23);	/* the literal above spans 2 lines */
	template_free(t);
}

#define HEAD "<?xml version='1.0'?>\n<template>\n"

static void
test_errors(void)
{
	struct template *t = (struct template *)dir;
	struct gen_err err = {0};
	char missing[128];

	expect_fail("e1.xml", HEAD "  <tabel rows='lines'/>\n</template>\n",
	    "/e1.xml:3: <tabel>: unknown element here; allowed: group, if, "
	    "row, text, label, field, table, rule, box, space, qr, logo, "
	    "footer, running-header", NULL);
	expect_fail("e2.xml", HEAD "  <text bind='doc.title' sise='9'/>\n"
	    "</template>\n", "/e2.xml:3: <text>: unknown attribute 'sise'; "
	    "allowed: bind, if, space-before, space-after, keep, size,", NULL);
	expect_fail("e3.xml", HEAD "\n  <text bind='doc.titel'/>\n</template>\n",
	    "/e3.xml:4: <text bind='doc.titel'>: unknown name; allowed: "
	    "doc.title, doc.number,", NULL);
	expect_fail("e4.xml", HEAD "  <text bind='is_paid'/>\n</template>\n",
	    "e4.xml:3:", "a flag has no text");
	expect_fail("e5.xml", HEAD "  <text bind='line.net'/>\n</template>\n",
	    "e5.xml:3:", "rows='lines' can be used only inside that table");
	expect_fail("e6.xml", HEAD "  <table rows='vats'>\n"
	    "    <column bind='line.net'/>\n  </table>\n</template>\n",
	    "e6.xml:4: <column bind='line.net'>", "only inside");
	expect_fail("e7.xml", HEAD "  <if test='nonsense'/>\n</template>\n",
	    "e7.xml:3: <if test='nonsense'>: unknown name; allowed: doc.*, "
	    "seller.*", NULL);
	expect_fail("e8.xml", HEAD "  <if/>\n</template>\n",
	    "e8.xml:3: <if>: attribute 'test' is required", NULL);
	expect_fail("e9.xml", HEAD "  <space height='3furlongs'/>\n"
	    "</template>\n", "e9.xml:3: <space height='3furlongs'>: not a "
	    "length; allowed: a number with mm, cm, in or pt", NULL);
	expect_fail("e10.xml", HEAD "  <text color='red'>x</text>\n"
	    "</template>\n", "e10.xml:3: <text color='red'>: allowed: #rrggbb "
	    "or #rgb", NULL);
	expect_fail("e11.xml", "<template page='A3'/>\n",
	    "e11.xml:1: <template page='A3'>: unknown page size; allowed: A4, "
	    "A5, Letter, Legal", NULL);
	expect_fail("e12.xml", HEAD "  <text>unclosed\n</template>\n",
	    "e12.xml:5: Premature end of data", NULL);
	expect_fail("e13.xml", "<page/>\n",
	    "e13.xml:1: the root element must be <template>, not <page>",
	    NULL);
	expect_fail("e14.xml", HEAD "  <text bind='doc.title'>and text</text>\n"
	    "</template>\n", "e14.xml:3: <text>: has both bind and literal "
	    "text", NULL);
	expect_fail("e15.xml", HEAD "  <page-number/>\n</template>\n",
	    "e15.xml:3: <page-number>: not allowed here", NULL);
	expect_fail("e16.xml", HEAD "  <row><text>x</text></row>\n"
	    "</template>\n", "e16.xml:3: <text>: not allowed here; allowed: "
	    "column", NULL);
	expect_fail("e17.xml", HEAD "  <row/>\n</template>\n",
	    "e17.xml:3: <row>: needs at least one <column>", NULL);
	expect_fail("e18.xml", HEAD "  <table rows='items'/>\n</template>\n",
	    "e18.xml:3: <table rows='items'>: allowed: lines, vats", NULL);
	expect_fail("e19.xml", HEAD "  <row><column width='x%'/></row>\n"
	    "</template>\n", "e19.xml:3: <column width='x%'>: allowed: *, N*, "
	    "a percentage (40%) or a length (30mm)", NULL);
	expect_fail("e20.xml", HEAD "  <label key='Seller'/>\n</template>\n",
	    "e20.xml:3: <label>: key='Seller' is not a catalogue key", NULL);
	expect_fail("e21.xml", HEAD "  <field label='total'/>\n</template>\n",
	    "e21.xml:3: <field>: attribute 'bind' is required", NULL);
	expect_fail("e22.xml", HEAD "  <rule>x</rule>\n</template>\n",
	    "e22.xml:3: <rule>: must be empty", NULL);
	expect_fail("e23.xml", HEAD "  <footer/>\n  <footer/>\n</template>\n",
	    "e23.xml:4: <footer>: only one per template", NULL);
	expect_fail("e24.xml", HEAD "  text outside\n</template>\n",
	    "e24.xml:", "text is allowed only inside <text>");
	expect_fail("e25.xml", HEAD "  <text size='100'>x</text>\n"
	    "</template>\n", "e25.xml:3: <text size='100'>: not a font size; "
	    "allowed: 3 to 72", NULL);
	expect_fail("e26.xml", HEAD "  <text style='italic'>x</text>\n"
	    "</template>\n", "allowed: regular, bold", NULL);
	expect_fail("e27.xml", "<template margin='300mm'/>\n",
	    "e27.xml: the margins leave less than 1 x 2 inches", NULL);
	expect_fail("e28.xml", HEAD "  <group keep='always'/>\n</template>\n",
	    "e28.xml:3: <group keep='always'>: allowed: together", NULL);
	expect_fail("e29.xml", HEAD "  <text><b>x</b></text>\n</template>\n",
	    "e29.xml:3: <text>: holds text only, not <b>", NULL);
	expect_fail("e30.xml", HEAD "  <field label='total' bind='totals.net'"
	    " label-width='*'/>\n</template>\n", "e30.xml:3: <field "
	    "label-width='*'>: allowed: a percentage", NULL);

	/* extends: a cycle, content, a path, a missing base. */
	put("cyc-a.xml", "<template extends='cyc-b.xml'/>\n");
	expect_fail("cyc-b.xml", "<template extends='cyc-a.xml'/>\n",
	    "more than 3 levels of extends", NULL);
	expect_fail("ext1.xml", "<template extends='ok.xml'>\n  <space "
	    "height='1mm'/>\n</template>\n", "ext1.xml:2: <template extends>: "
	    "must be empty", NULL);
	/* extends names a sibling file, never a path elsewhere. */
	expect_fail("ext3.xml", "<template extends='/etc/passwd'/>\n",
	    "ext3.xml:1: <template extends='/etc/passwd'>: not a file name; "
	    "allowed: the name of another template in the same directory",
	    NULL);
	expect_fail("ext4.xml", "<template extends='../templates/x.xml'/>\n",
	    "extends='../templates/x.xml'>: not a file name", NULL);
	expect_fail("ext5.xml", "<template extends='..'/>\n",
	    "extends='..'>: not a file name", NULL);
	expect_fail("ext6.xml", "<template extends=''/>\n",
	    "extends=''>: not a file name", NULL);
	put("ext2.xml", "<template extends='nothere.xml'/>\n");
	snprintf(missing, sizeof(missing), "%s/ext2.xml", dir);
	CHECK_INT(template_parse(missing, &t, &err), GEN_EIO);
	CHECK_MSG(err, "/nothere.xml: cannot read template");
	snprintf(missing, sizeof(missing), "%s/absent.xml", dir);
	CHECK_INT(template_parse(missing, &t, &err), GEN_EIO);
	CHECK(t == NULL);
	CHECK_MSG(err, "absent.xml: cannot read template: No such file");
}

static const char *cache_path;

static void *
cache_thread(void *arg)
{
	const struct template **out = arg;
	struct gen_err err = {0};

	if (template_get(cache_path, out, &err) != GEN_OK)
		*out = NULL;
	return NULL;
}

static void
test_cache(void)
{
	const struct template *a = NULL, *b = NULL, *c = NULL;
	const struct template *th[4] = { NULL, NULL, NULL, NULL };
	pthread_t tid[4];
	struct gen_err err = {0};
	char path[128];

	snprintf(path, sizeof(path), "%s/cached.xml", dir);
	cache_path = path;
	put("cached.xml", "<template><text>one</text></template>\n");
	for (int k = 0; k < 4; k++)
		pthread_create(&tid[k], NULL, cache_thread, &th[k]);
	for (int k = 0; k < 4; k++)
		pthread_join(tid[k], NULL);
	CHECK(th[0] != NULL);
	for (int k = 1; k < 4; k++)
		CHECK(th[k] == th[0]);
	CHECK_INT(template_get(path, &a, &err), GEN_OK);
	CHECK_INT(template_get(path, &b, &err), GEN_OK);
	CHECK(a == b);
	CHECK(a == th[0]);
	/* A changed file is read again; the old tree stays valid. */
	put("cached.xml", "<template><text>two, longer</text></template>\n");
	CHECK_INT(template_get(path, &c, &err), GEN_OK);
	CHECK(c != NULL && c != a);
	if (c != NULL)
		CHECK_STR(c->body->kids[0]->literal, "two, longer");
	CHECK_STR(a->body->kids[0]->literal, "one");
	/* A broken file is not cached. */
	put("cached.xml", "<template><text>three</template>\n");
	CHECK_INT(template_get(path, &c, &err), GEN_EINPUT);
	CHECK(c == NULL);
	CHECK_MSG(err, "cached.xml:2: Premature end of data");
}

/*
 * <qr bind size>: size is a length (the square with the quiet zone), not
 * a font size; bind and size are required; the attributes are checked
 * like every other element's.
 */
static void
test_qr(void)
{
	struct template *t = NULL, *po = NULL;
	struct gen_err err = {0};
	const struct tpl_node *q;
	const char *path = put("qr.xml", HEAD "  <qr bind='payment.qr' "
	    "size='40mm' align='right' if='is_eur' space-before='2mm'/>\n"
	    "  <qr bind='payer.name' size='1.5in'/>\n</template>\n");

	CHECK_INT(template_parse(path, &t, &err), GEN_OK);
	if (t != NULL) {
		q = kid(t->body, 0);
		CHECK_INT(q->kind, TPL_QR);
		CHECK_INT(q->bind, docview_lookup("payment.qr", NULL, NULL));
		CHECK_INT(q->height, MM_TO_MPT(40));	/* 113386 mpt */
		CHECK_INT(q->st.align, TPL_ALIGN_RIGHT);
		CHECK_INT(q->st.size, 0);	/* not a font size */
		CHECK_INT(q->cond, docview_lookup("is_eur", NULL, NULL));
		CHECK_INT(q->space_before, MM_TO_MPT(2));
		CHECK_INT(kid(t->body, 1)->height, 108000);
	} else
		fprintf(stderr, "%s\n", err.msg);
	template_free(t);

	/* The shipped payment-order template has one. */
	CHECK_INT(template_parse("templates/transfer-order.xml", &po, &err),
	    GEN_OK);
	if (po == NULL)
		fprintf(stderr, "%s\n", err.msg);
	template_free(po);

	/* <logo height>: the seller's logo (layout version 2). */
	path = put("logo.xml", HEAD "  <logo height='12mm' align='right' "
	    "if='has_logo'/>\n  <text bind='doc.title' fit='balance'/>\n"
	    "</template>\n");
	CHECK_INT(template_parse(path, &t, &err), GEN_OK);
	if (t != NULL) {
		CHECK_INT(kid(t->body, 0)->kind, TPL_LOGO);
		CHECK_INT(kid(t->body, 0)->height, MM_TO_MPT(12));
		CHECK_INT(kid(t->body, 0)->st.align, TPL_ALIGN_RIGHT);
		CHECK_INT(kid(t->body, 0)->cond, docview_lookup("has_logo",
		    NULL, NULL));
		CHECK_INT(kid(t->body, 1)->st.fit, TPL_FIT_BALANCE);
	} else
		fprintf(stderr, "%s\n", err.msg);
	template_free(t);
	expect_fail("l1.xml", HEAD "  <logo/>\n</template>\n", "l1.xml:3: "
	    "<logo height=''>: allowed: a length from 5mm to 60mm", NULL);
	expect_fail("l2.xml", HEAD "  <logo height='80mm'/>\n</template>\n",
	    "l2.xml:3: <logo height='80mm'>: allowed:", NULL);
	expect_fail("l3.xml", HEAD "  <logo height='12mm' bind='payer.name'/>"
	    "\n</template>\n", "l3.xml:3: <logo>: unknown attribute 'bind'; "
	    "allowed: height, align, if, space-before, space-after", NULL);
	expect_fail("f1.xml", HEAD "  <text bind='doc.title' fit='even'/>\n"
	    "</template>\n", "<text fit='even'>: allowed: wrap, shrink, "
	    "balance", NULL);

	expect_fail("q1.xml", HEAD "  <qr size='40mm'/>\n</template>\n",
	    "q1.xml:3: <qr>: attribute 'bind' is required", NULL);
	expect_fail("q2.xml", HEAD "  <qr bind='payment.qr'/>\n</template>\n",
	    "q2.xml:3: <qr>: attribute 'size' is required", NULL);
	expect_fail("q3.xml", HEAD "  <qr bind='payment.qr' size='9'/>\n"
	    "</template>\n", "q3.xml:3: <qr size='9'>: allowed: a length "
	    "from 15mm to 120mm", NULL);
	expect_fail("q4.xml", HEAD "  <qr bind='payment.qr' size='121mm'/>\n"
	    "</template>\n", "q4.xml:3: <qr size='121mm'>: allowed:", NULL);
	expect_fail("q5.xml", HEAD "  <qr bind='payment.qr' size='4cmx'/>\n"
	    "</template>\n", "q5.xml:3: <qr size='4cmx'>: allowed:", NULL);
	expect_fail("q6.xml", HEAD "  <qr bind='payment.qr' size='40mm' "
	    "keep='together'/>\n</template>\n", "q6.xml:3: <qr>: unknown "
	    "attribute 'keep'; allowed: bind, size, align, if, space-before, "
	    "space-after", NULL);
	expect_fail("q7.xml", HEAD "  <qr bind='payment.qr' size='40mm' "
	    "color='#000'/>\n</template>\n", "unknown attribute 'color'",
	    NULL);
	expect_fail("q8.xml", HEAD "  <qr bind='is_eur' size='40mm'/>\n"
	    "</template>\n", "q8.xml:3:", "a flag has no text");
	expect_fail("q9.xml", HEAD "  <qr bind='payment.qrr' size='40mm'/>\n"
	    "</template>\n", "q9.xml:3: <qr bind='payment.qrr'>: unknown "
	    "name; allowed: payment.method,", NULL);
	expect_fail("q10.xml", HEAD "  <qr bind='payment.qr' size='40mm'>x"
	    "</qr>\n</template>\n", "q10.xml:3: <qr>: must be empty", NULL);
	expect_fail("q11.xml", HEAD "  <qr bind='payment.qr' size='40mm' "
	    "align='middle'/>\n</template>\n", "q11.xml:3: <qr "
	    "align='middle'>: allowed: left, center, right", NULL);
	expect_fail("q12.xml", HEAD "  <row><qr bind='payment.qr' "
	    "size='40mm'/></row>\n</template>\n", "q12.xml:3: <qr>: not "
	    "allowed here; allowed: column", NULL);
}

int
main(void)
{
	char cmd[96];

	snprintf(dir, sizeof(dir), "/tmp/test-template.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_shipped();
	test_values();
	test_errors();
	test_qr();
	test_cache();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return test_report();
}
