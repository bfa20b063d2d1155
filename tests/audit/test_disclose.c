/*
 * test_disclose.c - the public report's disclosure control: the cases a
 * real month gave away (DESIGN.md section 9), and random tables where every
 * hidden count must come out at least t wide.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "disclose.h"
#include "error.h"

#define P SS_DV_PROTECTED
#define T SS_DV_TOTAL
#define K SS_DV_KNOWN

static size_t add(struct ss_disclose *d, unsigned long value, unsigned flags)
{
	size_t i;

	assert_int_equal(ss_disclose_var(d, value, flags, &i), 0);
	return i;
}

/* cells[0..n) add up to total. */
static void sum(struct ss_disclose *d, const size_t *cells, size_t n, size_t total)
{
	size_t v[16];
	double c[16];
	size_t k;

	for (k = 0; k < n; k++) {
		v[k] = cells[k];
		c[k] = 1;
	}
	v[n] = total;
	c[n] = -1;
	assert_int_equal(ss_disclose_equation(d, v, c, n + 1, 0), 0);
}

static double width(struct ss_disclose *d, size_t i)
{
	double lo, hi;

	assert_int_equal(ss_disclose_range(d, i, &lo, &hi), 0);
	return hi - lo;
}

/* "not-reasonable: 8 in total, White 6, Black [hidden], Other 0": the hidden
 * 2 was 8 - 6 - 0. Now the 6 goes too, and the 2 could be anything 0 to 8. */
static void test_audit_disclose__one_hidden_cell_beside_a_shown_total(void **state)
{
	struct ss_disclose *d;
	size_t white, black, other, total, unresolved;

	(void)state;
	assert_int_equal(ss_disclose_new(&d), 0);
	white = add(d, 6, P);
	black = add(d, 2, P);
	other = add(d, 0, P);
	total = add(d, 8, P | T);
	sum(d, (size_t[]){white, black, other}, 3, total);
	/* Before: the hidden count is pinned exactly. */
	assert_true(width(d, black) == 0);
	assert_int_equal(ss_disclose_run(d, 5, &unresolved), 0);
	assert_int_equal(unresolved, 0);
	assert_true(ss_disclose_hidden(d, black));
	assert_true(ss_disclose_hidden(d, white));
	assert_false(ss_disclose_hidden(d, total)); /* cells are hidden before totals */
	assert_true(width(d, black) >= 5);
	assert_true(width(d, white) >= 5);
	ss_disclose_free(d);
}

/* "PACE 8 = 5 + <5 + <5": both hidden cells were pinned by the shown 5. */
static void test_audit_disclose__two_hidden_in_a_row_of_three(void **state)
{
	struct ss_disclose *d;
	size_t a, b, c, total, unresolved;

	(void)state;
	assert_int_equal(ss_disclose_new(&d), 0);
	a = add(d, 5, P);
	b = add(d, 2, P);
	c = add(d, 1, P);
	total = add(d, 8, P | T);
	sum(d, (size_t[]){a, b, c}, 3, total);
	assert_int_equal(ss_disclose_run(d, 5, &unresolved), 0);
	assert_int_equal(unresolved, 0);
	assert_true(ss_disclose_hidden(d, b) && ss_disclose_hidden(d, c));
	assert_true(ss_disclose_hidden(d, a));
	assert_true(width(d, b) >= 5 && width(d, c) >= 5 && width(d, a) >= 5);
	ss_disclose_free(d);
}

/* "positive as corrected 41" beside "as recorded 39" with the corrections
 * table's total shown pinned the hidden corrections into and out of a
 * positive outcome (3 and 1). */
static void test_audit_disclose__recorded_against_corrected_positives(void **state)
{
	struct ss_disclose *d;
	size_t in, out, other, total, recorded, corrected, unresolved;

	(void)state;
	assert_int_equal(ss_disclose_new(&d), 0);
	in = add(d, 3, P);
	out = add(d, 1, P);
	other = add(d, 10, P);
	total = add(d, 14, P | T);
	recorded = add(d, 39, 0); /* the population's: public */
	corrected = add(d, 41, P);
	sum(d, (size_t[]){in, out, other}, 3, total);
	/* corrected - recorded - in + out = 0 */
	assert_int_equal(ss_disclose_equation(d, (size_t[]){corrected, recorded, in, out},
	                                      (double[]){1, -1, -1, 1}, 4, 0),
	                 0);
	assert_int_equal(ss_disclose_run(d, 5, &unresolved), 0);
	assert_int_equal(unresolved, 0);
	assert_true(ss_disclose_hidden(d, in) && ss_disclose_hidden(d, out));
	assert_false(ss_disclose_hidden(d, recorded));
	assert_true(width(d, in) >= 5);
	assert_true(width(d, out) >= 5);
	ss_disclose_free(d);
}

/* A margin the attacker knows (from the published rows) below t: no hiding
 * makes its cells t wide, so all of them go and each is the margin wide. */
static void test_audit_disclose__known_margin_below_t(void **state)
{
	struct ss_disclose *d;
	size_t a, b, c, total, unresolved;

	(void)state;
	assert_int_equal(ss_disclose_new(&d), 0);
	a = add(d, 2, P);
	b = add(d, 1, P);
	c = add(d, 0, P);
	total = add(d, 3, P | T | K);
	sum(d, (size_t[]){a, b, c}, 3, total);
	assert_int_equal(ss_disclose_run(d, 5, &unresolved), 0);
	assert_int_equal(unresolved, 0);
	assert_true(ss_disclose_hidden(d, a) && ss_disclose_hidden(d, b) &&
	            ss_disclose_hidden(d, c));
	assert_true(width(d, a) >= 3 && width(d, c) >= 3);
	ss_disclose_free(d);
}

/* Public figures are never hidden, and zero identifies nobody. */
static void test_audit_disclose__public_figures_and_zeros_stay(void **state)
{
	struct ss_disclose *d;
	size_t a, b, zero, total, unresolved;

	(void)state;
	assert_int_equal(ss_disclose_new(&d), 0);
	a = add(d, 2, 0);
	b = add(d, 30, P);
	zero = add(d, 0, P);
	total = add(d, 32, T);
	sum(d, (size_t[]){a, b, zero}, 3, total);
	assert_int_equal(ss_disclose_run(d, 5, &unresolved), 0);
	assert_false(ss_disclose_hidden(d, a));
	assert_false(ss_disclose_hidden(d, b));
	assert_false(ss_disclose_hidden(d, zero));
	assert_false(ss_disclose_hidden(d, total));
	ss_disclose_free(d);
}

/* Figures that do not add up are refused: the report would be inconsistent. */
static void test_audit_disclose__inconsistent_refused(void **state)
{
	struct ss_disclose *d;
	size_t a, total;

	(void)state;
	assert_int_equal(ss_disclose_new(&d), 0);
	a = add(d, 2, P);
	total = add(d, 3, P | T);
	assert_int_equal(ss_disclose_equation(d, (size_t[]){a, total}, (double[]){1, -1}, 2, 0),
	                 SS_EUSAGE);
	ss_disclose_free(d);
}

/* With SS_DISCLOSE_OUT set, each random table is also written there as a
 * public report's table (DESIGN.md section 9's JSON shape: hidden figures
 * null), for tests/attack to attack with its own linear programming. */
static void write_table(struct ss_disclose *d, int round, unsigned long t, size_t nr, size_t nc,
                        size_t cell[4][5], const size_t *rowt, const size_t *colt, size_t grand,
                        const unsigned long *values)
{
	const char *dir = getenv("SS_DISCLOSE_OUT");
	char path[4096];
	FILE *f;
	size_t r, c;

	if (dir == NULL || *dir == '\0')
		return;
	snprintf(path, sizeof(path), "%s/random-%02d.json", dir, round);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s", path);
#define FIG(i) (ss_disclose_hidden(d, (i)) ? -1L : (long)values[(i)])
#define PUT(i)                                                                                     \
	do {                                                                                       \
		if (FIG(i) < 0)                                                                    \
			fputs("null", f);                                                          \
		else                                                                               \
			fprintf(f, "%ld", FIG(i));                                                 \
	} while (0)
	fprintf(f, "{\"min_count\": %lu, \"tables\": [{\"id\": \"t\", \"universe\": \"u\", ", t);
	fputs("\"rows\": [", f);
	for (r = 0; r < nr; r++)
		fprintf(f, "%s\"r%zu\"", r ? ", " : "", r);
	fputs("], \"cols\": [", f);
	for (c = 0; c < nc; c++)
		fprintf(f, "%s\"c%zu\"", c ? ", " : "", c);
	fputs("], \"cells\": [", f);
	for (r = 0; r < nr; r++) {
		fputs(r ? ", [" : "[", f);
		for (c = 0; c < nc; c++) {
			if (c)
				fputs(", ", f);
			PUT(cell[r][c]);
		}
		fputs("]", f);
	}
	fputs("], \"row_totals\": [", f);
	for (r = 0; r < nr; r++) {
		if (r)
			fputs(", ", f);
		PUT(rowt[r]);
	}
	fputs("], \"col_totals\": [", f);
	for (c = 0; c < nc; c++) {
		if (c)
			fputs(", ", f);
		PUT(colt[c]);
	}
	fputs("], \"total\": ", f);
	PUT(grand);
	fputs("}], \"known_margins\": [], \"relations\": []}\n", f);
#undef PUT
#undef FIG
	fclose(f);
}

/* Random two-way tables with every margin and a grand total, of small
 * counts: whatever is hidden is at least t wide given all that is shown,
 * and no count from 1 to t - 1 is left showing. */
static void test_audit_disclose__random_tables_hold(void **state)
{
	unsigned seed = 20261206u;
	int round;

	(void)state;
	for (round = 0; round < 60; round++) {
		struct ss_disclose *d;
		size_t cell[4][5], rowt[4], colt[5], grand, unresolved, r, c;
		unsigned long values[4 * 5 + 4 + 5 + 1];
		size_t nr = 2 + (size_t)(rand_r(&seed) % 3), nc = 2 + (size_t)(rand_r(&seed) % 4);
		unsigned long rv[4] = {0}, cv[5] = {0}, g = 0,
		              t = 3 + (unsigned)(rand_r(&seed) % 4);

		assert_int_equal(ss_disclose_new(&d), 0);
		for (r = 0; r < nr; r++)
			for (c = 0; c < nc; c++) {
				unsigned long v = (unsigned long)(rand_r(&seed) % 9);

				if (rand_r(&seed) % 4 == 0)
					v += (unsigned long)(rand_r(&seed) % 40);
				cell[r][c] = add(d, v, P);
				values[cell[r][c]] = v;
				rv[r] += v;
				cv[c] += v;
				g += v;
			}
		for (r = 0; r < nr; r++)
			values[rowt[r] = add(d, rv[r], P | T)] = rv[r];
		for (c = 0; c < nc; c++)
			values[colt[c] = add(d, cv[c], P | T)] = cv[c];
		values[grand = add(d, g, P | T)] = g;
		for (r = 0; r < nr; r++)
			sum(d, cell[r], nc, rowt[r]);
		for (c = 0; c < nc; c++) {
			size_t col[4];

			for (r = 0; r < nr; r++)
				col[r] = cell[r][c];
			sum(d, col, nr, colt[c]);
		}
		sum(d, rowt, nr, grand);
		assert_int_equal(ss_disclose_run(d, (unsigned)t, &unresolved), 0);
		assert_int_equal(unresolved, 0);
		write_table(d, round, t, nr, nc, cell, rowt, colt, grand, values);
		for (r = 0; r < nr * nc + nr + nc + 1; r++) {
			double lo, hi;

			if (!ss_disclose_hidden(d, r))
				continue;
			assert_int_equal(ss_disclose_range(d, r, &lo, &hi), 0);
			if (hi - lo < (double)t - 1e-9)
				fail_msg("round %d: figure %zu hidden but only %.2f wide (t = %lu)",
				         round, r, hi - lo, t);
		}
		for (r = 0; r < nr; r++)
			for (c = 0; c < nc; c++) {
				double lo, hi;

				assert_int_equal(ss_disclose_range(d, cell[r][c], &lo, &hi), 0);
				if (!ss_disclose_hidden(d, cell[r][c]) && lo >= 1 && lo < (double)t)
					fail_msg("round %d: a count of %.0f is shown (t = %lu)",
					         round, lo, t);
			}
		ss_disclose_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_disclose__one_hidden_cell_beside_a_shown_total),
	    cmocka_unit_test(test_audit_disclose__two_hidden_in_a_row_of_three),
	    cmocka_unit_test(test_audit_disclose__recorded_against_corrected_positives),
	    cmocka_unit_test(test_audit_disclose__known_margin_below_t),
	    cmocka_unit_test(test_audit_disclose__public_figures_and_zeros_stay),
	    cmocka_unit_test(test_audit_disclose__inconsistent_refused),
	    cmocka_unit_test(test_audit_disclose__random_tables_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
