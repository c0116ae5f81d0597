/*
 * api_render.c - the public calls of libinvgen (invgen.h) that render a
 * stored document again or write a file the caller names: render,
 * export, verify (re-render and compare with the recorded hashes, check
 * an archive folder, verify the hash chain), write_file and
 * copy_document.  Part of the api module (api_private.h), split from
 * api.c by concern; the files themselves are written by files.c.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api_private.h"
#include "batch.h"
#include "caldate.h"
#include "chain.h"
#include "files.h"
#include "json.h"
#include "outdir.h"
#include "render.h"
#include "result.h"
#include "sha256.h"

/* Documents verified per read transaction. */
#define VERIFY_CHUNK	16

enum gen_rc
invgen_write_file(const struct invgen_options *opt, const char *path,
    const void *data, size_t len, struct gen_err *err)
{
	struct config cfg;
	enum gen_rc rc;

	if ((rc = config_init(&cfg, opt, err)) != GEN_OK)
		return rc;
	rc = files_write_atomic(path, cfg.db_path, data, len, err);
	config_free(&cfg);
	return rc;
}

enum gen_rc
invgen_copy_document(const struct invgen_options *opt, const char *number,
    const char *sha256, const char *dst, struct gen_err *err)
{
	struct config cfg;
	struct buf b = { 0 };
	enum gen_rc rc;

	if ((rc = config_init(&cfg, opt, err)) != GEN_OK)
		return rc;
	if ((rc = files_read_document(&cfg, number, sha256, &b, err)) ==
	    GEN_OK)
		rc = files_write_atomic(dst, cfg.db_path, b.data, b.len, err);
	buf_free(&b);
	config_free(&cfg);
	return rc;
}

enum gen_rc
invgen_export(struct invgen *inv, const char *format, const char *number,
    const char *dir, struct invgen_file **out, struct gen_err *err)
{
	struct document *d = NULL;
	struct buf b = { 0 };
	char sha[65], stored[65], *path = NULL;
	const char *suffix = files_suffix(format);
	size_t n;
	enum gen_rc rc;

	if (out != NULL)
		*out = NULL;
	if (suffix == NULL)
		return gen_err_set(err, GEN_EINPUT, "format: '%.20s' is not "
		    "allowed; allowed: ubl, cii, facturx, pdf", format);
	if ((rc = store_document_load(inv->store, number, &d, err)) != GEN_OK)
		return rc;
	if (dir == NULL)
		dir = inv->cfg.out_dir;
	n = strlen(dir) + strlen(number) + strlen(suffix) + 3;
	path = xmalloc(n);
	snprintf(path, n, "%s/%s.%s", dir, number, suffix);
	/* A target that would be refused records nothing either. */
	if ((rc = files_check_name(d->number, err)) != GEN_OK ||
	    (rc = files_check_target(path, inv->cfg.db_path, err)) != GEN_OK ||
	    (rc = render_document_cached(inv->cache, &inv->cfg, d, format,
	    &b, NULL, err)) != GEN_OK)
		goto out;
	sha256_hex(b.data, b.len, sha);
	/* Record the first export's hash; a differing later one is a bug
	 * or a changed template, never silently accepted.  A read-only
	 * handle compares with a recorded hash and records none. */
	if ((rc = (inv->read_only ? store_begin_read : store_begin)(
	    inv->store, err)) != GEN_OK)
		goto out;
	rc = store_file_get(inv->store, d->id, format, stored, NULL, err);
	if (rc == GEN_ENOTFOUND && inv->read_only) {
		gen_err_clear(err);
		rc = GEN_OK;
	} else if (rc == GEN_ENOTFOUND) {
		gen_err_clear(err);
		rc = store_file_insert(inv->store, d->id, format, sha,
		    (int64_t)b.len, err);
	} else if (rc == GEN_OK && strcmp(stored, sha) != 0)
		rc = gen_err_set(err, GEN_ECONFLICT, "%s: the %s export now has "
		    "SHA-256 %s, not the recorded %s; the renderer or template "
		    "changed", number, format, sha, stored);
	if (rc == GEN_OK && !inv->read_only)
		rc = store_commit(inv->store, err);
	else
		store_rollback(inv->store);
	if (rc != GEN_OK)
		goto out;
	if ((rc = files_write_atomic(path, inv->cfg.db_path, b.data, b.len,
	    err)) != GEN_OK)
		goto out;
	if (out != NULL)
		*out = result_file_new(d->number, format, path, sha,
		    (int64_t)b.len);
out:
	free(path);
	buf_free(&b);
	document_free(d);
	return rc;
}

enum gen_rc
invgen_render(struct invgen *inv, const char *number, const char *path,
    struct invgen_file **out, struct gen_err *err)
{
	struct document *d = NULL;
	struct buf b = { 0 };
	char sha[65];
	enum gen_rc rc;

	if (out != NULL)
		*out = NULL;
	if ((rc = store_document_load(inv->store, number, &d, err)) == GEN_OK &&
	    (rc = render_document_cached(inv->cache, &inv->cfg, d, "pdf", &b,
	    NULL, err)) == GEN_OK &&
	    (rc = files_write_atomic(path, inv->cfg.db_path, b.data, b.len,
	    err)) == GEN_OK && out != NULL) {
		sha256_hex(b.data, b.len, sha);
		*out = result_file_new(d->number, "pdf", path, sha,
		    (int64_t)b.len);
	}
	buf_free(&b);
	document_free(d);
	return rc;
}

/*
 * Why a re-rendered file no longer has its recorded hash, appended to the
 * report under the MISMATCH line.  A document renders from its snapshot,
 * its layout version's files and the libraries recorded with it
 * (render_env): when the libraries are the ones recorded, the snapshot or
 * the layout files changed; when they differ (or were not recorded, for
 * documents issued before invgen recorded them), the difference may come
 * from them, and the file archived when it was issued or exported (in
 * archive_dir, else in the output directory) tells whether the document
 * itself is intact.  Returns 1 when the environment differs and the
 * archived file still has the recorded hash.
 */
static int
explain_mismatch(struct invgen *inv, const struct document *d,
    const struct store_file *f, const char *archive_dir, struct buf *rep)
{
	const char *now = config_render_env(), *suffix, *dir;
	char got[65], *path;
	size_t len;
	int intact = 0;

	if (d->render_env != NULL && strcmp(d->render_env, now) == 0) {
		buf_printf(rep, "  the rendering environment is the one "
		    "recorded: the stored document or the files of layout "
		    "version %d changed\n", d->layout_version);
		return 0;
	}
	if (d->render_env == NULL)
		buf_printf(rep, "  the rendering environment was not recorded "
		    "when it was issued; it is now: %s\n", now);
	else
		buf_printf(rep, "  the rendering environment differs from the "
		    "one recorded: issued with %s; now %s\n", d->render_env,
		    now);
	suffix = files_suffix(f->format);
	dir = archive_dir != NULL ? archive_dir : inv->cfg.out_dir;
	len = strlen(dir) + strlen(d->number) + strlen(suffix) + 3;
	path = xmalloc(len);
	snprintf(path, len, "%s/%s.%s", dir, d->number, suffix);
	if (!files_sha256(path, got))
		buf_printf(rep, "  no archived file to check: %s is missing\n",
		    path);
	else if (strcmp(got, f->sha256) == 0) {
		buf_printf(rep, "  the archived file %s has the recorded hash: "
		    "the document is intact, this environment renders it "
		    "differently\n", path);
		intact = 1;
	} else
		buf_printf(rep, "  the archived file %s does not have the "
		    "recorded hash either (%s)\n", path, got);
	free(path);
	return intact;
}

/* The archive of invgen verify --archive: the folder held open (od,
 * NULL when it cannot be opened: every file is then missing) and its
 * name as given, for the report. */
struct archive {
	struct outdir *od;
	const char *dir;
};

/* Verify one document against what was recorded and, with arch, its
 * files in the archive; counts problems in *bad, and in *env_bad those
 * that come from a changed rendering environment, the archive intact. */
static enum gen_rc
verify_one(struct invgen *inv, struct document *d, const struct archive *arch,
    struct buf *rep, size_t *files_ok, size_t *bad, size_t *env_bad,
    struct gen_err *err)
{
	struct store_file f[8];
	size_t n;
	enum gen_rc rc;

	if ((rc = store_file_list(inv->store, d->id, f, &n, err)) != GEN_OK)
		return rc;
	if (n == 0) {
		buf_printf(rep, "%s: no recorded hash\n", d->number);
		(*bad)++;
	}
	for (size_t i = 0; i < n; i++) {
		struct buf b = { 0 };
		char sha[65];
		struct gen_err e = { 0 };

		if (render_document_cached(inv->cache, &inv->cfg, d,
		    f[i].format, &b, NULL, &e) != GEN_OK) {
			buf_printf(rep, "%s %s: cannot re-render: %s\n", d->number,
			    f[i].format, e.msg);
			(*bad)++;
			buf_free(&b);
			continue;
		}
		sha256_hex(b.data, b.len, sha);
		buf_free(&b);
		if (strcmp(sha, f[i].sha256) != 0) {
			buf_printf(rep, "%s %s: MISMATCH: re-rendered %s, recorded "
			    "%s\n", d->number, f[i].format, sha, f[i].sha256);
			if (explain_mismatch(inv, d, &f[i], arch != NULL ?
			    arch->dir : NULL, rep))
				(*env_bad)++;
			(*bad)++;
		} else
			(*files_ok)++;
		if (arch != NULL && !batch_name_ok(d->number)) {
			buf_printf(rep, "%s: not a safe file name; not looked "
			    "for in the archive\n", d->number);
			(*bad)++;
		} else if (arch != NULL) {
			const char *suffix = files_suffix(f[i].format);
			char name[NAME_MAX + 1], got[65];
			enum outdir_found found = OUTDIR_MISSING;

			/* One open through the folder's descriptor, never
			 * through a link. */
			if (snprintf(name, sizeof(name), "%s.%s", d->number,
			    suffix) < (int)sizeof(name) && arch->od != NULL)
				found = outdir_sha256(arch->od, name, -1, got);
			if (found == OUTDIR_MISSING) {
				buf_printf(rep, "%s/%s: MISSING from the archive\n",
				    arch->dir, name);
				(*bad)++;
			} else if (found != OUTDIR_FILE) {
				buf_printf(rep, "%s/%s: not a regular file (a link, "
				    "a folder or unreadable)\n", arch->dir, name);
				(*bad)++;
			} else if (strcmp(got, f[i].sha256) != 0) {
				buf_printf(rep, "%s/%s: MISMATCH: file %s, recorded "
				    "%s\n", arch->dir, name, got, f[i].sha256);
				(*bad)++;
			} else
				(*files_ok)++;
		}
	}
	return GEN_OK;
}

/* 1 if name is one of a batch's manifests ("manifest.csv",
 * "manifest-K-of-N.csv"). */
static int
is_manifest(const char *name)
{
	unsigned k, n;
	int end = 0;

	if (strcmp(name, "manifest.csv") == 0)
		return 1;
	return sscanf(name, "manifest-%u-of-%u.csv%n", &k, &n, &end) == 2 &&
	    end > 0 && name[end] == '\0';
}

/*
 * Files of an archive folder that are not files of issued documents
 * (NUMBER.pdf, NUMBER.ubl.xml, ... whose hash is recorded): a planted
 * ZLV-999999.pdf, a stray folder.  A batch's manifest, its lock and the
 * temporary files of a killed writer are not reported.
 */
static enum gen_rc
verify_unknown(struct invgen *inv, const char *dir, struct buf *rep,
    size_t *bad, struct gen_err *err)
{
	static const char *const formats[] = { "facturx", "ubl", "cii", "pdf" };
	DIR *dp = opendir(dir);
	struct dirent *de;
	enum gen_rc rc = GEN_OK;

	if (dp == NULL)
		return gen_err_set(err, GEN_EIO, "archive_dir: %s: %s", dir,
		    strerror(errno));
	while (rc == GEN_OK && (de = readdir(dp)) != NULL) {
		const char *name = de->d_name;
		size_t nl = strlen(name), len;
		struct stat sb;
		int known = 0, regular;
		char *path;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    strcmp(name, ".invgen-batch.lock") == 0 ||
		    is_manifest(name) || batch_is_stray(name))
			continue;
		len = strlen(dir) + nl + 2;
		path = xmalloc(len);
		snprintf(path, len, "%s/%s", dir, name);
		regular = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
		/* The name of an issued document's file that is not a regular
		 * file (a link) is verify_one's to report, not unknown. */
		for (size_t i = 0; !known && rc == GEN_OK && i < 4; i++) {
			const char *suffix = files_suffix(formats[i]);
			size_t sl = strlen(suffix);
			char number[256];

			if (nl <= sl + 1 || nl - sl - 1 >= sizeof(number) ||
			    name[nl - sl - 1] != '.' ||
			    strcmp(name + nl - sl, suffix) != 0)
				continue;
			snprintf(number, sizeof(number), "%.*s",
			    (int)(nl - sl - 1), name);
			rc = store_file_known(inv->store, number, formats[i],
			    &known, err);
		}
		if (rc == GEN_OK && !known) {
			buf_printf(rep, "%s: UNKNOWN: %s\n", path, regular ?
			    "not a file of an issued document" : "not a regular "
			    "file");
			(*bad)++;
		}
		free(path);
	}
	closedir(dp);
	return rc;
}

/*
 * The problem lines of a verify report as JSON: each line a problem
 * ("message"), the indented lines under it its "details".
 */
static void
problems_json(const struct buf *rep, struct jsonw *w)
{
	const char *p = rep->data, *end = rep->data + rep->len;
	int open = 0;

	jsonw_array_begin(w);
	while (p != NULL && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		if (len >= 2 && p[0] == ' ' && p[1] == ' ' && open) {
			jsonw_string_len(w, p + 2, len - 2);
		} else {
			if (open) {
				jsonw_array_end(w);
				jsonw_object_end(w);
			}
			jsonw_object_begin(w);
			jsonw_key(w, "message");
			jsonw_string_len(w, p, len);
			jsonw_key(w, "details");
			jsonw_array_begin(w);
			open = 1;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	if (open) {
		jsonw_array_end(w);
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
}

/* The report of invgen_verify() as one JSON object. */
static void
verify_json(const struct buf *rep, const struct chain_result *chain,
    size_t docs, size_t files_ok, size_t bad, size_t env_bad,
    struct buf *out)
{
	struct jsonw w;

	jsonw_init(&w, out, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "documents");
	jsonw_int(&w, (int64_t)docs);
	jsonw_key(&w, "file_checks_ok");
	jsonw_int(&w, (int64_t)files_ok);
	jsonw_key(&w, "problem_count");
	jsonw_int(&w, (int64_t)bad);
	jsonw_key(&w, "environment_problems");
	jsonw_int(&w, (int64_t)env_bad);
	jsonw_key(&w, "damaged_series");
	jsonw_int(&w, (int64_t)chain->damaged);
	jsonw_key(&w, "problems");
	problems_json(rep, &w);
	jsonw_key(&w, "chains");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < chain->nheads; i++) {
		const struct chain_head *h = &chain->heads[i];

		jsonw_object_begin(&w);
		jsonw_key(&w, "series");
		jsonw_string(&w, h->series);
		jsonw_key(&w, "documents");
		jsonw_int(&w, (int64_t)h->documents);
		jsonw_key(&w, "file_hashes");
		jsonw_int(&w, (int64_t)h->files);
		jsonw_key(&w, "links");
		jsonw_int(&w, h->links);
		jsonw_key(&w, "head");
		jsonw_string(&w, h->head);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "anchors");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < chain->nanchors; i++) {
		jsonw_object_begin(&w);
		jsonw_key(&w, "series");
		jsonw_string(&w, chain->anchors[i].series);
		jsonw_key(&w, "sha256");
		jsonw_string(&w, chain->anchors[i].sha256);
		jsonw_key(&w, "link");
		jsonw_int(&w, chain->anchors[i].link);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	buf_putc(out, '\n');
}

enum gen_rc
invgen_verify(struct invgen *inv, const struct invgen_verify_options *opt,
    int format, char **report, struct gen_err *err)
{
	struct buf rep = { 0 }, js = { 0 };
	struct chain_result chain;
	struct archive arch = { NULL, opt->archive_dir };
	struct gen_err e = { 0 };
	int64_t *ids = NULL;
	size_t nids = 0, docs = 0, files_ok = 0, bad = 0, env_bad = 0, total;
	size_t n = opt->numbers != NULL ? opt->n : 0;
	int32_t f = caldate_from_ymd(1900, 1, 1), t = caldate_from_ymd(2999, 12,
	    31);
	enum gen_rc rc = GEN_OK;

	*report = NULL;
	memset(&chain, 0, sizeof(chain));
	if (format != INVGEN_TEXT && format != INVGEN_JSON)
		return gen_err_set(err, GEN_EUSAGE, "format: %d is not allowed; "
		    "allowed: text (0), JSON (2)", format);
	if (n == 0) {
		if ((opt->from != NULL && (rc = caldate_parse(opt->from, &f,
		    "from", err)) != GEN_OK) || (opt->to != NULL &&
		    (rc = caldate_parse(opt->to, &t, "to", err)) != GEN_OK))
			return rc;
		if ((rc = store_document_ids(inv->store, f, t,
		    (1u << DOC_KINDS) - 1, &ids, &nids,
		    err)) != GEN_OK)
			return rc;
	}
	/* The archive folder is opened once (a folder that cannot be
	 * opened has every file missing). */
	if (opt->archive_dir != NULL)
		outdir_open(opt->archive_dir, 0, &arch.od, &e);
	total = n ? n : nids;
	for (size_t i = 0; i < total && rc == GEN_OK; i++) {
		struct document *d = NULL;

		/* One read snapshot per VERIFY_CHUNK documents: one lock
		 * round trip instead of one per statement. */
		if (i % VERIFY_CHUNK == 0) {
			store_rollback(inv->store);
			store_begin_read(inv->store, &e);
		}
		rc = n ? store_document_load(inv->store, opt->numbers[i], &d,
		    err) : store_document_load_id(inv->store, ids[i], &d, err);
		if (rc == GEN_OK)
			rc = verify_one(inv, d, opt->archive_dir != NULL ? &arch :
			    NULL, &rep, &files_ok, &bad, &env_bad, err);
		document_free(d);
		docs++;
	}
	store_rollback(inv->store);
	outdir_close(arch.od);
	free(ids);
	if (rc == GEN_OK && opt->archive_dir != NULL)
		rc = verify_unknown(inv, opt->archive_dir, &rep, &bad, err);
	/* The whole archive's chain, on one consistent snapshot. */
	if (rc == GEN_OK && (rc = store_begin_read(inv->store, err)) == GEN_OK) {
		rc = chain_verify(inv->store, opt->expect_heads, opt->nexpect,
		    &rep, &chain, err);
		store_rollback(inv->store);
	}
	if (rc != GEN_OK) {
		buf_free(&rep);
		chain_result_free(&chain);
		return rc;
	}
	bad += chain.problems + chain.damaged;
	if (format == INVGEN_JSON) {
		verify_json(&rep, &chain, docs, files_ok, bad, env_bad, &js);
		*report = buf_detach(&js, NULL);
	} else {
		chain_heads_text(&chain, &rep);
		buf_printf(&rep, "%zu document%s, %zu file check%s ok, %zu "
		    "problem%s", docs, docs == 1 ? "" : "s", files_ok,
		    files_ok == 1 ? "" : "s", bad, bad == 1 ? "" : "s");
		if (env_bad > 0)
			buf_printf(&rep, " (%zu from a changed rendering "
			    "environment, the archived file intact)", env_bad);
		buf_putc(&rep, '\n');
		*report = buf_detach(&rep, NULL);
	}
	buf_free(&rep);
	chain_result_free(&chain);
	if (chain.damaged > 0)
		return gen_err_set(err, GEN_EDB, "damaged archive: "
		    "number_series does not match the documents of %zu series "
		    "(see the report); do not issue until it is restored",
		    chain.damaged);
	if (bad > 0)
		return gen_err_set(err, GEN_ECONFLICT, "%zu problem%s found (see "
		    "the report)", bad, bad == 1 ? "" : "s");
	return GEN_OK;
}
