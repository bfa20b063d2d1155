/*
 * check.c - the checks the writers share (see check.h). Each runs against
 * the tip the writer holds, under its lock.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "error.h"
#include "month.h"
#include "pseudonym.h"
#include "sample.h"
#include "state.h"
#include "layout.h"
#include "utf8.h"

/* ------------------------------------------------------------ the month */

void ss_act_month_release(struct ss_act_month *cx)
{
	size_t i;

	ss_sample_free(cx->s);
	free(cx->closed_by);
	ss_policy_free(cx->own_policy);
	for (i = 0; i < sizeof(cx->ids) / sizeof(cx->ids[0]); i++) {
		free(cx->ids[i]);
		free(cx->ids_role[i]);
	}
	memset(cx, 0, sizeof(*cx));
}

static int month_load(struct ss_writer *w, const char *month, bool whole, bool batch,
                      struct ss_act_month *cx)
{
	char digest[65], hex[65];
	int err;

	memset(cx, 0, sizeof(*cx));
	cx->month = month;
	cx->trail = w->trail;
	cx->tip = w->tip;
	cx->batch = batch;
	ss_month_words(month, cx->words, sizeof(cx->words));
	ss_month_words_in(month, ss_lang_current(), cx->said, sizeof(cx->said));
	if (whole)
		err = ss_month_sample(w->trail, &w->tip, month, &cx->s);
	else
		err = ss_month_sample_policy(w->trail, &w->tip, month, digest);
	if (err ||
	    (err = ss_month_closed_at(w->trail, &w->tip, month, &cx->closed, &cx->closed_by)))
		goto out;
	if (whole)
		memcpy(digest, cx->s->policy_sha256, sizeof(digest));
	cx->policy = w->policy;
	ss_sha256_hex(hex, w->policy_json, w->policy_len);
	if (strcmp(hex, digest) != 0 &&
	    (err = ss_state_policy_of_digest(w->trail, &w->tip, digest, &cx->own_policy)) == 0)
		cx->policy = cx->own_policy;
out:
	if (err)
		ss_act_month_release(cx);
	return err;
}

int ss_act_month_load(struct ss_writer *w, const char *month, struct ss_act_month *cx)
{
	return month_load(w, month, true, false, cx);
}

int ss_act_month_load_flat(struct ss_writer *w, const char *month, bool batch,
                           struct ss_act_month *cx)
{
	return month_load(w, month, false, batch, cx);
}

/* ------------------------------------------------------------ words and text */

const char *ss_act_a_an(const char *word)
{
	return ss_role_a_an(word);
}

bool ss_act_blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

int ss_act_check_text(const char *what, const char *s, size_t max)
{
	const unsigned char *p;
	size_t n = strlen(s);

	if (n > max)
		return ss_error_set(SS_EUSAGE, _("%s is longer than %zu bytes"), what, max);
	if (!ss_utf8_valid(s, n, NULL))
		return ss_error_set(SS_EUSAGE, _("%s is not valid UTF-8"), what);
	for (p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
			return ss_error_set(SS_EUSAGE, _("%s holds a control character"), what);
	return 0;
}

int ss_act_check_ident(const char *what, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL || *s == '\0')
		return ss_error_set(SS_EUSAGE, _("%s is empty"), what);
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>')
			return ss_error_set(
			    SS_EUSAGE, _("%s '%s' has a character git cannot record"), what, s);
	if (!ss_utf8_valid(s, strlen(s), NULL))
		return ss_error_set(SS_EUSAGE, _("%s is not valid UTF-8"), what);
	return 0;
}

/* ------------------------------------------------------------ who and which record */

int ss_act_check_who(const struct ss_writer *w, const char *handle, const struct ss_reviewer **out)
{
	const struct ss_reviewer *rv;
	const struct ss_role *role;
	const char *mine = w->actor->role;

	*out = NULL;
	if (handle == NULL || strcmp(handle, w->handle) == 0) {
		if (!ss_role_may(w->actor_role, SS_MAY_REVIEW)) {
			if (ss_role_may(w->actor_role, SS_MAY_ENTER_FOR))
				return ss_error_set(
				    SS_EPERM,
				    _("%s is %s %s, and the policy does not let %s %s "
				      "record verdicts of their own: to enter a member's "
				      "verdict, name them (--for HANDLE, or the reviewer "
				      "column of a worksheet)"),
				    w->handle, ss_act_a_an(mine), ss_role_words(mine),
				    ss_act_a_an(mine), ss_role_words(mine));
			return ss_act_require(w, SS_ACTION_VERDICT, N_("record a verdict"));
		}
		*out = w->actor;
		return 0;
	}
	rv = ss_registry_find(w->registry, handle);
	if (rv == NULL)
		return ss_error_set(SS_EPERM, _("there is no reviewer '%s' in the register"),
		                    handle);
	if (rv->removed)
		return ss_error_set(SS_EPERM, _("'%s' was removed from the register on %s"), handle,
		                    rv->removed);
	if (!ss_role_enters_for(w->actor_role, rv->role))
		return ss_error_set(
		    SS_EPERM,
		    _("%s is %s %s, and the policy does not let %s %s enter verdicts for "
		      "%s %s such as %s"),
		    w->handle, ss_act_a_an(mine), ss_role_words(mine), ss_act_a_an(mine),
		    ss_role_words(mine), ss_act_a_an(rv->role), ss_role_words(rv->role), handle);
	role = ss_policy_role(w->policy, rv->role);
	if (role == NULL || !ss_role_may(role, SS_MAY_REVIEW))
		return ss_error_set(SS_EPERM,
		                    _("%s is %s %s, a role that does not record verdicts"), handle,
		                    ss_act_a_an(rv->role), ss_role_words(rv->role));
	*out = rv;
	return 0;
}

/* Is the id in roles/ROLE.ids? SS_ENOTFOUND when the month has no such
 * file. A batch reads each role's file whole once and searches it. */
static int role_lists(struct ss_act_month *cx, const char *id, const char *role, bool *listed)
{
	size_t i, n = sizeof(cx->ids) / sizeof(cx->ids[0]);
	int err;

	*listed = false;
	if (!cx->batch)
		return ss_month_role_lists(cx->trail, &cx->tip, cx->month, role, id, listed);
	for (i = 0; i < n && cx->ids_role[i] && strcmp(cx->ids_role[i], role) != 0; i++)
		;
	if (i == n) /* more roles than kept: look this one up by itself */
		return ss_month_role_lists(cx->trail, &cx->tip, cx->month, role, id, listed);
	if (cx->ids_role[i] == NULL) {
		if ((err = ss_month_role_ids(cx->trail, &cx->tip, cx->month, role, &cx->ids[i],
		                             &cx->ids_len[i])))
			return err;
		if ((cx->ids_role[i] = strdup(role)) == NULL) {
			free(cx->ids[i]);
			cx->ids[i] = NULL;
			return ss_error_nomem();
		}
	}
	*listed = ss_month_ids_has(cx->ids[i], cx->ids_len[i], id);
	return 0;
}

int ss_act_check_record(struct ss_act_month *cx, const char *id, const char *role)
{
	const struct ss_sample_role *sr;
	int err;

	if (cx->s == NULL && ss_layout_id_valid(id)) {
		bool listed = false;

		err = role_lists(cx, id, role, &listed);
		if (err == 0 && listed)
			return 0;
		if (err && err != SS_ENOTFOUND)
			return err;
		ss_error_clear();
	}
	/* A refusal, or a sample older than the roles' files: the sample,
	 * parsed whole, says which. */
	if (cx->s == NULL && (err = ss_month_sample(cx->trail, &cx->tip, cx->month, &cx->s)))
		return err;
	if (!ss_layout_id_valid(id) || ss_sample_find(cx->s, id) == NULL)
		return ss_error_set(SS_EFAIL,
		                    _("there is no record '%s' in the sample of %s (only sampled "
		                      "records are reviewed; see: ssaudit list %s)"),
		                    id, cx->said, cx->month);
	sr = ss_sample_role(cx->s, role);
	if (sr == NULL)
		return ss_error_set(SS_EFAIL, _("%s %s reviews no records in %s"),
		                    ss_act_a_an(role), ss_role_words(role), cx->said);
	if (!ss_sample_role_has(cx->s, role, id))
		return ss_error_set(
		    SS_EFAIL,
		    _("record %s is not among the %zu records %s %s reviews in %s (see: "
		      "ssaudit list %s --role %s)"),
		    id, sr->n, ss_act_a_an(role), ss_role_words(role), cx->said, cx->month, role);
	return 0;
}

/* ------------------------------------------------------------ answers */

/* "a, b or c" */
static void values_words(const struct ss_question *q, struct ss_buf *b)
{
	size_t i;

	for (i = 0; i < q->nvalues; i++)
		ss_buf_printf(b, "%s%s",
		              i == 0                ? ""
		              : i + 1 == q->nvalues ? _(" or ")
		                                    : ", ",
		              q->values[i]);
}

bool ss_act_value_allowed(const struct ss_question *q, const char *v)
{
	size_t i;

	for (i = 0; i < q->nvalues; i++)
		if (strcmp(q->values[i], v) == 0)
			return true;
	return false;
}

int ss_act_refuse_value(const struct ss_question *q, const char *v)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;
	int err;

	values_words(q, &b);
	for (i = 0; i < q->nvalues && q->value_words[i].en == NULL; i++)
		;
	if (i < q->nvalues)
		err = ss_error_set(SS_EUSAGE,
		                   _("'%s' is not an answer to %s: give %s, or an answer's wording "
		                     "in English or Welsh (such as '%s')"),
		                   v, q->id, b.data ? b.data : "",
		                   ss_wording_get(&q->value_words[i],
		                                  ss_lang_current() == SS_LANG_EN ? "en" : "cy",
		                                  q->values[i]));
	else
		err = ss_error_set(SS_EUSAGE, _("'%s' is not an answer to %s: give %s"), v, q->id,
		                   b.data ? b.data : "");
	ss_buf_release(&b);
	return err;
}

int ss_act_refuse_required(const struct ss_question *q)
{
	struct ss_buf b = SS_BUF_INIT;
	int err;

	values_words(q, &b);
	err = ss_error_set(SS_EUSAGE, _("%s must be answered (%s)"), q->id, b.data ? b.data : "");
	ss_buf_release(&b);
	return err;
}

int ss_act_redact(const char *text, char **out)
{
	struct ss_buf b = SS_BUF_INIT;
	int err;

	*out = NULL;
	if (text == NULL)
		return 0;
	if ((err = ss_redact_text(text, strlen(text), &b)) ||
	    (b.data == NULL && (err = ss_buf_put(&b, "", 0)))) {
		ss_buf_release(&b);
		return err;
	}
	*out = ss_buf_detach(&b);
	return 0;
}
