/*
 * Tests of the verdict model: verdict, correction, waiver and sign-off files
 * written with stable bytes and read back strictly (each refusal names what
 * is wrong), a month's state loaded from commits of a real (bare) trail, and
 * a record's current values after a chain of corrections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "policy.h"
#include "trail.h"
#include "verdict.h"
#include "layout.h"
#include "month.h"

#define ID1 "R-aaaaaaaaaaaaaaaa"
#define ID2 "R-bbbbbbbbbbbbbbbb"
#define ID3 "R-ab2345ab2345ab23"

static const char *policy_json =
    "{\"format\":\"ssaudit-policy-v1\",\"name\":\"t\",\"sample\":{\"rate\":\"25%\","
    "\"strata\":[],\"always\":[]},\"roles\":{\"coordinator\":{\"may\":[\"sample\"]},"
    "\"qa-panel\":{\"may\":[\"review\"],\"reviews\":\"all\"}},"
    "\"verdict\":[{\"id\":\"grounds\",\"question\":\"q\",\"values\":[\"reasonable\","
    "\"not-reasonable\"],\"required\":true},{\"id\":\"conduct\",\"question\":\"q\","
    "\"values\":[\"fair\",\"concerns\"],\"required\":true},{\"id\":\"record\","
    "\"question\":\"q\",\"values\":[\"complete\",\"incomplete\"],\"required\":false}],"
    "\"outcomes\":{\"positive\":[\"Arrest\"]},\"fields\":{\"officer\":\"kept\"}}";

static struct ss_policy *load_policy(void)
{
	struct ss_policy *p = NULL;

	assert_int_equal(ss_policy_parse(policy_json, strlen(policy_json), "test", &p), 0);
	return p;
}

static void assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("'%s' does not contain '%s'", hay, needle);
}

/* ---- verdicts ---- */

static void test_audit_verdict__paths_are_sharded(void **state)
{
	char p[256];

	(void)state;
	ss_layout_verdict(p, sizeof(p), "2019-06", ID3, "qa-panel", "jdoe");
	assert_string_equal(p, "months/2019-06/verdicts/ab/" ID3 "/qa-panel.jdoe.json");
	assert_true(ss_layout_correction(p, sizeof(p), "2019-06", ID3, 1));
	assert_string_equal(p, "months/2019-06/corrections/ab/" ID3 "/0001.json");
	assert_true(ss_layout_correction(p, sizeof(p), "2019-06", ID3, 12));
	assert_string_equal(p, "months/2019-06/corrections/ab/" ID3 "/0012.json");
	assert_false(ss_layout_correction(p, sizeof(p), "2019-06", ID3, 0));
	assert_false(ss_layout_correction(p, sizeof(p), "2019-06", ID3, 10000));
	ss_layout_waiver(p, sizeof(p), "2019-06", ID3);
	assert_string_equal(p, "months/2019-06/waivers/ab/" ID3 ".json");
}

static void test_audit_verdict__bytes_are_stable_and_in_policy_order(void **state)
{
	struct ss_policy *pol = load_policy();
	/* Given out of order: the file lists them as the policy does. */
	struct ss_answer ans[] = {
	    {"record", "complete"}, {"conduct", "fair"}, {"grounds", "reasonable"}};
	struct ss_verdict v = {"2019-06", ID1, "qa-panel", "jdoe",
	                       "sec",     ans, 3,          "Saw \"the\" video"};
	struct ss_buf b = SS_BUF_INIT;

	(void)state;
	assert_int_equal(ss_verdict_to_json(&v, pol, &b), 0);
	assert_string_equal(b.data, "{\n"
	                            "  \"month\": \"2019-06\",\n"
	                            "  \"id\": \"" ID1 "\",\n"
	                            "  \"role\": \"qa-panel\",\n"
	                            "  \"reviewer\": \"jdoe\",\n"
	                            "  \"entered_by\": \"sec\",\n"
	                            "  \"answers\": {\n"
	                            "    \"grounds\": \"reasonable\",\n"
	                            "    \"conduct\": \"fair\",\n"
	                            "    \"record\": \"complete\"\n"
	                            "  },\n"
	                            "  \"note\": \"Saw \\\"the\\\" video\"\n"
	                            "}\n");
	ss_buf_release(&b);
	ss_policy_free(pol);
}

static void test_audit_verdict__round_trip(void **state)
{
	struct ss_policy *pol = load_policy();
	struct ss_answer ans[] = {{"grounds", "not-reasonable"}, {"conduct", "concerns"}};
	struct ss_verdict v = {"2019-06", ID1, "qa-panel", "jdoe", "jdoe", ans, 2, NULL}, back;
	struct ss_buf b = SS_BUF_INIT, b2 = SS_BUF_INIT;
	char path[256];

	(void)state;
	ss_layout_verdict(path, sizeof(path), "2019-06", ID1, "qa-panel", "jdoe");
	assert_int_equal(ss_verdict_to_json(&v, pol, &b), 0);
	assert_int_equal(ss_verdict_from_json(b.data, b.len, path, &back), 0);
	assert_string_equal(back.month, "2019-06");
	assert_string_equal(back.id, ID1);
	assert_string_equal(back.entered_by, "jdoe");
	assert_null(back.note);
	assert_int_equal(back.nanswers, 2);
	assert_string_equal(back.answers[1].question, "conduct");
	assert_string_equal(back.answers[1].value, "concerns");
	/* Writing what was read gives the same bytes: re-recording changes nothing. */
	assert_int_equal(ss_verdict_to_json(&back, pol, &b2), 0);
	assert_int_equal(b.len, b2.len);
	assert_memory_equal(b.data, b2.data, b.len);
	ss_verdict_release(&back);
	ss_verdict_release(&back); /* released twice is harmless */
	ss_buf_release(&b);
	ss_buf_release(&b2);
	ss_policy_free(pol);
}

static void test_audit_verdict__empty_answers_round_trip(void **state)
{
	struct ss_verdict v = {"2019-06", ID1, "qa-panel", "jdoe", "jdoe", NULL, 0, "x"}, back;
	struct ss_buf b = SS_BUF_INIT;

	(void)state;
	assert_int_equal(ss_verdict_to_json(&v, NULL, &b), 0);
	assert_contains(b.data, "\"answers\": {},\n");
	assert_int_equal(ss_verdict_from_json(b.data, b.len, "x.json", &back), 0);
	assert_int_equal(back.nanswers, 0);
	assert_string_equal(back.note, "x");
	ss_verdict_release(&back);
	ss_buf_release(&b);
}

struct bad {
	const char *json;
	const char *path;
	const char *message;
};

#define VOK(rest)                                                                                  \
	"{\"month\":\"2019-06\",\"id\":\"" ID1 "\",\"role\":\"qa-panel\",\"reviewer\":\"jdoe\","   \
	"\"entered_by\":\"jdoe\"," rest "}"

static void test_audit_verdict__strict_parse_errors(void **state)
{
	static const struct bad cases[] = {
	    {VOK("\"answers\":{},\"note\":null"),
	     "months/2019-06/verdicts/aa/" ID1 "/qa-panel.x.json",
	     "belong at 'months/2019-06/verdicts/aa/" ID1 "/qa-panel.jdoe.json'"},
	    {VOK("\"answers\":{}"), "v.json", "v.json: \"note\" is missing"},
	    {VOK("\"answers\":{},\"note\":null,\"time\":1"), "v.json", "unexpected key \"time\""},
	    {VOK("\"answers\":{},\"note\":null,\"note\":null"), "v.json",
	     "the key \"note\" is given twice"},
	    {VOK("\"answers\":{\"grounds\":\"a\",\"grounds\":\"b\"},\"note\":null"), "v.json",
	     "the key \"grounds\" is given twice"},
	    {VOK("\"answers\":[],\"note\":null"), "v.json", "\"answers\" must be an object"},
	    {VOK("\"answers\":{\"grounds\":1},\"note\":null"), "v.json",
	     "\"grounds\" must be a non-empty string"},
	    {VOK("\"answers\":{\"Grounds!\":\"x\"},\"note\":null"), "v.json",
	     "\"Grounds!\" is not a question id"},
	    {VOK("\"answers\":{},\"note\":\"\""), "v.json", "\"note\" is empty"},
	    {VOK("\"answers\":{},\"note\":\"a\\u0000b\""), "v.json",
	     "1:124: \\u0000 (a NUL character)"},
	    {VOK("\"answers\":{},\"note\":\"\xc3\x28\""), "v.json", "not valid UTF-8"},
	    {"{\"month\":\"2019-13\"}", "v.json", "\"id\" is missing"},
	    {"{\n  \"month\": ,\n}", "v.json", "v.json:2:12: not valid JSON"},
	    {"[]", "v.json", "must be a JSON object"},
	    {VOK("\"answers\":{},\"note\":null") " x", "v.json", "unexpected text after"},
	    {"{\"month\":\"2019-13\",\"id\":\"" ID1 "\",\"role\":\"q\",\"reviewer\":\"j\","
	     "\"entered_by\":\"j\",\"answers\":{},\"note\":null}",
	     "v.json", "\"month\" is not a month"},
	    {"{\"month\":\"2019-12\",\"id\":\"R-AAAAAAAAAAAAAAAA\",\"role\":\"q\",\"reviewer\":"
	     "\"j\","
	     "\"entered_by\":\"j\",\"answers\":{},\"note\":null}",
	     "v.json", "\"id\" is not a record id"},
	    {"{\"month\":\"2019-12\",\"id\":\"" ID1 "\",\"role\":\"Q\",\"reviewer\":\"j\","
	     "\"entered_by\":\"j\",\"answers\":{},\"note\":null}",
	     "v.json", "\"role\" is not a valid handle or role name"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ss_verdict v;
		int err =
		    ss_verdict_from_json(cases[i].json, strlen(cases[i].json), cases[i].path, &v);

		if (err != SS_EDATA)
			fail_msg("case %zu accepted (%d): %s", i, err, cases[i].json);
		assert_contains(ss_error_message(), cases[i].message);
		assert_null(v.month);
		assert_null(v.answers);
	}
}

/* ---- corrections, waivers, sign-off ---- */

static void test_audit_verdict__correction_round_trip(void **state)
{
	struct ss_fix fx[] = {
	    {SS_F_OUTCOME,
	     {SS_RV_STRING, "A no further action disposal", false},
	     {SS_RV_STRING, "Arrest", false}},
	    {SS_F_OUTCOME_LINKED, {SS_RV_NULL, NULL, false}, {SS_RV_BOOL, NULL, true}},
	};
	struct ss_correction c = {"2019-06", ID1, fx, 2, "lab result came back", "ro", 0}, back;
	struct ss_buf b = SS_BUF_INIT;
	char path[256];

	(void)state;
	assert_int_equal(ss_correction_to_json(&c, &b), 0);
	assert_string_equal(
	    b.data, "{\n  \"month\": \"2019-06\",\n  \"id\": \"" ID1 "\",\n  \"changes\": [\n"
	            "    {\"field\": \"outcome\", \"from\": \"A no further action disposal\", "
	            "\"to\": \"Arrest\"},\n"
	            "    {\"field\": \"outcome_linked_to_object_of_search\", \"from\": null, "
	            "\"to\": true}\n  ],\n  \"reason\": \"lab result came back\",\n"
	            "  \"by\": \"ro\"\n}\n");
	ss_layout_correction(path, sizeof(path), "2019-06", ID1, 3);
	assert_int_equal(ss_correction_from_json(b.data, b.len, path, &back), 0);
	assert_int_equal(back.number, 3);
	assert_int_equal(back.nchanges, 2);
	assert_int_equal(back.changes[0].field, SS_F_OUTCOME);
	assert_string_equal(back.changes[0].to.s, "Arrest");
	assert_int_equal(back.changes[1].from.kind, SS_RV_NULL);
	assert_int_equal(back.changes[1].to.kind, SS_RV_BOOL);
	assert_true(back.changes[1].to.b);
	ss_correction_release(&back);
	ss_buf_release(&b);
}

#define COK(changes)                                                                               \
	"{\"month\":\"2019-06\",\"id\":\"" ID1 "\",\"changes\":" changes ",\"reason\":\"r\","      \
	"\"by\":\"ro\"}"
#define CPATH "months/2019-06/corrections/aa/" ID1 "/0001.json"

static void test_audit_verdict__correction_strict_errors(void **state)
{
	static const struct bad cases[] = {
	    {COK("[]"), CPATH, "at least one change"},
	    {COK("[{\"field\":\"gender\",\"from\":null,\"to\":\"Male\"}]"), CPATH,
	     "\"field\" must be \"outcome\""},
	    {COK("[{\"field\":\"outcome\",\"from\":null,\"to\":true}]"), CPATH,
	     "\"to\" must be a non-empty string or null"},
	    {COK("[{\"field\":\"outcome\",\"from\":null,\"to\":\"\"}]"), CPATH,
	     "\"to\" must be a non-empty string or null"},
	    {COK("[{\"field\":\"outcome_linked_to_object_of_search\",\"from\":null,\"to\":\"yes\"}"
	         "]"),
	     CPATH, "must be true, false or null"},
	    {COK("[{\"field\":\"outcome\",\"from\":\"Arrest\",\"to\":\"Arrest\"}]"), CPATH,
	     "\"from\" and \"to\" are the same"},
	    {COK("[{\"field\":\"outcome\",\"from\":null,\"to\":\"A\"},"
	         "{\"field\":\"outcome\",\"from\":null,\"to\":\"B\"}]"),
	     CPATH, "\"outcome\" is changed twice"},
	    {COK("[{\"field\":\"outcome\",\"to\":\"A\"}]"), CPATH,
	     "changes[0]: \"from\" is missing"},
	    {COK("[{\"field\":\"outcome\",\"from\":null,\"to\":\"A\"}]"),
	     "months/2019-06/corrections/aa/" ID1 "/20190702T101500Z.ro.json",
	     "must be its number, NNNN.json"},
	    {COK("[{\"field\":\"outcome\",\"from\":null,\"to\":\"A\"}]"),
	     "months/2019-06/corrections/aa/" ID1 "/0000.json", "must be its number, NNNN.json"},
	    {COK("[{\"field\":\"outcome\",\"from\":null,\"to\":\"A\"}]"),
	     "months/2019-07/corrections/aa/" ID1 "/0001.json", "belong at"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ss_correction c;
		int err = ss_correction_from_json(cases[i].json, strlen(cases[i].json),
		                                  cases[i].path, &c);

		if (err != SS_EDATA)
			fail_msg("case %zu accepted (%d): %s", i, err, cases[i].json);
		assert_contains(ss_error_message(), cases[i].message);
		assert_null(c.changes);
	}
}

static void test_audit_verdict__response_round_trip(void **state)
{
	struct ss_response r = {"2019-06", ID1, "words-of-advice", "spoke to the officer", "ro", 0},
	                   back;
	struct ss_buf b = SS_BUF_INIT;
	char path[256];

	(void)state;
	assert_int_equal(ss_response_to_json(&r, &b), 0);
	assert_string_equal(b.data, "{\n  \"month\": \"2019-06\",\n  \"id\": \"" ID1
	                            "\",\n  \"action\": \"words-of-advice\",\n"
	                            "  \"note\": \"spoke to the officer\",\n  \"by\": \"ro\"\n}\n");
	ss_layout_response(path, sizeof(path), "2019-06", ID1, 2);
	assert_int_equal(ss_response_from_json(b.data, b.len, path, &back), 0);
	assert_int_equal(back.number, 2);
	assert_string_equal(back.action, "words-of-advice");
	assert_string_equal(back.note, "spoke to the officer");
	assert_string_equal(back.by, "ro");
	ss_response_release(&back);
	ss_buf_release(&b);
	/* No note is null, not "". */
	r.note = NULL;
	assert_int_equal(ss_response_to_json(&r, &b), 0);
	assert_contains(b.data, "\"note\": null");
	assert_int_equal(ss_response_from_json(b.data, b.len, path, &back), 0);
	assert_null(back.note);
	ss_response_release(&back);
	ss_buf_release(&b);
}

#define ROK(action, note)                                                                          \
	"{\"month\":\"2019-06\",\"id\":\"" ID1 "\",\"action\":" action ",\"note\":" note           \
	",\"by\":\"ro\"}"
#define RPATH "months/2019-06/responses/aa/" ID1 "/0001.json"

static void test_audit_verdict__response_strict_errors(void **state)
{
	static const struct bad cases[] = {
	    {ROK("\"\"", "null"), RPATH, "\"action\""},
	    {ROK("true", "null"), RPATH, "\"action\""},
	    {ROK("\"training\"", "\"\""), RPATH, "\"note\""},
	    {"{\"month\":\"2019-06\",\"id\":\"" ID1 "\",\"action\":\"training\",\"by\":\"ro\"}",
	     RPATH, "\"note\" is missing"},
	    {ROK("\"training\"", "null"), "months/2019-06/responses/aa/" ID1 "/1.json",
	     "must be its number, NNNN.json"},
	    {ROK("\"training\"", "null"), "months/2019-07/responses/aa/" ID1 "/0001.json",
	     "belong at"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ss_response r;
		int err =
		    ss_response_from_json(cases[i].json, strlen(cases[i].json), cases[i].path, &r);

		if (err != SS_EDATA)
			fail_msg("case %zu accepted (%d): %s", i, err, cases[i].json);
		assert_contains(ss_error_message(), cases[i].message);
		assert_null(r.action);
	}
}

static void test_audit_verdict__waiver_and_closed(void **state)
{
	struct ss_waiver w = {"2019-06", ID2, "the video was destroyed", "coord"}, back;
	struct ss_buf b = SS_BUF_INIT;
	char path[256], *m, *by, *reason;
	bool closed;

	(void)state;
	ss_layout_waiver(path, sizeof(path), "2019-06", ID2);
	assert_int_equal(ss_waiver_to_json(&w, &b), 0);
	assert_int_equal(ss_waiver_from_json(b.data, b.len, path, &back), 0);
	assert_string_equal(back.reason, "the video was destroyed");
	ss_waiver_release(&back);
	/* A waiver at another record's path is refused. */
	ss_layout_waiver(path, sizeof(path), "2019-06", ID1);
	assert_int_equal(ss_waiver_from_json(b.data, b.len, path, &back), SS_EDATA);
	ss_buf_reset(&b);

	assert_int_equal(ss_closed_to_json("2019-06", true, "coord", NULL, &b), 0);
	assert_string_equal(b.data, "{\n  \"month\": \"2019-06\",\n  \"state\": \"closed\",\n"
	                            "  \"by\": \"coord\",\n  \"reason\": null\n}\n");
	assert_int_equal(ss_closed_from_json(b.data, b.len, "months/2019-06/closed.json", &m,
	                                     &closed, &by, &reason),
	                 0);
	assert_true(closed);
	assert_string_equal(by, "coord");
	assert_null(reason);
	free(m);
	free(by);
	assert_int_equal(ss_closed_from_json(b.data, b.len, "months/2019-07/closed.json", &m,
	                                     &closed, &by, &reason),
	                 SS_EDATA);
	ss_buf_reset(&b);
	/* Reopening without a reason is not a valid file. */
	assert_int_equal(ss_closed_to_json("2019-06", false, "coord", NULL, &b), 0);
	assert_int_equal(ss_closed_from_json(b.data, b.len, "c.json", &m, &closed, &by, &reason),
	                 SS_EDATA);
	assert_contains(ss_error_message(), "needs a \"reason\"");
	ss_buf_release(&b);
}

/* ---- a month's state in a real trail ---- */

static char tmp[4096];

static int fake_sign(void *ctx, const char *payload, size_t len, char **sig)
{
	(void)ctx;
	(void)payload;
	(void)len;
	*sig = strdup("-----BEGIN SSH SIGNATURE-----\ntest\n-----END SSH SIGNATURE-----\n");
	return *sig ? 0 : SS_ENOMEM;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup_tmp(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/ss-verdict-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	(void)state;
	nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

struct file {
	const char *path;
	const char *data;
};

/* Commit files (data NULL removes) on parent; returns the new commit. */
static struct ss_oid commit_files(struct ss_trail *t, const struct ss_oid *parent,
                                  const struct file *f, size_t n)
{
	struct ss_change ch[8];
	struct ss_commit_req r;
	struct ss_oid out;
	bool unchanged;
	size_t i;

	assert_true(n <= 8);
	for (i = 0; i < n; i++) {
		ch[i].path = f[i].path;
		ch[i].data = f[i].data;
		ch[i].len = f[i].data ? strlen(f[i].data) : 0;
	}
	memset(&r, 0, sizeof(r));
	r.author.name = r.committer.name = "T";
	r.author.email = r.committer.email = "t@example.org";
	r.when = 1561939200;
	r.message = "test\n";
	r.changes = ch;
	r.nchanges = n;
	assert_int_equal(ss_git_commit(t, parent, &r, fake_sign, NULL, &out, &unchanged), 0);
	return out;
}

static char *verdict_json(const char *id, const char *role, const char *who, const char *grounds)
{
	struct ss_answer a[] = {{"grounds", (char *)grounds}};
	struct ss_verdict v = {"2019-06", (char *)id, (char *)role, (char *)who, (char *)who,
	                       a,         1,          NULL};
	struct ss_buf b = SS_BUF_INIT;

	assert_int_equal(ss_verdict_to_json(&v, NULL, &b), 0);
	return ss_buf_detach(&b);
}

static char *correction_json(const char *id, enum ss_field f, struct ss_rule_value from,
                             struct ss_rule_value to, const char *by)
{
	struct ss_fix fx = {f, from, to};
	struct ss_correction c = {"2019-06", (char *)id, &fx, 1, "reason", (char *)by, 0};
	struct ss_buf b = SS_BUF_INIT;

	assert_int_equal(ss_correction_to_json(&c, &b), 0);
	return ss_buf_detach(&b);
}

static void test_audit_verdict__state_load_and_current_values(void **state)
{
	struct ss_trail *t = NULL;
	struct ss_month_state *st = NULL;
	struct ss_oid c1, c2, c3, c4;
	char path[4200], p1[256], p2[256], p3[256], p4[256], p5[256], pw[256];
	char *v1 = verdict_json(ID1, "qa-panel", "jdoe", "reasonable");
	char *v2 = verdict_json(ID1, "local-inspector", "li", "not-reasonable");
	char *v3 = verdict_json(ID2, "qa-panel", "amy", "reasonable");
	struct ss_rule_value nfa = {SS_RV_STRING, "A no further action disposal", false};
	struct ss_rule_value arrest = {SS_RV_STRING, "Arrest", false};
	struct ss_rule_value caution = {SS_RV_STRING, "Caution (simple or conditional)", false};
	struct ss_rule_value null = {SS_RV_NULL, NULL, false};
	struct ss_rule_value yes = {SS_RV_BOOL, NULL, true};
	char *k1 = correction_json(ID1, SS_F_OUTCOME, nfa, arrest, "ro");
	char *k2 = correction_json(ID1, SS_F_OUTCOME, arrest, caution, "amy");
	char *k3 = correction_json(ID1, SS_F_OUTCOME_LINKED, null, yes, "ro");
	struct ss_waiver w = {"2019-06", ID2, "no video", "coord"};
	struct ss_buf wb = SS_BUF_INIT, cb = SS_BUF_INIT;
	struct ss_record r;
	struct ss_rule_value cur;
	const struct ss_verdict *vs;
	size_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/t.git", tmp);
	assert_int_equal(ss_git_create(path, &t), 0);

	/* No month files yet: an empty, open state. */
	{
		struct file f[] = {{"policy.json", "{}"}};

		c1 = commit_files(t, NULL, f, 1);
	}
	assert_int_equal(ss_month_state_load(t, &c1, "2019-06", &st), 0);
	assert_int_equal(st->nverdicts, 0);
	assert_int_equal(st->ncorrections, 0);
	assert_false(st->closed);
	assert_null(st->closed_by);
	ss_month_state_free(st);

	ss_layout_verdict(p1, sizeof(p1), "2019-06", ID1, "qa-panel", "jdoe");
	ss_layout_verdict(p2, sizeof(p2), "2019-06", ID1, "local-inspector", "li");
	ss_layout_verdict(p3, sizeof(p3), "2019-06", ID2, "qa-panel", "amy");
	/* Numbered 1 by "ro", then 2 by "amy": number order, not the authors' names. */
	ss_layout_correction(p4, sizeof(p4), "2019-06", ID1, 1);
	ss_layout_correction(p5, sizeof(p5), "2019-06", ID1, 2);
	ss_layout_waiver(pw, sizeof(pw), "2019-06", ID2);
	assert_int_equal(ss_waiver_to_json(&w, &wb), 0);
	assert_int_equal(ss_closed_to_json("2019-06", true, "coord", NULL, &cb), 0);
	{
		struct file f[] = {{p1, v1}, {p2, v2}, {p3, v3}, {p4, k1}, {p5, k2}};

		c2 = commit_files(t, &c1, f, 5);
	}
	{
		char p6[256];
		struct file f[] = {
		    {pw, wb.data}, {"months/2019-06/closed.json", cb.data}, {p6, k3}};

		ss_layout_correction(p6, sizeof(p6), "2019-06", ID1, 3);
		c3 = commit_files(t, &c2, f, 3);
	}

	/* At c2: three verdicts sorted by id, role, reviewer; open. */
	assert_int_equal(ss_month_state_load(t, &c2, "2019-06", &st), 0);
	assert_int_equal(st->nverdicts, 3);
	assert_string_equal(st->verdicts[0].role, "local-inspector");
	assert_string_equal(st->verdicts[1].role, "qa-panel");
	assert_string_equal(st->verdicts[2].id, ID2);
	vs = ss_month_verdicts(st, ID1, &n);
	assert_int_equal(n, 2);
	assert_string_equal(vs[0].reviewer, "li");
	assert_null(ss_month_verdicts(st, ID3, &n));
	assert_int_equal(n, 0);
	assert_int_equal(st->ncorrections, 2);
	assert_false(st->closed);
	assert_null(ss_month_waiver(st, ID2));

	memset(&r, 0, sizeof(r));
	memcpy(r.id, ID1, sizeof(ID1));
	for (n = 0; n < SS_F_COUNT; n++)
		r.tri[n] = SS_TRI_NULL;
	r.str[SS_F_OUTCOME] = "A no further action disposal";
	/* The highest-numbered correction of a field wins, whoever made it. */
	cur = ss_month_current(st, &r, SS_F_OUTCOME);
	assert_int_equal(cur.kind, SS_RV_STRING);
	assert_string_equal(cur.s, "Caution (simple or conditional)");
	/* An uncorrected field is the imported value. */
	cur = ss_month_current(st, &r, SS_F_OUTCOME_LINKED);
	assert_int_equal(cur.kind, SS_RV_NULL);
	/* Without state, the imported value. */
	cur = ss_month_current(NULL, &r, SS_F_OUTCOME);
	assert_string_equal(cur.s, "A no further action disposal");
	ss_month_state_free(st);

	/* At c3: closed, a waiver, and the linked flag corrected. */
	assert_int_equal(ss_month_state_load(t, &c3, "2019-06", &st), 0);
	assert_true(st->closed);
	assert_string_equal(st->closed_by, "coord");
	assert_non_null(ss_month_waiver(st, ID2));
	assert_string_equal(ss_month_waiver(st, ID2)->reason, "no video");
	cur = ss_month_current(st, &r, SS_F_OUTCOME_LINKED);
	assert_int_equal(cur.kind, SS_RV_BOOL);
	assert_true(cur.b);
	cur = ss_month_current(st, &r, SS_F_OUTCOME);
	assert_string_equal(cur.s, "Caution (simple or conditional)");
	ss_month_state_free(st);

	/* Another month's state is empty. */
	assert_int_equal(ss_month_state_load(t, &c3, "2019-07", &st), 0);
	assert_int_equal(st->nverdicts + st->ncorrections + st->nwaivers, 0);
	ss_month_state_free(st);

	/* A tampered file makes loading fail, naming it. */
	{
		struct file f[] = {{p3, "{\"month\": \"2019-06\"}\n"}};

		c4 = commit_files(t, &c3, f, 1);
		assert_int_equal(ss_month_state_load(t, &c4, "2019-06", &st), SS_EDATA);
		assert_null(st);
		assert_contains(ss_error_message(), p3);
	}
	/* A verdict copied to another reviewer's path is refused (p3 repaired). */
	{
		struct ss_oid c5;
		char p7[256];
		struct file f[] = {{p3, v3}, {p7, v3}};

		ss_layout_verdict(p7, sizeof(p7), "2019-06", ID2, "qa-panel", "bob");
		c5 = commit_files(t, &c4, f, 2);
		assert_int_equal(ss_month_state_load(t, &c5, "2019-06", &st), SS_EDATA);
		assert_contains(ss_error_message(), "belong at");
	}
	ss_buf_release(&wb);
	ss_buf_release(&cb);
	free(v1);
	free(v2);
	free(v3);
	free(k1);
	free(k2);
	free(k3);
	ss_git_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_verdict__paths_are_sharded),
	    cmocka_unit_test(test_audit_verdict__bytes_are_stable_and_in_policy_order),
	    cmocka_unit_test(test_audit_verdict__round_trip),
	    cmocka_unit_test(test_audit_verdict__empty_answers_round_trip),
	    cmocka_unit_test(test_audit_verdict__strict_parse_errors),
	    cmocka_unit_test(test_audit_verdict__correction_round_trip),
	    cmocka_unit_test(test_audit_verdict__correction_strict_errors),
	    cmocka_unit_test(test_audit_verdict__response_round_trip),
	    cmocka_unit_test(test_audit_verdict__response_strict_errors),
	    cmocka_unit_test(test_audit_verdict__waiver_and_closed),
	    cmocka_unit_test_setup_teardown(test_audit_verdict__state_load_and_current_values,
	                                    setup_tmp, teardown_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
