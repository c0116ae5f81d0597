/*
 * test-chain.c - the archive's hash chain and the schema's guards, on a
 * scratch database with an invoice and a payment order issued through
 * the library:
 *   - the canonical form lists every column of document, document_line,
 *     document_vat, document_file and document_draw, and no other (a migration that adds
 *     a column fails here until the form is extended);
 *   - the link hash is the documented one;
 *   - every column of every table of the form, changed behind invgen's
 *     back (triggers dropped), is named by verify;
 *   - every column of a frozen order, payer and order line is refused,
 *     and paid_at can only go from NULL to a value, once;
 *   - INSERT OR REPLACE is refused on every immutable table;
 *   - number_series raised or lowered is a damaged archive;
 *   - the links an existing archive gets at migration are the ones taken
 *     at issue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "api_private.h"
#include "chain.h"
#include "store_private.h"
#include "testlib.h"

static const char *seller =
    "{\"valid_from\": \"2025-07-09\", \"legal_name\": \"S\", "
    "\"company_code\": \"1\", \"vat_number\": \"LT100018548216\", "
    "\"address\": {\"line1\": \"L\", \"city\": \"V\", \"postal_code\": \"1\","
    " \"country\": \"LT\"}, \"invoice_series\": \"A\", \"credit_series\": "
    "\"B\", \"transfer_series\": \"C\", \"balance_series\": \"D\", "
    "\"balance_vat_policy\": \"at_top_up\", \"bank\": {\"beneficiary\": "
    "\"S\", \"iban\": \"LT121000011101001000\"}}";

static const char *orders =
    "[{\"order_no\": \"I-1\", \"created_at\": \"2025-08-01T08:00:00Z\","
    " \"paid_at\": \"2025-08-01T09:00:00Z\", \"currency\": \"USD\","
    " \"payment_method\": \"card\", \"language\": \"en\","
    " \"payer\": {\"telegram_id\": 7, \"name\": \"P\", \"address\": "
    "   {\"line1\": \"L\", \"line2\": \"M\", \"city\": \"C\", \"postal_code\": "
    "   \"10115\", \"region\": \"R\"}, \"country\": \"DE\", \"is_business\": "
    "   false, \"company_code\": \"9\", \"email\": \"p@example.com\","
    "   \"vat_check\": {\"status\": \"invalid\", \"checked_at\": "
    "   \"2025-08-01T07:00:00Z\", \"reference\": \"R1\"},"
    "   \"evidence\": {\"billing_country\": \"DE\", \"card_country\": \"DE\","
    "   \"ip_country\": \"DE\"}},"
    " \"customer\": {\"telegram_id\": 8, \"username\": \"@c\"},"
    " \"lines\": [{\"item\": \"softphone\", \"description\": \"S\","
    "   \"period_months\": 12, \"quantity\": 3, \"unit_price_minor\": 50,"
    "   \"discount_percent\": 10, \"options\": {\"sip_accounts\": 2,"
    "   \"call_recording_days\": 30, \"gateway_lines\": 1}},"
    "  {\"item\": \"option\", \"description\": \"O\", \"quantity\": 1,"
    "   \"unit_price_minor\": 100}]},"
    " {\"order_no\": \"T-1\", \"created_at\": \"2025-08-01T08:00:00Z\","
    " \"currency\": \"EUR\", \"payment_method\": \"bank_transfer\","
    " \"language\": \"en\", \"payer\": {\"name\": \"Q\", \"address\": "
    "   {\"line1\": \"L\", \"city\": \"C\"}, \"country\": \"LT\","
    "   \"is_business\": false, \"evidence\": {\"ip_country\": \"LT\"}},"
    " \"lines\": [{\"item\": \"gateway\", \"description\": \"G\","
    "   \"quantity\": 1, \"unit_price_minor\": 12000}]},"
    " {\"order_no\": \"U-1\", \"created_at\": \"2025-08-01T08:00:00Z\","
    " \"paid_at\": \"2025-08-01T09:00:00Z\", \"currency\": \"EUR\","
    " \"payment_method\": \"card\", \"language\": \"en\","
    " \"payer\": {\"name\": \"R\", \"address\": {\"line1\": \"L\","
    "   \"city\": \"C\"}, \"country\": \"LT\", \"is_business\": false,"
    "   \"evidence\": {\"ip_country\": \"LT\"}},"
    " \"lines\": [{\"item\": \"topup\", \"description\": \"U\","
    "   \"quantity\": 1, \"unit_price_minor\": 1000}]},"
    " {\"order_no\": \"U-2\", \"created_at\": \"2025-08-01T10:00:00Z\","
    " \"paid_at\": \"2025-08-01T10:00:00Z\", \"currency\": \"EUR\","
    " \"payment_method\": \"balance\", \"language\": \"en\","
    " \"payer\": {\"name\": \"R\", \"address\": {\"line1\": \"L\","
    "   \"city\": \"C\"}, \"country\": \"LT\", \"is_business\": false,"
    "   \"evidence\": {\"ip_country\": \"LT\"}},"
    " \"lines\": [{\"item\": \"softphone\", \"description\": \"V\","
    "   \"quantity\": 1, \"unit_price_minor\": 600}],"
    " \"balance_draws\": [{\"invoice\": \"A-000002\", \"amount_minor\":"
    "   600}]}]";

static sqlite3 *db;

/* Run sql; 0 on success, else the message is in msg. */
static int
run_sql(const char *sql, char *msg, size_t sz)
{
	char *e = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &e);

	snprintf(msg, sz, "%s", e ? e : "");
	sqlite3_free(e);
	return rc;
}

#define SQL_OK(sql) do { \
	char m_[512]; \
	test_checks++; \
	if (run_sql(sql, m_, sizeof(m_)) != SQLITE_OK) { \
		test_failures++; \
		fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, sql, m_); \
	} \
} while (0)

/* The statement must fail with a message containing fragment. */
static void
sql_refused(const char *sql, const char *fragment, const char *file,
    int line)
{
	char m[512];

	test_checks++;
	if (run_sql(sql, m, sizeof(m)) == SQLITE_OK ||
	    strstr(m, fragment) == NULL) {
		test_failures++;
		fprintf(stderr, "%s:%d: %s: not refused with '%s' (%s)\n", file,
		    line, sql, fragment, m);
	}
}
#define SQL_REFUSED(sql, frag) sql_refused(sql, frag, __FILE__, __LINE__)

/* One integer from a query. */
static long long
value(const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The columns of a table, NULL-terminated; free with free_list(). */
static char **
columns(const char *table)
{
	char sql[128], **v = calloc(128, sizeof(*v));
	sqlite3_stmt *st = NULL;
	size_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s')",
	    table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW && n < 127)
			v[n++] = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

static void
free_list(char **v)
{
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static int
listed(const char *const *cols, const char *name)
{
	for (size_t i = 0; cols != NULL && cols[i] != NULL; i++)
		if (strcmp(cols[i], name) == 0)
			return 1;
	return 0;
}

/* Verify the chain into rep; returns the number of problems. */
static size_t
verify(struct store *s, struct buf *rep, const char *const *expect,
    size_t nexpect)
{
	struct chain_result res;
	struct gen_err err = { 0 };
	size_t n;

	buf_reset(rep);
	buf_putc(rep, '\0');
	rep->len = 0;
	if (chain_verify(s, expect, nexpect, rep, &res, &err) != GEN_OK) {
		fprintf(stderr, "chain_verify: %s\n", err.msg);
		chain_result_free(&res);
		return 999;
	}
	n = res.problems + res.damaged;
	chain_heads_text(&res, rep);
	chain_result_free(&res);
	return n;
}

/* The form covers every column of its tables, and only those. */
static void
test_form_covers_schema(void)
{
	for (int t = 0; t < CHAIN_NTABLES; t++) {
		const char *const *form = chain_form_columns(CHAIN_FORM, t);
		char **cols = columns(chain_table_name(t));

		CHECK(form != NULL && cols[0] != NULL);
		for (size_t i = 0; cols[i] != NULL; i++)
			if (!listed(form, cols[i])) {
				test_failures++;
				fprintf(stderr, "%s.%s is not in canonical form %d "
				    "(gen/store/chain.c)\n", chain_table_name(t),
				    cols[i], CHAIN_FORM);
			}
		for (size_t i = 0; form != NULL && form[i] != NULL; i++) {
			int found = 0;

			for (size_t k = 0; cols[k] != NULL; k++)
				found |= strcmp(cols[k], form[i]) == 0;
			CHECK(found);
		}
		test_checks++;
		free_list(cols);
	}
	CHECK(chain_form_columns(99, CHAIN_DOCUMENT) == NULL);
}

/*
 * Change each column of each table of the form behind invgen's back and
 * see verify name it.  Key columns (which row a link covers) show as a
 * removed row instead.
 */
static void
test_every_column_is_covered(struct store *s)
{
	static const char *const drops = "DROP TRIGGER document_immutable_u;"
	    "DROP TRIGGER document_line_immutable_u;"
	    "DROP TRIGGER document_vat_immutable_u;"
	    "DROP TRIGGER document_file_immutable_u;"
	    "DROP TRIGGER document_draw_immutable_u;";
	/* valid values for columns with a CHECK constraint */
	static const char *const alternatives[] = { "'credit_note'",
		"'OUTSIDE_SCOPE'", "'O'", "'ubl'", "'balance'", NULL };
	struct buf rep = { 0 }, sql = { 0 };

	SQL_OK("PRAGMA foreign_keys = OFF");
	for (int t = 0; t < CHAIN_NTABLES; t++) {
		const char *const *form = chain_form_columns(CHAIN_FORM, t);
		const char *table = chain_table_name(t);

		for (size_t i = 0; form[i] != NULL; i++) {
			const char *col = form[i];
			char msg[512] = "", want[160];
			int changed = 0;

			SQL_OK("BEGIN");
			SQL_OK(drops);
			/* one row of a rowid table, every row of the others,
			 * then the allowed values of a CHECK */
			for (int k = 0; !changed && (k < 2 ||
			    alternatives[k - 2] != NULL); k++) {
				buf_reset(&sql);
				if (k < 2)
					buf_printf(&sql, "UPDATE %s SET %s = CASE "
					    "typeof(%s) WHEN 'integer' THEN %s + "
					    "1000 WHEN 'text' THEN %s || 'x' ELSE 7 "
					    "END%s", table, col, col, col, col, k ==
					    0 ? " WHERE rowid = (SELECT min(rowid) "
					    "FROM document)" : "");
				else
					buf_printf(&sql, "UPDATE %s SET %s = %s "
					    "WHERE %s IS NOT %s", table, col,
					    alternatives[k - 2], col,
					    alternatives[k - 2]);
				changed = run_sql(sql.data, msg, sizeof(msg)) ==
				    SQLITE_OK && sqlite3_changes(db) > 0;
			}
			test_checks++;
			if (!changed) {
				test_failures++;
				fprintf(stderr, "cannot change %s.%s: %s\n", table,
				    col, msg);
			}
			verify(s, &rep, NULL, 0);
			if (strcmp(col, "id") == 0 ||
			    strcmp(col, "document_id") == 0 ||
			    (t == CHAIN_FILE && strcmp(col, "format") == 0))
				snprintf(want, sizeof(want), "removed");
			else if (t == CHAIN_DOCUMENT || t == CHAIN_FILE)
				snprintf(want, sizeof(want), "%s.%s was", table,
				    col);
			else
				snprintf(want, sizeof(want), ", %s was", col);
			test_checks++;
			if (strstr(rep.data, want) == NULL) {
				test_failures++;
				fprintf(stderr, "%s.%s changed, verify said:\n%s\n",
				    table, col, rep.data);
			}
			SQL_OK("ROLLBACK");
		}
	}
	SQL_OK("PRAGMA foreign_keys = ON");
	CHECK(verify(s, &rep, NULL, 0) == 0);
	buf_free(&rep);
	buf_free(&sql);
}

/* Every column of a frozen order, its payer and its lines. */
static void
test_frozen(void)
{
	static const struct {
		const char *table, *where;
	} frozen[] = {
		{ "orders", "order_no = 'I-1'" },
		{ "payer", "id = (SELECT payer_id FROM orders WHERE order_no = "
		  "'I-1')" },
		{ "order_line", "order_id = (SELECT id FROM orders WHERE "
		  "order_no = 'I-1')" },
	};
	char sql[512];

	for (size_t f = 0; f < 3; f++) {
		char **cols = columns(frozen[f].table);

		for (size_t i = 0; cols[i] != NULL; i++) {
			if (strcmp(cols[i], "paid_at") == 0)
				continue;
			snprintf(sql, sizeof(sql), "UPDATE %s SET %s = CASE "
			    "typeof(%s) WHEN 'integer' THEN %s + 1 WHEN 'text' "
			    "THEN %s || 'x' ELSE 1 END WHERE %s", frozen[f].table,
			    cols[i], cols[i], cols[i], cols[i], frozen[f].where);
			SQL_REFUSED(sql, "frozen");
		}
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s",
		    frozen[f].table, frozen[f].where);
		SQL_REFUSED(sql, "frozen");
		free_list(cols);
	}
	/* added to: a new line; moved in: a line of another order */
	SQL_REFUSED("INSERT INTO order_line(order_id, line_no, item, "
	    "description, quantity, unit_price_minor) SELECT id, 9, 'topup', "
	    "'x', 1, 1 FROM orders WHERE order_no = 'I-1'", "frozen");
	/* paid_at: NULL to a value once, never rewritten */
	SQL_REFUSED("UPDATE orders SET paid_at = '2025-08-02T00:00:00Z' WHERE "
	    "order_no = 'I-1'", "frozen");
	SQL_OK("BEGIN");
	SQL_OK("UPDATE orders SET paid_at = '2025-08-02T00:00:00Z' WHERE "
	    "order_no = 'T-1'");
	SQL_REFUSED("UPDATE orders SET paid_at = '2025-08-03T00:00:00Z' WHERE "
	    "order_no = 'T-1'", "frozen");
	SQL_REFUSED("UPDATE orders SET paid_at = NULL WHERE order_no = 'T-1'",
	    "frozen");
	SQL_OK("ROLLBACK");
	/* A new VIES answer is appended, never changed. */
	SQL_OK("BEGIN");
	SQL_OK("INSERT INTO vat_check(order_id, status, checked_at, reference) "
	    "SELECT id, 'valid', '2025-08-02T00:00:00Z', 'R2' FROM orders WHERE "
	    "order_no = 'I-1'");
	SQL_REFUSED("UPDATE vat_check SET status = 'invalid'", "appended");
	SQL_REFUSED("DELETE FROM vat_check", "appended");
	SQL_REFUSED("INSERT OR REPLACE INTO vat_check SELECT * FROM vat_check",
	    "appended");
	SQL_OK("ROLLBACK");
}

/* INSERT OR REPLACE deletes without DELETE triggers: refused everywhere. */
static void
test_no_replace(struct store *s)
{
	static const struct {
		const char *table, *where;
	} t[] = {
		{ "document", "1" },
		{ "document_line", "1" },
		{ "document_vat", "1" },
		{ "document_file", "1" },
		{ "chain_link", "1" },
		{ "orders", "order_no = 'I-1'" },
		{ "payer", "id = (SELECT payer_id FROM orders WHERE order_no = "
		  "'I-1')" },
		{ "order_line", "order_id = (SELECT id FROM orders WHERE "
		  "order_no = 'I-1')" },
	};
	struct buf rep = { 0 };
	char sql[512];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		long long before;

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t[i].table);
		before = value(sql);
		snprintf(sql, sizeof(sql), "INSERT OR REPLACE INTO %s SELECT * "
		    "FROM %s WHERE %s LIMIT 1", t[i].table, t[i].table,
		    t[i].where);
		SQL_REFUSED(sql, "");
		snprintf(sql, sizeof(sql), "REPLACE INTO %s SELECT * FROM %s "
		    "WHERE %s LIMIT 1", t[i].table, t[i].table, t[i].where);
		SQL_REFUSED(sql, "");
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t[i].table);
		CHECK_INT(value(sql), before);
	}
	/* nothing can be added to an issued document either */
	SQL_REFUSED("INSERT INTO document_line SELECT document_id, line_no + 10,"
	    " item, description, period_months, quantity, unit_price_minor, "
	    "discount_bp, gross_minor, discount_minor, net_minor, vat_category, "
	    "vat_rate_bp, sip_accounts, recording_days, gateway_lines, "
	    "period_from, period_to FROM document_line LIMIT 1", "immutable");
	CHECK(verify(s, &rep, NULL, 0) == 0);
	buf_free(&rep);
}

/* number_series changed by hand: a damaged archive, naming the series. */
static void
test_series(struct store *s)
{
	struct gen_err err = { 0 };
	struct buf rep = { 0 };
	long long last = value("SELECT last_seq FROM number_series WHERE "
	    "series = 'A'");

	CHECK_INT(last, 2);	/* I-1's invoice and U-1's top-up invoice */
	CHECK_INT(chain_check_series(s, "A", 3, &err), GEN_OK);
	CHECK_INT(chain_check_series(s, "A", 101, &err), GEN_EDB);
	CHECK_MSG(err, "damaged archive");
	CHECK_MSG(err, "'A'");
	CHECK_INT(chain_check_series(s, "A", 2, &err), GEN_EDB);
	CHECK_MSG(err, "damaged archive");
	SQL_OK("BEGIN");
	SQL_OK("UPDATE number_series SET last_seq = 100 WHERE series = 'A'");
	verify(s, &rep, NULL, 0);
	CHECK(strstr(rep.data, "damaged archive: number_series A has "
	    "last_seq 100") != NULL);
	SQL_OK("ROLLBACK");
	buf_free(&rep);
}

/* The links a migration takes equal those taken at issue. */
static void
test_relink(struct store *s)
{
	struct gen_err err = { 0 };
	struct buf before = { 0 }, after = { 0 };
	size_t added = 0;
	const char *heads;

	CHECK(verify(s, &before, NULL, 0) == 0);
	heads = strstr(before.data, "chain A:");
	CHECK(heads != NULL);
	SQL_OK("BEGIN");
	SQL_OK("DROP TRIGGER chain_link_immutable_d; DELETE FROM chain_link");
	CHECK(verify(s, &after, NULL, 0) > 0);
	CHECK(strstr(after.data, "A-000001: not in the chain of series A") !=
	    NULL);
	CHECK_INT(chain_link_missing(s, &added, &err), GEN_OK);
	CHECK_INT(added, 8);
	CHECK(verify(s, &after, NULL, 0) == 0);
	CHECK_STR(after.data, before.data);
	SQL_OK("ROLLBACK");
	buf_free(&before);
	buf_free(&after);
}

/* Anchors: a head kept outside must stay a link of its chain. */
static void
test_anchor(struct store *s)
{
	struct buf rep = { 0 };
	struct gen_err err = { 0 };
	struct chain_result res;
	char head[65 + 2], anchor[200];
	const char *p, *bad[] = { "A=12" };
	const char *exp[1];

	verify(s, &rep, NULL, 0);
	p = strstr(rep.data, "chain A:");
	p = p ? strstr(p, "head ") : NULL;
	CHECK(p != NULL);
	if (p == NULL)
		return;
	snprintf(head, sizeof(head), "%.64s", p + 5);
	snprintf(anchor, sizeof(anchor), "A=%s", head);
	exp[0] = anchor;
	CHECK(verify(s, &rep, exp, 1) == 0);
	CHECK(strstr(rep.data, "link 4, history up to it unchanged") != NULL);
	/* the same hash in another series is not an anchor there */
	snprintf(anchor, sizeof(anchor), "C=%s", head);
	CHECK(verify(s, &rep, exp, 1) == 1);
	CHECK(strstr(rep.data, "not in the chain: history before it was "
	    "rewritten") != NULL);
	buf_reset(&rep);
	CHECK_INT(chain_verify(s, bad, 1, &rep, &res, &err), GEN_EINPUT);
	CHECK_MSG(err, "SERIES=SHA256");
	chain_result_free(&res);
	buf_free(&rep);
}

int
main(void)
{
	char dir[] = "/tmp/invgen-test-chain-XXXXXX", path[256];
	struct gen_err err = { 0 };
	struct invgen_options opt = { 0 };
	struct invgen *inv = NULL;
	struct invgen_doc *doc = NULL;
	char hex[65];
	size_t stored, unchanged;

	/* The link hash, as documented in chain.h (also computed with
	 * Python's hashlib for this test). */
	chain_link_hash("ZLV", 1, "0000000000000000000000000000000000000000"
	    "000000000000000000000000", "invgen canonical form 1\n", 24, hex);
	CHECK_STR(hex, "b74d401d9889c0f8453b4a17e24f4505922b4644c867fa0511e696"
	    "63dffbb82d");

	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	opt.db_path = path;
	opt.out_dir = dir;
	opt.data_dir = ".";
	opt.now = "2025-08-02T10:00:00Z";
	opt.create = 1;
	CHECK_INT(invgen_open(&opt, &inv, &err), GEN_OK);
	if (inv == NULL)
		return test_report();
	CHECK_INT(invgen_seller_add(inv, seller, strlen(seller), NULL, &err), GEN_OK);
	CHECK_INT(invgen_order_add(inv, orders, strlen(orders), &stored,
	    &unchanged, &err), GEN_OK);
	CHECK_INT(invgen_issue(inv, "I-1", &doc, &err), GEN_OK);
	invgen_doc_free(doc);
	CHECK_INT(invgen_transfer_order(inv, "T-1", &doc, &err), GEN_OK);
	if (doc == NULL)
		fprintf(stderr, "transfer-order: %s\n", err.msg);
	invgen_doc_free(doc);
	/* A top-up invoice and a purchase drawing on it (at_top_up): a
	 * balance_use document with a document_draw row. */
	CHECK_INT(invgen_issue(inv, "U-1", &doc, &err), GEN_OK);
	invgen_doc_free(doc);
	CHECK_INT(invgen_issue(inv, "U-2", &doc, &err), GEN_OK);
	if (doc == NULL)
		fprintf(stderr, "balance use: %s\n", err.msg);
	invgen_doc_free(doc);
	db = inv->store->db;
	CHECK_INT(value("SELECT count(*) FROM document_draw"), 1);
	CHECK_INT(value("SELECT count(*) FROM chain_link"), 8);

	test_form_covers_schema();
	test_every_column_is_covered(inv->store);
	test_frozen();
	test_no_replace(inv->store);
	test_series(inv->store);
	test_relink(inv->store);
	test_anchor(inv->store);

	invgen_close(inv);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	return system(path) == 0 ? test_report() : 1;
}
