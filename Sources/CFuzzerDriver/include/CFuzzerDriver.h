#ifndef CFUZZER_DRIVER_H
#define CFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// Whether libFuzzer is linked into this executable (Scripts/fuzz.sh links it into clearance-fuzz).
int clearance_fuzzer_linked(void);

/// Runs libFuzzer's driver on `callback`; only when `clearance_fuzzer_linked()` is non-zero.
int clearance_fuzzer_run(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
