/*
 * report_grid.c - the report's counts as the tables of DESIGN.md section 9
 * (id, universe, rows, cols, cells, totals) and the identities between them
 * (relations), for the JSON's `tables` and for public disclosure control.
 * Built once the figures are final, in every report; nothing is hidden here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "report_int.h"

/* ---- building a table ---- */

static int label_push(char ***v, size_t *n, const char *s)
{
	char **q = realloc(*v, (*n + 1) * sizeof(**v));

	if (q == NULL)
		return ss_error_nomem();
	*v = q;
	q[*n] = NULL;
	if (s != NULL && (q[*n] = strdup(s)) == NULL)
		return ss_error_nomem();
	(*n)++;
	return 0;
}

/* Index of label s in v (NULL: not recorded); n when absent. */
static size_t label_at(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n && !ss_report_str_eq(v[i], s); i++)
		;
	return i;
}

/* A label once: its index, added when absent. */
static int label_once(char ***v, size_t *n, const char *s, size_t *at)
{
	int err;

	if ((*at = label_at(*v, *n, s)) < *n)
		return 0;
	if ((err = label_push(v, n, s)))
		return err;
	*at = *n - 1;
	return 0;
}

/* A new empty table; *at its index in r->grids. */
static int grid_new(struct ss_report *r, const char *id, const char *universe, bool exempt,
                    size_t *at)
{
	struct ss_report_grid *g = realloc(r->grids, (r->ngrids + 1) * sizeof(*g));

	if (g == NULL)
		return ss_error_nomem();
	r->grids = g;
	g = &r->grids[r->ngrids];
	memset(g, 0, sizeof(*g));
	*at = r->ngrids++;
	if ((g->id = strdup(id)) == NULL || (g->universe = strdup(universe)) == NULL)
		return ss_error_nomem();
	g->exempt = exempt;
	return 0;
}

/* Room for the cells, once rows and columns are labelled. */
static int grid_cells(struct ss_report_grid *g)
{
	g->cells = calloc(g->nrows * g->ncols + 1, sizeof(*g->cells));
	g->row_totals = calloc(g->nrows + 1, sizeof(*g->row_totals));
	g->col_totals = calloc(g->ncols + 1, sizeof(*g->col_totals));
	if (g->cells == NULL || g->row_totals == NULL || g->col_totals == NULL)
		return ss_error_nomem();
	return 0;
}

static struct ss_report_gcell *cell(struct ss_report_grid *g, size_t i, size_t j)
{
	return &g->cells[i * g->ncols + j];
}

/* Totals as the sums of the cells. */
static void grid_sum(struct ss_report_grid *g)
{
	size_t i, j;

	g->total.value = 0;
	for (i = 0; i < g->nrows; i++)
		g->row_totals[i].value = 0;
	for (j = 0; j < g->ncols; j++)
		g->col_totals[j].value = 0;
	for (i = 0; i < g->nrows; i++)
		for (j = 0; j < g->ncols; j++) {
			size_t v = cell(g, i, j)->value;

			g->row_totals[i].value += v;
			g->col_totals[j].value += v;
			g->total.value += v;
		}
}

/* A table of one column from a table of the report (key per row). */
static int grid_of_table(struct ss_report *r, const char *id, const char *universe, bool exempt,
                         const char *col, struct ss_report_table *t, size_t *at)
{
	struct ss_report_grid *g;
	size_t i, k;
	int err;

	if ((err = grid_new(r, id, universe, exempt, at)))
		return err;
	g = &r->grids[*at];
	if ((err = label_push(&g->cols, &g->ncols, col)))
		return err;
	for (i = 0; i < t->nrows; i++)
		if ((err = label_once(&g->rows, &g->nrows, t->rows[i].key, &k)))
			return err;
	if ((err = grid_cells(g)))
		return err;
	for (i = 0; i < t->nrows; i++) {
		struct ss_report_gcell *c = cell(g, label_at(g->rows, g->nrows, t->rows[i].key), 0);

		c->value += t->rows[i].fig.count;
		c->fig[0] = &t->rows[i].fig;
		c->denom = 3;
	}
	grid_sum(g);
	return 0;
}

/* A cross table (key by subkey) of the report; col_labels fixes the columns'
 * order (NULL: as they come). */
static int grid_of_cross(struct ss_report *r, const char *id, const char *universe,
                         struct ss_report_table *t, unsigned char denom, size_t *at)
{
	struct ss_report_grid *g;
	size_t i, k;
	int err;

	if ((err = grid_new(r, id, universe, false, at)))
		return err;
	g = &r->grids[*at];
	for (i = 0; i < t->nrows; i++)
		if ((err = label_once(&g->rows, &g->nrows, t->rows[i].key, &k)) ||
		    (err = label_once(&g->cols, &g->ncols, t->rows[i].subkey, &k)))
			return err;
	if ((err = grid_cells(g)))
		return err;
	for (i = 0; i < t->nrows; i++) {
		struct ss_report_gcell *c = cell(g, label_at(g->rows, g->nrows, t->rows[i].key),
		                                 label_at(g->cols, g->ncols, t->rows[i].subkey));

		c->value += t->rows[i].fig.count;
		c->fig[0] = &t->rows[i].fig;
		c->denom = denom;
	}
	grid_sum(g);
	return 0;
}

/* A field's share as a table: rows yes-label, no-label, not recorded. */
static int grid_of_field(struct ss_report *r, const char *id, const char *universe, bool exempt,
                         const char *yes, const char *no, struct ss_report_fig *f, size_t *at)
{
	struct ss_report_grid *g;
	int err;

	if ((err = grid_new(r, id, universe, exempt, at)))
		return err;
	g = &r->grids[*at];
	if ((err = label_push(&g->rows, &g->nrows, yes)) ||
	    (err = label_push(&g->rows, &g->nrows, no)) ||
	    (err = label_push(&g->rows, &g->nrows, NULL)) ||
	    (err = label_push(&g->cols, &g->ncols, "searches")) || (err = grid_cells(g)))
		return err;
	cell(g, 0, 0)->value = f->count;
	cell(g, 0, 0)->fig[0] = f;
	cell(g, 1, 0)->value = f->denom >= f->count ? f->denom - f->count : 0;
	cell(g, 2, 0)->value = f->unrecorded;
	grid_sum(g);
	return 0;
}

/* A count on its own, as a table of one cell. */
static int grid_single(struct ss_report *r, const char *id, const char *universe, bool exempt,
                       const char *row, struct ss_report_fig *f, size_t *at)
{
	struct ss_report_grid *g;
	int err;

	if ((err = grid_new(r, id, universe, exempt, at)))
		return err;
	g = &r->grids[*at];
	if ((err = label_push(&g->rows, &g->nrows, row)) ||
	    (err = label_push(&g->cols, &g->ncols, "count")) || (err = grid_cells(g)))
		return err;
	cell(g, 0, 0)->value = f->count;
	cell(g, 0, 0)->fig[0] = f;
	grid_sum(g);
	return 0;
}

/* ---- relations ---- */

static int rel_new(struct ss_report *r, double constant)
{
	struct ss_report_relation *v =
	    realloc(r->relations, (r->nrelations + 1) * sizeof(*r->relations));

	if (v == NULL)
		return ss_error_nomem();
	r->relations = v;
	memset(&v[r->nrelations], 0, sizeof(*v));
	v[r->nrelations++].constant = constant;
	return 0;
}

/* A term of the last relation; the same figure twice adds its coefficients. */
static int rel_term(struct ss_report *r, size_t grid, long row, long col, double coef)
{
	struct ss_report_relation *l = &r->relations[r->nrelations - 1];
	struct ss_report_term *t;
	size_t k;

	for (k = 0; k < l->nterms; k++)
		if (l->terms[k].grid == grid && l->terms[k].row == row && l->terms[k].col == col) {
			l->terms[k].coef += coef;
			return 0;
		}
	if ((t = realloc(l->terms, (l->nterms + 1) * sizeof(*t))) == NULL)
		return ss_error_nomem();
	l->terms = t;
	t[l->nterms++] = (struct ss_report_term){grid, row, col, coef};
	return 0;
}

/*
 * A field's value as corrected: for each of its rows (positive, not
 * positive, not recorded), the count as corrected equals the count as
 * recorded plus the corrections into that row minus those out of it. The
 * rows are told apart by `which` (0, 1, 2) of each from/to label.
 */
static int rel_corrected(struct ss_report *r, size_t rec, size_t cor, size_t fix,
                         int (*which)(const struct ss_report *, const char *))
{
	const struct ss_report_grid *g = &r->grids[fix];
	size_t i, j;
	long row;
	int err;

	for (row = 0; row < 2; row++) {
		if ((err = rel_new(r, 0)) || (err = rel_term(r, cor, row, 0, 1)) ||
		    (err = rel_term(r, rec, row, 0, -1)))
			return err;
		for (i = 0; i < g->nrows; i++)
			for (j = 0; j < g->ncols; j++) {
				int a = which(r, g->rows[i]), b = which(r, g->cols[j]);

				if (a == b || (a != row && b != row) ||
				    g->cells[i * g->ncols + j].value == 0)
					continue;
				if ((err = rel_term(r, fix, (long)i, (long)j, b == row ? -1 : 1)))
					return err;
			}
		/* a relation with only the two counts and no correction between them */
	}
	return 0;
}

static int outcome_which(const struct ss_report *r, const char *v)
{
	return v == NULL ? 2 : ss_policy_outcome_positive(r->policy, v) ? 0 : 1;
}

static int linked_which(const struct ss_report *r, const char *v)
{
	(void)r;
	return v == NULL ? 2 : strcmp(v, "true") == 0 ? 0 : 1;
}

/* ---- the report's tables ---- */

static int population(struct ss_report *r)
{
	char id[96];
	size_t k, at, rec, cor, fix;
	int err;

	for (k = 0; k < SS_REPORT_NBY; k++) {
		snprintf(id, sizeof(id), "population-%s", r->by[k].name);
		if ((err = grid_of_table(r, id, "searches", true, "searches", &r->by[k], &at)))
			return err;
	}
	if ((err = grid_of_field(r, "population-strip_search", "searches", true, "strip search",
	                         "no strip search", &r->strip, &at)) ||
	    (err = grid_of_field(r, "population-children", "searches", true, "under 18",
	                         "18 or over", &r->children, &at)))
		return err;
	/* positives and links as recorded (public) and as corrected (protected) */
	if ((err = grid_of_field(r, "positive-recorded", "searches", true, "positive",
	                         "not positive", &r->corrections.positive_recorded, &rec)) ||
	    (err = grid_of_field(r, "positive-corrected", "searches:corrected", false, "positive",
	                         "not positive", &r->corrections.positive_corrected, &cor)))
		return err;
	r->grids[rec].cells[0].fig[1] = &r->positive;
	r->grids[cor].known_total = true;
	if ((err = grid_of_cross(r, "corrections-outcome", "corrections:outcome",
	                         &r->corrections.outcome, 0, &fix)) ||
	    (err = rel_corrected(r, rec, cor, fix, outcome_which)))
		return err;
	if ((err = grid_of_field(r, "linked-recorded", "searches", true, "true", "false",
	                         &r->corrections.linked_recorded, &rec)) ||
	    (err = grid_of_field(r, "linked-corrected", "searches:corrected", false, "true",
	                         "false", &r->corrections.linked_corrected, &cor)))
		return err;
	r->grids[rec].cells[0].fig[1] = &r->linked;
	r->grids[cor].known_total = true;
	if ((err = grid_of_cross(r, "corrections-linked", "corrections:linked",
	                         &r->corrections.linked, 0, &fix)) ||
	    (err = rel_corrected(r, rec, cor, fix, linked_which)))
		return err;
	if ((err = grid_single(r, "follow-up", "follow-up", false, "searches on the follow-up list",
	                       &r->followup_items, &at)) ||
	    (err = grid_single(r, "follow-up-answered", "follow-up-answered", false,
	                       "follow-up items with a response", &r->followup_answered, &at)) ||
	    (err = grid_single(r, "follow-up-responses", "follow-up-responses", false,
	                       "responses to follow-up items", &r->followup_given, &at)))
		return err;
	if ((err = grid_single(r, "correction-files", "correction-files", false, "correction files",
	                       &r->corrections.corrections, &at)) ||
	    (err = grid_single(r, "records-corrected", "records-corrected", false,
	                       "records corrected", &r->corrections.records, &at)))
		return err;
	return 0;
}

static int findings(struct ss_report *r)
{
	char id[256], uni[256];
	size_t i, q, b, j, at, by;
	int err;

	for (i = 0; i < r->nfindings; i++) {
		struct ss_report_findings *f = &r->findings[i];

		for (q = 0; q < f->nquestions; q++) {
			struct ss_report_qfind *qf = &f->questions[q];

			snprintf(id, sizeof(id), "findings-%s-%s", f->role, qf->id);
			snprintf(uni, sizeof(uni), "answers:%s:%s", f->role, qf->id);
			if ((err = grid_of_table(r, id, uni, false, "answers", &qf->answers, &at)))
				return err;
			/* the role's answers are its reviews: known from the sample
			 * and its progress */
			r->grids[at].known_total = true;
			for (b = 0; b < 3; b++) {
				struct ss_report_grid *g, *a;

				snprintf(id, sizeof(id), "findings-%s-%s-%s", f->role, qf->id,
				         qf->by[b].name);
				if ((err = grid_of_cross(r, id, uni, &qf->by[b], 1, &by)))
					return err;
				g = &r->grids[by];
				a = &r->grids[at];
				g->known_rows = g->known_total = true;
				/* each answer's column adds up to its count */
				for (j = 0; j < g->ncols; j++) {
					size_t row = label_at(a->rows, a->nrows, g->cols[j]);

					if (row == a->nrows)
						continue;
					if ((err = rel_new(r, 0)) ||
					    (err = rel_term(r, by, -1, (long)j, 1)) ||
					    (err = rel_term(r, at, (long)row, 0, -1)))
						return err;
				}
			}
		}
	}
	return 0;
}

static int agreement(struct ss_report *r)
{
	const struct ss_report_agreement *ag = &r->agreement;
	char id[256];
	size_t i, a, b, at, nv = ag->nvalues;
	int err;

	for (i = 0; i < ag->npairs; i++) {
		struct ss_report_pair *p = &ag->pairs[i];
		struct ss_report_grid *g;

		snprintf(id, sizeof(id), "agreement-%s-%s", p->role_a, p->role_b);
		if ((err = grid_new(r, id, id, false, &at)))
			return err;
		g = &r->grids[at];
		for (a = 0; a < nv; a++)
			if ((err = label_push(&g->rows, &g->nrows, ag->values[a])) ||
			    (err = label_push(&g->cols, &g->ncols, ag->values[a])))
				return err;
		if ((err = grid_cells(g)))
			return err;
		for (a = 0; a < nv; a++)
			for (b = 0; b < nv; b++) {
				cell(g, a, b)->value = p->cell_figs[a * nv + b].count;
				cell(g, a, b)->fig[0] = &p->cell_figs[a * nv + b];
			}
		grid_sum(g);
		g->total.fig[0] = &p->records;
		snprintf(id, sizeof(id), "agreement-ties-%s-%s", p->role_a, p->role_b);
		if ((err = grid_single(r, id, id, false, "ties dropped", &p->ties, &at)))
			return err;
	}
	return 0;
}

/* Public already: the sample's composition and review progress. */
static int sample_progress(struct ss_report *r)
{
	char id[64], label[256];
	size_t i, j, at;
	int err;

	for (i = 0; i < r->nsamples; i++) {
		struct ss_report_sample *s = &r->samples[i];
		struct ss_report_grid *g;

		snprintf(id, sizeof(id), "sample-%s", s->month);
		if ((err = grid_new(r, id, id, true, &at)))
			return err;
		g = &r->grids[at];
		if ((err = label_push(&g->cols, &g->ncols, "core")) ||
		    (err = label_push(&g->cols, &g->ncols, "targeted")) ||
		    (err = label_push(&g->cols, &g->ncols, "not reached")))
			return err;
		for (j = 0; j < s->nstrata; j++)
			if ((err = label_push(&g->rows, &g->nrows, s->strata[j].label)))
				return err;
		if ((err = grid_cells(g)))
			return err;
		for (j = 0; j < s->nstrata; j++) {
			cell(g, j, 0)->value = s->strata[j].core.count;
			cell(g, j, 1)->value = s->strata[j].targeted.count;
			cell(g, j, 2)->value = s->strata[j].not_reached.count;
		}
		grid_sum(g);
	}
	if (r->nfindings) { /* verdicts per role: review progress, public */
		struct ss_report_grid *g;

		if ((err = grid_new(r, "verdicts", "verdicts", true, &at)))
			return err;
		g = &r->grids[at];
		if ((err = label_push(&g->cols, &g->ncols, "verdicts")))
			return err;
		for (i = 0; i < r->nfindings; i++)
			if ((err = label_push(&g->rows, &g->nrows, r->findings[i].role)))
				return err;
		if ((err = grid_cells(g)))
			return err;
		for (i = 0; i < r->nfindings; i++) {
			cell(g, i, 0)->value = r->findings[i].verdicts.count;
			cell(g, i, 0)->fig[0] = &r->findings[i].verdicts;
		}
		grid_sum(g);
	}
	if (r->nprogress == 0)
		return 0;
	if ((err = grid_new(r, "progress", "progress", true, &at)))
		return err;
	{
		struct ss_report_grid *g = &r->grids[at];

		if ((err = label_push(&g->cols, &g->ncols, "reviewed")) ||
		    (err = label_push(&g->cols, &g->ncols, "waived")) ||
		    (err = label_push(&g->cols, &g->ncols, "missing")))
			return err;
		for (i = 0; i < r->nprogress; i++) {
			snprintf(label, sizeof(label), "%s %s", r->progress[i].role,
			         r->progress[i].month ? r->progress[i].month : r->range);
			if ((err = label_push(&g->rows, &g->nrows, label)))
				return err;
		}
		if ((err = grid_cells(g)))
			return err;
		for (i = 0; i < r->nprogress; i++) {
			cell(g, i, 0)->value = r->progress[i].reviewed.count;
			cell(g, i, 1)->value = r->progress[i].waived.count;
			cell(g, i, 2)->value = r->progress[i].missing.count;
		}
		grid_sum(g);
	}
	return 0;
}

/* A range's trend: one row per month. Searches and positives as recorded
 * are public; positives as corrected add up to the range's. */
static int trend(struct ss_report *r)
{
	static const char *const cols[] = {"searches", "positive as recorded",
	                                   "positive as corrected", "sampled", "reviewed"};
	size_t c, i, at[5];
	int err;

	if (r->ntrend == 0)
		return 0;
	for (c = 0; c < 5; c++) {
		struct ss_report_grid *g;
		char id[64];

		snprintf(id, sizeof(id), "trend-%s", cols[c]);
		for (i = 0; id[i]; i++)
			if (id[i] == ' ')
				id[i] = '-';
		if ((err = grid_new(r, id, id, c != 2, &at[c])))
			return err;
		g = &r->grids[at[c]];
		if ((err = label_push(&g->cols, &g->ncols, cols[c])))
			return err;
		for (i = 0; i < r->ntrend; i++)
			if ((err = label_push(&g->rows, &g->nrows, r->trend[i].month)))
				return err;
		if ((err = grid_cells(g)))
			return err;
		for (i = 0; i < r->ntrend; i++) {
			struct ss_report_trend *t = &r->trend[i];
			struct ss_report_fig *f = c == 0   ? &t->searches
			                          : c == 1 ? &t->positive_recorded
			                          : c == 2 ? &t->positive_corrected
			                          : c == 3 ? &t->sampled
			                                   : &t->reviewed;

			cell(g, i, 0)->value = f->count;
			cell(g, i, 0)->fig[0] = f;
		}
		grid_sum(g);
	}
	/* the months' positives as corrected add up to the range's */
	for (i = 0; i < r->ngrids && strcmp(r->grids[i].id, "positive-corrected") != 0; i++)
		;
	if (i < r->ngrids && ((err = rel_new(r, 0)) || (err = rel_term(r, at[2], -1, -1, 1)) ||
	                      (err = rel_term(r, i, 0, 0, -1))))
		return err;
	return 0;
}

int ss_report_grids(struct ss_report *r)
{
	int err;

	if ((err = population(r)) || (err = findings(r)) || (err = agreement(r)) ||
	    (err = sample_progress(r)) || (err = trend(r)))
		return err;
	return 0;
}

void ss_report_grids_free(struct ss_report *r)
{
	size_t i, k;

	for (i = 0; i < r->ngrids; i++) {
		struct ss_report_grid *g = &r->grids[i];

		free(g->id);
		free(g->universe);
		for (k = 0; k < g->nrows; k++)
			free(g->rows[k]);
		for (k = 0; k < g->ncols; k++)
			free(g->cols[k]);
		free(g->rows);
		free(g->cols);
		free(g->cells);
		free(g->row_totals);
		free(g->col_totals);
	}
	free(r->grids);
	for (i = 0; i < r->nrelations; i++)
		free(r->relations[i].terms);
	free(r->relations);
	r->grids = NULL;
	r->relations = NULL;
	r->ngrids = r->nrelations = 0;
}
