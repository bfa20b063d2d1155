/*
 * libFuzzer target for the policy loader: any bytes in, either a policy or
 * SS_ECONFIG with a message out; never a crash, leak or undefined behaviour.
 * A policy that loads must also answer every lookup it promises.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_policy *p = NULL;
	struct ss_record r;
	size_t i;
	int f;

	if (ss_policy_parse((const char *)data, size, "fuzz.json", &p) != 0) {
		if (p != NULL || ss_error_message()[0] == '\0')
			__builtin_trap();
		return 0;
	}
	memset(&r, 0, sizeof(r));
	for (f = 0; f < SS_F_COUNT; f++)
		r.tri[f] = SS_TRI_NULL;
	for (i = 0; i < p->nalways; i++)
		(void)ss_rule_matches(&p->always[i], &r);
	for (i = 0; i < p->nroles; i++) {
		const struct ss_role *role = ss_policy_role(p, p->roles[i].name);

		if (role != &p->roles[i])
			__builtin_trap();
		(void)ss_role_registers(role, "qa-panel");
		(void)ss_role_enters_for(role, "qa-panel");
	}
	for (i = 0; i < p->nquestions; i++)
		if (ss_policy_question(p, p->questions[i].id) != &p->questions[i])
			__builtin_trap();
	(void)ss_policy_outcome_positive(p, "Arrest");
	ss_policy_free(p);
	return 0;
}
