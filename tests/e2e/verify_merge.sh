# Merges made by hand with stock git (merge-tree, commit-tree -S with a
# registered person's ssh key), as a second site would make them: honest ones
# verify, whichever side is first and however many merge bases there are;
# dishonest ones (a verdict in a month the other side closed, a population
# swapped after the other side sampled, an act by someone the other side
# removed, one key under two handles) fail, naming the merge and the reason.
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/verify_lib.sh"
have_tools
{ git merge-tree -h 2>&1 || true; } | grep -q -- --write-tree || skip "git merge-tree --write-tree is needed"
base_trail
li_ids=($(sampled local-inspector))
ii_ids=($(sampled independent-inspector))

# merge P1 P2 SIGNER [TREE]: a signed merge commit (tree: git's merge of the
# two, with allowed_signers as the merged reviewers/ imply); main moves to it.
merge() {
	local p1=$1 p2=$2 signer=$3 tree=${4:-} idx="$T/merge.index"
	if [ -z "$tree" ]; then
		tree=$(gitx merge-tree --write-tree "$p1" "$p2" | sed -n 1p)
		rm -f "$idx"
		GIT_INDEX_FILE="$idx" gitx read-tree "$tree"
		signers_of "$tree" >"$T/signers"
		GIT_INDEX_FILE="$idx" gitx update-index --add --cacheinfo \
			"100644,$(gitx hash-object -w "$T/signers"),allowed_signers"
		tree=$(GIT_INDEX_FILE="$idx" gitx write-tree)
	fi
	printf 'merge: the other site'"'"'s work\n\nSsaudit-Action: merge\n' >"$T/merge.msg"
	local m
	m=$(GIT_AUTHOR_NAME="${NAME[$signer]}" GIT_AUTHOR_EMAIL="$(email "$signer")" \
		GIT_COMMITTER_NAME="${NAME[$signer]}" GIT_COMMITTER_EMAIL="$(email "$signer")" \
		gitx -c gpg.format=ssh -c user.signingkey="$(key "$signer")" \
		commit-tree -S -p "$p1" -p "$p2" -F "$T/merge.msg" "$tree")
	gitx update-ref refs/heads/main "$m"
	echo "$m"
}

# signers_of TREE: allowed_signers as the tree's reviewers/ imply it.
signers_of() {
	local f
	for f in $(gitx ls-tree --name-only "$1" reviewers/); do
		gitx cat-file blob "$1:$f"
		echo
	done | python3 -c '
import json, sys
text = sys.stdin.read()
dec, pos, out = json.JSONDecoder(), 0, []
while True:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    if pos >= len(text):
        break
    r, pos = dec.raw_decode(text, pos)
    if r["key"] is None:
        continue
    opts = "namespaces=\"git\""
    if r["removed"]:
        opts += ",valid-before=\"%s\"" % r["removed"].replace("-", "").replace(":", "").replace("T", "")
    out.append((r["handle"], "%s %s %s" % (r["handle"], opts, " ".join(r["key"].split()[:2]))))
for h, line in sorted(out):
    print(line)'
}

# In another copy of the trail at COMMIT: run ssaudit there, bring its commits back.
# at COMMIT ARGS...: prints the new tip of that copy.
at() {
	local c=$1
	shift
	rm -rf "$T/fork.git"
	cp -a "$SSAUDIT_TRAIL" "$T/fork.git"
	git --git-dir "$T/fork.git" update-ref refs/heads/main "$c"
	SSAUDIT_TRAIL="$T/fork.git" "$SSAUDIT" -q "$@" >/dev/null || fail "ssaudit $* on the fork"
	gitx fetch -q "$T/fork.git" +main:refs/heads/fork
	gitx rev-parse refs/heads/fork
}

# close_month: waive every sampled record some role has still to review, and close.
close_month() {
	local args=() id
	for id in $(gitx show "main:months/$MONTH/sample.json" | python3 -c '
import json, sys
s = json.load(sys.stdin)
done = set()
for path in sys.argv[1].split():
    rid, f = path.split("/")[-2:]
    done.add((rid, f.split(".")[0]))
todo = {i for role, ids in s["roles"].items() for i in ids if (i, role) not in done}
print("\n".join(sorted(todo)))' "$(gitx ls-tree -r --name-only main "months/$MONTH/verdicts")"); do
		args+=(--waive "$id" --reason "not reviewed in this test")
	done
	"$SSAUDIT" --as coord -q close "$MONTH" "${args[@]}" >/dev/null || fail "close"
}

# The allowed_signers our helper derives is the one ssaudit writes.
[ "$(signers_of main^{tree})" = "$(gitx show main:allowed_signers)" ] ||
	fail "the test's allowed_signers differs from ssaudit's"

# ------------------------------------------------------------------ honest

fork=$(tip)
b=$(forge_verdict li li li "${li_ids[1]}")
gitx update-ref refs/heads/main "$fork"
a=$(forge_verdict ii ii ii "${ii_ids[1]}")
m=$(merge "$a" "$b" coord)
expect 0 verify
out_has "1 merge"
verify_all_with_git >/dev/null
gitx update-ref refs/heads/main "$fork"
m=$(merge "$b" "$a" coord)
expect 0 verify
ok "two sides each adding a verdict, merged and signed, either side first"

# Criss-cross: two merges of the same two sides, each built on, then merged:
# the last merge has two merge bases.
fresh
fork=$(tip)
a1=$(forge_verdict li li li "${li_ids[1]}")
gitx update-ref refs/heads/main "$fork"
b1=$(forge_verdict ii ii ii "${ii_ids[1]}")
m1=$(merge "$a1" "$b1" coord)
m2=$(merge "$b1" "$a1" li)
gitx update-ref refs/heads/main "$m1"
a2=$(forge_verdict li li li "${li_ids[2]}")
gitx update-ref refs/heads/main "$m2"
b2=$(forge_verdict ii ii ii "${ii_ids[2]}")
[ "$(gitx merge-base --all "$a2" "$b2" | wc -l)" = 2 ] || fail "the criss-cross has not two merge bases"
m3=$(merge "$a2" "$b2" coord)
expect 0 verify
ok "a merge with two merge bases"

# ---------------------------------------------------------------- hole 1
# A verdict recorded on a fork from before the close, merged after it: the
# reviewer's own key and a registered person's merge suffice.
fresh
fork=$(tip)
close_month
closed=$(tip)
gitx update-ref refs/heads/main "$fork"
v=$(forge_verdict li li li "${li_ids[1]}" not-reasonable)
m=$(merge "$closed" "$v" coord)
verify_fails "$m" "commit $v of the second side does not hold on top of the first side"
out_has "$MONTH was closed: verdicts are refused until it is reopened"
gitx update-ref refs/heads/main "$fork"
m=$(merge "$v" "$closed" coord)
verify_fails "$m" "commit $v of the first side does not hold on top of the second side"
out_has "$MONTH was closed: verdicts are refused until it is reopened"
ok "a verdict from before the close merged after it, either side first"

# ---------------------------------------------------------------- hole 2
# The population replaced by import --replace on a fork from before the
# sample, merged after the close: the sample no longer re-derives.
fresh
imp=$(gitx log --format=%H --grep='^import:' main | sed -n 1p)
"$SSAUDIT" synth --month "$MONTH" --count 300 --seed 8 -o "$T/other.csv" 2>/dev/null
r=$(at "$imp" --as coord import --replace "$MONTH" "$T/other.csv")
close_month
m=$(merge "$(tip)" "$r" coord)
verify_fails "$m" "commit $r of the second side does not hold on top of the first side"
out_has "the population of $MONTH was changed after the month was sampled"
out_has "the sample does not re-derive from its population, policy and seed"
ok "a population replaced on a fork from before the sample, merged after the close"

# ---------------------------------------------------------------- hole 3
# A removed reviewer keeps acting on a fork, merged with the fork FIRST.
fresh
fork=$(tip)
expect 0 --as coord reviewer remove li
removal=$(tip)
gitx update-ref refs/heads/main "$fork"
v=$(forge_verdict li li li "${li_ids[1]}")
m=$(merge "$v" "$removal" coord)
verify_fails "$m" "commit $v of the first side does not hold on top of the second side"
out_has "signed by li, whose registration had been removed"
ok "a removed reviewer's verdict on a fork merged as the first parent"

# A removed registrar registers a new key of their own on a fork.
fresh
fork=$(tip)
expect 0 --as coord reviewer remove pcc
removal=$(tip)
gitx update-ref refs/heads/main "$fork"
NAME[ii2]="Idris Again" ROLE[ii2]=independent-inspector
person ii2 >/dev/null
r=$(at "$fork" --as pcc reviewer add ii2 --role independent-inspector --name "${NAME[ii2]}" \
	--email "$(email ii2)" --key "$(ssh-keygen -y -f "$(key ii2)")")
m=$(merge "$r" "$removal" coord)
verify_fails "$m" "commit $r of the first side does not hold on top of the second side"
out_has "signed by pcc, whose registration had been removed"
ok "a removed registrar registering a new key on a fork"

# One key under two handles: each side registers the same key for another handle.
fresh
fork=$(tip)
person shared >/dev/null
pub=$(ssh-keygen -y -f "$(key shared)")
NAME[x1]="Xavier One" NAME[x2]="Xavier Two"
a=$(at "$fork" --as coord reviewer add x1 --role local-inspector --name "${NAME[x1]}" \
	--email "$(email x1)" --key "$pub")
b=$(at "$fork" --as coord reviewer add x2 --role local-inspector --name "${NAME[x2]}" \
	--email "$(email x2)" --key "$pub")
m=$(merge "$a" "$b" coord)
verify_fails "$m" "the same key is registered for x1 and for x2 (one key, one person)"
out_has "the key registered for x2 is already x1's"
ok "one key under two handles, through a merge"

# The merge's own signer must be registered, and not removed, on both sides.
fresh
fork=$(tip)
expect 0 --as coord reviewer remove li
removal=$(tip)
gitx update-ref refs/heads/main "$fork"
v=$(forge_verdict ii ii ii "${ii_ids[1]}")
m=$(merge "$v" "$removal" li)
verify_fails "$m" "the merge is signed by li, whose registration the second side had removed"
ok "a merge signed by someone the other side removed"

# Two corrections of one record, one on each side: the second side's says the
# outcome was what it no longer is on the first side.
fresh
fork=$(tip)
rec=$(sampled all | sed -n 1p)
a=$(at "$fork" --as ro correct "$MONTH" "$rec" --outcome "Arrest" --reason "lab result")
sleep 1
b=$(at "$fork" --as ro correct "$MONTH" "$rec" --outcome "Community resolution" \
	--reason "charge dropped")
m=$(merge "$a" "$b" coord)
verify_fails "$m" "commit $b of the second side does not hold on top of the first side"
out_has "but at that point it was 'Arrest'"
ok "two corrections of one record on two sides"
