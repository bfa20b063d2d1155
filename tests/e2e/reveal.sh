# `reveal` (DESIGN.md section 2): the coordinator, holding the trail's
# pseudonym key, finds every subject and officer of a synthetic month back in
# the force's file; each use is a signed access/NNNN.json commit made before
# anything is printed (stock git reads and verifies it), holding no identity.
# Anyone else, or any other key, is refused (77) with nothing logged; verify
# rejects hand-forged access log entries; sync renumbers a replayed entry.
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/verify_lib.sh"
have_tools

founder
register coord ro
"$SSAUDIT" synth --month "$MONTH" --count 60 --seed 11 -o "$T/m.csv" 2>/dev/null
expect 0 --as coord import "$MONTH" "$T/m.csv"
gitx show "main:months/$MONTH/population.jsonl" >"$T/pop.jsonl"
python3 - "$T/pop.jsonl" >"$T/asked" <<'EOF'
import json, sys
seen = set()
for line in open(sys.argv[1]):
    r = json.loads(line)
    for k in ("subject", "officer"):
        if r[k]:
            seen.add(r[k])
print("\n".join(sorted(seen)))
EOF
grep -q '^S-' "$T/asked" && grep -q '^O-' "$T/asked" || fail "the synthetic month should carry subject and officer pseudonyms"

# Round trip: every pseudonym of the population, found back in the file.
t0=$(tip)
mapfile -t ASKED <"$T/asked"
expect 0 --as coord --json reveal "${ASKED[@]}" "$T/m.csv" --reason "Complaint CMP-7 about searches on 15/10/2026"
python3 - "$T/out" "$T/m.csv" "$T/pop.jsonl" "$T/asked" <<'EOF' || fail "reveal's rows do not match the file"
import csv, json, sys
out = json.load(open(sys.argv[1]))
rows = {}
with open(sys.argv[2], newline="") as f:
    rd = csv.DictReader(f)
    for r in rd:
        rows[rd.line_num] = r
pop = [json.loads(l) for l in open(sys.argv[3])]
asked = set(open(sys.argv[4]).read().split())
found = set()
for r in out["rows"]:
    src = rows[r["line"]]
    assert r["name"] == (src["Subject name"] or None), (r, src)
    assert r["date_of_birth"] == (src["Subject date of birth"] or None), (r, src)
    assert r["officer_number"] == (src["Officer"] or None), (r, src)
    found.update(x for x in (r["subject"], r["officer"]) if x)
missing = asked - found
assert not missing, f"not found back: {sorted(missing)[:5]}"
assert out["found"] == len(out["rows"]) == len(pop), (out["found"], len(pop))
EOF
ok "every subject and officer pseudonym of the month is found back, with its row's identity"

[ "$(gitx rev-list --count "$t0"..main)" = 1 ] || fail "reveal should make exactly one commit"
[ "$(gitx log -1 --format='%(trailers:key=Ssaudit-Action,valueonly)' main)" = reveal ] ||
	fail "the commit lacks Ssaudit-Action: reveal"
gitx show main:allowed_signers >"$T/allowed"
gitx -c gpg.ssh.allowedSignersFile="$T/allowed" verify-commit main 2>/dev/null ||
	fail "git verify-commit refuses the reveal commit"
[ "$(gitx diff-tree --no-commit-id --name-only -r main)" = "access/0001.json" ] ||
	fail "the reveal commit should add access/0001.json only: $(gitx diff-tree --no-commit-id --name-only -r main)"
gitx show main:access/0001.json >"$T/access.json"
python3 - "$T/access.json" "$T/asked" "$T/pop.jsonl" <<'EOF' || fail "access/0001.json: $(cat "$T/access.json")"
import json, sys
a = json.load(open(sys.argv[1]))
assert sorted(a) == ["by", "found", "pseudonyms", "reason"], a
assert a["pseudonyms"] == sorted(open(sys.argv[2]).read().split())
assert a["by"] == "coord" and a["found"] == sum(1 for _ in open(sys.argv[3]))
assert a["reason"] == "Complaint CMP-7 about searches on [date]", a["reason"]
EOF
python3 - "$T/m.csv" <<'EOF' >"$T/identities"
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")):
    for k in ("Subject name", "Subject address", "Subject PNC ID"):
        if r[k]:
            print(r[k])
EOF
{ gitx cat-file -p main; cat "$T/access.json"; } >"$T/logged"
if grep -qFf "$T/identities" "$T/logged"; then
	fail "the trail holds an identity: $(grep -oFf "$T/identities" "$T/logged" | head -3)"
fi
ok "logged first as one signed commit (stock git verifies it), access/0001.json holds the pseudonyms, reason (redacted), who and the count, no identity"

# None found: still logged, still exit 0.
expect 0 --as coord reveal S-aaaaaaaaaaaaaaaa "$T/m.csv" --reason "Check"
out_has "no row of the files has the pseudonym S-aaaaaaaaaaaaaaaa"
[ "$(gitx show main:access/0002.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["found"])')" = 0 ] ||
	fail "a use finding nothing should log found: 0"
ok "a use that finds nothing is logged too (found 0), exit 0"

# Refused, nothing logged: a role without 'reveal', no key, another key.
t1=$(tip)
expect 77 --as ro reveal "${ASKED[0]}" "$T/m.csv" --reason "Curious"
err_has "does not let a records-officer reveal"
[ -s "$T/out" ] && fail "a refused reveal printed: $(cat "$T/out")"
mv "$SSAUDIT_HOME/pseudonym.key" "$T/key.saved"
expect 77 --as coord reveal "${ASKED[0]}" "$T/m.csv" --reason "No key"
err_has "no pseudonym key"
head -c 32 /dev/urandom >"$SSAUDIT_HOME/pseudonym.key"
chmod 600 "$SSAUDIT_HOME/pseudonym.key"
expect 77 --as coord reveal "${ASKED[0]}" "$T/m.csv" --reason "Other key"
err_has "is not the trail's"
[ -s "$T/out" ] && fail "a refused reveal printed: $(cat "$T/out")"
mv "$T/key.saved" "$SSAUDIT_HOME/pseudonym.key"
[ "$(tip)" = "$t1" ] || fail "a refused reveal changed the trail"
ok "another role, no key, another key: each refused (77), nothing logged, nothing printed"

# Bad requests: a file that is not there (66), a pseudonym that is not one (2).
expect 66 --as coord reveal "${ASKED[0]}" "$T/nothing.csv" --reason "Missing file"
expect 2 --as coord reveal S-tooshort "$T/m.csv" --reason "Bad"
expect 2 --as coord reveal "${ASKED[0]}" "$T/m.csv"
err_has "--reason"
cp "$T/m.csv" "$T/copy.csv"
expect 2 --as coord reveal "${ASKED[0]}" "$T/m.csv" "$T/copy.csv" --reason "Twice"
err_has "is the same file as"
[ "$(tip)" = "$t1" ] || fail "a bad reveal request changed the trail"
ok "a missing file (66), a malformed pseudonym, no reason or one file twice (2): nothing logged"

# Logged before printed: when the log cannot be written (the trail stays
# busy), nothing is printed at all.
flock "$SSAUDIT_TRAIL/ssaudit.lock" sleep 30 &
holder=$!
sleep 0.3
SSAUDIT_LOCK_TIMEOUT=300 expect 75 --as coord reveal "${ASKED[0]}" "$T/m.csv" --reason "Busy"
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
[ -s "$T/out" ] && fail "reveal printed rows without logging them: $(cat "$T/out")"
[ "$(tip)" = "$t1" ] || fail "a busy trail changed"
ok "when the use cannot be logged (trail busy, 75), nothing is printed"
expect 0 verify
out_has "access log:   $(git --git-dir "$SSAUDIT_TRAIL" ls-tree --name-only main access/ | wc -l) uses of reveal"
expect 0 verify --json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["reveals"] == int(sys.argv[2]), j' "$T/out" "$(git --git-dir "$SSAUDIT_TRAIL" ls-tree --name-only main access/ | wc -l)" ||
	fail "verify --json does not count the access log's entries"
ok "verify counts the access log's entries, in words and in JSON"

# Forged entries: a wrong number, a signer whose role may not reveal, an
# identity smuggled in, a reason left unredacted.
cp -a "$SSAUDIT_TRAIL" "$T/good.git"
access_forge() { # SIGNER FILE NUMBER: a reveal commit on main by SIGNER
	message "$T/msg" reveal "reveal: 1 pseudonym by $1" "Ssaudit-Role: ${ROLE[$1]}"
	local c
	c=$(forge main "$1" "$1" "$1" "$T/msg" "access/$3.json" "$2")
	gitx update-ref refs/heads/main "$c"
	echo "$c"
}
entry() { # BY REASON [EXTRA]
	printf '{\n  "pseudonyms": ["%s"],\n  "reason": "%s",\n  "by": "%s",\n  "found": 1%s\n}\n' \
		"${ASKED[0]}" "$2" "$1" "${3:-}" >"$T/entry.json"
}
entry coord "Request"
c=$(access_forge coord "$T/entry.json" 0005)
verify_fails "$c" "the access log entry is numbered 0005, but the log had 2 entries before it, so the next is 0003"
rm -rf "$SSAUDIT_TRAIL" && cp -a "$T/good.git" "$SSAUDIT_TRAIL"
entry ro "Request"
c=$(access_forge ro "$T/entry.json" 0003)
verify_fails "$c" "ro is a records-officer, and the policy in force does not let a records-officer reveal who is behind a pseudonym"
rm -rf "$SSAUDIT_TRAIL" && cp -a "$T/good.git" "$SSAUDIT_TRAIL"
entry coord "Request" ', "name": "Gareth Bevan"'
c=$(access_forge coord "$T/entry.json" 0003)
verify_fails "$c" "the access log entry is not valid"
rm -rf "$SSAUDIT_TRAIL" && cp -a "$T/good.git" "$SSAUDIT_TRAIL"
entry coord "Born 14/05/2010"
c=$(access_forge coord "$T/entry.json" 0003)
verify_fails "$c" "the reason holds what reveal always redacts"
rm -rf "$SSAUDIT_TRAIL" && cp -a "$T/good.git" "$SSAUDIT_TRAIL"
ok "verify rejects a wrong number, an unauthorised signer, an identity field and an unredacted reason"

# Two sites log a use at once: both write access/0003.json; the second to
# sync replays its entry as 0004.
HUB="$T/hub.git"
git init -q --bare --initial-branch=main "$HUB"
gitx remote add origin "$HUB"
expect 0 --as coord sync
git clone -q --bare "$HUB" "$T/B.git"
expect 0 --as coord reveal "${ASKED[0]}" "$T/m.csv" --reason "Site A"
SSAUDIT_TRAIL="$T/B.git" expect 0 --as coord reveal "${ASKED[1]}" "$T/m.csv" --reason "Site B"
[ "$(git --git-dir "$T/B.git" show main:access/0003.json | grep -c 'Site B')" = 1 ] || fail "site B's entry"
expect 0 --as coord sync
SSAUDIT_TRAIL="$T/B.git" expect 0 --as coord --json sync
out_has "replayed"
for n in 0003 0004; do git --git-dir "$HUB" show "main:access/$n.json" >"$T/$n.json"; done
grep -q "Site A" "$T/0003.json" && grep -q "Site B" "$T/0004.json" ||
	fail "the hub should hold A's entry as 0003 and B's as 0004"
SSAUDIT_TRAIL="$HUB" expect 0 verify
SSAUDIT_TRAIL="$T/B.git" expect 0 --as coord sync
[ "$(git --git-dir "$HUB" ls-tree --name-only main access/ | wc -l)" = 4 ] || fail "a re-sync logged an entry twice"
ok "sync replays a site's access log entry as the next free number; the hub verifies"
