/*
 * act.h - the writers: one function per action that changes a trail
 * (DESIGN.md sections 2 and 8), one file each in audit/act/: init.c,
 * policy.c (policy set), reviewer.c (reviewer add and remove), import.c,
 * sample.c, verdict.c (one verdict), worksheet.c (a filled-in worksheet,
 * one batch), correct.c, respond.c, close.c (close and reopen), sync.c (sync with
 * another site's copy through a git remote).
 * one batch), correct.c, close.c (close and reopen), sync.c (sync with
 * another site's copy through a git remote), reveal.c (the rows behind
 * pseudonyms, each use logged first).
 *
 * Every action but init runs on a writer (writer.h), so it holds the trail's
 * lock and checks itself against the tip it holds (month imported, sampled,
 * open; record sampled and in the role's share; reviewer registered; role
 * allowed; answers allowed; a correction's `from` still current), builds its
 * files and commits once (a worksheet: once per verdict, as one batch).
 * Nothing here prints or exits: refusals are SS_E* codes with a message in
 * words (SS_EUSAGE bad request, SS_EFAIL the trail's state refuses it,
 * SS_EPERM not allowed, SS_EDATA bad input data, SS_ECONFIG bad policy).
 *
 * Ownership: requests are borrowed, and nothing here keeps a pointer to
 * them after returning. Results are the caller's: fixed-size results are
 * filled in place; struct ss_close_result's missing lists are released with
 * ss_close_result_release(); a returned struct ss_sample with
 * ss_sample_free(), a struct ss_correction with ss_correction_release().
 * Problems found in a worksheet are appended to the caller's struct
 * ss_diags (records/reader.h).
 */
#ifndef SS_ACT_H
#define SS_ACT_H

#include <stdbool.h>
#include <stddef.h>

#include "month.h"
#include "state.h"
#include "reader.h"
#include "pseudonym.h"
#include "record.h"
#include "sample.h"
#include "sshkey.h"
#include "trail.h"
#include "verdict.h"
#include "writer.h"

/* ------------------------------------------------------------ init (init.c) */

struct ss_init_req {
	const char *trail;
	const char *home;
	const char *handle;
	const char *name;
	const char *email;
	const char *role;  /* NULL: coordinator */
	const char *title; /* NULL: the policy's name */
	const char *policy_path;
};

struct ss_init_result {
	char trail_id[41];
	char key_fingerprint[SS_FINGERPRINT_LEN];
	char pseudonym_fingerprint[33];
	bool pseudonym_key_created;
};

/* Create the trail with its first commit (the founder, the policy, trail.json)
 * and the pseudonym key if absent. A trail left half made is removed. */
int ss_act_init(const struct ss_init_req *req, struct ss_init_result *res);

/* ------------------------------------------------------------ policy (policy.c) */

/* Replace policy.json with the file's bytes (validated). */
int ss_act_policy_set(struct ss_writer *w, const char *path, bool *unchanged);

/* ------------------------------------------------------------ reviewers (reviewer.c) */

int ss_act_reviewer_add(struct ss_writer *w, const char *handle, const char *role, const char *name,
                        const char *email, const char *key_line);
int ss_act_reviewer_remove(struct ss_writer *w, const char *handle);

/* ------------------------------------------------------------ import (import.c) */

/*
 * Before reading a month's files (the long part, done without the lock): the
 * pseudonym key from home (*ps, the caller's: ss_pseudo_free), refused
 * (SS_EPERM) unless it is the trail's, set to the trail's pseudonym version
 * (trail.json: v2, or v1 for a trail begun with it), refused (SS_EPERM) when
 * `as` is registered in a role that may not import, and whether the policy in force
 * pseudonymises officer numbers (how the files must be read).
 */
int ss_act_import_prepare(const char *trail, const char *home, const char *as,
                          struct ss_pseudo **ps, bool *officer_pseudonymised);

/*
 * Import: pop holds the month's records already read, pseudonymised (with
 * officer numbers as officer_pseudonymised says) and given ids (sorted);
 * fingerprint is the pseudonym key's. Refuses, against the tip it holds, a key
 * that is not the trail's (SS_EPERM), a policy that now treats officers
 * otherwise (SS_EBUSY: read again), a month already imported unless replace,
 * and a sampled month always (SS_EFAIL); and as bad input (SS_EDATA) the same
 * file (by SHA-256) given twice, a file already imported in any month (but
 * the month replace replaces), and a month of no records unless allow_empty.
 * (Rows dated outside the month are the reader's refusal: ss_read_opts.month.)
 */
int ss_act_import(struct ss_writer *w, const char *month, const struct ss_population *pop,
                  const char *fingerprint, bool officer_pseudonymised, bool replace,
                  bool allow_empty, bool *unchanged);

/* ------------------------------------------------------------ sample (sample.c) */

/* Draw a month's sample from the committed population, the policy in force
 * and a seed, and commit sample.json. seed NULL: 20 random digits, marked
 * generated. progress (may be NULL) hears how many records have been read
 * (ss_month_read). *out (may be NULL) gets the drawn sample (caller frees
 * with ss_sample_free). */
int ss_act_sample(struct ss_writer *w, const char *month, const char *seed,
                  void (*progress)(void *arg, size_t records, bool done), void *progress_arg,
                  struct ss_sample **out);

/* ------------------------------------------------------------ one verdict (verdict.c) */

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
 * Record one verdict. The answers are checked first, once, against the
 * policy in force at the tip the writer holds. Refusals: SS_EUSAGE (an
 * answer the policy does not allow, a required question unanswered),
 * SS_EPERM (the role may not review, or may not enter for that reviewer's
 * role; an unknown or removed reviewer), SS_EFAIL (month not sampled or
 * closed, record not in the sample or not in the role's share).
 */
int ss_act_verdict(struct ss_writer *w, const struct ss_verdict_req *req, enum ss_recorded *res);

/* The same, for answers given as --QUESTION options (review MONTH ID): a
 * required question unanswered or a value not allowed is refused naming the
 * option, question by question in the policy's order, as the command line
 * says it. */
int ss_act_verdict_options(struct ss_writer *w, const struct ss_verdict_req *req,
                           enum ss_recorded *res);

/* ------------------------------------------------------------ worksheets (worksheet.c) */

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

/* ------------------------------------------------------------ corrections (correct.c) */

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

/* What a file of corrections did. */
struct ss_fix_result {
	size_t rows;     /* rows read (not counting the header) */
	size_t recorded; /* corrections committed */
	size_t already;  /* rows whose values were already so (a re-run): nothing committed */
};

/*
 * correct MONTH --from FILE.csv: a CSV with `id` or `reference` (or both,
 * when they agree), `outcome` and `linked` (blank: unchanged; linked takes
 * true, false or null), and `reason`; header names in any case, other
 * columns ignored. Every row is checked first (each problem to diags with
 * its line and column; one row a record); if any is bad, SS_EDATA and
 * nothing is written. Otherwise one signed commit per row, all in one batch
 * that lands whole or not at all; a row already so at the tip (a re-run)
 * commits nothing and is counted.
 */
int ss_act_correct_from(struct ss_writer *w, const char *month, const char *data, size_t len,
                        const char *name, struct ss_diags *diags, struct ss_fix_result *res);

/* Only the checks of such a file against a policy and a month's population,
 * for tests and fuzzing: SS_EDATA with diags on a bad file, else 0; *rows
 * gets the number of rows read. */
int ss_correct_file_check(const struct ss_policy *pol, const struct ss_population *pop,
                          const char *month, const char *data, size_t len, const char *name,
                          struct ss_diags *diags, size_t *rows);
/* ------------------------------------------------------------ responses (respond.c) */

struct ss_respond_req {
	const char *month;
	const char *id;
	const char *action; /* one of the policy's responses */
	const char *note;   /* NULL or blank for none */
};

/*
 * Record the force's response to a record on the follow-up list (a sampled
 * record with a verdict giving one of the month's policy's follow_up
 * answers), in an open or closed month. Refusals: SS_EPERM (the role may not
 * respond), SS_EDATA (an action the policy in force does not list: the
 * message lists them), SS_EFAIL (month not sampled, record not sampled or
 * not on the follow-up list), SS_EUSAGE (no action, a bad note). The note is
 * redacted as every free text is (ss_act_redact). On success *done (may be
 * NULL) holds the response as written (release with ss_response_release).
 */
int ss_act_respond(struct ss_writer *w, const struct ss_respond_req *req, struct ss_response *done);
/* ------------------------------------------------------------ reveal (reveal.c) */

/* One source row behind a pseudonym asked for. It holds personal data: kept
 * in memory only until the caller has printed it, wiped on release. */
struct ss_reveal_row {
	char *file;                  /* as given on the command line */
	size_t line;                 /* the row's line (CSV) or element (JSON) */
	char subject[SS_ID_LEN + 1]; /* the row's pseudonyms ("" when none) */
	char officer[SS_ID_LEN + 1];
	char *ident[SS_IDENT_COUNT]; /* reader.h's identity columns; NULL when blank */
};

struct ss_reveal {
	char **pseudonyms; /* asked for: sorted, each once */
	size_t npseudonyms;
	struct ss_reveal_row *rows; /* in the order of the files and their rows */
	size_t nrows, caprows;
	size_t read;          /* rows read, in all the files */
	unsigned number;      /* the access log entry's number, once logged */
	struct ss_pseudo *ps; /* the trail's pseudonym key, from prepare */
	const char *file;     /* the file being read (borrowed) */
};

/* Wipe the identities and free everything; the struct may be reused. */
void ss_reveal_release(struct ss_reveal *r);

/*
 * Before anything is read: the pseudonyms (S- or O- and 16 base32
 * characters; SS_EUSAGE otherwise), `as` registered in a role that may
 * `reveal`, and the pseudonym key in home the trail's (SS_EPERM otherwise,
 * DESIGN.md section 2: refused, nothing logged). r is filled (release it).
 */
int ss_act_reveal_prepare(const char *trail, const char *home, const char *as,
                          char *const *pseudonyms, size_t npseudonyms, struct ss_reveal *r);

/* Read the files (no lock held; any format, no month) and keep the rows
 * whose subject or officer pseudonym, recomputed with the key, was asked
 * for. Structural errors go to diags (SS_EDATA: then nothing may be logged
 * or printed); SS_ENOINPUT for a file that cannot be opened. */
int ss_act_reveal_find(struct ss_reveal *r, char *const *files, size_t nfiles,
                       enum ss_format format, struct ss_diags *diags);

/* Log the use before anything is printed: one signed commit of a new
 * access/NNNN.json (the next number at the tip held) with the pseudonyms,
 * the reason (redacted), who and the count of rows found, 0 included.
 * r->number is set. Refusals as prepare's, against the tip held. */
int ss_act_reveal_log(struct ss_writer *w, struct ss_reveal *r, const char *reason);

/* ------------------------------------------------------------ close, reopen (close.c) */

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

/* ------------------------------------------------------------ sync (sync.c) */

enum ss_sync_done {
	SS_SYNC_UP_TO_DATE,   /* both sides already the same */
	SS_SYNC_FAST_FORWARD, /* this site was behind: main moved to the remote's */
	SS_SYNC_PUSHED,       /* the remote was behind: this site's main was pushed */
	SS_SYNC_REPLAYED,     /* own commits replayed on the remote's tip, then pushed */
	SS_SYNC_MERGED,       /* a signed merge made, then pushed */
	SS_SYNC_CONFLICT,     /* acts that cannot join: nothing pushed */
	SS_SYNC_REWRITTEN,    /* the remote no longer holds what was last seen there */
	SS_SYNC_REFUSED       /* what the remote holds does not verify */
};

/* An act of one side that is not valid on the other, in words. */
struct ss_sync_conflict {
	char commit[41]; /* the commit of the act */
	char action[32]; /* its Ssaudit-Action */
	char month[16];  /* "" when none */
	char record[40]; /* "" when none */
	char *who;       /* the author's name */
	char *what;      /* the act in words ("verdict") */
	char *words;     /* the whole sentence: who, what, which record and month, why */
	char *todo;      /* what to do about it */
};

struct ss_sync_result {
	char remote[72];
	enum ss_sync_done done;
	bool fast_forward, pushed, merged;
	size_t replayed, skipped; /* commits replayed; already there, skipped */
	char tip[41];             /* main afterwards ("" when unchanged by a failure) */
	char remote_tip[41];      /* the remote's main as fetched */
	unsigned attempts;
	struct ss_sync_conflict *conflicts;
	size_t nconflicts;
	char **problems; /* what verify found in what arrived, one line each */
	size_t nproblems;
};
void ss_sync_result_release(struct ss_sync_result *r);

/*
 * Sync the trail with a git remote (DESIGN.md section 11): remote NULL means
 * origin, else the only remote. Holds the writer's lock throughout. SS_EFAIL
 * for a conflict (res->conflicts), a remote whose history was rewritten or
 * that does not verify (res->problems): nothing pushed and main unchanged;
 * SS_EBUSY when the remote kept moving; SS_EIO when git could not reach it.
 */
int ss_act_sync(struct ss_writer *w, const char *remote, struct ss_sync_result *res);

#endif
