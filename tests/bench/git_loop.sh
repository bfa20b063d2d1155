#!/usr/bin/env bash
# The peer of bench_commits: what a group would do with stock git alone. In a
# non-bare repository, N times: write one small verdict-sized file at a
# sharded path, `git add` it, `git commit -S` it signed with an SSH key.
#
#   git_loop.sh prepare DIR KEY N on|off   make the repository (not timed)
#   git_loop.sh run DIR                    the timed part
#
# `prepare` writes the file names and creates their directories (git does
# not track empty ones, so this changes nothing git sees), so the timed loop
# runs only printf, git add and git commit. fsync "on" is core.fsync=all with
# core.fsyncMethod=fsync; "off" is core.fsync=none.
set -euo pipefail

case "${1:-}" in
prepare)
	dir=$2 key=$3 n=$4 fsync=$5
	rm -rf "$dir"
	git init -q -b main "$dir"
	git -C "$dir" config user.name "Bench Reviewer"
	git -C "$dir" config user.email bench@example.org
	git -C "$dir" config gpg.format ssh
	git -C "$dir" config user.signingkey "$key"
	if [ "$fsync" = on ]; then
		git -C "$dir" config core.fsync all
		git -C "$dir" config core.fsyncMethod fsync
	else
		git -C "$dir" config core.fsync none
	fi
	# Ids shaped like ssaudit's ("R-" + 16 base32 characters), sharded as
	# months/M/verdicts/XX/ID/ROLE.HANDLE.json.
	# The same ids as bench_commits makes.
	python3 - "$n" >"$dir/.git/bench-paths" <<-'EOF'
		import base64, hashlib, sys
		for i in range(int(sys.argv[1])):
		    h = hashlib.sha256(b"bench-%d" % i).digest()
		    rid = "R-" + base64.b32encode(h[:10]).decode().lower()
		    print("months/2024-03/verdicts/%s/%s/local-inspector.bench.json %s"
		          % (rid[2:4], rid, rid))
	EOF
	while read -r path _; do
		mkdir -p "$dir/${path%/*}"
	done <"$dir/.git/bench-paths"
	;;
run)
	dir=$2
	cd "$dir"
	while read -r path id; do
		printf '{\n  "month": "2024-03",\n  "id": "%s",\n  "role": "local-inspector",\n  "reviewer": "bench",\n  "entered_by": "bench",\n  "answers": {"grounds": "reasonable", "conduct": "fair", "bwv": "viewed"},\n  "note": null\n}\n' "$id" >"$path"
		git add "$path"
		git commit -q -S -m "verdict: 2024-03 $id by bench (local-inspector)" \
			-m "A benchmark verdict." \
			-m "Ssaudit-Action: verdict
Ssaudit-Month: 2024-03
Ssaudit-Record: $id
Ssaudit-Role: local-inspector"
	done <.git/bench-paths
	;;
*)
	echo "usage: git_loop.sh prepare DIR KEY N on|off | git_loop.sh run DIR" >&2
	exit 2
	;;
esac
