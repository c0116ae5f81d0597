/*
 * store.c - the SQLite connection: opening and migrating the database,
 * transactions, the reference data (VAT rates and ECB exchange rates, with
 * the ECB CSV import), and the statement helpers the other store files
 * share (store_private.h: error translation, the statement cache, text
 * columns).  The queries are in store_order.c (seller profiles, payers,
 * orders, number series), store_doc.c (issued documents) and
 * store_report.c (the reports' rows).  The store files are the only ones
 * that include <sqlite3.h> (through store_private.h): SQLite result codes
 * become GEN_EDB with sqlite3_errmsg() copied into the message before
 * anything is finalised.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "caldate.h"
#include "chain.h"
#include "money.h"
#include "schema.h"
#include "store.h"
#include "store_private.h"

enum gen_rc
store_dberr(struct store *s, struct gen_err *err, const char *what)
{
	int saved = errno;	/* before anything below can change it */
	int code = sqlite3_extended_errcode(s->db);
	int sys = sqlite3_system_errno(s->db);
	enum gen_rc rc = GEN_EDB;
	struct statvfs vfs;

	if ((code & 0xff) == SQLITE_CONSTRAINT)
		rc = GEN_ECONFLICT;

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return gen_err_set(err, GEN_EDB, "%s: database %s is locked by "
		    "another writer beyond the %d ms busy timeout (%s)", what,
		    s->path, s->busy_timeout_ms, sqlite3_errmsg(s->db));
	/*
	 * I/O failures: the operating system's reason says what to do (disk
	 * full, file too large, read-only file system).  SQLite keeps the
	 * last system error, but not on every path (a failed COMMIT of the
	 * WAL loses it), so errno at the failure is the fallback, and a
	 * read-only file system is asked for directly.
	 */
	if ((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_FULL ||
	    (code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_READONLY) {
		if (statvfs(s->path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
			sys = EROFS;
		else if (sys == 0 || sys == ENOENT) {
			if (saved == ENOSPC || saved == EFBIG ||
			    saved == EDQUOT || saved == EROFS || saved == EIO ||
			    saved == EACCES || saved == EPERM)
				sys = saved;
		}
		if (sys != 0)
			return gen_err_set(err, rc, "%s: %s: %s (database %s)",
			    what, sqlite3_errmsg(s->db), strerror(sys), s->path);
	}
	return gen_err_set(err, rc, "%s: %s (database %s)", what,
	    sqlite3_errmsg(s->db), s->path);
}

enum gen_rc
store_prepare(struct store *s, const char *sql, sqlite3_stmt **st,
    struct gen_err *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return store_dberr(s, err, "prepare");
	return GEN_OK;
}

enum gen_rc
store_prepare_cached(struct store *s, const char *sql, sqlite3_stmt **st,
    struct gen_err *err)
{
	enum gen_rc rc;

	for (size_t i = 0; i < s->ncache; i++)
		if (strcmp(s->cache[i].sql, sql) == 0) {
			*st = s->cache[i].st;
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return GEN_OK;
		}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK)
		return store_dberr(s, err, "prepare");
	if (s->ncache == STORE_STMT_CACHE) {
		/* full: the statement lives until the next store_done */
		rc = GEN_OK;
		sqlite3_finalize(s->cache[0].st);
		free(s->cache[0].sql);
		memmove(&s->cache[0], &s->cache[1],
		    (STORE_STMT_CACHE - 1) * sizeof(s->cache[0]));
		s->ncache--;
		(void)rc;
	}
	s->cache[s->ncache].sql = xstrdup(sql);
	s->cache[s->ncache++].st = *st;
	return GEN_OK;
}

void
store_done(sqlite3_stmt *st)
{
	if (st != NULL)
		sqlite3_reset(st);
}

void
store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL || v[0] == '\0')
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

char *
store_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t == NULL ? NULL : xstrdup((const char *)t);
}

void
store_col_copy(sqlite3_stmt *st, int i, char *out, size_t sz)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, sz, "%s", t ? (const char *)t : "");
}

/* Run a statement that returns no rows; the message names it. */
static enum gen_rc
exec(struct store *s, const char *sql, struct gen_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char what[48];
		enum gen_rc rc;

		snprintf(what, sizeof(what), "%.*s", (int)strcspn(sql, "\n;"),
		    sql);
		rc = store_dberr(s, err, what);

		sqlite3_free(msg);
		return rc;
	}
	return GEN_OK;
}

static int
user_version(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int
store_schema_version(struct store *s)
{
	return user_version(s);
}

int
store_readonly(struct store *s)
{
	return sqlite3_db_readonly(s->db, "main") == 1;
}

/* Next whitespace-separated field of a reference-data line. */
static const char *
field(const char **p, const char *end, size_t *len)
{
	const char *q;

	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	q = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*len = (size_t)(*p - q);
	return *len ? q : NULL;
}

/*
 * Load the lines of a rates file, text, named file in messages (see the
 * headers of gen/data/vat_rates.txt, "country rate from to", and of
 * gen/data/vat_rates_regional.txt, "country region rate from to", where
 * the sources are named), with the INSERT sql binding the fields in that
 * order (the rate in basis points, "-" as NULL); regional: the lines have
 * the region field.  what names the INSERT in a database error.
 */
static enum gen_rc
load_rates(struct store *s, const char *text, const char *file,
    int regional, const char *sql, const char *what, struct gen_err *err)
{
	const char *p = text;
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int lineno = 0, nf = regional ? 5 : 4, r = regional ? 1 : 0;

	rc = store_prepare(s, sql, &st, err);
	while (rc == GEN_OK && *p != '\0') {
		const char *eol = strchr(p, '\n'), *f[5];
		size_t len[5];
		char cc[3], region[16], pct[16], from[16], to[16], label[64];
		int64_t bp;
		int32_t day;

		if (eol == NULL)
			eol = p + strlen(p);
		lineno++;
		if (*p == '#' || p == eol) {
			p = *eol ? eol + 1 : eol;
			continue;
		}
		for (int i = 0; i < nf; i++)
			f[i] = field(&p, eol, &len[i]);
		if (f[nf - 1] == NULL || len[0] != 2 ||
		    (regional && len[1] >= sizeof(region)) ||
		    len[1 + r] >= sizeof(pct) || len[2 + r] != 10 ||
		    (len[3 + r] != 10 && len[3 + r] != 1)) {
			rc = gen_err_set(err, GEN_EINTERNAL, "%s line %d: "
			    "malformed", file, lineno);
			break;
		}
		snprintf(cc, sizeof(cc), "%.*s", (int)len[0], f[0]);
		if (regional)
			snprintf(region, sizeof(region), "%.*s", (int)len[1],
			    f[1]);
		snprintf(pct, sizeof(pct), "%.*s", (int)len[1 + r], f[1 + r]);
		snprintf(from, sizeof(from), "%.*s", (int)len[2 + r], f[2 + r]);
		snprintf(to, sizeof(to), "%.*s", (int)len[3 + r], f[3 + r]);
		snprintf(label, sizeof(label), "%s rate", file);
		if ((rc = money_parse_decimal(pct, 2, &bp, label, err)) !=
		    GEN_OK)
			break;
		snprintf(label, sizeof(label), "%s valid_from", file);
		if ((rc = caldate_parse(from, &day, label, err)) != GEN_OK)
			break;
		snprintf(label, sizeof(label), "%s valid_to", file);
		if (strcmp(to, "-") != 0 && (rc = caldate_parse(to, &day, label,
		    err)) != GEN_OK)
			break;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, cc, -1, SQLITE_TRANSIENT);
		if (regional)
			sqlite3_bind_text(st, 2, region, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2 + r, bp);
		sqlite3_bind_text(st, 3 + r, from, -1, SQLITE_TRANSIENT);
		store_bind_text(st, 4 + r, strcmp(to, "-") == 0 ? NULL : to);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_dberr(s, err, what);
		p = *eol ? eol + 1 : eol;
	}
	sqlite3_finalize(st);
	return rc;
}

static enum gen_rc
load_vat_rates(struct store *s, struct gen_err *err)
{
	return load_rates(s, schema_vat_rates_text(), "vat_rates.txt", 0,
	    "INSERT INTO vat_rate(country, rate_bp, valid_from, valid_to, "
	    "source) VALUES (?, ?, ?, ?, 'EC TEDB via "
	    "vatnode/eu-vat-rates-data (v2026-09-23); invgen "
	    "gen/data/vat_rates.txt')", "load VAT rates", err);
}

static enum gen_rc
load_regional_rates(struct store *s, struct gen_err *err)
{
	return load_rates(s, schema_vat_rates_regional_text(),
	    "vat_rates_regional.txt", 1, "INSERT INTO vat_rate_region(country, "
	    "region, rate_bp, valid_from, valid_to, source) VALUES (?, ?, ?, "
	    "?, ?, 'CIVA Art. 6(16), 18(3); AT Ofício Circulado 25045/2024; "
	    "invgen gen/data/vat_rates_regional.txt')",
	    "load regional VAT rates", err);
}

/* Load gen/data/ecb_rates.txt: "date currency units_per_eur" lines. */
static enum gen_rc
load_ecb_rates(struct store *s, struct gen_err *err)
{
	const char *p = schema_ecb_rates_text();
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	rc = store_prepare(s, "INSERT INTO exchange_rate(currency, rate_date, "
	    "units_per_eur, source) VALUES (?, ?, ?, 'ECB euro foreign "
	    "exchange reference rates (eurofxref-hist)')", &st, err);
	while (rc == GEN_OK && *p != '\0') {
		const char *eol = strchr(p, '\n'), *f[3];
		size_t len[3];

		if (eol == NULL)
			eol = p + strlen(p);
		if (*p != '#' && p != eol) {
			for (int i = 0; i < 3; i++)
				f[i] = field(&p, eol, &len[i]);
			if (f[2] == NULL)
				return sqlite3_finalize(st), gen_err_set(err,
				    GEN_EINTERNAL, "ecb_rates.txt: malformed line");
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, f[1], (int)len[1],
			    SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, f[0], (int)len[0],
			    SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 3, f[2], (int)len[2],
			    SQLITE_TRANSIENT);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = store_dberr(s, err, "load ECB rates");
		}
		p = *eol ? eol + 1 : eol;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Replace the one occurrence of `from` in text by `to` (owned result);
 * NULL when it occurs never or more than once. */
static char *
replace_once(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n, f = strlen(from), t = strlen(to);
	char *out;

	if (at == NULL || strstr(at + f, from) != NULL)
		return NULL;
	n = strlen(text) - f + t;
	out = xmalloc(n + 1);
	memcpy(out, text, (size_t)(at - text));
	memcpy(out + (at - text), to, t);
	memcpy(out + (at - text) + t, at + f, strlen(at + f) + 1);
	return out;
}

/*
 * Widen the CHECK constraints that list the kinds of documents (document,
 * number_series) and the VAT treatments (document), in place: SQLite's
 * documented procedure for a schema change ALTER TABLE cannot make
 * (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
 * Changes": a CHECK that only accepts more), so no table is rebuilt and
 * every row, rowid, trigger, index and foreign key stays as it is.  Inside
 * the migration's transaction: the stored CREATE TABLE texts are edited
 * with writable_schema on, the schema cookie is incremented so that every
 * connection reloads the schema, and an integrity check follows.  A text
 * that does not hold the expected list exactly once (a schema edited by
 * hand) is refused: GEN_EDB naming the table.
 */
static enum gen_rc
widen_checks(struct store *s, struct gen_err *err)
{
	static const char kinds_old[] =
	    "('invoice', 'credit_note', 'transfer_order')";
	static const char kinds_new[] =
	    "('invoice', 'credit_note', 'transfer_order',\n"
	    "\t\t 'prepayment_receipt', 'balance_use')";
	static const char treat_old[] = "'REVERSE_CHARGE', 'OUTSIDE_SCOPE')";
	static const char treat_new[] =
	    "'REVERSE_CHARGE', 'OUTSIDE_SCOPE', 'PREPAID')";
	static const char *const tables[2] = { "document", "number_series" };
	char *sql[2] = { NULL, NULL };
	sqlite3_stmt *st = NULL;
	int cookie = 0;
	enum gen_rc rc = GEN_OK;

	for (int i = 0; i < 2 && rc == GEN_OK; i++) {
		char *a = NULL;

		if ((rc = store_prepare(s, "SELECT sql FROM sqlite_master WHERE "
		    "type = 'table' AND name = ?", &st, err)) != GEN_OK)
			break;
		sqlite3_bind_text(st, 1, tables[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			a = replace_once((const char *)sqlite3_column_text(st, 0),
			    kinds_old, kinds_new);
		sqlite3_finalize(st);
		st = NULL;
		if (a != NULL && i == 0) {
			sql[i] = replace_once(a, treat_old, treat_new);
			free(a);
		} else
			sql[i] = a;
		if (sql[i] == NULL)
			rc = gen_err_set(err, GEN_EDB, "table %s: its CREATE TABLE "
			    "text does not hold the CHECK constraint this "
			    "migration widens (was the schema changed by "
			    "hand?)", tables[i]);
	}
	if (rc == GEN_OK &&
	    sqlite3_prepare_v2(s->db, "PRAGMA schema_version", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		cookie = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (rc == GEN_OK && cookie <= 0)
		rc = store_dberr(s, err, "read the schema version");
	if (rc == GEN_OK)
		rc = exec(s, "PRAGMA writable_schema = ON", err);
	for (int i = 0; i < 2 && rc == GEN_OK; i++) {
		if ((rc = store_prepare(s, "UPDATE sqlite_master SET sql = ? "
		    "WHERE type = 'table' AND name = ?", &st, err)) != GEN_OK)
			break;
		sqlite3_bind_text(st, 1, sql[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, tables[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE || sqlite3_changes(s->db) != 1)
			rc = store_dberr(s, err, "widen a CHECK constraint");
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == GEN_OK) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA schema_version = %d",
		    cookie + 1);
		rc = exec(s, pragma, err);
	}
	/* Off again in any case; the schema is read anew from here on. */
	sqlite3_exec(s->db, "PRAGMA writable_schema = OFF", NULL, NULL, NULL);
	if (rc == GEN_OK) {
		const char *res = NULL;

		if (sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st,
		    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
			res = (const char *)sqlite3_column_text(st, 0);
		if (res == NULL || strcmp(res, "ok") != 0)
			rc = gen_err_set(err, GEN_EDB, "integrity check after "
			    "widening the CHECK constraints: %s", res ? res :
			    sqlite3_errmsg(s->db));
		sqlite3_finalize(st);
	}
	free(sql[0]);
	free(sql[1]);
	return rc;
}

/* Apply every migration newer than the file's user_version, atomically. */
static enum gen_rc
migrate(struct store *s, struct gen_err *err)
{
	const struct schema_migration *m;
	size_t n, linked = 0;
	int v, links = 0;
	enum gen_rc rc;
	char sql[64];

	v = user_version(s);
	if (v < 0)
		return store_dberr(s, err, "read schema version");
	if (v > schema_latest_version())
		return gen_err_set(err, GEN_EDB, "database %s has schema version "
		    "%d, newer than this invgen understands (%d); upgrade "
		    "invgen", s->path, v, schema_latest_version());
	if (v == schema_latest_version())
		return GEN_OK;
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	v = user_version(s);	/* another process may have migrated */
	m = schema_migrations(&n);
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		if (m[i].version <= v)
			continue;
		links |= m[i].links_chain;
		if (m[i].widens_checks)
			rc = widen_checks(s, err);
		if (rc == GEN_OK && m[i].sql != NULL)
			rc = exec(s, m[i].sql, err);
		if (rc == GEN_OK && m[i].loads_vat_rates)
			rc = load_vat_rates(s, err);
		if (rc == GEN_OK && m[i].loads_ecb_rates)
			rc = load_ecb_rates(s, err);
		if (rc == GEN_OK && m[i].loads_regional_rates)
			rc = load_regional_rates(s, err);
		if (rc == GEN_OK) {
			snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
			    m[i].version);
			rc = exec(s, sql, err);
		}
		if (rc != GEN_OK)
			gen_err_prefix(err, "migration %s: ", m[i].name);
	}
	/* After the last migration: see links_chain in schema.h. */
	if (rc == GEN_OK && links &&
	    (rc = chain_link_missing(s, &linked, err)) != GEN_OK)
		gen_err_prefix(err, "migration: linking the archive chain: ");
	if (rc != GEN_OK) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

/*
 * path as an SQLite URI with the query q ("mode=ro"): "file:" and the
 * path with every byte but letters, digits and / . _ ~ - as %XX, so that
 * a '?', '#' or '%' in a file name is part of the name.  Owned.
 */
static char *
uri_of(const char *path, const char *q)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = { 0 };

	/* "file:///abs": an empty authority before an absolute path */
	buf_puts(&b, path[0] == '/' ? "file://" : "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/._~-", *p) != NULL)
			buf_putc(&b, (char)*p);
		else {
			buf_putc(&b, '%');
			buf_putc(&b, hex[*p >> 4]);
			buf_putc(&b, hex[*p & 15]);
		}
	}
	buf_printf(&b, "?%s", q);
	return buf_detach(&b, NULL);
}

/* 1 if the side file path+suffix exists (and, for empty_ok, is not
 * empty). */
static int
side_file(const char *path, const char *suffix, int empty_ok)
{
	char side[PATH_MAX];
	struct stat sb;

	if (snprintf(side, sizeof(side), "%s%s", path, suffix) >=
	    (int)sizeof(side))
		return 1;
	return stat(side, &sb) == 0 && (empty_ok || sb.st_size > 0);
}

/*
 * The lock SQLite's unix VFS calls SHARED, taken on the database file
 * the way SQLite takes it (a read lock on the 510 bytes after the pending
 * byte), for a connection that reads the file as immutable and so takes
 * none itself: while it is held, no writer of a rollback-journal database
 * gets the EXCLUSIVE lock it needs to change the file, and no writer of
 * a WAL database closing the last connection gets the one it needs to
 * copy its changes into the file.  0 when it cannot be had (a writer
 * holds the file).
 */
static int
shared_lock(struct store *s, const char *path)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0x40000000 + 2;	/* PENDING_BYTE + 2: SHARED_FIRST */
	fl.l_len = 510;			/* SHARED_SIZE */
	if ((s->lockfd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	for (int64_t waited = 0; fcntl(s->lockfd, F_SETLK, &fl) != 0;
	    waited += 10) {
		if ((errno != EACCES && errno != EAGAIN) ||
		    waited >= s->busy_timeout_ms)
			return 0;
		usleep(10 * 1000);
	}
	return 1;
}

/*
 * Open the database only for reading, writing nothing to it or beside it
 * (README, "Reading never writes").  A WAL database in use has its -shm
 * file, and a copy taken with uncheckpointed changes its -wal file:
 * SQLite's mode=ro reads them beside any writer (making the -shm file
 * when only the -wal one is there).  A database with neither has no
 * connection and nothing beyond its file: it is read as immutable, which
 * makes no file (mode=ro would make a -wal and a -shm file and leave
 * them), under a SHARED lock of SQLite's own kind (shared_lock) so that a
 * writer that comes meanwhile waits until the read is over.  That is also
 * the only way to read it on a read-only file system.
 */
static enum gen_rc
open_readonly(struct store *s, const char *path, struct gen_err *err)
{
	static const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	    SQLITE_OPEN_NOMUTEX;
	int immutable = !side_file(path, "-shm", 1) &&
	    !side_file(path, "-wal", 0);
	char *uri;
	enum gen_rc rc;

	if (immutable && !shared_lock(s, path))
		return gen_err_set(err, GEN_EDB, "open read-only: database %s is "
		    "locked by another writer beyond the %d ms busy timeout",
		    path, s->busy_timeout_ms);
	uri = uri_of(path, immutable ? "mode=ro&immutable=1" : "mode=ro");
	if (sqlite3_open_v2(uri, &s->db, flags, NULL) == SQLITE_OK) {
		sqlite3_extended_result_codes(s->db, 1);
		sqlite3_busy_timeout(s->db, s->busy_timeout_ms);
		if (user_version(s) >= 0) {
			free(uri);
			return GEN_OK;
		}
	}
	free(uri);
	if (s->db == NULL)
		return gen_err_set(err, GEN_EDB, "open %s: out of memory", path);
	rc = store_dberr(s, err, "open read-only");
	if (!immutable && !side_file(path, "-shm", 1))
		gen_err_prefix(err, "its -wal file holds changes not yet in the "
		    "database file and no -shm file can be made beside it to "
		    "read them (copy the database with its -wal and -shm files, "
		    "or after a checkpoint): ");
	return rc;
}

enum gen_rc
store_open(const char *path, int flags, int busy_timeout_ms,
    struct store **out, struct gen_err *err)
{
	struct store *s;
	struct stat sb;
	int oflags;
	enum gen_rc rc;
	char sql[64];

	*out = NULL;
	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
		return gen_err_field(err, "database", gen_err_set(err,
		    GEN_EIO, "database %s: %s; it must be created first", path,
		    strerror(errno)));
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->busy_timeout_ms = busy_timeout_ms;
	s->lockfd = -1;
	oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE |
	    ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (flags & STORE_READONLY) {
		if ((rc = open_readonly(s, path, err)) != GEN_OK)
			goto fail;
	} else if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		rc = s->db ? store_dberr(s, err, "open") :
		    gen_err_set(err, GEN_EDB, "open %s: out of memory", path);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, busy_timeout_ms);
	if ((rc = exec(s, "PRAGMA foreign_keys = ON", err)) != GEN_OK)
		goto fail;
	/* Touch the schema so that a file that is not a database fails here. */
	if (user_version(s) < 0) {
		rc = store_dberr(s, err, "open");
		goto fail;
	}
	if (!(flags & STORE_READONLY)) {
		if ((rc = exec(s, "PRAGMA journal_mode = WAL", err)) != GEN_OK ||
		    (rc = exec(s, "PRAGMA synchronous = FULL", err)) != GEN_OK)
			goto fail;
		if ((rc = migrate(s, err)) != GEN_OK)
			goto fail;
	} else if (user_version(s) > schema_latest_version()) {
		rc = gen_err_set(err, GEN_EDB, "database %s has schema version "
		    "%d, newer than this invgen understands (%d); upgrade "
		    "invgen", path, user_version(s), schema_latest_version());
		goto fail;
	} else if (user_version(s) != schema_latest_version()) {
		rc = gen_err_field(err, "database", gen_err_set(err, GEN_EDB,
		    "database %s has schema version %d, expected %d; open it "
		    "once read-write to migrate", path, user_version(s),
		    schema_latest_version()));
		goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA busy_timeout = %d", busy_timeout_ms);
	if ((rc = exec(s, sql, err)) != GEN_OK)
		goto fail;
	*out = s;
	return GEN_OK;
fail:
	store_close(s);
	return rc;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ncache; i++) {
		sqlite3_finalize(s->cache[i].st);
		free(s->cache[i].sql);
	}
	sqlite3_close(s->db);
	if (s->lockfd >= 0)
		close(s->lockfd);	/* after SQLite's: it had no lock */
	free(s->path);
	free(s);
}

enum gen_rc
store_begin(struct store *s, struct gen_err *err)
{
	return exec(s, "BEGIN IMMEDIATE", err);
}

enum gen_rc
store_begin_read(struct store *s, struct gen_err *err)
{
	return exec(s, "BEGIN", err);
}

enum gen_rc
store_commit(struct store *s, struct gen_err *err)
{
	return exec(s, "COMMIT", err);
}

void
store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

enum gen_rc
store_vat_rates(struct store *s, struct tax_rate **rates, size_t *n,
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	struct tax_rate *v = NULL;
	size_t cap = 0, len = 0;
	enum gen_rc rc;
	int step;

	/* National rates (region "") and the regions' own. */
	rc = store_prepare(s, "SELECT country, '', rate_bp, valid_from, "
	    "valid_to FROM vat_rate UNION ALL SELECT country, region, rate_bp, "
	    "valid_from, valid_to FROM vat_rate_region ORDER BY 1, 2, 4", &st,
	    err);
	while (rc == GEN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct tax_rate *r;
		const char *to = (const char *)sqlite3_column_text(st, 4);

		if (len == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 64) * sizeof(*v));
		r = &v[len++];
		store_col_copy(st, 0, r->country, sizeof(r->country));
		store_col_copy(st, 1, r->region, sizeof(r->region));
		r->rate_bp = sqlite3_column_int(st, 2);
		rc = caldate_parse((const char *)sqlite3_column_text(st, 3),
		    &r->valid_from, "vat_rate.valid_from", err);
		r->valid_to = INT32_MAX;
		if (rc == GEN_OK && to != NULL)
			rc = caldate_parse(to, &r->valid_to, "vat_rate.valid_to",
			    err);
	}
	if (rc == GEN_OK && step != SQLITE_DONE)
		rc = store_dberr(s, err, "read VAT rates");
	sqlite3_finalize(st);
	if (rc != GEN_OK) {
		free(v);
		return rc;
	}
	*rates = v;
	*n = len;
	return GEN_OK;
}

/* The error of store_fx_between() when there is no rate. */
static enum gen_rc
fx_missing(struct store *s, const char *currency, const char *what,
    const char *from, const char *to, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	char last[CALDATE_LEN] = "";
	enum gen_rc rc;

	if ((rc = store_prepare(s, "SELECT max(rate_date) FROM exchange_rate "
	    "WHERE currency = ?", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, currency, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = store_dberr(s, err, "read exchange rates");
		sqlite3_finalize(st);
		return rc;
	}
	store_col_copy(st, 0, last, sizeof(last));
	sqlite3_finalize(st);
	/* No rate at all: not a currency the ECB publishes (or the data
	 * was never loaded): the document cannot be made in it. */
	if (last[0] == '\0')
		return gen_err_set(err, GEN_EINPUT, "exchange_rate: no ECB "
		    "reference rate for %s %s, and none is stored for %s at "
		    "all; VAT in EUR needs the ECB's rate of the currency", currency,
		    what, currency);
	/* The rates exist but not for these days: the operator imports
	 * them and the same request then succeeds. */
	return gen_err_set(err, GEN_ERETRY, "exchange_rate: no ECB reference "
	    "rate for %s %s (the latest stored is of %s); import the ECB "
	    "rates of %s to %s and retry",
	    currency, what, last, strcmp(last, from) > 0 ? from : last, to);
}

enum gen_rc
store_fx_between(struct store *s, const char *currency, const char *from,
    const char *to, int latest, const char *what, char *units, size_t unitsz,
    char rate_date[CALDATE_LEN], struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	rc = store_prepare(s, latest ? "SELECT units_per_eur, rate_date FROM "
	    "exchange_rate WHERE currency = ? AND rate_date <= ? AND "
	    "rate_date >= ? ORDER BY rate_date DESC LIMIT 1" :
	    "SELECT units_per_eur, rate_date FROM exchange_rate WHERE currency "
	    "= ? AND rate_date >= ? AND rate_date <= ? ORDER BY rate_date "
	    "LIMIT 1", &st, err);
	if (rc != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, currency, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, latest ? to : from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, latest ? from : to, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		store_col_copy(st, 0, units, unitsz);
		store_col_copy(st, 1, rate_date, CALDATE_LEN);
	} else if (step == SQLITE_DONE)
		rc = fx_missing(s, currency, what, from, to, err);
	else
		rc = store_dberr(s, err, "read exchange rate");
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_fx_rate(struct store *s, const char *currency, int32_t date,
    char *units, size_t unitsz, char rate_date[CALDATE_LEN],
    struct gen_err *err)
{
	char day[CALDATE_LEN], first[CALDATE_LEN], what[64];

	caldate_format(date, day);
	caldate_format(date - 7, first);
	snprintf(what, sizeof(what), "on %s or in the 7 days before", day);
	return store_fx_between(s, currency, first, day, 1, what, units,
	    unitsz, rate_date, err);
}

enum gen_rc
store_fx_add(struct store *s, const struct store_fx_rate *r, size_t n,
    const char *what, const char *source, size_t *added, struct gen_err *err)
{
	sqlite3_stmt *get = NULL, *ins = NULL;
	enum gen_rc rc;

	*added = 0;
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	if ((rc = store_prepare(s, "SELECT units_per_eur FROM exchange_rate "
	    "WHERE currency = ? AND rate_date = ?", &get, err)) != GEN_OK ||
	    (rc = store_prepare(s, "INSERT INTO exchange_rate(currency, "
	    "rate_date, units_per_eur, source) VALUES (?, ?, ?, ?)", &ins,
	    err)) != GEN_OK)
		goto out;
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		int64_t v = -1, old = -1;
		struct gen_err ignore = { 0 };
		int step;

		sqlite3_reset(get);
		sqlite3_bind_text(get, 1, r[i].currency, -1, SQLITE_STATIC);
		sqlite3_bind_text(get, 2, r[i].date, -1, SQLITE_STATIC);
		if ((step = sqlite3_step(get)) != SQLITE_ROW &&
		    step != SQLITE_DONE) {
			rc = store_dberr(s, err, "read exchange rate");
			break;
		}
		if (step == SQLITE_ROW) {
			const char *was = (const char *)sqlite3_column_text(get,
			    0);

			money_parse_decimal(r[i].units, 6, &v, "", &ignore);
			money_parse_decimal(was ? was : "", 6, &old, "",
			    &ignore);
			if (v != old)
				rc = gen_err_set(err, GEN_ECONFLICT, "%s line %d: "
				    "%s on %s is %s but the database has %s; "
				    "published rates never change", what,
				    r[i].line, r[i].currency, r[i].date,
				    r[i].units, was ? was : "");
			continue;
		}
		sqlite3_reset(ins);
		sqlite3_bind_text(ins, 1, r[i].currency, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 2, r[i].date, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, r[i].units, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, source, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = store_dberr(s, err, "import rate");
		else
			(*added)++;
	}
out:
	sqlite3_finalize(get);
	sqlite3_finalize(ins);
	if (rc != GEN_OK) {
		store_rollback(s);
		*added = 0;
		return rc;
	}
	return store_commit(s, err);
}

/* The columns of store_fx_last's query, in its order. */
#define FL struct store_fx_last
static const struct col_map fx_last_map[] = {
	MAP_A(FL, "e.currency", currency),
	MAP_A(FL, "e.rate_date", last),
	MAP_A(FL, "e.units_per_eur", units),
	MAP_A(FL, "g.first", first),
	MAP_L(FL, "g.days", days),
};
#undef FL

static const struct store_rows fx_last_rows = {
	.map = fx_last_map, .nmap = NELEM(fx_last_map),
	.size = sizeof(struct store_fx_last),
	.read_what = "read exchange rates",
};

enum gen_rc
store_fx_last(struct store *s, const char *currency,
    struct store_fx_last **out, size_t *n, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	void *v;
	enum gen_rc rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT e.currency, e.rate_date, "
	    "e.units_per_eur, g.first, g.days FROM (SELECT currency, "
	    "max(rate_date) AS last, min(rate_date) AS first, count(*) AS days "
	    "FROM exchange_rate WHERE ?1 IS NULL OR currency = ?1 GROUP BY "
	    "currency) AS g JOIN exchange_rate AS e ON e.currency = g.currency "
	    "AND e.rate_date = g.last ORDER BY e.currency", &st, err)) !=
	    GEN_OK)
		return rc;
	if (currency != NULL)
		sqlite3_bind_text(st, 1, currency, -1, SQLITE_STATIC);
	rc = store_rows_collect(s, st, &fx_last_rows, NULL, &v, n, err);
	sqlite3_finalize(st);
	*out = v;
	return rc;
}
