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
#include "uktime.h"
#include "textout.h"

struct hx {
	const struct ss_report *r;
	struct ss_buf *b;
	int err;
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

static void fmt(struct hx *x, const char *f, ...) SS_PRINTF(2, 3);
static void fmt(struct hx *x, const char *f, ...)
{
	char s[512];
	va_list ap;

	va_start(ap, f);
	vsnprintf(s, sizeof(s), f, ap);
	va_end(ap);
	txt(x, s);
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

/* Colours that stay distinct for most colour-blind readers and in greyscale print. */
static const char *const palette[] = {"#1b6ca8", "#d1495b", "#edae49", "#66a182",
                                      "#6c4f8f", "#8d6e63", "#00798c", "#555555"};
#define NPALETTE (sizeof(palette) / sizeof(palette[0]))

static const char *css =
    "svg.ci{display:block;width:100%;max-width:28em;height:auto}"
    ":root{--ink:#161616;--muted:#505050;--rule:#c8c8c8;--bar:#1b6ca8;--bg:#fff}"
    "*{box-sizing:border-box}"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:0 auto;"
    "max-width:62rem;padding:1rem;color:var(--ink);background:var(--bg);line-height:1.45}"
    "h1{font-size:1.5rem;margin:.2rem 0 .4rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;"
    "padding-top:.5rem;border-top:3px solid var(--ink)}h3{font-size:1.05rem;margin:1.4rem 0 .4rem}"
    "h4{font-size:1rem;margin:1rem 0 .3rem}"
    ".meta,.explain{color:var(--muted)}.explain{max-width:46rem}"
    ".public{background:#e8f1fa;border-left:4px solid var(--bar);padding:.5rem .8rem}"
    ".caveat{background:#fff8e1;border-left:4px solid #f0b400;padding:.5rem .8rem}"
    "nav ol{columns:2 14rem;padding-left:1.3rem;margin:.5rem 0}"
    ".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.6rem;"
    "margin:.6rem 0}"
    ".kpi{border:1px solid var(--rule);border-radius:6px;padding:.5rem .7rem}"
    ".kpi b{display:block;font-size:1.35rem}.kpi span{color:var(--muted);font-size:.9rem}"
    ".tw{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:.3rem 0 .8rem}"
    "table{border-collapse:collapse;min-width:100%;font-size:.95rem}"
    "th,td{padding:.25rem .5rem;border-bottom:1px solid var(--rule);text-align:left;"
    "vertical-align:top}"
    "th{font-weight:600;border-bottom:2px solid var(--ink)}"
    "td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "td.bar{width:35%;min-width:6rem;vertical-align:middle}"
    "td.bar svg{display:block;width:100%;height:.9rem}"
    ".few{font-size:.8rem;color:#8a4b00;white-space:nowrap}"
    ".legend span{display:inline-block;margin:0 .8rem .2rem 0}"
    ".sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:-.05em}"
    ".flag{margin:.5rem 0;padding:.4rem .7rem;border:1px solid var(--rule);border-radius:6px;"
    "break-inside:avoid;page-break-inside:avoid}"
    ".note{white-space:pre-wrap;background:#f4f4f4;padding:.4rem .6rem;border-radius:4px}"
    "code{font-size:.9em;word-break:break-all}"
    "@media (max-width:40rem){body{padding:.6rem;font-size:.95rem}th,td{padding:.2rem .3rem}"
    "td.bar{min-width:4rem}h2{margin-top:1.5rem}"
    /* a phone: tables fit the screen, their words wrap, nothing scrolls sideways */
    "table{table-layout:fixed;width:100%;min-width:0;font-size:.85rem}"
    "th,td{overflow-wrap:anywhere;word-break:break-word;hyphens:auto}"
    "td.n,th.n,.few{white-space:normal}td.bar{min-width:0;width:22%}}"
    "@media print{body{max-width:none;padding:0;font-size:10pt}nav{display:none}"
    "h2{break-after:avoid;page-break-after:avoid}h3,h4{break-after:avoid;"
    "page-break-after:avoid}"
    "tr,.kpi{break-inside:avoid;page-break-inside:avoid}"
    ".tw{overflow:visible}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".public,.caveat{border:1px solid #000}}";

const char *ss_report_html_style(void)
{
	return css;
}

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

static void count_cell(struct hx *x, const struct ss_report_fig *f)
{
	char c[32];

	ss_report_count_text(x->r, f, c, sizeof(c));
	raw(x, "<td class=\"n\">");
	txt(x, f->field && f->denom == 0 ? "not recorded" : c);
	raw(x, "</td>");
}

static void pct_cell(struct hx *x, const struct ss_report_fig *f)
{
	char p[32];

	ss_report_pct_text(f, p, sizeof(p));
	raw(x, "<td class=\"n\">");
	txt(x, p);
	if (ss_report_fig_few(f))
		raw(x, "<br><span class=\"few\">(fewer than 10 records)</span>");
	if (f->field && f->denom > 0 && f->unrecorded_hidden)
		raw(x, "<br><span class=\"few\">not recorded: [c]</span>");
	else if (f->field && f->denom > 0 && !x->err)
		x->err = ss_buf_printf(x->b, "<br><span class=\"few\">not recorded: %zu</span>",
		                       f->unrecorded);
	raw(x, "</td>");
}

static void fig_words(struct hx *x, const struct ss_report_fig *f)
{
	char s[160];

	ss_report_fig_text(x->r, f, s, sizeof(s));
	txt(x, s);
}

static void kpi(struct hx *x, const char *label, const struct ss_report_fig *f)
{
	char c[32], p[32];

	ss_report_count_text(x->r, f, c, sizeof(c));
	ss_report_pct_text(f, p, sizeof(p));
	raw(x, "<div class=\"kpi\"><b>");
	txt(x, f->field && f->denom == 0 ? "not recorded" : *p ? p : c);
	raw(x, "</b><span>");
	txt(x, label);
	if (f->denom || f->field) {
		raw(x, ": ");
		fig_words(x, f);
	}
	raw(x, "</span></div>");
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
		raw(x, "<p class=\"meta\">None.</p>");
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
		txt(x, ss_report_key_text(t->rows[i].key));
		if (t->cross) {
			raw(x, "</td><td>");
			txt(x, ss_report_key_text(t->rows[i].subkey));
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
	if (same && !x->err)
		x->err = ss_buf_printf(x->b,
		                       "<p class=\"few\">(fewer than 10 records: these shares rest "
		                       "on %zu)</p>",
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

	if (t->nrows == 0 || nv == 0) {
		raw(x, "<p class=\"meta\">None.</p>");
		return;
	}
	raw(x, "<div class=\"tw\"><table><thead><tr><th>");
	txt(x, key_head);
	raw(x, "</th><th class=\"n\">Answers</th>");
	for (j = 0; j < nv; j++) {
		raw(x, "<th class=\"n\">");
		swatch(x, j);
		txt_wbr(x, ss_report_key_text(answers->rows[j].key));
		raw(x, "</th>");
	}
	raw(x, "<th>Chart</th></tr></thead><tbody>");
	for (i = 0; i + nv <= t->nrows; i += nv) {
		struct ss_report_fig den = {.count = t->rows[i].fig.denom,
		                            .hidden = t->rows[i].fig.denom_hidden};
		unsigned long long at = 0, tt;
		char total[32];

		raw(x, "<tr><td>");
		txt(x, ss_report_key_text(t->rows[i].key));
		raw(x, "</td><td class=\"n\">");
		ss_report_count_text(x->r, &den, total, sizeof(total));
		txt(x, total);
		if (t->rows[i].fig.denom > 0 && t->rows[i].fig.denom < SS_REPORT_FEW &&
		    !t->rows[i].fig.denom_hidden)
			raw(x, "<br><span class=\"few\">(fewer than 10 records)</span>");
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
	raw(x, css);
	raw(x, "</style></head><body>\n<header><h1>");
	txt(x, t);
	raw(x, "</h1><p class=\"meta\">");
	if (*r->title && strcmp(r->title, r->policy_name) != 0) {
		txt(x, r->title);
		raw(x, " &middot; ");
	}
	raw(x, "policy: ");
	txt(x, r->policy_name);
	raw(x, "</p><p class=\"meta\">");
	if (r->nmonths_data) {
		raw(x, "Months with records:");
		for (i = 0; i < r->nmonths_data; i++) {
			raw(x, i ? ", " : " ");
			txt(x, r->months_data[i]);
		}
		raw(x, ". ");
	}
	if (r->nmonths_missing) {
		raw(x, "<b>Months with no records imported:</b>");
		for (i = 0; i < r->nmonths_missing; i++) {
			raw(x, i ? ", " : " ");
			txt(x, r->months_missing[i]);
		}
		raw(x, ". ");
	}
	if (r->nmonths_unsampled) {
		raw(x, "Imported but not yet sampled:");
		for (i = 0; i < r->nmonths_unsampled; i++) {
			raw(x, i ? ", " : " ");
			txt(x, r->months_unsampled[i]);
		}
		raw(x, ".");
	}
	raw(x, "</p>");
	if (r->public) {
		raw(x, "<p class=\"public\"><b>Public version.</b> <b>[c]</b> ");
		fmt(x,
		    "marks a count kept confidential. Reviewers' findings, corrections "
		    "and responses from 1 to %u are hidden, and so are further counts until no "
		    "hidden count can be narrowed down to a range less than %u wide from anything "
		    "else this report shows; a percentage, rate or estimate resting on a hidden "
		    "count is left out. The population's figures are public already and shown in "
		    "full. Reviewers' notes, the follow-up list's record ids, officer pseudonyms "
		    "and "
		    "per-reviewer figures are not included.",
		    r->public_min - 1, r->public_min);
		raw(x, "</p>");
	}
	raw(x, "<p class=\"explain\">Every percentage stands beside its count. A percentage "
	       "resting on fewer than 10 records says so: one record more or less can change it "
	       "a lot.</p>");
	if (r->ncaveats) {
		raw(x, "<div class=\"caveat\"><b>Please note</b><ul>");
		for (i = 0; i < r->ncaveats; i++) {
			raw(x, "<li>");
			txt(x, r->caveats[i]);
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
	kpi(x, "Searches recorded", &r->searches);
	kpi(x, "With a positive outcome (as the policy defines it)", &r->positive);
	kpi(x, "Outcome linked to the object of the search", &r->linked);
	kpi(x, "Strip searches (more than outer clothing removed)", &r->strip);
	kpi(x, "Children searched (under 10, and 10-17)", &r->children);
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
		raw(x, "</h3>"
		       "<p class=\"explain\">Figures for residents: <b>");
		txt(x, r->census_source ? r->census_source
		                        : "the policy does not say where they come from");
		raw(x, r->census_source && *r->census_source &&
		               r->census_source[strlen(r->census_source) - 1] == '.'
		           ? "</b> The rate"
		           : "</b>. The rate");
		raw(x, " counts searches in the months covered (not per year). The "
		       "ratio compares each group's rate with the rate for White residents: 2.00 "
		       "means twice as likely to be searched.</p>");
		for (i = 0; i < r->nrates; i++)
			if (r->rates[i].ratio_defined && r->rates[i].ratio_x100 > maxratio)
				maxratio = r->rates[i].ratio_x100;
		raw(x, "<div class=\"tw\"><table><thead><tr><th>Area</th><th>Ethnicity</th>"
		       "<th class=\"n\">Residents</th><th class=\"n\">Searches</th>"
		       "<th class=\"n\">Per 1,000</th><th class=\"n\">Ratio to White</th>"
		       "<th>Ratio</th></tr></thead><tbody>");
		for (i = 0; i < r->nrates; i++) {
			const struct ss_report_rate *rt = &r->rates[i];
			char s[32];

			raw(x, "<tr><td>");
			txt(x, rt->area ? rt->area : "whole force");
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
				txt(x, rt->residents ? "withheld" : "no residents");
			}
			raw(x, "</td><td class=\"n\">");
			if (rt->ratio_defined) {
				ss_report_x100_text(rt->ratio_x100, s, sizeof(s));
				txt(x, s);
				if (rt->few)
					raw(x, "<br><span class=\"few\">(fewer than 10 "
					       "records)</span>");
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
		raw(x, "</tbody></table></div><p>Searches outside these groups (other or blank "
		       "ethnicity, or an area the figures do not cover): ");
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
		raw(x, "<p>No month in the range has been sampled yet.</p>");
	for (i = 0; i < r->nsamples; i++) {
		const struct ss_report_sample *s = &r->samples[i];
		char words[32];

		ss_month_words(s->month, words, sizeof(words));
		raw(x, "<h3>");
		txt(x, words);
		raw(x, "</h3><p>Seed <code>");
		txt(x, s->seed);
		raw(x, "</code> (");
		txt(x, s->generated ? "generated by ssaudit, not given at a meeting"
		                    : "given, e.g. dice rolled at the meeting");
		raw(x, "), rate ");
		txt(x, s->rate);
		if (!s->policy_matches)
			raw(x, ", <b>under a different policy</b>");
		raw(x, ". Searches sampled: ");
		fig_words(x, &s->sampled);
		if (s->version < 2) {
			raw(x, "; always included by the policy's rules: ");
			fig_words(x, &s->always);
		} else {
			raw(x, "; in the random core: ");
			fig_words(x, &s->core);
			raw(x, "; targeted by the policy's rules, outside the core: ");
			fig_words(x, &s->targeted);
			raw(x, "; targeted but not reached (the rate was full): ");
			fig_words(x, &s->not_reached);
		}
		raw(x, ".</p>");
		if (s->nwarnings) {
			raw(x, "<ul class=\"warn\">");
			for (j = 0; j < s->nwarnings; j++) {
				raw(x, "<li>");
				txt(x, s->warnings[j]);
				raw(x, "</li>");
			}
			raw(x, "</ul>");
		}
		raw(x, "<div class=\"tw\"><table><thead><tr><th>Stratum</th>"
		       "<th class=\"n\">Searches</th>");
		if (s->version >= 2)
			raw(x, "<th class=\"n\">Core</th>");
		raw(x, "<th class=\"n\">Always</th>");
		if (s->version >= 2)
			raw(x, "<th class=\"n\">Targeted</th><th class=\"n\">Not reached</th>");
		raw(x, "<th class=\"n\">Drawn</th><th class=\"n\">Share drawn</th><th>Chart</th>"
		       "</tr></thead><tbody>");
		for (j = 0; j < s->nstrata; j++) {
			const struct ss_report_stratum *st = &s->strata[j];

			raw(x, "<tr><td>");
			txt(x, st->label);
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
			raw(x, "<h4>Blank values in the fields the sampling rules read</h4>"
			       "<div class=\"tw\"><table><thead><tr><th>Field</th>"
			       "<th class=\"n\">Blank</th><th class=\"n\">Share</th><th>Chart</th>"
			       "</tr></thead><tbody>");
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
		raw(x, "<p>Nothing to review yet.</p></section>\n");
		return;
	}
	raw(x, "<p class=\"explain\">Records each role must review, and how many have at least "
	       "one verdict.</p><div class=\"tw\"><table><thead><tr><th>Role</th><th>Month</th>"
	       "<th class=\"n\">Assigned</th><th class=\"n\">Reviewed</th>"
	       "<th class=\"n\">Share</th><th class=\"n\">Waived</th><th class=\"n\">Missing</th>"
	       "<th>Reviewed</th></tr></thead><tbody>");
	for (i = 0; i < r->nprogress; i++) {
		const struct ss_report_progress *p = &r->progress[i];

		raw(x, "<tr><td>");
		txt(x, p->role);
		raw(x, "</td><td>");
		txt(x, p->month ? p->month : "all months");
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
	static const char *const heads[3] = {"Area", "Officer-defined ethnicity", "Legislation"};
	char v[32];
	size_t i, q, b;

	h2(x, "findings", N_("4. Findings, per role"));
	raw(x, "<p class=\"explain\">"
	       "Each reviewer's answer counts once (a record two members of a role reviewed "
	       "counts twice).</p>");
	for (i = 0; i < r->nfindings; i++) {
		const struct ss_report_findings *f = &r->findings[i];

		ss_report_count_text(r, &f->verdicts, v, sizeof(v));
		raw(x, "<h3>");
		txt(x, f->role);
		raw(x, ": ");
		txt(x, v);
		raw(x, f->verdicts.count == 1 && !f->verdicts.hidden ? " verdict</h3>"
		                                                     : " verdicts</h3>");
		if (f->verdicts.count == 0)
			continue;
		for (q = 0; q < f->nquestions; q++) {
			const struct ss_report_qfind *qf = &f->questions[q];

			raw(x, "<h4>");
			txt(x, qf->question);
			raw(x, " <span class=\"meta\">(");
			txt(x, qf->id);
			raw(x, ")</span></h4>");
			table_in(x, &qf->answers, "Answer", "Answers", true);
			for (b = 0; b < 3; b++) {
				raw(x, "<p><b>");
				txt(x, qf->id);
				raw(x, " ");
				txt(x, qf->by[b].title);
				raw(x, "</b></p>");
				cross(x, &qf->by[b], heads[b], &qf->answers);
			}
		}
	}
	raw(x, "</section>\n");
}

static void agreement(struct hx *x)
{
	const struct ss_report *r = x->r;
	const struct ss_report_agreement *ag = &r->agreement;
	char k[32];
	size_t i, j, m;

	h2(x, "agreement", N_("5. Agreement between roles"));

	if (ag->question == NULL || ag->npairs == 0) {
		raw(x, "<p>There are fewer than two reviewing roles to compare.</p></section>\n");
		return;
	}
	raw(x, "<p class=\"explain\">On the question <b>");
	txt(x, ag->question);
	raw(x, "</b>, for the records both roles answered. Where several members of a role "
	       "reviewed a record, the answer most of them gave counts; an even split leaves the "
	       "record out (\"ties\"). Cohen's kappa is agreement beyond what chance would give: 1 "
	       "is full agreement, 0 no better than chance; it is undefined when both roles gave "
	       "one and the same answer every time.</p><div class=\"tw\"><table><thead><tr>"
	       "<th>Roles</th><th class=\"n\">Records</th><th class=\"n\">Agreeing</th>"
	       "<th class=\"n\">Share</th><th class=\"n\">Kappa</th>"
	       "<th class=\"n\">Ties left out</th><th>Agreeing</th></tr></thead><tbody>");
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
		ss_report_kappa_text(p, k, sizeof(k));
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
		txt(x, p->role_a);
		raw(x, " (rows) by ");
		txt(x, p->role_b);
		raw(x, " (columns)</h4><div class=\"tw\"><table><thead><tr><th></th>");
		for (j = 0; j < ag->nvalues; j++) {
			raw(x, "<th class=\"n\">");
			txt(x, ag->values[j]);
			raw(x, "</th>");
		}
		raw(x, "</tr></thead><tbody>");
		for (j = 0; j < ag->nvalues; j++) {
			raw(x, "<tr><th>");
			txt(x, ag->values[j]);
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

	h2(x, "corrections", N_("6. Outcome corrections"));
	raw(x, "<p class=\"explain\">"
	       "Outcomes are set at the time of the search; the force corrects them later (a lab "
	       "result, a charge). The records keep the original; this is the change.</p>"
	       "<div class=\"kpis\">");
	kpi(x, "Corrections recorded", &c->corrections);
	kpi(x, "Searches with a correction", &c->records);
	raw(x, "</div><div class=\"tw\"><table><thead><tr><th></th><th class=\"n\">Searches</th>"
	       "<th class=\"n\">Share</th><th>Chart</th></tr></thead><tbody><tr>"
	       "<td>Positive outcome, as recorded at the time</td>");
	count_cell(x, &c->positive_recorded);
	pct_cell(x, &c->positive_recorded);
	bar(x, &c->positive_recorded);
	raw(x, "</tr><tr><td>Positive outcome, as corrected</td>");
	count_cell(x, &c->positive_corrected);
	pct_cell(x, &c->positive_corrected);
	bar(x, &c->positive_corrected);
	raw(x, "</tr><tr><td>Outcome linked to the object, as recorded</td>");
	count_cell(x, &c->linked_recorded);
	pct_cell(x, &c->linked_recorded);
	bar(x, &c->linked_recorded);
	raw(x, "</tr><tr><td>Outcome linked to the object, as corrected</td>");
	count_cell(x, &c->linked_corrected);
	pct_cell(x, &c->linked_corrected);
	bar(x, &c->linked_corrected);
	raw(x, "</tr></tbody></table></div><h3>");
	txt(x, c->outcome.title);
	raw(x, "</h3>");
	table(x, &c->outcome, N_("From"), N_("Searches"));
	raw(x, "<h3>");
	txt(x, c->linked.title);
	raw(x, "</h3>");
	table(x, &c->linked, N_("From"), N_("Searches"));
	raw(x, "</section>\n");
}

/* What the force did about one item, or how long it has waited. */
static void followup_responses(struct hx *x, const struct ss_report_followup *f)
{
	const struct ss_report *r = x->r;
	char day[11];
	size_t k;

	if (f->nresponses == 0) {
		if (f->days >= 0)
			rawf(x,
			     "<p class=\"awaiting\">Awaiting a response: %ld day%s since the month "
			     "closed.</p>",
			     f->days, f->days == 1 ? "" : "s");
		else
			rawf(x, "<p class=\"awaiting\">Awaiting a response (the month is %s).</p>",
			     f->closed ? "closed" : "still open");
		return;
	}
	raw(x, "<p>The force's response:</p><ol>");
	for (k = 0; k < f->nresponses; k++) {
		const struct ss_report_response *rp = &f->responses[k];

		raw(x, "<li><b>");
		txt(x, ss_policy_response_words(r->policy, rp->action, "en"));
		raw(x, "</b> (<code>");
		txt(x, rp->action);
		raw(x, "</code>), by ");
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
	size_t i, j;

	h2(x, "follow-up", N_("7. Follow-up list"));

	if (r->public) {
		char c[32], a[32], g[32];

		ss_report_count_text(r, &r->followup_items, c, sizeof(c));
		ss_report_count_text(r, &r->followup_answered, a, sizeof(a));
		ss_report_count_text(r, &r->followup_given, g, sizeof(g));
		raw(x, "<p>");
		fmt(x,
		    "Searches on the follow-up list: %s; with the force's response: %s "
		    "(responses: %s). Record ids, officers and notes are left out of the "
		    "public version.",
		    c, a, g);
		raw(x, "</p></section>\n");
		return;
	}
	if (r->nfollowups == 0) {
		raw(x,
		    "<p>No reviewer judged a search's grounds not reasonable or raised a concern "
		    "about its conduct.</p></section>\n");
		return;
	}
	raw(x, "<p class=\"explain\">Searches a reviewer judged not reasonable (grounds) or "
	       "raised concerns about (conduct), with who said so, and what the force did "
	       "about each.</p>");
	rawf(x, "<p>%zu item%s; %zu with a response (%zu response%s); %zu awaiting a response.</p>",
	     r->nfollowups, r->nfollowups == 1 ? "" : "s", r->followup_responded,
	     r->followup_responses, r->followup_responses == 1 ? "" : "s",
	     r->nfollowups - r->followup_responded);
	for (i = 0; i < r->nfollowups; i++) {
		const struct ss_report_followup *f = &r->followups[i];
		char when[SS_UK_TIME_MAX];

		raw(x, "<div class=\"flag\"><b>");
		txt(x, f->month);
		raw(x, " <code>");
		txt(x, f->id);
		raw(x, "</code></b><br>");
		txt(x, ss_report_key_text(ss_report_when(r, f->datetime, when, sizeof(when))));
		raw(x, " &middot; ");
		txt(x, ss_report_key_text(f->area));
		raw(x, " &middot; ");
		txt(x, ss_report_key_text(f->legislation));
		raw(x, " &middot; outcome: ");
		txt(x, ss_report_key_text(f->outcome));
		raw(x, " &middot; officer: ");
		txt(x, ss_report_key_text(f->officer));
		raw(x, "<ul>");
		for (j = 0; j < f->nflags; j++) {
			raw(x, "<li><b>");
			txt(x, f->flags[j].question);
			raw(x, ": ");
			txt(x, f->flags[j].answer);
			raw(x, "</b>, said by ");
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
		raw(x, "<p>Left out of the public version.</p></section>\n");
		return;
	}
	if (r->nnotes == 0)
		raw(x, "<p>No notes.</p>");
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
	if (e->hidden || e->e.method == SS_ESTIMATE_NONE)
		return;
	rawf(x,
	     "<svg class=\"ci\" viewBox=\"0 0 104 14\" role=\"img\" aria-label=\"estimate "
	     "%.0f%%, interval %.0f%% to %.0f%%\"><line x1=\"2\" y1=\"12\" x2=\"102\" "
	     "y2=\"12\" stroke=\"#888\" stroke-width=\"0.5\"/>"
	     "<line x1=\"2\" y1=\"10\" x2=\"2\" y2=\"14\" stroke=\"#888\" "
	     "stroke-width=\"0.5\"/><line x1=\"52\" y1=\"10\" x2=\"52\" y2=\"14\" "
	     "stroke=\"#888\" stroke-width=\"0.5\"/><line x1=\"102\" y1=\"10\" x2=\"102\" "
	     "y2=\"14\" stroke=\"#888\" stroke-width=\"0.5\"/>"
	     "<rect x=\"%.2f\" y=\"4\" width=\"%.2f\" height=\"4\" fill=\"#9ecae1\"/>"
	     "<circle cx=\"%.2f\" cy=\"6\" r=\"2.2\" fill=\"#08519c\"/></svg>",
	     e->e.estimate * 100, e->e.lower * 100, e->e.upper * 100, 2 + e->e.lower * 100,
	     (e->e.upper - e->e.lower) * 100, 2 + e->e.estimate * 100);
}

static void estimates(struct hx *x)
{
	const struct ss_report *r = x->r;
	char s[1024];
	size_t i;

	/* check: "amcangyfrifon" for estimates */
	h2(x, "estimates", N_("9. Estimates for all searches"));
	raw(x, ""
	       "<p class=\"explain\">What each role found on the randomly chosen searches (the "
	       "random core of the sample), as an estimate for all the searches, with a 95% "
	       "interval: the true share lies in it 19 times in 20. The bar runs from 0% to "
	       "100%; the shaded part is the interval, the dot the estimate. Targeted searches "
	       "(chosen because of a rule) are reported apart and never counted in.</p>");
	for (i = 0; i < r->nmonths_v1; i++) {
		raw(x, "<p>");
		txt(x, r->months_v1[i]);
		raw(x, ": sampled without a random core, so no estimate.</p>");
	}
	if (r->nestimates == 0)
		raw(x, "<p>No estimate: no role has answered a randomly chosen search.</p>");
	for (i = 0; i < r->nestimates; i++) {
		const struct ss_report_estimate *e = &r->estimates[i];

		if (i == 0 || !((e->month == NULL && r->estimates[i - 1].month == NULL) ||
		                (e->month && r->estimates[i - 1].month &&
		                 strcmp(e->month, r->estimates[i - 1].month) == 0))) {
			raw(x, "<h3>");
			txt(x, e->month ? e->month : "The whole range");
			raw(x, "</h3>");
		}
		ss_report_estimate_text(r, e, s, sizeof(s));
		raw(x, "<div class=\"est\"><p>");
		txt(x, s);
		raw(x, ".");
		if (e->targeted > 0 && !e->hidden)
			rawf(x,
			     " <span class=\"meta\">Targeted reviews, apart: %zu of %zu targeted "
			     "searches.</span>",
			     e->targeted_yes, e->targeted);
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
	raw(x,
	    ""
	    "<div class=\"tw\"><table><thead><tr><th>Month</th><th class=\"n\">Searches</th>"
	    "<th>Positive outcome, as recorded</th><th>As corrected</th>"
	    "<th class=\"n\">Sampled</th><th class=\"n\">Reviewed</th>"
	    "<th>Grounds judged not reasonable (estimate, 95% interval)</th></tr></thead><tbody>");
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
			ss_report_estimate_short(e, c, sizeof(c));
			raw(x, any ? "<br>" : "");
			txt(x, e->role);
			raw(x, ": ");
			txt(x, c);
			interval_svg(x, e);
			any = true;
		}
		if (!any)
			txt(x, t->estimated ? "no estimate" : "no random core");
		raw(x, "</td></tr>");
	}
	raw(x, "</tbody></table></div></section>\n");
}

int ss_report_html(const struct ss_report *r, struct ss_buf *out)
{
	struct hx x = {r, out, 0};

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
	raw(&x, "<footer><p class=\"meta\">Made by ssaudit from the signed audit trail; format ");
	txt(&x, SS_REPORT_FORMAT);
	raw(&x, ".</p></footer></body></html>\n");
	return x.err ? ss_error_nomem() : 0;
}
