#include "cli.h"
int cmd_feedback(struct ss_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ss_cli_usage(cli, "not yet");
}
