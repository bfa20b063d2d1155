/*
 * draw.h - the sample action: draw a month's sample from the committed
 * population, the policy in force and a seed, and commit sample.json.
 */
#ifndef SS_DRAW_H
#define SS_DRAW_H

#include "sample.h"
#include "writer.h"

/* seed NULL: 20 random digits, marked generated. *out (may be NULL) gets the
 * drawn sample (caller frees with ss_sample_free). */
int ss_act_sample(struct ss_writer *w, const char *month, const char *seed, struct ss_sample **out);

#endif
