/*
 * report_month.c - adding a month to a report: its population, its sample,
 * the progress of each role, verdicts (findings, agreement, the follow-up
 * list, notes) and corrections, into the running totals of report_int.h.
 *
 * Cost: each month's records are read once (a hash count per breakdown),
 * verdicts and corrections once each (they are sorted by record id, and
 * records are found by binary search), so a million-record month costs a
 * few hash lookups per record and nothing grows with categories x records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blind.h"
#include "error.h"
#include "layout.h"
#include "month.h"
#include "report.h"
#include "report_int.h"
#include "registry.h"
#include "state.h"
#include "uktime.h"

/* ---- adding a month ---- */

static int add_population(struct ss_report *r, const struct ss_population *pop)
{
	struct ss_report_acc *a = r->acc;
	size_t i, k;
	int err;

	for (i = 0; i < pop->n; i++) {
		const struct ss_record *rec = &pop->rec[i];

		for (k = 0; k < SS_REPORT_NBY; k++)
			if ((err = ss_report_counter_add(&a->by[k], rec->str[ss_report_by_field[k]],
			                                 NULL, 1)))
				return err;
		if (rec->tri[SS_F_REMOVAL] == SS_TRI_TRUE)
			a->strip++;
		if (rec->tri[SS_F_OUTCOME_LINKED] == SS_TRI_TRUE)
			a->linked++;
		a->strip_blank += rec->tri[SS_F_REMOVAL] == SS_TRI_NULL;
		a->linked_blank += rec->tri[SS_F_OUTCOME_LINKED] == SS_TRI_NULL;
		if (r->policy->ncensus &&
		    (err = ss_report_counter_add(&a->census, rec->str[SS_F_AREA],
		                                 rec->str[SS_F_OFFICER_DEFINED_ETHNICITY], 1)))
			return err;
	}
	a->searches += pop->n;
	return 0;
}

/* The decoded values of a stratum key (a compact JSON array of strings and
 * nulls, as sample.json writes it), joined with " / ". */
char *ss_report_stratum_label(const char *json)
{
	struct ss_buf b = SS_BUF_INIT;
	const char *p = json;
	bool first = true;
	int err = 0;

	if (*p == '[')
		p++;
	while (*p && *p != ']' && !err) {
		if (!first)
			err = ss_buf_puts(&b, " / ");
		first = false;
		if (strncmp(p, "null", 4) == 0) {
			err = err ? err : ss_buf_puts(&b, "(blank)");
			p += 4;
		} else if (*p == '"') {
			for (p++; *p && *p != '"' && !err; p++) {
				if (*p != '\\') {
					err = ss_buf_putc(&b, *p);
					continue;
				}
				p++;
				if (*p == 'u' && strlen(p) >= 5) {
					unsigned cp = (unsigned)strtoul(
					    (char[]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
					char u[4];
					size_t n = 0;

					/* sample.json escapes only control characters this way */
					if (cp < 0x80) {
						u[n++] = (char)cp;
					} else if (cp < 0x800) {
						u[n++] = (char)(0xc0 | (cp >> 6));
						u[n++] = (char)(0x80 | (cp & 0x3f));
					} else {
						u[n++] = (char)(0xe0 | (cp >> 12));
						u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
						u[n++] = (char)(0x80 | (cp & 0x3f));
					}
					err = ss_buf_put(&b, u, n);
					p += 4;
				} else {
					char c = *p == 'n'   ? '\n'
					         : *p == 't' ? '\t'
					         : *p == 'r' ? '\r'
					         : *p == 'b' ? '\b'
					         : *p == 'f' ? '\f'
					                     : *p;

					err = ss_buf_putc(&b, c);
				}
				if (!*p)
					break;
			}
			if (*p == '"')
				p++;
		} else {
			/* a boolean or anything else: shown as written */
			const char *e = p;

			while (*e && *e != ',' && *e != ']')
				e++;
			err = ss_buf_put(&b, p, (size_t)(e - p));
			p = e;
		}
		if (*p == ',')
			p++;
	}
	if (!err && b.data == NULL)
		err = ss_buf_puts(&b, "(none)");
	if (err) {
		ss_buf_release(&b);
		return NULL;
	}
	return ss_buf_detach(&b);
}

static struct ss_report_fig count_of(size_t n)
{
	return (struct ss_report_fig){.count = n};
}

static int add_sample(struct ss_report *r, const char *month, const struct ss_population *pop,
                      const struct ss_sample *s, bool policy_matches, const struct ss_policy *spol)
{
	struct ss_report_acc *a = r->acc;
	struct ss_report_sample *rs;
	size_t i, always = 0;
	int err;

	if ((err = ss_report_grow(&r->samples, &a->samples_cap, r->nsamples, sizeof(*r->samples))))
		return err;
	rs = &r->samples[r->nsamples++];
	rs->month = strdup(month);
	rs->seed = strdup(s->seed ? s->seed : "");
	rs->rate = strdup(s->rate ? s->rate : "");
	rs->generated = s->generated;
	rs->policy_matches = policy_matches;
	if (!rs->month || !rs->seed || !rs->rate)
		return ss_error_nomem();
	for (i = 0; i < s->n; i++)
		always += s->records[i].always;
	rs->sampled = (struct ss_report_fig){.count = s->n, .denom = pop->n};
	rs->always = (struct ss_report_fig){.count = always, .denom = s->n};
	rs->version = s->version;
	{
		size_t core = 0, targeted = 0, nr = 0;

		for (i = 0; i < s->nstrata; i++) {
			core += s->strata[i].core;
			targeted += s->strata[i].targeted;
			nr += s->strata[i].not_reached;
		}
		rs->core = (struct ss_report_fig){.count = core, .denom = s->n};
		rs->targeted = (struct ss_report_fig){.count = targeted, .denom = s->n};
		rs->not_reached = count_of(nr);
	}
	if (spol == NULL && policy_matches)
		spol = r->policy;
	if (spol && (err = ss_sample_warnings(s, spol, &rs->warnings, &rs->nwarnings)))
		return err;
	if (s->nstrata && (rs->strata = calloc(s->nstrata, sizeof(*rs->strata))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->nstrata; i++) {
		struct ss_report_stratum *st = &rs->strata[i];

		rs->nstrata = i + 1;
		if ((st->key = strdup(s->strata[i].key)) == NULL ||
		    (st->label = ss_report_stratum_label(s->strata[i].key)) == NULL)
			return ss_error_nomem();
		st->population = (struct ss_report_fig){.count = s->strata[i].population};
		st->always = count_of(s->strata[i].always);
		st->core = count_of(s->strata[i].core);
		st->targeted = count_of(s->strata[i].targeted);
		st->not_reached = count_of(s->strata[i].not_reached);
		st->drawn = (struct ss_report_fig){.count = s->strata[i].drawn,
		                                   .denom = s->strata[i].population};
	}
	if (s->nblanks && (rs->blanks = calloc(s->nblanks, sizeof(*rs->blanks))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->nblanks; i++) {
		rs->nblanks = i + 1;
		if ((rs->blanks[i].field = strdup(s->blanks[i].field)) == NULL)
			return ss_error_nomem();
		rs->blanks[i].count =
		    (struct ss_report_fig){.count = s->blanks[i].count, .denom = pop->n};
	}
	return 0;
}

static int add_progress(struct ss_report *r, const char *month, const struct ss_sample *s,
                        const struct ss_month_state *st)
{
	struct ss_report_acc *a = r->acc;
	size_t i, k;
	int err;

	for (i = 0; i < s->nroles; i++) {
		const struct ss_sample_role *sr = &s->roles[i];
		struct ss_report_progress *p;
		size_t reviewed = 0, wv = 0;
		struct ss_report_racc *ra;

		if ((err = ss_report_find_role(r, sr->role, true, &ra)))
			return err;
		for (k = 0; k < sr->n; k++) {
			if (ss_month_has_verdict(st, sr->ids[k], sr->role))
				reviewed++;
			else if (st != NULL && ss_month_waiver(st, sr->ids[k]) != NULL)
				wv++;
		}
		if ((err = ss_report_grow(&r->progress, &a->progress_cap, r->nprogress,
		                          sizeof(*r->progress))))
			return err;
		p = &r->progress[r->nprogress++];
		if ((p->role = strdup(sr->role)) == NULL || (p->month = strdup(month)) == NULL)
			return ss_error_nomem();
		p->assigned = (struct ss_report_fig){.count = sr->n};
		p->reviewed = (struct ss_report_fig){.count = reviewed, .denom = sr->n};
		p->waived = (struct ss_report_fig){.count = wv, .denom = sr->n};
		p->missing = (struct ss_report_fig){.count = sr->n - reviewed - wv, .denom = sr->n};
		ra->assigned += sr->n;
		ra->reviewed += reviewed;
		ra->waived += wv;
		ra->missing += sr->n - reviewed - wv;
		ra->months++;
	}
	return 0;
}

static int value_index(const struct ss_question *q, const char *value)
{
	size_t i;

	for (i = 0; value && i < q->nvalues; i++)
		if (strcmp(q->values[i], value) == 0)
			return (int)i;
	return -1;
}

/* Agreement on one record: each reviewing role's modal answer; a tie drops it. */
static void add_agreement(struct ss_report *r, const struct ss_month_state *st, size_t lo,
                          size_t hi)
{
	struct ss_report_acc *a = r->acc;
	const struct ss_question *q;
	size_t nrev = 0, i, k, v, nv;
	size_t tally[16][64];
	int modal[16]; /* value index; -1 no answer; -2 tie */

	if (a->question < 0 || a->npairs == 0)
		return;
	q = &r->policy->questions[a->question];
	nv = q->nvalues;
	for (i = 0; i < a->nroles && a->roles[i].reviewing; i++)
		nrev++;
	if (nrev > 16 || nv > 64)
		return; /* beyond any real policy; agreement left empty */
	memset(tally, 0, sizeof(tally));
	for (k = lo; k < hi; k++) {
		const struct ss_verdict *vd = &st->verdicts[k];
		int vi = value_index(q, ss_verdict_answer(vd, q->id));

		if (vi < 0)
			continue;
		for (i = 0; i < nrev; i++)
			if (strcmp(a->roles[i].name, vd->role) == 0)
				tally[i][vi]++;
	}
	for (i = 0; i < nrev; i++) {
		size_t best = 0;

		modal[i] = -1;
		for (v = 0; v < nv; v++) {
			if (tally[i][v] > best) {
				best = tally[i][v];
				modal[i] = (int)v;
			} else if (tally[i][v] == best && best > 0) {
				modal[i] = -2;
			}
		}
	}
	for (k = 0; k < a->npairs; k++) {
		int ma = modal[a->pair_a[k]], mb = modal[a->pair_b[k]];

		if (ma == -1 || mb == -1)
			continue;
		if (ma == -2 || mb == -2)
			a->pair_ties[k]++;
		else
			a->pair_cells[(k * nv + (size_t)ma) * nv + (size_t)mb]++;
	}
}

/* The record's responses, copied into f. */
static int add_responses(struct ss_report_followup *f, const struct ss_response *rs, size_t n)
{
	size_t k;
	int err = 0;

	if (n == 0)
		return 0;
	if ((f->responses = calloc(n, sizeof(*f->responses))) == NULL)
		return ss_error_nomem();
	for (k = 0; k < n; k++) {
		struct ss_report_response *o = &f->responses[f->nresponses++];

		o->number = rs[k].number;
		o->action = ss_report_dup_or_null(rs[k].action, &err);
		o->note = ss_report_dup_or_null(rs[k].note, &err);
		o->by = ss_report_dup_or_null(rs[k].by, &err);
	}
	return err ? ss_error_nomem() : 0;
}

/* A record goes on the follow-up list when a reviewer gives one of the
 * follow_up answers of the month's policy (mpol: the one its sample names). */
static int add_followup(struct ss_report *r, const struct ss_policy *mpol, const char *month,
                        const struct ss_record *rec, const struct ss_month_state *st, size_t lo,
                        size_t hi)
{
	struct ss_report_acc *a = r->acc;
	struct ss_report_followup *f = NULL;
	const struct ss_response *rs;
	struct ss_rule_value cur;
	char when[SS_UK_TIME_MAX];
	size_t k, j, nrs;
	int err;

	for (k = lo; k < hi; k++) {
		const struct ss_verdict *vd = &st->verdicts[k];

		for (j = 0; j < vd->nanswers; j++) {
			const char *ans = vd->answers[j].value;
			struct ss_report_flag *fl;

			if (ans == NULL || !ss_policy_follow_up(mpol, ans))
				continue;
			if (f == NULL) {
				if ((err = ss_report_grow(&r->followups, &a->follow_cap,
				                          r->nfollowups, sizeof(*r->followups))))
					return err;
				f = &r->followups[r->nfollowups++];
				err = 0;
				cur = ss_month_current(st, rec, SS_F_OUTCOME);
				f->month = ss_report_dup_or_null(month, &err);
				f->id = ss_report_dup_or_null(rec->id, &err);
				f->area = ss_report_dup_or_null(rec->str[SS_F_AREA], &err);
				f->legislation =
				    ss_report_dup_or_null(rec->str[SS_F_LEGISLATION], &err);
				f->outcome = ss_report_dup_or_null(
				    cur.kind == SS_RV_STRING ? cur.s : NULL, &err);
				f->officer = ss_report_dup_or_null(rec->str[SS_F_OFFICER], &err);
				f->closed = st->closed;
				f->days = -1;
				f->datetime = ss_report_dup_or_null(rec->str[SS_F_DATETIME], &err);
				f->when = ss_report_dup_or_null(
				    ss_uk_datetime(rec->str[SS_F_DATETIME], when, sizeof(when)),
				    &err);
				if (err)
					return ss_error_nomem();
				rs = ss_month_responses(st, rec->id, &nrs);
				if ((err = add_responses(f, rs, nrs)))
					return err;
			}
			fl = realloc(f->flags, (f->nflags + 1) * sizeof(*f->flags));
			if (fl == NULL)
				return ss_error_nomem();
			f->flags = fl;
			fl = &f->flags[f->nflags++];
			err = 0;
			fl->role = ss_report_dup_or_null(vd->role, &err);
			fl->reviewer = ss_report_dup_or_null(vd->reviewer, &err);
			fl->question = ss_report_dup_or_null(vd->answers[j].question, &err);
			fl->answer = ss_report_dup_or_null(ans, &err);
			if (err)
				return ss_error_nomem();
		}
	}
	return 0;
}

/* The follow-up list's responses, counted. */
static void count_responses(struct ss_report *r, const struct ss_month_state *st, const char *id,
                            const struct ss_policy *pol)
{
	size_t n;

	if (!ss_month_follow_up(st, pol, id))
		return;
	ss_month_responses(st, id, &n);
	r->followup_responded += n > 0;
	r->followup_responses += n;
}

static int add_verdicts(struct ss_report *r, const struct ss_policy *mpol, const char *month,
                        const struct ss_population *pop, const struct ss_month_state *st)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	size_t lo, hi, k, q, b;
	int err;

	for (lo = 0; lo < st->nverdicts; lo = hi) {
		const char *id = st->verdicts[lo].id;
		const struct ss_record *rec = ss_population_find(pop, id);

		for (hi = lo + 1; hi < st->nverdicts && strcmp(st->verdicts[hi].id, id) == 0; hi++)
			;
		if (rec == NULL) {
			if ((err = ss_report_add_caveat(
			         r,
			         N_("%s: verdicts on %s, which is not in the month's "
			            "records, are left out"),
			         month, id)))
				return err;
			continue;
		}
		for (k = lo; k < hi; k++) {
			const struct ss_verdict *vd = &st->verdicts[k];
			struct ss_report_racc *ra;

			if ((err = ss_report_find_role(r, vd->role, true, &ra)))
				return err;
			if (!ra->reviewing &&
			    (err = ss_report_add_caveat(
			         r,
			         N_("verdicts by the role '%s', which the policy this report "
			            "reads does not have as a reviewing role, count in the "
			            "findings but not in the agreement between roles"),
			         vd->role)))
				return err;
			ra->verdicts++;
			for (q = 0; q < pol->nquestions; q++) {
				const char *ans = ss_verdict_answer(vd, pol->questions[q].id);

				if (ans == NULL)
					continue;
				if ((err = ss_report_counter_add(&ra->q[q].c[0], ans, NULL, 1)))
					return err;
				for (b = 0; b < 3; b++)
					if ((err = ss_report_counter_add(
					         &ra->q[q].c[b + 1],
					         rec->str[ss_report_find_field[b]], ans, 1)))
						return err;
			}
			if (vd->note && *vd->note && !r->public) {
				struct ss_report_note *n;

				if ((err = ss_report_grow(&r->notes, &a->notes_cap, r->nnotes,
				                          sizeof(*r->notes))))
					return err;
				n = &r->notes[r->nnotes++];
				err = 0;
				n->month = ss_report_dup_or_null(month, &err);
				n->id = ss_report_dup_or_null(id, &err);
				n->role = ss_report_dup_or_null(vd->role, &err);
				n->reviewer = ss_report_dup_or_null(vd->reviewer, &err);
				n->note = ss_report_dup_or_null(vd->note, &err);
				if (err)
					return ss_error_nomem();
			}
		}
		add_agreement(r, st, lo, hi);
		count_responses(r, st, id, mpol);
		if ((err = add_followup(r, mpol, month, rec, st, lo, hi)))
			return err;
	}
	return 0;
}

static const char *tri_text(int t)
{
	return t == SS_TRI_TRUE ? "true" : t == SS_TRI_FALSE ? "false" : NULL;
}

static int add_corrections(struct ss_report *r, const struct ss_population *pop,
                           const struct ss_month_state *st)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	size_t lo, hi;
	int err;

	a->ncorrections += st->ncorrections;
	for (lo = 0; lo < st->ncorrections; lo = hi) {
		const char *id = st->corrections[lo].id;
		const struct ss_record *rec = ss_population_find(pop, id);
		struct ss_rule_value o, l;
		const char *was, *now;
		int lwas, lnow;

		for (hi = lo + 1; hi < st->ncorrections && strcmp(st->corrections[hi].id, id) == 0;
		     hi++)
			;
		if (rec == NULL)
			continue;
		a->ncorrected++;
		o = ss_month_current(st, rec, SS_F_OUTCOME);
		l = ss_month_current(st, rec, SS_F_OUTCOME_LINKED);
		was = rec->str[SS_F_OUTCOME];
		now = o.kind == SS_RV_STRING ? o.s : NULL;
		if (!ss_report_str_eq(was, now)) {
			bool pw = ss_policy_outcome_positive(pol, was);
			bool pn = ss_policy_outcome_positive(pol, now);

			if ((err = ss_report_counter_add(&a->fix_outcome, was, now, 1)))
				return err;
			a->pos_gained += !pw && pn;
			a->pos_lost += pw && !pn;
			a->outcome_filled += was == NULL;
			a->outcome_emptied += now == NULL;
		}
		lwas = rec->tri[SS_F_OUTCOME_LINKED];
		lnow = l.kind == SS_RV_BOOL ? (l.b ? SS_TRI_TRUE : SS_TRI_FALSE) : SS_TRI_NULL;
		if (lwas != lnow) {
			if ((err = ss_report_counter_add(&a->fix_linked, tri_text(lwas),
			                                 tri_text(lnow), 1)))
				return err;
			a->link_gained += lwas != SS_TRI_TRUE && lnow == SS_TRI_TRUE;
			a->link_lost += lwas == SS_TRI_TRUE && lnow != SS_TRI_TRUE;
			a->link_filled += lwas == SS_TRI_NULL;
			a->link_emptied += lnow == SS_TRI_NULL;
		}
	}
	return 0;
}

int ss_report_add_month(struct ss_report *r, const char *month, const struct ss_population *pop,
                        const struct ss_sample *sample, const struct ss_month_state *st,
                        bool policy_matches)
{
	return ss_report_add_month_design(r, month, pop, sample, NULL, st, policy_matches);
}

static int add_month(struct ss_report *r, const char *month, const struct ss_population *pop,
                     const struct ss_sample *sample, const struct ss_report_design *design,
                     const struct ss_month_state *st, bool policy_matches,
                     const struct ss_policy *spol);

int ss_report_add_month_design(struct ss_report *r, const char *month,
                               const struct ss_population *pop, const struct ss_sample *sample,
                               const struct ss_report_design *design,
                               const struct ss_month_state *st, bool policy_matches)
{
	return add_month(r, month, pop, sample, design, st, policy_matches, NULL);
}

int ss_report_add_month_policy(struct ss_report *r, const char *month,
                               const struct ss_population *pop, const struct ss_sample *sample,
                               const struct ss_month_state *st, bool policy_matches,
                               const struct ss_policy *sample_policy)
{
	return add_month(r, month, pop, sample, NULL, st, policy_matches, sample_policy);
}

static int add_month(struct ss_report *r, const char *month, const struct ss_population *pop,
                     const struct ss_sample *sample, const struct ss_report_design *design,
                     const struct ss_month_state *st, bool policy_matches,
                     const struct ss_policy *spol)
{
	struct ss_report_design own = {0};
	void *free_me = NULL;
	int err;

	if (r->acc == NULL)
		return ss_error_set(SS_EFAIL, _("the report is already finished"));
	if (pop == NULL)
		return ss_report_strv_push(&r->months_missing, &r->nmonths_missing, month);
	if ((err = ss_report_strv_push(&r->months_data, &r->nmonths_data, month)) ||
	    (err = add_population(r, pop)))
		return err;
	if (sample == NULL) {
		if ((err = ss_report_strv_push(&r->months_unsampled, &r->nmonths_unsampled, month)))
			return err;
	} else {
		if (!policy_matches &&
		    (err = ss_report_add_caveat(
		         r,
		         N_("%s was sampled under a different policy from the one this "
		            "report reads (%s): its questions and roles may differ"),
		         month, r->policy_name)))
			return err;
		if ((err = add_sample(r, month, pop, sample, policy_matches, spol)) ||
		    (err = add_progress(r, month, sample, st)))
			return err;
	}
	if (st != NULL && ((err = add_verdicts(r, spol ? spol : r->policy, month, pop, st)) ||
	                   (err = add_corrections(r, pop, st))))
		return err;
	if (sample != NULL && design == NULL) {
		if ((err = ss_report_design_of(sample, &own, &free_me)))
			return err;
		design = &own;
	}
	err = ss_report_est_add_month(r, month, pop, sample, design, st);
	free(free_me);
	return err;
}

/* Blind review: the verdicts the report's reader has still to make are not
 * theirs to see (blind.h), in any figure built from them. */
static int leave_out_blind(struct ss_report *r, struct ss_trail *t, const struct ss_oid *commit,
                           const char *month, const struct ss_sample *s, struct ss_month_state *st)
{
	struct ss_registry *reg = NULL;
	size_t hidden = 0;
	int err;

	if (r->reader == NULL || !r->policy->blind || st->nverdicts == 0)
		return 0;
	if ((err = ss_registry_load(t, commit, &reg)) ||
	    (err = ss_blind_filter_state(r->policy, reg, r->reader, s, st, &hidden)))
		goto out;
	if (hidden)
		err = ss_report_add_caveat(
		    r,
		    hidden == 1
		        ? N_("%s: the verdicts on %zu record that you (%s) have still to review "
		             "are "
		             "left out of this report, its findings and its progress, as the "
		             "policy "
		             "asks for blind review; run it again once you have recorded yours")
		        : N_("%s: the verdicts on %zu records that you (%s) have still to review "
		             "are left out of this report, its findings and its progress, as the "
		             "policy asks for blind review; run it again once you have recorded "
		             "yours"),
		    month, hidden, r->reader);
out:
	ss_registry_free(reg);
	return err;
}

/* The string fields a report reads of every record: its tables (by field,
 * census, findings by field), findings' area, legislation and officer, and
 * the follow-up list's time. */
static uint32_t report_fields(void)
{
	uint32_t fields = SS_STORED_BIT(SS_F_AREA) | SS_STORED_BIT(SS_F_LEGISLATION) |
	                  SS_STORED_BIT(SS_F_OFFICER) | SS_STORED_BIT(SS_F_OUTCOME) |
	                  SS_STORED_BIT(SS_F_OFFICER_DEFINED_ETHNICITY) |
	                  SS_STORED_BIT(SS_F_DATETIME); /* the follow-up list's times */
	size_t k;

	for (k = 0; k < SS_REPORT_NBY; k++)
		fields |= SS_STORED_BIT(ss_report_by_field[k]);
	for (k = 0; k < 3; k++)
		fields |= SS_STORED_BIT(ss_report_find_field[k]);
	return fields;
}

int ss_report_load_month(struct ss_report *r, struct ss_trail *t, const struct ss_oid *commit,
                         const char *month, const char *policy_sha256,
                         void (*progress)(void *arg, size_t records, bool done), void *progress_arg)
{
	struct ss_month_read rd = {.keep = {.fields = report_fields()},
	                           .progress = progress,
	                           .progress_arg = progress_arg};
	struct ss_population *pop = NULL;
	struct ss_sample *s = NULL;
	struct ss_month_state *st = NULL;
	struct ss_policy *spol = NULL;
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX];
	bool matches;
	int err;

	ss_layout_population(path, sizeof(path), month);
	err = ss_git_blob_id(t, commit, path, &blob);
	if (err == SS_ENOTFOUND)
		return ss_report_add_month(r, month, NULL, NULL, NULL, true);
	if (err)
		return err;
	if ((err = ss_month_population_read(t, commit, month, &rd, &pop)))
		goto out;
	ss_layout_sample(path, sizeof(path), month);
	err = ss_git_blob_id(t, commit, path, &blob);
	if (err == 0)
		err = ss_month_sample(t, commit, month, &s);
	else if (err == SS_ENOTFOUND)
		err = 0;
	if (err || (err = ss_month_state_load(t, commit, month, &st)) ||
	    (err = leave_out_blind(r, t, commit, month, s, st)))
		goto out;
	matches = s == NULL || strcmp(s->policy_sha256, policy_sha256) == 0;
	if (s && !matches && (err = ss_state_policy_of_digest(t, commit, s->policy_sha256, &spol)))
		goto out;
	err = ss_report_add_month_policy(r, month, pop, s, st, matches, spol);
out:
	ss_policy_free(spol);
	ss_month_state_free(st);
	ss_sample_free(s);
	ss_population_free(pop);
	return err;
}
