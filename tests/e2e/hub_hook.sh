# `ssaudit hub-hook`: the pre-receive hook a group installs in a hub it runs
# itself refuses a push `ssaudit verify` would reject (checked before the
# hub's main moves) and accepts an honest one.
. "$(dirname "$0")/sites.sh"

cast 100%
synth_month 2026-10 12
git init -q --bare --initial-branch=main "$HUB"
expect 0 hub-hook
out_has "verify --tip"
cp "$T/out" "$HUB/hooks/pre-receive"
chmod +x "$HUB/hooks/pre-receive"
sh -n "$HUB/hooks/pre-receive" || fail "the hook is not a valid sh script"
git_ remote add origin "$HUB"
expect 0 --as coord sync
[ "$(main_of "$HUB")" = "$(tip)" ] || fail "the first honest push did not land"
ok "the hook accepts the first honest push"

site A
ID=$(SSAUDIT_TRAIL=$T/A.git ids panel | head -1)
want 0 A --as amy review 2026-10 "$ID" --grounds reasonable --conduct fair
want 0 A --as amy sync
[ "$(main_of "$HUB")" = "$(main_of "$T/A.git")" ] || fail "an honest verdict was not accepted"
ok "the hook accepts an honest sync"

# A forged verdict: amy's file rewritten with stock git, committed unsigned.
before=$(main_of "$HUB")
G="git --git-dir $T/A.git"
P="months/2026-10/verdicts/${ID:2:2}/$ID/panel.amy.json"
blob=$($G show "main:$P" | sed 's/"reasonable"/"not-reasonable"/' | $G hash-object -w --stdin)
export GIT_INDEX_FILE="$T/forge.index"
$G read-tree main
$G update-index --cacheinfo 100644,"$blob","$P"
tree=$($G write-tree)
unset GIT_INDEX_FILE
forged=$(GIT_AUTHOR_NAME="Person amy" GIT_AUTHOR_EMAIL=amy@example.org GIT_COMMITTER_NAME="Person amy" \
	GIT_COMMITTER_EMAIL=amy@example.org $G commit-tree "$tree" -p main -m "verdict: changed")
if $G push origin "$forged:refs/heads/main" 2>"$T/push.err"; then
	fail "the hub accepted a forged push"
fi
grep -q "does not verify" "$T/push.err" || fail "the refusal does not say why: $(cat "$T/push.err")"
[ "$(main_of "$HUB")" = "$before" ] || fail "the hub's main moved on a forged push"
ok "a forged push (an unsigned, changed verdict) is refused and the hub's main stays"

# Anything but main (a replace ref would show auditors something else) is refused.
if $G push origin "$forged:refs/replace/$($G rev-parse main)" 2>"$T/push.err"; then
	fail "the hub accepted a replace ref"
fi
grep -q "keeps the trail's main only" "$T/push.err" || fail "the refusal does not say why: $(cat "$T/push.err")"
ok "a push of any ref but main is refused"

# The honest site still syncs afterwards.
ID2=$(SSAUDIT_TRAIL=$T/A.git ids panel | sed -n 2p)
want 0 A --as amy review 2026-10 "$ID2" --grounds reasonable --conduct fair
want 0 A --as amy sync
SSAUDIT_TRAIL=$HUB expect 0 verify
ok "honest work still lands and the hub verifies"
