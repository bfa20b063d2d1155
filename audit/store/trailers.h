/*
 * trailers.h - a commit's message and its Ssaudit-* trailers, written and
 * read in one place. Written: the subject, a blank line, the body in words,
 * then the trailers (Action, Month, Record, Role, On-Behalf-Of, Clock) as the
 * last paragraph. Read as git reads trailers: only the message's last
 * paragraph counts, each line "Key: value".
 *
 * Ownership: ss_trailers_message() returns a string the caller frees; the
 * strings of struct ss_trailers_msg are borrowed; struct ss_trailers is the
 * caller's, filled in place (no pointers into the message).
 */
#ifndef SS_TRAILERS_H
#define SS_TRAILERS_H

#include <stdbool.h>
#include <stddef.h>

#include "rules.h"

/* What a commit says. Strings are borrowed; NULL leaves a trailer out. */
struct ss_trailers_msg {
	enum ss_action action;    /* Ssaudit-Action, named as store/rules' table names it */
	const char *month;        /* Ssaudit-Month, or NULL */
	const char *record;       /* Ssaudit-Record, or NULL */
	const char *role;         /* Ssaudit-Role, or NULL */
	const char *on_behalf_of; /* Ssaudit-On-Behalf-Of: the author when not the actor, or NULL */
	const char *subject;      /* first line */
	const char *body;         /* in words; may be NULL */
};

/* The message text (subject, body, trailers; Ssaudit-Clock: fixed when
 * clock_fixed). NULL when out of memory. Caller frees. */
char *ss_trailers_message(const struct ss_trailers_msg *msg, bool clock_fixed);

enum ss_trailer {
	SS_TRAILER_ACTION,
	SS_TRAILER_MONTH,
	SS_TRAILER_RECORD,
	SS_TRAILER_ROLE,
	SS_TRAILER_ON_BEHALF_OF,
	SS_TRAILER_CLOCK,
	SS_TRAILER_COUNT
};

/* The trailers read back. A value too long for any legal one is cut short
 * and too_long set; a trailer given more than once keeps its last value and
 * counts the extra times in repeats. Absent trailers are "". */
struct ss_trailers {
	char action[32], month[16], record[40], role[40], behalf[40];
	bool fixed;                         /* Ssaudit-Clock given (any value) */
	unsigned repeats[SS_TRAILER_COUNT]; /* times given beyond the first */
	bool too_long;
};

/* "Ssaudit-Action", ... */
const char *ss_trailers_key(enum ss_trailer t);

/* Read the Ssaudit-* trailers of the message's last paragraph. */
void ss_trailers_parse(const char *msg, struct ss_trailers *out);

/* The body in words: the paragraphs after the subject and before the
 * trailers (borrowed from msg; *blen 0 when there is none). */
void ss_trailers_body(const char *msg, const char **body, size_t *blen);

#endif
