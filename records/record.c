#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "bigmem.h"
#include "error.h"
#include "lang.h"
#include "map.h"
#include "par.h"
#include "rechash.h"
#include "crypto.h"
#include "police_json.h"
#include "uktime.h"

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

/* The data.police.uk column headings, shortened where they are long. */
static const char *const field_words[SS_F_COUNT] = {
    [SS_F_TYPE] = N_("Type"),
    [SS_F_DATETIME] = N_("Date and time"),
    [SS_F_OPERATION] = N_("Part of a policing operation"),
    [SS_F_OPERATION_NAME] = N_("Policing operation"),
    [SS_F_LATITUDE] = N_("Latitude"),
    [SS_F_LONGITUDE] = N_("Longitude"),
    [SS_F_STREET] = N_("Street"),
    [SS_F_GENDER] = N_("Gender"),
    [SS_F_AGE_RANGE] = N_("Age range"),
    [SS_F_SELF_DEFINED_ETHNICITY] = N_("Self-defined ethnicity"),
    /* check: "yn ôl y swyddog" for "officer-defined" */
    [SS_F_OFFICER_DEFINED_ETHNICITY] = N_("Officer-defined ethnicity"),
    [SS_F_LEGISLATION] = N_("Legislation"),
    [SS_F_OBJECT_OF_SEARCH] = N_("Object of search"),
    [SS_F_OUTCOME] = N_("Outcome"),
    /* check: "yn gysylltiedig â" for "linked to" */
    [SS_F_OUTCOME_LINKED] = N_("Outcome linked to object"),
    /* check: "tynnu" (removing) for "removed" */
    [SS_F_REMOVAL] = N_("More than outer clothing removed"),
    [SS_F_REFERENCE] = N_("Reference"),
    [SS_F_AREA] = N_("Area"),
    [SS_F_OFFICER] = N_("Officer"),
    [SS_F_GROUNDS] = N_("Grounds written by the officer"),
    [SS_F_BWV] = N_("Body-worn video"),
    [SS_F_SUBJECT] = N_("Subject"),
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

const char *ss_field_words(enum ss_field f)
{
	if ((unsigned)f >= SS_F_COUNT)
		return "?";
	return field_words[f];
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
	    SS_EUSAGE, _("unknown format \"%s\" (use auto, police-csv, police-json or force-csv)"),
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
		ss_bigmem_advise(p, cap * sizeof(*p));
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

int ss_population_join(struct ss_population *pop, struct ss_population *from)
{
	struct ss_arena *fresh;

	if (from->n > pop->cap - pop->n) {
		size_t cap = pop->n + from->n;
		struct ss_record *p;

		if (cap < pop->n || cap > SIZE_MAX / sizeof(*p) ||
		    (p = realloc(pop->rec, cap * sizeof(*p))) == NULL)
			return ss_error_nomem();
		ss_bigmem_advise(p, cap * sizeof(*p));
		pop->rec = p;
		pop->cap = cap;
	}
	if ((fresh = ss_arena_new()) == NULL)
		return ss_error_nomem();
	if (from->n > 0)
		memcpy(pop->rec + pop->n, from->rec, from->n * sizeof(*from->rec));
	pop->n += from->n;
	from->n = 0;
	ss_arena_adopt(pop->arena, from->arena);
	from->arena = fresh;
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
	if (pop->refs_unique > pop->n)
		pop->refs_unique = pop->n;
}

/* ---- stored form ---- */

/* Each field's key as it precedes its value in a stored line. */
#define KEY(s)                                                                                     \
	{                                                                                          \
		s, sizeof(s) - 1                                                                   \
	}
static const struct {
	const char *s;
	size_t n;
} field_keys[SS_F_COUNT] = {
    [SS_F_TYPE] = KEY("\"type\":"),
    [SS_F_DATETIME] = KEY(",\"datetime\":"),
    [SS_F_OPERATION] = KEY(",\"operation\":"),
    [SS_F_OPERATION_NAME] = KEY(",\"operation_name\":"),
    [SS_F_LATITUDE] = KEY(",\"latitude\":"),
    [SS_F_LONGITUDE] = KEY(",\"longitude\":"),
    [SS_F_STREET] = KEY(",\"street\":"),
    [SS_F_GENDER] = KEY(",\"gender\":"),
    [SS_F_AGE_RANGE] = KEY(",\"age_range\":"),
    [SS_F_SELF_DEFINED_ETHNICITY] = KEY(",\"self_defined_ethnicity\":"),
    [SS_F_OFFICER_DEFINED_ETHNICITY] = KEY(",\"officer_defined_ethnicity\":"),
    [SS_F_LEGISLATION] = KEY(",\"legislation\":"),
    [SS_F_OBJECT_OF_SEARCH] = KEY(",\"object_of_search\":"),
    [SS_F_OUTCOME] = KEY(",\"outcome\":"),
    [SS_F_OUTCOME_LINKED] = KEY(",\"outcome_linked_to_object_of_search\":"),
    [SS_F_REMOVAL] = KEY(",\"removal_of_more_than_outer_clothing\":"),
    [SS_F_REFERENCE] = KEY(",\"reference\":"),
    [SS_F_AREA] = KEY(",\"area\":"),
    [SS_F_OFFICER] = KEY(",\"officer\":"),
    [SS_F_GROUNDS] = KEY(",\"grounds\":"),
    [SS_F_BWV] = KEY(",\"bwv\":"),
    [SS_F_SUBJECT] = KEY(",\"subject\":"),
};
#undef KEY

/* Write s[0..n) as a JSON string at d, exactly as ss_buf_json_string() does;
 * d has room for json_string_len(s, n) bytes. Returns the end. */
static char *put_json_string(char *d, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, start = 0;

	*d++ = '"';
	for (;;) {
		unsigned char c = 0;

		while (i < n) {
			c = (unsigned char)s[i];
			if (c < 0x20 || c == '"' || c == '\\')
				break;
			i++;
		}
		memcpy(d, s + start, i - start);
		d += i - start;
		if (i == n)
			break;
		*d++ = '\\';
		switch (c) {
		case '"':
			*d++ = '"';
			break;
		case '\\':
			*d++ = '\\';
			break;
		case '\b':
			*d++ = 'b';
			break;
		case '\f':
			*d++ = 'f';
			break;
		case '\n':
			*d++ = 'n';
			break;
		case '\r':
			*d++ = 'r';
			break;
		case '\t':
			*d++ = 't';
			break;
		default:
			memcpy(d, "u00", 3);
			d[3] = hex[c >> 4];
			d[4] = hex[c & 15];
			d += 5;
		}
		start = ++i;
	}
	*d++ = '"';
	return d;
}

/* The length of s[0..n) as put_json_string() writes it. */
static size_t json_string_len(const char *s, size_t n)
{
	size_t k = n + 2, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\')
			k += c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' ||
			             c == '\r' || c == '\t'
			         ? 1
			         : 5;
	}
	return k;
}

/* The length of r's stored line as put_line() writes it. */
static size_t line_len(const struct ss_record *r, bool with_id, bool newline)
{
	size_t k = 2 + (newline ? 1 : 0); /* the braces */
	int f;

	if (with_id)
		k += 5 + json_string_len(r->id, strlen(r->id)) + 1;
	for (f = 0; f < SS_F_COUNT; f++) {
		k += field_keys[f].n;
		if (ss_field_type((enum ss_field)f) == SS_FT_BOOL)
			k += r->tri[f] == SS_TRI_FALSE ? 5 : 4;
		else if (r->str[f] == NULL)
			k += 4;
		else
			k += json_string_len(r->str[f], strlen(r->str[f]));
	}
	return k;
}

/* Write r's stored line (see ss_record_to_json) at d, which has room for
 * line_len() bytes. Returns its end. */
static char *put_line(const struct ss_record *r, bool with_id, bool newline, char *d)
{
	int f;

	*d++ = '{';
	if (with_id) {
		memcpy(d, "\"id\":", 5);
		d = put_json_string(d + 5, r->id, strlen(r->id));
		*d++ = ',';
	}
	for (f = 0; f < SS_F_COUNT; f++) {
		memcpy(d, field_keys[f].s, field_keys[f].n);
		d += field_keys[f].n;
		if (ss_field_type((enum ss_field)f) == SS_FT_BOOL) {
			if (r->tri[f] == SS_TRI_TRUE) {
				memcpy(d, "true", 4);
				d += 4;
			} else if (r->tri[f] == SS_TRI_FALSE) {
				memcpy(d, "false", 5);
				d += 5;
			} else {
				memcpy(d, "null", 4);
				d += 4;
			}
		} else if (r->str[f] == NULL) {
			memcpy(d, "null", 4);
			d += 4;
		} else {
			d = put_json_string(d, r->str[f], strlen(r->str[f]));
		}
	}
	*d++ = '}';
	if (newline)
		*d++ = '\n';
	return d;
}

/* Append r's stored line with one allocation check. */
static int put_record(const struct ss_record *r, bool with_id, bool newline, struct ss_buf *out)
{
	int err;

	if ((err = ss_buf_grow(out, line_len(r, with_id, newline))) != 0)
		return err;
	out->len = (size_t)(put_line(r, with_id, newline, out->data + out->len) - out->data);
	out->data[out->len] = '\0';
	return 0;
}

int ss_record_to_json(const struct ss_record *r, bool with_id, struct ss_buf *out)
{
	return put_record(r, with_id, false, out);
}

/*
 * The lines are written straight into one buffer on every core, with no copy:
 * the parts measure their lines first, so each knows where its own begin.
 */
struct jsonl_work {
	const struct ss_population *pop;
	char *data;                 /* the caller's buffer, room for every line */
	size_t lo[SS_PAR_MAX];      /* each part's first record */
	size_t at[SS_PAR_MAX + 1];  /* the bytes of each part's lines; then where they go */
	bool misplaced[SS_PAR_MAX]; /* a part did not end where it was measured to */
};

static int jsonl_measure(size_t lo, size_t hi, unsigned part, void *arg)
{
	struct jsonl_work *w = arg;
	size_t i, k = 0;

	for (i = lo; i < hi; i++)
		k += line_len(&w->pop->rec[i], true, true);
	w->lo[part] = lo;
	w->at[part] = k;
	return 0;
}

static int jsonl_write(size_t lo, size_t hi, unsigned part, void *arg)
{
	struct jsonl_work *w = arg;
	char *d = w->data + w->at[part];
	size_t i;

	if (w->lo[part] != lo)
		return ss_error_set(SS_EFAIL, _("the population's parts moved between two passes"));
	for (i = lo; i < hi; i++)
		d = put_line(&w->pop->rec[i], true, true, d);
	if (d != w->data + w->at[part + 1])
		w->misplaced[part] = true;
	return 0;
}

/* Lines measured, then written on every core into out, in order. */
int ss_population_to_jsonl(const struct ss_population *pop, struct ss_buf *out)
{
	struct jsonl_work w;
	size_t total = 0, bytes;
	unsigned p;
	int err;

	memset(&w, 0, sizeof(w));
	w.pop = pop;
	if (pop->n == 0)
		return ss_buf_put(out, "", 0);
	if ((err = ss_par_for(pop->n, jsonl_measure, &w)) != 0)
		return err;
	/* Parts that got no records measured nothing: their spans are empty. */
	for (p = 0; p < SS_PAR_MAX; p++) {
		bytes = w.at[p];
		w.at[p] = out->len + total;
		total += bytes;
	}
	w.at[SS_PAR_MAX] = out->len + total;
	if ((err = ss_buf_grow(out, total)) != 0)
		return err;
	w.data = out->data;
	if ((err = ss_par_for(pop->n, jsonl_write, &w)) != 0)
		return err;
	for (p = 0; p < SS_PAR_MAX; p++)
		if (w.misplaced[p])
			return ss_error_set(
			    SS_EFAIL, _("a record's line was not the length it was measured"));
	out->len += total;
	out->data[out->len] = '\0';
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

bool ss_record_id_valid_n(const char *s, size_t n)
{
	return ss_pseudonym_valid_n(s, n, 'R');
}

bool ss_pseudonym_valid_n(const char *s, size_t n, char kind)
{
	size_t i;

	if (n != SS_ID_LEN || s[0] != kind || s[1] != '-')
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
			return ss_error_set(SS_EDATA, _("expected the key \"%s\" here"), key);
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
				return ss_error_set(SS_EDATA,
				                    _("\"%s\" must be true, false or null"), key);
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
			return ss_error_set(SS_EDATA, _("\"%s\" must be a string%s"), key,
			                    k >= 0 ? _(" or null") : "");
		}
		ss_buf_reset(tmp);
		err = ss_json_decode_string(p->s, p->len, &p->pos, tmp, what);
		if (err == SS_ENOMEM)
			return err;
		if (err)
			goto bad;
		if (k < 0) {
			if (!ss_record_id_valid_n(tmp->data, tmp->len)) {
				*col = at + 1;
				*what = NULL;
				return ss_error_set(SS_EDATA,
				                    _("\"id\" is not a record id (R- and 16 "
				                      "base32 characters)"));
			}
			memcpy(r->id, tmp->data, SS_ID_LEN + 1);
			continue;
		}
		if (tmp->len == 0) {
			*col = at + 1;
			*what = NULL;
			return ss_error_set(
			    SS_EDATA, _("\"%s\" is \"\" (a blank value is stored as null)"), key);
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

int ss_record_parse_line(struct ss_population *pop, const char *s, size_t len, const char *name,
                         size_t line, struct ss_record *r, struct ss_buf *tmp)
{
	struct jl p = {s, len, 0};
	size_t col = 1;
	const char *what = NULL;
	int err = parse_stored_line(pop, &p, r, tmp, &col, &what);

	if (err != SS_EDATA)
		return err;
	if (what != NULL)
		return ss_error_set_at(SS_EDATA, name, line, col, "%s", what);
	{
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", ss_error_message());
		return ss_error_set_at(SS_EDATA, name, line, col, "%s", msg);
	}
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
		struct ss_record *r;

		line++;
		if (nl == NULL) {
			err = ss_error_set_at(SS_EDATA, name, line, len - off + 1,
			                      _("the last line does not end with a newline"));
			goto out;
		}
		if ((err = ss_population_append(pop, &r)) != 0)
			goto out;
		r->line = (uint32_t)line;
		if ((err = ss_record_parse_line(pop, data + off, (size_t)(nl - (data + off)), name,
		                                line, r, &tmp)) != 0)
			goto out;
		if (pop->n > 1 &&
		    (err = ss_record_check_order(&pop->rec[pop->n - 2], r, name, line)))
			goto out;
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

int ss_record_check_order(const struct ss_record *prev, const struct ss_record *r, const char *name,
                          size_t line)
{
	if (strcmp(prev->id, r->id) < 0)
		return 0;
	return ss_error_set_at(SS_EDATA, name, line, 8,
	                       _("records are not sorted by id, or an id repeats (\"%s\")"), r->id);
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
/* Local midnight starting the 1st of y-m (m may be 13) in the time zone set. */
static time_t first_midnight(int y, int m)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900 + (m - 1) / 12;
	tm.tm_mon = (m - 1) % 12;
	tm.tm_mday = 1;
	tm.tm_isdst = -1; /* let the zone say whether summer time is on */
	return mktime(&tm);
}

int ss_month_uk_span(const char *month, struct ss_instant *from, struct ss_instant *to)
{
	char *saved = NULL;
	time_t a, b;
	int y, m, err;

	if (month == NULL || strlen(month) != 7 || month[4] != '-' ||
	    sscanf(month, "%4d-%2d", &y, &m) != 2 || y < 1970 || y > 9999 || m < 1 || m > 12)
		return ss_error_set(SS_EUSAGE, _("month '%s' is not written YYYY-MM"),
		                    month ? month : "");
	/* The process's zone, set for two conversions and put back. */
	if ((err = ss_uk_zone_enter(&saved)))
		return err;
	a = first_midnight(y, m);
	b = first_midnight(y, m + 1);
	ss_uk_zone_leave(saved);
	if (a == (time_t)-1 || b == (time_t)-1)
		return ss_error_set(SS_EIO, _("cannot work out when %s starts in UK time"), month);
	from->secs = (int64_t)a;
	from->nanos = 0;
	to->secs = (int64_t)b;
	to->nanos = 0;
	return 0;
}

int64_t ss_days_from_civil(int64_t y, int m, int d)
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
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
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
	secs = ss_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
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
