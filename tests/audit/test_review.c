/*
 * Tests of the worksheet reader's syntax layer (ss_worksheet_check_syntax):
 * what a spreadsheet writes (BOM, CRLF, quoted commas, quotes and line
 * breaks, detail columns in any order, trailing empty fields, blank lines)
 * is accepted with the right number of rows; what it must not be given is
 * refused at the right line and column. Rules that need a trail are covered
 * end to end by tests/e2e/review_worksheet.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "policy.h"
#include "reader.h"
#include "act.h"

static const char *policy_json =
    "{\"format\":\"ssaudit-policy-v1\",\"name\":\"t\",\"sample\":{\"rate\":\"25%\","
    "\"strata\":[],\"always\":[]},\"roles\":{\"coordinator\":{\"may\":[\"sample\"]},"
    "\"panel\":{\"may\":[\"review\"],\"reviews\":\"all\"}},"
    "\"verdict\":[{\"id\":\"grounds\",\"question\":\"q\",\"values\":[\"reasonable\"],"
    "\"required\":true},{\"id\":\"record\",\"question\":\"q\",\"values\":[\"complete\"],"
    "\"required\":false}],\"outcomes\":{\"positive\":[]},\"fields\":{\"officer\":\"kept\"}}";

static struct ss_policy *pol;

static int setup(void **state)
{
	(void)state;
	return ss_policy_parse(policy_json, strlen(policy_json), "test", &pol);
}

static int teardown(void **state)
{
	(void)state;
	ss_policy_free(pol);
	return 0;
}

static void accepts(const char *text, size_t want_rows)
{
	struct ss_diags d = {0};
	size_t rows = 99;
	int err;

	d.limit = 10;
	err = ss_worksheet_check_syntax(text, strlen(text), "w.csv", pol, &d, &rows);
	if (err)
		fail_msg("refused (%s:%zu:%zu: %s): %s", d.n ? d.d[0].file : "",
		         d.n ? d.d[0].line : 0, d.n ? d.d[0].col : 0, d.n ? d.d[0].msg : "", text);
	assert_int_equal(rows, want_rows);
	ss_diags_release(&d);
}

static void refuses(const char *text, size_t line, size_t col, const char *msg)
{
	struct ss_diags d = {0};
	size_t rows;

	d.limit = 10;
	assert_int_equal(ss_worksheet_check_syntax(text, strlen(text), "w.csv", pol, &d, &rows),
	                 SS_EDATA);
	assert_true(d.n >= 1);
	if (d.d[0].line != line || d.d[0].col != col || strstr(d.d[0].msg, msg) == NULL)
		fail_msg("wanted %zu:%zu '%s', got %zu:%zu '%s'", line, col, msg, d.d[0].line,
		         d.d[0].col, d.d[0].msg);
	ss_diags_release(&d);
}

#define HEAD "month,id,role,reviewer,grounds,record,note"

static void test_audit_review__spreadsheet_output_is_accepted(void **state)
{
	(void)state;
	accepts(HEAD "\n", 0);
	accepts(HEAD, 0);
	accepts(HEAD "\na,b,c,d,e,f,g\n", 1);
	/* BOM and CRLF, as Excel's "CSV UTF-8" writes. */
	accepts("\xef\xbb\xbf" HEAD "\r\na,b,c,d,e,f,g\r\n", 1);
	/* Quoted commas, doubled quotes and a line break inside a note. */
	accepts(HEAD "\r\na,b,c,d,e,f,\"he said \"\"no\"\", twice\r\nthen left\"\r\n", 1);
	/* Trailing empty fields and blank lines. */
	accepts(HEAD "\na,b,c,d,,,\n\n,,,,,,\na,b,c,d,e,f,g\n", 2);
	/* Detail columns anywhere, the optional question absent. */
	accepts("Area,month,id,role,reviewer,grounds,note,Grounds written by the officer\n"
	        "Powys,a,b,c,d,e,f,\"long, text\"\n",
	        1);
}

static void test_audit_review__malformed_is_refused_with_position(void **state)
{
	(void)state;
	refuses("", 1, 1, "the worksheet is empty");
	refuses(HEAD "\na,b,c,d,e,f,\"open\n", 2, 13, "a quoted value is never closed");
	refuses(HEAD "\na,b,c,d,e,f,\"x\"y\n", 2, 16, "text after a closing quote");
	refuses(HEAD "\na,b,c,d,e,f,x\"y\n", 2, 14, "a quote inside a value");
	refuses(HEAD "\na,b\rc,d,e,f,g\n", 2, 4, "a carriage return that does not end the line");
	refuses(HEAD "\na,b,c,d,e,f\n", 2, 1, "this row has 6 values but the header has 7 columns");
	refuses(HEAD "\na,b,c,d,e,f,caf\xe9\n", 2, 16, "not UTF-8");
	refuses("month,id,role,reviewer,record,note\n", 1, 1, "no 'grounds' column");
	refuses("month,id,role,grounds,note\n", 1, 1, "no 'reviewer' column");
	refuses(HEAD ",grounds\n", 1, 44, "the column 'grounds' appears twice");
}

/* What a spreadsheet does to a worksheet: capitals in the header are read;
 * a month turned into a date and a semicolon-separated file get a hint. */
static void test_audit_review__spreadsheet_habits(void **state)
{
	(void)state;
	accepts("Month,ID,Role,Reviewer,Grounds,Record,Note\n2026-10,R-a,p,x,reasonable,,\n", 1);
	/* the exact name wins; its capitalised twin is a column for the reader */
	accepts(HEAD ",Grounds\n2026-10,R-a,p,x,reasonable,,,text\n", 1);
	accepts("month,id,role,reviewer,grounds,record,note,MONTH,Month\n", 0);
	refuses("Month,MONTH,id,role,reviewer,grounds,record,note\n", 1, 7,
	        "the column 'MONTH' appears twice");
	refuses("month;id;role;reviewer;grounds;record;note\n", 1, 1,
	        "separated by semicolons, not commas");
	refuses(HEAD "\nNov-21,R-a,p,x,reasonable,,\n", 2, 1,
	        "this looks like a spreadsheet turned 2021-11 into a date: format the column as "
	        "text");
	refuses(HEAD "\n01/11/2021,R-a,p,x,reasonable,,\n", 2, 1,
	        "spreadsheet turned 2021-11 into a date");
	refuses(HEAD "\n2021-11-01,R-a,p,x,reasonable,,\n", 2, 1,
	        "spreadsheet turned 2021-11 into a date");
	refuses(HEAD "\nnov 2021,R-a,p,x,reasonable,,\n", 2, 1,
	        "spreadsheet turned 2021-11 into a date");
	accepts(HEAD "\n2021-11,R-a,p,x,reasonable,,\n", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_review__spreadsheet_output_is_accepted),
	    cmocka_unit_test(test_audit_review__malformed_is_refused_with_position),
	    cmocka_unit_test(test_audit_review__spreadsheet_habits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
