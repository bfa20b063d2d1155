# Packs, worksheets and reports in Welsh, English and both (DESIGN section 2):
# the words change with --lang, the machine interfaces (worksheet column ids,
# answer values, JSON) never do; a worksheet answered in Welsh wordings is
# read back; the bilingual pack and report render at 1200 and 400 px without
# sideways scroll (skipped without chromium).
. "$(dirname "$0")/lib.sh"
unset SSAUDIT_LANG LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8 SSAUDIT_FSYNC=0

M=2019-07
review_policy "$T/p.json" 100%
# The test policy with Welsh wordings for its questions and answers.
python3 - "$T/p.json" "$POLICY" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))
p["roles"]["coordinator"]["may"].append("respond")
for k in d:
    if k not in ("name", "sample", "roles", "verdict", "fields"):
        p[k] = d[k]
cy = {"grounds": ("A oedd sail resymol?", {"reasonable": ("reasonable grounds", "sail resymol"),
                                           "not-reasonable": ("no reasonable grounds", "dim sail resymol"),
                                           "insufficient-information": ("not enough information", "dim digon o wybodaeth")}),
      "conduct": ("A gafodd y person ei drin yn deg?", {"fair": ("fair", "teg"), "concerns": ("concerns", "pryderon"),
                                                        "unable-to-assess": ("unable to assess", "methu â'i asesu")}),
      "record": ("A yw'r cofnod ysgrifenedig yn gyflawn?", {"complete": ("complete", "cyflawn"),
                                                           "incomplete": ("incomplete", "anghyflawn")})}
for q in p["verdict"]:
    qcy, words = cy[q["id"]]
    q["question"] = {"en": q["question"], "cy": qcy}
    q["values"] = [{"value": v, "wording": {"en": words[v][0], "cy": words[v][1]}} for v in q["values"]]
json.dump(p, open(sys.argv[1], "w"), ensure_ascii=False, indent=1)
EOF
founder "$T/p.json"
enrol ines inspector
# The first search at local midnight on 1 July (23:00 UTC the day before).
"$SSAUDIT" synth --month $M --count 60 --seed 5 -o "$T/m.csv" 2>/dev/null
python3 - "$T/m.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
i = [h.lower() for h in rows[0]].index("date")
for r in rows[1:]:
    r[i] = "2019-06-30T23:00:00+00:00" if r is rows[1] else r[i]
csv.writer(open(sys.argv[1], "w", newline="")).writerows(rows)
EOF
expect 0 --as coord import $M "$T/m.csv"
expect 0 --as coord sample $M --seed 12345678901234567890

# ---- the pack and worksheet in each language
for l in cy en cy+en; do
	expect 0 --lang $l pack $M --role inspector --reviewer ines -o "$T/pack-$l.csv"
	expect 0 --lang $l pack $M --role inspector --reviewer ines --format html -o "$T/pack-$l.html"
	head -1 "$T/pack-$l.csv" | cut -d, -f1-8 >"$T/ids-$l"
	cut -d, -f1-8 "$T/pack-$l.csv" >"$T/cols-$l"
done
for l in cy cy+en; do
	cmp -s "$T/ids-en" "$T/ids-$l" || fail "the worksheet's column ids differ in $l: $(cat "$T/ids-$l")"
	cmp -s "$T/cols-en" "$T/cols-$l" || fail "the worksheet's id columns differ in $l"
done
grep -q '^month,id,role,reviewer,grounds,conduct,record,note,Allowed answers,Date and time,' "$T/pack-en.csv" ||
	fail "the English worksheet's header: $(head -1 "$T/pack-en.csv")"
grep -q '^month,id,role,reviewer,grounds,conduct,record,note,Atebion a ganiateir,Dyddiad ac amser,' "$T/pack-cy.csv" ||
	fail "the Welsh worksheet's header: $(head -1 "$T/pack-cy.csv")"
grep -q '^month,id,role,reviewer,grounds,conduct,record,note,Atebion a ganiateir / Allowed answers,Dyddiad ac amser / Date and time,' "$T/pack-cy+en.csv" ||
	fail "the bilingual worksheet's header: $(head -1 "$T/pack-cy+en.csv")"
grep -qF "grounds: reasonable (sail resymol) | not-reasonable (dim sail resymol)" "$T/pack-cy.csv" ||
	fail "the Welsh worksheet does not list the answers' Welsh wordings"
grep -qF "reasonable (sail resymol / reasonable grounds)" "$T/pack-cy+en.csv" ||
	fail "the bilingual worksheet does not list both wordings"
grep -qF "grounds: reasonable | not-reasonable | insufficient-information;" "$T/pack-en.csv" ||
	fail "the English worksheet's allowed answers"
grep -q "Gorffennaf\|Mehefin" "$T/pack-en.csv" && fail "Welsh month names in the English worksheet"
grep -q "[0-9] Gorffennaf 2019, [0-2][0-9]:[0-5][0-9] BST" "$T/pack-cy.csv" || fail "the Welsh worksheet's local time"
ok "worksheets in cy, en and cy+en: the same column ids and id columns, helper columns in the language"

grep -qF '<html lang="cy">' "$T/pack-cy.html" || fail "the Welsh pack is not marked lang=cy"
grep -qF 'Pecyn adolygu stopio a chwilio: 2019-07' "$T/pack-cy.html" || fail "the Welsh pack's heading"
grep -qF 'A oedd sail resymol?' "$T/pack-cy.html" || fail "the Welsh pack lacks the question's Welsh wording"
grep -qF 'Were there reasonable grounds?' "$T/pack-cy.html" && fail "English question in the Welsh pack"
grep -q "[0-9] Gorffennaf 2019, [0-2][0-9]:[0-5][0-9] BST" "$T/pack-cy.html" || fail "the Welsh pack's date"
grep -qF 'Stop and search review pack: 2019-07' "$T/pack-en.html" || fail "the English pack's heading"
grep -q 'Pecyn\|Gorffennaf' "$T/pack-en.html" && fail "Welsh in the English pack"
grep -qF 'Pecyn adolygu stopio a chwilio / Stop and search review pack: 2019-07' "$T/pack-cy+en.html" ||
	fail "the bilingual pack's heading"
grep -qF 'A oedd sail resymol? / Were there reasonable grounds?' "$T/pack-cy+en.html" ||
	fail "the bilingual pack's question, Welsh first"
python3 - "$T/pack-cy+en.html" <<'EOF' || fail "in the bilingual pack the Welsh note does not come first"
import sys
s = open(sys.argv[1], encoding="utf-8").read()
assert 0 < s.index("bobl a chwiliwyd") < s.index("The people searched are not named"), "order"
EOF
ok "packs in cy, en and cy+en: headings, questions, answers and dates in the language, Welsh first"

# ---- a Welsh worksheet read back: answers as their Welsh wordings (any case,
# a spreadsheet's curly apostrophe), stored as the values
python3 - "$T/pack-cy.csv" "$T/ws.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
words = [("Sail resymol", "teg", "cyflawn"), ("dim sail resymol", "methu â\u2019i asesu", ""),
         ("dim digon o wybodaeth", "pryderon", "anghyflawn"), ("reasonable grounds", "fair", "")]
for k, r in enumerate(rows[1:]):
    r[4:7] = words[k % len(words)]
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8")).writerows(rows)
EOF
cp "$T/ws.csv" "$T/bad.csv"
sed -i '2s/Sail resymol/sail rhesymol/' "$T/bad.csv"
expect 65 --lang cy --as ines review $M --from "$T/bad.csv"
err_has "sail rhesymol"
expect 0 --lang cy --as ines review $M --from "$T/ws.csv"
n=$(($(wc -l <"$T/ws.csv") - 1))
expect 0 --json report $M --format json
python3 - "$T/out" "$n" <<'EOF' || fail "the Welsh worksheet's answers were not stored as their values"
import json, sys
s = json.dumps(json.load(open(sys.argv[1])))
assert "sail resymol" not in s and "teg" not in s.split('"'), "a wording stored"
EOF
git_ log --format=%B main | grep -q "^grounds: \|grounds=reasonable\|reasonable" || true
for id in $(sed 1d "$T/ws.csv" | cut -d, -f2 | head -2); do
	expect 0 --json show $M "$id"
	grep -q '"not-reasonable"\|"reasonable"' "$T/out" || fail "show: $id's answer is not a value: $(cat "$T/out")"
	grep -q 'sail resymol\|methu' "$T/out" && fail "a Welsh wording stored for $id"
done
ok "a Welsh worksheet (Welsh wordings, any case, curly apostrophes) read back as the answers' values"
# The force's response to the item judged without reasonable grounds (the
# report shows it with the policy's Welsh wording of the response).
expect 0 --as coord respond $M "$(sed -n 3p "$T/ws.csv" | cut -d, -f2)" --action words-of-advice

# ---- show, list and history: times with Welsh month names in Welsh, the
# JSON's "when" unchanged
id=$(sed -n 2p "$T/ws.csv" | cut -d, -f2)
expect 0 --lang cy show $M "$id"
grep -q "Gorffennaf 2019, [0-2][0-9]:[0-5][0-9] BST (cofnodwyd fel 2019-0" "$T/out" || fail "show in Welsh: $(grep -i bst "$T/out")"
expect 0 --lang cy list $M
out_has "Gorffennaf 2019"
expect 0 --lang cy history $M "$id"
grep -q "Rhagfyr\|Ionawr\|Chwefror\|Mawrth\|Ebrill\|Mai\|Mehefin\|Gorffennaf\|Awst\|Medi\|Hydref\|Tachwedd" "$T/out" || fail "history in Welsh: $(head -3 "$T/out")"
expect 0 --lang cy --json show $M "$id"
grep -q '"when": "[0-9]* [A-Z][a-z]* 2019' "$T/out" && ! grep -q Gorffennaf "$T/out" || fail "show --json's when changed with the language"
ok "show, list and history give times with Welsh month names; JSON unchanged"

# ---- feedback sheets in Welsh: headings, questions and answers' wordings
expect 0 --lang cy feedback $M -o "$T/fb-cy"
expect 0 --lang en feedback $M -o "$T/fb-en"
cat "$T"/fb-cy/*.html >"$T/fb-cy.all"
cat "$T"/fb-en/*.html >"$T/fb-en.all"
grep -qF '<html lang="cy">' "$T/fb-cy.all" || fail "the Welsh feedback sheet is not marked lang=cy"
grep -qF "Adborth ar stopio a chwilio" "$T/fb-cy.all" || fail "the Welsh feedback sheet's heading"
grep -qF "A oedd sail resymol?" "$T/fb-cy.all" || fail "the Welsh feedback sheet's questions"
grep -q "<b>sail resymol</b>\|<b>dim sail resymol</b>" "$T/fb-cy.all" || fail "the Welsh feedback sheet's answers"
grep -q "Gorffennaf 2019" "$T/fb-cy.all" || fail "the Welsh feedback sheet's times"
grep -qF "Feedback on stop and search" "$T/fb-en.all" || fail "the English feedback sheet's heading"
grep -q "Adborth\|Gorffennaf" "$T/fb-en.all" && fail "Welsh on the English feedback sheet"
ok "feedback sheets in Welsh and English"

# ---- the report in each language: words change, JSON does not
for l in cy en cy+en; do
	expect 0 --lang $l report $M
	cp "$T/out" "$T/report-$l.txt"
	expect 0 --lang $l report $M --format html
	cp "$T/out" "$T/report-$l.html"
	expect 0 --lang $l --json report $M --format json
	cp "$T/out" "$T/report-$l.json"
done
for l in cy cy+en; do
	cmp -s "$T/report-en.json" "$T/report-$l.json" || fail "report --json differs in $l"
done
grep -qF "Stop and search report: July 2019" "$T/report-en.txt" || fail "the English report's title"
grep -qF "1. The searches" "$T/report-en.txt" || fail "the English report's headings"
grep -q "Adroddiad\|Gorffennaf\|chwiliadau" "$T/report-en.txt" && fail "Welsh in the English report"
grep -qF "Adroddiad stopio a chwilio: Gorffennaf 2019" "$T/report-cy.txt" || fail "the Welsh report's title: $(head -1 "$T/report-cy.txt")"
grep -qF "1. Y chwiliadau" "$T/report-cy.txt" || fail "the Welsh report's headings"
grep -qF "Chwiliadau fesul ardal" "$T/report-cy.txt" || fail "the Welsh report's tables"
grep -q "Ardal  *Chwiliadau  *Cyfran" "$T/report-cy.txt" || fail "the Welsh report's table columns"
grep -qF '<a href="#searches">Y chwiliadau / The searches</a>' "$T/report-cy+en.html" || fail "the bilingual report's contents"
grep -qF "Adroddiad stopio a chwilio: Gorffennaf 2019 / Stop and search report: July 2019" "$T/report-cy+en.txt" ||
	fail "the bilingual report's title, Welsh first"
grep -qF "1. Y chwiliadau / 1. The searches" "$T/report-cy+en.txt" || fail "the bilingual report's headings"
grep -qF '<html lang="cy">' "$T/report-cy.html" || fail "the Welsh HTML report is not marked lang=cy"
grep -qF "<h2>1. Y chwiliadau / 1. The searches</h2>" "$T/report-cy+en.html" || fail "the bilingual HTML report's headings"
ok "reports in cy, en and cy+en: title, headings and month names in the language; JSON identical"

# ---- the report's sentences, columns and row labels, public and not: Welsh
# in cy with none of the English, both in cy+en with the Welsh first
for l in cy en cy+en; do
	expect 0 --lang $l report $M --public
	cp "$T/out" "$T/public-$l.txt"
	expect 0 --lang $l report $M --public --format html
	cp "$T/out" "$T/public-$l.html"
	expect 0 --lang $l --json report $M --public --format json
	cp "$T/out" "$T/public-$l.json"
done
for l in cy cy+en; do
	cmp -s "$T/public-en.json" "$T/public-$l.json" || fail "the public report's JSON differs in $l"
done
python3 - "$T" <<'EOF2' || fail "the report's sentences and labels are not in the language asked for"
import html, re, sys
t = sys.argv[1]
def words(name):
    s = open(f"{t}/{name}", encoding="utf-8").read()
    s = re.sub(r"<style>.*?</style>", " ", s, flags=re.S)
    s = html.unescape(re.sub(r"<[^>]+>", " ", s))
    return re.sub(r"\s+", " ", s).lower()  # wrapped lines and markup as plain words
# (Welsh, English) pairs: sentences, the awaiting note, columns, row labels,
# the policy's wordings of an answer and a response
both = [("Mae pob canran yn sefyll wrth ymyl ei chyfrif", "Every percentage stands beside its count"),
        ("Kappa Cohen yw'r cytundeb", "Cohen's kappa is agreement"),
        ("Pennir canlyniadau ar adeg y chwiliad", "Outcomes are set at the time of the search"),
        ("yn aros am ymateb (mae'r mis yn dal ar agor)", "awaiting a response (the month is still open)"),
        ("Cyfartal a adawyd allan", "Ties left out"),
        ("Wedi'u neilltuo", "Assigned"),
        ("Canlyniad cadarnhaol, fel y'i cofnodwyd ar y pryd", "Positive outcome, as recorded at the time"),
        ("o'r 5 chwiliad a ddewiswyd ar hap", "of 5 randomly chosen searches"),
        ("(cyfwng 95%", "(95% interval"),
        ("(llai na 10 cofnod", "(fewer than 10 records"),
        ("gair o gyngor i'r swyddog", "words of advice to the officer"),
        # an English report shows answers as their values, as before
        ("dim sail resymol", "no reasonable grounds", "not-reasonable")]
public = [("Mae [c] yn dynodi cyfrif a gadwyd yn gyfrinachol", "[c] marks a count kept confidential"),
          ("Chwiliadau ar y rhestr i'w dilyn i fyny:", "Searches on the follow-up list:"),
          ("Gadewir rhifau cofnodion, swyddogion a nodiadau allan", "Record ids, officers and notes are left out")]
bad = []
for kind, pairs in (("report", both), ("public", public)):
    for ext in ("txt", "html"):
        cy, en, cyen = (words(f"{kind}-{l}.{ext}") for l in ("cy", "en", "cy+en"))
        for w, e, *shown in pairs:
            w, e = w.lower(), e.lower()
            english = shown[0].lower() if shown else e
            if w not in cy: bad.append(f"{kind}-cy.{ext} lacks {w!r}")
            if e in cy: bad.append(f"{kind}-cy.{ext} has the English {e!r}")
            if english not in en: bad.append(f"{kind}-en.{ext} lacks {english!r}")
            if w in en: bad.append(f"{kind}-en.{ext} has the Welsh {w!r}")
            if not (w in cyen and e in cyen and cyen.index(w) < cyen.index(e)):
                bad.append(f"{kind}-cy+en.{ext}: {w!r} does not come before {e!r}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF2
ok "the report's sentences, columns, row labels and the policy's wordings in Welsh, English and both (Welsh first), public and not; JSON identical"

# ---- the bilingual pack and report in headless Chromium, 1200 and 400 px wide
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	echo "skip: chromium is not installed: the bilingual pack and report were not rendered"
	exit 0
fi
chrome() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --hide-scrollbars --user-data-dir="$(mktemp -d "$T/chrome.XXXXXX")" "$@" \
		2>/dev/null
}
# As report_render.sh: a wrapper frames the page at the width wanted (headless
# Chromium will not make its window narrower than 500 px) and measures it.
for doc in pack-cy+en report-cy+en; do
	for w in 1200 400; do
		cat >"$T/probe-$doc-$w.html" <<EOF
<!doctype html><html><body style="margin:0"><iframe id="f" src="$doc.html"
style="width:${w}px;height:3000px;border:0"></iframe><script>
var f = document.getElementById("f");
f.onload = function () {
  document.body.setAttribute("data-sw", f.contentDocument.documentElement.scrollWidth);
};
</script></body></html>
EOF
		win=$((w < 500 ? 500 : w))
		chrome --allow-file-access-from-files --virtual-time-budget=10000 \
			--window-size="$win,3000" --dump-dom "file://$T/probe-$doc-$w.html" >"$T/dom.html" || true
		sw=$(sed -n 's/.*data-sw="\([0-9]*\)".*/\1/p' "$T/dom.html" | head -1)
		[ -n "$sw" ] || fail "chromium did not lay out $doc at $w px"
		[ "$sw" -le "$w" ] || fail "at $w px $doc is $sw px wide: it scrolls sideways"
		chrome --allow-file-access-from-files --virtual-time-budget=10000 \
			--window-size="$win,3000" --screenshot="$T/shot.png" "file://$T/probe-$doc-$w.html" \
			>/dev/null || true
		[ -s "$T/shot.png" ] || fail "chromium made no screenshot of $doc at $w px"
		[ -n "${SS_KEEP_SHOTS:-}" ] && cp "$T/shot.png" "$SS_KEEP_SHOTS/$doc-$w.png"
		[ -n "${SS_KEEP_SHOTS:-}" ] && cp "$T/$doc.html" "$SS_KEEP_SHOTS/$doc.html"
	done
done
ok "the bilingual pack and report render in Chromium at 1200 and 400 px, no sideways scroll at 400 px"
