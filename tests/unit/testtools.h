/*
 * testtools.h - file and outside-tool helpers the unit tests share:
 * finding a tool (qpdf, pdftotext, pdftoppm, zbarimg, ...), running a
 * command for its output, writing and reading a file.
 * Include after testlib.h and buf.h.  Inline, so that a test using part
 * of it compiles warning-free.
 */
#ifndef INVGEN_TESTTOOLS_H
#define INVGEN_TESTTOOLS_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"

/*
 * The source tree, found from the test itself: $TOP, else
 * $INVGEN_DATA_DIR (tests/run.sh sets both to the tree), else two folders
 * above the program (build/san/test-NAME), else ".".  Never a path
 * outside the checkout the test was built in.
 */
static inline const char *
tree_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("TOP");
	char *slash;
	ssize_t n;
	int i;

	if (env == NULL || *env == '\0')
		env = getenv("INVGEN_DATA_DIR");
	if (env != NULL && *env != '\0')
		return env;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		return ".";
	dir[n] = '\0';
	for (i = 0; i < 3; i++) {
		if ((slash = strrchr(dir, '/')) == NULL)
			return ".";
		*slash = '\0';
	}
	return dir[0] != '\0' ? dir : "/";
}

/* The fonts the tests draw with: $INVGEN_TEST_FONT_DIR when set (a test
 * that runs itself again passes its folder on), else the tree's fonts/. */
static inline const char *
test_font_dir(void)
{
	static char dir[PATH_MAX + 8];
	const char *env = getenv("INVGEN_TEST_FONT_DIR");

	if (env != NULL && *env != '\0')
		return env;
	snprintf(dir, sizeof(dir), "%s/fonts", tree_dir());
	return dir;
}

/*
 * An outside tool, file or locale the test uses is not there (what: "qpdf
 * not installed"): a SKIP line, and 0 so the caller leaves out the checks
 * that need it.  Under make check (INVGEN_TEST_TOOLS=required) it is a
 * FAIL and the test exits 1 instead: make check installs every Debian
 * package the tests use first, so there a missing tool is a broken
 * install step, not a reason to check less.
 */
static inline int
tool_missing(const char *what)
{
	const char *req = getenv("INVGEN_TEST_TOOLS");

	if (req != NULL && strcmp(req, "required") == 0) {
		printf("FAIL: %s, though make check installs it (Makefile "
		    "DEB_TEST)\n", what);
		fflush(stdout);
		exit(1);
	}
	printf("SKIP: %s\n", what);
	return 0;
}

/* 1 if the command name is installed; otherwise tool_missing. */
static inline int
have_tool(const char *name)
{
	char cmd[256], what[300];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
	if (system(cmd) == 0)
		return 1;
	snprintf(what, sizeof(what), "%s not installed", name);
	return tool_missing(what);
}

/* Run cmd and collect its standard output; returns its exit status. */
static inline int
run(const char *cmd, struct buf *out)
{
	char chunk[4096];
	size_t n;
	FILE *fp;
	int st;

	buf_reset(out);
	fp = popen(cmd, "r");
	if (fp == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(out, chunk, n);
	st = pclose(fp);
	if (out->data == NULL)
		buf_append(out, "", 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Write len bytes of data to path; 1 on success. */
static inline int
write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	int ok;

	if (fp == NULL)
		return 0;
	ok = fwrite(data, 1, len, fp) == len;
	return fclose(fp) == 0 && ok;
}

/* Read the whole file at path into b (a string even when empty); 1 on
 * success. */
static inline int
read_file(const char *path, struct buf *b)
{
	char chunk[4096];
	size_t n;
	FILE *fp = fopen(path, "rb");

	buf_reset(b);
	if (fp == NULL)
		return 0;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(b, chunk, n);
	fclose(fp);
	if (b->data == NULL)
		buf_append(b, "", 0);
	return 1;
}

#endif
