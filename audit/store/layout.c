/*
 * layout.c - the trail's paths, built and read back (see layout.h).
 */
#include "layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "policy.h"

#define MONTHS_DIR  SS_LAYOUT_MONTHS "/"
#define REVIEWS_DIR SS_LAYOUT_REVIEWERS "/"

/* ------------------------------------------------------------ parts */

bool ss_layout_month_valid_n(const char *m, size_t n)
{
	return n == SS_LAYOUT_MONTH_LEN && m[0] >= '1' && m[0] <= '9' && m[1] >= '0' &&
	       m[1] <= '9' && m[2] >= '0' && m[2] <= '9' && m[3] >= '0' && m[3] <= '9' &&
	       m[4] == '-' &&
	       ((m[5] == '0' && m[6] >= '1' && m[6] <= '9') ||
	        (m[5] == '1' && m[6] >= '0' && m[6] <= '2'));
}

bool ss_layout_month_valid(const char *s)
{
	return s != NULL && ss_layout_month_valid_n(s, strlen(s));
}

bool ss_layout_id_valid_n(const char *s, size_t n)
{
	return ss_record_id_valid_n(s, n);
}

bool ss_layout_id_valid(const char *s)
{
	return s != NULL && ss_layout_id_valid_n(s, strlen(s));
}

bool ss_layout_number_valid_n(const char *s, size_t n, unsigned *number)
{
	unsigned v = 0;
	size_t i;

	if (n != 4)
		return false;
	for (i = 0; i < n; i++) {
		if (!(s[i] >= '0' && s[i] <= '9'))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0)
		return false;
	if (number != NULL)
		*number = v;
	return true;
}

/* A handle or role name of n bytes, copied into out (cap bytes) when valid. */
static bool name_ok(const char *s, size_t n, char *out, size_t cap)
{
	if (n == 0 || n >= cap)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return ss_name_valid(out);
}

/* --------------------------------------------------------- builders */

static bool build(char *out, size_t n, const char *fmt, ...) SS_PRINTF(3, 4);

static bool build(char *out, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(out, n, fmt, ap);
	va_end(ap);
	return len >= 0 && (size_t)len < n;
}

bool ss_layout_reviewer(char *out, size_t n, const char *handle)
{
	return build(out, n, REVIEWS_DIR "%s.json", handle);
}

bool ss_layout_month_dir(char *out, size_t n, const char *month)
{
	return build(out, n, MONTHS_DIR "%s", month);
}

bool ss_layout_population(char *out, size_t n, const char *month)
{
	return build(out, n, MONTHS_DIR "%s/population.jsonl", month);
}

bool ss_layout_sources(char *out, size_t n, const char *month)
{
	return build(out, n, MONTHS_DIR "%s/sources.json", month);
}

bool ss_layout_sample(char *out, size_t n, const char *month)
{
	return build(out, n, MONTHS_DIR "%s/sample.json", month);
}

bool ss_layout_closed(char *out, size_t n, const char *month)
{
	return build(out, n, MONTHS_DIR "%s/closed.json", month);
}

bool ss_layout_role_ids(char *out, size_t n, const char *month, const char *role)
{
	return build(out, n, MONTHS_DIR "%s/roles/%s.ids", month, role);
}

bool ss_layout_records_dir(char *out, size_t n, const char *month, enum ss_layout_kind kind)
{
	const char *sub = kind == SS_LAYOUT_VERDICT      ? "verdicts"
	                  : kind == SS_LAYOUT_CORRECTION ? "corrections"
	                  : kind == SS_LAYOUT_WAIVER     ? "waivers"
	                  : kind == SS_LAYOUT_RESPONSE   ? "responses"
	                                                 : NULL;

	if (sub == NULL) {
		if (n > 0)
			out[0] = '\0';
		return false;
	}
	return build(out, n, MONTHS_DIR "%s/%s", month, sub);
}

bool ss_layout_verdict_dir(char *out, size_t n, const char *month, const char *id)
{
	return build(out, n, MONTHS_DIR "%s/verdicts/%.2s/%s", month, id + 2, id);
}

bool ss_layout_verdict(char *out, size_t n, const char *month, const char *id, const char *role,
                       const char *handle)
{
	return build(out, n, MONTHS_DIR "%s/verdicts/%.2s/%s/%s.%s.json", month, id + 2, id, role,
	             handle);
}

bool ss_layout_correction_dir(char *out, size_t n, const char *month, const char *id)
{
	return build(out, n, MONTHS_DIR "%s/corrections/%.2s/%s", month, id + 2, id);
}

bool ss_layout_correction(char *out, size_t n, const char *month, const char *id, unsigned number)
{
	if (number == 0 || number > SS_LAYOUT_NUMBER_MAX) {
		if (n > 0)
			out[0] = '\0';
		return false;
	}
	return build(out, n, MONTHS_DIR "%s/corrections/%.2s/%s/%04u.json", month, id + 2, id,
	             number);
}

bool ss_layout_waiver(char *out, size_t n, const char *month, const char *id)
{
	return build(out, n, MONTHS_DIR "%s/waivers/%.2s/%s.json", month, id + 2, id);
}

bool ss_layout_response_dir(char *out, size_t n, const char *month, const char *id)
{
	return build(out, n, MONTHS_DIR "%s/responses/%.2s/%s", month, id + 2, id);
}

bool ss_layout_response(char *out, size_t n, const char *month, const char *id, unsigned number)
{
	if (number == 0 || number > SS_LAYOUT_NUMBER_MAX) {
		if (n > 0)
			out[0] = '\0';
		return false;
	}
	return build(out, n, MONTHS_DIR "%s/responses/%.2s/%s/%04u.json", month, id + 2, id,
	             number);
}

bool ss_layout_access(char *out, size_t n, unsigned number)
{
	if (number == 0 || number > SS_LAYOUT_NUMBER_MAX) {
		if (n > 0)
			out[0] = '\0';
		return false;
	}
	return build(out, n, SS_LAYOUT_ACCESS "/%04u.json", number);
}

bool ss_layout_verdict_file_in_role(const char *file, const char *role)
{
	size_t rl = strlen(role);

	return strncmp(file, role, rl) == 0 && file[rl] == '.';
}

/* ------------------------------------------------------- classifier */

bool ss_layout_in_reviewers(const char *path)
{
	return strncmp(path, REVIEWS_DIR, sizeof(REVIEWS_DIR) - 1) == 0;
}

/* XX/ID.json under waivers/. */
static void classify_waiver(const char *rest, struct ss_layout_path *p)
{
	if (strlen(rest) == 3 + SS_ID_LEN + 5 && rest[2] == '/' &&
	    strcmp(rest + 3 + SS_ID_LEN, ".json") == 0 &&
	    ss_layout_id_valid_n(rest + 3, SS_ID_LEN) && memcmp(rest, rest + 5, 2) == 0) {
		memcpy(p->id, rest + 3, SS_ID_LEN);
		p->id[SS_ID_LEN] = '\0';
		p->kind = SS_LAYOUT_WAIVER;
	}
}

/* XX/ID/ROLE.HANDLE.json under verdicts/, XX/ID/NNNN.json under corrections/
 * and responses/ (numbered is the kind of those). */
static void classify_per_record(const char *rest, enum ss_layout_kind numbered,
                                struct ss_layout_path *p)
{
	const char *file, *dot, *end;
	size_t n;

	if (strlen(rest) < 3 + SS_ID_LEN + 1 || rest[2] != '/' || rest[3 + SS_ID_LEN] != '/' ||
	    !ss_layout_id_valid_n(rest + 3, SS_ID_LEN) || memcmp(rest, rest + 5, 2) != 0)
		return;
	memcpy(p->id, rest + 3, SS_ID_LEN);
	p->id[SS_ID_LEN] = '\0';
	file = rest + 3 + SS_ID_LEN + 1;
	n = strlen(file);
	if (n <= 5 || strcmp(file + n - 5, ".json") != 0 || strchr(file, '/') != NULL)
		return;
	end = file + n - 5;
	if (numbered != SS_LAYOUT_VERDICT) {
		if (ss_layout_number_valid_n(file, (size_t)(end - file), &p->number))
			p->kind = numbered;
		return;
	}
	dot = memchr(file, '.', (size_t)(end - file));
	if (dot != NULL &&
	    name_ok(dot + 1, (size_t)(end - dot - 1), p->handle, sizeof(p->handle)) &&
	    name_ok(file, (size_t)(dot - file), p->role, sizeof(p->role)))
		p->kind = SS_LAYOUT_VERDICT;
}

void ss_layout_classify(const char *s, struct ss_layout_path *p)
{
	static const struct {
		const char *name;
		enum ss_layout_kind kind;
	} fixed[] = {{SS_LAYOUT_TRAIL, SS_LAYOUT_TRAIL_FILE},
	             {SS_LAYOUT_POLICY, SS_LAYOUT_POLICY_FILE},
	             {SS_LAYOUT_SIGNERS, SS_LAYOUT_SIGNERS_FILE}},
	  in_month[] = {{"population.jsonl", SS_LAYOUT_POPULATION},
	                {"sources.json", SS_LAYOUT_SOURCES},
	                {"sample.json", SS_LAYOUT_SAMPLE},
	                {"closed.json", SS_LAYOUT_CLOSED}};
	const size_t mlen = sizeof(MONTHS_DIR) - 1, rlen = sizeof(REVIEWS_DIR) - 1;
	const char *rest;
	size_t n, i;

	memset(p, 0, sizeof(*p));
	p->kind = SS_LAYOUT_OTHER;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (strcmp(s, fixed[i].name) == 0) {
			p->kind = fixed[i].kind;
			return;
		}
	if (strncmp(s, SS_LAYOUT_ACCESS "/", sizeof(SS_LAYOUT_ACCESS)) == 0) {
		rest = s + sizeof(SS_LAYOUT_ACCESS);
		n = strlen(rest);
		if (n == 9 && strcmp(rest + 4, ".json") == 0 &&
		    ss_layout_number_valid_n(rest, 4, &p->number))
			p->kind = SS_LAYOUT_ACCESS_FILE;
		return;
	}
	if (ss_layout_in_reviewers(s)) {
		rest = s + rlen;
		n = strlen(rest);
		if (n > 5 && strcmp(rest + n - 5, ".json") == 0 && strchr(rest, '/') == NULL &&
		    name_ok(rest, n - 5, p->handle, sizeof(p->handle)))
			p->kind = SS_LAYOUT_REVIEWER;
		return;
	}
	if (strncmp(s, MONTHS_DIR, mlen) != 0 ||
	    !ss_layout_month_valid_n(
	        s + mlen, strlen(s + mlen) < SS_LAYOUT_MONTH_LEN ? 0 : SS_LAYOUT_MONTH_LEN) ||
	    s[mlen + SS_LAYOUT_MONTH_LEN] != '/')
		return;
	memcpy(p->month, s + mlen, SS_LAYOUT_MONTH_LEN);
	p->month[SS_LAYOUT_MONTH_LEN] = '\0';
	rest = s + mlen + SS_LAYOUT_MONTH_LEN + 1;
	for (i = 0; i < sizeof(in_month) / sizeof(in_month[0]); i++)
		if (strcmp(rest, in_month[i].name) == 0) {
			p->kind = in_month[i].kind;
			return;
		}
	if (strncmp(rest, "roles/", 6) == 0) {
		n = strlen(rest + 6);
		if (n > 4 && strcmp(rest + 6 + n - 4, ".ids") == 0 &&
		    strchr(rest + 6, '/') == NULL &&
		    name_ok(rest + 6, n - 4, p->role, sizeof(p->role)))
			p->kind = SS_LAYOUT_ROLE_IDS;
	} else if (strncmp(rest, "waivers/", 8) == 0)
		classify_waiver(rest + 8, p);
	else if (strncmp(rest, "verdicts/", 9) == 0)
		classify_per_record(rest + 9, SS_LAYOUT_VERDICT, p);
	else if (strncmp(rest, "corrections/", 12) == 0)
		classify_per_record(rest + 12, SS_LAYOUT_CORRECTION, p);
	else if (strncmp(rest, "responses/", 10) == 0)
		classify_per_record(rest + 10, SS_LAYOUT_RESPONSE, p);
}

/* XX: two characters that can follow "R-" in a record id. */
static bool pair_valid(const char *s, size_t n)
{
	size_t i;

	if (n != 2)
		return false;
	for (i = 0; i < 2; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' && s[i] <= '7')))
			return false;
	return true;
}

/*
 * Every directory some path of the classifier above passes through, and no
 * other: months, reviewers, access, months/M, months/M/KIND, months/M/KIND/XX and
 * (verdicts, corrections and responses) months/M/KIND/XX/ID. A new kind of file under a
 * new directory is added here as well as to ss_layout_classify.
 */
bool ss_layout_dir_valid(const char *s)
{
	static const char *const kinds[] = {"verdicts", "corrections", "waivers", "responses"};
	const size_t mlen = sizeof(MONTHS_DIR) - 1;
	const char *rest, *slash;
	size_t i, k, kl = 0;

	if (strcmp(s, SS_LAYOUT_MONTHS) == 0 || strcmp(s, SS_LAYOUT_REVIEWERS) == 0 ||
	    strcmp(s, SS_LAYOUT_ACCESS) == 0)
		return true;
	if (strncmp(s, MONTHS_DIR, mlen) != 0 || strlen(s + mlen) < SS_LAYOUT_MONTH_LEN ||
	    !ss_layout_month_valid_n(s + mlen, SS_LAYOUT_MONTH_LEN))
		return false;
	rest = s + mlen + SS_LAYOUT_MONTH_LEN;
	if (*rest == '\0')
		return true;
	if (*rest++ != '/')
		return false;
	if (strcmp(rest, "roles") == 0) /* months/M/roles/ROLE.ids: files only */
		return true;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		kl = strlen(kinds[k]);
		if (strncmp(rest, kinds[k], kl) == 0 && (rest[kl] == '\0' || rest[kl] == '/'))
			break;
	}
	if (k == sizeof(kinds) / sizeof(kinds[0]))
		return false;
	rest += kl;
	if (*rest++ == '\0')
		return true;
	slash = strchr(rest, '/');
	if (slash == NULL)
		return pair_valid(rest, strlen(rest));
	if (!pair_valid(rest, (size_t)(slash - rest)) || k == 2) /* waivers: files under XX */
		return false;
	i = strlen(slash + 1);
	return i == SS_ID_LEN && ss_layout_id_valid_n(slash + 1, SS_ID_LEN) &&
	       memcmp(rest, slash + 3, 2) == 0;
}
