/*
 * review.c - verdicts, worksheets, corrections, close and reopen (see
 * review.h). Each action checks itself against the tip the writer holds
 * and commits through it; a worksheet is checked whole before one batch.
 */
#include "review.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "actions.h"
#include "buf.h"
#include "clock.h"
#include "error.h"
#include "month.h"
#include "sample.h"

#define NOTE_MAX 20000

/* ------------------------------------------------------------ month context */

/* What every verdict on a month is checked against, loaded once per action. */
struct vctx {
	const char *month;
	struct ss_sample *s;
	bool closed;
	char *closed_by;
	char words[32];
};

static void vctx_release(struct vctx *cx)
{
	ss_sample_free(cx->s);
	free(cx->closed_by);
	memset(cx, 0, sizeof(*cx));
}

/* Is the month closed at the tip? (closed.json with state "closed") */
static int month_closed(struct ss_writer *w, const char *month, bool *closed, char **by)
{
	char path[64], *data = NULL, *m = NULL, *reason = NULL;
	size_t len;
	int err;

	*closed = false;
	*by = NULL;
	ss_month_path(path, sizeof(path), month, "closed.json");
	err = ss_trail_read(w->trail, &w->tip, path, &data, &len);
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		return 0;
	}
	if (err)
		return err;
	err = ss_closed_from_json(data, len, path, &m, closed, by, &reason);
	free(data);
	free(m);
	free(reason);
	return err;
}

static int vctx_load(struct ss_writer *w, const char *month, struct vctx *cx)
{
	int err;

	memset(cx, 0, sizeof(*cx));
	cx->month = month;
	ss_month_words(month, cx->words, sizeof(cx->words));
	if ((err = ss_month_sample(w->trail, &w->tip, month, &cx->s)) ||
	    (err = month_closed(w, month, &cx->closed, &cx->closed_by)))
		vctx_release(cx);
	return err;
}

int ss_month_refuse_closed(const struct ss_policy *pol, const char *month, const char *closed_by)
{
	struct ss_buf roles = SS_BUF_INIT;
	char words[32];
	size_t i, n = 0;
	int err;

	ss_month_words(month, words, sizeof(words));
	for (i = 0; i < pol->nroles; i++)
		if (ss_role_may(&pol->roles[i], SS_MAY_CLOSE))
			ss_buf_printf(&roles, "%s%s", n++ ? " or " : "", pol->roles[i].name);
	err = ss_error_set(SS_EFAIL,
	                   "%s is closed (signed off by %s): no more verdicts or waivers can be "
	                   "recorded. A %s can reopen it with: ssaudit reopen %s --reason TEXT",
	                   words, closed_by ? closed_by : "someone",
	                   roles.data ? roles.data : "coordinator", month);
	ss_buf_release(&roles);
	return err;
}

/* ------------------------------------------------------------ checks */

/* "a" or "an" before a role name. */
static const char *a_an(const char *w)
{
	return w && strchr("aeiou", w[0]) && w[0] ? "an" : "a";
}

/* Who the verdict belongs to, and may the actor record it? */
static int check_who(const struct ss_writer *w, const char *handle, const struct ss_reviewer **out)
{
	const struct ss_reviewer *rv;
	const struct ss_role *role;

	*out = NULL;
	if (handle == NULL || strcmp(handle, w->handle) == 0) {
		if (!ss_role_may(w->actor_role, SS_MAY_REVIEW)) {
			if (ss_role_may(w->actor_role, SS_MAY_ENTER_FOR))
				return ss_error_set(
				    SS_EPERM,
				    "%s is %s %s, and the policy does not let %s %s "
				    "record verdicts of their own: to enter a member's "
				    "verdict, name them (--for HANDLE, or the reviewer "
				    "column of a worksheet)",
				    w->handle, a_an(w->actor->role), w->actor->role,
				    a_an(w->actor->role), w->actor->role);
			return ss_act_require(w, SS_MAY_REVIEW, "record a verdict");
		}
		*out = w->actor;
		return 0;
	}
	rv = ss_registry_find(w->registry, handle);
	if (rv == NULL)
		return ss_error_set(SS_EPERM, "there is no reviewer '%s' in the register", handle);
	if (rv->removed)
		return ss_error_set(SS_EPERM, "'%s' was removed from the register on %s", handle,
		                    rv->removed);
	if (!ss_role_enters_for(w->actor_role, rv->role))
		return ss_error_set(
		    SS_EPERM,
		    "%s is %s %s, and the policy does not let %s %s enter verdicts for "
		    "%s %s such as %s",
		    w->handle, a_an(w->actor->role), w->actor->role, a_an(w->actor->role),
		    w->actor->role, a_an(rv->role), rv->role, handle);
	role = ss_policy_role(w->policy, rv->role);
	if (role == NULL || !ss_role_may(role, SS_MAY_REVIEW))
		return ss_error_set(SS_EPERM, "%s is %s %s, a role that does not record verdicts",
		                    handle, a_an(rv->role), rv->role);
	*out = rv;
	return 0;
}

/* Is the record in the sample, and in this role's share of it? */
static int check_record(const struct vctx *cx, const char *id, const char *role)
{
	const struct ss_sample_role *sr;

	if (!ss_record_id_valid(id) || ss_sample_find(cx->s, id) == NULL)
		return ss_error_set(SS_EFAIL,
		                    "there is no record '%s' in the sample of %s (only sampled "
		                    "records are reviewed; see: ssaudit list %s)",
		                    id, cx->words, cx->month);
	sr = ss_sample_role(cx->s, role);
	if (sr == NULL)
		return ss_error_set(SS_EFAIL, "%s %s reviews no records in %s", a_an(role), role,
		                    cx->words);
	if (!ss_sample_role_has(cx->s, role, id))
		return ss_error_set(
		    SS_EFAIL,
		    "record %s is not among the %zu records %s %s reviews in %s (see: "
		    "ssaudit list %s --role %s)",
		    id, sr->n, a_an(role), role, cx->words, cx->month, role);
	return 0;
}

/* "a, b or c" */
static void values_words(const struct ss_question *q, struct ss_buf *b)
{
	size_t i;

	for (i = 0; i < q->nvalues; i++)
		ss_buf_printf(b, "%s%s",
		              i == 0                ? ""
		              : i + 1 == q->nvalues ? " or "
		                                    : ", ",
		              q->values[i]);
}

static bool value_allowed(const struct ss_question *q, const char *v)
{
	size_t i;

	for (i = 0; i < q->nvalues; i++)
		if (strcmp(q->values[i], v) == 0)
			return true;
	return false;
}

static int refuse_value(const struct ss_question *q, const char *v)
{
	struct ss_buf b = SS_BUF_INIT;
	int err;

	values_words(q, &b);
	err = ss_error_set(SS_EUSAGE, "'%s' is not an answer to %s: give %s", v, q->id,
	                   b.data ? b.data : "");
	ss_buf_release(&b);
	return err;
}

static int refuse_required(const struct ss_question *q)
{
	struct ss_buf b = SS_BUF_INIT;
	int err;

	values_words(q, &b);
	err = ss_error_set(SS_EUSAGE, "%s must be answered (%s)", q->id, b.data ? b.data : "");
	ss_buf_release(&b);
	return err;
}

static int check_answers(const struct ss_policy *pol, const struct ss_answer *a, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct ss_question *q = ss_policy_question(pol, a[i].question);

		if (q == NULL)
			return ss_error_set(SS_EUSAGE, "the policy has no question '%s'",
			                    a[i].question);
		if (!value_allowed(q, a[i].value))
			return refuse_value(q, a[i].value);
		for (j = 0; j < i; j++)
			if (strcmp(a[j].question, a[i].question) == 0)
				return ss_error_set(SS_EUSAGE, "%s is answered twice", q->id);
	}
	for (i = 0; i < pol->nquestions; i++) {
		if (!pol->questions[i].required)
			continue;
		for (j = 0; j < n && strcmp(a[j].question, pol->questions[i].id) != 0; j++)
			;
		if (j == n)
			return refuse_required(&pol->questions[i]);
	}
	if (n == 0)
		return ss_error_set(SS_EUSAGE, "a verdict needs at least one answer");
	return 0;
}

/* Free text: valid UTF-8, no control characters but tab and newline. */
static int check_text(const char *what, const char *s, size_t max)
{
	const unsigned char *p;
	size_t n = strlen(s);

	if (n > max)
		return ss_error_set(SS_EUSAGE, "%s is longer than %zu bytes", what, max);
	if (!ss_utf8_valid(s, n, NULL))
		return ss_error_set(SS_EUSAGE, "%s is not valid UTF-8", what);
	for (p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
			return ss_error_set(SS_EUSAGE, "%s holds a control character", what);
	return 0;
}

static bool blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* ------------------------------------------------------------ one verdict */

static int commit_verdict(struct ss_writer *w, const struct vctx *cx,
                          const struct ss_verdict_req *req, const struct ss_reviewer *rv,
                          enum ss_recorded *res)
{
	struct ss_verdict v;
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char path[256], subject[512], *old = NULL;
	size_t oldlen = 0, i;
	bool entered = strcmp(rv->handle, w->handle) != 0, existed;
	int err;

	*res = SS_RECORDED_NEW;
	memset(&v, 0, sizeof(v));
	v.month = (char *)req->month;
	v.id = (char *)req->id;
	v.role = rv->role;
	v.reviewer = rv->handle;
	v.entered_by = w->handle;
	v.answers = (struct ss_answer *)req->answers;
	v.nanswers = req->nanswers;
	v.note = blank(req->note) ? NULL : (char *)req->note;
	if ((err = ss_verdict_to_json(&v, w->policy, &json)))
		goto out;
	ss_verdict_path(path, sizeof(path), req->month, req->id, rv->role, rv->handle);
	err = ss_trail_read(w->trail, &w->tip, path, &old, &oldlen);
	existed = err == 0;
	if (err == SS_ENOTFOUND)
		ss_error_clear();
	else if (err)
		goto out;
	err = 0;
	if (existed && oldlen == json.len && memcmp(old, json.data, oldlen) == 0) {
		*res = SS_RECORDED_SAME;
		goto out;
	}
	snprintf(subject, sizeof(subject), "verdict: %s %s by %s (%s)%s%s", req->month, req->id,
	         rv->handle, rv->role, entered ? ", entered by " : "", entered ? w->handle : "");
	if (entered)
		ss_buf_printf(&body,
		              "%s (%s) entered the verdict of %s (%s) on record %s of %s, on "
		              "their behalf: ",
		              w->actor->name, w->actor->role, rv->name, rv->role, req->id,
		              cx->words);
	else
		ss_buf_printf(&body, "%s (%s) recorded a verdict on record %s of %s: ", rv->name,
		              rv->role, req->id, cx->words);
	for (i = 0; i < req->nanswers; i++)
		ss_buf_printf(&body, "%s%s %s", i ? ", " : "", req->answers[i].question,
		              req->answers[i].value);
	ss_buf_puts(&body, v.note ? ", with a note." : ".");
	if (existed)
		ss_buf_puts(&body, " It replaces the earlier verdict of the same reviewer on this "
		                   "record (the old one stays in the history).");
	if (req->source)
		ss_buf_printf(&body, "\nFrom %s.", req->source);
	if (body.data == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	{
		struct ss_change ch = {path, json.data, json.len};
		struct ss_commit_msg msg = {0};
		bool unchanged = false;

		msg.action = "verdict";
		msg.month = req->month;
		msg.record = req->id;
		msg.role = rv->role;
		msg.on_behalf_of = entered ? rv->handle : NULL;
		msg.subject = subject;
		msg.body = body.data;
		if ((err = ss_writer_commit(w, &msg, &ch, 1, &unchanged)))
			goto out;
		*res = unchanged ? SS_RECORDED_SAME
		       : existed ? SS_RECORDED_REPLACED
		                 : SS_RECORDED_NEW;
	}
out:
	free(old);
	ss_buf_release(&json);
	ss_buf_release(&body);
	return err;
}

int ss_act_verdict(struct ss_writer *w, const struct ss_verdict_req *req, enum ss_recorded *res)
{
	const struct ss_reviewer *rv = NULL;
	struct vctx cx;
	int err;

	*res = SS_RECORDED_SAME;
	memset(&cx, 0, sizeof(cx));
	if ((err = check_who(w, req->reviewer, &rv)) || (err = vctx_load(w, req->month, &cx)))
		goto out;
	if (cx.closed) {
		err = ss_month_refuse_closed(w->policy, req->month, cx.closed_by);
		goto out;
	}
	if ((err = check_record(&cx, req->id, rv->role)) ||
	    (err = check_answers(w->policy, req->answers, req->nanswers)) ||
	    (req->note && (err = check_text("the note", req->note, NOTE_MAX))))
		goto out;
	err = commit_verdict(w, &cx, req, rv, res);
out:
	vctx_release(&cx);
	return err;
}

/* ------------------------------------------------------------ worksheets */

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

static int row_push(struct wsrow *r, struct ss_buf *val, size_t line, size_t col)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		struct wsfield *g = realloc(r->f, nc * sizeof(*g));

		if (g == NULL)
			return ss_error_nomem();
		r->f = g;
		r->cap = nc;
	}
	if (val->data == NULL && ss_buf_put(val, "", 0))
		return ss_error_nomem();
	r->f[r->n].text = ss_buf_detach(val);
	r->f[r->n].line = line;
	r->f[r->n].col = col;
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

/*
 * RFC 4180 into rows of fields with their positions (columns in bytes from 1,
 * not counting a BOM). A structural error is reported and its row dropped;
 * an unclosed quote ends the file. Returns 0 or SS_ENOMEM; problems go to diags.
 */
static int csv_rows(const char *d, size_t len, const char *name, struct wsfile *ws,
                    struct ss_diags *diags)
{
	struct wsrow row;
	struct ss_buf val = SS_BUF_INIT;
	size_t i = 0, line = 1, col = 1, bad;
	int err = 0;

	memset(&row, 0, sizeof(row));
	if (len >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (!ss_utf8_valid(d + i, len - i, &bad)) {
		size_t k, l = 1, c = 1;

		for (k = i; k < i + bad; k++) {
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
	while (i < len) {
		size_t fline = line, fcol = col;

		if (row.n == 0 && !row.bad)
			row.line = line;
		ss_buf_reset(&val);
		if (d[i] == '"') {
			i++;
			col++;
			for (;;) {
				if (i >= len) {
					diag_add(
					    diags, name, fline, fcol,
					    "a quoted value is never closed (a '\"' is missing)");
					goto out;
				}
				if (d[i] == '"') {
					if (i + 1 < len && d[i + 1] == '"') {
						if ((err = ss_buf_putc(&val, '"')))
							goto out;
						i += 2;
						col += 2;
						continue;
					}
					i++;
					col++;
					break;
				}
				if (d[i] == '\n') {
					line++;
					col = 1;
				} else {
					col++;
				}
				if ((err = ss_buf_putc(&val, d[i])))
					goto out;
				i++;
			}
			if (i < len && d[i] != ',' && d[i] != '\n' && d[i] != '\r') {
				if (!row.bad)
					diag_add(
					    diags, name, line, col,
					    "text after a closing quote: a quoted value must end "
					    "at a comma or the end of the line");
				row.bad = true;
				while (i < len && d[i] != ',' && d[i] != '\n') {
					i++;
					col++;
				}
			}
		} else {
			while (i < len && d[i] != ',' && d[i] != '\n' && d[i] != '\r') {
				if (d[i] == '"' && !row.bad) {
					diag_add(
					    diags, name, line, col,
					    "a quote inside a value that does not start with one "
					    "(quote the whole value and double the quote)");
					row.bad = true;
				}
				if ((err = ss_buf_putc(&val, d[i])))
					goto out;
				i++;
				col++;
			}
		}
		if ((err = row_push(&row, &val, fline, fcol)))
			goto out;
		if (i < len && d[i] == ',') {
			i++;
			col++;
			if (i == len && (err = row_push(&row, &val, line, col)))
				goto out;
			continue;
		}
		if (i < len && d[i] == '\r') {
			if (i + 1 >= len || d[i + 1] != '\n') {
				if (!row.bad)
					diag_add(diags, name, line, col,
					         "a carriage return that does not end the line");
				row.bad = true;
				i++;
				col++;
				continue;
			}
			i++;
		}
		if (i < len && d[i] == '\n') {
			i++;
			line++;
			col = 1;
		}
		if ((err = file_push(ws, &row)))
			goto out;
	}
	if (row.n && (err = file_push(ws, &row)))
		goto out;
out:
	for (size_t k = 0; k < row.n; k++)
		free(row.f[k].text);
	free(row.f);
	ss_buf_release(&val);
	return err;
}

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
	for (i = 0; i < h->n; i++) {
		const char *t = trim(h->f[i].text);
		size_t *slot = NULL;

		for (k = 0; k < C_FIXED && !slot; k++)
			if (strcmp(t, fixed_names[k]) == 0)
				slot = &hd->fixed[k];
		for (k = 0; k < pol->nquestions && !slot; k++)
			if (strcmp(t, pol->questions[k].id) == 0)
				slot = &hd->q[k];
		if (slot == NULL)
			continue; /* a detail column, for the reader only */
		if (*slot != SIZE_MAX) {
			diag_add(diags, name, h->f[i].line, h->f[i].col,
			         "the column '%s' appears twice in the header", t);
			continue;
		}
		*slot = i;
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

static bool row_empty(const struct wsrow *r)
{
	size_t k;

	for (k = 0; k < r->n; k++)
		if (!blank(r->f[k].text))
			return false;
	return true;
}

/* Parse, read the header, check every row's shape. */
static int ws_load(const char *data, size_t len, const char *name, const struct ss_policy *pol,
                   struct wsfile *ws, struct wsheader *hd, bool *header_ok, struct ss_diags *diags)
{
	size_t before = diags->total, i;
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
static enum rowstate check_row(struct ss_writer *w, const struct vctx *cx, const char *name,
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
	} else if (check_who(w, who, &rv)) {
		diag_add(diags, name, fv->line, fv->col, "%s", ss_error_message());
		rv = NULL;
	}
	if (rv && strcmp(role, rv->role) != 0) {
		if (*role)
			diag_add(diags, name, fr->line, fr->col, "%s is %s %s, not %s %s",
			         rv->handle, a_an(rv->role), rv->role, a_an(role), role);
		else
			diag_add(diags, name, fr->line, fr->col, "the role is blank (%s is %s %s)",
			         rv->handle, a_an(rv->role), rv->role);
		rv = NULL;
	}
	if (rv && check_record(cx, id, rv->role))
		diag_add(diags, name, fi->line, fi->col, "%s", ss_error_message());
	else if (!rv && !ss_record_id_valid(id))
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
				refuse_required(q);
				diag_add(diags, name, f->line, f->col, "%s", ss_error_message());
			}
			continue;
		}
		if (!value_allowed(q, a)) {
			refuse_value(q, a);
			diag_add(diags, name, f->line, f->col, "%s", ss_error_message());
			continue;
		}
		v->answers[v->nanswers].question = q->id;
		v->answers[v->nanswers].value = (char *)a;
		v->nanswers++;
	}
	if (*note && check_text("the note", note, NOTE_MAX))
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
	struct vctx cx;
	size_t i, nv = 0;
	bool batch = false, header_ok = false;
	int err;

	memset(res, 0, sizeof(*res));
	memset(&ws, 0, sizeof(ws));
	memset(&hd, 0, sizeof(hd));
	memset(&cx, 0, sizeof(cx));
	if ((err = vctx_load(w, month, &cx)))
		goto out;
	if (cx.closed) {
		err = ss_month_refuse_closed(w->policy, month, cx.closed_by);
		goto out;
	}
	if ((err = ws_load(data, len, name, w->policy, &ws, &hd, &header_ok, diags)) == SS_ENOMEM)
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
			if (check_row(w, &cx, name, w->policy, &hd, r, &v[nv], diags) == ROW_SKIP)
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
		if ((err = check_who(w, req.reviewer, &rv)) ||
		    (err = check_record(&cx, req.id, rv->role)) ||
		    (err = commit_verdict(w, &cx, &req, rv, &done)))
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
	vctx_release(&cx);
	return err;
}

/* ------------------------------------------------------------ corrections */

/* Unix seconds of a YYYYMMDDThhmmssZ time. */
static int64_t compact_to_unix(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year =
	    (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') - 1900;
	tm.tm_mon = (s[4] - '0') * 10 + (s[5] - '0') - 1;
	tm.tm_mday = (s[6] - '0') * 10 + (s[7] - '0');
	tm.tm_hour = (s[9] - '0') * 10 + (s[10] - '0');
	tm.tm_min = (s[11] - '0') * 10 + (s[12] - '0');
	tm.tm_sec = (s[13] - '0') * 10 + (s[14] - '0');
	return (int64_t)timegm(&tm);
}

/* The corrections of one record at the tip, as a partial month state. */
static int record_corrections(struct ss_writer *w, const char *month, const char *id,
                              struct ss_month_state **out)
{
	struct ss_month_state *st = calloc(1, sizeof(*st));
	char dir[256], path[512], **names = NULL, *data = NULL;
	size_t n = 0, i, len;
	int err;

	*out = NULL;
	if (st == NULL)
		return ss_error_nomem();
	snprintf(dir, sizeof(dir), "months/%s/corrections/%.2s/%s", month, id + 2, id);
	err = ss_trail_list(w->trail, &w->tip, dir, &names, &n);
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		err = 0;
		n = 0;
	}
	if (err)
		goto out;
	if (n && (st->corrections = calloc(n, sizeof(*st->corrections))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((err = ss_trail_read(w->trail, &w->tip, path, &data, &len)) ||
		    (err = ss_correction_from_json(data, len, path,
		                                   &st->corrections[st->ncorrections])))
			goto out;
		st->ncorrections++;
		free(data);
		data = NULL;
	}
	/* File names sort as TIME.HANDLE, which is the order the state keeps. */
	*out = st;
	st = NULL;
out:
	free(data);
	ss_strv_free(names, n);
	ss_month_state_free(st);
	return err;
}

static void value_words(const struct ss_rule_value *v, char *out, size_t n)
{
	if (v->kind == SS_RV_STRING)
		snprintf(out, n, "'%s'", v->s);
	else if (v->kind == SS_RV_BOOL)
		snprintf(out, n, "%s", v->b ? "true" : "false");
	else
		snprintf(out, n, "blank");
}

int ss_act_correct(struct ss_writer *w, const struct ss_correct_req *req,
                   struct ss_correction *done)
{
	struct ss_population *pop = NULL;
	struct ss_month_state *st = NULL;
	const struct ss_record *r;
	struct ss_correction c;
	struct ss_fix fx[2];
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char words[32], path[256], subject[512], from[600], to[600];
	size_t i;
	int64_t when;
	int err;

	memset(&c, 0, sizeof(c));
	memset(fx, 0, sizeof(fx));
	if (done)
		memset(done, 0, sizeof(*done));
	if ((err = ss_act_require(w, SS_MAY_CORRECT, "correct an outcome")))
		return err;
	if (!req->set_outcome && !req->set_linked)
		return ss_error_set(SS_EUSAGE, "say what to correct: --outcome VALUE, --linked "
		                               "true|false|null, or both");
	if (blank(req->reason))
		return ss_error_set(SS_EUSAGE, "say why with --reason TEXT (for example the lab "
		                               "result or the charge)");
	if ((err = check_text("the reason", req->reason, NOTE_MAX)))
		return err;
	if (req->set_outcome && req->outcome &&
	    (blank(req->outcome) || (err = check_text("the outcome", req->outcome, 200))))
		return err ? err
		           : ss_error_set(SS_EUSAGE, "the outcome is empty (give the outcome's "
		                                     "words, as in the force's data)");
	ss_month_words(req->month, words, sizeof(words));
	if ((err = ss_month_population(w->trail, &w->tip, req->month, NULL, NULL, &pop)))
		goto out;
	if ((r = ss_population_find(pop, req->id)) == NULL) {
		err = ss_error_set(SS_EFAIL, "there is no record '%s' in %s", req->id, words);
		goto out;
	}
	if ((err = record_corrections(w, req->month, req->id, &st)))
		goto out;
	c.month = (char *)req->month;
	c.id = (char *)r->id;
	c.reason = (char *)req->reason;
	c.by = w->handle;
	c.changes = fx;
	if (req->set_outcome) {
		fx[c.nchanges].field = SS_F_OUTCOME;
		fx[c.nchanges].from = ss_month_current(st, r, SS_F_OUTCOME);
		fx[c.nchanges].to.kind = req->outcome ? SS_RV_STRING : SS_RV_NULL;
		fx[c.nchanges].to.s = req->outcome;
		c.nchanges++;
	}
	if (req->set_linked) {
		fx[c.nchanges].field = SS_F_OUTCOME_LINKED;
		fx[c.nchanges].from = ss_month_current(st, r, SS_F_OUTCOME_LINKED);
		fx[c.nchanges].to.kind = req->linked == SS_TRI_NULL ? SS_RV_NULL : SS_RV_BOOL;
		fx[c.nchanges].to.b = req->linked == SS_TRI_TRUE;
		c.nchanges++;
	}
	for (i = 0; i < c.nchanges; i++)
		if (ss_rule_value_equal(&fx[i].from, &fx[i].to)) {
			value_words(&fx[i].from, from, sizeof(from));
			err = ss_error_set(SS_EFAIL,
			                   "nothing to correct: %s of record %s is already %s",
			                   ss_field_name(fx[i].field), req->id, from);
			goto out;
		}
	/* Times strictly increase per record, so their order is the order of commits. */
	when = w->now;
	if (st->ncorrections) {
		int64_t last = compact_to_unix(st->corrections[st->ncorrections - 1].time);

		if (when <= last)
			when = last + 1;
	}
	w->now = when;
	ss_clock_compact(when, c.time);
	if ((err = ss_correction_to_json(&c, &json)))
		goto out;
	ss_correction_path(path, sizeof(path), req->month, req->id, c.time, w->handle);
	snprintf(subject, sizeof(subject), "correction: %s %s by %s (%s)", req->month, req->id,
	         w->handle, w->actor->role);
	ss_buf_printf(&body, "%s (%s) corrected record %s of %s: ", w->actor->name, w->actor->role,
	              req->id, words);
	for (i = 0; i < c.nchanges; i++) {
		value_words(&fx[i].from, from, sizeof(from));
		value_words(&fx[i].to, to, sizeof(to));
		ss_buf_printf(&body, "%s%s from %s to %s", i ? "; " : "",
		              fx[i].field == SS_F_OUTCOME ? "the outcome"
		                                          : "whether the outcome was linked to "
		                                            "the object of the search",
		              from, to);
	}
	ss_buf_printf(&body, ". Reason: %s", req->reason);
	if (body.data == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	{
		struct ss_change ch = {path, json.data, json.len};
		struct ss_commit_msg msg = {0};

		msg.action = "correction";
		msg.month = req->month;
		msg.record = req->id;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body.data;
		if ((err = ss_writer_commit(w, &msg, &ch, 1, NULL)))
			goto out;
	}
	if (done) {
		err = ss_correction_from_json(json.data, json.len, path, done);
	}
out:
	ss_buf_release(&json);
	ss_buf_release(&body);
	ss_month_state_free(st);
	ss_population_free(pop);
	return err;
}

/* ------------------------------------------------------------ close, reopen */

void ss_close_result_release(struct ss_close_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nmissing; i++) {
		free(r->missing[i].role);
		ss_strv_free(r->missing[i].ids, r->missing[i].n);
	}
	free(r->missing);
	memset(r, 0, sizeof(*r));
}

static bool has_verdict_by(const struct ss_month_state *st, const char *id, const char *role)
{
	const struct ss_verdict *v;
	size_t n, i;

	v = ss_month_verdicts(st, id, &n);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].role, role) == 0)
			return true;
	return false;
}

static bool waived_now(const struct ss_waive *wv, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(wv[i].id, id) == 0)
			return true;
	return false;
}

/* Missing verdicts per role; ids copied into one block per role. */
static int find_missing(const struct ss_sample *s, const struct ss_month_state *st,
                        const struct ss_waive *wv, size_t nwv, struct ss_close_result *res)
{
	size_t r, i;

	if (s->nroles && (res->missing = calloc(s->nroles, sizeof(*res->missing))) == NULL)
		return ss_error_nomem();
	for (r = 0; r < s->nroles; r++) {
		const struct ss_sample_role *sr = &s->roles[r];
		struct ss_missing *m = &res->missing[res->nmissing];

		for (i = 0; i < sr->n; i++) {
			const char *id = sr->ids[i];

			if (has_verdict_by(st, id, sr->role) || ss_month_waiver(st, id) ||
			    waived_now(wv, nwv, id))
				continue;
			if (m->ids == NULL) {
				if ((m->role = strdup(sr->role)) == NULL ||
				    (m->ids = calloc(sr->n, sizeof(*m->ids))) == NULL)
					return ss_error_nomem();
				res->nmissing++;
			}
			if ((m->ids[m->n] = strdup(id)) == NULL)
				return ss_error_nomem();
			m->n++;
			res->total_missing++;
		}
	}
	return 0;
}

static bool record_needs_waiver(const struct ss_sample *s, const struct ss_month_state *st,
                                const char *id)
{
	size_t r;

	for (r = 0; r < s->nroles; r++)
		if (ss_sample_role_has(s, s->roles[r].role, id) &&
		    !has_verdict_by(st, id, s->roles[r].role))
			return true;
	return false;
}

int ss_act_close(struct ss_writer *w, const char *month, const struct ss_waive *waivers,
                 size_t nwaivers, struct ss_close_result *res)
{
	struct ss_month_state *st = NULL;
	struct ss_change *ch = NULL;
	struct ss_buf *files = NULL, closed = SS_BUF_INIT, body = SS_BUF_INIT;
	char(*paths)[256] = NULL;
	struct vctx cx;
	char subject[512];
	size_t i, j;
	int err;

	memset(res, 0, sizeof(*res));
	memset(&cx, 0, sizeof(cx));
	if ((err = ss_act_require(w, SS_MAY_CLOSE, "close the month")))
		return err;
	if ((err = vctx_load(w, month, &cx)))
		goto out;
	if (cx.closed) {
		err = ss_error_set(SS_EFAIL, "%s is already closed (signed off by %s)", cx.words,
		                   cx.closed_by ? cx.closed_by : "someone");
		goto out;
	}
	if ((err = ss_month_state_load(w->trail, &w->tip, month, &st)))
		goto out;
	for (i = 0; i < nwaivers; i++) {
		const char *id = waivers[i].id;
		const struct ss_waiver *old;

		for (j = 0; j < i; j++)
			if (strcmp(waivers[j].id, id) == 0) {
				err = ss_error_set(SS_EUSAGE, "record %s is waived twice", id);
				goto out;
			}
		if (blank(waivers[i].reason)) {
			err = ss_error_set(SS_EUSAGE,
			                   "say why record %s is waived (--reason TEXT "
			                   "after --waive %s)",
			                   id, id);
			goto out;
		}
		if ((err = check_text("the reason", waivers[i].reason, NOTE_MAX)))
			goto out;
		if (!ss_record_id_valid(id) || ss_sample_find(cx.s, id) == NULL) {
			err = ss_error_set(
			    SS_EFAIL,
			    "there is no record '%s' in the sample of %s: only sampled "
			    "records can be waived",
			    id, cx.words);
			goto out;
		}
		if ((old = ss_month_waiver(st, id)) != NULL) {
			err = ss_error_set(SS_EFAIL, "record %s is already waived (by %s: %s)", id,
			                   old->by, old->reason);
			goto out;
		}
		if (!record_needs_waiver(cx.s, st, id)) {
			err = ss_error_set(SS_EFAIL,
			                   "record %s needs no waiver: every role that reviews it "
			                   "has recorded a verdict",
			                   id);
			goto out;
		}
	}
	res->records = cx.s->n;
	res->verdicts = st->nverdicts;
	res->waived = st->nwaivers + nwaivers;
	if ((err = find_missing(cx.s, st, waivers, nwaivers, res)))
		goto out;
	if (res->total_missing) {
		err = ss_error_set(SS_EFAIL,
		                   "%s cannot be closed yet: %zu verdict%s missing (each record in "
		                   "a role's share needs a verdict by someone of that role, or a "
		                   "waiver: --waive ID --reason TEXT)",
		                   cx.words, res->total_missing,
		                   res->total_missing == 1 ? " is" : "s are");
		goto out;
	}
	if ((ch = calloc(nwaivers + 1, sizeof(*ch))) == NULL ||
	    (files = calloc(nwaivers + 1, sizeof(*files))) == NULL ||
	    (paths = calloc(nwaivers + 1, sizeof(*paths))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < nwaivers; i++) {
		struct ss_waiver wv = {(char *)month, (char *)waivers[i].id,
		                       (char *)waivers[i].reason, w->handle};

		if ((err = ss_waiver_to_json(&wv, &files[i])))
			goto out;
		ss_waiver_path(paths[i], sizeof(paths[i]), month, waivers[i].id);
		ch[i].path = paths[i];
		ch[i].data = files[i].data;
		ch[i].len = files[i].len;
	}
	if ((err = ss_closed_to_json(month, true, w->handle, NULL, &closed)))
		goto out;
	ss_month_path(paths[nwaivers], sizeof(paths[nwaivers]), month, "closed.json");
	ch[nwaivers].path = paths[nwaivers];
	ch[nwaivers].data = closed.data;
	ch[nwaivers].len = closed.len;
	snprintf(subject, sizeof(subject), "close: %s by %s (%s)", month, w->handle,
	         w->actor->role);
	ss_buf_printf(&body, "%s (%s) signed off %s: %zu sampled record%s, %zu verdict%s",
	              w->actor->name, w->actor->role, cx.words, cx.s->n, cx.s->n == 1 ? "" : "s",
	              st->nverdicts, st->nverdicts == 1 ? "" : "s");
	if (res->waived)
		ss_buf_printf(&body, ", %zu record%s waived", res->waived,
		              res->waived == 1 ? "" : "s");
	ss_buf_puts(&body, ".");
	for (i = 0; i < nwaivers; i++)
		ss_buf_printf(&body, "\nWaived %s: %s", waivers[i].id, waivers[i].reason);
	if (body.data == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	{
		struct ss_commit_msg msg = {0};

		msg.action = "close";
		msg.month = month;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body.data;
		err = ss_writer_commit(w, &msg, ch, nwaivers + 1, NULL);
	}
out:
	for (i = 0; files && i < nwaivers + 1; i++)
		ss_buf_release(&files[i]);
	free(files);
	free(paths);
	free(ch);
	ss_buf_release(&closed);
	ss_buf_release(&body);
	ss_month_state_free(st);
	vctx_release(&cx);
	return err;
}

int ss_act_reopen(struct ss_writer *w, const char *month, const char *reason)
{
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char path[64], words[32], subject[512], *by = NULL;
	bool closed = false;
	int err;

	if ((err = ss_act_require(w, SS_MAY_CLOSE, "reopen the month")))
		return err;
	if (blank(reason))
		return ss_error_set(SS_EUSAGE, "say why the month is reopened, with --reason TEXT");
	if ((err = check_text("the reason", reason, NOTE_MAX)))
		return err;
	ss_month_words(month, words, sizeof(words));
	if ((err = month_closed(w, month, &closed, &by)))
		goto out;
	if (!closed) {
		err = ss_error_set(SS_EFAIL, "%s is not closed", words);
		goto out;
	}
	if ((err = ss_closed_to_json(month, false, w->handle, reason, &json)))
		goto out;
	ss_month_path(path, sizeof(path), month, "closed.json");
	snprintf(subject, sizeof(subject), "reopen: %s by %s (%s)", month, w->handle,
	         w->actor->role);
	ss_buf_printf(&body,
	              "%s (%s) reopened %s, which %s had signed off; verdicts can be "
	              "recorded again. Reason: %s",
	              w->actor->name, w->actor->role, words, by ? by : "someone", reason);
	if (body.data == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	{
		struct ss_change ch = {path, json.data, json.len};
		struct ss_commit_msg msg = {0};

		msg.action = "reopen";
		msg.month = month;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body.data;
		err = ss_writer_commit(w, &msg, &ch, 1, NULL);
	}
out:
	free(by);
	ss_buf_release(&json);
	ss_buf_release(&body);
	return err;
}

/* ------------------------------------------------------------ gc */

int ss_writer_maybe_gc(struct ss_writer *w, size_t threshold, size_t *packed)
{
	size_t loose = 0, done = 0;
	int err;

	if (packed)
		*packed = 0;
	if (threshold == 0) {
		const char *s = getenv("SSAUDIT_GC_LOOSE");
		char *end;
		unsigned long v;

		threshold = 3000;
		if (s && *s) {
			v = strtoul(s, &end, 10);
			if (*end == '\0' && v > 0)
				threshold = v;
		}
	}
	if ((err = ss_trail_count_loose(w->trail, &loose)))
		return err;
	if (loose <= threshold)
		return 0;
	if ((err = ss_trail_gc(w->trail, &done)))
		return err;
	if (packed)
		*packed = done;
	return 0;
}
