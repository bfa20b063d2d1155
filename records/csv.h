/*
 * csv.h - the police-csv and force-csv readers, over the CSV tokenizer of
 * csvtok.h. Internal to records/.
 *
 * Ownership: reads ctx->data in place; a value with doubled quotes is
 * unescaped into ctx->secret, which is wiped after each row.
 */
#ifndef SS_CSV_H
#define SS_CSV_H

struct ss_read_ctx;

/* Read ctx->data as ctx->format (police-csv or force-csv) into ctx->pop.
 * Structural errors are recorded with ss_ctx_error() and reading goes on with
 * the next row; returns 0 or SS_EDATA then, another code only when fatal. */
int ss_csv_read(struct ss_read_ctx *ctx);

#endif
