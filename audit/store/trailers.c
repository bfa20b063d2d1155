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
		err = ss_buf_printf(&b, "%s: %s\n", keys[SS_TRAILER_ACTION], msg->action);
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

void ss_trailers_parse(const char *msg, struct ss_trailers *tr)
{
	size_t len = strlen(msg), k;
	const char *p, *para = msg;
	bool seen[SS_TRAILER_COUNT] = {false};

	memset(tr, 0, sizeof(*tr));
	while (len > 0 && msg[len - 1] == '\n')
		len--;
	for (p = msg; p + 1 < msg + len; p++)
		if (p[0] == '\n' && p[1] == '\n')
			para = p + 2;
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
