/*
 * cmd_demo.c - `ssaudit demo [DIR]`: the whole monthly cycle on synthetic
 * data, run as the very commands a user would type, each printed before it
 * runs. The steps are here; running them is demo.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "default_policy.h"
#include "demo.h"

int cmd_demo(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	struct ss_demo d = {0};
	char exe[4096], dir[4000], policy[4200], csv[4200], pack[4200], report[4200],
	    sheets_dir[4200], rid[19] = "";
	char *key;
	ssize_t n;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (argc - optind > 1)
		return ss_cli_usage(cli, _("give at most one folder"));
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		return ss_cli_fail(
		    ss_error_set(SS_EIO, _("cannot find the ssaudit program itself")));
	exe[n] = '\0';
	if (optind < argc) {
		snprintf(dir, sizeof(dir), "%s", argv[optind]);
		if ((err = ss_demo_prepare_dir(dir)))
			return ss_cli_fail(err);
	} else {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/ssaudit-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL)
			return ss_cli_fail(ss_error_set(SS_ECANTCREAT, _("cannot make a folder")));
	}
	d.exe = exe;
	d.dir = dir;
	snprintf(d.trail, sizeof(d.trail), "%s/trail.git", dir);
	snprintf(d.home, sizeof(d.home), "%s/home", dir);
	/* house: a file of the demo, not the trail */
	snprintf(policy, sizeof(policy), "%s/policy.json", dir);
	snprintf(csv, sizeof(csv), "%s/2026-10.csv", dir);
	snprintf(pack, sizeof(pack), "%s/pack-qa-panel.html", dir);
	snprintf(report, sizeof(report), "%s/report-2026-10-public.html", dir);
	snprintf(sheets_dir, sizeof(sheets_dir), "%s/feedback", dir);
	if ((err = ss_demo_write_file(policy, ss_default_policy, ss_default_policy_len)))
		return ss_cli_fail(err);

	printf(_("ssaudit demo: a whole month on invented data, in %s\n"
	         "Everything below is a command you could type yourself.\n"),
	       dir);
	if (ss_demo_capture_key(&d, "coord") == NULL)
		goto out;
	ss_demo_run(&d, "coord", _("the coordinator founds the trail with the default policy"),
	            "init", "--policy", policy, "--name", "Carys Coordinator", "--email",
	            "coord@example.org", NULL);
	if (d.failed)
		goto out;
	ss_demo_run(&d, NULL, _("a synthetic month of 400 searches (invented people)"), "synth",
	            "--month", "2026-10", "--count", "400", "--seed", "7", "-o", csv, NULL);
	ss_demo_run(&d, NULL, _("check the file before importing it"), "check", csv, NULL);
	ss_demo_run(&d, "coord",
	            _("import: identities become pseudonyms; names never enter the trail"),
	            "import", "2026-10", csv, NULL);

	/* The people: who registers whom comes from the policy. */
	if ((key = ss_demo_capture_key(&d, "pcc")) != NULL)
		ss_demo_run(&d, "coord", _("register the PCC's office"), "reviewer", "add", "pcc",
		            "--role", "pcc-office", "--name", "Office of the PCC", "--email",
		            "pcc@example.org", "--key", key, NULL);
	if ((key = ss_demo_capture_key(&d, "insp-local")) != NULL)
		ss_demo_run(&d, "coord", _("register the local inspector"), "reviewer", "add",
		            "insp-local", "--role", "local-inspector", "--name",
		            "Insp. Lowri Evans", "--email", "lowri@example.org", "--key", key,
		            NULL);
	if ((key = ss_demo_capture_key(&d, "records")) != NULL)
		ss_demo_run(&d, "coord", _("register the records officer"), "reviewer", "add",
		            "records", "--role", "records-officer", "--name", "Rhys Records",
		            "--email", "records@example.org", "--key", key, NULL);
	if ((key = ss_demo_capture_key(&d, "insp-ind")) != NULL)
		ss_demo_run(&d, "pcc", _("the PCC's office registers the independent inspector"),
		            "reviewer", "add", "insp-ind", "--role", "independent-inspector",
		            "--name", "Dr Siân Price", "--email", "sian@example.org", "--key", key,
		            NULL);
	if ((key = ss_demo_capture_key(&d, "secretary")) != NULL)
		ss_demo_run(&d, "pcc", _("and the panel secretary"), "reviewer", "add", "secretary",
		            "--role", "panel-secretary", "--name", "Gwen Secretary", "--email",
		            "gwen@example.org", "--key", key, NULL);
	ss_demo_run(&d, "pcc", _("a lay panel member holds no key: the secretary enters for them"),
	            "reviewer", "add", "aled", "--role", "qa-panel", "--name", "Aled", "--email",
	            "aled@example.org", NULL);
	if (d.failed)
		goto out;

	ss_demo_run(&d, "coord", _("draw the sample with the dice rolled at the meeting"), "sample",
	            "2026-10", "--seed", "31415926535897932384", NULL);
	ss_demo_run(&d, NULL, _("the panel's worklist"), "list", "2026-10", "--role", "qa-panel",
	            NULL);
	{
		ss_demo_first_listed(&d, "2026-10", "qa-panel", "no further action", rid);
		if (rid[0]) {
			ss_demo_run(
			    &d, NULL,
			    _("one record as the panel sees it: pseudonyms, redacted grounds"),
			    "show", "2026-10", rid, NULL);
			ss_demo_run(&d, "records",
			            _("months later the lab result comes in: correct the outcome"),
			            "correct", "2026-10", rid, "--outcome", "Arrest", "--linked",
			            "true", "--reason",
			            "lab result confirmed controlled drugs; charged", NULL);
		}
	}
	ss_demo_run(&d, NULL, _("a printable pack for the panel"), "pack", "2026-10", "--role",
	            "qa-panel", "--format", "html", "-o", pack, NULL);
	{
		static const struct {
			const char *who, *role, *reviewer;
			unsigned salt;
		} sheets[] = {
		    {"insp-local", "local-inspector", "insp-local", 0},
		    {"insp-ind", "independent-inspector", "insp-ind", 1},
		    {"secretary", "qa-panel", "aled", 2},
		};
		size_t k;

		for (k = 0; k < sizeof(sheets) / sizeof(sheets[0]); k++) {
			char blank[4200], filled[4200], what[200];

			snprintf(blank, sizeof(blank), "%s/worksheet-%s.csv", dir, sheets[k].role);
			snprintf(filled, sizeof(filled), "%s/worksheet-%s-filled.csv", dir,
			         sheets[k].role);
			snprintf(what, sizeof(what), _("a worksheet for %s (%s)"),
			         sheets[k].reviewer, sheets[k].role);
			ss_demo_run(&d, NULL, what, "pack", "2026-10", "--role", sheets[k].role,
			            "--reviewer", sheets[k].reviewer, "--format", "csv", "-o",
			            blank, NULL);
			if (d.failed ||
			    ss_demo_fill_worksheet(blank, filled, sheets[k].salt) != 0) {
				d.failed = 1;
				goto out;
			}
			snprintf(
			    what, sizeof(what),
			    _("%s records the filled worksheet: one signed commit per verdict%s"),
			    sheets[k].who,
			    strcmp(sheets[k].who, sheets[k].reviewer)
			        ? _(", entered for the panel member")
			        : "");
			ss_demo_run(&d, sheets[k].who, what, "review", "2026-10", "--from", filled,
			            NULL);
		}
	}
	if (d.failed)
		goto out;
	ss_demo_run(&d, "coord",
	            _("every required verdict is in: the coordinator closes the month"), "close",
	            "2026-10", NULL);
	{
		char fid[19] = "";

		ss_demo_first_follow_up(&d, "2026-10", fid);
		if (fid[0])
			ss_demo_run(
			    &d, "records",
			    _("the force answers an item of the follow-up list (the month is "
			      "closed; responses are still taken)"),
			    "respond", "2026-10", fid, "--action", "words-of-advice", "--note",
			    "discussed with the officer and their sergeant", NULL);
	}
	ss_demo_run(&d, "coord",
	            _("findings fed back to each officer: one sheet per officer, with their own "
	              "number from the force's file (only the key holder can add it)"),
	            "feedback", "2026-10", "--from", csv, "-o", sheets_dir, NULL);
	if (rid[0])
		ss_demo_run(&d, NULL, _("what happened to one record, in words"), "history",
		            "2026-10", rid, NULL);
	ss_demo_run(&d, NULL, _("the month's report"), "report", "2026-10", NULL);
	ss_demo_run(&d, NULL, _("the public report, as a web page"), "report", "2026-10",
	            "--public", "--format", "html", "-o", report, NULL);
	ss_demo_run(&d, NULL, _("an auditor proves nothing was forged or rewritten"), "verify",
	            NULL);
	ss_demo_stock_git_log(&d, dir);
out:
	if (d.failed)
		return 1;
	printf(_("\nThe demo's trail, keys, worksheets and reports are in %s\n"
	         "Open %s in a browser.\n"),
	       dir, report);
	return 0;
}
