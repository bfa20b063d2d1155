#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hash.h"
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_value(const void *a, const void *b)
{
	const struct ss_stat_value *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

static int cmp_hash(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

static int count_values(const struct ss_population *pop, int f, const char **tmp,
                        struct ss_field_stats *fs)
{
	size_t i, n = 0, k;

	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];

		if (ss_field_type((enum ss_field)f) == SS_FT_BOOL) {
			if (r->tri[f] != SS_TRI_NULL)
				tmp[n++] = r->tri[f] == SS_TRI_TRUE ? "true" : "false";
		} else if (r->str[f] != NULL) {
			tmp[n++] = r->str[f];
		}
	}
	qsort(tmp, n, sizeof(*tmp), cmp_str);
	for (i = 0, k = 0; i < n; k++)
		for (i++; i < n && strcmp(tmp[i], tmp[i - 1]) == 0; i++)
			;
	fs->values = calloc(k ? k : 1, sizeof(*fs->values));
	if (fs->values == NULL)
		return ss_error_nomem();
	for (i = 0; i < n;) {
		struct ss_stat_value *v = &fs->values[fs->nvalues++];
		size_t start = i;

		for (i++; i < n && strcmp(tmp[i], tmp[start]) == 0; i++)
			;
		v->value = tmp[start];
		v->count = i - start;
		v->known = !fs->has_vocab || ss_vocab_known((enum ss_field)f, v->value);
		if (!v->known) {
			fs->unknown += v->count;
			fs->unknown_values++;
		}
	}
	qsort(fs->values, fs->nvalues, sizeof(*fs->values), cmp_value);
	return 0;
}

int ss_stats_compute(const struct ss_population *pop, struct ss_stats **out)
{
	struct ss_stats *st = NULL;
	const char **tmp = NULL;
	unsigned char(*hashes)[32] = NULL;
	struct ss_buf line = SS_BUF_INIT;
	struct ss_instant lo = {0, 0}, hi = {0, 0};
	size_t i;
	int f, err = 0;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	tmp = malloc((pop->n ? pop->n : 1) * sizeof(*tmp));
	hashes = malloc((pop->n ? pop->n : 1) * sizeof(*hashes));
	if (st == NULL || tmp == NULL || hashes == NULL) {
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
		if (dt != NULL && ss_datetime_parse(dt, strlen(dt), &t, NULL) == 0) {
			if (st->earliest == NULL || ss_instant_cmp(&t, &lo) < 0) {
				lo = t;
				st->earliest = dt;
			}
			if (st->latest == NULL || ss_instant_cmp(&t, &hi) > 0) {
				hi = t;
				st->latest = dt;
			}
		}
		ss_buf_reset(&line);
		if ((err = ss_record_to_json(r, false, &line)) != 0)
			goto out;
		ss_sha256(hashes[i], line.data, line.len);
	}
	qsort(hashes, pop->n, sizeof(*hashes), cmp_hash);
	for (i = 1; i < pop->n; i++)
		if (memcmp(hashes[i], hashes[i - 1], 32) == 0)
			st->duplicates++;
	for (f = 0; f < SS_F_COUNT; f++) {
		struct ss_field_stats *fs = &st->field[f];

		if (!categorical(f))
			continue;
		fs->has_values = true;
		fs->has_vocab = ss_vocab_has((enum ss_field)f);
		if ((err = count_values(pop, f, tmp, fs)) != 0)
			goto out;
	}
	*out = st;
	st = NULL;
out:
	ss_stats_free(st);
	free(tmp);
	free(hashes);
	ss_buf_release(&line);
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
