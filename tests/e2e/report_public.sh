# The public report against the interval attack (DESIGN.md section 9): the
# attack (tests/attack/interval_attack.py, linear programming with scipy,
# sharing no code with ssaudit) reads `report --public --format json` and, for
# every hidden count, works out the smallest and largest value it could take
# from everything the report shows; every range must be at least min_count
# wide (or m, in a known margin m below it). Run on real months reviewed and
# corrected, on a range report over every shared real month, and on a crafted
# month with small counts in every table, built like the November 2021 month
# that gave its hidden counts away: not-reasonable 8 = White 6 + Black 2, a
# legislation row of three with two small cells, and positives as recorded
# 39 beside 41 as corrected.
. "$(dirname "$0")/env.sh"
ls "$DATA"/*-dyfed-powys-stop-and-search.csv >/dev/null 2>&1 ||
	skip "no shared data.police.uk files ($DATA)"
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3 # Debian's python, where python3-scipy lives
"$py" -c 'import scipy.optimize' 2>/dev/null ||
	skip "python3-scipy is not installed: the interval attack cannot run (apt-get install python3-scipy)"
ATTACK="$SS_SOURCE_DIR/tests/attack/interval_attack.py"
export SSAUDIT_FSYNC=0

founder
for h in li ii ro pcc; do person "$h" >"$T/$h.pub"; done
expect 0 --as coord reviewer add li --role local-inspector --name "Insp. Lowri Evans" \
	--email lowri@example.org --key "$(cat "$T/li.pub")"
expect 0 --as coord reviewer add pcc --role pcc-office --name "PCC Office" \
	--email pcc@example.org --key "$(cat "$T/pcc.pub")"
expect 0 --as pcc reviewer add ii --role independent-inspector --name "Insp. Ifan Jones" \
	--email ifan@example.org --key "$(cat "$T/ii.pub")"
expect 0 --as coord reviewer add ro --role records-officer --name "Rhys Records" \
	--email rhys@example.org --key "$(cat "$T/ro.pub")"

# attack FILE WHAT: the interval attack on a public JSON report.
attack() {
	"$py" "$ATTACK" "$1" >"$T/attack" 2>&1 ||
		{ cat "$T/attack" >&2; fail "$2: the interval attack narrowed a hidden count"; }
	ok "$2: $(tail -1 "$T/attack")"
}

# review MONTH WHO ROLE: WHO answers every record of the role's worksheet, the answers chosen from each record's ethnicity and legislation
# by the python below (crafted: the November 2021 pattern), then corrects
# outcomes: NEED_POS records from no further action to arrest.
review() {
	expect 0 --as "$2" pack "$1" --role "$3" --format csv -o "$T/sheet.csv"
	"$py" - "$T/sheet.csv" "$T/filled.csv" "$2" <<'EOF'
import csv, sys, zlib
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
who = sys.argv[3]
out = csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"))
head = ["month", "id", "role", "reviewer", "grounds", "conduct", "bwv", "record", "note"]
out.writerow(head)
white = black = 0
for r in rows:
    h = zlib.crc32((r["id"] + who).encode())
    eth = next((v for k, v in r.items() if k and "ethnicity" in k.lower()), "")
    g = ["reasonable", "reasonable", "reasonable", "not-reasonable",
         "insufficient-information"][h % 5]
    if eth == "White" and white < 6:
        g, white = "not-reasonable", white + 1
    elif eth == "Black" and black < 2:
        g, black = "not-reasonable", black + 1
    c = ["fair", "fair", "fair", "concerns", "unable-to-assess"][(h >> 3) % 5]
    b = ["viewed", "not-available", "not-viewed"][(h >> 6) % 3]
    out.writerow([r["month"], r["id"], r["role"], who, g, c, b, "", ""])
EOF
	expect 0 --as "$2" review "$1" --from "$T/filled.csv"
}

# correct MONTH N OUTCOME: N records of the month whose outcome is not
# OUTCOME corrected to it (the first by id).
correct() {
	expect 0 --json list "$1"
	"$py" - "$T/out" "$3" "$2" >"$T/fix" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
pick = [r["id"] for r in rows if r["record"].get("outcome") not in (sys.argv[2],)]
print("\n".join(sorted(pick)[:int(sys.argv[3])]))
EOF
	while read -r id; do
		expect 0 --as ro correct "$1" "$id" --outcome "$3" --reason "lab result"
	done <"$T/fix"
}

# Every shared Dyfed-Powys month imported and sampled; three reviewed by two
# inspectors and corrected.
n=0
for f in "$DATA"/*-dyfed-powys-stop-and-search.csv; do
	m=$(basename "$f" | cut -c1-7)
	expect 0 --as coord import "$m" "$f"
	expect 0 --as coord sample "$m" --seed "4242${m%-*}${m#*-}000000001"
	n=$((n + 1))
done
for m in 2019-06 2020-06 2020-11; do
	[ -f "$DATA/$m-dyfed-powys-stop-and-search.csv" ] || continue
	review "$m" li local-inspector
	review "$m" ii independent-inspector
	correct "$m" 2 Arrest
	correct "$m" 1 "A no further action disposal"
	expect 0 report "$m" --public --format json -o "$T/$m.json"
	attack "$T/$m.json" "real month $m, reviewed and corrected"
done
ok "$n real months imported and sampled"
first=$(basename "$(ls "$DATA"/*-dyfed-powys-stop-and-search.csv | head -1)" | cut -c1-7)
last=$(basename "$(ls "$DATA"/*-dyfed-powys-stop-and-search.csv | tail -1)" | cut -c1-7)
expect 0 report "$first..$last" --public --format json -o "$T/range.json"
"$py" - "$T/range.json" <<'EOF'
import json, sys
rep = json.load(open(sys.argv[1]))
ids = {t["id"] for t in rep["tables"]}
assert "trend-positive-as-corrected" in ids, sorted(ids)[:20]
assert any(r for r in rep["relations"]
           if any(t["table"] == "trend-positive-as-corrected" for t in r["terms"]))
EOF
attack "$T/range.json" "range report $first..$last (trend rows linked to the range's positives)"

# The crafted month: 160 searches, small counts in every breakdown.
"$py" - "$T/crafted.csv" <<'EOF'
import csv, sys
head = ["Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
        "Longitude", "Gender", "Age range", "Self-defined ethnicity", "Officer-defined ethnicity",
        "Legislation", "Object of search", "Outcome", "Outcome linked to object of search",
        "Removal of more than just outer clothing"]
w = csv.writer(open(sys.argv[1], "w", newline="", encoding="utf-8"))
w.writerow(head)
eth = ["White"] * 6 + ["Black"] * 2 + ["Asian", "Other", "Mixed", ""]
leg = ["Misuse of Drugs Act 1971 (section 23)"] * 5 + \
      ["Police and Criminal Evidence Act 1984 (section 1)"] * 3 + \
      ["Criminal Justice and Public Order Act 1994 (section 60)"]
out = ["Arrest"] * 2 + ["A no further action disposal"] * 6 + \
      ["Community resolution", "Summons / charged by post", "Penalty Notice for Disorder"]
for i in range(160):
    w.writerow(["Person search", "2018-12-%02dT10:00:00+00:00" % (1 + i % 28), "", "", "", "",
                ["Male", "Female", "Other", ""][i % 7 % 4],
                ["18-24", "25-34", "10-17", "over 34", ""][i % 9 % 5],
                "", eth[i % len(eth)], leg[i % len(leg)], "Controlled drugs",
                out[i % len(out)], ["True", "False", ""][i % 3], (["False"] * 9 + ["True"])[i % 10]])
EOF
expect 0 --as coord import 2018-12 "$T/crafted.csv"
expect 0 --as coord sample 2018-12 --seed 11111111112222222222
review 2018-12 li local-inspector
review 2018-12 ii independent-inspector
correct 2018-12 2 Arrest
correct 2018-12 3 "Community resolution"
expect 0 report 2018-12 --public --format json -o "$T/crafted.json"
expect 0 report 2018-12 --format json -o "$T/crafted-all.json"
"$py" - "$T/crafted-all.json" "$T/crafted.json" <<'EOF'
import json, sys
full, pub = (json.load(open(p)) for p in sys.argv[1:])
tf = {t["id"]: t for t in full["tables"]}
tp = {t["id"]: t for t in pub["tables"]}
assert tf.keys() == tp.keys()
small = hidden = 0
for tid, t in tf.items():
    if t["universe"] in ("searches", "progress") or tid.startswith(("sample-", "trend-s")):
        assert tp[tid] == t, tid  # public already: shown exactly
        continue
    for i, row in enumerate(t["cells"]):
        for j, v in enumerate(row):
            p = tp[tid]["cells"][i][j]
            assert p is None or p == v, (tid, i, j)
            small += 0 < v < 5
            hidden += p is None
            assert not (0 < v < 5) or p is None, (tid, t["rows"][i], t["cols"][j], v)
assert small >= 10, small  # a month with small counts in every protected table
# the November 2021 cases: a row of answers with its total shown, a
# legislation row of three, positives recorded and corrected
g = tf["findings-local-inspector-grounds-officer_defined_ethnicity"]
assert "not-reasonable" in g["cols"] and "Black" in g["rows"], g
assert full["corrections"]["positive_corrected"]["count"] != \
    full["corrections"]["positive_recorded"]["count"]
pc = tp["positive-corrected"]["cells"][0][0]
assert pc is None or all(c is None for row in tp["corrections-outcome"]["cells"] for c in row
                         if c != 0), "corrected positives shown beside shown corrections"
print(f"{small} small protected counts, {hidden} hidden")
EOF
ok "crafted month: every protected count from 1 to 4 hidden, the population exact"
attack "$T/crafted.json" "crafted month 2018-12 (small counts in every table)"
expect 0 report 2018-12 --public
out_has "[c]"
expect 0 report 2018-12 --public --format csv -o "$T/crafted.csv.out"
grep -q ',\[c\],' "$T/crafted.csv.out" || fail "the public CSV shows no [c]"
expect 0 report 2018-12 --public --format html -o "$T/crafted.html"
grep -q '\[c\]' "$T/crafted.html" || fail "the public HTML shows no [c]"
ok "text, CSV and HTML mark hidden counts [c]"
