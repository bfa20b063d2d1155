# Three sites and a hub (DESIGN.md section 11): site A reaches the hub by its
# path, site B over ssh (an sshd this test starts on 127.0.0.1), site C by
# path. They record verdicts and corrections at once and sync in interleaved
# order (and at the same time): every act ends exactly once at the hub, every
# site on the same verified main, merges accepted by stock git. Then the
# conflicts: a month closed at one site while a verdict on it waits at
# another; two corrections of one record; an act by someone the hub removed:
# each stops with words, pushes nothing, and the act stays local.
. "$(dirname "$0")/sites.sh"

cast 100%
enrol rita records-officer
synth_month 2026-10 24
synth_month 2026-11 4 9
hub_init
ssh_hub
site A
site B "$SSH_URL"
site C
[ "$(git --git-dir "$T/B.git" config remote.origin.url)" = "$SSH_URL" ] || fail "B does not reach the hub over ssh"
ok "a hub, site A by path, site B over ssh, site C by path"

PANEL=$(SSAUDIT_TRAIL=$T/A.git ids panel)
INSP=$(SSAUDIT_TRAIL=$T/A.git ids inspector)
ONE=$(echo "$PANEL" | sed -n 1p)

# Round 1: every site records at once, then all sync at once.
(for id in $(echo "$PANEL" | head -8); do
	SSAUDIT_TRAIL=$T/A.git "$SSAUDIT" -q --as amy review 2026-10 "$id" --grounds reasonable --conduct fair || exit 1
done) &
a=$!
(for id in $INSP; do
	SSAUDIT_TRAIL=$T/B.git "$SSAUDIT" -q --as ines review 2026-10 "$id" --grounds not-reasonable --conduct concerns || exit 1
done) &
b=$!
(for id in $(echo "$PANEL" | sed -n 9,12p); do
	SSAUDIT_TRAIL=$T/C.git "$SSAUDIT" -q --as sec review 2026-10 "$id" --for bob --grounds reasonable --conduct fair || exit 1
done
SSAUDIT_TRAIL=$T/C.git "$SSAUDIT" -q --as coord correct 2026-10 "$ONE" --outcome Arrest --reason "Lab result in" || exit 1) &
c=$!
wait $a && wait $b && wait $c || fail "recording at the three sites"
# A and B at the same time (one of them finds the hub moved and tries
# again), then C, whose new acts are two people's: it merges.
pids=()
for s in A B; do
	who=$(case $s in A) echo amy ;; B) echo ines ;; C) echo sec ;; esac)
	(
		r=0
		SSAUDIT_TRAIL=$T/$s.git "$SSAUDIT" -q --as "$who" --json sync >"$T/sync-$s.json" 2>"$T/sync-$s.err" || r=$?
		echo $r >"$T/sync-$s.rc"
	) &
	pids+=($!)
done
wait "${pids[@]}"
r=0
SSAUDIT_TRAIL=$T/C.git "$SSAUDIT" -q --as sec --json sync >"$T/sync-C.json" 2>"$T/sync-C.err" || r=$?
echo $r >"$T/sync-C.rc"
for s in A B C; do
	[ "$(cat "$T/sync-$s.rc")" = 0 ] || fail "site $s's sync: $(cat "$T/sync-$s.err")"
done
cat "$T"/sync-?.json >"$T/all.json"
grep -q '"action": "merged"' "$T/all.json" || fail "C (two people's acts) should have merged: $(cat "$T/all.json")"
ok "A and B synced at the same time, then C: $(grep -o '"action": "[a-z-]*"' "$T/all.json" | tr '\n' ' ')"

# Round 2: interleaved, one after another.
want 0 A --as amy review 2026-10 "$(echo "$PANEL" | sed -n 13p)" --grounds reasonable --conduct fair
want 0 B --as rita correct 2026-10 "$(echo "$PANEL" | sed -n 2p)" --outcome "Summons / charged by post" --reason "Charged"
want 0 A --as amy sync
want 0 C --as coord sync
want 0 B --as rita --json sync
grep -q '"action": "replayed"' "$T/out" || fail "B should have replayed rita's correction: $(cat "$T/out")"
want 0 C --as coord sync
want 0 A --as amy --json sync
grep -q '"fast_forward": true' "$T/out" || fail "A should have fast-forwarded: $(cat "$T/out")"
want 0 B --as ines sync
want 0 A --as amy sync
want 0 C --as coord sync
want 0 B --as ines sync
same_main A B C
hub_verified
ok "interleaved syncs: every site on the hub's main, which verifies; stock git verifies every commit"

# Every act exactly once at the hub.
H() { git --git-dir "$HUB" "$@"; }
n_verdicts=$(H ls-tree -r --name-only main -- months/2026-10/verdicts | wc -l)
[ "$n_verdicts" = $((8 + 5 + 4 + 1)) ] || fail "the hub holds $n_verdicts verdicts, wanted 18"
for id in $(echo "$PANEL" | head -8) $(echo "$PANEL" | sed -n 13p); do
	H cat-file -e "main:months/2026-10/verdicts/${id:2:2}/$id/panel.amy.json" || fail "amy's verdict on $id missing"
done
n_commits=$(H log --no-merges --format='%(trailers:key=Ssaudit-Action,valueonly)' main | grep -c '^verdict$')
[ "$n_commits" = 18 ] || fail "the hub's history has $n_commits verdict commits, wanted 18 (each once)"
n_corr=$(H ls-tree -r --name-only main -- months/2026-10/corrections | wc -l)
n_ccommits=$(H log --no-merges --format='%(trailers:key=Ssaudit-Action,valueonly)' main | grep -c '^correction$')
[ "$n_corr" = 2 ] && [ "$n_ccommits" = 2 ] || fail "corrections: $n_corr files, $n_ccommits commits; wanted 2 and 2"
merges=$(H rev-list --merges main | wc -l)
[ "$merges" -ge 1 ] || fail "no merge in the hub's history"
for m in $(H rev-list --merges main); do
	H -c gpg.ssh.allowedSignersFile="$T/allowed_signers" verify-commit "$m" 2>/dev/null || fail "git verify-commit refused merge $m"
	[ "$(H log -1 --format='%(trailers:key=Ssaudit-Action,valueonly)' "$m")" = merge ] || fail "merge $m does not say Ssaudit-Action: merge"
done
ok "every verdict and correction once at the hub; $merges merge(s), each signed and accepted by git verify-commit"

# ---------------------------------------------------------------- conflicts
# 2026-11 gets every required verdict, and every site has them.
for id in $(SSAUDIT_TRAIL=$T/A.git ids panel 2026-11); do
	want 0 A --as amy review 2026-11 "$id" --grounds reasonable --conduct fair
done
want 0 A --as amy sync
for id in $(SSAUDIT_TRAIL=$T/B.git ids inspector 2026-11); do
	want 0 B --as ines review 2026-11 "$id" --grounds reasonable --conduct fair
done
want 0 B --as ines sync
for s in A C; do want 0 $s --as coord sync; done
N1=$(SSAUDIT_TRAIL=$T/A.git ids panel 2026-11 | head -1)

# 1. C closes 2026-11 and pushes; meanwhile at A the secretary enters bob's verdict.
want 0 C --as coord close 2026-11
want 0 C --as coord sync
want 0 A --as sec review 2026-11 "$N1" --for bob --grounds reasonable --conduct concerns
before_hub=$(main_of "$HUB")
before_a=$(main_of "$T/A.git")
want 1 A --as sec sync
err_has "Person bob's verdict on record $N1 of November 2026"
err_has "November 2026 was closed at another site"
err_has "ask the coordinator to reopen the month"
[ "$(main_of "$HUB")" = "$before_hub" ] || fail "the hub moved after a conflict"
[ "$(main_of "$T/A.git")" = "$before_a" ] || fail "A's main moved after a conflict"
want 1 A --as sec --json sync
grep -q '"action": "conflict"' "$T/out" || fail "--json does not say conflict: $(cat "$T/out")"
grep -q "\"record\": \"$N1\"" "$T/out" || fail "--json does not name the record"
ok "a verdict on a month closed at another site: exit 1, named in words, nothing pushed, kept at A"

# 2. Two corrections of one record: rita at B, coord at C.
# A record whose imported outcome is neither correction's value, so both change it.
R2=""
for id in $(echo "$PANEL" | sed -n 5,40p); do
	out=$(SSAUDIT_TRAIL=$T/B.git "$SSAUDIT" show 2026-10 "$id" | awk '$1 == "outcome" { $1 = ""; print }')
	case "$out" in
	*Arrest* | *Summons*) ;;
	*) R2=$id && break ;;
	esac
done
[ -n "$R2" ] || fail "no sampled record without an arrest or a summons to correct"
want 0 C --as coord correct 2026-10 "$R2" --outcome Arrest --reason "Lab result"
want 0 B --as ines sync # B up to date before rita corrects
want 0 B --as rita correct 2026-10 "$R2" --outcome "Summons / charged by post" --reason "Charged"
want 0 C --as coord sync
before_hub=$(main_of "$HUB")
want 1 B --as rita sync
err_has "Person rita's correction of the outcome on record $R2 of October 2026"
err_has "corrected at another site first"
err_has "correct again from the new value"
[ "$(main_of "$HUB")" = "$before_hub" ] || fail "the hub moved after a correction conflict"
ok "two corrections of one record: exit 1, named, nothing pushed"

# 3. The hub has removed ines; at D (a fresh site from before) she changes a verdict.
site D
want 0 C --as coord reviewer remove ines
want 0 C --as coord sync
want 0 D --as ines review 2026-10 "$(echo "$INSP" | head -1)" --grounds reasonable --conduct fair
before_hub=$(main_of "$HUB")
want 1 D --as ines sync
err_has "Person ines's verdict on record $(echo "$INSP" | head -1) of October 2026"
err_has "was removed from the trail"
err_has "register them"
[ "$(main_of "$HUB")" = "$before_hub" ] || fail "the hub moved after an act by a removed reviewer"
SSAUDIT_TRAIL=$HUB expect 0 verify
ok "an act by someone the hub removed: exit 1, named, nothing pushed; the hub still verifies"

# A hub whose history was rewritten is refused, and nothing changes.
want 0 C --as coord sync
git --git-dir "$HUB" update-ref refs/heads/main "$(git --git-dir "$HUB" rev-parse main~3)"
before_c=$(main_of "$T/C.git")
want 1 C --as coord sync
err_has "was rewritten"
[ "$(main_of "$T/C.git")" = "$before_c" ] || fail "C moved after seeing a rewritten hub"
ok "a rewritten hub: exit 1, the words say so, nothing changed"
