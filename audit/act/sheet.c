/*
 * sheet.c - a filled-in spreadsheet as rows of fields (sheet.h).
 */
#include "sheet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "csvtok.h"
#include "error.h"
#include "utf8.h"

void ss_sheet_release(struct ss_sheet *sh)
{
	size_t i, k;

	for (i = 0; i < sh->n; i++) {
		for (k = 0; k < sh->rows[i].n; k++)
			free(sh->rows[i].f[k].text);
		free(sh->rows[i].f);
	}
	free(sh->rows);
	memset(sh, 0, sizeof(*sh));
}

/* Append a copy of f's value (unquoted) to r. */
static int row_push(struct ss_sheet_row *r, const struct ss_csvfield *f)
{
	char *text;

	if (ss_array_room((void **)&r->f, &r->cap, r->n, sizeof(*r->f), 16))
		return SS_ENOMEM;
	if ((text = malloc(f->len + 1)) == NULL)
		return ss_error_nomem();
	text[ss_csvtok_unescape(f, text, f->len)] = '\0';
	r->f[r->n].text = text;
	r->f[r->n].line = f->line;
	r->f[r->n].col = f->col;
	r->n++;
	return 0;
}

static int sheet_push(struct ss_sheet *sh, struct ss_sheet_row *r)
{
	if (ss_array_room((void **)&sh->rows, &sh->cap, sh->n, sizeof(*sh->rows), 64))
		return SS_ENOMEM;
	sh->rows[sh->n++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

/* The tokenizer's errors in a spreadsheet user's words. */
static const char *const tok_error[] = {
    [SS_CSVTOK_E_QUOTE] = N_("a quote inside a value that does not start with one (quote the "
                             "whole value and double the quote)"),
    [SS_CSVTOK_E_AFTER_QUOTE] = N_("text after a closing quote: a quoted value must end at a "
                                   "comma or the end of the line"),
    [SS_CSVTOK_E_CR] = N_("a carriage return that does not end the line"),
};

/* Line and column (from 1, in bytes) of byte `at` of d, counting from `from`. */
static void position(const char *d, size_t from, size_t at, size_t *line, size_t *col)
{
	size_t k;

	*line = 1;
	*col = 1;
	for (k = from; k < at; k++) {
		if (d[k] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/*
 * Rows of fields with their positions (columns in bytes from 1, not counting
 * a BOM). A structural error is reported and its row marked bad; an unclosed
 * quote ends the file.
 */
int ss_sheet_read(const char *d, size_t len, const char *name, struct ss_sheet *sh,
                  struct ss_diags *diags)
{
	struct ss_csvtok t;
	struct ss_sheet_row row;
	size_t bad, line, col;
	int err = 0;

	memset(&row, 0, sizeof(row));
	ss_csvtok_init(&t, d, len, true, 0);
	if (!ss_utf8_valid(d + t.pos, len - t.pos, &bad)) {
		position(d, t.pos, t.pos + bad, &line, &col);
		ss_diags_add(
		    diags, name, line, col,
		    _("this is not UTF-8 text: save the file as \"CSV UTF-8\" and try again"));
		return 0;
	}
	for (;;) {
		struct ss_csvfield f;
		enum ss_csvtok_step step = ss_csvtok_next(&t, &f);

		if (step == SS_CSVTOK_END || step == SS_CSVTOK_MORE) /* MORE: never, at eof */
			break;
		if (step == SS_CSVTOK_UNCLOSED) {
			ss_diags_add(diags, name, f.line, f.col,
			             _("a quoted value is never closed (a '\"' is missing)"));
			goto out;
		}
		if (row.n == 0)
			row.line = f.line;
		if (f.err != SS_CSVTOK_OK && !row.bad) {
			ss_diags_add(diags, name, f.err_line, f.err_col, "%s", _(tok_error[f.err]));
			row.bad = true;
		}
		if ((err = row_push(&row, &f)))
			goto out;
		if (step == SS_CSVTOK_LAST && (err = sheet_push(sh, &row)))
			goto out;
	}
	/* A spreadsheet set to a language that writes decimal commas saves
	 * "CSV" with semicolons: the header is then one field holding them. */
	if (sh->n > 0 && sh->rows[0].n == 1 && strchr(sh->rows[0].f[0].text, ';') &&
	    !sh->rows[0].bad) {
		ss_diags_add(diags, name, sh->rows[0].line, 1,
		             _("the columns are separated by semicolons, not commas: a "
		               "spreadsheet set up for another country saved it so; save it "
		               "again as \"CSV UTF-8 (comma delimited)\", or export with ',' as "
		               "the field separator"));
		sh->rows[0].bad = true;
	}
out:
	for (size_t k = 0; k < row.n; k++)
		free(row.f[k].text);
	free(row.f);
	return err;
}

char *ss_sheet_trim(char *s)
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

bool ss_sheet_row_empty(const struct ss_sheet_row *r)
{
	const char *s;
	size_t k;

	for (k = 0; k < r->n; k++)
		for (s = r->f[k].text; *s; s++)
			if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
				return false;
	return true;
}

size_t ss_sheet_columns(const struct ss_sheet_row *h, const char *name, const char *const *names,
                        size_t nnames, size_t *cols, struct ss_diags *diags)
{
	size_t i, k, problems = 0;
	int pass;

	for (k = 0; k < nnames; k++)
		cols[k] = SIZE_MAX;
	/* Names exactly as written first; then, for a column still missing, the
	 * same name in other capitals (a spreadsheet's "Month", "ID"). A column
	 * whose exact name is there leaves its capitalised twin to the reader. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < h->n; i++) {
			const char *t = ss_sheet_trim(h->f[i].text);

			for (k = 0; k < nnames; k++)
				if ((pass ? strcasecmp(t, names[k]) : strcmp(t, names[k])) == 0)
					break;
			if (k == nnames || cols[k] == i)
				continue; /* not one of the caller's: for the reader only */
			if (pass &&
			    (strcmp(t, names[k]) == 0 ||
			     (cols[k] != SIZE_MAX && strcmp(h->f[cols[k]].text, names[k]) == 0)))
				continue; /* placed already, or its exact twin is */
			if (cols[k] != SIZE_MAX) {
				ss_diags_add(diags, name, h->f[i].line, h->f[i].col,
				             _("the column '%s' appears twice in the header"), t);
				problems++;
				continue;
			}
			cols[k] = i;
		}
	}
	return problems;
}

const struct ss_sheet_field *ss_sheet_cell(const struct ss_sheet_row *r, size_t idx)
{
	return idx == SIZE_MAX ? NULL : &r->f[idx];
}
