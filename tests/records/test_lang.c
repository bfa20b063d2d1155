/*
 * test_lang.c - English or Welsh: the language named by an option or the
 * environment, the Welsh catalogue found and used without a cy_GB locale,
 * both languages at once for a bilingual document, Welsh dates, and number
 * formatting left alone.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "lang.h"

static char localedir[4096];

static int setup(void **state)
{
	const char *b = getenv("SS_BUILD_DIR");

	(void)state;
	if (b == NULL) {
		fprintf(stderr, "SKIP: run through ctest (SS_BUILD_DIR names the build folder)\n");
		exit(77);
	}
	snprintf(localedir, sizeof(localedir), "%s/locale", b);
	return 0;
}

static void test_records_lang__parse(void **state)
{
	enum ss_lang l;

	(void)state;
	assert_int_equal(ss_lang_parse("en", &l), 0);
	assert_int_equal(l, SS_LANG_EN);
	assert_int_equal(ss_lang_parse("cy", &l), 0);
	assert_int_equal(l, SS_LANG_CY);
	assert_int_equal(ss_lang_parse("cy+en", &l), 0);
	assert_int_equal(l, SS_LANG_CY_EN);
	assert_int_equal(ss_lang_parse("cy_GB.UTF-8", &l), 0);
	assert_int_equal(l, SS_LANG_CY);
	assert_int_equal(ss_lang_parse("fr", &l), SS_EUSAGE);
	assert_non_null(strstr(ss_error_message(), "'fr' is not a language"));
	assert_int_equal(ss_lang_parse("cym", &l), SS_EUSAGE);
	assert_int_equal(ss_lang_parse("en+cy", &l), SS_EUSAGE);
}

static void test_records_lang__environment(void **state)
{
	enum ss_lang l;

	(void)state;
	unsetenv("SSAUDIT_LANG");
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	setenv("LANG", "cy_GB.UTF-8", 1);
	assert_int_equal(ss_lang_from_env(&l), 0);
	assert_int_equal(l, SS_LANG_CY);
	setenv("LC_ALL", "en_GB.UTF-8", 1); /* LC_ALL wins over LANG */
	assert_int_equal(ss_lang_from_env(&l), 0);
	assert_int_equal(l, SS_LANG_EN);
	setenv("SSAUDIT_LANG", "cy", 1); /* and SSAUDIT_LANG over both */
	assert_int_equal(ss_lang_from_env(&l), 0);
	assert_int_equal(l, SS_LANG_CY);
	setenv("SSAUDIT_LANG", "klingon", 1);
	assert_int_equal(ss_lang_from_env(&l), SS_EUSAGE);
	unsetenv("SSAUDIT_LANG");
	unsetenv("LC_ALL");
	setenv("LANG", "C.UTF-8", 1);
	assert_int_equal(ss_lang_from_env(&l), 0);
	assert_int_equal(l, SS_LANG_EN);
}

static void test_records_lang__welsh_without_the_locale(void **state)
{
	char d[64];

	(void)state;
	assert_int_equal(ss_lang_init(SS_LANG_CY, localedir), 0);
	assert_int_equal(ss_lang_current(), SS_LANG_CY);
	assert_string_equal(_("July"), "Gorffennaf");
	assert_string_equal(ss_lang_month_name(2), "Chwefror");
	assert_string_equal(ss_lang_weekday_name(1), "dydd Llun");
	assert_string_equal(ss_lang_date(d, sizeof(d), 2019, 7, 1, true),
	                    "dydd Llun 1 Gorffennaf 2019");
	assert_string_equal(ss_lang_date(d, sizeof(d), 2026, 12, 25, false), "25 Rhagfyr 2026");
	/* JSON and CSV keep decimal points: LC_NUMERIC is never touched. */
	snprintf(d, sizeof(d), "%.1f", 12.5);
	assert_string_equal(d, "12.5");
	assert_string_equal(setlocale(LC_NUMERIC, NULL), "C");
}

static void test_records_lang__both_at_once(void **state)
{
	char d[64];

	(void)state;
	assert_int_equal(ss_lang_init(SS_LANG_EN, localedir), 0);
	assert_string_equal(_("July"), "July");
	assert_string_equal(ss_lang_get(SS_LANG_CY, "July"), "Gorffennaf");
	assert_string_equal(ss_lang_get(SS_LANG_EN, "July"), "July");
	assert_string_equal(_("July"), "July"); /* English again after the Welsh one */
	assert_string_equal(ss_lang_date(d, sizeof(d), 2019, 6, 30, true), "Sunday 30 June 2019");
	assert_int_equal(ss_lang_init(SS_LANG_CY_EN, localedir), 0);
	assert_string_equal(ss_lang_get(SS_LANG_CY, "July"), "Gorffennaf");
	assert_string_equal(ss_lang_get(SS_LANG_EN, "July"), "July");
	assert_string_equal(_("July"), "Gorffennaf"); /* cy+en: messages in Welsh */
}

static void test_records_lang__missing_catalogue(void **state)
{
	(void)state;
	assert_int_equal(ss_lang_init(SS_LANG_CY, "/nonexistent-ssaudit-locale"), SS_ECONFIG);
	assert_non_null(strstr(ss_error_message(), "the Welsh messages are not installed"));
	assert_string_equal(_("July"), "July");
	assert_int_equal(ss_lang_init(SS_LANG_EN, localedir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_lang__parse),
	    cmocka_unit_test(test_records_lang__environment),
	    cmocka_unit_test(test_records_lang__welsh_without_the_locale),
	    cmocka_unit_test(test_records_lang__both_at_once),
	    cmocka_unit_test(test_records_lang__missing_catalogue),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
