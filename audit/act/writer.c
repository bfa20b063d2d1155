/*
 * writer.c - the one way anything is written to a trail (see writer.h): the
 * lock, the tip, what is in force there, the signed commit, batches, and
 * packing loose objects after a write.
 */
#include "writer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "rules.h"
#include "home.h"
#include "policy.h"
#include "layout.h"

/* How long a writer waits for another to finish: SSAUDIT_LOCK_TIMEOUT ms, default 60 s. */
static unsigned lock_timeout(void)
{
	const char *s = getenv("SSAUDIT_LOCK_TIMEOUT");
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return 60000;
	v = strtoul(s, &end, 10);
	return *end == '\0' && v <= 3600000 ? (unsigned)v : 60000;
}

/* The tip, or SS_ENOINPUT for a trail with no commit yet. */
static int load_tip(struct ss_writer *w)
{
	int err = ss_git_tip(w->trail, &w->tip);

	if (err == SS_ENOTFOUND)
		return ss_error_set(SS_ENOINPUT, _("the audit trail '%s' has no history yet"),
		                    ss_git_path(w->trail));
	if (err)
		return err;
	w->has_tip = true;
	return 0;
}

/*
 * policy.json at the tip, parsed only when its bytes differ from the policy w
 * holds. The policy it replaces is freed, or handed to *replaced when given
 * (whatever *replaced held before is freed).
 */
static int load_policy(struct ss_writer *w, struct ss_policy **replaced)
{
	struct ss_policy *pol = NULL;
	char *json = NULL;
	size_t len = 0;
	int err;

	if ((err = ss_git_read(w->trail, &w->tip, SS_LAYOUT_POLICY, &json, &len)) != 0) {
		if (err == SS_ENOTFOUND)
			err = ss_error_set(SS_EDATA, _("the trail has no policy.json"));
		return err;
	}
	if (w->policy && len == w->policy_len && memcmp(json, w->policy_json, len) == 0) {
		free(json);
		return 0;
	}
	if ((err = ss_policy_parse(json, len, SS_LAYOUT_POLICY, &pol)) != 0) {
		free(json);
		return err;
	}
	if (replaced) {
		ss_policy_free(*replaced);
		*replaced = w->policy;
	} else {
		ss_policy_free(w->policy);
	}
	free(w->policy_json);
	w->policy = pol;
	w->policy_json = json;
	w->policy_len = len;
	return 0;
}

/* What is in force at the tip: policy, registry, and the actor (when w->handle is set). */
static int load_state(struct ss_writer *w, struct ss_policy **replaced)
{
	int err;

	ss_registry_free(w->registry);
	w->registry = NULL;
	w->actor = NULL;
	w->actor_role = NULL;
	if ((err = load_tip(w)) || (err = load_policy(w, replaced)) ||
	    (err = ss_registry_load(w->trail, &w->tip, &w->registry)))
		return err;
	if (w->handle == NULL)
		return 0;
	w->actor = ss_registry_find(w->registry, w->handle);
	if (w->actor == NULL || w->actor->removed)
		return ss_error_set(SS_EPERM, _("'%s' is not a registered reviewer of this trail"),
		                    w->handle);
	w->actor_role = ss_policy_role(w->policy, w->actor->role);
	if (w->actor_role == NULL)
		return ss_error_set(
		    SS_EPERM, _("'%s' has the role '%s', which the policy in force does not have"),
		    w->handle, w->actor->role);
	return 0;
}

int ss_writer_refresh(struct ss_writer *w)
{
	return load_state(w, NULL);
}

/* The acting handle, given and well-formed; w->handle gets a copy. */
static int set_handle(struct ss_writer *w, const char *as)
{
	if (as == NULL)
		return ss_error_set(SS_EUSAGE,
		                    _("say who you are with --as HANDLE (or SSAUDIT_AS)"));
	if (!ss_name_valid(as))
		return ss_error_set(
		    SS_EUSAGE,
		    _("'%s' is not a valid handle (lowercase letters, digits and '-', "
		      "up to 32, starting with a letter or digit)"),
		    as);
	free(w->handle);
	if ((w->handle = strdup(as)) == NULL)
		return ss_error_nomem();
	return 0;
}

/* The roles of the policy that may do something for role (registers it, or
 * enters verdicts for it), as "a, b or c"; "" when none. */
static void roles_for(const struct ss_policy *pol, const char *role, bool enter, char *out,
                      size_t n)
{
	size_t i, k = 0, len = 0;

	*out = '\0';
	for (i = 0; i < pol->nroles; i++) {
		const struct ss_role *r = &pol->roles[i];

		if (enter ? !ss_role_enters_for(r, role) : !ss_role_registers(r, role))
			continue;
		len = strlen(out);
		snprintf(out + len, n - len, "%s%s", k ? _(" or ") : "", r->name);
		k++;
	}
}

/* The actor is registered without a key: what would actually help. */
static int keyless(const struct ss_writer *w)
{
	char reg[256], ent[256], how[600] = "";
	const char *role = w->actor->role;

	roles_for(w->policy, role, false, reg, sizeof(reg));
	roles_for(w->policy, role, true, ent, sizeof(ent));
	if (*ent)
		snprintf(
		    how, sizeof(how),
		    _(": %s %s can enter their verdicts for them (ssaudit review ... --for %s)"),
		    ss_role_a_an(ent), ent, w->handle);
	return ss_error_set(
	    SS_EPERM,
	    _("%s is registered without a key, so cannot sign anything%s. To sign for "
	      "themself, %s makes a key on their own computer with `ssaudit keygen %s` and sends "
	      "the line it prints (their public key, never the key file) to %s%s%s, who "
	      "registers it"),
	    w->handle, how, w->handle, w->handle, *reg ? ss_role_a_an(reg) : "", *reg ? " " : "",
	    *reg ? reg : _("whoever registers people in this trail"));
}

/* No key file for the actor: say what would actually help, from the register
 * at the tip (read without the lock: these are only words). */
static int no_key(struct ss_writer *w, const char *keypath)
{
	int err;

	if ((err = load_state(w, NULL)))
		return err; /* not registered: that is the problem to tell */
	if (!w->actor->has_key)
		return keyless(w);
	return ss_error_set(SS_EPERM,
	                    _("no signing key for '%s' at '%s': the key registered for %s is on "
	                      "the computer where it was made; copy its file here, or give its "
	                      "folder with --home"),
	                    w->handle, keypath, w->handle);
}

/* The actor's key, the lock, what is in force at the tip, and the key matches the register. */
static int acquire(struct ss_writer *w, const char *home, struct ss_policy **replaced)
{
	char *keypath = NULL;
	unsigned char pk[SS_PUBKEY_LEN];
	int err;

	if ((err = ss_home_key_path(home, w->handle, &keypath)))
		goto out;
	if ((err = ss_key_load(keypath, &w->key))) {
		if (err == SS_ENOINPUT)
			err = no_key(w, keypath);
		goto out;
	}
	if ((err = ss_git_lock(w->trail, lock_timeout())) || (err = load_state(w, replaced)))
		goto out;
	ss_key_public(w->key, pk);
	if (!w->actor->has_key) {
		err = keyless(w);
		goto out;
	}
	if (memcmp(pk, w->actor->pk, sizeof(pk)) != 0) {
		err =
		    ss_error_set(SS_EPERM, _("the key at '%s' is not the key registered for '%s'"),
		                 keypath, w->handle);
		goto out;
	}
out:
	free(keypath);
	return err;
}

int ss_writer_open(const struct ss_writer_opts *opts, struct ss_writer **out)
{
	struct ss_writer *w = calloc(1, sizeof(*w));
	int err;

	*out = NULL;
	if (w == NULL)
		return ss_error_nomem();
	w->now = ss_clock_now(&w->clock_fixed);
	if ((err = set_handle(w, opts->as)) || (err = ss_git_open(opts->trail, &w->trail)) ||
	    (err = acquire(w, opts->home, NULL)))
		goto out;
	*out = w;
	w = NULL;
out:
	ss_writer_close(w);
	return err;
}

int ss_writer_peek(const char *trail, struct ss_writer **out)
{
	struct ss_writer *w = calloc(1, sizeof(*w));
	int err;

	*out = NULL;
	if (w == NULL)
		return ss_error_nomem();
	w->now = ss_clock_now(&w->clock_fixed);
	if ((err = ss_git_open(trail, &w->trail)) || (err = load_tip(w)) ||
	    (err = load_policy(w, NULL)))
		goto out;
	*out = w;
	w = NULL;
out:
	ss_writer_close(w);
	return err;
}

int ss_writer_lock(struct ss_writer *w, const struct ss_writer_opts *opts)
{
	int err;

	if (w->key)
		return ss_error_set(SS_EUSAGE, _("the writer is already locked"));
	w->now = ss_clock_now(&w->clock_fixed);
	if ((err = set_handle(w, opts->as)))
		return err;
	return acquire(w, opts->home, &w->peeked_policy);
}

int ss_writer_open_new(struct ss_trail *trail, struct ss_writer **out)
{
	struct ss_writer *w = calloc(1, sizeof(*w));
	int err;

	*out = NULL;
	if (w == NULL)
		return ss_error_nomem();
	w->trail = trail;
	w->now = ss_clock_now(&w->clock_fixed);
	if ((err = ss_git_lock(trail, lock_timeout()))) {
		w->trail = NULL;
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

static int sign_cb(void *ctx, const char *payload, size_t len, char **sig)
{
	return ss_sshsig_sign(ctx, "git", payload, len, sig);
}

int ss_writer_commit(struct ss_writer *w, const struct ss_trailers_msg *msg,
                     const struct ss_change *changes, size_t n, bool *unchanged)
{
	struct ss_buf signers = SS_BUF_INIT;
	struct ss_change *all = NULL;
	struct ss_commit_req req;
	const struct ss_reviewer *author = w->actor;
	char *text = NULL;
	struct ss_oid newtip;
	bool same = false;
	int err;

	if (msg->on_behalf_of) {
		author = ss_registry_find(w->registry, msg->on_behalf_of);
		if (author == NULL)
			return ss_error_set(SS_EPERM, _("'%s' is not a registered reviewer"),
			                    msg->on_behalf_of);
	}
	if (w->actor == NULL || author == NULL)
		return ss_error_set(SS_EPERM, _("nobody to sign this commit"));
	if ((err = ss_registry_allowed_signers(w->registry, &signers)))
		goto out;
	if ((all = calloc(n + 1, sizeof(*all))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	memcpy(all, changes, n * sizeof(*all));
	all[n].path = SS_LAYOUT_SIGNERS;
	all[n].data = signers.data;
	all[n].len = signers.len;
	if ((text = ss_trailers_message(msg, w->clock_fixed)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.author.name = author->name;
	req.author.email = author->email;
	req.committer.name = w->actor->name;
	req.committer.email = w->actor->email;
	req.when = w->now;
	req.message = text;
	req.changes = all;
	req.nchanges = n + 1;
	err = ss_git_commit(w->trail, w->has_tip ? &w->tip : NULL, &req, sign_cb, w->key, &newtip,
	                    &same);
	if (err)
		goto out;
	w->tip = newtip;
	w->has_tip = true;
	if (unchanged)
		*unchanged = same;
out:
	free(text);
	free(all);
	ss_buf_release(&signers);
	return err;
}

int ss_writer_commit_file(struct ss_writer *w, enum ss_action action, const char *month,
                          const char *record, const char *subject, const struct ss_buf *body,
                          const char *path, const struct ss_buf *json)
{
	struct ss_change ch = {path, json->data, json->len};
	struct ss_trailers_msg msg = {0};

	if (body->data == NULL || json->data == NULL)
		return ss_error_nomem();
	msg.action = action;
	msg.month = month;
	msg.record = record;
	msg.role = w->actor->role;
	msg.subject = subject;
	msg.body = body->data;
	return ss_writer_commit(w, &msg, &ch, 1, NULL);
}

int ss_writer_batch_begin(struct ss_writer *w)
{
	int err = ss_git_batch_begin(w->trail);

	if (!err) {
		w->in_batch = true;
		w->batch_from = w->tip;
	}
	return err;
}

int ss_writer_batch_end(struct ss_writer *w)
{
	int err = ss_git_batch_end(w->trail, &w->batch_from, &w->tip);

	w->in_batch = false;
	if (err)
		w->tip = w->batch_from;
	return err;
}

void ss_writer_batch_abort(struct ss_writer *w)
{
	if (!w->in_batch)
		return;
	ss_git_batch_abort(w->trail);
	w->in_batch = false;
	w->tip = w->batch_from;
}

void ss_writer_close(struct ss_writer *w)
{
	if (w == NULL)
		return;
	ss_writer_batch_abort(w);
	if (w->trail) {
		ss_git_unlock(w->trail);
		ss_git_free(w->trail);
	}
	ss_key_free(w->key);
	ss_policy_free(w->policy);
	ss_policy_free(w->peeked_policy);
	ss_registry_free(w->registry);
	free(w->policy_json);
	free(w->handle);
	free(w);
}

/* ------------------------------------------------------------ gc */

int ss_writer_maybe_gc(struct ss_writer *w, size_t threshold, size_t *packed)
{
	size_t loose = 0, done = 0;
	int err;

	if (packed)
		*packed = 0;
	if (threshold == 0) {
		const char *s = getenv("SSAUDIT_GC_LOOSE");
		char *end;
		unsigned long v;

		threshold = 3000;
		if (s && *s) {
			v = strtoul(s, &end, 10);
			if (*end == '\0' && v > 0)
				threshold = v;
		}
	}
	if ((err = ss_git_count_loose(w->trail, &loose)))
		return err;
	if (loose <= threshold)
		return 0;
	if ((err = ss_git_gc(w->trail, &done)))
		return err;
	if (packed)
		*packed = done;
	return 0;
}

int ss_act_require(const struct ss_writer *w, enum ss_action action, const char *doing)
{
	unsigned what = ss_rules_may(action);

	if (w->actor_role && ss_role_may(w->actor_role, what))
		return 0;
	return ss_error_set(SS_EPERM, _("%s is %s %s, and the policy does not let %s %s %s%s%s"),
	                    w->handle, ss_role_a_an(w->actor->role), ss_role_words(w->actor->role),
	                    ss_role_a_an(w->actor->role), ss_role_words(w->actor->role),
	                    _(ss_rules_may_words(what)), doing ? _(": cannot ") : "",
	                    doing ? _(doing) : "");
}
