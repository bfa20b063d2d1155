/*
 * sheet.h - a spreadsheet a person filled in (a worksheet of verdicts, a file
 * of corrections) as rows of fields with their positions, private to
 * audit/act/: RFC 4180 through the records' one tokenizer, UTF-8 with an
 * optional BOM, LF or CRLF. Problems go to the caller's diags with the line
 * and column, in a spreadsheet user's words (save as "CSV UTF-8"; a
 * semicolon-separated file).
 *
 * Ownership: struct ss_sheet owns its rows and their texts
 * (ss_sheet_release()); ss_sheet_trim() trims a field's text in place.
 */
#ifndef SS_ACT_SHEET_H
#define SS_ACT_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "reader.h"

struct ss_sheet_field {
	char *text; /* unquoted, NUL-terminated */
	size_t line, col;
};

struct ss_sheet_row {
	struct ss_sheet_field *f;
	size_t n, cap;
	size_t line;
	bool bad; /* a problem was reported for it */
};

struct ss_sheet {
	struct ss_sheet_row *rows; /* rows[0] is the header */
	size_t n, cap;
};

/* Read data (name: what messages call it) into *sh. Returns 0 or SS_ENOMEM;
 * problems (not UTF-8, a broken quote) go to diags, their rows marked bad. */
int ss_sheet_read(const char *data, size_t len, const char *name, struct ss_sheet *sh,
                  struct ss_diags *diags);
void ss_sheet_release(struct ss_sheet *sh);

/* Trim spaces, tabs and line ends at both ends, in place. */
char *ss_sheet_trim(char *s);

/* Every field blank. */
bool ss_sheet_row_empty(const struct ss_sheet_row *r);

/*
 * Find the header's columns: names[i] (matched without regard to ASCII case
 * or surrounding spaces) gets its column's index in cols[i], SIZE_MAX when
 * absent. A name given twice in the header is reported; other columns are
 * left for the reader. Returns the number of problems reported.
 */
size_t ss_sheet_columns(const struct ss_sheet_row *header, const char *name,
                        const char *const *names, size_t nnames, size_t *cols,
                        struct ss_diags *diags);

/* The field in column idx of r, NULL when the column is absent (SIZE_MAX). */
const struct ss_sheet_field *ss_sheet_cell(const struct ss_sheet_row *r, size_t idx);

#endif
