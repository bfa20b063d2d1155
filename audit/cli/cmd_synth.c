/*
 * cmd_synth.c - `ssaudit synth`: a synthetic force-csv month for training and
 * tests.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "synth.h"

int cmd_synth(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"month", required_argument, 0, 'm'},
	                                     {"count", required_argument, 0, 'n'},
	                                     {"seed", required_argument, 0, 's'},
	                                     {"output", required_argument, 0, 'o'},
	                                     {0, 0, 0, 0}};
	struct ss_synth_opts so = {0};
	const char *output = NULL;
	char *end;
	struct ss_cli_out out;
	int c, err, status;

	so.seed = 1;
	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'm':
			so.month = optarg;
			break;
		case 'n':
			so.count = (size_t)strtoull(optarg, &end, 10);
			if (*optarg == '-' || *end != '\0' || so.count == 0)
				return ss_cli_usage(cli, _("--count takes a whole number above 0"));
			break;
		case 's':
			so.seed = (uint64_t)strtoull(optarg, &end, 10);
			if (*optarg == '-' || *end != '\0')
				return ss_cli_usage(cli, _("--seed takes a whole number"));
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc)
		return ss_cli_usage(cli, _("unexpected argument '%s'"), argv[optind]);
	if (so.month == NULL || so.count == 0)
		return ss_cli_usage(cli, _("synth needs --month and --count"));
	if ((status = ss_cli_month(cli, so.month)))
		return status;
	if ((status = ss_cli_out_open(&out, output)))
		return status;
	if ((err = ss_synth_write(out.f, &so))) {
		ss_cli_out_close(&out, false);
		return ss_cli_fail(err);
	}
	if ((status = ss_cli_out_close(&out, true)))
		return status;
	if (output)
		ss_cli_note(cli, _("wrote %zu invented searches for %s to '%s'"), so.count,
		            so.month, output);
	return 0;
}
