/*
 * layout.h - where every file of a trail lives: the fixed names, a builder
 * for each per-month and per-record path, and the classifier that reads a
 * path back into its kind and parts. Writers build their paths here and
 * verify classifies with the same rules, so the two cannot drift apart.
 *
 *   trail.json, policy.json, allowed_signers, reviewers/HANDLE.json
 *   months/M/population.jsonl, sources.json, sample.json, closed.json
 *   months/M/roles/ROLE.ids
 *   months/M/verdicts/XX/ID/ROLE.HANDLE.json
 *   months/M/corrections/XX/ID/NNNN.json
 *   months/M/waivers/XX/ID.json
 *   months/M/responses/XX/ID/NNNN.json
 *   access/NNNN.json (each use of reveal: numbered from 0001 across the trail)
 *
 * M is a month (YYYY-MM), ID a record id (R- and 16 base32 characters), XX
 * the two characters after "R-", NNNN a correction's number (4 digits, from
 * 0001: 1 + the record's corrections at the parent commit), ROLE and HANDLE
 * names as ss_name_valid() accepts.
 *
 * Ownership: builders write into the caller's buffer, snprintf-style, and
 * return false when it was too small (the path is then cut short, and must
 * not be used); SS_LAYOUT_PATH_MAX holds any path built from valid parts.
 * The classifier fills a caller's struct and keeps no pointer.
 */
#ifndef SS_LAYOUT_H
#define SS_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

#define SS_LAYOUT_TRAIL      "trail.json"
#define SS_LAYOUT_POLICY     "policy.json"
#define SS_LAYOUT_SIGNERS    "allowed_signers"
#define SS_LAYOUT_REVIEWERS  "reviewers" /* the directory of reviewers' files */
#define SS_LAYOUT_MONTHS     "months"    /* the directory of months */
#define SS_LAYOUT_ACCESS     "access"    /* the directory of reveal's access log */
#define SS_LAYOUT_PATH_MAX   128         /* longest path built from valid parts, with its NUL */
#define SS_LAYOUT_NUMBER_MAX 9999        /* the last correction number NNNN can hold */
#define SS_LAYOUT_MONTH_LEN  7           /* YYYY-MM */
#define SS_LAYOUT_NAME_MAX   32          /* longest handle or role */

enum ss_layout_kind {
	SS_LAYOUT_OTHER, /* no act of ssaudit writes it */
	SS_LAYOUT_TRAIL_FILE,
	SS_LAYOUT_POLICY_FILE,
	SS_LAYOUT_SIGNERS_FILE,
	SS_LAYOUT_REVIEWER,
	SS_LAYOUT_POPULATION,
	SS_LAYOUT_SOURCES,
	SS_LAYOUT_SAMPLE,
	SS_LAYOUT_VERDICT,
	SS_LAYOUT_CORRECTION,
	SS_LAYOUT_WAIVER,
	SS_LAYOUT_CLOSED,
	SS_LAYOUT_ROLE_IDS, /* months/M/roles/ROLE.ids: a reviewing role's subset, one id a line */
	SS_LAYOUT_RESPONSE, /* months/M/responses/XX/ID/NNNN.json: numbered as corrections are */
	SS_LAYOUT_ACCESS_FILE /* access/NNNN.json: one use of reveal */
};

/* A path read back: its kind and the parts it names ("" where it names none). */
struct ss_layout_path {
	enum ss_layout_kind kind;
	char month[SS_LAYOUT_MONTH_LEN + 1];
	char handle[SS_LAYOUT_NAME_MAX + 1]; /* reviewer, verdict */
	char role[SS_LAYOUT_NAME_MAX + 1];   /* verdict, role ids */
	char id[SS_ID_LEN + 1];              /* verdict, correction, waiver, response */
	unsigned number; /* correction, response, access: 1 to SS_LAYOUT_NUMBER_MAX */
};

/* Classify a path of a trail's tree. Anything not laid out exactly as above
 * (a bad month, id, name or number, XX not matching ID) is SS_LAYOUT_OTHER;
 * month is still filled for any path under months/M/ with a valid M. */
void ss_layout_classify(const char *path, struct ss_layout_path *out);

/* Is the path (no trailing '/') a directory some classified path passes
 * through (months, months/M/verdicts/XX/ID, ...)? Nothing else may be one. */
bool ss_layout_dir_valid(const char *path);

/* Is the path under reviewers/ (a reviewer's file or not)? */
bool ss_layout_in_reviewers(const char *path);

/* The parts, checked. The _n forms take a length and need no NUL. */
bool ss_layout_month_valid(const char *s);
bool ss_layout_month_valid_n(const char *s, size_t n);
bool ss_layout_id_valid(const char *s);
bool ss_layout_id_valid_n(const char *s, size_t n);
/* NNNN: four digits, 0001 to 9999; the number into *number when not NULL. */
bool ss_layout_number_valid_n(const char *s, size_t n, unsigned *number);

/* Builders; see the ownership note above. */
bool ss_layout_reviewer(char *out, size_t n, const char *handle);
bool ss_layout_month_dir(char *out, size_t n, const char *month);
bool ss_layout_population(char *out, size_t n, const char *month);
bool ss_layout_sources(char *out, size_t n, const char *month);
bool ss_layout_sample(char *out, size_t n, const char *month);
bool ss_layout_closed(char *out, size_t n, const char *month);
bool ss_layout_role_ids(char *out, size_t n, const char *month, const char *role);
/* months/M/verdicts, months/M/corrections, months/M/waivers or
 * months/M/responses, for kind SS_LAYOUT_VERDICT, _CORRECTION, _WAIVER or
 * _RESPONSE (false for any other kind). */
bool ss_layout_records_dir(char *out, size_t n, const char *month, enum ss_layout_kind kind);
bool ss_layout_verdict_dir(char *out, size_t n, const char *month, const char *id);
bool ss_layout_verdict(char *out, size_t n, const char *month, const char *id, const char *role,
                       const char *handle);
bool ss_layout_correction_dir(char *out, size_t n, const char *month, const char *id);
/* number: 1 to SS_LAYOUT_NUMBER_MAX (false otherwise). */
bool ss_layout_correction(char *out, size_t n, const char *month, const char *id, unsigned number);
bool ss_layout_waiver(char *out, size_t n, const char *month, const char *id);
bool ss_layout_response_dir(char *out, size_t n, const char *month, const char *id);
/* number: 1 to SS_LAYOUT_NUMBER_MAX (false otherwise). */
bool ss_layout_response(char *out, size_t n, const char *month, const char *id, unsigned number);
/* access/NNNN.json; number: 1 to SS_LAYOUT_NUMBER_MAX (false otherwise). */
bool ss_layout_access(char *out, size_t n, unsigned number);

/* Is `file`, a name in a verdict directory, a verdict given in `role`
 * (ROLE.HANDLE.json)? Only its ROLE. prefix is looked at. */
bool ss_layout_verdict_file_in_role(const char *file, const char *role);

#endif
