/*
 * reviewer.c - reviewer add and remove: who may sign, in which role. A
 * removed person stays in the register (their file gets `removed`), so
 * their earlier commits still verify.
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "clock.h"
#include "error.h"
#include "policy.h"
#include "registry.h"
#include "layout.h"

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

static int commit_reviewer(struct ss_writer *w, const struct ss_reviewer *rv, enum ss_action action,
                           const char *subject, const char *body)
{
	struct ss_buf j = SS_BUF_INIT;
	char path[300];
	struct ss_trailers_msg msg = {0};
	struct ss_change ch;
	int err;

	if ((err = ss_reviewer_to_json(rv, &j)))
		return err;
	ss_layout_reviewer(path, sizeof(path), rv->handle);
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
		return ss_error_set(SS_EUSAGE, _("'%s' is not a valid handle"), handle);
	if (!ss_name_valid(role))
		return ss_error_set(SS_EUSAGE, _("'%s' is not a valid role name"), role);
	if ((err = ss_act_check_ident(_("the name"), name)) ||
	    (err = ss_act_check_ident(_("the email"), email)))
		return err;
	if (ss_policy_role(w->policy, role) == NULL)
		return ss_error_set(SS_EUSAGE, _("the policy has no role '%s'"), role);
	if (!ss_role_registers(w->actor_role, role))
		return ss_error_set(
		    SS_EPERM, _("%s is %s %s, and the policy does not let %s %s register %s %s"),
		    w->handle, ss_role_a_an(w->actor->role), ss_role_words(w->actor->role),
		    ss_role_a_an(w->actor->role), ss_role_words(w->actor->role), ss_role_a_an(role),
		    ss_role_words(role));
	if (ss_registry_find(w->registry, handle))
		return ss_error_set(SS_EFAIL,
		                    _("'%s' is already in the register (a handle is never reused, "
		                      "so that history stays unambiguous)"),
		                    handle);
	if (key_line) {
		size_t i;

		if ((err = ss_pubkey_parse(key_line, rv.pk)))
			return ss_error_wrap(SS_EUSAGE, _("--key"));
		for (i = 0; i < w->registry->n; i++)
			if (w->registry->r[i].has_key &&
			    memcmp(w->registry->r[i].pk, rv.pk, sizeof(rv.pk)) == 0)
				return ss_error_set(SS_EFAIL,
				                    _("that key is already registered to '%s'"),
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
	snprintf(subject, sizeof(subject), "reviewer-add: %s (%s) by %s (%s)", handle, role,
	         w->handle, w->actor->role);
	snprintf(body, sizeof(body), "%s registered %s as %s%s.", w->actor->name, name, role,
	         key_line ? ", signing with their own key"
	                  : ", without a key (their verdicts are "
	                    "entered for them)");
	err = commit_reviewer(w, ss_registry_find(w->registry, handle), SS_ACTION_REVIEWER_ADD,
	                      subject, body);
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
		return ss_error_set(SS_EFAIL, _("'%s' is not in the register"), handle);
	if (rv->removed)
		return ss_error_set(SS_EFAIL, _("'%s' was already removed on %s"), handle,
		                    rv->removed);
	if (strcmp(handle, w->handle) == 0)
		return ss_error_set(SS_EFAIL,
		                    _("you cannot remove yourself; ask someone whose role "
		                      "registers yours"));
	if (!ss_role_registers(w->actor_role, rv->role))
		return ss_error_set(
		    SS_EPERM, _("%s is %s %s, and the policy does not let %s %s remove %s %s"),
		    w->handle, ss_role_a_an(w->actor->role), ss_role_words(w->actor->role),
		    ss_role_a_an(w->actor->role), ss_role_words(w->actor->role),
		    ss_role_a_an(rv->role), ss_role_words(rv->role));
	ss_clock_rfc3339(w->now, when);
	if ((rv->removed = strdup(when)) == NULL)
		return ss_error_nomem();
	snprintf(subject, sizeof(subject), "reviewer-remove: %s (%s) by %s (%s)", handle, rv->role,
	         w->handle, w->actor->role);
	snprintf(body, sizeof(body),
	         "%s removed %s (%s) from the register. Their earlier commits still verify.",
	         w->actor->name, rv->name, rv->role);
	return commit_reviewer(w, rv, SS_ACTION_REVIEWER_REMOVE, subject, body);
}
