# Four sites that sync with each other as well as with the hub (histories
# with merges on merges, and several merge bases) still converge: every
# verdict once, every site on the hub's main, which verifies.
. "$(dirname "$0")/sites.sh"

cast 100%
enrol pat panel
enrol ian inspector
synth_month 2026-10 40
hub_init
for s in A B C D; do site $s; done
# Each site also reaches the next one's trail directly.
git --git-dir "$T/A.git" remote add b "$T/B.git"
git --git-dir "$T/B.git" remote add c "$T/C.git"
git --git-dir "$T/C.git" remote add d "$T/D.git"
git --git-dir "$T/D.git" remote add a "$T/A.git"

PANEL=($(SSAUDIT_TRAIL=$T/A.git ids panel))
INSP=($(SSAUDIT_TRAIL=$T/A.git ids inspector))
# site -> the people recording there (two each, so sites hold others' acts and merge)
declare -A WHO=([A]="amy sec" [B]="ines pat" [C]="pat ian" [D]="sec amy")
declare -A PEER=([A]=b [B]=c [C]=d [D]=a)
n=0
record() { # SITE PERSON: one new verdict
	local s=$1 p=$2 id
	case $p in
	amy | pat) id=${PANEL[$((n % ${#PANEL[@]}))]} ;;
	ines | ian) id=${INSP[$((n % ${#INSP[@]}))]} ;;
	sec) id=${PANEL[$((n % ${#PANEL[@]}))]} ;;
	esac
	n=$((n + 1))
	if [ "$p" = sec ]; then
		want 0 "$s" --as sec review 2026-10 "$id" --for bob --grounds reasonable --conduct fair
	else
		want 0 "$s" --as "$p" review 2026-10 "$id" --grounds reasonable --conduct fair
	fi
	echo "$p $id" >>"$T/recorded"
}
for round in 1 2 3; do
	for s in A B C D; do
		for p in ${WHO[$s]}; do record "$s" "$p"; done
	done
	for s in A C B D; do
		p=${WHO[$s]%% *}
		want 0 "$s" --as "$p" sync "${PEER[$s]}"
		want 0 "$s" --as "$p" sync
	done
done
for pass in 1 2; do
	for s in A B C D; do want 0 "$s" --as "${WHO[$s]%% *}" sync; done
done
same_main A B C D
hub_verified
ok "four sites syncing with each other and the hub converge on one verified main"

H() { git --git-dir "$HUB" "$@"; }
merges=$(H rev-list --merges main | wc -l)
[ "$merges" -ge 1 ] || fail "no merges: the test did not exercise merging"
many=0
for m in $(H rev-list --merges main); do
	[ "$(H merge-base --all "$m^1" "$m^2" | wc -l)" -gt 1 ] && many=$((many + 1))
done
# Every verdict recorded is at the hub (a reviewer's later verdict on the same
# record replaces their earlier one: one file per reviewer and record).
sort -u "$T/recorded" | while read -r p id; do
	f=$(case $p in sec) echo panel.bob ;; amy | pat) echo "panel.$p" ;; *) echo "inspector.$p" ;; esac)
	H cat-file -e "main:months/2026-10/verdicts/${id:2:2}/$id/$f.json" || fail "$p's verdict on $id is missing at the hub"
done
ok "every verdict is at the hub; $merges merges, $many of them over several merge bases"
