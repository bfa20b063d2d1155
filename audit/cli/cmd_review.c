/*
 * cmd_review.c - `ssaudit review`: record a verdict, or a filled worksheet.
 *
 * review's options come from the policy at the trail's tip (one per verdict
 * question), so a force that adds a question gets its option without a code
 * change. The core re-checks everything under the trail's lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "cli.h"
#include "month.h"
#include "writer.h"

#define OPT_QUESTION 1000

static void questions_hint(const struct ss_policy *pol)
{
	size_t i;

	fputs(_("ssaudit: the policy's questions are:"), stderr);
	for (i = 0; i < pol->nquestions; i++)
		fprintf(stderr, " --%s%s", pol->questions[i].id,
		        pol->questions[i].required ? "" : _(" (optional)"));
	fputc('\n', stderr);
}

static int review_worksheet(struct ss_cli *cli, struct ss_writer *w, const char *month,
                            const char *path)
{
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_diags diags = {0};
	struct ss_ws_result res;
	char *data = NULL;
	size_t len = 0;
	int err;

	diags.limit = 50;
	if ((err = ss_file_read(path, &data, &len)) || (err = ss_writer_lock(w, &wo)))
		goto out;
	err = ss_act_worksheet(w, month, data, len, path, &diags, &res);
	ss_cli_diags(&diags);
	if (err)
		goto out;
	if (cli->json)
		printf("{\"rows\": %zu, \"recorded\": %zu, \"replaced\": %zu, \"same\": %zu, "
		       "\"skipped\": %zu, \"entered_for_others\": %zu}\n",
		       res.rows, res.recorded, res.replaced, res.same, res.skipped, res.entered);
	else if (!cli->quiet)
		printf(
		    _("%s: %zu new verdict%s recorded (%zu entered for others), %zu replaced, %zu "
		      "already recorded, %zu row%s skipped (no answers)\n"),
		    path, res.recorded, res.recorded == 1 ? "" : "s", res.entered, res.replaced,
		    res.same, res.skipped, res.skipped == 1 ? "" : "s");
	ss_cli_maybe_gc(cli, w);
out:
	ss_diags_release(&diags);
	free(data);
	return err ? ss_cli_fail(err) : 0;
}

int cmd_review(struct ss_cli *cli, int argc, char **argv)
{
	const struct ss_policy *pol;
	struct option *opts = NULL;
	struct ss_answer *ans = NULL;
	struct ss_writer *w = NULL;
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_verdict_req req;
	enum ss_recorded done;
	const char *note = NULL, *for_handle = NULL, *from = NULL, *month;
	size_t i, nans = 0;
	int c, err = 0, status = 0;

	/* The options are the policy's questions: read it before parsing. */
	if ((err = ss_writer_peek(cli->trail, &w))) {
		status = ss_cli_fail(err);
		goto done;
	}
	pol = w->policy;
	if ((opts = calloc(pol->nquestions + 4, sizeof(*opts))) == NULL ||
	    (ans = calloc(pol->nquestions + 1, sizeof(*ans))) == NULL) {
		status = ss_cli_fail(ss_error_nomem());
		goto done;
	}
	for (i = 0; i < pol->nquestions; i++) {
		opts[i].name = pol->questions[i].id;
		opts[i].has_arg = required_argument;
		opts[i].val = OPT_QUESTION + (int)i;
	}
	opts[i++] = (struct option){"note", required_argument, 0, 'n'};
	opts[i++] = (struct option){"for", required_argument, 0, 'f'};
	opts[i++] = (struct option){"from", required_argument, 0, 'F'};
	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'n') {
			note = optarg;
		} else if (c == 'f') {
			for_handle = optarg;
		} else if (c == 'F') {
			from = optarg;
		} else if (c >= OPT_QUESTION && c < OPT_QUESTION + (int)pol->nquestions) {
			const struct ss_question *q = &pol->questions[c - OPT_QUESTION];

			for (i = 0; i < nans; i++)
				if (strcmp(ans[i].question, q->id) == 0) {
					status = ss_cli_usage(cli, _("--%s is given twice"), q->id);
					goto done;
				}
			ans[nans].question = q->id;
			ans[nans].value = optarg;
			nans++;
		} else {
			questions_hint(pol);
			status = 2;
			goto done;
		}
	}
	if (argc - optind < 1) {
		status = ss_cli_usage(cli, _("give a month"));
		goto done;
	}
	month = argv[optind];
	if ((status = ss_cli_month(cli, month)))
		goto done;
	if (from) {
		if (argc - optind != 1 || nans || note || for_handle) {
			status =
			    ss_cli_usage(cli, _("with --from, give only the month: the answers, "
			                        "notes and reviewers are in the worksheet"));
			goto done;
		}
		status = review_worksheet(cli, w, month, from);
		goto done;
	}
	if (argc - optind != 2) {
		status =
		    ss_cli_usage(cli, _("give a month and a record id (or --from WORKSHEET.csv)"));
		goto done;
	}
	if (for_handle && !ss_name_valid(for_handle)) {
		status = ss_cli_usage(cli, _("'%s' is not a valid handle"), for_handle);
		goto done;
	}
	memset(&req, 0, sizeof(req));
	req.month = month;
	req.id = argv[optind + 1];
	req.reviewer = for_handle;
	req.answers = ans;
	req.nanswers = nans;
	req.note = note;
	/* The core checks the answers once, under the lock, in the command line's
	 * words: a bad answer is a usage error (exit 2). */
	if ((err = ss_writer_lock(w, &wo)) != 0) {
		status = ss_cli_fail(err);
		goto done;
	}
	if ((err = ss_act_verdict_options(w, &req, &done)) != 0) {
		status = err == SS_EUSAGE ? ss_cli_usage(cli, "%s", ss_error_message())
		                          : ss_cli_fail(err);
		goto done;
	}
	{
		const char *who = for_handle ? for_handle : w->handle;

		if (cli->json)
			printf("{\"month\": \"%s\", \"id\": \"%s\", \"reviewer\": \"%s\", "
			       "\"result\": \"%s\"}\n",
			       month, req.id, who,
			       done == SS_RECORDED_NEW        ? "recorded"
			       : done == SS_RECORDED_REPLACED ? "replaced"
			                                      : "unchanged");
		else if (cli->quiet)
			; /* -q: the exit status says it */
		else if (done == SS_RECORDED_SAME)
			printf(_("%s %s: %s's verdict is already recorded exactly so; nothing "
			         "changed\n"),
			       month, req.id, who);
		else
			printf(done == SS_RECORDED_NEW ? _("%s %s: recorded %s's verdict%s\n")
			                               : _("%s %s: replaced %s's verdict%s\n"),
			       month, req.id, who,
			       for_handle ? _(" (entered on their behalf)") : "");
	}
	if (done != SS_RECORDED_SAME)
		ss_cli_maybe_gc(cli, w);
done:
	ss_writer_close(w);
	free(opts);
	free(ans);
	return status;
}
