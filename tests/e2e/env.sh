# Shared setup for the end-to-end scripts: a private temporary folder, the
# binary, and small assertions. Source it first thing:  . "$(dirname "$0")/env.sh"
# ctest sets SSAUDIT (the binary), SS_SOURCE_DIR and SS_SHARED_DIR.
set -euo pipefail

: "${SSAUDIT:?run through ctest (SSAUDIT names the binary)}"
SS_SOURCE_DIR=${SS_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/ssaudit-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
export SSAUDIT_HOME="$T/home" SSAUDIT_TRAIL="$T/trail.git"
unset SSAUDIT_AS SSAUDIT_NOW SSAUDIT_TEST
# Messages in English whatever the machine's locale (lang.sh tests Welsh).
export SSAUDIT_LANG=en
POLICY="$SS_SOURCE_DIR/policies/euppg-monthly.json"
DATA="${SS_SHARED_DIR:-$SS_SOURCE_DIR/../shared}/data/police-uk"

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
skip() { echo "SKIP: $*"; exit 77; }

# ss ARGS...: run ssaudit; output in $T/out and $T/err, exit status in $rc.
ss() {
	set +e
	"$SSAUDIT" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	set -e
}
# expect CODE ARGS...: run ssaudit and insist on the exit status.
expect() {
	local want=$1
	shift
	ss "$@"
	[ "$rc" = "$want" ] || fail "ssaudit $* exited $rc, wanted $want; stderr: $(cat "$T/err")"
}
err_has() { grep -qF -- "$1" "$T/err" || fail "stderr lacks '$1': $(cat "$T/err")"; }
out_has() { grep -qF -- "$1" "$T/out" || fail "stdout lacks '$1': $(head -c 2000 "$T/out")"; }

# person HANDLE: a signing key; prints the public key line.
person() { "$SSAUDIT" -q keygen "$1"; }

# founder: keys and a trail founded by 'coord' under the shipped policy.
founder() {
	[ -e "$SSAUDIT_HOME/keys/coord.key" ] || person coord >/dev/null
	"$SSAUDIT" --as coord -q init --policy "${1:-$POLICY}" --name "Carys Coordinator" \
		--email coord@example.org >/dev/null
}

tip() { git --git-dir "$SSAUDIT_TRAIL" rev-parse main; }

# git fsck finds nothing wrong (dangling objects from killed writers are allowed).
fsck_clean() {
	local out
	out=$(git --git-dir "$SSAUDIT_TRAIL" fsck --strict --no-dangling 2>&1) || fail "git fsck: $out"
	[ -z "$out" ] || fail "git fsck: $out"
}

# every commit of the trail verifies with stock git against its allowed_signers.
verify_all_with_git() {
	git --git-dir "$SSAUDIT_TRAIL" show main:allowed_signers >"$T/allowed_signers"
	local c n=0
	for c in $(git --git-dir "$SSAUDIT_TRAIL" rev-list main); do
		git --git-dir "$SSAUDIT_TRAIL" -c gpg.ssh.allowedSignersFile="$T/allowed_signers" \
			verify-commit "$c" 2>/dev/null || fail "git verify-commit refused $c"
		n=$((n + 1))
	done
	fsck_clean
	echo "$n"
}
