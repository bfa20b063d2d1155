/*
 * rules.c - the act -> permission -> paths table (see rules.h).
 */
#include "rules.h"

#include <string.h>

#include "lang.h"
#include "trail.h"

#define ADD    SS_RULES_ADD
#define CHANGE SS_RULES_CHANGE
#define DELETE SS_RULES_DELETE

static const struct ss_rules_entry table[] = {
    {SS_ACTION_NONE, "", 0, SS_LAYOUT_OTHER, {{SS_LAYOUT_OTHER, 0}, {SS_LAYOUT_OTHER, 0}}},
    {SS_ACTION_UNKNOWN, "", 0, SS_LAYOUT_OTHER, {{SS_LAYOUT_OTHER, 0}, {SS_LAYOUT_OTHER, 0}}},
    /* The first commit is checked as a whole (verify's root), not path by path. */
    {SS_ACTION_INIT, "init", 0, SS_LAYOUT_OTHER, {{SS_LAYOUT_OTHER, 0}, {SS_LAYOUT_OTHER, 0}}},
    {SS_ACTION_POLICY,
     "policy",
     SS_MAY_POLICY,
     SS_LAYOUT_POLICY_FILE,
     {{SS_LAYOUT_POLICY_FILE, CHANGE}, {SS_LAYOUT_OTHER, 0}}},
    {SS_ACTION_REVIEWER_ADD,
     "reviewer-add",
     0,
     SS_LAYOUT_REVIEWER,
     {{SS_LAYOUT_REVIEWER, ADD}, {SS_LAYOUT_OTHER, 0}}},
    /* A removal keeps the file and marks it removed. */
    {SS_ACTION_REVIEWER_REMOVE,
     "reviewer-remove",
     0,
     SS_LAYOUT_REVIEWER,
     {{SS_LAYOUT_REVIEWER, CHANGE}, {SS_LAYOUT_OTHER, 0}}},
    /* --replace swaps a population not sampled yet. */
    {SS_ACTION_IMPORT,
     "import",
     SS_MAY_IMPORT,
     SS_LAYOUT_OTHER,
     {{SS_LAYOUT_POPULATION, ADD | CHANGE}, {SS_LAYOUT_SOURCES, ADD | CHANGE}}},
    /* With sample.json, each reviewing role's roles/ROLE.ids (section 5). */
    {SS_ACTION_SAMPLE,
     "sample",
     SS_MAY_SAMPLE,
     SS_LAYOUT_SAMPLE,
     {{SS_LAYOUT_SAMPLE, ADD}, {SS_LAYOUT_ROLE_IDS, ADD}}},
    /* A reviewer may record their verdict again (the latest stands). */
    {SS_ACTION_VERDICT,
     "verdict",
     SS_MAY_REVIEW,
     SS_LAYOUT_VERDICT,
     {{SS_LAYOUT_VERDICT, ADD | CHANGE}, {SS_LAYOUT_OTHER, 0}}},
    {SS_ACTION_CORRECTION,
     "correction",
     SS_MAY_CORRECT,
     SS_LAYOUT_CORRECTION,
     {{SS_LAYOUT_CORRECTION, ADD}, {SS_LAYOUT_OTHER, 0}}},
    /* The force's response to a follow-up item: numbered as corrections are. */
    {SS_ACTION_RESPONSE,
     "response",
     SS_MAY_RESPOND,
     SS_LAYOUT_RESPONSE,
     {{SS_LAYOUT_RESPONSE, ADD}, {SS_LAYOUT_OTHER, 0}}},
    {SS_ACTION_CLOSE,
     "close",
     SS_MAY_CLOSE,
     SS_LAYOUT_CLOSED,
     {{SS_LAYOUT_CLOSED, ADD | CHANGE}, {SS_LAYOUT_WAIVER, ADD}}},
    {SS_ACTION_REOPEN,
     "reopen",
     SS_MAY_CLOSE,
     SS_LAYOUT_CLOSED,
     {{SS_LAYOUT_CLOSED, CHANGE}, {SS_LAYOUT_OTHER, 0}}},
    /* A merge is checked as a union of its two sides, not path by path. */
    {SS_ACTION_MERGE, "merge", 0, SS_LAYOUT_OTHER, {{SS_LAYOUT_OTHER, 0}, {SS_LAYOUT_OTHER, 0}}},
    /* Each use of reveal is logged, never changed (DESIGN.md section 2). */
    {SS_ACTION_REVEAL,
     "reveal",
     SS_MAY_REVEAL,
     SS_LAYOUT_ACCESS_FILE,
     {{SS_LAYOUT_ACCESS_FILE, ADD}, {SS_LAYOUT_OTHER, 0}}},
};

const struct ss_rules_entry *ss_rules_get(enum ss_action a)
{
	if ((unsigned)a >= sizeof(table) / sizeof(table[0]))
		a = SS_ACTION_NONE;
	return &table[a];
}

enum ss_action ss_rules_action(const char *trailer)
{
	size_t i;

	if (*trailer == '\0')
		return SS_ACTION_NONE;
	for (i = SS_ACTION_INIT; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(trailer, table[i].trailer) == 0)
			return table[i].action;
	return SS_ACTION_UNKNOWN;
}

const char *ss_rules_trailer(enum ss_action a)
{
	return ss_rules_get(a)->trailer;
}

unsigned ss_rules_may(enum ss_action a)
{
	return ss_rules_get(a)->may;
}

unsigned ss_rules_how(int path_status)
{
	switch (path_status) {
	case SS_PATH_ADDED:
		return ADD;
	case SS_PATH_DELETED:
		return DELETE;
	default:
		return CHANGE;
	}
}

bool ss_rules_path_allowed(enum ss_action a, enum ss_layout_kind kind, int path_status)
{
	const struct ss_rules_entry *r = ss_rules_get(a);
	unsigned how = ss_rules_how(path_status);
	size_t i;

	if (kind == SS_LAYOUT_OTHER)
		return false;
	for (i = 0; i < sizeof(r->paths) / sizeof(r->paths[0]); i++)
		if (r->paths[i].kind == kind && (r->paths[i].how & how) != 0)
			return true;
	return false;
}

const char *ss_rules_writer_of(enum ss_layout_kind k)
{
	switch (k) {
	case SS_LAYOUT_POLICY_FILE:
		return _("a policy commit");
	case SS_LAYOUT_REVIEWER:
		return _("a reviewer-add or reviewer-remove commit");
	case SS_LAYOUT_POPULATION:
	case SS_LAYOUT_SOURCES:
		return _("an import");
	case SS_LAYOUT_SAMPLE:
	case SS_LAYOUT_ROLE_IDS:
		return _("a sample commit");
	case SS_LAYOUT_VERDICT:
		return _("a verdict commit");
	case SS_LAYOUT_CORRECTION:
		return _("a correction commit");
	case SS_LAYOUT_RESPONSE:
		return _("a response commit");
	case SS_LAYOUT_CLOSED:
		return _("a close or reopen commit");
	case SS_LAYOUT_WAIVER:
		return _("a close commit");
	case SS_LAYOUT_TRAIL_FILE:
		return _("only the first commit");
	case SS_LAYOUT_ACCESS_FILE:
		return _("a reveal commit");
	default:
		return _("no act of ssaudit");
	}
}

/* audit/act/actions.c words SS_MAY_CLOSE "close months"; verify's "close or
 * reopen months" is kept here, as reopening needs the same permission. In
 * English; marked, so a message for people translates it with _(). */
const char *ss_rules_may_words(unsigned what)
{
	switch (what) {
	case SS_MAY_IMPORT:
		return N_("import records");
	case SS_MAY_SAMPLE:
		return N_("draw samples");
	case SS_MAY_REVIEW:
		return N_("record verdicts");
	case SS_MAY_ENTER_FOR:
		return N_("enter verdicts for others");
	case SS_MAY_CORRECT:
		return N_("correct outcomes");
	case SS_MAY_RESPOND:
		return N_("respond to follow-up items");
	case SS_MAY_CLOSE:
		return N_("close or reopen months");
	case SS_MAY_POLICY:
		return N_("change the policy");
	case SS_MAY_REVEAL:
		return N_("reveal who is behind a pseudonym");
	}
	return N_("do that");
}
