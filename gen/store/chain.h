/*
 * chain.h - the tamper-evident archive: a hash chain per number series
 * over the canonical text of every issued document and every recorded
 * file hash, taken in the transaction that writes the rows, and its
 * verification.
 *
 * Canonical form.  A document's canonical text lists every stored column
 * of its document row, its document_line rows and its document_vat rows;
 * a file's lists the columns of its document_file row.  Which columns, in
 * which order, is a canonical *form*: a numbered list in chain.c, never
 * changed once released.  A link records the form it was taken in, so a
 * column added later (a new form) does not break older links.  The text
 * is one value line per column, in the form's order, under a "[table]" or
 * "[table N]" header per row; values are integers, null, or double-quoted
 * text with \" \\ \n \r \t \u00XX escapes (see chain.c for the exact
 * grammar).
 *
 * Link.  Each series has a chain of links at positions 1, 2, ...: the
 * document links in number order, each file link after the document it
 * belongs to, in the order recorded.  A link stores its canonical text,
 * the SHA-256 of the previous link (64 zeros for the first) and its own
 * SHA-256, the hash of
 *     "invgen chain link 1\nseries=" Q(series) "\npos=" POS
 *     "\nprev=" PREV "\n" CANONICAL
 * (Q: the text quoting of the canonical form).  The last link's SHA-256
 * is the series' head.  Storing the canonical text lets verify name the
 * column that changed; the chain's hashes cover it.
 *
 * What it cannot do: whoever can write the database can also rebuild a
 * whole chain; only a head kept outside (verify --expect-head) shows that
 * history up to it was not rewritten.
 *
 * All functions work on the caller's transaction: links are taken inside
 * the writing transaction (store_document_insert, store_file_insert call
 * them), verification inside a read transaction.
 */
#ifndef INVGEN_CHAIN_H
#define INVGEN_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "store.h"

/* The canonical form new links are taken in. */
#define CHAIN_FORM 1

/* The tables of a canonical form. */
enum chain_table { CHAIN_DOCUMENT, CHAIN_LINE, CHAIN_VAT, CHAIN_FILE,
	CHAIN_DRAW, CHAIN_NTABLES };

/* "document", "document_line", "document_vat", "document_file",
 * "document_draw". */
const char *chain_table_name(enum chain_table t);
/* The columns of a table in a form, NULL-terminated; NULL for an unknown
 * form. */
const char *const *chain_form_columns(int form, enum chain_table t);

/*
 * The canonical text of a document (its row, lines, VAT rows and draws on
 * the prepaid balance as stored now) in a form, appended to out.  GEN_ENOTFOUND when there is no
 * document with that id; GEN_EDB when a column cannot be read.
 */
enum gen_rc chain_canonical_document(struct store *s, int form,
    int64_t document_id, struct buf *out, struct gen_err *err);
/* The same for a document_file row. */
enum gen_rc chain_canonical_file(struct store *s, int form,
    int64_t document_id, const char *format, struct buf *out,
    struct gen_err *err);

/* SHA-256 (hex) of a link: see the header comment. */
void chain_link_hash(const char *series, int64_t pos, const char *prev,
    const char *canonical, size_t len, char hex[65]);

/* Append the link of a document just inserted (inside its transaction). */
enum gen_rc chain_link_document(struct store *s, int64_t document_id,
    struct gen_err *err);
/* Append the link of a document_file row just inserted. */
enum gen_rc chain_link_file(struct store *s, int64_t document_id,
    const char *format, struct gen_err *err);
/*
 * Link every document and file row that has no link yet, series by
 * series in number order, each document's files after it: how a database
 * issued before the chain existed gets one.  *added counts the links.
 */
enum gen_rc chain_link_missing(struct store *s, size_t *added,
    struct gen_err *err);

/*
 * Before a document numbered seq is written in a series: the number must
 * follow the last document of the series and the last document of its
 * chain.  Otherwise number_series was changed by hand (a gap, or a number
 * given twice) or documents were removed: GEN_EDB, "damaged archive",
 * naming the series.
 */
enum gen_rc chain_check_series(struct store *s, const char *series,
    int64_t seq, struct gen_err *err);

/* The end of one series' chain, as chain_verify found it. */
struct chain_head {
	char series[128];
	size_t documents;	/* document links */
	size_t files;		/* file-hash links */
	int64_t links;		/* links in all */
	char head[65];		/* the SHA-256 of the last link */
};

/* An expected head found in its chain (chain_verify's expect). */
struct chain_anchor {
	char series[128];
	char sha256[65];
	int64_t link;		/* its position */
};

/* What chain_verify found; chain_result_free() releases the arrays. */
struct chain_result {
	size_t problems;	/* changed, removed, inserted, broken, gaps */
	size_t damaged;		/* number_series not matching the documents */
	size_t links;		/* links checked */
	struct chain_head *heads;	/* one per series, by series */
	size_t nheads;
	struct chain_anchor *anchors;	/* the expected heads found */
	size_t nanchors;
};
void chain_result_free(struct chain_result *res);
/* One line per series ("chain ZLV: 17 documents, 68 file hashes, 85
 * links, head SHA256") and per anchor found, appended to out. */
void chain_heads_text(const struct chain_result *res, struct buf *out);

/*
 * Verify every chain (inside a read transaction): each link's hash and
 * its place after the previous one; each document and file row against
 * the canonical text of its link, naming by document number any changed
 * column, a removed, inserted or renumbered document and a gap in a
 * series; number_series against the documents.  Appends one line per
 * problem to rep; each series' head is in res->heads, each anchor found
 * in res->anchors (chain_heads_text() writes them).  expect holds
 * "SERIES=SHA256" anchors (nexpect of them): each must be a link of its
 * series' chain, else history before it was rewritten (a problem); a
 * malformed anchor is GEN_EINPUT.  Problems are counted in *res, not
 * returned: the return code is for failures to read.
 */
enum gen_rc chain_verify(struct store *s, const char *const *expect,
    size_t nexpect, struct buf *rep, struct chain_result *res,
    struct gen_err *err);

#endif
