# Helpers for end-to-end scripts about a sampled month: a trail with people
# in every role, a month imported and sampled, and checks with stock git.
# Builds on env.sh (temp folder, `expect`, `err_has`, `founder`, ...):
#
#   . "$(dirname "$0")/lib.sh"
#   cast 25%                            # policy, founder and four reviewers (below)
#   review_policy "$T/p.json" 100%      # a small policy for tests (below)
#   founder "$T/p.json"                 # coord founds the trail
#   enrol amy panel                     # a reviewer with a key
#   enrol bob panel keyless             # a lay member without a key
#   synth_month 2026-10 120             # synthetic records, imported and sampled
#   ids panel                           # the ids a role reviews, one a line
#   verified                            # every commit verifies with git; fsck clean
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# review_policy FILE RATE: a policy with one role of each kind:
#   coord (coordinator: import, sample, close, correct; registers everyone),
#   panel (reviews all), inspector (reviews 5), secretary (enters for panel),
#   records (records-officer: correct). Questions: grounds and conduct
#   (required) and record (optional). Blind review.
review_policy() {
	cat >"$1" <<EOF
{
  "format": "ssaudit-policy-v1",
  "name": "Test review policy",
  "sample": {"rate": "$2", "strata": [], "always": []},
  "roles": {
    "coordinator": {"may": ["import", "sample", "close", "correct", "policy"],
                    "registers": ["panel", "inspector", "secretary", "records-officer"]},
    "panel": {"may": ["review"], "reviews": "all"},
    "inspector": {"may": ["review"], "reviews": {"count": 5}},
    "secretary": {"may": ["enter-for"], "enter_for": ["panel"]},
    "records-officer": {"may": ["correct"]}
  },
  "verdict": [
    {"id": "grounds", "question": "Were there reasonable grounds?",
     "values": ["reasonable", "not-reasonable", "insufficient-information"], "required": true},
    {"id": "conduct", "question": "Was the person treated fairly?",
     "values": ["fair", "concerns", "unable-to-assess"], "required": true},
    {"id": "record", "question": "Is the written record complete?",
     "values": ["complete", "incomplete"], "required": false}
  ],
  "outcomes": {"positive": ["Arrest", "Summons / charged by post"]},
  "fields": {"officer": "pseudonymised", "blind": true}
}
EOF
}

# enrol HANDLE ROLE [keyless]: coord registers HANDLE (with a new key unless keyless).
enrol() {
	local key=()
	[ "${3:-}" = keyless ] || key=(--key "$(person "$1")")
	expect 0 --as coord reviewer add "$1" --role "$2" --name "Person $1" \
		--email "$1@example.org" "${key[@]}"
}

# cast RATE: the review policy at RATE founded by coord, with amy (panel),
# bob (panel, keyless), ines (inspector) and sec (secretary) registered.
cast() {
	review_policy "$T/p.json" "$1"
	founder "$T/p.json"
	enrol amy panel
	enrol bob panel keyless
	enrol ines inspector
	enrol sec secretary
}

# git_ ARGS...: stock git on the trail.
git_() { git --git-dir "$SSAUDIT_TRAIL" "$@"; }

# synth_month MONTH COUNT [SEED]: synthetic records imported by coord and sampled.
synth_month() {
	"$SSAUDIT" synth --month "$1" --count "$2" --seed "${3:-7}" -o "$T/$1.csv" 2>/dev/null
	expect 0 --as coord import "$1" "$T/$1.csv"
	expect 0 --as coord sample "$1" --seed "${3:-7}"
}

# ids ROLE [MONTH]: the records a role reviews, one a line (default month 2026-10).
ids() { "$SSAUDIT" -q list "${2:-2026-10}" --role "$1" | sed 1d | cut -d' ' -f1; }

# commits: how many commits main has.
commits() { git --git-dir "$SSAUDIT_TRAIL" rev-list --count main; }

# verified: every commit verifies with stock git, git fsck is clean; prints the count.
verified() { verify_all_with_git; }

# files UNDER: the paths at main under a folder, one a line.
files() { git --git-dir "$SSAUDIT_TRAIL" ls-tree -r --name-only main -- "$1"; }

# verified_parallel: as verified, on every processor (for trails of many commits).
verified_parallel() {
	git --git-dir "$SSAUDIT_TRAIL" rev-list main >"$T/all-commits"
	git_verify_list "$T/all-commits"
	fsck_clean
	wc -l <"$T/all-commits"
}

# verified_sampled N: for trails of thousands of commits. `ssaudit verify`
# checks every signature (natively) and every rule; stock git independently
# verifies the first commit, the tip and N others picked at random (all of
# them when there are no more than N). Prints what it did.
verified_sampled() {
	local total seed
	git --git-dir "$SSAUDIT_TRAIL" rev-list main >"$T/all-commits"
	total=$(wc -l <"$T/all-commits")
	expect 0 verify
	seed=$RANDOM
	{
		head -1 "$T/all-commits"
		tail -1 "$T/all-commits"
		shuf -n "$1" --random-source=<(yes "$seed") "$T/all-commits"
	} | sort -u >"$T/some-commits"
	git_verify_list "$T/some-commits"
	fsck_clean
	echo "all $total commits pass ssaudit verify; stock git verifies $(wc -l <"$T/some-commits") of them (random pick $seed)"
}

# git_verify_list FILE: stock git verify-commit on each commit listed, in parallel.
git_verify_list() {
	git --git-dir "$SSAUDIT_TRAIL" show main:allowed_signers >"$T/allowed_signers"
	xargs -P "$(nproc)" -n 100 sh -c 'f=$1; shift; for c; do git --git-dir "$0" -c gpg.ssh.allowedSignersFile="$f" \
		verify-commit "$c" 2>/dev/null || { echo "git verify-commit refused $c" >&2; exit 255; }; done' \
		"$SSAUDIT_TRAIL" "$T/allowed_signers" <"$1" || fail "a commit does not verify"
}
