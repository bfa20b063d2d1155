/*
 * estimate.h - a role's finding as an estimate for all of a month's searches
 * (DESIGN.md section 9): the stratified proportion of one answer value over
 * the strata a role's answers on core records reach, with its 95% interval
 * computed exactly as R's survey package (4.1) computes
 *   svyciprop(~I(answer == v), svydesign(ids = ~1, strata = ~stratum,
 *             fpc = ~N, data = d), method = "beta")
 * under options(survey.lonely.psu = "adjust"), and Clopper-Pearson where R
 * gives no usable interval.
 *
 * Pure: counts in, numbers out; nothing allocated, nothing printed. The
 * beta and t distributions come from GSL, whose abort-on-error handler is
 * switched off the first time an estimate is computed.
 */
#ifndef SS_ESTIMATE_H
#define SS_ESTIMATE_H

#include <stddef.h>

/* One stratum h: N_h searches, n_h of its core records answered, and how
 * many of those n_h answers were the value estimated. */
struct ss_estimate_stratum {
	size_t population; /* N_h */
	size_t answered;   /* n_h (0: the stratum is not reached) */
	size_t yes;        /* of answered */
};

enum ss_estimate_method {
	SS_ESTIMATE_NONE,  /* no answered record: no estimate */
	SS_ESTIMATE_BETA,  /* Korn-Graubard, as svyciprop(method = "beta") */
	SS_ESTIMATE_EXACT, /* Clopper-Pearson on n = sum n_h, x = floor(p*n + 1/2) */
};

struct ss_estimate {
	enum ss_estimate_method method;
	double estimate;     /* sum N_h p_h / sum N_h over strata with n_h > 0 */
	double lower, upper; /* the 95% interval */
	double variance;     /* the design variance (0 with SS_ESTIMATE_NONE) */
	size_t n;            /* sum n_h */
	size_t df;           /* degrees of freedom: n - strata reached */
	size_t reached;      /* strata with n_h > 0 */
};

/*
 * Estimate from nstrata strata. SS_EDATA when a stratum has more answered
 * than searches or more yes than answered; out->method is SS_ESTIMATE_NONE
 * when no stratum is answered.
 */
int ss_estimate_prop(const struct ss_estimate_stratum *strata, size_t nstrata,
                     struct ss_estimate *out);

/* The Clopper-Pearson 95% interval for x successes of n (n > 0), with the
 * closed forms at x = 0 and x = n. */
void ss_estimate_exact(size_t x, size_t n, double *lower, double *upper);

/* The p quantile of Beta(a, b) (a, b > 0): GSL's inverse, or bisection on
 * GSL's distribution function where the inverse fails. */
double ss_estimate_qbeta(double p, double a, double b);

#endif
