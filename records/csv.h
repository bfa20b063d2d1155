/*
 * csv.h - the police-csv and force-csv readers, over the CSV tokenizer of
 * csvtok.h. Internal to records/.
 *
 * Ownership: reads ctx->data in place; a value with doubled quotes is
 * unescaped into ctx->secret, which is wiped after each row.
 */
#ifndef SS_CSV_H
#define SS_CSV_H

#include <stdbool.h>
#include <stddef.h>

struct ss_read_ctx;

/* The force-csv columns in order: the police-csv header's fifteen, then the
 * force's own (Reference ... Subject PNC ID); NULL past the last. */
const char *ss_csv_column(size_t i);
/* Is name (len bytes, compared without case) one of the force's own columns? */
bool ss_csv_force_column(const char *name, size_t len);

/* Read ctx->data as ctx->format (police-csv or force-csv) into ctx->pop.
 * Structural errors are recorded with ss_ctx_error() and reading goes on with
 * the next row; returns 0 or SS_EDATA then, another code only when fatal. */
int ss_csv_read(struct ss_read_ctx *ctx);

#endif
