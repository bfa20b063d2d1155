/*
 * cmd_init.c - `ssaudit init`: create a new audit trail with its first commit.
 */
#include "cli.h"
#include "act.h"

int cmd_init(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"policy", required_argument, 0, 'p'}, {"name", required_argument, 0, 'n'},
	    {"email", required_argument, 0, 'e'},  {"role", required_argument, 0, 'r'},
	    {"title", required_argument, 0, 't'},  {0, 0, 0, 0}};
	struct ss_init_req req = {0};
	struct ss_init_result res;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'p':
			req.policy_path = optarg;
			break;
		case 'n':
			req.name = optarg;
			break;
		case 'e':
			req.email = optarg;
			break;
		case 'r':
			req.role = optarg;
			break;
		case 't':
			req.title = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc)
		return ss_cli_usage(cli, _("unexpected argument '%s'"), argv[optind]);
	if (!req.policy_path || !req.name || !req.email)
		return ss_cli_usage(cli, _("init needs --policy, --name and --email"));
	if (cli->as == NULL)
		return ss_cli_usage(cli, _("say who is founding the trail with --as HANDLE"));
	req.trail = cli->trail;
	req.home = cli->home;
	req.handle = cli->as;
	if ((err = ss_act_init(&req, &res)))
		return ss_cli_fail(err);
	if (cli->json) {
		printf("{\"trail\": \"%s\", \"trail_id\": \"%s\", \"founder\": \"%s\", "
		       "\"key_fingerprint\": \"%s\", \"pseudonym_key_fingerprint\": \"%s\"}\n",
		       cli->trail, res.trail_id, cli->as, res.key_fingerprint,
		       res.pseudonym_fingerprint);
	} else {
		printf(_("trail id:        %s\n"), res.trail_id);
		printf(_("founder key:     %s\n"), res.key_fingerprint);
		printf(_("pseudonym key:   %s\n"), res.pseudonym_fingerprint);
		ss_cli_note(
		    cli,
		    _("created '%s'. Publish the trail id and founder key fingerprint: anyone "
		      "can then check the trail with: ssaudit verify --root %s"),
		    cli->trail, res.trail_id);
		if (res.pseudonym_key_created)
			ss_cli_note(
			    cli,
			    _("a new pseudonym key was made in '%s'; keep it on this machine "
			      "and back it up safely"),
			    cli->home);
	}
	return 0;
}
