/*
 * report_public.c - disclosure control for a public report (DESIGN.md section
 * 9): the report's tables (report_grid.c) become one linear system handed to
 * disclose.c, which hides the protected counts from 1 to t - 1 and then
 * further counts until no hidden one can be narrowed below t; what it hides
 * is marked on the figures every renderer shows, and whatever is computed
 * from a hidden count (a share, kappa, an estimate) is withheld with it. Runs
 * once, in ss_report_finish, before census rates are computed from what
 * shows.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclose.h"
#include "error.h"
#include "report.h"
#include "report_int.h"

/* ---- public suppression ---- */

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

/* ---- the disclosure problem: every table's figures and identities ---- */

static int var_of(struct ss_disclose *d, struct ss_report_gcell *c, unsigned flags)
{
	return ss_disclose_var(d, c->value, flags, &c->var);
}

static int equation(struct ss_disclose *d, size_t *vars, double *coef, size_t n)
{
	return ss_disclose_equation(d, vars, coef, n, 0);
}

/* A table's figures, and its rows, columns and grand total as equations. */
static int grid_problem(struct ss_disclose *d, struct ss_report_grid *g, size_t *vars, double *coef)
{
	unsigned p = g->exempt ? 0 : SS_DV_PROTECTED;
	size_t i, j, n;
	int err = 0;

	for (i = 0; i < g->nrows * g->ncols && !err; i++)
		/* a zero no figure shows (an absent pair in a from-to table)
		 * is known to be zero: never hidden */
		err = var_of(d, &g->cells[i],
		             g->cells[i].value || g->cells[i].fig[0] != NULL ? p : 0);
	for (i = 0; i < g->nrows && !err; i++)
		err = var_of(d, &g->row_totals[i],
		             p | SS_DV_TOTAL | (g->known_rows ? SS_DV_KNOWN : 0));
	for (j = 0; j < g->ncols && !err; j++) /* one column: its total is the grand total */
		err = var_of(d, &g->col_totals[j],
		             p | SS_DV_TOTAL | (g->ncols == 1 && g->known_total ? SS_DV_KNOWN : 0));
	if (err ||
	    (err = var_of(d, &g->total, p | SS_DV_TOTAL | (g->known_total ? SS_DV_KNOWN : 0))))
		return err;
	for (i = 0; i < g->nrows && !err; i++) {
		for (n = 0, j = 0; j < g->ncols; j++, n++) {
			vars[n] = g->cells[i * g->ncols + j].var;
			coef[n] = 1;
		}
		vars[n] = g->row_totals[i].var;
		coef[n++] = -1;
		err = equation(d, vars, coef, n);
	}
	for (j = 0; j < g->ncols && !err; j++) {
		for (n = 0, i = 0; i < g->nrows; i++, n++) {
			vars[n] = g->cells[i * g->ncols + j].var;
			coef[n] = 1;
		}
		vars[n] = g->col_totals[j].var;
		coef[n++] = -1;
		err = equation(d, vars, coef, n);
	}
	if (err)
		return err;
	for (n = 0, i = 0; i < g->nrows; i++, n++) {
		vars[n] = g->row_totals[i].var;
		coef[n] = 1;
	}
	vars[n] = g->total.var;
	coef[n++] = -1;
	return equation(d, vars, coef, n);
}

static struct ss_report_gcell *term_cell(struct ss_report *r, const struct ss_report_term *t)
{
	struct ss_report_grid *g = &r->grids[t->grid];

	if (t->row >= 0 && t->col >= 0)
		return &g->cells[(size_t)t->row * g->ncols + (size_t)t->col];
	if (t->row >= 0)
		return &g->row_totals[t->row];
	if (t->col >= 0)
		return &g->col_totals[t->col];
	return &g->total;
}

static int build(struct ss_report *r, struct ss_disclose *d)
{
	size_t i, j, k, most = 2;
	size_t *vars = NULL;
	double *coef = NULL;
	int err = 0;

	for (i = 0; i < r->ngrids; i++) {
		struct ss_report_grid *g = &r->grids[i];

		if (g->nrows + 2 > most)
			most = g->nrows + 2;
		if (g->ncols + 2 > most)
			most = g->ncols + 2;
	}
	for (i = 0; i < r->nrelations; i++)
		if (r->relations[i].nterms > most)
			most = r->relations[i].nterms;
	vars = malloc(most * sizeof(*vars));
	coef = malloc(most * sizeof(*coef));
	if (vars == NULL || coef == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < r->ngrids && !err; i++)
		err = grid_problem(d, &r->grids[i], vars, coef);
	/* tables of one universe share their grand total */
	for (i = 0; i < r->ngrids && !err; i++)
		for (j = i + 1; j < r->ngrids && !err; j++) {
			if (strcmp(r->grids[i].universe, r->grids[j].universe) != 0)
				continue;
			vars[0] = r->grids[i].total.var;
			vars[1] = r->grids[j].total.var;
			coef[0] = 1;
			coef[1] = -1;
			err = equation(d, vars, coef, 2);
			break;
		}
	for (i = 0; i < r->nrelations && !err; i++) {
		const struct ss_report_relation *l = &r->relations[i];

		for (k = 0; k < l->nterms; k++) {
			vars[k] = term_cell(r, &l->terms[k])->var;
			coef[k] = l->terms[k].coef;
		}
		err = ss_disclose_equation(d, vars, coef, l->nterms, l->constant);
	}
out:
	free(vars);
	free(coef);
	return err;
}

/* ---- what is hidden, on the figures the renderers show ---- */

static void mark(struct ss_report_gcell *c, bool hidden, bool denom_hidden)
{
	size_t k;

	c->hidden = hidden;
	for (k = 0; k < 2; k++) {
		struct ss_report_fig *f = c->fig[k];

		if (f == NULL)
			continue;
		f->hidden = hidden;
		f->denom_hidden = f->denom > 0 && denom_hidden;
		f->pct_hidden = hidden || f->denom_hidden;
	}
}

static void read_back(struct ss_report *r, const struct ss_disclose *d)
{
	size_t i, j, k;

	for (k = 0; k < r->ngrids; k++) {
		struct ss_report_grid *g = &r->grids[k];

		for (i = 0; i < g->nrows; i++)
			mark(&g->row_totals[i], ss_disclose_hidden(d, g->row_totals[i].var), false);
		for (j = 0; j < g->ncols; j++)
			mark(&g->col_totals[j], ss_disclose_hidden(d, g->col_totals[j].var), false);
		mark(&g->total, ss_disclose_hidden(d, g->total.var), false);
		for (i = 0; i < g->nrows; i++)
			for (j = 0; j < g->ncols; j++) {
				struct ss_report_gcell *c = &g->cells[i * g->ncols + j];
				bool dh = c->denom == 1   ? g->row_totals[i].hidden
				          : c->denom == 2 ? g->col_totals[j].hidden
				          : c->denom == 3 ? g->total.hidden
				                          : false;

				mark(c, ss_disclose_hidden(d, c->var), dh);
			}
	}
}

/* The grid of an id, NULL when absent. */
static const struct ss_report_grid *grid_named(const struct ss_report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->ngrids; i++)
		if (strcmp(r->grids[i].id, id) == 0)
			return &r->grids[i];
	return NULL;
}

static bool grid_any_hidden(const struct ss_report_grid *g)
{
	size_t i;

	for (i = 0; g != NULL && i < g->nrows * g->ncols; i++)
		if (g->cells[i].hidden)
			return true;
	return g != NULL && g->total.hidden;
}

static void hide_denom(struct ss_report_fig *f, bool hidden)
{
	if (!hidden || f->denom == 0)
		return;
	f->denom_hidden = true;
	f->pct_hidden = true;
}

/* A field as corrected (rows yes, no, not recorded; total the searches,
 * public): its denominator is the total less the blanks, the third row. */
static void corrected_field(struct ss_report *r, const char *id, struct ss_report_fig *f)
{
	const struct ss_report_grid *g = grid_named(r, id);

	if (g == NULL || g->nrows < 3 || g->ncols != 1)
		return;
	hide_denom(f, g->cells[2].hidden);
	f->unrecorded_hidden = g->cells[2].hidden;
}

/*
 * Figures computed from counts: agreement (the share agreeing is the
 * diagonal; kappa the whole table) and the estimates (withheld where the
 * role's answers to the question show a hidden count; they rest on counts
 * no table shows, so also where those are small).
 */
static void computed(struct ss_report *r)
{
	char id[256];
	size_t i, j, nv = r->agreement.nvalues;

	for (i = 0; i < r->agreement.npairs; i++) {
		struct ss_report_pair *p = &r->agreement.pairs[i];
		bool diag = p->records.hidden;

		for (j = 0; j < nv; j++)
			diag = diag || p->cell_figs[j * nv + j].hidden;
		for (j = 0; j < nv * nv; j++)
			p->kappa_hidden = p->kappa_hidden || p->cell_figs[j].hidden;
		p->kappa_hidden = p->kappa_hidden || diag;
		p->agreeing.hidden = diag;
		p->agreeing.pct_hidden = diag;
	}
	for (i = 0; i < r->nestimates; i++) {
		struct ss_report_estimate *e = &r->estimates[i];

		snprintf(id, sizeof(id), "findings-%s-%s", e->role, e->question);
		e->hidden = e->hidden || grid_any_hidden(grid_named(r, id));
	}
	/* a month's positives as corrected: its blanks as corrected are in no
	 * table, so neither its share nor its blanks show */
	for (i = 0; i < r->ntrend; i++) {
		struct ss_report_fig *t = &r->trend[i].positive_corrected;

		t->denom_hidden = t->pct_hidden = t->denom > 0;
		t->unrecorded_hidden = t->field;
	}
	corrected_field(r, "positive-corrected", &r->corrections.positive_corrected);
	corrected_field(r, "linked-corrected", &r->corrections.linked_corrected);
	/* the from-to tables' shares are of the records corrected */
	for (i = 0; i < r->corrections.outcome.nrows; i++)
		hide_denom(&r->corrections.outcome.rows[i].fig, r->corrections.records.hidden);
	for (i = 0; i < r->corrections.linked.nrows; i++)
		hide_denom(&r->corrections.linked.rows[i].fig, r->corrections.records.hidden);
}

int ss_report_suppress(struct ss_report *r)
{
	struct ss_disclose *d = NULL;
	size_t i, unresolved = 0;
	int err;

	for (i = 0; i < r->nsamples; i++)
		drop_small_warnings(r, &r->samples[i]);
	if ((err = ss_disclose_new(&d)) || (err = build(r, d)) ||
	    (err = ss_disclose_run(d, r->public_min < 2 ? 2 : r->public_min, &unresolved)))
		goto out;
	read_back(r, d);
	computed(r);
	if (unresolved &&
	    (err = ss_report_add_caveat(
	         r,
	         unresolved == 1
	             ? N_("%zu hidden figure could not be protected further: public figures pin it")
	             : N_("%zu hidden figures could not be protected further: public figures pin "
	                  "them"),
	         unresolved)))
		goto out;
out:
	ss_disclose_free(d);
	return err;
}
