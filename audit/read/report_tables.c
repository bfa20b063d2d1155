/*
 * report_tables.c - finishing a report: the running totals become sorted
 * tables and figures (population, census rates, findings, agreement with
 * kappa, corrections, progress).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report.h"
#include "report_int.h"

/* ---- finishing: tables ---- */

struct keyed {
	const char *k1, *k2;
	size_t count;
	long order; /* explicit order, or -1 */
};

static int keyed_by_count(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;

	/* blanks ("not recorded") last, outside the shares */
	if ((a->k1 == NULL) != (b->k1 == NULL))
		return a->k1 == NULL ? 1 : -1;
	if (a->order != b->order)
		return a->order < 0   ? 1
		       : b->order < 0 ? -1
		                      : (a->order > b->order) - (a->order < b->order);
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	if (ss_report_key_cmp(a->k1, b->k1))
		return ss_report_key_cmp(a->k1, b->k1);
	return ss_report_key_cmp(a->k2, b->k2);
}

static int table_init(struct ss_report_table *t, const char *name, const char *title, bool cross)
{
	t->cross = cross;
	if ((t->name = strdup(name)) == NULL || (t->title = strdup(title)) == NULL)
		return ss_error_nomem();
	return 0;
}

static int table_row(struct ss_report_table *t, size_t *cap, const char *k1, const char *k2,
                     size_t count, size_t denom)
{
	struct ss_report_row *row;
	int err = 0;

	if ((err = ss_report_grow(&t->rows, cap, t->nrows, sizeof(*t->rows))))
		return err;
	row = &t->rows[t->nrows++];
	row->key = ss_report_dup_or_null(k1, &err);
	row->subkey = ss_report_dup_or_null(k2, &err);
	row->fig = (struct ss_report_fig){.count = count, .denom = denom};
	return err ? ss_error_nomem() : 0;
}

static long age_order(const char *v)
{
	static const char *const ages[] = {"under 10", "10-17", "18-24", "25-34", "over 34"};
	size_t i;

	for (i = 0; v && i < sizeof(ages) / sizeof(ages[0]); i++)
		if (strcmp(v, ages[i]) == 0)
			return (long)i;
	return -1;
}

enum order { BY_COUNT, BY_AGE, BY_KEY };

static int keyed_by_pair(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;

	if (ss_report_key_cmp(a->k1, b->k1))
		return ss_report_key_cmp(a->k1, b->k1);
	return ss_report_key_cmp(a->k2, b->k2);
}

/* The rows of a counter: largest first, age ranges in age order, or by key. */
static int table_from_counter(struct ss_report_table *t, const struct ss_report_counter *c,
                              size_t denom, enum order order)
{
	struct keyed *ks = NULL, e = {NULL, NULL, 0, -1};
	size_t i, n = 0, cap = 0, pos = 0;
	int err = 0;

	if (ss_report_counter_size(c) &&
	    (ks = calloc(ss_report_counter_size(c), sizeof(*ks))) == NULL)
		return ss_error_nomem();
	while (ss_report_counter_next(c, &pos, &e.k1, &e.k2, &e.count)) {
		e.order = order == BY_AGE ? age_order(e.k1) : -1;
		ks[n++] = e;
	}
	if (n > 1)
		qsort(ks, n, sizeof(*ks), order == BY_KEY ? keyed_by_pair : keyed_by_count);
	for (i = 0; i < n && !err; i++)
		err = table_row(t, &cap, ks[i].k1, ks[i].k2, ks[i].count, denom);
	free(ks);
	return err;
}

/* A field's rows as shares of the records where it is recorded; the blank
 * row ("not recorded") is a count, outside the shares. */
static int table_of_field(struct ss_report_table *t, const struct ss_report_counter *c, size_t all,
                          enum order order, size_t *blank)
{
	size_t i;
	int err;

	*blank = ss_report_counter_get(c, NULL, NULL);
	if ((err = table_from_counter(t, c, all - *blank, order)))
		return err;
	for (i = 0; i < t->nrows; i++)
		if (t->rows[i].key == NULL)
			t->rows[i].fig.denom = 0;
	return err;
}

static int keyed_by_key(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;

	return ss_report_key_cmp(a->k1, b->k1);
}

static int value_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Answers of one question: every value of the policy (zero too), in its order,
 * then any other value found, in byte order. */
static int answer_values(const struct ss_question *q, const struct ss_report_counter *c,
                         const char ***out, size_t *n)
{
	const char **v, *k1, *k2;
	size_t i, m = q->nvalues, pos = 0, count;

	if ((v = calloc(q->nvalues + ss_report_counter_size(c) + 1, sizeof(*v))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < q->nvalues; i++)
		v[i] = q->values[i];
	while (ss_report_counter_next(c, &pos, &k1, &k2, &count)) {
		if (k1 == NULL)
			continue;
		for (i = 0; i < m && strcmp(v[i], k1) != 0; i++)
			;
		if (i == m)
			v[m++] = k1;
	}
	if (m - q->nvalues > 1)
		qsort(v + q->nvalues, m - q->nvalues, sizeof(*v), value_cmp);
	*out = v;
	*n = m;
	return 0;
}

/* A cross table of a (key, answer) counter: keys in order, every answer value
 * for each key (zeros too); denominators are the key's answers. */
static int table_cross(struct ss_report_table *t, const struct ss_report_counter *c,
                       const char **values, size_t nvalues)
{
	struct keyed *ks = NULL, e = {NULL, NULL, 0, -1};
	size_t i, j, n = 0, cap = 0, pos = 0;
	int err = 0;

	if (ss_report_counter_size(c) &&
	    (ks = calloc(ss_report_counter_size(c), sizeof(*ks))) == NULL)
		return ss_error_nomem();
	while (ss_report_counter_next(c, &pos, &e.k1, &e.k2, &e.count)) {
		e.k2 = NULL;
		e.count = 0;
		ks[n++] = e;
	}
	if (n > 1)
		qsort(ks, n, sizeof(*ks), keyed_by_key);
	for (i = 0; i < n && !err; i++) {
		size_t total = 0;

		if (i > 0 && ss_report_str_eq(ks[i].k1, ks[i - 1].k1))
			continue;
		for (j = 0; j < nvalues; j++)
			total += ss_report_counter_get(c, ks[i].k1, values[j]);
		for (j = 0; j < nvalues && !err; j++)
			err = table_row(t, &cap, ks[i].k1, values[j],
			                ss_report_counter_get(c, ks[i].k1, values[j]), total);
	}
	free(ks);
	return err;
}

static struct ss_report_fig field_fig(size_t count, size_t all, size_t blank)
{
	return (struct ss_report_fig){
	    .count = count, .denom = all - blank, .field = true, .unrecorded = blank};
}

int ss_report_finish_population(struct ss_report *r)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	size_t i, k, positive = 0, children = 0, blank[SS_REPORT_NBY];
	int err;

	r->searches = (struct ss_report_fig){.count = a->searches};
	for (k = 0; k < SS_REPORT_NBY; k++) {
		if ((err = table_init(&r->by[k], ss_field_name(ss_report_by_field[k]),
		                      ss_report_by_title[k], false)) ||
		    (err = table_of_field(&r->by[k], &a->by[k], a->searches,
		                          k == SS_REPORT_BY_AGE ? BY_AGE : BY_COUNT, &blank[k])))
			return err;
	}
	for (i = 0; i < r->by[SS_REPORT_BY_OUTCOME].nrows; i++) {
		const struct ss_report_row *row = &r->by[SS_REPORT_BY_OUTCOME].rows[i];

		if (ss_policy_outcome_positive(pol, row->key))
			positive += row->fig.count;
	}
	for (i = 0; i < r->by[SS_REPORT_BY_AGE].nrows; i++) {
		const struct ss_report_row *row = &r->by[SS_REPORT_BY_AGE].rows[i];

		if (row->key &&
		    (strcmp(row->key, "under 10") == 0 || strcmp(row->key, "10-17") == 0))
			children += row->fig.count;
	}
	r->positive = field_fig(positive, a->searches, blank[SS_REPORT_BY_OUTCOME]);
	r->children = field_fig(children, a->searches, blank[SS_REPORT_BY_AGE]);
	r->strip = field_fig(a->strip, a->searches, a->strip_blank);
	r->linked = field_fig(a->linked, a->searches, a->linked_blank);
	return 0;
}

/* x100 of num/den, rounded half up (den > 0). */
static unsigned long long x100(unsigned long long num, unsigned long long den)
{
	return (num * 200 + den) / (2 * den);
}

int ss_report_finish_census(struct ss_report *r)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	bool force_given = false;
	size_t i, j, in_groups = 0, n = 0;
	int err = 0;

	if (pol->ncensus == 0)
		return 0;
	r->census = true;
	if (pol->census_source && (r->census_source = strdup(pol->census_source)) == NULL)
		return ss_error_nomem();
	for (i = 0; i < pol->ncensus; i++)
		force_given |= pol->census[i].area == NULL;
	/* Rows: each group as given, and (when only areas are given) force-wide sums. */
	if ((r->rates = calloc(pol->ncensus * 2 + 1, sizeof(*r->rates))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < pol->ncensus; i++) {
		const struct ss_census *g = &pol->census[i];
		struct ss_report_rate *rt;
		size_t s = 0;

		if (!force_given) {
			/* the force-wide row for this ethnicity, once */
			for (j = 0; j < i && strcmp(pol->census[j].ethnicity, g->ethnicity) != 0;
			     j++)
				;
			if (j == i) {
				unsigned long res = 0;
				size_t k;

				rt = &r->rates[n++];
				rt->ethnicity = ss_report_dup_or_null(g->ethnicity, &err);
				/* residents and searches of the areas the census gives, so
				 * searches in an area it leaves out do not inflate the rate */
				for (k = 0; k < pol->ncensus; k++)
					if (strcmp(pol->census[k].ethnicity, g->ethnicity) == 0) {
						res += pol->census[k].residents;
						rt->searches.count += ss_report_counter_get(
						    &a->census, pol->census[k].area, g->ethnicity);
					}
				rt->residents = res;
			}
		}
		rt = &r->rates[n++];
		rt->area = ss_report_dup_or_null(g->area, &err);
		rt->ethnicity = ss_report_dup_or_null(g->ethnicity, &err);
		rt->residents = g->residents;
		if (g->area) {
			s = ss_report_counter_get(&a->census, g->area, g->ethnicity);
		} else {
			const char *area, *eth;
			size_t pos = 0, count;

			while (ss_report_counter_next(&a->census, &pos, &area, &eth, &count))
				if (eth != NULL && strcmp(eth, g->ethnicity) == 0)
					s += count;
			in_groups += s;
		}
		rt->searches.count = s;
		if (err)
			return ss_error_nomem();
	}
	r->nrates = n;
	/* the whole force first, then each area's rows in the policy's order */
	for (i = 1; i < n; i++) {
		struct ss_report_rate t = r->rates[i];

		for (j = i; j > 0 && t.area == NULL && r->rates[j - 1].area != NULL; j--)
			r->rates[j] = r->rates[j - 1];
		r->rates[j] = t;
	}
	if (!force_given)
		for (i = 0; i < n; i++)
			if (r->rates[i].area == NULL)
				in_groups += r->rates[i].searches.count;
	r->outside_groups =
	    (struct ss_report_fig){.count = a->searches - in_groups, .denom = a->searches};
	return 0;
}

/* Rates and ratios, after public suppression decided which counts show. */
void ss_report_census_rates(struct ss_report *r)
{
	size_t i, j;

	for (i = 0; i < r->nrates; i++) {
		struct ss_report_rate *rt = &r->rates[i];

		rt->rate_defined = rt->residents > 0 && !rt->searches.hidden;
		if (rt->rate_defined)
			rt->per1000_x100 =
			    x100((unsigned long long)rt->searches.count * 1000, rt->residents);
	}
	for (i = 0; i < r->nrates; i++) {
		struct ss_report_rate *rt = &r->rates[i];

		for (j = 0; j < r->nrates; j++) {
			const struct ss_report_rate *w = &r->rates[j];

			if (strcmp(w->ethnicity, "White") != 0 ||
			    !ss_report_str_eq(w->area, rt->area))
				continue;
			rt->few =
			    rt->searches.count < SS_REPORT_FEW || w->searches.count < SS_REPORT_FEW;
			if (rt->rate_defined && w->rate_defined && w->searches.count > 0) {
				/* (s/res) / (sw/resw) = s*resw / (res*sw) */
				rt->ratio_defined = true;
				rt->ratio_x100 =
				    x100((unsigned long long)rt->searches.count * w->residents,
				         (unsigned long long)rt->residents * w->searches.count);
			}
		}
		if (rt->searches.count < SS_REPORT_FEW)
			rt->few = true;
	}
}

int ss_report_finish_findings(struct ss_report *r)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	size_t i, q, b;
	int err = 0;

	if (a->nroles && (r->findings = calloc(a->nroles, sizeof(*r->findings))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < a->nroles; i++) {
		struct ss_report_racc *ra = &a->roles[i];
		struct ss_report_findings *f = &r->findings[i];

		r->nfindings = i + 1;
		if ((f->role = strdup(ra->name)) == NULL)
			return ss_error_nomem();
		f->verdicts = (struct ss_report_fig){.count = ra->verdicts};
		if (pol->nquestions &&
		    (f->questions = calloc(pol->nquestions, sizeof(*f->questions))) == NULL)
			return ss_error_nomem();
		for (q = 0; q < pol->nquestions; q++) {
			const struct ss_question *qu = &pol->questions[q];
			struct ss_report_qfind *qf = &f->questions[q];
			const char **values = NULL;
			size_t nvalues = 0, total = 0, k, cap = 0;
			char name[64];

			f->nquestions = q + 1;
			if ((qf->id = strdup(qu->id)) == NULL ||
			    (qf->question = strdup(qu->question ? qu->question : qu->id)) == NULL)
				return ss_error_nomem();
			if ((err = answer_values(qu, &ra->q[q].c[0], &values, &nvalues)))
				return err;
			for (k = 0; k < nvalues; k++)
				total += ss_report_counter_get(&ra->q[q].c[0], values[k], NULL);
			if (!(err = table_init(&qf->answers, "answers", N_("Answers"), false)))
				for (k = 0; k < nvalues && !err; k++)
					err = table_row(
					    &qf->answers, &cap, values[k], NULL,
					    ss_report_counter_get(&ra->q[q].c[0], values[k], NULL),
					    total);
			for (b = 0; b < 3 && !err; b++) {
				snprintf(name, sizeof(name), "%s",
				         ss_field_name(ss_report_find_field[b]));
				if (!(err = table_init(&qf->by[b], name, ss_report_find_title[b],
				                       true)))
					err = table_cross(&qf->by[b], &ra->q[q].c[b + 1], values,
					                  nvalues);
			}
			free(values);
			if (err)
				return err;
		}
	}
	return 0;
}

static long long gcd_ll(long long a, long long b)
{
	if (a < 0)
		a = -a;
	while (b) {
		long long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * Cohen's kappa over the n records both roles answered, from the n x n table
 * c of role a's answer (row) by role b's (column), with row totals a_i and
 * column totals b_i:
 *   p_o = (sum_i c_ii) / n                 observed agreement
 *   p_e = (sum_i a_i * b_i) / n^2          agreement expected by chance
 *   kappa = (p_o - p_e) / (1 - p_e) = (n * sum_i c_ii - sum_i a_i b_i) / (n^2 - sum_i a_i b_i)
 * computed in integers and kept as that fraction (reduced). It is undefined
 * when n is 0 or p_e is 1 (both roles gave one and the same answer throughout).
 */
static void kappa(struct ss_report_pair *p, const size_t *cells, size_t nv)
{
	long long n = 0, agree = 0, s = 0, num, den, g;
	size_t i, j;

	for (i = 0; i < nv; i++) {
		long long ai = 0, bi = 0;

		for (j = 0; j < nv; j++) {
			ai += (long long)cells[i * nv + j];
			bi += (long long)cells[j * nv + i];
		}
		s += ai * bi;
		n += ai;
		agree += (long long)cells[i * nv + i];
	}
	num = n * agree - s;
	den = n * n - s;
	p->kappa_defined = n > 0 && den != 0;
	if (!p->kappa_defined) {
		p->kappa_num = p->kappa_den = 0;
		return;
	}
	g = gcd_ll(num, den);
	if (g == 0)
		g = 1;
	p->kappa_num = num / g;
	p->kappa_den = den / g;
}

int ss_report_finish_agreement(struct ss_report *r)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	struct ss_report_agreement *ag = &r->agreement;
	size_t k, i, nv;

	if (a->question < 0)
		return 0;
	nv = pol->questions[a->question].nvalues;
	if ((ag->question = strdup(pol->questions[a->question].id)) == NULL ||
	    (ag->values = calloc(nv + 1, sizeof(*ag->values))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < nv; i++) {
		ag->nvalues = i + 1;
		if ((ag->values[i] = strdup(pol->questions[a->question].values[i])) == NULL)
			return ss_error_nomem();
	}
	if (a->npairs && (ag->pairs = calloc(a->npairs, sizeof(*ag->pairs))) == NULL)
		return ss_error_nomem();
	for (k = 0; k < a->npairs; k++) {
		struct ss_report_pair *p = &ag->pairs[k];
		const size_t *cells = &a->pair_cells[k * nv * nv];
		size_t n = 0, agree = 0;

		ag->npairs = k + 1;
		if ((p->role_a = strdup(a->roles[a->pair_a[k]].name)) == NULL ||
		    (p->role_b = strdup(a->roles[a->pair_b[k]].name)) == NULL ||
		    (p->cells = calloc(nv * nv + 1, sizeof(*p->cells))) == NULL ||
		    (p->cell_figs = calloc(nv * nv + 1, sizeof(*p->cell_figs))) == NULL)
			return ss_error_nomem();
		memcpy(p->cells, cells, nv * nv * sizeof(*cells));
		for (i = 0; i < nv * nv; i++) {
			n += cells[i];
			p->cell_figs[i] = (struct ss_report_fig){.count = cells[i]};
		}
		for (i = 0; i < nv; i++)
			agree += cells[i * nv + i];
		p->records = (struct ss_report_fig){.count = n};
		p->agreeing = (struct ss_report_fig){.count = agree, .denom = n};
		p->ties = (struct ss_report_fig){.count = a->pair_ties[k]};
		kappa(p, cells, nv);
	}
	return 0;
}

int ss_report_finish_corrections(struct ss_report *r)
{
	struct ss_report_acc *a = r->acc;
	struct ss_report_corrections *c = &r->corrections;
	int err;

	c->corrections = (struct ss_report_fig){.count = a->ncorrections};
	c->records = (struct ss_report_fig){.count = a->ncorrected, .denom = a->searches};
	if ((err = table_init(&c->outcome, "outcome", N_("Outcomes corrected: from, to"), true)) ||
	    (err = table_from_counter(&c->outcome, &a->fix_outcome, a->ncorrected, BY_KEY)) ||
	    (err = table_init(&c->linked, "outcome_linked_to_object_of_search",
	                      N_("Outcome linked to the object of search, corrected: from, to"),
	                      true)) ||
	    (err = table_from_counter(&c->linked, &a->fix_linked, a->ncorrected, BY_KEY)))
		return err;
	c->positive_recorded = r->positive;
	c->positive_corrected =
	    field_fig(r->positive.count + a->pos_gained - a->pos_lost, a->searches,
	              r->positive.unrecorded + a->outcome_emptied - a->outcome_filled);
	c->linked_recorded = r->linked;
	c->linked_corrected =
	    field_fig(r->linked.count + a->link_gained - a->link_lost, a->searches,
	              r->linked.unrecorded + a->link_emptied - a->link_filled);
	return 0;
}

int ss_report_finish_progress(struct ss_report *r)
{
	struct ss_report_acc *a = r->acc;
	size_t i;
	int err;

	if (r->nsamples < 2)
		return 0;
	for (i = 0; i < a->nroles; i++) {
		const struct ss_report_racc *ra = &a->roles[i];
		struct ss_report_progress *p;

		if (ra->months == 0)
			continue;
		if ((err = ss_report_grow(&r->progress, &a->progress_cap, r->nprogress,
		                          sizeof(*r->progress))))
			return err;
		p = &r->progress[r->nprogress++];
		if ((p->role = strdup(ra->name)) == NULL)
			return ss_error_nomem();
		p->assigned = (struct ss_report_fig){.count = ra->assigned};
		p->reviewed = (struct ss_report_fig){.count = ra->reviewed, .denom = ra->assigned};
		p->waived = (struct ss_report_fig){.count = ra->waived, .denom = ra->assigned};
		p->missing = (struct ss_report_fig){.count = ra->missing, .denom = ra->assigned};
	}
	return 0;
}
