/*
 * trailers.c - commit messages and their Ssaudit-* trailers (see trailers.h).
 */
#include "trailers.h"

#include <string.h>

#include "buf.h"

static const char *const keys[SS_TRAILER_COUNT] = {"Ssaudit-Action",       "Ssaudit-Month",
                                                   "Ssaudit-Record",       "Ssaudit-Role",
                                                   "Ssaudit-On-Behalf-Of", "Ssaudit-Clock"};

const char *ss_trailers_key(enum ss_trailer t)
{
	return (unsigned)t < SS_TRAILER_COUNT ? keys[t] : "";
}

char *ss_trailers_message(const struct ss_trailers_msg *msg, bool clock_fixed)
{
	struct ss_buf b = SS_BUF_INIT;
	int err = 0;

	err = ss_buf_printf(&b, "%s\n\n", msg->subject);
	if (!err && msg->body && *msg->body)
		err = ss_buf_printf(&b, "%s%s\n", msg->body,
		                    msg->body[strlen(msg->body) - 1] == '\n' ? "" : "\n");
	if (!err)
		err = ss_buf_printf(&b, "%s: %s\n", keys[SS_TRAILER_ACTION],
		                    ss_rules_trailer(msg->action));
	if (!err && msg->month)
		err = ss_buf_printf(&b, "%s: %s\n", keys[SS_TRAILER_MONTH], msg->month);
	if (!err && msg->record)
		err = ss_buf_printf(&b, "%s: %s\n", keys[SS_TRAILER_RECORD], msg->record);
	if (!err && msg->role)
		err = ss_buf_printf(&b, "%s: %s\n", keys[SS_TRAILER_ROLE], msg->role);
	if (!err && msg->on_behalf_of)
		err =
		    ss_buf_printf(&b, "%s: %s\n", keys[SS_TRAILER_ON_BEHALF_OF], msg->on_behalf_of);
	if (!err && clock_fixed)
		err = ss_buf_printf(&b, "%s: fixed\n", keys[SS_TRAILER_CLOCK]);
	if (err) {
		ss_buf_release(&b);
		return NULL;
	}
	return ss_buf_detach(&b);
}

static void copy_value(char *out, size_t cap, const char *v, size_t len, bool *bad)
{
	if (len >= cap) {
		*bad = true;
		len = cap - 1;
	}
	memcpy(out, v, len);
	out[len] = '\0';
}

/* The message's length without trailing newlines, and where its last
 * paragraph starts (the whole message when it has one paragraph). */
static const char *last_paragraph(const char *msg, size_t *len)
{
	const char *p, *para = msg;

	*len = strlen(msg);
	while (*len > 0 && msg[*len - 1] == '\n')
		(*len)--;
	for (p = msg; p + 1 < msg + *len; p++)
		if (p[0] == '\n' && p[1] == '\n')
			para = p + 2;
	return para;
}

void ss_trailers_body(const char *msg, const char **body, size_t *blen)
{
	const char *start = strstr(msg, "\n\n"), *para;
	size_t len;

	para = last_paragraph(msg, &len);
	start = start != NULL ? start + 2 : msg + len;
	/* The body ends where the trailers start; a last paragraph of words, or
	 * the subject alone, has no trailers to stop at. */
	if (para < start || strncmp(para, "Ssaudit-", 8) != 0)
		para = msg + len;
	*blen = para > start ? (size_t)(para - start) : 0;
	while (*blen > 0 && (start[*blen - 1] == '\n' || start[*blen - 1] == ' '))
		(*blen)--;
	*body = start;
}

void ss_trailers_parse(const char *msg, struct ss_trailers *tr)
{
	size_t len, k;
	const char *p, *para = last_paragraph(msg, &len);
	bool seen[SS_TRAILER_COUNT] = {false};

	memset(tr, 0, sizeof(*tr));
	for (p = para; p < msg + len;) {
		const char *eol = memchr(p, '\n', (size_t)(msg + len - p));
		const char *end = eol != NULL ? eol : msg + len;

		for (k = 0; k < SS_TRAILER_COUNT; k++) {
			size_t kl = strlen(keys[k]);
			const char *val;
			char *out = NULL;
			size_t cap = 0;

			if ((size_t)(end - p) < kl + 2 || memcmp(p, keys[k], kl) != 0 ||
			    p[kl] != ':' || p[kl + 1] != ' ')
				continue;
			if (seen[k])
				tr->repeats[k]++;
			seen[k] = true;
			val = p + kl + 2;
			switch (k) {
			case SS_TRAILER_ACTION:
				out = tr->action, cap = sizeof(tr->action);
				break;
			case SS_TRAILER_MONTH:
				out = tr->month, cap = sizeof(tr->month);
				break;
			case SS_TRAILER_RECORD:
				out = tr->record, cap = sizeof(tr->record);
				break;
			case SS_TRAILER_ROLE:
				out = tr->role, cap = sizeof(tr->role);
				break;
			case SS_TRAILER_ON_BEHALF_OF:
				out = tr->behalf, cap = sizeof(tr->behalf);
				break;
			default:
				tr->fixed = true;
				break;
			}
			if (out != NULL)
				copy_value(out, cap, val, (size_t)(end - val), &tr->too_long);
		}
		p = eol != NULL ? eol + 1 : msg + len;
	}
}
