# The panel's side: blind review through every command, times in UK local
# time, a pack on records without grounds, worksheets a spreadsheet has
# touched, -q, and the words a lay member meets.
. "$(dirname "$0")/lib.sh"
export SSAUDIT_FSYNC=0

M=2019-07
cast 100%
# A data.police.uk month (no grounds): the first search at local midnight on
# 1 July in summer time, stamped as 23:00 UTC the day before.
H='Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,Outcome linked to object of search,Removal of more than just outer clothing'
PACE='Police and Criminal Evidence Act 1984 (section 1)'
{
	echo "$H"
	echo "Person search,2019-06-30T23:00:00+00:00,False,,52.41,-4.08,Male,18-24,,White,Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,False,False"
	for d in 02 03 04 05 06 07 08; do
		echo "Person search,2019-07-${d}T10:1${d#0}:00+01:00,False,,52.41,-4.08,Female,25-34,,White,$PACE,Stolen goods,Arrest,True,False"
	done
} >"$T/police.csv"
expect 0 --as coord import $M "$T/police.csv"
expect 0 --as coord sample $M --seed 12345678901234567890
ids inspector $M >"$T/ins"
[ "$(wc -l <"$T/ins")" = 5 ] || fail "the inspector should review 5 records"
git_ show main:months/$M/population.jsonl | grep -F '"2019-06-30T23:00:00+00:00"' |
	sed 's/^{"id":"\([^"]*\)".*/\1/' >"$T/bst"
BST=$(cat "$T/bst")
[ -n "$BST" ] || fail "the midnight search is not in the population"

# ---- UK local time wherever a person reads one
expect 0 show $M "$BST"
out_has "1 July 2019, 00:00 BST (recorded as 2019-06-30T23:00:00+00:00)"
expect 0 --json show $M "$BST"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["when"]=="1 July 2019, 00:00 BST" and d["record"]["datetime"]=="2019-06-30T23:00:00+00:00", d' "$T/out" ||
	fail "show --json: stored time changed or local time missing"
expect 0 list $M
out_has "1 July 2019, 00:00 BST"
out_has "$PACE"
expect 0 pack $M --role panel --format html -o "$T/pack.html"
grep -qF "1 July 2019, 00:00 BST" "$T/pack.html" || fail "the pack shows the time in UTC"
expect 0 pack $M --role panel -o "$T/pack.csv"
grep -qF "1 July 2019, 00:00 BST" "$T/pack.csv" || fail "the worksheet shows the time in UTC"
ok "a search stamped 2019-06-30T23:00:00+00:00 reads 1 July 2019, 00:00 BST in show, list and the pack; stored as given"

# ---- a pack on records without grounds says so, at the top and per record
grep -qF "8 of these 8 records carry no written grounds" "$T/pack.html" || fail "the pack does not say the records have no grounds"
[ "$(grep -o 'This record has no written grounds' "$T/pack.html" | wc -l)" = 8 ] || fail "each record should say it has no grounds"
grep -qF "(no written grounds in this record: data.police.uk" "$T/pack.csv" || fail "the worksheet does not say a record has no grounds"
ok "a pack on data.police.uk records says they carry no grounds, at the top and per record"

# ---- worksheets: made out to --reviewer, checked; never to --as
expect 0 --as coord pack $M --role panel -o "$T/coord.csv"
python3 - "$T/coord.csv" <<'PY' || fail "a pack made --as coord is made out to coord"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert all(r[3] == "" for r in rows[1:]), rows[1]
PY
SSAUDIT_AS=coord expect 0 pack $M --role panel --reviewer amy -o "$T/amy.csv"
python3 - "$T/amy.csv" <<'PY' || fail "--reviewer amy"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert all(r[3] == "amy" for r in rows[1:])
i = rows[0].index("Allowed answers")
assert rows[1][i] == "grounds: reasonable | not-reasonable | insufficient-information; conduct: fair | concerns | unable-to-assess; record (optional): complete | incomplete", rows[1][i]
PY
t0=$(tip)
expect 1 pack $M --role panel --reviewer nobody
err_has "there is no reviewer 'nobody' in the register"
expect 1 pack $M --role panel --reviewer ines
err_has "ines is an inspector, not a panel"
expect 2 pack $M --role panel --reviewer 'Not A Handle'
expect 0 --as coord reviewer add gone --role panel --name "Gone" --email g@example.org
expect 0 --as coord reviewer remove gone
expect 1 pack $M --role panel --reviewer gone
err_has "'gone' was removed from the register"
expect 0 pack $M --role panel --reviewer bob -o "$T/bob.csv"
ok "a pack is made out to --reviewer only, checked (unknown, removed, wrong role refused), never to --as"

# ---- a keyless member is told what helps; a and an
expect 77 --as bob review $M "$BST" --grounds reasonable --conduct fair
err_has "bob is registered without a key"
err_has "a secretary can enter their verdicts for them"
grep -qF "make one with: ssaudit keygen" "$T/err" && fail "a keyless member is told to make a key that cannot help"
expect 77 --as coord review $M "$BST" --grounds reasonable --conduct fair
err_has "coord is a coordinator"
expect 77 --as ines import 2019-08 "$T/police.csv"
err_has "ines is an inspector, and the policy does not let an inspector"
ok "a keyless member is told who can enter for them and how to get a key registered; a/an read right"

# ---- a spreadsheet's capitals in the header are fine; -q quietens review
{
	echo "Month,ID,Role,Reviewer,Grounds,Conduct,Record,Note"
	echo "$M,$BST,panel,amy,not-reasonable,concerns,,AMYNOTE on the midnight search"
} >"$T/caps.csv"
expect 0 --as amy -q review $M --from "$T/caps.csv"
[ -s "$T/out" ] && fail "-q review printed: $(cat "$T/out")"
[ -s "$T/err" ] && fail "-q review printed: $(cat "$T/err")"
ok "headers Month, ID, Grounds read as month, id, grounds; review -q prints nothing"

# ---- blind review through every command
# amy (panel) judges every record the inspector has still to review.
while read -r id; do
	expect 0 --as amy -q review $M "$id" --grounds not-reasonable --conduct concerns \
		--note "AMYNOTE on $id"
done <"$T/ins"
A=$(head -1 "$T/ins")
leak() { # leak WHAT: fail if amy's answers show in $T/out
	! grep -qE "AMYNOTE|not-reasonable|concerns" "$T/out" || fail "$1 shows amy's answers to ines: $(grep -E 'AMYNOTE|not-reasonable|concerns' "$T/out" | head -3)"
}
expect 0 --as ines show $M "$A"
leak "show"
out_has "hidden until you (ines) record yours"
expect 0 --as ines --json show $M "$A"
leak "show --json"
expect 0 --as ines history $M
leak "history"
out_has "its answers are hidden until you (ines) record yours"
err_has "hidden: you (ines) have still to review"
expect 0 --as ines history $M "$A"
leak "history ID"
expect 0 --as ines --json history $M
leak "history --json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert sum(e["hidden"] for e in d) >= 5' "$T/out" || fail "history --json does not mark hidden verdicts"
expect 0 --as ines list $M --role inspector
leak "list"
err_has "already have verdicts by other reviewers, hidden from you (ines)"
expect 0 --as ines --json list $M
leak "list --json"
expect 0 --as ines pack $M --role inspector --reviewer ines --format html
grep -qE "AMYNOTE" "$T/out" && fail "pack shows amy's notes"
expect 0 --as ines pack $M --role inspector --reviewer ines
grep -qE "AMYNOTE" "$T/out" && fail "worksheet shows amy's notes"
for f in text json csv html; do
	expect 0 --as ines report $M --format $f
	grep -q "AMYNOTE" "$T/out" && fail "report --format $f shows amy's notes to ines"
	grep -qF "have still to review are left out of this report" "$T/out" || fail "report --format $f does not say what it leaves out"
done
expect 0 --as ines report $M --format json
python3 - "$T/out" <<'PY' || fail "report --json shows amy's findings to ines"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["notes"] == [] and d["follow_up"] == [], (d["notes"], d["follow_up"])
PY
ok "before recording, ines sees none of amy's answers through show, list, history, pack or report (text, json, csv, html), and is told why"

# ines records her own: now she sees amy's
while read -r id; do
	expect 0 --as ines -q review $M "$id" --grounds reasonable --conduct fair
done <"$T/ins"
expect 0 --as ines show $M "$A"
out_has "AMYNOTE on $A"
expect 0 --as ines history $M "$A"
out_has "not-reasonable"
for f in text json csv html; do
	expect 0 --as ines report $M --format $f
	out_has "AMYNOTE on $A"
	grep -qF "left out of this report" "$T/out" && fail "report --format $f still leaves verdicts out"
done
ok "after recording, ines sees amy's answers in show, history and the report"

# ---- the report shows the search's time in UK local time (follow-up list)
expect 0 report $M
out_has "1 July 2019, 00:00 BST"
expect 0 report $M --format html
out_has "1 July 2019, 00:00 BST"
expect 0 report $M --format json
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["follow_up"] if x["datetime"] == "2019-06-30T23:00:00+00:00"]
assert f and f[0]["when"] == "1 July 2019, 00:00 BST", d["follow_up"]' "$T/out" || fail "report --json: time"
ok "the report shows the midnight search as 1 July 2019, 00:00 BST"
expect 0 verify
