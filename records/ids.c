/*
 * ids.c - a record's id (DESIGN.md section 3): from its force reference, or
 * from its stored line and its occurrence among identical lines; assigned
 * to a population at import, derived again by verify, for a whole
 * population or one record at a time as a stored one streams
 * (ss_id_stream); and references checked unique within a month.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "error.h"
#include "fasthash.h"
#include "lang.h"
#include "map.h"
#include "par.h"
#include "rechash.h"
#include "record.h"

/* ---- ids ---- */

static const struct ss_population *sort_pop; /* qsort has no context argument in C17 */

struct refdup {
	size_t first, again; /* record indices */
};

static int cmp_refdup(const void *a, const void *b)
{
	const struct refdup *x = a, *y = b;
	int c = strcmp(sort_pop->rec[x->again].str[SS_F_REFERENCE],
	               sort_pop->rec[y->again].str[SS_F_REFERENCE]);

	if (c)
		return c;
	return x->again < y->again ? -1 : x->again > y->again;
}

/* A reference's hash and its record, to find repeats by sorting. */
struct refhash {
	uint64_t h;
	size_t idx;
};

struct refhash_work {
	const struct ss_population *pop;
	struct refhash *v; /* v[i]: record i's; h 0 and idx SIZE_MAX without a reference */
};

static int hash_refs(size_t lo, size_t hi, unsigned part, void *arg)
{
	const struct refhash_work *w = arg;
	size_t i;

	(void)part;
	for (i = lo; i < hi; i++) {
		const char *ref = w->pop->rec[i].str[SS_F_REFERENCE];

		w->v[i].h = ref != NULL ? ss_fh_string(ref, strlen(ref)) : 0;
		w->v[i].idx = ref != NULL ? i : SIZE_MAX;
	}
	return 0;
}

static int cmp_refhash(const void *a, const void *b)
{
	const struct refhash *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Could some record from `from` on repeat a reference? The references'
 * hashes, made on every core and sorted: only records whose hashes are equal
 * are compared. False is certain; true sends the caller to the map below,
 * which names each repeat in its order. A month of references reads in
 * sequence here, where the map's probes jump about a large table. */
static int may_repeat(const struct ss_population *pop, size_t from, bool *maybe)
{
	struct refhash_work w = {pop, NULL};
	size_t i, j, end;
	int err;

	*maybe = true;
	if ((w.v = malloc((pop->n ? pop->n : 1) * sizeof(*w.v))) == NULL)
		return ss_error_nomem();
	if ((err = ss_par_for(pop->n, hash_refs, &w)) != 0)
		goto out;
	qsort(w.v, pop->n, sizeof(*w.v), cmp_refhash);
	*maybe = false;
	for (i = 0; i < pop->n && !*maybe; i = end) {
		for (end = i + 1; end < pop->n && w.v[end].h == w.v[i].h; end++)
			;
		for (j = end; j > i && w.v[j - 1].idx == SIZE_MAX; j--) /* no reference: last */
			;
		if (j - i < 2 || w.v[j - 1].idx < from)
			continue;
		if (j - i > 64) { /* many references, one hash: the map decides */
			*maybe = true;
			break;
		}
		/* the same hash: the same reference? */
		for (size_t a = i; a < j && !*maybe; a++)
			for (size_t b = a + 1; b < j && !*maybe; b++)
				*maybe = w.v[b].idx >= from &&
				         strcmp(pop->rec[w.v[a].idx].str[SS_F_REFERENCE],
				                pop->rec[w.v[b].idx].str[SS_F_REFERENCE]) == 0;
	}
out:
	free(w.v);
	return err;
}

int ss_population_duplicate_refs(const struct ss_population *pop, size_t from,
                                 int (*fn)(void *arg, const struct ss_record *first,
                                           const struct ss_record *again),
                                 void *arg)
{
	/* A map from each reference to its first record, in index order; the
	 * repeats are reported sorted by reference, then index. */
	struct ss_map *first = NULL;
	union ss_map_value *v;
	struct refdup *dups = NULL;
	size_t ndups = 0, capdups = 0, i;
	bool added, maybe;
	int err;

	if (from >= pop->n)
		return 0;
	if ((err = may_repeat(pop, from, &maybe)) != 0 || !maybe)
		return err;
	if ((err = ss_map_new(&first, 0, NULL)) != 0 || (err = ss_map_reserve(first, pop->n)) != 0)
		goto out;
	for (i = 0; i < pop->n; i++) {
		const char *ref = pop->rec[i].str[SS_F_REFERENCE];

		if (ref == NULL)
			continue;
		if ((err = ss_map_puts(first, ref, &v, &added)) != 0)
			goto out;
		if (added) {
			v->size = i;
			continue;
		}
		if (i < from)
			continue;
		if (ndups == capdups) {
			size_t c2 = capdups ? capdups * 2 : 16;
			struct refdup *p = realloc(dups, c2 * sizeof(*p));

			if (p == NULL) {
				err = ss_error_nomem();
				goto out;
			}
			dups = p;
			capdups = c2;
		}
		dups[ndups].first = v->size;
		dups[ndups].again = i;
		ndups++;
	}
	if (ndups > 1) {
		sort_pop = pop;
		qsort(dups, ndups, sizeof(*dups), cmp_refdup);
	}
	for (i = 0; i < ndups; i++)
		if ((err = fn(arg, &pop->rec[dups[i].first], &pop->rec[dups[i].again])) != 0)
			goto out;
out:
	ss_map_free(first);
	free(dups);
	return err;
}

static const char *source_name(const struct ss_population *pop, const struct ss_record *r)
{
	if (r->source < pop->nsources)
		return pop->sources[r->source].name;
	return "population";
}

static int ref_again(const char *name, size_t line, const char *reference, const char *first_name,
                     unsigned first_line)
{
	return ss_error_set_at(SS_EDATA, name, line, 1,
	                       _("the reference \"%s\" is used again (first at %s:%u); "
	                         "references must be unique within a month"),
	                       reference, first_name, first_line);
}

static int dup_ref_error(void *arg, const struct ss_record *first, const struct ss_record *again)
{
	const struct ss_population *pop = arg;

	return ref_again(source_name(pop, again), again->line, again->str[SS_F_REFERENCE],
	                 source_name(pop, first), first->line);
}

struct rowkey {
	uint64_t h; /* ss_fh_record() */
	size_t idx;
	size_t occ; /* its occurrence among identical stored records, from 1 */
};

/* By hash, identical records together, then reading order. */
static int cmp_rowkey(const void *a, const void *b)
{
	const struct rowkey *x = a, *y = b;
	int c;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	if ((c = ss_fh_record_cmp(&sort_pop->rec[x->idx], &sort_pop->rec[y->idx])) != 0)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

struct idkey {
	char id[SS_ID_LEN - 2]; /* the base32 after "R-" */
	size_t idx;
};

static int cmp_idkey(const void *a, const void *b)
{
	const struct idkey *x = a, *y = b;
	int c = memcmp(x->id, y->id, sizeof(x->id));

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void set_id(char id[SS_ID_LEN + 1], struct ss_sha256 *h)
{
	unsigned char d[32];

	ss_sha256_final(h, d);
	id[0] = 'R';
	id[1] = '-';
	ss_base32_encode(id + 2, d, 10);
	id[SS_ID_LEN] = '\0';
}
/* Put the records in the order of their ids, moving each record once. */
static int sort_by_id(struct ss_population *pop)
{
	struct idkey *keys = malloc(pop->n * sizeof(*keys));
	size_t i;

	if (keys == NULL)
		return ss_error_nomem();
	for (i = 0; i < pop->n; i++) {
		memcpy(keys[i].id, pop->rec[i].id + 2, sizeof(keys[i].id));
		keys[i].idx = i;
	}
	qsort(keys, pop->n, sizeof(*keys), cmp_idkey);
	/* keys[k].idx is the record that belongs at k: follow each cycle */
	for (i = 0; i < pop->n; i++) {
		struct ss_record tmp;
		size_t j = i;

		if (keys[i].idx == i)
			continue;
		tmp = pop->rec[i];
		while (keys[j].idx != i) {
			size_t next = keys[j].idx;

			pop->rec[j] = pop->rec[next];
			keys[j].idx = j;
			j = next;
		}
		pop->rec[j] = tmp;
		keys[j].idx = j;
	}
	free(keys);
	return 0;
}

#define ID_PREFIX "ssaudit-id-v1"

void ss_record_id_of_reference(const char *reference, char out[SS_ID_LEN + 1])
{
	struct ss_sha256 h;
	unsigned char d[32];

	ss_sha256_init(&h);
	ss_sha256_update(&h, ID_PREFIX, sizeof(ID_PREFIX)); /* with its NUL */
	ss_sha256_update(&h, "ref", 4);
	ss_sha256_update(&h, reference, strlen(reference));
	ss_sha256_final(&h, d);
	out[0] = 'R';
	out[1] = '-';
	ss_base32_encode(out + 2, d, 10);
	out[SS_ID_LEN] = '\0';
}

struct id_work {
	const struct ss_population *pop;
	const struct rowkey *keys;
	char (*ids)[SS_ID_LEN + 1]; /* ids[i]: record i's */
};

void ss_record_id_of_row(const char *row, size_t n, size_t occ, char out[SS_ID_LEN + 1])
{
	static const char prefix[] = ID_PREFIX;
	struct ss_sha256 h;
	char num[32];

	snprintf(num, sizeof(num), "%zu", occ);
	ss_sha256_init(&h);
	ss_sha256_update(&h, prefix, sizeof(prefix));
	ss_sha256_update(&h, "row", 4);
	ss_sha256_update(&h, row, n);
	ss_sha256_update(&h, "", 1);
	ss_sha256_update(&h, num, strlen(num));
	set_id(out, &h);
}

/* The ids of keys lo to hi (records without a reference), each from its
 * stored line and occurrence alone. */
static int row_ids(size_t lo, size_t hi, unsigned part, void *arg)
{
	const struct id_work *iw = arg;
	struct ss_buf line = SS_BUF_INIT;
	size_t i;
	int err = 0;

	(void)part;
	for (i = lo; i < hi && err == 0; i++) {
		const struct ss_record *r = &iw->pop->rec[iw->keys[i].idx];

		ss_buf_reset(&line);
		if ((err = ss_record_to_json(r, false, &line)) != 0)
			break;
		ss_record_id_of_row(line.data, line.len, iw->keys[i].occ, iw->ids[iw->keys[i].idx]);
	}
	ss_buf_release(&line);
	return err;
}

/* The ids of records lo to hi that have a reference. */
static int ref_ids(size_t lo, size_t hi, unsigned part, void *arg)
{
	const struct id_work *iw = arg;
	size_t i;

	(void)part;
	for (i = lo; i < hi; i++)
		if (iw->pop->rec[i].str[SS_F_REFERENCE] != NULL)
			ss_record_id_of_reference(iw->pop->rec[i].str[SS_F_REFERENCE], iw->ids[i]);
	return 0;
}

int ss_population_derive_ids(const struct ss_population *pop, char (*ids)[SS_ID_LEN + 1])
{
	struct id_work iw = {pop, NULL, ids};
	struct rowkey *keys = NULL;
	size_t i, n = 0, occ = 0;
	int err;

	if (pop->refs_unique < pop->n &&
	    (err = ss_population_duplicate_refs(pop, 0, dup_ref_error, (void *)pop)) != 0)
		goto out;
	keys = malloc((pop->n ? pop->n : 1) * sizeof(*keys));
	if (keys == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((err = ss_par_for(pop->n, ref_ids, &iw)) != 0)
		goto out;
	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];

		if (r->str[SS_F_REFERENCE] != NULL)
			continue;
		keys[n].h = ss_fh_record(r);
		keys[n].idx = i;
		n++;
	}
	sort_pop = pop;
	qsort(keys, n, sizeof(*keys), cmp_rowkey);
	/* Occurrences in order, then the hashes on every core. */
	for (i = 0; i < n; i++) {
		bool same =
		    i > 0 && keys[i - 1].h == keys[i].h &&
		    ss_fh_record_cmp(&pop->rec[keys[i - 1].idx], &pop->rec[keys[i].idx]) == 0;

		occ = same ? occ + 1 : 1;
		keys[i].occ = occ;
	}
	iw.keys = keys;
	err = ss_par_for(n, row_ids, &iw);
out:
	free(keys);
	return err;
}

int ss_population_assign_ids(struct ss_population *pop)
{
	char(*ids)[SS_ID_LEN + 1] = malloc((pop->n ? pop->n : 1) * sizeof(*ids));
	size_t i;
	int err;

	if (ids == NULL)
		return ss_error_nomem();
	if ((err = ss_population_derive_ids(pop, ids)) == 0) {
		for (i = 0; i < pop->n; i++)
			memcpy(pop->rec[i].id, ids[i], sizeof(ids[i]));
		if (pop->n > 1)
			err = sort_by_id(pop);
	}
	free(ids);
	return err;
}

/* ---- ids derived as a stored population streams ---- */

struct derived {
	char id[SS_ID_LEN + 1];
	uint32_t line;
	const char *reference; /* borrowed; NULL for a row id */
};

struct ss_id_stream {
	struct ss_map *rows; /* a row's first id -> how many identical rows so far */
	struct derived *d;
	size_t n, cap;
	char (*ids)[SS_ID_LEN + 1]; /* made by _finish */
};

int ss_id_stream_new(struct ss_id_stream **out)
{
	struct ss_id_stream *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL || ss_map_new(&s->rows, SS_MAP_COPY_KEYS, NULL) != 0) {
		free(s);
		return ss_error_nomem();
	}
	*out = s;
	return 0;
}

void ss_id_stream_free(struct ss_id_stream *s)
{
	if (s == NULL)
		return;
	ss_map_free(s->rows);
	free(s->d);
	free(s->ids);
	free(s);
}

int ss_id_stream_add(struct ss_id_stream *s, const char *reference, const char *row, size_t n,
                     uint32_t line, char out[SS_ID_LEN + 1])
{
	struct derived *d;

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		struct derived *m = realloc(s->d, cap * sizeof(*m));

		if (m == NULL)
			return ss_error_nomem();
		s->d = m;
		s->cap = cap;
	}
	d = &s->d[s->n];
	d->line = line;
	d->reference = reference;
	if (reference != NULL) {
		ss_record_id_of_reference(reference, d->id);
	} else {
		/* Identical rows share their first id, so it counts them; two
		 * different rows with one id would already be two records with
		 * one id, which no population can hold. */
		union ss_map_value *count;

		ss_record_id_of_row(row, n, 1, d->id);
		if (ss_map_put(s->rows, d->id, SS_ID_LEN, &count, NULL) != 0)
			return ss_error_nomem();
		if (++count->size > 1)
			ss_record_id_of_row(row, n, count->size, d->id);
	}
	memcpy(out, d->id, sizeof(d->id));
	s->n++;
	return 0;
}

static int cmp_derived(const void *a, const void *b)
{
	const struct derived *x = a, *y = b;
	int c = memcmp(x->id, y->id, SS_ID_LEN);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

int ss_id_stream_finish(struct ss_id_stream *s, const char *name, const char (**ids)[SS_ID_LEN + 1],
                        size_t *n)
{
	const struct derived *first = NULL, *again = NULL;
	size_t i;

	*ids = NULL;
	*n = 0;
	if (s->n > 1)
		qsort(s->d, s->n, sizeof(*s->d), cmp_derived);
	/* A reference used twice gives one id twice: name the earliest repeat,
	 * as ss_population_derive_ids does. */
	for (i = 1; i < s->n; i++)
		if (s->d[i].reference != NULL &&
		    memcmp(s->d[i].id, s->d[i - 1].id, SS_ID_LEN) == 0 &&
		    (again == NULL || s->d[i].line < again->line) &&
		    (i < 2 || memcmp(s->d[i - 2].id, s->d[i].id, SS_ID_LEN) != 0)) {
			first = &s->d[i - 1];
			again = &s->d[i];
		}
	if (again != NULL)
		return ref_again(name, again->line, again->reference, name, first->line);
	free(s->ids);
	if ((s->ids = malloc((s->n ? s->n : 1) * sizeof(*s->ids))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->n; i++)
		memcpy(s->ids[i], s->d[i].id, sizeof(s->ids[i]));
	*ids = (const char(*)[SS_ID_LEN + 1]) s->ids;
	*n = s->n;
	return 0;
}
