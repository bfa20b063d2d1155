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
#include "csvtok.h"
#include "error.h"
#include "layout.h"
#include "utf8.h"

/* ------------------------------------------------------------ problems found */

static void diag_add(struct ss_diags *d, const char *file, size_t line, size_t col, const char *fmt,
                     ...) SS_PRINTF(5, 6);
static void diag_add(struct ss_diags *d, const char *file, size_t line, size_t col, const char *fmt,
                     ...)
{
	size_t limit = d->limit ? d->limit : 1;
	va_list ap;
	int n;
	char *msg;

	d->total++;
	if (d->n >= limit)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (msg = malloc((size_t)n + 1)) == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 16;
		struct ss_diag *g = realloc(d->d, nc * sizeof(*g));

		if (g == NULL) {
			free(msg);
			return;
		}
		d->d = g;
		d->cap = nc;
	}
	d->d[d->n].file = strdup(file);
	d->d[d->n].line = line;
	d->d[d->n].col = col;
	d->d[d->n].msg = msg;
	d->n++;
}

/* ------------------------------------------------------------ the worksheet's rows */

struct wsfield {
	char *text; /* unquoted, NUL-terminated */
	size_t line, col;
};

struct wsrow {
	struct wsfield *f;
	size_t n, cap;
	size_t line;
	bool bad; /* a structural error was reported for it */
};

struct wsfile {
	struct wsrow *rows;
	size_t n, cap;
};

static void wsfile_release(struct wsfile *ws)
{
	size_t i, k;

	for (i = 0; i < ws->n; i++) {
		for (k = 0; k < ws->rows[i].n; k++)
			free(ws->rows[i].f[k].text);
		free(ws->rows[i].f);
	}
	free(ws->rows);
	memset(ws, 0, sizeof(*ws));
}

/* Append a copy of f's value (unquoted) to r. */
static int row_push(struct wsrow *r, const struct ss_csvfield *f)
{
	char *text;

	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		struct wsfield *g = realloc(r->f, nc * sizeof(*g));

		if (g == NULL)
			return ss_error_nomem();
		r->f = g;
		r->cap = nc;
	}
	if ((text = malloc(f->len + 1)) == NULL)
		return ss_error_nomem();
	text[ss_csvtok_unescape(f, text, f->len)] = '\0';
	r->f[r->n].text = text;
	r->f[r->n].line = f->line;
	r->f[r->n].col = f->col;
	r->n++;
	return 0;
}

static int file_push(struct wsfile *ws, struct wsrow *r)
{
	if (ws->n == ws->cap) {
		size_t nc = ws->cap ? ws->cap * 2 : 64;
		struct wsrow *g = realloc(ws->rows, nc * sizeof(*g));

		if (g == NULL)
			return ss_error_nomem();
		ws->rows = g;
		ws->cap = nc;
	}
	ws->rows[ws->n++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

/* The tokenizer's errors in the worksheet's words. */
static const char *const tok_error[] = {
    [SS_CSVTOK_E_QUOTE] = "a quote inside a value that does not start with one (quote the "
                          "whole value and double the quote)",
    [SS_CSVTOK_E_AFTER_QUOTE] = "text after a closing quote: a quoted value must end at a "
                                "comma or the end of the line",
    [SS_CSVTOK_E_CR] = "a carriage return that does not end the line",
};

/*
 * The worksheet's rows of fields with their positions (columns in bytes from
 * 1, not counting a BOM), through the records' CSV tokenizer. A structural
 * error is reported and its row dropped; an unclosed quote ends the file.
 * Returns 0 or SS_ENOMEM; problems go to diags.
 */
static int csv_rows(const char *d, size_t len, const char *name, struct wsfile *ws,
                    struct ss_diags *diags)
{
	struct ss_csvtok t;
	struct wsrow row;
	size_t bad;
	int err = 0;

	memset(&row, 0, sizeof(row));
	ss_csvtok_init(&t, d, len, true, 0);
	if (!ss_utf8_valid(d + t.pos, len - t.pos, &bad)) {
		size_t k, l = 1, c = 1;

		for (k = t.pos; k < t.pos + bad; k++) {
			if (d[k] == '\n') {
				l++;
				c = 1;
			} else {
				c++;
			}
		}
		diag_add(
		    diags, name, l, c,
		    "this is not UTF-8 text: save the worksheet as \"CSV UTF-8\" and try again");
		return 0;
	}
	for (;;) {
		struct ss_csvfield f;
		enum ss_csvtok_step step = ss_csvtok_next(&t, &f);

		if (step == SS_CSVTOK_END || step == SS_CSVTOK_MORE) /* MORE: never, at eof */
			break;
		if (step == SS_CSVTOK_UNCLOSED) {
			diag_add(diags, name, f.line, f.col,
			         "a quoted value is never closed (a '\"' is missing)");
			goto out;
		}
		if (row.n == 0)
			row.line = f.line;
		if (f.err != SS_CSVTOK_OK && !row.bad) {
			diag_add(diags, name, f.err_line, f.err_col, "%s", tok_error[f.err]);
			row.bad = true;
		}
		if ((err = row_push(&row, &f)))
			goto out;
		if (step == SS_CSVTOK_LAST && (err = file_push(ws, &row)))
			goto out;
	}
out:
	for (size_t k = 0; k < row.n; k++)
		free(row.f[k].text);
	free(row.f);
	return err;
}

/* ------------------------------------------------------------ the header and the rows */

/* Trim ASCII spaces in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	*e = '\0';
	return s;
}

enum { C_MONTH, C_ID, C_ROLE, C_REVIEWER, C_NOTE, C_FIXED };

struct wsheader {
	size_t fixed[C_FIXED]; /* column index, or SIZE_MAX when absent */
	size_t *q;             /* per policy question: column index or SIZE_MAX */
	size_t ncols;
};

static const char *const fixed_names[C_FIXED] = {"month", "id", "role", "reviewer", "note"};

static int header_read(const struct wsrow *h, const char *name, const struct ss_policy *pol,
                       struct wsheader *hd, struct ss_diags *diags)
{
	size_t i, k;
	size_t before = diags->total;

	hd->ncols = h->n;
	for (k = 0; k < C_FIXED; k++)
		hd->fixed[k] = SIZE_MAX;
	if (pol->nquestions && (hd->q = malloc(pol->nquestions * sizeof(*hd->q))) == NULL)
		return ss_error_nomem();
	for (k = 0; k < pol->nquestions; k++)
		hd->q[k] = SIZE_MAX;
	if (h->n == 1 && strchr(h->f[0].text, ';') != NULL) {
		diag_add(diags, name, h->line, 1,
		         "the columns are separated by semicolons, not commas: a spreadsheet set "
		         "up for another country saved it so; save it again as \"CSV UTF-8 "
		         "(comma delimited)\", or export with ',' as the field separator");
		return SS_EDATA;
	}
	/* Names as `pack` writes them first; then, for a column still missing,
	 * the same name in other capitals (a spreadsheet's "Month", "Id"). A
	 * column whose name is taken exactly is left to the reader. */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < h->n; i++) {
			const char *t = trim(h->f[i].text), *want = NULL;
			int (*same)(const char *, const char *) = pass ? strcasecmp : strcmp;
			size_t *slot = NULL;

			for (k = 0; k < C_FIXED && !slot; k++)
				if (same(t, fixed_names[k]) == 0)
					slot = &hd->fixed[k], want = fixed_names[k];
			for (k = 0; k < pol->nquestions && !slot; k++)
				if (same(t, pol->questions[k].id) == 0)
					slot = &hd->q[k], want = pol->questions[k].id;
			if (slot == NULL || *slot == i)
				continue; /* a detail column, for the reader only */
			if (pass && strcmp(t, want) == 0)
				continue; /* placed in the first pass */
			if (pass && *slot != SIZE_MAX && strcmp(trim(h->f[*slot].text), want) == 0)
				continue; /* the exact name is there: this one is the reader's */
			if (*slot != SIZE_MAX) {
				diag_add(diags, name, h->f[i].line, h->f[i].col,
				         "the column '%s' appears twice in the header", t);
				continue;
			}
			*slot = i;
		}
	}
	for (k = 0; k < C_FIXED; k++)
		if (hd->fixed[k] == SIZE_MAX)
			diag_add(diags, name, h->line, 1,
			         "the header has no '%s' column (start from the worksheet that "
			         "`ssaudit pack` makes)",
			         fixed_names[k]);
	for (k = 0; k < pol->nquestions; k++)
		if (hd->q[k] == SIZE_MAX && pol->questions[k].required)
			diag_add(diags, name, h->line, 1,
			         "the header has no '%s' column, and the policy requires an answer "
			         "to it",
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

static bool row_empty(const struct wsrow *r)
{
	size_t k;

	for (k = 0; k < r->n; k++)
		if (!ss_act_blank(r->f[k].text))
			return false;
	return true;
}

/* Parse, read the header, check every row's shape. */
static int ws_load(const char *data, size_t len, const char *name, const struct ss_policy *pol,
                   struct wsfile *ws, struct wsheader *hd, bool *header_ok, struct ss_diags *diags)
{
	size_t before = diags->total, i;
	char was[8];
	int err;

	*header_ok = false;
	if ((err = csv_rows(data, len, name, ws, diags)))
		return err;
	if (ws->n == 0) {
		if (diags->total == before)
			diag_add(diags, name, 1, 1, "the worksheet is empty (no header line)");
		return SS_EDATA;
	}
	if (ws->rows[0].bad)
		return SS_EDATA;
	if ((err = header_read(&ws->rows[0], name, pol, hd, diags)))
		return err;
	*header_ok = true;
	for (i = 1; i < ws->n; i++) {
		struct wsrow *r = &ws->rows[i];

		if (r->bad || row_empty(r))
			continue;
		if (r->n != hd->ncols) {
			diag_add(diags, name, r->line, 1,
			         "this row has %zu values but the header has %zu columns", r->n,
			         hd->ncols);
			r->bad = true;
		} else if (spreadsheet_month(trim(r->f[hd->fixed[C_MONTH]].text), was)) {
			const struct wsfield *f = &r->f[hd->fixed[C_MONTH]];

			diag_add(
			    diags, name, f->line, f->col,
			    "the month reads '%s': this looks like a spreadsheet turned %s into a "
			    "date: format the column as text, type %s again, and save",
			    f->text, was, was);
			r->bad = true;
		}
	}
	return diags->total > before ? SS_EDATA : 0;
}

int ss_worksheet_check_syntax(const char *data, size_t len, const char *name,
                              const struct ss_policy *pol, struct ss_diags *diags, size_t *rows)
{
	struct wsfile ws;
	struct wsheader hd;
	bool header_ok;
	int err;

	memset(&ws, 0, sizeof(ws));
	memset(&hd, 0, sizeof(hd));
	*rows = 0;
	err = ws_load(data, len, name, pol, &ws, &hd, &header_ok, diags);
	for (size_t i = 1; !err && i < ws.n; i++)
		if (!row_empty(&ws.rows[i]))
			(*rows)++;
	free(hd.q);
	wsfile_release(&ws);
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

static const struct wsfield *cell(const struct wsrow *r, size_t idx)
{
	return idx == SIZE_MAX ? NULL : &r->f[idx];
}

enum rowstate { ROW_OK, ROW_SKIP, ROW_BAD };

/* Check one row against the tip; problems to diags; *v filled when ROW_OK. */
static enum rowstate check_row(struct ss_writer *w, const struct ss_act_month *cx, const char *name,
                               const struct ss_policy *pol, const struct wsheader *hd,
                               struct wsrow *r, struct wsverdict *v, struct ss_diags *diags)
{
	const struct wsfield *fm = cell(r, hd->fixed[C_MONTH]), *fi = cell(r, hd->fixed[C_ID]),
	                     *fr = cell(r, hd->fixed[C_ROLE]), *fv = cell(r, hd->fixed[C_REVIEWER]),
	                     *fn = cell(r, hd->fixed[C_NOTE]);
	const char *month = trim(fm->text), *id = trim(fi->text), *role = trim(fr->text),
	           *who = trim(fv->text), *note = trim(fn->text);
	const struct ss_reviewer *rv = NULL;
	size_t before = diags->total, k, answered = 0;

	memset(v, 0, sizeof(*v));
	v->line = r->line;
	for (k = 0; k < pol->nquestions; k++) {
		const struct wsfield *f = cell(r, hd->q[k]);

		if (f && *trim(f->text))
			answered++;
	}
	if (answered == 0) {
		if (*note)
			diag_add(
			    diags, name, fn->line, fn->col,
			    "this row has a note but no answers: fill in the answers, or clear "
			    "the note");
		return *note ? ROW_BAD : ROW_SKIP; /* not reviewed yet */
	}
	v->keyed = true;
	v->id = id;
	v->reviewer = who;
	if (*month == '\0')
		diag_add(diags, name, fm->line, fm->col, "the month is blank (it should be %s)",
		         cx->month);
	else if (strcmp(month, cx->month) != 0)
		diag_add(diags, name, fm->line, fm->col,
		         "this row is for '%s', but the worksheet is being read into %s", month,
		         cx->month);
	if (*who == '\0') {
		diag_add(diags, name, fv->line, fv->col,
		         "no reviewer named: write the handle of the person whose verdict this is");
	} else if (!ss_name_valid(who) || ss_registry_find(w->registry, who) == NULL) {
		diag_add(diags, name, fv->line, fv->col,
		         "there is no reviewer '%s' in the register", who);
	} else if (ss_act_check_who(w, who, &rv)) {
		diag_add(diags, name, fv->line, fv->col, "%s", ss_error_message());
		rv = NULL;
	}
	if (rv && strcmp(role, rv->role) != 0) {
		if (*role)
			diag_add(diags, name, fr->line, fr->col, "%s is %s %s, not %s %s",
			         rv->handle, ss_act_a_an(rv->role), rv->role, ss_act_a_an(role),
			         role);
		else
			diag_add(diags, name, fr->line, fr->col, "the role is blank (%s is %s %s)",
			         rv->handle, ss_act_a_an(rv->role), rv->role);
		rv = NULL;
	}
	if (rv && ss_act_check_record(cx, id, rv->role))
		diag_add(diags, name, fi->line, fi->col, "%s", ss_error_message());
	else if (!rv && !ss_layout_id_valid(id))
		diag_add(diags, name, fi->line, fi->col, "'%s' is not a record id", id);
	if ((v->answers = calloc(pol->nquestions, sizeof(*v->answers))) == NULL) {
		diag_add(diags, name, r->line, 1, "out of memory");
		return ROW_BAD;
	}
	for (k = 0; k < pol->nquestions; k++) {
		const struct ss_question *q = &pol->questions[k];
		const struct wsfield *f = cell(r, hd->q[k]);
		const char *a = f ? trim(f->text) : "";

		if (*a == '\0') {
			if (q->required) {
				ss_act_refuse_required(q);
				diag_add(diags, name, f->line, f->col, "%s", ss_error_message());
			}
			continue;
		}
		if (!ss_act_value_allowed(q, a)) {
			ss_act_refuse_value(q, a);
			diag_add(diags, name, f->line, f->col, "%s", ss_error_message());
			continue;
		}
		v->answers[v->nanswers].question = q->id;
		v->answers[v->nanswers].value = (char *)a;
		v->nanswers++;
	}
	if (*note && ss_act_check_text("the note", note, SS_ACT_NOTE_MAX))
		diag_add(diags, name, fn->line, fn->col, "%s", ss_error_message());
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
			diag_add(
			    diags, name, p[i]->line, 1,
			    "a second row for %s on record %s (the first is on line %zu): keep "
			    "one",
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
	struct wsfile ws;
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
	if ((err = ss_act_month_load(w, month, &cx)))
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
			struct wsrow *r = &ws.rows[i];

			if (row_empty(r))
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
		err = ss_error_set(SS_EDATA, "%s: %zu problem%s found; nothing was recorded", name,
		                   diags->total, diags->total == 1 ? "" : "s");
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
	wsfile_release(&ws);
	ss_act_month_release(&cx);
	return err;
}
