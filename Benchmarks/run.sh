#!/usr/bin/env bash
# The performance benchmark: builds release (Swift runtime linked in), generates workload W1
# (`clearance workload`, seeded, so every run checks the same bytes), and prints a Markdown table
# of wall time, lines/s and peak RSS (/usr/bin/time -v) for Clearance (jsonl, json, text), the
# read floor (wc -l, awk), a parse-and-write floor (Miller converting W1 to JSON Lines) and GoRules
# ZEN (Benchmarks/zen_bench.py, in a virtualenv); for 500,000 lines or more, it also tells whether
# the host's cores are its own (two --jobs 1 checks at once). All figures come from one run, so the
# ratios compare like with like.
#
# Usage: Benchmarks/run.sh [--lines N] [--repeat N] [--zen-lines N] [--load-runs N] [--big] [--instructions] [--work DIR] [--bin PATH]
#                         [--against PATH] [--pairs N]
#   --lines N      order lines of W1 (default 1000000)
#   --repeat N     run each timed command N times and report the median wall time and pack load
#                  and the largest peak RSS (default 1); wall times on a shared host swing by
#                  tens of percent from one run to the next
#   --load-runs N  pack loads timed alone, with a one-line order file (default 9)
#   --zen-lines N  lines ZEN evaluates, from the start of the same file (default 20000; 0 skips ZEN)
#   --big          also measure peak RSS on 10x the lines (the file repeated ten times)
#   --instructions also count instructions with valgrind's callgrind (--jobs 1): for loading the
#                  pack, and per order line over the first 10,000 lines. Unlike wall times these
#                  repeat (the per-line figure to 0.5 %, the load to a few % as its threads free
#                  memory in varying order) however busy the machine is.
#   --work DIR     where the workload and outputs go (default ${TMPDIR:-/tmp}/clearance-bench)
#   --bin PATH     use this clearance binary instead of building release
#   --against PATH also time another clearance binary (an earlier build) against this one, the
#                  two run alternately (each pair in the other order than the last) on W1's jsonl
#                  check, and print the medians of the paired
#                  ratios of wall and CPU time, with the default jobs and with --jobs 1: on a host
#                  whose speed swings within minutes, the way to compare two builds
#   --pairs N      alternating pairs for --against (default 9)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=1000000 repeat=1 zen_lines=20000 load_runs=9 big=0 instructions=0 work="${TMPDIR:-/tmp}/clearance-bench" bin="" against="" pairs=9
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) lines=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --zen-lines) zen_lines=$2; shift 2 ;;
    --load-runs) load_runs=$2; shift 2 ;;
    --big) big=1; shift ;;
    --instructions) instructions=1; shift ;;
    --work) work=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --against) against=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  # The binary as it would ship: release, with the Swift runtime and Foundation linked in
  # (--static-swift-stdlib), which also starts about 6 ms sooner, having no libraries to bind.
  swift build -c release --static-swift-stdlib --product clearance >&2
  bin=.build/release/clearance
fi
[ "$repeat" -ge 1 ] 2> /dev/null || { echo "--repeat needs a whole number of at least 1" >&2; exit 2; }
[ "$pairs" -ge 1 ] 2> /dev/null || { echo "--pairs needs a whole number of at least 1" >&2; exit 2; }
[ -z "$against" ] || [ -x "$against" ] || { echo "--against: '$against' is not an executable" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
mkdir -p "$work"
w1="$work/w1-$lines"
if [ ! -f "$w1/orders.csv" ]; then
  echo "generating W1 ($lines lines) in $w1" >&2
  "$bin" workload --out "$w1" --lines "$lines"
fi
orders="$w1/orders.csv"
rows="$work/rows.md"
: > "$rows"

# measure NAME LINES COMMAND…: runs --repeat times, stdout to /dev/null (ZEN's to $work/out),
# records the median wall time and its lines/s, the largest peak RSS and the median pack load
# Clearance reports.
measure() {
  local name=$1 count=$2; shift 2
  local out=/dev/null
  [ "$name" = "${name#GoRules}" ] || out="$work/out"
  : > "$work/runs.txt"
  for _ in $(seq "$repeat"); do
    /usr/bin/time -v -o "$work/time.txt" "$@" > "$out" 2> "$work/stderr.txt" || true
    local wall rss seconds load
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    seconds=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    load=$(sed -n 's/^timings: pack load \([0-9.]*\) ms.*/\1/p' "$work/stderr.txt")
    echo "$seconds $rss ${load:--}" >> "$work/runs.txt"
  done
  local median_seconds max_rss median_load
  median_seconds=$(sort -n -k1,1 "$work/runs.txt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  max_rss=$(sort -n -k2,2 "$work/runs.txt" | awk 'END { print $2 }')
  median_load=$(awk '$3 != "-"' "$work/runs.txt" | sort -n -k3,3 | awk '{ a[NR] = $3 } END { print (NR ? a[int((NR + 1) / 2)] : "-") }')
  awk -v n="$name" -v c="$count" -v s="$median_seconds" -v r="$max_rss" -v l="$median_load" \
    'BEGIN { printf "| %s | %d | %.2f | %s | %.0f | %s |\n", n, c, s, (s > 0 ? sprintf("%.0f", c / s) : "-"), r / 1024, l }' >> "$rows"
  echo "$median_seconds"
}

check=("$bin" check "$orders" --rules "$w1/pack" --fail-on never --timings)
# Untimed warm-up: the order file and the pack in the page cache and the binary paged in, so that
# the first timed run does not pay for them (in two runs the first measured pack load took
# 330-365 ms where the same binary later took 150-200 ms).
cat "$orders" "$w1"/pack/*.yaml > /dev/null
head -2 "$orders" > "$work/one-line.csv"
"$bin" check "$work/one-line.csv" --rules "$w1/pack" --fail-on never --format jsonl > /dev/null
jsonl_wall=$(measure "clearance check --format jsonl" "$lines" "${check[@]}" --format jsonl)
json_wall=$(measure "clearance check --format json" "$lines" "${check[@]}" --format json)
text_wall=$(measure "clearance check --format text" "$lines" "${check[@]}" --format text)
jobs1_wall=$(measure "clearance check --format jsonl --jobs 1" "$lines" "${check[@]}" --format jsonl --jobs 1)
# Whether the host's cores are its own: two --jobs 1 checks at once, each against one alone (the
# median above). Near 1.00x, the two-job rows measure Clearance; well above it, the two runs share
# a core (SMT siblings, a busy host) and the two-job rows say as much about the host. Only for
# 500,000 lines or more: the pack loads on every core, and weighs too much in a shorter run.
if [ "$lines" -ge 500000 ]; then
  for side in a b; do
    /usr/bin/time -f "%e" -o "$work/pair-$side.txt" "${check[@]}" --format jsonl --jobs 1 > /dev/null 2>&1 &
  done
  wait
  pair_a=$(tail -n 1 "$work/pair-a.txt")
  pair_b=$(tail -n 1 "$work/pair-b.txt")
fi
# Untimed: the first 200,000 lines give the same JSON bytes with --jobs 1 and the default.
head -200001 "$orders" > "$work/prefix.csv"
sha_parallel=$("$bin" check "$work/prefix.csv" --rules "$w1/pack" --fail-on never --format json | sha256sum | cut -c1-16)
sha_sequential=$("$bin" check "$work/prefix.csv" --rules "$w1/pack" --fail-on never --format json --jobs 1 | sha256sum | cut -c1-16)
# The pack load alone, the figure issue #4 sets a goal for: checks of a one-line order file, their
# median and fastest (a single load swings with the machine as much as a whole run does).
load_alone=$(for _ in $(seq "$load_runs"); do
  "$bin" check "$work/one-line.csv" --rules "$w1/pack" --fail-on never --timings --format jsonl 2>&1 > /dev/null |
    sed -n 's/^timings: pack load \([0-9.]*\) ms.*/\1/p'
done | sort -n | awk '{ a[NR] = $1 } END { printf "median %.1f ms, fastest %.1f ms", a[int((NR + 1) / 2)], a[1] }')
wc_wall=$(measure "wc -l (read floor)" "$lines" wc -l "$orders")
awk_wall=$(measure "awk -F, '{n++} END{print n}'" "$lines" awk -F, '{n++} END{print n}' "$orders")
# A floor that, like a check, reads every field of every line and writes a JSON line for each:
# Miller converting W1 to JSON Lines (issue #4's 3x awk compares with a count of lines, which reads
# at memory speed; the jsonl report alone is about 340 bytes a line). Left out without Miller.
if command -v mlr > /dev/null; then
  mlr_wall=$(measure "mlr --icsv --ojsonl cat (parse and write)" "$lines" mlr --icsv --ojsonl cat "$orders")
else
  echo "mlr not found (Debian package 'miller'): the parse-and-write floor is left out" >&2
fi
if [ "$zen_lines" -gt 0 ]; then
  venv="$work/zen-venv"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q zen-engine pyyaml >&2
  fi
  zen_wall=$(measure "GoRules ZEN (Python, decision tables; see below)" "$zen_lines" "$venv/bin/python" Benchmarks/zen_bench.py "$w1/pack" "$orders" "$zen_lines")
  zen_summary=$(cat "$work/out")
fi
if [ "$big" = 1 ]; then
  big_orders="$work/w1-$lines-x10.csv"
  if [ ! -f "$big_orders" ]; then
    head -1 "$orders" > "$big_orders"
    for _ in 1 2 3 4 5 6 7 8 9 10; do tail -n +2 "$orders" >> "$big_orders"; done
  fi
  measure "clearance check --format jsonl (10x lines)" $((lines * 10)) "$bin" check "$big_orders" --rules "$w1/pack" --fail-on never --timings --format jsonl > /dev/null
  measure "clearance check --format json (10x lines)" $((lines * 10)) "$bin" check "$big_orders" --rules "$w1/pack" --fail-on never --timings --format json > /dev/null
fi

# paired JOBS…: alternates this build and --against on the jsonl check, $pairs times for each
# jobs setting, and prints the medians of the per-pair ratios (this build / the other). Each pair
# runs the two in the other order than the pair before: in a fixed order, whichever ran second
# was favoured or not by the host's swings (in the twenty-second round the same two builds gave
# 1.005 one way round and 0.956 the other, 0.962 over 20 pairs of alternating order).
paired() {
  local jobs ratios pair order
  for jobs in "$@"; do
    ratios=$(for pair in $(seq "$pairs"); do
      order=("$bin" "$against")
      [ $((pair % 2)) = 1 ] || order=("$against" "$bin")
      for binary in "${order[@]}"; do
        /usr/bin/time -f "%e %U %S" -o "$work/pair-$([ "$binary" = "$bin" ] && echo this || echo other).txt" "$binary" check "$orders" \
          --rules "$w1/pack" --fail-on never --format jsonl ${jobs:+--jobs "$jobs"} > /dev/null 2>&1 || true
      done
      tr '\n' ' ' < "$work/pair-this.txt"
      tr '\n' ' ' < "$work/pair-other.txt"
      echo
    done | awk '{ printf "%f %f\n", $1 / $4, ($2 + $3) / ($5 + $6) }')
    median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
    printf -- "--jobs %s: wall %.3f, CPU %.3f (medians of %d paired ratios)\n" "${jobs:-$(nproc)}" \
      "$(awk '{ print $1 }' <<< "$ratios" | median)" "$(awk '{ print $2 }' <<< "$ratios" | median)" "$pairs"
  done
}
if [ -n "$against" ]; then
  against_result=$(paired "" 1)
fi

if [ "$instructions" = 1 ]; then
  command -v valgrind > /dev/null || { echo "--instructions needs valgrind (Debian package 'valgrind')" >&2; exit 2; }
  # valgrind 3.19 cannot read the DWARF that Swift 6.3 writes; a copy without debug information
  # (symbols kept) runs the same machine code.
  strip -g "$bin" -o "$work/clearance-nodebug"
  # Per line: only what runs inside Clearance.check (reading, evaluating, reporting), so that the
  # pack load, whose threads and frees vary from run to run, does not blur the figure.
  check_symbol=$(nm "$work/clearance-nodebug" | awk '!found && $3 ~ /ClearanceKit0A0O5check9evaluator.*ReadErrorVYKFZ$/ { print $3; found = 1 }')
  [ -n "$check_symbol" ] || { echo "--instructions: Clearance.check not found in $bin's symbols" >&2; exit 2; }
  count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" "$work/clearance-nodebug" check "$work/orders-prefix.csv" \
      --rules "$w1/pack" --fail-on never --format jsonl --jobs 1 2>&1 > /dev/null | sed -n 's/.*Collected : //p'
  }
  head -2 "$orders" > "$work/orders-prefix.csv"
  load_instructions=$(count)
  head -10001 "$orders" > "$work/orders-prefix.csv"
  ten_lines=$(($(wc -l < "$work/orders-prefix.csv") - 1))
  ten_instructions=$(count "--toggle-collect=$check_symbol")
fi

echo "Workload W1: $lines lines ($(du -h "$orders" | cut -f1)), pack $(ls "$w1/pack" | wc -l) files; $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo
[ "$repeat" -gt 1 ] && echo "Each timed command ran $repeat times: median wall time and pack load, largest peak RSS." && echo
echo "| command | lines | wall (s) | lines/s | peak RSS (MB) | pack load (ms) |"
echo "|---|---:|---:|---:|---:|---:|"
cat "$rows"
echo
awk -v j="$jsonl_wall" -v a="$awk_wall" -v w="$wc_wall" -v m="${mlr_wall:-0}" -v s="$jobs1_wall" -v n="$(nproc)" 'BEGIN {
  printf "clearance jsonl wall / awk: %s; / wc -l: %s; / mlr: %s; --jobs 1 / --jobs %s: %s\n", \
    (a > 0 ? sprintf("%.1fx", j / a) : "-"), (w > 0 ? sprintf("%.1fx", j / w) : "-"), (m > 0 ? sprintf("%.2fx", j / m) : "-"), n,
    (j > 0 ? sprintf("%.2fx", s / j) : "-") }'
if [ -n "${pair_a:-}" ]; then
  awk -v a="$pair_a" -v b="$pair_b" -v s="$jobs1_wall" 'BEGIN {
    printf "two --jobs 1 checks at once: %.2f and %.2f s, %s and %s of one alone (near 1.00x: cores of its own)\n", a, b,
      (s > 0 ? sprintf("%.2fx", a / s) : "-"), (s > 0 ? sprintf("%.2fx", b / s) : "-") }'
fi
echo "pack load alone (W1 pack, one order line, $load_runs runs): $load_alone"
echo "JSON report of the first (up to) 200,000 lines identical for --jobs $(nproc) and --jobs 1: $([ "$sha_parallel" = "$sha_sequential" ] && echo yes || echo NO) ($sha_parallel)"
[ -n "${zen_summary:-}" ] && echo "$zen_summary"
if [ "$instructions" = 1 ]; then
  awk -v l="$load_instructions" -v t="$ten_instructions" -v n="$ten_lines" 'BEGIN {
    printf "instructions (callgrind, --jobs 1, jsonl): pack load and one line %.0f million; %.0f per order line checked (first %d lines)\n", l / 1e6, (n > 0 ? t / n : 0), n }'
fi
if [ -n "$against" ]; then
  echo "this build / $against, run alternately on the jsonl check:"
  echo "$against_result"
fi
[ "$sha_parallel" = "$sha_sequential" ]
