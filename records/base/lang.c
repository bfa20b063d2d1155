/*
 * lang.c - English or Welsh (lang.h): which, from the options and the
 * environment, and gettext set up to give it.
 */
#include "lang.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"

#define SS_TEXTDOMAIN "ssaudit"

static enum ss_lang current = SS_LANG_EN;

int ss_lang_parse(const char *s, enum ss_lang *out)
{
	if (s != NULL && strcmp(s, "cy+en") == 0) {
		*out = SS_LANG_CY_EN;
		return 0;
	}
	/* en, cy, and locale-like names: cy_GB.UTF-8, en-GB */
	if (s != NULL && (strncmp(s, "cy", 2) == 0 || strncmp(s, "en", 2) == 0) &&
	    strchr("_-.@", s[2] ? s[2] : '_') != NULL) {
		*out = s[0] == 'c' ? SS_LANG_CY : SS_LANG_EN;
		return 0;
	}
	return ss_error_set(SS_EUSAGE,
	                    _("'%s' is not a language: use en (English), cy (Welsh) "
	                      "or cy+en (both, Welsh first)"),
	                    s ? s : "");
}

int ss_lang_from_env(enum ss_lang *out)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *v = getenv("SSAUDIT_LANG");
	size_t i;

	if (v != NULL && *v != '\0')
		return ss_lang_parse(v, out);
	*out = SS_LANG_EN;
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		v = getenv(vars[i]);
		if (v != NULL && *v != '\0') {
			if (strncmp(v, "cy", 2) == 0 && (v[2] == '\0' || strchr("_.@", v[2])))
				*out = SS_LANG_CY;
			break;
		}
	}
	return 0;
}

/* gettext picks the catalogue from LANGUAGE, which it ignores under the
 * plain "C" message locale: so C.UTF-8 for messages (built into glibc, unlike
 * cy_GB), and only for messages. gettext caches what it found; bumping its
 * counter (as the GNU gettext manual says to after changing LANGUAGE) makes a
 * change of language take effect at once. */
extern int _nl_msg_cat_cntr; /* gettext's: bumped, it forgets cached translations */

static void use_language(const char *code)
{
	setenv("LANGUAGE", code, 1);
	++_nl_msg_cat_cntr;
	if (setlocale(LC_MESSAGES, "C.UTF-8") == NULL && setlocale(LC_MESSAGES, "C.utf8") == NULL)
		setlocale(LC_MESSAGES, "");
}

int ss_lang_init(enum ss_lang lang, const char *localedir)
{
	char path[4096];
	struct stat st;

	current = lang;
	bindtextdomain(SS_TEXTDOMAIN, localedir);
	bind_textdomain_codeset(SS_TEXTDOMAIN, "UTF-8");
	textdomain(SS_TEXTDOMAIN);
	use_language(lang == SS_LANG_EN ? "en" : "cy");
	if (lang == SS_LANG_EN)
		return 0;
	snprintf(path, sizeof(path), "%s/cy/LC_MESSAGES/" SS_TEXTDOMAIN ".mo", localedir);
	if (stat(path, &st) != 0)
		return ss_error_set(SS_ECONFIG,
		                    _("the Welsh messages are not installed ('%s' is missing): "
		                      "reinstall ssaudit; English is used meanwhile"),
		                    path);
	return 0;
}

enum ss_lang ss_lang_current(void)
{
	return current;
}

const char *ss_lang_get(enum ss_lang lang, const char *msgid)
{
	const char *s;

	if (msgid == NULL || *msgid == '\0' || lang == SS_LANG_EN)
		return msgid;
	if (current != SS_LANG_EN)
		return gettext(msgid);
	use_language("cy");
	s = gettext(msgid);
	use_language("en");
	return s;
}

static const char *const months[] = {
    N_("January"), N_("February"), N_("March"),     N_("April"),   N_("May"),      N_("June"),
    N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December"),
};

static const char *const weekdays[] = {
    N_("Sunday"),   N_("Monday"), N_("Tuesday"),  N_("Wednesday"),
    N_("Thursday"), N_("Friday"), N_("Saturday"),
};

const char *ss_lang_month_name(int month)
{
	return month >= 1 && month <= 12 ? _(months[month - 1]) : "";
}

const char *ss_lang_weekday_name(int wday)
{
	return wday >= 0 && wday <= 6 ? _(weekdays[wday]) : "";
}

/* Day of the week of a Gregorian date, 0 = Sunday (Sakamoto's method). */
static int weekday_of(int y, int m, int d)
{
	static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};

	if (m < 3)
		y -= 1;
	return ((y + y / 4 - y / 100 + y / 400 + t[(m - 1) % 12] + d) % 7 + 7) % 7;
}

char *ss_lang_date(char *buf, size_t n, int year, int month, int day, bool weekday)
{
	if (n == 0)
		return buf;
	if (month < 1 || month > 12) {
		snprintf(buf, n, "%04d-%02d-%02d", year, month, day);
		return buf;
	}
	if (weekday)
		snprintf(buf, n, "%s %d %s %d", ss_lang_weekday_name(weekday_of(year, month, day)),
		         day, ss_lang_month_name(month), year);
	else
		snprintf(buf, n, "%d %s %d", day, ss_lang_month_name(month), year);
	return buf;
}
