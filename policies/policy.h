/*
 * policy.h - a group's policy (format ssaudit-policy-v2, DESIGN.md section 7;
 * a ssaudit-policy-v1 file still loads, with v1's defaults): parsed and
 * validated into a struct, nothing more.
 *
 * Ownership: ss_policy_parse() returns a struct ss_policy the caller frees with
 * ss_policy_free(); every pointer inside it is owned by it and borrowed by
 * everyone else.
 */
#ifndef SS_POLICY_H
#define SS_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "lang.h"
#include "record.h"

/* What a role may do. */
enum ss_may {
	SS_MAY_IMPORT = 1u << 0,
	SS_MAY_SAMPLE = 1u << 1,
	SS_MAY_REVIEW = 1u << 2,
	SS_MAY_ENTER_FOR = 1u << 3,
	SS_MAY_CORRECT = 1u << 4,
	SS_MAY_CLOSE = 1u << 5,
	SS_MAY_POLICY = 1u << 6,
	SS_MAY_RESPOND = 1u << 7,
	SS_MAY_REVEAL = 1u << 8
};

/* A text for people in each language the policy gives: a plain JSON string is
 * English; {"en": ..., "cy": ...} gives both (en required). en is NULL when no
 * wording was given at all; cy is NULL when there is no Welsh. */
struct ss_wording {
	char *en;
	char *cy;
};

/* A value an always-rule compares with: a string, a boolean, or null. */
struct ss_rule_value {
	enum { SS_RV_NULL, SS_RV_STRING, SS_RV_BOOL } kind;
	const char *s; /* SS_RV_STRING */
	bool b;        /* SS_RV_BOOL */
};

struct ss_rule {
	enum ss_field field;
	enum { SS_RULE_EQUALS, SS_RULE_IN, SS_RULE_CONTAINS } op;
	struct ss_rule_value *values; /* one for equals and contains */
	size_t nvalues;
	struct ss_wording label; /* what the report and warnings call it; en NULL when none */
};

enum ss_reviews { SS_REVIEWS_NONE, SS_REVIEWS_ALL, SS_REVIEWS_COUNT, SS_REVIEWS_RATE };

struct ss_role {
	char *name;
	unsigned may; /* enum ss_may bits */
	enum ss_reviews reviews;
	unsigned reviews_count; /* SS_REVIEWS_COUNT */
	unsigned reviews_bp;    /* SS_REVIEWS_RATE: rate x 100 */
	char **registers;       /* roles this role may register */
	size_t nregisters;
	char **enter_for; /* roles this role may enter verdicts for */
	size_t nenter_for;
};

struct ss_question {
	char *id;          /* names the review option and the worksheet column */
	char *question;    /* its English wording */
	char *question_cy; /* its Welsh wording; NULL when none */
	char **values;
	size_t nvalues;
	struct ss_wording *value_words; /* nvalues of them; en NULL where none was given */
	bool required;
};

/* Census residents of one area (NULL: the whole force) and ethnicity group. */
struct ss_census {
	char *area;
	char *ethnicity; /* officer-defined ethnicity group, e.g. "White" */
	unsigned long residents;
};

struct ss_policy {
	unsigned format; /* 1 or 2: the file's ssaudit-policy-vN */
	char *name;
	char *description; /* optional free text; NULL when absent */
	char *rate;        /* as written, e.g. "25%" */
	unsigned rate_bp;  /* rate x 100, e.g. 2500 */
	char *random; /* sample.random as written; NULL when absent (a v1 file, or an older v2) */
	unsigned random_bp; /* the random core x 100: random's, or rate_bp when absent */
	enum ss_field *strata;
	size_t nstrata;
	struct ss_rule *always;
	size_t nalways;
	struct ss_role *roles;
	size_t nroles;
	struct ss_question *questions;
	size_t nquestions;
	char **outcomes; /* outcomes.values: what a correction may set (v1: data.police.uk's) */
	size_t noutcomes;
	struct ss_wording *outcome_words; /* noutcomes of them */
	char **positive;                  /* outcome values that count as a positive search */
	size_t npositive;
	char **follow_up; /* answer values that put a record on the follow-up list */
	size_t nfollow_up;
	char **responses; /* what a `respond` may record */
	size_t nresponses;
	struct ss_wording *response_words; /* nresponses of them */
	bool officer_pseudonymised;
	bool blind;
	struct ss_census *census;
	size_t ncensus;
	char *census_source; /* population.source: where the figures come from; NULL when absent */
	unsigned public_min; /* smallest count a public report shows (default 5) */
};

/*
 * Parse and validate a policy. On a problem returns SS_ECONFIG with a message
 * naming the file and the key ("FILE: sample.rate: ..." or with line and
 * column for JSON syntax errors).
 */
int ss_policy_parse(const char *data, size_t len, const char *name, struct ss_policy **out);
int ss_policy_load(const char *path, struct ss_policy **out);
void ss_policy_free(struct ss_policy *p);

/* Borrowed lookups; NULL when absent. */
const struct ss_role *ss_policy_role(const struct ss_policy *p, const char *name);
const struct ss_question *ss_policy_question(const struct ss_policy *p, const char *id);

bool ss_role_may(const struct ss_role *r, enum ss_may what);
bool ss_role_registers(const struct ss_role *r, const char *role);
bool ss_role_enters_for(const struct ss_role *r, const char *role);
/* "an" before a role name starting with a vowel ("an independent-inspector"),
 * else "a" ("a qa-panel"): the one place messages choose the article. */
const char *ss_role_a_an(const char *role);
/* A role as a sentence for people names it: the id itself in English (the
 * name typed after --role); in Welsh the shipped policies' roles in words
 * ("Panel Sicrhau Ansawdd" for qa-panel), any other role its id. Borrowed. */
const char *ss_role_words(const char *role);
/* The same in a given language (a bilingual report's Welsh and English halves). */
const char *ss_role_words_in(const char *role, enum ss_lang lang);
bool ss_policy_outcome_positive(const struct ss_policy *p, const char *outcome);

/* Does an always-rule match this record (typed comparison, DESIGN.md section 6)? */
bool ss_rule_matches(const struct ss_rule *rule, const struct ss_record *r);

/* Parse a rate "R%" (DESIGN.md section 6 pattern) into basis points; 0 or SS_ECONFIG. */
int ss_rate_parse(const char *s, unsigned *bp);

/* Handles and role names: [a-z0-9][a-z0-9-]{0,31}. */
bool ss_name_valid(const char *s);

/* A value in words: quoted, 'Arrest' or blank (for sentences); else Arrest
 * or (blank) (for tables). Cut to fit n bytes. */
void ss_rule_value_words(const struct ss_rule_value *v, bool quoted, char *out, size_t n);
/* Same kind and same value. */
bool ss_rule_value_equal(const struct ss_rule_value *a, const struct ss_rule_value *b);
/* Does a value of a rule match this record's field (typed, as ss_rule_matches)? */
bool ss_rule_value_matches(const struct ss_rule_value *v, enum ss_field f,
                           const struct ss_record *r);

/* The wording for lang ("en" or "cy"; anything else is English), falling
 * back to English, then to fallback (e.g. the value itself). Borrowed. */
const char *ss_wording_get(const struct ss_wording *w, const char *lang, const char *fallback);
/* A rule in words for warnings ("the strip-search rule" needs a label;
 * without one: "rule 1 (removal_of_more_than_outer_clothing)"), English. */
void ss_rule_words(const struct ss_policy *p, size_t rule, char *out, size_t n);
bool ss_policy_outcome_known(const struct ss_policy *p, const char *outcome);
bool ss_policy_follow_up(const struct ss_policy *p, const char *answer);
bool ss_policy_response_known(const struct ss_policy *p, const char *action);
/* The value of q an answer written by a person stands for: a value itself, or
 * a value's wording in English or Welsh (ASCII case, and a typographic
 * apostrophe for a straight one, ignored in wordings); NULL when it is none of
 * them. Borrowed from q. */
const char *ss_question_value_of(const struct ss_question *q, const char *answer);
/* A response value in words for lang (its wording, else the value). Borrowed. */
const char *ss_policy_response_words(const struct ss_policy *p, const char *action,
                                     const char *lang);
/* The warning a policy without sample.random deserves (NULL when it has one):
 * English, marked for the catalogue; print it with _(). */
const char *ss_policy_random_warning(const struct ss_policy *p);

/* Is this field named by an always-rule or the strata (so sample.json counts its blanks)? */
bool ss_policy_field_used(const struct ss_policy *p, enum ss_field f);

#endif
