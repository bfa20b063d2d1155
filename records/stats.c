#include "stats.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fasthash.h"
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

/* Distinct values of one field and their counts, in a hash table. */
struct vslot {
	uint64_t h;
	const char *value; /* NULL: empty slot */
	size_t count;
};

struct vtab {
	struct vslot *slot;
	size_t cap, n;
	/* the last string seen and its slot: a population's values are mostly
	 * the same few strings, often the very same pointer */
	const char *last;
	size_t last_slot;
};

static int vtab_grow(struct vtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64, i, k;
	struct vslot *s = calloc(cap, sizeof(*s));

	if (s == NULL)
		return ss_error_nomem();
	for (i = 0; i < t->cap; i++) {
		if (t->slot[i].value == NULL)
			continue;
		for (k = (size_t)t->slot[i].h & (cap - 1); s[k].value != NULL;
		     k = (k + 1) & (cap - 1))
			;
		s[k] = t->slot[i];
	}
	free(t->slot);
	t->slot = s;
	t->cap = cap;
	t->last = NULL;
	return 0;
}

static int vtab_add(struct vtab *t, const char *v)
{
	size_t len, k;
	uint64_t h;
	int err;

	if (v == t->last) {
		t->slot[t->last_slot].count++;
		return 0;
	}
	if (2 * (t->n + 1) > t->cap && (err = vtab_grow(t)) != 0)
		return err;
	len = strlen(v);
	h = ss_fh_string(v, len);
	for (k = (size_t)h & (t->cap - 1); t->slot[k].value != NULL; k = (k + 1) & (t->cap - 1))
		if (t->slot[k].h == h && strcmp(t->slot[k].value, v) == 0)
			break;
	if (t->slot[k].value == NULL) {
		t->slot[k].h = h;
		t->slot[k].value = v;
		t->n++;
	}
	t->slot[k].count++;
	t->last = v;
	t->last_slot = k;
	return 0;
}

static int count_values(const struct ss_population *pop, int f, struct ss_field_stats *fs)
{
	struct vtab t = {NULL, 0, 0, NULL, 0};
	size_t i;
	int err = 0;

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
	fs->values = calloc(t.n ? t.n : 1, sizeof(*fs->values));
	if (fs->values == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < t.cap; i++) {
		struct ss_stat_value *v;

		if (t.slot[i].value == NULL)
			continue;
		v = &fs->values[fs->nvalues++];
		v->value = t.slot[i].value;
		v->count = t.slot[i].count;
		v->known = !fs->has_vocab || ss_vocab_known((enum ss_field)f, v->value);
		if (!v->known) {
			fs->unknown += v->count;
			fs->unknown_values++;
		}
	}
	qsort(fs->values, fs->nvalues, sizeof(*fs->values), cmp_value);
out:
	free(t.slot);
	return err;
}

/* Records whose stored line equals an earlier record's: a hash table of the
 * distinct records, each match confirmed field by field. */
static int count_duplicates(const struct ss_population *pop, size_t *out)
{
	size_t cap = 16, mask, i, k, dups = 0;
	struct rslot {
		uint64_t h;
		size_t idx; /* + 1; 0 is empty */
	} * tab;

	while (cap < 2 * pop->n && cap < SIZE_MAX / 4)
		cap *= 2;
	tab = calloc(cap, sizeof(*tab));
	if (tab == NULL)
		return ss_error_nomem();
	mask = cap - 1;
	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];
		uint64_t h = ss_fh_record(r);

		for (k = (size_t)h & mask; tab[k].idx != 0; k = (k + 1) & mask)
			if (tab[k].h == h && ss_fh_record_cmp(&pop->rec[tab[k].idx - 1], r) == 0)
				break;
		if (tab[k].idx != 0) {
			dups++;
		} else {
			tab[k].h = h;
			tab[k].idx = i + 1;
		}
	}
	free(tab);
	*out = dups;
	return 0;
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
