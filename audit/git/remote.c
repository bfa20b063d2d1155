/*
 * remote.c - what sync needs of git: stock `git fetch` and `git push` for
 * transport (run as child processes with an argument vector, never through
 * a shell, so ssh, https, local paths and the user's own git settings all
 * work as they do for git), refs other than main, the commits one tip has
 * and others do not, and one commit read whole.
 */
#include "git_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"

extern char **environ;

#define MAX_ARGS 16

/* ------------------------------------------------------------ running git */

/* The environment for git: ours, with English messages (we read them). */
static char **git_env(void)
{
	size_t n = 0, i, j = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	if ((env = calloc(n + 2, sizeof(*env))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "LC_ALL=", 7) != 0 &&
		    strncmp(environ[i], "LANGUAGE=", 9) != 0 &&
		    strncmp(environ[i], "LC_MESSAGES=", 12) != 0)
			env[j++] = environ[i];
	env[j++] = "LC_ALL=C";
	env[j] = NULL;
	return env;
}

/* Read both pipes to their end without either filling up. */
static int drain(int out_fd, int err_fd, struct ss_buf *out, struct ss_buf *err)
{
	struct pollfd p[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
	struct ss_buf *to[2] = {out, err};
	char chunk[4096];
	int open_fds = 2, i, rc;

	while (open_fds > 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return ss_error_set(SS_EIO, _("cannot read from git: %s"), strerror(errno));
		}
		for (i = 0; i < 2; i++) {
			ssize_t got;

			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			got = read(p[i].fd, chunk, sizeof(chunk));
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				p[i].fd = -1;
				open_fds--;
				continue;
			}
			if ((rc = ss_buf_put(to[i], chunk, (size_t)got)) < 0)
				return rc;
		}
	}
	return 0;
}

/*
 * Run `git --git-dir TRAIL ARGS...`; *status is git's exit status (-1 when it
 * did not exit normally). Its output and error output are collected.
 */
static int run_git(struct ss_trail *t, const char *const *args, struct ss_buf *out,
                   struct ss_buf *err, int *status)
{
	const char *argv[MAX_ARGS + 4];
	posix_spawn_file_actions_t fa;
	int po[2] = {-1, -1}, pe[2] = {-1, -1};
	char **env = NULL;
	size_t n = 0, i;
	pid_t pid;
	int rc = 0, ws, e;

	*status = -1;
	argv[n++] = "git";
	argv[n++] = "--git-dir";
	argv[n++] = t->gitdir;
	for (i = 0; args[i] != NULL && i < MAX_ARGS; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if ((env = git_env()) == NULL)
		return ss_error_nomem();
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		rc = ss_error_set(SS_EIO, _("cannot start git: %s"), strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	e = posix_spawnp(&pid, "git", &fa, NULL, (char *const *)argv, env);
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	po[1] = pe[1] = -1;
	if (e != 0) {
		rc = ss_error_set(SS_EIO, _("cannot run git (is it installed?): %s"), strerror(e));
		goto out;
	}
	rc = drain(po[0], pe[0], out, err);
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			rc = ss_error_set(SS_EIO, _("cannot wait for git: %s"), strerror(errno));
			goto out;
		}
	}
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
out:
	for (i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	free(env);
	return rc;
}

/* git's error output, trimmed, for a message ("" when none). */
static const char *trimmed(struct ss_buf *b)
{
	if (b->data == NULL)
		return "";
	while (b->len > 0 && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == ' '))
		b->data[--b->len] = '\0';
	return b->data;
}

/* ------------------------------------------------------------ remotes */

/* A remote's name as it may appear in a ref and in git's arguments. */
static bool remote_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '-' || s[0] == '.' || strstr(s, "..") != NULL)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return false;
	return s[n - 1] != '.';
}

/* The names of the configured remotes (remote.NAME.url), each once. Read
 * entry by entry: libgit2's git_remote_list() goes through a regex whose
 * matcher leaks in Debian's build. */
static int remote_names(struct ss_trail *t, char ***out, size_t *n)
{
	git_config *cfg = NULL, *snap = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char **v = NULL;
	size_t i;
	int rc = 0, err;

	*out = NULL;
	*n = 0;
	if (git_repository_config(&cfg, t->repo) < 0 || git_config_snapshot(&snap, cfg) < 0 ||
	    git_config_iterator_new(&it, snap) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot read the remotes of '%s'"), t->path);
		goto out;
	}
	while ((err = git_config_next(&e, it)) == 0) {
		size_t len = strlen(e->name), k;
		char **grown;

		if (len <= 11 || strncmp(e->name, "remote.", 7) != 0 ||
		    strcmp(e->name + len - 4, ".url") != 0)
			continue;
		for (i = 0; i < *n; i++)
			if (strlen(v[i]) == len - 11 && strncmp(v[i], e->name + 7, len - 11) == 0)
				break;
		if (i < *n)
			continue;
		if ((grown = realloc(v, (*n + 1) * sizeof(*v))) == NULL) {
			rc = ss_error_nomem();
			goto out;
		}
		v = grown;
		if ((v[*n] = malloc(len - 10)) == NULL) {
			rc = ss_error_nomem();
			goto out;
		}
		for (k = 0; k < len - 11; k++)
			v[*n][k] = e->name[7 + k];
		v[(*n)++][len - 11] = '\0';
	}
	if (err != GIT_ITEROVER)
		rc = ss_git_fail(SS_EIO, _("cannot read the remotes of '%s'"), t->path);
out:
	git_config_iterator_free(it);
	git_config_free(snap);
	git_config_free(cfg);
	if (rc < 0) {
		ss_strv_free(v, *n);
		*n = 0;
		v = NULL;
	}
	*out = v;
	return rc;
}

int ss_git_remote_pick(struct ss_trail *t, const char *given, char **name)
{
	char **list = NULL;
	const char *pick = NULL;
	size_t i, count = 0;
	int rc;

	*name = NULL;
	if ((rc = remote_names(t, &list, &count)) < 0)
		return rc;
	for (i = 0; i < count; i++) {
		if (given != NULL ? strcmp(list[i], given) == 0 : strcmp(list[i], "origin") == 0)
			pick = list[i];
	}
	if (given == NULL && pick == NULL && count == 1)
		pick = list[0];
	if (pick == NULL) {
		if (given != NULL)
			rc = ss_error_set(SS_EUSAGE,
			                  _("the trail has no remote called '%s' (add it with: git "
			                    "--git-dir %s remote add %s URL)"),
			                  given, t->path, given);
		else if (count == 0)
			rc = ss_error_set(
			    SS_ENOINPUT,
			    _("the trail has no remote to sync with: add the group's hub "
			      "with: git --git-dir %s remote add origin URL"),
			    t->path);
		else
			rc = ss_error_set(
			    SS_EUSAGE,
			    _("the trail has %zu remotes and none is called 'origin': say "
			      "which to sync with"),
			    count);
		goto out;
	}
	if (!remote_name_ok(pick)) {
		rc = ss_error_set(SS_EUSAGE,
		                  _("the remote's name '%s' cannot be used: rename it with "
		                    "letters, digits, '-', '_' and '.' only"),
		                  pick);
		goto out;
	}
	if ((*name = strdup(pick)) == NULL)
		rc = ss_error_nomem();
out:
	ss_strv_free(list, count);
	return rc;
}

int ss_git_fetch_main(struct ss_trail *t, const char *remote, const char *ref, bool *absent)
{
	struct ss_buf spec = SS_BUF_INIT, out = SS_BUF_INIT, err = SS_BUF_INIT;
	int rc, status;

	*absent = false;
	if ((rc = ss_buf_printf(&spec, "+" SS_MAIN_REF ":%s", ref)) < 0)
		goto out;
	{
		/* --refmap= : no opportunistic update of any other ref (a mirror's
		 * refspec would otherwise move main itself). */
		const char *args[] = {"fetch",
		                      "--quiet",
		                      "--no-tags",
		                      "--refmap=",
		                      "--no-write-fetch-head",
		                      "--no-recurse-submodules",
		                      remote,
		                      spec.data,
		                      NULL};

		if ((rc = run_git(t, args, &out, &err, &status)) < 0)
			goto out;
	}
	if (status != 0) {
		if (err.data != NULL && strstr(err.data, "couldn't find remote ref") != NULL)
			*absent = true;
		else
			rc = ss_error_set(SS_EIO, _("cannot fetch from '%s': %s"), remote,
			                  trimmed(&err));
	}
out:
	ss_buf_release(&spec);
	ss_buf_release(&out);
	ss_buf_release(&err);
	return rc;
}

int ss_git_push_main(struct ss_trail *t, const char *remote, const struct ss_oid *tip)
{
	struct ss_buf spec = SS_BUF_INIT, out = SS_BUF_INIT, err = SS_BUF_INIT;
	char hex[41];
	int rc, status;

	ss_oid_hex(tip, hex);
	if ((rc = ss_buf_printf(&spec, "%s:" SS_MAIN_REF, hex)) < 0)
		goto out;
	{
		const char *args[] = {"push", "--porcelain", "--no-verify",
		                      remote, spec.data,     NULL};

		if ((rc = run_git(t, args, &out, &err, &status)) < 0)
			goto out;
	}
	if (status == 0)
		goto out;
	/* Refused because main moved: seen before sending ([rejected]), or at the
	 * hub, another push landing first (its ref lock or old value). */
	if ((out.data != NULL && strstr(out.data, "[rejected]") != NULL &&
	     (strstr(out.data, "fetch first") != NULL ||
	      strstr(out.data, "non-fast-forward") != NULL)) ||
	    (out.data != NULL && strstr(out.data, "failed to update ref") != NULL) ||
	    (err.data != NULL && (strstr(err.data, "cannot lock ref") != NULL ||
	                          strstr(err.data, "incorrect old value") != NULL)))
		rc = ss_error_set(
		    SS_EBUSY, _("the remote '%s' moved on while this was being synced"), remote);
	else if (out.data != NULL && strstr(out.data, "[remote rejected]") != NULL)
		rc = ss_error_set(SS_EFAIL, _("the remote '%s' refused the push: %s"), remote,
		                  trimmed(&err));
	else
		rc = ss_error_set(SS_EIO, _("cannot push to '%s': %s"), remote, trimmed(&err));
out:
	ss_buf_release(&spec);
	ss_buf_release(&out);
	ss_buf_release(&err);
	return rc;
}

/* ------------------------------------------------------------ refs */

static bool ref_name_ok(const char *name)
{
	return strncmp(name, "refs/ssaudit/", 13) == 0 && git_reference_is_valid_name(name);
}

int ss_git_ref_read(struct ss_trail *t, const char *name, struct ss_oid *out)
{
	git_oid id;
	int err = git_reference_name_to_id(&id, t->repo, name);

	if (err == GIT_ENOTFOUND)
		return ss_error_set(SS_ENOTFOUND, _("no ref '%s'"), name);
	if (err < 0)
		return ss_git_fail(SS_EIO, _("cannot read '%s' in '%s'"), name, t->path);
	from_git(out, &id);
	return 0;
}

int ss_git_ref_write(struct ss_trail *t, const char *name, const struct ss_oid *to)
{
	git_reference *ref = NULL;
	git_oid id;
	int err;

	if (!ref_name_ok(name))
		return ss_error_set(SS_EUSAGE, _("'%s' is not a ref sync may write"), name);
	ss_git_apply_fsync(t);
	to_git(&id, to);
	err = git_reference_create(&ref, t->repo, name, &id, 1, NULL);
	git_reference_free(ref);
	if (err < 0)
		return ss_git_fail(SS_EIO, _("cannot write '%s' in '%s'"), name, t->path);
	return 0;
}

int ss_git_ref_delete(struct ss_trail *t, const char *name)
{
	int err;

	if (!ref_name_ok(name))
		return ss_error_set(SS_EUSAGE, _("'%s' is not a ref sync may delete"), name);
	err = git_reference_remove(t->repo, name);
	if (err < 0 && err != GIT_ENOTFOUND)
		return ss_git_fail(SS_EIO, _("cannot delete '%s' in '%s'"), name, t->path);
	return 0;
}

struct ref_list {
	struct ss_git_oidv ids;
	git_repository *repo;
};

static int list_one(const char *name, void *payload)
{
	struct ref_list *l = payload;
	git_oid id;

	if (git_reference_name_to_id(&id, l->repo, name) < 0)
		return 0; /* a ref to something else (symbolic, broken) is not a tip */
	return ss_git_oidv_push(&l->ids, &id);
}

int ss_git_ref_list(struct ss_trail *t, const char *prefix, struct ss_oid **out, size_t *n)
{
	struct ref_list l = {{NULL, 0, 0}, t->repo};
	struct ss_buf glob = SS_BUF_INIT;
	size_t i;
	int rc, err;

	*out = NULL;
	*n = 0;
	if ((rc = ss_buf_printf(&glob, "%s*", prefix)) < 0)
		return rc;
	err = git_reference_foreach_glob(t->repo, glob.data, list_one, &l);
	ss_buf_release(&glob);
	if (err < 0) {
		free(l.ids.v);
		return err == SS_ENOMEM ? err
		                        : ss_git_fail(SS_EIO, _("cannot list the refs %s"), prefix);
	}
	if (l.ids.n > 0 && (*out = calloc(l.ids.n, sizeof(**out))) == NULL) {
		free(l.ids.v);
		return ss_error_nomem();
	}
	for (i = 0; i < l.ids.n; i++)
		from_git(&(*out)[i], &l.ids.v[i]);
	*n = l.ids.n;
	free(l.ids.v);
	return 0;
}

int ss_git_set_main(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to)
{
	git_oid f, g;

	to_git(&f, from);
	to_git(&g, to);
	ss_git_apply_fsync(t);
	return ss_git_move_main(t, &f, &g);
}

/* ------------------------------------------------------------ history */

int ss_git_commits_between(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *hide,
                           size_t nhide, struct ss_oid **out, size_t *n)
{
	struct ss_git_oidv ids = {NULL, 0, 0};
	git_revwalk *walk = NULL;
	git_oid id;
	size_t i;
	int rc = 0, err;

	*out = NULL;
	*n = 0;
	to_git(&id, from);
	if (git_revwalk_new(&walk, ss_git_repo(t)) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, &id) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot walk the audit trail"));
		goto out;
	}
	for (i = 0; i < nhide; i++) {
		to_git(&id, &hide[i]);
		if (git_revwalk_hide(walk, &id) < 0) {
			rc = ss_git_fail(SS_EIO, _("cannot walk the audit trail"));
			goto out;
		}
	}
	while ((err = git_revwalk_next(&id, walk)) == 0)
		if ((rc = ss_git_oidv_push(&ids, &id)) < 0)
			goto out;
	if (err != GIT_ITEROVER) {
		rc = ss_git_fail(SS_EIO, _("cannot walk the audit trail"));
		goto out;
	}
	if (ids.n > 0 && (*out = calloc(ids.n, sizeof(**out))) == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < ids.n; i++)
		from_git(&(*out)[i], &ids.v[i]);
	*n = ids.n;
out:
	free(ids.v);
	git_revwalk_free(walk);
	return rc;
}

int ss_git_root(struct ss_trail *t, const struct ss_oid *from, struct ss_oid *out)
{
	git_repository *repo = ss_git_repo(t);
	git_commit *c = NULL;
	git_oid id;

	to_git(&id, from);
	for (;;) {
		if (git_commit_lookup(&c, repo, &id) < 0)
			return ss_git_fail(SS_EIO, _("cannot read the history of '%s'"), t->path);
		if (git_commit_parentcount(c) == 0)
			break;
		git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
	}
	git_commit_free(c);
	from_git(out, &id);
	return 0;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s != NULL ? s : "");
}

int ss_git_commit_info(struct ss_trail *t, const struct ss_oid *oid, struct ss_commit_info *out)
{
	git_repository *repo = ss_git_repo(t);
	git_buf sig = {NULL, 0, 0}, data = {NULL, 0, 0};
	git_commit *c = NULL;
	const git_signature *a, *cm;
	git_oid id;
	unsigned i, np;
	int rc = 0, err;

	memset(out, 0, sizeof(*out));
	to_git(&id, oid);
	if (git_commit_lookup(&c, repo, &id) < 0) {
		char hex[41];

		ss_oid_hex(oid, hex);
		return ss_git_fail(SS_EIO, _("cannot read commit '%s'"), hex);
	}
	out->oid = *oid;
	np = git_commit_parentcount(c);
	out->nparents = np;
	for (i = 0; i < np && i < 2; i++)
		from_git(&out->parents[i], git_commit_parent_id(c, i));
	a = git_commit_author(c);
	cm = git_commit_committer(c);
	out->author_time = a->when.time;
	out->commit_time = cm->when.time;
	out->author_name = dup_or_empty(a->name);
	out->author_email = dup_or_empty(a->email);
	out->committer_name = dup_or_empty(cm->name);
	out->committer_email = dup_or_empty(cm->email);
	out->message = dup_or_empty(git_commit_message(c));
	if (out->author_name == NULL || out->author_email == NULL || out->committer_name == NULL ||
	    out->committer_email == NULL || out->message == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	err = git_commit_extract_signature(&sig, &data, repo, &id, "gpgsig");
	if (err == 0) {
		bool nl = sig.size > 0 && sig.ptr[sig.size - 1] == '\n';

		out->signature = malloc(sig.size + 2);
		out->signed_data = malloc(data.size + 1);
		if (out->signature == NULL || out->signed_data == NULL) {
			rc = ss_error_nomem();
			goto out;
		}
		memcpy(out->signature, sig.ptr, sig.size);
		out->signature_len = sig.size;
		if (!nl)
			out->signature[out->signature_len++] = '\n';
		out->signature[out->signature_len] = '\0';
		memcpy(out->signed_data, data.ptr, data.size);
		out->signed_data[data.size] = '\0';
		out->signed_data_len = data.size;
	} else if (err != GIT_ENOTFOUND) {
		rc = ss_git_fail(SS_EIO, _("cannot read a commit's signature"));
	}
out:
	if (rc < 0)
		ss_git_commit_info_release(out);
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	git_commit_free(c);
	return rc;
}

void ss_git_commit_info_release(struct ss_commit_info *c)
{
	if (c == NULL)
		return;
	free(c->author_name);
	free(c->author_email);
	free(c->committer_name);
	free(c->committer_email);
	free(c->message);
	free(c->signature);
	free(c->signed_data);
	memset(c, 0, sizeof(*c));
}
