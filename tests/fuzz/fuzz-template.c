/*
 * fuzz-template.c - libFuzzer harness for gen/layout/template.c, the reader of
 * the layout templates (templates/NAME.xml), and for what gen/layout/layout.c does
 * with whatever tree it accepts.  The input is written to t.xml in a
 * private directory that also holds base.xml (templates/invoice.xml), so
 * that <template extends> has something to reach, and itself for cycles.
 *
 * Invariants checked:
 *   - template_parse returns GEN_OK with a tree, or GEN_EINPUT / GEN_EIO
 *     with no tree and a message starting with the file it is about
 *     ("DIR/t.xml:LINE: ..." or "DIR/base.xml..."): never a file outside
 *     that directory, whatever extends says;
 *   - the same file gives the same answer twice (result and message);
 *   - an accepted tree is well formed: page larger than its margins, a
 *     body block, every node of a known kind with its line and file,
 *     every binding and condition a docview name, table rows a row scope,
 *     columns only under rows and tables, children non-NULL;
 *   - layout_document lays out an invoice (even input length) or a
 *     payment order (odd) with the accepted tree: GEN_OK with a canvas of
 *     at least one page, or GEN_EINPUT naming the template file.
 *
 * fuzz-options: -max_len=8192 -dict=tests/fuzz/template.dict
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/docfixture.h"
#include "canvas.h"
#include "docview.h"
#include "err.h"
#include "fuzz.h"
#include "i18n.h"
#include "layout.h"
#include "template.h"
#include "text.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[64];
static char path[96];
static struct document *invoice, *payment_order;
static struct i18n *lang;
static const struct fontset *fonts;

static void
write_file(const char *p, const void *data, size_t size)
{
	FILE *f = fopen(p, "wb");

	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		perror(p);
		exit(2);
	}
}

static void
remove_dir(void)
{
	char p[96];

	snprintf(p, sizeof(p), "%s/base.xml", dir);
	unlink(p);
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gen_err err = {0};
	const char *dd = getenv("INVGEN_DATA_DIR");
	char data[4096], p[96];
	struct buf base = {0};
	FILE *f;
	size_t n;

	(void)argc;
	(void)argv;
	if (dd == NULL || *dd == '\0')
		dd = INVGEN_SRCDIR;
	snprintf(dir, sizeof(dir), "/tmp/fuzz-template.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	atexit(remove_dir);
	snprintf(path, sizeof(path), "%s/t.xml", dir);
	snprintf(data, sizeof(data), "%s/templates/invoice.xml", dd);
	if ((f = fopen(data, "rb")) == NULL) {
		perror(data);
		exit(2);
	}
	while ((n = fread(p, 1, sizeof(p), f)) > 0)
		buf_append(&base, p, n);
	fclose(f);
	snprintf(p, sizeof(p), "%s/base.xml", dir);
	write_file(p, base.data, base.len);
	buf_free(&base);

	snprintf(data, sizeof(data), "%s/locales", dd);
	if (i18n_open(data, "lt", &lang, &err) != GEN_OK) {
		fprintf(stderr, "fuzz-template: %s\n", err.msg);
		exit(2);
	}
	snprintf(data, sizeof(data), "%s/fonts", dd);
	if (fontset_get(data, &fonts, &err) != GEN_OK) {
		fprintf(stderr, "fuzz-template: %s\n", err.msg);
		exit(2);
	}
	invoice = fx_document(TAX_LT_STANDARD, "EUR", "lt");
	payment_order = fx_transfer_order(TAX_LT_STANDARD, "EUR", "lt");
	return 0;
}

static void
check_binding(const struct tpl_node *n, int id, const char *what)
{
	FUZZ_CHECK(id == -1 || docview_name(id) != NULL, "line %d: %s id %d "
	    "is no docview name", n->line, what, id);
}

static void
check_node(const struct tpl_node *n, const struct tpl_node *parent,
    int depth)
{
	FUZZ_CHECK(depth < 200, "tree deeper than 200");
	FUZZ_CHECK(n != NULL, "NULL node");
	FUZZ_CHECK((int)n->kind >= TPL_BLOCK && n->kind <= TPL_LOGO,
	    "kind %d", (int)n->kind);
	FUZZ_CHECK(n->line > 0 && n->file != NULL && strncmp(n->file, dir,
	    strlen(dir)) == 0, "node without its place: line %d, file %s",
	    n->line, n->file != NULL ? n->file : "(null)");
	check_binding(n, n->bind, "bind");
	check_binding(n, n->cond, "if");
	if (n->kind == TPL_COLUMN)
		FUZZ_CHECK(parent != NULL && (parent->kind == TPL_ROW ||
		    parent->kind == TPL_TABLE), "line %d: a column outside a "
		    "row or table", n->line);
	if (n->kind == TPL_TABLE)
		FUZZ_CHECK(docview_table_name((enum docview_scope)n->rows) !=
		    NULL, "line %d: table rows scope %d", n->line, n->rows);
	FUZZ_CHECK(n->nkids == 0 || n->kids != NULL, "line %d: %zu kids, "
	    "no array", n->line, n->nkids);
	for (size_t i = 0; i < n->nkids; i++)
		check_node(n->kids[i], n, depth + 1);
}

static void
check_tree(const struct template *t)
{
	FUZZ_CHECK(t->page_w > 0 && t->page_h > 0, "page %d x %d", t->page_w,
	    t->page_h);
	FUZZ_CHECK(t->margin[1] >= 0 && t->margin[3] >= 0 &&
	    t->margin[0] >= 0 && t->margin[2] >= 0 &&
	    (int64_t)t->margin[1] + t->margin[3] < t->page_w &&
	    (int64_t)t->margin[0] + t->margin[2] < t->page_h,
	    "margins %d %d %d %d on %d x %d", t->margin[0], t->margin[1],
	    t->margin[2], t->margin[3], t->page_w, t->page_h);
	FUZZ_CHECK(t->body != NULL && t->body->kind == TPL_BLOCK, "no body");
	check_node(t->body, NULL, 0);
	if (t->footer != NULL)
		check_node(t->footer, NULL, 0);
	if (t->running != NULL)
		check_node(t->running, NULL, 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct template *t = NULL, *t2 = NULL;
	struct gen_err err = {0}, err2 = {0};
	struct canvas *c = NULL;
	enum gen_rc rc, rc2;

	write_file(path, data, size);
	rc = template_parse(path, &t, &err);
	rc2 = template_parse(path, &t2, &err2);
	template_free(t2);
	FUZZ_CHECK(rc == rc2 && strcmp(err.msg, err2.msg) == 0, "two parses "
	    "differ: %d '%s', %d '%s'", rc, err.msg, rc2, err2.msg);
	if (rc != GEN_OK) {
		FUZZ_CHECK((rc == GEN_EINPUT || rc == GEN_EIO) && t == NULL,
		    "template_parse returned %d", rc);
		FUZZ_CHECK(strncmp(err.msg, dir, strlen(dir)) == 0 &&
		    err.msg[strlen(dir)] == '/', "message not about a file "
		    "of %s: '%s'", dir, err.msg);
		return 0;
	}
	check_tree(t);
	rc = layout_document(t, size % 2 ? payment_order : invoice, lang,
	    fonts, &c, NULL, &err);
	if (rc == GEN_OK)
		FUZZ_CHECK(c != NULL && c->npages >= 1, "layout "
		    "gave no page");
	else
		FUZZ_CHECK(rc == GEN_EINPUT && c == NULL &&
		    strncmp(err.msg, dir, strlen(dir)) == 0, "layout returned "
		    "%d: '%s'", rc, err.msg);
	canvas_free(c);
	template_free(t);
	return 0;
}
