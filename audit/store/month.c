#include "month.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "error.h"
#include "json.h"

int ss_month_open(const char *path, struct ss_trail **t, struct ss_oid *tip)
{
	int err = ss_trail_open(path, t);

	if (err)
		return err;
	err = ss_trail_tip(*t, tip);
	if (err == SS_ENOTFOUND)
		err = ss_error_set(SS_ENOINPUT, "the audit trail '%s' has no history yet", path);
	if (err) {
		ss_trail_free(*t);
		*t = NULL;
	}
	return err;
}

int ss_month_population(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                        char **raw, size_t *raw_len, struct ss_population **pop)
{
	char path[64], words[32];
	char *data = NULL;
	size_t len = 0;
	int err;

	*pop = NULL;
	if (raw)
		*raw = NULL;
	ss_month_path(path, sizeof(path), month, "population.jsonl");
	err = ss_trail_read(t, commit, path, &data, &len);
	if (err == SS_ENOTFOUND) {
		ss_month_words(month, words, sizeof(words));
		return ss_error_set(SS_EFAIL, "no records have been imported for %s", words);
	}
	if (err)
		return err;
	err = ss_population_from_jsonl(data, len, path, pop);
	if (err || raw == NULL) {
		free(data);
		return err;
	}
	*raw = data;
	*raw_len = len;
	return 0;
}

int ss_month_sample(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                    struct ss_sample **out)
{
	char path[64], words[32];
	char *data = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	ss_month_path(path, sizeof(path), month, "sample.json");
	err = ss_trail_read(t, commit, path, &data, &len);
	if (err == SS_ENOTFOUND) {
		ss_month_words(month, words, sizeof(words));
		return ss_error_set(SS_EFAIL, "%s has not been sampled yet", words);
	}
	if (err)
		return err;
	err = ss_sample_from_json(data, len, path, out);
	free(data);
	return err;
}

void ss_verdict_dir(char *out, size_t n, const char *month, const char *id)
{
	snprintf(out, n, "months/%s/verdicts/%.2s/%s", month, id + 2, id);
}

char *ss_trail_title(struct ss_trail *t, const struct ss_oid *commit)
{
	char *data = NULL, *title = NULL;
	size_t len;

	if (ss_trail_read(t, commit, "trail.json", &data, &len) == 0 &&
	    ss_json_member_string(data, len, "name", &title) != 0)
		title = NULL;
	free(data);
	return title ? title : strdup("");
}
