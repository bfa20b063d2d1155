/*
 * readctx.h - what the format readers (csv.c, police_json.c) share with
 * reader.c: one file's reading context, error collection, and turning a row
 * of raw cells into a validated, pseudonymised record. Internal to records/.
 *
 * Ownership: the context borrows the file's bytes, the options, the
 * population and the diagnostics from ss_read_buffer(); it owns `secret` (a
 * sodium_malloc buffer for a row's text, wiped after each row), `tmp` and
 * `intern`'s table (not the strings it points to: they are the population's).
 */
#ifndef SS_READCTX_H
#define SS_READCTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include "buf.h"
#include "crypto.h"
#include "reader.h"
#include "map.h"
#include "record.h"

/* The longest value a cell may hold, in bytes. */
#define SS_MAX_FIELD 65536

/* Input columns: the canonical fields, then the identity columns that are
 * read but never stored. */
enum ss_incol { SS_IN_NAME = SS_F_COUNT, SS_IN_DOB, SS_IN_ADDRESS, SS_IN_PNC, SS_IN_COUNT };

enum ss_cell_kind { SS_CELL_ABSENT, SS_CELL_TEXT, SS_CELL_BOOL };

struct ss_cell {
	enum ss_cell_kind kind;
	const char *p; /* SS_CELL_TEXT: the value, as given (may be empty) */
	size_t len;
	signed char tri;   /* SS_CELL_BOOL: an enum ss_tri */
	size_t line, col;  /* where the value starts (its opening quote, if any) */
	size_t vcol;       /* the column of the value's first byte when its bytes are
	                      the file's, one for one (else 0): offsets within it are exact */
	const char *label; /* the column or key, for messages */
};

/* A file read in pieces: a window of its bytes (reader.c). */
struct ss_read_stream {
	int fd;
	const char *name;
	char *buf; /* wiped before it is freed: a force's export holds identities */
	size_t cap;
	/* Given before the file's bytes (a part's copy of the header), or none. */
	const char *prefix;
	size_t prefix_len;
	/* bounded: [pos, end) of the file by pread (a part); else read() to the end. */
	bool bounded;
	off_t pos, end;
	bool hash; /* the bytes read are hashed into sha */
	struct ss_sha256 sha;
};

struct ss_read_ctx {
	const char *name; /* for messages */
	/* The file's bytes: all of them, or when reading a file in pieces a
	 * window on it that ss_ctx_more() slides and fills. */
	const char *data;
	size_t len;
	bool eof;                      /* data reaches the end of the file */
	struct ss_read_stream *stream; /* NULL: data is the whole file */
	const struct ss_read_opts *opts;
	struct ss_population *pop;
	struct ss_diags *diags;
	enum ss_format format; /* as detected or given */
	uint32_t source;       /* index the file's source will have */
	size_t rows;           /* records appended */
	size_t outside;        /* of which dated outside opts->month (kept) */
	size_t errors;         /* errors found in this file */
	bool stop;             /* no diags: stop at the first error */
	unsigned char *secret; /* sodium_malloc'd scratch for a row's cells */
	size_t secret_cap, secret_used;
	struct ss_buf tmp;
	struct ss_map *intern; /* short values kept once per file (reader.c); keys in the arena */
	/* Per field: values looked up in intern, found there, and whether the
	 * field is no longer looked up (its values are mostly new). */
	uint32_t intern_tries[SS_F_COUNT], intern_hits[SS_F_COUNT];
	bool intern_off[SS_F_COUNT];
};

/* The first window of a file read in pieces; it grows only for a row longer than this. */
#ifndef SS_WINDOW
#define SS_WINDOW ((size_t)8 << 20)
#endif

/* Set c up to read `name` through stream (or data[0..len) when stream is
 * NULL) into pop, as the next source; borrows everything. */
void ss_ctx_init(struct ss_read_ctx *c, const char *name, struct ss_read_stream *stream,
                 const char *data, size_t len, const struct ss_read_opts *opts,
                 struct ss_population *pop, struct ss_diags *diags);
/* Read c's file: the first window, the format (detected unless opts give
 * it), then every row appended to c->pop. 0, SS_EDATA (errors recorded) or
 * a fatal code. */
int ss_ctx_read(struct ss_read_ctx *c);
/* Free what the context owns (secret wiped); c can be released twice. */
void ss_ctx_release(struct ss_read_ctx *c);

/*
 * A big regular CSV file read in parts on several threads (readsplit.c), c
 * set up by ss_ctx_init() without a stream. *done false: the file is not one
 * to split (small, JSON, one thread, opts->on_row set) or a part met an
 * error; nothing was appended, and the caller reads it whole, which reports
 * every error exactly. *done true: its rows appended to c->pop in file order,
 * c->format, c->rows and c->outside set, and hex the file's SHA-256. Other
 * returns are fatal (SS_ENOMEM, SS_EIO), with nothing appended.
 */
int ss_read_split(struct ss_read_ctx *c, int fd, size_t size, char hex[65], bool *done);

/* Record an error at line:col (the message formatted without position);
 * the first one of a read also becomes the current error message. Returns SS_EDATA. */
int ss_ctx_error(struct ss_read_ctx *c, size_t line, size_t col, const char *fmt, ...)
    SS_PRINTF(4, 5);

/* Validate a row's cells (indexed by enum ss_field / enum ss_incol) and append the
 * record. SS_EDATA when the row was bad (its errors recorded; nothing appended);
 * other codes are fatal. */
int ss_ctx_emit(struct ss_read_ctx *c, struct ss_cell *cells, size_t line);

/* Position of byte offset off in data as 1-based line and byte column.
 * Walks forward from the cursor when it can; reset the cursor to {0,1,0} to start. */
struct ss_linepos {
	size_t off, line, linestart;
};
void ss_linepos_at(const char *data, struct ss_linepos *cur, size_t off, size_t *line, size_t *col);

/* Quote s for a message: at most 40 bytes, control characters shown as '?'. */
void ss_quote_value(char *out, size_t outsz, const char *s, size_t n);

/* Keep data[keep..len), moved to the start of the window, and read more of
 * the file after it (a bigger window when nothing can be dropped). Sets eof at
 * the end of the file, and at once when there is no stream. 0, SS_EIO or
 * SS_ENOMEM. Pointers into data are stale afterwards. */
int ss_ctx_more(struct ss_read_ctx *c, size_t keep);

/* Wipe the part of `secret` a row used (call after every row). */
void ss_ctx_row_done(struct ss_read_ctx *c);

#endif
