/*
 * review.h - what is recorded about a sampled month after the draw:
 * verdicts (one at a time, or a whole filled-in worksheet as one batch),
 * outcome corrections, and the month's sign-off (close with waivers,
 * reopen). DESIGN.md section 8.
 *
 * Every action runs on a writer (audit/writer.h), so it holds the trail's
 * lock and re-checks everything against the tip it holds: month sampled and
 * open, record sampled and in the role's share, reviewer registered, role
 * allowed, answers allowed, a correction's `from` still current. Nothing
 * here prints or exits.
 *
 * Ownership: requests are borrowed. Results filled here (struct
 * ss_ws_result's nothing, struct ss_close_result's missing lists) are the
 * caller's, released with the matching _release(). Problems found in a
 * worksheet are appended to the caller's struct ss_diags (records/reader.h).
 */
#ifndef SS_REVIEW_H
#define SS_REVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "reader.h"
#include "verdict.h"
#include "writer.h"

/* What recording a verdict did. */
enum ss_recorded {
	SS_RECORDED_NEW,      /* a first verdict by this reviewer on this record */
	SS_RECORDED_REPLACED, /* a different verdict replaced theirs (git keeps the old) */
	SS_RECORDED_SAME      /* the same verdict was already there: no commit */
};

struct ss_verdict_req {
	const char *month;
	const char *id;
	const char *reviewer;            /* whose verdict; NULL: the person acting */
	const struct ss_answer *answers; /* answered questions only */
	size_t nanswers;
	const char *note;   /* NULL or "" for none */
	const char *source; /* e.g. "worksheet 'june.csv', line 4"; may be NULL */
};

/*
 * Record one verdict. Refusals: SS_EFAIL (month not sampled or closed,
 * record not in the sample or not in the role's share), SS_EPERM (the role
 * may not review, or may not enter for that reviewer's role; an unknown or
 * removed reviewer), SS_EUSAGE (an answer the policy does not allow, a
 * required question unanswered).
 */
int ss_act_verdict(struct ss_writer *w, const struct ss_verdict_req *req, enum ss_recorded *res);

/* The months/M/closed.json refusal in words: who closed it, who can reopen. */
int ss_month_refuse_closed(const struct ss_policy *pol, const char *month, const char *closed_by);

/*
 * Worksheets (the CSV `pack` writes, filled in): RFC 4180, UTF-8 with an
 * optional BOM, LF or CRLF. The header needs month, id, role, reviewer, a
 * column for every required question, and note; other columns (the record's
 * details) are ignored. A row whose answers are all blank is skipped.
 */
struct ss_ws_result {
	size_t rows;     /* rows read (not counting the header) */
	size_t skipped;  /* every answer blank */
	size_t recorded; /* new verdicts */
	size_t replaced;
	size_t same;    /* already recorded exactly so: no commit */
	size_t entered; /* of recorded + replaced, entered for someone else */
};

/*
 * Read a worksheet into month as the writer's actor: every row is checked
 * first (each problem appended to diags as NAME:LINE:COLUMN with a message);
 * if any row is bad, SS_EDATA and nothing is written. Otherwise each row is
 * its own signed commit, all in one batch that lands whole or not at all.
 * A month that is not sampled or is closed is refused whole (SS_EFAIL).
 */
int ss_act_worksheet(struct ss_writer *w, const char *month, const char *data, size_t len,
                     const char *name, struct ss_diags *diags, struct ss_ws_result *res);

/* Only the parsing and header checks, for tests and fuzzing: SS_EDATA with
 * diags on a malformed file, else 0 and the number of data rows. */
int ss_worksheet_check_syntax(const char *data, size_t len, const char *name,
                              const struct ss_policy *pol, struct ss_diags *diags, size_t *rows);

struct ss_correct_req {
	const char *month;
	const char *id;
	bool set_outcome;
	const char *outcome; /* NULL: blank */
	bool set_linked;
	enum ss_tri linked;
	const char *reason;
};

/*
 * Correct a record's outcome (any record of the population, open or closed
 * month). `from` is the current value at the tip; a change that changes
 * nothing is refused (SS_EFAIL). On success *done (may be NULL) holds the
 * correction as written (release with ss_correction_release).
 */
int ss_act_correct(struct ss_writer *w, const struct ss_correct_req *req,
                   struct ss_correction *done);

struct ss_waive {
	const char *id;
	const char *reason;
};

/* What close found missing: per role, the records without a verdict by it. */
struct ss_missing {
	char *role;
	char **ids;
	size_t n;
};

struct ss_close_result {
	struct ss_missing *missing; /* set when close is refused for missing verdicts */
	size_t nmissing;            /* roles with something missing */
	size_t total_missing;
	size_t records;  /* sampled records */
	size_t verdicts; /* verdicts in the month */
	size_t waived;   /* waivers in force after close */
};
void ss_close_result_release(struct ss_close_result *r);

/*
 * Close a month: every record in a role's share needs at least one verdict
 * by someone of that role, unless waived (here or earlier). Otherwise
 * SS_EFAIL with res->missing filled. Waivers are written in the same commit.
 */
int ss_act_close(struct ss_writer *w, const char *month, const struct ss_waive *waivers,
                 size_t nwaivers, struct ss_close_result *res);

/* Reopen a closed month (a reason is required). */
int ss_act_reopen(struct ss_writer *w, const char *month, const char *reason);

/*
 * Pack loose objects when more than `threshold` have piled up (0: the
 * default, 3000, or env SSAUDIT_GC_LOOSE). Counting is one directory scan,
 * cheap beside a signed commit. *packed (may be NULL) gets how many were packed.
 */
int ss_writer_maybe_gc(struct ss_writer *w, size_t threshold, size_t *packed);

#endif
