# `feedback` (DESIGN.md section 2): one sheet per officer with a verdict on
# their sampled searches, named by the officer's pseudonym, reviewers named by
# role only (never a lay member's name), blind review respected; with --from
# and the pseudonym key, the officer's own number, checked here against the
# pseudonym recomputed outside ssaudit (BLAKE2b as DESIGN.md section 4 says).
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/verify_lib.sh"
have_tools

founder
register coord li
register coord pcc
register pcc ii
register pcc sec
register pcc m1 nokey
"$SSAUDIT" synth --month "$MONTH" --count 80 --seed 5 -o "$T/m.csv" 2>/dev/null
expect 0 --as coord import "$MONTH" "$T/m.csv"
expect 0 --as coord sample "$MONTH" --seed 12345
mapfile -t LI < <(sampled local-inspector)
mapfile -t QA < <(sampled qa-panel)
for i in 0 1 2 3 4 5; do
	expect 0 --as li review "$MONTH" "${LI[$i]}" --grounds reasonable --conduct fair --bwv viewed \
		--note "Inspector note $i: grounds well recorded"
done
expect 0 --as sec review "$MONTH" "${QA[0]}" --for m1 --grounds not-reasonable --conduct concerns \
	--bwv not-available --note "Panel note: the grounds do not say what was seen"
gitx show "main:months/$MONTH/population.jsonl" >"$T/pop.jsonl"
t0=$(tip)

# Expected: the officers of the reviewed searches.
python3 - "$T/pop.jsonl" "${LI[@]:0:6}" "${QA[0]}" >"$T/officers" <<'EOF'
import json, sys
pop = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
print("\n".join(sorted({pop[i]["officer"] for i in sys.argv[2:] if pop[i]["officer"]})))
EOF
QA_OFFICER=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["id"] == sys.argv[2]: print(r["officer"])' "$T/pop.jsonl" "${QA[0]}")

expect 0 feedback "$MONTH" -o "$T/html"
ls "$T/html" | sed 's/\.html$//' >"$T/got"
diff "$T/officers" "$T/got" >/dev/null || fail "sheets $(tr '\n' ' ' <"$T/got") for officers $(tr '\n' ' ' <"$T/officers")"
for name in "Aled Member" "Lowri Evans" "Siân Secretary" "Carys Coordinator" "@example.org"; do
	if grep -qF "$name" "$T"/html/*; then fail "a sheet names a reviewer: $name"; fi
done
grep -q "Verdict of the qa-panel" "$T/html/$QA_OFFICER.html" || fail "the panel's verdict is not on its officer's sheet"
grep -q "Panel note: the grounds do not say what was seen" "$T/html/$QA_OFFICER.html" || fail "the panel's note is missing"
grep -q "Inspector note 0" "$T"/html/* || fail "the inspector's notes are missing"
grep -q '<meta name="viewport" content="width=device-width' "$T/html/$QA_OFFICER.html" || fail "no viewport: not readable on a phone"
if grep -q '<table\|<script\|src=\|href=' "$T"/html/*; then fail "a sheet has a table (sideways scroll at 400px), a script or an external resource"; fi
[ "$(tip)" = "$t0" ] || fail "feedback changed the trail"
ok "one HTML sheet per officer with a verdict, named by pseudonym; roles, answers and notes, no reviewer's name; phone-sized, self-contained"

expect 0 feedback "$MONTH" --format csv -o "$T/csv"
python3 - "$T/csv" "$T/officers" <<'EOF' || fail "the CSV sheets"
import csv, os, sys
want = open(sys.argv[2]).read().split()
files = sorted(os.listdir(sys.argv[1]))
assert files == [o + ".csv" for o in want], files
total = 0
for f in files:
    rows = list(csv.DictReader(open(os.path.join(sys.argv[1], f), encoding="utf-8-sig", newline="")))
    assert rows and all(r["officer"] == f[:-4] and r["officer_number"] == "" for r in rows), rows
    assert all(r["reviewer_role"] in ("local-inspector", "qa-panel") for r in rows)
    assert all(r["grounds"] in ("reasonable", "not-reasonable") for r in rows)
    total += len(rows)
assert total == 7, total
EOF
ok "CSV sheets: one row per verdict, one column per question, opened by Python's csv as UTF-8"

expect 0 feedback "$MONTH" --officer "$QA_OFFICER" -o "$T/one"
[ "$(ls "$T/one")" = "$QA_OFFICER.html" ] || fail "--officer should write that officer's sheet only: $(ls "$T/one")"
expect 1 feedback "$MONTH" --officer O-aaaaaaaaaaaaaaaa -o "$T/none"
err_has "no verdict on the sampled searches of officer 'O-aaaaaaaaaaaaaaaa'"
[ ! -e "$T/none" ] || fail "a refused feedback created its folder"
ok "--officer writes one sheet; an officer with no verdict exits 1"

# --from the force's file, with the key: the officer's own number, checked
# against the pseudonym computed here from the key.
expect 0 feedback "$MONTH" --from "$T/m.csv" --format csv -o "$T/numbered"
out_has "with the officer's own number"
python3 - "$T/numbered" "$SSAUDIT_HOME/pseudonym.key" <<'EOF' || fail "the officers' numbers"
import base64, csv, hashlib, os, sys
key = open(sys.argv[2], "rb").read()
def officer(n):
    d = hashlib.blake2b(b"ssaudit-officer-v1\0" + n.strip().upper().encode(), key=key, digest_size=32).digest()
    return "O-" + base64.b32encode(d[:10]).decode().lower()
for f in os.listdir(sys.argv[1]):
    for r in csv.DictReader(open(os.path.join(sys.argv[1], f), encoding="utf-8-sig", newline="")):
        assert r["officer_number"], r
        assert officer(r["officer_number"]) == r["officer"], (r["officer_number"], r["officer"])
EOF
expect 0 feedback "$MONTH" --from "$T/m.csv" -o "$T/numbered-html"
grep -q "own number: " "$T/numbered-html/$QA_OFFICER.html" || fail "no number on the HTML sheet"
if gitx grep -q "own number" main; then fail "the numbers reached the trail"; fi
mv "$SSAUDIT_HOME/pseudonym.key" "$T/key.saved"
expect 77 feedback "$MONTH" --from "$T/m.csv" -o "$T/nokey"
err_has "no pseudonym key"
[ ! -e "$T/nokey" ] || fail "feedback without the key wrote sheets"
mv "$T/key.saved" "$SSAUDIT_HOME/pseudonym.key"
ok "--from with the key puts each officer's own number on the sheet (it matches the pseudonym); without the key, 77 and nothing written"

# Blind review: an inspector who has reviewed nothing sees nobody's verdicts.
expect 0 --as ii feedback "$MONTH" -o "$T/blind"
out_has "no officer has a verdict on a sampled search yet that you may see"
[ ! -e "$T/blind" ] || fail "a blind reviewer got sheets"
expect 0 --as ii review "$MONTH" "${LI[0]}" --grounds reasonable --conduct fair --bwv viewed
expect 0 --as ii feedback "$MONTH" -o "$T/blind"
[ "$(ls "$T/blind" | wc -l)" = 1 ] || fail "after one review, the inspector should see one search's verdicts: $(ls "$T/blind")"
ok "run as a reviewer, feedback keeps others' verdicts off until that reviewer has recorded theirs"

# Readable on a phone: laid out by headless Chromium in a 400 px frame, the
# sheet is no wider than the frame (as report_render.sh measures the report).
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$CHROMIUM" ]; then
	cp "$T/numbered-html/$QA_OFFICER.html" "$T/sheet.html"
	cat >"$T/probe.html" <<'PROBE'
<!doctype html><html><body style="margin:0"><iframe id="f" src="sheet.html"
style="width:400px;height:3000px;border:0"></iframe><script>
var f = document.getElementById("f");
f.onload = function () {
  document.body.setAttribute("data-sw", f.contentDocument.documentElement.scrollWidth);
};
</script></body></html>
PROBE
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" --allow-file-access-from-files \
		--virtual-time-budget=10000 --window-size=500,3000 --dump-dom "file://$T/probe.html" \
		>"$T/dom.html" 2>/dev/null || true
	sw=$(sed -n 's/.*data-sw="\([0-9]*\)".*/\1/p' "$T/dom.html" | head -1)
	[ -n "$sw" ] || fail "chromium did not lay the sheet out"
	[ "$sw" -le 400 ] || fail "at 400 px the sheet is $sw px wide: it scrolls sideways"
	ok "an HTML sheet laid out at 400 px by Chromium needs no sideways scrolling ($sw px)"
else
	echo "# chromium is not installed: the sheet was not laid out at 400 px"
fi
