/*
 * Tests of the policy loader: the shipped policies, the rate and name
 * grammars, typed always-rules, role helpers, and the bad-policy corpus
 * (tests/corpus/policies/EXPECT: FILE, expected code, text the message must
 * name).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static const char *source_dir(void)
{
	const char *d = getenv("SS_SOURCE_DIR");

	return d ? d : ".";
}

static struct ss_policy *load_shipped(const char *file)
{
	struct ss_policy *p = NULL;
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/policies/%s", source_dir(), file);
	err = ss_policy_load(path, &p);
	if (err)
		fail_msg("%s: %s", file, ss_error_message());
	return p;
}

static struct ss_policy *parse(const char *text)
{
	struct ss_policy *p = NULL;

	if (ss_policy_parse(text, strlen(text), "inline.json", &p) != 0)
		fail_msg("inline policy refused: %s", ss_error_message());
	return p;
}

/* A valid policy around one always-rule, for rule tests. */
static struct ss_policy *with_rule(const char *rule)
{
	char text[4096];

	snprintf(
	    text, sizeof(text),
	    "{\"format\":\"ssaudit-policy-v1\",\"name\":\"t\",\"sample\":{\"rate\":\"25%%\","
	    "\"always\":[%s]},\"roles\":{\"c\":{\"may\":[\"sample\"]}},\"verdict\":[{\"id\":"
	    "\"g\",\"question\":\"q\",\"values\":[\"y\",\"n\"]}],\"outcomes\":{\"positive\":[]},"
	    "\"fields\":{\"officer\":\"kept\"}}",
	    rule);
	return parse(text);
}

static void blank_record(struct ss_record *r)
{
	int f;

	memset(r, 0, sizeof(*r));
	for (f = 0; f < SS_F_COUNT; f++)
		r->tri[f] = SS_TRI_NULL;
}

static void test_policies_policy__euppg_monthly_loads_as_designed(void **state)
{
	struct ss_policy *p = load_shipped("euppg-monthly.json");
	const struct ss_role *r;

	(void)state;
	assert_string_equal(p->rate, "25%");
	assert_int_equal(p->rate_bp, 2500);
	assert_int_equal(p->nstrata, 1);
	assert_int_equal(p->strata[0], SS_F_AREA);
	assert_int_equal(p->nalways, 3);
	assert_int_equal(p->nroles, 8);
	/* Section 7: a random core of 15%, the always-rules in the order strip
	 * search, children, section 60, each labelled for the warnings. */
	assert_int_equal(p->format, 2);
	assert_string_equal(p->random, "15%");
	assert_int_equal(p->random_bp, 1500);
	assert_null(ss_policy_random_warning(p));
	assert_int_equal(p->always[0].field, SS_F_REMOVAL);
	assert_int_equal(p->always[1].field, SS_F_AGE_RANGE);
	assert_int_equal(p->always[2].field, SS_F_LEGISLATION);
	{
		char w[128];

		ss_rule_words(p, 0, w, sizeof(w));
		assert_string_equal(w, "the strip-search rule");
		assert_string_equal(ss_wording_get(&p->always[2].label, "cy", "x"), "Adran 60");
		assert_string_equal(ss_wording_get(&p->always[0].label, "cy", "x"),
		                    "chwiliad stripio");
	}
	r = ss_policy_role(p, "records-officer");
	assert_true(ss_role_may(r, SS_MAY_CORRECT) && ss_role_may(r, SS_MAY_RESPOND));
	r = ss_policy_role(p, "professional-standards");
	assert_non_null(r);
	assert_int_equal(r->may, SS_MAY_RESPOND);
	assert_true(ss_role_may(ss_policy_role(p, "coordinator"), SS_MAY_REVEAL));
	assert_true(ss_role_registers(ss_policy_role(p, "coordinator"), "professional-standards"));
	assert_int_equal(p->noutcomes, 15);
	assert_true(ss_policy_outcome_known(p, "A no further action disposal"));
	assert_false(ss_policy_outcome_known(p, "arrest"));
	assert_true(ss_policy_follow_up(p, "not-reasonable") && ss_policy_follow_up(p, "concerns"));
	assert_false(ss_policy_follow_up(p, "reasonable"));
	assert_int_equal(p->nresponses, 5);
	assert_true(ss_policy_response_known(p, "referred-to-professional-standards"));
	assert_string_equal(ss_wording_get(&p->questions[0].value_words[0], "cy", "x"),
	                    "sail resymol");
	assert_string_equal(ss_wording_get(&p->questions[0].value_words[1], "cy", "x"),
	                    "dim sail resymol");
	assert_string_equal(ss_wording_get(&p->questions[0].value_words[1], "en", "x"),
	                    "not-reasonable");

	r = ss_policy_role(p, "coordinator");
	assert_non_null(r);
	assert_true(ss_role_may(r, SS_MAY_IMPORT) && ss_role_may(r, SS_MAY_SAMPLE) &&
	            ss_role_may(r, SS_MAY_CLOSE) && ss_role_may(r, SS_MAY_POLICY) &&
	            ss_role_may(r, SS_MAY_CORRECT));
	assert_false(ss_role_may(r, SS_MAY_REVIEW));
	assert_true(ss_role_registers(r, "local-inspector"));
	assert_true(ss_role_registers(r, "records-officer"));
	assert_true(ss_role_registers(r, "pcc-office"));
	assert_false(ss_role_registers(r, "qa-panel"));

	r = ss_policy_role(p, "pcc-office");
	assert_true(ss_role_registers(r, "independent-inspector"));
	assert_true(ss_role_registers(r, "qa-panel"));
	assert_true(ss_role_registers(r, "panel-secretary"));
	assert_int_equal(r->may, 0);

	assert_int_equal(ss_policy_role(p, "local-inspector")->reviews, SS_REVIEWS_ALL);
	assert_int_equal(ss_policy_role(p, "independent-inspector")->reviews, SS_REVIEWS_ALL);
	r = ss_policy_role(p, "qa-panel");
	assert_int_equal(r->reviews, SS_REVIEWS_COUNT);
	assert_int_equal(r->reviews_count, 20);
	r = ss_policy_role(p, "panel-secretary");
	assert_true(ss_role_enters_for(r, "qa-panel"));
	assert_false(ss_role_enters_for(r, "local-inspector"));
	assert_false(ss_role_may(r, SS_MAY_REVIEW));
	r = ss_policy_role(p, "records-officer");
	assert_true(ss_role_may(r, SS_MAY_CORRECT));
	assert_int_equal(r->reviews, SS_REVIEWS_NONE);
	assert_null(ss_policy_role(p, "nobody"));

	assert_int_equal(p->nquestions, 4);
	assert_string_equal(p->questions[0].id, "grounds");
	assert_int_equal(p->questions[0].nvalues, 3);
	assert_string_equal(p->questions[0].values[2], "insufficient-information");
	assert_true(ss_policy_question(p, "conduct")->required);
	assert_true(ss_policy_question(p, "bwv")->required);
	assert_false(ss_policy_question(p, "record")->required);
	assert_null(ss_policy_question(p, "note"));

	assert_true(ss_policy_outcome_positive(p, "Arrest"));
	assert_true(ss_policy_outcome_positive(p, "Community resolution"));
	assert_false(ss_policy_outcome_positive(p, "A no further action disposal"));
	assert_false(ss_policy_outcome_positive(p, NULL));
	assert_false(ss_policy_outcome_positive(p, "arrest"));

	assert_true(p->officer_pseudonymised);
	assert_true(p->blind);
	assert_int_equal(p->public_min, 5);
	assert_int_equal(p->ncensus, 4);
	assert_non_null(strstr(p->census_source, "ILLUSTRATIVE"));
	ss_policy_free(p);
}

static void test_policies_policy__euppg_always_rules_catch_the_real_strings(void **state)
{
	struct ss_policy *p = load_shipped("euppg-monthly.json");
	struct ss_record r;
	size_t i;
	int hits;

	(void)state;
	blank_record(&r);
	r.str[SS_F_LEGISLATION] = "Criminal Justice and Public Order Act 1994 (section 60)";
	for (i = 0, hits = 0; i < p->nalways; i++)
		hits += ss_rule_matches(&p->always[i], &r);
	assert_int_equal(hits, 1);
	/* 60AA (face coverings) is a different power. */
	r.str[SS_F_LEGISLATION] = "Criminal Justice and Public Order Act 1994 (section 60AA)";
	for (i = 0, hits = 0; i < p->nalways; i++)
		hits += ss_rule_matches(&p->always[i], &r);
	assert_int_equal(hits, 0);
	r.str[SS_F_LEGISLATION] = "Misuse of Drugs Act 1971 (section 23)";
	r.str[SS_F_AGE_RANGE] = "10-17";
	for (i = 0, hits = 0; i < p->nalways; i++)
		hits += ss_rule_matches(&p->always[i], &r);
	assert_int_equal(hits, 1);
	r.str[SS_F_AGE_RANGE] = "18-24";
	r.tri[SS_F_REMOVAL] = SS_TRI_TRUE;
	for (i = 0, hits = 0; i < p->nalways; i++)
		hits += ss_rule_matches(&p->always[i], &r);
	assert_int_equal(hits, 1);
	r.tri[SS_F_REMOVAL] = SS_TRI_FALSE;
	for (i = 0, hits = 0; i < p->nalways; i++)
		hits += ss_rule_matches(&p->always[i], &r);
	assert_int_equal(hits, 0);
	ss_policy_free(p);
}

/* The real data.police.uk files use exactly the section 60 string the rule names. */
static void test_policies_policy__section_60_string_is_in_real_data(void **state)
{
	const char *dir = getenv("SS_SHARED_DIR");
	char path[4096], line[4096];
	FILE *f;
	int found = 0;

	(void)state;
	if (dir == NULL) {
		skip();
		return;
	}
	snprintf(path, sizeof(path), "%s/data/police-uk/2021-10-metropolitan-stop-and-search.csv",
	         dir);
	if ((f = fopen(path, "r")) == NULL) {
		skip();
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, ",Criminal Justice and Public Order Act 1994 (section 60),") !=
		    NULL)
			found++;
	fclose(f);
	assert_true(found > 0);
}

static void test_policies_policy__second_example_loads(void **state)
{
	struct ss_policy *p = load_shipped("met-community-monitoring.json");
	const struct ss_role *r;

	(void)state;
	assert_int_equal(p->rate_bp, 1250);
	assert_int_equal(p->strata[0], SS_F_OFFICER_DEFINED_ETHNICITY);
	r = ss_policy_role(p, "community-monitoring-group");
	assert_int_equal(r->reviews, SS_REVIEWS_RATE);
	assert_int_equal(r->reviews_bp, 5000);
	assert_false(p->officer_pseudonymised);
	assert_true(p->blind); /* the default */
	assert_int_equal(p->public_min, 10);
	ss_policy_free(p);
}

static void test_policies_policy__rate_grammar(void **state)
{
	static const struct {
		const char *s;
		unsigned bp;
	} good[] = {{"25%", 2500},      {"12.5%", 1250},  {"100%", 10000}, {"100.0%", 10000},
	            {"100.00%", 10000}, {"0.01%", 1},     {"7%", 700},     {"05%", 500},
	            {"0%", 0},          {"99.99%", 9999}, {"33.3%", 3330}};
	static const char *const bad[] = {"101%", "100.5%", "100.01%", "25",   "25 %", "1.234%",
	                                  ".5%",  "%",      "",        "25%%", "-5%",  "1000%",
	                                  "12.%", " 25%",   "25%\n",   "2,5%", "+5%",  "999%"};
	size_t i;
	unsigned bp;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		bp = 12345;
		if (ss_rate_parse(good[i].s, &bp) != 0)
			fail_msg("refused \"%s\"", good[i].s);
		assert_int_equal(bp, good[i].bp);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ss_rate_parse(bad[i], &bp) != SS_ECONFIG)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void test_policies_policy__name_grammar(void **state)
{
	static const char *const good[] = {"a",  "qa-panel", "0abc",
	                                   "a-", "a--b",     "abcdefghijklmnopqrstuvwxyz012345"};
	static const char *const bad[] = {
	    "",        "-a",       "A",   "a_b",
	    "a b",     "\xc3\xa9", "a.b", "abcdefghijklmnopqrstuvwxyz0123456",
	    "qa/panel"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(ss_name_valid(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ss_name_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(ss_name_valid(NULL));
}

static void test_policies_policy__rules_compare_typed_values(void **state)
{
	struct ss_policy *p;
	struct ss_record r;

	(void)state;
	blank_record(&r);

	/* equals true matches only true, not false and not blank */
	p = with_rule("{\"field\":\"removal_of_more_than_outer_clothing\",\"equals\":true}");
	assert_false(ss_rule_matches(&p->always[0], &r));
	r.tri[SS_F_REMOVAL] = SS_TRI_FALSE;
	assert_false(ss_rule_matches(&p->always[0], &r));
	r.tri[SS_F_REMOVAL] = SS_TRI_TRUE;
	assert_true(ss_rule_matches(&p->always[0], &r));
	ss_policy_free(p);

	/* equals null on a boolean matches only a blank */
	p = with_rule("{\"field\":\"removal_of_more_than_outer_clothing\",\"equals\":null}");
	assert_false(ss_rule_matches(&p->always[0], &r));
	r.tri[SS_F_REMOVAL] = SS_TRI_NULL;
	assert_true(ss_rule_matches(&p->always[0], &r));
	ss_policy_free(p);

	/* strings byte for byte: no trimming, no case-folding */
	p = with_rule("{\"field\":\"age_range\",\"equals\":\"10-17\"}");
	assert_false(ss_rule_matches(&p->always[0], &r));
	r.str[SS_F_AGE_RANGE] = "10-17 ";
	assert_false(ss_rule_matches(&p->always[0], &r));
	r.str[SS_F_AGE_RANGE] = "10-17";
	assert_true(ss_rule_matches(&p->always[0], &r));
	ss_policy_free(p);

	/* in: any member, null among them matching a blank */
	p = with_rule("{\"field\":\"age_range\",\"in\":[null,\"under 10\"]}");
	assert_false(ss_rule_matches(&p->always[0], &r));
	r.str[SS_F_AGE_RANGE] = "under 10";
	assert_true(ss_rule_matches(&p->always[0], &r));
	r.str[SS_F_AGE_RANGE] = NULL;
	assert_true(ss_rule_matches(&p->always[0], &r));
	r.str[SS_F_AGE_RANGE] = "Under 10";
	assert_false(ss_rule_matches(&p->always[0], &r));
	ss_policy_free(p);

	/* contains: case-sensitive substring, never a blank */
	p = with_rule("{\"field\":\"legislation\",\"contains\":\"section 60\"}");
	assert_false(ss_rule_matches(&p->always[0], &r));
	r.str[SS_F_LEGISLATION] = "Criminal Justice and Public Order Act 1994 (section 60)";
	assert_true(ss_rule_matches(&p->always[0], &r));
	r.str[SS_F_LEGISLATION] = "CRIMINAL JUSTICE AND PUBLIC ORDER ACT 1994 (SECTION 60)";
	assert_false(ss_rule_matches(&p->always[0], &r));
	ss_policy_free(p);
}

static void test_policies_policy__messages_name_file_and_key(void **state)
{
	static const char text[] =
	    "{\"format\":\"ssaudit-policy-v1\",\"name\":\"t\",\"sample\":{\"rate\":\"25%\","
	    "\"always\":[{\"field\":\"age_range\",\"equals\":\"10-17\"},{\"field\":\"age_range\","
	    "\"in\":[\"x\"]},{\"field\":\"outcome_linked_to_object_of_search\",\"equals\":\"yes\"}]"
	    "},"
	    "\"roles\":{\"c\":{\"may\":[\"sample\"]}},\"verdict\":[{\"id\":\"g\",\"question\":"
	    "\"q\","
	    "\"values\":[\"y\"]}],\"outcomes\":{\"positive\":[]},\"fields\":{\"officer\":\"kept\"}"
	    "}";
	struct ss_policy *p = (struct ss_policy *)1;

	(void)state;
	assert_int_equal(ss_policy_parse(text, strlen(text), "policy.json", &p), SS_ECONFIG);
	assert_null(p);
	assert_non_null(strstr(ss_error_message(), "policy.json: sample.always[2].equals: "));
	assert_int_equal(ss_error_exit_status(SS_ECONFIG), 78);

	assert_int_equal(ss_policy_parse("{\n  \"format\": ,\n}", 17, "x.json", &p), SS_ECONFIG);
	assert_non_null(strstr(ss_error_message(), "x.json:2:13: "));
}

static void test_policies_policy__missing_file_is_not_a_policy_error(void **state)
{
	struct ss_policy *p = NULL;

	(void)state;
	assert_int_equal(ss_policy_load("no-such-policy.json", &p), SS_ENOINPUT);
	assert_null(p);
	assert_non_null(strstr(ss_error_message(), "no-such-policy.json"));
}

/* A v1 file still loads (section 7): no random core (the whole rate, with a
 * warning), data.police.uk's outcomes, the default follow-up and responses. */
static void test_policies_policy__v1_loads_with_v1_defaults(void **state)
{
	struct ss_policy *p = with_rule("{\"field\":\"age_range\",\"equals\":\"10-17\"}");

	(void)state;
	assert_int_equal(p->format, 1);
	assert_null(p->random);
	assert_int_equal(p->random_bp, p->rate_bp);
	assert_non_null(ss_policy_random_warning(p));
	assert_non_null(strstr(ss_policy_random_warning(p), "sample.random"));
	assert_int_equal(p->noutcomes, 15);
	assert_true(ss_policy_outcome_known(p, "Summons / charged by post"));
	assert_true(ss_policy_outcome_known(p, "Suspect arrested"));
	assert_int_equal(p->nfollow_up, 2);
	assert_true(ss_policy_follow_up(p, "concerns"));
	assert_int_equal(p->nresponses, 5);
	assert_true(ss_policy_response_known(p, "disagree-with-finding"));
	assert_null(p->always[0].label.en);
	{
		char w[128];

		ss_rule_words(p, 0, w, sizeof(w));
		assert_string_equal(w, "rule 1 (age_range)");
	}
	ss_policy_free(p);
}

static void test_policies_policy__corpus(void **state)
{
	char dir[4096], manifest[4200], path[8400], line[1024];
	FILE *f;
	int cases = 0, bad = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/corpus/policies", source_dir());
	snprintf(manifest, sizeof(manifest), "%s/EXPECT", dir);
	f = fopen(manifest, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *file, *code, *expect, *save = NULL;
		struct ss_policy *p = NULL;
		int err;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		file = strtok_r(line, "\t", &save);
		code = strtok_r(NULL, "\t", &save);
		expect = strtok_r(NULL, "\t", &save);
		assert_non_null(expect);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		err = ss_policy_load(path, &p);
		cases++;
		if (-err != atoi(code)) {
			print_error("%s: expected %s, got %d (%s)\n", file, code, -err,
			            ss_error_message());
			bad++;
		} else if (err != 0 && (strstr(ss_error_message(), expect) == NULL ||
		                        strstr(ss_error_message(), file) == NULL)) {
			print_error("%s: message \"%s\" does not name \"%s\"\n", file,
			            ss_error_message(), expect);
			bad++;
		} else if (err != 0 && p != NULL) {
			print_error("%s: a refused policy was returned\n", file);
			bad++;
		}
		ss_policy_free(p);
	}
	fclose(f);
	assert_true(cases >= 13);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_policies_policy__euppg_monthly_loads_as_designed),
	    cmocka_unit_test(test_policies_policy__euppg_always_rules_catch_the_real_strings),
	    cmocka_unit_test(test_policies_policy__section_60_string_is_in_real_data),
	    cmocka_unit_test(test_policies_policy__second_example_loads),
	    cmocka_unit_test(test_policies_policy__rate_grammar),
	    cmocka_unit_test(test_policies_policy__name_grammar),
	    cmocka_unit_test(test_policies_policy__rules_compare_typed_values),
	    cmocka_unit_test(test_policies_policy__messages_name_file_and_key),
	    cmocka_unit_test(test_policies_policy__missing_file_is_not_a_policy_error),
	    cmocka_unit_test(test_policies_policy__v1_loads_with_v1_defaults),
	    cmocka_unit_test(test_policies_policy__corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
