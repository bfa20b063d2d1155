/*
 * sample_int.h - what sample.c (the draw) and sample_json.c (sample.json and
 * re-derivation) share; nothing outside audit/store/sample*.c includes it.
 */
#ifndef SS_SAMPLE_INT_H
#define SS_SAMPLE_INT_H

#include <stdbool.h>

#include "sample.h"

char *ss_sample_strdup(const char *s);
bool ss_sample_is_hex64(const char *s);
bool ss_sample_is_month(const char *s);
bool ss_sample_is_record_id(const char *s);
/* Room for n ids of a role (r->ids[i] point into one block). */
int ss_sample_role_alloc(struct ss_sample_role *r, size_t n);
/* Build the private indexes; SS_EDATA naming a record or role id listed twice. */
int ss_sample_index(struct ss_sample *s, const char *name);

#endif
