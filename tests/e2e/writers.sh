# Writers at once and writers killed: 8 processes importing different months
# and registering reviewers at the same time lose nothing; imports killed with
# SIGKILL at random moments leave a trail that git accepts and that the next
# run completes.
. "$(dirname "$0")/env.sh"
founder
# A file per month: a file is imported once (the same file for two months is refused).
for i in 1 2 3 4 5 6 7 8; do
	"$SSAUDIT" synth --month "$(printf '2025-%02d' "$i")" --count 300 --seed 3 -o "$T/m$i.csv" 2>/dev/null
done

# --- concurrency ---------------------------------------------------------
pids=()
for i in 1 2 3 4 5 6 7 8; do
	(
		m=$(printf '2025-%02d' "$i")
		"$SSAUDIT" --as coord -q import "$m" "$T/m$i.csv" >/dev/null
		"$SSAUDIT" --as coord -q reviewer add "officer$i" --role records-officer \
			--name "Records Officer $i" --email "ro$i@example.org"
	) 2>"$T/w$i.err" &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a writer failed: $(cat "$T"/w*.err)"; done
git --git-dir "$SSAUDIT_TRAIL" ls-tree -r --name-only main >"$T/tree"
for i in 1 2 3 4 5 6 7 8; do
	grep -qx "months/$(printf '2025-%02d' "$i")/population.jsonl" "$T/tree" || fail "month $i lost"
	grep -qx "reviewers/officer$i.json" "$T/tree" || fail "reviewer $i lost"
done
commits=$(git --git-dir "$SSAUDIT_TRAIL" rev-list --count main)
[ "$commits" = 17 ] || fail "expected 17 commits (init + 16), found $commits"
[ "$(git --git-dir "$SSAUDIT_TRAIL" rev-list --min-parents=2 --count main)" = 0 ] || fail "history not linear"
n=$(verify_all_with_git)
ok "8 writers at once: nothing lost, linear, $n commits verify"

# --- crashes -----------------------------------------------------------------
"$SSAUDIT" synth --month 2026-02 --count 3000 --seed 4 -o "$T/big.csv" 2>/dev/null
kills=0
for round in $(seq 1 20); do
	before=$(tip)
	"$SSAUDIT" --as coord -q import 2026-02 "$T/big.csv" --replace >/dev/null 2>&1 &
	pid=$!
	# somewhere between start-up and the commit
	sleep "0.$(printf '%03d' $((RANDOM % 900)))"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null || true
	fsck_clean
	now=$(tip)
	# main is either where it was or one signed import further: never in between
	if [ "$now" != "$before" ]; then
		[ "$(git --git-dir "$SSAUDIT_TRAIL" rev-parse "$now^")" = "$before" ] || fail "round $round: main jumped"
	fi
done
expect 0 --as coord import 2026-02 "$T/big.csv" --replace
git --git-dir "$SSAUDIT_TRAIL" cat-file -e main:months/2026-02/population.jsonl || fail "the re-run did not import"
[ "$(git --git-dir "$SSAUDIT_TRAIL" show main:months/2026-02/population.jsonl | wc -l)" = 3000 ] || fail "wrong row count"
n=$(verify_all_with_git)
ok "$kills imports killed with SIGKILL: fsck clean each time, the re-run completes, $n commits verify"

# --- a stale lock and a busy trail ---------------------------------------------
touch "$SSAUDIT_TRAIL/refs/heads/main.lock"
expect 0 --as coord reviewer add late --role records-officer --name Late --email late@example.org
[ ! -e "$SSAUDIT_TRAIL/refs/heads/main.lock" ] || fail "stale main.lock left"
ok "a main.lock left by a killed process is cleared"
# Another writer holds the lock (it says when it has it) until told to stop.
python3 - "$SSAUDIT_TRAIL/ssaudit.lock" "$T/held" "$T/release" <<'PY' &
import fcntl, os, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
for _ in range(600):
    if os.path.exists(sys.argv[3]):
        break
    time.sleep(0.1)
PY
holder=$!
for _ in $(seq 600); do [ -e "$T/held" ] && break; sleep 0.1; done
[ -e "$T/held" ] || fail "the lock holder never took the lock"
before=$(tip)
SSAUDIT_LOCK_TIMEOUT=500 expect 75 --as coord reviewer add later --role records-officer --name Later --email later@example.org
err_has "busy"
[ "$before" = "$(tip)" ] || fail "a busy refusal changed the trail"
touch "$T/release"
wait "$holder"
ok "a trail held by another writer gives exit 75 after the bounded wait"
