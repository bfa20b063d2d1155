# Welsh and English (DESIGN section 2): --lang, SSAUDIT_LANG and the locale
# settings choose the language people read, Welsh works on a machine without
# a cy_GB locale, and nothing a machine reads (JSON, exit codes, the trail)
# changes with the language.
. "$(dirname "$0")/lib.sh"
unset SSAUDIT_LANG LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8

# --help in Welsh, with the terms Welsh forces use.
expect 0 --lang cy --help
out_has "gorchmynion:"
out_has "stopio a chwilio"
out_has "opsiynau cyffredinol:"
expect 0 --lang cy sample --help
out_has "defnydd: ssaudit sample MONTH [--seed SEED]"
out_has "Mae'r hedyn yn gyhoeddus"
expect 0 --lang en sample --help
out_has "usage: ssaudit sample MONTH"
ok "--help in Welsh and English"

# A bad month: the same exit code, the message in the language asked for.
expect 2 --lang cy list 2021-13
err_has "nid yw '2021-13' yn fis: ysgrifennwch ef fel BBBB-MM"
expect 2 --lang=en list 2021-13
err_has "'2021-13' is not a month: write it as YYYY-MM"
ok "a bad month in Welsh (exit 2 either way)"

# The environment: SSAUDIT_LANG, else LC_ALL / LC_MESSAGES / LANG.
SSAUDIT_LANG=cy expect 2 list 2021-13
err_has "nid yw '2021-13' yn fis"
if locale -a 2>/dev/null | grep -qi '^cy_GB'; then
	echo "note: this machine has a cy_GB locale; the test below still holds"
fi
LANG=cy_GB.UTF-8 expect 2 list 2021-13
err_has "nid yw '2021-13' yn fis"
LC_ALL=cy_GB.UTF-8 expect 2 list 2021-13
err_has "nid yw '2021-13' yn fis"
LC_ALL=en_GB.UTF-8 LANG=cy_GB.UTF-8 expect 2 list 2021-13
err_has "'2021-13' is not a month"
SSAUDIT_LANG=en LANG=cy_GB.UTF-8 expect 2 list 2021-13
err_has "'2021-13' is not a month"
LANG=cy_GB.UTF-8 expect 2 --lang en list 2021-13
err_has "'2021-13' is not a month"
SSAUDIT_LANG=fr expect 2 list 2026-10
err_has "SSAUDIT_LANG: 'fr' is not a language"
expect 2 --lang de list 2026-10
err_has "'de' is not a language: use en (English), cy (Welsh) or cy+en"
ok "SSAUDIT_LANG, then the locale settings (cy_GB without the locale installed), --lang first"

# The same month made in Welsh and in English: the same trees, the same commit
# messages; JSON output identical, decimal points kept.
export SSAUDIT_TEST=1 SSAUDIT_NOW=1790000000
"$SSAUDIT" synth --month 2026-10 --count 200 --seed 3 -o "$T/m.csv" 2>/dev/null
for lang in cy en; do
	export SSAUDIT_TRAIL="$T/$lang.git"
	review_policy "$T/p.json" 25%
	# an always-rule on the outcome, which some synthetic records leave blank,
	# and no random core: the sample warns, in the language asked for
	python3 - "$T/p.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["sample"]["always"] = [{"field": "outcome", "equals": "Arrest"}]
json.dump(p, open(sys.argv[1], "w"), indent=2)
PY
	founder "$T/p.json"
	expect 0 --lang $lang --as coord import 2026-10 "$T/m.csv"
	expect 0 --lang $lang --as coord sample 2026-10 --seed 42
	cp "$T/out" "$T/$lang-sample.txt"
	cp "$T/err" "$T/$lang-sample.err"
	expect 0 --lang $lang --json --as coord report 2026-10 --format json
	cp "$T/out" "$T/$lang-report-sample.json"
	for what in "list 2026-10" "reviewer list" "check $T/m.csv" "report 2026-10 --format json"; do
		expect 0 --lang $lang --json $what
		cp "$T/out" "$T/$lang-$(echo "$what" | cut -d' ' -f1).json"
	done
	git --git-dir "$SSAUDIT_TRAIL" log --format='%T %B' main >"$T/$lang.log"
done
cmp -s "$T/cy.log" "$T/en.log" || fail "the trail differs with the language: $(diff "$T/cy.log" "$T/en.log" | head)"
for f in list reviewer check report; do
	cmp -s "$T/cy-$f.json" "$T/en-$f.json" || fail "--json $f differs with the language"
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/cy-$f.json" || fail "--json $f in Welsh does not parse"
done
grep -Eq '[0-9]\.[0-9]' "$T/cy-report.json" || fail "no decimal point in the Welsh JSON report"
ok "trees, commit messages and JSON identical in Welsh and English; decimal points kept"

# The sample's warnings as printed follow the language; what the trail and
# the report's JSON keep of them is the English (the trees compared above).
grep -qF "ni allai rheol 1 (Canlyniad) fod yn berthnasol i" "$T/cy-sample.err" ||
	fail "the sample's warning is not in Welsh: $(cat "$T/cy-sample.err")"
grep -qF "could not apply" "$T/cy-sample.err" && fail "an English warning in Welsh: $(cat "$T/cy-sample.err")"
grep -qF "rule 1 (outcome) could not apply to" "$T/en-sample.err" ||
	fail "the sample's warning in English: $(cat "$T/en-sample.err")"
grep -qF "nid oes sample.random gan y polisi" "$T/cy-sample.err" ||
	fail "the policy's warning is not in Welsh: $(cat "$T/cy-sample.err")"
grep -qF "hedyn:" "$T/cy-sample.txt" && grep -qF "HAEN" "$T/cy-sample.txt" ||
	fail "the sample's summary is not in Welsh: $(cat "$T/cy-sample.txt")"
cmp -s "$T/cy-report-sample.json" "$T/en-report-sample.json" || fail "the report's JSON (warnings) differs"
grep -qF "rule 1 (outcome) could not apply" "$T/cy-report-sample.json" ||
	fail "the report's JSON lost the English warning"
ok "the sample's warnings and summary in Welsh on screen, English in the JSON"

# show, history and list: Welsh words in the text, the same --json.
export SSAUDIT_TRAIL="$T/cy.git"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/cy-list.json")
for what in "show 2026-10 $id" "history 2026-10" "history 2026-10 $id" "list 2026-10 --role panel"; do
	expect 0 --lang cy --json $what
	cp "$T/out" "$T/cy.json"
	expect 0 --lang en --json $what
	cmp -s "$T/cy.json" "$T/out" || fail "--json $what differs with the language"
done
expect 0 --lang cy show 2026-10 "$id"
out_has "Dyddiad ac amser"
out_has "Gwrthrych y chwiliad"
out_has "yn y sampl"
grep -qE "^(datetime|sampled|outcome) " "$T/out" && fail "show in Welsh has English field names: $(cat "$T/out")"
expect 0 --lang en show 2026-10 "$id"
out_has "datetime"
out_has "sampled "
expect 0 --lang cy list 2026-10
out_has "RHESWM"
out_has "PRYD (AMSER Y DU)"
expect 0 --lang cy history 2026-10
out_has "Medi 2026"
ok "show, list and history in Welsh; their --json unchanged"

# A role and a permission inside a Welsh sentence are Welsh words (the id
# stays in English sentences); a month inside a message has its Welsh name.
ss --lang cy --as coord review 2026-10 "$id" --grounds reasonable --conduct fair
rc_cy=$rc
err_has "mae gan coord y rôl cydlynydd y panel"
err_has "nid yw'r polisi'n caniatáu cofnodi dyfarniadau"
grep -qE "coordinator|record verdicts" "$T/err" && fail "English words in a Welsh sentence: $(cat "$T/err")"
ss --lang en --as coord review 2026-10 "$id" --grounds reasonable --conduct fair
[ "$rc" = "$rc_cy" ] || fail "the exit code differs with the language ($rc_cy, $rc)"
err_has "coord is a coordinator, and the policy does not let a coordinator record verdicts"
expect 1 --lang cy --as coord sample 2026-10
err_has "mae Hydref 2026 wedi'i samplu eisoes"
expect 1 --lang en --as coord sample 2026-10
err_has "October 2026 has already been sampled"
ok "role, permission and month names in Welsh sentences"

# The newer commands speak Welsh too: respond's --help, and correct --from's
# refusal of a file saved with semicolons (exit 65 either way, the trail
# unchanged, the line and column as in English).
expect 0 --lang cy respond --help
out_has "Yn cofnodi beth wnaeth yr heddlu am gofnod ar y rhestr i'w dilyn i fyny"
expect 0 --lang cy reveal --help
out_has "Deddf Diogelu Data 2018"
git --git-dir "$SSAUDIT_TRAIL" show main:months/2026-10/population.jsonl >"$T/pop.jsonl"
id=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["id"])' "$T/pop.jsonl")
printf 'id;outcome;reason\n%s;Arrest;lab\n' "$id" >"$T/semi.csv"
before=$(git --git-dir "$SSAUDIT_TRAIL" rev-parse main)
expect 65 --lang cy --as coord correct 2026-10 --from "$T/semi.csv"
err_has "semi.csv:1:1: mae'r colofnau wedi'u gwahanu gan hanner colonau, nid comas"
expect 65 --lang en --as coord correct 2026-10 --from "$T/semi.csv"
err_has "semi.csv:1:1: the columns are separated by semicolons, not commas"
expect 2 --lang cy --as coord correct 2026-10 "$id" --from "$T/semi.csv"
err_has "gyda --from, rhowch y mis yn unig"
[ "$(git --git-dir "$SSAUDIT_TRAIL" rev-parse main)" = "$before" ] ||
	fail "a refused correction file changed the trail"
ok "respond, reveal and correct --from in Welsh (same exit codes, trail unchanged)"

# The policy loader's refusals too, with the same place in the file.
sed 's/"rate": "25%"/"rate": "250%"/' "$T/p.json" >"$T/bad-policy.json"
expect 78 --lang cy --as coord policy set "$T/bad-policy.json"
err_has 'sample.rate: nid yw "250%" yn gyfradd fel "25%" neu "12.5%"'
expect 78 --lang en --as coord policy set "$T/bad-policy.json"
err_has 'sample.rate: "250%" is not a rate like "25%" or "12.5%"'
[ "$(git --git-dir "$SSAUDIT_TRAIL" rev-parse main)" = "$before" ] ||
	fail "a refused policy changed the trail"
ok "a bad policy refused in Welsh (exit 78 either way)"

# verify in Welsh: an honest trail verifies with the same words in the
# language asked for; a commit added with stock git (unsigned, a file the
# layout has no place for) is a problem named in Welsh, exit 1 either way;
# --json has the same keys, ids and commits in both languages.
expect 0 --lang cy verify
out_has "wedi gwirio"
out_has "id y llwybr:  "
for lang in cy en; do
	expect 0 --lang $lang --json verify
	cp "$T/out" "$T/verify-ok-$lang.json"
done
cmp -s "$T/verify-ok-cy.json" "$T/verify-ok-en.json" || fail "verify --json of an honest trail differs with the language"
git_() { git --git-dir "$SSAUDIT_TRAIL" "$@"; }
printf 'a note\n' >"$T/note.txt"
blob=$(git_ hash-object -w "$T/note.txt")
tree=$( (git_ ls-tree main; printf '100644 blob %s\tnote.txt\n' "$blob") | git_ mktree)
bad=$(GIT_AUTHOR_NAME=x GIT_AUTHOR_EMAIL=x@example.org GIT_COMMITTER_NAME=x \
	GIT_COMMITTER_EMAIL=x@example.org git_ commit-tree -p main -m "a note" "$tree")
git_ update-ref refs/heads/main "$bad"
expect 1 --lang cy verify
out_has "PROBLEM  ymrwymiad $bad  note.txt"
out_has "nid yw'r ymrwymiad wedi'i lofnodi"
out_has "ffeil nad oes lle iddi yng nghynllun y llwybr"
out_has "HEB EI WIRIO:"
grep -q "is not signed\|NOT VERIFIED" "$T/out" && fail "verify in Welsh still speaks English: $(cat "$T/out")"
expect 1 --lang en verify
out_has "the commit is not signed"
out_has "NOT VERIFIED:"
for lang in cy en; do
	expect 1 --lang $lang --json verify
	cp "$T/out" "$T/verify-$lang.json"
done
python3 - "$T/verify-cy.json" "$T/verify-en.json" "$bad" <<'PY' || fail "verify --json differs with the language beyond its reasons"
import json, sys
cy, en = (json.load(open(f)) for f in sys.argv[1:3])
def shape(d):
    d = dict(d)
    d["problems"] = [(p["commit"], p["path"], sorted(p)) for p in d["problems"]]
    d["clock_warnings"] = [(c["commit"], sorted(c)) for c in d["clock_warnings"]]
    return d
assert list(cy) == list(en), (list(cy), list(en))
assert shape(cy) == shape(en)
assert cy["ok"] is False and any(p["commit"] == sys.argv[3] for p in cy["problems"])
assert any("lofnodi" in p["reason"] for p in cy["problems"])
assert any("not signed" in p["reason"] for p in en["problems"])
PY
ok "verify's problems in Welsh (exit 1 either way); --json the same but for its reasons"
