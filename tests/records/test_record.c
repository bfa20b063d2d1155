/* The stored form, ids, the strict population.jsonl parser and datetimes. */
#include "rtest.h"

#include "arena.h"

/* The stored line without id of POLICE_ROW, written out by hand from DESIGN.md section 3. */
#define ROW_LINE                                                                                   \
	"{\"type\":\"Person "                                                                      \
	"search\",\"datetime\":\"2019-01-01T00:00:00+00:00\",\"operation\":null,"                  \
	"\"operation_name\":null,\"latitude\":null,\"longitude\":null,\"street\":null,\"gender\":" \
	"\"Male\",\"age_range\":\"18-24\",\"self_defined_ethnicity\":\"White - "                   \
	"English/Welsh/Scottish/Northern Irish/British\",\"officer_defined_ethnicity\":\"White\"," \
	"\"legislation\":\"Misuse of Drugs Act 1971 (section 23)\",\"object_of_search\":"          \
	"\"Controlled drugs\",\"outcome\":\"A no further action disposal\","                       \
	"\"outcome_linked_to_object_of_search\":null,\"removal_of_more_than_outer_clothing\":"     \
	"false,\"reference\":null,\"area\":null,\"officer\":null,\"grounds\":null,\"bwv\":null,"   \
	"\"subject\":null}"

static void test_records_record__line_without_id(void **state)
{
	struct ss_population *pop;
	struct ss_buf b = SS_BUF_INIT;

	(void)state;
	assert_int_equal(
	    read_str("a.csv", POLICE_HEADER "\n" POLICE_ROW "\n", SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(pop->n, 1);
	assert_int_equal(ss_record_to_json(&pop->rec[0], false, &b), 0);
	assert_string_equal(b.data, ROW_LINE);
	ss_buf_release(&b);
	ss_population_free(pop);
}

/*
 * Vectors computed independently of this code, with python3:
 *   import hashlib, base64
 *   rid = lambda x: "R-" + base64.b32encode(hashlib.sha256(b"ssaudit-id-v1\0" + x)
 *                                           .digest()[:10]).decode().lower()
 *   rid(b"row\0" + ROW_LINE + b"\0" + b"1")  -> R-sjbyww46totiyudy
 *   rid(b"row\0" + ROW_LINE + b"\0" + b"2")  -> R-4mzalyxlislckbmh
 *   rid(b"ref\0" + b"DP/2019/000123")        -> R-5ydjq4kltnpbqj46
 * and the last one again with coreutils:
 *   printf 'ssaudit-id-v1\0ref\0DP/2019/000123' | sha256sum
 *   -> ee0698714b9b5e18279e... (base32 of its first 10 bytes: 5ydjq4kltnpbqj46)
 */
static void test_records_record__ids_of_duplicate_rows(void **state)
{
	struct ss_population *pop;

	(void)state;
	/* the same row twice, in two files: occurrence counts across files */
	assert_int_equal(
	    read_str("a.csv", POLICE_HEADER "\n" POLICE_ROW "\n", SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(ss_read_buffer("b.csv", POLICE_HEADER "\r\n" POLICE_ROW "\r\n",
	                                strlen(POLICE_HEADER "\r\n" POLICE_ROW "\r\n"), NULL, pop,
	                                NULL),
	                 0);
	assert_int_equal(pop->n, 2);
	assert_int_equal(ss_population_assign_ids(pop), 0);
	/* sorted by id: "R-4..." before "R-s..." */
	assert_string_equal(pop->rec[0].id, "R-4mzalyxlislckbmh");
	assert_string_equal(pop->rec[1].id, "R-sjbyww46totiyudy");
	/* occurrence 1 is the row read first (a.csv) */
	assert_int_equal(pop->rec[1].source, 0);
	assert_int_equal(pop->rec[0].source, 1);
	assert_non_null(ss_population_find(pop, "R-sjbyww46totiyudy"));
	assert_null(ss_population_find(pop, "R-aaaaaaaaaaaaaaaa"));
	ss_population_free(pop);
}

static void test_records_record__id_of_a_reference(void **state)
{
	static const char csv[] = "Reference,Area," POLICE_HEADER "\n"
	                          "DP/2019/000123,Carmarthen," POLICE_ROW "\n";
	struct ss_population *pop;

	(void)state;
	assert_int_equal(read_str("f.csv", csv, SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(pop->sources[0].format, SS_FORMAT_FORCE_CSV);
	assert_int_equal(ss_population_assign_ids(pop), 0);
	assert_string_equal(pop->rec[0].id, "R-5ydjq4kltnpbqj46");
	assert_string_equal(pop->rec[0].str[SS_F_AREA], "Carmarthen");
	ss_population_free(pop);
}

/* The id a reference gives by itself (what --ref looks up) is the imported record's. */
static void test_records_record__id_of_a_reference_alone(void **state)
{
	char id[SS_ID_LEN + 1];

	(void)state;
	ss_record_id_of_reference("DP/2019/000123", id);
	assert_string_equal(id, "R-5ydjq4kltnpbqj46");
	ss_record_id_of_reference("DP/2019/000124", id);
	assert_string_not_equal(id, "R-5ydjq4kltnpbqj46");
	assert_true(ss_record_id_valid_n(id, strlen(id)));
}

static void test_records_record__duplicate_reference_across_files(void **state)
{
	static const char csv[] = "Reference," POLICE_HEADER "\nX1," POLICE_ROW "\n";
	/* The same rows in another file (with a byte-order mark: not the same file). */
	static const char csv_b[] = "\xEF\xBB\xBFReference," POLICE_HEADER "\nX1," POLICE_ROW "\n";
	struct ss_population *pop;

	(void)state;
	assert_int_equal(read_str("jan-a.csv", csv, SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(ss_read_buffer("jan-b.csv", csv_b, strlen(csv_b), NULL, pop, NULL),
	                 SS_EDATA);
	assert_string_equal(ss_error_message(),
	                    "jan-b.csv:2:1: the reference \"X1\" is used again (first at "
	                    "jan-a.csv:2); references must be unique within a month");
	/* the second file left nothing behind */
	assert_int_equal(pop->n, 1);
	assert_int_equal(pop->nsources, 1);
	ss_population_free(pop);
}

/* Ids derived one record at a time (verify) are the set assign_ids gives:
 * the vectors above, with three identical rows and a reference among them. */
static void test_records_record__id_stream(void **state)
{
	static const char *want[] = {"R-4mzalyxlislckbmh", "R-5ydjq4kltnpbqj46",
	                             "R-sjbyww46totiyudy"};
	const char(*ids)[SS_ID_LEN + 1];
	struct ss_id_stream *s;
	char id[SS_ID_LEN + 1], third[SS_ID_LEN + 1];
	size_t n, i;

	(void)state;
	assert_int_equal(ss_id_stream_new(&s), 0);
	assert_int_equal(ss_id_stream_add(s, NULL, ROW_LINE, strlen(ROW_LINE), 1, id), 0);
	assert_string_equal(id, "R-sjbyww46totiyudy");
	assert_int_equal(ss_id_stream_add(s, "DP/2019/000123", NULL, 0, 2, id), 0);
	assert_string_equal(id, "R-5ydjq4kltnpbqj46");
	assert_int_equal(ss_id_stream_add(s, NULL, ROW_LINE, strlen(ROW_LINE), 3, id), 0);
	assert_string_equal(id, "R-4mzalyxlislckbmh");
	assert_int_equal(ss_id_stream_finish(s, "population", &ids, &n), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_string_equal(ids[i], want[i]);
	ss_id_stream_free(s);

	/* a third identical row is its third occurrence, as assign_ids counts */
	assert_int_equal(ss_id_stream_new(&s), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(ss_id_stream_add(s, NULL, ROW_LINE, strlen(ROW_LINE), 1, third),
		                 0);
	ss_record_id_of_row(ROW_LINE, strlen(ROW_LINE), 3, id);
	assert_string_equal(third, id);
	assert_string_not_equal(third, "R-sjbyww46totiyudy");
	ss_id_stream_free(s);
}

/* A reference used twice: the earliest repeat named, with its first line,
 * in the words a whole population's derivation uses. */
static void test_records_record__id_stream_reference_again(void **state)
{
	const char(*ids)[SS_ID_LEN + 1];
	struct ss_id_stream *s;
	char id[SS_ID_LEN + 1];
	size_t n;

	(void)state;
	assert_int_equal(ss_id_stream_new(&s), 0);
	assert_int_equal(ss_id_stream_add(s, "B", NULL, 0, 1, id), 0);
	assert_int_equal(ss_id_stream_add(s, "A", NULL, 0, 2, id), 0);
	assert_int_equal(ss_id_stream_add(s, NULL, ROW_LINE, strlen(ROW_LINE), 3, id), 0);
	assert_int_equal(ss_id_stream_add(s, "A", NULL, 0, 4, id), 0);
	assert_int_equal(ss_id_stream_add(s, "B", NULL, 0, 5, id), 0);
	assert_int_equal(ss_id_stream_add(s, "A", NULL, 0, 6, id), 0);
	assert_int_equal(ss_id_stream_finish(s, "population", &ids, &n), SS_EDATA);
	assert_string_equal(ss_error_message(),
	                    "population:4:1: the reference \"A\" is used again (first at "
	                    "population:2); references must be unique within a month");
	ss_id_stream_free(s);
}

static void test_records_record__jsonl_round_trip(void **state)
{
	static const char csv[] = "Reference,Grounds,Officer," POLICE_HEADER "\n"
	                          "A1,\"said \"\"hello\"\"\nand ran\",PC 123," POLICE_ROW "\n"
	                          "A2,,,Vehicle search,2019-01-02T10:00:00.5+01:00,True,Op "
	                          "\u00e9t\u00e9,52.1,-4.2,,,,,,,,True,\n";
	struct ss_population *pop, *back;
	struct ss_buf a = SS_BUF_INIT, b = SS_BUF_INIT;

	(void)state;
	assert_int_equal(read_str("f.csv", csv, SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(ss_population_assign_ids(pop), 0);
	assert_int_equal(ss_population_to_jsonl(pop, &a), 0);
	assert_int_equal(ss_population_from_jsonl(a.data, a.len, "population.jsonl", &back), 0);
	assert_int_equal(back->n, 2);
	assert_int_equal(ss_population_to_jsonl(back, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_non_null(strstr(a.data, "\"operation_name\":\"Op \u00e9t\u00e9\""));
	assert_non_null(strstr(a.data, "\"latitude\":\"52.1\",\"longitude\":\"-4.2\""));
	assert_non_null(strstr(a.data, "\"grounds\":\"said \\\"hello\\\"\\nand ran\""));
	ss_buf_release(&a);
	ss_buf_release(&b);
	ss_population_free(pop);
	ss_population_free(back);
}

static void expect_jsonl_error(const char *text, const char *msg)
{
	struct ss_population *pop = (struct ss_population *)1;

	assert_int_equal(ss_population_from_jsonl(text, strlen(text), "p.jsonl", &pop), SS_EDATA);
	assert_null(pop);
	assert_string_equal(ss_error_message(), msg);
}

#define NULLS_AFTER_TYPE                                                                           \
	"\"datetime\":null,\"operation\":null,\"operation_name\":null,\"latitude\":null,"          \
	"\"longitude\":null,\"street\":null,\"gender\":null,\"age_range\":null,"                   \
	"\"self_defined_ethnicity\":null,\"officer_defined_ethnicity\":null,\"legislation\":null," \
	"\"object_of_search\":null,\"outcome\":null,\"outcome_linked_to_object_of_search\":null,"  \
	"\"removal_of_more_than_outer_clothing\":null,\"reference\":null,\"area\":null,"           \
	"\"officer\":null,\"grounds\":null,\"bwv\":null,\"subject\":null}"

static void test_records_record__jsonl_strict(void **state)
{
	struct ss_population *pop;

	(void)state;
	assert_int_equal(
	    ss_population_from_jsonl(
	        "{\"id\":\"R-aaaaaaaaaaaaaaaa\",\"type\":null," NULLS_AFTER_TYPE "\n",
	        strlen("{\"id\":\"R-aaaaaaaaaaaaaaaa\",\"type\":null," NULLS_AFTER_TYPE "\n"), "p",
	        &pop),
	    0);
	assert_int_equal(pop->n, 1);
	ss_population_free(pop);

	expect_jsonl_error("{\"type\":null," NULLS_AFTER_TYPE "\n",
	                   "p.jsonl:1:2: expected the key \"id\" here");
	expect_jsonl_error("{\"id\":\"R-aaaaaaaaaaaaaaaa\",\"type\":\"\"," NULLS_AFTER_TYPE "\n",
	                   "p.jsonl:1:35: \"type\" is \"\" (a blank value is stored as null)");
	expect_jsonl_error("{\"id\":\"R-aaaaaaaaaaaaaaaa\",\"type\":true," NULLS_AFTER_TYPE "\n",
	                   "p.jsonl:1:35: \"type\" must be a string or null");
	expect_jsonl_error("{\"id\":\"R-AAAA\",\"type\":null," NULLS_AFTER_TYPE "\n",
	                   "p.jsonl:1:7: \"id\" is not a record id (R- and 16 base32 characters)");
	expect_jsonl_error("{\"id\":\"R-aaaaaaaaaaaaaaaa\",\"type\":\"a\\u0000b\"," NULLS_AFTER_TYPE
	                   "\n",
	                   "p.jsonl:1:37: \\u0000 (a NUL character) inside a string");
	/* python3: len(the line) + 1 = 464 (and 465 past the space) */
	expect_jsonl_error("{\"id\":\"R-aaaaaaaaaaaaaaaa\",\"type\":null," NULLS_AFTER_TYPE,
	                   "p.jsonl:1:464: the last line does not end with a newline");
	expect_jsonl_error("{\"id\":\"R-bbbbbbbbbbbbbbbb\",\"type\":null," NULLS_AFTER_TYPE "\n"
	                   "{\"id\":\"R-aaaaaaaaaaaaaaaa\",\"type\":null," NULLS_AFTER_TYPE "\n",
	                   "p.jsonl:2:8: records are not sorted by id, or an id repeats "
	                   "(\"R-aaaaaaaaaaaaaaaa\")");
	expect_jsonl_error("{\"id\":\"R-aaaaaaaaaaaaaaaa\",\"type\":null," NULLS_AFTER_TYPE " x\n",
	                   "p.jsonl:1:465: unexpected text after the record");
}

static void test_records_record__datetimes(void **state)
{
	struct ss_instant a, b;
	size_t bad = 99;

	(void)state;
	assert_int_equal(ss_datetime_parse("2019-06-30T23:00:00+00:00", 25, &a, NULL), 0);
	assert_int_equal(ss_datetime_parse("2019-07-01T00:00:00+01:00", 25, &b, NULL), 0);
	assert_int_equal(ss_instant_cmp(&a, &b), 0);
	/* date -u -d 2019-06-30T23:00:00Z +%s -> 1561935600 */
	assert_int_equal(a.secs, 1561935600);
	assert_int_equal(ss_datetime_parse("2020-02-29T12:00:00.25Z", 23, &a, NULL), 0);
	assert_int_equal(a.nanos, 250000000);
	assert_int_equal(ss_datetime_parse("2019-02-29T12:00:00Z", 20, NULL, &bad), SS_EDATA);
	assert_int_equal(bad, 8);
	assert_string_equal(ss_error_message(), "has a day that does not exist in that month");
	assert_int_equal(ss_datetime_parse("2019-01-01 12:00:00Z", 20, NULL, &bad), SS_EDATA);
	assert_int_equal(bad, 10);
	assert_int_equal(ss_datetime_parse("2019-01-01T24:00:00Z", 20, NULL, &bad), SS_EDATA);
	assert_int_equal(ss_datetime_parse("2019-01-01T12:00:00", 19, NULL, &bad), SS_EDATA);
	assert_int_equal(ss_datetime_parse("2019-01-01T12:00:00.Z", 21, NULL, &bad), SS_EDATA);
	assert_int_equal(ss_datetime_parse("2019-01-01T12:00:00+1:00", 24, NULL, &bad), SS_EDATA);
	assert_int_equal(ss_datetime_parse("2019-01-01", 10, NULL, &bad), SS_EDATA);
}

static void test_records_record__arena(void **state)
{
	struct ss_arena *a = ss_arena_new();
	struct ss_arena_mark m;
	char *p[1000];
	size_t i, used;

	(void)state;
	assert_non_null(a);
	for (i = 0; i < 1000; i++) {
		char s[32];

		snprintf(s, sizeof(s), "value %zu", i);
		p[i] = ss_arena_strdup(a, s, strlen(s));
		assert_non_null(p[i]);
	}
	assert_string_equal(p[0], "value 0");
	assert_string_equal(p[999], "value 999");
	ss_arena_mark(a, &m);
	used = ss_arena_used(a);
	assert_non_null(ss_arena_alloc(a, 3u << 20)); /* bigger than a chunk */
	assert_true(ss_arena_used(a) > used);
	ss_arena_rewind(a, &m);
	assert_int_equal(ss_arena_used(a), used);
	assert_string_equal(p[999], "value 999");
	ss_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_record__line_without_id),
	    cmocka_unit_test(test_records_record__ids_of_duplicate_rows),
	    cmocka_unit_test(test_records_record__id_of_a_reference),
	    cmocka_unit_test(test_records_record__id_of_a_reference_alone),
	    cmocka_unit_test(test_records_record__duplicate_reference_across_files),
	    cmocka_unit_test(test_records_record__id_stream),
	    cmocka_unit_test(test_records_record__id_stream_reference_again),
	    cmocka_unit_test(test_records_record__jsonl_round_trip),
	    cmocka_unit_test(test_records_record__jsonl_strict),
	    cmocka_unit_test(test_records_record__datetimes),
	    cmocka_unit_test(test_records_record__arena),
	};

	if (ss_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
