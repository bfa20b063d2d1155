/*
 * record.h - the stop-search record model: canonical fields, typed values, a
 * month's population, and its stored form (one compact JSON line a record).
 *
 * Ownership: a struct ss_population owns its records and every string they
 * point to (kept in the population's arena); records and their strings are
 * borrowed by everyone else and live until ss_population_free(). A record's
 * string field is NULL when blank: the stored form never holds "".
 */
#ifndef SS_RECORD_H
#define SS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* In the stored key order of DESIGN.md section 3 (after `id`). */
enum ss_field {
	SS_F_TYPE,
	SS_F_DATETIME,
	SS_F_OPERATION,
	SS_F_OPERATION_NAME,
	SS_F_LATITUDE,
	SS_F_LONGITUDE,
	SS_F_STREET,
	SS_F_GENDER,
	SS_F_AGE_RANGE,
	SS_F_SELF_DEFINED_ETHNICITY,
	SS_F_OFFICER_DEFINED_ETHNICITY,
	SS_F_LEGISLATION,
	SS_F_OBJECT_OF_SEARCH,
	SS_F_OUTCOME,
	SS_F_OUTCOME_LINKED,
	SS_F_REMOVAL,
	SS_F_REFERENCE,
	SS_F_AREA,
	SS_F_OFFICER,
	SS_F_GROUNDS,
	SS_F_BWV,
	SS_F_SUBJECT,
	SS_F_COUNT
};

enum ss_ftype { SS_FT_STRING, SS_FT_BOOL };

/* "R-" + 16 base32 characters; the same length for "S-" and "O-" pseudonyms. */
#define SS_ID_LEN 18

/* Is s (n bytes, no NUL needed) a record id: "R-" and 16 lowercase base32
 * characters? */
bool ss_record_id_valid_n(const char *s, size_t n);
/* The same for any of the three kinds: 'R' (a record), 'S' (a subject's
 * pseudonym), 'O' (an officer's). */
bool ss_pseudonym_valid_n(const char *s, size_t n, char kind);
/* The id of the record whose force reference is `reference` (DESIGN.md
 * section 3: SHA-256 of "ssaudit-id-v1" 0x00 "ref" 0x00 REFERENCE), as
 * ss_population_assign_ids gives it; out gets SS_ID_LEN characters and a NUL. */
void ss_record_id_of_reference(const char *reference, char out[SS_ID_LEN + 1]);

/* A boolean field's value. */
enum ss_tri { SS_TRI_NULL = -1, SS_TRI_FALSE = 0, SS_TRI_TRUE = 1 };

struct ss_record {
	char id[SS_ID_LEN + 1];
	/* String fields: NULL when blank. Unused (NULL) for boolean fields. */
	const char *str[SS_F_COUNT];
	/* Boolean fields: an enum ss_tri. Unused (SS_TRI_NULL) for string fields. */
	signed char tri[SS_F_COUNT];
	/* Where it came from (not stored): index into the population's sources, 1-based line. */
	uint32_t source;
	uint32_t line;
};

enum ss_format { SS_FORMAT_AUTO, SS_FORMAT_POLICE_CSV, SS_FORMAT_POLICE_JSON, SS_FORMAT_FORCE_CSV };

struct ss_source {
	char *name;      /* the file's base name as given */
	char sha256[65]; /* lowercase hex of the file's bytes */
	enum ss_format format;
	size_t rows;    /* records read from it */
	size_t outside; /* of which dated outside the import's month, kept (--keep-outside) */
};

struct ss_arena;

struct ss_population {
	struct ss_record *rec;
	size_t n, cap;
	struct ss_source *sources;
	size_t nsources;
	struct ss_arena *arena;
	/* The first refs_unique records' references are known to be unique
	 * (the reader checks each file's against all before it), so assigning
	 * ids need not check them again. */
	size_t refs_unique;
};

const char *ss_field_name(enum ss_field f); /* e.g. "age_range" */
/* The field in words for people, in English and marked for the catalogue
 * ("Age range"): print _(ss_field_words(f)), or ss_lang_get() for a language. */
const char *ss_field_words(enum ss_field f);
enum ss_ftype ss_field_type(enum ss_field f);
/* The field named `name`, or -1. */
int ss_field_lookup(const char *name);
const char *ss_format_name(enum ss_format f); /* "auto", "police-csv", ... */
/* 0 and *out set, or SS_EUSAGE for an unknown name. */
int ss_format_lookup(const char *name, enum ss_format *out);

/* An empty population. 0 or SS_ENOMEM. */
int ss_population_new(struct ss_population **out);
void ss_population_free(struct ss_population *pop);
/* Move every record of `from` to the end of pop, in order, with the strings
 * they point to; from is left empty (its sources stay). 0 or SS_ENOMEM (then
 * nothing moved). */
int ss_population_join(struct ss_population *pop, struct ss_population *from);
/* A new blank record at the end (all null); borrowed until the next append. */
int ss_population_append(struct ss_population *pop, struct ss_record **out);
/* Copy n bytes into the population's arena, NUL-terminated; borrowed. */
const char *ss_population_strdup(struct ss_population *pop, const char *s, size_t n);

/*
 * Assign every record's id as DESIGN.md section 3 says (reference, or stored
 * line plus occurrence number), check references are unique (SS_EDATA naming
 * both lines), and sort the records by id. Occurrence numbers count identical
 * stored lines in the population's current order, which is reading order when
 * this is called once after every file has been read. Identical lines are
 * found by their SHA-256, so memory stays linear at a million records.
 */
int ss_population_assign_ids(struct ss_population *pop);

/* The ids ss_population_assign_ids() would give, into ids[i] for record i,
 * without changing pop (verify derives them from a stored population: the
 * same set, identical records sharing theirs in some order). 0, SS_EDATA (a
 * reference used twice, as assign_ids says it) or SS_ENOMEM. */
int ss_population_derive_ids(const struct ss_population *pop, char (*ids)[SS_ID_LEN + 1]);

/* The id of a record without a reference (DESIGN.md section 3): its stored
 * line without the id (`row`, n bytes, as ss_record_to_json(r, false)
 * writes it) and its occurrence among identical lines, from 1. */
void ss_record_id_of_row(const char *row, size_t n, size_t occ, char out[SS_ID_LEN + 1]);

/*
 * The same ids derived one record at a time, as a stored population streams
 * (verify reads a month without holding it): each record's id from its
 * reference, or from its row and how many identical rows came before it.
 * Identical records get their ids in another order than
 * ss_population_derive_ids gives them, but the same set.
 *
 * Ownership: the stream is the caller's (ss_id_stream_free); references
 * given to _add are borrowed until _finish; the ids _finish gives are the
 * stream's.
 */
struct ss_id_stream;
int ss_id_stream_new(struct ss_id_stream **out);
void ss_id_stream_free(struct ss_id_stream *s);
/* The next record, read at `line`: out gets its id. 0 or SS_ENOMEM. */
int ss_id_stream_add(struct ss_id_stream *s, const char *reference, const char *row, size_t n,
                     uint32_t line, char out[SS_ID_LEN + 1]);
/* Every id derived, sorted (*n of them); SS_EDATA when a reference was used
 * twice (named as in `name`, with both lines), or SS_ENOMEM. */
int ss_id_stream_finish(struct ss_id_stream *s, const char *name, const char (**ids)[SS_ID_LEN + 1],
                        size_t *n);

/* Append a record's stored line (compact JSON, keys in order, no newline).
 * With with_id false the "id" member is left out, giving exactly the stored
 * line without its id that DESIGN.md section 3 hashes for row ids:
 * {"type":...,"datetime":...,...,"subject":...}. */
int ss_record_to_json(const struct ss_record *r, bool with_id, struct ss_buf *out);

/* The whole population.jsonl: one line per record in the current order, each ending "\n". */
int ss_population_to_jsonl(const struct ss_population *pop, struct ss_buf *out);

/* Parse a stored population.jsonl (as committed) back; `name` is used in messages.
 * Strict: every key present, in order, with the right type; SS_EDATA with line and column. */
int ss_population_from_jsonl(const char *data, size_t len, const char *name,
                             struct ss_population **out);

/* One stored line (len bytes, without its newline) into r, strictly, as
 * ss_population_from_jsonl reads each: SS_EDATA naming name, line and column.
 * Strings go to pop's arena; tmp is scratch space. */
int ss_record_parse_line(struct ss_population *pop, const char *s, size_t len, const char *name,
                         size_t line, struct ss_record *r, struct ss_buf *tmp);
/* Records are stored sorted by id, each once: SS_EDATA (name, line) when r,
 * read after prev, is not above it. */
int ss_record_check_order(const struct ss_record *prev, const struct ss_record *r, const char *name,
                          size_t line);

/* The record with this id (population sorted by id), or NULL. Borrowed. */
const struct ss_record *ss_population_find(const struct ss_population *pop, const char *id);

/*
 * Additions for the readers and for callers that need them.
 */

/* Append a source (the name is copied). 0 or SS_ENOMEM. */
int ss_population_add_source(struct ss_population *pop, const char *name, const char sha256[65],
                             enum ss_format format, size_t rows);

/* Call fn for every record at index >= from whose reference an earlier record
 * (by index) already has; stops at fn's first nonzero return and returns it. */
int ss_population_duplicate_refs(const struct ss_population *pop, size_t from,
                                 int (*fn)(void *arg, const struct ss_record *first,
                                           const struct ss_record *again),
                                 void *arg);

/* A point to roll a population back to (records and their strings). */
struct ss_population_mark {
	size_t n;
	void *chunk;
	size_t used;
};
void ss_population_mark(const struct ss_population *pop, struct ss_population_mark *m);
void ss_population_rewind(struct ss_population *pop, const struct ss_population_mark *m);

/* A moment in time, for comparing datetimes as instants. */
struct ss_instant {
	int64_t secs;   /* seconds since 1970-01-01T00:00:00Z */
	uint32_t nanos; /* the fraction of a second, to nine digits */
};

/*
 * Parse an RFC 3339 date and time, YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm),
 * with a real calendar date and every part in range (a leap second :60 is
 * accepted). 0, or SS_EDATA with a message saying what is wrong (no position);
 * *bad (may be NULL) is then the offset of the first offending byte.
 */
int ss_datetime_parse(const char *s, size_t n, struct ss_instant *out, size_t *bad);
/* <0, 0, >0 as a is before, at, after b. */
int ss_instant_cmp(const struct ss_instant *a, const struct ss_instant *b);

/*
 * The instants a month YYYY-MM spans in UK local time (Europe/London, from
 * the system's time zone data): from its first midnight to the next month's,
 * [from, to). SS_EUSAGE for a month not written YYYY-MM; SS_EIO when the time
 * zone data is missing (the message names the tzdata package).
 */
int ss_month_uk_span(const char *month, struct ss_instant *from, struct ss_instant *to);

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
int64_t ss_days_from_civil(int64_t y, int m, int d);

#endif
