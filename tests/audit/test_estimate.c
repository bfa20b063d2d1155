/*
 * Tests of the estimate (DESIGN.md section 9) that need no R: figures worked
 * out by hand in the comments (the stratified proportion, the design variance
 * with a lonely stratum, the effective sample size), the Clopper-Pearson ends
 * in closed form, the fallbacks (estimate 0 or 1, zero variance, no degrees of
 * freedom), unreached strata left out, bad counts refused, and the beta
 * quantile where GSL's inverse gives up. test_estimate_r compares with R.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <gsl/gsl_cdf.h>

#include "error.h"
#include "estimate.h"

#define S(N, n, y) ((struct ss_estimate_stratum){(N), (n), (y)})

static void close_to(double got, double want, double tol)
{
	if (fabs(got - want) > tol) {
		print_error("got %.12g, want %.12g\n", got, want);
		fail();
	}
}

/* One stratum of 100 searches, 20 answered, 3 "yes": p = 0.15; f = 0.8;
 * weight 1/20 each; V = f * 20/19 * (1/20)^2 * (3 * 17 / 20) = 0.00536842...;
 * n_eff = p(1-p)/V = 0.1275 / V = 23.75 (one stratum: the t ratio is 1);
 * the interval is qbeta(0.025, 3.5625, 21.1875) to qbeta(0.975, 4.5625,
 * 20.1875). R survey 4.1.1 gives 0.0382207710521 to 0.3554421044646. */
static void test_audit_estimate_estimate__single_stratum(void **state)
{
	(void)state;
	struct ss_estimate e;
	assert_int_equal(ss_estimate_prop((struct ss_estimate_stratum[]){S(100, 20, 3)}, 1, &e), 0);
	assert_int_equal(e.method, SS_ESTIMATE_BETA);
	close_to(e.estimate, 0.15, 1e-15);
	close_to(e.variance, 0.8 * 20.0 / 19.0 * (2.55 / 400.0), 1e-15);
	assert_int_equal(e.n, 20);
	assert_int_equal(e.df, 19);
	close_to(gsl_cdf_beta_P(e.lower, 23.75 * 0.15, 23.75 * 0.85 + 1.0), 0.025, 1e-10);
	close_to(gsl_cdf_beta_P(e.upper, 23.75 * 0.15 + 1.0, 23.75 * 0.85), 0.975, 1e-10);
	close_to(e.lower, 0.0382207710521, 1e-9);
	close_to(e.upper, 0.3554421044646, 1e-9);
}

/* A lonely stratum (1 of 10 answered, "yes") and one of 30 with 1 of 3:
 * p = (10 * 1 + 30 * 1/3) / 40 = 0.5. Lonely, centred on the overall mean:
 * f = 0.9, x = (1 - 0.5) * 10 / 40 = 0.125, V_A = 0.9 * 0.125^2 = 0.0140625.
 * The other: f = 0.9, w = 10 / 40, sum (y - 1/3)^2 = 2/3,
 * V_B = 0.9 * 3/2 * 0.0625 * 2/3 = 0.05625. V = 0.0703125 (as R gives);
 * df = 4 - 2 = 2. */
static void test_audit_estimate_estimate__lonely_stratum(void **state)
{
	(void)state;
	struct ss_estimate e;
	struct ss_estimate_stratum s[] = {S(10, 1, 1), S(30, 3, 1)};
	assert_int_equal(ss_estimate_prop(s, 2, &e), 0);
	assert_int_equal(e.method, SS_ESTIMATE_BETA);
	close_to(e.estimate, 0.5, 1e-15);
	close_to(e.variance, 0.0703125, 1e-15);
	assert_int_equal(e.df, 2);
	assert_int_equal(e.reached, 2);
	/* symmetric about a half */
	close_to(e.lower + e.upper, 1.0, 1e-9);
	assert_true(e.lower > 0.0 && e.lower < 0.05);
}

/* A stratum with no answered record is left out: the same as without it. */
static void test_audit_estimate_estimate__unreached_left_out(void **state)
{
	(void)state;
	struct ss_estimate a, b;
	struct ss_estimate_stratum with[] = {S(500, 0, 0), S(10, 1, 1), S(7, 0, 0), S(30, 3, 1)};
	struct ss_estimate_stratum without[] = {S(10, 1, 1), S(30, 3, 1)};
	assert_int_equal(ss_estimate_prop(with, 4, &a), 0);
	assert_int_equal(ss_estimate_prop(without, 2, &b), 0);
	close_to(a.estimate, 0.5, 1e-15); /* not (0.5 * 40) / 547 */
	close_to(a.lower, b.lower, 0.0);
	close_to(a.upper, b.upper, 0.0);
	assert_int_equal(a.reached, 2);
}

/* No answer: no estimate. */
static void test_audit_estimate_estimate__none(void **state)
{
	(void)state;
	struct ss_estimate e;
	assert_int_equal(ss_estimate_prop((struct ss_estimate_stratum[]){S(50, 0, 0)}, 1, &e), 0);
	assert_int_equal(e.method, SS_ESTIMATE_NONE);
	assert_int_equal(e.n, 0);
}

/* Estimate 0 over 20 answers: [0, 1 - 0.025^(1/20)] = [0, 0.168433470983];
 * estimate 1: the mirror. */
static void test_audit_estimate_estimate__ends(void **state)
{
	(void)state;
	struct ss_estimate e;
	struct ss_estimate_stratum zero[] = {S(60, 12, 0), S(40, 8, 0)};
	assert_int_equal(ss_estimate_prop(zero, 2, &e), 0);
	assert_int_equal(e.method, SS_ESTIMATE_EXACT);
	close_to(e.estimate, 0.0, 0.0);
	close_to(e.lower, 0.0, 0.0);
	close_to(e.upper, 0.168433470983, 1e-11);
	struct ss_estimate_stratum one[] = {S(60, 12, 12), S(40, 8, 8)};
	assert_int_equal(ss_estimate_prop(one, 2, &e), 0);
	assert_int_equal(e.method, SS_ESTIMATE_EXACT);
	close_to(e.estimate, 1.0, 0.0);
	close_to(e.lower, 1.0 - 0.168433470983, 1e-11);
	close_to(e.upper, 1.0, 0.0);
}

/* Every stratum answered whole (n_h = N_h): the finite population
 * correction makes the variance 0, so Clopper-Pearson on n = 11 with
 * x = floor((5 * 0.4 + 6 * 4/6) / 11 * 11 + 0.5) = 6. */
static void test_audit_estimate_estimate__zero_variance(void **state)
{
	(void)state;
	struct ss_estimate e;
	struct ss_estimate_stratum s[] = {S(5, 5, 2), S(6, 6, 4)};
	assert_int_equal(ss_estimate_prop(s, 2, &e), 0);
	close_to(e.variance, 0.0, 0.0);
	assert_int_equal(e.method, SS_ESTIMATE_EXACT);
	close_to(e.estimate, 6.0 / 11.0, 1e-15);
	/* the exact interval for 6 of 11: P(X >= 6 | lower) = 0.025 */
	close_to(gsl_cdf_beta_P(e.lower, 6.0, 6.0), 0.025, 1e-10);
	close_to(gsl_cdf_beta_P(e.upper, 7.0, 5.0), 0.975, 1e-10);
}

/* One answered record in each of three strata: no degrees of freedom.
 * p = (30 + 20) / 100 = 0.5, so x = floor(1.5 + 0.5) = 2 of 3. */
static void test_audit_estimate_estimate__no_df(void **state)
{
	(void)state;
	struct ss_estimate e;
	struct ss_estimate_stratum s[] = {S(30, 1, 1), S(50, 1, 0), S(20, 1, 1)};
	assert_int_equal(ss_estimate_prop(s, 3, &e), 0);
	assert_int_equal(e.df, 0);
	assert_int_equal(e.method, SS_ESTIMATE_EXACT);
	double lo, hi;
	ss_estimate_exact(2, 3, &lo, &hi);
	close_to(e.lower, lo, 0.0);
	close_to(e.upper, hi, 0.0);
	close_to(gsl_cdf_beta_P(lo, 2.0, 2.0), 0.025, 1e-10);
}

static void test_audit_estimate_estimate__bad_counts(void **state)
{
	(void)state;
	struct ss_estimate e;
	assert_int_equal(ss_estimate_prop((struct ss_estimate_stratum[]){S(5, 6, 1)}, 1, &e),
	                 SS_EDATA);
	assert_int_equal(ss_estimate_prop((struct ss_estimate_stratum[]){S(5, 2, 3)}, 1, &e),
	                 SS_EDATA);
}

/* Large parameters, where GSL's inverse fails: still the quantile. */
static void test_audit_estimate_estimate__qbeta_large(void **state)
{
	(void)state;
	double a = 3e6, b = 7e6;
	double q = ss_estimate_qbeta(0.025, a, b);
	close_to(q, 0.3, 1e-3);
	assert_true(q < 0.3);
	close_to(gsl_cdf_beta_P(q, a, b), 0.025, 1e-8);
	q = ss_estimate_qbeta(0.975, 2.5, 1e7);
	close_to(gsl_cdf_beta_P(q, 2.5, 1e7), 0.975, 1e-8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_estimate_estimate__single_stratum),
	    cmocka_unit_test(test_audit_estimate_estimate__lonely_stratum),
	    cmocka_unit_test(test_audit_estimate_estimate__unreached_left_out),
	    cmocka_unit_test(test_audit_estimate_estimate__none),
	    cmocka_unit_test(test_audit_estimate_estimate__ends),
	    cmocka_unit_test(test_audit_estimate_estimate__zero_variance),
	    cmocka_unit_test(test_audit_estimate_estimate__no_df),
	    cmocka_unit_test(test_audit_estimate_estimate__bad_counts),
	    cmocka_unit_test(test_audit_estimate_estimate__qbeta_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
