/*
 * fold.c - the Unicode folding of names (see fold.h), with utf8proc.
 *
 * utf8proc_map() would do the first step in one call, but it allocates its
 * own buffers and frees them unwiped; a name must not be left in freed heap.
 * So the same steps are taken here through buffers we wipe: decomposition
 * with utf8proc_map()'s options into a code point buffer (on the stack for
 * any ordinary name), recomposition (NFC) in place, then letters kept and
 * every other run turned into one space.
 *
 * Text all in ASCII takes a shorter road to the same bytes: no ASCII
 * character has a compatibility decomposition or a mark, case folding lowers
 * A-Z only, and the letters among them are A-Z and a-z. The redaction folds
 * every word of the grounds, so this is most of the folding an import does.
 */
#include "fold.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "crypto.h"
#include "error.h"

#define STACK_CPS 256

static const utf8proc_option_t fold_opts =
    UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;

bool ss_fold_is_letter(unsigned long cp)
{
	utf8proc_category_t k;

	if (cp > 0x10FFFF)
		return false;
	k = utf8proc_category((utf8proc_int32_t)cp);
	return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static int fold_error(utf8proc_ssize_t r)
{
	if (r == UTF8PROC_ERROR_NOMEM || r == UTF8PROC_ERROR_OVERFLOW)
		return ss_error_nomem();
	return ss_error_set(SS_EDATA, _("a name is not valid UTF-8"));
}

/* The fold of s when it is all ASCII, or -1 when it is not (out is then
 * partly written, and the caller folds it the long way). */
static ssize_t fold_ascii(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, olen = 0;
	bool space = false;

	for (i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];

		if (b >= 0x80)
			return -1;
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		else if (b < 'a' || b > 'z') {
			space = olen > 0;
			continue;
		}
		if (space) {
			if (olen < cap)
				out[olen] = ' ';
			olen++;
			space = false;
		}
		if (olen < cap)
			out[olen] = (char)b;
		olen++;
	}
	return (ssize_t)olen;
}

ssize_t ss_fold_name(const char *s, size_t n, char *out, size_t cap)
{
	utf8proc_int32_t stack[STACK_CPS], *cps = stack;
	utf8proc_ssize_t want, got, i;
	size_t olen = 0, have = STACK_CPS;
	bool space = false;
	ssize_t ret;

	if (n > (size_t)SSIZE_MAX / 8)
		return ss_error_nomem();
	if ((ret = fold_ascii(s, n, out, cap)) >= 0)
		return ret;
	for (;;) {
		want = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, cps,
		                          (utf8proc_ssize_t)have, fold_opts);
		if (want < 0) {
			ret = fold_error(want);
			goto out;
		}
		if ((size_t)want <= have)
			break;
		/* A long text: a heap buffer, wiped like the stack one. */
		if (cps != stack) {
			ss_memzero(cps, have * sizeof *cps);
			free(cps);
		}
		have = (size_t)want;
		if ((cps = malloc(have * sizeof *cps)) == NULL) {
			cps = stack;
			have = STACK_CPS;
			ret = ss_error_nomem();
			goto out;
		}
	}
	got = utf8proc_normalize_utf32(cps, want, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (got < 0) {
		ret = fold_error(got);
		goto out;
	}
	for (i = 0; i < got; i++) {
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t k;

		if (!ss_fold_is_letter((unsigned long)cps[i])) {
			space = olen > 0;
			continue;
		}
		if (space) {
			if (olen < cap)
				out[olen] = ' ';
			olen++;
			space = false;
		}
		k = utf8proc_encode_char(cps[i], enc);
		if (olen + (size_t)k <= cap)
			memcpy(out + olen, enc, (size_t)k);
		olen += (size_t)k;
		ss_memzero(enc, sizeof enc);
	}
	ret = (ssize_t)olen;
out:
	ss_memzero(cps, have * sizeof *cps);
	if (cps != stack)
		free(cps);
	return ret;
}
