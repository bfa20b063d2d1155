/*
 * Tests of the one CSV tokenizer (records/csvtok.c): quoted values, CRLF,
 * a byte order mark, positions after quoted line breaks, every structural
 * error at its line and column, and reading through a window that ends
 * before the file does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csvtok.h"

#define MAXF 32

struct tokens {
	struct ss_csvfield f[MAXF];
	enum ss_csvtok_step step[MAXF];
	size_t n;
	enum ss_csvtok_step end; /* what stopped it: END, UNCLOSED or MORE */
};

/* Every field of s (the whole file) into *out. */
static void tokenize(const char *s, unsigned flags, struct tokens *out)
{
	struct ss_csvtok t;

	memset(out, 0, sizeof(*out));
	ss_csvtok_init(&t, s, strlen(s), true, flags);
	for (;;) {
		struct ss_csvtok before = t;
		enum ss_csvtok_step st;

		assert_true(out->n < MAXF);
		st = ss_csvtok_next(&t, &out->f[out->n]);
		if (st == SS_CSVTOK_END || st == SS_CSVTOK_UNCLOSED || st == SS_CSVTOK_MORE) {
			out->end = st;
			if (st == SS_CSVTOK_UNCLOSED)
				out->n++; /* the field says where its quote opened */
			assert_memory_equal(&before, &t, sizeof(t));
			return;
		}
		out->step[out->n++] = st;
	}
}

static void assert_value(const struct ss_csvfield *f, const char *want)
{
	char buf[256];
	size_t n = ss_csvtok_unescape(f, buf, sizeof(buf));

	assert_true(n < sizeof(buf));
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void assert_at(const struct ss_csvfield *f, size_t line, size_t col)
{
	assert_int_equal(f->line, line);
	assert_int_equal(f->col, col);
}

static void assert_error(const struct ss_csvfield *f, enum ss_csvtok_err e, size_t line, size_t col)
{
	assert_int_equal(f->err, e);
	assert_int_equal(f->err_line, line);
	assert_int_equal(f->err_col, col);
}

static void test_records_csvtok__quoted_values(void **state)
{
	struct tokens k;

	(void)state;
	tokenize("a,\"b,c\",\"d\"\"e\",\"\"\n", 0, &k);
	assert_int_equal(k.end, SS_CSVTOK_END);
	assert_int_equal(k.n, 4);
	assert_int_equal(k.step[0], SS_CSVTOK_FIELD);
	assert_int_equal(k.step[3], SS_CSVTOK_LAST);
	assert_value(&k.f[0], "a");
	assert_at(&k.f[0], 1, 1);
	assert_false(k.f[0].quoted);
	assert_int_equal(k.f[0].vcol, 1);
	/* Zero-copy: a quoted value points between its quotes. */
	assert_true(k.f[1].quoted);
	assert_false(k.f[1].escaped);
	assert_int_equal(k.f[1].len, 3);
	assert_memory_equal(k.f[1].p, "b,c", 3);
	assert_at(&k.f[1], 1, 3);
	assert_int_equal(k.f[1].vcol, 4);
	/* Doubled quotes: raw in p, single once unescaped, no vcol. */
	assert_true(k.f[2].escaped);
	assert_int_equal(k.f[2].len, 4);
	assert_value(&k.f[2], "d\"e");
	assert_at(&k.f[2], 1, 9);
	assert_int_equal(k.f[2].vcol, 0);
	assert_value(&k.f[3], "");
	assert_at(&k.f[3], 1, 16);
	for (size_t i = 0; i < k.n; i++)
		assert_int_equal(k.f[i].err, SS_CSVTOK_OK);
}

static void test_records_csvtok__crlf_and_lf(void **state)
{
	struct tokens k;

	(void)state;
	tokenize("a,b\r\ncc,\"d\"\r\ne\nf", 0, &k);
	assert_int_equal(k.end, SS_CSVTOK_END);
	assert_int_equal(k.n, 6);
	assert_int_equal(k.step[1], SS_CSVTOK_LAST);
	assert_value(&k.f[1], "b"); /* the CR is the line end's, not the value's */
	assert_at(&k.f[2], 2, 1);
	assert_at(&k.f[3], 2, 4);
	assert_int_equal(k.step[3], SS_CSVTOK_LAST);
	assert_at(&k.f[4], 3, 1);
	assert_int_equal(k.step[4], SS_CSVTOK_LAST);
	/* The last row needs no line end. */
	assert_value(&k.f[5], "f");
	assert_at(&k.f[5], 4, 1);
	assert_int_equal(k.step[5], SS_CSVTOK_LAST);

	/* A comma at the very end leaves one more, empty field; a blank line is one. */
	tokenize("a,\n\nb,", 0, &k);
	assert_int_equal(k.n, 5);
	assert_value(&k.f[1], "");
	assert_at(&k.f[1], 1, 3);
	assert_int_equal(k.step[1], SS_CSVTOK_LAST);
	assert_at(&k.f[2], 2, 1);
	assert_int_equal(k.f[2].len, 0);
	assert_int_equal(k.step[2], SS_CSVTOK_LAST);
	assert_int_equal(k.step[3], SS_CSVTOK_FIELD);
	assert_at(&k.f[4], 3, 3);
	assert_int_equal(k.f[4].len, 0);
	assert_int_equal(k.step[4], SS_CSVTOK_LAST);
}

static void test_records_csvtok__bom(void **state)
{
	struct tokens k;

	(void)state;
	tokenize("\xEF\xBB\xBFType,\"x\"\nq", SS_CSVTOK_TEXT, &k);
	assert_int_equal(k.n, 3);
	assert_value(&k.f[0], "Type");
	assert_at(&k.f[0], 1, 1); /* not counted in columns */
	assert_at(&k.f[1], 1, 6);
	assert_at(&k.f[2], 2, 1);
	/* Only at the start of the file. */
	tokenize("a,\xEF\xBB\xBF", SS_CSVTOK_TEXT, &k);
	assert_int_equal(k.f[1].len, 3);
	assert_int_equal(k.f[1].err, SS_CSVTOK_OK);
	/* A file that is only a BOM has nothing in it. */
	tokenize("\xEF\xBB\xBF", 0, &k);
	assert_int_equal(k.n, 0);
	assert_int_equal(k.end, SS_CSVTOK_END);
}

static void test_records_csvtok__quoted_newline_positions(void **state)
{
	struct tokens k;

	(void)state;
	tokenize("a,\"one\ntwo\r\nthree\",x\ny,\"z\"\"\nw\"\nq", 0, &k);
	assert_int_equal(k.n, 6);
	assert_at(&k.f[1], 1, 3);
	assert_value(&k.f[1], "one\ntwo\r\nthree");
	assert_int_equal(k.f[1].vcol, 0); /* over several lines */
	assert_at(&k.f[2], 3, 8);         /* after the value's two line breaks */
	assert_int_equal(k.step[2], SS_CSVTOK_LAST);
	assert_at(&k.f[3], 4, 1);
	assert_at(&k.f[4], 4, 3);
	assert_value(&k.f[4], "z\"\nw");
	assert_at(&k.f[5], 6, 1);

	/* An error inside a value over two lines is placed on its own line. */
	tokenize("\"ab\nc\xff\"", SS_CSVTOK_TEXT, &k);
	assert_error(&k.f[0], SS_CSVTOK_E_UTF8, 2, 2);
}

static void test_records_csvtok__structural_errors(void **state)
{
	struct tokens k;

	(void)state;
	/* A quote inside a value that does not start with one. */
	tokenize("ok\nab,c\"d,e\n", 0, &k);
	assert_int_equal(k.n, 4);
	assert_error(&k.f[2], SS_CSVTOK_E_QUOTE, 2, 5);
	assert_int_equal(k.f[3].err, SS_CSVTOK_OK);
	assert_at(&k.f[3], 2, 8);

	/* Text after a closing quote: the rest, up to the comma, is skipped. */
	tokenize("a\n\"x\"y z,b\n", 0, &k);
	assert_int_equal(k.n, 3);
	assert_error(&k.f[1], SS_CSVTOK_E_AFTER_QUOTE, 2, 4);
	assert_value(&k.f[1], "x");
	assert_at(&k.f[2], 2, 8);

	/* A carriage return that does not end a line, in a value or after one. */
	tokenize("a\nb\rc,d\n", 0, &k);
	assert_error(&k.f[1], SS_CSVTOK_E_CR, 2, 2);
	assert_value(&k.f[1], "b\rc");
	assert_int_equal(k.step[1], SS_CSVTOK_FIELD);
	tokenize("a\n\"b\"\rc,d\n", 0, &k);
	assert_error(&k.f[1], SS_CSVTOK_E_CR, 2, 4);
	assert_int_equal(k.step[1], SS_CSVTOK_FIELD);
	tokenize("x,y\r", 0, &k);
	assert_error(&k.f[1], SS_CSVTOK_E_CR, 1, 4);
	/* Inside quotes it is text. */
	tokenize("\"b\rc\"\n", 0, &k);
	assert_int_equal(k.f[0].err, SS_CSVTOK_OK);

	/* Only the first error of a field is kept. */
	tokenize("a\"b\"c\rd\n", 0, &k);
	assert_error(&k.f[0], SS_CSVTOK_E_QUOTE, 1, 2);

	/* A quoted value never closed: located at its opening quote, nothing read after. */
	tokenize("a,b\nc,\"d\ne,f\n", 0, &k);
	assert_int_equal(k.end, SS_CSVTOK_UNCLOSED);
	assert_int_equal(k.n, 4);
	assert_at(&k.f[3], 2, 3);
	tokenize("\"\"\"", 0, &k);
	assert_int_equal(k.end, SS_CSVTOK_UNCLOSED);
	assert_at(&k.f[0], 1, 1);
}

static void test_records_csvtok__text_checks(void **state)
{
	struct tokens k;

	(void)state;
	tokenize("caf\xc3\xa9,ab\xff,\"x\xe2\x82\",n\x01", SS_CSVTOK_TEXT, &k);
	assert_int_equal(k.f[0].err, SS_CSVTOK_OK);
	assert_error(&k.f[1], SS_CSVTOK_E_UTF8, 1, 9);
	assert_error(&k.f[2], SS_CSVTOK_E_UTF8, 1, 13); /* a sequence cut short */
	assert_int_equal(k.f[3].err, SS_CSVTOK_OK);

	/* A NUL byte (strlen would stop at it: give the length). */
	{
		static const char s[] = "ab,c\0d,\"\0\"";
		struct ss_csvtok t;
		struct ss_csvfield f;

		ss_csvtok_init(&t, s, sizeof(s) - 1, true, SS_CSVTOK_TEXT);
		assert_int_equal(ss_csvtok_next(&t, &f), SS_CSVTOK_FIELD);
		assert_int_equal(ss_csvtok_next(&t, &f), SS_CSVTOK_FIELD);
		assert_error(&f, SS_CSVTOK_E_NUL, 1, 5);
		assert_int_equal(ss_csvtok_next(&t, &f), SS_CSVTOK_LAST);
		assert_error(&f, SS_CSVTOK_E_NUL, 1, 9);
		assert_int_equal(ss_csvtok_next(&t, &f), SS_CSVTOK_END);

		/* Without SS_CSVTOK_TEXT, bytes are bytes. */
		ss_csvtok_init(&t, s, sizeof(s) - 1, true, 0);
		assert_int_equal(ss_csvtok_next(&t, &f), SS_CSVTOK_FIELD);
		assert_int_equal(ss_csvtok_next(&t, &f), SS_CSVTOK_FIELD);
		assert_int_equal(f.err, SS_CSVTOK_OK);
		assert_int_equal(f.len, 3);
	}
	tokenize("ab\xff", 0, &k);
	assert_int_equal(k.f[0].err, SS_CSVTOK_OK);
}

/* Read s through a window that starts at `w` bytes and grows by one byte
 * each time the tokenizer asks for more, going back to the row's start as
 * csv.c does: the fields must be those of reading it whole. */
static void window_matches_whole(const char *s)
{
	struct tokens whole;
	size_t w, n = strlen(s);

	tokenize(s, SS_CSVTOK_TEXT, &whole);
	for (w = 0; w <= n; w++) {
		struct ss_csvtok t, mark;
		size_t seen = 0, seen_mark = 0, avail = w;

		ss_csvtok_init(&t, s, n, true, SS_CSVTOK_TEXT); /* a BOM is seen whole */
		ss_csvtok_window(&t, s, avail, avail == n, 0);
		mark = t;
		for (;;) {
			struct ss_csvfield f;
			enum ss_csvtok_step st = ss_csvtok_next(&t, &f);

			if (st == SS_CSVTOK_MORE) {
				assert_true(avail < n);
				avail++;
				t = mark;
				seen = seen_mark;
				ss_csvtok_window(&t, s, avail, avail == n, 0);
				continue;
			}
			if (st == SS_CSVTOK_END || st == SS_CSVTOK_UNCLOSED) {
				assert_int_equal(st, whole.end);
				assert_int_equal(seen + (st == SS_CSVTOK_UNCLOSED), whole.n);
				break;
			}
			assert_true(seen < whole.n);
			assert_int_equal(st, whole.step[seen]);
			assert_memory_equal(&f, &whole.f[seen], sizeof(f));
			seen++;
			if (st == SS_CSVTOK_LAST) {
				mark = t;
				seen_mark = seen;
			}
		}
	}
}

static void test_records_csvtok__window_ends_early(void **state)
{
	(void)state;
	window_matches_whole("\xEF\xBB\xBF"
	                     "a,\"b\"\"c\",d\r\n\"x\ny\",caf\xc3\xa9\r\ne,\r\n\"\"");
	window_matches_whole("a,\"b\"\r\nc\rd,\"e\"f\n");
	window_matches_whole("a,b\n\"open\n");
}

static void test_records_csvtok__unescape_fits_or_writes_nothing(void **state)
{
	struct ss_csvtok t;
	struct ss_csvfield f;
	char out[8];

	(void)state;
	ss_csvtok_init(&t, "\"a\"\"b\"\"c\"", 9, true, 0);
	assert_int_equal(ss_csvtok_next(&t, &f), SS_CSVTOK_LAST);
	assert_int_equal(f.len, 7);
	memset(out, 'X', sizeof(out));
	assert_int_equal(ss_csvtok_unescape(&f, out, 4), SIZE_MAX);
	assert_memory_equal(out, "XXXXXXXX", 8);
	assert_int_equal(ss_csvtok_unescape(&f, out, 5), 5);
	assert_memory_equal(out, "a\"b\"c", 5);
	assert_int_equal(out[5], 'X');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_csvtok__quoted_values),
	    cmocka_unit_test(test_records_csvtok__crlf_and_lf),
	    cmocka_unit_test(test_records_csvtok__bom),
	    cmocka_unit_test(test_records_csvtok__quoted_newline_positions),
	    cmocka_unit_test(test_records_csvtok__structural_errors),
	    cmocka_unit_test(test_records_csvtok__text_checks),
	    cmocka_unit_test(test_records_csvtok__window_ends_early),
	    cmocka_unit_test(test_records_csvtok__unescape_fits_or_writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
