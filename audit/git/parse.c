/*
 * parse.c - the raw bytes of commits and trees, read as stock git reads
 * them, so that verify checks what `git verify-commit`, `git show` and
 * `git fsck` see: where a commit's signature is and what it signs, and what
 * a tree holds. Pure functions over a buffer (no repository), so a fuzzer
 * can drive them directly.
 */
#include "git_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

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

void ss_git_tree_index_release(struct ss_git_tree_index *ix)
{
	free(ix->at);
	memset(ix, 0, sizeof(*ix));
}

static int index_push(struct ss_git_tree_index *ix, size_t at)
{
	int err = ss_array_room((void **)&ix->at, &ix->cap, ix->n, sizeof(*ix->at), 64);

	if (err == 0)
		ix->at[ix->n++] = at;
	return err;
}

struct ss_git_tree_entry ss_git_tree_entry_at(const unsigned char *raw, size_t at)
{
	const char *p = (const char *)raw + at, *sp = strchr(p, ' ');
	struct ss_git_tree_entry e;

	e.is_tree = sp - p == 5;
	e.name = sp + 1;
	e.name_len = strlen(e.name);
	e.id = (const unsigned char *)e.name + e.name_len + 1;
	return e;
}

/* Does b's name start with a's, followed by a byte that sorts before '/'? (The
 * names that sort between a file named a and a directory named a.) */
static bool sorts_between(const struct ss_git_tree_entry *a, const struct ss_git_tree_entry *b)
{
	return b->name_len > a->name_len && memcmp(b->name, a->name, a->name_len) == 0 &&
	       (unsigned char)b->name[a->name_len] < '/';
}

/* A file and a directory of one name are not side by side in git's order
 * (only names that sort between them can part them): is there a file named
 * as the directory e (the ix->n'th entry), before it? */
static bool file_before(const unsigned char *raw, const struct ss_git_tree_index *ix,
                        const struct ss_git_tree_entry *e)
{
	size_t i = ix->n;

	while (i-- > 0) {
		struct ss_git_tree_entry f = ss_git_tree_entry_at(raw, ix->at[i]);

		if (f.name_len == e->name_len && memcmp(f.name, e->name, e->name_len) == 0)
			return !f.is_tree;
		if (!sorts_between(e, &f))
			return false;
	}
	return false;
}

size_t ss_git_shared_head(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i = 0;

	while (i + 64 <= n && memcmp(a + i, b + i, 64) == 0)
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

size_t ss_git_shared_tail(const unsigned char *a, size_t la, const unsigned char *b, size_t lb)
{
	size_t n = la < lb ? la : lb, i = 0;

	while (i + 64 <= n && memcmp(a + la - i - 64, b + lb - i - 64, 64) == 0)
		i += 64;
	while (i < n && a[la - i - 1] == b[lb - i - 1])
		i++;
	return i;
}

/* The first entry of an index that starts at `at`, or SIZE_MAX. */
static size_t index_find(const struct ss_git_tree_index *ix, size_t at)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->at[mid] < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && ix->at[lo] == at ? lo : SIZE_MAX;
}

/* One entry at p as git fsck reads it: 0, or 1 with problem->why. */
static int read_entry(const char *p, const char *end, struct ss_git_tree_entry *e,
                      struct ss_git_tree_problem *problem)
{
	const char *sp = memchr(p, ' ', (size_t)(end - p)), *nul;

	memset(e, 0, sizeof(*e));
	if (sp == NULL || (nul = memchr(sp + 1, '\0', (size_t)(end - sp - 1))) == NULL ||
	    (size_t)(end - nul - 1) < GIT_OID_RAWSZ) {
		problem->why = "the directory's entries are cut short";
		return 1;
	}
	e->name = sp + 1;
	e->name_len = (size_t)(nul - e->name);
	e->id = (const unsigned char *)nul + 1;
	problem->name = e->name;
	problem->name_len = e->name_len;
	/* Exactly the modes git writes for a plain file and a directory. */
	if ((size_t)(sp - p) == 6 && memcmp(p, "100644", 6) == 0) {
		e->is_tree = false;
	} else if ((size_t)(sp - p) == 5 && memcmp(p, "40000", 5) == 0) {
		e->is_tree = true;
	} else {
		problem->why = (size_t)(sp - p) == 6 && memcmp(p, "100755", 6) == 0
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
		return 1;
	}
	if (e->name_len == 0 || memchr(e->name, '/', e->name_len) != NULL ||
	    name_is(e->name, e->name_len, ".") || name_is(e->name, e->name_len, "..") ||
	    name_is_dotgit(e->name, e->name_len)) {
		problem->why = "a name git fsck refuses (empty, '.', '..', '.git' or with a "
		               "'/')";
		return 1;
	}
	return 0;
}

/* e after prev (NULL: none) in git's order, and not a second of its name. */
static int in_order(const struct ss_git_tree_entry *prev, const struct ss_git_tree_entry *e,
                    struct ss_git_tree_problem *problem)
{
	int c;

	if (prev == NULL)
		return 0;
	c = name_cmp(prev->name, prev->name_len, prev->is_tree, e->name, e->name_len, e->is_tree);
	if (c == 0) {
		problem->why = "the name is in the directory twice (git fsck: "
		               "duplicateEntries); stock git shows only one of them";
		return 1;
	}
	if (c > 0) {
		problem->why = "the directory's entries are not in git's order (git "
		               "fsck: treeNotSorted)";
		return 1;
	}
	return 0;
}

static void problem_at(struct ss_git_tree_problem *problem, const struct ss_git_tree_entry *e,
                       const char *why)
{
	problem->why = why;
	problem->name = e->name;
	problem->name_len = e->name_len;
}

#define TWICE                                                                                      \
	"the name is in the directory twice, as a file and as a directory (git fsck: "             \
	"duplicateEntries)"

/*
 * The entries of old that raw ends with, from old's entry `from` (at raw's
 * offset x): joined to the entry before them (prev) in order, and no file
 * among raw's entries read (the ix->n - `read` before x) named as a
 * directory among them. 0, or 1 with the problem.
 */
static int join_tail(const unsigned char *raw, size_t len, size_t old_len,
                     const struct ss_git_tree_index *old_ix, size_t from,
                     const struct ss_git_tree_entry *prev, const struct ss_git_tree_index *ix,
                     size_t read, struct ss_git_tree_problem *problem)
{
	/* old's entry i, read where raw has the same bytes */
#define TAIL(i) ss_git_tree_entry_at(raw, old_ix->at[i] + len - old_len)
	struct ss_git_tree_entry first = TAIL(from), twice;
	size_t i, k, n = ix->n + (old_ix->n - from), found = SIZE_MAX;

	if (in_order(prev, &first, problem) != 0) {
		problem_at(problem, &first, problem->why);
		return 1;
	}
	for (i = ix->n - read; i < ix->n; i++) {
		struct ss_git_tree_entry f = ss_git_tree_entry_at(raw, ix->at[i]);

		for (k = i + 1; !f.is_tree && k < n && k < found; k++) {
			struct ss_git_tree_entry g = k < ix->n
			                                 ? ss_git_tree_entry_at(raw, ix->at[k])
			                                 : TAIL(from + k - ix->n);

			if (g.name_len == f.name_len && memcmp(g.name, f.name, f.name_len) == 0) {
				if (g.is_tree && k >= ix->n) {
					found = k; /* the first such directory is the one told */
					twice = g;
				}
				continue;
			}
			if (!sorts_between(&f, &g))
				break;
		}
	}
	if (found == SIZE_MAX)
		return 0;
	problem_at(problem, &twice, TWICE);
	return 1;
#undef TAIL
}

int ss_git_tree_parse_since(const unsigned char *raw, size_t len, const unsigned char *old,
                            size_t old_len, const struct ss_git_tree_index *old_ix,
                            ss_git_tree_fn fn, void *ctx, struct ss_git_tree_problem *problem,
                            struct ss_git_tree_index *ix, struct ss_git_tree_since *since)
{
	const char *p = (const char *)raw, *end = p + len;
	struct ss_git_tree_index own = {NULL, 0, 0};
	struct ss_git_tree_entry e, prev;
	bool has_prev = false;
	size_t head = 0, tail = 0, read = 0, i;
	int rc = 0;

	memset(problem, 0, sizeof(*problem));
	if (ix == NULL)
		ix = &own;
	ix->n = 0;
	since->head = 0;
	since->tail = old_ix != NULL ? old_ix->n : 0;
	if (old != NULL && old_ix != NULL) {
		size_t n = len < old_len ? len : old_len, same = ss_git_shared_head(raw, old, n),
		       lo = 0, hi = old_ix->n;

		/* head: the most of old's entries that end within the bytes shared. */
		while (lo < hi) {
			size_t mid = lo + (hi - lo + 1) / 2;
			size_t ends = mid < old_ix->n ? old_ix->at[mid] : old_len;

			if (ends <= same)
				lo = mid;
			else
				hi = mid - 1;
		}
		head = lo;
		tail = ss_git_shared_tail(raw, len, old, old_len);
		for (i = 0; i < head; i++)
			if ((rc = index_push(ix, old_ix->at[i])) < 0)
				goto out;
		if (head > 0) {
			prev = ss_git_tree_entry_at(raw, old_ix->at[head - 1]); /* the same bytes */
			has_prev = true;
		}
		since->head = head;
		p += head < old_ix->n ? old_ix->at[head] : old_len;
	}
	while (p < end) {
		size_t at = (size_t)(p - (const char *)raw);

		/* The rest is old's last entries, byte for byte, from an entry's start? */
		if (old_ix != NULL && at >= len - tail && at + old_len >= len) {
			size_t from = index_find(old_ix, at + old_len - len);

			if (from != SIZE_MAX) {
				if ((rc = join_tail(raw, len, old_len, old_ix, from,
				                    has_prev ? &prev : NULL, ix, read, problem)) !=
				    0)
					goto out;
				for (i = from; i < old_ix->n; i++)
					if ((rc = index_push(ix, old_ix->at[i] + len - old_len)) <
					    0)
						goto out;
				since->tail = from;
				problem->name = NULL;
				problem->name_len = 0;
				goto out;
			}
		}
		if ((rc = read_entry(p, end, &e, problem)) != 0 ||
		    (rc = in_order(has_prev ? &prev : NULL, &e, problem)) != 0)
			goto out;
		if (e.is_tree && file_before(raw, ix, &e)) {
			problem->why = TWICE;
			rc = 1;
			goto out;
		}
		if (fn != NULL && (rc = fn(ctx, &e)) != 0)
			goto out;
		if ((rc = index_push(ix, at)) < 0)
			goto out;
		read++;
		prev = e;
		has_prev = true;
		p = (const char *)e.id + GIT_OID_RAWSZ;
	}
	if (old_ix != NULL) {
		since->tail = old_ix->n; /* nothing of old at the end */
	}
	problem->name = NULL;
	problem->name_len = 0;
out:
	ss_git_tree_index_release(&own);
	return rc;
}

int ss_git_tree_parse(const unsigned char *raw, size_t len, ss_git_tree_fn fn, void *ctx,
                      struct ss_git_tree_problem *problem)
{
	struct ss_git_tree_since since;

	return ss_git_tree_parse_since(raw, len, NULL, 0, NULL, fn, ctx, problem, NULL, &since);
}
