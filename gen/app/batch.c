/*
 * batch.c - invgen_batch() (invgen.h) and its helpers (batch.h): re-render
 * every document issued in a period into an archive folder, in parallel,
 * byte-identical to what was issued, resumable after a kill.
 *
 * Work: the ids of the period (store_document_ids, filtered by kind and
 * shard) are the only O(N) memory, 8 bytes per document (800 KB for
 * 100,000).  They are handed out in chunks of BATCH_CHUNK from an atomic
 * counter to `jobs` worker threads; each worker has its own read-only
 * connection (STORE_READONLY), its own language cache (render_cache) and
 * reads each chunk in one read transaction.  Fonts and templates are
 * process-wide read-only caches (text.c, template.c), qr.c locks
 * libqrencode, libxml2 is initialised once (template.c) and is thread-safe
 * for separate writers, SQLite connections are one per thread.
 *
 * Order and memory: a worker fills the result slot of its chunk (manifest
 * rows, hashes to record); the calling thread consumes the slots in chunk
 * order, so the manifest is in id order.  A worker may not start chunk c
 * before chunk c - window was consumed: at most `window` chunks of results
 * exist at once, whatever the size of the batch.
 *
 * Files: OUT/NUMBER.EXT, published by outdir_publish() (outdir.c) through
 * the folder's descriptor, opened once: an unnamed O_TMPFILE file linked
 * under its name, or a locked NUMBER.EXT.tmp.NNNNNN renamed where the
 * file system has no O_TMPFILE or the name is taken (a damaged file).  No
 * mkdir, stat or lock per file.  Not fsync'ed one by one (that costs
 * more than the rendering): one syncfs() at the end, before the manifest
 * is renamed into place.  A crash before that can leave files that are
 * empty or old; the next batch hashes every present file and re-renders
 * the wrong ones, and the database is the truth, so nothing is lost.  The
 * manifest is written incrementally to manifest.csv.tmp.NNNNNN and renamed
 * at the end, after syncfs: a manifest means a complete batch.
 *
 * Hashes: a format with no recorded hash (an e-invoice never exported) is
 * recorded in document_file by the calling thread, in one transaction per
 * few hundred files, as a first `invgen export` would: the archive is then
 * what a later export or `invgen verify --archive` is checked against.
 *
 * Several batches may share OUT (one per shard): each holds a shared
 * flock on OUT/.invgen-batch.lock; stray temporary files are removed only
 * by a batch that got the lock exclusively, i.e. when no other batch runs.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <unicode/utf8.h>

#include "api_private.h"
#include "files.h"
#include "batch.h"
#include "caldate.h"
#include "json.h"
#include "money.h"
#include "outdir.h"
#include "render.h"
#include "sha256.h"

#define BATCH_CHUNK		16	/* documents per work item */
#define BATCH_MAX_JOBS		256
#define BATCH_MAX_PROBLEMS	50	/* problem lines kept for the summary */
#define BATCH_RECORD_BATCH	512	/* hashes recorded per transaction */
#define BATCH_TICK_MS		100	/* progress at most 10 times a second */

static const char *const format_names[BATCH_NFORMATS] = { "pdf", "ubl",
	"cii", "facturx" };

const char *
batch_format_name(enum batch_format f)
{
	return (unsigned)f < BATCH_NFORMATS ? format_names[f] : "?";
}

/* ---- option parsing ---------------------------------------------------- */

/*
 * Split a comma list and map each item through match(); items are at most
 * 31 bytes.  what names the option in messages.
 */
static enum gen_rc
parse_list(const char *s, const char *what, const char *allowed,
    int (*match)(const char *), unsigned *mask, struct gen_err *err)
{
	const char *p = s;

	*mask = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		char item[32];
		int bit;

		if (n == 0 || n >= sizeof(item))
			return gen_err_set(err, GEN_EINPUT, "%s: '%.40s' is not a "
			    "list of names; allowed: %s, separated by commas",
			    what, s, allowed);
		memcpy(item, p, n);
		item[n] = '\0';
		if ((bit = match(item)) < 0)
			return gen_err_set(err, GEN_EINPUT, "%s: '%s' is not "
			    "allowed; allowed: %s", what, item, allowed);
		*mask |= 1u << bit;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	return GEN_OK;
}

/* A kind by the name the database stores, and no other spelling. */
static int
match_kind(const char *s)
{
	return doc_kind_from_name(s);
}

static int
match_format(const char *s)
{
	for (int i = 0; i < BATCH_NFORMATS; i++)
		if (strcmp(s, format_names[i]) == 0)
			return i;
	return -1;
}

enum gen_rc
batch_parse_kinds(const char *s, unsigned *mask, struct gen_err *err)
{
	enum gen_rc rc;

	if (s == NULL) {
		*mask = (1u << DOC_KINDS) - 1;
		return GEN_OK;
	}
	/* The kinds are names the caller picks from a fixed list: a name
	 * not on it is a mistake in the call, not in the data. */
	if ((rc = parse_list(s, "kind", "invoice, credit_note, "
	    "transfer_order, prepayment_receipt, balance_use", match_kind, mask,
	    err)) != GEN_OK)
		err->rc = rc = GEN_EUSAGE;
	return rc;
}

enum gen_rc
batch_parse_formats(const char *s, unsigned *mask, struct gen_err *err)
{
	if (s == NULL) {
		*mask = 1u << BATCH_PDF;
		return GEN_OK;
	}
	return parse_list(s, "formats", "pdf, ubl, cii, facturx",
	    match_format, mask, err);
}

/* A decimal 1..1000000 of exactly len bytes at s, or -1. */
static long long
small_number(const char *s, size_t len)
{
	long long v = 0;

	if (len == 0 || len > 7)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 1000000 ? v : -1;
}

enum gen_rc
batch_parse_shard(const char *s, unsigned *k, unsigned *n,
    struct gen_err *err)
{
	const char *slash;
	long long kk, nn;

	*k = *n = 1;
	if (s == NULL)
		return GEN_OK;
	slash = strchr(s, '/');
	kk = slash ? small_number(s, (size_t)(slash - s)) : -1;
	nn = slash ? small_number(slash + 1, strlen(slash + 1)) : -1;
	if (kk < 0 || nn < 0 || kk > nn)
		return gen_err_set(err, GEN_EINPUT, "shard: '%.40s' is not "
		    "allowed; allowed: K/N with 1 <= K <= N <= 1000000 (shard "
		    "K of N, e.g. 2/8)", s);
	*k = (unsigned)kk;
	*n = (unsigned)nn;
	return GEN_OK;
}

/* ---- names and CSV ------------------------------------------------------ */

int
batch_name_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 120 || s[0] == '.' || s[0] == ' ' ||
	    s[len - 1] == '.' || s[len - 1] == ' ')
		return 0;
	/* Well-formed UTF-8 (ICU's U8_NEXT gives c < 0 otherwise), without
	 * C0 or C1 controls or the characters file systems or shells treat
	 * specially. */
	for (size_t i = 0; i < len;) {
		UChar32 c;

		U8_NEXT((const uint8_t *)s, i, len, c);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
		    (c < 0x80 && strchr("/\\:*?\"<>|", c)))
			return 0;
	}
	return 1;
}

int
batch_is_stray(const char *name)
{
	static const char *const ext[] = { ".pdf", ".xml", ".csv" };
	size_t len = strlen(name);
	const char *t;

	/* NAME.EXT.tmp.XXXXXX, EXT one of batch's outputs */
	if (len < 4 + 5 + 6 + 1 || !files_is_temp_name(name))
		return 0;
	t = name + len - 11;
	for (size_t i = 0; i < 3; i++)
		if (strncmp(t - 4, ext[i], 4) == 0 && t - 4 > name)
			return 1;
	return 0;
}

void
batch_csv_field(struct buf *b, const char *s)
{
	int formula;

	if (s == NULL)
		return;
	/* A text starting with = + - @ would run as a formula when the
	 * manifest is opened in a spreadsheet: quote it behind an apostrophe
	 * (the OWASP CSV-injection advice). */
	formula = strchr("=+-@", s[0]) != NULL && s[0] != '\0';
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* ---- the engine --------------------------------------------------------- */

/* A hash to record in document_file. */
struct rec {
	int64_t id;
	int64_t size;
	unsigned char format;
	char sha[65];
	char number[96];
};

/* The results of one chunk, filled by one worker, consumed in order. */
struct slot {
	struct buf rows;		/* manifest rows */
	struct rec *recs;
	size_t nrecs, caprecs;
	int ready;
};

struct batch {
	const struct config *cfg;
	const int64_t *ids;
	size_t n, nchunks, window;
	unsigned formats;
	struct outdir *od;		/* the output folder */

	atomic_size_t next;		/* next chunk to hand out */
	atomic_size_t done;		/* documents finished */
	atomic_int stop;		/* a fatal failure: everyone stops */

	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t consumed;		/* chunks the caller has consumed */
	struct slot *slots;		/* window of them */
	/* counts and problems, under lock */
	size_t written, replaced, present, mismatches, errors;
	size_t recorded;		/* new hashes (caller thread only) */
	size_t nproblems;
	struct buf problems;
	enum gen_rc doc_rc;		/* first per-document failure */
	enum gen_rc fatal_rc;
	struct gen_err fatal;
};

/* Per-worker state. */
struct worker {
	struct batch *b;
	pthread_t thread;
	int started;
	struct store *s;
	struct render_cache *cache;
	struct buf out;			/* the rendering, reused */
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Add a line to the summary's problem list (the first few are kept). */
static void
problem(struct batch *b, enum gen_rc rc, size_t *counter, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
problem(struct batch *b, enum gen_rc rc, size_t *counter, const char *fmt,
    ...)
{
	va_list ap;
	char line[GEN_ERR_MSG_SIZE + 256];

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&b->lock);
	if (counter != NULL)
		(*counter)++;
	if (rc != GEN_OK && b->doc_rc == GEN_OK)
		b->doc_rc = rc;
	if (b->nproblems++ < BATCH_MAX_PROBLEMS)
		buf_printf(&b->problems, "%s\n", line);
	pthread_mutex_unlock(&b->lock);
}

/* Stop the batch: the first fatal failure is kept. */
static void
fatal(struct batch *b, const struct gen_err *e)
{
	pthread_mutex_lock(&b->lock);
	if (b->fatal_rc == GEN_OK) {
		b->fatal_rc = e->rc != GEN_OK ? e->rc : GEN_EINTERNAL;
		b->fatal = *e;
	}
	atomic_store(&b->stop, 1);
	pthread_cond_broadcast(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

static void
count(struct batch *b, size_t *counter)
{
	pthread_mutex_lock(&b->lock);
	(*counter)++;
	pthread_mutex_unlock(&b->lock);
}

static void
add_rec(struct slot *sl, const struct document *d, int f, const char *sha,
    size_t size)
{
	struct rec *r;

	if (sl->nrecs == sl->caprecs) {
		sl->caprecs = sl->caprecs ? 2 * sl->caprecs : 16;
		sl->recs = xrealloc(sl->recs, sl->caprecs * sizeof(*sl->recs));
	}
	r = &sl->recs[sl->nrecs++];
	r->id = d->id;
	r->size = (int64_t)size;
	r->format = (unsigned char)f;
	snprintf(r->sha, sizeof(r->sha), "%s", sha);
	snprintf(r->number, sizeof(r->number), "%s", d->number);
}

/* One manifest row. */
static void
add_row(struct buf *rows, const struct document *d, int f, const char *file,
    const char *sha)
{
	char a[40];

	batch_csv_field(rows, d->number);
	buf_printf(rows, ",%s,%s,%s,", doc_kind_name(d->kind), d->issue_date,
	    d->tax_point_date);
	batch_csv_field(rows, d->payer.name);
	buf_putc(rows, ',');
	batch_csv_field(rows, d->payer.country);
	buf_printf(rows, ",%s,", d->currency);
	money_format(d->net_minor, d->currency_digits, a, sizeof(a));
	buf_printf(rows, "%s,", a);
	money_format(d->vat_minor, d->currency_digits, a, sizeof(a));
	buf_printf(rows, "%s,", a);
	money_format(d->total_minor, d->currency_digits, a, sizeof(a));
	buf_printf(rows, "%s,%s,%s,", a, tax_treatment_name(d->treatment),
	    format_names[f]);
	batch_csv_field(rows, file);
	buf_printf(rows, ",%s\n", sha);
}

/* 1 if OUT/file is a regular file (not a link) of size bytes (size < 0:
 * any) whose SHA-256 is sha; *exists: whether anything is at that name. */
static int
present_with(struct outdir *od, const char *file, int64_t size,
    const char *sha, int *exists)
{
	char got[65];
	enum outdir_found f = outdir_sha256(od, file, size, got);

	*exists = f != OUTDIR_MISSING;
	return f == OUTDIR_FILE && strcmp(got, sha) == 0;
}

/*
 * One file of a document: keep it if it is there with the recorded hash,
 * else render, check against the recorded hash, write.  A write failure is
 * fatal (GEN_EIO returned); anything else is counted and listed.
 */
static enum gen_rc
do_file(struct worker *w, struct slot *sl, const struct document *d, int f,
    const struct store_file *files, size_t nfiles)
{
	struct batch *b = w->b;
	const struct store_file *recd = NULL;
	const char *suffix = files_suffix(format_names[f]);
	char file[PATH_MAX], sha[65];
	struct gen_err e = { 0 };
	int exists = 0;
	enum gen_rc rc;

	for (size_t i = 0; i < nfiles; i++)
		if (strcmp(files[i].format, format_names[f]) == 0)
			recd = &files[i];
	/* The number was checked by batch_name_ok: no '/', so the file is
	 * directly in the output folder (outdir_publish checks it again). */
	if (snprintf(file, sizeof(file), "%s.%s", d->number, suffix) >=
	    NAME_MAX || strchr(file, '/') != NULL) {
		problem(b, GEN_EINPUT, &b->errors, "%s: the path of its %s file "
		    "would not be inside the output folder; nothing written",
		    d->number, format_names[f]);
		return GEN_OK;
	}
	if (recd != NULL && present_with(b->od, file, recd->size,
	    recd->sha256, &exists)) {
		count(b, &b->present);
		add_row(&sl->rows, d, f, file, recd->sha256);
		return GEN_OK;
	}
	buf_reset(&w->out);
	if ((rc = render_document_cached(w->cache, b->cfg, d, format_names[f],
	    &w->out, NULL, &e)) != GEN_OK) {
		problem(b, rc, &b->errors, "%s %s: cannot render: %s", d->number,
		    format_names[f], e.msg);
		return GEN_OK;
	}
	sha256_hex(w->out.data, w->out.len, sha);
	if (recd != NULL && strcmp(sha, recd->sha256) != 0) {
		problem(b, GEN_ECONFLICT, &b->mismatches, "%s %s: MISMATCH: "
		    "re-rendered SHA-256 %s, recorded %s; not written (the "
		    "renderer, template or fonts changed since it was issued)",
		    d->number, format_names[f], sha, recd->sha256);
		return GEN_OK;
	}
	if (recd == NULL) {
		add_rec(sl, d, f, sha, w->out.len);
		if (present_with(b->od, file, (int64_t)w->out.len, sha,
		    &exists)) {
			count(b, &b->present);
			add_row(&sl->rows, d, f, file, sha);
			return GEN_OK;
		}
	}
	if ((rc = outdir_publish(b->od, file, w->out.data, w->out.len, &e)) !=
	    GEN_OK) {
		fatal(b, &e);
		return rc;
	}
	if (exists)
		problem(b, GEN_OK, &b->replaced, "%s: was present with other "
		    "content; replaced", file);
	count(b, &b->written);
	add_row(&sl->rows, d, f, file, sha);
	return GEN_OK;
}

/* Every requested file of the document with this id. */
static void
do_document(struct worker *w, struct slot *sl, int64_t id)
{
	struct batch *b = w->b;
	struct document *d = NULL;
	struct store_file files[8];
	size_t nfiles = 0;
	struct gen_err e = { 0 };
	enum gen_rc rc;

	if ((rc = store_document_load_id(w->s, id, &d, &e)) != GEN_OK ||
	    (rc = store_file_list(w->s, id, files, &nfiles, &e)) != GEN_OK) {
		problem(b, rc, &b->errors, "document id %lld: %s",
		    (long long)id, e.msg);
		goto out;
	}
	if (!batch_name_ok(d->number)) {
		problem(b, GEN_EINPUT, &b->errors, "document id %lld: its number "
		    "'%.100s' is not a safe file name (/ \\ : * ? \" < > |, "
		    "control characters, a leading or trailing dot or space); "
		    "nothing written", (long long)id, d->number);
		goto out;
	}
	for (int f = 0; f < BATCH_NFORMATS && !atomic_load(&b->stop); f++) {
		if (!(b->formats & 1u << f))
			continue;
		/* Only VAT invoices and credit notes are e-invoices. */
		if (f != BATCH_PDF && !doc_kind_is_vat(d->kind))
			continue;
		if (do_file(w, sl, d, f, files, nfiles) != GEN_OK)
			break;
	}
out:
	document_free(d);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct batch *b = w->b;
	struct gen_err e = { 0 };

	if (store_open(b->cfg->db_path, STORE_READONLY,
	    b->cfg->busy_timeout_ms, &w->s, &e) != GEN_OK) {
		fatal(b, &e);
		return NULL;
	}
	w->cache = render_cache_new();
	while (!atomic_load(&b->stop)) {
		size_t c = atomic_fetch_add(&b->next, 1), end;
		struct slot *sl;
		int in_txn;

		if (c >= b->nchunks)
			break;
		pthread_mutex_lock(&b->lock);
		while (!atomic_load(&b->stop) && c >= b->consumed + b->window)
			pthread_cond_wait(&b->cond, &b->lock);
		pthread_mutex_unlock(&b->lock);
		if (atomic_load(&b->stop))
			break;
		sl = &b->slots[c % b->window];
		end = (c + 1) * BATCH_CHUNK < b->n ? (c + 1) * BATCH_CHUNK : b->n;
		/* One read snapshot per chunk: fewer lock round trips. */
		in_txn = store_begin_read(w->s, &e) == GEN_OK;
		for (size_t i = c * BATCH_CHUNK; i < end &&
		    !atomic_load(&b->stop); i++) {
			do_document(w, sl, b->ids[i]);
			atomic_fetch_add(&b->done, 1);
		}
		if (in_txn)
			store_rollback(w->s);
		pthread_mutex_lock(&b->lock);
		sl->ready = 1;
		pthread_cond_broadcast(&b->cond);
		pthread_mutex_unlock(&b->lock);
	}
	return NULL;
}

/* Record pending hashes in one transaction; a hash recorded meanwhile by
 * an export must be the same. */
static enum gen_rc
record(struct invgen *inv, struct batch *b, struct rec *recs, size_t n,
    struct gen_err *err)
{
	enum gen_rc rc;

	if (n == 0)
		return GEN_OK;
	if ((rc = store_begin(inv->store, err)) != GEN_OK)
		return rc;
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		char stored[65];
		const char *fmt = format_names[recs[i].format];

		rc = store_file_get(inv->store, recs[i].id, fmt, stored, NULL,
		    err);
		if (rc == GEN_ENOTFOUND) {
			gen_err_clear(err);
			rc = store_file_insert(inv->store, recs[i].id, fmt,
			    recs[i].sha, recs[i].size, err);
			if (rc == GEN_OK)
				b->recorded++;
		} else if (rc == GEN_OK && strcmp(stored, recs[i].sha) != 0)
			problem(b, GEN_ECONFLICT, &b->mismatches, "%s %s: MISMATCH: "
			    "rendered %s, but %s was recorded meanwhile",
			    recs[i].number, fmt, recs[i].sha, stored);
	}
	if (rc == GEN_OK)
		rc = store_commit(inv->store, err);
	if (rc != GEN_OK)
		store_rollback(inv->store);
	return rc;
}

/* Remove the temporary files a killed batch left in the folder fd. */
static size_t
remove_strays(int fd)
{
	DIR *dir;
	struct dirent *de;
	size_t n = 0;
	int dfd = dup(fd);

	if (dfd < 0 || (dir = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	while ((de = readdir(dir)) != NULL) {
		struct stat st;

		/* Only a temporary file nobody holds a lock on: a killed
		 * writer's; never one an issue or export is writing now. */
		if (batch_is_stray(de->d_name) &&
		    fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && files_remove_if_abandoned(fd,
		    de->d_name))
			n++;
	}
	closedir(dir);
	return n;
}

/* The number of CPUs this process may run on. */
static int
cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* The manifest, written as it goes into a temporary file. */
struct manifest {
	struct outdir *od;
	FILE *fp;
	char tmp[NAME_MAX + 1];		/* its temporary name in the folder */
	char name[64];			/* manifest.csv, manifest-K-of-N.csv */
	char path[PATH_MAX];		/* the full path, for messages */
};

static enum gen_rc
manifest_open(struct manifest *m, struct outdir *od, unsigned k, unsigned n,
    struct gen_err *err)
{
	enum gen_rc rc;
	int fd;

	m->od = od;
	if (n > 1)
		snprintf(m->name, sizeof(m->name), "manifest-%u-of-%u.csv", k, n);
	else
		snprintf(m->name, sizeof(m->name), "manifest.csv");
	snprintf(m->path, sizeof(m->path), "%s/%s", outdir_path(od), m->name);
	/* Locked like every temporary file (see outdir_temp), so only a
	 * killed batch's manifest is ever cleared away. */
	if ((rc = outdir_temp(od, m->name, m->tmp, sizeof(m->tmp), &fd, err)) !=
	    GEN_OK) {
		m->tmp[0] = '\0';
		return rc;
	}
	if ((m->fp = fdopen(fd, "w")) == NULL) {
		rc = gen_err_set(err, GEN_EIO, "cannot write %s/%s: %s",
		    outdir_path(od), m->tmp, strerror(errno));
		close(fd);
		return rc;
	}
	fputs("number,kind,issue_date,tax_point_date,buyer,country,currency,"
	    "net,vat,total,treatment,format,file,sha256\n", m->fp);
	return GEN_OK;
}

/* Flush, fsync and rename the manifest into place. */
static enum gen_rc
manifest_close(struct manifest *m, struct gen_err *err)
{
	int bad = fflush(m->fp) != 0 || ferror(m->fp) ||
	    fsync(fileno(m->fp)) != 0;
	enum gen_rc rc;

	if (bad) {
		rc = gen_err_set(err, GEN_EIO, "cannot write %s: %s", m->path,
		    strerror(errno));
		return rc;
	}
	/* Renamed while its descriptor still holds the lock. */
	if ((rc = outdir_rename(m->od, m->tmp, m->name, err)) != GEN_OK)
		return rc;
	m->tmp[0] = '\0';
	bad = fclose(m->fp) != 0;
	m->fp = NULL;
	if (bad || fsync(outdir_fd(m->od)) != 0)
		return gen_err_set(err, GEN_EIO, "cannot write %s: %s", m->path,
		    strerror(errno));
	return GEN_OK;
}

static void
manifest_abort(struct manifest *m)
{
	if (m->tmp[0] != '\0')
		unlinkat(outdir_fd(m->od), m->tmp, 0);
	if (m->fp != NULL)
		fclose(m->fp);
}

/*
 * The calling thread's part: consume the slots in order (manifest rows,
 * hashes to record), report progress.  Returns when every chunk is
 * consumed or the batch stopped.
 */
static enum gen_rc
collect(struct invgen *inv, struct batch *b, struct manifest *m,
    const struct invgen_batch_options *opt, int64_t t0, struct gen_err *err)
{
	struct rec *pend = NULL;
	size_t npend = 0, cappend = 0;
	int64_t last = now_ms();
	enum gen_rc rc = GEN_OK;

	pthread_mutex_lock(&b->lock);
	while (rc == GEN_OK && !atomic_load(&b->stop) &&
	    b->consumed < b->nchunks) {
		struct slot *sl = &b->slots[b->consumed % b->window];
		int64_t t = now_ms();

		if (sl->ready) {
			pthread_mutex_unlock(&b->lock);
			if (sl->rows.len > 0 &&
			    fwrite(sl->rows.data, 1, sl->rows.len, m->fp) !=
			    sl->rows.len)
				rc = gen_err_set(err, GEN_EIO, "cannot write %s: %s",
				    m->path, strerror(errno));
			if (npend + sl->nrecs > cappend) {
				cappend = npend + sl->nrecs + BATCH_RECORD_BATCH;
				pend = xrealloc(pend, cappend * sizeof(*pend));
			}
			if (sl->nrecs > 0)
				memcpy(pend + npend, sl->recs, sl->nrecs *
				    sizeof(*pend));
			npend += sl->nrecs;
			buf_reset(&sl->rows);
			sl->nrecs = 0;
			if (rc == GEN_OK && npend >= BATCH_RECORD_BATCH) {
				rc = record(inv, b, pend, npend, err);
				npend = 0;
			}
			pthread_mutex_lock(&b->lock);
			sl->ready = 0;
			b->consumed++;
			pthread_cond_broadcast(&b->cond);
		} else if (t < last + BATCH_TICK_MS) {
			/* Sleep until a worker finishes a chunk or the next
			 * tick; the wait releases the lock. */
			struct timespec ts;
			int64_t ns;

			clock_gettime(CLOCK_REALTIME, &ts);
			ns = ts.tv_nsec + (last + BATCH_TICK_MS - t) * 1000000;
			ts.tv_sec += ns / 1000000000;
			ts.tv_nsec = ns % 1000000000;
			pthread_cond_timedwait(&b->cond, &b->lock, &ts);
		}
		if ((t = now_ms()) >= last + BATCH_TICK_MS) {
			struct invgen_batch_progress p = { atomic_load(&b->done),
				b->n, t - t0, 0 };

			last = t;
			if (opt->progress != NULL) {
				pthread_mutex_unlock(&b->lock);
				opt->progress(opt->progress_ctx, &p);
				pthread_mutex_lock(&b->lock);
			}
		}
	}
	pthread_mutex_unlock(&b->lock);
	if (rc == GEN_OK && !atomic_load(&b->stop))
		rc = record(inv, b, pend, npend, err);
	free(pend);
	return rc;
}

/* Keep the ids of shard k of n (id % n == k - 1); stable across runs. */
static size_t
shard_filter(int64_t *ids, size_t n, unsigned k, unsigned of)
{
	size_t m = 0;

	if (of <= 1)
		return n;
	for (size_t i = 0; i < n; i++)
		if (ids[i] % of == (int64_t)k - 1)
			ids[m++] = ids[i];
	return m;
}

/*
 * The summary as one JSON object: the counts, the problems kept (one
 * string each, as the text lists them), what was cleaned, why the batch
 * stopped (stopped: NULL when it did not), the time and the manifest
 * (NULL: none, the batch is not complete).
 */
static void
summary_json(const struct batch *b, size_t total, size_t strays,
    int exclusive, const char *stopped, int64_t ms, const char *manifest,
    struct buf *out)
{
	const char *p = b->problems.data, *end = p + b->problems.len;
	size_t done = (size_t)atomic_load(&b->done);
	struct jsonw w;

	jsonw_init(&w, out, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "documents");
	jsonw_int(&w, (int64_t)done);
	jsonw_key(&w, "total");
	jsonw_int(&w, (int64_t)total);
	jsonw_key(&w, "written");
	jsonw_int(&w, (int64_t)b->written);
	jsonw_key(&w, "replaced");
	jsonw_int(&w, (int64_t)b->replaced);
	jsonw_key(&w, "already_present");
	jsonw_int(&w, (int64_t)b->present);
	jsonw_key(&w, "mismatches");
	jsonw_int(&w, (int64_t)b->mismatches);
	jsonw_key(&w, "errors");
	jsonw_int(&w, (int64_t)b->errors);
	jsonw_key(&w, "hashes_recorded");
	jsonw_int(&w, (int64_t)b->recorded);
	jsonw_key(&w, "problems");
	jsonw_array_begin(&w);
	while (p != NULL && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		jsonw_string_len(&w, p, len);
		p = nl != NULL ? nl + 1 : end;
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "more_problems");
	jsonw_int(&w, (int64_t)(b->nproblems > BATCH_MAX_PROBLEMS ?
	    b->nproblems - BATCH_MAX_PROBLEMS : 0));
	jsonw_key(&w, "strays_removed");
	jsonw_int(&w, (int64_t)strays);
	jsonw_key(&w, "another_batch_running");
	jsonw_bool(&w, strays == 0 && !exclusive);
	jsonw_key(&w, "stopped");
	jsonw_string(&w, stopped);
	jsonw_key(&w, "elapsed_ms");
	jsonw_int(&w, ms);
	jsonw_key(&w, "manifest");
	jsonw_string(&w, manifest);
	jsonw_object_end(&w);
	buf_putc(out, '\n');
}

enum gen_rc
invgen_batch(struct invgen *inv, const struct invgen_batch_options *opt,
    int format, char **summary, struct gen_err *err)
{
	struct batch b;
	struct worker *w = NULL;
	struct manifest m = { NULL, NULL, "", "", "" };
	int32_t from = caldate_from_ymd(1900, 1, 1), to = caldate_from_ymd(2999,
	    12, 31);
	unsigned kinds, shard_k, shard_n;
	int64_t *ids = NULL, t0 = now_ms(), ms;
	const char *out = NULL;
	size_t n = 0, strays = 0, started = 0, jobs;
	int dirfd = -1, lockfd = -1, exclusive = 0;
	struct buf sum = { 0 };
	enum gen_rc rc;

	*summary = NULL;
	memset(&b, 0, sizeof(b));
	if (format != INVGEN_TEXT && format != INVGEN_JSON)
		return gen_err_set(err, GEN_EUSAGE, "format: %d is not allowed; "
		    "allowed: text (0), JSON (2)", format);
	if (opt->out_dir == NULL || opt->out_dir[0] == '\0')
		return gen_err_set(err, GEN_EINPUT, "out_dir: required; the folder "
		    "the documents are written to");
	if (opt->jobs < 0 || opt->jobs > BATCH_MAX_JOBS)
		return gen_err_set(err, GEN_EINPUT, "jobs: %d is not allowed; "
		    "allowed: 1 to %d, or 0 for one per CPU", opt->jobs,
		    BATCH_MAX_JOBS);
	if ((opt->from != NULL && (rc = caldate_parse(opt->from, &from,
	    "from", err)) != GEN_OK) || (opt->to != NULL &&
	    (rc = caldate_parse(opt->to, &to, "to", err)) != GEN_OK) ||
	    (rc = batch_parse_kinds(opt->kinds, &kinds, err)) != GEN_OK ||
	    (rc = batch_parse_formats(opt->formats, &b.formats, err)) !=
	    GEN_OK ||
	    (rc = batch_parse_shard(opt->shard, &shard_k, &shard_n, err)) !=
	    GEN_OK)
		return rc;
	if (from > to) {
		char f[CALDATE_LEN], t[CALDATE_LEN];

		caldate_format(from, f);
		caldate_format(to, t);
		return gen_err_set(err, GEN_EINPUT, "to: %s is before from %s; "
		    "allowed: a period that is not empty", t, f);
	}

	/* The output folder (created and opened once), the lock, the
	 * strays. */
	if ((rc = outdir_open(opt->out_dir, 1, &b.od, err)) != GEN_OK)
		return gen_err_prefix(err, "out_dir: ");
	out = outdir_path(b.od);
	dirfd = outdir_fd(b.od);
	if ((lockfd = openat(dirfd, ".invgen-batch.lock", O_RDWR | O_CREAT |
	    O_CLOEXEC, 0666)) < 0) {
		rc = gen_err_set(err, GEN_EIO, "out_dir: cannot use %s: %s",
		    opt->out_dir, strerror(errno));
		goto out;
	}
	if (flock(lockfd, LOCK_EX | LOCK_NB) == 0) {
		exclusive = 1;
		strays = remove_strays(dirfd);
	}
	if (flock(lockfd, LOCK_SH) != 0) {
		rc = gen_err_set(err, GEN_EIO, "out_dir: cannot lock %s: %s", out,
		    strerror(errno));
		goto out;
	}

	/* The work. */
	if ((rc = store_document_ids(inv->store, from, to, kinds, &ids, &n,
	    err)) != GEN_OK)
		goto out;
	n = shard_filter(ids, n, shard_k, shard_n);
	if ((rc = manifest_open(&m, b.od, shard_k, shard_n, err)) != GEN_OK)
		goto out;
	jobs = opt->jobs > 0 ? (size_t)opt->jobs : (size_t)cpu_count();
	b.cfg = &inv->cfg;
	b.ids = ids;
	b.n = n;
	b.nchunks = (n + BATCH_CHUNK - 1) / BATCH_CHUNK;
	if (jobs > b.nchunks)
		jobs = b.nchunks > 0 ? b.nchunks : 1;
	b.window = 4 * jobs + 4;
	b.slots = xcalloc(b.window, sizeof(*b.slots));
	atomic_init(&b.next, 0);
	atomic_init(&b.done, 0);
	atomic_init(&b.stop, 0);
	pthread_mutex_init(&b.lock, NULL);
	pthread_cond_init(&b.cond, NULL);
	w = xcalloc(jobs, sizeof(*w));
	for (size_t i = 0; i < jobs && b.nchunks > 0; i++) {
		w[i].b = &b;
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) == 0) {
			w[i].started = 1;
			started++;
		}
	}
	if (started == 0 && b.nchunks > 0) {
		struct gen_err e = { 0 };

		gen_err_set(&e, GEN_EINTERNAL, "batch: cannot start a thread");
		fatal(&b, &e);
	}
	rc = collect(inv, &b, &m, opt, t0, err);
	if (rc != GEN_OK) {
		struct gen_err e = *err;

		fatal(&b, &e);
	}
	for (size_t i = 0; i < jobs; i++) {
		if (w[i].started)
			pthread_join(w[i].thread, NULL);
		store_close(w[i].s);
		render_cache_free(w[i].cache);
		buf_free(&w[i].out);
	}
	if (rc == GEN_OK && b.fatal_rc != GEN_OK) {
		*err = b.fatal;
		rc = b.fatal_rc;
	}
	/* Everything renamed; make it durable, then the manifest, which
	 * means a complete batch: none when a document failed or differed. */
	if (rc == GEN_OK && b.errors == 0 && b.mismatches == 0) {
		if (syncfs(dirfd) != 0)
			rc = gen_err_set(err, GEN_EIO, "cannot flush %s to disk: %s",
			    out, strerror(errno));
		else
			rc = manifest_close(&m, err);
	}
	ms = now_ms() - t0;
	if (opt->progress != NULL) {
		struct invgen_batch_progress p = { atomic_load(&b.done), n, ms,
			1 };

		opt->progress(opt->progress_ctx, &p);
	}

	/* The summary. */
	if (format == INVGEN_JSON) {
		summary_json(&b, n, strays, exclusive, rc != GEN_OK &&
		    (size_t)atomic_load(&b.done) < n ? err->msg : NULL, ms,
		    rc == GEN_OK && b.errors == 0 && b.mismatches == 0 ?
		    m.path : NULL, &sum);
		goto summarised;
	}
	if (b.problems.len > 0)
		buf_append(&sum, b.problems.data, b.problems.len);
	if (b.nproblems > BATCH_MAX_PROBLEMS)
		buf_printf(&sum, "... and %zu more\n", b.nproblems -
		    BATCH_MAX_PROBLEMS);
	if (strays > 0)
		buf_printf(&sum, "removed %zu temporary file%s left by an "
		    "interrupted batch\n", strays, strays == 1 ? "" : "s");
	else if (!exclusive)
		buf_printf(&sum, "another batch is running in %s: temporary files "
		    "left by an interrupted one are removed by a later run\n",
		    out);
	if (rc != GEN_OK && (size_t)atomic_load(&b.done) < n)
		buf_printf(&sum, "STOPPED after %zu of %zu documents: %s\n",
		    (size_t)atomic_load(&b.done), n, err->msg);
	buf_printf(&sum, "%zu document%s: %zu file%s written (%zu replaced), "
	    "%zu already present, %zu mismatch%s, %zu error%s; %zu new hash%s "
	    "recorded\n", (size_t)atomic_load(&b.done),
	    atomic_load(&b.done) == 1 ? "" : "s", b.written,
	    b.written == 1 ? "" : "s", b.replaced, b.present, b.mismatches,
	    b.mismatches == 1 ? "" : "es", b.errors, b.errors == 1 ? "" : "s",
	    b.recorded, b.recorded == 1 ? "" : "es");
	buf_printf(&sum, "elapsed %lld.%03lld s, %lld documents/s%s%s\n",
	    (long long)(ms / 1000), (long long)(ms % 1000),
	    (long long)(ms > 0 ? (int64_t)atomic_load(&b.done) * 1000 / ms : 0),
	    rc == GEN_OK && b.errors == 0 && b.mismatches == 0 ?
	    "; manifest " : "; no manifest (the batch is not complete)",
	    rc == GEN_OK && b.errors == 0 && b.mismatches == 0 ? m.path : "");
summarised:
	*summary = buf_detach(&sum, NULL);
	if (rc == GEN_OK && b.mismatches > 0)
		rc = gen_err_set(err, GEN_ECONFLICT, "batch: %zu rendering%s "
		    "differ from the recorded hash (see the summary)",
		    b.mismatches, b.mismatches == 1 ? "" : "s");
	else if (rc == GEN_OK && b.errors > 0)
		rc = gen_err_set(err, b.doc_rc != GEN_OK ? b.doc_rc : GEN_EINPUT,
		    "batch: %zu document%s or file%s could not be rendered (see "
		    "the summary)", b.errors, b.errors == 1 ? "" : "s",
		    b.errors == 1 ? "" : "s");
	pthread_mutex_destroy(&b.lock);
	pthread_cond_destroy(&b.cond);
out:
	manifest_abort(&m);
	if (b.slots != NULL)
		for (size_t i = 0; i < b.window; i++) {
			buf_free(&b.slots[i].rows);
			free(b.slots[i].recs);
		}
	free(b.slots);
	buf_free(&b.problems);
	free(w);
	free(ids);
	if (lockfd >= 0)
		close(lockfd);
	outdir_close(b.od);
	return rc;
}
