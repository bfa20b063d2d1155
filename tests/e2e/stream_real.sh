# Results unchanged by speed: on every shared real month, the population read
# as it streams (the scan for ssaudit's canonical form, only the fields each
# command needs) gives byte for byte what the strict whole-file parser gives
# (SSAUDIT_POPULATION_STRICT=1): the sample drawn (sample.json and the roles'
# id lists), `list`, `pack` and `report` in every format, on a loose
# population and on a packed one (after `gc`), and `verify` re-derives it.
. "$(dirname "$0")/env.sh"
[ -d "$DATA" ] || skip "no shared real data at $DATA"
export SSAUDIT_FSYNC=0 SSAUDIT_TEST=1 SSAUDIT_NOW=1893456000
person coord >/dev/null
person insp >"$T/insp.pub"

# both NAME ARGS...: run ssaudit both ways; the outputs must be equal.
both() {
	local name=$1
	shift
	SSAUDIT_POPULATION_STRICT=1 expect 0 "$@"
	cp "$T/out" "$T/$name.strict"
	expect 0 "$@"
	cmp -s "$T/out" "$T/$name.strict" ||
		fail "$month: '$*' differs when the population streams: $(diff "$T/$name.strict" "$T/out" | head -5)"
}

n=0
for f in "$DATA"/*.csv; do
	month=$(basename "$f" | cut -c1-7)
	base="$T/$(basename "$f" .csv)"
	export SSAUDIT_TRAIL="$base.git"
	founder
	expect 0 --as coord import "$month" "$f"
	expect 0 --as coord reviewer add insp --role local-inspector --name "Insp. Lowri Evans" \
		--email lowri@example.org --key "$(cat "$T/insp.pub")"
	cp -a "$base.git" "$base-strict.git"

	# The same draw both ways, in two copies of the trail at the same fixed clock.
	expect 0 --as coord sample "$month" --seed "9 9 9 $month"
	SSAUDIT_TRAIL="$base-strict.git" SSAUDIT_POPULATION_STRICT=1 \
		expect 0 --as coord sample "$month" --seed "9 9 9 $month"
	a=$(git --git-dir "$base.git" rev-parse "main:months/$month")
	b=$(git --git-dir "$base-strict.git" rev-parse "main:months/$month")
	[ "$a" = "$b" ] || fail "$month: the streamed draw differs from the strict one"
	[ "$(git --git-dir "$base.git" rev-parse main)" = \
		"$(git --git-dir "$base-strict.git" rev-parse main)" ] ||
		fail "$month: the sample's commits differ"

	# A few verdicts and a correction, so the report has findings to show.
	expect 0 --json list "$month" --role local-inspector
	python3 - "$T/out" "$T/ids" "$T/fix" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))[:4]
open(sys.argv[2], "w").write("".join(r["id"] + "\n" for r in rows))
to = "Arrest" if rows[0]["record"]["outcome"] != "Arrest" else "Community resolution"
open(sys.argv[3], "w").write(to)
PY
	i=0
	while read -r id; do
		g=reasonable
		[ $i = 1 ] && g=not-reasonable
		expect 0 --as insp review "$month" "$id" --grounds "$g" --conduct fair --bwv viewed
		i=$((i + 1))
	done <"$T/ids"
	expect 0 --as coord correct "$month" "$(head -1 "$T/ids")" --outcome "$(cat "$T/fix")" \
		--reason "charged later"

	for packed in loose packed; do
		[ $packed = packed ] && expect 0 -q gc
		both list --json list "$month"
		both report-json --json report "$month"
		[ $packed = packed ] && continue
		both list-role list "$month" --role local-inspector
		both pack pack "$month" --role local-inspector --format csv
		both report report "$month"
		both report-csv report "$month" --format csv
		both report-public report "$month" --public
	done
	expect 0 verify
	n=$((n + 1))
done
[ "$n" -gt 0 ] || skip "no real month in $DATA"
ok "$n real months: the streamed population gives the strict path's samples, lists, packs and reports, loose and packed"
