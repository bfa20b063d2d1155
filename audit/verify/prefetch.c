/*
 * prefetch.c - the slowest reads of verify's walk, made ahead of it on a
 * thread of their own while the object check runs. walk.c starts it once
 * the loose objects are known to be sound, and joins it before the walk.
 * For each month at the tip (the newest MAX_POPULATIONS): the population
 * read as the import's check reads it (population.c), the sample parsed,
 * and the sample drawn again from that population when the tip's policy is
 * the one it names.
 *
 * Each result is a function of the blobs it was read from (and, for the
 * draw, of the policy's digest), so the walk takes one only when it meets
 * the same blobs, and reads for itself otherwise: what verify finds, and
 * the words it uses, never depend on whether a result was made ahead. A
 * read or draw that fails for want of memory or of a readable file is not
 * kept: the walk's own read meets the failure and reports it.
 *
 * The thread has a trail handle of its own (libgit2 is never shared across
 * threads). Its whole reads are hashed by libgit2, as every read is while
 * the check runs (the walk turns hashing off only after the join); its
 * streamed reads hash themselves (trail.h).
 *
 * Ownership: vctx.prefetch owns every result until the walk takes it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "par.h"
#include "verify_int.h"

/* What was made ahead for one month. */
struct premonth {
	struct ss_oid pop;           /* population.jsonl */
	uint32_t fields;             /* the fields its read kept */
	struct ss_verify_import *im; /* NULL: not read, or taken */
	struct ss_oid sample;        /* sample.json */
	struct ss_sample *s;         /* NULL: not parsed, or taken */
	bool drawn;                  /* s drawn again from im under pol_sha: */
	char pol_sha[65];
	int draw_rc;
	char *draw_msg; /* the draw's reason when draw_rc != 0 */
};

struct ss_verify_prefetch {
	pthread_t thread;
	bool running;
	char *path; /* the trail's */
	struct ss_oid tip;
	struct premonth m[MAX_POPULATIONS];
	size_t n;
};

/* The tip's policy, for the fields a draw reads and the draw itself. */
struct tip_policy {
	char *json;
	size_t len;
	char sha[65];
	struct ss_policy *pol; /* NULL: none, or not valid */
};

static void month_release(struct premonth *pm)
{
	ss_verify_import_free(pm->im);
	ss_sample_free(pm->s);
	free(pm->draw_msg);
	memset(pm, 0, sizeof(*pm));
}

/* One month: its population, its sample, the draw. Whatever cannot be made
 * is left for the walk. */
static void month_fill(struct ss_trail *t, const struct ss_oid *tip, const char *month,
                       const struct tip_policy *tp, struct premonth *pm)
{
	char path[SS_LAYOUT_PATH_MAX], *data = NULL;
	size_t len = 0;

	ss_layout_population(path, sizeof(path), month);
	if (ss_git_blob_id(t, tip, path, &pm->pop) != 0)
		return;
	pm->fields = ss_verify_import_fields(tp->pol);
	if (ss_verify_import_read(t, &pm->pop, path, pm->fields, &pm->im) != 0)
		return;
	ss_layout_sample(path, sizeof(path), month);
	if (ss_git_blob_id(t, tip, path, &pm->sample) != 0 ||
	    ss_git_read_blob(t, &pm->sample, path, &data, &len) != 0)
		return;
	if (ss_sample_from_json(data, len, path, &pm->s) != 0)
		pm->s = NULL;
	free(data);
	if (pm->s == NULL || tp->pol == NULL || strcmp(pm->s->policy_sha256, tp->sha) != 0)
		return;
	pm->draw_rc = ss_verify_import_draw(pm->im, pm->s, tp->json, tp->len);
	if (pm->draw_rc == SS_ENOMEM ||
	    (pm->draw_rc != 0 && (pm->draw_msg = strdup(ss_error_message())) == NULL))
		return;
	memcpy(pm->pol_sha, tp->sha, sizeof(pm->pol_sha));
	pm->drawn = true;
}

static void *prefetch_main(void *arg)
{
	struct ss_verify_prefetch *pf = arg;
	struct tip_policy tp = {NULL, 0, "", NULL};
	struct ss_trail *t = NULL;
	char **months = NULL;
	size_t n = 0, i;

	if (ss_git_open_read(pf->path, &t) != 0 ||
	    ss_git_list(t, &pf->tip, SS_LAYOUT_MONTHS, &months, &n) != 0)
		goto out;
	if (ss_git_read(t, &pf->tip, SS_LAYOUT_POLICY, &tp.json, &tp.len) == 0) {
		ss_sha256_hex(tp.sha, tp.json, tp.len);
		if (ss_policy_parse(tp.json, tp.len, SS_LAYOUT_POLICY, &tp.pol) != 0)
			tp.pol = NULL;
	}
	for (i = n > MAX_POPULATIONS ? n - MAX_POPULATIONS : 0; i < n; i++)
		month_fill(t, &pf->tip, months[i], &tp, &pf->m[pf->n++]);
out:
	ss_strv_free(months, n);
	ss_policy_free(tp.pol);
	free(tp.json);
	ss_git_free(t);
	ss_error_clear();
	return NULL;
}

void ss_verify_prefetch_start(struct vctx *v, const struct ss_oid *tip)
{
	struct ss_verify_prefetch *pf;

	if (ss_par_threads() < 2 || (pf = calloc(1, sizeof(*pf))) == NULL)
		return;
	pf->tip = *tip;
	if ((pf->path = strdup(ss_git_path(v->t))) == NULL ||
	    pthread_create(&pf->thread, NULL, prefetch_main, pf) != 0) {
		free(pf->path);
		free(pf);
		return; /* the walk reads everything itself */
	}
	pf->running = true;
	v->prefetch = pf;
}

void ss_verify_prefetch_join(struct vctx *v)
{
	if (v->prefetch != NULL && v->prefetch->running) {
		pthread_join(v->prefetch->thread, NULL);
		v->prefetch->running = false;
	}
}

void ss_verify_prefetch_free(struct vctx *v)
{
	size_t i;

	if (v->prefetch == NULL)
		return;
	ss_verify_prefetch_join(v);
	for (i = 0; i < v->prefetch->n; i++)
		month_release(&v->prefetch->m[i]);
	free(v->prefetch->path);
	free(v->prefetch);
	v->prefetch = NULL;
}

/* The months made ahead, once the thread has finished (none before). */
static size_t ready(const struct vctx *v)
{
	return v->prefetch != NULL && !v->prefetch->running ? v->prefetch->n : 0;
}

struct ss_verify_import *ss_verify_prefetched_import(struct vctx *v, const struct ss_oid *blob,
                                                     uint32_t fields)
{
	size_t i, n = ready(v);

	for (i = 0; i < n; i++) {
		struct premonth *pm = &v->prefetch->m[i];

		if (pm->im != NULL && ss_oid_equal(&pm->pop, blob) &&
		    (pm->fields & fields) == fields) {
			struct ss_verify_import *im = pm->im;

			pm->im = NULL;
			return im;
		}
	}
	return NULL;
}

struct ss_sample *ss_verify_prefetched_sample(struct vctx *v, const struct ss_oid *blob)
{
	size_t i, n = ready(v);

	for (i = 0; i < n; i++) {
		struct premonth *pm = &v->prefetch->m[i];

		if (pm->s != NULL && ss_oid_equal(&pm->sample, blob)) {
			struct ss_sample *s = pm->s;

			pm->s = NULL;
			return s;
		}
	}
	return NULL;
}

bool ss_verify_prefetched_draw(struct vctx *v, const struct ss_oid *sample,
                               const struct ss_oid *pop, const char *pol_sha, int *rc)
{
	size_t i, n = ready(v);

	for (i = 0; i < n; i++) {
		const struct premonth *pm = &v->prefetch->m[i];

		if (pm->drawn && ss_oid_equal(&pm->sample, sample) && ss_oid_equal(&pm->pop, pop) &&
		    strcmp(pm->pol_sha, pol_sha) == 0) {
			*rc = pm->draw_rc == 0 ? 0 : ss_error_set(pm->draw_rc, "%s", pm->draw_msg);
			return true;
		}
	}
	return false;
}
