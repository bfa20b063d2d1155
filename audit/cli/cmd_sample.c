/*
 * cmd_sample.c - sample, list, pack.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "cli.h"
#include "draw.h"
#include "month.h"
#include "pack.h"
#include "textout.h"
#include "verdict.h"
#include "writer.h"

int cmd_sample(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"seed", required_argument, 0, 's'}, {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_sample *s = NULL;
	const char *seed = NULL;
	char hex[41];
	size_t i;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 's')
			seed = optarg;
		else
			return 2;
	}
	if (argc - optind != 1)
		return ss_cli_usage(cli, "give one month");
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	if (seed && (err = ss_sample_seed_check(seed)))
		return ss_cli_usage(cli, "%s", ss_error_message());
	if ((err = ss_writer_open(&wo, &w)) || (err = ss_act_sample(w, argv[optind], seed, &s))) {
		ss_writer_close(w);
		return ss_cli_fail(err);
	}
	ss_oid_hex(&w->tip, hex);
	if (cli->json) {
		struct ss_buf b = SS_BUF_INIT;

		ss_sample_to_json(s, &b);
		fputs(b.data, stdout);
		ss_buf_release(&b);
	} else {
		printf("month:    %s\nseed:     %s (%s)\nrate:     %s\nsampled:  %zu records\n",
		       s->month, s->seed, s->generated ? "generated" : "given", s->rate, s->n);
		printf("\n%-32s %10s %7s %6s\n", "STRATUM", "POPULATION", "ALWAYS", "DRAWN");
		for (i = 0; i < s->nstrata; i++)
			printf("%-32s %10zu %7zu %6zu\n", s->strata[i].key, s->strata[i].population,
			       s->strata[i].always, s->strata[i].drawn);
		for (i = 0; i < s->nroles; i++)
			printf("%s reviews %zu\n", s->roles[i].role, s->roles[i].n);
		ss_cli_note(cli, "sample committed as %.12s; anyone can re-derive it from the seed",
			    hex);
	}
	ss_sample_free(s);
	ss_writer_close(w);
	return 0;
}

/* Which records a listing or pack covers: a role's share, or the whole sample. */
static int select_ids(const struct ss_cli *cli, const struct ss_sample *s, const char *role,
		      const char ***ids, size_t *n)
{
	size_t i;

	*ids = NULL;
	*n = 0;
	if (role) {
		const struct ss_sample_role *sr = ss_sample_role(s, role);

		if (sr == NULL)
			return ss_error_set(SS_EFAIL, "the role '%s' reviews nothing in %s", role,
					    s->month);
		if (sr->n && (*ids = calloc(sr->n, sizeof(**ids))) == NULL)
			return ss_error_nomem();
		for (i = 0; i < sr->n; i++)
			(*ids)[i] = sr->ids[i];
		*n = sr->n;
		return 0;
	}
	(void)cli;
	if (s->n && (*ids = calloc(s->n, sizeof(**ids))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->n; i++)
		(*ids)[i] = s->records[i].id;
	*n = s->n;
	return 0;
}

/* Has `handle` in `role` recorded a verdict on id? */
static bool reviewed(struct ss_trail *t, const struct ss_oid *tip, const char *month,
		     const char *id, const char *role, const char *handle)
{
	char dir[128], path[256];
	struct ss_oid blob;

	ss_verdict_dir(dir, sizeof(dir), month, id);
	snprintf(path, sizeof(path), "%s/%s.%s.json", dir, role, handle);
	return ss_trail_blob_id(t, tip, path, &blob) == 0;
}

int cmd_list(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"role", required_argument, 0, 'r'},
					     {"pending", no_argument, 0, 'p'},
					     {0, 0, 0, 0}};
	struct ss_trail *t = NULL;
	struct ss_oid tip;
	struct ss_sample *s = NULL;
	struct ss_population *pop = NULL;
	const char **ids = NULL;
	const char *role = NULL, *month;
	struct ss_buf b = SS_BUF_INIT;
	bool pending = false;
	size_t i, n = 0, shown = 0;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'r')
			role = optarg;
		else if (c == 'p')
			pending = true;
		else
			return 2;
	}
	if (argc - optind != 1)
		return ss_cli_usage(cli, "give one month");
	month = argv[optind];
	if ((status = ss_cli_month(cli, month)))
		return status;
	if (pending && (!role || !cli->as))
		return ss_cli_usage(cli, "--pending needs --role and --as (whose verdicts to look for)");
	if ((err = ss_month_open(cli->trail, &t, &tip)) ||
	    (err = ss_month_sample(t, &tip, month, &s)) ||
	    (err = ss_month_population(t, &tip, month, NULL, NULL, &pop)) ||
	    (err = select_ids(cli, s, role, &ids, &n)))
		goto out;
	if (cli->json)
		ss_buf_puts(&b, "[");
	else
		ss_buf_printf(&b, "%-18s %-7s %-25s %-18s %-44s %s\n", "ID", "REASON", "DATE", "AREA",
			      "LEGISLATION", "OUTCOME");
	for (i = 0; i < n; i++) {
		const struct ss_record *r = ss_population_find(pop, ids[i]);
		const struct ss_sample_record *sr = ss_sample_find(s, ids[i]);

		if (pending && reviewed(t, &tip, month, ids[i], role, cli->as))
			continue;
		if (cli->json) {
			ss_buf_puts(&b, shown ? ",\n {\"id\": " : "\n {\"id\": ");
			ss_buf_json_string_or_null(&b, ids[i]);
			ss_buf_puts(&b, ", \"ticket\": ");
			ss_buf_json_string_or_null(&b, sr ? sr->ticket : NULL);
			ss_buf_puts(&b, ", \"reason\": ");
			ss_buf_json_string_or_null(&b, sr && sr->always ? "always" : "random");
			ss_buf_puts(&b, ", \"record\": ");
			if (r)
				ss_record_to_json(r, true, &b);
			else
				ss_buf_puts(&b, "null");
			ss_buf_puts(&b, "}");
		} else {
			ss_buf_printf(&b, "%-18s %-7s %-25.25s %-18.18s %-44.44s %s\n", ids[i],
				      sr && sr->always ? "always" : "random",
				      r && r->str[SS_F_DATETIME] ? r->str[SS_F_DATETIME] : "",
				      r && r->str[SS_F_AREA] ? r->str[SS_F_AREA] : "",
				      r && r->str[SS_F_LEGISLATION] ? r->str[SS_F_LEGISLATION] : "",
				      r && r->str[SS_F_OUTCOME] ? r->str[SS_F_OUTCOME] : "");
		}
		shown++;
	}
	if (cli->json)
		ss_buf_puts(&b, shown ? "\n]\n" : "]\n");
	fputs(b.data ? b.data : "", stdout);
	if (!cli->json)
		ss_cli_note(cli, "%zu record%s%s", shown, shown == 1 ? "" : "s",
			    pending ? " still to review" : "");
out:
	ss_buf_release(&b);
	free(ids);
	ss_population_free(pop);
	ss_sample_free(s);
	ss_trail_free(t);
	return err ? ss_cli_fail(err) : 0;
}

/*
 * A pack never carries verdicts. Under a blind policy, say so when others
 * have already judged some of its records, so nobody thinks they are missing.
 */
static void blind_note(const struct ss_cli *cli, struct ss_trail *t, const struct ss_oid *tip,
		       const char *month, const struct ss_policy *pol, const char *reviewer,
		       const char *const *ids, size_t n)
{
	struct ss_month_state *st = NULL;
	size_t i, k, nv, others = 0;

	if (!pol->blind || ss_month_state_load(t, tip, month, &st) != 0)
		return;
	for (i = 0; i < n; i++) {
		const struct ss_verdict *v = ss_month_verdicts(st, ids[i], &nv);

		for (k = 0; k < nv; k++)
			if (reviewer == NULL || strcmp(v[k].reviewer, reviewer) != 0) {
				others++;
				break;
			}
	}
	if (others)
		ss_cli_note(cli,
			    "%zu of these records already have verdicts by other reviewers; they "
			    "are not in the pack: the policy asks for blind review, so each "
			    "reviewer judges on their own first",
			    others);
	ss_month_state_free(st);
}

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
	size_t plen, n = 0;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r': role = optarg; break;
		case 'f': format = optarg; break;
		case 'R': reviewer = optarg; break;
		case 'o': output = optarg; break;
		default: return 2;
		}
	}
	if (argc - optind != 1)
		return ss_cli_usage(cli, "give one month");
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	if (role == NULL)
		return ss_cli_usage(cli, "say whose pack with --role ROLE");
	if (strcmp(format, "csv") != 0 && strcmp(format, "html") != 0)
		return ss_cli_usage(cli, "--format is csv or html");
	if (reviewer == NULL)
		reviewer = cli->as;
	if ((err = ss_month_open(cli->trail, &t, &tip)) ||
	    (err = ss_month_sample(t, &tip, argv[optind], &s)) ||
	    (err = ss_month_population(t, &tip, argv[optind], NULL, NULL, &pop)) ||
	    (err = ss_load_policy_at(t, &tip, &pjson, &plen, &pol)))
		goto out;
	if (ss_policy_role(pol, role) == NULL) {
		err = ss_error_set(SS_EUSAGE, "the policy has no role '%s'", role);
		goto out;
	}
	if ((err = select_ids(cli, s, role, &ids, &n)))
		goto out;
	title = ss_trail_title(t, &tip);
	req.month = argv[optind];
	req.role = role;
	req.reviewer = reviewer;
	req.title = title;
	req.policy = pol;
	req.sample = s;
	req.pop = pop;
	req.ids = ids;
	req.nids = n;
	err = strcmp(format, "csv") == 0 ? ss_pack_csv(&req, &b) : ss_pack_html(&req, &b);
	if (err)
		goto out;
	if ((status = ss_cli_write_output(output, b.data, b.len)))
		goto done;
	if (output)
		ss_cli_note(cli, "wrote %zu record%s for %s to '%s'", n, n == 1 ? "" : "s", role,
			    output);
	blind_note(cli, t, &tip, argv[optind], pol, reviewer, ids, n);
out:
	status = err ? ss_cli_fail(err) : 0;
done:
	ss_buf_release(&b);
	free(ids);
	free(pjson);
	free(title);
	ss_policy_free(pol);
	ss_population_free(pop);
	ss_sample_free(s);
	ss_trail_free(t);
	return status;
}
