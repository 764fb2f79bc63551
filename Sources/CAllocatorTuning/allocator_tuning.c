// Options for jemalloc, which release builds on Linux link (Package.swift). jemalloc reads this
// variable when it starts, before any allocation, and the environment's MALLOC_CONF after it, so
// a user can still override (MALLOC_CONF=thp:default undoes this). Without jemalloc (debug,
// sanitizer and macOS builds) nothing reads it.
//
// thp:always asks the kernel for 2 MB pages for the heap (MADV_HUGEPAGE; Debian's default THP
// mode, "madvise", grants them only when asked). Loading the W1 pack builds about 80 MB of YAML
// trees and indexes, and 4 KB pages meant 18,500 page faults: with huge pages, 4,000, and about
// 15 % less CPU for the load; 1M W1 lines took about 5 % less wall time. Peak RSS grows by
// 10-30 MB (whole huge pages), within the benchmark's 150 MB budget. Measured with
// `perf stat -r 10` and Benchmarks/run.sh; see the README's Performance section.
#include "CAllocatorTuning.h"

const char *malloc_conf = "thp:always";
