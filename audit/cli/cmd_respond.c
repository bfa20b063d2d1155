/*
 * cmd_respond.c - `ssaudit respond`: the force's response to an item of the
 * follow-up list.
 */
#include <string.h>

#include "act.h"
#include "cli.h"
#include "writer.h"

int cmd_respond(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"action", required_argument, 0, 'a'},
	                                     {"note", required_argument, 0, 'n'},
	                                     {"ref", required_argument, 0, 'R'},
	                                     {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_respond_req req;
	struct ss_response done;
	const char *ref = NULL;
	char buf[SS_ID_LEN + 1];
	int c, err, status;

	memset(&req, 0, sizeof(req));
	memset(&done, 0, sizeof(done));
	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'a')
			req.action = optarg;
		else if (c == 'n')
			req.note = optarg;
		else if (c == 'R')
			ref = optarg;
		else
			return 2;
	}
	if (argc - optind != (ref ? 1 : 2))
		return ss_cli_usage(cli,
		                    ref ? _("give a month, and the record by its id or --ref, "
		                            "not both")
		                        : _("give a month and a record id (or --ref REFERENCE)"));
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	if (req.action == NULL || *req.action == '\0')
		return ss_cli_usage(cli,
		                    _("say what the force did with --action VALUE (for example "
		                      "words-of-advice, training or no-further-action)"));
	req.month = argv[optind];
	if ((status =
	         ss_cli_record(cli, req.month, ref ? NULL : argv[optind + 1], ref, buf, &req.id)))
		return status;
	if ((err = ss_writer_open(&wo, &w)) || (err = ss_act_respond(w, &req, &done))) {
		ss_writer_close(w);
		return ss_cli_fail(err);
	}
	if (cli->json) {
		struct ss_buf b = SS_BUF_INIT;

		ss_response_to_json(&done, &b);
		fputs(b.data ? b.data : "", stdout);
		ss_buf_release(&b);
	} else {
		const char *said = ss_policy_response_words(
		    w->policy, done.action, ss_lang_current() == SS_LANG_EN ? "en" : "cy");

		printf(_("%s %s: response %u recorded: %s"), req.month, req.id, done.number, said);
		if (strcmp(said, done.action) != 0)
			printf(" (%s)", done.action);
		printf("\n");
		if (done.note && req.note && strcmp(done.note, req.note) != 0)
			printf(
			    _("the note was recorded with dates, numbers and officer identifiers "
			      "hidden: %s\n"),
			    done.note);
	}
	ss_cli_maybe_gc(cli, w);
	ss_response_release(&done);
	ss_writer_close(w);
	return 0;
}
