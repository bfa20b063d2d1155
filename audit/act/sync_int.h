/*
 * sync_int.h - what the two files of sync share (audit/act only): sync.c
 * fetches, replays or merges and pushes; sync_check.c decides whether an act
 * still stands on the other side, and names it in words when it does not.
 *
 * Ownership: struct sync borrows the writer and the result it fills; struct
 * changes owns its paths (sync_changes_release).
 */
#ifndef SS_SYNC_INT_H
#define SS_SYNC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "act.h"
#include "layout.h"

/* Why an act cannot land on the other side. */
enum why {
	WHY_CLOSED,  /* a verdict in a month closed there */
	WHY_REMOVED, /* by someone removed there */
	WHY_FROM,    /* a correction whose `from` is no longer the record's value there */
	WHY_SAMPLED, /* a population replaced after the month was sampled there */
	WHY_PATH,    /* the same file changed on both sides */
	WHY_VERIFY   /* anything else verify found */
};

struct sync {
	struct ss_writer *w;
	struct ss_trail *t;
	const char *remote;
	char rref[128], sref[128]; /* refs/ssaudit/remote/R/main, refs/ssaudit/seen/R */
	char root[41];             /* this trail's first commit */
	struct ss_oid pre;         /* main before sync */
	struct ss_sync_result *res;
	/* replayed commit -> the local commit it replays (for words about verify's problems) */
	struct ss_oid *made, *orig;
	size_t nmade, capmade;
};

/* A path a commit changed, classified. */
struct change {
	char *path;
	int status; /* SS_PATH_* */
	struct ss_layout_path l;
};

struct changes {
	struct change *v;
	size_t n, cap;
};

/* sync.c */
void sync_changes_release(struct changes *c);
/* Is a path's blob the same at two commits (both absent counts as the same)? */
int sync_same_at(struct sync *s, const struct ss_oid *x, const struct ss_oid *y, const char *path,
                 bool *same);

/* sync_check.c */
/* Name one conflicting act in the result: who, what, which record and month,
 * why, and what to do. elsewhere: the act came from the remote's side. */
int sync_conflict(struct sync *s, const struct ss_commit_info *ci, enum why why, const char *reason,
                  bool elsewhere);
/* Has this commit been named as a conflict already? */
bool sync_named(const struct sync *s, const struct ss_oid *id);
/*
 * Would the act of commit ci (its changes ch) still be valid on top of `at`?
 * Names each reason it would not; *ok false then. base is the act's parent.
 * Replaying (other NULL), `at` holds every earlier act of this side, so a
 * file that differs there from base was changed on the other side. Merging,
 * `at` is the other side's tip and other the paths that side changed.
 */
int sync_check_act(struct sync *s, const struct ss_commit_info *ci, const struct changes *ch,
                   const struct ss_oid *at, const struct ss_oid *base, const struct changes *other,
                   bool elsewhere, bool *ok);

#endif
