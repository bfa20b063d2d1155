# Results do not depend on how many threads compute them: import (ids) and
# sample (tickets) with one thread (SSAUDIT_THREADS=1) and with four give the
# same population.jsonl, sample.json and roles/ROLE.ids, byte for byte, on
# every shared real month and on a synthetic month of 50,000 records. And the
# flat check of a verdict still refuses a record outside the role's share.
. "$(dirname "$0")/env.sh"
person coord >/dev/null
SEED="3 1 4 1 5 9 2 6 5 3"

# run MONTH FILE: import and sample with 1 and 4 threads; compare the files.
run() {
	local month=$1 file=$2 th f
	for th in 1 4; do
		export SSAUDIT_TRAIL="$T/$month-$th.git"
		rm -rf "$SSAUDIT_TRAIL"
		founder
		SSAUDIT_THREADS=$th expect 0 --as coord import "$month" "$file"
		SSAUDIT_THREADS=$th expect 0 --as coord sample "$month" --seed "$SEED"
	done
	for f in population.jsonl sample.json roles/local-inspector.ids \
		roles/independent-inspector.ids roles/qa-panel.ids; do
		cmp -s <(git --git-dir "$T/$month-1.git" show "main:months/$month/$f") \
			<(git --git-dir "$T/$month-4.git" show "main:months/$month/$f") ||
			fail "$month: $f differs between one thread and four"
	done
}

n=0
if [ -d "$DATA" ]; then
	for f in "$DATA"/*.csv; do
		run "$(basename "$f" | cut -c1-7)" "$f"
		n=$((n + 1))
	done
	ok "$n real months: the same ids and sample with one thread and with four"
else
	echo "# no shared real data at $DATA: synthetic month only"
fi

"$SSAUDIT" synth --month 2024-03 --count 50000 --seed 7 -o "$T/synth.csv" >/dev/null 2>&1
run 2024-03 "$T/synth.csv"
ok "a synthetic month of 50,000 records: the same ids and sample with one thread and with four"

# The flat check: a sampled record outside the qa-panel's 20 is refused, with
# the count of the share, and nothing is recorded; one inside is recorded.
export SSAUDIT_TRAIL="$T/2024-03-4.git"
pub=$(person qa1)
expect 0 --as coord -q reviewer add pcc --role pcc-office --name "Pat Office" \
	--email pcc@example.org --key "$(person pcc)"
expect 0 --as pcc -q reviewer add qa1 --role qa-panel --name "Quinn Panel" \
	--email qa1@example.org --key "$pub"
git --git-dir "$SSAUDIT_TRAIL" show "main:months/2024-03/sample.json" >"$T/s.json"
inside=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["roles"]["qa-panel"][0])' "$T/s.json")
outside=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["roles"]["local-inspector"][-1])' "$T/s.json")
before=$(tip)
expect 1 --as qa1 review 2024-03 "$outside" --grounds reasonable --conduct fair --bwv viewed
err_has "is not among the 20 records a qa-panel reviews in March 2024"
[ "$(tip)" = "$before" ] || fail "a refused verdict moved main"
expect 0 --as qa1 review 2024-03 "$inside" --grounds reasonable --conduct fair --bwv viewed
[ "$(tip)" != "$before" ] || fail "a verdict on the panel's own record was not recorded"
ok "a verdict outside the role's share is refused, one inside it recorded"

# The ids are kept uncompressed beside the trail after the first read; a copy
# cut short (a crash, a full disk) is not trusted: the blob is read again.
ls "$SSAUDIT_TRAIL"/ssaudit-blobs/* >/dev/null 2>&1 || fail "no uncompressed copy of the ids was kept"
for f in "$SSAUDIT_TRAIL"/ssaudit-blobs/*; do head -c 19 "$f" >"$T/cut" && cp "$T/cut" "$f"; done
before=$(tip)
expect 1 --as qa1 review 2024-03 "$outside" --grounds reasonable --conduct fair --bwv viewed
err_has "is not among the 20 records a qa-panel reviews in March 2024"
[ "$(tip)" = "$before" ] || fail "a refused verdict moved main"
inside2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["roles"]["qa-panel"][19])' "$T/s.json")
expect 0 --as qa1 review 2024-03 "$inside2" --grounds reasonable --conduct fair --bwv viewed
ok "a copy of the ids cut short is read again from the trail"

# After gc every object is packed (libgit2 streams none): the flat check reads
# the packed sample's head and ids from their uncompressed copies, made once.
rm -rf "$SSAUDIT_TRAIL/ssaudit-blobs"
expect 0 --as coord gc
[ "$(find "$SSAUDIT_TRAIL/objects" -regextype posix-extended -regex '.*/objects/[0-9a-f]{2}/[0-9a-f]{38}' | wc -l)" = 0 ] ||
	fail "gc left loose objects"
before=$(tip)
expect 1 --as qa1 review 2024-03 "$outside" --grounds reasonable --conduct fair --bwv viewed
err_has "is not among the 20 records a qa-panel reviews in March 2024"
[ "$(tip)" = "$before" ] || fail "a refused verdict moved main"
inside3=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["roles"]["qa-panel"][10])' "$T/s.json")
expect 0 --as qa1 review 2024-03 "$inside3" --grounds reasonable --conduct fair --bwv viewed
[ "$(tip)" != "$before" ] || fail "a verdict after gc was not recorded"
ls "$SSAUDIT_TRAIL"/ssaudit-blobs/* >/dev/null 2>&1 || fail "no copies were kept of the packed files"
ok "after gc, verdicts are checked from the packed files' copies"

# verify checks a trail's objects in two halves at once when it may use
# threads: the same findings as on one thread, on an honest trail and on one
# with a blob that still inflates but to other bytes (found by either half,
# then told by the check on one thread, once and in order).
export SSAUDIT_TRAIL="$T/2024-03-4.git"
SSAUDIT_THREADS=1 expect 0 verify --json
cp "$T/out" "$T/verify-1.json"
SSAUDIT_THREADS=4 expect 0 verify --json
cmp -s "$T/verify-1.json" "$T/out" || fail "verify differs between one thread and four"
# One thread's trail was never packed: its objects are loose, to damage.
damage() { # LOOSE-OBJECT: one byte of its content changed, deflated again
	chmod u+w "$1"
	python3 -c 'import sys, zlib
p = sys.argv[1]
raw = zlib.decompress(open(p, "rb").read())
head, body = raw.split(b"\0", 1)
body = bytes([body[0] ^ 1]) + body[1:]
open(p, "wb").write(zlib.compress(head + b"\0" + body, 1))' "$1"
}
first=$(git --git-dir "$T/2024-03-1.git" rev-list --max-parents=0 main)
for what in "$first:policy.json" "main:months/2024-03/population.jsonl" \
	"main:months/2024-03/sample.json"; do
	rm -rf "$T/damaged.git"
	cp -r "$T/2024-03-1.git" "$T/damaged.git"
	blob=$(git --git-dir "$T/damaged.git" rev-parse "$what")
	obj="$T/damaged.git/objects/${blob:0:2}/${blob:2}"
	[ -f "$obj" ] || fail "no loose object $blob ($what) to damage"
	damage "$obj"
	SSAUDIT_TRAIL="$T/damaged.git" SSAUDIT_THREADS=1 expect 1 verify --json
	cp "$T/out" "$T/verify-1.json"
	grep -q "$blob" "$T/verify-1.json" || fail "the damaged blob of $what is not named"
	SSAUDIT_TRAIL="$T/damaged.git" SSAUDIT_THREADS=4 expect 1 verify --json
	cmp -s "$T/verify-1.json" "$T/out" ||
		fail "verify of a damaged $what differs between one thread and four"
done
ok "verify's findings are the same on one thread and on two halves at once"

# A large loose blob cut short on disk (libgit2 1.5 would loop forever reading
# it) is inflated on a thread of its own while the commits are read: it is
# still found before anything reads it, told as on one thread, and verify
# stops there, promptly.
for what in "main:months/2024-03/population.jsonl" "main:months/2024-03/sample.json"; do
	rm -rf "$T/cut.git"
	cp -r "$T/2024-03-1.git" "$T/cut.git"
	blob=$(git --git-dir "$T/cut.git" rev-parse "$what")
	obj="$T/cut.git/objects/${blob:0:2}/${blob:2}"
	chmod u+w "$obj"
	head -c 4000 "$obj" >"$T/cut" && cat "$T/cut" >"$obj"
	for th in 1 4; do
		set +e
		SSAUDIT_TRAIL="$T/cut.git" SSAUDIT_THREADS=$th timeout 120 "$SSAUDIT" verify --json \
			>"$T/out-$th" 2>"$T/err"
		rc=$?
		set -e
		[ "$rc" = 1 ] || fail "verify of a cut $what with $th threads exited $rc"
	done
	grep -q "objects/${blob:0:2}/${blob:2}" "$T/out-1" || fail "the cut $what is not named"
	grep -q "cut short" "$T/out-1" || fail "the cut $what is not said to be cut short"
	grep -q "verification stopped here" "$T/out-1" || fail "verify did not stop at the cut $what"
	cmp -s "$T/out-1" "$T/out-4" || fail "verify of a cut $what differs between one thread and four"
done
ok "a large loose blob cut short stops verify, told the same on one thread and four"
