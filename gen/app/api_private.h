/*
 * api_private.h - the handle behind struct invgen and the file publishing
 * shared by the public calls in api.c.  Not installed.
 *
 * Rendered files are written in two steps so that a failed call leaves
 * nothing behind: inside the issuing transaction the finish callback
 * renders each file into a temporary name in the output directory and
 * records its SHA-256; after the commit api_files_publish() renames them
 * into place.  api_files_free() removes any temporary file still there.
 */
#ifndef INVGEN_API_PRIVATE_H
#define INVGEN_API_PRIVATE_H

#include <sys/types.h>

#include "buf.h"
#include "config.h"
#include "docjson.h"
#include "issue.h"
#include "store.h"
#include "text.h"

struct invgen {
	struct config cfg;
	struct store *store;
	/* language objects kept between the handle's renders (a handle is
	 * used by one thread at a time) */
	struct render_cache *cache;
};

/* Files of one call: up to 16 documents of a flow, one file each. */
#define API_MAX_FILES 16

struct api_files {
	struct invgen *inv;
	struct issue_finish finish;	/* pass to issue_*() */
	struct docjson_file list[API_MAX_FILES];
	size_t n;
	char *tmp[API_MAX_FILES];	/* owned; NULL once renamed */
	char *path[API_MAX_FILES];	/* owned */
	char sha[API_MAX_FILES][65];
	int fd[API_MAX_FILES];		/* locked temporary files, or -1 */
	struct text_warnings warn;	/* characters drawn as replacements */
};

void api_files_init(struct api_files *f, struct invgen *inv);
/* For a document issued earlier: list its files; re-create a missing or
 * damaged file from the snapshot when the re-rendering matches the stored
 * hash (GEN_ECONFLICT when it does not). */
enum gen_rc api_files_existing(struct api_files *f, const struct document *d,
    struct gen_err *err);
/* Rename the temporary files into place (after the commit). */
enum gen_rc api_files_publish(struct api_files *f, struct gen_err *err);
void api_files_free(struct api_files *f);

/*
 * Refuse (GEN_EINPUT, naming path and what is allowed) a target whose
 * replacement would destroy something: the database db_path or one of
 * its -wal, -shm, -journal files (the same device and inode, or the same
 * name in the same folder), anything that exists and is not a regular
 * file (directory, FIFO, device, socket), a last component that is a
 * symbolic link.  db_path may be NULL.  GEN_EIO when path cannot be
 * checked.
 */
enum gen_rc api_check_target(const char *path, const char *db_path,
    struct gen_err *err);
/*
 * Write data to path atomically: api_check_target() (before anything is
 * written, and again before the rename), a temporary file in the same
 * directory, fsync, rename, fsync of the directory.  The directory is
 * created if missing.  GEN_EIO names the path and the system error.
 */
enum gen_rc api_write_atomic(const char *path, const char *db_path,
    const void *data, size_t len, struct gen_err *err);
/*
 * The umask of the calling thread (a worker of `invgen serve` has its
 * caller's), read from /proc without changing it; 077 when unknown.
 */
mode_t api_umask(void);
/*
 * The issued file out_dir/NUMBER.pdf of cfg, read without following a
 * symbolic link, only if it is a regular file whose SHA-256 is sha256 (a
 * path is never taken from anyone: a number that is not a safe file name
 * is GEN_EINPUT).  Its bytes into *out when out is not NULL.  GEN_EIO
 * names the file and what is wrong with it.
 */
enum gen_rc api_read_document(const struct config *cfg, const char *number,
    const char *sha256, struct buf *out, struct gen_err *err);
/*
 * The first half of api_write_atomic: data into a new temporary file
 * PATH.tmp.XXXXXX (mode 0666 less the umask) in path's directory, created
 * if missing;
 * fsync'ed when sync is set.  *tmp (owned) is its name and *fd its open
 * descriptor, which holds an flock on it: the caller renames the file
 * into place or unlinks it, then closes *fd.  While the lock is held no
 * cleaner removes the file (api_remove_if_abandoned).  GEN_EIO names the
 * file.
 */
enum gen_rc api_write_temp(const char *path, const void *data, size_t len,
    int sync, char **tmp, int *fd, struct gen_err *err);
/* 1 if name has the form of a temporary file: NAME.tmp. and six letters
 * or digits (a slot number or mkstemp's characters). */
int api_is_temp_name(const char *name);
/*
 * Remove dir/name if it is an abandoned temporary file (NAME.tmp.XXXXXX
 * whose writer's lock is gone); 1 if it was removed.
 */
int api_remove_if_abandoned(int dirfd, const char *name);
/* mkdir -p dir; GEN_EIO when a part cannot be created or is not a
 * directory. */
enum gen_rc api_make_dirs(const char *dir, struct gen_err *err);
/* File name suffix of a format: "pdf", "ubl.xml", "cii.xml",
 * "facturx.pdf"; NULL for an unknown format. */
const char *api_file_suffix(const char *format);
/* SHA-256 of the file at path in hex; 0 if it cannot be read. */
int api_file_sha256(const char *path, char hex[65]);

#endif
