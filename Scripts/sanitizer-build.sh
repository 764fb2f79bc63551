# Sourced by Scripts/sanitize.sh and Scripts/fuzz.sh: the swift build flags of each sanitizer build.
#
# AddressSanitizer builds once, into .build-asan, for both the sanitized test suite and the fuzzer:
# every Swift module gets libFuzzer's coverage instrumentation (what -sanitize=fuzzer turns on),
# which without libFuzzer calls the sanitizer runtime's empty hooks, and Scripts/fuzz.sh relinks
# clearance-fuzz with libFuzzer (a link, no compile). Two builds of the package and its
# dependencies, one for each, were about 70 % of CI's time. It keeps line tables only, not full
# debug info: a sanitizer's report still names each frame's file and line, and the build took
# 344 s instead of 409 s on a 2-core host (16 % of it; CI had grown past 15 minutes there).
# shellcheck shell=bash

# The build folder of a sanitizer (address or thread).
sanitizer_scratch() {
  case "$1" in
    address) echo .build-asan ;;
    thread) echo .build-tsan ;;
    *) return 2 ;;
  esac
}

sanitizer_flags() {
  local scratch
  scratch="$(sanitizer_scratch "$1")" || return 2
  case "$1" in
    address)
      echo --scratch-path "$scratch" --sanitize=address \
        -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table \
        -Xswiftc -gline-tables-only -Xcc -gline-tables-only
      ;;
    thread) echo --scratch-path "$scratch" --sanitize=thread ;;
  esac
}

# The link flags that add libFuzzer (its archive without `main`) to an AddressSanitizer build.
libfuzzer_link_flags() {
  local swiftc archive
  swiftc="$(readlink -f "$(command -v swiftc)")"
  archive="$(find "$(dirname "$swiftc")/../lib/clang" -name "libclang_rt.fuzzer_no_main-$(uname -m).a" 2>/dev/null | head -n 1)"
  if [ -z "$archive" ]; then
    echo "no libFuzzer archive (libclang_rt.fuzzer_no_main-$(uname -m).a) in the Swift toolchain at $(dirname "$swiftc")/.." >&2
    return 1
  fi
  echo -Xlinker -u -Xlinker LLVMFuzzerRunDriver -Xlinker "$archive" -Xlinker -lstdc++
}
