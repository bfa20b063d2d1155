# Helpers for the verify and tamper scenarios, sourced after env.sh:
#   base_trail   an honest trail: reviewers of every role, a synthetic month
#                imported and sampled, verdicts of three roles
#   forge        a commit made with stock git plumbing alone (hash-object,
#                update-index on a private index, write-tree, commit-tree),
#                signed with `git commit-tree -S` (gpg.format=ssh) or not at all
#   verify_fails a verify run that must exit 1 and name the commit and reason
#
# Verdicts go through `ssaudit review` when it can record them; otherwise
# they are written with plumbing, signed by the registered key, in the
# documented file format, and the honest trail must still verify.

gitx() { git --git-dir "$SSAUDIT_TRAIL" "$@"; }

MONTH=2026-10

# Who is who: handle, role, name, email.
declare -A NAME=([coord]="Carys Coordinator" [li]="Lowri Evans" [ii]="Idris Jones"
	[pcc]="PCC Office" [sec]="Siân Secretary" [m1]="Aled Member" [ro]="Rhys Records")
declare -A ROLE=([coord]=coordinator [li]=local-inspector [ii]=independent-inspector
	[pcc]=pcc-office [sec]=panel-secretary [m1]=qa-panel [ro]=records-officer)
email() { echo "$1@example.org"; }
key() { echo "$SSAUDIT_HOME/keys/$1.key"; }

have_tools() {
	command -v ssh-keygen >/dev/null || skip "ssh-keygen is needed to sign forged commits"
	command -v python3 >/dev/null || skip "python3 is needed to read sample.json"
}

# register BY HANDLE [nokey]
register() {
	local args=(--as "$1" -q reviewer add "$2" --role "${ROLE[$2]}" --name "${NAME[$2]}"
		--email "$(email "$2")")
	[ "${3:-}" = nokey ] || args+=(--key "$(person "$2")")
	"$SSAUDIT" "${args[@]}" >/dev/null || fail "cannot register $2"
}

# The sample's ids for a role (or every sampled id with "all"), one a line.
sampled() {
	gitx show "main:months/$MONTH/sample.json" | python3 -c '
import json, sys
s = json.load(sys.stdin)
role = sys.argv[1]
ids = [r["id"] for r in s["records"]] if role == "all" else s["roles"][role]
print("\n".join(ids))' "$1"
}

# A population id the sample left out.
unsampled() {
	gitx show "main:months/$MONTH/population.jsonl" | python3 -c '
import json, sys
sampled = set(sys.argv[1].split())
ids = [json.loads(line)["id"] for line in sys.stdin]
print([i for i in ids if i not in sampled][0])' "$(sampled all)"
}

verdict_path() { echo "months/$MONTH/verdicts/${2:2:2}/$2/$1.$3.json"; } # ROLE ID HANDLE

# verdict_file OUT ID ROLE HANDLE ENTERED_BY [GROUNDS]
verdict_file() {
	cat >"$1" <<EOF
{
  "month": "$MONTH",
  "id": "$2",
  "role": "$3",
  "reviewer": "$4",
  "entered_by": "$5",
  "answers": {
    "grounds": "${6:-reasonable}",
    "conduct": "fair",
    "bwv": "viewed"
  },
  "note": null
}
EOF
}

# forge PARENT SIGNER|- AUTHOR COMMITTER MSGFILE [PATH FILE|-]...
# Prints the new commit; main does not move. SIGNER is a handle whose key signs
# (or - for an unsigned commit); AUTHOR and COMMITTER are handles.
forge() {
	local parent=$1 signer=$2 author=$3 committer=$4 msg=$5 blob tree
	local idx="$T/forge.index"
	shift 5
	rm -f "$idx"
	GIT_INDEX_FILE="$idx" gitx read-tree "$parent"
	while [ $# -gt 0 ]; do
		if [ "$2" = - ]; then
			GIT_INDEX_FILE="$idx" gitx update-index --force-remove "$1"
		else
			blob=$(gitx hash-object -w "$2")
			GIT_INDEX_FILE="$idx" gitx update-index --add --cacheinfo "100644,$blob,$1"
		fi
		shift 2
	done
	tree=$(GIT_INDEX_FILE="$idx" gitx write-tree)
	local sign=()
	[ "$signer" = - ] || sign=(-c gpg.format=ssh -c user.signingkey="$(key "$signer")")
	GIT_AUTHOR_NAME="${NAME[$author]:-$author}" GIT_AUTHOR_EMAIL="$(email "$author")" \
		GIT_COMMITTER_NAME="${NAME[$committer]:-$committer}" \
		GIT_COMMITTER_EMAIL="$(email "$committer")" \
		gitx "${sign[@]}" commit-tree $([ "$signer" = - ] || echo -S) -p "$parent" -F "$msg" "$tree"
}

# message FILE ACTION SUBJECT [TRAILER: VALUE]...
message() {
	local f=$1 action=$2 subject=$3
	shift 3
	{
		printf '%s\n\nMade by hand with git plumbing for a test.\n\nSsaudit-Action: %s\n' "$subject" "$action"
		for t in "$@"; do printf '%s\n' "$t"; done
	} >"$f"
}

# forge_verdict KEY COMMITTER MEMBER ID [GROUNDS]: a verdict commit on main, main
# moved; prints it. KEY signs (a handle, or - for none); COMMITTER is who it claims to be.
forge_verdict() {
	local signer=$1 committer=$2 member=$3 id=$4 role=${ROLE[$3]:-x} c
	local trailers=("Ssaudit-Month: $MONTH" "Ssaudit-Record: $id" "Ssaudit-Role: $role")
	[ "$committer" = "$member" ] || trailers+=("Ssaudit-On-Behalf-Of: $member")
	verdict_file "$T/verdict.json" "$id" "$role" "$member" "$committer" "${5:-reasonable}"
	message "$T/msg" verdict "verdict: $MONTH $id by $member ($role)" "${trailers[@]}"
	c=$(forge main "$signer" "$member" "$committer" "$T/msg" \
		"$(verdict_path "$role" "$id" "$member")" "$T/verdict.json")
	gitx update-ref refs/heads/main "$c"
	echo "$c"
}

# record_verdict SIGNER MEMBER ID: through `ssaudit review` when it works, else forged honestly.
REVIEW_WORKS=""
record_verdict() {
	local signer=$1 member=$2 id=$3 for=()
	[ "$signer" = "$member" ] || for=(--for "$member")
	if [ -z "$REVIEW_WORKS" ]; then
		set +e
		"$SSAUDIT" --as "$signer" -q review "$MONTH" "$id" --grounds reasonable --conduct fair \
			--bwv viewed "${for[@]}" >/dev/null 2>"$T/review.err"
		local st=$?
		set -e
		if [ $st = 0 ]; then
			REVIEW_WORKS=yes
			return 0
		fi
		grep -q "not available" "$T/review.err" || fail "review refused an honest verdict: $(cat "$T/review.err")"
		REVIEW_WORKS=no
	elif [ "$REVIEW_WORKS" = yes ]; then
		"$SSAUDIT" --as "$signer" -q review "$MONTH" "$id" --grounds reasonable --conduct fair \
			--bwv viewed "${for[@]}" >/dev/null || fail "review $id by $signer"
		return 0
	fi
	forge_verdict "$signer" "$signer" "$member" "$id" >/dev/null
}

# base_trail: the honest trail every scenario starts from (kept in $T/base.git).
base_trail() {
	founder
	register coord li
	register coord pcc
	register coord ro
	register pcc ii
	register pcc sec
	register pcc m1 nokey
	"$SSAUDIT" synth --month "$MONTH" --count 300 --seed 7 -o "$T/synth.csv" 2>/dev/null
	"$SSAUDIT" --as coord -q import "$MONTH" "$T/synth.csv" >/dev/null || fail "import"
	"$SSAUDIT" --as coord -q sample "$MONTH" --seed "6 2 4 1 5 3 3 6 1 2 4 4 5 6 2 1 3 5 6 4" \
		>/dev/null || fail "sample"
	local li_id qa_id
	li_id=$(sampled local-inspector | sed -n 1p)
	qa_id=$(sampled qa-panel | sed -n 1p)
	record_verdict li li "$li_id"
	record_verdict ii ii "$li_id"
	record_verdict sec m1 "$qa_id"
	cp -a "$SSAUDIT_TRAIL" "$T/base.git"
}

# fresh: main back to the honest base trail.
fresh() {
	rm -rf "$SSAUDIT_TRAIL"
	cp -a "$T/base.git" "$SSAUDIT_TRAIL"
}

# verify_fails COMMIT REASON [VERIFY ARGS...]: exit 1, naming the commit and the reason
# (VERIFY_SHOW=1 shows what verify said).
verify_fails() {
	local commit=$1 reason=$2
	shift 2
	expect 1 verify "$@"
	[ -z "${VERIFY_SHOW:-}" ] || grep -v '^ \{14\}' "$T/out" >&2
	out_has "$commit"
	out_has "$reason"
	grep -q "^NOT VERIFIED" "$T/out" || fail "no verdict line: $(tail -3 "$T/out")"
}

# same_threads CODE: verify --json exits CODE and says the same on one thread
# as on four (the object check in two halves, the walk's slowest reads made
# ahead of it on a thread of their own).
same_threads() {
	SSAUDIT_THREADS=1 expect "$1" verify --json
	cp "$T/out" "$T/verify-1.json"
	SSAUDIT_THREADS=4 expect "$1" verify --json
	cmp -s "$T/verify-1.json" "$T/out" || fail "verify differs between one thread and four"
}
