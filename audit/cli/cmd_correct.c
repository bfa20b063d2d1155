/*
 * cmd_correct.c - `ssaudit correct`: a later change to a search's outcome.
 */
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "cli.h"
#include "writer.h"

static void print_value(const struct ss_rule_value *v)
{
	if (v->kind == SS_RV_STRING)
		printf("'%s'", v->s);
	else if (v->kind == SS_RV_BOOL)
		printf("%s", v->b ? _("true") : _("false"));
	else
		printf("%s", _("blank"));
}

/* correct MONTH --from FILE.csv */
static int correct_file(struct ss_cli *cli, const char *month, const char *path)
{
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_diags diags = {0};
	struct ss_fix_result res;
	char *data = NULL;
	size_t len = 0;
	int err;

	memset(&res, 0, sizeof(res));
	diags.limit = 50;
	if ((err = ss_file_read(path, &data, &len)) || (err = ss_writer_open(&wo, &w)))
		goto out;
	err = ss_act_correct_from(w, month, data, len, path, &diags, &res);
	ss_cli_diags(&diags);
	if (err)
		goto out;
	if (cli->json)
		printf("{\"rows\": %zu, \"recorded\": %zu, \"already\": %zu}\n", res.rows,
		       res.recorded, res.already);
	else
		printf(_("%s: %zu correction%s recorded, %zu row%s already so (nothing to do)\n"),
		       path, res.recorded, res.recorded == 1 ? "" : "s", res.already,
		       res.already == 1 ? "" : "s");
	if (res.recorded)
		ss_cli_maybe_gc(cli, w);
out:
	ss_writer_close(w);
	ss_diags_release(&diags);
	free(data);
	return err ? ss_cli_fail(err) : 0;
}

int cmd_correct(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"outcome", required_argument, 0, 'o'}, {"linked", required_argument, 0, 'l'},
	    {"reason", required_argument, 0, 'r'},  {"ref", required_argument, 0, 'R'},
	    {"from", required_argument, 0, 'F'},    {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_correct_req req;
	struct ss_correction done;
	const char *ref = NULL, *from = NULL;
	char buf[SS_ID_LEN + 1];
	size_t i;
	int c, err, status;

	memset(&req, 0, sizeof(req));
	memset(&done, 0, sizeof(done));
	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'o') {
			req.set_outcome = true;
			req.outcome = optarg;
		} else if (c == 'l') {
			req.set_linked = true;
			if (strcmp(optarg, "true") == 0)
				req.linked = SS_TRI_TRUE;
			else if (strcmp(optarg, "false") == 0)
				req.linked = SS_TRI_FALSE;
			else if (strcmp(optarg, "null") == 0)
				req.linked = SS_TRI_NULL;
			else
				return ss_cli_usage(cli,
				                    _("--linked is true, false or null (unknown)"));
		} else if (c == 'r') {
			req.reason = optarg;
		} else if (c == 'R') {
			ref = optarg;
		} else if (c == 'F') {
			from = optarg;
		} else {
			return 2;
		}
	}
	if (from) {
		if (argc - optind != 1 || ref || req.set_outcome || req.set_linked || req.reason)
			return ss_cli_usage(cli, _("with --from, give only the month: the records, "
			                           "outcomes and reasons are in the file"));
		if ((status = ss_cli_month(cli, argv[optind])))
			return status;
		return correct_file(cli, argv[optind], from);
	}
	if (argc - optind != (ref ? 1 : 2))
		return ss_cli_usage(cli,
		                    ref ? _("give a month, and the record by its id or --ref, "
		                            "not both")
		                        : _("give a month and a record id (or --ref REFERENCE)"));
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	if (!req.set_outcome && !req.set_linked)
		return ss_cli_usage(cli, _("say what to correct: --outcome VALUE, --linked "
		                           "true|false|null, or both"));
	if (req.reason == NULL || *req.reason == '\0')
		return ss_cli_usage(cli, _("say why with --reason TEXT (for example the lab result "
		                           "or the charge)"));
	if (req.set_outcome && *req.outcome == '\0')
		return ss_cli_usage(cli,
		                    _("--outcome is empty: give the outcome in the force's words"));
	req.month = argv[optind];
	if ((status =
	         ss_cli_record(cli, req.month, ref ? NULL : argv[optind + 1], ref, buf, &req.id)))
		return status;
	if ((err = ss_writer_open(&wo, &w)) || (err = ss_act_correct(w, &req, &done))) {
		ss_writer_close(w);
		return ss_cli_fail(err);
	}
	if (cli->json) {
		struct ss_buf b = SS_BUF_INIT;

		ss_correction_to_json(&done, &b);
		fputs(b.data ? b.data : "", stdout);
		ss_buf_release(&b);
	} else {
		printf(_("%s %s: corrected "), req.month, req.id);
		for (i = 0; i < done.nchanges; i++) {
			printf(_("%s%s from "), i ? "; " : "",
			       ss_field_name(done.changes[i].field));
			print_value(&done.changes[i].from);
			printf("%s", _(" to "));
			print_value(&done.changes[i].to);
		}
		printf("\n");
		if (req.set_outcome && req.outcome)
			printf(ss_policy_outcome_positive(w->policy, req.outcome)
			           ? _("'%s' counts as a positive outcome under the policy\n")
			           : _("'%s' is not a positive outcome under the policy\n"),
			       req.outcome);
	}
	ss_cli_maybe_gc(cli, w);
	ss_correction_release(&done);
	ss_writer_close(w);
	return 0;
}
