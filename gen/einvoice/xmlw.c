/*
 * xmlw.c - libxml2's xmlTextWriter with a sticky error (see xmlw.h).
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "money.h"
#include "xmlw.h"

/* Record the first failure, naming what was being written. */
static void
check(struct xmlw *x, int r, const char *what)
{
	if (r < 0 && x->rc == GEN_OK)
		x->rc = gen_err_set(x->err, GEN_EXML, "%s: libxml2 could not "
		    "write %s", x->who, what);
}

enum gen_rc
xmlw_open(struct xmlw *x, const char *who, struct gen_err *err)
{
	memset(x, 0, sizeof(*x));
	x->who = who;
	x->err = err;
	xmlInitParser();	/* once per process; libxml2 guards it */
	if ((x->buffer = xmlBufferCreate()) == NULL ||
	    (x->w = xmlNewTextWriterMemory(x->buffer, 0)) == NULL) {
		xmlw_free(x);
		return gen_err_set(err, GEN_EXML, "%s: libxml2 could not create "
		    "a writer (out of memory)", who);
	}
	check(x, xmlTextWriterSetIndent(x->w, 1), "the indentation");
	if (x->rc == GEN_OK)
		check(x, xmlTextWriterSetIndentString(x->w, BAD_CAST "  "),
		    "the indentation");
	if (x->rc == GEN_OK)
		check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8",
		    NULL), "the XML declaration");
	return GEN_OK;
}

enum gen_rc
xmlw_finish(struct xmlw *x, struct buf *out)
{
	enum gen_rc rc;

	if (x->rc == GEN_OK)
		check(x, xmlTextWriterEndDocument(x->w), "the document end");
	xmlFreeTextWriter(x->w);	/* flushes into the buffer */
	x->w = NULL;
	if (x->rc == GEN_OK)
		buf_append(out, xmlBufferContent(x->buffer),
		    (size_t)xmlBufferLength(x->buffer));
	rc = x->rc;
	xmlw_free(x);
	return rc;
}

void
xmlw_free(struct xmlw *x)
{
	if (x->w != NULL)
		xmlFreeTextWriter(x->w);
	if (x->buffer != NULL)
		xmlBufferFree(x->buffer);
	x->w = NULL;
	x->buffer = NULL;
}

void
xmlw_start(struct xmlw *x, const char *name)
{
	if (x->rc == GEN_OK)
		check(x, xmlTextWriterStartElement(x->w, BAD_CAST name), name);
}

void
xmlw_end(struct xmlw *x)
{
	if (x->rc == GEN_OK)
		check(x, xmlTextWriterEndElement(x->w), "an end tag");
}

void
xmlw_attr(struct xmlw *x, const char *name, const char *value)
{
	if (x->rc == GEN_OK)
		check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
		    BAD_CAST value), name);
}

void
xmlw_comment(struct xmlw *x, const char *text)
{
	if (x->rc == GEN_OK)
		check(x, xmlTextWriterWriteComment(x->w, BAD_CAST text),
		    "a comment");
}

void
xmlw_elem(struct xmlw *x, const char *name, const char *text)
{
	xmlw_elem_attr(x, name, NULL, NULL, text);
}

void
xmlw_elem_in(struct xmlw *x, const char *outer, const char *name,
    const char *text)
{
	xmlw_elem_attr_in(x, outer, name, NULL, NULL, text);
}

void
xmlw_elem_attr_in(struct xmlw *x, const char *outer, const char *name,
    const char *attrname, const char *attrval, const char *text)
{
	if (text == NULL)
		return;
	xmlw_start(x, outer);
	xmlw_elem_attr(x, name, attrname, attrval, text);
	xmlw_end(x);
}

void
xmlw_elem_attr(struct xmlw *x, const char *name, const char *attrname,
    const char *attrval, const char *text)
{
	if (text == NULL || x->rc != GEN_OK)
		return;
	xmlw_start(x, name);
	if (attrval != NULL)
		xmlw_attr(x, attrname, attrval);
	if (x->rc == GEN_OK)
		check(x, xmlTextWriterWriteString(x->w, BAD_CAST text), name);
	xmlw_end(x);
}

void
xmlw_lib_version(struct buf *out)
{
	const char *v = xmlParserVersion;	/* "20914" = 2.9.14 */
	long n = strtol(v, NULL, 10);

	buf_printf(out, "libxml2 %ld.%ld.%ld", n / 10000, n / 100 % 100,
	    n % 100);
}

void
xmlw_int(struct xmlw *x, const char *name, const char *attrname,
    const char *attrval, int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	xmlw_elem_attr(x, name, attrname, attrval, s);
}

void
xmlw_rate(struct xmlw *x, const char *name, int32_t bp)
{
	char s[24];

	money_format_rate(bp, s, sizeof(s));
	xmlw_elem(x, name, s);
}

enum gen_rc
xmlw_document(const char *who, void (*body)(struct xmlw *), const void *data,
    struct buf *out, struct gen_err *err)
{
	struct xmlw x;
	enum gen_rc rc;

	buf_reset(out);
	if ((rc = xmlw_open(&x, who, err)) != GEN_OK)
		return rc;
	x.data = data;
	body(&x);
	if ((rc = xmlw_finish(&x, out)) != GEN_OK)
		buf_reset(out);
	return rc;
}
