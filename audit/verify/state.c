/*
 * state.c - what verify carries from commit to commit: its maps, the state
 * each commit leaves in force (registry, policy), the changes of a commit,
 * classified by store/layout, and the reads cached by blob id (samples,
 * sign-offs, populations), so each is parsed once however often it is asked.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "verdict.h"
#include "verify_int.h"

/* ------------------------------------------------------ maps by object id */

int ss_verify_oid_map(struct ss_map **out)
{
	return ss_map_new(out, SS_MAP_COPY_KEYS, NULL);
}

int ss_verify_state_init(struct vctx *v)
{
	int err;

	if ((err = ss_map_new(&v->commits, 0, NULL)) != 0 ||
	    (err = ss_verify_oid_map(&v->samples)) != 0 ||
	    (err = ss_verify_oid_map(&v->closed)) != 0 ||
	    (err = ss_verify_oid_map(&v->populations)) != 0)
		return err;
	return 0;
}

void ss_verify_free_map(struct ss_map *m, void (*release)(void *))
{
	struct ss_map_entry e;
	size_t pos = 0;

	while (m != NULL && release != NULL && ss_map_next(m, &pos, &e))
		if (e.value.ptr != NULL)
			release(e.value.ptr);
	ss_map_free(m);
}

static void release_sample(void *p)
{
	ss_sample_free(p);
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

/* A policy.json's bytes (taken), shared with every other tree that has the same bytes. */
static int keep_policy(struct vctx *v, char *json, size_t len, const struct vpol **out)
{
	struct vpol *p = NULL, **grown;
	char sha[65];
	size_t i;
	int err;

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

static int policy_from(struct vctx *v, int err, char *json, size_t len, const char *hex,
                       const struct vpol **out)
{
	*out = NULL;
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		if (err == SS_ENOTFOUND)
			ss_verify_problem(
			    v, hex, SS_LAYOUT_POLICY,
			    _("there is no policy.json: nothing says who may do what"));
		else
			ss_verify_problem(v, hex, SS_LAYOUT_POLICY,
			                  _("policy.json cannot be read: %s"), ss_error_message());
		return 0;
	}
	return keep_policy(v, json, len, out);
}

/*
 * The policy.json at a commit, shared with every other commit that has the
 * same bytes. *out is NULL (and a problem reported) when there is none.
 */
int ss_verify_load_policy(struct vctx *v, const struct ss_oid *commit, const char *hex,
                          const struct vpol **out)
{
	char *json = NULL;
	size_t len = 0;
	int err = ss_git_read(v->t, commit, SS_LAYOUT_POLICY, &json, &len);

	return policy_from(v, err, json, len, hex, out);
}

int ss_verify_tree_policy(struct vctx *v, const struct vtree *tr, const char *hex,
                          const struct vpol **out)
{
	char *json = NULL;
	size_t len = 0;
	int err = ss_verify_tree_read(v, tr, SS_LAYOUT_POLICY, &json, &len);

	return policy_from(v, err, json, len, hex, out);
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
		                  _("the register of reviewers cannot be read: %s"),
		                  ss_error_message());
		return 0;
	}
	if ((err = keep_registry(v, reg)) < 0)
		return err;
	*out = reg;
	return 0;
}

/* One key, one person: a key registered under two handles would let one
 * person act as two (and sign as either). */
void ss_verify_check_keys(struct vctx *v, const char *hex, const struct ss_registry *reg)
{
	struct ss_map *seen = NULL;
	union ss_map_value *slot;
	bool added;
	size_t i;

	if (ss_map_new(&seen, 0, NULL) != 0)
		return; /* out of memory: the walk fails on its next allocation */
	for (i = 0; i < reg->n; i++) {
		if (!reg->r[i].has_key)
			continue;
		if (ss_map_put(seen, reg->r[i].pk, SS_PUBKEY_LEN, &slot, &added) != 0)
			break;
		if (added) {
			slot->ptr = &reg->r[i];
			continue;
		}
		ss_verify_problem(v, hex, SS_LAYOUT_REVIEWERS "/",
		                  _("the same key is registered for %s and for %s (one key, one "
		                    "person)"),
		                  ((const struct ss_reviewer *)slot->ptr)->handle,
		                  reg->r[i].handle);
	}
	ss_map_free(seen);
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
	if (c->blob != NULL) {
		p->has_blob = true;
		p->blob = *c->blob;
	}
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
	int err = ss_git_diff(v->t, from, to, collect_change, out);

	*ok = err == 0;
	if (err == SS_ENOMEM)
		return err;
	if (err)
		ss_verify_problem(v, hex, "", _("what the commit changed cannot be read: %s"),
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
/* ------------------------------------------------------------ trees */

const char ss_verify_gone = 0;

struct vtree ss_verify_tree_of(const struct cstate *cs)
{
	struct vtree tr;

	memset(&tr, 0, sizeof(tr));
	tr.base = cs->oid;
	tr.reg = cs->reg;
	tr.pol = cs->pol;
	return tr;
}

/* The commit whose tree holds path's content in tr; NULL when tr has no such path. */
static const struct ss_oid *locate(const struct vtree *tr, const char *path)
{
	const struct vpath *p;
	union ss_map_value *slot;

	if (tr->top_ch != NULL && (p = ss_verify_changed(tr->top_ch, path)) != NULL)
		return p->status == SS_PATH_DELETED ? NULL : tr->top;
	if (tr->over != NULL && (slot = ss_map_gets(tr->over, path)) != NULL)
		return slot->ptr == &ss_verify_gone ? NULL
		                                    : &((const struct cstate *)slot->ptr)->oid;
	return &tr->base;
}

int ss_verify_tree_blob(struct vctx *v, const struct vtree *tr, const char *path,
                        struct ss_oid *out)
{
	const struct ss_oid *at = locate(tr, path);

	if (at == NULL)
		return ss_error_set(SS_ENOTFOUND, _("%s: no such file"), path);
	return ss_git_blob_id(v->t, at, path, out);
}

int ss_verify_tree_read(struct vctx *v, const struct vtree *tr, const char *path, char **data,
                        size_t *len)
{
	const struct ss_oid *at = locate(tr, path);

	*data = NULL;
	*len = 0;
	if (at == NULL)
		return ss_error_set(SS_ENOTFOUND, _("%s: no such file"), path);
	return ss_git_read(v->t, at, path, data, len);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lay one path over a directory's names: added when present, dropped when gone. */
static int lay_over(const char *path, bool present, const char *dir, size_t dlen, char ***names,
                    size_t *n, size_t *cap)
{
	const char *name;
	size_t i;

	if (strncmp(path, dir, dlen) != 0 || path[dlen] != '/')
		return 0;
	name = path + dlen + 1;
	if (strchr(name, '/') != NULL)
		return 0; /* deeper: only a directory's files are laid over */
	for (i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0)
			break;
	if (i < *n && !present) {
		free((*names)[i]);
		(*names)[i] = (*names)[--*n];
	} else if (i == *n && present) {
		if (*n == *cap) {
			size_t c = *cap > 0 ? *cap * 2 : 8;
			char **grown = realloc(*names, c * sizeof(*grown));

			if (grown == NULL)
				return ss_error_nomem();
			*names = grown;
			*cap = c;
		}
		if (((*names)[*n] = strdup(name)) == NULL)
			return ss_error_nomem();
		(*n)++;
	}
	return 0;
}

int ss_verify_tree_list(struct vctx *v, const struct vtree *tr, const char *dir, char ***names,
                        size_t *n)
{
	size_t dlen = strlen(dir), cap, i, pos = 0;
	struct ss_map_entry e;
	int err;

	*names = NULL;
	*n = 0;
	err = ss_git_list(v->t, &tr->base, dir, names, n);
	if (err && err != SS_ENOTFOUND)
		return err;
	if (tr->over == NULL && tr->top_ch == NULL)
		return err;
	cap = *n;
	while (tr->over != NULL && ss_map_next(tr->over, &pos, &e))
		if ((err = lay_over(e.key, e.value.ptr != &ss_verify_gone, dir, dlen, names, n,
		                    &cap)) != 0)
			goto fail;
	for (i = 0; tr->top_ch != NULL && i < tr->top_ch->n; i++)
		if ((err =
		         lay_over(tr->top_ch->v[i].path, tr->top_ch->v[i].status != SS_PATH_DELETED,
		                  dir, dlen, names, n, &cap)) != 0)
			goto fail;
	if (*n == 0) {
		free(*names);
		*names = NULL;
		return ss_error_set(SS_ENOTFOUND, _("%s: no such directory"), dir);
	}
	qsort(*names, *n, sizeof(**names), cmp_name);
	return 0;
fail:
	ss_strv_free(*names, *n);
	*names = NULL;
	*n = 0;
	return err;
}

struct tree_reader {
	struct vctx *v;
	const struct vtree *tr;
};

static int reader_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	struct tree_reader *r = ctx;

	return ss_verify_tree_list(r->v, r->tr, dir, names, n);
}

static int reader_read(void *ctx, const char *path, char **data, size_t *len)
{
	struct tree_reader *r = ctx;

	return ss_verify_tree_read(r->v, r->tr, path, data, len);
}

int ss_verify_tree_registry(struct vctx *v, const struct vtree *tr, const struct ss_registry **out)
{
	struct tree_reader r = {v, tr};
	struct ss_registry_reader rd = {reader_list, reader_read, &r};
	struct ss_registry *reg = NULL;
	int err;

	*out = NULL;
	if ((err = ss_registry_load_with(&rd, &reg)) != 0)
		return err;
	if ((err = keep_registry(v, reg)) < 0)
		return err;
	*out = reg;
	return 0;
}

/* ------------------------------------------------------- cached reads */

/* The sample of a month at a commit: *present false when there is none;
 * *out NULL when it cannot be parsed (reported where it was committed). */
int ss_verify_sample_at(struct vctx *v, const struct vtree *tr, const char *month,
                        const struct ss_sample **out, bool *present)
{
	struct ss_sample *s = NULL;
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX], *data = NULL;
	size_t len = 0;
	union ss_map_value *slot;
	int err;

	*out = NULL;
	*present = false;
	ss_layout_sample(path, sizeof(path), month);
	err = ss_verify_tree_blob(v, tr, path, &blob);
	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	*present = true;
	if ((slot = ss_map_get(v->samples, blob.id, sizeof(blob.id))) != NULL) {
		*out = slot->ptr;
		return 0;
	}
	if ((err = ss_verify_tree_read(v, tr, path, &data, &len)) != 0)
		return err;
	err = ss_sample_from_json(data, len, path, &s);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if ((err = ss_map_put(v->samples, blob.id, sizeof(blob.id), &slot, NULL)) != 0) {
		ss_sample_free(s);
		return err;
	}
	slot->ptr = s;
	*out = s;
	return 0;
}

int ss_verify_keep_sample(struct vctx *v, const struct ss_oid *blob, struct ss_sample *s,
                          bool *taken)
{
	union ss_map_value *slot;
	bool added;

	*taken = false;
	if (ss_map_put(v->samples, blob->id, sizeof(blob->id), &slot, &added) != 0)
		return ss_error_nomem();
	if (added) {
		slot->ptr = s;
		*taken = true;
	}
	return 0;
}

/* Is the month closed at a commit? CLOSED_NO, CLOSED_YES, CLOSED_BAD (unreadable); or < 0. */
int ss_verify_closed_at(struct vctx *v, const struct vtree *tr, const char *month)
{
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX], *data = NULL, *m = NULL, *by = NULL, *reason = NULL;
	size_t len = 0;
	union ss_map_value *slot;
	bool closed;
	int err, state;

	ss_layout_closed(path, sizeof(path), month);
	err = ss_verify_tree_blob(v, tr, path, &blob);
	if (err == SS_ENOTFOUND)
		return CLOSED_NO;
	if (err)
		return err;
	if ((slot = ss_map_get(v->closed, blob.id, sizeof(blob.id))) != NULL)
		return (int)slot->size;
	if ((err = ss_verify_tree_read(v, tr, path, &data, &len)) != 0)
		return err;
	err = ss_closed_from_json(data, len, path, &m, &closed, &by, &reason);
	free(data);
	free(m);
	free(by);
	free(reason);
	if (err == SS_ENOMEM)
		return err;
	state = err ? CLOSED_BAD : closed ? CLOSED_YES : CLOSED_NO;
	ss_error_clear();
	if ((err = ss_map_put(v->closed, blob.id, sizeof(blob.id), &slot, NULL)) != 0)
		return err;
	slot->size = (size_t)state;
	return state;
}

/* The policy of a sample's digest: one that was in force somewhere in the trail. */
const struct vpol *ss_verify_policy_of(struct vctx *v, const char *sha)
{
	size_t i;

	for (i = 0; i < v->npolicies; i++)
		if (strcmp(v->policies[i]->sha, sha) == 0)
			return v->policies[i];
	return NULL;
}

const struct cstate *ss_verify_state_of(struct vctx *v, const struct ss_oid *commit)
{
	union ss_map_value *slot = ss_map_get(v->commits, commit->id, sizeof(commit->id));

	return slot != NULL ? slot->ptr : NULL;
}

static void release_cstate(void *p)
{
	struct cstate *cs = p;

	if (cs->said != NULL)
		free(cs->said->who);
	free(cs->said);
	free(cs);
}

void ss_verify_state_release(struct vctx *v)
{
	size_t i;

	ss_verify_free_map(v->commits, release_cstate);
	ss_verify_free_map(v->samples, release_sample);
	ss_verify_free_map(v->populations, ss_verify_vpop_free);
	ss_verify_free_map(v->closed, NULL);
	for (i = 0; i < v->nregistries; i++)
		ss_registry_free(v->registries[i]);
	free(v->registries);
	for (i = 0; i < v->npolicies; i++)
		vpol_free(v->policies[i]);
	free(v->policies);
}
