/*
 * json_cjson.h - transitional: no file outside records/base uses it any
 * more (json.c still defines these for it); to be removed.
 *
 * The old cJSON-returning parsers, with json.h's strict checks. *out owns
 * the tree (cJSON_Delete it).
 */
#ifndef SS_JSON_CJSON_H
#define SS_JSON_CJSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

int ss_json_parse(const char *data, size_t len, const char *name, int code, cJSON **out);
int ss_json_parse_object(const char *data, size_t len, const char *name, int code, cJSON **out);

#endif
