/*
 * files.h - the files invgen writes (files.c): the rendered files of a
 * document published after its transaction commits, a caller's target
 * written atomically, the checks that keep a write from destroying
 * anything, and the temporary files and their cleaning.  It knows the
 * configuration, the store and the renderer below it, never the library
 * handle above it (struct invgen, api_private.h).
 *
 * Rendered files are written in two steps so that a failed call leaves
 * nothing behind: inside the issuing transaction the finish callback
 * (struct files.finish, passed to issue_*()) renders each file into a
 * temporary name in the output directory and records its SHA-256; after
 * the commit files_publish() renames them into place.  files_free()
 * removes any temporary file still there.
 *
 * Every file is created with mode 0666 less the umask of the calling
 * thread (a worker of `invgen serve` has its caller's), as cp and curl -o
 * do.
 */
#ifndef INVGEN_FILES_H
#define INVGEN_FILES_H

#include <sys/types.h>

#include "buf.h"
#include "config.h"
#include "docjson.h"
#include "issue.h"
#include "store.h"
#include "text.h"

struct render_cache;

/* Files of one call: up to 16 documents of a flow, one file each. */
#define FILES_MAX 16

struct files {
	const struct config *cfg;	/* out_dir, and rendering */
	struct store *store;		/* where hashes are recorded */
	struct render_cache *cache;	/* may be NULL */
	struct issue_finish finish;	/* pass to issue_*() */
	struct docjson_file list[FILES_MAX];
	size_t n;
	char *tmp[FILES_MAX];		/* owned; NULL once renamed */
	char *path[FILES_MAX];		/* owned */
	char sha[FILES_MAX][65];
	int fd[FILES_MAX];		/* locked temporary files, or -1 */
	struct text_warnings warn;	/* characters drawn as replacements */
};

/* Ready f for one call; the three pointers are borrowed for its life. */
void files_init(struct files *f, const struct config *cfg, struct store *s,
    struct render_cache *cache);
/* For a document issued earlier: list its files; re-create a missing or
 * damaged file from the snapshot when the re-rendering matches the stored
 * hash (GEN_ECONFLICT when it does not). */
enum gen_rc files_existing(struct files *f, const struct document *d,
    struct gen_err *err);
/* Rename the temporary files into place (after the commit). */
enum gen_rc files_publish(struct files *f, struct gen_err *err);
void files_free(struct files *f);

/*
 * Refuse (GEN_EINPUT, naming path and what is allowed) a target whose
 * replacement would destroy something: the database db_path or one of
 * its -wal, -shm, -journal files (the same device and inode, or the same
 * name in the same folder), anything that exists and is not a regular
 * file (directory, FIFO, device, socket), a last component that is a
 * symbolic link.  db_path may be NULL.  GEN_EIO when path cannot be
 * checked.
 */
enum gen_rc files_check_target(const char *path, const char *db_path,
    struct gen_err *err);
/*
 * Write data to path atomically: files_check_target() (before anything
 * is written, and again before the rename), a temporary file in the same
 * directory, fsync, rename, fsync of the directory.  The directory is
 * created if missing.  GEN_EIO names the path and the system error.
 */
enum gen_rc files_write_atomic(const char *path, const char *db_path,
    const void *data, size_t len, struct gen_err *err);
/*
 * The umask of the calling thread (a worker of `invgen serve` has its
 * caller's), read from /proc without changing it; 077 when unknown.
 */
mode_t files_umask(void);
/*
 * The issued file out_dir/NUMBER.pdf of cfg, read without following a
 * symbolic link, only if it is a regular file whose SHA-256 is sha256 (a
 * path is never taken from anyone: a number that is not a safe file name
 * is GEN_EINPUT).  Its bytes into *out when out is not NULL.  GEN_EIO
 * names the file and what is wrong with it.
 */
enum gen_rc files_read_document(const struct config *cfg, const char *number,
    const char *sha256, struct buf *out, struct gen_err *err);
/*
 * The first half of files_write_atomic: data into a new temporary file
 * PATH.tmp.XXXXXX (mode 0666 less the umask) in path's directory, created
 * if missing; fsync'ed when sync is set.  *tmp (owned) is its name and
 * *fd its open descriptor, which holds an flock on it: the caller renames
 * the file into place or unlinks it, then closes *fd.  While the lock is
 * held no cleaner removes the file (files_remove_if_abandoned).  GEN_EIO
 * names the file.
 */
enum gen_rc files_write_temp(const char *path, const void *data, size_t len,
    int sync, char **tmp, int *fd, struct gen_err *err);
/* 1 if name has the form of a temporary file: NAME.tmp. and six letters
 * or digits (a slot number or mkstemp's characters). */
int files_is_temp_name(const char *name);
/*
 * Remove dir/name if it is an abandoned temporary file (NAME.tmp.XXXXXX
 * whose writer's lock is gone); 1 if it was removed.
 */
int files_remove_if_abandoned(int dirfd, const char *name);
/* mkdir -p dir; GEN_EIO when a part cannot be created or is not a
 * directory. */
enum gen_rc files_make_dirs(const char *dir, struct gen_err *err);
/* File name suffix of a format: "pdf", "ubl.xml", "cii.xml",
 * "facturx.pdf"; NULL for an unknown format. */
const char *files_suffix(const char *format);
/*
 * The path of document number's file of format in cfg's output folder
 * (owned) when it is there, a regular file with the SHA-256 sha256; NULL
 * when not, or when number is not a safe file name.  Only reads.
 */
char *files_issued_path(const struct config *cfg, const char *number,
    const char *format, const char *sha256);
/* SHA-256 of the file at path in hex; 0 if it cannot be read. */
int files_sha256(const char *path, char hex[65]);
/* A document's number as a file name, or GEN_EINPUT: a number that was
 * made a path (a seller row or a document edited with SQL) must never
 * lead a file outside its folder. */
enum gen_rc files_check_name(const char *number, struct gen_err *err);

#endif
