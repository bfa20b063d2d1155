/*
 * lang.h - the language people read: English or Welsh, through gettext.
 *
 * Messages are marked in the source with _("...") (translated where they are
 * used) or N_("...") (a static table's text, translated when printed with
 * _()); audit/po/cy.po holds the Welsh, compiled by msgfmt at build time.
 * The catalogue is chosen with gettext's LANGUAGE under a C.UTF-8 message
 * locale, so Welsh works on machines with no cy_GB locale installed; no other
 * locale category (LC_NUMERIC above all) is ever changed, so JSON and CSV
 * keep their decimal points. Nothing written to the trail may depend on the
 * language: mark only what a person reads.
 *
 * Strings returned here are borrowed: static, or inside the mapped catalogue,
 * valid for the life of the program.
 */
#ifndef SS_LANG_H
#define SS_LANG_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

#define _(s)  gettext(s)
#define N_(s) (s)

enum ss_lang {
	SS_LANG_EN = 0,
	SS_LANG_CY,
	SS_LANG_CY_EN /* a bilingual document, Welsh first; messages in Welsh */
};

/* "en", "cy" or "cy+en" (also "cy_GB…", "en_GB…" and the like) into *out;
 * 0, or SS_EUSAGE with a message naming what is accepted. */
int ss_lang_parse(const char *s, enum ss_lang *out);

/* The language the environment asks for: SSAUDIT_LANG when set (0, or
 * SS_EUSAGE when it is not a language), else the first of LC_ALL,
 * LC_MESSAGES, LANG that is set: Welsh when it starts "cy", else English. */
int ss_lang_from_env(enum ss_lang *out);

/* Use lang from now on, with the catalogues under localedir
 * (localedir/cy/LC_MESSAGES/ssaudit.mo). 0, or SS_ECONFIG when Welsh was
 * asked for and the catalogue cannot be found (messages stay English). */
int ss_lang_init(enum ss_lang lang, const char *localedir);

/* The language set by ss_lang_init (English before). */
enum ss_lang ss_lang_current(void);

/* msgid in one language (SS_LANG_EN or SS_LANG_CY) whatever the current one:
 * for a bilingual document that needs both at once. */
const char *ss_lang_get(enum ss_lang lang, const char *msgid) __attribute__((format_arg(2)));

/* Month (1-12) and day of the week (0 = Sunday) names in the current
 * language; "" when out of range. */
const char *ss_lang_month_name(int month);
const char *ss_lang_weekday_name(int wday);

/* "1 July 2019" (Welsh: "1 Gorffennaf 2019"); with the day of the week when
 * weekday: "Monday 1 July 2019" ("dydd Llun 1 Gorffennaf 2019"). Writes at most
 * n bytes (NUL included) into buf and returns buf. */
char *ss_lang_date(char *buf, size_t n, int year, int month, int day, bool weekday);

#endif
