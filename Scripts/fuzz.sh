#!/usr/bin/env bash
# Runs one libFuzzer target for a number of seconds: Scripts/fuzz.sh TARGET SECONDS
# Targets: pack csv json jsonl yaml clearances evaluator (or "all", SECONDS each).
# Builds clearance-fuzz into .build-asan with AddressSanitizer and libFuzzer's coverage (the build
# Scripts/sanitize.sh address runs the test suite from, Scripts/sanitizer-build.sh), links libFuzzer
# into it, starts from the committed seeds in Fuzz/corpus/TARGET, keeps new inputs in
# .build-asan/corpus/TARGET, and writes any crash to Fuzz/crashes/. A crash found becomes a
# regression input: copy it into Fuzz/regressions/TARGET/ — the test suite replays every file there.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Scripts/fuzz.sh TARGET SECONDS}"
seconds="${2:?usage: Scripts/fuzz.sh TARGET SECONDS}"
targets=(pack csv json jsonl yaml clearances evaluator)
[[ " ${targets[*]} all " == *" $target "* ]] || { echo "unknown target '$target'; one of: ${targets[*]} all"; exit 2; }

source Scripts/sanitizer-build.sh
scratch="$(sanitizer_scratch address)"
bin="$scratch/debug/clearance-fuzz"
if [ -z "${CLEARANCE_FUZZ_BUILT:-}" ]; then
  # shellcheck disable=SC2207
  flags=($(libfuzzer_link_flags))
  # After Scripts/sanitize.sh address, only a link.
  sanitizer_swift address build --product clearance-fuzz "${flags[@]}" >/dev/null
fi
if [ "$target" = all ]; then
  for t in "${targets[@]}"; do CLEARANCE_FUZZ_BUILT=1 "$0" "$t" "$seconds"; done
  exit 0
fi
work="$scratch/corpus/$target"
mkdir -p "$work" Fuzz/crashes
echo "== fuzzing $target for ${seconds}s"
set +e
# libFuzzer reports a crash itself and writes its input; Swift's backtracer would only hold it up.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 CLEARANCE_FUZZ_TARGET="$target" "$bin" "$work" "Fuzz/corpus/$target" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="Fuzz/crashes/$target-" -print_final_stats=1 2> "$scratch/$target.log"
status=$?
set -e
grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss_mb)" "$scratch/$target.log" || true
if [ $status -ne 0 ]; then
  echo "fuzz target '$target' found a problem (exit $status):"
  grep -E "ERROR|invariant broken|Test unit written" "$scratch/$target.log" | head -20
  exit 1
fi
echo "no finding in ${seconds}s"
