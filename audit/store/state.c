/*
 * state.c - what is in force at a commit (see state.h).
 */
#include "state.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "error.h"
#include "home.h"
#include "json.h"
#include "layout.h"
#include "pseudonym.h"

int ss_state_open(const char *path, struct ss_trail **t, struct ss_oid *tip)
{
	int err = ss_git_open_read(path, t);

	if (err)
		return err;
	err = ss_git_tip(*t, tip);
	if (err == SS_ENOTFOUND)
		err = ss_error_set(SS_ENOINPUT, _("the audit trail '%s' has no history yet"), path);
	if (err) {
		ss_git_free(*t);
		*t = NULL;
	}
	return err;
}

int ss_state_policy(struct ss_trail *t, const struct ss_oid *commit, char **json, size_t *len,
                    struct ss_policy **policy)
{
	int err;

	*policy = NULL;
	if ((err = ss_git_read(t, commit, SS_LAYOUT_POLICY, json, len)) != 0) {
		if (err == SS_ENOTFOUND)
			err = ss_error_set(SS_EDATA, _("the trail has no policy.json"));
		return err;
	}
	if ((err = ss_policy_parse(*json, *len, SS_LAYOUT_POLICY, policy)) != 0) {
		free(*json);
		*json = NULL;
	}
	return err;
}

struct digest_walk {
	struct ss_trail *t;
	const char *sha256;
	struct ss_oid last; /* the policy.json blob seen last */
	bool seen;
	char *json; /* the match */
	size_t len;
};

static int digest_step(void *ctx, const struct ss_commit_view *c)
{
	struct digest_walk *w = ctx;
	struct ss_oid blob;
	char hex[65];
	int err = ss_git_blob_id(w->t, &c->oid, SS_LAYOUT_POLICY, &blob);

	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	if (w->seen && ss_oid_equal(&blob, &w->last))
		return 0;
	w->last = blob;
	w->seen = true;
	if ((err = ss_git_read(w->t, &c->oid, SS_LAYOUT_POLICY, &w->json, &w->len)))
		return err;
	ss_sha256_hex(hex, w->json, w->len);
	if (strcmp(hex, w->sha256) == 0)
		return 1; /* found: stops the walk */
	free(w->json);
	w->json = NULL;
	return 0;
}

int ss_state_policy_of_digest(struct ss_trail *t, const struct ss_oid *commit, const char *sha256,
                              struct ss_policy **policy)
{
	struct digest_walk w = {.t = t, .sha256 = sha256};
	char *json = NULL, hex[65];
	size_t len;
	int err;

	*policy = NULL;
	if ((err = ss_state_policy(t, commit, &json, &len, policy)))
		return err;
	ss_sha256_hex(hex, json, len);
	free(json);
	if (strcmp(hex, sha256) == 0)
		return 0;
	ss_policy_free(*policy);
	*policy = NULL;
	err = ss_git_walk(t, commit, digest_step, &w);
	if (err == 1)
		err = ss_policy_parse(w.json, w.len, SS_LAYOUT_POLICY, policy);
	else if (err == 0)
		err =
		    ss_error_set(SS_EDATA,
		                 _("no policy.json in the trail's history has the digest %.12s... "
		                   "that the sample names"),
		                 sha256);
	free(w.json);
	return err;
}

/* trail.json at a commit, strictly parsed: *doc and *data are the caller's
 * (ss_json_free, free) on success. */
static int trail_json_at(struct ss_trail *t, const struct ss_oid *commit, struct ss_json **doc,
                         char **data)
{
	size_t len;
	int err;

	*doc = NULL;
	if ((err = ss_git_read(t, commit, SS_LAYOUT_TRAIL, data, &len))) {
		if (err == SS_ENOTFOUND)
			err = ss_error_set(SS_EDATA, _("the trail has no trail.json"));
		return err;
	}
	if ((err = ss_json_load_object(*data, len, SS_LAYOUT_TRAIL, SS_EDATA, SS_JSON_VOICE_FIELDS,
	                               doc)) != 0) {
		free(*data);
		*data = NULL;
	}
	return err;
}

int ss_state_fingerprint(struct ss_trail *t, const struct ss_oid *commit, char **out)
{
	struct ss_json *doc = NULL;
	struct ss_jv root, fp;
	char *data = NULL;
	int err;

	*out = NULL;
	if ((err = trail_json_at(t, commit, &doc, &data)) != 0)
		return err;
	ss_json_root(doc, &root);
	ss_jv_get(&root, "pseudonym_key_fingerprint", &fp);
	if (!ss_jv_is(&fp, SS_JT_STRING))
		err = ss_error_set(SS_EDATA, _("trail.json has no pseudonym_key_fingerprint"));
	else if ((*out = strdup(ss_jv_str(&fp))) == NULL)
		err = ss_error_nomem();
	ss_json_free(doc);
	free(data);
	return err;
}

int ss_state_pseudonym_version(struct ss_trail *t, const struct ss_oid *commit, int *version)
{
	struct ss_json *doc = NULL;
	struct ss_jv root, v;
	unsigned long n = 0;
	char *data = NULL;
	int err;

	*version = 0;
	if ((err = trail_json_at(t, commit, &doc, &data)) != 0)
		return err;
	ss_json_root(doc, &root);
	ss_jv_get(&root, "pseudonym_version", &v);
	/* Trails begun before versions were recorded use v1, and keep it. */
	if (ss_jv_is(&v, SS_JT_ABSENT))
		*version = 1;
	else if ((err = ss_jv_uint(&v, 1, 1000, &n)) == 0)
		*version = (int)n;
	ss_json_free(doc);
	free(data);
	return err;
}

int ss_state_pseudo_key(struct ss_trail *t, const struct ss_oid *commit, const char *home,
                        const char *doing, struct ss_pseudo **ps)
{
	char *path = NULL, *trail_fp = NULL, fp[33];
	int err, version;

	*ps = NULL;
	if ((err = ss_home_pseudonym_path(home, &path)) != 0)
		goto out;
	if ((err = ss_pseudo_key_load(path, ps)) != 0) {
		if (err == SS_ENOINPUT)
			err =
			    ss_error_set(SS_EPERM,
			                 _("no pseudonym key at '%s': to %s, use the machine that "
			                   "holds the trail's key"),
			                 path, _(doing));
		goto out;
	}
	ss_pseudo_fingerprint(*ps, fp);
	if ((err = ss_state_fingerprint(t, commit, &trail_fp)) != 0)
		goto out;
	if (strcmp(trail_fp, fp) != 0) {
		err = ss_error_set(
		    SS_EPERM,
		    _("this pseudonym key (fingerprint %s) is not the trail's (%s): to "
		      "%s, use the machine that holds the trail's key"),
		    fp, trail_fp, _(doing));
		goto out;
	}
	if ((err = ss_state_pseudonym_version(t, commit, &version)) == 0)
		err = ss_pseudo_set_version(*ps, version);
out:
	if (err) {
		ss_pseudo_free(*ps);
		*ps = NULL;
	}
	free(trail_fp);
	free(path);
	return err;
}

char *ss_state_title(struct ss_trail *t, const struct ss_oid *commit)
{
	char *data = NULL, *title = NULL;
	size_t len;

	if (ss_git_read(t, commit, SS_LAYOUT_TRAIL, &data, &len) == 0 &&
	    ss_json_member_string(data, len, "name", &title) != 0)
		title = NULL;
	free(data);
	return title ? title : strdup("");
}

int ss_state_trail_json(const char *title, const char *fingerprint, const char *created,
                        struct ss_buf *out)
{
	int err;

	if ((err = ss_buf_puts(out, "{\n  \"format\": \"" SS_TRAIL_FORMAT "\",\n  \"name\": ")) ||
	    (err = ss_buf_json_string_or_null(out, title)) ||
	    (err = ss_buf_puts(out, ",\n  \"pseudonym_key_fingerprint\": ")) ||
	    (err = ss_buf_json_string_or_null(out, fingerprint)) ||
	    (err = ss_buf_printf(out, ",\n  \"pseudonym_version\": %d",
	                         SS_TRAIL_PSEUDONYM_VERSION)) ||
	    (err = ss_buf_puts(out, ",\n  \"created\": ")) ||
	    (err = ss_buf_json_string_or_null(out, created)) || (err = ss_buf_puts(out, "\n}\n")))
		return err;
	return 0;
}
