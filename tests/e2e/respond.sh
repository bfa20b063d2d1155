# The force's response to the follow-up list (`ssaudit respond`), end to end
# under the shipped policy: who may respond, what may be recorded and for
# which records, numbered files checked with stock git, accepted after the
# month is closed, told in words by history and show, shown in the report
# beside each item (or how long it has waited), and hand-forged responses
# caught by verify. Every refusal leaves the trail as it was.
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/verify_lib.sh"
have_tools

NAME[ps]="Pat Standards"
ROLE[ps]=professional-standards
founder
register coord li
register coord pcc
register coord ro
register coord ps
register pcc ii
register pcc sec
register pcc m1 nokey
"$SSAUDIT" synth --month "$MONTH" --count 24 --seed 11 -o "$T/synth.csv" 2>/dev/null
expect 0 --as coord import "$MONTH" "$T/synth.csv"
expect 0 --as coord sample "$MONTH" --seed 42
sampled all >"$T/all"
sampled qa-panel >"$T/qa"
n=$(wc -l <"$T/all")
[ "$n" -ge 3 ] || fail "the sample should hold at least 3 records, not $n"
A=$(sed -n 1p "$T/all")
B=$(sed -n 2p "$T/all")
C=$(sed -n 3p "$T/all")
# Every sampled record reviewed by both inspectors and the panel (entered by
# the secretary), so the month can close: A's grounds not reasonable, B's
# conduct a concern (two follow-up items), the rest without a finding.
while read -r id; do
	g=reasonable c=fair
	[ "$id" = "$A" ] && g=not-reasonable
	[ "$id" = "$B" ] && c=concerns
	expect 0 --as li review "$MONTH" "$id" --grounds "$g" --conduct "$c" --bwv viewed
	expect 0 --as ii review "$MONTH" "$id" --grounds reasonable --conduct fair --bwv viewed
	if grep -qx "$id" "$T/qa"; then
		expect 0 --as sec review "$MONTH" "$id" --for m1 --grounds reasonable --conduct fair \
			--bwv viewed
	fi
done <"$T/all"
ok "a month of $n sampled records reviewed, two of them on the follow-up list"

# ---- refusals, each leaving the trail as it was
t0=$(tip)
expect 1 --as ro respond "$MONTH" "$C" --action training
err_has "$C of October 2026 is not on the follow-up list: none of its"
expect 65 --as ro respond "$MONTH" "$A" --action advice
err_has "'advice' is not a response the policy allows"
err_has "words-of-advice, training, no-further-action, referred-to-professional-standards, disagree-with-finding"
expect 77 --as li respond "$MONTH" "$A" --action training
err_has "does not let a local-inspector respond to follow-up items"
expect 77 --as sec respond "$MONTH" "$A" --action training
expect 2 --as ro respond "$MONTH" "$A"
err_has "--action"
expect 2 --as ro respond "$MONTH" "$A" --action training --ref DP-1
expect 1 --as ro respond 2026-09 "$A" --action training
err_has "September 2026 has not been sampled yet"
unsampled=$(unsampled)
expect 1 --as ro respond "$MONTH" "$unsampled" --action training
err_has "is not in the sample of October 2026, so it is not on the follow-up list"
[ "$(tip)" = "$t0" ] || fail "a refused response changed the trail"
ok "refused: not on the list (1), unknown action with the list (65), roles without respond (77), bad command lines (2)"

# ---- one response: a numbered file, a signed commit stock git verifies
expect 0 --as ro respond "$MONTH" "$A" --action words-of-advice \
	--note "Spoke to PC 1234 on 3 March 2026; call 01234 567890"
out_has "response 1 recorded: words of advice to the officer (words-of-advice)"
out_has "hidden"
rpath="months/$MONTH/responses/${A:2:2}/$A/0001.json"
[ "$(gitx ls-tree -r --name-only main -- "months/$MONTH/responses")" = "$rpath" ] ||
	fail "the response is not at $rpath: $(gitx ls-tree -r --name-only main)"
gitx show "main:$rpath" >"$T/r.json"
python3 - "$T/r.json" "$A" <<'PY' || fail "response file: $(cat "$T/r.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert list(r) == ["month", "id", "action", "note", "by"], list(r)
assert r["month"] == "2026-10" and r["id"] == sys.argv[2] and r["by"] == "ro"
assert r["action"] == "words-of-advice"
assert r["note"] == "Spoke to [officer] on [date]; call [phone]", r["note"]
PY
gitx cat-file -p main | grep -q "1234\|3 March" && fail "the commit message holds what the note's redaction hid"
[ "$(gitx log -1 --format='%(trailers:key=Ssaudit-Action,valueonly)%(trailers:key=Ssaudit-Month,valueonly)%(trailers:key=Ssaudit-Record,valueonly)%(trailers:key=Ssaudit-Role,valueonly)' main | tr -d '\n')" = \
	"response${MONTH}${A}records-officer" ] || fail "trailers: $(gitx log -1 --format='%(trailers)' main)"
[ "$(gitx log -1 --format='%an|%cn|%s' main)" = "Rhys Records|Rhys Records|response: $MONTH $A by ro (records-officer)" ] ||
	fail "subject or people: $(gitx log -1 --format='%an|%cn|%s' main)"
gitx show main:allowed_signers >"$T/allowed_signers"
gitx -c gpg.ssh.allowedSignersFile="$T/allowed_signers" verify-commit main 2>/dev/null ||
	fail "stock git does not verify the response commit"
ok "a response is one signed commit at responses/XX/ID/0001.json; its note redacted; git verify-commit accepts it"

# ---- the report: a response beside its item; the other awaiting, days since close
t1=$(tip)
expect 0 report "$MONTH"
out_has "2 items; 1 with a response (1 response); 1 awaiting a response."
out_has "response 1: words of advice to the officer (words-of-advice), by records-officer"
out_has "awaiting a response (the month is still open)"
closed_at=1798000000 # a fixed moment for the sign-off
SSAUDIT_TEST=1 SSAUDIT_NOW=$closed_at expect 0 --as coord close "$MONTH"
SSAUDIT_TEST=1 SSAUDIT_NOW=$((closed_at + 12 * 86400 + 3600)) expect 0 report "$MONTH"
out_has "awaiting a response: 12 days since the month closed"
SSAUDIT_TEST=1 SSAUDIT_NOW=$((closed_at + 12 * 86400 + 3600)) expect 0 report "$MONTH" --format json
python3 - "$T/out" "$A" "$B" <<'PY' || fail "report JSON follow_up: $(head -c 3000 "$T/out")"
import json, sys
fu = {f["id"]: f for f in json.load(open(sys.argv[1]))["follow_up"]}
a, b = fu[sys.argv[2]], fu[sys.argv[3]]
assert [x["answer"] for x in a["flags"]] == ["not-reasonable"], a["flags"]
assert [x["answer"] for x in b["flags"]] == ["concerns"], b["flags"]
assert a["awaiting"] is False and len(a["responses"]) == 1
r = a["responses"][0]
assert r["action"] == "words-of-advice" and r["role"] == "records-officer" and r["by"] == "ro"
assert r["number"] == 1 and len(r["date"]) == 10 and r["note"].startswith("Spoke to [officer]")
assert b["awaiting"] is True and b["closed"] is True and b["days_since_close"] == 12, b
PY
SSAUDIT_TEST=1 SSAUDIT_NOW=$((closed_at + 86400)) expect 0 report "$MONTH" --format csv
grep -q "^follow_up,$MONTH,response,$A,1 ro (records-officer) [0-9-]*,,,,words-of-advice" "$T/out" ||
	fail "CSV response row: $(grep follow_up "$T/out")"
grep -q "^follow_up,$MONTH,awaiting,$B,days_since_close,,,,1" "$T/out" || fail "CSV awaiting row: $(grep follow_up "$T/out")"
SSAUDIT_TEST=1 SSAUDIT_NOW=$((closed_at + 86400)) expect 0 report "$MONTH" --format html
out_has "Awaiting a response: 1 day since the month closed."
out_has "<b>words of advice to the officer</b> (<code>words-of-advice</code>), by records-officer"
expect 0 report "$MONTH" --public
grep -q "$A" "$T/out" && fail "the public report names a follow-up record"
grep -q "Spoke to" "$T/out" && fail "the public report holds a response's note"
out_has "with the force's response:"
expect 0 report "$MONTH" --public --format json
python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
f = j["follow_up"]
assert set(f) == {"items", "responded", "responses"}, f
ids = {t["id"] for t in j["tables"]}
assert {"follow-up", "follow-up-answered", "follow-up-responses"} <= ids, ids' "$T/out" ||
	fail "the public JSON does not keep the follow-up counts as protected tables"
ok "report: each response beside its item, or how many days it has waited since close (text, JSON, CSV, HTML); public leaves ids and notes out"

# ---- a closed month still takes responses; numbering goes on per record
expect 0 --as ps respond "$MONTH" "$A" --action referred-to-professional-standards
out_has "response 2 recorded"
expect 0 --as ps respond "$MONTH" --ref "$(gitx show "main:months/$MONTH/population.jsonl" | grep "\"$B\"" |
	python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["reference"])')" --action no-further-action
out_has "$MONTH $B: response 1 recorded: no further action"
[ "$(gitx ls-tree -r --name-only main -- "months/$MONTH/responses" | sed 's|.*/responses/||' | tr '\n' ' ')" = \
	"${A:2:2}/$A/0001.json ${A:2:2}/$A/0002.json ${B:2:2}/$B/0001.json " ] ||
	[ "$(gitx ls-tree -r --name-only main -- "months/$MONTH/responses" | sed 's|.*/responses/||' | tr '\n' ' ')" = \
		"${B:2:2}/$B/0001.json ${A:2:2}/$A/0001.json ${A:2:2}/$A/0002.json " ] ||
	fail "numbering: $(gitx ls-tree -r --name-only main -- "months/$MONTH/responses")"
ok "a closed month accepts responses by professional standards (by id or --ref); numbers go on per record"

# ---- history and show tell it
expect 0 history "$MONTH" "$A"
out_has "Rhys Records (records-officer) recorded the force's response to follow-up item $A of October 2026 (a local-inspector answered grounds 'not-reasonable'): words of advice to the officer (words-of-advice). Note: Spoke to [officer] on [date]"
out_has "Pat Standards (professional-standards) recorded the force's response"
expect 0 show "$MONTH" "$A"
out_has "the force's responses (follow-up), oldest first:"
out_has "2. by ps: referred to professional standards (referred-to-professional-standards)"
expect 0 --json show "$MONTH" "$A"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["responses"]; assert [x["number"] for x in r]==[1,2] and r[1]["by"]=="ps", r' "$T/out" ||
	fail "show --json responses: $(cat "$T/out")"
ok "history tells each response in words; show lists them"

# ---- verify: the honest trail holds; forged responses do not
expect 0 verify --json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["ok"] and j["responses"]==3, j' "$T/out" ||
	fail "verify --json: $(head -c 1500 "$T/out")"
verify_all_with_git >/dev/null
cp -a "$SSAUDIT_TRAIL" "$T/honest.git"
again() { rm -rf "$SSAUDIT_TRAIL" && cp -a "$T/honest.git" "$SSAUDIT_TRAIL"; }
response_file() { # OUT ID ACTION BY
	printf '{\n  "month": "%s",\n  "id": "%s",\n  "action": "%s",\n  "note": null,\n  "by": "%s"\n}\n' \
		"$MONTH" "$2" "$3" "$4" >"$1"
}
forge_response() { # SIGNER ID NUMBER ACTION
	local role=${ROLE[$1]} c
	response_file "$T/resp.json" "$2" "$4" "$1"
	message "$T/msg" response "response: $MONTH $2 by $1 ($role)" "Ssaudit-Month: $MONTH" \
		"Ssaudit-Record: $2" "Ssaudit-Role: $role"
	c=$(forge main "$1" "$1" "$1" "$T/msg" "months/$MONTH/responses/${2:2:2}/$2/$3.json" "$T/resp.json")
	gitx update-ref refs/heads/main "$c"
	echo "$c"
}
c=$(forge_response ps "$B" 0002 training)
expect 0 verify
ok "a response forged with stock git plumbing, honestly numbered and signed, verifies"
again
c=$(forge_response ps "$B" 0003 training)
verify_fails "$c" "the response is numbered 0003, but the record had 1 response before it, so the next is 0002"
again
c=$(forge_response li "$B" 0002 training)
verify_fails "$c" "li is a local-inspector, and the policy in force does not let a local-inspector respond to follow-up items"
again
c=$(forge_response ro "$C" 0001 training)
verify_fails "$c" "was not on the follow-up list"
again
c=$(forge_response ro "$B" 0002 sacked)
verify_fails "$c" "'sacked' is not a response the policy in force allows"
again
response_file "$T/resp.json" "$A" training ro
message "$T/msg" response "response: rewritten" "Ssaudit-Month: $MONTH" "Ssaudit-Record: $A" \
	"Ssaudit-Role: records-officer"
c=$(forge main ro ro ro "$T/msg" "months/$MONTH/responses/${A:2:2}/$A/0001.json" "$T/resp.json")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "a response commit may not change this file"
ok "verify rejects forged responses: wrong number, wrong role, a record not on the list, an unknown action, a response rewritten"

# ---- two sites responding to one item at once: the second to sync is told
again
HUB="$T/hub.git"
git init -q --bare --initial-branch=main "$HUB"
gitx remote add origin "$HUB"
expect 0 --as coord sync
git clone -q --bare "$HUB" "$T/X.git"
git clone -q --bare "$HUB" "$T/Y.git"
SSAUDIT_TRAIL="$T/X.git" expect 0 --as ro respond "$MONTH" "$B" --action training
SSAUDIT_TRAIL="$T/Y.git" expect 0 --as ps respond "$MONTH" "$B" --action words-of-advice
SSAUDIT_TRAIL="$T/X.git" expect 0 --as ro sync
hub=$(git --git-dir "$HUB" rev-parse main)
SSAUDIT_TRAIL="$T/Y.git" expect 1 --as ps sync
err_has "Pat Standards's response to a follow-up item on record $B of October 2026"
[ "$(git --git-dir "$HUB" rev-parse main)" = "$hub" ] || fail "the hub moved after a response conflict"
git --git-dir "$HUB" show "main:months/$MONTH/responses/${B:2:2}/$B/0002.json" | grep -q '"by": "ro"' ||
	fail "the hub should hold the first site's response as 0002"
ok "two sites responding to one record at once write the same number: the second sync stops, names it, pushes nothing"
