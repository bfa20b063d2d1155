/*
 * history.h - who did what to a month or a record, and when: the commits of
 * the trail, oldest first, with what their messages and trailers say.
 *
 * Ownership: an entry and every string in it are borrowed for the duration of
 * the callback only.
 */
#ifndef SS_HISTORY_H
#define SS_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One commit about the month (or record) asked for. */
struct ss_history_entry {
	char commit[41]; /* hex */
	char when[21];   /* RFC 3339, UTC */
	/* The Ssaudit-* trailers; "" when absent. */
	char month[16];
	char record[64];
	char action[32];
	char on_behalf_of[64];
	const char *author, *committer;
	bool signed_;
	const char *text; /* the body in words: after the subject, before the trailers */
	size_t text_len;
	/* blind review: a verdict whose answers are kept from the reader, who has
	 * still to review the record; text then says so instead */
	bool hidden;
};

typedef int (*ss_history_fn)(void *ctx, const struct ss_history_entry *e);

/*
 * Call fn for each commit of the trail at path whose Ssaudit-Month is month
 * (and, when id is not NULL, whose Ssaudit-Record is id), oldest first. A
 * callback returning non-zero stops the walk with that value. SS_ENOINPUT in
 * words when the trail has no history yet. as (NULL: nobody in particular):
 * the reader, from whom the blind rule (blind.h) hides the answers of
 * verdicts on records they have still to review.
 */
int ss_history_walk(const char *path, const char *month, const char *id, const char *as,
                    ss_history_fn fn, void *ctx);

#endif
