/*
 * cmd_gc.c - `ssaudit gc`: pack the trail's loose objects.
 */
#include "cli.h"
#include "trail.h"

int cmd_gc(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	struct ss_trail *t = NULL;
	size_t packed = 0;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (optind != argc)
		return ss_cli_usage(cli, _("gc takes no arguments"));
	if ((err = ss_git_open(cli->trail, &t)) || (err = ss_git_lock(t, 60000)) ||
	    (err = ss_git_gc(t, &packed))) {
		ss_git_free(t);
		return ss_cli_fail(err);
	}
	ss_git_free(t);
	ss_cli_note(cli, _("packed %zu loose object%s"), packed, packed == 1 ? "" : "s");
	return 0;
}
