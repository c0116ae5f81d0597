/*
 * bench-spawn.c - fresh-process latency for `make bench`: runs a command
 * once per argument line read from stdin (fork + exec, as a bot would
 * call invgen) and prints the median and 99th percentile wall time.  A
 * call that fails stops the benchmark with its exit status.
 *
 * usage: bench-spawn LABEL PROGRAM [ARGS...] < lines
 *   each stdin line is one extra argument appended to the command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	char line[4096];
	double *t = NULL;
	size_t n = 0, cap = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s LABEL PROGRAM [ARGS...] < lines\n",
		    argv[0]);
		return 2;
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char **av = calloc((size_t)argc + 1, sizeof(*av));
		struct timespec a, b;
		int status;
		pid_t pid;

		line[strcspn(line, "\n")] = '\0';
		for (int i = 2; i < argc; i++)
			av[i - 2] = argv[i];
		av[argc - 2] = line;
		clock_gettime(CLOCK_MONOTONIC, &a);
		pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			execv(av[0], av);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		free(av);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench-spawn: '%s %s' failed (status %d)\n",
			    argv[2], line, status);
			return 1;
		}
		if (n == cap)
			t = realloc(t, (cap = cap ? cap * 2 : 256) * sizeof(*t));
		t[n++] = (b.tv_sec - a.tv_sec) * 1e3 +
		    (b.tv_nsec - a.tv_nsec) / 1e6;
	}
	if (n == 0)
		return 1;
	qsort(t, n, sizeof(*t), cmp);
	printf("%s: median %.1f ms, p99 %.1f ms, max %.1f ms over %zu calls\n",
	    argv[1], t[n / 2], t[(n * 99) / 100], t[n - 1], n);
	free(t);
	return 0;
}
