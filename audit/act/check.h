/*
 * check.h - what the writers of audit/act/ share, private to this folder:
 * the month a verdict, a worksheet or a close is checked against (loaded once
 * per action, at the tip the writer holds), who a verdict belongs to, whether
 * a record is in a role's share, answers and free text, and one verdict's
 * commit (one verdict, or one row of a worksheet's batch).
 *
 * Ownership: struct ss_act_month owns its sample and closed_by
 * (ss_act_month_release()); it borrows the month string. Refusals are
 * returned as SS_E* codes with the message set, as everywhere in the core.
 */
#ifndef SS_ACT_CHECK_H
#define SS_ACT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "act.h"

/* The longest note or reason, in bytes. */
#define SS_ACT_NOTE_MAX 20000

/* What every verdict on a month is checked against, loaded once per action. */
struct ss_act_month {
	const char *month;
	/* The sample, parsed whole by ss_act_month_load(); left NULL by
	 * ss_act_month_load_flat(), whose records are checked against the roles'
	 * ids files (and which parses it only to word a refusal). */
	struct ss_sample *s;
	struct ss_trail *trail;
	struct ss_oid tip; /* the tip the month was loaded at */
	bool batch;        /* many records: each role's ids read whole, once */
	char *ids[8];      /* batch: the ids files read so far, by role */
	size_t ids_len[8];
	char *ids_role[8];
	bool closed;
	char *closed_by;
	char words[32]; /* the month in English words, for the trail's commit bodies */
	char said[48];  /* the month in words in the reader's language, for messages */
	/* The month's rules (DESIGN.md section 7): the policy whose digest its
	 * sample.json names; the writer's when that is the policy in force. */
	const struct ss_policy *policy;
	struct ss_policy *own_policy; /* set when it is not: freed on release */
};

int ss_act_month_load(struct ss_writer *w, const char *month, struct ss_act_month *cx);
/* The same without parsing the sample: its policy's digest read from its
 * head, records checked with roles/ROLE.ids, so the cost of checking one
 * verdict does not grow with the sample. batch: many records will be checked. */
int ss_act_month_load_flat(struct ss_writer *w, const char *month, bool batch,
                           struct ss_act_month *cx);
void ss_act_month_release(struct ss_act_month *cx);

/* "a" or "an" before a role name. */
const char *ss_act_a_an(const char *word);

/* Blank: NULL, or nothing but spaces, tabs and line ends. */
bool ss_act_blank(const char *s);

/* Free text: valid UTF-8, no control characters but tab and line ends, at most max bytes. */
int ss_act_check_text(const char *what, const char *s, size_t max);

/* Free text as it enters the trail (a note, a reason): *out a malloc'd copy
 * with dates, postcodes, PNC ids, registrations, phone numbers and officer
 * identifiers redacted (ss_redact_text; section 4); NULL when text is NULL.
 * 0 or SS_ENOMEM. */
int ss_act_redact(const char *text, char **out);

/* Names and emails go into commit headers: no control characters or angle brackets. */
int ss_act_check_ident(const char *what, const char *s);

/* Who the verdict belongs to (handle NULL: the actor), and may the actor record it? */
int ss_act_check_who(const struct ss_writer *w, const char *handle, const struct ss_reviewer **out);

/* Is the record in the sample, and in this role's share of it? */
int ss_act_check_record(struct ss_act_month *cx, const char *id, const char *role);

/* Answers: is v one of q's values; refusals in the words a worksheet gives
 * (naming the values, and, when the policy words them, that a wording in
 * English or Welsh is accepted too). */
bool ss_act_value_allowed(const struct ss_question *q, const char *v);
int ss_act_refuse_value(const struct ss_question *q, const char *v);
int ss_act_refuse_required(const struct ss_question *q);

/* Commit one verdict already checked against this tip (verdict.c); *res says
 * whether it was new, replaced an earlier one, or was there already. */
int ss_act_commit_verdict(struct ss_writer *w, const struct ss_act_month *cx,
                          const struct ss_verdict_req *req, const struct ss_reviewer *rv,
                          enum ss_recorded *res);

#endif
