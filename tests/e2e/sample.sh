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

# Independent re-derivation: tickets, quotas, always-rules, strata and roles
# from the committed population.jsonl, policy.json and the seed.
for m in $months; do
	git --git-dir "$SSAUDIT_TRAIL" show "main:months/$m/population.jsonl" >"$T/pop.jsonl"
	git --git-dir "$SSAUDIT_TRAIL" show "main:months/$m/sample.json" >"$T/sample.json"
	git --git-dir "$SSAUDIT_TRAIL" show main:policy.json >"$T/policy.json"
	python3 - "$T/pop.jsonl" "$T/sample.json" "$T/policy.json" <<'PY' || fail "month $m: re-derivation differs"
import hashlib, json, sys
pop_bytes = open(sys.argv[1], "rb").read()
s = json.load(open(sys.argv[2]))
pol_bytes = open(sys.argv[3], "rb").read()
pol = json.loads(pol_bytes)
assert s["algorithm"] == "ssaudit-sample-v1"
assert s["population_sha256"] == hashlib.sha256(pop_bytes).hexdigest()
assert s["policy_sha256"] == hashlib.sha256(pol_bytes).hexdigest()
recs = [json.loads(l) for l in pop_bytes.decode().splitlines()]
seed, month = s["seed"], s["month"]
def ticket(i):
    return hashlib.sha256(b"ssaudit-sample-v1\0" + seed.encode() + b"\0" + month.encode() + b"\0" + i.encode()).hexdigest()
bp = round(float(pol["sample"]["rate"].rstrip("%")) * 100)
quota = lambda n, b: (n * b + 9999) // 10000
def match(rule, r):
    v = r[rule["field"]]
    same = lambda w: (v is None and w is None) or (type(v) == type(w) and v == w and v is not None)
    if "equals" in rule: return same(rule["equals"])
    if "in" in rule: return any(same(w) for w in rule["in"])
    return isinstance(v, str) and rule["contains"] in v
strata = {}
for r in recs:
    key = json.dumps([r[f] for f in pol["sample"].get("strata", [])], separators=(",", ":"), ensure_ascii=False)
    strata.setdefault(key, []).append(r)
chosen = {}
for key, rs in strata.items():
    always = [r for r in rs if any(match(x, r) for x in pol["sample"].get("always", []))]
    k = quota(len(rs), bp)
    pick = [(r, "always") for r in always]
    if len(always) < k:
        others = sorted((r for r in rs if r not in always), key=lambda r: (ticket(r["id"]), r["id"]))
        pick += [(r, "random") for r in others[: k - len(always)]]
    for r, why in pick:
        chosen[r["id"]] = why
got = {x["id"]: x["reason"] for x in s["records"]}
assert got == chosen, "sample differs: %d vs %d" % (len(got), len(chosen))
for x in s["records"]:
    assert x["ticket"] == ticket(x["id"])
order = sorted(chosen, key=lambda i: ticket(i))
assert [x["id"] for x in s["records"]] == order
m = len(order)
for role, spec in pol["roles"].items():
    if "reviews" not in spec: continue
    r = spec["reviews"]
    n = m if r == "all" else min(r["count"], m) if "count" in r else quota(m, round(float(r["rate"].rstrip("%")) * 100))
    assert s["roles"][role] == order[:n], role
for st in s["strata"]:
    assert st["population"] == len(strata[st["key"] if isinstance(st["key"], str) else json.dumps(st["key"], separators=(",", ":"), ensure_ascii=False)])
print("re-derived", m, "of", len(recs))
PY
done
ok "samples re-derived independently in Python: tickets, quotas, always-rules, strata, roles"

# The auditor's one-liner agrees for a record.
git --git-dir "$SSAUDIT_TRAIL" show main:months/2026-10/sample.json >"$T/sample.json"
read -r seed id ticket < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); r=s["records"][0]; print(s["seed"].replace(" ", "\x01"), r["id"], r["ticket"])' "$T/sample.json")
seed=${seed//$'\x01'/ }
[ "$(printf 'ssaudit-sample-v1\0%s\0%s\0%s' "$seed" 2026-10 "$id" | sha256sum | cut -c1-64)" = "$ticket" ] ||
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
assert all(r[0] == "2026-10" and r[2] == "qa-panel" and r[3] == "coord" for r in rows[1:])
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
