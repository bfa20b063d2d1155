#include "actions.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "hash.h"
#include "home.h"
#include "json.h"
#include "policy.h"
#include "pseudonym.h"
#include "registry.h"

static const char *may_words(unsigned what)
{
	switch (what) {
	case SS_MAY_IMPORT: return "import records";
	case SS_MAY_SAMPLE: return "draw samples";
	case SS_MAY_REVIEW: return "record verdicts";
	case SS_MAY_ENTER_FOR: return "enter verdicts for others";
	case SS_MAY_CORRECT: return "correct outcomes";
	case SS_MAY_CLOSE: return "close months";
	case SS_MAY_POLICY: return "change the policy";
	}
	return "do that";
}

int ss_act_require(const struct ss_writer *w, unsigned what, const char *doing)
{
	if (w->actor_role && ss_role_may(w->actor_role, what))
		return 0;
	return ss_error_set(SS_EPERM, "%s is a %s, and the policy does not let a %s %s%s%s",
			    w->handle, w->actor->role, w->actor->role, may_words(what),
			    doing ? ": cannot " : "", doing ? doing : "");
}

void ss_month_path(char *out, size_t n, const char *month, const char *file)
{
	snprintf(out, n, "months/%s/%s", month, file);
}

void ss_month_words(const char *month, char *out, size_t n)
{
	static const char *names[] = {"January", "February", "March",     "April",
				      "May",     "June",     "July",      "August",
				      "September", "October", "November", "December"};
	int m = (month[5] - '0') * 10 + (month[6] - '0');

	if (m < 1 || m > 12)
		snprintf(out, n, "%s", month);
	else
		snprintf(out, n, "%s %.4s", names[m - 1], month);
}

/* Names and emails go into commit headers: no control characters or angle brackets. */
static int check_ident(const char *what, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL || *s == '\0')
		return ss_error_set(SS_EUSAGE, "%s is empty", what);
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>')
			return ss_error_set(SS_EUSAGE, "%s '%s' has a character git cannot record",
					    what, s);
	if (!ss_utf8_valid(s, strlen(s), NULL))
		return ss_error_set(SS_EUSAGE, "%s is not valid UTF-8", what);
	return 0;
}

static int trail_json(const char *title, const char *fingerprint, const char *created,
		      struct ss_buf *out)
{
	int err;

	if ((err = ss_buf_puts(out, "{\n  \"format\": \"" SS_TRAIL_FORMAT "\",\n  \"name\": ")) ||
	    (err = ss_buf_json_string_or_null(out, title)) ||
	    (err = ss_buf_puts(out, ",\n  \"pseudonym_key_fingerprint\": ")) ||
	    (err = ss_buf_json_string_or_null(out, fingerprint)) ||
	    (err = ss_buf_puts(out, ",\n  \"created\": ")) ||
	    (err = ss_buf_json_string_or_null(out, created)) || (err = ss_buf_puts(out, "\n}\n")))
		return err;
	return 0;
}

int ss_trail_fingerprint_at(struct ss_trail *t, const struct ss_oid *commit, char **out)
{
	cJSON *o = NULL;
	const cJSON *fp;
	char *data = NULL;
	size_t len;
	int err;

	*out = NULL;
	if ((err = ss_trail_read(t, commit, "trail.json", &data, &len))) {
		if (err == SS_ENOTFOUND)
			err = ss_error_set(SS_EDATA, "the trail has no trail.json");
		return err;
	}
	if ((err = ss_json_parse_object(data, len, "trail.json", SS_EDATA, &o)) != 0)
		goto out;
	fp = cJSON_GetObjectItemCaseSensitive(o, "pseudonym_key_fingerprint");
	if (!cJSON_IsString(fp)) {
		err = ss_error_set(SS_EDATA, "trail.json has no pseudonym_key_fingerprint");
		goto out;
	}
	if ((*out = strdup(fp->valuestring)) == NULL)
		err = ss_error_nomem();
out:
	cJSON_Delete(o);
	free(data);
	return err;
}

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
	char *policy_json = NULL, *keypath = NULL, *pspath = NULL, *publine = NULL;
	const char *role = req->role ? req->role : "coordinator";
	size_t policy_len = 0;
	char created[21], path[300], subject[512], body[1024];
	bool made_trail = false;
	int err;

	memset(res, 0, sizeof(*res));
	if (!ss_name_valid(req->handle))
		return ss_error_set(SS_EUSAGE, "'%s' is not a valid handle", req->handle);
	if (!ss_name_valid(role))
		return ss_error_set(SS_EUSAGE, "'%s' is not a valid role name", role);
	if ((err = check_ident("the name", req->name)) || (err = check_ident("the email", req->email)))
		return err;
	if ((err = ss_file_read(req->policy_path, &policy_json, &policy_len)))
		goto out;
	if ((err = ss_policy_parse(policy_json, policy_len, req->policy_path, &policy)))
		goto out;
	if (ss_policy_role(policy, role) == NULL) {
		err = ss_error_set(SS_ECONFIG, "%s: the policy has no role '%s' for the founder",
				   req->policy_path, role);
		goto out;
	}
	if ((err = ss_home_key_path(req->home, req->handle, &keypath)))
		goto out;
	if ((err = ss_key_load(keypath, &key))) {
		if (err == SS_ENOINPUT)
			err = ss_error_set(SS_EPERM,
					   "no signing key for '%s' at '%s' (make one with: ssaudit "
					   "keygen %s)",
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

	if ((err = ss_trail_create(req->trail, &trail)))
		goto out;
	made_trail = true;
	if ((err = ss_writer_open_new(trail, &w))) {
		ss_trail_free(trail);
		goto out;
	}
	trail = NULL;
	if ((reg = calloc(1, sizeof(*reg))) == NULL || (reg->r = calloc(1, sizeof(*reg->r))) == NULL) {
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
	if ((err = trail_json(req->title ? req->title : w->policy->name, res->pseudonym_fingerprint,
			      created, &tj)) ||
	    (err = ss_reviewer_to_json(w->actor, &rj)))
		goto out;
	snprintf(path, sizeof(path), "reviewers/%s.json", req->handle);
	{
		struct ss_change ch[] = {
			{"trail.json", tj.data, tj.len},
			{"policy.json", policy_json, policy_len},
			{path, rj.data, rj.len},
		};
		struct ss_commit_msg msg = {0};

		snprintf(subject, sizeof(subject), "init: trail '%s' founded by %s (%s)",
			 req->title ? req->title : w->policy->name, req->handle, role);
		snprintf(body, sizeof(body),
			 "%s founded this audit trail as %s, under the policy '%s'.\n"
			 "Pseudonym key fingerprint: %s.",
			 req->name, role, w->policy->name, res->pseudonym_fingerprint);
		msg.action = "init";
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
	free(publine);
	return err;
}

int ss_act_policy_set(struct ss_writer *w, const char *path, bool *unchanged)
{
	struct ss_policy *np = NULL;
	char *json = NULL;
	size_t len = 0, i;
	char subject[512];
	int err;

	if ((err = ss_act_require(w, SS_MAY_POLICY, "replace the policy")))
		return err;
	if ((err = ss_file_read(path, &json, &len)))
		return err;
	if ((err = ss_policy_parse(json, len, path, &np)))
		goto out;
	for (i = 0; i < w->registry->n; i++) {
		const struct ss_reviewer *r = &w->registry->r[i];

		if (r->removed == NULL && ss_policy_role(np, r->role) == NULL) {
			err = ss_error_set(SS_ECONFIG,
					   "%s: the policy has no role '%s', which %s holds; remove "
					   "them first or keep the role",
					   path, r->role, r->handle);
			goto out;
		}
	}
	{
		const struct ss_role *mine = ss_policy_role(np, w->actor->role);

		if (!ss_role_may(mine, SS_MAY_POLICY)) {
			err = ss_error_set(SS_ECONFIG,
					   "%s: the role '%s' could no longer change the policy; "
					   "refusing to lock you out",
					   path, w->actor->role);
			goto out;
		}
	}
	{
		struct ss_change ch = {"policy.json", json, len};
		struct ss_commit_msg msg = {0};
		char body[1024];

		snprintf(subject, sizeof(subject), "policy: '%s' by %s (%s)", np->name, w->handle,
			 w->actor->role);
		snprintf(body, sizeof(body),
			 "%s put the policy '%s' in force. Months already sampled keep the policy "
			 "they were sampled under.",
			 w->actor->name, np->name);
		msg.action = "policy";
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body;
		err = ss_writer_commit(w, &msg, &ch, 1, unchanged);
	}
out:
	ss_policy_free(np);
	free(json);
	return err;
}

/* Registry bookkeeping: w->registry must hold the new state before committing. */
static int registry_put(struct ss_registry *reg, const struct ss_reviewer *rv)
{
	struct ss_reviewer *grown;
	size_t i;

	for (i = 0; i < reg->n; i++)
		if (strcmp(reg->r[i].handle, rv->handle) == 0) {
			ss_reviewer_release(&reg->r[i]);
			reg->r[i] = *rv;
			return 0;
		}
	grown = realloc(reg->r, (reg->n + 1) * sizeof(*grown));
	if (grown == NULL)
		return ss_error_nomem();
	reg->r = grown;
	reg->r[reg->n++] = *rv;
	return 0;
}

static int commit_reviewer(struct ss_writer *w, const struct ss_reviewer *rv, const char *action,
			   const char *subject, const char *body)
{
	struct ss_buf j = SS_BUF_INIT;
	char path[300];
	struct ss_commit_msg msg = {0};
	struct ss_change ch;
	int err;

	if ((err = ss_reviewer_to_json(rv, &j)))
		return err;
	snprintf(path, sizeof(path), "reviewers/%s.json", rv->handle);
	ch.path = path;
	ch.data = j.data;
	ch.len = j.len;
	msg.action = action;
	msg.role = rv->role;
	msg.subject = subject;
	msg.body = body;
	err = ss_writer_commit(w, &msg, &ch, 1, NULL);
	ss_buf_release(&j);
	return err;
}

int ss_act_reviewer_add(struct ss_writer *w, const char *handle, const char *role, const char *name,
			const char *email, const char *key_line)
{
	struct ss_reviewer rv = {0};
	char added[21], subject[512], body[1024];
	char *actor_handle = NULL;
	int err;

	if (!ss_name_valid(handle))
		return ss_error_set(SS_EUSAGE, "'%s' is not a valid handle", handle);
	if (!ss_name_valid(role))
		return ss_error_set(SS_EUSAGE, "'%s' is not a valid role name", role);
	if ((err = check_ident("the name", name)) || (err = check_ident("the email", email)))
		return err;
	if (ss_policy_role(w->policy, role) == NULL)
		return ss_error_set(SS_EUSAGE, "the policy has no role '%s'", role);
	if (!ss_role_registers(w->actor_role, role))
		return ss_error_set(SS_EPERM, "%s is a %s, and the policy does not let a %s register a %s",
				    w->handle, w->actor->role, w->actor->role, role);
	if (ss_registry_find(w->registry, handle))
		return ss_error_set(SS_EFAIL,
				    "'%s' is already in the register (a handle is never reused, "
				    "so that history stays unambiguous)",
				    handle);
	if (key_line) {
		size_t i;

		if ((err = ss_pubkey_parse(key_line, rv.pk)))
			return ss_error_wrap(SS_EUSAGE, "--key");
		for (i = 0; i < w->registry->n; i++)
			if (w->registry->r[i].has_key &&
			    memcmp(w->registry->r[i].pk, rv.pk, sizeof(rv.pk)) == 0)
				return ss_error_set(SS_EFAIL, "that key is already registered to '%s'",
						    w->registry->r[i].handle);
		rv.has_key = true;
	}
	ss_clock_rfc3339(w->now, added);
	rv.handle = strdup(handle);
	rv.name = strdup(name);
	rv.email = strdup(email);
	rv.role = strdup(role);
	rv.added = strdup(added);
	/* registry_put may move the array the actor points into. */
	actor_handle = strdup(w->handle);
	if (!rv.handle || !rv.name || !rv.email || !rv.role || !rv.added || !actor_handle) {
		ss_reviewer_release(&rv);
		free(actor_handle);
		return ss_error_nomem();
	}
	if ((err = registry_put(w->registry, &rv))) {
		ss_reviewer_release(&rv);
		free(actor_handle);
		return err;
	}
	w->actor = ss_registry_find(w->registry, actor_handle);
	free(actor_handle);
	snprintf(subject, sizeof(subject), "reviewer-add: %s (%s) by %s (%s)", handle, role, w->handle,
		 w->actor->role);
	snprintf(body, sizeof(body), "%s registered %s as %s%s.", w->actor->name, name, role,
		 key_line ? ", signing with their own key" : ", without a key (their verdicts are "
							      "entered for them)");
	err = commit_reviewer(w, ss_registry_find(w->registry, handle), "reviewer-add", subject,
			      body);
	return err;
}

int ss_act_reviewer_remove(struct ss_writer *w, const char *handle)
{
	struct ss_reviewer *rv = NULL;
	char subject[512], body[1024], when[21];
	size_t i;

	for (i = 0; i < w->registry->n; i++)
		if (strcmp(w->registry->r[i].handle, handle) == 0)
			rv = &w->registry->r[i];
	if (rv == NULL)
		return ss_error_set(SS_EFAIL, "'%s' is not in the register", handle);
	if (rv->removed)
		return ss_error_set(SS_EFAIL, "'%s' was already removed on %s", handle, rv->removed);
	if (strcmp(handle, w->handle) == 0)
		return ss_error_set(SS_EFAIL, "you cannot remove yourself; ask someone whose role "
					      "registers yours");
	if (!ss_role_registers(w->actor_role, rv->role))
		return ss_error_set(SS_EPERM, "%s is a %s, and the policy does not let a %s remove a %s",
				    w->handle, w->actor->role, w->actor->role, rv->role);
	ss_clock_rfc3339(w->now, when);
	if ((rv->removed = strdup(when)) == NULL)
		return ss_error_nomem();
	snprintf(subject, sizeof(subject), "reviewer-remove: %s (%s) by %s (%s)", handle, rv->role,
		 w->handle, w->actor->role);
	snprintf(body, sizeof(body),
		 "%s removed %s (%s) from the register. Their earlier commits still verify.",
		 w->actor->name, rv->name, rv->role);
	return commit_reviewer(w, rv, "reviewer-remove", subject, body);
}

static int sources_json(const struct ss_population *pop, struct ss_buf *out)
{
	size_t i;
	int err = ss_buf_puts(out, "[");

	for (i = 0; !err && i < pop->nsources; i++) {
		const struct ss_source *s = &pop->sources[i];

		if ((err = ss_buf_puts(out, i ? ",\n  {\"name\": " : "\n  {\"name\": ")) ||
		    (err = ss_buf_json_string_or_null(out, s->name)) ||
		    (err = ss_buf_printf(out, ", \"sha256\": \"%s\", \"format\": \"%s\", \"rows\": %zu}",
					 s->sha256, ss_format_name(s->format), s->rows)))
			break;
	}
	if (!err)
		err = ss_buf_puts(out, pop->nsources ? "\n]\n" : "]\n");
	return err;
}

int ss_act_import(struct ss_writer *w, const char *month, const struct ss_population *pop,
		  const char *fingerprint, bool replace, bool *unchanged)
{
	struct ss_buf jsonl = SS_BUF_INIT, src = SS_BUF_INIT;
	char *trail_fp = NULL;
	char ppath[64], spath[64], sample[64], words[32], subject[512], body[2048];
	struct ss_oid blob;
	int err;

	if ((err = ss_act_require(w, SS_MAY_IMPORT, "import records")))
		return err;
	if ((err = ss_trail_fingerprint_at(w->trail, &w->tip, &trail_fp)))
		return err;
	if (strcmp(trail_fp, fingerprint) != 0) {
		err = ss_error_set(SS_EPERM,
				   "this pseudonym key (fingerprint %s) is not the trail's (%s): "
				   "import on the machine that holds the trail's key",
				   fingerprint, trail_fp);
		goto out;
	}
	ss_month_path(ppath, sizeof(ppath), month, "population.jsonl");
	ss_month_path(spath, sizeof(spath), month, "sources.json");
	ss_month_path(sample, sizeof(sample), month, "sample.json");
	ss_month_words(month, words, sizeof(words));
	if (ss_trail_blob_id(w->trail, &w->tip, sample, &blob) == 0) {
		err = ss_error_set(SS_EFAIL,
				   "%s has already been sampled: its records can no longer be "
				   "replaced",
				   words);
		goto out;
	}
	if (!replace && ss_trail_blob_id(w->trail, &w->tip, ppath, &blob) == 0) {
		err = ss_error_set(SS_EFAIL,
				   "%s has already been imported; use --replace to swap its records "
				   "(allowed until it is sampled)",
				   words);
		goto out;
	}
	if ((err = ss_population_to_jsonl(pop, &jsonl)) || (err = sources_json(pop, &src)))
		goto out;
	if (jsonl.data == NULL && (err = ss_buf_put(&jsonl, "", 0)))
		goto out;
	{
		struct ss_change ch[] = {{ppath, jsonl.data, jsonl.len}, {spath, src.data, src.len}};
		struct ss_commit_msg msg = {0};
		struct ss_buf files = SS_BUF_INIT;
		size_t i;

		for (i = 0; i < pop->nsources; i++)
			ss_buf_printf(&files, "%s%s (%zu rows, SHA-256 %s)",
				      i ? (i + 1 == pop->nsources ? " and " : ", ") : "",
				      pop->sources[i].name, pop->sources[i].rows, pop->sources[i].sha256);
		snprintf(subject, sizeof(subject), "import: %s, %zu records by %s (%s)", month, pop->n,
			 w->handle, w->actor->role);
		snprintf(body, sizeof(body), "%s %simported %zu stop-search records for %s from %s.",
			 w->actor->name, replace ? "re-" : "", pop->n, words,
			 files.data ? files.data : "no file");
		ss_buf_release(&files);
		msg.action = "import";
		msg.month = month;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body;
		err = ss_writer_commit(w, &msg, ch, 2, unchanged);
	}
out:
	free(trail_fp);
	ss_buf_release(&jsonl);
	ss_buf_release(&src);
	return err;
}
