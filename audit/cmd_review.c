/*
 * cmd_review.c - review, correct, close, reopen.
 */
#include "cli.h"

int cmd_review(struct ss_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ss_cli_usage(cli, "not available yet");
}

int cmd_correct(struct ss_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ss_cli_usage(cli, "not available yet");
}

int cmd_close(struct ss_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ss_cli_usage(cli, "not available yet");
}

int cmd_reopen(struct ss_cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ss_cli_usage(cli, "not available yet");
}
