# The tamper suite: an honest trail is built with the real binary, then
# altered with stock git plumbing the way someone with a copy of the trail
# (and perhaps one person's key) could. verify must exit 1 for each and name
# the commit and the reason; it exits 0 on the honest trail and on an honest
# commit made with plumbing.
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/verify_lib.sh"
have_tools
base_trail

expect 0 verify
out_has "verified 12 commits"
li_ids=($(sampled local-inspector))
qa_ids=($(sampled qa-panel))
ok "the honest trail verifies"

# An honest verdict made with plumbing and signed by its reviewer verifies,
# so the failures below come from the tampering, not from the forging.
c=$(forge_verdict li li li "${li_ids[1]}")
expect 0 verify
gitx show main:allowed_signers >"$T/signers"
git -c gpg.ssh.allowedSignersFile="$T/signers" --git-dir "$SSAUDIT_TRAIL" verify-commit "$c" \
	2>/dev/null || fail "stock git refuses the honest plumbing commit"
ok "an honest verdict made with git plumbing verifies"

fresh
c=$(forge_verdict - li li "${li_ids[1]}")
verify_fails "$c" "the commit is not signed"
ok "an unsigned commit appended"

fresh
person stranger >/dev/null
c=$(forge_verdict stranger li li "${li_ids[1]}")
verify_fails "$c" "signed by a key nobody had registered"
ok "a commit signed by a key nobody registered"

fresh
c=$(forge_verdict ro ro ro "${li_ids[1]}")
verify_fails "$c" "does not let a records-officer record verdicts"
ok "a verdict by a role that may not review"

fresh
out_id=$(unsampled)
c=$(forge_verdict li li li "$out_id")
verify_fails "$c" "$out_id is not in the sample"
ok "a verdict for a record outside the sample"

fresh
c=$(forge_verdict li li li "${li_ids[$((${#li_ids[@]} - 1))]}")
expect 0 verify
fresh
# qa-panel reviews 20 of the sample: a record past them is not theirs.
c=$(forge_verdict sec sec m1 "${li_ids[$((${#li_ids[@]} - 1))]}")
verify_fails "$c" "is in the sample but not in the share a qa-panel reviews"
ok "a verdict on a sampled record outside the role's share"

fresh
c=$(forge_verdict sec sec li "${li_ids[1]}")
verify_fails "$c" "does not let a panel-secretary enter verdicts for a local-inspector"
ok "a verdict entered for someone by a role that may not enter for them"

# The sample edited afterwards, signed by the coordinator who drew it.
fresh
sample_path="months/$MONTH/sample.json"
gitx show "main:$sample_path" | python3 -c '
import json, sys
s = json.load(sys.stdin)
gone = s["records"].pop()["id"]
for r in s["roles"]:
    s["roles"][r] = [i for i in s["roles"][r] if i != gone]
json.dump(s, sys.stdout, indent=2)' >"$T/sample.json"
message "$T/msg" sample "sample: $MONTH (edited)" "Ssaudit-Month: $MONTH" "Ssaudit-Role: coordinator"
c=$(forge main coord coord coord "$T/msg" "$sample_path" "$T/sample.json")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "the sample was changed after it was drawn"
ok "an edited sample.json appended"

# ... or the sample commit itself re-made with the edited sample, and history cut there.
fresh
s=$(gitx log --format=%H --grep='^sample:' main | sed -n 1p)
c=$(forge "$s^" coord coord coord "$T/msg" "$sample_path" "$T/sample.json")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "the sample does not re-derive from its population, policy and seed"
same_threads 1
ok "a sample commit re-made with an edited sample.json"

# ... or re-made with a role's list of ids not the role's share (one id dropped).
fresh
s=$(gitx log --format=%H --grep='^sample:' main | sed -n 1p)
ids_path="months/$MONTH/roles/qa-panel.ids"
gitx show "$s:$ids_path" | sed 1d >"$T/qa.ids"
gitx show "$s" --format=%B -s >"$T/msg"
c=$(forge "$s^" coord coord coord "$T/msg" "$sample_path" <(gitx show "$s:$sample_path") "$ids_path" "$T/qa.ids")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "the list of ids qa-panel must review is not the role's share"
ok "a sample commit re-made with an edited roles/qa-panel.ids"

fresh
pop_path="months/$MONTH/population.jsonl"
gitx show "main:$pop_path" | sed 1d >"$T/pop.jsonl"
message "$T/msg" import "import: $MONTH (edited)" "Ssaudit-Month: $MONTH" "Ssaudit-Role: coordinator"
c=$(forge main coord coord coord "$T/msg" "$pop_path" "$T/pop.jsonl")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "the population of $MONTH was changed after the month was sampled"
ok "a population edited after sampling"

# The seed committed before the population it draws from.
fresh
i=$(gitx log --format=%H --grep='^import:' main | sed -n 1p)
gitx show "main:$sample_path" >"$T/sample.json"
gitx show "main:$pop_path" >"$T/pop.jsonl"
gitx show "main:months/$MONTH/sources.json" >"$T/sources.json"
message "$T/msg" sample "sample: $MONTH" "Ssaudit-Month: $MONTH" "Ssaudit-Role: coordinator"
a=$(forge "$i^" coord coord coord "$T/msg" "$sample_path" "$T/sample.json")
message "$T/msg" import "import: $MONTH" "Ssaudit-Month: $MONTH" "Ssaudit-Role: coordinator"
b=$(forge "$a" coord coord coord "$T/msg" "$pop_path" "$T/pop.jsonl" \
	"months/$MONTH/sources.json" "$T/sources.json")
gitx update-ref refs/heads/main "$b"
verify_fails "$a" "the sample was drawn before the month's population was committed"
ok "a sample committed before its population"

# History rewritten after a tip was published: consistent in itself, but the anchor catches it.
fresh
anchor=$(tip)
gitx update-ref refs/heads/main main^
forge_verdict sec sec m1 "${qa_ids[0]}" not-reasonable >/dev/null
expect 0 verify
expect 0 verify --anchor "$(tip)"
verify_fails "$anchor" "no longer in the history of main" --anchor "$anchor"
ok "a rewritten history against --anchor"

# A trail founded again (here under a laxer policy) is not the published one.
fresh
root=$(gitx rev-list --max-parents=0 main)
expect 0 verify --root "$root"
out_has "$root"
sed -e 's/"rate": "25%"/"rate": "5%"/' -e 's/"random": "15%"/"random": "5%"/' "$POLICY" >"$T/lax.json"
SSAUDIT_TRAIL="$T/other.git" "$SSAUDIT" --as coord -q init --policy "$T/lax.json" \
	--name "${NAME[coord]}" --email "$(email coord)" >/dev/null
SSAUDIT_TRAIL="$T/other.git" expect 0 verify
other=$(git --git-dir "$T/other.git" rev-parse main)
SSAUDIT_TRAIL="$T/other.git" verify_fails "$other" "not the published trail id $root" --root "$root"
ok "a different first commit against --root"

fresh
expect 0 --as coord reviewer remove li
c=$(forge_verdict li li li "${li_ids[1]}")
verify_fails "$c" "signed by li, whose registration had been removed"
ok "a commit by a removed reviewer"

# allowed_signers edited by hand to admit a stranger: stock git then accepts the
# stranger's commits; verify refuses both the edit and the stranger.
fresh
{
	gitx show main:allowed_signers
	echo "stranger namespaces=\"git\" $(ssh-keygen -y -f "$(key stranger)")"
} >"$T/signers"
message "$T/msg" reviewer-add "reviewer-add: stranger"
a=$(forge main coord coord coord "$T/msg" allowed_signers "$T/signers")
gitx update-ref refs/heads/main "$a"
NAME[stranger]="Sam Stranger"
b=$(forge_verdict stranger stranger li "${li_ids[1]}")
git -c gpg.ssh.allowedSignersFile="$T/signers" --git-dir "$SSAUDIT_TRAIL" verify-commit "$b" \
	2>/dev/null || fail "stock git should accept the stranger against the edited allowed_signers"
verify_fails "$a" "allowed_signers admits a signer that reviewers/ does not register"
out_has "$b"
out_has "signed by a key nobody had registered"
ok "an allowed_signers edited by hand to admit a stranger"

# A reviewer's file that gives a key twice: JSON readers disagree on which one
# counts (cJSON takes the first, Python the last), so verify refuses the file.
fresh
gitx show main:reviewers/li.json | python3 -c '
import sys
s = sys.stdin.read().rstrip()
sys.stdout.write(s[:-1].rstrip() + ",\n  \"role\": \"coordinator\"\n}\n")' >"$T/li.json"
grep -q '"role": "coordinator"' "$T/li.json" || fail "the doctored reviewer file was not made"
message "$T/msg" reviewer-add "reviewer-add: li"
a=$(forge main coord coord coord "$T/msg" reviewers/li.json "$T/li.json")
gitx update-ref refs/heads/main "$a"
verify_fails "$a" 'the key "role" is given twice'
ok "a reviewer's file with a key given twice"

# A damaged object: the last verdict's blob overwritten on disk.
fresh
blob=$(gitx rev-parse "main:$(verdict_path qa-panel "${qa_ids[0]}" m1)")
obj="$SSAUDIT_TRAIL/objects/${blob:0:2}/${blob:2}"
[ -f "$obj" ] || skip "the verdict's blob is packed"
chmod u+w "$obj"
python3 -c 'import sys, zlib; sys.stdout.buffer.write(zlib.compress(b"blob 9\0forgery!\n"))' >"$obj"
expect 1 verify
out_has "$blob"
out_has "damaged"
ok "a corrupted object"

# A commit object cut short on disk (libgit2 1.5 would hang reading it): reported, promptly.
fresh
c=$(gitx rev-parse main~2)
obj="$SSAUDIT_TRAIL/objects/${c:0:2}/${c:2}"
[ -f "$obj" ] || skip "the commit is packed"
chmod u+w "$obj"
head -c 20 "$obj" >"$T/cut" && cat "$T/cut" >"$obj"
set +e
timeout 120 "$SSAUDIT" verify >"$T/out" 2>"$T/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "verify on a truncated object exited $rc"
out_has "objects/${c:0:2}/${c:2}"
out_has "its compressed data is cut short"
ok "a truncated object"

expect 66 --trail "$T/none.git" verify
ok "no trail: exit 66"
