/*
 * init.c - init: found a trail. Its first commit holds trail.json,
 * policy.json, the founder in reviewers/ and allowed_signers; the pseudonym
 * key is created when absent. A trail left half made is removed.
 */
#include "act.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "check.h"
#include "clock.h"
#include "error.h"
#include "home.h"
#include "json.h"
#include "policy.h"
#include "pseudonym.h"
#include "registry.h"
#include "layout.h"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int ss_act_init(const struct ss_init_req *req, struct ss_init_result *res)
{
	struct ss_trail *trail = NULL;
	struct ss_writer *w = NULL;
	struct ss_policy *policy = NULL;
	struct ss_pseudo *ps = NULL;
	struct ss_key *key = NULL;
	struct ss_registry *reg = NULL;
	struct ss_buf tj = SS_BUF_INIT, rj = SS_BUF_INIT;
	char *policy_json = NULL, *keypath = NULL, *pspath = NULL;
	const char *role = req->role ? req->role : "coordinator";
	size_t policy_len = 0;
	char created[21], path[300], subject[512], body[1024];
	bool made_trail = false;
	int err;

	memset(res, 0, sizeof(*res));
	if (!ss_name_valid(req->handle))
		return ss_error_set(SS_EUSAGE, _("'%s' is not a valid handle"), req->handle);
	if (!ss_name_valid(role))
		return ss_error_set(SS_EUSAGE, _("'%s' is not a valid role name"), role);
	if ((err = ss_act_check_ident(_("the name"), req->name)) ||
	    (err = ss_act_check_ident(_("the email"), req->email)))
		return err;
	if ((err = ss_file_read(req->policy_path, &policy_json, &policy_len)))
		goto out;
	if ((err = ss_policy_parse(policy_json, policy_len, req->policy_path, &policy)))
		goto out;
	if (ss_policy_role(policy, role) == NULL) {
		err = ss_error_set(SS_ECONFIG, _("%s: the policy has no role '%s' for the founder"),
		                   req->policy_path, role);
		goto out;
	}
	if ((err = ss_home_key_path(req->home, req->handle, &keypath)))
		goto out;
	if ((err = ss_key_load(keypath, &key))) {
		if (err == SS_ENOINPUT)
			err = ss_error_set(
			    SS_EPERM,
			    _("no signing key for '%s' at '%s' (make one with: ssaudit "
			      "keygen %s)"),
			    req->handle, keypath, req->handle);
		goto out;
	}
	if ((err = ss_home_ensure(req->home)) || (err = ss_home_pseudonym_path(req->home, &pspath)))
		goto out;
	err = ss_pseudo_key_load(pspath, &ps);
	if (err == SS_ENOINPUT) {
		if ((err = ss_pseudo_key_create(pspath)))
			goto out;
		res->pseudonym_key_created = true;
		err = ss_pseudo_key_load(pspath, &ps);
	}
	if (err)
		goto out;
	ss_pseudo_fingerprint(ps, res->pseudonym_fingerprint);

	if ((err = ss_git_create(req->trail, &trail)))
		goto out;
	made_trail = true;
	if ((err = ss_writer_open_new(trail, &w))) {
		ss_git_free(trail);
		goto out;
	}
	trail = NULL;
	if ((reg = calloc(1, sizeof(*reg))) == NULL ||
	    (reg->r = calloc(1, sizeof(*reg->r))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	ss_clock_rfc3339(w->now, created);
	reg->n = 1;
	reg->r[0].handle = strdup(req->handle);
	reg->r[0].name = strdup(req->name);
	reg->r[0].email = strdup(req->email);
	reg->r[0].role = strdup(role);
	reg->r[0].added = strdup(created);
	reg->r[0].has_key = true;
	ss_key_public(key, reg->r[0].pk);
	if (!reg->r[0].handle || !reg->r[0].name || !reg->r[0].email || !reg->r[0].role ||
	    !reg->r[0].added) {
		err = ss_error_nomem();
		goto out;
	}
	w->registry = reg;
	reg = NULL;
	w->actor = &w->registry->r[0];
	w->policy = policy;
	policy = NULL;
	w->actor_role = ss_policy_role(w->policy, role);
	w->key = key;
	key = NULL;
	if ((w->handle = strdup(req->handle)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((err = ss_state_trail_json(req->title ? req->title : w->policy->name,
	                               res->pseudonym_fingerprint, created, &tj)) ||
	    (err = ss_reviewer_to_json(w->actor, &rj)))
		goto out;
	ss_layout_reviewer(path, sizeof(path), req->handle);
	{
		struct ss_change ch[] = {
		    {SS_LAYOUT_TRAIL, tj.data, tj.len},
		    {SS_LAYOUT_POLICY, policy_json, policy_len},
		    {path, rj.data, rj.len},
		};
		struct ss_trailers_msg msg = {0};

		snprintf(subject, sizeof(subject), "init: trail '%s' founded by %s (%s)",
		         req->title ? req->title : w->policy->name, req->handle, role);
		snprintf(body, sizeof(body),
		         "%s founded this audit trail as %s, under the policy '%s'.\n"
		         "Pseudonym key fingerprint: %s.",
		         req->name, role, w->policy->name, res->pseudonym_fingerprint);
		msg.action = SS_ACTION_INIT;
		msg.role = role;
		msg.subject = subject;
		msg.body = body;
		if ((err = ss_writer_commit(w, &msg, ch, sizeof(ch) / sizeof(ch[0]), NULL)))
			goto out;
	}
	ss_oid_hex(&w->tip, res->trail_id);
	ss_pubkey_fingerprint(w->actor->pk, res->key_fingerprint);
	made_trail = false;
out:
	ss_writer_close(w);
	if (made_trail)
		nftw(req->trail, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	ss_registry_free(reg);
	ss_policy_free(policy);
	ss_pseudo_free(ps);
	ss_key_free(key);
	ss_buf_release(&tj);
	ss_buf_release(&rj);
	free(policy_json);
	free(keypath);
	free(pspath);
	return err;
}
