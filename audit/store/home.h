/*
 * home.h - where a person's secrets live: HOME/keys/HANDLE.key (signing) and
 * HOME/pseudonym.key. HOME is --home, else $SSAUDIT_HOME, else
 * $XDG_CONFIG_HOME/ssaudit, else ~/.config/ssaudit.
 *
 * Ownership: strings returned through char ** are the caller's (free()).
 */
#ifndef SS_HOME_H
#define SS_HOME_H

/* The home folder (not created). given may be NULL. */
int ss_home_resolve(const char *given, char **out);
/* Create HOME and HOME/keys with mode 0700 when missing. */
int ss_home_ensure(const char *home);
int ss_home_key_path(const char *home, const char *handle, char **out);
int ss_home_pseudonym_path(const char *home, char **out);

#endif
