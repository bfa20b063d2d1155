/*
 * stats.h - what `ssaudit check` reports about a population: how many
 * records, per field the blanks and the values (with how many are outside
 * data.police.uk's known vocabulary), duplicate rows and the date span.
 *
 * Ownership: ss_stats_compute() returns a struct ss_stats the caller frees
 * with ss_stats_free(). It borrows the population's strings (values,
 * earliest, latest): free the stats before the population.
 */
#ifndef SS_STATS_H
#define SS_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "record.h"

struct ss_stat_value {
	const char *value; /* for boolean fields "true" or "false" */
	size_t count;
	bool known; /* in the field's vocabulary (always true for fields without one) */
};

struct ss_field_stats {
	size_t blank;                 /* records where the field is null */
	bool has_values;              /* categorical: values below were counted */
	bool has_vocab;               /* unknown counts below are meaningful */
	size_t unknown;               /* records whose value is not in the vocabulary */
	size_t unknown_values;        /* distinct such values */
	struct ss_stat_value *values; /* by count, most first; then by value */
	size_t nvalues;
};

struct ss_stats {
	size_t records;
	/* records whose stored line without id equals an earlier record's */
	size_t duplicates;
	/* earliest and latest datetime, compared as instants, as given; NULL when none */
	const char *earliest, *latest;
	struct ss_field_stats field[SS_F_COUNT];
};

/*
 * Values are counted for the categorical fields: type, operation,
 * operation_name, gender, age_range, the two ethnicities, legislation,
 * object_of_search, outcome, the two other booleans, and area. Free-text and
 * per-record fields (datetime, coordinates, street, reference, officer,
 * grounds, bwv, subject) get blank counts only. 0 or SS_ENOMEM.
 */
int ss_stats_compute(const struct ss_population *pop, struct ss_stats **out);
void ss_stats_free(struct ss_stats *st);

/*
 * Append the stats as one JSON object:
 * {"records":N,"duplicates":N,"earliest":"..."|null,"latest":"..."|null,
 *  "fields":{"type":{"blank":N,"unknown":N,"unknown_values":N,
 *                    "values":[{"value":"Person search","count":N,"known":true},...]},
 *            "datetime":{"blank":N}, ...}}
 * with "fields" in stored key order; "values" only for categorical fields,
 * "unknown", "unknown_values" and "known" only for fields with a vocabulary.
 * Boolean fields' values are JSON true and false.
 */
int ss_stats_to_json(const struct ss_stats *st, struct ss_buf *out);

#endif
