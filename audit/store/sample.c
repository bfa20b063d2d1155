/*
 * sample.c - the monthly sample, algorithm ssaudit-sample-v1 (DESIGN.md
 * section 6), its sample.json, and re-derivation from committed bytes.
 *
 * Every choice here is fixed by the algorithm so that anyone can recompute
 * the sample with sha256sum and sort: a record's ticket depends only on the
 * seed, the month and its id, never on input order, and "lowest tickets"
 * means plain byte order of the lowercase hex (the same as of the raw digest).
 */
#include "sample.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "json.h"
#include "map.h"
#include "utf8.h"

#define SS_SEED_MAX 256

/* ---- small pieces ---- */

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static bool is_hex64(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}

static bool is_month(const char *s)
{
	int i;

	for (i = 0; i < 7; i++) {
		if (i == 4 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return false;
	}
	if (s[7] != '\0')
		return false;
	return (s[5] == '0' && s[6] >= '1') || (s[5] == '1' && s[6] <= '2');
}

static bool is_record_id(const char *s)
{
	size_t i;

	if (strlen(s) != SS_ID_LEN || s[0] != 'R' || s[1] != '-')
		return false;
	for (i = 2; i < SS_ID_LEN; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' && s[i] <= '7')))
			return false;
	return true;
}

size_t ss_sample_quota(size_t n, unsigned bp)
{
	/* No overflow: n*bp fits 64 bits for any population that fits memory. */
	return (size_t)(((uint64_t)n * bp + 9999u) / 10000u);
}

void ss_sample_ticket(const char *seed, const char *month, const char *id, char out[65])
{
	struct ss_sha256 h;
	unsigned char d[32];

	ss_sha256_init(&h);
	ss_sha256_update(&h, SS_SAMPLE_ALGORITHM, sizeof(SS_SAMPLE_ALGORITHM)); /* with its NUL */
	ss_sha256_update(&h, seed, strlen(seed) + 1);
	ss_sha256_update(&h, month, strlen(month) + 1);
	ss_sha256_update(&h, id, strlen(id));
	ss_sha256_final(&h, d);
	ss_hex_encode(out, d, sizeof(d));
}

int ss_sample_seed_check(const char *seed)
{
	size_t n, i, bad;

	if (seed == NULL || seed[0] == '\0')
		return ss_error_set(SS_EUSAGE, "the seed is empty");
	n = strlen(seed);
	if (n > SS_SEED_MAX)
		return ss_error_set(SS_EUSAGE, "the seed is %zu bytes long; it may be at most %d",
		                    n, SS_SEED_MAX);
	if (!ss_utf8_valid(seed, n, &bad))
		return ss_error_set(SS_EUSAGE, "the seed is not valid UTF-8 (at byte %zu)",
		                    bad + 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)seed[i];

		/* C0 and DEL; C1 (U+0080-U+009F) is 0xC2 0x80-0x9F in UTF-8. */
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && (unsigned char)seed[i + 1] >= 0x80 &&
		     (unsigned char)seed[i + 1] <= 0x9f))
			return ss_error_set(SS_EUSAGE,
			                    "the seed contains a control character (at byte %zu)",
			                    i + 1);
	}
	return 0;
}

void ss_sample_seed_generate(char out[21])
{
	int i;

	for (i = 0; i < 20; i++)
		out[i] = (char)('0' + ss_random_uniform(10));
	out[20] = '\0';
}

/* ---- freeing and lookups ---- */

static void role_release(struct ss_sample_role *r)
{
	free(r->role);
	free(r->ids);
	free(r->ids_block);
	free(r->by_id);
}

void ss_sample_free(struct ss_sample *s)
{
	size_t i;

	if (s == NULL)
		return;
	free(s->month);
	free(s->seed);
	free(s->rate);
	for (i = 0; i < s->nstrata; i++)
		free(s->strata[i].key);
	free(s->strata);
	for (i = 0; i < s->nblanks; i++)
		free(s->blanks[i].field);
	free(s->blanks);
	for (i = 0; i < s->n; i++)
		free(s->records[i].stratum);
	free(s->records);
	for (i = 0; i < s->nroles; i++)
		role_release(&s->roles[i]);
	free(s->roles);
	free(s->by_id);
	free(s);
}

static int by_id_cmp(const void *a, const void *b, void *arg)
{
	const struct ss_sample *s = arg;

	return strcmp(s->records[*(const size_t *)a].id, s->records[*(const size_t *)b].id);
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Build the private indexes; SS_EDATA naming a record or role id listed twice. */
static int index_sample(struct ss_sample *s, const char *name)
{
	size_t i, j;

	if ((s->by_id = malloc((s->n ? s->n : 1) * sizeof(*s->by_id))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->n; i++)
		s->by_id[i] = i;
	qsort_r(s->by_id, s->n, sizeof(*s->by_id), by_id_cmp, s);
	for (i = 1; i < s->n; i++)
		if (strcmp(s->records[s->by_id[i - 1]].id, s->records[s->by_id[i]].id) == 0)
			return ss_error_set(SS_EDATA, "%s: record %s is listed twice", name,
			                    s->records[s->by_id[i]].id);
	for (j = 0; j < s->nroles; j++) {
		struct ss_sample_role *r = &s->roles[j];

		/* The usual case, a prefix of the records, needs no index of its own. */
		r->prefix = r->n <= s->n;
		for (i = 0; i < r->n && r->prefix; i++)
			r->prefix = strcmp(r->ids[i], s->records[i].id) == 0;
		if (r->prefix)
			continue;
		if ((r->by_id = malloc((r->n ? r->n : 1) * sizeof(*r->by_id))) == NULL)
			return ss_error_nomem();
		for (i = 0; i < r->n; i++)
			r->by_id[i] = r->ids[i];
		qsort(r->by_id, r->n, sizeof(*r->by_id), str_ptr_cmp);
		for (i = 1; i < r->n; i++)
			if (strcmp(r->by_id[i - 1], r->by_id[i]) == 0)
				return ss_error_set(SS_EDATA,
				                    "%s: roles.%s: record %s is listed twice", name,
				                    r->role, r->by_id[i]);
	}
	return 0;
}

const struct ss_sample_record *ss_sample_find(const struct ss_sample *s, const char *id)
{
	size_t lo = 0, hi;

	if (s == NULL || id == NULL || s->by_id == NULL)
		return NULL;
	hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->records[s->by_id[mid]].id, id);

		if (c == 0)
			return &s->records[s->by_id[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ss_sample_role *ss_sample_role(const struct ss_sample *s, const char *role)
{
	size_t i;

	if (s == NULL || role == NULL)
		return NULL;
	for (i = 0; i < s->nroles; i++)
		if (strcmp(s->roles[i].role, role) == 0)
			return &s->roles[i];
	return NULL;
}

bool ss_sample_role_has(const struct ss_sample *s, const char *role, const char *id)
{
	const struct ss_sample_role *r = ss_sample_role(s, role);
	const struct ss_sample_record *rec;

	if (r == NULL || id == NULL)
		return false;
	if (r->prefix) {
		rec = ss_sample_find(s, id);
		return rec != NULL && (size_t)(rec - s->records) < r->n;
	}
	if (r->by_id == NULL)
		return false;
	return bsearch(&id, r->by_id, r->n, sizeof(*r->by_id), str_ptr_cmp) != NULL;
}

/* Role ids share one block; ids[i] points into it. */
static int role_alloc(struct ss_sample_role *r, size_t n)
{
	size_t i;

	r->n = 0;
	if ((r->ids = calloc(n ? n : 1, sizeof(*r->ids))) == NULL ||
	    (r->ids_block = malloc((n ? n : 1) * (SS_ID_LEN + 1))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < n; i++)
		r->ids[i] = r->ids_block + i * (SS_ID_LEN + 1);
	r->n = n;
	return 0;
}

/* ---- drawing ---- */

/*
 * One record while drawing, kept to 16 bytes so a million sort quickly: the
 * ticket's first 8 bytes (big-endian, so integer order is byte order); the
 * rare tie is settled by recomputing both full tickets, then by id.
 */
struct item {
	uint64_t head;
	uint32_t rec;
	uint32_t stratum; /* top bit: matches an always-rule */
};

#define ALWAYS_BIT 0x80000000u

struct draw_ctx {
	const struct ss_population *pop;
	const struct ss_sha256 *prefix;
};

struct group {
	char *key; /* malloc'd; moved into the sample at the end */
	size_t len;
	size_t n, a, quota, taken;
};

/* The strata in the order first seen, and a map from key to index (its
 * keys are the groups' own, borrowed: the map goes before they move). */
struct groups {
	struct group *g;
	size_t count, cap;
	struct ss_map *index; /* key -> index (size) */
};

static void groups_release(struct groups *gs)
{
	size_t i;

	for (i = 0; i < gs->count; i++)
		free(gs->g[i].key);
	free(gs->g);
	ss_map_free(gs->index);
}

/* The index of the group with this key, added when new. */
static int groups_find(struct groups *gs, const char *key, size_t len, uint32_t *out)
{
	union ss_map_value *v;
	struct group *g;
	int err;

	if (gs->index == NULL && (err = ss_map_new(&gs->index, 0, NULL)) != 0)
		return err;
	if ((v = ss_map_get(gs->index, key, len)) != NULL) {
		*out = (uint32_t)v->size;
		return 0;
	}
	if (gs->count == gs->cap) {
		size_t cap = gs->cap ? gs->cap * 2 : 16;

		if ((g = realloc(gs->g, cap * sizeof(*g))) == NULL)
			return ss_error_nomem();
		gs->g = g;
		gs->cap = cap;
	}
	g = &gs->g[gs->count];
	memset(g, 0, sizeof(*g));
	if ((g->key = malloc(len + 1)) == NULL)
		return ss_error_nomem();
	memcpy(g->key, key, len);
	g->key[len] = '\0';
	g->len = len;
	gs->count++; /* so that release frees the key whatever follows */
	if ((err = ss_map_put(gs->index, g->key, len, &v, NULL)) != 0)
		return err;
	v->size = gs->count - 1;
	*out = (uint32_t)(gs->count - 1);
	return 0;
}

/* A record's stratum: the compact JSON array of its values in the strata fields. */
static int stratum_key(const struct ss_policy *pol, const struct ss_record *r, struct ss_buf *b)
{
	size_t i;
	int err;

	ss_buf_reset(b);
	if ((err = ss_buf_putc(b, '[')) != 0)
		return err;
	for (i = 0; i < pol->nstrata; i++) {
		enum ss_field f = pol->strata[i];

		if (i && (err = ss_buf_putc(b, ',')) != 0)
			return err;
		if (ss_field_type(f) == SS_FT_BOOL)
			err = ss_buf_puts(b, r->tri[f] == SS_TRI_TRUE    ? "true"
			                     : r->tri[f] == SS_TRI_FALSE ? "false"
			                                                 : "null");
		else
			err = ss_buf_json_string_or_null(b, r->str[f]);
		if (err)
			return err;
	}
	return ss_buf_putc(b, ']');
}

static void full_ticket(const struct draw_ctx *dc, uint32_t rec, unsigned char out[32])
{
	struct ss_sha256 h = *dc->prefix;
	const char *id = dc->pop->rec[rec].id;

	ss_sha256_update(&h, id, strlen(id));
	ss_sha256_final(&h, out);
}

static int item_cmp(const void *a, const void *b, void *arg)
{
	const struct item *x = a, *y = b;
	unsigned char tx[32], ty[32];
	int c;

	if (x->head != y->head)
		return x->head < y->head ? -1 : 1;
	full_ticket(arg, x->rec, tx);
	full_ticket(arg, y->rec, ty);
	c = memcmp(tx, ty, sizeof(tx));
	return c ? c
	         : strcmp(((const struct draw_ctx *)arg)->pop->rec[x->rec].id,
	                  ((const struct draw_ctx *)arg)->pop->rec[y->rec].id);
}

static int group_order_cmp(const void *a, const void *b, void *arg)
{
	const struct groups *gs = arg;

	return strcmp(gs->g[*(const uint32_t *)a].key, gs->g[*(const uint32_t *)b].key);
}

static int role_ptr_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct ss_role *const *)a)->name,
	              (*(const struct ss_role *const *)b)->name);
}

static int blank_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ss_blank *)a)->field, ((const struct ss_blank *)b)->field);
}

static int draw_roles(const struct ss_policy *pol, struct ss_sample *s)
{
	const struct ss_role **rs = NULL;
	size_t i, j, nr = 0;
	int err = 0;

	if ((rs = calloc(pol->nroles ? pol->nroles : 1, sizeof(*rs))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < pol->nroles; i++)
		if (pol->roles[i].reviews != SS_REVIEWS_NONE)
			rs[nr++] = &pol->roles[i];
	qsort(rs, nr, sizeof(*rs), role_ptr_cmp);
	if ((s->roles = calloc(nr ? nr : 1, sizeof(*s->roles))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < nr; i++) {
		struct ss_sample_role *sr = &s->roles[i];
		size_t c = s->n;

		s->nroles = i + 1;
		if (rs[i]->reviews == SS_REVIEWS_COUNT && rs[i]->reviews_count < c)
			c = rs[i]->reviews_count;
		else if (rs[i]->reviews == SS_REVIEWS_RATE)
			c = ss_sample_quota(s->n, rs[i]->reviews_bp);
		if ((sr->role = xstrdup(rs[i]->name)) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		if ((err = role_alloc(sr, c)) != 0)
			goto out;
		/* The records are in ticket order: a role's share is a prefix. */
		for (j = 0; j < c; j++)
			memcpy(sr->ids[j], s->records[j].id, SS_ID_LEN + 1);
	}
out:
	free(rs);
	return err;
}

int ss_sample_draw(const struct ss_population *pop, const struct ss_policy *pol, const char *month,
                   const char *seed, bool generated, const char *population_sha256,
                   const char *policy_sha256, struct ss_sample **out)
{
	struct groups gs = {0};
	struct ss_buf key = SS_BUF_INIT;
	struct ss_sha256 prefix;
	struct draw_ctx dc = {pop, &prefix};
	struct item *items = NULL;
	uint32_t *order = NULL;
	struct ss_sample *s = NULL;
	size_t i, j, m = 0;
	int err;

	*out = NULL;
	if ((err = ss_sample_seed_check(seed)) != 0)
		goto out;
	if (month == NULL || !is_month(month)) {
		err = ss_error_set(SS_EUSAGE, "\"%s\" is not a month (expected YYYY-MM)",
		                   month ? month : "");
		goto out;
	}
	if (!is_hex64(population_sha256) || !is_hex64(policy_sha256)) {
		err = ss_error_set(SS_EDATA, "a digest is not 64 lowercase hex digits");
		goto out;
	}
	if (pop->n >= ALWAYS_BIT) {
		err = ss_error_set(SS_EDATA, "too many records to sample (%zu)", pop->n);
		goto out;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL || (s->month = xstrdup(month)) == NULL ||
	    (s->seed = xstrdup(seed)) == NULL || (s->rate = xstrdup(pol->rate)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	s->generated = generated;
	memcpy(s->population_sha256, population_sha256, 65);
	memcpy(s->policy_sha256, policy_sha256, 65);

	ss_sha256_init(&prefix);
	ss_sha256_update(&prefix, SS_SAMPLE_ALGORITHM, sizeof(SS_SAMPLE_ALGORITHM));
	ss_sha256_update(&prefix, seed, strlen(seed) + 1);
	ss_sha256_update(&prefix, month, strlen(month) + 1);

	if ((items = calloc(pop->n ? pop->n : 1, sizeof(*items))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];
		unsigned char t[32];
		bool always = false;
		struct group *g;
		uint32_t st = 0;
		int b;

		full_ticket(&dc, (uint32_t)i, t);
		for (b = 0; b < 8; b++)
			items[i].head = items[i].head << 8 | t[b];
		items[i].rec = (uint32_t)i;
		if ((err = stratum_key(pol, r, &key)) != 0 ||
		    (err = groups_find(&gs, key.data, key.len, &st)) != 0)
			goto out;
		for (j = 0; j < pol->nalways && !always; j++)
			always = ss_rule_matches(&pol->always[j], r);
		items[i].stratum = st | (always ? ALWAYS_BIT : 0);
		g = &gs.g[st];
		g->n++;
		g->a += always;
	}
	qsort_r(items, pop->n, sizeof(*items), item_cmp, &dc);
	for (i = 1; i < pop->n; i++)
		if (strcmp(pop->rec[items[i - 1].rec].id, pop->rec[items[i].rec].id) == 0) {
			err = ss_error_set(SS_EDATA, "record %s appears twice in the population",
			                   pop->rec[items[i].rec].id);
			goto out;
		}
	for (i = 0; i < gs.count; i++) {
		struct group *g = &gs.g[i];
		size_t k = ss_sample_quota(g->n, pol->rate_bp);

		g->quota = g->a >= k ? 0 : k - g->a;
		m += g->a + g->quota;
	}

	/* Walk in ticket order: every always-record, and each stratum's lowest others. */
	if ((s->records = calloc(m ? m : 1, sizeof(*s->records))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < pop->n; i++) {
		const struct item *it = &items[i];
		bool always = (it->stratum & ALWAYS_BIT) != 0;
		struct group *g = &gs.g[it->stratum & ~ALWAYS_BIT];
		struct ss_sample_record *sr;
		unsigned char t[32];

		if (!always) {
			if (g->taken == g->quota)
				continue;
			g->taken++;
		}
		sr = &s->records[s->n];
		memcpy(sr->id, pop->rec[it->rec].id, sizeof(sr->id)); /* both char[SS_ID_LEN + 1] */
		full_ticket(&dc, it->rec, t);
		ss_hex_encode(sr->ticket, t, sizeof(t));
		sr->always = always;
		if ((sr->stratum = xstrdup(g->key)) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		s->n++;
	}

	/* Strata, sorted by their compact JSON. */
	if ((order = malloc((gs.count ? gs.count : 1) * sizeof(*order))) == NULL ||
	    (s->strata = calloc(gs.count ? gs.count : 1, sizeof(*s->strata))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < gs.count; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, gs.count, sizeof(*order), group_order_cmp, &gs);
	for (i = 0; i < gs.count; i++) {
		struct group *g = &gs.g[order[i]];
		struct ss_stratum *st = &s->strata[i];

		st->key = g->key;
		g->key = NULL; /* moved */
		st->population = g->n;
		st->always = g->a;
		st->drawn = g->a + g->quota;
		s->nstrata = i + 1;
	}

	/* Blanks of every field a rule or the strata name, whether or not it ever fires. */
	if ((s->blanks = calloc(SS_F_COUNT, sizeof(*s->blanks))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (j = 0; j < SS_F_COUNT; j++) {
		enum ss_field f = (enum ss_field)j;
		struct ss_blank *b;

		if (!ss_policy_field_used(pol, f))
			continue;
		b = &s->blanks[s->nblanks];
		if ((b->field = xstrdup(ss_field_name(f))) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		s->nblanks++;
		for (i = 0; i < pop->n; i++)
			b->count += ss_field_type(f) == SS_FT_BOOL
			                ? pop->rec[i].tri[f] == SS_TRI_NULL
			                : pop->rec[i].str[f] == NULL;
	}
	qsort(s->blanks, s->nblanks, sizeof(*s->blanks), blank_cmp);

	if ((err = draw_roles(pol, s)) != 0 || (err = index_sample(s, "sample")) != 0)
		goto out;
	*out = s;
	s = NULL;
out:
	ss_sample_free(s);
	groups_release(&gs);
	ss_buf_release(&key);
	free(items);
	free(order);
	return err;
}

/* ---- sample.json out ---- */

int ss_sample_to_json(const struct ss_sample *s, struct ss_buf *out)
{
	size_t i, j;
	int err = 0;

#define PUT(x)                                                                                     \
	do {                                                                                       \
		if ((err = (x)) != 0)                                                              \
			goto out;                                                                  \
	} while (0)
	PUT(ss_buf_printf(out, "{\n  \"algorithm\": \"%s\",\n  \"month\": ", SS_SAMPLE_ALGORITHM));
	PUT(ss_buf_json_string_or_null(out, s->month));
	PUT(ss_buf_puts(out, ",\n  \"seed\": "));
	PUT(ss_buf_json_string_or_null(out, s->seed));
	PUT(ss_buf_printf(out,
	                  ",\n  \"seed_source\": \"%s\",\n  \"population_sha256\": \"%s\",\n"
	                  "  \"policy_sha256\": \"%s\",\n  \"rate\": ",
	                  s->generated ? "generated" : "given", s->population_sha256,
	                  s->policy_sha256));
	PUT(ss_buf_json_string_or_null(out, s->rate));
	PUT(ss_buf_puts(out, ",\n  \"strata\": ["));
	for (i = 0; i < s->nstrata; i++)
		PUT(ss_buf_printf(out,
		                  "%s\n    {\"key\": %s, \"population\": %zu, \"always\": %zu, "
		                  "\"drawn\": %zu}",
		                  i ? "," : "", s->strata[i].key, s->strata[i].population,
		                  s->strata[i].always, s->strata[i].drawn));
	PUT(ss_buf_puts(out, s->nstrata ? "\n  ],\n  \"blanks\": {" : "],\n  \"blanks\": {"));
	for (i = 0; i < s->nblanks; i++)
		PUT(ss_buf_printf(out, "%s\n    \"%s\": %zu", i ? "," : "", s->blanks[i].field,
		                  s->blanks[i].count));
	PUT(ss_buf_puts(out, s->nblanks ? "\n  },\n  \"records\": [" : "},\n  \"records\": ["));
	for (i = 0; i < s->n; i++)
		PUT(ss_buf_printf(out,
		                  "%s\n    {\"id\": \"%s\", \"ticket\": \"%s\", \"stratum\": %s, "
		                  "\"reason\": \"%s\"}",
		                  i ? "," : "", s->records[i].id, s->records[i].ticket,
		                  s->records[i].stratum,
		                  s->records[i].always ? "always" : "random"));
	PUT(ss_buf_puts(out, s->n ? "\n  ],\n  \"roles\": {" : "],\n  \"roles\": {"));
	for (i = 0; i < s->nroles; i++) {
		const struct ss_sample_role *r = &s->roles[i];

		PUT(ss_buf_printf(out, "%s\n    \"%s\": [", i ? "," : "", r->role));
		for (j = 0; j < r->n; j++)
			PUT(ss_buf_printf(out, "%s\n      \"%s\"", j ? "," : "", r->ids[j]));
		PUT(ss_buf_puts(out, r->n ? "\n    ]" : "]"));
	}
	PUT(ss_buf_puts(out, s->nroles ? "\n  }\n}\n" : "}\n}\n"));
#undef PUT
out:
	return err;
}

/* ---- sample.json in ---- */

/* The canonical compact form of a stratum key: an array of strings,
 * booleans and nulls; refusals name `at`. */
static int stratum_of(const struct ss_jv *arr, const struct ss_jv *at, char **out)
{
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_buf b = SS_BUF_INIT;
	struct ss_jv e;
	bool first = true;
	int err = 0;

	if (!ss_jv_is(arr, SS_JT_ARRAY)) {
		err = ss_jv_fail(at, "expected a list of values");
		goto out;
	}
	if ((err = ss_buf_putc(&b, '[')) != 0)
		goto out;
	while (ss_jv_next(arr, &it, &e)) {
		if (!first && (err = ss_buf_putc(&b, ',')) != 0)
			goto out;
		first = false;
		if (ss_jv_str(&e) != NULL)
			err = ss_buf_json_string(&b, ss_jv_str(&e), strlen(ss_jv_str(&e)));
		else if (ss_jv_is(&e, SS_JT_BOOL))
			err = ss_buf_puts(&b, ss_jv_true(&e) ? "true" : "false");
		else if (ss_jv_is(&e, SS_JT_NULL))
			err = ss_buf_puts(&b, "null");
		else
			err = ss_jv_fail(at, "expected strings, true, false or null");
		if (err)
			goto out;
	}
	if ((err = ss_buf_putc(&b, ']')) != 0)
		goto out;
	*out = ss_buf_detach(&b);
out:
	ss_buf_release(&b);
	return err;
}

static int role_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ss_sample_role *)a)->role,
	              ((const struct ss_sample_role *)b)->role);
}

int ss_sample_from_json(const char *data, size_t len, const char *name, struct ss_sample **out)
{
	static const char *const keys[] = {
	    "algorithm",     "month", "seed",   "seed_source", "population_sha256",
	    "policy_sha256", "rate",  "strata", "blanks",      "records",
	    "roles",         NULL};
	static const char *const skeys[] = {"key", "population", "always", "drawn", NULL};
	static const char *const rkeys[] = {"id", "ticket", "stratum", "reason", NULL};
	const char *file = name ? name : "sample.json";
	struct ss_sample *s = NULL;
	struct ss_json *doc = NULL;
	struct ss_jv root, v, it, x;
	struct ss_jv_iter at;
	const char *str;
	size_t i, n;
	unsigned bp;
	int err;

	*out = NULL;
	if ((err = ss_json_load(data, len, file, SS_EDATA, SS_JSON_VOICE_POLICY, &doc)) != 0)
		goto out;
	ss_json_root(doc, &root);
	if ((err = ss_jv_keys(&root, keys, SS_JK_EXACT | SS_JK_AT_OBJECT)) != 0)
		goto out;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((str = (ss_jv_get(&root, "algorithm", &x), ss_jv_str(&x))) == NULL ||
	    strcmp(str, SS_SAMPLE_ALGORITHM) != 0) {
		err = ss_jv_fail(&x, "expected \"%s\"", SS_SAMPLE_ALGORITHM);
		goto out;
	}
	if ((str = (ss_jv_get(&root, "month", &x), ss_jv_str(&x))) == NULL || !is_month(str)) {
		err = ss_jv_fail(&x, "expected a month YYYY-MM");
		goto out;
	}
	if ((s->month = xstrdup(str)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((str = (ss_jv_get(&root, "seed", &x), ss_jv_str(&x))) == NULL) {
		err = ss_jv_fail(&x, "expected a string");
		goto out;
	}
	if (ss_sample_seed_check(str) != 0) {
		err = ss_jv_fail(&x, "%s", ss_error_message());
		goto out;
	}
	if ((s->seed = xstrdup(str)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	str = (ss_jv_get(&root, "seed_source", &x), ss_jv_str(&x));
	if (str == NULL || (strcmp(str, "given") != 0 && strcmp(str, "generated") != 0)) {
		err = ss_jv_fail(&x, "expected \"given\" or \"generated\"");
		goto out;
	}
	s->generated = strcmp(str, "generated") == 0;
	if (!is_hex64(str = (ss_jv_get(&root, "population_sha256", &x), ss_jv_str(&x)))) {
		err = ss_jv_fail(&x, "expected 64 lowercase hex digits");
		goto out;
	}
	memcpy(s->population_sha256, str, 65);
	if (!is_hex64(str = (ss_jv_get(&root, "policy_sha256", &x), ss_jv_str(&x)))) {
		err = ss_jv_fail(&x, "expected 64 lowercase hex digits");
		goto out;
	}
	memcpy(s->policy_sha256, str, 65);
	if ((str = (ss_jv_get(&root, "rate", &x), ss_jv_str(&x))) == NULL ||
	    ss_rate_parse(str, &bp) != 0) {
		err = ss_jv_fail(&x, "expected a rate like \"25%%\"");
		goto out;
	}
	if ((s->rate = xstrdup(str)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}

	ss_jv_get(&root, "strata", &v);
	if (!ss_jv_is(&v, SS_JT_ARRAY)) {
		err = ss_jv_fail(&v, "expected a list");
		goto out;
	}
	n = ss_jv_count(&v);
	if ((s->strata = calloc(n ? n : 1, sizeof(*s->strata))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	at = (struct ss_jv_iter)SS_JV_ITER_INIT;
	for (i = 0; ss_jv_next(&v, &at, &it); i++) {
		struct ss_stratum *st = &s->strata[i];

		s->nstrata = i + 1;
		if ((err = ss_jv_keys(&it, skeys, SS_JK_EXACT | SS_JK_AT_OBJECT)) != 0 ||
		    (ss_jv_get(&it, "key", &x), err = stratum_of(&x, &it, &st->key)) != 0 ||
		    (ss_jv_get(&it, "population", &x), err = ss_jv_count_of(&x, &st->population)) ||
		    (ss_jv_get(&it, "always", &x), err = ss_jv_count_of(&x, &st->always)) ||
		    (ss_jv_get(&it, "drawn", &x), err = ss_jv_count_of(&x, &st->drawn)))
			goto out;
	}

	ss_jv_get(&root, "blanks", &v);
	if ((err = ss_jv_keys(&v, NULL, SS_JK_AT_OBJECT)) != 0)
		goto out;
	n = ss_jv_count(&v);
	if ((s->blanks = calloc(n ? n : 1, sizeof(*s->blanks))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	at = (struct ss_jv_iter)SS_JV_ITER_INIT;
	for (i = 0; ss_jv_next(&v, &at, &it); i++) {
		if (ss_field_lookup(ss_jv_key(&it)) < 0) {
			err = ss_jv_fail(&it, "not a record field");
			goto out;
		}
		s->nblanks = i + 1;
		if ((s->blanks[i].field = xstrdup(ss_jv_key(&it))) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		if ((err = ss_jv_count_of(&it, &s->blanks[i].count)) != 0)
			goto out;
	}
	qsort(s->blanks, s->nblanks, sizeof(*s->blanks), blank_cmp);

	ss_jv_get(&root, "records", &v);
	if (!ss_jv_is(&v, SS_JT_ARRAY)) {
		err = ss_jv_fail(&v, "expected a list");
		goto out;
	}
	n = ss_jv_count(&v);
	if ((s->records = calloc(n ? n : 1, sizeof(*s->records))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	at = (struct ss_jv_iter)SS_JV_ITER_INIT;
	for (i = 0; ss_jv_next(&v, &at, &it); i++) {
		struct ss_sample_record *sr = &s->records[i];

		s->n = i + 1;
		if ((err = ss_jv_keys(&it, rkeys, SS_JK_EXACT | SS_JK_AT_OBJECT)) != 0)
			goto out;
		ss_jv_get(&it, "id", &x);
		if ((str = ss_jv_str(&x)) == NULL || !is_record_id(str)) {
			err = ss_jv_fail(&it,
			                 "id: expected a record id (R- and 16 letters or digits)");
			goto out;
		}
		memcpy(sr->id, str, SS_ID_LEN + 1);
		ss_jv_get(&it, "ticket", &x);
		if (!is_hex64(str = ss_jv_str(&x))) {
			err = ss_jv_fail(&it, "ticket: expected 64 lowercase hex digits");
			goto out;
		}
		memcpy(sr->ticket, str, 65);
		ss_jv_get(&it, "stratum", &x);
		if ((err = stratum_of(&x, &it, &sr->stratum)) != 0)
			goto out;
		ss_jv_get(&it, "reason", &x);
		str = ss_jv_str(&x);
		if (str == NULL || (strcmp(str, "always") != 0 && strcmp(str, "random") != 0)) {
			err = ss_jv_fail(&it, "reason: expected \"always\" or \"random\"");
			goto out;
		}
		sr->always = strcmp(str, "always") == 0;
	}

	ss_jv_get(&root, "roles", &v);
	if ((err = ss_jv_keys(&v, NULL, SS_JK_AT_OBJECT)) != 0)
		goto out;
	n = ss_jv_count(&v);
	if ((s->roles = calloc(n ? n : 1, sizeof(*s->roles))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	at = (struct ss_jv_iter)SS_JV_ITER_INIT;
	for (i = 0; ss_jv_next(&v, &at, &it); i++) {
		struct ss_jv_iter ids = SS_JV_ITER_INIT;
		struct ss_sample_role *r = &s->roles[i];
		size_t j;

		if (!ss_name_valid(ss_jv_key(&it))) {
			err = ss_jv_fail(&it, "not a valid role name");
			goto out;
		}
		if (!ss_jv_is(&it, SS_JT_ARRAY)) {
			err = ss_jv_fail(&it, "expected a list of record ids");
			goto out;
		}
		s->nroles = i + 1;
		if ((r->role = xstrdup(ss_jv_key(&it))) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		if ((err = role_alloc(r, ss_jv_count(&it))) != 0)
			goto out;
		for (j = 0; ss_jv_next(&it, &ids, &x); j++) {
			if ((str = ss_jv_str(&x)) == NULL || !is_record_id(str)) {
				err = ss_jv_fail(&it, "item %zu: expected a record id", j);
				goto out;
			}
			memcpy(r->ids[j], str, SS_ID_LEN + 1);
		}
	}
	qsort(s->roles, s->nroles, sizeof(*s->roles), role_cmp);
	if ((err = index_sample(s, file)) != 0)
		goto out;
	*out = s;
	s = NULL;
out:
	ss_sample_free(s);
	ss_json_free(doc);
	return err;
}

/* ---- re-derivation ---- */

static int compare(const struct ss_sample *c, const struct ss_sample *d)
{
	size_t i, j;

	if (strcmp(c->rate, d->rate) != 0)
		return ss_error_set(SS_EFAIL,
		                    "the sample says rate \"%s\" but its policy says \"%s\"",
		                    c->rate, d->rate);
	for (i = 0; i < c->n; i++)
		if (ss_sample_find(d, c->records[i].id) == NULL)
			return ss_error_set(SS_EFAIL,
			                    "record %s is in the committed sample but not in the "
			                    "re-derived one",
			                    c->records[i].id);
	for (i = 0; i < d->n; i++)
		if (ss_sample_find(c, d->records[i].id) == NULL)
			return ss_error_set(SS_EFAIL,
			                    "record %s is in the re-derived sample but not in the "
			                    "committed one",
			                    d->records[i].id);
	for (i = 0; i < c->n; i++) {
		const struct ss_sample_record *x = &c->records[i];
		const struct ss_sample_record *y = ss_sample_find(d, x->id);

		if (strcmp(x->ticket, y->ticket) != 0)
			return ss_error_set(
			    SS_EFAIL,
			    "record %s: the committed ticket is %s but the seed gives "
			    "%s",
			    x->id, x->ticket, y->ticket);
		if (strcmp(x->stratum, y->stratum) != 0)
			return ss_error_set(
			    SS_EFAIL,
			    "record %s: the committed stratum is %s but the record's "
			    "is %s",
			    x->id, x->stratum, y->stratum);
		if (x->always != y->always)
			return ss_error_set(
			    SS_EFAIL, "record %s: committed as \"%s\" but re-derived as \"%s\"",
			    x->id, x->always ? "always" : "random",
			    y->always ? "always" : "random");
	}
	for (i = 0; i < c->n; i++)
		if (strcmp(c->records[i].id, d->records[i].id) != 0)
			return ss_error_set(SS_EFAIL,
			                    "records[%zu] is %s but in ticket order it is %s", i,
			                    c->records[i].id, d->records[i].id);
	if (c->nstrata != d->nstrata)
		return ss_error_set(
		    SS_EFAIL, "the committed sample lists %zu strata but the population has %zu",
		    c->nstrata, d->nstrata);
	for (i = 0; i < c->nstrata; i++) {
		const struct ss_stratum *x = &c->strata[i], *y = &d->strata[i];

		if (strcmp(x->key, y->key) != 0)
			return ss_error_set(SS_EFAIL, "strata[%zu] is %s but re-derived it is %s",
			                    i, x->key, y->key);
		if (x->population != y->population || x->always != y->always ||
		    x->drawn != y->drawn)
			return ss_error_set(
			    SS_EFAIL,
			    "stratum %s: committed population %zu, always %zu, drawn "
			    "%zu; re-derived %zu, %zu, %zu",
			    x->key, x->population, x->always, x->drawn, y->population, y->always,
			    y->drawn);
	}
	if (c->nblanks != d->nblanks)
		return ss_error_set(
		    SS_EFAIL,
		    "the committed sample counts blanks in %zu fields but the policy "
		    "names %zu",
		    c->nblanks, d->nblanks);
	for (i = 0; i < c->nblanks; i++) {
		if (strcmp(c->blanks[i].field, d->blanks[i].field) != 0)
			return ss_error_set(SS_EFAIL, "blanks: \"%s\" is counted but \"%s\" is not",
			                    c->blanks[i].field, d->blanks[i].field);
		if (c->blanks[i].count != d->blanks[i].count)
			return ss_error_set(
			    SS_EFAIL, "blanks.%s: committed %zu but the population has %zu",
			    c->blanks[i].field, c->blanks[i].count, d->blanks[i].count);
	}
	for (i = 0; i < d->nroles; i++)
		if (ss_sample_role(c, d->roles[i].role) == NULL)
			return ss_error_set(SS_EFAIL, "roles: \"%s\" reviews but has no list",
			                    d->roles[i].role);
	for (i = 0; i < c->nroles; i++) {
		const struct ss_sample_role *x = &c->roles[i];
		const struct ss_sample_role *y = ss_sample_role(d, x->role);

		if (y == NULL)
			return ss_error_set(SS_EFAIL,
			                    "roles: \"%s\" has a list but the policy gives it "
			                    "nothing to review",
			                    x->role);
		for (j = 0; j < x->n && j < y->n; j++)
			if (strcmp(x->ids[j], y->ids[j]) != 0)
				return ss_error_set(SS_EFAIL,
				                    "roles.%s[%zu] is %s but re-derived it is %s",
				                    x->role, j, x->ids[j], y->ids[j]);
		if (x->n != y->n)
			return ss_error_set(SS_EFAIL,
			                    "roles.%s: committed %zu records but re-derived %zu",
			                    x->role, x->n, y->n);
	}
	return 0;
}

int ss_sample_rederive(const char *sample_json, size_t sample_len, const char *population_jsonl,
                       size_t population_len, const char *policy_json, size_t policy_len)
{
	struct ss_sample *committed = NULL, *derived = NULL;
	struct ss_population *pop = NULL;
	struct ss_policy *pol = NULL;
	char pop_sha[65], pol_sha[65];
	int err;

	if ((err = ss_sample_from_json(sample_json, sample_len, "sample.json", &committed)) != 0)
		goto out;
	ss_sha256_hex(pop_sha, population_jsonl, population_len);
	ss_sha256_hex(pol_sha, policy_json, policy_len);
	if (strcmp(committed->population_sha256, pop_sha) != 0) {
		err = ss_error_set(SS_EFAIL,
		                   "sample.json names population %s but population.jsonl has "
		                   "SHA-256 %s",
		                   committed->population_sha256, pop_sha);
		goto out;
	}
	if (strcmp(committed->policy_sha256, pol_sha) != 0) {
		err = ss_error_set(SS_EFAIL,
		                   "sample.json names policy %s but the policy has SHA-256 %s",
		                   committed->policy_sha256, pol_sha);
		goto out;
	}
	if ((err = ss_policy_parse(policy_json, policy_len, "policy.json", &pol)) != 0 ||
	    (err = ss_population_from_jsonl(population_jsonl, population_len, "population.jsonl",
	                                    &pop)) != 0)
		goto out;
	if ((err = ss_sample_draw(pop, pol, committed->month, committed->seed, committed->generated,
	                          pop_sha, pol_sha, &derived)) != 0)
		goto out;
	err = compare(committed, derived);
out:
	ss_sample_free(committed);
	ss_sample_free(derived);
	ss_population_free(pop);
	ss_policy_free(pol);
	return err;
}
