/*
 * utf8.h - the project's one UTF-8 validator: well-formed sequences only, as
 * RFC 3629 defines them (no overlong forms, no surrogates, nothing above
 * U+10FFFF). Every reader that refuses invalid text (CSV, JSON, worksheets,
 * seeds, notes) asks here, so they all agree on what is valid.
 *
 * Ownership: nothing here allocates or keeps a pointer.
 */
#ifndef SS_UTF8_H
#define SS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The length (1 to 4) of the valid UTF-8 sequence at s[0..n), n >= 1, or 0
 * when it is not one (a stray or bad byte, or a sequence cut short). */
size_t ss_utf8_seq_len(const unsigned char *s, size_t n);

/* True when s[0..n) is valid UTF-8. On failure *bad (may be NULL) is the
 * offset of the first byte of the first bad sequence. */
bool ss_utf8_valid(const char *s, size_t n, size_t *bad);

#endif
