# verify on honest trails: a whole month made with the real commands (own
# verdicts, verdicts entered for a member, worksheet batches, corrections,
# waivers, close, reopen, a removal, a new policy) holds; what it prints for a
# lay auditor and in --json; commits made with a fixed clock are listed;
# published ids (--root, --anchor) check out; and stock git agrees.
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/verify_lib.sh"
have_tools

expect 66 verify
ok "no trail: exit 66"

base_trail
root=$(gitx rev-list --max-parents=0 main)
published=$(tip)

# fill_worksheet FILE: every row answered (grounds alternate so findings vary).
fill_worksheet() {
	python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
col = {name: i for i, name in enumerate(head)}
for n, row in enumerate(rows[1:]):
    row[col["grounds"]] = "reasonable" if n % 3 else "not-reasonable"
    row[col["conduct"]] = "fair"
    row[col["bwv"]] = "viewed" if n % 2 else "not-available"
    row[col["note"]] = "checked against the written record" if n % 5 == 0 else ""
csv.writer(open(sys.argv[1], "w", newline="")).writerows(rows)
PY
}

# Every verdict the month needs, by worksheet: the two inspectors themselves,
# the panel's member through the secretary.
for who in li ii; do
	expect 0 --as "$who" pack "$MONTH" --role "${ROLE[$who]}" --reviewer "$who" --format csv -o "$T/$who.csv"
	fill_worksheet "$T/$who.csv"
	expect 0 --as "$who" review "$MONTH" --from "$T/$who.csv"
done
expect 0 pack "$MONTH" --role qa-panel --format csv -o "$T/qa.csv"
python3 - "$T/qa.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
for row in rows[1:]:
    row[3] = "m1"
csv.writer(open(sys.argv[1], "w", newline="")).writerows(rows)
PY
fill_worksheet "$T/qa.csv"
waive=$(sampled qa-panel | sed -n 2p)
python3 - "$T/qa.csv" "$waive" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
rows = [r for r in rows if r[1] != sys.argv[2]]
csv.writer(open(sys.argv[1], "w", newline="")).writerows(rows)
PY
expect 0 --as sec review "$MONTH" --from "$T/qa.csv"
ok "verdicts by worksheet, own and entered for a member"

# An inspector changes their mind about one verdict (the file is replaced).
first=$(sampled local-inspector | sed -n 3p)
expect 0 --as li review "$MONTH" "$first" --grounds insufficient-information --conduct concerns \
	--bwv not-viewed --note "the record is too thin to judge"

# Outcome corrections, one on top of another, by two roles allowed to correct.
unsampled_id=$(unsampled)
expect 0 --as ro correct "$MONTH" "$unsampled_id" --outcome "Arrest" --reason "lab result came back"
sleep 1 # corrections are named by the second they were made
expect 0 --as coord correct "$MONTH" "$unsampled_id" --outcome "Summons / charged by post" \
	--linked true --reason "charged by post after the lab result"
ok "two corrections of one record"

expect 0 --as coord close "$MONTH" --waive "$waive" --reason "the member recused: they know the person"
expect 0 --as coord reopen "$MONTH" --reason "a late verdict to record"
expect 0 --as li review "$MONTH" "$first" --grounds reasonable --conduct fair --bwv viewed
expect 0 --as coord close "$MONTH"
ok "closed with a waiver, reopened, closed again"

expect 0 --as coord reviewer remove li
sed 's/"name": "EUPPG monthly stop and search review"/"name": "EUPPG review, second edition"/' \
	"$POLICY" >"$T/policy2.json"
expect 0 --as coord policy set "$T/policy2.json"
ok "a reviewer removed and a new policy"

# Two commits with a fixed clock: verify names them.
SSAUDIT_TEST=1 SSAUDIT_NOW=1800000000 expect 0 --as coord reviewer add ro2 --role records-officer \
	--name "Rhian Records" --email ro2@example.org
fixed1=$(tip)
SSAUDIT_TEST=1 SSAUDIT_NOW=1800000060 expect 0 --as coord correct "$MONTH" "$unsampled_id" \
	--linked false --reason "the arrest was for something else"
fixed2=$(tip)

n=$(gitx rev-list --count main)
expect 0 verify --root "$root" --anchor "$published"
out_has "trail id:     $root"
out_has "founder key:  SHA256:"
out_has "verified $n commits: every signature, permission, sample and verdict holds"
out_has "is still in the history"
out_has "2 commits carry 'Ssaudit-Clock: fixed'"
out_has "$fixed1"
out_has "$fixed2"
fp=$(ssh-keygen -l -f <(gitx show main:reviewers/coord.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])') | cut -d' ' -f2)
out_has "founder key:  $fp (coord)"
ok "text: the trail id, ssh-keygen's fingerprint of the founder, $n commits, fixed clocks"

expect 0 verify --json --root "$root"
python3 - "$T/out" "$root" "$n" "$fp" "$fixed1" "$fixed2" <<'PY' || fail "verify --json: $(head -c 1500 "$T/out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] is True
assert j["trail_id"] == sys.argv[2]
assert j["commits"] == int(sys.argv[3]), j["commits"]
assert j["founder_fingerprint"] == sys.argv[4]
assert j["fixed_clock"] == sys.argv[5:], j["fixed_clock"]
assert j["problems"] == []
assert j["samples"] == 1 and j["corrections"] == 3 and j["verdicts"] >= 77 + 77 + 19
PY
ok "--json: ok, trail id, count, fingerprint, fixed clocks, no problems"

# What stock git says agrees: every commit's signature, with the trail's own allowed_signers.
verify_all_with_git >/dev/null
ok "stock git verify-commit accepts all $n commits"

# A problem shows in --json with its commit, path and reason.
message "$T/msg" verdict "verdict: edited by hand"
c=$(forge main coord coord coord "$T/msg" "$(verdict_path local-inspector "$first" li)" "$T/msg")
gitx update-ref refs/heads/main "$c"
expect 1 verify --json
python3 - "$T/out" "$c" <<'PY' || fail "verify --json with a problem: $(head -c 1500 "$T/out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] is False
assert any(p["commit"] == sys.argv[2] and (p["path"] or "").endswith(".li.json") and p["reason"] for p in j["problems"]), j["problems"]
PY
ok "--json: a problem with its commit, path and reason"
