/*
 * history.c - the commits about a month or a record (history.h).
 */
#include "history.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "trail.h"
#include "trailers.h"

struct walk {
	const char *month, *id;
	ss_history_fn fn;
	void *ctx;
};

/* What history reads from a message: the store's reading of its trailers
 * and body, so history tells the story verify judges. */
static void parse_message(const char *msg, struct ss_history_entry *e)
{
	struct ss_trailers tr;

	ss_trailers_parse(msg, &tr);
	snprintf(e->month, sizeof(e->month), "%s", tr.month);
	snprintf(e->record, sizeof(e->record), "%s", tr.record);
	snprintf(e->action, sizeof(e->action), "%s", tr.action);
	snprintf(e->on_behalf_of, sizeof(e->on_behalf_of), "%s", tr.behalf);
	ss_trailers_body(msg, &e->text, &e->text_len);
}

static int visit(void *ctx, const struct ss_commit_view *c)
{
	struct walk *w = ctx;
	struct ss_history_entry e;

	memset(&e, 0, sizeof(e));
	parse_message(c->message, &e);
	if (w->month && strcmp(e.month, w->month) != 0)
		return 0;
	if (w->id && strcmp(e.record, w->id) != 0)
		return 0;
	ss_clock_rfc3339(c->commit_time, e.when);
	ss_oid_hex(&c->oid, e.commit);
	e.author = c->author_name;
	e.committer = c->committer_name;
	e.signed_ = c->signature != NULL;
	return w->fn(w->ctx, &e);
}

int ss_history_walk(const char *path, const char *month, const char *id, ss_history_fn fn,
                    void *ctx)
{
	struct walk w = {month, id, fn, ctx};
	struct ss_trail *t = NULL;
	int err;

	if ((err = ss_git_open_read(path, &t)))
		goto out;
	err = ss_git_walk(t, NULL, visit, &w);
	if (err == SS_ENOTFOUND)
		err = ss_error_set(SS_ENOINPUT, "the audit trail has no history yet");
out:
	ss_git_free(t);
	return err;
}
