# Many writers at once: 8 reviewers, each in their own process, record 100
# verdicts each on one trail at the same time (half as single `review`
# commands, half from two worksheets, each one batch). Loose
# objects pile up past the gc threshold, so packing happens mid-run too.
# Afterwards every verdict is present exactly once, as exactly one commit,
# history is a single line, and every commit verifies with stock git.
. "$(dirname "$0")/lib.sh"

M=2026-10
R=8     # reviewers
N=100   # verdicts each
review_policy "$T/p.json" 100%
founder "$T/p.json"
for r in $(seq 1 $R); do enrol "rev$r" panel; done
synth_month $M $N
ids panel >"$T/ids"
[ "$(wc -l <"$T/ids")" = $N ] || fail "the panel should review all $N records"
base=$(commits)
export SSAUDIT_GC_LOOSE=1000 # several gcs during the run
# Durability is the crash test's subject; here fsync would only make every
# writer wait on the disk while holding the lock.
export SSAUDIT_FSYNC=0

# reviewer HANDLE: N verdicts: records 1-25 and 51-75 from two worksheets
# (each one batch), the other half one `review` command each, interleaved.
reviewer() {
	local who=$1 i=0 id answer st
	sheet() { # sheet FIRST LAST: read rows FIRST..LAST of the ids from a worksheet
		{
			echo "month,id,role,reviewer,grounds,conduct,record,note"
			sed -n "$1,$2p" "$T/ids" | sed "s/.*/$M,&,panel,$who,reasonable,fair,,$who on & by sheet/"
		} >"$T/$who.$1.csv"
		"$SSAUDIT" --as "$who" -q review $M --from "$T/$who.$1.csv" >/dev/null 2>"$T/err.$who" ||
			echo "$who worksheet $1: $(cat "$T/err.$who")" >>"$T/fail.$who"
	}
	while read -r id; do
		i=$((i + 1))
		[ $i = 1 ] && sheet 1 $((N / 4))
		[ $i = $((N / 2 + 1)) ] && sheet $((N / 2 + 1)) $((3 * N / 4))
		if [ $i -le $((N / 4)) ] || { [ $i -gt $((N / 2)) ] && [ $i -le $((3 * N / 4)) ]; }; then
			continue
		fi
		answer=$([ $((i % 3)) = 0 ] && echo not-reasonable || echo reasonable)
		st=0
		"$SSAUDIT" --as "$who" -q review $M "$id" --grounds $answer --conduct fair \
			--note "$who on $id" >/dev/null 2>"$T/err.$who" || st=$?
		[ $st = 0 ] || echo "$who $id exit $st: $(cat "$T/err.$who")" >>"$T/fail.$who"
	done <"$T/ids"
}

start=$(date +%s)
pids=()
for r in $(seq 1 $R); do
	reviewer "rev$r" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
secs=$(($(date +%s) - start))
if ls "$T"/fail.* >/dev/null 2>&1; then
	cat "$T"/fail.* >&2
	fail "some verdicts were refused while writers ran at once"
fi
ok "$R reviewers recorded $N verdicts each at once in ${secs}s"

# Every verdict exactly once, with the right content.
files "months/$M/verdicts" >"$T/files"
[ "$(wc -l <"$T/files")" = $((R * N)) ] || fail "$(wc -l <"$T/files") verdict files, wanted $((R * N))"
for r in $(seq 1 $R); do
	[ "$(grep -c "/panel\.rev$r\.json\$" "$T/files")" = $N ] || fail "rev$r lacks verdicts"
done
sed 's|.*/\(R-[a-z2-7]*\)/.*|\1|' "$T/files" | sort | uniq -c | awk -v r=$R '$1 != r { exit 1 }' ||
	fail "some record lacks a reviewer's verdict"
git --git-dir "$SSAUDIT_TRAIL" show "main:$(grep panel.rev5.json "$T/files" | head -1)" | grep -q '"note": "rev5 on R-' ||
	fail "a verdict's note is wrong"
ok "every verdict present exactly once"

# One commit per verdict, in one line of history.
[ "$(commits)" = $((base + R * N)) ] || fail "$(($(commits) - base)) commits for $((R * N)) verdicts"
[ -z "$(git --git-dir "$SSAUDIT_TRAIL" rev-list --merges main)" ] || fail "history has merges"
git --git-dir "$SSAUDIT_TRAIL" rev-list --parents main | awk 'NF > 2 { exit 1 }' || fail "history is not linear"
[ "$(git --git-dir "$SSAUDIT_TRAIL" log --format='%(trailers:key=Ssaudit-Action,valueonly,separator=)' main | grep -cx verdict)" = $((R * N)) ] ||
	fail "verdict commits are not one per verdict"
ok "one commit per verdict, history linear"

packs=$(find "$SSAUDIT_TRAIL/objects/pack" -name '*.pack' | wc -l)
[ "$packs" -ge 2 ] || fail "loose objects should have been packed during the run ($packs packs)"
n=$(verified_parallel)
ok "all $n commits verify with stock git; git fsck is clean ($packs packs)"

# On a terminal, verify counts the commits as it goes; piped, it adds nothing.
if command -v script >/dev/null; then
	script -qec "\"$SSAUDIT\" verify" /dev/null >"$T/tty" || fail "verify failed on a terminal"
	grep -q "commits checked: $n/$n" "$T/tty" || fail "no progress on a terminal: $(head -c 300 "$T/tty")"
	"$SSAUDIT" verify >"$T/out" 2>"$T/err"
	! grep -q "commits checked" "$T/out" "$T/err" || fail "progress written when not on a terminal"
	ok "verify shows progress on a terminal only"
else
	echo "script (util-linux) not installed: progress on a terminal not checked"
fi
