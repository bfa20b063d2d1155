/*
 * verdict.h - what reviewers and the force add to a sampled month: verdicts,
 * outcome corrections, waivers and the sign-off (DESIGN.md section 8): the
 * codecs of their files (where they live is store/layout's; loading a
 * month's files at a commit is store/month's).
 *
 * Files (pretty JSON, 2-space indent, ending "\n", written by hand so the
 * bytes are stable; re-recording the same verdict changes no byte):
 *   months/M/verdicts/XX/ID/ROLE.HANDLE.json
 *     {"month","id","role","reviewer","entered_by","answers":{question: value, ... in
 *      policy order, answered questions only},"note": string|null}
 *     entered_by is the handle who signed: the reviewer, or who entered it for them.
 *   months/M/corrections/XX/ID/NNNN.json   (NNNN: 1 + the record's corrections at the parent)
 *     {"month","id","changes":[{"field","from","to"}...],"reason","by"}
 *     field is "outcome" (string|null) or "outcome_linked_to_object_of_search" (bool|null).
 *   months/M/waivers/XX/ID.json    {"month","id","reason","by"}
 *   months/M/responses/XX/ID/NNNN.json   (numbered as corrections are)
 *     {"month","id","action","note": string|null,"by"}: the force's response to
 *     a follow-up item; action one of the policy's `responses`.
 *   months/M/closed.json           {"month","state":"closed"|"open","by","reason"|null}
 *     A month is closed while closed.json exists with state "closed"; reopen
 *     rewrites it with state "open" and the reason.
 * (XX: the two characters after "R-".)
 * Parsers are strict: every key present and no other, no key twice, the
 * right types, valid UTF-8, no \u0000; a file read from the trail (a path
 * starting "months/") must sit at the path its content implies. A
 * correction's number is its file name: corrections of a record apply in
 * number order, which is the order of their commits.
 *
 * Ownership: structs filled here own their strings; release them with the
 * matching _release(); arrays returned through ** with the matching _free().
 */
#ifndef SS_VERDICT_H
#define SS_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "policy.h"
#include "record.h"
#include "trail.h"

struct ss_answer {
	char *question;
	char *value;
};

struct ss_verdict {
	char *month;
	char *id;
	char *role;
	char *reviewer;
	char *entered_by;
	struct ss_answer *answers;
	size_t nanswers;
	char *note; /* NULL when none */
};

struct ss_fix {
	enum ss_field field;           /* SS_F_OUTCOME or SS_F_OUTCOME_LINKED */
	struct ss_rule_value from, to; /* strings owned by the correction */
};

struct ss_correction {
	char *month;
	char *id;
	struct ss_fix *changes;
	size_t nchanges;
	char *reason;
	char *by;
	unsigned number; /* from the file name NNNN.json: 1, 2, ... */
};

struct ss_response {
	char *month;
	char *id;
	char *action; /* one of the policy's responses */
	char *note;   /* NULL when none */
	char *by;
	unsigned number; /* from the file name NNNN.json: 1, 2, ... */
};

struct ss_waiver {
	char *month;
	char *id;
	char *reason;
	char *by;
};

int ss_verdict_to_json(const struct ss_verdict *v, const struct ss_policy *pol, struct ss_buf *out);
/* The verdict's answer to a question, or NULL when it gives none (borrowed). */
const char *ss_verdict_answer(const struct ss_verdict *v, const char *question);
int ss_verdict_from_json(const char *data, size_t len, const char *path, struct ss_verdict *out);
void ss_verdict_release(struct ss_verdict *v);

int ss_correction_to_json(const struct ss_correction *c, struct ss_buf *out);
/* number is taken from the path's file name (NNNN.json). */
int ss_correction_from_json(const char *data, size_t len, const char *path,
                            struct ss_correction *out);
void ss_correction_release(struct ss_correction *c);

int ss_response_to_json(const struct ss_response *r, struct ss_buf *out);
/* number is taken from the path's file name (NNNN.json). */
int ss_response_from_json(const char *data, size_t len, const char *path, struct ss_response *out);
void ss_response_release(struct ss_response *r);

/* Does the verdict put its record on the follow-up list: is any of its
 * answers one of the policy's follow_up values? */
bool ss_verdict_follows_up(const struct ss_verdict *v, const struct ss_policy *pol);

int ss_waiver_to_json(const struct ss_waiver *w, struct ss_buf *out);
int ss_waiver_from_json(const char *data, size_t len, const char *path, struct ss_waiver *out);
void ss_waiver_release(struct ss_waiver *w);

/* access/NNNN.json: one use of reveal (DESIGN.md section 2): the pseudonyms
 * asked for (S- or O-, sorted, each once), the reason (redacted as every
 * free text is), who asked, and how many source rows were found. No
 * identity: nothing else is allowed in the file. */
struct ss_access {
	char **pseudonyms;
	size_t npseudonyms;
	char *reason;
	char *by;
	size_t found;
};

int ss_access_to_json(const struct ss_access *a, struct ss_buf *out);
int ss_access_from_json(const char *data, size_t len, const char *path, struct ss_access *out);
void ss_access_release(struct ss_access *a);

/* months/M/closed.json. reason may be NULL when closing; reopening needs one.
 * from_json: *month, *by, *reason (NULL when null) are the caller's to free. */
int ss_closed_to_json(const char *month, bool closed, const char *by, const char *reason,
                      struct ss_buf *out);
int ss_closed_from_json(const char *data, size_t len, const char *path, char **month, bool *closed,
                        char **by, char **reason);

#endif
