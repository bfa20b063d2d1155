/*
 * rules.h - the one table of a trail's acts: for each, the Ssaudit-Action
 * value that names it, the permission (SS_MAY_*) its signer's role needs,
 * and which kinds of path (store/layout) it may add, change or delete. The
 * writers follow it and verify checks every commit against it.
 *
 * Ownership: everything returned is static and lives as long as the program.
 */
#ifndef SS_RULES_H
#define SS_RULES_H

#include <stdbool.h>

#include "layout.h"
#include "policy.h"

enum ss_action {
	SS_ACTION_NONE,    /* no Ssaudit-Action trailer */
	SS_ACTION_UNKNOWN, /* a trailer that names no act of ssaudit */
	SS_ACTION_INIT,
	SS_ACTION_POLICY,
	SS_ACTION_REVIEWER_ADD,
	SS_ACTION_REVIEWER_REMOVE,
	SS_ACTION_IMPORT,
	SS_ACTION_SAMPLE,
	SS_ACTION_VERDICT,
	SS_ACTION_CORRECTION,
	SS_ACTION_RESPONSE,
	SS_ACTION_CLOSE,
	SS_ACTION_REOPEN,
	SS_ACTION_MERGE,
	SS_ACTION_REVEAL
};

/* How a path changes, as bits (the status of trail.h's ss_path_change). */
#define SS_RULES_ADD    (1u << 0)
#define SS_RULES_CHANGE (1u << 1)
#define SS_RULES_DELETE (1u << 2)

struct ss_rules_path {
	enum ss_layout_kind kind;
	unsigned how; /* SS_RULES_* */
};

struct ss_rules_entry {
	enum ss_action action;
	const char *trailer; /* the Ssaudit-Action value; "" for NONE and UNKNOWN */
	/* The permission the signer's role needs, 0 when none: init (the founder),
	 * merge (anyone registered), reviewer-add and -remove (the role's
	 * `registers` list decides). A verdict entered for someone else needs
	 * SS_MAY_ENTER_FOR (and the role's `enters_for`) instead. */
	unsigned may;
	/* The kind of file one commit of the act records exactly one of
	 * (SS_LAYOUT_OTHER: none, or, for import, the population or its sources). */
	enum ss_layout_kind records;
	struct ss_rules_path paths[2]; /* what it may write; unused slots are {0, 0} */
};

/* The act's row; NONE for an out-of-range value. */
const struct ss_rules_entry *ss_rules_get(enum ss_action a);
/* The act a trailer value names: NONE for "", UNKNOWN for anything not in the table. */
enum ss_action ss_rules_action(const char *trailer);
const char *ss_rules_trailer(enum ss_action a);
unsigned ss_rules_may(enum ss_action a);

/* The change status as SS_RULES_* from trail.h's SS_PATH_* status. */
unsigned ss_rules_how(int path_status);
/* May act `a` make this change (SS_PATH_* status) to a path of this kind? */
bool ss_rules_path_allowed(enum ss_action a, enum ss_layout_kind kind, int path_status);

/* Which act writes a kind of path, in English words ("a sample commit"),
 * marked for translation: show them with _(). */
const char *ss_rules_writer_of(enum ss_layout_kind kind);
/* A permission in words, to follow "does not let a ROLE" ("draw samples"):
 * English, marked for the catalogue; a message for people prints
 * _(ss_rules_may_words(what)). */
const char *ss_rules_may_words(unsigned what);

#endif
