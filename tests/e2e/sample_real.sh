# ssaudit-sample-v2 on every shared real month, and on a shuffled copy of
# each: imported into a fresh trail and sampled, then re-derived by the
# auditors' script (audit/tools/ssaudit-rederive-sample.py, written from DESIGN.md
# section 6, not from the C). The shuffled copy must give the same sample,
# byte for byte; no stratum may pass ceil(n, rate); a rule whose field is
# blank must be warned about at `sample`.
. "$(dirname "$0")/env.sh"
[ -d "$DATA" ] || skip "no shared real data at $DATA"
command -v python3 >/dev/null || skip "python3 is not installed"
person coord >/dev/null
RD="$SS_SOURCE_DIR/audit/tools/ssaudit-rederive-sample.py"
n=0
for f in "$DATA"/*.csv; do
	month=$(basename "$f" | cut -c1-7)
	python3 - "$f" "$T/shuffled.csv" <<'PY'
import random, sys
raw = open(sys.argv[1], "rb").read()
bom = raw.startswith(b"\xef\xbb\xbf")
lines = raw.splitlines(keepends=True)
head, rows = lines[0], lines[1:]
rows = [r if r.endswith(b"\n") else r + b"\r\n" for r in rows]
random.Random(12).shuffle(rows)
open(sys.argv[2], "wb").write(head + b"".join(rows))
PY
	for copy in original shuffled; do
		src=$f
		[ "$copy" = shuffled ] && src="$T/shuffled.csv"
		export SSAUDIT_TRAIL="$T/$(basename "$f" .csv)-$copy.git"
		"$SSAUDIT" --as coord -q init --policy "$POLICY" --name "Carys Coordinator" \
			--email coord@example.org >/dev/null
		expect 0 --as coord import "$month" "$src"
		expect 0 --as coord sample "$month" --seed "1 2 3 4 5 6 $month"
		cp "$T/err" "$T/sample-err-$copy"
		python3 "$RD" --trail "$SSAUDIT_TRAIL" "$month" >"$T/rd" 2>&1 ||
			{ cat "$T/rd"; fail "$month ($copy): the script's re-derivation differs"; }
		git --git-dir "$SSAUDIT_TRAIL" show "main:months/$month/sample.json" >"$T/sample-$copy.json"
	done
	cmp -s "$T/sample-original.json" "$T/sample-shuffled.json" ||
		fail "$month: the shuffled file gives another sample"
	python3 - "$T/sample-original.json" "$T/sample-err-original" <<'PY' || fail "$month: $(cat "$T/check")"
import json, sys
s = json.load(open(sys.argv[1]))
err = open(sys.argv[2], encoding="utf-8").read()
ceil = lambda n, bp: (n * bp + 9999) // 10000
bp = lambda r: int(r[:-1].split(".")[0]) * 100 + int((r[:-1].partition(".")[2] + "00")[:2])
for st in s["strata"]:
    drawn = sum(1 for x in s["records"] if x["stratum"] == st["key"])
    assert drawn == st["core"] + st["targeted"] <= ceil(st["population"], bp(s["rate"])), st
    assert st["core"] == ceil(st["population"], bp(s["random"])), st
if s["blanks"].get("removal_of_more_than_outer_clothing"):
    assert "the strip-search rule could not apply to %d search" % s["blanks"]["removal_of_more_than_outer_clothing"] in err, err
if sum(s["not_reached_by_rule"]):
    assert "were not reached" in err or "was not reached" in err, err
PY
	n=$((n + 1))
done
ok "$n real months (and a shuffled copy of each) sampled with v2 and re-derived by the auditors' script"
