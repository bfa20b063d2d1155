# A write on a full disk: exit 74, the words say the disk is full and what to
# do (not "unknown libgit2 error"), nothing changes, and once there is room
# again the trail verifies and the same command completes. The disk is a
# small tmpfs mounted in a private mount namespace (skips where that is not
# allowed).
. "$(dirname "$0")/lib.sh"
command -v unshare >/dev/null || skip "unshare is not installed"
unshare -rm sh -c 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d"' 2>/dev/null ||
	skip "cannot mount a small disk here (no user namespaces)"

M=2026-11
cast 25%
"$SSAUDIT" synth --month $M --count 200 --seed 3 -o "$T/$M.csv" 2>/dev/null
expect 0 --as coord import $M "$T/$M.csv"
mkdir "$T/disk"
# Sourced by the scripts below, in their own mount namespace: full_disk
# copies the trail to a 16 MB disk and fills the disk; tried STATUS keeps the
# command's exit and whether main stayed where it was.
cat >"$T/disk.sh" <<'SH'
set -u
full_disk() {
	mount -t tmpfs -o size=16m tmpfs "$T/disk" || exit 90
	cp -a "$SSAUDIT_TRAIL" "$T/disk/trail.git"
	before=$(git --git-dir "$T/disk/trail.git" rev-parse main)
	dd if=/dev/zero of="$T/disk/filler" bs=4k 2>/dev/null
}
tried() {
	echo "$1" >"$T/rc"
	[ "$(git --git-dir "$T/disk/trail.git" rev-parse main)" = "$before" ] && echo same >"$T/tip"
}
SH
cat >"$T/full.sh" <<'SH'
. "$T/disk.sh"
full_disk
"$SSAUDIT" --trail "$T/disk/trail.git" --as coord sample "$M" --seed 1234 >"$T/out" 2>"$T/err"
tried $?
rm -f "$T/disk/filler"
"$SSAUDIT" --trail "$T/disk/trail.git" verify >"$T/verify.out" 2>&1
echo $? >"$T/verify.rc"
"$SSAUDIT" --trail "$T/disk/trail.git" --as coord -q sample "$M" --seed 1234 >/dev/null 2>"$T/again.err"
echo $? >"$T/again.rc"
SH
T=$T M=$M unshare -rm bash "$T/full.sh" || fail "the small disk could not be set up"
[ "$(cat "$T/rc")" = 74 ] || fail "a write on a full disk exited $(cat "$T/rc"), wanted 74: $(cat "$T/err")"
err_has "the disk is full"
err_has "free some space on the disk that holds the trail"
grep -q "unknown libgit2 error" "$T/err" && fail "the full disk is called an unknown libgit2 error"
[ "$(cat "$T/tip" 2>/dev/null)" = same ] || fail "the failed write moved main"
[ "$(cat "$T/verify.rc")" = 0 ] || fail "after the full disk the trail does not verify: $(cat "$T/verify.out")"
[ "$(cat "$T/again.rc")" = 0 ] || fail "with room again, the sample is not drawn: $(cat "$T/again.err")"
ok "a full disk: exit 74, the words say the disk is full and what to do; nothing changed; verify passes; the re-run completes"

# A month large enough (population.jsonl over 4 MiB) that ssaudit writes its
# object itself rather than through libgit2: on a full disk the same exit and
# words, main unmoved and no temporary or half-written object left; with room
# the import lands, and stock git finds the trail sound (fsck, every signature).
B=2026-12
"$SSAUDIT" synth --month $B --count 6000 --seed 8 -o "$T/$B.csv" 2>/dev/null
cat >"$T/big.sh" <<'SH'
. "$T/disk.sh"
full_disk
"$SSAUDIT" --trail "$T/disk/trail.git" --as coord -q import "$B" "$T/$B.csv" >"$T/out" 2>"$T/err"
tried $?
find "$T/disk/trail.git/objects" -type f -name 'tmp_*' >"$T/left"
git --git-dir "$T/disk/trail.git" fsck --strict --no-dangling >"$T/fsck.out" 2>&1
echo $? >"$T/fsck.rc"
SH
rm -f "$T/tip"
T=$T B=$B unshare -rm bash "$T/big.sh" || fail "the small disk could not be set up"
[ "$(cat "$T/rc")" = 74 ] || fail "a large import on a full disk exited $(cat "$T/rc"), wanted 74: $(cat "$T/err")"
err_has "cannot store 'months/$B/population.jsonl'"
err_has "the disk is full"
[ "$(cat "$T/tip" 2>/dev/null)" = same ] || fail "the failed large import moved main"
[ ! -s "$T/left" ] || fail "temporary files left in the objects folder: $(cat "$T/left")"
[ "$(cat "$T/fsck.rc")" = 0 ] || fail "git fsck after the failed large import: $(cat "$T/fsck.out")"
expect 0 --as coord import $B "$T/$B.csv"
size=$(git --git-dir "$SSAUDIT_TRAIL" cat-file -s "main:months/$B/population.jsonl")
[ "$size" -ge 4194304 ] || fail "the population is $size bytes: too small to test the large-file writer"
git --git-dir "$SSAUDIT_TRAIL" show "main:months/$B/population.jsonl" | git hash-object --stdin >"$T/hash"
[ "$(cat "$T/hash")" = "$(git --git-dir "$SSAUDIT_TRAIL" rev-parse "main:months/$B/population.jsonl")" ] ||
	fail "git reads back other bytes than the large population's id"
verified >/dev/null
expect 0 verify
ok "a large month: on a full disk exit 74, nothing left behind; with room imported, git fsck and verify-commit clean, verify passes"
