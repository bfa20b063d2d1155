/*
 * walk.c - DESIGN.md section 10, checked commit by commit, oldest first.
 *
 * Every non-merge commit is judged against its parent only: who signed it
 * (the key registered in the parent's reviewers/), what their role allowed
 * under the parent's policy, and what the commit changed (the diff of the
 * two trees, which skips equal subtrees). So a problem is reported once, at
 * the commit that made it, and later honest commits are not blamed for it.
 *
 * Speed: the registry and the policy in force are carried from parent to
 * child and re-read only when a commit changes reviewers/ or policy.json;
 * samples, sign-offs and populations are parsed once per blob id. A verdict
 * commit then costs one signature check, one small diff and a few lookups.
 *
 * Here: the walk, the first commit, the published ids (--root, --anchor)
 * and the summary.
 */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "json.h"
#include "state.h"
#include "verify_int.h"

/* Directories up to TREE_CACHE bytes stay in libgit2's caches, which hold at
 * most CACHE_TOTAL. The object check keeps the directories it needs itself,
 * and the walk takes each commit's changes from its notes, so caching large
 * directories (a month's verdicts/ is 30 KB) only pushes out the commits the
 * walk reads again: measured on 20,000 verdicts, 4 KB (libgit2's own default)
 * makes the walk a quarter faster than 1 MB, and a larger total costs memory
 * without saving time. */
#define TREE_CACHE  ((size_t)4 << 10)
#define CACHE_TOTAL ((size_t)32 << 20)

/* Blobs up to KEEP_BLOB bytes (verdicts, reviewers, corrections), KEEP_BLOBS
 * in all, are kept from the object check for the walk, which reads most of
 * them again: re-reading one from a pack can mean undoing a chain of deltas. */
#define KEEP_BLOB  ((size_t)4 << 10)
#define KEEP_BLOBS ((size_t)128 << 20)

#define DAY ((int64_t)24 * 60 * 60) /* how far a commit's date may stray before a warning */

#define SAME_SHOWN 20  /* problems listed for one file of one commit; the rest counted */
#define PATH_SHOWN 240 /* a longer path is shown cut in the middle */

/* Say how many problems of the last file were counted but not listed. */
static void flush_unlisted(struct vctx *v)
{
	char reason[256];

	if (v->unlisted == 0)
		return;
	snprintf(reason, sizeof(reason), _("... and %zu more problem%s of this file, not listed"),
	         v->unlisted, v->unlisted == 1 ? "" : "s");
	if (v->fn != NULL)
		v->fn(v->fnctx, v->last_hex, v->last_path, reason);
	v->unlisted = 0;
}

void ss_verify_problem(struct vctx *v, const char *hex, const char *path, const char *fmt, ...)
{
	char reason[2048], shown[PATH_SHOWN + 8];
	size_t n;
	va_list ap;

	hex = hex != NULL ? hex : "";
	path = path != NULL ? path : "";
	v->sum->problems++;
	/* One forged file can break a rule thousands of times (a verdict with
	 * 80,000 answers): list the first few, count the rest. */
	if (*path != '\0' && strcmp(hex, v->last_hex) == 0 && strcmp(path, v->last_path) == 0) {
		if (++v->same > SAME_SHOWN) {
			v->unlisted++;
			return;
		}
	} else {
		flush_unlisted(v);
		snprintf(v->last_hex, sizeof(v->last_hex), "%s", hex);
		snprintf(v->last_path, sizeof(v->last_path), "%s", path);
		v->same = 1;
	}
	n = strlen(path);
	if (n > PATH_SHOWN) {
		snprintf(shown, sizeof(shown), "%.*s...%s", PATH_SHOWN / 2, path,
		         path + n - (PATH_SHOWN / 2 - 3));
		path = shown;
	}
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (v->fn != NULL)
		v->fn(v->fnctx, hex, path, reason);
}

/* A problem the object check found while the loose check was not over:
 * told once it is (the gate), as if found after it. */
struct held {
	char *hex, *path, *reason;
};

/* The loose objects' check ends while the object check reads the commits:
 * until it has, what the object check finds is held, and before it reads a
 * large loose blob (or anything but commits) it waits. */
struct vgate {
	struct ss_git_loose *loose; /* NULL once over */
	struct ss_oid tip;
	struct held *held;
	size_t n, cap;
	int stop;       /* nonzero: verification stopped there (damaged loose objects, or an
	                   error reading them or stock git's view), with that error */
	char *stop_msg; /* ... and its message */
};

/* For ss_git_check_objects, whose callback has the same shape. */
static void object_problem(void *ctx, const char *hex, const char *path, const char *reason)
{
	struct vctx *v = ctx;
	struct vgate *g = v->gate;

	if (g != NULL && g->loose != NULL) {
		struct held *h;

		if (ss_array_room((void **)&g->held, &g->cap, g->n, sizeof(*g->held), 16) != 0)
			goto tell; /* told now, out of order, rather than lost */
		h = &g->held[g->n];
		h->hex = strdup(hex != NULL ? hex : "");
		h->path = strdup(path != NULL ? path : "");
		h->reason = strdup(reason);
		if (h->hex != NULL && h->path != NULL && h->reason != NULL) {
			g->n++;
			return;
		}
		free(h->hex);
		free(h->path);
		free(h->reason);
	}
tell:
	ss_verify_problem(ctx, hex, path, "%s", reason);
}

static void gate_release(struct vgate *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->held[i].hex);
		free(g->held[i].path);
		free(g->held[i].reason);
	}
	free(g->held);
	free(g->stop_msg);
	if (g->loose != NULL) {
		size_t n;

		(void)ss_git_check_loose_finish(g->loose, NULL, NULL, &n);
		ss_error_clear();
	}
	memset(g, 0, sizeof(*g));
}

/*
 * The loose check's end (ss_git_check_objects_hooked's reading hook): before
 * the object check reads a large loose blob, or anything once the commits
 * are read. Its problems are told, then stock git's view of the trail is
 * checked, then what the object check held is told, and the walk's reads
 * ahead begin. A damaged loose object stops verification there, as libgit2
 * can hang reading one: nothing the object check held is told.
 */
static int gate_open(void *ctx, const struct ss_oid *id)
{
	struct vctx *v = ctx;
	struct vgate *g = v->gate;
	struct ss_git_loose *lc;
	size_t n, i;
	int err;

	if (g->loose == NULL || (id != NULL && !ss_git_loose_pending(g->loose, id)))
		return 0;
	lc = g->loose;
	g->loose = NULL; /* what it finds is told now */
	err = ss_git_check_loose_finish(lc, object_problem, v, &n);
	if (err == SS_EFAIL) {
		g->stop = err;
		g->stop_msg = strdup(ss_error_message());
		/* Reading such an object can hang libgit2: stop before anything does. */
		ss_verify_problem(
		    v, "", "",
		    _("verification stopped here: restore the damaged objects from another copy "
		      "of the trail, then verify again"));
		return err;
	}
	if (!err)
		err = ss_git_check_view(v->t, object_problem, v);
	if (err && err != SS_EFAIL) {
		g->stop = err; /* as when nothing was read yet */
		g->stop_msg = strdup(ss_error_message());
		return err;
	}
	for (i = 0; i < g->n; i++)
		ss_verify_problem(v, g->held[i].hex, g->held[i].path, "%s", g->held[i].reason);
	/* The walk's slowest reads begin now, beside the rest of the object check. */
	ss_verify_prefetch_start(v, &g->tip);
	return 0;
}

/* Every name in every tree must be one the layout has a place for, so that
 * nothing (a name, a deeper tree) hides beside the trail's own files. */
static const char *layout_names(void *ctx, const char *path, bool is_dir)
{
	struct ss_layout_path l;

	(void)ctx;
	if (is_dir)
		return ss_layout_dir_valid(path)
		           ? NULL
		           : _("a folder the trail's layout has no place for (the deepest it goes "
		               "is months/M/verdicts/XX/ID/FILE)");
	ss_layout_classify(path, &l);
	return l.kind != SS_LAYOUT_OTHER ? NULL : _("a file the trail's layout has no place for");
}

/* A commit's date against its parent's and the clock: warnings only, since
 * clocks drift and a date proves nothing (the order of commits does). */
static int check_dates(struct vctx *v, const struct ss_commit_view *c, const char *hex, bool fixed)
{
	const char *why = NULL;
	size_t i;

	if (fixed)
		return 0; /* reported as a fixed clock already */
	for (i = 0; i < c->nparents && why == NULL; i++) {
		const struct cstate *p = ss_verify_state_of(v, &c->parents[i]);

		if (p != NULL && c->commit_time < p->when - DAY)
			why = _("dated more than a day before its parent");
	}
	if (why == NULL && (c->commit_time > v->now + DAY || c->author_time > v->now + DAY))
		why = _("dated more than a day after this check ran");
	if (why != NULL) {
		struct ss_verify_clock *grown =
		    realloc(v->sum->clock, (v->sum->nclock + 1) * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		v->sum->clock = grown;
		memcpy(grown[v->sum->nclock].commit, hex, 41);
		grown[v->sum->nclock++].why = why;
	}
	return 0;
}

/* trail.json: the format this verifier knows, and a pseudonym-key fingerprint,
 * read as the writers read them. */
static int check_trail_json(struct vctx *v, struct cc *k)
{
	char *data = NULL, *format = NULL, *fp = NULL;
	size_t len = 0;
	int err;

	if (ss_verify_read_at(k, &k->c->oid, SS_LAYOUT_TRAIL, &data, &len) != 0 || data == NULL)
		return 0;
	if ((err = ss_json_member_string(data, len, "format", &format)) != 0 ||
	    (err = ss_json_member_string(data, len, "pseudonym_key_fingerprint", &fp)) != 0)
		goto out;
	if (format == NULL || strcmp(format, SS_TRAIL_FORMAT) != 0)
		ss_verify_problem(v, k->hex, SS_LAYOUT_TRAIL,
		                  _("trail.json does not say format \"%s\""), SS_TRAIL_FORMAT);
	else if (fp == NULL || strlen(fp) != 32)
		ss_verify_problem(v, k->hex, SS_LAYOUT_TRAIL,
		                  _("trail.json has no pseudonym key fingerprint"));
out:
	free(data);
	free(format);
	free(fp);
	return err;
}

/* The first commit founds the trail: exactly its four files, signed by the founder. */
static int check_root(struct vctx *v, struct cc *k)
{
	const struct ss_reviewer *founder = NULL;
	const struct ss_registry *reg = NULL;
	const struct vpol *pol = NULL;
	size_t i, nrev = 0;
	bool ok, has[3] = {false, false, false};
	int err;

	if (v->have_root)
		ss_verify_problem(
		    v, k->hex, "",
		    _("a second first commit: part of this history did not grow from the trail's "
		      "first commit"));
	if ((err = ss_verify_diff(v, NULL, &k->c->oid, k->hex, &k->ch, &ok)) != 0)
		return err;
	for (i = 0; ok && i < k->ch.n; i++) {
		const struct vpath *p = &k->ch.v[i];

		if (p->l.kind == SS_LAYOUT_TRAIL_FILE || p->l.kind == SS_LAYOUT_POLICY_FILE ||
		    p->l.kind == SS_LAYOUT_SIGNERS_FILE)
			has[p->l.kind == SS_LAYOUT_TRAIL_FILE    ? 0
			    : p->l.kind == SS_LAYOUT_POLICY_FILE ? 1
			                                         : 2] = true;
		else if (p->l.kind == SS_LAYOUT_REVIEWER)
			nrev++;
		else
			ss_verify_problem(v, k->hex, p->path,
			                  _("the first commit may hold only trail.json, "
			                    "policy.json, the founder's "
			                    "file in reviewers/ and allowed_signers"));
	}
	if (ok && (!has[0] || !has[1] || !has[2] || nrev != 1))
		ss_verify_problem(
		    v, k->hex, "",
		    _("the first commit must hold trail.json, policy.json, allowed_signers and "
		      "exactly one reviewer, the founder"));
	if ((err = ss_verify_load_registry(v, &k->c->oid, k->hex, &reg)) != 0 ||
	    (err = ss_verify_load_policy(v, &k->c->oid, k->hex, &pol)) != 0)
		return err;
	k->cs->reg = reg != NULL ? reg : &v->empty;
	k->cs->pol = pol;
	if (pol != NULL && pol->pol == NULL)
		ss_verify_problem(v, k->hex, SS_LAYOUT_POLICY,
		                  _("the founding policy is not valid: %s"), pol->error);
	if (reg != NULL && reg->n == 1)
		founder = &reg->r[0];
	if (v->have_root)
		return 0;
	v->have_root = true;
	memcpy(v->sum->trail_id, k->hex, 41);
	if (founder != NULL) {
		snprintf(v->sum->founder, sizeof(v->sum->founder), "%s", founder->handle);
		if (founder->has_key)
			ss_pubkey_fingerprint(founder->pk, v->sum->founder_fingerprint);
		if (founder->removed != NULL)
			ss_verify_problem(v, k->hex, SS_LAYOUT_REVIEWERS "/",
			                  _("the founder is registered as removed"));
		if (pol != NULL && pol->pol != NULL &&
		    ss_policy_role(pol->pol, founder->role) == NULL)
			ss_verify_problem(v, k->hex, SS_LAYOUT_REVIEWERS "/",
			                  _("the founder's role '%s' is not in the policy"),
			                  founder->role);
	}
	if ((err = check_trail_json(v, k)) != 0 ||
	    (err = ss_verify_check_signers(v, &k->c->oid, k->hex, reg)) != 0)
		return err;
	k->signer = ss_verify_check_signature(v, k->c, k->hex, reg, k->cs);
	if (k->act != SS_ACTION_INIT)
		ss_verify_problem(v, k->hex, "",
		                  _("the first commit is not an init (Ssaudit-Action: init)"));
	if (founder != NULL && k->tr.role[0] != '\0' && strcmp(k->tr.role, founder->role) != 0)
		ss_verify_problem(v, k->hex, "",
		                  _("the commit says the founder's role is '%s', the file '%s'"),
		                  k->tr.role, founder->role);
	if (strcmp(k->c->author_name, k->c->committer_name) != 0 ||
	    strcmp(k->c->author_email, k->c->committer_email) != 0)
		ss_verify_problem(v, k->hex, "",
		                  _("the author of the first commit is not its committer"));
	return 0;
}
/* -------------------------------------------------------------- walk */

/*
 * The Ssaudit-* trailers of the message, as git reads them. A trailer given
 * twice or too long for any legal value is a problem.
 */
static void report_trailers(struct vctx *v, const char *hex, const char *msg,
                            struct ss_trailers *tr)
{
	unsigned i, k;

	ss_trailers_parse(msg, tr);
	for (k = 0; k < SS_TRAILER_COUNT; k++)
		for (i = 0; i < tr->repeats[k]; i++)
			ss_verify_problem(v, hex, "", _("the commit message gives %s twice"),
			                  ss_trailers_key((enum ss_trailer)k));
	if (tr->too_long)
		ss_verify_problem(
		    v, hex, "",
		    _("the commit message has an Ssaudit- trailer too long to be valid"));
}

static int visit(void *ctx, const struct ss_commit_view *c)
{
	struct vctx *v = ctx;
	struct cstate *cs = calloc(1, sizeof(*cs));
	union ss_map_value *slot;
	struct cc k;
	char hex[41];
	int err;

	if (cs == NULL)
		return ss_error_nomem();
	cs->oid = c->oid;
	memcpy(cs->parents, c->parents, sizeof(cs->parents));
	cs->nparents = c->nparents;
	cs->when = c->commit_time;
	if ((err = ss_map_put(v->commits, cs->oid.id, sizeof(cs->oid.id), &slot, NULL)) != 0) {
		free(cs);
		return err;
	}
	slot->ptr = cs;
	ss_oid_hex(&c->oid, hex);
	memset(&k, 0, sizeof(k));
	k.v = v;
	k.c = c;
	k.hex = hex;
	k.cs = cs;
	if (++v->sum->commits % 256 == 0 && v->opts->progress != NULL)
		v->opts->progress(v->opts->progress_ctx, v->sum->commits);
	report_trailers(v, hex, c->message, &k.tr);
	k.act = ss_rules_action(k.tr.action);
	if (c->signature_problem != NULL)
		ss_verify_problem(v, hex, "",
		                  _("%s; git verify-commit would not check it as signed"),
		                  c->signature_problem);
	if ((err = check_dates(v, c, hex, k.tr.fixed)) != 0)
		return err;
	if (k.tr.fixed) {
		char(*grown)[41] =
		    realloc(v->sum->fixed_clock, (v->sum->nfixed + 1) * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		v->sum->fixed_clock = grown;
		memcpy(grown[v->sum->nfixed++], hex, 41);
	}
	if (c->nparents_total == 0)
		err = check_root(v, &k);
	else if (c->nparents_total == 1)
		err = ss_verify_check_commit(v, &k);
	else
		err = ss_verify_check_merge(v, &k);
	ss_verify_changes_release(&k.ch);
	return err;
}

/* A commit named by a published id: the trail id full or abbreviated, an
 * anchor only as 40 hex digits (the command line refuses anything else). */
static bool resolve(struct vctx *v, const char *text, bool full_only, struct ss_oid *out)
{
	if (strlen(text) == 40 && ss_oid_parse(text, out) == 0)
		return true;
	return !full_only && ss_git_resolve(v->t, text, out) == 0;
}

static void check_published(struct vctx *v, const struct ss_verify_opts *opts,
                            const struct ss_oid *tip)
{
	struct ss_oid id;
	char hex[41];
	bool yes = false;

	if (opts->root != NULL) {
		if (!resolve(v, opts->root, false, &id))
			ss_verify_problem(
			    v, opts->root, "",
			    _("the published trail id is not a commit of this trail, whose first "
			      "commit is %s"),
			    v->sum->trail_id);
		else if (ss_oid_hex(&id, hex), strcmp(hex, v->sum->trail_id) != 0)
			ss_verify_problem(
			    v, v->sum->trail_id, "",
			    _("the trail's first commit is not the published trail id %s: this is "
			      "another trail, or its history was rewritten from the start"),
			    opts->root);
	}
	if (opts->anchor != NULL) {
		if (!resolve(v, opts->anchor, true, &id) ||
		    ss_git_is_ancestor(v->t, &id, tip, &yes) != 0 || !yes)
			ss_verify_problem(
			    v, opts->anchor, "",
			    opts->tip != NULL
			        ? _("the tip published earlier is no longer in the history "
			            "of the commit checked: the history was rewritten after "
			            "it was published")
			        : _("the tip published earlier is no longer in the history "
			            "of main: the history was rewritten after it was "
			            "published"));
	}
}

int ss_verify_run(struct ss_trail *t, const struct ss_verify_opts *opts, ss_verify_problem_fn fn,
                  void *ctx, struct ss_verify_summary *summary)
{
	static const struct ss_verify_opts none = {NULL, NULL, NULL, NULL, NULL};
	bool fixed;
	struct vctx v;
	struct vgate gate;
	struct ss_oid tip;
	int err;

	memset(summary, 0, sizeof(*summary));
	memset(&v, 0, sizeof(v));
	memset(&gate, 0, sizeof(gate));
	v.t = t;
	v.fn = fn;
	v.fnctx = ctx;
	v.sum = summary;
	if (opts == NULL)
		opts = &none;
	v.opts = opts;
	v.now = ss_clock_now(&fixed);
	if (opts->tip != NULL) {
		if (strlen(opts->tip) != 40 || ss_oid_parse(opts->tip, &tip) != 0)
			return ss_error_set(SS_EUSAGE,
			                    _("--tip needs a full 40-digit commit id, not '%s'"),
			                    opts->tip);
		if (ss_git_resolve(t, opts->tip, &tip) != 0)
			return ss_error_set(SS_ENOINPUT,
			                    _("the commit %s is not in the audit trail '%s'"),
			                    opts->tip, ss_git_path(t));
		err = 0;
	} else {
		err = ss_git_tip(t, &tip);
	}
	if (err == SS_ENOTFOUND)
		return ss_error_set(SS_ENOINPUT, _("the audit trail '%s' has no history yet"),
		                    ss_git_path(t));
	if (err)
		return err;
	ss_oid_hex(&tip, summary->tip);
	if ((err = ss_verify_state_init(&v)) != 0)
		goto out;
	/* The loose objects first (libgit2 must read no damaged one), their
	 * large blobs on a thread of their own while the object check reads
	 * the commits (the gate: gate_open). */
	v.gate = &gate;
	gate.tip = tip;
	if ((err = ss_git_check_loose_start(t, &gate.loose)) != 0)
		goto out;
	if (ss_git_loose_damaged(gate.loose)) { /* nothing may be read: stop now */
		err = gate_open(&v, NULL);
		goto stopped;
	}
	ss_git_cache_trees(TREE_CACHE, CACHE_TOTAL);
	{
		struct ss_git_check_hooks h = {layout_names, NULL, object_problem, &v,
		                               NULL,         NULL, gate_open};

		if ((err = ss_verify_sigs_start(&v.sigs)) != 0)
			goto out;
		h.commit = ss_verify_sigs_add;
		h.commit_ctx = v.sigs;
		ss_git_keep_blobs(t, KEEP_BLOB, KEEP_BLOBS);
		ss_git_note_diffs(t, true);
		err = ss_git_check_objects_hooked(t, &tip, &h);
		/* A check that ended before its commits were all read: the gate now. */
		if (gate.loose != NULL) {
			int gerr = gate_open(&v, NULL);

			if (gerr && gerr != SS_EFAIL)
				err = gerr;
		}
		ss_verify_sigs_finish(v.sigs);
	}
stopped:
	if (gate.stop != 0) {
		err = ss_error_set(gate.stop, "%s", gate.stop_msg != NULL ? gate.stop_msg : "");
		goto out;
	}
	if (err == SS_ENOMEM)
		goto out;
	if (err && err != SS_EFAIL)
		ss_verify_problem(&v, summary->tip, "", _("the objects cannot all be checked: %s"),
		                  ss_error_message());
	/* Every object was hashed once just above; when all held, the walk need
	 * not hash them again (it reads the same objects, from the same tip),
	 * and takes each commit's changes from its parent as the check noted
	 * them. Otherwise it reads and hashes everything again. The reads made
	 * ahead end first: they are hashed as the check's are. */
	ss_verify_prefetch_join(&v);
	if (summary->problems == 0)
		ss_git_hash_reads(false);
	else
		ss_git_note_diffs(t, false);
	err = ss_git_walk(t, &tip, visit, &v);
	ss_git_hash_reads(true);
	ss_git_keep_blobs(t, 0, 0);
	ss_git_note_diffs(t, false);
	if (err == SS_ENOMEM)
		goto out;
	if (err)
		ss_verify_problem(&v, "", "", _("the history cannot be read to its start: %s"),
		                  ss_error_message());
	check_published(&v, opts, &tip);
	flush_unlisted(&v);
	err = summary->problems == 0
	          ? 0
	          : ss_error_set(SS_EFAIL, _("%zu problem%s in the audit trail"), summary->problems,
	                         summary->problems == 1 ? "" : "s");
out:
	ss_verify_prefetch_free(&v);
	gate_release(&gate);
	v.gate = NULL;
	ss_git_keep_blobs(t, 0, 0);
	ss_git_note_diffs(t, false);
	ss_verify_sigs_free(v.sigs);
	ss_verify_state_release(&v);
	return err;
}

void ss_verify_summary_release(struct ss_verify_summary *s)
{
	if (s == NULL)
		return;
	free(s->fixed_clock);
	s->fixed_clock = NULL;
	s->nfixed = 0;
	free(s->clock);
	s->clock = NULL;
	s->nclock = 0;
}
