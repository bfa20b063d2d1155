/*
 * synth.h - a realistic synthetic force-csv month for a Welsh force, with
 * invented identities, for training, demos, tests and benchmarks.
 *
 * The same (month, count, seed) always gives the same bytes, on any machine:
 * the generator uses its own PRNG (splitmix64 seeding xoshiro256**), and row
 * i depends only on (month, seed, i), so any row can be made on its own.
 * Proportions follow Dyfed-Powys's published data.police.uk files (2019-2020),
 * with a little section 60 and Firearms Act section 47 added so that those
 * paths are exercised. Every person, address, phone number and registration
 * is invented; repeat subjects (the same person searched again, in this month
 * or, with the same seed, in another) share name, date of birth and address.
 *
 * Ownership: a struct ss_synth_row holds all its text itself; col[] points
 * into the row (or at static strings), so a row must not be copied by value
 * and its pointers are valid until the row is reused or goes out of scope.
 */
#ifndef SS_SYNTH_H
#define SS_SYNTH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ss_synth_opts {
	const char *month; /* "YYYY-MM" */
	size_t count;      /* rows, at least 1 */
	uint64_t seed;
};

/* Columns in file order: the 15 police-csv columns, then the force columns. */
enum ss_synth_col {
	SS_SC_TYPE,
	SS_SC_DATE,
	SS_SC_OPERATION,
	SS_SC_OPERATION_NAME,
	SS_SC_LATITUDE,
	SS_SC_LONGITUDE,
	SS_SC_GENDER,
	SS_SC_AGE_RANGE,
	SS_SC_SELF_ETHNICITY,
	SS_SC_OFFICER_ETHNICITY,
	SS_SC_LEGISLATION,
	SS_SC_OBJECT,
	SS_SC_OUTCOME,
	SS_SC_OUTCOME_LINKED,
	SS_SC_REMOVAL,
	SS_SC_REFERENCE,
	SS_SC_AREA,
	SS_SC_OFFICER,
	SS_SC_GROUNDS,
	SS_SC_BWV,
	SS_SC_NAME,
	SS_SC_DOB,
	SS_SC_ADDRESS,
	SS_SC_PNC,
	SS_SC_COUNT
};

/* The header name of each column, e.g. "Subject date of birth". */

struct ss_synth_row {
	const char *col[SS_SC_COUNT]; /* each column's text; "" when blank */
	/* Facts behind the row, for tests: */
	uint64_t person;  /* the invented person (equal for repeat subjects); 0 when none */
	char dob_iso[11]; /* the date of birth as YYYY-MM-DD, "" when none */
	char street[64];  /* the address's first line, "" when none */
	char first[32], surname[48]; /* the name's parts, as in col[SS_SC_NAME] */
	/* Storage the pointers above point into. */
	char s_date[32], s_lat[16], s_lon[16], s_ref[40], s_officer[16], s_bwv[24];
	char s_name[96], s_dob[16], s_address[160], s_pnc[24], s_grounds[768];
};

/* Row i (0-based) of the month. SS_EUSAGE for a month not YYYY-MM, count 0,
 * or i >= count. */
int ss_synth_row(const struct ss_synth_opts *o, size_t i, struct ss_synth_row *row);

/* Write the whole month as RFC 4180 CSV with LF line ends, header first.
 * SS_EUSAGE as above, SS_EIO when writing fails. */
int ss_synth_write(FILE *f, const struct ss_synth_opts *o);

/* Append one CSV field to a line, quoted when it holds a comma, quote, CR or LF. */
struct ss_buf;
int ss_synth_csv_field(struct ss_buf *b, const char *s);

#endif
