#!/usr/bin/env bash
# ssaudit's disclosure control against the interval attack: the random tables
# that test_audit_disclose suppresses are written out as public reports and
# attacked with scipy's linear programming, which shares no code with the C.
# Every hidden figure must come out at least min_count wide.
#   disclose.sh PATH/TO/test_audit_disclose
set -u
here="$(cd "$(dirname "$0")" && pwd)"
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3 # Debian's python, where python3-scipy lives
if ! "$py" -c 'import scipy.optimize' 2>/dev/null; then
	echo "python3-scipy is not installed: skipping the interval attack (apt-get install python3-scipy)"
	exit 77
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
SS_DISCLOSE_OUT="$out" "$1" > "$out/cmocka.log" 2>&1 || { cat "$out/cmocka.log"; exit 1; }
n=0 fail=0
for f in "$out"/random-*.json; do
	n=$((n + 1))
	if ! "$py" "$here/interval_attack.py" "$f" > "$out/attack.log" 2>&1; then
		echo "FAIL: $(basename "$f"):"
		cat "$out/attack.log"
		cat "$f"
		fail=1
	fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no tables were written"; exit 1; }
echo "$n suppressed tables attacked: $([ $fail = 0 ] && echo 'no hidden count narrower than min_count' || echo 'some gave a count away')"
exit $fail
