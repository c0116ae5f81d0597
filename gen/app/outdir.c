/*
 * outdir.c - an output folder held open by its directory descriptor, and
 * the atomic publishing of files into it (see outdir.h).
 *
 * Measured on ext4 (README, "Performance"): a file published by a locked
 * temporary file and a rename costs a create, an flock, a rename and two
 * directory-entry changes, all under the folder's lock; O_TMPFILE takes
 * the new inode outside the folder's lock and then inserts one directory
 * entry (linkat), so two workers publishing into one folder barely wait
 * for each other.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "fault.h"
#include "outdir.h"
#include "sha256.h"

/* Temporary names NAME.tmp.000000 upwards: the first that nobody holds
 * (files.c uses the same names and clears abandoned ones). */
#define TEMP_MAX_SLOT	999999

struct outdir {
	int fd;
	char *path;
	atomic_int no_tmpfile;	/* set once O_TMPFILE or its link failed */
	int hook;		/* test builds: the failure to simulate */
};

/* Test builds only (gen/base/fault.h): INVGEN_FAULT=no-tmpfile makes
 * O_TMPFILE fail as on NFS (EOPNOTSUPP), no-tmpfile-eisdir as on a kernel
 * before 3.11 (EISDIR), no-tmpfile-link makes the link fail as without
 * /proc. */
enum { HOOK_NONE, HOOK_EOPNOTSUPP, HOOK_EISDIR, HOOK_LINK };

enum gen_rc
outdir_open(const char *path, int create, struct outdir **odp,
    struct gen_err *err)
{
	struct outdir *od;
	char *real;
	enum gen_rc rc;
	int fd;

	*odp = NULL;
	if (create && (rc = files_make_dirs(path, err)) != GEN_OK)
		return rc;
	if ((real = realpath(path, NULL)) == NULL)
		return gen_err_set(err, GEN_EIO, "%s: cannot use the folder: %s",
		    path, strerror(errno));
	if (strlen(real) > PATH_MAX - 200) {
		rc = gen_err_set(err, GEN_EINPUT, "%.100s...: path too long; "
		    "allowed: up to %d bytes", real, PATH_MAX - 200);
		free(real);
		return rc;
	}
	if ((fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		rc = gen_err_set(err, GEN_EIO, "%s: cannot use the folder: %s",
		    path, strerror(errno));
		free(real);
		return rc;
	}
	od = xcalloc(1, sizeof(*od));
	od->fd = fd;
	od->path = real;
	atomic_init(&od->no_tmpfile, 0);
	od->hook = FAULT("no-tmpfile") ? HOOK_EOPNOTSUPP :
	    FAULT("no-tmpfile-eisdir") ? HOOK_EISDIR :
	    FAULT("no-tmpfile-link") ? HOOK_LINK : HOOK_NONE;
	*odp = od;
	return GEN_OK;
}

void
outdir_close(struct outdir *od)
{
	if (od == NULL)
		return;
	close(od->fd);
	free(od->path);
	free(od);
}

int
outdir_fd(const struct outdir *od)
{
	return od->fd;
}

const char *
outdir_path(const struct outdir *od)
{
	return od->path;
}

int
outdir_tmpfile(const struct outdir *od)
{
	return !atomic_load(&od->no_tmpfile);
}

/* One path component that is not . or .. */
static int
component_ok(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
	    strlen(name) <= NAME_MAX - 11;
}

static enum gen_rc
write_all(struct outdir *od, int fd, const char *name, const void *data,
    size_t len, struct gen_err *err)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return gen_err_set(err, GEN_EIO, "cannot write %s/%s: %s",
			    od->path, name, w < 0 ? strerror(errno) :
			    "no space written");
		p += w;
		len -= (size_t)w;
	}
	return GEN_OK;
}

enum gen_rc
outdir_temp(struct outdir *od, const char *name, char *tmp, size_t tmpsize,
    int *fdp, struct gen_err *err)
{
	struct stat sb;
	int fd;

	*fdp = -1;
	/*
	 * Locked (flock) until renamed or removed, so that a cleaner can
	 * tell an abandoned file (its writer was killed: the lock died with
	 * it) from one in flight; a cleaner unlinks while holding the lock,
	 * so a writer that finds its file unlinked once it has the lock
	 * starts again.
	 */
	for (unsigned slot = 0; slot <= TEMP_MAX_SLOT;) {
		if (snprintf(tmp, tmpsize, "%s.tmp.%06u", name, slot) >=
		    (int)tmpsize)
			return gen_err_set(err, GEN_EINPUT, "%s/%s: name too "
			    "long", od->path, name);
		fd = openat(od->fd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST) {
			/* abandoned: clear it and try the number again; in
			 * flight: the next number */
			if (!files_remove_if_abandoned(od->fd, tmp))
				slot++;
			continue;
		}
		if (fd < 0)
			return gen_err_set(err, GEN_EIO, "cannot create %s/%s: %s",
			    od->path, tmp, strerror(errno));
		if (flock(fd, LOCK_EX) == 0 && fstat(fd, &sb) == 0 &&
		    sb.st_nlink > 0) {
			*fdp = fd;
			return GEN_OK;
		}
		close(fd);
	}
	return gen_err_set(err, GEN_EIO, "cannot create %s/%s.tmp.NNNNNN: every "
	    "number taken", od->path, name);
}

enum gen_rc
outdir_rename(struct outdir *od, const char *tmp, const char *name,
    struct gen_err *err)
{
	if (renameat(od->fd, tmp, od->fd, name) != 0)
		return gen_err_set(err, GEN_EIO, "cannot rename %s/%s to %s: %s",
		    od->path, tmp, name, strerror(errno));
	return GEN_OK;
}

/* Publish through a locked temporary name and a rename. */
static enum gen_rc
publish_named(struct outdir *od, const char *name, const void *data,
    size_t len, struct gen_err *err)
{
	char tmp[NAME_MAX + 1];
	enum gen_rc rc;
	int fd;

	if ((rc = outdir_temp(od, name, tmp, sizeof(tmp), &fd, err)) != GEN_OK)
		return rc;
	if ((rc = write_all(od, fd, name, data, len, err)) == GEN_OK)
		rc = outdir_rename(od, tmp, name, err);
	if (rc != GEN_OK)
		unlinkat(od->fd, tmp, 0);
	close(fd);			/* releases the lock */
	return rc;
}

/* An unnamed file in the folder, or -1 with errno. */
static int
open_tmpfile(struct outdir *od)
{
	if (od->hook == HOOK_EOPNOTSUPP || od->hook == HOOK_EISDIR) {
		errno = od->hook == HOOK_EISDIR ? EISDIR : EOPNOTSUPP;
		return -1;
	}
	return openat(od->fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
}

/* Give the unnamed file fd the name od/name; -1 with errno. */
static int
link_tmpfile(struct outdir *od, int fd, const char *name)
{
	char proc[64];

	if (od->hook == HOOK_LINK) {
		errno = ENOENT;
		return -1;
	}
	/* AT_EMPTY_PATH would need CAP_DAC_READ_SEARCH before Linux 6.10;
	 * the link in /proc needs nothing. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	return linkat(AT_FDCWD, proc, od->fd, name, AT_SYMLINK_FOLLOW);
}

enum gen_rc
outdir_publish(struct outdir *od, const char *name, const void *data,
    size_t len, struct gen_err *err)
{
	enum gen_rc rc;
	int fd, e;

	if (!component_ok(name))
		return gen_err_set(err, GEN_EINPUT, "%.100s: not a file name "
		    "inside %s; nothing written", name, od->path);
	if (atomic_load(&od->no_tmpfile))
		return publish_named(od, name, data, len, err);
	if ((fd = open_tmpfile(od)) < 0) {
		/* No O_TMPFILE here: EOPNOTSUPP (NFS, CIFS, FUSE), EISDIR
		 * (a kernel that ignores the flag), EINVAL, ENOSYS. */
		if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL ||
		    errno == ENOSYS) {
			atomic_store(&od->no_tmpfile, 1);
			return publish_named(od, name, data, len, err);
		}
		return gen_err_set(err, GEN_EIO, "cannot create %s/%s: %s",
		    od->path, name, strerror(errno));
	}
	if ((rc = write_all(od, fd, name, data, len, err)) != GEN_OK) {
		close(fd);		/* the unnamed file is freed */
		return rc;
	}
	if (link_tmpfile(od, fd, name) == 0) {
		close(fd);
		return GEN_OK;
	}
	e = errno;
	close(fd);
	switch (e) {
	case EEXIST:
		/* A damaged file or a planted link: a link cannot replace a
		 * name, a rename can (the link itself, never its target). */
		return publish_named(od, name, data, len, err);
	case ENOENT:	/* no /proc */
	case EPERM:	/* no hard links on this file system */
	case EOPNOTSUPP:
	case EXDEV:
		atomic_store(&od->no_tmpfile, 1);
		return publish_named(od, name, data, len, err);
	default:
		return gen_err_set(err, GEN_EIO, "cannot create %s/%s: %s",
		    od->path, name, strerror(e));
	}
}

enum outdir_found
outdir_sha256(struct outdir *od, const char *name, int64_t want_size,
    char hex[65])
{
	unsigned char buf[65536], dig[32];
	struct sha256 c;
	struct stat sb;
	int fd;

	if (!component_ok(name))
		return OUTDIR_OTHER;
	fd = openat(od->fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? OUTDIR_MISSING : OUTDIR_OTHER;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return OUTDIR_OTHER;
	}
	if (want_size >= 0 && sb.st_size != want_size) {
		close(fd);
		return OUTDIR_SIZE;
	}
	sha256_init(&c);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return OUTDIR_OTHER;
		}
		if (n == 0)
			break;
		sha256_update(&c, buf, (size_t)n);
	}
	close(fd);
	sha256_final(&c, dig);
	sha256_to_hex(dig, hex);
	return OUTDIR_FILE;
}
