/*
 * report_fig.c - words for figures, shared by the renderers: counts, shares,
 * kappa and fixed-point values as the reader sees them.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

/* A share resting on few records says so. */
#define FEW N_("(fewer than 10 records)")

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

/* A figure in words in one language (SS_LANG_EN or SS_LANG_CY). */
static void fig_text_in(const struct ss_report *r, enum ss_lang l, const struct ss_report_fig *f,
                        char *out, size_t n)
{
	char c[32], d[32], p[32];
	struct ss_report_fig den = {.count = f->denom, .hidden = f->denom_hidden};
	char u[96] = "";

	ss_report_count_text(r, f, c, sizeof(c));
	if (f->field && f->denom == 0) {
		snprintf(out, n, ss_lang_get(l, N_("not recorded (blank in all %zu searches)")),
		         f->unrecorded);
		return;
	}
	if (f->denom == 0) {
		snprintf(out, n, "%s", c);
		return;
	}
	if (f->field && f->unrecorded_hidden)
		snprintf(u, sizeof(u), "; %s", ss_lang_get(l, N_("not recorded: [c]")));
	else if (f->field)
		snprintf(u, sizeof(u), ss_lang_get(l, N_("; not recorded: %zu")), f->unrecorded);
	ss_report_count_text(r, &den, d, sizeof(d));
	ss_report_pct_text(f, p, sizeof(p));
	if (*p)
		snprintf(out, n, ss_lang_get(l, N_("%s of %s (%s)%s%s")), c, d, p,
		         ss_report_fig_few(f) ? " " : "",
		         ss_report_fig_few(f) ? ss_lang_get(l, FEW) : "");
	else
		snprintf(out, n, ss_lang_get(l, N_("%s of %s%s")), c, d, "");
	if (*u)
		snprintf(out + strlen(out), n - strlen(out), "%s", u);
}

void ss_report_fig_text(const struct ss_report *r, const struct ss_report_fig *f, char *out,
                        size_t n)
{
	size_t k;

	fig_text_in(r, r->lang == SS_LANG_EN ? SS_LANG_EN : SS_LANG_CY, f, out, n);
	if (r->lang != SS_LANG_CY_EN || (k = strlen(out)) + 4 >= n)
		return;
	{
		char en[256];

		fig_text_in(r, SS_LANG_EN, f, en, sizeof(en));
		if (strcmp(en, out) != 0)
			snprintf(out + k, n - k, " / %s", en);
	}
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

const char *ss_report_key_words(const struct ss_report *r, const char *key, char *out, size_t n)
{
	return key ? key : ss_report_words(r, N_("not recorded"), out, n);
}

void ss_report_kappa_words(const struct ss_report *r, const struct ss_report_pair *p, char *out,
                           size_t n)
{
	const char *w;

	if (!p->kappa_hidden && p->kappa_defined) {
		ss_report_kappa_text(p, out, n);
		return;
	}
	w = ss_report_words(r, p->kappa_hidden ? N_("withheld") : N_("undefined"), out, n);
	if (w != out)
		snprintf(out, n, "%s", w);
}

const char *ss_report_few_words(const struct ss_report *r, char *out, size_t n)
{
	return ss_report_words(r, FEW, out, n);
}

void ss_report_vsay(const struct ss_report *r, const char *sep, char *out, size_t n,
                    const char *fmt, va_list ap)
{
	va_list en;
	int k;

	va_copy(en, ap);
	if (r->lang == SS_LANG_EN) {
		vsnprintf(out, n, fmt, en);
	} else {
		k = vsnprintf(out, n, ss_lang_get(SS_LANG_CY, fmt), ap);
		if (r->lang == SS_LANG_CY_EN && strcmp(ss_lang_get(SS_LANG_CY, fmt), fmt) != 0 &&
		    k >= 0 && (size_t)k + strlen(sep) + 1 < n) {
			size_t used = (size_t)k + strlen(sep);

			memcpy(out + k, sep, strlen(sep) + 1);
			vsnprintf(out + used, n - used, fmt, en);
		}
	}
	va_end(en);
}

void ss_report_say(const struct ss_report *r, const char *sep, char *out, size_t n, const char *fmt,
                   ...)
{
	va_list ap;

	va_start(ap, fmt);
	ss_report_vsay(r, sep, out, n, fmt, ap);
	va_end(ap);
}

const char *ss_report_caveat(const struct ss_report *r, size_t i, const char *sep, char *out,
                             size_t n)
{
	const char *cy = r->caveats_cy ? r->caveats_cy[i] : NULL;

	if (r->lang == SS_LANG_EN || cy == NULL)
		return r->caveats[i];
	if (r->lang == SS_LANG_CY || strcmp(cy, r->caveats[i]) == 0)
		return cy;
	snprintf(out, n, "%s%s%s", cy, sep, r->caveats[i]);
	return out;
}

/* en, cy or both ("cy / en"), as ss_report_words does for a msgid. */
static const char *wording(const struct ss_report *r, const char *en, const char *cy, char *out,
                           size_t n)
{
	if (r->lang == SS_LANG_EN || cy == NULL || strcmp(cy, en) == 0)
		return en;
	if (r->lang == SS_LANG_CY)
		return cy;
	snprintf(out, n, "%s / %s", cy, en);
	return out;
}

static const struct ss_question *question_of(const struct ss_report *r, const char *qid)
{
	size_t i;

	for (i = 0; qid && i < r->policy->nquestions; i++)
		if (strcmp(r->policy->questions[i].id, qid) == 0)
			return &r->policy->questions[i];
	return NULL;
}

const char *ss_report_question_words(const struct ss_report *r, const char *qid, char *out,
                                     size_t n)
{
	const struct ss_question *q = question_of(r, qid);

	if (q == NULL)
		return qid;
	return wording(r, q->question ? q->question : q->id, q->question_cy, out, n);
}

/* value's wording in ws (values[nvalues]), as the report shows it. */
static const char *value_words(const struct ss_report *r, char *const *values,
                               const struct ss_wording *ws, size_t nvalues, const char *value,
                               bool en_wording, char *out, size_t n)
{
	size_t i;

	for (i = 0; value && ws && i < nvalues; i++)
		if (strcmp(values[i], value) == 0)
			return wording(
			    r, (en_wording || r->lang != SS_LANG_EN) && ws[i].en ? ws[i].en : value,
			    ws[i].cy, out, n);
	return value;
}

const char *ss_report_answer_words(const struct ss_report *r, const char *qid, const char *value,
                                   char *out, size_t n)
{
	const struct ss_question *q = question_of(r, qid);

	if (q == NULL)
		return value;
	return value_words(r, q->values, q->value_words, q->nvalues, value, false, out, n);
}

const char *ss_report_response_words(const struct ss_report *r, const char *action, char *out,
                                     size_t n)
{
	const struct ss_policy *p = r->policy;

	return value_words(r, p->responses, p->response_words, p->nresponses, action, true, out, n);
}

const char *ss_report_outcome_words(const struct ss_report *r, const char *outcome, char *out,
                                    size_t n)
{
	const struct ss_policy *p = r->policy;

	return value_words(r, p->outcomes, p->outcome_words, p->noutcomes, outcome, false, out, n);
}

const char *ss_report_label_words(const struct ss_report *r, const char *label, char *out, size_t n)
{
	if (strcmp(label, "(none)") == 0)
		return ss_report_words(r, N_("(none)"), out, n);
	if (strcmp(label, "(blank)") == 0)
		return ss_report_words(r, N_("(blank)"), out, n);
	return label;
}
