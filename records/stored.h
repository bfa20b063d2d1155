/*
 * stored.h - a month's population.jsonl read as it streams, fast: each line
 * is scanned for ssaudit's own canonical form (DESIGN.md section 3 fixes its
 * keys, their order and their types, so a plain scan is safe), and any line
 * that is not exactly that form (an escape, a space, a key out of place, a
 * bad byte) is read again by the strict parser, ss_record_parse_line(), which
 * accepts or refuses it with its line and column. A line the scan accepts,
 * the strict parser accepts with the same values, so results never depend on
 * which path read a line.
 *
 * Only what a command needs is kept: the ids always, the string fields named
 * in `fields` (booleans cost nothing and are always kept), and only the
 * records `keep` accepts. The environment variable SSAUDIT_POPULATION_STRICT=1
 * sends every line through the strict parser, with every field, so tests can
 * compare the two paths.
 *
 * Ownership: a struct ss_stored_reader is the caller's, freed with
 * ss_stored_reader_free(); ss_stored_reader_finish() hands its population
 * over (the caller frees it with ss_population_free()).
 */
#ifndef SS_STORED_H
#define SS_STORED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

/* The bit of a field in a `fields` mask; SS_STORED_ALL keeps every field. */
#define SS_STORED_BIT(f) (UINT32_C(1) << (f))
#define SS_STORED_ALL    ((UINT32_C(1) << SS_F_COUNT) - 1)

struct ss_stored_opts {
	uint32_t fields; /* string fields to keep; 0 keeps none (ids and booleans only) */
	/* Keep a record only when keep(keep_arg, id) says so; NULL keeps every record. */
	bool (*keep)(void *keep_arg, const char *id);
	void *keep_arg;
	/* Called with every line once it is read and in order (s, len bytes
	 * without the newline, at line `line`), and its record r: the fields
	 * named in `fields` when `keep` is NULL, none when it is not, and every
	 * field when fast is false. fast: the scan read it, so the line is
	 * exactly the stored form of r (ss_record_to_json). Its nonzero return
	 * stops the reading and is returned. NULL: none. */
	int (*each)(void *each_arg, const char *s, size_t len, size_t line,
	            const struct ss_record *r, bool fast);
	void *each_arg;
};

struct ss_stored_reader;

/* A reader of the file called `name` in messages (copied). opts may be NULL:
 * every field and record. 0 or SS_ENOMEM. */
int ss_stored_reader_new(const char *name, const struct ss_stored_opts *opts,
                         struct ss_stored_reader **out);
/* The next len bytes of the file, split anywhere. SS_EDATA (name, line,
 * column) at the first line that is not a stored record, or a record not
 * above the one before it by id. */
int ss_stored_reader_feed(struct ss_stored_reader *rd, const char *data, size_t len);
/* Lines read so far. */
size_t ss_stored_reader_lines(const struct ss_stored_reader *rd);
/* The end of the file (SS_EDATA when the last line has no newline): *out the
 * records kept, in the file's order. */
int ss_stored_reader_finish(struct ss_stored_reader *rd, struct ss_population **out);
/* NULL is a no-op. */
void ss_stored_reader_free(struct ss_stored_reader *rd);

/* A whole file in memory, as the reader above reads it. */
int ss_stored_read(const char *data, size_t len, const char *name,
                   const struct ss_stored_opts *opts, struct ss_population **out);

/* Is SSAUDIT_POPULATION_STRICT set (to anything but "" or "0")? */
bool ss_stored_strict(void);

/*
 * One line (len bytes, no newline) into r, a blank record: the scan, or the
 * strict parser when the scan cannot be sure. *fast (may be NULL) says which
 * read it. fields as in ss_stored_opts. tmp is scratch space for the strict
 * parser. Messages as ss_record_parse_line().
 */
int ss_stored_parse_line(struct ss_population *pop, const char *s, size_t len, const char *name,
                         size_t line, uint32_t fields, struct ss_record *r, struct ss_buf *tmp,
                         bool *fast);

#endif
