/*
 * report_style.c - what the HTML report looks like: its style sheet (the
 * feedback sheets use it too) and the drawing of an estimate with its
 * interval.
 */
#include <stdio.h>

#include "report.h"
#include "report_int.h"
#include "textout.h"

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

int ss_report_html_interval(const struct ss_report *r, const struct ss_report_estimate *e,
                            struct ss_buf *b)
{
	char label[256];
	int err;

	if (e->hidden || e->e.method == SS_ESTIMATE_NONE)
		return 0;
	ss_report_say(r, " / ", label, sizeof(label),
	              N_("estimate %.0f%%, interval %.0f%% to %.0f%%"), e->e.estimate * 100,
	              e->e.lower * 100, e->e.upper * 100);
	if ((err = ss_buf_puts(b, "<svg class=\"ci\" viewBox=\"0 0 104 14\" role=\"img\" "
	                          "aria-label=\"")) ||
	    (err = ss_textout_html(b, label)))
		return err;
	return ss_buf_printf(
	    b,
	    "\"><line x1=\"2\" y1=\"12\" x2=\"102\" "
	    "y2=\"12\" stroke=\"#888\" stroke-width=\"0.5\"/>"
	    "<line x1=\"2\" y1=\"10\" x2=\"2\" y2=\"14\" stroke=\"#888\" "
	    "stroke-width=\"0.5\"/><line x1=\"52\" y1=\"10\" x2=\"52\" y2=\"14\" "
	    "stroke=\"#888\" stroke-width=\"0.5\"/><line x1=\"102\" y1=\"10\" x2=\"102\" "
	    "y2=\"14\" stroke=\"#888\" stroke-width=\"0.5\"/>"
	    "<rect x=\"%.2f\" y=\"4\" width=\"%.2f\" height=\"4\" fill=\"#9ecae1\"/>"
	    "<circle cx=\"%.2f\" cy=\"6\" r=\"2.2\" fill=\"#08519c\"/></svg>",
	    2 + e->e.lower * 100, (e->e.upper - e->e.lower) * 100, 2 + e->e.estimate * 100);
}
