// Options for jemalloc, which release builds on Linux link (Package.swift). jemalloc reads this
// variable when it starts, before any allocation, and the environment's MALLOC_CONF after it, so
// a user can still override (MALLOC_CONF=thp:default undoes this). Without jemalloc (debug,
// sanitizer and macOS builds) nothing reads it.
//
// thp:always asks the kernel for 2 MB pages for the heap (MADV_HUGEPAGE; Debian's default THP
// mode, "madvise", grants them only when asked). Loading the W1 pack builds tens of MB of YAML
// trees and indexes, and 4 KB pages meant 16,000 page faults: with huge pages, 3,700, and the
// load took 6-8 % less time (medians of 21 and 25 interleaved runs of one binary, with and
// without MALLOC_CONF=thp:default). Checking lines afterwards is neither faster nor slower
// (alternating 1M-line runs), and peak RSS grows by 20-30 MB (whole huge pages), within the
// 150 MB budget of issue #4: the trade is memory for the pack load, the one goal still borderline.
#include "CAllocatorTuning.h"

const char *malloc_conf = "thp:always";
