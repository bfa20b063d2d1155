/*
 * synth.c - the synthetic force-csv month (see synth.h).
 *
 * Weights are per ten thousand and come from Dyfed-Powys's data.police.uk
 * files for 2019-2020 (6,242 rows), except where a comment says otherwise.
 */
#include "csv.h"
#include "record.h"
#include "synth.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

/* xoshiro256**, seeded through splitmix64 (both public domain, Vigna). */
struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = a ^ splitmix64(&b) ^ (c * 0xD1B54A32D192ED03ull);
	int k;

	for (k = 0; k < 4; k++)
		r->s[k] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n) (n small: the modulo bias is far below anything a test sees). */
static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)((next(r) >> 32) * n >> 32);
}

static bool chance(struct rng *r, uint32_t per10k)
{
	return below(r, 10000) < per10k;
}

struct wv {
	const char *v;
	uint32_t w;
};

static const char *pick(struct rng *r, const struct wv *t, size_t n)
{
	uint32_t sum = 0, x;
	size_t k;

	for (k = 0; k < n; k++)
		sum += t[k].w;
	x = below(r, sum);
	for (k = 0; k < n; k++) {
		if (x < t[k].w)
			return t[k].v;
		x -= t[k].w;
	}
	return t[n - 1].v;
}

#define PICK(r, t)  pick((r), (t), sizeof(t) / sizeof((t)[0]))
#define ONE(r, arr) ((arr)[below((r), (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])

static const struct wv types[] = {
    {"Person search", 7466}, {"Person and Vehicle search", 2084}, {"Vehicle search", 450}};

#define MDA  "Misuse of Drugs Act 1971 (section 23)"
#define PACE "Police and Criminal Evidence Act 1984 (section 1)"
#define S60  "Criminal Justice and Public Order Act 1994 (section 60)"
#define S47  "Firearms Act 1968 (section 47)"

/* Section 60 and 47 do not occur in those files; a few are added on purpose. */
static const struct wv legislations[] = {
    {MDA, 7200}, {PACE, 2000}, {S60, 250}, {S47, 60}, {"", 380}};

static const struct wv objects_pace[] = {{"Anything to threaten or harm anyone", 7300},
                                         {"Article for use in theft", 1900},
                                         {"Articles for use in criminal damage", 400},
                                         {"Controlled drugs", 230},
                                         {"Stolen goods", 70},
                                         {"Firearms", 80},
                                         {"Offensive weapons", 20}};
static const struct wv objects_s60[] = {{"Offensive weapons", 6000},
                                        {"Anything to threaten or harm anyone", 4000}};
static const struct wv objects_blank[] = {{"Anything to threaten or harm anyone", 7000},
                                          {"Controlled drugs", 1500},
                                          {"Firearms", 700},
                                          {"Stolen goods", 400},
                                          {"Offensive weapons", 400}};

static const struct wv outcomes[] = {
    {"A no further action disposal", 7264}, {"Arrest", 1657},
    {"Khat or Cannabis warning", 380},      {"Community resolution", 245},
    {"Summons / charged by post", 219},     {"Caution (simple or conditional)", 88},
    {"Penalty Notice for Disorder", 59},    {"", 88}};

static const struct wv self_eth[] = {
    {"White - English/Welsh/Scottish/Northern Irish/British", 8358},
    {"Other ethnic group - Not stated", 633},
    {"White - Any other White background", 77},
    {"Asian/Asian British - Any other Asian background", 42},
    {"Black/African/Caribbean/Black British - Caribbean", 35},
    {"Asian/Asian British - Pakistani", 32},
    {"Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background", 30},
    {"White - Irish", 30},
    {"Mixed/Multiple ethnic groups - White and Black Caribbean", 27},
    {"Asian/Asian British - Indian", 27},
    {"Mixed/Multiple ethnic groups - White and Asian", 26},
    {"Asian/Asian British - Bangladeshi", 19},
    {"Black/African/Caribbean/Black British - Any other Black/African/Caribbean background", 16},
    {"Mixed/Multiple ethnic groups - White and Black African", 10},
    {"Black/African/Caribbean/Black British - African", 10},
    {"Asian/Asian British - Chinese", 5},
    {"Other ethnic group - Any other ethnic group", 2}};

/* Ages by range, blanks left out (blank ranges are added per row). */
static const struct wv age_ranges[] = {
    {"under 10", 13}, {"10-17", 1929}, {"18-24", 3286}, {"25-34", 2203}, {"over 34", 2120}};

static const struct wv bwvs[] = {{"Yes", 5200}, {"No", 1800}, {"", 1200}, {"ref", 1800}};

struct town {
	const char *name, *district;
	double lat, lon;
};

struct area {
	const char *name;
	uint32_t w;
	struct town towns[6];
};

static const struct area areas[] = {
    {"Carmarthenshire",
     3500,
     {{"Carmarthen", "SA31", 51.857, -4.312},
      {"Llanelli", "SA15", 51.681, -4.160},
      {"Ammanford", "SA18", 51.794, -3.988},
      {"Llandeilo", "SA19", 51.884, -3.993},
      {"Burry Port", "SA16", 51.684, -4.247},
      {"Kidwelly", "SA17", 51.737, -4.304}}},
    {"Ceredigion",
     1800,
     {{"Aberystwyth", "SY23", 52.415, -4.083},
      {"Cardigan", "SA43", 52.083, -4.661},
      {"Lampeter", "SA48", 52.112, -4.080},
      {"Aberaeron", "SA46", 52.243, -4.259},
      {"Tregaron", "SY25", 52.220, -3.933},
      {"New Quay", "SA45", 52.214, -4.358}}},
    {"Pembrokeshire",
     2200,
     {{"Haverfordwest", "SA61", 51.801, -4.969},
      {"Pembroke Dock", "SA72", 51.693, -4.943},
      {"Milford Haven", "SA73", 51.714, -5.032},
      {"Tenby", "SA70", 51.673, -4.703},
      {"Fishguard", "SA65", 51.994, -4.976},
      {"Narberth", "SA67", 51.799, -4.744}}},
    {"Powys",
     2500,
     {{"Newtown", "SY16", 52.513, -3.313},
      {"Welshpool", "SY21", 52.660, -3.147},
      {"Brecon", "LD3", 51.946, -3.390},
      {"Llandrindod Wells", "LD1", 52.242, -3.379},
      {"Ystradgynlais", "SA9", 51.781, -3.751},
      {"Machynlleth", "SY20", 52.591, -3.851}}},
};

static const char *const streets[] = {
    "Heol y Castell", "Ffordd yr Orsaf", "Maes y Dre",     "Stryd y Farchnad", "Heol Las",
    "Lôn Ysgol",      "Glan yr Afon",    "Cae Melyn",      "Station Road",     "Church Street",
    "Park Avenue",    "Bridge Street",   "Priory Street",  "Water Street",     "Penrhiw Terrace",
    "Heol Gwili",     "Ffordd Tywi",     "Maes Glas",      "Spring Gardens",   "Quay Street",
    "Tan y Bryn",     "Heol Hendre",     "Picton Terrace", "Ffordd Pen-y-Fan", "Gwêl y Môr",
};

/* Invented people: Welsh and English names, some with apostrophes, hyphens
 * and letters outside ASCII; a few from other backgrounds. None of them is a
 * word that the rest of a record uses. */
static const char *const first_m[] = {
    "Rhys",    "Dafydd", "Gethin", "Owain",  "Aled",   "Gareth",  "Huw",      "Iwan",
    "Osian",   "Tomos",  "Ieuan",  "Llŷr",   "Siôn",   "Emyr",    "Gruffydd", "Meirion",
    "Jack",    "Oliver", "Connor", "Callum", "Kieran", "Jordan",  "Ryan",     "Nathan",
    "Bradley", "Shane",  "Dylan",  "Cai",    "Macsen", "Tristan", "Joshua",   "Liam"};
static const char *const first_f[] = {
    "Siân",   "Ffion", "Cerys",     "Megan",    "Bethan",   "Catrin",   "Nia",      "Rhiannon",
    "Seren",  "Elin",  "Gwenllïan", "Eleri",    "Lowri",    "Carys",    "Angharad", "Bronwen",
    "Sophie", "Chloe", "Jessica",   "Courtney", "Danielle", "Kayleigh", "Hannah",   "Leah"};
static const char *const surnames[] = {
    "Jones",     "Williams",  "Davies",  "Evans",       "Roberts",     "Hughes",
    "Griffiths", "Pritchard", "Jenkins", "Powell",      "Bevan",       "Pugh",
    "Llewellyn", "Vaughan",   "Prosser", "Parry",       "Howells",     "Watkins",
    "O'Neill",   "O'Brien",   "D'Arcy",  "Pryce-Jones", "Lloyd-Evans", "Rees",
    "Morgan",    "Meredith",  "Gwilym",  "ap Iorwerth", "Rowlands",    "Tudor",
    "Kowalski",  "Nowak",     "Müller",  "Thorne",      "Fairweather", "Ashworth"};
static const char *const first_other_m[] = {"Imran", "Arjun", "Kwame", "Tyrone", "Jermaine"};
static const char *const first_other_f[] = {"Aisha", "Priya", "Amara", "Shanice", "Farah"};
static const char *const surnames_other[] = {"Ahmed",  "Khan",   "Singh",    "Patel",
                                             "Okafor", "Mensah", "Campbell", "Hussain"};

static const char *const plate_letters = "ABCDEFGHJKLMNOPRSTUVWXY";

static const char *const grounds_drugs[] = {
    "{N} was seen in {T} town centre acting suspiciously and a strong smell of cannabis was "
    "coming from {m}.",
    "Intelligence that {N} of {A} is supplying controlled drugs in the {T} area.",
    "{N} was the driver of {V}; a strong smell of cannabis came from the vehicle when it was "
    "stopped.",
    "CCTV operator saw {N} make a hand-to-hand exchange near {C}.",
    "{N} (DOB {D}) was found in a known drug-using location in {T} and tried to conceal "
    "something in {H} waistband.",
    "Information from a member of the public that {N} was dealing from {S}.",
    "The phone number {P} is linked in recent intelligence to {N} and a county line into {T}.",
};
static const char *const grounds_weapons[] = {
    "Report of a person with a knife in {T}; {N} matched the description given.",
    "{N} was seen concealing an object in {H} jacket outside licensed premises in {T}.",
    "{N} was seen with a bladed article in the waistband of {H} trousers on {S}.",
};
static const char *const grounds_theft[] = {
    "{N} was seen trying car door handles on {S} late at night.",
    "{N} was seen leaving a shop in {T} with items concealed under {H} coat.",
    "Report of criminal damage to cars in {T}; {N} was carrying spray paint.",
};
static const char *const grounds_s60[] = {
    "Section 60 authorisation in force after a serious assault; {N} was in the authorised "
    "area near {C}.",
    "Section 60 authorisation in force in {T}; {N} was seen passing something to another "
    "youth.",
};
static const char *const grounds_s47[] = {
    "Report of a firearm being shown; {N} was seen with an object resembling a handgun near "
    "{S}.",
};
static const char *const grounds_vehicle[] = {
    "Vehicle {V} parked in a lay-by near {T} with nobody in it; intelligence that it is used "
    "to move drugs.",
    "ANPR hit on {V}, linked to drug supply; the vehicle was searched at {C}.",
};
static const char *const grounds_more[] = {
    "{N} was nervous and evasive and would not say why {h} was there.",
    "{N} has previous convictions for possession with intent to supply.",
    "PNC checks showed {N} is known to police.",
    "{N} gave a mobile number of {P}.",
    "{N} lives at {A}.",
    "{N} (born {D}) said {h} had nothing on {m}.",
    "Vehicle {V} registered to {N} was seen nearby.",
    "{N} was with a friend known as Smiler.",
};

struct person {
	bool male;
	int eth;     /* index into self_eth */
	int y, m, d; /* date of birth */
	char first[32], surname[48];
	int name_order; /* 0 "First Surname", 1 "SURNAME, First" */
	int area, town;
	char street[64], address[160], pnc[24];
};

struct ymd {
	int y, m, d;
};

static struct ymd civil_from_days(int64_t z)
{
	struct ymd r;
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

static int days_in_month(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

/* The last Sunday of a month, as days since 1970. */
static int64_t last_sunday(int y, int m)
{
	int64_t z = ss_days_from_civil(y, m, days_in_month(y, m));
	int64_t wd = (z + 4) % 7; /* 1970-01-01 was a Thursday; 0 is Sunday */

	return z - (wd < 0 ? wd + 7 : wd);
}

/* UK local time to UTC seconds: BST from 01:00 UTC on the last Sunday of
 * March to 01:00 UTC on the last Sunday of October. */
static int64_t local_to_utc(int y, int m, int d, int hh, int mm, int ss)
{
	int64_t local = ss_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
	int64_t start = last_sunday(y, 3) * 86400 + 3600, end = last_sunday(y, 10) * 86400 + 3600;
	int64_t as_bst = local - 3600;

	return (as_bst >= start && as_bst < end) ? as_bst : local;
}

static int parse_month(const char *s, int *y, int *m)
{
	int k;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (k = 0; k < 7; k++)
		if (k != 4 && (s[k] < '0' || s[k] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	return (*y < 1900 || *m < 1 || *m > 12) ? -1 : 0;
}

static int check_opts(const struct ss_synth_opts *o, int *y, int *m)
{
	if (o == NULL || parse_month(o->month, y, m) != 0)
		return ss_error_set(SS_EUSAGE, _("month '%s' is not written YYYY-MM"),
		                    o && o->month ? o->month : "");
	if (o->count == 0)
		return ss_error_set(SS_EUSAGE, _("the number of rows must be at least 1"));
	return 0;
}

static void ascii_upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 32);
}

static bool eth_group(int eth, char g)
{
	return self_eth[eth].v[0] == g;
}

static int pick_index(struct rng *r, const struct wv *t, size_t n)
{
	const char *v = pick(r, t, n);
	size_t k;

	for (k = 0; k < n; k++)
		if (t[k].v == v)
			return (int)k;
	return 0;
}

/* An invented person; `anchor` is the day their age is drawn against. */
static void make_person(uint64_t seed, uint64_t id, int64_t anchor, struct person *p)
{
	struct rng r;
	const char *age;
	int years, k, lo, hi;
	int64_t dob;
	char postcode[12];

	rng_seed(&r, seed, id, 0x5045524Full);
	memset(p, 0, sizeof *p);
	p->male = chance(&r, 8600);
	p->eth = pick_index(&r, self_eth, sizeof self_eth / sizeof self_eth[0]);
	age = PICK(&r, age_ranges);
	if (strcmp(age, "under 10") == 0)
		lo = 8, hi = 9;
	else if (strcmp(age, "10-17") == 0)
		lo = 10, hi = 17;
	else if (strcmp(age, "18-24") == 0)
		lo = 18, hi = 24;
	else if (strcmp(age, "25-34") == 0)
		lo = 25, hi = 34;
	else
		lo = 35, hi = chance(&r, 7000) ? 50 : 72;
	years = lo + (int)below(&r, (uint32_t)(hi - lo + 1));
	dob = anchor - (int64_t)years * 36525 / 100 - below(&r, 365);
	{
		struct ymd b = civil_from_days(dob);

		p->y = b.y;
		p->m = b.m;
		p->d = b.d;
	}
	if (eth_group(p->eth, 'W') || eth_group(p->eth, 'O') || chance(&r, 5000)) {
		snprintf(p->first, sizeof p->first, "%s",
		         p->male ? ONE(&r, first_m) : ONE(&r, first_f));
		if (chance(&r, 600))
			snprintf(p->surname, sizeof p->surname, "%s-%s", ONE(&r, surnames),
			         ONE(&r, surnames));
		else
			snprintf(p->surname, sizeof p->surname, "%s", ONE(&r, surnames));
	} else {
		snprintf(p->first, sizeof p->first, "%s",
		         p->male ? ONE(&r, first_other_m) : ONE(&r, first_other_f));
		snprintf(p->surname, sizeof p->surname, "%s", ONE(&r, surnames_other));
	}
	p->name_order = chance(&r, 1200);
	k = 0;
	{
		uint32_t x = below(&r, 10000), acc = 0;

		for (k = 0; k < 3; k++) {
			acc += areas[k].w;
			if (x < acc)
				break;
		}
	}
	p->area = k;
	p->town = (int)below(&r, 6);
	snprintf(postcode, sizeof postcode, "%s %u%c%c", areas[k].towns[p->town].district,
	         below(&r, 10), "ABDEFGHJLNPQRSTUWXYZ"[below(&r, 20)],
	         "ABDEFGHJLNPQRSTUWXYZ"[below(&r, 20)]);
	snprintf(p->street, sizeof p->street, "%u %s", 1 + below(&r, 140), ONE(&r, streets));
	if (chance(&r, 1000))
		snprintf(p->address, sizeof p->address, "Flat %u, %s, %s, %s", 1 + below(&r, 12),
		         p->street, areas[k].towns[p->town].name, postcode);
	else
		snprintf(p->address, sizeof p->address, "%s, %s, %s", p->street,
		         areas[k].towns[p->town].name, postcode);
	if (years >= 12 && chance(&r, 4500)) {
		int yy = p->y + 14 + (int)below(&r, 6);

		if (chance(&r, 3000))
			snprintf(p->pnc, sizeof p->pnc, "%04d/%07u%c", yy, below(&r, 10000000),
			         'A' + (char)below(&r, 26));
		else
			snprintf(p->pnc, sizeof p->pnc, "%02d/%u%c", yy % 100,
			         100000 + below(&r, 900000), 'A' + (char)below(&r, 26));
	}
}

static const char *age_range_of(const struct person *p, int y, int m, int d)
{
	int age = y - p->y - ((m < p->m || (m == p->m && d < p->d)) ? 1 : 0);

	if (age < 10)
		return "under 10";
	if (age < 18)
		return "10-17";
	if (age < 25)
		return "18-24";
	if (age < 35)
		return "25-34";
	return "over 34";
}

static const char *officer_eth(struct rng *r, int eth)
{
	const char *s = self_eth[eth].v;

	if (strncmp(s, "White", 5) == 0)
		return "White";
	if (strncmp(s, "Asian", 5) == 0)
		return chance(r, 9000) ? "Asian" : "Other";
	if (strncmp(s, "Black", 5) == 0)
		return "Black";
	if (strncmp(s, "Mixed", 5) == 0)
		return chance(r, 5000) ? "White" : chance(r, 6000) ? "Black" : "Other";
	if (strstr(s, "Not stated") != NULL)
		return chance(r, 8500) ? "White" : chance(r, 4000) ? "Other" : "Asian";
	return "Other";
}

struct tctx {
	struct rng *r;
	const struct person *p;
	const char *town, *vrm, *phone, *dob_text;
	bool anonymous; /* no identity recorded: the grounds do not name anyone either */
};

static void put(char *out, size_t cap, size_t *n, const char *s)
{
	size_t l = strlen(s);

	if (*n + l >= cap)
		l = cap - 1 - *n;
	memcpy(out + *n, s, l);
	*n += l;
	out[*n] = '\0';
}

static void expand(const struct tctx *c, const char *tpl, char *out, size_t cap, size_t *n)
{
	const struct person *p = c->p;
	char name[96], postcode[12];
	const char *pc;

	for (; *tpl && *n + 1 < cap; tpl++) {
		if (*tpl != '{' || tpl[1] == '\0' || tpl[2] != '}') {
			out[(*n)++] = *tpl;
			out[*n] = '\0';
			continue;
		}
		if (c->anonymous && strchr("NASD", tpl[1]) != NULL) {
			put(out, cap, n,
			    tpl[1] == 'N'   ? (p->male ? "the male" : "the female")
			    : tpl[1] == 'D' ? "unknown"
			                    : "a nearby street");
			tpl += 2;
			continue;
		}
		switch (tpl[1]) {
		case 'N':
			switch (below(c->r, 3)) {
			case 0:
				snprintf(name, sizeof name, "%s %s", p->first, p->surname);
				break;
			case 1:
				snprintf(name, sizeof name, "%s", p->first);
				break;
			default:
				snprintf(name, sizeof name, "%s", p->surname);
			}
			put(out, cap, n, name);
			break;
		case 'A':
			put(out, cap, n, p->address);
			break;
		case 'S':
			put(out, cap, n, p->street);
			break;
		case 'C':
			pc = strrchr(p->address, ',');
			snprintf(postcode, sizeof postcode, "%s", pc ? pc + 2 : "");
			put(out, cap, n, postcode);
			break;
		case 'D':
			put(out, cap, n, c->dob_text);
			break;
		case 'T':
			put(out, cap, n, c->town);
			break;
		case 'V':
			put(out, cap, n, c->vrm);
			break;
		case 'P':
			put(out, cap, n, c->phone);
			break;
		case 'h':
			put(out, cap, n, p->male ? "he" : "she");
			break;
		case 'H':
			put(out, cap, n, p->male ? "his" : "her");
			break;
		case 'm':
			put(out, cap, n, p->male ? "him" : "her");
			break;
		default:
			break;
		}
		tpl += 2;
	}
}

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

int ss_synth_row(const struct ss_synth_opts *o, size_t i, struct ss_synth_row *row)
{
	struct rng r;
	struct person p;
	struct tctx tc;
	const char *leg, *obj, *out_v, *type, *bwv;
	char vrm[16], phone[24], dob_text[32];
	int y, m, err, day, hh, mm, area, town, k;
	int64_t t, anchor;
	struct ymd ud;
	bool vehicle_only, has_person;
	size_t n;
	uint64_t pool, month_key;

	if ((err = check_opts(o, &y, &m)) != 0)
		return err;
	if (i >= o->count)
		return ss_error_set(SS_EUSAGE, _("row %zu is past the month's %zu rows"), i,
		                    o->count);
	memset(row, 0, sizeof *row);
	for (k = 0; k < SS_SC_COUNT; k++)
		row->col[k] = "";
	month_key = (uint64_t)(y * 12 + m);
	rng_seed(&r, o->seed, month_key, (uint64_t)i + 1);

	type = PICK(&r, types);
	row->col[SS_SC_TYPE] = type;
	vehicle_only = strcmp(type, "Vehicle search") == 0;

	/* Date: a third stamped at local midnight (as the published files are), the
	 * rest through the day, busiest in the evening. */
	day = 1 + (int)below(&r, (uint32_t)days_in_month(y, m));
	if (chance(&r, 3500)) {
		hh = mm = 0;
	} else {
		static const struct wv hours[] = {
		    {"0", 5},  {"1", 4},  {"2", 3},  {"3", 2},  {"4", 1},  {"5", 1},
		    {"6", 1},  {"7", 2},  {"8", 3},  {"9", 4},  {"10", 5}, {"11", 5},
		    {"12", 6}, {"13", 6}, {"14", 7}, {"15", 8}, {"16", 9}, {"17", 9},
		    {"18", 9}, {"19", 9}, {"20", 9}, {"21", 9}, {"22", 8}, {"23", 7}};
		hh = atoi(PICK(&r, hours));
		mm = (int)below(&r, 60);
	}
	t = local_to_utc(y, m, day, hh, mm, 0);
	ud = civil_from_days(t / 86400);
	snprintf(row->s_date, sizeof row->s_date, "%04d-%02d-%02dT%02d:%02d:%02d+00:00", ud.y, ud.m,
	         ud.d, (int)(t % 86400 / 3600), (int)(t % 3600 / 60), (int)(t % 60));
	row->col[SS_SC_DATE] = row->s_date;

	/* The subject: one of a pool that recurs (across months too, for one seed),
	 * or someone searched once. */
	pool = o->count / 30 + 1;
	has_person = !vehicle_only;
	if (chance(&r, 1800)) {
		row->person = 1 + below(&r, (uint32_t)(pool < 4000000000u ? pool : 4000000000u));
		anchor = ss_days_from_civil(2022, 6, 15);
	} else {
		row->person = (1ull << 62) | (month_key << 32) | (uint64_t)i;
		anchor = ss_days_from_civil(y, m, 15);
	}
	make_person(o->seed, row->person, anchor, &p);
	if (p.y > y - 8) {
		/* A recurring person drawn for a much earlier month: make them older. */
		p.y -= 20;
		if (p.m == 2 && p.d == 29)
			p.d = 28;
	}

	area = chance(&r, 9000) ? p.area : (int)below(&r, 4);
	town = area == p.area ? (chance(&r, 7000) ? p.town : (int)below(&r, 6)) : (int)below(&r, 6);
	row->col[SS_SC_AREA] = areas[area].name;
	if (chance(&r, 8500)) {
		double lat = areas[area].towns[town].lat + ((double)below(&r, 6001) - 3000) / 1e5;
		double lon = areas[area].towns[town].lon + ((double)below(&r, 8001) - 4000) / 1e5;

		snprintf(row->s_lat, sizeof row->s_lat, "%.6f", lat);
		snprintf(row->s_lon, sizeof row->s_lon, "%.6f", lon);
		row->col[SS_SC_LATITUDE] = row->s_lat;
		row->col[SS_SC_LONGITUDE] = row->s_lon;
	}

	leg = PICK(&r, legislations);
	row->col[SS_SC_LEGISLATION] = leg;
	if (strcmp(leg, MDA) == 0)
		obj = chance(&r, 9940) ? "Controlled drugs" : "Anything to threaten or harm anyone";
	else if (strcmp(leg, PACE) == 0)
		obj = PICK(&r, objects_pace);
	else if (strcmp(leg, S60) == 0)
		obj = PICK(&r, objects_s60);
	else if (strcmp(leg, S47) == 0)
		obj = "Firearms";
	else
		obj = PICK(&r, objects_blank);
	row->col[SS_SC_OBJECT] = obj;
	if (strcmp(leg, S60) == 0 && chance(&r, 6000)) {
		row->col[SS_SC_OPERATION] = "True";
		row->col[SS_SC_OPERATION_NAME] = "Operation Tarian";
	}

	out_v = PICK(&r, outcomes);
	if (strcmp(out_v, "Khat or Cannabis warning") == 0 && strcmp(obj, "Controlled drugs") != 0)
		out_v = "A no further action disposal";
	row->col[SS_SC_OUTCOME] = out_v;
	if (strcmp(out_v, "A no further action disposal") == 0)
		row->col[SS_SC_OUTCOME_LINKED] = chance(&r, 8000)   ? ""
		                                 : chance(&r, 8000) ? "False"
		                                                    : "True";
	else if (strcmp(out_v, "Arrest") == 0)
		row->col[SS_SC_OUTCOME_LINKED] = chance(&r, 5300)   ? "False"
		                                 : chance(&r, 8700) ? ""
		                                                    : "True";
	else
		row->col[SS_SC_OUTCOME_LINKED] = chance(&r, 7500)   ? "False"
		                                 : chance(&r, 7000) ? ""
		                                                    : "True";
	row->col[SS_SC_REMOVAL] = !vehicle_only && chance(&r, 260) ? "True" : "False";

	if (has_person) {
		row->col[SS_SC_GENDER] = chance(&r, 150) ? "" : p.male ? "Male" : "Female";
		row->col[SS_SC_AGE_RANGE] =
		    chance(&r, 50) ? "" : age_range_of(&p, ud.y, ud.m, ud.d);
		row->col[SS_SC_SELF_ETHNICITY] = chance(&r, 180) ? "" : self_eth[p.eth].v;
		row->col[SS_SC_OFFICER_ETHNICITY] = chance(&r, 20) ? "" : officer_eth(&r, p.eth);
	}

	snprintf(row->s_ref, sizeof row->s_ref, "DP-%04d-%02d-%06zu", y, m, i + 1);
	row->col[SS_SC_REFERENCE] = row->s_ref;
	if (!chance(&r, 50)) {
		/* About 60 officers; a dozen do most of the searching. */
		uint32_t off = chance(&r, 5000) ? below(&r, 12) : below(&r, 60);
		uint32_t salt = (uint32_t)(o->seed % 9000);

		snprintf(row->s_officer, sizeof row->s_officer, "%u",
		         1000 + (off * 7919u + salt) % 9000u);
		row->col[SS_SC_OFFICER] = row->s_officer;
	}
	bwv = PICK(&r, bwvs);
	if (strcmp(bwv, "ref") == 0) {
		snprintf(row->s_bwv, sizeof row->s_bwv, "BWV-%08u", below(&r, 100000000));
		bwv = row->s_bwv;
	}
	row->col[SS_SC_BWV] = bwv;

	/* Things the grounds may mention. */
	snprintf(vrm, sizeof vrm, "%c%c%02u %c%c%c", plate_letters[below(&r, 23)],
	         plate_letters[below(&r, 23)], 10 + below(&r, 15) + (chance(&r, 5000) ? 50 : 0),
	         plate_letters[below(&r, 23)], plate_letters[below(&r, 23)],
	         plate_letters[below(&r, 23)]);
	switch (below(&r, 4)) {
	case 0:
		snprintf(phone, sizeof phone, "07700 900%03u", below(&r, 1000));
		break;
	case 1:
		snprintf(phone, sizeof phone, "07700900%03u", below(&r, 1000));
		break;
	case 2:
		snprintf(phone, sizeof phone, "+44 7700 900%03u", below(&r, 1000));
		break;
	default:
		snprintf(phone, sizeof phone, "01632 960%03u", below(&r, 1000));
	}

	if (has_person && !chance(&r, 200)) {
		row->dob_iso[0] = '\0';
		snprintf(row->dob_iso, sizeof row->dob_iso, "%04d-%02d-%02d", p.y, p.m, p.d);
		if (chance(&r, 6000))
			snprintf(row->s_dob, sizeof row->s_dob, "%02d/%02d/%04d", p.d, p.m, p.y);
		else
			snprintf(row->s_dob, sizeof row->s_dob, "%s", row->dob_iso);
		row->col[SS_SC_DOB] = row->s_dob;
		/* Written one way per person (the order of the words changes the
		 * pseudonym; case and spacing do not). */
		if (p.name_order) {
			snprintf(row->s_name, sizeof row->s_name, "%s", p.surname);
			ascii_upper(row->s_name);
			n = strlen(row->s_name);
			snprintf(row->s_name + n, sizeof row->s_name - n, ", %s", p.first);
		} else {
			snprintf(row->s_name, sizeof row->s_name, "%s %s", p.first, p.surname);
			if (chance(&r, 800))
				ascii_upper(row->s_name);
		}
		if (chance(&r, 300)) {
			/* Stray spaces, as typed. */
			n = strlen(row->s_name);
			memmove(row->s_name + 2, row->s_name, n + 1);
			memcpy(row->s_name, "  ", 2);
			memcpy(row->s_name + n + 2, " ", 2);
		}
		row->col[SS_SC_NAME] = row->s_name;
		snprintf(row->s_address, sizeof row->s_address, "%s", p.address);
		row->col[SS_SC_ADDRESS] = row->s_address;
		snprintf(row->street, sizeof row->street, "%s", p.street);
		snprintf(row->s_pnc, sizeof row->s_pnc, "%s", p.pnc);
		row->col[SS_SC_PNC] = row->s_pnc;
		snprintf(row->first, sizeof row->first, "%s", p.first);
		snprintf(row->surname, sizeof row->surname, "%s", p.surname);
	} else {
		row->person = 0;
	}

	if (chance(&r, 2000))
		snprintf(dob_text, sizeof dob_text, "%d %s %04d", p.d, month_names[p.m - 1], p.y);
	else if (row->s_dob[0])
		snprintf(dob_text, sizeof dob_text, "%s", row->s_dob);
	else
		snprintf(dob_text, sizeof dob_text, "%02d/%02d/%04d", p.d, p.m, p.y);
	tc.r = &r;
	tc.p = &p;
	tc.town = areas[area].towns[town].name;
	tc.vrm = vrm;
	tc.phone = phone;
	tc.dob_text = dob_text;
	tc.anonymous = row->s_name[0] == '\0';
	n = 0;
	row->s_grounds[0] = '\0';
	if (!chance(&r, 150)) {
		const char *tpl;

		if (vehicle_only)
			tpl = ONE(&r, grounds_vehicle);
		else if (strcmp(obj, "Controlled drugs") == 0)
			tpl = ONE(&r, grounds_drugs);
		else if (strcmp(leg, S60) == 0)
			tpl = ONE(&r, grounds_s60);
		else if (strcmp(obj, "Firearms") == 0)
			tpl = ONE(&r, grounds_s47);
		else if (strcmp(obj, "Anything to threaten or harm anyone") == 0 ||
		         strcmp(obj, "Offensive weapons") == 0)
			tpl = ONE(&r, grounds_weapons);
		else
			tpl = ONE(&r, grounds_theft);
		expand(&tc, tpl, row->s_grounds, sizeof row->s_grounds, &n);
		if (!vehicle_only && chance(&r, 6000)) {
			put(row->s_grounds, sizeof row->s_grounds, &n, " ");
			expand(&tc, ONE(&r, grounds_more), row->s_grounds, sizeof row->s_grounds,
			       &n);
		}
		/* Some officers write in capitals. */
		if (chance(&r, 800))
			ascii_upper(row->s_grounds);
		row->col[SS_SC_GROUNDS] = row->s_grounds;
	}
	return 0;
}

int ss_synth_csv_field(struct ss_buf *b, const char *s)
{
	const char *q;
	int err;

	if (strpbrk(s, ",\"\r\n") == NULL)
		return ss_buf_puts(b, s);
	if ((err = ss_buf_putc(b, '"')) != 0)
		return err;
	while ((q = strchr(s, '"')) != NULL) {
		if ((err = ss_buf_put(b, s, (size_t)(q - s + 1))) != 0 ||
		    (err = ss_buf_putc(b, '"')) != 0)
			return err;
		s = q + 1;
	}
	if ((err = ss_buf_puts(b, s)) != 0)
		return err;
	return ss_buf_putc(b, '"');
}

int ss_synth_write(FILE *f, const struct ss_synth_opts *o)
{
	struct ss_buf b = SS_BUF_INIT;
	struct ss_synth_row *row = NULL;
	size_t i;
	int y, m, k, err;

	if ((err = check_opts(o, &y, &m)) != 0)
		return err;
	row = malloc(sizeof *row);
	if (row == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (k = 0; k < SS_SC_COUNT; k++)
		if ((err = ss_buf_puts(&b, ss_csv_column(k))) != 0 ||
		    (err = ss_buf_putc(&b, k + 1 < SS_SC_COUNT ? ',' : '\n')) != 0)
			goto out;
	for (i = 0; i < o->count; i++) {
		if ((err = ss_synth_row(o, i, row)) != 0)
			goto out;
		for (k = 0; k < SS_SC_COUNT; k++)
			if ((err = ss_synth_csv_field(&b, row->col[k])) != 0 ||
			    (err = ss_buf_putc(&b, k + 1 < SS_SC_COUNT ? ',' : '\n')) != 0)
				goto out;
		if (b.len >= 1 << 16 || i + 1 == o->count) {
			if (fwrite(b.data, 1, b.len, f) != b.len) {
				err = ss_error_set(SS_EIO, _("cannot write the synthetic month"));
				goto out;
			}
			ss_buf_reset(&b);
		}
	}
	if (fflush(f) != 0)
		err = ss_error_set(SS_EIO, _("cannot write the synthetic month"));
out:
	free(row);
	ss_buf_release(&b);
	return err;
}
