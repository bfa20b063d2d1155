/*
 * json.c - strict JSON parsing on top of cJSON (see json.h).
 */
#include "json.h"

#include <string.h>

#include "buf.h"
#include "error.h"

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
				return refuse(data, i, name, code,
				              "\\u0000 (a NUL character) is not allowed in a string");
			i++; /* the escaped character, which may be a quote */
		}
	}
	return 0;
}

/* The first offset from off on that is not JSON white space. */
static size_t blank_from(const char *data, size_t len, size_t off)
{
	while (off < len && strchr(" \t\r\n", data[off]) != NULL)
		off++;
	return off;
}

int ss_json_parse(const char *data, size_t len, const char *name, int code, cJSON **out)
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

const char *ss_json_duplicate_key(const cJSON *tree)
{
	const cJSON *a, *b;
	const char *d;

	for (a = tree ? tree->child : NULL; a != NULL; a = a->next) {
		if (cJSON_IsObject(tree))
			for (b = a->next; b != NULL; b = b->next)
				if (a->string && b->string && strcmp(a->string, b->string) == 0)
					return a->string;
		if ((d = ss_json_duplicate_key(a)) != NULL)
			return d;
	}
	return NULL;
}

int ss_json_parse_object(const char *data, size_t len, const char *name, int code, cJSON **out)
{
	const char *dup;
	int err;

	if ((err = ss_json_parse(data, len, name, code, out)) != 0)
		return err;
	if (!cJSON_IsObject(*out))
		err = ss_error_set(code, "%s: must be a JSON object", name);
	else if ((dup = ss_json_duplicate_key(*out)) != NULL)
		err = ss_error_set(code, "%s: the key \"%s\" is given twice", name, dup);
	if (err) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return err;
}
