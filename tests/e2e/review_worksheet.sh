# Worksheets: `pack` makes one, a spreadsheet fills it (BOM, CRLF, quoted
# notes with commas, quotes and line breaks), `review --from` reads it back
# as one signed commit per row in one batch; a re-run records nothing twice;
# a secretary's sheet enters members' verdicts for them. Every malformed
# worksheet of tests/corpus/worksheets is refused with its exit status,
# position and words, before anything is written.
. "$(dirname "$0")/lib.sh"

M=2026-10
CORPUS="$SS_SOURCE_DIR/tests/corpus/worksheets"
cast 25%
synth_month $M 80
packs() { find "$SSAUDIT_TRAIL/objects/pack" -name '*.pack' | wc -l; }
loose() { find "$SSAUDIT_TRAIL/objects" -regextype posix-extended -regex '.*/objects/[0-9a-f]{2}/[0-9a-f]{38}' | wc -l; }

ids inspector >"$T/ins"
ids panel >"$T/pan"
A=$(sed -n 1p "$T/ins")
C=$(sed -n 2p "$T/ins")
B=$(grep -vxFf "$T/ins" "$T/pan" | head -1)
git_ show main:months/$M/population.jsonl | sed 's/^{"id":"\([^"]*\)".*/\1/' | sort >"$T/pop"
U=$(sort "$T/pan" | comm -23 "$T/pop" - | head -1)

# ---- the corpus
mkdir "$T/ws"
t0=$(tip)
n=0
while IFS=$'\t' read -r file code pos msg; do
	case "$file" in '#'* | '') continue ;; esac
	sed "s/@M@/$M/g; s/@A@/$A/g; s/@B@/$B/g; s/@C@/$C/g; s/@U@/$U/g" "$CORPUS/$file" >"$T/ws/$file"
	ss --as ines review $M --from "$T/ws/$file"
	[ "$rc" = "$code" ] || fail "$file: exit $rc, wanted $code: $(cat "$T/err")"
	first=$(head -1 "$T/err")
	case "$first" in
	"ssaudit: $T/ws/$file:$pos: "*"$msg"*) ;;
	*) fail "$file: wanted '$file:$pos: ...$msg...', got: $first" ;;
	esac
	grep -q "nothing was recorded" "$T/err" || fail "$file: should say nothing was recorded"
	[ "$(tip)" = "$t0" ] || fail "$file: the trail changed"
	n=$((n + 1))
done <"$CORPUS/EXPECT"
[ "$n" -ge 12 ] || fail "the corpus should hold at least 12 worksheets, has $n"
[ "$(ls "$CORPUS"/*.csv | wc -l)" = "$n" ] || fail "a corpus file is missing from EXPECT"
ok "$n malformed worksheets refused with file, line and column; the trail unchanged"

# Every bad row is reported, not just the first.
H='month,id,role,reviewer,grounds,conduct,record,note'
printf '%s\r\n' "$H" "$M,$A,inspector,ines,maybe,fair,," "$M,$C,inspector,ines,reasonable,fair,," \
	"$M,$B,inspector,ines,reasonable,fair,," "$M,$C,inspector,ines,reasonable,,," >"$T/multi.csv"
expect 65 --as ines review $M --from "$T/multi.csv"
err_has "multi.csv:2:43: 'maybe' is not an answer to grounds"
err_has "multi.csv:4:9: record $B is not among the 5 records"
err_has "multi.csv:5:54: conduct must be answered"
err_has "multi.csv:5:1: a second row for ines on record $C (the first is on line 3)"
err_has "4 problems found; nothing was recorded"
[ "$(tip)" = "$t0" ] || fail "a worksheet with bad rows changed the trail"
ok "every bad row is reported; nothing is written"

# ---- the round trip: pack, fill in a spreadsheet, read back
fill() { # fill IN OUT ROWS REVIEWER: answer the first ROWS rows (a spreadsheet's way: BOM, CRLF)
	python3 - "$@" <<'EOF'
import csv, sys
src, dst, rows, who = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(src, newline="", encoding="utf-8-sig") as f:
    table = list(csv.reader(f))
head = table[0]
assert head[:4] == ["month", "id", "role", "reviewer"], head
for i, r in enumerate(table[1:rows + 1]):
    r[head.index("grounds")] = "not-reasonable" if i == 0 else "reasonable"
    r[head.index("conduct")] = "concerns" if i == 0 else "fair"
    if who != "-":
        r[head.index("reviewer")] = who
    if i == 0:
        r[head.index("note")] = 'Officer wrote "smell of cannabis", nothing else;\nno BWV reference'
with open(dst, "w", newline="", encoding="utf-8-sig") as f:
    csv.writer(f, lineterminator="\r\n").writerows(table)
EOF
}
expect 0 --as ines pack $M --role inspector --reviewer ines -o "$T/ines-pack.csv"
head -1 "$T/ines-pack.csv" | grep -q '^month,id,role,reviewer,grounds,conduct,record,note,' ||
	fail "pack's worksheet header"
fill "$T/ines-pack.csv" "$T/ines.csv" 5 -
before=$(commits)
p0=$(packs)
l0=$(loose)
expect 0 --as ines review $M --from "$T/ines.csv"
out_has "5 new verdicts recorded (0 entered for others), 0 replaced, 0 already recorded, 0 rows skipped"
[ "$(commits)" = $((before + 5)) ] || fail "5 rows should be 5 commits"
[ "$(packs)" = $((p0 + 1)) ] || fail "a worksheet should land as one pack"
[ "$(loose)" = "$l0" ] || fail "a worksheet should leave no loose objects"
git_ show "main:months/$M/verdicts/${A:2:2}/$A/inspector.ines.json" >"$T/v.json"
python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
assert v["answers"] == {"grounds": "not-reasonable", "conduct": "concerns"}, v
assert v["note"] == "Officer wrote \"smell of cannabis\", nothing else;\nno BWV reference", v["note"]' "$T/v.json" ||
	fail "the first row's verdict and its note did not survive the round trip"
git_ log -1 --format=%b main | grep -q "From the worksheet 'ines.csv', line" || fail "commit should name its worksheet line"
ok "pack, fill in, review --from: one signed commit per row, one pack, notes intact"

t1=$(tip)
expect 0 --as ines review $M --from "$T/ines.csv"
out_has "0 new verdicts recorded (0 entered for others), 0 replaced, 5 already recorded"
[ "$(tip)" = "$t1" ] || fail "re-reading the same worksheet made commits"
sed -i "0,/,not-reasonable,concerns,/s//,insufficient-information,concerns,/" "$T/ines.csv"
expect 0 --as ines review $M --from "$T/ines.csv"
out_has "0 new verdicts recorded (0 entered for others), 1 replaced, 4 already recorded"
ok "a re-run records only what changed"

# ---- a secretary's worksheet: members' verdicts entered for them
expect 0 --as sec pack $M --role panel --reviewer bob -o "$T/bob-pack.csv"
fill "$T/bob-pack.csv" "$T/bob.csv" 10 -
sed -i "4s/,bob,/,amy,/" "$T/bob.csv" # line 4: the first row's note spans two lines
before=$(commits)
expect 0 --as sec review $M --from "$T/bob.csv"
out_has "10 new verdicts recorded (10 entered for others), 0 replaced, 0 already recorded, 10 rows skipped (no answers)"
[ "$(commits)" = $((before + 10)) ] || fail "10 answered rows, 10 commits"
git_ log -10 --format='%an|%cn|%(trailers:key=Ssaudit-On-Behalf-Of,valueonly,separator=)' main | sort | uniq -c >"$T/people"
grep -q " 9 Person bob|Person sec|bob" "$T/people" || fail "bob's verdicts: author bob, committer sec: $(cat "$T/people")"
grep -q " 1 Person amy|Person sec|amy" "$T/people" || fail "amy's verdict entered by sec: $(cat "$T/people")"
printf '%s\r\n' "$H" "$M,$B,secretary,sec,reasonable,fair,," >"$T/own.csv"
expect 65 --as sec review $M --from "$T/own.csv"
err_has "own.csv:2:38: sec is a secretary, and the policy does not let a secretary record verdicts of their own"
ok "a secretary's worksheet: each row authored by the member, signed by the secretary"

# ---- refusals of the whole sheet
expect 66 --as ines review $M --from "$T/no-such.csv"
expect 2 --as ines review $M --from "$T/ines.csv" --grounds reasonable
expect 1 --as ines review 2026-09 --from "$T/ines.csv"
err_has "September 2026 has not been sampled yet"
t2=$(tip)
printf '%s\r\n' "$H" "$M,$B,panel,amy,reasonable,fair,," >"$T/amy.csv"
# Close needs every verdict: the panel's remaining ones and the inspector's.
for id in $(cat "$T/pan"); do
	expect 0 --as amy -q review $M "$id" --grounds reasonable --conduct fair
done
for id in $(sed -n 2,5p "$T/ins"); do
	expect 0 --as ines -q review $M "$id" --grounds reasonable --conduct fair
done
expect 0 --as coord close $M
t3=$(tip)
expect 1 --as amy review $M --from "$T/amy.csv"
err_has "October 2026 is closed"
[ "$(tip)" = "$t3" ] || fail "a worksheet was read into a closed month"
ok "missing file (66), options with --from (2), unsampled month and closed month (1)"

n=$(verified)
ok "all $n commits verify with stock git; git fsck is clean"
