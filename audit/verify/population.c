/*
 * population.c - a month's population as verify reads it: a piece at a time,
 * never whole (store/month's streamed reader), each population.jsonl blob
 * read once for everything verify asks of it when it can be.
 *
 * The import's check reads every line once: its form, its subject's and
 * officer's pseudonyms, and its id derived afresh (records' ss_id_stream),
 * while the file's SHA-256 is taken. What is kept of a blob (struct vpop, at
 * most MAX_POPULATIONS at once) is what later checks read: the ids, the
 * fields the draw of the policy in force reads and the correctable outcome,
 * with the digest, so the sample re-derives without a second read. A read
 * that finds the fields it needs missing reads the blob again.
 *
 * Ownership: vctx.populations owns every struct vpop (ss_verify_vpop_free).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "month.h"
#include "pseudonym.h"
#include "stored.h"
#include "verify_int.h"

/* What is kept of a population.jsonl blob. */
struct vpop {
	struct ss_population *pop; /* NULL: not valid (error says why) */
	uint32_t fields;           /* the string fields pop keeps */
	char sha256[65];           /* of the blob's bytes */
	char *error;               /* why it is not valid; NULL when it is */
};

void ss_verify_vpop_free(void *p)
{
	struct vpop *vp = p;

	if (vp == NULL)
		return;
	ss_population_free(vp->pop);
	free(vp->error);
	free(vp);
}

/* The outcome, which a correction says it changes from (the outcome's
 * linked flag is a boolean, always kept). */
#define CORRECTED SS_STORED_BIT(SS_F_OUTCOME)

/* Keep vp as the blob's (at most MAX_POPULATIONS at once); takes vp. */
static int keep(struct vctx *v, const struct ss_oid *blob, struct vpop *vp)
{
	union ss_map_value *slot;
	int err;

	if ((slot = ss_map_get(v->populations, blob->id, sizeof(blob->id))) != NULL) {
		ss_verify_vpop_free(slot->ptr);
		slot->ptr = vp;
		return 0;
	}
	if (ss_map_count(v->populations) >= MAX_POPULATIONS) {
		ss_verify_free_map(v->populations, ss_verify_vpop_free);
		v->populations = NULL;
		if ((err = ss_verify_oid_map(&v->populations)) != 0)
			goto fail;
	}
	if ((err = ss_map_put(v->populations, blob->id, sizeof(blob->id), &slot, NULL)) != 0)
		goto fail;
	slot->ptr = vp;
	return 0;
fail:
	ss_verify_vpop_free(vp);
	return err;
}

static const struct vpop *kept(struct vctx *v, const struct ss_oid *blob, uint32_t fields)
{
	union ss_map_value *slot = ss_map_get(v->populations, blob->id, sizeof(blob->id));
	const struct vpop *vp = slot != NULL ? slot->ptr : NULL;

	if (vp == NULL || (vp->pop != NULL && (vp->fields & fields) != fields))
		return NULL;
	return vp;
}

/*
 * Read a blob as it streams, keeping rd's fields, each line given to rd's
 * hook when it has one. *out the blob's vpop (the caller's). A population
 * that is not valid gives a vpop with no records and the reason; one that
 * cannot be read gives none (*out NULL) and the read's error (SS_EIO and
 * the like).
 */
static int read_blob(struct ss_trail *t, const struct ss_oid *blob, const char *path,
                     struct ss_month_read *rd, struct vpop **out)
{
	struct vpop *vp = calloc(1, sizeof(*vp));
	int err;

	*out = NULL;
	if (vp == NULL)
		return ss_error_nomem();
	rd->want_sha256 = true;
	vp->fields = rd->keep.fields;
	err = ss_month_population_read_blob(t, blob, path, rd, &vp->pop);
	if (err == SS_EDATA) {
		if ((vp->error = strdup(ss_error_message())) == NULL) {
			ss_verify_vpop_free(vp);
			return ss_error_nomem();
		}
		vp->fields = SS_STORED_ALL; /* nothing more to read */
		err = 0;
	}
	if (err) {
		ss_verify_vpop_free(vp);
		return err;
	}
	memcpy(vp->sha256, rd->sha256, sizeof(vp->sha256));
	*out = vp;
	return 0;
}

/* read_blob, the vpop kept as the blob's (borrowed). */
static int read_kept(struct vctx *v, const struct ss_oid *blob, const char *path,
                     struct ss_month_read *rd, const struct vpop **out)
{
	struct vpop *vp;
	int err;

	*out = NULL;
	if ((err = read_blob(v->t, blob, path, rd, &vp)) != 0 || (err = keep(v, blob, vp)) != 0)
		return err;
	*out = vp;
	return 0;
}

/* ------------------------------------------------- the import's check */

#define MAX_RECORD_PROBLEMS 5 /* problems told one by one per population; then a count */

enum record_problem { BAD_FORM, BAD_SUBJECT, BAD_OFFICER };

/* The problems of the records, held until the whole file has been read: a
 * file that turns out not to be valid is reported as that alone. */
struct told {
	struct {
		enum record_problem what;
		size_t line;
		char id[SS_ID_LEN + 1];
	} first[MAX_RECORD_PROBLEMS];
	size_t n;
};

static void tell(struct told *t, enum record_problem what, size_t line, const char *id)
{
	if (t->n < MAX_RECORD_PROBLEMS) {
		t->first[t->n].what = what;
		t->first[t->n].line = line;
		snprintf(t->first[t->n].id, sizeof(t->first[t->n].id), "%s", id);
	}
	t->n++;
}

/* A problem whatever the policy says of officers. */
static void tell2(struct told t[2], enum record_problem what, size_t line, const char *id)
{
	tell(&t[0], what, line, id);
	tell(&t[1], what, line, id);
}

/* What the import's read of one population.jsonl found: a function of the
 * blob and the fields kept, so it can be made ahead of the walk (prefetch.c).
 * Whether the policy pseudonymises officers is the walk's to know: the
 * records' problems are held both ways. */
struct ss_verify_import {
	struct vpop *vp;     /* NULL once kept by the walk */
	struct told told[2]; /* [0] without the officers' problems, [1] with them */
	struct ss_id_stream *ids;
	const char (*want)[SS_ID_LEN + 1]; /* every id derived afresh, sorted (the stream's) */
	size_t nwant;
	char *ids_error; /* why they cannot be derived; NULL when they can */
};

struct import_read {
	struct ss_verify_import *im;
	struct ss_buf row;
};

/* The stored line without its id: the line itself after `{"id":"R-…",`. */
#define ID_PART (sizeof("{\"id\":\"") - 1 + SS_ID_LEN + sizeof("\",") - 1)

/*
 * One record (DESIGN.md section 3): written exactly as records/ writes one
 * (compact JSON, every key, in order, the right types), its subject null or
 * a pseudonym, its officer null or a pseudonym where the policy in force at
 * the import pseudonymises officers (a raw name or officer number in a
 * shared trail is a leak, not a detail), and its id derived afresh.
 */
static int import_line(void *arg, const char *s, size_t len, size_t line, const struct ss_record *r,
                       bool fast)
{
	struct import_read *c = arg;
	struct told *told = c->im->told;
	const char *subject = r->str[SS_F_SUBJECT], *officer = r->str[SS_F_OFFICER];
	char id[SS_ID_LEN + 1];
	bool stored = fast;
	int err;

	ss_buf_reset(&c->row);
	if (!fast) {
		/* Read strictly, with every field: is it the stored form? */
		if ((err = ss_record_to_json(r, true, &c->row)) != 0)
			return err;
		stored = c->row.len == len && memcmp(c->row.data, s, len) == 0;
		if (!stored)
			tell2(told, BAD_FORM, line, r->id);
		ss_buf_reset(&c->row);
	}
	if (subject != NULL && !ss_pseudonym_valid_n(subject, strlen(subject), 'S'))
		tell2(told, BAD_SUBJECT, line, r->id);
	if (officer != NULL && !ss_pseudonym_valid_n(officer, strlen(officer), 'O'))
		tell(&told[1], BAD_OFFICER, line, r->id);
	if (r->str[SS_F_REFERENCE] == NULL) {
		/* The row an id is derived from: the stored line without its id. */
		if (stored && len > ID_PART) {
			if ((err = ss_buf_putc(&c->row, '{')) == 0)
				err = ss_buf_put(&c->row, s + ID_PART, len - ID_PART);
		} else {
			err = ss_record_to_json(r, false, &c->row);
		}
		if (err)
			return err;
	}
	return ss_id_stream_add(c->im->ids, r->str[SS_F_REFERENCE], c->row.data, c->row.len,
	                        (uint32_t)line, id);
}

static void report_records(struct cc *k, const char *path, const struct told *t)
{
	char where[SS_LAYOUT_PATH_MAX + 24];
	size_t i;

	for (i = 0; i < t->n && i < MAX_RECORD_PROBLEMS; i++) {
		const char *id = t->first[i].id;

		snprintf(where, sizeof(where), "%s:%zu", path, t->first[i].line);
		switch (t->first[i].what) {
		case BAD_FORM:
			ss_verify_problem(
			    k->v, k->hex, where,
			    _("record %s is not written as a record is stored (one line of "
			      "compact JSON, its keys in order)"),
			    id);
			break;
		case BAD_SUBJECT:
			ss_verify_problem(
			    k->v, k->hex, where,
			    _("record %s names its subject as something other than a "
			      "pseudonym (S- and 16 base32 characters): an identity must "
			      "never enter the trail"),
			    id);
			break;
		case BAD_OFFICER:
			ss_verify_problem(
			    k->v, k->hex, where,
			    _("record %s gives an officer that is not a pseudonym (O- and 16 "
			      "base32 characters), though the policy pseudonymises officers"),
			    id);
			break;
		}
	}
	if (t->n > MAX_RECORD_PROBLEMS)
		ss_verify_problem(k->v, k->hex, path, _("and %zu more problems in its records"),
		                  t->n - MAX_RECORD_PROBLEMS);
}

/* Every stored id is one derived from its record (or its reference): both
 * sorted, compared as sets (identical records share a set of ids, in
 * either order). */
static void check_ids(struct cc *k, const char *path, const struct ss_population *pop,
                      const struct ss_verify_import *im)
{
	char where[SS_LAYOUT_PATH_MAX + 24];
	size_t i, j, told = 0;

	if (im->ids_error != NULL) {
		ss_verify_problem(k->v, k->hex, path, _("the records' ids cannot be derived: %s"),
		                  im->ids_error);
		return;
	}
	for (i = j = 0; i < pop->n; i++) {
		while (j < im->nwant && strcmp(im->want[j], pop->rec[i].id) < 0)
			j++;
		if (j < im->nwant && strcmp(im->want[j], pop->rec[i].id) == 0) {
			j++;
			continue;
		}
		if (told++ < MAX_RECORD_PROBLEMS) {
			snprintf(where, sizeof(where), "%s:%zu", path, i + 1);
			ss_verify_problem(
			    k->v, k->hex, where,
			    _("record %s has an id that is not derived from the record (ids "
			      "are a hash of the record or its reference)"),
			    pop->rec[i].id);
		}
	}
	if (told > MAX_RECORD_PROBLEMS)
		ss_verify_problem(k->v, k->hex, path, _("and %zu more records with forged ids"),
		                  told - MAX_RECORD_PROBLEMS);
}

uint32_t ss_verify_import_fields(const struct ss_policy *pol)
{
	return SS_STORED_BIT(SS_F_SUBJECT) | SS_STORED_BIT(SS_F_OFFICER) |
	       SS_STORED_BIT(SS_F_REFERENCE) | CORRECTED |
	       (pol != NULL ? ss_month_draw_fields(pol) : 0);
}

void ss_verify_import_free(struct ss_verify_import *im)
{
	if (im == NULL)
		return;
	ss_verify_vpop_free(im->vp);
	ss_id_stream_free(im->ids);
	free(im->ids_error);
	free(im);
}

int ss_verify_import_read(struct ss_trail *t, const struct ss_oid *blob, const char *path,
                          uint32_t fields, struct ss_verify_import **out)
{
	struct ss_verify_import *im = calloc(1, sizeof(*im));
	struct import_read c = {.im = im, .row = SS_BUF_INIT};
	struct ss_month_read rd = {.keep = {.fields = fields, .each = import_line, .each_arg = &c}};
	int err;

	*out = NULL;
	if (im == NULL || (err = ss_id_stream_new(&im->ids)) != 0) {
		ss_verify_import_free(im);
		return ss_error_nomem();
	}
	err = read_blob(t, blob, path, &rd, &im->vp);
	ss_buf_release(&c.row);
	if (err == 0 && im->vp->pop != NULL) {
		err = ss_id_stream_finish(im->ids, "population", &im->want, &im->nwant);
		if (err != 0 && err != SS_ENOMEM) {
			err = 0;
			if ((im->ids_error = strdup(ss_error_message())) == NULL)
				err = ss_error_nomem();
		}
	}
	if (err) {
		ss_verify_import_free(im);
		return err;
	}
	*out = im;
	return 0;
}

int ss_verify_import_draw(const struct ss_verify_import *im, const struct ss_sample *s,
                          const char *policy, size_t len)
{
	if (im->vp == NULL || im->vp->pop == NULL)
		return ss_error_set(SS_EDATA, "%s", im->vp != NULL ? im->vp->error : "");
	return ss_sample_rederive_read(s, im->vp->pop, im->vp->sha256, policy, len);
}

int ss_verify_check_import(struct cc *k, const char *month)
{
	struct ss_verify_import *im = NULL;
	const struct vpop *vp;
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX];
	uint32_t fields;
	int err;

	ss_verify_permitted(k, ss_rules_may(k->act), "");
	ss_layout_sources(path, sizeof(path), month);
	err = ss_verify_tree_blob(k->v, &k->after, path, &blob);
	if (err == SS_ENOTFOUND)
		ss_verify_problem(k->v, k->hex, path,
		                  _("the import does not say which files the records came from"));
	ss_layout_population(path, sizeof(path), month);
	err = ss_verify_tree_blob(k->v, &k->after, path, &blob);
	if (err == SS_ENOTFOUND) {
		ss_verify_problem(k->v, k->hex, path, _("the import has no population"));
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err : 0;
	if (ss_map_get(k->v->populations, blob.id, sizeof(blob.id)) != NULL)
		return 0; /* the same records as an import already checked */
	/* What the checks read, and what later ones will. */
	fields = ss_verify_import_fields(k->pol);
	if ((im = ss_verify_prefetched_import(k->v, &blob, fields)) == NULL &&
	    (err = ss_verify_import_read(k->v->t, &blob, path, fields, &im)) != 0) {
		if (err == SS_ENOMEM)
			return err;
		ss_verify_problem(k->v, k->hex, path, _("the file cannot be read: %s"),
		                  ss_error_message());
		return 0;
	}
	vp = im->vp;
	err = keep(k->v, &blob, im->vp);
	im->vp = NULL;
	if (err)
		goto out;
	if (vp->pop == NULL) {
		ss_verify_problem(k->v, k->hex, path, _("the population is not valid: %s"),
		                  vp->error);
		goto out;
	}
	report_records(k, path, &im->told[k->pol != NULL && k->pol->officer_pseudonymised]);
	check_ids(k, path, vp->pop, im);
out:
	ss_verify_import_free(im);
	return err;
}

/* ------------------------------------------------ later checks' reads */

int ss_verify_population_at(struct vctx *v, const struct vtree *tr, const char *month,
                            const struct ss_population **out)
{
	struct ss_month_read rd = {.keep = {.fields = CORRECTED}};
	const struct vpop *vp;
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX];
	int err;

	*out = NULL;
	ss_layout_population(path, sizeof(path), month);
	err = ss_verify_tree_blob(v, tr, path, &blob);
	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	if ((vp = kept(v, &blob, CORRECTED)) == NULL &&
	    (err = read_kept(v, &blob, path, &rd, &vp)) != 0)
		return err;
	*out = vp->pop;
	return 0;
}

/* Draw again and compare: the population kept since its import when it has
 * the fields this policy's draw reads, else read again. */
static int rederive(struct cc *k, const struct vtree *tr, const char *path, const char *month,
                    const struct ss_sample *s)
{
	struct ss_month_read rd = {0};
	const struct vpol *pol;
	const struct vpop *vp;
	struct ss_oid blob, sblob;
	char popath[SS_LAYOUT_PATH_MAX];
	int err;

	if ((pol = ss_verify_policy_of(k->v, s->policy_sha256)) == NULL)
		return 0; /* reported where the sample was drawn */
	rd.keep.fields = CORRECTED | (pol->pol != NULL ? ss_month_draw_fields(pol->pol) : 0);
	ss_layout_population(popath, sizeof(popath), month);
	err = ss_verify_tree_blob(k->v, tr, popath, &blob);
	if (err == 0 && (vp = kept(k->v, &blob, rd.keep.fields)) == NULL)
		err = read_kept(k->v, &blob, popath, &rd, &vp);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(k->v, k->hex, popath, _("the file cannot be read: %s"),
		                  ss_error_message());
		return 0;
	}
	if (vp->pop == NULL)
		err = ss_error_set(SS_EDATA, "%s", vp->error);
	else if (ss_verify_tree_blob(k->v, tr, path, &sblob) != 0 ||
	         !ss_verify_prefetched_draw(k->v, &sblob, &blob, pol->sha, &err))
		err = ss_sample_rederive_read(s, vp->pop, vp->sha256, pol->json, pol->len);
	if (err == SS_ENOMEM)
		return err;
	if (err)
		ss_verify_problem(
		    k->v, k->hex, path,
		    _("the sample does not re-derive from its population, policy and seed: %s"),
		    ss_error_message());
	return 0;
}

int ss_verify_rederive(struct cc *k, const struct vtree *tr, const char *path, const char *month,
                       const struct ss_sample *parsed)
{
	struct ss_sample *s = NULL;
	char *sample = NULL;
	size_t slen = 0;
	int err;

	if (parsed != NULL)
		return rederive(k, tr, path, month, parsed);
	if ((err = ss_verify_read_in(k, tr, path, &sample, &slen)) != 0 || sample == NULL)
		return err;
	err = ss_sample_from_json(sample, slen, path, &s);
	free(sample);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(k->v, k->hex, path, _("the sample is not valid: %s"),
		                  ss_error_message());
		return 0;
	}
	err = rederive(k, tr, path, month, s);
	ss_sample_free(s);
	return err;
}
