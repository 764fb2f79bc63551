#!/usr/bin/env bash
# Runs the test suite under a sanitizer: Scripts/sanitize.sh address|thread [swift test options]
# (options such as `--skip ClearanceCLITests` pass to `swift test`).
# Each sanitizer builds into its own folder (.build-asan, .build-tsan) so the normal build is kept;
# Scripts/fuzz.sh shares .build-asan (Scripts/sanitizer-build.sh, which also says how CI builds).
set -euo pipefail
cd "$(dirname "$0")/.."
source Scripts/sanitizer-build.sh
sanitizer="${1:-address}"
shift || true
scratch="$(sanitizer_scratch "$sanitizer")" || { echo "usage: Scripts/sanitize.sh address|thread [swift test options]"; exit 2; }
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
sanitizer_swift "$sanitizer" build --build-tests >/dev/null
sanitizer_swift "$sanitizer" test --skip-build "$@" 2>&1 | tee "$scratch/sanitized-test.log" | tail -n 3
tail -n 1 "$scratch/sanitized-test.log" | grep -q "passed" || { echo "the test suite did not pass under -sanitize=$sanitizer"; exit 1; }
