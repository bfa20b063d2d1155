/*
 * report_public.c - disclosure control for a public report: small counts are
 * hidden, and so is whatever would let a hidden count be worked out by
 * subtraction (report.h says the rule). Runs once, in ss_report_finish,
 * before census rates are computed from what shows.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "report_int.h"

/* ---- public suppression ---- */

static void hide(const struct ss_report *r, struct ss_report_fig *f)
{
	if (f->count > 0 && f->count < r->public_min)
		f->hidden = true;
	if (f->denom > 0 && f->denom < r->public_min)
		f->denom_hidden = true;
	if (f->hidden || f->denom_hidden)
		f->pct_hidden = true;
}

/* A warning stating a number of searches below public_min ("3 searches
 * picked out by ...", "... to 2 searches whose field is blank") would show a
 * small count: such warnings are left out of a public report. */
static bool warning_small(const struct ss_report *r, const char *w)
{
	const char *p = w;

	while (*p) {
		if (*p >= '0' && *p <= '9' && (p == w || !(p[-1] >= '0' && p[-1] <= '9'))) {
			char *end;
			unsigned long long v = strtoull(p, &end, 10);

			if (strncmp(end, " search", 7) == 0 && v > 0 && v < r->public_min)
				return true;
			p = end;
		} else
			p++;
	}
	return false;
}

static void drop_small_warnings(const struct ss_report *r, struct ss_report_sample *s)
{
	size_t i, k = 0;

	for (i = 0; i < s->nwarnings; i++) {
		if (warning_small(r, s->warnings[i]))
			free(s->warnings[i]);
		else
			s->warnings[k++] = s->warnings[i];
	}
	s->nwarnings = k;
}

/* Within a group of figures adding up to a total shown elsewhere, one hidden
 * count could be worked out by subtraction: hide the next smallest as well. */
static void hide_group(struct ss_report_fig **g, size_t n)
{
	struct ss_report_fig *next = NULL;
	size_t i, hidden = 0;

	for (i = 0; i < n; i++) {
		if (g[i]->hidden)
			hidden++;
		else if (g[i]->count > 0 && (next == NULL || g[i]->count < next->count))
			next = g[i];
	}
	if (hidden == 1 && next != NULL) {
		next->hidden = true;
		next->pct_hidden = true;
	}
}

static int hide_table(const struct ss_report *r, struct ss_report_table *t)
{
	struct ss_report_fig **g;
	size_t i, lo, n;

	for (i = 0; i < t->nrows; i++)
		hide(r, &t->rows[i].fig);
	if (t->nrows == 0)
		return 0;
	if ((g = calloc(t->nrows, sizeof(*g))) == NULL)
		return ss_error_nomem();
	for (lo = 0; lo < t->nrows; lo += n) {
		n = 0;
		for (i = lo; i < t->nrows && (!t->cross || i == lo ||
		                              ss_report_str_eq(t->rows[i].key, t->rows[lo].key));
		     i++)
			g[n++] = &t->rows[i].fig;
		hide_group(g, n);
	}
	free(g);
	return 0;
}

static int hide_figs_column(struct ss_report_fig **g, size_t n, const struct ss_report *r)
{
	size_t i;

	for (i = 0; i < n; i++)
		hide(r, g[i]);
	hide_group(g, n);
	return 0;
}

int ss_report_suppress(struct ss_report *r)
{
	struct ss_report_fig **g = NULL;
	size_t i, j, k, q, b, nv = r->agreement.nvalues;
	int err = 0;

	hide(r, &r->searches);
	hide(r, &r->positive);
	hide(r, &r->strip);
	hide(r, &r->children);
	hide(r, &r->linked);
	hide(r, &r->outside_groups);
	for (k = 0; k < SS_REPORT_NBY && !err; k++)
		err = hide_table(r, &r->by[k]);
	for (i = 0; i < r->nrates; i++)
		hide(r, &r->rates[i].searches);
	for (i = 0; i < r->nsamples && !err; i++) {
		struct ss_report_sample *s = &r->samples[i];
		size_t n = s->nstrata;

		hide(r, &s->sampled);
		hide(r, &s->always);
		hide(r, &s->core);
		hide(r, &s->targeted);
		hide(r, &s->not_reached);
		drop_small_warnings(r, s);
		for (j = 0; j < s->nblanks; j++)
			hide(r, &s->blanks[j].count);
		if (n == 0)
			continue;
		if ((g = calloc(n, sizeof(*g))) == NULL)
			return ss_error_nomem();
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].population;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].always;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].core;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].targeted;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].not_reached;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].drawn;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			if (s->strata[j].population.hidden) {
				s->strata[j].drawn.denom_hidden = true;
				s->strata[j].drawn.pct_hidden = true;
			}
		free(g);
		g = NULL;
	}
	for (i = 0; i < r->nprogress; i++) {
		struct ss_report_progress *p = &r->progress[i];

		hide(r, &p->assigned);
		hide(r, &p->reviewed);
		hide(r, &p->waived);
		hide(r, &p->missing);
	}
	for (i = 0; i < r->nfindings && !err; i++) {
		struct ss_report_findings *f = &r->findings[i];

		hide(r, &f->verdicts);
		for (q = 0; q < f->nquestions && !err; q++) {
			err = hide_table(r, &f->questions[q].answers);
			for (b = 0; b < 3 && !err; b++)
				err = hide_table(r, &f->questions[q].by[b]);
		}
	}
	for (i = 0; i < r->agreement.npairs && !err; i++) {
		struct ss_report_pair *p = &r->agreement.pairs[i];

		hide(r, &p->records);
		hide(r, &p->agreeing);
		hide(r, &p->ties);
		if ((g = calloc(nv * nv + 1, sizeof(*g))) == NULL)
			return ss_error_nomem();
		for (j = 0; j < nv * nv; j++)
			g[j] = &p->cell_figs[j];
		hide_figs_column(g, nv * nv, r);
		free(g);
		g = NULL;
		p->kappa_hidden = p->records.hidden || p->agreeing.hidden;
	}
	if (err)
		return err;
	hide(r, &r->corrections.corrections);
	hide(r, &r->corrections.records);
	hide(r, &r->corrections.positive_recorded);
	hide(r, &r->corrections.positive_corrected);
	hide(r, &r->corrections.linked_recorded);
	hide(r, &r->corrections.linked_corrected);
	if ((err = hide_table(r, &r->corrections.outcome)) ||
	    (err = hide_table(r, &r->corrections.linked)))
		return err;
	return 0;
}
