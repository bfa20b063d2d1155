# Blanks are never zeros, on a real month: the Metropolitan Police's file
# leaves the strip-search and outcome-linked columns blank in every row, so
# the report must say "not recorded" for both (JSON: null, recorded 0) in
# every format, never 0 or 0.0%.
. "$(dirname "$0")/env.sh"
CSV="$DATA/2021-10-metropolitan-stop-and-search.csv"
[ -f "$CSV" ] || skip "no shared data.police.uk file for the Met, 2021-10 ($CSV)"
command -v python3 >/dev/null || skip "python3 is needed to read the JSON"
export SSAUDIT_FSYNC=0
M=2021-10

# the file really has those columns blank in every row (else this test proves nothing)
python3 - "$CSV" <<'PY' || fail "the Met's file has strip-search or outcome-linked values"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
for col in ("Removal of more than just outer clothing", "Outcome linked to object of search"):
    assert all(r[col].strip() == "" for r in rows), col
print(len(rows), "rows")
PY

founder
expect 0 --as coord import "$M" "$CSV"

expect 0 report "$M"
out_has "Strip searches (more than outer clothing removed): not recorded"
out_has "Outcome linked to the object of the search: not recorded"
grep -E "^ *(Strip searches|Outcome linked)[^:]*: 0" "$T/out" && fail "text shows a blank field as 0"
ok "text: strip searches and outcome linked read 'not recorded'"

expect 0 report "$M" --format json
python3 - "$T/out" <<'PY' || fail "JSON reports a blank field as a number"
import json, sys
pop = json.load(open(sys.argv[1]))["population"]
n = pop["searches"]["count"]
assert n > 10000, n
for k in ("strip_searches", "linked"):
    f = pop[k]
    assert f["count"] is None and f["percent"] is None and f["denominator"] is None, (k, f)
    assert f["recorded"] == 0 and f["not_recorded"] == n and f["shown"] == "not recorded", (k, f)
PY
ok "JSON: strip_searches and linked are null with recorded 0"

expect 0 report "$M" --format csv
out_has "population,$M,total,strip_searches,,,0,,not recorded"
out_has "population,$M,total,linked,,,0,,not recorded"
grep -qE "^population,$M,total,(strip_searches|linked),,0," "$T/out" && fail "CSV shows a blank field as 0"
ok "CSV: 'not recorded', no count"

expect 0 report "$M" --format html
python3 - "$T/out" <<'PY' || fail "HTML shows a blank field as a number"
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
for label in ("Strip searches (more than outer clothing removed)",
              "Outcome linked to the object of the search"):
    m = re.search(r'<div class="kpi"><b>([^<]*)</b><span>' + re.escape(label) + r'([^<]*)</span>', html)
    assert m, label
    assert m.group(1) == "not recorded", (label, m.group(1))
    assert "0.0%" not in m.group(2) and "0 of" not in m.group(2), m.group(2)
PY
ok "HTML: the figures read 'not recorded'"

# the sample's warnings come back in the report: the strip-search rule could
# not apply to a single search of the month (the field is blank in all of them)
expect 0 --as coord sample "$M" --seed 20211001000000000000
err_has "could not apply"
expect 0 report "$M"
out_has "Warnings:"
grep -qE "^    - the strip-search rule could not apply to [0-9,]+ searches whose field is blank" "$T/out" ||
	fail "the text report does not repeat the strip-search warning"
expect 0 report "$M" --format json
python3 - "$T/out" <<'PY' || fail "JSON has no strip-search warning in the month's sample"
import json, sys
s = json.load(open(sys.argv[1]))["sample"][0]
assert any("strip-search rule could not apply" in w for w in s["warnings"]), s["warnings"]
PY
expect 0 report "$M" --format html
grep -q '<ul class="warn"><li>the strip-search rule could not apply' "$T/out" ||
	fail "the HTML report does not show the strip-search warning"
ok "the report repeats the sample's strip-search warning (text, JSON, HTML)"
