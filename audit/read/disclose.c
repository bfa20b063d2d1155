/*
 * disclose.c - primary and secondary suppression, proved by linear
 * programming (see disclose.h).
 *
 * Hiding more figures only ever widens the ranges of the hidden ones (it
 * turns fixed values into free non-negative ones), so a work list suffices:
 * each hidden figure is checked, and while its range is too narrow one more
 * figure near it is hidden, which is then checked in turn. The choice of
 * what to hide is a heuristic (cells before totals; the smallest count that
 * could give the width needed, else the largest there is); the check of
 * every range is exact, by GLPK's simplex method.
 */
#include "disclose.h"

#include <glpk.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct dvar {
	unsigned long value;
	unsigned flags;
	bool hidden;
	bool unresolved; /* pinned by public figures: no hiding helps */
	double need;     /* the width its range must have when hidden */
};

struct deq {
	size_t *vars;
	double *coef;
	size_t n;
	double constant;
};

struct ss_disclose {
	struct dvar *v;
	size_t nv, capv;
	struct deq *e;
	size_t ne, cape;
	glp_prob *lp; /* built by the first range asked for; bounds kept up to date */
	size_t lp_cols;
};

/* GLPK prints nothing and never aborts the program on what we give it. */
static void quiet(glp_smcp *parm)
{
	glp_init_smcp(parm);
	parm->msg_lev = GLP_MSG_OFF;
	parm->presolve = GLP_OFF;
}

int ss_disclose_new(struct ss_disclose **out)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return ss_error_nomem();
	return 0;
}

void ss_disclose_free(struct ss_disclose *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->ne; i++) {
		free(d->e[i].vars);
		free(d->e[i].coef);
	}
	free(d->e);
	free(d->v);
	if (d->lp != NULL)
		glp_delete_prob(d->lp);
	free(d);
}

static void drop_lp(struct ss_disclose *d)
{
	if (d->lp != NULL)
		glp_delete_prob(d->lp);
	d->lp = NULL;
}

int ss_disclose_var(struct ss_disclose *d, unsigned long value, unsigned flags, size_t *index)
{
	if (d->nv == d->capv) {
		size_t cap = d->capv ? d->capv * 2 : 64;
		struct dvar *g = realloc(d->v, cap * sizeof(*g));

		if (g == NULL)
			return ss_error_nomem();
		d->v = g;
		d->capv = cap;
	}
	memset(&d->v[d->nv], 0, sizeof(d->v[d->nv]));
	d->v[d->nv].value = value;
	d->v[d->nv].flags = flags;
	*index = d->nv++;
	drop_lp(d);
	return 0;
}

int ss_disclose_equation(struct ss_disclose *d, const size_t *vars, const double *coef, size_t n,
                         double constant)
{
	struct deq *q;
	double sum = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		if (vars[k] >= d->nv)
			return ss_error_set(SS_EUSAGE, _("an equation names figure %zu of %zu"),
			                    vars[k], d->nv);
		sum += coef[k] * (double)d->v[vars[k]].value;
	}
	if (fabs(sum - constant) > 1e-6)
		return ss_error_set(
		    SS_EUSAGE, _("the report's figures do not add up (%.0f where %.0f was due)"),
		    sum, constant);
	if (d->ne == d->cape) {
		size_t cap = d->cape ? d->cape * 2 : 64;
		struct deq *g = realloc(d->e, cap * sizeof(*g));

		if (g == NULL)
			return ss_error_nomem();
		d->e = g;
		d->cape = cap;
	}
	q = &d->e[d->ne];
	q->vars = malloc((n ? n : 1) * sizeof(*q->vars));
	q->coef = malloc((n ? n : 1) * sizeof(*q->coef));
	if (q->vars == NULL || q->coef == NULL) {
		free(q->vars);
		free(q->coef);
		return ss_error_nomem();
	}
	memcpy(q->vars, vars, n * sizeof(*vars));
	memcpy(q->coef, coef, n * sizeof(*coef));
	q->n = n;
	q->constant = constant;
	d->ne++;
	drop_lp(d);
	return 0;
}

bool ss_disclose_hidden(const struct ss_disclose *d, size_t index)
{
	return index < d->nv && d->v[index].hidden;
}

/* Is the figure free in the attacker's eyes (hidden and not known)? */
static bool is_free(const struct dvar *v)
{
	return v->hidden && !(v->flags & SS_DV_KNOWN);
}

static void set_bounds(struct ss_disclose *d, size_t i)
{
	const struct dvar *v = &d->v[i];
	int col = (int)i + 1;

	if (is_free(v))
		glp_set_col_bnds(d->lp, col, GLP_LO, 0.0, 0.0);
	else
		glp_set_col_bnds(d->lp, col, GLP_FX, (double)v->value, (double)v->value);
}

static int build_lp(struct ss_disclose *d)
{
	size_t i, k, nz = 0;
	int *ia = NULL, *ja = NULL;
	double *ar = NULL;
	int err = 0;

	glp_term_out(GLP_OFF); /* GLPK would print to stdout: the core never prints */
	d->lp = glp_create_prob();
	glp_set_obj_dir(d->lp, GLP_MIN);
	if (d->nv > 0)
		glp_add_cols(d->lp, (int)d->nv);
	if (d->ne > 0)
		glp_add_rows(d->lp, (int)d->ne);
	for (i = 0; i < d->nv; i++)
		set_bounds(d, i);
	for (i = 0; i < d->ne; i++) {
		glp_set_row_bnds(d->lp, (int)i + 1, GLP_FX, d->e[i].constant, d->e[i].constant);
		nz += d->e[i].n;
	}
	/* GLPK's arrays count from 1. */
	ia = malloc((nz + 1) * sizeof(*ia));
	ja = malloc((nz + 1) * sizeof(*ja));
	ar = malloc((nz + 1) * sizeof(*ar));
	if (ia == NULL || ja == NULL || ar == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	nz = 0;
	for (i = 0; i < d->ne; i++)
		for (k = 0; k < d->e[i].n; k++) {
			nz++;
			ia[nz] = (int)i + 1;
			ja[nz] = (int)d->e[i].vars[k] + 1;
			ar[nz] = d->e[i].coef[k];
		}
	/* A figure named twice in one equation would be rejected by GLPK:
	 * the caller gives each once (report tables do). */
	glp_load_matrix(d->lp, (int)nz, ia, ja, ar);
	glp_adv_basis(d->lp, 0);
out:
	free(ia);
	free(ja);
	free(ar);
	if (err)
		drop_lp(d);
	return err;
}

/* Optimise figure i in direction dir; *value is +-HUGE_VAL when unbounded. */
static int optimise(struct ss_disclose *d, size_t i, int dir, double *value)
{
	glp_smcp parm;
	int ret, status;

	quiet(&parm);
	glp_set_obj_coef(d->lp, (int)i + 1, 1.0);
	glp_set_obj_dir(d->lp, dir);
	ret = glp_simplex(d->lp, &parm);
	if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
		glp_adv_basis(d->lp, 0);
		ret = glp_simplex(d->lp, &parm);
	}
	glp_set_obj_coef(d->lp, (int)i + 1, 0.0);
	if (ret != 0)
		return ss_error_set(
		    SS_EIO, _("the range of a figure could not be computed (GLPK %d)"), ret);
	status = glp_get_status(d->lp);
	if (status == GLP_OPT)
		*value = glp_get_obj_val(d->lp);
	else if (status == GLP_UNBND)
		*value = dir == GLP_MAX ? HUGE_VAL : -HUGE_VAL;
	else
		return ss_error_set(
		    SS_EIO, _("the report's figures admit no solution (GLPK status %d)"), status);
	return 0;
}

int ss_disclose_range(struct ss_disclose *d, size_t index, double *lo, double *hi)
{
	int err;

	if (index >= d->nv)
		return ss_error_set(SS_EUSAGE, _("no figure %zu"), index);
	if (!is_free(&d->v[index])) {
		*lo = *hi = (double)d->v[index].value;
		return 0;
	}
	if (d->lp == NULL && (err = build_lp(d)) != 0)
		return err;
	if ((err = optimise(d, index, GLP_MIN, lo)) || (err = optimise(d, index, GLP_MAX, hi)))
		return err;
	return 0;
}

static int hide(struct ss_disclose *d, size_t i, size_t **work, size_t *nwork, size_t *cap)
{
	if (d->v[i].hidden)
		return 0;
	d->v[i].hidden = true;
	if (d->lp != NULL)
		set_bounds(d, i);
	if (*nwork == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		size_t *g = realloc(*work, nc * sizeof(*g));

		if (g == NULL)
			return ss_error_nomem();
		*work = g;
		*cap = nc;
	}
	(*work)[(*nwork)++] = i;
	return 0;
}

static bool may_hide(const struct dvar *v)
{
	return !v->hidden && (v->flags & SS_DV_PROTECTED) && !(v->flags & SS_DV_KNOWN);
}

/* Is candidate a better next figure to hide than best, for a figure of
 * value `have` that needs `need`? Cells before totals; then the smallest
 * count that gives the width alone; else the largest. */
static bool better(const struct dvar *a, const struct dvar *b, double have, double need)
{
	bool at = a->flags & SS_DV_TOTAL, bt = b->flags & SS_DV_TOTAL;
	bool aw = have + (double)a->value >= need, bw = have + (double)b->value >= need;

	if (at != bt)
		return !at;
	if (aw != bw)
		return aw;
	return aw ? a->value < b->value : a->value > b->value;
}

/* The next figure to hide near figure i: the best candidate among the
 * figures sharing an equation with it, else among those one equation
 * further, and so on (a breadth-first search over the equations);
 * SIZE_MAX when nothing connected to it may be hidden. */
static size_t next_to_hide(const struct ss_disclose *d, size_t i)
{
	const struct dvar *self = &d->v[i];
	unsigned char *seen_eq = calloc(d->ne ? d->ne : 1, 1);
	unsigned char *seen_var = calloc(d->nv, 1);
	size_t *level = malloc(d->nv * sizeof(*level)), *next = malloc(d->nv * sizeof(*next));
	size_t nlevel = 0, nnext, best = SIZE_MAX, e, k, l;

	if (seen_eq == NULL || seen_var == NULL || level == NULL || next == NULL)
		goto out; /* out of memory: treated as nothing left to hide */
	level[nlevel++] = i;
	seen_var[i] = 1;
	while (nlevel > 0 && best == SIZE_MAX) {
		nnext = 0;
		for (e = 0; e < d->ne; e++) {
			bool touches = false;

			if (seen_eq[e])
				continue;
			for (k = 0; k < d->e[e].n && !touches; k++)
				for (l = 0; l < nlevel && !touches; l++)
					touches = d->e[e].vars[k] == level[l];
			if (!touches)
				continue;
			seen_eq[e] = 1;
			for (k = 0; k < d->e[e].n; k++) {
				size_t j = d->e[e].vars[k];

				if (seen_var[j])
					continue;
				seen_var[j] = 1;
				next[nnext++] = j;
				if (may_hide(&d->v[j]) &&
				    (best == SIZE_MAX || better(&d->v[j], &d->v[best],
				                                (double)self->value, self->need)))
					best = j;
			}
		}
		memcpy(level, next, nnext * sizeof(*next));
		nlevel = nnext;
	}
out:
	free(seen_eq);
	free(seen_var);
	free(level);
	free(next);
	return best;
}

/* Margins an attacker knows that are below t: every protected cell of them
 * is hidden, and needs a range only as wide as the margin. */
static int small_known_margins(struct ss_disclose *d, unsigned t, size_t **work, size_t *nwork,
                               size_t *cap)
{
	size_t e, k;
	int err;

	for (e = 0; e < d->ne; e++) {
		const struct deq *q = &d->e[e];
		size_t total = SIZE_MAX, ntotals = 0;

		for (k = 0; k < q->n; k++)
			if (d->v[q->vars[k]].flags & SS_DV_TOTAL) {
				total = q->vars[k];
				ntotals++;
			}
		if (ntotals != 1 || !(d->v[total].flags & SS_DV_KNOWN) || d->v[total].value == 0 ||
		    d->v[total].value >= t)
			continue;
		for (k = 0; k < q->n; k++) {
			struct dvar *c = &d->v[q->vars[k]];

			if (q->vars[k] == total || !(c->flags & SS_DV_PROTECTED) ||
			    (c->flags & SS_DV_KNOWN))
				continue;
			if (c->need > (double)d->v[total].value)
				c->need = (double)d->v[total].value;
			if ((err = hide(d, q->vars[k], work, nwork, cap)) != 0)
				return err;
		}
	}
	return 0;
}

int ss_disclose_run(struct ss_disclose *d, unsigned t, size_t *unresolved)
{
	size_t *work = NULL, nwork = 0, cap = 0, i, pinned = 0;
	int err = 0;

	if (t < 2)
		return ss_error_set(SS_EUSAGE, _("the smallest count shown must be 2 or more"));
	for (i = 0; i < d->nv; i++) {
		d->v[i].hidden = false;
		d->v[i].unresolved = false;
		d->v[i].need = (double)t;
	}
	drop_lp(d);
	/* Primary suppression: the counts from 1 to t - 1 that may be hidden. */
	for (i = 0; i < d->nv; i++)
		if (may_hide(&d->v[i]) && d->v[i].value >= 1 && d->v[i].value < t &&
		    (err = hide(d, i, &work, &nwork, &cap)) != 0)
			goto out;
	if ((err = small_known_margins(d, t, &work, &nwork, &cap)) != 0)
		goto out;
	/* Secondary suppression until every hidden figure is wide enough. */
	while (nwork > 0) {
		double lo, hi;

		i = work[--nwork];
		for (;;) {
			size_t j;

			if ((err = ss_disclose_range(d, i, &lo, &hi)) != 0)
				goto out;
			if (hi - lo >= d->v[i].need - 1e-9)
				break;
			if ((j = next_to_hide(d, i)) == SIZE_MAX) {
				d->v[i].unresolved = true;
				pinned++;
				break;
			}
			if ((err = hide(d, j, &work, &nwork, &cap)) != 0)
				goto out;
		}
	}
	/* A figure found pinned may have been freed by what was hidden after it. */
	for (i = 0; !err && i < d->nv; i++) {
		double lo, hi;

		if (!d->v[i].unresolved)
			continue;
		if ((err = ss_disclose_range(d, i, &lo, &hi)) != 0)
			break;
		if (hi - lo >= d->v[i].need - 1e-9) {
			d->v[i].unresolved = false;
			pinned--;
		}
	}
	/* One pinned to a single value is public knowledge: hiding it only
	 * pretends, so it is shown (which tells nobody anything new). */
	for (i = 0; !err && i < d->nv; i++) {
		double lo, hi;

		if (!d->v[i].unresolved)
			continue;
		if ((err = ss_disclose_range(d, i, &lo, &hi)) != 0)
			break;
		if (hi - lo < 1e-6) {
			d->v[i].hidden = false;
			if (d->lp != NULL)
				set_bounds(d, i);
		}
	}
out:
	free(work);
	if (unresolved != NULL)
		*unresolved = pinned;
	return err;
}
