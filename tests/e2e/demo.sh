# `ssaudit demo` (what `make demo` runs): the whole month on invented data ends
# with every step done, a verified trail, the reports written, and none of the
# invented people's names in the trail.
. "$(dirname "$0")/env.sh"
unset SSAUDIT_HOME SSAUDIT_TRAIL
D="$T/the group's demo" # any folder name works: nothing goes through a shell
"$SSAUDIT" demo "$D" >"$T/out" 2>"$T/err" || fail "the demo failed: $(tail -5 "$T/err")"
for step in "ssaudit check" "ssaudit --as coord import 2026-10" "ssaudit --as coord sample 2026-10" \
	"ssaudit --as records correct 2026-10" "--from" "ssaudit --as coord close 2026-10" \
	"ssaudit history 2026-10 R-" "ssaudit report 2026-10" "ssaudit verify"; do
	out_has "$step"
done
out_has "verified "
out_has "every signature, permission, sample and verdict holds"
[ -s "$D/report-2026-10-public.html" ] || fail "no public report written"
[ -s "$D/pack-qa-panel.html" ] || fail "no pack written"
ok "the demo runs a whole month, every step shown, and verify passes"

# Three roles' verdicts, one entered for a keyless member, and the correction.
gitd() { git --git-dir "$D/trail.git" "$@"; }
gitd log --format=%B main >"$T/log"
for role in local-inspector independent-inspector qa-panel; do
	grep -q "^Ssaudit-Role: $role" "$T/log" || fail "no verdict by $role"
done
grep -q "^Ssaudit-On-Behalf-Of: aled" "$T/log" || fail "nothing entered for aled"
grep -q "^Ssaudit-Action: correct" "$T/log" || fail "no correction"
ok "three roles' verdicts, a keyless member's entered for them, a correction"
grep -q "^Ssaudit-Action: response" "$T/log" || fail "no response to the follow-up list"
out_has "ssaudit --as records respond 2026-10 R-"
"$SSAUDIT" --trail "$D/trail.git" report 2026-10 >"$T/report"
grep -q "response 1: words of advice to the officer (words-of-advice), by records-officer" "$T/report" ||
	fail "the demo's report does not show the force's response"
ok "the closed month ends with the force's response to a follow-up item, shown in the report"
out_has "ssaudit --as coord feedback 2026-10 --from"
ls "$D/feedback/"O-*.html >/dev/null 2>&1 || fail "the demo wrote no officer's feedback sheet"
sheet=$(ls "$D/feedback/"O-*.html | head -1)
grep -q "Aled\|aled@" "$sheet" && fail "a lay member is named on a feedback sheet"
ok "the demo ends with one feedback sheet per officer ($(ls "$D/feedback" | wc -l) sheets)"

if command -v git >/dev/null && command -v ssh-keygen >/dev/null; then
	out_has 'Good "git" signature'
	ok "the demo shows stock git verifying signatures"
fi

# The invented identities stay in the source file, never in the trail.
python3 - "$D/2026-10.csv" >"$T/names" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    for row in csv.DictReader(f):
        for k, v in row.items():
            if k and any(w in k.lower() for w in ("name", "birth", "address", "pnc")) and v:
                print(v)
PY
[ -s "$T/names" ] || fail "no identity columns found in the demo's month"
gitd rev-list --objects --all | cut -d' ' -f1 |
	gitd cat-file --batch >"$T/objects"
hits=$(grep -cFf "$T/names" "$T/objects" || true)
[ "$hits" = 0 ] || fail "$hits invented identities found in the trail"
ok "$(wc -l <"$T/names") invented names, dates of birth, addresses and PNC ids: none in the trail"
