# Policies through the command line: the malformed corpus refused by init with
# exit 78 naming the key (and no trail left behind), and `policy set` by the
# roles allowed, with sampled months keeping the policy they were drawn under.
. "$(dirname "$0")/env.sh"
person coord >/dev/null
corpus="$SS_SOURCE_DIR/tests/corpus/policies"
n=0
while IFS=$'\t' read -r file code text; do
	case "$file" in '#'* | '') continue ;; esac
	[ "$code" = 78 ] || continue
	expect 78 --trail "$T/bad.git" --as coord init --policy "$corpus/$file" --name C --email c@example.org
	err_has "$text"
	[ ! -e "$T/bad.git" ] || fail "$file: a refused init left a trail behind"
	n=$((n + 1))
done <"$corpus/EXPECT"
[ "$n" -ge 12 ] || fail "only $n malformed policies"
ok "$n malformed policies refused by init with exit 78 and the key named"

expect 66 --as coord init --policy "$T/none.json" --name C --email c@example.org
expect 2 --as coord init --policy "$POLICY" --name C
expect 78 --as coord init --policy "$POLICY" --name C --email c@example.org --role nobody
[ ! -e "$SSAUDIT_TRAIL" ] || fail "refused init left a trail"
ok "init refusals leave nothing behind"

founder
"$SSAUDIT" synth --month 2026-10 --count 200 --seed 2 -o "$T/m.csv" 2>/dev/null
expect 0 --as coord import 2026-10 "$T/m.csv"
expect 0 --as coord sample 2026-10 --seed 77
old=$(git --git-dir "$SSAUDIT_TRAIL" show main:policy.json | sha256sum | cut -c1-64)

# A policy that changes the rate: the sampled month keeps its digest.
python3 - "$POLICY" "$T/p12.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["sample"]["rate"] = "12.5%"
p["sample"]["random"] = "10%"
p["name"] = "EUPPG monthly, 12.5%"
json.dump(p, open(sys.argv[2], "w"), indent=2)
PY
ro=$(person records1)
expect 0 --as coord reviewer add records1 --role records-officer --name R --email r@example.org --key "$ro"
expect 77 --as records1 policy set "$T/p12.json"
expect 78 --as coord policy set "$corpus/rate-over-100.json"
before=$(tip)
expect 0 --as coord policy set "$T/p12.json"
[ "$(git --git-dir "$SSAUDIT_TRAIL" rev-parse main^)" = "$before" ] || fail "policy set is not one commit"
expect 0 --as coord policy set "$T/p12.json"
err_has "already in force"
[ "$(git --git-dir "$SSAUDIT_TRAIL" show main:months/2026-10/sample.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy_sha256"])')" = "$old" ] ||
	fail "the sampled month's policy digest changed"
ok "policy set: permission, validation, one commit, sampled months keep their policy"

# A policy that drops a role someone holds is refused, as is one that locks the coordinator out.
python3 - "$T/p12.json" "$T/norecords.json" "$T/lockout.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
q = json.loads(json.dumps(p))
del q["roles"]["records-officer"]
q["roles"]["coordinator"]["registers"].remove("records-officer")
json.dump(q, open(sys.argv[2], "w"))
r = json.loads(json.dumps(p))
r["roles"]["coordinator"]["may"].remove("policy")
json.dump(r, open(sys.argv[3], "w"))
PY
expect 78 --as coord policy set "$T/norecords.json"
err_has "records1"
expect 78 --as coord policy set "$T/lockout.json"
ok "policy set refuses to orphan a reviewer or lock out its author"

# A month's rules come from the policy its sample names: after a policy that
# drops the answer "insufficient-information", a verdict giving it on the
# month sampled before is still accepted; the same answer on a month sampled
# under the new policy is refused.
python3 - "$T/p12.json" "$T/p13.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
g = next(q for q in p["verdict"] if q["id"] == "grounds")
g["values"] = [v for v in g["values"]
               if (v if isinstance(v, str) else v["value"]) != "insufficient-information"] + ["not-assessable"]
p["name"] = "EUPPG monthly, no insufficient-information"
json.dump(p, open(sys.argv[2], "w"), indent=2)
PY
expect 0 --as coord policy set "$T/p13.json"
expect 0 --as coord reviewer add insp1 --role local-inspector --name I --email i@example.org \
	--key "$(person insp1)"
id=$("$SSAUDIT" -q list 2026-10 --role local-inspector | sed -n 2p | cut -d' ' -f1)
[ -n "$id" ] || fail "no record for the local inspector in 2026-10"
expect 0 --as insp1 review 2026-10 "$id" --grounds insufficient-information --conduct fair \
	--bwv viewed
[ "$(git --git-dir "$SSAUDIT_TRAIL" show "main:months/2026-10/verdicts/${id:2:2}/$id/local-inspector.insp1.json" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["answers"]["grounds"])')" = insufficient-information ] ||
	fail "the verdict under the month's own policy was not recorded"
"$SSAUDIT" synth --month 2026-11 --count 200 --seed 3 -o "$T/n.csv" 2>/dev/null
expect 0 --as coord import 2026-11 "$T/n.csv"
expect 0 --as coord sample 2026-11 --seed 78
id2=$("$SSAUDIT" -q list 2026-11 --role local-inspector | sed -n 2p | cut -d' ' -f1)
expect 2 --as insp1 review 2026-11 "$id2" --grounds insufficient-information --conduct fair \
	--bwv viewed
err_has "insufficient-information"
expect 0 verify
ok "a month's verdicts are checked against the policy its sample names (and verify agrees)"
verify_all_with_git >/dev/null
