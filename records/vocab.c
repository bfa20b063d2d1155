#include "vocab.h"

#include <string.h>

static const char *const types[] = {
    "Person search",
    "Person and Vehicle search",
    "Vehicle search",
};

static const char *const genders[] = {"Male", "Female", "Other"};

static const char *const ages[] = {"under 10", "10-17", "18-24", "25-34", "over 34"};

static const char *const self_ethnicities[] = {
    "Asian/Asian British - Bangladeshi",
    "Asian/Asian British - Chinese",
    "Asian/Asian British - Indian",
    "Asian/Asian British - Pakistani",
    "Asian/Asian British - Any other Asian background",
    "Black/African/Caribbean/Black British - African",
    "Black/African/Caribbean/Black British - Caribbean",
    "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
    "Mixed/Multiple ethnic groups - White and Asian",
    "Mixed/Multiple ethnic groups - White and Black African",
    "Mixed/Multiple ethnic groups - White and Black Caribbean",
    "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background",
    "Other ethnic group - Arab",
    "Other ethnic group - Any other ethnic group",
    "Other ethnic group - Not stated",
    "White - English/Welsh/Scottish/Northern Irish/British",
    "White - Irish",
    "White - Gypsy or Irish Traveller",
    "White - Roma",
    "White - Any other White background",
};

static const char *const officer_ethnicities[] = {"White", "Black", "Asian", "Mixed", "Other"};

static const char *const legislations[] = {
    "Misuse of Drugs Act 1971 (section 23)",
    "Police and Criminal Evidence Act 1984 (section 1)",
    "Police and Criminal Evidence Act 1984 (section 6)",
    "Criminal Justice and Public Order Act 1994 (section 60)",
    "Criminal Justice Act 1988 (section 139B)",
    "Firearms Act 1968 (section 47)",
    "Poaching Prevention Act 1862 (section 2)",
    "Deer Act 1991 (section 12)",
    "Conservation of Seals Act 1970 (section 4)",
    "Wildlife and Countryside Act 1981 (section 19)",
    "Protection of Badgers Act 1992 (section 11)",
    "Crossbows Act 1987 (section 4)",
    "Aviation Security Act 1982 (section 27(1))",
    "Customs and Excise Management Act 1979 (section 163)",
    "Psychoactive Substances Act 2016 (s36(2))",
    "Psychoactive Substances Act 2016 (s37(2))",
    "Public Stores Act 1875 (section 6)",
    "Sporting Events (Control of Alcohol etc.) Act 1985 (section 7)",
    "Environmental Protection Act 1990 (section 34B )",
    "Terrorism Act 2000 (section 43)",
    "Terrorism Act 2000 (section 43A)",
    "Terrorism Act 2000 (section 44)",
    "Terrorism Act 2000 (section 47A)",
};

static const char *const objects[] = {
    "Controlled drugs",
    "Offensive weapons",
    "Stolen goods",
    "Anything to threaten or harm anyone",
    "Article for use in theft",
    "Articles for use in criminal damage",
    "Evidence of offences under the Act",
    "Evidence of wildlife offences",
    "Firearms",
    "Fireworks",
    "Crossbows",
    "Game or poaching equipment",
    "Goods on which duty has not been paid etc.",
    "Psychoactive substances",
    "Seals or hunting equipment",
    "Detailed object of search unavailable",
};

static const char *const outcomes[] = {
    "A no further action disposal",
    "Arrest",
    "Caution (simple or conditional)",
    "Community resolution",
    "Khat or Cannabis warning",
    "Penalty Notice for Disorder",
    "Summons / charged by post",
    /* earlier years' wording */
    "Nothing found - no further action",
    "Suspect arrested",
    "Suspect summonsed to court",
    "Offender cautioned",
    "Offender given drugs possession warning",
    "Offender given penalty notice",
    "Local resolution",
    "Article found - Detailed outcome unavailable",
};

#define LIST(a) a, sizeof(a) / sizeof(a[0])

static const char *const *list(enum ss_field f, size_t *n)
{
	static const struct {
		enum ss_field f;
		const char *const *v;
		size_t n;
	} t[] = {
	    {SS_F_TYPE, LIST(types)},
	    {SS_F_GENDER, LIST(genders)},
	    {SS_F_AGE_RANGE, LIST(ages)},
	    {SS_F_SELF_DEFINED_ETHNICITY, LIST(self_ethnicities)},
	    {SS_F_OFFICER_DEFINED_ETHNICITY, LIST(officer_ethnicities)},
	    {SS_F_LEGISLATION, LIST(legislations)},
	    {SS_F_OBJECT_OF_SEARCH, LIST(objects)},
	    {SS_F_OUTCOME, LIST(outcomes)},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (t[i].f == f) {
			*n = t[i].n;
			return t[i].v;
		}
	}
	*n = 0;
	return NULL;
}

bool ss_vocab_has(enum ss_field f)
{
	size_t n;

	return list(f, &n) != NULL;
}

bool ss_vocab_known(enum ss_field f, const char *value)
{
	size_t n, i;
	const char *const *v = list(f, &n);

	for (i = 0; i < n; i++)
		if (strcmp(v[i], value) == 0)
			return true;
	return false;
}

const char *const *ss_vocab_values(enum ss_field f, size_t *n)
{
	return list(f, n);
}
