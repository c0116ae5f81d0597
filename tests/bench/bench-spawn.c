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

#include "timing.h"

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
		double t0;
		int status;
		pid_t pid;

		line[strcspn(line, "\n")] = '\0';
		for (int i = 2; i < argc; i++)
			av[i - 2] = argv[i];
		av[argc - 2] = line;
		t0 = now_ms();
		pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			execv(av[0], av);
			_exit(127);
		}
		waitpid(pid, &status, 0);
		t0 = now_ms() - t0;
		free(av);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "bench-spawn: '%s %s' failed (status %d)\n",
			    argv[2], line, status);
			return 1;
		}
		if (n == cap)
			t = realloc(t, (cap = cap ? cap * 2 : 256) * sizeof(*t));
		t[n++] = t0;
	}
	if (n == 0)
		return 1;
	times_report(argv[1], t, n);
	free(t);
	return 0;
}
