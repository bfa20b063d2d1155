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

#include <stdio.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_gitparse__signature_as_git_takes_it),
	    cmocka_unit_test(test_audit_gitparse__unsigned),
	    cmocka_unit_test(test_audit_gitparse__signature_elsewhere_refused),
	    cmocka_unit_test(test_audit_gitparse__tree_good),
	    cmocka_unit_test(test_audit_gitparse__tree_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
