/*
 * worksheet.c - review --from: a filled-in worksheet (the CSV `pack` writes)
 * read into a month. Every row is checked first against the tip the writer
 * holds (each problem to the caller's diags with its line and column); if
 * any is bad nothing is written. Otherwise one signed commit per verdict,
 * all in one batch that lands whole or not at all.
 */
#include "act.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "check.h"
#include "error.h"
#include "layout.h"
#include "sheet.h"

enum { C_MONTH, C_ID, C_ROLE, C_REVIEWER, C_NOTE, C_FIXED };

struct wsheader {
	size_t fixed[C_FIXED]; /* column index, or SIZE_MAX when absent */
	size_t *q;             /* per policy question: column index or SIZE_MAX */
	size_t ncols;
};

static const char *const fixed_names[C_FIXED] = {"month", "id", "role", "reviewer", "note"};

static int header_read(const struct ss_sheet_row *h, const char *name, const struct ss_policy *pol,
                       struct wsheader *hd, struct ss_diags *diags)
{
	const char **names;
	size_t *cols, k, n = C_FIXED + pol->nquestions;
	size_t before = diags->total;

	hd->ncols = h->n;
	names = malloc(n * sizeof(*names));
	cols = malloc(n * sizeof(*cols));
	if (names == NULL || cols == NULL) {
		free(names);
		free(cols);
		return ss_error_nomem();
	}
	for (k = 0; k < C_FIXED; k++)
		names[k] = fixed_names[k];
	for (k = 0; k < pol->nquestions; k++)
		names[C_FIXED + k] = pol->questions[k].id;
	ss_sheet_columns(h, name, names, n, cols, diags);
	memcpy(hd->fixed, cols, sizeof(hd->fixed));
	free(names);
	hd->q = cols; /* the questions' columns follow the fixed ones */
	memmove(hd->q, cols + C_FIXED, pol->nquestions * sizeof(*cols));
	for (k = 0; k < C_FIXED; k++)
		if (hd->fixed[k] == SIZE_MAX)
			ss_diags_add(
			    diags, name, h->line, 1,
			    _("the header has no '%s' column (start from the worksheet that "
			      "`ssaudit pack` makes)"),
			    fixed_names[k]);
	for (k = 0; k < pol->nquestions; k++)
		if (hd->q[k] == SIZE_MAX && pol->questions[k].required)
			ss_diags_add(diags, name, h->line, 1,
			             _("the header has no '%s' column, and the policy requires an "
			               "answer to it"),
			             pol->questions[k].id);
	return diags->total > before ? SS_EDATA : 0;
}

/* Digits s[0..n) as a number; -1 when any is not a digit (or n is 0). */
static int num(const char *s, size_t n)
{
	int v = 0;

	if (n == 0 || n > 4)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * A month a spreadsheet has turned into a date: "Nov-21", "Nov-2021",
 * "01/11/2021" (day first, as in the UK), "2021-11-01". true, with the month
 * it stood for in out (YYYY-MM).
 */
static bool spreadsheet_month(const char *s, char out[8])
{
	static const char *const mon[12] = {"jan", "feb", "mar", "apr", "may", "jun",
	                                    "jul", "aug", "sep", "oct", "nov", "dec"};
	size_t n = strlen(s), a, b;
	int y = -1, m = -1;

	if (n >= 6 && (s[3] == '-' || s[3] == ' ')) { /* Nov-21 */
		for (int k = 0; k < 12; k++)
			if (strncasecmp(s, mon[k], 3) == 0)
				m = k + 1;
		y = num(s + 4, n - 4);
		if (n - 4 == 2 && y >= 0)
			y += 2000;
	} else if ((a = strcspn(s, "/.")) < n && (b = strcspn(s + a + 1, "/.")) < n - a - 1) {
		m = num(s + a + 1, b); /* 01/11/2021 */
		y = num(s + a + 2 + b, strcspn(s + a + 2 + b, " "));
		if (num(s, a) < 1 || num(s, a) > 31)
			m = -1;
		if (strcspn(s + a + 2 + b, " ") == 2 && y >= 0)
			y += 2000;
	} else if (n >= 10 && s[4] == '-' && s[7] == '-') { /* 2021-11-01 */
		y = num(s, 4);
		m = num(s + 5, 2);
		if (num(s + 8, 2) < 1 || num(s + 8, 2) > 31)
			m = -1;
	}
	if (m < 1 || m > 12 || y < 1000 || y > 9999)
		return false;
	snprintf(out, 8, "%04d-%02d", y, m);
	return true;
}

/* Parse, read the header, check every row's shape. */
static int ws_load(const char *data, size_t len, const char *name, const struct ss_policy *pol,
                   struct ss_sheet *ws, struct wsheader *hd, bool *header_ok,
                   struct ss_diags *diags)
{
	size_t before = diags->total, i;
	char was[8];
	int err;

	*header_ok = false;
	if ((err = ss_sheet_read(data, len, name, ws, diags)))
		return err;
	if (ws->n == 0) {
		if (diags->total == before)
			ss_diags_add(diags, name, 1, 1,
			             _("the worksheet is empty (no header line)"));
		return SS_EDATA;
	}
	if (ws->rows[0].bad)
		return SS_EDATA;
	if ((err = header_read(&ws->rows[0], name, pol, hd, diags)))
		return err;
	*header_ok = true;
	for (i = 1; i < ws->n; i++) {
		struct ss_sheet_row *r = &ws->rows[i];

		if (r->bad || ss_sheet_row_empty(r))
			continue;
		if (r->n != hd->ncols) {
			ss_diags_add(diags, name, r->line, 1,
			             _("this row has %zu values but the header has %zu columns"),
			             r->n, hd->ncols);
			r->bad = true;
		} else if (spreadsheet_month(ss_sheet_trim(r->f[hd->fixed[C_MONTH]].text), was)) {
			const struct ss_sheet_field *f = &r->f[hd->fixed[C_MONTH]];

			ss_diags_add(diags, name, f->line, f->col,
			             _("the month reads '%s': this looks like a spreadsheet turned "
			               "%s into a "
			               "date: format the column as text, type %s again, and save"),
			             f->text, was, was);
			r->bad = true;
		}
	}
	return diags->total > before ? SS_EDATA : 0;
}

int ss_worksheet_check_syntax(const char *data, size_t len, const char *name,
                              const struct ss_policy *pol, struct ss_diags *diags, size_t *rows)
{
	struct ss_sheet ws;
	struct wsheader hd;
	bool header_ok;
	int err;

	memset(&ws, 0, sizeof(ws));
	memset(&hd, 0, sizeof(hd));
	*rows = 0;
	err = ws_load(data, len, name, pol, &ws, &hd, &header_ok, diags);
	for (size_t i = 1; !err && i < ws.n; i++)
		if (!ss_sheet_row_empty(&ws.rows[i]))
			(*rows)++;
	free(hd.q);
	ss_sheet_release(&ws);
	return err;
}

/* A row turned into a request, with where each part came from. */
struct wsverdict {
	size_t line;
	bool keyed; /* answered: its reviewer and id count for duplicates, good or bad */
	const char *id, *reviewer, *note;
	struct ss_answer *answers;
	size_t nanswers;
};

enum rowstate { ROW_OK, ROW_SKIP, ROW_BAD };

/* Check one row against the tip; problems to diags; *v filled when ROW_OK. */
static enum rowstate check_row(struct ss_writer *w, struct ss_act_month *cx, const char *name,
                               const struct ss_policy *pol, const struct wsheader *hd,
                               struct ss_sheet_row *r, struct wsverdict *v, struct ss_diags *diags)
{
	const struct ss_sheet_field *fm = ss_sheet_cell(r, hd->fixed[C_MONTH]),
	                            *fi = ss_sheet_cell(r, hd->fixed[C_ID]),
	                            *fr = ss_sheet_cell(r, hd->fixed[C_ROLE]),
	                            *fv = ss_sheet_cell(r, hd->fixed[C_REVIEWER]),
	                            *fn = ss_sheet_cell(r, hd->fixed[C_NOTE]);
	const char *month = ss_sheet_trim(fm->text), *id = ss_sheet_trim(fi->text),
	           *role = ss_sheet_trim(fr->text), *who = ss_sheet_trim(fv->text),
	           *note = ss_sheet_trim(fn->text);
	const struct ss_reviewer *rv = NULL;
	size_t before = diags->total, k, answered = 0;

	memset(v, 0, sizeof(*v));
	v->line = r->line;
	for (k = 0; k < pol->nquestions; k++) {
		const struct ss_sheet_field *f = ss_sheet_cell(r, hd->q[k]);

		if (f && *ss_sheet_trim(f->text))
			answered++;
	}
	if (answered == 0) {
		if (*note)
			ss_diags_add(
			    diags, name, fn->line, fn->col,
			    _("this row has a note but no answers: fill in the answers, or clear "
			      "the note"));
		return *note ? ROW_BAD : ROW_SKIP; /* not reviewed yet */
	}
	v->keyed = true;
	v->id = id;
	v->reviewer = who;
	if (*month == '\0')
		ss_diags_add(diags, name, fm->line, fm->col,
		             _("the month is blank (it should be %s)"), cx->month);
	else if (strcmp(month, cx->month) != 0)
		ss_diags_add(diags, name, fm->line, fm->col,
		             _("this row is for '%s', but the worksheet is being read into %s"),
		             month, cx->month);
	if (*who == '\0') {
		ss_diags_add(
		    diags, name, fv->line, fv->col,
		    _("no reviewer named: write the handle of the person whose verdict this is"));
	} else if (!ss_name_valid(who) || ss_registry_find(w->registry, who) == NULL) {
		ss_diags_add(diags, name, fv->line, fv->col,
		             _("there is no reviewer '%s' in the register"), who);
	} else if (ss_act_check_who(w, who, &rv)) {
		ss_diags_add(diags, name, fv->line, fv->col, "%s", ss_error_message());
		rv = NULL;
	}
	if (rv && strcmp(role, rv->role) != 0) {
		if (*role)
			ss_diags_add(diags, name, fr->line, fr->col, _("%s is %s %s, not %s %s"),
			             rv->handle, ss_act_a_an(rv->role), ss_role_words(rv->role),
			             ss_act_a_an(role), ss_role_words(role));
		else
			ss_diags_add(diags, name, fr->line, fr->col,
			             _("the role is blank (%s is %s %s)"), rv->handle,
			             ss_act_a_an(rv->role), ss_role_words(rv->role));
		rv = NULL;
	}
	if (rv && ss_act_check_record(cx, id, rv->role))
		ss_diags_add(diags, name, fi->line, fi->col, "%s", ss_error_message());
	else if (!rv && !ss_layout_id_valid(id))
		ss_diags_add(diags, name, fi->line, fi->col, _("'%s' is not a record id"), id);
	if ((v->answers = calloc(pol->nquestions, sizeof(*v->answers))) == NULL) {
		ss_diags_add(diags, name, r->line, 1, _("out of memory"));
		return ROW_BAD;
	}
	for (k = 0; k < pol->nquestions; k++) {
		const struct ss_question *q = &pol->questions[k];
		const struct ss_sheet_field *f = ss_sheet_cell(r, hd->q[k]);
		const char *a = f ? ss_sheet_trim(f->text) : "";

		if (*a == '\0') {
			if (q->required) {
				ss_act_refuse_required(q);
				ss_diags_add(diags, name, f->line, f->col, "%s",
				             ss_error_message());
			}
			continue;
		}
		if ((a = ss_question_value_of(q, a)) == NULL) {
			ss_act_refuse_value(q, ss_sheet_trim(f->text));
			ss_diags_add(diags, name, f->line, f->col, "%s", ss_error_message());
			continue;
		}
		v->answers[v->nanswers].question = q->id;
		v->answers[v->nanswers].value = (char *)a;
		v->nanswers++;
	}
	if (*note && ss_act_check_text(_("the note"), note, SS_ACT_NOTE_MAX))
		ss_diags_add(diags, name, fn->line, fn->col, "%s", ss_error_message());
	if (diags->total > before) {
		free(v->answers);
		v->answers = NULL;
		v->nanswers = 0;
		return ROW_BAD;
	}
	v->reviewer = rv->handle;
	v->note = *note ? note : NULL;
	return ROW_OK;
}

static int cmp_key(const void *a, const void *b)
{
	const struct wsverdict *x = *(const struct wsverdict *const *)a;
	const struct wsverdict *y = *(const struct wsverdict *const *)b;
	int c;

	if ((c = strcmp(x->reviewer, y->reviewer)) || (c = strcmp(x->id, y->id)))
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Two rows for the same reviewer and record: report every later one. */
static int find_duplicates(struct wsverdict *v, size_t n, const char *name, struct ss_diags *diags)
{
	struct wsverdict **p;
	size_t i, m = 0;

	if ((p = calloc(n ? n : 1, sizeof(*p))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < n; i++)
		if (v[i].keyed)
			p[m++] = &v[i];
	qsort(p, m, sizeof(*p), cmp_key);
	for (i = 1; i < m; i++)
		if (strcmp(p[i]->reviewer, p[i - 1]->reviewer) == 0 &&
		    strcmp(p[i]->id, p[i - 1]->id) == 0) {
			size_t first = i - 1;

			while (first > 0 && strcmp(p[first - 1]->reviewer, p[i]->reviewer) == 0 &&
			       strcmp(p[first - 1]->id, p[i]->id) == 0)
				first--;
			ss_diags_add(
			    diags, name, p[i]->line, 1,
			    _("a second row for %s on record %s (the first is on line %zu): keep "
			      "one"),
			    p[i]->reviewer, p[i]->id, p[first]->line);
		}
	free(p);
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

int ss_act_worksheet(struct ss_writer *w, const char *month, const char *data, size_t len,
                     const char *name, struct ss_diags *diags, struct ss_ws_result *res)
{
	struct ss_sheet ws;
	struct wsheader hd;
	struct wsverdict *v = NULL;
	struct ss_act_month cx;
	size_t i, nv = 0;
	bool batch = false, header_ok = false;
	int err;

	memset(res, 0, sizeof(*res));
	memset(&ws, 0, sizeof(ws));
	memset(&hd, 0, sizeof(hd));
	memset(&cx, 0, sizeof(cx));
	if ((err = ss_act_month_load_flat(w, month, true, &cx)))
		goto out;
	if (cx.closed) {
		err = ss_month_refuse_closed(w->policy, month, cx.closed_by);
		goto out;
	}
	if ((err = ws_load(data, len, name, cx.policy, &ws, &hd, &header_ok, diags)) == SS_ENOMEM)
		goto out;
	if (ws.n > 1 && (v = calloc(ws.n - 1, sizeof(*v))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if (header_ok) {
		for (i = 1; i < ws.n; i++) {
			struct ss_sheet_row *r = &ws.rows[i];

			if (ss_sheet_row_empty(r))
				continue;
			res->rows++;
			if (r->bad)
				continue;
			if (check_row(w, &cx, name, cx.policy, &hd, r, &v[nv], diags) == ROW_SKIP)
				res->skipped++;
			nv++;
		}
		if ((err = find_duplicates(v, nv, name, diags)))
			goto out;
	}
	if (diags->total) {
		err = ss_error_set(SS_EDATA, _("%s: %zu problem%s found; nothing was recorded"),
		                   name, diags->total, diags->total == 1 ? "" : "s");
		goto out;
	}
	err = 0;
	if ((err = ss_writer_batch_begin(w)))
		goto out;
	batch = true;
	for (i = 0; i < nv; i++) {
		struct ss_verdict_req req;
		const struct ss_reviewer *rv = NULL;
		enum ss_recorded done;
		char src[300];

		if (v[i].nanswers == 0)
			continue;
		snprintf(src, sizeof(src), "the worksheet '%s', line %zu", base_name(name),
		         v[i].line);
		memset(&req, 0, sizeof(req));
		req.month = month;
		req.id = v[i].id;
		req.reviewer = v[i].reviewer;
		req.answers = v[i].answers;
		req.nanswers = v[i].nanswers;
		req.note = v[i].note;
		req.source = src;
		/* Checked above on this same tip; re-checked for the batch's own moves. */
		if ((err = ss_act_check_who(w, req.reviewer, &rv)) ||
		    (err = ss_act_check_record(&cx, req.id, rv->role)) ||
		    (err = ss_act_commit_verdict(w, &cx, &req, rv, &done)))
			goto out;
		if (done == SS_RECORDED_NEW)
			res->recorded++;
		else if (done == SS_RECORDED_REPLACED)
			res->replaced++;
		else
			res->same++;
		if (done != SS_RECORDED_SAME && strcmp(rv->handle, w->handle) != 0)
			res->entered++;
	}
	batch = false;
	err = ss_writer_batch_end(w);
out:
	if (batch)
		ss_writer_batch_abort(w);
	for (i = 0; i < nv; i++)
		free(v[i].answers);
	free(v);
	free(hd.q);
	ss_sheet_release(&ws);
	ss_act_month_release(&cx);
	return err;
}
