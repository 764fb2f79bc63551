# Sourced by Scripts/sanitize.sh and Scripts/fuzz.sh: where each sanitizer builds, and how.
#
# A sanitizer build is the normal debug build with CLEARANCE_SANITIZER set (Package.swift): this
# package's own modules are instrumented, the dependencies are not. It goes into its own folder
# (.build-asan, .build-tsan), so the normal build is kept; CLEARANCE_SANITIZER_SCRATCH=.build puts it
# into the normal build's folder instead, where the dependencies are already built and only our
# modules compile again (CI does, after its normal build and test run).
#
# AddressSanitizer builds once for both the sanitized test suite and the fuzzer: every module of ours
# gets libFuzzer's coverage instrumentation, which without libFuzzer calls the sanitizer runtime's
# empty hooks, and Scripts/fuzz.sh relinks clearance-fuzz with libFuzzer (a link, no compile).
# shellcheck shell=bash

# The build folder of a sanitizer (address or thread).
sanitizer_scratch() {
  case "$1" in
    address) echo "${CLEARANCE_SANITIZER_SCRATCH:-.build-asan}" ;;
    thread) echo "${CLEARANCE_SANITIZER_SCRATCH:-.build-tsan}" ;;
    *) return 2 ;;
  esac
}

# Runs `swift` (build or test) for a sanitizer's build: sanitizer_swift address build --build-tests
sanitizer_swift() {
  local sanitizer="$1" scratch
  shift
  scratch="$(sanitizer_scratch "$sanitizer")" || return 2
  CLEARANCE_SANITIZER="$sanitizer" swift "$@" --scratch-path "$scratch"
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
