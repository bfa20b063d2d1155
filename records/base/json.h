/*
 * json.h - strict JSON text for the files people write by hand and auditors
 * read with their own tools (policies, sample.json, verdicts, corrections).
 *
 * cJSON accepts invalid UTF-8, NUL bytes, a \u0000 escape (cutting the string
 * there without a word) and text after the value. ss_json_parse() refuses each
 * with the file's line and column, so two readers of one file can never see
 * different things. Duplicate keys are the caller's to refuse (it can name the
 * key's path); ss_json_duplicate_key() finds the first anywhere in a tree.
 */
#ifndef SS_JSON_H
#define SS_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Parse len bytes of data, named `name` in messages. On success *out owns the
 * tree (cJSON_Delete it); on failure *out is NULL and the error (with exit
 * code `code`, such as SS_EDATA or SS_ECONFIG) is set. */
int ss_json_parse(const char *data, size_t len, const char *name, int code, cJSON **out);

/* As ss_json_parse, and the value must be an object with no key given twice
 * in it or anywhere below it. */
int ss_json_parse_object(const char *data, size_t len, const char *name, int code,
                         cJSON **out);

/* 1-based line and byte column of offset off in data. */
void ss_json_position(const char *data, size_t off, size_t *line, size_t *col);

/* The first key that an object in the tree gives twice, or NULL. */
const char *ss_json_duplicate_key(const cJSON *tree);

#endif
