/*
 * report.h - the findings of a month or a range of months (DESIGN.md
 * section 9): every figure computed into one struct ss_report, and four
 * renderers (text, JSON, CSV, HTML) that only turn that struct into bytes.
 * Nothing here prints; the command layer writes what the renderers return.
 *
 * Building: ss_report_new(), then ss_report_add_month() for each month of
 * the range in order (or ss_report_load_month() to read it from a trail),
 * then ss_report_finish(), which sorts the tables and, for a public report,
 * hides small counts and drops what a public report leaves out. A month is
 * added and can be freed before the next is loaded, so a range of large
 * months is never in memory at once.
 *
 * Ownership: a struct ss_report owns every string and array inside it and is
 * freed with ss_report_free() (NULL is a no-op). The policy passed to
 * ss_report_new() is borrowed and must outlive the report; what is passed to
 * ss_report_add_month() is borrowed only during the call.
 *
 * Small numbers: every share keeps its count and denominator (struct
 * ss_report_fig); a share whose denominator is below 10 is flagged "fewer
 * than 10 records". In a public report every count is a cell or total of a
 * table (struct ss_report_grid, report_grid.c); the protected ones (findings,
 * corrections, responses) from 1 to public_min - 1 are hidden, and further
 * ones until no hidden count can be narrowed below public_min (disclose.c,
 * proved by linear programming); hidden counts read "[c]", and every share,
 * kappa or estimate resting on one is withheld. The population's tables are
 * public already and shown in full.
 *
 * JSON (ss_report_json), format "ssaudit-report-v1". Keys are always present
 * (a left-out section is null, never absent), in this order:
 *
 *   {"format": "ssaudit-report-v1",
 *    "title": string, "policy": string, "public": bool, "public_min": int,
 *    "months": {"from": "YYYY-MM", "to": "YYYY-MM", "with_data": [month...],
 *               "without_data": [month...], "not_sampled": [month...]},
 *    "caveats": [string...],
 *    "population": {"searches": FIG, "positive": FIG, "strip_searches": FIG,
 *                   "children": FIG, "linked": FIG,
 *                   "breakdowns": [TABLE...]   (area, type, legislation,
 *                       object_of_search, outcome, officer_defined_ethnicity,
 *                       age_range, gender; denominator: all searches),
 *                   "census": null | {"source": string|null,
 *                       "rates": [{"area": string|null (null: the whole force),
 *                                  "ethnicity": string, "residents": int,
 *                                  "searches": FIG, "per_1000": number|null,
 *                                  "ratio_to_white": number|null,
 *                                  "fewer_than_10": bool}...],
 *                       "searches_outside_groups": FIG}},
 *    "sample": [{"month", "seed", "seed_source": "given"|"generated", "rate",
 *                "policy_matches": bool, "sampled": FIG, "always": FIG,
 *                "core": FIG, "targeted": FIG, "not_reached": FIG (v1: 0),
 *                "warnings": [string...] (section 6's, from the sample's policy),
 *                "strata": [{"key": [value...], "label": string,
 *                            "population": FIG, "core": FIG, "always": FIG,
 *                            "targeted": FIG, "not_reached": FIG, "drawn": FIG}...],
 *                "blanks": [{"field": string, "count": FIG}...]}...],
 *    "progress": [{"role", "month": "YYYY-MM"|null (null: the whole range),
 *                  "assigned": FIG, "reviewed": FIG, "waived": FIG,
 *                  "missing": FIG}...],
 *    "findings": [{"role", "verdicts": FIG, "questions": [{"id", "question",
 *                  "answers": TABLE, "by": [TABLE...] (area,
 *                  officer_defined_ethnicity, legislation: key the
 *                  breakdown's value, subkey the answer, denominator the
 *                  answers in that key)}...]}...],
 *    "agreement": {"question": string|null, "values": [string...],
 *                  "pairs": [{"roles": [a, b], "records": FIG,
 *                             "agreeing": FIG (denominator: records),
 *                             "kappa": number|null (3 decimals),
 *                             "kappa_exact": "NUM/DEN"|null,
 *                             "kappa_defined": bool,
 *                             "ties_dropped": FIG,
 *                             "table": [{"a": value, "b": value, "count": FIG}...]}...]},
 *    "corrections": {"corrections": FIG, "records": FIG,
 *                    "outcome": TABLE (key from, subkey to),
 *                    "linked": TABLE (key from, subkey to: "true"|"false"|null),
 *                    "positive_recorded": FIG, "positive_corrected": FIG,
 *                    "linked_recorded": FIG, "linked_corrected": FIG},
 *    "follow_up": {"items": FIG, "responded": FIG, "responses": FIG} (public:
 *                 counts only, protected as tables) | [{"month", "id", "area", "legislation",
 *                   "outcome", "officer": string|null,
 *                   "datetime": string|null (as recorded),
 *                   "when": string|null (UK local time, in words),
 *                   "flags": [{"role", "reviewer", "question", "answer"}...],
 *                   "responses": [{"number", "action", "wording", "note", "by",
 *                                  "role", "date": "YYYY-MM-DD" (UK) | null}...],
 *                   "awaiting": bool, "closed": bool,
 *                   "days_since_close": int|null (awaiting in a closed month)}...],
 *    "notes": null (public) | [{"month", "id", "role", "reviewer", "note"}...],
 *    "estimates": [...], "months_without_core": [...], "trend": null | [...]
 *       (README.md, "The report"),
 *    "tables": [{"id", "universe", "rows": [label|null...], "cols": [...],
 *                "cells": [[int|null...]...], "row_totals": [int|null...],
 *                "col_totals": [...], "total": int|null}...],
 *    "known_margins": [{"table", "axis": "row"|"col"|"total", "label"?,
 *                       "value"}...],
 *    "relations": [{"terms": [{"table", "row"?, "col"?, "coef"}...],
 *                   "const"}...]}
 *   (top level also has "min_count", the same as public_min.)
 *
 *   FIG   = {"count": int|null, "shown": string, "denominator": int|null,
 *            "percent": number|null, "fewer_than_10": bool, "hidden": bool}
 *           count is null when hidden, and shown is then "[c]" (small, or
 *           hidden so that a small one cannot be narrowed down); denominator
 *           is null when
 *           the figure is not a share or the denominator is hidden; percent
 *           has one decimal and is null when withheld or not a share.
 *           recorded and not_recorded are set for a share of a field over
 *           the records where it is recorded (null otherwise): a field blank
 *           in every record has recorded 0, count, denominator and percent
 *           null, and shown "not recorded" - never 0%.
 *   TABLE = {"name": string, "title": string, "rows": [{"key": string|null,
 *            "subkey": string|null, FIG's members...}...]}
 *           A null key or subkey is a blank value.
 *
 * CSV (ss_report_csv): RFC 4180, CRLF, a header and one row per figure with
 * nine columns: section,month,breakdown,key,subkey,count,denominator,percent,value
 * (month is YYYY-MM, or FROM..TO for a figure over the range; count "[c]" when
 * hidden; value carries what is not a count: rates, ratios, kappa, seeds).
 */
#ifndef SS_REPORT_H
#define SS_REPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "lang.h"
#include "estimate.h"
#include "policy.h"
#include "record.h"
#include "sample.h"
#include "trail.h"
#include "month.h"
#include "verdict.h"

#define SS_REPORT_FORMAT "ssaudit-report-v1"
/* A share resting on fewer records than this says so. */
#define SS_REPORT_FEW 10
/* The longest range a report covers, in months. */
#define SS_REPORT_MAX_MONTHS 600

/* A count, and what it is a share of. */
struct ss_report_fig {
	size_t count;
	size_t denom; /* 0: not a share */
	bool hidden;  /* public: the count is shown as "<public_min" */
	bool denom_hidden;
	bool pct_hidden; /* public: no percentage */
	/* A share of a field over the records where it is recorded: denom is
	 * the recorded count (0: blank in every record, "not recorded") and
	 * unrecorded the records where it is blank. */
	bool field;
	size_t unrecorded;
	bool unrecorded_hidden; /* public: the blank count is hidden ("[c]") */
};

struct ss_report_row {
	char *key;    /* NULL: blank */
	char *subkey; /* cross tables only; NULL: blank */
	struct ss_report_fig fig;
};

struct ss_report_table {
	char *name;  /* stable id: "area", "outcome", ... */
	char *title; /* in words */
	bool cross;  /* rows have a subkey; a group is the rows sharing a key */
	struct ss_report_row *rows;
	size_t nrows;
};

/* Searches per 1,000 residents of one census group. */
struct ss_report_rate {
	char *area; /* NULL: the whole force */
	char *ethnicity;
	unsigned long residents;
	struct ss_report_fig searches;
	bool rate_defined;               /* residents > 0 and not hidden */
	unsigned long long per1000_x100; /* rate x 100, rounded half up */
	bool ratio_defined;              /* and the White rate of the same scope is > 0 and shown */
	unsigned long long ratio_x100;   /* ratio to the White rate x 100, rounded half up */
	bool few;                        /* this group or White has fewer than 10 searches */
};

struct ss_report_stratum {
	char *key;   /* compact JSON array, as in sample.json */
	char *label; /* its values joined with " / ", blank as "(blank)" */
	struct ss_report_fig population, always, drawn;
	/* v2 (counts 0 in v1): the random core, the always-records added
	 * outside it, the always-records the rate left out. */
	struct ss_report_fig core, targeted, not_reached;
};

struct ss_report_blank {
	char *field;
	struct ss_report_fig count;
};

struct ss_report_sample {
	char *month;
	char *seed;
	bool generated;
	char *rate;
	bool policy_matches;          /* sampled under the policy this report reads */
	struct ss_report_fig sampled; /* of the month's searches */
	unsigned version;             /* ssaudit-sample-vN */
	struct ss_report_fig always;  /* of the sampled (v1 only: v2 shows the three below) */
	struct ss_report_fig core, targeted; /* of the sampled */
	struct ss_report_fig not_reached;    /* always-records left out (no denominator) */
	struct ss_report_stratum *strata;
	size_t nstrata;
	struct ss_report_blank *blanks;
	size_t nblanks;
	char **warnings; /* section 6's, in words, from the policy of the sample's digest */
	size_t nwarnings;
};

struct ss_report_progress {
	char *role;
	char *month;                                              /* NULL: the whole range */
	struct ss_report_fig assigned, reviewed, waived, missing; /* shares of assigned */
};

struct ss_report_qfind {
	char *id;
	char *question;
	struct ss_report_table answers; /* key: the answer; denominator: answers given */
	struct ss_report_table by[3];   /* area, officer_defined_ethnicity, legislation */
};

struct ss_report_findings {
	char *role;
	struct ss_report_fig verdicts;
	struct ss_report_qfind *questions;
	size_t nquestions;
};

struct ss_report_pair {
	char *role_a, *role_b;
	struct ss_report_fig records;  /* records both roles answered (modal answers) */
	struct ss_report_fig agreeing; /* of records */
	struct ss_report_fig ties;     /* records dropped: a role's reviewers split evenly */
	/* kappa = kappa_num / kappa_den exactly; kappa_den 0: undefined. */
	long long kappa_num, kappa_den;
	bool kappa_defined;
	bool kappa_hidden;               /* public: rests on hidden counts */
	size_t *cells;                   /* nvalues x nvalues: a's answer (row) by b's */
	struct ss_report_fig *cell_figs; /* the same, as figures (for suppression) */
};

struct ss_report_agreement {
	char *question; /* NULL when the policy has no questions */
	char **values;
	size_t nvalues;
	struct ss_report_pair *pairs;
	size_t npairs;
};

struct ss_report_corrections {
	struct ss_report_fig corrections; /* correction files */
	struct ss_report_fig records;     /* records with at least one */
	struct ss_report_table outcome;   /* imported -> current, where they differ */
	struct ss_report_table linked;
	struct ss_report_fig positive_recorded, positive_corrected;
	struct ss_report_fig linked_recorded, linked_corrected;
};

struct ss_report_flag {
	char *role, *reviewer, *question, *answer;
};

/* The force's response to a follow-up item (a responses/ file). */
struct ss_report_response {
	unsigned number;
	char *action, *note, *by;
	char *role;   /* the Ssaudit-Role of its commit; NULL when not found */
	int64_t when; /* its commit time; 0 when not found */
};

struct ss_report_followup {
	char *month, *id, *area, *legislation, *outcome, *officer;
	char *datetime; /* as recorded (NULL: blank) */
	char *when;     /* the same in UK local time, for people (NULL: blank) */
	struct ss_report_flag *flags;
	size_t nflags;
	struct ss_report_response *responses; /* oldest first */
	size_t nresponses;
	bool closed;       /* the month is signed off */
	int64_t closed_at; /* when it was last closed (commit time); 0 when open or not found */
	long days;         /* without a response: whole days since closed_at; -1 when unknown */
};

struct ss_report_note {
	char *month, *id, *role, *reviewer, *note;
};

/*
 * A role's finding as an estimate for all of a month's (or the range's)
 * searches, from its modal answers on core records (DESIGN.md section 9).
 * For answer `answer` of `question`: e.yes-weighted proportion and interval
 * (see estimate.h), `yes` of e.n answered core records gave it; strata the
 * role's answers did not reach are listed (keys as compact JSON arrays; for a
 * range [month, ...key]); targeted reviews are counted apart, never mixed in.
 */
struct ss_report_estimate {
	char *month; /* NULL: the whole range */
	char *role, *question, *answer;
	struct ss_estimate e;
	size_t yes;
	char **missing; /* strata not reached */
	size_t nmissing;
	size_t targeted, targeted_yes; /* targeted records answered, and how many gave it */
	bool hidden;                   /* public: rests on a count below public_min */
};

/* One month of a range (DESIGN.md section 9's trend). */
struct ss_report_trend {
	char *month;
	struct ss_report_fig searches, positive_recorded, positive_corrected, sampled, reviewed;
	bool estimated; /* a sample with a random core: estimates exist */
};

/*
 * What an estimate needs of a month's sample: which sampled records are in
 * the random core, and each stratum's searches. ss_report_add_month gets it
 * from the sample through one adapter (ss_report_design_of); a test may pass
 * one by hand to ss_report_add_month_design.
 */
struct ss_report_design {
	bool core_known;          /* a sample with a random core (ssaudit-sample-v2) */
	const bool *core;         /* per sample record, in the sample's order */
	const size_t *population; /* per sample stratum, in the sample's order */
};

enum {
	SS_REPORT_BY_AREA,
	SS_REPORT_BY_TYPE,
	SS_REPORT_BY_LEGISLATION,
	SS_REPORT_BY_OBJECT,
	SS_REPORT_BY_OUTCOME,
	SS_REPORT_BY_ETHNICITY,
	SS_REPORT_BY_AGE,
	SS_REPORT_BY_GENDER,
	SS_REPORT_NBY
};

/*
 * The report's counts as tables of DESIGN.md section 9 (the JSON's `tables`):
 * every count the report shows is a cell or a total of one. A cell points at
 * the figures that show it (NULL: shown nowhere else); `denom` says which
 * total is its figures' denominator (0 none, 1 its row's, 2 its column's, 3
 * the grand total). Built for every report; a public report decides from
 * them what to hide (report_public.c).
 */
struct ss_report_gcell {
	size_t value;
	bool hidden;
	unsigned char denom;
	struct ss_report_fig *fig[2];
	size_t var; /* the figure's number in the disclosure problem */
};

struct ss_report_grid {
	char *id;
	char *universe;               /* tables of one universe have one grand total */
	bool exempt;                  /* public already (population, residents, sample, progress) */
	bool known_rows, known_total; /* margins an attacker computes from public data */
	char **rows, **cols;          /* labels; NULL: "not recorded" */
	size_t nrows, ncols;
	struct ss_report_gcell *cells; /* nrows x ncols, row by row */
	struct ss_report_gcell *row_totals, *col_totals, total;
};

/* One term of a relation: a cell (row and col), a row's total (col -1), a
 * column's total (row -1) or the grand total (both -1). */
struct ss_report_term {
	size_t grid;
	long row, col;
	double coef;
};

/* Sum of coef x figure over the terms equals constant. */
struct ss_report_relation {
	struct ss_report_term *terms;
	size_t nterms;
	double constant;
};

struct ss_report_acc;

struct ss_report {
	char *title;
	char *policy_name;
	char from[8], to[8];
	char *range; /* "YYYY-MM" or "YYYY-MM..YYYY-MM" */
	bool public;
	unsigned public_min;
	char **months_data, **months_missing, **months_unsampled;
	size_t nmonths_data, nmonths_missing, nmonths_unsampled;
	char **caveats;
	size_t ncaveats;
	char **caveats_cy; /* the caveats in Welsh (English when lang is en), for people */

	/* the population */
	struct ss_report_fig searches, positive, strip, children, linked;
	struct ss_report_table by[SS_REPORT_NBY];
	bool census;
	char *census_source;
	struct ss_report_rate *rates;
	size_t nrates;
	struct ss_report_fig outside_groups;

	struct ss_report_sample *samples;
	size_t nsamples;
	struct ss_report_progress *progress;
	size_t nprogress;
	struct ss_report_findings *findings;
	size_t nfindings;
	struct ss_report_agreement agreement;
	struct ss_report_corrections corrections;
	struct ss_report_followup *followups; /* public: collected, never shown */
	size_t nfollowups;
	struct ss_report_fig followup_items; /* searches on the follow-up list */
	/* Of those, the items with at least one response, and the responses (not
	 * in the public report, where they are not yet a protected table). */
	size_t followup_responded, followup_responses;
	/* The same two as figures, protected in the public report. */
	struct ss_report_fig followup_answered, followup_given;
	struct ss_report_note *notes; /* public: none */
	size_t nnotes;
	struct ss_report_estimate *estimates; /* per month, then the range's */
	size_t nestimates;
	char **months_v1; /* sampled months without a random core: no estimate */
	size_t nmonths_v1;
	struct ss_report_trend *trend; /* a range only; one row per month with data */
	size_t ntrend;

	struct ss_report_grid *grids; /* every count, as section 9's tables */
	size_t ngrids;
	struct ss_report_relation *relations;
	size_t nrelations;

	const struct ss_policy *policy;
	struct ss_report_acc *acc; /* private: running totals until ss_report_finish */
	/* Blind review (blind.h): who reads the report (NULL: nobody in
	 * particular; borrowed, set before loading months). ss_report_load_month
	 * leaves out the verdicts on records the reader has still to review, and
	 * a caveat says so. */
	const char *reader;
	/* The language of the words (never of JSON keys or CSV column ids):
	 * English, Welsh, or both (Welsh first). */
	enum ss_lang lang;
};

/* Parse "YYYY-MM" or "YYYY-MM..YYYY-MM" (from not after to, at most
 * SS_REPORT_MAX_MONTHS months); SS_EUSAGE in words otherwise. */
int ss_report_range(const char *spec, char from[8], char to[8]);
/* The month after m (both "YYYY-MM"). */
void ss_report_next_month(char m[8]);

int ss_report_new(const struct ss_policy *pol, const char *title, const char *from, const char *to,
                  bool public, struct ss_report **out);
/*
 * Add one month. pop NULL: not imported (listed as without data); sample NULL:
 * not sampled; st NULL: nothing recorded. policy_matches: the month was
 * sampled under the policy given to ss_report_new (else a caveat says so).
 */
int ss_report_add_month(struct ss_report *r, const char *month, const struct ss_population *pop,
                        const struct ss_sample *sample, const struct ss_month_state *st,
                        bool policy_matches);
/* The same with the sample's design given (see struct ss_report_design);
 * design NULL: read it from the sample. */
int ss_report_add_month_design(struct ss_report *r, const char *month,
                               const struct ss_population *pop, const struct ss_sample *sample,
                               const struct ss_report_design *design,
                               const struct ss_month_state *st, bool policy_matches);
/* The same with the policy of the sample's digest given (for its warnings;
 * NULL: the report's policy when policy_matches, else no warnings). */
int ss_report_add_month_policy(struct ss_report *r, const char *month,
                               const struct ss_population *pop, const struct ss_sample *sample,
                               const struct ss_month_state *st, bool policy_matches,
                               const struct ss_policy *sample_policy);
/* The adapter: a sample's design. *free_me is what to free() after use. */
int ss_report_design_of(const struct ss_sample *s, struct ss_report_design *d, void **free_me);
/* An estimate in words a lay reader understands, e.g. "the qa-panel judged 3
 * of 20 randomly chosen searches 'not-reasonable': about 15% of the month's
 * searches outside Ceredigion (95% interval 4% to 36%)"; in the report's
 * language, for cy+en the Welsh, sep and the English. */
void ss_report_estimate_text(const struct ss_report *r, const struct ss_report_estimate *e,
                             const char *sep, char *out, size_t n);
/* Short: "15% (4% to 36%)", "withheld" or "no estimate" (r NULL: English,
 * for CSV; else in the report's language). */
void ss_report_estimate_short(const struct ss_report *r, const struct ss_report_estimate *e,
                              char *out, size_t n);
/* The month's (NULL: the range's) estimate of role, question, answer; NULL if none. */
const struct ss_report_estimate *ss_report_estimate_find(const struct ss_report *r,
                                                         const char *month, const char *role,
                                                         const char *question, const char *answer);
/* Read a month at a commit and add it; policy_sha256 is the digest of the
 * policy the report reads. Its population streams in with only the fields a
 * report reads; progress (may be NULL) hears how many records are read. Under
 * a blind policy, the verdicts r->reader has still to make are left out (with
 * a caveat). */
int ss_report_load_month(struct ss_report *r, struct ss_trail *t, const struct ss_oid *commit,
                         const char *month, const char *policy_sha256,
                         void (*progress)(void *arg, size_t records, bool done),
                         void *progress_arg);
int ss_report_finish(struct ss_report *r);
/*
 * When the follow-up list's months were closed and its responses made (the
 * commit times, and each response's role, from the history at commit, newest
 * first, read only as far back as needed), and how many whole days each item
 * without a response has waited since its month closed, at now (unix seconds).
 */
int ss_report_follow_times(struct ss_report *r, struct ss_trail *t, const struct ss_oid *commit,
                           int64_t now);
/* The day (YYYY-MM-DD) of a moment in UK local time (out holds 11 bytes). */
void ss_report_uk_day(int64_t t, char out[11]);
void ss_report_free(struct ss_report *r);

/* msgid (a heading or label) in the report's language: English, Welsh, or
 * "Cymraeg / English"; borrowed, or written into out (n bytes). */
const char *ss_report_words(const struct ss_report *r, const char *msgid, char *out, size_t n);
/* The report's title in its language ("Adroddiad stopio a chwilio: Gorffennaf
 * 2019", or that and the English after " / "). */
void ss_report_title(const struct ss_report *r, char *out, size_t n);
/* "July 2019" in the report's language ("Gorffennaf 2019 / July 2019" for
 * cy+en), written into out. */
const char *ss_report_month_words(const struct ss_report *r, const char *ym, char *out, size_t n);
/* A stored date and time in UK local time, month named in the report's language. */
const char *ss_report_when(const struct ss_report *r, const char *iso, char *out, size_t n);

/* Words for figures, shared by the renderers. */
/* "12", or "[c]" when hidden (public). */
void ss_report_count_text(const struct ss_report *r, const struct ss_report_fig *f, char *out,
                          size_t n);
/* "30.0%", or "" when not a share or withheld. */
void ss_report_pct_text(const struct ss_report_fig *f, char *out, size_t n);
/* The share in tenths of a percent, rounded half up; false when not shown. */
bool ss_report_pct_tenths(const struct ss_report_fig *f, unsigned long long *tenths);
/* Does the share rest on fewer than SS_REPORT_FEW records (and is it shown)? */
bool ss_report_fig_few(const struct ss_report_fig *f);
/* "12 of 40 (30.0%)", "3 of 8 (37.5%) (fewer than 10 records)", "[c] of 40", "12";
 * a field share adds "; not recorded: N", or reads "not recorded (blank in
 * all N searches)" when the field is blank in every record. */
void ss_report_fig_text(const struct ss_report *r, const struct ss_report_fig *f, char *out,
                        size_t n);
/* Kappa to 3 decimals ("0.412", "-0.050"), "undefined" or "withheld". */
void ss_report_kappa_text(const struct ss_report_pair *p, char *out, size_t n);
/* x100 fixed point as "1.23". */
void ss_report_x100_text(unsigned long long v, char *out, size_t n);
/* A table key for people: the value, or "not recorded". */
const char *ss_report_key_text(const char *key);

/* For the text and HTML renderers (JSON and CSV stay English). fmt, a
 * message marked N_() with printf directives, in the report's language:
 * English, Welsh, or for cy+en the Welsh, then sep, then the English. */
void ss_report_vsay(const struct ss_report *r, const char *sep, char *out, size_t n,
                    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
void ss_report_say(const struct ss_report *r, const char *sep, char *out, size_t n, const char *fmt,
                   ...) SS_PRINTF(5, 6);
/* Caveat i in the report's language (cy+en: the Welsh, sep, the English). */
const char *ss_report_caveat(const struct ss_report *r, size_t i, const char *sep, char *out,
                             size_t n);
/* The policy's wordings in the report's language, "Cymraeg / English" for
 * cy+en, falling back to the English. A question by its id (its wording);
 * an answer, a response or an outcome by its value: an English report shows
 * answers' and outcomes' values as before, responses' English wordings. */
const char *ss_report_question_words(const struct ss_report *r, const char *qid, char *out,
                                     size_t n);
const char *ss_report_answer_words(const struct ss_report *r, const char *qid, const char *value,
                                   char *out, size_t n);
const char *ss_report_response_words(const struct ss_report *r, const char *action, char *out,
                                     size_t n);
const char *ss_report_outcome_words(const struct ss_report *r, const char *outcome, char *out,
                                    size_t n);
/* Kappa as ss_report_kappa_text, "withheld" and "undefined" in the language. */
void ss_report_kappa_words(const struct ss_report *r, const struct ss_report_pair *p, char *out,
                           size_t n);
/* "(fewer than 10 records)" in the language. */
const char *ss_report_few_words(const struct ss_report *r, char *out, size_t n);
/* A stratum's label, "(none)" and "(blank)" in the language. */
const char *ss_report_label_words(const struct ss_report *r, const char *label, char *out,
                                  size_t n);
/* A blank key in the language ("not recorded"). */
const char *ss_report_key_words(const struct ss_report *r, const char *key, char *out, size_t n);

/* Renderers: append the whole document to out. */
int ss_report_text(const struct ss_report *r, struct ss_buf *out);
int ss_report_json(const struct ss_report *r, struct ss_buf *out);
int ss_report_csv(const struct ss_report *r, struct ss_buf *out);
int ss_report_html(const struct ss_report *r, struct ss_buf *out);
/* The HTML report's style sheet (readable at 400 px, printable), for other
 * documents in the same house style (feedback sheets). */
const char *ss_report_html_style(void);

#endif
