/*
 * pack.h - review packs for a panel meeting: the worksheet (CSV, read back
 * by `review --from`) and the printable pack (one self-contained HTML file).
 *
 * Ownership: everything in the request is borrowed; output is appended to the
 * caller's buffer.
 */
#ifndef SS_PACK_H
#define SS_PACK_H

#include "buf.h"
#include "lang.h"
#include "policy.h"
#include "record.h"
#include "registry.h"
#include "sample.h"

struct ss_pack_req {
	const char *month;
	const char *role;
	const char *reviewer;           /* fills the reviewer column; NULL: left blank */
	const char *title;              /* the trail's name, for the HTML heading */
	const struct ss_policy *policy; /* the questions */
	const struct ss_sample *sample;
	const struct ss_population *pop;
	const char *const *ids; /* the records, in ticket order */
	size_t nids;
	enum ss_lang lang; /* of the words people read (never of ids, columns or values) */
};

/*
 * May a pack for role be made out to handle? 0 when handle is registered, not
 * removed, a member of role, and able to have a verdict recorded (holds a key,
 * or the policy lets some role enter verdicts for role); else SS_EFAIL in
 * words saying which and what to do.
 */
int ss_pack_check_reviewer(const struct ss_policy *pol, const struct ss_registry *reg,
                           const char *role, const char *handle);

/* How many of the pack's records carry no written grounds (data.police.uk input). */
size_t ss_pack_without_grounds(const struct ss_pack_req *req);

/* Columns: month,id,role,reviewer,<question ids>,note, then details to help the
 * reader: the allowed answers, then the record's details. */
int ss_pack_csv(const struct ss_pack_req *req, struct ss_buf *out);
int ss_pack_html(const struct ss_pack_req *req, struct ss_buf *out);

/* The detail columns that follow `note` in the worksheet. */
extern const enum ss_field ss_pack_detail_fields[];
extern const size_t ss_pack_ndetail_fields;

#endif
