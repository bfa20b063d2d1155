# The report end to end on a real trail: a data.police.uk month imported and
# sampled, verdicts by three roles (panel members' entered by the secretary,
# one record split evenly between two members), an outcome corrected; then
# every format, with the figures worked out again in Python from the CSV
# file, the policy and the verdicts given, not from ssaudit's own output.
. "$(dirname "$0")/env.sh"
CSV="$DATA/2019-06-dyfed-powys-stop-and-search.csv"
[ -f "$CSV" ] || skip "no shared data.police.uk file for 2019-06 ($CSV)"
command -v python3 >/dev/null || skip "python3 is needed to check the figures"
export SSAUDIT_FSYNC=0
M=2019-06

founder
expect 0 --as coord import "$M" "$CSV"
expect 0 --as coord sample "$M" --seed 20190601123456789012
for h in insp-local insp-ind pcc sec ro; do person "$h" >"$T/$h.pub"; done
expect 0 --as coord reviewer add insp-local --role local-inspector --name "Insp. Lowri Evans" \
	--email lowri@example.org --key "$(cat "$T/insp-local.pub")"
expect 0 --as coord reviewer add ro --role records-officer --name "Rhys Records" \
	--email rhys@example.org --key "$(cat "$T/ro.pub")"
expect 0 --as coord reviewer add pcc --role pcc-office --name "PCC Office" \
	--email pcc@example.org --key "$(cat "$T/pcc.pub")"
expect 0 --as pcc reviewer add insp-ind --role independent-inspector --name "Insp. Ifan Jones" \
	--email ifan@example.org --key "$(cat "$T/insp-ind.pub")"
expect 0 --as pcc reviewer add sec --role panel-secretary --name "Sian Secretary" \
	--email sian@example.org --key "$(cat "$T/sec.pub")"
expect 0 --as pcc reviewer add m1 --role qa-panel --name "Aled Member" --email aled@example.org
expect 0 --as pcc reviewer add m2 --role qa-panel --name "Bethan Member" --email bethan@example.org
ok "a real month imported and sampled; three reviewing roles registered"

expect 0 --json list "$M" --role qa-panel
python3 -c 'import json,sys; print("\n".join(r["id"] for r in json.load(open(sys.argv[1]))))' \
	"$T/out" >"$T/ids"
mapfile -t ID <"$T/ids"
[ "${#ID[@]}" -ge 12 ] || fail "the panel has fewer than 12 records"

# Grounds on the panel's first 12 records (R reasonable, N not-reasonable, I insufficient).
L=(R R R R R N N R I R N R)
J=(R R N R R N R R I I N R)
word() { case $1 in R) echo reasonable ;; N) echo not-reasonable ;; I) echo insufficient-information ;; esac; }
for i in $(seq 0 11); do
	conduct=fair
	[ "$i" = 5 ] && conduct=concerns
	note=()
	[ "$i" = 5 ] && note=(--note "Grounds: a smell of cannabis only, nothing else")
	expect 0 --as insp-local review "$M" "${ID[$i]}" --grounds "$(word "${L[$i]}")" \
		--conduct "$conduct" --bwv viewed "${note[@]}"
	expect 0 --as insp-ind review "$M" "${ID[$i]}" --grounds "$(word "${J[$i]}")" \
		--conduct fair --bwv not-available
done
# The panel: record 0 both members reasonable; record 1 split (a tie); 2 and 3 one member.
panel() { expect 0 --as sec review "$M" "${ID[$2]}" --for "$1" --grounds "$(word "$3")" \
	--conduct fair --bwv not-viewed; }
panel m1 0 R
panel m2 0 R
panel m1 1 N
panel m2 1 R
panel m1 2 N
panel m1 3 R
ok "30 verdicts recorded"

# Correct one search with no further action to an arrest (a later charge).
expect 0 --json list "$M" --role qa-panel
python3 - "$T/out" "$T/fix" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
pick = next(r for r in rows if r["record"]["outcome"] == "A no further action disposal")
open(sys.argv[2], "w").write(pick["id"])
EOF
FIX=$(cat "$T/fix")
expect 0 --as ro correct "$M" "$FIX" --outcome Arrest --reason "charged after the lab result"
ok "an outcome corrected"

expect 0 report "$M" --format json -o "$T/r.json"
expect 0 --json report "$M"
cmp -s "$T/out" "$T/r.json" || fail "--json and --format json differ"
python3 - "$T/r.json" "$CSV" "$POLICY" "$T/ids" "$T/fix" <<'EOF'
import csv, json, sys
from fractions import Fraction

rep = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")))
pol = json.load(open(sys.argv[3]))
ids = open(sys.argv[4]).read().split()
fix = open(sys.argv[5]).read().strip()
assert rep["format"] == "ssaudit-report-v1"
p = rep["population"]
n = len(rows)
positive = sum(r["Outcome"] in pol["outcomes"]["positive"] for r in rows)
strip = sum(r["Removal of more than just outer clothing"] == "True" for r in rows)
children = sum(r["Age range"] in ("under 10", "10-17") for r in rows)
assert p["searches"]["count"] == n, (p["searches"], n)
assert p["positive"]["count"] == positive and p["positive"]["denominator"] == n
assert p["positive"]["percent"] == round(positive * 1000 / n) / 10 or \
    abs(p["positive"]["percent"] - positive * 100 / n) <= 0.05
assert p["strip_searches"]["count"] == strip, (p["strip_searches"], strip)
assert p["children"]["count"] == children
by = {b["name"]: {row["key"]: row["count"] for row in b["rows"]} for b in p["breakdowns"]}
for field, col in (("outcome", "Outcome"), ("officer_defined_ethnicity", "Officer-defined ethnicity"),
                   ("legislation", "Legislation"), ("gender", "Gender"), ("age_range", "Age range")):
    want = {}
    for r in rows:
        want[r[col] or None] = want.get(r[col] or None, 0) + 1
    assert by[field] == want, (field, by[field], want)
# rates per 1,000 residents from the policy's census figures, rounded half up
census = {g["ethnicity"]: g["residents"] for g in pol["population"]["groups"]}
rates = {r["ethnicity"]: r for r in p["census"]["rates"]}
white = by["officer_defined_ethnicity"].get("White", 0)
for eth, res in census.items():
    s = by["officer_defined_ethnicity"].get(eth, 0)
    assert rates[eth]["searches"]["count"] == s
    assert rates[eth]["per_1000"] == float((Fraction(s * 1000, res) * 100 + Fraction(1, 2)) // 1) / 100
    if s and white:
        ratio = Fraction(s, res) / Fraction(white, census["White"])
        assert rates[eth]["ratio_to_white"] == float((ratio * 100 + Fraction(1, 2)) // 1) / 100
assert p["census"]["source"].startswith("ILLUSTRATIVE ONLY")

# progress
prog = {(g["role"], g["month"]): g for g in rep["progress"]}
assert prog[("local-inspector", "2019-06")]["reviewed"]["count"] == 12
assert prog[("qa-panel", "2019-06")]["reviewed"]["count"] == 4
assert prog[("qa-panel", "2019-06")]["assigned"]["count"] == len(ids)

# Cohen's kappa from the answers given, with fractions
L = "R R R R R N N R I R N R".split()
J = "R R N R R N R R I I N R".split()
def kappa(a, b):
    n = len(a)
    po = Fraction(sum(x == y for x, y in zip(a, b)), n)
    pe = sum(Fraction(a.count(v), n) * Fraction(b.count(v), n) for v in "RNI")
    return None if pe == 1 else (po - pe) / (1 - pe)
pairs = {tuple(q["roles"]): q for q in rep["agreement"]["pairs"]}
q = pairs[("local-inspector", "independent-inspector")]
k = kappa(L, J)
assert q["records"]["count"] == 12 and q["agreeing"]["count"] == 9
assert q["kappa_exact"] == f"{k.numerator}/{k.denominator}", (q["kappa_exact"], k)
assert abs(q["kappa"] - float(k)) < 0.0005
# the panel's modal answers: record 0 R, record 1 tied (dropped), 2 N, 3 R
Q = {0: "R", 2: "N", 3: "R"}
q = pairs[("local-inspector", "qa-panel")]
assert q["records"]["count"] == 3 and q["ties_dropped"]["count"] == 1
k = kappa([L[i] for i in Q], [Q[i] for i in Q])
assert (q["kappa_exact"] is None) == (k is None)
if k is not None:
    assert q["kappa_exact"] == f"{k.numerator}/{k.denominator}", (q, k)

# findings: the panel's answers count each member
f = {x["role"]: x for x in rep["findings"]}
g = {r["key"]: r["count"] for r in f["qa-panel"]["questions"][0]["answers"]["rows"]}
assert g == {"reasonable": 4, "not-reasonable": 2, "insufficient-information": 0}, g

# corrections: one NFA -> Arrest
c = rep["corrections"]
assert c["corrections"]["count"] == 1 and c["records"]["count"] == 1
assert c["outcome"]["rows"][0]["key"] == "A no further action disposal"
assert c["outcome"]["rows"][0]["subkey"] == "Arrest"
assert c["positive_corrected"]["count"] == positive + 1

# follow-up: records 1, 2 (panel m1), 2 (insp-ind), 5, 6, 10 ...
flagged = {x["id"] for x in rep["follow_up"]}
want = {ids[i] for i in range(12) if L[i] == "N" or J[i] == "N"} | {ids[1], ids[2]}
assert flagged == want, (flagged, want)
assert [n["note"] for n in rep["notes"]] == ["Grounds: a smell of cannabis only, nothing else"]
EOF
ok "JSON figures match the CSV, the policy and the verdicts given (kappa exact)"

expect 0 report "$M"
out_has "Stop and search report: June 2019"
out_has "local-inspector / independent-inspector"
out_has "(fewer than 10 records)"
out_has "a smell of cannabis only"
ok "text report"

expect 0 report "$M" --public
out_has "PUBLIC VERSION"
grep -q "cannabis" "$T/out" && fail "the public report shows a note"
out_has "Searches on the follow-up list:"
out_has "[c]"
expect 0 report "$M" --public --format json -o "$T/p.json"
python3 - "$T/p.json" <<'EOF'
import json, sys
rep = json.load(open(sys.argv[1]))
assert rep["public"] is True and rep["notes"] is None
assert set(rep["follow_up"]) == {"items", "responded", "responses"}, rep["follow_up"]
def figs(o):
    if isinstance(o, dict):
        if "shown" in o and "hidden" in o:
            yield o
        for v in o.values():
            yield from figs(v)
    elif isinstance(o, list):
        for v in o:
            yield from figs(v)
n = 0
for f in figs(rep):
    if f["hidden"]:
        n += 1
        assert f["count"] is None and f["percent"] is None and f["shown"] == "[c]", f
assert n > 0
# section 9's tables: the population's exact, the protected ones never 1 to 4
public = ("searches", "progress", "residents")
for t in rep["tables"]:
    if t["universe"] in public or t["id"].startswith("sample-"):
        continue
    for row in t["cells"]:
        for c in row:
            assert c is None or c == 0 or c >= 5, (t["id"], t["cells"])
EOF
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3 # Debian's python, where python3-scipy lives
if "$py" -c 'import scipy.optimize' 2>/dev/null; then
	"$py" "$SS_SOURCE_DIR/tests/attack/interval_attack.py" "$T/p.json" > "$T/attack" 2>&1 ||
		{ cat "$T/attack"; fail "the interval attack narrowed a hidden count of a real month"; }
	ok "interval attack on the public JSON: $(tail -1 "$T/attack")"
else
	echo "# python3-scipy is not installed: the interval attack is skipped"
fi
ok "public report: no notes or follow-up ids, protected counts from 1 to 4 hidden as [c]"

expect 0 report "$M" --format csv -o "$T/r.csv"
python3 - "$T/r.csv" <<'EOF'
import csv, sys
raw = open(sys.argv[1], newline="").read()
assert "\r\n" in raw and raw.endswith("\r\n")
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == "section,month,breakdown,key,subkey,count,denominator,percent,value".split(",")
bad = [r for r in rows if len(r) != 9]
assert not bad, bad[:3]
assert any(r[0] == "agreement" and r[2] == "kappa" for r in rows)
assert any(r[0] == "notes" and "cannabis" in r[8] for r in rows)
EOF
expect 0 report "$M" --public --format csv -o "$T/p.csv"
grep -q "^notes," "$T/p.csv" && fail "public CSV has notes"
ok "CSV: nine columns on every row, CRLF, quoted as RFC 4180"

expect 0 report "$M" --format html -o "$T/r.html"
expect 0 report "$M" --public --format html -o "$T/p.html"
for h in "$T/r.html" "$T/p.html"; do
	grep -qi "<script" "$h" && fail "$h has a script"
	grep -qiE "https?://" "$h" && fail "$h refers to an address"
	grep -qiE "src=|url\(|@import|<link" "$h" && fail "$h loads something"
	grep -q "@media print" "$h" || fail "$h has no print styles"
	grep -q "<svg" "$h" || fail "$h has no chart"
done
ok "HTML: self-contained, no script, no external resource"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
	for w in 800 390; do
		timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
			--disable-background-networking --disable-component-update --disable-sync \
			--no-first-run --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" \
			--screenshot="$T/shot-$w.png" --window-size="$w,1200" "file://$T/r.html" \
			>/dev/null 2>&1 || true
		[ -s "$T/shot-$w.png" ] || fail "chromium made no screenshot at width $w"
		python3 - "$T/shot-$w.png" <<'EOF' || fail "the screenshot is blank"
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
i, idat = 8, b""
while i < len(d):
    n, = struct.unpack(">I", d[i:i + 4]); t = d[i + 4:i + 8]; c = d[i + 8:i + 8 + n]; i += 12 + n
    if t == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", c[:10])
    elif t == b"IDAT":
        idat += c
bpp = {2: 3, 6: 4}[ctype]
raw, stride, prev, p, colours = zlib.decompress(idat), w * bpp, bytearray(w * bpp), 0, set()
for y in range(h):
    f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride]); p += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + ((a + b) >> 1)) & 255
        elif f == 4:
            pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 8 == 0:
        colours.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp * 4))
    prev = line
assert len(colours) > 10, f"{len(colours)} colours"
EOF
	done
	ok "HTML renders in headless Chromium (800 and 390 pixels wide), not blank"
else
	echo "chromium not installed: the HTML was not rendered"
fi

# A range: May was never imported.
expect 0 report 2019-05..2019-06 --format json
python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["months"]; assert m["without_data"]==["2019-05"] and m["with_data"]==["2019-06"], m' "$T/out" ||
	fail "range months"
expect 0 report 2019-05..2019-06
out_has "Months with no records imported: 2019-05"
err_has "1 month of the range had no records imported"
expect 1 report 2018-01..2018-03
err_has "no records have been imported for any month"
expect 1 report 2018-01
err_has "no records have been imported for January 2018"
expect 2 report "$M" --format xml
expect 2 report 2019-13
expect 2 report 2019-06..2019-01
expect 2 report
ok "ranges say which months had no data; refusals"

# Reading the report changes nothing in the trail.
before=$(tip)
expect 0 report "$M" --format html -o "$T/again.html"
[ "$(tip)" = "$before" ] || fail "report moved main"
cmp -s "$T/r.html" "$T/again.html" || fail "the same trail gave a different report"
ok "the report is read-only and reproducible"

# -o is written whole or not at all: a report that fails leaves the file
# there before it untouched, and no temporary file behind.
cp "$T/again.html" "$T/keep.html"
expect 1 report 2019-01 --format html -o "$T/again.html"
cmp -s "$T/keep.html" "$T/again.html" || fail "a failed report changed the -o file"
[ -z "$(find "$T" -maxdepth 1 -name 'again.html.tmp-*')" ] || fail "a temporary file was left"
mkdir "$T/adir" # written in full, then it cannot take the folder's place
expect 74 report "$M" --format html -o "$T/adir"
err_has "cannot write"
[ -d "$T/adir" ] || fail "the folder given to -o was replaced"
[ -z "$(find "$T" -maxdepth 1 -name 'adir.tmp-*')" ] || fail "a temporary file was left"
expect 0 report "$M" --format csv -o "$T/again.html"
cmp -s "$T/r.csv" "$T/again.html" || fail "a good report did not replace the -o file"
ok "-o replaces the file only with a whole report"
