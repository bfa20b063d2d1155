/*
 * cmd_feedback.c - `ssaudit feedback MONTH ... -o DIR`: one sheet per officer
 * with the verdicts on their sampled searches, written into DIR.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "feedback.h"

int cmd_feedback(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"officer", required_argument, 0, 'O'},
	                                     {"format", required_argument, 0, 'f'},
	                                     {"from", required_argument, 0, 'F'},
	                                     {"output", required_argument, 0, 'o'},
	                                     {0, 0, 0, 0}};
	struct ss_feedback_req req;
	struct ss_feedback fb;
	struct ss_diags diags = {0};
	const char *dir = NULL;
	char *path = NULL, **files = NULL;
	size_t nfiles = 0;
	size_t k;
	int c, err = 0, status;

	memset(&req, 0, sizeof(req));
	memset(&fb, 0, sizeof(fb));
	/* --from FILE, and any file after the month: never more than argc. */
	if ((files = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return ss_cli_fail(ss_error_nomem());
	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'O') {
			req.officer = optarg;
		} else if (c == 'f') {
			if (strcmp(optarg, "html") == 0)
				req.format = SS_FEEDBACK_HTML;
			else if (strcmp(optarg, "csv") == 0)
				req.format = SS_FEEDBACK_CSV;
			else
				return ss_cli_usage(cli, _("--format is html or csv, not '%s'"),
				                    optarg);
		} else if (c == 'F') {
			files[nfiles++] = optarg;
		} else if (c == 'o') {
			dir = optarg;
		} else {
			free(files);
			return 2;
		}
	}
	/* MONTH, then (after --from) more of the force's export files. */
	if (argc - optind < 1)
		status = ss_cli_usage(cli, _("give a month"));
	else if (dir == NULL || *dir == '\0')
		status = ss_cli_usage(cli, _("say where the sheets go with -o DIR"));
	else if (nfiles == 0 && argc - optind > 1)
		status = ss_cli_usage(cli, _("give one month (the force's files go after --from)"));
	else
		status = ss_cli_month(cli, argv[optind]);
	if (status) {
		free(files);
		return status;
	}
	for (k = (size_t)optind + 1; k < (size_t)argc; k++)
		files[nfiles++] = argv[k];
	req.trail = cli->trail;
	req.home = cli->home;
	req.month = argv[optind];
	req.as = cli->as;
	req.from = files;
	req.nfrom = nfiles;
	diags.limit = 20;
	err = ss_feedback_build(&req, &diags, &fb);
	for (k = 0; k < diags.n; k++)
		fprintf(stderr, "ssaudit: %s:%zu:%zu: %s\n", diags.d[k].file, diags.d[k].line,
		        diags.d[k].col, diags.d[k].msg);
	ss_diags_release(&diags);
	free(files);
	if (err)
		return ss_cli_fail(err);
	if (fb.n == 0) {
		printf(fb.hidden
		           ? _("%s: no officer has a verdict on a sampled search yet that you may "
		               "see; no sheet written\n")
		           : _("%s: no officer has a verdict on a sampled search yet; no sheet "
		               "written\n"),
		       req.month);
		ss_feedback_release(&fb);
		return 0;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		err = ss_error_set(SS_ECANTCREAT, _("cannot create the folder '%s': %s"), dir,
		                   strerror(errno));
		ss_feedback_release(&fb);
		return ss_cli_fail(err);
	}
	for (k = 0; k < fb.n && status == 0; k++) {
		free(path);
		if ((path = malloc(strlen(dir) + strlen(fb.v[k].file) + 2)) == NULL) {
			status = ss_cli_fail(ss_error_nomem());
			break;
		}
		sprintf(path, "%s/%s", dir, fb.v[k].file);
		status = ss_cli_write_output(path, fb.v[k].data.data, fb.v[k].data.len);
		if (status == 0 && cli->json)
			printf("%s{\"officer\": \"%s\", \"file\": \"%s\", \"searches\": %zu, "
			       "\"verdicts\": %zu, \"number\": %s}",
			       k ? ",\n " : "[", fb.v[k].officer, path, fb.v[k].searches,
			       fb.v[k].verdicts, fb.v[k].number ? "true" : "false");
		else if (status == 0 && !cli->quiet)
			printf(_("%s: %zu search%s, %zu verdict%s%s\n"), path, fb.v[k].searches,
			       fb.v[k].searches == 1 ? "" : "es", fb.v[k].verdicts,
			       fb.v[k].verdicts == 1 ? "" : "s",
			       fb.v[k].number ? _(", with the officer's own number") : "");
	}
	if (cli->json && status == 0)
		printf("]\n");
	if (status == 0 && fb.hidden)
		ss_cli_note(cli,
		            _("%zu verdict%s by others kept off the sheets: you have still to "
		              "review those searches (blind review)"),
		            fb.hidden, fb.hidden == 1 ? "" : "s");
	if (status == 0 && fb.unnumbered)
		ss_cli_warn(
		    _("%zu officer%s not found in the files given: no number on their sheet%s"),
		    fb.unnumbered, fb.unnumbered == 1 ? "" : "s", fb.unnumbered == 1 ? "" : "s");
	if (status == 0 && !cli->json)
		ss_cli_note(cli,
		            _("%zu sheet%s in '%s': personal data, for the force's own channels"),
		            fb.n, fb.n == 1 ? "" : "s", dir);
	free(path);
	ss_feedback_release(&fb);
	return status;
}
