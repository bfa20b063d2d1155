/*
 * test_rules.c - store/rules' one table: each act is named by its trailer,
 * needs its permission, and may write only its own kinds of path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "rules.h"
#include "trail.h"

static const enum ss_layout_kind all_kinds[] = {
    SS_LAYOUT_OTHER,      SS_LAYOUT_TRAIL_FILE, SS_LAYOUT_POLICY_FILE, SS_LAYOUT_SIGNERS_FILE,
    SS_LAYOUT_REVIEWER,   SS_LAYOUT_POPULATION, SS_LAYOUT_SOURCES,     SS_LAYOUT_SAMPLE,
    SS_LAYOUT_VERDICT,    SS_LAYOUT_CORRECTION, SS_LAYOUT_WAIVER,      SS_LAYOUT_CLOSED,
    SS_LAYOUT_ACCESS_FILE};
static const int all_statuses[] = {SS_PATH_ADDED, SS_PATH_MODIFIED, SS_PATH_DELETED};

/* How many (kind, status) pairs act a may write. */
static size_t writable(enum ss_action a)
{
	size_t i, j, n = 0;

	for (i = 0; i < sizeof(all_kinds) / sizeof(all_kinds[0]); i++)
		for (j = 0; j < 3; j++)
			n += ss_rules_path_allowed(a, all_kinds[i], all_statuses[j]);
	return n;
}

static void test_audit_rules__trailer_names_round_trip(void **state)
{
	enum ss_action a;

	(void)state;
	for (a = SS_ACTION_INIT; a <= SS_ACTION_REVEAL; a++) {
		assert_int_equal(ss_rules_get(a)->action, a);
		assert_true(*ss_rules_trailer(a) != '\0');
		assert_int_equal(ss_rules_action(ss_rules_trailer(a)), a);
	}
	assert_int_equal(ss_rules_action(""), SS_ACTION_NONE);
	assert_int_equal(ss_rules_action("Verdict"), SS_ACTION_UNKNOWN);
	assert_int_equal(ss_rules_action("verdicts"), SS_ACTION_UNKNOWN);
	assert_int_equal(ss_rules_action("reviewer-add"), SS_ACTION_REVIEWER_ADD);
	assert_string_equal(ss_rules_trailer(SS_ACTION_CORRECTION), "correction");
}

static void test_audit_rules__verdict_adds_or_changes_a_verdict_only(void **state)
{
	(void)state;
	assert_true(ss_rules_path_allowed(SS_ACTION_VERDICT, SS_LAYOUT_VERDICT, SS_PATH_ADDED));
	assert_true(ss_rules_path_allowed(SS_ACTION_VERDICT, SS_LAYOUT_VERDICT, SS_PATH_MODIFIED));
	assert_false(ss_rules_path_allowed(SS_ACTION_VERDICT, SS_LAYOUT_VERDICT, SS_PATH_DELETED));
	assert_false(ss_rules_path_allowed(SS_ACTION_VERDICT, SS_LAYOUT_WAIVER, SS_PATH_ADDED));
	assert_false(ss_rules_path_allowed(SS_ACTION_VERDICT, SS_LAYOUT_SAMPLE, SS_PATH_ADDED));
	assert_int_equal(writable(SS_ACTION_VERDICT), 2);
	assert_int_equal(ss_rules_get(SS_ACTION_VERDICT)->records, SS_LAYOUT_VERDICT);
}

static void test_audit_rules__each_act_writes_its_own(void **state)
{
	(void)state;
	assert_true(
	    ss_rules_path_allowed(SS_ACTION_POLICY, SS_LAYOUT_POLICY_FILE, SS_PATH_MODIFIED));
	assert_false(ss_rules_path_allowed(SS_ACTION_POLICY, SS_LAYOUT_POLICY_FILE, SS_PATH_ADDED));
	assert_int_equal(writable(SS_ACTION_POLICY), 1);
	assert_true(
	    ss_rules_path_allowed(SS_ACTION_REVIEWER_ADD, SS_LAYOUT_REVIEWER, SS_PATH_ADDED));
	assert_false(
	    ss_rules_path_allowed(SS_ACTION_REVIEWER_ADD, SS_LAYOUT_REVIEWER, SS_PATH_MODIFIED));
	assert_true(
	    ss_rules_path_allowed(SS_ACTION_REVIEWER_REMOVE, SS_LAYOUT_REVIEWER, SS_PATH_MODIFIED));
	/* a removal keeps the file */
	assert_false(
	    ss_rules_path_allowed(SS_ACTION_REVIEWER_REMOVE, SS_LAYOUT_REVIEWER, SS_PATH_DELETED));
	assert_int_equal(writable(SS_ACTION_IMPORT), 4);
	assert_false(
	    ss_rules_path_allowed(SS_ACTION_IMPORT, SS_LAYOUT_POPULATION, SS_PATH_DELETED));
	assert_int_equal(writable(SS_ACTION_SAMPLE), 1);
	assert_true(ss_rules_path_allowed(SS_ACTION_SAMPLE, SS_LAYOUT_SAMPLE, SS_PATH_ADDED));
	assert_int_equal(writable(SS_ACTION_CORRECTION), 1);
	assert_true(
	    ss_rules_path_allowed(SS_ACTION_CORRECTION, SS_LAYOUT_CORRECTION, SS_PATH_ADDED));
	assert_true(ss_rules_path_allowed(SS_ACTION_CLOSE, SS_LAYOUT_CLOSED, SS_PATH_ADDED));
	assert_true(ss_rules_path_allowed(SS_ACTION_CLOSE, SS_LAYOUT_CLOSED, SS_PATH_MODIFIED));
	assert_true(ss_rules_path_allowed(SS_ACTION_CLOSE, SS_LAYOUT_WAIVER, SS_PATH_ADDED));
	assert_false(ss_rules_path_allowed(SS_ACTION_CLOSE, SS_LAYOUT_WAIVER, SS_PATH_MODIFIED));
	assert_int_equal(writable(SS_ACTION_REOPEN), 1);
	assert_true(ss_rules_path_allowed(SS_ACTION_REOPEN, SS_LAYOUT_CLOSED, SS_PATH_MODIFIED));
	/* reveal: a new access log entry, never changed or deleted */
	assert_int_equal(writable(SS_ACTION_REVEAL), 1);
	assert_true(ss_rules_path_allowed(SS_ACTION_REVEAL, SS_LAYOUT_ACCESS_FILE, SS_PATH_ADDED));
	assert_false(
	    ss_rules_path_allowed(SS_ACTION_REVEAL, SS_LAYOUT_ACCESS_FILE, SS_PATH_MODIFIED));
	assert_int_equal(ss_rules_get(SS_ACTION_REVEAL)->records, SS_LAYOUT_ACCESS_FILE);
	assert_int_equal(ss_rules_action("reveal"), SS_ACTION_REVEAL);
	/* checked as a whole, never path by path */
	assert_int_equal(writable(SS_ACTION_INIT), 0);
	assert_int_equal(writable(SS_ACTION_MERGE), 0);
	assert_int_equal(writable(SS_ACTION_NONE), 0);
	assert_int_equal(writable(SS_ACTION_UNKNOWN), 0);
}

static void test_audit_rules__nothing_may_touch_the_fixed_files(void **state)
{
	enum ss_action a;
	size_t j;

	(void)state;
	for (a = SS_ACTION_NONE; a <= SS_ACTION_REVEAL; a++)
		for (j = 0; j < 3; j++) {
			assert_false(
			    ss_rules_path_allowed(a, SS_LAYOUT_TRAIL_FILE, all_statuses[j]));
			assert_false(
			    ss_rules_path_allowed(a, SS_LAYOUT_SIGNERS_FILE, all_statuses[j]));
			assert_false(ss_rules_path_allowed(a, SS_LAYOUT_OTHER, all_statuses[j]));
		}
}

static void test_audit_rules__permissions(void **state)
{
	(void)state;
	assert_int_equal(ss_rules_may(SS_ACTION_POLICY), SS_MAY_POLICY);
	assert_int_equal(ss_rules_may(SS_ACTION_IMPORT), SS_MAY_IMPORT);
	assert_int_equal(ss_rules_may(SS_ACTION_SAMPLE), SS_MAY_SAMPLE);
	assert_int_equal(ss_rules_may(SS_ACTION_VERDICT), SS_MAY_REVIEW);
	assert_int_equal(ss_rules_may(SS_ACTION_CORRECTION), SS_MAY_CORRECT);
	assert_int_equal(ss_rules_may(SS_ACTION_CLOSE), SS_MAY_CLOSE);
	assert_int_equal(ss_rules_may(SS_ACTION_REOPEN), SS_MAY_CLOSE);
	assert_int_equal(ss_rules_may(SS_ACTION_REVEAL), SS_MAY_REVEAL);
	assert_int_equal(ss_rules_may(SS_ACTION_REVIEWER_ADD), 0);
	assert_int_equal(ss_rules_may(SS_ACTION_INIT), 0);
	assert_int_equal(ss_rules_may(SS_ACTION_MERGE), 0);
	assert_int_equal(ss_rules_may((enum ss_action)99), 0);
}

static void test_audit_rules__words(void **state)
{
	(void)state;
	assert_string_equal(ss_rules_may_words(SS_MAY_POLICY), "change the policy");
	assert_string_equal(ss_rules_may_words(SS_MAY_ENTER_FOR), "enter verdicts for others");
	assert_string_equal(ss_rules_may_words(SS_MAY_CLOSE), "close or reopen months");
	assert_string_equal(ss_rules_may_words(0), "do that");
	assert_string_equal(ss_rules_writer_of(SS_LAYOUT_SAMPLE), "a sample commit");
	assert_string_equal(ss_rules_writer_of(SS_LAYOUT_SOURCES), "an import");
	assert_string_equal(ss_rules_writer_of(SS_LAYOUT_TRAIL_FILE), "only the first commit");
	assert_string_equal(ss_rules_writer_of(SS_LAYOUT_OTHER), "no act of ssaudit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_rules__trailer_names_round_trip),
	    cmocka_unit_test(test_audit_rules__verdict_adds_or_changes_a_verdict_only),
	    cmocka_unit_test(test_audit_rules__each_act_writes_its_own),
	    cmocka_unit_test(test_audit_rules__nothing_may_touch_the_fixed_files),
	    cmocka_unit_test(test_audit_rules__permissions),
	    cmocka_unit_test(test_audit_rules__words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
