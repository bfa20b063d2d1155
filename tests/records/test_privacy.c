/*
 * test_privacy.c - a synthetic month read as a force export, pseudonymised
 * and stored: no invented name, date of birth, address or PNC id may reach
 * population.jsonl, while the subjects' pseudonyms (stable across repeat
 * searches) and the redacted grounds must.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "crypto.h"
#include "fold.h"
#include "pseudonym.h"
#include "reader.h"
#include "record.h"
#include "synth.h"

#define ROWS 2000

static char dir[256], csv_path[300], key_path[300];
static struct ss_pseudo *key;
static struct ss_population *pop;
static struct ss_buf jsonl = SS_BUF_INIT;
static char *lower_jsonl; /* ASCII-lower-cased copy, for case-insensitive search */
/* Every 7-byte window of lower_jsonl, hashed into an open-addressing set, so
 * a needle whose first 7 bytes are nowhere in the output is ruled out
 * without scanning a megabyte per needle. */
#define GRAM 7
static uint64_t *grams;
static size_t ngrams_cap;

static uint64_t gram_of(const char *p)
{
	uint64_t g = 0;
	int k;

	for (k = 0; k < GRAM; k++)
		g = (g << 8) | (unsigned char)p[k];
	return g + 1; /* 0 marks an empty slot */
}

static size_t gram_slot(uint64_t g)
{
	return (size_t)((g * 0x9E3779B97F4A7C15ull) >> 20) & (ngrams_cap - 1);
}

static int grams_build(const char *s, size_t n)
{
	size_t i, j;

	for (ngrams_cap = 1024; ngrams_cap < 2 * n; ngrams_cap *= 2)
		;
	grams = calloc(ngrams_cap, sizeof *grams);
	if (grams == NULL)
		return -1;
	for (i = 0; i + GRAM <= n; i++) {
		uint64_t g = gram_of(s + i);

		for (j = gram_slot(g); grams[j] != 0 && grams[j] != g;
		     j = (j + 1) & (ngrams_cap - 1))
			;
		grams[j] = g;
	}
	return 0;
}

static bool gram_seen(const char *p)
{
	uint64_t g = gram_of(p);
	size_t j;

	for (j = gram_slot(g); grams[j] != 0; j = (j + 1) & (ngrams_cap - 1))
		if (grams[j] == g)
			return true;
	return false;
}
static struct ss_synth_opts opts = {"2024-06", ROWS, 20240601};

static void ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");
	struct ss_read_opts ro = {.format = SS_FORMAT_FORCE_CSV, .pseudonymise_officer = true};
	struct ss_diags diags = {0};
	FILE *f;
	int err;

	(void)state;
	if (ss_crypto_init() != 0)
		return -1;
	snprintf(dir, sizeof dir, "%s/ss-privacy-XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(csv_path, sizeof csv_path, "%s/month.csv", dir);
	snprintf(key_path, sizeof key_path, "%s/pseudonym.key", dir);
	f = fopen(csv_path, "w");
	if (f == NULL || ss_synth_write(f, &opts) != 0 || fclose(f) != 0)
		return -1;
	if (ss_pseudo_key_create(key_path) != 0 || ss_pseudo_key_load(key_path, &key) != 0)
		return -1;
	ro.pseudo = key;
	if (ss_population_new(&pop) != 0)
		return -1;
	err = ss_read_file(csv_path, "month.csv", &ro, pop, &diags);
	if (err != 0) {
		fprintf(stderr, "read: %s\n", ss_error_message());
		ss_diags_release(&diags);
		return -1;
	}
	ss_diags_release(&diags);
	if (ss_population_assign_ids(pop) != 0 || ss_population_to_jsonl(pop, &jsonl) != 0)
		return -1;
	lower_jsonl = strdup(jsonl.data);
	if (lower_jsonl == NULL)
		return -1;
	ascii_lower(lower_jsonl);
	return grams_build(lower_jsonl, jsonl.len);
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	free(lower_jsonl);
	free(grams);
	ss_buf_release(&jsonl);
	ss_population_free(pop);
	ss_pseudo_free(key);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static bool word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c >= 0x80;
}

/* s (lower-cased here) in the output, case-insensitively; as a whole word when asked. */
static const char *leak(const char *s, bool whole_word)
{
	char needle[200];
	const char *p;
	size_t n;

	snprintf(needle, sizeof needle, "%s", s);
	ascii_lower(needle);
	n = strlen(needle);
	if (n >= GRAM && !gram_seen(needle))
		return NULL;
	for (p = lower_jsonl; (p = strstr(p, needle)) != NULL; p++) {
		if (!whole_word)
			return p;
		if ((p == lower_jsonl || !word_byte((unsigned char)p[-1])) &&
		    !word_byte((unsigned char)p[n]))
			return p;
	}
	return NULL;
}

static void assert_absent(const char *what, const char *s, bool whole_word, size_t row)
{
	const char *p;

	if (*s == '\0')
		return;
	p = leak(s, whole_word);
	if (p != NULL)
		fail_msg("row %zu: %s \"%s\" is in the stored population: ...%.60s...", row, what,
		         s, p > lower_jsonl + 30 ? p - 30 : lower_jsonl);
}

/* Name parts already found absent (many people share a first name or surname). */
static char checked[512][48];
static size_t nchecked;

static bool already_checked(const char *part)
{
	size_t k;

	for (k = 0; k < nchecked; k++)
		if (strcmp(checked[k], part) == 0)
			return true;
	if (nchecked < 512 && strlen(part) < sizeof checked[0])
		snprintf(checked[nchecked++], sizeof checked[0], "%s", part);
	return false;
}

/* Each part of three letters or more (non-ASCII bytes count as letters). */
static void assert_parts_absent(const char *name, size_t row)
{
	char part[64];
	size_t n = 0, chars = 0;
	const char *s;

	for (s = name;; s++) {
		unsigned char c = (unsigned char)*s;

		if (c && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)) {
			if (n + 1 < sizeof part)
				part[n++] = (char)c;
			chars += (c & 0xC0) != 0x80;
			continue;
		}
		part[n] = '\0';
		if (chars >= 3 && !already_checked(part))
			assert_absent("name part", part, true, row);
		n = chars = 0;
		if (c == '\0')
			break;
	}
}

static const struct ss_record *record_of(size_t i)
{
	char ref[40];
	size_t k;

	snprintf(ref, sizeof ref, "DP-2024-06-%06zu", i + 1);
	for (k = 0; k < pop->n; k++)
		if (pop->rec[k].str[SS_F_REFERENCE] &&
		    strcmp(pop->rec[k].str[SS_F_REFERENCE], ref) == 0)
			return &pop->rec[k];
	fail_msg("reference %s was not imported", ref);
	return NULL;
}

static void test_records_privacy__no_identity_in_population(void **state)
{
	static const char *const months[] = {"January",   "February", "March",    "April",
	                                     "May",       "June",     "July",     "August",
	                                     "September", "October",  "November", "December"};
	struct ss_synth_row *row = malloc(sizeof *row);
	size_t i, named = 0;

	(void)state;
	assert_non_null(row);
	assert_int_equal(pop->n, ROWS);
	for (i = 0; i < ROWS; i++) {
		char full[128], uk[16], words[48];
		const char *pc;

		assert_int_equal(ss_synth_row(&opts, i, row), 0);
		if (row->col[SS_SC_NAME][0] == '\0')
			continue;
		named++;
		snprintf(full, sizeof full, "%s %s", row->first, row->surname);
		assert_absent("name", full, false, i);
		assert_parts_absent(row->first, i);
		assert_parts_absent(row->surname, i);
		assert_absent("date of birth", row->col[SS_SC_DOB], false, i);
		assert_absent("date of birth", row->dob_iso, false, i);
		snprintf(uk, sizeof uk, "%.2s/%.2s/%.4s", row->dob_iso + 8, row->dob_iso + 5,
		         row->dob_iso);
		assert_absent("date of birth", uk, false, i);
		snprintf(words, sizeof words, "%d %s %.4s", atoi(row->dob_iso + 8),
		         months[atoi(row->dob_iso + 5) - 1], row->dob_iso);
		assert_absent("date of birth", words, false, i);
		assert_absent("address", row->col[SS_SC_ADDRESS], false, i);
		assert_absent("street", row->street, false, i);
		pc = strrchr(row->col[SS_SC_ADDRESS], ',');
		assert_absent("postcode", pc + 2, false, i);
		assert_absent("PNC id", row->col[SS_SC_PNC], false, i);
	}
	assert_true(named > ROWS * 9 / 10);
	free(row);
}

static void test_records_privacy__pseudonyms_stored_and_stable(void **state)
{
	struct ss_synth_row *row = malloc(sizeof *row);
	const char **by_person_subject = calloc(ROWS, sizeof *by_person_subject);
	uint64_t *by_person = calloc(ROWS, sizeof *by_person);
	size_t i, k, repeats = 0, with_subject_tag = 0, named_grounds = 0;

	(void)state;
	assert_non_null(row);
	assert_non_null(by_person);
	assert_non_null(by_person_subject);
	for (i = 0; i < ROWS; i++) {
		const struct ss_record *r = record_of(i);
		char want[SS_ID_LEN + 1];

		assert_int_equal(ss_synth_row(&opts, i, row), 0);
		/* The officer number is pseudonymised as asked. */
		if (row->col[SS_SC_OFFICER][0]) {
			assert_non_null(r->str[SS_F_OFFICER]);
			assert_memory_equal(r->str[SS_F_OFFICER], "O-", 2);
		}
		if (row->col[SS_SC_GROUNDS][0]) {
			assert_non_null(r->str[SS_F_GROUNDS]);
			if (row->col[SS_SC_NAME][0] &&
			    (strstr(row->col[SS_SC_GROUNDS], row->first) ||
			     strstr(row->col[SS_SC_GROUNDS], row->surname))) {
				named_grounds++;
				with_subject_tag +=
				    strstr(r->str[SS_F_GROUNDS], "[subject]") != NULL;
			}
		}
		if (row->col[SS_SC_NAME][0] == '\0') {
			assert_null(r->str[SS_F_SUBJECT]);
			continue;
		}
		assert_int_equal(
		    ss_pseudo_subject(key, row->col[SS_SC_NAME], strlen(row->col[SS_SC_NAME]),
		                      row->col[SS_SC_DOB], strlen(row->col[SS_SC_DOB]), want),
		    0);
		assert_non_null(r->str[SS_F_SUBJECT]);
		assert_string_equal(r->str[SS_F_SUBJECT], want);
		{
			char quoted[SS_ID_LEN + 16];

			snprintf(quoted, sizeof quoted, "\"subject\":\"%s\"", want);
			assert_non_null(strstr(jsonl.data, quoted));
		}
		/* Repeat subjects: every row of one invented person has one pseudonym,
		 * whichever way the date of birth and the name's case were written. */
		for (k = 0; k < i; k++)
			if (by_person[k] == row->person) {
				assert_string_equal(by_person_subject[k], r->str[SS_F_SUBJECT]);
				repeats++;
				break;
			}
		by_person[i] = row->person;
		by_person_subject[i] = r->str[SS_F_SUBJECT];
	}
	assert_true(repeats >= 50);
	/* Every grounds text that named the subject now says [subject]. */
	assert_true(named_grounds > ROWS / 2);
	assert_int_equal(with_subject_tag, named_grounds);
	free(by_person);
	free(by_person_subject);
	free(row);
}

/* Names a Welsh, a Russian-speaking or a German family may write, in the
 * grounds and the operation's name as officers write them: capitals,
 * composed and decomposed accents (a + U+0302), Cyrillic, sharp s, a
 * two-letter surname. Folded (fold.h), no word of the stored free text may be
 * a part of the name. */
static void test_records_privacy__unicode_names_in_free_text(void **state)
{
	static const char csv[] =
	    "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,"
	    "Gender,Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,"
	    "Object of search,Outcome,Outcome linked to object of search,Removal of more than "
	    "just outer clothing,Reference,Grounds,Subject name,Subject date of birth\n"
	    "Person search,2024-06-01T10:00:00Z,True,Op SIÂN,,,,,,,,,,,,A1,"
	    "\"Sia\xcc\x82n JONES, known to police; siân ran\",SIÂN JONES,1990-02-28\n"
	    "Person search,2024-06-02T10:00:00Z,True,Operation Jones,,,,,,,,,,,,A2,"
	    "\"SIAN jones's bag; born 28 February 90\",Sia\xcc\x82n Jones,28/02/1990\n"
	    "Person search,2024-06-03T10:00:00Z,True,Операция ПЕТРОВ,,,,,,,,,,,,A3,"
	    "\"ИВАН ПЕТРОВ и Иван; петров\",иван петров,1985-01-01\n"
	    "Person search,2024-06-04T10:00:00Z,True,Op STRAUSS,,,,,,,,,,,,A4,"
	    "\"JÜRGEN STRAUSS, Strauß and Jurgen\",Jürgen Strauß,1970-07-07\n"
	    "Person search,2024-06-05T10:00:00Z,True,Op Ng,,,,,,,,,,,,A5,"
	    "\"NG and Ng's friend; WEI left\",Wei Ng,2001-01-01\n";
	static const char *const parts[] = {"sian",   "jones",   "иван", "петров",
	                                    "jurgen", "strauss", "wei",  "ng"};
	struct ss_read_opts ro = {.format = SS_FORMAT_FORCE_CSV, .pseudo = key};
	struct ss_population *p = NULL;
	size_t i, k;
	int f;

	(void)state;
	assert_int_equal(ss_population_new(&p), 0);
	assert_int_equal(ss_read_buffer("names.csv", csv, strlen(csv), &ro, p, NULL), 0);
	assert_int_equal(p->n, 5);
	for (i = 0; i < p->n; i++)
		for (f = 0; f < SS_F_COUNT; f++) {
			const char *v = p->rec[i].str[f];
			char folded[1024], *w, *save = NULL;
			ssize_t n;

			if (f != SS_F_GROUNDS && f != SS_F_OPERATION_NAME)
				continue;
			assert_non_null(v);
			assert_non_null(strstr(v, "[subject]"));
			n = ss_fold_name(v, strlen(v), folded, sizeof folded - 1);
			assert_true(n >= 0 && (size_t)n < sizeof folded);
			folded[n] = '\0';
			for (w = strtok_r(folded, " ", &save); w; w = strtok_r(NULL, " ", &save))
				for (k = 0; k < sizeof parts / sizeof parts[0]; k++)
					if (strcmp(w, parts[k]) == 0)
						fail_msg("\"%s\" left in %s: %s", parts[k],
						         ss_field_name((enum ss_field)f), v);
			/* and no date of birth, however written */
			assert_null(strstr(v, "February 90"));
		}
	ss_population_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_privacy__no_identity_in_population),
	    cmocka_unit_test(test_records_privacy__pseudonyms_stored_and_stable),
	    cmocka_unit_test(test_records_privacy__unicode_names_in_free_text),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
