/*
 * cmd_history.c - who did what to a month or a record, when, in words,
 * read from the commits and their Ssaudit-* trailers.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "clock.h"
#include "trail.h"

struct history {
	struct ss_cli *cli;
	const char *month;
	const char *id;
	struct ss_buf out;
	size_t n;
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

static int visit(void *ctx, const struct ss_commit_view *c)
{
	struct history *h = ctx;
	char month[16] = "", record[64] = "", action[32] = "", behalf[64] = "", when[21], hex[41];
	const char *body, *end;
	size_t blen;

	trailer(c->message, "Ssaudit-Month", month, sizeof(month));
	trailer(c->message, "Ssaudit-Record", record, sizeof(record));
	trailer(c->message, "Ssaudit-Action", action, sizeof(action));
	trailer(c->message, "Ssaudit-On-Behalf-Of", behalf, sizeof(behalf));
	if (h->month && strcmp(month, h->month) != 0)
		return 0;
	if (h->id && strcmp(record, h->id) != 0)
		return 0;
	/* The body is the paragraph after the subject, before the trailers. */
	body = strstr(c->message, "\n\n");
	body = body ? body + 2 : "";
	end = strstr(body, "\nSsaudit-Action:");
	if (end == NULL)
		end = strstr(body, "Ssaudit-Action:");
	blen = end ? (size_t)(end - body) : strlen(body);
	while (blen && (body[blen - 1] == '\n' || body[blen - 1] == ' '))
		blen--;
	ss_clock_rfc3339(c->commit_time, when);
	ss_oid_hex(&c->oid, hex);
	if (h->cli->json) {
		ss_buf_puts(&h->out, h->n ? ",\n {\"commit\": " : "\n {\"commit\": ");
		ss_buf_json_string_or_null(&h->out, hex);
		ss_buf_puts(&h->out, ", \"time\": ");
		ss_buf_json_string_or_null(&h->out, when);
		ss_buf_puts(&h->out, ", \"action\": ");
		ss_buf_json_string_or_null(&h->out, *action ? action : NULL);
		ss_buf_puts(&h->out, ", \"month\": ");
		ss_buf_json_string_or_null(&h->out, *month ? month : NULL);
		ss_buf_puts(&h->out, ", \"record\": ");
		ss_buf_json_string_or_null(&h->out, *record ? record : NULL);
		ss_buf_puts(&h->out, ", \"author\": ");
		ss_buf_json_string_or_null(&h->out, c->author_name);
		ss_buf_puts(&h->out, ", \"committer\": ");
		ss_buf_json_string_or_null(&h->out, c->committer_name);
		ss_buf_puts(&h->out, ", \"signed\": ");
		ss_buf_puts(&h->out, c->signature ? "true" : "false");
		ss_buf_puts(&h->out, ", \"text\": ");
		ss_buf_json_string(&h->out, body, blen);
		ss_buf_puts(&h->out, "}");
	} else {
		ss_buf_printf(&h->out, "%.10s %.5s  %.12s  %.*s\n", when, when + 11, hex, (int)blen,
			      body);
		if (*behalf)
			ss_buf_printf(&h->out, "%30s(entered by %s for %s)\n", "", c->committer_name,
				      c->author_name);
	}
	h->n++;
	return 0;
}

int cmd_history(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	struct history h = {0};
	struct ss_trail *t = NULL;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (argc - optind < 1 || argc - optind > 2)
		return ss_cli_usage(cli, "give a month, and optionally a record id");
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	h.cli = cli;
	h.month = argv[optind];
	h.id = argc - optind == 2 ? argv[optind + 1] : NULL;
	if ((err = ss_trail_open(cli->trail, &t)))
		return ss_cli_fail(err);
	err = ss_trail_walk(t, NULL, visit, &h);
	ss_trail_free(t);
	if (err == SS_ENOTFOUND)
		err = ss_error_set(SS_ENOINPUT, "the audit trail has no history yet");
	if (err) {
		ss_buf_release(&h.out);
		return ss_cli_fail(err);
	}
	if (cli->json) {
		fputs("[", stdout);
		if (h.out.data)
			fputs(h.out.data, stdout);
		fputs(h.n ? "\n]\n" : "]\n", stdout);
	} else if (h.n == 0) {
		ss_cli_note(cli, "nothing has been recorded about %s%s%s yet", h.month,
			    h.id ? " " : "", h.id ? h.id : "");
	} else {
		fputs(h.out.data, stdout);
	}
	ss_buf_release(&h.out);
	return 0;
}
