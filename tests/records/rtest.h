/*
 * rtest.h - small helpers shared by the records tests: read a buffer into a
 * fresh population, and find the shared data folder.
 */
#ifndef SS_RTEST_H
#define SS_RTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto.h"
#include "reader.h"
#include "record.h"

#define POLICE_HEADER                                                                              \
	"Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age " \
	"range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of "            \
	"search,Outcome,Outcome linked to object of search,Removal of more than just outer "       \
	"clothing"

/* One real data.police.uk row (Dyfed-Powys, January 2019). */
#define POLICE_ROW                                                                                 \
	"Person search,2019-01-01T00:00:00+00:00,,,,,Male,18-24,White - "                          \
	"English/Welsh/Scottish/Northern Irish/British,White,Misuse of Drugs Act 1971 (section "   \
	"23),Controlled drugs,A no further action disposal,,False"

/* Read s as `fmt` into a new population; returns the code, *pop always set. */
static inline int read_str(const char *name, const char *s, enum ss_format fmt,
                           struct ss_population **pop, struct ss_diags *d)
{
	struct ss_read_opts o = {.format = fmt, .pseudonymise_officer = false};

	assert_int_equal(ss_population_new(pop), 0);
	return ss_read_buffer(name, s, strlen(s), &o, *pop, d);
}

#endif
