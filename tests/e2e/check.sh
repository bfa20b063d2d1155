# `ssaudit check` on the bad-input corpus: each file gives its exit code and a
# message with file, line and column; good files and the real data read cleanly.
. "$(dirname "$0")/env.sh"
corpus="$SS_SOURCE_DIR/tests/corpus/records"
n=0
while IFS=$'\t' read -r file code pos text; do
	case "$file" in '#'* | '') continue ;; esac
	(cd "$corpus" && "$SSAUDIT" check "$file" >"$T/out" 2>"$T/err") && rc=0 || rc=$?
	[ "$rc" = "$code" ] || fail "check $file exited $rc, wanted $code: $(cat "$T/err")"
	err_has "$file:$pos: "
	err_has "$text"
	n=$((n + 1))
done <"$corpus/EXPECT"
[ "$n" -ge 25 ] || fail "only $n corpus files"
ok "$n malformed files refused with exit code, line and column"

for f in "$corpus"/good/*; do
	expect 0 check "$f"
done
ok "good edge cases read"

# JSON output parses and counts what the text says.
"$SSAUDIT" synth --month 2026-10 --count 300 --seed 5 -o "$T/m.csv" 2>/dev/null
expect 0 --json check "$T/m.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["stats"]["records"]==300, d["stats"]["records"]; assert d["errors"]==0' "$T/out" ||
	fail "check --json"
ok "check --json parses"

# Several files at once: one bad file makes the whole check fail with 65.
expect 65 check "$T/m.csv" "$corpus/short_row.csv"
out_has "records:     300"
ok "a bad file among good ones"

expect 66 check "$T/missing.csv"
err_has "missing.csv"
[ ! -s "$T/out" ] || fail "a missing file still printed a table: $(head -c 300 "$T/out")"
expect 66 check "$T/m.csv" "$T/missing.csv"
[ ! -s "$T/out" ] || fail "a missing file among good ones still printed a table"
expect 2 check
expect 2 check --format nonsense "$T/m.csv"
ok "missing file 66 (and no empty table before the error), usage 2"

if [ -d "$DATA" ]; then
	for f in "$DATA"/*.csv; do
		expect 0 check "$f"
	done
	ok "every shared data.police.uk file checks clean"
else
	echo "shared data absent: real files not checked"
fi
