#!/usr/bin/env bash
# Runs one libFuzzer target for a number of seconds: Scripts/fuzz.sh TARGET SECONDS
# Targets: pack csv json jsonl yaml clearances evaluator (or "all", SECONDS each).
# Builds clearance-fuzz with -sanitize=fuzzer,address into .build-fuzz (release), starts from the
# committed seeds in Fuzz/corpus/TARGET, keeps new inputs in .build-fuzz/corpus/TARGET, and writes
# any crash to Fuzz/crashes/. A crash found becomes a regression input: copy it into
# Fuzz/regressions/TARGET/ — the test suite replays every file there.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Scripts/fuzz.sh TARGET SECONDS}"
seconds="${2:?usage: Scripts/fuzz.sh TARGET SECONDS}"
targets=(pack csv json jsonl yaml clearances evaluator)
if [ "$target" = all ]; then
  for t in "${targets[@]}"; do "$0" "$t" "$seconds"; done
  exit 0
fi
[[ " ${targets[*]} " == *" $target "* ]] || { echo "unknown target '$target'; one of: ${targets[*]} all"; exit 2; }

bin=.build-fuzz/release/clearance-fuzz
if [ ! -x "$bin" ] || [ -n "$(find Sources -newer "$bin" -name '*.swift' -print -quit)" ]; then
  echo "== building clearance-fuzz with libFuzzer and AddressSanitizer"
  swift build -c release --scratch-path .build-fuzz --product clearance-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >/dev/null
fi
work=".build-fuzz/corpus/$target"
mkdir -p "$work" Fuzz/crashes
echo "== fuzzing $target for ${seconds}s"
set +e
ASAN_OPTIONS=detect_leaks=0 CLEARANCE_FUZZ_TARGET="$target" "$bin" "$work" "Fuzz/corpus/$target" \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="Fuzz/crashes/$target-" -print_final_stats=1 2> ".build-fuzz/$target.log"
status=$?
set -e
grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss_mb)" ".build-fuzz/$target.log" || true
if [ $status -ne 0 ]; then
  echo "fuzz target '$target' found a problem (exit $status):"
  grep -E "ERROR|invariant broken|Test unit written" ".build-fuzz/$target.log" | head -20
  exit 1
fi
echo "no finding in ${seconds}s"
