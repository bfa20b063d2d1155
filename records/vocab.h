/*
 * vocab.h - the values data.police.uk publishes for each categorical field,
 * so `check` can count values nobody expected. Unknown values are accepted
 * everywhere; this list only informs. Taken from data.police.uk files of
 * several forces and years (older spellings of outcomes included).
 *
 * Ownership: everything returned is static and borrowed.
 */
#ifndef SS_VOCAB_H
#define SS_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

/* True when f has a known vocabulary: type, gender, age_range, the two
 * ethnicities, legislation, object_of_search, outcome. */
bool ss_vocab_has(enum ss_field f);
/* True when value is one of f's known values (exact, case-sensitive). */
bool ss_vocab_known(enum ss_field f, const char *value);
/* f's known values, *n of them (NULL and 0 when f has none). */
const char *const *ss_vocab_values(enum ss_field f, size_t *n);

#endif
