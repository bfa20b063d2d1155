/*
 * The report's estimates against R: crafted and synthetic designs (several
 * strata, lonely strata with one answered record, census strata, strata a
 * role did not reach, estimates of 0 and 1, no degrees of freedom) written
 * out one row per answered record, run through R survey's
 * svyciprop(method = "beta") (tests/audit/data/estimate/svyciprop.R), and
 * compared to 1e-6: estimate, interval, and which of the two methods gave it.
 * Skips (77) where Rscript or the survey package is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atest.h"
#include "estimate.h"

#define MAXH     8
#define NDESIGNS 400
#define TOL      1e-6

struct design {
	struct ss_estimate_stratum s[MAXH];
	size_t h;
};

static struct design designs[NDESIGNS];
static size_t ndesigns;
static char tmpdir[512];

/* A small fixed generator, so every run checks the same designs. */
static uint64_t rng = 0x9e3779b97f4a7c15u;
static size_t draw(size_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (size_t)(rng % n);
}

static void add(size_t h, const size_t *N, const size_t *n, const size_t *y)
{
	struct design *d = &designs[ndesigns++];
	d->h = h;
	for (size_t i = 0; i < h; i++)
		d->s[i] = (struct ss_estimate_stratum){N[i], n[i], y[i]};
}

static void make_designs(void)
{
	/* crafted */
	add(1, (size_t[]){174}, (size_t[]){27}, (size_t[]){4});                    /* one stratum */
	add(3, (size_t[]){40, 90, 44}, (size_t[]){6, 14, 7}, (size_t[]){1, 3, 0}); /* several */
	add(3, (size_t[]){40, 90, 44}, (size_t[]){1, 14, 7}, (size_t[]){1, 3, 2}); /* lonely */
	add(3, (size_t[]){40, 90, 44}, (size_t[]){1, 1, 7}, (size_t[]){0, 1, 2});  /* two lonely */
	add(4, (size_t[]){40, 90, 44, 12}, (size_t[]){0, 14, 0, 3},
	    (size_t[]){0, 5, 0, 1});                                   /* subset reached */
	add(2, (size_t[]){5, 60}, (size_t[]){5, 9}, (size_t[]){2, 4}); /* census stratum */
	add(2, (size_t[]){5, 6}, (size_t[]){5, 6}, (size_t[]){2, 4});  /* variance 0 */
	add(3, (size_t[]){30, 50, 20}, (size_t[]){1, 1, 1}, (size_t[]){1, 0, 1}); /* no df */
	add(2, (size_t[]){30, 50}, (size_t[]){6, 9}, (size_t[]){0, 0});           /* estimate 0 */
	add(2, (size_t[]){30, 50}, (size_t[]){6, 9}, (size_t[]){6, 9});           /* estimate 1 */
	add(1, (size_t[]){12447}, (size_t[]){1867}, (size_t[]){211});   /* a large month */
	add(2, (size_t[]){1, 80}, (size_t[]){1, 10}, (size_t[]){1, 3}); /* N_h = 1 */
	/* synthetic */
	while (ndesigns < NDESIGNS) {
		struct design *d = &designs[ndesigns];
		d->h = 1 + draw(MAXH);
		size_t answered = 0;
		for (size_t i = 0; i < d->h; i++) {
			size_t N = 1 + draw(draw(4) == 0 ? 2000 : 120);
			size_t cap = N < 40 ? N : 40;
			size_t n =
			    draw(5) == 0 ? draw(2) : draw(cap + 1); /* unreached and lonely often */
			size_t pct = draw(3) == 0 ? draw(4) * 33 : draw(101);
			size_t y = 0;
			for (size_t k = 0; k < n; k++)
				y += draw(100) < pct;
			d->s[i] = (struct ss_estimate_stratum){N, n, y};
			answered += n;
		}
		if (answered > 0)
			ndesigns++;
	}
}

static int have_r(void)
{
	return system("Rscript -e 'suppressPackageStartupMessages(library(survey))' "
	              ">/dev/null 2>&1") == 0;
}

static void write_csv(const char *path)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "design,stratum,N,y\n");
	for (size_t i = 0; i < ndesigns; i++)
		for (size_t h = 0; h < designs[i].h; h++) {
			const struct ss_estimate_stratum *s = &designs[i].s[h];
			for (size_t k = 0; k < s->answered; k++)
				fprintf(f, "d%zu,s%zu,%zu,%d\n", i, h, s->population, k < s->yes);
		}
	assert_int_equal(fclose(f), 0);
}

static void test_audit_estimate_r__matches_svyciprop(void **state)
{
	(void)state;
	char in[600], out[600], cmd[2048];
	const char *src = getenv("SS_SOURCE_DIR");
	assert_non_null(src);
	pathf(in, sizeof in, "%s/designs.csv", tmpdir);
	pathf(out, sizeof out, "%s/r.csv", tmpdir);
	write_csv(in);
	pathf(cmd, sizeof cmd, "Rscript '%s/tests/audit/data/estimate/svyciprop.R' '%s' '%s'", src,
	      in, out);
	assert_int_equal(system(cmd), 0);

	FILE *f = fopen(out, "r");
	assert_non_null(f);
	char line[512];
	assert_non_null(fgets(line, sizeof line, f)); /* header */
	size_t seen = 0, beta = 0, exact = 0;
	while (fgets(line, sizeof line, f)) {
		size_t i;
		char method[16];
		double est, lo, hi;
		assert_int_equal(
		    sscanf(line, "d%zu,%15[a-z],%lf,%lf,%lf", &i, method, &est, &lo, &hi), 5);
		assert_true(i < ndesigns);
		struct ss_estimate e;
		assert_int_equal(ss_estimate_prop(designs[i].s, designs[i].h, &e), 0);
		bool want_beta = strcmp(method, "beta") == 0;
		if ((e.method == SS_ESTIMATE_BETA) != want_beta || fabs(e.estimate - est) > TOL ||
		    fabs(e.lower - lo) > TOL || fabs(e.upper - hi) > TOL) {
			fprintf(stderr,
			        "design d%zu: R %s %.9f [%.9f, %.9f], ours %s %.9f [%.9f, %.9f]\n",
			        i, method, est, lo, hi,
			        e.method == SS_ESTIMATE_BETA ? "beta" : "exact", e.estimate,
			        e.lower, e.upper);
			fail();
		}
		want_beta ? beta++ : exact++;
		seen++;
	}
	fclose(f);
	assert_int_equal(seen, ndesigns);
	/* both paths are exercised, not only one */
	assert_true(beta > 100);
	assert_true(exact > 10);
	printf("compared %zu designs with R: %zu beta, %zu Clopper-Pearson\n", seen, beta, exact);
}

int main(void)
{
	if (!have_r()) {
		printf(
		    "skipping: Rscript with the survey package (r-cran-survey) is not installed\n");
		return 77;
	}
	const char *base = getenv("TMPDIR");
	pathf(tmpdir, sizeof tmpdir, "%s/ss-estimate-XXXXXX", base ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	make_designs();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_estimate_r__matches_svyciprop),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
