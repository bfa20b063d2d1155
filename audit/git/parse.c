/*
 * parse.c - the raw bytes of commits and trees, read as stock git reads
 * them, so that verify checks what `git verify-commit`, `git show` and
 * `git fsck` see: where a commit's signature is and what it signs, and what
 * a tree holds. Pure functions over a buffer (no repository), so a fuzzer
 * can drive them directly.
 */
#include "git_int.h"

#include <string.h>

#include "error.h"
#include "map.h"

static bool starts(const char *p, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

/* The end of the line at p (after its '\n', or end). */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl != NULL ? nl + 1 : end;
}

bool ss_git_split_signature(const char *raw, size_t len, struct ss_git_sigsplit *o)
{
	const char *p = raw, *end = raw + len, *body = NULL;

	memset(o, 0, sizeof(*o));
	o->before = o->after = end;
	/* The header block: git stops looking for a signature at the first
	 * blank line. */
	while (p < end) {
		const char *next = line_end(p, end);

		if (*p == '\n') {
			body = next;
			break;
		}
		if (starts(p, end, "gpgsig ")) {
			if (o->found) {
				o->problem = "the commit has two signature headers (gpgsig); git "
				             "would join them into one that cannot be checked";
				break;
			}
			o->found = true;
			o->before = p;
			o->sig[0] = p + strlen("gpgsig ");
			while (next < end && *next == ' ')
				next = line_end(next, end);
			o->sig[1] = o->after = next;
		} else if (starts(p, end, "gpgsig")) {
			o->problem = "the commit has a signature header other than gpgsig (such as "
			             "gpgsig-sha256), which git leaves out of what it checks";
			break;
		}
		p = next;
	}
	/* A signature anywhere else is one git does not see: the commit would
	 * show as unsigned, or signed over other bytes, to an auditor. */
	for (p = body; o->problem == NULL && p != NULL && p < end; p = line_end(p, end)) {
		if (starts(p, end, "gpgsig") || starts(p, end, "-----BEGIN SSH SIGNATURE") ||
		    starts(p, end, "-----BEGIN PGP SIGNATURE"))
			o->problem =
			    "the commit message holds a signature, where git does not look "
			    "for one";
	}
	if (o->found && o->sig[1] - o->sig[0] <= 1)
		o->problem = "the commit's signature header is empty";
	if (o->problem != NULL) {
		o->found = false;
		o->sig[0] = o->sig[1] = NULL;
		o->before = o->after = end;
	}
	return o->found;
}

/* ------------------------------------------------------------------ trees */

/* git's order of tree entries: a directory sorts as if its name ended in '/'. */
static int name_cmp(const char *a, size_t la, bool ta, const char *b, size_t lb, bool tb)
{
	size_t n = la < lb ? la : lb;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c != 0)
		return c;
	ca = n < la ? (unsigned char)a[n] : ta ? (unsigned char)'/' : 0;
	cb = n < lb ? (unsigned char)b[n] : tb ? (unsigned char)'/' : 0;
	return (int)ca - (int)cb;
}

static bool name_is(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static bool name_is_dotgit(const char *s, size_t n)
{
	static const char g[] = ".git";
	size_t i;

	if (n != 4)
		return false;
	for (i = 0; i < 4; i++)
		if ((s[i] | 0x20) != g[i] && s[i] != g[i])
			return false;
	return true;
}

int ss_git_tree_parse(const unsigned char *raw, size_t len, ss_git_tree_fn fn, void *ctx,
                      struct ss_git_tree_problem *problem)
{
	const char *p = (const char *)raw, *end = p + len;
	const char *prev = NULL;
	size_t prev_len = 0;
	bool prev_tree = false;
	struct ss_map *files = NULL; /* names of the files, to find a directory of the same name */
	int rc = 0;

	memset(problem, 0, sizeof(*problem));
	while (p < end) {
		struct ss_git_tree_entry e;
		const char *sp = memchr(p, ' ', (size_t)(end - p)), *nul;

		memset(&e, 0, sizeof(e));
		if (sp == NULL || (nul = memchr(sp + 1, '\0', (size_t)(end - sp - 1))) == NULL ||
		    (size_t)(end - nul - 1) < GIT_OID_RAWSZ) {
			problem->why = "the directory's entries are cut short";
			rc = 1;
			goto out;
		}
		e.name = sp + 1;
		e.name_len = (size_t)(nul - e.name);
		e.id = (const unsigned char *)nul + 1;
		problem->name = e.name;
		problem->name_len = e.name_len;
		/* Exactly the modes git writes for a plain file and a directory. */
		if ((size_t)(sp - p) == 6 && memcmp(p, "100644", 6) == 0) {
			e.is_tree = false;
		} else if ((size_t)(sp - p) == 5 && memcmp(p, "40000", 5) == 0) {
			e.is_tree = true;
		} else {
			problem->why =
			    (size_t)(sp - p) == 6 && memcmp(p, "100755", 6) == 0
			        ? "an executable file (mode 100755); a trail holds only "
			          "plain files (100644) and directories"
			    : (size_t)(sp - p) == 6 && memcmp(p, "120000", 6) == 0
			        ? "a symbolic link (mode 120000); a trail holds only plain "
			          "files (100644) and directories"
			    : (size_t)(sp - p) == 6 && memcmp(p, "160000", 6) == 0
			        ? "a submodule (mode 160000); a trail holds only plain "
			          "files (100644) and directories"
			        : "an entry of a mode git does not write for a plain file "
			          "(100644) or a directory (40000)";
			rc = 1;
			goto out;
		}
		if (e.name_len == 0 || memchr(e.name, '/', e.name_len) != NULL ||
		    name_is(e.name, e.name_len, ".") || name_is(e.name, e.name_len, "..") ||
		    name_is_dotgit(e.name, e.name_len)) {
			problem->why =
			    "a name git fsck refuses (empty, '.', '..', '.git' or with a "
			    "'/')";
			rc = 1;
			goto out;
		}
		if (prev != NULL) {
			int c = name_cmp(prev, prev_len, prev_tree, e.name, e.name_len, e.is_tree);

			if (c == 0) {
				problem->why =
				    "the name is in the directory twice (git fsck: "
				    "duplicateEntries); stock git shows only one of them";
				rc = 1;
				goto out;
			}
			if (c > 0) {
				problem->why =
				    "the directory's entries are not in git's order (git "
				    "fsck: treeNotSorted)";
				rc = 1;
				goto out;
			}
		}
		/* A file and a directory of one name do not sit side by side in
		 * git's order, so look the name up among the files seen. */
		if (files == NULL && (rc = ss_map_new(&files, SS_MAP_COPY_KEYS, NULL)) < 0)
			goto out;
		if (e.is_tree) {
			if (ss_map_get(files, e.name, e.name_len) != NULL) {
				problem->why =
				    "the name is in the directory twice, as a file and as a "
				    "directory (git fsck: duplicateEntries)";
				rc = 1;
				goto out;
			}
		} else {
			union ss_map_value *v;

			if ((rc = ss_map_put(files, e.name, e.name_len, &v, NULL)) < 0)
				goto out;
		}
		if (fn != NULL && (rc = fn(ctx, &e)) != 0)
			goto out;
		prev = e.name;
		prev_len = e.name_len;
		prev_tree = e.is_tree;
		p = (const char *)e.id + GIT_OID_RAWSZ;
	}
	problem->name = NULL;
	problem->name_len = 0;
out:
	ss_map_free(files);
	return rc;
}
