/*
 * estimate.c - the stratified estimate and its interval (see estimate.h).
 *
 * The design variance follows R survey 4.1 step by step: svymean's influence
 * values x_i = (y_i - p) w_h / sum w, with w_h = N_h / n_h; per stratum
 * (onestrat) the finite population factor f_h = (N_h - n_h) / N_h, a stratum
 * with f_h < 1e-7 contributing nothing, otherwise
 *   n_h > 1: f_h n_h / (n_h - 1) * sum (x_i - mean_h x)^2
 *   n_h = 1: f_h x_i^2 (lonely.psu "adjust": centred on the overall mean)
 * and svyciprop's "beta" method: the effective sample size
 * p (1 - p) / V * (qt(0.025, n - 1) / qt(0.025, df))^2, df = n - H, and
 * the interval [qbeta(0.025, n_eff p, n_eff (1 - p) + 1),
 *               qbeta(0.975, n_eff p + 1, n_eff (1 - p))].
 */
#include "estimate.h"

#include <math.h>
#include <stdbool.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>

#include "error.h"

#define ALPHA        0.05
#define VARIANCE_MIN 1e-12 /* below this the design variance counts as 0 */

static void gsl_quiet(void)
{
	/* GSL aborts the program on a domain error by default; an estimate
	 * must never take the report down, so its functions return NaN and
	 * we check. */
	static bool done;
	if (!done) {
		gsl_set_error_handler_off();
		done = true;
	}
}

double ss_estimate_qbeta(double p, double a, double b)
{
	gsl_quiet();
	double q = gsl_cdf_beta_Pinv(p, a, b);
	if (isfinite(q) && q >= 0.0 && q <= 1.0 && fabs(gsl_cdf_beta_P(q, a, b) - p) <= 1e-12)
		return q;
	/* The inverse failed (it does for large parameters): bisect on the
	 * distribution function, which is monotone on [0, 1]. */
	double lo = 0.0, hi = 1.0;
	for (int i = 0; i < 200 && hi - lo > 1e-16; i++) {
		double mid = lo + (hi - lo) / 2.0;
		if (gsl_cdf_beta_P(mid, a, b) < p)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2.0;
}

void ss_estimate_exact(size_t x, size_t n, double *lower, double *upper)
{
	double dn = (double)n, dx = (double)x;
	if (x == 0) {
		*lower = 0.0;
		*upper = 1.0 - pow(ALPHA / 2.0, 1.0 / dn);
	} else if (x >= n) {
		*lower = pow(ALPHA / 2.0, 1.0 / dn);
		*upper = 1.0;
	} else {
		*lower = ss_estimate_qbeta(ALPHA / 2.0, dx, dn - dx + 1.0);
		*upper = ss_estimate_qbeta(1.0 - ALPHA / 2.0, dx + 1.0, dn - dx);
	}
}

static double stratum_variance(const struct ss_estimate_stratum *s, double p, double psum)
{
	double N = (double)s->population, n = (double)s->answered, y = (double)s->yes;
	double f = (N - n) / N;
	if (f < 1e-7)
		return 0.0;
	double w = N / n / psum; /* each record's weight over the total */
	if (s->answered == 1) {
		double x = (y - p) * w;
		return f * x * x;
	}
	/* sum over records of (x_i - mean x)^2 = w^2 * sum (y_i - y_bar)^2 */
	double ss = w * w * (y * (n - y) / n);
	return f * n / (n - 1.0) * ss;
}

int ss_estimate_prop(const struct ss_estimate_stratum *strata, size_t nstrata,
                     struct ss_estimate *out)
{
	gsl_quiet();
	*out = (struct ss_estimate){.method = SS_ESTIMATE_NONE};
	double psum = 0.0, total = 0.0;
	size_t yes = 0;
	for (size_t h = 0; h < nstrata; h++) {
		const struct ss_estimate_stratum *s = &strata[h];
		if (s->answered > s->population || s->yes > s->answered)
			return ss_error_set(SS_EDATA,
			                    _("estimate: stratum %zu has %zu of %zu answered "
			                      "and %zu searches"),
			                    h + 1, s->yes, s->answered, s->population);
		if (s->answered == 0)
			continue;
		psum += (double)s->population;
		total += (double)s->population * ((double)s->yes / (double)s->answered);
		out->n += s->answered;
		out->reached++;
		yes += s->yes;
	}
	if (out->n == 0)
		return 0;
	out->df = out->n - out->reached;
	double p = total / psum;
	if (yes == 0)
		p = 0.0;
	else if (yes == out->n)
		p = 1.0;
	out->estimate = p;

	double v = 0.0;
	for (size_t h = 0; h < nstrata; h++)
		if (strata[h].answered > 0)
			v += stratum_variance(&strata[h], p, psum);
	out->variance = v;

	if (p > 0.0 && p < 1.0 && v >= VARIANCE_MIN && out->df > 0) {
		double ratio = gsl_cdf_tdist_Pinv(ALPHA / 2.0, (double)(out->n - 1)) /
		               gsl_cdf_tdist_Pinv(ALPHA / 2.0, (double)out->df);
		double neff = p * (1.0 - p) / v * ratio * ratio;
		double lo = ss_estimate_qbeta(ALPHA / 2.0, neff * p, neff * (1.0 - p) + 1.0);
		double hi = ss_estimate_qbeta(1.0 - ALPHA / 2.0, neff * p + 1.0, neff * (1.0 - p));
		if (isfinite(lo) && isfinite(hi)) {
			out->method = SS_ESTIMATE_BETA;
			out->lower = lo;
			out->upper = hi;
			return 0;
		}
	}
	/* R gives no usable interval: Clopper-Pearson on the answered records. */
	size_t x = (size_t)floor(p * (double)out->n + 0.5);
	out->method = SS_ESTIMATE_EXACT;
	ss_estimate_exact(x, out->n, &out->lower, &out->upper);
	return 0;
}
