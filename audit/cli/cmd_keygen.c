/*
 * cmd_keygen.c - `ssaudit keygen HANDLE`: make a signing key in HOME/keys.
 */
#include <stdlib.h>

#include "cli.h"
#include "home.h"
#include "policy.h"
#include "registry.h"
#include "sshkey.h"

int cmd_keygen(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	char *path = NULL, *pub = NULL;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (argc - optind != 1)
		return ss_cli_usage(cli, _("give one handle"));
	if (!ss_name_valid(argv[optind]))
		return ss_cli_usage(
		    cli,
		    _("'%s' is not a valid handle: use lowercase letters, digits and "
		      "'-', up to 32, starting with a letter or digit"),
		    argv[optind]);
	if ((err = ss_home_ensure(cli->home)) ||
	    (err = ss_home_key_path(cli->home, argv[optind], &path)))
		return ss_cli_fail(err);
	err = ss_key_generate(path, argv[optind], &pub);
	if (err) {
		free(path);
		return ss_cli_fail(err);
	}
	printf("%s\n", pub);
	ss_cli_note(cli, _("your key is in '%s'; give the line above to whoever registers you"),
	            path);
	free(path);
	free(pub);
	return 0;
}
