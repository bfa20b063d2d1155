/*
 * police_json.c - the police-json reader (see police_json.h): the parse
 * (json.h, unchecked) finds syntax errors, a pre-scan of the text finds what
 * the parser lets through (invalid UTF-8, control characters, bad escapes,
 * \u0000, duplicate keys) and where every value starts, and the records are
 * read from the parsed tree with those positions.
 */
#include "police_json.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "readctx.h"
#include "utf8.h"

/* ---- strict JSON text ---- */

static int hex4(const char *s, size_t len, size_t at, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	if (at + 4 > len)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = s[at + i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int put_utf8(struct ss_buf *out, unsigned cp)
{
	char b[4];
	size_t n;

	if (out == NULL)
		return 0;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return ss_buf_put(out, b, n);
}

int ss_json_decode_string(const char *s, size_t len, size_t *pos, struct ss_buf *out,
                          const char **why)
{
	size_t i = *pos + 1, seg = i;
	int err;

#define FAIL(at, msg)                                                                              \
	do {                                                                                       \
		*pos = (at);                                                                       \
		*why = (msg);                                                                      \
		return SS_EDATA;                                                                   \
	} while (0)
#define FLUSH(upto)                                                                                \
	do {                                                                                       \
		if (out && (err = ss_buf_put(out, s + seg, (upto)-seg)) != 0)                      \
			return err;                                                                \
	} while (0)

	for (;;) {
		unsigned char c;

		if (i >= len)
			FAIL(*pos, "a string is never closed (its opening quote is here)");
		c = (unsigned char)s[i];
		if (c == '"') {
			FLUSH(i);
			*pos = i + 1;
			return 0;
		}
		if (c < 0x20)
			FAIL(i, c == 0
			            ? "a NUL byte inside a string"
			            : "a control character inside a string (write it as an escape "
			              "such as \\n)");
		if (c >= 0x80) {
			size_t k = ss_utf8_seq_len((const unsigned char *)s + i, len - i);

			if (k == 0)
				FAIL(i, "invalid UTF-8 (save the file as UTF-8 text)");
			i += k;
			continue;
		}
		if (c != '\\') {
			i++;
			continue;
		}
		FLUSH(i);
		if (i + 1 >= len)
			FAIL(i, "a string is never closed");
		switch (s[i + 1]) {
		case '"':
		case '\\':
		case '/':
			if (out && (err = ss_buf_putc(out, s[i + 1])) != 0)
				return err;
			i += 2;
			break;
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't': {
			static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";

			if (out && (err = ss_buf_putc(out, to[strchr(from, s[i + 1]) - from])) != 0)
				return err;
			i += 2;
			break;
		}
		case 'u': {
			unsigned cp, lo;

			if (hex4(s, len, i + 2, &cp) != 0)
				FAIL(i, "a \\u escape needs four hex digits");
			if (cp == 0)
				FAIL(i, "\\u0000 (a NUL character) inside a string");
			if (cp >= 0xdc00 && cp <= 0xdfff)
				FAIL(i, "a \\u escape of an unpaired surrogate");
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (i + 7 >= len || s[i + 6] != '\\' || s[i + 7] != 'u' ||
				    hex4(s, len, i + 8, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
					FAIL(i, "a \\u escape of an unpaired surrogate");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			}
			if ((err = put_utf8(out, cp)) != 0)
				return err;
			i += 6;
			break;
		}
		default:
			FAIL(i, "an unknown escape in a string");
		}
		seg = i;
	}
#undef FAIL
#undef FLUSH
}

/* ---- the pre-scan: what the parser lets through, with positions ---- */

struct kent {
	size_t off, koff, klen;
};

/* A value: where it starts, and the index just past its subtree (of the
 * value that follows it in document order), so a walk can skip it. */
struct val {
	size_t off, next;
};

struct scan {
	const char *d;
	size_t len, pos;
	int depth;
	struct ss_buf keys; /* decoded keys of the open objects */
	struct kent *ke;
	size_t nke, cke;
	struct val *v; /* every value, in document (pre-)order */
	size_t nv, cv;
	size_t *elem; /* the value index of each element of the top array */
	size_t nelem, celem;
	size_t errpos;
	const char *why;
};

static int push(size_t **v, size_t *n, size_t *cap, size_t x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		size_t *p = realloc(*v, c * sizeof(*p));

		if (p == NULL)
			return ss_error_nomem();
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return 0;
}

static int push_val(struct scan *s, size_t off)
{
	if (s->nv == s->cv) {
		size_t c = s->cv ? s->cv * 2 : 256;
		struct val *p = realloc(s->v, c * sizeof(*p));

		if (p == NULL)
			return ss_error_nomem();
		s->v = p;
		s->cv = c;
	}
	s->v[s->nv].off = off;
	s->v[s->nv++].next = 0;
	return 0;
}

static void ws(struct scan *s)
{
	while (s->pos < s->len && (s->d[s->pos] == ' ' || s->d[s->pos] == '\t' ||
	                           s->d[s->pos] == '\n' || s->d[s->pos] == '\r'))
		s->pos++;
}

static int bad(struct scan *s, size_t at, const char *why)
{
	s->errpos = at;
	s->why = why;
	return SS_EDATA;
}

static const char *sort_keys; /* for cmp_kent; qsort has no context in C17 */

static int cmp_kent(const void *a, const void *b)
{
	const struct kent *x = a, *y = b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(sort_keys + x->koff, sort_keys + y->koff, n);

	if (c)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int scan_value(struct scan *s);

static int scan_object(struct scan *s)
{
	size_t first = s->nke, keys_len = s->keys.len, i, dup = SIZE_MAX;
	int err;

	s->pos++;
	ws(s);
	if (s->pos < s->len && s->d[s->pos] == '}') {
		s->pos++;
		return 0;
	}
	for (;;) {
		struct kent k;

		ws(s);
		if (s->pos >= s->len || s->d[s->pos] != '"')
			return bad(s, s->pos, "expected a key in quotes");
		k.off = s->pos;
		k.koff = s->keys.len;
		if ((err = ss_json_decode_string(s->d, s->len, &s->pos, &s->keys, &s->why)) != 0) {
			s->errpos = s->pos;
			return err;
		}
		k.klen = s->keys.len - k.koff;
		if (s->nke == s->cke) {
			size_t c = s->cke ? s->cke * 2 : 64;
			struct kent *p = realloc(s->ke, c * sizeof(*p));

			if (p == NULL)
				return ss_error_nomem();
			s->ke = p;
			s->cke = c;
		}
		s->ke[s->nke++] = k;
		ws(s);
		if (s->pos >= s->len || s->d[s->pos] != ':')
			return bad(s, s->pos, "expected ':' after a key");
		s->pos++;
		if ((err = scan_value(s)) != 0)
			return err;
		ws(s);
		if (s->pos < s->len && s->d[s->pos] == ',') {
			s->pos++;
			continue;
		}
		if (s->pos < s->len && s->d[s->pos] == '}') {
			s->pos++;
			break;
		}
		return bad(s, s->pos, "expected ',' or '}'");
	}
	sort_keys = s->keys.data;
	qsort(s->ke + first, s->nke - first, sizeof(*s->ke), cmp_kent);
	for (i = first + 1; i < s->nke; i++) {
		const struct kent *a = &s->ke[i - 1], *b = &s->ke[i];

		if (a->klen == b->klen &&
		    memcmp(s->keys.data + a->koff, s->keys.data + b->koff, a->klen) == 0 &&
		    b->off < dup)
			dup = b->off;
	}
	s->nke = first;
	s->keys.len = keys_len;
	if (dup != SIZE_MAX)
		return bad(s, dup,
		           "a key that this object already has (duplicate keys are "
		           "ambiguous)");
	return 0;
}

static int scan_text(struct scan *s);

static int scan_value(struct scan *s)
{
	size_t vi = s->nv;
	int err;

	ws(s);
	if (s->pos >= s->len)
		return bad(s, s->pos, "expected a value");
	if ((err = push_val(s, s->pos)) != 0 || (err = scan_text(s)) != 0)
		return err;
	s->v[vi].next = s->nv;
	return 0;
}

/* The value at s->pos, recorded by scan_value. */
static int scan_text(struct scan *s)
{
	int err;
	char c = s->d[s->pos];

	if (c == '"') {
		err = ss_json_decode_string(s->d, s->len, &s->pos, NULL, &s->why);
		if (err)
			s->errpos = s->pos;
		return err;
	}
	if (c == '{' || c == '[') {
		if (++s->depth > 1000)
			return bad(s, s->pos, "nested too deeply");
		if (c == '{') {
			err = scan_object(s);
		} else {
			s->pos++;
			ws(s);
			if (s->pos < s->len && s->d[s->pos] == ']') {
				s->pos++;
			} else {
				for (;;) {
					if (s->depth == 1 && (err = push(&s->elem, &s->nelem,
					                                 &s->celem, s->nv)) != 0)
						return err;
					if ((err = scan_value(s)) != 0)
						return err;
					ws(s);
					if (s->pos < s->len && s->d[s->pos] == ',') {
						s->pos++;
						continue;
					}
					if (s->pos < s->len && s->d[s->pos] == ']') {
						s->pos++;
						break;
					}
					return bad(s, s->pos, "expected ',' or ']'");
				}
			}
			err = 0;
		}
		s->depth--;
		return err;
	}
	/* number, true, false, null: the parser has checked their spelling */
	while (s->pos < s->len && strchr("+-.0123456789eEtruefalsn", s->d[s->pos]) != NULL &&
	       s->d[s->pos] != '\0')
		s->pos++;
	return 0;
}

/* ---- the reader ---- */

struct jr {
	struct ss_read_ctx *c;
	struct scan *s;
	struct ss_linepos lp;
	size_t bom;
};

static void where(struct jr *j, size_t off, size_t *line, size_t *col)
{
	ss_linepos_at(j->c->data, &j->lp, off, line, col);
	if (*line == 1 && *col > j->bom)
		*col -= j->bom;
}

/* The members of an object, each with its value's index in the scan. */
struct members {
	const struct ss_jv *obj;
	struct ss_jv_iter it;
	size_t idx, next;
};

static void members_start(struct members *m, const struct ss_jv *obj, size_t idx)
{
	m->obj = obj;
	m->it = (struct ss_jv_iter)SS_JV_ITER_INIT;
	m->next = idx + 1;
}

static bool members_next(struct jr *j, struct members *m, struct ss_jv *out)
{
	if (!ss_jv_next(m->obj, &m->it, out))
		return false;
	m->idx = m->next;
	m->next = j->s->v[m->idx].next;
	return true;
}

static int type_error(struct jr *j, size_t idx, size_t recno, const char *key, const char *want)
{
	size_t line, col;

	where(j, j->s->v[idx].off, &line, &col);
	return ss_ctx_error(j->c, line, col, _("record %zu: \"%s\" must be %s"), recno, key, want);
}

static void set_text(struct jr *j, struct ss_cell *cl, const struct ss_jv *v, size_t idx,
                     const char *key)
{
	cl->kind = SS_CELL_TEXT;
	cl->p = ss_jv_str(v);
	cl->len = strlen(cl->p);
	cl->label = key;
	where(j, j->s->v[idx].off, &cl->line, &cl->col);
}

/* A coordinate: a string, or a number kept as its text in the file. */
static int set_coord(struct jr *j, struct ss_cell *cl, const struct ss_jv *v, size_t idx,
                     size_t recno, const char *key)
{
	if (ss_jv_is(v, SS_JT_NULL))
		return 0;
	if (ss_jv_is(v, SS_JT_STRING)) {
		set_text(j, cl, v, idx, key);
		return 0;
	}
	if (ss_jv_is(v, SS_JT_NUMBER)) {
		size_t off = j->s->v[idx].off, e = off;

		while (e < j->c->len && strchr("+-.0123456789eE", j->c->data[e]) != NULL &&
		       j->c->data[e] != '\0')
			e++;
		cl->kind = SS_CELL_TEXT;
		cl->p = j->c->data + off;
		cl->len = e - off;
		cl->label = key;
		where(j, off, &cl->line, &cl->col);
		return 0;
	}
	return type_error(j, idx, recno, key, _("a string, a number or null"));
}

/* location.street: its name. */
static void read_street(struct jr *j, struct ss_cell *cells, const struct ss_jv *g, size_t gi,
                        size_t recno)
{
	struct members ms;
	struct ss_jv t;

	if (ss_jv_is(g, SS_JT_NULL))
		return;
	if (!ss_jv_is(g, SS_JT_OBJECT)) {
		type_error(j, gi, recno, "location.street", _("an object or null"));
		return;
	}
	for (members_start(&ms, g, gi); members_next(j, &ms, &t);) {
		if (strcmp(ss_jv_key(&t), "name") != 0)
			continue;
		if (ss_jv_is(&t, SS_JT_STRING))
			set_text(j, &cells[SS_F_STREET], &t, ms.idx, "location.street.name");
		else if (!ss_jv_is(&t, SS_JT_NULL))
			type_error(j, ms.idx, recno, "location.street.name", _("a string or null"));
	}
}

/* location: the coordinates and the street. */
static void read_location(struct jr *j, struct ss_cell *cells, const struct ss_jv *ch, size_t idx,
                          size_t recno)
{
	struct members ms;
	struct ss_jv g;

	if (ss_jv_is(ch, SS_JT_NULL))
		return;
	if (!ss_jv_is(ch, SS_JT_OBJECT)) {
		type_error(j, idx, recno, "location", _("an object or null"));
		return;
	}
	for (members_start(&ms, ch, idx); members_next(j, &ms, &g);) {
		const char *key = ss_jv_key(&g);

		if (strcmp(key, "latitude") == 0)
			set_coord(j, &cells[SS_F_LATITUDE], &g, ms.idx, recno, "location.latitude");
		else if (strcmp(key, "longitude") == 0)
			set_coord(j, &cells[SS_F_LONGITUDE], &g, ms.idx, recno,
			          "location.longitude");
		else if (strcmp(key, "street") == 0)
			read_street(j, cells, &g, ms.idx, recno);
	}
}

/* outcome_object: its name, the outcome when "outcome" gives none (*name
 * is left absent when it has none). Its position is taken now, while the
 * walk through the file still goes forward. */
static void read_outcome_object(struct jr *j, const struct ss_jv *ch, size_t idx, size_t recno,
                                struct ss_cell *name)
{
	struct members ms;
	struct ss_jv g;

	if (ss_jv_is(ch, SS_JT_NULL))
		return;
	if (!ss_jv_is(ch, SS_JT_OBJECT)) {
		type_error(j, idx, recno, "outcome_object", _("an object or null"));
		return;
	}
	for (members_start(&ms, ch, idx); members_next(j, &ms, &g);) {
		if (strcmp(ss_jv_key(&g), "name") != 0)
			continue;
		if (ss_jv_is(&g, SS_JT_STRING))
			set_text(j, name, &g, ms.idx, "outcome_object.name");
		else if (!ss_jv_is(&g, SS_JT_NULL))
			type_error(j, ms.idx, recno, "outcome_object.name", _("a string or null"));
	}
}

static int read_record(struct jr *j, const struct ss_jv *e, size_t eidx, size_t recno)
{
	struct ss_cell cells[SS_IN_COUNT], outcome_name;
	struct members ms;
	struct ss_jv ch;
	size_t line, col;
	size_t before = j->c->errors;
	static const struct {
		const char *key;
		int field;
	} strings[] =
	    {
	        {"type", SS_F_TYPE},
	        {"datetime", SS_F_DATETIME},
	        {"operation_name", SS_F_OPERATION_NAME},
	        {"gender", SS_F_GENDER},
	        {"age_range", SS_F_AGE_RANGE},
	        {"self_defined_ethnicity", SS_F_SELF_DEFINED_ETHNICITY},
	        {"officer_defined_ethnicity", SS_F_OFFICER_DEFINED_ETHNICITY},
	        {"legislation", SS_F_LEGISLATION},
	        {"object_of_search", SS_F_OBJECT_OF_SEARCH},
	    },
	  bools[] = {
	      {"operation", SS_F_OPERATION},
	      {"outcome_linked_to_object_of_search", SS_F_OUTCOME_LINKED},
	      {"removal_of_more_than_outer_clothing", SS_F_REMOVAL},
	  };
	size_t k;

	where(j, j->s->v[eidx].off, &line, &col);
	if (!ss_jv_is(e, SS_JT_OBJECT))
		return ss_ctx_error(j->c, line, col, _("record %zu is not a JSON object"), recno);
	memset(cells, 0, sizeof(cells));
	memset(&outcome_name, 0, sizeof(outcome_name));
	for (members_start(&ms, e, eidx); members_next(j, &ms, &ch);) {
		const char *key = ss_jv_key(&ch);
		size_t idx = ms.idx;
		bool done = false;

		for (k = 0; k < sizeof(strings) / sizeof(strings[0]) && !done; k++) {
			if (strcmp(key, strings[k].key) != 0)
				continue;
			done = true;
			if (ss_jv_is(&ch, SS_JT_STRING))
				set_text(j, &cells[strings[k].field], &ch, idx, strings[k].key);
			else if (!ss_jv_is(&ch, SS_JT_NULL))
				type_error(j, idx, recno, key, _("a string or null"));
		}
		for (k = 0; k < sizeof(bools) / sizeof(bools[0]) && !done; k++) {
			struct ss_cell *cl = &cells[bools[k].field];

			if (strcmp(key, bools[k].key) != 0)
				continue;
			done = true;
			if (ss_jv_is(&ch, SS_JT_BOOL)) {
				cl->kind = SS_CELL_BOOL;
				cl->tri = ss_jv_true(&ch) ? SS_TRI_TRUE : SS_TRI_FALSE;
				cl->label = bools[k].key;
				where(j, j->s->v[idx].off, &cl->line, &cl->col);
			} else if (!ss_jv_is(&ch, SS_JT_NULL)) {
				type_error(j, idx, recno, key, _("true, false or null"));
			}
		}
		if (done)
			continue;
		if (strcmp(key, "outcome") == 0) {
			if (ss_jv_is(&ch, SS_JT_STRING))
				set_text(j, &cells[SS_F_OUTCOME], &ch, idx, "outcome");
			else if (!ss_jv_is(&ch, SS_JT_NULL) &&
			         !(ss_jv_is(&ch, SS_JT_BOOL) && !ss_jv_true(&ch)))
				type_error(j, idx, recno, key, _("a string, false or null"));
		} else if (strcmp(key, "outcome_object") == 0) {
			read_outcome_object(j, &ch, idx, recno, &outcome_name);
		} else if (strcmp(key, "location") == 0) {
			read_location(j, cells, &ch, idx, recno);
		}
		/* involved_person and keys the API may add later carry nothing we store */
	}
	if (j->c->errors != before)
		return SS_EDATA;
	if ((cells[SS_F_OUTCOME].kind != SS_CELL_TEXT || cells[SS_F_OUTCOME].len == 0) &&
	    outcome_name.kind == SS_CELL_TEXT)
		cells[SS_F_OUTCOME] = outcome_name;
	return ss_ctx_emit(j->c, cells, line);
}

int ss_police_json_read(struct ss_read_ctx *c)
{
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct scan s;
	struct jr j = {c, &s, {0, 1, 0}, 0};
	struct ss_json *doc = NULL;
	struct ss_jv root, e;
	char *copy = NULL;
	size_t line, col, i, at;
	bool trailing;
	int err = 0;

	memset(&s, 0, sizeof(s));
	s.d = c->data;
	s.len = c->len;
	if (c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0)
		j.bom = 3;
	/* the parser is given a terminated string; our bytes need not be */
	copy = malloc(c->len + 1);
	if (copy == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	memcpy(copy, c->data, c->len);
	copy[c->len] = '\0';
	err = ss_json_load_unchecked(copy, c->len, c->name, &doc, &at, &trailing);
	if (err == SS_EDATA) {
		err = 0;
		where(&j, at, &line, &col);
		if (trailing)
			ss_ctx_error(c, line, col, _("unexpected text after the end of the JSON"));
		else
			ss_ctx_error(c, line, col, _("this is not valid JSON here"));
		goto out;
	}
	if (err)
		goto out;
	s.pos = j.bom;
	err = scan_value(&s);
	if (err == SS_EDATA) {
		where(&j, s.errpos, &line, &col);
		ss_ctx_error(c, line, col, "%s", s.why);
		goto out;
	}
	if (err)
		goto out;
	ss_json_root(doc, &root);
	if (!ss_jv_is(&root, SS_JT_ARRAY)) {
		where(&j, s.v[0].off, &line, &col);
		ss_ctx_error(
		    c, line, col,
		    _("expected a JSON array of stop and search records (starting with '[')"));
		goto out;
	}
	for (i = 0; !c->stop && ss_jv_next(&root, &it, &e); i++) {
		if (i >= s.nelem)
			break; /* cannot happen: the scan saw what the parser saw */
		err = read_record(&j, &e, s.elem[i], i + 1);
		if (err && err != SS_EDATA)
			goto out;
		err = 0;
	}
out:
	ss_json_free(doc);
	free(copy);
	ss_buf_release(&s.keys);
	free(s.ke);
	free(s.v);
	free(s.elem);
	return err ? err : c->errors ? SS_EDATA : 0;
}
