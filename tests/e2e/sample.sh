# The monthly sample end to end: drawn on a real month (and a synthetic one
# with strata), re-derived independently in Python from the committed bytes,
# refused when it must be, and turned into worklists and packs.
. "$(dirname "$0")/env.sh"
founder
"$SSAUDIT" synth --month 2026-10 --count 800 --seed 21 -o "$T/synth.csv" 2>/dev/null

expect 1 --as coord sample 2026-10 --seed 1234
err_has "no records have been imported"
expect 0 --as coord import 2026-10 "$T/synth.csv"
expect 2 --as coord sample 2026-10 --seed "$(printf 'bad\tseed')"
expect 2 --as coord sample 2026-10 --seed ""
expect 77 --as coord2 sample 2026-10 --seed 1
before=$(tip)
expect 0 --as coord sample 2026-10 --seed "40 17 93 02 66 dîs"
expect 1 --as coord sample 2026-10 --seed 999
err_has "already been sampled"
expect 1 --as coord import 2026-10 "$T/synth.csv" --replace
err_has "can no longer be replaced"
[ "$(git --git-dir "$SSAUDIT_TRAIL" rev-parse main^)" = "$before" ] || fail "sample is not one commit"
ok "sample refusals: no population (1), bad seed (2), twice (1), replace after sampling (1)"

months="2026-10"
if [ -d "$DATA" ]; then
	expect 0 --as coord import 2019-06 "$DATA/2019-06-dyfed-powys-stop-and-search.csv"
	expect 0 --as coord sample 2019-06
	grep -q '"seed_source": *"generated"' <(git --git-dir "$SSAUDIT_TRAIL" show main:months/2019-06/sample.json) ||
		fail "generated seed not marked"
	months="$months 2019-06"
fi

# Independent re-derivation: the auditors' script (written from DESIGN.md
# section 6, not from the C) recomputes tickets, core, targeted, strata,
# blanks and roles from the committed population.jsonl, policy.json and seed.
for m in $months; do
	python3 "$SS_SOURCE_DIR/audit/tools/ssaudit-rederive-sample.py" --trail "$SSAUDIT_TRAIL" "$m" >"$T/rd" 2>&1 ||
		{ cat "$T/rd"; fail "month $m: re-derivation differs"; }
	grep -q "identical to sample.json" "$T/rd" || fail "month $m: the script did not compare"
done
# An edited sample is caught by the script too (one record's reason flipped).
git --git-dir "$SSAUDIT_TRAIL" show main:months/2026-10/population.jsonl >"$T/pop.jsonl"
git --git-dir "$SSAUDIT_TRAIL" show main:policy.json >"$T/policy.json"
git --git-dir "$SSAUDIT_TRAIL" show main:months/2026-10/sample.json >"$T/sample.json"
python3 "$SS_SOURCE_DIR/audit/tools/ssaudit-rederive-sample.py" --files "$T/pop.jsonl" "$T/policy.json" "$T/sample.json" >/dev/null ||
	fail "the script refuses the honest sample read from files"
sed '0,/"reason": "core"/s//"reason": "targeted"/' "$T/sample.json" >"$T/edited.json"
python3 "$SS_SOURCE_DIR/audit/tools/ssaudit-rederive-sample.py" --files "$T/pop.jsonl" "$T/policy.json" "$T/edited.json" 2>/dev/null &&
	fail "the script accepted an edited sample"
ok "samples re-derived independently in Python: tickets, quotas, always-rules, strata, roles"

# The auditor's one-liner agrees for a record.
git --git-dir "$SSAUDIT_TRAIL" show main:months/2026-10/sample.json >"$T/sample.json"
read -r seed id ticket < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); r=s["records"][0]; print(s["seed"].replace(" ", "\x01"), r["id"], r["ticket"])' "$T/sample.json")
seed=${seed//$'\x01'/ }
[ "$(printf 'ssaudit-sample-v2\0%s\0%s\0%s' "$seed" 2026-10 "$id" | sha256sum | cut -c1-64)" = "$ticket" ] ||
	fail "sha256sum disagrees with the ticket"
ok "printf | sha256sum gives the committed ticket"

# Worklists and packs.
expect 0 list 2026-10 --role qa-panel
[ "$(grep -c '^R-' "$T/out")" = 20 ] || fail "qa-panel list should have 20 records"
expect 0 --json list 2026-10
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) > 20 and all(x["record"]["id"]==x["id"] for x in d)' "$T/out" || fail "list --json"
expect 2 list 2026-10 --pending
expect 0 --as coord pack 2026-10 --role qa-panel --format csv -o "$T/ws.csv"
python3 - "$T/ws.csv" <<'PY' || fail "worksheet is not a clean RFC 4180 spreadsheet"
import csv, sys
raw = open(sys.argv[1], "rb").read()
raw.decode("utf-8")
assert b"\r\n" in raw
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head = rows[0]
assert head[:8] == ["month", "id", "role", "reviewer", "grounds", "conduct", "bwv", "record"], head
assert head[8] == "note"
assert len(set(head)) == len(head)
assert len(rows) == 21 and all(len(r) == len(head) for r in rows)
# made while --as coord, but never made out to coord: the reviewer column is blank
assert all(r[0] == "2026-10" and r[2] == "qa-panel" and r[3] == "" for r in rows[1:])
assert head[9] == "Allowed answers", head
assert all(r[9].startswith("grounds: reasonable | not-reasonable") for r in rows[1:]), rows[1]
PY
ok "worksheet: RFC 4180, UTF-8, one row per record, unique columns"
expect 0 pack 2026-10 --role local-inspector --format html -o "$T/pack.html"
grep -qi '<script' "$T/pack.html" && fail "script in the pack"
grep -qiE '(src|href)="?https?:' "$T/pack.html" && fail "external resource in the pack"
grep -q 'nicknames and other people' "$T/pack.html" || fail "pack does not warn about redaction limits"
expect 2 pack 2026-10 --role qa-panel --format pdf
expect 2 pack 2026-10
if command -v chromium >/dev/null; then
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$T/chrome" \
		--screenshot="$T/pack.png" --window-size=800,1200 "file://$T/pack.html" >/dev/null 2>&1 ||
		fail "chromium could not render the pack"
	python3 - "$T/pack.png" <<'PY' || fail "the rendered pack is blank"
import sys, zlib, struct
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
# decompress IDAT and check more than one distinct byte value: not a single colour
idat = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                for i in range(8, len(data)) if data[i + 4:i + 8] == b"IDAT")
pixels = zlib.decompress(idat)
assert len(set(pixels[1000:200000])) > 3
PY
	ok "HTML pack renders in headless Chromium"
else
	echo "chromium not installed: HTML rendering not checked"
fi
ok "packs"
