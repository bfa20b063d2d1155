/*
 * buf.h - a growable byte buffer, and the text encodings every module shares
 * (JSON string escaping, lowercase hex, RFC 4648 base32 and base64).
 *
 * Ownership: a struct ss_buf owns `data`; ss_buf_release() frees it and leaves
 * an empty buffer; ss_buf_detach() hands `data` to the caller (free() it).
 * `data` is always NUL-terminated after a successful append, so it can be used
 * as a C string when no NUL was appended. On allocation failure an append
 * returns SS_ENOMEM and the buffer keeps what it had.
 */
#ifndef SS_BUF_H
#define SS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct ss_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define SS_BUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

int ss_buf_grow(struct ss_buf *b, size_t extra);

/*
 * A growable array of any type: make room for one more element at index n
 * of *items (capacity *cap, elements of `size` bytes), doubling from `first`.
 * 0, or SS_ENOMEM with *items and *cap unchanged. For example:
 *   if ((err = ss_array_room((void **)&v->rows, &v->cap, v->n, sizeof(*v->rows), 16)))
 */
int ss_array_room(void **items, size_t *cap, size_t n, size_t size, size_t first);
int ss_buf_put(struct ss_buf *b, const void *p, size_t n);
int ss_buf_puts(struct ss_buf *b, const char *s);
int ss_buf_putc(struct ss_buf *b, char c);
int ss_buf_printf(struct ss_buf *b, const char *fmt, ...) SS_PRINTF(2, 3);
/* Append s (n bytes, UTF-8) as a JSON string with its quotes. */
int ss_buf_json_string(struct ss_buf *b, const char *s, size_t n);
/* Append a JSON string, or `null` when s is NULL. */
int ss_buf_json_string_or_null(struct ss_buf *b, const char *s);
void ss_buf_reset(struct ss_buf *b);   /* len = 0, keeps the memory */
void ss_buf_release(struct ss_buf *b); /* frees, back to SS_BUF_INIT */
char *ss_buf_detach(struct ss_buf *b); /* caller frees; buffer back to empty */

/* A whole file's bytes into *data (caller frees; NUL-terminated, not counted
 * in *len). SS_ENOINPUT when it does not exist, SS_EIO when it cannot be read. */
int ss_file_read(const char *path, char **data, size_t *len);

/* Lowercase hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void ss_hex_encode(char *out, const unsigned char *in, size_t n);
/* Parse 2n hex digits into n bytes; 0 or SS_EDATA. */
int ss_hex_decode(unsigned char *out, size_t n, const char *hex);

/* Lowercase RFC 4648 base32 without padding; out needs (n*8+4)/5+1 bytes. */
void ss_base32_encode(char *out, const unsigned char *in, size_t n);

/* Standard base64 with padding; out needs 4*((n+2)/3)+1 bytes. */
void ss_base64_encode(char *out, const unsigned char *in, size_t n);
/* Decode standard base64 (padding required, no whitespace); returns the
 * decoded length or -1 when malformed or longer than cap. */
long ss_base64_decode(unsigned char *out, size_t cap, const char *in, size_t n);

/* Free n strings and the array holding them (NULL is a no-op). */
void ss_strv_free(char **v, size_t n);

#endif
