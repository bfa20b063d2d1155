/*
 * common.c - rules that are not actions but sit in audit/act/ for now (see
 * common.h): due to move to audit/store/ (layout, trail.json, the state at a
 * commit, who may do what) and audit/read/ (a month in words). Names and
 * signatures are the ones the rest of the program calls today.
 */
#include "common.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "json.h"
#include "verdict.h"
#include "writer.h"

/* ------------------------------------------------------------ layout (store) */

void ss_month_path(char *out, size_t n, const char *month, const char *file)
{
	snprintf(out, n, "months/%s/%s", month, file);
}

/* ------------------------------------------------------------ a month in words (read) */

void ss_month_words(const char *month, char *out, size_t n)
{
	static const char *names[] = {"January",   "February", "March",    "April",
	                              "May",       "June",     "July",     "August",
	                              "September", "October",  "November", "December"};
	int m = (month[5] - '0') * 10 + (month[6] - '0');

	if (m < 1 || m > 12)
		snprintf(out, n, "%s", month);
	else
		snprintf(out, n, "%s %.4s", names[m - 1], month);
}

int ss_month_refuse_closed(const struct ss_policy *pol, const char *month, const char *closed_by)
{
	struct ss_buf roles = SS_BUF_INIT;
	char words[32];
	size_t i, n = 0;
	int err;

	ss_month_words(month, words, sizeof(words));
	for (i = 0; i < pol->nroles; i++)
		if (ss_role_may(&pol->roles[i], SS_MAY_CLOSE))
			ss_buf_printf(&roles, "%s%s", n++ ? " or " : "", pol->roles[i].name);
	err = ss_error_set(SS_EFAIL,
	                   "%s is closed (signed off by %s): no more verdicts or waivers can be "
	                   "recorded. A %s can reopen it with: ssaudit reopen %s --reason TEXT",
	                   words, closed_by ? closed_by : "someone",
	                   roles.data ? roles.data : "coordinator", month);
	ss_buf_release(&roles);
	return err;
}

/* ------------------------------------------------------------ state at a commit (store) */

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

int ss_load_policy_at(struct ss_trail *t, const struct ss_oid *commit, char **json, size_t *len,
                      struct ss_policy **policy)
{
	int err;

	*policy = NULL;
	if ((err = ss_trail_read(t, commit, "policy.json", json, len)) != 0) {
		if (err == SS_ENOTFOUND)
			err = ss_error_set(SS_EDATA, "the trail has no policy.json");
		return err;
	}
	if ((err = ss_policy_parse(*json, *len, "policy.json", policy)) != 0) {
		free(*json);
		*json = NULL;
	}
	return err;
}

int ss_month_closed_at(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                       bool *closed, char **by)
{
	char path[64], *data = NULL, *m = NULL, *reason = NULL;
	size_t len;
	int err;

	*closed = false;
	*by = NULL;
	ss_month_path(path, sizeof(path), month, "closed.json");
	err = ss_trail_read(t, commit, path, &data, &len);
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		return 0;
	}
	if (err)
		return err;
	err = ss_closed_from_json(data, len, path, &m, closed, by, &reason);
	free(data);
	free(m);
	free(reason);
	return err;
}

/* ------------------------------------------------------------ who may do what (store: rules) */

static const char *may_words(unsigned what)
{
	switch (what) {
	case SS_MAY_IMPORT:
		return "import records";
	case SS_MAY_SAMPLE:
		return "draw samples";
	case SS_MAY_REVIEW:
		return "record verdicts";
	case SS_MAY_ENTER_FOR:
		return "enter verdicts for others";
	case SS_MAY_CORRECT:
		return "correct outcomes";
	case SS_MAY_CLOSE:
		return "close months";
	case SS_MAY_POLICY:
		return "change the policy";
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
