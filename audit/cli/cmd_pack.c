/*
 * cmd_pack.c - `ssaudit pack MONTH --role ROLE`: a worksheet (CSV) or a
 * printable review pack (HTML) for a role's share of the sample.
 */
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "blind.h"
#include "cli.h"
#include "month.h"
#include "pack.h"
#include "worklist.h"

int cmd_pack(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"role", required_argument, 0, 'r'},
	                                     {"format", required_argument, 0, 'f'},
	                                     {"reviewer", required_argument, 0, 'R'},
	                                     {"output", required_argument, 0, 'o'},
	                                     {0, 0, 0, 0}};
	struct ss_trail *t = NULL;
	struct ss_oid tip;
	struct ss_sample *s = NULL;
	struct ss_population *pop = NULL;
	struct ss_policy *pol = NULL;
	struct ss_pack_req req = {0};
	struct ss_buf b = SS_BUF_INIT;
	const char **ids = NULL;
	const char *role = NULL, *format = "csv", *output = NULL, *reviewer = NULL;
	char *pjson = NULL, *title = NULL;
	size_t plen, n = 0, others = 0, nog;
	struct ss_registry *reg = NULL;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'R':
			reviewer = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 1)
		return ss_cli_usage(cli, _("give one month"));
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	if (role == NULL)
		return ss_cli_usage(cli, _("say whose pack with --role ROLE"));
	if (strcmp(format, "csv") != 0 && strcmp(format, "html") != 0)
		return ss_cli_usage(cli, _("--format is csv or html"));
	if (reviewer && !ss_name_valid(reviewer))
		return ss_cli_usage(cli, _("'%s' is not a valid handle"), reviewer);
	if ((err = ss_state_open(cli->trail, &t, &tip)) ||
	    (err = ss_month_sample(t, &tip, argv[optind], &s)) ||
	    (err = ss_month_population_sampled(t, &tip, argv[optind], s, &pop)) ||
	    (err = ss_state_policy(t, &tip, &pjson, &plen, &pol)))
		goto out;
	if (ss_policy_role(pol, role) == NULL) {
		err = ss_error_set(SS_EUSAGE, _("the policy has no role '%s'"), role);
		goto out;
	}
	/* Made out to --reviewer only, checked now rather than when it comes back. */
	if (reviewer && ((err = ss_registry_load(t, &tip, &reg)) ||
	                 (err = ss_pack_check_reviewer(pol, reg, role, reviewer))))
		goto out;
	if ((err = ss_worklist_ids(s, role, &ids, &n)))
		goto out;
	title = ss_state_title(t, &tip);
	req.month = argv[optind];
	req.role = role;
	req.reviewer = reviewer;
	req.title = title;
	req.policy = pol;
	req.sample = s;
	req.pop = pop;
	req.ids = ids;
	req.nids = n;
	req.lang = cli->lang;
	err = strcmp(format, "csv") == 0 ? ss_pack_csv(&req, &b) : ss_pack_html(&req, &b);
	if (err)
		goto out;
	if ((status = ss_cli_write_output(output, b.data, b.len)))
		goto done;
	if (output)
		ss_cli_note(cli, _("wrote %zu record%s for %s to '%s'"), n, n == 1 ? "" : "s",
		            ss_role_words(role), output);
	if (reviewer == NULL && strcmp(format, "csv") == 0)
		ss_cli_note(cli,
		            _("the reviewer column is blank: each reviewer writes their handle in "
		              "it, or make one worksheet per reviewer with --reviewer HANDLE"));
	if ((nog = ss_pack_without_grounds(&req)) != 0)
		ss_cli_note(cli,
		            _("%zu of the %zu records carry no written grounds (data.police.uk "
		              "publishes none); the pack says so"),
		            nog, n);
	/* A pack never carries verdicts. Under a blind policy, say so when others
	 * have already judged some of its records, so nobody thinks they are missing. */
	if (ss_blind_pack_others(t, &tip, argv[optind], pol, reviewer, ids, n, &others) == 0 &&
	    others)
		ss_cli_note(cli,
		            _("%zu of these records already have verdicts by other reviewers; they "
		              "are not in the pack: the policy asks for blind review, so each "
		              "reviewer judges on their own first"),
		            others);
out:
	status = err ? ss_cli_fail(err) : 0;
done:
	ss_buf_release(&b);
	free(ids);
	free(pjson);
	free(title);
	ss_policy_free(pol);
	ss_registry_free(reg);
	ss_population_free(pop);
	ss_sample_free(s);
	ss_git_free(t);
	return status;
}
