/*
 * report_est.c - findings as estimates for all of a month's searches
 * (DESIGN.md section 9), and the trend of a range: one row per month.
 *
 * Per month, per role with a subset in the sample and per question, a cell
 * per stratum keeps N_h (the stratum's searches), n_h (core records the role
 * answered, modal answer, ties dropped) and the answers given; targeted
 * records' answers are counted apart. The month's estimates come from its
 * cells; a range's from every month's cells, strata being month x stratum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "estimate.h"
#include "month.h"
#include "report.h"
#include "report_int.h"

/*
 * What an estimate needs from a sample: each sampled record's reason (core or
 * targeted) and each stratum's searches. Only ssaudit-sample-v2 has a random
 * core; a v1 sample ("always" records added on top of a random draw that they
 * crowd out) gets core_known false, and the report says its findings are not
 * estimated. *free_me holds both arrays, in one block.
 */
int ss_report_design_of(const struct ss_sample *s, struct ss_report_design *d, void **free_me)
{
	bool *core;
	size_t *population, i;
	void *block;

	*d = (struct ss_report_design){.core_known = false};
	*free_me = NULL;
	if (s == NULL || s->version != 2)
		return 0;
	/* The sizes first, then the flags: the block stays aligned for both. */
	block = malloc(s->nstrata * sizeof(*population) + s->n * sizeof(*core) + 1);
	if (block == NULL)
		return ss_error_nomem();
	population = block;
	core = (bool *)(population + s->nstrata);
	for (i = 0; i < s->nstrata; i++)
		population[i] = s->strata[i].population;
	for (i = 0; i < s->n; i++)
		core[i] = s->records[i].reason == SS_REASON_CORE;
	d->core_known = true;
	d->core = core;
	d->population = population;
	*free_me = block;
	return 0;
}

/* ---- cells ---- */

struct cell {
	size_t month;   /* index into months */
	size_t role;    /* index into roles */
	size_t q;       /* the policy's question */
	char *key;      /* stratum key */
	size_t N, n, t; /* searches; core answered; targeted answered */
	size_t *yes;    /* per value: core answers; then per value: targeted */
};

struct ss_report_estacc {
	struct cell *cells;
	size_t ncells, cap;
	char **months, **roles;
	size_t nmonths, nroles;
	size_t range_months; /* months with a core */
};

static int intern(char ***v, size_t *n, const char *s, size_t *at)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0) {
			*at = i;
			return 0;
		}
	*at = *n;
	return ss_report_strv_push(v, n, s);
}

static void cells_free(struct ss_report_estacc *ea)
{
	size_t i;

	if (ea == NULL)
		return;
	for (i = 0; i < ea->ncells; i++) {
		free(ea->cells[i].key);
		free(ea->cells[i].yes);
	}
	free(ea->cells);
	for (i = 0; i < ea->nmonths; i++)
		free(ea->months[i]);
	free(ea->months);
	for (i = 0; i < ea->nroles; i++)
		free(ea->roles[i]);
	free(ea->roles);
	free(ea);
}

/* The role's modal answer (a value index) on the verdicts lo..hi of one
 * record; -1 none, -2 a tie. */
static int modal(const struct ss_question *q, const struct ss_month_state *st, size_t lo, size_t hi,
                 const char *role, size_t *tally)
{
	size_t k, v, best = 0;
	int m = -1;

	memset(tally, 0, q->nvalues * sizeof(*tally));
	for (k = lo; k < hi; k++) {
		const char *a;

		if (strcmp(st->verdicts[k].role, role) != 0 ||
		    (a = ss_verdict_answer(&st->verdicts[k], q->id)) == NULL)
			continue;
		for (v = 0; v < q->nvalues; v++)
			if (strcmp(q->values[v], a) == 0)
				tally[v]++;
	}
	for (v = 0; v < q->nvalues; v++) {
		if (tally[v] > best) {
			best = tally[v];
			m = (int)v;
		} else if (tally[v] == best && best > 0) {
			m = -2;
		}
	}
	return m;
}

/* ---- estimates from cells ---- */

static int add_estimate(struct ss_report *r, const char *month, const char *role,
                        const struct ss_question *q, size_t v, const struct cell *const *cs,
                        size_t nc, bool range)
{
	struct ss_report_estimate *e;
	struct ss_estimate_stratum *s;
	size_t i, t = 0, ty = 0, yes = 0;
	int err = 0;

	if ((s = calloc(nc + 1, sizeof(*s))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < nc; i++) {
		s[i] = (struct ss_estimate_stratum){cs[i]->N, cs[i]->n, cs[i]->yes[v]};
		yes += cs[i]->yes[v];
		t += cs[i]->t;
		ty += cs[i]->yes[q->nvalues + v];
	}
	if ((err = ss_report_grow(&r->estimates, &r->acc->est_cap, r->nestimates,
	                          sizeof(*r->estimates))))
		goto out;
	e = &r->estimates[r->nestimates++];
	e->month = ss_report_dup_or_null(month, &err);
	e->role = ss_report_dup_or_null(role, &err);
	e->question = ss_report_dup_or_null(q->id, &err);
	e->answer = ss_report_dup_or_null(q->values[v], &err);
	if (err)
		goto out;
	e->yes = yes;
	e->targeted = t;
	e->targeted_yes = ty;
	if ((err = ss_estimate_prop(s, nc, &e->e)))
		goto out;
	for (i = 0; i < nc && !err; i++) {
		char *k;

		if (cs[i]->n > 0)
			continue;
		if (!range) {
			err = ss_report_strv_push(&e->missing, &e->nmissing, cs[i]->key);
			continue;
		}
		/* [month, ...key] */
		size_t len = strlen(cs[i]->key) + 16;
		if ((k = malloc(len)) == NULL) {
			err = ss_error_nomem();
			break;
		}
		snprintf(k, len, "[\"%s\"%s%s", r->acc->est->months[cs[i]->month],
		         strcmp(cs[i]->key, "[]") == 0 ? "" : ",", cs[i]->key + 1);
		err = ss_report_strv_push(&e->missing, &e->nmissing, k);
		free(k);
	}
out:
	free(s);
	return err;
}

/* Estimates of every (role, question) among cells[from..to): one per value,
 * where the role answered the question on at least one core record. */
static int estimates_of(struct ss_report *r, const char *month, size_t from, size_t to, bool range)
{
	struct ss_report_estacc *ea = r->acc->est;
	const struct ss_policy *pol = r->policy;
	const struct cell **cs;
	size_t ro, q, i, v, nc;
	int err = 0;

	if ((cs = calloc(to - from + 1, sizeof(*cs))) == NULL)
		return ss_error_nomem();
	for (ro = 0; ro < ea->nroles && !err; ro++)
		for (q = 0; q < pol->nquestions && !err; q++) {
			size_t answered = 0;

			nc = 0;
			for (i = from; i < to; i++)
				if (ea->cells[i].role == ro && ea->cells[i].q == q) {
					cs[nc++] = &ea->cells[i];
					answered += ea->cells[i].n;
				}
			if (answered == 0)
				continue;
			for (v = 0; v < pol->questions[q].nvalues && !err; v++)
				err = add_estimate(r, month, ea->roles[ro], &pol->questions[q], v,
				                   cs, nc, range);
		}
	free(cs);
	return err;
}

/* ---- a month ---- */

static int add_cells(struct ss_report *r, size_t mi, const struct ss_sample *s,
                     const struct ss_report_design *d, const struct ss_month_state *st)
{
	struct ss_report_estacc *ea = r->acc->est;
	const struct ss_policy *pol = r->policy;
	size_t first = ea->ncells, i, h, q, lo, hi, maxv = 1, *tally;
	int err = 0;

	for (q = 0; q < pol->nquestions; q++)
		maxv = pol->questions[q].nvalues > maxv ? pol->questions[q].nvalues : maxv;
	/* a cell for every role x question x stratum, answered or not */
	for (i = 0; i < s->nroles; i++) {
		size_t ro;

		if ((err = intern(&ea->roles, &ea->nroles, s->roles[i].role, &ro)))
			return err;
		for (q = 0; q < pol->nquestions; q++)
			for (h = 0; h < s->nstrata; h++) {
				struct cell *c;

				if ((err = ss_report_grow(&ea->cells, &ea->cap, ea->ncells,
				                          sizeof(*ea->cells))))
					return err;
				c = &ea->cells[ea->ncells++];
				c->month = mi;
				c->role = ro;
				c->q = q;
				c->N = d->population[h];
				if ((c->key = strdup(s->strata[h].key)) == NULL ||
				    (c->yes = calloc(2 * pol->questions[q].nvalues + 1,
				                     sizeof(*c->yes))) == NULL)
					return ss_error_nomem();
			}
	}
	if (st == NULL)
		return 0;
	if ((tally = calloc(maxv, sizeof(*tally))) == NULL)
		return ss_error_nomem();
	for (lo = 0; lo < st->nverdicts && !err; lo = hi) {
		const char *id = st->verdicts[lo].id;
		const struct ss_sample_record *sr = ss_sample_find(s, id);

		for (hi = lo + 1; hi < st->nverdicts && strcmp(st->verdicts[hi].id, id) == 0; hi++)
			;
		if (sr == NULL)
			continue;
		size_t ri = (size_t)(sr - s->records);
		for (h = 0; h < s->nstrata && strcmp(s->strata[h].key, sr->stratum) != 0; h++)
			;
		if (h == s->nstrata)
			continue;
		for (i = 0; i < s->nroles; i++) {
			if (!ss_sample_role_has(s, s->roles[i].role, id))
				continue;
			for (q = 0; q < pol->nquestions; q++) {
				const struct ss_question *qq = &pol->questions[q];
				int m = modal(qq, st, lo, hi, s->roles[i].role, tally);
				/* cells of this month run role (sample order) x question x stratum
				 */
				struct cell *c =
				    &ea->cells[first + (i * pol->nquestions + q) * s->nstrata + h];

				if (m < 0)
					continue;
				if (d->core[ri]) {
					c->n++;
					c->yes[m]++;
				} else {
					c->t++;
					c->yes[qq->nvalues + (size_t)m]++;
				}
			}
		}
	}
	free(tally);
	return err;
}

static int add_trend(struct ss_report *r, const char *month, const struct ss_population *pop,
                     const struct ss_sample *s, const struct ss_month_state *st, bool core)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_trend *t;
	size_t i, pos = 0, blank = 0, cpos = 0, cblank = 0, reviewed = 0, lo, hi;
	int err;

	for (i = 0; i < pop->n; i++) {
		const struct ss_record *rec = &pop->rec[i];
		const char *was = rec->str[SS_F_OUTCOME], *now = was;

		if (st != NULL && st->ncorrections > 0) {
			struct ss_rule_value o = ss_month_current(st, rec, SS_F_OUTCOME);
			now = o.kind == SS_RV_STRING ? o.s : NULL;
		}
		blank += was == NULL;
		pos += was != NULL && ss_policy_outcome_positive(pol, was);
		cblank += now == NULL;
		cpos += now != NULL && ss_policy_outcome_positive(pol, now);
	}
	for (lo = 0; st != NULL && s != NULL && lo < st->nverdicts; lo = hi) {
		for (hi = lo + 1;
		     hi < st->nverdicts && strcmp(st->verdicts[hi].id, st->verdicts[lo].id) == 0;
		     hi++)
			;
		reviewed += ss_sample_find(s, st->verdicts[lo].id) != NULL;
	}
	if ((err = ss_report_grow(&r->trend, &r->acc->trend_cap, r->ntrend, sizeof(*r->trend))))
		return err;
	t = &r->trend[r->ntrend++];
	if ((t->month = strdup(month)) == NULL)
		return ss_error_nomem();
	t->searches = (struct ss_report_fig){.count = pop->n};
	t->positive_recorded = (struct ss_report_fig){
	    .count = pos, .denom = pop->n - blank, .field = true, .unrecorded = blank};
	t->positive_corrected = (struct ss_report_fig){
	    .count = cpos, .denom = pop->n - cblank, .field = true, .unrecorded = cblank};
	t->sampled = (struct ss_report_fig){.count = s ? s->n : 0, .denom = pop->n};
	t->reviewed = (struct ss_report_fig){.count = reviewed, .denom = s ? s->n : 0};
	t->estimated = core;
	return 0;
}

int ss_report_est_add_month(struct ss_report *r, const char *month, const struct ss_population *pop,
                            const struct ss_sample *s, const struct ss_report_design *d,
                            const struct ss_month_state *st)
{
	struct ss_report_estacc *ea;
	bool core = s != NULL && d != NULL && d->core_known;
	size_t mi, first;
	int err;

	if (strcmp(r->from, r->to) != 0 && (err = add_trend(r, month, pop, s, st, core)))
		return err;
	if (s == NULL)
		return 0;
	if (!core) {
		if ((err = ss_report_strv_push(&r->months_v1, &r->nmonths_v1, month)))
			return err;
		return ss_report_add_caveat(
		    r,
		    N_("%s was sampled without a random core (ssaudit-sample-v1): its "
		       "findings describe the sampled searches only and are not estimated "
		       "for all the month's searches"),
		    month);
	}
	if (r->acc->est == NULL && (r->acc->est = calloc(1, sizeof(*r->acc->est))) == NULL)
		return ss_error_nomem();
	ea = r->acc->est;
	if ((err = intern(&ea->months, &ea->nmonths, month, &mi)))
		return err;
	ea->range_months++;
	first = ea->ncells;
	if ((err = add_cells(r, mi, s, d, st)))
		return err;
	return estimates_of(r, month, first, ea->ncells, false);
}

int ss_report_est_finish(struct ss_report *r)
{
	struct ss_report_estacc *ea = r->acc->est;
	size_t i;
	int err = 0;

	if (ea != NULL && strcmp(r->from, r->to) != 0)
		err = estimates_of(r, NULL, 0, ea->ncells, true);
	cells_free(ea);
	r->acc->est = NULL;
	if (err || !r->public)
		return err;
	/* public: an estimate resting on a count a public report hides is withheld */
	for (i = 0; i < r->nestimates; i++) {
		struct ss_report_estimate *e = &r->estimates[i];
		size_t no = e->e.n - e->yes;

		e->hidden = (e->yes > 0 && e->yes < r->public_min) ||
		            (no > 0 && no < r->public_min) ||
		            (e->targeted_yes > 0 && e->targeted_yes < r->public_min);
	}
	return 0;
}

void ss_report_est_free(struct ss_report *r)
{
	size_t i, j;

	if (r->acc != NULL) {
		cells_free(r->acc->est);
		r->acc->est = NULL;
	}
	for (i = 0; i < r->nestimates; i++) {
		struct ss_report_estimate *e = &r->estimates[i];

		free(e->month);
		free(e->role);
		free(e->question);
		free(e->answer);
		for (j = 0; j < e->nmissing; j++)
			free(e->missing[j]);
		free(e->missing);
	}
	free(r->estimates);
	for (i = 0; i < r->nmonths_v1; i++)
		free(r->months_v1[i]);
	free(r->months_v1);
	for (i = 0; i < r->ntrend; i++)
		free(r->trend[i].month);
	free(r->trend);
}

/* ---- words ---- */

static void pct_words(enum ss_lang l, double p, char *out, size_t n)
{
	if (p > 0.0 && p < 0.005)
		snprintf(out, n, "%s", ss_lang_get(l, N_("under 1%")));
	else if (p < 1.0 && p > 0.995)
		snprintf(out, n, "%s", ss_lang_get(l, N_("over 99%")));
	else
		snprintf(out, n, "%.0f%%", p * 100.0);
}

/* A question's wording, and an answer's (its value in English), in l. */
static const char *q_words(const struct ss_report *r, enum ss_lang l, const char *qid,
                           const char *value, const char **answer)
{
	size_t i, v;

	*answer = value;
	for (i = 0; i < r->policy->nquestions; i++) {
		const struct ss_question *q = &r->policy->questions[i];

		if (strcmp(q->id, qid) != 0)
			continue;
		for (v = 0; l == SS_LANG_CY && q->value_words && v < q->nvalues; v++)
			if (strcmp(q->values[v], value) == 0 && q->value_words[v].cy)
				*answer = q->value_words[v].cy;
		return l == SS_LANG_CY && q->question_cy ? q->question_cy : qid;
	}
	return qid;
}

/* The estimate's sentence in one language (SS_LANG_EN or SS_LANG_CY). */
static void estimate_in(const struct ss_report *r, enum ss_lang l,
                        const struct ss_report_estimate *e, char *out, size_t n)
{
	char p[32], lo[32], hi[32], outside[512] = "";
	const char *answer, *question = q_words(r, l, e->question, e->answer, &answer);
	size_t i, used = 0;

	if (e->hidden) {
		snprintf(out, n,
		         ss_lang_get(l, N_("%s, \"%s\" on %s: withheld (it rests on fewer than %u "
		                           "searches)")),
		         e->role, answer, question, r->public_min);
		return;
	}
	if (e->e.method == SS_ESTIMATE_NONE) {
		snprintf(out, n,
		         ss_lang_get(l, N_("%s, \"%s\" on %s: no answered randomly chosen search, "
		                           "no estimate")),
		         e->role, answer, question);
		return;
	}
	for (i = 0; i < e->nmissing && used + 1 < sizeof(outside); i++) {
		char *label = ss_report_stratum_label(e->missing[i]);
		int k = snprintf(outside + used, sizeof(outside) - used, " %s %s",
		                 i == 0                 ? ss_lang_get(l, N_("outside"))
		                 : i + 1 == e->nmissing ? ss_lang_get(l, N_("and"))
		                                        : ",",
		                 label ? label : e->missing[i]);
		free(label);
		if (k < 0)
			break;
		if (i > 0 && i + 1 < e->nmissing) /* ", X" not " , X" */
			memmove(outside + used, outside + used + 1, strlen(outside + used));
		used = strlen(outside);
	}
	pct_words(l, e->e.estimate, p, sizeof(p));
	pct_words(l, e->e.lower, lo, sizeof(lo));
	pct_words(l, e->e.upper, hi, sizeof(hi));
	snprintf(
	    out, n,
	    e->month ? ss_lang_get(l, N_("the %s answered \"%s\" to %s for %zu of %zu randomly "
	                                 "chosen searches: about %s of the month's searches%s "
	                                 "(95%% interval %s to %s)"))
	             : ss_lang_get(l, N_("the %s answered \"%s\" to %s for %zu of %zu randomly "
	                                 "chosen searches: about %s of the range's searches%s "
	                                 "(95%% interval %s to %s)")),
	    ss_role_words_in(e->role, l), answer, question, e->yes, e->e.n, p, outside, lo, hi);
}

void ss_report_estimate_text(const struct ss_report *r, const struct ss_report_estimate *e,
                             const char *sep, char *out, size_t n)
{
	size_t k;

	estimate_in(r, r->lang == SS_LANG_EN ? SS_LANG_EN : SS_LANG_CY, e, out, n);
	if (r->lang == SS_LANG_CY_EN && (k = strlen(out)) + strlen(sep) + 1 < n) {
		snprintf(out + k, n - k, "%s", sep);
		k += strlen(sep);
		estimate_in(r, SS_LANG_EN, e, out + k, n - k);
	}
}

static void short_in(enum ss_lang l, const struct ss_report_estimate *e, char *out, size_t n)
{
	char p[32], lo[32], hi[32];

	if (e->hidden) {
		snprintf(out, n, "%s", ss_lang_get(l, N_("withheld")));
		return;
	}
	if (e->e.method == SS_ESTIMATE_NONE) {
		snprintf(out, n, "%s", ss_lang_get(l, N_("no estimate")));
		return;
	}
	pct_words(l, e->e.estimate, p, sizeof(p));
	pct_words(l, e->e.lower, lo, sizeof(lo));
	pct_words(l, e->e.upper, hi, sizeof(hi));
	snprintf(out, n, ss_lang_get(l, N_("%s (%s to %s)")), p, lo, hi);
}

void ss_report_estimate_short(const struct ss_report *r, const struct ss_report_estimate *e,
                              char *out, size_t n)
{
	size_t k;

	short_in(r == NULL || r->lang == SS_LANG_EN ? SS_LANG_EN : SS_LANG_CY, e, out, n);
	if (r && r->lang == SS_LANG_CY_EN && (k = strlen(out)) + 4 < n) {
		char en[96];

		short_in(SS_LANG_EN, e, en, sizeof(en));
		if (strcmp(en, out) != 0)
			snprintf(out + k, n - k, " / %s", en);
	}
}

const struct ss_report_estimate *ss_report_estimate_find(const struct ss_report *r,
                                                         const char *month, const char *role,
                                                         const char *question, const char *answer)
{
	size_t i;

	for (i = 0; i < r->nestimates; i++) {
		const struct ss_report_estimate *e = &r->estimates[i];

		if (ss_report_str_eq(e->month, month) && strcmp(e->role, role) == 0 &&
		    strcmp(e->question, question) == 0 && strcmp(e->answer, answer) == 0)
			return e;
	}
	return NULL;
}
