/*
 * test_synth.c - the synthetic month: reproducible to the byte, well-formed
 * CSV, identities consistent with the published fields, and proportions a
 * trainer would recognise from the real Dyfed-Powys files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"
#include "buf.h"
#include "error.h"
#include "synth.h"

static char *month_text(const char *month, size_t count, uint64_t seed, size_t *len)
{
	struct ss_synth_opts o = {month, count, seed};
	char *data = NULL;
	FILE *f = open_memstream(&data, len);

	assert_non_null(f);
	assert_int_equal(ss_synth_write(f, &o), 0);
	assert_int_equal(fclose(f), 0);
	return data;
}

/* A strict RFC 4180 reader for the test: fields of one record into out[]
 * (malloc'd), returns the count, advances *p past the LF; -1 at the end. */
static int csv_record(const char **p, const char *end, char **out, int max)
{
	const char *s = *p;
	int n = 0;

	if (s >= end)
		return -1;
	for (;;) {
		struct ss_buf f = SS_BUF_INIT;

		assert_int_equal(ss_buf_put(&f, "", 0), 0);
		if (s < end && *s == '"') {
			s++;
			for (;;) {
				assert_true(s < end); /* no unterminated quote */
				if (*s == '"') {
					if (s + 1 < end && s[1] == '"') {
						assert_int_equal(ss_buf_putc(&f, '"'), 0);
						s += 2;
						continue;
					}
					s++;
					break;
				}
				assert_int_equal(ss_buf_putc(&f, *s++), 0);
			}
		} else {
			while (s < end && *s != ',' && *s != '\n') {
				assert_true(*s != '"' && *s != '\r');
				assert_int_equal(ss_buf_putc(&f, *s++), 0);
			}
		}
		assert_true(n < max);
		out[n++] = ss_buf_detach(&f);
		assert_true(s < end); /* every record ends with LF */
		if (*s == '\n') {
			*p = s + 1;
			return n;
		}
		assert_int_equal(*s, ',');
		s++;
	}
}

static void free_fields(char **f, int n)
{
	while (n-- > 0)
		free(f[n]);
}

static void test_records_synth__reproducible_to_the_byte(void **state)
{
	size_t la, lb, lc, ld;
	char *a = month_text("2024-06", 500, 42, &la);
	char *b = month_text("2024-06", 500, 42, &lb);
	char *c = month_text("2024-06", 500, 43, &lc);
	char *d = month_text("2024-07", 500, 42, &ld);

	(void)state;
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_true(lc != la || memcmp(a, c, la) != 0);
	assert_true(ld != la || memcmp(a, d, la) != 0);
	free(a);
	free(b);
	free(c);
	free(d);
}

static void test_records_synth__rows_match_the_file(void **state)
{
	struct ss_synth_opts o = {"2024-06", 300, 9};
	struct ss_synth_row *row = malloc(sizeof *row);
	size_t len, i;
	char *data = month_text(o.month, o.count, o.seed, &len);
	const char *p = data, *end = data + len;
	char *f[32];
	int n, k;

	(void)state;
	assert_non_null(row);
	/* The header: the 15 police-csv columns then the force columns, exactly. */
	n = csv_record(&p, end, f, 32);
	assert_int_equal(n, SS_SC_COUNT);
	assert_string_equal(f[0], "Type");
	assert_string_equal(f[14], "Removal of more than just outer clothing");
	assert_string_equal(f[15], "Reference");
	assert_string_equal(f[23], "Subject PNC ID");
	for (k = 0; k < n; k++)
		assert_string_equal(f[k], ss_csv_column(k));
	free_fields(f, n);
	for (i = 0; i < o.count; i++) {
		n = csv_record(&p, end, f, 32);
		assert_int_equal(n, SS_SC_COUNT);
		assert_int_equal(ss_synth_row(&o, i, row), 0);
		for (k = 0; k < n; k++)
			assert_string_equal(f[k], row->col[k]);
		free_fields(f, n);
	}
	/* Exactly count rows, nothing after. */
	assert_int_equal(csv_record(&p, end, f, 32), -1);
	free(data);
	free(row);
}

static void test_records_synth__bad_options_refused(void **state)
{
	static const char *const bad[] = {"2024-6",  "2024-13",    "2024-00", "24-06",
	                                  "2024/06", "2024-06-01", ""};
	struct ss_synth_opts o = {"2024-06", 0, 1};
	struct ss_synth_row row;
	char *data = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&data, &len);

	(void)state;
	assert_int_equal(ss_synth_write(f, &o), SS_EUSAGE);
	o.count = 10;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o.month = bad[i];
		assert_int_equal(ss_synth_write(f, &o), SS_EUSAGE);
	}
	o.month = NULL;
	assert_int_equal(ss_synth_write(f, &o), SS_EUSAGE);
	o.month = "2024-06";
	assert_int_equal(ss_synth_row(&o, 10, &row), SS_EUSAGE);
	fclose(f);
	assert_int_equal(len, 0); /* nothing written on refusal */
	free(data);
}

static void test_records_synth__csv_quoting(void **state)
{
	struct ss_buf b = SS_BUF_INIT;

	(void)state;
	assert_int_equal(ss_synth_csv_field(&b, "plain"), 0);
	assert_int_equal(ss_synth_csv_field(&b, "|a, b|"), 0);
	assert_int_equal(ss_synth_csv_field(&b, "say \"hi\""), 0);
	assert_int_equal(ss_synth_csv_field(&b, "two\nlines"), 0);
	assert_string_equal(b.data, "plain\"|a, b|\"\"say \"\"hi\"\"\"\"two\nlines\"");
	ss_buf_release(&b);
}

static int age_on(const char *dob_iso, const char *date)
{
	int by = atoi(dob_iso), bm = atoi(dob_iso + 5), bd = atoi(dob_iso + 8);
	int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);

	return y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
}

static bool age_in_range(int age, const char *range)
{
	if (strcmp(range, "under 10") == 0)
		return age < 10;
	if (strcmp(range, "10-17") == 0)
		return age >= 10 && age <= 17;
	if (strcmp(range, "18-24") == 0)
		return age >= 18 && age <= 24;
	if (strcmp(range, "25-34") == 0)
		return age >= 25 && age <= 34;
	if (strcmp(range, "over 34") == 0)
		return age >= 35;
	return false;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle), k;

	for (; *hay; hay++) {
		for (k = 0; k < n; k++) {
			char a = hay[k], b = needle[k];

			if (a >= 'A' && a <= 'Z')
				a = (char)(a + 32);
			if (b >= 'A' && b <= 'Z')
				b = (char)(b + 32);
			if (a != b)
				break;
		}
		if (k == n)
			return true;
	}
	return false;
}

#define N 20000

/* Shares of N rows, in per cent. */
#define BETWEEN(count, lo, hi)                                                                     \
	do {                                                                                       \
		double pct_ = 100.0 * (double)(count) / N;                                         \
		if (pct_ < (lo) || pct_ > (hi))                                                    \
			fail_msg("%s: %.2f%% not in [%g, %g]", #count, pct_, (double)(lo),         \
			         (double)(hi));                                                    \
	} while (0)

static void test_records_synth__plausible_month(void **state)
{
	struct ss_synth_opts o = {"2024-06", N, 2024};
	struct ss_synth_row *row = malloc(sizeof *row);
	uint64_t *people = calloc(N, sizeof *people);
	size_t i, person = 0, nfa = 0, arrest = 0, mda = 0, pace = 0, s60 = 0, s47 = 0, strip = 0,
	          under10 = 0, kids = 0, no_loc = 0, before = 0, iso = 0, uk = 0, with_pnc = 0,
	          non_ascii = 0, apostrophe = 0, hyphen = 0, named_in_grounds = 0, with_grounds = 0,
	          repeats = 0, female = 0;

	(void)state;
	assert_non_null(row);
	assert_non_null(people);
	for (i = 0; i < N; i++) {
		const char **c = row->col;

		assert_int_equal(ss_synth_row(&o, i, row), 0);
		person += strcmp(c[SS_SC_TYPE], "Person search") == 0;
		nfa += strcmp(c[SS_SC_OUTCOME], "A no further action disposal") == 0;
		arrest += strcmp(c[SS_SC_OUTCOME], "Arrest") == 0;
		mda += strstr(c[SS_SC_LEGISLATION], "Misuse of Drugs") != NULL;
		pace += strstr(c[SS_SC_LEGISLATION], "Police and Criminal Evidence") != NULL;
		s60 += strstr(c[SS_SC_LEGISLATION], "(section 60)") != NULL;
		s47 += strstr(c[SS_SC_LEGISLATION], "Firearms Act") != NULL;
		strip += strcmp(c[SS_SC_REMOVAL], "True") == 0;
		under10 += strcmp(c[SS_SC_AGE_RANGE], "under 10") == 0;
		kids += strcmp(c[SS_SC_AGE_RANGE], "10-17") == 0;
		female += strcmp(c[SS_SC_GENDER], "Female") == 0;

		/* Dates: RFC 3339 UTC; in June, only the month's own days, or 23:xx on
		 * 31 May (local midnight in summer time). */
		assert_int_equal(strlen(c[SS_SC_DATE]), 25);
		assert_string_equal(c[SS_SC_DATE] + 19, "+00:00");
		if (strncmp(c[SS_SC_DATE], "2024-06-", 8) != 0) {
			assert_memory_equal(c[SS_SC_DATE], "2024-05-31T23:", 14);
			before++;
		}
		/* Locations inside Wales, or blank. */
		if (c[SS_SC_LATITUDE][0] == '\0') {
			assert_string_equal(c[SS_SC_LONGITUDE], "");
			no_loc++;
		} else {
			double lat = atof(c[SS_SC_LATITUDE]), lon = atof(c[SS_SC_LONGITUDE]);

			assert_true(lat > 51.55 && lat < 52.9);
			assert_true(lon > -5.2 && lon < -2.9);
		}
		/* References unique and in order. */
		{
			char want[40];

			snprintf(want, sizeof want, "DP-2024-06-%06zu", i + 1);
			assert_string_equal(c[SS_SC_REFERENCE], want);
		}
		if (strcmp(c[SS_SC_TYPE], "Vehicle search") == 0) {
			assert_string_equal(c[SS_SC_NAME], "");
			assert_string_equal(c[SS_SC_GENDER], "");
		}
		if (c[SS_SC_GROUNDS][0])
			with_grounds++;
		if (c[SS_SC_NAME][0] == '\0')
			continue;
		/* The identity hangs together. */
		people[i] = row->person;
		assert_true(row->person != 0);
		if (strcmp(c[SS_SC_DOB], row->dob_iso) == 0) {
			iso++;
		} else {
			char uk_form[16];

			snprintf(uk_form, sizeof uk_form, "%.2s/%.2s/%.4s", row->dob_iso + 8,
			         row->dob_iso + 5, row->dob_iso);
			assert_string_equal(c[SS_SC_DOB], uk_form);
			uk++;
		}
		if (c[SS_SC_AGE_RANGE][0] &&
		    !age_in_range(age_on(row->dob_iso, c[SS_SC_DATE]), c[SS_SC_AGE_RANGE]))
			fail_msg("row %zu: born %s, searched %s, recorded as %s", i, row->dob_iso,
			         c[SS_SC_DATE], c[SS_SC_AGE_RANGE]);
		assert_non_null(strstr(c[SS_SC_ADDRESS], row->street));
		assert_true(strncmp(strrchr(c[SS_SC_ADDRESS], ',') + 2, "SA", 2) == 0 ||
		            strncmp(strrchr(c[SS_SC_ADDRESS], ',') + 2, "LD", 2) == 0 ||
		            strncmp(strrchr(c[SS_SC_ADDRESS], ',') + 2, "SY", 2) == 0);
		with_pnc += c[SS_SC_PNC][0] != '\0';
		non_ascii += strpbrk(c[SS_SC_NAME], "\x80\xC3\xC4\xC5") != NULL;
		apostrophe += strchr(c[SS_SC_NAME], '\'') != NULL;
		hyphen += strchr(c[SS_SC_NAME], '-') != NULL;
		if (c[SS_SC_GROUNDS][0] && (contains_ci(c[SS_SC_GROUNDS], row->first) ||
		                            contains_ci(c[SS_SC_GROUNDS], row->surname)))
			named_in_grounds++;
	}
	/* Repeat subjects: the same invented person on several rows. */
	for (i = 0; i < N; i++) {
		size_t j;

		for (j = i + 1; people[i] && j < N && j < i + 2000; j++)
			if (people[j] == people[i]) {
				repeats++;
				break;
			}
	}
	BETWEEN(person, 70, 80);
	BETWEEN(nfa, 68, 80);
	BETWEEN(arrest, 12, 21);
	BETWEEN(mda, 65, 80);
	BETWEEN(pace, 15, 25);
	BETWEEN(s60, 1, 5);
	BETWEEN(s47, 0.2, 1.5);
	BETWEEN(strip, 1, 5);
	BETWEEN(under10, 0.02, 1);
	BETWEEN(kids, 12, 25);
	BETWEEN(female, 9, 18);
	BETWEEN(no_loc, 5, 30);
	BETWEEN(before, 0.2, 5);
	BETWEEN(iso, 25, 55);
	BETWEEN(uk, 35, 70);
	BETWEEN(with_pnc, 25, 60);
	BETWEEN(non_ascii, 2, 30);
	BETWEEN(apostrophe, 2, 20);
	BETWEEN(hyphen, 2, 20);
	BETWEEN(with_grounds, 95, 100);
	BETWEEN(named_in_grounds, 75, 96);
	BETWEEN(repeats, 5, 25);
	free(people);
	free(row);
}

/* Outside summer time nothing is stamped before the month. */
static void test_records_synth__winter_month_starts_on_the_first(void **state)
{
	struct ss_synth_opts o = {"2024-01", 3000, 5};
	struct ss_synth_row row;
	size_t i;

	(void)state;
	for (i = 0; i < o.count; i++) {
		assert_int_equal(ss_synth_row(&o, i, &row), 0);
		assert_memory_equal(row.col[SS_SC_DATE], "2024-01-", 8);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_synth__reproducible_to_the_byte),
	    cmocka_unit_test(test_records_synth__rows_match_the_file),
	    cmocka_unit_test(test_records_synth__bad_options_refused),
	    cmocka_unit_test(test_records_synth__csv_quoting),
	    cmocka_unit_test(test_records_synth__plausible_month),
	    cmocka_unit_test(test_records_synth__winter_month_starts_on_the_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
