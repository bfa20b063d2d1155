/*
 * bench_rusage.c - run a command and write its peak resident memory (KiB) to
 * a file. Used by tests/bench/measure.py.
 *
 *   bench_rusage OUT COMMAND [ARG...]
 *
 * Why not let Python wait for the command itself: Linux carries a process's
 * memory high-water mark across exec, so anything forked from the Python
 * interpreter reports at least the interpreter's size (about 15 MiB) as its
 * peak. Forked from this small program, the floor is about 1 MiB. The peak
 * covers the command and every child it waited for (the largest one, not
 * the sum). Exits with the command's status (128 + signal when killed).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int status = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_rusage OUT COMMAND [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench_rusage: cannot fork: %s\n", strerror(errno));
		return 71;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "bench_rusage: cannot run '%s': %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "bench_rusage: wait: %s\n", strerror(errno));
			return 71;
		}
	}
	out = fopen(argv[1], "w");
	if (out == NULL || fprintf(out, "%ld\n", ru.ru_maxrss) < 0 || fclose(out) != 0) {
		fprintf(stderr, "bench_rusage: cannot write '%s'\n", argv[1]);
		return 74;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
