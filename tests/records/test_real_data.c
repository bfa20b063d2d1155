/* Every data.police.uk file in the shared folder reads, with SOURCES.tsv's row counts. */
#include "rtest.h"

#include <dirent.h>

static char dir[4096];

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* Read every CSV the manifest lists, checking each row count; returns the jsonl. */
static char *read_all(size_t *nfiles, size_t *nrec)
{
	char path[4600], *tsv, *line, *save = NULL;
	struct ss_population *pop;
	struct ss_buf out = SS_BUF_INIT;
	size_t len, i;

	snprintf(path, sizeof(path), "%s/SOURCES.tsv", dir);
	tsv = slurp(path, &len);
	assert_int_equal(ss_population_new(&pop), 0);
	*nfiles = 0;
	for (line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *col[9], *s2 = NULL, *base;
		size_t k = 0, before = pop->n;

		for (col[k] = strtok_r(line, "\t", &s2); col[k] && k < 8;)
			col[++k] = strtok_r(NULL, "\t", &s2);
		if (k < 8 || strcmp(col[0], "local_file") == 0)
			continue;
		base = strrchr(col[0], '/') ? strrchr(col[0], '/') + 1 : col[0];
		snprintf(path, sizeof(path), "%s/%s", dir, base);
		if (ss_read_file(path, base, NULL, pop, NULL) != 0)
			fail_msg("%s", ss_error_message());
		assert_int_equal(pop->n - before, strtoul(col[6], NULL, 10));
		assert_int_equal(pop->sources[pop->nsources - 1].rows, strtoul(col[6], NULL, 10));
		assert_int_equal(pop->sources[pop->nsources - 1].format, SS_FORMAT_POLICE_CSV);
		assert_string_equal(pop->sources[pop->nsources - 1].name, base);
		assert_memory_equal(pop->sources[pop->nsources - 1].sha256, col[8], strlen(col[8]));
		(*nfiles)++;
	}
	assert_int_equal(ss_population_assign_ids(pop), 0);
	for (i = 1; i < pop->n; i++)
		assert_true(strcmp(pop->rec[i - 1].id, pop->rec[i].id) < 0); /* sorted, unique */
	assert_int_equal(ss_population_to_jsonl(pop, &out), 0);
	*nrec = pop->n;
	ss_population_free(pop);
	free(tsv);
	return ss_buf_detach(&out);
}

static void test_records_real__every_file_reads_the_same_twice(void **state)
{
	size_t n1, n2, r1, r2;
	char *a, *b;

	(void)state;
	a = read_all(&n1, &r1);
	b = read_all(&n2, &r2);
	assert_int_equal(n1, n2);
	assert_true(n1 >= 26); /* SOURCES.tsv lists 26 files */
	assert_int_equal(r1, r2);
	assert_true(r1 > 20000);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_real__every_file_reads_the_same_twice),
	};
	const char *shared = getenv("SS_SHARED_DIR");
	DIR *d;

	if (shared == NULL) {
		printf("SS_SHARED_DIR is not set; skipping\n");
		return 77;
	}
	snprintf(dir, sizeof(dir), "%s/data/police-uk", shared);
	d = opendir(dir);
	if (d == NULL) {
		printf("%s is absent; skipping\n", dir);
		return 77;
	}
	closedir(d);
	if (ss_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
