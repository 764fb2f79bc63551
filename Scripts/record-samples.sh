#!/usr/bin/env bash
# Re-records Samples/expected/ from the current build: every sample command of Samples/README.md.
# The day of the run is fixed so that stale-pack checks do not change the outputs.
# Usage: Scripts/record-samples.sh [path/to/clearance]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/clearance}"
export CLEARANCE_TODAY=2026-11-27 NO_COLOR=1
out=Samples/expected
run() { # run NAME ARGS…: stdout to $out/NAME, exit code appended to $out/exit-codes.txt (stderr shown)
  local name=$1; shift
  local status=0
  "$bin" "$@" > "$out/$name" || status=$?
  printf '%s %s\n' "$name" "$status" >> "$out/exit-codes.txt"
}
: > "$out/exit-codes.txt"
run orders.csv.txt check Samples/orders.csv
run orders.csv.json check Samples/orders.csv --format json
run orders.json.json check Samples/orders.json --format json
run orders.jsonl.json check Samples/orders.jsonl --format json
run orders.yaml.json check Samples/orders.yaml --format json
run orders.csv.as-of-2026-11-11.txt check Samples/orders.csv --as-of 2026-11-11 --fail-on deny
run explain-line-15.txt explain Samples/orders.csv --line 15
run orders.csv.cleared.txt check Samples/orders.csv --clearances Samples/clearances.yaml --verbose
run orders.csv.sarif check Samples/orders.csv --format sarif
run orders.csv.junit.xml check Samples/orders.csv --format junit --junit-review skipped
run orders.csv.md check Samples/orders.csv --format markdown
run orders.csv.checked.csv check Samples/orders.csv --format csv
run licences.txt licences --as-of 2026-11-27
ledger="$(mktemp -d)/ledger.sqlite"
CLEARANCE_USER=samples "$bin" ledger record Samples/orders.csv --ledger "$ledger" > /dev/null || true
run ledger-show.txt ledger show --ledger "$ledger"
run licences-with-ledger.txt licences --ledger "$ledger" --as-of 2026-11-27
run orders.jsonl.after-ledger.txt check Samples/orders.jsonl --ledger "$ledger" --fail-on never
rm -rf "$(dirname "$ledger")"
