# verify against what stock git shows, built with stock git plumbing the way
# someone holding a copy of the trail (and perhaps one registered key) could:
# replace refs, grafts, a shallow file, HEAD on another branch; signatures
# split differently from git's way; tree entries git fsck refuses or the
# layout has no place for, and a tree 50,000 folders deep; commits with three
# parents or a second root; --anchor and --tip; dates out of order (warnings
# only); a verdict with 80,000 answers. Each forgery: exit 1 naming the commit
# (or the ref or file) and the reason. And an auditor's ordinary `git clone`:
# read-only commands work in it, writers ask for a bare clone.
. "$(dirname "$0")/env.sh"
. "$(dirname "$0")/verify_lib.sh"
have_tools
base_trail

expect 0 verify
li_ids=($(sampled local-inspector))
ok "the honest trail verifies"

# --- what stock git shows ---------------------------------------------------

# A replace ref on a verdict's blob: git show prints the forged answer.
path=$(gitx ls-tree -r --name-only main | grep "/verdicts/" | head -1)
blob=$(gitx rev-parse "main:$path")
gitx show "$blob" | sed 's/"reasonable"/"not-reasonable"/' >"$T/forged.json"
forged=$(gitx hash-object -w "$T/forged.json")
gitx replace "$blob" "$forged"
gitx show "main:$path" | grep -q not-reasonable || fail "stock git does not show the replacement"
verify_fails "refs/replace/$blob" "a replace reference"
ok "a replace ref on a verdict"

fresh
gitx rev-parse main >"$T/graft"
mkdir -p "$SSAUDIT_TRAIL/info"
cp "$T/graft" "$SSAUDIT_TRAIL/info/grafts"
[ "$(gitx rev-list --count main 2>/dev/null)" = 1 ] || fail "stock git does not follow the graft"
verify_fails "info/grafts" "a grafts file"
ok "an info/grafts file that cuts the history short"

fresh
gitx rev-parse main~3 >"$SSAUDIT_TRAIL/shallow"
verify_fails "shallow" "a shallow copy"
ok "a shallow file"

fresh
gitx branch other main~2
gitx symbolic-ref HEAD refs/heads/other
verify_fails "HEAD" "HEAD names refs/heads/other, not main"
ok "HEAD pointed at another branch"

# --- an auditor's ordinary clone ---------------------------------------------

fresh
tipc=$(tip)
root=$(gitx rev-list --max-parents=0 main)
git clone -q "$SSAUDIT_TRAIL" "$T/copy"
expect 0 --trail "$T/copy" verify --root "$root" --anchor "$tipc"
out_has "verified 12 commits"
(cd "$T/copy" && env -u SSAUDIT_TRAIL "$SSAUDIT" verify --root "$root" --anchor "$tipc" \
	>"$T/out" 2>"$T/err") || fail "verify inside the clone: $(cat "$T/err")"
out_has "verified 12 commits"
expect 0 --trail "$T/copy" list "$MONTH"
expect 0 --trail "$T/copy" history "$MONTH"
expect 0 --trail "$T/copy" reviewer list
expect 66 --trail "$T/copy" --as li review "$MONTH" "${li_ids[2]}" --grounds reasonable \
	--conduct fair --bwv viewed
err_has "git clone --bare"
[ "$(git --git-dir "$T/copy/.git" rev-parse main)" = "$tipc" ] || fail "the clone moved"
ok "an ordinary clone: verify, list, history read it; review asks for a bare clone"

# A clone whose own main is gone reads origin/main.
git -C "$T/copy" checkout -q --detach
git -C "$T/copy" branch -q -D main
expect 0 --trail "$T/copy" verify --anchor "$tipc"
out_has "$tipc"
ok "a clone without a local main: verify checks origin/main"

# --- signatures as git splits them --------------------------------------------

# rewrite COMMIT PYTHON: the commit's raw bytes changed by a python expression
# over `raw` (bytes), written with hash-object --literally; prints the new id.
rewrite() {
	gitx cat-file commit "$1" >"$T/raw"
	python3 - "$T/raw" "$2" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
head, _, msg = raw.partition(b"\n\n")
lines = head.split(b"\n")
start = next(i for i, l in enumerate(lines) if l.startswith(b"gpgsig "))
end = start + 1
while end < len(lines) and lines[end].startswith(b" "):
    end += 1
sig = lines[start:end]
rest = lines[:start] + lines[end:]
out = eval(sys.argv[2])
open(sys.argv[1], "wb").write(out)
PY
	gitx hash-object -t commit --literally -w "$T/raw"
}

fresh
c=$(forge_verdict li li li "${li_ids[1]}")
expect 0 verify
base=$c

# Two gpgsig headers: git would join them into one signature.
c=$(rewrite "$base" 'b"\n".join(lines[:end] + sig + lines[end:]) + b"\n\n" + msg')
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "two signature headers"
ok "a second gpgsig header"

c=$(rewrite "$base" 'b"\n".join(lines[:end] + [b"gpgsig-sha256" + sig[0][6:]] + sig[1:] + lines[end:]) + b"\n\n" + msg')
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "a signature header other than gpgsig"
ok "a gpgsig-sha256 header"

# The signature moved into the message: git verify-commit calls it unsigned.
c=$(rewrite "$base" 'b"\n".join(rest) + b"\n\n" + msg + b"\n" + b"\n".join(sig) + b"\n"')
gitx update-ref refs/heads/main "$c"
if git --git-dir "$SSAUDIT_TRAIL" -c gpg.ssh.allowedSignersFile=/dev/null verify-commit "$c" \
	2>"$T/git.err"; then fail "git verify-commit took the moved signature"; fi
verify_fails "$c" "the commit message holds a signature"
ok "a signature moved into the message"

# A trailer line beginning gpgsig, added to a signed commit: it is part of
# what was signed, so the signature no longer holds.
c=$(rewrite "$base" 'raw + b"gpgsig Ssaudit-Clock: fixed\n"')
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "signature"
out_has "the commit message holds a signature"
ok "a gpgsig-prefixed trailer line added to a signed commit"

# --- tree entries ----------------------------------------------------------------

# forge_mode MODE: the next verdict committed with this mode, signed by its reviewer.
forge_mode() {
	local id=${li_ids[1]} idx="$T/mode.index" b tree p
	verdict_file "$T/verdict.json" "$id" local-inspector li li
	message "$T/msg" verdict "verdict: $MONTH $id by li (local-inspector)" "Ssaudit-Month: $MONTH" \
		"Ssaudit-Record: $id" "Ssaudit-Role: local-inspector"
	rm -f "$idx"
	GIT_INDEX_FILE="$idx" gitx read-tree main
	b=$(gitx hash-object -w "$T/verdict.json")
	p=$(verdict_path local-inspector "$id" li)
	GIT_INDEX_FILE="$idx" gitx update-index --add --cacheinfo "$1,$b,$p"
	tree=$(GIT_INDEX_FILE="$idx" gitx write-tree)
	commit_tree li li li "$tree" main
}

# commit_tree SIGNER AUTHOR COMMITTER TREE PARENT...: a signed commit of $T/msg.
commit_tree() {
	local signer=$1 author=$2 committer=$3 tree=$4 parents=()
	shift 4
	for p in "$@"; do parents+=(-p "$p"); done
	GIT_AUTHOR_NAME="${NAME[$author]}" GIT_AUTHOR_EMAIL="$(email "$author")" \
		GIT_COMMITTER_NAME="${NAME[$committer]}" GIT_COMMITTER_EMAIL="$(email "$committer")" \
		gitx -c gpg.format=ssh -c user.signingkey="$(key "$signer")" commit-tree -S \
		"${parents[@]}" -F "$T/msg" "$tree"
}

fresh
c=$(forge_mode 100755)
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "an executable file (mode 100755)"
ok "a verdict committed as an executable file"

fresh
c=$(forge_mode 120000)
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "a symbolic link (mode 120000)"
ok "a verdict committed as a symbolic link"

# raw_tree: a tree object written byte for byte from "MODE NAME ID" lines on
# stdin, in the order given (as mktree would not).
raw_tree() {
	python3 -c '
import sys
out = b""
for line in sys.stdin.read().splitlines():
    mode, name, oid = line.split(" ")
    out += mode.encode() + b" " + name.encode() + b"\0" + bytes.fromhex(oid)
sys.stdout.buffer.write(out)' | gitx hash-object -t tree --literally -w --stdin
}

# with_month_tree TREE: the root tree of main with months/M replaced by TREE.
with_month_tree() {
	local months root
	months=$(gitx ls-tree main:months | sed "s/\t$MONTH\$/\t__M__/" |
		sed "s/040000 tree [0-9a-f]*\t__M__/040000 tree $1\t$MONTH/" | gitx mktree)
	gitx ls-tree main | sed "s/040000 tree [0-9a-f]*\tmonths\$/040000 tree $months\tmonths/" |
		gitx mktree
}

# The population listed twice: git fsck calls it an error, git show sees one.
fresh
pop=$(gitx rev-parse "main:months/$MONTH/population.jsonl")
gitx ls-tree "main:months/$MONTH" | awk -v p="$pop" '
	{ split($0, a, "\t"); split(a[1], m, " "); mode = m[1] == "040000" ? "40000" : m[1]
	  print mode, a[2], m[3]; if (a[2] == "population.jsonl") print mode, a[2], p }' >"$T/entries"
month=$(raw_tree <"$T/entries")
message "$T/msg" import "import: $MONTH (again)" "Ssaudit-Month: $MONTH"
c=$(commit_tree coord coord coord "$(with_month_tree "$month")" main)
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "is in the directory twice"
out_has "months/$MONTH/population.jsonl"
ok "a month tree with two population.jsonl entries"

fresh
sort -r "$T/entries" | awk '!seen[$0]++' >"$T/unsorted"
month=$(raw_tree <"$T/unsorted")
c=$(commit_tree coord coord coord "$(with_month_tree "$month")" main)
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "not in git's order"
ok "a tree whose entries are out of order"

# A tree 50,000 folders deep: exit 1, not a crash.
fresh
deep=$(python3 - "$SSAUDIT_TRAIL" <<'PY'
import hashlib, os, sys, zlib
objects = os.path.join(sys.argv[1], "objects")
def write(kind, body):
    data = kind + b" " + str(len(body)).encode() + b"\0" + body
    oid = hashlib.sha1(data).hexdigest()
    d = os.path.join(objects, oid[:2])
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, oid[2:])
    if not os.path.exists(p):
        with open(p, "wb") as f:
            f.write(zlib.compress(data))
    return oid
oid = write(b"blob", b"deep\n")
oid = write(b"tree", b"100644 f\0" + bytes.fromhex(oid))
for _ in range(50000):
    oid = write(b"tree", b"40000 d\0" + bytes.fromhex(oid))
print(oid)
PY
)
{ gitx ls-tree main; printf '040000 tree %s\tdeep\n' "$deep"; } | gitx mktree >"$T/root"
message "$T/msg" policy "policy: deep"
c=$(commit_tree coord coord coord "$(cat "$T/root")" main)
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "a folder the trail's layout has no place for"
ok "a tree 50,000 folders deep: exit 1, no crash"

# A folder the layout allows, holding a file deeper than the layout goes.
fresh
idx="$T/deeper.index"
rm -f "$idx"
GIT_INDEX_FILE="$idx" gitx read-tree main
b=$(gitx hash-object -w /dev/null)
GIT_INDEX_FILE="$idx" gitx update-index --add --cacheinfo \
	"100644,$b,$(verdict_path local-inspector "${li_ids[1]}" li | sed 's/\.json$//')/x/y.json"
message "$T/msg" verdict "verdict: deeper"
c=$(commit_tree li li li "$(GIT_INDEX_FILE="$idx" gitx write-tree)" main)
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "has no place for"
ok "a file deeper than months/M/verdicts/XX/ID/FILE"

# --- commits ------------------------------------------------------------------------

# Three parents.
fresh
a=$(gitx rev-parse main~1)
b=$(gitx rev-parse main~2)
message "$T/msg" merge "merge: three ways"
c=$(commit_tree coord coord coord "$(gitx rev-parse 'main^{tree}')" main "$a" "$b")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "a merge of 3 histories"
ok "a commit with three parents"

# A second root, merged in.
fresh
message "$T/msg" init "init: another trail"
other=$(commit_tree coord coord coord "$(gitx rev-parse "$root^{tree}")")
message "$T/msg" merge "merge: another start"
c=$(commit_tree coord coord coord "$(gitx rev-parse 'main^{tree}')" main "$other")
gitx update-ref refs/heads/main "$c"
verify_fails "$other" "a second first commit"
ok "a second root commit merged in"

# --anchor takes a full id only.
fresh
expect 2 verify --anchor main
err_has "full 40-digit id"
expect 2 verify --anchor "${tipc:0:12}"
err_has "full 40-digit id"
expect 0 verify --anchor "$tipc"
ok "--anchor refuses a ref name and a short id (exit 2)"

# --tip: a proposed commit no ref names.
fresh
c=$(forge_verdict li li li "${li_ids[1]}")
gitx update-ref refs/heads/main "$tipc"
expect 0 verify --tip "$c" --anchor "$tipc"
out_has "tip checked:  $c"
bad=$(forge main ro ro ro "$T/msg" "$(verdict_path local-inspector "${li_ids[2]}" ro)" \
	"$T/verdict.json")
verify_fails "$bad" "does not let a records-officer" --tip "$bad"
expect 0 verify
expect 2 verify --tip main
expect 66 verify --tip 0123456789012345678901234567890123456789
ok "--tip checks a commit no ref names"

# Dates out of order: warnings, not problems.
fresh
day=86400
parent_time=$(gitx log -1 --format=%ct main)
c=$(GIT_COMMITTER_DATE="$((parent_time - 3 * day)) +0000" GIT_AUTHOR_DATE="$((parent_time - 3 * day)) +0000" \
	forge_verdict li li li "${li_ids[1]}")
expect 0 verify
out_has "dated more than a day before its parent"
out_has "$c"
fresh
c=$(GIT_COMMITTER_DATE="$(($(date +%s) + 3 * day)) +0000" \
	GIT_AUTHOR_DATE="$(($(date +%s) + 3 * day)) +0000" forge_verdict li li li "${li_ids[1]}")
expect 0 --json verify
python3 - "$T/out" "$c" <<'PY'
import json, sys
out = json.load(open(sys.argv[1]))
assert out["ok"], out
assert [w["commit"] for w in out["clock_warnings"]] == [sys.argv[2]], out["clock_warnings"]
assert "after this check ran" in out["clock_warnings"][0]["reason"], out
PY
ok "commits dated before their parent or in the future: warnings, exit 0"

# --- a verdict with 80,000 answers ------------------------------------------------

fresh
id=${li_ids[1]}
python3 - "$T/big.json" "$MONTH" "$id" <<'PY'
import json, sys
answers = {"grounds": "reasonable", "conduct": "fair", "bwv": "viewed"}
for i in range(80000):
    answers["q%05d" % i] = "yes"
json.dump({"month": sys.argv[2], "id": sys.argv[3], "role": "local-inspector", "reviewer": "li",
           "entered_by": "li", "answers": answers, "note": None}, open(sys.argv[1], "w"), indent=2)
PY
message "$T/msg" verdict "verdict: $MONTH $id by li (local-inspector)" "Ssaudit-Month: $MONTH" \
	"Ssaudit-Record: $id" "Ssaudit-Role: local-inspector"
c=$(forge main li li li "$T/msg" "$(verdict_path local-inspector "$id" li)" "$T/big.json")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "q00000"
# ... and the same with one key given twice, deep in the object.
fresh
sed 's/"q79999": "yes"/"q79999": "yes", "q40000": "no"/' "$T/big.json" >"$T/dup.json"
c=$(forge main li li li "$T/msg" "$(verdict_path local-inspector "$id" li)" "$T/dup.json")
gitx update-ref refs/heads/main "$c"
verify_fails "$c" "q40000"
ok "a verdict with 80,000 answers: refused, the unknown and the repeated key named"

fresh
expect 0 verify
fsck_clean
ok "the honest trail still verifies, and git fsck agrees"
