#!/usr/bin/env bash
# Which objects a check's atomic reference counts fall on: runs a clearance binary under gdb and,
# from its first completed line to its end, takes every Nth execution of the `lock cmpxchg` in the
# Swift runtime's swift_retain and swift_release (the write an object that is not immortal costs)
# and counts the objects by type — or, with --sites, by type and the two functions that retained
# or released them. No hardware counters are needed (this machine has none). Slow: every count
# stops in gdb (about a minute for 20,000 W1 lines). See CONTRIBUTING.md ("To see which objects the
# atomic counts fall on").
#
# Usage: Benchmarks/count-sampler.sh [--sites] [--every N] BINARY ORDERS RULES
#   --every N  sample every Nth count (default 97); the whole run is sampled, so the shares are
#              those of the run, not of its first lines
#   BINARY     a release build of clearance (x86-64 Linux, position-independent)
#   ORDERS     an order file (20,000 lines are enough)
#   RULES      the rule pack
set -euo pipefail
sites=0
every=97
while [ $# -gt 0 ]; do
  case "$1" in
    --sites) sites=1; shift ;;
    --every) every=$2; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -eq 3 ] || { echo "usage: Benchmarks/count-sampler.sh [--sites] [--every N] BINARY ORDERS RULES" >&2; exit 2; }
binary=$1 orders=$2 rules=$3
command -v gdb >/dev/null || { echo "needs gdb (apt-get install gdb)" >&2; exit 2; }

# The cmpxchg of each fast path (its address, and the register that holds the address of the count
# word, 8 bytes into the object), and a function only the checking of lines reaches.
# (Read whole, not stopped at the first match: with pipefail, a reader cut short fails the script.)
disassembly=$(objdump -d --no-show-raw-insn "$binary")
cmpxchg() { awk -v name="<$1>:" '$2 == name { inside = 1; next } /^$/ { inside = 0 } inside && /lock cmpxchg/ && !found { print; found = 1 }' <<< "$disassembly"; }
address() { awk -F: '{ gsub(/ /, "", $1); print $1 }'; }
register() { sed -E 's/.*\(%([a-z0-9]+)\).*/\1/'; }
retain=$(cmpxchg swift_retain | address)
retain_register=$(cmpxchg swift_retain | register)
release=$(cmpxchg swift_release | address)
release_register=$(cmpxchg swift_release | register)
start=$(nm "$binary" | awk '/EvaluatorV8complete33_.*5parts5trace/ && !found { print $1; found = 1 }')
[ -n "$retain" ] && [ -n "$release" ] && [ -n "$start" ] || { echo "cannot find the runtime's fast paths or Evaluator.complete in $binary" >&2; exit 1; }

script=$(mktemp --suffix=.py)
trap 'rm -f "$script"' EXIT
cat > "$script" <<PY
import gdb, collections
# With address randomisation off, gdb loads a position-independent executable here.
base = 0x555555554000
counts = collections.Counter()
hits = [0]

def type_name(obj):
    meta = int(gdb.parse_and_eval('*(unsigned long*)%d' % obj))
    name = gdb.execute('info symbol %d' % meta, to_string=True).strip().split(' in section')[0]
    if name.startswith('No symbol') or name.startswith('InitialAllocationPool'):
        # Metadata made at run time (a generic class): its type descriptor is 40 bytes in, its
        # instance size 24.
        size = int(gdb.parse_and_eval('*(unsigned int*)%d' % (meta + 24)))
        descriptor = int(gdb.parse_and_eval('*(unsigned long*)%d' % (meta + 40)))
        name = gdb.execute('info symbol %d' % descriptor, to_string=True).strip().split(' in section')[0]
        name = '%s (%d bytes)' % (name, size)
    return name

def callers():
    names, frame = [], gdb.newest_frame().older()
    while frame is not None and len(names) < 2:
        names.append((frame.name() or hex(frame.pc()))[:120])
        frame = frame.older()
    return ' <- '.join(names)

class Sample(gdb.Breakpoint):
    def __init__(self, address, register, kind):
        super().__init__('*' + hex(base + address), internal=True)
        self.register, self.kind = register, kind
    def stop(self):
        hits[0] += 1
        if hits[0] % $every:
            return False
        try:
            name = type_name(int(gdb.parse_and_eval('\$' + self.register)) - 8)
        except gdb.error:
            name = '(unreadable)'
        counts[self.kind + ' ' + name + ('  ' + callers() if $sites else '')] += 1
        return False

def report(event):
    total = sum(counts.values())
    print('%5d  samples of %d counts' % (total, hits[0]))
    for key, count in counts.most_common(40):
        print('%5d  %s (%.1f %%)' % (count, key, 100.0 * count / max(total, 1)))

class Start(gdb.Breakpoint):
    def stop(self):
        if self.enabled:
            self.enabled = False
            Sample(0x$retain, '$retain_register', 'retain ')
            Sample(0x$release, '$release_register', 'release')
        return False

gdb.events.exited.connect(report)
gdb.execute('set pagination off')
Start('*' + hex(base + 0x$start), internal=True)
gdb.execute('run check $orders --rules $rules --fail-on never --format jsonl --jobs 1 > /dev/null')
PY
gdb -batch -ex "set debuginfod enabled off" -ex "set disable-randomization on" -ex "file $binary" -x "$script" 2>&1 |
  grep -E '^ +[0-9]+  ' | { command -v swift >/dev/null && swift demangle --simplified || cat; }
