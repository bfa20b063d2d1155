/*
 * test_layout.c - every trail path built by store/layout reads back as what
 * it was built from, and paths not laid out exactly so are no act's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "layout.h"

#define MONTH  "2019-06"
#define ID     "R-abcdefghijk23456"
#define HANDLE "amy-2"
#define ROLE   "qa-panel"

static void classify(const char *path, struct ss_layout_path *p)
{
	memset(p, 0x55, sizeof(*p)); /* nothing left over from before */
	ss_layout_classify(path, p);
}

static void test_audit_layout__fixed_names(void **state)
{
	struct ss_layout_path p;

	(void)state;
	classify("trail.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_TRAIL_FILE);
	assert_string_equal(p.month, "");
	classify("policy.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_POLICY_FILE);
	classify("allowed_signers", &p);
	assert_int_equal(p.kind, SS_LAYOUT_SIGNERS_FILE);
	classify("README", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
}

static void test_audit_layout__reviewer_round_trip(void **state)
{
	struct ss_layout_path p;
	char path[SS_LAYOUT_PATH_MAX];

	(void)state;
	assert_true(ss_layout_reviewer(path, sizeof(path), HANDLE));
	assert_string_equal(path, "reviewers/" HANDLE ".json");
	assert_true(ss_layout_in_reviewers(path));
	classify(path, &p);
	assert_int_equal(p.kind, SS_LAYOUT_REVIEWER);
	assert_string_equal(p.handle, HANDLE);
	/* under reviewers/ but no reviewer's file */
	assert_true(ss_layout_in_reviewers("reviewers/x/amy.json"));
	classify("reviewers/x/amy.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("reviewers/Amy.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("reviewers/.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("reviewers/amy.txt", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	assert_false(ss_layout_in_reviewers("reviewersx/amy.json"));
}

static void test_audit_layout__month_files_round_trip(void **state)
{
	static const struct {
		bool (*build)(char *, size_t, const char *);
		const char *want;
		enum ss_layout_kind kind;
	} cases[] = {
	    {ss_layout_population, "months/" MONTH "/population.jsonl", SS_LAYOUT_POPULATION},
	    {ss_layout_sources, "months/" MONTH "/sources.json", SS_LAYOUT_SOURCES},
	    {ss_layout_sample, "months/" MONTH "/sample.json", SS_LAYOUT_SAMPLE},
	    {ss_layout_closed, "months/" MONTH "/closed.json", SS_LAYOUT_CLOSED},
	};
	struct ss_layout_path p;
	char path[SS_LAYOUT_PATH_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(cases[i].build(path, sizeof(path), MONTH));
		assert_string_equal(path, cases[i].want);
		classify(path, &p);
		assert_int_equal(p.kind, cases[i].kind);
		assert_string_equal(p.month, MONTH);
	}
	assert_true(ss_layout_month_dir(path, sizeof(path), MONTH));
	assert_string_equal(path, "months/" MONTH);
	classify("months/" MONTH "/notes.txt", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	assert_string_equal(p.month, MONTH); /* a month's, but no act's */
}

static void test_audit_layout__per_record_round_trip(void **state)
{
	struct ss_layout_path p;
	char path[SS_LAYOUT_PATH_MAX];

	(void)state;
	assert_true(ss_layout_verdict(path, sizeof(path), MONTH, ID, ROLE, HANDLE));
	assert_string_equal(path, "months/" MONTH "/verdicts/ab/" ID "/" ROLE "." HANDLE ".json");
	classify(path, &p);
	assert_int_equal(p.kind, SS_LAYOUT_VERDICT);
	assert_string_equal(p.month, MONTH);
	assert_string_equal(p.id, ID);
	assert_string_equal(p.role, ROLE);
	assert_string_equal(p.handle, HANDLE);
	assert_true(ss_layout_verdict_dir(path, sizeof(path), MONTH, ID));
	assert_string_equal(path, "months/" MONTH "/verdicts/ab/" ID);

	assert_true(ss_layout_correction(path, sizeof(path), MONTH, ID, 42));
	assert_string_equal(path, "months/" MONTH "/corrections/ab/" ID "/0042.json");
	classify(path, &p);
	assert_int_equal(p.kind, SS_LAYOUT_CORRECTION);
	assert_string_equal(p.id, ID);
	assert_int_equal(p.number, 42);
	/* Not a number of four digits from 0001: the old TIME.HANDLE names too. */
	classify("months/" MONTH "/corrections/ab/" ID "/0000.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("months/" MONTH "/corrections/ab/" ID "/001.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("months/" MONTH "/corrections/ab/" ID "/00001.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("months/" MONTH "/corrections/ab/" ID "/20190704T101500Z." HANDLE ".json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	assert_true(ss_layout_correction_dir(path, sizeof(path), MONTH, ID));
	assert_string_equal(path, "months/" MONTH "/corrections/ab/" ID);

	assert_true(ss_layout_waiver(path, sizeof(path), MONTH, ID));
	assert_string_equal(path, "months/" MONTH "/waivers/ab/" ID ".json");
	classify(path, &p);
	assert_int_equal(p.kind, SS_LAYOUT_WAIVER);
	assert_string_equal(p.id, ID);

	/* Responses are numbered as corrections are. */
	assert_true(ss_layout_response(path, sizeof(path), MONTH, ID, 7));
	assert_string_equal(path, "months/" MONTH "/responses/ab/" ID "/0007.json");
	classify(path, &p);
	assert_int_equal(p.kind, SS_LAYOUT_RESPONSE);
	assert_string_equal(p.month, MONTH);
	assert_string_equal(p.id, ID);
	assert_int_equal(p.number, 7);
	assert_false(ss_layout_response(path, sizeof(path), MONTH, ID, 0));
	classify("months/" MONTH "/responses/ab/" ID "/0000.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("months/" MONTH "/responses/ab/" ID "/" ROLE "." HANDLE ".json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("months/" MONTH "/responses/cd/" ID "/0001.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	assert_true(ss_layout_response_dir(path, sizeof(path), MONTH, ID));
	assert_string_equal(path, "months/" MONTH "/responses/ab/" ID);
	assert_true(ss_layout_records_dir(path, sizeof(path), MONTH, SS_LAYOUT_RESPONSE));
	assert_string_equal(path, "months/" MONTH "/responses");
}

static void test_audit_layout__access_round_trip(void **state)
{
	struct ss_layout_path p;
	char path[SS_LAYOUT_PATH_MAX];

	(void)state;
	assert_true(ss_layout_access(path, sizeof(path), 7));
	assert_string_equal(path, "access/0007.json");
	classify(path, &p);
	assert_int_equal(p.kind, SS_LAYOUT_ACCESS_FILE);
	assert_int_equal(p.number, 7);
	assert_string_equal(p.month, "");
	assert_false(ss_layout_access(path, sizeof(path), 0));
	assert_false(ss_layout_access(path, sizeof(path), SS_LAYOUT_NUMBER_MAX + 1));
	classify("access/0000.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("access/07.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("access/0007.json/x", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	classify("access/sub/0007.json", &p);
	assert_int_equal(p.kind, SS_LAYOUT_OTHER);
	assert_true(ss_layout_dir_valid("access"));
	assert_false(ss_layout_dir_valid("access/sub"));
}

static void test_audit_layout__bad_paths_refused(void **state)
{
	static const char *const bad[] = {
	    "months/2019-13/sample.json",
	    "months/2019-00/sample.json",
	    "months/0019-06/sample.json",
	    "months/2019-6/sample.json",
	    "months/2019-06",
	    "months/2019-06sample.json",
	    "Months/2019-06/sample.json",
	    "months/2019-06/sample.json/x",
	    /* XX must be the id's own */
	    "months/2019-06/verdicts/zz/R-abcdefghijk23456/qa-panel.amy.json",
	    "months/2019-06/waivers/zz/R-abcdefghijk23456.json",
	    /* a bad id: too short, a character outside base32, no R- */
	    "months/2019-06/verdicts/ab/R-abcdefghijk2345/qa-panel.amy.json",
	    "months/2019-06/verdicts/ab/R-abcdefghijk23451/qa-panel.amy.json",
	    "months/2019-06/verdicts/ab/X-abcdefghijk23456/qa-panel.amy.json",
	    /* a bad role or handle, no handle, a subdirectory */
	    "months/2019-06/verdicts/ab/R-abcdefghijk23456/QA.amy.json",
	    "months/2019-06/verdicts/ab/R-abcdefghijk23456/qa-panel.json",
	    "months/2019-06/verdicts/ab/R-abcdefghijk23456/qa-panel.amy.txt",
	    "months/2019-06/verdicts/ab/R-abcdefghijk23456/x/qa-panel.amy.json",
	    /* a correction's time must be compact UTC */
	    "months/2019-06/corrections/ab/R-abcdefghijk23456/2019-07-04T10:15:00Z.amy.json",
	    "months/2019-06/corrections/ab/R-abcdefghijk23456/20190704T101500.amy.json",
	    "months/2019-06/corrections/ab/R-abcdefghijk23456/qa-panel.amy.json",
	    "months/2019-06/waivers/ab/R-abcdefghijk23456.txt",
	    "",
	};
	struct ss_layout_path p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		classify(bad[i], &p);
		if (p.kind != SS_LAYOUT_OTHER)
			fail_msg("'%s' classified as kind %d", bad[i], (int)p.kind);
	}
}

static void test_audit_layout__parts_checked(void **state)
{
	(void)state;
	assert_true(ss_layout_month_valid("2019-06"));
	assert_true(ss_layout_month_valid("1999-12"));
	assert_true(ss_layout_month_valid("2020-10"));
	assert_false(ss_layout_month_valid("2019-13"));
	assert_false(ss_layout_month_valid("2019-00"));
	assert_false(ss_layout_month_valid("2019-06-01"));
	assert_false(ss_layout_month_valid("2019/06"));
	assert_false(ss_layout_month_valid(NULL));
	assert_true(ss_layout_month_valid_n("2019-06/sample.json", 7));
	assert_true(ss_layout_id_valid(ID));
	assert_false(ss_layout_id_valid("R-ABCDEFGHIJK23456"));
	assert_false(ss_layout_id_valid("R-abcdefghijk2345"));
	assert_false(ss_layout_id_valid(NULL));
	assert_true(ss_layout_number_valid_n("9999", 4, NULL));
	assert_false(ss_layout_number_valid_n("0000", 4, NULL));
	assert_false(ss_layout_number_valid_n("00a1", 4, NULL));
	assert_true(ss_layout_verdict_file_in_role(ROLE "." HANDLE ".json", ROLE));
	assert_false(ss_layout_verdict_file_in_role(ROLE "x." HANDLE ".json", ROLE));
	assert_false(ss_layout_verdict_file_in_role("qa." HANDLE ".json", ROLE));
}

static void test_audit_layout__builders_say_when_cut_short(void **state)
{
	char path[SS_LAYOUT_PATH_MAX], small[20];

	(void)state;
	assert_false(ss_layout_verdict(small, sizeof(small), MONTH, ID, ROLE, HANDLE));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	/* the longest names fit SS_LAYOUT_PATH_MAX */
	assert_true(ss_layout_verdict(path, sizeof(path), MONTH, ID,
	                              "abcdefghijklmnopqrstuvwxyz012345",
	                              "abcdefghijklmnopqrstuvwxyz012345"));
}

/* Every folder a built path passes through is one, and nothing else. */
static void test_audit_layout__directories(void **state)
{
	char path[SS_LAYOUT_PATH_MAX], *slash;

	(void)state;
	assert_true(ss_layout_verdict(path, sizeof(path), MONTH, ID, ROLE, HANDLE));
	while ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		assert_true(ss_layout_dir_valid(path));
	}
	assert_true(ss_layout_correction_dir(path, sizeof(path), MONTH, ID));
	assert_true(ss_layout_dir_valid(path));
	assert_true(ss_layout_response_dir(path, sizeof(path), MONTH, ID));
	assert_true(ss_layout_dir_valid(path));
	assert_true(ss_layout_dir_valid("months/" MONTH "/responses/ab"));
	assert_false(ss_layout_dir_valid("months/" MONTH "/responses/ab/" ID "/x"));
	assert_true(ss_layout_dir_valid("reviewers"));
	assert_true(ss_layout_dir_valid("months/2026-10/roles")); /* the sample's ROLE.ids */
	assert_false(ss_layout_dir_valid("months/2026-10/roles/qa-panel"));
	assert_true(ss_layout_dir_valid("months/" MONTH "/waivers/ab"));
	assert_false(ss_layout_dir_valid("months/" MONTH "/waivers/ab/" ID));
	assert_false(ss_layout_dir_valid("months/" MONTH "/verdicts/ab/" ID "/x"));
	assert_false(ss_layout_dir_valid("months/" MONTH "/verdicts/cd/" ID));
	assert_false(ss_layout_dir_valid("months/" MONTH "/verdicts/a"));
	assert_false(ss_layout_dir_valid("months/" MONTH "/sample.json"));
	assert_false(ss_layout_dir_valid("months/" MONTH "/verdictsx"));
	assert_false(ss_layout_dir_valid("months/2019-13"));
	assert_false(ss_layout_dir_valid("reviewers/amy"));
	assert_false(ss_layout_dir_valid("deep"));
	assert_false(ss_layout_dir_valid(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_layout__fixed_names),
	    cmocka_unit_test(test_audit_layout__reviewer_round_trip),
	    cmocka_unit_test(test_audit_layout__month_files_round_trip),
	    cmocka_unit_test(test_audit_layout__per_record_round_trip),
	    cmocka_unit_test(test_audit_layout__access_round_trip),
	    cmocka_unit_test(test_audit_layout__bad_paths_refused),
	    cmocka_unit_test(test_audit_layout__parts_checked),
	    cmocka_unit_test(test_audit_layout__builders_say_when_cut_short),
	    cmocka_unit_test(test_audit_layout__directories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
