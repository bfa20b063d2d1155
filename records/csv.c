#include "csv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvtok.h"
#include "error.h"
#include "readctx.h"

/* The police-csv header, in order, and the fields its columns fill. */
static const struct column {
	const char *name;
	int field; /* enum ss_field or enum ss_incol */
} police_columns[] =
    {
        {"Type", SS_F_TYPE},
        {"Date", SS_F_DATETIME},
        {"Part of a policing operation", SS_F_OPERATION},
        {"Policing operation", SS_F_OPERATION_NAME},
        {"Latitude", SS_F_LATITUDE},
        {"Longitude", SS_F_LONGITUDE},
        {"Gender", SS_F_GENDER},
        {"Age range", SS_F_AGE_RANGE},
        {"Self-defined ethnicity", SS_F_SELF_DEFINED_ETHNICITY},
        {"Officer-defined ethnicity", SS_F_OFFICER_DEFINED_ETHNICITY},
        {"Legislation", SS_F_LEGISLATION},
        {"Object of search", SS_F_OBJECT_OF_SEARCH},
        {"Outcome", SS_F_OUTCOME},
        {"Outcome linked to object of search", SS_F_OUTCOME_LINKED},
        {"Removal of more than just outer clothing", SS_F_REMOVAL},
},
  force_columns[] = {
      {"Reference", SS_F_REFERENCE},
      {"Area", SS_F_AREA},
      {"Officer", SS_F_OFFICER},
      {"Grounds", SS_F_GROUNDS},
      {"BWV", SS_F_BWV},
      {"Subject name", SS_IN_NAME},
      {"Subject date of birth", SS_IN_DOB},
      {"Subject address", SS_IN_ADDRESS},
      {"Subject PNC ID", SS_IN_PNC},
};

#define NPOLICE (sizeof(police_columns) / sizeof(police_columns[0]))
#define NFORCE  (sizeof(force_columns) / sizeof(force_columns[0]))
#define MAXCOLS (NPOLICE + NFORCE)

const char *ss_csv_column(size_t i)
{
	if (i < NPOLICE)
		return police_columns[i].name;
	if (i < MAXCOLS)
		return force_columns[i - NPOLICE].name;
	return NULL;
}

bool ss_csv_force_column(const char *name, size_t len)
{
	size_t k;

	for (k = 0; k < NFORCE; k++)
		if (strlen(force_columns[k].name) == len &&
		    strncasecmp(force_columns[k].name, name, len) == 0)
			return true;
	return false;
}

struct field {
	const char *p;
	size_t len;
	size_t line, col;
	size_t vcol; /* see struct ss_cell */
};

struct csvp {
	struct ss_read_ctx *c;
	struct ss_csvtok t; /* over the window on the file (all of it, or the part read) */
	bool bad;           /* the current row already has an error */
	/* The row's first error, reported once the row is known to be whole:
	 * a row cut by the end of the window is parsed again after more is read. */
	size_t bad_line, bad_col;
	char bad_msg[512];
};

/* The tokenizer's errors in this reader's words. */
static const char *const tok_error[] = {
    [SS_CSVTOK_E_QUOTE] = N_("a quote inside a value that does not start with one (quote the "
                             "whole value and double the quote)"),
    [SS_CSVTOK_E_AFTER_QUOTE] = N_("text after the closing quote of a value (a quote inside a "
                                   "quoted value must be doubled: \"\")"),
    [SS_CSVTOK_E_CR] = N_("a carriage return that does not end a line"),
    [SS_CSVTOK_E_NUL] = N_("a NUL byte (this is not a text file)"),
    [SS_CSVTOK_E_UTF8] = N_("invalid UTF-8 (save the file as UTF-8 text)"),
};

static void row_error(struct csvp *P, size_t line, size_t col, const char *fmt, ...)
    SS_PRINTF(4, 5);

static void row_error(struct csvp *P, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	if (P->bad)
		return;
	P->bad = true;
	P->bad_line = line;
	P->bad_col = col;
	va_start(ap, fmt);
	vsnprintf(P->bad_msg, sizeof(P->bad_msg), fmt, ap);
	va_end(ap);
}

static void flush_row_error(struct csvp *P)
{
	if (P->bad && P->bad_line != 0)
		ss_ctx_error(P->c, P->bad_line, P->bad_col, "%s", P->bad_msg);
	P->bad_line = 0;
}

/*
 * Parse one row into f[0..maxf), counting every field in *nf. Returns 0 for a
 * row (P->bad when it had an error), 1 at the end of the data, -1 when the
 * rest of the file cannot be read (a quote never closed), 2 when the window
 * ends before the row does. Its error is reported by the caller,
 * flush_row_error().
 */
static int parse_row(struct csvp *P, struct field *f, size_t maxf, size_t *nf)
{
	struct ss_read_ctx *c = P->c;

	*nf = 0;
	P->bad = false;
	if (ss_csvtok_only_line_ends(&P->t))
		return 1;
	for (;;) {
		struct ss_csvfield tf;
		enum ss_csvtok_step step = ss_csvtok_next(&P->t, &tf);
		struct field v;

		if (step == SS_CSVTOK_MORE)
			return 2;
		if (step == SS_CSVTOK_END)
			return 1;
		if (tf.err != SS_CSVTOK_OK)
			row_error(P, tf.err_line, tf.err_col, "%s", _(tok_error[tf.err]));
		if (step == SS_CSVTOK_UNCLOSED) {
			flush_row_error(P);
			ss_ctx_error(
			    c, tf.line, tf.col,
			    _("a quoted value is never closed (its opening quote is here)"));
			return -1;
		}
		v.p = tf.p;
		v.len = tf.len;
		v.line = tf.line;
		v.col = tf.col;
		v.vcol = tf.vcol;
		if (tf.escaped) {
			/* Unescaped into the secret buffer, wiped after the row: the
			 * value may be an identity column. Not copied past maxf (the
			 * row is refused for its count anyway). */
			size_t n = 0;

			if (*nf < maxf)
				n = ss_csvtok_unescape(&tf, (char *)c->secret + c->secret_used,
				                       c->secret_cap - c->secret_used);
			v.p = (const char *)c->secret + c->secret_used;
			if (n == SIZE_MAX) {
				v.len = SS_MAX_FIELD + 1;
			} else {
				v.len = n;
				c->secret_used += n;
			}
		}
		if (v.len > SS_MAX_FIELD)
			row_error(P, v.line, v.col, _("a value longer than %d bytes"),
			          SS_MAX_FIELD);
		if (*nf < maxf)
			f[*nf] = v;
		(*nf)++;
		if (step == SS_CSVTOK_LAST)
			return 0;
	}
}

/*
 * parse_row() over a window that may end before the file does: a row counts
 * only when its line end is in the window (or the file has ended); otherwise
 * more is read and the row parsed again. Returns as parse_row() (never 2), or
 * a negative error code from reading.
 */
static int next_row(struct csvp *P, struct field *f, size_t maxf, size_t *nf)
{
	struct ss_read_ctx *c = P->c;

	for (;;) {
		struct ss_csvtok mark = P->t;
		int r = parse_row(P, f, maxf, nf), err;
		size_t keep;

		if (r != 2 && (r != 1 || c->eof)) {
			flush_row_error(P);
			return r;
		}
		/* Cut short by the window: forget the row and read on. */
		P->bad = false;
		P->bad_line = 0;
		ss_ctx_row_done(c);
		keep = mark.linestart; /* the row's line, whose columns count from there */
		if ((err = ss_ctx_more(c, keep)) != 0)
			return err;
		P->t = mark;
		ss_csvtok_window(&P->t, c->data, c->len, c->eof, keep);
	}
}

static char *dup_label(const struct field *f)
{
	char *s = malloc(f->len + 1);

	if (s) {
		memcpy(s, f->p, f->len);
		s[f->len] = '\0';
	}
	return s;
}

static const struct column *find_column(const struct field *f)
{
	size_t i;

	for (i = 0; i < NPOLICE; i++)
		if (strlen(police_columns[i].name) == f->len &&
		    strncasecmp(police_columns[i].name, f->p, f->len) == 0)
			return &police_columns[i];
	for (i = 0; i < NFORCE; i++)
		if (strlen(force_columns[i].name) == f->len &&
		    strncasecmp(force_columns[i].name, f->p, f->len) == 0)
			return &force_columns[i];
	return NULL;
}

/* Map the header's columns to fields; false when the header is wrong. */
static bool read_header(struct csvp *P, struct field *h, size_t nf, int *map, char **labels)
{
	struct ss_read_ctx *c = P->c;
	bool ok = true;
	size_t i, j;
	char q[64];

	if (c->format == SS_FORMAT_POLICE_CSV) {
		for (i = 0; i < NPOLICE && i < nf; i++) {
			if (h[i].len != strlen(police_columns[i].name) ||
			    memcmp(h[i].p, police_columns[i].name, h[i].len) != 0) {
				ss_quote_value(q, sizeof(q), h[i].p, h[i].len);
				ss_ctx_error(
				    c, h[i].line, h[i].col,
				    _("the header's column %zu is \"%s\" where a police-csv file "
				      "has \"%s\""),
				    i + 1, q, police_columns[i].name);
				return false;
			}
			map[i] = police_columns[i].field;
		}
		if (nf != NPOLICE) {
			size_t k = nf < NPOLICE ? nf - 1 : NPOLICE;

			ss_ctx_error(
			    c, h[k].line, nf < NPOLICE ? h[k].col + h[k].len : h[k].col,
			    _("the header has %zu columns where a police-csv file has %zu "
			      "(Type, Date, ... Removal of more than just outer clothing)%s"),
			    nf, NPOLICE,
			    nf > NPOLICE ? _("; for a force's export use --format force-csv") : "");
			return false;
		}
	} else {
		bool seen[NPOLICE] = {false};

		for (i = 0; i < nf; i++) {
			const struct column *col = find_column(&h[i]);

			ss_quote_value(q, sizeof(q), h[i].p, h[i].len);
			if (col == NULL) {
				ss_ctx_error(
				    c, h[i].line, h[i].col,
				    _("unknown column \"%s\": a force-csv file may hold only the "
				      "police-csv columns and Reference, Area, Officer, Grounds, "
				      "BWV, Subject name, Subject date of birth, Subject address, "
				      "Subject PNC ID"),
				    q);
				ok = false;
				continue;
			}
			for (j = 0; j < i; j++) {
				if (map[j] == col->field) {
					ss_ctx_error(
					    c, h[i].line, h[i].col,
					    _("the column \"%s\" appears twice (also column %zu)"),
					    q, j + 1);
					ok = false;
					break;
				}
			}
			map[i] = col->field;
			if (col >= police_columns && col < police_columns + NPOLICE)
				seen[col - police_columns] = true;
		}
		for (i = 0; i < NPOLICE; i++) {
			if (!seen[i]) {
				ss_ctx_error(c, h[0].line, 1,
				             _("the header lacks the column \"%s\""),
				             police_columns[i].name);
				ok = false;
			}
		}
	}
	if (!ok)
		return false;
	for (i = 0; i < nf; i++) {
		labels[i] = dup_label(&h[i]);
		if (labels[i] == NULL)
			return false;
	}
	return true;
}

int ss_csv_read(struct ss_read_ctx *c)
{
	struct csvp P = {.c = c};
	struct field f[MAXCOLS + 2];
	int map[MAXCOLS + 1];
	char *labels[MAXCOLS + 1] = {NULL};
	size_t nf = 0, ncols, i;
	int err = 0, r;

	ss_csvtok_init(&P.t, c->data, c->len, c->eof, SS_CSVTOK_TEXT);
	r = next_row(&P, f, MAXCOLS + 1, &nf);
	if (r < -1) {
		err = r;
		goto out;
	}
	if (r == 1) {
		ss_ctx_error(c, 1, 1, _("the file has no header line"));
		goto out;
	}
	if (r < 0 || P.bad)
		goto out;
	if (nf > MAXCOLS + 1)
		nf = MAXCOLS + 1;
	if (!read_header(&P, f, nf, map, labels)) {
		if (c->errors == 0)
			err = ss_error_nomem();
		goto out;
	}
	ss_ctx_row_done(c);
	ncols = nf;
	while (!c->stop) {
		struct ss_cell cells[SS_IN_COUNT];
		size_t line = P.t.line;

		r = next_row(&P, f, ncols + 1, &nf);
		if (r < -1) {
			err = r;
			goto out;
		}
		if (r != 0)
			break;
		if (P.bad) {
			ss_ctx_row_done(c);
			continue;
		}
		if (nf != ncols) {
			if (nf == 1 && f[0].len == 0)
				ss_ctx_error(c, line, 1,
				             _("an empty line where a row of %zu values was "
				               "expected"),
				             ncols);
			else if (nf < ncols)
				ss_ctx_error(c, f[nf - 1].line, f[nf - 1].col + f[nf - 1].len,
				             _("this row has %zu values where the header has %zu"),
				             nf, ncols);
			else
				ss_ctx_error(c, f[ncols].line, f[ncols].col - 1,
				             _("this row has more values than the header's %zu "
				               "(an unquoted comma?)"),
				             ncols);
			ss_ctx_row_done(c);
			continue;
		}
		memset(cells, 0, sizeof(cells));
		for (i = 0; i < ncols; i++) {
			struct ss_cell *cl = &cells[map[i]];

			cl->kind = SS_CELL_TEXT;
			cl->p = f[i].p;
			cl->len = f[i].len;
			cl->line = f[i].line;
			cl->col = f[i].col;
			cl->vcol = f[i].vcol;
			cl->label = labels[i];
		}
		err = ss_ctx_emit(c, cells, line);
		ss_ctx_row_done(c);
		if (err && err != SS_EDATA)
			goto out;
		err = 0;
	}
out:
	ss_ctx_row_done(c);
	for (i = 0; i < MAXCOLS + 1; i++)
		free(labels[i]);
	return err ? err : c->errors ? SS_EDATA : 0;
}
