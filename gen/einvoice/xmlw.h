/*
 * xmlw.h - the XML writer of invgen's XML outputs (UBL, CII, the i.SAF
 * register): libxml2's xmlTextWriter into memory, with a sticky error.
 * After the first failure every call is a no-op and the error names the
 * writer and the element; the caller checks once at the end.  xmlw.c is
 * the only file that includes libxml2's writer; libxml2 escapes markup
 * characters in text and attribute values.
 *
 * Calling sequence
 *     struct xmlw x;
 *     if ((rc = xmlw_open(&x, "ubl", err)) != GEN_OK) return rc;
 *     xmlw_start(&x, "Invoice"); xmlw_attr(&x, "xmlns", NS);
 *     xmlw_elem(&x, "cbc:ID", number); ...
 *     xmlw_end(&x);
 *     rc = xmlw_finish(&x, out);     // appends the document, frees
 */
#ifndef INVGEN_XMLW_H
#define INVGEN_XMLW_H

#include <stdint.h>

#include "buf.h"
#include "err.h"

struct xmlw {
	void *w;		/* xmlTextWriterPtr */
	void *buffer;		/* xmlBufferPtr */
	struct gen_err *err;
	enum gen_rc rc;		/* GEN_OK until the first failure */
	const char *who;	/* "ubl", "cii", "i.SAF": starts messages */
	const void *data;	/* the caller's content, for its callbacks */
};

/*
 * Start a document (XML declaration, UTF-8, two-space indentation).
 * GEN_EXML when libxml2 cannot allocate the writer; then nothing is
 * left to free.
 */
enum gen_rc xmlw_open(struct xmlw *x, const char *who, struct gen_err *err);
/* End the document, append it to out when no call failed, free the
 * writer.  Returns the sticky code. */
enum gen_rc xmlw_finish(struct xmlw *x, struct buf *out);
/* Free without output (after an error of the caller's own). */
void xmlw_free(struct xmlw *x);

void xmlw_start(struct xmlw *x, const char *name);
void xmlw_end(struct xmlw *x);
void xmlw_attr(struct xmlw *x, const char *name, const char *value);
void xmlw_comment(struct xmlw *x, const char *text);
/* <name>text</name>; nothing at all when text is NULL. */
void xmlw_elem(struct xmlw *x, const char *name, const char *text);
/* <outer><name>text</name></outer>; nothing at all when text is NULL. */
void xmlw_elem_in(struct xmlw *x, const char *outer, const char *name,
    const char *text);
/* The same with xmlw_elem_attr's attribute on name. */
void xmlw_elem_attr_in(struct xmlw *x, const char *outer, const char *name,
    const char *attrname, const char *attrval, const char *text);
/* <name attrname="attrval">text</name>; nothing when text is NULL, no
 * attribute when attrval is NULL. */
void xmlw_elem_attr(struct xmlw *x, const char *name, const char *attrname,
    const char *attrval, const char *text);
/* <name attrname="attrval">v</name>, v in decimal (no attribute when
 * attrval is NULL). */
void xmlw_int(struct xmlw *x, const char *name, const char *attrname,
    const char *attrval, int64_t v);
/* <name>rate</name>, a rate in basis points as a percentage ("21.00"). */
void xmlw_rate(struct xmlw *x, const char *name, int32_t bp);

/*
 * A whole document: open a writer for who, set x->data = data, call
 * body(x), finish into out.  out is replaced, and empty on failure.
 */
enum gen_rc xmlw_document(const char *who, void (*body)(struct xmlw *),
    const void *data, struct buf *out, struct gen_err *err);

/*
 * Append libxml2's version ("libxml2 2.9.14"): it writes the UBL and CII
 * bytes.  Recorded with each issued document (render_env).
 */
void xmlw_lib_version(struct buf *out);

#endif
