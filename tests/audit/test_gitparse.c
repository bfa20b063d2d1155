/*
 * test_gitparse.c - audit/git reads raw commits and trees as stock git does:
 * the signature is the one gpgsig header of the header block and the payload
 * everything else, byte for byte; a second header, another kind of signature
 * header or a signature in the message is refused; trees hold only plain
 * files and folders, in git's order, each name once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trail.h"

#define HEAD                                                                                       \
	"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"                                          \
	"author A <a@example.org> 1700000000 +0000\n"                                              \
	"committer A <a@example.org> 1700000000 +0000\n"
#define SIG                                                                                        \
	"gpgsig -----BEGIN SSH SIGNATURE-----\n"                                                   \
	" U1NIU0lHAAAAAQ==\n"                                                                      \
	" -----END SSH SIGNATURE-----\n"
#define MSG "verdict: 2019-06\n\nSsaudit-Action: verdict\n"

/* The payload the split hands back: the bytes before and after the signature. */
static void payload(const char *raw, const struct ss_git_sigsplit *sp, char *out, size_t n)
{
	snprintf(out, n, "%.*s%s", (int)(sp->before - raw), raw, sp->after);
}

static void test_audit_gitparse__signature_as_git_takes_it(void **state)
{
	const char *raw = HEAD SIG "\n" MSG;
	struct ss_git_sigsplit sp;
	char got[512];

	(void)state;
	assert_true(ss_git_split_signature(raw, strlen(raw), &sp));
	assert_null(sp.problem);
	assert_int_equal(sp.sig[1] - sp.sig[0], strlen(SIG) - strlen("gpgsig "));
	assert_memory_equal(sp.sig[0], "-----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQ==\n", 48);
	payload(raw, &sp, got, sizeof(got));
	assert_string_equal(got, HEAD "\n" MSG);
}

static void test_audit_gitparse__unsigned(void **state)
{
	const char *raw = HEAD "\n" MSG;
	struct ss_git_sigsplit sp;

	(void)state;
	assert_false(ss_git_split_signature(raw, strlen(raw), &sp));
	assert_null(sp.problem);
}

/* Each way of putting a signature where git would not take it as this one. */
static void test_audit_gitparse__signature_elsewhere_refused(void **state)
{
	static const char *const bad[] = {
	    HEAD SIG SIG "\n" MSG,
	    HEAD "gpgsig-sha256 -----BEGIN SSH SIGNATURE-----\n x\n" SIG "\n" MSG,
	    HEAD "\n" MSG SIG,
	    HEAD SIG "\n" MSG "gpgsig Ssaudit-Clock: fixed\n",
	    HEAD SIG "\n" MSG "-----BEGIN SSH SIGNATURE-----\n",
	    HEAD "gpgsig \n"
	         "\n" MSG,
	};
	struct ss_git_sigsplit sp;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(ss_git_split_signature(bad[i], strlen(bad[i]), &sp));
		assert_non_null(sp.problem);
		assert_null(sp.sig[0]);
	}
	assert_false(ss_git_split_signature(bad[0], strlen(bad[0]), &sp));
	assert_non_null(strstr(sp.problem, "two signature headers"));
	assert_false(ss_git_split_signature(bad[2], strlen(bad[2]), &sp));
	assert_non_null(strstr(sp.problem, "message"));
}

/* A raw tree from "MODE NAME" entries, each with a made-up 20-byte id. */
static size_t tree(unsigned char *out, const char *const *entries, size_t n)
{
	size_t len = 0, i;

	for (i = 0; i < n; i++) {
		size_t m = strlen(entries[i]) + 1;

		memcpy(out + len, entries[i], m);
		len += m;
		memset(out + len, (int)(0x10 + i), 20);
		len += 20;
	}
	return len;
}

static int count(void *ctx, const struct ss_git_tree_entry *e)
{
	(void)e;
	++*(size_t *)ctx;
	return 0;
}

static void test_audit_gitparse__tree_good(void **state)
{
	static const char *const e[] = {"100644 allowed_signers", "40000 months",
	                                "100644 months.json",     "100644 policy.json",
	                                "40000 reviewers",        "100644 trail.json"};
	unsigned char raw[512];
	struct ss_git_tree_problem why;
	size_t n = 0, len = tree(raw, e, 6);

	(void)state;
	/* git sorts the folder "months" as "months/", after "months.json"
	 * ('.' < '/'): listed the other way round, the tree is out of order. */
	assert_int_equal(ss_git_tree_parse(raw, len, count, &n, &why), 1);
	{
		static const char *const fixed[] = {"100644 allowed_signers", "100644 months.json",
		                                    "40000 months",           "100644 policy.json",
		                                    "40000 reviewers",        "100644 trail.json"};

		len = tree(raw, fixed, 6);
		n = 0;
		assert_int_equal(ss_git_tree_parse(raw, len, count, &n, &why), 0);
		assert_int_equal(n, 6);
		assert_null(why.why);
	}
}

static void test_audit_gitparse__tree_refused(void **state)
{
	static const struct {
		const char *entries[3];
		const char *why;
	} cases[] = {
	    {{"100644 a", "100644 a", NULL}, "twice"},
	    {{"100644 a", "40000 a", NULL}, "as a file and as a directory"},
	    {{"100644 b", "100644 a", NULL}, "not in git's order"},
	    {{"100755 a", NULL, NULL}, "executable"},
	    {{"120000 a", NULL, NULL}, "symbolic link"},
	    {{"160000 a", NULL, NULL}, "submodule"},
	    {{"040000 a", NULL, NULL}, "mode"},
	    {{"100644 .git", NULL, NULL}, "fsck refuses"},
	    {{"100644 ..", NULL, NULL}, "fsck refuses"},
	};
	unsigned char raw[512];
	struct ss_git_tree_problem why;
	size_t i, k, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < 3 && cases[i].entries[k] != NULL; k++)
			;
		len = tree(raw, cases[i].entries, k);
		assert_int_equal(ss_git_tree_parse(raw, len, NULL, NULL, &why), 1);
		assert_non_null(strstr(why.why, cases[i].why));
	}
	/* cut short: the id of the last entry incomplete */
	len = tree(raw, cases[0].entries, 1);
	assert_int_equal(ss_git_tree_parse(raw, len - 1, NULL, NULL, &why), 1);
	assert_non_null(strstr(why.why, "cut short"));
}

/* ------------------------------------------- a parse since another version */

/* An entry of a made-up tree: its name, kind and id byte. */
struct ent {
	char name[8];
	bool dir;
	unsigned char id;
};

static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/* Names over a few bytes around '/' in order ('-' and '.' sort before it, so
 * a file and a directory of one name can be apart), one to three long. */
static void rnd_name(char *out)
{
	static const char a[] = "-.0ab";
	size_t n = 1 + rnd(3), i;

	for (i = 0; i < n; i++)
		out[i] = a[rnd(sizeof(a) - 1)];
	out[n] = '\0';
}

static size_t raw_of(unsigned char *out, const struct ent *e, size_t n)
{
	size_t len = 0, i;

	for (i = 0; i < n; i++) {
		len += (size_t)sprintf((char *)out + len, "%s %s", e[i].dir ? "40000" : "100644",
		                       e[i].name) +
		       1;
		memset(out + len, e[i].id, 20);
		len += 20;
	}
	return len;
}

static int git_order(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;
	char ka[10], kb[10];

	snprintf(ka, sizeof(ka), "%s%s", a->name, a->dir ? "/" : "");
	snprintf(kb, sizeof(kb), "%s%s", b->name, b->dir ? "/" : "");
	return strcmp(ka, kb);
}

struct seen {
	const char *name[64];
	size_t n;
};

static int note(void *ctx, const struct ss_git_tree_entry *e)
{
	struct seen *s = ctx;

	s->name[s->n++] = e->name;
	return 0;
}

/* Against many random pairs (a good tree, then one edit or a few: an id, an
 * entry added, dropped, renamed, moved or doubled), the parse since the old
 * version finds what a whole parse finds, the same problem at the same entry,
 * the same starts, and gives fn exactly the entries between the shared ones. */
static void test_audit_gitparse__since_is_a_whole_parse(void **state)
{
	size_t iter, good = 0, bad = 0, seams = 0;

	(void)state;
	for (iter = 0; iter < 40000; iter++) {
		struct ent old[24], cur[26];
		unsigned char oraw[1024], raw[1024];
		struct ss_git_tree_index oix = {NULL, 0, 0}, ix = {NULL, 0, 0}, wix = {NULL, 0, 0};
		struct ss_git_tree_problem w, p;
		struct ss_git_tree_since since, none;
		struct seen ws = {{NULL}, 0}, ps = {{NULL}, 0};
		size_t on = 0, n, olen, len, i, edits;
		int wrc, prc;

		for (i = 0, n = 1 + rnd(20); i < n; i++) {
			size_t k;

			rnd_name(old[on].name);
			for (k = 0; k < on && strcmp(old[k].name, old[on].name) != 0; k++)
				;
			if (k < on || strcmp(old[on].name, ".") == 0 ||
			    strcmp(old[on].name, "..") == 0)
				continue; /* a good old tree: each name once, none git refuses */
			old[on].dir = rnd(2) == 0;
			old[on].id = (unsigned char)rnd(256);
			on++;
		}
		qsort(old, on, sizeof(old[0]), git_order);
		olen = raw_of(oraw, old, on);
		assert_int_equal(
		    ss_git_tree_parse_since(oraw, olen, NULL, 0, NULL, NULL, NULL, &w, &oix, &none),
		    0);
		memcpy(cur, old, sizeof(old[0]) * on);
		n = on;
		for (edits = 1 + rnd(2); edits > 0; edits--) {
			size_t at = rnd((uint32_t)n + 1), from = n ? rnd((uint32_t)n) : 0;

			switch (rnd(6)) {
			case 0: /* a new id */
				if (n > 0)
					cur[from].id = (unsigned char)(cur[from].id + 1);
				break;
			case 1: /* an entry added, anywhere */
				if (n < 25) {
					memmove(cur + at + 1, cur + at, (n - at) * sizeof(cur[0]));
					rnd_name(cur[at].name);
					cur[at].dir = rnd(2) == 0;
					cur[at].id = (unsigned char)rnd(256);
					n++;
				}
				break;
			case 2: /* one dropped */
				if (n > 0) {
					memmove(cur + from, cur + from + 1,
					        (n - from - 1) * sizeof(cur[0]));
					n--;
				}
				break;
			case 3: /* renamed, or made the other kind */
				if (n > 0) {
					if (rnd(2))
						rnd_name(cur[from].name);
					else
						cur[from].dir = !cur[from].dir;
				}
				break;
			case 4: /* doubled */
				if (n > 0 && n < 25) {
					memmove(cur + from + 1, cur + from,
					        (n - from) * sizeof(cur[0]));
					n++;
				}
				break;
			default: /* an added entry put in its place */
				if (n < 25) {
					rnd_name(cur[n].name);
					cur[n].dir = rnd(2) == 0;
					cur[n].id = (unsigned char)rnd(256);
					n++;
					if (rnd(4))
						qsort(cur, n, sizeof(cur[0]), git_order);
				}
				break;
			}
		}
		len = raw_of(raw, cur, n);
		wrc = ss_git_tree_parse_since(raw, len, NULL, 0, NULL, note, &ws, &w, &wix, &none);
		prc =
		    ss_git_tree_parse_since(raw, len, oraw, olen, &oix, note, &ps, &p, &ix, &since);
		assert_int_equal(prc, wrc);
		if (wrc == 0) {
			good++;
			seams += since.head > 0 && since.tail < on;
			assert_null(p.why);
			assert_int_equal(ix.n, wix.n);
			assert_memory_equal(ix.at, wix.at, ix.n * sizeof(ix.at[0]));
			/* fn saw the entries between the shared ones, and only those */
			assert_int_equal(ps.n, ix.n - since.head - (on - since.tail));
			for (i = 0; i < ps.n; i++)
				assert_ptr_equal(ps.name[i], ws.name[since.head + i]);
		} else {
			bad++;
			assert_string_equal(p.why, w.why);
			assert_int_equal(p.name_len, w.name_len);
			assert_ptr_equal(p.name, w.name);
		}
		ss_git_tree_index_release(&oix);
		ss_git_tree_index_release(&ix);
		ss_git_tree_index_release(&wix);
	}
	/* both kinds were met many times */
	assert_true(good > 5000);
	assert_true(bad > 5000);
	assert_true(seams > 1000); /* shared entries on both sides of a change */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_gitparse__signature_as_git_takes_it),
	    cmocka_unit_test(test_audit_gitparse__unsigned),
	    cmocka_unit_test(test_audit_gitparse__signature_elsewhere_refused),
	    cmocka_unit_test(test_audit_gitparse__tree_good),
	    cmocka_unit_test(test_audit_gitparse__tree_refused),
	    cmocka_unit_test(test_audit_gitparse__since_is_a_whole_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
