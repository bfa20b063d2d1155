/*
 * reader.h - read stop-search files (police-csv, police-json, force-csv) into
 * a population: validate structure, type the values, pseudonymise identities.
 *
 * Ownership: the caller owns the population it passes in and the struct
 * ss_diags it passes in (release with ss_diags_release()). The reader never
 * keeps a pointer to either after returning.
 */
#ifndef SS_READER_H
#define SS_READER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "record.h"

struct ss_pseudo;

struct ss_diag {
	char *file;
	size_t line, col; /* 1-based; col counts bytes */
	char *msg;        /* without the position prefix */
};

/* Structural errors found while reading, up to a limit. */
struct ss_diags {
	struct ss_diag *d;
	size_t n, cap;
	size_t total; /* errors seen, including those past the limit */
	size_t limit; /* how many to keep; 0 means 1 */
};

void ss_diags_release(struct ss_diags *d);

/* Count a problem at FILE:LINE:COLUMN and keep its message while under the
 * limit (a message that cannot be kept for want of memory is still counted). */
void ss_diags_add(struct ss_diags *d, const char *file, size_t line, size_t col, const char *fmt,
                  ...) SS_PRINTF(5, 6);
void ss_diags_vadd(struct ss_diags *d, const char *file, size_t line, size_t col, const char *fmt,
                   va_list ap);
/* A row's identity columns as the file gives them (ptr NULL when absent or
 * blank), borrowed for one call of ss_read_opts.on_row: name, date of birth,
 * address, PNC id, and the officer's number before any pseudonymising. */
enum ss_ident {
	SS_IDENT_NAME,
	SS_IDENT_DOB,
	SS_IDENT_ADDRESS,
	SS_IDENT_PNC,
	SS_IDENT_OFFICER,
	SS_IDENT_COUNT
};
struct ss_row_identity {
	const char *ptr[SS_IDENT_COUNT];
	size_t len[SS_IDENT_COUNT];
};

struct ss_read_opts {
	enum ss_format format; /* SS_FORMAT_AUTO detects from the content */
	/* NULL: identity columns dropped, subject null, officer kept */
	const struct ss_pseudo *pseudo;
	bool pseudonymise_officer; /* needs pseudo */
	/* The import's month (YYYY-MM, NULL: not checked) and the instants it spans
	 * in UK local time (ss_month_uk_span): a row dated outside them is an error
	 * at its date, or with keep_outside kept and counted in its source's
	 * `outside`. */
	const char *month;
	struct ss_instant month_from, month_to;
	bool keep_outside;
	/* Called after every SS_READ_PROGRESS_EVERY records appended to the
	 * population (its count so far), for progress on a terminal; may be NULL. */
	void (*progress)(size_t records, void *arg);
	void *progress_arg;
	/* Called after each record is appended (NULL: not called), with the
	 * row's identity columns, which live only for the call (reveal and
	 * feedback find the rows behind pseudonyms with it). A non-zero return
	 * (other than SS_EDATA) stops the read and is returned. */
	int (*on_row)(void *arg, const struct ss_record *r, const struct ss_row_identity *id);
	void *on_row_arg;
};

#define SS_READ_PROGRESS_EVERY 10000

/*
 * Read one file, appending its records to pop and a struct ss_source to
 * pop->sources. Returns 0, or SS_EDATA when the file held any structural error
 * (every error up to diags->limit is in diags, and the first one is also the
 * current error message, "FILE:LINE:COLUMN: ..."), SS_ENOINPUT when it cannot
 * be opened, SS_EIO on a read error. On error pop keeps no record of this file.
 * `name` is what messages and sources.json call the file (NULL: path).
 */
int ss_read_file(const char *path, const char *name, const struct ss_read_opts *opts,
                 struct ss_population *pop, struct ss_diags *diags);

/* The same over bytes in memory (for tests and fuzzing). */
int ss_read_buffer(const char *name, const char *data, size_t len, const struct ss_read_opts *opts,
                   struct ss_population *pop, struct ss_diags *diags);

/* Detect a buffer's format: police-json when it starts with '[' or '{' (after a BOM and
 * white space), force-csv when the header has any force column, else police-csv. */
enum ss_format ss_format_detect(const char *data, size_t len);

#endif
