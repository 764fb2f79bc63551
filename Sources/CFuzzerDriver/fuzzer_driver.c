// libFuzzer's driver, referenced weakly: an ordinary build of clearance-fuzz links without libFuzzer
// (the reference stays null and the executable replays inputs), and Scripts/fuzz.sh relinks the
// sanitizer build with libFuzzer's archive and `-u LLVMFuzzerRunDriver`, which resolves it. So the
// sanitized test suite and the fuzzer share one build: only the link differs.
#include "CFuzzerDriver.h"

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size))
    __attribute__((weak));

int clearance_fuzzer_linked(void) { return LLVMFuzzerRunDriver != NULL; }

int clearance_fuzzer_run(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
