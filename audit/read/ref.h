/*
 * ref.h - a record named by the force's reference (`--ref REFERENCE` in
 * show, correct and history): its id follows from the reference as
 * DESIGN.md section 3 derives ids, and must be a record of the month.
 */
#ifndef SS_REF_H
#define SS_REF_H

#include "record.h"

/* The id of the record of `month`, at the tip of the trail at `path`, whose
 * reference is `reference`, into out. SS_EFAIL, in words, when the month has
 * no such record, saying so when none of its records has a reference (data
 * from data.police.uk carries none); SS_ENOINPUT without a trail. */
int ss_ref_find(const char *path, const char *month, const char *reference,
                char out[SS_ID_LEN + 1]);

#endif
