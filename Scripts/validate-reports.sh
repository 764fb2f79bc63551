#!/usr/bin/env bash
# Validates Clearance's SARIF and JUnit output for the samples against the consumers' own schemas
# (../shared/schemas): SARIF 2.1.0 with Python's jsonschema, JUnit with xmllint.
# Usage: Scripts/validate-reports.sh [path/to/clearance]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/debug/clearance}"
schemas="${SCHEMAS:-../shared/schemas}"
[ -f "$schemas/sarif-schema-2.1.0.json" ] && [ -f "$schemas/junit.xsd" ] || {
  echo "no schemas in '$schemas': set SCHEMAS to the folder holding sarif-schema-2.1.0.json and junit.xsd"; exit 1; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export CLEARANCE_TODAY=2026-11-27

"$bin" check Samples/orders.csv Samples/orders.jsonl --format sarif --fail-on never > "$out/samples.sarif"
"$bin" check Samples/orders.csv --format sarif --fail-on never > "$out/one.sarif"
"$bin" check Samples/orders.csv Samples/orders.yaml --format junit --fail-on never > "$out/failure.xml"
"$bin" check Samples/orders.csv --format junit --junit-review skipped --fail-on never > "$out/skipped.xml"

python3 - "$schemas/sarif-schema-2.1.0.json" "$out/samples.sarif" "$out/one.sarif" <<'PY'
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit("python3 -m pip install jsonschema (needed to validate SARIF)")
schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft4Validator(schema)
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    for error in errors[:10]:
        print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}")
    if errors:
        sys.exit(f"{path}: {len(errors)} SARIF schema errors")
    print(f"SARIF valid: {path.rsplit('/', 1)[-1]}")
PY

if ! command -v xmllint >/dev/null 2>&1; then
  echo "installing libxml2-utils (xmllint)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-utils >/dev/null
fi
xmllint --noout --schema "$schemas/junit.xsd" "$out/failure.xml" "$out/skipped.xml"
