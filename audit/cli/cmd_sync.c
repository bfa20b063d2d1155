/*
 * cmd_sync.c - `ssaudit sync [REMOTE]`: share the trail with the other
 * sites through a git remote (the hub); says what happened, or which acts
 * conflict and what to do about each.
 */
#include <stdio.h>
#include <string.h>

#include "act.h"
#include "buf.h"
#include "cli.h"
#include "writer.h"

static const char *done_name(enum ss_sync_done d)
{
	static const char *names[] = {"up-to-date", "fast-forward", "pushed",    "replayed",
	                              "merged",     "conflict",     "rewritten", "refused"};

	return names[d];
}

static void print_json(const struct ss_sync_result *r)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	ss_buf_puts(&b, "{\n \"remote\": ");
	ss_buf_json_string_or_null(&b, *r->remote ? r->remote : NULL);
	ss_buf_printf(&b,
	              ",\n \"action\": \"%s\",\n \"fast_forward\": %s,\n \"pushed\": %s,\n"
	              " \"merged\": %s,\n \"replayed\": %zu,\n \"skipped\": %zu,\n"
	              " \"attempts\": %u,\n \"tip\": ",
	              done_name(r->done), r->fast_forward ? "true" : "false",
	              r->pushed ? "true" : "false", r->merged ? "true" : "false", r->replayed,
	              r->skipped, r->attempts);
	ss_buf_json_string_or_null(&b, *r->tip ? r->tip : NULL);
	ss_buf_puts(&b, ",\n \"remote_tip\": ");
	ss_buf_json_string_or_null(&b, *r->remote_tip ? r->remote_tip : NULL);
	ss_buf_puts(&b, ",\n \"conflicts\": [");
	for (i = 0; i < r->nconflicts; i++) {
		const struct ss_sync_conflict *c = &r->conflicts[i];

		ss_buf_printf(&b, "%s\n  {\"commit\": \"%s\", \"action\": ", i ? "," : "",
		              c->commit);
		ss_buf_json_string_or_null(&b, *c->action ? c->action : NULL);
		ss_buf_puts(&b, ", \"month\": ");
		ss_buf_json_string_or_null(&b, *c->month ? c->month : NULL);
		ss_buf_puts(&b, ", \"record\": ");
		ss_buf_json_string_or_null(&b, *c->record ? c->record : NULL);
		ss_buf_puts(&b, ", \"who\": ");
		ss_buf_json_string_or_null(&b, c->who);
		ss_buf_puts(&b, ", \"words\": ");
		ss_buf_json_string_or_null(&b, c->words);
		ss_buf_puts(&b, ", \"what_to_do\": ");
		ss_buf_json_string_or_null(&b, c->todo);
		ss_buf_puts(&b, "}");
	}
	ss_buf_puts(&b, r->nconflicts ? "\n ],\n \"problems\": [" : "],\n \"problems\": [");
	for (i = 0; i < r->nproblems; i++) {
		ss_buf_puts(&b, i ? ",\n  " : "\n  ");
		ss_buf_json_string_or_null(&b, r->problems[i]);
	}
	ss_buf_puts(&b, r->nproblems ? "\n ]\n}\n" : "]\n}\n");
	if (b.data != NULL)
		fputs(b.data, stdout);
	ss_buf_release(&b);
}

static void print_text(const struct ss_cli *cli, const struct ss_sync_result *r)
{
	char tip[8];

	snprintf(tip, sizeof(tip), "%.7s", r->tip);
	switch (r->done) {
	case SS_SYNC_UP_TO_DATE:
		ss_cli_note(cli, _("already in step with '%s' (main %s)"), r->remote, tip);
		break;
	case SS_SYNC_FAST_FORWARD:
		ss_cli_note(cli, _("took what '%s' had that this site lacked: main is now %s"),
		            r->remote, tip);
		break;
	case SS_SYNC_PUSHED:
		ss_cli_note(cli, _("sent this site's new acts to '%s': main is %s"), r->remote,
		            tip);
		break;
	case SS_SYNC_REPLAYED:
		ss_cli_note(cli,
		            _("replayed %zu of your acts on top of what '%s' holds%s and sent "
		              "them: main is %s"),
		            r->replayed, r->remote,
		            r->skipped ? _(" (some were there already)") : "", tip);
		break;
	case SS_SYNC_MERGED:
		ss_cli_note(cli,
		            _("joined what '%s' holds with this site's acts in a signed merge and "
		              "sent it: main is %s"),
		            r->remote, tip);
		break;
	default:
		break;
	}
}

/* The conflicts and problems behind a refusal, for people. */
static void print_refusal(const struct ss_sync_result *r)
{
	size_t i;

	for (i = 0; i < r->nconflicts; i++)
		fprintf(stderr, _("  - %s.\n    What to do: %s.\n"), r->conflicts[i].words,
		        r->conflicts[i].todo);
	for (i = 0; i < r->nproblems; i++)
		fprintf(stderr, "  - %s\n", r->problems[i]);
}

int cmd_sync(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_sync_result res;
	int c, err, status = 0;

	memset(&res, 0, sizeof(res));
	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c != 'j')
			return 2;
		cli->json = true;
	}
	if (argc - optind > 1)
		return ss_cli_usage(cli, _("give at most one remote"));
	if ((err = ss_writer_open(&wo, &w)) != 0)
		return ss_cli_fail(err);
	err = ss_act_sync(w, optind < argc ? argv[optind] : NULL, &res);
	if (err != 0) {
		status = ss_cli_fail(err);
		print_refusal(&res);
	} else {
		print_text(cli, &res);
	}
	if (cli->json &&
	    (err == 0 || res.nconflicts > 0 || res.nproblems > 0 || res.done == SS_SYNC_REWRITTEN))
		print_json(&res);
	if (fflush(stdout) != 0 && status == 0)
		status = ss_cli_fail(ss_error_set(SS_EIO, _("cannot write the output")));
	ss_sync_result_release(&res);
	ss_writer_close(w);
	return status;
}
