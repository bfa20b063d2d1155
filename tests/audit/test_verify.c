/*
 * test_verify.c - verify on crafted trails. An honest trail is made once with
 * the real actions (init, reviewers, import, sample, verdicts); each case
 * copies it, adds commits made directly with ss_git_commit and signed with
 * a registered (or unregistered) key, and checks what verify reports: the
 * commit, the path and the reason an auditor would read. Merges are made
 * with stock git (merge-tree, commit-tree -S), as a second site's sync would
 * leave them; those cases skip where git or ssh-keygen is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "act.h"
#include "atest.h"
#include "buf.h"
#include "clock.h"
#include "error.h"
#include "crypto.h"
#include "month.h"
#include "registry.h"
#include "sshkey.h"
#include "trail.h"
#include "verdict.h"
#include "verify.h"
#include "writer.h"
#include "layout.h"

#define MONTH     "2026-10"
#define NPROBLEMS 64

static char root[4096]; /* the tests' temporary folder */
static char base[4096]; /* the honest trail's folder: home/ and trail.git */
static char dir[4096];  /* this case's copy */
static char trail[4200], home[4200];
static int seq;

/* The honest trail's facts. */
static char li_ids[64][SS_ID_LEN + 1]; /* the local inspector's share, ticket order */
static size_t nli;
static char qa_ids[64][SS_ID_LEN + 1];
static size_t nqa;
static char unsampled[SS_ID_LEN + 1];
static struct ss_oid base_tip;
static size_t base_commits;

static int sh(const char *fmt, ...) SS_PRINTF(1, 2);
static int sh(const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	int n, st;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(cmd));
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The first line a shell command prints (an object id), into out. */
static void sh_line(char *out, size_t cap, const char *fmt, ...) SS_PRINTF(3, 4);
static void sh_line(char *out, size_t cap, const char *fmt, ...)
{
	char cmd[16384];
	va_list ap;
	FILE *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(cmd));
	p = popen(cmd, "r");
	assert_non_null(p);
	out[0] = '\0';
	if (fgets(out, (int)cap, p) == NULL)
		out[0] = '\0';
	pclose(p);
	out[strcspn(out, "\n")] = '\0';
	if (out[0] == '\0')
		fail_msg("no output from: %s", cmd);
}

static bool have(const char *tool)
{
	return sh("command -v %s >/dev/null 2>&1", tool) == 0;
}

/* ------------------------------------------------------------ people */

static const struct {
	const char *handle, *role, *by;
	bool key;
} people[] = {
    {"li", "local-inspector", "coord", true}, {"pcc", "pcc-office", "coord", true},
    {"ro", "records-officer", "coord", true}, {"ii", "independent-inspector", "pcc", true},
    {"sec", "panel-secretary", "pcc", true},  {"m1", "qa-panel", "pcc", false},
};

static void name_of(const char *handle, char *out, size_t cap)
{
	pathf(out, cap, "Name of %s", handle);
}

static void email_of(const char *handle, char *out, size_t cap)
{
	pathf(out, cap, "%s@example.org", handle);
}

static void key_path(const char *handle, char *out, size_t cap)
{
	pathf(out, cap, "%s/keys/%s.key", home, handle);
}

static void make_key(const char *handle)
{
	char path[4400], *pub = NULL;

	pathf(path, sizeof(path), "%s/keys", home);
	sh("mkdir -p '%s'", path);
	key_path(handle, path, sizeof(path));
	assert_int_equal(ss_key_generate(path, handle, &pub), 0);
	free(pub);
}

static struct ss_writer *as(const char *handle)
{
	struct ss_writer_opts o = {trail, home, handle};
	struct ss_writer *w = NULL;
	int err = ss_writer_open(&o, &w);

	if (err)
		fail_msg("cannot act as %s: %s", handle, ss_error_message());
	return w;
}

/* ----------------------------------------------------------- crafting */

struct signer {
	struct ss_key *key;
};

static int sign_with(void *ctx, const char *payload, size_t len, char **sig)
{
	struct signer *s = ctx;

	return ss_sshsig_sign(s->key, "git", payload, len, sig);
}

static struct ss_trail *open_trail(void)
{
	struct ss_trail *t = NULL;

	assert_int_equal(ss_git_open(trail, &t), 0);
	return t;
}

static struct ss_oid tip_of(void)
{
	struct ss_trail *t = open_trail();
	struct ss_oid tip;

	assert_int_equal(ss_git_tip(t, &tip), 0);
	ss_git_free(t);
	return tip;
}

/*
 * A commit on parent, signed by `signer`'s key (NULL: unsigned), with author
 * and committer as registered; main moves to it.
 */
static struct ss_oid craft(const struct ss_oid *parent, const char *signer, const char *author,
                           const char *committer, int64_t when, const char *message,
                           const struct ss_change *ch, size_t n)
{
	char an[128], ae[128], cn[128], ce[128], kp[4400];
	struct signer s = {NULL};
	struct ss_commit_req req;
	struct ss_trail *t = open_trail();
	struct ss_oid out;
	bool unchanged = false;

	name_of(author, an, sizeof(an));
	email_of(author, ae, sizeof(ae));
	name_of(committer, cn, sizeof(cn));
	email_of(committer, ce, sizeof(ce));
	memset(&req, 0, sizeof(req));
	req.author.name = an;
	req.author.email = ae;
	req.committer.name = cn;
	req.committer.email = ce;
	req.when = when;
	req.message = message;
	req.changes = ch;
	req.nchanges = n;
	if (signer != NULL) {
		key_path(signer, kp, sizeof(kp));
		assert_int_equal(ss_key_load(kp, &s.key), 0);
	}
	if (ss_git_commit(t, parent, &req, signer ? sign_with : NULL, &s, &out, &unchanged) != 0)
		fail_msg("cannot craft a commit: %s", ss_error_message());
	assert_false(unchanged);
	ss_key_free(s.key);
	ss_git_free(t);
	return out;
}

static void verdict_json(struct ss_buf *b, const char *id, const char *role, const char *reviewer,
                         const char *entered_by, const char *grounds)
{
	ss_buf_reset(b);
	assert_int_equal(ss_buf_printf(b,
	                               "{\n  \"month\": \"" MONTH "\",\n  \"id\": \"%s\",\n"
	                               "  \"role\": \"%s\",\n  \"reviewer\": \"%s\",\n"
	                               "  \"entered_by\": \"%s\",\n  \"answers\": {\n"
	                               "    \"grounds\": \"%s\",\n    \"conduct\": \"fair\",\n"
	                               "    \"bwv\": \"viewed\"\n  },\n  \"note\": null\n}\n",
	                               id, role, reviewer, entered_by, grounds),
	                 0);
}

/* A verdict commit on parent: `signer` files `member`'s verdict as `role`. */
static struct ss_oid craft_verdict(const struct ss_oid *parent, const char *signer,
                                   const char *member, const char *role, const char *id,
                                   const char *grounds, const char *action)
{
	struct ss_buf json = SS_BUF_INIT, msg = SS_BUF_INIT;
	char path[256];
	struct ss_change ch;
	struct ss_oid c;

	verdict_json(&json, id, role, member, signer, grounds);
	ss_layout_verdict(path, sizeof(path), MONTH, id, role, member);
	ch.path = path;
	ch.data = json.data;
	ch.len = json.len;
	assert_int_equal(ss_buf_printf(&msg,
	                               "verdict: " MONTH " %s by %s (%s)\n\nCrafted.\n\n"
	                               "Ssaudit-Action: %s\nSsaudit-Month: " MONTH "\n"
	                               "Ssaudit-Record: %s\nSsaudit-Role: %s\n%s%s%s",
	                               id, member, role, action, id, role,
	                               strcmp(signer, member) != 0 ? "Ssaudit-On-Behalf-Of: " : "",
	                               strcmp(signer, member) != 0 ? member : "",
	                               strcmp(signer, member) != 0 ? "\n" : ""),
	                 0);
	c = craft(parent, signer, member, signer, 1800000000, msg.data, &ch, 1);
	ss_buf_release(&json);
	ss_buf_release(&msg);
	return c;
}

/* ------------------------------------------------------------- verify */

struct problems {
	char commit[NPROBLEMS][41];
	char path[NPROBLEMS][256];
	char reason[NPROBLEMS][600];
	size_t n;
};

static void collect(void *ctx, const char *commit, const char *path, const char *reason)
{
	struct problems *p = ctx;

	if (p->n >= NPROBLEMS)
		return;
	snprintf(p->commit[p->n], sizeof(p->commit[0]), "%s", commit);
	snprintf(p->path[p->n], sizeof(p->path[0]), "%s", path);
	snprintf(p->reason[p->n], sizeof(p->reason[0]), "%s", reason);
	p->n++;
}

static int run_verify(const struct ss_verify_opts *opts, struct problems *p,
                      struct ss_verify_summary *sum)
{
	struct ss_trail *t = open_trail();
	int rc;

	memset(p, 0, sizeof(*p));
	rc = ss_verify_run(t, opts, collect, p, sum);
	ss_git_free(t);
	return rc;
}

static void show(const struct problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		print_message("  %s %s: %s\n", p->commit[i], p->path[i], p->reason[i]);
}

static void assert_holds(void)
{
	struct ss_verify_summary sum;
	struct problems p;
	int rc = run_verify(NULL, &p, &sum);

	if (rc != 0 || p.n != 0) {
		show(&p);
		fail_msg("verify found %zu problems on an honest trail", p.n);
	}
	ss_verify_summary_release(&sum);
}

/* verify fails, and one problem names this commit (NULL: any) and says this. */
static void assert_problem(const struct ss_oid *commit, const char *says)
{
	struct ss_verify_summary sum;
	struct problems p;
	char hex[41] = "";
	size_t i;
	int rc = run_verify(NULL, &p, &sum);

	ss_verify_summary_release(&sum);
	if (commit != NULL)
		ss_oid_hex(commit, hex);
	assert_int_equal(rc, SS_EFAIL);
	for (i = 0; i < p.n; i++)
		if ((commit == NULL || strcmp(p.commit[i], hex) == 0) && strstr(p.reason[i], says))
			return;
	show(&p);
	fail_msg("no problem at %s saying '%s'", hex, says);
}

/* ------------------------------------------------------------- fixture */

static void add_record(struct ss_population *pop, unsigned i)
{
	struct ss_record *r;
	char ref[32];

	assert_int_equal(ss_population_append(pop, &r), 0);
	snprintf(ref, sizeof(ref), "DP-%04u", i);
	r->str[SS_F_TYPE] = "Person search";
	r->str[SS_F_DATETIME] = ss_population_strdup(pop, "2026-10-05T12:00:00+00:00", 25);
	r->str[SS_F_AREA] = i % 2 ? "Powys" : "Ceredigion";
	r->str[SS_F_OUTCOME] = "A no further action disposal";
	r->str[SS_F_REFERENCE] = ss_population_strdup(pop, ref, strlen(ref));
	r->tri[SS_F_OUTCOME_LINKED] = SS_TRI_FALSE;
	r->tri[SS_F_REMOVAL] = SS_TRI_FALSE;
}

static void read_facts(void)
{
	struct ss_trail *t = open_trail();
	struct ss_sample *s = NULL;
	const struct ss_sample_role *r;
	struct ss_population *pop = NULL;
	size_t i;

	assert_int_equal(ss_git_tip(t, &base_tip), 0);
	assert_int_equal(ss_month_sample(t, &base_tip, MONTH, &s), 0);
	r = ss_sample_role(s, "local-inspector");
	assert_non_null(r);
	for (nli = 0; nli < r->n && nli < 64; nli++)
		snprintf(li_ids[nli], sizeof(li_ids[0]), "%s", r->ids[nli]);
	r = ss_sample_role(s, "qa-panel");
	assert_non_null(r);
	for (nqa = 0; nqa < r->n && nqa < 64; nqa++)
		snprintf(qa_ids[nqa], sizeof(qa_ids[0]), "%s", r->ids[nqa]);
	assert_int_equal(ss_month_population(t, &base_tip, MONTH, NULL, NULL, &pop), 0);
	for (i = 0; i < pop->n; i++)
		if (ss_sample_find(s, pop->rec[i].id) == NULL) {
			snprintf(unsampled, sizeof(unsampled), "%s", pop->rec[i].id);
			break;
		}
	assert_true(unsampled[0] != '\0');
	ss_population_free(pop);
	ss_sample_free(s);
	ss_git_free(t);
}

static int count_commits(void)
{
	char out[64];

	sh_line(out, sizeof(out), "git --git-dir '%s' rev-list --count main", trail);
	return atoi(out);
}

static int setup(void **state)
{
	const char *src = getenv("SS_SOURCE_DIR");
	char policy[4400], name[128], email[128];
	struct ss_init_req init = {0};
	struct ss_init_result res;
	struct ss_population *pop = NULL;
	struct ss_writer *w;
	char *fp = NULL;
	size_t i;

	(void)state;
	if (src == NULL || !have("git"))
		return 0; /* every case skips */
	assert_int_equal(ss_crypto_init(), 0);
	pathf(root, sizeof(root), "%s/ssaudit-verify-XXXXXX",
	      getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(root));
	pathf(base, sizeof(base), "%s/base", root);
	pathf(trail, sizeof(trail), "%s/trail.git", base);
	pathf(home, sizeof(home), "%s/home", base);
	pathf(policy, sizeof(policy), "%s/policies/euppg-monthly.json", src);
	make_key("coord");
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++)
		if (people[i].key)
			make_key(people[i].handle);
	make_key("stranger");
	init.trail = trail;
	init.home = home;
	init.handle = "coord";
	name_of("coord", name, sizeof(name));
	email_of("coord", email, sizeof(email));
	init.name = name;
	init.email = email;
	init.policy_path = policy;
	if (ss_act_init(&init, &res) != 0)
		fail_msg("init: %s", ss_error_message());
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		char kp[4400], *line = NULL;
		struct ss_key *k = NULL;
		unsigned char pk[SS_PUBKEY_LEN];

		if (people[i].key) {
			key_path(people[i].handle, kp, sizeof(kp));
			assert_int_equal(ss_key_load(kp, &k), 0);
			ss_key_public(k, pk);
			line = ss_pubkey_format(pk);
			ss_key_free(k);
		}
		w = as(people[i].by);
		name_of(people[i].handle, name, sizeof(name));
		email_of(people[i].handle, email, sizeof(email));
		if (ss_act_reviewer_add(w, people[i].handle, people[i].role, name, email, line) !=
		    0)
			fail_msg("reviewer add: %s", ss_error_message());
		ss_writer_close(w);
		free(line);
	}
	assert_int_equal(ss_population_new(&pop), 0);
	for (i = 0; i < 40; i++)
		add_record(pop, (unsigned)i);
	assert_int_equal(ss_population_assign_ids(pop), 0);
	w = as("coord");
	assert_int_equal(ss_state_fingerprint(w->trail, &w->tip, &fp), 0);
	if (ss_act_import(w, MONTH, pop, fp, w->policy->officer_pseudonymised, false, false,
	                  NULL) != 0 ||
	    ss_act_sample(w, MONTH, "3 1 4 1 5 9 2 6", NULL, NULL, NULL) != 0)
		fail_msg("import or sample: %s", ss_error_message());
	ss_writer_close(w);
	free(fp);
	ss_population_free(pop);
	read_facts();
	{
		struct ss_answer a[] = {
		    {"grounds", "reasonable"}, {"conduct", "fair"}, {"bwv", "viewed"}};
		struct ss_verdict_req vr = {MONTH, li_ids[0], NULL, a, 3, NULL, NULL};
		enum ss_recorded rec;

		w = as("li");
		assert_int_equal(ss_act_verdict(w, &vr, &rec), 0);
		ss_writer_close(w);
		vr.reviewer = "m1";
		vr.id = qa_ids[0];
		w = as("sec");
		assert_int_equal(ss_act_verdict(w, &vr, &rec), 0);
		ss_writer_close(w);
	}
	read_facts();
	base_commits = (size_t)count_commits();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (root[0] != '\0')
		sh("rm -rf '%s'", root);
	return 0;
}

/* Each case works on its own copy of the honest trail. */
static int fresh(void **state)
{
	(void)state;
	if (root[0] == '\0')
		return 0;
	pathf(dir, sizeof(dir), "%s/case%d", root, ++seq);
	assert_int_equal(sh("cp -a '%s' '%s'", base, dir), 0);
	pathf(trail, sizeof(trail), "%s/trail.git", dir);
	pathf(home, sizeof(home), "%s/home", dir);
	return 0;
}

#define NEED_FIXTURE()                                                                             \
	do {                                                                                       \
		if (root[0] == '\0')                                                               \
			skip();                                                                    \
	} while (0)

/* --------------------------------------------------------------- cases */

static void test_audit_verify__honest_trail_holds(void **state)
{
	struct ss_verify_summary sum;
	struct problems p;
	char hex[41], kp[4400], fp[SS_FINGERPRINT_LEN];
	struct ss_key *k = NULL;
	unsigned char pk[SS_PUBKEY_LEN];
	int rc;

	(void)state;
	NEED_FIXTURE();
	rc = run_verify(NULL, &p, &sum);
	show(&p);
	assert_int_equal(rc, 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(sum.commits, base_commits);
	assert_int_equal(sum.signatures, base_commits);
	assert_int_equal(sum.samples, 1);
	assert_int_equal(sum.verdicts, 2);
	assert_string_equal(sum.founder, "coord");
	key_path("coord", kp, sizeof(kp));
	assert_int_equal(ss_key_load(kp, &k), 0);
	ss_key_public(k, pk);
	ss_key_free(k);
	ss_pubkey_fingerprint(pk, fp);
	assert_string_equal(sum.founder_fingerprint, fp);
	ss_oid_hex(&base_tip, hex);
	assert_string_equal(sum.tip, hex);
	ss_verify_summary_release(&sum);
}

static void test_audit_verify__root_and_anchor(void **state)
{
	struct ss_verify_opts o = {.root = NULL};
	struct ss_verify_summary sum;
	struct problems p;
	char first[64], tiphex[41];

	(void)state;
	NEED_FIXTURE();
	sh_line(first, sizeof(first), "git --git-dir '%s' rev-list --max-parents=0 main", trail);
	ss_oid_hex(&base_tip, tiphex);
	o.root = first;
	o.anchor = tiphex;
	assert_int_equal(run_verify(&o, &p, &sum), 0);
	assert_string_equal(sum.trail_id, first);
	ss_verify_summary_release(&sum);
	/* An abbreviated id works as well as the full one. */
	first[12] = '\0';
	assert_int_equal(run_verify(&o, &p, &sum), 0);
	ss_verify_summary_release(&sum);
	o.root = tiphex;
	assert_int_equal(run_verify(&o, &p, &sum), SS_EFAIL);
	assert_non_null(strstr(p.reason[0], "not the published trail id"));
	ss_verify_summary_release(&sum);
}

static void test_audit_verify__plumbing_verdict_holds(void **state)
{
	(void)state;
	NEED_FIXTURE();
	craft_verdict(&base_tip, "li", "li", "local-inspector", li_ids[1], "reasonable", "verdict");
	assert_holds();
}

static void test_audit_verify__answers_must_be_allowed(void **state)
{
	struct ss_oid c;

	(void)state;
	NEED_FIXTURE();
	c = craft_verdict(&base_tip, "li", "li", "local-inspector", li_ids[1], "maybe", "verdict");
	assert_problem(&c, "'maybe' is not an answer the month's policy (the one its sample names) "
	                   "allows to 'grounds'");
}

static void test_audit_verify__act_must_match_the_paths(void **state)
{
	struct ss_oid c;

	(void)state;
	NEED_FIXTURE();
	c = craft_verdict(&base_tip, "li", "li", "local-inspector", li_ids[1], "reasonable",
	                  "policy");
	assert_problem(&c, "a policy commit may not add this file (a verdict commit does)");
}

static void test_audit_verify__verdict_on_behalf_needs_the_trailer(void **state)
{
	struct ss_buf json = SS_BUF_INIT;
	char path[256];
	struct ss_change ch;
	struct ss_oid c;
	char text[512];

	(void)state;
	NEED_FIXTURE();
	verdict_json(&json, qa_ids[1], "qa-panel", "m1", "sec", "reasonable");
	ss_layout_verdict(path, sizeof(path), MONTH, qa_ids[1], "qa-panel", "m1");
	ch.path = path;
	ch.data = json.data;
	ch.len = json.len;
	snprintf(text, sizeof(text),
	         "verdict: quietly\n\nSsaudit-Action: verdict\nSsaudit-Month: " MONTH
	         "\nSsaudit-Record: %s\nSsaudit-Role: qa-panel\n",
	         qa_ids[1]);
	c = craft(&base_tip, "sec", "m1", "sec", 1800000000, text, &ch, 1);
	assert_problem(&c, "without naming them in Ssaudit-On-Behalf-Of");
	ss_buf_release(&json);
}

static void test_audit_verify__verdict_in_a_closed_month(void **state)
{
	struct ss_waive wv[64];
	struct ss_close_result res;
	struct ss_writer *w;
	struct ss_trail *t;
	struct ss_sample *s = NULL;
	struct ss_oid tip, c;
	size_t i, n = 0;

	(void)state;
	NEED_FIXTURE();
	t = open_trail();
	assert_int_equal(ss_git_tip(t, &tip), 0);
	assert_int_equal(ss_month_sample(t, &tip, MONTH, &s), 0);
	ss_git_free(t);
	/* The independent inspector has reviewed nothing: every sampled record
	 * needs a verdict or a waiver, so all are waived. */
	for (i = 0; i < s->n && n < 64; i++, n++) {
		wv[n].id = s->records[i].id;
		wv[n].reason = "not reviewable";
	}
	w = as("coord");
	if (ss_act_close(w, MONTH, wv, n, &res) != 0)
		fail_msg("close: %s", ss_error_message());
	ss_close_result_release(&res);
	ss_writer_close(w);
	ss_sample_free(s);
	assert_holds();
	tip = tip_of();
	c = craft_verdict(&tip, "li", "li", "local-inspector", li_ids[1], "reasonable", "verdict");
	assert_problem(&c, "2026-10 was closed: verdicts are refused until it is reopened");
}

static void test_audit_verify__close_needs_every_verdict(void **state)
{
	struct ss_buf closed = SS_BUF_INIT;
	struct ss_change ch;
	struct ss_oid c;

	(void)state;
	NEED_FIXTURE();
	assert_int_equal(ss_closed_to_json(MONTH, true, "coord", NULL, &closed), 0);
	ch.path = "months/" MONTH "/closed.json";
	ch.data = closed.data;
	ch.len = closed.len;
	c = craft(&base_tip, "coord", "coord", "coord", 1800000000,
	          "close: " MONTH "\n\nSsaudit-Action: close\nSsaudit-Month: " MONTH "\n", &ch, 1);
	assert_problem(&c, "was signed off with");
	ss_buf_release(&closed);
}

static void test_audit_verify__correction_from_must_be_current(void **state)
{
	struct ss_correct_req cr = {MONTH, NULL, true, "Arrest", false, SS_TRI_NULL, "lab result"};
	struct ss_correction done;
	struct ss_writer *w;
	struct ss_buf json = SS_BUF_INIT;
	char path[256], msg[512];
	struct ss_change ch;
	struct ss_oid tip, c;

	(void)state;
	NEED_FIXTURE();
	cr.id = unsampled;
	w = as("ro");
	if (ss_act_correct(w, &cr, &done) != 0)
		fail_msg("correct: %s", ss_error_message());
	ss_correction_release(&done);
	ss_writer_close(w);
	assert_holds();
	/* A second correction that claims the outcome was still the imported one. */
	tip = tip_of();
	ss_layout_correction(path, sizeof(path), MONTH, unsampled, 2);
	assert_int_equal(ss_buf_printf(&json,
	                               "{\n  \"month\": \"" MONTH "\",\n  \"id\": \"%s\",\n"
	                               "  \"changes\": [\n    {\"field\": \"outcome\", \"from\": "
	                               "\"A no further action disposal\", \"to\": \"Community "
	                               "resolution\"}\n  ],\n  \"reason\": \"later\",\n"
	                               "  \"by\": \"coord\"\n}\n",
	                               unsampled),
	                 0);
	ch.path = path;
	ch.data = json.data;
	ch.len = json.len;
	snprintf(msg, sizeof(msg),
	         "correction: " MONTH " %s\n\nSsaudit-Action: correction\nSsaudit-Month: " MONTH
	         "\nSsaudit-Record: %s\nSsaudit-Role: coordinator\n",
	         unsampled, unsampled);
	c = craft(&tip, "coord", "coord", "coord", 1800000000, msg, &ch, 1);
	assert_problem(&c, "the correction says outcome was 'A no further action disposal', but at "
	                   "that point it was 'Arrest'");
	ss_buf_release(&json);
}

/* A correction of `from` "Arrest" by `by`, filed as number `number` on the tip, signed by `signer`.
 */
static struct ss_oid correction_numbered(unsigned number, const char *by, const char *signer)
{
	struct ss_buf json = SS_BUF_INIT;
	char path[256], msg[512];
	struct ss_change ch;
	struct ss_oid tip = tip_of(), c;

	ss_layout_correction(path, sizeof(path), MONTH, unsampled, number);
	assert_int_equal(ss_buf_printf(&json,
	                               "{\n  \"month\": \"" MONTH "\",\n  \"id\": \"%s\",\n"
	                               "  \"changes\": [\n    {\"field\": \"outcome\", \"from\": "
	                               "\"Arrest\", \"to\": \"Community resolution\"}\n  ],\n"
	                               "  \"reason\": \"later\",\n  \"by\": \"%s\"\n}\n",
	                               unsampled, by),
	                 0);
	ch.path = path;
	ch.data = json.data;
	ch.len = json.len;
	snprintf(msg, sizeof(msg),
	         "correction: " MONTH " %s\n\nSsaudit-Action: correction\nSsaudit-Month: " MONTH
	         "\nSsaudit-Record: %s\nSsaudit-Role: coordinator\n",
	         unsampled, unsampled);
	c = craft(&tip, signer, signer, signer, 1800000000, msg, &ch, 1);
	ss_buf_release(&json);
	return c;
}

static void test_audit_verify__correction_is_the_next_number_by_its_signer(void **state)
{
	struct ss_correct_req cr = {MONTH, NULL, true, "Arrest", false, SS_TRI_NULL, "lab result"};
	struct ss_correction done;
	struct ss_writer *w;
	struct ss_oid c;

	(void)state;
	NEED_FIXTURE();
	cr.id = unsampled;
	w = as("ro");
	if (ss_act_correct(w, &cr, &done) != 0)
		fail_msg("correct: %s", ss_error_message());
	assert_int_equal(done.number, 1);
	ss_correction_release(&done);
	ss_writer_close(w);
	assert_holds();
	/* Number 1 again (a second site's first) replaces a file; number 3 skips one. */
	c = correction_numbered(1, "coord", "coord");
	assert_problem(&c, "a correction commit may not change this file");
	c = correction_numbered(3, "coord", "coord");
	assert_problem(&c, "the correction is numbered 0003, but the record had 1 correction "
	                   "before it, so the next is 0002");
	/* The next number, but said to be another person's. */
	c = correction_numbered(2, "ro", "coord");
	assert_problem(&c, "the correction says it is by 'ro', but coord signed it");
}

static void test_audit_verify__correction_needs_the_permission(void **state)
{
	struct ss_buf json = SS_BUF_INIT;
	char path[256], msg[512];
	struct ss_change ch;
	struct ss_oid c;

	(void)state;
	NEED_FIXTURE();
	ss_layout_correction(path, sizeof(path), MONTH, unsampled, 1);
	assert_int_equal(
	    ss_buf_printf(&json,
	                  "{\n  \"month\": \"" MONTH "\",\n  \"id\": \"%s\",\n"
	                  "  \"changes\": [\n    {\"field\": \"outcome\", \"from\": "
	                  "\"A no further action disposal\", \"to\": \"Arrest\"}\n  ],\n"
	                  "  \"reason\": \"I think so\",\n  \"by\": \"li\"\n}\n",
	                  unsampled),
	    0);
	ch.path = path;
	ch.data = json.data;
	ch.len = json.len;
	snprintf(msg, sizeof(msg),
	         "correction\n\nSsaudit-Action: correction\nSsaudit-Month: " MONTH
	         "\nSsaudit-Record: %s\n",
	         unsampled);
	c = craft(&base_tip, "li", "li", "li", 1800000000, msg, &ch, 1);
	assert_problem(&c, "does not let a local-inspector correct outcomes");
	ss_buf_release(&json);
}

/* reviewers/HANDLE.json and the allowed_signers that follows, for a crafted registration. */
static void registration(const char *handle, const char *role, const char *keyof,
                         struct ss_buf *file, struct ss_buf *signers)
{
	struct ss_trail *t = open_trail();
	struct ss_registry *reg = NULL;
	struct ss_reviewer rv, *grown;
	char name[128], email[128], kp[4400];
	struct ss_key *k = NULL;

	assert_int_equal(ss_registry_load(t, &base_tip, &reg), 0);
	ss_git_free(t);
	memset(&rv, 0, sizeof(rv));
	name_of(handle, name, sizeof(name));
	email_of(handle, email, sizeof(email));
	rv.handle = strdup(handle);
	rv.name = strdup(name);
	rv.email = strdup(email);
	rv.role = strdup(role);
	rv.added = strdup("2027-01-15T08:00:00Z");
	key_path(keyof, kp, sizeof(kp));
	assert_int_equal(ss_key_load(kp, &k), 0);
	ss_key_public(k, rv.pk);
	ss_key_free(k);
	rv.has_key = true;
	assert_int_equal(ss_reviewer_to_json(&rv, file), 0);
	{
		struct ss_reviewer *old = (struct ss_reviewer *)ss_registry_find(reg, handle);

		if (old != NULL) {
			ss_reviewer_release(old);
			*old = rv;
		} else {
			grown = realloc(reg->r, (reg->n + 1) * sizeof(*grown));
			assert_non_null(grown);
			reg->r = grown;
			reg->r[reg->n++] = rv;
		}
	}
	assert_int_equal(ss_registry_allowed_signers(reg, signers), 0);
	ss_registry_free(reg);
}

/* A reviewer-add commit by coord, crafted on the base tip, registering HANDLE
 * in ROLE with KEYOF's key. */
static struct ss_oid craft_registration(const char *handle, const char *role, const char *keyof)
{
	struct ss_buf file = SS_BUF_INIT, signers = SS_BUF_INIT, msg = SS_BUF_INIT;
	char path[64];
	struct ss_change ch[2];
	struct ss_oid c;

	registration(handle, role, keyof, &file, &signers);
	pathf(path, sizeof(path), "reviewers/%s.json", handle);
	ch[0].path = path;
	ch[0].data = file.data;
	ch[0].len = file.len;
	ch[1].path = "allowed_signers";
	ch[1].data = signers.data;
	ch[1].len = signers.len;
	assert_int_equal(ss_buf_printf(&msg,
	                               "reviewer-add: %s\n\nSsaudit-Action: reviewer-add\n"
	                               "Ssaudit-Role: %s\n",
	                               handle, role),
	                 0);
	c = craft(&base_tip, "coord", "coord", "coord", 1800000000, msg.data, ch, 2);
	ss_buf_release(&file);
	ss_buf_release(&signers);
	ss_buf_release(&msg);
	return c;
}

static void test_audit_verify__registers_only_the_roles_allowed(void **state)
{
	struct ss_oid c;

	(void)state;
	NEED_FIXTURE();
	c = craft_registration("m2", "qa-panel", "stranger");
	assert_problem(&c, "does not let a coordinator register a qa-panel");
}

static void test_audit_verify__a_handle_is_never_reused(void **state)
{
	struct ss_oid c;

	(void)state;
	NEED_FIXTURE();
	c = craft_registration("li", "local-inspector", "stranger");
	assert_problem(&c, "the handle 'li' was registered again");
}

static void test_audit_verify__first_commit_must_found_the_trail(void **state)
{
	struct ss_trail *t = NULL, *b = NULL;
	struct ss_change ch[5];
	const char *paths[] = {"trail.json", "policy.json", "reviewers/coord.json",
	                       "allowed_signers"};
	char *data[4] = {NULL};
	size_t len[4], i;
	char other[4200], kp[4400];
	struct signer s = {NULL};
	struct ss_commit_req req;
	struct ss_oid c;
	bool unchanged;

	(void)state;
	NEED_FIXTURE();
	b = open_trail();
	for (i = 0; i < 4; i++) {
		assert_int_equal(ss_git_read(b, &base_tip, paths[i], &data[i], &len[i]), 0);
		ch[i].path = paths[i];
		ch[i].data = data[i];
		ch[i].len = len[i];
	}
	ss_git_free(b);
	ch[4].path = "notes.txt";
	ch[4].data = "hello\n";
	ch[4].len = 6;
	pathf(other, sizeof(other), "%.4000s/other.git", dir);
	assert_int_equal(ss_git_create(other, &t), 0);
	memset(&req, 0, sizeof(req));
	req.author.name = req.committer.name = "Name of coord";
	req.author.email = req.committer.email = "coord@example.org";
	req.when = 1800000000;
	req.message = "founding\n\nSsaudit-Action: import\n";
	req.changes = ch;
	req.nchanges = 5;
	key_path("coord", kp, sizeof(kp));
	assert_int_equal(ss_key_load(kp, &s.key), 0);
	assert_int_equal(ss_git_commit(t, NULL, &req, sign_with, &s, &c, &unchanged), 0);
	ss_key_free(s.key);
	ss_git_free(t);
	for (i = 0; i < 4; i++)
		free(data[i]);
	snprintf(trail, sizeof(trail), "%s", other);
	assert_problem(&c, "the first commit may hold only");
	assert_problem(&c, "the first commit is not an init");
}

/* ---------------------------------------------------------------- merges */

static bool merge_tools(void)
{
	return have("git") && have("ssh-keygen") &&
	       sh("git merge-tree -h 2>&1 | grep -q -- --write-tree") == 0;
}

static void set_main(const struct ss_oid *c)
{
	char hex[41];

	ss_oid_hex(c, hex);
	assert_int_equal(sh("git --git-dir '%s' update-ref refs/heads/main %s", trail, hex), 0);
}

/* A merge commit of p1 and p2 with `tree` (NULL: git's merge of the two),
 * signed by `signer` with stock git; main moves to it. */
static struct ss_oid git_merge(const struct ss_oid *p1, const struct ss_oid *p2, const char *tree,
                               const char *signer)
{
	char h1[41], h2[41], t[64], out[64], kp[4400], name[128], email[128], msgf[4400];
	struct ss_oid c;
	FILE *f;

	ss_oid_hex(p1, h1);
	ss_oid_hex(p2, h2);
	if (tree == NULL)
		sh_line(t, sizeof(t), "git --git-dir '%s' merge-tree --write-tree %s %s", trail, h1,
		        h2);
	else
		snprintf(t, sizeof(t), "%s", tree);
	pathf(msgf, sizeof(msgf), "%s/merge-msg", dir);
	f = fopen(msgf, "w");
	assert_non_null(f);
	fputs("merge: the other site's work\n\nSsaudit-Action: merge\n", f);
	fclose(f);
	key_path(signer, kp, sizeof(kp));
	name_of(signer, name, sizeof(name));
	email_of(signer, email, sizeof(email));
	sh_line(out, sizeof(out),
	        "GIT_AUTHOR_NAME='%s' GIT_AUTHOR_EMAIL='%s' GIT_COMMITTER_NAME='%s' "
	        "GIT_COMMITTER_EMAIL='%s' git --git-dir '%s' -c gpg.format=ssh -c "
	        "user.signingkey='%s' commit-tree -S -p %s -p %s -F '%s' %s",
	        name, email, name, email, trail, kp, h1, h2, msgf, t);
	assert_int_equal(ss_oid_parse(out, &c), 0);
	set_main(&c);
	return c;
}

/* Two sides from the base: the second (made first) and the first (main). */
static void two_sides(struct ss_oid *first, struct ss_oid *second, const char *second_signer,
                      const char *second_id)
{
	*second = craft_verdict(&base_tip, second_signer, second_signer,
	                        strcmp(second_signer, "li") == 0 ? "local-inspector"
	                                                         : "independent-inspector",
	                        second_id, "reasonable", "verdict");
	set_main(&base_tip);
	*first = craft_verdict(&base_tip, "ii", "ii", "independent-inspector", li_ids[0],
	                       "not-reasonable", "verdict");
}

#define NEED_GIT_MERGE()                                                                           \
	do {                                                                                       \
		NEED_FIXTURE();                                                                    \
		if (!merge_tools())                                                                \
			skip();                                                                    \
	} while (0)

static void test_audit_verify__honest_merge_holds(void **state)
{
	struct ss_verify_summary sum;
	struct problems p;
	struct ss_oid a, b;

	(void)state;
	NEED_GIT_MERGE();
	two_sides(&a, &b, "li", li_ids[1]);
	git_merge(&a, &b, NULL, "coord");
	assert_int_equal(run_verify(NULL, &p, &sum), 0);
	show(&p);
	assert_int_equal(p.n, 0);
	assert_int_equal(sum.merges, 1);
	assert_int_equal(sum.commits, base_commits + 3);
	ss_verify_summary_release(&sum);
}

static void test_audit_verify__merge_that_drops_a_side(void **state)
{
	struct ss_oid a, b, m;
	char h[41], tree[64];

	(void)state;
	NEED_GIT_MERGE();
	two_sides(&a, &b, "li", li_ids[1]);
	ss_oid_hex(&a, h);
	sh_line(tree, sizeof(tree), "git --git-dir '%s' rev-parse %s^{tree}", trail, h);
	m = git_merge(&a, &b, tree, "coord");
	assert_problem(&m, "the merge drops the second side's change to this file");
}

static void test_audit_verify__merge_that_adds_its_own_change(void **state)
{
	struct ss_oid a, b, m, extra;
	char tree[64];

	(void)state;
	NEED_GIT_MERGE();
	two_sides(&a, &b, "li", li_ids[1]);
	/* A tree that also holds a verdict neither side recorded: git's merge
	 * of the second side with a child of the first. */
	extra =
	    craft_verdict(&a, "li", "li", "local-inspector", li_ids[2], "reasonable", "verdict");
	set_main(&a);
	{
		char he[41], hb[41];

		ss_oid_hex(&extra, he);
		ss_oid_hex(&b, hb);
		sh_line(tree, sizeof(tree), "git --git-dir '%s' merge-tree --write-tree %s %s",
		        trail, he, hb);
	}
	m = git_merge(&a, &b, tree, "coord");
	assert_problem(&m, "the merge changes this file, which the second side did not change");
}

static void test_audit_verify__merge_of_a_conflict(void **state)
{
	struct ss_oid a, b, m;
	char h[41], tree[64];

	(void)state;
	NEED_GIT_MERGE();
	/* Both sides record ii's verdict on the same record, differently. */
	b = craft_verdict(&base_tip, "ii", "ii", "independent-inspector", li_ids[0], "reasonable",
	                  "verdict");
	set_main(&base_tip);
	a = craft_verdict(&base_tip, "ii", "ii", "independent-inspector", li_ids[0],
	                  "not-reasonable", "verdict");
	ss_oid_hex(&b, h);
	sh_line(tree, sizeof(tree), "git --git-dir '%s' rev-parse %s^{tree}", trail, h);
	m = git_merge(&a, &b, tree, "coord");
	assert_problem(&m, "both sides of the merge changed this file differently");
}

static void test_audit_verify__merge_brings_in_a_removed_signer(void **state)
{
	struct ss_writer *w;
	struct ss_oid a, b, m;

	(void)state;
	NEED_GIT_MERGE();
	/* The second side: li records a verdict. The first side: li is removed. */
	b = craft_verdict(&base_tip, "li", "li", "local-inspector", li_ids[1], "reasonable",
	                  "verdict");
	set_main(&base_tip);
	w = as("coord");
	assert_int_equal(ss_act_reviewer_remove(w, "li"), 0);
	a = w->tip;
	ss_writer_close(w);
	m = git_merge(&a, &b, NULL, "coord");
	assert_problem(&m, "of the second side does not hold on top of the first side: signed by "
	                   "li, whose registration had been removed");
}

static void test_audit_verify__merge_signed_by_a_stranger(void **state)
{
	struct ss_oid a, b, m;

	(void)state;
	NEED_GIT_MERGE();
	two_sides(&a, &b, "li", li_ids[1]);
	m = git_merge(&a, &b, NULL, "stranger");
	assert_problem(&m, "signed by a key nobody had registered");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_audit_verify__honest_trail_holds, fresh),
	    cmocka_unit_test_setup(test_audit_verify__root_and_anchor, fresh),
	    cmocka_unit_test_setup(test_audit_verify__plumbing_verdict_holds, fresh),
	    cmocka_unit_test_setup(test_audit_verify__answers_must_be_allowed, fresh),
	    cmocka_unit_test_setup(test_audit_verify__act_must_match_the_paths, fresh),
	    cmocka_unit_test_setup(test_audit_verify__verdict_on_behalf_needs_the_trailer, fresh),
	    cmocka_unit_test_setup(test_audit_verify__verdict_in_a_closed_month, fresh),
	    cmocka_unit_test_setup(test_audit_verify__close_needs_every_verdict, fresh),
	    cmocka_unit_test_setup(test_audit_verify__correction_from_must_be_current, fresh),
	    cmocka_unit_test_setup(test_audit_verify__correction_needs_the_permission, fresh),
	    cmocka_unit_test_setup(test_audit_verify__correction_is_the_next_number_by_its_signer,
	                           fresh),
	    cmocka_unit_test_setup(test_audit_verify__registers_only_the_roles_allowed, fresh),
	    cmocka_unit_test_setup(test_audit_verify__a_handle_is_never_reused, fresh),
	    cmocka_unit_test_setup(test_audit_verify__first_commit_must_found_the_trail, fresh),
	    cmocka_unit_test_setup(test_audit_verify__honest_merge_holds, fresh),
	    cmocka_unit_test_setup(test_audit_verify__merge_that_drops_a_side, fresh),
	    cmocka_unit_test_setup(test_audit_verify__merge_that_adds_its_own_change, fresh),
	    cmocka_unit_test_setup(test_audit_verify__merge_of_a_conflict, fresh),
	    cmocka_unit_test_setup(test_audit_verify__merge_brings_in_a_removed_signer, fresh),
	    cmocka_unit_test_setup(test_audit_verify__merge_signed_by_a_stranger, fresh),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
