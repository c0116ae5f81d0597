/*
 * result.h - the typed results of libinvgen (result.c): the opaque
 * struct invgen_doc, invgen_docs, invgen_payment and invgen_file of
 * invgen.h, their constructors for the api module, and their accessors
 * and JSON (declared in invgen.h).
 *
 * A document result is the document's JSON form (docjson.h) and the
 * fields a caller reads most (number, kind, amounts, path, ...), read
 * from that JSON with the project's parser.  It is built the same way
 * whoever made the call: result_doc_new() writes the JSON of a document
 * of this process and reads it; a call made by `invgen serve` arrives as
 * that JSON and result_doc_parse() reads it.  So the accessors and
 * invgen_doc_json() of a served call and of a call made here cannot
 * differ, and the wire format of the server is the JSON a caller could
 * print anyway.  The other results are built from the library's own
 * structs and write their JSON when asked.
 */
#ifndef INVGEN_RESULT_H
#define INVGEN_RESULT_H

#include <stdint.h>

#include "docjson.h"
#include "err.h"
#include "model.h"
#include "payment.h"
#include "text.h"

/*
 * The result of a document: its JSON (as docjson_write() writes it with
 * these arguments) read back into *out, the caller's to
 * invgen_doc_free().  existed < 0: a stored document shown, no
 * "existed"; amount_text: a payment order's formatted total.  Fails
 * (GEN_EINTERNAL) only if docjson wrote what it cannot read: a bug.
 */
enum gen_rc result_doc_new(const struct document *d,
    const struct docjson_file *files, size_t nfiles, int existed,
    const char *amount_text, const struct text_warnings *warn,
    struct invgen_doc **out, struct gen_err *err);

/*
 * A document result from its JSON (len bytes; a served call's answer).
 * GEN_EINPUT naming the field when it is not a document object of this
 * library: a required member missing or of another type.  *out is the
 * caller's to invgen_doc_free().
 */
enum gen_rc result_doc_parse(const char *json, size_t len,
    struct invgen_doc **out, struct gen_err *err);

/* An empty list of documents; result_docs_add() takes d over. */
struct invgen_docs *result_docs_new(void);
void result_docs_add(struct invgen_docs *s, struct invgen_doc *d);

/* A booking (payment.h) with its invoice (taken over). */
struct invgen_payment *result_payment_new(const struct payment_booking *b,
    struct invgen_doc *invoice);

/* A file written for a caller; the strings are copied. */
struct invgen_file *result_file_new(const char *number, const char *format,
    const char *path, const char *sha256, int64_t size);

#endif
