/*
 * cmd_misc.c - gc, and demo: the whole monthly cycle on synthetic data, run
 * as the very commands a user would type, each printed before it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "default_policy.h"
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
		return ss_cli_usage(cli, "gc takes no arguments");
	if ((err = ss_trail_open(cli->trail, &t)) || (err = ss_trail_lock(t, 60000)) ||
	    (err = ss_trail_gc(t, &packed))) {
		ss_trail_free(t);
		return ss_cli_fail(err);
	}
	ss_trail_free(t);
	ss_cli_note(cli, "packed %zu loose object%s", packed, packed == 1 ? "" : "s");
	return 0;
}

struct demo {
	const char *exe;
	const char *dir;
	char trail[4200];
	char home[4200];
	int failed;
};

/* Start `ssaudit ARGS` (args[0] is "ssaudit") on the demo's trail and home as
 * HANDLE (NULL: nobody), its output to out_fd (-1: this process's). No shell:
 * the demo's folder may have any name. 0 when it started (reap it), or -1. */
static int spawn(const struct demo *d, const char *as, char *const *args, int out_fd,
                 pid_t *pid)
{
	if ((*pid = fork()) == 0) {
		if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
			_exit(127);
		setenv("SSAUDIT_TRAIL", d->trail, 1);
		setenv("SSAUDIT_HOME", d->home, 1);
		if (as)
			setenv("SSAUDIT_AS", as, 1);
		else
			unsetenv("SSAUDIT_AS");
		execv(d->exe, args);
		_exit(127);
	}
	return *pid < 0 ? -1 : 0;
}

/* Wait for what spawn started: its exit status, or -1. */
static int reap(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Run `ssaudit ARGS...` as HANDLE (NULL: nobody), echoing the command line. */
static int run(struct demo *d, const char *as, const char *what, ...)
{
	char *args[40];
	int n = 0;
	va_list ap;
	pid_t pid;

	printf("\n== %s\n$ ssaudit", what);
	if (as)
		printf(" --as %s", as);
	args[n++] = "ssaudit";
	va_start(ap, what);
	for (char *a; n < 38 && (a = va_arg(ap, char *)) != NULL;) {
		args[n++] = a;
		printf(strpbrk(a, " \"'") ? " '%s'" : " %s", a);
	}
	va_end(ap);
	args[n] = NULL;
	printf("\n");
	fflush(stdout);
	if (spawn(d, as, args, -1, &pid) != 0 || reap(pid) != 0) {
		fprintf(stderr, "ssaudit: demo step failed: %s\n", what);
		d->failed = 1;
		return -1;
	}
	return 0;
}

/* Stock git checks the newest commits' signatures, as an auditor would. When
 * git is not installed, the commands are shown for the reader to run. */
static void stock_git_log(const struct demo *d, const char *dir)
{
	static const char script[] =
	    "git --git-dir \"$1\" show main:allowed_signers >\"$2\" && "
	    "git --git-dir \"$1\" -c gpg.ssh.allowedSignersFile=\"$2\" log -3 --show-signature";
	char signers[4200];
	pid_t pid;

	snprintf(signers, sizeof(signers), "%s/allowed_signers", dir);
	printf("\n== anyone can check every signature with stock git (here the newest three)\n"
	       "$ git --git-dir %s show main:allowed_signers > %s\n"
	       "$ git --git-dir %s -c gpg.ssh.allowedSignersFile=%s log -3 --show-signature\n",
	       d->trail, signers, d->trail, signers);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		setenv("GIT_PAGER", "cat", 1);
		execlp("sh", "sh", "-c", script, "sh", d->trail, signers, (char *)NULL);
		_exit(127);
	}
	if (reap(pid) != 0)
		printf("(git is not installed here, or could not run: the commands above are "
		       "what to type where it is)\n");
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The demo's folder: new, empty, or one an earlier demo made (then cleared). */
static int prepare_dir(const char *dir)
{
	char marker[4096];
	struct stat st;

	snprintf(marker, sizeof(marker), "%s/.ssaudit-demo", dir);
	if (stat(dir, &st) == 0) {
		if (access(marker, F_OK) == 0)
			nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		else if (rmdir(dir) != 0 && errno != ENOENT)
			return ss_error_set(SS_ECANTCREAT,
					    "'%s' exists and was not made by an earlier demo; name "
					    "a new folder",
					    dir);
	}
	if (mkdir(dir, 0700) != 0)
		return ss_error_set(SS_ECANTCREAT, "cannot create '%s': %s", dir, strerror(errno));
	{
		FILE *f = fopen(marker, "w");

		if (f == NULL)
			return ss_error_set(SS_ECANTCREAT, "cannot write in '%s'", dir);
		fputs("made by ssaudit demo; the next demo run here clears this folder\n", f);
		fclose(f);
	}
	return 0;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		return ss_error_set(SS_ECANTCREAT, "cannot write '%s'", path);
	return 0;
}

/*
 * Run ssaudit ARGV (NULL-terminated, without the program) on the demo's trail
 * and home, and keep in out (n bytes) the first line of its output that starts
 * with `prefix` and contains `needle`, without its newline ("" when none).
 * Returns its exit status, or -1.
 */
static int capture(const struct demo *d, const char *const *argv, const char *prefix,
                   const char *needle, char *out, size_t n)
{
	char line[4096], *args[16];
	int fds[2];
	size_t k = 0;
	pid_t pid;
	FILE *p;

	out[0] = '\0';
	args[k++] = "ssaudit";
	for (; *argv != NULL && k < 15; argv++)
		args[k++] = (char *)*argv;
	args[k] = NULL;
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC); /* the child keeps only its stdout */
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	spawn(d, NULL, args, fds[1], &pid);
	close(fds[1]);
	if (pid > 0 && (p = fdopen(fds[0], "r")) != NULL) {
		while (fgets(line, sizeof(line), p))
			if (out[0] == '\0' && strncmp(line, prefix, strlen(prefix)) == 0 &&
			    strstr(line, needle) != NULL) {
				line[strcspn(line, "\n")] = '\0';
				snprintf(out, n, "%s", line);
			}
		fclose(p);
	} else {
		close(fds[0]);
	}
	return reap(pid);
}

/* keygen HANDLE, shown; the public key line it prints, or NULL. */
static char *capture_key(struct demo *d, const char *handle)
{
	static char line[512];
	const char *argv[] = {"-q", "keygen", handle, NULL};

	printf("\n== %s makes a signing key\n$ ssaudit keygen %s\n", handle, handle);
	fflush(stdout);
	if (capture(d, argv, "ssh-ed25519 ", "", line, sizeof(line)) != 0 || line[0] == '\0') {
		d->failed = 1;
		return NULL;
	}
	printf("%s\n", line);
	return line;
}

/* The first record id `ssaudit list MONTH --role ROLE` prints on a line
 * containing `needle` (rid needs 19 bytes); "" when none. */
static void first_listed(const struct demo *d, const char *month, const char *role,
                         const char *needle, char *rid)
{
	const char *argv[] = {"-q", "list", month, "--role", role, NULL};
	char line[4096];

	capture(d, argv, "R-", needle, line, sizeof(line));
	snprintf(rid, 19, "%.18s", line);
}

/*
 * Fill a worksheet as a reviewer would at the meeting: the columns between
 * `reviewer` and `note` get answers. Mostly favourable, with a few concerns so
 * the report has something to show; `salt` varies the pattern per reviewer.
 */
static int fill_worksheet(const char *in, const char *out, unsigned salt)
{
	static const char *grounds[] = {"reasonable", "reasonable", "reasonable", "reasonable",
					"not-reasonable", "reasonable", "insufficient-information"};
	static const char *conduct[] = {"fair", "fair", "fair", "concerns", "fair", "fair"};
	static const char *bwv[] = {"viewed", "viewed", "not-available", "viewed", "not-viewed"};
	FILE *f = fopen(in, "r"), *g = fopen(out, "w");
	char line[16384];
	unsigned row = 0;

	if (f == NULL || g == NULL) {
		if (f)
			fclose(f);
		if (g)
			fclose(g);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		int commas = 0;

		if (row++ == 0) {
			fputs(line, g);
			continue;
		}
		/* month,id,role,reviewer, then grounds,conduct,bwv,record,note */
		while (*p && commas < 4)
			if (*p++ == ',')
				commas++;
		if (strncmp(p, ",,,,", 4) != 0) {
			fputs(line, g);
			continue;
		}
		fwrite(line, 1, (size_t)(p - line), g);
		fprintf(g, "%s,%s,%s,%s,", grounds[(row * 3 + salt) % 7], conduct[(row + salt) % 6],
			bwv[(row + 2 * salt) % 5], (row + salt) % 4 ? "complete" : "incomplete");
		fputs(p + 4, g);
	}
	fclose(f);
	return fclose(g);
}

int cmd_demo(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	struct demo d = {0};
	char exe[4096], dir[4000], policy[4200], csv[4200], pack[4200], report[4200], rid[19] = "";
	char *key;
	ssize_t n;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (argc - optind > 1)
		return ss_cli_usage(cli, "give at most one folder");
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		return ss_cli_fail(ss_error_set(SS_EIO, "cannot find the ssaudit program itself"));
	exe[n] = '\0';
	if (optind < argc) {
		snprintf(dir, sizeof(dir), "%s", argv[optind]);
		if ((err = prepare_dir(dir)))
			return ss_cli_fail(err);
	} else {
		const char *tmp = getenv("TMPDIR");

		snprintf(dir, sizeof(dir), "%s/ssaudit-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL)
			return ss_cli_fail(ss_error_set(SS_ECANTCREAT, "cannot make a folder"));
	}
	d.exe = exe;
	d.dir = dir;
	snprintf(d.trail, sizeof(d.trail), "%s/trail.git", dir);
	snprintf(d.home, sizeof(d.home), "%s/home", dir);
	snprintf(policy, sizeof(policy), "%s/policy.json", dir);
	snprintf(csv, sizeof(csv), "%s/2026-10.csv", dir);
	snprintf(pack, sizeof(pack), "%s/pack-qa-panel.html", dir);
	snprintf(report, sizeof(report), "%s/report-2026-10-public.html", dir);
	if ((err = write_file(policy, ss_default_policy, ss_default_policy_len)))
		return ss_cli_fail(err);

	printf("ssaudit demo: a whole month on invented data, in %s\n"
	       "Everything below is a command you could type yourself.\n", dir);
	if (capture_key(&d, "coord") == NULL)
		goto out;
	run(&d, "coord", "the coordinator founds the trail with the default policy", "init",
	    "--policy", policy, "--name", "Carys Coordinator", "--email", "coord@example.org",
	    NULL);
	if (d.failed)
		goto out;
	run(&d, NULL, "a synthetic month of 400 searches (invented people)", "synth", "--month",
	    "2026-10", "--count", "400", "--seed", "7", "-o", csv, NULL);
	run(&d, NULL, "check the file before importing it", "check", csv, NULL);
	run(&d, "coord", "import: identities become pseudonyms; names never enter the trail",
	    "import", "2026-10", csv, NULL);

	/* The people: who registers whom comes from the policy. */
	if ((key = capture_key(&d, "pcc")) != NULL)
		run(&d, "coord", "register the PCC's office", "reviewer", "add", "pcc", "--role",
		    "pcc-office", "--name", "Office of the PCC", "--email", "pcc@example.org",
		    "--key", key, NULL);
	if ((key = capture_key(&d, "insp-local")) != NULL)
		run(&d, "coord", "register the local inspector", "reviewer", "add", "insp-local",
		    "--role", "local-inspector", "--name", "Insp. Lowri Evans", "--email",
		    "lowri@example.org", "--key", key, NULL);
	if ((key = capture_key(&d, "records")) != NULL)
		run(&d, "coord", "register the records officer", "reviewer", "add", "records",
		    "--role", "records-officer", "--name", "Rhys Records", "--email",
		    "records@example.org", "--key", key, NULL);
	if ((key = capture_key(&d, "insp-ind")) != NULL)
		run(&d, "pcc", "the PCC's office registers the independent inspector", "reviewer",
		    "add", "insp-ind", "--role", "independent-inspector", "--name",
		    "Dr Siân Price", "--email", "sian@example.org", "--key", key, NULL);
	if ((key = capture_key(&d, "secretary")) != NULL)
		run(&d, "pcc", "and the panel secretary", "reviewer", "add", "secretary", "--role",
		    "panel-secretary", "--name", "Gwen Secretary", "--email", "gwen@example.org",
		    "--key", key, NULL);
	run(&d, "pcc", "a lay panel member holds no key: the secretary enters for them", "reviewer",
	    "add", "aled", "--role", "qa-panel", "--name", "Aled", "--email", "aled@example.org",
	    NULL);
	if (d.failed)
		goto out;

	run(&d, "coord", "draw the sample with the dice rolled at the meeting", "sample", "2026-10",
	    "--seed", "31415926535897932384", NULL);
	run(&d, NULL, "the panel's worklist", "list", "2026-10", "--role", "qa-panel", NULL);
	{
		first_listed(&d, "2026-10", "qa-panel", "no further action", rid);
		if (rid[0]) {
			run(&d, NULL, "one record as the panel sees it: pseudonyms, redacted grounds",
			    "show", "2026-10", rid, NULL);
			run(&d, "records", "months later the lab result comes in: correct the outcome",
			    "correct", "2026-10", rid, "--outcome", "Arrest", "--linked", "true",
			    "--reason", "lab result confirmed controlled drugs; charged", NULL);
		}
	}
	run(&d, NULL, "a printable pack for the panel", "pack", "2026-10", "--role", "qa-panel",
	    "--format", "html", "-o", pack, NULL);
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
			snprintf(what, sizeof(what), "a worksheet for %s (%s)", sheets[k].reviewer,
				 sheets[k].role);
			run(&d, NULL, what, "pack", "2026-10", "--role", sheets[k].role, "--reviewer",
			    sheets[k].reviewer, "--format", "csv", "-o", blank, NULL);
			if (d.failed || fill_worksheet(blank, filled, sheets[k].salt) != 0) {
				d.failed = 1;
				goto out;
			}
			snprintf(what, sizeof(what),
				 "%s records the filled worksheet: one signed commit per verdict%s",
				 sheets[k].who,
				 strcmp(sheets[k].who, sheets[k].reviewer)
					 ? ", entered for the panel member"
					 : "");
			run(&d, sheets[k].who, what, "review", "2026-10", "--from", filled, NULL);
		}
	}
	if (d.failed)
		goto out;
	run(&d, "coord", "every required verdict is in: the coordinator closes the month", "close",
	    "2026-10", NULL);
	if (rid[0])
		run(&d, NULL, "what happened to one record, in words", "history", "2026-10", rid,
		    NULL);
	run(&d, NULL, "the month's report", "report", "2026-10", NULL);
	run(&d, NULL, "the public report, as a web page", "report", "2026-10", "--public",
	    "--format", "html", "-o", report, NULL);
	run(&d, NULL, "an auditor proves nothing was forged or rewritten", "verify", NULL);
	stock_git_log(&d, dir);
out:
	if (d.failed)
		return 1;
	printf("\nThe demo's trail, keys, worksheets and reports are in %s\n"
	       "Open %s in a browser.\n",
	       dir, report);
	return 0;
}
