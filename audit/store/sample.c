/*
 * sample.c - the monthly sample (DESIGN.md section 6): tickets, seeds, the
 * draw (ssaudit-sample-v2, and v1 for old trails), the roles' subsets, and
 * the warnings. sample.json and re-derivation are in sample_json.c.
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
#include "lang.h"
#include "map.h"
#include "par.h"
#include "utf8.h"
#include "sample_int.h"

#define SS_SEED_MAX 256

/* ---- small pieces ---- */

char *ss_sample_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

bool ss_sample_is_hex64(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[64] == '\0';
}

bool ss_sample_is_month(const char *s)
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

bool ss_sample_is_record_id(const char *s)
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

static const char *algorithm(unsigned version)
{
	return version == 1 ? SS_SAMPLE_ALGORITHM_V1 : SS_SAMPLE_ALGORITHM;
}

const char *ss_sample_reason_name(enum ss_sample_reason r)
{
	switch (r) {
	case SS_REASON_CORE:
		return "core";
	case SS_REASON_TARGETED:
		return "targeted";
	case SS_REASON_ALWAYS:
		return "always";
	default:
		return "random";
	}
}

void ss_sample_ticket(unsigned version, const char *seed, const char *month, const char *id,
                      char out[65])
{
	const char *alg = algorithm(version);
	struct ss_sha256 h;
	unsigned char d[32];

	ss_sha256_init(&h);
	ss_sha256_update(&h, alg, strlen(alg) + 1); /* with its NUL */
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
		return ss_error_set(SS_EUSAGE, _("the seed is empty"));
	n = strlen(seed);
	if (n > SS_SEED_MAX)
		return ss_error_set(SS_EUSAGE,
		                    _("the seed is %zu bytes long; it may be at most %d"), n,
		                    SS_SEED_MAX);
	if (!ss_utf8_valid(seed, n, &bad))
		return ss_error_set(SS_EUSAGE, _("the seed is not valid UTF-8 (at byte %zu)"),
		                    bad + 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)seed[i];

		/* C0 and DEL; C1 (U+0080-U+009F) is 0xC2 0x80-0x9F in UTF-8. */
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && (unsigned char)seed[i + 1] >= 0x80 &&
		     (unsigned char)seed[i + 1] <= 0x9f))
			return ss_error_set(
			    SS_EUSAGE, _("the seed contains a control character (at byte %zu)"),
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
	free(s->random);
	free(s->matched_by_rule);
	free(s->not_reached_by_rule);
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

/* A record's place in the order of ids: the id's first 8 bytes as a number
 * (compared as strcmp compares them), then the whole id on a tie. */
struct by_id_key {
	uint64_t key;
	size_t at;
};

static uint64_t id_head(const char *id)
{
	uint64_t k = 0;
	int i;

	for (i = 0; i < 8; i++)
		k = k << 8 | (*id ? (unsigned char)*id++ : 0u);
	return k;
}

static int by_id_cmp(const void *a, const void *b, void *arg)
{
	const struct by_id_key *x = a, *y = b;
	const struct ss_sample *s = arg;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(s->records[x->at].id, s->records[y->at].id);
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Build the private indexes; SS_EDATA naming a record or role id listed twice. */
int ss_sample_index(struct ss_sample *s, const char *name)
{
	struct by_id_key *keys;
	size_t i, j;

	if ((s->by_id = malloc((s->n ? s->n : 1) * sizeof(*s->by_id))) == NULL ||
	    (keys = malloc((s->n ? s->n : 1) * sizeof(*keys))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->n; i++)
		keys[i] = (struct by_id_key){id_head(s->records[i].id), i};
	qsort_r(keys, s->n, sizeof(*keys), by_id_cmp, s);
	for (i = 0; i < s->n; i++)
		s->by_id[i] = keys[i].at;
	free(keys);
	for (i = 1; i < s->n; i++)
		if (strcmp(s->records[s->by_id[i - 1]].id, s->records[s->by_id[i]].id) == 0)
			return ss_error_set(SS_EDATA, _("%s: record %s is listed twice"), name,
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
				                    _("%s: roles.%s: record %s is listed twice"),
				                    name, r->role, r->by_id[i]);
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
int ss_sample_role_alloc(struct ss_sample_role *r, size_t n)
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
	uint32_t stratum;
};

struct draw_ctx {
	const struct ss_population *pop;
	const struct ss_sha256 *prefix;
};

struct group {
	char *key; /* malloc'd; moved into the sample at the end */
	size_t len;
	size_t n, a;      /* records, always-records */
	size_t core, cap; /* v2: ceil(n, c) and ceil(n, b); v1: cap is ceil(n, b) */
	size_t taken;     /* v2: core drawn so far; v1: random drawn so far */
	size_t targeted, not_reached;
};

/* The strata in the order first seen, and a map from key to index (its
 * keys are the groups' own, borrowed: the map goes before they move). */
struct groups {
	struct group *g;
	size_t count, cap;
	struct ss_map *index; /* key -> index (size) */
};

/* Everything both algorithms start from: each record's ticket, stratum and
 * first rule, in ticket order. */
struct drawing {
	struct groups gs;
	struct ss_sha256 prefix;
	struct draw_ctx dc;
	struct item *items; /* in ticket order once prepared */
	int32_t *rule_of;   /* by record index: its first rule, -1 none */
};

static void groups_release(struct groups *gs)
{
	size_t i;

	for (i = 0; i < gs->count; i++)
		free(gs->g[i].key);
	free(gs->g);
	ss_map_free(gs->index);
}

static void drawing_release(struct drawing *d)
{
	groups_release(&d->gs);
	free(d->items);
	free(d->rule_of);
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

/* Records lo to hi: their tickets' first 8 bytes, into d->items. */
static int ticket_heads(size_t lo, size_t hi, unsigned part, void *arg)
{
	struct drawing *d = arg;
	unsigned char t[32];
	size_t i;
	int b;

	(void)part;
	for (i = lo; i < hi; i++) {
		uint64_t head = 0;

		full_ticket(&d->dc, (uint32_t)i, t);
		for (b = 0; b < 8; b++)
			head = head << 8 | t[b];
		d->items[i].head = head;
	}
	return 0;
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

/* Items into ticket order: by head with a radix sort (four passes of 16
 * bits, stable), then each run of equal heads (rare) by item_cmp: the order
 * qsort_r with item_cmp gives, without its twenty comparisons a record. */
static int sort_items(struct item *v, size_t n, struct draw_ctx *dc)
{
	enum { DIGITS = 1 << 16 };
	struct item *tmp = NULL, *src = v, *dst;
	size_t *at = NULL, i, lo, sum;
	unsigned pass;

	if (n < 2)
		return 0;
	if ((tmp = malloc(n * sizeof(*tmp))) == NULL ||
	    (at = malloc(DIGITS * sizeof(*at))) == NULL) {
		free(tmp);
		return ss_error_nomem();
	}
	for (pass = 0; pass < 4; pass++) {
		unsigned shift = pass * 16;

		memset(at, 0, DIGITS * sizeof(*at));
		for (i = 0; i < n; i++)
			at[(src[i].head >> shift) & (DIGITS - 1)]++;
		for (i = 0, sum = 0; i < DIGITS; i++) {
			size_t c = at[i];

			at[i] = sum;
			sum += c;
		}
		dst = src == v ? tmp : v;
		for (i = 0; i < n; i++)
			dst[at[(src[i].head >> shift) & (DIGITS - 1)]++] = src[i];
		src = dst;
	}
	/* An even number of passes: the items are back in v. */
	for (lo = 0; lo < n; lo = i) {
		for (i = lo + 1; i < n && v[i].head == v[lo].head; i++)
			;
		if (i - lo > 1)
			qsort_r(v + lo, i - lo, sizeof(*v), item_cmp, dc);
	}
	free(at);
	free(tmp);
	return 0;
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

/* Of the m sampled records (in ticket order), each reviewing role's lowest-ticket share. */
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
		if ((sr->role = ss_sample_strdup(rs[i]->name)) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		if ((err = ss_sample_role_alloc(sr, c)) != 0)
			goto out;
		/* The records are in ticket order: a role's share is a prefix. */
		for (j = 0; j < c; j++)
			memcpy(sr->ids[j], s->records[j].id, SS_ID_LEN + 1);
	}
out:
	free(rs);
	return err;
}

/* The sample's header, checked; then every record's ticket, stratum and first
 * rule, sorted into ticket order. */
static int prepare(const struct ss_population *pop, const struct ss_policy *pol, unsigned version,
                   const char *month, const char *seed, bool generated,
                   const char *population_sha256, const char *policy_sha256, struct drawing *d,
                   struct ss_sample **out)
{
	const char *alg = algorithm(version);
	struct ss_buf key = SS_BUF_INIT;
	struct ss_sample *s;
	size_t i, j;
	int err;

	*out = NULL;
	if ((err = ss_sample_seed_check(seed)) != 0)
		return err;
	if (month == NULL || !ss_sample_is_month(month))
		return ss_error_set(SS_EUSAGE, _("\"%s\" is not a month (expected YYYY-MM)"),
		                    month ? month : "");
	if (!ss_sample_is_hex64(population_sha256) || !ss_sample_is_hex64(policy_sha256))
		return ss_error_set(SS_EDATA, _("a digest is not 64 lowercase hex digits"));
	if (pop->n >= INT32_MAX)
		return ss_error_set(SS_EDATA, _("too many records to sample (%zu)"), pop->n);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ss_error_nomem();
	*out = s;
	s->version = version;
	if ((s->month = ss_sample_strdup(month)) == NULL ||
	    (s->seed = ss_sample_strdup(seed)) == NULL ||
	    (s->rate = ss_sample_strdup(pol->rate)) == NULL ||
	    (version == 2 &&
	     (s->random = ss_sample_strdup(pol->random ? pol->random : pol->rate)) == NULL))
		return ss_error_nomem();
	s->generated = generated;
	memcpy(s->population_sha256, population_sha256, 65);
	memcpy(s->policy_sha256, policy_sha256, 65);

	ss_sha256_init(&d->prefix);
	ss_sha256_update(&d->prefix, alg, strlen(alg) + 1);
	ss_sha256_update(&d->prefix, seed, strlen(seed) + 1);
	ss_sha256_update(&d->prefix, month, strlen(month) + 1);
	d->dc.pop = pop;
	d->dc.prefix = &d->prefix;

	if ((d->items = calloc(pop->n ? pop->n : 1, sizeof(*d->items))) == NULL ||
	    (d->rule_of = calloc(pop->n ? pop->n : 1, sizeof(*d->rule_of))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	/* The tickets on every core (each record's alone: the same whatever
	 * the threads), then strata and rules in order. */
	if ((err = ss_par_for(pop->n, ticket_heads, d)) != 0)
		goto out;
	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];
		struct group *g;
		uint32_t st = 0;

		d->items[i].rec = (uint32_t)i;
		if ((err = stratum_key(pol, r, &key)) != 0 ||
		    (err = groups_find(&d->gs, key.data, key.len, &st)) != 0)
			goto out;
		d->rule_of[i] = -1;
		for (j = 0; j < pol->nalways && d->rule_of[i] < 0; j++)
			if (ss_rule_matches(&pol->always[j], r))
				d->rule_of[i] = (int32_t)j;
		d->items[i].stratum = st;
		g = &d->gs.g[st];
		g->n++;
		g->a += d->rule_of[i] >= 0;
	}
	if ((err = sort_items(d->items, pop->n, &d->dc)) != 0)
		goto out;
	for (i = 1; i < pop->n; i++)
		if (strcmp(pop->rec[d->items[i - 1].rec].id, pop->rec[d->items[i].rec].id) == 0) {
			err = ss_error_set(SS_EDATA, _("record %s appears twice in the population"),
			                   pop->rec[d->items[i].rec].id);
			goto out;
		}
out:
	ss_buf_release(&key);
	return err;
}

/* Emit the records marked in sel (by ticket-order index; 0 none, else
 * 1 + reason) in ticket order. */
static int emit(struct drawing *d, const unsigned char *sel, size_t m, struct ss_sample *s)
{
	size_t i;

	if ((s->records = calloc(m ? m : 1, sizeof(*s->records))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < d->dc.pop->n; i++) {
		const struct item *it = &d->items[i];
		struct ss_sample_record *sr;
		unsigned char t[32];

		if (sel[i] == 0)
			continue;
		sr = &s->records[s->n];
		memcpy(sr->id, d->dc.pop->rec[it->rec].id, sizeof(sr->id));
		full_ticket(&d->dc, it->rec, t);
		ss_hex_encode(sr->ticket, t, sizeof(t));
		sr->reason = (enum ss_sample_reason)(sel[i] - 1);
		sr->always = d->rule_of[it->rec] >= 0;
		sr->rule = s->version == 2 ? d->rule_of[it->rec] : -1;
		if ((sr->stratum = ss_sample_strdup(d->gs.g[it->stratum].key)) == NULL)
			return ss_error_nomem();
		s->n++;
	}
	return 0;
}

/* v1: in a stratum of n records of which a match a rule, k = ceil(n, b): all
 * a, plus the k - a lowest-ticket others when a < k. */
static int select_v1(struct drawing *d, const struct ss_policy *pol, unsigned char *sel, size_t *m)
{
	size_t i;

	for (i = 0; i < d->gs.count; i++) {
		struct group *g = &d->gs.g[i];
		size_t k = ss_sample_quota(g->n, pol->rate_bp);

		g->cap = g->a >= k ? 0 : k - g->a; /* the random part */
	}
	for (i = 0; i < d->dc.pop->n; i++) {
		const struct item *it = &d->items[i];
		struct group *g = &d->gs.g[it->stratum];

		if (d->rule_of[it->rec] >= 0)
			sel[i] = 1 + SS_REASON_ALWAYS;
		else if (g->taken < g->cap) {
			g->taken++;
			sel[i] = 1 + SS_REASON_RANDOM;
		}
		*m += sel[i] != 0;
	}
	return 0;
}

/* Targeted candidates: ticket-order index, ordered by (stratum, rule, ticket). */
struct cand {
	uint32_t at;
	uint32_t stratum;
	int32_t rule;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->stratum != y->stratum)
		return x->stratum < y->stratum ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* v2: in each stratum the ceil(n, c) lowest tickets (the core), then the
 * always-records outside it by (rule, ticket), the first
 * min(t, ceil(n, b) - ceil(n, c)) of them; the rest not reached. */
static int select_v2(struct drawing *d, const struct ss_policy *pol, struct ss_sample *s,
                     unsigned char *sel, size_t *m)
{
	struct cand *cands = NULL;
	size_t i, nc = 0;
	int err = 0;

	s->nrules = pol->nalways;
	if ((s->matched_by_rule = calloc(pol->nalways ? pol->nalways : 1, sizeof(size_t))) ==
	        NULL ||
	    (s->not_reached_by_rule = calloc(pol->nalways ? pol->nalways : 1, sizeof(size_t))) ==
	        NULL ||
	    (cands = malloc((d->dc.pop->n ? d->dc.pop->n : 1) * sizeof(*cands))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < d->gs.count; i++) {
		struct group *g = &d->gs.g[i];

		g->core = ss_sample_quota(g->n, pol->random_bp);
		g->cap = ss_sample_quota(g->n, pol->rate_bp);
	}
	for (i = 0; i < d->dc.pop->n; i++) {
		const struct item *it = &d->items[i];
		struct group *g = &d->gs.g[it->stratum];
		int32_t rule = d->rule_of[it->rec];

		if (rule >= 0)
			s->matched_by_rule[rule]++;
		if (g->taken < g->core) {
			g->taken++;
			sel[i] = 1 + SS_REASON_CORE;
			(*m)++;
		} else if (rule >= 0) {
			cands[nc++] = (struct cand){(uint32_t)i, it->stratum, rule};
		}
	}
	qsort(cands, nc, sizeof(*cands), cand_cmp);
	for (i = 0; i < nc; i++) {
		struct group *g = &d->gs.g[cands[i].stratum];

		if (g->targeted < g->cap - g->core) {
			g->targeted++;
			sel[cands[i].at] = 1 + SS_REASON_TARGETED;
			(*m)++;
		} else {
			g->not_reached++;
			s->not_reached_by_rule[cands[i].rule]++;
		}
	}
out:
	free(cands);
	return err;
}

static int draw(const struct ss_population *pop, const struct ss_policy *pol, unsigned version,
                const char *month, const char *seed, bool generated, const char *population_sha256,
                const char *policy_sha256, struct ss_sample **out)
{
	struct drawing d = {0};
	struct ss_sample *s = NULL;
	unsigned char *sel = NULL;
	uint32_t *order = NULL;
	size_t i, j, m = 0;
	int err;

	*out = NULL;
	if ((err = prepare(pop, pol, version, month, seed, generated, population_sha256,
	                   policy_sha256, &d, &s)) != 0)
		goto out;
	if ((sel = calloc(pop->n ? pop->n : 1, 1)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((err = version == 1 ? select_v1(&d, pol, sel, &m) : select_v2(&d, pol, s, sel, &m)) !=
	        0 ||
	    (err = emit(&d, sel, m, s)) != 0)
		goto out;

	/* Strata, sorted by their compact JSON. */
	if ((order = malloc((d.gs.count ? d.gs.count : 1) * sizeof(*order))) == NULL ||
	    (s->strata = calloc(d.gs.count ? d.gs.count : 1, sizeof(*s->strata))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < d.gs.count; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, d.gs.count, sizeof(*order), group_order_cmp, &d.gs);
	for (i = 0; i < d.gs.count; i++) {
		struct group *g = &d.gs.g[order[i]];
		struct ss_stratum *st = &s->strata[i];

		st->key = g->key;
		g->key = NULL; /* moved */
		st->population = g->n;
		st->always = g->a;
		if (version == 1) {
			st->drawn = g->a + g->cap;
		} else {
			st->core = g->core;
			st->targeted = g->targeted;
			st->not_reached = g->not_reached;
			st->drawn = g->core + g->targeted;
		}
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
		if ((b->field = ss_sample_strdup(ss_field_name(f))) == NULL) {
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

	if ((err = draw_roles(pol, s)) != 0 || (err = ss_sample_index(s, "sample")) != 0)
		goto out;
	*out = s;
	s = NULL;
out:
	ss_sample_free(s);
	drawing_release(&d);
	free(sel);
	free(order);
	return err;
}

int ss_sample_draw(const struct ss_population *pop, const struct ss_policy *pol, const char *month,
                   const char *seed, bool generated, const char *population_sha256,
                   const char *policy_sha256, struct ss_sample **out)
{
	return draw(pop, pol, 2, month, seed, generated, population_sha256, policy_sha256, out);
}

int ss_sample_draw_v1(const struct ss_population *pop, const struct ss_policy *pol,
                      const char *month, const char *seed, bool generated,
                      const char *population_sha256, const char *policy_sha256,
                      struct ss_sample **out)
{
	return draw(pop, pol, 1, month, seed, generated, population_sha256, policy_sha256, out);
}

/* ---- the roles' lists and the warnings ---- */

/* Append id and a line end (room made). */
static char *put_line(char *p, const char *id)
{
	size_t n = strlen(id);

	memcpy(p, id, n);
	p[n] = '\n';
	return p + n + 1;
}

int ss_sample_role_ids(const struct ss_sample *s, const struct ss_sample_role *r,
                       struct ss_buf *out)
{
	const char **v = NULL;
	size_t i, room = 0;
	char *p;
	int err;

	for (i = 0; i < r->n; i++)
		room += strlen(r->ids[i]) + 1;
	if ((err = ss_buf_grow(out, room)) != 0)
		return err;
	p = out->data + out->len;
	/* The indexes already hold the order: a prefix role's ids are the
	 * sample's first n records, taken in the order of the sample's index. */
	if (r->prefix && s != NULL && s->by_id != NULL && r->n <= s->n) {
		for (i = 0; i < s->n; i++)
			if (s->by_id[i] < r->n)
				p = put_line(p, s->records[s->by_id[i]].id);
	} else if (r->by_id != NULL) {
		for (i = 0; i < r->n; i++)
			p = put_line(p, r->by_id[i]);
	} else {
		if ((v = malloc((r->n ? r->n : 1) * sizeof(*v))) == NULL)
			return ss_error_nomem();
		for (i = 0; i < r->n; i++)
			v[i] = r->ids[i];
		qsort(v, r->n, sizeof(*v), str_ptr_cmp);
		for (i = 0; i < r->n; i++)
			p = put_line(p, v[i]);
		free(v);
	}
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';
	return 0;
}

static size_t blanks_of(const struct ss_sample *s, enum ss_field f)
{
	size_t i;

	for (i = 0; i < s->nblanks; i++)
		if (strcmp(s->blanks[i].field, ss_field_name(f)) == 0)
			return s->blanks[i].count;
	return 0;
}

/* Does the rule match a blank (equals null, or null in its list)? */
static bool rule_takes_blank(const struct ss_rule *r)
{
	size_t i;

	for (i = 0; r->op != SS_RULE_CONTAINS && i < r->nvalues; i++)
		if (r->values[i].kind == SS_RV_NULL)
			return true;
	return false;
}

static int add_warning(char ***v, size_t *n, const char *fmt, ...) SS_PRINTF(3, 4);

static int add_warning(char ***v, size_t *n, const char *fmt, ...)
{
	char text[512], **nv, *t;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if ((t = ss_sample_strdup(text)) == NULL)
		return ss_error_nomem();
	if ((nv = realloc(*v, (*n + 1) * sizeof(*nv))) == NULL) {
		free(t);
		return ss_error_nomem();
	}
	*v = nv;
	nv[(*n)++] = t;
	return 0;
}

/* A rule in words in a language: ss_rule_words's English, or the Welsh. */
static void rule_words_in(const struct ss_policy *pol, size_t r, enum ss_lang lang, char *out,
                          size_t n)
{
	const struct ss_rule *rule = &pol->always[r];

	/* In lang, not the language being read: sample.json and the report's JSON
	 * keep English whatever --lang says. */
	if (rule->label.en != NULL)
		snprintf(out, n, ss_lang_get(lang, N_("the %s rule")),
		         lang != SS_LANG_EN && rule->label.cy ? rule->label.cy : rule->label.en);
	else
		snprintf(out, n, ss_lang_get(lang, N_("rule %zu (%s)")), r + 1,
		         lang == SS_LANG_EN ? ss_field_name(rule->field)
		                            : ss_lang_get(lang, ss_field_words(rule->field)));
}

int ss_sample_warnings(const struct ss_sample *s, const struct ss_policy *pol, char ***out,
                       size_t *n)
{
	return ss_sample_warnings_in(s, pol, SS_LANG_EN, out, n);
}

int ss_sample_warnings_in(const struct ss_sample *s, const struct ss_policy *pol, enum ss_lang lang,
                          char ***out, size_t *n)
{
	char words[160];
	const char *field;
	size_t r, k;
	int err = 0;

	*out = NULL;
	*n = 0;
	for (r = 0; r < pol->nalways && err == 0; r++) {
		const struct ss_rule *rule = &pol->always[r];

		rule_words_in(pol, r, lang, words, sizeof(words));
		/* English names the field by its id, as the report always has. */
		field = lang == SS_LANG_EN ? ss_field_name(rule->field)
		                           : ss_lang_get(lang, ss_field_words(rule->field));
		k = blanks_of(s, rule->field);
		if (k > 0 && !rule_takes_blank(rule))
			err = add_warning(
			    out, n,
			    k == 1
			        ? ss_lang_get(lang, N_("%s could not apply to %zu search whose "
			                               "field is blank (%s)"))
			        : ss_lang_get(lang, N_("%s could not apply to %zu searches whose "
			                               "field is blank (%s)")),
			    words, k, field);
		if (err || s->version != 2 || r >= s->nrules)
			continue;
		if (s->matched_by_rule[r] == 0)
			err = add_warning(
			    out, n, ss_lang_get(lang, N_("%s picked out no search this month")),
			    words);
		else if ((k = s->not_reached_by_rule[r]) > 0)
			err = add_warning(
			    out, n,
			    k == 1 ? ss_lang_get(lang,
			                         N_("%zu search picked out by %s was not reached: "
			                            "the sample was already full at the rate (%s) "
			                            "in its stratum"))
			           : ss_lang_get(lang,
			                         N_("%zu searches picked out by %s were not "
			                            "reached: the sample was already full at the "
			                            "rate (%s) in their stratum")),
			    k, words, s->rate);
	}
	if (err) {
		ss_strv_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return err;
}
