/*
 * libFuzzer target for the worksheet reader (review --from): any bytes in,
 * either a count of rows or SS_EDATA with every problem located (file, line,
 * column) out; never a crash, leak or undefined behaviour. The policy is a
 * fixed one with a required and an optional question.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "act.h"
#include "policy.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char policy_json[] =
    "{\"format\":\"ssaudit-policy-v1\",\"name\":\"fuzz\",\"sample\":{\"rate\":\"25%\","
    "\"strata\":[],\"always\":[]},\"roles\":{\"coordinator\":{\"may\":[\"sample\"]},"
    "\"panel\":{\"may\":[\"review\"],\"reviews\":\"all\"}},"
    "\"verdict\":[{\"id\":\"grounds\",\"question\":\"q\",\"values\":[\"reasonable\","
    "\"not-reasonable\"],\"required\":true},{\"id\":\"record\",\"question\":\"q\","
    "\"values\":[\"complete\"],\"required\":false}],\"outcomes\":{\"positive\":[]},"
    "\"fields\":{\"officer\":\"kept\"}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ss_policy *pol;
	struct ss_diags d = {0};
	size_t rows = 0, i;
	int err;

	if (pol == NULL && ss_policy_parse(policy_json, strlen(policy_json), "fuzz", &pol) != 0)
		__builtin_trap();
	d.limit = 5;
	err = ss_worksheet_check_syntax((const char *)data, size, "fuzz.csv", pol, &d, &rows);
	if (err != 0 && err != SS_EDATA && err != SS_ENOMEM)
		__builtin_trap();
	if (err == SS_EDATA && d.total == 0)
		__builtin_trap(); /* refused without saying where */
	for (i = 0; i < d.n; i++)
		if (d.d[i].line == 0 || d.d[i].col == 0 || d.d[i].msg == NULL)
			__builtin_trap();
	if (err == 0 && d.total != 0)
		__builtin_trap();
	ss_diags_release(&d);
	return 0;
}
