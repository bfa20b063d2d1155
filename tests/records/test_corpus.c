/*
 * The bad-input corpus: every file in tests/corpus/records/EXPECT is refused
 * with its exit code and a message "FILE:LINE:COL: ..." holding the expected
 * words; every file in tests/corpus/records/good/ reads.
 */
#include "rtest.h"

#include <dirent.h>

static char corpus[4096];

static void test_records_corpus__bad_files_are_refused_with_position(void **state)
{
	char path[4600], line[1024];
	FILE *f;
	size_t n = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/EXPECT", corpus);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *file, *exit_s, *pos, *want, *save = NULL, prefix[1200];
		struct ss_population *pop;
		struct ss_diags d = {0};
		int err;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		file = strtok_r(line, "\t", &save);
		exit_s = strtok_r(NULL, "\t", &save);
		pos = strtok_r(NULL, "\t", &save);
		want = strtok_r(NULL, "\t", &save);
		assert_non_null(want);
		snprintf(path, sizeof(path), "%s/%s", corpus, file);
		assert_int_equal(ss_population_new(&pop), 0);
		d.limit = 10;
		err = ss_read_file(path, file, NULL, pop, &d);
		if (getenv("SS_CORPUS_PRINT")) {
			printf("%s\t%d\t%s\n", file, -err, ss_error_message());
			ss_diags_release(&d);
			ss_population_free(pop);
			continue;
		}
		snprintf(prefix, sizeof(prefix), "%s:%s: ", file, pos);
		if (ss_error_exit_status(err) != atoi(exit_s) ||
		    strncmp(ss_error_message(), prefix, strlen(prefix)) != 0 ||
		    strstr(ss_error_message(), want) == NULL)
			fail_msg("%s: got %d \"%s\", expected %s \"%s...%s...\"", file, -err,
			         ss_error_message(), exit_s, prefix, want);
		/* nothing of a refused file is kept */
		assert_int_equal(pop->n, 0);
		assert_int_equal(pop->nsources, 0);
		/* the first diagnostic is the message */
		assert_true(d.n >= 1);
		assert_int_equal(d.d[0].line, strtoul(pos, NULL, 10));
		ss_diags_release(&d);
		ss_population_free(pop);
		n++;
	}
	fclose(f);
	assert_true(n >= 25);
}

static void test_records_corpus__good_files_read(void **state)
{
	char dir[4600], path[4900];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/good", corpus);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		struct ss_population *pop;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(ss_population_new(&pop), 0);
		if (ss_read_file(path, e->d_name, NULL, pop, NULL) != 0)
			fail_msg("%s: %s", e->d_name, ss_error_message());
		assert_int_equal(pop->nsources, 1);
		assert_int_equal(ss_population_assign_ids(pop), 0);
		ss_population_free(pop);
		n++;
	}
	closedir(d);
	assert_true(n >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_corpus__bad_files_are_refused_with_position),
	    cmocka_unit_test(test_records_corpus__good_files_read),
	};
	const char *src = getenv("SS_SOURCE_DIR");

	if (src == NULL) {
		printf("SS_SOURCE_DIR is not set; skipping\n");
		return 77;
	}
	snprintf(corpus, sizeof(corpus), "%s/tests/corpus/records", src);
	if (ss_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
