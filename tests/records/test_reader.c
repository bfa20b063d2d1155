/* What the readers make of CSV and JSON: values, lines, identities, errors collected. */
#include "rtest.h"

#include "pseudonym.h"
#include "stats.h"

#include <fcntl.h>
#include <unistd.h>

static void test_records_reader__detect(void **state)
{
	(void)state;
	assert_int_equal(ss_format_detect("\xEF\xBB\xBF  \n[]", 8), SS_FORMAT_POLICE_JSON);
	assert_int_equal(ss_format_detect(POLICE_HEADER "\n", strlen(POLICE_HEADER "\n")),
	                 SS_FORMAT_POLICE_CSV);
	assert_int_equal(ss_format_detect("Type,\"subject NAME\"\n", 20), SS_FORMAT_FORCE_CSV);
	assert_int_equal(ss_format_detect("Type,Date,Officer\n", 18), SS_FORMAT_FORCE_CSV);
	assert_int_equal(ss_format_detect("", 0), SS_FORMAT_POLICE_CSV);
}

static void test_records_reader__quoted_newlines_keep_line_numbers(void **state)
{
	static const char csv[] =
	    POLICE_HEADER "\r\n"
	                  "Person search,2019-01-01T00:00:00Z,,\"Op \"\"A\"\"\r\nline "
	                  "2\",,,,,,,,,,,\r\n" POLICE_ROW "\r\n";
	struct ss_population *pop;

	(void)state;
	assert_int_equal(read_str("q.csv", csv, SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(pop->n, 2);
	assert_string_equal(pop->rec[0].str[SS_F_OPERATION_NAME], "Op \"A\"\r\nline 2");
	assert_int_equal(pop->rec[0].line, 2);
	assert_int_equal(pop->rec[1].line, 4);
	/* blanks are null, never "" */
	assert_null(pop->rec[0].str[SS_F_GENDER]);
	assert_int_equal(pop->rec[0].tri[SS_F_REMOVAL], SS_TRI_NULL);
	assert_int_equal(pop->rec[1].tri[SS_F_REMOVAL], SS_TRI_FALSE);
	ss_population_free(pop);
}

static void test_records_reader__values_are_not_trimmed(void **state)
{
	static const char csv[] =
	    POLICE_HEADER "\n Person search ,2019-01-01T00:00:00Z,,,,,,,,,,,,,\n";
	struct ss_population *pop;

	(void)state;
	assert_int_equal(read_str("t.csv", csv, SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_string_equal(pop->rec[0].str[SS_F_TYPE], " Person search ");
	ss_population_free(pop);
}

static void test_records_reader__every_error_is_collected(void **state)
{
	static const char csv[] =
	    POLICE_HEADER "\n" POLICE_ROW "\n"
	                  "Person search,2019-13-01T00:00:00Z,,,,,,,,,,,,,\n" POLICE_ROW "\n"
	                  "Person search,2019-01-01T00:00:00Z,,,,,,,,,,,,,Yes\n"
	                  "Person search,2019-01-01T00:00:00Z,,,,,,,,,,,,\n";
	struct ss_population *pop;
	struct ss_diags d = {0};

	(void)state;
	d.limit = 2;
	assert_int_equal(read_str("m.csv", csv, SS_FORMAT_AUTO, &pop, &d), SS_EDATA);
	assert_int_equal(d.total, 3);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.d[0].line, 3);
	assert_int_equal(d.d[0].col, 20);
	assert_int_equal(d.d[1].line, 5);
	assert_string_equal(d.d[1].file, "m.csv");
	assert_string_equal(ss_error_message(),
	                    "m.csv:3:20: \"Date\" has a month that does not exist: "
	                    "\"2019-13-01T00:00:00Z\"");
	assert_int_equal(pop->n, 0);
	assert_int_equal(pop->nsources, 0);
	ss_diags_release(&d);
	ss_population_free(pop);
}

static void test_records_reader__force_identities_never_stored(void **state)
{
	static const char csv[] =
	    "Subject PNC ID,subject name,SUBJECT ADDRESS,Subject date of "
	    "birth,officer,bwv," POLICE_HEADER "\n"
	    "01/123456A,Jane Doe,1 High St,1990-05-01,PC 123,Yes," POLICE_ROW "\n";
	struct ss_population *pop;
	struct ss_buf b = SS_BUF_INIT;

	(void)state;
	assert_int_equal(read_str("f.csv", csv, SS_FORMAT_FORCE_CSV, &pop, NULL), 0);
	assert_int_equal(ss_record_to_json(&pop->rec[0], false, &b), 0);
	/* without the pseudonym key: no subject, officer kept */
	assert_null(pop->rec[0].str[SS_F_SUBJECT]);
	assert_string_equal(pop->rec[0].str[SS_F_OFFICER], "PC 123");
	assert_string_equal(pop->rec[0].str[SS_F_BWV], "Yes");
	assert_null(strstr(b.data, "Jane"));
	assert_null(strstr(b.data, "High St"));
	assert_null(strstr(b.data, "1990"));
	assert_null(strstr(b.data, "123456A"));
	ss_buf_release(&b);
	ss_population_free(pop);
}

#define JREC(extra)                                                                                \
	"{\"age_range\":\"over 34\",\"self_defined_ethnicity\":null,"                              \
	"\"outcome_linked_to_object_of_search\":true,\"datetime\":\"2020-01-05T14:30:00+00:00\","  \
	"\"removal_of_more_than_outer_clothing\":null,\"operation\":null,"                         \
	"\"officer_defined_ethnicity\":\"Black\",\"object_of_search\":\"Stolen goods\","           \
	"\"involved_person\":true,\"gender\":\"Female\",\"legislation\":\"Police and Criminal "    \
	"Evidence Act 1984 (section 1)\",\"type\":\"Person "                                       \
	"search\",\"operation_name\":null," extra "}"

static void test_records_reader__police_json(void **state)
{
	static const char json[] = "[" JREC(
	    "\"location\":{\"latitude\":\"54.77\",\"longitude\":-1.57,\"street\":{\"id\":"
	    "9,\"name\":\"On or near Park\"}},\"outcome\":\"Arrest\",\"outcome_object\":"
	    "{\"id\":\"x\",\"name\":\"ignored\"}") ",\n" JREC("\"location\":null,\"outcome\":false,"
	                                                      "\"outcome_object\":{\"id\":\"bu-"
	                                                      "caution\","
	                                                      "\"name\":\"Caution (simple or "
	                                                      "conditional)\"}") ",\n" JREC("\"loca"
	                                                                                    "tion\""
	                                                                                    ":null,"
	                                                                                    "\"outc"
	                                                                                    "ome\":"
	                                                                                    "\"\","
	                                                                                    "\"outc"
	                                                                                    "ome_"
	                                                                                    "object"
	                                                                                    "\":"
	                                                                                    "null") "]";
	struct ss_population *pop;

	(void)state;
	assert_int_equal(read_str("s.json", json, SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(pop->n, 3);
	assert_int_equal(pop->sources[0].format, SS_FORMAT_POLICE_JSON);
	assert_string_equal(pop->rec[0].str[SS_F_OUTCOME], "Arrest");
	assert_string_equal(pop->rec[0].str[SS_F_LATITUDE], "54.77");
	assert_string_equal(pop->rec[0].str[SS_F_LONGITUDE], "-1.57"); /* the number as written */
	assert_string_equal(pop->rec[0].str[SS_F_STREET], "On or near Park");
	assert_int_equal(pop->rec[0].tri[SS_F_OUTCOME_LINKED], SS_TRI_TRUE);
	assert_int_equal(pop->rec[0].line, 1);
	assert_string_equal(pop->rec[1].str[SS_F_OUTCOME], "Caution (simple or conditional)");
	assert_null(pop->rec[1].str[SS_F_STREET]);
	assert_int_equal(pop->rec[1].line, 2);
	assert_null(pop->rec[2].str[SS_F_OUTCOME]);
	assert_null(pop->rec[2].str[SS_F_SELF_DEFINED_ETHNICITY]);
	ss_population_free(pop);
}

static void test_records_reader__stats(void **state)
{
	static const char csv[] =
	    POLICE_HEADER "\n" POLICE_ROW "\n" POLICE_ROW "\n"
	                  "Boat search,2019-01-31T23:30:00-01:00,,,,,,,,,,,,,\n"
	                  "Vehicle search,2018-12-31T23:00:00Z,,,,,Male,,,,,,,,True\n";
	struct ss_population *pop;
	struct ss_stats *st;
	struct ss_buf b = SS_BUF_INIT;
	const struct ss_field_stats *t;

	(void)state;
	assert_int_equal(read_str("s.csv", csv, SS_FORMAT_AUTO, &pop, NULL), 0);
	assert_int_equal(ss_stats_compute(pop, &st), 0);
	assert_int_equal(st->records, 4);
	assert_int_equal(st->duplicates, 1);
	/* 23:30 at -01:00 is 00:30 UTC on 1 February: the latest, reported as given */
	assert_string_equal(st->earliest, "2018-12-31T23:00:00Z");
	assert_string_equal(st->latest, "2019-01-31T23:30:00-01:00");
	t = &st->field[SS_F_TYPE];
	assert_int_equal(t->blank, 0);
	assert_int_equal(t->unknown, 1);
	assert_int_equal(t->unknown_values, 1);
	assert_int_equal(t->nvalues, 3);
	assert_string_equal(t->values[0].value, "Person search");
	assert_int_equal(t->values[0].count, 2);
	assert_int_equal(st->field[SS_F_GENDER].blank, 1);
	assert_int_equal(st->field[SS_F_REMOVAL].blank, 1);
	assert_int_equal(st->field[SS_F_GROUNDS].blank, 4);
	assert_int_equal(ss_stats_to_json(st, &b), 0);
	assert_non_null(strstr(b.data,
	                       "{\"records\":4,\"duplicates\":1,\"earliest\":"
	                       "\"2018-12-31T23:00:00Z\",\"latest\":\"2019-01-31T23:30:00-01:00\","
	                       "\"fields\":{\"type\":{\"blank\":0,\"unknown\":1,"
	                       "\"unknown_values\":1,\"values\":[{\"value\":\"Person search\","
	                       "\"count\":2,\"known\":true},{\"value\":\"Boat search\",\"count\":1,"
	                       "\"known\":false},"));
	assert_non_null(strstr(b.data, "\"removal_of_more_than_outer_clothing\":{\"blank\":1,"
	                               "\"values\":[{\"value\":false,\"count\":2},{\"value\":true,"
	                               "\"count\":1}]}"));
	assert_non_null(strstr(b.data, "\"grounds\":{\"blank\":4}"));
	ss_buf_release(&b);
	ss_stats_free(st);
	ss_population_free(pop);
}

static void test_records_reader__pseudonymised(void **state)
{
	static const char csv[] =
	    "Subject name,Subject date of birth,Subject address,Officer,Grounds," POLICE_HEADER "\n"
	    "Jane Doe,01/05/1990,1 High St,pc123,Jane Doe was seen at 1 High St," POLICE_ROW "\n"
	    " JANE  doe.,1990-05-01,,PC123 ,," POLICE_ROW "\n"
	    "Jane Doe,,,,," POLICE_ROW "\n";
	char path[] = "/tmp/ss-test-key-XXXXXX";
	struct ss_pseudo *ps = NULL;
	struct ss_population *pop;
	struct ss_read_opts o = {.format = SS_FORMAT_AUTO, .pseudonymise_officer = true};
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(ss_pseudo_key_create(path), 0);
	assert_int_equal(ss_pseudo_key_load(path, &ps), 0);
	unlink(path);
	o.pseudo = ps;
	assert_int_equal(ss_population_new(&pop), 0);
	assert_int_equal(ss_read_buffer("p.csv", csv, strlen(csv), &o, pop, NULL), 0);
	assert_int_equal(pop->n, 3);
	/* the same person (name normalised, either date form) gets the same pseudonym */
	assert_non_null(pop->rec[0].str[SS_F_SUBJECT]);
	assert_memory_equal(pop->rec[0].str[SS_F_SUBJECT], "S-", 2);
	assert_string_equal(pop->rec[0].str[SS_F_SUBJECT], pop->rec[1].str[SS_F_SUBJECT]);
	/* no date of birth: no subject */
	assert_null(pop->rec[2].str[SS_F_SUBJECT]);
	assert_memory_equal(pop->rec[0].str[SS_F_OFFICER], "O-", 2);
	assert_string_equal(pop->rec[0].str[SS_F_OFFICER], pop->rec[1].str[SS_F_OFFICER]);
	assert_null(strstr(pop->rec[0].str[SS_F_GROUNDS], "Jane"));
	assert_null(strstr(pop->rec[0].str[SS_F_GROUNDS], "High St"));
	assert_non_null(strstr(pop->rec[0].str[SS_F_GROUNDS], "[subject]"));
	ss_population_free(pop);
	ss_pseudo_free(ps);
}

static int make_key(struct ss_pseudo **ps)
{
	char path[] = "/tmp/ss-test-key-XXXXXX";
	int fd = mkstemp(path), err;

	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	if ((err = ss_pseudo_key_create(path)) == 0)
		err = ss_pseudo_key_load(path, ps);
	unlink(path);
	return err;
}

static void test_records_reader__name_without_letters(void **state)
{
	static const char csv[] = "Subject name,Subject date of birth,Grounds," POLICE_HEADER "\n"
	                          "Jane Doe,01/05/1990,," POLICE_ROW "\n"
	                          "12 -- 34,01/05/1990,," POLICE_ROW "\n";
	struct ss_pseudo *ps = NULL;
	struct ss_population *pop;
	struct ss_diags d = {0};
	struct ss_read_opts o = {.format = SS_FORMAT_AUTO, .pseudonymise_officer = false};

	(void)state;
	assert_int_equal(make_key(&ps), 0);
	o.pseudo = ps;
	d.limit = 10;
	assert_int_equal(ss_population_new(&pop), 0);
	assert_int_equal(ss_read_buffer("n.csv", csv, strlen(csv), &o, pop, &d), SS_EDATA);
	assert_int_equal(d.n, 1);
	/* the name is what is wrong, said without repeating it */
	assert_int_equal(d.d[0].line, 3);
	assert_int_equal(d.d[0].col, 1);
	assert_non_null(strstr(d.d[0].msg, "\"Subject name\" has no letters"));
	assert_null(strstr(d.d[0].msg, "date of birth"));
	assert_null(strstr(d.d[0].msg, "12"));
	assert_null(strstr(ss_error_message(), "12 --"));
	ss_diags_release(&d);
	ss_population_free(pop);
	ss_pseudo_free(ps);
}

/* A file bigger than the reader's window, with quoted values over several
 * lines and multibyte characters falling on every offset: read from disk in
 * pieces, it gives exactly what the same bytes give read at once. */
static void test_records_reader__big_file_in_pieces(void **state)
{
	static const char head[] =
	    "Reference,Grounds,Subject name,Subject date of birth," POLICE_HEADER "\n";
	char path[] = "/tmp/ss-test-big-XXXXXX";
	struct ss_buf csv = SS_BUF_INIT, a = SS_BUF_INIT, b = SS_BUF_INIT;
	struct ss_population *p1, *p2;
	struct ss_diags d1 = {0}, d2 = {0};
	struct ss_pseudo *ps = NULL;
	struct ss_read_opts o = {.format = SS_FORMAT_AUTO, .pseudonymise_officer = false};
	size_t i;
	int fd;

	(void)state;
	assert_int_equal(make_key(&ps), 0);
	o.pseudo = ps;
	assert_int_equal(ss_buf_puts(&csv, head), 0);
	for (i = 0; csv.len < ((size_t)9 << 20); i++) {
		ss_buf_printf(&csv,
		              "R-%zu,\"Seen%.*s at \"\"the\"\" park,\nwith Siân Hâf\r\n%zu\",", i,
		              (int)(i % 7), "xxxxxxx", i);
		ss_buf_printf(&csv, "Siân Hâf,%02zu/05/1990," POLICE_ROW "%s", i % 28 + 1,
		              i % 3 ? "\n" : "\r\n");
	}
	/* a bad boolean near the end: the same line and column either way */
	ss_buf_printf(&csv, "R-x,,,," POLICE_ROW "\n");
	memcpy(csv.data + csv.len - 6, "Maybe", 5);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, csv.data, csv.len), (ssize_t)csv.len);
	close(fd);
	d1.limit = d2.limit = 5;
	assert_int_equal(ss_population_new(&p1), 0);
	assert_int_equal(ss_population_new(&p2), 0);
	assert_int_equal(ss_read_file(path, "big.csv", &o, p1, &d1), SS_EDATA);
	assert_int_equal(ss_read_buffer("big.csv", csv.data, csv.len, &o, p2, &d2), SS_EDATA);
	assert_int_equal(d1.n, 1);
	assert_int_equal(d2.n, 1);
	assert_int_equal(d1.d[0].line, d2.d[0].line);
	assert_int_equal(d1.d[0].col, d2.d[0].col);
	assert_string_equal(d1.d[0].msg, d2.d[0].msg);
	/* without the bad row both read, and agree on every record and the digest */
	csv.len -= strlen("R-x,,,," POLICE_ROW "\n");
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, csv.data, csv.len), (ssize_t)csv.len);
	close(fd);
	assert_int_equal(ss_read_file(path, "big.csv", &o, p1, NULL), 0);
	assert_int_equal(ss_read_buffer("big.csv", csv.data, csv.len, &o, p2, NULL), 0);
	unlink(path);
	assert_int_equal(p1->n, i);
	assert_string_equal(p1->sources[0].sha256, p2->sources[0].sha256);
	assert_int_equal(ss_population_assign_ids(p1), 0);
	assert_int_equal(ss_population_assign_ids(p2), 0);
	assert_int_equal(ss_population_to_jsonl(p1, &a), 0);
	assert_int_equal(ss_population_to_jsonl(p2, &b), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_non_null(
	    strstr(a.data, "\"grounds\":\"Seenxxx at \\\"the\\\" park,\\nwith [subject]\\r\\n3\""));
	ss_buf_release(&csv);
	ss_buf_release(&a);
	ss_buf_release(&b);
	ss_diags_release(&d1);
	ss_diags_release(&d2);
	ss_population_free(p1);
	ss_population_free(p2);
	ss_pseudo_free(ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_reader__detect),
	    cmocka_unit_test(test_records_reader__quoted_newlines_keep_line_numbers),
	    cmocka_unit_test(test_records_reader__values_are_not_trimmed),
	    cmocka_unit_test(test_records_reader__every_error_is_collected),
	    cmocka_unit_test(test_records_reader__force_identities_never_stored),
	    cmocka_unit_test(test_records_reader__police_json),
	    cmocka_unit_test(test_records_reader__pseudonymised),
	    cmocka_unit_test(test_records_reader__stats),
	    cmocka_unit_test(test_records_reader__name_without_letters),
	    cmocka_unit_test(test_records_reader__big_file_in_pieces),
	};

	if (ss_crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
