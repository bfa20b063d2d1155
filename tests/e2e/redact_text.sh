# Free text that enters the trail (verdict notes, correction, waiver and
# reopen reasons) loses dates, postcodes, phone numbers, registrations and
# officer identifiers before it is stored or put in a commit message
# (DESIGN.md section 4).
. "$(dirname "$0")/lib.sh"

cast 100%
synth_month 2026-10 12
M=2026-10
A=$(ids panel | sed -n 1p)
SECRET="PC 1234 and Sgt 789 stopped him on 15 November 95 (DOB 15/11/95) at SA31 1AB, 07700 900016, AB12 CDE"
scrubbed() {
	# nothing of the identifiers anywhere: blobs and commit messages
	git_ cat-file --batch-all-objects --batch >"$T/objects"
	for s in "PC 1234" "Sgt 789" "November 95" 15/11/95 "SA31 1AB" "07700 900016" "AB12 CDE"; do
		grep -qF -- "$s" "$T/objects" && fail "'$s' is in the trail after $1"
	done
	return 0
}
expect 0 --as amy review $M "$A" --grounds reasonable --conduct fair --note "$SECRET"
git_ show "main:$(files months/$M/verdicts | grep "$A/panel.amy")" >"$T/v"
grep -qF '[officer] and [officer] stopped him on [date] (DOB [date]) at [postcode], [phone], [vrm]' "$T/v" ||
	fail "the note was not redacted as section 4 says: $(cat "$T/v")"
scrubbed "a verdict note"
ok "a verdict's note keeps its words, loses dates, postcode, phone, registration, officers"

expect 0 --as coord correct $M "$A" --outcome Arrest --reason "lab result for PC 1234, 15 November 95"
git_ log -1 --format=%B main >"$T/msg"
grep -qF "Reason: lab result for [officer], [date]" "$T/msg" || fail "correction reason in the commit: $(cat "$T/msg")"
scrubbed "a correction"
ok "a correction's reason redacted, in its file and its commit message"

# Every record still without its verdicts waived, with the same reason.
expect 1 --as coord close $M
waive=()
for id in $(grep -o 'R-[a-z2-7]\{16\}' "$T/err" | sort -u); do
	waive+=(--waive "$id" --reason "BWV lost by DC 56 on 15/11/95")
done
expect 0 --as coord close $M "${waive[@]}"
w=$(files months/$M/waivers | head -1)
git_ show "main:$w" | grep -qF "BWV lost by [officer] on [date]" ||
	fail "the waiver's reason was not redacted: $(git_ show "main:$w")"
expect 0 --as coord reopen $M --reason "Sgt 789 asked on 07700 900016"
git_ show main:months/$M/closed.json | grep -qF "[officer] asked on [phone]" || fail "reopen reason not redacted"
scrubbed "a waiver and a reopen"
ok "waiver and reopen reasons redacted"
expect 0 verify
