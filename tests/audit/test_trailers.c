/*
 * test_trailers.c - a commit message written by store/trailers reads back
 * as written, and the reader reads trailers as git does: only in the last
 * paragraph, a trailer given twice or too long flagged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "trailers.h"

static void test_audit_trailers__write_then_parse(void **state)
{
	struct ss_trailers_msg m = {SS_ACTION_VERDICT, "2019-06", "R-abcdefghijk23456",
	                            "qa-panel",        "amy",     "Verdict on R-abcdefghijk23456",
	                            "In words.\n"};
	struct ss_trailers tr;
	char *text = ss_trailers_message(&m, true);
	size_t k;

	(void)state;
	assert_non_null(text);
	assert_string_equal(text, "Verdict on R-abcdefghijk23456\n\nIn words.\n\n"
	                          "Ssaudit-Action: verdict\n"
	                          "Ssaudit-Month: 2019-06\n"
	                          "Ssaudit-Record: R-abcdefghijk23456\n"
	                          "Ssaudit-Role: qa-panel\n"
	                          "Ssaudit-On-Behalf-Of: amy\n"
	                          "Ssaudit-Clock: fixed\n");
	ss_trailers_parse(text, &tr);
	assert_string_equal(tr.action, "verdict");
	assert_string_equal(tr.month, "2019-06");
	assert_string_equal(tr.record, "R-abcdefghijk23456");
	assert_string_equal(tr.role, "qa-panel");
	assert_string_equal(tr.behalf, "amy");
	assert_true(tr.fixed);
	assert_false(tr.too_long);
	for (k = 0; k < SS_TRAILER_COUNT; k++)
		assert_int_equal(tr.repeats[k], 0);
	free(text);
}

static void test_audit_trailers__optional_ones_left_out(void **state)
{
	struct ss_trailers_msg m = {SS_ACTION_POLICY,  NULL, NULL, NULL, NULL,
	                            "Policy replaced", NULL};
	struct ss_trailers tr;
	char *text = ss_trailers_message(&m, false);

	(void)state;
	assert_string_equal(text, "Policy replaced\n\nSsaudit-Action: policy\n");
	ss_trailers_parse(text, &tr);
	assert_string_equal(tr.action, "policy");
	assert_string_equal(tr.month, "");
	assert_string_equal(tr.behalf, "");
	assert_false(tr.fixed);
	free(text);
	/* a body without its final newline gets one */
	m.body = "Why.";
	text = ss_trailers_message(&m, false);
	assert_string_equal(text, "Policy replaced\n\nWhy.\n\nSsaudit-Action: policy\n");
	free(text);
}

static void test_audit_trailers__only_the_last_paragraph(void **state)
{
	struct ss_trailers tr;

	(void)state;
	ss_trailers_parse("Subject\n\nSsaudit-Action: close\nSsaudit-Month: 2019-06\n\n"
	                  "Ssaudit-Action: verdict\n\n\n",
	                  &tr);
	assert_string_equal(tr.action, "verdict");
	assert_string_equal(tr.month, "");
	/* any line of the last paragraph counts, after prose too */
	ss_trailers_parse("Subject\n\nbody\nSsaudit-Action: close", &tr);
	assert_string_equal(tr.action, "close");
	/* a trailer above the last paragraph does not */
	ss_trailers_parse("Ssaudit-Action: close\n\nbody", &tr);
	assert_string_equal(tr.action, "");
	/* exact key, then ": " */
	ss_trailers_parse("S\n\nssaudit-action: close\nSsaudit-Action:close\n", &tr);
	assert_string_equal(tr.action, "");
}

static void test_audit_trailers__twice_flagged(void **state)
{
	struct ss_trailers tr;

	(void)state;
	ss_trailers_parse("S\n\nSsaudit-Action: verdict\nSsaudit-Record: R-a\n"
	                  "Ssaudit-Action: close\nSsaudit-Action: reopen\n",
	                  &tr);
	assert_int_equal(tr.repeats[SS_TRAILER_ACTION], 2);
	assert_int_equal(tr.repeats[SS_TRAILER_RECORD], 0);
	assert_string_equal(tr.action, "reopen"); /* the last one given */
	assert_string_equal(ss_trailers_key(SS_TRAILER_ACTION), "Ssaudit-Action");
	assert_string_equal(ss_trailers_key(SS_TRAILER_ON_BEHALF_OF), "Ssaudit-On-Behalf-Of");
}

static void test_audit_trailers__too_long_flagged(void **state)
{
	struct ss_trailers tr;
	char msg[256];

	(void)state;
	memset(msg, 0, sizeof(msg));
	strcpy(msg, "S\n\nSsaudit-Role: ");
	memset(msg + strlen(msg), 'x', 39); /* role holds 39 bytes and its NUL */
	ss_trailers_parse(msg, &tr);
	assert_false(tr.too_long);
	assert_int_equal(strlen(tr.role), 39);
	msg[strlen(msg)] = 'x';
	ss_trailers_parse(msg, &tr);
	assert_true(tr.too_long);
	assert_int_equal(strlen(tr.role), 39);
}

static void test_audit_trailers__body_between_subject_and_trailers(void **state)
{
	const char *two = "verdict: x\n\nFirst line.\n\nSecond paragraph.\n\nSsaudit-Action: "
	                  "verdict\nSsaudit-Month: 2019-06\n";
	const char *none = "merge: x\n\nSsaudit-Action: merge\n";
	const char *words_last = "note: x\n\nJust words.\n";
	const char *body;
	size_t n;

	(void)state;
	ss_trailers_body(two, &body, &n);
	assert_int_equal(n, strlen("First line.\n\nSecond paragraph."));
	assert_memory_equal(body, "First line.\n\nSecond paragraph.", n);
	ss_trailers_body(none, &body, &n);
	assert_int_equal(n, 0);
	ss_trailers_body(words_last, &body, &n);
	assert_int_equal(n, strlen("Just words."));
	assert_memory_equal(body, "Just words.", n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_trailers__write_then_parse),
	    cmocka_unit_test(test_audit_trailers__optional_ones_left_out),
	    cmocka_unit_test(test_audit_trailers__only_the_last_paragraph),
	    cmocka_unit_test(test_audit_trailers__twice_flagged),
	    cmocka_unit_test(test_audit_trailers__too_long_flagged),
	    cmocka_unit_test(test_audit_trailers__body_between_subject_and_trailers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
