/*
 * report_int.h - what the report's own files share, and nothing else includes:
 * the running totals a report keeps while months are added (struct
 * ss_report_acc, freed by ss_report_finish), the count per key they are made
 * of, and the steps of ss_report_finish. report.c builds the model and adds
 * months, report_tables.c finishes the tables and figures, report_grid.c
 * lays every count out as section 9's tables, report_public.c hides what a
 * public report must, report_fig.c turns figures into words.
 *
 * Ownership: a counter owns its keys (copies); an accumulator owns its
 * counters and role names. Strings returned by ss_report_dup_or_null belong
 * to the caller.
 */
#ifndef SS_REPORT_INT_H
#define SS_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "map.h"

#include "report.h"

/* ---- the paragraphs the text and HTML renderers share (marked N_: pot.sh
 * reads headers too) ---- */
#define PUBLIC_NOTE                                                                                \
	N_("[c] marks a count kept confidential. Reviewers' findings, corrections and responses "  \
	   "from 1 to %u are hidden, and so are further counts until no hidden count can be "      \
	   "narrowed down to a range less than %u wide from anything else this report shows; a "   \
	   "percentage, rate or estimate resting on a hidden count is left out. The "              \
	   "population's figures are public already and shown in full. Reviewers' notes, the "     \
	   "follow-up list's record ids, officer pseudonyms and per-reviewer figures are not "     \
	   "included.")
#define EVERY_PCT                                                                                  \
	N_("Every percentage stands beside its count. A percentage resting on fewer than 10 "      \
	   "records says so: one record more or less can change it a lot.")
#define RATE_NOTE                                                                                  \
	N_("The rate counts searches in the months covered (not per year). The ratio compares "    \
	   "each group's rate with the rate for White residents: 2.00 means twice as likely to "   \
	   "be searched.")
#define AGREEMENT_NOTE                                                                             \
	N_("On the question \"%s\", for the records both roles answered. Where several members "   \
	   "of a role reviewed a record, the answer most of them gave counts; an even split "      \
	   "leaves the record out (\"ties\"). Cohen's kappa is agreement beyond what chance "      \
	   "would give: 1 is full agreement, 0 no better than chance; it is undefined when both "  \
	   "roles gave one and the same answer every time.")
#define CORRECTIONS_NOTE                                                                           \
	N_("Outcomes are set at the time of the search; the force corrects them later (a lab "     \
	   "result, a charge). The records keep the original; this is the change.")
#define FOLLOW_PUBLIC                                                                              \
	N_("Searches on the follow-up list: %s; with the force's response: %s (responses: %s). "   \
	   "Record ids, officers and notes are left out of the public version.")
#define FOLLOW_NONE                                                                                \
	N_("No reviewer judged a search's grounds not reasonable or raised a concern about its "   \
	   "conduct.")
#define FOLLOW_NOTE                                                                                \
	N_("Searches a reviewer judged not reasonable (grounds) or raised concerns about "         \
	   "(conduct), with who said so, and what the force did about each.")
#define FOLLOW_COUNT(items, responses)                                                             \
	((items) == 1                                                                              \
	     ? ((responses) == 1 ? N_("%zu item; %zu with a response (%zu response); %zu "         \
	                              "awaiting a response.")                                      \
	                         : N_("%zu item; %zu with a response (%zu responses); %zu "        \
	                              "awaiting a response."))                                     \
	     : ((responses) == 1 ? N_("%zu items; %zu with a response (%zu response); %zu "        \
	                              "awaiting a response.")                                      \
	                         : N_("%zu items; %zu with a response (%zu responses); %zu "       \
	                              "awaiting a response.")))
#define ESTIMATES_NOTE                                                                             \
	N_("What each role found on the randomly chosen searches (the random core of the "         \
	   "sample), as an estimate for all the searches, with a 95%% interval: the true share "   \
	   "lies in it 19 times in 20. Targeted searches (chosen because of a rule) are reported " \
	   "apart and never counted in.")

/* ---- a count per key (or key pair) ---- */

/* The project's hash map (map.h), each pair packed into one key it copies;
 * zeroed is empty. */
struct ss_report_counter {
	struct ss_map *m; /* NULL until the first add */
};

/* Add `by` to the count of (k1, k2); a NULL key is a blank. 0 or SS_ENOMEM. */
int ss_report_counter_add(struct ss_report_counter *c, const char *k1, const char *k2, size_t by);
size_t ss_report_counter_get(const struct ss_report_counter *c, const char *k1, const char *k2);
/* The number of key pairs counted. */
size_t ss_report_counter_size(const struct ss_report_counter *c);
/* Every pair once, in no particular order: start with *pos = 0; false after
 * the last. The keys are the counter's, valid until it is released. */
bool ss_report_counter_next(const struct ss_report_counter *c, size_t *pos, const char **k1,
                            const char **k2, size_t *count);
void ss_report_counter_release(struct ss_report_counter *c);

/* ---- small helpers ---- */

/* Are two keys (NULL: blank) the same? */
bool ss_report_str_eq(const char *a, const char *b);
/* A copy of s, or NULL for NULL; *err set to SS_ENOMEM when out of memory. */
char *ss_report_dup_or_null(const char *s, int *err);
/* Make room for one more element in *v (n used of *cap); new room is zeroed. */
int ss_report_grow(void *v, size_t *cap, size_t n, size_t size);
/* Append a copy of s. */
int ss_report_strv_push(char ***v, size_t *n, const char *s);
/* A stratum key (compact JSON array) in words: values joined with " / ",
 * blank as "(blank)". Caller frees; NULL when out of memory. */
char *ss_report_stratum_label(const char *json);
/* Sort order of keys for people: values in byte order, blank last. */
int ss_report_key_cmp(const char *a, const char *b);

/* ---- running totals ---- */

/* The answers of one role to one question: [0] by answer, [1..3] by area,
 * ethnicity, legislation (k1 the record's value, k2 the answer). */
struct ss_report_qacc {
	struct ss_report_counter c[4];
};

struct ss_report_racc {
	char *name;
	bool reviewing; /* a reviewing role of the policy (takes part in agreement) */
	size_t verdicts;
	struct ss_report_qacc *q; /* one per policy question */
	size_t assigned, reviewed, waived, missing;
	size_t months; /* months with a sample naming this role */
};

struct ss_report_acc {
	struct ss_report_counter by[SS_REPORT_NBY];
	struct ss_report_counter census; /* (area, ethnicity) */
	size_t searches, strip, linked, strip_blank, linked_blank;
	struct ss_report_racc *roles;
	size_t nroles, roles_cap;
	/* agreement among the policy's reviewing roles, in role order */
	int question;       /* index of the agreement question, -1 none */
	size_t *pair_cells; /* npairs x nv x nv */
	size_t *pair_ties;
	size_t npairs;
	size_t *pair_a, *pair_b; /* role indices */
	/* corrections */
	struct ss_report_counter fix_outcome, fix_linked;
	size_t ncorrections, ncorrected;
	size_t pos_gained, pos_lost, link_gained, link_lost;
	/* corrections that filled in a blank, or blanked a value */
	size_t outcome_filled, outcome_emptied, link_filled, link_emptied;
	size_t progress_cap, samples_cap, follow_cap, notes_cap, est_cap, trend_cap;
	struct ss_report_estacc *est; /* report_est.c's cells, for the range */
};

/* The breakdowns of the population, and of findings. */
extern const enum ss_field ss_report_by_field[SS_REPORT_NBY];
extern const char *const ss_report_by_title[SS_REPORT_NBY];
extern const enum ss_field ss_report_find_field[3];
extern const char *const ss_report_find_title[3];

/* The running totals of a role (create: add it when missing; *out NULL when not). */
int ss_report_find_role(struct ss_report *r, const char *name, bool create,
                        struct ss_report_racc **out);
/* Add a caveat once (the same text twice is kept once). */
int ss_report_add_caveat(struct ss_report *r, const char *fmt, ...) SS_PRINTF(2, 3);

/* ---- finishing (report_tables.c), in this order ---- */

int ss_report_finish_population(struct ss_report *r);
int ss_report_finish_census(struct ss_report *r);
int ss_report_finish_findings(struct ss_report *r);
int ss_report_finish_agreement(struct ss_report *r);
int ss_report_finish_corrections(struct ss_report *r);
int ss_report_finish_progress(struct ss_report *r);
/* Rates and ratios, after public suppression decided which counts show. */
void ss_report_census_rates(struct ss_report *r);

/* ---- estimates and trend (report_est.c) ---- */

struct ss_report_estacc;
/* After a month's verdicts are in: its estimates (when the design has a
 * core) and, for a range, its trend row. */
int ss_report_est_add_month(struct ss_report *r, const char *month, const struct ss_population *pop,
                            const struct ss_sample *s, const struct ss_report_design *d,
                            const struct ss_month_state *st);
/* The range's estimates; public hiding. */
int ss_report_est_finish(struct ss_report *r);
void ss_report_est_free(struct ss_report *r);

/* ---- the counts as section 9's tables (report_grid.c) ---- */

/* r->grids and r->relations from the finished figures. */
int ss_report_grids(struct ss_report *r);
void ss_report_grids_free(struct ss_report *r);

/* ---- the HTML report's look (report_style.c) ---- */

/* An estimate drawn with its interval (nothing when withheld or none): a
 * scale from 0% to 100%, the interval as a bar, the estimate as a dot. */
int ss_report_html_interval(const struct ss_report *r, const struct ss_report_estimate *e,
                            struct ss_buf *b);

/* ---- a public report (report_public.c) ---- */

/* Hide small counts, and what would give them away by subtraction. */
int ss_report_suppress(struct ss_report *r);

#endif
