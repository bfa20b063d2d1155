/*
 * signers.c - who signed a commit (the registered key that made its
 * signature) and whether allowed_signers is exactly what reviewers/ implies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "verify_int.h"

/* -------------------------------------------------- signers and keys */

/* Who signed the commit: the reviewer of reg whose key made a good signature
 * over it. NULL (and a problem reported) when nobody registered did. */
const struct ss_reviewer *ss_verify_check_signature(struct vctx *v, const struct ss_commit_view *c,
                                                    const char *hex, const struct ss_registry *reg,
                                                    struct cstate *cs)
{
	unsigned char pk[SS_PUBKEY_LEN];

	if (c->signature == NULL) {
		ss_verify_problem(v, hex, "", "the commit is not signed");
		return NULL;
	}
	if (ss_sshsig_verify(c->signature, c->signature_len, "git", c->signed_data,
	                     c->signed_data_len, pk) != 0) {
		ss_verify_problem(v, hex, "", "the signature does not match the commit (%s)",
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
		ss_verify_problem(v, hex, SS_LAYOUT_SIGNERS,
		                  err == SS_ENOTFOUND
		                      ? "there is no allowed_signers, so stock git cannot check "
		                        "the signatures"
		                      : "allowed_signers cannot be read: %s",
		                  ss_error_message());
		return 0;
	}
	if ((err = ss_registry_allowed_signers(reg, &want)) != 0) {
		if (err != SS_ENOMEM) {
			ss_verify_problem(v, hex, SS_LAYOUT_REVIEWERS "/",
			                  "the register does not give allowed_signers: %s",
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
		    "allowed_signers admits a signer that reviewers/ does not register: '%s'",
		    line);
	else if (missing_line(want.data, want.len, data, len, line, sizeof(line)))
		ss_verify_problem(v, hex, SS_LAYOUT_SIGNERS,
		                  "allowed_signers lacks '%s', which reviewers/ implies", line);
	else
		ss_verify_problem(
		    v, hex, SS_LAYOUT_SIGNERS,
		    "allowed_signers is not laid out as reviewers/ implies (order or duplicates)");
out:
	free(data);
	ss_buf_release(&want);
	return err;
}
