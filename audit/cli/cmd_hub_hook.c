/*
 * cmd_hub_hook.c - `ssaudit hub-hook [--ssaudit PATH]`: print a pre-receive
 * hook for a hub the group runs itself. It refuses any push to the hub that
 * `ssaudit verify` would reject (checked with --tip before the hub's main
 * moves), any ref but main, and deleting main, so one bad push cannot block
 * every site.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char hook[] =
    "#!/bin/sh\n"
    "# pre-receive hook for an ssaudit hub, printed by `ssaudit hub-hook`.\n"
    "# It refuses any push that `ssaudit verify` would reject, any ref but main,\n"
    "# and deleting main. Install it in the hub (a bare repository):\n"
    "#   ssaudit hub-hook > HUB.git/hooks/pre-receive\n"
    "#   chmod +x HUB.git/hooks/pre-receive\n"
    "SSAUDIT=%s\n"
    "zero=0000000000000000000000000000000000000000\n"
    "status=0\n"
    "while read -r old new ref; do\n"
    "\tcase \"$ref\" in\n"
    "\trefs/heads/main) ;;\n"
    "\t*)\n"
    "\t\techo \"ssaudit hub: refused $ref: this hub keeps the trail's main only\" >&2\n"
    "\t\tstatus=1\n"
    "\t\tcontinue ;;\n"
    "\tesac\n"
    "\tif [ \"$new\" = \"$zero\" ]; then\n"
    "\t\techo \"ssaudit hub: refused: main is never deleted\" >&2\n"
    "\t\tstatus=1\n"
    "\t\tcontinue\n"
    "\tfi\n"
    "\tset --\n"
    "\tif [ \"$old\" != \"$zero\" ]; then\n"
    "\t\t# the trail's first commit and what the hub held stay in its history\n"
    "\t\troot=$(git rev-list --max-parents=0 \"$old\" | head -n 1)\n"
    "\t\tset -- --root \"$root\" --anchor \"$old\"\n"
    "\tfi\n"
    "\tif ! \"$SSAUDIT\" --trail \"${GIT_DIR:-.}\" verify --tip \"$new\" \"$@\" >&2; then\n"
    "\t\techo \"ssaudit hub: refused: the pushed main does not verify (the problems are "
    "listed above)\" >&2\n"
    "\t\tstatus=1\n"
    "\tfi\n"
    "done\n"
    "exit $status\n";

/* s in single quotes for sh. */
static void quoted(char *out, size_t n, const char *s)
{
	size_t j = 0;

	out[j++] = '\'';
	for (; *s != '\0' && j + 5 < n; s++) {
		if (*s == '\'') {
			memcpy(out + j, "'\\''", 4);
			j += 4;
		} else {
			out[j++] = *s;
		}
	}
	out[j++] = '\'';
	out[j] = '\0';
}

int cmd_hub_hook(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"ssaudit", required_argument, NULL, 's'},
	                                     {0, 0, 0, 0}};
	char self[PATH_MAX], q[PATH_MAX * 4 + 8];
	const char *path = NULL;
	ssize_t n;
	int c;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c != 's')
			return 2;
		path = optarg;
	}
	if (optind != argc)
		return ss_cli_usage(cli, _("hub-hook takes no arguments"));
	if (path == NULL) {
		if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
			return ss_cli_usage(cli, _("cannot tell where this program is: give "
			                           "--ssaudit PATH"));
		self[n] = '\0';
		path = self;
	}
	quoted(q, sizeof(q), path);
	printf(hook, q);
	if (fflush(stdout) != 0)
		return ss_cli_fail(ss_error_set(SS_EIO, _("cannot write the hook")));
	return 0;
}
