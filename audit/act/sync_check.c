/*
 * sync_check.c - is an act of one side still valid on the other (a verdict
 * in a month closed there, a correction whose `from` changed there, an act by
 * someone removed there, a population replaced after the month was sampled
 * there, a file changed there too)? And the words that name a conflicting
 * act for a lay member: who, what, which record, which month, why, and what
 * to do about it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "month.h"
#include "registry.h"
#include "rules.h"
#include "sync_int.h"
#include "trailers.h"

/* ------------------------------------------------------------ words */

/* What an act is, in English (the conflict's JSON "what"); the message
 * translates it with _(). */
static const char *act_words(enum ss_action a)
{
	switch (a) {
	case SS_ACTION_VERDICT:
		return N_("verdict");
	case SS_ACTION_CORRECTION:
		return N_("correction of the outcome");
	case SS_ACTION_RESPONSE:
		return N_("response to a follow-up item");
	case SS_ACTION_CLOSE:
		return N_("sign-off (close)");
	case SS_ACTION_REOPEN:
		return N_("reopening");
	case SS_ACTION_IMPORT:
		return N_("import of the records");
	case SS_ACTION_SAMPLE:
		return N_("sample");
	case SS_ACTION_POLICY:
		return N_("change of policy");
	case SS_ACTION_REVIEWER_ADD:
		return N_("registration of a reviewer");
	case SS_ACTION_REVIEWER_REMOVE:
		return N_("removal of a reviewer");
	case SS_ACTION_MERGE:
		return N_("merge");
	default:
		return N_("change");
	}
}

static const char *todo_words(enum why why, enum ss_action a)
{
	switch (why) {
	case WHY_CLOSED:
		return a == SS_ACTION_VERDICT
		           ? _("ask the coordinator to reopen the month at the hub, sync, then "
		               "record the verdict again if it is still missing")
		           : _("ask the coordinator to reopen the month at the hub, then sync "
		               "again");
	case WHY_REMOVED:
		return _("ask the coordinator: if this person should still act, register them "
		         "again; otherwise the act cannot be kept");
	case WHY_FROM:
		return _("look at the record again (ssaudit show) and correct again from the new "
		         "value");
	case WHY_SAMPLED:
		return _("the records of a sampled month cannot be replaced; ask the coordinator");
	case WHY_PATH:
		return _("look at what the other site recorded (ssaudit show, ssaudit history), "
		         "then record this again if it is still needed");
	default:
		return _("ask the coordinator to look at it; nothing was sent");
	}
}

int sync_conflict(struct sync *s, const struct ss_commit_info *ci, enum why why, const char *reason,
                  bool elsewhere)
{
	struct ss_sync_conflict *c, *grown;
	struct ss_trailers tr;
	struct ss_buf b = SS_BUF_INIT;
	enum ss_action a;
	char month[32] = "";
	int rc;

	ss_trailers_parse(ci->message, &tr);
	a = ss_rules_action(tr.action);
	grown = realloc(s->res->conflicts, (s->res->nconflicts + 1) * sizeof(*grown));
	if (grown == NULL)
		return ss_error_nomem();
	s->res->conflicts = grown;
	c = &grown[s->res->nconflicts];
	memset(c, 0, sizeof(*c));
	ss_oid_hex(&ci->oid, c->commit);
	snprintf(c->action, sizeof(c->action), "%s", tr.action);
	snprintf(c->month, sizeof(c->month), "%s", tr.month);
	snprintf(c->record, sizeof(c->record), "%s", tr.record);
	if (tr.month[0] != '\0')
		ss_month_words(tr.month, month, sizeof(month));
	rc = ss_buf_printf(&b, _("%s's %s"), ci->author_name, _(act_words(a)));
	if (!rc && tr.record[0] != '\0')
		rc = ss_buf_printf(&b, _(" on record %s"), tr.record);
	if (!rc && month[0] != '\0')
		rc = ss_buf_printf(&b, tr.record[0] != '\0' ? _(" of %s") : _(" for %s"), month);
	if (!rc && elsewhere)
		rc = ss_buf_puts(&b, _(" (recorded at another site)"));
	if (!rc)
		rc = ss_buf_printf(&b, ": %s", reason);
	if (rc || (c->who = strdup(ci->author_name)) == NULL ||
	    (c->what = strdup(act_words(a))) == NULL ||
	    (c->todo = strdup(todo_words(why, a))) == NULL) {
		free(c->who);
		free(c->what);
		ss_buf_release(&b);
		return rc ? rc : ss_error_nomem();
	}
	c->words = ss_buf_detach(&b);
	ss_buf_release(&b);
	if (c->words == NULL) {
		free(c->who);
		free(c->what);
		free(c->todo);
		return ss_error_nomem();
	}
	s->res->nconflicts++;
	return 0;
}

/* Has this commit been named as a conflict already? */
bool sync_named(const struct sync *s, const struct ss_oid *id)
{
	char hex[41];
	size_t i;

	ss_oid_hex(id, hex);
	for (i = 0; i < s->res->nconflicts; i++)
		if (strcmp(s->res->conflicts[i].commit, hex) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------ is the act still valid there? */

static const struct ss_reviewer *removed_there(const struct ss_registry *reg, const char *handle)
{
	const struct ss_reviewer *r =
	    handle != NULL && *handle ? ss_registry_find(reg, handle) : NULL;

	return r != NULL && r->removed != NULL ? r : NULL;
}

/* The handle of the person an act belongs to: the verdict's reviewer, the
 * On-Behalf-Of trailer, else the signer. */
static const char *owner_handle(const struct changes *ch, const struct ss_trailers *tr,
                                const char *signer)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		if (ch->v[i].l.kind == SS_LAYOUT_VERDICT)
			return ch->v[i].l.handle;
	return tr->behalf[0] != '\0' ? tr->behalf : signer;
}

/* A correction's `from` against the record's value at `at`. */
static int check_from(struct sync *s, const struct change *c, const struct ss_commit_info *ci,
                      const struct ss_oid *at, char *why, size_t n, bool *bad)
{
	struct ss_correction corr;
	struct ss_population *pop = NULL;
	struct ss_month_state *st = NULL;
	const struct ss_record *rec;
	char *data = NULL;
	size_t len = 0, i;
	int rc;

	*bad = false;
	memset(&corr, 0, sizeof(corr));
	if ((rc = ss_git_read(s->t, &ci->oid, c->path, &data, &len)) != 0 ||
	    (rc = ss_correction_from_json(data, len, c->path, &corr)) != 0)
		goto out;
	rc = ss_month_population(s->t, at, c->l.month, NULL, NULL, &pop);
	if (rc == SS_EFAIL) { /* no population there: verify will say so */
		rc = 0;
		goto out;
	}
	if (rc || (rc = ss_month_state_load(s->t, at, c->l.month, &st)) != 0)
		goto out;
	if ((rec = ss_population_find(pop, c->l.id)) == NULL)
		goto out;
	for (i = 0; i < corr.nchanges && !*bad; i++) {
		struct ss_rule_value now = ss_month_current(st, rec, corr.changes[i].field);

		if (!ss_rule_value_equal(&now, &corr.changes[i].from)) {
			char was[64], is[64];

			ss_rule_value_words(&corr.changes[i].from, true, was, sizeof(was));
			ss_rule_value_words(&now, true, is, sizeof(is));
			snprintf(why, n,
			         "the outcome was corrected at another site first: this correction "
			         "changes it from %s, but it now reads %s",
			         was, is);
			*bad = true;
		}
	}
out:
	free(data);
	ss_correction_release(&corr);
	ss_population_free(pop);
	ss_month_state_free(st);
	return rc;
}

/* Did the other side change anything under dir? */
static bool touched(const struct changes *other, const char *dir)
{
	size_t i, n = strlen(dir);

	for (i = 0; i < other->n; i++)
		if (strncmp(other->v[i].path, dir, n) == 0 && other->v[i].path[n] == '/')
			return true;
	return false;
}

int sync_check_act(struct sync *s, const struct ss_commit_info *ci, const struct changes *ch,
                   const struct ss_oid *at, const struct ss_oid *base, const struct changes *other,
                   bool elsewhere, bool *ok)
{
	struct ss_registry *reg = NULL;
	struct ss_trailers tr;
	enum ss_action a;
	const struct ss_reviewer *gone;
	const char *owner;
	char why[512];
	size_t i;
	int rc;

	*ok = true;
	ss_trailers_parse(ci->message, &tr);
	a = ss_rules_action(tr.action);
	if ((rc = ss_registry_load(s->t, at, &reg)) != 0)
		return rc;
	owner = owner_handle(ch, &tr, NULL);
	gone = removed_there(reg, owner);
	if (gone == NULL) {
		/* the signer: the committer, by their registered name and email */
		for (i = 0; i < reg->n && gone == NULL; i++)
			if (reg->r[i].removed != NULL &&
			    strcmp(reg->r[i].name, ci->committer_name) == 0 &&
			    strcmp(reg->r[i].email, ci->committer_email) == 0)
				gone = &reg->r[i];
	}
	if (gone != NULL) {
		snprintf(why, sizeof(why),
		         "%s (%s) was removed from the trail on %s, at another site", gone->name,
		         gone->handle, gone->removed);
		*ok = false;
		if ((rc = sync_conflict(s, ci, WHY_REMOVED, why, elsewhere)) != 0)
			goto out;
	}
	for (i = 0; i < ch->n; i++) {
		const struct change *c = &ch->v[i];
		bool closed = false, same = true, bad = false;
		char month[32];

		if (c->l.kind == SS_LAYOUT_VERDICT) {
			char *by = NULL;

			rc = ss_month_closed_at(s->t, at, c->l.month, &closed, &by);
			free(by);
			if (rc != 0)
				goto out;
			if (closed) {
				ss_month_words(c->l.month, month, sizeof(month));
				snprintf(
				    why, sizeof(why),
				    "%s was closed at another site before this verdict reached it",
				    month);
				*ok = false;
				if ((rc = sync_conflict(s, ci, WHY_CLOSED, why, elsewhere)) != 0)
					goto out;
				continue;
			}
		}
		if (c->l.kind == SS_LAYOUT_CORRECTION && c->status != SS_PATH_DELETED) {
			char dir[SS_LAYOUT_PATH_MAX];

			ss_layout_correction_dir(dir, sizeof(dir), c->l.month, c->l.id);
			if (other != NULL && touched(other, dir)) {
				bad = true;
				snprintf(why, sizeof(why),
				         "the outcome of this record was also corrected at another "
				         "site");
			} else if (other == NULL &&
			           (rc = check_from(s, c, ci, at, why, sizeof(why), &bad)) != 0) {
				goto out;
			}
			if (bad) {
				*ok = false;
				if ((rc = sync_conflict(s, ci, WHY_FROM, why, elsewhere)) != 0)
					goto out;
				continue;
			}
		}
		/* Two sites responding to one record at once write the same number. */
		if (c->l.kind == SS_LAYOUT_RESPONSE && c->status != SS_PATH_DELETED &&
		    other != NULL) {
			char dir[SS_LAYOUT_PATH_MAX];

			ss_layout_response_dir(dir, sizeof(dir), c->l.month, c->l.id);
			if (touched(other, dir)) {
				snprintf(why, sizeof(why),
				         "the force's response to this record was also recorded at "
				         "another site");
				*ok = false;
				if ((rc = sync_conflict(s, ci, WHY_PATH, why, elsewhere)) != 0)
					goto out;
				continue;
			}
		}
		if (a == SS_ACTION_IMPORT && c->l.kind == SS_LAYOUT_POPULATION) {
			char sample[SS_LAYOUT_PATH_MAX];
			struct ss_oid id;

			ss_layout_sample(sample, sizeof(sample), c->l.month);
			if (ss_git_blob_id(s->t, at, sample, &id) == 0 &&
			    ss_git_blob_id(s->t, base, sample, &id) == SS_ENOTFOUND) {
				ss_month_words(c->l.month, month, sizeof(month));
				snprintf(why, sizeof(why), "%s was sampled at another site first",
				         month);
				*ok = false;
				if ((rc = sync_conflict(s, ci, WHY_SAMPLED, why, elsewhere)) != 0)
					goto out;
				continue;
			}
		}
		/* The same file changed on the other side since the act was made
		 * (an access log entry is renumbered on replay instead). */
		if (other != NULL || c->l.kind == SS_LAYOUT_ACCESS_FILE)
			continue;
		if ((rc = sync_same_at(s, base, at, c->path, &same)) != 0)
			goto out;
		if (!same) {
			bool mine = false;

			if ((rc = sync_same_at(s, &ci->oid, at, c->path, &mine)) != 0)
				goto out;
			if (!mine) {
				snprintf(why, sizeof(why),
				         "the same file (%s) was changed at another site", c->path);
				*ok = false;
				if ((rc = sync_conflict(s, ci, WHY_PATH, why, elsewhere)) != 0)
					goto out;
			}
		}
	}
out:
	ss_registry_free(reg);
	return rc;
}
