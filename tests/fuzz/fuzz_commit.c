/*
 * libFuzzer target: verify's reading of raw git objects (audit/git/parse.c).
 * The same bytes go through the commit splitter (where the signature is and
 * what it signs, as git verify-commit takes them) and the tree reader (modes,
 * order, duplicates), each tree entry's name through the trail's layout as
 * verify checks it. Beyond "no crash", the spans handed back must lie inside
 * the input and split it exactly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "trail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_entry(void *ctx, const struct ss_git_tree_entry *e)
{
	const uint8_t *end = ctx;
	char path[300] = "months/2019-06/verdicts/ab/";
	size_t base = strlen(path), n = e->name_len < 200 ? e->name_len : 200;
	struct ss_layout_path l;

	if ((const uint8_t *)e->name + e->name_len > end || e->id + 20 > end)
		abort();
	memcpy(path + base, e->name, n);
	path[base + n] = '\0';
	if (memchr(path, '\0', base + n) == path + base + n) {
		if (e->is_tree)
			(void)ss_layout_dir_valid(path);
		else
			ss_layout_classify(path, &l);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *raw = (const char *)data, *end = raw + size;
	struct ss_git_sigsplit sp;
	struct ss_git_tree_problem why;

	if (ss_git_split_signature(raw, size, &sp)) {
		if (sp.problem != NULL || sp.sig[0] < raw || sp.sig[1] > end ||
		    sp.sig[0] >= sp.sig[1] || sp.before < raw || sp.after > end ||
		    sp.before > sp.sig[0] || sp.after != sp.sig[1] ||
		    memcmp(sp.before, "gpgsig ", 7) != 0)
			abort();
	} else if (sp.sig[0] != NULL || sp.before != end || sp.after != end) {
		abort();
	}
	if (ss_git_tree_parse(data, size, on_entry, (void *)(data + size), &why) == 1 &&
	    why.why == NULL)
		abort();
	return 0;
}
