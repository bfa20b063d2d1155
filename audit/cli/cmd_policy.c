/*
 * cmd_policy.c - `ssaudit policy set FILE`: replace the policy in force.
 */
#include <string.h>

#include "act.h"
#include "cli.h"
#include "writer.h"

int cmd_policy(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	bool unchanged = false;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (argc - optind != 2 || strcmp(argv[optind], "set") != 0)
		return ss_cli_usage(cli, _("say: policy set FILE"));
	if ((err = ss_writer_open(&wo, &w)) ||
	    (err = ss_act_policy_set(w, argv[optind + 1], &unchanged))) {
		ss_writer_close(w);
		return ss_cli_fail(err);
	}
	ss_cli_note(cli, unchanged ? _("that policy is already in force; nothing recorded")
	                           : _("the new policy is in force"));
	{
		struct ss_policy *p = NULL;

		if (ss_policy_load(argv[optind + 1], &p) == 0 && ss_policy_random_warning(p))
			ss_cli_warn("%s", _(ss_policy_random_warning(p)));
		ss_policy_free(p);
	}
	ss_writer_close(w);
	return 0;
}
