/*
 * history.c - the commits about a month or a record (history.h).
 */
#include "history.h"

#include <string.h>

#include "clock.h"
#include "error.h"
#include "trail.h"

struct walk {
	const char *month, *id;
	ss_history_fn fn;
	void *ctx;
};

/* The value of trailer `key` in a commit message, copied into out; false when absent. */
static bool trailer(const char *msg, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key);
	const char *p = msg;

	while ((p = strstr(p, key)) != NULL) {
		if ((p == msg || p[-1] == '\n') && p[klen] == ':' && p[klen + 1] == ' ') {
			const char *v = p + klen + 2, *e = strchr(v, '\n');
			size_t len = e ? (size_t)(e - v) : strlen(v);

			if (len >= n)
				len = n - 1;
			memcpy(out, v, len);
			out[len] = '\0';
			return true;
		}
		p += klen;
	}
	return false;
}

/*
 * THE COMMIT MESSAGE PARSER of history: the Ssaudit-* trailers, and the body
 * (the paragraph after the subject, before the trailers). Everything history
 * reads from a message is read here, so this one function can give way to the
 * store's parser of commit messages and trailers.
 */
static void parse_message(const char *msg, struct ss_history_entry *e)
{
	const char *body, *end;
	size_t blen;

	trailer(msg, "Ssaudit-Month", e->month, sizeof(e->month));
	trailer(msg, "Ssaudit-Record", e->record, sizeof(e->record));
	trailer(msg, "Ssaudit-Action", e->action, sizeof(e->action));
	trailer(msg, "Ssaudit-On-Behalf-Of", e->on_behalf_of, sizeof(e->on_behalf_of));
	body = strstr(msg, "\n\n");
	body = body ? body + 2 : "";
	end = strstr(body, "\nSsaudit-Action:");
	if (end == NULL)
		end = strstr(body, "Ssaudit-Action:");
	blen = end ? (size_t)(end - body) : strlen(body);
	while (blen && (body[blen - 1] == '\n' || body[blen - 1] == ' '))
		blen--;
	e->text = body;
	e->text_len = blen;
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

	if ((err = ss_trail_open(path, &t)))
		goto out;
	err = ss_trail_walk(t, NULL, visit, &w);
	if (err == SS_ENOTFOUND)
		err = ss_error_set(SS_ENOINPUT, "the audit trail has no history yet");
out:
	ss_trail_free(t);
	return err;
}
