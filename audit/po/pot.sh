#!/bin/sh
# pot.sh SOURCE_DIR OUT.pot: every message marked _("...") or N_("...") in the
# program's C sources, as a gettext template. To bring cy.po up to date after
# marking new messages:
#   audit/po/pot.sh . /tmp/ssaudit.pot && msgmerge -U audit/po/cy.po /tmp/ssaudit.pot
# then translate the new entries (a "#. check: ..." comment on any you are
# unsure of, listed in the README's Welsh section).
set -eu
src=$1
out=$2
cd "$src"
find records policies audit -name '*.c' | LC_ALL=C sort >"$out.files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --add-comments=check: \
	--package-name=ssaudit --no-wrap -f "$out.files" -o "$out"
rm -f "$out.files"
