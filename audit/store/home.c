#include "home.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"

static int join(char **out, const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;

	if ((*out = malloc(n)) == NULL)
		return ss_error_nomem();
	snprintf(*out, n, "%s/%s", a, b);
	return 0;
}

int ss_home_resolve(const char *given, char **out)
{
	const char *env;

	*out = NULL;
	if (given && *given)
		return (*out = strdup(given)) ? 0 : ss_error_nomem();
	if ((env = getenv("SSAUDIT_HOME")) && *env)
		return (*out = strdup(env)) ? 0 : ss_error_nomem();
	if ((env = getenv("XDG_CONFIG_HOME")) && *env)
		return join(out, env, "ssaudit");
	if ((env = getenv("HOME")) && *env)
		return join(out, env, ".config/ssaudit");
	return ss_error_set(SS_EUSAGE,
	                    _("cannot tell where keys live: set --home or SSAUDIT_HOME"));
}

static int mkdir_private(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	return ss_error_set(SS_ECANTCREAT, _("cannot create folder '%s': %s"), path,
	                    strerror(errno));
}

int ss_home_ensure(const char *home)
{
	char *keys = NULL;
	char *p, *copy;
	int err = 0;

	/* Create the parents too (~/.config may not exist yet). */
	if ((copy = strdup(home)) == NULL)
		return ss_error_nomem();
	for (p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			err = ss_error_set(SS_ECANTCREAT, _("cannot create folder '%s': %s"), copy,
			                   strerror(errno));
			goto out;
		}
		*p = '/';
	}
	if ((err = mkdir_private(home)) || (err = join(&keys, home, "keys")) ||
	    (err = mkdir_private(keys)))
		goto out;
out:
	free(copy);
	free(keys);
	return err;
}

int ss_home_key_path(const char *home, const char *handle, char **out)
{
	size_t n = strlen(home) + strlen(handle) + 12;

	if ((*out = malloc(n)) == NULL)
		return ss_error_nomem();
	snprintf(*out, n, "%s/keys/%s.key", home, handle);
	return 0;
}

int ss_home_pseudonym_path(const char *home, char **out)
{
	return join(out, home, "pseudonym.key");
}
