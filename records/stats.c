#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "map.h"
#include "rechash.h"
#include "vocab.h"

static bool categorical(int f)
{
	switch (f) {
	case SS_F_TYPE:
	case SS_F_OPERATION:
	case SS_F_OPERATION_NAME:
	case SS_F_GENDER:
	case SS_F_AGE_RANGE:
	case SS_F_SELF_DEFINED_ETHNICITY:
	case SS_F_OFFICER_DEFINED_ETHNICITY:
	case SS_F_LEGISLATION:
	case SS_F_OBJECT_OF_SEARCH:
	case SS_F_OUTCOME:
	case SS_F_OUTCOME_LINKED:
	case SS_F_REMOVAL:
	case SS_F_AREA:
		return true;
	default:
		return false;
	}
}

static int cmp_value(const void *a, const void *b)
{
	const struct ss_stat_value *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* Distinct values of one field and their counts. */
struct vtab {
	struct ss_map *map; /* value -> count (size) */
	/* the last string seen and its count: a population's values are mostly
	 * the same few strings, often the very same pointer */
	const char *last;
	union ss_map_value *last_count;
};

static int vtab_add(struct vtab *t, const char *v)
{
	union ss_map_value *c;
	int err;

	if (v != t->last) {
		if ((err = ss_map_puts(t->map, v, &c, NULL)) != 0)
			return err;
		t->last = v;
		t->last_count = c;
	}
	t->last_count->size++;
	return 0;
}

static int count_values(const struct ss_population *pop, int f, struct ss_field_stats *fs)
{
	struct vtab t = {NULL, NULL, NULL};
	struct ss_map_entry e;
	size_t i, pos = 0;
	int err;

	if ((err = ss_map_new(&t.map, 0, NULL)) != 0)
		goto out;
	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];
		const char *v;

		if (ss_field_type((enum ss_field)f) == SS_FT_BOOL) {
			if (r->tri[f] == SS_TRI_NULL)
				continue;
			v = r->tri[f] == SS_TRI_TRUE ? "true" : "false";
		} else if ((v = r->str[f]) == NULL) {
			continue;
		}
		if ((err = vtab_add(&t, v)) != 0)
			goto out;
	}
	fs->values = calloc(ss_map_count(t.map) ? ss_map_count(t.map) : 1, sizeof(*fs->values));
	if (fs->values == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	while (ss_map_next(t.map, &pos, &e)) {
		struct ss_stat_value *v = &fs->values[fs->nvalues++];

		v->value = e.key;
		v->count = e.value.size;
		v->known = !fs->has_vocab || ss_vocab_known((enum ss_field)f, v->value);
		if (!v->known) {
			fs->unknown += v->count;
			fs->unknown_values++;
		}
	}
	qsort(fs->values, fs->nvalues, sizeof(*fs->values), cmp_value);
out:
	ss_map_free(t.map);
	return err;
}

static uint64_t record_hash(const void *key, size_t len)
{
	(void)len;
	return ss_fh_record(key);
}

static bool record_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	(void)alen;
	(void)blen;
	return ss_fh_record_cmp(a, b) == 0;
}

static const struct ss_map_type record_type = {record_hash, record_equal};

/* Records whose stored line equals an earlier record's: a map of the
 * distinct records, each match confirmed field by field. */
static int count_duplicates(const struct ss_population *pop, size_t *out)
{
	struct ss_map *seen = NULL;
	union ss_map_value *v;
	size_t i, dups = 0;
	bool added;
	int err;

	if ((err = ss_map_new(&seen, 0, &record_type)) != 0 ||
	    (err = ss_map_reserve(seen, pop->n)) != 0)
		goto out;
	for (i = 0; i < pop->n; i++) {
		if ((err = ss_map_put(seen, &pop->rec[i], 0, &v, &added)) != 0)
			goto out;
		if (!added)
			dups++;
	}
	*out = dups;
out:
	ss_map_free(seen);
	return err;
}

int ss_stats_compute(const struct ss_population *pop, struct ss_stats **out)
{
	struct ss_stats *st = NULL;
	struct ss_instant lo = {0, 0}, hi = {0, 0};
	const char *last_dt = NULL;
	size_t i;
	int f, err = 0;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	st->records = pop->n;
	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];
		const char *dt = r->str[SS_F_DATETIME];
		struct ss_instant t;

		for (f = 0; f < SS_F_COUNT; f++) {
			if (ss_field_type((enum ss_field)f) == SS_FT_BOOL ? r->tri[f] == SS_TRI_NULL
			                                                  : r->str[f] == NULL)
				st->field[f].blank++;
		}
		/* the same string again cannot be a new earliest or latest */
		if (dt != NULL && dt != last_dt &&
		    ss_datetime_parse(dt, strlen(dt), &t, NULL) == 0) {
			last_dt = dt;
			if (st->earliest == NULL || ss_instant_cmp(&t, &lo) < 0) {
				lo = t;
				st->earliest = dt;
			}
			if (st->latest == NULL || ss_instant_cmp(&t, &hi) > 0) {
				hi = t;
				st->latest = dt;
			}
		}
	}
	if ((err = count_duplicates(pop, &st->duplicates)) != 0)
		goto out;
	for (f = 0; f < SS_F_COUNT; f++) {
		struct ss_field_stats *fs = &st->field[f];

		if (!categorical(f))
			continue;
		fs->has_values = true;
		fs->has_vocab = ss_vocab_has((enum ss_field)f);
		if ((err = count_values(pop, f, fs)) != 0)
			goto out;
	}
	*out = st;
	st = NULL;
out:
	ss_stats_free(st);
	return err;
}

void ss_stats_free(struct ss_stats *st)
{
	int f;

	if (st == NULL)
		return;
	for (f = 0; f < SS_F_COUNT; f++)
		free(st->field[f].values);
	free(st);
}

int ss_stats_to_json(const struct ss_stats *st, struct ss_buf *out)
{
	int f, err;
	size_t i;

	if ((err = ss_buf_printf(out, "{\"records\":%zu,\"duplicates\":%zu,\"earliest\":",
	                         st->records, st->duplicates)) != 0 ||
	    (err = ss_buf_json_string_or_null(out, st->earliest)) != 0 ||
	    (err = ss_buf_puts(out, ",\"latest\":")) != 0 ||
	    (err = ss_buf_json_string_or_null(out, st->latest)) != 0 ||
	    (err = ss_buf_puts(out, ",\"fields\":{")) != 0)
		return err;
	for (f = 0; f < SS_F_COUNT; f++) {
		const struct ss_field_stats *fs = &st->field[f];
		bool is_bool = ss_field_type((enum ss_field)f) == SS_FT_BOOL;

		if ((err = ss_buf_printf(out, "%s\"%s\":{\"blank\":%zu", f ? "," : "",
		                         ss_field_name((enum ss_field)f), fs->blank)) != 0)
			return err;
		if (fs->has_vocab &&
		    (err = ss_buf_printf(out, ",\"unknown\":%zu,\"unknown_values\":%zu",
		                         fs->unknown, fs->unknown_values)) != 0)
			return err;
		if (fs->has_values) {
			if ((err = ss_buf_puts(out, ",\"values\":[")) != 0)
				return err;
			for (i = 0; i < fs->nvalues; i++) {
				const struct ss_stat_value *v = &fs->values[i];

				if ((err = ss_buf_puts(out, i ? ",{\"value\":" : "{\"value\":")) !=
				    0)
					return err;
				if (is_bool)
					err = ss_buf_puts(out, v->value);
				else
					err = ss_buf_json_string(out, v->value, strlen(v->value));
				if (err ||
				    (err = ss_buf_printf(out, ",\"count\":%zu", v->count)) != 0)
					return err;
				if (fs->has_vocab &&
				    (err = ss_buf_puts(out, v->known ? ",\"known\":true"
				                                     : ",\"known\":false")) != 0)
					return err;
				if ((err = ss_buf_putc(out, '}')) != 0)
					return err;
			}
			if ((err = ss_buf_putc(out, ']')) != 0)
				return err;
		}
		if ((err = ss_buf_putc(out, '}')) != 0)
			return err;
	}
	return ss_buf_puts(out, "}}");
}
