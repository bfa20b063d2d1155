/*
 * month.h - read a month's committed files at a commit: the population and
 * the sample, with refusals in words ("2019-06 has not been imported").
 *
 * Ownership: everything returned through ** is the caller's, freed with its
 * type's _free (ss_population_free, ss_sample_free) or free() for bytes.
 */
#ifndef SS_MONTH_H
#define SS_MONTH_H

#include <stddef.h>

#include "record.h"
#include "sample.h"
#include "trail.h"

/* The population's bytes (raw may be NULL) and parsed records; SS_EFAIL when not imported. */
int ss_month_population(struct ss_trail *t, const struct ss_oid *commit, const char *month,
			char **raw, size_t *raw_len, struct ss_population **pop);
/* The sample; SS_EFAIL when the month has not been sampled. */
int ss_month_sample(struct ss_trail *t, const struct ss_oid *commit, const char *month,
		    struct ss_sample **out);
/* Open a trail and its tip for reading; SS_ENOINPUT when it has no history. */
int ss_month_open(const char *path, struct ss_trail **t, struct ss_oid *tip);

/* The trail's name from trail.json at a commit, for headings (caller frees;
 * "" when unknown). */
char *ss_trail_title(struct ss_trail *t, const struct ss_oid *commit);

/* months/M/verdicts/XX/ID (XX: the two characters after "R-"). */
void ss_verdict_dir(char *out, size_t n, const char *month, const char *id);

#endif
