/*
 * cmd_misc.c - gc, and demo: the whole monthly cycle on synthetic data, run
 * as the very commands a user would type, each printed before it runs.
 */
#include <errno.h>
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

/* Run `ssaudit ARGS...` as HANDLE (NULL: nobody), echoing the command line. */
static int run(struct demo *d, const char *as, const char *what, ...)
{
	char *args[40];
	int n = 0, status;
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
	if ((pid = fork()) == 0) {
		setenv("SSAUDIT_TRAIL", d->trail, 1);
		setenv("SSAUDIT_HOME", d->home, 1);
		if (as)
			setenv("SSAUDIT_AS", as, 1);
		else
			unsetenv("SSAUDIT_AS");
		execv(d->exe, args);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "ssaudit: demo step failed: %s\n", what);
		d->failed = 1;
		return -1;
	}
	return 0;
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

static char *capture_key(struct demo *d, const char *handle)
{
	/* keygen prints the public key line; read it back from the key file's .pub twin. */
	static char line[512];
	char cmd[8400];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "SSAUDIT_HOME='%s' '%s' -q keygen %s", d->home, d->exe, handle);
	printf("\n== %s makes a signing key\n$ ssaudit keygen %s\n", handle, handle);
	fflush(stdout);
	if ((p = popen(cmd, "r")) == NULL || fgets(line, sizeof(line), p) == NULL) {
		if (p)
			pclose(p);
		d->failed = 1;
		return NULL;
	}
	if (pclose(p) != 0) {
		d->failed = 1;
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	printf("%s\n", line);
	return line;
}

int cmd_demo(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	struct demo d = {0};
	char exe[4096], dir[4000], policy[4200], csv[4200], pack[4200], *key;
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
	if ((key = capture_key(&d, "insp-local")) != NULL)
		run(&d, "coord", "register the local inspector", "reviewer", "add", "insp-local",
		    "--role", "local-inspector", "--name", "Insp. Lowri Evans", "--email",
		    "lowri@example.org", "--key", key, NULL);
	if (d.failed)
		goto out;
	run(&d, "coord", "draw the sample with the dice rolled at the meeting", "sample", "2026-10",
	    "--seed", "31415926535897932384", NULL);
	run(&d, NULL, "the local inspector's worklist", "list", "2026-10", "--role",
	    "local-inspector", NULL);
	run(&d, NULL, "a printable pack for the panel", "pack", "2026-10", "--role", "qa-panel",
	    "--format", "html", "-o", pack, NULL);
	run(&d, NULL, "what happened to the month, in words", "history", "2026-10", NULL);
	printf("\n== anyone can check every signature with stock git:\n$ git --git-dir %s "
	       "-c gpg.ssh.allowedSignersFile=<allowed_signers> log --show-signature\n",
	       d.trail);
out:
	if (d.failed)
		return 1;
	printf("\nThe demo's trail, keys and files are in %s\n", dir);
	return 0;
}
