/*
 * report_json.c - the report as JSON, format "ssaudit-report-v1"; the shape
 * is documented in report.h. Written by hand (keys in a fixed order, two
 * spaces of indent) so the same trail always gives the same bytes.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

struct jx {
	const struct ss_report *r;
	struct ss_buf *b;
	int err;
};

static void raw(struct jx *x, const char *s)
{
	if (!x->err)
		x->err = ss_buf_puts(x->b, s);
}

static void str(struct jx *x, const char *s)
{
	if (!x->err)
		x->err = ss_buf_json_string_or_null(x->b, s);
}

static void key(struct jx *x, const char *k)
{
	str(x, k);
	raw(x, ": ");
}

static void num(struct jx *x, size_t n)
{
	if (!x->err)
		x->err = ss_buf_printf(x->b, "%zu", n);
}

static void boolean(struct jx *x, bool v)
{
	raw(x, v ? "true" : "false");
}

static void x100(struct jx *x, bool defined, unsigned long long v)
{
	char s[32];

	if (!defined) {
		raw(x, "null");
		return;
	}
	ss_report_x100_text(v, s, sizeof(s));
	raw(x, s);
}

/* FIG's members, without braces. */
static void fig_members(struct jx *x, const struct ss_report_fig *f)
{
	unsigned long long t;
	char shown[32];

	bool none = f->field && f->denom == 0; /* blank in every record */

	ss_report_count_text(x->r, f, shown, sizeof(shown));
	if (none)
		snprintf(shown, sizeof(shown), "not recorded");
	key(x, "count");
	if (f->hidden || none)
		raw(x, "null");
	else
		num(x, f->count);
	raw(x, ", ");
	key(x, "shown");
	str(x, shown);
	raw(x, ", ");
	key(x, "denominator");
	if (f->denom == 0 || f->denom_hidden)
		raw(x, "null");
	else
		num(x, f->denom);
	raw(x, ", ");
	key(x, "percent");
	if (ss_report_pct_tenths(f, &t)) {
		if (!x->err)
			x->err = ss_buf_printf(x->b, "%llu.%llu", t / 10, t % 10);
	} else {
		raw(x, "null");
	}
	raw(x, ", ");
	key(x, "fewer_than_10");
	boolean(x, ss_report_fig_few(f));
	raw(x, ", ");
	key(x, "hidden");
	boolean(x, f->hidden);
	raw(x, ", ");
	key(x, "recorded");
	if (f->field && !f->denom_hidden)
		num(x, f->denom);
	else
		raw(x, "null");
	raw(x, ", ");
	key(x, "not_recorded");
	if (f->field && !f->unrecorded_hidden)
		num(x, f->unrecorded);
	else
		raw(x, "null");
}

static void fig(struct jx *x, const struct ss_report_fig *f)
{
	raw(x, "{");
	fig_members(x, f);
	raw(x, "}");
}

static void kfig(struct jx *x, const char *k, const struct ss_report_fig *f, bool last)
{
	key(x, k);
	fig(x, f);
	raw(x, last ? "" : ", ");
}

static void table(struct jx *x, const struct ss_report_table *t, const char *indent)
{
	size_t i;

	raw(x, "{");
	key(x, "name");
	str(x, t->name);
	raw(x, ", ");
	key(x, "title");
	str(x, t->title);
	raw(x, ", ");
	key(x, "rows");
	raw(x, "[");
	for (i = 0; i < t->nrows; i++) {
		raw(x, i ? ",\n" : "\n");
		raw(x, indent);
		raw(x, "  {");
		key(x, "key");
		str(x, t->rows[i].key);
		raw(x, ", ");
		key(x, "subkey");
		str(x, t->rows[i].subkey);
		raw(x, ", ");
		fig_members(x, &t->rows[i].fig);
		raw(x, "}");
	}
	if (t->nrows) {
		raw(x, "\n");
		raw(x, indent);
	}
	raw(x, "]}");
}

static void strv(struct jx *x, char **v, size_t n)
{
	size_t i;

	raw(x, "[");
	for (i = 0; i < n; i++) {
		if (i)
			raw(x, ", ");
		str(x, v[i]);
	}
	raw(x, "]");
}

static void population(struct jx *x)
{
	const struct ss_report *r = x->r;
	size_t k, i;

	raw(x, "  \"population\": {\n    ");
	kfig(x, "searches", &r->searches, false);
	raw(x, "\n    ");
	kfig(x, "positive", &r->positive, false);
	raw(x, "\n    ");
	kfig(x, "strip_searches", &r->strip, false);
	raw(x, "\n    ");
	kfig(x, "children", &r->children, false);
	raw(x, "\n    ");
	kfig(x, "linked", &r->linked, false);
	raw(x, "\n    \"breakdowns\": [");
	for (k = 0; k < SS_REPORT_NBY; k++) {
		raw(x, k ? ",\n      " : "\n      ");
		table(x, &r->by[k], "      ");
	}
	raw(x, "\n    ],\n    \"census\": ");
	if (!r->census) {
		raw(x, "null\n  },\n");
		return;
	}
	raw(x, "{\n      ");
	key(x, "source");
	str(x, r->census_source);
	raw(x, ",\n      \"rates\": [");
	for (i = 0; i < r->nrates; i++) {
		const struct ss_report_rate *rt = &r->rates[i];

		raw(x, i ? ",\n        {" : "\n        {");
		key(x, "area");
		str(x, rt->area);
		raw(x, ", ");
		key(x, "ethnicity");
		str(x, rt->ethnicity);
		raw(x, ", ");
		key(x, "residents");
		if (!x->err)
			x->err = ss_buf_printf(x->b, "%lu", rt->residents);
		raw(x, ", ");
		kfig(x, "searches", &rt->searches, false);
		key(x, "per_1000");
		x100(x, rt->rate_defined, rt->per1000_x100);
		raw(x, ", ");
		key(x, "ratio_to_white");
		x100(x, rt->ratio_defined, rt->ratio_x100);
		raw(x, ", ");
		key(x, "fewer_than_10");
		boolean(x, rt->few);
		raw(x, "}");
	}
	raw(x, r->nrates ? "\n      ],\n      " : "],\n      ");
	kfig(x, "searches_outside_groups", &r->outside_groups, true);
	raw(x, "\n    }\n  },\n");
}

static void sample(struct jx *x)
{
	const struct ss_report *r = x->r;
	size_t i, j;

	raw(x, "  \"sample\": [");
	for (i = 0; i < r->nsamples; i++) {
		const struct ss_report_sample *s = &r->samples[i];

		raw(x, i ? ",\n    {" : "\n    {");
		key(x, "month");
		str(x, s->month);
		raw(x, ", ");
		key(x, "seed");
		str(x, s->seed);
		raw(x, ", ");
		key(x, "seed_source");
		str(x, s->generated ? "generated" : "given");
		raw(x, ", ");
		key(x, "rate");
		str(x, s->rate);
		raw(x, ", ");
		key(x, "policy_matches");
		boolean(x, s->policy_matches);
		raw(x, ",\n     ");
		kfig(x, "sampled", &s->sampled, false);
		raw(x, "\n     ");
		kfig(x, "always", &s->always, false);
		raw(x, "\n     ");
		kfig(x, "core", &s->core, false);
		raw(x, "\n     ");
		kfig(x, "targeted", &s->targeted, false);
		raw(x, "\n     ");
		kfig(x, "not_reached", &s->not_reached, false);
		raw(x, "\n     \"warnings\": [");
		for (j = 0; j < s->nwarnings; j++) {
			raw(x, j ? ",\n       " : "\n       ");
			str(x, s->warnings[j]);
		}
		raw(x, s->nwarnings ? "\n     ],\n     \"strata\": [" : "],\n     \"strata\": [");
		for (j = 0; j < s->nstrata; j++) {
			const struct ss_report_stratum *st = &s->strata[j];

			raw(x, j ? ",\n       {" : "\n       {");
			/* the key is sample.json's compact JSON array, copied as it is */
			key(x, "key");
			raw(x, st->key);
			raw(x, ", ");
			key(x, "label");
			str(x, st->label);
			raw(x, ", ");
			kfig(x, "population", &st->population, false);
			kfig(x, "core", &st->core, false);
			kfig(x, "always", &st->always, false);
			kfig(x, "targeted", &st->targeted, false);
			kfig(x, "not_reached", &st->not_reached, false);
			kfig(x, "drawn", &st->drawn, true);
			raw(x, "}");
		}
		raw(x, s->nstrata ? "\n     ],\n     \"blanks\": [" : "],\n     \"blanks\": [");
		for (j = 0; j < s->nblanks; j++) {
			raw(x, j ? ",\n       {" : "\n       {");
			key(x, "field");
			str(x, s->blanks[j].field);
			raw(x, ", ");
			kfig(x, "count", &s->blanks[j].count, true);
			raw(x, "}");
		}
		raw(x, s->nblanks ? "\n     ]}" : "]}");
	}
	raw(x, r->nsamples ? "\n  ],\n" : "],\n");
}

static void progress(struct jx *x)
{
	const struct ss_report *r = x->r;
	size_t i;

	raw(x, "  \"progress\": [");
	for (i = 0; i < r->nprogress; i++) {
		const struct ss_report_progress *p = &r->progress[i];

		raw(x, i ? ",\n    {" : "\n    {");
		key(x, "role");
		str(x, p->role);
		raw(x, ", ");
		key(x, "month");
		str(x, p->month);
		raw(x, ",\n     ");
		kfig(x, "assigned", &p->assigned, false);
		raw(x, "\n     ");
		kfig(x, "reviewed", &p->reviewed, false);
		raw(x, "\n     ");
		kfig(x, "waived", &p->waived, false);
		raw(x, "\n     ");
		kfig(x, "missing", &p->missing, true);
		raw(x, "}");
	}
	raw(x, r->nprogress ? "\n  ],\n" : "],\n");
}

static void findings(struct jx *x)
{
	const struct ss_report *r = x->r;
	size_t i, q, b;

	raw(x, "  \"findings\": [");
	for (i = 0; i < r->nfindings; i++) {
		const struct ss_report_findings *f = &r->findings[i];

		raw(x, i ? ",\n    {" : "\n    {");
		key(x, "role");
		str(x, f->role);
		raw(x, ", ");
		kfig(x, "verdicts", &f->verdicts, false);
		raw(x, "\n     \"questions\": [");
		for (q = 0; q < f->nquestions; q++) {
			const struct ss_report_qfind *qf = &f->questions[q];

			raw(x, q ? ",\n      {" : "\n      {");
			key(x, "id");
			str(x, qf->id);
			raw(x, ", ");
			key(x, "question");
			str(x, qf->question);
			raw(x, ",\n       \"answers\": ");
			table(x, &qf->answers, "       ");
			raw(x, ",\n       \"by\": [");
			for (b = 0; b < 3; b++) {
				raw(x, b ? ",\n        " : "\n        ");
				table(x, &qf->by[b], "        ");
			}
			raw(x, "\n       ]}");
		}
		raw(x, f->nquestions ? "\n     ]}" : "]}");
	}
	raw(x, r->nfindings ? "\n  ],\n" : "],\n");
}

static void agreement(struct jx *x)
{
	const struct ss_report_agreement *ag = &x->r->agreement;
	size_t i, j, k, cells = 0;
	char kt[32];

	raw(x, "  \"agreement\": {");
	key(x, "question");
	str(x, ag->question);
	raw(x, ", ");
	key(x, "values");
	strv(x, ag->values, ag->nvalues);
	raw(x, ",\n    \"pairs\": [");
	for (i = 0; i < ag->npairs; i++) {
		const struct ss_report_pair *p = &ag->pairs[i];

		raw(x, i ? ",\n      {" : "\n      {");
		key(x, "roles");
		raw(x, "[");
		str(x, p->role_a);
		raw(x, ", ");
		str(x, p->role_b);
		raw(x, "], ");
		kfig(x, "records", &p->records, false);
		raw(x, "\n       ");
		kfig(x, "agreeing", &p->agreeing, false);
		raw(x, "\n       ");
		key(x, "kappa");
		ss_report_kappa_text(p, kt, sizeof(kt));
		raw(x, p->kappa_defined && !p->kappa_hidden ? kt : "null");
		raw(x, ", ");
		key(x, "kappa_exact");
		if (p->kappa_defined && !p->kappa_hidden) {
			if (!x->err)
				x->err = ss_buf_printf(x->b, "\"%lld/%lld\"", p->kappa_num,
				                       p->kappa_den);
		} else {
			raw(x, "null");
		}
		raw(x, ", ");
		key(x, "kappa_defined");
		boolean(x, p->kappa_defined);
		raw(x, ",\n       ");
		kfig(x, "ties_dropped", &p->ties, false);
		raw(x, "\n       \"table\": [");
		cells = 0;
		for (j = 0; j < ag->nvalues; j++)
			for (k = 0; k < ag->nvalues; k++) {
				raw(x, cells++ ? ",\n         {" : "\n         {");
				key(x, "a");
				str(x, ag->values[j]);
				raw(x, ", ");
				key(x, "b");
				str(x, ag->values[k]);
				raw(x, ", ");
				kfig(x, "count", &p->cell_figs[j * ag->nvalues + k], true);
				raw(x, "}");
			}
		raw(x, cells ? "\n       ]}" : "]}");
	}
	raw(x, ag->npairs ? "\n    ]},\n" : "]},\n");
}

static void corrections(struct jx *x)
{
	const struct ss_report_corrections *c = &x->r->corrections;

	raw(x, "  \"corrections\": {\n    ");
	kfig(x, "corrections", &c->corrections, false);
	raw(x, "\n    ");
	kfig(x, "records", &c->records, false);
	raw(x, "\n    \"outcome\": ");
	table(x, &c->outcome, "    ");
	raw(x, ",\n    \"linked\": ");
	table(x, &c->linked, "    ");
	raw(x, ",\n    ");
	kfig(x, "positive_recorded", &c->positive_recorded, false);
	raw(x, "\n    ");
	kfig(x, "positive_corrected", &c->positive_corrected, false);
	raw(x, "\n    ");
	kfig(x, "linked_recorded", &c->linked_recorded, false);
	raw(x, "\n    ");
	kfig(x, "linked_corrected", &c->linked_corrected, true);
	raw(x, "\n  },\n");
}

/* "responses": [{"number", "action", "wording", "note", "by", "role", "date"}...],
 * "awaiting": bool, "closed": bool, "days_since_close": int|null */
static void followup_responses(struct jx *x, const struct ss_report_followup *f)
{
	char day[11], n[32];
	size_t k;

	raw(x, "\"responses\": [");
	for (k = 0; k < f->nresponses; k++) {
		const struct ss_report_response *rp = &f->responses[k];

		snprintf(n, sizeof(n), "%u", rp->number);
		raw(x, k ? ", {" : "{");
		key(x, "number");
		raw(x, n);
		raw(x, ", ");
		key(x, "action");
		str(x, rp->action);
		raw(x, ", ");
		key(x, "wording");
		str(x, ss_policy_response_words(x->r->policy, rp->action, "en"));
		raw(x, ", ");
		key(x, "note");
		str(x, rp->note);
		raw(x, ", ");
		key(x, "by");
		str(x, rp->by);
		raw(x, ", ");
		key(x, "role");
		str(x, rp->role);
		raw(x, ", ");
		key(x, "date");
		if (rp->when > 0)
			ss_report_uk_day(rp->when, day);
		str(x, rp->when > 0 ? day : NULL);
		raw(x, "}");
	}
	raw(x, "], ");
	key(x, "awaiting");
	raw(x, f->nresponses ? "false" : "true");
	raw(x, ", ");
	key(x, "closed");
	raw(x, f->closed ? "true" : "false");
	raw(x, ", ");
	key(x, "days_since_close");
	if (f->days >= 0) {
		snprintf(n, sizeof(n), "%ld", f->days);
		raw(x, n);
	} else {
		raw(x, "null");
	}
}

static void followups(struct jx *x)
{
	const struct ss_report *r = x->r;
	size_t i, j;

	raw(x, "  \"follow_up\": ");
	if (r->public) { /* ids, officers and notes left out: the count only */
		raw(x, "{");
		kfig(x, "items", &r->followup_items, false);
		kfig(x, "responded", &r->followup_answered, false);
		kfig(x, "responses", &r->followup_given, true);
		raw(x, "},\n");
		return;
	}
	raw(x, "[");
	for (i = 0; i < r->nfollowups; i++) {
		const struct ss_report_followup *f = &r->followups[i];

		raw(x, i ? ",\n    {" : "\n    {");
		key(x, "month");
		str(x, f->month);
		raw(x, ", ");
		key(x, "id");
		str(x, f->id);
		raw(x, ", ");
		key(x, "area");
		str(x, f->area);
		raw(x, ", ");
		key(x, "legislation");
		str(x, f->legislation);
		raw(x, ", ");
		key(x, "outcome");
		str(x, f->outcome);
		raw(x, ", ");
		key(x, "officer");
		str(x, f->officer);
		raw(x, ", ");
		key(x, "datetime");
		str(x, f->datetime);
		raw(x, ", ");
		key(x, "when");
		str(x, f->when);
		raw(x, ",\n     \"flags\": [");
		for (j = 0; j < f->nflags; j++) {
			raw(x, j ? ", {" : "{");
			key(x, "role");
			str(x, f->flags[j].role);
			raw(x, ", ");
			key(x, "reviewer");
			str(x, f->flags[j].reviewer);
			raw(x, ", ");
			key(x, "question");
			str(x, f->flags[j].question);
			raw(x, ", ");
			key(x, "answer");
			str(x, f->flags[j].answer);
			raw(x, "}");
		}
		raw(x, "],\n     ");
		followup_responses(x, f);
		raw(x, "}");
	}
	raw(x, r->nfollowups ? "\n  ],\n" : "],\n");
}

static void notes(struct jx *x)
{
	const struct ss_report *r = x->r;
	size_t i;

	raw(x, "  \"notes\": ");
	if (r->public) {
		raw(x, "null,\n");
		return;
	}
	raw(x, "[");
	for (i = 0; i < r->nnotes; i++) {
		const struct ss_report_note *n = &r->notes[i];

		raw(x, i ? ",\n    {" : "\n    {");
		key(x, "month");
		str(x, n->month);
		raw(x, ", ");
		key(x, "id");
		str(x, n->id);
		raw(x, ", ");
		key(x, "role");
		str(x, n->role);
		raw(x, ", ");
		key(x, "reviewer");
		str(x, n->reviewer);
		raw(x, ", ");
		key(x, "note");
		str(x, n->note);
		raw(x, "}");
	}
	raw(x, r->nnotes ? "\n  ],\n" : "],\n");
}

static void proportion(struct jx *x, bool shown, double v)
{
	if (!shown)
		raw(x, "null");
	else if (!x->err)
		x->err = ss_buf_printf(x->b, "%.6f", v);
}

static void estimate(struct jx *x, const struct ss_report_estimate *e)
{
	bool shown = !e->hidden && e->e.method != SS_ESTIMATE_NONE;

	raw(x, "{");
	key(x, "month");
	str(x, e->month);
	raw(x, ", ");
	key(x, "role");
	str(x, e->role);
	raw(x, ", ");
	key(x, "question");
	str(x, e->question);
	raw(x, ", ");
	key(x, "answer");
	str(x, e->answer);
	raw(x, ", ");
	key(x, "estimate");
	proportion(x, shown, e->e.estimate);
	raw(x, ", ");
	key(x, "lower");
	proportion(x, shown, e->e.lower);
	raw(x, ", ");
	key(x, "upper");
	proportion(x, shown, e->e.upper);
	raw(x, ", ");
	key(x, "n");
	num(x, e->e.n);
	raw(x, ", ");
	key(x, "count");
	if (e->hidden)
		raw(x, "null");
	else
		num(x, e->yes);
	raw(x, ", ");
	key(x, "method");
	str(x, e->e.method == SS_ESTIMATE_BETA    ? "beta"
	       : e->e.method == SS_ESTIMATE_EXACT ? "clopper-pearson"
	                                          : NULL);
	raw(x, ", ");
	key(x, "strata_missing");
	raw(x, "[");
	for (size_t i = 0; i < e->nmissing; i++) {
		raw(x, i ? ", " : "");
		raw(x, e->missing[i]); /* already compact JSON */
	}
	raw(x, "], ");
	key(x, "targeted");
	raw(x, "{");
	key(x, "answered");
	num(x, e->targeted);
	raw(x, ", ");
	key(x, "count");
	if (e->hidden)
		raw(x, "null");
	else
		num(x, e->targeted_yes);
	raw(x, "}, ");
	key(x, "hidden");
	boolean(x, e->hidden);
	raw(x, "}");
}

static void estimates(struct jx *x)
{
	const struct ss_report *r = x->r;
	size_t i;

	raw(x, "  \"estimates\": [");
	for (i = 0; i < r->nestimates; i++) {
		raw(x, i ? ",\n    " : "\n    ");
		estimate(x, &r->estimates[i]);
	}
	raw(x, r->nestimates ? "\n  ],\n  " : "],\n  ");
	key(x, "months_without_core");
	strv(x, r->months_v1, r->nmonths_v1);
	raw(x, ",\n");
}

static void trend(struct jx *x)
{
	const struct ss_report *r = x->r;
	size_t i, j;

	raw(x, "  \"trend\": ");
	if (strcmp(r->from, r->to) == 0) {
		raw(x, "null,\n");
		return;
	}
	raw(x, "[");
	for (i = 0; i < r->ntrend; i++) {
		const struct ss_report_trend *t = &r->trend[i];
		bool first = true;

		raw(x, i ? ",\n    {" : "\n    {");
		key(x, "month");
		str(x, t->month);
		raw(x, ", ");
		kfig(x, "searches", &t->searches, false);
		kfig(x, "positive_recorded", &t->positive_recorded, false);
		kfig(x, "positive_corrected", &t->positive_corrected, false);
		kfig(x, "sampled", &t->sampled, false);
		kfig(x, "reviewed", &t->reviewed, false);
		key(x, "estimates");
		raw(x, "[");
		for (j = 0; j < r->nestimates; j++) {
			const struct ss_report_estimate *e = &r->estimates[j];

			if (!e->month || strcmp(e->month, t->month) != 0 ||
			    strcmp(e->question, "grounds") != 0 ||
			    strcmp(e->answer, "not-reasonable") != 0)
				continue;
			raw(x, first ? "" : ", ");
			first = false;
			estimate(x, e);
		}
		raw(x, "]}");
	}
	raw(x, r->ntrend ? "\n  ],\n" : "],\n");
}

/* ---- section 9's tables, known margins and relations ---- */

static void gcount(struct jx *x, const struct ss_report_gcell *c)
{
	if (c->hidden)
		raw(x, "null");
	else
		num(x, c->value);
}

static void labels(struct jx *x, char *const *v, size_t n)
{
	size_t i;

	raw(x, "[");
	for (i = 0; i < n; i++) {
		raw(x, i ? ", " : "");
		str(x, v[i]);
	}
	raw(x, "]");
}

static void grid(struct jx *x, const struct ss_report_grid *g)
{
	size_t i, j;

	raw(x, "{");
	key(x, "id");
	str(x, g->id);
	raw(x, ", ");
	key(x, "universe");
	str(x, g->universe);
	raw(x, ",\n     ");
	key(x, "rows");
	labels(x, g->rows, g->nrows);
	raw(x, ",\n     ");
	key(x, "cols");
	labels(x, g->cols, g->ncols);
	raw(x, ",\n     ");
	key(x, "cells");
	raw(x, "[");
	for (i = 0; i < g->nrows; i++) {
		raw(x, i ? ", [" : "[");
		for (j = 0; j < g->ncols; j++) {
			raw(x, j ? ", " : "");
			gcount(x, &g->cells[i * g->ncols + j]);
		}
		raw(x, "]");
	}
	raw(x, "],\n     ");
	key(x, "row_totals");
	raw(x, "[");
	for (i = 0; i < g->nrows; i++) {
		raw(x, i ? ", " : "");
		gcount(x, &g->row_totals[i]);
	}
	raw(x, "], ");
	key(x, "col_totals");
	raw(x, "[");
	for (j = 0; j < g->ncols; j++) {
		raw(x, j ? ", " : "");
		gcount(x, &g->col_totals[j]);
	}
	raw(x, "], ");
	key(x, "total");
	gcount(x, &g->total);
	raw(x, "}");
}

static void margin(struct jx *x, bool *first, const struct ss_report_grid *g, const char *axis,
                   const char *const *label, size_t value)
{
	raw(x, *first ? "\n    {" : ",\n    {");
	*first = false;
	key(x, "table");
	str(x, g->id);
	raw(x, ", ");
	key(x, "axis");
	str(x, axis);
	if (label != NULL) {
		raw(x, ", ");
		key(x, "label");
		str(x, *label);
	}
	raw(x, ", ");
	key(x, "value");
	num(x, value);
	raw(x, "}");
}

static void grids(struct jx *x)
{
	const struct ss_report *r = x->r;
	bool first = true;
	size_t i, k;

	raw(x, "  \"tables\": [");
	for (i = 0; i < r->ngrids; i++) {
		raw(x, i ? ",\n    " : "\n    ");
		grid(x, &r->grids[i]);
	}
	raw(x, r->ngrids ? "\n  ],\n" : "],\n");
	raw(x, "  \"known_margins\": [");
	for (i = 0; i < r->ngrids; i++) {
		const struct ss_report_grid *g = &r->grids[i];

		for (k = 0; g->known_rows && k < g->nrows; k++)
			margin(x, &first, g, "row", (const char *const *)&g->rows[k],
			       g->row_totals[k].value);
		if (g->known_total)
			margin(x, &first, g, "total", NULL, g->total.value);
	}
	raw(x, first ? "],\n" : "\n  ],\n");
	raw(x, "  \"relations\": [");
	for (i = 0; i < r->nrelations; i++) {
		const struct ss_report_relation *l = &r->relations[i];

		raw(x, i ? ",\n    {\"terms\": [" : "\n    {\"terms\": [");
		for (k = 0; k < l->nterms; k++) {
			const struct ss_report_term *t = &l->terms[k];
			const struct ss_report_grid *g = &r->grids[t->grid];

			raw(x, k ? ", {" : "{");
			key(x, "table");
			str(x, g->id);
			if (t->row >= 0) {
				raw(x, ", ");
				key(x, "row");
				str(x, g->rows[t->row]);
			}
			if (t->col >= 0) {
				raw(x, ", ");
				key(x, "col");
				str(x, g->cols[t->col]);
			}
			raw(x, ", ");
			key(x, "coef");
			if (!x->err)
				x->err = ss_buf_printf(x->b, "%.0f", t->coef);
			raw(x, "}");
		}
		raw(x, "], ");
		key(x, "const");
		if (!x->err)
			x->err = ss_buf_printf(x->b, "%.0f", l->constant);
		raw(x, "}");
	}
	raw(x, r->nrelations ? "\n  ]\n" : "]\n");
}

int ss_report_json(const struct ss_report *r, struct ss_buf *out)
{
	struct jx x = {r, out, 0};

	raw(&x, "{\n  ");
	key(&x, "format");
	str(&x, SS_REPORT_FORMAT);
	raw(&x, ",\n  ");
	key(&x, "title");
	str(&x, r->title);
	raw(&x, ",\n  ");
	key(&x, "policy");
	str(&x, r->policy_name);
	raw(&x, ",\n  ");
	key(&x, "public");
	boolean(&x, r->public);
	raw(&x, ",\n  ");
	key(&x, "public_min");
	num(&x, r->public_min);
	raw(&x, ",\n  ");
	key(&x, "min_count");
	num(&x, r->public_min);
	raw(&x, ",\n  \"months\": {");
	key(&x, "from");
	str(&x, r->from);
	raw(&x, ", ");
	key(&x, "to");
	str(&x, r->to);
	raw(&x, ", ");
	key(&x, "with_data");
	strv(&x, r->months_data, r->nmonths_data);
	raw(&x, ", ");
	key(&x, "without_data");
	strv(&x, r->months_missing, r->nmonths_missing);
	raw(&x, ", ");
	key(&x, "not_sampled");
	strv(&x, r->months_unsampled, r->nmonths_unsampled);
	raw(&x, "},\n  ");
	key(&x, "caveats");
	strv(&x, r->caveats, r->ncaveats);
	raw(&x, ",\n");
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
	grids(&x);
	raw(&x, "}\n");
	return x.err ? ss_error_nomem() : 0;
}
