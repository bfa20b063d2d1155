/* The streamed population.jsonl reader: the scan for the canonical form gives
 * what the strict parser gives, falls back to it on any other line, refuses
 * what it refuses in the same words, and reads a file split anywhere. */
#include "rtest.h"

#include <dirent.h>

#include "stored.h"
#include "synth.h"

#define ID_A "R-aaaaaaaaaaaaaaaa"
#define ID_B "R-bbbbbbbbbbbbbbbb"

#define AFTER_TYPE                                                                                 \
	"\"datetime\":\"2019-01-01T00:00:00+00:00\",\"operation\":false,\"operation_name\":null,"  \
	"\"latitude\":\"52.1\",\"longitude\":\"-4.2\",\"street\":\"On or near Caf\u00e9 Street\"," \
	"\"gender\":\"Male\",\"age_range\":\"18-24\",\"self_defined_ethnicity\":null,"             \
	"\"officer_defined_ethnicity\":\"White\",\"legislation\":\"Misuse of Drugs Act 1971 "      \
	"(section 23)\",\"object_of_search\":\"Controlled drugs\",\"outcome\":\"Arrest\","         \
	"\"outcome_linked_to_object_of_search\":true,\"removal_of_more_than_outer_clothing\":"     \
	"null,\"reference\":\"DP/1\",\"area\":\"Ceredigion\",\"officer\":null,\"grounds\":"        \
	"\"saw a bag\",\"bwv\":null,\"subject\":null}"

static char dir[4096];

/* The population both ways must print the same stored lines. */
static void assert_same(const struct ss_population *a, const struct ss_population *b)
{
	struct ss_buf x = SS_BUF_INIT, y = SS_BUF_INIT;

	assert_int_equal(a->n, b->n);
	assert_int_equal(ss_population_to_jsonl(a, &x), 0);
	assert_int_equal(ss_population_to_jsonl(b, &y), 0);
	assert_int_equal(x.len, y.len);
	if (x.len)
		assert_memory_equal(x.data, y.data, x.len);
	ss_buf_release(&x);
	ss_buf_release(&y);
}

/* One line both ways: the same record, and which path read it. */
static void line_both_ways(const char *line, bool want_fast)
{
	struct ss_population *pop, *strict;
	struct ss_buf tmp = SS_BUF_INIT, text = SS_BUF_INIT;
	struct ss_record *r;
	bool fast = !want_fast;

	assert_int_equal(ss_population_new(&pop), 0);
	assert_int_equal(ss_population_append(pop, &r), 0);
	assert_int_equal(
	    ss_stored_parse_line(pop, line, strlen(line), "p", 1, SS_STORED_ALL, r, &tmp, &fast),
	    0);
	assert_true(fast == want_fast);
	ss_buf_printf(&text, "%s\n", line);
	assert_int_equal(ss_population_from_jsonl(text.data, text.len, "p", &strict), 0);
	assert_same(pop, strict);
	ss_population_free(pop);
	ss_population_free(strict);
	ss_buf_release(&tmp);
	ss_buf_release(&text);
}

static void test_records_stored__canonical_lines_take_the_scan(void **state)
{
	(void)state;
	line_both_ways("{\"id\":\"" ID_A "\",\"type\":\"Person search\"," AFTER_TYPE, true);
	line_both_ways("{\"id\":\"" ID_A "\",\"type\":null," AFTER_TYPE, true);
}

static void test_records_stored__other_lines_fall_back(void **state)
{
	(void)state;
	/* an escape, a \u escape, white space, a surrogate pair: all valid, none canonical */
	line_both_ways("{\"id\":\"" ID_A "\",\"type\":\"Person \\\"search\\\"\"," AFTER_TYPE,
	               false);
	line_both_ways("{\"id\":\"" ID_A "\",\"type\":\"Caf\\u00e9\"," AFTER_TYPE, false);
	line_both_ways("{\"id\": \"" ID_A "\",\"type\":null," AFTER_TYPE, false);
	line_both_ways("{\"id\":\"" ID_A "\",\"type\":null,\t" AFTER_TYPE, false);
	line_both_ways("{\"id\":\"" ID_A "\",\"type\":\"\\ud83d\\ude00\"," AFTER_TYPE, false);
	line_both_ways("{\"id\":\"" ID_A "\",\"type\":null," AFTER_TYPE "  ", false);
}

/* The same refusal, word for word, from the reader and the strict parser. */
static void same_refusal(const char *text)
{
	struct ss_population *pop = NULL;
	char want[512];

	assert_int_equal(ss_population_from_jsonl(text, strlen(text), "p.jsonl", &pop), SS_EDATA);
	snprintf(want, sizeof(want), "%s", ss_error_message());
	assert_int_equal(ss_stored_read(text, strlen(text), "p.jsonl", NULL, &pop), SS_EDATA);
	assert_null(pop);
	assert_string_equal(ss_error_message(), want);
}

static void test_records_stored__refusals_are_the_strict_ones(void **state)
{
	(void)state;
	same_refusal("{\"id\":\"" ID_A "\",\"type\":\"\"," AFTER_TYPE "\n");
	same_refusal("{\"id\":\"" ID_A "\",\"type\":true," AFTER_TYPE "\n");
	same_refusal("{\"id\":\"R-AAAAAAAAAAAAAAAA\",\"type\":null," AFTER_TYPE "\n");
	same_refusal("{\"id\":\"" ID_A "\",\"type\":\"a\\u0000b\"," AFTER_TYPE "\n");
	same_refusal("{\"id\":\"" ID_A "\",\"type\":\"a\xff\"," AFTER_TYPE "\n");
	same_refusal("{\"id\":\"" ID_A "\",\"type\":\"a\tb\"," AFTER_TYPE "\n");
	same_refusal("{\"id\":\"" ID_A "\",\"type\":nul," AFTER_TYPE "\n");
	same_refusal("{\"type\":null,\"id\":\"" ID_A "\"," AFTER_TYPE "\n");
	same_refusal("{\"id\":\"" ID_A "\",\"type\":null," AFTER_TYPE "x\n");
	same_refusal("\n");
	same_refusal("{\"id\":\"" ID_A "\",\"type\":null," AFTER_TYPE);
	same_refusal("{\"id\":\"" ID_B "\",\"type\":null," AFTER_TYPE "\n"
	             "{\"id\":\"" ID_A "\",\"type\":null," AFTER_TYPE "\n");
	same_refusal("{\"id\":\"" ID_A "\",\"type\":null," AFTER_TYPE "\n"
	             "{\"id\":\"" ID_A "\",\"type\":null," AFTER_TYPE "\n");
}

/* A synthetic month of force rows, stored. */
static void synth_jsonl(size_t count, struct ss_buf *out)
{
	struct ss_synth_opts so = {"2019-06", count, 7};
	struct ss_population *pop;
	char *csv = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&csv, &len);

	assert_non_null(f);
	assert_int_equal(ss_synth_write(f, &so), 0);
	fclose(f);
	assert_int_equal(read_str("s.csv", csv, SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(ss_population_assign_ids(pop), 0);
	assert_int_equal(ss_population_to_jsonl(pop, out), 0);
	ss_population_free(pop);
	free(csv);
}

static void test_records_stored__pieces_of_any_size(void **state)
{
	struct ss_buf text = SS_BUF_INIT;
	struct ss_population *strict, *pop;
	size_t piece, at;

	(void)state;
	synth_jsonl(40, &text);
	assert_int_equal(ss_population_from_jsonl(text.data, text.len, "p", &strict), 0);
	for (piece = 1; piece < 2000; piece = piece * 3 + 1) {
		struct ss_stored_reader *rd;

		assert_int_equal(ss_stored_reader_new("p", NULL, &rd), 0);
		for (at = 0; at < text.len; at += piece)
			assert_int_equal(
			    ss_stored_reader_feed(rd, text.data + at,
			                          text.len - at < piece ? text.len - at : piece),
			    0);
		assert_int_equal(ss_stored_reader_lines(rd), 40);
		assert_int_equal(ss_stored_reader_finish(rd, &pop), 0);
		assert_same(pop, strict);
		ss_population_free(pop);
		ss_stored_reader_free(rd);
	}
	ss_population_free(strict);
	ss_buf_release(&text);
}

static bool every_other(void *arg, const char *id)
{
	size_t *n = arg;

	(void)id;
	return (*n)++ % 2 == 0;
}

static void test_records_stored__only_what_is_asked(void **state)
{
	struct ss_buf text = SS_BUF_INIT;
	struct ss_population *strict, *pop;
	struct ss_stored_opts o = {.fields = SS_STORED_BIT(SS_F_AREA)};
	size_t i, n = 0;
	int f;

	(void)state;
	synth_jsonl(30, &text);
	assert_int_equal(ss_population_from_jsonl(text.data, text.len, "p", &strict), 0);
	assert_int_equal(ss_stored_read(text.data, text.len, "p", &o, &pop), 0);
	assert_int_equal(pop->n, strict->n);
	for (i = 0; i < pop->n; i++) {
		assert_string_equal(pop->rec[i].id, strict->rec[i].id);
		assert_int_equal(pop->rec[i].line, i + 1);
		for (f = 0; f < SS_F_COUNT; f++) {
			if (f == SS_F_AREA)
				assert_true((pop->rec[i].str[f] == NULL) ==
				            (strict->rec[i].str[f] == NULL));
			else
				assert_null(pop->rec[i].str[f]);
			assert_int_equal(pop->rec[i].tri[f], strict->rec[i].tri[f]);
		}
		if (pop->rec[i].str[SS_F_AREA])
			assert_string_equal(pop->rec[i].str[SS_F_AREA],
			                    strict->rec[i].str[SS_F_AREA]);
	}
	ss_population_free(pop);

	/* keep: every other record, whole */
	o = (struct ss_stored_opts){.fields = SS_STORED_ALL, .keep = every_other, .keep_arg = &n};
	assert_int_equal(ss_stored_read(text.data, text.len, "p", &o, &pop), 0);
	assert_int_equal(pop->n, 15);
	for (i = 0; i < pop->n; i++) {
		struct ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;

		assert_int_equal(ss_record_to_json(&pop->rec[i], true, &a), 0);
		assert_int_equal(ss_record_to_json(&strict->rec[2 * i], true, &b), 0);
		assert_string_equal(a.data, b.data);
		ss_buf_release(&a);
		ss_buf_release(&b);
	}
	ss_population_free(pop);
	ss_population_free(strict);
	ss_buf_release(&text);
}

/* Every shared real month, read and stored as import stores it, then read
 * back both ways. */
static void test_records_stored__real_months_read_the_same(void **state)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	size_t files = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		struct ss_population *pop, *strict, *fast;
		struct ss_buf text = SS_BUF_INIT;
		char path[8192];
		size_t i, nfast = 0;

		if (strstr(e->d_name, ".csv") == NULL && strstr(e->d_name, ".json") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		assert_int_equal(ss_population_new(&pop), 0);
		if (ss_read_file(path, e->d_name, NULL, pop, NULL) != 0 ||
		    ss_population_assign_ids(pop) != 0) {
			ss_population_free(pop);
			continue; /* files the reader refuses are other tests' business */
		}
		assert_int_equal(ss_population_to_jsonl(pop, &text), 0);
		assert_int_equal(ss_population_from_jsonl(text.data, text.len, "p", &strict), 0);
		assert_int_equal(ss_stored_read(text.data, text.len, "p", NULL, &fast), 0);
		assert_same(fast, strict);
		for (i = 0; i < fast->n; i++) {
			struct ss_buf line = SS_BUF_INIT, tmp = SS_BUF_INIT;
			struct ss_record *r;
			bool was_fast = false;

			assert_int_equal(ss_record_to_json(&strict->rec[i], true, &line), 0);
			assert_int_equal(ss_population_append(pop, &r), 0);
			assert_int_equal(ss_stored_parse_line(pop, line.data, line.len, "p", 1, 0,
			                                      r, &tmp, &was_fast),
			                 0);
			nfast += was_fast;
			ss_buf_release(&line);
			ss_buf_release(&tmp);
		}
		/* ssaudit's own lines take the scan unless a value needs an escape */
		assert_true(nfast * 10 >= fast->n * 9);
		files++;
		ss_population_free(pop);
		ss_population_free(strict);
		ss_population_free(fast);
		ss_buf_release(&text);
	}
	closedir(d);
	assert_true(files > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_stored__canonical_lines_take_the_scan),
	    cmocka_unit_test(test_records_stored__other_lines_fall_back),
	    cmocka_unit_test(test_records_stored__refusals_are_the_strict_ones),
	    cmocka_unit_test(test_records_stored__pieces_of_any_size),
	    cmocka_unit_test(test_records_stored__only_what_is_asked),
	};
	const struct CMUnitTest real[] = {
	    cmocka_unit_test(test_records_stored__real_months_read_the_same),
	};
	const char *shared = getenv("SS_SHARED_DIR");
	DIR *d;
	int rc;

	if (ss_crypto_init() != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (rc != 0)
		return rc;
	if (shared == NULL) {
		printf("SS_SHARED_DIR is not set; the real months are skipped\n");
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/data/police-uk", shared);
	if ((d = opendir(dir)) == NULL) {
		printf("%s is absent; the real months are skipped\n", dir);
		return 0;
	}
	closedir(d);
	return cmocka_run_group_tests(real, NULL, NULL);
}
