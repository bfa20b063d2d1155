/*
 * report_csv.c - the report in long format (RFC 4180, CRLF): one row per
 * figure, nine columns, for a spreadsheet to filter and pivot:
 *   section,month,breakdown,key,subkey,count,denominator,percent,value
 * month is the month a figure belongs to, or FROM..TO for one over the range.
 * A text cell that a spreadsheet would take for a formula (starting with =, +,
 * @, or - when it is not a number) gets a leading ' so it stays text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "textout.h"

struct cx {
	const struct ss_report *r;
	struct ss_buf *b;
	int err;
};

static bool numeric(const char *s)
{
	if (*s == '-')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s; s++)
		if ((*s < '0' || *s > '9') && *s != '.')
			return false;
	return true;
}

static int text(struct ss_buf *b, const char *s)
{
	char *guarded;
	int err;

	if (s == NULL || !(*s == '=' || *s == '+' || *s == '@' || (*s == '-' && !numeric(s))))
		return ss_textout_csv(b, s, false);
	if ((guarded = malloc(strlen(s) + 2)) == NULL)
		return SS_ENOMEM;
	guarded[0] = '\'';
	strcpy(guarded + 1, s);
	err = ss_textout_csv(b, guarded, false);
	free(guarded);
	return err;
}

static void row(struct cx *x, const char *section, const char *month, const char *breakdown,
                const char *key, const char *subkey, const struct ss_report_fig *f,
                const char *value)
{
	char count[32] = "", denom[32] = "", pct[32] = "", blank[64];

	if (x->err)
		return;
	if (f && f->field && value == NULL) {
		/* blanks are never zeros: say how many are not recorded */
		if (f->denom == 0)
			snprintf(blank, sizeof(blank), "not recorded");
		else if (f->unrecorded_hidden)
			snprintf(blank, sizeof(blank), "not recorded: [c]");
		else
			snprintf(blank, sizeof(blank), "not recorded: %zu", f->unrecorded);
		value = blank;
	}
	if (f && f->field && f->denom == 0) {
		snprintf(denom, sizeof(denom), "0"); /* recorded in none: no count, no share */
	} else if (f) {
		struct ss_report_fig d = {.count = f->denom, .hidden = f->denom_hidden};
		unsigned long long t;

		ss_report_count_text(x->r, f, count, sizeof(count));
		if (f->denom)
			ss_report_count_text(x->r, &d, denom, sizeof(denom));
		if (ss_report_pct_tenths(f, &t))
			snprintf(pct, sizeof(pct), "%llu.%llu", t / 10, t % 10);
	}
	if (ss_textout_csv(x->b, section, true) || ss_textout_csv(x->b, month, false) ||
	    text(x->b, breakdown) || text(x->b, key) || text(x->b, subkey) ||
	    ss_textout_csv(x->b, count, false) || ss_textout_csv(x->b, denom, false) ||
	    ss_textout_csv(x->b, pct, false) || text(x->b, value) || ss_textout_csv_end(x->b))
		x->err = SS_ENOMEM;
}

static void table(struct cx *x, const char *section, const char *month, const char *breakdown,
                  const struct ss_report_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		row(x, section, month, breakdown, t->rows[i].key, t->rows[i].subkey,
		    &t->rows[i].fig, NULL);
}

static void population(struct cx *x)
{
	const struct ss_report *r = x->r;
	const char *m = r->range;
	char v[32], w[32];
	size_t k, i;

	row(x, "population", m, "total", "searches", NULL, &r->searches, NULL);
	row(x, "population", m, "total", "positive", NULL, &r->positive, NULL);
	row(x, "population", m, "total", "linked", NULL, &r->linked, NULL);
	row(x, "population", m, "total", "strip_searches", NULL, &r->strip, NULL);
	row(x, "population", m, "total", "children", NULL, &r->children, NULL);
	for (k = 0; k < SS_REPORT_NBY; k++)
		table(x, "population", m, r->by[k].name, &r->by[k]);
	if (!r->census)
		return;
	row(x, "census", m, "source", NULL, NULL, NULL, r->census_source);
	for (i = 0; i < r->nrates; i++) {
		const struct ss_report_rate *rt = &r->rates[i];
		const char *area = rt->area ? rt->area : "whole force";

		snprintf(v, sizeof(v), "%lu", rt->residents);
		row(x, "census", m, "residents", area, rt->ethnicity, NULL, v);
		row(x, "census", m, "searches", area, rt->ethnicity, &rt->searches, NULL);
		if (rt->rate_defined)
			ss_report_x100_text(rt->per1000_x100, v, sizeof(v));
		row(x, "census", m, "per_1000", area, rt->ethnicity, NULL,
		    rt->rate_defined ? v : "");
		if (rt->ratio_defined)
			ss_report_x100_text(rt->ratio_x100, w, sizeof(w));
		row(x, "census", m, "ratio_to_white", area, rt->ethnicity, NULL,
		    rt->ratio_defined ? w : "");
	}
	row(x, "census", m, "outside_groups", NULL, NULL, &r->outside_groups, NULL);
}

static void sample(struct cx *x)
{
	const struct ss_report *r = x->r;
	size_t i, j;

	for (i = 0; i < r->nsamples; i++) {
		const struct ss_report_sample *s = &r->samples[i];

		row(x, "sample", s->month, "seed", NULL, NULL, NULL, s->seed);
		row(x, "sample", s->month, "seed_source", NULL, NULL, NULL,
		    s->generated ? "generated" : "given");
		row(x, "sample", s->month, "rate", NULL, NULL, NULL, s->rate);
		row(x, "sample", s->month, "policy_matches", NULL, NULL, NULL,
		    s->policy_matches ? "true" : "false");
		row(x, "sample", s->month, "sampled", NULL, NULL, &s->sampled, NULL);
		row(x, "sample", s->month, "always", NULL, NULL, &s->always, NULL);
		row(x, "sample", s->month, "core", NULL, NULL, &s->core, NULL);
		row(x, "sample", s->month, "targeted", NULL, NULL, &s->targeted, NULL);
		row(x, "sample", s->month, "not_reached", NULL, NULL, &s->not_reached, NULL);
		for (j = 0; j < s->nwarnings; j++)
			row(x, "sample", s->month, "warning", NULL, NULL, NULL, s->warnings[j]);
		for (j = 0; j < s->nstrata; j++) {
			const struct ss_report_stratum *st = &s->strata[j];

			row(x, "sample", s->month, "stratum", st->label, "population",
			    &st->population, st->key);
			row(x, "sample", s->month, "stratum", st->label, "core", &st->core,
			    st->key);
			row(x, "sample", s->month, "stratum", st->label, "always", &st->always,
			    st->key);
			row(x, "sample", s->month, "stratum", st->label, "targeted", &st->targeted,
			    st->key);
			row(x, "sample", s->month, "stratum", st->label, "not_reached",
			    &st->not_reached, st->key);
			row(x, "sample", s->month, "stratum", st->label, "drawn", &st->drawn,
			    st->key);
		}
		for (j = 0; j < s->nblanks; j++)
			row(x, "sample", s->month, "blanks", s->blanks[j].field, NULL,
			    &s->blanks[j].count, NULL);
	}
}

static void progress(struct cx *x)
{
	const struct ss_report *r = x->r;
	size_t i;

	for (i = 0; i < r->nprogress; i++) {
		const struct ss_report_progress *p = &r->progress[i];
		const char *m = p->month ? p->month : r->range;

		row(x, "progress", m, "assigned", p->role, NULL, &p->assigned, NULL);
		row(x, "progress", m, "reviewed", p->role, NULL, &p->reviewed, NULL);
		row(x, "progress", m, "waived", p->role, NULL, &p->waived, NULL);
		row(x, "progress", m, "missing", p->role, NULL, &p->missing, NULL);
	}
}

static void findings(struct cx *x)
{
	const struct ss_report *r = x->r;
	char section[160];
	size_t i, q, b;

	for (i = 0; i < r->nfindings; i++) {
		const struct ss_report_findings *f = &r->findings[i];

		row(x, "findings", r->range, "verdicts", f->role, NULL, &f->verdicts, NULL);
		for (q = 0; q < f->nquestions; q++) {
			const struct ss_report_qfind *qf = &f->questions[q];

			/* breakdown: QUESTION (overall) or QUESTION by FIELD; key the
			 * record's value, subkey the answer */
			snprintf(section, sizeof(section), "findings:%s", f->role);
			table(x, section, r->range, qf->id, &qf->answers);
			for (b = 0; b < 3; b++) {
				char bd[128];

				snprintf(bd, sizeof(bd), "%s by %s", qf->id, qf->by[b].name);
				table(x, section, r->range, bd, &qf->by[b]);
			}
		}
	}
}

static void agreement(struct cx *x)
{
	const struct ss_report *r = x->r;
	const struct ss_report_agreement *ag = &r->agreement;
	char roles[160], k[32];
	size_t i, j, m;

	for (i = 0; i < ag->npairs; i++) {
		const struct ss_report_pair *p = &ag->pairs[i];

		snprintf(roles, sizeof(roles), "%s/%s", p->role_a, p->role_b);
		row(x, "agreement", r->range, "records", roles, ag->question, &p->records, NULL);
		row(x, "agreement", r->range, "agreeing", roles, ag->question, &p->agreeing, NULL);
		ss_report_kappa_text(p, k, sizeof(k));
		row(x, "agreement", r->range, "kappa", roles, ag->question, NULL, k);
		if (p->kappa_defined && !p->kappa_hidden) {
			snprintf(k, sizeof(k), "%lld/%lld", p->kappa_num, p->kappa_den);
			row(x, "agreement", r->range, "kappa_exact", roles, ag->question, NULL, k);
		}
		row(x, "agreement", r->range, "ties_dropped", roles, ag->question, &p->ties, NULL);
		for (j = 0; j < ag->nvalues; j++)
			for (m = 0; m < ag->nvalues; m++) {
				char cell[160];

				snprintf(cell, sizeof(cell), "%s/%s", ag->values[j], ag->values[m]);
				row(x, "agreement", r->range, "table", roles, cell,
				    &p->cell_figs[j * ag->nvalues + m], NULL);
			}
	}
}

static void corrections(struct cx *x)
{
	const struct ss_report *r = x->r;
	const struct ss_report_corrections *c = &r->corrections;
	const char *m = r->range;

	row(x, "corrections", m, "total", "corrections", NULL, &c->corrections, NULL);
	row(x, "corrections", m, "total", "records", NULL, &c->records, NULL);
	row(x, "corrections", m, "positive", "recorded", NULL, &c->positive_recorded, NULL);
	row(x, "corrections", m, "positive", "corrected", NULL, &c->positive_corrected, NULL);
	row(x, "corrections", m, "linked", "recorded", NULL, &c->linked_recorded, NULL);
	row(x, "corrections", m, "linked", "corrected", NULL, &c->linked_corrected, NULL);
	table(x, "corrections", m, "outcome", &c->outcome);
	table(x, "corrections", m, "outcome_linked_to_object_of_search", &c->linked);
}

static void followups(struct cx *x)
{
	const struct ss_report *r = x->r;
	size_t i, j;
	char who[160];

	if (r->public) { /* ids, officers and notes left out: the count only */
		row(x, "follow_up", r->range, "total", "items", NULL, &r->followup_items, NULL);
		row(x, "follow_up", r->range, "total", "responded", NULL, &r->followup_answered,
		    NULL);
		row(x, "follow_up", r->range, "total", "responses", NULL, &r->followup_given, NULL);
		return;
	}
	for (i = 0; i < r->nfollowups; i++) {
		const struct ss_report_followup *f = &r->followups[i];

		row(x, "follow_up", f->month, "area", f->id, NULL, NULL, f->area);
		row(x, "follow_up", f->month, "legislation", f->id, NULL, NULL, f->legislation);
		row(x, "follow_up", f->month, "outcome", f->id, NULL, NULL, f->outcome);
		row(x, "follow_up", f->month, "officer", f->id, NULL, NULL, f->officer);
		row(x, "follow_up", f->month, "when", f->id, NULL, NULL, f->when);
		for (j = 0; j < f->nflags; j++) {
			snprintf(who, sizeof(who), "%s (%s)", f->flags[j].reviewer,
			         f->flags[j].role);
			row(x, "follow_up", f->month, f->flags[j].question, f->id, who, NULL,
			    f->flags[j].answer);
		}
		for (j = 0; j < f->nresponses; j++) {
			const struct ss_report_response *rp = &f->responses[j];
			char day[11] = "";

			if (rp->when > 0)
				ss_report_uk_day(rp->when, day);
			snprintf(who, sizeof(who), "%u %s (%s) %s", rp->number, rp->by,
			         rp->role ? rp->role : "", day);
			row(x, "follow_up", f->month, "response", f->id, who, NULL, rp->action);
			if (rp->note)
				row(x, "follow_up", f->month, "response_note", f->id, who, NULL,
				    rp->note);
		}
		if (f->nresponses == 0) {
			snprintf(who, sizeof(who), "%ld", f->days);
			row(x, "follow_up", f->month, "awaiting", f->id,
			    f->days >= 0 ? "days_since_close" : (f->closed ? "closed" : "open"),
			    NULL, f->days >= 0 ? who : NULL);
		}
	}
}

static void notes(struct cx *x)
{
	const struct ss_report *r = x->r;
	char who[160];
	size_t i;

	for (i = 0; i < r->nnotes; i++) {
		snprintf(who, sizeof(who), "%s (%s)", r->notes[i].reviewer, r->notes[i].role);
		row(x, "notes", r->notes[i].month, "note", r->notes[i].id, who, NULL,
		    r->notes[i].note);
	}
}

/* One row per estimate: count the answered core records giving the answer,
 * denominator those answered, value "estimate=P lower=L upper=U method=M"
 * (proportions from 0 to 1); then its targeted reviews and the strata not
 * reached. */
static void estimates(struct cx *x)
{
	const struct ss_report *r = x->r;
	char v[160];
	size_t i, j;

	for (i = 0; i < r->nmonths_v1; i++)
		row(x, "estimates", r->months_v1[i], "no_random_core", NULL, NULL, NULL,
		    "sampled without a random core: no estimate");
	for (i = 0; i < r->nestimates; i++) {
		const struct ss_report_estimate *e = &r->estimates[i];
		const char *m = e->month ? e->month : r->range;
		struct ss_report_fig f = {.count = e->yes, .hidden = e->hidden};
		struct ss_report_fig t = {.count = e->targeted_yes, .hidden = e->hidden};

		if (e->hidden)
			snprintf(v, sizeof(v), "withheld");
		else if (e->e.method == SS_ESTIMATE_NONE)
			snprintf(v, sizeof(v), "no estimate");
		else
			snprintf(v, sizeof(v),
			         "estimate=%.6f lower=%.6f upper=%.6f n=%zu method=%s",
			         e->e.estimate, e->e.lower, e->e.upper, e->e.n,
			         e->e.method == SS_ESTIMATE_BETA ? "beta" : "clopper-pearson");
		row(x, "estimates", m, e->role, e->question, e->answer, &f, v);
		snprintf(v, sizeof(v), "targeted reviews of %zu searches, apart", e->targeted);
		row(x, "estimates_targeted", m, e->role, e->question, e->answer, &t, v);
		for (j = 0; j < e->nmissing; j++)
			row(x, "estimates_strata_missing", m, e->role, e->question, e->answer, NULL,
			    e->missing[j]);
	}
}

static void trend(struct cx *x)
{
	const struct ss_report *r = x->r;
	char v[96];
	size_t i, j;

	for (i = 0; i < r->ntrend; i++) {
		const struct ss_report_trend *t = &r->trend[i];

		row(x, "trend", t->month, "searches", NULL, NULL, &t->searches, NULL);
		row(x, "trend", t->month, "positive_recorded", NULL, NULL, &t->positive_recorded,
		    NULL);
		row(x, "trend", t->month, "positive_corrected", NULL, NULL, &t->positive_corrected,
		    NULL);
		row(x, "trend", t->month, "sampled", NULL, NULL, &t->sampled, NULL);
		row(x, "trend", t->month, "reviewed", NULL, NULL, &t->reviewed, NULL);
		for (j = 0; j < r->nestimates; j++) {
			const struct ss_report_estimate *e = &r->estimates[j];

			if (!e->month || strcmp(e->month, t->month) != 0 ||
			    strcmp(e->question, "grounds") != 0 ||
			    strcmp(e->answer, "not-reasonable") != 0)
				continue;
			ss_report_estimate_short(NULL, e, v, sizeof(v));
			row(x, "trend", t->month, "not_reasonable_grounds", e->role, NULL, NULL, v);
		}
	}
}

int ss_report_csv(const struct ss_report *r, struct ss_buf *out)
{
	struct cx x = {r, out, 0};
	size_t i;

	if (ss_textout_csv(out, "section", true) || ss_textout_csv(out, "month", false) ||
	    ss_textout_csv(out, "breakdown", false) || ss_textout_csv(out, "key", false) ||
	    ss_textout_csv(out, "subkey", false) || ss_textout_csv(out, "count", false) ||
	    ss_textout_csv(out, "denominator", false) || ss_textout_csv(out, "percent", false) ||
	    ss_textout_csv(out, "value", false) || ss_textout_csv_end(out))
		return ss_error_nomem();
	row(&x, "report", r->range, "format", NULL, NULL, NULL, SS_REPORT_FORMAT);
	row(&x, "report", r->range, "title", NULL, NULL, NULL, r->title);
	row(&x, "report", r->range, "policy", NULL, NULL, NULL, r->policy_name);
	row(&x, "report", r->range, "public", NULL, NULL, NULL, r->public ? "true" : "false");
	if (r->public)
		row(&x, "report", r->range, "confidential", "[c]", NULL, NULL,
		    "a count kept confidential: hidden because it is small, or because it would "
		    "give a small one away");
	for (i = 0; i < r->nmonths_data; i++)
		row(&x, "report", r->months_data[i], "month", "with_data", NULL, NULL, NULL);
	for (i = 0; i < r->nmonths_missing; i++)
		row(&x, "report", r->months_missing[i], "month", "without_data", NULL, NULL, NULL);
	for (i = 0; i < r->nmonths_unsampled; i++)
		row(&x, "report", r->months_unsampled[i], "month", "not_sampled", NULL, NULL, NULL);
	for (i = 0; i < r->ncaveats; i++)
		row(&x, "report", r->range, "caveat", NULL, NULL, NULL, r->caveats[i]);
	population(&x);
	sample(&x);
	progress(&x);
	findings(&x);
	agreement(&x);
	corrections(&x);
	followups(&x);
	notes(&x);
	estimates(&x);
	trend(&x);
	return x.err ? ss_error_nomem() : 0;
}
