/*
 * textout.h - escaping for the text formats ssaudit writes: CSV (RFC 4180)
 * and HTML. Appends to a struct ss_buf the caller owns.
 */
#ifndef SS_TEXTOUT_H
#define SS_TEXTOUT_H

#include "buf.h"

/* One CSV field (NULL as empty), quoted when it holds a comma, quote, CR or LF,
 * preceded by a comma unless first. */
int ss_textout_csv(struct ss_buf *b, const char *s, bool first);
/* End a CSV row with CRLF. */
int ss_textout_csv_end(struct ss_buf *b);
/* Text with & < > " ' escaped (NULL as empty). */
int ss_textout_html(struct ss_buf *b, const char *s);

#endif
