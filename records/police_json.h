/*
 * police_json.h - the police-json reader (the data.police.uk API's array of
 * stop objects), and the small strict JSON text helpers it shares with the
 * stored-form parser in record.c. Internal to records/.
 *
 * Ownership: nothing here keeps a pointer to what it is given; decoded text
 * goes into the caller's struct ss_buf.
 */
#ifndef SS_POLICE_JSON_H
#define SS_POLICE_JSON_H

#include <stddef.h>

#include "buf.h"

struct ss_read_ctx;

/* Read ctx->data as police-json into ctx->pop (see readctx.h). */
int ss_police_json_read(struct ss_read_ctx *ctx);

/*
 * Decode the JSON string starting at s[*pos] (which must be '"'), strictly:
 * valid UTF-8, no raw control characters, valid escapes, no \u0000, no
 * unpaired surrogates. On success *pos is just past the closing quote and the
 * decoded bytes are appended to out (when out is not NULL); returns 0. On
 * failure *pos is the offset of the offending byte, *why says what is wrong,
 * and it returns SS_EDATA (SS_ENOMEM when out cannot grow).
 */
int ss_json_decode_string(const char *s, size_t len, size_t *pos, struct ss_buf *out,
                          const char **why);

#endif
