# Verdicts, entering for a member, blind review, outcome corrections, close
# and reopen, through the real binary on a real trail; each refusal with its
# exit status and words, the trail unchanged by every failed command, and
# every commit verifying with stock git at the end.
. "$(dirname "$0")/lib.sh"

M=2026-10
cast 25%
enrol rita records-officer
synth_month $M 80
vpath() { echo "months/$M/verdicts/${2:2:2}/$2/$1.json"; }

ids panel >"$T/panel"
ids inspector >"$T/inspector"
[ "$(wc -l <"$T/panel")" = 20 ] || fail "25% of 80 should be 20 sampled records"
[ "$(wc -l <"$T/inspector")" = 5 ] || fail "the inspector reviews 5"
A=$(head -1 "$T/inspector")
NOTINS=$(grep -vxFf "$T/inspector" "$T/panel" | head -1)
git_ show main:months/$M/population.jsonl | sed 's/^{"id":"\([^"]*\)".*/\1/' | sort >"$T/pop"
UNSAMPLED=$(sort "$T/panel" | comm -23 "$T/pop" - | head -1)
[ -n "$A" ] && [ -n "$NOTINS" ] && [ -n "$UNSAMPLED" ] || fail "could not pick records"

# ---- one verdict
t0=$(tip)
expect 0 --as amy review $M "$A" --grounds reasonable --conduct fair
out_has "recorded amy's verdict"
git_ show "main:$(vpath panel.amy "$A")" >"$T/v.json" || fail "no verdict file at the documented path"
python3 - "$T/v.json" "$A" <<'EOF' || fail "verdict file content"
import json, sys
v = json.load(open(sys.argv[1]))
assert list(v) == ["month", "id", "role", "reviewer", "entered_by", "answers", "note"], list(v)
assert v["id"] == sys.argv[2] and v["role"] == "panel" and v["reviewer"] == "amy"
assert v["entered_by"] == "amy" and v["answers"] == {"grounds": "reasonable", "conduct": "fair"}
assert v["note"] is None
EOF
[ "$(git_ log -1 --format='%an|%cn|%s' main)" = "Person amy|Person amy|verdict: $M $A by amy (panel)" ] ||
	fail "verdict commit subject or people: $(git_ log -1 --format='%an|%cn|%s' main)"
git_ log -1 --format='%(trailers:key=Ssaudit-Action,valueonly)%(trailers:key=Ssaudit-Month,valueonly)%(trailers:key=Ssaudit-Record,valueonly)%(trailers:key=Ssaudit-Role,valueonly)' main |
	tr -d '\n' | grep -qx "verdict${M}${A}panel" || fail "verdict trailers"
ok "a verdict is one signed commit at months/M/verdicts/XX/ID/ROLE.HANDLE.json"

t1=$(tip)
expect 0 --as amy review $M "$A" --grounds reasonable --conduct fair
out_has "already recorded exactly so; nothing changed"
[ "$(tip)" = "$t1" ] || fail "an identical verdict made a commit"
expect 0 --as amy review $M "$A" --grounds not-reasonable --conduct concerns --record incomplete --note "No grounds given"
out_has "replaced amy's verdict"
[ "$(git_ rev-list --count "$t1"..main)" = 1 ] || fail "a changed verdict is one commit"
git_ show "main:$(vpath panel.amy "$A")" | grep -q '"note": "No grounds given"' || fail "note not stored"
git_ log -1 --format=%b main | grep -q "replaces the earlier verdict" || fail "body should say it replaces"
ok "the same verdict again makes no commit; a different one replaces the file"

t2=$(tip)
expect 2 --as amy review $M "$A" --grounds maybe --conduct fair
err_has "'maybe' is not an answer to --grounds: give one of reasonable, not-reasonable, insufficient-information"
expect 2 --as amy review $M "$A" --grounds reasonable
err_has "answer --conduct"
expect 2 --as amy review $M "$A" --grounds reasonable --conduct fair --colour blue
err_has "the policy's questions are: --grounds --conduct --record (optional)"
expect 2 --as amy review $M "$A" --grounds reasonable --grounds reasonable --conduct fair
err_has "--grounds is given twice"
expect 2 --as amy review 2026-13 "$A" --grounds reasonable --conduct fair
expect 1 --as amy review $M "$UNSAMPLED" --grounds reasonable --conduct fair
err_has "there is no record '$UNSAMPLED' in the sample of October 2026"
expect 1 --as ines review $M "$NOTINS" --grounds reasonable --conduct fair
err_has "is not among the 5 records an inspector reviews in October 2026"
expect 1 --as amy review 2026-09 "$A" --grounds reasonable --conduct fair
grep -q October "$T/err" && fail "the refusal names the wrong month"
err_has "September 2026 has not been sampled yet"
expect 77 --as coord review $M "$A" --grounds reasonable --conduct fair
err_has "does not let a coordinator record verdicts"
expect 77 --as bob review $M "$A" --grounds reasonable --conduct fair
err_has "bob is registered without a key"
err_has "can enter their verdicts for them (ssaudit review ... --for bob)"
err_has "sends the line it prints (their public key, never the key file) to a coordinator"
[ "$(tip)" = "$t2" ] || fail "a refused verdict changed the trail"
ok "refusals: bad answers and options (2), unsampled or other role's records (1), roles (77)"

# ---- entering for a keyless member
expect 0 --as sec review $M "$A" --for bob --grounds reasonable --conduct fair
out_has "recorded bob's verdict (entered on their behalf)"
[ "$(git_ log -1 --format='%an|%cn' main)" = "Person bob|Person sec" ] ||
	fail "author must be the member, committer the secretary"
git_ log -1 --format='%(trailers:key=Ssaudit-On-Behalf-Of,valueonly)' main | grep -qx bob ||
	fail "Ssaudit-On-Behalf-Of trailer"
git_ show "main:$(vpath panel.bob "$A")" | grep -q '"entered_by": "sec"' || fail "entered_by"
git_ show "main:allowed_signers" | grep -q '^bob ' && fail "a keyless member must not be a signer"
t3=$(tip)
expect 77 --as sec review $M "$A" --grounds reasonable --conduct fair
err_has "name them (--for HANDLE"
expect 77 --as sec review $M "$A" --for ines --grounds reasonable --conduct fair
err_has "does not let a secretary enter verdicts for an inspector"
expect 77 --as amy review $M "$A" --for bob --grounds reasonable --conduct fair
err_has "does not let a panel enter verdicts for a panel"
expect 77 --as sec review $M "$A" --for nobody --grounds reasonable --conduct fair
err_has "there is no reviewer 'nobody' in the register"
[ "$(tip)" = "$t3" ] || fail "a refused entry changed the trail"
ok "a secretary enters a keyless member's verdict: authored by the member, signed by the secretary"

# ---- blind review
expect 0 --as ines show $M "$A"
out_has "verdicts: 2 hidden until you (ines) record yours"
grep -q "not-reasonable" "$T/out" && fail "blind show leaked a verdict"
expect 0 --as ines --json show $M "$A"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["verdicts"]==[] and d["verdicts_hidden"]==2' "$T/out" ||
	fail "blind show --json"
expect 0 --as ines review $M "$A" --grounds reasonable --conduct fair
expect 0 --as ines show $M "$A"
out_has "amy (panel): grounds not-reasonable, conduct concerns, record incomplete"
out_has "bob (panel): grounds reasonable, conduct fair (entered by sec)"
out_has "note: No grounds given"
expect 0 show $M "$A"
out_has "verdicts (3):"
ok "blind review: show hides others' verdicts until yours is in, and says why"

# ---- corrections
t4=$(tip)
was=$(git_ show main:months/$M/population.jsonl | grep "\"id\":\"$UNSAMPLED\"" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["outcome"])')
expect 0 --as rita correct $M "$UNSAMPLED" --outcome Arrest --reason "Lab result: cannabis confirmed"
out_has "outcome from"
out_has "'Arrest' counts as a positive outcome under the policy"
cfile=$(files months/$M/corrections)
[ "$(echo "$cfile" | wc -l)" = 1 ] || fail "one correction file: $cfile"
[ "$cfile" = "months/$M/corrections/${UNSAMPLED:2:2}/$UNSAMPLED/0001.json" ] ||
	fail "correction path $cfile"
git_ show "main:$cfile" | python3 -c '
import json, sys
c = json.load(sys.stdin)
assert list(c) == ["month", "id", "changes", "reason", "by"], list(c)
was = None if sys.argv[1] == "None" else sys.argv[1]
assert c["changes"] == [{"field": "outcome", "from": was, "to": "Arrest"}], c["changes"]
assert c["by"] == "rita"' "$was" || fail "correction file content"
expect 0 --as coord correct $M "$UNSAMPLED" --outcome "Summons / charged by post" --linked true --reason "Charged on 2 November"
git_ show main -- months/$M/corrections | grep -q '"from": "Arrest", "to": "Summons / charged by post"' ||
	fail "the second correction's from is the first one's to"
[ "$(files months/$M/corrections | sed 's|.*/||' | tr '\n' ' ')" = "0001.json 0002.json " ] ||
	fail "the second correction is numbered 0002: $(files months/$M/corrections)"
expect 1 --as rita correct $M "$UNSAMPLED" --outcome "Summons / charged by post" --reason "again"
err_has "nothing to correct: outcome of record $UNSAMPLED is already 'Summons / charged by post'"
expect 77 --as amy correct $M "$UNSAMPLED" --outcome Arrest --reason x
err_has "does not let a panel correct outcomes"
expect 2 --as rita correct $M "$UNSAMPLED" --outcome Arrest
err_has "--reason"
expect 2 --as rita correct $M "$UNSAMPLED" --linked maybe --reason x
expect 2 --as rita correct $M "$UNSAMPLED" --reason x
expect 1 --as rita correct $M R-aaaaaaaaaaaaaaaa --outcome Arrest --reason x
err_has "there is no record 'R-aaaaaaaaaaaaaaaa' in October 2026"
t4b=$(tip)
expect 65 --as rita correct $M "$UNSAMPLED" --outcome Arrestt --reason "typo"
err_has "'Arrestt' is not an outcome the policy allows"
err_has "'A no further action disposal', 'Arrest', 'Caution (simple or conditional)'"
err_has "'Article found - Detailed outcome unavailable'"
[ "$(tip)" = "$t4b" ] || fail "a misspelt outcome changed the trail"
[ "$(git_ rev-list --count "$t4"..main)" = 2 ] || fail "only the two accepted corrections are commits"
expect 0 show $M "$UNSAMPLED"
out_has "current values (after 2 corrections"
out_has "outcome                              Summons / charged by post"
out_has "outcome_linked_to_object_of_search   true"
out_has "1. by rita: outcome from"
out_has "2. by coord: outcome from 'Arrest' to 'Summons / charged by post'; outcome_linked_to_object_of_search from"
out_has "reason: Lab result: cannabis confirmed"
ok "corrections: from is the current value, chains show in order, no-op changes and unknown outcomes refused"

# ---- close and reopen
t5=$(tip)
expect 1 --as coord close $M
err_has "October 2026 cannot be closed yet: 23 verdicts are missing"
err_has "panel: 19 records without a verdict by a panel"
err_has "inspector: 4 records without a verdict by an inspector"
expect 77 --as amy close $M
[ "$(tip)" = "$t5" ] || fail "a refused close changed the trail"
for id in $(cat "$T/panel"); do
	expect 0 --as amy -q review $M "$id" --grounds reasonable --conduct fair
done
for id in $(sed -n 2,4p "$T/inspector"); do
	expect 0 --as ines -q review $M "$id" --grounds reasonable --conduct fair
done
W=$(sed -n 5p "$T/inspector")
expect 1 --as coord close $M
err_has "1 verdict is missing"
err_has "inspector: 1 record without a verdict by an inspector: $W"
expect 2 --as coord close $M --waive "$W"
err_has "say why $W is waived"
expect 1 --as coord close $M --waive "$A" --reason "pointless"
err_has "record $A needs no waiver"
expect 1 --as coord close $M --waive "$UNSAMPLED" --reason "x"
err_has "only sampled records can be waived"
t6=$(tip)
expect 0 --as coord close $M --waive "$W" --reason "The body-worn video was not kept"
out_has "$M closed"
[ "$(git_ rev-list --count "$t6"..main)" = 1 ] || fail "close is one commit"
git_ show --name-only --format= main | sort >"$T/changed"
printf '%s\n' "months/$M/closed.json" "months/$M/waivers/${W:2:2}/$W.json" | sort | diff - "$T/changed" ||
	fail "close should write closed.json and the waiver in one commit"
git_ show "main:months/$M/waivers/${W:2:2}/$W.json" | grep -q '"reason": "The body-worn video was not kept"' ||
	fail "waiver reason"
ok "close lists what is missing per role, then signs off with waivers in the same commit"

t7=$(tip)
expect 1 --as amy review $M "$A" --grounds reasonable --conduct fair
err_has "October 2026 is closed (signed off by coord): no more verdicts or waivers can be recorded. A coordinator can reopen it"
expect 1 --as sec review $M "$A" --for bob --grounds not-reasonable --conduct fair
err_has "is closed"
expect 1 --as coord close $M
err_has "already closed"
[ "$(tip)" = "$t7" ] || fail "a closed month accepted something"
expect 0 --as rita correct $M "$A" --outcome "Offender given drugs possession warning" --reason "Late lab result"
ok "a closed month refuses verdicts and waivers, still takes corrections"

expect 2 --as coord reopen $M
expect 77 --as amy reopen $M --reason x
expect 0 --as coord reopen $M --reason "A member's verdict was entered for the wrong record"
git_ show main:months/$M/closed.json | grep -q '"state": "open"' || fail "closed.json after reopen"
expect 1 --as coord reopen $M --reason again
err_has "is not closed"
expect 0 --as sec review $M "$A" --for bob --grounds not-reasonable --conduct fair
expect 0 --as coord close $M
out_has "1 waived"
ok "reopen needs the close permission and a reason; verdicts are accepted again"

# ---- history in words
expect 0 history $M "$A"
out_has "Person amy (panel) recorded a verdict on record $A of October 2026"
out_has "Person sec (secretary) entered the verdict of Person bob (panel)"
out_has "(entered by Person sec for Person bob)"
out_has "Person rita (records-officer) corrected record $A of October 2026: the outcome from"
out_has "to 'Offender given drugs possession warning'. Reason: Late lab result"
expect 0 history $M
out_has "Carys Coordinator (coordinator) signed off October 2026: 20 sampled records"
out_has "Waived $W: The body-worn video was not kept"
out_has "Carys Coordinator (coordinator) reopened October 2026, which coord had signed off"
ok "history tells it in words"

n=$(verified)
ok "all $n commits verify with stock git; git fsck is clean"
