/*
 * store_private.h - what the store files (store.c, store_order.c,
 * store_doc.c, store_report.c) share: the connection struct, error
 * translation and the column maps that keep long INSERT and SELECT lists
 * in step with the C structs.  Not for use outside the store module.
 */
#ifndef INVGEN_STORE_PRIVATE_H
#define INVGEN_STORE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "caldate.h"
#include "err.h"

#define STORE_STMT_CACHE 32

struct store {
	sqlite3 *db;
	char *path;
	int busy_timeout_ms;
	int lockfd;		/* a read-only open's SHARED lock, or -1 */
	struct {
		char *sql;
		sqlite3_stmt *st;
	} cache[STORE_STMT_CACHE];
	size_t ncache;
};

/* GEN_EDB (GEN_ECONFLICT for constraints) with SQLite's message. */
enum gen_rc store_dberr(struct store *s, struct gen_err *err,
    const char *what);
enum gen_rc store_prepare(struct store *s, const char *sql,
    sqlite3_stmt **st, struct gen_err *err);
/*
 * A prepared statement kept for the life of the connection, for queries
 * run once per document (loading a snapshot in a batch): the same SQL
 * text gives the same statement, reset and with its bindings cleared.
 * Do not finalize it; call store_done() when the rows are read.
 */
enum gen_rc store_prepare_cached(struct store *s, const char *sql,
    sqlite3_stmt **st, struct gen_err *err);
void store_done(sqlite3_stmt *st);
/*
 * The ECB rate of currency of the latest day in from..to (YYYY-MM-DD), or
 * with latest 0 of the earliest, into units and rate_date.  None: what
 * says where it was looked for ("on 2026-05-02 or in the 7 days before"),
 * and the error is GEN_ERETRY naming the rates to import when the
 * currency has rates but not for those days (stale or a gap: the
 * operator's fix), GEN_EINPUT when it has none at all (a currency without
 * ECB rates).
 */
enum gen_rc store_fx_between(struct store *s, const char *currency,
    const char *from, const char *to, int latest, const char *what,
    char *units, size_t unitsz, char rate_date[CALDATE_LEN],
    struct gen_err *err);
/* NULL or "" binds SQL NULL. */
void store_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Owned copy of a TEXT column, NULL for SQL NULL. */
char *store_col_text(sqlite3_stmt *st, int i);
/* Copy a TEXT column into a fixed buffer ("" for NULL). */
void store_col_copy(sqlite3_stmt *st, int i, char *out, size_t sz);

/*
 * A column map: one entry per column, naming the struct field it comes
 * from.  COL_STR is a char * (NULL <-> SQL NULL), COL_ARR an inline char
 * array ("" <-> NULL), COL_I64/COL_INT integers, COL_I64Z an int64_t and
 * COL_INTZ an int where 0 <-> NULL, COL_I64F an int64_t that is NULL
 * unless the int flag at offset `size` is set (read: set when the column
 * is not NULL; the columns sharing a flag are written NULL together).
 */
enum col_type { COL_STR, COL_ARR, COL_I64, COL_I64Z, COL_INT, COL_I32,
	COL_INTZ, COL_I64F };

struct col_map {
	const char *name;
	enum col_type type;
	size_t off;
	size_t size;
};

/* Entries of a column map for a field of struct T (see col_type). */
#define MAP_S(T, col, field) { col, COL_STR, offsetof(T, field), 0 }
#define MAP_A(T, col, field) \
	{ col, COL_ARR, offsetof(T, field), sizeof(((T *)0)->field) }
#define MAP_I(T, col, field) { col, COL_INT, offsetof(T, field), 0 }
#define MAP_IZ(T, col, field) { col, COL_INTZ, offsetof(T, field), 0 }
#define MAP_W(T, col, field) { col, COL_I32, offsetof(T, field), 0 }
#define MAP_L(T, col, field) { col, COL_I64, offsetof(T, field), 0 }
#define MAP_Z(T, col, field) { col, COL_I64Z, offsetof(T, field), 0 }
#define MAP_F(T, col, field, flag) \
	{ col, COL_I64F, offsetof(T, field), offsetof(T, flag) }
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* "a, b, c" and "?, ?, ?" for a map. */
void store_colmap_names(const struct col_map *m, size_t n, char *out,
    size_t sz, int placeholders);
/* "q.a, q.b, q.c" for a map: its names qualified by a table alias. */
void store_colmap_qualified(const struct col_map *m, size_t n,
    const char *alias, char *out, size_t sz);
/* Bind the fields of rec to parameters first..first+n-1. */
void store_colmap_bind(sqlite3_stmt *st, int first, const struct col_map *m,
    size_t n, const void *rec);
/* Read columns first..first+n-1 into rec. */
void store_colmap_read(sqlite3_stmt *st, int first, const struct col_map *m,
    size_t n, void *rec);
/*
 * Check that columns first..first+n-1 of the current row hold what the
 * map reads, for rows a bot may write with SQL: text is TEXT (or NULL),
 * well-formed UTF-8 without NUL bytes and, for an inline array, short
 * enough to fit it; integers are INTEGER (or NULL), and not 0 where 0
 * means NULL.  Otherwise nothing stored would be read as something else
 * (a REAL quantity truncated, a text read as 0, "DEU" cut to "DE").
 * GEN_EINPUT: "TABLE.COLUMN of WHAT: ..." (what: "order A-1").
 */
enum gen_rc store_colmap_check(sqlite3_stmt *st, int first,
    const struct col_map *m, size_t n, const char *table, const char *what,
    struct gen_err *err);

/*
 * Records read and written with a column map: what store_rows_collect()
 * needs to read them from a query, and for the rows of a table that
 * belong to one parent row (the lines of a document, the draws of an
 * order) what store_rows_insert() and store_rows_read() need to write and
 * read them.
 */
struct store_rows {
	const struct col_map *map;
	size_t nmap;
	size_t size;		/* of one record */
	const char *read_what;	/* reading them, in a database error */
	/* The rows of a parent row only: */
	const char *table;
	const char *parent;	/* the column holding the parent's id */
	const char *seq;	/* a column numbering them from 1, or NULL */
	const char *order;	/* ORDER BY of reading them back */
	const char *insert_what;
	int cached;		/* statements kept (store_prepare_cached) */
};

/*
 * Read every row of st (prepared and bound) with t's map into the array
 * *rows of *n records, each zeroed first.  owner: NULL, or what the rows
 * of a table a bot may write with SQL are lines of ("order A-1"): each
 * row is then checked first (store_colmap_check on t->table), named
 * "order A-1, line N" by its first column.  On error nothing is left:
 * the records' text fields (COL_STR) and the array are freed, *rows and
 * *n are NULL and 0.
 */
enum gen_rc store_rows_collect(struct store *s, sqlite3_stmt *st,
    const struct store_rows *t, const char *owner, void **rows, size_t *n,
    struct gen_err *err);
/*
 * The ids sql returns (one integer column), with bind as ?1 unless it is
 * 0: *ids owned, NULL when there are none or on error; what names the
 * query in a database error.
 */
enum gen_rc store_ids(struct store *s, const char *sql, int64_t bind,
    int64_t **ids, size_t *n, const char *what, struct gen_err *err);
/* Insert the n records of rows as the rows of parent in t->table. */
enum gen_rc store_rows_insert(struct store *s, const struct store_rows *t,
    int64_t parent, const void *rows, size_t n, struct gen_err *err);
/* Read the rows of parent in t->table (see store_rows_collect). */
enum gen_rc store_rows_read(struct store *s, const struct store_rows *t,
    int64_t parent, const char *owner, void **rows, size_t *n,
    struct gen_err *err);

#endif
