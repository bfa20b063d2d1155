/*
 * show.h - one record as `ssaudit show` presents it: as imported, whether it
 * was sampled, its current values after corrections, the corrections and any
 * waiver, and its verdicts unless the blind rule (blind.h) keeps them from
 * the person asking.
 *
 * Ownership: ss_show_load returns a struct the caller frees with
 * ss_show_free (NULL is a no-op); every pointer inside it is borrowed from it.
 */
#ifndef SS_SHOW_H
#define SS_SHOW_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "record.h"
#include "sample.h"
#include "verdict.h"

/* The correctable fields, in the order they are shown. */
#define SS_SHOW_NCURRENT 2
extern const enum ss_field ss_show_current_fields[SS_SHOW_NCURRENT];

struct ss_show_owned;

struct ss_show {
	const struct ss_record *record;
	bool drawn;                             /* the month has been sampled */
	const struct ss_sample_record *sampled; /* NULL: not in the sample */
	struct ss_rule_value current[SS_SHOW_NCURRENT];
	const struct ss_correction *corrections; /* oldest first */
	size_t ncorrections;
	const struct ss_waiver *waiver;      /* NULL: none */
	const struct ss_response *responses; /* the force's, oldest first */
	size_t nresponses;
	const struct ss_verdict *verdicts;
	size_t nverdicts;
	bool verdicts_hidden; /* blind review: the verdicts are not for the asker */
	bool closed;
	const char *closed_by; /* NULL: unknown */
	const struct ss_policy *policy;
	struct ss_show_owned *owned; /* private */
};

/* Read record id of month at the tip of the trail at path, for `as` (NULL:
 * nobody in particular). SS_EFAIL in words when there is no such record. */
int ss_show_load(const char *path, const char *month, const char *id, const char *as,
                 struct ss_show **out);
void ss_show_free(struct ss_show *s);

#endif
