# Crashes: `review --from` of a 500-row worksheet killed with SIGKILL at
# random moments, 50 times (SS_CRASH_KILLS to change). After every kill the
# trail passes git fsck and holds either none or all of the worksheet's
# verdicts (a batch lands whole or not at all); every 25th kill, and at the
# end, a re-run completes and every verdict is present exactly once: one
# file per record with the round's answers, one commit per verdict. The
# trail ends with thousands of commits: ssaudit verify checks them all, and
# stock git a random 300 (every one would take longer than the rest of the test).
# Writes stay durable (fsync on), as for a real user.
. "$(dirname "$0")/lib.sh"

M=2026-10
ROWS=500
KILLS=${SS_CRASH_KILLS:-50}
review_policy "$T/p.json" 100%
founder "$T/p.json"
enrol amy panel
synth_month $M $ROWS
ids panel >"$T/ids"
[ "$(wc -l <"$T/ids")" = $ROWS ] || fail "the panel should review all $ROWS records"
now_ms() { date +%s%3N; }

# sheet ROUND: the worksheet for a round (answers and note differ from the last round's).
sheet() {
	local g
	g=$([ $(($1 % 2)) = 0 ] && echo not-reasonable || echo reasonable)
	{
		echo "month,id,role,reviewer,grounds,conduct,record,note"
		sed "s/.*/$M,&,panel,amy,$g,fair,,round $1/" "$T/ids"
	} >"$T/sheet.csv"
}

# complete: a re-run finishes the round; every verdict is there exactly once.
complete() {
	local t0
	t0=$(now_ms)
	expect 0 --as amy review $M --from "$T/sheet.csv"
	span=$(($(now_ms) - t0)) # the latest whole run: where the kills aim
	[ "$(git_ rev-list --count "$base"..main)" = $ROWS ] ||
		fail "round $round: $(git_ rev-list --count "$base"..main) commits for $ROWS verdicts"
	files "months/$M/verdicts" >"$T/files"
	[ "$(wc -l <"$T/files")" = $ROWS ] || fail "round $round: $(wc -l <"$T/files") verdict files"
	[ "$(git_ grep -c "\"note\": \"round $round\"" main -- "months/$M/verdicts" | wc -l)" = $ROWS ] ||
		fail "round $round: not every verdict holds this round's answers"
	round=$((round + 1))
	base=$(tip)
	sheet $round
}

round=1
base=$(tip)
sheet $round
complete # the first round, uninterrupted, tells how long a run takes
ok "a $ROWS-row worksheet takes ${span} ms here"

landed=0
for k in $(seq 1 "$KILLS"); do
	"$SSAUDIT" --as amy -q review $M --from "$T/sheet.csv" >/dev/null 2>&1 &
	pid=$!
	# Anywhere from the start to past a whole run (a re-run may be slower than the first).
	wait_ms=$(awk -v r=$RANDOM -v s="$span" 'BEGIN { printf "%d", r / 32767 * s * 1.3 }')
	t0=$(now_ms)
	while kill -0 $pid 2>/dev/null && [ $(($(now_ms) - t0)) -lt "$wait_ms" ]; do
		sleep 0.02
	done
	took=$(($(now_ms) - t0))
	kill -KILL $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	fsck_clean
	n=$(git_ rev-list --count "$base"..main)
	case $n in
	0) ;;
	$ROWS)
		landed=$((landed + 1))
		# A whole run took `took`: aim the next kills at that (the first run
		# may have been timed while other tests loaded the machine).
		span=$took
		;;
	*) fail "kill $k: $n of $ROWS verdicts landed: a batch must land whole or not at all" ;;
	esac
	if [ "$n" = $ROWS ]; then
		[ "$(git_ grep -c "\"note\": \"round $round\"" main -- "months/$M/verdicts" | wc -l)" = $ROWS ] ||
			fail "kill $k: the landed batch is not the whole worksheet"
		round=$((round + 1))
		base=$(tip)
		sheet $round
	elif [ $((k % 25)) = 0 ]; then
		complete
	fi
done
complete
ok "$KILLS kills: git fsck clean after each, batches all or nothing ($landed landed before the kill), re-runs complete exactly once"

ok "$(verified_sampled 300)"
