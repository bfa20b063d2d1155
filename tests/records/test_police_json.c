/*
 * test_police_json.c - the police-json reader: where it places its refusals,
 * and what it refuses after the array.
 */
#include "rtest.h"

/* Read len bytes of police-json; returns the code, with *pop and *d set. */
static int read_json(const char *s, size_t len, struct ss_population **pop, struct ss_diags *d)
{
	struct ss_read_opts o = {.format = SS_FORMAT_POLICE_JSON, .pseudonymise_officer = false};

	memset(d, 0, sizeof(*d));
	d->limit = 10;
	assert_int_equal(ss_population_new(pop), 0);
	return ss_read_buffer("s.json", s, len, &o, *pop, d);
}

#define GOOD                                                                                       \
	"{\"type\":\"Person search\",\"datetime\":\"2020-01-05T14:30:00+00:00\","                  \
	"\"outcome\":false,\"outcome_object\":{\"id\":\"x\",\"name\":\"Arrest\"},"                 \
	"\"gender\":\"Male\"}"

/* An outcome taken from outcome_object does not move later positions. */
static void test_records_police_json__positions_after_outcome_object(void **state)
{
	static const char json[] = "[\n" GOOD ",\n" GOOD ",\n"
	                           "{\"outcome\":false,\"outcome_object\":{\"name\":\"Arrest\"},"
	                           "\"gender\":1}\n]\n";
	struct ss_population *pop;
	struct ss_diags d;

	(void)state;
	assert_int_equal(read_json(json, sizeof(json) - 1, &pop, &d), SS_EDATA);
	assert_int_equal(d.total, 1);
	assert_int_equal(d.d[0].line, 4);
	assert_int_equal(d.d[0].col, 62);
	assert_string_equal(d.d[0].msg, "record 3: \"gender\" must be a string or null");
	ss_diags_release(&d);
	ss_population_free(pop);
	{
		static const char two[] = "[\n" GOOD ",\n" GOOD "\n]\n";

		assert_int_equal(read_json(two, sizeof(two) - 1, &pop, &d), 0);
		assert_int_equal(pop->n, 2);
		assert_string_equal(pop->rec[1].str[SS_F_OUTCOME], "Arrest");
		ss_diags_release(&d);
		ss_population_free(pop);
	}
}

/* A NUL byte after the array is text after the JSON, not white space. */
static void test_records_police_json__nul_after_the_array(void **state)
{
	static const char json[] = "[\n" GOOD "\n]\0";
	struct ss_population *pop;
	struct ss_diags d;

	(void)state;
	assert_int_equal(read_json(json, sizeof(json) - 1, &pop, &d), SS_EDATA);
	assert_int_equal(d.total, 1);
	assert_int_equal(d.d[0].line, 3);
	assert_int_equal(d.d[0].col, 2);
	assert_string_equal(d.d[0].msg, "unexpected text after the end of the JSON");
	ss_diags_release(&d);
	ss_population_free(pop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_police_json__positions_after_outcome_object),
	    cmocka_unit_test(test_records_police_json__nul_after_the_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
