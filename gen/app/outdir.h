/*
 * outdir.h - an output folder held open by its directory descriptor, for
 * writers of many files (invgen batch, invgen verify --archive): every
 * name is resolved against the descriptor, never through a path, so no
 * file lands outside the folder and none is written through a symbolic
 * link, however the folder's path changes meanwhile.
 *
 * Publishing a file: it appears complete under its name or not at all.
 * Where the file system has O_TMPFILE (ext4, xfs, btrfs, tmpfs) the data
 * goes into an unnamed file that is then linked under its name (linkat
 * through /proc/self/fd, which needs no capability on any Linux since
 * 3.11): no temporary name, no lock, no rename, and a writer killed half
 * way leaves nothing behind (the kernel frees the unnamed file).  A name
 * already taken (a damaged file, a planted link) is replaced by a rename;
 * where O_TMPFILE or the link fails (NFS, CIFS, no /proc) every file goes
 * through a locked temporary file NAME.tmp.NNNNNN and a rename, as in
 * files.c, whose cleaners know these names.  Created files get the mode
 * 0666 less the process umask.  Nothing is fsync'ed here: the caller
 * flushes once (syncfs) when it is done.
 *
 * What it must not do: follow a link at a file's name, write a name with
 * a '/' in it, leave a partial file under a final name.  Thread-safe: one
 * struct outdir is shared by a batch's workers.
 */
#ifndef INVGEN_OUTDIR_H
#define INVGEN_OUTDIR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct outdir;

/*
 * Open the folder at path; with create, create it first if missing
 * (mkdir -p, once).  GEN_EIO names the folder and the system error;
 * GEN_EINPUT when its real path is longer than PATH_MAX - 200 bytes (room
 * for the names of the files).
 */
enum gen_rc outdir_open(const char *path, int create, struct outdir **od,
    struct gen_err *err);
/* Close the folder; NULL is a no-op. */
void outdir_close(struct outdir *od);
/* The directory descriptor (owned by od). */
int outdir_fd(const struct outdir *od);
/* The folder's real path, for messages. */
const char *outdir_path(const struct outdir *od);
/* 1 while files are published through O_TMPFILE, 0 once it failed and
 * named temporary files are used instead. */
int outdir_tmpfile(const struct outdir *od);

/*
 * Publish len bytes as od/name (one path component, no '/'), replacing
 * whatever is there (a file, a link: the link itself, never its target).
 * GEN_EIO names the file and the system error (nothing is left under
 * name, nor under a temporary name); GEN_EINPUT for a name that is not
 * one component.
 */
enum gen_rc outdir_publish(struct outdir *od, const char *name,
    const void *data, size_t len, struct gen_err *err);

/* What outdir_sha256() found at a name. */
enum outdir_found {
	OUTDIR_MISSING,		/* nothing there */
	OUTDIR_OTHER,		/* a link, a folder, an unreadable file */
	OUTDIR_SIZE,		/* a regular file, but not of want_size bytes */
	OUTDIR_FILE		/* a regular file, hashed */
};

/*
 * Look at od/name without following a link: the SHA-256 in hex of the
 * regular file there when its size is want_size (want_size < 0: any
 * size).  One open, one fstat, reads of the file's size.
 */
enum outdir_found outdir_sha256(struct outdir *od, const char *name,
    int64_t want_size, char hex[65]);

/*
 * For a file written as it goes (the manifest): a new temporary file
 * od/NAME.tmp.NNNNNN (the first number free), mode 0666 less the umask,
 * flock'ed until *fd is closed so that no cleaner removes it meanwhile.
 * Its name goes to tmp.  outdir_rename() puts it in place.
 */
enum gen_rc outdir_temp(struct outdir *od, const char *name, char *tmp,
    size_t tmpsize, int *fd, struct gen_err *err);
/* Rename od/tmp to od/name, replacing what is there. */
enum gen_rc outdir_rename(struct outdir *od, const char *tmp,
    const char *name, struct gen_err *err);

#endif
