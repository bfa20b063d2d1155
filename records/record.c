#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "error.h"
#include "hash.h"
#include "police_json.h"

static const char *const field_names[SS_F_COUNT] = {
    [SS_F_TYPE] = "type",
    [SS_F_DATETIME] = "datetime",
    [SS_F_OPERATION] = "operation",
    [SS_F_OPERATION_NAME] = "operation_name",
    [SS_F_LATITUDE] = "latitude",
    [SS_F_LONGITUDE] = "longitude",
    [SS_F_STREET] = "street",
    [SS_F_GENDER] = "gender",
    [SS_F_AGE_RANGE] = "age_range",
    [SS_F_SELF_DEFINED_ETHNICITY] = "self_defined_ethnicity",
    [SS_F_OFFICER_DEFINED_ETHNICITY] = "officer_defined_ethnicity",
    [SS_F_LEGISLATION] = "legislation",
    [SS_F_OBJECT_OF_SEARCH] = "object_of_search",
    [SS_F_OUTCOME] = "outcome",
    [SS_F_OUTCOME_LINKED] = "outcome_linked_to_object_of_search",
    [SS_F_REMOVAL] = "removal_of_more_than_outer_clothing",
    [SS_F_REFERENCE] = "reference",
    [SS_F_AREA] = "area",
    [SS_F_OFFICER] = "officer",
    [SS_F_GROUNDS] = "grounds",
    [SS_F_BWV] = "bwv",
    [SS_F_SUBJECT] = "subject",
};

static const char *const format_names[] = {
    [SS_FORMAT_AUTO] = "auto",
    [SS_FORMAT_POLICE_CSV] = "police-csv",
    [SS_FORMAT_POLICE_JSON] = "police-json",
    [SS_FORMAT_FORCE_CSV] = "force-csv",
};

const char *ss_field_name(enum ss_field f)
{
	if ((unsigned)f >= SS_F_COUNT)
		return "?";
	return field_names[f];
}

enum ss_ftype ss_field_type(enum ss_field f)
{
	switch (f) {
	case SS_F_OPERATION:
	case SS_F_OUTCOME_LINKED:
	case SS_F_REMOVAL:
		return SS_FT_BOOL;
	default:
		return SS_FT_STRING;
	}
}

int ss_field_lookup(const char *name)
{
	int f;

	for (f = 0; f < SS_F_COUNT; f++)
		if (strcmp(field_names[f], name) == 0)
			return f;
	return -1;
}

const char *ss_format_name(enum ss_format f)
{
	if ((unsigned)f > SS_FORMAT_FORCE_CSV)
		return "?";
	return format_names[f];
}

int ss_format_lookup(const char *name, enum ss_format *out)
{
	unsigned f;

	for (f = 0; f <= SS_FORMAT_FORCE_CSV; f++) {
		if (strcmp(format_names[f], name) == 0) {
			*out = (enum ss_format)f;
			return 0;
		}
	}
	return ss_error_set(
	    SS_EUSAGE, "unknown format \"%s\" (use auto, police-csv, police-json or force-csv)",
	    name);
}

int ss_population_new(struct ss_population **out)
{
	struct ss_population *pop = calloc(1, sizeof(*pop));

	*out = NULL;
	if (pop == NULL)
		return ss_error_nomem();
	pop->arena = ss_arena_new();
	if (pop->arena == NULL) {
		free(pop);
		return ss_error_nomem();
	}
	*out = pop;
	return 0;
}

void ss_population_free(struct ss_population *pop)
{
	size_t i;

	if (pop == NULL)
		return;
	for (i = 0; i < pop->nsources; i++)
		free(pop->sources[i].name);
	free(pop->sources);
	free(pop->rec);
	ss_arena_free(pop->arena);
	free(pop);
}

int ss_population_append(struct ss_population *pop, struct ss_record **out)
{
	struct ss_record *r;
	int f;

	if (pop->n == pop->cap) {
		size_t cap = pop->cap ? pop->cap * 2 : 1024;
		struct ss_record *p;

		if (cap > SIZE_MAX / sizeof(*p))
			return ss_error_nomem();
		p = realloc(pop->rec, cap * sizeof(*p));
		if (p == NULL)
			return ss_error_nomem();
		pop->rec = p;
		pop->cap = cap;
	}
	r = &pop->rec[pop->n++];
	memset(r, 0, sizeof(*r));
	for (f = 0; f < SS_F_COUNT; f++)
		r->tri[f] = SS_TRI_NULL;
	*out = r;
	return 0;
}

const char *ss_population_strdup(struct ss_population *pop, const char *s, size_t n)
{
	return ss_arena_strdup(pop->arena, s, n);
}

int ss_population_add_source(struct ss_population *pop, const char *name, const char sha256[65],
                             enum ss_format format, size_t rows)
{
	struct ss_source *p, *s;

	p = realloc(pop->sources, (pop->nsources + 1) * sizeof(*p));
	if (p == NULL)
		return ss_error_nomem();
	pop->sources = p;
	s = &p[pop->nsources];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (s->name == NULL)
		return ss_error_nomem();
	memcpy(s->sha256, sha256, 64);
	s->sha256[64] = '\0';
	s->format = format;
	s->rows = rows;
	pop->nsources++;
	return 0;
}

void ss_population_mark(const struct ss_population *pop, struct ss_population_mark *m)
{
	struct ss_arena_mark am;

	ss_arena_mark(pop->arena, &am);
	m->n = pop->n;
	m->chunk = am.chunk;
	m->used = am.used;
}

void ss_population_rewind(struct ss_population *pop, const struct ss_population_mark *m)
{
	struct ss_arena_mark am = {m->chunk, m->used};

	ss_arena_rewind(pop->arena, &am);
	pop->n = m->n;
}

/* ---- stored form ---- */

int ss_record_to_json(const struct ss_record *r, bool with_id, struct ss_buf *out)
{
	int err = 0;
	int f;

	if ((err = ss_buf_putc(out, '{')) != 0)
		goto out;
	if (with_id) {
		if ((err = ss_buf_puts(out, "\"id\":")) != 0 ||
		    (err = ss_buf_json_string(out, r->id, strlen(r->id))) != 0 ||
		    (err = ss_buf_putc(out, ',')) != 0)
			goto out;
	}
	for (f = 0; f < SS_F_COUNT; f++) {
		if (f > 0 && (err = ss_buf_putc(out, ',')) != 0)
			goto out;
		if ((err = ss_buf_putc(out, '"')) != 0 ||
		    (err = ss_buf_puts(out, field_names[f])) != 0 ||
		    (err = ss_buf_put(out, "\":", 2)) != 0)
			goto out;
		if (ss_field_type((enum ss_field)f) == SS_FT_BOOL) {
			const char *v = r->tri[f] == SS_TRI_TRUE    ? "true"
			                : r->tri[f] == SS_TRI_FALSE ? "false"
			                                            : "null";
			err = ss_buf_puts(out, v);
		} else {
			err = ss_buf_json_string_or_null(out, r->str[f]);
		}
		if (err)
			goto out;
	}
	err = ss_buf_putc(out, '}');
out:
	return err;
}

int ss_population_to_jsonl(const struct ss_population *pop, struct ss_buf *out)
{
	size_t i;
	int err;

	for (i = 0; i < pop->n; i++) {
		if ((err = ss_record_to_json(&pop->rec[i], true, out)) != 0)
			return err;
		if ((err = ss_buf_putc(out, '\n')) != 0)
			return err;
	}
	return 0;
}

struct jl {
	const char *s;   /* the line */
	size_t len, pos; /* its length; where we are */
};

static void jl_ws(struct jl *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
		p->pos++;
}

static bool jl_lit(struct jl *p, const char *lit)
{
	size_t n = strlen(lit);

	jl_ws(p);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, lit, n) != 0)
		return false;
	p->pos += n;
	return true;
}

static bool valid_id(const char *s, size_t n)
{
	size_t i;

	if (n != SS_ID_LEN || s[0] != 'R' || s[1] != '-')
		return false;
	for (i = 2; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' && s[i] <= '7')))
			return false;
	return true;
}

/* Parse one stored line into r; on SS_EDATA *col and *what say where and why. */
static int parse_stored_line(struct ss_population *pop, struct jl *p, struct ss_record *r,
                             struct ss_buf *tmp, size_t *col, const char **what)
{
	int k;
	int err;

	if (!jl_lit(p, "{")) {
		*what = "expected '{' starting a record";
		goto bad;
	}
	for (k = -1; k < SS_F_COUNT; k++) {
		const char *key = k < 0 ? "id" : field_names[k];
		size_t at;

		if (k >= 0 && !jl_lit(p, ",")) {
			*what = "expected ',' and the next key";
			goto bad;
		}
		jl_ws(p);
		at = p->pos;
		ss_buf_reset(tmp);
		if (p->pos >= p->len || p->s[p->pos] != '"') {
			*what = "expected a key";
			goto bad;
		}
		err = ss_json_decode_string(p->s, p->len, &p->pos, tmp, what);
		if (err == SS_ENOMEM)
			return err;
		if (err)
			goto bad;
		if (tmp->len != strlen(key) || memcmp(tmp->data, key, tmp->len) != 0) {
			p->pos = at;
			*what = NULL;
			*col = at + 1;
			return ss_error_set(SS_EDATA, "expected the key \"%s\" here", key);
		}
		if (!jl_lit(p, ":")) {
			*what = "expected ':' after the key";
			goto bad;
		}
		jl_ws(p);
		at = p->pos;
		if (k >= 0 && ss_field_type((enum ss_field)k) == SS_FT_BOOL) {
			if (jl_lit(p, "true"))
				r->tri[k] = SS_TRI_TRUE;
			else if (jl_lit(p, "false"))
				r->tri[k] = SS_TRI_FALSE;
			else if (jl_lit(p, "null"))
				r->tri[k] = SS_TRI_NULL;
			else {
				*col = at + 1;
				*what = NULL;
				return ss_error_set(SS_EDATA, "\"%s\" must be true, false or null",
				                    key);
			}
			continue;
		}
		if (k >= 0 && jl_lit(p, "null")) {
			r->str[k] = NULL;
			continue;
		}
		if (p->pos >= p->len || p->s[p->pos] != '"') {
			*col = at + 1;
			*what = NULL;
			return ss_error_set(SS_EDATA, "\"%s\" must be a string%s", key,
			                    k >= 0 ? " or null" : "");
		}
		ss_buf_reset(tmp);
		err = ss_json_decode_string(p->s, p->len, &p->pos, tmp, what);
		if (err == SS_ENOMEM)
			return err;
		if (err)
			goto bad;
		if (k < 0) {
			if (!valid_id(tmp->data, tmp->len)) {
				*col = at + 1;
				*what = NULL;
				return ss_error_set(SS_EDATA,
				                    "\"id\" is not a record id (R- and 16 "
				                    "base32 characters)");
			}
			memcpy(r->id, tmp->data, SS_ID_LEN + 1);
			continue;
		}
		if (tmp->len == 0) {
			*col = at + 1;
			*what = NULL;
			return ss_error_set(
			    SS_EDATA, "\"%s\" is \"\" (a blank value is stored as null)", key);
		}
		r->str[k] = ss_population_strdup(pop, tmp->data, tmp->len);
		if (r->str[k] == NULL)
			return ss_error_nomem();
	}
	if (!jl_lit(p, "}")) {
		*what = "expected '}' after the last key \"subject\"";
		goto bad;
	}
	jl_ws(p);
	if (p->pos != p->len) {
		*what = "unexpected text after the record";
		goto bad;
	}
	return 0;
bad:
	*col = p->pos + 1;
	return SS_EDATA;
}

int ss_population_from_jsonl(const char *data, size_t len, const char *name,
                             struct ss_population **out)
{
	struct ss_population *pop = NULL;
	struct ss_buf tmp = SS_BUF_INIT;
	size_t off = 0, line = 0;
	int err;

	*out = NULL;
	if ((err = ss_population_new(&pop)) != 0)
		goto out;
	while (off < len) {
		const char *nl = memchr(data + off, '\n', len - off);
		struct jl p;
		struct ss_record *r;
		size_t col = 1;
		const char *what = NULL;

		line++;
		if (nl == NULL) {
			err = ss_error_set_at(SS_EDATA, name, line, len - off + 1,
			                      "the last line does not end with a newline");
			goto out;
		}
		p.s = data + off;
		p.len = (size_t)(nl - p.s);
		p.pos = 0;
		if ((err = ss_population_append(pop, &r)) != 0)
			goto out;
		r->line = (uint32_t)line;
		err = parse_stored_line(pop, &p, r, &tmp, &col, &what);
		if (err == SS_EDATA) {
			if (what != NULL) {
				err = ss_error_set_at(SS_EDATA, name, line, col, "%s", what);
			} else {
				char msg[512];

				snprintf(msg, sizeof(msg), "%s", ss_error_message());
				err = ss_error_set_at(SS_EDATA, name, line, col, "%s", msg);
			}
			goto out;
		}
		if (err)
			goto out;
		if (pop->n > 1 && strcmp(pop->rec[pop->n - 2].id, r->id) >= 0) {
			err = ss_error_set_at(
			    SS_EDATA, name, line, 8,
			    "records are not sorted by id, or an id repeats (\"%s\")", r->id);
			goto out;
		}
		off = (size_t)(nl - data) + 1;
	}
	*out = pop;
	pop = NULL;
	err = 0;
out:
	ss_buf_release(&tmp);
	ss_population_free(pop);
	return err;
}

const struct ss_record *ss_population_find(const struct ss_population *pop, const char *id)
{
	size_t lo = 0, hi = pop->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(pop->rec[mid].id, id);

		if (c == 0)
			return &pop->rec[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- ids ---- */

static const struct ss_population *sort_pop; /* qsort has no context argument in C17 */

static int cmp_ref(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int c = strcmp(sort_pop->rec[i].str[SS_F_REFERENCE], sort_pop->rec[j].str[SS_F_REFERENCE]);

	if (c)
		return c;
	return i < j ? -1 : i > j;
}

int ss_population_duplicate_refs(const struct ss_population *pop, size_t from,
                                 int (*fn)(void *arg, const struct ss_record *first,
                                           const struct ss_record *again),
                                 void *arg)
{
	size_t *idx = NULL, n = 0, i, first = 0;
	int err = 0;

	idx = malloc((pop->n ? pop->n : 1) * sizeof(*idx));
	if (idx == NULL)
		return ss_error_nomem();
	for (i = 0; i < pop->n; i++)
		if (pop->rec[i].str[SS_F_REFERENCE] != NULL)
			idx[n++] = i;
	sort_pop = pop;
	qsort(idx, n, sizeof(*idx), cmp_ref);
	for (i = 1; i < n; i++) {
		const struct ss_record *a = &pop->rec[idx[first]], *b = &pop->rec[idx[i]];

		if (strcmp(a->str[SS_F_REFERENCE], b->str[SS_F_REFERENCE]) != 0) {
			first = i;
			continue;
		}
		if (idx[i] >= from && (err = fn(arg, a, b)) != 0)
			goto out;
	}
out:
	free(idx);
	return err;
}

static const char *source_name(const struct ss_population *pop, const struct ss_record *r)
{
	if (r->source < pop->nsources)
		return pop->sources[r->source].name;
	return "population";
}

static int dup_ref_error(void *arg, const struct ss_record *first, const struct ss_record *again)
{
	const struct ss_population *pop = arg;

	return ss_error_set_at(SS_EDATA, source_name(pop, again), again->line, 1,
	                       "the reference \"%s\" is used again (first at %s:%u); "
	                       "references must be unique within a month",
	                       again->str[SS_F_REFERENCE], source_name(pop, first), first->line);
}

struct rowkey {
	unsigned char h[32];
	size_t idx;
};

static int cmp_rowkey(const void *a, const void *b)
{
	const struct rowkey *x = a, *y = b;
	int c = memcmp(x->h, y->h, sizeof(x->h));

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_rec_id(const void *a, const void *b)
{
	return strcmp(((const struct ss_record *)a)->id, ((const struct ss_record *)b)->id);
}

static void set_id(struct ss_record *r, struct ss_sha256 *h)
{
	unsigned char d[32];

	ss_sha256_final(h, d);
	r->id[0] = 'R';
	r->id[1] = '-';
	ss_base32_encode(r->id + 2, d, 10);
}

int ss_population_assign_ids(struct ss_population *pop)
{
	static const char prefix[] = "ssaudit-id-v1";
	struct rowkey *keys = NULL;
	struct ss_buf line = SS_BUF_INIT;
	size_t i, n = 0, occ = 0;
	int err;

	if ((err = ss_population_duplicate_refs(pop, 0, dup_ref_error, pop)) != 0)
		goto out;
	keys = malloc((pop->n ? pop->n : 1) * sizeof(*keys));
	if (keys == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < pop->n; i++) {
		struct ss_record *r = &pop->rec[i];
		struct ss_sha256 h;

		if (r->str[SS_F_REFERENCE] != NULL) {
			const char *ref = r->str[SS_F_REFERENCE];

			ss_sha256_init(&h);
			ss_sha256_update(&h, prefix, sizeof(prefix)); /* with its NUL */
			ss_sha256_update(&h, "ref", 4);
			ss_sha256_update(&h, ref, strlen(ref));
			set_id(r, &h);
			continue;
		}
		ss_buf_reset(&line);
		if ((err = ss_record_to_json(r, false, &line)) != 0)
			goto out;
		ss_sha256(keys[n].h, line.data, line.len);
		keys[n].idx = i;
		n++;
	}
	qsort(keys, n, sizeof(*keys), cmp_rowkey);
	for (i = 0; i < n; i++) {
		struct ss_record *r = &pop->rec[keys[i].idx];
		struct ss_sha256 h;
		char num[32];

		/* keys are sorted by line hash, then reading order */
		if (i > 0 && memcmp(keys[i - 1].h, keys[i].h, 32) == 0)
			occ++;
		else
			occ = 1;
		ss_buf_reset(&line);
		if ((err = ss_record_to_json(r, false, &line)) != 0)
			goto out;
		snprintf(num, sizeof(num), "%zu", occ);
		ss_sha256_init(&h);
		ss_sha256_update(&h, prefix, sizeof(prefix));
		ss_sha256_update(&h, "row", 4);
		ss_sha256_update(&h, line.data, line.len);
		ss_sha256_update(&h, "", 1);
		ss_sha256_update(&h, num, strlen(num));
		set_id(r, &h);
	}
	if (pop->n > 1)
		qsort(pop->rec, pop->n, sizeof(*pop->rec), cmp_rec_id);
	err = 0;
out:
	free(keys);
	ss_buf_release(&line);
	return err;
}

/* ---- dates ---- */

static int digits(const char *s, size_t n, size_t at, size_t count, int *out)
{
	size_t i;
	int v = 0;

	if (at + count > n)
		return -1;
	for (i = 0; i < count; i++) {
		char c = s[at + i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int dt_fail(size_t *bad, size_t at, const char *what)
{
	if (bad)
		*bad = at;
	return ss_error_set(SS_EDATA, "%s", what);
}

int ss_datetime_parse(const char *s, size_t n, struct ss_instant *out, size_t *bad)
{
	static const char shape[] = "YYYY-MM-DDThh:mm:ss";
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	size_t i, pos;
	uint32_t nanos = 0;
	int64_t secs;
	int sign = 0;

	for (i = 0; i < sizeof(shape) - 1; i++) {
		char c = i < n ? s[i] : '\0';
		bool want_digit = shape[i] != '-' && shape[i] != 'T' && shape[i] != ':';

		if (i >= n || (want_digit ? (c < '0' || c > '9') : c != shape[i]))
			return dt_fail(
			    bad, i < n ? i : n,
			    "is not a date and time of the form "
			    "YYYY-MM-DDThh:mm:ss followed by Z or an offset such as +01:00");
	}
	digits(s, n, 0, 4, &y);
	digits(s, n, 5, 2, &mo);
	digits(s, n, 8, 2, &d);
	digits(s, n, 11, 2, &h);
	digits(s, n, 14, 2, &mi);
	digits(s, n, 17, 2, &sec);
	if (mo < 1 || mo > 12)
		return dt_fail(bad, 5, "has a month that does not exist");
	if (d < 1 || d > days_in_month(y, mo))
		return dt_fail(bad, 8, "has a day that does not exist in that month");
	if (h > 23)
		return dt_fail(bad, 11, "has an hour out of range (00 to 23)");
	if (mi > 59)
		return dt_fail(bad, 14, "has a minute out of range (00 to 59)");
	if (sec > 60)
		return dt_fail(bad, 17, "has a second out of range (00 to 60)");
	pos = 19;
	if (pos < n && s[pos] == '.') {
		size_t start = ++pos, k = 0;

		while (pos < n && s[pos] >= '0' && s[pos] <= '9') {
			if (k < 9) {
				nanos = nanos * 10 + (uint32_t)(s[pos] - '0');
				k++;
			}
			pos++;
		}
		if (pos == start)
			return dt_fail(bad, pos,
			               "has a '.' not followed by the digits of a fraction");
		for (; k < 9; k++)
			nanos *= 10;
	}
	if (pos < n && s[pos] == 'Z') {
		pos++;
	} else if (pos < n && (s[pos] == '+' || s[pos] == '-')) {
		sign = s[pos] == '+' ? 1 : -1;
		if (digits(s, n, pos + 1, 2, &oh) != 0 || pos + 3 >= n || s[pos + 3] != ':' ||
		    digits(s, n, pos + 4, 2, &om) != 0)
			return dt_fail(bad, pos,
			               "has a time offset not of the form +hh:mm or -hh:mm");
		if (oh > 23 || om > 59)
			return dt_fail(bad, pos, "has a time offset out of range");
		pos += 6;
	} else {
		return dt_fail(bad, pos < n ? pos : n,
		               "does not end in Z or a time offset such as +01:00");
	}
	if (pos != n)
		return dt_fail(bad, pos, "has unexpected text after the time offset");
	secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	secs -= sign * (oh * 3600 + om * 60);
	if (out) {
		out->secs = secs;
		out->nanos = nanos;
	}
	return 0;
}

int ss_instant_cmp(const struct ss_instant *a, const struct ss_instant *b)
{
	if (a->secs != b->secs)
		return a->secs < b->secs ? -1 : 1;
	if (a->nanos != b->nanos)
		return a->nanos < b->nanos ? -1 : 1;
	return 0;
}
