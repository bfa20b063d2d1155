/*
 * cmd_reopen.c - `ssaudit reopen MONTH --reason TEXT`: reopen a closed month.
 */
#include "act.h"
#include "cli.h"
#include "writer.h"

int cmd_reopen(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"reason", required_argument, 0, 'r'}, {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	const char *reason = NULL;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'r')
			reason = optarg;
		else
			return 2;
	}
	if (argc - optind != 1)
		return ss_cli_usage(cli, _("give one month"));
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	if (reason == NULL || *reason == '\0')
		return ss_cli_usage(cli, _("say why the month is reopened, with --reason TEXT"));
	if ((err = ss_writer_open(&wo, &w)) || (err = ss_act_reopen(w, argv[optind], reason))) {
		ss_writer_close(w);
		return ss_cli_fail(err);
	}
	if (cli->json)
		printf("{\"month\": \"%s\", \"closed\": false}\n", argv[optind]);
	else
		printf(_("%s reopened: verdicts can be recorded again\n"), argv[optind]);
	ss_writer_close(w);
	return 0;
}
