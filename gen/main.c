/*
 * main.c - the invgen command line: parses arguments, reads input files,
 * calls the libinvgen functions of invgen.h, prints results and maps
 * errors to exit statuses (0 ok, 1 refused input, 2 usage, 3 storage or
 * I/O).  It contains no business logic; everything it does a bot can do
 * through the library.
 */
#include <errno.h>
#include <signal.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "invgen.h"
#include "buf.h"
#include "err.h"

/* Parsed command line: global options, command words, command options. */
struct cli {
	struct invgen_options opt;
	int json;
	int help;
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
};

static void json_pick(const char *json, const char *key, char *out,
    size_t sz);
static int cmd_help(struct cli *c, const char **argv);

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
};

/* The command's one argument is a FILE that defaults to "-" (stdin). */
#define CMD_STDIN	0x1

static int
fail(const struct gen_err *err)
{
	fprintf(stderr, "invgen: %s\n", err->msg);
	return invgen_rc_exit_status(err->rc);
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "invgen: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see invgen --help)\n");
	return 2;
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

static int
open_handle(struct cli *c, struct invgen **inv, struct gen_err *err)
{
	return invgen_open(&c->opt, inv, err) == GEN_OK ? 0 : -1;
}

static int
cmd_init(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };

	(void)argv;
	c->opt.create = 1;
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	invgen_close(inv);
	if (c->json)
		printf("{\"database\":\"%s\",\"ok\":true}\n", c->opt.db_path ?
		    c->opt.db_path : "invgen.db");
	else
		printf("database ready: %s\n", c->opt.db_path ? c->opt.db_path :
		    getenv("INVGEN_DB") ? getenv("INVGEN_DB") : "invgen.db");
	return 0;
}

static int
cmd_order_add(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf in = { 0 };
	size_t stored, unchanged;
	enum gen_rc rc;

	if (read_input(argv[0], &in, &err) != GEN_OK)
		return buf_free(&in), fail(&err);
	if (open_handle(c, &inv, &err) != 0)
		return buf_free(&in), fail(&err);
	rc = invgen_order_add(inv, in.data ? in.data : "", in.len, &stored,
	    &unchanged, &err);
	invgen_close(inv);
	buf_free(&in);
	if (rc != GEN_OK)
		return fail(&err);
	if (c->json)
		printf("{\"stored\":%zu,\"unchanged\":%zu}\n", stored, unchanged);
	else
		printf("%zu order%s stored, %zu already present unchanged\n",
		    stored, stored == 1 ? "" : "s", unchanged);
	return 0;
}

static int
cmd_order_paid(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	enum gen_rc rc;

	if (c->at == NULL)
		return usage_error("order paid: --at TIMESTAMP is required%s", "");
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_order_paid(inv, argv[0], c->at, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	if (!c->json)
		printf("order %s paid at %s\n", argv[0], c->at);
	else
		printf("{\"order_no\":\"%s\",\"paid\":true}\n", argv[0]);
	return 0;
}

static int
cmd_seller_add(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf in = { 0 };
	enum gen_rc rc;

	if (read_input(argv[0], &in, &err) != GEN_OK)
		return buf_free(&in), fail(&err);
	if (open_handle(c, &inv, &err) != 0)
		return buf_free(&in), fail(&err);
	rc = invgen_seller_add(inv, in.data ? in.data : "", in.len, &err);
	invgen_close(inv);
	buf_free(&in);
	if (rc != GEN_OK)
		return fail(&err);
	if (!c->json)
		printf("seller profile added\n");
	return 0;
}

static int
cmd_rates_import(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct buf in = { 0 };
	size_t added;
	enum gen_rc rc;

	if (read_input(argv[0], &in, &err) != GEN_OK)
		return buf_free(&in), fail(&err);
	if (open_handle(c, &inv, &err) != 0)
		return buf_free(&in), fail(&err);
	rc = invgen_rates_import_ecb(inv, in.data ? in.data : "", in.len,
	    &added, &err);
	invgen_close(inv);
	buf_free(&in);
	if (rc != GEN_OK)
		return fail(&err);
	if (c->json)
		printf("{\"added\":%zu}\n", added);
	else
		printf("%zu exchange rate%s added\n", added, added == 1 ? "" : "s");
	return 0;
}

static int
cmd_rates_status(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *out = NULL;
	enum gen_rc rc;

	(void)argv;
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_rates_status(inv, c->currency, c->json, &out, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	fputs(out, stdout);
	invgen_free(out);
	return 0;
}

/* Report on stderr the characters no font could draw (they are drawn as
 * a visible replacement): "missing_glyphs" of our own JSON. */
static void
warn_missing_glyphs(const char *json)
{
	const char *p = strstr(json, "\"missing_glyphs\":[");
	size_t n;

	if (p == NULL)
		return;
	p += strlen("\"missing_glyphs\":[");
	n = strcspn(p, "]");
	fprintf(stderr, "invgen: warning: no font has a glyph for %.*s; drawn "
	    "as a replacement character (add a font to fonts/fonts.txt)\n",
	    (int)n, p);
}

/* Print a document result: the JSON as is, or a one-line summary. */
static void
print_doc(const struct cli *c, const char *verb, const char *json)
{
	const char *num, *tot, *cur, *tr, *path;
	char n[96] = "?", t[48] = "?", cu[8] = "?", trt[32] = "?", p[4200] = "";

	warn_missing_glyphs(json);
	if (c->json) {
		printf("%s\n", json);
		return;
	}
	/* The JSON is ours and compact; pick a few string fields out of it. */
#define PICK(var, key, dst) do { \
	var = strstr(json, "\"" key "\":\""); \
	if (var != NULL) { \
		var += strlen(key) + 4; \
		snprintf(dst, sizeof(dst), "%.*s", \
		    (int)strcspn(var, "\""), var); \
	} \
} while (0)
	PICK(num, "number", n);
	PICK(tot, "total", t);
	PICK(cur, "currency", cu);
	PICK(tr, "treatment", trt);
	PICK(path, "path", p);
#undef PICK
	printf("%s %s: total %s %s, %s%s%s\n", verb, n, t, cu, trt,
	    p[0] ? " -> " : "", p);
}

/*
 * `issue` and `transfer-order`: made by a running `invgen serve` of this
 * database when one answers (see serve.c), else here.
 */
static enum gen_rc
call_for_order(struct cli *c, enum invgen_served call, const char *order_no,
    char **json, struct gen_err *err)
{
	struct invgen *inv;
	enum gen_rc rc;
	int served;

	rc = invgen_served_call(&c->opt, call, order_no, &served, json, err);
	if (served)
		return rc;
	if ((rc = invgen_open(&c->opt, &inv, err)) != GEN_OK)
		return rc;
	if (call == INVGEN_SERVED_ISSUE)
		rc = invgen_issue(inv, order_no, json, err);
	else
		rc = invgen_transfer_order(inv, order_no, json, err);
	invgen_close(inv);
	return rc;
}

static int
cmd_issue(struct cli *c, const char **argv)
{
	struct gen_err err = { 0 };
	char *json = NULL;

	if (c->due != NULL) {		/* credit terms: made here */
		struct invgen *inv;
		enum gen_rc rc;

		if (open_handle(c, &inv, &err) != 0)
			return fail(&err);
		rc = invgen_issue_due(inv, argv[0], c->due, &json, &err);
		invgen_close(inv);
		if (rc != GEN_OK)
			return fail(&err);
	} else if (call_for_order(c, INVGEN_SERVED_ISSUE, argv[0], &json,
	    &err) != GEN_OK)
		return fail(&err);
	print_doc(c, strstr(json, "\"existed\":true") ? "already issued" :
	    "issued", json);
	invgen_free(json);
	return 0;
}

static int
cmd_credit(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *json = NULL, *end;
	long long amount = -1;
	enum gen_rc rc;

	if (c->reason == NULL)
		return usage_error("credit: --reason TEXT is required%s", "");
	if (c->amount != NULL) {
		errno = 0;
		amount = strtoll(c->amount, &end, 10);
		if (errno || *end != '\0' || end == c->amount || amount <= 0)
			return usage_error("credit: --amount '%s' must be a "
			    "positive whole number of minor units (cents)",
			    c->amount);
	}
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_credit(inv, argv[0], c->reason, amount, &json, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	print_doc(c, "issued credit note", json);
	invgen_free(json);
	return 0;
}

/* "NUMBER=MINOR" into a draw; 0 if malformed. */
static int
parse_draw(const char *s, char *number, size_t sz, long long *amount)
{
	const char *eq = strchr(s, '=');
	char *end;

	if (eq == NULL || eq == s || (size_t)(eq - s) >= sz)
		return 0;
	memcpy(number, s, (size_t)(eq - s));
	number[eq - s] = '\0';
	errno = 0;
	*amount = strtoll(eq + 1, &end, 10);
	return !(errno || *end != '\0' || end == eq + 1 || *amount <= 0);
}

/* Print every document of {"documents": [...]}: the JSON as is, or a
 * line per document. */
static void
print_docs(const struct cli *c, const char *json)
{
	const char *p = strchr(json, '[');
	int depth = 0, in_str = 0;
	const char *start = NULL;

	if (c->json || p == NULL) {
		printf("%s\n", json);
		return;
	}
	/* Split the array's objects (our own JSON: strings escape '"'). */
	for (p++; *p != '\0'; p++) {
		if (in_str) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				in_str = 0;
			continue;
		}
		if (*p == '"')
			in_str = 1;
		else if (*p == '{' && depth++ == 0)
			start = p;
		else if (*p == '}' && --depth == 0 && start != NULL) {
			char *one = xstrndup(start, (size_t)(p - start + 1));
			char kind[32];

			json_pick(one, "kind", kind, sizeof(kind));
			print_doc(c, strcmp(kind, "credit_note") == 0 ?
			    "issued credit note" : strcmp(kind, "invoice") == 0 ?
			    "issued invoice" : strcmp(kind, "balance_use") == 0 ?
			    "issued balance return" : "issued refund receipt",
			    one);
			free(one);
		}
	}
}

static int
cmd_terminate_refund(struct cli *c, const char **argv)
{
	struct invgen_draw draws[9];
	char numbers[9][100];
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *json = NULL, *end;
	long long unused = 0;
	int terminate = argv[0] != NULL;
	enum gen_rc rc;

	if (c->reason == NULL)
		return usage_error("--reason TEXT is required%s", "");
	if (terminate) {
		if (c->unused == NULL || c->to == NULL)
			return usage_error("terminate: --unused MINOR and --to "
			    "balance|refund are required%s", "");
		errno = 0;
		unused = strtoll(c->unused, &end, 10);
		if (errno || *end != '\0' || end == c->unused || unused <= 0)
			return usage_error("terminate: --unused '%s' must be a "
			    "positive whole number of minor units (cents)",
			    c->unused);
	} else if (c->ndraws == 0)
		return usage_error("refund: --draw NUMBER=MINOR is required "
		    "(what the money came from)%s", "");
	for (int i = 0; i < c->ndraws; i++) {
		long long a;

		if (!parse_draw(c->draw[i], numbers[i], sizeof(numbers[i]), &a))
			return usage_error("--draw '%s' must be NUMBER=MINOR "
			    "(a document number and a positive amount of minor "
			    "units)", c->draw[i]);
		draws[i].number = numbers[i];
		draws[i].amount_minor = a;
	}
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = terminate ? invgen_terminate(inv, argv[0], unused, c->to,
	    c->reason, draws, (size_t)c->ndraws, &json, &err) :
	    invgen_refund(inv, c->reason, draws, (size_t)c->ndraws, &json,
	    &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	print_docs(c, json);
	invgen_free(json);
	return 0;
}

static int
cmd_show(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *json = NULL;
	enum gen_rc rc;

	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_show(inv, argv[0], &json, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	print_doc(c, "document", json);
	invgen_free(json);
	return 0;
}

static int
cmd_explain(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *text = NULL;
	enum gen_rc rc;

	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_explain(inv, argv[0], &text, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	fputs(text, stdout);
	invgen_free(text);
	return 0;
}

static int
cmd_list(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *text = NULL;
	enum gen_rc rc;

	(void)argv;
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_list(inv, c->from, c->to, c->json, &text, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	fputs(text, stdout);
	invgen_free(text);
	return 0;
}

/* The value of a string field of our own compact JSON ("" if absent). */
static void
json_pick(const char *json, const char *key, char *out, size_t sz)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(json, pat);
	out[0] = '\0';
	if (p != NULL) {
		p += strlen(pat);
		snprintf(out, sz, "%.*s", (int)strcspn(p, "\""), p);
	}
}

static int
cmd_transfer_order(struct cli *c, const char **argv)
{
	struct gen_err err = { 0 };
	char *json = NULL, path[4200], num[96], ref[64], amount[64], due[16],
	    sha[65];

	if (call_for_order(c, INVGEN_SERVED_TRANSFER_ORDER, argv[0], &json,
	    &err) != GEN_OK)
		return fail(&err);
	warn_missing_glyphs(json);
	json_pick(json, "path", path, sizeof(path));
	json_pick(json, "number", num, sizeof(num));
	json_pick(json, "sha256", sha, sizeof(sha));
	/* The copy is of the file the number names in our own output
	 * folder, checked against its SHA-256: never of a path read from
	 * the answer. */
	if (c->output != NULL && invgen_copy_document(&c->opt, num, sha,
	    c->output, &err) != GEN_OK) {
		invgen_free(json);
		return fail(&err);
	}
	if (c->json)
		printf("%s\n", json);
	else {
		json_pick(json, "reference_formatted", ref, sizeof(ref));
		json_pick(json, "amount", amount, sizeof(amount));
		json_pick(json, "due_date", due, sizeof(due));
		printf("payment order %s: pay %s by %s, reference %s%s%s\n",
		    num, amount, due, ref, path[0] ? " -> " : "",
		    c->output ? c->output : path);
	}
	invgen_free(json);
	return 0;
}

static int
cmd_payment_match(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *out = NULL, *end;
	long long amount = 0;
	enum gen_rc rc;

	(void)argv;
	if (c->csv == NULL && (c->reference == NULL || c->amount == NULL ||
	    c->currency == NULL || c->date == NULL))
		return usage_error("payment match: give --reference, --amount, "
		    "--currency and --date, or --csv FILE%s", "");
	if (c->csv == NULL) {
		errno = 0;
		amount = strtoll(c->amount, &end, 10);
		if (errno || *end != '\0' || end == c->amount || amount <= 0)
			return usage_error("payment match: --amount '%s' must be a "
			    "positive whole number of minor units (cents)",
			    c->amount);
	}
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	if (c->csv != NULL) {
		struct buf in = { 0 };

		rc = read_input(c->csv, &in, &err);
		if (rc == GEN_OK)
			rc = invgen_payment_match_csv(inv, in.data ? in.data : "",
			    in.len, c->json, &out, &err);
		buf_free(&in);
	} else
		rc = invgen_payment_match(inv, c->reference, amount, c->currency,
		    c->date, &out, &err);
	invgen_close(inv);
	if (out != NULL) {
		if (c->json || c->csv != NULL)
			fputs(out, stdout);
		else {
			char order[96], po[96], inv_no[96];
			const char *p = strstr(out, "\"invoice\":");

			json_pick(out, "order_no", order, sizeof(order));
			json_pick(out, "payment_order", po, sizeof(po));
			json_pick(p ? p : "", "number", inv_no, sizeof(inv_no));
			printf("matched payment order %s (order %s): invoice %s "
			    "issued\n", po, order, inv_no);
		}
		if (c->json && c->csv == NULL)
			putchar('\n');
		invgen_free(out);
	}
	return rc == GEN_OK ? 0 : fail(&err);
}

static int
cmd_export(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *json = NULL, path[4200];
	int status = 0, nargs = 0;

	while (argv[nargs] != NULL)
		nargs++;
	if (nargs < 2)
		return usage_error("export: give a format (ubl, cii, facturx) and one or "
		    "more document numbers%s", "");
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	for (int i = 1; i < nargs; i++) {
		if (invgen_export(inv, argv[0], argv[i], c->output, &json,
		    &err) != GEN_OK) {
			status = fail(&err);
			break;
		}
		json_pick(json, "path", path, sizeof(path));
		if (c->json)
			printf("%s\n", json);
		else
			printf("%s\n", path);
		invgen_free(json);
	}
	invgen_close(inv);
	return status;
}

static int
cmd_report(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	char *out = NULL;
	enum gen_rc rc;

	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	if (strcmp(argv[-1], "oss") == 0)
		rc = c->quarter == NULL ? gen_err_set(&err, GEN_EUSAGE,
		    "report oss: --quarter YYYYQn is required") :
		    invgen_report_oss(inv, c->quarter, c->csv_out, &out, &err);
	else if (strcmp(argv[-1], "sales") == 0)
		rc = invgen_report_sales(inv, c->from, c->to, c->by, c->csv_out,
		    &out, &err);
	else if (strcmp(argv[-1], "vat-return") == 0 ||
	    strcmp(argv[-1], "ec-sales") == 0) {
		int fmt = c->json ? 2 : c->csv_out ? 1 : 0;

		if (c->month == NULL)
			rc = gen_err_set(&err, GEN_EUSAGE, "report %s: --month "
			    "YYYY-MM is required", argv[-1]);
		else if (c->json && c->csv_out)
			rc = gen_err_set(&err, GEN_EUSAGE, "report %s: --csv "
			    "or --json, not both", argv[-1]);
		else if (argv[-1][0] == 'v')
			rc = invgen_report_vat_return(inv, c->month, fmt, &out,
			    &err);
		else
			rc = invgen_report_ec_sales(inv, c->month, fmt, &out,
			    &err);
		/* A mismatch still prints the whole report, which says
		 * where; the exit status says it too. */
		if (rc == GEN_ECONFLICT && out != NULL) {
			fputs(out, stdout);
			invgen_free(out);
			out = NULL;
		}
	} else if (strcmp(argv[-1], "unpaid") == 0)
		rc = invgen_report_unpaid(inv, c->csv_out, &out, &err);
	else
		rc = c->month == NULL ? gen_err_set(&err, GEN_EUSAGE,
		    "export isaf: --month YYYY-MM is required") :
		    invgen_export_isaf(inv, c->month, &out, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	if (c->output != NULL && strcmp(argv[-1], "isaf") == 0) {
		rc = invgen_write_file(&c->opt, c->output, out, strlen(out),
		    &err);
		invgen_free(out);
		if (rc != GEN_OK)
			return fail(&err);
		if (!c->json)
			printf("%s\n", c->output);
		return 0;
	}
	fputs(out, stdout);
	invgen_free(out);
	return 0;
}

static int
cmd_render(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	enum gen_rc rc;

	if (c->output == NULL)
		return usage_error("render: -o FILE is required%s", "");
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_render(inv, argv[0], c->output, &err);
	invgen_close(inv);
	if (rc != GEN_OK)
		return fail(&err);
	if (!c->json)
		printf("%s\n", c->output);
	return 0;
}

static int
cmd_verify(struct cli *c, const char **argv)
{
	struct invgen *inv;
	struct gen_err err = { 0 };
	struct invgen_verify_options o = { 0 };
	char *report = NULL;
	size_t n = 0;
	enum gen_rc rc;

	while (argv[n] != NULL)
		n++;
	o.numbers = n > 0 ? argv : NULL;
	o.n = n;
	o.from = c->from;
	o.to = c->to;
	o.archive_dir = c->archive;
	o.expect_heads = c->expect;
	o.nexpect = c->nexpect;
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_verify_ex(inv, &o, &report, &err);
	invgen_close(inv);
	if (report != NULL)
		fputs(report, stdout);
	invgen_free(report);
	return rc == GEN_OK ? 0 : fail(&err);
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
		return usage_error("batch: --from DATE, --to DATE and --out DIR "
		    "are required%s", "");
	if (c->jobs != NULL && (jobs = thread_count(c->jobs, 256)) == 0)
		return usage_error("batch: --jobs '%s' must be a number of "
		    "threads from 1 to 256", c->jobs);
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
	if (open_handle(c, &inv, &err) != 0)
		return fail(&err);
	rc = invgen_batch(inv, &o, &summary, &err);
	invgen_close(inv);
	if (summary != NULL)
		fputs(summary, stdout);
	invgen_free(summary);
	return rc == GEN_OK ? 0 : fail(&err);
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
		return usage_error("serve: --workers '%s' must be a number of "
		    "threads from 1 to 16", c->workers);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (invgen_serve(&c->opt, (int)workers, &serve_stop, stderr, &err) !=
	    GEN_OK)
		return fail(&err);
	return 0;
}

static const struct command commands[] = {
	{ "help", -1, cmd_help, "invgen help [COMMAND|GROUP]",
	  "The list of commands; what one command does (the same as\ninvgen "
	  "COMMAND --help); or what each command of a group does\n(invgen "
	  "help order)." },
	{ "init", 0, cmd_init, "invgen init [--db PATH]",
	  "Create the database (or migrate an existing one to this version's "
	  "schema)\nand load the reference data: EU VAT rates and ECB "
	  "exchange rates." },
	{ "order add", 1, cmd_order_add, "invgen order add [FILE|-]",
	  "Store one order (JSON object) or several (JSON array), all or "
	  "none.\nAn order_no that exists with identical content is a no-op; "
	  "with different\ncontent it is refused.  Reads stdin without FILE.",
	  CMD_STDIN },
	{ "order paid", 1, cmd_order_paid,
	  "invgen order paid ORDER --at TIMESTAMP",
	  "Record when the payment of an unpaid order arrived (RFC 3339)." },
	{ "seller add", 1, cmd_seller_add, "invgen seller add [FILE|-]",
	  "Add a seller profile (JSON) valid for a period of dates; "
	  "overlapping periods\nare refused.  Reads stdin without FILE.",
	  CMD_STDIN },
	{ "rates import-ecb", 1, cmd_rates_import,
	  "invgen rates import-ecb [FILE|-]",
	  "Add ECB euro reference rates, all or none, from a file the ECB "
	  "publishes:\neurofxref-hist.csv, or the XML feeds "
	  "eurofxref-daily.xml,\neurofxref-hist-90d.xml and eurofxref-hist.xml "
	  "(told apart by their content).\nRates already stored are skipped; a "
	  "different value for a stored day is\nrefused.  Reads stdin without "
	  "FILE:\n"
	  "  curl -s https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily"
	  ".xml |\n      invgen rates import-ecb -", CMD_STDIN },
	{ "rates status", 0, cmd_rates_status,
	  "invgen rates status [--currency CUR] [--json]",
	  "The last day of ECB rates stored and how many days ago it was, "
	  "then per\ncurrency (or only CUR): its last day, rate, age, first "
	  "day and days stored.\nIssuing in another currency needs a rate of "
	  "the tax point or the 7 days before." },
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
	  "invgen export ubl|cii|facturx DOC... [-o DIR] [--json]",
	  "Write documents as EN 16931 e-invoices: UBL 2.1 following Peppol "
	  "BIS Billing\n3.0 (NUMBER.ubl.xml), UN/CEFACT CII D16B, Factur-X "
	  "EN 16931 profile\n(NUMBER.cii.xml), or Factur-X: the PDF as "
	  "PDF/A-3b with the CII embedded\nas factur-x.xml "
	  "(NUMBER.facturx.pdf), into DIR (default: the output\ndirectory)." },
	{ "report oss", 0, cmd_report, "invgen report oss --quarter YYYYQn "
	  "[--csv]",
	  "The One-Stop-Shop return data of a quarter: per member state of "
	  "consumption\nand rate, the taxable amount and VAT in EUR (other "
	  "currencies at the ECB rate\nof the quarter's last day), credit "
	  "notes netted into their own quarter, and\ncorrections of earlier "
	  "quarters listed apart." },
	{ "report sales", 0, cmd_report, "invgen report sales [--from DATE] "
	  "[--to DATE]\n                    [--by country|currency|treatment] "
	  "[--csv]",
	  "Totals of the documents issued in a period, per group and "
	  "currency." },
	{ "report vat-return", 0, cmd_report, "invgen report vat-return "
	  "--month YYYY-MM [--csv | --json]",
	  "The Lithuanian VAT return (FR0600) figures of a month in EUR, box "
	  "by box (11,\n20 and its parts, 29), with the documents behind "
	  "them, checked against the\ni.SAF register (by VAT point date) "
	  "and FR0564; the differences in timing are\nlisted.  Exit status 1 "
	  "when a check fails (the report says where)." },
	{ "report ec-sales", 0, cmd_report, "invgen report ec-sales "
	  "--month YYYY-MM [--csv | --json]",
	  "The recapitulative statement (FR0564) of a month: one row per "
	  "customer VAT\nnumber with the reverse-charge services in EUR, "
	  "credit notes netted into their\nmonth." },
	{ "report unpaid", 0, cmd_report, "invgen report unpaid [--csv]",
	  "The invoices on credit terms on which something is still due: "
	  "total, credit\nnotes, payments booked, what is left and the days "
	  "overdue." },
	{ "export isaf", 0, cmd_report, "invgen export isaf --month YYYY-MM "
	  "[-o FILE]",
	  "The Lithuanian i.SAF register of the issued VAT invoices and "
	  "credit notes of a\nmonth (XML, iSAF1.2)." },
	{ "render", 1, cmd_render, "invgen render DOC -o FILE",
	  "Render a document's PDF from its stored snapshot, atomically "
	  "(temporary file,\nthen rename)." },
	{ "verify", -1, cmd_verify, "invgen verify DOC... | --from DATE --to "
	  "DATE [--archive DIR]\n                    [--expect-head "
	  "SERIES=SHA256]...",
	  "Re-render documents and compare them with the SHA-256 recorded "
	  "when they\nwere issued; with --archive, also check the files of an "
	  "archive folder (a\nbatch's output): missing ones and files that "
	  "are no issued document's.\nRecompute every series' hash chain and "
	  "compare it with the stored rows:\nchanged columns, removed, "
	  "inserted or renumbered documents and gaps are\nnamed by document "
	  "number; each series' head is printed. --expect-head\nSERIES=SHA256 "
	  "(a head printed earlier, kept elsewhere) fails when history\nbefore "
	  "it was rewritten. Exit status 1 when anything differs, 3 when\n"
	  "number_series does not match the documents (a damaged archive)." },
	{ "batch", 0, cmd_batch, "invgen batch --from DATE --to DATE --out DIR "
	  "[--kind LIST]\n                    [--formats LIST] [--jobs N] "
	  "[--shard K/N]",
	  "Re-render every document issued in a period from its snapshot into "
	  "DIR, in\nparallel (--jobs, default one per CPU), byte-identical to "
	  "what was issued:\nNUMBER.pdf, NUMBER.ubl.xml, NUMBER.cii.xml, "
	  "NUMBER.facturx.pdf (--formats\npdf,ubl,cii,facturx; default pdf) of "
	  "--kind invoice,credit-note,transfer-order\n(default all). Files "
	  "already there with the recorded hash are kept, so a rerun\nresumes "
	  "an interrupted batch. DIR/manifest.csv lists every file with its\n"
	  "SHA-256. --shard K/N takes the documents whose id modulo N is "
	  "K-1, to spread\na period over machines. Progress on stderr when it "
	  "is a terminal; a summary at\nthe end. Exit status 1 when a "
	  "rendering differs from its recorded hash." },
	{ "show", 1, cmd_show, "invgen show DOC [--json]",
	  "Print a stored document." },
	{ "list", 0, cmd_list, "invgen list [--from DATE] [--to DATE] [--json]",
	  "List the documents issued between two dates (inclusive)." },
	{ "explain", 1, cmd_explain, "invgen explain ORDER",
	  "Explain the VAT decision for an order: the rule and its legal "
	  "source." },
	{ "serve", 0, cmd_serve, "invgen serve [--workers N]",
	  "Stay running with the database, templates, fonts and ICU loaded, "
	  "and make the\n`issue` and `transfer-order` calls of other invgen "
	  "processes of this user on\nthe same database (socket DB.sock), "
	  "when they run the same program with the\nsame configuration; they "
	  "make their calls themselves otherwise.  --workers:\nthreads, "
	  "default one per CPU.  Stops on SIGTERM or SIGINT, or when the "
	  "program\nfile changes or a shared library it uses is replaced "
	  "(run it under a\nsupervisor that restarts it).  One line per call "
	  "on stderr." },
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
	    "  --json           one JSON object on stdout\n"
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
 * group with an unknown one.  Says so on stderr; returns 2.
 */
static int
no_such_command(const char *const *args, int nargs)
{
	int group = 0;

	for (size_t i = 0; i < NCOMMANDS && !group; i++)
		group = in_group(&commands[i], args[0]);
	if (!group)
		return usage_error("unknown command '%s'", args[0]);
	if (nargs == 1)
		fprintf(stderr, "invgen: %s: which command? (see invgen %s "
		    "--help)\n", args[0], args[0]);
	else
		fprintf(stderr, "invgen: unknown command '%s %s' (see invgen "
		    "%s --help)\n", args[0], args[1], args[0]);
	print_usages(stderr, args[0]);
	return 2;
}

/*
 * The help of what args names: one command (any words after its name are
 * ignored), and when its name is also a group's word ("export", "export
 * isaf") the group's commands too; or a group (`invgen order --help`):
 * each of its commands.  Returns 0, or 2 when args names nothing.
 */
static int
print_command_help(const char *const *args, int nargs)
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
	return n > 0 ? 0 : no_such_command(args, nargs);
}

static int
cmd_help(struct cli *c, const char **argv)
{
	int n = 0;

	(void)c;
	while (argv[n] != NULL)
		n++;
	if (n == 0) {
		print_help();
		return 0;
	}
	return print_command_help(argv, n);
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
				return usage_error("at most 8 --draw options%s",
				    "");
			c.draw[c.ndraws++] = v;
		}
		else if ((v = optval(argc, argv, &i, "--out")) != NULL)
			c.out = v;
		else if ((v = optval(argc, argv, &i, "-o")) != NULL ||
		    (v = optval(argc, argv, &i, "--output")) != NULL)
			c.output = v;
		else
			return usage_error("unknown option '%s'", a);
	}
	if (c.nargs == 0) {
		if (c.help) {
			print_help();
			return 0;
		}
		print_help();
		return 2;
	}
	if (c.help)
		return print_command_help(c.args, c.nargs);
	if ((cmd = find_command(c.args, c.nargs, &words)) == NULL)
		return no_such_command(c.args, c.nargs);
	if ((cmd->flags & CMD_STDIN) && c.nargs == words)
		c.args[c.nargs++] = "-";
	if (cmd->nargs >= 0 && c.nargs - words != cmd->nargs) {
		fprintf(stderr, "invgen: usage: %s\n", cmd->usage);
		return 2;
	}
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
