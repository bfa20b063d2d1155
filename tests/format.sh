#!/usr/bin/env bash
# Every C file as .clang-format says, under one pinned clang-format.
#
#   tests/format.sh [SOURCE]        list the files that differ; exit 1 if any
#   tests/format.sh --fix [SOURCE]  reformat them in place (`make format`)
#
# The files are `git ls-files '*.c' '*.h'` in a git checkout, else every .c
# and .h under SOURCE (default: this script's project) outside build folders.
# The version is pinned because clang-format's output changes between
# releases: Debian's clang-format-14 (`make deps` installs it); CLANG_FORMAT
# names another binary of the same version.
set -euo pipefail

fix=0
if [ "${1:-}" = --fix ]; then
	fix=1
	shift
fi
src=$(cd "${1:-$(dirname "$0")/..}" && pwd -P)
cf=${CLANG_FORMAT:-clang-format-14}

if ! command -v "$cf" >/dev/null 2>&1; then
	echo "$cf is not installed: install it with 'make deps' (as root) or" \
		"'sudo apt-get install -y clang-format-14'" >&2
	exit 1
fi
case "$("$cf" --version)" in
*" version 14."*) ;;
*)
	echo "$cf is not clang-format 14: $("$cf" --version)" >&2
	exit 1
	;;
esac
[ -f "$src/.clang-format" ] || {
	echo "no .clang-format in $src" >&2
	exit 1
}

cd "$src"
if [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$src" ]; then
	mapfile -t files < <(git ls-files '*.c' '*.h')
else
	mapfile -t files < <(find . \( -name .git -o -name 'build*' -o -name demo \) -prune -o \
		-type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | sort)
fi

differ=()
for f in "${files[@]}"; do
	[ -f "$f" ] || continue # deleted but not yet staged
	if ! "$cf" --style=file "$f" | cmp -s - "$f"; then
		differ+=("$f")
	fi
done

if [ "$fix" = 1 ]; then
	if [ ${#differ[@]} -gt 0 ]; then
		"$cf" --style=file -i "${differ[@]}"
		printf 'reformatted %s\n' "${differ[@]}"
	fi
	echo "${#files[@]} C files as .clang-format says ($cf)"
	exit 0
fi
if [ ${#differ[@]} -gt 0 ]; then
	echo "${#differ[@]} of ${#files[@]} C files differ from .clang-format ($cf):"
	printf '  %s\n' "${differ[@]}"
	echo "fix them with: make format    (see one: $cf ${differ[0]} | diff -u ${differ[0]} -)"
	exit 1
fi
echo "${#files[@]} C files as .clang-format says ($cf)"
