/*
 * signers.c - who signed a commit (the registered key that made its
 * signature) and whether allowed_signers is exactly what reviewers/ implies.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "verify_int.h"

/* ------------------------------------------- signatures checked ahead */

#define SIG_WORKERS_MAX 4

/* One commit's signature, checked by a worker while the objects are checked:
 * the bytes are copies, freed once checked; the result stays for the walk. */
struct sigjob {
	struct ss_oid oid;
	char *bytes; /* the armour, then the payload */
	size_t siglen, datalen;
	int rc;
	unsigned char pk[SS_PUBKEY_LEN];
	char *why; /* the reason when rc != 0; NULL when out of memory */
};

struct ss_verify_sigs {
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t workers[SIG_WORKERS_MAX];
	size_t nworkers;
	struct sigjob **jobs;
	size_t n, cap, next; /* next: the first job no worker has taken */
	bool closed;
	struct ss_map *by_oid; /* commit -> struct sigjob */
};

static void sig_check(struct sigjob *j)
{
	j->rc =
	    ss_sshsig_verify(j->bytes, j->siglen, "git", j->bytes + j->siglen, j->datalen, j->pk);
	if (j->rc != 0)
		j->why = strdup(ss_error_message());
	free(j->bytes);
	j->bytes = NULL;
}

/* Take jobs until there are none and no more will come. */
static void *sig_work(void *arg)
{
	struct ss_verify_sigs *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		struct sigjob *j;

		while (s->next == s->n && !s->closed)
			pthread_cond_wait(&s->more, &s->lock);
		if (s->next == s->n)
			break;
		j = s->jobs[s->next++];
		pthread_mutex_unlock(&s->lock);
		sig_check(j);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int ss_verify_sigs_start(struct ss_verify_sigs **out)
{
	struct ss_verify_sigs *s = calloc(1, sizeof(*s));
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = cpus < 1 ? 1 : cpus > SIG_WORKERS_MAX ? SIG_WORKERS_MAX : (size_t)cpus;
	int err;

	*out = NULL;
	if (s == NULL)
		return ss_error_nomem();
	if ((err = ss_map_new(&s->by_oid, 0, NULL)) != 0) {
		free(s);
		return err;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
	while (s->nworkers < want &&
	       pthread_create(&s->workers[s->nworkers], NULL, sig_work, s) == 0)
		s->nworkers++;
	*out = s;
	return 0;
}

/* For ss_git_check_objects_hooked: a commit's signature, queued. */
int ss_verify_sigs_add(void *ctx, const struct ss_commit_view *c)
{
	struct ss_verify_sigs *s = ctx;
	struct sigjob *j;
	union ss_map_value *slot;
	bool added;
	int err;

	if (c->signature == NULL || s->nworkers == 0)
		return 0; /* unsigned, or no worker: the walk checks it */
	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->bytes = malloc(c->signature_len + c->signed_data_len + 1)) == NULL) {
		free(j);
		return ss_error_nomem();
	}
	j->oid = c->oid;
	j->siglen = c->signature_len;
	j->datalen = c->signed_data_len;
	memcpy(j->bytes, c->signature, c->signature_len);
	memcpy(j->bytes + c->signature_len, c->signed_data, c->signed_data_len);
	if ((err = ss_map_put(s->by_oid, j->oid.id, sizeof(j->oid.id), &slot, &added)) != 0 ||
	    !added) {
		free(j->bytes);
		free(j);
		return err;
	}
	slot->ptr = j;
	pthread_mutex_lock(&s->lock);
	if (s->n == s->cap) {
		size_t cap = s->cap > 0 ? s->cap * 2 : 1024;
		struct sigjob **grown = realloc(s->jobs, cap * sizeof(*grown));

		if (grown == NULL) {
			pthread_mutex_unlock(&s->lock);
			slot->ptr = NULL;
			free(j->bytes);
			free(j);
			return ss_error_nomem();
		}
		s->jobs = grown;
		s->cap = cap;
	}
	s->jobs[s->n++] = j;
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

/* No more jobs: help the workers finish them, then wait for them. */
void ss_verify_sigs_finish(struct ss_verify_sigs *s)
{
	size_t i;

	if (s == NULL || s->closed)
		return;
	pthread_mutex_lock(&s->lock);
	s->closed = true;
	pthread_cond_broadcast(&s->more);
	pthread_mutex_unlock(&s->lock);
	if (s->nworkers > 0)
		sig_work(s);
	for (i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
}

void ss_verify_sigs_free(struct ss_verify_sigs *s)
{
	size_t i;

	if (s == NULL)
		return;
	ss_verify_sigs_finish(s);
	for (i = 0; i < s->n; i++) {
		free(s->jobs[i]->bytes);
		free(s->jobs[i]->why);
		free(s->jobs[i]);
	}
	free(s->jobs);
	ss_map_free(s->by_oid);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->more);
	free(s);
}

/* The commit's signature as checked ahead, when it was and is the same. */
static const struct sigjob *sig_ahead(struct vctx *v, const struct ss_commit_view *c)
{
	union ss_map_value *slot;
	const struct sigjob *j;

	if (v->sigs == NULL || !v->sigs->closed ||
	    (slot = ss_map_get(v->sigs->by_oid, c->oid.id, sizeof(c->oid.id))) == NULL ||
	    (j = slot->ptr) == NULL)
		return NULL;
	return j->siglen == c->signature_len && j->datalen == c->signed_data_len &&
	               (j->rc == 0 || j->why != NULL)
	           ? j
	           : NULL;
}

/* -------------------------------------------------- signers and keys */

/* Who signed the commit: the reviewer of reg whose key made a good signature
 * over it. NULL (and a problem reported) when nobody registered did. */
const struct ss_reviewer *ss_verify_check_signature(struct vctx *v, const struct ss_commit_view *c,
                                                    const char *hex, const struct ss_registry *reg,
                                                    struct cstate *cs)
{
	const struct sigjob *j = c->signature != NULL ? sig_ahead(v, c) : NULL;
	unsigned char pk[SS_PUBKEY_LEN];

	if (c->signature == NULL) {
		ss_verify_problem(v, hex, "", _("the commit is not signed"));
		return NULL;
	}
	if (j != NULL && j->rc != 0) {
		ss_verify_problem(v, hex, "", _("the signature does not match the commit (%s)"),
		                  j->why);
		return NULL;
	}
	if (j != NULL) {
		memcpy(pk, j->pk, sizeof(pk));
	} else if (ss_sshsig_verify(c->signature, c->signature_len, "git", c->signed_data,
	                            c->signed_data_len, pk) != 0) {
		ss_verify_problem(v, hex, "", _("the signature does not match the commit (%s)"),
		                  ss_error_message());
		return NULL;
	}
	v->sum->signatures++;
	cs->has_signer = true;
	memcpy(cs->pk, pk, sizeof(pk));
	return ss_verify_signer_in(v, c, hex, reg, pk);
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
int ss_verify_check_signers(struct vctx *v, const struct ss_oid *commit, const char *hex,
                            const struct ss_registry *reg)
{
	struct ss_buf want = SS_BUF_INIT;
	char *data = NULL, line[320];
	size_t len = 0;
	int err;

	if (reg == NULL)
		return 0; /* the register itself was reported */
	err = ss_git_read(v->t, commit, SS_LAYOUT_SIGNERS, &data, &len);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		if (err == SS_ENOTFOUND)
			ss_verify_problem(
			    v, hex, SS_LAYOUT_SIGNERS,
			    _("there is no allowed_signers, so stock git cannot check "
			      "the signatures"));
		else
			ss_verify_problem(v, hex, SS_LAYOUT_SIGNERS,
			                  _("allowed_signers cannot be read: %s"),
			                  ss_error_message());
		return 0;
	}
	if ((err = ss_registry_allowed_signers(reg, &want)) != 0) {
		if (err != SS_ENOMEM) {
			ss_verify_problem(v, hex, SS_LAYOUT_REVIEWERS "/",
			                  _("the register does not give allowed_signers: %s"),
			                  ss_error_message());
			err = 0;
		}
		goto out;
	}
	if (want.len == len && memcmp(want.data, data, len) == 0)
		goto out;
	if (missing_line(data, len, want.data, want.len, line, sizeof(line)))
		ss_verify_problem(
		    v, hex, SS_LAYOUT_SIGNERS,
		    _("allowed_signers admits a signer that reviewers/ does not register: '%s'"),
		    line);
	else if (missing_line(want.data, want.len, data, len, line, sizeof(line)))
		ss_verify_problem(v, hex, SS_LAYOUT_SIGNERS,
		                  _("allowed_signers lacks '%s', which reviewers/ implies"), line);
	else
		ss_verify_problem(v, hex, SS_LAYOUT_SIGNERS,
		                  _("allowed_signers is not laid out as reviewers/ implies (order "
		                    "or duplicates)"));
out:
	free(data);
	ss_buf_release(&want);
	return err;
}
