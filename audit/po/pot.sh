#!/bin/sh
# pot.sh SOURCE_DIR OUT.pot: every message marked _("...") or N_("...") in the
# program's C sources, as a gettext template. To bring cy.po up to date after
# marking new messages:
#   audit/po/pot.sh . /tmp/ssaudit.pot &&
#     msgmerge -U --no-wrap --previous --backup=off audit/po/cy.po /tmp/ssaudit.pot
# then translate the new and fuzzy entries, drop the fuzzy flag and the "#|"
# lines, and delete the obsolete "#~" entries. Mark any you are unsure of with
# a "# check: ..." comment in cy.po (msgmerge keeps those; it replaces "#."
# lines with the source's), or with /* check: ... */ just before the string in
# the source, and list them in the README's Welsh section. Locations name the
# file only, so moving code does not churn cy.po.
set -eu
src=$1
out=$2
cd "$src"
find records policies audit -name '*.[ch]' | LC_ALL=C sort >"$out.files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --add-comments=check: \
	--add-location=file --package-name=ssaudit --no-wrap -f "$out.files" -o "$out"
rm -f "$out.files"
