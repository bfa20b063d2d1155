# correct MONTH --from FILE.csv: a records officer's file of lab results and
# charges. Bad files (a misspelt outcome, a missing reason, an unknown record,
# an id and a reference that disagree, two rows for one record, a file saved
# with semicolons) are refused whole with every problem's line and column,
# exit 65, the trail unchanged. A good file of 500 rows by id and by reference
# (headers as a spreadsheet capitalises them) lands as 500 signed commits in
# one batch; a re-run records nothing. Then a second file is run and killed
# with SIGKILL at random moments (SS_CRASH_KILLS, default 15), a new file each time one lands: after every
# kill git fsck is clean and the trail holds none or all of the file's
# corrections; a re-run completes it exactly once. Everything verifies.
. "$(dirname "$0")/lib.sh"

M=2026-10
ROWS=500
KILLS=${SS_CRASH_KILLS:-15}
review_policy "$T/p.json" 25%
founder "$T/p.json"
enrol rec records-officer
enrol amy panel
synth_month $M 600
git_ show main:months/$M/population.jsonl |
	python3 -c 'import json,sys
rows = [json.loads(l) for l in sys.stdin]
for r in rows[:int(sys.argv[1])]: print(r["id"], r["reference"])' $ROWS >"$T/recs"
[ "$(wc -l <"$T/recs")" = $ROWS ] || fail "expected $ROWS records with references"
now_ms() { date +%s%3N; }
unchanged() {
	[ "$(tip)" = "$1" ] || fail "$2: the trail changed though the file was refused"
}

# --- refusals: each problem with its line and column, nothing written
A=$(sed -n 1p "$T/recs" | cut -d' ' -f1)
B=$(sed -n 2p "$T/recs" | cut -d' ' -f1)
RB=$(sed -n 2p "$T/recs" | cut -d' ' -f2)
RC=$(sed -n 3p "$T/recs" | cut -d' ' -f2)
before=$(tip)
cat >"$T/bad.csv" <<CSV
id,reference,outcome,linked,reason
$A,,Arrestt,,lab result
$B,$RC,Arrest,,lab result
,$RB,,maybe,charged
R-aaaaaaaaaaaaaaaa,,Arrest,,lab result
$A,,Arrest,,
CSV
expect 65 --as rec correct $M --from "$T/bad.csv"
err_has "bad.csv:2:21: 'Arrestt' is not an outcome the policy allows"
err_has "bad.csv:3:20: the reference '$RC' does not belong to record $B"
err_has "bad.csv:4:21: 'maybe' is not a value for linked"
err_has "bad.csv:5:1: there is no record 'R-aaaaaaaaaaaaaaaa' in October 2026"
err_has "bad.csv:6:29:"
err_has "no reason given"
err_has "5 problems found; nothing was recorded"
unchanged "$before" "bad rows"
ok "a file with five bad rows is refused whole, each problem at its line and column"

printf 'id,outcome,reason\n%s,Arrest,lab\n%s,Arrest,charged\n' "$A" "$A" >"$T/dup.csv"
expect 65 --as rec correct $M --from "$T/dup.csv"
err_has "dup.csv:3:1: a second row for record $A (the first is on line 2)"
printf 'id;outcome;reason\n%s;Arrest;lab\n' "$A" >"$T/semi.csv"
expect 65 --as rec correct $M --from "$T/semi.csv"
err_has "semi.csv:1:1: the columns are separated by semicolons"
printf 'id,outcome\n%s,Arrest\n' "$A" >"$T/noreason.csv"
expect 65 --as rec correct $M --from "$T/noreason.csv"
err_has "the header has no 'reason' column"
printf 'id,outcome,reason\n' >"$T/empty.csv"
expect 65 --as rec correct $M --from "$T/empty.csv"
err_has "no corrections in the file"
expect 77 --as amy correct $M --from "$T/bad.csv"
err_has "correct"
unchanged "$before" "refusals"
ok "two rows for one record, semicolons, no reason column, no rows, a role that may not correct: each refused with its words"

# --- a good file: half by id, half by reference; headers as a spreadsheet writes them
{
	echo "ID,Reference,Outcome,Linked,Reason,Lab ref"
	awk -v OFS=, 'NR % 2 { print $1, "", "Arrest", "TRUE", "Lab result: cannabis confirmed", "L" NR; next }
		{ print "", $2, "Summons / charged by post", "", "Charged 15 November 2026", "L" NR }' "$T/recs"
} >"$T/labs.csv"
base=$(tip)
t0=$(now_ms)
expect 0 --as rec correct $M --from "$T/labs.csv"
span=$(($(now_ms) - t0))
# A synthetic record may already have the outcome a row gives: counted, not committed.
read -r rec already < <(sed -n 's/.*labs.csv: \([0-9]*\) corrections\{0,1\} recorded, \([0-9]*\) rows\{0,1\} already so.*/\1 \2/p' "$T/out")
[ $((rec + already)) = $ROWS ] && [ "$already" -lt 10 ] || fail "labs.csv: $(cat "$T/out")"
[ "$(git_ rev-list --count "$base"..main)" = "$rec" ] || fail "not one commit per changed row"
[ "$(files months/$M/corrections | grep -c '/0001.json$')" = "$rec" ] || fail "not $rec correction files"
git_ log -1 --format=%B main >"$T/msg"
grep -qF "From the file 'labs.csv', line $((ROWS + 1))." "$T/msg" || fail "the commit does not say its row: $(cat "$T/msg")"
git_ show main:months/$M/corrections/${B:2:2}/$B/0001.json >"$T/fix"
grep -qF '"to": "Summons / charged by post"' "$T/fix" || fail "the row by reference did not land on $B"
grep -qF "Charged [date]" "$T/fix" || fail "the reason's date is not redacted: $(cat "$T/fix")"
ok "$ROWS rows (by id and by reference, capitalised headers, an extra column) landed as $rec commits in ${span} ms ($already already so)"
expect 0 --as rec correct $M --from "$T/labs.csv"
out_has "0 corrections recorded, $ROWS rows already so"
[ "$(git_ rev-list --count "$base"..main)" = "$rec" ] || fail "a re-run wrote again"
ok "a re-run records nothing and says so"

# --- the crash test: files killed at random moments. Each round's file
# gives every record a new outcome; when a run lands before its kill, the
# next round starts.
OUTCOMES=("Community resolution" "Caution (simple or conditional)" "Penalty Notice for Disorder" "Khat or Cannabis warning")
court() {
	awk -v OFS=, -v o="${OUTCOMES[$(($1 % 4))]}" 'BEGIN { print "id,outcome,reason" } { print $1, o, "Reviewed at court" }' \
		"$T/recs" >"$T/court.csv"
}
round=0
court $round
base=$(tip)
landed=0
for k in $(seq 1 "$KILLS"); do
	"$SSAUDIT" --as rec -q correct $M --from "$T/court.csv" >/dev/null 2>&1 &
	pid=$!
	wait_ms=$(awk -v r=$RANDOM -v s="$span" 'BEGIN { printf "%d", r / 32767 * s * 1.5 }')
	t0=$(now_ms)
	while kill -0 $pid 2>/dev/null && [ $(($(now_ms) - t0)) -lt "$wait_ms" ]; do
		sleep 0.02
	done
	kill -KILL $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	fsck_clean
	n=$(git_ rev-list --count "$base"..main)
	case $n in
	0) span=$((span * 11 / 10)) ;; # aim a little later: some kills should come after a run lands
	$ROWS)
		landed=$((landed + 1))
		[ "$(git_ grep -c "\"to\": \"${OUTCOMES[$((round % 4))]}\"" main -- months/$M/corrections | wc -l)" -ge $ROWS ] ||
			fail "kill $k: the landed batch is not the whole file"
		round=$((round + 1))
		court $round
		base=$(tip)
		;;
	*) fail "kill $k: $n of $ROWS corrections landed: a batch must land whole or not at all" ;;
	esac
done
expect 0 --as rec correct $M --from "$T/court.csv"
[ "$(git_ rev-list --count "$base"..main)" = $ROWS ] || fail "after the kills: not exactly $ROWS commits"
expect 0 --as rec correct $M --from "$T/court.csv"
out_has "0 corrections recorded, $ROWS rows already so"
total=$((rec + (round + 1) * ROWS))
[ "$(files months/$M/corrections | wc -l)" = $total ] || fail "$(files months/$M/corrections | wc -l) correction files, not $total: one lost or recorded twice"
ok "$KILLS kills over $((round + 1)) rounds: fsck clean after each, all or nothing ($landed landed before their kill), re-runs complete exactly once"

ok "$(verified_sampled 100)"
