/*
 * files.c - publishing rendered files of a document (see api_private.h):
 * temporary file, fsync, hash recorded inside the issuing transaction,
 * rename after the commit; and re-creating a missing file from the
 * snapshot.  Which formats are rendered at issue time is listed in
 * issue_formats[].
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api_private.h"
#include "caldate.h"
#include "json.h"
#include "outdir.h"
#include "render.h"
#include "sha256.h"

/*
 * Temporary files are PATH.tmp.000000 .. PATH.tmp.000015: the first slot
 * nobody is writing (a file in a free slot is a killed writer's, whose
 * lock is gone: it is removed and the slot reused).  Publishing then
 * clears an abandoned sibling by trying these names, not by reading the
 * directory, which would cost ~30 ms for a bot's folder of 100,000
 * documents.  Past 16 writers of one path at once, mkstemp() names.
 */
#define TEMP_SLOTS	16

/* Documents verified per read transaction. */
#define VERIFY_CHUNK	16

/* The formats rendered and hashed when a document is issued. */
static const char *const issue_formats[] = { "pdf", NULL };

enum gen_rc
api_make_dirs(const char *dir, struct gen_err *err)
{
	char tmp[PATH_MAX];
	struct stat sb;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return gen_err_set(err, GEN_EIO, "%s: path too long", dir);
	for (char *p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
			return gen_err_set(err, GEN_EIO, "cannot create directory "
			    "%s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
		return gen_err_set(err, GEN_EIO, "cannot create directory %s: %s",
		    tmp, strerror(errno));
	if (stat(tmp, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return gen_err_set(err, GEN_EIO, "%s is not a directory", tmp);
	return GEN_OK;
}

static void
fsync_dir(const char *path)
{
	char tmp[PATH_MAX];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s", path);
	fd = open(dirname(tmp), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

enum gen_rc
api_write_temp(const char *path, const void *data, size_t len, int sync,
    char **tmp_out, int *fd_out, struct gen_err *err)
{
	char dir[PATH_MAX], *tmp;
	size_t n = strlen(path) + 16;
	const char *p = data;
	enum gen_rc rc;
	struct stat sb;
	int fd;

	*tmp_out = NULL;
	*fd_out = -1;
	snprintf(dir, sizeof(dir), "%s", path);
	if ((rc = api_make_dirs(dirname(dir), err)) != GEN_OK)
		return rc;
	tmp = xmalloc(n);
	/*
	 * The temporary file is locked (flock) by its writer until it is
	 * renamed into place or removed, so a cleaner can tell an abandoned
	 * one (a killed process's: the lock died with it) from one in
	 * flight.  A cleaner unlinks while holding the lock; a writer that
	 * finds its file unlinked once it has the lock starts again.
	 */
	for (unsigned slot = 0;;) {
		if (slot < TEMP_SLOTS) {
			snprintf(tmp, n, "%s.tmp.%06u", path, slot);
			fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			    0600);
			if (fd < 0 && errno == EEXIST) {
				/* abandoned: clear it and try the slot
				 * again; in flight: the next slot */
				if (!api_remove_if_abandoned(AT_FDCWD, tmp))
					slot++;
				continue;
			}
		} else {
			snprintf(tmp, n, "%s.tmp.XXXXXX", path);
			fd = mkstemp(tmp);
		}
		if (fd < 0) {
			rc = gen_err_set(err, GEN_EIO, "cannot create %s: %s", tmp,
			    strerror(errno));
			free(tmp);
			return rc;
		}
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &sb) == 0 &&
		    sb.st_nlink > 0)
			break;
		close(fd);
	}
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = gen_err_set(err, GEN_EIO, "cannot write %s: %s", tmp,
			    w < 0 ? strerror(errno) : "no space written");
			goto fail;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || (sync && fsync(fd) != 0)) {
		rc = gen_err_set(err, GEN_EIO, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto fail;
	}
	*tmp_out = tmp;
	*fd_out = fd;
	return GEN_OK;
fail:
	unlink(tmp);
	close(fd);
	free(tmp);
	return rc;
}

/*
 * Remove dir/name if it is an abandoned temporary file: NAME.tmp.XXXXXX,
 * a regular file whose lock nobody holds.  1 if removed.
 */
int
api_is_temp_name(const char *name)
{
	size_t len = strlen(name);
	const char *t;

	if (len < 12)
		return 0;
	t = name + len - 11;
	if (strncmp(t, ".tmp.", 5) != 0)
		return 0;
	for (int i = 5; i < 11; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' &&
		    t[i] <= 'Z') || (t[i] >= '0' && t[i] <= '9')))
			return 0;
	return 1;
}

int
api_remove_if_abandoned(int dirfd, const char *name)
{
	int fd, removed = 0;

	if (!api_is_temp_name(name))
		return 0;
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		struct stat sb, now;

		/* Unlink only if the name still leads to the file locked
		 * here: a writer may have cleared it and taken the slot's
		 * name for a file of its own (which it keeps locked). */
		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    fstatat(dirfd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 &&
		    now.st_dev == sb.st_dev && now.st_ino == sb.st_ino &&
		    unlinkat(dirfd, name, 0) == 0)
			removed = 1;
	}
	close(fd);
	return removed;
}

/* Remove the abandoned temporary files of path in its slots (see
 * TEMP_SLOTS). */
static void
remove_abandoned_siblings(const char *path)
{
	char tmp[PATH_MAX];

	for (unsigned slot = 0; slot < TEMP_SLOTS; slot++)
		if (snprintf(tmp, sizeof(tmp), "%s.tmp.%06u", path, slot) <
		    (int)sizeof(tmp))
			api_remove_if_abandoned(AT_FDCWD, tmp);
}

/* Rename tmp into place, then clear what killed writers left beside it. */
static enum gen_rc
publish(const char *tmp, const char *path, struct gen_err *err)
{
	if (rename(tmp, path) != 0)
		return gen_err_set(err, GEN_EIO, "cannot rename %s to %s: %s", tmp,
		    path, strerror(errno));
	fsync_dir(path);
	remove_abandoned_siblings(path);
	return GEN_OK;
}

enum gen_rc
api_write_atomic(const char *path, const void *data, size_t len,
    struct gen_err *err)
{
	char *tmp = NULL;
	enum gen_rc rc;
	int fd;

	if ((rc = api_write_temp(path, data, len, 1, &tmp, &fd, err)) !=
	    GEN_OK)
		return rc;
	rc = publish(tmp, path, err);
	if (rc != GEN_OK)
		unlink(tmp);
	close(fd);		/* releases the lock */
	free(tmp);
	return rc;
}

/* out_dir/NUMBER.EXT; numbers are checked to be safe file names. */
static char *
file_path(const struct invgen *inv, const struct document *d,
    const char *format)
{
	size_t n = strlen(inv->cfg.out_dir) + strlen(d->number) + 16;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s.%s", inv->cfg.out_dir, d->number, format);
	return p;
}

static void
add_entry(struct api_files *f, const char *format, char *path, char *tmp,
    int fd, const char *sha, int64_t size)
{
	size_t i = f->n++;

	f->fd[i] = fd;
	f->path[i] = path;
	f->tmp[i] = tmp;
	snprintf(f->sha[i], sizeof(f->sha[i]), "%s", sha);
	f->list[i].format = format;
	f->list[i].path = path;
	f->list[i].sha256 = f->sha[i];
	f->list[i].size = size;
}

/* The finish step of issuing: render, write temporary, record the hash. */
static enum gen_rc
finish(void *ctx, struct store *s, struct document *d, struct gen_err *err)
{
	struct api_files *f = ctx;
	enum gen_rc rc = GEN_OK;

	for (size_t i = 0; issue_formats[i] != NULL && rc == GEN_OK; i++) {
		struct buf b = { 0 };
		char sha[65], *tmp = NULL, *path;
		int fd = -1;

		rc = render_document_cached(f->inv->cache, &f->inv->cfg, d,
		    issue_formats[i], &b, &f->warn, err);
		if (rc == GEN_OK) {
			sha256_hex(b.data, b.len, sha);
			rc = store_file_insert(s, d->id, issue_formats[i], sha,
			    (int64_t)b.len, err);
		}
		path = file_path(f->inv, d, issue_formats[i]);
		if (rc == GEN_OK)
			rc = api_write_temp(path, b.data, b.len, 1, &tmp, &fd,
			    err);
		if (rc == GEN_OK)
			add_entry(f, issue_formats[i], path, tmp, fd, sha,
			    (int64_t)b.len);
		else
			free(path);
		buf_free(&b);
	}
	return rc;
}

void
api_files_init(struct api_files *f, struct invgen *inv)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < API_MAX_FILES; i++)
		f->fd[i] = -1;
	f->inv = inv;
	f->finish.fn = finish;
	f->finish.ctx = f;
}

/* 1 if the file at path has the given SHA-256. */
static int
file_matches(const char *path, const char *sha)
{
	char hex[65];

	return api_file_sha256(path, hex) && strcmp(hex, sha) == 0;
}

enum gen_rc
api_files_existing(struct api_files *f, const struct document *d,
    struct gen_err *err)
{
	enum gen_rc rc = GEN_OK;

	for (size_t i = 0; issue_formats[i] != NULL && rc == GEN_OK; i++) {
		const char *fmt = issue_formats[i];
		char sha[65], got[65], *path, *tmp = NULL;
		int fd = -1;
		int64_t size;
		struct buf b = { 0 };

		rc = store_file_get(f->inv->store, d->id, fmt, sha, &size, err);
		if (rc == GEN_ENOTFOUND) {	/* issued before this format */
			gen_err_clear(err);
			rc = GEN_OK;
			continue;
		}
		if (rc != GEN_OK)
			break;
		path = file_path(f->inv, d, fmt);
		if (!file_matches(path, sha)) {
			rc = render_document_cached(f->inv->cache,
			    &f->inv->cfg, d, fmt, &b, &f->warn, err);
			if (rc == GEN_OK) {
				sha256_hex(b.data, b.len, got);
				if (strcmp(got, sha) != 0)
					rc = gen_err_set(err, GEN_ECONFLICT,
					    "%s: re-rendering %s gives SHA-256 %s, "
					    "not the stored %s; the renderer, "
					    "template or fonts changed since it "
					    "was issued", d->number, fmt, got, sha);
			}
			if (rc == GEN_OK)
				rc = api_write_temp(path, b.data, b.len, 1, &tmp,
				    &fd, err);
			buf_free(&b);
		}
		if (rc == GEN_OK)
			add_entry(f, fmt, path, tmp, fd, sha, size);
		else
			free(path);
	}
	return rc;
}

enum gen_rc
api_files_publish(struct api_files *f, struct gen_err *err)
{
	for (size_t i = 0; i < f->n; i++) {
		enum gen_rc rc;

		if (f->tmp[i] == NULL)
			continue;
		if ((rc = publish(f->tmp[i], f->path[i], err)) != GEN_OK)
			return rc;
		free(f->tmp[i]);
		f->tmp[i] = NULL;
		close(f->fd[i]);	/* releases the lock */
		f->fd[i] = -1;
	}
	return GEN_OK;
}

void
api_files_free(struct api_files *f)
{
	text_warnings_free(&f->warn);
	for (size_t i = 0; i < f->n; i++) {
		if (f->tmp[i] != NULL) {
			unlink(f->tmp[i]);
			free(f->tmp[i]);
		}
		if (f->fd[i] >= 0)
			close(f->fd[i]);
		free(f->path[i]);
	}
	f->n = 0;
}

enum gen_rc
invgen_write_file(const char *path, const void *data, size_t len,
    struct gen_err *err)
{
	return api_write_atomic(path, data, len, err);
}

const char *
api_file_suffix(const char *format)
{
	if (strcmp(format, "ubl") == 0)
		return "ubl.xml";
	if (strcmp(format, "cii") == 0)
		return "cii.xml";
	if (strcmp(format, "facturx") == 0)
		return "facturx.pdf";
	if (strcmp(format, "pdf") == 0)
		return "pdf";
	return NULL;
}

enum gen_rc
invgen_export(struct invgen *inv, const char *format, const char *number,
    const char *dir, char **json, struct gen_err *err)
{
	struct document *d = NULL;
	struct buf b = { 0 }, j = { 0 };
	char sha[65], stored[65], *path = NULL;
	const char *suffix = api_file_suffix(format);
	struct jsonw w;
	size_t n;
	enum gen_rc rc;

	if (json != NULL)
		*json = NULL;
	if (suffix == NULL)
		return gen_err_set(err, GEN_EINPUT, "format: '%.20s' is not "
		    "allowed; allowed: ubl, cii, facturx, pdf", format);
	if ((rc = store_document_load(inv->store, number, &d, err)) != GEN_OK)
		return rc;
	if ((rc = render_document_cached(inv->cache, &inv->cfg, d, format,
	    &b, NULL, err)) != GEN_OK)
		goto out;
	sha256_hex(b.data, b.len, sha);
	/* Record the first export's hash; a differing later one is a bug
	 * or a changed template, never silently accepted. */
	if ((rc = store_begin(inv->store, err)) != GEN_OK)
		goto out;
	rc = store_file_get(inv->store, d->id, format, stored, NULL, err);
	if (rc == GEN_ENOTFOUND) {
		gen_err_clear(err);
		rc = store_file_insert(inv->store, d->id, format, sha,
		    (int64_t)b.len, err);
	} else if (rc == GEN_OK && strcmp(stored, sha) != 0)
		rc = gen_err_set(err, GEN_ECONFLICT, "%s: the %s export now has "
		    "SHA-256 %s, not the recorded %s; the renderer or template "
		    "changed", number, format, sha, stored);
	if (rc == GEN_OK)
		rc = store_commit(inv->store, err);
	else
		store_rollback(inv->store);
	if (rc != GEN_OK)
		goto out;
	if (dir == NULL)
		dir = inv->cfg.out_dir;
	n = strlen(dir) + strlen(number) + strlen(suffix) + 3;
	path = xmalloc(n);
	snprintf(path, n, "%s/%s.%s", dir, number, suffix);
	if ((rc = api_write_atomic(path, b.data, b.len, err)) != GEN_OK)
		goto out;
	if (json != NULL) {
		jsonw_init(&w, &j, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "number");
		jsonw_string(&w, number);
		jsonw_key(&w, "format");
		jsonw_string(&w, format);
		jsonw_key(&w, "path");
		jsonw_string(&w, path);
		jsonw_key(&w, "sha256");
		jsonw_string(&w, sha);
		jsonw_key(&w, "size");
		jsonw_int(&w, (int64_t)b.len);
		jsonw_object_end(&w);
		*json = buf_detach(&j, NULL);
	}
out:
	free(path);
	buf_free(&b);
	document_free(d);
	return rc;
}

enum gen_rc
invgen_render(struct invgen *inv, const char *number, const char *path,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct buf b = { 0 };
	enum gen_rc rc;

	if ((rc = store_document_load(inv->store, number, &d, err)) == GEN_OK &&
	    (rc = render_document_cached(inv->cache, &inv->cfg, d, "pdf", &b,
	    NULL, err)) == GEN_OK)
		rc = api_write_atomic(path, b.data, b.len, err);
	buf_free(&b);
	document_free(d);
	return rc;
}

int
api_file_sha256(const char *path, char hex[65])
{
	struct sha256 c;
	unsigned char buf[65536], dig[32];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL)
		return 0;
	sha256_init(&c);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sha256_update(&c, buf, n);
	fclose(fp);
	sha256_final(&c, dig);
	sha256_to_hex(dig, hex);
	return 1;
}

/* The archive of invgen verify --archive: the folder held open (arch,
 * NULL when it cannot be opened: every file is then missing) and its
 * name as given, for the report. */
struct archive {
	struct outdir *od;
	const char *dir;
};

/* Verify one document; counts problems in *bad. */
static enum gen_rc
verify_one(struct invgen *inv, struct document *d, const struct archive *arch,
    struct buf *rep, size_t *files_ok, size_t *bad, struct gen_err *err)
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
			(*bad)++;
		} else
			(*files_ok)++;
		if (arch != NULL) {
			const char *suffix = api_file_suffix(f[i].format);
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

enum gen_rc
invgen_verify(struct invgen *inv, const char *const *numbers, size_t n,
    const char *from, const char *to, const char *archive_dir,
    char **report, struct gen_err *err)
{
	struct buf rep = { 0 };
	struct archive arch = { NULL, archive_dir };
	struct gen_err e = { 0 };
	int64_t *ids = NULL;
	size_t nids = 0, docs = 0, files_ok = 0, bad = 0, total;
	int32_t f = caldate_from_ymd(1900, 1, 1), t = caldate_from_ymd(2999, 12,
	    31);
	enum gen_rc rc = GEN_OK;

	*report = NULL;
	if (n == 0) {
		if ((from != NULL && (rc = caldate_parse(from, &f, "--from",
		    err)) != GEN_OK) || (to != NULL && (rc = caldate_parse(to,
		    &t, "--to", err)) != GEN_OK))
			return rc;
		if ((rc = store_document_ids(inv->store, f, t, 7, &ids, &nids,
		    err)) != GEN_OK)
			return rc;
	}
	/* The archive folder is opened once (a folder that cannot be
	 * opened has every file missing). */
	if (archive_dir != NULL)
		outdir_open(archive_dir, 0, &arch.od, &e);
	total = n ? n : nids;
	for (size_t i = 0; i < total && rc == GEN_OK; i++) {
		struct document *d = NULL;

		/* One read snapshot per VERIFY_CHUNK documents: one lock
		 * round trip instead of one per statement. */
		if (i % VERIFY_CHUNK == 0) {
			store_rollback(inv->store);
			store_begin_read(inv->store, &e);
		}
		rc = n ? store_document_load(inv->store, numbers[i], &d, err) :
		    store_document_load_id(inv->store, ids[i], &d, err);
		if (rc == GEN_OK)
			rc = verify_one(inv, d, archive_dir != NULL ? &arch : NULL,
			    &rep, &files_ok, &bad, err);
		document_free(d);
		docs++;
	}
	store_rollback(inv->store);
	outdir_close(arch.od);
	free(ids);
	if (rc != GEN_OK) {
		buf_free(&rep);
		return rc;
	}
	buf_printf(&rep, "%zu document%s, %zu file check%s ok, %zu problem%s\n",
	    docs, docs == 1 ? "" : "s", files_ok, files_ok == 1 ? "" : "s",
	    bad, bad == 1 ? "" : "s");
	*report = buf_detach(&rep, NULL);
	if (bad > 0)
		return gen_err_set(err, GEN_ECONFLICT, "verify: %zu problem%s "
		    "found (see the report)", bad, bad == 1 ? "" : "s");
	return GEN_OK;
}
