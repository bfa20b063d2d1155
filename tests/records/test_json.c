/*
 * test_json.c - the strict JSON reader refuses what cJSON would let through,
 * each at the line and column a person editing the file would look at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "json.h"

/* Parse s; expect refusal with `code` and a message containing `want`. */
static void refused(const char *s, size_t len, int code, const char *want)
{
	struct ss_json *o = (struct ss_json *)1;

	assert_int_equal(ss_json_load(s, len, "f.json", code, SS_JSON_VOICE_POLICY, &o), code);
	assert_null(o);
	if (strstr(ss_error_message(), want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", ss_error_message(), want);
}

#define REFUSED(lit, want) refused(lit, sizeof(lit) - 1, SS_EDATA, want)

static void test_records_json__refusals_with_positions(void **state)
{
	(void)state;
	REFUSED("{\n  \"a\": \"b\xff\"\n}", "f.json:2:10: not valid UTF-8");
	REFUSED("{\"a\": 1}\0", "f.json:1:9: a NUL byte");
	REFUSED("{\n\"a\": \"x\\u0000y\"}", "f.json:2:8: \\u0000");
	REFUSED("{\"a\": [1, 2,]}", "f.json:1:");
	REFUSED("{\"a\": ", "the JSON ends too early");
	REFUSED("{\"a\": 1}\n\n  x", "f.json:3:3: unexpected text after the JSON");
	refused("[", 1, SS_ECONFIG, "f.json:1:1: not valid JSON here");
}

static void test_records_json__accepts_what_is_valid(void **state)
{
	/* An escaped quote does not end the string, so the escaped backslash before
	 * u0000 here is text, not a NUL escape. */
	static const char ok[] = "{\"a\": \"say \\\"hi\\\"\", \"b\": \"\\\\u0000\"}\r\n\t ";
	struct ss_json *o = NULL;
	struct ss_jv root, b;

	(void)state;
	assert_int_equal(
	    ss_json_load(ok, sizeof(ok) - 1, "f.json", SS_EDATA, SS_JSON_VOICE_POLICY, &o), 0);
	ss_json_root(o, &root);
	ss_jv_get(&root, "b", &b);
	assert_string_equal(ss_jv_str(&b), "\\u0000");
	assert_null(ss_json_duplicate_key(o));
	ss_json_free(o);
}

static void test_records_json__duplicate_keys_at_any_depth(void **state)
{
	static const char s[] = "{\"a\": [{\"x\": 1}, {\"y\": 1, \"z\": {\"k\": 1, \"k\": 2}}]}";
	struct ss_json *o = NULL;

	(void)state;
	assert_int_equal(
	    ss_json_load(s, sizeof(s) - 1, "f.json", SS_EDATA, SS_JSON_VOICE_POLICY, &o), 0);
	assert_string_equal(ss_json_duplicate_key(o), "k");
	ss_json_free(o);
}

static void test_records_json__object_only_and_keys_once(void **state)
{
	static const char arr[] = "[1]", dup[] = "{\"a\": {\"b\": 1, \"b\": 2}}";
	static const char ok[] = "{\"a\": {\"b\": 1}, \"b\": 2}";
	struct ss_json *o = NULL;
	struct ss_jv root;

	(void)state;
	assert_int_equal(ss_json_load_object(arr, 3, "f.json", SS_EDATA, SS_JSON_VOICE_FIELDS, &o),
	                 SS_EDATA);
	assert_null(o);
	assert_non_null(strstr(ss_error_message(), "f.json: must be a JSON object"));
	assert_int_equal(ss_json_load_object(dup, sizeof(dup) - 1, "f.json", SS_ECONFIG,
	                                     SS_JSON_VOICE_FIELDS, &o),
	                 SS_ECONFIG);
	assert_null(o);
	assert_non_null(strstr(ss_error_message(), "the key \"b\" is given twice"));
	assert_int_equal(
	    ss_json_load_object(ok, sizeof(ok) - 1, "f.json", SS_EDATA, SS_JSON_VOICE_FIELDS, &o),
	    0);
	ss_json_root(o, &root);
	assert_true(ss_jv_is(&root, SS_JT_OBJECT));
	ss_json_free(o);
}

/* The unchecked parse leaves the text to its reader, and says where the JSON
 * stops being JSON. */
static void test_records_json__unchecked_positions(void **state)
{
	static const char syntax[] = "[1,\n 2,,]", after[] = "[1]\n  x", nul[] = "[1]\0";
	struct ss_json *doc = NULL;
	struct ss_jv root;
	size_t at = 99;
	bool trailing = true;

	(void)state;
	assert_int_equal(
	    ss_json_load_unchecked(syntax, sizeof(syntax) - 1, "f.json", &doc, &at, &trailing),
	    SS_EDATA);
	assert_null(doc);
	assert_int_equal(at, 7);
	assert_false(trailing);
	assert_int_equal(
	    ss_json_load_unchecked(after, sizeof(after) - 1, "f.json", &doc, &at, &trailing),
	    SS_EDATA);
	assert_int_equal(at, 6);
	assert_true(trailing);
	/* A NUL byte is not white space. */
	assert_int_equal(
	    ss_json_load_unchecked(nul, sizeof(nul) - 1, "f.json", &doc, &at, &trailing), SS_EDATA);
	assert_int_equal(at, 3);
	assert_true(trailing);
	/* Invalid UTF-8 is the reader's to refuse. */
	assert_int_equal(ss_json_load_unchecked("[\"\xff\"]", 5, "f.json", &doc, &at, &trailing),
	                 0);
	ss_json_root(doc, &root);
	assert_int_equal(ss_jv_count(&root), 1);
	ss_json_free(doc);
	/* The strict parse still refuses a NUL after the value. */
	refused(nul, sizeof(nul) - 1, SS_EDATA, "f.json:1:4: a NUL byte");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_json__refusals_with_positions),
	    cmocka_unit_test(test_records_json__accepts_what_is_valid),
	    cmocka_unit_test(test_records_json__duplicate_keys_at_any_depth),
	    cmocka_unit_test(test_records_json__object_only_and_keys_once),
	    cmocka_unit_test(test_records_json__unchecked_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
