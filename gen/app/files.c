/*
 * files.c - publishing rendered files of a document (see api_private.h):
 * temporary file, fsync, hash recorded inside the issuing transaction,
 * rename after the commit; and re-creating a missing file from the
 * snapshot.  Which formats are rendered at issue time is listed in
 * issue_formats[].
 *
 * Every file is created with mode 0666 less the process's umask (less the
 * calling thread's, for a worker of `invgen serve` that took its caller's
 * umask), as cp and curl -o do.  A target named by a caller (render,
 * export, invgen_write_file, invgen_copy_document) is checked once, in
 * api_check_target(): writing must not destroy the database, a device, a
 * FIFO, a directory or a symbolic link.
 */
#include <dirent.h>
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
#include "batch.h"
#include "caldate.h"
#include "chain.h"
#include "json.h"
#include "outdir.h"
#include "render.h"
#include "sha256.h"

/* Documents verified per read transaction. */
#define VERIFY_CHUNK	16

/*
 * Temporary files are PATH.tmp.000000 .. PATH.tmp.000015: the first slot
 * nobody is writing (a file in a free slot is a killed writer's, whose
 * lock is gone: it is removed and the slot reused).  Publishing then
 * clears an abandoned sibling by trying these names, not by reading the
 * directory, which would cost ~30 ms for a bot's folder of 100,000
 * documents.  Past 16 writers of one path at once, mkstemp() names.
 */
#define TEMP_SLOTS	16

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
			    0666);
			if (fd < 0 && errno == EEXIST) {
				/* abandoned: clear it and try the slot
				 * again; in flight: the next slot */
				if (!api_remove_if_abandoned(AT_FDCWD, tmp))
					slot++;
				continue;
			}
		} else {
			snprintf(tmp, n, "%s.tmp.XXXXXX", path);
			/* mkstemp() makes it 0600: give it what open()
			 * would have. */
			if ((fd = mkstemp(tmp)) >= 0 &&
			    fchmod(fd, 0666 & ~api_umask()) != 0) {
				unlink(tmp);
				close(fd);
				fd = -1;
			}
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
	if (sync && fsync(fd) != 0) {
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

mode_t
api_umask(void)
{
	char line[128];
	FILE *fp = fopen("/proc/thread-self/status", "re");
	unsigned long v = 077;	/* unknown: private, the safe side */

	if (fp == NULL)
		return 077;
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *end;

		if (strncmp(line, "Umask:", 6) != 0)
			continue;
		v = strtoul(line + 6, &end, 8);
		if (end == line + 6 || v > 0777)
			v = 077;
		break;
	}
	fclose(fp);
	return (mode_t)v;
}

/* The side files SQLite keeps beside a database. */
static const char *const db_suffixes[] = { "", "-wal", "-shm", "-journal",
	NULL };

/*
 * The folder and last component of path: *dir (stat of the folder) and
 * base (into the caller's buffer).  0 when the folder cannot be stat'ed.
 */
static int
split_path(const char *path, struct stat *dir, char *base, size_t sz)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return 0;
	snprintf(base, sz, "%s", basename(tmp));
	snprintf(tmp, sizeof(tmp), "%s", path);
	return stat(dirname(tmp), dir) == 0;
}

enum gen_rc
api_check_target(const char *path, const char *db_path, struct gen_err *err)
{
	static const char allowed[] = "allowed: a new file, or a regular file "
	    "that is not the database or one of its files";
	struct stat t, s, tdir, ddir;
	char tbase[NAME_MAX + 1], dbase[NAME_MAX + 1], side[PATH_MAX];
	int exists = 0, same_dir;

	if (lstat(path, &t) == 0) {
		if (S_ISLNK(t.st_mode))
			return gen_err_set(err, GEN_EINPUT, "%s: is a symbolic "
			    "link, which would be replaced; %s (name the file "
			    "it points to)", path, allowed);
		if (!S_ISREG(t.st_mode))
			return gen_err_set(err, GEN_EINPUT, "%s: exists and is "
			    "%s, not a regular file; %s", path,
			    S_ISDIR(t.st_mode) ? "a directory" :
			    S_ISFIFO(t.st_mode) ? "a FIFO" :
			    S_ISSOCK(t.st_mode) ? "a socket" :
			    S_ISCHR(t.st_mode) || S_ISBLK(t.st_mode) ?
			    "a device" : "a special file", allowed);
		exists = 1;
	} else if (errno != ENOENT && errno != ENOTDIR)
		return gen_err_set(err, GEN_EIO, "%s: cannot check the target: "
		    "%s", path, strerror(errno));
	if (db_path == NULL)
		return GEN_OK;
	/* The same file (a hard link too), or the same name in the same
	 * folder (a -journal or -wal that does not exist yet would be
	 * taken for one by SQLite). */
	same_dir = split_path(path, &tdir, tbase, sizeof(tbase)) &&
	    split_path(db_path, &ddir, dbase, sizeof(dbase)) &&
	    tdir.st_dev == ddir.st_dev && tdir.st_ino == ddir.st_ino;
	for (size_t i = 0; db_suffixes[i] != NULL; i++) {
		int hit;

		if (snprintf(side, sizeof(side), "%s%s", db_path,
		    db_suffixes[i]) >= (int)sizeof(side))
			continue;
		hit = exists && stat(side, &s) == 0 && s.st_dev == t.st_dev &&
		    s.st_ino == t.st_ino;
		if (!hit && same_dir) {
			char name[NAME_MAX + 16];

			snprintf(name, sizeof(name), "%s%s", dbase,
			    db_suffixes[i]);
			hit = strcmp(name, tbase) == 0;
		}
		if (hit)
			return gen_err_set(err, GEN_EINPUT, "%s: is %s%s%s; %s",
			    path, i == 0 ? "the database " : side,
			    i == 0 ? "" : ", a file of the database ", db_path,
			    allowed);
	}
	return GEN_OK;
}

enum gen_rc
api_write_atomic(const char *path, const char *db_path, const void *data,
    size_t len, struct gen_err *err)
{
	char *tmp = NULL;
	enum gen_rc rc;
	int fd;

	if ((rc = api_check_target(path, db_path, err)) != GEN_OK ||
	    (rc = api_write_temp(path, data, len, 1, &tmp, &fd, err)) !=
	    GEN_OK)
		return rc;
	/* Again just before the rename: the target may have changed
	 * while the file was written. */
	if ((rc = api_check_target(path, db_path, err)) == GEN_OK)
		rc = publish(tmp, path, err);
	if (rc != GEN_OK)
		unlink(tmp);
	close(fd);		/* releases the lock */
	free(tmp);
	return rc;
}

/* DIR/NUMBER.EXT, owned by the caller. */
static char *
file_path_in(const char *dir, const char *number, const char *format)
{
	size_t n = strlen(dir) + strlen(number) + strlen(format) + 3;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s.%s", dir, number, format);
	return p;
}

/* A document's number as a file name, or GEN_EINPUT: a number that was
 * made a path (a seller row or a document edited with SQL) must never
 * lead a file outside its folder. */
static enum gen_rc
check_name(const struct document *d, struct gen_err *err)
{
	if (batch_name_ok(d->number))
		return GEN_OK;
	return gen_err_set(err, GEN_EINPUT, "document.number: '%.100s' is not "
	    "a safe file name (a path, or characters a file system refuses); "
	    "nothing written", d->number);
}

/* out_dir/NUMBER.EXT; check_name() first. */
static char *
file_path(const struct invgen *inv, const struct document *d,
    const char *format)
{
	return file_path_in(inv->cfg.out_dir, d->number, format);
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
	enum gen_rc rc = check_name(d, err);

	for (size_t i = 0; issue_formats[i] != NULL && rc == GEN_OK; i++) {
		struct buf b = { 0 };
		char sha[65], *tmp = NULL, *path;
		int fd = -1;

		if (f->n == API_MAX_FILES)
			return gen_err_set(err, GEN_EINTERNAL, "%s: more than "
			    "%d files in one call", d->number, API_MAX_FILES);

		rc = render_document_cached(f->inv->cache, &f->inv->cfg, d,
		    issue_formats[i], &b, &f->warn, err);
		/* From layout version 2 a document never prints a
		 * replacement glyph: its texts were checked when the order
		 * was added, so only an older order can get here. */
		if (rc == GEN_OK && f->warn.n > 0 && d->layout_version >= 2)
			rc = gen_err_set(err, GEN_EINPUT, "%s: U+%04X is in no "
			    "font invgen prints with (an order stored before "
			    "characters were checked); correct the order's "
			    "text", d->order_no, (unsigned)f->warn.missing[0]);
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
	enum gen_rc rc = check_name(d, err);

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
invgen_write_file(const struct invgen_options *opt, const char *path,
    const void *data, size_t len, struct gen_err *err)
{
	struct config cfg;
	enum gen_rc rc;

	if ((rc = config_init(&cfg, opt, err)) != GEN_OK)
		return rc;
	rc = api_write_atomic(path, cfg.db_path, data, len, err);
	config_free(&cfg);
	return rc;
}

/* Issued documents are small; anything larger is not one of ours. */
#define DOCUMENT_MAX	(64 * 1024 * 1024)

enum gen_rc
api_read_document(const struct config *cfg, const char *number,
    const char *sha256, struct buf *out, struct gen_err *err)
{
	struct buf b = { 0 };
	struct stat sb;
	char *path = NULL, hex[65];
	enum gen_rc rc = GEN_OK;
	int fd = -1;

	if (number == NULL || !batch_name_ok(number) || sha256 == NULL)
		return gen_err_set(err, GEN_EINPUT, "document number '%.100s': "
		    "not a safe file name", number ? number : "");
	path = file_path_in(cfg->out_dir, number, "pdf");
	/* Not through a link, not a FIFO that would block: the file
	 * invgen published, or nothing. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		rc = gen_err_set(err, GEN_EIO, "%s: cannot open: %s", path,
		    errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > DOCUMENT_MAX) {
		rc = gen_err_set(err, GEN_EIO, "%s: not a regular file of at "
		    "most %d bytes", path, DOCUMENT_MAX);
		goto out;
	}
	buf_grow(&b, (size_t)sb.st_size + 1);
	for (;;) {
		ssize_t n;

		buf_grow(&b, 65536);
		n = read(fd, b.data + b.len, b.cap - b.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = gen_err_set(err, GEN_EIO, "%s: cannot read: %s",
			    path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (b.len > DOCUMENT_MAX) {
			rc = gen_err_set(err, GEN_EIO, "%s: larger than %d "
			    "bytes", path, DOCUMENT_MAX);
			goto out;
		}
	}
	sha256_hex(b.data, b.len, hex);
	if (strcmp(hex, sha256) != 0) {
		rc = gen_err_set(err, GEN_EIO, "%s: SHA-256 %s, not the "
		    "recorded %.64s; the file was changed after it was "
		    "written", path, hex, sha256);
		goto out;
	}
	if (out != NULL) {
		*out = b;
		b = (struct buf){ 0 };
	}
out:
	if (fd >= 0)
		close(fd);
	free(path);
	buf_free(&b);
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
	if ((rc = api_read_document(&cfg, number, sha256, &b, err)) ==
	    GEN_OK)
		rc = api_write_atomic(dst, cfg.db_path, b.data, b.len, err);
	buf_free(&b);
	config_free(&cfg);
	return rc;
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
	if (dir == NULL)
		dir = inv->cfg.out_dir;
	n = strlen(dir) + strlen(number) + strlen(suffix) + 3;
	path = xmalloc(n);
	snprintf(path, n, "%s/%s.%s", dir, number, suffix);
	/* A target that would be refused records nothing either. */
	if ((rc = check_name(d, err)) != GEN_OK ||
	    (rc = api_check_target(path, inv->cfg.db_path, err)) != GEN_OK ||
	    (rc = render_document_cached(inv->cache, &inv->cfg, d, format,
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
	if ((rc = api_write_atomic(path, inv->cfg.db_path, b.data, b.len,
	    err)) != GEN_OK)
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
		rc = api_write_atomic(path, inv->cfg.db_path, b.data, b.len,
		    err);
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
	suffix = api_file_suffix(f->format);
	dir = archive_dir != NULL ? archive_dir : inv->cfg.out_dir;
	len = strlen(dir) + strlen(d->number) + strlen(suffix) + 3;
	path = xmalloc(len);
	snprintf(path, len, "%s/%s.%s", dir, d->number, suffix);
	if (!api_file_sha256(path, got))
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
		return gen_err_set(err, GEN_EIO, "--archive %s: %s", dir,
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
			const char *suffix = api_file_suffix(formats[i]);
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

enum gen_rc
invgen_verify_ex(struct invgen *inv, const struct invgen_verify_options *opt,
    char **report, struct gen_err *err)
{
	struct buf rep = { 0 };
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
	if (n == 0) {
		if ((opt->from != NULL && (rc = caldate_parse(opt->from, &f,
		    "--from", err)) != GEN_OK) || (opt->to != NULL &&
		    (rc = caldate_parse(opt->to, &t, "--to", err)) != GEN_OK))
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
		return rc;
	}
	bad += chain.problems + chain.damaged;
	buf_printf(&rep, "%zu document%s, %zu file check%s ok, %zu problem%s",
	    docs, docs == 1 ? "" : "s", files_ok, files_ok == 1 ? "" : "s",
	    bad, bad == 1 ? "" : "s");
	if (env_bad > 0)
		buf_printf(&rep, " (%zu from a changed rendering environment, "
		    "the archived file intact)", env_bad);
	buf_putc(&rep, '\n');
	*report = buf_detach(&rep, NULL);
	if (chain.damaged > 0)
		return gen_err_set(err, GEN_EDB, "verify: damaged archive: "
		    "number_series does not match the documents of %zu series "
		    "(see the report); do not issue until it is restored",
		    chain.damaged);
	if (bad > 0)
		return gen_err_set(err, GEN_ECONFLICT, "verify: %zu problem%s "
		    "found (see the report)", bad, bad == 1 ? "" : "s");
	return GEN_OK;
}

enum gen_rc
invgen_verify(struct invgen *inv, const char *const *numbers, size_t n,
    const char *from, const char *to, const char *archive_dir,
    char **report, struct gen_err *err)
{
	struct invgen_verify_options opt = { 0 };

	opt.numbers = numbers;
	opt.n = n;
	opt.from = from;
	opt.to = to;
	opt.archive_dir = archive_dir;
	return invgen_verify_ex(inv, &opt, report, err);
}
