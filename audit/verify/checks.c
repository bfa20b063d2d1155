/*
 * checks.c - a one-parent commit against its parent: its state, signature and
 * trailers, every changed path against store/rules' table for its act, then
 * the act's own checks (checks_trail.c, checks_month.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_int.h"

/* "X is a ROLE, and the policy in force does not let a ROLE DO": one whole
 * sentence per permission, for the translators. */
static void deny(struct cc *k, unsigned what, const char *path)
{
	const char *h = k->signer->handle, *r = k->signer->role, *a = ss_role_a_an(r);
	struct vctx *v = k->v;

	switch (what) {
	case SS_MAY_IMPORT:
		ss_verify_problem(
		    v, k->hex, path,
		    _("%s is %s %s, and the policy in force does not let %s %s import records"), h,
		    a, r, a, r);
		break;
	case SS_MAY_SAMPLE:
		ss_verify_problem(
		    v, k->hex, path,
		    _("%s is %s %s, and the policy in force does not let %s %s draw samples"), h, a,
		    r, a, r);
		break;
	case SS_MAY_REVIEW:
		ss_verify_problem(
		    v, k->hex, path,
		    _("%s is %s %s, and the policy in force does not let %s %s record verdicts"), h,
		    a, r, a, r);
		break;
	case SS_MAY_ENTER_FOR:
		ss_verify_problem(v, k->hex, path,
		                  _("%s is %s %s, and the policy in force does not let %s %s enter "
		                    "verdicts for others"),
		                  h, a, r, a, r);
		break;
	case SS_MAY_CORRECT:
		ss_verify_problem(
		    v, k->hex, path,
		    _("%s is %s %s, and the policy in force does not let %s %s correct outcomes"),
		    h, a, r, a, r);
		break;
	case SS_MAY_RESPOND:
		ss_verify_problem(v, k->hex, path,
		                  _("%s is %s %s, and the policy in force does not let %s %s "
		                    "respond to follow-up items"),
		                  h, a, r, a, r);
		break;
	case SS_MAY_CLOSE:
		ss_verify_problem(v, k->hex, path,
		                  _("%s is %s %s, and the policy in force does not let %s %s close "
		                    "or reopen months"),
		                  h, a, r, a, r);
		break;
	case SS_MAY_POLICY:
		ss_verify_problem(
		    v, k->hex, path,
		    _("%s is %s %s, and the policy in force does not let %s %s change the policy"),
		    h, a, r, a, r);
		break;
	case SS_MAY_REVEAL:
		ss_verify_problem(v, k->hex, path,
		                  _("%s is %s %s, and the policy in force does not let %s %s "
		                    "reveal who is behind a pseudonym"),
		                  h, a, r, a, r);
		break;
	default:
		ss_verify_problem(
		    v, k->hex, path,
		    _("%s is %s %s, and the policy in force does not let %s %s do that"), h, a, r,
		    a, r);
	}
}

/* Does the signer's role allow `what`? Reports when it does not. */
bool ss_verify_permitted(struct cc *k, unsigned what, const char *path)
{
	if (k->signer == NULL || k->pol == NULL)
		return false; /* already reported */
	if (k->role == NULL) {
		ss_verify_problem(
		    k->v, k->hex, path, _("%s is %s %s, a role the policy in force does not have"),
		    k->signer->handle, ss_role_a_an(k->signer->role), k->signer->role);
		return false;
	}
	if (!ss_role_may(k->role, what)) {
		deny(k, what, path);
		return false;
	}
	return true;
}

/* May act a change this path (its month agreeing with the Ssaudit-Month trailer)? */
bool ss_verify_path_allowed(enum ss_action a, const struct vpath *p)
{
	return ss_rules_path_allowed(a, p->l.kind, p->status);
}

/*
 * Every changed path must be one the commit's act may change. Returns the
 * number of paths that count (allowed_signers is derived and never counts).
 */
static int check_paths(struct cc *k, size_t *counted)
{
	struct vctx *v = k->v;
	const char *name = ss_rules_trailer(k->act);
	size_t i;
	int err;

	*counted = 0;
	k->path_problems = v->sum->problems;
	for (i = 0; i < k->ch.n; i++) {
		const struct vpath *p = &k->ch.v[i];

		if (p->l.kind == SS_LAYOUT_SIGNERS_FILE)
			continue;
		(*counted)++;
		if (p->l.kind == SS_LAYOUT_SAMPLE && p->status != SS_PATH_ADDED) {
			ss_verify_problem(
			    v, k->hex, p->path,
			    p->status == SS_PATH_DELETED
			        ? _("the sample was deleted after it was drawn")
			        : _("the sample was changed after it was drawn (a sample, once "
			            "drawn, never changes)"));
			continue;
		}
		if (p->l.kind == SS_LAYOUT_POPULATION || p->l.kind == SS_LAYOUT_SOURCES) {
			const struct ss_sample *s;
			bool sampled;

			err = ss_verify_sample_at(v, &k->before, p->l.month, &s, &sampled);
			if (err == SS_ENOMEM)
				return err;
			if (err == 0 && sampled) {
				if (p->l.kind == SS_LAYOUT_POPULATION)
					ss_verify_problem(
					    v, k->hex, p->path,
					    _("the population of %s was changed after the month "
					      "was sampled (records can be replaced only until the "
					      "sample is drawn)"),
					    p->l.month);
				else
					ss_verify_problem(
					    v, k->hex, p->path,
					    _("the list of sources of %s was changed after the "
					      "month was sampled (records can be replaced only "
					      "until the sample is drawn)"),
					    p->l.month);
				continue;
			}
		}
		if (p->l.kind == SS_LAYOUT_TRAIL_FILE) {
			ss_verify_problem(v, k->hex, p->path,
			                  _("trail.json was changed; it never changes after the "
			                    "first commit"));
			continue;
		}
		if (p->l.kind == SS_LAYOUT_REVIEWER && p->status == SS_PATH_DELETED) {
			ss_verify_problem(v, k->hex, p->path,
			                  _("a reviewer's file was deleted (a removal keeps the "
			                    "file and marks it "
			                    "removed, so earlier signatures still verify)"));
			continue;
		}
		if (p->l.kind == SS_LAYOUT_REVIEWER && k->act == SS_ACTION_REVIEWER_ADD &&
		    p->status == SS_PATH_MODIFIED) {
			ss_verify_problem(
			    v, k->hex, p->path,
			    _("the handle '%s' was registered again (a handle is never reused)"),
			    p->l.handle);
			continue;
		}
		if (p->l.kind == SS_LAYOUT_OTHER) {
			ss_verify_problem(v, k->hex, p->path,
			                  _("no act of ssaudit writes this path"));
			continue;
		}
		if (k->act == SS_ACTION_NONE) {
			ss_verify_problem(
			    v, k->hex, p->path,
			    _("the commit names no act (no Ssaudit-Action trailer), so it may not "
			      "change this file"));
			continue;
		}
		if (k->act == SS_ACTION_UNKNOWN) {
			ss_verify_problem(v, k->hex, p->path,
			                  _("the commit's Ssaudit-Action '%s' is not an act of "
			                    "ssaudit, so it may "
			                    "not change this file"),
			                  k->tr.action);
			continue;
		}
		if (!ss_verify_path_allowed(k->act, p)) {
			const char *a = ss_role_a_an(name), *w = ss_rules_writer_of(p->l.kind);

			if (p->status == SS_PATH_ADDED)
				ss_verify_problem(v, k->hex, p->path,
				                  _("%s %s commit may not add this file (%s does)"),
				                  a, name, w);
			else if (p->status == SS_PATH_DELETED)
				ss_verify_problem(
				    v, k->hex, p->path,
				    _("%s %s commit may not delete this file (%s does)"), a, name,
				    w);
			else
				ss_verify_problem(
				    v, k->hex, p->path,
				    _("%s %s commit may not change this file (%s does)"), a, name,
				    w);
			continue;
		}
		if (p->l.month[0] != '\0' && strcmp(p->l.month, k->tr.month) != 0)
			ss_verify_problem(v, k->hex, p->path,
			                  _("the commit says it is about month '%s' "
			                    "(Ssaudit-Month) but changes a "
			                    "file of %s"),
			                  k->tr.month, p->l.month);
	}
	k->path_problems = v->sum->problems - k->path_problems;
	return 0;
}

/* A file's bytes at a commit; a failure to read it is reported (*data NULL). */
int ss_verify_read_at(struct cc *k, const struct ss_oid *commit, const char *path, char **data,
                      size_t *len)
{
	int err = ss_git_read(k->v->t, commit, path, data, len);

	if (err == SS_ENOMEM)
		return err;
	if (err)
		ss_verify_problem(k->v, k->hex, path, _("the file cannot be read: %s"),
		                  ss_error_message());
	return 0;
}

int ss_verify_read_changed(struct cc *k, const struct vpath *p, char **data, size_t *len)
{
	int err;

	if (!p->has_blob)
		return ss_verify_read_in(k, &k->after, p->path, data, len);
	err = ss_git_read_blob(k->v->t, &p->blob, p->path, data, len);
	if (err == SS_ENOMEM)
		return err;
	if (err)
		ss_verify_problem(k->v, k->hex, p->path, _("the file cannot be read: %s"),
		                  ss_error_message());
	return 0;
}

/* The same in a vtree. */
int ss_verify_read_in(struct cc *k, const struct vtree *tr, const char *path, char **data,
                      size_t *len)
{
	int err = ss_verify_tree_read(k->v, tr, path, data, len);

	if (err == SS_ENOMEM)
		return err;
	if (err)
		ss_verify_problem(k->v, k->hex, path, _("the file cannot be read: %s"),
		                  ss_error_message());
	return 0;
}

const struct ss_reviewer *ss_verify_signer_in(struct vctx *v, const struct ss_commit_view *c,
                                              const char *hex, const struct ss_registry *reg,
                                              const unsigned char pk[SS_PUBKEY_LEN])
{
	const struct ss_reviewer *r = ss_verify_find_key(reg, pk);
	char fp[SS_FINGERPRINT_LEN];

	if (r == NULL) {
		ss_pubkey_fingerprint(pk, fp);
		ss_verify_problem(
		    v, hex, "",
		    _("signed by a key nobody had registered at that point (%s): a stranger's "
		      "signature"),
		    fp);
		return NULL;
	}
	if (r->removed != NULL) {
		ss_verify_problem(v, hex, "",
		                  _("signed by %s, whose registration had been removed on %s"),
		                  r->handle, r->removed);
		return NULL;
	}
	if (strcmp(c->committer_name, r->name) != 0 || strcmp(c->committer_email, r->email) != 0)
		ss_verify_problem(
		    v, hex, "",
		    _("the committer '%s <%s>' is not %s, whose key signed it ('%s <%s>' in the "
		      "register)"),
		    c->committer_name, c->committer_email, r->handle, r->name, r->email);
	return r;
}

/* ---------------------------------------------------------- a commit */

/*
 * What the commit says must be what it does: the author is the person the act
 * belongs to, the committer the signer (ss_verify_signer_in), and they differ
 * exactly when Ssaudit-On-Behalf-Of names the author (a verdict entered for a
 * panel member); the Month, Record and Role trailers are those of the act.
 * The paths' months and records are matched in check_paths and the act's own
 * checks (a missing Month or Record is reported there, against the path);
 * here, the trailers an act never writes, and the Role every act writes.
 */
static void check_words(struct cc *k)
{
	struct vctx *v = k->v;
	bool differ = strcmp(k->c->author_name, k->c->committer_name) != 0 ||
	              strcmp(k->c->author_email, k->c->committer_email) != 0;
	bool monthly = k->act == SS_ACTION_IMPORT || k->act == SS_ACTION_SAMPLE ||
	               k->act == SS_ACTION_VERDICT || k->act == SS_ACTION_CORRECTION ||
	               k->act == SS_ACTION_RESPONSE || k->act == SS_ACTION_CLOSE ||
	               k->act == SS_ACTION_REOPEN;
	bool of_record = k->act == SS_ACTION_VERDICT || k->act == SS_ACTION_CORRECTION ||
	                 k->act == SS_ACTION_RESPONSE;

	if (k->tr.behalf[0] != '\0' && k->act != SS_ACTION_VERDICT)
		ss_verify_problem(v, k->hex, "",
		                  _("only a verdict can be entered on someone's behalf "
		                    "(Ssaudit-On-Behalf-Of)"));
	else if (k->tr.behalf[0] != '\0' && !differ)
		ss_verify_problem(v, k->hex, "",
		                  _("the commit says it was entered on behalf of '%s' "
		                    "(Ssaudit-On-Behalf-Of), but its author is its committer"),
		                  k->tr.behalf);
	if ((k->act != SS_ACTION_VERDICT || k->tr.behalf[0] == '\0') && differ)
		ss_verify_problem(v, k->hex, "",
		                  _("the author '%s <%s>' is not the committer, and the commit "
		                    "does not say it was "
		                    "entered on their behalf"),
		                  k->c->author_name, k->c->author_email);
	if (k->act == SS_ACTION_NONE || k->act == SS_ACTION_UNKNOWN)
		return; /* the paths it changes are reported instead */
	if (!monthly && k->tr.month[0] != '\0')
		ss_verify_problem(
		    v, k->hex, "",
		    _("the commit says it is about month '%s' (Ssaudit-Month), but %s %s "
		      "concerns no month"),
		    k->tr.month, ss_role_a_an(ss_rules_trailer(k->act)), ss_rules_trailer(k->act));
	if (!of_record && k->tr.record[0] != '\0')
		ss_verify_problem(
		    v, k->hex, "",
		    _("the commit says it is about record '%s' (Ssaudit-Record), but %s "
		      "%s concerns no one record"),
		    k->tr.record, ss_role_a_an(ss_rules_trailer(k->act)), ss_rules_trailer(k->act));
	if (k->tr.role[0] == '\0' && k->act != SS_ACTION_MERGE && k->act != SS_ACTION_INIT)
		ss_verify_problem(v, k->hex, "",
		                  _("%s %s commit that does not say the role it was made in "
		                    "(Ssaudit-Role)"),
		                  ss_role_a_an(ss_rules_trailer(k->act)), ss_rules_trailer(k->act));
	else if (k->signer != NULL && strcmp(k->tr.role, k->signer->role) != 0 &&
	         (k->act == SS_ACTION_POLICY || k->act == SS_ACTION_IMPORT ||
	          k->act == SS_ACTION_SAMPLE || k->act == SS_ACTION_CORRECTION ||
	          k->act == SS_ACTION_RESPONSE || k->act == SS_ACTION_CLOSE ||
	          k->act == SS_ACTION_REOPEN || k->act == SS_ACTION_REVEAL))
		ss_verify_problem(
		    v, k->hex, "",
		    _("the commit says it was made as %s %s (Ssaudit-Role), but %s, who signed it, "
		      "is %s %s"),
		    ss_role_a_an(k->tr.role), k->tr.role, k->signer->handle,
		    ss_role_a_an(k->signer->role), k->signer->role);
}

static size_t count_kind(const struct cc *k, enum ss_layout_kind kind, const struct vpath **first)
{
	size_t i, n = 0;

	*first = NULL;
	for (i = 0; i < k->ch.n; i++)
		if (k->ch.v[i].l.kind == kind && ss_verify_path_allowed(k->act, &k->ch.v[i])) {
			if (n++ == 0)
				*first = &k->ch.v[i];
		}
	return n;
}

/* What the act says it does must be what it did: one file of its kind (or more, for close). */
static int check_act(struct cc *k)
{
	const struct vpath *p = NULL, *q = NULL;
	size_t n;

	switch (k->act) {
	case SS_ACTION_IMPORT:
		if (count_kind(k, SS_LAYOUT_POPULATION, &p) +
		        count_kind(k, SS_LAYOUT_SOURCES, &q) ==
		    0) {
			if (k->path_problems == 0)
				ss_verify_problem(k->v, k->hex, "",
				                  _("an import that imports nothing"));
			return 0;
		}
		k->v->sum->imports++;
		return ss_verify_check_import(k, (p != NULL ? p : q)->l.month);
	case SS_ACTION_POLICY:
	case SS_ACTION_REVIEWER_ADD:
	case SS_ACTION_REVIEWER_REMOVE:
	case SS_ACTION_SAMPLE:
	case SS_ACTION_VERDICT:
	case SS_ACTION_CORRECTION:
	case SS_ACTION_RESPONSE:
	case SS_ACTION_CLOSE:
	case SS_ACTION_REOPEN:
	case SS_ACTION_REVEAL:
		n = count_kind(k, ss_rules_get(k->act)->records, &p);
		if (n == 0 && k->path_problems > 0)
			return 0; /* what it did instead was reported */
		if (n == 0) {
			ss_verify_problem(
			    k->v, k->hex, "", _("%s %s commit that does not record one"),
			    ss_role_a_an(ss_rules_trailer(k->act)), ss_rules_trailer(k->act));
			return 0;
		}
		if (n > 1) {
			ss_verify_problem(k->v, k->hex, "",
			                  _("%s %s commit may record only one at a time, not %zu"),
			                  ss_role_a_an(ss_rules_trailer(k->act)),
			                  ss_rules_trailer(k->act), n);
			return 0;
		}
		break;
	default:
		return 0;
	}
	switch (k->act) {
	case SS_ACTION_POLICY:
		k->v->sum->policies++;
		return ss_verify_check_policy(k);
	case SS_ACTION_REVIEWER_ADD:
	case SS_ACTION_REVIEWER_REMOVE:
		k->v->sum->reviewers++;
		return ss_verify_check_reviewer(k, p);
	case SS_ACTION_SAMPLE:
		return ss_verify_check_sample(k, p);
	case SS_ACTION_VERDICT:
		return ss_verify_check_verdict(k, p);
	case SS_ACTION_CORRECTION:
		return ss_verify_check_correction(k, p);
	case SS_ACTION_RESPONSE:
		return ss_verify_check_response(k, p);
	case SS_ACTION_REVEAL:
		return ss_verify_check_reveal(k, p);
	default:
		return ss_verify_check_close(k, p->l.month);
	}
}

/* Keep what the commit says, for a merge that replays it later. */
static int keep_said(struct cc *k)
{
	const struct ss_commit_view *c = k->c;
	size_t l1 = strlen(c->author_name) + 1, l2 = strlen(c->author_email) + 1,
	       l3 = strlen(c->committer_name) + 1, l4 = strlen(c->committer_email) + 1;
	struct csaid *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->who = malloc(l1 + l2 + l3 + l4)) == NULL) {
		free(s);
		return ss_error_nomem();
	}
	memcpy(s->who, c->author_name, l1);
	memcpy(s->who + l1, c->author_email, l2);
	memcpy(s->who + l1 + l2, c->committer_name, l3);
	memcpy(s->who + l1 + l2 + l3, c->committer_email, l4);
	s->commit_time = c->commit_time;
	s->tr = k->tr;
	k->cs->said = s;
	return 0;
}

int ss_verify_check_commit(struct vctx *v, struct cc *k)
{
	bool ok, reviewers = false, signers = false, policy = false;
	size_t i, problems = v->sum->problems;
	int err;

	k->cs->seq = ++v->seq;
	if ((err = keep_said(k)) != 0)
		return err;
	k->parent = ss_verify_state_of(v, &k->c->parents[0]);
	if (k->parent == NULL) {
		ss_verify_problem(v, k->hex, "",
		                  _("its parent was not part of the checked history"));
		k->cs->bad = true;
		return 0;
	}
	k->cs->reg = k->parent->reg;
	k->cs->pol = k->parent->pol;
	if ((err = ss_verify_diff(v, &k->c->parents[0], &k->c->oid, k->hex, &k->ch, &ok)) != 0 ||
	    !ok) {
		k->cs->bad = true;
		return err;
	}
	for (i = 0; i < k->ch.n; i++) {
		reviewers = reviewers || ss_layout_in_reviewers(k->ch.v[i].path);
		signers = signers || k->ch.v[i].l.kind == SS_LAYOUT_SIGNERS_FILE;
		policy = policy || k->ch.v[i].l.kind == SS_LAYOUT_POLICY_FILE;
	}
	if (reviewers) {
		const struct ss_registry *reg;

		if ((err = ss_verify_load_registry(v, &k->c->oid, k->hex, &reg)) != 0)
			return err;
		if (reg != NULL)
			k->cs->reg = reg;
	}
	if (policy) {
		const struct vpol *pol;

		if ((err = ss_verify_load_policy(v, &k->c->oid, k->hex, &pol)) != 0)
			return err;
		k->cs->pol = pol;
	}
	if ((reviewers || signers) &&
	    (err = ss_verify_check_signers(v, &k->c->oid, k->hex, k->cs->reg)) != 0)
		return err;
	k->signer = ss_verify_check_signature(v, k->c, k->hex, k->parent->reg, k->cs);
	k->before = ss_verify_tree_of(k->parent);
	k->after = ss_verify_tree_of(k->cs);
	err = ss_verify_check_landing(v, k);
	k->cs->bad = v->sum->problems != problems;
	return err;
}

int ss_verify_check_landing(struct vctx *v, struct cc *k)
{
	size_t counted;
	int err;

	k->pol = k->before.pol != NULL ? k->before.pol->pol : NULL;
	k->role =
	    k->signer != NULL && k->pol != NULL ? ss_policy_role(k->pol, k->signer->role) : NULL;
	check_words(k);
	if (k->act == SS_ACTION_INIT)
		ss_verify_problem(v, k->hex, "", _("an init commit in the middle of the history"));
	else if (k->act == SS_ACTION_MERGE)
		ss_verify_problem(v, k->hex, "",
		                  _("the commit says it is a merge but has one parent"));
	if ((err = check_paths(k, &counted)) != 0)
		return err;
	if (counted == 0) {
		if (ss_verify_changed(&k->ch, SS_LAYOUT_SIGNERS) != NULL)
			ss_verify_problem(
			    v, k->hex, SS_LAYOUT_SIGNERS,
			    _("the commit changes only allowed_signers, which follows from "
			      "reviewers/ and never changes on its own"));
		else
			ss_verify_problem(v, k->hex, "",
			                  _("the commit records nothing (no file changed)"));
		return 0;
	}
	return check_act(k);
}
