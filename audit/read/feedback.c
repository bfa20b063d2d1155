/*
 * feedback.c - one sheet per officer (feedback.h): the month's sampled
 * searches grouped by officer, each with the verdicts the asker may see,
 * rendered as HTML in the report's house style or as CSV.
 */
#include "feedback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blind.h"
#include "crypto.h"
#include "error.h"
#include "lang.h"
#include "month.h"
#include "pseudonym.h"
#include "registry.h"
#include "report.h"
#include "state.h"
#include "textout.h"
#include "uktime.h"

/* One sampled search with at least one verdict the asker may see. */
struct item {
	const char *officer;
	const struct ss_record *rec;
	const struct ss_verdict *v;
	size_t nv;
};

/* What every sheet is drawn from. */
struct fb {
	const struct ss_feedback_req *req;
	const struct ss_policy *pol;
	const struct ss_month_state *st;
	char words[48]; /* the month in words, in the sheet's language */
	char *title;    /* the trail's name */
	struct item *items;
	size_t nitems;
	/* With `from`: the officers with a sheet and their numbers, in step. */
	char **officers, **numbers;
	size_t nofficers;
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	const char *dx = x->rec->str[SS_F_DATETIME], *dy = y->rec->str[SS_F_DATETIME];
	int c = strcmp(x->officer, y->officer);

	if (c == 0)
		c = strcmp(dx ? dx : "", dy ? dy : "");
	return c != 0 ? c : strcmp(x->rec->id, y->rec->id);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The searches to report, from the sample, with the blind rule applied. */
static int gather(struct fb *f, const struct ss_population *pop, const struct ss_sample *s,
                  const struct ss_registry *reg, size_t *hidden)
{
	size_t i, nv;

	if (s->n > 0 && (f->items = calloc(s->n, sizeof(*f->items))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->n; i++) {
		const struct ss_record *r = ss_population_find(pop, s->records[i].id);
		const struct ss_verdict *v;
		struct ss_blind b;

		if (r == NULL || r->str[SS_F_OFFICER] == NULL)
			continue;
		if (f->req->officer != NULL && strcmp(f->req->officer, r->str[SS_F_OFFICER]) != 0)
			continue;
		v = ss_month_verdicts(f->st, r->id, &nv);
		ss_blind_record(f->pol, reg, f->req->as, v, nv, &b);
		if (b.hide) {
			*hidden += nv;
			continue;
		}
		if (nv == 0)
			continue;
		f->items[f->nitems++] = (struct item){r->str[SS_F_OFFICER], r, v, nv};
	}
	if (f->nitems > 1)
		qsort(f->items, f->nitems, sizeof(*f->items), cmp_item);
	return 0;
}

/* ---- the officers' own numbers, from the force's files ---- */

static int on_row(void *arg, const struct ss_record *r, const struct ss_row_identity *id)
{
	struct fb *f = arg;
	const char *o = r->str[SS_F_OFFICER];
	char **hit;
	size_t k;

	if (o == NULL || id->ptr[SS_IDENT_OFFICER] == NULL ||
	    (hit = bsearch(&o, f->officers, f->nofficers, sizeof(char *), cmp_str)) == NULL)
		return 0;
	k = (size_t)(hit - f->officers);
	if (f->numbers[k] == NULL &&
	    (f->numbers[k] = strndup(id->ptr[SS_IDENT_OFFICER], id->len[SS_IDENT_OFFICER])) == NULL)
		return ss_error_nomem();
	return 0;
}

static int officer_numbers(struct fb *f, struct ss_trail *t, const struct ss_oid *tip,
                           struct ss_diags *diags)
{
	struct ss_pseudo *ps = NULL;
	struct ss_read_opts ro = {0};
	size_t i;
	int err, first = 0;

	f->officers = calloc(f->nitems + 1, sizeof(char *));
	f->numbers = calloc(f->nitems + 1, sizeof(char *));
	if (f->officers == NULL || f->numbers == NULL)
		return ss_error_nomem();
	for (i = 0; i < f->nitems; i++) /* items are sorted by officer */
		if (f->nofficers == 0 || strcmp(f->officers[f->nofficers - 1], f->items[i].officer))
			f->officers[f->nofficers++] = (char *)f->items[i].officer;
	if ((err = ss_state_pseudo_key(t, tip, f->req->home,
	                               N_("put officers' own numbers on the "
	                                  "sheets"),
	                               &ps)))
		return err;
	ro.pseudo = ps;
	ro.pseudonymise_officer = f->pol->officer_pseudonymised;
	ro.on_row = on_row;
	ro.on_row_arg = f;
	for (i = 0; i < f->req->nfrom; i++) {
		struct ss_population *pop = NULL;

		if ((err = ss_population_new(&pop)) == 0)
			err = ss_read_file(f->req->from[i], NULL, &ro, pop, diags);
		ss_population_free(pop);
		if (err && err != SS_EDATA)
			break;
		if (err && first == 0)
			first = err;
		err = 0;
	}
	ss_pseudo_free(ps);
	if (err == 0 && first != 0)
		err = ss_error_set(first, _("no sheet was written: fix the files and try again"));
	return err;
}

static const char *number_of(const struct fb *f, const char *officer)
{
	char **hit;

	if (f->nofficers == 0 ||
	    (hit = bsearch(&officer, f->officers, f->nofficers, sizeof(char *), cmp_str)) == NULL)
		return NULL;
	return f->numbers[hit - f->officers];
}

/* ---- rendering ---- */

/* An answer in the policy's words ("Reasonable grounds"), else as recorded. */
static const char *answer_words(const struct ss_policy *pol, const struct ss_answer *a,
                                const char **question)
{
	const struct ss_question *q = ss_policy_question(pol, a->question);
	size_t j;

	bool cy = ss_lang_current() != SS_LANG_EN;

	*question = q != NULL && q->question != NULL ? q->question : a->question;
	if (cy && q != NULL && q->question_cy != NULL)
		*question = q->question_cy;
	for (j = 0; q != NULL && j < q->nvalues; j++)
		if (strcmp(q->values[j], a->value) == 0 && q->value_words[j].en != NULL)
			return ss_wording_get(&q->value_words[j], cy ? "cy" : "en", a->value);
	return a->value;
}

static void html_field(struct ss_buf *b, const char *label, const char *value)
{
	ss_buf_puts(b, "<dt>");
	ss_textout_html(b, _(label));
	ss_buf_puts(b, "</dt><dd>");
	ss_textout_html(b, value != NULL ? value : _("not recorded"));
	ss_buf_puts(b, "</dd>");
}

static void html_search(const struct fb *f, struct ss_buf *b, const struct item *it)
{
	struct ss_rule_value out = ss_month_current(f->st, it->rec, SS_F_OUTCOME);
	char when[SS_UK_TIME_MAX];
	size_t i, k;

	ss_buf_printf(b, "<section class=\"flag\"><h3>%s ", _("Search"));
	ss_textout_html(b, it->rec->str[SS_F_REFERENCE] ? it->rec->str[SS_F_REFERENCE] : "");
	ss_buf_puts(b, " <code>");
	ss_textout_html(b, it->rec->id);
	ss_buf_puts(b, "</code></h3><dl>");
	html_field(b, N_("When"),
	           it->rec->str[SS_F_DATETIME]
	               ? ss_uk_datetime_in(it->rec->str[SS_F_DATETIME], ss_lang_current(), when,
	                                   sizeof(when))
	               : NULL);
	html_field(b, N_("Area"), it->rec->str[SS_F_AREA]);
	html_field(b, N_("Power"), it->rec->str[SS_F_LEGISLATION]);
	html_field(b, N_("Looking for"), it->rec->str[SS_F_OBJECT_OF_SEARCH]);
	html_field(b, N_("Outcome"), out.kind == SS_RV_STRING ? out.s : NULL);
	html_field(b, N_("Grounds as written"), it->rec->str[SS_F_GROUNDS]);
	ss_buf_puts(b, "</dl>");
	for (i = 0; i < it->nv; i++) {
		const struct ss_verdict *v = &it->v[i];

		struct ss_buf role = SS_BUF_INIT;

		ss_textout_html(&role, ss_role_words(v->role));
		ss_buf_puts(b, "<h4>");
		ss_buf_printf(b, _("Verdict of the %s"), role.data ? role.data : "");
		ss_buf_release(&role);
		ss_buf_puts(b, "</h4><ul>");
		for (k = 0; k < v->nanswers; k++) {
			const char *q, *a = answer_words(f->pol, &v->answers[k], &q);

			ss_buf_puts(b, "<li>");
			ss_textout_html(b, q);
			ss_buf_puts(b, " <b>");
			ss_textout_html(b, a);
			ss_buf_puts(b, "</b></li>");
		}
		ss_buf_puts(b, "</ul>");
		if (v->note != NULL) {
			ss_buf_puts(b, "<p class=\"note\">");
			ss_textout_html(b, v->note);
			ss_buf_puts(b, "</p>");
		}
	}
	ss_buf_puts(b, "</section>\n");
}

static void html_sheet(const struct fb *f, struct ss_feedback_sheet *sh, const struct item *it,
                       size_t n)
{
	struct ss_buf *b = &sh->data;
	size_t i;

	ss_buf_printf(b,
	              "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	              "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	              "<title>%s ",
	              ss_lang_current() == SS_LANG_EN ? "en" : "cy", _("Feedback for officer"));
	ss_textout_html(b, sh->officer);
	ss_buf_printf(b, ", %s</title><style>%s</style></head><body>\n<header><h1>%s: %s</h1>",
	              f->words, ss_report_html_style(), _("Feedback on stop and search"), f->words);
	ss_buf_puts(b, "<p class=\"meta\">");
	ss_textout_html(b, f->title);
	ss_buf_printf(b, "</p><div class=\"kpis\"><div class=\"kpi\"><span>%s</span><b><code>",
	              _("Officer"));
	ss_textout_html(b, sh->officer);
	ss_buf_puts(b, "</code></b>");
	if (sh->number != NULL) {
		ss_buf_printf(b, "<span>%s ",
		              /* check: "rhif ei hun" for the officer's own (collar) number */
		              _("own number:"));
		ss_textout_html(b, sh->number);
		ss_buf_puts(b, "</span>");
	}
	ss_buf_printf(b,
	              "</div><div class=\"kpi\"><span>%s</span><b>%zu</b></div>"
	              "<div class=\"kpi\"><span>%s</span><b>%zu</b></div></div></header>\n",
	              _("Searches reviewed"), sh->searches, _("Verdicts"), sh->verdicts);
	ss_buf_puts(b, "<p class=\"explain\">");
	ss_textout_html(
	    b, _("These are the findings of the group that scrutinises "
	         "stop and search on this officer's searches that were drawn at random (or by "
	         "the group's rules) for review. Reviewers are named by their role only. This "
	         "sheet is for the force to feed the findings back to the officer: it holds "
	         "personal data, so share it only through the force's own channels."));
	ss_buf_puts(b, "</p>\n");
	for (i = 0; i < n; i++)
		html_search(f, b, &it[i]);
	ss_buf_puts(b, "</body></html>\n");
}

static void csv_sheet(const struct fb *f, struct ss_feedback_sheet *sh, const struct item *it,
                      size_t n)
{
	static const char *const head[] = {"officer", "officer_number", "month",
	                                   "id",      "reference",      "datetime",
	                                   "area",    "legislation",    "object_of_search",
	                                   "outcome", "reviewer_role"};
	struct ss_buf *b = &sh->data;
	size_t i, k, q;

	ss_buf_puts(b, "\xEF\xBB\xBF"); /* spreadsheets read it as UTF-8 (Welsh names) */
	for (k = 0; k < sizeof(head) / sizeof(head[0]); k++)
		ss_textout_csv(b, head[k], k == 0);
	for (q = 0; q < f->pol->nquestions; q++)
		ss_textout_csv(b, f->pol->questions[q].id, false);
	ss_textout_csv(b, "note", false);
	ss_textout_csv_end(b);
	for (i = 0; i < n; i++) {
		struct ss_rule_value out = ss_month_current(f->st, it[i].rec, SS_F_OUTCOME);

		for (k = 0; k < it[i].nv; k++) {
			const struct ss_verdict *v = &it[i].v[k];

			ss_textout_csv(b, sh->officer, true);
			ss_textout_csv(b, sh->number, false);
			ss_textout_csv(b, f->req->month, false);
			ss_textout_csv(b, it[i].rec->id, false);
			ss_textout_csv(b, it[i].rec->str[SS_F_REFERENCE], false);
			ss_textout_csv(b, it[i].rec->str[SS_F_DATETIME], false);
			ss_textout_csv(b, it[i].rec->str[SS_F_AREA], false);
			ss_textout_csv(b, it[i].rec->str[SS_F_LEGISLATION], false);
			ss_textout_csv(b, it[i].rec->str[SS_F_OBJECT_OF_SEARCH], false);
			ss_textout_csv(b, out.kind == SS_RV_STRING ? out.s : NULL, false);
			ss_textout_csv(b, v->role, false);
			for (q = 0; q < f->pol->nquestions; q++)
				ss_textout_csv(b, ss_verdict_answer(v, f->pol->questions[q].id),
				               false);
			ss_textout_csv(b, v->note, false);
			ss_textout_csv_end(b);
		}
	}
}

/* The sheets, one per run of items of one officer. */
static int render(const struct fb *f, struct ss_feedback *out)
{
	size_t i, j, k;
	char name[160];

	if (f->nitems > 0 && (out->v = calloc(f->nitems, sizeof(*out->v))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < f->nitems; i = j) {
		struct ss_feedback_sheet *sh = &out->v[out->n++];

		for (j = i; j < f->nitems && strcmp(f->items[j].officer, f->items[i].officer) == 0;
		     j++)
			sh->verdicts += f->items[j].nv;
		sh->searches = j - i;
		sh->data = (struct ss_buf)SS_BUF_INIT;
		/* A kept (not pseudonymised) officer number is made safe as a file name. */
		snprintf(name, sizeof(name) - 6, "%s", f->items[i].officer);
		for (k = 0; name[k]; k++)
			if (!((name[k] >= 'a' && name[k] <= 'z') ||
			      (name[k] >= 'A' && name[k] <= 'Z') ||
			      (name[k] >= '0' && name[k] <= '9') || name[k] == '-'))
				name[k] = '_';
		strcat(name, f->req->format == SS_FEEDBACK_CSV ? ".csv" : ".html");
		if ((sh->officer = strdup(f->items[i].officer)) == NULL ||
		    (sh->file = strdup(name)) == NULL)
			return ss_error_nomem();
		if (number_of(f, sh->officer) != NULL &&
		    (sh->number = strdup(number_of(f, sh->officer))) == NULL)
			return ss_error_nomem();
		if (f->req->nfrom > 0 && sh->number == NULL)
			out->unnumbered++;
		if (f->req->format == SS_FEEDBACK_CSV)
			csv_sheet(f, sh, &f->items[i], j - i);
		else
			html_sheet(f, sh, &f->items[i], j - i);
		if (sh->data.data == NULL)
			return ss_error_nomem();
	}
	return 0;
}

int ss_feedback_build(const struct ss_feedback_req *req, struct ss_diags *diags,
                      struct ss_feedback *out)
{
	struct ss_trail *t = NULL;
	struct ss_population *pop = NULL;
	struct ss_sample *s = NULL;
	struct ss_policy *pol = NULL;
	struct ss_registry *reg = NULL;
	struct ss_month_state *st = NULL;
	struct ss_oid tip;
	struct fb f;
	char *pjson = NULL;
	size_t plen, i;
	int err;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.req = req;
	ss_month_words_in(req->month, ss_lang_current(), f.words, sizeof(f.words));
	if ((err = ss_state_open(req->trail, &t, &tip)) ||
	    (err = ss_month_population(t, &tip, req->month, NULL, NULL, &pop)) ||
	    (err = ss_month_sample(t, &tip, req->month, &s)) ||
	    (err = ss_state_policy(t, &tip, &pjson, &plen, &pol)) ||
	    (err = ss_registry_load(t, &tip, &reg)) ||
	    (err = ss_month_state_load(t, &tip, req->month, &st)))
		goto out;
	f.pol = pol;
	f.st = st;
	if ((f.title = ss_state_title(t, &tip)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((err = gather(&f, pop, s, reg, &out->hidden)))
		goto out;
	if (req->officer != NULL && f.nitems == 0) {
		err = ss_error_set(SS_EFAIL,
		                   out->hidden ? _("no verdict you may see yet on the sampled "
		                                   "searches of officer '%s' in %s")
		                               : _("no verdict on the sampled searches of officer "
		                                   "'%s' in %s"),
		                   req->officer, f.words);
		goto out;
	}
	if (req->nfrom > 0 && (err = officer_numbers(&f, t, &tip, diags)))
		goto out;
	err = render(&f, out);
out:
	if (err)
		ss_feedback_release(out);
	for (i = 0; f.numbers != NULL && i < f.nofficers; i++)
		if (f.numbers[i] != NULL) {
			ss_memzero(f.numbers[i], strlen(f.numbers[i]));
			free(f.numbers[i]);
		}
	free(f.numbers);
	free(f.officers); /* borrowed strings */
	free(f.items);
	free(f.title);
	ss_month_state_free(st);
	ss_registry_free(reg);
	ss_policy_free(pol);
	free(pjson);
	ss_sample_free(s);
	ss_population_free(pop);
	ss_git_free(t);
	return err;
}

void ss_feedback_release(struct ss_feedback *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		struct ss_feedback_sheet *sh = &f->v[i];

		if (sh->data.data != NULL)
			ss_memzero(sh->data.data, sh->data.len);
		ss_buf_release(&sh->data);
		if (sh->number != NULL)
			ss_memzero(sh->number, strlen(sh->number));
		free(sh->number);
		free(sh->officer);
		free(sh->file);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}
