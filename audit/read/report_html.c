/*
 * report_html.c - the report as one self-contained HTML file: inline CSS and
 * inline SVG bar charts, no script, no external resource of any kind, so it
 * can be emailed, shown at a public meeting, read on a phone and printed.
 * Every bar stands beside its count and percentage; a bar is never the only
 * place a figure appears (and hidden figures get no bar).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "month.h"
#include "report.h"
#include "report_int.h"
#include "uktime.h"
#include "textout.h"

struct hx {
	const struct ss_report *r;
	struct ss_buf *b;
	int err;
	const char *qid; /* the question whose answers a table's keys are, or NULL */
};

static void raw(struct hx *x, const char *s)
{
	if (!x->err)
		x->err = ss_buf_puts(x->b, s);
}

static void txt(struct hx *x, const char *s)
{
	if (!x->err)
		x->err = ss_textout_html(x->b, s);
}

/* Markup with numbers in it (nothing from the data). */
static void rawf(struct hx *x, const char *f, ...) SS_PRINTF(2, 3);
static void rawf(struct hx *x, const char *f, ...)
{
	char s[1024];
	va_list ap;

	va_start(ap, f);
	vsnprintf(s, sizeof(s), f, ap);
	va_end(ap);
	raw(x, s);
}

/* A message in the report's language, in a buffer of the caller's. */
#define W(msgid, buf) ss_report_words(x->r, (msgid), (buf), sizeof(buf))

static void wtxt(struct hx *x, const char *msgid)
{
	char w[512];

	txt(x, W(msgid, w));
}

/* A sentence in the report's language as a paragraph (cy+en: the Welsh
 * paragraph, then the English). */
static void para(struct hx *x, const char *cls, const char *f, ...) SS_PRINTF(3, 4);
static void para(struct hx *x, const char *cls, const char *f, ...)
{
	char s[4096], *p, *nl;
	va_list ap;

	va_start(ap, f);
	ss_report_vsay(x->r, "\n", s, sizeof(s), f, ap);
	va_end(ap);
	for (p = s; p; p = nl ? nl + 1 : NULL) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		if (cls)
			rawf(x, "<p class=\"%s\">", cls);
		else
			raw(x, "<p>");
		txt(x, p);
		raw(x, "</p>");
	}
}

/* A table's heading row: one message per column, mask's 'n' for a number. */
static void thead(struct hx *x, const char *mask, ...)
{
	va_list ap;
	size_t i;

	raw(x, "<div class=\"tw\"><table><thead><tr>");
	va_start(ap, mask);
	for (i = 0; mask[i]; i++) {
		const char *m = va_arg(ap, const char *);

		raw(x, mask[i] == 'n' ? "<th class=\"n\">" : "<th>");
		if (*m)
			wtxt(x, m);
		raw(x, "</th>");
	}
	va_end(ap);
	raw(x, "</tr></thead><tbody>");
}

/* Colours that stay distinct for most colour-blind readers and in greyscale print. */
static const char *const palette[] = {"#1b6ca8", "#d1495b", "#edae49", "#66a182",
                                      "#6c4f8f", "#8d6e63", "#00798c", "#555555"};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

/* A bar of the share in the given colour; nothing when the share is withheld. */
static void bar_in(struct hx *x, const struct ss_report_fig *f, const char *colour)
{
	unsigned long long t;
	char label[32];

	raw(x, "<td class=\"bar\">");
	if (ss_report_pct_tenths(f, &t)) {
		ss_report_pct_text(f, label, sizeof(label));
		raw(x, "<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" "
		       "aria-label=\"");
		txt(x, label);
		raw(x, "\"><rect width=\"100\" height=\"10\" fill=\"#eeeeee\"/>");
		if (!x->err)
			x->err = ss_buf_printf(x->b,
			                       "<rect width=\"%llu.%llu\" height=\"10\" "
			                       "fill=\"%s\"/>",
			                       t / 10, t % 10, colour);
		raw(x, "</svg>");
	}
	raw(x, "</td>");
}

static void bar(struct hx *x, const struct ss_report_fig *f)
{
	bar_in(x, f, palette[0]);
}

/* Text that may break after its hyphens (long answer names as headings). */
static void txt_wbr(struct hx *x, const char *s)
{
	const char *h;

	while (!x->err && (h = strchr(s, '-')) != NULL) {
		struct ss_buf part = SS_BUF_INIT;

		if ((x->err = ss_buf_put(&part, s, (size_t)(h - s + 1))) == 0)
			txt(x, part.data);
		ss_buf_release(&part);
		raw(x, "<wbr>");
		s = h + 1;
	}
	txt(x, s);
}

static void swatch(struct hx *x, size_t i)
{
	if (!x->err)
		x->err =
		    ss_buf_printf(x->b,
		                  "<svg class=\"sw\" viewBox=\"0 0 10 10\" aria-hidden=\"true\">"
		                  "<rect width=\"10\" height=\"10\" fill=\"%s\"/></svg>",
		                  palette[i % NPALETTE]);
}

/* "(fewer than 10 records)" on a line of its own in a cell. */
static void few(struct hx *x)
{
	char w[160];

	raw(x, "<br><span class=\"few\">");
	txt(x, ss_report_few_words(x->r, w, sizeof(w)));
	raw(x, "</span>");
}

static void count_cell(struct hx *x, const struct ss_report_fig *f)
{
	char c[32];

	ss_report_count_text(x->r, f, c, sizeof(c));
	raw(x, "<td class=\"n\">");
	if (f->field && f->denom == 0)
		wtxt(x, N_("not recorded"));
	else
		txt(x, c);
	raw(x, "</td>");
}

static void pct_cell(struct hx *x, const struct ss_report_fig *f)
{
	char p[32], w[256];

	ss_report_pct_text(f, p, sizeof(p));
	raw(x, "<td class=\"n\">");
	txt(x, p);
	if (ss_report_fig_few(f))
		few(x);
	if (f->field && f->denom > 0) {
		raw(x, "<br><span class=\"few\">");
		if (f->unrecorded_hidden)
			wtxt(x, N_("not recorded: [c]"));
		else
			txt(x, (ss_report_say(x->r, " / ", w, sizeof(w), N_("not recorded: %zu"),
			                      f->unrecorded),
			        w));
		raw(x, "</span>");
	}
	raw(x, "</td>");
}

static void fig_words(struct hx *x, const struct ss_report_fig *f)
{
	char s[160];

	ss_report_fig_text(x->r, f, s, sizeof(s));
	txt(x, s);
}

/* "Label: figure; " in a sentence of figures. */
static void fig_label(struct hx *x, const char *label, const struct ss_report_fig *f)
{
	wtxt(x, label);
	raw(x, ": ");
	fig_words(x, f);
	raw(x, ". ");
}

static void kpi(struct hx *x, const char *label, const struct ss_report_fig *f)
{
	char c[32], p[32];

	ss_report_count_text(x->r, f, c, sizeof(c));
	ss_report_pct_text(f, p, sizeof(p));
	raw(x, "<div class=\"kpi\"><b>");
	if (f->field && f->denom == 0)
		wtxt(x, N_("not recorded"));
	else
		txt(x, *p ? p : c);
	raw(x, "</b><span>");
	wtxt(x, label);
	if (f->denom || f->field) {
		raw(x, ": ");
		fig_words(x, f);
	}
	raw(x, "</span></div>");
}

/* A table's key in words: an answer's or an outcome's wording, "not recorded"
 * for a blank (w holds 256 bytes). */
static const char *key_words(struct hx *x, const struct ss_report_table *t, const char *key,
                             char w[256])
{
	if (key == NULL)
		return ss_report_key_words(x->r, key, w, 256);
	if (strcmp(t->name, "outcome") == 0)
		return ss_report_outcome_words(x->r, key, w, 256);
	if (strcmp(t->name, "answers") == 0 && x->qid)
		return ss_report_answer_words(x->r, x->qid, key, w, 256);
	return key;
}

/* A one-way table with a bar per row (coloured: each row its own colour, as
 * in the stacked bars of the cross tables that follow). */
static void table_in(struct hx *x, const struct ss_report_table *t, const char *key_head,
                     const char *count_head, bool coloured)
{
	bool same = true;
	char w[256];
	size_t i;

	if (t->nrows == 0) {
		para(x, "meta", N_("None."));
		return;
	}
	/* One note under the table when every share rests on the same few records. */
	for (i = 1; i < t->nrows; i++)
		same &= t->rows[i].fig.denom == t->rows[0].fig.denom &&
		        t->rows[i].fig.denom_hidden == t->rows[0].fig.denom_hidden;
	same &= t->rows[0].fig.denom > 0 && t->rows[0].fig.denom < SS_REPORT_FEW &&
	        !t->rows[0].fig.denom_hidden;
	raw(x, "<div class=\"tw\"><table><thead><tr><th>");
	txt(x, ss_report_words(x->r, key_head, w, sizeof(w)));
	if (t->cross) {
		raw(x, "</th><th>");
		txt(x, ss_report_words(x->r, N_("To"), w, sizeof(w)));
	}
	raw(x, "</th><th class=\"n\">");
	txt(x, ss_report_words(x->r, count_head, w, sizeof(w)));
	raw(x, "</th><th class=\"n\">");
	txt(x, ss_report_words(x->r, N_("Share"), w, sizeof(w)));
	raw(x, "</th><th>");
	txt(x,
	    /* check: "Siart" for a bar chart column */
	    ss_report_words(x->r, N_("Chart"), w, sizeof(w)));
	raw(x, "</th></tr></thead><tbody>");
	for (i = 0; i < t->nrows; i++) {
		char p[32];

		raw(x, "<tr><td>");
		if (coloured)
			swatch(x, i);
		txt(x, key_words(x, t, t->rows[i].key, w));
		if (t->cross) {
			raw(x, "</td><td>");
			txt(x, key_words(x, t, t->rows[i].subkey, w));
		}
		raw(x, "</td>");
		count_cell(x, &t->rows[i].fig);
		if (same) {
			ss_report_pct_text(&t->rows[i].fig, p, sizeof(p));
			raw(x, "<td class=\"n\">");
			txt(x, p);
			raw(x, "</td>");
		} else {
			pct_cell(x, &t->rows[i].fig);
		}
		bar_in(x, &t->rows[i].fig, coloured ? palette[i % NPALETTE] : palette[0]);
		raw(x, "</tr>");
	}
	raw(x, "</tbody></table></div>");
	if (same)
		para(x, "few", N_("(fewer than 10 records: these shares rest on %zu)"),
		     t->rows[0].fig.denom);
}

static void table(struct hx *x, const struct ss_report_table *t, const char *key_head,
                  const char *count_head)
{
	table_in(x, t, key_head, count_head, false);
}

/* A cross table of findings: a row per key, a column per answer, and a
 * stacked bar of the answers' shares. */
static void cross(struct hx *x, const struct ss_report_table *t, const char *key_head,
                  const struct ss_report_table *answers)
{
	size_t i, j, nv = answers->nrows;
	char w[256];

	if (t->nrows == 0 || nv == 0) {
		para(x, "meta", N_("None."));
		return;
	}
	raw(x, "<div class=\"tw\"><table><thead><tr><th>");
	wtxt(x, key_head);
	raw(x, "</th><th class=\"n\">");
	wtxt(x, N_("Answers"));
	raw(x, "</th>");
	for (j = 0; j < nv; j++) {
		raw(x, "<th class=\"n\">");
		swatch(x, j);
		txt_wbr(x, key_words(x, answers, answers->rows[j].key, w));
		raw(x, "</th>");
	}
	raw(x, "<th>");
	wtxt(x, N_("Chart"));
	raw(x, "</th></tr></thead><tbody>");
	for (i = 0; i + nv <= t->nrows; i += nv) {
		struct ss_report_fig den = {.count = t->rows[i].fig.denom,
		                            .hidden = t->rows[i].fig.denom_hidden};
		unsigned long long at = 0, tt;
		char total[32];

		raw(x, "<tr><td>");
		txt(x, ss_report_key_words(x->r, t->rows[i].key, w, sizeof(w)));
		raw(x, "</td><td class=\"n\">");
		ss_report_count_text(x->r, &den, total, sizeof(total));
		txt(x, total);
		if (t->rows[i].fig.denom > 0 && t->rows[i].fig.denom < SS_REPORT_FEW &&
		    !t->rows[i].fig.denom_hidden)
			few(x);
		raw(x, "</td>");
		for (j = 0; j < nv; j++) {
			const struct ss_report_fig *f = &t->rows[i + j].fig;
			char c[32], p[32];

			ss_report_count_text(x->r, f, c, sizeof(c));
			ss_report_pct_text(f, p, sizeof(p));
			raw(x, "<td class=\"n\">");
			txt(x, c);
			if (*p) {
				raw(x, " <span class=\"meta\">(");
				txt(x, p);
				raw(x, ")</span>");
			}
			raw(x, "</td>");
		}
		raw(x, "<td class=\"bar\"><svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" "
		       "aria-hidden=\"true\">");
		for (j = 0; j < nv; j++) {
			if (!ss_report_pct_tenths(&t->rows[i + j].fig, &tt) || tt == 0)
				continue;
			if (!x->err)
				x->err = ss_buf_printf(x->b,
				                       "<rect x=\"%llu.%llu\" width=\"%llu.%llu\" "
				                       "height=\"10\" fill=\"%s\"/>",
				                       at / 10, at % 10, tt / 10, tt % 10,
				                       palette[j % NPALETTE]);
			at += tt;
		}
		raw(x, "</svg></td></tr>");
	}
	raw(x, "</tbody></table></div>");
}

/* ---- sections ---- */

/* A section and its heading in the report's language. */
static void h2(struct hx *x, const char *id, const char *msgid)
{
	char both[256];

	rawf(x, "<section id=\"%s\"><h2>", id);
	txt(x, ss_report_words(x->r, msgid, both, sizeof(both)));
	raw(x, "</h2>");
}

static void head(struct hx *x)
{
	static const char *const contents[][2] = {
	    {"searches", N_("The searches")},
	    {"sample", N_("The sample")},
	    {"progress", N_("Review progress")},
	    {"findings", N_("Findings, per role")},
	    {"agreement", N_("Agreement between roles")},
	    {"corrections", N_("Outcome corrections")},
	    {"follow-up", N_("Follow-up list")},
	    {"notes", N_("Reviewers' notes")},
	};
	const struct ss_report *r = x->r;
	char t[256];
	size_t i;

	ss_report_title(r, t, sizeof(t));
	rawf(x, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">",
	     r->lang == SS_LANG_EN ? "en" : "cy");
	raw(x, ""
	       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	       "<title>");
	txt(x, t);
	raw(x, "</title><style>");
	raw(x, ss_report_html_style());
	raw(x, "</style></head><body>\n<header><h1>");
	txt(x, t);
	raw(x, "</h1><p class=\"meta\">");
	if (*r->title && strcmp(r->title, r->policy_name) != 0) {
		txt(x, r->title);
		raw(x, " &middot; ");
	}
	wtxt(x, N_("policy"));
	raw(x, ": ");
	txt(x, r->policy_name);
	raw(x, "</p><p class=\"meta\">");
	if (r->nmonths_data) {
		wtxt(x, N_("Months with records:"));
		for (i = 0; i < r->nmonths_data; i++) {
			raw(x, i ? ", " : " ");
			txt(x, r->months_data[i]);
		}
		raw(x, ". ");
	}
	if (r->nmonths_missing) {
		raw(x, "<b>");
		wtxt(x, N_("Months with no records imported:"));
		raw(x, "</b>");
		for (i = 0; i < r->nmonths_missing; i++) {
			raw(x, i ? ", " : " ");
			txt(x, r->months_missing[i]);
		}
		raw(x, ". ");
	}
	if (r->nmonths_unsampled) {
		wtxt(x, N_("Imported but not yet sampled:"));
		for (i = 0; i < r->nmonths_unsampled; i++) {
			raw(x, i ? ", " : " ");
			txt(x, r->months_unsampled[i]);
		}
		raw(x, ".");
	}
	raw(x, "</p>");
	if (r->public) {
		raw(x, "<div class=\"public\"><b>");
		wtxt(x, N_("Public version."));
		raw(x, "</b>");
		para(x, NULL, PUBLIC_NOTE, r->public_min - 1, r->public_min);
		raw(x, "</div>");
	}
	para(x, "explain", EVERY_PCT);
	if (r->ncaveats) {
		raw(x, "<div class=\"caveat\"><b>");
		wtxt(x, N_("Please note"));
		raw(x, "</b><ul>");
		for (i = 0; i < r->ncaveats; i++) {
			char c[2048];
			const char *v = ss_report_caveat(r, i, "\n", c, sizeof(c));
			const char *nl = strchr(v, '\n');

			raw(x, "<li>");
			if (nl) { /* cy+en: the Welsh, then the English */
				memmove(c, v, (size_t)(nl - v));
				c[nl - v] = '\0';
				txt(x, c);
				raw(x, "<br>");
				v = nl + 1;
			}
			txt(x, v);
			raw(x, "</li>");
		}
		raw(x, "</ul></div>");
	}
	raw(x, "</header>\n<nav><b>");
	txt(x, ss_report_words(r, N_("Contents"), t, sizeof(t)));
	raw(x, "</b><ol>");
	for (i = 0; i < sizeof(contents) / sizeof(contents[0]); i++) {
		rawf(x, "<li><a href=\"#%s\">", contents[i][0]);
		txt(x, ss_report_words(r, contents[i][1], t, sizeof(t)));
		raw(x, "</a></li>");
	}
	raw(x, "</ol></nav>\n");
}

static void population(struct hx *x)
{
	const struct ss_report *r = x->r;
	static const char *const key_heads[SS_REPORT_NBY] = {
	    N_("Area"),        N_("Type"),
	    N_("Legislation"), N_("Object of search"),
	    N_("Outcome"),     N_("Officer-defined ethnicity"),
	    N_("Age range"),   N_("Gender")};
	unsigned long long maxratio = 0;
	char both[512];
	size_t k, i;

	h2(x, "searches", N_("1. The searches"));
	raw(x, "<div class=\"kpis\">");
	kpi(x, N_("Searches recorded"), &r->searches);
	kpi(x, N_("With a positive outcome (as the policy defines it)"), &r->positive);
	kpi(x, N_("Outcome linked to the object of the search"), &r->linked);
	kpi(x, N_("Strip searches (more than outer clothing removed)"), &r->strip);
	kpi(x, N_("Children searched (under 10, and 10-17)"), &r->children);
	raw(x, "</div>");
	for (k = 0; k < SS_REPORT_NBY; k++) {
		raw(x, "<h3>");
		txt(x, ss_report_words(r, r->by[k].title, both, sizeof(both)));
		raw(x, "</h3>");
		table(x, &r->by[k], key_heads[k], N_("Searches"));
	}
	if (r->census) {
		raw(x, "<h3>");
		txt(x, ss_report_words(
		           r, N_("Searches per 1,000 residents, by officer-defined ethnicity"),
		           both, sizeof(both)));
		raw(x, "</h3><p class=\"explain\">");
		wtxt(x, N_("Figures for residents"));
		raw(x, ": <b>");
		if (r->census_source)
			txt(x, r->census_source);
		else
			wtxt(x, N_("the policy does not say where they come from"));
		raw(x, "</b></p>");
		para(x, "explain", RATE_NOTE);
		for (i = 0; i < r->nrates; i++)
			if (r->rates[i].ratio_defined && r->rates[i].ratio_x100 > maxratio)
				maxratio = r->rates[i].ratio_x100;
		thead(x, "llnnnnl", N_("Area"), N_("Ethnicity"), N_("Residents"), N_("Searches"),
		      N_("Per 1,000"), N_("Ratio to White"), N_("Ratio"));
		for (i = 0; i < r->nrates; i++) {
			const struct ss_report_rate *rt = &r->rates[i];
			char s[32];

			raw(x, "<tr><td>");
			if (rt->area)
				txt(x, rt->area);
			else
				wtxt(x, N_("whole force"));
			raw(x, "</td><td>");
			txt(x, rt->ethnicity);
			raw(x, "</td>");
			if (!x->err)
				x->err =
				    ss_buf_printf(x->b, "<td class=\"n\">%lu</td>", rt->residents);
			count_cell(x, &rt->searches);
			raw(x, "<td class=\"n\">");
			if (rt->rate_defined) {
				ss_report_x100_text(rt->per1000_x100, s, sizeof(s));
				txt(x, s);
			} else {
				wtxt(x, rt->residents ? N_("withheld") : N_("no residents"));
			}
			raw(x, "</td><td class=\"n\">");
			if (rt->ratio_defined) {
				ss_report_x100_text(rt->ratio_x100, s, sizeof(s));
				txt(x, s);
				if (rt->few)
					few(x);
			} else {
				txt(x, "-");
			}
			raw(x, "</td><td class=\"bar\">");
			if (rt->ratio_defined && maxratio > 0 && !x->err) {
				unsigned long long w = rt->ratio_x100 * 1000 / maxratio;

				x->err = ss_buf_printf(
				    x->b,
				    "<svg viewBox=\"0 0 100 10\" "
				    "preserveAspectRatio=\"none\" aria-hidden=\"true\">"
				    "<rect width=\"%llu.%llu\" height=\"10\" "
				    "fill=\"%s\"/></svg>",
				    w / 10, w % 10,
				    strcmp(rt->ethnicity, "White") == 0 ? "#555555" : "#1b6ca8");
			}
			raw(x, "</td></tr>");
		}
		raw(x, "</tbody></table></div><p>");
		wtxt(x,
		     N_("Searches outside these groups (other or blank ethnicity, or an area the "
		        "figures do not cover)"));
		raw(x, ": ");
		fig_words(x, &r->outside_groups);
		raw(x, "</p>");
	}
	raw(x, "</section>\n");
}

static void sample(struct hx *x)
{
	const struct ss_report *r = x->r;
	size_t i, j;

	h2(x, "sample", N_("2. The sample"));

	if (r->nsamples == 0)
		para(x, NULL, N_("No month in the range has been sampled yet."));
	for (i = 0; i < r->nsamples; i++) {
		const struct ss_report_sample *s = &r->samples[i];
		char words[64];

		raw(x, "<h3>");
		txt(x, ss_report_month_words(r, s->month, words, sizeof(words)));
		raw(x, "</h3><p>");
		wtxt(x, N_("Seed"));
		raw(x, " <code>");
		txt(x, s->seed);
		raw(x, "</code> (");
		wtxt(x, s->generated ? N_("generated by ssaudit, not given at a meeting")
		                     : N_("given, e.g. dice rolled at the meeting"));
		raw(x, "), ");
		wtxt(x, N_("rate"));
		raw(x, " ");
		txt(x, s->rate);
		if (!s->policy_matches) {
			raw(x, ", <b>");
			wtxt(x, N_("under a different policy"));
			raw(x, "</b>");
		}
		raw(x, ". ");
		fig_label(x, N_("Searches sampled"), &s->sampled);
		if (s->version < 2) {
			fig_label(x, N_("Always included by the policy's rules"), &s->always);
		} else {
			fig_label(x, N_("In the random core"), &s->core);
			fig_label(x, N_("Targeted by the policy's rules, outside the core"),
			          &s->targeted);
			fig_label(x, N_("Targeted but not reached (the rate was full)"),
			          &s->not_reached);
		}
		raw(x, "</p>");
		if (s->nwarnings) {
			raw(x, "<ul class=\"warn\">");
			for (j = 0; j < s->nwarnings; j++) {
				raw(x, "<li>");
				txt(x, s->warnings[j]);
				raw(x, "</li>");
			}
			raw(x, "</ul>");
		}
		if (s->version >= 2)
			thead(x, "lnnnnnnnl", N_("Stratum"), N_("Searches"), N_("Core"),
			      N_("Always"), N_("Targeted"), N_("Not reached"), N_("Drawn"),
			      N_("Share drawn"), N_("Chart"));
		else
			thead(x, "lnnnnl", N_("Stratum"), N_("Searches"), N_("Always"), N_("Drawn"),
			      N_("Share drawn"), N_("Chart"));
		for (j = 0; j < s->nstrata; j++) {
			const struct ss_report_stratum *st = &s->strata[j];

			raw(x, "<tr><td>");
			txt(x, ss_report_label_words(r, st->label, words, sizeof(words)));
			raw(x, "</td>");
			count_cell(x, &st->population);
			if (s->version >= 2)
				count_cell(x, &st->core);
			count_cell(x, &st->always);
			if (s->version >= 2) {
				count_cell(x, &st->targeted);
				count_cell(x, &st->not_reached);
			}
			count_cell(x, &st->drawn);
			pct_cell(x, &st->drawn);
			bar(x, &st->drawn);
			raw(x, "</tr>");
		}
		raw(x, "</tbody></table></div>");
		if (s->nblanks) {
			raw(x, "<h4>");
			wtxt(x, N_("Blank values in the fields the sampling rules read"));
			raw(x, "</h4>");
			thead(x, "lnnl", N_("Field"), N_("Blank"), N_("Share"), N_("Chart"));
			for (j = 0; j < s->nblanks; j++) {
				raw(x, "<tr><td>");
				txt(x, s->blanks[j].field);
				raw(x, "</td>");
				count_cell(x, &s->blanks[j].count);
				pct_cell(x, &s->blanks[j].count);
				bar(x, &s->blanks[j].count);
				raw(x, "</tr>");
			}
			raw(x, "</tbody></table></div>");
		}
	}
	raw(x, "</section>\n");
}

static void progress(struct hx *x)
{
	const struct ss_report *r = x->r;
	size_t i;

	h2(x, "progress", N_("3. Review progress"));

	if (r->nprogress == 0) {
		para(x, NULL, N_("Nothing to review yet."));
		raw(x, "</section>\n");
		return;
	}
	para(x, "explain",
	     N_("Records each role must review, and how many have at least one verdict."));
	thead(x, "llnnnnnl", N_("Role"), N_("Month"), N_("Assigned"), N_("Reviewed"), N_("Share"),
	      N_("Waived"), N_("Missing"), N_("Reviewed"));
	for (i = 0; i < r->nprogress; i++) {
		const struct ss_report_progress *p = &r->progress[i];

		raw(x, "<tr><td>");
		txt(x, p->role);
		raw(x, "</td><td>");
		if (p->month)
			txt(x, p->month);
		else
			wtxt(x, N_("all months"));
		raw(x, "</td>");
		count_cell(x, &p->assigned);
		count_cell(x, &p->reviewed);
		pct_cell(x, &p->reviewed);
		count_cell(x, &p->waived);
		count_cell(x, &p->missing);
		bar(x, &p->reviewed);
		raw(x, "</tr>");
	}
	raw(x, "</tbody></table></div></section>\n");
}

static void findings(struct hx *x)
{
	const struct ss_report *r = x->r;
	static const char *const heads[3] = {N_("Area"), N_("Officer-defined ethnicity"),
	                                     N_("Legislation")};
	char v[32], w[1024];
	size_t i, q, b;

	h2(x, "findings", N_("4. Findings, per role"));
	para(x, "explain",
	     N_("Each reviewer's answer counts once (a record two members of a role "
	        "reviewed counts twice)."));
	for (i = 0; i < r->nfindings; i++) {
		const struct ss_report_findings *f = &r->findings[i];

		ss_report_count_text(r, &f->verdicts, v, sizeof(v));
		raw(x, "<h3>");
		ss_report_say(r, " / ", w, sizeof(w),
		              f->verdicts.count == 1 && !f->verdicts.hidden ? N_("%s: %s verdict")
		                                                            : N_("%s: %s verdicts"),
		              f->role, v);
		txt(x, w);
		raw(x, "</h3>");
		if (f->verdicts.count == 0)
			continue;
		for (q = 0; q < f->nquestions; q++) {
			const struct ss_report_qfind *qf = &f->questions[q];

			raw(x, "<h4>");
			txt(x, ss_report_question_words(r, qf->id, w, sizeof(w)));
			raw(x, " <span class=\"meta\">(");
			txt(x, qf->id);
			raw(x, ")</span></h4>");
			x->qid = qf->id;
			table_in(x, &qf->answers, N_("Answer"), N_("Answers"), true);
			for (b = 0; b < 3; b++) {
				raw(x, "<p><b>");
				txt(x, qf->id);
				raw(x, " ");
				wtxt(x, qf->by[b].title);
				raw(x, "</b></p>");
				cross(x, &qf->by[b], heads[b], &qf->answers);
			}
			x->qid = NULL;
		}
	}
	raw(x, "</section>\n");
}

static void agreement(struct hx *x)
{
	const struct ss_report *r = x->r;
	const struct ss_report_agreement *ag = &r->agreement;
	char k[64], w[1024];
	size_t i, j, m;

	h2(x, "agreement", N_("5. Agreement between roles"));

	if (ag->question == NULL || ag->npairs == 0) {
		para(x, NULL, N_("There are fewer than two reviewing roles to compare."));
		raw(x, "</section>\n");
		return;
	}
	para(x, "explain", AGREEMENT_NOTE, ss_report_question_words(r, ag->question, w, sizeof(w)));
	thead(x, "lnnnnnl", N_("Roles"), N_("Records"), N_("Agreeing"), N_("Share"), N_("Kappa"),
	      N_("Ties left out"), N_("Agreeing"));
	for (i = 0; i < ag->npairs; i++) {
		const struct ss_report_pair *p = &ag->pairs[i];

		raw(x, "<tr><td>");
		txt(x, p->role_a);
		raw(x, " / ");
		txt(x, p->role_b);
		raw(x, "</td>");
		count_cell(x, &p->records);
		count_cell(x, &p->agreeing);
		pct_cell(x, &p->agreeing);
		ss_report_kappa_words(r, p, k, sizeof(k));
		raw(x, "<td class=\"n\">");
		txt(x, k);
		raw(x, "</td>");
		count_cell(x, &p->ties);
		bar(x, &p->agreeing);
		raw(x, "</tr>");
	}
	raw(x, "</tbody></table></div>");
	for (i = 0; i < ag->npairs; i++) {
		const struct ss_report_pair *p = &ag->pairs[i];

		if (p->records.count == 0)
			continue;
		raw(x, "<h4>");
		ss_report_say(r, " / ", w, sizeof(w), N_("%s (rows) by %s (columns)"), p->role_a,
		              p->role_b);
		txt(x, w);
		raw(x, "</h4><div class=\"tw\"><table><thead><tr><th></th>");
		for (j = 0; j < ag->nvalues; j++) {
			raw(x, "<th class=\"n\">");
			txt(x,
			    ss_report_answer_words(r, ag->question, ag->values[j], w, sizeof(w)));
			raw(x, "</th>");
		}
		raw(x, "</tr></thead><tbody>");
		for (j = 0; j < ag->nvalues; j++) {
			raw(x, "<tr><th>");
			txt(x,
			    ss_report_answer_words(r, ag->question, ag->values[j], w, sizeof(w)));
			raw(x, "</th>");
			for (m = 0; m < ag->nvalues; m++)
				count_cell(x, &p->cell_figs[j * ag->nvalues + m]);
			raw(x, "</tr>");
		}
		raw(x, "</tbody></table></div>");
	}
	raw(x, "</section>\n");
}

static void corrections(struct hx *x)
{
	const struct ss_report_corrections *c = &x->r->corrections;
	const struct {
		const char *label;
		const struct ss_report_fig *f;
	} rows[4] = {
	    {N_("Positive outcome, as recorded at the time"), &c->positive_recorded},
	    {N_("Positive outcome, as corrected"), &c->positive_corrected},
	    {N_("Outcome linked to the object, as recorded"), &c->linked_recorded},
	    {N_("Outcome linked to the object, as corrected"), &c->linked_corrected},
	};
	size_t i;

	h2(x, "corrections", N_("6. Outcome corrections"));
	para(x, "explain", CORRECTIONS_NOTE);
	raw(x, "<div class=\"kpis\">");
	kpi(x, N_("Corrections recorded"), &c->corrections);
	kpi(x, N_("Searches with a correction"), &c->records);
	raw(x, "</div>");
	thead(x, "lnnl", "", N_("Searches"), N_("Share"), N_("Chart"));
	for (i = 0; i < 4; i++) {
		raw(x, i ? "</tr><tr><td>" : "<tr><td>");
		wtxt(x, rows[i].label);
		raw(x, "</td>");
		count_cell(x, rows[i].f);
		pct_cell(x, rows[i].f);
		bar(x, rows[i].f);
	}
	raw(x, "</tr></tbody></table></div><h3>");
	wtxt(x, c->outcome.title);
	raw(x, "</h3>");
	table(x, &c->outcome, N_("From"), N_("Searches"));
	raw(x, "<h3>");
	wtxt(x, c->linked.title);
	raw(x, "</h3>");
	table(x, &c->linked, N_("From"), N_("Searches"));
	raw(x, "</section>\n");
}

/* What the force did about one item, or how long it has waited. */
static void followup_responses(struct hx *x, const struct ss_report_followup *f)
{
	const struct ss_report *r = x->r;
	char day[11], w[800];
	size_t k;

	if (f->nresponses == 0) {
		if (f->days >= 0)
			para(x, "awaiting",
			     f->days == 1
			         ? N_("Awaiting a response: %ld day since the month closed.")
			         : N_("Awaiting a response: %ld days since the month closed."),
			     f->days);
		else
			para(x, "awaiting",
			     f->closed ? N_("Awaiting a response (the month is closed).")
			               : N_("Awaiting a response (the month is still open)."));
		return;
	}
	para(x, NULL, N_("The force's response:"));
	raw(x, "<ol>");
	for (k = 0; k < f->nresponses; k++) {
		const struct ss_report_response *rp = &f->responses[k];

		raw(x, "<li><b>");
		txt(x, ss_report_response_words(r, rp->action, w, sizeof(w)));
		raw(x, "</b> (<code>");
		txt(x, rp->action);
		raw(x, "</code>), ");
		wtxt(x, N_("by"));
		raw(x, " ");
		txt(x, rp->role ? rp->role : rp->by);
		if (rp->when > 0) {
			ss_report_uk_day(rp->when, day);
			raw(x, ", ");
			txt(x, day);
		}
		if (rp->note) {
			raw(x, "<br>");
			txt(x, rp->note);
		}
		raw(x, "</li>");
	}
	raw(x, "</ol>");
}

static void followups(struct hx *x)
{
	const struct ss_report *r = x->r;
	char w[800];
	size_t i, j;

	h2(x, "follow-up", N_("7. Follow-up list"));

	if (r->public) {
		char c[32], a[32], g[32];

		ss_report_count_text(r, &r->followup_items, c, sizeof(c));
		ss_report_count_text(r, &r->followup_answered, a, sizeof(a));
		ss_report_count_text(r, &r->followup_given, g, sizeof(g));
		para(x, NULL, FOLLOW_PUBLIC, c, a, g);
		raw(x, "</section>\n");
		return;
	}
	if (r->nfollowups == 0) {
		para(x, NULL, FOLLOW_NONE);
		raw(x, "</section>\n");
		return;
	}
	para(x, "explain", FOLLOW_NOTE);
	para(x, NULL, FOLLOW_COUNT(r->nfollowups, r->followup_responses), r->nfollowups,
	     r->followup_responded, r->followup_responses, r->nfollowups - r->followup_responded);
	for (i = 0; i < r->nfollowups; i++) {
		const struct ss_report_followup *f = &r->followups[i];
		char when[SS_UK_TIME_MAX];

		raw(x, "<div class=\"flag\"><b>");
		txt(x, f->month);
		raw(x, " <code>");
		txt(x, f->id);
		raw(x, "</code></b><br>");
		txt(x, ss_report_key_words(r, ss_report_when(r, f->datetime, when, sizeof(when)), w,
		                           sizeof(w)));
		raw(x, " &middot; ");
		txt(x, ss_report_key_words(r, f->area, w, sizeof(w)));
		raw(x, " &middot; ");
		txt(x, ss_report_key_words(r, f->legislation, w, sizeof(w)));
		raw(x, " &middot; ");
		wtxt(x, N_("outcome"));
		raw(x, ": ");
		txt(x, f->outcome ? ss_report_outcome_words(r, f->outcome, w, sizeof(w))
		                  : ss_report_key_words(r, NULL, w, sizeof(w)));
		raw(x, " &middot; ");
		wtxt(x, N_("officer"));
		raw(x, ": ");
		txt(x, ss_report_key_words(r, f->officer, w, sizeof(w)));
		raw(x, "<ul>");
		for (j = 0; j < f->nflags; j++) {
			const char *q = f->flags[j].question;

			raw(x, "<li><b>");
			txt(x, r->lang == SS_LANG_EN
			           ? q
			           : ss_report_question_words(r, q, w, sizeof(w)));
			raw(x, ": ");
			txt(x, ss_report_answer_words(r, q, f->flags[j].answer, w, sizeof(w)));
			raw(x, "</b>, ");
			wtxt(x, N_("said by"));
			raw(x, " ");
			txt(x, f->flags[j].reviewer);
			raw(x, " (");
			txt(x, f->flags[j].role);
			raw(x, ")</li>");
		}
		raw(x, "</ul>");
		followup_responses(x, f);
		raw(x, "</div>");
	}
	raw(x, "</section>\n");
}

static void notes(struct hx *x)
{
	const struct ss_report *r = x->r;
	size_t i;

	h2(x, "notes", N_("8. Reviewers' notes"));

	if (r->public) {
		para(x, NULL, N_("Left out of the public version."));
		raw(x, "</section>\n");
		return;
	}
	if (r->nnotes == 0)
		para(x, NULL, N_("No notes."));
	for (i = 0; i < r->nnotes; i++) {
		const struct ss_report_note *n = &r->notes[i];

		raw(x, "<div class=\"flag\"><b>");
		txt(x, n->month);
		raw(x, " <code>");
		txt(x, n->id);
		raw(x, "</code></b>, ");
		txt(x, n->reviewer);
		raw(x, " (");
		txt(x, n->role);
		raw(x, ")<div class=\"note\">");
		txt(x, n->note);
		raw(x, "</div></div>");
	}
	raw(x, "</section>\n");
}

/* An estimate drawn with its interval: a scale from 0% to 100%, the
 * interval as a bar, the estimate as a dot. */
static void interval_svg(struct hx *x, const struct ss_report_estimate *e)
{
	if (!x->err)
		x->err = ss_report_html_interval(x->r, e, x->b);
}

static void estimates(struct hx *x)
{
	const struct ss_report *r = x->r;
	char s[1024];
	size_t i;

	/* check: "amcangyfrifon" for estimates */
	h2(x, "estimates", N_("9. Estimates for all searches"));
	para(x, "explain", ESTIMATES_NOTE);
	para(x, "explain",
	     N_("The bar runs from 0%% to 100%%; the shaded part is the interval, the "
	        "dot the estimate."));
	for (i = 0; i < r->nmonths_v1; i++)
		para(x, NULL, N_("%s: sampled without a random core, so no estimate."),
		     r->months_v1[i]);
	if (r->nestimates == 0)
		para(x, NULL, N_("No estimate: no role has answered a randomly chosen search."));
	for (i = 0; i < r->nestimates; i++) {
		const struct ss_report_estimate *e = &r->estimates[i];

		if (i == 0 || !((e->month == NULL && r->estimates[i - 1].month == NULL) ||
		                (e->month && r->estimates[i - 1].month &&
		                 strcmp(e->month, r->estimates[i - 1].month) == 0))) {
			raw(x, "<h3>");
			if (e->month)
				txt(x, e->month);
			else
				wtxt(x, N_("The whole range"));
			raw(x, "</h3>");
		}
		ss_report_estimate_text(r, e, ". ", s, sizeof(s));
		raw(x, "<div class=\"est\"><p>");
		txt(x, s);
		raw(x, ".");
		if (e->targeted > 0 && !e->hidden) {
			char t[400];

			ss_report_say(r, " ", t, sizeof(t),
			              N_("Targeted reviews, apart: %zu of %zu targeted searches."),
			              e->targeted_yes, e->targeted);
			raw(x, " <span class=\"meta\">");
			txt(x, t);
			raw(x, "</span>");
		}
		raw(x, "</p>");
		interval_svg(x, e);
		raw(x, "</div>");
	}
	raw(x, "</section>\n");
}

static void trend(struct hx *x)
{
	const struct ss_report *r = x->r;
	char c[160];
	size_t i, j;

	if (strcmp(r->from, r->to) == 0)
		return;
	h2(x, "trend", N_("10. Trend, month by month"));
	thead(x, "lnllnnl", N_("Month"), N_("Searches"), N_("Positive outcome, as recorded"),
	      N_("As corrected"), N_("Sampled"), N_("Reviewed"),
	      /* xgettext:no-c-format */
	      N_("Grounds judged not reasonable (estimate, 95% interval)"));
	for (i = 0; i < r->ntrend; i++) {
		const struct ss_report_trend *t = &r->trend[i];
		bool any = false;

		raw(x, "<tr><td>");
		txt(x, t->month);
		raw(x, "</td>");
		count_cell(x, &t->searches);
		raw(x, "<td>");
		fig_words(x, &t->positive_recorded);
		raw(x, "</td><td>");
		fig_words(x, &t->positive_corrected);
		raw(x, "</td>");
		count_cell(x, &t->sampled);
		count_cell(x, &t->reviewed);
		raw(x, "<td>");
		for (j = 0; j < r->nestimates; j++) {
			const struct ss_report_estimate *e = &r->estimates[j];

			if (!e->month || strcmp(e->month, t->month) != 0 ||
			    strcmp(e->question, "grounds") != 0 ||
			    strcmp(e->answer, "not-reasonable") != 0)
				continue;
			ss_report_estimate_short(r, e, c, sizeof(c));
			raw(x, any ? "<br>" : "");
			txt(x, e->role);
			raw(x, ": ");
			txt(x, c);
			interval_svg(x, e);
			any = true;
		}
		if (!any)
			wtxt(x, t->estimated ? N_("no estimate") : N_("no random core"));
		raw(x, "</td></tr>");
	}
	raw(x, "</tbody></table></div></section>\n");
}

int ss_report_html(const struct ss_report *r, struct ss_buf *out)
{
	struct hx x = {r, out, 0, NULL};

	head(&x);
	population(&x);
	sample(&x);
	progress(&x);
	findings(&x);
	agreement(&x);
	corrections(&x);
	followups(&x);
	notes(&x);
	estimates(&x);
	trend(&x);
	raw(&x, "<footer>");
	para(&x, "meta", N_("Made by ssaudit from the signed audit trail; format %s."),
	     SS_REPORT_FORMAT);
	raw(&x, "</footer></body></html>\n");
	return x.err ? ss_error_nomem() : 0;
}
