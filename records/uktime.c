/*
 * uktime.c - UK local time for people to read (uktime.h).
 */
#include "uktime.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "lang.h"
#include "record.h"

static const char *const month_names[12] = {
    N_("January"), N_("February"), N_("March"),     N_("April"),   N_("May"),      N_("June"),
    N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December")};

int ss_uk_zone_enter(char **saved)
{
	const char *dir = getenv("TZDIR"), *prev = getenv("TZ");
	char zone[4096];

	*saved = NULL;
	/* Without the zone's file the C library would quietly use UTC. */
	snprintf(zone, sizeof zone, "%s/Europe/London", dir && *dir ? dir : "/usr/share/zoneinfo");
	if (access(zone, R_OK) != 0)
		return ss_error_set(SS_EIO,
		                    _("the UK time zone's data (%s) is missing: install the tzdata "
		                      "package"),
		                    zone);
	if (prev != NULL && (*saved = strdup(prev)) == NULL)
		return ss_error_nomem();
	setenv("TZ", "Europe/London", 1);
	tzset();
	return 0;
}

void ss_uk_zone_leave(char *saved)
{
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static void words(const struct tm *tm, const char *zone, char *out, size_t n)
{
	snprintf(out, n, "%d %s %d, %02d:%02d %s", tm->tm_mday, month_names[tm->tm_mon % 12],
	         tm->tm_year + 1900, tm->tm_hour, tm->tm_min, zone);
}

/*
 * The zone's offset for each hour of a year, read from the zone's data once
 * (switching the process's zone re-reads its file, which would cost more than
 * the rest of a listing). UK clocks change on the hour (01:00 UTC), so an
 * hour's offset holds for the whole hour. Two years are kept: a month's
 * records span at most two.
 */
#define HOURS_MAX (366 * 24)
struct year_table {
	int year; /* 0: empty */
	int64_t start;
	int16_t off[HOURS_MAX]; /* minutes east of UTC */
	bool dst[HOURS_MAX];
};
static struct year_table years[2];
static unsigned next_slot;

static const struct year_table *year_of(int year)
{
	struct year_table *y;
	char *saved;
	int64_t hours, h;

	for (unsigned k = 0; k < 2; k++)
		if (years[k].year == year)
			return &years[k];
	if (year < 1971 || year > 9998 || ss_uk_zone_enter(&saved) != 0)
		return NULL;
	y = &years[next_slot++ % 2];
	y->year = 0;
	y->start = ss_days_from_civil(year, 1, 1) * 86400;
	hours = (ss_days_from_civil(year + 1, 1, 1) - ss_days_from_civil(year, 1, 1)) * 24;
	for (h = 0; h < hours; h++) {
		time_t tt = (time_t)(y->start + h * 3600);
		struct tm tm;

		if (localtime_r(&tt, &tm) == NULL)
			break;
		y->off[h] = (int16_t)(tm.tm_gmtoff / 60);
		y->dst[h] = tm.tm_isdst > 0;
	}
	ss_uk_zone_leave(saved);
	if (h < hours)
		return NULL;
	y->year = year;
	return y;
}

int ss_uk_time(int64_t secs, char *out, size_t n)
{
	time_t tt = (time_t)secs;
	const struct year_table *y;
	struct tm tm;
	char *saved;
	int err;

	if (gmtime_r(&tt, &tm) != NULL && (y = year_of(tm.tm_year + 1900)) != NULL) {
		int64_t h = (secs - y->start) / 3600;

		tt = (time_t)(secs + y->off[h] * 60);
		if (gmtime_r(&tt, &tm) != NULL) {
			words(&tm, y->dst[h] ? "BST" : "GMT", out, n);
			return 0;
		}
	}
	/* No table: the zone's data is missing (say so), or the time is out of range. */
	if ((err = ss_uk_zone_enter(&saved)) == 0) {
		ss_uk_zone_leave(saved);
		err =
		    ss_error_set(SS_EIO, _("cannot work out the UK time of %lld"), (long long)secs);
	}
	tt = (time_t)secs;
	if (gmtime_r(&tt, &tm) != NULL)
		words(&tm, "UTC", out, n);
	else if (n)
		*out = '\0';
	return err;
}

const char *ss_uk_datetime(const char *s, char *out, size_t n)
{
	struct ss_instant at;

	if (s == NULL)
		return NULL;
	if (ss_datetime_parse(s, strlen(s), &at, NULL) != 0 || ss_uk_time(at.secs, out, n) != 0) {
		snprintf(out, n, "%s", s);
		ss_error_clear();
	}
	return out;
}

const char *ss_uk_datetime_in(const char *s, enum ss_lang lang, char *out, size_t n)
{
	char en[SS_UK_TIME_MAX], mon[16], rest[SS_UK_TIME_MAX];
	int day, year, m;

	if (ss_uk_datetime(s, en, sizeof(en)) == NULL)
		return NULL;
	if (lang == SS_LANG_EN || sscanf(en, "%d %15s %d%63[^\n]", &day, mon, &year, rest) != 4) {
		snprintf(out, n, "%s", en);
		return out;
	}
	for (m = 0; m < 12 && strcmp(mon, month_names[m]) != 0; m++)
		;
	if (m == 12)
		snprintf(out, n, "%s", en);
	else if (lang == SS_LANG_CY_EN && strcmp(ss_lang_get(SS_LANG_CY, month_names[m]), mon))
		snprintf(out, n, "%d %s / %s %d%s", day, ss_lang_get(SS_LANG_CY, month_names[m]),
		         mon, year, rest);
	else
		snprintf(out, n, "%d %s %d%s", day, ss_lang_get(SS_LANG_CY, month_names[m]), year,
		         rest);
	return out;
}
