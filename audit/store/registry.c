#include "registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "policy.h"

int ss_reviewer_to_json(const struct ss_reviewer *rv, struct ss_buf *out)
{
	char *key = NULL;
	int err = 0;

	if (rv->has_key && (key = ss_pubkey_format(rv->pk)) == NULL)
		return ss_error_nomem();
	/* Written by hand so the layout is stable whatever cJSON's version. */
	if ((err = ss_buf_puts(out, "{\n  \"handle\": ")) ||
	    (err = ss_buf_json_string_or_null(out, rv->handle)) ||
	    (err = ss_buf_puts(out, ",\n  \"name\": ")) ||
	    (err = ss_buf_json_string_or_null(out, rv->name)) ||
	    (err = ss_buf_puts(out, ",\n  \"email\": ")) ||
	    (err = ss_buf_json_string_or_null(out, rv->email)) ||
	    (err = ss_buf_puts(out, ",\n  \"role\": ")) ||
	    (err = ss_buf_json_string_or_null(out, rv->role)) ||
	    (err = ss_buf_puts(out, ",\n  \"key\": ")) ||
	    (err = ss_buf_json_string_or_null(out, key)) ||
	    (err = ss_buf_puts(out, ",\n  \"added\": ")) ||
	    (err = ss_buf_json_string_or_null(out, rv->added)) ||
	    (err = ss_buf_puts(out, ",\n  \"removed\": ")) ||
	    (err = ss_buf_json_string_or_null(out, rv->removed)) ||
	    (err = ss_buf_puts(out, "\n}\n")))
		goto out;
out:
	free(key);
	return err;
}

int ss_reviewer_from_json(const char *data, size_t len, const char *name, struct ss_reviewer *out)
{
	enum { REQ = SS_JS_REQUIRED, NUL = SS_JS_REQUIRED | SS_JS_NULL };
	struct ss_json *doc = NULL;
	struct ss_jv o;
	char *key = NULL;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if ((err = ss_json_load_object(data, len, name, SS_EDATA, SS_JSON_VOICE_FIELDS, &doc)) != 0)
		goto out;
	ss_json_root(doc, &o);
	if ((err = ss_jv_strdup(&o, "handle", REQ, &out->handle)) ||
	    (err = ss_jv_strdup(&o, "name", REQ, &out->name)) ||
	    (err = ss_jv_strdup(&o, "email", REQ, &out->email)) ||
	    (err = ss_jv_strdup(&o, "role", REQ, &out->role)) ||
	    (err = ss_jv_strdup(&o, "key", NUL, &key)) ||
	    (err = ss_jv_strdup(&o, "added", REQ, &out->added)) ||
	    (err = ss_jv_strdup(&o, "removed", NUL, &out->removed)))
		goto out;
	if (!ss_name_valid(out->handle) || !ss_name_valid(out->role)) {
		err = ss_error_set(SS_EDATA, _("%s: handle or role is not a valid name"), name);
		goto out;
	}
	if (key != NULL) {
		if ((err = ss_pubkey_parse(key, out->pk)) != 0) {
			err = ss_error_wrap(SS_EDATA, _("%s: key"), name);
			goto out;
		}
		out->has_key = true;
	}
out:
	free(key);
	ss_json_free(doc);
	if (err)
		ss_reviewer_release(out);
	return err;
}

void ss_reviewer_release(struct ss_reviewer *rv)
{
	free(rv->handle);
	free(rv->name);
	free(rv->email);
	free(rv->role);
	free(rv->added);
	free(rv->removed);
	memset(rv, 0, sizeof(*rv));
}

struct commit_reader {
	struct ss_trail *t;
	const struct ss_oid *commit;
};

static int commit_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	struct commit_reader *c = ctx;

	return ss_git_list(c->t, c->commit, dir, names, n);
}

static int commit_read(void *ctx, const char *path, char **data, size_t *len)
{
	struct commit_reader *c = ctx;

	return ss_git_read(c->t, c->commit, path, data, len);
}

int ss_registry_load(struct ss_trail *t, const struct ss_oid *commit, struct ss_registry **out)
{
	struct commit_reader c = {t, commit};
	struct ss_registry_reader rd = {commit_list, commit_read, &c};

	return ss_registry_load_with(&rd, out);
}

int ss_registry_load_with(const struct ss_registry_reader *rd, struct ss_registry **out)
{
	struct ss_registry *reg = calloc(1, sizeof(*reg));
	char **names = NULL;
	size_t n = 0, i;
	int err = 0;

	*out = NULL;
	if (reg == NULL)
		return ss_error_nomem();
	err = rd->list(rd->ctx, "reviewers", &names, &n);
	if (err == SS_ENOTFOUND) {
		*out = reg;
		return 0;
	}
	if (err)
		goto out;
	if (n && (reg->r = calloc(n, sizeof(*reg->r))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < n; i++) {
		char path[512];
		char *data = NULL;
		size_t len = 0;
		size_t nl = strlen(names[i]);

		if (nl < 6 || strcmp(names[i] + nl - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "reviewers/%s", names[i]);
		if ((err = rd->read(rd->ctx, path, &data, &len)) != 0)
			goto out;
		err = ss_reviewer_from_json(data, len, path, &reg->r[reg->n]);
		free(data);
		if (err)
			goto out;
		if (strncmp(reg->r[reg->n].handle, names[i], nl - 5) != 0 ||
		    strlen(reg->r[reg->n].handle) != nl - 5) {
			err = ss_error_set(SS_EDATA, _("%s: handle does not match the file name"),
			                   path);
			reg->n++;
			goto out;
		}
		reg->n++;
	}
	*out = reg;
	reg = NULL;
out:
	ss_strv_free(names, n);
	ss_registry_free(reg);
	return err;
}

void ss_registry_free(struct ss_registry *reg)
{
	size_t i;

	if (reg == NULL)
		return;
	for (i = 0; i < reg->n; i++)
		ss_reviewer_release(&reg->r[i]);
	free(reg->r);
	free(reg);
}

const struct ss_reviewer *ss_registry_find(const struct ss_registry *reg, const char *handle)
{
	size_t i;

	for (i = 0; i < reg->n; i++)
		if (strcmp(reg->r[i].handle, handle) == 0)
			return &reg->r[i];
	return NULL;
}

int ss_registry_signers_time(const char *s, char out[16])
{
	/* YYYY-MM-DDThh:mm:ssZ */
	static const int digits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
	size_t i;

	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
	    s[16] != ':' || s[19] != 'Z')
		return ss_error_set(SS_EDATA, _("'%s' is not a UTC time"), s);
	for (i = 0; i < sizeof(digits) / sizeof(digits[0]); i++) {
		char c = s[digits[i]];

		if (c < '0' || c > '9')
			return ss_error_set(SS_EDATA, _("'%s' is not a UTC time"), s);
		out[i] = c;
	}
	out[14] = 'Z';
	out[15] = '\0';
	return 0;
}

static int cmp_handle(const void *a, const void *b)
{
	const struct ss_reviewer *const *x = a, *const *y = b;

	return strcmp((*x)->handle, (*y)->handle);
}

int ss_registry_allowed_signers(const struct ss_registry *reg, struct ss_buf *out)
{
	const struct ss_reviewer **v = NULL;
	size_t i, n = 0;
	int err = 0;

	if (reg->n && (v = calloc(reg->n, sizeof(*v))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < reg->n; i++)
		if (reg->r[i].has_key)
			v[n++] = &reg->r[i];
	if (n)
		qsort(v, n, sizeof(*v), cmp_handle);
	for (i = 0; i < n; i++) {
		char *key = ss_pubkey_format(v[i]->pk);
		char before[16];

		if (key == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		err = ss_buf_printf(out, "%s namespaces=\"git\"", v[i]->handle);
		if (!err && v[i]->removed) {
			err = ss_registry_signers_time(v[i]->removed, before);
			if (!err)
				err = ss_buf_printf(out, ",valid-before=\"%s\"", before);
		}
		if (!err)
			err = ss_buf_printf(out, " %s\n", key);
		free(key);
		if (err)
			goto out;
	}
	if (out->data == NULL)
		err = ss_buf_put(out, "", 0);
out:
	free(v);
	return err;
}
