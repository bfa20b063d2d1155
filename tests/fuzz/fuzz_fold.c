/*
 * fuzz_fold.c - libFuzzer target for the Unicode folding of names (fold.h)
 * and the redaction that uses it: any bytes as a name, as grounds, and as
 * free text. Checks what must hold for every input: the folded name is
 * valid UTF-8 with no space at either end or two in a row, asking with a
 * smaller buffer gives the same length, and folding is idempotent.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "fold.h"
#include "pseudonym.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct ss_buf out = SS_BUF_INIT;
	char *a = NULL, *b = NULL, small[8];
	ssize_t n, m, k;
	size_t split = size / 3;

	n = ss_fold_name(s, size, small, sizeof small);
	if (n < 0) {
		/* only text that is not UTF-8 is refused */
		if (ss_utf8_valid(s, size, NULL))
			abort();
		ss_error_clear();
	} else {
		if ((a = malloc((size_t)n + 1)) == NULL || (b = malloc((size_t)n + 1)) == NULL)
			abort();
		m = ss_fold_name(s, size, a, (size_t)n);
		if (m != n || !ss_utf8_valid(a, (size_t)n, NULL))
			abort();
		if (n > 0 && (a[0] == ' ' || a[n - 1] == ' '))
			abort();
		for (k = 1; k < n; k++)
			if (a[k] == ' ' && a[k - 1] == ' ')
				abort();
		if (ss_fold_name(a, (size_t)n, b, (size_t)n) != n || memcmp(a, b, (size_t)n) != 0)
			abort();
	}
	/* The first third as a name, the rest as grounds; and all as free text. */
	if (ss_redact_grounds(s + split, size - split, s, split, NULL, 0, &out) != 0)
		abort();
	ss_buf_reset(&out);
	if (ss_redact_text(s, size, &out) != 0)
		abort();
	ss_buf_release(&out);
	free(a);
	free(b);
	return 0;
}
