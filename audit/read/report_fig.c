/*
 * report_fig.c - words for figures, shared by the renderers: counts, shares,
 * kappa and fixed-point values as the reader sees them.
 */
#include <stdio.h>

#include "report.h"

/* ---- words for figures ---- */

void ss_report_count_text(const struct ss_report *r, const struct ss_report_fig *f, char *out,
                          size_t n)
{
	(void)r;
	if (f->hidden) /* primary and secondary suppressions look the same */
		snprintf(out, n, "[c]");
	else
		snprintf(out, n, "%zu", f->count);
}

bool ss_report_pct_tenths(const struct ss_report_fig *f, unsigned long long *tenths)
{
	if (f->denom == 0 || f->pct_hidden || f->hidden || f->denom_hidden)
		return false;
	*tenths =
	    ((unsigned long long)f->count * 2000 + f->denom) / (2 * (unsigned long long)f->denom);
	return true;
}

void ss_report_pct_text(const struct ss_report_fig *f, char *out, size_t n)
{
	unsigned long long t;

	if (!ss_report_pct_tenths(f, &t))
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "%llu.%llu%%", t / 10, t % 10);
}

bool ss_report_fig_few(const struct ss_report_fig *f)
{
	unsigned long long t;

	return ss_report_pct_tenths(f, &t) && f->denom < SS_REPORT_FEW;
}

void ss_report_fig_text(const struct ss_report *r, const struct ss_report_fig *f, char *out,
                        size_t n)
{
	char c[32], d[32], p[32];
	struct ss_report_fig den = {.count = f->denom, .hidden = f->denom_hidden};

	char u[64] = "";

	ss_report_count_text(r, f, c, sizeof(c));
	if (f->field && f->denom == 0) {
		snprintf(out, n, "not recorded (blank in all %zu searches)", f->unrecorded);
		return;
	}
	if (f->denom == 0) {
		snprintf(out, n, "%s", c);
		return;
	}
	if (f->field && f->unrecorded_hidden)
		snprintf(u, sizeof(u), "; not recorded: [c]");
	else if (f->field)
		snprintf(u, sizeof(u), "; not recorded: %zu", f->unrecorded);
	ss_report_count_text(r, &den, d, sizeof(d));
	ss_report_pct_text(f, p, sizeof(p));
	if (*p)
		snprintf(out, n, "%s of %s (%s)%s%s", c, d, p,
		         ss_report_fig_few(f) ? " (fewer than 10 records)" : "", u);
	else
		snprintf(out, n, "%s of %s%s", c, d, u);
}

void ss_report_kappa_text(const struct ss_report_pair *p, char *out, size_t n)
{
	long long num = p->kappa_num, den = p->kappa_den, v;

	if (p->kappa_hidden) {
		snprintf(out, n, "withheld");
		return;
	}
	if (!p->kappa_defined) {
		snprintf(out, n, "undefined");
		return;
	}
	/* thousandths, rounded half away from zero */
	v = ((num < 0 ? -num : num) * 2000 + den) / (2 * den);
	snprintf(out, n, "%s%lld.%03lld", num < 0 && v > 0 ? "-" : "", v / 1000, v % 1000);
}

void ss_report_x100_text(unsigned long long v, char *out, size_t n)
{
	snprintf(out, n, "%llu.%02llu", v / 100, v % 100);
}

const char *ss_report_key_text(const char *key)
{
	return key ? key : "not recorded";
}
