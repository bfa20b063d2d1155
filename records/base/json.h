/*
 * json.h - strict JSON for the files people write by hand and auditors read
 * with their own tools (policies, sample.json, verdicts, corrections, the
 * registry), with getters that name the key's path in their messages.
 *
 * cJSON (underneath, and included by json.c only) accepts invalid UTF-8, NUL
 * bytes, a \u0000 escape (cutting the string there without a word) and text
 * after the value. ss_json_load() refuses each with the file's line and
 * column, so two readers of one file can never see different things.
 *
 * Ownership: a struct ss_json owns its whole tree and is freed with
 * ss_json_free(). A struct ss_jv is a borrowed view of one value with its
 * path ("sample.always[1].in"): it holds no memory of its own, may be copied
 * freely, and is valid while its document lives; so are the strings it
 * returns. An absent value (a missing key) is a struct ss_jv too, of type
 * SS_JT_ABSENT, so lookups chain without checks.
 *
 * Messages: ss_jv_fail() writes "NAME: PATH: what" ("NAME: what" at the
 * root). The getters below word their refusals in the document's voice:
 * SS_JSON_VOICE_POLICY ("policy.json: sample.rate: expected a string", the
 * voice of policies and sample.json) or SS_JSON_VOICE_FIELDS
 * ("v.json: changes[0]: \"from\" must be a string", the voice of the
 * trail's small records).
 */
#ifndef SS_JSON_H
#define SS_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define SS_JSON_PATH_MAX 256

enum ss_json_voice {
	SS_JSON_VOICE_POLICY,
	SS_JSON_VOICE_FIELDS,
};

enum ss_jtype {
	SS_JT_ABSENT,
	SS_JT_NULL,
	SS_JT_BOOL,
	SS_JT_NUMBER,
	SS_JT_STRING,
	SS_JT_ARRAY,
	SS_JT_OBJECT,
};

struct ss_json;

struct ss_jv {
	const struct ss_json *doc;
	const void *node; /* NULL when absent */
	size_t leaf;      /* where the last key starts in path (when it is a key) */
	bool keyed;       /* reached by a key (not an index, not the root) */
	char path[SS_JSON_PATH_MAX];
};

/* Iteration state for ss_jv_next(); start from SS_JV_ITER_INIT. */
struct ss_jv_iter {
	const void *at;
	size_t i;
	bool started;
};
#define SS_JV_ITER_INIT                                                                            \
	{                                                                                          \
		NULL, 0, false                                                                     \
	}

/* Parse len bytes of data, named `name` in messages (the name is copied).
 * On success *out owns the document; on failure *out is NULL and the error
 * (with code `code`, such as SS_EDATA or SS_ECONFIG) is set with its line
 * and column. */
int ss_json_load(const char *data, size_t len, const char *name, int code, enum ss_json_voice voice,
                 struct ss_json **out);
/* As ss_json_load, and the value must be an object with no key given twice
 * in it or anywhere below it ("NAME: must be a JSON object", "NAME: the key
 * \"k\" is given twice"). */
int ss_json_load_object(const char *data, size_t len, const char *name, int code,
                        enum ss_json_voice voice, struct ss_json **out);
/* For a reader that checks the text itself and words its own refusals with
 * their positions (police-json): the parse alone, none of the checks above,
 * and no message set. 0 with *out the document; SS_EDATA when data is not
 * JSON (*at the offset of the trouble) or when text follows the value (*at
 * where it starts, *trailing true); SS_ENOMEM. */
int ss_json_load_unchecked(const char *data, size_t len, const char *name, struct ss_json **out,
                           size_t *at, bool *trailing);
/* NULL is a no-op. */
void ss_json_free(struct ss_json *doc);

/* The first key that an object in the document gives twice, or NULL
 * (linear: one hash set per object). */
const char *ss_json_duplicate_key(const struct ss_json *doc);

/* 1-based line and byte column of offset off in data. */
void ss_json_position(const char *data, size_t off, size_t *line, size_t *col);

/* One string member of a small object, for trail.json's name, format and
 * fingerprint: *out a malloc'd copy, or NULL when data is not strict JSON,
 * not an object, or has no such string (no error is set then). 0 or
 * SS_ENOMEM. */
int ss_json_member_string(const char *data, size_t len, const char *key, char **out);

/* ---- navigation ---- */

void ss_json_root(const struct ss_json *doc, struct ss_jv *out);
/* The member `key` of obj; absent when obj is not an object or lacks it. */
void ss_jv_get(const struct ss_jv *obj, const char *key, struct ss_jv *out);
/* The members of an object (ss_jv_key names each) or the elements of an
 * array, in order; false after the last, or at once for anything else. */
bool ss_jv_next(const struct ss_jv *v, struct ss_jv_iter *it, struct ss_jv *out);
/* The number of members or elements; 0 for anything else. */
size_t ss_jv_count(const struct ss_jv *v);
/* The key of a member reached by ss_jv_next() or ss_jv_get(), else NULL. */
const char *ss_jv_key(const struct ss_jv *v);

enum ss_jtype ss_jv_type(const struct ss_jv *v);
static inline bool ss_jv_is(const struct ss_jv *v, enum ss_jtype t)
{
	return ss_jv_type(v) == t;
}
/* The text of a string, else NULL. */
const char *ss_jv_str(const struct ss_jv *v);
/* The number (0 for anything else). */
double ss_jv_num(const struct ss_jv *v);
/* true only for the JSON value true. */
bool ss_jv_true(const struct ss_jv *v);

/* ---- messages ---- */

/* Set the document's error "NAME: PATH: what" (or "NAME: what") and return
 * its code. */
int ss_jv_fail(const struct ss_jv *v, const char *fmt, ...) SS_PRINTF(2, 3);
/* "NAME: PARENT: \"key\" what" for a member (what follows the quoted key
 * after a space), else as ss_jv_fail. */
int ss_jv_fail_key(const struct ss_jv *v, const char *fmt, ...) SS_PRINTF(2, 3);

/* ---- getters: 0, or the document's code with the refusal set ---- */

/* keys: NULL-terminated. SS_JK_EXACT: each listed key must be there. */
enum {
	SS_JK_EXACT = 1,
	/* Policy voice, every refusal at the object's own path: "key \"k\"
	 * appears twice", "unknown key \"k\"", "key \"k\" is missing". */
	SS_JK_AT_OBJECT = 2,
};
/* An object whose keys are all listed and none given twice. Policy voice:
 * "expected an object", "PATH.k: duplicate key", "PATH.k: unknown key
 * (expected one of: a, b)", "PATH.k: missing (it is required)". Fields
 * voice: "\"k\" is missing" (checked first), "unexpected key \"k\"". */
int ss_jv_keys(const struct ss_jv *obj, const char *const *keys, unsigned flags);

enum {
	SS_JS_REQUIRED = 1, /* absent is refused ("missing (it is required)", "is missing") */
	SS_JS_NULL = 2,     /* null gives NULL */
	SS_JS_NONEMPTY = 4, /* "" is refused ("must not be empty", "is empty") */
	SS_JS_PLAIN = 8,    /* control characters are refused */
};
/* The string member `key` of obj, borrowed; *out NULL when absent (and not
 * required) or null (SS_JS_NULL). "expected a string" / "must be a string"
 * (" or null" added with SS_JS_NULL). */
int ss_jv_string(const struct ss_jv *obj, const char *key, unsigned flags, const char **out);
/* As ss_jv_string, and *out is a malloc'd copy (NULL when none). */
int ss_jv_strdup(const struct ss_jv *obj, const char *key, unsigned flags, char **out);
/* The boolean member `key` (dflt when absent): "expected true or false". */
int ss_jv_bool(const struct ss_jv *obj, const char *key, bool dflt, bool *out);
/* v a whole number from min to max: "expected a whole number", "must be
 * from MIN to MAX". */
int ss_jv_uint(const struct ss_jv *v, unsigned long min, unsigned long max, unsigned long *out);
/* v a count (a whole number from 0 to 2^53): "expected a count (a whole
 * number, 0 or more)". */
int ss_jv_count_of(const struct ss_jv *v, size_t *out);

#endif
