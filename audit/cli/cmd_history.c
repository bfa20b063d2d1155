/*
 * cmd_history.c - `ssaudit history MONTH [ID]`: who did what to a month or a
 * record, when, in words (read/history.c reads the commits).
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "history.h"
#include "uktime.h"

struct history {
	struct ss_cli *cli;
	struct ss_buf out;
	size_t n, hidden;
};

static int print_entry(void *ctx, const struct ss_history_entry *e)
{
	struct history *h = ctx;

	if (h->cli->json) {
		ss_buf_puts(&h->out, h->n ? ",\n {\"commit\": " : "\n {\"commit\": ");
		ss_buf_json_string_or_null(&h->out, e->commit);
		ss_buf_puts(&h->out, ", \"time\": ");
		ss_buf_json_string_or_null(&h->out, e->when);
		ss_buf_puts(&h->out, ", \"action\": ");
		ss_buf_json_string_or_null(&h->out, *e->action ? e->action : NULL);
		ss_buf_puts(&h->out, ", \"month\": ");
		ss_buf_json_string_or_null(&h->out, *e->month ? e->month : NULL);
		ss_buf_puts(&h->out, ", \"record\": ");
		ss_buf_json_string_or_null(&h->out, *e->record ? e->record : NULL);
		ss_buf_puts(&h->out, ", \"author\": ");
		ss_buf_json_string_or_null(&h->out, e->author);
		ss_buf_puts(&h->out, ", \"committer\": ");
		ss_buf_json_string_or_null(&h->out, e->committer);
		ss_buf_puts(&h->out, ", \"signed\": ");
		ss_buf_puts(&h->out, e->signed_ ? "true" : "false");
		ss_buf_puts(&h->out, ", \"hidden\": ");
		ss_buf_puts(&h->out, e->hidden ? "true" : "false");
		ss_buf_puts(&h->out, ", \"text\": ");
		ss_buf_json_string(&h->out, e->text, e->text_len);
		ss_buf_puts(&h->out, "}");
	} else {
		char when[SS_UK_TIME_MAX];
		char hidden[512];
		const char *text = e->text;
		int len = (int)e->text_len;

		/* The trail's words stay English; what history says itself is in the
		 * reader's language (--json keeps the English). */
		if (e->hidden) {
			snprintf(
			    hidden, sizeof(hidden),
			    _("a verdict on this record: its answers are hidden until you (%s) "
			      "record yours, as the policy asks for blind review"),
			    h->cli->as);
			text = hidden;
			len = (int)strlen(hidden);
		}
		ss_uk_datetime_in(e->when, ss_lang_current(), when, sizeof(when));
		ss_buf_printf(&h->out, "%s%*s %.12s  %.*s\n", when, ss_cli_pad(when, 27), "",
		              e->commit, len, text);
		if (*e->on_behalf_of) {
			ss_buf_printf(&h->out, "%42s", "");
			ss_buf_printf(&h->out, _("(entered by %s for %s)"), e->committer,
			              e->author);
			ss_buf_puts(&h->out, "\n");
		}
	}
	h->n++;
	h->hidden += e->hidden;
	return 0;
}

int cmd_history(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"ref", required_argument, 0, 'R'}, {0, 0, 0, 0}};
	struct history h = {0};
	const char *month, *id, *ref = NULL;
	char buf[SS_ID_LEN + 1];
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'R')
			ref = optarg;
		else
			return 2;
	}
	if (argc - optind < 1 || argc - optind > 2)
		return ss_cli_usage(cli, _("give a month, and optionally a record id (or --ref "
		                           "REFERENCE)"));
	if ((status = ss_cli_month(cli, argv[optind])) ||
	    (status = ss_cli_record(cli, argv[optind], argc - optind == 2 ? argv[optind + 1] : NULL,
	                            ref, buf, &id)))
		return status;
	h.cli = cli;
	month = argv[optind];
	if ((err = ss_history_walk(cli->trail, month, id, cli->as, print_entry, &h))) {
		ss_buf_release(&h.out);
		return ss_cli_fail(err);
	}
	if (cli->json) {
		fputs("[", stdout);
		if (h.out.data)
			fputs(h.out.data, stdout);
		fputs(h.n ? "\n]\n" : "]\n", stdout);
	} else if (h.n == 0) {
		ss_cli_note(cli, _("nothing has been recorded about %s%s%s yet"), month,
		            id ? " " : "", id ? id : "");
	} else {
		fputs(h.out.data, stdout);
	}
	if (h.hidden)
		ss_cli_note(cli,
		            h.hidden == 1
		                ? _("the answers of %zu verdict are hidden: you (%s) have "
		                    "still to review its record, and the policy asks for "
		                    "blind review")
		                : _("the answers of %zu verdicts are hidden: you (%s) have "
		                    "still to review their records, and the policy asks "
		                    "for blind review"),
		            h.hidden, cli->as);
	ss_buf_release(&h.out);
	return 0;
}
