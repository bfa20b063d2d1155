/*
 * fold.h - the Unicode folding of names (DESIGN.md section 4), shared by the
 * subject pseudonym (v2) and the redaction of the subject's name: Unicode
 * compatibility decomposition, full case folding, marks stripped, recomposed
 * (NFC), every run of code points that are not letters (general category L*)
 * one space, trimmed. So "SIÂN", "Siân" (composed or decomposed) and "Sian"
 * fold alike, and so do "ИВАН" and "иван", "STRAUSS" and "Strauß".
 *
 * The only includer of utf8proc.h. Ownership: nothing is kept; every scratch
 * buffer holding code points of the text is wiped before it is released,
 * since the text is often a person's name.
 */
#ifndef SS_FOLD_H
#define SS_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Fold s[0..n) (UTF-8) into out[0..cap) as UTF-8, not NUL-terminated.
 * Returns the folded length in bytes (0 when s has no letter), which may be
 * more than cap: then out holds only a part and the caller asks again with
 * room enough. A negative SS_E* code on error: SS_EDATA when s is not valid
 * UTF-8, SS_ENOMEM.
 */
ssize_t ss_fold_name(const char *s, size_t n, char *out, size_t cap);

/* Is the code point a letter (general category L*)? */
bool ss_fold_is_letter(unsigned long cp);

#endif
