#!/bin/bash
# Every message marked for translation in the sources has its Welsh in
# audit/po/cy.po, and the catalogue compiles cleanly under `msgfmt -c`
# (format directives and line breaks as in the English).
set -euo pipefail
src=${1:?source folder}
T=$(mktemp -d "${TMPDIR:-/tmp}/ssaudit-po.XXXXXX")
trap 'rm -rf "$T"' EXIT
"$src/audit/po/pot.sh" "$src" "$T/ssaudit.pot"
n=$(grep -c '^msgid ' "$T/ssaudit.pot")
[ "$n" -ge 80 ] || { echo "FAIL: only $n messages marked for translation"; exit 1; }
# msgcmp counts untranslated and fuzzy entries of cy.po as missing.
if ! msgcmp "$src/audit/po/cy.po" "$T/ssaudit.pot" 2>"$T/cmp"; then
	echo "FAIL: messages without Welsh in audit/po/cy.po (translate them; see audit/po/pot.sh):"
	cat "$T/cmp"
	exit 1
fi
echo "ok - all $((n - 1)) marked messages have Welsh"
msgfmt -c --statistics -o "$T/cy.mo" "$src/audit/po/cy.po" 2>"$T/fmt" || {
	echo "FAIL: msgfmt -c:"; cat "$T/fmt"; exit 1; }
if grep -v 'translated message' "$T/fmt" | grep -q .; then
	echo "FAIL: msgfmt -c warns:"; cat "$T/fmt"; exit 1
fi
if grep -q 'untranslated\|fuzzy' "$T/fmt"; then
	echo "FAIL: untranslated or fuzzy entries ship English: $(cat "$T/fmt")"; exit 1
fi
echo "ok - msgfmt -c: $(cat "$T/fmt")"
