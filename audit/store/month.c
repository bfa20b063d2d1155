/*
 * month.c - a month of the trail at a commit (see month.h).
 */
#include "month.h"

#include <pthread.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "error.h"
#include "layout.h"
#include "par.h"

/* ------------------------------------------------------------ in words */

/* English; the same words are the catalogue's (records/base/lang.c). */
static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

static int month_number(const char *month)
{
	if (strlen(month) < 7)
		return 0;
	return (month[5] - '0') * 10 + (month[6] - '0');
}

void ss_month_words(const char *month, char *out, size_t n)
{
	ss_month_words_in(month, SS_LANG_EN, out, n);
}

void ss_month_words_in(const char *month, enum ss_lang lang, char *out, size_t n)
{
	int m = month_number(month);

	if (m < 1 || m > 12)
		snprintf(out, n, "%s", month);
	else
		snprintf(out, n, "%s %.4s", ss_lang_get(lang, month_names[m - 1]), month);
}

int ss_month_refuse_closed(const struct ss_policy *pol, const char *month, const char *closed_by)
{
	struct ss_buf roles = SS_BUF_INIT;
	char words[32];
	size_t i, n = 0;
	int err;

	ss_month_words_in(month, ss_lang_current(), words, sizeof(words));
	for (i = 0; i < pol->nroles; i++)
		if (ss_role_may(&pol->roles[i], SS_MAY_CLOSE))
			ss_buf_printf(&roles, "%s%s", n++ ? _(" or ") : "",
			              ss_role_words(pol->roles[i].name));
	err = ss_error_set(SS_EFAIL,
	                   _("%s is closed (signed off by %s): no more verdicts or waivers can be "
	                     "recorded. A %s can reopen it with: ssaudit reopen %s --reason TEXT"),
	                   words, closed_by ? closed_by : _("someone"),
	                   roles.data ? roles.data : ss_role_words("coordinator"), month);
	ss_buf_release(&roles);
	return err;
}

/* ------------------------------------------------------------ month files */

/* A month's population (sample false) or sample file at a commit; its
 * absence said in words (SS_EFAIL). */
static int month_file(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                      const char *month, bool sample, char **data, size_t *len)
{
	char words[32];
	int err = ss_git_read(t, commit, path, data, len);

	if (err != SS_ENOTFOUND)
		return err;
	ss_month_words_in(month, ss_lang_current(), words, sizeof(words));
	return sample ? ss_error_set(SS_EFAIL, _("%s has not been sampled yet"), words)
	              : ss_error_set(SS_EFAIL, _("no records have been imported for %s"), words);
}

int ss_month_population(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                        char **raw, size_t *raw_len, struct ss_population **pop)
{
	char path[SS_LAYOUT_PATH_MAX];
	char *data = NULL;
	size_t len = 0;
	int err;

	*pop = NULL;
	if (raw == NULL) {
		struct ss_month_read rd = {.keep = {.fields = SS_STORED_ALL}};

		return ss_month_population_read(t, commit, month, &rd, pop);
	}
	*raw = NULL;
	ss_layout_population(path, sizeof(path), month);
	if ((err = month_file(t, commit, path, month, false, &data, &len)))
		return err;
	if ((err = ss_population_from_jsonl(data, len, path, pop))) {
		free(data);
		return err;
	}
	*raw = data;
	*raw_len = len;
	return 0;
}

/*
 * The population's SHA-256 on a second thread while this one inflates and
 * scans: pieces are copied into a small ring of slots the hasher drains in
 * order, so the digest is the file's, whatever the timing. When the thread
 * cannot start, or SSAUDIT_THREADS=1, the pieces are hashed here.
 */
enum { HASH_SLOTS = 4, HASH_SLOT = 1 << 20 };

struct bghash {
	struct ss_sha256 sha;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running, done;
	char *slot[HASH_SLOTS];
	size_t len[HASH_SLOTS];
	size_t head, tail; /* slots filled (head) and hashed (tail), counting forever */
};

static void *bghash_main(void *arg)
{
	struct bghash *h = arg;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		size_t k;

		while (h->tail == h->head && !h->done)
			pthread_cond_wait(&h->cv, &h->mu);
		if (h->tail == h->head)
			break;
		k = h->tail % HASH_SLOTS;
		pthread_mutex_unlock(&h->mu);
		ss_sha256_update(&h->sha, h->slot[k], h->len[k]);
		pthread_mutex_lock(&h->mu);
		h->tail++;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

static void bghash_start(struct bghash *h)
{
	size_t i;

	ss_sha256_init(&h->sha);
	if (ss_par_threads() <= 1)
		return;
	for (i = 0; i < HASH_SLOTS; i++)
		if ((h->slot[i] = malloc(HASH_SLOT)) == NULL)
			return;
	if (pthread_mutex_init(&h->mu, NULL) != 0)
		return;
	if (pthread_cond_init(&h->cv, NULL) != 0) {
		pthread_mutex_destroy(&h->mu);
		return;
	}
	if (pthread_create(&h->thread, NULL, bghash_main, h) != 0) {
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		return;
	}
	h->running = true;
}

static void bghash_put(struct bghash *h, const char *data, size_t n)
{
	if (!h->running) {
		ss_sha256_update(&h->sha, data, n);
		return;
	}
	while (n > 0) {
		size_t k, take = n < HASH_SLOT ? n : HASH_SLOT;

		pthread_mutex_lock(&h->mu);
		while (h->head - h->tail == HASH_SLOTS)
			pthread_cond_wait(&h->cv, &h->mu);
		k = h->head % HASH_SLOTS;
		pthread_mutex_unlock(&h->mu);
		memcpy(h->slot[k], data, take);
		h->len[k] = take;
		pthread_mutex_lock(&h->mu);
		h->head++;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		data += take;
		n -= take;
	}
}

/* Wait for the hasher and free everything; the digest is in h->sha. */
static void bghash_stop(struct bghash *h)
{
	size_t i;

	if (h->running) {
		pthread_mutex_lock(&h->mu);
		h->done = true;
		pthread_cond_broadcast(&h->cv);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thread, NULL);
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		h->running = false;
	}
	for (i = 0; i < HASH_SLOTS; i++) {
		free(h->slot[i]);
		h->slot[i] = NULL;
	}
}

struct piece_ctx {
	struct ss_month_read *rd;
	struct ss_stored_reader *reader;
	struct bghash hash;
	size_t told; /* records at the last progress report */
};

enum { PROGRESS_EVERY = 50000 };

static int on_piece(void *arg, const char *data, size_t n)
{
	struct piece_ctx *c = arg;
	size_t lines;
	int err;

	if (c->rd->want_sha256)
		bghash_put(&c->hash, data, n);
	if ((err = ss_stored_reader_feed(c->reader, data, n)))
		return err;
	lines = ss_stored_reader_lines(c->reader);
	if (c->rd->progress && lines / PROGRESS_EVERY != c->told / PROGRESS_EVERY) {
		c->rd->progress(c->rd->progress_arg, lines, false);
		c->told = lines;
	}
	return 0;
}

/* SSAUDIT_POPULATION_STRICT: the file whole, every line through the strict parser. */
static int population_strict(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                             const char *path, struct ss_month_read *rd, struct ss_population **pop)
{
	char *data = NULL;
	size_t len = 0;
	int err;

	if ((err = month_file(t, commit, path, month, false, &data, &len)))
		return err;
	if (rd->want_sha256)
		ss_sha256_hex(rd->sha256, data, len);
	err = ss_population_from_jsonl(data, len, path, pop);
	free(data);
	if (err == 0 && rd->progress)
		rd->progress(rd->progress_arg, (*pop)->n, true);
	return err;
}

/* The population as it streams: the file at path in commit, or the blob
 * (commit NULL). */
static int population_stream(struct ss_trail *t, const struct ss_oid *commit,
                             const struct ss_oid *blob, const char *path, struct ss_month_read *rd,
                             struct ss_population **pop)
{
	struct piece_ctx c = {.rd = rd};
	unsigned char d[32];
	int err;

	if ((err = ss_stored_reader_new(path, &rd->keep, &c.reader)))
		return err;
	if (rd->want_sha256)
		bghash_start(&c.hash);
	err = commit != NULL ? ss_git_read_pieces(t, commit, path, on_piece, &c)
	                     : ss_git_read_blob_pieces(t, blob, path, on_piece, &c);
	bghash_stop(&c.hash);
	if (err || (err = ss_stored_reader_finish(c.reader, pop)))
		goto out;
	if (rd->want_sha256) {
		ss_sha256_final(&c.hash.sha, d);
		ss_hex_encode(rd->sha256, d, sizeof(d));
	}
	if (rd->progress)
		rd->progress(rd->progress_arg, ss_stored_reader_lines(c.reader), true);
out:
	ss_stored_reader_free(c.reader);
	return err;
}

int ss_month_population_read(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                             struct ss_month_read *rd, struct ss_population **pop)
{
	char path[SS_LAYOUT_PATH_MAX];
	int err;

	*pop = NULL;
	ss_layout_population(path, sizeof(path), month);
	if (ss_stored_strict())
		return population_strict(t, commit, month, path, rd, pop);
	err = population_stream(t, commit, NULL, path, rd, pop);
	if (err == SS_ENOTFOUND) {
		char words[32];

		ss_month_words_in(month, ss_lang_current(), words, sizeof(words));
		err = ss_error_set(SS_EFAIL, _("no records have been imported for %s"), words);
	}
	return err;
}

int ss_month_population_read_blob(struct ss_trail *t, const struct ss_oid *blob, const char *path,
                                  struct ss_month_read *rd, struct ss_population **pop)
{
	*pop = NULL;
	return population_stream(t, NULL, blob, path, rd, pop);
}

static bool in_sample(void *arg, const char *id)
{
	return ss_sample_find(arg, id) != NULL;
}

int ss_month_population_sampled(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                                const struct ss_sample *s, struct ss_population **pop)
{
	struct ss_month_read rd = {
	    .keep = {.fields = SS_STORED_ALL, .keep = in_sample, .keep_arg = (void *)s}};

	return ss_month_population_read(t, commit, month, &rd, pop);
}

uint32_t ss_month_draw_fields(const struct ss_policy *pol)
{
	uint32_t fields = 0;
	int f;

	for (f = 0; f < SS_F_COUNT; f++)
		if (ss_policy_field_used(pol, (enum ss_field)f))
			fields |= SS_STORED_BIT(f);
	return fields;
}

int ss_month_sample(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                    struct ss_sample **out)
{
	char path[SS_LAYOUT_PATH_MAX];
	char *data = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	ss_layout_sample(path, sizeof(path), month);
	if ((err = month_file(t, commit, path, month, true, &data, &len)))
		return err;
	err = ss_sample_from_json(data, len, path, out);
	free(data);
	return err;
}

int ss_month_closed_at(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                       bool *closed, char **by)
{
	char path[SS_LAYOUT_PATH_MAX], *data = NULL, *m = NULL, *reason = NULL;
	size_t len;
	int err;

	*closed = false;
	*by = NULL;
	ss_layout_closed(path, sizeof(path), month);
	err = ss_git_read(t, commit, path, &data, &len);
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		return 0;
	}
	if (err)
		return err;
	err = ss_closed_from_json(data, len, path, &m, closed, by, &reason);
	free(data);
	free(m);
	free(reason);
	return err;
}

/* ------------------------------------------------------------ flat reads */

/* The head of sample.json, up to the policy's digest. */
struct head {
	char buf[8192];
	size_t n;
	char digest[65];
};

#define DIGEST_KEY "\n  \"policy_sha256\": \""

static int head_each(const char *bytes, size_t n, void *arg)
{
	struct head *h = arg;
	size_t take = sizeof(h->buf) - 1 - h->n, k;
	const char *p;

	if (take > n)
		take = n;
	memcpy(h->buf + h->n, bytes, take);
	h->n += take;
	h->buf[h->n] = '\0';
	/* The seed is a JSON string before the digest: it holds no raw line
	 * end, so the first line that starts with the key is the key. */
	p = strstr(h->buf, DIGEST_KEY);
	if (p == NULL)
		return h->n + 1 >= sizeof(h->buf) ? 1 : 0;
	p += sizeof(DIGEST_KEY) - 1;
	if ((size_t)(p - h->buf) + 65 > h->n)
		return h->n + 1 >= sizeof(h->buf) ? 1 : 0;
	for (k = 0; k < 64 && ((p[k] >= '0' && p[k] <= '9') || (p[k] >= 'a' && p[k] <= 'f')); k++)
		;
	if (k == 64 && p[64] == '"') {
		memcpy(h->digest, p, 64);
		h->digest[64] = '\0';
	}
	return 1;
}

int ss_month_sample_policy(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                           char out[65])
{
	char path[SS_LAYOUT_PATH_MAX], words[32];
	struct head *h = calloc(1, sizeof(*h));
	struct ss_sample *s = NULL;
	int err;

	out[0] = '\0';
	if (h == NULL)
		return ss_error_nomem();
	ss_layout_sample(path, sizeof(path), month);
	err = ss_git_scan(t, commit, path, head_each, h);
	if (err == SS_ENOTFOUND) {
		ss_month_words_in(month, ss_lang_current(), words, sizeof(words));
		err = ss_error_set(SS_EFAIL, _("%s has not been sampled yet"), words);
	} else if (err == 0 && h->digest[0] == '\0' &&
	           (err = ss_month_sample(t, commit, month, &s)) == 0) {
		/* Not the form ssaudit writes: the sample parsed whole. */
		snprintf(h->digest, sizeof(h->digest), "%s", s->policy_sha256);
	}
	if (err == 0)
		memcpy(out, h->digest, 65);
	ss_sample_free(s);
	free(h);
	return err;
}

/* Reading roles/ROLE.ids line by line up to the place of one id. */
struct ids_scan {
	const char *id;
	char line[64];
	size_t n;
	bool listed, past;
};

static int ids_each(const char *bytes, size_t n, void *arg)
{
	struct ids_scan *k = arg;
	size_t i;

	for (i = 0; i < n; i++) {
		int c;

		if (bytes[i] != '\n') {
			if (k->n + 1 < sizeof(k->line))
				k->line[k->n++] = bytes[i];
			continue;
		}
		k->line[k->n] = '\0';
		k->n = 0;
		if ((c = strcmp(k->line, k->id)) == 0)
			k->listed = true;
		if (c >= 0) /* sorted: the id's place is passed */
			return 1;
	}
	return 0;
}

int ss_month_role_lists(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                        const char *role, const char *id, bool *listed)
{
	char path[SS_LAYOUT_PATH_MAX];
	struct ss_git_mapped m;
	struct ids_scan k;
	int err;

	*listed = false;
	memset(&k, 0, sizeof(k));
	k.id = id;
	if (!ss_layout_role_ids(path, sizeof(path), month, role))
		return ss_error_set(SS_ENOTFOUND, _("'%s' is not a role"), role);
	/* The kept uncompressed copy, searched; else the blob, read up to the
	 * id's place. */
	if (ss_git_map(t, commit, path, &m) == 0) {
		*listed = ss_month_ids_has(m.data, m.len, id);
		ss_git_unmap(&m);
		return 0;
	}
	if ((err = ss_git_scan(t, commit, path, ids_each, &k)))
		return err;
	*listed = k.listed;
	return 0;
}

int ss_month_role_ids(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                      const char *role, char **ids, size_t *len)
{
	char path[SS_LAYOUT_PATH_MAX];

	*ids = NULL;
	*len = 0;
	if (!ss_layout_role_ids(path, sizeof(path), month, role))
		return ss_error_set(SS_ENOTFOUND, _("'%s' is not a role"), role);
	return ss_git_read(t, commit, path, ids, len);
}

bool ss_month_ids_has(const char *ids, size_t len, const char *id)
{
	size_t lo = 0, hi = len, idlen = strlen(id);

	/* Binary search by byte offset, each probe moved to its line's start. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, start = mid, end;
		int c;

		while (start > lo && ids[start - 1] != '\n')
			start--;
		for (end = start; end < len && ids[end] != '\n'; end++)
			;
		c = memcmp(ids + start, id, end - start < idlen ? end - start : idlen);
		if (c == 0)
			c = end - start < idlen ? -1 : end - start > idlen;
		if (c == 0)
			return true;
		if (c < 0)
			lo = end + 1;
		else
			hi = start;
	}
	return false;
}

/* ------------------------------------------------------------ month state */

static int cmp_verdict(const void *a, const void *b)
{
	const struct ss_verdict *x = a, *y = b;
	int c;

	if ((c = strcmp(x->id, y->id)) || (c = strcmp(x->role, y->role)))
		return c;
	return strcmp(x->reviewer, y->reviewer);
}

static int cmp_correction(const void *a, const void *b)
{
	const struct ss_correction *x = a, *y = b;
	int c;

	if ((c = strcmp(x->id, y->id)))
		return c;
	return x->number < y->number ? -1 : x->number > y->number;
}

static int cmp_response(const void *a, const void *b)
{
	const struct ss_response *x = a, *y = b;
	int c;

	if ((c = strcmp(x->id, y->id)))
		return c;
	return x->number < y->number ? -1 : x->number > y->number;
}

static int cmp_waiver(const void *a, const void *b)
{
	return strcmp(((const struct ss_waiver *)a)->id, ((const struct ss_waiver *)b)->id);
}

/* Names in dir at commit; an absent dir is empty. */
static int list_dir(struct ss_trail *t, const struct ss_oid *commit, const char *dir, char ***names,
                    size_t *n)
{
	int err = ss_git_list(t, commit, dir, names, n);

	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		*names = NULL;
		*n = 0;
		return 0;
	}
	return err;
}

/* Grow an array of elements of size sz to hold one more. */
static int grow(void **v, size_t *cap, size_t n, size_t sz)
{
	void *p;
	size_t nc;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	if ((p = realloc(*v, nc * sz)) == NULL)
		return ss_error_nomem();
	*v = p;
	*cap = nc;
	return 0;
}

enum kindfile { F_VERDICT, F_CORRECTION, F_RESPONSE };

/* Every file of one record's directory of verdicts, corrections or responses,
 * appended to st (caps: the arrays' capacities, indexed by kind). */
static int load_record_dir(struct ss_trail *t, const struct ss_oid *commit, const char *dir,
                           enum kindfile what, struct ss_month_state *st, size_t caps[3])
{
	char **files = NULL, *data = NULL, path[1024];
	size_t nfiles = 0, k, len;
	int err;

	if ((err = list_dir(t, commit, dir, &files, &nfiles)))
		return err;
	for (k = 0; k < nfiles; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
		if ((err = ss_git_read(t, commit, path, &data, &len))) {
			if (err == SS_ENOTFOUND)
				err = ss_error_set(SS_EDATA, _("'%s' is not a file"), path);
			goto out;
		}
		if (what == F_VERDICT) {
			if ((err = grow((void **)&st->verdicts, &caps[what], st->nverdicts,
			                sizeof(*st->verdicts))) ||
			    (err = ss_verdict_from_json(data, len, path,
			                                &st->verdicts[st->nverdicts])))
				goto out;
			st->nverdicts++;
		} else if (what == F_RESPONSE) {
			if ((err = grow((void **)&st->responses, &caps[what], st->nresponses,
			                sizeof(*st->responses))) ||
			    (err = ss_response_from_json(data, len, path,
			                                 &st->responses[st->nresponses])))
				goto out;
			st->nresponses++;
		} else {
			if ((err = grow((void **)&st->corrections, &caps[what], st->ncorrections,
			                sizeof(*st->corrections))) ||
			    (err = ss_correction_from_json(data, len, path,
			                                   &st->corrections[st->ncorrections])))
				goto out;
			st->ncorrections++;
		}
		free(data);
		data = NULL;
	}
out:
	free(data);
	ss_strv_free(files, nfiles);
	return err;
}

static enum ss_layout_kind kind_of(enum kindfile what)
{
	return what == F_VERDICT    ? SS_LAYOUT_VERDICT
	       : what == F_RESPONSE ? SS_LAYOUT_RESPONSE
	                            : SS_LAYOUT_CORRECTION;
}

/* Every file of months/M/<what>/XX/ID/. */
static int load_tree(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                     enum kindfile what, struct ss_month_state *st)
{
	char **xx = NULL, **ids = NULL;
	size_t nxx = 0, nids = 0, i, j, caps[3] = {0, 0, 0};
	char top[SS_LAYOUT_PATH_MAX], dir[512];
	int err;

	ss_layout_records_dir(top, sizeof(top), month, kind_of(what));
	if ((err = list_dir(t, commit, top, &xx, &nxx)))
		goto out;
	for (i = 0; i < nxx; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", top, xx[i]);
		if ((err = list_dir(t, commit, dir, &ids, &nids)))
			goto out;
		for (j = 0; j < nids; j++) {
			snprintf(dir, sizeof(dir), "%s/%s/%s", top, xx[i], ids[j]);
			if ((err = load_record_dir(t, commit, dir, what, st, caps)))
				goto out;
		}
		ss_strv_free(ids, nids);
		ids = NULL;
		nids = 0;
	}
out:
	ss_strv_free(ids, nids);
	ss_strv_free(xx, nxx);
	return err;
}

int ss_month_record_state(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                          const char *id, unsigned what, struct ss_month_state **out)
{
	struct ss_month_state *st = calloc(1, sizeof(*st));
	size_t caps[3] = {0, 0, 0};
	char dir[SS_LAYOUT_PATH_MAX];
	int err = 0;

	*out = NULL;
	if (st == NULL)
		return ss_error_nomem();
	if ((what & SS_MONTH_VERDICTS) && ss_layout_verdict_dir(dir, sizeof(dir), month, id))
		err = load_record_dir(t, commit, dir, F_VERDICT, st, caps);
	if (!err && (what & SS_MONTH_CORRECTIONS) &&
	    ss_layout_correction_dir(dir, sizeof(dir), month, id))
		err = load_record_dir(t, commit, dir, F_CORRECTION, st, caps);
	if (!err && (what & SS_MONTH_RESPONSES) &&
	    ss_layout_response_dir(dir, sizeof(dir), month, id))
		err = load_record_dir(t, commit, dir, F_RESPONSE, st, caps);
	if (err) {
		ss_month_state_free(st);
		return err;
	}
	/* One record's files sort by name as the state keeps them: verdicts
	 * by role and handle, corrections and responses by number. */
	*out = st;
	return 0;
}

static int load_waivers(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                        struct ss_month_state *st)
{
	char **xx = NULL, **files = NULL, *data = NULL;
	size_t nxx = 0, nfiles = 0, i, k, len, cap = 0;
	char top[SS_LAYOUT_PATH_MAX], dir[512], path[1024];
	int err;

	ss_layout_records_dir(top, sizeof(top), month, SS_LAYOUT_WAIVER);
	snprintf(dir, sizeof(dir), "%s", top);
	if ((err = list_dir(t, commit, dir, &xx, &nxx)))
		goto out;
	for (i = 0; i < nxx; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", top, xx[i]);
		if ((err = list_dir(t, commit, dir, &files, &nfiles)))
			goto out;
		for (k = 0; k < nfiles; k++) {
			snprintf(path, sizeof(path), "%s/%s", dir, files[k]);
			if ((err = ss_git_read(t, commit, path, &data, &len))) {
				if (err == SS_ENOTFOUND)
					err = ss_error_set(SS_EDATA, _("'%s' is not a file"), path);
				goto out;
			}
			if ((err = grow((void **)&st->waivers, &cap, st->nwaivers,
			                sizeof(*st->waivers))) ||
			    (err =
			         ss_waiver_from_json(data, len, path, &st->waivers[st->nwaivers])))
				goto out;
			st->nwaivers++;
			free(data);
			data = NULL;
		}
		ss_strv_free(files, nfiles);
		files = NULL;
		nfiles = 0;
	}
out:
	free(data);
	ss_strv_free(files, nfiles);
	ss_strv_free(xx, nxx);
	return err;
}

int ss_month_state_load(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                        struct ss_month_state **out)
{
	struct ss_month_state *st = calloc(1, sizeof(*st));
	char path[SS_LAYOUT_PATH_MAX], *data = NULL, *m = NULL;
	size_t len;
	int err;

	*out = NULL;
	if (st == NULL)
		return ss_error_nomem();
	if (!ss_layout_month_valid(month)) {
		err = ss_error_set(SS_EUSAGE, _("'%s' is not a month"), month);
		goto out;
	}
	if ((err = load_tree(t, commit, month, F_VERDICT, st)) ||
	    (err = load_tree(t, commit, month, F_CORRECTION, st)) ||
	    (err = load_tree(t, commit, month, F_RESPONSE, st)) ||
	    (err = load_waivers(t, commit, month, st)))
		goto out;
	ss_layout_closed(path, sizeof(path), month);
	err = ss_git_read(t, commit, path, &data, &len);
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		err = 0;
	} else if (err || (err = ss_closed_from_json(data, len, path, &m, &st->closed,
	                                             &st->closed_by, &st->closed_reason))) {
		goto out;
	}
	if (st->nverdicts)
		qsort(st->verdicts, st->nverdicts, sizeof(*st->verdicts), cmp_verdict);
	if (st->ncorrections)
		qsort(st->corrections, st->ncorrections, sizeof(*st->corrections), cmp_correction);
	if (st->nresponses)
		qsort(st->responses, st->nresponses, sizeof(*st->responses), cmp_response);
	if (st->nwaivers)
		qsort(st->waivers, st->nwaivers, sizeof(*st->waivers), cmp_waiver);
	*out = st;
	st = NULL;
out:
	free(data);
	free(m);
	ss_month_state_free(st);
	return err;
}

void ss_month_state_free(struct ss_month_state *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nverdicts; i++)
		ss_verdict_release(&st->verdicts[i]);
	for (i = 0; i < st->ncorrections; i++)
		ss_correction_release(&st->corrections[i]);
	for (i = 0; i < st->nwaivers; i++)
		ss_waiver_release(&st->waivers[i]);
	for (i = 0; i < st->nresponses; i++)
		ss_response_release(&st->responses[i]);
	free(st->responses);
	free(st->verdicts);
	free(st->corrections);
	free(st->waivers);
	free(st->closed_by);
	free(st->closed_reason);
	free(st);
}

/* Index of the first correction of id (sorted by id), or st->ncorrections. */
/* The run of items (n of them, `size` bytes each, sorted by the char *id at
 * id_off) whose id is id: its first index, and its length in *len. */
static size_t id_run(const void *items, size_t n, size_t size, size_t id_off, const char *id,
                     size_t *len)
{
	const char *base = items;
	size_t lo = 0, hi = n, end;

#define ID_AT(i) (*(const char *const *)(base + (i)*size + id_off))
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ID_AT(mid), id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < n && strcmp(ID_AT(end), id) == 0; end++)
		;
#undef ID_AT
	*len = end - lo;
	return lo;
}

struct ss_rule_value ss_month_current(const struct ss_month_state *st, const struct ss_record *r,
                                      enum ss_field field)
{
	const struct ss_correction *c;
	struct ss_rule_value v;
	size_t i, k, n;

	memset(&v, 0, sizeof(v));
	v.kind = SS_RV_NULL;
	if (ss_field_type(field) == SS_FT_BOOL) {
		if (r->tri[field] != SS_TRI_NULL) {
			v.kind = SS_RV_BOOL;
			v.b = r->tri[field] == SS_TRI_TRUE;
		}
	} else if (r->str[field]) {
		v.kind = SS_RV_STRING;
		v.s = r->str[field];
	}
	if (st == NULL)
		return v;
	/* Sorted by id and number: the last that changed the field wins. */
	c = ss_month_corrections(st, r->id, &n);
	for (i = 0; i < n; i++)
		for (k = 0; k < c[i].nchanges; k++)
			if (c[i].changes[k].field == field)
				v = c[i].changes[k].to;
	return v;
}

const struct ss_verdict *ss_month_verdicts(const struct ss_month_state *st, const char *id,
                                           size_t *n)
{
	size_t lo = id_run(st->verdicts, st->nverdicts, sizeof(*st->verdicts),
	                   offsetof(struct ss_verdict, id), id, n);

	return *n ? &st->verdicts[lo] : NULL;
}

const struct ss_correction *ss_month_corrections(const struct ss_month_state *st, const char *id,
                                                 size_t *n)
{
	size_t lo = id_run(st->corrections, st->ncorrections, sizeof(*st->corrections),
	                   offsetof(struct ss_correction, id), id, n);

	return *n ? &st->corrections[lo] : NULL;
}

const struct ss_response *ss_month_responses(const struct ss_month_state *st, const char *id,
                                             size_t *n)
{
	size_t lo = id_run(st->responses, st->nresponses, sizeof(*st->responses),
	                   offsetof(struct ss_response, id), id, n);

	return *n ? &st->responses[lo] : NULL;
}

bool ss_month_follow_up(const struct ss_month_state *st, const struct ss_policy *pol,
                        const char *id)
{
	const struct ss_verdict *v;
	size_t n, i;

	if (st == NULL)
		return false;
	v = ss_month_verdicts(st, id, &n);
	for (i = 0; i < n; i++)
		if (ss_verdict_follows_up(&v[i], pol))
			return true;
	return false;
}

const struct ss_waiver *ss_month_waiver(const struct ss_month_state *st, const char *id)
{
	size_t lo = 0, hi = st->nwaivers;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(st->waivers[mid].id, id);

		if (c == 0)
			return &st->waivers[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool ss_month_has_verdict(const struct ss_month_state *st, const char *id, const char *role)
{
	const struct ss_verdict *v;
	size_t n, i;

	if (st == NULL)
		return false;
	v = ss_month_verdicts(st, id, &n);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].role, role) == 0)
			return true;
	return false;
}
