/*
 * json.c - strict JSON on top of cJSON, and its path-aware getters (see
 * json.h). The only file that includes cJSON.h.
 */
#include <cjson/cJSON.h>

#include "json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "map.h"
#include "utf8.h"

struct ss_json {
	cJSON *root;
	char *name;
	int code;
	enum ss_json_voice voice;
};

void ss_json_position(const char *data, size_t off, size_t *line, size_t *col)
{
	size_t i, l = 1, start = 0;

	for (i = 0; i < off; i++)
		if (data[i] == '\n') {
			l++;
			start = i + 1;
		}
	*line = l;
	*col = off - start + 1;
}

static int refuse(const char *data, size_t off, const char *name, int code, const char *what)
{
	size_t line, col;

	ss_json_position(data, off, &line, &col);
	return ss_error_set_at(code, name, line, col, "%s", what);
}

/* What cJSON would let through: invalid UTF-8, NUL bytes and \u0000. */
static int check_text(const char *data, size_t len, const char *name, int code)
{
	size_t i, bad;
	bool in_str = false;

	if (!ss_utf8_valid(data, len, &bad))
		return refuse(data, bad, name, code, "not valid UTF-8");
	for (i = 0; i < len; i++) {
		if (data[i] == '\0')
			return refuse(data, i, name, code, "a NUL byte");
		if (data[i] == '"') {
			in_str = !in_str;
		} else if (in_str && data[i] == '\\' && i + 1 < len) {
			if (len - i >= 6 && memcmp(data + i + 1, "u0000", 5) == 0)
				return refuse(
				    data, i, name, code,
				    "\\u0000 (a NUL character) is not allowed in a string");
			i++; /* the escaped character, which may be a quote */
		}
	}
	return 0;
}

/* The first offset from off on that is not JSON white space (a NUL byte is
 * not: strchr would find the terminator). */
static size_t blank_from(const char *data, size_t len, size_t off)
{
	while (off < len && data[off] != '\0' && strchr(" \t\r\n", data[off]) != NULL)
		off++;
	return off;
}

static int parse_tree(const char *data, size_t len, const char *name, int code, cJSON **out)
{
	const char *end = NULL;
	size_t off;
	int err;

	*out = NULL;
	if ((err = check_text(data, len, name, code)) != 0)
		return err;
	*out = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (*out == NULL) {
		off = end && end >= data && end <= data + len ? (size_t)(end - data) : len;
		if (blank_from(data, len, off) == len)
			return refuse(data, len, name, code, "the JSON ends too early");
		return refuse(data, off, name, code, "not valid JSON here");
	}
	if ((off = blank_from(data, len, (size_t)(end - data))) < len) {
		cJSON_Delete(*out);
		*out = NULL;
		return refuse(data, off, name, code, "unexpected text after the JSON");
	}
	return 0;
}

/* The first key an object in the tree gives twice: one hash set per object. */
static int first_duplicate(const cJSON *tree, const char **out)
{
	struct ss_map *seen = NULL;
	union ss_map_value *v;
	const cJSON *a;
	bool added;
	int err = 0;

	*out = NULL;
	if (tree == NULL)
		return 0;
	if (cJSON_IsObject(tree) && tree->child != NULL) {
		if ((err = ss_map_new(&seen, 0, NULL)) != 0)
			goto out;
		for (a = tree->child; a != NULL; a = a->next) {
			if ((err = ss_map_puts(seen, a->string, &v, &added)) != 0)
				goto out;
			if (!added) {
				*out = a->string;
				goto out;
			}
		}
	}
	for (a = tree->child; a != NULL && *out == NULL; a = a->next)
		if ((err = first_duplicate(a, out)) != 0)
			goto out;
out:
	ss_map_free(seen);
	return err;
}

static int parse_object(const char *data, size_t len, const char *name, int code, cJSON **out)
{
	const char *dup = NULL;
	int err;

	if ((err = parse_tree(data, len, name, code, out)) != 0)
		return err;
	if (!cJSON_IsObject(*out))
		err = ss_error_set(code, _("%s: must be a JSON object"), name);
	else if ((err = first_duplicate(*out, &dup)) == 0 && dup != NULL)
		err = ss_error_set(code, _("%s: the key \"%s\" is given twice"), name, dup);
	if (err) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return err;
}

/* ---- documents ---- */

static int load(const char *data, size_t len, const char *name, int code, enum ss_json_voice voice,
                bool object, struct ss_json **out)
{
	struct ss_json *doc = NULL;
	int err;

	*out = NULL;
	if ((doc = calloc(1, sizeof(*doc))) == NULL || (doc->name = strdup(name)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	doc->code = code;
	doc->voice = voice;
	if (object)
		err = parse_object(data, len, name, code, &doc->root);
	else
		err = parse_tree(data, len, name, code, &doc->root);
	if (err)
		goto out;
	*out = doc;
	doc = NULL;
out:
	ss_json_free(doc);
	return err;
}

int ss_json_load(const char *data, size_t len, const char *name, int code, enum ss_json_voice voice,
                 struct ss_json **out)
{
	return load(data, len, name, code, voice, false, out);
}

int ss_json_load_object(const char *data, size_t len, const char *name, int code,
                        enum ss_json_voice voice, struct ss_json **out)
{
	return load(data, len, name, code, voice, true, out);
}

int ss_json_load_unchecked(const char *data, size_t len, const char *name, struct ss_json **out,
                           size_t *at, bool *trailing)
{
	struct ss_json *doc = NULL;
	const char *end = NULL;
	size_t off;
	int err = 0;

	*out = NULL;
	*at = 0;
	*trailing = false;
	if ((doc = calloc(1, sizeof(*doc))) == NULL || (doc->name = strdup(name)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	doc->code = SS_EDATA;
	doc->voice = SS_JSON_VOICE_FIELDS;
	if ((doc->root = cJSON_ParseWithLengthOpts(data, len, &end, 0)) == NULL) {
		off = end != NULL ? (size_t)(end - data) : 0;
		*at = off < len ? off : len;
		err = SS_EDATA;
		goto out;
	}
	if ((off = blank_from(data, len, (size_t)(end - data))) < len) {
		*at = off;
		*trailing = true;
		err = SS_EDATA;
		goto out;
	}
	*out = doc;
	doc = NULL;
out:
	ss_json_free(doc);
	return err;
}

void ss_json_free(struct ss_json *doc)
{
	if (doc == NULL)
		return;
	cJSON_Delete(doc->root);
	free(doc->name);
	free(doc);
}

const char *ss_json_duplicate_key(const struct ss_json *doc)
{
	const char *dup = NULL;

	if (first_duplicate(doc->root, &dup) != 0)
		ss_error_clear();
	return dup;
}

int ss_json_member_string(const char *data, size_t len, const char *key, char **out)
{
	struct ss_json *doc = NULL;
	struct ss_jv root, v;
	int err = 0;

	*out = NULL;
	if (ss_json_load(data, len, key, SS_EDATA, SS_JSON_VOICE_FIELDS, &doc) != 0) {
		ss_error_clear();
		goto out;
	}
	ss_json_root(doc, &root);
	ss_jv_get(&root, key, &v);
	if (ss_jv_str(&v) != NULL && (*out = strdup(ss_jv_str(&v))) == NULL)
		err = ss_error_nomem();
out:
	ss_json_free(doc);
	return err;
}

/* ---- navigation ---- */

static const cJSON *node(const struct ss_jv *v)
{
	return v->node;
}

/* A path too long for the buffer ends in "...". */
static void clip(char *out, int n)
{
	if (n < 0 || n >= SS_JSON_PATH_MAX)
		memcpy(out + SS_JSON_PATH_MAX - 4, "...", 4);
}

static void child_key(const struct ss_jv *parent, const cJSON *n, const char *key,
                      struct ss_jv *out)
{
	size_t plen = strlen(parent->path);

	out->doc = parent->doc;
	out->node = n;
	out->keyed = true;
	if (plen == 0) {
		out->leaf = 0;
		clip(out->path, snprintf(out->path, SS_JSON_PATH_MAX, "%s", key));
	} else {
		out->leaf = plen + 1 < SS_JSON_PATH_MAX ? plen + 1 : SS_JSON_PATH_MAX - 1;
		clip(out->path, snprintf(out->path, SS_JSON_PATH_MAX, "%s.%s", parent->path, key));
	}
}

static void child_index(const struct ss_jv *parent, const cJSON *n, size_t i, struct ss_jv *out)
{
	out->doc = parent->doc;
	out->node = n;
	out->keyed = false;
	out->leaf = 0;
	clip(out->path, snprintf(out->path, SS_JSON_PATH_MAX, "%s[%zu]", parent->path, i));
}

void ss_json_root(const struct ss_json *doc, struct ss_jv *out)
{
	out->doc = doc;
	out->node = doc->root;
	out->keyed = false;
	out->leaf = 0;
	out->path[0] = '\0';
}

void ss_jv_get(const struct ss_jv *obj, const char *key, struct ss_jv *out)
{
	const cJSON *n =
	    cJSON_IsObject(node(obj)) ? cJSON_GetObjectItemCaseSensitive(node(obj), key) : NULL;

	child_key(obj, n, key, out);
}

bool ss_jv_next(const struct ss_jv *v, struct ss_jv_iter *it, struct ss_jv *out)
{
	const cJSON *n = node(v), *c;

	if (!cJSON_IsObject(n) && !cJSON_IsArray(n))
		return false;
	c = it->started ? ((const cJSON *)it->at)->next : n->child;
	if (it->started)
		it->i++;
	it->started = true;
	it->at = c;
	if (c == NULL)
		return false;
	if (cJSON_IsObject(n))
		child_key(v, c, c->string, out);
	else
		child_index(v, c, it->i, out);
	return true;
}

size_t ss_jv_count(const struct ss_jv *v)
{
	const cJSON *n = node(v), *c;
	size_t k = 0;

	if (!cJSON_IsObject(n) && !cJSON_IsArray(n))
		return 0;
	for (c = n->child; c != NULL; c = c->next)
		k++;
	return k;
}

const char *ss_jv_key(const struct ss_jv *v)
{
	return v->keyed && node(v) != NULL ? node(v)->string : NULL;
}

enum ss_jtype ss_jv_type(const struct ss_jv *v)
{
	const cJSON *n = node(v);

	if (n == NULL)
		return SS_JT_ABSENT;
	if (cJSON_IsNull(n))
		return SS_JT_NULL;
	if (cJSON_IsBool(n))
		return SS_JT_BOOL;
	if (cJSON_IsNumber(n))
		return SS_JT_NUMBER;
	if (cJSON_IsString(n))
		return SS_JT_STRING;
	if (cJSON_IsArray(n))
		return SS_JT_ARRAY;
	if (cJSON_IsObject(n))
		return SS_JT_OBJECT;
	return SS_JT_ABSENT; /* cJSON_Raw: never made by the parser */
}

const char *ss_jv_str(const struct ss_jv *v)
{
	return cJSON_IsString(node(v)) ? node(v)->valuestring : NULL;
}

double ss_jv_num(const struct ss_jv *v)
{
	return cJSON_IsNumber(node(v)) ? node(v)->valuedouble : 0;
}

bool ss_jv_true(const struct ss_jv *v)
{
	return cJSON_IsTrue(node(v));
}

/* ---- messages ---- */

static int vfail(const struct ss_jv *v, bool quote_key, const char *fmt, va_list ap)
{
	const struct ss_json *d = v->doc;
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (quote_key && v->keyed) {
		const char *key = v->path + v->leaf;

		if (v->leaf == 0)
			return ss_error_set(d->code, "%s: \"%s\" %s", d->name, key, msg);
		return ss_error_set(d->code, "%s: %.*s: \"%s\" %s", d->name, (int)(v->leaf - 1),
		                    v->path, key, msg);
	}
	if (v->path[0] == '\0')
		return ss_error_set(d->code, "%s: %s", d->name, msg);
	return ss_error_set(d->code, "%s: %s: %s", d->name, v->path, msg);
}

int ss_jv_fail(const struct ss_jv *v, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vfail(v, false, fmt, ap);
	va_end(ap);
	return err;
}

int ss_jv_fail_key(const struct ss_jv *v, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vfail(v, true, fmt, ap);
	va_end(ap);
	return err;
}

/* ---- getters ---- */

static bool policy_voice(const struct ss_jv *v)
{
	return v->doc->voice == SS_JSON_VOICE_POLICY;
}

static bool listed(const char *const *keys, const char *k)
{
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], k) == 0)
			return true;
	return false;
}

static int keys_policy(const struct ss_jv *obj, const char *const *keys, unsigned flags)
{
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_map *seen = NULL;
	union ss_map_value *slot;
	struct ss_jv m;
	bool added;
	size_t i;
	int err;

	if (!ss_jv_is(obj, SS_JT_OBJECT))
		return ss_jv_fail(obj, _("expected an object"));
	if ((err = ss_map_new(&seen, 0, NULL)) != 0)
		goto out;
	while (ss_jv_next(obj, &it, &m)) {
		if ((err = ss_map_puts(seen, ss_jv_key(&m), &slot, &added)) != 0)
			goto out;
		if (!added) {
			err = (flags & SS_JK_AT_OBJECT)
			          ? ss_jv_fail(obj, _("key \"%s\" appears twice"), ss_jv_key(&m))
			          : ss_jv_fail(&m, _("duplicate key"));
			goto out;
		}
		if (keys != NULL && !listed(keys, ss_jv_key(&m)) && (flags & SS_JK_AT_OBJECT)) {
			err = ss_jv_fail(obj, _("unknown key \"%s\""), ss_jv_key(&m));
			goto out;
		}
		if (keys != NULL && !listed(keys, ss_jv_key(&m))) {
			char list[512] = "";

			for (i = 0; keys[i] != NULL; i++) {
				if (i)
					strncat(list, ", ", sizeof(list) - strlen(list) - 1);
				strncat(list, keys[i], sizeof(list) - strlen(list) - 1);
			}
			err = ss_jv_fail(&m, _("unknown key (expected one of: %s)"), list);
			goto out;
		}
	}
	if (keys != NULL && (flags & SS_JK_EXACT))
		for (i = 0; keys[i] != NULL; i++) {
			ss_jv_get(obj, keys[i], &m);
			if (ss_jv_is(&m, SS_JT_ABSENT)) {
				err = (flags & SS_JK_AT_OBJECT)
				          ? ss_jv_fail(obj, _("key \"%s\" is missing"), keys[i])
				          : ss_jv_fail(&m, _("missing (it is required)"));
				goto out;
			}
		}
out:
	ss_map_free(seen);
	return err;
}

/* Fields voice: the document was loaded whole-object, duplicates refused. */
static int keys_fields(const struct ss_jv *obj, const char *const *keys, unsigned flags)
{
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv m;
	size_t i;

	if (!ss_jv_is(obj, SS_JT_OBJECT))
		return ss_jv_fail(obj, _("must be an object"));
	if (flags & SS_JK_EXACT)
		for (i = 0; keys[i] != NULL; i++) {
			ss_jv_get(obj, keys[i], &m);
			if (ss_jv_is(&m, SS_JT_ABSENT))
				return ss_jv_fail_key(&m, _("is missing"));
		}
	while (ss_jv_next(obj, &it, &m))
		if (!listed(keys, ss_jv_key(&m))) {
			if (obj->path[0] == '\0')
				return ss_error_set(obj->doc->code, _("%s: unexpected key \"%s\""),
				                    obj->doc->name, ss_jv_key(&m));
			return ss_jv_fail(obj, _("unexpected key \"%s\""), ss_jv_key(&m));
		}
	return 0;
}

int ss_jv_keys(const struct ss_jv *obj, const char *const *keys, unsigned flags)
{
	return policy_voice(obj) ? keys_policy(obj, keys, flags) : keys_fields(obj, keys, flags);
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

int ss_jv_string(const struct ss_jv *obj, const char *key, unsigned flags, const char **out)
{
	struct ss_jv v;
	const char *s;
	bool pol = policy_voice(obj);

	*out = NULL;
	ss_jv_get(obj, key, &v);
	if (ss_jv_is(&v, SS_JT_ABSENT)) {
		if (!(flags & SS_JS_REQUIRED))
			return 0;
		return pol ? ss_jv_fail(&v, _("missing (it is required)"))
		           : ss_jv_fail_key(&v, _("is missing"));
	}
	if ((flags & SS_JS_NULL) && ss_jv_is(&v, SS_JT_NULL))
		return 0;
	if ((s = ss_jv_str(&v)) == NULL) {
		if (pol)
			return ss_jv_fail(&v, (flags & SS_JS_NULL) ? _("expected a string or null")
			                                           : _("expected a string"));
		return ss_jv_fail_key(&v, (flags & SS_JS_NULL) ? _("must be a string or null")
		                                               : _("must be a string"));
	}
	if ((flags & SS_JS_NONEMPTY) && *s == '\0') {
		if (pol)
			return ss_jv_fail(&v, _("must not be empty"));
		return ss_jv_fail_key(&v, (flags & SS_JS_NULL) ? _("is empty (write null for none)")
		                                               : _("is empty"));
	}
	if ((flags & SS_JS_PLAIN) && has_control(s))
		return pol ? ss_jv_fail(&v, _("must not contain control characters"))
		           : ss_jv_fail_key(&v, _("must not contain control characters"));
	*out = s;
	return 0;
}

int ss_jv_strdup(const struct ss_jv *obj, const char *key, unsigned flags, char **out)
{
	const char *s;
	int err;

	*out = NULL;
	if ((err = ss_jv_string(obj, key, flags, &s)) != 0 || s == NULL)
		return err;
	if ((*out = strdup(s)) == NULL)
		return ss_error_nomem();
	return 0;
}

int ss_jv_bool(const struct ss_jv *obj, const char *key, bool dflt, bool *out)
{
	struct ss_jv v;

	*out = dflt;
	ss_jv_get(obj, key, &v);
	if (ss_jv_is(&v, SS_JT_ABSENT))
		return 0;
	if (!ss_jv_is(&v, SS_JT_BOOL))
		return policy_voice(obj) ? ss_jv_fail(&v, _("expected true or false"))
		                         : ss_jv_fail_key(&v, _("must be true or false"));
	*out = ss_jv_true(&v);
	return 0;
}

int ss_jv_uint(const struct ss_jv *v, unsigned long min, unsigned long max, unsigned long *out)
{
	double d;

	*out = 0;
	if (!ss_jv_is(v, SS_JT_NUMBER))
		return ss_jv_fail(v, _("expected a whole number"));
	d = ss_jv_num(v);
	/* Written so NaN and infinities fail too, without libm. */
	if (!(d >= -1e15 && d <= 1e15) || d != (double)(long long)d)
		return ss_jv_fail(v, _("expected a whole number"));
	if (d < (double)min || d > (double)max)
		return ss_jv_fail(v, _("must be from %lu to %lu"), min, max);
	*out = (unsigned long)d;
	return 0;
}

int ss_jv_count_of(const struct ss_jv *v, size_t *out)
{
	double d = ss_jv_num(v);

	if (!ss_jv_is(v, SS_JT_NUMBER) || d < 0 || d > 9007199254740992.0 ||
	    d != (double)(uint64_t)d)
		return ss_jv_fail(v, _("expected a count (a whole number, 0 or more)"));
	*out = (size_t)d;
	return 0;
}
