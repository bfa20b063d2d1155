/*
 * verify.c - DESIGN.md section 10, checked commit by commit, oldest first.
 *
 * Every non-merge commit is judged against its parent only: who signed it
 * (the key registered in the parent's reviewers/), what their role allowed
 * under the parent's policy, and what the commit changed (the diff of the
 * two trees, which skips equal subtrees). So a problem is reported once, at
 * the commit that made it, and later honest commits are not blamed for it.
 *
 * Speed: the registry and the policy in force are carried from parent to
 * child and re-read only when a commit changes reviewers/ or policy.json;
 * samples, sign-offs and populations are parsed once per blob id. A verdict
 * commit then costs one signature check, one small diff and a few lookups.
 */
#include "verify.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "hash.h"
#include "policy.h"
#include "record.h"
#include "registry.h"
#include "sample.h"
#include "sshkey.h"
#include "verdict.h"

#define TRAIL_FORMAT    "ssaudit-trail-v1"
#define MAX_POPULATIONS 4 /* populations kept parsed at once (they can be large) */
/* Directories up to TREE_CACHE bytes stay in libgit2's caches, which hold at
 * most CACHE_TOTAL: the walk only needs the last commit's trees, and more
 * costs memory without saving time (measured on 20,000 verdicts). */
#define TREE_CACHE  ((size_t)1 << 20)
#define CACHE_TOTAL ((size_t)32 << 20)

/* ------------------------------------------------------------ oid map */

/* Open addressing from an object id to a pointer (which may be NULL). */
struct omap {
	struct ss_oid *keys;
	void **vals;
	unsigned char *used;
	size_t cap, n;
};

static size_t ohash(const struct ss_oid *o)
{
	size_t h;

	memcpy(&h, o->id, sizeof(h));
	return h;
}

/* The value's slot, or NULL when k is absent. */
static void **omap_find(const struct omap *m, const struct ss_oid *k)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = ohash(k) & (m->cap - 1); m->used[i]; i = (i + 1) & (m->cap - 1))
		if (ss_oid_equal(&m->keys[i], k))
			return &m->vals[i];
	return NULL;
}

static int omap_put(struct omap *m, const struct ss_oid *k, void *val)
{
	void **slot = omap_find(m, k);
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
				omap_put(&g, &m->keys[i], m->vals[i]); /* cannot grow again */
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

static void omap_clear(struct omap *m, void (*release)(void *))
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

/* ---------------------------------------------------------- the state */

/* A policy.json as committed: its bytes, digest and parse (NULL when invalid). */
struct vpol {
	char *json;
	size_t len;
	char sha[65];
	struct ss_policy *pol;
	char *error; /* why it does not parse; NULL when it does */
};

/* What a commit leaves in force for its children. */
struct cstate {
	struct ss_oid parents[2];
	size_t nparents;
	const struct ss_registry *reg; /* owned by vctx.registries */
	const struct vpol *pol;        /* owned by vctx.policies */
	bool has_signer;               /* its signature verified */
	unsigned char pk[SS_PUBKEY_LEN];
};

struct vctx {
	struct ss_trail *t;
	ss_verify_problem_fn fn;
	void *fnctx;
	struct ss_verify_summary *sum;
	const struct ss_verify_opts *opts;
	bool have_root;
	struct omap commits; /* commit -> struct cstate */
	struct omap samples; /* sample.json blob -> struct ss_sample (NULL: unreadable) */
	struct omap closed;  /* closed.json blob -> CLOSED_* */
	struct omap
	    populations; /* population.jsonl blob -> struct ss_population (NULL: unreadable) */
	struct ss_registry **registries;
	size_t nregistries;
	struct vpol **policies;
	size_t npolicies;
	struct ss_registry empty; /* for a trail whose registry cannot be read */
};

enum { CLOSED_NO = 1, CLOSED_YES, CLOSED_BAD };

static void problem(struct vctx *v, const char *hex, const char *path, const char *fmt, ...)
    SS_PRINTF(4, 5);

static void problem(struct vctx *v, const char *hex, const char *path, const char *fmt, ...)
{
	char reason[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	v->sum->problems++;
	if (v->fn != NULL)
		v->fn(v->fnctx, hex != NULL ? hex : "", path != NULL ? path : "", reason);
}

/* For ss_trail_check_objects, whose callback has the same shape. */
static void object_problem(void *ctx, const char *hex, const char *path, const char *reason)
{
	problem(ctx, hex, path, "%s", reason);
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
static int load_policy(struct vctx *v, const struct ss_oid *commit, const char *hex,
                       const struct vpol **out)
{
	struct vpol *p = NULL, **grown;
	char sha[65];
	char *json = NULL;
	size_t len = 0, i;
	int err;

	*out = NULL;
	err = ss_trail_read(v->t, commit, "policy.json", &json, &len);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		problem(v, hex, "policy.json",
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
	err = ss_policy_parse(json, len, "policy.json", &p->pol);
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
static int load_registry(struct vctx *v, const struct ss_oid *commit, const char *hex,
                         const struct ss_registry **out)
{
	struct ss_registry *reg = NULL;
	int err;

	*out = NULL;
	err = ss_registry_load(v->t, commit, &reg);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		problem(v, hex, "reviewers/", "the register of reviewers cannot be read: %s",
		        ss_error_message());
		return 0;
	}
	if ((err = keep_registry(v, reg)) < 0)
		return err;
	*out = reg;
	return 0;
}

static const struct ss_reviewer *find_key(const struct ss_registry *reg,
                                          const unsigned char pk[SS_PUBKEY_LEN])
{
	size_t i;

	for (i = 0; reg != NULL && i < reg->n; i++)
		if (reg->r[i].has_key && memcmp(reg->r[i].pk, pk, SS_PUBKEY_LEN) == 0)
			return &reg->r[i];
	return NULL;
}

static const struct ss_reviewer *find_handle(const struct ss_registry *reg, const char *handle)
{
	return reg != NULL ? ss_registry_find(reg, handle) : NULL;
}

/* ----------------------------------------------------------- trailers */

struct trailers {
	char action[32], month[16], record[40], role[40], behalf[40];
	bool fixed;
};

static void copy_value(char *out, size_t cap, const char *v, size_t len, bool *bad)
{
	if (len >= cap) {
		*bad = true;
		len = cap - 1;
	}
	memcpy(out, v, len);
	out[len] = '\0';
}

/*
 * The Ssaudit-* trailers of the message's last paragraph, as git reads
 * trailers. A trailer given twice or too long for any legal value is a problem.
 */
static void parse_trailers(struct vctx *v, const char *hex, const char *msg, struct trailers *tr)
{
	static const char *keys[] = {"Ssaudit-Action", "Ssaudit-Month",        "Ssaudit-Record",
	                             "Ssaudit-Role",   "Ssaudit-On-Behalf-Of", "Ssaudit-Clock"};
	size_t len = strlen(msg), k;
	const char *p, *para = msg;
	bool seen[6] = {false}, bad = false;

	memset(tr, 0, sizeof(*tr));
	while (len > 0 && msg[len - 1] == '\n')
		len--;
	for (p = msg; p + 1 < msg + len; p++)
		if (p[0] == '\n' && p[1] == '\n')
			para = p + 2;
	for (p = para; p < msg + len;) {
		const char *eol = memchr(p, '\n', (size_t)(msg + len - p));
		const char *end = eol != NULL ? eol : msg + len;

		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t kl = strlen(keys[k]);
			const char *val;
			char *out = NULL;
			size_t cap = 0;

			if ((size_t)(end - p) < kl + 2 || memcmp(p, keys[k], kl) != 0 ||
			    p[kl] != ':' || p[kl + 1] != ' ')
				continue;
			if (seen[k])
				problem(v, hex, "", "the commit message gives %s twice", keys[k]);
			seen[k] = true;
			val = p + kl + 2;
			switch (k) {
			case 0:
				out = tr->action, cap = sizeof(tr->action);
				break;
			case 1:
				out = tr->month, cap = sizeof(tr->month);
				break;
			case 2:
				out = tr->record, cap = sizeof(tr->record);
				break;
			case 3:
				out = tr->role, cap = sizeof(tr->role);
				break;
			case 4:
				out = tr->behalf, cap = sizeof(tr->behalf);
				break;
			default:
				tr->fixed = true;
				break;
			}
			if (out != NULL)
				copy_value(out, cap, val, (size_t)(end - val), &bad);
		}
		p = eol != NULL ? eol + 1 : msg + len;
	}
	if (bad)
		problem(v, hex, "",
		        "the commit message has an Ssaudit- trailer too long to be valid");
}

/* -------------------------------------------------------------- paths */

enum pkind {
	P_OTHER,
	P_TRAIL,
	P_POLICY,
	P_SIGNERS,
	P_REVIEWER,
	P_POPULATION,
	P_SOURCES,
	P_SAMPLE,
	P_VERDICT,
	P_CORRECTION,
	P_WAIVER,
	P_CLOSED
};

struct vpath {
	char *path;
	int status; /* SS_PATH_* */
	enum pkind kind;
	char month[8];
	char handle[33];
	char role[33];
	char id[SS_ID_LEN + 1];
	char time[17];
};

static bool month_ok(const char *m, size_t n)
{
	return n == 7 && m[0] >= '1' && m[0] <= '9' && m[1] >= '0' && m[1] <= '9' && m[2] >= '0' &&
	       m[2] <= '9' && m[3] >= '0' && m[3] <= '9' && m[4] == '-' &&
	       ((m[5] == '0' && m[6] >= '1' && m[6] <= '9') ||
	        (m[5] == '1' && m[6] >= '0' && m[6] <= '2'));
}

static bool id_ok(const char *s, size_t n)
{
	size_t i;

	if (n != SS_ID_LEN || s[0] != 'R' || s[1] != '-')
		return false;
	for (i = 2; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' && s[i] <= '7')))
			return false;
	return true;
}

static bool name_ok(const char *s, size_t n, char *out, size_t cap)
{
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return ss_name_valid(out);
}

static bool compact_time_ok(const char *s, size_t n)
{
	static const char shape[] = "dddddddd"
	                            "T"
	                            "dddddd"
	                            "Z";
	size_t i;

	if (n != 16)
		return false;
	for (i = 0; i < n; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != shape[i])
			return false;
	return true;
}

/* Split "months/M/<rest>"; the XX/ID/FILE part of per-record paths. */
static void classify(struct vpath *p)
{
	const char *s = p->path, *rest;
	size_t n;

	p->kind = P_OTHER;
	if (strcmp(s, "trail.json") == 0) {
		p->kind = P_TRAIL;
		return;
	}
	if (strcmp(s, "policy.json") == 0) {
		p->kind = P_POLICY;
		return;
	}
	if (strcmp(s, "allowed_signers") == 0) {
		p->kind = P_SIGNERS;
		return;
	}
	if (strncmp(s, "reviewers/", 10) == 0) {
		rest = s + 10;
		n = strlen(rest);
		if (n > 5 && strcmp(rest + n - 5, ".json") == 0 && strchr(rest, '/') == NULL &&
		    name_ok(rest, n - 5, p->handle, sizeof(p->handle)))
			p->kind = P_REVIEWER;
		return;
	}
	if (strncmp(s, "months/", 7) != 0 || !month_ok(s + 7, strlen(s + 7) < 7 ? 0 : 7) ||
	    s[14] != '/')
		return;
	memcpy(p->month, s + 7, 7);
	p->month[7] = '\0';
	rest = s + 15;
	if (strcmp(rest, "population.jsonl") == 0) {
		p->kind = P_POPULATION;
		return;
	}
	if (strcmp(rest, "sources.json") == 0) {
		p->kind = P_SOURCES;
		return;
	}
	if (strcmp(rest, "sample.json") == 0) {
		p->kind = P_SAMPLE;
		return;
	}
	if (strcmp(rest, "closed.json") == 0) {
		p->kind = P_CLOSED;
		return;
	}
	if (strncmp(rest, "waivers/", 8) == 0) {
		rest += 8;
		/* XX/ID.json */
		if (strlen(rest) == 3 + SS_ID_LEN + 5 && rest[2] == '/' &&
		    strcmp(rest + 3 + SS_ID_LEN, ".json") == 0 && id_ok(rest + 3, SS_ID_LEN) &&
		    memcmp(rest, rest + 5, 2) == 0) {
			memcpy(p->id, rest + 3, SS_ID_LEN);
			p->id[SS_ID_LEN] = '\0';
			p->kind = P_WAIVER;
		}
		return;
	}
	{
		bool verdict = strncmp(rest, "verdicts/", 9) == 0;
		bool correction = strncmp(rest, "corrections/", 12) == 0;
		const char *file, *dot, *end;

		if (!verdict && !correction)
			return;
		rest += verdict ? 9 : 12;
		/* XX/ID/FILE */
		if (strlen(rest) < 3 + SS_ID_LEN + 1 || rest[2] != '/' ||
		    rest[3 + SS_ID_LEN] != '/' || !id_ok(rest + 3, SS_ID_LEN) ||
		    memcmp(rest, rest + 5, 2) != 0)
			return;
		memcpy(p->id, rest + 3, SS_ID_LEN);
		p->id[SS_ID_LEN] = '\0';
		file = rest + 3 + SS_ID_LEN + 1;
		n = strlen(file);
		if (n <= 5 || strcmp(file + n - 5, ".json") != 0 || strchr(file, '/') != NULL)
			return;
		end = file + n - 5;
		dot = memchr(file, '.', (size_t)(end - file));
		if (dot == NULL ||
		    !name_ok(dot + 1, (size_t)(end - dot - 1), p->handle, sizeof(p->handle)))
			return;
		if (verdict) {
			if (name_ok(file, (size_t)(dot - file), p->role, sizeof(p->role)))
				p->kind = P_VERDICT;
		} else if (compact_time_ok(file, (size_t)(dot - file))) {
			memcpy(p->time, file, 16);
			p->time[16] = '\0';
			p->kind = P_CORRECTION;
		}
	}
}

struct changes {
	struct vpath *v;
	size_t n, cap;
};

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
	classify(p);
	ch->n++;
	return 0;
}

static void changes_release(struct changes *ch)
{
	size_t i;

	for (i = 0; i < ch->n; i++)
		free(ch->v[i].path);
	free(ch->v);
	memset(ch, 0, sizeof(*ch));
}

/* The paths changed from `from` (NULL: nothing) to `to`; a failure to read is reported. */
static int diff(struct vctx *v, const struct ss_oid *from, const struct ss_oid *to, const char *hex,
                struct changes *out, bool *ok)
{
	int err = ss_trail_diff(v->t, from, to, collect_change, out);

	*ok = err == 0;
	if (err == SS_ENOMEM)
		return err;
	if (err)
		problem(v, hex, "", "what the commit changed cannot be read: %s",
		        ss_error_message());
	return 0;
}

static const struct vpath *changed(const struct changes *ch, const char *path)
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
static int sample_at(struct vctx *v, const struct ss_oid *commit, const char *month,
                     const struct ss_sample **out, bool *present)
{
	struct ss_sample *s = NULL;
	struct ss_oid blob;
	char path[64], *data = NULL;
	size_t len = 0;
	void **slot;
	int err;

	*out = NULL;
	*present = false;
	snprintf(path, sizeof(path), "months/%s/sample.json", month);
	err = ss_trail_blob_id(v->t, commit, path, &blob);
	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	*present = true;
	if ((slot = omap_find(&v->samples, &blob)) != NULL) {
		*out = *slot;
		return 0;
	}
	if ((err = ss_trail_read(v->t, commit, path, &data, &len)) != 0)
		return err;
	err = ss_sample_from_json(data, len, path, &s);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if ((err = omap_put(&v->samples, &blob, s)) != 0) {
		ss_sample_free(s);
		return err;
	}
	*out = s;
	return 0;
}

struct closed_file {
	char month[16], state[16], by[40];
	bool has_reason;
};

/* closed.json: {"month","state":"closed"|"open","by","reason"|null}; false when malformed. */
static bool parse_closed(const char *data, size_t len, struct closed_file *out)
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
static int closed_at(struct vctx *v, const struct ss_oid *commit, const char *month)
{
	struct closed_file cf;
	struct ss_oid blob;
	char path[64], *data = NULL;
	size_t len = 0;
	void **slot;
	intptr_t state;
	int err;

	snprintf(path, sizeof(path), "months/%s/closed.json", month);
	err = ss_trail_blob_id(v->t, commit, path, &blob);
	if (err == SS_ENOTFOUND)
		return CLOSED_NO;
	if (err)
		return err;
	if ((slot = omap_find(&v->closed, &blob)) != NULL)
		return (int)(intptr_t)*slot;
	if ((err = ss_trail_read(v->t, commit, path, &data, &len)) != 0)
		return err;
	state = !parse_closed(data, len, &cf)     ? CLOSED_BAD
	        : strcmp(cf.state, "closed") == 0 ? CLOSED_YES
	                                          : CLOSED_NO;
	free(data);
	if ((err = omap_put(&v->closed, &blob, (void *)state)) != 0)
		return err;
	return (int)state;
}

/* The population of a month at a commit; *out NULL when absent or unreadable. */
static int population_at(struct vctx *v, const struct ss_oid *commit, const char *month,
                         const struct ss_population **out)
{
	struct ss_population *pop = NULL;
	struct ss_oid blob;
	char path[64], *data = NULL;
	size_t len = 0;
	void **slot;
	int err;

	*out = NULL;
	snprintf(path, sizeof(path), "months/%s/population.jsonl", month);
	err = ss_trail_blob_id(v->t, commit, path, &blob);
	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	if ((slot = omap_find(&v->populations, &blob)) != NULL) {
		*out = *slot;
		return 0;
	}
	if ((err = ss_trail_read(v->t, commit, path, &data, &len)) != 0)
		return err;
	err = ss_population_from_jsonl(data, len, path, &pop);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (v->populations.n >= MAX_POPULATIONS)
		omap_clear(&v->populations, release_population);
	if ((err = omap_put(&v->populations, &blob, pop)) != 0) {
		ss_population_free(pop);
		return err;
	}
	*out = pop;
	return 0;
}

/* -------------------------------------------------- signers and keys */

/* Who signed the commit: the reviewer of reg whose key made a good signature
 * over it. NULL (and a problem reported) when nobody registered did. */
static const struct ss_reviewer *check_signature(struct vctx *v, const struct ss_commit_view *c,
                                                 const char *hex, const struct ss_registry *reg,
                                                 struct cstate *cs)
{
	unsigned char pk[SS_PUBKEY_LEN];
	char fp[SS_FINGERPRINT_LEN];
	const struct ss_reviewer *r;

	if (c->signature == NULL) {
		problem(v, hex, "", "the commit is not signed");
		return NULL;
	}
	if (ss_sshsig_verify(c->signature, c->signature_len, "git", c->signed_data,
	                     c->signed_data_len, pk) != 0) {
		problem(v, hex, "", "the signature does not match the commit (%s)",
		        ss_error_message());
		return NULL;
	}
	v->sum->signatures++;
	cs->has_signer = true;
	memcpy(cs->pk, pk, sizeof(pk));
	r = find_key(reg, pk);
	if (r == NULL) {
		ss_pubkey_fingerprint(pk, fp);
		problem(v, hex, "",
		        "signed by a key nobody had registered at that point (%s): a stranger's "
		        "signature",
		        fp);
		return NULL;
	}
	if (r->removed != NULL) {
		problem(v, hex, "", "signed by %s, whose registration had been removed on %s",
		        r->handle, r->removed);
		return NULL;
	}
	if (strcmp(c->committer_name, r->name) != 0 || strcmp(c->committer_email, r->email) != 0)
		problem(v, hex, "",
		        "the committer '%s <%s>' is not %s, whose key signed it ('%s <%s>' in the "
		        "register)",
		        c->committer_name, c->committer_email, r->handle, r->name, r->email);
	return r;
}

/* First line of text that is not a line of other (in out, at most cap bytes). */
static bool missing_line(const char *text, size_t len, const char *other, size_t olen, char *out,
                         size_t cap)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol != NULL ? (size_t)(eol - p) + 1 : (size_t)(end - p);
		const char *q = other, *oend = other + olen;
		bool found = false;

		while (!found && q < oend) {
			const char *qe = memchr(q, '\n', (size_t)(oend - q));
			size_t m = qe != NULL ? (size_t)(qe - q) + 1 : (size_t)(oend - q);

			found = m == n && memcmp(p, q, n) == 0;
			q += m;
		}
		if (!found) {
			n -= n > 0 && p[n - 1] == '\n';
			snprintf(out, cap, "%.*s", (int)(n < 300 ? n : 300), p);
			return true;
		}
		p += n;
	}
	return false;
}

/* allowed_signers must be exactly what reviewers/ implies. */
static int check_signers(struct vctx *v, const struct ss_oid *commit, const char *hex,
                         const struct ss_registry *reg)
{
	struct ss_buf want = SS_BUF_INIT;
	char *data = NULL, line[320];
	size_t len = 0;
	int err;

	if (reg == NULL)
		return 0; /* the register itself was reported */
	err = ss_trail_read(v->t, commit, "allowed_signers", &data, &len);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		problem(v, hex, "allowed_signers",
		        err == SS_ENOTFOUND
		            ? "there is no allowed_signers, so stock git cannot check "
		              "the signatures"
		            : "allowed_signers cannot be read: %s",
		        ss_error_message());
		return 0;
	}
	if ((err = ss_registry_allowed_signers(reg, &want)) != 0) {
		if (err != SS_ENOMEM) {
			problem(v, hex, "reviewers/",
			        "the register does not give allowed_signers: %s",
			        ss_error_message());
			err = 0;
		}
		goto out;
	}
	if (want.len == len && memcmp(want.data, data, len) == 0)
		goto out;
	if (missing_line(data, len, want.data, want.len, line, sizeof(line)))
		problem(v, hex, "allowed_signers",
		        "allowed_signers admits a signer that reviewers/ does not register: '%s'",
		        line);
	else if (missing_line(want.data, want.len, data, len, line, sizeof(line)))
		problem(v, hex, "allowed_signers",
		        "allowed_signers lacks '%s', which reviewers/ implies", line);
	else
		problem(
		    v, hex, "allowed_signers",
		    "allowed_signers is not laid out as reviewers/ implies (order or duplicates)");
out:
	free(data);
	ss_buf_release(&want);
	return err;
}

/* ------------------------------------------------------------ actions */

enum act {
	A_NONE,
	A_UNKNOWN,
	A_INIT,
	A_POLICY,
	A_RADD,
	A_RREMOVE,
	A_IMPORT,
	A_SAMPLE,
	A_VERDICT,
	A_CORRECTION,
	A_CLOSE,
	A_REOPEN,
	A_MERGE
};

static const char *const act_names[] = {
    "",       "",       "init",    "policy",     "reviewer-add", "reviewer-remove",
    "import", "sample", "verdict", "correction", "close",        "reopen",
    "merge"};

static enum act act_parse(const char *s)
{
	size_t i;

	if (*s == '\0')
		return A_NONE;
	for (i = A_INIT; i <= A_MERGE; i++)
		if (strcmp(s, act_names[i]) == 0)
			return (enum act)i;
	return A_UNKNOWN;
}

/* Which act writes a kind of path, in words. */
static const char *writer_of(enum pkind k)
{
	switch (k) {
	case P_POLICY:
		return "a policy commit";
	case P_REVIEWER:
		return "a reviewer-add or reviewer-remove commit";
	case P_POPULATION:
	case P_SOURCES:
		return "an import";
	case P_SAMPLE:
		return "a sample commit";
	case P_VERDICT:
		return "a verdict commit";
	case P_CORRECTION:
		return "a correction commit";
	case P_CLOSED:
		return "a close or reopen commit";
	case P_WAIVER:
		return "a close commit";
	case P_TRAIL:
		return "only the first commit";
	default:
		return "no act of ssaudit";
	}
}

static const char *may_words(unsigned what)
{
	switch (what) {
	case SS_MAY_IMPORT:
		return "import records";
	case SS_MAY_SAMPLE:
		return "draw samples";
	case SS_MAY_REVIEW:
		return "record verdicts";
	case SS_MAY_ENTER_FOR:
		return "enter verdicts for others";
	case SS_MAY_CORRECT:
		return "correct outcomes";
	case SS_MAY_CLOSE:
		return "close or reopen months";
	case SS_MAY_POLICY:
		return "change the policy";
	}
	return "do that";
}

/* One commit being judged against its parent. */
struct cc {
	struct vctx *v;
	const struct ss_commit_view *c;
	const char *hex;
	const struct cstate *parent;
	struct cstate *cs;
	struct trailers tr;
	enum act act;
	const struct ss_reviewer *signer; /* NULL when unknown (reported) */
	const struct ss_role *role;       /* the signer's role in the parent's policy */
	const struct ss_policy *pol;      /* the parent's policy; NULL when invalid */
	struct changes ch;
	size_t path_problems; /* changed paths the act may not change */
};

/* Does the signer's role allow `what`? Reports when it does not. */
static bool permitted(struct cc *k, unsigned what, const char *path)
{
	if (k->signer == NULL || k->pol == NULL)
		return false; /* already reported */
	if (k->role == NULL) {
		problem(k->v, k->hex, path, "%s is a %s, a role the policy in force does not have",
		        k->signer->handle, k->signer->role);
		return false;
	}
	if (!ss_role_may(k->role, what)) {
		problem(k->v, k->hex, path,
		        "%s is a %s, and the policy in force does not let a %s %s",
		        k->signer->handle, k->signer->role, k->signer->role, may_words(what));
		return false;
	}
	return true;
}

/* May act a change this path (its month agreeing with the Ssaudit-Month trailer)? */
static bool path_allowed(enum act a, const struct vpath *p)
{
	switch (a) {
	case A_POLICY:
		return p->kind == P_POLICY && p->status == SS_PATH_MODIFIED;
	case A_RADD:
		return p->kind == P_REVIEWER && p->status == SS_PATH_ADDED;
	case A_RREMOVE:
		return p->kind == P_REVIEWER && p->status == SS_PATH_MODIFIED;
	case A_IMPORT:
		return (p->kind == P_POPULATION || p->kind == P_SOURCES) &&
		       p->status != SS_PATH_DELETED;
	case A_SAMPLE:
		return p->kind == P_SAMPLE && p->status == SS_PATH_ADDED;
	case A_VERDICT:
		return p->kind == P_VERDICT && p->status != SS_PATH_DELETED;
	case A_CORRECTION:
		return p->kind == P_CORRECTION && p->status == SS_PATH_ADDED;
	case A_CLOSE:
		return (p->kind == P_CLOSED && p->status != SS_PATH_DELETED) ||
		       (p->kind == P_WAIVER && p->status == SS_PATH_ADDED);
	case A_REOPEN:
		return p->kind == P_CLOSED && p->status == SS_PATH_MODIFIED;
	default:
		return false;
	}
}

/*
 * Every changed path must be one the commit's act may change. Returns the
 * number of paths that count (allowed_signers is derived and never counts).
 */
static int check_paths(struct cc *k, size_t *counted)
{
	struct vctx *v = k->v;
	const char *name = act_names[k->act];
	size_t i;
	int err;

	*counted = 0;
	k->path_problems = v->sum->problems;
	for (i = 0; i < k->ch.n; i++) {
		const struct vpath *p = &k->ch.v[i];

		if (p->kind == P_SIGNERS)
			continue;
		(*counted)++;
		if (p->kind == P_SAMPLE && p->status != SS_PATH_ADDED) {
			problem(v, k->hex, p->path,
			        p->status == SS_PATH_DELETED
			            ? "the sample was deleted after it was drawn"
			            : "the sample was changed after it was drawn (a sample, once "
			              "drawn, never changes)");
			continue;
		}
		if (p->kind == P_POPULATION || p->kind == P_SOURCES) {
			const struct ss_sample *s;
			bool sampled;

			err = sample_at(v, &k->c->parents[0], p->month, &s, &sampled);
			if (err == SS_ENOMEM)
				return err;
			if (err == 0 && sampled) {
				problem(
				    v, k->hex, p->path,
				    "the %s of %s was changed after the month was sampled (records "
				    "can be replaced only until the sample is drawn)",
				    p->kind == P_POPULATION ? "population" : "list of sources",
				    p->month);
				continue;
			}
		}
		if (p->kind == P_TRAIL) {
			problem(v, k->hex, p->path,
			        "trail.json was changed; it never changes after the "
			        "first commit");
			continue;
		}
		if (p->kind == P_REVIEWER && p->status == SS_PATH_DELETED) {
			problem(
			    v, k->hex, p->path,
			    "a reviewer's file was deleted (a removal keeps the file and marks it "
			    "removed, so earlier signatures still verify)");
			continue;
		}
		if (p->kind == P_REVIEWER && k->act == A_RADD && p->status == SS_PATH_MODIFIED) {
			problem(v, k->hex, p->path,
			        "the handle '%s' was registered again (a handle is never reused)",
			        p->handle);
			continue;
		}
		if (p->kind == P_OTHER) {
			problem(v, k->hex, p->path, "no act of ssaudit writes this path");
			continue;
		}
		if (k->act == A_NONE) {
			problem(
			    v, k->hex, p->path,
			    "the commit names no act (no Ssaudit-Action trailer), so it may not "
			    "change this file");
			continue;
		}
		if (k->act == A_UNKNOWN) {
			problem(
			    v, k->hex, p->path,
			    "the commit's Ssaudit-Action '%s' is not an act of ssaudit, so it may "
			    "not change this file",
			    k->tr.action);
			continue;
		}
		if (!path_allowed(k->act, p)) {
			problem(v, k->hex, p->path, "a %s commit may not %s this file (%s does)",
			        name,
			        p->status == SS_PATH_ADDED     ? "add"
			        : p->status == SS_PATH_DELETED ? "delete"
			                                       : "change",
			        writer_of(p->kind));
			continue;
		}
		if (p->month[0] != '\0' && strcmp(p->month, k->tr.month) != 0)
			problem(
			    v, k->hex, p->path,
			    "the commit says it is about month '%s' (Ssaudit-Month) but changes a "
			    "file of %s",
			    k->tr.month, p->month);
	}
	k->path_problems = v->sum->problems - k->path_problems;
	return 0;
}

/* A file's bytes at a commit; a failure to read it is reported (*data NULL). */
static int read_at(struct cc *k, const struct ss_oid *commit, const char *path, char **data,
                   size_t *len)
{
	int err = ss_trail_read(k->v->t, commit, path, data, len);

	if (err == SS_ENOMEM)
		return err;
	if (err)
		problem(k->v, k->hex, path, "the file cannot be read: %s", ss_error_message());
	return 0;
}

static int check_policy(struct cc *k)
{
	permitted(k, SS_MAY_POLICY, "policy.json");
	if (k->cs->pol != NULL && k->cs->pol->pol == NULL)
		problem(k->v, k->hex, "policy.json", "the new policy is not valid: %s",
		        k->cs->pol->error);
	return 0;
}

static int check_reviewer(struct cc *k, const struct vpath *p)
{
	const struct ss_reviewer *now = find_handle(k->cs->reg, p->handle);
	const struct ss_reviewer *before = find_handle(k->parent->reg, p->handle);
	char when[21];

	if (now == NULL || k->cs->reg == k->parent->reg)
		return 0; /* the register could not be read: reported */
	ss_clock_rfc3339(k->c->commit_time, when);
	if (k->tr.role[0] != '\0' && strcmp(k->tr.role, now->role) != 0)
		problem(
		    k->v, k->hex, p->path,
		    "the commit says the role is '%s' (Ssaudit-Role) but the reviewer's file says "
		    "'%s'",
		    k->tr.role, now->role);
	if (k->act == A_RADD) {
		const struct ss_reviewer *other;

		if (now->removed != NULL)
			problem(k->v, k->hex, p->path, "%s is registered as already removed",
			        now->handle);
		if (k->pol != NULL && ss_policy_role(k->pol, now->role) == NULL)
			problem(k->v, k->hex, p->path, "the policy in force has no role '%s'",
			        now->role);
		if (k->signer != NULL && k->role != NULL && !ss_role_registers(k->role, now->role))
			problem(
			    k->v, k->hex, p->path,
			    "%s is a %s, and the policy in force does not let a %s register a %s",
			    k->signer->handle, k->signer->role, k->signer->role, now->role);
		if (now->has_key && (other = find_key(k->parent->reg, now->pk)) != NULL)
			problem(k->v, k->hex, p->path,
			        "the key registered for %s is already %s's (one key, one person)",
			        now->handle, other->handle);
		return 0;
	}
	if (before == NULL)
		return 0;
	if (before->removed != NULL) {
		problem(k->v, k->hex, p->path, "%s had already been removed on %s", before->handle,
		        before->removed);
		return 0;
	}
	if (now->removed == NULL) {
		problem(k->v, k->hex, p->path,
		        "a reviewer-remove commit that does not mark %s removed", now->handle);
		return 0;
	}
	if (strcmp(now->name, before->name) != 0 || strcmp(now->email, before->email) != 0 ||
	    strcmp(now->role, before->role) != 0 || now->has_key != before->has_key ||
	    memcmp(now->pk, before->pk, sizeof(now->pk)) != 0 ||
	    strcmp(now->added, before->added) != 0)
		problem(
		    k->v, k->hex, p->path,
		    "a removal may only mark %s removed, but it also changed their name, email, "
		    "role, key or date of registration",
		    now->handle);
	if (strcmp(now->removed, when) != 0)
		problem(
		    k->v, k->hex, p->path,
		    "%s is marked removed on %s, but the commit was made on %s (the date decides "
		    "which of their signatures stock git accepts)",
		    now->handle, now->removed, when);
	if (k->signer != NULL && k->role != NULL && !ss_role_registers(k->role, before->role))
		problem(k->v, k->hex, p->path,
		        "%s is a %s, and the policy in force does not let a %s remove a %s",
		        k->signer->handle, k->signer->role, k->signer->role, before->role);
	return 0;
}

static int check_import(struct cc *k, const char *month)
{
	struct ss_population *pop = NULL;
	struct ss_oid blob;
	char path[64], *data = NULL;
	size_t len = 0;
	int err;

	permitted(k, SS_MAY_IMPORT, "");
	snprintf(path, sizeof(path), "months/%s/sources.json", month);
	err = ss_trail_blob_id(k->v->t, &k->c->oid, path, &blob);
	if (err == SS_ENOTFOUND)
		problem(k->v, k->hex, path,
		        "the import does not say which files the records came from");
	snprintf(path, sizeof(path), "months/%s/population.jsonl", month);
	err = ss_trail_blob_id(k->v->t, &k->c->oid, path, &blob);
	if (err == SS_ENOTFOUND) {
		problem(k->v, k->hex, path, "the import has no population");
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err : 0;
	if (omap_find(&k->v->populations, &blob) != NULL)
		return 0;
	if ((err = read_at(k, &k->c->oid, path, &data, &len)) != 0 || data == NULL)
		return err;
	err = ss_population_from_jsonl(data, len, path, &pop);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		problem(k->v, k->hex, path, "the population is not valid: %s", ss_error_message());
		return 0;
	}
	if (k->v->populations.n >= MAX_POPULATIONS)
		omap_clear(&k->v->populations, release_population);
	if ((err = omap_put(&k->v->populations, &blob, pop)) != 0)
		ss_population_free(pop);
	return err;
}

static int check_sample(struct cc *k, const struct vpath *p)
{
	struct ss_sample *s = NULL;
	const struct vpol *pol = NULL;
	struct ss_oid blob;
	char popath[64], *sample = NULL, *pop = NULL;
	size_t slen = 0, plen = 0, i;
	int err;

	k->v->sum->samples++;
	permitted(k, SS_MAY_SAMPLE, p->path);
	snprintf(popath, sizeof(popath), "months/%s/population.jsonl", p->month);
	err = ss_trail_blob_id(k->v->t, &k->c->parents[0], popath, &blob);
	if (err == SS_ENOTFOUND) {
		problem(
		    k->v, k->hex, p->path,
		    "the sample was drawn before the month's population was committed (the seed "
		    "must be chosen after the records are fixed)");
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err : 0;
	if ((err = read_at(k, &k->c->oid, p->path, &sample, &slen)) != 0 || sample == NULL)
		goto out;
	err = ss_sample_from_json(sample, slen, p->path, &s);
	if (err == SS_ENOMEM)
		goto out;
	if (err) {
		problem(k->v, k->hex, p->path, "the sample is not valid: %s", ss_error_message());
		err = 0;
		goto out;
	}
	if (strcmp(s->month, p->month) != 0)
		problem(k->v, k->hex, p->path, "the sample is drawn for month %s, not %s", s->month,
		        p->month);
	for (i = 0; i < k->v->npolicies; i++)
		if (strcmp(k->v->policies[i]->sha, s->policy_sha256) == 0)
			pol = k->v->policies[i];
	if (pol == NULL) {
		problem(
		    k->v, k->hex, p->path,
		    "the sample names a policy (SHA-256 %s) that was never in force in this trail",
		    s->policy_sha256);
		goto out;
	}
	if (pol != k->parent->pol)
		problem(k->v, k->hex, p->path,
		        "the sample was drawn under an earlier policy (SHA-256 %s), not the one in "
		        "force (SHA-256 %s)",
		        pol->sha, k->parent->pol != NULL ? k->parent->pol->sha : "none");
	if ((err = read_at(k, &k->c->oid, popath, &pop, &plen)) != 0 || pop == NULL)
		goto out;
	err = ss_sample_rederive(sample, slen, pop, plen, pol->json, pol->len);
	if (err == SS_ENOMEM)
		goto out;
	if (err)
		problem(k->v, k->hex, p->path,
		        "the sample does not re-derive from its population, policy and seed: %s",
		        ss_error_message());
	err = 0;
out:
	ss_sample_free(s);
	free(sample);
	free(pop);
	return err;
}

static void check_answers(struct cc *k, const char *path, const struct ss_verdict *vd)
{
	const struct ss_policy *pol = k->pol;
	size_t i, j;

	if (pol == NULL)
		return;
	for (i = 0; i < vd->nanswers; i++) {
		const struct ss_question *q = ss_policy_question(pol, vd->answers[i].question);
		bool ok = false;

		if (q == NULL) {
			problem(
			    k->v, k->hex, path,
			    "the verdict answers '%s', a question the policy in force does not ask",
			    vd->answers[i].question);
			continue;
		}
		for (j = 0; j < q->nvalues; j++)
			ok = ok || strcmp(q->values[j], vd->answers[i].value) == 0;
		if (!ok)
			problem(k->v, k->hex, path,
			        "'%s' is not an answer the policy in force allows to '%s'",
			        vd->answers[i].value, q->id);
	}
	for (i = 0; i < pol->nquestions; i++) {
		bool answered = false;

		if (!pol->questions[i].required)
			continue;
		for (j = 0; j < vd->nanswers; j++)
			answered =
			    answered || strcmp(vd->answers[j].question, pol->questions[i].id) == 0;
		if (!answered)
			problem(k->v, k->hex, path,
			        "the verdict does not answer the required question '%s'",
			        pol->questions[i].id);
	}
}

/* The record must be in the sample at the parent, in the share the role reviews. */
static int check_in_share(struct cc *k, const struct vpath *p, const char *role)
{
	const struct ss_sample *s;
	bool sampled;
	int err = sample_at(k->v, &k->c->parents[0], p->month, &s, &sampled);

	if (err)
		return err == SS_ENOMEM ? err : 0;
	if (!sampled) {
		problem(k->v, k->hex, p->path,
		        "%s had not been sampled, so nothing could be reviewed", p->month);
		return 0;
	}
	if (s == NULL)
		return 0; /* an invalid sample: reported where it was committed */
	if (ss_sample_find(s, p->id) == NULL)
		problem(k->v, k->hex, p->path, "%s is not in the sample of %s", p->id, p->month);
	else if (role != NULL && ss_sample_role(s, role) == NULL)
		problem(k->v, k->hex, p->path, "the sample gives a %s nothing to review", role);
	else if (role != NULL && !ss_sample_role_has(s, role, p->id))
		problem(k->v, k->hex, p->path,
		        "%s is in the sample but not in the share a %s reviews", p->id, role);
	return 0;
}

static int check_verdict(struct cc *k, const struct vpath *p)
{
	struct ss_verdict vd;
	const struct ss_reviewer *member = find_handle(k->parent->reg, p->handle);
	char *data = NULL;
	size_t len = 0;
	int err, closed;

	k->v->sum->verdicts++;
	if (strcmp(k->tr.record, p->id) != 0)
		problem(k->v, k->hex, p->path,
		        "the commit says it is about record '%s' (Ssaudit-Record) but the verdict "
		        "is on "
		        "%s",
		        k->tr.record, p->id);
	if (k->tr.role[0] != '\0' && strcmp(k->tr.role, p->role) != 0)
		problem(k->v, k->hex, p->path,
		        "the commit says the verdict is a %s's (Ssaudit-Role) but it is filed as a "
		        "%s's",
		        k->tr.role, p->role);
	if (member == NULL)
		problem(k->v, k->hex, p->path,
		        "the verdict is filed for '%s', who is not registered", p->handle);
	else if (member->removed != NULL)
		problem(k->v, k->hex, p->path,
		        "the verdict is filed for %s, whose registration had been removed on %s",
		        member->handle, member->removed);
	else if (strcmp(member->role, p->role) != 0)
		problem(k->v, k->hex, p->path, "the verdict is filed as a %s, but %s is a %s",
		        p->role, member->handle, member->role);
	if (k->signer != NULL && strcmp(k->signer->handle, p->handle) == 0) {
		permitted(k, SS_MAY_REVIEW, p->path);
		if (k->tr.behalf[0] != '\0' && strcmp(k->tr.behalf, p->handle) != 0)
			problem(k->v, k->hex, p->path,
			        "%s's own verdict says it was entered on behalf of '%s'", p->handle,
			        k->tr.behalf);
	} else if (k->signer != NULL) {
		if (strcmp(k->tr.behalf, p->handle) != 0)
			problem(k->v, k->hex, p->path,
			        "%s signed a verdict filed for %s without naming them in "
			        "Ssaudit-On-Behalf-Of",
			        k->signer->handle, p->handle);
		if (k->role == NULL)
			permitted(k, SS_MAY_ENTER_FOR, p->path); /* reports the missing role */
		else if (!ss_role_may(k->role, SS_MAY_ENTER_FOR) ||
		         !ss_role_enters_for(k->role, p->role))
			problem(
			    k->v, k->hex, p->path,
			    "%s is a %s, and the policy in force does not let a %s enter verdicts "
			    "for a %s",
			    k->signer->handle, k->signer->role, k->signer->role, p->role);
		if (member != NULL && (strcmp(k->c->author_name, member->name) != 0 ||
		                       strcmp(k->c->author_email, member->email) != 0))
			problem(k->v, k->hex, p->path,
			        "the author '%s <%s>' is not %s, whose verdict it is ('%s <%s>')",
			        k->c->author_name, k->c->author_email, member->handle, member->name,
			        member->email);
	}
	closed = closed_at(k->v, &k->c->parents[0], p->month);
	if (closed == SS_ENOMEM)
		return closed;
	if (closed == CLOSED_YES)
		problem(k->v, k->hex, p->path,
		        "%s was closed: verdicts are refused until it is reopened", p->month);
	if ((err = check_in_share(k, p, p->role)) != 0)
		return err;
	if ((err = read_at(k, &k->c->oid, p->path, &data, &len)) != 0 || data == NULL)
		return err;
	err = ss_verdict_from_json(data, len, p->path, &vd);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		problem(k->v, k->hex, p->path, "the verdict is not valid: %s", ss_error_message());
		return 0;
	}
	if (strcmp(vd.month, p->month) != 0 || strcmp(vd.id, p->id) != 0 ||
	    strcmp(vd.role, p->role) != 0 || strcmp(vd.reviewer, p->handle) != 0)
		problem(k->v, k->hex, p->path,
		        "the verdict says it is %s's, as a %s, on %s of %s, which is not where it "
		        "is filed",
		        vd.reviewer, vd.role, vd.id, vd.month);
	if (k->signer != NULL && strcmp(vd.entered_by, k->signer->handle) != 0)
		problem(k->v, k->hex, p->path,
		        "the verdict says it was entered by '%s', but %s signed it", vd.entered_by,
		        k->signer->handle);
	check_answers(k, p->path, &vd);
	ss_verdict_release(&vd);
	return 0;
}

static bool value_equal(const struct ss_rule_value *a, const struct ss_rule_value *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == SS_RV_STRING)
		return strcmp(a->s, b->s) == 0;
	if (a->kind == SS_RV_BOOL)
		return a->b == b->b;
	return true;
}

static void value_words(const struct ss_rule_value *a, char *out, size_t n)
{
	if (a->kind == SS_RV_STRING)
		snprintf(out, n, "'%s'", a->s);
	else if (a->kind == SS_RV_BOOL)
		snprintf(out, n, "%s", a->b ? "true" : "false");
	else
		snprintf(out, n, "blank");
}

static int cmp_correction(const void *x, const void *y)
{
	const struct ss_correction *a = x, *b = y;
	int c = strcmp(a->time, b->time);

	return c != 0 ? c : strcmp(a->by, b->by);
}

/* The corrections of one record at a commit, as a month state ss_month_current reads. */
static int corrections_at(struct cc *k, const struct ss_oid *commit, const struct vpath *p,
                          struct ss_month_state *st)
{
	char dir[128], path[256];
	char **names = NULL;
	size_t n = 0, i;
	int err;

	memset(st, 0, sizeof(*st));
	snprintf(dir, sizeof(dir), "months/%s/corrections/%.2s/%s", p->month, p->id + 2, p->id);
	err = ss_trail_list(k->v->t, commit, dir, &names, &n);
	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	if ((st->corrections = calloc(n > 0 ? n : 1, sizeof(*st->corrections))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < n; i++) {
		char *data = NULL;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((err = ss_trail_read(k->v->t, commit, path, &data, &len)) != 0)
			goto out;
		err = ss_correction_from_json(data, len, path, &st->corrections[st->ncorrections]);
		free(data);
		if (err)
			goto out;
		st->ncorrections++;
	}
	qsort(st->corrections, st->ncorrections, sizeof(*st->corrections), cmp_correction);
out:
	ss_strv_free(names, n);
	return err;
}

static void corrections_release(struct ss_month_state *st)
{
	size_t i;

	for (i = 0; i < st->ncorrections; i++)
		ss_correction_release(&st->corrections[i]);
	free(st->corrections);
	memset(st, 0, sizeof(*st));
}

static int check_correction(struct cc *k, const struct vpath *p)
{
	const struct ss_population *pop = NULL;
	const struct ss_record *rec = NULL;
	struct ss_correction cor;
	struct ss_month_state st;
	char when[17], *data = NULL;
	size_t len = 0, i;
	int err;

	k->v->sum->corrections++;
	permitted(k, SS_MAY_CORRECT, p->path);
	if (k->signer != NULL && strcmp(p->handle, k->signer->handle) != 0)
		problem(k->v, k->hex, p->path, "the correction is filed as %s's, but %s signed it",
		        p->handle, k->signer->handle);
	ss_clock_compact(k->c->commit_time, when);
	if (strcmp(p->time, when) != 0)
		problem(k->v, k->hex, p->path,
		        "the correction is filed at %s, but the commit was made at %s (the latest "
		        "correction decides the current value)",
		        p->time, when);
	if (strcmp(k->tr.record, p->id) != 0)
		problem(k->v, k->hex, p->path,
		        "the commit says it is about record '%s' (Ssaudit-Record) but the "
		        "correction is "
		        "of %s",
		        k->tr.record, p->id);
	if ((err = population_at(k->v, &k->c->parents[0], p->month, &pop)) != 0)
		return err == SS_ENOMEM ? err : 0;
	if (pop == NULL)
		problem(k->v, k->hex, p->path, "%s has no valid population to correct", p->month);
	else if ((rec = ss_population_find(pop, p->id)) == NULL)
		problem(k->v, k->hex, p->path, "%s is not a record of the population of %s", p->id,
		        p->month);
	if ((err = read_at(k, &k->c->oid, p->path, &data, &len)) != 0 || data == NULL)
		return err;
	err = ss_correction_from_json(data, len, p->path, &cor);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		problem(k->v, k->hex, p->path, "the correction is not valid: %s",
		        ss_error_message());
		return 0;
	}
	if (strcmp(cor.month, p->month) != 0 || strcmp(cor.id, p->id) != 0)
		problem(k->v, k->hex, p->path,
		        "the correction says it is of %s in %s, which is not where it is filed",
		        cor.id, cor.month);
	if (k->signer != NULL && strcmp(cor.by, k->signer->handle) != 0)
		problem(k->v, k->hex, p->path,
		        "the correction says it is by '%s', but %s signed it", cor.by,
		        k->signer->handle);
	if (cor.nchanges == 0)
		problem(k->v, k->hex, p->path, "the correction changes nothing");
	if (rec != NULL) {
		err = corrections_at(k, &k->c->parents[0], p, &st);
		if (err == SS_ENOMEM)
			goto out;
		if (err) {
			problem(k->v, k->hex, p->path, "the earlier corrections cannot be read: %s",
			        ss_error_message());
			err = 0;
		} else {
			for (i = 0; i < cor.nchanges; i++) {
				struct ss_rule_value cur =
				    ss_month_current(&st, rec, cor.changes[i].field);
				char was[160], said[160];

				if (value_equal(&cur, &cor.changes[i].from))
					continue;
				value_words(&cur, was, sizeof(was));
				value_words(&cor.changes[i].from, said, sizeof(said));
				problem(
				    k->v, k->hex, p->path,
				    "the correction says %s was %s, but at that point it was %s",
				    ss_field_name(cor.changes[i].field), said, was);
			}
		}
		corrections_release(&st);
	}
out:
	ss_correction_release(&cor);
	return err;
}

/* A close signs the month off: every record in a role's share has a verdict by
 * someone of that role, or a waiver, in the closing commit's tree. */
static int check_complete(struct cc *k, const char *month)
{
	const struct ss_sample *s;
	char dir[128], path[128], first[SS_ID_LEN + 1] = "", first_role[40] = "";
	size_t i, r, missing = 0;
	bool sampled;
	int err = sample_at(k->v, &k->c->oid, month, &s, &sampled);

	if (err)
		return err == SS_ENOMEM ? err : 0;
	if (!sampled) {
		problem(k->v, k->hex, "", "%s was closed before it was sampled", month);
		return 0;
	}
	if (s == NULL)
		return 0;
	for (i = 0; i < s->n; i++) {
		const char *id = s->records[i].id;
		char **names = NULL;
		size_t n = 0, j;
		struct ss_oid blob;
		bool waived;

		snprintf(path, sizeof(path), "months/%s/waivers/%.2s/%s.json", month, id + 2, id);
		err = ss_trail_blob_id(k->v->t, &k->c->oid, path, &blob);
		if (err && err != SS_ENOTFOUND)
			return err == SS_ENOMEM ? err : 0;
		waived = err == 0;
		if (waived)
			continue;
		snprintf(dir, sizeof(dir), "months/%s/verdicts/%.2s/%s", month, id + 2, id);
		err = ss_trail_list(k->v->t, &k->c->oid, dir, &names, &n);
		if (err && err != SS_ENOTFOUND)
			return err == SS_ENOMEM ? err : 0;
		for (r = 0; r < s->nroles; r++) {
			const char *role = s->roles[r].role;
			size_t rl = strlen(role);
			bool found = false;

			if (!ss_sample_role_has(s, role, id))
				continue;
			for (j = 0; j < n && !found; j++)
				found = strncmp(names[j], role, rl) == 0 && names[j][rl] == '.';
			if (found)
				continue;
			if (missing++ == 0) {
				snprintf(first, sizeof(first), "%s", id);
				snprintf(first_role, sizeof(first_role), "%s", role);
			}
		}
		ss_strv_free(names, n);
	}
	if (missing > 0)
		problem(
		    k->v, k->hex, "",
		    "%s was signed off with %zu verdict%s missing and not waived (the first: %s "
		    "for a %s)",
		    month, missing, missing == 1 ? "" : "s", first, first_role);
	return 0;
}

static int check_close(struct cc *k, const char *month)
{
	struct closed_file cf;
	char path[64], *data = NULL;
	size_t len = 0, i;
	int err, before;

	k->v->sum->closes++;
	permitted(k, SS_MAY_CLOSE, "");
	snprintf(path, sizeof(path), "months/%s/closed.json", month);
	before = closed_at(k->v, &k->c->parents[0], month);
	if (before == SS_ENOMEM)
		return before;
	if ((err = read_at(k, &k->c->oid, path, &data, &len)) != 0 || data == NULL)
		return err;
	if (!parse_closed(data, len, &cf)) {
		problem(k->v, k->hex, path, "the sign-off is not valid");
	} else {
		if (strcmp(cf.month, month) != 0)
			problem(k->v, k->hex, path, "the sign-off is for %s, not %s", cf.month,
			        month);
		if (k->signer != NULL && strcmp(cf.by, k->signer->handle) != 0)
			problem(k->v, k->hex, path,
			        "the sign-off says it is by '%s', but %s signed it", cf.by,
			        k->signer->handle);
		if (k->act == A_CLOSE && strcmp(cf.state, "closed") != 0)
			problem(k->v, k->hex, path, "a close commit that leaves the month open");
		if (k->act == A_CLOSE && before == CLOSED_YES)
			problem(k->v, k->hex, path, "%s was closed again without being reopened",
			        month);
		if (k->act == A_REOPEN && strcmp(cf.state, "open") != 0)
			problem(k->v, k->hex, path, "a reopen commit that leaves the month closed");
		if (k->act == A_REOPEN && !cf.has_reason)
			problem(k->v, k->hex, path, "the month was reopened without a reason");
		if (k->act == A_REOPEN && before != CLOSED_YES)
			problem(k->v, k->hex, path, "%s was reopened, but it was not closed",
			        month);
	}
	free(data);
	if (k->act == A_CLOSE && (err = check_complete(k, month)) != 0)
		return err;
	for (i = 0; i < k->ch.n; i++) {
		const struct vpath *p = &k->ch.v[i];
		struct ss_waiver w;

		if (p->kind != P_WAIVER || !path_allowed(k->act, p) || strcmp(p->month, month) != 0)
			continue;
		if (before == CLOSED_YES)
			problem(
			    k->v, k->hex, p->path,
			    "a record was waived in a closed month (refused until it is reopened)");
		if ((err = check_in_share(k, p, NULL)) != 0)
			return err;
		if ((err = read_at(k, &k->c->oid, p->path, &data, &len)) != 0 || data == NULL)
			return err;
		err = ss_waiver_from_json(data, len, p->path, &w);
		free(data);
		if (err == SS_ENOMEM)
			return err;
		if (err) {
			problem(k->v, k->hex, p->path, "the waiver is not valid: %s",
			        ss_error_message());
			continue;
		}
		if (strcmp(w.month, month) != 0 || strcmp(w.id, p->id) != 0)
			problem(k->v, k->hex, p->path,
			        "the waiver says it is of %s in %s, which is not where it is filed",
			        w.id, w.month);
		if (k->signer != NULL && strcmp(w.by, k->signer->handle) != 0)
			problem(k->v, k->hex, p->path,
			        "the waiver says it is by '%s', but %s signed it", w.by,
			        k->signer->handle);
		ss_waiver_release(&w);
	}
	return 0;
}

/* ---------------------------------------------------------- a commit */

static size_t count_kind(const struct cc *k, enum pkind kind, const struct vpath **first)
{
	size_t i, n = 0;

	*first = NULL;
	for (i = 0; i < k->ch.n; i++)
		if (k->ch.v[i].kind == kind && path_allowed(k->act, &k->ch.v[i])) {
			if (n++ == 0)
				*first = &k->ch.v[i];
		}
	return n;
}

/* What the act says it does must be what it did: one file of its kind (or more, for close). */
static int check_act(struct cc *k)
{
	static const enum pkind one_of[] = {
	    [A_POLICY] = P_POLICY, [A_RADD] = P_REVIEWER,   [A_RREMOVE] = P_REVIEWER,
	    [A_SAMPLE] = P_SAMPLE, [A_VERDICT] = P_VERDICT, [A_CORRECTION] = P_CORRECTION,
	    [A_CLOSE] = P_CLOSED,  [A_REOPEN] = P_CLOSED,
	};
	const struct vpath *p = NULL, *q = NULL;
	size_t n;

	switch (k->act) {
	case A_IMPORT:
		if (count_kind(k, P_POPULATION, &p) + count_kind(k, P_SOURCES, &q) == 0) {
			if (k->path_problems == 0)
				problem(k->v, k->hex, "", "an import that imports nothing");
			return 0;
		}
		k->v->sum->imports++;
		return check_import(k, (p != NULL ? p : q)->month);
	case A_POLICY:
	case A_RADD:
	case A_RREMOVE:
	case A_SAMPLE:
	case A_VERDICT:
	case A_CORRECTION:
	case A_CLOSE:
	case A_REOPEN:
		n = count_kind(k, one_of[k->act], &p);
		if (n == 0 && k->path_problems > 0)
			return 0; /* what it did instead was reported */
		if (n == 0) {
			problem(k->v, k->hex, "", "a %s commit that does not record one",
			        act_names[k->act]);
			return 0;
		}
		if (n > 1) {
			problem(k->v, k->hex, "",
			        "a %s commit may record only one at a time, not %zu",
			        act_names[k->act], n);
			return 0;
		}
		break;
	default:
		return 0;
	}
	switch (k->act) {
	case A_POLICY:
		k->v->sum->policies++;
		return check_policy(k);
	case A_RADD:
	case A_RREMOVE:
		k->v->sum->reviewers++;
		return check_reviewer(k, p);
	case A_SAMPLE:
		return check_sample(k, p);
	case A_VERDICT:
		return check_verdict(k, p);
	case A_CORRECTION:
		return check_correction(k, p);
	default:
		return check_close(k, p->month);
	}
}

static const struct cstate *state_of(struct vctx *v, const struct ss_oid *commit)
{
	void **slot = omap_find(&v->commits, commit);

	return slot != NULL ? *slot : NULL;
}

static int check_commit(struct vctx *v, struct cc *k)
{
	bool ok, reviewers = false, signers = false, policy = false;
	size_t i, counted;
	int err;

	k->parent = state_of(v, &k->c->parents[0]);
	if (k->parent == NULL) {
		problem(v, k->hex, "", "its parent was not part of the checked history");
		return 0;
	}
	k->cs->reg = k->parent->reg;
	k->cs->pol = k->parent->pol;
	if ((err = diff(v, &k->c->parents[0], &k->c->oid, k->hex, &k->ch, &ok)) != 0 || !ok)
		return err;
	for (i = 0; i < k->ch.n; i++) {
		reviewers = reviewers || strncmp(k->ch.v[i].path, "reviewers/", 10) == 0;
		signers = signers || k->ch.v[i].kind == P_SIGNERS;
		policy = policy || k->ch.v[i].kind == P_POLICY;
	}
	if (reviewers) {
		const struct ss_registry *reg;

		if ((err = load_registry(v, &k->c->oid, k->hex, &reg)) != 0)
			return err;
		if (reg != NULL)
			k->cs->reg = reg;
	}
	if (policy) {
		const struct vpol *pol;

		if ((err = load_policy(v, &k->c->oid, k->hex, &pol)) != 0)
			return err;
		k->cs->pol = pol;
	}
	if ((reviewers || signers) && (err = check_signers(v, &k->c->oid, k->hex, k->cs->reg)) != 0)
		return err;
	k->signer = check_signature(v, k->c, k->hex, k->parent->reg, k->cs);
	k->pol = k->parent->pol != NULL ? k->parent->pol->pol : NULL;
	k->role =
	    k->signer != NULL && k->pol != NULL ? ss_policy_role(k->pol, k->signer->role) : NULL;
	if (k->tr.behalf[0] != '\0' && k->act != A_VERDICT)
		problem(v, k->hex, "",
		        "only a verdict can be entered on someone's behalf "
		        "(Ssaudit-On-Behalf-Of)");
	if ((k->act != A_VERDICT || k->tr.behalf[0] == '\0') &&
	    (strcmp(k->c->author_name, k->c->committer_name) != 0 ||
	     strcmp(k->c->author_email, k->c->committer_email) != 0))
		problem(
		    v, k->hex, "",
		    "the author '%s <%s>' is not the committer, and the commit does not say it was "
		    "entered on their behalf",
		    k->c->author_name, k->c->author_email);
	if (k->signer != NULL && k->tr.role[0] != '\0' &&
	    strcmp(k->tr.role, k->signer->role) != 0 &&
	    (k->act == A_POLICY || k->act == A_IMPORT || k->act == A_SAMPLE ||
	     k->act == A_CORRECTION || k->act == A_CLOSE || k->act == A_REOPEN))
		problem(
		    v, k->hex, "",
		    "the commit says it was made as a %s (Ssaudit-Role), but %s, who signed it, "
		    "is a %s",
		    k->tr.role, k->signer->handle, k->signer->role);
	if (k->act == A_INIT)
		problem(v, k->hex, "", "an init commit in the middle of the history");
	else if (k->act == A_MERGE)
		problem(v, k->hex, "", "the commit says it is a merge but has one parent");
	if ((err = check_paths(k, &counted)) != 0)
		return err;
	if (counted == 0) {
		if (signers)
			problem(v, k->hex, "allowed_signers",
			        "the commit changes only allowed_signers, which follows from "
			        "reviewers/ and never changes on its own");
		else
			problem(v, k->hex, "", "the commit records nothing (no file changed)");
		return 0;
	}
	return check_act(k);
}

/* trail.json: the format this verifier knows, and a pseudonym-key fingerprint. */
static void check_trail_json(struct vctx *v, struct cc *k)
{
	char *data = NULL;
	size_t len = 0;
	cJSON *o;
	const cJSON *f, *fp;

	if (read_at(k, &k->c->oid, "trail.json", &data, &len) != 0 || data == NULL)
		return;
	o = cJSON_ParseWithLength(data, len);
	f = cJSON_GetObjectItemCaseSensitive(o, "format");
	fp = cJSON_GetObjectItemCaseSensitive(o, "pseudonym_key_fingerprint");
	if (!cJSON_IsObject(o) || !cJSON_IsString(f) || strcmp(f->valuestring, TRAIL_FORMAT) != 0)
		problem(v, k->hex, "trail.json",
		        "trail.json does not say format \"" TRAIL_FORMAT "\"");
	else if (!cJSON_IsString(fp) || strlen(fp->valuestring) != 32)
		problem(v, k->hex, "trail.json", "trail.json has no pseudonym key fingerprint");
	cJSON_Delete(o);
	free(data);
}

/* The first commit founds the trail: exactly its four files, signed by the founder. */
static int check_root(struct vctx *v, struct cc *k)
{
	const struct ss_reviewer *founder = NULL;
	const struct ss_registry *reg = NULL;
	const struct vpol *pol = NULL;
	size_t i, nrev = 0;
	bool ok, has[3] = {false, false, false};
	int err;

	if (v->have_root)
		problem(v, k->hex, "",
		        "a second first commit: part of this history did not grow from the trail's "
		        "first commit");
	if ((err = diff(v, NULL, &k->c->oid, k->hex, &k->ch, &ok)) != 0)
		return err;
	for (i = 0; ok && i < k->ch.n; i++) {
		const struct vpath *p = &k->ch.v[i];

		if (p->kind == P_TRAIL || p->kind == P_POLICY || p->kind == P_SIGNERS)
			has[p->kind == P_TRAIL ? 0 : p->kind == P_POLICY ? 1 : 2] = true;
		else if (p->kind == P_REVIEWER)
			nrev++;
		else
			problem(
			    v, k->hex, p->path,
			    "the first commit may hold only trail.json, policy.json, the founder's "
			    "file in reviewers/ and allowed_signers");
	}
	if (ok && (!has[0] || !has[1] || !has[2] || nrev != 1))
		problem(v, k->hex, "",
		        "the first commit must hold trail.json, policy.json, allowed_signers and "
		        "exactly one reviewer, the founder");
	if ((err = load_registry(v, &k->c->oid, k->hex, &reg)) != 0 ||
	    (err = load_policy(v, &k->c->oid, k->hex, &pol)) != 0)
		return err;
	k->cs->reg = reg != NULL ? reg : &v->empty;
	k->cs->pol = pol;
	if (pol != NULL && pol->pol == NULL)
		problem(v, k->hex, "policy.json", "the founding policy is not valid: %s",
		        pol->error);
	if (reg != NULL && reg->n == 1)
		founder = &reg->r[0];
	if (v->have_root)
		return 0;
	v->have_root = true;
	memcpy(v->sum->trail_id, k->hex, 41);
	if (founder != NULL) {
		snprintf(v->sum->founder, sizeof(v->sum->founder), "%s", founder->handle);
		if (founder->has_key)
			ss_pubkey_fingerprint(founder->pk, v->sum->founder_fingerprint);
		if (founder->removed != NULL)
			problem(v, k->hex, "reviewers/", "the founder is registered as removed");
		if (pol != NULL && pol->pol != NULL &&
		    ss_policy_role(pol->pol, founder->role) == NULL)
			problem(v, k->hex, "reviewers/",
			        "the founder's role '%s' is not in the policy", founder->role);
	}
	check_trail_json(v, k);
	if ((err = check_signers(v, &k->c->oid, k->hex, reg)) != 0)
		return err;
	k->signer = check_signature(v, k->c, k->hex, reg, k->cs);
	if (k->act != A_INIT)
		problem(v, k->hex, "", "the first commit is not an init (Ssaudit-Action: init)");
	if (founder != NULL && k->tr.role[0] != '\0' && strcmp(k->tr.role, founder->role) != 0)
		problem(v, k->hex, "", "the commit says the founder's role is '%s', the file '%s'",
		        k->tr.role, founder->role);
	if (strcmp(k->c->author_name, k->c->committer_name) != 0 ||
	    strcmp(k->c->author_email, k->c->committer_email) != 0)
		problem(v, k->hex, "", "the author of the first commit is not its committer");
	return 0;
}

/* ------------------------------------------------------------ merges */

static int blob_of(struct vctx *v, const struct ss_oid *commit, const char *path,
                   struct ss_oid *out, bool *present)
{
	int err = ss_trail_blob_id(v->t, commit, path, out);

	*present = err == 0;
	if (err == SS_ENOTFOUND)
		err = 0;
	if (!*present)
		memset(out, 0, sizeof(*out));
	return err;
}

static bool same_blob(struct vctx *v, const struct ss_oid *x, const struct ss_oid *y,
                      const char *path, int *err)
{
	struct ss_oid a, b;
	bool pa, pb;

	if ((*err = blob_of(v, x, path, &a, &pa)) != 0 ||
	    (*err = blob_of(v, y, path, &b, &pb)) != 0)
		return false;
	return pa == pb && (!pa || ss_oid_equal(&a, &b));
}

/* Commits only the second side has must be signed by keys the first side still trusts. */
static int check_second_side(struct vctx *v, struct cc *k, const struct cstate *first)
{
	struct omap seen = {0};
	struct ss_oid *stack = NULL;
	size_t n = 0, cap = 0, i;
	int err = 0;

	if ((stack = malloc(sizeof(*stack) * (cap = 64))) == NULL)
		return ss_error_nomem();
	stack[n++] = k->c->parents[1];
	while (n > 0) {
		struct ss_oid x = stack[--n];
		const struct cstate *cs;
		const struct ss_reviewer *r;
		bool shared;
		char hex[41];

		if (omap_find(&seen, &x) != NULL)
			continue;
		if ((err = omap_put(&seen, &x, NULL)) != 0)
			goto out;
		if ((err = ss_trail_is_ancestor(v->t, &x, &k->c->parents[0], &shared)) != 0)
			goto out;
		if (shared || (cs = state_of(v, &x)) == NULL)
			continue;
		ss_oid_hex(&x, hex);
		if (cs->has_signer) {
			r = find_key(first->reg, cs->pk);
			if (r != NULL && r->removed != NULL)
				problem(v, hex, "",
				        "merged in by %s, but signed by %s, whose registration the "
				        "first "
				        "side had removed on %s",
				        k->hex, r->handle, r->removed);
			else if (r == NULL && find_key(k->cs->reg, cs->pk) == NULL)
				problem(v, hex, "",
				        "merged in by %s, but signed by a key the first side never "
				        "registered",
				        k->hex);
		}
		for (i = 0; i < cs->nparents; i++) {
			if (n == cap) {
				struct ss_oid *grown = realloc(stack, sizeof(*stack) * (cap *= 2));

				if (grown == NULL) {
					err = ss_error_nomem();
					goto out;
				}
				stack = grown;
			}
			stack[n++] = cs->parents[i];
		}
	}
out:
	free(stack);
	omap_clear(&seen, NULL);
	return err;
}

/*
 * A merge joins two sides: its tree is the first side plus every path the
 * second side changed since they parted, and no path changed on both.
 */
static int check_merge(struct vctx *v, struct cc *k)
{
	const struct cstate *first, *second;
	const struct ss_registry *reg = NULL;
	const struct vpol *pol = NULL;
	struct changes a = {0}, b = {0}, d = {0};
	struct ss_oid base;
	const struct ss_oid *p1 = &k->c->parents[0], *p2 = &k->c->parents[1];
	bool ok;
	size_t i;
	int err;

	v->sum->merges++;
	if (k->c->nparents_total != 2)
		problem(v, k->hex, "", "a merge of %zu histories (a merge joins exactly two)",
		        k->c->nparents_total);
	first = state_of(v, p1);
	second = state_of(v, p2);
	if (first == NULL || second == NULL) {
		problem(v, k->hex, "", "a side of the merge was not part of the checked history");
		return 0;
	}
	k->parent = first;
	if ((err = load_registry(v, &k->c->oid, k->hex, &reg)) != 0 ||
	    (err = load_policy(v, &k->c->oid, k->hex, &pol)) != 0)
		return err;
	k->cs->reg = reg != NULL ? reg : first->reg;
	k->cs->pol = pol != NULL ? pol : first->pol;
	if ((err = check_signers(v, &k->c->oid, k->hex, k->cs->reg)) != 0)
		return err;
	k->signer = check_signature(v, k->c, k->hex, first->reg, k->cs);
	if (k->act != A_MERGE)
		problem(v, k->hex, "", "a commit with two parents that does not say it is a merge");
	if (strcmp(k->c->author_name, k->c->committer_name) != 0 ||
	    strcmp(k->c->author_email, k->c->committer_email) != 0)
		problem(v, k->hex, "", "the author of the merge is not its committer");
	err = ss_trail_merge_base(v->t, p1, p2, &base);
	if (err == SS_ENOTFOUND) {
		problem(v, k->hex, "",
		        "the merge joins a history that shares nothing with this trail");
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err
		                        : (problem(v, k->hex, "", "%s", ss_error_message()), 0);
	if ((err = diff(v, &base, p1, k->hex, &a, &ok)) != 0 || !ok ||
	    (err = diff(v, &base, p2, k->hex, &b, &ok)) != 0 || !ok ||
	    (err = diff(v, p1, &k->c->oid, k->hex, &d, &ok)) != 0 || !ok)
		goto out;
	for (i = 0; i < b.n; i++) {
		const char *path = b.v[i].path;

		if (b.v[i].kind == P_SIGNERS)
			continue;
		if (changed(&a, path) != NULL && !same_blob(v, p1, p2, path, &err) && err == 0) {
			problem(
			    v, k->hex, path,
			    "both sides of the merge changed this file differently; a merge cannot "
			    "take both");
			continue;
		}
		if (err)
			goto out;
		if (changed(&d, path) != NULL) {
			if (!same_blob(v, &k->c->oid, p2, path, &err) && err == 0)
				problem(v, k->hex, path,
				        "the merge does not take the second side's version of this "
				        "file");
		} else if (!same_blob(v, p1, p2, path, &err) && err == 0) {
			problem(v, k->hex, path,
			        "the merge drops the second side's change to this file");
		}
		if (err)
			goto out;
	}
	for (i = 0; i < d.n; i++)
		if (d.v[i].kind != P_SIGNERS && changed(&b, d.v[i].path) == NULL)
			problem(
			    v, k->hex, d.v[i].path,
			    "the merge changes this file, which the second side did not change");
	err = check_second_side(v, k, first);
out:
	if (err != 0 && err != SS_ENOMEM) {
		problem(v, k->hex, "", "the merge cannot be checked: %s", ss_error_message());
		err = 0;
	}
	changes_release(&a);
	changes_release(&b);
	changes_release(&d);
	return err;
}

/* -------------------------------------------------------------- walk */

static int visit(void *ctx, const struct ss_commit_view *c)
{
	struct vctx *v = ctx;
	struct cstate *cs = calloc(1, sizeof(*cs));
	struct cc k;
	char hex[41];
	int err;

	if (cs == NULL)
		return ss_error_nomem();
	memcpy(cs->parents, c->parents, sizeof(cs->parents));
	cs->nparents = c->nparents;
	if ((err = omap_put(&v->commits, &c->oid, cs)) != 0) {
		free(cs);
		return err;
	}
	ss_oid_hex(&c->oid, hex);
	memset(&k, 0, sizeof(k));
	k.v = v;
	k.c = c;
	k.hex = hex;
	k.cs = cs;
	if (++v->sum->commits % 256 == 0 && v->opts->progress != NULL)
		v->opts->progress(v->opts->progress_ctx, v->sum->commits);
	parse_trailers(v, hex, c->message, &k.tr);
	k.act = act_parse(k.tr.action);
	if (k.tr.fixed) {
		char(*grown)[41] =
		    realloc(v->sum->fixed_clock, (v->sum->nfixed + 1) * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		v->sum->fixed_clock = grown;
		memcpy(grown[v->sum->nfixed++], hex, 41);
	}
	if (c->nparents_total == 0)
		err = check_root(v, &k);
	else if (c->nparents_total == 1)
		err = check_commit(v, &k);
	else
		err = check_merge(v, &k);
	changes_release(&k.ch);
	return err;
}

/* A commit named by a published id (full or abbreviated); false when it is not in the trail. */
static bool resolve(struct vctx *v, const char *text, struct ss_oid *out)
{
	if (strlen(text) == 40 && ss_oid_parse(text, out) == 0)
		return true;
	return ss_trail_resolve(v->t, text, out) == 0;
}

static void check_published(struct vctx *v, const struct ss_verify_opts *opts,
                            const struct ss_oid *tip)
{
	struct ss_oid id;
	char hex[41];
	bool yes = false;

	if (opts->root != NULL) {
		if (!resolve(v, opts->root, &id))
			problem(v, opts->root, "",
			        "the published trail id is not a commit of this trail, whose first "
			        "commit is %s",
			        v->sum->trail_id);
		else if (ss_oid_hex(&id, hex), strcmp(hex, v->sum->trail_id) != 0)
			problem(
			    v, v->sum->trail_id, "",
			    "the trail's first commit is not the published trail id %s: this is "
			    "another trail, or its history was rewritten from the start",
			    opts->root);
	}
	if (opts->anchor != NULL) {
		if (!resolve(v, opts->anchor, &id) ||
		    ss_trail_is_ancestor(v->t, &id, tip, &yes) != 0 || !yes)
			problem(
			    v, opts->anchor, "",
			    "the tip published earlier is no longer in the history of main: the "
			    "history was rewritten after it was published");
	}
}

int ss_verify_run(struct ss_trail *t, const struct ss_verify_opts *opts, ss_verify_problem_fn fn,
                  void *ctx, struct ss_verify_summary *summary)
{
	static const struct ss_verify_opts none = {NULL, NULL, NULL, NULL};
	struct vctx v;
	struct ss_oid tip;
	size_t i, loose;
	int err;

	memset(summary, 0, sizeof(*summary));
	memset(&v, 0, sizeof(v));
	v.t = t;
	v.fn = fn;
	v.fnctx = ctx;
	v.sum = summary;
	if (opts == NULL)
		opts = &none;
	v.opts = opts;
	err = ss_trail_tip(t, &tip);
	if (err == SS_ENOTFOUND)
		return ss_error_set(SS_ENOINPUT, "the audit trail '%s' has no history yet",
		                    ss_trail_path(t));
	if (err)
		return err;
	ss_oid_hex(&tip, summary->tip);
	err = ss_trail_check_loose(t, object_problem, &v, &loose);
	if (err == SS_EFAIL) {
		/* Reading such an object can hang libgit2: stop before anything does. */
		problem(&v, "", "",
		        "verification stopped here: restore the damaged objects from another copy "
		        "of the trail, then verify again");
		goto out;
	}
	if (err)
		goto out;
	/* Each tree is read by the object check and again by the walk, as a
	 * child and as the next commit's parent: keep big ones parsed. */
	ss_trail_cache_trees(TREE_CACHE, CACHE_TOTAL);
	err = ss_trail_check_objects(t, &tip, object_problem, &v);
	if (err == SS_ENOMEM)
		goto out;
	if (err && err != SS_EFAIL)
		problem(&v, summary->tip, "", "the objects cannot all be checked: %s",
		        ss_error_message());
	/* Every object was hashed once just above; when all held, the walk need
	 * not hash them again (it reads the same objects, from the same tip). */
	if (summary->problems == 0)
		ss_trail_hash_reads(false);
	err = ss_trail_walk(t, &tip, visit, &v);
	ss_trail_hash_reads(true);
	if (err == SS_ENOMEM)
		goto out;
	if (err)
		problem(&v, "", "", "the history cannot be read to its start: %s",
		        ss_error_message());
	check_published(&v, opts, &tip);
	err = summary->problems == 0
	          ? 0
	          : ss_error_set(SS_EFAIL, "%zu problem%s in the audit trail", summary->problems,
	                         summary->problems == 1 ? "" : "s");
out:
	omap_clear(&v.commits, free);
	omap_clear(&v.samples, release_sample);
	omap_clear(&v.populations, release_population);
	omap_clear(&v.closed, NULL);
	for (i = 0; i < v.nregistries; i++)
		ss_registry_free(v.registries[i]);
	free(v.registries);
	for (i = 0; i < v.npolicies; i++)
		vpol_free(v.policies[i]);
	free(v.policies);
	return err;
}

void ss_verify_summary_release(struct ss_verify_summary *s)
{
	if (s == NULL)
		return;
	free(s->fixed_clock);
	s->fixed_clock = NULL;
	s->nfixed = 0;
}
