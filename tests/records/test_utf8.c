/*
 * test_utf8.c - the one UTF-8 validator: every well-formed sequence passes,
 * and overlong forms, surrogates, code points past U+10FFFF, stray bytes and
 * cut sequences are refused at the first byte of the bad sequence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static size_t seq(const char *s, size_t n)
{
	return ss_utf8_seq_len((const unsigned char *)s, n);
}

static void test_records_utf8__sequence_lengths(void **state)
{
	(void)state;
	assert_int_equal(seq("a", 1), 1);
	assert_int_equal(seq("\xc2\xa3", 2), 2);         /* U+00A3 */
	assert_int_equal(seq("\xe2\x82\xac", 3), 3);     /* U+20AC */
	assert_int_equal(seq("\xf0\x9f\x98\x80", 4), 4); /* U+1F600 */
	assert_int_equal(seq("\xf4\x8f\xbf\xbf", 4), 4); /* U+10FFFF */
	assert_int_equal(seq("\xed\x9f\xbf", 3), 3);     /* U+D7FF */
	assert_int_equal(seq("\xc0\x80", 2), 0);         /* overlong NUL */
	assert_int_equal(seq("\xc1\xbf", 2), 0);
	assert_int_equal(seq("\xe0\x80\xaf", 3), 0);     /* overlong '/' */
	assert_int_equal(seq("\xf0\x8f\xbf\xbf", 4), 0); /* overlong U+FFFF */
	assert_int_equal(seq("\xed\xa0\x80", 3), 0);     /* U+D800, a surrogate */
	assert_int_equal(seq("\xf4\x90\x80\x80", 4), 0); /* U+110000 */
	assert_int_equal(seq("\xf5\x80\x80\x80", 4), 0);
	assert_int_equal(seq("\x80", 1), 0);         /* a stray continuation byte */
	assert_int_equal(seq("\xe2\x82", 2), 0);     /* cut short */
	assert_int_equal(seq("\xe2\x82\xac", 2), 0); /* cut short by n */
	assert_int_equal(seq("\xe2\x28\xac", 3), 0);
}

static void test_records_utf8__valid_says_where(void **state)
{
	static const char good[] = "Si\xc3\xa2n ap Llwyd \xe2\x80\x94 \xf0\x9f\x98\x80";
	size_t bad = 99;

	(void)state;
	assert_true(ss_utf8_valid(good, sizeof(good) - 1, &bad));
	assert_int_equal(bad, 99);
	assert_true(ss_utf8_valid("", 0, NULL));
	assert_false(ss_utf8_valid("ab\xc3\xa2\xff", 5, &bad));
	assert_int_equal(bad, 4);
	assert_false(ss_utf8_valid("abc\xed\xa0\x80z", 7, &bad));
	assert_int_equal(bad, 3);
	assert_false(ss_utf8_valid("ab\xe2\x82", 4, &bad));
	assert_int_equal(bad, 2);
	assert_false(ss_utf8_valid("\xc3", 1, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_utf8__sequence_lengths),
	    cmocka_unit_test(test_records_utf8__valid_says_where),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
