#!/usr/bin/env bash
# Runs the test suite under a sanitizer: Scripts/sanitize.sh address|thread
# Each sanitizer builds into its own folder (.build-asan, .build-tsan) so the normal build is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer="${1:-address}"
case "$sanitizer" in
  address) scratch=.build-asan ;;
  thread) scratch=.build-tsan ;;
  *) echo "usage: Scripts/sanitize.sh address|thread"; exit 2 ;;
esac
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
swift build --build-tests --scratch-path "$scratch" --sanitize="$sanitizer" >/dev/null
swift test --skip-build --scratch-path "$scratch" --sanitize="$sanitizer" 2>&1 | tee "$scratch/test.log" | tail -n 3
tail -n 1 "$scratch/test.log" | grep -q "passed" || { echo "the test suite did not pass under -sanitize=$sanitizer"; exit 1; }
