#!/usr/bin/env bash
# The interval attack checks itself: on crafted public reports that give a
# hidden count away (the cases of a real month: one hidden cell beside a
# shown total, corrections pinned by recorded and corrected positives, a
# known margin below t) it must find the leak (exit 1), and on the same
# reports suppressed enough it must find none (exit 0).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3 # Debian's python, where python3-scipy lives
if ! "$py" -c 'import scipy.optimize' 2>/dev/null; then
	echo "python3-scipy is not installed: skipping the interval attack (apt-get install python3-scipy)"
	exit 77
fi
fail=0
out="$(mktemp)"
for f in "$here"/cases/*.json; do
	name="$(basename "$f" .json)"
	"$py" "$here/interval_attack.py" "$f" > "$out" 2>&1
	rc=$?
	case "$name" in
	leaky-*) want=1 ;;
	*) want=0 ;;
	esac
	if [ "$rc" != "$want" ]; then
		echo "FAIL: $name: the attack exited $rc, expected $want"
		cat /tmp/attack.$$
		fail=1
	else
		echo "ok: $name ($(tail -1 "$out"))"
	fi
done
rm -f "$out"
exit $fail
