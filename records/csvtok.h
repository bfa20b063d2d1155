/*
 * csvtok.h - the project's one CSV tokenizer (RFC 4180), under every CSV
 * reader: police-csv and force-csv (records/csv.c) and the review worksheet
 * (audit/act/worksheet.c). It cuts bytes into fields, each with its line and
 * column (bytes, from 1; a UTF-8 byte order mark at the start is skipped and
 * not counted), and finds the structural errors; the readers decide what a
 * row means and word the messages.
 *
 * Quoted values may hold commas, doubled quotes and line breaks (LF or CRLF;
 * the line count follows them). A row ends at LF, CRLF or the end of the
 * file. Structural errors, each located: a quote inside a value that does not
 * start with one, text (or a lone carriage return) after a closing quote, a
 * carriage return that does not end a line, a quoted value that runs to the
 * end of the file; with SS_CSVTOK_TEXT also a NUL byte and invalid UTF-8.
 *
 * Ownership: a struct ss_csvtok is a plain value (copy it to mark a place and
 * to go back there); it borrows the bytes it is given and allocates nothing.
 * A field points into those bytes (zero-copy) for as long as they live; a
 * value with doubled quotes is given raw, and ss_csvtok_unescape() copies it
 * into a buffer the caller owns (and wipes, when it holds a secret).
 */
#ifndef SS_CSVTOK_H
#define SS_CSVTOK_H

#include <stdbool.h>
#include <stddef.h>

/* Flags for ss_csvtok_init(). */
enum {
	SS_CSVTOK_TEXT = 1, /* a NUL byte or invalid UTF-8 in a value is an error too */
};

/* A field's first structural error. */
enum ss_csvtok_err {
	SS_CSVTOK_OK = 0,
	SS_CSVTOK_E_QUOTE,       /* a quote inside a value that does not start with one */
	SS_CSVTOK_E_AFTER_QUOTE, /* text after the closing quote of a value */
	SS_CSVTOK_E_CR,          /* a carriage return that does not end a line */
	SS_CSVTOK_E_NUL,         /* a NUL byte (SS_CSVTOK_TEXT) */
	SS_CSVTOK_E_UTF8,        /* invalid UTF-8 (SS_CSVTOK_TEXT) */
};

struct ss_csvfield {
	const char *p; /* the value's bytes in the input: between the quotes of a
	                  quoted value, its doubled quotes still doubled */
	size_t len;
	size_t line, col; /* where the field starts (its opening quote, if any) */
	size_t vcol;      /* the column of the value's first byte when its bytes are
	                     the file's one for one on one line (else 0) */
	bool quoted;
	bool escaped; /* holds doubled quotes: see ss_csvtok_unescape() */
	enum ss_csvtok_err err;
	size_t err_line, err_col; /* where err is */
};

/* What ss_csvtok_next() found. */
enum ss_csvtok_step {
	SS_CSVTOK_FIELD,    /* a field, and the row goes on */
	SS_CSVTOK_LAST,     /* a field that ends its row (at a line end or the end of the file) */
	SS_CSVTOK_END,      /* at a row's start, nothing is left */
	SS_CSVTOK_MORE,     /* the bytes end before the field or its row end can be known, and
	                       they are not the end of the file: go back to the row's start,
	                       give more with ss_csvtok_window() and read the row again */
	SS_CSVTOK_UNCLOSED, /* a quoted value runs to the end of the file; the field's line and
	                       col are its opening quote; nothing after it can be read */
};

struct ss_csvtok {
	const char *d; /* the bytes: the whole file, or a window on it */
	size_t len;
	bool eof; /* d reaches the end of the file */
	unsigned flags;
	size_t pos;       /* the next byte to read */
	size_t line;      /* pos's line, from 1 */
	size_t linestart; /* the offset of that line's first column */
	bool in_row;      /* the last field ended with a comma: another one follows */
};

/* Start at the beginning of a file (d[0..len), eof as above), skipping a
 * UTF-8 byte order mark. */
void ss_csvtok_init(struct ss_csvtok *t, const char *d, size_t len, bool eof, unsigned flags);

/* The next field into *f (filled for FIELD, LAST and UNCLOSED). After MORE or
 * UNCLOSED, *t is left as it was. */
enum ss_csvtok_step ss_csvtok_next(struct ss_csvtok *t, struct ss_csvfield *f);

/* True when nothing but line ends (CR, LF) is left from t->pos. */
bool ss_csvtok_only_line_ends(const struct ss_csvtok *t);

/* The window moved: the bytes are now d[0..len), holding what was at offset
 * `dropped` and after at 0 and after (t's offsets are shifted down by it). */
void ss_csvtok_window(struct ss_csvtok *t, const char *d, size_t len, bool eof, size_t dropped);

/* Copy f's value, its doubled quotes made single, into out[0..cap).
 * Returns the length copied, or (size_t)-1 when it does not fit: then
 * nothing is written. */
size_t ss_csvtok_unescape(const struct ss_csvfield *f, char *out, size_t cap);

#endif
