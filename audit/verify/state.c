/*
 * state.c - what verify carries from commit to commit: the oid map, the state
 * each commit leaves in force (registry, policy), the changes of a commit,
 * classified by store/layout, and the reads cached by blob id (samples,
 * sign-offs, populations), so each is parsed once however often it is asked.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "verify_int.h"

/* ------------------------------------------------------------ oid map */

static size_t ohash(const struct ss_oid *o)
{
	size_t h;

	memcpy(&h, o->id, sizeof(h));
	return h;
}

/* The value's slot, or NULL when k is absent. */
void **ss_verify_omap_find(const struct omap *m, const struct ss_oid *k)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = ohash(k) & (m->cap - 1); m->used[i]; i = (i + 1) & (m->cap - 1))
		if (ss_oid_equal(&m->keys[i], k))
			return &m->vals[i];
	return NULL;
}

int ss_verify_omap_put(struct omap *m, const struct ss_oid *k, void *val)
{
	void **slot = ss_verify_omap_find(m, k);
	size_t i;

	if (slot != NULL) {
		*slot = val;
		return 0;
	}
	if (2 * (m->n + 1) > m->cap) {
		struct omap g = {NULL, NULL, NULL, m->cap > 0 ? m->cap * 2 : 256, 0};

		g.keys = malloc(g.cap * sizeof(*g.keys));
		g.vals = malloc(g.cap * sizeof(*g.vals));
		g.used = calloc(g.cap, 1);
		if (g.keys == NULL || g.vals == NULL || g.used == NULL) {
			free(g.keys);
			free(g.vals);
			free(g.used);
			return ss_error_nomem();
		}
		for (i = 0; i < m->cap; i++)
			if (m->used[i])
				ss_verify_omap_put(&g, &m->keys[i],
				                   m->vals[i]); /* cannot grow again */
		free(m->keys);
		free(m->vals);
		free(m->used);
		*m = g;
	}
	for (i = ohash(k) & (m->cap - 1); m->used[i]; i = (i + 1) & (m->cap - 1))
		;
	m->used[i] = 1;
	m->keys[i] = *k;
	m->vals[i] = val;
	m->n++;
	return 0;
}

void ss_verify_omap_clear(struct omap *m, void (*release)(void *))
{
	size_t i;

	for (i = 0; release != NULL && i < m->cap; i++)
		if (m->used[i] && m->vals[i] != NULL)
			release(m->vals[i]);
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}
static void release_sample(void *p)
{
	ss_sample_free(p);
}

static void release_population(void *p)
{
	ss_population_free(p);
}

static void vpol_free(struct vpol *p)
{
	if (p == NULL)
		return;
	free(p->json);
	free(p->error);
	ss_policy_free(p->pol);
	free(p);
}

static int keep_registry(struct vctx *v, struct ss_registry *reg)
{
	struct ss_registry **grown = realloc(v->registries, (v->nregistries + 1) * sizeof(*grown));

	if (grown == NULL) {
		ss_registry_free(reg);
		return ss_error_nomem();
	}
	v->registries = grown;
	v->registries[v->nregistries++] = reg;
	return 0;
}

/*
 * The policy.json at a commit, shared with every other commit that has the
 * same bytes. *out is NULL (and a problem reported) when there is none.
 */
int ss_verify_load_policy(struct vctx *v, const struct ss_oid *commit, const char *hex,
                          const struct vpol **out)
{
	struct vpol *p = NULL, **grown;
	char sha[65];
	char *json = NULL;
	size_t len = 0, i;
	int err;

	*out = NULL;
	err = ss_trail_read(v->t, commit, SS_LAYOUT_POLICY, &json, &len);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(v, hex, SS_LAYOUT_POLICY,
		                  err == SS_ENOTFOUND
		                      ? "there is no policy.json: nothing says who may do what"
		                      : "policy.json cannot be read: %s",
		                  ss_error_message());
		return 0;
	}
	ss_sha256_hex(sha, json, len);
	for (i = 0; i < v->npolicies; i++)
		if (strcmp(v->policies[i]->sha, sha) == 0) {
			free(json);
			*out = v->policies[i];
			return 0;
		}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		free(json);
		return ss_error_nomem();
	}
	p->json = json;
	p->len = len;
	memcpy(p->sha, sha, sizeof(sha));
	err = ss_policy_parse(json, len, SS_LAYOUT_POLICY, &p->pol);
	if (err == SS_ENOMEM)
		goto fail;
	if (err && (p->error = strdup(ss_error_message())) == NULL) {
		err = ss_error_nomem();
		goto fail;
	}
	if ((grown = realloc(v->policies, (v->npolicies + 1) * sizeof(*grown))) == NULL) {
		err = ss_error_nomem();
		goto fail;
	}
	v->policies = grown;
	v->policies[v->npolicies++] = p;
	*out = p;
	return 0;
fail:
	vpol_free(p);
	return err;
}

/* The registry at a commit; on a problem (reported) *out is NULL. */
int ss_verify_load_registry(struct vctx *v, const struct ss_oid *commit, const char *hex,
                            const struct ss_registry **out)
{
	struct ss_registry *reg = NULL;
	int err;

	*out = NULL;
	err = ss_registry_load(v->t, commit, &reg);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(v, hex, SS_LAYOUT_REVIEWERS "/",
		                  "the register of reviewers cannot be read: %s",
		                  ss_error_message());
		return 0;
	}
	if ((err = keep_registry(v, reg)) < 0)
		return err;
	*out = reg;
	return 0;
}

const struct ss_reviewer *ss_verify_find_key(const struct ss_registry *reg,
                                             const unsigned char pk[SS_PUBKEY_LEN])
{
	size_t i;

	for (i = 0; reg != NULL && i < reg->n; i++)
		if (reg->r[i].has_key && memcmp(reg->r[i].pk, pk, SS_PUBKEY_LEN) == 0)
			return &reg->r[i];
	return NULL;
}

const struct ss_reviewer *ss_verify_find_handle(const struct ss_registry *reg, const char *handle)
{
	return reg != NULL ? ss_registry_find(reg, handle) : NULL;
}
static int collect_change(void *ctx, const struct ss_path_change *c)
{
	struct changes *ch = ctx;
	struct vpath *p;

	if (ch->n == ch->cap) {
		size_t cap = ch->cap > 0 ? ch->cap * 2 : 8;
		struct vpath *grown = realloc(ch->v, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		ch->v = grown;
		ch->cap = cap;
	}
	p = &ch->v[ch->n];
	memset(p, 0, sizeof(*p));
	if ((p->path = strdup(c->path)) == NULL)
		return ss_error_nomem();
	p->status = (int)c->status;
	ss_layout_classify(p->path, &p->l);
	ch->n++;
	return 0;
}

void ss_verify_changes_release(struct changes *ch)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		free(ch->v[i].path);
	free(ch->v);
	memset(ch, 0, sizeof(*ch));
}

/* The paths changed from `from` (NULL: nothing) to `to`; a failure to read is reported. */
int ss_verify_diff(struct vctx *v, const struct ss_oid *from, const struct ss_oid *to,
                   const char *hex, struct changes *out, bool *ok)
{
	int err = ss_trail_diff(v->t, from, to, collect_change, out);

	*ok = err == 0;
	if (err == SS_ENOMEM)
		return err;
	if (err)
		ss_verify_problem(v, hex, "", "what the commit changed cannot be read: %s",
		                  ss_error_message());
	return 0;
}

const struct vpath *ss_verify_changed(const struct changes *ch, const char *path)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		if (strcmp(ch->v[i].path, path) == 0)
			return &ch->v[i];
	return NULL;
}
/* ------------------------------------------------------- cached reads */

/* The sample of a month at a commit: *present false when there is none;
 * *out NULL when it cannot be parsed (reported where it was committed). */
int ss_verify_sample_at(struct vctx *v, const struct ss_oid *commit, const char *month,
                        const struct ss_sample **out, bool *present)
{
	struct ss_sample *s = NULL;
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX], *data = NULL;
	size_t len = 0;
	void **slot;
	int err;

	*out = NULL;
	*present = false;
	ss_layout_sample(path, sizeof(path), month);
	err = ss_trail_blob_id(v->t, commit, path, &blob);
	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	*present = true;
	if ((slot = ss_verify_omap_find(&v->samples, &blob)) != NULL) {
		*out = *slot;
		return 0;
	}
	if ((err = ss_trail_read(v->t, commit, path, &data, &len)) != 0)
		return err;
	err = ss_sample_from_json(data, len, path, &s);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if ((err = ss_verify_omap_put(&v->samples, &blob, s)) != 0) {
		ss_sample_free(s);
		return err;
	}
	*out = s;
	return 0;
}

bool ss_verify_parse_closed(const char *data, size_t len, struct closed_file *out)
{
	cJSON *o = cJSON_ParseWithLength(data, len);
	const cJSON *m, *s, *b, *r;
	bool ok;

	memset(out, 0, sizeof(*out));
	m = cJSON_GetObjectItemCaseSensitive(o, "month");
	s = cJSON_GetObjectItemCaseSensitive(o, "state");
	b = cJSON_GetObjectItemCaseSensitive(o, "by");
	r = cJSON_GetObjectItemCaseSensitive(o, "reason");
	ok = cJSON_IsObject(o) && cJSON_IsString(m) && cJSON_IsString(s) && cJSON_IsString(b) &&
	     (cJSON_IsString(r) || cJSON_IsNull(r)) &&
	     strlen(m->valuestring) < sizeof(out->month) &&
	     strlen(s->valuestring) < sizeof(out->state) &&
	     strlen(b->valuestring) < sizeof(out->by) &&
	     (strcmp(s->valuestring, "closed") == 0 || strcmp(s->valuestring, "open") == 0);
	if (ok) {
		strcpy(out->month, m->valuestring);
		strcpy(out->state, s->valuestring);
		strcpy(out->by, b->valuestring);
		out->has_reason = cJSON_IsString(r) && *r->valuestring != '\0';
	}
	cJSON_Delete(o);
	return ok;
}

/* Is the month closed at a commit? CLOSED_NO, CLOSED_YES, CLOSED_BAD (unreadable); or < 0. */
int ss_verify_closed_at(struct vctx *v, const struct ss_oid *commit, const char *month)
{
	struct closed_file cf;
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX], *data = NULL;
	size_t len = 0;
	void **slot;
	intptr_t state;
	int err;

	ss_layout_closed(path, sizeof(path), month);
	err = ss_trail_blob_id(v->t, commit, path, &blob);
	if (err == SS_ENOTFOUND)
		return CLOSED_NO;
	if (err)
		return err;
	if ((slot = ss_verify_omap_find(&v->closed, &blob)) != NULL)
		return (int)(intptr_t)*slot;
	if ((err = ss_trail_read(v->t, commit, path, &data, &len)) != 0)
		return err;
	state = !ss_verify_parse_closed(data, len, &cf) ? CLOSED_BAD
	        : strcmp(cf.state, "closed") == 0       ? CLOSED_YES
	                                                : CLOSED_NO;
	free(data);
	if ((err = ss_verify_omap_put(&v->closed, &blob, (void *)state)) != 0)
		return err;
	return (int)state;
}

/* The population of a month at a commit; *out NULL when absent or unreadable. */
int ss_verify_population_at(struct vctx *v, const struct ss_oid *commit, const char *month,
                            const struct ss_population **out)
{
	struct ss_population *pop = NULL;
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX], *data = NULL;
	size_t len = 0;
	void **slot;
	int err;

	*out = NULL;
	ss_layout_population(path, sizeof(path), month);
	err = ss_trail_blob_id(v->t, commit, path, &blob);
	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	if ((slot = ss_verify_omap_find(&v->populations, &blob)) != NULL) {
		*out = *slot;
		return 0;
	}
	if ((err = ss_trail_read(v->t, commit, path, &data, &len)) != 0)
		return err;
	err = ss_population_from_jsonl(data, len, path, &pop);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if ((err = ss_verify_keep_population(v, &blob, pop)) != 0)
		return err;
	*out = pop;
	return 0;
}

int ss_verify_keep_population(struct vctx *v, const struct ss_oid *blob, struct ss_population *pop)
{
	int err;

	if (v->populations.n >= MAX_POPULATIONS)
		ss_verify_omap_clear(&v->populations, release_population);
	if ((err = ss_verify_omap_put(&v->populations, blob, pop)) != 0)
		ss_population_free(pop);
	return err;
}

const struct cstate *ss_verify_state_of(struct vctx *v, const struct ss_oid *commit)
{
	void **slot = ss_verify_omap_find(&v->commits, commit);

	return slot != NULL ? *slot : NULL;
}

void ss_verify_state_release(struct vctx *v)
{
	size_t i;

	ss_verify_omap_clear(&v->commits, free);
	ss_verify_omap_clear(&v->samples, release_sample);
	ss_verify_omap_clear(&v->populations, release_population);
	ss_verify_omap_clear(&v->closed, NULL);
	for (i = 0; i < v->nregistries; i++)
		ss_registry_free(v->registries[i]);
	free(v->registries);
	for (i = 0; i < v->npolicies; i++)
		vpol_free(v->policies[i]);
	free(v->policies);
}
