/*
 * main.c - the invgen command line, a client of libinvgen: it parses
 * arguments, reads input files, calls the functions of invgen.h, prints
 * their typed results (the accessors for a line of text, *_json() with
 * --json) and maps errors to exit statuses (0 ok, 1 refused input, 2
 * usage, 3 storage or I/O).  It contains no business logic and reads
 * nothing back out of the library's JSON; everything it does a bot can
 * do through the library.
 *
 * Words the library leaves to it: the options of each command.  A library
 * message names a field ("reason: ..."); when a command has an option for
 * that field, the message printed names the option ("--reason: ...").
 * With --json, every result is one JSON value on stdout and an error one
 * JSON object on stderr: {"kind", "field", "option", "message",
 * "exit_status"} (README, "JSON output"); a command without a JSON form
 * refuses --json (exit 2).  The few objects made here (init, order add,
 * ...) are written with the library's JSON writer, which escapes.
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "invgen.h"
#include "buf.h"
#include "err.h"
#include "json.h"

/* Parsed command line: global options, command words, command options. */
struct cli {
	struct invgen_options opt;
	int json;
	int help;
	const struct command *cmd;	/* the command run, once known */
	const char **args;		/* positional words, command first;
					   NULL-terminated */
	int nargs;
	const char *reason;		/* credit --reason */
	const char *amount;		/* credit --amount */
	const char *at;			/* order paid --at */
	const char *output;		/* render -o */
	const char *from, *to;		/* list, batch, ... --from --to */
	const char *reference, *currency, *date, *csv;	/* payment match */
	const char *quarter, *month, *by;	/* reports */
	const char *archive;			/* verify --archive */
	const char **expect;			/* verify --expect-head */
	size_t nexpect;
	int csv_out;				/* --csv without a file */
	const char *kind, *formats, *jobs, *shard, *out;	/* batch */
	const char *workers;			/* serve */
	const char *due;			/* issue --due */
	const char *unused;			/* terminate --unused */
	const char *draw[9];			/* terminate, refund --draw */
	int ndraws;
	int unpaid;				/* order list --unpaid */
	const char *on;				/* seller close --on */
};

static int cmd_help(struct cli *c, const char **argv);

/* A library call that returns a text (or JSON) to print, with the
 * arguments of the command line c and its words argv. */
typedef enum gen_rc (*query_fn)(struct invgen *inv, const struct cli *c,
    const char **argv, char **out, struct gen_err *err);

/*
 * A command, as declared in the table commands[] below: the one place a
 * command exists.  The dispatch, `invgen help`, `invgen help COMMAND`,
 * `invgen COMMAND --help` and the help of a group (`invgen order --help`:
 * every command whose name starts with "order ") are all made from the
 * table, so a command cannot lack its help.  Adding a command is adding
 * one entry.
 */
struct command {
	const char *name;		/* "order add": a group word, then the
					   command's own */
	int nargs;			/* positional arguments after the name;
					   -1: any number */
	int (*run)(struct cli *c, const char **argv);
	const char *usage;		/* "invgen order add FILE|-" */
	const char *help;		/* what it does, lines of at most 79 */
	unsigned flags;			/* CMD_* */
	query_fn query;			/* for cmd_query: the call whose text
					   it prints */
};

/* The command's one argument is a FILE that defaults to "-" (stdin). */
#define CMD_STDIN	0x1
/* It has no JSON form: --json is a usage error. */
#define CMD_NOJSON	0x2
/* It only reads: the database is opened read-only. */
#define CMD_READ	0x4
/* It writes to the database when it can (export records a first
 * export's hash), and reads it read-only when it cannot be opened for
 * writing (a copy on a read-only file system, a file of another user). */
#define CMD_READ_ONLY_IF_NEEDED	0x8

/* ---- errors -------------------------------------------------------- */

/*
 * The option of the command that carries a field, into opt ("--reason"):
 * the field's own name as an option ("expect_head" -> --expect-head) when
 * the command's usage has it, or one of the few whose option has another
 * name.  "" when the command has none.
 */
static void
field_option(const struct cli *c, const char *field, char *opt, size_t sz)
{
	static const struct {
		const char *command, *field, *option;
	} other[] = {
		{ "order paid", "paid_at", "--at" },
		{ "seller close", "date", "--on" },
		{ NULL, "archive_dir", "--archive" },
		{ NULL, "out_dir", "--out" },
		{ NULL, "expect_heads", "--expect-head" },
	};
	char name[GEN_ERR_FIELD_SIZE + 2], *p;
	const char *u, *hit;
	size_t n;

	opt[0] = '\0';
	if (c->cmd == NULL || field == NULL || field[0] == '\0')
		return;
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (strcmp(other[i].field, field) == 0 &&
		    (other[i].command == NULL ||
		    strcmp(other[i].command, c->cmd->name) == 0)) {
			snprintf(opt, sz, "%s", other[i].option);
			return;
		}
	snprintf(name, sizeof(name), "--%s", field);
	for (p = name; *p != '\0'; p++)
		if (*p == '_')
			*p = '-';
	/* the usage names it as an option: "--reason TEXT", "[--due DATE]" */
	n = strlen(name);
	for (u = c->cmd->usage; (hit = strstr(u, name)) != NULL; u = hit + n)
		if (hit[n] == ' ' || hit[n] == ']' || hit[n] == '\0' ||
		    hit[n] == '\n' || hit[n] == '=') {
			snprintf(opt, sz, "%s", name);
			return;
		}
}

/*
 * What the command line adds to a library message: the option in place
 * of the field it starts with, and for a few failures the command that
 * puts them right.
 */
static void
cli_message(const struct cli *c, const struct gen_err *err, struct buf *out)
{
	char opt[GEN_ERR_FIELD_SIZE + 8];
	size_t n = strlen(err->field);

	field_option(c, err->field, opt, sizeof(opt));
	if (opt[0] != '\0' && strncmp(err->msg, err->field, n) == 0 &&
	    err->msg[n] == ':')
		buf_printf(out, "%s%s", opt, err->msg + n);
	else
		buf_puts(out, err->msg);
	if (err->rc == GEN_EIO && strcmp(err->field, "database") == 0)
		buf_puts(out, " (`invgen init` does)");
	else if (err->rc == GEN_EDB && strcmp(err->field, "database") == 0)
		buf_puts(out, " (`invgen init` migrates it)");
	else if (err->rc == GEN_ERETRY && strcmp(err->field,
	    "exchange_rate") == 0)
		buf_puts(out, " (`invgen rates import-ecb FILE` imports them)");
	else if (err->rc == GEN_ENOTFOUND && strcmp(err->field,
	    "seller_profile") == 0)
		buf_puts(out, " (`invgen seller add FILE`)");
}

/*
 * Report a failure and return its exit status: on stderr as "invgen:
 * message", or with --json as one JSON object.
 */
static int
fail(const struct cli *c, const struct gen_err *err)
{
	struct buf msg = { 0 }, j = { 0 };
	char opt[GEN_ERR_FIELD_SIZE + 8];
	int status = invgen_rc_exit_status(err->rc);

	cli_message(c, err, &msg);
	if (c->json) {
		struct jsonw w;

		field_option(c, err->field, opt, sizeof(opt));
		jsonw_init(&w, &j, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "kind");
		jsonw_string(&w, invgen_rc_kind(err->rc));
		jsonw_key(&w, "field");
		jsonw_string(&w, err->field[0] ? err->field : NULL);
		jsonw_key(&w, "option");
		jsonw_string(&w, opt[0] ? opt : NULL);
		jsonw_key(&w, "message");
		jsonw_string(&w, msg.data ? msg.data : "");
		jsonw_key(&w, "exit_status");
		jsonw_int(&w, status);
		jsonw_object_end(&w);
		fprintf(stderr, "%s\n", j.data);
	} else
		fprintf(stderr, "invgen: %s\n", msg.data ? msg.data : "");
	buf_free(&msg);
	buf_free(&j);
	return status;
}

/*
 * A usage error (exit 2) about field, or "" for none: the message is
 * formatted like the library's ("reason: ...") and printed as fail()
 * does, with "(see invgen --help)" after it.
 */
static int
usage_error(const struct cli *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
usage_error(const struct cli *c, const char *field, const char *fmt, ...)
{
	struct gen_err err = { 0 };
	va_list ap;
	size_t n;

	err.rc = GEN_EUSAGE;
	snprintf(err.field, sizeof(err.field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	n = strlen(err.msg);
	snprintf(err.msg + n, sizeof(err.msg) - n, " (see invgen --help)");
	return fail(c, &err);
}

/* ---- output -------------------------------------------------------- */

/* One JSON value on stdout, then a newline; frees it. */
static void
put_json(char *json)
{
	printf("%s\n", json != NULL ? json : "null");
	invgen_free(json);
}

/* A JSON object of the command line's own made with w, on stdout. */
static void
put_jsonw(struct buf *b)
{
	printf("%s\n", b->data != NULL ? b->data : "null");
	buf_free(b);
}

/* Read a whole file, or stdin for "-" or NULL. */
static enum gen_rc
read_input(const char *path, struct buf *b, struct gen_err *err)
{
	FILE *fp = stdin;
	char chunk[65536];
	size_t n;

	if (path != NULL && strcmp(path, "-") != 0 &&
	    (fp = fopen(path, "rb")) == NULL)
		return gen_err_set(err, GEN_EIO, "cannot read %s: %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		buf_append(b, chunk, n);
		if (b->len > 64u * 1024 * 1024) {
			if (fp != stdin)
				fclose(fp);
			return gen_err_set(err, GEN_EINPUT, "%s: input larger than "
			    "64 MiB", path ? path : "stdin");
		}
	}
	if (ferror(fp)) {
		if (fp != stdin)
			fclose(fp);
		return gen_err_set(err, GEN_EIO, "cannot read %s: %s",
		    path ? path : "stdin", strerror(errno));
	}
	if (fp != stdin)
		fclose(fp);
	return GEN_OK;
}

/* Open the handle the command needs: read-only for one that only reads. */
static enum gen_rc
open_handle(struct cli *c, struct invgen **inv, struct gen_err *err)
{
	struct gen_err ro = { 0 };
	enum gen_rc rc;

	c->opt.read_only = c->cmd != NULL && (c->cmd->flags & CMD_READ);
	rc = invgen_open(&c->opt, inv, err);
	if (rc == GEN_OK || c->cmd == NULL ||
	    !(c->cmd->flags & CMD_READ_ONLY_IF_NEEDED))
		return rc;
	c->opt.read_only = 1;
	if (invgen_open(&c->opt, inv, &ro) == GEN_OK)
		return GEN_OK;
	return rc;	/* the first reason: why it could not be written */
}

/* The command's input (read_input: path, or stdin), then its handle; on
 * failure in is freed. */
static enum gen_rc
open_with_input(struct cli *c, const char *path, struct buf *in,
    struct invgen **inv, struct gen_err *err)
{
	enum gen_rc rc;

	if ((rc = read_input(path, in, err)) != GEN_OK ||
	    (rc = open_handle(c, inv, err)) != GEN_OK)
		buf_free(in);
	return rc;
}

/* A positive whole number of minor units, or 0 when s is not one. */
static long long
minor_units(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	return errno || *end != '\0' || end == s || v <= 0 ? 0 : v;
}

/* The format a report prints in: --json, --csv, or text. */
static int
report_format(const struct cli *c)
{
	return c->json ? INVGEN_JSON : c->csv_out ? INVGEN_CSV : INVGEN_TEXT;
}

/* Print what a call that reports something returned: out (freed) on
 * stdout whatever rc is, then the failure if there is one. */
static int
print_report(const struct cli *c, char *out, enum gen_rc rc,
    const struct gen_err *err)
{
	if (out != NULL)
		fputs(out, stdout);
	invgen_free(out);
	return rc == GEN_OK ? 0 : fail(c, err);
}

/* The format of a command whose text has a JSON form: --json or text. */
static int
json_or_text(const struct cli *c)
{
	return c->json ? INVGEN_JSON : INVGEN_TEXT;
}

/*
 * A command that prints what one library call returns (the command's
 * query): on the handle it needs, out on stdout whatever the call
 * returned, then its failure if any (a filing report that does not agree
 * is printed whole: it says where; the exit status says it too).
 */
static int
cmd_query(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *out = NULL;
	enum gen_rc rc;

	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = c->cmd->query(inv, c, argv, &out, &err);
	invgen_close(inv);
	return print_report(c, out, rc, &err);
}

/* Report on stderr the characters no font could draw (they are drawn as
 * a visible replacement). */
static void
warn_missing_glyphs(const struct invgen_doc *d)
{
	size_t n = invgen_doc_missing_glyphs(d);

	if (n == 0)
		return;
	fputs("invgen: warning: no font has a glyph for", stderr);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s U+%04X", i > 0 ? "," : "",
		    (unsigned)invgen_doc_missing_glyph(d, i));
	fputs("; drawn as a replacement character (add a font to "
	    "fonts/fonts.txt)\n", stderr);
}

/* Print a document: its JSON, or a one-line summary after verb. */
static void
print_doc(const struct cli *c, const char *verb, const struct invgen_doc *d)
{
	const char *path = invgen_doc_path(d);

	warn_missing_glyphs(d);
	if (c->json) {
		put_json(invgen_doc_json(d));
		return;
	}
	printf("%s %s: total %s %s, %s%s%s\n", verb, invgen_doc_number(d),
	    invgen_doc_total(d), invgen_doc_currency(d),
	    invgen_doc_treatment(d), path != NULL ? " -> " : "",
	    path != NULL ? path : "");
}

/* ---- the commands -------------------------------------------------- */

static int
cmd_init(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf b = { 0 };
	struct jsonw w;

	(void)argv;
	c->opt.create = 1;
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	if (c->json) {
		jsonw_init(&w, &b, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "database");
		jsonw_string(&w, invgen_db_path(inv));
		jsonw_key(&w, "schema_version");
		jsonw_int(&w, invgen_schema_version(inv));
		jsonw_object_end(&w);
		put_jsonw(&b);
	} else
		printf("database ready: %s\n", invgen_db_path(inv));
	invgen_close(inv);
	return 0;
}

static int
cmd_order_add(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf in = { 0 }, b = { 0 };
	struct jsonw w;
	size_t stored, unchanged;
	enum gen_rc rc;

	if (open_with_input(c, argv[0], &in, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_order_add(inv, in.data ? in.data : "", in.len, &stored,
	    &unchanged, &err);
	invgen_close(inv);
	buf_free(&in);
	if (rc != GEN_OK)
		return fail(c, &err);
	if (c->json) {
		jsonw_init(&w, &b, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "stored");
		jsonw_int(&w, (int64_t)stored);
		jsonw_key(&w, "unchanged");
		jsonw_int(&w, (int64_t)unchanged);
		jsonw_object_end(&w);
		put_jsonw(&b);
	} else
		printf("%zu order%s stored, %zu already present unchanged\n",
		    stored, stored == 1 ? "" : "s", unchanged);
	return 0;
}

static int
cmd_order_paid(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf b = { 0 };
	struct jsonw w;
	enum gen_rc rc;

	if (c->at == NULL)
		return usage_error(c, "paid_at", "order paid: --at TIMESTAMP is "
		    "required");
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_order_paid(inv, argv[0], c->at, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(c, &err);
	if (c->json) {
		jsonw_init(&w, &b, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "order_no");
		jsonw_string(&w, argv[0]);
		jsonw_key(&w, "paid_at");
		jsonw_string(&w, c->at);
		jsonw_object_end(&w);
		put_jsonw(&b);
	} else
		printf("order %s paid at %s\n", argv[0], c->at);
	return 0;
}

static enum gen_rc
q_order_list(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_order_list(inv, c->unpaid, json_or_text(c), out, err);
}

static enum gen_rc
q_order_show(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	return invgen_order_show(inv, argv[0], json_or_text(c), out, err);
}

/* {"id": id} or {"id": id, "valid_to": to}, for seller add and close. */
static void
put_seller_id(int64_t id, const char *to)
{
	struct buf b = { 0 };
	struct jsonw w;

	jsonw_init(&w, &b, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "id");
	jsonw_int(&w, id);
	if (to != NULL) {
		jsonw_key(&w, "valid_to");
		jsonw_string(&w, to);
	}
	jsonw_object_end(&w);
	put_jsonw(&b);
}

static int
cmd_seller_add(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf in = { 0 };
	int64_t id;
	enum gen_rc rc;

	if (open_with_input(c, argv[0], &in, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_seller_add(inv, in.data ? in.data : "", in.len, &id, &err);
	invgen_close(inv);
	buf_free(&in);
	if (rc != GEN_OK)
		return fail(c, &err);
	if (c->json)
		put_seller_id(id, NULL);
	else
		printf("seller profile %lld added\n", (long long)id);
	return 0;
}

static int
cmd_seller_close(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	int64_t id;
	enum gen_rc rc;

	(void)argv;
	if (c->on == NULL)
		return usage_error(c, "date", "seller close: --on DATE is "
		    "required (the last day of the open profile)");
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_seller_close(inv, c->on, &id, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(c, &err);
	if (c->json)
		put_seller_id(id, c->on);
	else
		printf("seller profile %lld closed: its last day is %s\n",
		    (long long)id, c->on);
	return 0;
}

static enum gen_rc
q_seller_list(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_seller_list(inv, json_or_text(c), out, err);
}

static enum gen_rc
q_seller_show(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	return invgen_seller_show(inv, minor_units(argv[0]), json_or_text(c),
	    out, err);
}

static int
cmd_seller_show(struct cli *c, const char **argv)
{
	if (minor_units(argv[0]) == 0)
		return usage_error(c, "id", "seller show: '%.40s' is not a seller "
		    "profile id (a positive number, as seller list shows)",
		    argv[0]);
	return cmd_query(c, argv);
}

static int
cmd_rates_import(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf in = { 0 }, b = { 0 };
	struct jsonw w;
	size_t added;
	enum gen_rc rc;

	if (open_with_input(c, argv[0], &in, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_rates_import_ecb(inv, in.data ? in.data : "", in.len,
	    &added, &err);
	invgen_close(inv);
	buf_free(&in);
	if (rc != GEN_OK)
		return fail(c, &err);
	if (c->json) {
		jsonw_init(&w, &b, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "added");
		jsonw_int(&w, (int64_t)added);
		jsonw_object_end(&w);
		put_jsonw(&b);
	} else
		printf("%zu exchange rate%s added\n", added, added == 1 ? "" : "s");
	return 0;
}

static enum gen_rc
q_rates_status(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_rates_status(inv, c->currency, json_or_text(c), out, err);
}

/*
 * `issue` and `transfer-order`: made by a running `invgen serve` of this
 * database when one answers (see serve.c), else here.
 */
static enum gen_rc
call_for_order(struct cli *c, enum invgen_served call, const char *order_no,
    struct invgen_doc **doc, struct gen_err *err)
{
	struct invgen *inv;
	enum gen_rc rc;
	int served;

	rc = invgen_served_call(&c->opt, call, order_no, &served, doc, err);
	if (served)
		return rc;
	if ((rc = open_handle(c, &inv, err)) != GEN_OK)
		return rc;
	if (call == INVGEN_SERVED_ISSUE)
		rc = invgen_issue(inv, order_no, doc, err);
	else
		rc = invgen_transfer_order(inv, order_no, doc, err);
	invgen_close(inv);
	return rc;
}

static int
cmd_issue(struct cli *c, const char **argv)
{
	struct gen_err err = { 0 };
	struct invgen_doc *doc = NULL;
	enum gen_rc rc;

	if (c->due != NULL) {		/* credit terms: made here */
		struct invgen *inv;

		if (open_handle(c, &inv, &err) != GEN_OK)
			return fail(c, &err);
		rc = invgen_issue_due(inv, argv[0], c->due, &doc, &err);
		invgen_close(inv);
	} else
		rc = call_for_order(c, INVGEN_SERVED_ISSUE, argv[0], &doc, &err);
	if (rc != GEN_OK)
		return fail(c, &err);
	print_doc(c, invgen_doc_existed(doc) ? "already issued" : "issued",
	    doc);
	invgen_doc_free(doc);
	return 0;
}

static int
cmd_credit(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct invgen_doc *doc = NULL;
	long long amount = -1;
	enum gen_rc rc;

	if (c->reason == NULL)
		return usage_error(c, "reason", "credit: --reason TEXT is "
		    "required");
	if (c->amount != NULL && (amount = minor_units(c->amount)) == 0)
		return usage_error(c, "amount", "credit: --amount '%s' must be a "
		    "positive whole number of minor units (cents)", c->amount);
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_credit(inv, argv[0], c->reason, amount, &doc, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(c, &err);
	print_doc(c, "issued credit note", doc);
	invgen_doc_free(doc);
	return 0;
}

/* "NUMBER=MINOR" into a draw; 0 if malformed. */
static int
parse_draw(const char *s, char *number, size_t sz, long long *amount)
{
	const char *eq = strchr(s, '=');

	if (eq == NULL || eq == s || (size_t)(eq - s) >= sz)
		return 0;
	memcpy(number, s, (size_t)(eq - s));
	number[eq - s] = '\0';
	return (*amount = minor_units(eq + 1)) > 0;
}

static int
cmd_terminate_refund(struct cli *c, const char **argv)
{
	struct invgen_draw draws[9];
	char numbers[9][100];
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct invgen_docs *docs = NULL;
	long long unused = 0;
	int terminate = argv[0] != NULL;
	enum gen_rc rc;

	if (c->reason == NULL)
		return usage_error(c, "reason", "--reason TEXT is required");
	if (terminate) {
		if (c->unused == NULL || c->to == NULL)
			return usage_error(c, c->unused == NULL ? "unused" : "to",
			    "terminate: --unused MINOR and --to balance|refund "
			    "are required");
		if ((unused = minor_units(c->unused)) == 0)
			return usage_error(c, "unused", "terminate: --unused '%s' "
			    "must be a positive whole number of minor units "
			    "(cents)", c->unused);
	} else if (c->ndraws == 0)
		return usage_error(c, "draw", "refund: --draw NUMBER=MINOR is "
		    "required (what the money came from)");
	for (int i = 0; i < c->ndraws; i++) {
		long long a;

		if (!parse_draw(c->draw[i], numbers[i], sizeof(numbers[i]), &a))
			return usage_error(c, "draw", "--draw '%s' must be "
			    "NUMBER=MINOR (a document number and a positive "
			    "amount of minor units)", c->draw[i]);
		draws[i].number = numbers[i];
		draws[i].amount_minor = a;
	}
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = terminate ? invgen_terminate(inv, argv[0], unused, c->to,
	    c->reason, draws, (size_t)c->ndraws, &docs, &err) :
	    invgen_refund(inv, c->reason, draws, (size_t)c->ndraws, &docs,
	    &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(c, &err);
	if (c->json) {
		for (size_t i = 0; i < invgen_docs_count(docs); i++)
			warn_missing_glyphs(invgen_docs_get(docs, i));
		put_json(invgen_docs_json(docs));
	} else
		for (size_t i = 0; i < invgen_docs_count(docs); i++) {
			const struct invgen_doc *d = invgen_docs_get(docs, i);
			const char *kind = invgen_doc_kind(d);

			print_doc(c, strcmp(kind, "credit_note") == 0 ?
			    "issued credit note" : strcmp(kind, "invoice") == 0 ?
			    "issued invoice" : strcmp(kind, "balance_use") == 0 ?
			    "issued balance return" : "issued refund receipt", d);
		}
	invgen_docs_free(docs);
	return 0;
}

static int
cmd_show(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct invgen_doc *doc = NULL;
	enum gen_rc rc;

	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_show(inv, argv[0], &doc, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(c, &err);
	print_doc(c, "document", doc);
	invgen_doc_free(doc);
	return 0;
}

static enum gen_rc
q_explain(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	return invgen_explain(inv, argv[0], json_or_text(c), out, err);
}

static enum gen_rc
q_list(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_list(inv, c->from, c->to, c->kind, json_or_text(c), out,
	    err);
}

static int
cmd_transfer_order(struct cli *c, const char **argv)
{
	struct gen_err err = { 0 };
	struct invgen_doc *doc = NULL;
	const char *path;

	if (call_for_order(c, INVGEN_SERVED_TRANSFER_ORDER, argv[0], &doc,
	    &err) != GEN_OK)
		return fail(c, &err);
	warn_missing_glyphs(doc);
	/* The copy is of the file the number names in our own output
	 * folder, checked against its SHA-256: never of a path taken from
	 * an answer. */
	if (c->output != NULL && invgen_copy_document(&c->opt,
	    invgen_doc_number(doc), invgen_doc_sha256(doc), c->output,
	    &err) != GEN_OK) {
		invgen_doc_free(doc);
		return fail(c, &err);
	}
	path = c->output != NULL ? c->output : invgen_doc_path(doc);
	if (c->json)
		put_json(invgen_doc_json(doc));
	else
		printf("payment order %s: pay %s by %s, reference %s%s%s\n",
		    invgen_doc_number(doc), invgen_doc_amount(doc),
		    invgen_doc_due_date(doc), invgen_doc_reference(doc) ?
		    invgen_doc_reference(doc) : "", path != NULL ? " -> " : "",
		    path != NULL ? path : "");
	invgen_doc_free(doc);
	return 0;
}

static int
cmd_payment_match(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct invgen_payment *p = NULL;
	char *out = NULL;
	long long amount = 0;
	enum gen_rc rc;

	(void)argv;
	if (c->csv == NULL && (c->reference == NULL || c->amount == NULL ||
	    c->currency == NULL || c->date == NULL))
		return usage_error(c, "", "payment match: give --reference, "
		    "--amount, --currency and --date, or --csv FILE");
	if (c->csv == NULL && (amount = minor_units(c->amount)) == 0)
		return usage_error(c, "amount", "payment match: --amount '%s' "
		    "must be a positive whole number of minor units (cents)",
		    c->amount);
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	if (c->csv != NULL) {
		struct buf in = { 0 };

		rc = read_input(c->csv, &in, &err);
		if (rc == GEN_OK)
			rc = invgen_payment_match_csv(inv, in.data ? in.data : "",
			    in.len, json_or_text(c), &out, &err);
		buf_free(&in);
		invgen_close(inv);
		return print_report(c, out, rc, &err);
	}
	rc = invgen_payment_match(inv, c->reference, amount, c->currency,
	    c->date, &p, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(c, &err);
	if (c->json)
		put_json(invgen_payment_json(p));
	else
		printf("matched %s %s (order %s): invoice %s %s\n",
		    invgen_payment_payment_order(p) != NULL ? "payment order" :
		    "invoice on credit terms", invgen_payment_payment_order(p) ?
		    invgen_payment_payment_order(p) : invgen_doc_number(
		    invgen_payment_invoice(p)), invgen_payment_order_no(p),
		    invgen_doc_number(invgen_payment_invoice(p)),
		    invgen_payment_payment_order(p) != NULL ? "issued" :
		    "booked");
	invgen_payment_free(p);
	return 0;
}

static int
cmd_export(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf b = { 0 };
	struct jsonw w;
	int status = 0, nargs = 0;

	while (argv[nargs] != NULL)
		nargs++;
	if (nargs < 2)
		return usage_error(c, "", "export: give a format (ubl, cii, "
		    "facturx, pdf) and one or more document numbers");
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	jsonw_init(&w, &b, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "files");
	jsonw_array_begin(&w);
	for (int i = 1; i < nargs; i++) {
		struct invgen_file *f = NULL;
		char *j;

		if (invgen_export(inv, argv[0], argv[i], c->output, &f,
		    &err) != GEN_OK) {
			status = -1;
			break;
		}
		if (c->json) {
			jsonw_json(&w, j = invgen_file_json(f));
			invgen_free(j);
		} else
			printf("%s\n", invgen_file_path(f));
		invgen_file_free(f);
	}
	invgen_close(inv);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	/* With --json the files written are listed even when one failed. */
	if (c->json)
		put_jsonw(&b);
	buf_free(&b);
	return status == 0 ? 0 : fail(c, &err);
}

static enum gen_rc
q_report_oss(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_report_oss(inv, c->quarter, report_format(c), out, err);
}

static enum gen_rc
q_report_sales(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_report_sales(inv, c->from, c->to, c->by, report_format(c),
	    out, err);
}

static enum gen_rc
q_report_vat_return(struct invgen *inv, const struct cli *c,
    const char **argv, char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_report_vat_return(inv, c->month, report_format(c), out,
	    err);
}

static enum gen_rc
q_report_ec_sales(struct invgen *inv, const struct cli *c,
    const char **argv, char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_report_ec_sales(inv, c->month, report_format(c), out,
	    err);
}

static enum gen_rc
q_report_unpaid(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	(void)argv;
	return invgen_report_unpaid(inv, report_format(c), out, err);
}

/* The options every report checks before its query runs. */
static int
cmd_report(struct cli *c, const char **argv)
{
	const char *what = argv[-1];

	if (c->json && c->csv_out)
		return usage_error(c, "", "report %s: --csv or --json, not both",
		    what);
	if (strcmp(what, "oss") == 0 && c->quarter == NULL)
		return usage_error(c, "quarter", "report oss: --quarter YYYYQn "
		    "is required");
	if ((strcmp(what, "vat-return") == 0 || strcmp(what, "ec-sales") == 0)
	    && c->month == NULL)
		return usage_error(c, "month", "report %s: --month YYYY-MM is "
		    "required", what);
	return cmd_query(c, argv);
}

static int
cmd_export_isaf(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf b = { 0 };
	struct jsonw w;
	char *out = NULL;
	enum gen_rc rc;

	(void)argv;
	if (c->month == NULL)
		return usage_error(c, "month", "export isaf: --month YYYY-MM is "
		    "required");
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_export_isaf(inv, c->month, &out, &err);
	invgen_close(inv);
	if (rc == GEN_OK && c->output != NULL)
		rc = invgen_write_file(&c->opt, c->output, out, strlen(out), &err);
	if (rc != GEN_OK) {
		invgen_free(out);
		return fail(c, &err);
	}
	if (c->json) {
		jsonw_init(&w, &b, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "month");
		jsonw_string(&w, c->month);
		jsonw_key(&w, "path");
		jsonw_string(&w, c->output);
		jsonw_key(&w, "size");
		jsonw_int(&w, (int64_t)strlen(out));
		jsonw_key(&w, "xml");
		jsonw_string(&w, c->output == NULL ? out : NULL);
		jsonw_object_end(&w);
		put_jsonw(&b);
	} else if (c->output != NULL)
		printf("%s\n", c->output);
	else
		fputs(out, stdout);
	invgen_free(out);
	return 0;
}

static int
cmd_render(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct invgen_file *f = NULL;
	enum gen_rc rc;

	if (c->output == NULL)
		return usage_error(c, "path", "render: -o FILE is required");
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_render(inv, argv[0], c->output, &f, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(c, &err);
	if (c->json)
		put_json(invgen_file_json(f));
	else
		printf("%s\n", invgen_file_path(f));
	invgen_file_free(f);
	return 0;
}

static enum gen_rc
q_verify(struct invgen *inv, const struct cli *c, const char **argv,
    char **out, struct gen_err *err)
{
	struct invgen_verify_options o = { 0 };
	size_t n = 0;

	while (argv[n] != NULL)
		n++;
	o.numbers = n > 0 ? argv : NULL;
	o.n = n;
	o.from = c->from;
	o.to = c->to;
	o.archive_dir = c->archive;
	o.expect_heads = c->expect;
	o.nexpect = c->nexpect;
	return invgen_verify(inv, &o, json_or_text(c), out, err);
}

/* The batch's progress line on a terminal: "1234/100000 docs  1021/s  ETA
 * 1m36s", redrawn in place; cleared at the end. */
static void
batch_progress(void *ctx, const struct invgen_batch_progress *p)
{
	long long rate, left;

	(void)ctx;
	if (p->final) {
		fputs("\r\033[K", stderr);
		return;
	}
	rate = p->elapsed_ms > 0 ? (long long)p->done * 1000 / p->elapsed_ms : 0;
	left = rate > 0 ? (long long)(p->total - p->done) / rate : -1;
	fprintf(stderr, "\r%zu/%zu docs  %lld/s  ", p->done, p->total, rate);
	if (left < 0)
		fputs("ETA -", stderr);
	else if (left >= 3600)
		fprintf(stderr, "ETA %lldh%02lldm", left / 3600, left / 60 % 60);
	else if (left >= 60)
		fprintf(stderr, "ETA %lldm%02llds", left / 60, left % 60);
	else
		fprintf(stderr, "ETA %llds", left);
	fputs("\033[K", stderr);
	fflush(stderr);
}

/* A thread count option: a whole number from 1 to max; 0 if it is not. */
static long
thread_count(const char *v, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	return errno || *end != '\0' || end == v || n < 1 || n > max ? 0 : n;
}

static int
cmd_batch(struct cli *c, const char **argv)
{
	struct invgen_batch_options o = { 0 };
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *summary = NULL;
	long jobs = 0;
	enum gen_rc rc;

	(void)argv;
	if (c->from == NULL || c->to == NULL || c->out == NULL)
		return usage_error(c, c->out == NULL ? "out_dir" : "", "batch: "
		    "--from DATE, --to DATE and --out DIR are required");
	if (c->jobs != NULL && (jobs = thread_count(c->jobs, 256)) == 0)
		return usage_error(c, "jobs", "batch: --jobs '%s' must be a "
		    "number of threads from 1 to 256", c->jobs);
	o.from = c->from;
	o.to = c->to;
	o.kinds = c->kind;
	o.formats = c->formats;
	o.out_dir = c->out;
	o.jobs = (int)jobs;
	o.shard = c->shard;
	if (isatty(STDERR_FILENO))
		o.progress = batch_progress;
	/* Each rendering allocates and frees a few hundred KB (zlib state,
	 * page buffers): keep freed memory in the worker threads' arenas
	 * instead of returning it to the kernel after every document (an
	 * madvise and a TLB shootdown on every core each time).  Memory
	 * stays at the peak of one rendering per thread. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 16 << 20);
	if (open_handle(c, &inv, &err) != GEN_OK)
		return fail(c, &err);
	rc = invgen_batch(inv, &o, json_or_text(c), &summary, &err);
	invgen_close(inv);
	return print_report(c, summary, rc, &err);
}

static volatile sig_atomic_t serve_stop;

static void
on_stop_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

static int
cmd_serve(struct cli *c, const char **argv)
{
	struct sigaction sa;
	struct gen_err err = { 0 };
	long workers = sysconf(_SC_NPROCESSORS_ONLN);

	(void)argv;
	if (workers < 1)
		workers = 1;
	if (workers > 16)
		workers = 16;
	if (c->workers != NULL && (workers = thread_count(c->workers, 16)) == 0)
		return usage_error(c, "workers", "serve: --workers '%s' must be "
		    "a number of threads from 1 to 16", c->workers);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (invgen_serve(&c->opt, (int)workers, &serve_stop, stderr, &err) !=
	    GEN_OK)
		return fail(c, &err);
	return 0;
}

static const struct command commands[] = {
	{ "help", -1, cmd_help, "invgen help [COMMAND|GROUP]",
	  "The list of commands; what one command does (the same as\ninvgen "
	  "COMMAND --help); or what each command of a group does\n(invgen "
	  "help order)." , CMD_NOJSON },
	{ "init", 0, cmd_init, "invgen init [--db PATH]",
	  "Create the database (or migrate an existing one to this version's "
	  "schema)\nand load the reference data: EU VAT rates and ECB "
	  "exchange rates." },
	{ "order list", 0, cmd_query, "invgen order list [--unpaid] [--json]",
	  "The orders, oldest first, each with its status (paid or unpaid), "
	  "its invoice\n(or receipt), and for an unpaid one the document it "
	  "waits to be paid by (its\npayment order, or its invoice on credit "
	  "terms), what is left to pay and the\ndue date; one past its due "
	  "date is marked PAST DUE with the days overdue.\n--unpaid: only the "
	  "orders not paid yet.", CMD_READ, q_order_list },
	{ "order show", 1, cmd_query, "invgen order show ORDER [--json]",
	  "One order as stored (every field of order add), its status, the "
	  "document it\nwaits to be paid by and the documents issued for it.",
	  CMD_READ, q_order_show },
	{ "order add", 1, cmd_order_add, "invgen order add [FILE|-]",
	  "Store one order (JSON object) or several (JSON array), all or "
	  "none.\nAn order_no that exists with identical content is a no-op; "
	  "with different\ncontent it is refused.  Reads stdin without FILE.",
	  CMD_STDIN },
	{ "order paid", 1, cmd_order_paid,
	  "invgen order paid ORDER --at TIMESTAMP [--json]",
	  "Record when the payment of an unpaid order arrived (RFC 3339)." },
	{ "seller add", 1, cmd_seller_add, "invgen seller add [FILE|-] [--json]",
	  "Add a seller profile (JSON) valid for a period of dates; "
	  "overlapping periods\nare refused.  Reads stdin without FILE.",
	  CMD_STDIN },
	{ "seller list", 0, cmd_query, "invgen seller list [--json]",
	  "The seller profiles, oldest first: id, period, legal name, VAT "
	  "number, series\nand IBAN.", CMD_READ, q_seller_list },
	{ "seller show", 1, cmd_seller_show, "invgen seller show ID [--json]",
	  "One seller profile, every field, whether it is open (no end date) "
	  "and the last\ndocument it issued.", CMD_READ, q_seller_show },
	{ "seller close", 0, cmd_seller_close,
	  "invgen seller close --on DATE [--json]",
	  "Close the open seller profile: DATE is its last day, so that a "
	  "profile with a\nnew bank account or address can start the day "
	  "after (seller add).  Refused\nfor a date before the tax point of a "
	  "document the profile issued: every\ndocument keeps the seller of "
	  "its tax point." },
	{ "rates import-ecb", 1, cmd_rates_import,
	  "invgen rates import-ecb [FILE|-] [--json]",
	  "Add ECB euro reference rates, all or none, from a file the ECB "
	  "publishes:\neurofxref-hist.csv, or the XML feeds "
	  "eurofxref-daily.xml,\neurofxref-hist-90d.xml and eurofxref-hist.xml "
	  "(told apart by their content).\nRates already stored are skipped; a "
	  "different value for a stored day is\nrefused.  Reads stdin without "
	  "FILE:\n"
	  "  curl -s https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily"
	  ".xml |\n      invgen rates import-ecb -", CMD_STDIN },
	{ "rates status", 0, cmd_query,
	  "invgen rates status [--currency CUR] [--json]",
	  "The last day of ECB rates stored and how many days ago it was, "
	  "then per\ncurrency (or only CUR): its last day, rate, age, first "
	  "day and days stored.\nIssuing in another currency needs a rate of "
	  "the tax point or the 7 days before.", CMD_READ, q_rates_status },
	{ "issue", 1, cmd_issue, "invgen issue ORDER [--due DATE] [--json]",
	  "Issue the invoice of a paid order and write its PDF; an order "
	  "that has one\nalready gets the same document back.  Under the "
	  "seller's balance VAT policy\na top-up (at_use) or a purchase paid "
	  "from the balance (at_top_up) gets a\ndocument without VAT instead.  "
	  "--due DATE: credit terms, the invoice of an\nunpaid order, due on "
	  "DATE, with the payment details of a payment order." },
	{ "terminate", 1, cmd_terminate_refund,
	  "invgen terminate DOC --unused MINOR --to balance|refund --reason TEXT\n"
	  "                    [--draw NUMBER=MINOR]... [--json]",
	  "Terminate the subscription of a document (its invoice, or its use "
	  "of the\nprepaid balance): the net amount MINOR left unused goes to "
	  "the balance or is\npaid back.  Issues what the seller's balance VAT "
	  "policy needs: a credit note\nsaying where the money went, and under "
	  "at_top_up a top-up invoice of the\namount credited to the balance, "
	  "or for a purchase paid from the balance its\nreturn to the top-up "
	  "invoices named by --draw." },
	{ "refund", 0, cmd_terminate_refund,
	  "invgen refund --draw NUMBER=MINOR... --reason TEXT [--json]",
	  "Pay back unused prepaid balance, naming the documents the money came "
	  "from and\nhow much of each: top-up invoices (at_top_up: a credit note "
	  "against each\nreverses its VAT), prepayment receipts or credit notes "
	  "credited to the balance\n(at_use: one refund receipt without VAT)." },
	{ "credit", 1, cmd_credit,
	  "invgen credit INVOICE --reason TEXT [--amount MINOR] [--json]",
	  "Issue a credit note against an invoice: everything still "
	  "uncredited, or the\nnet amount MINOR (in minor units, e.g. cents)." },
	{ "transfer-order", 1, cmd_transfer_order,
	  "invgen transfer-order ORDER [-o FILE] [--json]",
	  "Create (once) the payment order of an unpaid bank-transfer order: "
	  "amount with\nVAT, due date, the seller's bank account and an ISO "
	  "11649 RF reference, with\nan EPC QR code for euro payments." },
	{ "payment match", 0, cmd_payment_match,
	  "invgen payment match --reference REF --amount MINOR --currency CUR"
	  "\n                     --date DATE | --csv FILE  [--json]",
	  "Match a bank-statement line to its payment order by the RF "
	  "reference, check\ncurrency and amount (an underpayment issues "
	  "nothing), mark the order paid on\nDATE and issue its invoice. With "
	  "--csv: every line of a statement\n(date,amount,currency,reference), "
	  "then a summary." },
	{ "export", -1, cmd_export,
	  "invgen export ubl|cii|facturx|pdf DOC... [-o DIR] [--json]",
	  "Write documents as EN 16931 e-invoices: UBL 2.1 following Peppol "
	  "BIS Billing\n3.0 (NUMBER.ubl.xml), UN/CEFACT CII D16B, Factur-X "
	  "EN 16931 profile\n(NUMBER.cii.xml), or Factur-X: the PDF as "
	  "PDF/A-3b with the CII embedded\nas factur-x.xml "
	  "(NUMBER.facturx.pdf), or its PDF as issued (NUMBER.pdf),\ninto DIR "
	  "(default: the output directory).  Works on a database it may only "
	  "read\n(a copy): the first export's SHA-256 is then not recorded.",
	  CMD_READ_ONLY_IF_NEEDED },
	{ "report oss", 0, cmd_report, "invgen report oss --quarter YYYYQn "
	  "[--csv | --json]",
	  "The One-Stop-Shop return data of a quarter: per member state of "
	  "consumption\nand rate, the taxable amount and VAT in EUR (other "
	  "currencies at the ECB rate\nof the quarter's last day), credit "
	  "notes netted into their own quarter, and\ncorrections of earlier "
	  "quarters listed apart.", CMD_READ, q_report_oss },
	{ "report sales", 0, cmd_report, "invgen report sales [--from DATE] "
	  "[--to DATE]\n                    [--by country|currency|treatment] "
	  "[--csv | --json]",
	  "Totals of the documents issued in a period, per group and "
	  "currency.", CMD_READ, q_report_sales },
	{ "report vat-return", 0, cmd_report, "invgen report vat-return "
	  "--month YYYY-MM [--csv | --json]",
	  "The Lithuanian VAT return (FR0600) figures of a month in EUR, box "
	  "by box (11,\n20 and its parts, 29), with the documents behind "
	  "them, checked against the\ni.SAF register (by VAT point date) "
	  "and FR0564; the differences in timing are\nlisted.  Exit status 1 "
	  "when a check fails (the report says where).", CMD_READ,
	  q_report_vat_return },
	{ "report ec-sales", 0, cmd_report, "invgen report ec-sales "
	  "--month YYYY-MM [--csv | --json]",
	  "The recapitulative statement (FR0564) of a month: one row per "
	  "customer VAT\nnumber with the reverse-charge services in EUR, "
	  "credit notes netted into their\nmonth.", CMD_READ,
	  q_report_ec_sales },
	{ "report unpaid", 0, cmd_report, "invgen report unpaid "
	  "[--csv | --json]",
	  "The invoices on credit terms on which something is still due: "
	  "total, credit\nnotes, payments booked, what is left and the days "
	  "overdue.", CMD_READ, q_report_unpaid },
	{ "export isaf", 0, cmd_export_isaf, "invgen export isaf --month "
	  "YYYY-MM [-o FILE] [--json]",
	  "The Lithuanian i.SAF register of the issued VAT invoices and "
	  "credit notes of a\nmonth (XML, iSAF1.2).", CMD_READ },
	{ "render", 1, cmd_render, "invgen render DOC -o FILE [--json]",
	  "Render a document's PDF from its stored snapshot, atomically "
	  "(temporary file,\nthen rename)." },
	{ "verify", -1, cmd_query, "invgen verify DOC... | --from DATE --to "
	  "DATE [--archive DIR]\n                    [--expect-head "
	  "SERIES=SHA256]... [--json]",
	  "Re-render documents and compare them with the SHA-256 recorded "
	  "when they\nwere issued; with --archive, also check the files of an "
	  "archive folder (a\nbatch's output): missing ones and files that "
	  "are no issued document's.\nRecompute every series' hash chain and "
	  "compare it with the stored rows:\nchanged columns, removed, "
	  "inserted or renumbered documents and gaps are\nnamed by document "
	  "number; each series' head is printed. --expect-head\nSERIES=SHA256 "
	  "(a head printed earlier, kept elsewhere) fails when history\nbefore "
	  "it was rewritten. Exit status 1 when anything differs, 3 when\n"
	  "number_series does not match the documents (a damaged archive).",
	  CMD_READ, q_verify },
	{ "batch", 0, cmd_batch, "invgen batch --from DATE --to DATE --out DIR "
	  "[--kind LIST]\n                    [--formats LIST] [--jobs N] "
	  "[--shard K/N] [--json]",
	  "Re-render every document issued in a period from its snapshot into "
	  "DIR, in\nparallel (--jobs, default one per CPU), byte-identical to "
	  "what was issued:\nNUMBER.pdf, NUMBER.ubl.xml, NUMBER.cii.xml, "
	  "NUMBER.facturx.pdf (--formats\npdf,ubl,cii,facturx; default pdf) of "
	  "--kind invoice,credit_note,transfer_order,\nprepayment_receipt,"
	  "balance_use (default all).  Files already there with the\nrecorded "
	  "hash are kept, so a rerun resumes an interrupted batch.\n"
	  "DIR/manifest.csv lists every file with its SHA-256.  --shard K/N "
	  "takes the\ndocuments whose id modulo N is K-1, to spread a period "
	  "over machines.\nProgress on stderr when it is a terminal; a summary "
	  "at the end.  Exit status 1\nwhen a rendering differs from its "
	  "recorded hash." },
	{ "show", 1, cmd_show, "invgen show DOC [--json]",
	  "Print a stored document; its PDF is named when it is in the "
	  "output directory\nas issued.  Nothing is written.", CMD_READ },
	{ "list", 0, cmd_query, "invgen list [--from DATE] [--to DATE] "
	  "[--kind LIST] [--json]",
	  "List the documents issued between two dates (inclusive), of the "
	  "kinds in LIST\n(invoice,credit_note,transfer_order,"
	  "prepayment_receipt,balance_use; default\nall).", CMD_READ,
	  q_list },
	{ "explain", 1, cmd_query, "invgen explain ORDER [--json]",
	  "Explain the VAT decision for an order: the rule and its legal "
	  "source.", CMD_READ, q_explain },
	{ "serve", 0, cmd_serve, "invgen serve [--workers N]",
	  "Stay running with the database, templates, fonts and ICU loaded, "
	  "and make the\n`issue` and `transfer-order` calls of other invgen "
	  "processes of this user on\nthe same database (socket DB.sock), "
	  "when they run the same program with the\nsame configuration; they "
	  "make their calls themselves otherwise.  --workers:\nthreads, "
	  "default one per CPU.  Stops on SIGTERM or SIGINT, or when the "
	  "program\nfile changes or a shared library it uses is replaced "
	  "(run it under a\nsupervisor that restarts it).  One line per call "
	  "on stderr.", CMD_NOJSON },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* 1 if the command's name is the group word g, a space and its own. */
static int
in_group(const struct command *cmd, const char *g)
{
	size_t n = strlen(g);

	return strncmp(cmd->name, g, n) == 0 && cmd->name[n] == ' ';
}

/*
 * The command named by the first words of args: the longest match, so
 * "export isaf" wins over "export".  *used: the words of its name (1 or
 * 2).  NULL when no command has that name.
 */
static const struct command *
find_command(const char *const *args, int nargs, int *used)
{
	const struct command *cmd = NULL;

	*used = 0;
	for (size_t i = 0; i < NCOMMANDS && nargs > 0; i++) {
		const char *sp = strchr(commands[i].name, ' ');

		if (sp == NULL && *used < 1 &&
		    strcmp(commands[i].name, args[0]) == 0) {
			cmd = &commands[i];
			*used = 1;
		} else if (sp != NULL && nargs >= 2 &&
		    in_group(&commands[i], args[0]) &&
		    strcmp(sp + 1, args[1]) == 0) {
			cmd = &commands[i];
			*used = 2;
		}
	}
	return cmd;
}

/* Print the usage lines of the commands of group g (all when NULL). */
static void
print_usages(FILE *fp, const char *g)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (g == NULL || in_group(&commands[i], g))
			fprintf(fp, "  %s\n", commands[i].usage);
}

static void
print_help(void)
{
	printf("usage: invgen [--db PATH] [--data-dir DIR] [--out-dir DIR]\n"
	    "              COMMAND [ARGS] [--json]\n\n"
	    "Invoice and tax-document generator of SIP.TG.\n\ncommands:\n");
	print_usages(stdout, NULL);
	printf("\nglobal options:\n"
	    "  --db PATH        database (default $INVGEN_DB or invgen.db)\n"
	    "  --data-dir DIR   templates, fonts, locales (default: found)\n"
	    "  --out-dir DIR    rendered files (default: documents/ beside "
	    "the database)\n"
	    "  --json           the result as JSON on stdout, an error as "
	    "JSON on stderr\n"
	    "  --help, --version\n\n"
	    "`invgen help COMMAND` or `invgen COMMAND --help` says what a "
	    "command does;\n`invgen help GROUP` (order, seller, rates, ...) "
	    "what each of a group does.\n\n"
	    "exit status: 0 ok, 1 refused input, 2 usage, 3 storage or I/O "
	    "error, or retry later\n");
}

/*
 * A command line naming no command (args has at least one word): an
 * unknown word, a group without its command ("invgen order"), or a
 * group with an unknown one.  Says so (with the group's commands, in
 * text); returns 2.
 */
static int
no_such_command(const struct cli *c, const char *const *args, int nargs)
{
	int group = 0, status;

	for (size_t i = 0; i < NCOMMANDS && !group; i++)
		group = in_group(&commands[i], args[0]);
	if (!group)
		return usage_error(c, "", "unknown command '%s'", args[0]);
	if (nargs == 1)
		status = usage_error(c, "", "%s: which command?", args[0]);
	else
		status = usage_error(c, "", "unknown command '%s %s'", args[0],
		    args[1]);
	if (!c->json)
		print_usages(stderr, args[0]);
	return status;
}

/*
 * The help of what args names: one command (any words after its name are
 * ignored), and when its name is also a group's word ("export", "export
 * isaf") the group's commands too; or a group (`invgen order --help`):
 * each of its commands.  Returns 0, or 2 when args names nothing.
 */
static int
print_command_help(const struct cli *c, const char *const *args, int nargs)
{
	const struct command *cmd;
	const char *group;
	int used, n = 0;

	cmd = find_command(args, nargs, &used);
	if (cmd != NULL) {
		printf("usage: %s\n\n%s\n", cmd->usage, cmd->help);
		n++;
	}
	group = cmd == NULL ? (nargs == 1 ? args[0] : NULL) :
	    used == 1 ? cmd->name : NULL;
	for (size_t i = 0; group != NULL && i < NCOMMANDS; i++)
		if (in_group(&commands[i], group))
			printf("%susage: %s\n\n%s\n", n++ ? "\n" : "",
			    commands[i].usage, commands[i].help);
	return n > 0 ? 0 : no_such_command(c, args, nargs);
}

static int
cmd_help(struct cli *c, const char **argv)
{
	int n = 0;

	while (argv[n] != NULL)
		n++;
	if (n == 0) {
		print_help();
		return 0;
	}
	return print_command_help(c, argv, n);
}

/* Take an option value: "--x=V" or "--x V". */
static const char *
optval(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

/* Parse the command line into c and run the command. */
static int
run(struct cli *cp, int argc, char **argv)
{
	struct cli c;
	const struct command *cmd;
	int words;

	c = *cp;
	/* --json decides how even an error in the options is reported. */
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--json") == 0)
			c.json = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;

		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				c.args[c.nargs++] = argv[i];
			break;
		}
		if (a[0] != '-' || strcmp(a, "-") == 0) {
			c.args[c.nargs++] = a;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			c.help = 1;
		else if (strcmp(a, "--version") == 0) {
			printf("invgen %s\n", invgen_version());
			return 0;
		} else if (strcmp(a, "--json") == 0)
			c.json = 1;
		else if (strcmp(a, "--unpaid") == 0)
			c.unpaid = 1;
		else if ((v = optval(argc, argv, &i, "--db")) != NULL)
			c.opt.db_path = v;
		else if ((v = optval(argc, argv, &i, "--data-dir")) != NULL)
			c.opt.data_dir = v;
		else if ((v = optval(argc, argv, &i, "--out-dir")) != NULL)
			c.opt.out_dir = v;
		else if ((v = optval(argc, argv, &i, "--reason")) != NULL)
			c.reason = v;
		else if ((v = optval(argc, argv, &i, "--amount")) != NULL)
			c.amount = v;
		else if ((v = optval(argc, argv, &i, "--reference")) != NULL)
			c.reference = v;
		else if ((v = optval(argc, argv, &i, "--currency")) != NULL)
			c.currency = v;
		else if ((v = optval(argc, argv, &i, "--date")) != NULL)
			c.date = v;
		else if (strcmp(a, "--csv") == 0 && (i + 1 >= argc ||
		    argv[i + 1][0] == '-'))
			c.csv_out = 1;	/* report ... --csv: CSV output */
		else if ((v = optval(argc, argv, &i, "--csv")) != NULL)
			c.csv = v;
		else if ((v = optval(argc, argv, &i, "--archive")) != NULL)
			c.archive = v;
		else if ((v = optval(argc, argv, &i, "--expect-head")) != NULL)
			c.expect[c.nexpect++] = v;
		else if ((v = optval(argc, argv, &i, "--quarter")) != NULL)
			c.quarter = v;
		else if ((v = optval(argc, argv, &i, "--month")) != NULL)
			c.month = v;
		else if ((v = optval(argc, argv, &i, "--by")) != NULL)
			c.by = v;
		else if ((v = optval(argc, argv, &i, "--from")) != NULL)
			c.from = v;
		else if ((v = optval(argc, argv, &i, "--to")) != NULL)
			c.to = v;
		else if ((v = optval(argc, argv, &i, "--at")) != NULL)
			c.at = v;
		else if ((v = optval(argc, argv, &i, "--on")) != NULL)
			c.on = v;
		else if ((v = optval(argc, argv, &i, "--kind")) != NULL)
			c.kind = v;
		else if ((v = optval(argc, argv, &i, "--formats")) != NULL)
			c.formats = v;
		else if ((v = optval(argc, argv, &i, "--jobs")) != NULL)
			c.jobs = v;
		else if ((v = optval(argc, argv, &i, "--shard")) != NULL)
			c.shard = v;
		else if ((v = optval(argc, argv, &i, "--workers")) != NULL)
			c.workers = v;
		else if ((v = optval(argc, argv, &i, "--due")) != NULL)
			c.due = v;
		else if ((v = optval(argc, argv, &i, "--unused")) != NULL)
			c.unused = v;
		else if ((v = optval(argc, argv, &i, "--draw")) != NULL) {
			if (c.ndraws == 9)
				return usage_error(&c, "draw", "at most 8 --draw "
				    "options");
			c.draw[c.ndraws++] = v;
		}
		else if ((v = optval(argc, argv, &i, "--out")) != NULL)
			c.out = v;
		else if ((v = optval(argc, argv, &i, "-o")) != NULL ||
		    (v = optval(argc, argv, &i, "--output")) != NULL)
			c.output = v;
		else
			return usage_error(&c, "", "unknown option '%s'", a);
	}
	if (c.nargs == 0) {
		if (c.help) {
			print_help();
			return 0;
		}
		if (c.json)
			return usage_error(&c, "", "no command given");
		print_help();
		return 2;
	}
	if (c.help)
		return print_command_help(&c, c.args, c.nargs);
	if ((cmd = find_command(c.args, c.nargs, &words)) == NULL)
		return no_such_command(&c, c.args, c.nargs);
	c.cmd = cmd;
	if (c.json && (cmd->flags & CMD_NOJSON))
		return usage_error(&c, "", "%s has no JSON form: --json is not "
		    "allowed", cmd->name);
	if ((cmd->flags & CMD_STDIN) && c.nargs == words)
		c.args[c.nargs++] = "-";
	if (cmd->nargs >= 0 && c.nargs - words != cmd->nargs)
		return usage_error(&c, "", "usage: %s", cmd->usage);
	c.args[c.nargs] = NULL;
	return cmd->run(&c, c.args + words);
}

int
main(int argc, char **argv)
{
	struct cli c;
	int status;

	/* Past a file-size limit (ulimit -f) write() must fail with EFBIG,
	 * which is reported and rolled back, instead of SIGXFSZ killing the
	 * process half-way. */
	signal(SIGXFSZ, SIG_IGN);
	memset(&c, 0, sizeof(c));
	/* room for every word, a default "-" and the NULL terminator */
	c.args = xcalloc((size_t)argc + 2, sizeof(*c.args));
	c.expect = xcalloc((size_t)argc + 1, sizeof(*c.expect));
	status = run(&c, argc, argv);
	free(c.args);
	free(c.expect);
	return status;
}
