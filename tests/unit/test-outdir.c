/*
 * test-outdir.c - publishing files into an output folder held open
 * (outdir.c): the bytes arrive under the name and nowhere else, with the
 * mode the umask gives, replacing a damaged file or a planted link (never
 * writing through it), leaving no temporary file; the same where O_TMPFILE
 * fails (the test build's INVGEN_FAULT=no-tmpfile* faults, gen/base/fault.h: as on NFS, an old
 * kernel, a system without /proc); names that are not one component are
 * refused; outdir_sha256 tells missing, other, wrong size and a hashed
 * file apart; temporary names skip one in use and reuse an abandoned one;
 * two threads publishing into one folder.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "buf.h"
#include "outdir.h"
#include "sha256.h"
#include "testlib.h"

static char top[] = "/tmp/test-outdir.XXXXXX";

/* The bytes of dir/name (NULL if it cannot be read); *mode its mode. */
static char *
slurp(const char *dir, const char *name, size_t *len, mode_t *mode)
{
	char path[PATH_MAX];
	struct stat sb;
	char *p;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (fp = fopen(path, "rb")) == NULL)
		return NULL;
	p = malloc((size_t)sb.st_size + 1);
	*len = fread(p, 1, (size_t)sb.st_size, fp);
	fclose(fp);
	if (mode != NULL)
		*mode = sb.st_mode & 07777;
	return p;
}

/* 1 if dir/name holds exactly text, with the given mode. */
static int
holds(const char *dir, const char *name, const char *text, mode_t want)
{
	size_t len;
	mode_t mode = 0;
	char *p = slurp(dir, name, &len, &mode);
	int ok = p != NULL && len == strlen(text) &&
	    memcmp(p, text, len) == 0 && mode == want;

	if (!ok)
		fprintf(stderr, "%s/%s: %s, mode %o\n", dir, name,
		    p == NULL ? "unreadable" : "other bytes", (unsigned)mode);
	free(p);
	return ok;
}

/* The number of entries of dir whose name contains ".tmp." */
static int
temp_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".tmp.") != NULL)
			n++;
	closedir(d);
	return n;
}

/* 1 if the file system at dir is one that has O_TMPFILE. */
static int
has_tmpfile(const char *dir)
{
	struct statfs sf;

	if (statfs(dir, &sf) != 0)
		return 0;
	/* ext2/3/4, tmpfs, xfs, btrfs */
	return sf.f_type == 0xEF53 || sf.f_type == 0x01021994 ||
	    sf.f_type == 0x58465342 || sf.f_type == 0x9123683E;
}

/* Publishing, replacing, refusing, in one folder; tmpfile: whether
 * O_TMPFILE is expected to stay in use. */
static void
test_publish(const char *sub, int tmpfile)
{
	struct gen_err err = { 0 };
	struct outdir *od = NULL;
	char dir[1024], path[PATH_MAX], victim[PATH_MAX], hex[65],
	    want[65];
	mode_t old = umask(027);

	snprintf(dir, sizeof(dir), "%s/%s/a/b", top, sub);
	CHECK_INT(outdir_open(dir, 1, &od, &err), GEN_OK);
	if (od == NULL) {
		fprintf(stderr, "outdir_open: %s\n", err.msg);
		umask(old);
		return;
	}
	CHECK_STR(outdir_path(od), dir);

	/* a new file: the bytes, the mode the umask gives */
	CHECK_INT(outdir_publish(od, "A-1.pdf", "%PDF-1 one", 10, &err), GEN_OK);
	CHECK(holds(dir, "A-1.pdf", "%PDF-1 one", 0640));
	umask(0);
	CHECK_INT(outdir_publish(od, "A-2.pdf", "two", 3, &err), GEN_OK);
	CHECK(holds(dir, "A-2.pdf", "two", 0666));
	umask(027);
	CHECK_INT(outdir_publish(od, "empty.xml", "", 0, &err), GEN_OK);
	CHECK(holds(dir, "empty.xml", "", 0640));
	if (has_tmpfile(dir))
		CHECK_INT(outdir_tmpfile(od), tmpfile);

	/* a damaged file is replaced */
	CHECK_INT(outdir_publish(od, "A-1.pdf", "%PDF-1 ONE!", 11, &err),
	    GEN_OK);
	CHECK(holds(dir, "A-1.pdf", "%PDF-1 ONE!", 0640));

	/* a planted link is replaced, its target untouched */
	snprintf(victim, sizeof(victim), "%s/%s/victim", top, sub);
	{
		FILE *fp = fopen(victim, "w");

		fputs("precious", fp);
		fclose(fp);
	}
	snprintf(path, sizeof(path), "%s/A-3.pdf", dir);
	CHECK(symlink(victim, path) == 0);
	CHECK_INT(outdir_sha256(od, "A-3.pdf", -1, hex), OUTDIR_OTHER);
	CHECK_INT(outdir_publish(od, "A-3.pdf", "three", 5, &err), GEN_OK);
	CHECK(holds(dir, "A-3.pdf", "three", 0640));
	snprintf(path, sizeof(path), "%s/%s", top, sub);
	CHECK(holds(path, "victim", "precious", 0640));
	/* a dangling link too */
	snprintf(path, sizeof(path), "%s/A-4.pdf", dir);
	CHECK(symlink("../../nowhere.pdf", path) == 0);
	CHECK_INT(outdir_publish(od, "A-4.pdf", "four", 4, &err), GEN_OK);
	CHECK(holds(dir, "A-4.pdf", "four", 0640));
	snprintf(path, sizeof(path), "%s/%s/nowhere.pdf", top, sub);
	CHECK(access(path, F_OK) != 0);

	/* names that are not one component */
	CHECK_INT(outdir_publish(od, "../x.pdf", "x", 1, &err), GEN_EINPUT);
	CHECK_MSG(err, "not a file name inside");
	CHECK_INT(outdir_publish(od, "..", "x", 1, &err), GEN_EINPUT);
	CHECK_INT(outdir_publish(od, "", "x", 1, &err), GEN_EINPUT);
	CHECK_INT(outdir_publish(od, "a/b.pdf", "x", 1, &err), GEN_EINPUT);
	snprintf(path, sizeof(path), "%s/%s/a/x.pdf", top, sub);
	CHECK(access(path, F_OK) != 0);

	/* a name taken by a folder: an error naming it, nothing left */
	snprintf(path, sizeof(path), "%s/D.pdf", dir);
	CHECK(mkdir(path, 0777) == 0);
	CHECK_INT(outdir_publish(od, "D.pdf", "d", 1, &err), GEN_EIO);
	CHECK_MSG(err, "D.pdf");
	CHECK_MSG(err, "Is a directory");

	/* looking at names */
	sha256_hex("two", 3, want);
	CHECK_INT(outdir_sha256(od, "A-2.pdf", -1, hex), OUTDIR_FILE);
	CHECK_STR(hex, want);
	CHECK_INT(outdir_sha256(od, "A-2.pdf", 3, hex), OUTDIR_FILE);
	CHECK_INT(outdir_sha256(od, "A-2.pdf", 4, hex), OUTDIR_SIZE);
	CHECK_INT(outdir_sha256(od, "A-9.pdf", -1, hex), OUTDIR_MISSING);
	CHECK_INT(outdir_sha256(od, "D.pdf", -1, hex), OUTDIR_OTHER);
	CHECK_INT(outdir_sha256(od, "../victim", -1, hex), OUTDIR_OTHER);

	CHECK_INT(temp_files(dir), 0);
	outdir_close(od);
	umask(old);
}

static void
test_fallback(void)
{
	/* no switch: O_TMPFILE stays in use */
	unsetenv("INVGEN_FAULT");
	test_publish("tmpfile", 1);
	/* as on NFS or CIFS */
	setenv("INVGEN_FAULT", "no-tmpfile", 1);
	test_publish("nfs", 0);
	/* as on a kernel before 3.11, which takes O_TMPFILE as O_DIRECTORY */
	setenv("INVGEN_FAULT", "no-tmpfile-eisdir", 1);
	test_publish("old", 0);
	/* O_TMPFILE works but the link through /proc does not */
	setenv("INVGEN_FAULT", "no-tmpfile-link", 1);
	test_publish("noproc", 0);
	unsetenv("INVGEN_FAULT");
}

static void
test_temp_names(void)
{
	struct gen_err err = { 0 };
	struct outdir *od = NULL;
	char dir[1024], path[PATH_MAX], t1[NAME_MAX + 1],
	    t2[NAME_MAX + 1], t3[NAME_MAX + 1];
	int fd1 = -1, fd2 = -1, fd3 = -1;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/temp", top);
	CHECK_INT(outdir_open(dir, 1, &od, &err), GEN_OK);
	if (od == NULL)
		return;
	/* an abandoned one (no lock) is cleared and its name reused */
	snprintf(path, sizeof(path), "%s/m.csv.tmp.000000", dir);
	fp = fopen(path, "w");
	fputs("old", fp);
	fclose(fp);
	CHECK_INT(outdir_temp(od, "m.csv", t1, sizeof(t1), &fd1, &err), GEN_OK);
	CHECK_STR(t1, "m.csv.tmp.000000");
	CHECK(fd1 >= 0 && flock(fd1, LOCK_EX | LOCK_NB) == 0);
	{
		struct stat sb;

		CHECK(fstat(fd1, &sb) == 0 && sb.st_size == 0);
	}
	/* one in use (locked) is skipped */
	CHECK_INT(outdir_temp(od, "m.csv", t2, sizeof(t2), &fd2, &err), GEN_OK);
	CHECK_STR(t2, "m.csv.tmp.000001");
	CHECK_INT(write(fd2, "new", 3), 3);
	CHECK_INT(outdir_rename(od, t2, "m.csv", &err), GEN_OK);
	CHECK(holds(dir, "m.csv", "new", 0644));
	close(fd2);
	/* a third while the first is still held: the free number */
	CHECK_INT(outdir_temp(od, "m.csv", t3, sizeof(t3), &fd3, &err), GEN_OK);
	CHECK_STR(t3, "m.csv.tmp.000001");
	CHECK_INT(outdir_rename(od, "nothing.tmp.000000", "m.csv", &err),
	    GEN_EIO);
	CHECK_MSG(err, "No such file");
	close(fd1);
	close(fd3);
	outdir_close(od);
}

/* Two threads publishing 200 files each into one folder. */
struct job {
	struct outdir *od;
	int from;
	int failures;
};

static void *
publisher(void *arg)
{
	struct job *j = arg;
	struct gen_err err = { 0 };
	char name[32], text[32];

	for (int i = j->from; i < j->from + 200; i++) {
		snprintf(name, sizeof(name), "T-%04d.pdf", i);
		snprintf(text, sizeof(text), "file %d", i);
		if (outdir_publish(j->od, name, text, strlen(text), &err) !=
		    GEN_OK)
			j->failures++;
	}
	return NULL;
}

static void
test_threads(void)
{
	struct gen_err err = { 0 };
	struct job j[2] = { { NULL, 0, 0 }, { NULL, 200, 0 } };
	pthread_t t[2];
	char dir[PATH_MAX], name[32], text[32];
	int bad = 0;

	snprintf(dir, sizeof(dir), "%s/threads", top);
	CHECK_INT(outdir_open(dir, 1, &j[0].od, &err), GEN_OK);
	if (j[0].od == NULL)
		return;
	j[1].od = j[0].od;
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, publisher, &j[i]) == 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(j[0].failures + j[1].failures, 0);
	for (int i = 0; i < 400; i++) {
		snprintf(name, sizeof(name), "T-%04d.pdf", i);
		snprintf(text, sizeof(text), "file %d", i);
		bad += !holds(dir, name, text, 0644);
	}
	CHECK_INT(bad, 0);
	CHECK_INT(temp_files(dir), 0);
	outdir_close(j[0].od);
}

static void
test_open_errors(void)
{
	struct gen_err err = { 0 };
	struct outdir *od = NULL;
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/afile", top);
	fp = fopen(path, "w");
	fclose(fp);
	snprintf(path, sizeof(path), "%s/afile/sub", top);
	CHECK_INT(outdir_open(path, 1, &od, &err), GEN_EIO);
	CHECK_MSG(err, "afile/sub: Not a directory");
	CHECK(od == NULL);
	outdir_close(NULL);
}

int
main(void)
{
	char cmd[PATH_MAX + 16];
	int rc;

	if (mkdtemp(top) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	umask(022);
	test_fallback();
	test_temp_names();
	test_threads();
	test_open_errors();
	rc = test_report();
	if (rc == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
		if (system(cmd) != 0)
			return 1;
	}
	return rc;
}
