#!/usr/bin/env bash
# The libFuzzer targets over their committed seed corpus (tests/fuzz/corpus/<target>/).
#
#   tests/fuzz/run.sh BUILD [TARGET...]
#       fuzz each target (default: every fuzz_* built in BUILD/tests/fuzz) for
#       FUZZ_SECONDS (default 60) seconds; `make fuzz` runs this.
#   tests/fuzz/run.sh --once BUILD [TARGET...]
#       run each committed seed through each target once, without fuzzing.
#   tests/fuzz/run.sh --build SOURCE BUILD
#       configure BUILD with clang (SS_FUZZ=ON) and build the fuzz targets;
#       exit 77 (skip) with a message when clang or its libFuzzer runtime is
#       missing. `make test` runs this, then --once per target.
#
# Nothing is written to the source tree: the inputs libFuzzer finds and any
# crash, leak or timeout files go to FUZZ_OUT (default BUILD/fuzz-out/<target>/).
# Exit 0 when no target crashed, 1 when one did (its files are listed), 2 on
# a usage or setup error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
seeds=$here/corpus
# UndefinedBehaviorSanitizer reports are crashes too; libFuzzer checks leaks.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

usage() {
	sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# skip: exit 77, leaving no target from an earlier build for --once to run.
skip() {
	rm -f "$dir"/tests/fuzz/fuzz_*
	exit 77
}

# build SOURCE BUILD: the clang build of the fuzz targets, or skip.
build() {
	local src=$1 probe
	dir=$2
	if ! command -v clang >/dev/null 2>&1; then
		echo "SKIP: clang is not installed, so the fuzz targets are not built" \
			"(install: apt-get install clang libclang-rt-dev)"
		skip
	fi
	probe=$(mktemp -d "${TMPDIR:-/tmp}/ssaudit-fuzz-probe.XXXXXX")
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		>"$probe/p.c"
	if ! clang -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" \
		>"$probe/log" 2>&1; then
		echo "SKIP: clang cannot link a libFuzzer program here" \
			"(install: apt-get install libclang-rt-dev):"
		sed 's/^/  /' "$probe/log" | head -5
		rm -rf "$probe"
		skip
	fi
	rm -rf "$probe"
	cmake -S "$src" -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
		-DSS_FUZZ=ON -DBUILD_TESTING=OFF
	cmake --build "$dir" --target fuzz_targets -j "${FUZZ_JOBS:-2}"
}

# targets BUILD [NAME...]: the target programs to run, checked.
targets() {
	local dir=$1 t
	shift
	if [ $# -eq 0 ]; then
		for t in "$dir"/tests/fuzz/fuzz_*; do
			[ -x "$t" ] && [ -f "$t" ] && set -- "$@" "$(basename "$t")"
		done
		[ $# -gt 0 ] || {
			echo "no fuzz targets in $dir/tests/fuzz (build with: make fuzz)" >&2
			exit 2
		}
	fi
	for t in "$@"; do
		[ -x "$dir/tests/fuzz/$t" ] || {
			echo "$t: not built in $dir/tests/fuzz" >&2
			exit 2
		}
		if [ ! -d "$seeds/$t" ] || [ -z "$(ls -A "$seeds/$t")" ]; then
			echo "$t: no seed corpus in tests/fuzz/corpus/$t/ (every target needs one)" >&2
			exit 2
		fi
		echo "$t"
	done
}

# report T OUT: the crash files a run left; returns 1 when there are any.
report() {
	local t=$1 out=$2 found
	found=$(find "$out/artifacts" -type f 2>/dev/null | sort)
	[ -z "$found" ] && return 0
	echo "$t: CRASHED; reproduce with: $dir/tests/fuzz/$t FILE" >&2
	printf '%s\n' "$found" | sed 's/^/  /' >&2
	return 1
}

mode=fuzz
case "${1:-}" in
--build)
	[ $# -eq 3 ] || usage
	build "$2" "$3"
	exit 0
	;;
--once)
	mode=once
	shift
	;;
-h | --help | '') usage ;;
esac
[ $# -ge 1 ] || usage
dir=$(cd "$1" && pwd)
shift
list=$(targets "$dir" "$@")
root=${FUZZ_OUT:-$dir/fuzz-out}
seconds=${FUZZ_SECONDS:-60}
failed=""

for t in $list; do
	out=$root/$t
	rm -rf "$out/artifacts"
	mkdir -p "$out/artifacts" "$out/corpus"
	bin=$dir/tests/fuzz/$t
	if [ "$mode" = once ]; then
		# each seed once, as libFuzzer reproduces a given file: no mutation
		mapfile -t files < <(find "$seeds/$t" -type f | sort)
		echo "$t: ${#files[@]} seeds from tests/fuzz/corpus/$t"
		if ! "$bin" -artifact_prefix="$out/artifacts/" -timeout=25 "${files[@]}" \
			>"$out/once.log" 2>&1; then
			tail -n 40 "$out/once.log" >&2
			seed=$(sed -n 's/^Running: //p' "$out/once.log" | tail -n 1)
			echo "$t: CRASHED on the seed $seed; reproduce with: $bin $seed" >&2
			failed="$failed $t"
		fi
	else
		echo "$t: fuzzing for ${seconds}s (new inputs in $out/corpus, log $out/fuzz.log)"
		# the first folder receives what libFuzzer finds; the seeds are only read
		if ! "$bin" -max_total_time="$seconds" -timeout=25 -print_final_stats=1 \
			-artifact_prefix="$out/artifacts/" "$out/corpus" "$seeds/$t" \
			>"$out/fuzz.log" 2>&1; then
			tail -n 40 "$out/fuzz.log" >&2
			failed="$failed $t"
		else
			grep -E '^(Done|stat::number_of_executed_units)' "$out/fuzz.log" |
				sed "s/^/  /"
		fi
	fi
	report "$t" "$out" || case " $failed " in *" $t "*) ;; *) failed="$failed $t" ;; esac
done

if [ -n "$failed" ]; then
	echo "FAILED:$failed (logs and crash files under $root/)" >&2
	exit 1
fi
echo "every target ran without a crash ($mode)"
