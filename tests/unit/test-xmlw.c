/*
 * test-xmlw.c - the XML writer: the exact bytes of a small document,
 * escaping of markup in text and attributes, absent elements, integers
 * and rates, a whole document from a body callback, and the sticky error
 * (a document with an unclosed start is closed by the end).
 */
#include <libxml/parser.h>

#include "xmlw.h"
#include "testlib.h"

/* The body of a whole document: its data is the text of <t>. */
static void
body(struct xmlw *x)
{
	xmlw_start(x, "doc");
	xmlw_elem(x, "t", x->data);
	xmlw_int(x, "n", "unitCode", "C62", -12);
	xmlw_rate(x, "r", 2100);
	xmlw_end(x);
}

int
main(void)
{
	struct xmlw x;
	struct buf out = { 0 };
	struct gen_err err = { 0 };

	CHECK_INT(xmlw_open(&x, "test", &err), GEN_OK);
	xmlw_comment(&x, " a comment ");
	xmlw_start(&x, "root");
	xmlw_attr(&x, "xmlns", "urn:x");
	xmlw_elem(&x, "name", "Müller & Söhne <GmbH> \"q\"");
	xmlw_elem(&x, "absent", NULL);
	xmlw_elem_attr(&x, "amount", "currencyID", "EUR", "12.30");
	xmlw_elem_attr(&x, "plain", "unit", NULL, "3");
	xmlw_elem_attr(&x, "q", "a", "x\"<&>", "محمد");
	xmlw_end(&x);
	CHECK_INT(xmlw_finish(&x, &out), GEN_OK);
	CHECK_STR(out.data,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<!-- a comment -->\n"
	    "<root xmlns=\"urn:x\">\n"
	    "  <name>Müller &amp; Söhne &lt;GmbH&gt; &quot;q&quot;</name>\n"
	    "  <amount currencyID=\"EUR\">12.30</amount>\n"
	    "  <plain>3</plain>\n"
	    "  <q a=\"x&quot;&lt;&amp;&gt;\">محمد</q>\n"
	    "</root>\n");
	/* Appends to what out holds. */
	CHECK_INT(xmlw_open(&x, "test", &err), GEN_OK);
	xmlw_start(&x, "a");
	xmlw_end(&x);
	CHECK_INT(xmlw_finish(&x, &out), GEN_OK);
	CHECK(strstr(out.data, "</root>\n<?xml") != NULL);
	buf_free(&out);
	/* An element left open is closed by the end of the document. */
	CHECK_INT(xmlw_open(&x, "test", &err), GEN_OK);
	xmlw_start(&x, "open");
	CHECK_INT(xmlw_finish(&x, &out), GEN_OK);
	CHECK(strstr(out.data, "<open/>") != NULL);
	buf_free(&out);
	/* A whole document, replacing what out held. */
	buf_puts(&out, "old");
	CHECK_INT(xmlw_document("test", body, "a<b", &out, &err), GEN_OK);
	CHECK_STR(out.data,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<doc>\n"
	    "  <t>a&lt;b</t>\n"
	    "  <n unitCode=\"C62\">-12</n>\n"
	    "  <r>21.00</r>\n"
	    "</doc>\n");
	buf_free(&out);
	/* Freed without output. */
	CHECK_INT(xmlw_open(&x, "test", &err), GEN_OK);
	xmlw_start(&x, "x");
	xmlw_free(&x);
	xmlCleanupParser();
	return test_report();
}
