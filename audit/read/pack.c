#include "pack.h"

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "lang.h"
#include "textout.h"
#include "uktime.h"

/* What a record without written grounds says in their place. */
#define NO_GROUNDS                                                                                 \
	N_("(no written grounds in this record: data.police.uk, where it comes from, publishes "   \
	   "none)")

const enum ss_field ss_pack_detail_fields[] = {
    SS_F_DATETIME,
    SS_F_AREA,
    SS_F_TYPE,
    SS_F_LEGISLATION,
    SS_F_OBJECT_OF_SEARCH,
    SS_F_OUTCOME,
    SS_F_OUTCOME_LINKED,
    SS_F_REMOVAL,
    SS_F_OFFICER_DEFINED_ETHNICITY,
    SS_F_AGE_RANGE,
    SS_F_GENDER,
    SS_F_OFFICER,
    SS_F_BWV,
    SS_F_REFERENCE,
    SS_F_GROUNDS,
};
const size_t ss_pack_ndetail_fields =
    sizeof(ss_pack_detail_fields) / sizeof(ss_pack_detail_fields[0]);

/* Worksheet headings of the detail columns: words for the reader, never a
 * question id (those are lowercase names), so the two cannot collide. */
static const char *detail_heading(enum ss_field f)
{
	return ss_field_words(f);
}

/* msgid in the pack's language: English, Welsh, or both ("Cymraeg / English",
 * Welsh first; one of them when the catalogue gives no Welsh). */
static int put_words(struct ss_buf *out, enum ss_lang lang, const char *msgid, bool html)
{
	const char *cy = ss_lang_get(SS_LANG_CY, msgid);
	const char *first = lang == SS_LANG_EN ? msgid : cy;
	int err;

	err = html ? ss_textout_html(out, first) : ss_buf_puts(out, first);
	if (!err && lang == SS_LANG_CY_EN && strcmp(cy, msgid) != 0)
		err = ss_buf_puts(out, " / ") ||
		      (html ? ss_textout_html(out, msgid) : ss_buf_puts(out, msgid));
	return err;
}

/* A policy wording in the pack's language (the same way as put_words). */
static int put_wording(struct ss_buf *out, enum ss_lang lang, const char *en, const char *cy,
                       bool html)
{
	const char *first = lang != SS_LANG_EN && cy ? cy : en;
	int err;

	err = html ? ss_textout_html(out, first) : ss_buf_puts(out, first);
	if (!err && lang == SS_LANG_CY_EN && cy && strcmp(cy, en) != 0)
		err = ss_buf_puts(out, " / ") ||
		      (html ? ss_textout_html(out, en) : ss_buf_puts(out, en));
	return err;
}

/* A whole note in the pack's language: for both, the Welsh paragraph first. */
static int put_note(struct ss_buf *out, enum ss_lang lang, const char *msgid)
{
	int err = 0;

	if (lang != SS_LANG_EN)
		err = ss_buf_puts(out, "<p lang=\"cy\">") ||
		      ss_textout_html(out, ss_lang_get(SS_LANG_CY, msgid)) ||
		      ss_buf_puts(out, "</p>");
	if (!err && lang != SS_LANG_CY)
		err = ss_buf_puts(out, "<p lang=\"en\">") || ss_textout_html(out, msgid) ||
		      ss_buf_puts(out, "</p>");
	return err;
}

/* A text in the pack's language into a fresh buffer (for a CSV cell). */
static const char *cell_words(struct ss_buf *b, enum ss_lang lang, const char *msgid)
{
	ss_buf_reset(b);
	put_words(b, lang, msgid, false);
	return b->data ? b->data : "";
}

int ss_pack_check_reviewer(const struct ss_policy *pol, const struct ss_registry *reg,
                           const char *role, const char *handle)
{
	const struct ss_reviewer *rv = ss_registry_find(reg, handle);
	size_t i;

	if (rv == NULL)
		return ss_error_set(
		    SS_EFAIL,
		    _("there is no reviewer '%s' in the register (see: ssaudit reviewer "
		      "list)"),
		    handle);
	if (rv->removed)
		return ss_error_set(
		    SS_EFAIL,
		    _("'%s' was removed from the register on %s: a pack cannot be made "
		      "out to them"),
		    handle, rv->removed);
	if (strcmp(rv->role, role) != 0)
		return ss_error_set(SS_EFAIL,
		                    _("%s is %s %s, not %s %s: make the pack out to a member of "
		                      "%s (see: ssaudit reviewer list), or ask for --role %s"),
		                    handle, ss_role_a_an(rv->role), ss_role_words(rv->role),
		                    ss_role_a_an(role), ss_role_words(role), ss_role_words(role),
		                    rv->role);
	if (rv->has_key)
		return 0;
	for (i = 0; i < pol->nroles; i++)
		if (ss_role_enters_for(&pol->roles[i], role))
			return 0;
	return ss_error_set(SS_EFAIL,
	                    _("%s holds no key, and the policy lets nobody enter verdicts for "
	                      "%s %s: their worksheet could never be recorded"),
	                    handle, ss_role_a_an(role), ss_role_words(role));
}

size_t ss_pack_without_grounds(const struct ss_pack_req *req)
{
	size_t i, n = 0;

	for (i = 0; i < req->nids; i++) {
		const struct ss_record *r = ss_population_find(req->pop, req->ids[i]);

		n += r == NULL || r->str[SS_F_GROUNDS] == NULL;
	}
	return n;
}

/* The allowed answers of every question, for a worksheet's helper column:
 * each value (English words already), with its Welsh wording in Welsh. */
static int allowed_answers(const struct ss_pack_req *req, struct ss_buf *out)
{
	const struct ss_policy *pol = req->policy;
	size_t q, v;
	int err = 0;

	for (q = 0; !err && q < pol->nquestions; q++) {
		const struct ss_question *qu = &pol->questions[q];

		err = ss_buf_printf(out, "%s%s", q ? "; " : "", qu->id);
		if (!err && !qu->required)
			err = ss_buf_puts(out, " (") ||
			      put_words(out, req->lang, N_("optional"), false) ||
			      ss_buf_puts(out, ")");
		err = err || ss_buf_puts(out, ":");
		for (v = 0; !err && v < qu->nvalues; v++) {
			const struct ss_wording *w = qu->value_words ? &qu->value_words[v] : NULL;
			const char *en = w && w->en ? w->en : qu->values[v];
			const char *cy = w ? w->cy : NULL;

			err = ss_buf_printf(out, "%s %s", v ? " |" : "", qu->values[v]);
			if (!err && req->lang != SS_LANG_EN && cy != NULL)
				err = ss_buf_puts(out, " (") ||
				      put_wording(out, req->lang, en, cy, false) ||
				      ss_buf_puts(out, ")");
		}
	}
	return err;
}

static const char *value(const struct ss_record *r, enum ss_field f);

/* A field's value as text ("" for blank); the date and time in UK local time
 * (when[] holds it). */
static const char *value_at(const struct ss_record *r, enum ss_field f, enum ss_lang lang,
                            char *when, size_t n)
{
	if (f == SS_F_DATETIME && r->str[f])
		return ss_uk_datetime_in(r->str[f], lang, when, n);
	return value(r, f);
}

/* A field's value as text ("" for blank). */
static const char *value(const struct ss_record *r, enum ss_field f)
{
	if (ss_field_type(f) == SS_FT_BOOL)
		return r->tri[f] == SS_TRI_TRUE ? "True" : r->tri[f] == SS_TRI_FALSE ? "False" : "";
	return r->str[f] ? r->str[f] : "";
}

int ss_pack_csv(const struct ss_pack_req *req, struct ss_buf *out)
{
	struct ss_buf allowed = SS_BUF_INIT, w = SS_BUF_INIT;
	const char *nog = NULL;
	size_t i, q, k;
	int err = 0;

	err = ss_textout_csv(out, "month", true) || ss_textout_csv(out, "id", false) ||
	      ss_textout_csv(out, "role", false) || ss_textout_csv(out, "reviewer", false);
	for (q = 0; !err && q < req->policy->nquestions; q++)
		err = ss_textout_csv(out, req->policy->questions[q].id, false);
	if (!err)
		err = ss_textout_csv(out, "note", false) ||
		      ss_textout_csv(out, cell_words(&w, req->lang, N_("Allowed answers")), false);
	for (k = 0; !err && k < ss_pack_ndetail_fields; k++)
		err = ss_textout_csv(
		    out, cell_words(&w, req->lang, detail_heading(ss_pack_detail_fields[k])),
		    false);
	if (err || (err = ss_textout_csv_end(out)) || (err = allowed_answers(req, &allowed)))
		goto out;
	nog = cell_words(&w, req->lang, NO_GROUNDS); /* w holds it from here on */
	for (i = 0; i < req->nids; i++) {
		const struct ss_record *r = ss_population_find(req->pop, req->ids[i]);
		char when[SS_UK_TIME_MAX];

		err = ss_textout_csv(out, req->month, true) ||
		      ss_textout_csv(out, req->ids[i], false) ||
		      ss_textout_csv(out, req->role, false) ||
		      ss_textout_csv(out, req->reviewer, false);
		for (q = 0; !err && q < req->policy->nquestions; q++)
			err = ss_textout_csv(out, NULL, false);
		if (!err)
			err = ss_textout_csv(out, NULL, false) ||
			      ss_textout_csv(out, allowed.data, false);
		for (k = 0; !err && k < ss_pack_ndetail_fields; k++) {
			enum ss_field f = ss_pack_detail_fields[k];
			const char *v = r ? value_at(r, f, req->lang, when, sizeof(when)) : "";

			err = ss_textout_csv(out, f == SS_F_GROUNDS && !*v ? nog : v, false);
		}
		if (err || (err = ss_textout_csv_end(out)))
			goto out;
	}
out:
	ss_buf_release(&allowed);
	ss_buf_release(&w);
	return err ? ss_error_nomem() : 0;
}

static const char *css =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:0 auto;"
    "max-width:52rem;padding:1rem;color:#111;line-height:1.4}"
    "h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin:0 0 .4rem}"
    ".meta{color:#444}.note{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem .8rem;"
    "margin:1rem 0}"
    ".rec{border:1px solid #999;border-radius:6px;padding:.8rem 1rem;margin:1rem 0;"
    "break-inside:avoid;page-break-inside:avoid}"
    "dl{display:grid;grid-template-columns:minmax(0,14rem) minmax(0,1fr);gap:.15rem .8rem;"
    "margin:.4rem 0}"
    "dt{font-weight:600;color:#333}dd{margin:0;overflow-wrap:anywhere}"
    ".grounds{white-space:pre-wrap;background:#f4f4f4;padding:.5rem;border-radius:4px}"
    ".q{margin:.5rem 0}.q b{display:block}.opt{display:inline-block;margin:.2rem 1rem .2rem 0}"
    ".box{display:inline-block;width:.9em;height:.9em;border:1px solid #000;margin-right:.3em;"
    "vertical-align:-.1em}"
    ".lines{border-bottom:1px solid #999;height:1.6em}"
    "@media (max-width:32rem){dl{grid-template-columns:minmax(0,1fr)}dt{margin-top:.3rem}}"
    "@media print{body{max-width:none;font-size:11pt}.rec{border-color:#000}}";

/* "label: value" pieces of the heading line. */
static void put_meta(struct ss_buf *out, enum ss_lang lang, const char *label, const char *v)
{
	ss_buf_puts(out, " &middot; ");
	put_words(out, lang, label, true);
	ss_buf_puts(out, ": <b>");
	ss_textout_html(out, v);
	ss_buf_puts(out, "</b>");
}

static void put_question(struct ss_buf *out, enum ss_lang lang, const struct ss_question *qu)
{
	size_t v;

	ss_buf_puts(out, "<div class=\"q\"><b>");
	put_wording(out, lang, qu->question, qu->question_cy, true);
	if (!qu->required) {
		ss_buf_puts(out, " (");
		put_words(out, lang, N_("optional"), true);
		ss_buf_puts(out, ")");
	}
	ss_buf_puts(out, "</b><span class=\"meta\"> (<code>");
	ss_textout_html(out, qu->id);
	ss_buf_puts(out, "</code>: ");
	put_words(out, lang,
	          /* check: "cromfachau" for brackets; the whole sentence */
	          N_("in the worksheet's column of this name, write one of the answers below, "
	             "or its value in brackets"),
	          true);
	ss_buf_puts(out, ")</span>");
	for (v = 0; v < qu->nvalues; v++) {
		const struct ss_wording *w = qu->value_words ? &qu->value_words[v] : NULL;
		const char *en = w && w->en ? w->en : qu->values[v];

		ss_buf_puts(out, "<span class=\"opt\"><span class=\"box\"></span>");
		put_wording(out, lang, en, w ? w->cy : NULL, true);
		if (strcmp(en, qu->values[v]) != 0 || (lang != SS_LANG_EN && w && w->cy)) {
			ss_buf_puts(out, " <code>(");
			ss_textout_html(out, qu->values[v]);
			ss_buf_puts(out, ")</code>");
		}
		ss_buf_puts(out, "</span>");
	}
	ss_buf_puts(out, "</div>");
}

/* The heading of the note on records without grounds. */
/* check: "%zu o'r %zu cofnod hyn": the singular noun after a numeral */
#define NOG_HEAD N_("<p><b>%zu of these %zu records carry no written grounds</b></p>")

int ss_pack_html(const struct ss_pack_req *req, struct ss_buf *out)
{
	enum ss_lang lang = req->lang;
	size_t i, q, k, nog;
	int err = 0;

	ss_buf_printf(out,
	              "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	              "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	              "<title>",
	              lang == SS_LANG_EN ? "en" : "cy");
	put_words(out, lang, N_("Review pack"), true);
	ss_buf_puts(out, " ");
	ss_textout_html(out, req->month);
	ss_buf_puts(out, " ");
	ss_textout_html(out, req->role);
	ss_buf_puts(out, "</title><style>");
	ss_buf_puts(out, css);
	ss_buf_puts(out, "</style></head><body>\n<h1>");
	put_words(out, lang, N_("Stop and search review pack"), true);
	ss_buf_puts(out, ": ");
	ss_textout_html(out, req->month);
	ss_buf_puts(out, "</h1>\n<p class=\"meta\">");
	ss_textout_html(out, req->title);
	put_meta(out, lang, N_("role"), req->role);
	if (req->reviewer)
		put_meta(out, lang, N_("reviewer"), req->reviewer);
	{
		char n[32];

		snprintf(n, sizeof(n), "%zu", req->nids);
		put_meta(out, lang, N_("records to review"), n);
	}
	ss_buf_puts(out, "</p>\n");
	if ((nog = ss_pack_without_grounds(req)) != 0) {
		ss_buf_puts(out, "<div class=\"note\">");
		if (lang != SS_LANG_EN)
			ss_buf_printf(out, ss_lang_get(SS_LANG_CY, NOG_HEAD), nog, req->nids);
		if (lang != SS_LANG_CY)
			ss_buf_printf(out, NOG_HEAD, nog, req->nids);
		put_note(
		    out, lang,
		    N_("They come from data.police.uk, which publishes no grounds. Whether the "
		       "grounds were reasonable cannot be judged from such a record alone: judge "
		       "them from the body-worn video or the force's own record, or give the "
		       "answer that says there is not enough information."));
		ss_buf_puts(out, "</div>\n");
	}
	ss_buf_puts(out, "<div class=\"note\">");
	put_note(out, lang,
	         /* check: "ffugenw" for pseudonym; "cyfrifiadur cenedlaethol yr heddlu" for PNC */
	         N_("The people searched are not named: each has a pseudonym. Written grounds "
	            "have the person's name, address, dates, postcodes, police national computer "
	            "numbers, vehicle registrations and phone numbers removed automatically, but "
	            "nicknames and other people's names are not caught: treat this pack as "
	            "confidential and return it to the panel secretary."));
	ss_buf_puts(out, "</div>\n<div class=\"note\"><b>");
	put_note(out, lang,
	         N_("Never write a name in your notes, nor anything else that would identify "
	            "someone: a note becomes part of the permanent, signed record and cannot be "
	            "taken out. Dates, postcodes, phone numbers and officers' numbers are removed "
	            "from notes automatically; names cannot be."));
	ss_buf_puts(out, "</b></div>\n");
	for (i = 0; i < req->nids; i++) {
		const struct ss_record *r = ss_population_find(req->pop, req->ids[i]);
		const struct ss_sample_record *sr = ss_sample_find(req->sample, req->ids[i]);
		char when[SS_UK_TIME_MAX];

		ss_buf_printf(out, "<section class=\"rec\"><h2>%zu. %s</h2>", i + 1, req->ids[i]);
		if (sr && sr->always) {
			ss_buf_puts(out, "<div class=\"meta\">");
			put_note(
			    out, lang,
			    /* check: "chwiliad stripio" for a strip search */
			    N_("Always reviewed under the policy (for example a strip search, a "
			       "child, or section 60)."));
			ss_buf_puts(out, "</div>");
		}
		ss_buf_puts(out, "<dl>");
		for (k = 0; r && k < ss_pack_ndetail_fields; k++) {
			enum ss_field f = ss_pack_detail_fields[k];

			if (f == SS_F_GROUNDS)
				continue;
			ss_buf_puts(out, "<dt>");
			put_words(out, lang, detail_heading(f), true);
			ss_buf_puts(out, "</dt><dd>");
			if (*value(r, f))
				ss_textout_html(out, value_at(r, f, req->lang, when, sizeof(when)));
			else
				put_words(out, lang, N_("(blank)"), true);
			ss_buf_puts(out, "</dd>");
		}
		ss_buf_puts(out, "</dl><b>");
		put_words(out, lang, N_("Grounds recorded by the officer"), true);
		ss_buf_puts(out, "</b>");
		if (r && r->str[SS_F_GROUNDS]) {
			ss_buf_puts(out, "<div class=\"grounds\">");
			ss_textout_html(out, r->str[SS_F_GROUNDS]);
			ss_buf_puts(out, "</div>");
		} else {
			ss_buf_puts(out, "<div class=\"note\">");
			put_note(out, lang,
			         N_("This record has no written grounds: data.police.uk, where it "
			            "comes from, publishes none."));
			ss_buf_puts(out, "</div>");
		}
		for (q = 0; q < req->policy->nquestions; q++)
			put_question(out, lang, &req->policy->questions[q]);
		ss_buf_puts(out, "<div class=\"q\"><b>");
		put_words(out, lang, N_("Notes"), true);
		ss_buf_puts(out, "</b><div class=\"lines\"></div><div class=\"lines\"></div></div>"
		                 "</section>\n");
	}
	err = ss_buf_puts(out, "</body></html>\n");
	return err;
}
