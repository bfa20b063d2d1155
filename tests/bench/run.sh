#!/usr/bin/env bash
# make bench: ssaudit's benchmarks, each beside the tool a user would
# otherwise use, measured in the same run by the same harness (measure.py:
# median wall time of N runs, peak RSS). Prints the machine and one markdown
# table per benchmark, and writes the same to BUILD_DIR/bench.md.
#
#   tests/bench/run.sh BUILD_DIR
#
# BUILD_DIR is a Release build configured with -DSS_BENCH=ON. About 18 minutes
# on 2 cores (most of it the rows on a million records, three runs each, and
# building a trail of 100,000 verdicts), 8 GB of
# memory (pandas) and about 4 GB of disk in a temporary directory. Sizes can be
# changed for a quick look (the defaults are the published ones):
#   SS_BENCH_QUICK=1           everything small (a smoke test, minutes)
#   SS_BENCH_RECORDS=N         records for import, sample, report (1000000)
#   SS_BENCH_COMMITS=N         commits through the trail layer (500)
#   SS_BENCH_GIT_COMMITS=N     commits of the git loop (50)
#   SS_BENCH_VERDICTS=N        verdicts of the big review trail (100000)
#   SS_BENCH_VERIFY=N          verdicts in the trail verify checks (20000)
#   SS_BENCH_MERGE=N           commits on each side of the merge verify checks (2000)
#   SS_BENCH_RUNS=N            runs of each row (3); SS_BENCH_BIG_RUNS (3) for
#                              the rows on a million records and the verify rows
#                              (a goal is judged on medians: one run of a tool, or
#                              of its peer, on a shared machine can be 20% off)
#   SS_BENCH_WORK=DIR          where to work (kept); default a temporary directory
#   SS_BENCH_PYTHON=PATH       the Python with pandas (default /usr/bin/python3)
set -euo pipefail

if [ $# -ne 1 ] || [ ! -x "$1/ssaudit" ]; then
	echo "usage: tests/bench/run.sh BUILD_DIR (a build with -DSS_BENCH=ON)" >&2
	exit 2
fi
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
SS=$BUILD/ssaudit
BENCH=$BUILD/tests/bench
for p in bench_records bench_commits bench_rusage; do
	if [ ! -x "$BENCH/$p" ]; then
		echo "run.sh: '$BENCH/$p' is missing; configure with -DSS_BENCH=ON" >&2
		exit 2
	fi
done
POLICY=$SRC/policies/euppg-monthly.json

if [ -n "${SS_BENCH_PYTHON:-}" ]; then
	PY=$SS_BENCH_PYTHON
elif [ -x /usr/bin/python3 ]; then
	PY=/usr/bin/python3 # Debian's, where python3-pandas installs
else
	PY=$(command -v python3)
fi

if [ "${SS_BENCH_QUICK:-0}" = 1 ]; then
	: "${SS_BENCH_RECORDS:=20000}" "${SS_BENCH_COMMITS:=100}" "${SS_BENCH_GIT_COMMITS:=10}"
	: "${SS_BENCH_VERDICTS:=4000}" "${SS_BENCH_VERIFY:=3000}" "${SS_BENCH_MERGE:=200}"
fi
N_RECORDS=${SS_BENCH_RECORDS:-1000000}
N_COMMITS=${SS_BENCH_COMMITS:-500}
N_GIT=${SS_BENCH_GIT_COMMITS:-50}
N_VERDICTS=${SS_BENCH_VERDICTS:-100000}
N_VERIFY=${SS_BENCH_VERIFY:-20000}
N_MERGE=${SS_BENCH_MERGE:-2000}
RUNS=${SS_BENCH_RUNS:-3}
BIG_RUNS=${SS_BENCH_BIG_RUNS:-3}
LAT_RUNS=5     # single-verdict latency samples at each trail size
PAIR_RUNS=21   # one verdict on the biggest month and on a small one, alternating
SHEET_ROWS=500 # rows of the worksheet recorded with review --from
GIT_LOG_N=500  # commits whose signatures stock git checks (it runs ssh-keygen for each)
MONTH=2024-03
SEED=31415926535897932384 # as if from dice: 20 digits

if [ -n "${SS_BENCH_WORK:-}" ]; then
	W=$SS_BENCH_WORK
	mkdir -p "$W"
else
	W=$(mktemp -d "${TMPDIR:-/tmp}/ssaudit-bench.XXXXXX")
	trap 'rm -rf "$W"' EXIT
fi
W=$(cd "$W" && pwd)
OUT=$BUILD/bench.md
FAILED=""

fmt() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
note() { printf '%s\n' "$*" >&2; }

# Each section is written to its own file and the whole is assembled at the
# end, so the tables come out in order even though the review and verify
# benchmarks share one trail and interleave.
section() { # FILE TITLE TEXT...
	local f=$W/sec-$1.md
	shift
	{
		printf '\n### %s\n\n' "$1"
		shift
		for line in "$@"; do printf '%s\n' "$line"; done
		printf '\n'
		"$PY" "$HERE/measure.py" --header
	} >"$f"
	note "== $(sed -n 2p "$f")"
}

# row SECTION LABEL [measure.py options] -- COMMAND... | --shell TEXT
row() {
	local sec=$1 label=$2 line
	shift 2
	note "   $label ..."
	if line=$("$PY" "$HERE/measure.py" --rusage "$BENCH/bench_rusage" --label "$label" "$@"); then
		:
	else
		FAILED="$FAILED
- $label"
	fi
	printf '%s\n' "$line" >>"$W/sec-$sec.md"
	note "   $line"
}

skip_row() { # SECTION LABEL WHY
	printf '| %s | skipped: %s | | | |\n' "$2" "$3" >>"$W/sec-$1.md"
	note "   $2: skipped: $3"
}

# A command is available unless the binary still says it is not.
available() {
	! "$SS" "$1" </dev/null 2>&1 | grep -q 'not available yet'
}

have_pandas() {
	"$PY" -c 'import pandas' 2>/dev/null
}

# ---------------------------------------------------------------- machine

machine() {
	local cpu cores mem kernel os cc flags virt fs pandas
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	cores=$(nproc)
	mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	kernel=$(uname -srm)
	os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-unknown}")
	cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
	flags=$(sed -n 's/^CMAKE_C_FLAGS_RELEASE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
	virt=$(systemd-detect-virt 2>/dev/null || true)
	fs=$(findmnt -n -o FSTYPE -T "$W" 2>/dev/null || stat -f -c %T "$W")
	pandas=$("$PY" -c 'import pandas; print(pandas.__version__)' 2>/dev/null || echo "not installed")
	cat <<-EOF
		## ssaudit benchmarks

		$(date -u +'%Y-%m-%d %H:%M UTC'), source $(git -C "$SRC" describe --always --dirty 2>/dev/null || echo unknown)

		| | |
		|---|---|
		| CPU | ${cpu:-unknown} |
		| cores | $cores |
		| memory | $mem |
		| system | $os, $kernel${virt:+, virtualisation: $virt} |
		| disk | work directory on $fs |
		| compiler | $("$cc" --version | head -1), Release ($flags) |
		| libraries | libgit2 $(pkg-config --modversion libgit2), libsodium $(pkg-config --modversion libsodium), cJSON $(pkg-config --modversion libcjson), ISA-L $(pkg-config --modversion libisal) |
		| peers | $(git --version), $(ssh -V 2>&1 | cut -d, -f1), Python $("$PY" -c 'import platform; print(platform.python_version())'), pandas $pandas, $(b2sum --version | head -1) |
		| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |

		Every row is measured by tests/bench/measure.py: the median wall time of
		the runs shown (min–max in brackets), and the peak resident memory of the
		largest single process. Input files are in the page cache (made just
		before). fsync is on unless a row says otherwise.
	EOF
}

# ------------------------------------------------- common: keys and trails

H=$W/home
mkdir -p "$H"
"$SS" --home "$H" keygen coord >/dev/null 2>&1
KEY=$H/keys/coord.key
note "machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores; working in $W"

# ---------------------------------------------- a. records: read, pseudonymise

bench_records() {
	local f=$W/records.csv pk=$W/records-pseudonym.key
	section a "a. Read, validate and pseudonymise $(fmt "$N_RECORDS") records" \
		"A synthetic force-csv month (\`ssaudit synth --count $(fmt "$N_RECORDS")\`, $(du -m "$f" 2>/dev/null | cut -f1) MB)." \
		"ssaudit: bench_records reads it with ss_read_file (structure, dates, booleans, coordinates," \
		"UTF-8; subject and officer pseudonyms; grounds redacted), assigns ids (ss_population_assign_ids)" \
		"and writes population.jsonl to /dev/null. pandas: records_pandas.py does the same but" \
		"redacts nothing and validates less (its pseudonyms and ids match ssaudit's). b2sum: reading" \
		"and hashing the bytes once, the floor."
	row a "b2sum (floor)" -n "$RUNS" --work "$N_RECORDS" --unit records -- b2sum "$f"
	row a "ssaudit reader (bench_records)" -n "$BIG_RUNS" --work "$N_RECORDS" --unit records \
		-- "$BENCH/bench_records" "$pk" "$f"
	row a "ssaudit check" -n "$BIG_RUNS" --work "$N_RECORDS" --unit records -- "$SS" check "$f"
	if have_pandas; then
		row a "pandas (records_pandas.py)" -n "$BIG_RUNS" --work "$N_RECORDS" --unit records \
			-- "$PY" "$HERE/records_pandas.py" "$pk" "$f"
	else
		skip_row a "pandas (records_pandas.py)" "python3-pandas is not installed for $PY"
	fi
}

# -------------------------------------------- b. signed commits per second

bench_commits() {
	local t=$W/commits.git g=$W/commits-git
	section b "b. Signed commits per second" \
		"Each commit adds one verdict-sized file (230 bytes) at a sharded path" \
		"(months/M/verdicts/XX/ID/ROLE.HANDLE.json) and is signed with the same Ed25519 key (SSHSIG)." \
		"ssaudit: bench_commits through the trail layer (libgit2, bare repository, signatures made" \
		"with libsodium), each commit taking the lock, reading the tip and moving main as \`review\`" \
		"does, or all in one batch (one pack, one sync) as \`review --from\` does." \
		"git: \`git add\` + \`git commit -S\` (gpg.format=ssh, so ssh-keygen signs) in a non-bare repository."
	row b "ssaudit trail, one commit at a time" -n "$RUNS" --work "$N_COMMITS" --unit commits \
		--setup "rm -rf '$t'" -- "$BENCH/bench_commits" "$t" "$KEY" "$N_COMMITS"
	row b "ssaudit trail, one at a time, fsync off" -n "$RUNS" --work "$N_COMMITS" --unit commits \
		--setup "rm -rf '$t'" -- "$BENCH/bench_commits" --no-fsync "$t" "$KEY" "$N_COMMITS"
	row b "ssaudit trail, one batch" -n "$RUNS" --work "$N_COMMITS" --unit commits \
		--setup "rm -rf '$t'" -- "$BENCH/bench_commits" --batch "$t" "$KEY" "$N_COMMITS"
	row b "git add + commit -S, core.fsync=all" -n "$RUNS" --work "$N_GIT" --unit commits \
		--setup "'$HERE/git_loop.sh' prepare '$g' '$KEY' $N_GIT on" \
		-- "$HERE/git_loop.sh" run "$g"
	GIT_ROW=$(tail -1 "$W/sec-b.md")
	row b "git add + commit -S, core.fsync=none" -n "$RUNS" --work "$N_GIT" --unit commits \
		--setup "'$HERE/git_loop.sh' prepare '$g' '$KEY' $N_GIT off" \
		-- "$HERE/git_loop.sh" run "$g"
	rm -rf "$t" "$g"
}

# --------------------------------------------------- c. import and sample

bench_import() {
	local f=$W/records.csv t0=$W/import0.git t1=$W/import1.git t=$W/import.git
	local pop=$W/population.jsonl pol=$W/policy.json
	local as=(--home "$W/home-import" --as coord)
	mkdir -p "$W/home-import/keys"
	cp "$KEY" "$W/home-import/keys/coord.key"
	"$SS" "${as[@]}" --trail "$t0" -q init --policy "$POLICY" --name "Bench Coordinator" \
		--email coord@example.org >/dev/null
	head -c 32 /dev/urandom >"$W/home-import/pandas.key"
	chmod 600 "$W/home-import/pandas.key"
	section c "c. Import and sample $(fmt "$N_RECORDS") records" \
		"ssaudit: \`import\` of the same file into a new trail (read, pseudonymise, commit" \
		"population.jsonl, signed), then \`sample\` of that month (ssaudit-sample-v2: per area a" \
		"15% random core and always-records up to 25%, sample.json committed). Python: sample_tickets.py draws the same" \
		"sample (the same records, the same tickets) from population.jsonl. pandas:" \
		"\`groupby(\"area\").sample(frac=0.25, random_state=…)\`, not the same draw (no always-records," \
		"not reproducible from the trail), for its speed."
	row c "ssaudit import" -n "$BIG_RUNS" --work "$N_RECORDS" --unit records \
		--setup "rm -rf '$t' && cp -a '$t0' '$t'" \
		-- "$SS" "${as[@]}" --trail "$t" import "$MONTH" "$f"
	rm -rf "$t1"
	mv "$t" "$t1"
	git --git-dir "$t1" show "main:months/$MONTH/population.jsonl" >"$pop"
	git --git-dir "$t1" show main:policy.json >"$pol"
	row c "ssaudit sample" -n "$BIG_RUNS" --work "$N_RECORDS" --unit records \
		--setup "rm -rf '$t' && cp -a '$t1' '$t'" \
		-- "$SS" "${as[@]}" --trail "$t" sample "$MONTH" --seed "$SEED"
	row c "Python, the same draw (sample_tickets.py)" -n "$BIG_RUNS" --work "$N_RECORDS" \
		--unit records -- "$PY" "$HERE/sample_tickets.py" "$pop" "$pol" "$MONTH" "$SEED"
	if have_pandas; then
		row c "pandas groupby().sample(frac=0.25)" -n "$BIG_RUNS" --work "$N_RECORDS" \
			--unit records -- "$PY" "$HERE/sample_pandas.py" "$pop" 31415
	else
		skip_row c "pandas groupby().sample(frac=0.25)" "python3-pandas is not installed for $PY"
	fi
	if have_pandas; then
		row c "pandas: the same file read, pseudonymised, written and sampled (records_pandas.py --sample)" \
			-n "$BIG_RUNS" --work "$N_RECORDS" --unit records \
			-- "$PY" "$HERE/records_pandas.py" "$W/home-import/pandas.key" "$f" \
			-o "$W/pandas-population.jsonl" --sample 31415
		rm -f "$W/pandas-population.jsonl"
	else
		skip_row c "pandas: read, pseudonymise, write and sample" "python3-pandas is not installed for $PY"
	fi
	"$PY" "$HERE/ratios.py" import "$W/sec-c.md" "$(stat -c %s "$pop")" "$W/sec-a.md" >>"$W/sec-c.md" || true
	rm -rf "$t0" "$t1" "$pop"
	IMPORTED=$t # sampled: the report runs on it
}

# -------------------------------------- d, e. review latency, worksheets, verify

REVIEWED=0

# grow N: record verdicts with review --from (fsync off: this is set-up) until
# the trail holds N. Fills the local inspector's worksheet up to the rows the
# merge benchmark keeps for it (N_MERGE), then the independent inspector's,
# keeping the last LAT_RUNS + N_MERGE rows of the latter.
grow() {
	local target=$1 n start sheet who role
	while [ "$REVIEWED" -lt "$target" ]; do
		n=$((target - REVIEWED))
		[ "$n" -gt 10000 ] && n=10000
		if [ "$INSP_NEXT" -lt $((INSP_ROWS - N_MERGE)) ]; then
			who=insp sheet=$W/ws-insp.csv start=$INSP_NEXT
			[ $((start + n)) -gt $((INSP_ROWS - N_MERGE)) ] && n=$((INSP_ROWS - N_MERGE - start))
			INSP_NEXT=$((start + n))
		else
			who=ind sheet=$W/ws-ind.csv start=$IND_NEXT
			if [ $((start + n)) -gt $((IND_ROWS - LAT_RUNS - N_MERGE)) ]; then
				echo "run.sh: the review trail's sample is too small for $target verdicts" >&2
				exit 1
			fi
			IND_NEXT=$((start + n))
		fi
		"$PY" "$HERE/fill_worksheet.py" "$POLICY" "$sheet" "$W/grow.csv" "$start" "$n"
		SSAUDIT_FSYNC=0 "$SS" --home "$RH" --trail "$RT" --as "$who" -q review "$MONTH" \
			--from "$W/grow.csv" >/dev/null
		REVIEWED=$((REVIEWED + n))
	done
}

review_trail() {
	# Each role reviews the whole sample, at most 25% of the month (sampling
	# v2): enough for N_VERDICTS between the two, N_MERGE more for each side
	# of the merge benchmark, and the latency runs.
	local pop_n=$((2 * N_VERDICTS + 8 * N_MERGE + 8000)) pub
	RH=$W/home-review RT=$W/review.git
	mkdir -p "$RH/keys"
	cp "$KEY" "$RH/keys/coord.key"
	"$SS" --home "$RH" --trail "$RT" --as coord -q init --policy "$POLICY" \
		--name "Bench Coordinator" --email coord@example.org >/dev/null
	for who in insp:local-inspector:coord pcc:pcc-office:coord ind:independent-inspector:pcc; do
		IFS=: read -r h role by <<<"$who"
		pub=$("$SS" --home "$RH" keygen "$h" 2>/dev/null)
		"$SS" --home "$RH" --trail "$RT" --as "$by" -q reviewer add "$h" --role "$role" \
			--name "Bench $h" --email "$h@example.org" --key "$pub" >/dev/null
	done
	"$SS" synth --month "$MONTH" --count "$pop_n" --seed 2 -o "$W/review.csv" >/dev/null 2>&1
	SSAUDIT_FSYNC=0 "$SS" --home "$RH" --trail "$RT" --as coord -q import "$MONTH" \
		"$W/review.csv" >/dev/null
	SSAUDIT_FSYNC=0 "$SS" --home "$RH" --trail "$RT" --as coord -q sample "$MONTH" \
		--seed "$SEED" >/dev/null
	rm -f "$W/review.csv"
	"$SS" --home "$RH" --trail "$RT" --as insp -q pack "$MONTH" --role local-inspector --reviewer insp \
		--format csv -o "$W/ws-insp.csv" >/dev/null
	"$SS" --home "$RH" --trail "$RT" --as ind -q pack "$MONTH" --role independent-inspector --reviewer ind \
		--format csv -o "$W/ws-ind.csv" >/dev/null
	INSP_ROWS=$(sheet_rows "$W/ws-insp.csv") INSP_NEXT=0
	IND_ROWS=$(sheet_rows "$W/ws-ind.csv") IND_NEXT=0
	POP_N=$pop_n
}

# Worksheets are CSV: read them as CSV (a quoted cell may hold a newline).
sheet_rows() { # SHEET
	"$PY" -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))) - 1)' "$1"
}

# The ids of rows START to START+K-1 of a worksheet, one a line, for --vary.
take_ids() { # SHEET START K OUT
	"$PY" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:]
s, k = int(sys.argv[2]), int(sys.argv[3])
print("\n".join(r[1] for r in rows[s:s + k]))' "$1" "$2" "$3" >"$4"
}

latency_row() { # LABEL WHO SHEET START
	local ids=$W/lat-ids.txt
	take_ids "$3" "$4" "$LAT_RUNS" "$ids"
	row d "$1" -n "$LAT_RUNS" --vary "$ids" -- "$SS" --home "$RH" --trail "$RT" --as "$2" -q review "$MONTH" \
		"{}" --grounds reasonable --conduct fair --bwv viewed
	REVIEWED=$((REVIEWED + LAT_RUNS))
}

bench_review() {
	local sheets=$W/sheets.txt i s t0 t1 built commits
	section d "d. Recording verdicts" \
		"A trail with a month of $(fmt "$POP_N") records ($(fmt "$INSP_ROWS") sampled), reviewed by a" \
		"local and an independent inspector. One verdict: \`review MONTH ID --grounds … --conduct … --bwv …\`," \
		"one signed commit, fsync on, timed $LAT_RUNS times on different records. A worksheet:" \
		"\`review --from\` a filled $SHEET_ROWS-row worksheet, one signed commit a row, in one batch."
	grow 1000
	latency_row "one verdict, trail with $(fmt "$REVIEWED") verdicts" insp "$W/ws-insp.csv" "$INSP_NEXT"
	INSP_NEXT=$((INSP_NEXT + LAT_RUNS))
	: >"$sheets"
	for ((i = 0; i < RUNS; i++)); do
		s=$W/sheet-$i.csv
		"$PY" "$HERE/fill_worksheet.py" "$POLICY" "$W/ws-insp.csv" "$s" "$INSP_NEXT" "$SHEET_ROWS"
		INSP_NEXT=$((INSP_NEXT + SHEET_ROWS))
		echo "$s" >>"$sheets"
	done
	row d "review --from, $SHEET_ROWS-row worksheet" -n "$RUNS" --vary "$sheets" \
		--work "$SHEET_ROWS" --unit commits \
		-- "$SS" --home "$RH" --trail "$RT" --as insp -q review "$MONTH" --from "{}"
	REVIEWED=$((REVIEWED + RUNS * SHEET_ROWS))
	printf '%s\n' "${GIT_ROW/| git add/| (table b) git add}" >>"$W/sec-d.md"

	t0=$(date +%s)
	grow "$N_VERIFY"
	bench_verify
	grow "$N_VERDICTS"
	t1=$(date +%s)
	latency_row "one verdict, trail with $(fmt "$REVIEWED") verdicts" ind "$W/ws-ind.csv" \
		$((IND_ROWS - LAT_RUNS))
	commits=$(git --git-dir "$RT" rev-list --count main)
	built="The big trail was built with \`review --from\` of worksheets of up to 10,000 rows"
	built="$built (one batch each, fsync off), $(fmt "$REVIEWED") verdicts and $(fmt "$commits") commits"
	built="$built in all, in $((t1 - t0)) s including the verify benchmark."
	printf '\n%s\n' "$built" >"$W/sec-d~note.md"
}

bench_verify() {
	local commits signers=$W/allowed_signers n=$GIT_LOG_N
	if ! available verify; then
		section e "e. Verify" "Skipped: this build's \`ssaudit verify\` is not available yet."
		return
	fi
	commits=$(git --git-dir "$RT" rev-list --count main)
	[ "$n" -gt "$commits" ] && n=$commits
	git --git-dir "$RT" show main:allowed_signers >"$signers"
	section e "e. Verify a trail of $(fmt "$commits") signed commits" \
		"The review trail at $(fmt "$REVIEWED") verdicts: \`ssaudit verify\` checks every object," \
		"signature (libsodium), permission and path, re-derives the sample of $(fmt "$POP_N") records" \
		"and checks every verdict. Stock git: \`git log --show-signature\` checks signatures only," \
		"starting ssh-keygen once per commit, so it is timed on the newest $(fmt "$n") commits."
	row e "ssaudit verify" -n "$BIG_RUNS" --work "$commits" --unit commits \
		-- "$SS" --trail "$RT" verify
	row e "git log --show-signature -n $n" -n "$BIG_RUNS" --work "$n" --unit commits \
		-- git --git-dir "$RT" -c gpg.ssh.allowedSignersFile="$signers" log --show-signature \
		-n "$n" main
	verify_ratio "$commits" "$n"
	bench_verify_merge
}

# The two rows just measured, side by side: verify's commits per second and
# how many times stock git's rate that is (git sampled on its N commits).
verify_ratio() { # COMMITS GIT_N
	local ours theirs
	ours=$(grep -F '| ssaudit verify |' "$W/sec-e.md" | tail -1 | cut -d'|' -f4 | tr -dc '0-9.')
	theirs=$(grep -F "| git log --show-signature -n $2 |" "$W/sec-e.md" | tail -1 |
		cut -d'|' -f4 | tr -dc '0-9.')
	[ -n "$ours" ] && [ -n "$theirs" ] || return 0
	printf '\n%s\n' "\`ssaudit verify\`: $(fmt "${ours%.*}") commits/s over all $(fmt "$1") commits, \
$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.1f", a / b }')x \`git log --show-signature\` \
($(fmt "${theirs%.*}") commits/s, timed on the newest $(fmt "$2") commits and taken as its rate \
over the whole trail: it starts ssh-keygen once per commit, so its rate does not depend on \
the trail's length)." >"$W/sec-e~ratio.md"
	note "   $(cat "$W/sec-e~ratio.md")"
}

# Two sites each record N_MERGE verdicts on a copy of the review trail; a
# merge of the two, made with stock git and signed by the coordinator, is
# verified, beside the first side alone: the difference is what the merge's
# checks cost (each side's commits replayed on the other side's state).
bench_verify_merge() {
	local mt=$W/merge.git side1 side2 tree m commits
	if ! { git merge-tree -h 2>&1 || true; } | grep -q -- --write-tree; then
		skip_row e "ssaudit verify, a merge of two sides" "git merge-tree --write-tree is missing"
		return
	fi
	rm -rf "$mt"
	cp -a "$RT" "$mt"
	"$PY" "$HERE/fill_worksheet.py" "$POLICY" "$W/ws-insp.csv" "$W/m1.csv" "$INSP_NEXT" "$N_MERGE"
	"$PY" "$HERE/fill_worksheet.py" "$POLICY" "$W/ws-ind.csv" "$W/m2.csv" "$IND_NEXT" "$N_MERGE"
	local base
	base=$(git --git-dir "$mt" rev-parse main)
	SSAUDIT_FSYNC=0 "$SS" --home "$RH" --trail "$mt" --as insp -q review "$MONTH" \
		--from "$W/m1.csv" >/dev/null
	side1=$(git --git-dir "$mt" rev-parse main)
	git --git-dir "$mt" update-ref refs/heads/main "$base"
	SSAUDIT_FSYNC=0 "$SS" --home "$RH" --trail "$mt" --as ind -q review "$MONTH" \
		--from "$W/m2.csv" >/dev/null
	side2=$(git --git-dir "$mt" rev-parse main)
	tree=$(git --git-dir "$mt" merge-tree --write-tree "$side1" "$side2" | sed -n 1p)
	m=$(printf 'merge: the other site\n\nSsaudit-Action: merge\n' |
		GIT_AUTHOR_NAME="Bench Coordinator" GIT_AUTHOR_EMAIL=coord@example.org \
			GIT_COMMITTER_NAME="Bench Coordinator" GIT_COMMITTER_EMAIL=coord@example.org \
			git --git-dir "$mt" -c gpg.format=ssh -c user.signingkey="$RH/keys/coord.key" \
			commit-tree -S -p "$side1" -p "$side2" "$tree")
	git --git-dir "$mt" update-ref refs/heads/main "$side1"
	commits=$(git --git-dir "$mt" rev-list --count main)
	row e "ssaudit verify, the first side alone" -n "$BIG_RUNS" --work "$commits" --unit commits \
		-- "$SS" --trail "$mt" verify
	git --git-dir "$mt" update-ref refs/heads/main "$m"
	commits=$(git --git-dir "$mt" rev-list --count main)
	row e "ssaudit verify, a merge of $(fmt "$N_MERGE") + $(fmt "$N_MERGE") commits" \
		-n "$BIG_RUNS" --work "$commits" --unit commits -- "$SS" --trail "$mt" verify
	rm -rf "$mt" "$W/m1.csv" "$W/m2.csv"
}

# One verdict on the million-record month of c, and on a month of 400
# records (about 100 sampled), same keys, same machine, runs alternating: the
# cost of a verdict follows neither the size of the month's sample nor the
# number of verdicts.
bench_review_million() {
	local h=$W/home-import t=$W/small.git ids=$W/lat-ids.txt small=$W/lat-small.txt pub m s
	pub=$("$SS" --home "$h" keygen insp 2>/dev/null)
	"$SS" --home "$h" --trail "$IMPORTED" --as coord -q reviewer add insp \
		--role local-inspector --name "Bench insp" --email insp@example.org --key "$pub" >/dev/null
	# whole files, then their heads: head closing a pipe early would end git with SIGPIPE
	git --git-dir "$IMPORTED" show "main:months/$MONTH/roles/local-inspector.ids" >"$ids.all"
	head -n "$PAIR_RUNS" "$ids.all" >"$ids"
	m=$(wc -l <"$ids.all")
	rm -rf "$t"
	"$SS" synth --month "$MONTH" --count 400 --seed 4 -o "$W/small.csv" >/dev/null 2>&1
	"$SS" --home "$h" --trail "$t" --as coord -q init --policy "$POLICY" \
		--name "Bench Coordinator" --email coord@example.org >/dev/null
	"$SS" --home "$h" --trail "$t" --as coord -q reviewer add insp --role local-inspector \
		--name "Bench insp" --email insp@example.org --key "$pub" >/dev/null
	"$SS" --home "$h" --trail "$t" --as coord -q import "$MONTH" "$W/small.csv" >/dev/null
	"$SS" --home "$h" --trail "$t" --as coord -q sample "$MONTH" --seed "$SEED" >/dev/null
	git --git-dir "$t" show "main:months/$MONTH/roles/local-inspector.ids" >"$small.all"
	head -n "$PAIR_RUNS" "$small.all" >"$small"
	s=$(wc -l <"$small.all")
	row d "one verdict, month of $(fmt "$N_RECORDS") records (section c), $(fmt "$m") sampled, no other verdicts" \
		-n "$PAIR_RUNS" --vary "$ids" \
		--then "one verdict, month of 400 records, $s sampled, no other verdicts (runs alternating with the row above)" \
		--then-vary "$small" \
		-- "$SS" --home "$h" --trail "$IMPORTED" --as insp -q \
		review "$MONTH" "{}" --grounds reasonable --conduct fair --bwv viewed \
		--- "$SS" --home "$h" --trail "$t" --as insp -q \
		review "$MONTH" "{}" --grounds reasonable --conduct fair --bwv viewed
	rm -rf "$t" "$W/small.csv" "$ids.all" "$small.all"
}

# -------------------------------------------------------------- f. report

bench_report() {
	section f "f. Report on $(fmt "$N_RECORDS") records" \
		"\`ssaudit report\` of the month imported and sampled in c (no verdicts), to /dev/null."
	for fmt_ in text html; do
		row f "ssaudit report --format $fmt_" -n "$BIG_RUNS" --work "$N_RECORDS" --unit records \
			-- "$SS" --trail "$IMPORTED" report "$MONTH" --format "$fmt_" -o /dev/null
	done
}

# ---------------------------------------------------------------- g. sync

SYNC_N=300 # a month's verdicts at one site

# A hub (a bare repository on this disk) and a site holding SYNC_N verdicts
# the hub lacks; a second copy of the hub that another site has moved on by
# one verdict, so the sync must replay them all. Each run starts from copies.
bench_sync() {
	local d=$W/sync h=$W/home-sync pub
	mkdir -p "$d/run" "$h/keys"
	cp "$KEY" "$h/keys/coord.key"
	"$SS" --home "$h" --trail "$d/run/site.git" --as coord -q init --policy "$POLICY" \
		--name "Bench Coordinator" --email coord@example.org >/dev/null
	for who in insp ind; do
		pub=$("$SS" --home "$h" keygen "$who" 2>/dev/null)
		"$SS" --home "$h" --trail "$d/run/site.git" --as coord -q reviewer add "$who" \
			--role local-inspector --name "Bench $who" --email "$who@example.org" \
			--key "$pub" >/dev/null
	done
	"$SS" synth --month "$MONTH" --count $((SYNC_N * 4 + 40)) --seed 3 -o "$d/m.csv" >/dev/null 2>&1
	"$SS" --home "$h" --trail "$d/run/site.git" --as coord -q import "$MONTH" "$d/m.csv" >/dev/null
	"$SS" --home "$h" --trail "$d/run/site.git" --as coord -q sample "$MONTH" --seed "$SEED" >/dev/null
	git init -q --bare --initial-branch=main "$d/run/hub.git"
	git --git-dir "$d/run/site.git" remote add origin "$d/run/hub.git"
	"$SS" --home "$h" --trail "$d/run/site.git" --as coord -q sync
	git clone -q --bare "$d/run/hub.git" "$d/run/other.git"
	"$SS" --home "$h" --trail "$d/run/site.git" --as insp -q pack "$MONTH" --role local-inspector --reviewer insp \
		--format csv -o "$d/ws.csv" >/dev/null
	"$PY" "$HERE/fill_worksheet.py" "$POLICY" "$d/ws.csv" "$d/site.csv" 0 "$SYNC_N"
	"$SS" --home "$h" --trail "$d/run/site.git" --as ind -q pack "$MONTH" --role local-inspector --reviewer ind \
		--format csv -o "$d/ws-ind.csv" >/dev/null
	"$PY" "$HERE/fill_worksheet.py" "$POLICY" "$d/ws-ind.csv" "$d/other.csv" "$SYNC_N" 1
	SSAUDIT_FSYNC=0 "$SS" --home "$h" --trail "$d/run/site.git" --as insp -q review "$MONTH" \
		--from "$d/site.csv" >/dev/null
	cp -a "$d/run/hub.git" "$d/hub-behind.git"
	SSAUDIT_FSYNC=0 "$SS" --home "$h" --trail "$d/run/other.git" --as ind -q review "$MONTH" \
		--from "$d/other.csv" >/dev/null
	"$SS" --home "$h" --trail "$d/run/other.git" --as ind -q sync
	cp -a "$d/run/hub.git" "$d/hub-moved.git"
	cp -a "$d/run/site.git" "$d/site.git"
	section g "g. Sync" \
		"\`ssaudit sync\` of a site holding $(fmt "$SYNC_N") verdicts the hub lacks, against a hub" \
		"on the same disk (a bare repository reached by its path, pushed to with stock git)." \
		"Each run starts from fresh copies (not timed). It checks what arrived and what it" \
		"sends with verify, so its time includes two verifications of the whole trail."
	row g "sync, hub behind: check, push $(fmt "$SYNC_N") commits" -n "$RUNS" --work "$SYNC_N" \
		--unit commits --setup "rm -rf '$d/run/hub.git' '$d/run/site.git' && cp -a '$d/hub-behind.git' '$d/run/hub.git' && cp -a '$d/site.git' '$d/run/site.git'" \
		-- "$SS" --home "$h" --trail "$d/run/site.git" --as insp -q sync
	row g "sync, hub moved: replay and push $(fmt "$SYNC_N") commits" -n "$RUNS" --work "$SYNC_N" \
		--unit commits --setup "rm -rf '$d/run/hub.git' '$d/run/site.git' && cp -a '$d/hub-moved.git' '$d/run/hub.git' && cp -a '$d/site.git' '$d/run/site.git'" \
		-- "$SS" --home "$h" --trail "$d/run/site.git" --as insp -q sync
	rm -rf "$d"
}

# ------------------------------------------------------------------- run

START=$(date +%s)
machine >"$W/sec-0.md"
note "== making $(fmt "$N_RECORDS") synthetic records"
"$SS" synth --month "$MONTH" --count "$N_RECORDS" --seed 1 -o "$W/records.csv" >/dev/null 2>&1

bench_records
bench_commits
bench_import

if available review && available pack; then
	review_trail
	bench_review
else
	section d "d. Recording verdicts" "Skipped: this build's \`ssaudit review\` is not available yet."
fi
if ! available review || ! available pack; then
	section e "e. Verify" "Skipped: needs \`review\` to build the trail."
fi
if available report; then
	bench_report
else
	section f "f. Report" "Skipped: this build's \`ssaudit report\` is not available yet."
fi
if available review; then
	bench_review_million # after the report, which it would change
fi
if available sync; then
	bench_sync
fi
rm -f "$W/records.csv"

{
	cat "$W"/sec-*.md
	printf '\nLoad average at the end: %s. Whole run: %d s.\n' \
		"$(cut -d' ' -f1-3 /proc/loadavg)" $(($(date +%s) - START))
} >"$OUT"
cat "$OUT"
note "written to $OUT"
if [ -n "$FAILED" ]; then
	note "these rows failed:$FAILED"
	exit 1
fi
