/*
 * bench_blob.c - the cost of storing one large file (a month's
 * population.jsonl) in a trail: libgit2's git_blob_create_from_buffer beside
 * ssaudit's own writer (audit/git/bigblob.c), each into a fresh trail, with
 * the wall and CPU time of each and a check that both give the same id.
 *
 *   bench_blob FILE WORKDIR [ROUNDS]
 *
 * WORKDIR must not exist; it is removed at the end. Fsync is as the trail's
 * default (on; SSAUDIT_FSYNC=0 turns it off).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "error.h"
#include "git_int.h"
#include "trail.h"

struct clock3 {
	double wall, user, sys;
};

static struct clock3 now(void)
{
	struct timespec ts;
	struct rusage ru;
	struct clock3 c;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	getrusage(RUSAGE_SELF, &ru); /* all threads */
	c.wall = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	c.user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	c.sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	return c;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *d;

	if (f == NULL || fstat(fileno(f), &st) != 0)
		return NULL;
	d = malloc((size_t)st.st_size + 1);
	if (d == NULL || fread(d, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(d);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)st.st_size;
	return d;
}

int main(int argc, char **argv)
{
	char path[4096], cmd[8300], hex[2][41];
	struct ss_trail *t = NULL;
	int rounds = argc > 3 ? atoi(argv[3]) : 1, r, way;
	size_t len = 0;
	char *data;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_blob FILE WORKDIR [ROUNDS]\n");
		return 2;
	}
	if ((data = slurp(argv[1], &len)) == NULL) {
		fprintf(stderr, "bench_blob: cannot read '%s'\n", argv[1]);
		return 1;
	}
	if (mkdir(argv[2], 0777) != 0) {
		fprintf(stderr, "bench_blob: cannot make '%s'\n", argv[2]);
		return 1;
	}
	printf("%zu bytes\n", len);
	for (r = 0; r < rounds; r++) {
		for (way = 0; way < 2; way++) {
			struct clock3 a, b;
			git_oid id;
			int rc;

			snprintf(path, sizeof(path), "%s/%d-%d.git", argv[2], r, way);
			if (ss_git_create(path, &t) != 0) {
				fprintf(stderr, "bench_blob: %s\n", ss_error_message());
				return 1;
			}
			a = now();
			if (way == 0)
				rc = git_blob_create_from_buffer(&id, t->repo, data, len) < 0 ? -1
				                                                              : 0;
			else
				rc = ss_git_bigblob_write(t, &id, data, len, "population.jsonl");
			b = now();
			if (rc != 0) {
				fprintf(stderr, "bench_blob: the write failed: %s\n",
				        way == 0 ? ss_git_msg() : ss_error_message());
				return 1;
			}
			ss_git_hex(&id, hex[way]);
			printf("%-32s %7.2f s wall %7.2f s user %6.2f s sys\n",
			       way == 0 ? "libgit2 (SHA-1DC, 1 thread)"
			                : "ssaudit (libcrypto, threads)",
			       b.wall - a.wall, b.user - a.user, b.sys - a.sys);
			ss_git_free(t);
		}
		if (strcmp(hex[0], hex[1]) != 0) {
			fprintf(stderr, "bench_blob: the ids differ: %s %s\n", hex[0], hex[1]);
			return 1;
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", argv[2]);
	free(data);
	return system(cmd) == 0 ? 0 : 1;
}
