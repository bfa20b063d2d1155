/*
 * main.c - global options, the command table, dispatch. Each command lives in
 * its cmd_*.c file; this file only finds it and hands over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "bigmem.h"
#include "cli.h"
#include "crypto.h"
#include "home.h"
#include "lang.h"

static const struct ss_command commands[] = {
    {"keygen", cmd_keygen, "keygen HANDLE", N_("make your signing key"),
     N_("Creates HOME/keys/HANDLE.key, an Ed25519 key in OpenSSH's format (mode 0600),\n"
        "and prints its public key for the coordinator to register. An existing key is\n"
        "never overwritten. Keys made with `ssh-keygen -t ed25519 -N ''` work as well.\n")},
    {"init", cmd_init, "init --policy FILE --name NAME --email ADDR [--role ROLE] [--title TEXT]",
     N_("create a new audit trail"),
     N_("Creates the trail (a bare git repository) with its first commit: the policy,\n"
        "you as the founder (role default 'coordinator'), and the trail's settings.\n"
        "Creates HOME/pseudonym.key when there is none. Prints the trail id and your\n"
        "key's fingerprint: publish both so anyone can check the trail later.\n"
        "\n"
        "  --policy FILE   the policy (e.g. policies/euppg-monthly.json)\n"
        "  --name NAME     your name as it will appear in the history\n"
        "  --email ADDR    your email address\n"
        "  --role ROLE     your role in the policy (default coordinator)\n"
        "  --title TEXT    the trail's name (default: the policy's name)\n")},
    {"policy", cmd_policy, "policy set FILE", N_("replace the policy in force"),
     N_("Replaces policy.json. Months already sampled keep the policy they were sampled\n"
        "under (its digest is in their sample.json). Needs the 'policy' permission.\n")},
    {"reviewer", cmd_reviewer,
     "reviewer add HANDLE --role ROLE --name NAME --email ADDR [--key \"ssh-ed25519 ...\"] | "
     "reviewer remove HANDLE | reviewer list",
     N_("register, remove or list reviewers"),
     N_("add     registers a person in a role your role may register. Without --key they\n"
        "        hold no key: someone who may enter for their role records their verdicts.\n"
        "remove  ends their registration; their earlier commits still verify.\n"
        "list    everyone ever registered, with role and status (--json for data).\n")},
    {"check", cmd_check, "check FILE... [--format auto|police-csv|police-json|force-csv]",
     N_("check files before importing them"),
     N_("Reads the files without a trail and reports: how many records, blanks and\n"
        "unknown values per field, duplicate rows, the date span, and every structural\n"
        "error with its line and column (exit 65 if there was any). --json for data.\n")},
    {"import", cmd_import,
     "import MONTH FILE... [--format auto|police-csv|police-json|force-csv] [--replace] "
     "[--keep-outside] [--allow-empty]",
     N_("import a month's records"),
     N_("Reads, validates and pseudonymises the month's records and commits them with a\n"
        "list of the files they came from. --replace swaps a population that has not\n"
        "been sampled yet. Needs the 'import' permission and HOME/pseudonym.key.\n"
        "Refused, with nothing written (exit 65):\n"
        "  a record dated outside MONTH in UK time (each one is shown with its line);\n"
        "    --keep-outside keeps them, counted in the month's list of files;\n"
        "  the same file given twice, or a file already imported for any month;\n"
        "  a month with no records (a file with only its header); --allow-empty\n"
        "    imports it when the force really recorded no searches that month.\n")},
    {"synth", cmd_synth, "synth --month MONTH --count N [--seed S] [-o FILE]",
     N_("write a synthetic month for training and tests"),
     N_("Writes a realistic force-csv month with invented people, officers and grounds.\n"
        "The same seed gives the same file.\n")},
    {"show", cmd_show, "show MONTH ID|--ref REFERENCE", N_("one pseudonymised record"),
     N_("Shows a record as imported, its current values after corrections, and the\n"
        "verdicts on it (hidden from a reviewer who has not recorded theirs, when the\n"
        "policy says blind). --ref names the record by the force's reference instead of\n"
        "its id. --json for data.\n")},
    {"history", cmd_history, "history MONTH [ID|--ref REFERENCE]", N_("who did what, and when"),
     N_("Lists the commits about a month (or one record): when, who, and what, in words.\n"
        "--ref names the record by the force's reference instead of its id. --json for\n"
        "data.\n")},
    {"sample", cmd_sample, "sample MONTH [--seed SEED]", N_("draw the month's sample"),
     N_("Draws the month's sample (ssaudit-sample-v2) and commits it: in each stratum a\n"
        "random core at the policy's sample.random rate, then the searches its rules\n"
        "pick out (strip searches, children, ...) that the core missed, in rule order,\n"
        "never past sample.rate. The seed is public: roll dice at the meeting, after the\n"
        "population is committed, and give the digits with --seed. Without --seed, 20\n"
        "random digits are drawn and marked 'generated'. A month is sampled once.\n"
        "Warns (on stderr) about rules that could not apply to blank fields, rules that\n"
        "picked out nothing, and picked-out searches the rate left out. --json for data.\n")},
    {"list", cmd_list, "list MONTH [--role ROLE] [--pending]", N_("the sampled records"),
     N_("Lists the month's sample, or a role's share of it; --pending leaves out the\n"
        "records you (--as) have already reviewed. --json for data.\n")},
    {"pack", cmd_pack, "pack MONTH --role ROLE [--reviewer HANDLE] [--format csv|html] [-o FILE]",
     N_("a review pack or worksheet"),
     N_("csv   a worksheet: one row per record to review, one column per question,\n"
        "      ready to fill in and read back with `ssaudit review MONTH --from FILE`;\n"
        "      an \"Allowed answers\" column lists what each question takes.\n"
        "html  a printable pack: each record with its written grounds and the questions.\n"
        "--reviewer HANDLE makes it out to one member of ROLE (checked now); without\n"
        "it the reviewer column is left blank for each reviewer to fill in.\n"
        "Times are UK local time (Europe/London).\n")},
    {"review", cmd_review,
     "review MONTH ID --QUESTION VALUE... [--note TEXT] [--for HANDLE] | "
     "review MONTH --from WORKSHEET.csv",
     N_("record verdicts"),
     N_("Records your verdict on a sampled record: one option per question of the\n"
        "policy (e.g. --grounds reasonable --conduct fair --bwv viewed). With --for, a\n"
        "secretary enters a panel member's verdict (signed by the secretary, authored by\n"
        "the member). With --from, every row of a filled worksheet is checked first,\n"
        "then each becomes its own signed commit; nothing is written if any row is bad.\n")},
    {"correct", cmd_correct,
     "correct MONTH ID|--ref REFERENCE [--outcome VALUE] [--linked true|false|null] "
     "--reason TEXT\n       ssaudit correct MONTH --from FILE.csv",
     N_("correct a search's outcome"),
     N_("Records a later change to a search's outcome (a lab result, a charge). The\n"
        "original stays in the population; the correction says from what, to what, why.\n"
        "The outcome must be one of the policy's outcomes (outcomes.values); any other\n"
        "is refused (exit 65) with the list. Allowed in closed months too. Needs the\n"
        "'correct' permission. --ref names the record by the force's reference instead\n"
        "of its id (a force's own export has references; data.police.uk's files have none).\n"
        "With --from, a CSV of corrections (columns id or reference, outcome, linked,\n"
        "reason; blank outcome or linked: unchanged) is checked whole first: any bad row\n"
        "and nothing is written (exit 65, every problem with its line). Then each row is\n"
        "its own signed commit, all landing together or not at all; a re-run records only\n"
        "what is missing.\n")},
    {"respond", cmd_respond, "respond MONTH ID|--ref REFERENCE --action VALUE [--note TEXT]",
     N_("record the force's response to a follow-up item"),
     N_("Records what the force did about a record on the follow-up list (a search on\n"
        "which a reviewer gave an answer the policy lists under follow_up, such as\n"
        "'not-reasonable' grounds or 'concerns' about conduct). --action is one of the\n"
        "policy's responses (the default policy: words-of-advice, training,\n"
        "no-further-action, referred-to-professional-standards, disagree-with-finding);\n"
        "any other is refused (exit 65) with the list. --note says more; dates,\n"
        "postcodes, phone numbers and officer identifiers in it are hidden before it\n"
        "is recorded, and it must never name anyone. A record not on the list is\n"
        "refused (exit 1). Allowed in closed months. Needs the 'respond' permission\n"
        "(the records officer and professional standards in the default policy).\n"
        "The report shows each response beside its item, or how long it has waited.\n"
        "--ref names the record by the force's reference instead of its id.\n")},
    {"reveal", cmd_reveal, "reveal PSEUDONYM... FILE... --reason TEXT [--format FORMAT]",
     N_("find the source rows behind pseudonyms (key holder only)"),
     N_("Finds the rows of the force's own files behind S- (subject) and O- (officer)\n"
        "pseudonyms, recomputed with the pseudonym key: FILE:LINE and the row's identity\n"
        "columns. Only for someone whose role may 'reveal' (the coordinator in the\n"
        "default policy) holding the trail's pseudonym key; anyone else is refused\n"
        "(exit 77) and nothing is logged. Every use is logged first, as the Data\n"
        "Protection Act 2018 asks: a signed commit of a new access log entry with the\n"
        "pseudonyms, the reason, who asked and how many rows were found (0 included),\n"
        "never an identity. Only then is anything printed. What it prints is personal\n"
        "data: keep it out of the trail. --json prints the rows as JSON.\n")},
    {"feedback", cmd_feedback,
     "feedback MONTH [--officer O-...] [--format html|csv] [--from EXPORT...] -o DIR",
     N_("one feedback sheet per officer"),
     N_("Writes into DIR (created if absent) one sheet per officer with at least one\n"
        "verdict on their sampled searches, named by the officer's pseudonym (O-....html\n"
        "or .csv): each search's verdicts, answers and notes, reviewers named by role\n"
        "only. Run --as a reviewer, it hides other reviewers' answers on records you\n"
        "have still to review (blind review). With --from the force's export files and\n"
        "the trail's pseudonym key, each sheet also carries the officer's own number,\n"
        "recomputed from the files and never stored. The sheets are for the force to\n"
        "feed findings back to each officer: keep them out of the trail.\n")},
    {"close", cmd_close, "close MONTH [--waive ID --reason TEXT]...", N_("sign the month off"),
     N_("Signs the month off once every required verdict is in or waived; otherwise lists\n"
        "what is missing, per role. --waive records why a record cannot be reviewed.\n")},
    {"reopen", cmd_reopen, "reopen MONTH --reason TEXT", N_("reopen a closed month"),
     N_("Reopens a closed month so verdicts can be recorded again.\n")},
    {"verify", cmd_verify, "verify [--root COMMIT] [--anchor COMMIT] [--tip COMMIT]",
     N_("prove the trail is intact"),
     N_("Checks, without trusting earlier runs of ssaudit, every object, signature,\n"
        "permission, sample and verdict in the trail, and that stock git shows what\n"
        "was checked. Exit 0 when everything holds, 1 when anything does not, with\n"
        "each problem's commit, path and reason. Also reads an ordinary git clone.\n"
        "  --root COMMIT    the published trail id (first commit) it must start from\n"
        "  --anchor COMMIT  a tip published earlier (its full 40-digit id), which must\n"
        "                   still be in the history\n"
        "  --tip COMMIT     check this commit (full id) instead of main: for a hub's\n"
        "                   pre-receive hook\n")},
    {"report", cmd_report,
     "report MONTH[..MONTH] [--format text|json|csv|html] [--public] [-o FILE]",
     N_("the month's findings"),
     N_("The population, the sample, review progress, findings per role, agreement\n"
        "between roles, outcome corrections and the follow-up list. --public leaves out\n"
        "notes, the follow-up list and officer pseudonyms, and hides small counts.\n")},
    {"sync", cmd_sync, "sync [REMOTE] [--json]", N_("share the trail with the other sites"),
     N_("Fetches the hub's main (REMOTE: default origin, else the trail's only remote;\n"
        "add one with `git --git-dir trail.git remote add origin URL`), checks everything\n"
        "that arrived, then brings both sides level: takes what the hub has, sends what\n"
        "this site has, replays your own new acts on top of the hub's, or makes a signed\n"
        "merge. Never forces a push. When acts of the two sides cannot both stand (a\n"
        "verdict in a month closed elsewhere, two corrections of one record, an act by\n"
        "someone removed elsewhere), it sends nothing, names each act and says what to\n"
        "do (exit 1). Needs a bare trail and --as someone registered.\n")},
    {"hub-hook", cmd_hub_hook, "hub-hook [--ssaudit PATH]",
     N_("print a pre-receive hook for a hub the group runs"),
     N_("Prints a git pre-receive hook that refuses any push `ssaudit verify` would reject\n"
        "(and any ref but main, and deleting main). Save it as HUB.git/hooks/pre-receive\n"
        "and make it executable. --ssaudit names the program the hook runs (default: this\n"
        "one).\n")},
    {"gc", cmd_gc, "gc", N_("pack the trail's loose objects"),
     N_("Packs loose objects into one pack and deletes the loose copies it holds.\n")},
    {"demo", cmd_demo, "demo [DIR]", N_("run a whole month on synthetic data"),
     N_("Runs the monthly cycle end to end in DIR (default: a new temporary folder)\n"
        "with invented data and prints what each step does.\n")},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
	        "%s ssaudit [--trail DIR] [--as HANDLE] [--home DIR] [--lang en|cy|cy+en] "
	        "[--json] [-q] COMMAND [ARGS]\n"
	        "       ssaudit --version\n\n",
	        _("usage:"));
	fputs(_("Records, samples and audits the scrutiny of police stop and search.\n\n"
	        "commands:\n"),
	      f);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
	fputs(_("\nglobal options:\n"
	        "  --trail DIR   the audit trail (SSAUDIT_TRAIL, default ./trail.git, or the\n"
	        "                ordinary git clone you are in)\n"
	        "  --as HANDLE   who is acting; you sign with your own key (SSAUDIT_AS)\n"
	        "  --home DIR    where your keys live (SSAUDIT_HOME, default ~/.config/ssaudit)\n"
	        "  --lang LANG   en (English) or cy (Welsh) for what you read; report and pack\n"
	        "                also take cy+en, both languages, Welsh first (SSAUDIT_LANG,\n"
	        "                else a cy_GB locale setting gives Welsh)\n"
	        "  --json        machine-readable output\n"
	        "  -q            fewer messages\n\n"
	        "'ssaudit COMMAND --help' tells more about a command.\n"),
	      f);
}

static void command_help(const struct ss_command *c)
{
	printf("%s ssaudit %s\n\n%s.\n\n%s", _("usage:"), c->synopsis, _(c->summary), _(c->help));
}

static const char *global_value(int *i, int argc, char **argv, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) == 0) {
		if (*i + 1 >= argc)
			return NULL;
		return argv[++*i];
	}
	return NULL;
}

/* ./trail.git; or, run inside an ordinary clone of a trail (an auditor's
 * `git clone`) where there is none, the clone itself. */
static const char *default_trail(void)
{
	struct stat st;

	if (stat("trail.git", &st) != 0 && stat(".git", &st) == 0)
		return ".";
	return "trail.git";
}

/* The compiled catalogues: beside the program in a build folder (where the
 * tests and `make demo` run it), else where they were installed. */
static void locale_dir(char *out, size_t n)
{
	char exe[4096], *slash;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	if (len > 0) {
		exe[len] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(out, n, "%s/locale/cy/LC_MESSAGES/ssaudit.mo", exe);
			if (stat(out, &st) == 0) {
				snprintf(out, n, "%s/locale", exe);
				return;
			}
		}
	}
	snprintf(out, n, "%s", SS_LOCALEDIR);
}

/* Messages in lang from now on; a missing catalogue is said once, in English. */
static void set_lang(struct ss_cli *cli, enum ss_lang lang)
{
	char dir[4200];

	cli->lang = lang;
	locale_dir(dir, sizeof(dir));
	if (ss_lang_init(lang, dir) != 0)
		ss_cli_warn("%s", ss_error_message());
}

int main(int argc, char **argv)
{
	struct ss_cli cli = {0};
	const char *home = NULL;
	enum ss_lang lang;
	int i, status, err;
	size_t k;

	ss_bigmem_setup();
	if ((err = ss_lang_from_env(&lang)) != 0) {
		set_lang(&cli, SS_LANG_EN);
		return ss_cli_usage(NULL, "SSAUDIT_LANG: %s", ss_error_message());
	}
	set_lang(&cli, lang);
	cli.trail = getenv("SSAUDIT_TRAIL");
	cli.as = getenv("SSAUDIT_AS");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *v;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("ssaudit %s\n", SS_VERSION);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			cli.json = true;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			cli.quiet = true;
		} else if (strncmp(a, "--trail", 7) == 0 && (a[7] == '\0' || a[7] == '=')) {
			if ((v = global_value(&i, argc, argv, "--trail")) == NULL)
				return ss_cli_usage(NULL, _("--trail needs a folder")), 2;
			cli.trail = v;
		} else if (strncmp(a, "--as", 4) == 0 && (a[4] == '\0' || a[4] == '=')) {
			if ((v = global_value(&i, argc, argv, "--as")) == NULL)
				return ss_cli_usage(NULL, _("--as needs a handle")), 2;
			cli.as = v;
		} else if (strncmp(a, "--lang", 6) == 0 && (a[6] == '\0' || a[6] == '=')) {
			if ((v = global_value(&i, argc, argv, "--lang")) == NULL)
				return ss_cli_usage(NULL,
				                    _("--lang needs a language: en, cy or cy+en")),
				       2;
			if (ss_lang_parse(v, &lang) != 0)
				return ss_cli_usage(NULL, "%s", ss_error_message());
			set_lang(&cli, lang);
		} else if (strncmp(a, "--home", 6) == 0 && (a[6] == '\0' || a[6] == '=')) {
			if ((v = global_value(&i, argc, argv, "--home")) == NULL)
				return ss_cli_usage(NULL, _("--home needs a folder")), 2;
			home = v;
		} else {
			ss_cli_usage(NULL, _("unknown option '%s'"), a);
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (k = 0; k < NCOMMANDS; k++)
		if (strcmp(commands[k].name, argv[i]) == 0)
			break;
	if (k == NCOMMANDS) {
		ss_cli_usage(NULL, _("'%s' is not a command; 'ssaudit --help' lists them"),
		             argv[i]);
		return 2;
	}
	cli.cmd = &commands[k];
	for (int j = i + 1; j < argc; j++) {
		if (strcmp(argv[j], "--") == 0)
			break;
		if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
			command_help(cli.cmd);
			return 0;
		}
	}
	if (cli.trail == NULL || *cli.trail == '\0')
		cli.trail = default_trail();
	if (cli.as && *cli.as == '\0')
		cli.as = NULL;
	if ((err = ss_crypto_init()) != 0)
		return ss_cli_fail(err);
	if ((err = ss_home_resolve(home, &cli.home)) != 0)
		return ss_cli_fail(err);
	status = cli.cmd->fn(&cli, argc - i, argv + i);
	free(cli.home);
	return status;
}
